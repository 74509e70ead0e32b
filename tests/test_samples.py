"""The sample corpus end to end: extraction, the graph, the query layer, conflicts (issues 4 and 5)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobs.stages import ingest_paths
from kg import queries
from kg.db import Graph, count_graph
from kg.settings import Settings
from kg.writer import GraphWriter
from tests.conftest import REPO, SHARED
from tests.fingerprint import fingerprint

SAMPLES = REPO / "data" / "samples" / "seeds" / "articles.jsonl"  # the five seed articles, s00-s04


@pytest.fixture(scope="module")
def sample_graph(graph_settings: Settings, graph: Graph) -> Iterator[Graph]:
    graph.write("MATCH (n) DETACH DELETE n")
    summary = ingest_paths(graph_settings, [SAMPLES], progress=None)
    assert summary.new == 5 and summary.failed == 0, summary.failures
    yield graph
    graph.write("MATCH (n) DETACH DELETE n")


def doc_of(graph: Graph, fact_id: str) -> set[str]:
    tr = queries.trace(graph, fact_id)
    assert tr is not None
    return {e.doc_id or "" for e in tr.evidence}


def test_ingesting_twice_changes_nothing(sample_graph: Graph, graph_settings: Settings) -> None:
    before = fingerprint(sample_graph)
    summary = ingest_paths(graph_settings, [SAMPLES], progress=None)
    assert (summary.new, summary.unchanged, summary.failed) == (0, 5, 0)
    assert summary.nodes_added == 0 and summary.relationships_added == 0
    assert fingerprint(sample_graph) == before


def test_anthropic_alibaba_allegation_is_one_node_from_four_articles(sample_graph: Graph) -> None:
    profile = queries.actor(sample_graph, "Anthropic")
    assert profile is not None
    against_alibaba = [f for f in profile.allegations_made if "Alibaba Group" in f.actor_names
                       and f.title and "accuses Alibaba Group" in f.title]
    assert len(against_alibaba) == 1, [f.title for f in profile.allegations_made]
    fact = against_alibaba[0]
    assert fact.n_articles >= 4
    assert len(doc_of(sample_graph, fact.id)) >= 4


def test_alibaba_timeline(sample_graph: Graph) -> None:
    items = queries.timeline(sample_graph, actors=["Alibaba"])
    pentagon = [f for f in items if f.fact_type == "GovernmentAction" and "Department of Defense" in (f.title or "")]
    assert pentagon and pentagon[0].date_value == "2026-06" and pentagon[0].date_precision == "month"
    assert pentagon[0].date_start == "2026-06-01" and pentagon[0].date_stop == "2026-06-30"
    # the restriction as an action or as the dated event that reports it
    commerce = [f for f in items if f.date_value == "2026-06-12"
                and any("Commerce" in n for n in [f.title or "", *f.actor_names])]
    assert commerce and commerce[0].date_precision == "day"


def test_only_the_true_conflict_is_flagged(sample_graph: Graph) -> None:
    topics = json.loads((SHARED / "eval" / "dev" / "conflicts.json").read_text())
    true_topics = [t for t in topics if t["is_conflict"]]
    assert len(true_topics) == 1 and "letter" in true_topics[0]["topic"]
    # the annotators' note: "The conflict is s02 against s03/s04."
    allowed = {frozenset(("s02", "s03")), frozenset(("s02", "s04"))}
    found = queries.conflicts(sample_graph)
    assert found, "the letter-date conflict (June 10 vs 24 June) was not found"
    for c in found:
        assert c.field == "date", c
        assert frozenset((c.a.doc_id, c.b.doc_id)) in allowed, (c.a.doc_id, c.b.doc_id, c.value_a, c.value_b)
        assert "Anthropic accuses Alibaba Group" in (c.fact_title or "")
    values = {v for c in found for v in (c.value_a, c.value_b)}
    assert any("24 June" in v for v in values) and any("10 June" in v for v in values)


def test_forget_keeps_facts_others_support(sample_graph: Graph, graph_settings: Settings) -> None:
    s02 = queries.article(sample_graph, "s02")
    assert s02 is not None
    writer = GraphWriter(sample_graph)
    before = count_graph(sample_graph)
    result = writer.forget(s02.id)
    assert result.found and result.facts_kept >= 1
    assert queries.conflicts(sample_graph) == []  # the only true conflict had s02 on one side
    profile = queries.actor(sample_graph, "Anthropic")
    assert profile is not None and any("Alibaba Group" in f.actor_names for f in profile.allegations_made)
    assert count_graph(sample_graph)["nodes"] < before["nodes"]
    # put it back for the other tests: re-ingest restores the same graph
    summary = ingest_paths(graph_settings, [SAMPLES], progress=None)
    assert summary.new == 1 and summary.unchanged == 4
    assert queries.conflicts(sample_graph)
    assert Path(SAMPLES).exists()


FULL_SAMPLE = REPO / "data" / "samples" / "articles.jsonl"  # what scripts/run.sh ingests: all 45 dev articles


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_sample_is_the_45_dev_articles_and_the_seeds_are_among_them() -> None:
    full = _rows(FULL_SAMPLE)
    assert full == _rows(SHARED / "eval" / "dev" / "articles.jsonl")
    seeds = _rows(SAMPLES)
    assert [r["doc_id"] for r in seeds] == ["s00", "s01", "s02", "s03", "s04"]
    assert all(r in full for r in seeds)
    assert len(full) == 45 and len({r["doc_id"] for r in full}) == 45


def test_the_outlet_registry_knows_every_third_party_sample_outlet() -> None:
    from reference.outlets import load_registry

    registry = load_registry()
    unknown = []
    for row in _rows(FULL_SAMPLE):
        if row["doc_id"] in {"s00", "s01", "s02", "s03", "s04"}:
            assert row["outlet"] is None  # the seed files name no publisher
            continue
        found = registry.get(str(row["outlet"])) or registry.get(str(row["url"]))
        if found is None or not found.known:
            unknown.append((row["doc_id"], row["outlet"]))
    assert unknown == []
    # every sample outlet named in the README's table
    readme = (REPO / "data" / "samples" / "README.md").read_text(encoding="utf-8")
    assert all(f"| {row['doc_id']} |" in readme for row in _rows(FULL_SAMPLE))
