"""Extraction records built by hand for graph tests (no spaCy): small, explicit, and varied."""

from __future__ import annotations

from datetime import date

from ontology.models import (
    ActionKind,
    ActionRecord,
    ActorRecord,
    ActorType,
    AllegationKind,
    AllegationRecord,
    AllegationStatus,
    ArticleRecord,
    AttributionKind,
    EventRecord,
    Evidence,
    Extraction,
    Figure,
    TimeSpec,
    precision_of,
)

ACTORS = {
    "lab": ActorRecord(id="northwind-ai", name="Northwind AI", type=ActorType.Organization, aliases=["Northwind"]),
    "giant": ActorRecord(id="redriver-group", name="Redriver Group", type=ActorType.Organization,
                         aliases=["Redriver", "Redriver Group Holding"], wikidata="Q4115189"),  # Wikidata's sandbox
    "agency": ActorRecord(id="us-department-of-commerce", name="U.S. Department of Commerce",
                          type=ActorType.GovernmentBody, aliases=["Commerce Department"]),
    "us": ActorRecord(id="united-states", name="United States", type=ActorType.Country, aliases=["Washington"]),
}


def spec(value: str, end: str | None = None, qualifier: str | None = None) -> TimeSpec:
    return TimeSpec(value=value, precision=precision_of(value), end=end, qualifier=qualifier)


def evidence(text: str, sentence: str, **kw: object) -> Evidence:
    start = text.index(sentence)
    return Evidence(sentence=sentence, start=start, end=start + len(sentence), **kw)  # type: ignore[arg-type]


def article(doc_id: str, text: str, outlet: str | None = None, published: date | None = None,
            url: str | None = None) -> ArticleRecord:
    return ArticleRecord(doc_id=doc_id, text=text, outlet=outlet, published=published, url=url)


def accusation(doc_id: str, sentence: str, *, date_: TimeSpec | None = None, outlet: str | None = None,
               kind: AllegationKind = AllegationKind.distillation, attributions: list[str] | None = None,
               attribution_kind: AttributionKind | None = None, hedges: list[str] | None = None,
               status: AllegationStatus = AllegationStatus.alleged, figures: list[Figure] | None = None,
               url: str | None = None, extra: str = "") -> Extraction:
    """An article in which Northwind AI accuses Redriver Group."""
    text = f"Intro line for {doc_id}.\n{sentence}\n{extra}Closing line."
    art = article(doc_id, text, outlet=outlet, url=url)
    ev = evidence(text, sentence, attributions=attributions or [], attribution_kind=attribution_kind,
                  hedges=hedges or [])
    return Extraction(
        article=art,
        actors=[ACTORS["lab"], ACTORS["giant"]],
        allegations=[AllegationRecord(accuser="northwind-ai", accused=["redriver-group"], kind=kind, date=date_,
                                      status=status, figures=figures or [], evidence=ev)],
    )


def action_article(doc_id: str, sentence: str, *, date_: TimeSpec | None, negated: bool = False,
                   kind: ActionKind = ActionKind.restriction, outlet: str | None = None) -> Extraction:
    text = f"{sentence}\nMore context follows."
    ev = evidence(text, sentence)
    return Extraction(
        article=article(doc_id, text, outlet=outlet),
        actors=[ACTORS["agency"], ACTORS["giant"]],
        actions=[ActionRecord(issuer="us-department-of-commerce", targets=["redriver-group"], kind=kind,
                              date=date_, negated=negated, evidence=ev)],
        events=[EventRecord(date=date_, actors=["us-department-of-commerce", "redriver-group"], evidence=ev)]
        if date_ else [],
    )


# Extraction left a duplicate: "Redriver" (from NER) beside the gazetteer's "Redriver Group".
DUPLICATE = ActorRecord(id="redriver", name="Redriver", type=ActorType.Organization, aliases=["RR"], source="ner")


def duplicate_actor_articles() -> list[Extraction]:
    """Three articles naming one company two ways: "Redriver Group" (the gazetteer's) and "Redriver" (NER's)."""
    first = accusation("cur-1", "Northwind AI accused Redriver Group of distilling its model.",
                       date_=spec("2026-06-24"), outlet="Reuters")
    text2 = "Northwind AI says Redriver stole its weights.\nRedriver denies it.\nClosing line."
    s2 = "Northwind AI says Redriver stole its weights."
    second = Extraction(
        article=article("cur-2", text2, outlet="Bloomberg"),
        actors=[ACTORS["lab"], DUPLICATE],
        allegations=[AllegationRecord(accuser="northwind-ai", accused=["redriver"], kind=AllegationKind.ip_theft,
                                      date=spec("2026-06"), evidence=evidence(text2, s2))],
    )
    text3 = "The Commerce Department restricted exports to Redriver in July 2026.\nMore context."
    s3 = "The Commerce Department restricted exports to Redriver in July 2026."
    third = Extraction(
        article=article("cur-3", text3),
        actors=[ACTORS["agency"], DUPLICATE],
        actions=[ActionRecord(issuer="us-department-of-commerce", targets=["redriver"],
                              kind=ActionKind.restriction, date=spec("2026-07"), evidence=evidence(text3, s3))],
    )
    return [first, second, third]
