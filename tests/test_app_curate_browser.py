"""The Curate page in headless Chromium against `kg app` (loopback): give a curator name, accept the first
suggested merge, and see the merged actor's page; then undo it from the log. Screenshots in test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kg import queries
from kg.db import Graph
from kg.settings import Settings
from kg.writer import GraphWriter
from tests.app_server import app_env, serve_app
from tests.records import duplicate_actor_articles
from tests.test_app_browser import Watched, open_page, settle, shoot, visible

playwright_sync = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def curate_url(graph_settings: Settings, graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    graph.write("MATCH (n) DETACH DELETE n")
    GraphWriter(graph).write_many(duplicate_actor_articles())
    with serve_app(app_env(graph_settings), tmp_path_factory.mktemp("curate-app")) as url:
        yield url
    graph.write("MATCH (n) DETACH DELETE n")


def test_accept_a_suggestion_and_see_the_merged_actor(curate_url: str, graph: Graph, page: Watched) -> None:
    pg: Any = page.page
    open_page(pg, f"{curate_url}/curate", "Curate")
    visible(pg.get_by_text("Redriver → Redriver Group").first)
    merge = pg.get_by_role("button", name="Merge", exact=True).first
    assert merge.is_disabled()  # no curator yet
    pg.get_by_role("textbox", name="Curator", exact=True).fill("ana")
    pg.get_by_role("textbox", name="Curator", exact=True).press("Enter")
    settle(pg)
    pg.wait_for_function("() => [...document.querySelectorAll('button')].some("
                         "b => b.innerText.trim() === 'Merge' && !b.disabled)", timeout=30_000)
    pg.get_by_role("button", name="Merge", exact=True).first.click()
    visible(pg.get_by_text("merged Redriver (redriver) into Redriver Group", exact=False).first, timeout_ms=60_000)
    settle(pg)
    shoot(pg, "curate-merged")
    merged = queries.actor(graph, "Redriver")
    assert merged is not None and merged.id == "redriver-group"

    open_page(pg, f"{curate_url}/actor?actor=Redriver", "Actor")
    pg.get_by_role("heading", name="Redriver Group").first.wait_for(state="visible")
    # the merged actor's alias is the canonical actor's now
    visible(pg.get_by_text("Redriver Group Holding, RR", exact=False).first)
    shoot(pg, "curate-actor")

    open_page(pg, f"{curate_url}/curate", "Curate")
    pg.get_by_role("textbox", name="Curator", exact=True).fill("ana")
    pg.get_by_role("textbox", name="Curator", exact=True).press("Enter")
    settle(pg)
    pg.get_by_role("button", name="Undo", exact=True).first.click()
    visible(pg.get_by_text("undone: judgement", exact=False).first, timeout_ms=60_000)
    split = queries.actor(graph, "Redriver")
    assert split is not None and split.id == "redriver"
    assert page.page_errors == []
