"""The graph writer and the query layer on the real local server, with records built by hand."""

from __future__ import annotations

import io

import neo4j
import pytest

from kg import queries
from kg.db import Graph, count_graph
from kg.errors import QueryRefused
from kg.loader import load
from kg.writer import GraphWriter, WriteStatus
from ontology.models import ActionKind, AllegationKind, AttributionKind, Extraction, Figure
from tests.records import accusation, action_article, spec

CLEAR = "MATCH (n) DETACH DELETE n"


@pytest.fixture
def writer(clean_graph: Graph) -> GraphWriter:
    return GraphWriter(clean_graph)


def evidence_ids(graph: Graph) -> list[str]:
    return sorted(r["id"] for r in graph.read("MATCH (e:Evidence) RETURN e.id AS id"))


def fact_ids(graph: Graph) -> list[str]:
    return sorted(r["id"] for r in graph.read("MATCH (f:Fact) RETURN f.id AS id"))


def test_same_allegation_from_four_articles_is_one_fact(writer: GraphWriter) -> None:
    docs = [
        accusation("r1", "Northwind AI accused Redriver Group of distilling its models.", outlet="Reuters"),
        accusation("r2", "Northwind said Redriver copied its model outputs.", outlet="Bloomberg"),
        accusation("r3", "Redriver illicitly accessed Northwind's systems, the company said.",
                   kind=AllegationKind.unauthorized_access),
        accusation("r4", "Northwind alleged Redriver stole its technology.", kind=AllegationKind.ip_theft),
    ]
    for d in docs:
        assert writer.write(d) is WriteStatus.new
    facts = writer.graph.read("MATCH (f:Allegation) RETURN f.id AS id, f.n_articles AS n, f.kinds AS kinds")
    assert len(facts) == 1 and facts[0]["n"] == 4
    assert set(facts[0]["kinds"]) == {"distillation", "unauthorized_access", "ip_theft"}
    actors = writer.graph.read("MATCH (a:Actor) RETURN a.id AS id, a.aliases AS aliases")
    assert len(actors) == 2  # one node per actor however many articles mention it


def test_reingest_changes_nothing(writer: GraphWriter) -> None:
    docs = [accusation(f"d{i}", f"Northwind accused Redriver of theft number {i}.") for i in range(3)]
    docs.append(action_article("act", "The Commerce Department restricted Redriver on June 12, 2026.",
                                date_=spec("2026-06-12")))
    for d in docs:
        writer.write(d)
    counts, evid = count_graph(writer.graph), evidence_ids(writer.graph)
    assert [writer.write(d) for d in docs] == [WriteStatus.unchanged] * 4
    assert count_graph(writer.graph) == counts
    assert evidence_ids(writer.graph) == evid


def test_corrected_article_replaces_its_evidence(writer: GraphWriter) -> None:
    first = accusation("x", "Northwind accused Redriver on 3 March 2026.", date_=spec("2026-03-03"),
                       url="https://example.com/story")
    fixed = accusation("x", "Northwind accused Redriver on 4 March 2026.", date_=spec("2026-03-04"),
                       url="https://example.com/story")
    writer.write(first)
    assert writer.write(fixed) is WriteStatus.replaced
    rows = writer.graph.read("MATCH (e:Evidence) RETURN e.sentence AS s, e.date_value AS d")
    assert rows == [{"s": "Northwind accused Redriver on 4 March 2026.", "d": "2026-03-04"}]
    assert len(writer.graph.read("MATCH (a:Article) RETURN a.id AS id")) == 1


def test_forget_removes_only_what_it_should(writer: GraphWriter) -> None:
    shared_a = accusation("s1", "Northwind accused Redriver of distillation.")
    shared_b = accusation("s2", "Redriver distilled Northwind's model, Northwind said.")
    lone = action_article("l1", "The Commerce Department restricted Redriver on 2 May 2026.", date_=spec("2026-05-02"))
    for d in (shared_a, shared_b, lone):
        writer.write(d)
    before = fact_ids(writer.graph)
    result = writer.forget(shared_a.article.id)
    assert result.found and result.facts_removed == 0 and result.facts_kept == 1
    assert fact_ids(writer.graph) == before  # still supported by s2
    result = writer.forget(lone.article.id)
    assert result.facts_removed == 2  # the action and its event had no other support
    names = {r["n"] for r in writer.graph.read("MATCH (a:Actor) RETURN a.name AS n")}
    assert names == {"Northwind AI", "Redriver Group"}  # Commerce is no longer mentioned anywhere
    allegation = writer.graph.read("MATCH (f:Allegation) RETURN f.n_articles AS n")
    assert allegation == [{"n": 1}]
    assert not writer.forget("no-such-article").found


def test_timeline_filters_and_precision(writer: GraphWriter) -> None:
    writer.write(action_article("m", "In June 2026 the Commerce Department restricted Redriver.",
                                date_=spec("2026-06")))
    # a listing is a different act from a restriction (kinds of different families are different facts)
    writer.write(action_article("d", "On 12 June 2026 the Commerce Department added Redriver to the Entity List.",
                                date_=spec("2026-06-12"), kind=ActionKind.entity_list))
    writer.write(accusation("a", "Northwind accused Redriver in 2025.", date_=spec("2025")))
    g = writer.graph
    items = queries.timeline(g, actors=["Redriver"])
    assert [f.date_value for f in items if f.fact_type == "GovernmentAction"] == ["2026-06", "2026-06-12"]
    month = next(f for f in items if f.date_value == "2026-06" and f.fact_type == "GovernmentAction")
    assert (month.date_precision, month.date_start, month.date_stop) == ("month", "2026-06-01", "2026-06-30")
    assert month.date_display == "June 2026"
    assert {f.kind for f in queries.timeline(g, kinds=["entity_list"])} == {"entity_list"}
    assert all(f.date_value.startswith("2026") for f in queries.timeline(g, since="2026-01-01") if f.date_value)
    assert all(f.fact_type == "Allegation" for f in queries.timeline(g, until="2025-12-31"))
    assert queries.timeline(g, actors=["Commerce Department"])  # an alias resolves
    assert queries.timeline(g, actors=["nobody at all"]) == []
    assert queries.timeline(g, min_reliability=101) == []


def test_actor_trace_sources(writer: GraphWriter) -> None:
    doc = accusation("t", "Northwind accused Redriver of distillation, according to Reuters.",
                     attributions=["Reuters"], attribution_kind=AttributionKind.outlet, outlet="Bloomberg")
    writer.write(doc)
    profile = queries.actor(writer.graph, "northwind")
    assert profile is not None and profile.name == "Northwind AI"
    assert len(profile.allegations_made) == 1 and not profile.allegations_received
    assert [a.name for a in profile.co_mentioned] == ["Redriver Group"]
    fact_id = profile.allegations_made[0].id
    tr = queries.trace(writer.graph, fact_id)
    assert tr is not None
    assert [e.sentence for e in tr.evidence] == ["Northwind accused Redriver of distillation, according to Reuters."]
    assert tr.evidence[0].outlet == "Bloomberg" and tr.evidence[0].cited == ["Reuters"]
    assert tr.evidence[0].context_before.endswith("Intro line for t.\n")
    assert tr.reliability_explanation and "cites Reuters" in " ".join(tr.reliability_explanation)
    names = {s.name for s in queries.sources(writer.graph)}
    assert {"Bloomberg", "Reuters"} <= names


def test_conflicting_dates_are_flagged_compatible_ones_are_not(writer: GraphWriter) -> None:
    writer.write(accusation("c1", "Northwind wrote to lawmakers on June 10 about Redriver.", date_=spec("--06-10")))
    writer.write(accusation("c2", "On 24 June, Northwind accused Redriver.", date_=spec("--06-24")))
    writer.write(accusation("c3", "Northwind accused Redriver in June 2026.", date_=spec("2026-06")))
    writer.write(accusation("c4", "Northwind accused Redriver on 10 June 2026.", date_=spec("2026-06-10")))
    found = queries.conflicts(writer.graph)
    pairs = {frozenset((c.a.doc_id, c.b.doc_id)) for c in found}
    assert pairs == {frozenset(("c1", "c2")), frozenset(("c2", "c4"))}
    assert all(c.field == "date" for c in found)
    # Once the odd report is gone, the fact is no longer listed as disputed.
    c2 = writer.graph.read("MATCH (a:Article {doc_id: 'c2'}) RETURN a.id AS id")[0]["id"]
    writer.forget(c2)
    assert queries.conflicts(writer.graph) == []
    assert writer.graph.read("MATCH (f:Fact) RETURN f.disputed AS d, f.n_conflicts AS n") == [{"d": None, "n": 0}]


def test_compatible_figures_are_not_conflicts(writer: GraphWriter) -> None:
    thousands = Figure(value=1000, unit="accounts", qualifier="thousands of", low=2000, high=99999,
                       text="thousands of fraudulent accounts")
    nearly = Figure(value=25000, unit="accounts", qualifier="nearly", low=22500, high=25000,
                    text="nearly 25,000 fraudulent accounts")
    other = Figure(value=500, unit="accounts", qualifier=None, low=500, high=500, text="500 accounts")
    writer.write(accusation("f1", "Northwind said Redriver used thousands of fraudulent accounts.",
                            figures=[thousands]))
    writer.write(accusation("f2", "Northwind said Redriver used nearly 25,000 fraudulent accounts.", figures=[nearly]))
    assert queries.conflicts(writer.graph) == []
    writer.write(accusation("f3", "Northwind said Redriver used 500 accounts.", figures=[other]))
    assert {c.field for c in queries.conflicts(writer.graph)} == {"figure:accounts"}


HOSTILE = ["O'Brien", 'say "hi"', "back\\slash", "x' OR 1=1 //", "}) MATCH (n) DETACH DELETE n //",
           "$param", "`weird`", "Robert'); DROP TABLE students;--", "\u202etext", ""]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_through_every_query_function(writer: GraphWriter, name: str) -> None:
    writer.write(accusation("h", "Northwind accused Redriver of distillation."))
    before = count_graph(writer.graph)
    g = writer.graph
    assert queries.timeline(g, actors=[name], kinds=[name], outlets=[name]) == []
    assert queries.actor(g, name) is None
    assert queries.trace(g, name) is None
    assert queries.article(g, name) is None
    assert isinstance(queries.find_actors(g, name), list)
    assert isinstance(queries.search_evidence(g, name), list)
    assert queries.conflicts(g, fact_id=name) == []
    assert queries.outlet_articles(g, name) == []
    assert queries.cypher(g, "MATCH (a:Actor) WHERE a.name = $n RETURN a.id AS id", {"n": name}).rows == []
    assert count_graph(g) == before


WRITE_ATTEMPTS = [
    "CREATE (n:Actor {id: 'x'})",
    "MERGE (n:Actor {id: 'x'})",
    "MATCH (n:Actor) SET n.name = 'pwned'",
    "MATCH (n:Actor) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Actor) REMOVE n.name",
    "DROP INDEX actor_name IF EXISTS",
    "DROP CONSTRAINT actor_id",
    "CREATE INDEX x IF NOT EXISTS FOR (n:Actor) ON (n.other)",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "CALL dbms.components()",
    "CALL dbms.security.createUser('x', 'y', false)",
    "CALL db.labels()",
    "CALL db.createLabel('X')",
    "MATCH (n:Actor) CALL { WITH n SET n.name = 'x' } RETURN n",
    "MATCH (n:Actor) CALL (n) { DETACH DELETE n } RETURN 1",
    "UNWIND [1] AS x FOREACH (i IN [1] | CREATE (:Actor {id: 'y'}))",
    "MATCH (n) /* harmless */ DeTaCh DeLeTe n",
    "match (n:Actor) // comment\nset n.name = 'x'",
    "MATCH (n) RETURN n; CREATE (m:Actor {id: 'z'})",
    "cReAtE (n:Actor {id: 'q'})",
    "MATCH (n:Actor) WITH n LIMIT 1 MERGE (n)-[:X]->(n)",
    "CALL apoc.create.node(['Actor'], {id: 'a'})",
    "SHOW USERS",
    "RETURN 1 /* CREATE (n) unterminated",
    "GRANT ROLE admin TO bob",
]


def test_read_only_console_refuses_writes(writer: GraphWriter) -> None:
    writer.write(accusation("w", "Northwind accused Redriver of distillation."))
    before = count_graph(writer.graph)
    names = sorted(r["n"] for r in writer.graph.read("MATCH (a:Actor) RETURN a.name AS n"))
    assert len(WRITE_ATTEMPTS) >= 20
    for attempt in WRITE_ATTEMPTS:
        with pytest.raises(QueryRefused):
            queries.cypher(writer.graph, attempt)
    assert count_graph(writer.graph) == before
    assert sorted(r["n"] for r in writer.graph.read("MATCH (a:Actor) RETURN a.name AS n")) == names
    ok = queries.cypher(writer.graph, "MATCH (a:Actor) WHERE a.name CONTAINS 'CREATE' OR true RETURN a.name AS n "
                                      "ORDER BY n", row_limit=1)
    assert ok.rows == [{"n": "Northwind AI"}] and ok.truncated


def test_console_results_carry_nodes_for_the_graph_view(writer: GraphWriter) -> None:
    writer.write(accusation("n", "Northwind accused Redriver of distillation."))
    res = queries.cypher(writer.graph, "MATCH (f:Allegation)-[r:ACCUSER]->(a:Actor) RETURN f, r, a")
    assert res.columns == ["f", "r", "a"] and len(res.rows) == 1
    assert len(res.nodes) == 2 and res.relationships[0]["type"] == "ACCUSER"


ALL_NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
ALL_RELATIONSHIPS = "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props"


def dump(graph: Graph) -> tuple[list[str], list[str]]:
    """Every node and relationship with every property, as sorted text (ids are stable, so two graphs built
    from the same articles compare equal)."""
    # The graph version counts write transactions (one batch, or one per article), not what the graph holds.
    nodes = sorted(repr((sorted(r["labels"]), sorted(r["props"].items()))) for r in graph.read(ALL_NODES)
                   if "GraphVersion" not in r["labels"])
    rels = sorted(repr((r["type"], r["a"], r["b"], sorted(r["props"].items()))) for r in graph.read(ALL_RELATIONSHIPS))
    return nodes, rels


def _batch_corpus() -> list[list[Extraction]]:
    """Batches as the loader would cut them: new articles that share facts, an article first seen in an
    earlier batch (unchanged), a corrected version of an earlier article (same URL, new text) and an action."""
    first = accusation("c1", "Northwind accused Redriver on 3 March 2026.", date_=spec("2026-03-03"),
                       url="https://example.com/c1", outlet="Reuters")
    return [
        [first,
         accusation("c2", "Redriver distilled Northwind's model, Northwind said on 5 March 2026.",
                    date_=spec("2026-03-05"), outlet="Bloomberg", attributions=["Reuters"]),
         action_article("c3", "The Commerce Department restricted Redriver on June 12, 2026.",
                        date_=spec("2026-06-12"))],
        [first,
         accusation("c1", "Northwind accused Redriver on 4 March 2026.", date_=spec("2026-03-04"),
                    url="https://example.com/c1", outlet="Reuters"),
         accusation("c4", "Northwind alleged Redriver stole its technology.", kind=AllegationKind.ip_theft,
                    outlet="Caixin"),
         action_article("c5", "Commerce restricted Redriver in June 2026.", date_=spec("2026-06"))],
    ]


def test_a_batch_leaves_the_graph_one_by_one_writes_leave(writer: GraphWriter) -> None:
    batches = _batch_corpus()
    sequential = [writer.write(ex) for batch in batches for ex in batch]
    expected = dump(writer.graph)
    writer.graph.write(CLEAR)
    batched = [status for batch in batches for status in writer.write_many(batch)]
    assert batched == sequential == [WriteStatus.new] * 3 + [WriteStatus.unchanged, WriteStatus.replaced,
                                                            WriteStatus.new, WriteStatus.new]
    assert dump(writer.graph) == expected


class _FailsOn(GraphWriter):
    """A writer whose transaction fails whenever it contains one given document."""

    bad_doc = "bad"

    def _write_batch(self, tx: neo4j.ManagedTransaction, exs: list[Extraction],
                     reextract: bool = False) -> list[WriteStatus]:
        statuses = super()._write_batch(tx, exs, reextract)  # the batch's writes are made, then rolled back
        if any(ex.article.doc_id == self.bad_doc for ex in exs):
            raise ValueError("simulated write failure")
        return statuses


def test_a_failing_article_fails_alone_in_its_batch(graph: Graph, clean_graph: Graph) -> None:
    docs = [accusation(f"g{i}", f"Northwind accused Redriver of theft number {i}.") for i in range(5)]
    docs.insert(2, accusation("bad", "Northwind accused Redriver of something odd."))
    errors = io.StringIO()
    summary = load(_FailsOn(graph), docs, progress=None, errors=errors, max_batch=32)
    assert (summary.new, summary.failed) == (5, 1)
    assert summary.failures[0][0] == "bad" and "simulated write failure" in errors.getvalue()
    stored = sorted(r["d"] for r in graph.read("MATCH (a:Article) RETURN a.doc_id AS d"))
    assert stored == [f"g{i}" for i in range(5)]
    assert len(evidence_ids(graph)) == 5  # nothing of the failed article, nothing twice
    graph.write(CLEAR)
