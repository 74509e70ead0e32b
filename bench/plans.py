"""EXPLAIN / PROFILE through Bolt: ArcadeDB returns its plan as a string in the result summary."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any, LiteralString

from bench import synth
from kg import cypher as q
from kg.db import Graph
from kg.queries import resolve_actor


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


_EXEC = re.compile(r"Execution Time: ([\d.,]+) ms")
_ROWS = re.compile(r"Rows Returned: ([\d,]+)")
_STEP = re.compile(r"^\s*\+ (.*?) \(([\d,]+)μs, ([\d,]+) rows[,)]")
_OPERATOR = re.compile(r"^\s*\+ ((?:NodeIndexSeek|NodeIndexRangeScan|NodeByLabelScan|NodeIndexScan|ExpandAll|"
                       r"ExpandInto|AllNodesScan|NodeHashJoin|CartesianProduct)\b.*?)(?: \[|$)")


def summarise_profile(text: str) -> str:
    """One line: server time, rows, the planner's match operators (cost-based plans), and the two costliest timed
    steps (ArcadeDB times every step of a traditional plan, and the steps after the match of a cost-based one;
    there, the rest of the server time is the match itself)."""
    ms = _EXEC.search(text)
    rows = _ROWS.search(text)
    ops = [re.sub(r"\s+", "", m[1]) for line in text.splitlines() if (m := _OPERATOR.match(line))]
    steps = sorted(((int(m[2].replace(",", "")), re.sub(r"\s+", " ", m[1])[:60], m[3])
                    for line in text.splitlines() if (m := _STEP.match(line))), reverse=True)
    planner = "cost-based" if "Cost-Based" in text else "traditional" if "Traditional" in text else "?"
    out = f"server {ms[1] if ms else '?'} ms, {rows[1] if rows else '?'} rows, {planner} plan"
    if ops:
        out += f": {' -> '.join(reversed(ops))}"
    if "served by label scan" in text:
        out += " (the index range is served by a label scan)"
    if steps:
        out += f"; timed steps {sum(t for t, _, _ in steps) / 1000:.0f} ms, costliest: " + ", ".join(
            f"{name} {t / 1000:.0f} ms ({n} rows)" for t, name, n in steps[:2])
    return out


def _conflicted_facts(graph: Graph, limit: int = 500) -> list[str]:
    """The facts kg.queries.conflicts() lists (in id order until `limit` conflicts are filled): the first page's
    with a limit of a page."""
    ids, total = [], 0
    for r in graph.read(q.CONFLICTED_FACTS_CYPHER):
        if total >= limit:
            break
        ids.append(r["id"])
        total += int(r["n"] or 0)
    return ids


def slow_statement_plans(graph: Graph, actor_name: str, out: Path, year: int = 2023) -> list[str]:
    """PROFILE the actor-centred statements of `timeline` and `actor` for one actor (the most mentioned one is
    the worst case: its degree is what they walk), and the two of the global `conflicts` list. Each statement
    runs once unprofiled first (warm caches),
    then its client-side time (driver, Bolt transfer and unpacking included) is measured, then PROFILE'd.
    Full plans go to `out`; one summary line per statement is returned."""
    actor_id = resolve_actor(graph, actor_name)
    if actor_id is None:
        return [f"{actor_name}: not in the graph"]
    timeline_params = {"fact_types": None, "kinds": None, "since": f"{year}-01-01", "until": f"{year}-12-31",
                       "min_reliability": None, "outlet_ids": None, "include_rejected": False}
    january = [f"{actor_id}|{year}-01", f"{actor_id}|span"]
    first_facts = _conflicted_facts(graph, 51)
    statements: list[tuple[str, LiteralString, dict[str, Any]]] = [
        ("NAMED_PAGE_CYPHER (timeline, January)", q.NAMED_PAGE_CYPHER,
         {**timeline_params, "buckets": january, "after": None, "upper": f"{year}-02", "role": None, "limit": 101}),
        ("TIMELINE_BY_ACTOR_CYPHER (whole year, unpaged)", q.TIMELINE_BY_ACTOR_CYPHER,
         {**timeline_params, "actor_ids": [actor_id], "limit": 1000}),
        ("ACTOR_PAGE_CYPHER (January)", q.ACTOR_PAGE_CYPHER,
         {"id": actor_id, "lower": None,
          "buckets": [f"{actor_id}|{synth.FIRST_DAY.year}-01", f"{actor_id}|span"],
          "upper": f"{synth.FIRST_DAY.year}-02", "include_rejected": False,
          "roles": ["ACCUSER", "ACCUSED", "ISSUER", "TARGET", "INVOLVES"], "limit": 21, "named": 10}),
        ("CONFLICTED_FACTS_PAGE_CYPHER", q.CONFLICTED_FACTS_PAGE_CYPHER,
         {"buckets": ["0"], "after_fact": None, "limit": 52}),
        ("CONFLICTS_PAGE_CYPHER", q.CONFLICTS_PAGE_CYPHER, {"fact_ids": first_facts, "after": None, "limit": 51}),
    ]
    lines: list[str] = []
    texts: list[str] = []
    for name, statement, params in statements:
        graph.read(statement, params)
        t0 = time.perf_counter()
        graph.read(statement, params)
        client_ms = (time.perf_counter() - t0) * 1000
        text = plan(graph, statement, params, profile=True)
        texts.append(f"===== {name} ({actor_name}; client {client_ms:.0f} ms)\n{text}\n")
        lines.append(f"{name}: client {client_ms:.0f} ms, {summarise_profile(text)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(texts))
    return lines
