"""Figures built from query results: the timeline (Plotly), and the styles of the clickable graphs (app/graphs.py).

Timeline geometry follows each fact's date precision: a day is a point; a month, a year or a range is a
bar from its first to its last day (never a point on the 1st). Facts whose year is unknown ("24 June")
and undated facts have no place on the axis; `split_dated` returns them for a list under the chart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
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


def hover_lines(f: dict[str, Any]) -> list[str]:
    """What hovering an item tells, as plain text lines (the first is the whole title)."""
    lines = [
        display(f.get("title") or f["id"]),
        f"{display(f.get('date_display') or '')} ({precision_word(f.get('date_precision'))})",
        f"{type_word(f.get('fact_type'))} · {kind_word(f.get('kind'), f.get('fact_type'))}"
        + (" · NOT taken" if f.get("negated") else "")
        + (f" · {status_word(f['status'])}" if f.get("status") else ""),
        f"reliability {f['reliability']:.0f}/100" if f.get("reliability") is not None else "reliability –",
        f"{f.get('n_articles') or 0} article(s): {display(', '.join(f.get('sources') or []))}",
    ]
    if f.get("n_conflicts"):
        lines.append(f"⚠ {f['n_conflicts']} conflict(s) between sources")
    return lines


def _hover(f: dict[str, Any]) -> str:
    """Plotly hover labels accept a little HTML: every value we put in is escaped."""
    lines = [_html_escape(line, quote=False) for line in hover_lines(f)]
    return "<br>".join([f"<b>{lines[0]}</b>", *lines[1:]])


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


@dataclass
class Layout:
    """Where each item of the timeline goes, shared by both drawings of it: the items in the chart's order, each
    one's row (lanes top to bottom, packed rows within a lane), its label, and the axis."""

    dated: list[dict[str, Any]]
    row: dict[str, float]  # fact id -> y (0 at the top)
    labels: dict[str, str]  # fact id -> the label drawn beside it
    lanes: list[tuple[str, float, int]]  # (fact type, first row, rows)
    first: date
    last: date
    axis_start: date  # the axis: a little before the first date ...
    axis_stop: date  # ... to past the last one by the widest label
    rows: float  # rows from the top to the bottom of the last lane, gaps included
    label_days: dict[str, float]  # fact id -> its label's width in days at the chart's scale (`PLOT_PX`)
    px_per_day: float


def layout(facts: list[dict[str, Any]], plot_px: int = PLOT_PX) -> Layout | None:
    """The timeline's geometry (None: nothing to draw on the axis)."""
    dated, _, _ = split_dated(facts)
    dated = lane_order(focus(dated)[0])
    if not dated:
        return None
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
    row: dict[str, float] = {}
    lanes: list[tuple[str, float, int]] = []
    lane_top = 0.0
    for lane in dict.fromkeys(f["fact_type"] for f in dated):
        members = [f for f in dated if f["fact_type"] == lane]
        rows = _pack(members, label_days)
        n_rows = max(rows) + 1
        for f, r in zip(members, rows, strict=True):
            row[f["id"]] = lane_top + r
        lanes.append((lane, lane_top, n_rows))
        lane_top += n_rows + 0.6
    return Layout(dated=dated, row=row, labels=labels, lanes=lanes, first=first, last=last,
                  axis_start=first - timedelta(days=pad), axis_stop=first + timedelta(days=axis_days + pad),
                  rows=lane_top, label_days=label_days, px_per_day=px_per_day)


def timeline_figure(facts: list[dict[str, Any]], plot_px: int = PLOT_PX) -> tuple[go.Figure, list[list[str]]]:
    """The chart (Plotly), and for each trace the fact ids of its points (to map a selection back to a fact)."""
    fig = go.Figure()
    ids_by_trace: list[list[str]] = []
    lay = layout(facts, plot_px)
    if lay is None:
        return fig, ids_by_trace
    dated, y_of, labels = lay.dated, lay.row, lay.labels
    tickvals = [top + (n - 1) / 2 for _, top, n in lay.lanes]
    ticktext = [f"<b>{escape(LANE_NAMES.get(lane, lane))}</b>" for lane, _, _ in lay.lanes]
    shapes = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": top - 0.8, "y1": top - 0.8,
               "line": {"color": "rgba(90,90,90,0.45)", "width": 1}} for _, top, _ in lay.lanes if top > 0]

    for lane, _, _ in lay.lanes:
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

    height = int(max(260, 110 + ROW_PX * lay.rows))
    fig.update_layout(
        barmode="overlay",
        height=height,
        margin={"l": 10, "r": 10, "t": 64, "b": 10},
        xaxis={"type": "date", "side": "top", "tickmode": "array", "tickvals": _ticks(lay.first, lay.last)[0],
               "ticktext": _ticks(lay.first, lay.last)[1],
               "range": [lay.axis_start.isoformat(), lay.axis_stop.isoformat()],
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


# ---------------------------------------------------------------- the same timeline in Vega-Lite

# Vega has no pattern fill, so a negated action is drawn hollow instead of hatched: a bar with a dashed outline
# and a faint fill, a point as an ✕ (a filled cross turned 45°, in Vega's unit square); its label starts "NOT:".
X_SHAPE = "M-1,-0.6L-0.6,-1L0,-0.4L0.6,-1L1,-0.6L0.4,0L1,0.6L0.6,1L0,0.4L-0.6,1L-1,0.6L-0.4,0Z"
NEGATED_DASH = [4, 3]
NEGATED_FILL_OPACITY = 0.12
BAR_ROWS = 0.55  # a bar's thickness, in rows (Plotly's width=0.55)
SELECTION = "pick"  # the point selection a click makes: the fact's id


def _ms(d: date) -> int:
    """A date as Vega's UTC timestamp (milliseconds), so no time zone moves it."""
    return (d.toordinal() - date(1970, 1, 1).toordinal()) * 86_400_000


def _datetime(d: date) -> dict[str, Any]:
    """A date as a Vega-Lite DateTime (UTC), what a temporal axis takes for its tick values."""
    return {"year": d.year, "month": d.month, "date": d.day, "utc": True}


def timeline_spec(facts: list[dict[str, Any]], plot_px: int = PLOT_PX) -> dict[str, Any] | None:
    """The timeline as a Vega-Lite spec (st.vega_lite_chart), with the Plotly figure's geometry (`layout`):
    lanes by fact type, a day a point, a month, year or range a bar through its last day, each item's label
    after it in words, Okabe–Ito colour by fact type, stronger and larger for higher reliability, negated
    actions hollow and dashed (bars) or an ✕ (points). A click selects the item's fact id (`SELECTION`).
    The labels and marks are SVG, so the text is in the page. None: nothing has a place on the axis."""
    lay = layout(facts, plot_px)
    if lay is None:
        return None
    rows = []
    for f in lay.dated:
        start = date.fromisoformat(f["date_start"])
        point = is_point(f)
        stop = start if point else date.fromisoformat(f["date_stop"]) + timedelta(days=1)  # through the last day
        y = lay.row[f["id"]]
        negated = bool(f.get("negated"))
        tip = hover_lines(f)
        rows.append({
            "id": f["id"], "lane": LANE_NAMES.get(f["fact_type"], f["fact_type"]), "point": point,
            "negated": negated, "start": float(_ms(start)), "stop": float(_ms(stop)), "y": y,
            "y0": y - BAR_ROWS / 2, "y1": y + BAR_ROWS / 2, "hit_y0": y - 0.45, "hit_y1": y + 0.45,
            "hit_start": float(_ms(start)) - 6 / lay.px_per_day * 86_400_000,
            "hit_stop": float(_ms(stop)) + (lay.label_days[f["id"]] + (10 if point else 4) / lay.px_per_day)
            * 86_400_000,
            "opacity": round(_opacity(f.get("reliability")), 3),
            "fill_opacity": NEGATED_FILL_OPACITY if negated else round(_opacity(f.get("reliability")), 3),
            "size": round(_size(f.get("reliability")) ** 2, 1),  # Vega sizes a symbol by area, Plotly by width
            "label": lay.labels[f["id"]],
            "fact": tip[0], "date": tip[1], "what": tip[2], "reliability": tip[3], "articles": tip[4],
            "conflicts": tip[5] if len(tip) > 5 else "",
        })
    lanes = [lane for lane, _, _ in lay.lanes]
    colour = {"field": "lane", "type": "nominal", "legend": None,
              "scale": {"domain": [LANE_NAMES.get(t, t) for t in lanes],
                        "range": [TYPE_COLOURS.get(t, OTHER_COLOUR) for t in lanes]}}
    fill = {**colour, "legend": {"title": "fact type", "orient": "top", "direction": "horizontal",
                                 "symbolType": "circle", "symbolOpacity": 1, "labelFontSize": 12}}
    tick_at, tick_text = _ticks(lay.first, lay.last)
    fmt = "%Y" if all(len(t) == 4 for t in tick_text) else "%b %Y"
    x_scale = {"type": "utc", "domain": [_ms(lay.axis_start), _ms(lay.axis_stop)], "nice": False}
    x_enc = {"field": "start", "type": "temporal", "scale": x_scale, "title": None,
         "axis": {"orient": "top", "values": [_datetime(date.fromisoformat(d)) for d in tick_at],
                  "labelExpr": f"utcFormat(datum.value, {json.dumps(fmt)})", "grid": True,
                  "gridColor": "rgba(120,120,120,0.25)", "labelFontSize": FONT_PX, "labelOverlap": False}}
    y_ticks = [top + (n - 1) / 2 for _, top, n in lay.lanes]
    y_names = [LANE_NAMES.get(t, t) for t in lanes]
    y_enc = {"field": "y", "type": "quantitative", "title": None,
         "scale": {"domain": [-0.7, lay.rows - 0.6 - 1 + 0.7], "reverse": True, "nice": False, "zero": False},
         "axis": {"values": y_ticks, "labelExpr": f"{json.dumps(y_names)}[indexof({json.dumps(y_ticks)}, datum.value)]",
                  "grid": False, "ticks": False, "domain": False, "labelFontWeight": "bold", "labelFontSize": 12,
                  "labelLimit": 220, "labelPadding": 8}}
    tooltip = [{"field": k, "type": "nominal", "title": t} for k, t in (
        ("fact", "fact"), ("date", "date"), ("what", "what"), ("reliability", "reliability"),
        ("articles", "reported in"), ("conflicts", "conflicts"))]
    text = {"type": "text", "align": "left", "baseline": "middle", "fontSize": FONT_PX, "color": "#1a1a1a"}
    label = {"text": {"field": "label"}, "description": {"field": "label"}}  # read out as the label alone
    separators = [{"y": top - 0.8} for _, top, _ in lay.lanes if top > 0]
    bar_encoding = {"x": x_enc, "x2": {"field": "stop"}, "y": {**y_enc, "field": "y0"}, "y2": {"field": "y1"},
                    "fill": fill, "stroke": colour,
                    "fillOpacity": {"field": "fill_opacity", "type": "quantitative", "scale": None},
                    "strokeOpacity": {"field": "opacity", "type": "quantitative", "scale": None}}
    layers: list[dict[str, Any]] = [
        {"name": "tl_bars", "transform": [{"filter": "!datum.point && !datum.negated"}],
         "mark": {"type": "rect", "strokeWidth": 1.5},
         "encoding": bar_encoding},
        {"name": "tl_negated_bars", "transform": [{"filter": "!datum.point && datum.negated"}],
         "mark": {"type": "rect", "strokeWidth": 2, "strokeDash": NEGATED_DASH}, "encoding": bar_encoding},
        {"name": "tl_points", "transform": [{"filter": "datum.point"}],
         "mark": {"type": "point", "filled": True, "stroke": "rgba(0,0,0,0.6)", "strokeWidth": 1},
         "encoding": {"x": x_enc, "y": y_enc, "fill": fill,
                      "shape": {"condition": {"test": "datum.negated", "value": X_SHAPE}, "value": "circle"},
                      "size": {"field": "size", "type": "quantitative", "scale": None},
                      "opacity": {"field": "opacity", "type": "quantitative", "scale": None}}},
        {"name": "tl_bar_labels", "transform": [{"filter": "!datum.point"}], "mark": {**text, "dx": 4},
         "encoding": {"x": {**x_enc, "field": "stop"}, "y": y_enc, **label}},
        {"name": "tl_point_labels", "transform": [{"filter": "datum.point"}], "mark": {**text, "dx": 10},
         "encoding": {"x": x_enc, "y": y_enc, **label}},
        # On top, invisible: each item with its label is one click target (Vega-Lite cannot share one selection
        # among the layers of a layered chart), which also shows the item's hover text and pans the axis.
        {"name": "tl_items", "mark": {"type": "rect", "fill": "transparent", "cursor": "pointer"},
         "params": [
             {"name": SELECTION, "select": {"type": "point", "fields": ["id"], "on": "click", "clear": "dblclick"}},
             {"name": "tl_pan", "select": {"type": "interval", "encodings": ["x"]}, "bind": "scales"},
         ],
         "encoding": {"x": {**x_enc, "field": "hit_start"}, "x2": {"field": "hit_stop"},
                      "y": {**y_enc, "field": "hit_y0"}, "y2": {"field": "hit_y1"}, "tooltip": tooltip}},
    ]
    if separators:
        layers.insert(0, {"data": {"values": separators},
                          "mark": {"type": "rule", "color": "rgba(90,90,90,0.45)", "strokeWidth": 1},
                          "encoding": {"y": {"field": "y", "type": "quantitative"}}})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": "Timeline of the facts: lanes by fact type, dates along the top",
        "data": {"values": rows},
        "height": int(max(150, ROW_PX * lay.rows)),  # the plot's, without the legend and the dates above it
        "autosize": {"type": "fit-x", "contains": "padding"},
        "layer": layers,
        # The marks are not read out one by one (the labels are, and the list under the chart has every item):
        # thousands of generated descriptions cost the browser time and say less than the labels.
        "config": {"view": {"stroke": None}, "axis": {"labelColor": "#1a1a1a"}, "mark": {"aria": False},
                   "text": {"aria": True}},
        "usermeta": {"embedOptions": {"renderer": "svg", "actions": False}},
    }


def selected_fact(event: Any) -> str | None:
    """The fact id a click on the Vega-Lite timeline selected (st.vega_lite_chart's on_select answer)."""
    selection = getattr(event, "selection", None) or {}
    picked = selection.get(SELECTION) if isinstance(selection, dict) else getattr(selection, SELECTION, None)
    for p in picked or []:
        if isinstance(p, dict) and p.get("id"):
            return str(p["id"])
    return None


def negated_words() -> str:
    """How the timeline draws an action a government decided against, in the caption's words."""
    from kg.settings import get_settings

    return ("hatched bars" if get_settings().timeline_chart == "plotly" else "hollow bars with a dashed outline") \
        + " and ✕ points"


def draw_timeline(dated: list[dict[str, Any]], key: str, library: str | None = None) -> str | None:
    """Draw the timeline of `dated` facts with the library the `KG_TIMELINE_CHART` setting names (Vega-Lite by
    default, Plotly the alternative; bench/README.md says why) and return the fact id a click selected."""
    import streamlit as st

    from kg.settings import get_settings

    if (library or get_settings().timeline_chart) == "plotly":
        fig, ids_by_trace = timeline_figure(dated)
        event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points",
                                config={"displaylogo": False, "scrollZoom": True})
        for p in list(getattr(getattr(event, "selection", None), "points", None) or []):
            fid = p.get("customdata")
            if isinstance(fid, list):
                fid = fid[0] if fid else None
            if not fid:
                curve, index = p.get("curve_number"), p.get("point_index", p.get("point_number"))
                if curve is not None and index is not None and curve < len(ids_by_trace):
                    fid = ids_by_trace[curve][index]
            if fid:
                return str(fid)
        return None
    spec = timeline_spec(dated)
    if spec is None:
        return None
    picked = st.vega_lite_chart(spec=spec, key=key, on_select="rerun", selection_mode=SELECTION, width="stretch",
                                theme=None)
    return selected_fact(picked)


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
