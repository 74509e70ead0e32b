"""Researchers' Cypher, run read-only. Four layers, each enough on its own for the common case:

1. A clause check on a real tokenizer (strings, escapes, backtick names, comments, Unicode), so no keyword
   can hide in, or behind, something the check mistakes for a string or a comment.
2. The query runs as the server's read-only user (kg.server.READER_USER: read records of the one database,
   nothing else), so a write that slips past the check is refused by the server. On Neo4j: the reader
   user of the settings, or the main user in a READ session, which Neo4j enforces.
3. The transaction is always rolled back.
4. Limits: the timeout and row limit are clamped to the settings' caps; on the local server the reader
   group carries the caps (ArcadeDB times the user's transactions out itself), and a query the client
   gives up on is terminated on the server, not left running.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass
from typing import Any, LiteralString, cast

import neo4j
from neo4j.graph import Node, Path, Relationship
from pydantic import BaseModel, Field

from kg.db import PING_CYPHER, Graph
from kg.errors import GraphUnavailable, KGError, QueryRefused, ServerError

# Clauses and keywords that write, administer or reach outside the database.
FORBIDDEN = frozenset((
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH", "LOAD", "INSERT", "ALTER",
    "RENAME", "GRANT", "REVOKE", "DENY", "START", "STOP", "TERMINATE", "USE", "ENABLE", "DISABLE",
    "IMPORT", "EXPORT", "TRUNCATE", "UPSERT", "FINISH",
))
# Words the check looks at besides the forbidden ones.
_SPECIAL = frozenset(("SHOW", "CALL", "TRANSACTIONS"))
_PROCEDURE_NAMESPACES = frozenset(("apoc", "dbms", "db", "gds"))
# Everything the server might end a `//` comment at. Ending it at more characters than the server does
# only makes the check see more code (and refuse more), never less.
_LINE_ENDS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
_MAX_PARAM_DEPTH = 32


class QueryTimeout(KGError):
    """The query ran longer than the timeout."""


class CypherResult(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    nodes: list[dict[str, Any]] = Field(default_factory=list)
    relationships: list[dict[str, Any]] = Field(default_factory=list)
    truncated: bool = False
    elapsed_ms: float = 0.0


@dataclass(frozen=True)
class Token:
    kind: str  # word, name (backticked), string, param, number, punct
    text: str  # for words: NFKC-normalised, format characters dropped, upper-cased


def _word_char(ch: str) -> bool:
    # Letters, digits, marks, connectors (_) and format characters such as a zero-width space: a keyword
    # split by one is still read as the keyword. That errs on the safe side: the server either refuses
    # such a query or reads an identifier, never a keyword the check did not see.
    return ch.isalnum() or ch == "_" or unicodedata.category(ch) in ("Mn", "Mc", "Pc", "Cf")


def _normal(word: str) -> str:
    text = "".join(ch for ch in unicodedata.normalize("NFKC", word) if unicodedata.category(ch) != "Cf")
    return text.upper()


def tokenize(query: str) -> list[Token]:
    """The query as Cypher's lexer sees it: comments dropped, strings and backtick names kept whole.

    Raises QueryRefused for an unterminated string, name or block comment: what the server would do with
    it is not worth guessing."""
    tokens: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif query.startswith("//", i):
            while i < n and query[i] not in _LINE_ENDS:
                i += 1
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            if end < 0:
                raise QueryRefused("the query has an unterminated /* comment")
            i = end + 2
        elif ch in "'\"":
            j = i + 1
            while j < n and query[j] != ch:
                j += 2 if query[j] == "\\" else 1  # a backslash escapes whatever follows, quote included
            if j >= n:
                raise QueryRefused("the query has an unterminated string")
            tokens.append(Token("string", query[i + 1:j]))
            i = j + 1
        elif ch == "`":
            j = i + 1
            while True:
                j = query.find("`", j)
                if j < 0:
                    raise QueryRefused("the query has an unterminated `quoted name`")
                if query.startswith("``", j):  # a doubled backtick is one backtick of the name
                    j += 2
                    continue
                break
            tokens.append(Token("name", query[i + 1:j].replace("``", "`")))
            i = j + 1
        elif _word_char(ch):
            j = i
            while j < n and _word_char(query[j]):
                j += 1
            raw = query[i:j]
            previous = tokens[-1] if tokens else None
            if previous is not None and previous.kind == "punct" and previous.text == "$":
                tokens[-1] = Token("param", raw)  # $create is a parameter, never a clause
            elif raw[0].isdigit():
                # A number, but where it ends is the server's call (0x1a, 1e5, 1_000, 0o7...): if any tail
                # of the run is a keyword, read it as that keyword (0xaSET lexes as 0xa SET).
                tail = next((w for k in range(len(raw)) if (w := _normal(raw[k:])) in FORBIDDEN | _SPECIAL), None)
                tokens.append(Token("word", tail) if tail else Token("number", raw))
            else:
                tokens.append(Token("word", _normal(raw)))
            i = j
        else:
            tokens.append(Token("punct", ch))
            i += 1
    return tokens


def check_read_only(query: str) -> None:
    """Raise QueryRefused when the query could write or administer; otherwise return quietly."""
    if not query.strip():
        raise QueryRefused("the query is empty")
    tokens = tokenize(query)
    if not tokens:
        raise QueryRefused("the query is empty (only comments)")
    while tokens and tokens[-1] == Token("punct", ";"):
        tokens.pop()
    if Token("punct", ";") in tokens:
        raise QueryRefused("one statement at a time, please (found ';')")
    for k, token in enumerate(tokens):
        after = tokens[k + 1] if k + 1 < len(tokens) else None
        before = tokens[k - 1] if k > 0 else None
        if token.kind == "word" and token.text in FORBIDDEN:
            raise QueryRefused(f"read-only console: {token.text} is not allowed")
        if token.kind == "word" and token.text == "SHOW":
            raise QueryRefused("read-only console: administration commands (SHOW ...) are not allowed")
        if token.kind == "word" and token.text == "TRANSACTIONS" and not (
                before is not None and before.kind == "punct" and before.text in ".:"):
            raise QueryRefused("read-only console: CALL { ... } IN TRANSACTIONS is not allowed (it commits)")
        if token.kind == "word" and token.text == "CALL" and not (
                after is not None and after.kind == "punct" and after.text in "{("):
            raise QueryRefused("read-only console: procedure calls (CALL name...) are not allowed")
        if (token.kind in ("word", "name") and token.text.lower() in _PROCEDURE_NAMESPACES
                and after == Token("punct", ".")):
            raise QueryRefused("read-only console: procedures and functions of db.*, dbms.*, apoc.* are not allowed")


def _check_params(params: dict[str, Any]) -> None:
    if not isinstance(params, dict) or not all(isinstance(k, str) for k in params):
        raise QueryRefused("parameters must be a JSON object with string keys")
    stack: list[tuple[Any, int]] = [(params, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > _MAX_PARAM_DEPTH:
            raise QueryRefused(f"parameters nest deeper than {_MAX_PARAM_DEPTH} levels")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


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


def _server_still_answers(driver: neo4j.Driver, database: str) -> bool:
    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            session.run(PING_CYPHER).consume()
        return True
    except Exception:
        return False


def run_read_only(
    graph: Graph, query: str, params: dict[str, Any] | None = None, timeout_s: float | None = None,
    row_limit: int | None = None,
) -> CypherResult:
    """Run a researcher's query read-only. `timeout_s` and `row_limit` are clamped to the settings' caps
    (None: the settings' defaults), so callers may pass what a visitor typed."""
    from kg.server import terminate_queries
    from kg.settings import get_settings

    check_read_only(query)
    params = {} if params is None else params
    _check_params(params)
    settings = graph.settings or get_settings()
    timeout_s = settings.clamp_query_timeout(timeout_s)
    row_limit = settings.clamp_query_row_limit(row_limit)
    # A comment that marks this run, so the watchdog can find it among the server's running queries.
    marker = f"kg-console:{secrets.token_hex(8)}"
    text = f"/* {marker} */ {query}"
    driver = graph.reader()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            with driver.session(database=graph.database, default_access_mode=neo4j.READ_ACCESS) as session:
                tx = session.begin_transaction(timeout=timeout_s)  # Neo4j enforces it; ArcadeDB does not
                try:
                    result = tx.run(cast(LiteralString, text), params)
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
                    with contextlib.suppress(Exception):  # the server may have ended the transaction
                        tx.rollback()  # never commit anything a researcher's query did
        except BaseException as exc:
            outcome["error"] = exc

    started = time.monotonic()
    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        if not settings.external:
            with contextlib.suppress(ServerError):
                terminate_queries(settings, marker)  # stop it on the server too, not only here
        raise QueryTimeout(f"the query ran longer than {timeout_s:g}s and was stopped")
    if "error" in outcome:
        raise _translate(outcome["error"], graph, driver, timeout_s) from outcome["error"]
    result: CypherResult = outcome["result"]
    result.elapsed_ms = (time.monotonic() - started) * 1000
    return result


def _translate(exc: BaseException, graph: Graph, driver: neo4j.Driver, timeout_s: float) -> KGError:
    if isinstance(exc, KGError):
        return exc
    if isinstance(exc, neo4j.exceptions.AuthError):
        return GraphUnavailable(f"the graph server at {graph.where} refused the read-only user's credentials")
    if isinstance(exc, neo4j.exceptions.Neo4jError):
        code = exc.code or ""
        if code.startswith("Neo.ClientError.Security.Forbidden") or code.endswith("AccessMode"):
            return QueryRefused("the server refused it: the console's user may only read")
        if code.endswith(("TransactionTimedOut", "TransactionTimedOutClientConfiguration", "Terminated")):
            return QueryTimeout(f"the query ran longer than {timeout_s:g}s and was stopped by the server")
        return KGError(f"the query failed: {exc.message or exc}")
    if isinstance(exc, neo4j.exceptions.DriverError | ConnectionError | OSError):
        if _server_still_answers(driver, graph.database):
            # ArcadeDB drops the connection when the query's thread runs out of heap; the server lives on.
            return KGError("the graph server dropped the query (too large a result or too much memory); "
                           "nothing was changed")
        return GraphUnavailable(f"cannot reach the graph server at {graph.where}")
    return KGError(f"the query failed: {exc}")
