"""LED_TO / RESPONDS_TO on the real graph server: derived from one article's records where they make it clear,
set and taken back by curators as judgements (which survive re-ingest and travel with the other judgements),
and an actor's lifecycle alleged → denied → investigated → sanctioned."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kg import queries
from kg.curation import Curator
from kg.cypher.registry import all_statements
from kg.db import Graph
from kg.errors import KGError
from kg.facts import action_id, allegation_id
from kg.links import LED_TO, RESPONDS_TO, RULE_ACTION_ON_ACCUSED, RULE_COUNTER_MOVE, derive
from kg.settings import Settings
from kg.writer import GraphWriter, WriteStatus
from ontology.models import (
    ActionKind,
    ActionRecord,
    AllegationKind,
    AllegationRecord,
    AllegationStatus,
    Extraction,
    Judgement,
    JudgementKind,
)
from ontology.vocabulary import vocabulary
from tests.graph_server import kg_env
from tests.records import ACTORS, action_article, article, evidence, spec
from tests.test_curation import graph_state

AT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)

ACCUSE = "Northwind AI accused Redriver Group of distilling its model on 10 May 2026."
DENY = "Redriver Group denied the claims."
PROBE = "The Commerce Department opened an investigation into Redriver Group on 20 May 2026."
LIST = "On 2 June 2026 the Commerce Department added Redriver Group to the Entity List."
EARLIER = "In March 2026 the Commerce Department restricted Redriver Group's imports."
NOT = "The Commerce Department decided not to ban Redriver Group on 3 June 2026."
COUNTER = "On 12 May 2026 Redriver Group accused Northwind AI of stealing its code."


def story(doc_id: str = "life-1", with_list: bool = True) -> Extraction:
    """One article: an allegation (later denied), an investigation and a listing of the accused after it, an
    earlier restriction, a decision not to ban, and the accused's counter-accusation."""
    sentences = [ACCUSE, DENY, PROBE, *([LIST] if with_list else []), EARLIER, NOT, COUNTER]
    text = "\n".join(sentences) + "\n"
    ev = {s: evidence(text, s) for s in sentences}
    agency = "us-department-of-commerce"

    def act(sentence: str, kind: ActionKind, when: str, negated: bool = False) -> ActionRecord:
        return ActionRecord(issuer=agency, targets=["redriver-group"], kind=kind, date=spec(when), negated=negated,
                            evidence=ev[sentence])

    return Extraction(
        article=article(doc_id, text, outlet="Chip Wire", published=date(2026, 6, 5),
                        url=f"https://news.example/{doc_id}"),
        actors=[ACTORS["lab"], ACTORS["giant"], ACTORS["agency"]],
        allegations=[
            AllegationRecord(accuser="northwind-ai", accused=["redriver-group"], kind=AllegationKind.distillation,
                             date=spec("2026-05-10"), status=AllegationStatus.denied, status_cues=["denied"],
                             evidence=ev[ACCUSE]),
            AllegationRecord(accuser="redriver-group", accused=["northwind-ai"], kind=AllegationKind.ip_theft,
                             date=spec("2026-05-12"), evidence=ev[COUNTER]),
        ],
        actions=[act(PROBE, ActionKind.investigation, "2026-05-20"),
                 *([act(LIST, ActionKind.entity_list, "2026-06-02")] if with_list else []),
                 act(EARLIER, ActionKind.restriction, "2026-03"),
                 act(NOT, ActionKind.ban, "2026-06-03", negated=True)],
    )


def _ids(ex: Extraction) -> dict[str, str]:
    al, counter = ex.allegations
    return {"allegation": allegation_id(al), "counter": allegation_id(counter),
            **{a.kind.value: action_id(a) for a in ex.actions}}


def _links(graph: Graph) -> list[tuple[str, str, str]]:
    rows = graph.read("MATCH (a:Fact)-[l:LED_TO|RESPONDS_TO]->(b:Fact) WHERE l.unlinked_by IS NULL "
                      "RETURN type(l) AS type, a.id AS a, b.id AS b")
    return sorted((r["type"], r["a"], r["b"]) for r in rows)


def _story_and_a_later_lawsuit(graph: Graph) -> tuple[GraphWriter, list[Extraction], dict[str, str], str]:
    """The story written, and a lawsuit against the accused in another article: (writer, both articles, the
    story's fact ids, the lawsuit's fact id)."""
    writer = GraphWriter(graph)
    ex = story()
    other = action_article("lawsuit-1", "The Commerce Department sued Redriver Group in July 2026.",
                           date_=spec("2026-07"), kind=ActionKind.lawsuit)
    writer.write_many([ex, other])
    return writer, [ex, other], _ids(ex), action_id(other.actions[0])


def test_the_relations_are_the_ontologys_and_their_statements_are_registered() -> None:
    assert (vocabulary.rel_type("ledTo"), vocabulary.rel_type("respondsTo")) == (LED_TO, RESPONDS_TO) == \
        ("LED_TO", "RESPONDS_TO")
    for name in ("ledTo", "respondsTo"):
        rel = vocabulary.relation(name)
        assert rel.domain == "Fact" and rel.range == "Fact"
    for kind in ("led_to", "responds_to", "not_linked"):
        assert "_" not in vocabulary.words(kind, "JudgementKind")
    names = all_statements()
    assert {"cypher.links.LINK_DERIVED[LED_TO]", "cypher.links.LINK_CURATED[RESPONDS_TO]",
            "cypher.links.LINKS_FROM_CYPHER"} <= set(names)
    with pytest.raises(ValueError, match="names two different facts"):
        Judgement(kind=JudgementKind.led_to, subject="f1", curator="ana", created_at=AT)


def test_derive_links_only_what_one_article_makes_clear() -> None:
    ex = story()
    ids = _ids(ex)
    rows = derive(ex)
    assert sorted((r["type"], r["a"], r["b"], r["rule"]) for r in rows) == sorted([
        (LED_TO, ids["allegation"], ids["investigation"], RULE_ACTION_ON_ACCUSED),
        (LED_TO, ids["allegation"], ids["entity_list"], RULE_ACTION_ON_ACCUSED),
        (RESPONDS_TO, ids["counter"], ids["allegation"], RULE_COUNTER_MOVE),
    ])  # not the restriction before the allegation, not the ban decided against, not the other way round
    assert {r["article_id"] for r in rows} == {ex.article.id}
    undated = ex.model_copy(deep=True)
    undated.allegations[0].date = None
    assert [r for r in derive(undated) if r["b"] != ids["allegation"] and r["a"] == ids["allegation"]] == []
    # an action in another article is no evidence: two articles, no link
    assert derive(action_article("other", PROBE, date_=spec("2026-05-20"))) == []


def test_derived_links_follow_their_article_and_the_lifecycle_reads_them(clean_graph: Graph,
                                                                         tmp_path: Path) -> None:
    writer = GraphWriter(clean_graph)
    ex = story()
    ids = _ids(ex)
    assert writer.write(ex) == WriteStatus.new
    expected = sorted([(LED_TO, ids["allegation"], ids["investigation"]),
                       (LED_TO, ids["allegation"], ids["entity_list"]),
                       (RESPONDS_TO, ids["counter"], ids["allegation"])])
    assert _links(clean_graph) == expected
    before = graph_state(clean_graph)
    assert writer.write(ex) == WriteStatus.unchanged and graph_state(clean_graph) == before

    life = queries.lifecycle(clean_graph, "Redriver")
    assert [x.allegation.id for x in life] == [ids["allegation"]]
    steps = [(s.stage, s.date) for s in life[0].steps]
    assert steps == [("alleged", "10 May 2026"), ("denied", "date not given (first reported 5 June 2026)"),
                     ("responded", "12 May 2026"), ("investigated", "20 May 2026"), ("sanctioned", "2 June 2026")]
    assert life[0].steps[4].title == "U.S. Department of Commerce: Entity List on Redriver Group"
    assert life[0].steps[3].by == "from the article"

    # the Turtle export states the links (and their properties, so an import gives them back)
    from rdflib import Graph as RDFGraph

    from kg.export import export
    from kg.export.rdf_import import snapshot_from_rdf

    out = tmp_path / "links.ttl"
    export(clean_graph, "turtle", out)
    assert "aig:ledTo" in out.read_text() and "aig:respondsTo" in out.read_text()
    again = snapshot_from_rdf(RDFGraph().parse(out, format="turtle"))
    assert sorted((x.type, x.a, x.b) for x in again.links) == expected
    assert {x.props["rule"] for x in again.links} == {RULE_ACTION_ON_ACCUSED, RULE_COUNTER_MOVE}

    # a corrected version without the listing takes back the link only it gave
    assert writer.write(story(with_list=False)) == WriteStatus.replaced
    assert _links(clean_graph) == sorted([(LED_TO, ids["allegation"], ids["investigation"]),
                                          (RESPONDS_TO, ids["counter"], ids["allegation"])])
    writer.forget(story(with_list=False).article.id)
    assert _links(clean_graph) == []


def test_curators_set_and_take_back_links_as_judgements_that_survive_a_wipe(clean_graph: Graph) -> None:
    writer, both, ids, sanction = _story_and_a_later_lawsuit(clean_graph)
    cur = Curator(clean_graph, writer)
    assert sanction not in {b for _, a, b in _links(clean_graph) if a == ids["allegation"]}  # another article

    out = cur.link(ids["allegation"], sanction, JudgementKind.led_to, "ana", note="the July lawsuit cites it",
                   at=AT)
    assert out.line() == ("Northwind AI accuses Redriver Group of distillation led to U.S. Department of "
                          f"Commerce: lawsuit on Redriver Group (judgement {out.judgements[0].id})")
    with pytest.raises(KGError, match="already recorded"):
        cur.link(ids["allegation"], sanction, JudgementKind.led_to, "ana")
    stages = [s.stage for s in queries.lifecycle(clean_graph, "Redriver Group")[0].steps]
    assert stages == ["alleged", "denied", "responded", "investigated", "sanctioned", "sued"]
    assert queries.lifecycle(clean_graph, "Redriver")[0].steps[5].by == "set by ana"

    # a derived link taken back: a not_linked judgement hides it; undoing it gives it back
    out = cur.unlink(ids["allegation"], ids["investigation"], "ben", note="a routine audit", at=AT)
    hidden = out.judgements[0]
    assert hidden.kind is JudgementKind.not_linked and "taken back" in out.line()
    assert (LED_TO, ids["allegation"], ids["investigation"]) not in _links(clean_graph)
    assert "investigated" not in [s.stage for s in queries.lifecycle(clean_graph, "Redriver")[0].steps]
    writer.write_many(both, reextract=True)  # nothing changes on re-ingest
    assert (LED_TO, ids["allegation"], ids["investigation"]) not in _links(clean_graph)
    with pytest.raises(KGError, match="no link from"):
        cur.unlink(ids["allegation"], ids["investigation"], "ben")

    curated = graph_state(clean_graph, judgements=True)
    lines = cur.export_lines()
    assert [Judgement.model_validate_json(x).kind for x in lines] == [JudgementKind.led_to, JudgementKind.not_linked]
    clean_graph.write("MATCH (n) DETACH DELETE n")
    writer.write_many(both)
    assert (LED_TO, ids["allegation"], sanction) not in _links(clean_graph)
    cur.import_lines(lines)
    assert graph_state(clean_graph, judgements=True) == curated

    cur.undo(hidden.id, "ben", at=AT)
    assert (LED_TO, ids["allegation"], ids["investigation"]) in _links(clean_graph)
    out = cur.unlink(ids["allegation"], sanction, "ana", kind=JudgementKind.led_to, at=AT)  # a curator's: undone
    assert out.line().startswith("undone: Northwind AI accuses Redriver Group of distillation led to")
    assert (LED_TO, ids["allegation"], sanction) not in _links(clean_graph)
    assert clean_graph.read("MATCH (:Fact)-[l:LED_TO]->(:Fact {id: $b}) RETURN count(l) AS n",
                            {"b": sanction}) == [{"n": 0}]


def test_the_command_line(clean_graph: Graph, graph_settings: Settings) -> None:
    _writer, _both, ids, sanction = _story_and_a_later_lawsuit(clean_graph)
    env = kg_env(graph_settings)

    def kg(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kgcli", "curate", *args, "--curator", "cli"], env=env,
                              capture_output=True, text=True, timeout=120)

    done = kg("link", ids["allegation"], sanction, "--kind", "led_to", "--note", "cited")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Northwind AI accuses Redriver Group of distillation led to U.S. Department")
    done = kg("link", ids["allegation"], sanction)
    assert done.returncode == 1 and done.stderr.startswith("error: usage: kg curate link")
    done = kg("unlink", ids["counter"], ids["allegation"], "--kind", "responds_to")
    assert done.returncode == 0 and "not linked to" in done.stdout, done.stderr
    done = kg("log")
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 2 and "“cited”" in done.stdout
    assert (RESPONDS_TO, ids["counter"], ids["allegation"]) not in _links(clean_graph)
    assert (LED_TO, ids["allegation"], sanction) in _links(clean_graph)
    shown = subprocess.run([sys.executable, "-m", "kgcli", "query", "actor", "Redriver"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    followed = shown.stdout.split("what followed the allegations:\n", 1)[1].splitlines()
    assert followed == [
        f"  Northwind AI accuses Redriver Group of distillation  [{ids['allegation']}]",
        "    alleged · 10 May 2026",
        "    denied · date not given (first reported 5 June 2026)",
        "    investigated · 20 May 2026 — U.S. Department of Commerce: investigation on Redriver Group",
        "    sanctioned · 2 June 2026 — U.S. Department of Commerce: Entity List on Redriver Group",
        "    sued · July 2026 — U.S. Department of Commerce: lawsuit on Redriver Group",
    ]
