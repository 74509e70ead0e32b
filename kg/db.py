"""One way to reach the graph: a thread-safe driver plus the database name, with errors made readable.

Every read passes routing READ and the database explicitly; every write goes through one managed
transaction function, which the driver may retry, so it must be safe to run twice (MERGE on ids).
Researchers' queries use a second driver, logged in as the read-only user (see `Graph.reader`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, LiteralString, TypeVar

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable, SessionExpired

from kg.errors import GraphUnavailable
from kg.server import READER_USER, ROOT_USER, LocalServer
from kg.settings import Settings

T = TypeVar("T")

# The driver logs retries and dropped connections; our errors say what went wrong in one line instead.
logging.getLogger("neo4j").setLevel(logging.CRITICAL)

PING_CYPHER = "RETURN 1 AS ok"
COUNT_NODES_CYPHER = "MATCH (n) RETURN count(n) AS nodes"
COUNT_RELATIONSHIPS_CYPHER = "MATCH ()-[r]->() RETURN count(r) AS relationships"
# Registered for the Cypher lint test (kg/cypher/registry.py).
STATEMENTS: dict[str, str] = {
    "PING_CYPHER": PING_CYPHER,
    "COUNT_NODES_CYPHER": COUNT_NODES_CYPHER,
    "COUNT_RELATIONSHIPS_CYPHER": COUNT_RELATIONSHIPS_CYPHER,
}


class Graph:
    """A connected graph: the driver, the database to use, and where it is (for messages)."""

    def __init__(self, driver: neo4j.Driver, database: str, where: str, settings: Settings | None = None) -> None:
        self.driver = driver
        self.database = database
        self.where = where
        self.settings = settings
        self._reader: neo4j.Driver | None = None
        self._reader_lock = threading.Lock()

    def reader(self) -> neo4j.Driver:
        """A driver logged in as the read-only user, opened on first use (only the console needs it)."""
        if self.settings is None:
            raise GraphUnavailable("this graph connection has no settings to find the read-only user with")
        with self._reader_lock:
            if self._reader is None:
                uri, auth, _ = connection_parameters(self.settings, reader=True)
                self._reader = _driver(uri, auth, retry_s=0.0)
            return self._reader

    def read(self, query: LiteralString, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with translate_errors(self.where):
            records, _, _ = self.driver.execute_query(
                query, params or {}, database_=self.database, routing_=RoutingControl.READ
            )
        return [r.data() for r in records]

    def write(self, query: LiteralString, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with translate_errors(self.where):
            records, _, _ = self.driver.execute_query(
                query, params or {}, database_=self.database, routing_=RoutingControl.WRITE
            )
        return [r.data() for r in records]

    def write_transaction(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """Run `work` in one transaction: all of it is committed, or none."""
        with translate_errors(self.where), self.driver.session(database=self.database) as session:
            return session.execute_write(work)

    def close(self) -> None:
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        self.driver.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def translate_errors(where: str) -> Iterator[None]:
    try:
        yield
    except AuthError as exc:
        raise GraphUnavailable(f"the graph server at {where} refused the credentials ({_first_line(exc)})") from exc
    except (ServiceUnavailable, SessionExpired, ConnectionError, OSError) as exc:
        raise GraphUnavailable(f"cannot reach the graph server at {where} ({_first_line(exc)})") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def connection_parameters(settings: Settings, reader: bool = False) -> tuple[str, tuple[str, str], str]:
    """URI, auth and database: NEO4J_* when set, otherwise the local server's. With `reader`, the
    read-only user's credentials (on Neo4j: NEO4J_READER_*, else the main ones in READ sessions)."""
    if settings.external:
        assert settings.neo4j_uri is not None
        if reader and settings.neo4j_reader_user:
            secret = settings.neo4j_reader_password
            return (settings.neo4j_uri, (settings.neo4j_reader_user, secret.get_secret_value() if secret else ""),
                    settings.neo4j_database)
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        return settings.neo4j_uri, (settings.neo4j_user, password), settings.neo4j_database
    server = LocalServer(settings.data_dir)
    if not server.password_file.exists():
        raise GraphUnavailable(
            f"no local graph server in {settings.data_dir}: start one with `kg server start` "
            "(or set NEO4J_URI to use an existing Neo4j server)"
        )
    port = int(str(server.state().get("bolt_port", settings.bolt_port)))
    if reader:
        if not server.reader_password_file.exists():
            raise GraphUnavailable(f"the local graph server in {settings.data_dir} has no read-only user yet: "
                                   "restart it (`kg server stop`, `kg server start`) to create it")
        return f"bolt://127.0.0.1:{port}", (READER_USER, server.reader_password()), settings.database
    return f"bolt://127.0.0.1:{port}", (ROOT_USER, server.password()), settings.database


def _driver(uri: str, auth: tuple[str, str], retry_s: float) -> neo4j.Driver:
    return GraphDatabase.driver(
        uri,
        auth=auth,
        connection_timeout=5.0,
        max_transaction_retry_time=retry_s,
        notifications_min_severity="OFF",
    )


def connect(settings: Settings, verify: bool = True, retry_s: float = 15.0) -> Graph:
    uri, auth, database = connection_parameters(settings)
    driver = _driver(uri, auth, retry_s)
    graph = Graph(driver, database, uri, settings)
    if verify:
        try:
            with translate_errors(uri):
                driver.verify_connectivity()  # fails at once, without the retries queries get
            graph.read(PING_CYPHER)
        except GraphUnavailable:
            driver.close()
            raise
        except Neo4jError as exc:
            driver.close()
            raise GraphUnavailable(
                f"the graph server at {uri} cannot serve database {database!r}: {_first_line(exc)}"
            ) from exc
    return graph


def ping(settings: Settings) -> None:
    with connect(settings, retry_s=0.0):
        pass


def count_graph(graph: Graph) -> dict[str, int]:
    nodes = graph.read(COUNT_NODES_CYPHER)[0]["nodes"]
    rels = graph.read(COUNT_RELATIONSHIPS_CYPHER)[0]["relationships"]
    return {"nodes": int(nodes), "relationships": int(rels)}


__all__ = ["ClientError", "Graph", "connect", "count_graph", "ping", "translate_errors"]
