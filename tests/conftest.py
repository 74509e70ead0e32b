"""One real graph server for the whole test session (no mocks, no in-memory stand-in)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg import server
from kg.db import Graph, connect
from kg.schema import apply_schema
from kg.settings import Settings
from tests.graph_server import local_settings

# Tests never talk to a production server by accident.
for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
    os.environ.pop(var, None)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def graph_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    settings = local_settings(tmp_path_factory.mktemp("graph"))
    server.start(settings)
    try:
        with connect(settings) as graph:
            apply_schema(graph)
        yield settings
    finally:
        server.stop(settings)


@pytest.fixture(scope="session")
def graph(graph_settings: Settings) -> Iterator[Graph]:
    with connect(graph_settings) as g:
        yield g


@pytest.fixture
def clean_graph(graph: Graph) -> Iterator[Graph]:
    """The session's graph, empty (schema kept) before the test and again after it."""
    graph.write("MATCH (n) DETACH DELETE n")
    yield graph
    graph.write("MATCH (n) DETACH DELETE n")


# ---------------------------------------------------------------- headless Chromium (the browser tests)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """The Debian `chromium`, driven by Playwright (tests/test_app_browser.py says how)."""
    from tests.test_app_browser import CHROMIUM, CHROMIUM_ARGS

    playwright_sync = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium chromium-driver (the project's setup does)")
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh 1400x1000 tab that records dialogs and page errors (a `Watched`)."""
    from tests.test_app_browser import Watched

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    watched = Watched(context.new_page())
    yield watched
    context.close()
