"""Issue 13, the read-only console: the known bypasses are refused by the tokenizer, through `kg query
cypher`, and by the server itself when sent straight to it as the read-only user; nothing changes, no
type is left behind; limits are clamped to the settings' caps; bad --params give one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, LiteralString, cast

import neo4j
import pytest

from kg import queries
from kg.db import Graph, connect, count_graph
from kg.errors import QueryRefused
from kg.readonly import check_read_only, run_read_only, tokenize
from kg.settings import Settings
from kg.writer import GraphWriter
from tests.graph_server import env_for
from tests.records import accusation

CLEAR = "MATCH (n) DETACH DELETE n"
FACT_PROPS = "MATCH (f:Fact) RETURN f.id AS id, properties(f) AS props ORDER BY id"
ACTORS = "MATCH (a:Actor) RETURN a.id AS id, a.name AS name ORDER BY id"
LABELS = "CALL db.labels()"  # ArcadeDB lists the schema's vertex types here, with or without records
KG = str(Path(sys.executable).with_name("kg"))

# What the hostile test of issue 13 committed (or left behind) through the console, and variants that
# hide a write the same ways: a comment opener inside a string, a string opener inside a comment,
# IN TRANSACTIONS, escapes, odd line ends, Unicode lookalikes and number lexing.
BYPASSES = [
    "UNWIND [1] AS i WITH i, '//' AS x CALL { WITH i CREATE (n:Actor {id:'pwn-it', name:'PWNED'}) } "
    "IN TRANSACTIONS OF 1 ROWS RETURN i",
    "UNWIND [1] AS i WITH i, '//' AS x CALL { WITH i MATCH (f:Fact) SET f.reliability = 100, "
    "f.title = 'FORGED ' + f.title } IN TRANSACTIONS OF 1 ROWS RETURN i",
    "UNWIND [1] AS i WITH i, \"/*\" AS x CALL { WITH i MATCH (a:Actor) DETACH DELETE a } IN TRANSACTIONS RETURN i",
    "WITH '//' AS x CREATE (:Junk0)",
    "WITH '/*' AS x MATCH (f:Fact) SET f.reliability = 100 // */",
    "WITH 'it\\'s //' AS x MATCH (a:Actor) DETACH DELETE a",
    "WITH \"say \\\"/*\\\"\" AS x CREATE (:Junk0)",
    "WITH `odd``//` AS x CREATE (:Junk0)",
    "MATCH (n) CALL { WITH n RETURN n AS m } IN 2 CONCURRENT TRANSACTIONS RETURN m",
    "MATCH (n) CALL { WITH n RETURN n AS m } IN TRANSACTIONS RETURN m",
    "RETURN 1 // comment\rCREATE (:Junk0)",
    "RETURN 1 // comment\u2028CREATE (:Junk0)",
    "RETURN 0xaSET",
    "CRE\u200bATE (:Junk0)",
    "\uff23\uff32\uff25\uff21\uff34\uff25 (:Junk0)",  # fullwidth CREATE
    "CALL `db`.labels()",
    "RETURN 'unterminated // CREATE (:Junk0)",
    "RETURN `unterminated CREATE (:Junk0)",
    "MATCH (f:Fact) SET f.reliability = 100",
    "MATCH (a:Actor) DETACH DELETE a",
    "CREATE (:Junk0)",
]

# Sent as-is to the server as the read-only user, past every check of ours.
STRAIGHT_TO_SERVER = [
    BYPASSES[0],
    BYPASSES[1],
    BYPASSES[2],
    "MATCH (f:Fact) SET f.reliability = 100",
    "MATCH (f:Fact) SET f.title = 'FORGED ' + f.title",
    "MATCH (a:Actor) DETACH DELETE a",
    "MATCH (a:Actor) REMOVE a.name",
    "CREATE (:Junk0)",
    "CREATE (:Actor {id: 'pwn-it', name: 'PWNED'})",
    "MERGE (:Junk1 {id: 'x'})",
    "MATCH (a:Actor) WITH a LIMIT 1 CREATE (a)-[:JUNK_REL]->(a)",
    "CREATE INDEX junk_index IF NOT EXISTS FOR (n:Actor) ON (n.junk)",
]

# Read-only queries that look alarming to a text check and must still run.
HARMLESS = [
    "RETURN '//' AS a, \"/*\" AS b, 'CREATE (n)' AS c",
    "RETURN 'it\\'s // SET' AS a",
    "// a comment that says CREATE\nMATCH (a:Actor) RETURN a.name AS name /* DELETE */ ORDER BY name",
    "WITH 1 AS `CREATE` RETURN `CREATE` AS `we``ird`",
    "MATCH (a:Actor) WHERE a.name = $set RETURN a.name AS name",
    "MATCH (a:Actor) CALL { WITH a RETURN count(*) AS c } RETURN a.name AS name, c",
    "RETURN 'Ünïcödé SET' AS x;",
]


@pytest.fixture
def seeded(graph: Graph) -> Iterator[Graph]:
    graph.write(CLEAR)
    writer = GraphWriter(graph)
    writer.write(accusation("sec-1", "Northwind accused Redriver of distillation."))
    yield graph
    graph.write(CLEAR)


def snapshot(graph: Graph) -> tuple[dict[str, int], list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    return (count_graph(graph), graph.read(FACT_PROPS), graph.read(ACTORS),
            sorted(r["label"] for r in graph.read(LABELS)))


def run_kg(*args: str, settings: Settings) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(env_for(settings))
    return subprocess.run([KG, *args], capture_output=True, text=True, env=env, timeout=120)


def test_tokenizer_refuses_known_bypasses_and_passes_lookalike_reads() -> None:
    for query in BYPASSES:
        with pytest.raises(QueryRefused):
            check_read_only(query)
    for query in HARMLESS:
        check_read_only(query)


def test_tokens_respect_strings_escapes_names_and_comments() -> None:
    tokens = tokenize("RETURN 'a\\'//' AS x, `b``c` /* 'not a string */ // `not a name\n$p")
    assert [(t.kind, t.text) for t in tokens] == [
        ("word", "RETURN"), ("string", "a\\'//"), ("word", "AS"), ("word", "X"), ("punct", ","),
        ("name", "b`c"), ("param", "p")]


def test_bypasses_through_kg_query_cypher_change_nothing(seeded: Graph, graph_settings: Settings) -> None:
    before = snapshot(seeded)
    assert before[1] and before[2]
    for query in BYPASSES[:6]:
        result = run_kg("query", "cypher", query, settings=graph_settings)
        assert result.returncode == 1, (query, result.stdout)
        assert result.stderr.startswith("error: read-only console") or "unterminated" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
        assert snapshot(seeded) == before, query
    good = run_kg("query", "cypher", "RETURN $a AS a", "--params", json.dumps({"a": [1, {"b": 2}]}),
                  settings=graph_settings)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout) == {"a": [1, {"b": 2}]}


@pytest.mark.parametrize("autocommit", [False, True], ids=["explicit-commit", "auto-commit"])
def test_bypasses_sent_straight_to_the_server_as_the_reader_are_refused(seeded: Graph, autocommit: bool) -> None:
    before = snapshot(seeded)
    reader = seeded.reader()
    for query in STRAIGHT_TO_SERVER:
        # A WRITE session, as an attacker would ask for.
        session = reader.session(database=seeded.database)
        with pytest.raises(neo4j.exceptions.ClientError) as refused, session:
            if autocommit:
                session.run(cast(LiteralString, query)).consume()
            else:
                with session.begin_transaction() as tx:
                    tx.run(cast(LiteralString, query)).consume()
                    tx.commit()
        assert "Forbidden" in (refused.value.code or ""), (query, refused.value.code)
        assert snapshot(seeded) == before, query  # nodes, a fact's properties, actors, and the type list


def test_the_console_reads_as_the_reader(seeded: Graph) -> None:
    with seeded.reader().session(database=seeded.database) as session:
        names = [r["name"] for r in session.run(cast(LiteralString, ACTORS))]
    assert names == ["Northwind AI", "Redriver Group"]
    for query in HARMLESS:
        queries.cypher(seeded, query, {"set": "Northwind AI"})
    res = queries.cypher(seeded, HARMLESS[0])
    assert res.rows == [{"a": "//", "b": "/*", "c": "CREATE (n)"}]
    user = queries.cypher(seeded, "RETURN 1 AS ok")  # ran on the reader's driver, opened once and kept
    assert user.rows == [{"ok": 1}] and seeded.reader() is seeded.reader()


def test_limits_are_clamped_to_the_settings_caps(seeded: Graph, graph_settings: Settings) -> None:
    settings = Settings(KG_QUERY_TIMEOUT_MAX=5, KG_QUERY_ROW_LIMIT_MAX=50, KG_QUERY_TIMEOUT=2,
                        KG_QUERY_ROW_LIMIT=20)  # type: ignore[call-arg]
    assert settings.clamp_query_timeout(300) == 5 and settings.clamp_query_timeout(1.5) == 1.5
    assert settings.clamp_query_timeout(None) == 2 and settings.clamp_query_timeout(float("nan")) == 2
    assert settings.clamp_query_row_limit(100_000) == 50 and settings.clamp_query_row_limit(None) == 20
    assert settings.clamp_query_row_limit(0) == 20
    with connect(graph_settings.model_copy(update={"query_row_limit_max": 50})) as capped:
        res = run_read_only(capped, "UNWIND range(1, 1000) AS i RETURN i", row_limit=100_000)
    assert len(res.rows) == 50 and res.truncated


@pytest.mark.parametrize("params, says", [
    ("{not json", "not valid JSON"),
    ("[" * 50_000 + "]" * 50_000, "not valid JSON"),  # deeper than Python's recursion limit
    ("[" * 500 + "]" * 500, "must be a JSON object"),
    ('{"a": ' + "[" * 500 + "]" * 500 + "}", "nest deeper"),
])
def test_bad_params_give_one_line(graph_settings: Settings, params: str, says: str) -> None:
    result = run_kg("query", "cypher", "RETURN $a AS a", "--params", params, settings=graph_settings)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and says in result.stderr, result.stderr[:500]
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
