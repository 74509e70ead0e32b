"""Figures built from query results: the timeline (Plotly), and the styles of the clickable graphs (app/graphs.py).

Timeline geometry follows each fact's date precision: a day is a point; a month, a year or a range is a
bar from its first to its last day (never a point on the 1st). Facts whose year is unknown ("24 June")
and undated facts have no place on the axis; `split_dated` returns them for a list under the chart.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape as _html_escape
from typing import Any

import plotly.graph_objects as go

from app.ui import display
from app.words import kind_word, precision_word, status_word, type_word
from ontology.models import FACT_LABELS, NodeLabel
from ontology.vocabulary import vocabulary


def escape(text: str, quote: bool = False) -> str:
    """For Plotly labels and hover text, which read a little HTML: <, > and & escaped (quotes kept, since
    Plotly shows &quot; literally); the invisible bidi and zero-width characters dropped like everywhere."""
    return _html_escape(display(text), quote=quote)


LANE_NAMES = {str(label): vocabulary.plural_label(label) for label in FACT_LABELS}

# Okabe & Ito's palette, told apart by readers with any common colour-vision deficiency. Colour says the fact
# type (the lane says it too); the kind is in each item's label, in words, so no colour has to carry it.
OKABE_ITO = {"orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000"}
TYPE_COLOURS = {NodeLabel.Allegation.value: OKABE_ITO["vermillion"],
                NodeLabel.GovernmentAction.value: OKABE_ITO["blue"],
                NodeLabel.Event.value: OKABE_ITO["bluish_green"]}
OTHER_COLOUR = OKABE_ITO["black"]

# Label geometry: each item carries its title in words, after its bar or point. Rows are packed so that no
# label runs into the next item of its row, at the width a 1400-pixel window gives the plot.
ROW_PX = 22
FONT_PX = 11
CHAR_PX = 6.0  # the average width of a character of the 11-pixel sans-serif font
LABEL_CHARS = 56  # longer titles are cut on the chart (with "…"); the list beside it has them whole
PLOT_PX = 800  # the plot's width in a 1400-pixel window with the sidebar open


def split_dated(facts: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(on the axis, year not given, undated)."""
    dated, no_year, undated = [], [], []
    for f in facts:
        if f.get("date_start") and f.get("date_stop"):
            dated.append(f)
        elif f.get("date_precision") == "month_day" or (f.get("date_value") or "").startswith("--"):
            no_year.append(f)
        else:
            undated.append(f)
    return dated, no_year, undated


def is_point(f: dict[str, Any]) -> bool:
    return f.get("date_precision") == "day" and not f.get("date_end") and f.get("date_start") == f.get("date_stop")


def _opacity(rel: float | None) -> float:
    return 0.35 + 0.65 * max(0.0, min(100.0, rel if rel is not None else 50.0)) / 100.0


def _size(rel: float | None) -> float:
    return 8 + 8 * max(0.0, min(100.0, rel if rel is not None else 50.0)) / 100.0


def short_label(f: dict[str, Any], limit: int = LABEL_CHARS) -> str:
    """The title as the chart shows it: whole up to `limit` characters, else cut at a word with "…"."""
    text = " ".join(display(f.get("title") or f["id"]).split())
    if f.get("negated") and "NOT" not in text:
        text = "NOT: " + text
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut[: cut.rfind(" ")] if " " in cut else cut) + "…"


def _hover(f: dict[str, Any]) -> str:
    """Plotly hover labels accept a little HTML: every value we put in is escaped."""
    lines = [
        f"<b>{escape(f.get('title') or f['id'])}</b>",
        f"{escape(f.get('date_display') or '')} ({escape(precision_word(f.get('date_precision')))})",
        f"{escape(type_word(f.get('fact_type')))} · {escape(kind_word(f.get('kind'), f.get('fact_type')))}"
        + (" · NOT taken" if f.get("negated") else "")
        + (f" · {escape(status_word(f['status']))}" if f.get("status") else ""),
        f"reliability {f['reliability']:.0f}/100" if f.get("reliability") is not None else "reliability –",
        f"{f.get('n_articles') or 0} article(s): {escape(', '.join(f.get('sources') or []))}",
    ]
    if f.get("n_conflicts"):
        lines.append(f"⚠ {f['n_conflicts']} conflict(s) between sources")
    return "<br>".join(lines)


def _pack(facts: list[dict[str, Any]], label_days: dict[str, float]) -> list[int]:
    """Sub-row for each fact so neither items nor their labels overlap in a lane (greedy interval packing:
    an item occupies its dates and then its label's width, in days at the chart's scale)."""
    ends: list[float] = []
    rows: list[int] = []
    for f in facts:
        start = date.fromisoformat(f["date_start"]).toordinal()
        stop = date.fromisoformat(f["date_stop"]).toordinal() + 1 + label_days[f["id"]]
        for i, end in enumerate(ends):
            if start > end:
                ends[i] = stop
                rows.append(i)
                break
        else:
            ends.append(stop)
            rows.append(len(ends) - 1)
    return rows


def focus(dated: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(on the axis, long before the rest). A few facts decades before the others ("founded in 1987", a
    misread "last century") would squeeze every other item into a sliver of the axis: while the earliest
    item stands further from the next than that next one from the end, it leaves the axis for a list."""
    items = sorted(dated, key=lambda f: (f["date_start"], f["id"]))
    last = max((date.fromisoformat(f["date_stop"]) for f in items), default=None)
    earlier: list[dict[str, Any]] = []
    while len(items) > 1 and last is not None:
        first, second = (date.fromisoformat(f["date_start"]) for f in items[:2])
        if (second - first).days <= max(365, (last - second).days):
            break
        earlier.append(items.pop(0))
    return items, earlier


def _ticks(first: date, last: date) -> tuple[list[str], list[str]]:
    """Dates under the data only (the axis runs on past the last date to make room for labels): years, or
    months for a short span."""
    if (last - first).days > 3 * 365:
        years = range(first.year + (first > date(first.year, 1, 1)), last.year + 1)
        return [date(y, 1, 1).isoformat() for y in years], [str(y) for y in years]
    vals, text, d = [], [], date(first.year, first.month, 1)
    step = 1 if (last - first).days <= 400 else 3
    while d <= last:
        if d >= first:
            vals.append(d.isoformat())
            text.append(d.strftime("%b %Y"))
        month = d.month - 1 + step
        d = date(d.year + month // 12, month % 12 + 1, 1)
    return vals, text


def lane_order(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chart's order, top to bottom: lanes in the ontology's order of fact types, dates within a lane.
    The list beside the chart uses it too, so the two read the same way."""
    order = [lbl.value for lbl in FACT_LABELS]
    return sorted(facts, key=lambda f: (order.index(f["fact_type"]) if f["fact_type"] in order else 99,
                                        f["date_start"], f["date_stop"], f["id"]))


def timeline_figure(facts: list[dict[str, Any]], plot_px: int = PLOT_PX) -> tuple[go.Figure, list[list[str]]]:
    """The chart, and for each trace the fact ids of its points (to map a selection back to a fact)."""
    dated, _, _ = split_dated(facts)
    dated = lane_order(focus(dated)[0])
    fig = go.Figure()
    ids_by_trace: list[list[str]] = []
    if not dated:
        return fig, ids_by_trace
    first = date.fromisoformat(min(f["date_start"] for f in dated))
    last = date.fromisoformat(max(f["date_stop"] for f in dated))
    span = max((last - first).days + 1, 30)
    labels = {f["id"]: short_label(f) for f in dated}
    widest = max(CHAR_PX * len(t) + 12 for t in labels.values())
    # The axis runs on past the last date by the widest label, so every label fits inside the plot.
    label_share = min(0.6, widest / plot_px)
    axis_days = span / (1 - label_share)
    px_per_day = plot_px / axis_days
    label_days = {i: (CHAR_PX * len(t) + 12) / px_per_day for i, t in labels.items()}
    pad = axis_days * 0.01

    y_of: dict[str, float] = {}
    tickvals: list[float] = []
    ticktext: list[str] = []
    lane_top = 0.0
    shapes = []
    for lane in dict.fromkeys(f["fact_type"] for f in dated):
        members = [f for f in dated if f["fact_type"] == lane]
        rows = _pack(members, label_days)
        n_rows = max(rows) + 1
        for f, r in zip(members, rows, strict=True):
            y_of[f["id"]] = lane_top + r
        tickvals.append(lane_top + (n_rows - 1) / 2)
        ticktext.append(f"<b>{escape(LANE_NAMES.get(lane, lane))}</b>")
        if lane_top > 0:
            shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": lane_top - 0.8,
                           "y1": lane_top - 0.8, "line": {"color": "rgba(90,90,90,0.45)", "width": 1}})
        lane_top += n_rows + 0.6

    for lane in dict.fromkeys(f["fact_type"] for f in dated):
        colour = TYPE_COLOURS.get(lane, OTHER_COLOUR)
        name = escape(LANE_NAMES.get(lane, lane))
        members = [f for f in dated if f["fact_type"] == lane]
        bars = [f for f in members if not is_point(f)]
        points = [f for f in members if is_point(f)]
        text_font = {"size": FONT_PX, "color": "#1a1a1a"}
        if bars:
            starts = [date.fromisoformat(f["date_start"]) for f in bars]
            ends = [date.fromisoformat(f["date_stop"]) + timedelta(days=1) for f in bars]  # through the last day
            fig.add_trace(go.Bar(
                orientation="h",
                base=[s.isoformat() for s in starts],
                x=[(e - s).days * 86_400_000 for s, e in zip(starts, ends, strict=True)],
                y=[y_of[f["id"]] for f in bars],
                width=0.55,
                marker={"color": colour, "opacity": [_opacity(f.get("reliability")) for f in bars],
                        "line": {"width": 1.5, "color": colour},  # a two-day range stays visible
                        "pattern": {"shape": ["x" if f.get("negated") else "" for f in bars],
                                    "fgcolor": "rgba(0,0,0,0.6)", "size": 6}},
                text=[escape(labels[f["id"]]) for f in bars], textposition="outside", textfont=text_font,
                constraintext="none", cliponaxis=False,
                customdata=[f["id"] for f in bars],
                hovertext=[_hover(f) for f in bars],
                hoverinfo="text",
                name=name, legendgroup=lane, showlegend=True,
            ))
            ids_by_trace.append([f["id"] for f in bars])
        if points:
            fig.add_trace(go.Scatter(
                mode="markers+text",
                x=[f["date_start"] for f in points],
                y=[y_of[f["id"]] for f in points],
                marker={"color": colour, "size": [_size(f.get("reliability")) for f in points],
                        "opacity": [_opacity(f.get("reliability")) for f in points],
                        "line": {"width": 1, "color": "rgba(0,0,0,0.6)"},
                        "symbol": ["x" if f.get("negated") else "circle" for f in points]},
                text=[escape(labels[f["id"]]) for f in points], textposition="middle right", textfont=text_font,
                cliponaxis=False,
                customdata=[f["id"] for f in points],
                hovertext=[_hover(f) for f in points],
                hoverinfo="text",
                name=name, legendgroup=lane, showlegend=not bars,
            ))
            ids_by_trace.append([f["id"] for f in points])

    height = int(max(260, 110 + ROW_PX * lane_top))
    fig.update_layout(
        barmode="overlay",
        height=height,
        margin={"l": 10, "r": 10, "t": 64, "b": 10},
        xaxis={"type": "date", "side": "top", "tickmode": "array", "tickvals": _ticks(first, last)[0],
               "ticktext": _ticks(first, last)[1],
               "range": [(first - timedelta(days=pad)).isoformat(),
                         (first + timedelta(days=axis_days + pad)).isoformat()],
               "showgrid": True, "gridcolor": "rgba(120,120,120,0.25)"},
        yaxis={"tickmode": "array", "tickvals": tickvals, "ticktext": ticktext, "autorange": "reversed",
               "showgrid": False, "zeroline": False, "fixedrange": True},
        legend={"title": {"text": "fact type"}, "orientation": "h", "yref": "container", "yanchor": "top",
                "y": 1.0, "x": 0, "xanchor": "left"},  # above the dates, which run along the top
        shapes=shapes,
        clickmode="event+select",
        dragmode="pan",
        hoverlabel={"align": "left"},
        plot_bgcolor="white",
    )
    return fig, ids_by_trace


# ---------------------------------------------------------------- the clickable graphs (app/graphs.py)

# Actors by type: a shape and an Okabe–Ito colour each (the shape alone tells the type; the colour helps);
# facts are diamonds in their fact type's colour (TYPE_COLOURS, as on the timeline).
GREY = "#999999"
ACTOR_STYLE = {"Organization": (OKABE_ITO["orange"], "round-rectangle"),
               "Country": (OKABE_ITO["sky_blue"], "octagon"),
               "GovernmentBody": (OKABE_ITO["yellow"], "barrel"),
               "Person": (OKABE_ITO["reddish_purple"], "ellipse"),
               "AIModel": (GREY, "hexagon"),
               "Group": (OKABE_ITO["black"], "pentagon")}
FACT_SHAPE = "diamond"
ARTICLE_STYLE = ("#dddddd", "rectangle")
OTHER_STYLE = ("#dddddd", "ellipse")
# Edges by role: the colour of the fact type the role belongs to, solid from the actor who acts (accuser,
# issuer) and dashed to the actor acted on (accused, target), dotted for an event's participants.
ROLE_STYLE = {"ACCUSER": (OKABE_ITO["vermillion"], "solid", True),
              "ACCUSED": (OKABE_ITO["vermillion"], "dashed", True),
              "ISSUER": (OKABE_ITO["blue"], "solid", True),
              "TARGET": (OKABE_ITO["blue"], "dashed", True),
              "INVOLVES": (OKABE_ITO["bluish_green"], "dotted", False),
              "REPORTED_IN": ("#7a7a7a", "solid", True)}
COLOUR_NAMES = {OKABE_ITO["orange"]: "orange", OKABE_ITO["sky_blue"]: "sky-blue", OKABE_ITO["yellow"]: "yellow",
                OKABE_ITO["reddish_purple"]: "purple", GREY: "grey", OKABE_ITO["black"]: "black",
                OKABE_ITO["vermillion"]: "vermilion", OKABE_ITO["blue"]: "blue",
                OKABE_ITO["bluish_green"]: "green", "#7a7a7a": "grey", "#dddddd": "light grey"}
LINE_NAMES = {"solid": "solid line", "dashed": "dashed line", "dotted": "dotted line"}
