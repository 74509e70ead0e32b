"""Which indexes make the query latencies: drop one, measure the four functions, rebuild it.

The candidates are the schema's (kg/cypher/ddl.py) unique constraints and indexes that the four functions' plans
can use; one that the schema no longer defines is left out.
"""

from __future__ import annotations

import re
import time
from typing import LiteralString, cast

from bench.queries import ArgumentSampler, measure
from kg.db import Graph
from kg.schema import apply_schema, cypher_statements

CANDIDATES = ("actor_id", "actor_name_lower", "fact_id", "article_id", "fact_disputed", "names_bucket")
_DDL = re.compile(r"^CREATE (CONSTRAINT|INDEX) ([a-z_]+) IF NOT EXISTS FOR (?:\(n:(\w+)\)|\(\)-\[r:(\w+)\]-\(\)) "
                  r"(?:REQUIRE|ON) \(?[nr]\.(\w+)")


def candidates() -> list[tuple[str, LiteralString]]:
    """(label(property) [unique], DROP statement) for each candidate the schema defines."""
    out = []
    ddl = cypher_statements()
    for name in CANDIDATES:
        m = _DDL.match(ddl.get(name, ""))
        if not m:
            continue
        kind, index, label, rel_type, prop = m.groups()
        label = label or f"[{rel_type}]"
        # Names come from kg/cypher/ddl.py (generated from the ontology) and match [a-z_]+: no input reaches the text.
        drop = cast(LiteralString, f"DROP {kind} {index} IF EXISTS")
        out.append((f"{label}({prop})" + (" unique" if kind == "CONSTRAINT" else ""), drop))
    return out


def _restore(graph: Graph) -> float:
    t0 = time.perf_counter()
    apply_schema(graph)  # recreates whatever was dropped (IF NOT EXISTS)
    return time.perf_counter() - t0


def index_experiment(graph: Graph, sampler: ArgumentSampler, calls: int = 10) -> list[str]:
    def p50s() -> dict[str, float]:
        return {k: v.p50 for k, v in measure(graph, sampler, calls=calls, warmup=1).items()}

    p50s()  # warm-up
    before = p50s()
    rows: list[tuple[str, dict[str, float] | str, float]] = []
    for name, drop in candidates():
        try:
            graph.write(drop)
        except Exception as exc:  # the server may refuse to drop what a query needs
            rows.append((name, f"cannot drop ({str(exc).splitlines()[0][:100]})", 0.0))
            continue
        try:
            got = p50s()
        finally:
            rebuild = _restore(graph)
        rows.append((name, got, rebuild))
    after = p50s()  # the baseline again: the lower of before and after (the machine is noisy)
    base = {k: min(v, after[k]) for k, v in before.items()}
    lines = ["all indexes:        " + "  ".join(f"{k} {v:7.1f} ms" for k, v in base.items())]
    for name, outcome, rebuild in rows:
        if isinstance(outcome, str):
            lines.append(f"without {name}: {outcome}")
            continue
        lines.append(f"without {name:<28}" + "  ".join(
            f"{k} {v:7.1f} ms ({v / base[k]:4.1f}x)" for k, v in outcome.items()) + f"  [rebuilt in {rebuild:.1f} s]")
    return lines
