"""Shared helpers for the extraction tests: one spaCy pipeline per test session, loaded lazily.

Every sentence in the test_extract_* modules is written for the tests (none is copied from the
sample articles), so a pass means the rule generalises beyond the dev set.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from ingest.pipeline import Extractor
from ingest.score_format import to_score_record
from ontology.models import ArticleRecord, Extraction


@cache
def extractor() -> Extractor:
    """The full pipeline, loaded once per session (every test module shares it)."""
    return Extractor.load()


@cache
def blank_extractor() -> Extractor:
    return Extractor.load("blank")


def article(text: str, published: date | None = None, doc_id: str = "t") -> ArticleRecord:
    return ArticleRecord(doc_id=doc_id, text=text, published=published)


def extract(text: str, published: date | None = None) -> Extraction:
    return extractor().extract(article(text, published))


def record(text: str, published: date | None = None) -> dict[str, Any]:
    """The score-format record: actor names instead of ids."""
    return to_score_record(extract(text, published))


def pairs(rec: dict[str, Any], field: str) -> set[tuple[str, str]]:
    head, tails = ("accuser", "accused") if field == "allegations" else ("issuer", "targets")
    return {(it[head], t) for it in rec[field] for t in (it[tails] or [""])}


def actor_names(rec: dict[str, Any]) -> set[str]:
    return {a["name"] for a in rec["actors"]}


def test_the_shared_pipeline_has_a_parser() -> None:
    ex = extractor()
    assert ex.parsed and not ex.is_fallback
    assert "aigeo_gazetteer" in ex.nlp.pipe_names and "aigeo_sentence_hints" in ex.nlp.pipe_names
