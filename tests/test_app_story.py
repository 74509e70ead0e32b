"""The story view (issue 19): TimelineJS, vendored from npm, drawing the project's own TimelineJS export.

The vendored files are the ones the README there names; the page inlines them and loads nothing from elsewhere;
the slides are the export's (kg/export/timelinejs.py) for the same facts; the Story page lists them (AppTest).
tests/test_app_browser.py draws it in headless Chromium."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator

import pytest

from app import story
from kg import queries
from kg.db import Graph
from kg.export import load_snapshot, timelinejs
from kg.settings import Settings
from tests.app_fixtures import SCRIPT_PAYLOAD, load_fixture_graph
from tests.app_server import pointed_at
from tests.test_app import STORY, TIMELINE, plain, run_page

README = story.VENDOR / "README.md"


@pytest.fixture(scope="module")
def facts(graph_settings: Settings, graph: Graph) -> Iterator[dict[str, str]]:
    ids = load_fixture_graph(graph)
    with pointed_at(graph_settings):
        yield ids


def test_vendored_timelinejs_is_the_release_the_readme_names() -> None:
    rows = re.findall(r"\| `([\w.-]+)` \| `[^`]+` \| ([\d,]+) \| `([0-9a-f]{64})` \|", README.read_text())
    assert {name for name, _, _ in rows} == {"timeline.js", "timeline.css", "tl-icons.woff2"}
    for name, size, digest in rows:
        data = (story.VENDOR / name).read_bytes()
        assert len(data) == int(size.replace(",", "")), name
        assert hashlib.sha256(data).hexdigest() == digest, name
    assert (story.VENDOR / "LICENSE").read_text().startswith("Mozilla Public License, version 2.0")


def test_the_page_inlines_everything_and_loads_nothing_from_elsewhere() -> None:
    doc = {"title": {"text": {"headline": "t", "text": ""}},
           "events": [{"start_date": {"year": "2026"}, "text": {"headline": "</script><script>alert(1)</script>"}}]}
    page = story.page(doc)
    js, css = story.assets()
    assert js in page and css in page
    shell = page.replace(js, "").replace(css, "")  # what the app writes around the inlined library
    assert "src=" not in shell and "<link" not in shell and "href" not in shell and "http" not in shell
    assert "@import" not in css
    urls = re.findall(r"url\(([^)]*)\)", css)
    assert urls and all(u.startswith("data:") for u in urls), urls  # the icon font is inlined, no other file
    assert "sourceMappingURL" not in page
    assert page.count("</script>") == 2  # the library's block and ours: the data cannot close either
    assert "<\\/script><script>alert(1)<\\/script>" in page
    assert story.OPTIONS["font"] is None and story.OPTIONS["ga_measurement_id"] is None


def test_story_slides_are_the_exports(facts: dict[str, str], graph: Graph) -> None:
    doc = queries.story(graph, queries.timeline(graph, limit=100_000), limit=100_000)
    exported = timelinejs(load_snapshot(graph))
    ours = {s["unique_id"]: s for s in doc["events"]}
    theirs = {s["unique_id"]: s for s in exported["events"]}
    assert ours.keys() == theirs.keys() and f"fact-{facts['conflict']}" in ours
    for key, slide in ours.items():
        other = theirs[key]
        for field in ("start_date", "end_date", "display_date", "group"):
            assert slide.get(field) == other.get(field), (key, field)
        assert slide["text"]["headline"] == other["text"]["headline"]
        # the same sentences, from the same articles, in the same order
        quotes = re.findall(r"<li>(.*?)</li>", slide["text"]["text"])
        assert quotes == re.findall(r"<li>(.*?)</li>", other["text"]["text"]), key
    assert f"fact-{facts['script']}" not in ours  # "June 24": no year, no slide (never a guessed year)
    assert "fact(s) without a year" in doc["title"]["text"]["text"]
    assert SCRIPT_PAYLOAD not in json.dumps(doc, ensure_ascii=False)  # every text HTML-escaped


def test_story_page_lists_its_slides(facts: dict[str, str]) -> None:
    at = run_page(STORY)
    items = [plain(m.value) for m in at.markdown if m.value.startswith("- ")]
    assert any("Zephyr Labs accuses Kestrel Compute of distillation" in i for i in items)
    assert any("Kestrel Compute accuses Zephyr Labs of espionage" in i for i in items)
    assert len(at.get("iframe")) == 1  # the TimelineJS page
    assert any(c.value.startswith(f"{len(items)} slide(s)") for c in at.caption)
    narrowed = run_page(STORY, actor="Borealia")  # the timeline's filters, from the link
    assert narrowed.multiselect(key="story_actors").value == ["appfx-borealia"]
    fewer = [plain(m.value) for m in narrowed.markdown if m.value.startswith("- ")]
    assert 0 < len(fewer) < len(items)
    assert not any("Zephyr Labs accuses Kestrel Compute" in i for i in fewer)


def test_timeline_links_to_the_story_with_its_filters(facts: dict[str, str]) -> None:
    at = run_page(TIMELINE, actor="Kestrel Compute")
    links = [p for p in at.get("page_link") if "story" in p.proto.page]
    assert links, "no link to the story"
    assert "Kestrel" in str(links[0].proto.query_string) or "Kestrel" in str(links[0].proto)
