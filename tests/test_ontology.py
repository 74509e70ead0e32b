"""The Python models and the graph names follow the ontology; a drift in either fails here."""

from __future__ import annotations

from enum import StrEnum

import pytest
from rdflib import Graph

from ontology import AIG, SHAPES_PATH, vocabulary
from ontology import models as m

SCHEMES: list[tuple[type[StrEnum], str]] = [
    (m.AllegationKind, "AllegationKind"),
    (m.ActionKind, "ActionKind"),
    (m.AllegationStatus, "AllegationStatus"),
    (m.DatePrecision, "DatePrecision"),
    (m.AttributionKind, "AttributionKind"),
    (m.JudgementKind, "JudgementKind"),
]


@pytest.mark.parametrize("scheme", ["AllegationStatus", "AttributionKind"])
def test_precedence_is_a_total_order(scheme: str) -> None:
    ranked = vocabulary.precedence(scheme)
    assert sorted(ranked) == vocabulary.concepts(scheme)
    assert ranked[0] in {"retracted", "statement"}  # what wins: a retraction; an on-record statement


@pytest.mark.parametrize(("enum", "scheme"), SCHEMES, ids=[s for _, s in SCHEMES])
def test_enums_match_concept_schemes(enum: type[StrEnum], scheme: str) -> None:
    assert sorted(e.value for e in enum) == vocabulary.concepts(scheme)


def test_actor_types_match_actor_subclasses() -> None:
    assert sorted(t.value for t in m.ActorType) == vocabulary.actor_types


def test_node_labels_are_ontology_classes() -> None:
    for label in m.NodeLabel:
        assert label.value in vocabulary.classes, label
    assert {f.value for f in m.FACT_LABELS} == {"Allegation", "GovernmentAction", "Event"}


def test_record_fields_name_ontology_relations() -> None:
    """Each actor-valued field of a record is a relation of the ontology with the right domain."""
    expected = {
        (m.AllegationRecord, "accuser"): ("accuser", "Allegation"),
        (m.AllegationRecord, "accused"): ("accused", "Allegation"),
        (m.ActionRecord, "issuer"): ("issuer", "GovernmentAction"),
        (m.ActionRecord, "targets"): ("target", "GovernmentAction"),
        (m.EventRecord, "actors"): ("involves", "Event"),
    }
    for (model, field), (relation, domain) in expected.items():
        assert field in model.model_fields
        rel = vocabulary.relation(relation)
        assert rel.domain == domain and rel.range == "Actor"


def test_role_relations_are_the_fact_to_actor_relations() -> None:
    """The roles the Cypher role union and the exports are generated from (kg/cypher/fragments.py)."""
    assert vocabulary.role_relations == ("accuser", "accused", "issuer", "target", "involves")
    for name in vocabulary.role_relations:
        rel = vocabulary.relation(name)
        assert rel.domain in {f.value for f in m.FACT_LABELS} and rel.range == "Actor"


def test_relation_types_are_upper_snake_and_unique() -> None:
    types = [r.rel_type for r in vocabulary.relations.values()]
    assert len(types) == len(set(types))
    assert all(t.replace("_", "").isalpha() and t.isupper() for t in types)
    for name in ("accuser", "accused", "issuer", "target", "reportedIn", "publishedBy", "cites", "sameAs",
                 "conflictsWith", "hasEvidence", "mentions", "involves"):
        assert vocabulary.get_relation(name) is not None, name
    assert vocabulary.get_relation("no_such_relation") is None
    with pytest.raises(KeyError):
        vocabulary.relation("no_such_relation")


def test_reuses_prov_and_time() -> None:
    text = vocabulary.graph.serialize(format="turtle")
    assert "http://www.w3.org/ns/prov#" in text and "http://www.w3.org/2006/time#" in text


def test_shapes_parse_and_target_ontology_classes() -> None:
    shapes = Graph().parse(SHAPES_PATH, format="turtle")
    targets = {str(o) for o in shapes.objects(None, shapes.namespace_manager.expand_curie("sh:targetClass"))}
    classes = {str(iri) for iri in vocabulary.classes.values()}
    assert targets and targets <= classes


def test_timespec_rejects_impossible_and_keeps_precision() -> None:
    with pytest.raises(ValueError):
        m.TimeSpec(value="2026-02-30", precision=m.DatePrecision.day)
    with pytest.raises(ValueError):
        m.TimeSpec(value="2026-06", precision=m.DatePrecision.day)
    month = m.TimeSpec(value="2026-06", precision=m.DatePrecision.month)
    assert month.bounds() is not None and month.bounds()[1].day == 30
    assert m.TimeSpec(value="--06-24", precision=m.DatePrecision.month_day).bounds() is None


@pytest.mark.parametrize("scheme", [s for _, s in SCHEMES])
def test_every_concept_a_reader_sees_has_words(scheme: str) -> None:
    """Issue 19: the app shows aig:readerLabel, never a notation; a new concept without one would leak its
    enum name ("no_comment") to readers."""
    for notation in vocabulary.concepts(scheme):
        words = vocabulary.words(notation, scheme)
        iri = vocabulary.concept_iri(scheme, notation)
        assert vocabulary.graph.value(iri, AIG.readerLabel) is not None, (scheme, notation)
        assert "_" not in words, (scheme, notation, words)
    assert vocabulary.words("no_comment", "AllegationStatus") == "no comment"
    assert vocabulary.words("other", "ActionKind") != vocabulary.words("other", "AllegationKind")


def test_every_node_label_and_actor_type_has_words() -> None:
    for name in [*(x.value for x in m.NodeLabel), *(x.value for x in m.ActorType)]:
        assert vocabulary.graph.value(vocabulary.classes[name], AIG.readerLabel) is not None, name
    assert vocabulary.words("GovernmentAction") == "government action" and vocabulary.words("AIModel") == "AI model"
