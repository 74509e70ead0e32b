"""History, not replacement: every fetched version of an article is kept, with what it reported.

The live graph holds the current version of each article (a corrected article replaces the old one's
evidence, kg/writer.py). Beside it, each version that live intake fetched (an ArticleRecord with `fetched_at`)
becomes an ArticleVersion node: its text's hash, when it was fetched, when a later version superseded it, and
the facts it reported with the dates it gave them. A new version of the same source (URL) supersedes the
current one, links to it (REVISION_OF), and a Correction node says what changed ("date of <fact>: 24 June 2026
→ 10 June 2026"). The "as of" reads in kg/queries.py answer from these nodes alone, so they stay true after the
live graph has moved on. Documents given as files carry no fetch time and keep the replace-in-place behaviour.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import neo4j

from kg.cypher import history as hq
from kg.dates import display
from kg.facts import ArticleRows
from ontology.models import Extraction, stable_id


def instant(value: datetime | date | str) -> str:
    """A point in time as the history stores it: ISO 8601 UTC with microseconds and `Z` (compares as text).
    A date alone means the end of that day (UTC): "as of 26 June" includes what was fetched on the 26th."""
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.max, tzinfo=UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class FetchedArticle:
    """One article the writer stored (new or replacing) that live intake fetched, with its graph rows."""

    extraction: Extraction
    source_key: str
    rows: ArticleRows
    outlet: str | None


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str

    def text(self) -> str:
        return f"{self.field}: {self.before or '(none)'} → {self.after or '(none)'}"


def _date_text(value: str) -> str:
    """"2026-06-24" → "24 June 2026"; several dates (one per sentence) each so; "" stays ""."""
    return " / ".join(display(v) for v in value.split(" / ")) if value else ""


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """What a reader of both versions would call a correction: the title, the publication date, the date given
    for a fact, and facts reported or no longer reported. Anything else is "text edited"."""
    out: list[Change] = []
    for name in ("title", "published"):
        before, after = old.get(name) or "", new.get(name) or ""
        if before != after:
            out.append(Change(name, _date_text(before) if name == "published" else before,
                              _date_text(after) if name == "published" else after))
    before_facts = dict(zip(old.get("fact_ids") or [], zip(old.get("fact_titles") or [], old.get("fact_dates") or [],
                                                           strict=True), strict=True))
    after_facts = dict(zip(new["fact_ids"], zip(new["fact_titles"], new["fact_dates"], strict=True), strict=True))
    for fact_id, (title, when) in after_facts.items():
        if fact_id not in before_facts:
            out.append(Change("reported", "", title))
        elif before_facts[fact_id][1] != when:
            out.append(Change(f"date of {title}", _date_text(before_facts[fact_id][1]), _date_text(when)))
    for fact_id, (title, _) in before_facts.items():
        if fact_id not in after_facts:
            out.append(Change("reported", title, ""))
    return out or [Change("text", "edited", "edited")]


def _reported(item: FetchedArticle, titles: dict[str, tuple[str, str]]) -> dict[str, list[str]]:
    """The version's facts as parallel lists, in fact-id order: id, title, type and the date(s) the article
    gives (several sentences may give several; joined)."""
    dates: dict[str, set[str]] = defaultdict(set)
    for row in item.rows.evidence:
        dates.setdefault(row["fact_id"], set())  # a fact reported without a date is still listed
        value = row["props"].get("date_value")
        if value:
            dates[row["fact_id"]].add(value)
    ids = sorted(f for f in dates if f in titles)  # a fact whose evidence all fell away is not listed
    return {"fact_ids": ids, "fact_titles": [titles[f][0] for f in ids], "fact_types": [titles[f][1] for f in ids],
            "fact_dates": [" / ".join(sorted(dates[f])) for f in ids]}


def record_versions(tx: neo4j.ManagedTransaction, items: list[FetchedArticle]) -> None:
    """In the writer's transaction, after the articles and their facts are written: a version per article, and
    for a source that already had one, the old version superseded and a correction saying what changed."""
    fact_ids = sorted({row["fact_id"] for item in items for row in item.rows.evidence})
    titles = {r["id"]: (r["title"] or "", r["fact_type"] or "") for r in tx.run(hq.FACT_TITLES_CYPHER, ids=fact_ids)}
    current: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in tx.run(hq.CURRENT_VERSIONS_CYPHER, keys=sorted({item.source_key for item in items})).data():
        current[r["source_key"]].append(r)
    versions, supersede, corrections = [], [], []
    for item in items:
        art = item.extraction.article
        assert art.fetched_at is not None  # only fetched articles are given
        at = instant(art.fetched_at)
        version_id = stable_id("ArticleVersion", item.source_key, art.id, at)
        props = {"source_key": item.source_key, "article_id": art.id, "doc_id": art.doc_id, "url": art.url,
                 "title": art.title, "published": art.published.isoformat() if art.published else None,
                 "outlet": item.outlet, "fetched_at": at, "superseded_at": None, **_reported(item, titles)}
        versions.append({"id": version_id, "props": props})
        for old in current.get(item.source_key, []):
            if old["id"] == version_id:
                continue
            supersede.append({"old_id": old["id"], "new_id": version_id, "at": at})
            found = changes(old, props)
            corrections.append({"id": stable_id("Correction", old["id"], version_id), "old_id": old["id"], "props": {
                "source_key": item.source_key, "url": art.url, "doc_id": art.doc_id, "at": at,
                "to_version": version_id, "fields": [c.field for c in found], "before": [c.before for c in found],
                "after": [c.after for c in found], "changes": [c.text() for c in found],
                "summary": f"changed on {at[:10]}: " + "; ".join(c.text() for c in found)}})
    tx.run(hq.UPSERT_VERSIONS_CYPHER, rows=versions).consume()
    if supersede:
        tx.run(hq.SUPERSEDE_VERSIONS_CYPHER, rows=supersede).consume()
    if corrections:
        tx.run(hq.UPSERT_CORRECTIONS_CYPHER, rows=corrections).consume()


def end_versions(tx: neo4j.ManagedTransaction, article_id: str, when: datetime | None = None) -> None:
    """A forgotten article stops holding from now on; what it said before stays in the history."""
    tx.run(hq.END_ARTICLE_VERSIONS_CYPHER, article_id=article_id, at=instant(when or datetime.now(UTC))).consume()
