"""A small, varied graph for the app's tests, built by hand (no spaCy) and written with the real writer.

Every actor, doc_id and fact here is prefixed or named so that no other test uses it ("appfx-", fictional
names), so the fixtures can share the session's graph server with other tests.

    python -m tests.app_fixtures            # load into the server configured by KG_* / NEO4J_* env

What is in it: allegations with day, month, month-and-day-without-year dates and a range; one allegation
reported by two outlets with different days (a date conflict); a government action, one negated; events;
outlets Reuters, Associated Press, unknown outlets, and an article with no outlet at all; and an article
whose text and title carry `<script>` and `<img onerror>` payloads that must only ever be shown as text.
"""

from __future__ import annotations

import sys
from datetime import date

from kg.db import Graph
from kg.facts import action_id, allegation_id, event_id
from kg.writer import GraphWriter
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
)
from tests.records import spec

ZEPHYR = ActorRecord(id="appfx-zephyr-labs", name="Zephyr Labs", type=ActorType.Organization,
                     aliases=["Zephyr", "ZL Research"])
KESTREL = ActorRecord(id="appfx-kestrel-compute", name="Kestrel Compute", type=ActorType.Organization,
                      aliases=["Kestrel", "Kestrel Compute Holdings"], wikidata="Q4115189")  # Wikidata's sandbox
MINISTRY = ActorRecord(id="appfx-ministry-digital-trade", name="Ministry of Digital Trade",
                       type=ActorType.GovernmentBody, aliases=["MDT"])
BOREALIA = ActorRecord(id="appfx-borealia", name="Republic of Borealia", type=ActorType.Country,
                       aliases=["Borealia"])
MARSH = ActorRecord(id="appfx-ivo-marsh", name="Ivo Marsh", type=ActorType.Person, aliases=[])
QUILL = ActorRecord(id="appfx-quill-7", name="Quill-7", type=ActorType.AIModel, aliases=["Quill 7"])

SCRIPT_PAYLOAD = "<script>alert(1)</script>"
IMG_PAYLOAD = "<img src=x onerror=alert(1)>"
FLAG_SCRIPT = "<script>window.appfxPwned=1</script>"
FLAG_IMG = '<img src=x onerror="window.appfxPwned=1">'
EVIL_OUTLET = f"Evil Feed {FLAG_IMG}"  # an outlet name is article metadata too: it reaches charts and tables

# Sentences the tests look for.
CONFLICT_SENTENCE_A = ("Zephyr Labs said on March 1, 2026 that Kestrel Compute had distilled its models "
                       "through more than 20,000 fraudulent accounts.")
CONFLICT_SENTENCE_B = ("Kestrel Compute reportedly distilled Zephyr Labs' models, a campaign Zephyr "
                       "dated to March 3, 2026, according to Reuters.")
SCRIPT_SENTENCE = (f"Borealia accused Kestrel Compute of a cyberattack on its grid on June 24 {SCRIPT_PAYLOAD} "
                   f"{IMG_PAYLOAD} {FLAG_SCRIPT} {FLAG_IMG} officials said.")
MONTH_SENTENCE = "Kestrel Compute allegedly accused Zephyr Labs of espionage in April 2026, sources said."
RANGE_SENTENCE = ("Between January 10 and February 15, 2026, Quill-7 operators accessed Zephyr Labs servers "
                  "without authorisation, Zephyr Labs said.")
ACTION_SENTENCE = ("The Ministry of Digital Trade added Kestrel Compute to its entity list on May 14, 2026, "
                   "the ministry said in a notice.")
NEGATED_SENTENCE = "The Ministry of Digital Trade decided against a ban on Zephyr Labs in 2026."
EXPORT_SENTENCE = ("Borealia restricted exports of accelerators to Kestrel Compute from March to June 2026, "
                   "the government announced.")
SUMMIT_SENTENCE = "Ivo Marsh will host the Borealia AI summit in September 2026."
DENIAL_SENTENCE = ("Ivo Marsh accused Borealia of smuggling chips in November 2025; Borealia denied "
                   "the claim.")
UNDATED_SENTENCE = "Zephyr Labs warned that Quill-7 posed a security risk, people familiar with the matter said."


def _ev(text: str, sentence: str, **kw: object) -> Evidence:
    start = text.index(sentence)
    return Evidence(sentence=sentence, start=start, end=start + len(sentence), **kw)  # type: ignore[arg-type]


def _art(doc_id: str, sentence: str, *, outlet: str | None, published: date | None, title: str,
         url: str | None = None) -> ArticleRecord:
    text = (f"{title}.\nBy a staff reporter for {doc_id}.\n{sentence}\n"
            "Further background followed in the article, with no further claims.")
    return ArticleRecord(doc_id=doc_id, text=text, title=title, outlet=outlet, published=published, url=url)


def _allegation(doc_id: str, sentence: str, *, accuser: ActorRecord, accused: ActorRecord, kind: AllegationKind,
                date_: TimeSpec | None, outlet: str | None, published: date | None, title: str,
                attribution_kind: AttributionKind | None = None, attributions: list[str] | None = None,
                hedges: list[str] | None = None, status: AllegationStatus = AllegationStatus.alleged,
                figures: list[Figure] | None = None, url: str | None = None) -> Extraction:
    art = _art(doc_id, sentence, outlet=outlet, published=published, title=title, url=url)
    ev = _ev(art.text, sentence, attribution_kind=attribution_kind, attributions=attributions or [],
             hedges=hedges or [])
    return Extraction(
        article=art, actors=[accuser, accused],
        allegations=[AllegationRecord(accuser=accuser.id, accused=[accused.id], kind=kind, date=date_,
                                      status=status, figures=figures or [], evidence=ev)],
    )


def _action(doc_id: str, sentence: str, *, issuer: ActorRecord, target: ActorRecord, kind: ActionKind,
            date_: TimeSpec | None, outlet: str | None, published: date | None, title: str,
            negated: bool = False, with_event: bool = False) -> Extraction:
    art = _art(doc_id, sentence, outlet=outlet, published=published, title=title)
    ev = _ev(art.text, sentence, attribution_kind=AttributionKind.statement)
    events = [EventRecord(date=date_, actors=[issuer.id, target.id], evidence=ev,
                          summary=f"{target.name} placed on the {issuer.name} entity list")] \
        if with_event and date_ else []
    return Extraction(
        article=art, actors=[issuer, target],
        actions=[ActionRecord(issuer=issuer.id, targets=[target.id], kind=kind, date=date_, negated=negated,
                              evidence=ev)],
        events=events,
    )


def fixture_extractions() -> list[Extraction]:
    out: list[Extraction] = []
    # 1-2: one allegation, two outlets, two different days: a date conflict.
    out.append(_allegation(
        "appfx-reuters-distillation", CONFLICT_SENTENCE_A, accuser=ZEPHYR, accused=KESTREL,
        kind=AllegationKind.distillation, date_=spec("2026-03-01"), outlet="Reuters", published=date(2026, 3, 2),
        title="Zephyr Labs accuses Kestrel Compute of distillation", attribution_kind=AttributionKind.statement,
        figures=[Figure(value=20000, unit="accounts", qualifier="more than", low=20000, high=None,
                        text="more than 20,000 fraudulent accounts")],
        url="https://www.reuters.com/appfx/zephyr-kestrel"))
    out.append(_allegation(
        "appfx-ap-distillation", CONFLICT_SENTENCE_B, accuser=ZEPHYR, accused=KESTREL,
        kind=AllegationKind.distillation, date_=spec("2026-03-03"), outlet="Associated Press",
        published=date(2026, 3, 4), title="Kestrel Compute said to have distilled Zephyr models",
        attribution_kind=AttributionKind.outlet, attributions=["Reuters"], hedges=["reportedly"]))
    # 3: month precision, unknown outlet, anonymous and hedged: low reliability.
    out.append(_allegation(
        "appfx-rumour-espionage", MONTH_SENTENCE, accuser=KESTREL, accused=ZEPHYR, kind=AllegationKind.espionage,
        date_=spec("2026-04"), outlet="Silicon Rumour Mill", published=date(2026, 4, 20),
        title="Kestrel turns espionage claims on Zephyr", attribution_kind=AttributionKind.anonymous,
        hedges=["allegedly"]))
    # 4: day and month with no year; text and title carry HTML/JS payloads.
    out.append(_allegation(
        "appfx-script-cyberattack", SCRIPT_SENTENCE, accuser=BOREALIA, accused=KESTREL,
        kind=AllegationKind.cyberattack, date_=spec("--06-24"), outlet=EVIL_OUTLET, published=date(2026, 6, 26),
        title=f"Grid attack {SCRIPT_PAYLOAD} {IMG_PAYLOAD}", attribution_kind=AttributionKind.statement,
        url="javascript:alert(1)"))
    # 5: a range.
    out.append(_allegation(
        "appfx-ap-access-range", RANGE_SENTENCE, accuser=ZEPHYR, accused=QUILL,
        kind=AllegationKind.unauthorized_access, date_=spec("2026-01-10", end="2026-02-15"),
        outlet="Associated Press", published=date(2026, 2, 20), title="Quill-7 operators accessed Zephyr servers",
        attribution_kind=AttributionKind.statement))
    # 6: denied, month precision, previous year.
    out.append(_allegation(
        "appfx-reuters-smuggling", DENIAL_SENTENCE, accuser=MARSH, accused=BOREALIA, kind=AllegationKind.smuggling,
        date_=spec("2025-11"), outlet="Reuters", published=date(2025, 11, 30),
        title="Marsh accuses Borealia of chip smuggling", attribution_kind=AttributionKind.statement,
        status=AllegationStatus.denied))
    # 7: undated, anonymous.
    out.append(_allegation(
        "appfx-rumour-security", UNDATED_SENTENCE, accuser=ZEPHYR, accused=QUILL,
        kind=AllegationKind.security_risk, date_=None, outlet="Silicon Rumour Mill", published=date(2026, 5, 2),
        title="Security worries over Quill-7", attribution_kind=AttributionKind.anonymous))
    # 8: a government action (day) with its event.
    out.append(_action(
        "appfx-reuters-entity-list", ACTION_SENTENCE, issuer=MINISTRY, target=KESTREL,
        kind=ActionKind.entity_list, date_=spec("2026-05-14"), outlet="Reuters", published=date(2026, 5, 15),
        title="Kestrel Compute added to entity list", with_event=True))
    # 9: a negated action, year precision, no outlet at all.
    out.append(_action(
        "appfx-nooutlet-no-ban", NEGATED_SENTENCE, issuer=MINISTRY, target=ZEPHYR, kind=ActionKind.ban,
        date_=spec("2026"), outlet=None, published=None, title="No ban for Zephyr Labs", negated=True))
    # 10: an action over a month range.
    out.append(_action(
        "appfx-ap-export-range", EXPORT_SENTENCE, issuer=BOREALIA, target=KESTREL, kind=ActionKind.export_control,
        date_=spec("2026-03", end="2026-06"), outlet="Associated Press", published=date(2026, 3, 1),
        title="Borealia curbs accelerator exports"))
    # 11: an event, month precision, unknown outlet.
    art = _art("appfx-gazette-summit", SUMMIT_SENTENCE, outlet="Borealia Gazette", published=date(2026, 7, 1),
               title="Borealia to host AI summit")
    out.append(Extraction(
        article=art, actors=[MARSH, BOREALIA],
        events=[EventRecord(date=spec("2026-09"), actors=[MARSH.id, BOREALIA.id], summary="Borealia AI summit",
                            evidence=_ev(art.text, SUMMIT_SENTENCE))],
    ))
    return out


# Issue 13, point 10: an article quoting bare addresses (which Streamlit's Markdown would turn into links) and
# actor names carrying a right-to-left override and zero-width characters (which would spoof the display).
# Kept out of fixture_extractions(), with its own actors and outlet, so the other app tests see the facts
# they always saw, whichever test loads these first.
SPOOF_CHARS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\ufeff"
MALLORY = ActorRecord(id="appfx-sec-mallory-labs", name="Mallory\u202e Labs\u200b", type=ActorType.Organization,
                      aliases=["Mall\u200dory"])
VICTOR = ActorRecord(id="appfx-sec-victor-grid", name="\u2067Victor\u2069 Grid\ufeff", type=ActorType.Organization,
                     aliases=[])
URL_SENTENCE = ("Mallory Labs accused Victor Grid of espionage on May 5, 2026, in a post at "
                "http://evil.example/x that also named www.evil.example and ops@evil.example, the company said.")
URL_TITLE = "Espionage claim posted at https://evil.example/title"


def security_extractions() -> list[Extraction]:
    return [_allegation(
        "appfx-sec-url-espionage", URL_SENTENCE, accuser=MALLORY, accused=VICTOR, kind=AllegationKind.espionage,
        date_=spec("2026-05-05"), outlet="Appfx Paste Board", published=date(2026, 5, 6), title=URL_TITLE,
        attribution_kind=AttributionKind.statement)]


def load_security_fixtures(graph: Graph) -> str:
    """Write security_extractions() (idempotent); returns the id of its fact."""
    writer = GraphWriter(graph)
    writer.sync_outlets()
    for ex in security_extractions():
        writer.write(ex)
    return allegation_id(security_extractions()[0].allegations[0])


def fixture_fact_ids() -> dict[str, str]:
    """Names the tests use -> fact ids (computed the way the writer computes them)."""
    ex = fixture_extractions()
    return {
        "conflict": allegation_id(ex[0].allegations[0]),
        "espionage": allegation_id(ex[2].allegations[0]),
        "script": allegation_id(ex[3].allegations[0]),
        "range": allegation_id(ex[4].allegations[0]),
        "denied": allegation_id(ex[5].allegations[0]),
        "undated": allegation_id(ex[6].allegations[0]),
        "entity_list": action_id(ex[7].actions[0]),
        "entity_list_event": event_id(ex[7].events[0]),
        "no_ban": action_id(ex[8].actions[0]),
        "export_range": action_id(ex[9].actions[0]),
        "summit": event_id(ex[10].events[0]),
    }


def load_fixture_graph(graph: Graph) -> dict[str, str]:
    """Write the fixtures (idempotent: a second load writes nothing new); returns fixture_fact_ids()."""
    writer = GraphWriter(graph)
    writer.sync_outlets()
    for ex in fixture_extractions():
        writer.write(ex)
    return fixture_fact_ids()


def main() -> int:
    from kg.db import connect
    from kg.schema import apply_schema
    from kg.settings import get_settings

    with connect(get_settings()) as graph:
        apply_schema(graph)
        ids = load_fixture_graph(graph)
    print(f"loaded {len(fixture_extractions())} fixture articles; facts:")
    for name, fact_id in ids.items():
        print(f"  {name:<18} {fact_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
