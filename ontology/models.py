"""pydantic records carried from ingest/ to kg/: the contract between the two stages.

Every enum here mirrors a class list or a SKOS scheme of kg.ttl; tests/test_ontology.py fails on drift.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

EXTRACTOR_VERSION = "kg.extract.v1"


class ActorType(StrEnum):
    Organization = "Organization"
    GovernmentBody = "GovernmentBody"
    Country = "Country"
    Person = "Person"
    AIModel = "AIModel"
    Group = "Group"


class AllegationKind(StrEnum):
    distillation = "distillation"
    unauthorized_access = "unauthorized_access"
    ip_theft = "ip_theft"
    espionage = "espionage"
    export_violation = "export_violation"
    smuggling = "smuggling"
    security_risk = "security_risk"
    cyberattack = "cyberattack"
    other = "other"


class ActionKind(StrEnum):
    export_control = "export_control"
    entity_list = "entity_list"
    blacklist = "blacklist"
    sanction = "sanction"
    ban = "ban"
    restriction = "restriction"
    investigation = "investigation"
    legislation = "legislation"
    lawsuit = "lawsuit"
    policy = "policy"
    other = "other"


class AllegationStatus(StrEnum):
    alleged = "alleged"
    denied = "denied"
    confirmed = "confirmed"
    no_comment = "no_comment"
    retracted = "retracted"


class DatePrecision(StrEnum):
    day = "day"
    month = "month"
    year = "year"
    month_day = "month_day"  # a day and month with no year given: never resolved to a year


class AttributionKind(StrEnum):
    """How strongly a claim is sourced, strongest first (the reliability score weighs these)."""

    statement = "statement"  # the principal said it on the record, or a document says it
    outlet = "outlet"  # a named news outlet reported it
    anonymous = "anonymous"  # people familiar with the matter
    unconfirmed = "unconfirmed"  # unconfirmed reports, rumours


class NodeLabel(StrEnum):
    """Graph node labels: the ontology's classes that become nodes."""

    Actor = "Actor"
    Article = "Article"
    Outlet = "Outlet"
    Fact = "Fact"  # every Allegation, GovernmentAction and Event also carries this label
    Allegation = "Allegation"
    GovernmentAction = "GovernmentAction"
    Event = "Event"
    Evidence = "Evidence"
    Conflict = "Conflict"
    ArticleVersion = "ArticleVersion"  # live intake keeps every fetched version (kg/history.py)
    Correction = "Correction"
    Judgement = "Judgement"  # a curator's decision about actors or a fact (kg/curation.py)


class JudgementKind(StrEnum):
    """aig:JudgementKind: what a curator decided. The first three are about two actors, the next two a fact, the
    last three a link from one fact to another (LED_TO, RESPONDS_TO, or none: a derived link taken back)."""

    same = "same"
    not_same = "not_same"
    unsure = "unsure"
    rejected = "rejected"
    confirmed = "confirmed"
    led_to = "led_to"
    responds_to = "responds_to"
    not_linked = "not_linked"


ACTOR_JUDGEMENTS = (JudgementKind.same, JudgementKind.not_same, JudgementKind.unsure)
FACT_VERDICTS = (JudgementKind.rejected, JudgementKind.confirmed)
LINK_KINDS = (JudgementKind.led_to, JudgementKind.responds_to)  # a link a curator sets
LINK_JUDGEMENTS = (*LINK_KINDS, JudgementKind.not_linked)  # every decision about a link between two facts
# The ontology relation each link kind is (its graph relationship type: vocabulary.rel_type).
LINK_RELATIONS = {JudgementKind.led_to: "ledTo", JudgementKind.responds_to: "respondsTo"}


FACT_LABELS = (NodeLabel.Allegation, NodeLabel.GovernmentAction, NodeLabel.Event)

# A Wikidata item's identifier (the gazetteer's `wikidata`, an actor's owl:sameAs in the RDF export).
QID_PATTERN = r"^Q[1-9][0-9]*$"
QID = re.compile(QID_PATTERN)

_DATE_RE = re.compile(r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|--\d{2}-\d{2})$")


def normalise_text(text: str) -> str:
    """The text an article's identity is computed from: NFC, unified newlines, trimmed lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:24]


def slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def stable_id(*parts: object) -> str:
    raw = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, use_enum_values=False)


class TimeSpec(Record):
    """A date at the precision the text gives: 2026-06-10 (day), 2026-06 (month), 2026 (year),
    --06-24 (month_day: no year given), optionally a range up to `end`, with a qualifier such as
    "early" kept as said rather than turned into invented days."""

    value: str
    precision: DatePrecision
    end: str | None = None
    end_precision: DatePrecision | None = None
    qualifier: str | None = None
    text: str | None = None

    @field_validator("value", "end")
    @classmethod
    def _iso_like(cls, v: str | None) -> str | None:
        if v is not None and not _DATE_RE.match(v):
            raise ValueError(f"not a date at a known precision: {v!r}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> TimeSpec:
        expected = precision_of(self.value)
        if expected != self.precision:
            raise ValueError(f"{self.value!r} has precision {expected}, not {self.precision}")
        if self.end is not None:
            end_p = precision_of(self.end)
            if self.end_precision is None:
                self.end_precision = end_p
            elif self.end_precision != end_p:
                raise ValueError(f"{self.end!r} has precision {end_p}, not {self.end_precision}")
        for v in (self.value, self.end):
            if v is not None:
                _check_calendar(v)
        return self

    def bounds(self) -> tuple[date, date] | None:
        """First and last day the spec can mean; None when no year is known."""
        if self.precision is DatePrecision.month_day:
            return None
        lo = _bounds(self.value)[0]
        hi = _bounds(self.end if self.end and self.end_precision is not DatePrecision.month_day else self.value)[1]
        return lo, hi


def precision_of(value: str) -> DatePrecision:
    if value.startswith("--"):
        return DatePrecision.month_day
    return {4: DatePrecision.year, 7: DatePrecision.month, 10: DatePrecision.day}[len(value)]


def _check_calendar(value: str) -> None:
    if value.startswith("--"):
        month, day = int(value[2:4]), int(value[5:7])
        date(2024, month, day)  # a leap year, so --02-29 stays valid
        return
    parts = [int(p) for p in value.split("-")]
    if not 1 <= parts[0] <= 9999:
        raise ValueError(f"year out of range: {value}")
    date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _bounds(value: str) -> tuple[date, date]:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        d = date(parts[0], parts[1], parts[2])
        return d, d
    if len(parts) == 2:
        y, m = parts
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return date(y, m, 1), date.fromordinal(nxt.toordinal() - 1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


class Evidence(Record):
    """The exact sentence of the article a record came from, with its character offsets."""

    sentence: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    attributions: list[str] = Field(default_factory=list)
    attribution_kind: AttributionKind | None = None
    hedges: list[str] = Field(default_factory=list)
    # What produced the record: a rule family ("allegation/accuse-verb", "action/carrier-verb") or the
    # learned relation model ("model/relations"), so precision and recall can be measured per pattern.
    pattern: str | None = Field(default=None, pattern=r"^[a-z]+(?:/[a-z0-9-]+)+(?:\+[a-z]+(?:/[a-z0-9-]+)+)*$")

    @model_validator(mode="after")
    def _span(self) -> Evidence:
        if self.end < self.start:
            raise ValueError("evidence end before start")
        return self


class Figure(Record):
    """A quantity as the text gives it: "more than 28.8 million exchanges"."""

    value: float
    unit: str
    qualifier: str | None = None  # more than / nearly / about / at least / up to / thousands of
    low: float | None = None  # the interval the qualifier allows, for comparing reports
    high: float | None = None
    text: str


class ActorRecord(Record):
    id: str
    name: str
    type: ActorType
    aliases: list[str] = Field(default_factory=list)
    source: str = "gazetteer"  # gazetteer | ner | rule
    wikidata: str | None = Field(default=None, pattern=QID_PATTERN)  # the gazetteer's QID, where known


class AllegationRecord(Record):
    accuser: str  # actor id
    accused: list[str] = Field(min_length=1)
    kind: AllegationKind
    date: TimeSpec | None = None
    period: TimeSpec | None = None
    figures: list[Figure] = Field(default_factory=list)
    status: AllegationStatus = AllegationStatus.alleged
    status_cues: list[str] = Field(default_factory=list)
    evidence: Evidence


class ActionRecord(Record):
    issuer: str
    targets: list[str] = Field(default_factory=list)
    kind: ActionKind
    date: TimeSpec | None = None
    negated: bool = False
    evidence: Evidence


class EventRecord(Record):
    date: TimeSpec
    actors: list[str] = Field(default_factory=list)
    summary: str | None = None
    evidence: Evidence


class AttributionRecord(Record):
    source: str
    kind: AttributionKind
    evidence: Evidence


class ArticleRecord(Record):
    doc_id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    url: str | None = None
    source_path: str | None = None
    # When live intake fetched this version of the page (UTC); None for documents given as files. The writer
    # keeps every fetched version (kg/history.py), so the graph can be asked how it stood at an earlier time.
    fetched_at: datetime | None = None

    @field_validator("text")
    @classmethod
    def _has_text(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("article text is empty")
        return v

    @model_validator(mode="before")
    @classmethod
    def _stored_id(cls, data: Any) -> Any:
        """A record read back carries the id it was written with (a computed field): it must still be the
        hash of the text, or the record was edited by hand and would land on another article's node."""
        if isinstance(data, dict) and "id" in data:
            data = dict(data)
            given = data.pop("id")
            text = data.get("text")
            if isinstance(text, str) and given != content_hash(text):
                raise ValueError(f"article id {given!r} is not the hash of its text ({content_hash(text)!r})")
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        return content_hash(self.text)


class Extraction(Record):
    """Everything extracted from one article."""

    article: ArticleRecord
    actors: list[ActorRecord] = Field(default_factory=list)
    allegations: list[AllegationRecord] = Field(default_factory=list)
    actions: list[ActionRecord] = Field(default_factory=list)
    events: list[EventRecord] = Field(default_factory=list)
    attributions: list[AttributionRecord] = Field(default_factory=list)
    extractor_version: str = EXTRACTOR_VERSION
    # A hash of everything that decides what extraction finds (code, cue lists, gazetteer, trained weights,
    # spaCy model): `kg reextract` re-extracts the stored articles whose fingerprint is not the current one.
    extractor_fingerprint: str | None = None

    @model_validator(mode="after")
    def _references_resolve(self) -> Extraction:
        known = {a.id for a in self.actors}
        refs: list[str] = []
        for al in self.allegations:
            refs += [al.accuser, *al.accused]
        for ac in self.actions:
            refs += [ac.issuer, *ac.targets]
        for ev in self.events:
            refs += ev.actors
        missing = sorted(set(refs) - known)
        if missing:
            raise ValueError(f"records name actors that are not in the actor list: {missing}")
        n = len(self.article.text)
        evidences: list[Evidence] = [
            *(r.evidence for r in self.allegations),
            *(r.evidence for r in self.actions),
            *(r.evidence for r in self.events),
            *(r.evidence for r in self.attributions),
        ]
        for e in evidences:
            if e.end > n or self.article.text[e.start : e.end] != e.sentence:
                raise ValueError(f"evidence offsets {e.start}-{e.end} do not match the article text")
        return self


class Judgement(Record):
    """One curator decision, as stored in the graph and in `kg curate export` JSON Lines (one per line).

    Actor judgements name two actors (`subject`, `other`); for `same`, `other` joins `subject`'s actor (the
    first-named actor of the earliest standing judgement of a cluster gives its canonical id). Fact verdicts
    name one fact (`subject`, `other` None). Link judgements name two facts: the link goes from `subject` to
    `other` (`subject` LED_TO / RESPONDS_TO `other`; `not_linked`: no link from `subject` to `other`).
    Undoing sets `deleted_at`; a judgement is never removed.
    """

    kind: JudgementKind
    subject: str = Field(min_length=1)
    other: str | None = None
    curator: str = Field(min_length=1)
    created_at: datetime
    note: str = ""
    deleted_at: datetime | None = None
    deleted_by: str | None = None  # who undid it
    # A verdict's fact as extracted: the ids its evidence had before any merge (Evidence.extracted_fact_id).
    # A merge or split changes a fact's id; the verdict follows the fact through them by these.
    extracted_ids: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _stored_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and "id" in data:
            data = dict(data)
            data.pop("id")  # computed from the fields below; a line edited by hand simply gets its new id
        return data

    @model_validator(mode="after")
    def _shape(self) -> Judgement:
        if self.kind in ACTOR_JUDGEMENTS:
            if not self.other or self.other == self.subject:
                raise ValueError(f"a {self.kind.value!r} judgement names two different actors")
        elif self.kind in LINK_JUDGEMENTS:
            if not self.other or self.other == self.subject:
                raise ValueError(f"a {self.kind.value!r} judgement names two different facts")
        elif self.other is not None:
            raise ValueError(f"a {self.kind.value!r} verdict names one fact")
        if self.extracted_ids and self.kind not in FACT_VERDICTS:
            raise ValueError(f"a {self.kind.value!r} judgement names no extracted facts")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        return stable_id("Judgement", self.kind.value, self.subject, self.other, self.curator,
                         self.created_at.isoformat())[:12]

    @property
    def active(self) -> bool:
        return self.deleted_at is None
