"""`kg curate suggest`: candidate actor merges, ranked, for a curator to accept, reject or leave unsure.

A named matcher (ANCHORS §2, nomenklatura's matching): every pair of actors no curator has merged is scored on
  - name fingerprints: the reference data's one normaliser (reference.names: case, accents, scripts,
    punctuation, a leading "the", corporate suffixes), equal fingerprints over names and aliases;
  - acronyms: "EU" against the initials of "European Union" (as articles define them: "European Union (EU)");
  - the same institution in other words, between actors one article names together: "Ireland's privacy
    regulator" and "Ireland's Data Protection Commission" (reference.names.descriptive_key: interchangeable
    head nouns and remits, as reference data);
  - fuzzy similarity of the fingerprints (rapidfuzz), and one name's words all inside the other's
    ("Commission" in "European Commission"; a one-word name only weakly unless one article names both: a bare
    "Commission" refers back to the commission its article names, not to every commission);
  - a bare word of a person's name named in the same article as the person ("Smith", "Brad Smith");
  - compatible types (a person is never a country), and shared co-mentions (a short form and its full name
    are usually named in the same articles);
  - two gazetteer actors are never suggested: the gazetteer lists distinct actors on purpose.
A pair a curator judged not the same, or was unsure about, is never suggested again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from pydantic import BaseModel
from rapidfuzz import fuzz

from kg.cypher import curation as cq
from kg.db import Graph
from kg.judgements import canonical_map
from ontology.models import ActorType, JudgementKind
from reference.names import descriptive_key, loose_key

NAME = "kg.suggest.v2"

# Types one actor is often extracted as in different articles (a ministry named as its country's government is
# not one of these: that is a different actor).
_COMPATIBLE = {frozenset({ActorType.Organization.value, ActorType.GovernmentBody.value}),
               frozenset({ActorType.Organization.value, ActorType.Group.value}),
               frozenset({ActorType.Organization.value, ActorType.AIModel.value})}
_MINOR_WORDS = frozenset({"of", "and", "for", "the", "on", "in", "de", "to"})
MIN_SCORE = 40.0


class Suggestion(BaseModel):
    a: str  # the actor that would absorb the other (the better-known one)
    b: str
    a_name: str
    b_name: str
    score: float
    reasons: list[str]


@dataclass
class _Actor:
    id: str
    name: str
    type: str
    source: str | None
    articles: set[str]
    keys: set[str] = field(default_factory=set)
    cores: set[str] = field(default_factory=set)  # a key's words without the minor ones, sorted: the fingerprint
    acronyms: set[str] = field(default_factory=set)
    described: set[str] = field(default_factory=set)  # descriptive keys that differ from the loose key

    @classmethod
    def of(cls, row: dict[str, Any]) -> _Actor:
        a = cls(row["id"], row["name"], row["type"], row.get("source"), set(row.get("articles") or []))
        for n in [row["name"], *(row.get("aliases") or [])]:
            key = loose_key(n)
            if key:
                a.keys.add(key)
            words = [w for w in key.split() if w not in _MINOR_WORDS]
            if words:
                a.cores.add(" ".join(sorted(words)))
            if len(words) >= 2:
                a.acronyms.add("".join(w[0] for w in words))
            described = descriptive_key(n)
            if described != key and len(described.split()) >= 2:  # "<regulator>" alone describes nothing
                a.described.add(described)
        return a


def _acronym_match(x: _Actor, y: _Actor) -> bool:
    short = {k for k in x.keys if " " not in k and 2 <= len(k) <= 6}
    return bool(short & y.acronyms)


def _contained(x: _Actor, y: _Actor) -> bool:
    """Every word of one of x's names is a word of one of y's longer names."""
    return any(set(kx.split()) < set(ky.split()) for kx in x.keys for ky in y.keys)


def _name_of_person(x: _Actor, y: _Actor) -> bool:
    """x is one word of person y's name ("Smith" and "Brad Smith", "Wang" and "Wang Yi"), and not itself from
    the gazetteer: NER types a bare surname at random, so its type is not held against it."""
    if y.type != ActorType.Person.value or x.source == "gazetteer":
        return False
    words = {k for k in x.keys if " " not in k}
    return any(w in ky.split() and " " in ky for w in words for ky in y.keys)


def score_pair(x: _Actor, y: _Actor) -> tuple[float, list[str]]:
    if x.source == "gazetteer" and y.source == "gazetteer":
        return 0.0, []  # the gazetteer lists distinct actors on purpose (the EU and the European Parliament)
    shared = len(x.articles & y.articles)
    if shared and (_name_of_person(x, y) or _name_of_person(y, x)):
        together = f"named together in {shared} article{'s' if shared > 1 else ''}"
        return 50.0 + min(20.0, 10.0 + 2.0 * shared), ["a word of a person's name, named with them", together]
    pair_types = frozenset({x.type, y.type})
    if x.type != y.type and pair_types not in _COMPATIBLE:
        return 0.0, []
    reasons: list[str] = []
    score = 0.0
    if x.cores & y.cores:
        score += 60
        reasons.append(f"same name fingerprint ({sorted(x.cores & y.cores)[0]!r})")
    elif _acronym_match(x, y) or _acronym_match(y, x):
        score += 50
        reasons.append("acronym")
    elif shared and x.described & y.described:
        score += 45
        reasons.append(f"the same institution in other words ({sorted(x.described & y.described)[0]!r})")
    else:
        ratio = max(fuzz.ratio(kx, ky) for kx in x.keys for ky in y.keys) if x.keys and y.keys else 0.0
        people = x.type == y.type == ActorType.Person.value and " " in loose_key(x.name) and " " in loose_key(y.name)
        if not people and (_contained(x, y) or _contained(y, x)):  # two full names sharing a surname: not this
            one_word = any(" " not in k for k in x.keys | y.keys)
            score += 35 if shared or not one_word else 20
            reasons.append("one name inside the other")
        elif ratio >= 80:
            score += (ratio - 80) * 2.5
            reasons.append(f"similar names ({ratio:.0f}%)")
        else:
            return 0.0, []
    if x.type == y.type:
        score += 10
        reasons.append(f"both {x.type}")
    if shared:
        score += min(20.0, 10.0 + 2.0 * shared)
        reasons.append(f"named together in {shared} article{'s' if shared > 1 else ''}")
    return score, reasons


def _blocked(graph: Graph) -> tuple[set[frozenset[str]], dict[str, str]]:
    """The pairs a curator judged not the same or was unsure about (by canonical actor), and the canon."""
    rows = graph.read(cq.STANDING_ACTOR_JUDGEMENTS_CYPHER,
                      {"kinds": [JudgementKind.same.value, JudgementKind.not_same.value, JudgementKind.unsure.value]})
    canon = canonical_map(r for r in rows if r["kind"] == JudgementKind.same.value)
    blocked = {frozenset({canon.get(r["subject"], r["subject"]), canon.get(r["other"], r["other"])})
               for r in rows if r["kind"] != JudgementKind.same.value}
    return blocked, canon


def rank(actors: Iterable[_Actor], blocked: set[frozenset[str]], limit: int) -> list[Suggestion]:
    out: list[Suggestion] = []
    for x, y in combinations(sorted(actors, key=lambda a: a.id), 2):
        if frozenset({x.id, y.id}) in blocked:
            continue
        score, reasons = score_pair(x, y)
        if score < MIN_SCORE:
            continue
        # the gazetteer's actor, else the one named in more articles, else the fuller name, absorbs the other
        a, b = sorted((x, y), key=lambda t: (t.source != "gazetteer", -len(t.articles), -len(t.name), t.id))
        out.append(Suggestion(a=a.id, b=b.id, a_name=a.name, b_name=b.name, score=round(score, 1), reasons=reasons))
    out.sort(key=lambda s: (-s.score, s.a, s.b))
    return out[:limit]


def candidates(graph: Graph) -> list[dict[str, Any]]:
    """Every actor no curator merged into another: id, name, type, aliases (its merged actors' names too),
    source, and the ids and doc_ids of the articles naming it."""
    return graph.read(cq.CANDIDATE_ACTORS_CYPHER)


def suggest(graph: Graph, limit: int = 20) -> list[Suggestion]:
    """The `limit` best candidate merges among the actors no curator merged, best first."""
    blocked, _ = _blocked(graph)
    return rank([_Actor.of(r) for r in candidates(graph)], blocked, limit)
