"""The cue lexicons of ingest/data/cues.yaml, validated and compiled once.

Kinds are checked against the ontology enums here, so a misspelt kind fails at load time.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from ontology.models import ActionKind, ActorType, AllegationKind, AllegationStatus

CUES_PATH = Path(__file__).parent / "data" / "cues.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AllegationCues(_Strict):
    accuse_verbs: list[str]
    report_verbs: list[str]
    expose_verbs: list[str]
    accusation_nouns: list[str]
    light_verbs: list[str]
    designation_verbs: list[str]
    conduct_nouns: list[str]
    naming_verbs: list[str]
    affiliation_verbs: list[str]
    attribution_verbs: list[str]
    affiliation_preps: list[str]
    penalty_verbs: list[str]
    official_documents: list[str]
    warning_documents: list[str]
    concern_words: list[str]
    countering_verbs: list[str]
    threat_nouns: list[str]
    denial_verbs: list[str]
    concern_topics: list[str]


class ActionCues(_Strict):
    verbs: dict[str, ActionKind]
    carrier_verbs: list[str]
    nouns: list[tuple[str, ActionKind]]
    nominal_heads: list[str]
    loosening: list[str]
    negators: list[str]
    negator_phrases: list[str]
    irrealis_verbs: list[str]
    irrealis_nouns: list[str]
    official_titles: list[str]
    list_owners: dict[str, str]



class AnonymousCues(_Strict):
    name: str
    patterns: list[str]


class AttributionCues(_Strict):
    cue_lemmas: list[str]
    credit_patterns: list[str]
    anonymous: AnonymousCues
    unconfirmed: list[str]


class ActorCues(_Strict):
    demonyms: dict[str, str | None]
    group_heads: list[str]
    collective_heads: list[str]
    state_official_nouns: list[str]
    person_group_heads: list[str]
    person_roles: list[str]
    body_heads: list[str]
    located_bodies: list[str]
    state_markers: list[str]
    threat_actor_code: str
    descriptors: dict[ActorType, list[str]]
    market_nouns: list[str]
    model_version_words: list[str]
    org_suffixes: list[str]
    model_heads: list[str]
    junk: list[str]


class CueFile(_Strict):
    allegation: AllegationCues
    allegation_kinds: dict[AllegationKind, list[str]]
    hedges: list[str]
    status: dict[AllegationStatus, list[str]]
    status_objects: list[str]
    action: ActionCues
    attribution: AttributionCues
    actors: ActorCues


def _rx(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


class Lexicon:
    """Compiled view of the cue file: sets for lemma look-ups, regexes for phrases."""

    def __init__(self, cues: CueFile) -> None:
        self.cues = cues
        al = cues.allegation
        self.accuse_verbs = frozenset(al.accuse_verbs)
        self.report_verbs = frozenset(al.report_verbs)
        self.expose_verbs = frozenset(al.expose_verbs)
        self.accusation_nouns = frozenset(al.accusation_nouns)
        self.light_verbs = frozenset(al.light_verbs)
        self.designation_verbs = frozenset(al.designation_verbs)
        self.conduct_nouns = frozenset(al.conduct_nouns)
        self.affiliation_verbs = frozenset(al.affiliation_verbs)
        self.attribution_verbs = frozenset(al.attribution_verbs)
        self.affiliation_preps = frozenset(al.affiliation_preps)
        self.naming_verbs = frozenset(al.naming_verbs)
        self.penalty_verbs = frozenset(al.penalty_verbs)
        self.official_documents = frozenset(al.official_documents)
        self.warning_documents = frozenset(al.warning_documents)
        self.concern_words = frozenset(al.concern_words)
        self.countering_verbs = frozenset(al.countering_verbs)
        self.threat_nouns = frozenset(al.threat_nouns)
        self.denial_verbs = frozenset(al.denial_verbs)
        self.concern_topics = _rx(al.concern_topics)
        self.allegation_kinds: list[tuple[AllegationKind, re.Pattern[str]]] = [
            (kind, _rx(pats)) for kind, pats in cues.allegation_kinds.items() if pats
        ]
        self.any_conduct = _rx([p for pats in cues.allegation_kinds.values() for p in pats])
        self.hedges = _rx(cues.hedges)
        self.status: list[tuple[AllegationStatus, re.Pattern[str]]] = [
            (st, _rx(pats)) for st, pats in cues.status.items() if pats
        ]
        self.status_objects = frozenset(cues.status_objects)
        ac = cues.action
        self.action_verbs: dict[str, ActionKind] = dict(ac.verbs)
        self.carrier_verbs = frozenset(ac.carrier_verbs)
        self.action_nouns: list[tuple[tuple[str, ...], ActionKind]] = [
            (tuple(phrase.replace("-", " - ").split()), kind) for phrase, kind in ac.nouns
        ]
        self.action_noun_heads = frozenset(p[-1] for p, _ in self.action_nouns)
        self.nominal_heads = frozenset(ac.nominal_heads)
        self.loosening = frozenset(ac.loosening)
        self.negators = frozenset(ac.negators)
        self.negator_phrases = _rx(ac.negator_phrases)
        self.irrealis_verbs = frozenset(ac.irrealis_verbs)
        self.irrealis_nouns = frozenset(ac.irrealis_nouns)
        self.official_titles = frozenset(t.lower() for t in ac.official_titles)

        # longest first: "unreliable entity list" is China's, "entity list" the United States'
        self.list_owners = sorted(((k.lower().split(), v) for k, v in ac.list_owners.items()),
                                  key=lambda kv: -len(kv[0]))
        at = cues.attribution
        self.attribution_cues = frozenset(at.cue_lemmas)
        self.credit = _rx(at.credit_patterns)
        self.anonymous_name = at.anonymous.name
        self.anonymous = _rx(at.anonymous.patterns)
        self.unconfirmed = _rx(at.unconfirmed)
        act = cues.actors
        self.demonyms: dict[str, str | None] = dict(act.demonyms)
        self.group_heads = frozenset(act.group_heads)
        self.collective_heads = frozenset(act.collective_heads)
        self.state_official_nouns = frozenset(act.state_official_nouns)
        self.person_group_heads = frozenset(act.person_group_heads)
        self.person_roles = frozenset(act.person_roles)
        self.body_heads = frozenset(act.body_heads)
        self.located_bodies = frozenset(act.located_bodies)
        self.state_markers = frozenset(act.state_markers)
        self.threat_actor_code = re.compile(act.threat_actor_code)
        self.descriptors: dict[str, ActorType] = {}
        for atype, words in act.descriptors.items():
            for w in words:
                self.descriptors.setdefault(w, atype)
        self.market_nouns = frozenset(act.market_nouns)
        self.model_version_words = frozenset(w.lower() for w in act.model_version_words)
        self.model_heads = frozenset(act.model_heads)
        self.org_suffixes = frozenset(w.lower() for w in act.org_suffixes)
        self.junk = frozenset(j.lower() for j in act.junk)
        # every cue word of a family's triggers (the relation model's features; the surface patterns' skip list)
        self.allegation_triggers = self.accuse_verbs | self.report_verbs | self.expose_verbs | \
            self.designation_verbs | self.accusation_nouns | self.penalty_verbs | self.light_verbs | \
            self.concern_words
        self.surface_triggers = self.accuse_verbs | self.designation_verbs | self.report_verbs
        self.action_triggers = frozenset(self.action_verbs) | self.carrier_verbs | self.nominal_heads

    def allegation_kind(self, text: str) -> AllegationKind | None:
        for kind, rx in self.allegation_kinds:
            if rx.search(text):
                return kind
        return None


def load_lexicon(path: Path = CUES_PATH) -> Lexicon:
    return _load(str(path))


@cache
def _load(path: str) -> Lexicon:
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return Lexicon(CueFile.model_validate(raw))


# Cue matching needs inflected forms when no lemmatizer runs (the blank fallback pipeline).
_SUFFIXES = ("", "s", "es", "ed", "d", "ing", "ies", "ied")


@lru_cache(maxsize=65536)
def uninflected(token_lower: str) -> tuple[str, ...]:
    """The forms a word can have without a common inflection, in the order they are tried ("banning": "bann",
    "banne", "banny", "ban")."""
    out: list[str] = []
    for suf in ("ing", "ies", "ied", "es", "ed", "s", "d"):
        if token_lower.endswith(suf) and len(token_lower) > len(suf) + 2:
            stem = token_lower[: -len(suf)]
            out += [stem, stem + "e", stem + "y", stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem]
    return tuple(out)


@lru_cache(maxsize=65536)
def lemma_of(token_lemma: str, token_lower: str, vocab: frozenset[str]) -> str | None:
    """The vocabulary entry this token stands for: its lemma, or its word form minus an inflection."""
    if token_lemma and token_lemma in vocab:
        return token_lemma
    if token_lower in vocab:
        return token_lower
    return next((cand for cand in uninflected(token_lower) if cand in vocab), None)


def cue_in(text: str, patterns: re.Pattern[str]) -> list[str]:
    return [m.group(0) for m in patterns.finditer(text)]

