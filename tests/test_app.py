"""The Streamlit app, page by page, with Streamlit's headless AppTest against the real graph server
loaded with tests/app_fixtures.py (no mocks)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app import ui
from kg.db import Graph, count_graph
from kg.settings import Settings, get_settings
from tests.app_fixtures import (
    CONFLICT_SENTENCE_A,
    CONFLICT_SENTENCE_B,
    EVIL_OUTLET,
    IMG_PAYLOAD,
    SCRIPT_PAYLOAD,
    SCRIPT_SENTENCE,
    load_fixture_graph,
)
from tests.app_server import pointed_at, reset_app_caches

APP = Path(__file__).resolve().parents[1] / "app" / "main.py"
TIMELINE, ACTOR, TRACE, CONFLICTS = ui.TIMELINE, ui.ACTOR, ui.TRACE, ui.CONFLICTS
SOURCES, CYPHER, INGEST, STORY = ui.SOURCES, ui.CYPHER, ui.INGEST, ui.STORY
PAGES = {TIMELINE: "Timeline", ACTOR: "Actor", TRACE: "Claim trace", CONFLICTS: "Conflicts", SOURCES: "Sources",
         CYPHER: "Cypher console", INGEST: "Ingest an article", STORY: "Story"}


@pytest.fixture(scope="module")
def facts(graph_settings: Settings, graph: Graph) -> Iterator[dict[str, str]]:
    """Point the app (same process) at the test server, load the fixtures, and return their fact ids."""
    ids = load_fixture_graph(graph)
    with pointed_at(graph_settings):
        yield ids


def run_page(page: str = TIMELINE, **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    if page != TIMELINE:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def qp(at: AppTest, key: str) -> list[str]:
    """A query parameter the page set, as a list (AppTest keeps one value as a plain string)."""
    value = at.query_params.get(key)
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def plain(markdown: str) -> str:
    """Markdown as the reader sees it: backslash escapes removed, hard breaks as newlines."""
    text = re.sub(r"(?<!\\)\*\*", "", markdown)  # bold markers
    return re.sub(r"\\(.)", r"\1", text).replace("  \n", "\n")


def texts(at: AppTest) -> str:
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success"):
        parts += [plain(str(e.value)) for e in getattr(at, kind)]
    return "\n".join(parts)


def fact_options(at: AppTest) -> list[str]:
    return list(at.selectbox(key="tl_fact").options)


def timeline_count(at: AppTest) -> int:
    caption = next(c.value for c in at.caption if re.match(r"\d+ facts:", c.value))
    return int(caption.split()[0])


def plotly_spec(at: AppTest, index: int = 0) -> dict[str, Any]:
    charts = at.get("plotly_chart")
    assert charts, "no Plotly chart on the page"
    return dict(json.loads(charts[index].proto.spec))


def vega_chart(at: AppTest, index: int = 0) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A Vega-Lite chart's spec and its rows (Streamlit sends the top-level data as Arrow)."""
    import pyarrow as pa

    charts = at.get("vega_lite_chart")
    assert charts, "no Vega-Lite chart on the page"
    proto = charts[index].proto
    return dict(json.loads(proto.spec)), pa.ipc.open_stream(proto.data.data).read_all().to_pylist()


def _day(ms: float) -> date:
    return date(1970, 1, 1) + timedelta(days=ms / 86_400_000)


def drawn(at: AppTest, library: str) -> dict[str, tuple[str, str, int]]:
    """What the timeline draws for each fact: ("bar", first day, days) or ("point", day, 0), read from the
    chart the page sent, whichever library drew it."""
    out: dict[str, tuple[str, str, int]] = {}
    if library == "plotly":
        for trace in plotly_spec(at)["data"]:
            for i, fid in enumerate(trace.get("customdata") or []):
                out[fid] = (("bar", trace["base"][i], round(trace["x"][i] / 86_400_000)) if trace["type"] == "bar"
                            else ("point", trace["x"][i], 0))
        return out
    for r in vega_chart(at)[1]:
        start = _day(r["start"]).isoformat()
        out[r["id"]] = ("point", start, 0) if r["point"] else ("bar", start, (_day(r["stop"]) - _day(r["start"])).days)
    return out


@pytest.fixture(params=["vega-lite", "plotly"])
def library(request: pytest.FixtureRequest, facts: dict[str, str]) -> Iterator[str]:
    """The timeline drawn by each chart library (KG_TIMELINE_CHART; Vega-Lite is the default)."""
    with pytest.MonkeyPatch.context() as mp:
        if request.param != "vega-lite":
            mp.setenv("KG_TIMELINE_CHART", request.param)
        get_settings.cache_clear()
        yield request.param
    get_settings.cache_clear()


# ---------------------------------------------------------------- every page


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders(facts: dict[str, str], page: str) -> None:
    at = run_page(page)
    assert not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title] == [PAGES[page]]
    assert all(not m.proto.allow_html for m in at.markdown), "no page may render raw HTML"
    assert not at.get("html")


# ---------------------------------------------------------------- timeline


def test_timeline_filters_change_what_is_shown(facts: dict[str, str]) -> None:
    at = run_page()
    everything = timeline_count(at)
    assert everything >= 11
    assert len(fact_options(at)) == everything

    at.slider(key="tl_minrel").set_value(80).run()
    strong = timeline_count(at)
    assert strong < everything
    labels = fact_options(at)
    assert not any("accuses Zephyr Labs of espionage" in x for x in labels)  # reliability 31.5
    assert any("accuses Kestrel Compute of distillation" in x for x in labels)  # 90
    assert qp(at, "min") == ["80"]

    at.slider(key="tl_minrel").set_value(0).run()
    at.multiselect(key="tl_kinds").set_value(["espionage"]).run()
    labels = fact_options(at)
    assert labels and all("espionage" in x for x in labels)
    assert timeline_count(at) < everything

    at.multiselect(key="tl_kinds").set_value([]).run()
    at.multiselect(key="tl_types").set_value(["Event"]).run()
    labels = fact_options(at)
    assert any("Borealia AI summit" in x for x in labels)
    assert not any("accuses" in x for x in labels)

    at.multiselect(key="tl_types").set_value([]).run()
    at.multiselect(key="tl_outlets").set_value(["silicon-rumour-mill"]).run()
    labels = fact_options(at)
    assert sorted(x.split(" · ", 1)[1] for x in labels) == [
        "Kestrel Compute accuses Zephyr Labs of espionage", "Zephyr Labs accuses Quill-7 of security risk"]


def test_timeline_date_range(facts: dict[str, str]) -> None:
    at = run_page()
    at.slider(key="tl_dates").set_value((date(2026, 3, 1), date(2026, 4, 30))).run()
    titles = {x.split(" · ", 1)[1] for x in fact_options(at)}
    assert {"Zephyr Labs accuses Kestrel Compute of distillation", "Kestrel Compute accuses Zephyr Labs of espionage",
            "Republic of Borealia: export control on Kestrel Compute"} <= titles  # the range overlaps
    assert "Ivo Marsh accuses Republic of Borealia of smuggling" not in titles  # November 2025
    assert "Zephyr Labs accuses Quill-7 of security risk" not in titles  # undated: hidden once dates narrow
    assert qp(at, "since") == ["2026-03-01"] and qp(at, "until") == ["2026-04-30"]
    shared = run_page(since="2026-05-01", until="2026-05-31")
    assert {x.split(" · ", 1)[1] for x in fact_options(shared)} >= {
        "Ministry of Digital Trade: Entity List on Kestrel Compute"}  # the ontology's reader words
    assert shared.slider(key="tl_dates").value == (date(2026, 5, 1), date(2026, 5, 31))


def test_timeline_actor_filter_by_alias_and_deep_link(facts: dict[str, str]) -> None:
    at = run_page(actor="Zephyr")  # an alias
    assert at.multiselect(key="tl_actors").value == ["appfx-zephyr-labs"]
    labels = fact_options(at)
    assert len(labels) == 5
    assert all("Zephyr" in x for x in labels)
    assert qp(at, "actor") == ["Zephyr Labs"]
    # the aliases are part of the option labels, so typing an alias finds the actor
    label = at.multiselect(key="tl_actors").format_func("appfx-kestrel-compute")
    assert "Kestrel Compute Holdings" in label


def test_timeline_geometry_follows_date_precision(facts: dict[str, str], library: str) -> None:
    where = drawn(run_page(), library)
    assert where[facts["espionage"]] == ("bar", "2026-04-01", 30)  # April: the whole month, not the 1st
    assert where[facts["range"]] == ("bar", "2026-01-10", 37)  # 10 Jan to 15 Feb inclusive
    assert where[facts["export_range"]] == ("bar", "2026-03-01", 122)  # March to June
    assert where[facts["no_ban"]] == ("bar", "2026-01-01", 365)  # a year
    assert where[facts["conflict"]] == ("point", "2026-03-01", 0)  # a day is a point
    assert facts["script"] not in where  # 24 June, year not given: not on the axis
    assert facts["undated"] not in where

    at = run_page()
    shown = texts(at)
    # the facts off the axis are in their own marked strip under the chart, each named
    assert "Not on the time axis" in shown and "Year not given (1)" in shown and "Undated (1)" in shown
    assert "24 June (year not given) · Republic of Borealia accuses Kestrel Compute of cyberattack" in shown
    assert "Zephyr Labs accuses Quill-7 of security risk" in shown


def test_timeline_names_every_item_in_words_on_the_chart_and_beside_it(facts: dict[str, str]) -> None:
    at = run_page()
    spec, rows = vega_chart(at)
    on_chart = {r["id"]: r["label"] for r in rows}
    shown = texts(at)
    assert len(on_chart) >= 9
    for option in fact_options(at):
        title = option.split(" · ", 1)[1]
        assert title in shown, f"{title!r} is not in the page's text"
    for fid, text in on_chart.items():
        assert text and "_" not in text, (fid, text)  # words, not an enum name
    assert on_chart[facts["conflict"]] == "Zephyr Labs accuses Kestrel Compute of distillation"
    labels = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert labels and all(layer["encoding"]["text"] == {"field": "label"} for layer in labels)  # drawn beside
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"  # as text in the page, not pixels on a canvas
    scales = [enc["scale"] for layer in spec["layer"] for ch, enc in layer.get("encoding", {}).items()
              if ch in ("fill", "stroke")]
    assert scales and all(set(sc["domain"]) <= {"Allegations", "Government actions", "Events"}  # colour says
                          and set(sc["range"]) <= {"#D55E00", "#0072B2", "#009E73"}  # the type, Okabe–Ito
                          for sc in scales)
    assert {r["lane"] for r in rows} == {"Allegations", "Government actions", "Events"}


def test_timeline_negated_actions_are_drawn_apart_and_clicks_select_a_fact(facts: dict[str, str]) -> None:
    """Vega-Lite has no pattern fill: a negated action's bar is hollow with a dashed outline (Plotly hatches
    it), its label starts "NOT:"; every item and its label is one click target selecting the fact's id."""
    from app import charts

    spec, rows = vega_chart(run_page())
    by_id = {r["id"]: r for r in rows}
    no_ban = by_id[facts["no_ban"]]
    assert no_ban["negated"] and no_ban["label"].startswith("NOT: ")
    assert no_ban["fill_opacity"] == charts.NEGATED_FILL_OPACITY < min(r["fill_opacity"] for r in rows
                                                                        if not r["negated"])
    layers = {layer.get("name"): layer for layer in spec["layer"]}
    assert layers["tl_negated_bars"]["mark"]["strokeDash"] == charts.NEGATED_DASH
    assert layers["tl_negated_bars"]["transform"] == [{"filter": "!datum.point && datum.negated"}]
    assert "strokeDash" not in layers["tl_bars"]["mark"]
    assert layers["tl_points"]["encoding"]["shape"]["condition"]["value"] == charts.X_SHAPE  # an ✕ point
    params = {p["name"]: p for p in layers["tl_items"]["params"]}
    assert params[charts.SELECTION]["select"] == {"type": "point", "fields": ["id"], "on": "click",
                                                  "clear": "dblclick"}
    for r in rows:  # the click target covers the item (and its label after it)
        assert r["hit_start"] < r["start"] <= r["stop"] < r["hit_stop"] and r["hit_y0"] < r["y"] < r["hit_y1"]
    assert charts.selected_fact(type("Event", (), {"selection": {charts.SELECTION: [{"id": "x"}]}})()) == "x"
    assert charts.selected_fact(type("Event", (), {"selection": {charts.SELECTION: []}})()) is None


def test_timeline_selected_fact_shows_detail_and_sentences(facts: dict[str, str]) -> None:
    at = run_page(fact=facts["conflict"])
    assert at.selectbox(key="tl_fact").value == facts["conflict"]
    shown = texts(at)
    assert CONFLICT_SENTENCE_A in shown and CONFLICT_SENTENCE_B in shown
    assert "1 March 2026" in shown and "exact day" in shown
    assert "allegation · distillation" in shown
    assert [m.value for m in at.metric][:2] == ["90/100", "2"]
    assert qp(at, "fact") == [facts["conflict"]]

    at.selectbox(key="tl_fact").set_value(facts["espionage"]).run()
    shown = texts(at)
    assert "April 2026" in shown and "month only" in shown
    assert qp(at, "fact") == [facts["espionage"]]


# ---------------------------------------------------------------- trace and conflicts


def test_trace_shows_every_sentence_with_source_and_reliability(facts: dict[str, str]) -> None:
    at = run_page(TRACE, fact=facts["conflict"])
    shown = texts(at)
    assert CONFLICT_SENTENCE_A in shown and CONFLICT_SENTENCE_B in shown
    highlighted = [m.value for m in at.markdown if ":orange-background[**" in m.value]
    assert len(highlighted) == 2
    assert "Reuters" in shown and "Associated Press" in shown and "2026-03-02" in shown
    assert "attribution: a named outlet (Reuters)" in shown and "hedging: reportedly" in shown
    assert "reliability 90/100" in shown  # the explanation's last line
    assert "published by Reuters" in shown
    assert "1 conflict(s)" in shown


def test_trace_picker_and_unknown_fact(facts: dict[str, str]) -> None:
    at = run_page(TRACE, fact="no-such-fact")
    assert "No fact with id" in texts(at)
    at.selectbox(key="trace_pick").set_value(facts["range"]).run()
    shown = texts(at)
    assert "10 January 2026 – 15 February 2026" in shown and "range" in shown
    assert qp(at, "fact") == [facts["range"]]


def test_article_html_is_shown_as_text(facts: dict[str, str]) -> None:
    for at in (run_page(TRACE, fact=facts["script"]), run_page(SOURCES, article="appfx-script-cyberattack")):
        raw = "\n".join(m.value for m in at.markdown)
        assert "<script>" in plain(raw)
        assert not re.search(r"(?<!\\)<", raw), "every '<' is escaped for Markdown"
        shown = texts(at)
        assert SCRIPT_PAYLOAD in shown and IMG_PAYLOAD in shown
        assert all(not m.proto.allow_html for m in at.markdown)
        assert not at.get("html")
        assert not [b for b in at.get("link_button") if "javascript" in str(b.proto)]  # no javascript: link
    assert " ".join(SCRIPT_SENTENCE.split()) in texts(run_page(TRACE, fact=facts["script"]))


def test_conflicts_side_by_side(facts: dict[str, str]) -> None:
    at = run_page(CONFLICTS)
    shown = texts(at)
    assert "Side A: 3 March 2026" in shown and "Side B: 1 March 2026" in shown
    assert CONFLICT_SENTENCE_A in shown and CONFLICT_SENTENCE_B in shown
    assert "fact reliability 90/100" in shown
    assert "outlet prior 90" in shown

    one = run_page(CONFLICTS, fact=facts["range"])
    assert "0 conflict(s)" in texts(one)


# ---------------------------------------------------------------- actor, sources


def test_actor_profile(facts: dict[str, str]) -> None:
    at = run_page(ACTOR, actor="kestrel")  # an alias, any case
    assert at.selectbox(key="actor_pick").value == "appfx-kestrel-compute"
    assert qp(at, "actor") == ["Kestrel Compute"]
    shown = texts(at)
    assert "Kestrel Compute" in [plain(h.value) for h in at.header]
    assert "organisation" in shown and "Kestrel Compute Holdings" in shown  # the type in words
    assert any("[Wikidata Q4115189](https://www.wikidata.org/wiki/Q4115189)" in m.value for m in at.markdown)
    tabs = [t.label for t in at.tabs]
    assert "Allegations made (1)" in tabs and "Allegations received (2)" in tabs and "Actions suffered (2)" in tabs
    links = [r for frame in at.dataframe if "other actor" in frame.value.columns
             for r in frame.value.to_dict("records")]  # the neighbourhood graph's text (tests/test_app_graphs.py)
    assert any(r["other actor"] == "Zephyr Labs" and r["their role"] == "accuser" for r in links)
    assert any(r["other actor"] == "Ministry of Digital Trade" and r["their role"] == "issuer" for r in links)
    assert vega_chart(at)[1], "the actor's own timeline"

    at.selectbox(key="actor_pick").set_value("appfx-ivo-marsh").run()
    assert qp(at, "actor") == ["Ivo Marsh"]
    assert "Allegations made (1)" in [t.label for t in at.tabs]


def test_sources_table_chart_and_drilldown(facts: dict[str, str]) -> None:
    at = run_page(SOURCES)
    table = at.dataframe[0].value
    reuters = table[table["outlet"] == "Reuters"].iloc[0]
    assert reuters["prior"] == 90 and reuters["articles"] >= 3 and reuters["registered"]
    assert "Silicon Rumour Mill" in set(table["outlet"])
    spec = plotly_spec(at)
    assert spec["data"][0]["name"].startswith("prior")
    assert "Evil Feed &lt;img src=x oner…" in spec["data"][0]["x"]  # escaped for Plotly, cut to fit
    assert EVIL_OUTLET in set(table["outlet"])  # the table shows it as text

    at.selectbox(key="src_outlet").set_value("unknown").run()
    articles = at.dataframe[1].value
    assert "appfx-nooutlet-no-ban" in set(articles["doc_id"])
    assert qp(at, "outlet") == ["unknown"]

    at.selectbox(key="src_outlet").set_value("reuters").run()
    assert {"appfx-reuters-distillation", "appfx-reuters-entity-list"} <= set(at.dataframe[1].value["doc_id"])

    view = run_page(SOURCES, article="appfx-reuters-distillation")
    shown = texts(view)
    assert CONFLICT_SENTENCE_A in shown and "Facts extracted" in shown


# ---------------------------------------------------------------- search, console, ingest, errors


def test_sources_statistics_come_from_one_query(facts: dict[str, str], graph: Graph,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 19: one statement for every outlet (it was one more per outlet), with the same answers as
    counting each outlet's facts by hand."""
    from kg import queries

    sent: list[str] = []
    real_read = graph.read

    def counting_read(query: Any, params: Any = None) -> list[dict[str, Any]]:
        sent.append(query)
        return real_read(query, params)

    monkeypatch.setattr(graph, "read", counting_read)
    rows = queries.sources(graph)
    monkeypatch.undo()
    assert len(sent) == 1 and len(rows) >= 4
    for r in rows:
        found = real_read("MATCH (o:Outlet {id: $id})<-[:PUBLISHED_BY]-(:Article)<-[:REPORTED_IN]-(:Evidence)"
                          "<-[:HAS_EVIDENCE]-(f:Fact) "
                          "RETURN DISTINCT f.id AS id, f.n_articles AS n, f.reliability AS rel", {"id": r.id})
        assert r.facts == len(found), r
        if found:
            assert r.corroborated_share == pytest.approx(sum(x["n"] > 1 for x in found) / len(found))
            assert r.avg_reliability == pytest.approx(sum(x["rel"] for x in found) / len(found))
        else:
            assert r.corroborated_share is None and r.avg_reliability is None
    reuters = next(r for r in rows if r.name == "Reuters")
    assert reuters.facts >= 2 and reuters.articles >= 3


def test_search_box_finds_actors_and_sentences(facts: dict[str, str]) -> None:
    at = run_page()
    at.text_input(key="global_search").input("ZL Research").run()  # an alias
    links = [(plain(p.proto.label), p.proto.query_string) for p in at.page_link]
    assert any(label.startswith("Zephyr Labs") and "actor=Zephyr" in query for label, query in links)
    at.text_input(key="global_search").input("fraudulent accounts").run()
    links = [(plain(p.proto.label), p.proto.query_string) for p in at.page_link]
    assert any(f"fact={facts['conflict']}" in query for _, query in links)


def test_console_refuses_writes_and_changes_nothing(facts: dict[str, str], graph: Graph) -> None:
    before = count_graph(graph)
    at = run_page(CYPHER)
    for query in ("CREATE (a:Actor {id: 'appfx-console-write', name: 'x'}) RETURN a",
                  "MATCH (a:Actor {id: 'appfx-zephyr-labs'}) SET a.name = 'pwned'",
                  "MATCH (n) DETACH DELETE n"):
        at.text_area(key="cy_query").input(query)
        at.button(key="cy_run").click().run()
        assert not at.exception
        errors = [plain(e.value) for e in at.error]
        assert errors and errors[0].startswith("Refused: read-only console"), errors
    assert count_graph(graph) == before
    assert graph.read("MATCH (a:Actor {id: 'appfx-zephyr-labs'}) RETURN a.name AS name") == [{"name": "Zephyr Labs"}]


def test_console_runs_examples_with_params(facts: dict[str, str]) -> None:
    at = run_page(CYPHER)
    at.button(key="cy_run").click().run()  # the default example: who accused whom, with paths
    rows = at.dataframe[0].value
    assert {"Zephyr Labs", "Republic of Borealia", "Ivo Marsh"} <= set(rows["accuser"])
    nodes = [r for frame in at.dataframe if "node" in frame.value.columns for r in frame.value.to_dict("records")]
    assert any(r["node"] == "Zephyr Labs" for r in nodes)  # the result graph's text

    at.selectbox(key="cy_example").set_value("Timeline of an actor").run()
    at.text_area(key="cy_params").input('{"name": "Kestrel"}')
    at.button(key="cy_run").click().run()
    rows = at.dataframe[0].value
    assert "Kestrel Compute accuses Zephyr Labs of espionage" in set(rows["fact"])
    assert qp(at, "p") == ['{"name": "Kestrel"}']

    at.text_area(key="cy_params").input("{not json")
    at.button(key="cy_run").click().run()
    assert "not valid JSON" in plain(at.error[0].value)

    shared = run_page(CYPHER, q="MATCH (a:Actor {id: $id}) RETURN a.name AS name", p='{"id": "appfx-borealia"}')
    assert not shared.dataframe  # a shared link fills the console; only the visitor's click runs it
    shared.button(key="cy_run").click().run()
    assert list(shared.dataframe[0].value["name"]) == ["Republic of Borealia"]


def test_ingest_page(facts: dict[str, str]) -> None:
    at = run_page(INGEST)
    assert at.get("file_uploader")
    try:
        import ingest.pipeline  # noqa: F401
    except Exception:  # being written by someone else: the page must say so and disable the button
        assert "extraction pipeline cannot be loaded" in texts(at)
        assert at.button(key="ingest_go").disabled
        return
    at.file_uploader(key="ingest_file").set_value(
        ("appfx-upload-note.txt",
         b"Zephyr Labs accused Kestrel Compute of espionage on June 3, 2026, the company said.", "text/plain"))
    at.run()
    at.button(key="ingest_go").click().run()
    assert not at.exception
    shown = texts(at)
    assert "articles:" in shown and "appfx-upload-note" in shown


def test_a_cli_ingest_while_the_app_runs_shows_on_the_next_rerun(facts: dict[str, str], graph: Graph,
                                                                graph_settings: Settings, tmp_path: Path) -> None:
    """Issue 19: the app's caches are keyed on the graph version, so `kg ingest` in another process is on
    the reader's next rerun (before, results were cached for five minutes whatever happened)."""
    import subprocess
    import sys

    from kg.writer import GraphWriter
    from tests.graph_server import kg_env

    at = run_page()
    before = fact_options(at)
    at.run()
    assert fact_options(at) == before  # nothing written: the same answer (from the cache)
    path = tmp_path / "fresh.jsonl"
    sentence = "Kestrel Compute accused Zephyr Labs of smuggling chips on July 2, 2026, the company said."
    path.write_text(json.dumps({"doc_id": "appfx-cli-fresh", "text": f"Chip dispute.\n{sentence}\n"}) + "\n")
    done = subprocess.run([sys.executable, "-m", "kgcli", "ingest", "--quiet", str(path)], env=kg_env(graph_settings),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    try:
        at.run()
        assert not at.exception
        added = [o for o in fact_options(at) if o not in before]
        assert added, "the article ingested from the command line is not on the timeline"
    finally:
        stored = graph.read("MATCH (a:Article {doc_id: 'appfx-cli-fresh'}) RETURN a.id AS id")
        for row in stored:
            GraphWriter(graph).forget(row["id"])
    at.run()
    assert fact_options(at) == before  # and a forget is seen the same way


def test_ingest_helpers() -> None:
    from app.upload import safe_name as _safe_name

    assert _safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert _safe_name("my report (final).HTML") == "my_report_final.html"
    assert _safe_name("<script>.jsonl") == "script.jsonl"


def test_graph_unavailable_is_a_banner_not_a_traceback(facts: dict[str, str], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_DATA_DIR", str(tmp_path / "no-server-here"))
    reset_app_caches()
    try:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
        assert not at.exception
        assert at.error and "graph server is unavailable" in plain(at.error[0].value)
    finally:
        monkeypatch.undo()
        reset_app_caches()


def test_timeline_actor_and_conflicts_pages_have_a_more_button(facts: dict[str, str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Each view shows its first page and a button for the next (kg.queries pages; tiny pages here)."""
    from kg import queries

    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    monkeypatch.setattr(queries, "ACTOR_PAGE_SIZE", 1)
    monkeypatch.setattr(queries, "CONFLICTS_PAGE_SIZE", 1)
    reset_app_caches()
    try:
        at = run_page(TIMELINE)
        assert "Showing the first 2 facts in date order" in texts(at)
        first = [o for o in at.selectbox(key="tl_fact").options]
        at.button(key="tl_more").click().run()
        assert not at.exception
        more = [o for o in at.selectbox(key="tl_fact").options]
        assert len(more) == 4 and more[:2] == first

        at = run_page(ACTOR, actor="kestrel")
        assert "Allegations received (2)" in [t.label for t in at.tabs]  # the total, from the stored counts
        at.button(key="actor_more_ACCUSED").click().run()
        assert not at.exception

        at = run_page(CONFLICTS)
        shown = texts(at)
        assert "the first ones" in shown or not [b for b in at.button if b.key == "cf_more"]
    finally:
        reset_app_caches()
