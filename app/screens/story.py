"""Story: the timeline's facts as TimelineJS slides (one per fact with a year: headline, date at its precision,
the sentences behind it and where they were published), drawn from the project's own TimelineJS export.

Deep link: the timeline's filters, ?actor=NAME (repeatable) &type=Allegation &kind=... &since=YYYY-MM-DD
&until=... &min=60 &outlet=...; the timeline page links here with its current filters."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import streamlit as st

from app import charts, data, story, ui
from kg import queries
from ontology.models import FACT_LABELS


def _filters(actor_opts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The timeline's filters as the link gives them (unknown values dropped)."""
    lookup: dict[str, str] = {}
    for actor_id, a in actor_opts.items():
        for name in [actor_id, a["name"], *(a.get("aliases") or [])]:
            lookup.setdefault(name.lower(), actor_id)
    try:
        min_rel = max(0, min(100, int(float(ui.qp_one("min") or 0))))
    except ValueError:
        min_rel = 0
    return {"actors": tuple(dict.fromkeys(lookup[n.lower()] for n in ui.qp_all("actor") if n.lower() in lookup)),
            "fact_types": tuple(t for t in ui.qp_all("type") if t in {lbl.value for lbl in FACT_LABELS}),
            "kinds": tuple(ui.qp_all("kind")), "outlets": tuple(ui.qp_all("outlet")),
            "since": ui.qp_one("since"), "until": ui.qp_one("until"),
            "min_reliability": float(min_rel) if min_rel else None}


def render() -> None:
    st.title("Story")
    graph = data.get_graph()
    actor_opts = {a["id"]: a for a in data.actors(graph)}
    wanted = _filters(actor_opts)
    if "story_actors" not in st.session_state:
        st.session_state["story_actors"] = list(wanted["actors"])
        st.session_state["story_types"] = list(wanted["fact_types"])
    c1, c2 = st.columns([3, 2])
    chosen = c1.multiselect(
        "Actors", list(actor_opts), key="story_actors", placeholder="any actor (type a name or alias)",
        format_func=lambda i: ui.display(actor_opts[i]["name"]))
    types = c2.multiselect("Fact types", [lbl.value for lbl in FACT_LABELS], key="story_types",
                           placeholder="all types", format_func=lambda t: charts.LANE_NAMES.get(t, t))
    ui.qp_set(actor=[actor_opts[a]["name"] for a in chosen if a in actor_opts], type=list(types))
    parts = [", ".join(actor_opts[a]["name"] for a in chosen) if chosen else "",
             ", ".join(charts.LANE_NAMES.get(t, t) for t in types)]
    filters = {"actors": tuple(chosen), "kinds": wanted["kinds"], "since": wanted["since"], "until": wanted["until"],
               "min_reliability": wanted["min_reliability"], "outlets": wanted["outlets"], "fact_types": tuple(types)}
    for key in ("since", "until"):
        if filters[key] and not _is_date(filters[key]):
            st.warning(f"The link's {key} date is not YYYY-MM-DD; it is ignored.")
            filters[key] = None
    doc = data.story(graph, **filters, subtitle="; ".join(p for p in parts if p) or None)
    n_slides = len(doc["events"])
    if not n_slides:
        st.info("No dated facts match these filters." if chosen or types else "The graph has no dated facts yet.")
        return
    st.caption(f"{n_slides} slide(s), one per fact with a year, in date order; the facts without a year have "
               "none (the timeline lists them in their own strip). Use the arrows or the time bar; the sentences "
               "behind each fact are on its slide.")
    story.draw(doc)
    with st.expander(f"The slides as a list ({n_slides})"):
        for s in doc["events"]:
            st.markdown(f"- {ui.md(s['display_date'])} · **{ui.md(html.unescape(s['text']['headline']))}** · "
                        f"{ui.md(s['group'])}")
    st.page_link(ui.TIMELINE, label="The same facts on the timeline", icon=":material/timeline:",
                 query_params={k: st.query_params.get_all(k) for k in st.query_params})
    st.caption(f"At most {queries.STORY_LIMIT} slides; TimelineJS by Knight Lab (MPL-2.0), served with the app.")


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


ui.guard(render)
