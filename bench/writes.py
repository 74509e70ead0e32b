"""Graph write throughput: GraphWriter (one transaction per article) vs a raw UNWIND-MERGE of the same rows,
and the batched-writer prototype (alone, with index-backed fact creation, and with conflict detection that
parses each report once: "parse1"), side by side on the same server, on the same articles, in alternation.

rows = the parameter rows the articles amount to (articles, publisher links, actors/mentions, facts, roles,
evidence, evidence mentions, citations, fact summaries, conflicts), counted once by the raw loader. The raw
time is the server time of sending those rows, prepared beforehand, as big UNWIND-MERGE batches with the
writer's own statements. Each path starts from an empty graph (plus the outlet registry), and each path's
final graph is compared, node by node and relationship by relationship, with GraphWriter's.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench import synth
from bench.batched_writer import BatchedGraphWriter
from bench.bulk import BulkLoader, memoized_conflicts
from bench.check import compare, fingerprint
from bench.server import wipe
from kg.db import Graph
from kg.writer import GraphWriter
from ontology.models import Extraction

BATCH = 32


@dataclass
class WriteResult:
    articles: int
    rows: int
    seconds: dict[str, list[float]] = field(default_factory=dict)
    same_graph: dict[str, str] = field(default_factory=dict)

    def median(self, path: str) -> float:
        return statistics.median(self.seconds[path])

    def rows_per_s(self, path: str) -> float:
        return self.rows / self.median(path)

    def ratio(self, path: str) -> float:
        """Throughput of `path` relative to the raw UNWIND-MERGE, median of per-round ratios."""
        return statistics.median(raw / t for raw, t in zip(self.seconds["raw"], self.seconds[path], strict=True))


def _fresh(graph: Graph) -> None:
    wipe(graph)
    GraphWriter(graph).sync_outlets()


def _one_by_one(graph: Graph, exs: list[Extraction]) -> float:
    writer = GraphWriter(graph)
    t0 = time.perf_counter()
    for ex in exs:
        writer.write(ex)
    return time.perf_counter() - t0


def _batched(graph: Graph, exs: list[Extraction], fast_facts: bool, parse_once: bool = False) -> float:
    writer = BatchedGraphWriter(graph)
    writer.fast_facts = fast_facts
    t0 = time.perf_counter()
    with memoized_conflicts() if parse_once else contextlib.nullcontext():
        for start in range(0, len(exs), BATCH):
            writer.write_many(exs[start : start + BATCH])
    return time.perf_counter() - t0


def _raw(graph: Graph, exs: list[Extraction]) -> tuple[float, int]:
    loader = BulkLoader(graph, batch_rows=1000, mode="merge")
    for ex in exs:
        loader.add(ex)
    loader.finish()
    return loader.stats.seconds_db, loader.stats.rows


def write_benchmark(graph: Graph, n_articles: int, rounds: int,
                    progress: Callable[[str], None] = print) -> WriteResult:
    exs = list(synth.extractions(n_articles, seed=21, prefix="w"))
    paths: dict[str, Callable[[], float]] = {
        "writer": lambda: _one_by_one(graph, exs),
        "batched": lambda: _batched(graph, exs, fast_facts=False),
        "batched+fast_facts": lambda: _batched(graph, exs, fast_facts=True),
        "batched+fast+parse1": lambda: _batched(graph, exs, fast_facts=True, parse_once=True),
    }
    result = WriteResult(articles=n_articles, rows=0, seconds={k: [] for k in ("raw", *paths)})
    reference = None
    _fresh(graph)  # warm-up (JIT, caches): one untimed pass of the raw path and of the writer on a few articles
    _raw(graph, exs)
    _fresh(graph)
    _one_by_one(graph, exs[:20])
    for r in range(rounds):
        _fresh(graph)
        raw_s, rows = _raw(graph, exs)
        result.rows = rows
        result.seconds["raw"].append(raw_s)
        raw_fp = fingerprint(graph) if r == 0 else None
        for name, run in paths.items():
            _fresh(graph)
            result.seconds[name].append(run())
            if r == 0:
                fp = fingerprint(graph)
                if name == "writer":
                    reference = fp
                    assert raw_fp is not None
                    result.same_graph["raw"] = compare(fp, raw_fp)
                else:
                    assert reference is not None
                    result.same_graph[name] = compare(reference, fp)
        progress(f"  writes round {r + 1}/{rounds}: " + ", ".join(
            f"{k} {v[-1]:.1f}s" for k, v in result.seconds.items()))
    _fresh(graph)
    return result


@dataclass
class ScaleResult:
    articles: int
    seconds: dict[str, float]


def writes_at_scale(graph: Graph, world: synth.World, n_articles: int) -> ScaleResult:
    """New articles about already-known facts, written into the big graph: how the writer copes with hot facts
    (every write re-reads and re-scores all evidence of each fact it touches) and a large graph."""
    exs = list(synth.extractions(2 * n_articles, seed=33, w=world, prefix="late"))
    out: dict[str, float] = {}
    out["writer"] = _one_by_one(graph, exs[:n_articles])
    out["batched+fast+parse1"] = _batched(graph, exs[n_articles:], fast_facts=True, parse_once=True)
    return ScaleResult(articles=n_articles, seconds=out)
