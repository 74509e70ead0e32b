"""Issue 17 in the app, driven by AppTest against the real graph server: the Watchlists page (create, run, alerts
newest first linking to the claim trace, the Atom file, remove; read-only beyond loopback without the token), the
timeline "as of" an earlier fetch (version 1 of an article, then version 2: as of the first time, version 1's
facts), and the actor page's lifecycle of an allegation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from app import ui
from intake.poll import default_state_path
from intake.watchlists import WatchlistStore
from kg.db import Graph
from kg.facts import action_id, allegation_id
from kg.settings import Settings, get_settings
from kg.writer import GraphWriter
from ontology.models import ActionKind, Extraction
from tests.app_server import pointed_at
from tests.records import accusation, action_article, spec
from tests.test_app import texts
from tests.test_links import story

APP = Path(__file__).resolve().parents[1] / "app" / "main.py"
URL = "https://news.example/asof-story"
T1 = datetime(2026, 6, 25, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 6, 26, 9, 0, tzinfo=UTC)
ACCUSE = "Northwind AI accused Redriver Group of distilling its model on 24 June 2026."
RESTRICT = "The Commerce Department restricted Redriver Group's chip imports on 26 June 2026."


def run(page: str, at: AppTest | None = None, **params: str) -> AppTest:
    at = at or AppTest.from_file(str(APP), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def store_file(settings: Settings) -> Path:
    return default_state_path(settings).with_name("watchlists.sqlite")


@pytest.fixture
def app_graph(graph_settings: Settings, clean_graph: Graph) -> Iterator[Graph]:
    with WatchlistStore(store_file(graph_settings)) as store:
        for w in store.all():
            store.remove(w.name)
    with pointed_at(graph_settings):
        yield clean_graph
    with WatchlistStore(store_file(graph_settings)) as store:
        for w in store.all():
            store.remove(w.name)


def _versions() -> tuple[Extraction, Extraction]:
    v1 = accusation("asof-story", ACCUSE, date_=spec("2026-06-24"), url=URL)
    v1.article = v1.article.model_copy(update={"fetched_at": T1})
    v2 = action_article("asof-story", RESTRICT, date_=spec("2026-06-26"))
    v2.article = v2.article.model_copy(update={"url": URL, "fetched_at": T2})
    return v1, v2


def test_create_run_and_remove_a_watchlist(app_graph: Graph, graph_settings: Settings) -> None:
    writer = GraphWriter(app_graph)
    first = story()
    writer.write(first)
    at = run(ui.WATCHLISTS)
    assert "Watchlists (0)" in texts(at) and "None yet" in texts(at)
    save = next(b for b in at.button if b.label == "Save watchlist")
    assert save.disabled  # no curator name yet
    at.sidebar.text_input(key="curator_name").set_value("ana").run()
    at.text_input(key="wl_name").set_value("redriver")
    at.multiselect(key="wl_actors").select("Redriver Group")
    at.multiselect(key="wl_kinds").select("distillation")
    next(b for b in at.button if b.label == "Save watchlist").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "watchlist redriver saved" in texts(at)
    assert "actors: Redriver Group; kinds: distillation; alerts on new fact, new independent origin, new conflict, " \
           "status changed" in texts(at)
    assert "No alerts yet." in texts(at)

    at.button(key="wl_run_redriver").click().run()
    assert "watchlist redriver: 1 new alert(s)" in texts(at)
    fact = allegation_id(first.allegations[0])
    assert f"[New: Northwind AI accuses Redriver Group of distillation](trace?fact={fact})" in texts(at)
    assert "status changed" in texts(at) and "no_comment" not in texts(at)

    # a second article reporting the same fact from another outlet: a new origin, listed first
    writer.write(accusation("wl-2", "Northwind AI accused Redriver Group of distillation.", outlet="Reuters"))
    at.button(key="wl_run_redriver").click().run()
    assert "watchlist redriver: 1 new alert(s)" in texts(at)
    shown = texts(at)
    assert shown.index("new independent origin · ") < shown.index("new fact · ")
    atom = store_file(graph_settings).parent / "alerts" / "redriver.atom"
    assert str(atom) in shown and atom.exists()
    feed = feedparser.parse(atom.read_bytes())
    assert not feed.bozo and [e.title.split(":")[0] for e in feed.entries] == ["New origin for Northwind AI "
                                                                               "accuses Redriver Group of distillation",
                                                                               "New"]

    at.button(key="wl_remove_redriver").click().run()
    assert "watchlist redriver removed" in texts(at) and "Watchlists (0)" in texts(at)
    assert not atom.exists()


def test_an_invalid_watchlist_is_refused_in_words(app_graph: Graph) -> None:
    GraphWriter(app_graph).write(story())
    at = run(ui.WATCHLISTS)
    at.sidebar.text_input(key="curator_name").set_value("ana").run()
    at.text_input(key="wl_name").set_value("no spaces allowed")
    next(b for b in at.button if b.label == "Save watchlist").click().run()
    assert "Not saved: name:" in texts(at)
    with WatchlistStore(store_file(get_settings())) as store:
        assert store.all() == []


def test_beyond_loopback_without_a_token_watchlists_are_read_only(app_graph: Graph, graph_settings: Settings,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from intake.watchlists import Watchlist

    with WatchlistStore(store_file(graph_settings)) as store:
        store.add(Watchlist(name="ro", actors=["Redriver Group"]))
    st_config.set_option("server.address", "0.0.0.0")
    monkeypatch.delenv("KG_CURATOR_TOKEN", raising=False)
    get_settings.cache_clear()
    try:
        at = run(ui.WATCHLISTS)
        at.sidebar.text_input(key="curator_name").set_value("ana").run()
        assert "no curator token is configured" in texts(at)
        assert at.button(key="wl_run_ro").disabled and at.button(key="wl_remove_ro").disabled
        assert next(b for b in at.button if b.label == "Save watchlist").disabled
    finally:
        st_config.set_option("server.address", "127.0.0.1")
        get_settings.cache_clear()


def _fact_options(at: AppTest) -> list[str]:
    return [str(o) for o in at.selectbox(key="tl_fact").options]


def test_the_timeline_as_of_the_first_fetch_shows_version_1(app_graph: Graph) -> None:
    writer = GraphWriter(app_graph)
    v1, v2 = _versions()
    writer.write(v1)
    writer.write(v2)
    accused = "Northwind AI accuses Redriver Group of distillation"
    restricted = "U.S. Department of Commerce: restriction on Redriver Group"

    now = run(ui.TIMELINE)
    assert any(restricted in o for o in _fact_options(now)) and not any(accused in o for o in _fact_options(now))

    then = run(ui.TIMELINE, asof="2026-06-25T12:00")
    assert then.sidebar.toggle(key="tl_asof_on").value
    options = _fact_options(then)
    assert any(accused in o for o in options) and not any(restricted in o for o in options), options
    assert "As of 2026-06-25 12:00 UTC" in texts(then)
    assert any("24 June 2026" in o for o in options)  # the date version 1 gave
    assert then.query_params.get("asof") == "2026-06-25T12:00"

    # moved on to after the second fetch with the control: version 2's facts, the URL follows
    then.sidebar.date_input(key="tl_asof_date").set_value(datetime(2026, 6, 26).date()).run()
    assert any(restricted in o for o in _fact_options(then))
    assert then.query_params.get("asof") == "2026-06-26T12:00"
    # before the first fetch nothing was reported yet
    before = run(ui.TIMELINE, asof="2026-06-24T23:00")
    assert _fact_options(before) == []
    # off: the graph as it stands now, and no asof in the URL
    before.sidebar.toggle(key="tl_asof_on").set_value(False).run()
    assert any(restricted in o for o in _fact_options(before)) and "asof" not in before.query_params


def test_the_actor_page_shows_the_lifecycle(app_graph: Graph) -> None:
    ex = story()
    GraphWriter(app_graph).write(ex)
    at = run(ui.ACTOR, actor="Redriver Group")
    shown = texts(at)
    assert "What followed the allegations" in shown
    listing = action_id(next(a for a in ex.actions if a.kind is ActionKind.entity_list))
    steps = next(str(m.value) for m in at.markdown if str(m.value).startswith("1. **alleged**"))
    assert re.findall(r"^\d+\. \*\*(.+?)\*\*", steps, re.M) == ["alleged", "denied", "responded", "investigated",
                                                              "sanctioned"], steps
    assert f"(trace?fact={listing})" in shown and "2 June 2026" in shown
