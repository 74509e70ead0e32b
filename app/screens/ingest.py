"""Ingest: upload an article (.txt, .html or .jsonl), run the same ingestion as `kg ingest`, then show
what was extracted from it. Caches are cleared afterwards so every page sees the new facts. New articles
only: one already in the graph (same doc_id or URL, other text) is refused by name, never replaced. Beyond
loopback, uploading needs the curator token (app/access.py); with none configured the page is read-only."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import data, ui
from app.access import write_access
from app.upload import SUFFIXES, ingest_upload, pipeline_problem
from app.views import article_view
from kg.errors import KGError


def render() -> None:
    graph = data.get_graph()
    st.title("Ingest an article")
    st.caption("Upload a .txt (its file name becomes the doc_id), an .html page, or a .jsonl file with one "
               "article per line (doc_id, text, and optionally title, outlet, published, url). The same "
               "extraction as `kg ingest` runs; re-uploading an unchanged article changes nothing. Articles are only "
               "added: one already in the graph (same doc_id or URL) cannot be replaced from here.")
    access = write_access(st.session_state.get("curator_token"))
    if access.needs_token:
        st.text_input("Curator token", type="password", key="curator_token",
                      help="This app listens beyond this machine: uploading needs the curator token.")
    if not access.can_write:
        st.info(ui.md(access.reason))
    problem = pipeline_problem()
    if problem:
        st.warning(ui.md(problem))
    upload = st.file_uploader("Article file", type=list(SUFFIXES), key="ingest_file", disabled=not access.can_write)
    go = st.button("Ingest", type="primary", disabled=upload is None or problem is not None or not access.can_write,
                   key="ingest_go")
    if go and upload is not None:
        with st.spinner("Extracting and writing…"):
            try:
                fresh = ingest_upload(upload.name, upload.getvalue(), graph=graph)
            except ImportError as exc:
                st.error(ui.md(f"The extraction pipeline cannot be loaded: {exc}"))
                return
            except KGError:
                raise  # the page guard shows it
            except Exception as exc:  # the extractor failing on this file must not end the session
                st.error(ui.md(f"The ingest failed: {type(exc).__name__}: {exc}"))
                return
        data.clear_caches()
        st.session_state["ingest_outcome"] = fresh
    outcome: dict[str, Any] | None = st.session_state.get("ingest_outcome")
    if not outcome:
        return
    for message in outcome.get("refused") or []:
        st.error(ui.md(message))
    (st.success if not outcome["failed"] else st.warning)(ui.md(outcome["line"]))
    for doc, reason in outcome["failures"]:
        st.error(ui.md(f"{doc}: {reason}"))
    if outcome["errors"].strip():
        with st.expander("Reader and extractor messages"):
            st.code(outcome["errors"], language=None, wrap_lines=True)
    for doc_id in outcome["doc_ids"][:20]:
        article_view(graph, doc_id)
    if len(outcome["doc_ids"]) > 20:
        st.caption(f"…and {len(outcome['doc_ids']) - 20} more articles (see Sources).")


ui.guard(render)
