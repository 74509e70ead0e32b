"""Sources: how far each outlet is trusted (its prior), how much it reports, how much of that others
corroborate, and how reliable its facts are on average; then its articles, and one article in full.
Deep links: ?outlet=OUTLET_ID (or ?outlet=unknown) and ?article=DOC_ID."""

from __future__ import annotations

from html import escape
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from app import data, ui
from app.charts import OKABE_ITO
from app.views import article_view

UNKNOWN = "unknown"


def _chart(rows: list[dict[str, Any]]) -> go.Figure:
    # Plotly reads a little HTML in labels, and outlet names are data: escaped, and cut to fit under a bar
    shown = [ui.display(r["name"]) for r in rows]
    names = [escape(n if len(n) <= 26 else n[:25] + "…", quote=False) for n in shown]
    most = max([int(r.get("articles") or 0) for r in rows] + [1])
    fig = go.Figure()
    fig.add_trace(go.Bar(name="prior (0-100)", x=names, y=[r.get("prior") for r in rows],
                         marker_color=OKABE_ITO["blue"]))
    fig.add_trace(go.Bar(name="average reliability of its facts", x=names,
                         y=[r.get("avg_reliability") for r in rows], marker_color=OKABE_ITO["bluish_green"]))
    fig.add_trace(go.Bar(name="corroborated share (%)", x=names,
                         y=[(r["corroborated_share"] * 100) if r.get("corroborated_share") is not None else None
                            for r in rows], marker_color=OKABE_ITO["orange"]))
    fig.add_trace(go.Scatter(name="articles", x=names, y=[r.get("articles") for r in rows], yaxis="y2",
                             mode="markers", marker={"symbol": "diamond", "size": 11, "color": OKABE_ITO["black"]}))
    fig.update_layout(barmode="group", height=380, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      yaxis={"title": "score / %", "range": [0, 100]},
                      yaxis2={"title": "articles", "overlaying": "y", "side": "right", "rangemode": "tozero",
                              "showgrid": False, "tickformat": ",d",
                              "dtick": max(1, most // 5), "range": [0, most * 1.15]},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
    return fig


def render() -> None:
    graph = data.get_graph()
    st.title("Sources")
    rows = data.sources(graph)
    if not rows:
        st.info("No outlets yet: ingest some articles.")
    else:
        st.plotly_chart(_chart(rows), key="sources_chart", config={"displaylogo": False})
        st.dataframe(
            ui.display_rows({"outlet": r["name"], "kind": r.get("kind"), "registered": r.get("known"),
                             "prior": r.get("prior"), "articles": r.get("articles"),
                             "cited by others": r.get("citations"), "facts": r.get("facts"),
                             "corroborated": r.get("corroborated_share"), "avg reliability": r.get("avg_reliability"),
                             "why this prior": r.get("prior_note")} for r in rows),
            hide_index=True, width="stretch",
            column_config={
                "prior": st.column_config.NumberColumn(format="%.0f"),
                "corroborated": st.column_config.ProgressColumn(
                    format="percent", min_value=0.0, max_value=1.0,
                    help="share of its facts that another article also reports"),
                "avg reliability": st.column_config.NumberColumn(format="%.0f"),
            })

    st.subheader("Articles by outlet")
    options = {r["id"]: ui.display(f"{r['name']} ({r.get('articles') or 0} articles)") for r in rows
               if r.get("articles")}
    options[UNKNOWN] = "Unknown outlet (articles with no publisher)"
    wanted = ui.qp_one("outlet")
    previous = st.session_state.get("_src_url")
    if wanted and wanted != previous and wanted in options:
        st.session_state["src_outlet"] = wanted
    if st.session_state.get("src_outlet") not in options:
        st.session_state["src_outlet"] = next(iter(options))
    outlet = st.selectbox("Outlet", list(options), key="src_outlet", format_func=lambda o: options[o],
                          on_change=lambda: st.session_state.update(_src_changed=True))
    st.session_state["_src_url"] = outlet
    articles = data.outlet_articles(graph, None if outlet == UNKNOWN else outlet)
    # an article named in the link stays open until the reader picks another outlet
    picked_article = None if st.session_state.pop("_src_changed", False) else ui.qp_one("article")
    if articles:
        event = st.dataframe(
            ui.display_rows({"published": a.get("published"), "title": a.get("title") or a.get("doc_id"),
                             "doc_id": a.get("doc_id"), "sentences": a.get("evidence"), "facts": a.get("facts"),
                             "corroborated": a.get("corroborated_share"), "avg reliability": a.get("avg_reliability")}
                            for a in articles),
            hide_index=True, width="stretch", key=f"src_articles_{outlet}", on_select="rerun",
            selection_mode="single-row",
            column_config={"corroborated": st.column_config.ProgressColumn(format="percent", min_value=0.0,
                                                                           max_value=1.0),
                           "avg reliability": st.column_config.NumberColumn(format="%.0f")})
        selected_rows = list(getattr(getattr(event, "selection", None), "rows", None) or [])
        if selected_rows:
            picked_article = articles[selected_rows[0]].get("doc_id") or articles[selected_rows[0]]["id"]
        st.caption("Select a row to read the article.")
    else:
        st.caption("No articles.")
    ui.qp_set(outlet=outlet, article=picked_article)
    if picked_article:
        st.subheader("Article")
        article_view(graph, picked_article)


ui.guard(render)
