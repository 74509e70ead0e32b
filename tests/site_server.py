"""A real HTTP server on loopback for the intake tests: routes the test sets (and changes between polls), a
log of every request with its headers and the status it got, conditional GET answered as a news site would.
No mock of the HTTP stack: the intake code talks to this server through its real sockets."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "intake"


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None
    delay_s: float = 0.0
    fail_first: int = 0  # answer this many requests with 503 (Retry-After: 0) before the real answer


@dataclass
class Hit:
    """Logged when the request arrives (a slow answer is in the log at once); `status` is set as the answer starts,
    before any byte reaches the client, so a test that has read the response always sees it."""

    method: str
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when the request arrived
    status: int = 0
    body: bytes = b""  # what a POST sent


@dataclass
class Site:
    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hits(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.log if h.path == path]

    def paths(self) -> list[str]:
        with self.lock:
            return [h.path for h in self.log]

    def clear_log(self) -> None:
        with self.lock:
            self.log.clear()

    def fixture(self, name: str) -> bytes:
        """A fixture file with `{base}` replaced by this server's address."""
        return (FIXTURES / name).read_text(encoding="utf-8").replace("{base}", self.base).encode("utf-8")


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        hit: Hit | None = None

        def send_response(self, code: int, message: str | None = None) -> None:
            # Recorded before the status line is written: setting it after the body was sent raced the client
            # (CI saw [503, 503, 0] for a page the fetcher had already stored).
            if self.hit is not None:
                with site.lock:
                    self.hit.status = code
            super().send_response(code, message)

        def do_GET(self) -> None:  # http.server's hook name
            self.hit = Hit("GET", self.path, dict(self.headers.items()), time.monotonic())
            with site.lock:
                site.log.append(self.hit)
            self._answer(site.routes.get(self.path))

        def do_POST(self) -> None:  # http.server's hook name; a webhook receiver: logs the body, answers 204
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            self.hit = Hit("POST", self.path, dict(self.headers.items()), time.monotonic(), body=body)
            with site.lock:
                site.log.append(self.hit)
            route = site.routes.get(self.path)
            self.send_response(route.status if route is not None else 204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _answer(self, route: Route | None) -> None:
            if route is None:
                self._send(404, b"<html><body><h1>Not found</h1></body></html>", "text/html")
                return
            if route.delay_s:
                time.sleep(route.delay_s)
            if route.fail_first > 0:
                route.fail_first -= 1
                self.send_response(503)
                self.send_header("Retry-After", "0")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.location:
                self.send_response(route.status)
                self.send_header("Location", route.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            fresh = (route.etag is not None and self.headers.get("If-None-Match") == route.etag) or (
                route.etag is None and route.last_modified is not None
                and self.headers.get("If-Modified-Since") == route.last_modified)
            if fresh:
                self.send_response(304)
                self._validators(route)
                self.end_headers()
                return
            self._send(route.status, route.body, route.content_type, route)

        def _validators(self, route: Route) -> None:
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)

        def _send(self, status: int, body: bytes, content_type: str, route: Route | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if route is not None:
                self._validators(route)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # the Site's log is the record; stderr stays quiet

    return Handler


@contextmanager
def serve() -> Iterator[Site]:
    site = Site()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    httpd.daemon_threads = True
    site.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def stories() -> list[dict[str, object]]:
    return [json.loads(line) for line in (FIXTURES / "stories.jsonl").read_text(encoding="utf-8").splitlines()]


def story_page(story: dict[str, object]) -> bytes:
    """A story rendered into the site's article template."""
    paragraphs = [escape(str(p)) for p in story["body"]]  # type: ignore[attr-defined]
    template = (FIXTURES / "article.html").read_text(encoding="utf-8")
    body = "\n      ".join(f"<p>{p}</p>" for p in paragraphs)
    html = (template.replace("{title}", escape(str(story["title"]))).replace("{date}", str(story["date"]))
            .replace("{lead}", paragraphs[0]).replace("{paragraphs}", body))
    return html.encode("utf-8")


def news_site(site: Site) -> None:
    """The site of the fixtures: robots.txt, the RSS feed of 20 stories and their pages (each with an ETag)."""
    site.routes["/robots.txt"] = Route(site.fixture("robots.txt"), "text/plain")
    site.routes["/feed.rss"] = Route(site.fixture("feed.rss"), "application/rss+xml", etag='"feed-1"')
    for story in stories():
        site.routes[f"/news/{story['slug']}.html"] = Route(story_page(story), etag=f'"{story["slug"]}-1"')
