"""The app's entrypoint (`kg app`): page setup, navigation, and the search box every page shares."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run app/main.py` puts app/ on sys.path, not the repository: make `import app...` work.
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from app import data, ui  # noqa: E402
from kg.errors import GraphUnavailable, KGError  # noqa: E402

st.set_page_config(page_title="AI geopolitics timeline", page_icon="🧭", layout="wide")

PAGES = [
    st.Page(ui.TIMELINE, title="Timeline", icon=":material/timeline:", default=True),
    st.Page(ui.STORY, title="Story", icon=":material/auto_stories:"),
    st.Page(ui.ACTOR, title="Actor", icon=":material/person:"),
    st.Page(ui.TRACE, title="Claim trace", icon=":material/manage_search:"),
    st.Page(ui.CONFLICTS, title="Conflicts", icon=":material/compare_arrows:"),
    st.Page(ui.SOURCES, title="Sources", icon=":material/newspaper:"),
    st.Page(ui.CYPHER, title="Cypher console", icon=":material/terminal:"),
    st.Page(ui.INGEST, title="Ingest", icon=":material/upload_file:"),
    st.Page(ui.CURATE, title="Curate", icon=":material/fact_check:"),
    st.Page(ui.WATCHLISTS, title="Watchlists", icon=":material/notifications:"),
]
page = st.navigation(PAGES)


def search_box() -> None:
    """Actor names and aliases, and text in evidence sentences; results link to the actor or the trace."""
    with st.sidebar:
        text = st.text_input("Search", key="global_search", placeholder="actor, alias or words in a sentence",
                             help="Finds actors by name or alias, and facts by the words of their sentences.")
        text = text.strip()
        if not text:
            return
        graph = data.get_graph()
        found = data.actors(graph, text.lower(), limit=8)
        hits = data.search_evidence(graph, text, limit=8)
        if not found and not hits:
            st.caption("Nothing found.")
        for a in found:
            aliases = f" ({', '.join(a['aliases'][:3])})" if a.get("aliases") else ""
            st.page_link(ui.ACTOR, label=ui.md(a["name"] + aliases), icon=":material/person:",
                         query_params={"actor": a["name"]})
        for h in hits:
            sentence = h["sentence"] if len(h["sentence"]) < 110 else h["sentence"][:107] + "…"
            st.page_link(ui.TRACE, label=ui.md(sentence), icon=":material/format_quote:",
                         query_params={"fact": h["fact_id"]})
        st.divider()


try:
    data.note_version(data.get_graph())  # what this run reads: the graph as of its current version
except GraphUnavailable as exc:
    st.error(f"The graph server is unavailable: {ui.md(exc)}. Start it with `kg server start`, then reload this "
             "page.")
    st.stop()
except KGError as exc:
    st.error(ui.md(exc))
    st.stop()

ui.guard(search_box)
page.run()
