"""Ingest robustness of issue 13 (points 6 and 10): invalid Unicode, invisible characters, Markdown-link
outlets, two ingests racing on an empty graph, and the summary's signed deltas. Real `kg ingest`
subprocesses against the real test server, as tests/test_hostile.py does."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.db import Graph
from kg.loader import load
from kg.settings import Settings
from kg.writer import GraphWriter
from tests.concurrency import at_once
from tests.corpus import good_articles, write_jsonl
from tests.graph_server import kg_env
from tests.records import accusation

CLEAR = "MATCH (n) DETACH DELETE n"
# What the readers must never let through into stored text: lone surrogates, bidi controls, zero-width.
HIDDEN = re.compile("[\ud800-\udfff\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]")

# Written byte for byte: JSON escapes ("\udfff") as a hostile JSONL line carries them, not Python strings.
SECURITY_JSONL = "\n".join([
    r'{"doc_id": "sec-good-1", "text": "Nvidia accused Huawei of smuggling chips on May 2, 2026."}',
    r'{"doc_id": "sec-surrogate", "title": "Lone \udfff surrogate", "outlet": "Wire\ud800",'
    r' "text": "OpenAI accused DeepSeek\udfff of distillation on March 3, 2026."}',
    r'{"doc_id": "sec-bidi", "title": "\u2066Anthro\u202epic\u2069 news", "outlet": "Reu\u200dters\ufeff",'
    r' "text": "Anthro\u202epic accused Deep\u200bSeek of distillation on March 4, 2026.\u2060"}',
    r'{"doc_id": "sec-md", "outlet": "[Reuters](reuters.com)",'
    r' "text": "Anthropic accused MiniMax of distillation on March 5, 2026."}',
    r'{"doc_id": "sec-md-unknown", "outlet": "[Example Wire](https://wire.example.org/news)",'
    r' "text": "Google accused Moonshot AI of distillation on March 6, 2026."}',
    r'{"doc_id": "sec-good-2", "text": "Microsoft accused Zhipu AI of stealing trade secrets on May 9, 2026."}',
]) + "\n"
DOC_IDS = {"sec-good-1", "sec-surrogate", "sec-bidi", "sec-md", "sec-md-unknown", "sec-good-2"}



def kg_ingest(settings: Settings, *paths: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kgcli", "ingest", "--quiet", *map(str, paths)],
                            env=kg_env(settings), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def security_run(graph_settings: Settings, graph: Graph, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[subprocess.CompletedProcess[str]]:
    path = tmp_path_factory.mktemp("security") / "security.jsonl"
    path.write_bytes(SECURITY_JSONL.encode("ascii"))
    graph.write(CLEAR)
    run = subprocess.run([sys.executable, "-m", "kgcli", "ingest", "--quiet", str(path)], env=kg_env(graph_settings),
                         capture_output=True, text=True, timeout=600)
    yield run
    graph.write(CLEAR)


def test_lone_surrogate_is_repaired_and_the_whole_file_is_written(
        security_run: subprocess.CompletedProcess[str], graph: Graph) -> None:
    run = security_run
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert not [ln for ln in run.stderr.splitlines() if ln.startswith("failed:")], run.stderr
    warning = [ln for ln in run.stderr.splitlines() if ln.startswith("warning:") and "sec-surrogate" in ln]
    assert warning and "surrogate" in warning[0] and "U+FFFD" in warning[0], run.stderr
    stored = {r["d"]: r for r in graph.read(
        "MATCH (a:Article) RETURN a.doc_id AS d, a.text AS text, a.title AS title, a.outlet AS outlet")}
    assert set(stored) == DOC_IDS  # the articles before and after the bad one too
    bad = stored["sec-surrogate"]
    assert bad["text"] == "OpenAI accused DeepSeek\ufffd of distillation on March 3, 2026."
    assert bad["title"] == "Lone \ufffd surrogate" and bad["outlet"] == "Wire\ufffd"


def test_bidi_and_zero_width_characters_never_reach_the_graph(
        security_run: subprocess.CompletedProcess[str], graph: Graph) -> None:
    assert security_run.returncode == 0, security_run.stderr
    art = graph.read("MATCH (a:Article {doc_id: 'sec-bidi'}) RETURN a.id AS id, a.text AS text, a.title AS title, "
                     "a.outlet AS outlet")
    assert art == [{"id": art[0]["id"], "text": "Anthropic accused DeepSeek of distillation on March 4, 2026.",
                    "title": "Anthropic news", "outlet": "Reuters"}]
    # the stripped name is the real actor, not a look-alike of it
    names = [r["n"] for r in graph.read("MATCH (:Article {doc_id: 'sec-bidi'})-[:MENTIONS]->(a:Actor) "
                                        "RETURN a.name AS n")]
    assert "Anthropic" in names, names
    # evidence offsets point into the stored (cleaned) text
    rows = graph.read("MATCH (e:Evidence)-[:REPORTED_IN]->(a:Article) RETURN e.sentence AS s, e.start AS start, "
                      "e.end AS end, a.text AS text, a.doc_id AS d")
    assert any(r["d"] == "sec-bidi" for r in rows)
    for r in rows:
        assert r["text"][r["start"]:r["end"]] == r["s"], r
    strings = graph.read(
        "MATCH (n) WHERE n:Article OR n:Actor OR n:Evidence OR n:Outlet "
        "RETURN [x IN [n.text, n.title, n.outlet, n.name, n.sentence, n.doc_id] WHERE x IS NOT NULL] + "
        "coalesce(n.aliases, []) AS values")
    leaked = [v for r in strings for v in r["values"] if HIDDEN.search(v)]
    assert leaked == []


def test_markdown_link_outlet_is_accepted(security_run: subprocess.CompletedProcess[str], graph: Graph) -> None:
    assert security_run.returncode == 0, security_run.stderr
    assert "IPv" not in security_run.stderr, security_run.stderr
    rows = {r["d"]: r for r in graph.read(
        "MATCH (a:Article)-[:PUBLISHED_BY]->(o:Outlet) WHERE a.doc_id STARTS WITH 'sec-md' "
        "RETURN a.doc_id AS d, o.id AS id, o.name AS name, o.known AS known, a.outlet AS outlet")}
    # the link text names a registered outlet: that outlet, not a new one called "[Reuters](reuters.com)"
    assert rows["sec-md"] == {"d": "sec-md", "id": "reuters", "name": "Reuters", "known": True, "outlet": "Reuters"}
    unknown = rows["sec-md-unknown"]
    assert (unknown["name"], unknown["known"], unknown["outlet"]) == ("Example Wire", False, "Example Wire")


def _sync_outlets(g: Graph, _k: int) -> None:
    GraphWriter(g).sync_outlets()


def test_outlet_sync_tolerates_a_race_on_an_empty_graph(graph_settings: Settings, graph: Graph) -> None:
    """Four writers MERGE the registry's outlets at the same instant on an empty graph: ArcadeDB refuses all
    but one with a ConstraintError; each must retry and succeed."""
    for _ in range(3):
        graph.write(CLEAR)
        errors = at_once(graph_settings, 4, _sync_outlets)
        assert errors == []
        n = graph.read("MATCH (o:Outlet) RETURN count(o) AS n, count(DISTINCT o.id) AS ids")[0]
        assert n["n"] == n["ids"] == len(GraphWriter(graph).outlets.outlets)
    graph.write(CLEAR)


def test_two_simultaneous_ingests_on_an_empty_graph(graph_settings: Settings, graph: Graph, tmp_path: Path) -> None:
    files = []
    for k in (1, 2):
        rows = good_articles(6, seed=k)
        for i, row in enumerate(rows):  # distinct articles, the same outlets and actors
            row["doc_id"], row["url"] = f"race{k}-{i}", f"https://news.example.com/race{k}/{i}"
        files.append(write_jsonl(tmp_path / f"race{k}.jsonl", rows))
    graph.write(CLEAR)
    procs = [kg_ingest(graph_settings, f) for f in files]
    outs = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "ConstraintError" not in err, err
        assert not [ln for ln in err.splitlines() if ln.startswith("failed:")], err
        assert "6 new" in out, out
    stored = {r["d"] for r in graph.read("MATCH (a:Article) RETURN a.doc_id AS d")}
    assert stored == {f"race{k}-{i}" for k in (1, 2) for i in range(6)}
    graph.write(CLEAR)


def test_summary_prints_a_shrinking_graph_with_a_minus_sign(graph: Graph) -> None:
    """A corrected article that supports fewer facts than the version it replaces removes nodes: the summary
    says `nodes -N`, never `nodes +-N`."""
    graph.write(CLEAR)
    writer = GraphWriter(graph)
    first = accusation("shrink-1", "Northwind AI accused Redriver Group of distilling its models in June 2026.")
    grown = load(writer, [first], progress=None, errors=None)
    assert grown.new == 1 and grown.nodes_added > 0
    assert f"nodes +{grown.nodes_added}," in grown.line()
    corrected = first.model_copy(update={
        "article": first.article.model_copy(update={"text": "A correction: nothing was alleged after all."}),
        "actors": [], "allegations": []})
    shrunk = load(writer, [corrected], progress=None, errors=None)
    assert shrunk.replaced == 1 and shrunk.nodes_added < 0 and shrunk.relationships_added < 0
    line = shrunk.line()
    assert "+-" not in line, line
    assert f"nodes {shrunk.nodes_added}, relationships {shrunk.relationships_added} " in line, line
    graph.write(CLEAR)
