"""The spaCy component that finds the names of the gazetteer and the outlet registry in a text (the data and
its loader are in `reference/`: reference/data/gazetteer.yaml, reference/data/outlets.yaml).

Patterns are built from the YAML at load time: every `name` and `aliases` entry becomes a PhraseMatcher
pattern (case-sensitive, so "US" is not "us"), plus mechanical variants (curly apostrophes, a capitalised
leading "The", a capitalised first letter for lower-case aliases). An alias such as "OpenAI's ChatGPT"
whose possessor is itself a gazetteer name yields two mentions, the possessor and the possessed, so the
possessor is not swallowed. Matches go to `doc.spans["aigeo_gazetteer"]`, label "ACTOR" or "OUTLET",
with the entry id as `kb_id_`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from reference.gazetteer import GAZETTEER_PATH, OUTLETS_PATH, Entry, Gazetteer

# The names the extraction takes from the reference data (mentions, context, pipeline, tests import them here).
__all__ = ["ACTOR_LABEL", "GAZETTEER_PATH", "OUTLETS_PATH", "OUTLET_LABEL", "SPAN_KEY", "Entry", "Gazetteer",
           "GazetteerMatcher", "surface_forms"]

SPAN_KEY = "aigeo_gazetteer"
ACTOR_LABEL = "ACTOR"
OUTLET_LABEL = "OUTLET"


def surface_forms(gazetteer: Gazetteer) -> Iterator[tuple[str, str, str]]:
    """(label, id, text) for every pattern string, entries first, with mechanical variants."""
    for e in gazetteer.entries.values():
        for form in _variants((e.name, *e.aliases)):
            yield ACTOR_LABEL, e.id, form
    for o in gazetteer.outlets.values():
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


class GazetteerMatcher:
    """Pipeline component: gazetteer and outlet names -> doc.spans["aigeo_gazetteer"].

    `to_disk` writes the two YAML files the patterns are built from (gazetteer.yaml, outlets.yaml) and
    `from_disk` rebuilds the matchers from them, so a saved pipeline carries its names."""

    FILES = ("gazetteer.yaml", "outlets.yaml")

    def __init__(self, nlp: Language, gazetteer_path: Path = GAZETTEER_PATH, outlets_path: Path = OUTLETS_PATH) -> None:
        # (the vocab and tokenizer, not the Language: the component is sent to nlp.pipe's worker processes)
        self.vocab = nlp.vocab
        self.tokenizer = nlp.tokenizer
        self._build(gazetteer_path, outlets_path)

    @property
    def data_files(self) -> list[Path]:
        """The files the names were read from (the project's, or a saved pipeline's copies): the extractor
        fingerprint covers them."""
        return list(self._paths)

    def _build(self, gazetteer_path: Path, outlets_path: Path) -> None:
        self._paths = (gazetteer_path, outlets_path)
        gazetteer = Gazetteer.load(gazetteer_path, outlets_path)
        self.gazetteer = gazetteer
        # Case-sensitive for every form ("US" is not "us", "Meta" is not "meta"); multi-word forms are
        # also matched in any case after a capitalised first word ("China's foreign ministry"), but not
        # when they start in lower case ("scale AI" is no company).
        self.matcher = PhraseMatcher(self.vocab, attr="ORTH")
        self.lower_matcher = PhraseMatcher(self.vocab, attr="LOWER")
        self.keys: dict[int, tuple[str, str]] = {}  # match key -> (label, id)
        by_key: dict[str, list[Doc]] = {}
        lower_by_key: dict[str, list[Doc]] = {}
        for label, ident, text in surface_forms(gazetteer):
            doc = self.tokenizer(text)
            by_key.setdefault(f"{label}|{ident}", []).append(doc)
            if len(doc) >= 2 and sum(t.is_alpha for t in doc) >= 2:
                lower_by_key.setdefault(f"{label}|{ident}", []).append(doc)
        for key, docs in by_key.items():
            self.matcher.add(key, docs)
            if key in lower_by_key:
                self.lower_matcher.add(key, lower_by_key[key])
            label, ident = key.split("|", 1)
            self.keys[self.vocab.strings[key]] = (label, ident)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        lower = [(m, s, e) for m, s, e in self.lower_matcher(doc) if not doc[s].text[:1].islower()]
        for match_id, start, end in [*self.matcher(doc), *lower]:
            label, ident = self.keys[match_id]
            spans.append(Span(doc, start, end, label=label, kb_id=ident))
        # a one-word name in capitals, as companies style themselves in releases ("NVIDIA", "TIKTOK"); short
        # capitals are left alone (they are acronyms of their own: "US" is no "Us")
        for t in doc:
            if len(t.text) >= 4 and t.is_alpha and t.text.isupper():
                e = self.gazetteer.lookup(t.text)
                if e is not None and not e.generic and e.name.upper() == t.text and not e.name.isupper():
                    spans.append(Span(doc, t.i, t.i + 1, label=ACTOR_LABEL, kb_id=e.id))
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

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for src, name in zip(self._paths, self.FILES, strict=True):
            (path / name).write_bytes(src.read_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> GazetteerMatcher:
        path = Path(path)
        self._build(path / self.FILES[0], path / self.FILES[1])
        return self

    def _poss_len(self, doc: Doc, sp: Span) -> int:
        for i in range(sp.start + 1, sp.end - 1):
            if doc[i].text in ("'s", "’s") and self.gazetteer.lookup(doc[sp.start:i].text) is not None:
                return i - sp.start
        return 0


@Language.factory("aigeo_gazetteer", default_config={"gazetteer_path": None, "outlets_path": None},
                  assigns=["doc.spans"])
def make_gazetteer_matcher(nlp: Language, name: str, gazetteer_path: str | None,
                           outlets_path: str | None) -> GazetteerMatcher:
    """Assigns doc.spans["aigeo_gazetteer"] (label ACTOR or OUTLET, kb_id the entry id); null paths are the
    project's files in reference/data/."""
    return GazetteerMatcher(nlp, Path(gazetteer_path) if gazetteer_path else GAZETTEER_PATH,
                            Path(outlets_path) if outlets_path else OUTLETS_PATH)
