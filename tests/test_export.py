"""Exports (Turtle, JSON-LD, CSV, TimelineJS, ClaimReview) and `kg import`, on the real local server.

Each test runs on two data sets: records built by hand here (always), and the sample corpus through the
extraction pipeline (when data/samples/articles.jsonl and ingest/pipeline.py exist). The module clears the
shared test server before loading each; the round trip imports into a second server of its own.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from pyshacl import validate
from rdflib import OWL
from rdflib import Graph as RDFGraph
from rdflib.compare import isomorphic

from kg import cypher as q
from kg import export_cli, server
from kg.db import Graph, connect, count_graph
from kg.errors import KGError
from kg.export import (
    CSV_COLUMNS,
    FORMATS,
    Snapshot,
    export,
    load_snapshot,
    select,
    to_rdf,
)
from kg.export.csv import _cell
from kg.export.rdf_import import import_rdf
from kg.schema import apply_schema
from kg.settings import Settings
from kg.writer import GraphWriter
from ontology.models import (
    ActionKind,
    ActorRecord,
    ActorType,
    AllegationKind,
    AllegationRecord,
    AllegationStatus,
    ArticleRecord,
    AttributionKind,
    Extraction,
    Figure,
    TimeSpec,
)
from ontology.vocabulary import SHAPES_PATH
from tests.graph_server import local_settings
from tests.records import ACTORS, action_article, evidence, spec

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples" / "seeds" / "articles.jsonl"  # the five seed articles, s00-s04
CLEAR = "MATCH (n) DETACH DELETE n"
US = ActorRecord(id="united-states", name="United States", type=ActorType.Country, aliases=["Washington"])
OFFICIAL = ActorRecord(id="jane-doe", name="Jane Doe", type=ActorType.Person, aliases=["Doe"])


def allegation(doc_id: str, sentence: str, *, outlet: str | None, published: date | None, title: str | None,
               url: str | None, date_: TimeSpec | None = None, kind: AllegationKind = AllegationKind.distillation,
               accused: tuple[str, ...] = ("redriver-group",), attributions: list[str] | None = None,
               attribution_kind: AttributionKind | None = None, hedges: list[str] | None = None,
               status: AllegationStatus = AllegationStatus.alleged, figures: list[Figure] | None = None,
               accuser: str = "northwind-ai") -> Extraction:
    text = f"{title or doc_id}\n{sentence}\nClosing line."
    ev = evidence(text, sentence, attributions=attributions or [], attribution_kind=attribution_kind,
                  hedges=hedges or [])
    actors = {a.id: a for a in (ACTORS["lab"], ACTORS["giant"], US, OFFICIAL)}
    return Extraction(
        article=ArticleRecord(doc_id=doc_id, text=text, outlet=outlet, published=published, title=title, url=url),
        actors=[actors[x] for x in dict.fromkeys((accuser, *accused))],
        allegations=[AllegationRecord(accuser=accuser, accused=list(accused), kind=kind, date=date_, status=status,
                                      figures=figures or [], evidence=ev)],
    )


def hand_built() -> list[Extraction]:
    """Allegations (multi-source, a date conflict, a cited outlet, hedges, a second accused), government
    actions (one negated), events at day, month, year and day-and-month-without-year precision, HTML in text."""
    docs = [
        allegation("a1", "Northwind AI accused Redriver Group of distilling its models in June 2026.",
                   outlet="Reuters", published=date(2026, 6, 12), title="Northwind <accuses> Redriver & co",
                   url="https://www.reuters.com/tech/a1", date_=spec("2026-06"),
                   figures=[Figure(value=28.8, unit="million exchanges", qualifier="more than", low=28.8,
                                   text="more than 28.8 million exchanges")]),
        allegation("a2", "Redriver copied Northwind's model outputs on 3 June 2026, according to Reuters.",
                   outlet="Bloomberg", published=date(2026, 6, 13), title="Redriver copied outputs, Reuters says",
                   url="https://www.bloomberg.com/news/a2", date_=spec("2026-06-03"), attributions=["Reuters"],
                   attribution_kind=AttributionKind.outlet),
        allegation("a3", "Redriver reportedly accessed Northwind systems on 20 May 2026, people familiar said.",
                   outlet="Tech Blog Weekly", published=date(2026, 6, 14), title="Access claims",
                   url="https://techblog.example/a3", date_=spec("2026-05-20"),
                   kind=AllegationKind.unauthorized_access, attributions=["people familiar"],
                   attribution_kind=AttributionKind.anonymous, hedges=["reportedly"]),
        allegation("a4", "Jane Doe accused Redriver Group and the United States of espionage in 2026.",
                   outlet=None, published=None, title=None, url=None, date_=spec("2026"),
                   kind=AllegationKind.espionage, accuser="jane-doe", accused=("redriver-group", "united-states"),
                   status=AllegationStatus.denied),
        action_article("act1", "The Commerce Department restricted Redriver on June 12, 2026.",
                       date_=spec("2026-06-12"), outlet="Reuters"),
        action_article("act2", "The Commerce Department decided not to ban Redriver in 2025.",
                       date_=spec("2025"), negated=True, kind=ActionKind.ban),
        action_article("act3", "On 24 June the Commerce Department opened an investigation into Redriver.",
                       date_=spec("--06-24"), kind=ActionKind.investigation),
        action_article("act4", 'The Commerce Department said "<b>rules</b>" on Redriver & partners start in July 2026.',
                       date_=spec("2026-07"), kind=ActionKind.legislation),
        action_article("act5", "The Commerce Department sanctioned Redriver from 2 to 9 March 2026.",
                       date_=spec("2026-03-02", end="2026-03-09"), kind=ActionKind.sanction),
        action_article("act6", "The Commerce Department listed Redriver on an unnamed day.",
                       date_=None, kind=ActionKind.other),
    ]
    return docs


def sample_available() -> bool:
    return SAMPLES.is_file() and importlib.util.find_spec("ingest.pipeline") is not None


@pytest.fixture(scope="module", params=["hand", "sample"])
def dataset(request: pytest.FixtureRequest, graph: Graph, graph_settings: Settings) -> Iterator[str]:
    graph.write(CLEAR)
    if request.param == "sample":
        if not sample_available():
            pytest.skip("sample corpus or extraction pipeline not available yet")
        from jobs.stages import ingest_paths

        summary = ingest_paths(graph_settings, [SAMPLES], progress=None, errors=None)
        assert summary.new > 0, summary.line()
    else:
        writer = GraphWriter(graph)
        writer.sync_outlets()
        for doc in hand_built():
            writer.write(doc)
    yield str(request.param)
    graph.write(CLEAR)


@pytest.fixture(scope="module")
def other_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A second, empty server for the round trip."""
    settings = local_settings(tmp_path_factory.mktemp("graph-import"))
    server.start(settings)
    try:
        yield settings
    finally:
        server.stop(settings)


@pytest.fixture
def other_graph(other_settings: Settings) -> Iterator[Graph]:
    with connect(other_settings) as g:
        g.write(CLEAR)
        yield g
        g.write(CLEAR)


def shacl_report(data: RDFGraph) -> tuple[bool, str]:
    shapes = RDFGraph().parse(SHAPES_PATH, format="turtle")
    conforms, _, text = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    return bool(conforms), str(text)


def normalised(snap: Snapshot) -> dict[str, Any]:
    """A snapshot as comparable data: list values as sorted lists (RDF keeps no order within a property)."""

    def norm(props: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in props.items():
            if k == "search":
                v = sorted(x for x in str(v).split(" | ") if x)
            out[k] = sorted(v, key=str) if isinstance(v, list) else v
        return out

    return {
        "actors": {k: norm(v) for k, v in snap.actors.items()},
        "actor_types": snap.actor_types,
        "outlets": {k: norm(v) for k, v in snap.outlets.items()},
        "articles": {k: norm(v) for k, v in snap.articles.items()},
        "publishers": snap.publishers,
        "facts": {k: norm(v) for k, v in snap.facts.items()},
        "fact_types": snap.fact_types,
        "roles": sorted((r.fact_id, r.relation, r.actor_id, r.position) for r in snap.roles),
        "evidence": {k: norm(v) for k, v in snap.evidence.items()},
        "evidence_fact": snap.evidence_fact,
        "evidence_article": snap.evidence_article,
        "cites": sorted((c.evidence_id, c.outlet_id, c.as_written or "") for c in snap.cites),
        "mentions": sorted((m.article_id, m.actor_id, tuple(sorted(m.aliases))) for m in snap.mentions),
        "evidence_mentions": sorted(snap.evidence_mentions),
        "conflicts": sorted((c.id, c.a, c.b, json.dumps(norm(c.props), sort_keys=True)) for c in snap.conflicts),
        "same_as": sorted(snap.same_as),
    }


def counts_by(graph: Graph) -> tuple[dict[str, int], dict[str, int]]:
    labels: dict[str, int] = {}
    for r in graph.read(q.COUNT_BY_LABEL_CYPHER):
        for label in r["labels"]:
            labels[label] = labels.get(label, 0) + int(r["n"])
    types = {r["type"]: int(r["n"]) for r in graph.read(q.COUNT_BY_TYPE_CYPHER)}
    return labels, types


# ---------------------------------------------------------------- RDF


def test_turtle_export_validates_against_the_shapes(dataset: str, graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    result = export(graph, "turtle", out)
    data = RDFGraph().parse(out, format="turtle")
    assert len(data) == result.items > 0
    conforms, report = shacl_report(data)
    if not conforms:
        print(report)
    assert conforms, report[:4000]
    text = out.read_text()
    if dataset == "hand":
        # dates typed at their precision, and provenance as PROV-O
        for literal in ('"2026-06"^^xsd:gYearMonth', '"2026"^^xsd:gYear', '"--06-24"^^xsd:gMonthDay',
                        '"2026-06-12"^^xsd:date'):
            assert literal in text, literal
        assert "prov:wasDerivedFrom" in text and "prov:wasAttributedTo" in text
        assert "aig:datePrecision aig:month" in text
    # every actor with a Wikidata QID is owl:sameAs its Wikidata item, and no other actor is
    qids = {r["id"]: r["q"] for r in graph.read("MATCH (a:Actor) WHERE a.wikidata IS NOT NULL "
                                                 "RETURN a.id AS id, a.wikidata AS q")}
    assert qids and (dataset != "hand" or qids == {"redriver-group": "Q4115189"}), qids
    stated = {str(s).rsplit("/", 1)[-1]: str(o) for s, o in data.subject_objects(OWL.sameAs)}
    assert {unquote(k): v for k, v in stated.items()} == {k: f"http://www.wikidata.org/entity/{v}"
                                                          for k, v in qids.items()}


def test_turtle_round_trip_into_an_empty_graph(dataset: str, graph: Graph, other_graph: Graph,
                                               tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    export(graph, "turtle", out)
    result = import_rdf(other_graph, out)
    assert result.counts["facts"] > 0

    assert count_graph(other_graph) == count_graph(graph)
    assert counts_by(other_graph) == counts_by(graph)
    before, after = load_snapshot(graph), load_snapshot(other_graph)
    assert sorted(after.facts) == sorted(before.facts)
    assert sorted(after.evidence) == sorted(before.evidence)
    expected, got = normalised(before), normalised(after)
    for key in expected:
        assert got[key] == expected[key], key
    labels = {tuple(sorted(r["labels"])) for r in other_graph.read("MATCH (n) RETURN labels(n) AS labels")}
    assert labels == {tuple(sorted(r["labels"])) for r in graph.read("MATCH (n) RETURN labels(n) AS labels")}

    # the imported graph exports to the same triples
    again = tmp_path / "again.ttl"
    export(other_graph, "turtle", again)
    assert isomorphic(RDFGraph().parse(out), RDFGraph().parse(again))


def test_import_refuses_a_graph_that_is_not_empty(dataset: str, graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    export(graph, "turtle", out)
    before = count_graph(graph)
    with pytest.raises(KGError, match="not empty"):
        import_rdf(graph, out)
    assert count_graph(graph) == before


def test_import_rejects_files_that_are_not_exports(other_graph: Graph, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    with pytest.raises(KGError, match="cannot parse"):
        import_rdf(other_graph, bad)
    foreign = tmp_path / "foreign.ttl"
    foreign.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    with pytest.raises(KGError, match="no actors, articles or facts"):
        import_rdf(other_graph, foreign)
    with pytest.raises(KGError, match="no such file"):
        import_rdf(other_graph, tmp_path / "missing.ttl")
    assert count_graph(other_graph)["nodes"] == 0


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_jsonld_parses_back_to_the_same_triples(dataset: str, graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "kg.jsonld"
    result = export(graph, "jsonld", out)
    doc = json.loads(out.read_text())
    assert doc["@context"]["aig"] == "https://w3id.org/aigeo/kg#"
    assert doc["@context"]["prov"] == "http://www.w3.org/ns/prov#"
    parsed = RDFGraph().parse(out, format="json-ld")
    assert len(parsed) == result.items
    assert isomorphic(parsed, to_rdf(load_snapshot(graph)))


def test_filtered_rdf_is_valid_and_holds_only_what_the_filter_selects(dataset: str, graph: Graph,
                                                                      tmp_path: Path) -> None:
    full = load_snapshot(graph)
    actor_id = max(full.actors, key=lambda a: sum(r.actor_id == a for r in full.roles))
    name = str(full.actors[actor_id]["name"])
    snap = select(graph, actor=name.upper())  # names and aliases match case-insensitively
    assert snap.facts and set(snap.facts) <= set(full.facts)

    def involved(s: Snapshot, fid: str) -> bool:  # a role in the fact, or named in one of its sentences
        return any(r.fact_id == fid and r.actor_id == actor_id for r in s.roles) or any(
            a == actor_id and s.evidence_fact[e] == fid for e, a in s.evidence_mentions)

    assert all(involved(snap, fid) for fid in snap.facts)
    assert not any(involved(full, fid) for fid in set(full.facts) - set(snap.facts))
    conforms, report = shacl_report(to_rdf(snap))
    assert conforms, report[:4000]

    since = "2026-06-01"
    dated = select(graph, since=since)
    for fid, props in dated.facts.items():
        assert props.get("date_stop") and props["date_stop"] >= since, fid
    assert all(p.get("date_stop") is None or p["date_stop"] < since
               for f, p in full.facts.items() if f not in dated.facts)
    conforms, report = shacl_report(to_rdf(dated))
    assert conforms, report[:4000]

    with pytest.raises(KGError, match="no actor named"):
        export(graph, "turtle", tmp_path / "x.ttl", actor="No Such Actor Anywhere")
    with pytest.raises(KGError, match="not a date"):
        export(graph, "turtle", tmp_path / "x.ttl", since="June 2026")


def test_export_without_article_text(dataset: str, graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    export(graph, "turtle", out, include_text=False)
    assert "aigp:text" not in out.read_text()
    conforms, report = shacl_report(RDFGraph().parse(out))
    assert conforms, report[:4000]


# ---------------------------------------------------------------- CSV


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_files_per_fact_type(dataset: str, graph: Graph, tmp_path: Path) -> None:
    snap = load_snapshot(graph)
    out = tmp_path / "csv"
    result = export(graph, "csv", out)
    assert sorted(result.files) == sorted(CSV_COLUMNS)
    expected = {"allegations.csv": "Allegation", "actions.csv": "GovernmentAction", "events.csv": "Event"}
    for name, fact_type in expected.items():
        raw = (out / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so spreadsheet programs read UTF-8
        with (out / name).open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            assert reader.fieldnames == CSV_COLUMNS[name]
        assert sorted(r["id"] for r in rows) == sorted(f for f, t in snap.fact_types.items() if t == fact_type)
        for row in rows:
            fact = snap.facts[row["id"]]
            assert float(row["reliability"]) == pytest.approx(fact["reliability"], abs=0.05)
            assert int(row["n_articles"]) == fact["n_articles"]
            assert row["date_precision"] == (fact.get("date_precision") or "")
            assert row["evidence"].count("\n") + 1 == fact["n_evidence"]
            assert row["doc_ids"]
            for line in row["evidence"].split("\n"):
                assert re.match(r"^\[[^\]]+\] .+", line)

    zipped = tmp_path / "kg.zip"
    export(graph, "csv", zipped)
    with zipfile.ZipFile(zipped) as zf:
        assert sorted(zf.namelist()) == sorted(CSV_COLUMNS)
        for name in CSV_COLUMNS:
            assert read_csv(zf.read(name).decode("utf-8-sig")) == read_csv(
                (out / name).read_text(encoding="utf-8-sig"))

    if dataset == "hand":
        rows = read_csv((out / "allegations.csv").read_text(encoding="utf-8-sig"))
        multi = next(r for r in rows if r["n_articles"] == "3")
        assert set(multi["outlets"].split("; ")) == {"Reuters", "Bloomberg", "Tech Blog Weekly"}
        assert multi["cited_outlets"] == "Reuters"
        assert multi["accuser"] == "Northwind AI" and multi["accused"] == "Redriver Group"
        two = next(r for r in rows if r["accuser"] == "Jane Doe")
        assert two["accused"] == "Redriver Group; United States" and two["status"] == "denied"
        events = read_csv((out / "events.csv").read_text(encoding="utf-8-sig"))
        assert any(r["date"] == "'--06-24" for r in events)  # a formula-looking cell is neutralised


def test_csv_cells_are_safe_for_spreadsheets() -> None:
    assert _cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _cell("+1") == "'+1" and _cell("@SUM(A1)") == "'@SUM(A1)" and _cell("--06-24") == "'--06-24"
    assert _cell(["a", "b"]) == "a; b" and _cell(None) == "" and _cell(True) == "true" and _cell(72.5) == "72.5"
    assert _cell(-3) == "-3"  # numbers stay numbers


# ---------------------------------------------------------------- TimelineJS


def test_timelinejs_keeps_precision_and_escapes_html(dataset: str, graph: Graph, tmp_path: Path) -> None:
    snap = load_snapshot(graph)
    out = tmp_path / "timeline.json"
    result = export(graph, "timelinejs", out)
    doc = json.loads(out.read_text())
    assert set(doc) == {"title", "events"} and doc["title"]["text"]["headline"]
    slides = {s["unique_id"].removeprefix("fact-"): s for s in doc["events"]}
    no_year = [f for f, p in snap.facts.items() if not p.get("date_value") or str(p["date_value"]).startswith("--")]
    assert sorted(slides) == sorted(set(snap.facts) - set(no_year))
    assert result.left_out == len(no_year)
    if no_year:
        assert f"{len(no_year)} fact(s) without a year" in doc["title"]["text"]["text"]
    months = 0
    for fid, slide in slides.items():
        fact = snap.facts[fid]
        start, precision = slide["start_date"], fact["date_precision"]
        assert start["year"] == fact["date_value"][:4]
        assert slide["display_date"] and slide["group"] and slide["text"]["headline"]
        if precision == "month":
            months += 1
            assert "day" not in start and start["month"] == str(int(fact["date_value"][5:7]))
            assert re.fullmatch(r"(\w+ )?[A-Z][a-z]+ \d{4}( – .+)?", slide["display_date"]), slide["display_date"]
        elif precision == "year":
            assert set(start) == {"year"}
        else:
            assert set(start) == {"year", "month", "day"}
        for text in (slide["text"]["headline"], slide["text"]["text"]):
            assert "<script" not in text and "<b>" not in text
    if dataset == "hand":
        assert months >= 2
        july = [s for s in doc["events"] if s["display_date"] == "July 2026"]
        assert {s["group"] for s in july} == {"Government actions", "Events"}
        assert all(s["start_date"] == {"year": "2026", "month": "7"} for s in july)
        rules = next(s for s in doc["events"] if "rules" in s["text"]["text"] and s["group"] == "Events")
        assert "&lt;b&gt;rules&lt;/b&gt;" in rules["text"]["text"] and "&amp; partners" in rules["text"]["text"]
        ranged = next(s for s in doc["events"] if "end_date" in s)
        assert ranged["start_date"] == {"year": "2026", "month": "3", "day": "2"}
        assert ranged["end_date"] == {"year": "2026", "month": "3", "day": "9"}
        assert "3 fact(s) without a year" in doc["title"]["text"]["text"]  # --06-24 (action, event), undated


# ---------------------------------------------------------------- ClaimReview


def test_claimreview_for_each_allegation(dataset: str, graph: Graph, tmp_path: Path) -> None:
    snap = load_snapshot(graph)
    out = tmp_path / "claims.jsonld"
    export(graph, "claimreview", out)
    doc = json.loads(out.read_text())
    assert doc["@context"] == "https://schema.org"
    reviews = doc["@graph"]
    allegations = [f for f, t in snap.fact_types.items() if t == "Allegation"]
    assert len(reviews) == len(allegations) > 0
    for review in reviews:
        assert review["@type"] == "ClaimReview" and review["claimReviewed"]
        assert review["author"]["name"] and review["datePublished"] == date.today().isoformat()
        rating = review["reviewRating"]
        assert rating["bestRating"] == 100 and rating["worstRating"] == 0 and 0 <= rating["ratingValue"] <= 100
        assert rating["alternateName"]
        claim = review["itemReviewed"]
        assert claim["@type"] == "Claim" and claim["author"]["name"]
        assert claim["appearance"] and claim["firstAppearance"] in claim["appearance"]
        by_doc = {str(a.get("doc_id")): a for a in snap.articles.values()}
        for appearance in claim["appearance"]:
            # every source article, with its url and headline whenever the article has them
            assert appearance["@type"] == "NewsArticle" and appearance["identifier"] in by_doc
            art = by_doc[appearance["identifier"]]
            assert appearance.get("url") == art.get("url") and appearance.get("headline") == art.get("title")
    if dataset == "hand":
        multi = next(r for r in reviews if len(r["itemReviewed"]["appearance"]) == 3)
        claim = multi["itemReviewed"]
        assert claim["author"] == {"@type": "Organization", "name": "Northwind AI"}
        assert {a["url"] for a in claim["appearance"]} == {
            "https://www.reuters.com/tech/a1", "https://www.bloomberg.com/news/a2", "https://techblog.example/a3"}
        assert all(a["headline"] and a["publisher"]["name"] for a in claim["appearance"])
        assert claim["firstAppearance"]["url"] == "https://www.reuters.com/tech/a1"
        assert claim["datePublished"] == "2026-06-12"  # the claim's first appearance, not the conduct's date
        assert claim["temporalCoverage"] == "2026-05-20"
        assert multi["reviewRating"]["alternateName"] in ("Well supported", "Corroborated")
        denied = next(r for r in reviews if r["itemReviewed"]["author"]["name"] == "Jane Doe")
        assert denied["itemReviewed"]["author"]["@type"] == "Person"
        assert "denied" in denied["reviewRating"]["alternateName"]
        assert [a["name"] for a in denied["itemReviewed"]["about"]] == ["Redriver Group", "United States"]


# ---------------------------------------------------------------- command line


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg")
    export_cli.register(p.add_subparsers(dest="command", required=True))
    return p


def test_cli_help_and_option_errors(capsys: pytest.CaptureFixture[str]) -> None:
    # the table of the formats written from a snapshot, then neo4j-import (the whole graph, kg/export/neo4j_import.py)
    assert (*FORMATS, "neo4j-import") == export_cli.FORMATS
    for command in ("export", "import"):
        with pytest.raises(SystemExit) as done:
            parser().parse_args([command, "--help"])
        assert done.value.code == 0
        assert command in capsys.readouterr().out
    with pytest.raises(SystemExit):
        parser().parse_args(["export", "--format", "turtle", "--since", "June", "-o", "x.ttl"])
    assert "not a date" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parser().parse_args(["export", "--format", "pdf", "-o", "x"])


def test_cli_export_and_import(dataset: str, graph_settings: Settings, other_settings: Settings, graph: Graph,
                               tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.ttl"
    args = parser().parse_args(["export", "--format", "turtle", "-o", str(out)])
    assert args.func(args, graph_settings) == 0
    assert "turtle export" in capsys.readouterr().out and out.is_file()

    with connect(other_settings) as other:
        other.write(CLEAR)
        apply_schema(other)
        args = parser().parse_args(["import", str(out)])
        assert args.func(args, other_settings) == 0
        assert "imported" in capsys.readouterr().out
        assert count_graph(other) == count_graph(graph)
        with pytest.raises(KGError, match="not empty"):
            args.func(args, other_settings)
        other.write(CLEAR)

    args = parser().parse_args(["export", "--format", "timelinejs", "--actor", "nobody at all", "-o",
                                str(tmp_path / "t.json")])
    with pytest.raises(KGError, match="no actor named"):
        args.func(args, graph_settings)
    args = parser().parse_args(["import", str(tmp_path / "missing.ttl")])
    with pytest.raises(KGError, match="no such file"):
        args.func(args, graph_settings)
    args = parser().parse_args(["export", "--format", "turtle", "-o", str(tmp_path)])
    with pytest.raises(KGError, match="is a directory"):
        args.func(args, graph_settings)
