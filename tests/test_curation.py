"""Curation on the real graph server: judgements as data, applied on every write, reversible exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kg import queries
from kg.curation import Curator
from kg.db import Graph
from kg.errors import KGError
from kg.export import select
from kg.judgements import canonical_map
from kg.settings import Settings
from kg.writer import GraphWriter, WriteStatus
from ontology.models import (
    Extraction,
    Judgement,
    JudgementKind,
)
from tests.graph_server import kg_env
from tests.records import duplicate_actor_articles

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def graph_state(graph: Graph, judgements: bool = False) -> dict[str, Any]:
    """Every node with its labels and properties and every relationship with its ends and properties (the
    graph version counter aside; judgements only when asked): 'the same graph', property by property."""
    nodes = graph.read("MATCH (n) WHERE NOT n:GraphVersion RETURN labels(n) AS labels, properties(n) AS props")
    rels = graph.read("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props")
    keep = [n for n in nodes if judgements or "Judgement" not in n["labels"]]
    return {
        "nodes": sorted(json.dumps([sorted(n["labels"]), n["props"]], sort_keys=True, default=str) for n in keep),
        "relationships": sorted(json.dumps(r, sort_keys=True, default=str) for r in rels),
    }


@pytest.fixture
def curated(clean_graph: Graph) -> tuple[Graph, GraphWriter, list[Extraction]]:
    writer = GraphWriter(clean_graph)
    exs = duplicate_actor_articles()
    writer.write_many(exs)
    return clean_graph, writer, exs


def _allegations(graph: Graph) -> list[dict[str, Any]]:
    return graph.read("MATCH (f:Allegation) RETURN f.id AS id, f.title AS title, f.n_articles AS n ORDER BY id")


def test_canonical_map_is_transitive_and_the_absorbing_subject_keeps_its_id() -> None:
    rows = [{"subject": "a", "other": "b"}, {"subject": "a", "other": "c"}]
    assert canonical_map(rows) == {"b": "a", "c": "a"}
    assert canonical_map([*rows, {"subject": "d", "other": "b"}]) == {"a": "d", "b": "d", "c": "d"}
    assert canonical_map([]) == {}


def test_merge_moves_facts_survives_rewrites_and_split_restores_the_graph_exactly(curated: Any) -> None:
    graph, writer, exs = curated
    before = graph_state(graph)
    assert len(_allegations(graph)) == 2
    cur = Curator(graph, writer)

    out = cur.merge("Redriver Group", "Redriver", "ana", note="one company", at=AT)
    assert out.line().startswith("merged Redriver (redriver) into Redriver Group (redriver-group)")
    assert out.articles_rewritten == 3

    def check_merged() -> None:
        # one allegation reported by two articles; the action now targets the canonical actor
        assert [(a["title"], a["n"]) for a in _allegations(graph)] == [
            ("Northwind AI accuses Redriver Group of distillation", 2)]
        page = queries.actor(graph, "Redriver")  # the merged name finds the canonical actor's page
        assert page is not None and page.id == "redriver-group"
        assert {"Redriver", "RR", "Redriver Group Holding"} <= set(page.aliases)
        assert page.merged == ["redriver"] and page.articles == 3
        assert len(page.allegations_received) == 1 and len(page.actions_suffered) == 1
        assert [a.id for a in queries.find_actors(graph, "redriver")] == ["redriver-group"]
        # the evidence keeps the actor its article named
        named = graph.read("MATCH (e:Evidence {doc_id: 'cur-2'})-[:MENTIONS]->(a:Actor) RETURN a.id AS id")
        assert {r["id"] for r in named} == {"northwind-ai", "redriver"}
        assert graph.read("MATCH (:Actor {id: 'redriver'})-[:SAME_AS]->(c:Actor) RETURN c.id AS id") == [
            {"id": "redriver-group"}]

    check_merged()
    assert writer.write_many(exs) == [WriteStatus.unchanged] * 3  # re-ingest: nothing changes, still merged
    check_merged()
    other = [ex.model_copy(update={"extractor_fingerprint": "another-extractor"}) for ex in exs]
    assert writer.write_many(other, reextract=True) == [WriteStatus.reextracted] * 3  # kg reextract
    check_merged()
    writer.write_many(exs, reextract=True)  # back to the first extractor's records
    assert writer.refresh_all() == 2  # kg refresh
    check_merged()
    writer.forget(exs[1].article.id)  # the merged actor's articles forgotten, then ingested again: it joins again
    writer.write_many(exs)
    check_merged()

    out = cur.split("Redriver", "ana", at=AT)
    assert out.line() == "split Redriver Group (redriver-group) into 2 actors (1 judgement undone; 3 articles " \
                         "written again)"
    assert graph_state(graph) == before
    log = cur.log()
    assert [(j.kind, j.curator, j.note, j.deleted_by) for j in log] == [(JudgementKind.same, "ana", "one company",
                                                                        "ana")]
    with pytest.raises(KGError, match="is not merged with any other actor"):
        cur.split("Redriver", "ana")


def test_a_merge_keeps_both_actors_wikidata_identifiers(clean_graph: Graph) -> None:
    from rdflib import OWL, URIRef

    from kg.export import load_snapshot, to_rdf

    writer = GraphWriter(clean_graph)
    exs = duplicate_actor_articles()
    # the NER's actor given an identifier of its own, as a second gazetteer entry would have
    exs = [ex.model_copy(update={"actors": [a.model_copy(update={"wikidata": "Q13406268"}) if a.id == "redriver"
                                            else a for a in ex.actors]}) for ex in exs]
    writer.write_many(exs)
    before = graph_state(clean_graph)
    cur = Curator(clean_graph, writer)
    cur.merge("Redriver Group", "Redriver", "ana", at=AT)
    page = queries.actor(clean_graph, "Redriver")
    assert page is not None and page.wikidata == ["Q4115189", "Q13406268"]  # its own first
    rdf = to_rdf(load_snapshot(clean_graph))
    wd = "http://www.wikidata.org/entity/"
    assert {str(o) for o in rdf.objects(None, OWL.sameAs) if isinstance(o, URIRef)} == {wd + "Q4115189",
                                                                                        wd + "Q13406268"}
    cur.split("Redriver", "ana", at=AT)
    assert graph_state(clean_graph) == before
    page = queries.actor(clean_graph, "Redriver Group")
    assert page is not None and page.wikidata == ["Q4115189"]


def test_undo_of_a_merge_is_a_split_and_not_same_blocks_a_merge(curated: Any) -> None:
    graph, writer, _ = curated
    before = graph_state(graph)
    cur = Curator(graph, writer)
    j = cur.merge("redriver-group", "redriver", "ana", at=AT).judgements[0]
    assert graph_state(graph) != before
    assert cur.undo(j.id, "ben").line().startswith(f"undone: judgement {j.id} (same actor: Redriver Group")
    assert graph_state(graph) == before
    with pytest.raises(KGError, match="already undone"):
        cur.undo(j.id, "ben")
    cur.judge_actors(JudgementKind.not_same, "Redriver", "Redriver Group", "ben", at=AT)
    with pytest.raises(KGError, match="were judged not the same"):
        cur.merge("Redriver Group", "Redriver", "ana")
    with pytest.raises(KGError, match="no actor named 'Nobody'"):
        cur.merge("Redriver Group", "Nobody", "ana")
    with pytest.raises(KGError, match="no judgement"):
        cur.undo("0000", "ana")
    with pytest.raises(KGError, match="already one actor"):
        cur.merge("Redriver", "redriver", "ana")


def test_a_rejected_fact_is_hidden_everywhere_unless_asked_and_a_confirmed_one_says_so(curated: Any) -> None:
    graph, writer, _ = curated
    cur = Curator(graph, writer)
    fact = next(f for f in queries.timeline(graph) if f.fact_type == "Allegation" and "distillation" in (f.title or ""))
    sources_before = {s.name: s.facts for s in queries.sources(graph)}
    before = graph_state(graph)

    rejected = cur.reject(fact.id, "ana", note="the lab withdrew the claim", at=AT).judgements[0]
    assert fact.id not in {f.id for f in queries.timeline(graph)}
    assert fact.id not in {f.id for f in queries.timeline(graph, actors=["Redriver Group"])}
    page = queries.actor(graph, "Redriver Group")
    assert page is not None and fact.id not in {f.id for f in page.timeline}
    assert fact.id not in select(graph).facts
    assert fact.id not in select(graph, actor="Northwind AI").facts
    assert {s.name: s.facts for s in queries.sources(graph)}["Reuters"] == sources_before["Reuters"] - 1
    shown = {f.id: f for f in queries.timeline(graph, include_rejected=True)}
    assert shown[fact.id].verdict == "rejected" and shown[fact.id].verdict_note == "the lab withdrew the claim"
    page = queries.actor(graph, "Redriver Group", include_rejected=True)
    assert page is not None and fact.id in {f.id for f in page.timeline}
    assert select(graph, include_rejected=True).facts[fact.id]["verdict"] == "rejected"
    writer.refresh_all()  # kg refresh keeps it
    assert fact.id not in {f.id for f in queries.timeline(graph)}

    cur.undo(rejected.id, "ana")
    assert graph_state(graph) == before
    cur.confirm(fact.id, "ben", note="checked the filing", at=AT)
    trace = queries.trace(graph, fact.id)
    assert trace is not None and trace.fact.verdict == "confirmed"
    assert trace.reliability_explanation[0] == "Confirmed by a curator (ben, 2026-12-01): checked the filing."
    with pytest.raises(KGError, match="no fact 'nope'"):
        cur.reject("nope", "ana")


def _rejected(graph: Graph) -> list[str]:
    return sorted(f.title or "" for f in queries.timeline(graph, include_rejected=True) if f.verdict == "rejected")


def test_a_verdict_follows_its_fact_through_a_merge_and_a_split(curated: Any) -> None:
    graph, writer, exs = curated
    cur = Curator(graph, writer)
    theft = next(f for f in queries.timeline(graph) if "accuses Redriver of" in (f.title or ""))
    action = next(f for f in queries.timeline(graph) if f.fact_type == "GovernmentAction")
    allegations = {f.id for f in queries.timeline(graph) if f.fact_type == "Allegation"}
    rejected = cur.reject(theft.id, "ana", note="misreported", at=AT).judgements[0]
    assert rejected.extracted_ids == [theft.id]
    cur.confirm(action.id, "ben", at=AT)
    judged = graph_state(graph)

    cur.merge("Redriver Group", "Redriver", "ana", at=AT)
    # the merged allegation is made of the rejected one and another: it is rejected, and hidden by default
    assert _rejected(graph) == ["Northwind AI accuses Redriver Group of distillation"]
    assert not [f for f in queries.timeline(graph) if f.fact_type == "Allegation"]
    merged = next(f for f in queries.timeline(graph, include_rejected=True) if f.fact_type == "Allegation")
    assert merged.id != theft.id and merged.verdict_note == "misreported"
    moved = next(f for f in queries.timeline(graph) if f.fact_type == "GovernmentAction")
    assert moved.id != action.id and moved.verdict == "confirmed"  # now on Redriver Group, still confirmed
    said = cur.summary(rejected)  # its fact's id is gone while merged: the log names the fact it bears on now
    assert said == f"rejected by a curator: Northwind AI accuses Redriver Group of distillation ({theft.id})"
    writer.write_many(exs, reextract=True)  # a rewrite keeps it
    assert _rejected(graph) == ["Northwind AI accuses Redriver Group of distillation"]

    cur.split("Redriver", "ana", at=AT)
    assert graph_state(graph) == judged  # only the fact that was rejected is rejected again
    assert _rejected(graph) == ["Northwind AI accuses Redriver of IP theft"]

    # a verdict given on the merged fact bears on every part of it after a split, and undoing it frees them all
    cur.undo(rejected.id, "ana", at=AT)
    cur.merge("Redriver Group", "Redriver", "ana", at=AT)
    merged = next(f for f in queries.timeline(graph) if f.fact_type == "Allegation")
    on_merged = cur.reject(merged.id, "ben", at=AT).judgements[0]
    assert set(on_merged.extracted_ids) == allegations
    cur.split("Redriver", "ana", at=AT)
    assert _rejected(graph) == ["Northwind AI accuses Redriver Group of distillation",
                                "Northwind AI accuses Redriver of IP theft"]
    cur.undo(on_merged.id, "ben", at=AT)
    assert _rejected(graph) == []
    exported = {j.id: j for j in map(Judgement.model_validate_json, cur.export_lines())}
    assert exported[rejected.id].extracted_ids == [theft.id]  # exported with it


def test_exported_judgements_rebuild_the_same_graph_after_a_wipe(curated: Any) -> None:
    graph, writer, exs = curated
    cur = Curator(graph, writer)
    cur.merge("Redriver Group", "Redriver", "ana", at=AT)
    action = next(f for f in queries.timeline(graph) if f.fact_type == "GovernmentAction")
    cur.reject(action.id, "ana", note="wrong target", at=AT)
    cur.judge_actors(JudgementKind.unsure, "Northwind AI", "Redriver Group", "ben", at=AT)
    curated_state = graph_state(graph, judgements=True)
    lines = cur.export_lines()
    assert [Judgement.model_validate_json(x).kind for x in lines] == [
        JudgementKind.same, JudgementKind.rejected, JudgementKind.unsure]

    graph.write("MATCH (n) DETACH DELETE n")
    writer.write_many(exs)
    assert cur.import_lines(lines).line() == "imported 3 judgements; 3 articles written again"
    assert graph_state(graph, judgements=True) == curated_state
    cur.import_lines(lines)  # importing again changes nothing
    assert graph_state(graph, judgements=True) == curated_state
    with pytest.raises(KGError, match="line 1: not a judgement"):
        cur.import_lines(['{"kind": "same", "subject": "a"}'], source="bad.jsonl")


def test_the_command_line(curated: Any, graph_settings: Settings, tmp_path: Path) -> None:
    graph, _, _ = curated
    env = kg_env(graph_settings)

    def kg(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kgcli", "curate", *args, "--curator", "cli"], env=env,
                              capture_output=True, text=True, timeout=120)

    done = kg("merge", "Redriver Group", "Redriver", "--note", "same firm")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and done.stdout.startswith("merged Redriver (redriver) into Redriver Group")
    done = kg("merge", "Redriver Group", "Nobody")
    assert done.returncode == 1 and done.stderr == "error: no actor named 'Nobody' (give a name, alias or id; " \
                                                   "see kg query actor)\n"
    fact = queries.timeline(graph)[0].id
    done = kg("reject", fact, "--note", "false")
    assert done.returncode == 0 and done.stdout.startswith("rejected by a curator: "), done.stderr
    done = kg("log")
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 2 and "“same firm”" in done.stdout
    out = tmp_path / "judgements.jsonl"
    done = kg("export", "-o", str(out))
    assert done.stdout == f"exported 2 judgements to {out}\n"
    done = kg("split", "Redriver")
    assert done.returncode == 0 and done.stdout.startswith("split Redriver Group"), done.stderr
    done = kg("undo", "nope")
    assert done.returncode == 1 and "no judgement 'nope'" in done.stderr


def test_suggestions_rank_the_duplicate_first_and_not_same_is_never_suggested_again(curated: Any) -> None:
    graph, writer, _ = curated
    from kg.suggest import suggest

    found = suggest(graph)
    assert (found[0].a, found[0].b) == ("redriver-group", "redriver")  # the gazetteer's actor absorbs NER's
    assert "both Organization" in found[0].reasons
    Curator(graph, writer).judge_actors(JudgementKind.not_same, "redriver", "redriver-group", "ana", at=AT)
    assert ("redriver-group", "redriver") not in {(s.a, s.b) for s in suggest(graph)}


@pytest.fixture(scope="module")
def dev_graph(graph_settings: Settings, graph: Graph) -> Any:
    """The 45 annotated dev articles (data/samples), ingested through the real pipeline."""
    from jobs.stages import ingest_paths
    from tests.conftest import REPO

    graph.write("MATCH (n) DETACH DELETE n")
    summary = ingest_paths(graph_settings, [REPO / "data" / "samples" / "articles.jsonl"], progress=None)
    assert summary.new == 45 and summary.failed == 0, summary.failures
    yield graph
    graph.write("MATCH (n) DETACH DELETE n")


def test_suggestions_find_the_dev_sets_duplicates(dev_graph: Graph) -> None:
    """Measured, not asserted exactly: recall of the true duplicate pairs (by the gold actor lists) in the first
    20 suggestions, and precision of those 20, written to test-artifacts/curation-suggest.json."""
    from bench.suggest_eval import GOLD, measure
    from tests.conftest import REPO

    if not GOLD.exists():
        pytest.skip(f"no gold annotations at {GOLD}")
    m = measure(dev_graph, k=20)
    out = REPO / "test-artifacts" / "curation-suggest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(m, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nsuggest on the 45 dev articles: {m['true_in_top']} of {m['true_pairs']} true pairs in the top 20 "
          f"(recall {m['recall_at_k']:.2f}; {m['joined_by_accepting']} joined by accepting them), precision "
          f"{m['precision_at_k']:.2f}")
    assert m["true_pairs"] >= 10
    # measured with kg.suggest.v2: 9 of 13 true pairs in the top 20, 12 of 13 joined by accepting them,
    # precision 9 / 17; the floors leave room for extraction changes, not for a matcher that stops working
    assert m["recall_at_k"] >= 0.6 and m["recall_after_accepting"] >= 0.85 and m["precision_at_k"] >= 0.45, m
    # accepting the best suggestion merges it; the next ranking no longer offers it
    from kg.suggest import suggest

    best = suggest(dev_graph, limit=1)[0]
    Curator(dev_graph).merge(best.a, best.b, "eval", at=AT)
    page = queries.actor(dev_graph, best.b_name)
    assert page is not None and page.id == best.a and best.b in page.merged
    assert (best.a, best.b) not in {(s.a, s.b) for s in suggest(dev_graph)}
