"""Trigger patterns as data: `ingest/patterns/<family>.jsonl`, one row per pattern, each with the `id` its facts
carry on their evidence (`Evidence.pattern`), a description, and spaCy `Matcher` token patterns.

A pattern names cue lists instead of repeating them: `"@allegation.accuse_verbs"` inside an `INTERSECTS` list
is the `accuse_verbs` list of the `allegation` section of `ingest/data/cues.yaml`, so cue words stay in one
place, keyed by the ontology's kinds. The custom token attribute `aigeo_cues` is the set of forms a token can
stand for (its lemma, its lower-cased form, and that form without a common inflection), so a pattern matches
what `ingest.lexicon.lemma_of` finds, with or without a lemmatizer.

The Python extractors keep what patterns cannot say (argument expansion through coordination and apposition,
anaphora, each role's actor types); they run one handler per pattern id, in the order of the file, on the
tokens its rows match.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from ingest.lexicon import Lexicon, uninflected

PATTERNS_DIR = Path(__file__).parent / "patterns"
_CUE_REF = re.compile(r"^@([a-z_]+)\.([a-z_]+)$")


def cue_forms(t: Token) -> list[str]:
    """The cue entries a token can stand for: what `ingest.lexicon.lemma_of` tries, so a row matches a token
    exactly when the lemma look-up finds it in the row's cue lists."""
    return sorted({t.lemma_.lower(), t.lower_, *uninflected(t.lower_)})


if not Token.has_extension("aigeo_cues"):
    Token.set_extension("aigeo_cues", getter=cue_forms)


class PatternRow(BaseModel):
    """One row of a pattern file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z]+(?:/[a-z0-9-]+)+$")
    description: str = Field(min_length=1)
    patterns: list[list[dict[str, Any]]] = Field(min_length=1)

    @field_validator("patterns")
    @classmethod
    def _tokens(cls, v: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        if any(not p for p in v):
            raise ValueError("an empty token pattern")
        return v


def load_rows(family: str, directory: Path = PATTERNS_DIR) -> list[PatternRow]:
    """The rows of one family's file, validated; a bad row is reported with its file and line."""
    path = directory / f"{family}.jsonl"
    rows: list[PatternRow] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(PatternRow.model_validate(json.loads(line)))
            except ValueError as e:
                raise ValueError(f"{path}:{n}: {e}") from e
    ids = [r.id for r in rows]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: a pattern id is used twice")
    return rows


def _resolve(value: Any, lex: Lexicon, where: str) -> Any:
    """A pattern with its `@section.key` cue references replaced by the cue words."""
    if isinstance(value, dict):
        return {k: _resolve(v, lex, where) for k, v in value.items()}
    if isinstance(value, list):
        out: list[Any] = []
        for v in value:
            m = _CUE_REF.match(v) if isinstance(v, str) else None
            if m is None:
                out.append(_resolve(v, lex, where))
                continue
            section = getattr(lex.cues, m.group(1), None)
            words = getattr(section, m.group(2), None) if section is not None else None
            if words is None:
                raise ValueError(f"{where}: no cue list {v!r} in the cue file")
            out += sorted(words)  # (a list, or the keys of a lemma -> kind table)
        return out
    return value


class Triggers:
    """The compiled patterns of one family, for one vocabulary and one cue file."""

    def __init__(self, family: str, lex: Lexicon, vocab: Vocab, directory: Path = PATTERNS_DIR) -> None:
        self.rows = load_rows(family, directory)
        self.order = {r.id: k for k, r in enumerate(self.rows)}
        self.matcher = Matcher(vocab, validate=True)
        for r in self.rows:
            self.matcher.add(r.id, [_resolve(p, lex, f"{family}.jsonl {r.id}") for p in r.patterns])

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.rows]

    def by_token(self, doc: Doc) -> dict[int, list[str]]:
        """token index -> the ids of the rows that match there, in the file's order."""
        found: dict[int, set[str]] = {}
        for match_id, start, _end in self.matcher(doc):
            found.setdefault(start, set()).add(doc.vocab.strings[match_id])
        return {i: sorted(ids, key=self.order.__getitem__) for i, ids in found.items()}


@cache
def _compiled(family: str, lex: Lexicon, vocab: Vocab, directory: Path) -> Triggers:
    return Triggers(family, lex, vocab, directory)


def triggers(family: str, lex: Lexicon, vocab: Vocab, directory: Path | None = None) -> Triggers:
    """The family's patterns (from `directory`, default ingest/patterns) compiled once per cue file and
    vocabulary."""
    return _compiled(family, lex, vocab, directory or PATTERNS_DIR)
