"""EXPLAIN / PROFILE through Bolt: ArcadeDB returns its plan as a string in the result summary."""

from __future__ import annotations

from typing import Any, LiteralString

from kg.db import Graph


def plan(graph: Graph, statement: LiteralString, params: dict[str, Any] | None = None,
         profile: bool = False) -> str:
    """The server's plan for `statement` (PROFILE runs it: only use it on reads)."""
    prefix: LiteralString = "PROFILE " if profile else "EXPLAIN "
    with graph.driver.session(database=graph.database) as session:
        result = session.run(prefix + statement, params or {})
        list(result)
        summary = result.consume()
    node = summary.profile if profile else summary.plan
    if not node:
        return "(no plan returned)"
    args = node.get("args", {}) if isinstance(node, dict) else {}
    return str(args.get("string-representation", node))
