"""Which indexes make the query latencies: drop one, measure the four functions, rebuild it."""

from __future__ import annotations

import time
from typing import LiteralString

from bench.queries import ArgumentSampler, measure
from kg import cypher_bench as qb
from kg.db import Graph
from kg.schema import apply_schema

CANDIDATES: list[tuple[str, LiteralString]] = [
    ("Actor(id) unique", qb.DROP_ACTOR_ID_CYPHER),
    ("Actor(name_lower)", qb.DROP_ACTOR_NAME_LOWER_CYPHER),
    ("Fact(id) unique", qb.DROP_FACT_ID_CYPHER),
    ("Article(id) unique", qb.DROP_ARTICLE_ID_CYPHER),
    ("Fact(n_conflicts)", qb.DROP_FACT_N_CONFLICTS_CYPHER),
]


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
    for name, drop in CANDIDATES:
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
