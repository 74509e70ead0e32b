"""Pages and what the writer keeps for them (issue 18, kg/names.py), on the real graph server.

Summaries are compared with the same values computed from scratch from the graph's own roles, mentions,
SAME_AS edges and fact dates, after every kind of write (ingest, forget, re-ingest, a corrected version, a
verdict, a merge and its split, the bulk loader); pages are walked cursor by cursor and compared with the
unpaged answer.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph as RDFGraph

from bench import synth
from bench.bulk import bulk_load
from bench.check import compare, fingerprint
from kg import names, queries, server
from kg.curation import Curator
from kg.db import Graph, connect
from kg.export import export, load_snapshot
from kg.export.rdf_import import import_rdf
from kg.schema import apply_schema
from kg.writer import GraphWriter
from ontology.models import ArticleRecord, Extraction
from ontology.vocabulary import AIG, vocabulary
from tests.graph_server import local_settings
from tests.records import duplicate_actor_articles

ROLE_TYPES = [vocabulary.rel_type(r) for r in vocabulary.role_relations]


def stored(graph: Graph) -> dict[str, Any]:
    """NAMES edges, actors' fact counts and article counts, CO_MENTIONED edges, as stored."""
    return {
        "names": sorted((r["f"], r["a"], tuple(r["roles"]), r["key"], r["bucket"], bool(r["rejected"]))
                        for r in graph.read("MATCH (f:Fact)-[n:NAMES]->(a:Actor) RETURN f.id AS f, a.id AS a, "
                                            "n.roles AS roles, n.key AS key, n.bucket AS bucket, "
                                            "n.rejected AS rejected")),
        "fact_counts": {r["id"]: json.loads(r["c"]) for r in graph.read(
            "MATCH (a:Actor) WHERE a.fact_counts IS NOT NULL RETURN a.id AS id, a.fact_counts AS c")},
        "n_articles": {r["id"]: r["n"] for r in graph.read(
            "MATCH (a:Actor) WHERE a.n_articles IS NOT NULL RETURN a.id AS id, a.n_articles AS n")},
        "co_mentioned": sorted((r["a"], r["b"], r["n"]) for r in graph.read(
            "MATCH (a:Actor)-[c:CO_MENTIONED]->(b:Actor) RETURN a.id AS a, b.id AS b, c.articles AS n")),
        "co_top": {r["id"]: names.decode_top(r["t"]) for r in graph.read(
            "MATCH (a:Actor) WHERE a.co_top IS NOT NULL RETURN a.id AS id, a.co_top AS t")},
    }


def from_scratch(graph: Graph) -> dict[str, Any]:
    """The same values, computed from the relations they summarise (not from the writer's deltas)."""
    canon = {r["m"]: r["c"] for r in graph.read("MATCH (m:Actor)-[:SAME_AS]->(c:Actor) RETURN m.id AS m, c.id AS c")}
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in graph.read("MATCH (f:Fact)-[r]->(a:Actor) WHERE type(r) IN $types "
                        "RETURN f.id AS f, type(r) AS t, a.id AS a", {"types": ROLE_TYPES}):
        roles[r["f"]][r["t"]].append(r["a"])
    mentioned: dict[str, set[str]] = defaultdict(set)
    for r in graph.read("MATCH (f:Fact)-[:HAS_EVIDENCE]->(:Evidence)-[:MENTIONS]->(a:Actor) "
                        "RETURN f.id AS f, a.id AS a"):
        mentioned[r["f"]].add(r["a"])
    edges = []
    for r in graph.read("MATCH (f:Fact) RETURN f.id AS id, properties(f) AS p"):
        edges += names.names_of(r["id"], r["p"], roles[r["id"]], mentioned[r["id"]], canon)
    arts: dict[str, list[str]] = defaultdict(list)
    for r in graph.read("MATCH (art:Article)-[:MENTIONS]->(a:Actor) RETURN art.id AS art, a.id AS a"):
        arts[r["art"]].append(r["a"])
    delta = names.MentionDelta()
    for ids in arts.values():
        delta.add(ids)
    return {
        "names": sorted((n.fact_id, n.actor_id, n.roles, n.key, n.bucket, n.rejected) for n in edges),
        "fact_counts": {a: json.loads(c) for a, c in names.counts_of(edges).items() if c},
        "n_articles": {r["id"]: r["delta"] for r in delta.article_rows()},
        "co_mentioned": sorted((r["a"], r["b"], r["delta"]) for r in delta.pair_rows()),
        "co_top": {a: names.decode_top(t) for a, t in names.tops_of(delta.pairs, {
            r["id"]: (r["name"], r["type"]) for r in graph.read(
                "MATCH (a:Actor) RETURN a.id AS id, a.name AS name, a.type AS type")}).items()},
    }


def assert_exact(graph: Graph) -> None:
    got, want = stored(graph), from_scratch(graph)
    for key in want:
        assert got[key] == want[key], key
    assert want["names"], "nothing to compare"


def test_sort_key_orders_as_the_timeline_does() -> None:
    facts = [("2023-01-01", "2023", "b"), ("2023-01-01", "2023-01", "a"), ("2023-01-01", "2023-01-01", "c"),
             (None, "--06-24", "d"), (None, None, "e"), ("2022-12-31", "2022-12-31", "f")]
    by_tuple = sorted(facts, key=lambda f: (f[0] is None, f[0] or "", f[1] or "", f[2]))
    assert sorted(facts, key=lambda f: names.sort_key(*f)) == by_tuple
    assert names.page_bucket("2023-05-01", "2023-12-31") == "2023-05"
    assert names.page_bucket("2022-05-01", "2023-02-01") == names.SPAN
    assert names.page_bucket(None, None) == names.UNDATED_BUCKET
    assert names.years("2021-03-01", "2023-01-31") == ["2021", "2022", "2023"]


def test_summaries_exact_after_ingest_forget_reingest_verdict_merge_and_split(clean_graph: Graph) -> None:
    writer = GraphWriter(clean_graph)
    exs = duplicate_actor_articles()
    extra = list(synth.extractions(60, seed=3, w=synth.world(60, seed=3)))
    writer.write_many(exs)
    writer.write_many(extra[:30])
    for ex in extra[30:]:
        writer.write(ex)
    assert_exact(clean_graph)

    writer.forget(extra[0].article.id)  # forget
    assert_exact(clean_graph)
    writer.write(extra[0])  # and ingest it again
    writer.write_many(extra[:10])  # unchanged
    assert_exact(clean_graph)
    # a corrected version: same URL, other text (its facts and mentions replaced)
    old = extra[5]
    article = {k: v for k, v in old.article.model_dump().items() if k != "id"}
    corrected = old.model_copy(update={"article": ArticleRecord(**{**article, "text": old.article.text + " Updated."})})
    writer.write(corrected)
    assert_exact(clean_graph)

    cur = Curator(clean_graph, writer)
    fact = clean_graph.read("MATCH (f:Fact)-[:NAMES]->(:Actor) RETURN f.id AS id ORDER BY id LIMIT 1")[0]["id"]
    cur.reject(fact, "ana")
    assert_exact(clean_graph)
    assert any(r[5] for r in stored(clean_graph)["names"])  # the rejected fact's edges say so

    before = stored(clean_graph)
    cur.merge("Redriver Group", "Redriver", "ana")
    assert_exact(clean_graph)
    assert stored(clean_graph) != before
    cur.split("Redriver", "ana")
    assert_exact(clean_graph)
    assert stored(clean_graph) == before


@pytest.mark.parametrize("mode", ["merge", "create"])
def test_the_bulk_loader_keeps_what_the_writer_keeps(clean_graph: Graph, mode: str) -> None:
    world = synth.world(120, seed=4)
    bulk_load(clean_graph, synth.extractions(120, seed=4, w=world), batch_rows=400, mode=mode)
    assert_exact(clean_graph)
    bulk, bulk_graph = stored(clean_graph), fingerprint(clean_graph)
    clean_graph.write("MATCH (n) DETACH DELETE n")
    GraphWriter(clean_graph).write_many(list(synth.extractions(120, seed=4, w=world)))
    assert stored(clean_graph) == bulk
    # every node, relationship and property: the write benchmark's raw reference writes what the writer writes
    assert compare(fingerprint(clean_graph), bulk_graph) == "same"


@pytest.fixture(scope="module")
def synthetic(graph: Graph) -> Graph:
    graph.write("MATCH (n) DETACH DELETE n")
    world = synth.world(400, seed=11)
    writer = GraphWriter(graph)
    exs = list(synth.extractions(400, seed=11, w=world))
    for start in range(0, len(exs), 50):
        writer.write_many(exs[start:start + 50])
    fact = graph.read("MATCH (f:Fact)-[:NAMES]->(:Actor {id: 'united-states'}) RETURN f.id AS id "
                      "ORDER BY id LIMIT 1")[0]["id"]
    Curator(graph, writer).reject(fact, "ana")  # one rejected fact of the hub actor
    return graph


def _walk(fetch: Any, size: int) -> list[str]:
    ids: list[str] = []
    after = None
    while True:
        page = fetch(after, size)
        assert len(page.items) <= size
        ids += [f.id for f in page.items]
        if page.next is None:
            return ids
        assert len(page.items) == size
        after = page.next


@pytest.mark.parametrize("filters", [
    {},
    {"since": "2021-01-01", "until": "2021-12-31"},
    {"since": "2020-03-15", "until": "2022-08-01"},
    {"include_rejected": True},
    {"fact_types": ["Allegation"], "min_reliability": 40.0},
])
@pytest.mark.parametrize("who", [["United States"], ["China", "Japan"], None])
def test_timeline_pages_walk_the_unpaged_answer(synthetic: Graph, filters: dict[str, Any],
                                                who: list[str] | None) -> None:
    whole = [f.id for f in queries.timeline(synthetic, actors=who, limit=100_000, **filters)]
    assert whole
    for size in (7, 100):
        walked = _walk(lambda after, n: queries.timeline_page(synthetic, actors=who, after=after, size=n, **filters),
                       size)
        assert walked == whole  # every fact once, in order
    first = queries.timeline_page(synthetic, actors=who, size=5, **filters)
    if who == ["United States"] and set(filters) <= {"since", "until"} and (
            not filters or (filters["since"][5:], filters["until"][5:]) == ("01-01", "12-31")):
        assert first.total == len(whole)
    mentioned = [f for f in queries.timeline(synthetic, actors=who, limit=100_000, **filters) if f.role]
    paged = {f.id: f.role for f in queries.timeline_page(synthetic, actors=who, size=100_000, **filters).items}
    assert all(paged[f.id] == f.role for f in mentioned)


# sizes that take one read, two (the roles the first round left short, together) and three (a smaller actor)
@pytest.mark.parametrize(("who", "size", "include_rejected"), [
    ("United States", 4, False), ("United States", 4, True), ("United States", 40, False),
    ("China", 1, False), ("Harborfield Labs", 1, False), ("Harborfield Labs", 1, True)])
def test_actor_pages_per_role(synthetic: Graph, who: str, size: int, include_rejected: bool) -> None:
    whole = queries.actor(synthetic, who, limit=100_000, include_rejected=include_rejected)
    assert whole is not None
    paged = queries.actor(synthetic, who, per_role=size, include_rejected=include_rejected)
    assert paged is not None and paged.id == whole.id
    for role, field in queries._ROLE_LISTS.items():
        full = sorted((f.id for f in getattr(whole, field)),
                      key=lambda i: next(names.sort_key(f.date_start, f.date_value, f.id)
                                         for f in getattr(whole, field) if f.id == i))
        assert [f.id for f in getattr(paged, field)] == full[:size], role
        assert (paged.next[role] is None) == (len(full) <= size)
        if not include_rejected:
            assert paged.totals[role] == len(full)
        walked = _walk(lambda after, n, r=role: queries.actor_facts_page(
            synthetic, who, r, after=after, size=n, include_rejected=include_rejected), 6)
        assert walked == full, role
    assert paged.articles == whole.articles > 0
    assert paged.co_mentioned and paged.co_mentioned == whole.co_mentioned
    counts = from_scratch(synthetic)["co_mentioned"]
    name = {r["id"]: r["name"] for r in synthetic.read("MATCH (a:Actor) RETURN a.id AS id, a.name AS name")}
    others = [(b if a == whole.id else a, n) for a, b, n in counts if whole.id in (a, b)]
    top = sorted(others, key=lambda x: (-x[1], name[x[0]]))[:queries.CO_MENTIONED]
    assert [(c.id, c.articles) for c in paged.co_mentioned] == top  # exact: every article, no sampling
    # the neighbourhood of the facts shown: what the unpaged pattern gives for them
    shown = sorted({f.id for field in queries._ROLE_LISTS.values()
                    for f in getattr(paged, field)[:queries.NEIGHBOURHOOD_FACTS]})
    want = synthetic.read(
        "MATCH (a:Actor {id: $id})<-[r1]-(f:Fact)-[r2]->(b:Actor) "
        "WHERE f.id IN $ids AND type(r1) IN $roles AND type(r2) IN $roles AND b.id <> a.id "
        "RETURN f.id AS fact_id, type(r1) AS r1, type(r2) AS r2, b.id AS b",
        {"id": whole.id, "ids": shown, "roles": ROLE_TYPES})
    assert want or who != "United States"
    assert sorted((n.fact_id, n.role_of_actor, n.role_of_other, n.other_id) for n in paged.neighbourhood) == sorted(
        (r["fact_id"], r["r1"], r["r2"], r["b"]) for r in want)[:200]


def test_conflicts_pages_walk_the_list(synthetic: Graph) -> None:
    whole = [(c.fact_id, c.id) for c in queries.conflicts(synthetic, limit=100_000)]
    assert len(whole) > 10
    assert whole == sorted(whole)
    walked: list[tuple[str, str]] = []
    after = None
    while True:
        page = queries.conflicts_page(synthetic, after=after, size=4)
        walked += [(c.fact_id, c.id) for c in page.items]
        if page.next is None:
            break
        after = page.next
    assert walked == whole
    first = queries.conflicts_page(synthetic, size=3).items[0]
    assert first.a.sentence and first.b.sentence and (first.a.outlet or first.a.doc_id)


def test_the_synthetic_graph_is_exact_too(synthetic: Graph) -> None:
    assert_exact(synthetic)
    assert all(isinstance(ex, Extraction) for ex in duplicate_actor_articles())


@pytest.fixture
def second_graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graph]:
    settings = local_settings(tmp_path_factory.mktemp("graph-pages-import"))
    server.start(settings)
    try:
        with connect(settings) as g:
            apply_schema(g)
            yield g
    finally:
        server.stop(settings)


def test_names_travel_in_exports_and_come_back_on_import(synthetic: Graph, second_graph: Graph,
                                                         tmp_path: Path) -> None:
    """NAMES is in the Turtle export (aig:names, one triple per edge); `kg import` computes NAMES, the fact
    counts, article counts and CO_MENTIONED again from what it imports: the same as the writer's. The
    neo4j-admin files carry every relationship as stored (tests/test_export_neo4j.py loads them back)."""
    out = tmp_path / "kg.ttl"
    export(synthetic, "turtle", out)
    triples = RDFGraph().parse(out, format="turtle")
    snap = load_snapshot(synthetic)
    assert len(list(triples.subject_objects(AIG.names))) == len(snap.names) > 0
    import_rdf(second_graph, out)
    here, there = stored(synthetic), stored(second_graph)
    # the export leaves out the rejected fact (and with it its NAMES edges and their counts)
    kept = {f for f in snap.facts}
    assert there["names"] == [n for n in here["names"] if n[0] in kept]
    assert_exact(second_graph)
    page = queries.timeline_page(second_graph, actors=["United States"], size=10)
    assert [f.id for f in page.items] == [f.id for f in queries.timeline_page(synthetic, actors=["United States"],
                                                                              size=10).items]


def test_a_top_list_grown_is_the_top_list_counted_again() -> None:
    import random

    rng = random.Random(3)
    actors = [f"a{i:02d}" for i in range(60)]
    who = {a: (f"Name {rng.choice('ABC')}{a}", "Company") for a in actors}  # names decide ties, not ids
    counts = {(a, b): rng.choice([1, 1, 2, 3, 5]) for i, a in enumerate(actors) for b in actors[i + 1:]
              if rng.random() < 0.7}
    before = names.tops_of(counts, who)
    assert all(len(names.decode_top(t)) <= names.CO_TOP for t in before.values())
    for _ in range(20):  # an article's pairs grow; the lists merged with them equal the lists counted anew
        grown_pairs = [*rng.sample(sorted(counts), 8), (actors[0], f"new{rng.randrange(99)}")]
        for p in grown_pairs:
            who.setdefault(p[1], (f"Name {p[1]}", "Person"))
            counts[p] = counts.get(p, 0) + 1
        after = names.tops_of(counts, who)
        grown: dict[str, dict[str, tuple[str, str, int]]] = defaultdict(dict)
        for a, b in grown_pairs:
            grown[a][b] = (*who[b], counts[(a, b)])
            grown[b][a] = (*who[a], counts[(a, b)])
        for actor, g in grown.items():
            assert names.merged_top(before.get(actor), g) == after[actor], actor
        before = after
    top = names.decode_top(before[actors[0]])
    assert [(-n, name) for _, name, _, n in top] == sorted((-n, name) for _, name, _, n in top)
