"""The query layer: typed answers for the app, the CLI and researchers. All reads, all parameterised.

One module (about 450 lines) on purpose: it is the whole read API the app and the CLI may use (the import
contracts name `kg.queries`), so its answer models and functions stay together.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from kg import cypher as q
from kg.cypher import history as hq
from kg.cypher import links as lq
from kg.dates import display
from kg.db import Graph
from kg.history import instant
from kg.readonly import CypherResult, run_read_only
from ontology.models import ArticleRecord, Extraction


class FactItem(BaseModel):
    id: str
    fact_type: str
    kind: str | None = None
    kinds: list[str] = Field(default_factory=list)
    title: str | None = None
    status: str | None = None
    negated: bool | None = None
    date_value: str | None = None
    date_end: str | None = None
    date_precision: str | None = None
    date_qualifier: str | None = None
    date_start: str | None = None
    date_stop: str | None = None
    date_display: str | None = None
    reliability: float | None = None
    n_articles: int = 0
    n_evidence: int = 0
    n_conflicts: int = 0
    independent_reports: int | None = None
    actor_names: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    role: str | None = None  # in an actor profile: the actor's role in this fact
    verdict: str | None = None  # a curator's: rejected or confirmed (JudgementKind); None when nobody judged it
    verdict_by: str | None = None
    verdict_note: str | None = None


class ActorSummary(BaseModel):
    id: str
    name: str
    type: str
    aliases: list[str] = Field(default_factory=list)
    articles: int = 0


class Neighbour(BaseModel):
    fact_id: str
    fact_type: str
    kind: str | None
    role_of_actor: str
    role_of_other: str
    other_id: str
    other_name: str
    other_type: str | None


class ActorProfile(ActorSummary):
    source: str | None = None
    merged: list[str] = Field(default_factory=list)  # ids of the actors a curator merged into this one
    wikidata: list[str] = Field(default_factory=list)  # Wikidata QIDs: its own first, then its merged actors'
    allegations_made: list[FactItem] = Field(default_factory=list)
    allegations_received: list[FactItem] = Field(default_factory=list)
    actions_issued: list[FactItem] = Field(default_factory=list)
    actions_suffered: list[FactItem] = Field(default_factory=list)
    events: list[FactItem] = Field(default_factory=list)
    co_mentioned: list[ActorSummary] = Field(default_factory=list)
    neighbourhood: list[Neighbour] = Field(default_factory=list)

    @property
    def timeline(self) -> list[FactItem]:
        seen: dict[str, FactItem] = {}
        for f in [*self.allegations_made, *self.allegations_received, *self.actions_issued,
                  *self.actions_suffered, *self.events]:
            seen.setdefault(f.id, f)
        return sorted(seen.values(), key=lambda f: (f.date_start or "9999", f.id))


class EvidenceItem(BaseModel):
    evidence_id: str
    sentence: str
    start: int
    end: int
    article_id: str
    doc_id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    outlet_prior: float | None = None
    cited: list[str] = Field(default_factory=list)
    attributions: list[str] = Field(default_factory=list)
    attribution_kind: str | None = None
    hedges: list[str] = Field(default_factory=list)
    pattern: str | None = None  # the extraction rule or model that found it
    kind: str | None = None
    status: str | None = None
    status_cues: list[str] = Field(default_factory=list)
    negated: bool | None = None
    date_value: str | None = None
    date_end: str | None = None
    date_text: str | None = None
    figures: list[dict[str, Any]] = Field(default_factory=list)
    context_before: str = ""
    context_after: str = ""


class ConflictItem(BaseModel):
    id: str
    fact_id: str
    fact_title: str | None
    fact_reliability: float | None
    field: str
    value_a: str
    value_b: str
    note: str | None
    a: EvidenceItem
    b: EvidenceItem


class FactRole(BaseModel):
    """An actor of a fact and its role (the relationship type: ACCUSER, ACCUSED, ISSUER, TARGET, INVOLVES)."""

    role: str
    id: str
    name: str
    type: str | None = None


class Trace(BaseModel):
    fact: FactItem
    reliability_explanation: list[str] = Field(default_factory=list)
    evidence: list[EvidenceItem] = Field(default_factory=list)
    conflicts: list[ConflictItem] = Field(default_factory=list)
    roles: list[FactRole] = Field(default_factory=list)


class SourceSummary(BaseModel):
    id: str
    name: str
    prior: float | None
    prior_note: str | None = None
    kind: str | None = None
    known: bool | None = None
    articles: int = 0
    citations: int = 0
    facts: int = 0
    corroborated_share: float | None = None
    avg_reliability: float | None = None


class ArticleSummary(BaseModel):
    id: str
    doc_id: str | None
    title: str | None
    url: str | None
    published: str | None
    evidence: int = 0
    facts: int = 0
    corroborated_share: float | None = None
    avg_reliability: float | None = None


class ArticleView(BaseModel):
    id: str
    doc_id: str | None
    title: str | None
    url: str | None
    published: str | None
    outlet: str | None
    text: str
    facts: list[FactItem] = Field(default_factory=list)
    actors: list[ActorSummary] = Field(default_factory=list)


class EvidenceHit(BaseModel):
    fact_id: str
    title: str | None
    fact_type: str
    sentence: str
    doc_id: str | None


def _iso(d: date | str | None) -> str | None:
    return d.isoformat() if isinstance(d, date) else d


def _fact(row: dict[str, Any], **extra: Any) -> FactItem:
    data = {k: v for k, v in row.items() if v is not None and k != "reliability_explanation"}
    return FactItem(**data, **extra)


def _attach_sources(graph: Graph, facts: list[FactItem]) -> list[FactItem]:
    """Sources are stored on each fact when it is written; a fact written without them (a graph imported
    from RDF) gets them from its evidence."""
    missing = [f for f in facts if not f.sources]
    if not missing:
        return facts
    by_id = {r["fact_id"]: r["sources"] for r in graph.read(q.FACT_OUTLETS_CYPHER, {"ids": [f.id for f in missing]})}
    for f in missing:
        f.sources = sorted(s for s in by_id.get(f.id, []) if s)
    return facts


def graph_version(graph: Graph) -> int:
    """A number every write to the graph advances (in the write's own transaction): equal versions, equal
    answers, so a reader may key its caches on it. 0 for a graph never written."""
    rows = graph.read(q.GRAPH_VERSION_CYPHER)
    return int(rows[0]["version"] or 0) if rows else 0


# ---------------------------------------------------------------- actors


def resolve_actor(graph: Graph, name_or_alias: str, canonical: bool = True) -> str | None:
    """The id of the actor with this id, name or alias (case-insensitive): the actor a curator merged it into,
    unless `canonical` is false."""
    key = name_or_alias.strip()
    if not key:
        return None
    rows = graph.read(q.RESOLVE_ACTOR_CYPHER, {"key": key, "lower": key.lower()})
    if not rows:
        return None
    ids = sorted({str(r["id"]) for r in rows}, key=lambda i: (i != key, i))  # an exact id first
    if not canonical:
        return ids[0]
    found = graph.read(q.CANONICAL_ACTOR_CYPHER, {"id": ids[0]})
    return str(found[0]["id"]) if found else ids[0]


def merged_actors(graph: Graph, actor_ids: list[str]) -> list[str]:
    """The ids of the actors a curator merged into these."""
    return sorted({str(r["id"]) for r in graph.read(q.MERGED_ACTORS_CYPHER, {"ids": actor_ids})})


def resolve_actors(graph: Graph, names: list[str]) -> list[str]:
    ids = [resolve_actor(graph, n) for n in names]
    return [i for i in ids if i]


def find_actors(graph: Graph, text: str = "", limit: int = 50) -> list[ActorSummary]:
    rows = graph.read(q.FIND_ACTORS_CYPHER, {"text": text.strip().lower(), "limit": limit})
    return [ActorSummary(**{k: v for k, v in r.items() if v is not None}) for r in rows]


CO_MENTION_WINDOW = 1000  # co-mentions are counted in the actor's latest 1,000 articles


def actor(graph: Graph, name_or_alias: str, limit: int = 500, include_rejected: bool = False) -> ActorProfile | None:
    """An actor's page: its facts by role (those a curator rejected only with `include_rejected`), who it is
    named with, its neighbourhood; an actor merged into another is that actor's page, with both's aliases."""
    actor_id = resolve_actor(graph, name_or_alias)
    if actor_id is None:
        return None
    rows = graph.read(q.ACTOR_CYPHER, {"id": actor_id})
    if not rows:
        return None
    row = dict(rows[0])
    own = row.get("aliases") or []
    row["aliases"] = [*own, *sorted({x for x in row.pop("member_aliases") or [] if x not in own and x != row["name"]})]
    profile = ActorProfile(**{k: v for k, v in row.items() if v is not None})
    facts = graph.read(q.ACTOR_FACTS_CYPHER, {"id": actor_id, "limit": limit, "include_rejected": include_rejected})
    items = _attach_sources(graph, [_fact(r["fact"], role=r["role"]) for r in facts])
    buckets = {
        "ACCUSER": profile.allegations_made,
        "ACCUSED": profile.allegations_received,
        "ISSUER": profile.actions_issued,
        "TARGET": profile.actions_suffered,
        "INVOLVES": profile.events,
    }
    for item in items:
        if item.role in buckets:
            buckets[item.role].append(item)
    profile.co_mentioned = [ActorSummary(**{k: v for k, v in r.items() if v is not None})
                            for r in graph.read(q.CO_MENTIONED_CYPHER,
                                                {"id": actor_id, "limit": 25, "recent": CO_MENTION_WINDOW})]
    profile.neighbourhood = [Neighbour(**r) for r in graph.read(q.NEIGHBOURHOOD_CYPHER, {"id": actor_id, "limit": 200})]
    return profile


# ---------------------------------------------------------------- timeline


def timeline(
    graph: Graph,
    actors: list[str] | None = None,
    kinds: list[str] | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_reliability: float | None = None,
    outlets: list[str] | None = None,
    fact_types: list[str] | None = None,
    limit: int = 1000,
    include_rejected: bool = False,
) -> list[FactItem]:
    """Facts in date order (undated last), with precision and the outlets behind each; facts a curator rejected
    only with `include_rejected` (their `verdict` says so)."""
    params: dict[str, Any] = {
        "include_rejected": include_rejected,
        "kinds": kinds or None,
        "since": _iso(since),
        "until": _iso(until),
        "min_reliability": min_reliability,
        "outlet_ids": outlets or None,
        "fact_types": fact_types or None,
        "limit": limit,
    }
    if actors:
        ids = resolve_actors(graph, actors)
        if not ids:
            return []
        rows = graph.read(q.TIMELINE_BY_ACTOR_CYPHER, {**params, "actor_ids": ids})
        role_ids = {r["fact"]["id"] for r in rows}
        # Facts whose sentences name the actor without giving it a role ("two days after X reported ...").
        named = sorted(set(ids) | set(merged_actors(graph, ids)))  # sentences name an actor by any of its names
        rows += [{"fact": {**r["fact"], "role": "MENTIONED"}}
                 for r in graph.read(q.TIMELINE_BY_MENTION_CYPHER, {**params, "actor_ids": named})
                 if r["fact"]["id"] not in role_ids]
    else:
        rows = graph.read(q.TIMELINE_CYPHER, params)
    facts = [_fact(r["fact"]) for r in rows]
    facts.sort(key=lambda f: (f.date_start is None, f.date_start or "", f.date_value or "", f.id))
    return _attach_sources(graph, facts[:limit])  # role and mention facts merged in date order, then cut


def kinds(graph: Graph) -> list[dict[str, Any]]:
    return graph.read(q.KINDS_CYPHER)


def date_range(graph: Graph) -> tuple[str | None, str | None]:
    rows = graph.read(q.DATE_RANGE_CYPHER)
    return (rows[0]["first"], rows[0]["last"]) if rows else (None, None)


# ---------------------------------------------------------------- trace and conflicts


def _evidence(row: dict[str, Any], text: str | None = None, context: int = 240) -> EvidenceItem:
    e = dict(row.get("evidence") or {})
    figures = e.get("figures")
    before = after = ""
    if text:
        before = text[max(0, int(e["start"]) - context): int(e["start"])]
        after = text[int(e["end"]): int(e["end"]) + context]
    return EvidenceItem(
        evidence_id=e["id"], sentence=e["sentence"], start=e["start"], end=e["end"],
        article_id=str(row.get("article_id") or e.get("article_id") or ""), doc_id=row.get("doc_id") or e.get("doc_id"),
        title=row.get("title"), url=row.get("url"), published=_iso(row.get("published")),
        outlet=row.get("outlet"), outlet_prior=row.get("outlet_prior"), cited=list(row.get("cited") or []),
        attributions=list(e.get("attributions") or []), attribution_kind=e.get("attribution_kind"),
        hedges=list(e.get("hedges") or []), pattern=e.get("pattern"), kind=e.get("kind"), status=e.get("status"),
        status_cues=list(e.get("status_cues") or []), negated=e.get("negated"), date_value=e.get("date_value"),
        date_end=e.get("date_end"), date_text=e.get("date_text"),
        figures=json.loads(figures) if isinstance(figures, str) and figures else [],
        context_before=before, context_after=after,
    )


def trace(graph: Graph, fact_id: str) -> Trace | None:
    """Every article and sentence behind one fact, with outlet, attribution, hedging and conflicts."""
    rows = graph.read(q.TRACE_FACT_CYPHER, {"id": fact_id})
    if not rows:
        return None
    raw = rows[0]["fact"]
    explanation = raw.get("reliability_explanation")
    fact = _attach_sources(graph, [_fact(raw)])[0]
    ev_rows = graph.read(q.TRACE_EVIDENCE_CYPHER, {"id": fact_id})
    texts = {r["id"]: r["text"] for r in graph.read(
        q.ARTICLE_TEXTS_CYPHER, {"ids": sorted({r["article_id"] for r in ev_rows})})}
    return Trace(
        fact=fact,
        reliability_explanation=json.loads(explanation) if isinstance(explanation, str) else [],
        evidence=[_evidence(r, texts.get(r["article_id"])) for r in ev_rows],
        conflicts=conflicts(graph, fact_id=fact_id),
        roles=[FactRole(**r) for r in graph.read(q.TRACE_ROLES_CYPHER, {"id": fact_id})],
    )


STORY_LIMIT = 300  # slides: TimelineJS draws every slide's marker; beyond a few hundred it is no longer readable


def story(graph: Graph, facts: list[FactItem] | list[dict[str, Any]], title: str = "AI geopolitics timeline",
          subtitle: str | None = None, limit: int = STORY_LIMIT) -> dict[str, Any]:
    """The TimelineJS document (kg/export/timelinejs.py, the export's own slides) of facts a timeline query
    returned, in their order: the first `limit` with a year, each with the sentences behind it, read in one
    query for all of them."""
    from kg.export.timelinejs import QUOTES_PER_SLIDE, Quote
    from kg.export.timelinejs import story as story_document

    rows = [f.model_dump(mode="json") if isinstance(f, FactItem) else dict(f) for f in facts]
    dated = [f for f in rows if f.get("date_value") and not str(f["date_value"]).startswith("--")]
    kept = dated[:limit]
    quotes: dict[str, list[Quote]] = {}
    articles: set[str] = set()
    for r in graph.read(q.STORY_QUOTES_CYPHER, {"ids": [f["id"] for f in kept]}):
        articles.add(str(r["doc_id"]))
        found = quotes.setdefault(r["fact_id"], [])
        if len(found) < QUOTES_PER_SLIDE:
            where = ", ".join(str(x) for x in (r["outlet"] or r["outlet_as_written"], r["published"], r["doc_id"])
                              if x)
            found.append(Quote(str(r["sentence"]), where))
    dated_ids = {f["id"] for f in dated}
    undated = [f for f in rows if f["id"] not in dated_ids]  # no slide; the title slide counts them
    note = [subtitle or ""]
    if len(dated) > limit:
        note.append(f"the first {limit} of {len(dated)} dated facts")
    return story_document(kept + undated, quotes, len(articles), title=title,
                          subtitle="; ".join(x for x in note if x) or None)


def conflicts(graph: Graph, fact_id: str | None = None, limit: int = 500) -> list[ConflictItem]:
    """Disagreeing reports, side by side: one fact's, or every fact's (in fact id order, up to limit)."""
    if fact_id is not None:
        fact_ids = [fact_id]
    else:
        # Each fact knows how many conflicts it has (an indexed property): take facts until limit is filled.
        fact_ids, total = [], 0
        for r in graph.read(q.CONFLICTED_FACTS_CYPHER):
            if total >= limit:
                break
            fact_ids.append(r["id"])
            total += int(r["n"] or 0)
    if not fact_ids:
        return []
    out = []
    for r in graph.read(q.CONFLICTS_CYPHER, {"fact_ids": fact_ids, "limit": limit}):
        side = {}
        for s in ("a", "b"):
            side[s] = _evidence({"evidence": r[f"evidence_{s}"], "article_id": r[f"article_{s}"],
                                 "doc_id": r[f"doc_{s}"], "title": r[f"title_{s}"],
                                 "published": r[f"published_{s}"], "outlet": r[f"outlet_{s}"]})
        out.append(ConflictItem(
            id=r["id"], fact_id=r["fact_id"], fact_title=r["fact_title"], fact_reliability=r["fact_reliability"],
            field=r["field"], value_a=r["value_a"], value_b=r["value_b"], note=r["note"], a=side["a"], b=side["b"],
        ))
    return out


# ---------------------------------------------------------------- sources and articles


def _article_stats(graph: Graph, rows: list[dict[str, Any]]) -> list[ArticleSummary]:
    stats = {r["id"]: r for r in graph.read(q.ARTICLE_FACT_STATS_CYPHER,
                                            {"ids": [r["id"] for r in rows], "include_rejected": False})}
    out = []
    for r in rows:
        s = stats.get(r["id"], {})
        facts = int(s.get("facts") or 0)
        out.append(ArticleSummary(
            id=r["id"], doc_id=r["doc_id"], title=r["title"], url=r["url"], published=_iso(r["published"]),
            evidence=int(r["evidence"] or 0), facts=facts,
            corroborated_share=(s.get("corroborated") or 0) / facts if facts else None,
            avg_reliability=s.get("avg_reliability"),
        ))
    return out


def sources(graph: Graph, include_unused: bool = False, include_rejected: bool = False) -> list[SourceSummary]:
    """Outlets with their prior, article and citation counts, corroboration and average reliability (over the
    facts no curator rejected, unless `include_rejected`)."""
    out = []
    params = {"include_unused": include_unused, "include_rejected": include_rejected}
    for r in graph.read(q.SOURCES_CYPHER, params):  # one query for every outlet
        corroborated = r.pop("corroborated") or 0
        summary = SourceSummary(**{k: v for k, v in r.items() if v is not None})
        if summary.facts:
            summary.corroborated_share = corroborated / summary.facts
        else:
            summary.avg_reliability = None
        out.append(summary)
    return out


def publishing_outlets(graph: Graph) -> list[dict[str, Any]]:
    """Outlets that published at least one stored article (id, name, prior): what a filter offers, without the
    per-outlet statistics `sources` computes."""
    return [{"id": r["id"], "name": r["name"], "prior": r["prior"]} for r in graph.read(q.PUBLISHING_OUTLETS_CYPHER)]


def outlet_articles(graph: Graph, outlet_id: str | None, limit: int = 200) -> list[ArticleSummary]:
    """Articles of one outlet; with outlet_id None, the articles whose outlet is unknown."""
    if outlet_id is None:
        rows = graph.read(q.UNPUBLISHED_ARTICLES_CYPHER, {"limit": limit})
    else:
        rows = graph.read(q.OUTLET_ARTICLES_CYPHER, {"id": outlet_id, "limit": limit})
    return _article_stats(graph, rows)


def article(graph: Graph, key: str, include_rejected: bool = False) -> ArticleView | None:
    rows = graph.read(q.ARTICLE_CYPHER, {"key": key})
    if not rows:
        return None
    r = rows[0]
    view = ArticleView(id=r["id"], doc_id=r["doc_id"], title=r["title"], url=r["url"],
                       published=_iso(r["published"]), outlet=r["outlet"], text=r["text"] or "")
    view.facts = sorted((_fact(x["fact"]) for x in graph.read(q.ARTICLE_FACTS_VIEW_CYPHER,
                                                              {"id": view.id, "include_rejected": include_rejected})),
                        key=lambda f: (f.date_start or "9999", f.id))
    view.actors = [ActorSummary(**{k: v for k, v in x.items() if v is not None})
                   for x in graph.read(q.ARTICLE_ACTORS_VIEW_CYPHER, {"id": view.id})]
    return view


def search_evidence(graph: Graph, text: str, limit: int = 50) -> list[EvidenceHit]:
    text = text.strip().lower()
    if not text:
        return []
    return [EvidenceHit(**r) for r in graph.read(q.SEARCH_EVIDENCE_CYPHER, {"text": text, "limit": limit})]


def cypher(graph: Graph, query: str, params: dict[str, Any] | None = None, timeout_s: float | None = None,
           row_limit: int | None = None) -> CypherResult:
    """A researcher's query, read-only, with a timeout and a row limit (defaults from settings)."""
    from kg.settings import get_settings

    settings = get_settings()
    return run_read_only(graph, query, params, timeout_s=timeout_s or settings.query_timeout_s,
                         row_limit=row_limit or settings.query_row_limit)


def stored_versions(graph: Graph, articles: list[ArticleRecord]) -> tuple[dict[str, set[str]], dict[str, str]]:
    """For articles about to be written: (article id -> ids of the stored articles it matches, by the same
    text or the writer's source key, i.e. what an ingest would replace), and article id -> source key."""
    from kg.writer import source_key

    keys = {a.id: source_key(Extraction(article=a)) for a in articles}
    found: dict[str, set[str]] = {}
    if keys:
        rows = graph.read(q.FIND_ARTICLES_CYPHER, {"keys": [{"id": k, "source_key": v} for k, v in keys.items()]})
        for row in rows:
            found.setdefault(row["key_id"], set()).add(row["id"])
    return found, keys


# ---------------------------------------------------------------- history (kg/history.py): as reported, as of


class AsOfReport(BaseModel):
    """One article version's report of a fact, as it stood."""

    doc_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    fetched_at: str
    date: str | None = None  # the date this version gave the fact


class AsOfFact(BaseModel):
    id: str
    title: str | None = None
    fact_type: str | None = None
    dates: list[str] = Field(default_factory=list)  # distinct dates the reports gave, in order of first report
    reports: list[AsOfReport] = Field(default_factory=list)


class CorrectionItem(BaseModel):
    id: str
    at: str
    summary: str
    changes: list[str] = Field(default_factory=list)
    fields: list[str] = Field(default_factory=list)
    before: list[str] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list)
    from_version: str
    to_version: str


class VersionItem(BaseModel):
    id: str
    article_id: str
    doc_id: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    fetched_at: str
    superseded_at: str | None = None
    facts: list[str] = Field(default_factory=list)  # "title (date)" as this version reported them


class ArticleHistory(BaseModel):
    versions: list[VersionItem] = Field(default_factory=list)
    corrections: list[CorrectionItem] = Field(default_factory=list)


class Reporting(BaseModel):
    """Who reported a fact first, when, and who repeated it (from the fetched versions)."""

    fact_id: str
    first: AsOfReport | None = None
    repeated_by: list[AsOfReport] = Field(default_factory=list)
    last_reported_at: str | None = None

    def line(self) -> str:
        if self.first is None:
            return "no fetched article reports it"
        who = self.first.outlet or self.first.url or self.first.doc_id
        text = f"first reported by {who} on {self.first.published or self.first.fetched_at[:10]}"
        others = list(dict.fromkeys(r.outlet or r.url or r.doc_id or "?" for r in self.repeated_by))
        return text + (f", then repeated by {', '.join(others)}" if others else "")


def as_of(graph: Graph, when: datetime | date | str) -> list[AsOfFact]:
    """The facts as the fetched articles reported them at `when` (a date means the end of that day, UTC): the
    versions fetched by then and not yet superseded, each fact with the dates they gave it."""
    facts: dict[str, AsOfFact] = {}
    for r in graph.read(hq.AS_OF_CYPHER, {"at": instant(when)}):
        fact = facts.setdefault(r["fact_id"], AsOfFact(id=r["fact_id"], title=r["title"], fact_type=r["fact_type"]))
        fact.reports.append(AsOfReport(doc_id=r["doc_id"], url=r["url"], outlet=r["outlet"], published=r["published"],
                                       fetched_at=r["fetched_at"], date=r["date"] or None))
        if r["date"] and r["date"] not in fact.dates:
            fact.dates.append(r["date"])
    return sorted(facts.values(), key=lambda f: (f.title or "", f.id))


def fetch_span(graph: Graph) -> tuple[str | None, str | None]:
    """The first and last fetch time of any article version (ISO 8601 UTC), or (None, None)."""
    rows = graph.read(hq.FETCH_SPAN_CYPHER)
    return (rows[0]["first"], rows[0]["last"]) if rows else (None, None)


def as_of_timeline(graph: Graph, when: datetime | date | str, fact_types: list[str] | None = None) -> list[FactItem]:
    """`as_of` as timeline rows: each fact as the versions holding at `when` reported it, dated by the date they
    gave it (the finest with a year, the most reported on a tie), with the articles and outlets behind it then.
    What the versions do not keep (reliability, kind, status, actors) is left empty: it is today's, not then's."""
    from kg.dates import bounds, spec_from_props
    from kg.facts import choose_date

    out = []
    for f in as_of(graph, when):
        if fact_types and f.fact_type not in fact_types:
            continue
        values = [v for r in f.reports for v in (r.date or "").split(" / ") if v]
        chosen = choose_date([{"date_value": v} for v in values])
        spec = spec_from_props(chosen["date_value"]) if chosen else None
        start, stop = bounds(spec)
        articles = {r.url or r.doc_id for r in f.reports}
        out.append(FactItem(id=f.id, fact_type=f.fact_type or "Event", title=f.title,
                            date_value=spec.value if spec else None,
                            date_precision=spec.precision.value if spec else None, date_start=start, date_stop=stop,
                            date_display=display(spec.value) if spec else "undated", n_articles=len(articles),
                            n_evidence=len(f.reports),
                            sources=sorted({r.outlet or f"unknown outlet ({r.doc_id})" for r in f.reports})))
    out.sort(key=lambda x: (x.date_start is None, x.date_start or "", x.date_value or "", x.id))
    return out


def article_history(graph: Graph, key: str) -> ArticleHistory:
    """Every fetched version of an article (by URL, doc_id or source key), oldest first, and its corrections."""
    rows = graph.read(hq.ARTICLE_VERSIONS_CYPHER, {"key": key})
    versions = [VersionItem(id=r["id"], article_id=r["article_id"], doc_id=r["doc_id"], url=r["url"],
                            title=r["title"], published=r["published"], fetched_at=r["fetched_at"],
                            superseded_at=r["superseded_at"],
                            facts=[f"{t} ({d})" if d else t for t, d in zip(r["fact_titles"] or [],
                                                                             r["fact_dates"] or [], strict=True)])
                for r in rows]
    keys = sorted({r["source_key"] for r in rows})
    corrections = [CorrectionItem(**r) for r in graph.read(hq.CORRECTIONS_CYPHER, {"keys": keys})] if keys else []
    return ArticleHistory(versions=versions, corrections=corrections)


def reporting(graph: Graph, fact_id: str) -> Reporting:
    """Who reported the fact first (earliest publication date, then earliest fetch) and who repeated it; one
    entry per article, its first version that reports the fact."""
    first_seen: dict[str, AsOfReport] = {}
    last = None
    for r in graph.read(hq.FACT_REPORTS_CYPHER, {"fact_id": fact_id}):
        key = r["url"] or r["doc_id"]
        first_seen.setdefault(key, AsOfReport(doc_id=r["doc_id"], url=r["url"], outlet=r["outlet"],
                                              published=r["published"], fetched_at=r["fetched_at"]))
        last = max(last or "", r["fetched_at"])
    ordered = sorted(first_seen.values(), key=lambda x: ((x.published or x.fetched_at[:10]), x.fetched_at))
    return Reporting(fact_id=fact_id, first=ordered[0] if ordered else None, repeated_by=ordered[1:],
                     last_reported_at=last)


# ---------------------------------------------------------------- what followed an allegation (kg/links.py)


class LinkItem(BaseModel):
    """A LED_TO or RESPONDS_TO link from or to a fact, with the fact at its other end."""

    type: str  # LED_TO | RESPONDS_TO
    outgoing: bool  # the link runs from the fact asked about to `other`
    other: FactItem
    rule: str | None = None  # the derivation rule, when an article's records gave it
    articles: list[str] = Field(default_factory=list)
    judgement: str | None = None  # when a curator set it
    curator: str | None = None
    note: str | None = None

    @property
    def by(self) -> str:
        return f"set by {self.curator}" if self.curator else "from the article" + ("s" if len(self.articles) > 1
                                                                                   else "")


class LifecycleStep(BaseModel):
    stage: str  # alleged, denied, no comment, confirmed, retracted, responded, investigated, sued, sanctioned, …
    date: str | None = None  # as a reader reads it ("12 June 2026", "reported 26 June 2026")
    date_start: str | None = None  # for ordering
    fact_id: str | None = None
    title: str | None = None
    by: str | None = None  # where the step comes from: the allegation's status, an article's records, a curator


class Lifecycle(BaseModel):
    allegation: FactItem
    steps: list[LifecycleStep] = Field(default_factory=list)


# The step a government action following an allegation is, by its kind (ontology.models.ActionKind).
_ACTION_STAGE = {"investigation": "investigated", "lawsuit": "sued", "legislation": "legislated against",
                 "policy": "acted against", "other": "acted against"}
_STATUS_STAGE = {"denied": "denied", "no_comment": "declined to comment", "confirmed": "confirmed by the accused",
                 "retracted": "retracted"}
_STAGE_ORDER = ("alleged", "denied", "declined to comment", "confirmed by the accused", "retracted", "responded")


def links(graph: Graph, fact_ids: list[str], include_rejected: bool = False) -> dict[str, list[LinkItem]]:
    """fact id -> the LED_TO / RESPONDS_TO links that hold from and to it (a curator's `not_linked` hides a
    derived one), outgoing first."""
    out: dict[str, list[LinkItem]] = {f: [] for f in fact_ids}
    if not fact_ids:
        return out
    params = {"ids": fact_ids, "include_rejected": include_rejected}
    for statement, outgoing in ((lq.LINKS_FROM_CYPHER, True), (lq.LINKS_TO_CYPHER, False)):
        for r in graph.read(statement, params):
            out[r["fact_id"]].append(LinkItem(type=r["type"], outgoing=outgoing, other=_fact(r["other"]),
                                              rule=r["rule"], articles=r["articles"] or [],
                                              judgement=r["judgement"], curator=r["curator"], note=r["note"]))
    return out


def lifecycle(graph: Graph, name_or_alias: str, include_rejected: bool = False) -> list[Lifecycle]:
    """Each allegation against an actor with what followed it, in order: alleged → denied (the status its
    reports give, right after the allegation, with the day a report first said so) → what responded to it → the
    investigations and actions it led to (sanctioned, sued, ...), each with its date. Allegations in date order."""
    actor_id = resolve_actor(graph, name_or_alias)
    if actor_id is None:
        return []
    facts = sorted((_fact(r["fact"]) for r in graph.read(lq.ALLEGATIONS_AGAINST_CYPHER,
                                                         {"id": actor_id, "include_rejected": include_rejected})),
                   key=lambda f: (f.date_start or "9999", f.id))
    if not facts:
        return []
    linked = links(graph, [f.id for f in facts], include_rejected)
    status_dates: dict[str, dict[str, Any]] = {}
    for status in sorted({f.status for f in facts if f.status in _STATUS_STAGE}):
        for r in graph.read(lq.STATUS_REPORTS_CYPHER, {"ids": [f.id for f in facts if f.status == status],
                                                       "status": status}):
            status_dates[r["fact_id"]] = dict(r)
    out = []
    for f in facts:
        steps = [LifecycleStep(stage="alleged", date=f.date_display, date_start=f.date_start, fact_id=f.id,
                               title=f.title, by="the allegation")]
        if f.status in _STATUS_STAGE:
            # when the accused denied it the records do not say: the step follows the allegation, with the day
            # a report first said so
            first = (status_dates.get(f.id) or {}).get("first_published")
            steps.append(LifecycleStep(stage=_STATUS_STAGE[f.status],
                                       date=f"date not given (first reported {display(first)})" if first
                                       else "date not given", date_start=f.date_start, fact_id=f.id, title=f.title,
                                       by="the allegation's reports"))
        for link in linked[f.id]:
            o = link.other
            if link.type == lq.RESPONDS_TO and not link.outgoing:
                stage = "responded"
            elif link.type == lq.LED_TO and link.outgoing:
                stage = (_ACTION_STAGE.get(o.kind or "", "sanctioned") if o.fact_type == "GovernmentAction"
                         else "followed by")
            else:
                continue  # the allegation itself answering or following another fact: that fact's lifecycle
            steps.append(LifecycleStep(stage=stage, date=o.date_display, date_start=o.date_start, fact_id=o.id,
                                       title=o.title, by=link.by))
        # the allegation, what its reports say the accused answered, then what followed it in date order
        answered = [s for s in steps[1:] if s.fact_id == f.id]
        rest = sorted((s for s in steps[1:] if s.fact_id != f.id), key=lambda s: (
            s.date_start or "9999", _STAGE_ORDER.index(s.stage) if s.stage in _STAGE_ORDER else len(_STAGE_ORDER)))
        out.append(Lifecycle(allegation=f, steps=[steps[0], *answered, *rest]))
    return out
