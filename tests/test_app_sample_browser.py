"""The app on the 45-article sample (what `scripts/run.sh` serves), in headless Chromium (issue 19): every page
visited and photographed (test-artifacts/app-sample-*.png), and the timeline names every item in words
without hovering: each item's title in the page's text, and each dated item's label drawn on the chart."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from jobs.stages import ingest_paths
from kg import queries
from kg.db import Graph
from kg.settings import Settings
from tests.app_server import app_env, serve_app
from tests.conftest import REPO
from tests.test_app_browser import (
    ARTIFACTS,
    TIMELINE_BARS,
    TIMELINE_LABELS,
    Watched,
    graph_frame,
    open_page,
    settle,
    shoot,
    visible,
)

playwright_sync = pytest.importorskip("playwright.sync_api")
pytest.importorskip("ingest.pipeline")

SAMPLE = REPO / "data" / "samples" / "articles.jsonl"
CLEAR = "MATCH (n) DETACH DELETE n"


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def sample(graph_settings: Settings, graph: Graph) -> Iterator[Graph]:
    graph.write(CLEAR)
    summary = ingest_paths(graph_settings, [SAMPLE], progress=None, errors=None)
    assert summary.new == 45 and summary.failed == 0, summary.failures
    yield graph
    graph.write(CLEAR)


@pytest.fixture(scope="module")
def sample_url(graph_settings: Settings, sample: Graph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_app(app_env(graph_settings), tmp_path_factory.mktemp("sample-app")) as url:
        yield url


def main_text(pg: Any) -> str:
    return words(pg.locator('[data-testid="stMain"]').inner_text())


def test_timeline_names_every_item_without_hovering(sample_url: str, sample: Graph, page: Watched) -> None:
    from app.charts import focus, short_label, split_dated

    pg = page.page
    open_page(pg, sample_url, "Timeline")
    pg.locator(TIMELINE_BARS).first.wait_for(state="visible", timeout=60_000)
    settle(pg)
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "app-sample-timeline-1400x1000.png"))  # what a reader sees first
    shoot(pg, "sample-timeline")
    first = queries.timeline_page(sample)  # what the page shows first: one page, and a button for the next
    assert first.next is not None and words(f"Showing the first {len(first.items)} ") in main_text(pg)
    more = pg.get_by_role("button", name="More facts")
    shown_after: list[int] = []  # how many facts the page shows after each click, from the query layer's pages
    after, total = first.next, len(first.items)
    while after is not None:
        nxt = queries.timeline_page(sample, after=after)
        total += len(nxt.items)
        shown_after.append(total)
        after = nxt.next
    for expected in shown_after:  # the whole timeline, a page per click: wait for each page, not for a guess
        more.first.click()
        pg.get_by_text(f"{expected} facts: ").first.wait_for(state="visible", timeout=60_000)
        settle(pg)
    assert not more.count()  # the last page has no button
    facts = [f.model_dump(mode="json") for f in queries.timeline(sample)]
    dated, no_year, undated = split_dated(facts)
    dated, earlier = focus(dated)
    assert len(dated) >= 40 and len(facts) < 1000 and len(earlier) < 5
    shown = main_text(pg)
    missing = [f["title"] for f in facts if words(f["title"]) not in shown]
    assert missing == [], f"{len(missing)} of {len(facts)} items are not named on the page: {missing[:5]}"
    drawn = {words(t) for t in pg.locator(TIMELINE_LABELS).all_text_contents()}  # SVG text, not canvas pixels
    not_drawn = [short_label(f) for f in dated if words(short_label(f)) not in drawn]
    assert not_drawn == [], f"{len(not_drawn)} of {len(dated)} chart items have no label: {not_drawn[:5]}"
    assert "Not on the time axis" in shown and f"Undated ({len(undated)})" in shown
    assert f"Year not given ({len(no_year)})" in shown
    assert "_" not in " ".join(drawn)  # words, never an enum name, on the chart


def test_every_page_on_the_sample(sample_url: str, sample: Graph, page: Watched) -> None:
    pg = page.page
    anthropic = queries.actor(sample, "Anthropic")
    assert anthropic is not None
    accusation = next(f for f in anthropic.allegations_made if "accuses Alibaba Group" in (f.title or ""))
    for path, heading, name in (
            ("/actor?actor=Anthropic", "Actor", "actor"),
            (f"/trace?fact={accusation.id}", "Claim trace", "trace"),
            ("/conflicts", "Conflicts", "conflicts"),
            ("/sources", "Sources", "sources"),
            ("/cypher", "Cypher console", "cypher"),
            ("/ingest", "Ingest an article", "ingest"),
            ("/story", "Story", "story")):
        open_page(pg, sample_url + path, heading)
        assert pg.locator('[data-testid="stException"]').count() == 0, path
        if name == "actor":
            graph_frame(pg, f"actor:{anthropic.id}")  # the neighbourhood is drawn before the picture
            pg.wait_for_timeout(1_500)
        if name == "trace":
            graph_frame(pg, f"fact:{accusation.id}")
            pg.wait_for_timeout(1_500)
        if name == "story":
            story = pg.frame_locator("iframe[srcdoc]").first
            story.locator(".tl-timenav").first.wait_for(state="visible", timeout=60_000)
            assert accusation.title and "accuses" in story.locator("body").inner_text()
        shoot(pg, f"sample-{name}")
        if name == "trace":
            visible(pg.get_by_text("The sentences behind it").first)
        if name == "sources":
            pg.locator(".js-plotly-plot").first.wait_for(state="visible")
            outlets = {words(t) for t in pg.locator(".js-plotly-plot .xtick text").all_text_contents()}
            assert {"BBC", "BleepingComputer", "CNBC", "Global Times"} <= outlets, outlets
    assert page.page_errors == []
