"""Crashes and repeats: kill -9 of the ingest process or of the graph server half way, then the same
ingest again, gives the graph a clean single run gives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import server
from kg.db import connect
from kg.settings import Settings
from tests.corpus import good_articles, write_jsonl
from tests.fingerprint import fingerprint
from tests.graph_server import kg_env, local_settings

N_ARTICLES = 60
COUNT_ARTICLES = "MATCH (a:Article) RETURN count(a) AS n"



def ingest(settings: Settings, corpus: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kgcli", "ingest", "--quiet", str(corpus)], env=kg_env(settings),
                          capture_output=True, text=True, timeout=600)


def articles_in(settings: Settings) -> int:
    try:
        with connect(settings, retry_s=0) as g:
            return int(g.read(COUNT_ARTICLES)[0]["n"])
    except Exception:
        return -1


def start_ingest(settings: Settings, corpus: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kgcli", "ingest", "--quiet", str(corpus)], env=kg_env(settings),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_articles(settings: Settings, proc: subprocess.Popen[str], at_least: int, timeout: float = 300) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = articles_in(settings)
        if n >= at_least:
            return n
        assert proc.poll() is None, f"ingest ended before the kill: {proc.communicate()}"
        time.sleep(0.05)
    raise AssertionError("ingest made no progress")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("corpus") / "corpus.jsonl", good_articles(N_ARTICLES))


@pytest.fixture(scope="module")
def clean_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    settings = local_settings(tmp_path_factory.mktemp("clean"))
    server.start(settings)
    try:
        done = ingest(settings, corpus)
        assert done.returncode == 0, done.stderr
        with connect(settings) as g:
            fp = fingerprint(g)
        assert fp["labels"]["Article"] == N_ARTICLES
        return fp
    finally:
        server.stop(settings)


def test_kill_ingest_then_rerun(corpus: Path, clean_run: dict[str, object], tmp_path: Path) -> None:
    settings = local_settings(tmp_path / "graph")
    server.start(settings)
    try:
        proc = start_ingest(settings, corpus)
        written = wait_for_articles(settings, proc, N_ARTICLES // 3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert 0 < written < N_ARTICLES
        again = ingest(settings, corpus)
        assert again.returncode == 0, again.stderr
        assert "unchanged" in again.stdout
        with connect(settings) as g:
            assert fingerprint(g) == clean_run
    finally:
        server.stop(settings)


def test_kill_server_mid_batch_then_restart_and_rerun(corpus: Path, clean_run: dict[str, object],
                                                      tmp_path: Path) -> None:
    settings = local_settings(tmp_path / "graph")
    server.start(settings)
    try:
        proc = start_ingest(settings, corpus)
        wait_for_articles(settings, proc, N_ARTICLES // 3)
        pid = server.LocalServer(settings.data_dir).pid()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode != 0
        assert "error: cannot reach the graph server" in err and "Traceback" not in err
        server.start(settings)
        again = ingest(settings, corpus)
        assert again.returncode == 0, again.stderr
        with connect(settings) as g:
            assert fingerprint(g) == clean_run
    finally:
        server.stop(settings)
