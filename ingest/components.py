"""The extraction as registered spaCy components, run in this order after the statistical pipeline and
`aigeo_gazetteer` (the order and settings are `ingest/config.cfg`'s, built by `ingest.pipeline.build_pipeline`):

(each: what it requires -> what it assigns)

* `aigeo_article`: -> `doc._.aigeo_article`, the `ArticleRecord` (kept when set, else one of the text alone)
* `aigeo_context`: `doc._.aigeo_article`, `token.is_sent_start` -> `doc._.aigeo_context` (`DocContext`):
  sentences, the title line, dateline and publication date, dates per sentence, timeline headings
* `aigeo_mentions`: the context, `doc.spans["aigeo_gazetteer"]` -> `doc._.aigeo_actors` (`DocActors`) and
  `doc.spans["aigeo_mentions"]` (label the mention's kind, kb_id its actor): gazetteer names, unnamed groups
  and bodies, AI models, NER candidates, acronyms, anaphors
* `aigeo_coreference`: the actors -> `doc.spans["aigeo_coref"]`: each anaphor resolved to an actor (label
  its type, kb_id its key; the resolver memoises, so the extractors read the same answers)
* `aigeo_attributions`: -> `doc._.aigeo_attributions` (records) and `doc._.aigeo_cited` (sources per sentence)
* `aigeo_allegations`: the context, the cited sources -> `doc._.aigeo_allegations`
* `aigeo_actions`: -> `doc._.aigeo_actions`
* `aigeo_relations` (parsed pipelines only): the rules' records, `token.dep`, `doc.tensor` -> the learned
  relation model's `doc._.aigeo_allegations` and `doc._.aigeo_actions`, and `doc._.aigeo_keep_actor` (the
  actor model, asked when the record is made, after the dated events have marked their actors)
* `aigeo_events`: -> `doc._.aigeo_events`
* `aigeo_extraction` (last): all of the above -> `doc._.aigeo_extraction`, the `Extraction` record

The article (doc id, title, publication date) reaches them as `doc._.aigeo_article`, which `Extractor` sets
before it runs them (`nlp.pipe(..., as_tuples=True)` contexts are not visible to components); without one
(`nlp("some text")`) `aigeo_article` makes a record of the text alone.
`aigeo_relations` needs a dependency parse and is left out of the blank pipeline. Components that carry data
save it with `nlp.to_disk` and read it back with `from_disk`: `aigeo_gazetteer` its two YAML files,
`aigeo_context` the cue lists (cues.yaml), `aigeo_relations` the trained weights (relations.json).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ingest.actions import extract_actions
from ingest.allegations import extract_allegations
from ingest.attributions import extract_attributions
from ingest.context import DocContext
from ingest.dates import DateNormaliser
from ingest.events import extract_events
from ingest.fingerprint import fingerprint
from ingest.gazetteer import GazetteerMatcher
from ingest.lexicon import CUES_PATH, Lexicon, load_lexicon
from ingest.linking import complete_year, years_by_day
from ingest.relations.model import DEFAULT_PATH as RELATIONS_PATH
from ingest.relations.model import RelationModel
from ingest.triggers import PATTERNS_DIR
from ontology.models import ActionRecord, AllegationRecord, ArticleRecord, EventRecord, Extraction

MENTION_SPANS = "aigeo_mentions"
COREF_SPANS = "aigeo_coref"
# The Doc extensions the components leave (each reset to None by `release`)
EXTENSIONS = ("aigeo_article", "aigeo_context", "aigeo_actors", "aigeo_attributions", "aigeo_cited",
              "aigeo_allegations", "aigeo_actions", "aigeo_keep_actor", "aigeo_events", "aigeo_extraction")
for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

# Stages: "rules" components make what `Extractor.analyse` returns, "models" components what `finish` adds
RULES, MODELS = "rules", "models"


def release(doc: Doc) -> None:
    """Drops what the components left on a Doc (the context refers back to the Doc: without this the pair
    waits for the cycle collector)."""
    for name in EXTENSIONS:
        doc._.set(name, None)


def pipeline_fingerprint(nlp: Language) -> str:
    """The extractor fingerprint of a pipeline: its model and pipe names, the extraction code and the data
    files its components were built from (`data_files`)."""
    files: list[Path] = []
    for _name, proc in nlp.pipeline:
        files += list(getattr(proc, "data_files", ()))
    return fingerprint(nlp, files)


def _ctx(doc: Doc) -> DocContext | None:
    ctx: DocContext | None = doc._.aigeo_context
    return ctx


class ArticleComponent:
    """The article a Doc is (`Extractor` sets `doc._.aigeo_article` before the components run); a Doc
    without one (`nlp("some text")`) is an article of its text alone, with no title and no date."""

    stage = RULES

    def __call__(self, doc: Doc) -> Doc:
        if doc._.aigeo_article is None and doc.text.strip():
            doc._.aigeo_article = ArticleRecord(doc_id="doc", text=doc.text)
        return doc


PATTERNS_SUBDIR = "patterns"


class ContextComponent:
    """Sentences, dates and headings of one article; owns the cue lists and the date normaliser."""

    stage = RULES
    FILE = "cues.yaml"

    def __init__(self, nlp: Language, cues_path: Path) -> None:
        self.parsed = "parser" in nlp.pipe_names
        self.dates = DateNormaliser()
        self._load(cues_path, PATTERNS_DIR)

    def _load(self, path: Path, patterns_dir: Path) -> None:
        self.path = path
        self.lexicon: Lexicon = load_lexicon(path)
        self.patterns_dir = patterns_dir  # the trigger patterns (ingest/patterns/*.jsonl) read with these cues

    @property
    def data_files(self) -> list[Path]:
        return [self.path, *sorted(self.patterns_dir.glob("*.jsonl"))]

    def __call__(self, doc: Doc) -> Doc:
        article: ArticleRecord | None = doc._.aigeo_article
        if article is None:
            return doc
        doc._.aigeo_context = DocContext(doc, article, None, self.lexicon, self.dates, self.parsed,
                                         patterns_dir=self.patterns_dir)
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        (path / PATTERNS_SUBDIR).mkdir(parents=True, exist_ok=True)
        (path / self.FILE).write_bytes(self.path.read_bytes())
        for f in sorted(self.patterns_dir.glob("*.jsonl")):
            (path / PATTERNS_SUBDIR / f.name).write_bytes(f.read_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ContextComponent:
        self._load(Path(path) / self.FILE, Path(path) / PATTERNS_SUBDIR)
        return self


class MentionsComponent:
    """Actor mentions over the gazetteer's spans: gazetteer names, unnamed groups and bodies, AI models,
    NER candidates, acronyms and anaphors (`mentions.DocActors`)."""

    stage = RULES

    def __init__(self, nlp: Language, gazetteer_component: str) -> None:
        names = nlp.get_pipe(gazetteer_component) if gazetteer_component in nlp.pipe_names else None
        if not isinstance(names, GazetteerMatcher):
            raise ValueError(f"aigeo_mentions: no gazetteer component {gazetteer_component!r} before it")
        self.names = names  # read at each call: from_disk reloads the gazetteer in place

    def __call__(self, doc: Doc) -> Doc:
        ctx = _ctx(doc)
        if ctx is None:
            return doc
        actors = ctx.find_actors(self.names.gazetteer)
        doc._.aigeo_actors = actors
        doc.spans[MENTION_SPANS] = [Span(doc, m.start, m.end, label=m.kind, kb_id=m.actor or "")
                                    for m in actors.mentions]
        return doc


class CoreferenceComponent:
    """Each anaphor ("it", "the company", "The President") resolved to the actor it stands for (the
    resolver of `mentions.DocActors`, memoised there, so the extractors read the same answer)."""

    stage = RULES

    def __call__(self, doc: Doc) -> Doc:
        actors = doc._.aigeo_actors
        if actors is None:
            return doc
        spans: list[Span] = []
        for m in actors.mentions:
            if m.is_anaphor:
                key = actors.resolve(m)
                if key is not None:
                    spans.append(Span(doc, m.start, m.end, label=actors.actors[key].type.value, kb_id=key))
        doc.spans[COREF_SPANS] = spans
        return doc


class AttributionsComponent:
    stage = RULES

    def __call__(self, doc: Doc) -> Doc:
        ctx = _ctx(doc)
        if ctx is not None:
            doc._.aigeo_attributions, doc._.aigeo_cited = extract_attributions(ctx)
        return doc


class AllegationsComponent:
    stage = RULES

    def __call__(self, doc: Doc) -> Doc:
        ctx = _ctx(doc)
        if ctx is not None:
            doc._.aigeo_allegations = extract_allegations(ctx, doc._.aigeo_cited or {})
        return doc


class ActionsComponent:
    stage = RULES

    def __call__(self, doc: Doc) -> Doc:
        ctx = _ctx(doc)
        if ctx is not None:
            doc._.aigeo_actions = extract_actions(ctx)
        return doc


class RelationsComponent:
    """The learned relation model (`ingest/relations/`): confirms, overrules and adds to the rules'
    allegations and actions; leaves the actor model's decision (`doc._.aigeo_keep_actor`, read when the
    record is made, after the dated events have marked their actors)."""

    stage = MODELS
    FILE = "relations.json"

    def __init__(self, model_path: Path) -> None:
        self._load(model_path)

    def _load(self, path: Path) -> None:
        self.path = path
        self.model: RelationModel | None = RelationModel.from_disk(path) if path.exists() else None

    @property
    def data_files(self) -> list[Path]:
        return [self.path] if self.model is not None else []

    def __call__(self, doc: Doc) -> Doc:
        return self.run(doc, self.model)

    def run(self, doc: Doc, model: RelationModel | None) -> Doc:
        """This component with another model (`Extractor.finish`, cross-validation) or none."""
        ctx = _ctx(doc)
        if ctx is None:
            return doc
        keep: Callable[[str], bool] | None = None
        if model is not None:
            doc._.aigeo_allegations, doc._.aigeo_actions = model.apply(
                ctx, doc._.aigeo_allegations or [], doc._.aigeo_actions or [], doc._.aigeo_cited or {})
            keep = model.keep_actor(ctx)
        doc._.aigeo_keep_actor = keep
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            (path / self.FILE).write_bytes(self.path.read_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> RelationsComponent:
        self._load(Path(path) / self.FILE)
        return self


class EventsComponent:
    stage = MODELS

    def __call__(self, doc: Doc) -> Doc:
        ctx = _ctx(doc)
        if ctx is not None:
            doc._.aigeo_events = extract_events(ctx)
        return doc


class ExtractionComponent:
    """The last component: what the others left on the Doc becomes the `Extraction` record (a day given
    without a year takes the year the article gives that day; the actor model, when there is one, decides
    which names the NER proposed are listed)."""

    stage = MODELS

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._fingerprint: tuple[tuple[Any, ...], str] | None = None

    @property
    def fingerprint(self) -> str:
        key = (tuple(self.nlp.pipe_names),
               *(tuple(getattr(p, "data_files", ())) for _n, p in self.nlp.pipeline))
        if self._fingerprint is None or self._fingerprint[0] != key:
            self._fingerprint = (key, pipeline_fingerprint(self.nlp))
        return self._fingerprint[1]

    def __call__(self, doc: Doc) -> Doc:
        ctx = _ctx(doc)
        if ctx is None:
            return doc
        allegations, actions, events = _complete_years(list(doc._.aigeo_allegations or []),
                                                       list(doc._.aigeo_actions or []),
                                                       list(doc._.aigeo_events or []))
        article = ctx.article
        if ctx.published != article.published:
            article = article.model_copy(update={"published": ctx.published})
        doc._.aigeo_extraction = Extraction(
            article=article, actors=ctx.actors.records(doc._.aigeo_keep_actor), allegations=allegations,
            actions=actions, events=events, attributions=list(doc._.aigeo_attributions or []),
            extractor_fingerprint=self.fingerprint)
        return doc


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


# ---------------------------------------------------------------------------------------- factories
_CONTEXT = "doc._.aigeo_context"


@Language.factory("aigeo_article", assigns=["doc._.aigeo_article"])
def make_article(nlp: Language, name: str) -> ArticleComponent:
    return ArticleComponent()


@Language.factory("aigeo_context", default_config={"cues_path": None},
                  requires=["doc._.aigeo_article", "token.is_sent_start"], assigns=[_CONTEXT])
def make_context(nlp: Language, name: str, cues_path: str | None) -> ContextComponent:
    """`cues_path` null is ingest/data/cues.yaml."""
    return ContextComponent(nlp, Path(cues_path) if cues_path else CUES_PATH)


@Language.factory("aigeo_mentions", default_config={"gazetteer_component": "aigeo_gazetteer"},
                  requires=[_CONTEXT, "doc.spans"], assigns=["doc._.aigeo_actors", "doc.spans"])
def make_mentions(nlp: Language, name: str, gazetteer_component: str) -> MentionsComponent:
    return MentionsComponent(nlp, gazetteer_component)


@Language.factory("aigeo_coreference", requires=["doc._.aigeo_actors"], assigns=["doc.spans"])
def make_coreference(nlp: Language, name: str) -> CoreferenceComponent:
    return CoreferenceComponent()


@Language.factory("aigeo_attributions", requires=[_CONTEXT, "doc._.aigeo_actors"],
                  assigns=["doc._.aigeo_attributions", "doc._.aigeo_cited"])
def make_attributions(nlp: Language, name: str) -> AttributionsComponent:
    return AttributionsComponent()


@Language.factory("aigeo_allegations", requires=[_CONTEXT, "doc._.aigeo_actors", "doc._.aigeo_cited"],
                  assigns=["doc._.aigeo_allegations"])
def make_allegations(nlp: Language, name: str) -> AllegationsComponent:
    return AllegationsComponent()


@Language.factory("aigeo_actions", requires=[_CONTEXT, "doc._.aigeo_actors"], assigns=["doc._.aigeo_actions"])
def make_actions(nlp: Language, name: str) -> ActionsComponent:
    return ActionsComponent()


@Language.factory("aigeo_relations", default_config={"model_path": None},
                  requires=[_CONTEXT, "doc._.aigeo_cited", "doc._.aigeo_allegations", "doc._.aigeo_actions",
                            "token.dep", "doc.tensor"],
                  assigns=["doc._.aigeo_allegations", "doc._.aigeo_actions", "doc._.aigeo_keep_actor"])
def make_relations(nlp: Language, name: str, model_path: str | None) -> RelationsComponent:
    """`model_path` null is ingest/models/relations.json (built by `kg train`); an absent file is no model."""
    return RelationsComponent(Path(model_path) if model_path else RELATIONS_PATH)


@Language.factory("aigeo_events", requires=[_CONTEXT, "doc._.aigeo_actors"], assigns=["doc._.aigeo_events"])
def make_events(nlp: Language, name: str) -> EventsComponent:
    return EventsComponent()


@Language.factory("aigeo_extraction",
                  requires=[_CONTEXT, "doc._.aigeo_actors", "doc._.aigeo_attributions", "doc._.aigeo_allegations",
                            "doc._.aigeo_actions", "doc._.aigeo_events"],
                  assigns=["doc._.aigeo_extraction"])
def make_extraction(nlp: Language, name: str) -> ExtractionComponent:
    return ExtractionComponent(nlp)
