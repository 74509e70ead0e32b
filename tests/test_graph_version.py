"""The graph version (issue 19): every write advances it in the write's own transaction, a write that changes
nothing leaves it, and two writers at once both get through (the counter is one record both update)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg import queries
from kg.db import Graph
from kg.loader import load
from kg.settings import Settings
from kg.writer import GraphWriter, WriteStatus
from tests.concurrency import at_once
from tests.records import accusation

CLEAR = "MATCH (n) DETACH DELETE n"


@pytest.fixture
def empty(graph: Graph) -> Iterator[Graph]:
    graph.write(CLEAR)
    yield graph
    graph.write(CLEAR)


def test_every_write_advances_the_version_and_a_no_op_does_not(empty: Graph) -> None:
    assert queries.graph_version(empty) == 0
    writer = GraphWriter(empty)
    first = accusation("ver-1", "Northwind AI accused Redriver Group of distilling its models in June 2026.")
    assert writer.write(first) is WriteStatus.new
    v1 = queries.graph_version(empty)
    assert v1 > 0
    assert writer.write(first) is WriteStatus.unchanged
    assert queries.graph_version(empty) == v1  # nothing changed: caches stay valid
    second = accusation("ver-2", "Redriver Group accused Northwind AI of stealing trade secrets in May 2026.")
    writer.write_many([second])
    v2 = queries.graph_version(empty)
    assert v2 > v1
    assert writer.forget(second.article.id).found
    v3 = queries.graph_version(empty)
    assert v3 > v2
    writer.refresh_all()  # rescoring after new priors changes what readers see
    assert queries.graph_version(empty) > v3


def test_two_writers_at_once_both_advance_it(empty: Graph, graph_settings: Settings) -> None:
    def write(g: Graph, k: int) -> list[str]:
        items = [accusation(f"ver-race{k}-{i}", f"Northwind AI accused Firm{k}x{i} of distilling its models.")
                 for i in range(4)]
        # one at a time (max_batch=1), as the loader writes what two `kg ingest` runs would
        summary = load(GraphWriter(g), items, progress=None, errors=None, max_batch=1)
        return [f"{doc}: {why}" for doc, why in summary.failures]

    errors = at_once(graph_settings, 2, write)
    assert errors == []
    assert queries.graph_version(empty) == 8
    assert empty.read("MATCH (v:GraphVersion) RETURN count(v) AS n")[0]["n"] == 1


def test_the_apps_cache_serves_repeats_and_reads_again_after_a_write(empty: Graph) -> None:
    from app import data

    calls: list[int] = []

    @data.versioned
    def probe(_graph: Graph, x: int) -> int:
        calls.append(x)
        return x * 2

    assert probe(empty, 1) == 2 and probe(empty, 1) == 2 and probe(empty, 2) == 4
    assert calls == [1, 2]  # the repeat came from the cache
    GraphWriter(empty).write(accusation("ver-cache", "Northwind AI accused Redriver Group of stealing secrets."))
    assert probe(empty, 1) == 2
    assert calls == [1, 2, 1]  # a new version: read again
    assert probe(empty, 1) == 2 and calls == [1, 2, 1]
