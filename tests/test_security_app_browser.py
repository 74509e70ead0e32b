"""Issue 13, the app's side, end to end: a real `kg app` server (started with Streamlit's XSRF and CORS
protections switched off in its environment, to show `kg app` turns them back on), plain HTTP requests and
headless Chromium.

* Every response (pages, static assets, the health check, the WebSocket handshake, refusals) carries
  `X-Frame-Options: DENY` and `Content-Security-Policy: frame-ancestors 'none'`; the app's own component
  files (the clickable graphs, framed by the app's pages) say SAMEORIGIN and 'self'.
* A page on another origin holding a hidden 1x1 iframe to the console with a write query in `?q=` gets a
  blocked frame, and the graph is unchanged.
* A console link fills the editor and runs only when the Run button is pressed.
* Bare addresses in an article's sentence are not links; names are drawn without bidi/zero-width characters.
"""

from __future__ import annotations

import base64
import os
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from kg.db import Graph, count_graph
from kg.settings import Settings
from tests.app_fixtures import SPOOF_CHARS, URL_SENTENCE, load_fixture_graph, load_security_fixtures
from tests.app_server import app_env, serve_app
from tests.graph_server import free_port
from tests.test_app_browser import Watched, graph_frame, open_page, settle, shoot, visible

EXPECTED = {"x-frame-options": "DENY", "content-security-policy": "frame-ancestors 'none'"}
# The committed-write bypass of issue 13, point 1: the console must never even receive it from a frame.
WRITE_QUERY = ("UNWIND [1] AS i WITH i, '//' AS x CALL { WITH i CREATE (n:Actor {id:'appfx-sec-iframe-pwn', "
               "name:'PWNED'}) } IN TRANSACTIONS OF 1 ROWS RETURN i")


@pytest.fixture(scope="module")
def sec_facts(graph: Graph) -> dict[str, str]:
    ids = load_fixture_graph(graph)
    ids["url"] = load_security_fixtures(graph)
    return ids


@pytest.fixture(scope="module")
def app_url(graph_settings: Settings, sec_facts: dict[str, str],
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kg app` on a free loopback port, in its own process group, with an environment that turns Streamlit's
    XSRF and CORS protections off (as a careless .streamlit/config.toml or environment could)."""
    env = app_env(graph_settings, ("NEO4J_", "STREAMLIT_"))
    env.update({"STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION": "false", "STREAMLIT_SERVER_ENABLE_CORS": "false"})
    with serve_app(env, tmp_path_factory.mktemp("secapp")) as url:
        yield url


@pytest.fixture(scope="module")
def attacker(app_url: str) -> Iterator[str]:
    """A page on another origin (another loopback port) that frames the console with a write in ?q=."""
    target = f"{app_url}/cypher?q={urllib.parse.quote(WRITE_QUERY)}"
    html = (f'<!doctype html><html><body><h1>Cute cats</h1><iframe id="victim" src="{target}" width="1" '
            f'height="1" style="position:absolute;left:-10px;opacity:0"></iframe></body></html>').encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name for it
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def _handshake(app_url: str, origin: str) -> tuple[int, dict[str, str]]:
    """A WebSocket opening handshake on Streamlit's stream, by hand: the status and headers of the answer."""
    host, port = urllib.parse.urlsplit(app_url).hostname, urllib.parse.urlsplit(app_url).port
    assert host and port
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
               f"Sec-WebSocket-Protocol: streamlit\r\nOrigin: {origin}\r\n\r\n")
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(request.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in head[1:] if ":" in line)}
    return status, headers


def _assert_headers(where: str, headers: dict[str, str]) -> None:
    for name, value in EXPECTED.items():
        assert headers.get(name) == value, f"{where}: {name} is {headers.get(name)!r}"


# ---------------------------------------------------------------- headers and XSRF


def test_every_response_forbids_framing(app_url: str) -> None:
    status, headers, body = _fetch(f"{app_url}/")
    assert status == 200
    _assert_headers("/", headers)
    assets = re.findall(r'(?:src|href)="\.?/?(static/[^"]+\.(?:js|css))"', body.decode())
    assert assets, "no static asset named in the index page"
    status, headers, _ = _fetch(f"{app_url}/{assets[0]}")
    assert status == 200
    _assert_headers(assets[0], headers)
    status, headers, _ = _fetch(f"{app_url}/_stcore/health")
    assert status == 200
    _assert_headers("/_stcore/health", headers)
    status, headers, _ = _fetch(f"{app_url}/cypher?q={urllib.parse.quote(WRITE_QUERY)}")
    assert status == 200
    _assert_headers("/cypher?q=...", headers)
    status, headers = _handshake(app_url, origin=app_url)
    assert status == 101, status
    _assert_headers("WebSocket handshake", headers)


def test_component_files_may_be_framed_by_the_app_alone(app_url: str, page: Watched) -> None:
    """The clickable graphs are a component the app's pages frame (issue 19): its files say same-origin; every
    other path, the pages included, still says never."""
    open_page(page.page, f"{app_url}/actor?actor=Kestrel", "Actor")  # a page that draws the component
    graph_frame(page.page, None)
    status, headers, body = _fetch(f"{app_url}/component/streamlit_cytoscape.component.streamlit_cytoscape/"
                                   "index.html")
    assert status == 200 and b"<html" in body.lower()
    assert headers.get("x-frame-options") == "SAMEORIGIN"
    assert headers.get("content-security-policy") == "frame-ancestors 'self'"
    for path in ("/actor", "/components/x", "/static/component/x", "/_stcore/health"):
        _, headers, _ = _fetch(f"{app_url}{path}")
        _assert_headers(path, headers)


def test_xsrf_and_origin_checks_stay_on(app_url: str) -> None:
    """The environment said off; `kg app` forces them on: an upload without the XSRF token is refused, and so is
    a WebSocket from another origin (the refusals carry the headers too)."""
    status, headers, _ = _fetch(f"{app_url}/_stcore/upload_file/some-session/some-file", method="PUT")
    assert status == 403, status
    _assert_headers("refused upload", headers)
    status, headers = _handshake(app_url, origin="http://evil.example")
    assert status == 403, status
    _assert_headers("refused WebSocket handshake", headers)


# ---------------------------------------------------------------- the browser


def test_hidden_iframe_on_another_site_is_blocked(app_url: str, attacker: str, graph: Graph, browser: Any) -> None:
    before = count_graph(graph)
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    try:
        pg = context.new_page()
        console: list[str] = []
        pg.on("console", lambda msg: console.append(msg.text))
        app_responses: list[str] = []
        pg.on("response", lambda r: app_responses.append(r.url) if r.url.startswith(app_url) else None)
        pg.goto(attacker)
        pg.get_by_role("heading", name="Cute cats").wait_for(state="visible")
        pg.wait_for_timeout(8_000)  # time enough for a framed app to load, connect and run the query
        frames = [f for f in pg.frames if f != pg.main_frame]
        assert len(frames) == 1
        frame = frames[0]
        assert any(u.startswith(f"{app_url}/cypher") for u in app_responses), "the frame was never requested"
        # Chromium replaces a frame refused by X-Frame-Options / frame-ancestors with an error page
        assert frame.url.startswith("chrome-error://") or frame.locator('[data-testid="stApp"]').count() == 0
        assert frame.evaluate("() => document.querySelectorAll('[data-testid]').length") == 0
        assert not any(u.startswith(f"{app_url}/static/") for u in app_responses), "the app loaded in the frame"
        assert any("frame-ancestors" in m or "X-Frame-Options" in m for m in console), console
    finally:
        context.close()
    assert count_graph(graph) == before
    assert graph.read("MATCH (a:Actor {id: 'appfx-sec-iframe-pwn'}) RETURN count(a) AS n") == [{"n": 0}]


def test_console_link_prefills_and_runs_only_on_click(app_url: str, graph: Graph, page: Watched) -> None:
    pg = page.page
    query = "MATCH (n) RETURN count(n) AS n"
    open_page(pg, f"{app_url}/cypher?q={urllib.parse.quote(query)}", "Cypher console")
    editor = pg.get_by_label("Query")
    visible(editor)
    assert editor.input_value() == query
    visible(pg.get_by_text("has not run", exact=False).first)
    pg.wait_for_timeout(1_500)
    assert pg.locator('[data-testid="stDataFrame"]').count() == 0, "the linked query ran without a click"
    shoot(pg, "cypher-prefilled-from-link")
    pg.get_by_role("button", name="Run query").click()
    settle(pg)
    visible(pg.locator('[data-testid="stDataFrame"]').first)
    assert pg.get_by_text("has not run", exact=False).count() == 0
    assert pg.get_by_text("1 row(s)", exact=False).count() >= 1
    shoot(pg, "cypher-after-click")


def test_addresses_in_sentences_are_not_links(app_url: str, sec_facts: dict[str, str], page: Watched) -> None:
    pg = page.page
    open_page(pg, f"{app_url}/trace?fact={sec_facts['url']}", "Claim trace")
    visible(pg.get_by_text("The sentences behind it").first)
    visible(pg.get_by_text("evil.example/x", exact=False).first)
    text = pg.evaluate("() => document.body.innerText").replace("\u2060", "")
    assert " ".join(URL_SENTENCE.split()) in " ".join(text.split())  # the sentence reads as written
    links = pg.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert not [h for h in links if "evil.example" in h or h.startswith("mailto:")], links
    spoof = [f"U+{ord(c):04X}" for c in pg.evaluate("() => document.body.innerText") if c in SPOOF_CHARS]
    assert not spoof, spoof
    shoot(pg, "trace-addresses-not-links")


def test_spoofed_names_are_drawn_plain(app_url: str, sec_facts: dict[str, str], page: Watched) -> None:
    pg = page.page
    open_page(pg, f"{app_url}/actor?actor=appfx-sec-mallory-labs", "Actor")
    pg.get_by_role("heading", name="Mallory Labs").first.wait_for(state="visible")
    frame = graph_frame(pg, "actor:appfx-sec-victor-grid")  # the neighbourhood graph's names, as drawn
    names = frame.evaluate("() => document.getElementById('cy')._cyreg.cy.nodes().map(n => n.data('name'))")
    drawn = pg.evaluate("() => document.body.innerText") + " " + " ".join(names)
    assert "Victor Grid" in drawn
    spoof = sorted({f"U+{ord(c):04X}" for c in drawn if c in SPOOF_CHARS})
    assert not spoof, spoof
