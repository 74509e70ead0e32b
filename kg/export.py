"""Exports of the graph for other tools: RDF (Turtle, JSON-LD) under the ontology, CSV for spreadsheets,
TimelineJS for newsrooms, ClaimReview (schema.org) for fact-checkers.

`export(graph, fmt, out_path, actor=None, since=None)` writes one format. The graph is read once into a
`Snapshot` (every node and relationship with its properties); a filter (an actor's name or alias, a start
date) keeps the facts the timeline query returns for it, with their evidence, articles, outlets and actors.

RDF layout (Turtle and JSON-LD are the same triples):
  instances     https://w3id.org/aigeo/id/<actor|outlet|article|fact|evidence|conflict>/<id, percent-encoded>
  ontology      aig:  https://w3id.org/aigeo/kg#  (classes, relations, datatype properties, SKOS concepts);
                every node is typed with its graph labels (aig:Actor + aig:Organization, aig:Fact +
                aig:Allegation) and the PROV-O class it specialises.
  provenance    fact prov:wasDerivedFrom + aig:hasEvidence its evidence; evidence prov:wasDerivedFrom +
                aig:reportedIn its article; article prov:wasAttributedTo + aig:publishedBy its outlet.
                One aig:Evidence per evidence sentence; no triple is reified.
  dates         aig:date / aig:dateEnd typed at their precision (xsd:date, xsd:gYearMonth, xsd:gYear,
                xsd:gMonthDay) plus aig:datePrecision (a SKOS concept); the SKOS concepts an export uses
                are copied into it (skos:inScheme, labels) so it validates against ontology/shapes.ttl alone.
  articles      dcterms:identifier (doc_id), dcterms:title, dcterms:issued (xsd:date), schema:url.
  aigx:         https://w3id.org/aigeo/kg/x#  terms this export adds to the ontology:
                aigx:reportedKind   every kind a report of the fact gives (the graph's `kinds`; aig:kind is
                                    the majority kind),
                aigx:dateStart / aigx:dateStop  the first and last day a fact's date can mean (xsd:date),
                aigx:role [aigx:relation aig:accused; aigx:actor <a>; aigx:position 1]  a role's position
                                    when it is not 0 (the direct aig:accused triple is always there too),
                aigx:mention [aigx:actor <a>; aig:alias "…"]  the aliases an article used for an actor
                                    (the article aig:mentions it; so does each evidence sentence naming it),
                aigx:citation [aigx:outlet <o>; aigx:asWritten "…"]  how an evidence sentence named the
                                    outlet it cites,
                aigx:evidenceA / aigx:evidenceB  the two evidence sentences of an aig:Conflict (which also
                                    aig:concerns its fact; the sentences are linked by aig:conflictsWith).
  aigp:         https://w3id.org/aigeo/kg/prop#  every other graph property, verbatim, so an export can be
                imported back (kg/rdf_import.py): aigp:<property name> with an xsd:string, xsd:integer,
                xsd:double or xsd:boolean literal, lists as rdf:JSON literals. Derived properties are left
                out and recomputed on import: an actor's name_lower and search, an evidence's fact_id,
                article_id, doc_id and published.

RDF keeps no order among the values of one property: aliases, attributions and hedges come back sorted.

Article text is untrusted: the JSON exports (JSON-LD, ClaimReview) escape `</` and `<!--` so they can be
pasted into a <script type="application/ld+json"> block (`json_for_html`); only http(s) URLs are exported
as URLs (`safe_url`: schema:url, ClaimReview appearances, the CSV urls column); TimelineJS text is HTML-escaped.
"""

from __future__ import annotations

import csv
import html
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from rdflib import DCTERMS, PROV, RDF, RDFS, SDO, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg import queries
from kg.cypher import ROLE_RELATIONS
from kg.cypher import export as cx
from kg.dates import display
from kg.db import Graph as KGGraph
from kg.errors import KGError
from ontology.models import ActorType, DatePrecision, precision_of
from ontology.vocabulary import AIG, vocabulary

AIGX = Namespace("https://w3id.org/aigeo/kg/x#")
AIGP = Namespace("https://w3id.org/aigeo/kg/prop#")
TIME = Namespace("http://www.w3.org/2006/time#")
ID = "https://w3id.org/aigeo/id/"

FORMATS = ("turtle", "jsonld", "csv", "timelinejs", "claimreview")
FACT_TYPES = ("Allegation", "GovernmentAction", "Event")
PROJECT = {
    "@type": "Organization",
    "name": "AI geopolitics knowledge graph",
    "url": "https://w3id.org/aigeo/kg",
}

JSONLD_CONTEXT: dict[str, Any] = {
    "aig": str(AIG),
    "aigx": str(AIGX),
    "aigp": str(AIGP),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "schema": str(SDO),
    "rdfs": str(RDFS),
    "time": str(TIME),
    "xsd": str(XSD),
    "rdf": str(RDF),
    **{kind: f"{ID}{kind}/" for kind in ("actor", "outlet", "article", "fact", "evidence", "conflict")},
}

_REL_BY_TYPE = {vocabulary.rel_type(r): r for r in ROLE_RELATIONS}
_ACTOR_TYPES = {t.value for t in ActorType}
_DATATYPE = {
    DatePrecision.day: XSD.date,
    DatePrecision.month: XSD.gYearMonth,
    DatePrecision.year: XSD.gYear,
    DatePrecision.month_day: XSD.gMonthDay,
}
_KIND_SCHEME = {"Allegation": "AllegationKind", "GovernmentAction": "ActionKind"}


def safe_url(value: object) -> str | None:
    """The URL when it is an absolute http(s) one, else None. An article's URL comes from the document as
    written; exported as a link (schema:url, a ClaimReview appearance) a `javascript:` or `data:` URL runs
    wherever the export is shown. urlsplit strips what browsers strip (leading blanks and C0 controls, tabs
    and newlines inside), so "java\tscript:" is seen as the javascript: URL it is."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def json_for_html(doc: Any) -> str:
    """JSON text that can be pasted into a <script type="application/ld+json"> block: a title holding
    "</script>" would otherwise end the block and let what follows run as HTML. `<` appears in JSON only
    inside strings, where `<\\/` still means `</` and `\\u003c` means `<`, so the text stays valid JSON with
    the same data; `<!--` is escaped too (it changes how the HTML parser reads the rest of the block)."""
    text = doc if isinstance(doc, str) else json.dumps(doc, indent=2, ensure_ascii=False)
    return text.replace("</", "<\\/").replace("<!--", "\\u003c!--")


# ---------------------------------------------------------------- the graph, read once


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
        return out

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


def load_snapshot(graph: KGGraph) -> Snapshot:
    """Read every node and relationship an export carries."""
    snap = Snapshot()
    for r in graph.read(cx.EXPORT_ACTORS_CYPHER):
        actor_type = _label_of(r["labels"], _ACTOR_TYPES, r["props"].get("type"))
        if actor_type not in _ACTOR_TYPES:
            raise KGError(f"actor {r['id']!r} has no actor type the ontology knows ({r['labels']})")
        snap.actors[r["id"]] = dict(r["props"])
        snap.actor_types[r["id"]] = actor_type
    for r in graph.read(cx.EXPORT_OUTLETS_CYPHER):
        snap.outlets[r["id"]] = dict(r["props"])
    for r in graph.read(cx.EXPORT_ARTICLES_CYPHER):
        snap.articles[r["id"]] = dict(r["props"])
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


def select(graph: KGGraph, actor: str | None = None, since: date | str | None = None) -> Snapshot:
    """The whole graph, or the facts the timeline gives for an actor and/or a start date (with their sources)."""
    since_iso = parse_since(since)
    snap = load_snapshot(graph)
    if not actor and since_iso is None:
        return snap
    actors: list[str] | None = None
    if actor:
        actor_id = queries.resolve_actor(graph, actor)
        if actor_id is None:
            raise KGError(f"no actor named {actor!r} (give a name, alias or id; see kg query actor)")
        actors = [actor_id]
    facts = queries.timeline(graph, actors=actors, since=since_iso, limit=10_000_000)
    return snap.subset(f.id for f in facts)


# ---------------------------------------------------------------- RDF


@dataclass(frozen=True)
class Term:
    """A graph property written with an ontology (or aigx:) term instead of a verbatim aigp: one."""

    prop: str
    predicate: URIRef
    codec: str  # str | strs | int | decimal | bool | date | uri | when | kind | kinds | status | precision


ACTOR_TERMS = (Term("name", AIG.name, "str"), Term("aliases", AIG.alias, "strs"))
OUTLET_TERMS = (Term("name", AIG.name, "str"),)
ARTICLE_TERMS = (
    Term("doc_id", DCTERMS.identifier, "str"),
    Term("title", DCTERMS.title, "str"),
    Term("published", DCTERMS.issued, "date"),
    Term("url", SDO.url, "uri"),
)
FACT_TERMS = (
    Term("title", RDFS.label, "str"),
    Term("kind", AIG.kind, "kind"),
    Term("kinds", AIGX.reportedKind, "kinds"),
    Term("status", AIG.status, "status"),
    Term("negated", AIG.negated, "bool"),
    Term("reliability", AIG.reliability, "decimal"),
    Term("date_value", AIG.date, "when"),
    Term("date_end", AIG.dateEnd, "when"),
    Term("date_precision", AIG.datePrecision, "precision"),
    Term("date_start", AIGX.dateStart, "date"),
    Term("date_stop", AIGX.dateStop, "date"),
)
EVIDENCE_TERMS = (
    Term("sentence", AIG.sentence, "str"),
    Term("start", AIG.startOffset, "int"),
    Term("end", AIG.endOffset, "int"),
    Term("attributions", AIG.attribution, "strs"),
    Term("hedges", AIG.hedge, "strs"),
    Term("pattern", AIG.pattern, "str"),
    Term("figures", AIG.figure, "str"),
    Term("kind", AIG.kind, "kind"),
    Term("status", AIG.status, "status"),
    Term("negated", AIG.negated, "bool"),
    Term("date_value", AIG.date, "when"),
    Term("date_end", AIG.dateEnd, "when"),
    Term("date_precision", AIG.datePrecision, "precision"),
)
# Properties not written at all: the node id (in its IRI), its type (its rdf:type), and derived values.
ACTOR_SKIP = frozenset({"id", "type", "name_lower", "search"})
OUTLET_SKIP = frozenset({"id"})
ARTICLE_SKIP = frozenset({"id"})
FACT_SKIP = frozenset({"id", "fact_type"})
EVIDENCE_SKIP = frozenset({"id", "fact_id", "article_id", "doc_id", "published"})
CONFLICT_SKIP = frozenset({"id", "fact_id"})


def iri(kind: str, key: str) -> URIRef:
    return URIRef(f"{ID}{kind}/{quote(key, safe='')}")


def key_of(node: Node, kind: str) -> str | None:
    prefix = f"{ID}{kind}/"
    text = str(node)
    return unquote(text[len(prefix):]) if isinstance(node, URIRef) and text.startswith(prefix) else None


def generic_literal(value: Any) -> Literal:
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(value, datatype=XSD.double)
    if isinstance(value, list | tuple | dict):
        return Literal(json.dumps(value, ensure_ascii=False), datatype=RDF.JSON)
    return Literal(str(value))


def date_literal(value: str) -> Literal:
    """A date value at its precision as a typed literal: 2026-06-12, 2026-06, 2026, --06-24."""
    return Literal(value, datatype=_DATATYPE[precision_of(value)])


class _RDFBuilder:
    def __init__(self) -> None:
        self.g = Graph()
        for prefix, ns in (("aig", AIG), ("aigx", AIGX), ("aigp", AIGP), ("prov", PROV), ("skos", SKOS),
                           ("dcterms", DCTERMS), ("schema", SDO), ("time", TIME)):
            self.g.bind(prefix, ns)
        for kind in ("actor", "outlet", "article", "fact", "evidence", "conflict"):
            self.g.bind(kind, Namespace(f"{ID}{kind}/"))
        self.concepts: set[URIRef] = set()

    def concept(self, scheme: str, notation: object) -> URIRef | None:
        try:
            c = vocabulary.concept_iri(scheme, str(notation))
        except KeyError:
            return None
        self.concepts.add(c)
        return c

    def encode(self, term: Term, value: Any, fact_type: str | None) -> list[Node] | None:
        """The objects for one property; None when this term cannot carry the value (aigp: then does)."""
        c = term.codec
        try:
            if c == "str":
                return [Literal(str(value))]
            if c == "strs":
                return [Literal(str(v)) for v in value] if isinstance(value, list) else None
            if c == "int":
                return [Literal(int(value), datatype=XSD.integer)]
            if c == "decimal":
                return [Literal(Decimal(repr(float(value))), datatype=XSD.decimal)]
            if c == "bool":
                return [Literal(bool(value))] if isinstance(value, bool) else None
            if c == "date":
                return [Literal(date.fromisoformat(str(value)).isoformat(), datatype=XSD.date)]
            if c == "uri":  # only http(s): no triple at all for another scheme (not even a verbatim aigp: one)
                url = safe_url(value)
                return [Literal(url, datatype=XSD.anyURI)] if url is not None else []
            if c == "when":
                return [date_literal(str(value))]
        except (ValueError, KeyError, TypeError):
            return None
        if c in ("kind", "kinds"):
            scheme = _KIND_SCHEME.get(fact_type or "")
            values = value if c == "kinds" else [value]
            if scheme is None or not isinstance(values, list):
                return None
            found = [self.concept(scheme, v) for v in values]
            return None if any(x is None for x in found) else [x for x in found if x is not None]
        if c in ("status", "precision"):
            x = self.concept("AllegationStatus" if c == "status" else "DatePrecision", value)
            return [x] if x is not None else None
        raise ValueError(f"unknown codec {c}")

    def props(self, subject: URIRef, props: dict[str, Any], terms: tuple[Term, ...], skip: frozenset[str],
              fact_type: str | None = None) -> None:
        done = set(skip)
        for term in terms:
            value = props.get(term.prop)
            if value is None:
                continue
            objs = self.encode(term, value, fact_type)
            if objs is None:
                continue
            done.add(term.prop)
            for obj in objs:
                self.g.add((subject, term.predicate, obj))
        for key in sorted(props):
            if key not in done and props[key] is not None:
                self.g.add((subject, AIGP[quote(key, safe="")], generic_literal(props[key])))

    def add_concepts(self) -> None:
        schemes: set[Node] = set()
        for c in sorted(self.concepts):
            for p, o in vocabulary.graph.predicate_objects(c):
                self.g.add((c, p, o))
                if p == SKOS.inScheme:
                    schemes.add(o)
        for s in sorted(schemes, key=str):
            for p, o in vocabulary.graph.predicate_objects(s):
                self.g.add((s, p, o))


def to_rdf(snap: Snapshot, include_text: bool = True) -> Graph:
    """The snapshot as RDF under the ontology (see the module docstring for the layout)."""
    b = _RDFBuilder()
    g = b.g
    for oid, props in snap.outlets.items():
        s = iri("outlet", oid)
        g.add((s, RDF.type, AIG.Outlet))
        g.add((s, RDF.type, PROV.Organization))
        b.props(s, props, OUTLET_TERMS, OUTLET_SKIP)
    art_skip = ARTICLE_SKIP if include_text else ARTICLE_SKIP | {"text"}
    for aid, props in snap.articles.items():
        s = iri("article", aid)
        g.add((s, RDF.type, AIG.Article))
        g.add((s, RDF.type, PROV.Entity))
        b.props(s, props, ARTICLE_TERMS, art_skip)
        outlet = snap.publishers.get(aid)
        if outlet:
            g.add((s, AIG.publishedBy, iri("outlet", outlet)))
            g.add((s, PROV.wasAttributedTo, iri("outlet", outlet)))
    for actor_id, props in snap.actors.items():
        s = iri("actor", actor_id)
        actor_type = snap.actor_types[actor_id]
        g.add((s, RDF.type, AIG.Actor))
        g.add((s, RDF.type, vocabulary.classes[actor_type]))
        g.add((s, RDF.type, PROV.Person if actor_type == "Person" else PROV.Agent))
        b.props(s, props, ACTOR_TERMS, ACTOR_SKIP)
    for m in snap.mentions:
        art, actor = iri("article", m.article_id), iri("actor", m.actor_id)
        g.add((art, AIG.mentions, actor))
        if m.aliases:
            q = BNode()
            g.add((art, AIGX.mention, q))
            g.add((q, AIGX.actor, actor))
            for alias in m.aliases:
                g.add((q, AIG.alias, Literal(alias)))
    for a, c in snap.same_as:
        g.add((iri("actor", a), AIG.sameAs, iri("actor", c)))
    for fid, props in snap.facts.items():
        s = iri("fact", fid)
        fact_type = snap.fact_types[fid]
        g.add((s, RDF.type, AIG.Fact))
        g.add((s, RDF.type, vocabulary.classes[fact_type]))
        g.add((s, RDF.type, PROV.Entity))
        b.props(s, props, FACT_TERMS, FACT_SKIP, fact_type)
    for role in snap.roles:
        s, actor, rel = iri("fact", role.fact_id), iri("actor", role.actor_id), vocabulary.relation(role.relation).iri
        g.add((s, rel, actor))
        if role.position:
            q = BNode()
            g.add((s, AIGX.role, q))
            g.add((q, AIGX.relation, rel))
            g.add((q, AIGX.actor, actor))
            g.add((q, AIGX.position, Literal(int(role.position), datatype=XSD.integer)))
    for eid, props in snap.evidence.items():
        s = iri("evidence", eid)
        fid = snap.evidence_fact[eid]
        g.add((s, RDF.type, AIG.Evidence))
        g.add((s, RDF.type, PROV.Entity))
        g.add((iri("fact", fid), AIG.hasEvidence, s))
        g.add((iri("fact", fid), PROV.wasDerivedFrom, s))
        art_id = snap.evidence_article.get(eid)
        if art_id:
            g.add((s, AIG.reportedIn, iri("article", art_id)))
            g.add((s, PROV.wasDerivedFrom, iri("article", art_id)))
        b.props(s, props, EVIDENCE_TERMS, EVIDENCE_SKIP, snap.fact_types.get(fid))
    for evidence_id, actor_id in snap.evidence_mentions:
        g.add((iri("evidence", evidence_id), AIG.mentions, iri("actor", actor_id)))
    for cite in snap.cites:
        s, outlet = iri("evidence", cite.evidence_id), iri("outlet", cite.outlet_id)
        g.add((s, AIG.cites, outlet))
        if cite.as_written is not None:
            q = BNode()
            g.add((s, AIGX.citation, q))
            g.add((q, AIGX.outlet, outlet))
            g.add((q, AIGX.asWritten, Literal(cite.as_written)))
    for conflict in snap.conflicts:
        ea, eb = iri("evidence", conflict.a), iri("evidence", conflict.b)
        g.add((ea, AIG.conflictsWith, eb))
        s = iri("conflict", conflict.id)
        g.add((s, RDF.type, AIG.Conflict))
        g.add((s, AIGX.evidenceA, ea))
        g.add((s, AIGX.evidenceB, eb))
        fact_id = conflict.props.get("fact_id") or snap.evidence_fact.get(conflict.a)
        if fact_id:
            g.add((s, AIG.concerns, iri("fact", str(fact_id))))
        b.props(s, conflict.props, (), CONFLICT_SKIP)
    b.add_concepts()
    return g


# ---------------------------------------------------------------- CSV

_TAIL = ["date", "date_end", "date_precision", "date_display", "date_start", "date_stop", "reliability",
         "independent_reports", "n_articles", "n_evidence", "n_conflicts", "outlets", "cited_outlets", "doc_ids",
         "urls", "first_published", "evidence"]
CSV_COLUMNS: dict[str, list[str]] = {
    "allegations.csv": ["id", "title", "kind", "kinds", "status", "accuser", "accused", *_TAIL],
    "actions.csv": ["id", "title", "kind", "kinds", "negated", "issuer", "targets", *_TAIL],
    "events.csv": ["id", "title", "actors", *_TAIL],
}
_CSV_TYPES = {"allegations.csv": "Allegation", "actions.csv": "GovernmentAction", "events.csv": "Event"}


def _cell(value: Any) -> str:
    """A spreadsheet-safe cell: lists joined with "; ", and text that a spreadsheet would run as a formula
    (= + - @ first) prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = "; ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(snap: Snapshot, filename: str) -> list[dict[str, str]]:
    fact_type = _CSV_TYPES[filename]
    rows = []
    for fid in snap.sorted_facts(fact_type):
        p = snap.facts[fid]
        roles = snap.roles_of(fid)
        arts = snap.articles_of(fid)
        evidence = snap.evidence_of(fid)
        published = sorted(str(snap.articles[a]["published"]) for a in arts if snap.articles[a].get("published"))
        row: dict[str, Any] = {
            "id": fid, "title": p.get("title"), "kind": p.get("kind"), "kinds": p.get("kinds") or [],
            "status": p.get("status"), "negated": p.get("negated"),
            "accuser": roles.get("accuser", []), "accused": roles.get("accused", []),
            "issuer": roles.get("issuer", []), "targets": roles.get("target", []),
            "actors": roles.get("involves", []),
            "date": p.get("date_value"), "date_end": p.get("date_end"), "date_precision": p.get("date_precision"),
            "date_display": p.get("date_display") or display(p.get("date_value"), p.get("date_end"),
                                                             p.get("date_qualifier")),
            "date_start": p.get("date_start"), "date_stop": p.get("date_stop"),
            "reliability": p.get("reliability"), "independent_reports": p.get("independent_reports"),
            "n_articles": p.get("n_articles"), "n_evidence": p.get("n_evidence"), "n_conflicts": p.get("n_conflicts"),
            "outlets": sorted({n for a in arts if (n := snap.outlet_name(a))}),
            "cited_outlets": snap.cited_names(fid),
            "doc_ids": [snap.articles[a].get("doc_id") or a for a in arts],
            "urls": [u for a in arts if (u := safe_url(snap.articles[a].get("url")))],
            "first_published": published[0] if published else None,
            "evidence": "\n".join(
                f"[{snap._article(e).get('doc_id') or snap.evidence_article.get(e, '')}] {snap.evidence[e]['sentence']}"
                for e in evidence),
        }
        rows.append({col: _cell(row.get(col)) for col in CSV_COLUMNS[filename]})
    return rows


def csv_files(snap: Snapshot) -> dict[str, str]:
    """File name -> CSV text (with a BOM so spreadsheet programs read it as UTF-8)."""
    out = {}
    for filename, columns in CSV_COLUMNS.items():
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(csv_rows(snap, filename))
        out[filename] = "\ufeff" + buf.getvalue()
    return out


# ---------------------------------------------------------------- TimelineJS

_GROUPS = {"Allegation": "Allegations", "GovernmentAction": "Government actions", "Event": "Events"}


def _tl_date(value: str | None) -> dict[str, str] | None:
    """A TimelineJS date at the value's precision; None without a year (never a guessed day or year)."""
    if not value:
        return None
    p = precision_of(value)
    if p is DatePrecision.month_day:
        return None
    parts = [str(int(x)) for x in value.split("-")]
    return dict(zip(("year", "month", "day"), parts, strict=False))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def timelinejs(snap: Snapshot, title: str = "AI geopolitics timeline", subtitle: str | None = None) -> dict[str, Any]:
    events = []
    left_out = 0
    for fid in snap.sorted_facts():
        p = snap.facts[fid]
        start = _tl_date(p.get("date_value"))
        if start is None:
            left_out += 1
            continue
        fact_type = snap.fact_types[fid]
        arts = snap.articles_of(fid)
        sources = sorted({n for a in arts if (n := snap.outlet_name(a))})
        reliability = p.get("reliability")
        meta = [str(p.get("kind") or "").replace("_", " ") if fact_type != "Event" else "event"]
        if p.get("status") and p.get("status") != "alleged":
            meta.append(str(p["status"]).replace("_", " "))
        if reliability is not None:
            meta.append(f"reliability {float(reliability):.0f}/100")
        meta.append(f"{p.get('n_articles') or len(arts)} article(s)")
        body = [f"<p>{_e(' · '.join(m for m in meta if m))}</p>"]
        if sources:
            body.append(f"<p>Sources: {_e(', '.join(sources))}</p>")
        quotes = []
        for e in snap.evidence_of(fid)[:5]:
            art = snap._article(e)
            where = ", ".join(x for x in (snap.outlet_name(snap.evidence_article.get(e, "")),
                                          str(art.get("published") or ""), str(art.get("doc_id") or "")) if x)
            quotes.append(f"<li>“{_e(snap.evidence[e]['sentence'])}” <em>({_e(where)})</em></li>")
        if quotes:
            body.append("<ul>" + "".join(quotes) + "</ul>")
        slide: dict[str, Any] = {
            "unique_id": f"fact-{fid}",
            "start_date": start,
            "display_date": p.get("date_display") or display(p.get("date_value"), p.get("date_end"),
                                                             p.get("date_qualifier")),
            "text": {"headline": _e(p.get("title") or fact_type), "text": "".join(body)},
            "group": _GROUPS[fact_type],
        }
        end = _tl_date(p.get("date_end"))
        if end is not None:
            slide["end_date"] = end
        events.append(slide)
    intro = [f"{len(events)} dated facts from {len(snap.articles)} article(s), each with the sentences that "
             "report it and a reliability score (0-100)."]
    if subtitle:
        intro.insert(0, subtitle)
    if left_out:
        intro.append(f"{left_out} fact(s) without a year (undated, or a day and month only) are left out.")
    return {
        "title": {"text": {"headline": _e(title), "text": "".join(f"<p>{_e(x)}</p>" for x in intro)}},
        "events": events,
    }


# ---------------------------------------------------------------- ClaimReview


def rating_label(reliability: float | None, origins: int | None, status: str | None) -> str:
    if status == "retracted":
        return "Retracted"
    r = float(reliability or 0.0)
    n = int(origins or 0)
    if r >= 75 and n >= 2:
        label = "Well supported"
    elif n >= 2:
        label = "Corroborated"
    elif r < 40:
        label = "Weakly supported"
    else:
        label = "Single source"
    return f"{label}, denied by the accused" if status == "denied" else label


def _schema_actor(snap: Snapshot, actor_id: str) -> dict[str, Any]:
    t = snap.actor_types.get(actor_id)
    return {"@type": "Person" if t == "Person" else "Organization",
            "name": snap.actors.get(actor_id, {}).get("name", actor_id)}


def claimreview(snap: Snapshot, today: date | None = None) -> dict[str, Any]:
    """schema.org ClaimReview for each allegation: the claim, who made it, where it appeared, how well supported."""
    reviews = []
    for fid in snap.sorted_facts("Allegation"):
        p = snap.facts[fid]
        appearances = []
        for a in snap.articles_of(fid):
            art = snap.articles[a]
            item: dict[str, Any] = {"@type": "NewsArticle"}
            url = safe_url(art.get("url"))
            if url:
                item["url"] = url
            for key, prop in (("headline", "title"), ("datePublished", "published"), ("identifier", "doc_id")):
                if art.get(prop):
                    item[key] = str(art[prop])
            outlet = snap.outlet_name(a)
            if outlet:
                item["publisher"] = {"@type": "Organization", "name": outlet}
            appearances.append(item)
        accusers = [r.actor_id for r in sorted(snap.roles, key=lambda r: r.position or 0)
                    if r.fact_id == fid and r.relation == "accuser"]
        accused = [r.actor_id for r in sorted(snap.roles, key=lambda r: r.position or 0)
                   if r.fact_id == fid and r.relation == "accused"]
        claim: dict[str, Any] = {"@type": "Claim", "name": p.get("title")}
        if accusers:
            claim["author"] = _schema_actor(snap, accusers[0])
        if accused:
            claim["about"] = [_schema_actor(snap, x) for x in accused]
        value, end = p.get("date_value"), p.get("date_end")
        if value and not str(value).startswith("--"):  # when the alleged conduct took place, as the text gives it
            has_end = end and not str(end).startswith("--")
            claim["temporalCoverage"] = f"{value}/{end}" if has_end else str(value)
        claim["appearance"] = appearances
        dated = [x for x in appearances if x.get("datePublished")]
        first = min(dated, key=lambda x: x["datePublished"]) if dated else (appearances[0] if appearances else None)
        if first is not None:
            claim["firstAppearance"] = first
            if first.get("datePublished"):
                claim["datePublished"] = first["datePublished"]
        explanation = p.get("reliability_explanation")
        try:
            lines = json.loads(explanation) if isinstance(explanation, str) else []
        except ValueError:
            lines = []
        reliability = p.get("reliability")
        rating = {
            "@type": "Rating",
            "ratingValue": round(float(reliability)) if reliability is not None else 0,
            "bestRating": 100,
            "worstRating": 0,
            "alternateName": rating_label(reliability, p.get("independent_reports"), p.get("status")),
        }
        if lines:
            rating["ratingExplanation"] = "; ".join(str(x) for x in lines) + "."
        reviews.append({
            "@type": "ClaimReview",
            "@id": f"{iri('fact', fid)}#review",
            "url": str(iri("fact", fid)),
            "claimReviewed": p.get("title"),
            "datePublished": (today or date.today()).isoformat(),
            "author": PROJECT,
            "reviewRating": rating,
            "itemReviewed": claim,
        })
    return {"@context": "https://schema.org", "@graph": reviews}


# ---------------------------------------------------------------- writing files


@dataclass
class ExportResult:
    fmt: str
    path: Path
    counts: dict[str, int]
    files: list[str] = field(default_factory=list)
    items: int = 0
    left_out: int = 0

    def line(self) -> str:
        c = self.counts
        base = (f"{self.fmt} export to {self.path}: {c['facts']} facts, {c['evidence']} evidence sentences, "
                f"{c['articles']} articles, {c['actors']} actors")
        if self.fmt in ("turtle", "jsonld"):
            base += f"; {self.items} triples"
        elif self.fmt == "csv":
            base += f"; files {', '.join(self.files)}"
        elif self.fmt == "timelinejs":
            base += f"; {self.items} slides, {self.left_out} facts without a year left out"
        elif self.fmt == "claimreview":
            base += f"; {self.items} ClaimReview items"
        return base


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def export(graph: KGGraph, fmt: str, out_path: Path | str, actor: str | None = None,
           since: date | str | None = None, include_text: bool = True) -> ExportResult:
    """Write one export format of the graph (or of the facts an actor and/or start date select)."""
    if fmt not in FORMATS:
        raise KGError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    path = Path(out_path)
    snap = select(graph, actor=actor, since=since)
    result = ExportResult(fmt=fmt, path=path, counts=snap.counts())
    if fmt in ("turtle", "jsonld"):
        g = to_rdf(snap, include_text=include_text)
        result.items = len(g)
        if fmt == "turtle":
            text = g.serialize(format="turtle")
        else:
            text = json_for_html(g.serialize(format="json-ld", context=JSONLD_CONTEXT, indent=2))
        _write_text(path, text)
    elif fmt == "csv":
        files = csv_files(snap)
        result.files = list(files)
        if path.suffix.lower() == ".zip":
            path.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for name, text in files.items():
                    zf.writestr(name, text.encode("utf-8"))
        else:
            if path.exists() and not path.is_dir():
                raise KGError(f"{path} is a file: CSV export writes a directory (or give a .zip path)")
            path.mkdir(parents=True, exist_ok=True)
            for name, text in files.items():
                (path / name).write_text(text, encoding="utf-8", newline="")
    elif fmt == "timelinejs":
        parts = [f"actor: {actor}" if actor else "", f"since {parse_since(since)}" if since else ""]
        doc = timelinejs(snap, subtitle="; ".join(x for x in parts if x) or None)
        result.items = len(doc["events"])
        result.left_out = len(snap.facts) - result.items
        _write_text(path, json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        doc = claimreview(snap)
        result.items = len(doc["@graph"])
        _write_text(path, json_for_html(doc))
    return result


__all__ = ["AIGP", "AIGX", "FORMATS", "ExportResult", "Snapshot", "claimreview", "csv_files", "export",
           "json_for_html", "load_snapshot", "safe_url", "select", "timelinejs", "to_rdf"]
