"""Live intake against a real HTTP server on loopback (tests/site_server.py) and the real graph server: feeds,
URL lists and GDELT GKG rows become fetched, extracted, stored articles; re-polls are conditional GETs; pages
that fail are reported by URL and never stop a poll."""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake.fetch import Fetcher, FetchFailure, FetchPolicy
from intake.leads import Lead, LeadProblem, gdelt_leads
from intake.poll import Poller, PollSummary, Source
from intake.state import FetchState
from jobs.runner import LocalRunner
from kg.db import Graph
from kg.settings import Settings
from tests.conftest import REPO
from tests.graph_server import kg_env
from tests.site_server import FIXTURES, Route, Site, news_site, serve, stories

# No waiting between requests to the one loopback host, short back-off: the politeness is tested on its own.
FAST = FetchPolicy(per_host_interval_s=0, backoff_s=0.05, read_timeout_s=5)
ARTICLE_URLS = "MATCH (a:Article) RETURN a.url AS url ORDER BY url"


@pytest.fixture(scope="module")
def runner() -> LocalRunner:
    return LocalRunner()


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as s:
        news_site(s)
        yield s


def poll(settings: Settings, poller: Poller, runner: LocalRunner, *sources: Source) -> PollSummary:
    return poller.poll(settings, list(sources), runner)


def make_poller(tmp_path: Path, policy: FetchPolicy = FAST) -> tuple[Poller, io.StringIO]:
    errors = io.StringIO()
    return Poller(Fetcher(policy), FetchState(tmp_path / "state.sqlite"), errors=errors), errors


def test_a_feed_of_20_entries_ingests_20_articles_and_a_second_poll_fetches_nothing_new(
        clean_graph: Graph, graph_settings: Settings, runner: LocalRunner, site: Site, tmp_path: Path) -> None:
    poller, errors = make_poller(tmp_path)
    feed = Source(kind="feed", where=f"{site.base}/feed.rss")

    first = poll(graph_settings, poller, runner, feed)

    assert (first.leads, first.fetched, first.ingest.new, first.ingest.failed) == (20, 20, 20, 0), errors.getvalue()
    expected = sorted(f"{site.base}/news/{s['slug']}.html" for s in stories())
    assert [r["url"] for r in clean_graph.read(ARTICLE_URLS)] == expected
    titles = {r["t"] for r in clean_graph.read("MATCH (a:Article) RETURN a.title AS t")}
    assert "Commerce adds AI chip brokers to the Entity List" in titles  # trafilatura read the page's title
    assert all("aigeo-kg-intake" in hit.headers.get("User-Agent", "") for hit in site.log)
    assert len(site.hits("/robots.txt")) == 1  # asked once per host, before the first page

    site.clear_log()
    second = poll(graph_settings, poller, runner, feed)

    assert (second.leads, second.fetched, second.not_modified, second.ingest.new) == (20, 0, 20, 0)
    [feed_hit] = site.hits("/feed.rss")
    assert feed_hit.headers.get("If-None-Match") == '"feed-1"' and feed_hit.status == 304
    pages = [h for h in site.log if h.path.startswith("/news/")]
    assert len(pages) == 20
    assert all(h.status == 304 and h.headers.get("If-None-Match", "").endswith('-1"') for h in pages)
    assert len(clean_graph.read(ARTICLE_URLS)) == 20


def test_failing_pages_are_reported_by_url_and_the_rest_are_stored(
        clean_graph: Graph, graph_settings: Settings, runner: LocalRunner, site: Site, tmp_path: Path) -> None:
    base = site.base
    site.routes["/breaking.atom"] = Route(site.fixture("breaking.atom"), "application/atom+xml")
    site.routes["/news/distillation-accusation.html"] = Route(site.fixture("distillation-v1.html"))
    site.routes["/old/eu-ai-act-fines"] = Route(status=301, location="/news/eu-ai-act-fines.html")
    site.routes["/slow/taiwan-export-checks.html"] = Route(site.routes["/news/taiwan-export-checks.html"].body,
                                                           delay_s=2.0)
    site.routes["/files/export-report.pdf"] = Route(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
                                                    "application/pdf")
    site.routes["/private/memo.html"] = Route(site.routes["/news/uk-compute-deal.html"].body)
    poller, errors = make_poller(tmp_path, FAST.model_copy(update={"read_timeout_s": 0.5, "retries": 1}))

    summary = poll(graph_settings, poller, runner, Source(kind="feed", where=f"{base}/breaking.atom"))

    report = errors.getvalue()
    assert f"failed: {base}/news/withdrawn-story.html: HTTP 404" in report
    assert f"failed: {base}/slow/taiwan-export-checks.html: timed out (after 2 attempts)" in report
    assert f"failed: {base}/files/export-report.pdf: not an HTML page (Content-Type application/pdf)" in report
    assert f"failed: {base}/private/memo.html: disallowed by robots.txt" in report
    assert f"warning: {base}/old/eu-ai-act-fines: redirected (301 -> {base}/news/eu-ai-act-fines.html)" in report
    assert (summary.leads, summary.ingest.new, summary.ingest.failed) == (6, 2, 4)
    assert [r["url"] for r in clean_graph.read(ARTICLE_URLS)] == [
        f"{base}/news/distillation-accusation.html", f"{base}/news/eu-ai-act-fines.html"]
    assert site.hits("/private/memo.html") == []  # robots.txt said no: never asked
    assert len(site.hits("/slow/taiwan-export-checks.html")) == 2  # retried once, then given up


def test_a_gkg_sample_yields_its_web_documents(
        clean_graph: Graph, graph_settings: Settings, runner: LocalRunner, site: Site, tmp_path: Path) -> None:
    gkg = tmp_path / "sample.gkg.csv"
    gkg.write_bytes(site.fixture("sample.gkg.csv"))
    items = list(gdelt_leads(gkg))
    leads = [x for x in items if isinstance(x, Lead)]
    problems = [x for x in items if isinstance(x, LeadProblem)]
    assert [lead.url for lead in leads] == [f"{site.base}/news/{slug}.html" for slug in
                                            ("commerce-entity-list", "eu-ai-act-fines", "nvidia-smuggling-case")]
    assert leads[0].site == "computeledger.example" and str(leads[0].published) == "2026-06-23"
    assert [p.where for p in problems] == [f"{gkg}:4", f"{gkg}:5"]
    assert "not a web document (collection '2'" in problems[0].reason and "4 columns" in problems[1].reason

    poller, errors = make_poller(tmp_path)
    summary = poll(graph_settings, poller, runner, Source(kind="gdelt", where=str(gkg)))

    assert (summary.leads, summary.ingest.new, summary.ingest.failed) == (3, 3, 0), errors.getvalue()
    assert [r["url"] for r in clean_graph.read(ARTICLE_URLS)] == [lead.url for lead in sorted(leads, key=str)]
    rows = clean_graph.read("MATCH (a:Article) RETURN a.published AS published ORDER BY published")
    assert [r["published"] for r in rows] == ["2026-06-21", "2026-06-22", "2026-06-23"]


def test_a_url_list_is_fetched_and_unreadable_lines_are_reported(
        clean_graph: Graph, graph_settings: Settings, runner: LocalRunner, site: Site, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# two stories\n{site.base}/news/japan-chip-subsidies.html\n\nftp://example.org/x\n"
                    f"{site.base}/news/india-ai-mission.html  from the newsletter\n", encoding="utf-8")
    poller, _ = make_poller(tmp_path)

    summary = poll(graph_settings, poller, runner, Source(kind="urls", where=str(urls)))

    assert (summary.leads, summary.ingest.new) == (2, 2)
    assert summary.problems == [(f"{urls}:4", "not an http(s) URL: ftp://example.org/x")]
    assert len(clean_graph.read(ARTICLE_URLS)) == 2


def test_requests_to_one_host_are_spaced_by_the_per_host_interval(site: Site) -> None:
    with Fetcher(FAST.model_copy(update={"per_host_interval_s": 0.25})) as fetcher:
        for story in stories()[:3]:
            assert not isinstance(fetcher.get(f"{site.base}/news/{story['slug']}.html"), FetchFailure)
    arrivals = [h.at for h in site.log]  # robots.txt, then three pages
    assert len(arrivals) == 4
    assert all(later - earlier >= 0.24 for earlier, later in itertools.pairwise(arrivals))


def test_kg_watch_polls_n_times_with_one_line_each(graph_settings: Settings, site: Site, tmp_path: Path,
                                                   clean_graph: Graph) -> None:
    feed = tmp_path / "feed.rss"  # a feed given as a file: its entries are still fetched from the site
    feed.write_bytes(site.fixture("feed.rss"))
    done = subprocess.run(
        [sys.executable, "-m", "kgcli", "watch", "--feed", str(feed), "--every", "0.1s", "--polls", "2",
         "--per-host-interval", "0", "--state", str(tmp_path / "state.sqlite")],
        capture_output=True, text=True, cwd=REPO, env=kg_env(graph_settings), timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2, done.stdout
    assert lines[0].startswith("poll 1 at ") and "20 leads: 20 fetched, 0 not modified" in lines[0]
    assert "articles: 20 new" in lines[0]
    assert lines[1].startswith("poll 2 at ") and "20 leads: 0 fetched, 20 not modified" in lines[1]
    assert len(clean_graph.read(ARTICLE_URLS)) == 20


def test_fixture_files_are_what_the_tests_say() -> None:
    assert len(stories()) == 20 and (FIXTURES / "feed.rss").read_text(encoding="utf-8").count("<item>") == 20
