"""Cypher console for researchers: read-only (the query layer refuses writes, rolls back everything, and
enforces a timeout and a row limit), with example queries, parameters as JSON, and results as a table
and, when nodes come back, as a graph. Deep link: ?q=QUERY&p=PARAMS_JSON (runs on opening)."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from app import charts, data, ui
from kg.errors import GraphUnavailable, KGError, QueryRefused
from kg.readonly import QueryTimeout
from kg.settings import get_settings

# Written against the graph model: (Fact)-[:ACCUSER|ACCUSED|ISSUER|TARGET|INVOLVES]->(Actor),
# (Fact)-[:HAS_EVIDENCE]->(Evidence)-[:REPORTED_IN]->(Article)-[:PUBLISHED_BY]->(Outlet),
# (Evidence)-[:CONFLICTS_WITH {field, value_a, value_b, fact_id}]->(Evidence).
EXAMPLES: dict[str, tuple[str, str]] = {
    "Timeline of an actor": (
        "MATCH (a:Actor)<-[r]-(f:Fact)\n"
        "WHERE a.name = $name OR $name IN a.aliases\n"
        "RETURN f.date_display AS date, f.fact_type AS type, f.kind AS kind, type(r) AS role,\n"
        "       f.title AS fact, f.reliability AS reliability\n"
        "ORDER BY f.date_start",
        '{"name": "$ACTOR"}',
    ),
    "Who accused whom (as a graph)": (
        "MATCH p = (accuser:Actor)<-[:ACCUSER]-(f:Allegation)-[:ACCUSED]->(accused:Actor)\n"
        "RETURN accuser.name AS accuser, f.kind AS kind, accused.name AS accused,\n"
        "       f.date_display AS date, f.reliability AS reliability, p\n"
        "ORDER BY f.reliability DESC\n"
        "LIMIT 100",
        "{}",
    ),
    "Facts with a single source": (
        "MATCH (f:Fact)-[:HAS_EVIDENCE]->(:Evidence)-[:REPORTED_IN]->(art:Article)\n"
        "WITH f, count(DISTINCT art) AS articles, collect(DISTINCT art.doc_id) AS docs\n"
        "WHERE articles = 1\n"
        "RETURN f.title AS fact, f.kind AS kind, f.date_display AS date, f.reliability AS reliability,\n"
        "       docs[0] AS only_source\n"
        "ORDER BY f.reliability DESC",
        "{}",
    ),
    "Conflicts between sources": (
        "MATCH (a:Evidence)-[c:CONFLICTS_WITH]->(b:Evidence)\n"
        "MATCH (f:Fact {id: c.fact_id})\n"
        "MATCH (a)-[:REPORTED_IN]->(art_a:Article)\n"
        "MATCH (b)-[:REPORTED_IN]->(art_b:Article)\n"
        "RETURN f.title AS fact, c.field AS field, c.value_a AS value_a, art_a.doc_id AS source_a,\n"
        "       c.value_b AS value_b, art_b.doc_id AS source_b",
        "{}",
    ),
    "Government actions and their targets": (
        "MATCH (f:GovernmentAction)-[:ISSUER]->(issuer:Actor)\n"
        "OPTIONAL MATCH (f)-[:TARGET]->(target:Actor)\n"
        "RETURN f.date_display AS date, issuer.name AS issuer, f.kind AS kind, f.negated AS negated,\n"
        "       collect(target.name) AS targets, f.reliability AS reliability\n"
        "ORDER BY f.date_start",
        "{}",
    ),
    "Outlets and what they published": (
        "MATCH (o:Outlet)<-[:PUBLISHED_BY]-(art:Article)\n"
        "RETURN o.name AS outlet, o.prior AS prior, count(art) AS articles\n"
        "ORDER BY articles DESC",
        "{}",
    ),
}


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _use_example() -> None:
    name = st.session_state.get("cy_example")
    if name in EXAMPLES:
        query, params = EXAMPLES[name]
        st.session_state["cy_query"] = query
        st.session_state["cy_params"] = params.replace("$ACTOR", st.session_state.get("_cy_actor", ""))


def _run(query: str, params_text: str, row_limit: int, timeout_s: float) -> None:
    st.session_state.pop("cy_result", None)
    st.session_state.pop("cy_error", None)
    try:
        params = json.loads(params_text or "{}")
    except json.JSONDecodeError as exc:
        st.session_state["cy_error"] = f"Parameters are not valid JSON: {exc}"
        return
    if not isinstance(params, dict):
        st.session_state["cy_error"] = 'Parameters must be a JSON object, e.g. {"name": "Reuters"}.'
        return
    try:
        st.session_state["cy_result"] = data.run_cypher(data.get_graph(), query, params, timeout_s=timeout_s,
                                                        row_limit=row_limit)
    except QueryRefused as exc:
        st.session_state["cy_error"] = f"Refused: {exc}. This console only reads; nothing was changed."
    except QueryTimeout as exc:
        st.session_state["cy_error"] = f"Timed out: {exc}."
    except GraphUnavailable:
        raise
    except KGError as exc:
        st.session_state["cy_error"] = str(exc)


def render() -> None:
    graph = data.get_graph()
    settings = get_settings()
    st.title("Cypher console")
    st.caption("Read-only: write and administration clauses are refused, every transaction is rolled back, "
               f"and queries stop after the timeout and row limit (defaults {settings.query_timeout_s:g}s, "
               f"{settings.query_row_limit} rows).")
    top = data.actors(graph, limit=1)
    st.session_state["_cy_actor"] = top[0]["name"] if top else "Reuters"

    url_query = ui.qp_one("q")
    if "cy_query" not in st.session_state:
        st.session_state["cy_query"] = url_query or EXAMPLES["Who accused whom (as a graph)"][0]
        st.session_state["cy_params"] = ui.qp_one("p") or "{}"
        if url_query:
            st.session_state["_cy_autorun"] = True

    st.selectbox("Examples", list(EXAMPLES), index=None, key="cy_example", on_change=_use_example,
                 placeholder="load an example query")
    query = st.text_area("Query", key="cy_query", height=170)
    c1, c2, c3 = st.columns([4, 1, 1])
    params_text = c1.text_area("Parameters (JSON)", key="cy_params", height=68)
    row_limit = int(c2.number_input("Row limit", 1, 100_000, settings.query_row_limit, key="cy_rows"))
    timeout_s = float(c3.number_input("Timeout (s)", 0.5, 300.0, float(settings.query_timeout_s), key="cy_timeout"))
    clicked = st.button("Run query", type="primary", key="cy_run", icon=":material/play_arrow:")
    if clicked or st.session_state.pop("_cy_autorun", False):
        _run(query, params_text, row_limit, timeout_s)
        ui.qp_set(q=query, p=params_text if params_text.strip() not in ("", "{}") else None)

    if st.session_state.get("cy_error"):
        st.error(ui.md(st.session_state["cy_error"]))  # messages can quote the query: shown as text
    result = st.session_state.get("cy_result")
    if not result:
        return
    rows = result.get("rows") or []
    st.caption(f"{len(rows)} row(s) in {result.get('elapsed_ms', 0):.0f} ms"
               + (" — truncated at the row limit" if result.get("truncated") else ""))
    if result.get("truncated"):
        st.warning(f"Only the first {len(rows)} rows are shown (row limit).")
    nodes = result.get("nodes") or []
    tabs = st.tabs(["Table", f"Graph ({len(nodes)} nodes)", "JSON"])
    with tabs[0]:
        if rows:
            st.dataframe([{k: _cell(r.get(k)) for k in result["columns"]} for r in rows], hide_index=True,
                         width="stretch")
        else:
            st.caption("No rows.")
    with tabs[1]:
        if nodes:
            if len(nodes) > 150:
                st.caption(f"Showing the first 150 of {len(nodes)} nodes.")
            st.graphviz_chart(charts.result_dot(nodes, result.get("relationships") or []),
                              width="stretch" if len(nodes) > 20 else "content")  # small graphs at their size
        else:
            st.caption("No nodes in the result: return nodes, relationships or paths to see a graph.")
    with tabs[2]:
        st.json(rows[:200], expanded=False)


ui.guard(render)
