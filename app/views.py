"""Views shown on more than one page."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import data, ui
from app.words import type_word


def article_view(graph: Any, key: str) -> None:
    view = data.article(graph, key)
    if view is None:
        st.warning(f"No article “{ui.md(key)}”.")
        return
    with st.container(border=True):
        st.subheader(ui.md(view.get("title") or view.get("doc_id") or view["id"]))
        meta = [view.get("outlet") or "unknown outlet", view.get("published") or "date unknown",
                f"doc_id {view.get('doc_id')}"]
        st.caption(ui.md(" · ".join(meta)))
        url = ui.safe_url(view.get("url"))
        if url:
            st.link_button("Open the original", url)
        elif view.get("url"):
            st.caption("Original address (not a web link): " + ui.md(view["url"]))
        facts = view.get("facts") or []
        st.markdown(f"**Facts extracted** ({len(facts)})")
        if facts:
            st.dataframe(
                ui.display_rows({"date": f.get("date_display"), "what": f.get("title"),
                                 "type": type_word(f.get("fact_type")),
                                 "reliability": f.get("reliability"), "trace": f"trace?fact={f['id']}"}
                                for f in facts),
                hide_index=True, width="stretch",
                column_config={"reliability": st.column_config.NumberColumn(format="%.0f"),
                               "trace": st.column_config.LinkColumn(display_text="open trace")})
        actors = view.get("actors") or []
        if actors:
            st.markdown("**Actors mentioned**  \n" + ui.md(", ".join(a["name"] for a in actors)))
        st.markdown("**Text** (the sentences behind facts are highlighted)")
        spans = [(s["start"], s["end"]) for s in view.get("spans") or []]
        st.markdown(ui.highlight_spans(view.get("text") or "", spans))
