"""Timeline (the landing page): facts over time, filtered in the sidebar; a selected fact's detail below.

Deep link: ?actor=NAME (repeatable) &type=Allegation &kind=distillation &since=YYYY-MM-DD &until=...
&min=60 &outlet=reuters &fact=FACT_ID &asof=2026-06-25T12:00 (UTC: the graph as the fetched articles reported
it then, app/asof.py). The URL follows every change so the view can be shared.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from app import charts, data, ui
from app.asof import as_of_control, as_of_facts
from app.words import kind_word
from ontology.models import FACT_LABELS

PAGES = "tl_pages"  # how many pages of the timeline are shown (a "More facts" button adds one)
FILTER_KEYS = ("tl_actors", "tl_types", "tl_kinds", "tl_dates", "tl_minrel", "tl_outlets")


def _initial_filters(actor_opts: dict[str, dict[str, Any]], kind_opts: list[str], outlet_opts: dict[str, str],
                     bounds: tuple[date, date] | None) -> dict[str, Any]:
    """Filters from the URL when it has any, else from this session's last visit, else none."""
    url_keys = ("actor", "type", "kind", "since", "until", "min", "outlet")
    if not any(k in st.query_params for k in url_keys) and "_tl_saved" in st.session_state:
        return dict(st.session_state["_tl_saved"])
    lookup: dict[str, str] = {}
    for actor_id, a in actor_opts.items():
        for name in [actor_id, a["name"], *(a.get("aliases") or [])]:
            lookup.setdefault(name.lower(), actor_id)
    chosen_actors = [lookup[n.lower()] for n in ui.qp_all("actor") if n.lower() in lookup]
    types = [t for t in ui.qp_all("type") if t in {lbl.value for lbl in FACT_LABELS}]
    kinds = [k for k in ui.qp_all("kind") if k in kind_opts]
    outlets = [o for o in ui.qp_all("outlet") if o in outlet_opts]
    try:
        min_rel = max(0, min(100, int(float(ui.qp_one("min") or 0))))
    except ValueError:
        min_rel = 0
    dates = bounds
    if bounds:
        lo, hi = bounds
        try:
            since = date.fromisoformat(ui.qp_one("since") or lo.isoformat())
            until = date.fromisoformat(ui.qp_one("until") or hi.isoformat())
            dates = (max(lo, min(since, hi)), min(hi, max(until, lo)))
        except ValueError:
            dates = bounds
    return {"tl_actors": list(dict.fromkeys(chosen_actors)), "tl_types": types, "tl_kinds": kinds,
            "tl_dates": dates, "tl_minrel": min_rel, "tl_outlets": outlets}


def _kind_options(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in rows:
        if r.get("kind"):
            counts[r["kind"]] = counts.get(r["kind"], 0) + int(r.get("n") or 0)
    return dict(sorted(counts.items()))


def _line(f: dict[str, Any]) -> str:
    """One fact as a line of the lists: date, title, reliability, how many articles (inert Markdown)."""
    rel = ui.reliability_text(f.get("reliability"))
    n = f.get("n_articles") or 0
    return (f"{ui.md(f.get('date_display') or 'undated')} · **{ui.md(f.get('title') or f['id'])}** · "
            f"{rel} · {n} article{'s' if n != 1 else ''}")


def _chart_list(dated: list[dict[str, Any]]) -> None:
    """Every item of the chart, in the chart's order (lane by lane, then by date), with its whole title."""
    with st.expander(f"The chart as a list ({len(dated)}, top to bottom)", expanded=True), \
            st.container(height=min(420, 60 + 26 * len(dated)), border=False):
        lane = None
        for f in charts.lane_order(dated):
            if f["fact_type"] != lane:
                lane = f["fact_type"]
                st.markdown(f"**{ui.md(charts.LANE_NAMES.get(lane, lane))}**")
            st.markdown("- " + _line(f))


def _off_axis_strip(no_year: list[dict[str, Any]], undated: list[dict[str, Any]],
                    earlier: list[dict[str, Any]]) -> None:
    """Facts with no place on the time axis, in their own marked strip under the chart, not hidden."""
    with st.container(border=True):
        st.markdown(f"**Not on the time axis** · {len(no_year)} with a day and month but no year, "
                    f"{len(undated)} undated" + (f", {len(earlier)} long before the rest" if earlier else ""))
        groups = [("Year not given", no_year, "the sources give a day and month only"),
                  ("Undated", undated, "the sources give no date")]
        if earlier:
            groups.append(("Long before the rest", earlier, "kept off the axis so the rest stays readable"))
        for col, (title, items, why) in zip(st.columns(len(groups)), groups, strict=True):
            with col:
                st.markdown(f"**{title}** ({len(items)}): {why}.")
                if items:
                    with st.container(height=min(300, 40 + 26 * len(items)), border=False):
                        for f in items:
                            st.markdown("- " + _line(f))
                else:
                    st.caption("None.")


def render() -> None:
    st.title("Timeline")  # first, so the reader sees the page before its queries return
    graph = data.get_graph()
    actor_rows = data.actors(graph)
    actor_opts = {a["id"]: a for a in actor_rows}
    kind_counts = _kind_options(data.kinds(graph))
    outlet_opts = {o["id"]: o["name"] for o in data.publishing_outlets(graph)}
    first, last = data.date_range(graph)
    bounds = (date.fromisoformat(first), date.fromisoformat(last)) if first and last and first < last else None

    if any(k not in st.session_state for k in FILTER_KEYS if k != "tl_dates"):
        initial = _initial_filters(actor_opts, list(kind_counts), outlet_opts, bounds)
        for key, value in initial.items():
            if key == "tl_dates" and value is None:
                continue
            st.session_state[key] = value
        # drop saved choices that no longer exist (after an ingest or on another graph)
        st.session_state["tl_actors"] = [a for a in st.session_state.get("tl_actors", []) if a in actor_opts]
        st.session_state["tl_kinds"] = [k for k in st.session_state.get("tl_kinds", []) if k in kind_counts]
        st.session_state["tl_outlets"] = [o for o in st.session_state.get("tl_outlets", []) if o in outlet_opts]

    with st.sidebar:
        st.subheader("Filters")
        asof = as_of_control(graph)  # the graph as it stood then (app/asof.py); None: as it stands now
        chosen_actors = st.multiselect(
            "Actors", list(actor_opts), key="tl_actors", placeholder="any actor (type a name or alias)",
            format_func=lambda i: ui.display(actor_opts[i]["name"] + (f" ({', '.join(actor_opts[i]['aliases'])})"
                                                                      if actor_opts[i].get("aliases") else "")))
        types = st.multiselect("Fact types", [lbl.value for lbl in FACT_LABELS], key="tl_types",
                               placeholder="all types", format_func=lambda t: charts.LANE_NAMES.get(t, t))
        kinds = st.multiselect("Kinds", list(kind_counts), key="tl_kinds", placeholder="all kinds",
                               format_func=lambda k: f"{kind_word(k)} ({kind_counts[k]})")
        since = until = None
        if bounds:
            current = st.session_state.get("tl_dates")
            if (not isinstance(current, tuple | list) or len(current) != 2
                    or not bounds[0] <= current[0] <= current[1] <= bounds[1]):
                st.session_state["tl_dates"] = bounds
            picked = st.slider("Dates", min_value=bounds[0], max_value=bounds[1], key="tl_dates",
                               format="YYYY-MM-DD")
            lo, hi = picked if isinstance(picked, tuple | list) else (picked, picked)
            if (lo, hi) != bounds:  # narrowing the range hides undated facts and those with no year
                since, until = lo.isoformat(), hi.isoformat()
                st.caption("Undated facts and those with no year are hidden while the range is narrowed.")
        min_rel = st.slider("Minimum reliability", 0, 100, key="tl_minrel", step=5)
        outlets = st.multiselect("Outlets", list(outlet_opts), key="tl_outlets", placeholder="any outlet",
                                 format_func=lambda o: ui.display(outlet_opts[o]))
        rejected = st.toggle("Show rejected facts", key="tl_rejected",
                             help="Facts a curator rejected are hidden; shown, they say so, struck through.")
    st.session_state["_tl_saved"] = {k: st.session_state.get(k) for k in FILTER_KEYS}

    filters: dict[str, Any] = {"actors": tuple(chosen_actors), "kinds": tuple(kinds), "since": since, "until": until,
               "min_reliability": float(min_rel) if min_rel else None, "outlets": tuple(outlets),
               "fact_types": tuple(types), "include_rejected": rejected}
    if st.session_state.get("_tl_pages_for") != repr(filters):  # other filters: the first page again
        st.session_state[PAGES], st.session_state["_tl_pages_for"] = 1, repr(filters)
    last_page: dict[str, Any] = {"next": None, "total": None}
    if asof is None:
        facts, last_page = data.pages(lambda after: data.timeline_page(graph, **filters, after=after),
                                 int(st.session_state[PAGES]))
    else:
        facts = as_of_facts(graph, asof, tuple(types))
    facts = [ui.mark_rejected(f) for f in facts]
    dated, no_year, undated = charts.split_dated(facts)
    dated, earlier = charts.focus(dated)

    if last_page.get("next"):
        total = f" of {last_page['total']}" if last_page.get("total") is not None else ""
        st.info(f"Showing the first {len(facts)}{total} facts in date order: “More facts” (below the chart) reads "
                "the next page; narrowing the filters shows the rest sooner.")
    st.caption(f"{len(facts)} facts: {len(dated)} on the chart, {len(no_year)} with no year given, "
               f"{len(undated)} undated" + (f", {len(earlier)} long before the rest" if earlier else "")
               + ". A point is an exact day; a bar spans a month, a year or a range. "
               "Colour is the fact type; stronger colour and larger points mean higher reliability; "
               f"{charts.negated_words()} are actions a government decided against. Click an item for its detail.")
    st.page_link(ui.STORY, label="Read these facts as a story (TimelineJS slides)", icon=":material/auto_stories:",
                 query_params={k: v for k, v in {"actor": [actor_opts[a]["name"] for a in chosen_actors],
                                                 "type": list(types), "kind": list(kinds), "since": since,
                                                 "until": until, "min": str(min_rel) if min_rel else None,
                                                 "outlet": list(outlets)}.items() if v})
    selected_from_chart: str | None = None
    if dated:
        selected_from_chart = charts.draw_timeline(dated, key="tl_chart")
        _chart_list(dated)
    elif not facts:
        st.info("No facts match these filters." if any(
            (chosen_actors, kinds, types, outlets, min_rel, since)) else "The graph has no facts yet: ingest "
            "some articles (`kg ingest data/samples/articles.jsonl` or the Ingest page).")
    if no_year or undated or earlier:
        _off_axis_strip(no_year, undated, earlier)
    if last_page.get("next") and st.button("More facts", key="tl_more", icon=":material/expand_more:",
                                           help=f"The next {len(last_page['items'])} facts in date order"):
        st.session_state[PAGES] = int(st.session_state[PAGES]) + 1
        st.rerun()

    ids = [f["id"] for f in facts]
    by_id = {f["id"]: f for f in facts}
    if "tl_fact" not in st.session_state:
        st.session_state["tl_fact"] = ui.qp_one("fact")
    if selected_from_chart and selected_from_chart != st.session_state.get("_tl_last_chart"):
        st.session_state["tl_fact"] = selected_from_chart
    st.session_state["_tl_last_chart"] = selected_from_chart
    if st.session_state.get("tl_fact") not in by_id:
        st.session_state["tl_fact"] = None
    chosen = st.selectbox("Fact detail", ids, key="tl_fact", format_func=lambda i: ui.fact_label(by_id[i]),
                          placeholder="click an item on the chart, or pick a fact here")

    ui.qp_set(
        actor=[actor_opts[a]["name"] for a in chosen_actors], type=list(types), kind=list(kinds),
        since=since, until=until, min=str(min_rel) if min_rel else None, outlet=list(outlets), fact=chosen,
        asof=asof,
    )
    if chosen:
        found = data.trace(graph, chosen)
        if found is None:
            st.warning("That fact is no longer in the graph.")
        else:
            with st.container(border=True):
                ui.fact_detail(found, key="tl")


ui.guard(render)
