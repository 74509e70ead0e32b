"""Hostile input (issue 9): every bad document gets a clear error naming it, the good ones in the same
batch are all stored, and nothing is half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.db import Graph
from kg.settings import Settings
from tests.corpus import hostile_files
from tests.fingerprint import fingerprint
from tests.graph_server import env_for

STORED = {"ok-1", "future", "badpub", "dates", "french", "latin1", "long-sentence", "utf16", "controls",
          "gen-0000", "gen-0001", "gen-0002"}
ERRORS = {  # what the error line must name, and a word of the reason
    "bad-lines.jsonl:2": "not json",
    "no-text": "text",
    "duplicate doc_id": "ok-1",
    "binary.txt": "binary",
    "empty": "empty",
    "whitespace": "empty",
    "huge.txt": "limit",
    "scripts": "no article text",
}


@pytest.fixture(scope="module")
def hostile_run(graph_settings: Settings, graph: Graph, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[tuple[subprocess.CompletedProcess[str], Path]]:
    root = tmp_path_factory.mktemp("hostile")
    hostile_files(root)
    graph.write("MATCH (n) DETACH DELETE n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(env_for(graph_settings))
    run = subprocess.run([sys.executable, "-m", "kgcli", "ingest", "--quiet", str(root)], env=env,
                         capture_output=True, text=True, timeout=900)
    yield run, root
    graph.write("MATCH (n) DETACH DELETE n")


def test_no_crash_and_clear_errors(hostile_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    run, _ = hostile_run
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    lines = [ln for ln in run.stderr.splitlines() if ln.startswith("failed:")]
    for name, reason in ERRORS.items():
        assert any(name in ln and reason in ln.lower() for ln in lines), (name, lines)
    assert any("future" in ln and ln.startswith("warning:") for ln in run.stderr.splitlines())
    assert any("french" in ln and "English" in ln and ln.startswith("warning:") for ln in run.stderr.splitlines())


def test_good_articles_all_stored(hostile_run: tuple[subprocess.CompletedProcess[str], Path], graph: Graph) -> None:
    stored = {r["d"] for r in graph.read("MATCH (a:Article) RETURN a.doc_id AS d")}
    assert stored == STORED
    future = graph.read("MATCH (a:Article {doc_id: 'future'}) RETURN a.published AS p")
    assert future == [{"p": None}]
    first = graph.read("MATCH (a:Article {doc_id: 'ok-1'}) RETURN a.text AS t")[0]["t"]
    assert "Huawei" in first  # the first of the duplicate doc_ids is kept
    controls = graph.read("MATCH (a:Article {doc_id: 'controls'}) RETURN a.text AS t")[0]["t"]
    assert "\x07" not in controls and "\x1b" not in controls


def test_impossible_dates_never_stored(hostile_run: tuple[subprocess.CompletedProcess[str], Path],
                                       graph: Graph) -> None:
    values = [r["v"] for r in graph.read("MATCH (e:Evidence) WHERE e.date_value IS NOT NULL RETURN e.date_value AS v")]
    assert "2026-02-30" not in values
    assert all(v.startswith("--") or 1900 <= int(v[:4]) <= 2100 for v in values)


def test_rerun_changes_nothing(hostile_run: tuple[subprocess.CompletedProcess[str], Path], graph: Graph,
                               graph_settings: Settings) -> None:
    _, root = hostile_run
    before = fingerprint(graph)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(env_for(graph_settings))
    again = subprocess.run([sys.executable, "-m", "kgcli", "ingest", "--quiet", str(root)], env=env,
                           capture_output=True, text=True, timeout=900)
    assert again.returncode == 0 and "0 new" in again.stdout
    assert fingerprint(graph) == before
