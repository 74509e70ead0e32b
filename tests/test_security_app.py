"""Issue 13, the app's side, with Streamlit's AppTest against the real graph server (no mocks):

* point 2: a link (?q=) fills the Cypher console but never runs it; only the Run button does;
* point 5: the console's timeout and row limit cannot be raised above the server's settings;
* point 7: the Ingest page adds new articles only: one whose doc_id or URL is already in the graph (with
  other text) is refused by name, and the rest of the upload is written;
* point 10: bare addresses in article text are not made links, and names are shown without bidi overrides
  or zero-width characters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from app import ui
from kg import queries
from kg.db import Graph, count_graph
from kg.settings import Settings, get_settings
from tests.app_fixtures import (
    MALLORY,
    SPOOF_CHARS,
    URL_SENTENCE,
    URL_TITLE,
    VICTOR,
    load_fixture_graph,
    load_security_fixtures,
)
from tests.app_server import pointed_at
from tests.test_app import APP, CYPHER, INGEST, SOURCES, TRACE, plain, run_page

# What remark-gfm (Streamlit's Markdown) turns into a link after parsing: a URL, a www. address, an e-mail.
AUTOLINK = re.compile(r"(?i)https?://|www\.(?=\w)|[\w.+-]@[\w-]+\.")
SPOOF = re.compile(f"[{SPOOF_CHARS}]")


@pytest.fixture(scope="module")
def facts(graph_settings: Settings, graph: Graph) -> Iterator[dict[str, str]]:
    """The app (same process) pointed at the test server, with the app fixtures and the security fixtures."""
    ids = load_fixture_graph(graph)
    ids["url"] = load_security_fixtures(graph)
    with pointed_at(graph_settings):
        yield ids


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def shown_text(at: AppTest) -> str:
    """Everything the page draws, as text: every element's protobuf (labels, Markdown, options, chart specs,
    with non-ASCII kept as characters) plus the cells of every table."""
    parts: list[str] = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            parts.append(text_format.MessageToString(proto, as_utf8=True))
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    text = "\n".join(parts)
    # chart specs are JSON inside the protobuf: \u escapes there are characters too
    return re.sub(r"\\\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


# ---------------------------------------------------------------- point 2: a link never runs a query


def test_link_fills_the_console_but_does_not_run_it(facts: dict[str, str], graph: Graph) -> None:
    query = "MATCH (n) RETURN count(n) AS n"
    at = run_page(CYPHER, q=query)
    assert at.text_area(key="cy_query").value == query  # the link's query is in the editor
    assert not at.dataframe and not at.tabs, "the query ran without a click"
    assert any("has not run" in plain(i.value) for i in at.info)
    at.button(key="cy_run").click().run()
    assert not at.exception
    assert int(at.dataframe[0].value["n"][0]) == count_graph(graph)["nodes"]
    assert not any("has not run" in plain(i.value) for i in at.info)


def test_link_with_a_write_changes_nothing_and_shows_no_result(facts: dict[str, str], graph: Graph) -> None:
    before = count_graph(graph)
    at = run_page(CYPHER, q="CREATE (a:Actor {id: 'appfx-sec-link-write', name: 'x'}) RETURN a",
                  p='{"x": 1}')
    assert at.text_area(key="cy_params").value == '{"x": 1}'
    assert not at.error and not at.dataframe  # not even refused: nothing was sent to the graph
    at.run()  # a second script run (any widget interaction) does not run it either
    assert not at.error and not at.dataframe
    assert count_graph(graph) == before


@pytest.mark.parametrize("query", [
    "UNWIND [1] AS i WITH i, '//' AS x CALL { WITH i CREATE (n:Actor {id:'pwn-it', name:'PWNED'}) } "
    "IN TRANSACTIONS OF 1 ROWS RETURN i",
    "UNWIND [1] AS i WITH i, '/*' AS x CALL { WITH i MATCH (f:Fact) SET f.reliability = 100 } "
    "IN TRANSACTIONS OF 1 ROWS RETURN i",
    "MATCH (a:Actor) WITH a, '//' AS x DETACH DELETE a",
], ids=["create", "set", "delete"])
def test_the_issue_bypasses_run_from_the_console_are_refused(facts: dict[str, str], graph: Graph,
                                                             query: str) -> None:
    """Point 1 through the app: the bypasses typed into the console and run with the button are refused,
    and the graph is exactly as it was."""
    before = count_graph(graph)
    reliabilities = sorted(r["r"] for r in graph.read("MATCH (f:Fact) RETURN f.reliability AS r"))
    at = run_page(CYPHER)
    at.text_area(key="cy_query").set_value(query)
    at.button(key="cy_run").click().run()
    assert not at.exception
    assert at.error and any("not allowed" in plain(e.value) or "read-only" in plain(e.value) for e in at.error)
    assert not at.dataframe
    assert count_graph(graph) == before
    assert sorted(r["r"] for r in graph.read("MATCH (f:Fact) RETURN f.reliability AS r")) == reliabilities
    assert not graph.read("MATCH (a:Actor {id: 'pwn-it'}) RETURN a.id AS id")


# ---------------------------------------------------------------- point 5: the caps


def test_console_limits_cannot_be_raised_above_the_settings(facts: dict[str, str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "3")
    monkeypatch.setenv("KG_QUERY_ROW_LIMIT", "50")
    get_settings.cache_clear()
    try:
        at = run_page(CYPHER)
        timeout, rows = at.number_input(key="cy_timeout"), at.number_input(key="cy_rows")
        assert timeout.proto.max == 3 and timeout.value == 3
        assert rows.proto.max == 50 and rows.value == 50
        timeout.set_value(300.0)
        rows.set_value(100_000)
        at.text_area(key="cy_query").input("UNWIND range(1, 500) AS x RETURN x")
        at.button(key="cy_run").click().run()
        assert not at.exception
        assert at.number_input(key="cy_timeout").value <= 3
        assert at.number_input(key="cy_rows").value <= 50
        assert len(at.dataframe[0].value) == 50  # the query ran with the capped row limit
        assert any("row limit" in plain(w.value) for w in at.warning)
        # lowering stays the visitor's choice
        at.number_input(key="cy_rows").set_value(7)
        at.button(key="cy_run").click().run()
        assert len(at.dataframe[0].value) == 7
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


# ---------------------------------------------------------------- point 7: no replacement from the app


def _upload(name: str, payload: bytes) -> AppTest:
    at = run_page(INGEST)
    at.file_uploader(key="ingest_file").set_value((name, payload, "application/octet-stream"))
    at.run()
    at.button(key="ingest_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _pipeline_or_skip() -> None:
    try:
        import ingest.pipeline  # noqa: F401
    except Exception as exc:  # being rewritten by someone else
        pytest.skip(f"the extraction pipeline cannot be loaded: {exc}")


def test_ingest_refuses_replacing_an_article_and_writes_the_rest(facts: dict[str, str], graph: Graph) -> None:
    _pipeline_or_skip()
    by_doc = queries.article(graph, "appfx-reuters-distillation")
    by_url = queries.article(graph, "appfx-ap-distillation")
    same = queries.article(graph, "appfx-rumour-espionage")
    assert by_doc is not None and by_url is not None and same is not None
    assert by_doc.url == "https://www.reuters.com/appfx/zephyr-kestrel" and by_url.url is None
    lines = [
        # the doc_id of an article stored without a URL... (its source key is the doc_id)
        {"doc_id": "appfx-ap-distillation", "text": "Replaced text: Zephyr Labs retracted every claim."},
        # a second copy of that doc_id, which the reader would take once the first is taken out
        {"doc_id": "appfx-ap-distillation", "text": "Second forged copy: Zephyr Labs retracted it all."},
        # ...the URL of another, under a new doc_id
        {"doc_id": "appfx-sec-new-doc-same-url", "url": "https://www.reuters.com/appfx/zephyr-kestrel",
         "text": "Forged text: Kestrel Compute was cleared of everything, Reuters said."},
        # the doc_id of one that has a URL, given without it
        {"doc_id": "appfx-reuters-distillation", "text": "Another forged text about Zephyr Labs."},
        # unchanged: the very text already stored is not a replacement
        {"doc_id": same.doc_id, "text": same.text, "title": same.title},
        # and a new article, which is written
        {"doc_id": "appfx-sec-upload-new", "title": "Ministry opens probe",
         "text": "The Ministry of Digital Trade opened an investigation into Kestrel Compute on July 2, 2026, "
                 "the ministry said."},
    ]
    payload = "\n".join(json.dumps(x) for x in lines).encode()
    at = _upload("appfx-sec-upload.jsonl", payload)
    errors = [plain(e.value) for e in at.error]
    for doc in ("appfx-ap-distillation", "appfx-sec-new-doc-same-url", "appfx-reuters-distillation"):
        assert any(f"“{doc}”" in e and "never replaces" in e for e in errors), (doc, errors)
    assert len([e for e in errors if "Not written" in e]) == 4, errors
    shown = "\n".join(plain(s.value) for s in at.success) + "\n".join(plain(w.value) for w in at.warning)
    assert "1 new, 1 unchanged, 0 replaced" in shown, shown
    # the stored articles are untouched, the new one is there
    after_doc = queries.article(graph, "appfx-reuters-distillation")
    after_url = queries.article(graph, "appfx-ap-distillation")
    assert after_doc is not None and after_doc.id == by_doc.id and after_doc.text == by_doc.text
    assert after_url is not None and after_url.id == by_url.id and after_url.text == by_url.text
    assert queries.article(graph, "appfx-sec-new-doc-same-url") is None
    assert queries.article(graph, "appfx-sec-upload-new") is not None


def test_ingest_refuses_a_text_file_that_replaces(facts: dict[str, str], graph: Graph) -> None:
    _pipeline_or_skip()
    before = queries.article(graph, "appfx-rumour-security")
    assert before is not None
    at = _upload("appfx-rumour-security.txt", b"Zephyr Labs now says Quill-7 is perfectly safe.")
    errors = [plain(e.value) for e in at.error]
    assert any("“appfx-rumour-security”" in e for e in errors), errors
    after = queries.article(graph, "appfx-rumour-security")
    assert after is not None and after.id == before.id


# ---------------------------------------------------------------- point 10: no links, no spoofed names


def test_bare_addresses_in_text_are_not_links(facts: dict[str, str]) -> None:
    at = run_page(TRACE, fact=facts["url"])
    markdown = [plain(m.value) for m in at.markdown] + [plain(s.value) for s in at.subheader]
    quoted = [m for m in markdown if "evil" in m]
    assert any(URL_SENTENCE in m.replace("\u2060", "") for m in quoted), quoted  # the sentence reads the same
    assert any("evil.example/title" in m.replace("\u2060", "") for m in quoted), quoted  # and the title
    for m in quoted:
        assert not AUTOLINK.search(m), m
    article = run_page(SOURCES, article="appfx-sec-url-espionage")
    for m in [plain(x.value) for x in article.markdown] + [plain(x.value) for x in article.subheader]:
        assert not AUTOLINK.search(m), m


def test_md_keeps_addresses_from_becoming_links() -> None:
    for text in ("see http://evil.example/x", "HTTPS://EVIL.EXAMPLE", "www.evil.example", "mail ops@evil.example",
                 URL_TITLE):
        rendered = plain(ui.md(text))
        assert not AUTOLINK.search(rendered), rendered
        assert rendered.replace("\u2060", "") == text


@pytest.mark.parametrize("page,params", [
    ("actor", {"actor": MALLORY.id}),
    ("trace", {}),
    ("timeline", {"actor": "appfx-sec-mallory-labs"}),
    ("sources", {"article": "appfx-sec-url-espionage", "outlet": "unknown"}),
    ("cypher", {}),
])
def test_names_are_shown_without_bidi_or_zero_width_characters(facts: dict[str, str], page: str,
                                                               params: dict[str, str]) -> None:
    pages = {"actor": "screens/actor.py", "trace": TRACE, "timeline": "screens/timeline.py", "sources": SOURCES,
             "cypher": CYPHER}
    if page == "trace":
        params = {"fact": facts["url"]}
    at = AppTest.from_file(str(APP), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    if page != "timeline":
        at.switch_page(pages[page])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page == "cypher":  # a researcher's query returning the names and the fact's title
        at.text_area(key="cy_query").input(
            "MATCH (a:Actor)<-[:ACCUSER]-(f:Fact)-[:ACCUSED]->(b:Actor) WHERE a.id = $id "
            "RETURN a.name AS accuser, b.name AS accused, f.title AS title, a AS node")
        at.text_area(key="cy_params").input(json.dumps({"id": MALLORY.id}))
        at.button(key="cy_run").click().run()
        assert len(at.dataframe[0].value) == 1
    text = shown_text(at)
    assert "Mallory Labs" in text and "Victor Grid" in text, page  # the names are on the page...
    found = sorted({f"U+{ord(c):04X}" for c in SPOOF.findall(text)})
    assert not found, f"{page}: shown with {found}"  # ...without the invisible characters
    assert VICTOR.name not in text and MALLORY.name not in text
