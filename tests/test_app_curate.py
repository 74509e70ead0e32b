"""The Curate page and the write rule, driven by AppTest against the real graph server: accept a suggestion,
see the merged actor, undo it; beyond loopback no writes without the curator token (Curate and Ingest)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from app import ui
from app.access import is_loopback
from kg import queries
from kg.db import Graph
from kg.settings import Settings, get_settings
from kg.writer import GraphWriter
from tests.app_server import pointed_at
from tests.records import duplicate_actor_articles
from tests.test_app import texts

APP = Path(__file__).resolve().parents[1] / "app" / "main.py"


@pytest.fixture
def curate_graph(graph_settings: Settings, clean_graph: Graph) -> Iterator[Graph]:
    GraphWriter(clean_graph).write_many(duplicate_actor_articles())
    with pointed_at(graph_settings):
        yield clean_graph


def run(page: str, at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_file(str(APP), default_timeout=90)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.0.1.1")
    assert not is_loopback("0.0.0.0") and not is_loopback("") and not is_loopback(None)
    assert not is_loopback("192.168.1.10") and not is_loopback("example.org")


def test_accept_a_suggestion_then_undo_it(curate_graph: Graph) -> None:
    at = run(ui.CURATE)
    assert "Redriver → Redriver Group" in texts(at)
    assert at.button(key="sugg_accept_0").disabled  # no curator name yet
    at.sidebar.text_input(key="curator_name").set_value("ana").run()
    at.text_input(key="curate_note").set_value("one company").run()
    at.button(key="sugg_accept_0").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "merged Redriver (redriver) into Redriver Group" in texts(at)
    page = queries.actor(curate_graph, "Redriver")
    assert page is not None and page.id == "redriver-group" and page.merged == ["redriver"]
    # the log shows the decision, with its note; undoing it splits the actors again
    assert "ana: same actor: Redriver Group (redriver-group) and Redriver (redriver) “one company”" in texts(at)
    undo = [b for b in at.button if b.key and b.key.startswith("undo_")]
    assert len(undo) == 1
    undo[0].click().run()
    assert "undone: judgement" in texts(at)
    page = queries.actor(curate_graph, "Redriver")
    assert page is not None and page.id == "redriver"


def test_reject_a_fact_from_its_id(curate_graph: Graph) -> None:
    fact = queries.timeline(curate_graph)[0]
    at = run(ui.CURATE)
    at.sidebar.text_input(key="curator_name").set_value("ben").run()
    at.text_input(key="curate_fact").set_value(fact.id).run()
    assert fact.title in texts(at), texts(at)
    at.button(key="curate_reject").click().run()
    assert "rejected by a curator" in texts(at)
    assert fact.id not in {f.id for f in queries.timeline(curate_graph)}


@pytest.fixture
def beyond_loopback(curate_graph: Graph, monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    st_config.set_option("server.address", "0.0.0.0")
    monkeypatch.delenv("KG_CURATOR_TOKEN", raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    st_config.set_option("server.address", "127.0.0.1")
    get_settings.cache_clear()


def test_beyond_loopback_without_a_token_curate_and_ingest_are_read_only(beyond_loopback: pytest.MonkeyPatch,
                                                                         curate_graph: Graph) -> None:
    at = run(ui.CURATE)
    at.sidebar.text_input(key="curator_name").set_value("ana").run()
    assert "no curator token is configured" in texts(at)
    assert at.button(key="sugg_accept_0").disabled and at.button(key="curate_merge").disabled
    at = run(ui.INGEST)
    assert "no curator token is configured" in texts(at)
    assert at.button(key="ingest_go").disabled


def test_beyond_loopback_the_configured_token_unlocks_writes(beyond_loopback: pytest.MonkeyPatch,
                                                             curate_graph: Graph) -> None:
    beyond_loopback.setenv("KG_CURATOR_TOKEN", "s3cret-token")
    get_settings.cache_clear()
    at = run(ui.CURATE)
    at.sidebar.text_input(key="curator_name").set_value("ana").run()
    at.sidebar.text_input(key="curator_token").set_value("wrong").run()
    assert "not the one configured" in texts(at)
    assert at.button(key="sugg_accept_0").disabled
    at.sidebar.text_input(key="curator_token").set_value("s3cret-token").run()
    assert not at.button(key="sugg_accept_0").disabled
    at.button(key="sugg_accept_0").click().run()
    assert "merged Redriver" in texts(at)
    at = run(ui.INGEST)
    assert "Give the curator token" in texts(at)  # a fresh session has not given it yet


def test_the_timeline_hides_a_rejected_fact_unless_the_toggle_shows_it(curate_graph: Graph) -> None:
    from kg.curation import Curator

    fact = next(f for f in queries.timeline(curate_graph) if f.fact_type == "GovernmentAction")
    Curator(curate_graph).reject(fact.id, "ana", note="wrong target")
    at = run(ui.TIMELINE)
    assert not any(fact.title in str(o) for o in at.selectbox(key="tl_fact").options)
    at.sidebar.toggle(key="tl_rejected").set_value(True).run()
    labels = [str(o) for o in at.selectbox(key="tl_fact").options]
    assert any(o.endswith("rejected by a curator: " + "".join(c + "\u0336" for c in str(fact.title)))
               for o in labels), labels
