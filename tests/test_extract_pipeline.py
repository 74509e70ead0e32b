"""The pipeline: streaming with errors passed through in order, per-article failures, the blank
fallback, multiprocessing, the score format and the command line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import ingest.pipeline as pipeline
from ingest.extract_cli import main
from ingest.pipeline import Extractor
from ingest.readers import DocumentError
from ingest.score_format import to_score_record
from ontology.models import ArticleRecord, Extraction
from tests.test_extract_common import article, blank_extractor, extractor

TEXTS = [
    "Anthropic accused Zhipu AI of stealing trade secrets in March 2025.",
    "The Commerce Department added Sugon to the Entity List on May 2, 2025.",
    "Nvidia shares rose 2%, Reuters reported.",
]


def test_extract_many_streams_and_keeps_order_with_errors() -> None:
    items: list[ArticleRecord | DocumentError] = [
             article(TEXTS[0], doc_id="a"), DocumentError("broken.jsonl:2", "not JSON"),
             article(TEXTS[1], doc_id="b"), article(TEXTS[2], doc_id="c"), DocumentError("x", "late error")]
    out = list(extractor().extract_many(iter(items), batch_size=2))
    ids = [o.article.doc_id if isinstance(o, Extraction) else o.doc_id for o in out]
    assert ids == ["a", "broken.jsonl:2", "b", "c", "x"]


def test_one_failing_article_does_not_stop_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    ex = extractor()
    original = ex._extract_doc

    def flaky(doc: object, art: object) -> Extraction:
        if getattr(art, "doc_id", "") == "bad":
            raise RuntimeError("boom")
        return original(doc, art)  # type: ignore[arg-type]

    monkeypatch.setattr(ex, "_extract_doc", flaky)
    out = list(ex.extract_many([article(TEXTS[0], doc_id="ok1"), article(TEXTS[1], doc_id="bad"),
                                article(TEXTS[2], doc_id="ok2")]))
    assert isinstance(out[0], Extraction) and isinstance(out[2], Extraction)
    assert isinstance(out[1], DocumentError) and out[1].doc_id == "bad" and "boom" in out[1].reason


def test_too_long_for_the_model_is_an_error() -> None:
    ex = extractor()
    long = article("word " * (ex.nlp.max_length // 5 + 10), doc_id="long")
    (err,) = list(ex.extract_many([long]))
    assert isinstance(err, DocumentError) and "limit" in err.reason


def test_blank_fallback_works_and_says_so_once(capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "_warned", False)
    ex = Extractor.load("blank")
    Extractor.load("blank")
    err = capsys.readouterr().err
    assert err.count("blank English pipeline") == 1
    assert ex.is_fallback and "parser" not in ex.nlp.pipe_names
    rec = to_score_record(ex.extract(article(
        "In March 2025, the Commerce Department accused Sugon of smuggling chips. Reuters reported it.")))
    assert {"Department of Commerce", "Sugon"} <= {a["name"] for a in rec["actors"]}
    assert [(e["date"], e["end"]) for e in rec["dated_events"]] == [("2025-03", None)]
    assert [a["source"] for a in rec["attributions"]] == ["Reuters"]


def test_missing_model_falls_back(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "_warned", False)
    ex = Extractor.load("no_such_spacy_model_package")
    assert ex.is_fallback
    assert "falling back" in capsys.readouterr().err


def test_environment_variable_forces_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pipeline.FALLBACK_ENV, "1")
    nlp, parsed = pipeline.build_pipeline()
    assert not parsed and "sentencizer" in nlp.pipe_names


def test_blank_extractor_streams_too() -> None:
    out = list(blank_extractor().extract_many([article(t, doc_id=str(i)) for i, t in enumerate(TEXTS)]))
    assert all(isinstance(o, Extraction) for o in out)


def test_two_processes_give_the_same_records() -> None:
    arts = [article(t, doc_id=str(i)) for i, t in enumerate(TEXTS)]
    one = [to_score_record(o) for o in extractor().extract_many(arts, batch_size=1)  # type: ignore[arg-type]
           if isinstance(o, Extraction)]
    two = [to_score_record(o) for o in extractor().extract_many(arts, batch_size=1, n_process=2)  # type: ignore[arg-type]
           if isinstance(o, Extraction)]
    assert one == two and len(one) == 3


def test_score_record_shape() -> None:
    rec = to_score_record(extractor().extract(article(
        "On 4 June, Google accused StepFun of copying Gemini outputs. Chinese AI labs denied it.", doc_id="s")))
    assert set(rec) >= {"doc_id", "actors", "allegations", "actions", "dated_events", "attributions"}
    al = rec["allegations"][0]
    assert al["accuser"] == "Google" and al["accused"] == ["StepFun"] and al["date"] is None  # month_day -> null
    assert al["date_spec"]["value"] == "--06-04"
    for a in rec["actors"]:
        assert a["type"] in {"Organization", "GovernmentBody", "Country", "Person", "AIModel", "Other"}


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"doc_id": "d1", "text": TEXTS[0]}) + "\nnot json\n" +
                 json.dumps({"doc_id": "d2", "text": TEXTS[1]}) + "\n", encoding="utf-8")
    code = main([str(p)])
    out, err = capsys.readouterr()
    lines = [json.loads(x) for x in out.splitlines()]
    assert [x["doc_id"] for x in lines] == ["d1", "d2"]
    assert "in.jsonl:2" in err and "not JSON" in err
    assert code == 1


def test_no_fact_comes_from_the_title_line() -> None:
    title = "Japan adds China's Huawei to export blacklist"
    body = "Japan's trade ministry said on Monday it had added Huawei to its export blacklist."
    e = extractor().extract(ArticleRecord(doc_id="t", title=title, text=f"{title}\n\n{body}",
                                          published=date(2025, 6, 2)))
    rec = to_score_record(e)
    assert {a["evidence"] for a in rec["actions"]} == {body}
    assert all(ev["evidence"] != title for ev in rec["dated_events"])
    # without a title on the record the first line is body text like any other
    first = "Japan has added Huawei to its export blacklist."
    e = extractor().extract(ArticleRecord(doc_id="t", text=f"{first}\n\n{body}", published=date(2025, 6, 2)))
    assert first in {a["evidence"] for a in to_score_record(e)["actions"]}
    e = extractor().extract(ArticleRecord(doc_id="t", title=first, text=f"{first}\n\n{body}",
                                          published=date(2025, 6, 2)))
    assert first not in {a["evidence"] for a in to_score_record(e)["actions"]}
