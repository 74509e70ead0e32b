"""Watchlists against the real graph server, fed by live intake from a loopback site: a scripted sequence of
ingests (a new fact, a second outlet, a correction that makes the reports disagree, a denial) gives exactly one
alert per change, once; the Atom file validates with feedparser; the webhook receives the new alerts as JSON."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from intake.fetch import Fetcher, FetchPolicy
from intake.poll import Poller, Source
from intake.state import FetchState
from intake.watchlists import Watchlist, WatchlistStore
from jobs.runner import LocalRunner
from kg.db import Graph
from kg.settings import Settings
from tests.conftest import REPO
from tests.graph_server import kg_env
from tests.site_server import Route, serve

DENIAL = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Alibaba denies distillation claims | The Compute Ledger</title>
<meta property="og:site_name" content="The Compute Ledger">
<meta property="article:published_time" content="2026-06-27T09:00:00Z"></head>
<body><header><a href="/">The Compute Ledger</a></header><main><article><h1>Alibaba denies distillation claims</h1>
<p>Alibaba denied Anthropic's accusation that it had distilled Claude through fraudulent accounts.</p>
<p>Alibaba said on Friday that the claims were groundless and that its models were trained on licensed data.</p>
</article></main><footer><p>&#169; 2026 The Compute Ledger</p></footer></body></html>"""


@pytest.fixture(scope="module")
def runner() -> LocalRunner:
    return LocalRunner()


def test_a_watchlist_alerts_once_per_change_in_a_scripted_sequence_of_ingests(
        clean_graph: Graph, graph_settings: Settings, runner: LocalRunner, tmp_path: Path) -> None:
    with serve() as ledger, serve() as wire:
        first = ledger.fixture("distillation-v1.html")
        second = first.replace(b"The Compute Ledger", b"Chip Wire").replace(
            b"the company said in a statement", b"according to a statement the company sent to Chip Wire")
        for site in (ledger, wire):
            site.routes["/robots.txt"] = Route(b"", "text/plain")
        ledger.routes["/hook"] = Route(status=204)
        store = WatchlistStore(tmp_path / "watchlists.sqlite")
        store.add(Watchlist(name="alibaba", actors=["Alibaba"], kinds=["distillation"],
                            webhook=f"{ledger.base}/hook"))
        poller = Poller(Fetcher(FetchPolicy(per_host_interval_s=0)), FetchState(tmp_path / "state.sqlite"),
                        errors=io.StringIO())
        urls = tmp_path / "urls.txt"

        def ingest_then_run(*pages: str) -> list[tuple[str, str]]:
            urls.write_text("\n".join(pages) + "\n", encoding="utf-8")
            poller.poll(graph_settings, [Source(kind="urls", where=str(urls))], runner)
            [result] = store.run_all(clean_graph)
            return [(a.kind, a.title) for a in result.alerts]

        ledger.routes["/accusation.html"] = Route(first)
        started = ingest_then_run(f"{ledger.base}/accusation.html")
        [(kind, title)] = started
        assert kind == "fact" and title.startswith("New: ") and "distillation" in title
        fact_title = title.removeprefix("New: ")

        wire.routes["/story.html"] = Route(second)
        assert ingest_then_run(f"{wire.base}/story.html") == [("origin", f"New origin for {fact_title}: Chip Wire")]

        wire.routes["/story.html"] = Route(second.replace(b"24 June 2026", b"10 June 2026"))  # a correction
        [(kind, title)] = ingest_then_run(f"{wire.base}/story.html")
        assert kind == "conflict" and "24 June 2026" in title and "10 June 2026" in title, title

        ledger.routes["/denial.html"] = Route(DENIAL)
        assert ingest_then_run(f"{ledger.base}/denial.html") == [("status", f"{fact_title}: no comment → denied")]

        assert ingest_then_run(f"{ledger.base}/denial.html") == []  # nothing changed: nothing new
        hooks = [json.loads(h.body) for h in ledger.log if h.method == "POST"]
        atom = feedparser.parse(store.atom_dir / "alibaba.atom")
        store.close()

    assert [[a["kind"] for a in h["alerts"]] for h in hooks] == [["fact"], ["origin"], ["conflict"], ["status"]]
    assert all(h["watchlist"] == "alibaba" for h in hooks)
    assert not atom.bozo, atom.get("bozo_exception")
    assert atom.feed.title == "Watchlist alibaba: Alibaba"
    assert [e.title for e in atom.entries][::-1] == [t for h in hooks for t in (a["title"] for a in h["alerts"])]
    assert len({e.id for e in atom.entries}) == 4 and all(e.id.startswith("urn:aigeo-kg:alert:") for e in atom.entries)
    assert atom.entries[-1].link == f"{ledger.base}/accusation.html"


def test_watchlists_are_added_listed_and_removed(tmp_path: Path) -> None:
    with WatchlistStore(tmp_path / "w.sqlite") as store:
        store.add(Watchlist(name="b", actors=["Nvidia"], min_reliability=40, alerts=["fact"]))
        store.add(Watchlist(name="a", actors=["Anthropic", "OpenAI"]))
        store.add(Watchlist(name="b", actors=["Nvidia", "AMD"]))  # the same name again replaces it
        assert [(w.name, w.actors) for w in store.all()] == [("a", ["Anthropic", "OpenAI"]), ("b", ["Nvidia", "AMD"])]
        assert store.remove("a") and not store.remove("a")
        assert [w.name for w in store.all()] == ["b"]
    with pytest.raises(ValueError, match="name"):
        Watchlist(name="../etc/passwd", actors=["x"])  # the name becomes a file name


def test_kg_watchlist_add_list_run_remove(clean_graph: Graph, graph_settings: Settings, tmp_path: Path) -> None:
    store = tmp_path / "watchlists.sqlite"

    def kg(*args: str, code: int = 0) -> str:
        done = subprocess.run([sys.executable, "-m", "kgcli", "watchlist", *args, "--store", str(store)],
                              capture_output=True, text=True, cwd=REPO, env=kg_env(graph_settings), timeout=120)
        assert done.returncode == code, done.stderr
        return done.stdout if code == 0 else done.stderr

    kg("add", "nvidia", "--actor", "Nvidia", "--kind", "smuggling", "--min-reliability", "40")
    assert kg("list") == "nvidia: Nvidia; alerts on fact, origin, conflict, status; kinds smuggling; reliability ≥ 40\n"
    atom = tmp_path / "alerts" / "nvidia.atom"
    assert kg("run") == f"watchlist nvidia: 0 new alert(s) → {atom}\n"
    parsed = feedparser.parse(atom)
    assert not parsed.bozo and parsed.entries == []
    assert "error: watchlist name" in kg("add", "no/slash", "--actor", "x", code=1)
    assert kg("remove", "nvidia") == "watchlist nvidia removed\n" and kg("list") == "" and not atom.exists()
    assert kg("remove", "nvidia", code=1) == "error: no watchlist named 'nvidia'\n"
