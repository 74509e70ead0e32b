"""RDF export (Turtle and JSON-LD are the same triples) under the ontology.

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
  identifiers   an actor with a Wikidata QID (the gazetteer's) is owl:sameAs <http://www.wikidata.org/entity/Q…>;
                an actor a curator merged into another keeps its own, and is aig:sameAs (a sub-property of
                owl:sameAs) the actor it was merged into, so the merged actor stands for both identifiers.
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
                                    aig:concerns its fact; the sentences are linked by aig:conflictsWith),
                aigx:link [aigx:relation aig:ledTo; aigx:target <f>; aigp:articles …]  a link from the fact
                                    to another with its properties (the direct aig:ledTo / aig:respondsTo
                                    triple is there while the link holds).
  aigp:         https://w3id.org/aigeo/kg/prop#  every other graph property, verbatim, so an export can be
                imported back (kg/export/rdf_import.py): aigp:<property name> with an xsd:string, xsd:integer,
                xsd:double or xsd:boolean literal, lists as rdf:JSON literals. Derived properties are left
                out and recomputed on import: an actor's name_lower and search, an evidence's fact_id,
                article_id, doc_id and published.

RDF keeps no order among the values of one property: aliases, attributions and hedges come back sorted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote, unquote

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg.export.safe import safe_url
from kg.export.snapshot import KIND_SCHEMES, Snapshot
from ontology.models import LINK_RELATIONS, QID, DatePrecision, precision_of
from ontology.vocabulary import AIG, vocabulary

AIGX = Namespace("https://w3id.org/aigeo/kg/x#")
# relationship type -> ontology relation name, for the links between facts (LED_TO -> ledTo)
LINK_NAMES = {vocabulary.rel_type(name): name for name in LINK_RELATIONS.values()}
AIGP = Namespace("https://w3id.org/aigeo/kg/prop#")
TIME = Namespace("http://www.w3.org/2006/time#")
WD = Namespace("http://www.wikidata.org/entity/")  # Wikidata's entity IRIs, what owl:sameAs points an actor to
ID = "https://w3id.org/aigeo/id/"

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

_DATATYPE = {
    DatePrecision.day: XSD.date,
    DatePrecision.month: XSD.gYearMonth,
    DatePrecision.year: XSD.gYear,
    DatePrecision.month_day: XSD.gMonthDay,
}


@dataclass(frozen=True)
class Term:
    """A graph property written with an ontology (or aigx:) term instead of a verbatim aigp: one."""

    prop: str
    predicate: URIRef
    codec: str  # str | strs | int | decimal | bool | date | uri | when | kind | kinds | status | precision | qid


ACTOR_TERMS = (Term("name", AIG.name, "str"), Term("aliases", AIG.alias, "strs"),
               Term("wikidata", OWL.sameAs, "qid"))
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
            if c == "qid":  # a Wikidata QID: the actor owl:sameAs its Wikidata entity
                return [WD[str(value)]] if QID.match(str(value)) else None
        except (ValueError, KeyError, TypeError):
            return None
        if c in ("kind", "kinds"):
            scheme = KIND_SCHEMES.get(fact_type or "")
            values = value if c == "kinds" else [value]
            if scheme is None or not isinstance(values, list):
                return None
            found = [self.concept(scheme, v) for v in values]
            return None if any(x is None for x in found) else [x for x in found if x is not None]
        if c in ("status", "precision"):
            x = self.concept("AllegationStatus" if c == "status" else "DatePrecision", value)
            return [x] if x is not None else None
        raise ValueError(f"unknown codec {c}")

    def props(self, subject: Node, props: dict[str, Any], terms: tuple[Term, ...], skip: frozenset[str],
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
    for named_fact, named_actor in snap.names:  # derived (kg/names.py): what each fact names, for SPARQL users
        g.add((iri("fact", named_fact), AIG.names, iri("actor", named_actor)))
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
    for link in snap.links:  # LED_TO / RESPONDS_TO: the triple while it holds, its properties beside it
        a, other, relation = iri("fact", link.a), iri("fact", link.b), AIG[LINK_NAMES[link.type]]
        if link.props.get("unlinked_by") is None:
            g.add((a, relation, other))
        q = BNode()
        g.add((a, AIGX.link, q))
        g.add((q, AIGX.relation, relation))
        g.add((q, AIGX.target, other))
        b.props(q, link.props, (), frozenset())
    b.add_concepts()
    return g
