"""The curated gazetteer (ingest/data/gazetteer.yaml) and outlet registry (ingest/data/outlets.yaml),
and the spaCy component that finds their names in a text.

Patterns are built from the YAML at load time: every `name` and `aliases` entry becomes a PhraseMatcher
pattern (case-sensitive, so "US" is not "us"), plus mechanical variants (curly apostrophes, a capitalised
leading "The", a capitalised first letter for lower-case aliases). An alias such as "OpenAI's ChatGPT"
whose possessor is itself a gazetteer name yields two mentions, the possessor and the possessed, so the
possessor is not swallowed. Matches go to `doc.spans["aigeo_gazetteer"]`, label "ACTOR" or "OUTLET",
with the entry id as `kb_id_`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ontology.models import ActorType

DATA_DIR = Path(__file__).parent / "data"
GAZETTEER_PATH = DATA_DIR / "gazetteer.yaml"
OUTLETS_PATH = DATA_DIR / "outlets.yaml"
SPAN_KEY = "aigeo_gazetteer"
ACTOR_LABEL = "ACTOR"
OUTLET_LABEL = "OUTLET"

_CORP_SUFFIXES = frozenset({"inc", "incorporated", "corp", "corporation", "co", "ltd", "limited", "plc", "pbc",
                            "llc", "group", "holding", "holdings", "sa", "ag", "gmbh", "nv", "bv"})


def norm_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, without a leading "the"."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"['’]s\b", "", s.replace("&", " and "))
    s = re.sub(r"[^a-z0-9 ]+", " ", s.replace(".", ""))
    toks = s.split()
    if toks and toks[0] == "the":
        toks = toks[1:]
    return " ".join(toks)


def loose_name(name: str) -> str:
    return " ".join(t for t in norm_name(name).split() if t not in _CORP_SUFFIXES)


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    type: ActorType
    aliases: tuple[str, ...] = ()
    country: str | None = None
    parent: str | None = None

    @property
    def generic(self) -> bool:
        """An unnamed collective ("Chinese AI labs"), as opposed to a named group ("Salt Typhoon")."""
        return self.type is ActorType.Group and self.name.split()[-1].islower()


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    entries: dict[str, Entry]
    outlets: dict[str, Outlet]
    _norm: dict[str, str] = field(default_factory=dict)
    _loose: dict[str, str] = field(default_factory=dict)
    _outlet_norm: dict[str, str] = field(default_factory=dict)
    _states: dict[str, Entry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for e in self.entries.values():
            for form in (e.name, *e.aliases):
                self._norm.setdefault(norm_name(form), e.id)
                if loose_name(form):
                    self._loose.setdefault(loose_name(form), e.id)
        for o in self.outlets.values():
            for form in (o.name, *o.aliases):
                self._outlet_norm.setdefault(norm_name(form), o.id)

    @classmethod
    def load(cls, path: Path = GAZETTEER_PATH, outlets_path: Path = OUTLETS_PATH) -> Gazetteer:
        return _load(str(path), str(outlets_path))

    def lookup(self, name: str) -> Entry | None:
        """The entry a name (or a variant differing in case, punctuation or corporate suffix) denotes."""
        key = self._norm.get(norm_name(name))
        if key is None:
            loose = loose_name(name)
            key = self._loose.get(loose) if loose else None
        return self.entries.get(key) if key else None

    def lookup_outlet(self, name: str) -> Outlet | None:
        key = self._outlet_norm.get(norm_name(name))
        return self.outlets.get(key) if key else None

    def country_entry(self, code: str | None) -> Entry | None:
        """The state with ISO code `code` (the first Country entry with it: China, not Hong Kong)."""
        if not code:
            return None
        if not self._states:
            for e in self.entries.values():
                if e.type is ActorType.Country and e.country:
                    self._states.setdefault(e.country, e)
        return self._states.get(code)

    def country_id(self, code: str | None) -> str | None:
        e = self.country_entry(code)
        return e.id if e is not None else None

    def surface_forms(self) -> Iterator[tuple[str, str, str]]:
        """(label, id, text) for every pattern string, entries first, with mechanical variants."""
        for e in self.entries.values():
            for form in _variants((e.name, *e.aliases)):
                yield ACTOR_LABEL, e.id, form
        for o in self.outlets.values():
            for form in _variants((o.name, *o.aliases)):
                yield OUTLET_LABEL, o.id, form


def _variants(forms: tuple[str, ...]) -> Iterator[str]:
    seen: set[str] = set()
    for form in forms:
        form = form.strip()
        if not form:
            continue
        out = [form]
        if form.lower().startswith("the ") and len(form) > 4:
            out += [form[4:], "The " + form[4:]]
        if form[0].islower():
            out.append(form[0].upper() + form[1:])
        out += [f.replace("'", "’") for f in out if "'" in f]
        for f in out:
            if f not in seen:
                seen.add(f)
                yield f


@cache
def _load(path: str, outlets_path: str) -> Gazetteer:
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or []
    entries: dict[str, Entry] = {}
    for row in raw:
        e = Entry(
            id=str(row["id"]),
            name=str(row["name"]),
            type=ActorType(row["type"]),
            aliases=tuple(str(a) for a in row.get("aliases") or ()),
            country=row.get("country"),
            parent=row.get("parent"),
        )
        entries.setdefault(e.id, e)
    outlets: dict[str, Outlet] = {}
    if Path(outlets_path).exists():
        with open(outlets_path, encoding="utf-8") as fh:
            oraw = yaml.safe_load(fh) or {}
        rows = oraw.get("outlets", []) if isinstance(oraw, dict) else oraw
        for row in rows:
            o = Outlet(id=str(row["id"]), name=str(row["name"]),
                       aliases=tuple(str(a) for a in row.get("aliases") or ()))
            outlets.setdefault(o.id, o)
    return Gazetteer(entries=entries, outlets=outlets)


class GazetteerMatcher:
    """Pipeline component: gazetteer and outlet names -> doc.spans["aigeo_gazetteer"]."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        # Case-sensitive for every form ("US" is not "us", "Meta" is not "meta"); multi-word forms are
        # also matched in any case after a capitalised first word ("China's foreign ministry"), but not
        # when they start in lower case ("scale AI" is no company).
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.keys: dict[int, tuple[str, str]] = {}  # match key -> (label, id)
        by_key: dict[str, list[Doc]] = {}
        lower_by_key: dict[str, list[Doc]] = {}
        for label, ident, text in gazetteer.surface_forms():
            doc = nlp.make_doc(text)
            by_key.setdefault(f"{label}|{ident}", []).append(doc)
            if len(doc) >= 2 and sum(t.is_alpha for t in doc) >= 2:
                lower_by_key.setdefault(f"{label}|{ident}", []).append(doc)
        for key, docs in by_key.items():
            self.matcher.add(key, docs)
            if key in lower_by_key:
                self.lower_matcher.add(key, lower_by_key[key])
            label, ident = key.split("|", 1)
            self.keys[nlp.vocab.strings[key]] = (label, ident)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        lower = [(m, s, e) for m, s, e in self.lower_matcher(doc) if not doc[s].text[:1].islower()]
        for match_id, start, end in [*self.matcher(doc), *lower]:
            label, ident = self.keys[match_id]
            spans.append(Span(doc, start, end, label=label, kb_id=ident))
        out: list[Span] = []
        for sp in filter_spans(spans):  # longest first, no overlaps
            poss = self._poss_len(doc, sp) if sp.label_ == ACTOR_LABEL else 0
            if poss:
                owner = self.gazetteer.lookup(doc[sp.start: sp.start + poss].text)
                if owner is not None:
                    out.append(Span(doc, sp.start, sp.start + poss, label=ACTOR_LABEL, kb_id=owner.id))
                out.append(Span(doc, sp.start + poss + 1, sp.end, label=sp.label_, kb_id=sp.kb_id_))
            else:
                out.append(sp)
        doc.spans[SPAN_KEY] = out
        return doc

    def _poss_len(self, doc: Doc, sp: Span) -> int:
        for i in range(sp.start + 1, sp.end - 1):
            if doc[i].text in ("'s", "’s") and self.gazetteer.lookup(doc[sp.start:i].text) is not None:
                return i - sp.start
        return 0


@Language.factory("aigeo_gazetteer", default_config={"gazetteer_path": None, "outlets_path": None})
def make_gazetteer_matcher(nlp: Language, name: str, gazetteer_path: str | None,
                           outlets_path: str | None) -> GazetteerMatcher:
    gaz = Gazetteer.load(Path(gazetteer_path) if gazetteer_path else GAZETTEER_PATH,
                         Path(outlets_path) if outlets_path else OUTLETS_PATH)
    return GazetteerMatcher(nlp, gaz)
