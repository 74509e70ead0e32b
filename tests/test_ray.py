"""Extraction on Ray (issue 18): a local Ray instance gives exactly the graph the local runner gives; killing
its workers mid-run loses nothing; an article that fails is reported by name; a killed `kg ingest --runner ray`
run, run again, gives the same graph without duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.check import compare
from bench.check import fingerprint as property_fingerprint
from ingest.readers import DocumentError
from jobs import stages
from jobs.ray_runner import RayRunner
from jobs.runner import LocalRunner
from kg import server
from kg.db import Graph, connect
from kg.settings import Settings
from ontology.models import Extraction
from tests.conftest import REPO
from tests.fingerprint import fingerprint
from tests.graph_server import kg_env, local_settings

DEV = REPO / "data" / "samples" / "articles.jsonl"  # the 45 articles of the dev set
ARTICLES = ("MATCH (a:Article) RETURN a.id AS id, a.doc_id AS doc_id, a.published AS published, "
            "a.extractor_fingerprint AS fingerprint ORDER BY id")
VERSION = "MATCH (v:GraphVersion) DETACH DELETE v"  # a counter of write transactions, which batching changes


def state(graph: Graph) -> dict[str, Any]:
    """The node, relationship and property fingerprint: counts by label and type, facts, evidence, articles,
    and every node and relationship with its properties as stored."""
    graph.write(VERSION)
    nodes, rels = property_fingerprint(graph)
    return {**fingerprint(graph), "articles": graph.read(ARTICLES), "nodes": nodes, "relationships": rels}


def same(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert compare((a["nodes"], a["relationships"]), (b["nodes"], b["relationships"])) == "same"
    assert a == b


@pytest.fixture(scope="module")
def ray_runner() -> Iterator[RayRunner]:
    runner = RayRunner(workers=2, batch_size=4)
    try:
        runner.start()
        yield runner
    finally:
        runner.close()


@pytest.fixture(scope="module")
def local_graph(graph_settings: Settings, graph: Graph) -> dict[str, Any]:
    graph.write("MATCH (n) DETACH DELETE n")
    summary = stages.ingest_paths(graph_settings, [DEV], runner=LocalRunner(), progress=None, errors=None)
    assert summary.new == 45 and summary.failed == 0
    out = state(graph)
    graph.write("MATCH (n) DETACH DELETE n")
    return out


def test_ray_gives_the_graph_the_local_runner_gives(ray_runner: RayRunner, local_graph: dict[str, Any],
                                                    graph_settings: Settings, clean_graph: Graph) -> None:
    assert ray_runner.fingerprint == LocalRunner().fingerprint
    assert ray_runner.node_addresses() == ["127.0.0.1"]  # the local instance is on loopback only
    summary = stages.ingest_paths(graph_settings, [DEV], runner=ray_runner, progress=None, errors=None)
    assert (summary.new, summary.failed) == (45, 0)
    same(state(clean_graph), local_graph)


def test_killing_the_workers_mid_run_loses_nothing(ray_runner: RayRunner, local_graph: dict[str, Any],
                                                   graph_settings: Settings, clean_graph: Graph,
                                                   tmp_path: Path) -> None:
    too_long = tmp_path / "too-long.txt"
    too_long.write_text("OpenAI accused DeepSeek of distillation. " * 25_000, encoding="utf-8")  # > nlp.max_length
    before = ray_runner.stats.retried
    items: list[Extraction | DocumentError] = []
    for item in ray_runner.extract(stages.read([DEV, too_long])):
        if not items:  # the first answer is in: both workers still hold batches; kill -9 them
            for pid in ray_runner.worker_pids():
                os.kill(pid, signal.SIGKILL)
        items.append(item)
    assert ray_runner.stats.retried > before, "no batch was lost with its worker: the kill came too late"
    records = [i for i in items if isinstance(i, Extraction)]
    errors = [i for i in items if isinstance(i, DocumentError)]
    assert len(records) == 45 and len({r.article.doc_id for r in records}) == 45
    assert [(e.doc_id, "limit" in e.reason) for e in errors] == [("too-long", True)]  # reported, not lost
    summary = stages.load_items(graph_settings, records, progress=None, errors=None)
    assert summary.new == 45
    same(state(clean_graph), local_graph)


def _ingest(settings: Settings, *extra: str) -> list[str]:
    return [sys.executable, "-m", "kgcli", "ingest", "--quiet", "--runner", "ray", "--workers", "2", *extra, str(DEV)]


def _articles(settings: Settings) -> int:
    try:
        with connect(settings, retry_s=0) as g:
            return int(g.read("MATCH (a:Article) RETURN count(a) AS n")[0]["n"])
    except Exception:
        return -1


def test_a_killed_ray_ingest_run_again_gives_the_same_graph(local_graph: dict[str, Any], tmp_path: Path) -> None:
    settings = local_settings(tmp_path / "graph")
    server.start(settings)
    try:
        proc = subprocess.Popen(_ingest(settings), env=kg_env(settings), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        deadline = time.monotonic() + 300
        while _articles(settings) < 10:
            assert proc.poll() is None, f"ingest ended before the kill: {proc.communicate()}"
            assert time.monotonic() < deadline, "no article was written"
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGKILL)  # the driver and the local Ray instance it started
        proc.communicate()
        written = _articles(settings)
        assert 10 <= written < 45
        again = subprocess.run(_ingest(settings), env=kg_env(settings), capture_output=True, text=True, timeout=600)
        assert again.returncode == 0, again.stderr
        assert f"{45 - written} new, {written} unchanged" in again.stdout
        assert "Traceback" not in again.stderr
        with connect(settings) as g:
            same(state(g), local_graph)
    finally:
        server.stop(settings)
