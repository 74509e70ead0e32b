"""The local graph server: start, schema, write, read, restart, kill -9, errors, NEO4J_URI."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import server
from kg.db import connect, count_graph
from kg.errors import GraphUnavailable
from kg.schema import apply_schema, cypher_statements
from kg.settings import Settings
from tests.graph_server import env_for, local_settings

WRITE = "MERGE (a:Actor {id: $id}) SET a.name = $name RETURN a.id AS id"
READ = "MATCH (a:Actor {id: $id}) RETURN a.name AS name"


def run_kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "kgcli", *args], capture_output=True, text=True, env=full_env, timeout=180
    )


def test_schema_write_read(graph_settings: Settings) -> None:
    with connect(graph_settings) as graph:
        assert apply_schema(graph) == len(cypher_statements())  # idempotent on a second run
        graph.write(WRITE, {"id": "test-schema-write", "name": "Anthropic"})
        assert graph.read(READ, {"id": "test-schema-write"}) == [{"name": "Anthropic"}]
        with pytest.raises(Exception, match=r"(?i)constraint|duplicat|unique"):
            graph.write("CREATE (a:Actor {id: $id})", {"id": "test-schema-write"})
        graph.write("MATCH (a:Actor {id: $id}) DETACH DELETE a", {"id": "test-schema-write"})


def test_password_is_generated_private_and_loopback_only(graph_settings: Settings) -> None:
    local = server.LocalServer(graph_settings.data_dir)
    for secret_file in (local.password_file, local.reader_password_file):  # the reader's is kept the same way
        assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(graph_settings.data_dir.stat().st_mode) == 0o700
    assert len(local.password()) >= 24 and len(local.reader_password()) >= 24
    assert local.password() != local.reader_password()
    listening = Path("/proc/net/tcp").read_text() + Path("/proc/net/tcp6").read_text()
    port_hex = f":{graph_settings.bolt_port:04X}"
    lines = [ln for ln in listening.splitlines() if port_hex in ln.split()[1] and ln.split()[3] == "0A"]
    assert lines, "bolt port not listening"
    for ln in lines:
        addr = ln.split()[1].split(":")[0]
        assert addr in ("0100007F", "0000000000000000FFFF00000100007F"), f"not loopback: {ln}"
    assert local.password() not in local.log_tail(10_000)
    assert local.reader_password() not in local.log_tail(10_000)


def test_restart_and_kill9_keep_committed_data(tmp_path: Path) -> None:
    settings = local_settings(tmp_path / "graph")
    server.start(settings)
    try:
        with connect(settings) as graph:
            apply_schema(graph)
            graph.write(WRITE, {"id": "a1", "name": "before restart"})
        assert server.stop(settings)
        server.start(settings)
        with connect(settings) as graph:
            assert graph.read(READ, {"id": "a1"}) == [{"name": "before restart"}]
            graph.write(WRITE, {"id": "a2", "name": "before kill"})
        pid = server.LocalServer(settings.data_dir).pid()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        for _ in range(100):
            if server.LocalServer(settings.data_dir).pid() is None:
                break
            time.sleep(0.1)
        server.start(settings)
        with connect(settings) as graph:
            assert graph.read(READ, {"id": "a2"}) == [{"name": "before kill"}]
            assert graph.read(READ, {"id": "a1"}) == [{"name": "before restart"}]
            assert count_graph(graph)["nodes"] == 2
    finally:
        server.stop(settings)


def test_cli_start_status_stop(tmp_path: Path) -> None:
    settings = local_settings(tmp_path / "graph")
    env = env_for(settings)
    started = run_kg("server", "start", "--schema", env=env)
    try:
        assert started.returncode == 0, started.stderr
        assert "started" in started.stdout
        status = run_kg("server", "status", env=env)
        assert status.returncode == 0, status.stderr
        assert f"127.0.0.1:{settings.bolt_port}" in status.stdout
        assert "0 nodes" in status.stdout
    finally:
        stopped = run_kg("server", "stop", env=env)
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    after = run_kg("server", "status", env=env)
    assert after.returncode != 0 and "not running" in after.stdout


def test_dead_server_gives_one_line_error(tmp_path: Path) -> None:
    settings = local_settings(tmp_path / "graph")
    server.LocalServer(settings.data_dir).password()  # a data dir whose server is not running
    samples = str(Path(__file__).resolve().parents[1] / "data" / "samples")
    for args in (["schema"], ["query", "timeline"], ["query", "cypher", "MATCH (n) RETURN n"], ["ingest", samples],
                 ["forget", "x"], ["export", "--format", "csv", "-o", str(tmp_path / "out")]):
        result = run_kg(*args, env=env_for(settings))
        assert result.returncode == 1, args
        assert result.stderr.startswith("error: cannot reach the graph server"), (args, result.stderr)
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    with pytest.raises(GraphUnavailable):
        connect(settings)


def test_wrong_password_gives_one_line_error(graph_settings: Settings) -> None:
    env = {
        "NEO4J_URI": f"bolt://127.0.0.1:{graph_settings.bolt_port}",
        "NEO4J_USER": "root",
        "NEO4J_PASSWORD": "not-the-password",
        "NEO4J_DATABASE": graph_settings.database,
    }
    result = run_kg("server", "status", env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("error: the graph server at bolt://127.0.0.1")
    assert "refused the credentials" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_neo4j_uri_switches_target(graph_settings: Settings, tmp_path: Path) -> None:
    password = server.LocalServer(graph_settings.data_dir).password()
    env = {
        "NEO4J_URI": f"bolt://127.0.0.1:{graph_settings.bolt_port}",
        "NEO4J_USER": "root",
        "NEO4J_PASSWORD": password,
        "NEO4J_DATABASE": graph_settings.database,
        # a data dir with no local server: if NEO4J_URI were ignored, this would fail or start one
        "KG_DATA_DIR": str(tmp_path / "unused"),
    }
    status = run_kg("server", "status", "--json", env=env)
    assert status.returncode == 0, status.stderr
    assert '"mode": "external"' in status.stdout and '"running": true' in status.stdout
    refused = run_kg("server", "start", env=env)
    assert refused.returncode == 1 and "NEO4J_URI is set" in refused.stderr
    assert not (tmp_path / "unused").exists()
