"""Cypher console for researchers: read-only (the query layer refuses writes, rolls back everything, and
enforces a timeout and a row limit), with example queries, parameters as JSON, and results as a table
and, when nodes come back, as a graph. Deep link: ?q=QUERY&p=PARAMS_JSON fills the editor; the query runs
only when the visitor presses Run query, so a link or a page on another site cannot run one (issue 13).
The timeout and row limit can be lowered by the visitor but never raised above the server's settings
(KG_QUERY_TIMEOUT, KG_QUERY_ROW_LIMIT): a visitor must not be able to keep the graph server busy longer."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from app import data, graphs, ui
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


MIN_TIMEOUT_S = 0.5


def caps() -> tuple[float, int]:
    """The most a visitor may ask for: (timeout in seconds, rows). Read from the settings, i.e. by whoever runs
    the server; a server-side cap, when kg.settings has one, lowers them further."""
    settings = get_settings()
    timeout = float(settings.query_timeout_s)
    rows = int(settings.query_row_limit)
    server_timeout = getattr(settings, "query_timeout_max_s", None)  # a hard cap, if kg.settings defines one
    server_rows = getattr(settings, "query_row_limit_max", None)
    if isinstance(server_timeout, int | float) and server_timeout > 0:
        timeout = min(timeout, float(server_timeout))
    if isinstance(server_rows, int) and server_rows > 0:
        rows = min(rows, server_rows)
    return max(timeout, MIN_TIMEOUT_S), max(rows, 1)


def _clamp_limits() -> None:
    """Widget values come from the browser: anything above the caps (or below the minimums) is brought back
    into range before the widgets are drawn, and again before a query runs."""
    max_timeout, max_rows = caps()
    for key, low, high, cast in (("cy_timeout", MIN_TIMEOUT_S, max_timeout, float), ("cy_rows", 1, max_rows, int)):
        value = st.session_state.get(key)
        if value is None:
            continue
        try:
            clamped = cast(min(max(cast(value), low), high))
        except (TypeError, ValueError):
            del st.session_state[key]
            continue
        if clamped != value:  # only then: setting a widget's state on every run makes Streamlit warn
            st.session_state[key] = clamped


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(ui.display_value(value), ensure_ascii=False, default=str)
    return ui.display_value(value)


def _use_example() -> None:
    name = st.session_state.get("cy_example")
    if name in EXAMPLES:
        query, params = EXAMPLES[name]
        st.session_state["cy_query"] = query
        st.session_state["cy_params"] = params.replace("$ACTOR", st.session_state.get("_cy_actor", ""))


def _run(query: str, params_text: str, row_limit: int, timeout_s: float) -> None:
    max_timeout, max_rows = caps()
    row_limit = min(max(int(row_limit), 1), max_rows)  # again here: the caps hold whatever the widgets said
    timeout_s = min(max(float(timeout_s), MIN_TIMEOUT_S), max_timeout)
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
    max_timeout, max_rows = caps()
    st.title("Cypher console")
    st.caption("Read-only: write and administration clauses are refused, every transaction is rolled back, "
               f"and queries stop after the timeout and row limit (at most {max_timeout:g}s and {max_rows} rows, "
               "set by whoever runs the server).")
    top = data.actors(graph, limit=1)
    st.session_state["_cy_actor"] = top[0]["name"] if top else "Reuters"

    url_query = ui.qp_one("q")
    if "cy_query" not in st.session_state:
        # A link only fills the editor: running it on opening let any page (a hidden iframe, a link) run
        # queries in the visitor's name.
        st.session_state["cy_query"] = url_query or EXAMPLES["Who accused whom (as a graph)"][0]
        st.session_state["cy_params"] = ui.qp_one("p") or "{}"
        st.session_state["_cy_from_link"] = bool(url_query)
    _clamp_limits()

    st.selectbox("Examples", list(EXAMPLES), index=None, key="cy_example", on_change=_use_example,
                 placeholder="load an example query")
    query = st.text_area("Query", key="cy_query", height=170)
    c1, c2, c3 = st.columns([4, 1, 1])
    params_text = c1.text_area("Parameters (JSON)", key="cy_params", height=68)
    row_limit = int(c2.number_input("Row limit", 1, max_rows, max_rows, key="cy_rows",
                                    help=f"At most {max_rows} (KG_QUERY_ROW_LIMIT on the server)."))
    timeout_s = float(c3.number_input("Timeout (s)", MIN_TIMEOUT_S, max_timeout, max_timeout, key="cy_timeout",
                                      help=f"At most {max_timeout:g} s (KG_QUERY_TIMEOUT on the server)."))
    # (the button's state is known before it is drawn: no note in the run its click starts)
    if st.session_state.get("_cy_from_link") and not st.session_state.get("cy_run"):
        st.info("This query came with the link you opened and has not run. Read it, then press Run query.")
    clicked = st.button("Run query", type="primary", key="cy_run", icon=":material/play_arrow:")
    if clicked:
        st.session_state["_cy_from_link"] = False
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
            drawing = graphs.results(nodes, result.get("relationships") or [])
            st.caption("Click an actor, a fact or an article to open its page.")
            graphs.draw(drawing, key=f"cy-graph-{result.get('elapsed_ms')}-{len(nodes)}", console=True)
            graphs.fallback(drawing, "The nodes as a table")
        else:
            st.caption("No nodes in the result: return nodes, relationships or paths to see a graph.")
    with tabs[2]:
        st.json(ui.display_value(rows[:200]), expanded=False)


ui.guard(render)
