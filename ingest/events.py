"""Dated events: a sentence that reports something happening, with an explicit or resolvable date
and at least one actor, becomes an EventRecord.

* The date is the sentence's timeline heading ("May 17, 2024: ..."), else its first resolved date;
  an anchored offset ("three days after the company disclosed ...") resolves against the latest earlier
  day-precision event led by the anchor clause's subject; other sentences of a timeline entry take the
  entry's date only when they have an actor of their own as subject ("The company immediately
  appeals").
* Never: month_day dates (no year given), the dateline (publication date), dates after publication,
  captions and headings without a verb.
* The same happening told twice is one event: same date and end, and the same leading actor (or no
  leading actor and a shared actor / the same paragraph).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from ingest.context import DocContext, Sentence
from ingest.dates import shift
from ingest.syntax import is_verbal, lemma, subject_tokens
from ontology.models import DatePrecision, EventRecord, TimeSpec


@dataclass
class _Event:
    sent: Sentence
    date: TimeSpec
    lead: str | None
    actors: list[str] = field(default_factory=list)


class EventExtractor:
    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.actors = ctx.actors

    def _root(self, sent: Sentence) -> Token | None:
        doc = self.ctx.doc
        roots = [t for t in doc[sent.start:sent.end] if t.dep_ == "ROOT"]
        verbal = [t for t in roots if is_verbal(t)]
        return verbal[-1] if verbal else (roots[-1] if roots else None)

    def _subject_key(self, v: Token) -> str | None:
        for s in subject_tokens(v):
            m = self.actors.mention_at(s.i)
            if m is None:
                for c in s.children:
                    if c.dep_ == "appos" and self.actors.mention_at(c.i) is not None:
                        m = self.actors.mention_at(c.i)
                        break
            if m is not None:
                return self.actors.resolve(m) if m.is_anaphor else m.actor
        return None

    def lead(self, sent: Sentence) -> str | None:
        """The actor the sentence is about: its main subject, or, under a reporting verb whose subject
        is no actor ("Reuters reports that X decided"), the subject of the reported clause."""
        if not self.ctx.parsed:
            return None
        root = self._root(sent)
        if root is None:
            return None
        key = self._subject_key(root)
        if key is None and lemma(root, self.ctx.lex.report_verbs):
            for c in root.children:
                if c.dep_ == "ccomp":
                    key = self._subject_key(c)
                    if key:
                        break
        return key

    def _eligible(self, key: str, lead: str | None) -> bool:
        """Named actors always; unnamed collectives, bodies and territories only when they take part
        in an allegation or action, or lead the sentence."""
        a = self.actors.actors.get(key)
        if a is None:
            return False
        return a.always or a.source == "ner" or (a.source == "rule" and a.type.value == "AIModel") \
            or key in self.actors.in_role or key == lead

    def _has_verb(self, sent: Sentence) -> bool:
        toks = self.ctx.doc[sent.start:sent.end]
        if not self.ctx.parsed:
            return len([t for t in toks if t.is_alpha]) >= 4
        return any((t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBN",)) or t.tag_ in ("VBD", "VBZ", "VBP")
                   for t in toks)

    def _anchored(self, sent: Sentence, events: list[_Event]) -> TimeSpec | None:
        doc = self.ctx.doc
        for d in sent.dates:
            if d.offset is None or d.offset[2] not in ("after", "before"):
                continue
            after_tok = next((t for t in doc[sent.start:sent.end] if t.idx >= d.end), None)
            if after_tok is None:
                continue
            anchor_actor = None
            for t in doc[after_tok.i: min(sent.end, after_tok.i + 6)]:
                m = self.actors.mention_at(t.i)
                if m is not None:
                    anchor_actor = self.actors.resolve(m) if m.is_anaphor else m.actor
                    break
            if anchor_actor is None:
                continue
            for ev in reversed(events):
                if ev.lead == anchor_actor and ev.date.precision is DatePrecision.day and ev.date.end is None:
                    return shift(ev.date, d.offset[0], d.offset[1], d.offset[2])
        return None

    def extract(self) -> list[EventRecord]:
        ctx = self.ctx
        events: list[_Event] = []
        for sent in ctx.sentences:
            if sent.is_title:
                continue
            date = ctx.sentence_date(sent)
            if date is not None and date.precision is DatePrecision.month_day:
                date = next((d.spec for d in sent.dates if d.spec is not None
                             and d.spec.precision is not DatePrecision.month_day), None)
            inherited = False
            if date is None:
                date = self._anchored(sent, events)
            if date is None and sent.heading_date is not None and not sent.heading_in_sentence:
                date, inherited = sent.heading_date, True
            if date is None or date.precision is DatePrecision.month_day:
                continue
            b = date.bounds()
            if b is not None and ctx.published is not None and b[0] > ctx.published:
                continue  # not something that happened by the time of writing
            if not self._has_verb(sent):
                continue
            keys: list[str] = []
            for m in ctx.mentions(sent):
                k = self.actors.resolve(m) if m.is_anaphor else m.actor
                if k is not None and k not in keys:
                    keys.append(k)
            lead = self.lead(sent)
            keys = [k for k in keys if self._eligible(k, lead)]
            if not keys:
                continue
            if inherited and lead is None:
                continue
            self._add(events, _Event(sent, date, lead, keys))
        out: list[EventRecord] = []
        for ev in events:
            self.actors.mark_role(*ev.actors)
            summary = ev.sent.text
            if ev.sent.heading_in_sentence and ":" in summary[:100]:
                summary = summary.split(":", 1)[1].strip()
            out.append(EventRecord(date=ev.date, actors=[self.actors.actor_id(k) for k in ev.actors],
                                   summary=summary[:200], evidence=ctx.evidence(ev.sent)))
        return out

    @staticmethod
    def _same_date(a: TimeSpec, b: TimeSpec) -> bool:
        return (a.value, a.end) == (b.value, b.end)

    def _add(self, events: list[_Event], new: _Event) -> None:
        for ev in reversed(events):
            if not self._same_date(ev.date, new.date):
                continue
            same = False
            if new.date.end is not None:
                same = bool(set(ev.actors) & set(new.actors)) or ev.sent.line == new.sent.line
            elif ev.lead is not None and new.lead is not None:
                same = ev.lead == new.lead
            else:
                same = ev.sent.line == new.sent.line or bool(set(ev.actors) & set(new.actors))
            if same:
                ev.actors += [k for k in new.actors if k not in ev.actors]
                return
        events.append(new)


def extract_events(ctx: DocContext) -> list[EventRecord]:
    return EventExtractor(ctx).extract()
