"""The ontology read once into one vocabulary object that kg/, ingest/ and app/ import.

`vocabulary.relation("accuser")` raises on an unknown name (for code); `.get_relation` returns None
(for user input). Graph labels and relationship types come from here, never from a second list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Namespace, URIRef
from rdflib.term import Node

ONTOLOGY_PATH = Path(__file__).with_name("kg.ttl")
SHAPES_PATH = Path(__file__).with_name("shapes.ttl")
AIG = Namespace("https://w3id.org/aigeo/kg#")


@dataclass(frozen=True)
class Relation:
    iri: URIRef
    local_name: str
    rel_type: str
    domain: str | None
    range: str | None


@dataclass
class Vocabulary:
    graph: Graph
    _concepts: dict[str, list[str]] = field(default_factory=dict)

    @cached_property
    def classes(self) -> dict[str, URIRef]:
        """Class label -> IRI, for the classes this ontology defines (graph node labels)."""
        out: dict[str, URIRef] = {}
        for iri in self.graph.subjects(RDF.type, OWL.Class):
            if isinstance(iri, URIRef) and str(iri).startswith(str(AIG)):
                out[str(self.graph.value(iri, RDFS.label))] = iri
        return out

    @cached_property
    def actor_types(self) -> list[str]:
        actor = AIG.Actor
        return sorted(
            label for label, iri in self.classes.items() if (iri, RDFS.subClassOf, actor) in self.graph
        )

    @cached_property
    def relations(self) -> dict[str, Relation]:
        """Relation local name -> Relation (its label is the graph relationship type)."""
        out: dict[str, Relation] = {}
        for iri in self.graph.subjects(RDF.type, OWL.ObjectProperty):
            if not str(iri).startswith(str(AIG)):
                continue
            label = str(self.graph.value(iri, RDFS.label))
            if not label.isupper():
                continue  # node-valued properties such as kind/status are not relationships
            local = str(iri)[len(str(AIG)):]
            dom = self.graph.value(iri, RDFS.domain)
            rng = self.graph.value(iri, RDFS.range)
            out[local] = Relation(
                iri=URIRef(str(iri)),
                local_name=local,
                rel_type=label,
                domain=self._label(dom),
                range=self._label(rng),
            )
        return out

    @cached_property
    def role_relations(self) -> tuple[str, ...]:
        """Local names of the relations from a fact to an actor (accuser, accused, issuer, target,
        involves): a relation whose domain is a subclass of aig:Fact and whose range is aig:Actor, in the
        ontology file's order."""
        fact_types = {str(self.graph.value(iri, RDFS.label)) for iri in self.graph.subjects(RDFS.subClassOf, AIG.Fact)}
        return tuple(r.local_name for r in self.relations.values() if r.domain in fact_types and r.range == "Actor")

    def plural_label(self, class_name: str) -> str:
        """What the views call a set of a class's instances ("Government actions"); the name if none is given."""
        for iri in self.graph.subjects(RDFS.label, None):
            if str(self.graph.value(iri, RDFS.label)) == class_name:
                plural = self.graph.value(iri, AIG.pluralLabel)
                if plural is not None:
                    return str(plural)
        return class_name

    @cached_property
    def _reader_labels(self) -> dict[tuple[str, str], str]:
        """(scheme or "class", notation or class name) -> aig:readerLabel."""
        out: dict[tuple[str, str], str] = {}
        for iri, words in self.graph.subject_objects(AIG.readerLabel):
            scheme = self.graph.value(iri, SKOS.inScheme)
            if scheme is not None:
                notation = self.graph.value(iri, SKOS.notation) or self.graph.value(iri, SKOS.prefLabel)
                out[(str(scheme).removeprefix(str(AIG)), str(notation))] = str(words)
            else:
                out[("class", str(self.graph.value(iri, RDFS.label)))] = str(words)
        return out

    def words(self, name: str | None, scheme: str = "class") -> str:
        """What a reader sees for a class name (scheme "class") or a concept of `scheme` ("AllegationKind",
        "AllegationStatus", "DatePrecision", ...): its aig:readerLabel. A name the ontology does not know (data
        from elsewhere) is shown with its underscores as spaces, never raised on: this is for display."""
        if not name:
            return ""
        return self._reader_labels.get((scheme, name)) or name.replace("_", " ")

    def _label(self, iri: Node | None) -> str | None:
        if iri is None:
            return None
        label = self.graph.value(iri, RDFS.label)
        return str(label) if label is not None else None

    def relation(self, name: str) -> Relation:
        rel = self.get_relation(name)
        if rel is None:
            raise KeyError(f"no relation {name!r} in the ontology")
        return rel

    def get_relation(self, name: str) -> Relation | None:
        return self.relations.get(name)

    def rel_type(self, name: str) -> str:
        return self.relation(name).rel_type

    def label(self, class_name: str) -> str:
        if class_name not in self.classes:
            raise KeyError(f"no class {class_name!r} in the ontology")
        return class_name

    def concepts(self, scheme: str) -> list[str]:
        """Notations of the concepts in a scheme (AllegationKind, ActionKind, ...), in file order."""
        if scheme not in self._concepts:
            scheme_iri = AIG[scheme]
            if (scheme_iri, RDF.type, SKOS.ConceptScheme) not in self.graph:
                raise KeyError(f"no concept scheme {scheme!r} in the ontology")
            names = []
            for concept in self.graph.subjects(SKOS.inScheme, scheme_iri):
                notation = self.graph.value(concept, SKOS.notation) or self.graph.value(concept, SKOS.prefLabel)
                names.append(str(notation))
            self._concepts[scheme] = sorted(names)
        return self._concepts[scheme]

    def concept_iri(self, scheme: str, notation: str) -> URIRef:
        scheme_iri = AIG[scheme]
        for concept in self.graph.subjects(SKOS.inScheme, scheme_iri):
            value = self.graph.value(concept, SKOS.notation) or self.graph.value(concept, SKOS.prefLabel)
            if str(value) == notation:
                return URIRef(str(concept))
        raise KeyError(f"no concept {notation!r} in {scheme}")

    def precedence(self, scheme: str) -> list[str]:
        """The notations of a scheme by aig:precedence, highest first (the one that wins first)."""
        ranked = []
        for notation in self.concepts(scheme):
            value = self.graph.value(self.concept_iri(scheme, notation), AIG.precedence)
            if value is None:
                raise KeyError(f"{scheme} {notation!r} has no aig:precedence")
            ranked.append((-int(str(value)), notation))
        return [n for _, n in sorted(ranked)]

    @cached_property
    def kind_families(self) -> dict[str, str]:
        """Kind notation -> name of the skos:Collection it belongs to (kinds one fact may carry)."""
        out: dict[str, str] = {}
        for coll in self.graph.subjects(RDF.type, SKOS.Collection):
            family = str(self.graph.value(coll, SKOS.prefLabel))
            for member in self.graph.objects(coll, SKOS.member):
                notation = self.graph.value(member, SKOS.notation) or self.graph.value(member, SKOS.prefLabel)
                out[str(notation)] = family
        return out

    def kind_family(self, kind: str) -> str:
        return self.kind_families.get(kind, kind)


def load(path: Path = ONTOLOGY_PATH) -> Vocabulary:
    graph = Graph()
    graph.parse(path, format="turtle")
    return Vocabulary(graph=graph)


vocabulary = load()
