"""The clickable graphs (app/graphs.py, issue 19): what is sent to the Cytoscape component (nodes styled by actor
and fact type, edges by role, where each node leads) and the text fallback under each graph, on the app's
fixture graph; the pages through AppTest (the component itself is exercised in headless Chromium by
tests/test_app_browser.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app import charts, graphs, ui
from kg import queries
from kg.db import Graph
from kg.settings import Settings
from tests.app_fixtures import SCRIPT_PAYLOAD, load_fixture_graph
from tests.app_server import pointed_at
from tests.test_app import ACTOR, CYPHER, TRACE, run_page


@pytest.fixture(scope="module")
def facts(graph_settings: Settings, graph: Graph) -> Iterator[dict[str, str]]:
    ids = load_fixture_graph(graph)
    with pointed_at(graph_settings):
        yield ids


def _profile(graph: Graph, name: str) -> dict[str, Any]:
    profile = queries.actor(graph, name)
    assert profile is not None
    out = profile.model_dump(mode="json")
    out["timeline"] = [f.model_dump(mode="json") for f in profile.timeline]
    return out


def table(at: Any, column: str) -> list[dict[str, Any]]:
    """The rows of the first table on the page with this column."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return list(frame.value.to_dict("records"))
    raise AssertionError(f"no table with a {column!r} column")


# ---------------------------------------------------------------- the drawings


def test_neighbourhood_nodes_edges_and_where_they_lead(facts: dict[str, str], graph: Graph) -> None:
    profile = _profile(graph, "Kestrel Compute")
    d = graphs.neighbourhood(profile, profile["neighbourhood"])
    nodes = {n["data"]["id"]: n["data"] for n in d.elements()["nodes"]}
    edges = [e["data"] for e in d.elements()["edges"]]
    # nodes: the actor (no target: it is this page), the facts, the other actors, each styled by its type
    assert nodes["actor:appfx-kestrel-compute"]["_border"] > nodes["actor:appfx-zephyr-labs"]["_border"]
    assert "actor:appfx-kestrel-compute" not in d.targets
    assert nodes["actor:appfx-zephyr-labs"]["label"] == "Organization"
    assert nodes["actor:appfx-ministry-digital-trade"]["label"] == "GovernmentBody"
    assert nodes[f"fact:{facts['conflict']}"]["label"] == "Allegation"
    assert nodes[f"fact:{facts['entity_list']}"]["label"] == "GovernmentAction"
    assert d.targets["actor:appfx-zephyr-labs"] == (ui.ACTOR, {"actor": "Zephyr Labs"})
    assert d.targets[f"fact:{facts['conflict']}"] == (ui.TRACE, {"fact": facts["conflict"]})
    assert nodes["actor:appfx-zephyr-labs"]["opens"] == "the actor's page"
    assert nodes[f"fact:{facts['conflict']}"]["opens"] == "the claim trace"
    # edges: accuser → allegation → accused, issuer → action → target, labelled in the ontology's words
    by_pair = {(e["source"], e["target"]): e for e in edges}
    accuser = by_pair[("actor:appfx-zephyr-labs", f"fact:{facts['conflict']}")]
    accused = by_pair[(f"fact:{facts['conflict']}", "actor:appfx-kestrel-compute")]
    assert (accuser["label"], accuser["role"]) == ("ACCUSER", "accuser")
    assert (accused["label"], accused["role"]) == ("ACCUSED", "accused")
    issuer = by_pair[("actor:appfx-ministry-digital-trade", f"fact:{facts['entity_list']}")]
    assert (issuer["label"], issuer["role"]) == ("ISSUER", "issuer")
    assert {e["label"] for e in edges} <= set(charts.ROLE_STYLE)
    # every edge joins two drawn nodes
    assert all(e["source"] in nodes and e["target"] in nodes for e in edges)


def test_styles_are_the_apps_colour_blind_safe_palette() -> None:
    node_styles, edge_styles = graphs._styles()
    safe = {*charts.OKABE_ITO.values(), charts.GREY, "#dddddd", "#7a7a7a"}
    colours = {s.color for s in node_styles} | {s.color for s in edge_styles}
    assert colours <= safe, colours - safe
    assert {s.label for s in node_styles} >= {*charts.ACTOR_STYLE, *charts.TYPE_COLOURS}
    # a type is told by its shape too, never by colour alone
    shapes = [shape for _, shape in charts.ACTOR_STYLE.values()]
    assert len(set(shapes)) == len(shapes) and charts.FACT_SHAPE not in shapes
    lines = {(colour, line) for colour, line, _ in charts.ROLE_STYLE.values()}
    assert len(lines) == len(charts.ROLE_STYLE)


def test_trace_graph_has_the_roles_and_the_articles(facts: dict[str, str], graph: Graph) -> None:
    found = queries.trace(graph, facts["script"])
    assert found is not None
    assert {(r.role, r.name) for r in found.roles} >= {("ACCUSER", "Republic of Borealia"),
                                                       ("ACCUSED", "Kestrel Compute")}
    d = graphs.trace(found.model_dump(mode="json"))
    nodes = {n["data"]["id"]: n["data"] for n in d.elements()["nodes"]}
    assert nodes[f"fact:{facts['script']}"]["label"] == "Allegation" and f"fact:{facts['script']}" not in d.targets
    assert d.targets["actor:appfx-borealia"] == (ui.ACTOR, {"actor": "Republic of Borealia"})
    articles = [n for n in nodes if n.startswith("article:")]
    # the article's title, payload and all, is data: drawn on a canvas, shown as text in the info panel
    assert any(SCRIPT_PAYLOAD in str(nodes[a].get("title")) for a in articles)
    assert articles and all(d.targets[a] == (ui.SOURCES, {"article": "appfx-script-cyberattack"}) for a in articles)


def test_console_graph_opens_actors_facts_and_articles(facts: dict[str, str], graph: Graph) -> None:
    result = queries.cypher(graph, "MATCH p = (a:Actor {id: 'appfx-zephyr-labs'})<-[:ACCUSER]-(f:Fact) "
                                   "-[:HAS_EVIDENCE]->(:Evidence)-[:REPORTED_IN]->(art:Article) RETURN p")
    d = graphs.results(result.nodes, result.relationships)
    targets = list(d.targets.values())
    assert (ui.ACTOR, {"actor": "appfx-zephyr-labs"}) in targets
    assert (ui.TRACE, {"fact": facts["conflict"]}) in targets
    assert any(page == ui.SOURCES for page, _ in targets)
    assert {e["data"]["label"] for e in d.elements()["edges"]} >= {"ACCUSER", "HAS_EVIDENCE", "REPORTED_IN"}


# ---------------------------------------------------------------- the pages: the text fallback


def test_actor_page_lists_the_graph_as_text(facts: dict[str, str]) -> None:
    at = run_page(ACTOR, actor="kestrel")
    rows = table(at, "other actor")
    assert {"actor": "Kestrel Compute", "role": "accused", "fact": "Zephyr Labs accuses Kestrel Compute of "
            "distillation", "other actor": "Zephyr Labs", "their role": "accuser"} in rows
    assert any(r["other actor"] == "Ministry of Digital Trade" and r["role"] == "target"
               and r["their role"] == "issuer" for r in rows)
    assert any(c.value.startswith("Click an actor to open its page") for c in at.caption)
    legend = " ".join(c.value for c in at.caption if c.value.startswith("Nodes"))
    assert "organisation" in legend and "accuser" in legend and "_" not in legend  # words, not names


def test_trace_page_lists_the_graph_as_text(facts: dict[str, str]) -> None:
    at = run_page(TRACE, fact=facts["conflict"])
    rows = table(at, "link")
    assert {"from": "Zephyr Labs accuses Kestrel Compute of distillation", "link": "accuser", "to": "Zephyr Labs",
            "opens": "the actor's page"} in rows
    assert any(r["link"] == "accused" and r["to"] == "Kestrel Compute" for r in rows)
    assert sum(r["link"] == "reported in" for r in rows) >= 2  # the two articles that conflict


def test_console_lists_result_nodes_as_text(facts: dict[str, str]) -> None:
    at = run_page(CYPHER)
    at.button(key="cy_run").click().run()  # the default example returns paths
    rows = table(at, "node")
    assert any(r["node"] == "Zephyr Labs" and r["opens"] == "the actor's page" for r in rows)
    assert any(r["labels"] == ":Allegation" and r["opens"] == "the claim trace" for r in rows)
