"""Researchers' Cypher, run read-only: a clause check, a READ session, a transaction that is always
rolled back (ArcadeDB does not enforce READ mode, so nothing a query does is ever committed), a row
limit, and a timeout enforced on our side too (ArcadeDB ignores the transaction timeout)."""

from __future__ import annotations

import re
import threading
import time
from typing import Any, LiteralString, cast

import neo4j
from neo4j.graph import Node, Path, Relationship
from pydantic import BaseModel, Field

from kg.db import Graph, translate_errors
from kg.errors import GraphUnavailable, KGError, QueryRefused

# Clauses and keywords that write, administer or reach outside the database.
FORBIDDEN = (
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH", "LOAD", "INSERT", "ALTER",
    "RENAME", "GRANT", "REVOKE", "DENY", "START", "STOP", "TERMINATE", "USE", "ENABLE", "DISABLE",
    "IMPORT", "EXPORT", "TRUNCATE", "UPSERT", "FINISH",
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.S)
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_BACKTICK = re.compile(r"`(?:[^`]|``)*`")


class QueryTimeout(KGError):
    """The query ran longer than the timeout."""


class CypherResult(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    nodes: list[dict[str, Any]] = Field(default_factory=list)
    relationships: list[dict[str, Any]] = Field(default_factory=list)
    truncated: bool = False
    elapsed_ms: float = 0.0


def _strip(query: str) -> str:
    """The query without comments, string literals and quoted names, so keywords cannot hide in them
    and harmless words inside strings do not trip the check."""
    out = _COMMENT.sub(" ", query)
    out = _STRING.sub("''", out)
    out = _BACKTICK.sub("`x`", out)
    return out


def check_read_only(query: str) -> None:
    """Raise QueryRefused when the query could write or administer; otherwise return quietly."""
    if not query.strip():
        raise QueryRefused("the query is empty")
    code = _strip(query)
    if "/*" in code:
        raise QueryRefused("the query has an unterminated /* comment")
    if ";" in code.rstrip().rstrip(";"):
        raise QueryRefused("one statement at a time, please (found ';')")
    words = [w.upper() for w in _WORD.findall(code)]
    for word in words:
        if word in FORBIDDEN:
            raise QueryRefused(f"read-only console: {word} is not allowed")
        if word in ("SHOW",):
            raise QueryRefused("read-only console: administration commands (SHOW ...) are not allowed")
    for match in re.finditer(r"\bCALL\b\s*(.)", code, re.I | re.S):
        if match.group(1) not in "{(":
            raise QueryRefused("read-only console: procedure calls (CALL name...) are not allowed")
    if re.search(r"\bapoc\.|\bdbms\.|\bdb\.|\bgds\.", code, re.I):
        raise QueryRefused("read-only console: procedures and functions of db.*, dbms.*, apoc.* are not allowed")


def _jsonable(value: Any, nodes: dict[str, dict[str, Any]], rels: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, Node):
        props = dict(value.items())
        key = str(props.get("id") or value.element_id)
        nodes[key] = {"id": key, "labels": sorted(value.labels), "properties": props}
        return {"labels": sorted(value.labels), **props}
    if isinstance(value, Relationship):
        start = value.start_node
        end = value.end_node
        for n in (start, end):
            if n is not None:
                _jsonable(n, nodes, rels)
        props = dict(value.items())
        key = value.element_id
        rels[key] = {
            "type": value.type,
            "start": str(start.get("id") or start.element_id) if start is not None else None,
            "end": str(end.get("id") or end.element_id) if end is not None else None,
            "properties": props,
        }
        return {"type": value.type, **props}
    if isinstance(value, Path):
        for r in value.relationships:
            _jsonable(r, nodes, rels)
        return [_jsonable(n, nodes, rels) for n in value.nodes]
    if isinstance(value, list):
        return [_jsonable(v, nodes, rels) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v, nodes, rels) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def run_read_only(
    graph: Graph, query: str, params: dict[str, Any] | None = None, timeout_s: float = 10.0, row_limit: int = 1000
) -> CypherResult:
    check_read_only(query)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            with graph.driver.session(database=graph.database, default_access_mode=neo4j.READ_ACCESS) as session:
                tx = session.begin_transaction(timeout=timeout_s)
                try:
                    result = tx.run(cast(LiteralString, query), params or {})
                    columns = list(result.keys())
                    nodes: dict[str, dict[str, Any]] = {}
                    rels: dict[str, dict[str, Any]] = {}
                    rows: list[dict[str, Any]] = []
                    truncated = False
                    for record in result:
                        if len(rows) >= row_limit:
                            truncated = True
                            break
                        rows.append({k: _jsonable(record[k], nodes, rels) for k in columns})
                    outcome["result"] = CypherResult(columns=columns, rows=rows, nodes=list(nodes.values()),
                                                     relationships=list(rels.values()), truncated=truncated)
                finally:
                    tx.rollback()  # never commit anything a researcher's query did
        except BaseException as exc:
            outcome["error"] = exc

    started = time.monotonic()
    worker = threading.Thread(target=work, daemon=True)
    with translate_errors(graph.where):
        worker.start()
        worker.join(timeout_s)
    if worker.is_alive():
        raise QueryTimeout(f"the query ran longer than {timeout_s:g}s and was abandoned")
    if "error" in outcome:
        exc = outcome["error"]
        if isinstance(exc, (KGError,)):
            raise exc
        if isinstance(exc, neo4j.exceptions.ServiceUnavailable | ConnectionError):
            raise GraphUnavailable(f"cannot reach the graph server at {graph.where}") from exc
        if isinstance(exc, neo4j.exceptions.Neo4jError):
            raise KGError(f"the query failed: {exc.message or exc}") from exc
        raise KGError(f"the query failed: {exc}") from exc
    result: CypherResult = outcome["result"]
    result.elapsed_ms = (time.monotonic() - started) * 1000
    return result
