"""End to end: `kg app` on a free port against the test graph server, every page in a real headless
Chromium (Playwright driving the Debian `chromium` package), screenshots in test-artifacts/, and proof
that an article carrying <script> and <img onerror> payloads runs nothing."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.db import Graph
from kg.settings import Settings
from tests.app_fixtures import SCRIPT_PAYLOAD, load_fixture_graph
from tests.app_server import app_env, serve_app

playwright_sync = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIRST_LOAD_BUDGET_S = 3.0
# The timeline (Vega-Lite, SVG): its items' marks by layer (app/charts.py names the layers).
TIMELINE_CHART = '[data-testid="stVegaLiteChart"]'
TIMELINE_POINTS = f"{TIMELINE_CHART} svg g.tl_points_marks path"
TIMELINE_BARS = f"{TIMELINE_CHART} svg g.tl_bars_marks path, {TIMELINE_CHART} svg g.tl_negated_bars_marks path"
TIMELINE_LABELS = f"{TIMELINE_CHART} svg g.role-mark.mark-text text"


@pytest.fixture(scope="module")
def facts(graph: Graph) -> dict[str, str]:
    return load_fixture_graph(graph)


@pytest.fixture(scope="module")
def app_url(graph_settings: Settings, facts: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kg app` in its own process group (stopped at the end), pointed at the test graph server."""
    with serve_app(app_env(graph_settings), tmp_path_factory.mktemp("app")) as url:
        yield url


class Watched:
    """A page plus everything that would show a script ran: dialogs and uncaught page errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.page_errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def settle(page: Any) -> None:
    """Wait until the script run is over and the page has drawn."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(600)


def shoot(page: Any, name: str) -> Path:
    """A screenshot of the whole page (Streamlit scrolls inside its main block, so grow the viewport)."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], section')]"
        ".map(e => e.scrollHeight), 1000)")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 7000)})
    page.wait_for_timeout(800)
    path = ARTIFACTS / f"app-{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 1000})
    return path


def open_page(page: Any, url: str, heading: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(state="visible", timeout=60_000)
    settle(page)


def visible(locator: Any, timeout_ms: int = 30_000) -> None:
    """Wait until the element is drawn (reruns can lag behind the heading)."""
    locator.wait_for(state="visible", timeout=timeout_ms)


def assert_nothing_ran(w: Watched) -> None:
    assert w.dialogs == [], f"a payload opened a dialog: {w.dialogs}"
    assert w.page.evaluate("() => typeof window.appfxPwned") == "undefined"
    assert w.page.locator('img[src="x"]').count() == 0
    assert w.page.evaluate("() => [...document.scripts].some(s => s.text.includes('alert(1)'))") is False
    for frame in w.page.frames[1:]:  # the graphs' and the story's frames too
        if frame.url.startswith("chrome-error://"):
            continue
        assert frame.evaluate("() => typeof window.appfxPwned") == "undefined", frame.url
        assert frame.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0, frame.url


GRAPH_FRAME = 'iframe[title*="streamlit_cytoscape"]'


def graph_frame(pg: Any, node_id: str | None, timeout_ms: int = 60_000) -> Any:
    """The frame of the page's clickable graph (the one iframe of it on the page: after a click opened another
    page, the old page's frame is gone first), once Cytoscape has drawn `node_id` (None: any node)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        frames = pg.locator(GRAPH_FRAME)
        if frames.count() == 1:
            with contextlib.suppress(Exception):
                frame = frames.first.element_handle(timeout=1_000).content_frame()
                if frame is not None and frame.evaluate(
                        "id => { const c = document.getElementById('cy')?._cyreg?.cy; return !!c && (id === null "
                        "? c.nodes().length > 0 : c.getElementById(id).length > 0); }", node_id):
                    return frame
        if time.monotonic() > deadline:
            raise AssertionError(f"the graph never drew {node_id}")
        pg.wait_for_timeout(300)


def tap_node(pg: Any, node_id: str) -> None:
    """Click a node of the page's clickable graph, with the mouse, where Cytoscape drew it."""
    frame = graph_frame(pg, node_id)
    element = pg.locator(GRAPH_FRAME).first
    element.scroll_into_view_if_needed()
    pg.wait_for_timeout(1_000)  # the layout has settled and the frame is where it will stay
    # pan so the node is in the middle, clear of the info panel, the toolbar and the zoom bar (as a reader would)
    frame.evaluate("id => { const c = document.getElementById('cy')._cyreg.cy; c.center(c.getElementById(id)); }",
                   node_id)
    pg.wait_for_timeout(800)
    x, y = frame.evaluate(
        "id => { const c = document.getElementById('cy')._cyreg.cy; const p = c.getElementById(id).renderedPosition();"
        " const r = document.getElementById('cy').getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; }", node_id)
    box = element.bounding_box()
    assert box is not None
    pg.mouse.click(box["x"] + x, box["y"] + y)


# ---------------------------------------------------------------- tests


def test_first_load_is_fast(app_url: str, browser: Any) -> None:
    """Time from navigation to the landing page's heading and to its drawn chart, in a fresh browser context
    (server warm: started, graph connected on first use)."""
    timings: dict[str, float] = {}
    for attempt in ("cold", "warm"):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = context.new_page()
        started = time.monotonic()
        pg.goto(app_url)
        pg.get_by_role("heading", name="Timeline", exact=True).wait_for(state="visible", timeout=60_000)
        timings[f"{attempt}_heading_s"] = round(time.monotonic() - started, 2)
        pg.locator(TIMELINE_POINTS).first.wait_for(state="visible", timeout=60_000)
        timings[f"{attempt}_chart_s"] = round(time.monotonic() - started, 2)
        context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "app-timings.json").write_text(json.dumps(timings, indent=2))
    assert timings["warm_heading_s"] < FIRST_LOAD_BUDGET_S, timings


def test_timeline_chart_and_selection(app_url: str, facts: dict[str, str], page: Watched) -> None:
    pg = page.page
    open_page(pg, app_url, "Timeline")
    points = pg.locator(TIMELINE_POINTS)
    points.first.wait_for(state="visible")
    assert pg.locator(TIMELINE_BARS).count() >= 5  # months, a year and ranges are bars
    assert pg.locator(f"{TIMELINE_CHART} svg g.tl_negated_bars_marks path").count() == 1  # the ban not imposed
    labels = {" ".join(t.split()) for t in pg.locator(TIMELINE_LABELS).all_text_contents()}
    assert "Zephyr Labs accuses Kestrel Compute of distillation" in labels  # in words, in the page's text
    visible(pg.get_by_text("Year not given").first)
    shoot(pg, "timeline")
    # click the distillation point (1 March 2026): its detail and sentences appear, and the URL names it
    clicked = False
    for i in range(points.count()):
        points.nth(i).click(force=True)
        settle(pg)
        if f"fact={facts['conflict']}" in pg.url:
            clicked = True
            break
    assert clicked, f"clicking a point did not select the distillation fact ({pg.url})"
    pg.get_by_text("The sentences behind it").wait_for(state="visible")
    visible(pg.get_by_text("through more than 20,000 fraudulent accounts", exact=False).first)
    shoot(pg, "timeline-selected")


def test_actor_page(app_url: str, page: Watched) -> None:
    pg = page.page
    open_page(pg, f"{app_url}/actor?actor=Kestrel", "Actor")
    pg.get_by_role("heading", name="Kestrel Compute").first.wait_for(state="visible")
    frame = graph_frame(pg, "actor:appfx-zephyr-labs")
    names = frame.evaluate("() => document.getElementById('cy')._cyreg.cy.nodes().map(n => n.data('name'))")
    assert "Zephyr Labs" in names and "Ministry of Digital\nTrade" in names
    shoot(pg, "actor")


def test_clicking_a_node_in_the_actor_graph_opens_that_actor(app_url: str, facts: dict[str, str],
                                                             page: Watched) -> None:
    """Issue 19: a mouse click on an actor in the neighbourhood opens that actor's page; on a fact, its trace."""
    pg = page.page
    open_page(pg, f"{app_url}/actor?actor=Kestrel", "Actor")
    pg.get_by_role("heading", name="Kestrel Compute").first.wait_for(state="visible")
    tap_until(pg, "actor:appfx-zephyr-labs", "/actor?actor=Zephyr")
    pg.get_by_role("heading", name="Zephyr Labs", exact=True).first.wait_for(state="visible", timeout=60_000)
    settle(pg)
    graph_frame(pg, "actor:appfx-kestrel-compute")  # Zephyr's own neighbourhood, with Kestrel in it
    shoot(pg, "actor-after-click")
    tap_until(pg, f"fact:{facts['conflict']}", f"/trace?fact={facts['conflict']}")
    pg.get_by_role("heading", name="Claim trace", exact=True).wait_for(state="visible", timeout=60_000)
    settle(pg)
    visible(pg.get_by_text("The sentences behind it").first)
    assert page.page_errors == []


def tap_until(pg: Any, node_id: str, url_part: str, attempts: int = 4) -> None:
    """Click a node and wait for the page it opens (its URL); a click that lands while the page is still busy
    with a rerun is made once more, as a reader would, and after two lost clicks the reader reloads the page
    (on a loaded machine a tap can land while the page that a previous tap opened is still being drawn)."""
    for attempt in range(attempts):
        settle(pg)
        tap_node(pg, node_id)
        with contextlib.suppress(Exception):
            pg.wait_for_url(lambda url: url_part.replace(" ", "+") in url, timeout=20_000)
            return
        if attempt == attempts - 1:
            raise AssertionError(f"clicking {node_id} did not open {url_part} (at {pg.url})")
        if attempt >= 1:
            pg.reload()


def test_story_view_draws_timelinejs_slides(app_url: str, page: Watched) -> None:
    pg = page.page
    open_page(pg, f"{app_url}/story", "Story")
    story = pg.frame_locator('iframe[srcdoc]').first
    story.locator(".tl-slide").first.wait_for(state="attached", timeout=60_000)
    story.locator(".tl-timenav").first.wait_for(state="visible", timeout=30_000)
    assert story.locator(".tl-timemarker").count() >= 5  # a marker per slide on the time bar
    text = " ".join(story.locator("body").inner_text().split())
    assert "Zephyr Labs accuses Kestrel Compute of distillation" in text  # an event's headline, on its slide
    assert "AI geopolitics timeline" in text
    shoot(pg, "story")
    story.locator(".tl-slidenav-next").first.click()  # to the first fact's slide
    pg.wait_for_timeout(1_500)
    shoot(pg, "story-first-slide")
    assert_nothing_ran(page)
    assert page.page_errors == []


def test_trace_page_shows_payload_as_text(app_url: str, facts: dict[str, str], page: Watched) -> None:
    pg = page.page
    open_page(pg, f"{app_url}/trace?fact={facts['script']}", "Claim trace")
    visible(pg.get_by_text(SCRIPT_PAYLOAD, exact=False).first)
    visible(pg.get_by_text("day and month, year not given").first)
    assert_nothing_ran(page)
    shoot(pg, "trace")
    open_page(pg, f"{app_url}/trace?fact={facts['conflict']}", "Claim trace")
    visible(pg.get_by_text("The sentences behind it").first)
    shoot(pg, "trace-conflicting-fact")


def test_conflicts_page(app_url: str, page: Watched) -> None:
    pg = page.page
    open_page(pg, f"{app_url}/conflicts", "Conflicts")
    visible(pg.get_by_text("Side A: 3 March 2026").first)
    visible(pg.get_by_text("Side B: 1 March 2026").first)
    shoot(pg, "conflicts")


def test_sources_page_and_article_with_payload(app_url: str, page: Watched) -> None:
    pg = page.page
    open_page(pg, f"{app_url}/sources", "Sources")
    pg.locator(".js-plotly-plot").first.wait_for(state="visible")
    visible(pg.locator('[data-testid="stDataFrame"]').first)
    shoot(pg, "sources")
    open_page(pg, f"{app_url}/sources?outlet=unknown&article=appfx-script-cyberattack", "Sources")
    pg.get_by_text("Facts extracted").wait_for(state="visible")
    visible(pg.get_by_text(SCRIPT_PAYLOAD, exact=False).first)
    assert_nothing_ran(page)
    shoot(pg, "sources-article")


def test_cypher_console_refuses_writes_and_draws_results(app_url: str, page: Watched) -> None:
    pg = page.page
    open_page(pg, f"{app_url}/cypher", "Cypher console")
    pg.get_by_role("button", name="Run query").click()
    settle(pg)
    pg.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible")
    pg.get_by_role("tab", name="Graph", exact=False).click()
    frame = graph_frame(pg, None)
    assert frame.evaluate("() => document.getElementById('cy')._cyreg.cy.nodes().length") >= 5
    pg.locator(GRAPH_FRAME).first.scroll_into_view_if_needed()
    pg.wait_for_timeout(1_500)
    shoot(pg, "cypher-graph")
    query = pg.get_by_label("Query")
    query.fill("CREATE (a:Actor {id: 'appfx-browser-write'}) RETURN a")
    query.press("Control+Enter")
    settle(pg)
    pg.get_by_role("button", name="Run query").click()
    settle(pg)
    pg.get_by_text("Refused: read-only console: CREATE is not allowed").wait_for(state="visible")
    shoot(pg, "cypher-refused")


def test_ingest_page(app_url: str, page: Watched, tmp_path: Path) -> None:
    pg = page.page
    open_page(pg, f"{app_url}/ingest", "Ingest an article")
    visible(pg.locator('[data-testid="stFileUploader"]').first)
    try:
        import ingest.pipeline  # noqa: F401
    except Exception:  # being written by someone else: the page says so
        visible(pg.get_by_text("extraction pipeline cannot be loaded", exact=False).first)
        shoot(pg, "ingest")
        return
    upload = tmp_path / "appfx-browser-upload.txt"
    upload.write_text("WASHINGTON, July 2, 2026 – The Ministry of Digital Trade opened an investigation into "
                      "Kestrel Compute in July 2026, the ministry said.\n<script>alert(1)</script>\n",
                      encoding="utf-8")
    pg.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    button = pg.get_by_role("button", name="Ingest", exact=True)
    pg.wait_for_function("() => [...document.querySelectorAll('button')].some("
                         "b => b.innerText.trim() === 'Ingest' && !b.disabled)", timeout=30_000)
    button.click()
    visible(pg.get_by_text("Facts extracted").first, timeout_ms=180_000)
    visible(pg.get_by_text("appfx-browser-upload", exact=False).first)
    visible(pg.get_by_text("articles: 1 new", exact=False).first)
    assert_nothing_ran(page)
    shoot(pg, "ingest")


def test_no_page_ran_a_payload_or_failed(app_url: str, facts: dict[str, str], page: Watched) -> None:
    """Every page once more in one tab: no dialog, no flag, no uncaught script error."""
    pg = page.page
    for path, heading in (("/", "Timeline"), ("/actor?actor=Borealia", "Actor"),
                          (f"/trace?fact={facts['script']}", "Claim trace"), ("/conflicts", "Conflicts"),
                          ("/sources?article=appfx-script-cyberattack", "Sources"), ("/cypher", "Cypher console"),
                          ("/ingest", "Ingest an article"), ("/story", "Story")):
        open_page(pg, app_url + path, heading)
        assert pg.locator('[data-testid="stException"]').count() == 0, path
        assert_nothing_ran(page)
    assert page.page_errors == []
