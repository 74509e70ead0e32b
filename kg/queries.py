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
from kg.names import sort_key
from kg.readonly import CypherResult, run_read_only
from ontology.models import ArticleRecord, Extraction
from ontology.vocabulary import vocabulary


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
    # when read a page per role (`actor(..., per_role=N)`): role type -> the next page's cursor (None: no more),
    # and role type -> how many facts it has in that role (None when unknown: rejected facts included)
    next: dict[str, str | None] = Field(default_factory=dict)
    totals: dict[str, int | None] = Field(default_factory=dict)

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


class FactPage(BaseModel):
    """One page of facts in timeline order. `next` is the cursor of the following page (pass it as `after`),
    None on the last; `total` is how many facts the whole answer holds when the stored summaries say it exactly
    (one actor, a whole year or no dates, no other filter), else None."""

    items: list[FactItem] = Field(default_factory=list)
    next: str | None = None
    total: int | None = None


class ConflictPage(BaseModel):
    """One page of the conflicts list, in (fact id, conflict id) order; `next` as in FactPage."""

    items: list[ConflictItem] = Field(default_factory=list)
    next: str | None = None
    total: int | None = None


PAGE_SIZE = 100  # a timeline's page
ACTOR_PAGE_SIZE = 20  # each role's page on the actor page (five roles: a hundred facts in all)
NEIGHBOURHOOD_FACTS = 10  # the actor page's neighbourhood graph: the actors of the first facts of each role
CO_MENTIONED = 25  # the actor page's "named with" list: the actors most often in the same articles (≤ CO_TOP)
CONFLICTS_PAGE_SIZE = 50


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
    found = _resolve(graph, name_or_alias, canonical)
    return found[0] if found else None


def _resolve(graph: Graph, name_or_alias: str, canonical: bool = True) -> tuple[str, str | None] | None:
    """resolve_actor, with the resolved actor's stored fact counts (kg/names.py) read in the same statement."""
    key = name_or_alias.strip()
    if not key:
        return None
    rows = graph.read(q.RESOLVE_ACTOR_CYPHER, {"key": key, "lower": key.lower()}) or graph.read(
        q.RESOLVE_ALIAS_CYPHER, {"lower": key.lower()})  # an id or a name first; an alias when neither
    if not rows:
        return None
    ids = sorted({str(r["id"]) for r in rows}, key=lambda i: (i != key, i))  # an exact id first
    by_id = {str(r["id"]): r for r in rows}
    if not canonical:
        return ids[0], None
    return str(by_id[ids[0]]["canonical"] or ids[0]), by_id[ids[0]]["fact_counts"]


def merged_actors(graph: Graph, actor_ids: list[str]) -> list[str]:
    """The ids of the actors a curator merged into these."""
    return sorted({str(r["id"]) for r in graph.read(q.MERGED_ACTORS_CYPHER, {"ids": actor_ids})})


def resolve_actors(graph: Graph, names: list[str]) -> list[str]:
    ids = [resolve_actor(graph, n) for n in names]
    return [i for i in ids if i]


def find_actors(graph: Graph, text: str = "", limit: int = 50) -> list[ActorSummary]:
    rows = graph.read(q.FIND_ACTORS_CYPHER, {"text": text.strip().lower(), "limit": limit})
    return [ActorSummary(**{k: v for k, v in r.items() if v is not None}) for r in rows]


_ROLE_LISTS = {"ACCUSER": "allegations_made", "ACCUSED": "allegations_received", "ISSUER": "actions_issued",
               "TARGET": "actions_suffered", "INVOLVES": "events"}


def actor(graph: Graph, name_or_alias: str, limit: int = 500, include_rejected: bool = False,
          per_role: int | None = None) -> ActorProfile | None:
    """An actor's page: its facts by role (those a curator rejected only with `include_rejected`), who it is
    named with (counted on write over all its articles), its neighbourhood; an actor merged into another is that
    actor's page, with both's aliases. With `per_role`, each role's list is its first page of that many facts
    (`next` holds the cursors for `actor_facts_page`, `totals` the counts) and the neighbourhood is that of the
    facts shown; else the first `limit` facts in date order, all roles together."""
    found = _resolve(graph, name_or_alias)
    if found is None:
        return None
    actor_id = found[0]
    params: dict[str, Any] = {"id": actor_id}
    rounds = None
    if per_role is not None:
        from kg.names import decode_counts

        rounds = _RolePages(graph, actor_id, decode_counts(found[1]), per_role, include_rejected)
    first = rounds.next_round() if rounds else None
    parts = _actor_parts(graph.read(q.ACTOR_PAGE_CYPHER, {**params, **first}) if first
                         else graph.read(q.ACTOR_CYPHER, params))
    if not parts["actor"]:
        return None
    row = dict(parts["actor"][0]["data"])
    own = row.get("aliases") or []
    row["aliases"] = [*own, *sorted({x for x in row.pop("member_aliases") or [] if x not in own and x != row["name"]})]
    if row.get("merged"):  # an article may name two of them: counted once
        row["articles"] = graph.read(q.MERGED_ARTICLES_CYPHER, {"ids": [actor_id, *row["merged"]]})[0]["articles"]
    co_top = row.pop("co_top", None)
    profile = ActorProfile(**{k: v for k, v in row.items() if v is not None})
    if co_top is not None:  # kept on write (kg/names.py)
        from kg.names import decode_top

        profile.co_mentioned = [ActorSummary(id=i, name=n, type=t, articles=a)
                                for i, n, t, a in decode_top(co_top)[:CO_MENTIONED]]
    else:  # none kept: an actor named with no other, or a graph written before they were
        profile.co_mentioned = [ActorSummary(**r) for r in graph.read(
            q.CO_MENTIONS_CYPHER, {"id": actor_id, "co_limit": CO_MENTIONED})]
    if rounds is not None:
        rounds.take(parts["role_page"])
        while (more := rounds.next_round()) is not None:  # the roles the first round left short, together
            rounds.take(_actor_parts(graph.read(q.ROLE_PAGES_CYPHER, more))["role_page"])
        named = rounds.fill(profile)
        # the neighbourhood of the first facts of each role (every row read costs: see bench/README.md)
        shown = {f.id: f for key in _ROLE_LISTS.values() for f in getattr(profile, key)[:NEIGHBOURHOOD_FACTS]}
        for fid in sorted(shown):
            edges = [{"role": role, "actor_id": x["id"], "name": x["name"], "type": x["type"]}
                     for x in named.get(fid, []) if x.get("id") is not None for role in x["roles"]]
            for own_edge in (e for e in edges if e["actor_id"] == actor_id):
                profile.neighbourhood += [Neighbour(
                    fact_id=fid, fact_type=shown[fid].fact_type, kind=shown[fid].kind,
                    role_of_actor=own_edge["role"], role_of_other=o["role"], other_id=o["actor_id"],
                    other_name=o["name"], other_type=o["type"])
                    for o in edges if o["actor_id"] != actor_id]
        profile.neighbourhood = profile.neighbourhood[:200]
        return profile
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
        rows = [{"fact": {**r["fact"], "role": "MENTIONED"}} if not r["roles"] else r
                for r in graph.read(q.TIMELINE_BY_ACTOR_CYPHER, {**params, "actor_ids": ids})]
    else:
        rows = graph.read(q.TIMELINE_CYPHER, params)
    facts = [_fact(r["fact"]) for r in rows]
    facts.sort(key=lambda f: sort_key(f.date_start, f.date_value, f.id))  # the order of the pages, exactly
    return _attach_sources(graph, facts[:limit])


# ---------------------------------------------------------------- pages (kg/names.py: what the writer keeps)


def _month_after(month: str) -> str:
    y, m = int(month[:4]), int(month[5:7])
    return f"{y + m // 12}-{m % 12 + 1:02d}"


def _fact_counts(graph: Graph, actor_ids: list[str]) -> dict[str, dict[str, dict[str, int]]]:
    from kg.names import decode_counts

    return {r["id"]: decode_counts(r["fact_counts"])
            for r in graph.read(q.ACTOR_FACT_COUNTS_READ_CYPHER, {"ids": actor_ids})}


class _Plan:
    """Which page buckets one round reads: start months from `month` on, enough of them for the rows wanted
    by the stored counts (a month's share of its year's count; `per_month` when nothing is stored), the span
    bucket every round (keys below the round's upper bound), the undated bucket in the last."""

    def __init__(self, first: str, last: str, undated: bool, estimate: Any) -> None:
        self.month: str | None = first
        self.last, self.undated, self.estimate = last, undated, estimate

    def round(self, wanted: int) -> tuple[list[str], str | None] | None:
        """(bucket suffixes, upper key or None) for the next round, or None when every bucket was read."""
        if self.month is None:
            return None
        chosen: list[str] = []
        expected = 0.0
        month: str | None = self.month
        while month is not None and month <= self.last and (not chosen or expected < wanted * 1.25):
            n = self.estimate(month)
            if n > 0:
                chosen.append(month)
                expected += n
            month = _month_after(month)
            if month > self.last:
                month = None
        self.month = month
        if month is None:  # the last round: up to the end, undated facts with it
            return [*chosen, "span", *(["undated"] if self.undated else [])], None
        return [*chosen, "span"], month


def _bounds(since: str | None, until: str | None, after: str | None, first_year: int | None,
            last_year: int | None) -> tuple[str, str] | None:
    """The start months to read: from January of `since`'s year (a fact of that year may start before it and
    still overlap; longer ones are in the span bucket) or the cursor's month, to December of `until`'s year."""
    lo = int(since[:4]) if since else first_year
    hi = int(until[:4]) if until else last_year
    if lo is None or hi is None:
        return None
    first, last = f"{lo}-01", f"{hi}-12"
    if after and after[:1].isdigit():
        first = max(first, after[:7])
    return first, last


def _walk(read: Any, plan: _Plan | None, size: int, after: str | None,
          undated: bool) -> tuple[list[dict[str, Any]], bool]:
    """Rounds of `read(buckets, after, upper, limit)` until size + 1 rows are in hand or every bucket was
    read; (rows in key order, whether there are more)."""
    rows: list[dict[str, Any]] = []
    while True:
        if plan is None:
            if undated:
                rows += read(["undated"], after, None, size + 1 - len(rows))
            break
        step = plan.round(size + 1 - len(rows))
        if step is None:
            break
        buckets, upper = step
        got = read(buckets, after, upper, size + 1 - len(rows))
        rows += got
        if rows:
            after = rows[-1]["key"]
        if len(rows) > size:
            break
    return rows[:size + 1], len(rows) > size


def _params(kinds: list[str] | None, since: str | None, until: str | None, min_reliability: float | None,
            outlets: list[str] | None, fact_types: list[str] | None, include_rejected: bool) -> dict[str, Any]:
    return {"include_rejected": include_rejected, "kinds": kinds or None, "since": since, "until": until,
            "min_reliability": min_reliability, "outlet_ids": outlets or None, "fact_types": fact_types or None}


def timeline_page(
    graph: Graph,
    actors: list[str] | None = None,
    kinds: list[str] | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    min_reliability: float | None = None,
    outlets: list[str] | None = None,
    fact_types: list[str] | None = None,
    include_rejected: bool = False,
    after: str | None = None,
    size: int = PAGE_SIZE,
) -> FactPage:
    """`timeline` a page at a time: the first `size` facts in timeline order after the cursor `after` (None:
    from the start), the cursor of the next page, and the total when it is known. Reads only the page buckets
    (kg/names.py) the page needs: for an actor named in half of all articles, a month or so of its facts."""
    since_s, until_s = _iso(since), _iso(until)
    params = _params(kinds, since_s, until_s, min_reliability, outlets, fact_types, include_rejected)
    undated = since_s is None and until_s is None
    if actors:
        from kg.names import decode_counts

        found = [x for x in (_resolve(graph, a) for a in actors) if x]
        if not found:
            return FactPage()
        ids = list(dict.fromkeys(i for i, _ in found))
        counts = {i: decode_counts(c) for i, c in found}
        years = sorted({int(y) for c in counts.values() for y in c if y.isdigit()})

        def estimate(month: str) -> float:
            return sum(c.get(month[:4], {}).get("ALL", 0) for c in counts.values()) / 12 or (
                0.5 if include_rejected else 0.0)  # counts leave out rejected facts

        def read(buckets: list[str], after_key: str | None, upper: str | None, limit: int) -> list[dict[str, Any]]:
            rows = graph.read(q.NAMED_PAGE_CYPHER, {**params, "buckets": [f"{a}|{b}" for a in ids for b in buckets],
                                                    "after": after_key, "upper": upper, "role": None, "limit": limit})
            return [{"key": r["key"], "fact": {**r["fact"], "role": "MENTIONED"} if not r["roles"] else r["fact"]}
                    for r in rows]

        span = _bounds(since_s, until_s, after, years[0] if years else None, years[-1] if years else None)
        plan = _Plan(span[0], span[1], undated, estimate) if span else None
        total = None
        if len(ids) == 1 and not include_rejected and not any((kinds, min_reliability, outlets, fact_types)):
            c = counts.get(ids[0], {})
            if undated:
                total = c.get("total", {}).get("ALL", 0)
            elif since_s and until_s and since_s[5:] == "01-01" and until_s[5:] == "12-31" \
                    and since_s[:4] == until_s[:4]:
                total = c.get(since_s[:4], {}).get("ALL", 0)
    else:
        first, last = (since_s, until_s) if since_s and until_s else date_range(graph)
        first, last = since_s or first, until_s or last

        def estimate(month: str) -> float:
            return 1000.0  # no stored counts for every fact: a month at a time, then more

        def read(buckets: list[str], after_key: str | None, upper: str | None, limit: int) -> list[dict[str, Any]]:
            return graph.read(q.TIMELINE_PAGE_CYPHER, {**params, "buckets": buckets, "after": after_key,
                                                       "upper": upper, "limit": limit})

        span = _bounds(first, last, after, None, None) if first and last else None
        plan = _Plan(span[0], span[1], undated, estimate) if span else None
        total = None
    rows, more = _walk(read, plan, size, after, undated)
    items = _attach_sources(graph, [_fact(r["fact"]) for r in rows[:size]])
    return FactPage(items=items, next=rows[size - 1]["key"] if more else None, total=total)


def actor_facts_page(graph: Graph, name_or_alias: str, role: str, after: str | None = None,
                     size: int = ACTOR_PAGE_SIZE, include_rejected: bool = False) -> FactPage:
    """One page of an actor's facts in one role (ACCUSER, ACCUSED, ISSUER, TARGET, INVOLVES), in timeline
    order after the cursor `after`; the total from the actor's stored counts."""
    actor_id = resolve_actor(graph, name_or_alias)
    if actor_id is None:
        return FactPage()
    counts = _fact_counts(graph, [actor_id]).get(actor_id, {})
    return _role_page(graph, actor_id, role, counts, after, size, include_rejected)


def _role_estimate(counts: dict[str, dict[str, int]], role: str, include_rejected: bool) -> Any:
    def estimate(month: str) -> float:
        return counts.get(month[:4], {}).get(role, 0) / 12 or (0.5 if include_rejected else 0.0)
    return estimate


def _years(counts: dict[str, dict[str, int]]) -> tuple[int | None, int | None]:
    years = sorted(int(y) for y in counts if y.isdigit())
    return (years[0], years[-1]) if years else (None, None)


def _role_page(graph: Graph, actor_id: str, role: str, counts: dict[str, dict[str, int]], after: str | None,
               size: int, include_rejected: bool) -> FactPage:
    params = _params(None, None, None, None, None, None, include_rejected)

    def read(buckets: list[str], after_key: str | None, upper: str | None, limit: int) -> list[dict[str, Any]]:
        return graph.read(q.NAMED_PAGE_CYPHER, {**params, "buckets": [f"{actor_id}|{b}" for b in buckets],
                                                "after": after_key, "upper": upper, "role": role, "limit": limit})

    span = _bounds(None, None, after, *_years(counts))
    plan = _Plan(span[0], span[1], True, _role_estimate(counts, role, include_rejected)) if span else None
    rows, more = _walk(read, plan, size, after, True)
    items = [_fact(r["fact"], role=role) for r in rows[:size]]
    return FactPage(items=_attach_sources(graph, items), next=rows[size - 1]["key"] if more else None,
                    total=None if include_rejected else counts.get("total", {}).get(role, 0))


def _actor_parts(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """ACTOR_CYPHER's (and ACTOR_PAGE_CYPHER's) rows by the part they belong to."""
    parts: dict[str, list[dict[str, Any]]] = {"actor": [], "role_page": []}
    for r in rows:
        parts[r["part"]].append(r)
    return parts


class _RolePages:
    """The first page of each of an actor's roles, in rounds of one read each (ROLE_PAGES_CYPHER, the first
    within ACTOR_PAGE_CYPHER): a round reads the start months the role still shortest needs by the stored counts,
    for every role still short; the next goes on from the last round's upper key, for the roles it left short."""

    def __init__(self, graph: Graph, actor_id: str, counts: dict[str, dict[str, int]], size: int,
                 include_rejected: bool) -> None:
        self.graph, self.actor_id, self.size, self.include_rejected = graph, actor_id, size, include_rejected
        roles = [vocabulary.rel_type(r) for r in q.ROLE_RELATIONS]
        self.totals = {r: None if include_rejected else counts.get("total", {}).get(r, 0) for r in roles}
        self.short = [r for r in roles if include_rejected or self.totals[r]]
        self.got: dict[str, list[dict[str, Any]]] = {r: [] for r in roles}
        self.named: dict[str, list[dict[str, Any]]] = {}  # fact id -> [{roles, id, name, type}]
        self.lower: str | None = None
        estimates = {r: _role_estimate(counts, r, include_rejected) for r in self.short}
        span = _bounds(None, None, None, *_years(counts))
        self.plan = _Plan(span[0], span[1], True, lambda month: min(
            estimates[r](month) for r in self.short) or max(estimates[r](month) for r in self.short)) if span else None

    def next_round(self) -> dict[str, Any] | None:
        """The parameters of the next round's read, or None when every role has its page (or all was read)."""
        if not self.short or self.plan is None:
            return None
        step = self.plan.round(self.size + 1 - min(len(self.got[r]) for r in self.short))
        if step is None:
            return None
        buckets, upper = step
        params = {"buckets": [f"{self.actor_id}|{b}" for b in buckets], "lower": self.lower, "upper": upper,
                  "roles": list(self.short), "include_rejected": self.include_rejected, "limit": self.size + 1,
                  "named": NEIGHBOURHOOD_FACTS}
        self.lower = upper
        if upper is None:  # the last round: whatever it leaves short has no more facts
            self.plan = None
        return params

    def take(self, rows: list[dict[str, Any]]) -> None:
        for r in rows:
            self.got[r["role"]].append(r)
            if any(x.get("id") is not None for x in r["named"] or []):
                self.named.setdefault(r["data"]["id"], r["named"])
        self.short = [r for r in self.short if len(self.got[r]) <= self.size]

    def fill(self, profile: ActorProfile) -> dict[str, list[dict[str, Any]]]:
        """Every role's page onto `profile`; what the facts read name (their neighbourhood)."""
        pages: dict[str, list[FactItem]] = {}
        for role, rows in self.got.items():
            got = sorted(rows, key=lambda r: r["key"])
            pages[role] = [_fact(r["data"], role=role) for r in got[:self.size]]
            profile.next[role] = got[self.size - 1]["key"] if len(got) > self.size else None
            profile.totals[role] = self.totals[role]
        _attach_sources(self.graph, [f for items in pages.values() for f in items])  # one read, if any lack them
        for role, items in pages.items():
            getattr(profile, _ROLE_LISTS[role]).extend(items)
        return self.named


def kinds(graph: Graph) -> list[dict[str, Any]]:
    return graph.read(q.KINDS_CYPHER)


def date_range(graph: Graph) -> tuple[str | None, str | None]:
    rows = graph.read(q.DATE_RANGE_CYPHER)
    return (rows[0]["first"], rows[0]["last"]) if rows else (None, None)


# ---------------------------------------------------------------- trace and conflicts


CONTEXT = 240  # characters of the article either side of an evidence sentence, in the trace


def _evidence(row: dict[str, Any], text: str | None = None, context: int = CONTEXT) -> EvidenceItem:
    e = dict(row.get("evidence") or {})
    figures = e.get("figures")
    before, after = row.get("context_before") or "", row.get("context_after") or ""
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
    ev_rows = graph.read(q.TRACE_EVIDENCE_CYPHER, {"id": fact_id, "context": CONTEXT})  # context cut on the server
    return Trace(
        fact=fact,
        reliability_explanation=json.loads(explanation) if isinstance(explanation, str) else [],
        evidence=[_evidence(r) for r in ev_rows],
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


def _conflict_items(rows: list[dict[str, Any]]) -> list[ConflictItem]:
    out = []
    for r in rows:
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


def conflicts_page(graph: Graph, after: str | None = None, size: int = CONFLICTS_PAGE_SIZE) -> ConflictPage:
    """The conflicts list a page at a time, in (fact id, conflict id) order after the cursor `after`, each side
    with the fields the list shows (the claim trace has the rest)."""
    cursor, after_fact = after, (after.split(" ", 1)[0] if after else None)
    rows: list[dict[str, Any]] = []
    digits = "0123456789abcdef"
    bucket = digits.index(after_fact[0]) if after_fact and after_fact[0] in digits else 0
    width = 1  # page buckets (first hex digit of the fact id) per read: one, then more if the page is not full
    while len(rows) <= size and bucket < len(digits):
        buckets = list(digits[bucket:bucket + width])
        facts = graph.read(q.CONFLICTED_FACTS_PAGE_CYPHER, {"buckets": buckets, "after_fact": after_fact,
                                                            "limit": size + 2})
        exhausted = len(facts) < size + 2  # every disputed fact of these buckets from the cursor on is in hand
        if not facts:
            bucket, width = bucket + width, width * 2
            continue
        chosen, expected = [], 0
        for r in facts:  # facts until their conflicts fill the page (the cursor's own may be partly read)
            chosen.append(r["id"])
            if r["id"] != after_fact:
                expected += int(r["n"] or 0)
            if expected > size - len(rows):
                break
        rows += graph.read(q.CONFLICTS_PAGE_CYPHER, {"fact_ids": chosen, "after": cursor,
                                                     "limit": size + 1 - len(rows)})
        if len(rows) > size:
            break
        # every conflict of the chosen facts is read: go on after the last of them ('~' sorts after any id)
        cursor, after_fact = f"{chosen[-1]} ~", chosen[-1]
        if exhausted and len(chosen) == len(facts):
            bucket, width = bucket + width, width * 2
    items = _conflict_items(rows[:size])
    more = len(rows) > size
    return ConflictPage(items=items, next=f"{items[-1].fact_id} {items[-1].id}" if more and items else None)


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
    return _conflict_items(graph.read(q.CONFLICTS_CYPHER, {"fact_ids": fact_ids, "limit": limit}))


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
