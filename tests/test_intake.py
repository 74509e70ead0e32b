"""Live intake against a real HTTP server on loopback (tests/site_server.py) and the real graph server: feeds,
URL lists and GDELT GKG rows become fetched, extracted, stored articles; re-polls are conditional GETs; pages
that fail are reported by URL and never stop a poll."""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from intake.fetch import Fetcher, FetchFailure, FetchPolicy
from intake.leads import Lead, LeadProblem, gdelt_leads
from intake.poll import Poller, PollSummary, Source
from intake.state import FetchState
from jobs.runner import LocalRunner
from kg.db import Graph
from kg.queries import AsOfFact, article_history, as_of, reporting
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


def test_a_zipped_gkg_file_reads_as_published(site: Site, tmp_path: Path) -> None:
    """GDELT publishes GKG files as `.gkg.csv.zip`: the same rows, the same leads."""
    plain = tmp_path / "sample.gkg.csv"
    plain.write_bytes(site.fixture("sample.gkg.csv"))
    zipped = tmp_path / "20260623093000.gkg.csv.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(plain, "20260623093000.gkg.csv")
    as_leads = [x.url for x in gdelt_leads(zipped) if isinstance(x, Lead)]
    assert as_leads == [x.url for x in gdelt_leads(plain) if isinstance(x, Lead)] and len(as_leads) == 3


def test_a_server_error_is_retried_and_the_page_then_stored(site: Site) -> None:
    site.routes["/news/flaky.html"] = Route(site.routes["/news/india-ai-mission.html"].body, fail_first=2)
    with Fetcher(FAST) as fetcher:  # two retries by default
        response = fetcher.get(f"{site.base}/news/flaky.html")
    assert not isinstance(response, FetchFailure) and response.status == 200 and response.body
    assert [h.status for h in site.hits("/news/flaky.html")] == [503, 503, 200]
    site.routes["/news/down.html"] = Route(b"", fail_first=5)
    with Fetcher(FAST) as fetcher:
        failure = fetcher.get(f"{site.base}/news/down.html")
    assert failure == FetchFailure(url=f"{site.base}/news/down.html",
                                   reason="HTTP 503 Service Unavailable (after 3 attempts)")


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


def _distillation(facts: list[AsOfFact]) -> AsOfFact:
    [fact] = [f for f in facts if f.fact_type == "Allegation" and "distillation" in (f.title or "")]
    return fact


def test_a_changed_page_is_a_second_version_with_a_correction_and_as_of_answers_for_both_times(
        clean_graph: Graph, graph_settings: Settings, runner: LocalRunner, site: Site, tmp_path: Path) -> None:
    path = "/news/distillation-accusation.html"
    url = f"{site.base}{path}"
    site.routes[path] = Route(site.fixture("distillation-v1.html"), etag='"distillation-1"')
    urls = tmp_path / "urls.txt"
    urls.write_text(url + "\n", encoding="utf-8")
    source = Source(kind="urls", where=str(urls))
    poller, errors = make_poller(tmp_path)

    first = poll(graph_settings, poller, runner, source)
    site.routes[path] = Route(site.fixture("distillation-v2.html"), etag='"distillation-2"')
    second = poll(graph_settings, poller, runner, source)
    third = poll(graph_settings, poller, runner, source)

    assert (first.ingest.new, second.fetched, second.ingest.replaced, third.not_modified) == (1, 1, 1, 1), \
        errors.getvalue()
    assert [(h.headers.get("If-None-Match"), h.status) for h in site.hits(path)] == [
        (None, 200), ('"distillation-1"', 200), ('"distillation-2"', 304)]
    history = article_history(clean_graph, url)
    v1, v2 = history.versions
    assert v1.article_id != v2.article_id and v1.superseded_at == v2.fetched_at and v2.superseded_at is None
    [correction] = history.corrections
    assert (correction.from_version, correction.to_version) == (v1.id, v2.id)
    fact = _distillation(as_of(clean_graph, v2.fetched_at))
    assert f"date of {fact.title}: 24 June 2026 → 10 June 2026" in correction.changes
    assert correction.summary.startswith(f"changed on {v2.fetched_at[:10]}: ")

    # As of the first fetch the graph said 24 June; as of the second, 10 June; before either, nothing.
    assert _distillation(as_of(clean_graph, v1.fetched_at)).dates == ["2026-06-24"]
    assert _distillation(as_of(clean_graph, v2.fetched_at)).dates == ["2026-06-10"]
    assert as_of(clean_graph, "2026-06-01") == []
    # The live graph holds the current version only; the history keeps both.
    assert clean_graph.read("MATCH (a:Article) RETURN a.id AS id") == [{"id": v2.article_id}]
    dates = clean_graph.read("MATCH (f:Allegation {id: $id}) RETURN f.date_value AS d", {"id": fact.id})
    assert dates == [{"d": "2026-06-10"}]
    who = reporting(clean_graph, fact.id)
    assert who.first is not None and (who.first.outlet, who.first.published) == ("The Compute Ledger", "2026-06-25")
    assert who.line() == "first reported by The Compute Ledger on 2026-06-25"

    def kg(*args: str) -> list[str]:
        done = subprocess.run([sys.executable, "-m", "kgcli", "query", *args], capture_output=True, text=True,
                              cwd=REPO, env=kg_env(graph_settings), timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    assert kg("history", url) == [f"{v1.fetched_at}  {v1.title}  [{v1.article_id}]  superseded {v2.fetched_at}",
                                  f"{v2.fetched_at}  {v2.title}  [{v2.article_id}]  current", correction.summary]
    then = [line for line in kg("asof", "--at", v1.fetched_at) if line.endswith(f"[{fact.id}]")]
    assert len(then) == 1 and then[0].startswith("2026-06-24 ")
    assert f"  {who.line()}" in kg("trace", fact.id)


def test_first_reported_by_and_repeated_by_across_outlets(
        clean_graph: Graph, graph_settings: Settings, runner: LocalRunner, site: Site, tmp_path: Path) -> None:
    """Two sites carry the accusation; the one that published first is named first, the other repeats it. (The
    second's text differs: an article is its text's hash, so word-for-word syndication is one article.)"""
    with serve() as other:
        late = site.fixture("distillation-v1.html").replace(b"The Compute Ledger", b"Chip Wire").replace(
            b"2026-06-25T08:00:00Z", b"2026-06-27T08:00:00Z").replace(b"June 25, 2026", b"June 27, 2026").replace(
            b"the company said in a statement", b"according to a statement the company sent to Chip Wire")
        other.routes["/robots.txt"] = Route(b"", "text/plain")
        other.routes["/a.html"] = Route(late)
        site.routes["/news/distillation-accusation.html"] = Route(site.fixture("distillation-v1.html"))
        urls = tmp_path / "urls.txt"  # the later report is fetched first: publication order decides
        urls.write_text(f"{other.base}/a.html\n{site.base}/news/distillation-accusation.html\n", encoding="utf-8")
        poller, errors = make_poller(tmp_path)
        summary = poll(graph_settings, poller, runner, Source(kind="urls", where=str(urls)))
    assert summary.ingest.new == 2, errors.getvalue()
    fact = _distillation(as_of(clean_graph, datetime.now(UTC)))
    assert len(fact.reports) == 2
    assert reporting(clean_graph, fact.id).line() == (
        "first reported by The Compute Ledger on 2026-06-25, then repeated by Chip Wire")
