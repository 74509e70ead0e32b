"""Query latency through the query layer (kg.queries) on the synthetic graph, with realistic arguments.

Arguments are drawn the way users would ask: actors by their share of the news (Zipf weight; a fifth of
the time by an alias instead of the name), a year in the covered range for the timeline, facts to trace
in proportion to how many reports they have (what a reader clicks on a timeline), and the global
conflicts list the app shows. Calls are interleaved round-robin (so machine noise hits all four alike),
after a warm-up.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench import synth
from kg import queries
from kg.db import Graph


@dataclass
class Latency:
    name: str
    samples_ms: list[float] = field(default_factory=list)
    results: list[int] = field(default_factory=list)  # items returned per call

    def pct(self, p: float) -> float:
        if not self.samples_ms:
            return float("nan")
        xs = sorted(self.samples_ms)
        k = (len(xs) - 1) * p / 100
        lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
        return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)

    @property
    def p50(self) -> float:
        return self.pct(50)

    @property
    def p95(self) -> float:
        return self.pct(95)

    def line(self) -> str:
        mean_items = statistics.mean(self.results) if self.results else 0
        return (f"{self.name:<10} p50 {self.p50:7.1f} ms  p95 {self.p95:7.1f} ms  max {max(self.samples_ms):7.1f} ms"
                f"  (n={len(self.samples_ms)}, {mean_items:.0f} items/call)")


class ArgumentSampler:
    def __init__(self, graph: Graph, world: synth.World, seed: int = 5) -> None:
        from bench.cypher import FACT_WEIGHTS_CYPHER

        self.seed = seed
        self.rng = random.Random(seed)
        self.world = world
        rows = graph.read(FACT_WEIGHTS_CYPHER)
        self.fact_ids = [r["id"] for r in rows]
        self.fact_cum: list[float] = []
        total = 0.0
        for r in rows:
            total += float(r["n"] or 1)
            self.fact_cum.append(total)

    def reset(self) -> None:
        """Draw the same sequence of arguments again (compare configurations on identical calls)."""
        self.rng = random.Random(self.seed)

    def actor_name(self) -> str:
        a = self.world.actors[self.world.zipf_actor(self.rng)]
        if a.aliases and self.rng.random() < 0.2:
            return self.rng.choice(a.aliases)
        return a.name

    def year(self) -> int:
        return self.rng.choice(synth.YEARS[:-1])  # full years only

    def fact_id(self) -> str:
        import bisect

        return self.fact_ids[bisect.bisect_left(self.fact_cum, self.rng.random() * self.fact_cum[-1])]


def _count(result: Any) -> int:
    if result is None:
        return 0
    if isinstance(result, list):
        return len(result)
    if hasattr(result, "items") and isinstance(result.items, list):  # a page
        return len(result.items)
    if hasattr(result, "evidence"):
        return len(result.evidence)
    if hasattr(result, "allegations_made"):
        return sum(len(x) for x in (result.allegations_made, result.allegations_received, result.actions_issued,
                                    result.actions_suffered, result.events))
    return 1


def query_calls(graph: Graph, sampler: ArgumentSampler) -> dict[str, Callable[[], Any]]:
    """What each view reads first (issue 18): the timeline's first page (the earliest facts of a whole year
    naming the actor), the actor page's first page of each role with its co-mentions and neighbourhood, one claim
    trace, the conflicts list's first page."""

    def timeline() -> Any:
        y = sampler.year()
        return queries.timeline_page(graph, actors=[sampler.actor_name()], since=f"{y}-01-01", until=f"{y}-12-31")

    return {
        "timeline": timeline,
        "actor": lambda: queries.actor(graph, sampler.actor_name(), per_role=queries.ACTOR_PAGE_SIZE),
        "trace": lambda: queries.trace(graph, sampler.fact_id()),
        "conflicts": lambda: queries.conflicts_page(graph),
    }


def measure(graph: Graph, sampler: ArgumentSampler, calls: int = 60, warmup: int = 8,
            only: list[str] | None = None, progress: Callable[[str], None] | None = None,
            budget_s: float | None = None, min_calls: int = 20) -> dict[str, Latency]:
    """p50/p95 per function. With budget_s, a function whose calls have taken that long in total stops after
    min_calls (it is far off the target anyway; its n is printed)."""
    sampler.reset()
    fns = query_calls(graph, sampler)
    if only:
        fns = {k: v for k, v in fns.items() if k in only}
    out = {name: Latency(name) for name in fns}
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    spent = dict.fromkeys(fns, 0.0)
    # What this process holds already (the synthetic world of 100k articles, the sampler's fact ids: millions of
    # objects an app process never holds) is left out of Python's cyclic collections while calls are timed: a
    # full collection over it took 100+ ms inside one call (measured), a pause of the benchmark, not of a view.
    gc.collect()
    gc.freeze()
    try:
        for i in range(calls):
            for name, fn in fns.items():
                if budget_s is not None and spent[name] > budget_s and len(out[name].samples_ms) >= min_calls:
                    continue
                t0 = time.perf_counter()
                result = fn()
                dt = time.perf_counter() - t0
                spent[name] += dt
                out[name].samples_ms.append(dt * 1000)
                out[name].results.append(_count(result))
            if progress and (i + 1) % 20 == 0:
                progress(f"  queries: {i + 1}/{calls} rounds")
    finally:
        gc.unfreeze()
    return out


def statement_profile(graph: Graph, sampler: ArgumentSampler, rounds: int = 10) -> dict[str, dict[str, float]]:
    """Mean ms per call of each query function spent in each Cypher statement (server + Bolt transfer and
    unpacking in the driver), and the rest of the call ("(rest: Python)": building the typed answer)."""
    per: dict[str, dict[str, list[float]]] = {}
    current = [""]
    original_read = graph.read

    def timed_read(query: Any, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        t0 = time.perf_counter()
        try:
            return original_read(query, params)
        finally:
            key = _statement_name(query)
            per.setdefault(current[0], {}).setdefault(key, []).append((time.perf_counter() - t0) * 1000)

    graph.read = timed_read  # type: ignore[method-assign]
    total: dict[str, float] = {}
    try:
        fns = query_calls(graph, sampler)
        for _ in range(rounds):
            for name, fn in fns.items():
                current[0] = name
                t0 = time.perf_counter()
                fn()
                total[name] = total.get(name, 0.0) + (time.perf_counter() - t0) * 1000
    finally:
        graph.read = original_read  # type: ignore[method-assign]
    out = {fn: {k: sum(v) / rounds for k, v in stmts.items()} for fn, stmts in per.items()}
    for fn_name, stmts in out.items():  # what is not a statement: building the answer (pydantic) in Python
        stmts["(rest: Python)"] = max(0.0, total[fn_name] / rounds - sum(stmts.values()))
    return out


def _statement_name(query: str) -> str:
    from kg import cypher as q

    for name, value in vars(q).items():
        if name.endswith("_CYPHER") and value is query:
            return name
    for name, value in vars(q).items():
        if name.endswith("_CYPHER") and value == query:
            return name
    return query.strip().splitlines()[0][:40]
