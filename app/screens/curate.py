"""Curate: people fix the graph. The suggestion queue (accept, not the same, unsure, each with a note), any actor
merged or split, a fact rejected or confirmed, and the log of decisions, each one undoable. Every decision is a
judgement recorded with the curator's name (kg/curation.py) and applied on every later write too. Writing needs
a curator name, and beyond loopback the curator token (app/access.py)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app import data, ui
from app.access import curator_form
from kg.curation import Curator, Outcome
from ontology.models import LINK_KINDS, JudgementKind
from ontology.vocabulary import vocabulary


def _do(action: Callable[..., Outcome], *args: object) -> None:
    outcome = action(*args)  # a KGError (a bad name, a blocked merge) is shown by the page guard
    data.clear_caches()
    st.session_state["curate_outcome"] = outcome.line()
    st.rerun()


def render() -> None:
    graph = data.get_graph()
    st.title("Curate")
    st.caption("Merge actors extraction split in two, keep apart those it should not join, reject facts that are "
               "false or wrongly extracted, confirm those you checked. Every decision is recorded with your name "
               "and can be undone; re-ingesting articles keeps it.")
    access, curator = curator_form("curate")
    can = access.can_write
    cur = Curator(graph)
    if st.session_state.get("curate_outcome"):
        st.success(ui.md(st.session_state.pop("curate_outcome")))

    st.subheader("Suggested merges")
    note = st.text_input("Note for the decision", key="curate_note", placeholder="why (kept with the judgement)")
    queue = data.suggestions(graph, 20)
    if not queue:
        st.caption("No candidate merges.")
    for i, s in enumerate(queue):
        left, accept, apart, unsure = st.columns([6, 1, 1, 1])
        left.markdown(ui.md(f"{s['b_name']} → {s['a_name']}") + f"  \n*{ui.md('; '.join(s['reasons']))}* "
                      f"(score {s['score']:.0f})")
        if accept.button("Merge", key=f"sugg_accept_{i}", disabled=not can):
            _do(cur.merge, s["a"], s["b"], curator, note)
        if apart.button("Not same", key=f"sugg_apart_{i}", disabled=not can):
            _do(cur.judge_actors, JudgementKind.not_same, s["a"], s["b"], curator, note)
        if unsure.button("Unsure", key=f"sugg_unsure_{i}", disabled=not can):
            _do(cur.judge_actors, JudgementKind.unsure, s["a"], s["b"], curator, note)

    st.subheader("Merge or split an actor")
    names = [a["name"] for a in data.actors(graph)]
    keep = st.selectbox("Actor", names, index=None, key="curate_actor", placeholder="search an actor")
    other = st.selectbox("Merge this actor into it", names, index=None, key="curate_other",
                         placeholder="the duplicate")
    merge_col, split_col = st.columns(2)
    if merge_col.button("Merge", key="curate_merge", disabled=not can or not keep or not other):
        _do(cur.merge, str(keep), str(other), curator, note)
    if split_col.button("Split", key="curate_split", disabled=not can or not keep,
                        help="Undo every merge of this actor: each actor stands alone again."):
        _do(cur.split, str(keep), curator)

    st.subheader("Reject or confirm a fact")
    fact_id = st.text_input("Fact id", value=ui.qp_one("fact") or "", key="curate_fact",
                            help="The claim trace links here with its fact filled in.")
    if fact_id.strip():
        found = data.trace(graph, fact_id.strip())
        if found is None:
            st.warning(ui.md(f"No fact {fact_id.strip()!r}."))
        else:
            verdict = found["fact"].get("verdict")
            st.markdown(ui.md(found["fact"].get("title") or fact_id)
                        + (f" — *{ui.md(vocabulary.words(verdict, 'JudgementKind'))}*" if verdict else ""))
            reject_col, confirm_col = st.columns(2)
            if reject_col.button("Reject", key="curate_reject", disabled=not can):
                _do(cur.reject, fact_id.strip(), curator, note)
            if confirm_col.button("Confirm", key="curate_confirm", disabled=not can):
                _do(cur.confirm, fact_id.strip(), curator, note)

    st.subheader("Link two facts")
    st.caption("What followed an allegation: the investigation or action it led to, the denial or counter-move "
               "responding to it. Links extraction derived from one article can be taken back here too.")
    link_from = st.text_input("From fact id", key="curate_link_a", placeholder="the allegation, or the response")
    link_to = st.text_input("To fact id", key="curate_link_b", placeholder="what it led to, or what it answers")
    link_kind = st.radio("Link", list(LINK_KINDS), key="curate_link_kind", horizontal=True,
                         format_func=lambda k: vocabulary.words(k.value, "JudgementKind"))
    ready = can and bool(link_from.strip()) and bool(link_to.strip())
    link_col, unlink_col = st.columns(2)
    if link_col.button("Link", key="curate_link", disabled=not ready):
        _do(cur.link, link_from.strip(), link_to.strip(), link_kind, curator, note)
    if unlink_col.button("Take the link back", key="curate_unlink", disabled=not ready):
        _do(cur.unlink, link_from.strip(), link_to.strip(), curator, link_kind, note)

    st.subheader("Decisions")
    log = data.judgements(graph)
    if not log:
        st.caption("No decisions yet.")
    for j in log[:200]:
        text, undo = st.columns([8, 1])
        undone = j.get("deleted_at")
        state = f" — undone {undone[:16].replace('T', ' ')} by {j['deleted_by']}" if undone else ""
        text.markdown(ui.md(f"{j['created_at'][:16].replace('T', ' ')} {j['curator']}: {j['summary']}"
                            + (f" “{j['note']}”" if j.get("note") else "") + state))
        if not j.get("deleted_at") and undo.button("Undo", key=f"undo_{j['id']}", disabled=not can):
            _do(cur.undo, j["id"], curator)


ui.guard(render)
