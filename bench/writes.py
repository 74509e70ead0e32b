"""Graph write throughput: GraphWriter as `kg ingest` uses it (write_many, batches of 32 articles) and one
article per transaction (write), vs a raw UNWIND-MERGE of the same rows, side by side on the same server, on
the same articles, in alternation.

rows = the parameter rows the articles amount to (articles, publisher links, actors/mentions, facts, roles,
evidence, evidence mentions, citations, fact summaries, conflicts), counted once by the raw loader. The raw
time is the server time of sending those rows, prepared beforehand, as big UNWIND-MERGE batches with the
writer's own statements. Each path starts from an empty graph (plus the outlet registry), and each path's
final graph is compared, node by node and relationship by relationship, with the one-article-per-transaction
writer's.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench import synth
from bench.bulk import BulkLoader
from bench.check import compare, fingerprint
from bench.server import wipe
from kg.db import Graph
from kg.writer import GraphWriter
from ontology.models import Extraction

BATCH = 32  # kg.loader.load's max_batch: what `kg ingest` writes per transaction when extraction is ahead
BATCHED = "writer (batches of 32)"
ONE_BY_ONE = "writer, one article per transaction"


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


def _batched(graph: Graph, exs: list[Extraction], batch: int = BATCH) -> float:
    writer = GraphWriter(graph)
    t0 = time.perf_counter()
    for start in range(0, len(exs), batch):
        writer.write_many(exs[start : start + batch])
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
        ONE_BY_ONE: lambda: _one_by_one(graph, exs),
        BATCHED: lambda: _batched(graph, exs),
    }
    result = WriteResult(articles=n_articles, rows=0, seconds={k: [] for k in ("raw", *paths)})
    reference = None
    _fresh(graph)  # warm-up (JIT, caches): one untimed pass of the raw path and of both writer paths on a few
    _raw(graph, exs)
    _fresh(graph)
    _one_by_one(graph, exs[:20])
    _fresh(graph)
    _batched(graph, exs[:64])
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
                if name == ONE_BY_ONE:
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
    out[ONE_BY_ONE] = _one_by_one(graph, exs[:n_articles])
    out[BATCHED] = _batched(graph, exs[n_articles:])
    return ScaleResult(articles=n_articles, seconds=out)
