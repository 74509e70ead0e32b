"""The record stage (issue 15): records that round-trip, `kg extract --records` + `kg load` = `kg ingest`,
the extractor fingerprint, and `kg reextract` on the real graph server."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ingest.fingerprint import fingerprint as pipeline_fingerprint
from ingest.lexicon import CUES_PATH
from jobs import stages
from jobs.records import read_records
from jobs.runner import LocalRunner
from kg.db import Graph
from kg.settings import Settings
from ontology.models import Extraction
from tests.conftest import REPO, SHARED
from tests.fingerprint import fingerprint
from tests.graph_server import kg_env

SAMPLES = REPO / "data" / "samples" / "seeds" / "articles.jsonl"  # the five seed articles, s00-s04
DEV = SHARED / "eval" / "dev" / "articles.jsonl"
ARTICLES = ("MATCH (a:Article) RETURN a.id AS id, a.doc_id AS doc_id, a.title AS title, a.url AS url, "
            "a.published AS published, a.outlet AS outlet, a.outlet_given AS outlet_given, "
            "a.extractor_fingerprint AS fingerprint ORDER BY id")


def graph_state(graph: Graph) -> dict[str, object]:
    return {**fingerprint(graph), "articles": graph.read(ARTICLES)}


@pytest.fixture(scope="module")
def runner() -> LocalRunner:
    return LocalRunner()


@pytest.fixture(scope="module")
def fewer_cues(tmp_path_factory: pytest.TempPathFactory) -> LocalRunner:
    """An extractor whose cue lists lack one accusation verb: a changed cue list, as after an edit."""
    cues = yaml.safe_load(CUES_PATH.read_text(encoding="utf-8"))
    verbs = cues["allegation"]["accuse_verbs"]
    assert "accuse" in verbs, "the test removes a cue the lists have"
    verbs.remove("accuse")
    path = tmp_path_factory.mktemp("cues") / "cues.yaml"
    path.write_text(yaml.safe_dump(cues, allow_unicode=True), encoding="utf-8")
    return LocalRunner(cues_path=path)


def test_every_dev_record_round_trips(runner: LocalRunner) -> None:
    records = [r for r in runner.extract(stages.read([DEV])) if isinstance(r, Extraction)]
    assert len(records) == 45  # the five seeds and the forty of the five clusters
    for record in records:
        line = record.model_dump_json()
        back = Extraction.model_validate_json(line)
        assert back == record, record.article.doc_id
        assert back.model_dump_json() == line
        assert back.extractor_fingerprint == runner.fingerprint


def test_a_record_whose_id_is_not_its_text_hash_is_refused(runner: LocalRunner, tmp_path: Path) -> None:
    record = next(r for r in runner.extract(stages.read([SAMPLES])) if isinstance(r, Extraction))
    good = json.loads(record.model_dump_json())
    tampered = json.loads(record.model_dump_json())
    tampered["article"]["text"] += " An added sentence."
    unknown_actor = json.loads(record.model_dump_json())
    unknown_actor["allegations"][0]["accuser"] = "nobody-we-know"
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join([json.dumps(good), "{not json", json.dumps(tampered), json.dumps(unknown_actor)]) + "\n",
                    encoding="utf-8")
    items = list(read_records([path]))
    assert isinstance(items[0], Extraction)
    problems = [(i.doc_id, i.reason) for i in items[1:] if not isinstance(i, Extraction)]
    assert len(problems) == 3
    assert problems[0][0] == f"{path}:2" and "not a valid record" in problems[0][1]
    assert problems[1][0] == f"{path}:3 ({record.article.doc_id})" and "not the hash of its text" in problems[1][1]
    assert problems[2][0].startswith(f"{path}:4") and "nobody-we-know" in problems[2][1]


def test_records_then_load_give_the_graph_ingest_gives(runner: LocalRunner, clean_graph: Graph,
                                                       graph_settings: Settings, tmp_path: Path) -> None:
    summary = stages.ingest_paths(graph_settings, [SAMPLES], runner=runner, progress=None, errors=None)
    assert (summary.new, summary.failed) == (5, 0)
    ingested = graph_state(clean_graph)

    clean_graph.write("MATCH (n) DETACH DELETE n")
    path = tmp_path / "records.jsonl"
    with path.open("w", encoding="utf-8") as out:
        assert stages.extract_records([SAMPLES], out, runner, errors=None) == (5, 0)
    loaded = stages.load_records(graph_settings, [path], progress=None, errors=None)
    assert (loaded.new, loaded.failed) == (5, 0)
    assert graph_state(clean_graph) == ingested
    again = stages.load_records(graph_settings, [path], progress=None, errors=None)
    assert (again.new, again.unchanged) == (0, 5)
    assert graph_state(clean_graph) == ingested


def test_the_command_line_writes_records_and_loads_them(clean_graph: Graph, graph_settings: Settings,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "out" / "records.jsonl"
    path.parent.mkdir()
    env = kg_env(graph_settings)
    done = subprocess.run([sys.executable, "-m", "kgcli", "extract", "--records", str(path), str(SAMPLES)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "records: 5 written" in done.stderr
    assert [p.name for p in path.parent.iterdir()] == ["records.jsonl"]  # no partial file left behind
    done = subprocess.run([sys.executable, "-m", "kgcli", "load", "--quiet", str(path), str(tmp_path / "missing")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("articles: 5 new, 0 unchanged, 0 replaced, 1 failed"), done.stdout
    assert f"failed: {tmp_path / 'missing'}: no such file or directory" in done.stderr


def test_the_fingerprint_follows_cue_lists_and_code(runner: LocalRunner, fewer_cues: LocalRunner,
                                                    tmp_path: Path) -> None:
    assert runner.fingerprint != fewer_cues.fingerprint
    assert LocalRunner().fingerprint == runner.fingerprint  # the same files give the same fingerprint
    nlp = runner.extractor.nlp
    code = tmp_path / "rule.py"
    code.write_text("X = 1\n")
    before = pipeline_fingerprint(nlp, [CUES_PATH], code=[code])
    code.write_text("X = 2\n")
    assert pipeline_fingerprint(nlp, [CUES_PATH], code=[code]) != before


def test_reextract_rewrites_exactly_the_stale_articles(runner: LocalRunner, fewer_cues: LocalRunner,
                                                       clean_graph: Graph, graph_settings: Settings,
                                                       tmp_path: Path) -> None:
    stages.ingest_paths(graph_settings, [SAMPLES], runner=fewer_cues, progress=None, errors=None)
    with_fewer_cues = graph_state(clean_graph)
    clean_graph.write("MATCH (n) DETACH DELETE n")
    stages.ingest_paths(graph_settings, [SAMPLES], runner=runner, progress=None, errors=None)
    current = graph_state(clean_graph)
    assert current != with_fewer_cues  # the removed cue matters to these articles

    # An article stored by the older extractor beside the current ones: only it is stale.
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"doc_id": "extra-article", "title": "Extra", "published": "2026-06-20",
                                 "text": "Northwind AI accused Redriver Group of distilling its models on 12 June "
                                         "2026, according to a statement."}) + "\n", encoding="utf-8")
    stages.ingest_paths(graph_settings, [extra], runner=fewer_cues, progress=None, errors=None)
    first = stages.reextract_stored(graph_settings, runner, progress=None, errors=None)
    assert (first.reextracted, first.new, first.unchanged, first.failed) == (1, 0, 0, 0)
    assert stages.reextract_stored(graph_settings, runner, progress=None, errors=None).articles == 0

    # The cue list changes: every stored article is re-extracted, once, and the graph is the one a fresh
    # ingest by that extractor gives; changing back restores the first graph exactly.
    clean_graph.write("MATCH (n) DETACH DELETE n")
    stages.ingest_paths(graph_settings, [SAMPLES], runner=runner, progress=None, errors=None)
    changed = stages.reextract_stored(graph_settings, fewer_cues, progress=None, errors=None)
    assert (changed.reextracted, changed.failed) == (5, 0)
    assert graph_state(clean_graph) == with_fewer_cues
    assert stages.reextract_stored(graph_settings, fewer_cues, progress=None, errors=None).articles == 0
    back = stages.reextract_stored(graph_settings, runner, progress=None, errors=None)
    assert back.reextracted == 5
    assert graph_state(clean_graph) == current


def test_ingest_reextract_replaces_what_another_extractor_stored(runner: LocalRunner, fewer_cues: LocalRunner,
                                                                 clean_graph: Graph, graph_settings: Settings) -> None:
    stages.ingest_paths(graph_settings, [SAMPLES], runner=fewer_cues, progress=None, errors=None)
    plain = stages.ingest_paths(graph_settings, [SAMPLES], runner=runner, progress=None, errors=None)
    assert (plain.unchanged, plain.reextracted) == (5, 0)  # without --reextract an unchanged text is skipped
    again = stages.ingest_paths(graph_settings, [SAMPLES], runner=runner, reextract=True, progress=None, errors=None)
    assert (again.reextracted, again.unchanged) == (5, 0)
    assert "5 re-extracted" in again.line()
    fresh = graph_state(clean_graph)
    clean_graph.write("MATCH (n) DETACH DELETE n")
    stages.ingest_paths(graph_settings, [SAMPLES], runner=runner, progress=None, errors=None)
    assert graph_state(clean_graph) == fresh


def test_extract_records_reports_bad_documents(runner: LocalRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "empty", "text": "  "}\n', encoding="utf-8")
    out, errors = io.StringIO(), io.StringIO()
    assert stages.extract_records([SAMPLES, bad], out, runner, errors=errors) == (5, 1)
    assert len(out.getvalue().splitlines()) == 5
    assert "empty" in errors.getvalue()


def test_records_to_a_place_that_cannot_be_written_is_one_line_error(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kgcli", "extract", "--records", str(tmp_path / "no" / "r.jsonl"),
                           str(SAMPLES)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("error: cannot write the records to ")
    assert "Traceback" not in done.stderr
