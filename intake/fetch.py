"""The polite HTTP client every intake request goes through.

Polite by default: a user agent that names the project and where to read about it; at most one request per
host every `per_host_interval_s` (or the robots.txt Crawl-delay when that is longer); robots.txt honoured,
also for each redirect hop (redirects are followed here, not by requests, for that reason); a connect and read
timeout; retries with exponential back-off on connection errors, timeouts, 429 and 5xx (Retry-After
respected, capped); conditional GET (If-None-Match / If-Modified-Since) when validators are given; a size cap.
Nothing raises for a bad page: `get` returns a `FetchFailure` naming the URL and the reason.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
from pydantic import BaseModel, ConfigDict, Field

USER_AGENT = "aigeo-kg-intake/0.1 (open knowledge graph of AI geopolitics; polite crawler, honours robots.txt)"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})


class FetchPolicy(BaseModel):
    """How politely to fetch. The defaults are for the open web; tests shorten the waits."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    user_agent: str = USER_AGENT
    connect_timeout_s: float = Field(default=10.0, gt=0)
    read_timeout_s: float = Field(default=30.0, gt=0)
    retries: int = Field(default=2, ge=0)  # attempts after the first
    backoff_s: float = Field(default=2.0, ge=0)  # first wait; doubles per retry
    max_backoff_s: float = Field(default=60.0, ge=0)  # also caps a server's Retry-After
    per_host_interval_s: float = Field(default=2.0, ge=0)
    max_redirects: int = Field(default=5, ge=0)
    max_bytes: int = Field(default=10_000_000, gt=0)
    respect_robots: bool = True


class Validators(BaseModel):
    """What the server said identifies the version we hold: sent back for a conditional GET."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    etag: str | None = None
    last_modified: str | None = None


class Fetched(BaseModel):
    """A response: 200 with a body, or 304 (not modified since the validators we sent)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    body: bytes | None = None
    content_type: str | None = None
    validators: Validators = Validators()
    redirects: list[str] = Field(default_factory=list)  # each hop's "301 -> URL"
    fetched_at: datetime

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchFailure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    reason: str


class Fetcher:
    """One session, one politeness state (per-host clock, robots.txt cache); safe to share between threads."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self.session = requests.Session()
        self.session.headers["User-Agent"] = self.policy.user_agent
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ public

    def get(self, url: str, validators: Validators | None = None) -> Fetched | FetchFailure:
        """GET `url`, following redirects by hand (each hop robots-checked and rate-limited)."""
        current = url
        hops: list[str] = []
        for _ in range(self.policy.max_redirects + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                return FetchFailure(url=url, reason=f"not an http(s) URL: {current}")
            refused = self._robots_refusal(current)
            if refused:
                return FetchFailure(url=url, reason=refused)
            headers = _conditional_headers(validators) if not hops else {}
            response = self._request(current, headers)
            if isinstance(response, str):
                return FetchFailure(url=url, reason=response)
            with response:
                if response.status_code in _REDIRECT_STATUS and response.headers.get("Location"):
                    target = urljoin(current, response.headers["Location"])
                    hops.append(f"{response.status_code} -> {target}")
                    current = target
                    continue
                return self._finish(url, current, hops, response)
        return FetchFailure(url=url, reason=f"more than {self.policy.max_redirects} redirects ({'; '.join(hops)})")

    # ------------------------------------------------------------ steps

    def _finish(self, url: str, final: str, hops: list[str], response: requests.Response) -> Fetched | FetchFailure:
        now = datetime.now(UTC)
        found = Validators(etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"))
        if response.status_code == 304:
            return Fetched(url=url, final_url=final, status=304, validators=found, redirects=hops, fetched_at=now)
        if response.status_code != 200:
            return FetchFailure(url=url, reason=f"HTTP {response.status_code} {response.reason or ''}".strip()
                                + (f" at {final}" if final != url else ""))
        body = bytearray()
        try:
            for chunk in response.iter_content(65536):
                body += chunk
                if len(body) > self.policy.max_bytes:
                    return FetchFailure(url=url, reason=f"response over {self.policy.max_bytes:,} bytes")
        except requests.RequestException as exc:
            return FetchFailure(url=url, reason=f"reading the response failed: {_why(exc)}")
        return Fetched(url=url, final_url=final, status=200, body=bytes(body), validators=found, redirects=hops,
                       content_type=response.headers.get("Content-Type"), fetched_at=now)

    def _request(self, url: str, headers: dict[str, str]) -> requests.Response | str:
        """The response, after retries; or why there is none."""
        attempts = self.policy.retries + 1
        why = ""
        for attempt in range(attempts):
            self._wait_turn(url)
            try:
                response = self.session.get(url, headers=headers, stream=True, allow_redirects=False,
                                            timeout=(self.policy.connect_timeout_s, self.policy.read_timeout_s))
            except requests.RequestException as exc:
                why = _why(exc)
                pause = self._backoff(attempt)
            else:
                if response.status_code not in _RETRY_STATUS:
                    return response
                why = f"HTTP {response.status_code} {response.reason or ''}".strip()
                pause = max(self._backoff(attempt), _retry_after(response.headers.get("Retry-After")))
                response.close()
            if attempt < attempts - 1:
                time.sleep(min(pause, self.policy.max_backoff_s))
        return f"{why} (after {attempts} attempt{'s' if attempts > 1 else ''})"

    def _backoff(self, attempt: int) -> float:
        return self.policy.backoff_s * 2 ** attempt

    def _wait_turn(self, url: str) -> None:
        """Sleep until this host's next slot: one request per host per interval, whichever thread asks."""
        host = urlsplit(url).netloc.lower()
        interval = max(self.policy.per_host_interval_s, self._crawl_delay(url))
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + interval
        if slot > now:
            time.sleep(slot - now)

    # ------------------------------------------------------------ robots.txt

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser | str:
        """The host's parsed robots.txt, or the reason every path of the host is refused (fetched once)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            cached = self._robots.get(origin)
        if cached is not None:
            return cached
        rules: urllib.robotparser.RobotFileParser | str
        parser = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        response = self._request(f"{origin}/robots.txt", {})
        if isinstance(response, str):
            rules = f"robots.txt of {origin} could not be fetched ({response}); not crawling the host"
        else:
            with response:
                status = response.status_code
                if status >= 500:
                    rules = f"robots.txt of {origin} answered HTTP {status}; not crawling the host"
                elif status >= 400:  # no robots.txt (or a 4xx): nothing is disallowed, as RFC 9309 says
                    parser.parse([])
                    rules = parser
                else:
                    parser.parse(response.content.decode("utf-8", "replace")[:500_000].splitlines())
                    rules = parser
        with self._lock:
            self._robots[origin] = rules
        return rules

    def _robots_refusal(self, url: str) -> str | None:
        if not self.policy.respect_robots:
            return None
        rules = self._robots_for(url)
        if isinstance(rules, str):
            return rules
        if not rules.can_fetch(self.policy.user_agent, url):
            return "disallowed by robots.txt"
        return None

    def _crawl_delay(self, url: str) -> float:
        if not self.policy.respect_robots:
            return 0.0
        parts = urlsplit(url)
        rules = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        if isinstance(rules, urllib.robotparser.RobotFileParser):
            delay = rules.crawl_delay(self.policy.user_agent)
            return float(delay) if delay else 0.0
        return 0.0


def _conditional_headers(validators: Validators | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if validators is not None and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators is not None and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _retry_after(value: str | None) -> float:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); 0 when absent or unreadable."""
    if not value:
        return 0.0
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return 0.0


def _why(exc: requests.RequestException) -> str:
    # a read timeout inside the body surfaces as a ConnectionError wrapping urllib3's ReadTimeoutError
    if isinstance(exc, requests.Timeout) or "timed out" in str(exc):
        return "timed out"
    if isinstance(exc, requests.ConnectionError):
        return "connection failed"
    return type(exc).__name__
