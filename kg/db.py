"""One way to reach the graph: a thread-safe driver plus the database name, with errors made readable.

Every read passes routing READ and the database explicitly; every write goes through one managed
transaction function, which the driver may retry, so it must be safe to run twice (MERGE on ids).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, LiteralString, TypeVar

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable, SessionExpired

from kg.errors import GraphUnavailable
from kg.server import ROOT_USER, LocalServer
from kg.settings import Settings

T = TypeVar("T")

# The driver logs each retry as a warning; our errors say what went wrong in one line instead.
logging.getLogger("neo4j").setLevel(logging.ERROR)

PING_CYPHER = "RETURN 1 AS ok"
COUNT_NODES_CYPHER = "MATCH (n) RETURN count(n) AS nodes"
COUNT_RELATIONSHIPS_CYPHER = "MATCH ()-[r]->() RETURN count(r) AS relationships"


class Graph:
    """A connected graph: the driver, the database to use, and where it is (for messages)."""

    def __init__(self, driver: neo4j.Driver, database: str, where: str) -> None:
        self.driver = driver
        self.database = database
        self.where = where

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


def connection_parameters(settings: Settings) -> tuple[str, tuple[str, str], str]:
    """URI, auth and database: NEO4J_* when set, otherwise the local server's."""
    if settings.external:
        assert settings.neo4j_uri is not None
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        return settings.neo4j_uri, (settings.neo4j_user, password), settings.neo4j_database
    server = LocalServer(settings.data_dir)
    if not server.password_file.exists():
        raise GraphUnavailable(
            f"no local graph server in {settings.data_dir}: start one with `kg server start` "
            "(or set NEO4J_URI to use an existing Neo4j server)"
        )
    port = int(str(server.state().get("bolt_port", settings.bolt_port)))
    return f"bolt://127.0.0.1:{port}", (ROOT_USER, server.password()), settings.database


def connect(settings: Settings, verify: bool = True, retry_s: float = 15.0) -> Graph:
    uri, auth, database = connection_parameters(settings)
    driver = GraphDatabase.driver(
        uri,
        auth=auth,
        connection_timeout=5.0,
        max_transaction_retry_time=retry_s,
        notifications_min_severity="OFF",
    )
    graph = Graph(driver, database, uri)
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
