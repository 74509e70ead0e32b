"""`kg export --format neo4j-import DIR` (issue 18): node and relationship CSV files whose headers follow
neo4j-admin's documented grammar, and which, loaded back into the local server, give the graph they came from."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jobs.stages import ingest_paths
from kg import queries
from kg.cypher.export import DUMP_NODES_CYPHER, DUMP_RELATIONSHIPS_CYPHER
from kg.db import Graph
from kg.export.neo4j_import import ARRAY_DELIMITER, export_neo4j_import, load_import_files, parse_header
from kg.settings import Settings
from tests.conftest import REPO
from tests.graph_server import kg_env

DEV = REPO / "data" / "samples" / "articles.jsonl"
# The header grammar of the Neo4j 5 operations manual ("Import header format"): <name>:<field_type>
SPECIAL = re.compile(r"^(?P<name>\w*):(?P<kind>ID|START_ID|END_ID)\((?P<group>\w+)\)$|^:(?P<plain>LABEL|TYPE)$")
PROPERTY = re.compile(r"^(?P<name>\w+):(?P<type>int|long|float|double|boolean|byte|short|char|string|point|date|"
                      r"localtime|time|localdatetime|datetime|duration)(?P<array>\[\])?$")


@pytest.fixture(scope="module")
def dev_graph(graph_settings: Settings, graph: Graph) -> Iterator[Graph]:
    graph.write("MATCH (n) DETACH DELETE n")
    summary = ingest_paths(graph_settings, [DEV], progress=None, errors=None)
    assert summary.new == 45 and summary.failed == 0
    yield graph
    graph.write("MATCH (n) DETACH DELETE n")


def _norm(props: dict[str, Any]) -> dict[str, Any]:
    # neo4j-admin stores no empty array (an empty cell is no property): [] and missing read the same
    return {k: sorted(v) if k == "aliases" else v for k, v in props.items() if v is not None and v != []}


def graph_state(graph: Graph) -> tuple[Counter[str], Counter[str]]:
    nodes = Counter(json.dumps([sorted(r["labels"]), _norm(r["props"])], sort_keys=True)
                    for r in graph.read(DUMP_NODES_CYPHER))
    rels = Counter(json.dumps([r["type"], r["a"], r["b"], _norm(r["props"])], sort_keys=True)
                   for r in graph.read(DUMP_RELATIONSHIPS_CYPHER))
    return nodes, rels


def test_the_headers_follow_neo4j_admins_grammar(dev_graph: Graph, tmp_path: Path) -> None:
    result = export_neo4j_import(dev_graph, tmp_path / "import")
    assert result.array_delimiter == ARRAY_DELIMITER
    headers: dict[str, list[str]] = {}
    ids: dict[str, set[str]] = {}
    for path in result.files:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))  # an independent reader: every row has the header's width
        headers[path.name] = rows[0]
        assert rows[1:] and all(len(r) == len(rows[0]) for r in rows[1:]), path.name
        for field in rows[0]:
            assert SPECIAL.match(field) or PROPERTY.match(field), f"{path.name}: {field!r}"
        parse_header(",".join(rows[0]))  # and the product's own parser accepts it
        kinds = [m.group("kind") or m.group("plain") for f in rows[0] if (m := SPECIAL.match(f))]
        if path.name.startswith("nodes-"):
            assert sorted(kinds) == ["ID", "LABEL"], path.name
            group = SPECIAL.match(rows[0][0]).group("group")  # type: ignore[union-attr]
            assert rows[0][0] == f"id:ID({group})"
            column = [r[0] for r in rows[1:]]
            assert len(set(column)) == len(column), f"{path.name}: ids are not unique in their ID space"
            ids[group] = set(column)
        else:
            assert sorted(kinds) == ["END_ID", "START_ID", "TYPE"], path.name
    for path in result.files:  # every relationship's ends are nodes of the ID space it names
        if path.name.startswith("rels-"):
            with path.open(encoding="utf-8", newline="") as fh:
                rows = list(csv.reader(fh))
            start = SPECIAL.match(rows[0][0]).group("group")  # type: ignore[union-attr]
            end = SPECIAL.match(rows[0][1]).group("group")  # type: ignore[union-attr]
            assert all(r[0] in ids[start] and r[1] in ids[end] for r in rows[1:]), path.name
    fact, actor = headers["nodes-Fact.csv"], headers["nodes-Actor.csv"]
    assert {"date_start:string", "reliability:double", "n_articles:long", "disputed:boolean"} <= set(fact)
    assert "aliases:string[]" in actor
    assert {":START_ID(Fact)", ":END_ID(Actor)", ":TYPE"} <= set(headers["rels-ACCUSER-Fact-Actor.csv"])
    command = result.command()
    assert command.startswith("neo4j-admin database import full ") and command.endswith(" neo4j")
    assert "--array-delimiter=;" in command and "--multiline-fields=true" in command
    assert all(f"={f}" in command for f in result.files)


def test_loaded_back_the_files_give_the_same_graph(dev_graph: Graph, tmp_path: Path) -> None:
    before = graph_state(dev_graph)
    timeline = queries.timeline(dev_graph, limit=10_000)
    result = export_neo4j_import(dev_graph, tmp_path / "import")
    assert result.nodes == sum(before[0].values()) and result.relationships == sum(before[1].values())
    dev_graph.write("MATCH (n) DETACH DELETE n")
    assert load_import_files(dev_graph, tmp_path / "import") == (result.nodes, result.relationships)
    after = graph_state(dev_graph)
    assert after == before
    assert queries.timeline(dev_graph, limit=10_000) == timeline  # the views read the loaded graph the same
    assert load_import_files(dev_graph, tmp_path / "import") == (result.nodes, result.relationships)
    assert graph_state(dev_graph) == before  # MERGE on ids: loading twice changes nothing


def test_kg_export_prints_the_import_command(dev_graph: Graph, graph_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "import"
    done = subprocess.run([sys.executable, "-m", "kgcli", "export", "--format", "neo4j-import", str(out)],
                          env=kg_env(graph_settings), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "neo4j-admin database import full" in done.stdout and "kg schema" in done.stdout
    assert (out / "nodes-Fact.csv").exists() and (out / "import.sh").exists()
    refused = subprocess.run([sys.executable, "-m", "kgcli", "export", "--format", "neo4j-import", "--actor", "x",
                              str(out)], env=kg_env(graph_settings), capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
