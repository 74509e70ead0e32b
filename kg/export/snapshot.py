"""The graph read once for an export: a `Snapshot` holds every node and relationship an export carries, with
graph properties as the writer stores them (`load_snapshot`); `select` keeps the facts the timeline query
returns for an actor's name or alias and/or a start date, with their evidence, articles, outlets and actors.
`kg import` (kg/export/rdf_import.py) parses an RDF export back into the same `Snapshot`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg import queries
from kg.cypher import ROLE_RELATIONS
from kg.cypher import export as cx
from kg.db import Graph as KGGraph
from kg.errors import KGError
from ontology.models import FACT_LABELS, ActorType
from ontology.vocabulary import vocabulary

FACT_TYPES: tuple[str, ...] = tuple(label.value for label in FACT_LABELS)
# The concept scheme of each fact type's kinds (an event's kind is always "event", a concept of none).
KIND_SCHEMES = {"Allegation": "AllegationKind", "GovernmentAction": "ActionKind"}
_REL_BY_TYPE = {vocabulary.rel_type(r): r for r in ROLE_RELATIONS}
_ACTOR_TYPES = {t.value for t in ActorType}


@dataclass(frozen=True)
class Role:
    fact_id: str
    relation: str  # ontology local name: accuser, accused, issuer, target, involves
    actor_id: str
    position: int | None


@dataclass(frozen=True)
class Cite:
    evidence_id: str
    outlet_id: str
    as_written: str | None


@dataclass(frozen=True)
class Mention:
    article_id: str
    actor_id: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ConflictLink:
    id: str
    a: str
    b: str
    props: dict[str, Any] = field(hash=False, compare=True)


@dataclass
class FactLink:
    """A LED_TO / RESPONDS_TO link from fact `a` to fact `b`, with its properties (kg/links.py)."""

    type: str
    a: str
    b: str
    props: dict[str, Any] = field(hash=False, compare=True)


@dataclass
class Snapshot:
    """Every node and relationship an export carries, with graph properties as the writer stores them."""

    actors: dict[str, dict[str, Any]] = field(default_factory=dict)
    actor_types: dict[str, str] = field(default_factory=dict)
    outlets: dict[str, dict[str, Any]] = field(default_factory=dict)
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    publishers: dict[str, str] = field(default_factory=dict)  # article id -> outlet id
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    fact_types: dict[str, str] = field(default_factory=dict)
    roles: list[Role] = field(default_factory=list)
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)
    evidence_fact: dict[str, str] = field(default_factory=dict)
    evidence_article: dict[str, str] = field(default_factory=dict)
    cites: list[Cite] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    evidence_mentions: list[tuple[str, str]] = field(default_factory=list)  # (evidence id, actor id)
    conflicts: list[ConflictLink] = field(default_factory=list)
    same_as: list[tuple[str, str]] = field(default_factory=list)
    links: list[FactLink] = field(default_factory=list)
    names: list[tuple[str, str]] = field(default_factory=list)  # (fact id, actor id): NAMES, derived

    def counts(self) -> dict[str, int]:
        return {"actors": len(self.actors), "outlets": len(self.outlets), "articles": len(self.articles),
                "facts": len(self.facts), "evidence": len(self.evidence)}

    def subset(self, fact_ids: Iterable[str]) -> Snapshot:
        """The given facts with everything they rest on: evidence, articles, outlets, actors."""
        keep = {f for f in fact_ids if f in self.facts}
        out = Snapshot()
        out.facts = {k: v for k, v in self.facts.items() if k in keep}
        out.fact_types = {k: v for k, v in self.fact_types.items() if k in keep}
        out.roles = [r for r in self.roles if r.fact_id in keep]
        ev = {e for e, f in self.evidence_fact.items() if f in keep}
        out.evidence = {k: v for k, v in self.evidence.items() if k in ev}
        out.evidence_fact = {k: v for k, v in self.evidence_fact.items() if k in ev}
        out.evidence_article = {k: v for k, v in self.evidence_article.items() if k in ev}
        arts = set(out.evidence_article.values())
        out.articles = {k: v for k, v in self.articles.items() if k in arts}
        out.publishers = {k: v for k, v in self.publishers.items() if k in arts}
        out.cites = [c for c in self.cites if c.evidence_id in ev]
        outlets = set(out.publishers.values()) | {c.outlet_id for c in out.cites}
        out.outlets = {k: v for k, v in self.outlets.items() if k in outlets}
        # the actors with a role, and those the exported sentences name
        actors = {r.actor_id for r in out.roles} | {a for e, a in self.evidence_mentions if e in ev}
        out.actors = {k: v for k, v in self.actors.items() if k in actors}
        out.actor_types = {k: v for k, v in self.actor_types.items() if k in actors}
        out.mentions = [m for m in self.mentions if m.article_id in arts and m.actor_id in actors]
        out.evidence_mentions = [(e, a) for e, a in self.evidence_mentions if e in ev]
        out.conflicts = [c for c in self.conflicts if c.a in ev and c.b in ev]
        out.same_as = [(a, b) for a, b in self.same_as if a in actors and b in actors]
        out.links = [x for x in self.links if x.a in keep and x.b in keep]
        out.names = [(f, a) for f, a in self.names if f in keep and a in actors]
        return out

    def drop_facts(self, fact_ids: Iterable[str]) -> None:
        """Leave these facts out, with their roles, evidence and what hangs on the evidence; the articles,
        outlets and actors stay."""
        drop = set(fact_ids) & set(self.facts)
        if not drop:
            return
        ev = {e for e, f in self.evidence_fact.items() if f in drop}
        for fid in drop:
            del self.facts[fid]
            self.fact_types.pop(fid, None)
        self.roles = [r for r in self.roles if r.fact_id not in drop]
        for e in ev:
            del self.evidence[e]
            del self.evidence_fact[e]
            self.evidence_article.pop(e, None)
        self.cites = [c for c in self.cites if c.evidence_id not in ev]
        self.evidence_mentions = [(e, a) for e, a in self.evidence_mentions if e not in ev]
        self.conflicts = [c for c in self.conflicts if c.a not in ev and c.b not in ev]
        self.links = [x for x in self.links if x.a not in drop and x.b not in drop]
        self.names = [(f, a) for f, a in self.names if f not in drop]

    # helpers for the tabular formats

    def roles_of(self, fact_id: str) -> dict[str, list[str]]:
        """relation -> actor names, in position order."""
        out: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for r in self.roles:
            if r.fact_id == fact_id:
                out[r.relation].append((r.position or 0, str(self.actors.get(r.actor_id, {}).get("name", r.actor_id))))
        return {rel: [n for _, n in sorted(v)] for rel, v in out.items()}

    def evidence_of(self, fact_id: str) -> list[str]:
        ids = [e for e, f in self.evidence_fact.items() if f == fact_id]
        return sorted(ids, key=lambda e: (str(self._article(e).get("published") or "9999"),
                                          str(self._article(e).get("doc_id") or ""), self.evidence[e].get("start", 0)))

    def _article(self, evidence_id: str) -> dict[str, Any]:
        return self.articles.get(self.evidence_article.get(evidence_id, ""), {})

    def articles_of(self, fact_id: str) -> list[str]:
        seen: dict[str, None] = {}
        for e in self.evidence_of(fact_id):
            art = self.evidence_article.get(e)
            if art:
                seen[art] = None
        return list(seen)

    def outlet_name(self, article_id: str) -> str | None:
        outlet = self.outlets.get(self.publishers.get(article_id, ""))
        if outlet:
            return str(outlet.get("name") or outlet.get("id"))
        name = self.articles.get(article_id, {}).get("outlet")
        return str(name) if name else None

    def cited_names(self, fact_id: str) -> list[str]:
        ev = {e for e, f in self.evidence_fact.items() if f == fact_id}
        names = {str(self.outlets.get(c.outlet_id, {}).get("name") or c.outlet_id) for c in self.cites
                 if c.evidence_id in ev}
        return sorted(names)

    def sorted_facts(self, fact_type: str | None = None) -> list[str]:
        ids = [f for f, t in self.fact_types.items() if fact_type is None or t == fact_type]

        def key(fid: str) -> tuple[bool, str, str, str]:
            p = self.facts[fid]
            return (p.get("date_start") is None, str(p.get("date_start") or ""), str(p.get("date_value") or ""), fid)

        return sorted(ids, key=key)


def _label_of(labels: list[str], allowed: Iterable[str], fallback: object) -> str | None:
    found = sorted(set(labels) & set(allowed))
    if found:
        return found[0]
    return str(fallback) if fallback else None


# Article properties that are the writer's bookkeeping, not the news: the stored extraction record.
_INTERNAL_ARTICLE_PROPS = ("extraction",)
# Actor properties that summarise the whole graph (kg/names.py): not the selection's, so not exported; `kg import`
# computes them again from what it imports.
_SUMMARY_ACTOR_PROPS = ("co_top", "fact_counts", "n_articles")


def load_snapshot(graph: KGGraph, include_rejected: bool = False) -> Snapshot:
    """Read every node and relationship an export carries; a fact a curator rejected (and its evidence) only
    with `include_rejected`."""
    snap = Snapshot()
    for r in graph.read(cx.EXPORT_ACTORS_CYPHER):
        actor_type = _label_of(r["labels"], _ACTOR_TYPES, r["props"].get("type"))
        if actor_type not in _ACTOR_TYPES:
            raise KGError(f"actor {r['id']!r} has no actor type the ontology knows ({r['labels']})")
        snap.actors[r["id"]] = {k: v for k, v in r["props"].items() if k not in _SUMMARY_ACTOR_PROPS}
        snap.actor_types[r["id"]] = actor_type
    for r in graph.read(cx.EXPORT_OUTLETS_CYPHER):
        snap.outlets[r["id"]] = dict(r["props"])
    for r in graph.read(cx.EXPORT_ARTICLES_CYPHER):
        snap.articles[r["id"]] = {k: v for k, v in r["props"].items() if k not in _INTERNAL_ARTICLE_PROPS}
        if r["outlet_ids"]:
            snap.publishers[r["id"]] = sorted(r["outlet_ids"])[0]
    for r in graph.read(cx.EXPORT_FACTS_CYPHER):
        fact_type = _label_of(r["labels"], FACT_TYPES, r["props"].get("fact_type"))
        if fact_type not in FACT_TYPES:
            raise KGError(f"fact {r['id']!r} has no fact type ({r['labels']})")
        snap.facts[r["id"]] = dict(r["props"])
        snap.fact_types[r["id"]] = fact_type
    for r in graph.read(cx.EXPORT_ROLES_CYPHER):
        relation = _REL_BY_TYPE.get(r["rel_type"])
        if relation is not None:
            snap.roles.append(Role(r["fact_id"], relation, r["actor_id"], r["position"]))
    for r in graph.read(cx.EXPORT_EVIDENCE_CYPHER):
        snap.evidence[r["id"]] = dict(r["props"])
        snap.evidence_fact[r["id"]] = r["fact_id"]
        if r["article_id"]:
            snap.evidence_article[r["id"]] = r["article_id"]
    snap.cites = [Cite(r["evidence_id"], r["outlet_id"], r["as_written"]) for r in graph.read(cx.EXPORT_CITES_CYPHER)]
    snap.mentions = [Mention(r["article_id"], r["actor_id"], tuple(r["aliases"] or ()))
                     for r in graph.read(cx.EXPORT_MENTIONS_CYPHER)]
    snap.evidence_mentions = [(r["evidence_id"], r["actor_id"])
                              for r in graph.read(cx.EXPORT_EVIDENCE_MENTIONS_CYPHER)]
    snap.conflicts = [ConflictLink(r["id"] or "", r["a"], r["b"], dict(r["props"]))
                      for r in graph.read(cx.EXPORT_CONFLICTS_CYPHER)]
    snap.same_as = [(r["a"], r["b"]) for r in graph.read(cx.EXPORT_SAME_AS_CYPHER)]
    snap.links = [FactLink(r["type"], r["a"], r["b"], dict(r["props"])) for r in graph.read(cx.EXPORT_LINKS_CYPHER)]
    snap.names = [(r["fact_id"], r["actor_id"]) for r in graph.read(cx.EXPORT_NAMES_CYPHER)]
    if not include_rejected:
        snap.drop_facts([f for f, p in snap.facts.items() if p.get("rejected")])
    return snap


def parse_since(since: date | str | None) -> str | None:
    if since is None or since == "":
        return None
    if isinstance(since, date):
        return since.isoformat()
    try:
        return date.fromisoformat(since).isoformat()
    except ValueError as exc:
        raise KGError(f"--since {since!r} is not a date: use YYYY-MM-DD") from exc


def select(graph: KGGraph, actor: str | None = None, since: date | str | None = None,
           include_rejected: bool = False) -> Snapshot:
    """The whole graph, or the facts the timeline gives for an actor and/or a start date (with their sources);
    facts a curator rejected only with `include_rejected`."""
    since_iso = parse_since(since)
    snap = load_snapshot(graph, include_rejected=include_rejected)
    if not actor and since_iso is None:
        return snap
    actors: list[str] | None = None
    if actor:
        actor_id = queries.resolve_actor(graph, actor)
        if actor_id is None:
            raise KGError(f"no actor named {actor!r} (give a name, alias or id; see kg query actor)")
        actors = [actor_id]
    facts = queries.timeline(graph, actors=actors, since=since_iso, limit=10_000_000,
                             include_rejected=include_rejected)
    return snap.subset(f.id for f in facts)
