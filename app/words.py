"""The words a reader sees for the graph's names: fact types, kinds, statuses, date precisions, attribution
kinds and actor types. Every word comes from the ontology's aig:readerLabel (ontology/kg.ttl, said once
there), so no label table lives in the app; a name the ontology does not know is shown with spaces."""

from __future__ import annotations

from ontology.models import ActionKind, AllegationKind, NodeLabel
from ontology.vocabulary import vocabulary

# Which concept scheme a fact type's kinds come from (the enums mirror the ontology's schemes, drift-tested).
_KIND_SCHEME = {NodeLabel.Allegation.value: AllegationKind.__name__,
                NodeLabel.GovernmentAction.value: ActionKind.__name__}


def type_word(name: str | None) -> str:
    """A class name (a fact type or an actor type) in words: "government action", "AI model"."""
    return vocabulary.words(name) if name else ""


def kind_word(kind: str | None, fact_type: str | None = None) -> str:
    """A kind in words. Without the fact type, a kind both schemes have ("other") stays "other"."""
    if not kind:
        return ""
    if fact_type == NodeLabel.Event.value or kind == "event":
        return type_word(NodeLabel.Event.value)
    scheme = _KIND_SCHEME.get(fact_type or "")
    if scheme is None:
        owners = [s for s in _KIND_SCHEME.values() if kind in vocabulary.concepts(s)]
        scheme = owners[0] if len(owners) == 1 else ""
    return vocabulary.words(kind, scheme)


def status_word(status: str | None) -> str:
    return vocabulary.words(status, "AllegationStatus") if status else ""


def precision_word(precision: str | None) -> str:
    return vocabulary.words(precision, "DatePrecision") if precision else "no date"


def attribution_word(kind: str | None) -> str:
    return vocabulary.words(kind, "AttributionKind") if kind else "not attributed"
