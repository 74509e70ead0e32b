"""Conflicts: reports of one fact that cannot both be right, side by side: the two values, the source and
sentence on each side, and how reliable each is. Deep link: ?fact=FACT_ID shows one fact's conflicts."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import data, ui
from app.words import attribution_word


def _side(col: Any, label: str, value: str, e: dict[str, Any], priors: dict[str, float | None]) -> None:
    with col, st.container(border=True):
        st.markdown(f"**{label}: {ui.md(value)}**")
        outlet = e.get("outlet") or "unknown outlet"
        prior = priors.get(outlet)
        st.markdown(f"{ui.md(outlet)} · {ui.md(e.get('published') or 'date unknown')} · "
                    f"{ui.md(e.get('title') or e.get('doc_id') or '')}")
        st.markdown(ui.mark(e.get("sentence") or ""))
        bits = [f"outlet prior {prior:.0f}" if prior is not None else "outlet prior: default (unknown outlet)",
                f"attribution: {attribution_word(e.get('attribution_kind'))}"
                + (f" ({', '.join(e['attributions'])})" if e.get("attributions") else ""),
                "hedging: " + (", ".join(e.get("hedges") or []) or "none")]
        if e.get("date_value"):
            bits.append(f"date as reported: {e['date_value']}")
        st.caption(ui.md(" · ".join(bits)))
        if e.get("doc_id"):
            st.page_link(ui.SOURCES, label="Article view", icon=":material/article:",
                         query_params={"article": e["doc_id"]})


def render() -> None:
    graph = data.get_graph()
    st.title("Conflicts")
    fact_id = ui.qp_one("fact")
    last: dict[str, Any] = {"next": None}
    if fact_id:
        items = data.conflicts(graph, fact_id)
    else:  # the list a page at a time (kg.queries.conflicts_page), "More conflicts" adds one
        items, last = data.pages(lambda after: data.conflicts_page(graph, after=after),
                                 int(st.session_state.get("cf_pages", 1)))
    priors = {o["name"]: o.get("prior") for o in data.publishing_outlets(graph)}
    if fact_id:
        st.caption("Conflicts of one fact. ")
        if st.button("Show all conflicts"):
            ui.qp_set(fact=None)
            st.rerun()
    fields = sorted({c["field"] for c in items})
    chosen = st.multiselect("Fields", fields, placeholder="all fields (dates, figures)") if len(fields) > 1 else []
    shown = [c for c in items if not chosen or c["field"] in chosen]
    st.caption(f"{len(shown)} conflict(s) across {len({c['fact_id'] for c in shown})} fact(s)"
               + (": the first ones, in fact order; “More conflicts” below reads the next." if last.get("next")
                  else "."))
    if not shown:
        st.info("No conflicts: where several sources report a fact, they agree at the precision they state.")
    for c in shown:
        with st.container(border=True):
            rel = c.get("fact_reliability")
            st.subheader(ui.md(c.get("fact_title") or c["fact_id"]))
            st.markdown(f"**{ui.md(c['field'])}** — {ui.md(c.get('note') or '')} · fact reliability "
                        f"**{ui.reliability_text(rel)}**")
            left, right = st.columns(2)
            _side(left, "Side A", c["value_a"], c["a"], priors)
            _side(right, "Side B", c["value_b"], c["b"], priors)
            st.page_link(ui.TRACE, label="Open the claim trace", icon=":material/manage_search:",
                         query_params={"fact": c["fact_id"]})
    if last.get("next") and st.button("More conflicts", key="cf_more", icon=":material/expand_more:"):
        st.session_state["cf_pages"] = int(st.session_state.get("cf_pages", 1)) + 1
        st.rerun()


ui.guard(render)
