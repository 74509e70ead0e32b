"""Claim trace: for one fact, every article and sentence behind it, highlighted in context, with outlet,
publication date, attribution and hedging, and the reliability score with its explanation.
Deep link: ?fact=FACT_ID."""

from __future__ import annotations

import streamlit as st

from app import data, graphs, ui
from ontology.models import JudgementKind
from ontology.vocabulary import vocabulary


def render() -> None:
    graph = data.get_graph()
    st.title("Claim trace")
    facts = data.timeline(graph)
    by_id = {f["id"]: f for f in facts}
    wanted = ui.qp_one("fact")
    if wanted and wanted != st.session_state.get("_trace_url"):
        st.session_state["trace_pick"] = wanted
    pick = st.session_state.get("trace_pick")
    if pick and pick not in by_id:
        extra = data.trace(graph, pick)  # beyond the list's limit, or just ingested
        if extra is not None:
            by_id[pick] = extra["fact"]
        else:
            st.warning(f"No fact with id “{ui.md(pick)}”.")
            st.session_state["trace_pick"] = None
    if not by_id:
        st.info("The graph has no facts yet.")
        return
    st.session_state.setdefault("trace_pick", None)
    fact_id = st.selectbox("Fact", list(by_id), key="trace_pick", format_func=lambda i: ui.fact_label(by_id[i]),
                           placeholder="pick a fact (type to search)")
    ui.qp_set(fact=fact_id)
    st.session_state["_trace_url"] = fact_id
    if not fact_id:
        st.caption("Pick a fact, or open one from the timeline, an actor or the search box.")
        return
    found = data.trace(graph, fact_id)
    if found is None:
        st.warning("That fact is no longer in the graph.")
        return
    verdict = found["fact"].get("verdict")
    if verdict:
        note = f": {found['fact']['verdict_note']}" if found["fact"].get("verdict_note") else ""
        (st.error if verdict == JudgementKind.rejected else st.success)(ui.md(
            f"{vocabulary.words(verdict, 'JudgementKind')} ({found['fact'].get('verdict_by')}){note}"))

    def who_and_where() -> None:
        st.markdown("**Who and where, as a graph**")
        drawing = graphs.trace(found)
        st.caption("Click an actor to open its page, an article to read it with its sentences highlighted; "
                   "drag to move, scroll to zoom.")
        graphs.draw(drawing, key=f"trace-graph-{fact_id}", height=420)
        graphs.fallback(drawing, "The graph as a table")

    ui.fact_detail(found, key="trace", explain_open=True, trace_link=False, before_evidence=who_and_where)
    st.page_link(ui.CURATE, label="Reject or confirm this fact", icon=":material/fact_check:",
                 query_params={"fact": fact_id})


ui.guard(render)
