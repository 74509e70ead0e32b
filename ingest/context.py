"""Per-document working state shared by the extractors: sentences (as evidence units), the dates in
each, timeline headings, and actor mentions."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ingest.dates import DateMention, DateNormaliser, dateline, find_dates, upcoming_weekday
from ingest.gazetteer import Gazetteer
from ingest.lexicon import Lexicon
from ingest.mentions import DocActors, Mention
from ontology.models import ArticleRecord, AttributionKind, DatePrecision, Evidence, TimeSpec

_HEADING = re.compile(r"^\s*(?P<head>[^:\n]{1,100}?)\s*:\s+\S")


@Language.component("aigeo_sentence_hints", assigns=["token.is_sent_start"])
def sentence_hints(doc: Doc) -> Doc:
    """A line break always ends a sentence (headings, list items and paragraphs are separate units),
    and a news dateline ("BRUSSELS, March 4, 2025 –") is kept out of the first sentence's parse."""
    for i in range(len(doc) - 1):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            doc[i + 1].is_sent_start = True
    dl = dateline(doc.text)
    if dl is not None:
        end = dl[1][1]
        for t in doc:
            if t.idx >= end and t.text in ("-", "–", "—", ":", "/") and t.i + 1 < len(doc):
                doc[t.i + 1].is_sent_start = True
                break
            if t.idx > end + 20:
                break
    return doc


@dataclass
class Sentence:
    index: int
    start: int  # token offsets
    end: int
    start_char: int
    end_char: int
    text: str
    line: int
    dates: list[DateMention] = field(default_factory=list)
    heading_date: TimeSpec | None = None  # the date of the timeline heading this sentence falls under
    heading_in_sentence: bool = False  # that heading is part of this sentence
    # The article's title line (its first line, when the record's title is that line): headline wording is
    # compressed and often loose ("Taiwan adds China's Huawei ..."), so no fact is taken from it; the body
    # tells the same facts in full.
    is_title: bool = False

    def tokens(self, doc: Doc) -> Span:
        return doc[self.start:self.end]


class DocContext:
    """`gazetteer` None leaves the actors to `find_actors` (the `aigeo_mentions` component calls it); with a
    gazetteer they are found at once, as the extractors' unit tests build a context."""

    actors: DocActors

    def __init__(self, doc: Doc, article: ArticleRecord, gazetteer: Gazetteer | None, lexicon: Lexicon,
                 dates: DateNormaliser, parsed: bool, patterns_dir: Path | None = None) -> None:
        self.doc = doc
        self.patterns_dir = patterns_dir  # None: the project's ingest/patterns
        self.article = article
        self.text = article.text  # the tokenizer keeps every character, so this is doc.text (not rebuilt)
        self.lex = lexicon
        self.parsed = parsed
        self.published: date | None = article.published
        dl = dateline(self.text)
        self.dateline_span: tuple[int, int] | None = None
        if dl is not None:
            self.dateline_span = dl[1]
            if self.published is None:
                self.published = dl[0]
        self.sentences = self._sentences()
        # token -> sentence index; tokens between sentences (spaces) belong to the one before
        self.sent_of_token: list[int] = [0] * len(doc)
        k = 0
        for i in range(len(doc)):
            while k + 1 < len(self.sentences) and self.sentences[k + 1].start <= i:
                k += 1
            self.sent_of_token[i] = k
        self.ents = tuple(doc.ents)  # (Doc.ents is rebuilt on each access)
        self._assign_dates(dates)
        self._headings()
        if gazetteer is not None:
            self.find_actors(gazetteer)

    def find_actors(self, gazetteer: Gazetteer) -> DocActors:
        """The document's actor mentions, outlets and anaphors (`mentions.DocActors`), over its sentences."""
        self.actors = DocActors(self.doc, gazetteer, self.lex, self.parsed,
                                [(s.start, s.end) for s in self.sentences], self.sent_of_token, self.text)
        return self.actors

    # ------------------------------------------------------------------ sentences
    def _sentences(self) -> list[Sentence]:
        doc = self.doc
        raw: list[tuple[int, int]] = []
        for sent in doc.sents:
            s, e = sent.start, sent.end
            while s < e and (doc[s].is_space or doc[s].text.strip() == ""):
                s += 1
            while e > s and (doc[e - 1].is_space or doc[e - 1].text.strip() == ""):
                e -= 1
            if s < e:
                raw.append((s, e))
        # a short heading ending in ":" joins the sentence that follows on the same line
        merged: list[tuple[int, int]] = []
        for s, e in raw:
            if merged:
                ps, pe = merged[-1]
                between = self.text[doc[pe - 1].idx + len(doc[pe - 1].text): doc[s].idx]
                if doc[pe - 1].text.endswith(":") and "\n" not in between and pe - ps <= 16:
                    merged[-1] = (ps, e)
                    continue
            merged.append((s, e))
        newlines = [i for i, ch in enumerate(self.text) if ch == "\n"]
        self._line_starts = [0] + [i + 1 for i in newlines]
        title = " ".join((self.article.title or "").split())
        first_line = " ".join(self.text[: newlines[0] if newlines else len(self.text)].split())
        titled = bool(title) and first_line == title
        out: list[Sentence] = []
        for i, (s, e) in enumerate(merged):
            sc = doc[s].idx
            ec = doc[e - 1].idx + len(doc[e - 1].text)
            line = bisect_right(newlines, sc - 1)
            out.append(Sentence(i, s, e, sc, ec, self.text[sc:ec], line, is_title=titled and line == 0))
        return out

    def _assign_dates(self, normaliser: DateNormaliser) -> None:
        found = find_dates(self.text, self.published)
        for k, d in enumerate(found):
            span = self.doc.char_span(d.start, d.end, alignment_mode="expand") if d.kind == "weekday" else None
            if span is not None and _future(span):
                found[k] = replace(d, spec=upcoming_weekday(d.text, self.published) or d.spec)
        taken = [(d.start, d.end) for d in found]
        extra: list[DateMention] = []
        for ent in self.ents:
            if ent.label_ != "DATE":
                continue
            s, e = ent.start_char, ent.end_char
            if any(s < te and ts < e for ts, te in taken):
                continue
            spec = (_future(ent) and upcoming_weekday(ent.text, self.published)) or \
                normaliser.normalise(ent.text, self.published)
            if spec is None:
                continue
            extra.append(DateMention(s, e, ent.text, spec, "ner", relative=False))
        mentions = sorted(found + extra, key=lambda d: d.start)
        if self.dateline_span is not None:
            ds, de = self.dateline_span
            mentions = [d for d in mentions if not (d.start < de and ds < d.end)]
        i = 0
        for sent in self.sentences:
            while i < len(mentions) and mentions[i].start < sent.start_char:
                i += 1
            j = i
            while j < len(mentions) and mentions[j].start < sent.end_char:
                sent.dates.append(mentions[j])
                j += 1

    def _headings(self) -> None:
        current: TimeSpec | None = None
        current_line = -1
        for sent in self.sentences:
            if sent.line != current_line:
                current = None
                current_line = sent.line
                line_start = self._line_starts[sent.line]
                if line_start == sent.start_char:
                    m = _HEADING.match(sent.text)
                    if m and len(m.group("head").split()) <= 14:
                        head_end = sent.start_char + m.end("head")
                        for d in sent.dates:
                            if d.start < head_end and d.spec is not None and \
                                    d.spec.precision is not DatePrecision.month_day:
                                current = d.spec
                                sent.heading_in_sentence = True
                                break
            sent.heading_date = current

    # ------------------------------------------------------------------ helpers
    def sentence_of(self, token_i: int) -> Sentence:
        return self.sentences[self.sent_of_token[token_i]]

    def evidence(self, sent: Sentence, attributions: list[str] | None = None,
                 kind: AttributionKind | None = None, hedges: list[str] | None = None,
                 pattern: str | None = None) -> Evidence:
        return Evidence(sentence=sent.text, start=sent.start_char, end=sent.end_char,
                        attributions=attributions or [], attribution_kind=kind, hedges=hedges or [],
                        pattern=pattern)

    def sentence_date(self, sent: Sentence) -> TimeSpec | None:
        """The date a sentence states for what it reports: its timeline heading, else its first date
        (a range counts), else None. Durations and relative dates left unresolved are skipped."""
        if sent.heading_in_sentence and sent.heading_date is not None:
            return sent.heading_date
        for d in sent.dates:
            if d.spec is not None:
                return d.spec
        return None

    def mentions(self, sent: Sentence) -> list[Mention]:
        return self.actors.mentions_in(sent.start, sent.end)

    def token_mention(self, t: Token) -> Mention | None:
        return self.actors.mention_at(t.i)


_FUTURE_AUX = frozenset({"will", "shall", "'ll", "’ll"})


def _future(span: Span) -> bool:
    """The clause a date sits in speaks of the future: "will take effect Sunday", "is set to start on
    Monday", "is due to meet Friday"."""
    v = span.root
    for _ in range(4):
        if v.pos_ in ("VERB", "AUX"):
            break
        if v.head.i == v.i:
            return False
        v = v.head
    for _ in range(2):
        if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in v.children):
            return True
        if v.dep_ == "xcomp" and v.head.lemma_ in ("set", "due", "expect", "schedule", "plan"):
            return True
        if v.head.i == v.i:
            break
        v = v.head
    return False
