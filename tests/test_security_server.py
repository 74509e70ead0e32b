"""Issue 13, the local server: no password on any command line, a private data directory, console queries
bounded by the server (time cap, watchdog, memory), no schema left behind across a restart, busy ports
refused at once. One private server for the module, so its limits and its heap are ours alone."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import LiteralString, cast

import neo4j
import pytest

from kg import server
from kg.db import Graph, connect, count_graph
from kg.errors import GraphUnavailable, KGError, QueryRefused, ServerError
from kg.readonly import QueryTimeout, run_read_only
from kg.settings import Settings
from tests.graph_server import env_for, local_settings

CAP_S = 8  # the module server's KG_QUERY_TIMEOUT_MAX and KG_SERVER_COMMAND_TIMEOUT
PROBES = 2000
SEED = "UNWIND range(1, $n) AS i CREATE (:CpuProbe {id: 'p' + i})"
# 8e9 rows, each a string concatenation: minutes of one core, unless something stops it.
CROSS = "MATCH (a:CpuProbe), (b:CpuProbe), (c:CpuProbe) WHERE a.id + b.id + c.id = 'x' RETURN count(*) AS n"
STRING_BOMB = "RETURN size(reduce(s = 'x', i IN range(1, 30) | s + s)) AS n"  # a 2^30-character string
LABELS = "CALL db.labels()"
KG = str(Path(sys.executable).with_name("kg"))


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    settings = local_settings(tmp_path_factory.mktemp("secure") / "graph", KG_QUERY_TIMEOUT_MAX=CAP_S,
                              KG_SERVER_COMMAND_TIMEOUT=CAP_S)
    server.start(settings)
    try:
        with connect(settings) as graph:
            graph.write(SEED, {"n": PROBES})
        yield settings
    finally:
        server.stop(settings)


@pytest.fixture
def graph(private: Settings) -> Iterator[Graph]:
    with connect(private) as g:
        yield g


def server_cpu_s(settings: Settings) -> float:
    pid = server.LocalServer(settings.data_dir).pid()
    assert pid is not None
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def labels(graph: Graph) -> list[str]:
    return sorted(r["label"] for r in graph.read(LABELS))


def test_no_password_on_any_command_line(private: Settings) -> None:
    local = server.LocalServer(private.data_dir)
    secrets = [local.password(), local.reader_password()]
    assert all(len(s) >= 24 for s in secrets)
    cmdlines = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdlines.append((proc / "cmdline").read_bytes().decode(errors="replace"))
            except OSError:
                continue  # it ended meanwhile
    java = [c for c in cmdlines if str(private.data_dir.resolve()) in c and "ArcadeDBServer" in c]
    assert java, "the server's command line was not found"
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    for secret in secrets:
        assert not any(secret in c for c in cmdlines)
        assert secret not in ps
        assert secret not in local.log_tail(100_000)


def test_data_directory_is_private(private: Settings, graph: Graph) -> None:
    graph.write("CREATE (:Actor {id: 'private-check'})")  # the server has written database files by now
    root = private.data_dir
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    seen = 0
    for path in root.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode == 0o700, path
        else:
            assert mode & 0o077 == 0, (path, oct(mode))  # nothing for group or others
            seen += 1
    assert seen > 10  # databases, config, logs, passwords
    graph.write("MATCH (a:Actor {id: 'private-check'}) DELETE a")


def test_abandoned_query_stops_burning_server_cpu(graph: Graph, private: Settings) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        run_read_only(graph, CROSS, timeout_s=2)
    assert time.monotonic() - started < 4
    time.sleep(1)
    before = server_cpu_s(private)
    time.sleep(3)  # still well inside the server's own cap: this is the watchdog at work
    burnt = server_cpu_s(private) - before
    assert burnt < 1.0, f"the server spent {burnt:.1f} CPU-seconds in 3s on a query the client gave up on"
    assert graph.read("RETURN 1 AS ok") == [{"ok": 1}]


def test_server_caps_a_reader_query_without_any_client_timeout(graph: Graph) -> None:
    started = time.monotonic()
    with pytest.raises(neo4j.exceptions.ClientError) as stopped, \
            graph.reader().session(database=graph.database) as session, session.begin_transaction() as tx:
        tx.run(cast(LiteralString, CROSS)).consume()
    elapsed = time.monotonic() - started
    assert "TimedOut" in (stopped.value.code or "") and elapsed < CAP_S + 5, (stopped.value.code, elapsed)


def test_requested_timeout_above_the_cap_is_clamped(graph: Graph) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        run_read_only(graph, CROSS, timeout_s=300)
    assert time.monotonic() - started < CAP_S + 5


def test_memory_bomb_fails_cleanly_and_the_server_lives(graph: Graph, private: Settings) -> None:
    pid = server.LocalServer(private.data_dir).pid()
    with pytest.raises(KGError) as failed:
        run_read_only(graph, STRING_BOMB, timeout_s=CAP_S)
    assert not isinstance(failed.value, GraphUnavailable | QueryTimeout), failed.value
    assert "memory" in str(failed.value) and "nothing was changed" in str(failed.value)
    assert server.LocalServer(private.data_dir).pid() == pid
    assert run_read_only(graph, "MATCH (p:CpuProbe) RETURN count(p) AS n").rows == [{"n": PROBES}]


def test_no_type_is_left_behind_even_after_a_restart(private: Settings) -> None:
    attempts = ["CREATE (:Junk0)", "WITH '//' AS x CREATE (:Junk1)", "MERGE (:Junk2 {id: 'x'})",
                "UNWIND range(0, 20) AS i CREATE (:Junk3 {i: i})",
                "CREATE INDEX junk_index IF NOT EXISTS FOR (n:Junk4) ON (n.x)"]
    with connect(private) as graph:
        before_labels, before_counts = labels(graph), count_graph(graph)
        buckets = sorted(os.listdir(private.data_dir / "databases" / private.database))
        for query in attempts:
            with pytest.raises(QueryRefused):
                run_read_only(graph, query)
            with pytest.raises(neo4j.exceptions.ClientError), graph.reader().session(database=graph.database) as s:
                s.run(cast(LiteralString, query)).consume()
        assert labels(graph) == before_labels and count_graph(graph) == before_counts
    assert server.stop(private)
    server.start(private)
    with connect(private) as graph:
        assert labels(graph) == before_labels and count_graph(graph) == before_counts
        assert not any("Junk" in name for name in os.listdir(private.data_dir / "databases" / private.database))
        assert len(os.listdir(private.data_dir / "databases" / private.database)) <= len(buckets) + 2  # WAL files
        assert run_read_only(graph, "MATCH (p:CpuProbe) RETURN count(p) AS n").rows == [{"n": PROBES}]


def test_an_older_data_directory_is_upgraded(tmp_path: Path) -> None:
    """A data dir made before the reader existed (and world-readable): the next start adds the reader
    and makes it private."""
    settings = local_settings(tmp_path / "graph")
    server.start(settings)
    server.stop(settings)
    local = server.LocalServer(settings.data_dir)
    users = local.config_dir / "server-users.jsonl"
    users.write_text("".join(ln + "\n" for ln in users.read_text().splitlines() if '"reader"' not in ln))
    local.reader_password_file.unlink()
    for path in [settings.data_dir, *settings.data_dir.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    server.start(settings)
    try:
        assert stat.S_IMODE(settings.data_dir.stat().st_mode) == 0o700
        assert stat.S_IMODE(users.stat().st_mode) == 0o600
        with connect(settings) as graph:
            assert run_read_only(graph, "RETURN 1 AS ok").rows == [{"ok": 1}]
    finally:
        server.stop(settings)


@pytest.mark.parametrize("which", ["KG_HTTP_PORT", "KG_BOLT_PORT"])
def test_a_busy_port_fails_fast_with_one_line(tmp_path: Path, which: str) -> None:
    settings = local_settings(tmp_path / "graph", KG_SERVER_START_TIMEOUT=30)
    port = settings.http_port if which == "KG_HTTP_PORT" else settings.bolt_port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        started = time.monotonic()
        with pytest.raises(ServerError, match=rf"port {port} .* in use \({which}\)"):
            server.start(settings)
        assert time.monotonic() - started < 10
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
        env.update(env_for(settings))
        result = subprocess.run([KG, "server", "start"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1 and f"port {port}" in result.stderr and which in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert server.LocalServer(settings.data_dir).pid() is None
