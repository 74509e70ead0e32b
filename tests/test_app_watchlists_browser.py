"""Issue 17's pages in headless Chromium against `kg app` (loopback): create a watchlist from the Watchlists page,
run it and see its alerts; the actor page's lifecycle; the timeline as of the first fetch. Screenshots in
test-artifacts/ (app-watchlists.png, app-actor-lifecycle.png, app-timeline-asof.png)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from intake.watchlists import WatchlistStore
from kg.db import Graph
from kg.settings import Settings
from kg.writer import GraphWriter
from tests.app_server import app_env, serve_app
from tests.test_app_browser import Watched, open_page, settle, shoot, visible
from tests.test_app_watchlists import _versions, store_file
from tests.test_links import story

playwright_sync = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def app_url(graph_settings: Settings, graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    graph.write("MATCH (n) DETACH DELETE n")
    writer = GraphWriter(graph)
    writer.write(story())
    for version in _versions():
        writer.write(version)
    path = store_file(graph_settings)
    with WatchlistStore(path) as store:
        for w in store.all():
            store.remove(w.name)
    with serve_app(app_env(graph_settings), tmp_path_factory.mktemp("watchlists-app")) as url:
        yield url
    with WatchlistStore(path) as store:
        for w in store.all():
            store.remove(w.name)
    graph.write("MATCH (n) DETACH DELETE n")


def test_create_and_run_a_watchlist(app_url: str, page: Watched) -> None:
    pg: Any = page.page
    open_page(pg, f"{app_url}/watchlists", "Watchlists")
    visible(pg.get_by_text("None yet", exact=False).first)
    pg.get_by_role("textbox", name="Curator", exact=True).fill("ana")
    pg.get_by_role("textbox", name="Curator", exact=True).press("Enter")
    settle(pg)
    pg.get_by_role("textbox", name="Name", exact=True).fill("redriver")
    pg.get_by_role("combobox", name="Selected Actors to follow").or_(
        pg.get_by_label("Actors to follow")).first.click()
    pg.keyboard.type("Redriver Group")
    pg.keyboard.press("Enter")
    pg.keyboard.press("Escape")
    pg.wait_for_function("() => [...document.querySelectorAll('button')].some("
                         "b => b.innerText.trim() === 'Save watchlist' && !b.disabled)", timeout=30_000)
    pg.get_by_role("button", name="Save watchlist", exact=True).click()
    visible(pg.get_by_text("watchlist redriver saved", exact=False).first, timeout_ms=60_000)
    settle(pg)
    pg.get_by_role("button", name="Run", exact=True).first.click()
    visible(pg.get_by_text("new alert(s)", exact=False).first, timeout_ms=60_000)
    settle(pg)
    visible(pg.get_by_role("link", name="New: Northwind AI accuses Redriver Group of distillation").first)
    link = pg.get_by_role("link", name="New: Northwind AI accuses Redriver Group of distillation").first
    assert "trace?fact=" in (link.get_attribute("href") or "")
    visible(pg.get_by_role("button", name="Atom file").first)
    shoot(pg, "watchlists")
    assert page.page_errors == []


def test_the_actor_lifecycle_and_the_timeline_as_of(app_url: str, page: Watched) -> None:
    pg: Any = page.page
    open_page(pg, f"{app_url}/actor?actor=Redriver%20Group", "Actor")
    visible(pg.get_by_role("heading", name="What followed the allegations").first)
    visible(pg.get_by_text("investigated", exact=True).first)
    visible(pg.get_by_text("sanctioned", exact=True).first)
    pg.get_by_role("heading", name="What followed the allegations").first.scroll_into_view_if_needed()
    shoot(pg, "actor-lifecycle")

    open_page(pg, f"{app_url}/?asof=2026-06-25T12:00", "Timeline")
    visible(pg.get_by_text("As of 2026-06-25 12:00 UTC", exact=False).first)
    settle(pg)
    shoot(pg, "timeline-asof")
    assert page.page_errors == []
