"""Allegations: who accused whom of what, from dependency patterns over cue lexicons (data/cues.yaml).

Patterns (each gives an accuser and one or more accused; coordination and apposition expand both):
* accuse verbs:   "X accused Y (of ...)", passive "Y was accused by X", participles "..., accusing Y of"
* report verbs:   "X said/alleged/told officials (that) Y <conduct>" (the clause must name a conduct)
* expose verbs:   "X identified a campaign by Y", "X reported the Y theft", "X named Y as responsible"
* designation:    "X deemed Y a national security risk"
* accusation nouns: "X's accusation against Y", "X leveled an accusation against Y",
                  "X's claim that Y <conduct>", "X's allegations suggest Y <conduct>"
* penalty-for:    "X fined Y for illegally transferring data", "Y was sanctioned by X over its hacking"
* according-to:   "Y diverted the chips to China, according to X"
A subject that is no actor speaks for its owner ("a MOFCOM spokesperson", "the ministry's statement") or,
for an official document ("the decision", "that inquiry"), for the state or body named before it.
Coordinated accusers each accuse; "allies, including X and Y" expands to its members; a negated
accusation ("did not accuse") or a negated conduct verb ("said Y had not stolen") is no allegation.
The kind comes from the conduct cues of the clause (most specific kind first), else of the sentence,
else of the next sentence on the same line, else `other`. Anaphors ("the company", "it") are resolved
with the other role excluded. Figures and the conduct period come from the sentence, or from a
nearby detail sentence about the same conduct; status from what the accused said afterwards.

Why one module of ~650 lines: the patterns share one candidate type and one expansion of both roles
(coordination, apposition, anaphora, owners); moving the patterns to `ingest/patterns/*.jsonl` (issue 14)
is what will shrink it, not cutting it in two.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Token

from ingest.context import DocContext, Sentence
from ingest.figures import find_figures, mentions_quantity
from ingest.lexicon import lemma_of
from ingest.mentions import Mention
from ingest.syntax import (
    agent_tokens,
    hypothetical,
    is_passive,
    is_verbal,
    lemma,
    objects,
    passive_subject,
    preps,
    subject_tokens,
)
from ingest.triggers import triggers
from ontology.models import (
    ActorType,
    AllegationKind,
    AllegationRecord,
    AllegationStatus,
    AttributionKind,
    Figure,
    TimeSpec,
)
from ontology.vocabulary import vocabulary

ACCUSED_TYPES = frozenset({ActorType.Organization, ActorType.GovernmentBody, ActorType.Country, ActorType.Person,
                            ActorType.Group})
ACCUSER_TYPES = ACCUSED_TYPES
ACCORDING_TO = "allegation/according-to"
_RESPONSIBLE = re.compile(r"\b(?:responsible|behind|culprits?|perpetrators?|orchestrat\w*|involved)\b", re.I)
# Which status wins when a sentence gives several (the ontology's aig:precedence).
_STATUS_RANK = {AllegationStatus(s): -i for i, s in enumerate(vocabulary.precedence("AllegationStatus"))}
_THIRD_PARTY_RANK = {AttributionKind.outlet: 0, AttributionKind.anonymous: 1, AttributionKind.unconfirmed: 2}


_CONTRASTIVE = frozenset({"just", "only", "merely", "simply", "solely"})


def _negated(v: Token) -> bool:
    """The verb itself is negated ("did not accuse", "never claimed"); "accused X, not just Y" is not."""
    for c in v.children:
        if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never"):
            nxt = c.doc[c.i + 1] if c.i + 1 < len(c.doc) else None
            if c.i > v.i and nxt is not None and nxt.lower_ in _CONTRASTIVE:
                continue
            return True
    return False


@dataclass
class _Cand:
    sent: Sentence
    accuser: str
    accused: list[str]
    scope: str  # text the kind is read from first
    kind: AllegationKind | None = None
    figures: list[Figure] = field(default_factory=list)
    period: TimeSpec | None = None
    pattern: str = "allegation/rule"  # the rule family that found it (kept on the evidence)


# Who can be the source a story follows (a company's threat report, an agency's advisory), and how many
# sentences on its word reaches: a paragraph or two, never the whole article.
_SOURCE_TYPES = frozenset({ActorType.Organization, ActorType.GovernmentBody})
_SOURCE_REACH = 6


def _tagged(cands: list[_Cand], start: int, family: str) -> None:
    for c in cands[start:]:
        c.pattern = f"allegation/{family}"


class AllegationExtractor:
    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.lex = ctx.lex
        self.actors = ctx.actors
        # one handler per row of ingest/patterns/allegations.jsonl (a row without a handler fails here, at once)
        handlers: dict[str, Callable[[Token, Sentence], list[_Cand]]] = {
            "allegation/accuse-verb": self._row_accuse_verb,
            "allegation/report-verb": self._row_report_verb,
            "allegation/warning-document": self._row_warning_document,
            "allegation/expose-verb": self._row_expose_verb,
            "allegation/designation": self._row_designation,
            "allegation/penalty-for": self._row_penalty_for,
            "allegation/accusation-noun": self._row_accusation_noun,
            "allegation/concern": self._row_concern,
            ACCORDING_TO: self._according_to,
        }
        self._triggers = triggers("allegations", self.lex, ctx.doc.vocab, ctx.patterns_dir)
        missing = set(self._triggers.ids) - set(handlers)
        if missing:
            raise ValueError(f"allegation patterns with no handler: {sorted(missing)}")
        self._handlers = handlers

    # ------------------------------------------------------------------ arguments
    def _mention_keys(self, m: Mention, exclude: set[str]) -> str | None:
        key = self.actors.resolve(m, exclude) if m.is_anaphor else m.actor
        return key

    def args(self, tok: Token, exclude: set[str], depth: int = 0, seen: set[int] | None = None) -> list[str]:
        """Actor keys an argument token stands for, with its conjuncts and appositions."""
        seen = seen if seen is not None else set()
        if depth > 12 or tok.i in seen:  # (a list of ten states is ten conjuncts deep)
            return []
        seen.add(tok.i)
        keys: list[str] = []
        if tok.tag_ in ("WDT", "WP") and tok.head.dep_ == "relcl" and tok.head.head.i != tok.i:
            return self.args(tok.head.head, exclude, depth + 1, seen)  # "the EU, which Trump accused of ..."
        m = self.actors.mention_at(tok.i)
        span_tokens = [tok]
        named = self._named_by_clause(tok)
        if not named:
            named = [k for k in self.actors.numbered_members(tok) if k not in exclude]  # "the two suspects"
        body = self._issuing_body(tok) if not named and self.actors.mention_at(tok.i) is None else None
        if named:
            keys += named
        elif body is not None:
            keys.append(body)
        elif m is not None:
            span_tokens = list(tok.doc[m.start:m.end])
            members = [a for t in span_tokens for a in t.children if a.dep_ == "appos" and
                       not (m.start <= a.i < m.end) and self.actors.mention_at(a.i) is not None]
            generic_group = (m.type is ActorType.Group and m.kind != "name") or (
                m.type is ActorType.Group and m.actor in self.actors.actors and self.actors.actors[m.actor].generic)
            if not (generic_group and members):
                key = self._mention_keys(m, exclude)
                if key is not None:
                    keys.append(key)
        else:
            # a collective that lists its members: "allies, including the EU and NATO, blamed ..."
            for p in preps(tok, {"including", "like"}):
                keys += self.args(p, exclude, depth + 1, seen)
            for c in tok.children:
                if c.dep_ in ("acl", "relcl") and lemma(c, self.lex.affiliation_verbs):
                    for p in preps(c, self.lex.affiliation_preps):
                        keys += self.args(p, exclude, depth + 1, seen)
            if lemma(tok, self.lex.conduct_nouns):
                keys += self._agents_of_conduct(tok, exclude, depth, seen)
        if keys and all(self._type(k) is ActorType.Group for k in keys):
            # "a group known as HAFNIUM, which is associated with the Chinese state": the state it works for too
            for t in {x.i: x for x in [tok, *span_tokens, *(x for x in tok.doc[tok.i:tok.right_edge.i + 1]
                                                              if self.actors.mention_at(x.i) is not None)]}.values():
                for c in t.children:
                    if c.dep_ in ("acl", "relcl") and lemma(c, self.lex.affiliation_verbs):
                        for p in preps(c, self.lex.affiliation_preps):
                            found = self.args(p, exclude, depth + 1, seen)
                            if not found and p.lemma_.lower() in self.lex.state_markers:  # "the Russian state"
                                state = self.actors.nationality_state(x for x in p.children
                                                                      if x.dep_ in ("amod", "compound"))
                                found = [state] if state is not None else []
                            keys += [k for k in found if k not in keys]
        for t in span_tokens:
            for c in t.children:
                if c.dep_ in ("conj", "appos") and not (m is not None and m.start <= c.i < m.end):
                    keys += self.args(c, exclude, depth + 1, seen)
        return keys

    def _affiliated_subject(self, verb: Token) -> list[Token]:
        """"hackers linked to the Chinese government had breached ...", which the parser reads with "linked" as
        a clausal subject: whom the affiliation names (the conduct's agent works for them)."""
        out: list[Token] = []
        for c in verb.children:
            if c.dep_ == "csubj" and lemma(c, self.lex.affiliation_verbs):
                out += preps(c, self.lex.affiliation_preps)
        return out

    def _named_by_clause(self, tok: Token) -> list[str]:
        """"the group, which it called GTG-1002", "a group known as X", "a campaign dubbed X", "groups
        tracked as APT40 and APT31" (each name given)."""
        for c in tok.children:
            if c.dep_ in ("acl", "relcl") and lemma(c, self.lex.naming_verbs):
                for n in [*objects(c, frozenset({"oprd", "attr", "dobj", "xcomp"})), *preps(c, {"as"})]:
                    names = [nm.actor for x in (n, *n.conjuncts) if (nm := self.actors.mention_at(x.i)) is not None
                             and not nm.is_anaphor and nm.actor]
                    if names:
                        return names
        return []

    def _agents_of_conduct(self, tok: Token, exclude: set[str], depth: int, seen: set[int]) -> list[str]:
        keys: list[str] = []
        for p in preps(tok, {"by", "from"}):
            keys += self.args(p, exclude, depth + 1, seen)
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "nmod") and self.actors.mention_at(c.i) is not None:
                keys += self.args(c, exclude, depth + 1, seen)
        return keys

    def _keys(self, toks: list[Token], exclude: set[str]) -> list[str]:
        out: list[str] = []
        for t in toks:
            for k in self.args(t, exclude):
                if k not in out:
                    out.append(k)
        return out

    def _accuser_of_noun(self, noun: Token, exclude: set[str]) -> list[str]:
        """"X's claim", "the claim by X", "the X accusation", "claims from X"."""
        out: list[str] = []
        for c in noun.children:
            if c.dep_ in ("poss", "compound") and self.actors.mention_at(c.i) is not None:
                out += self.args(c, exclude)
        for p in preps(noun, {"by", "from"}):
            out += self.args(p, exclude)
        return out

    # ------------------------------------------------------------------ patterns
    def _from_token(self, t: Token, sent: Sentence, ids: list[str]) -> list[_Cand]:
        """What the rows of ingest/patterns/allegations.jsonl that matched at t find, each tagged with its id."""
        out: list[_Cand] = []
        if is_verbal(t) and _negated(t):
            return out  # "X did not accuse Y", "X never claimed that Y ..."
        for rid in ids:
            n = len(out)
            out += self._handlers[rid](t, sent)
            for c in out[n:]:
                c.pattern = rid
        return out

    def _row_accuse_verb(self, t: Token, sent: Sentence) -> list[_Cand]:
        lex = self.lex
        verbal = is_verbal(t)
        out: list[_Cand] = []
        if verbal and lemma(t, lex.accuse_verbs):
            if is_passive(t):
                accused_toks, accuser_toks = passive_subject(t), agent_tokens(t)
            else:
                accuser_toks, accused_toks = self._speaker(subject_tokens(t)), objects(t, frozenset({"dobj", "dative"}))
                if not any(self.actors.mention_at(x.i) for x in accuser_toks) and t.dep_ == "conj" and \
                        t.head.dep_ == "ccomp" and lemma(t.head.head, lex.report_verbs):
                    # "the embassy said the report was false and accused the UK of ...": the parser hangs the
                    # second verb on the reported clause; its subject is the speaker's
                    accuser_toks = self._speaker(subject_tokens(t.head.head))
                if not any(self.actors.mention_at(x.i) for x in accused_toks):
                    accused_toks += preps(t, {"on"})  # "blamed the attack on X"
            out += self._pair(sent, accuser_toks, accused_toks, t.subtree)
        return out

    def _row_report_verb(self, t: Token, sent: Sentence) -> list[_Cand]:
        lex = self.lex
        verbal = is_verbal(t)
        out: list[_Cand] = []
        n = 0
        if verbal and lemma(t, lex.report_verbs):
            for c in t.children:
                if c.dep_ not in ("ccomp", "advcl") or (c.dep_ == "advcl" and not any(
                        m.dep_ == "mark" and m.lower_ == "that" for m in c.children)):
                    continue
                if not self._names_conduct(c):
                    continue
                accuser_toks = self._speaker(subject_tokens(t))
                if lemma(c, lex.accuse_verbs) and not is_passive(c):
                    # "prosecutors charged X with smuggling, the Justice Department said"
                    out += self._pair(sent, accuser_toks, objects(c, frozenset({"dobj", "dative"})), c.subtree)
                    continue
                for clause_verb in self._conduct_clauses(c):
                    if _negated(clause_verb) and lex.any_conduct.search(clause_verb.text):
                        continue  # "X said Y had not stolen anything" (but not "would not stop its spying")
                    if lemma(clause_verb, lex.countering_verbs):
                        # "X said the government will not tolerate attempts to interfere, after MI5 warned ...":
                        # it counters the conduct, and the clauses below say why, not whom X accuses
                        break
                    accused_toks = agent_tokens(clause_verb) if is_passive(clause_verb) else \
                        self._speaker([x for x in clause_verb.children if x.dep_ == "nsubj"]) + \
                        self._affiliated_subject(clause_verb)
                    # "X is behind the groups tracked as APT40 and APT31": the groups did it too
                    accused_toks += [o for o in preps(clause_verb, {"behind"})
                                     if o.pos_ != "NOUN" or self._named_by_clause(o)]
                    found = self._pair(sent, accuser_toks, accused_toks, clause_verb.subtree,
                                       resolve_accused_freely=True)
                    if found:
                        out += found
                        break
        if verbal and lemma(t, lex.report_verbs) and not out[n:]:
            out += self._warned_of(t, sent)
        return out

    def _row_warning_document(self, t: Token, sent: Sentence) -> list[_Cand]:
        return self._warning_document(t, sent) if is_verbal(t) else []

    def _row_expose_verb(self, t: Token, sent: Sentence) -> list[_Cand]:
        lex = self.lex
        verbal = is_verbal(t)
        out: list[_Cand] = []
        if verbal and lemma(t, lex.expose_verbs):
            objs = objects(t, frozenset({"dobj", "oprd", "dative"}))
            for d in objs:
                if lemma(d, lex.conduct_nouns):
                    agents = [x for x in d.children if x.dep_ in ("poss", "compound", "nmod")
                              and self.actors.mention_at(x.i) is not None]
                    agents += preps(d, {"by"})
                    if lemma(t, lex.attribution_verbs):
                        agents += preps(t, {"to"})  # "attributed the intrusions to APT41"
                    out += self._pair(sent, self._speaker(subject_tokens(t)), agents, t.subtree)
                elif self.actors.mention_at(d.i) is not None or any(
                        c.dep_ == "acl" and lemma(c, lex.affiliation_verbs) for c in d.children):
                    scope = "".join(x.text_with_ws for x in t.subtree)
                    if _RESPONSIBLE.search(scope) or lex.any_conduct.search(scope):
                        out += self._pair(sent, subject_tokens(t), [d], t.subtree)
        return out

    def _row_designation(self, t: Token, sent: Sentence) -> list[_Cand]:
        lex = self.lex
        verbal = is_verbal(t)
        out: list[_Cand] = []
        if verbal and lemma(t, lex.designation_verbs):
            scope = "".join(x.text_with_ws for x in t.subtree)
            kind = lex.allegation_kind(scope)
            if kind is AllegationKind.security_risk:
                if is_passive(t):
                    out += self._pair(sent, agent_tokens(t), passive_subject(t), t.subtree)
                else:
                    out += self._pair(sent, subject_tokens(t), objects(t, frozenset({"dobj", "dative"})), t.subtree)
        return out

    def _row_penalty_for(self, t: Token, sent: Sentence) -> list[_Cand]:
        lex = self.lex
        verbal = is_verbal(t)
        out: list[_Cand] = []
        if verbal and lemma(t, lex.penalty_verbs) and not hypothetical(t, lex):
            objs = objects(t, frozenset({"dobj", "dative"}))
            for reason in [*preps(t, {"for", "over"}), *(r for o in objs for r in preps(o, {"for", "over"}))]:
                reason_toks = list(reason.subtree)
                text = "".join(x.text_with_ws for x in reason_toks)
                if not (lex.any_conduct.search(text) or any(lemma(x, lex.conduct_nouns) for x in reason_toks)):
                    continue
                if is_passive(t):
                    out += self._pair(sent, agent_tokens(t), passive_subject(t), reason_toks)
                else:
                    # "fined TikTok €530 million": the parser may hang the fined party on the amount
                    penalised = [x for o in objs for x in ([o] if o.pos_ != "NUM" else self._speaker([o]))]
                    out += self._pair(sent, self._speaker(subject_tokens(t)), penalised, reason_toks)
                break
        return out

    def _row_accusation_noun(self, t: Token, sent: Sentence) -> list[_Cand]:
        lex = self.lex
        out: list[_Cand] = []
        if t.pos_ == "NOUN" and lemma(t, lex.accusation_nouns):
            out += self._noun(t, sent)
        return out

    def _row_concern(self, t: Token, sent: Sentence) -> list[_Cand]:
        lex = self.lex
        out: list[_Cand] = []
        if lemma(t, lex.concern_words) or lex.concern_words & {t.lower_}:
            out += self._concern(t, sent)
        return out

    def _concern(self, t: Token, sent: Sentence) -> list[_Cand]:
        """"X raised concerns over Y's data practices", "X remains concerned about Y's ties to the military",
        "X urged allies to avoid Y's equipment over concerns about espionage": the concerned party accuses the
        party the concern is about, when it is about security, spying, data or censorship."""
        h = t.head
        # (the parser often hangs "over Y's ..." on the verb: "raised concerns over Y's investments")
        holders = [t, h] if t.dep_ in ("dobj", "acomp") else [t]
        about = [o for x in holders for p in x.children if p.dep_ == "prep"
                 and p.lower_ in ("about", "over", "regarding", "of", "on") for o in p.children
                 if o.dep_ in ("pobj", "pcomp")]
        about += [c for c in t.children if c.dep_ in ("acl", "ccomp") and any(
            m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]  # "concerns that Y could ..."
        scope = [x for a in about for x in a.subtree]
        # the topic may be the concern's own modifier ("national security concerns")
        topic = sorted({x.i: x for x in [*t.subtree, *scope]}.values(), key=lambda x: x.i)
        topic_text = "".join(x.text_with_ws for x in topic)
        if not self.lex.concern_topics.search(topic_text):
            return []
        concerned: list[Token] = []
        verb = h
        # whom it is about: the head of the complement and its owner ("over Tencent's investments"), or the
        # subject of the complement clause ("concerns that DeepSeek could share data"), not every name in it
        accused: list[Token] = []
        for o in about:
            if is_verbal(o) and o.dep_ in ("acl", "ccomp", "pcomp"):
                accused += [x for x in o.children if x.dep_ in ("nsubj", "nsubjpass")]
            else:
                accused += [o, *(c for c in o.children if c.dep_ in ("poss", "compound"))]
        accused = [x for x in accused if self.actors.mention_at(x.i) is not None or x.dep_ == "poss"]
        if t.pos_ == "ADJ" and t.dep_ == "acomp":  # "X remains concerned about ..."
            concerned = subject_tokens(h)
        elif t.pos_ == "NOUN" and t.dep_ == "dobj" and lemma(h, self.lex.light_verbs | {"raise", "voice", "express",
                                                                                     "cite", "share", "have", "flag"}):
            concerned = subject_tokens(h)  # "X raised concerns over ..."
        elif t.pos_ == "NOUN" and t.dep_ == "pobj" and (h.lower_ in ("over", "amid", "citing") or (
                h.lower_ == "to" and h.head.lower_ == "due")):
            verb = h.head if h.lower_ != "to" else h.head.head  # "X banned Y over concerns ...", "due to concerns"
            if not is_verbal(verb) or _negated(verb):
                return []
            holder = verb
            while holder.dep_ == "xcomp" and holder.head.i != holder.i:
                holder = holder.head  # "X urged allies to avoid Y over concerns ...": X's concern
            if hypothetical(holder, self.lex) or _negated(holder):
                return []
            concerned = subject_tokens(holder)
            if not accused:  # the concern names no party: the one the act is done to
                accused = [x for c in verb.children if c.dep_ in ("dobj", "xcomp", "ccomp")
                           for x in c.subtree if self.actors.mention_at(x.i) is not None]
        if not concerned or not accused or (verb is h and hypothetical(verb, self.lex)):
            return []
        found = self._pair(sent, self._speaker(concerned), accused, topic)
        for c in found:  # a worry about security or data that names no conduct is about a security risk
            c.kind = self.lex.allegation_kind(topic_text) or AllegationKind.security_risk
        return found

    def _warned_of(self, t: Token, sent: Sentence, nouns: list[Token] | None = None,
                   speaker: list[Token] | None = None) -> list[_Cand]:
        """"X warned of Chinese cyber attacks", "X complained about Russian hacking campaigns": the
        reported conduct's agent (a nationality stands for its state) is accused by the speaker."""
        out: list[_Cand] = []
        if nouns is None:  # "warned of X", and "warned MPs of X" (the parser hangs "of" on the warned)
            nouns = preps(t, {"of", "about", "against"}) + [
                n for o in objects(t, frozenset({"dobj"})) for n in preps(o, {"of", "about"})]
        for noun in nouns:
            for conduct in self._threat_sources(noun):
                phrase = conduct.doc[conduct.left_edge.i:conduct.i + 1].text  # "Chinese cyber attacks"
                if not (lemma(conduct, self.lex.conduct_nouns) or self.lex.any_conduct.search(phrase)):
                    continue
                agents = self._agents_of_conduct(conduct, set(), 0, set())
                if not agents:
                    state = self.actors.nationality_state(x for x in conduct.lefts if x.dep_ in ("amod", "compound"))
                    agents = [state] if state is not None else []
                accusers = [k for k in self._keys(speaker if speaker is not None else self._speaker(subject_tokens(t)),
                                                  set(agents))
                            if self._type(k) in ACCUSER_TYPES]
                for accuser in accusers:
                    accused = [k for k in agents if k != accuser and self._type(k) in ACCUSED_TYPES]
                    if accused:
                        out.append(_Cand(sent, accuser, accused, "".join(x.text_with_ws for x in t.subtree)))
                if out:
                    return out
        return out

    def _threat_sources(self, noun: Token) -> list[Token]:
        """The conducts a warning names: the noun and its conjuncts, or, for a threat ("the risk from Chinese
        spies", "the threat posed by state hackers", "the danger of Russian interference"), what it comes from."""
        out: list[Token] = []
        for x in (noun, *noun.conjuncts):
            if x.lemma_.lower() not in self.lex.threat_nouns:
                out.append(x)
                continue
            sources = preps(x, {"from", "of", "by"})
            sources += [o for c in x.children if c.dep_ == "acl" and c.lemma_.lower() == "pose"
                        for o in preps(c, {"by"})]
            out += [y for o in sources for y in (o, *o.conjuncts)] or [x]
        return out

    def _warning_document(self, t: Token, sent: Sentence) -> list[_Cand]:
        """"X issued an advisory on Chinese hacking", "X sent out an alert about Y's attacks", "X published a
        report detailing tactics that Y used in attacks": a warning its issuer publishes accuses the agent of
        the conduct it is about (as "X warned of ...")."""
        if not lemma(t, self.lex.light_verbs) or hypothetical(t, self.lex):
            return []
        issuer = agent_tokens(t) if is_passive(t) else self._speaker(subject_tokens(t))
        docs = passive_subject(t) if is_passive(t) else objects(t, frozenset({"dobj"}))
        out: list[_Cand] = []
        for d in docs:
            if not lemma(d, self.lex.warning_documents):
                continue
            out += self._warned_of(t, sent, preps(d, {"of", "about", "on", "over", "against"}), issuer)
            if out:
                continue
            for c in d.subtree:  # "an advisory containing tactics that Chinese state-sponsored actors used"
                if c.dep_ not in ("relcl", "acl", "ccomp") or not is_verbal(c) or c.i == d.i or _negated(c):
                    continue
                agents = agent_tokens(c) if is_passive(c) else [x for x in c.children if x.dep_ == "nsubj"]
                if agents and (self._names_conduct(c) or any(lemma(x, self.lex.conduct_nouns) for x in c.subtree)):
                    out += self._pair(sent, issuer, self._speaker(agents), c.subtree, resolve_accused_freely=True)
        return out

    def _according_to(self, t: Token, sent: Sentence) -> list[_Cand]:
        """"Y diverted the chips to China, according to X", "according to X's complaint, Y stole ...":
        the source of "according to" accuses the subject of the clause it modifies when that clause names
        a conduct."""
        v = t.head
        if t.lower_ != "according" or not is_verbal(v) or _negated(v) or hypothetical(v, self.lex):
            return []
        sources = [o for p in t.children if p.dep_ == "prep" and p.lower_ == "to"
                   for o in p.children if o.dep_ == "pobj"]
        if not sources:
            return []
        accuser_toks = [o for o in sources if self.actors.mention_at(o.i) is not None]
        if not accuser_toks:  # "according to X's indictment", "according to a statement from X"
            for o in sources:
                accuser_toks += [c for c in o.children if c.dep_ in ("poss", "compound")
                                 and self.actors.mention_at(c.i) is not None]
                accuser_toks += preps(o, {"by", "from"})
        if not accuser_toks:
            return []
        clause = [x for x in v.subtree if not (t.left_edge.i <= x.i <= t.right_edge.i)]
        text = "".join(x.text_with_ws for x in clause)
        if not (self.lex.any_conduct.search(text) or (
                _RESPONSIBLE.search(text) and any(lemma(x, self.lex.conduct_nouns) for x in clause))):
            return []
        accused_toks = agent_tokens(v) if is_passive(v) else [x for x in v.children if x.dep_ == "nsubj"]
        return self._pair(sent, accuser_toks, accused_toks, clause, resolve_accused_freely=True)

    def _speaker(self, toks: list[Token]) -> list[Token]:
        """A subject that is no actor speaks for the actor that owns it: "a MOFCOM spokesperson",
        "the ministry's statement", "a spokesman for the embassy"."""
        if not toks or self.actors.mention_at(toks[0].i) is not None or self._keys(toks, set()):
            return toks
        # a name the tagger took for an adjective is a name all the same ("Mandiant researchers", tagged JJ)
        owners = [x for x in toks[0].children
                  if (x.dep_ in ("poss", "compound") or (x.dep_ == "amod" and x.text[:1].isupper()))
                  and self.actors.mention_at(x.i) is not None]
        owners = owners or [x for x in preps(toks[0], {"for", "of", "at", "by"})
                            if self.actors.mention_at(x.i) is not None]
        if not owners and self._issuing_body(toks[0]) is not None:
            return [toks[0]]  # args() resolves the document to its issuer
        return owners or toks

    def _issuing_body(self, tok: Token) -> str | None:
        """The state or body behind "the decision", "that inquiry", "the indictment": resolved like a
        definite description, to the nearest state or government body before it."""
        if not lemma(tok, self.lex.official_documents) or tok.pos_ != "NOUN":
            return None
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
            return None
        m = Mention(tok.i, tok.i + 1, None, ActorType.Country, tok.text, "anaphor", tok.i)
        return self.actors.resolve(m)

    def _conduct_clauses(self, c: Token) -> list[Token]:
        """The reported clause, then clauses inside it that name a conduct: "it had found evidence that
        X used its models to train a rival", "there was evidence that X distilled knowledge"."""
        out = [c]
        for x in c.subtree:
            if x is not c and x.dep_ in ("ccomp", "acl", "relcl", "advcl") and is_verbal(x) and \
                    any(s.dep_ in ("nsubj", "nsubjpass") for s in x.children) and self._names_conduct(x):
                out.append(x)
        return out

    def _names_conduct(self, c: Token) -> bool:
        """The clause names a conduct ("Y stole ...", "Y had deliberately provoked panic") or makes its
        subject responsible for a conduct noun ("Y is behind these attacks", "Y was responsible for the
        campaign")."""
        clause = "".join(x.text_with_ws for x in c.subtree)
        if self.lex.any_conduct.search(clause):
            return True
        return bool(_RESPONSIBLE.search(clause)) and any(lemma(x, self.lex.conduct_nouns) for x in c.subtree)

    def _noun(self, t: Token, sent: Sentence) -> list[_Cand]:
        lex = self.lex
        accuser_toks: list[Token] = [c for c in t.children if c.dep_ in ("poss", "compound")
                                     and self.actors.mention_at(c.i) is not None]
        accuser_toks += preps(t, {"by", "from"})
        # "the attribution made by NATO", "allegations levelled by prosecutors"
        accuser_toks += [a for c in t.children if c.dep_ == "acl" and c.tag_ == "VBN" for a in agent_tokens(c)]
        head = t.head
        accused_toks: list[Token] = preps(t, {"against", "at"})
        if t.dep_ == "dobj" and lemma(head, lex.denial_verbs) and not is_passive(head):
            accuser_toks = accuser_toks or preps(head, {"by", "from"})  # (the parser may hang "by X" on the verb)
        if t.dep_ == "dobj" and lemma(head, lex.denial_verbs) and accuser_toks:
            # "China dismissed the hack attribution made by NATO": who answers the accusation is its accused
            accused_toks += subject_tokens(head)
        if t.dep_ in ("dobj", "attr") and lemma(head, lex.light_verbs):
            if not accuser_toks:
                accuser_toks = subject_tokens(head)
            accused_toks += preps(head, {"against", "at"})
        for c in t.children:
            if c.dep_ in ("acl", "ccomp", "relcl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
                clause = "".join(x.text_with_ws for x in c.subtree)
                if lex.any_conduct.search(clause):
                    accused_toks += [x for x in c.children if x.dep_ == "nsubj"] or (
                        agent_tokens(c) if is_passive(c) else [])
        for p in preps(t, {"of"}):
            if lemma(p, lex.conduct_nouns) or lex.any_conduct.search(p.text):
                accused_toks += preps(p, {"by"})
                accused_toks += [x for x in p.children if x.dep_ in ("poss", "compound")
                                 and self.actors.mention_at(x.i) is not None]
        if t.dep_ in ("nsubj",) and lemma(head, lex.report_verbs):
            for c in head.children:
                if c.dep_ == "ccomp":
                    clause = "".join(x.text_with_ws for x in c.subtree)
                    if lex.any_conduct.search(clause):
                        accused_toks += [x for x in c.children if x.dep_ == "nsubj"]
        if not accuser_toks or not accused_toks:
            return []
        scope_toks = list(head.subtree) if head.i != t.i else list(t.subtree)
        return self._pair(sent, accuser_toks, accused_toks, scope_toks, resolve_accused_freely=False)

    def _pair(self, sent: Sentence, accuser_toks: list[Token], accused_toks: list[Token], scope_toks,
              resolve_accused_freely: bool = False) -> list[_Cand]:
        if not accuser_toks or not accused_toks:
            return []
        scope = "".join(x.text_with_ws for x in scope_toks)
        # resolve the named side first, then the anaphoric side with the other excluded
        accused_named = [t for t in accused_toks if not self._anaphoric(t)]
        accuser_keys = self._keys(accuser_toks, set(self._keys(accused_named, set())))
        if resolve_accused_freely:
            accused_keys = self._keys(accused_toks, set())
        else:
            accused_keys = self._keys(accused_toks, set(accuser_keys))
        accuser_keys = [k for k in accuser_keys if self._type(k) in ACCUSER_TYPES]
        if not accuser_keys:
            return []
        out: list[_Cand] = []
        for accuser in accuser_keys:  # coordinated accusers ("the US, the EU and NATO accused ...") each accuse
            accused = [k for k in accused_keys if k not in accuser_keys and self._type(k) in ACCUSED_TYPES
                       and not self._same_entity(k, accuser)]
            if accused:
                out.append(_Cand(sent, accuser, accused, scope))
        return out

    def _anaphoric(self, t: Token) -> bool:
        m = self.actors.mention_at(t.i)
        return m is not None and m.is_anaphor

    def _type(self, key: str) -> ActorType | None:
        a = self.actors.actors.get(key)
        return a.type if a is not None else None

    def _same_entity(self, a: str, b: str) -> bool:
        ea = self.actors.actors.get(a)
        eb = self.actors.actors.get(b)
        return ea is not None and eb is not None and ea.entity is not None and ea.entity is eb.entity

    # ------------------------------------------------------------------ fallbacks
    def _surface(self, sent: Sentence) -> list[_Cand]:
        """Token-order patterns for sentences the parser got wrong (or no parser at all):
        "<actor> <accuse-verb> <actor>", "<actor> deeming <it|actor> a security risk"."""
        doc = self.ctx.doc
        out: list[_Cand] = []
        if not any(lemma_of(self.actors.lemmas[i], self.actors.lowers[i], self.lex.surface_triggers)
                   for i in range(sent.start, sent.end)):
            return out
        toks = list(doc[sent.start:sent.end])
        for k, t in enumerate(toks):
            is_acc = lemma(t, self.lex.accuse_verbs) is not None
            is_des = lemma(t, self.lex.designation_verbs) is not None
            is_rep = (not self.ctx.parsed) and lemma(t, self.lex.report_verbs) is not None
            if not (is_acc or is_des or is_rep):
                continue
            after = "".join(x.text_with_ws for x in toks[k:k + 14])
            if is_des and self.lex.allegation_kind(after) is not AllegationKind.security_risk:
                continue
            if is_rep and not self.lex.any_conduct.search(after):
                continue
            if self.ctx.parsed and is_acc and t.pos_ in ("VERB", "AUX"):
                continue  # the dependency pattern handled it
            if is_acc and t.pos_ == "NOUN" and k > 0 and toks[k - 1].pos_ == "DET":
                continue  # "a charge the company denies": the noun, which the accusation-noun row reads
            left = [self.actors.mention_at(x.i) for x in reversed(toks[max(0, k - 6):k])]
            right = [self.actors.mention_at(x.i) for x in toks[k + 1:k + 5]]
            lm = next((m for m in left if m is not None), None)
            rm = next((m for m in right if m is not None), None)
            if lm is None or rm is None:
                continue
            accuser = lm.actor if not lm.is_anaphor else self.actors.resolve(lm)
            if accuser is None:
                continue
            accused = rm.actor if not rm.is_anaphor else self.actors.resolve(rm, {accuser})
            if accused is None or accused == accuser:
                continue
            if self._type(accuser) in ACCUSER_TYPES and self._type(accused) in ACCUSED_TYPES:
                out.append(_Cand(sent, accuser, [accused], after,
                                 AllegationKind.security_risk if is_des else None,
                                 pattern="allegation/surface"))
        return out

    # ------------------------------------------------------------------ reported conduct
    def _source_of(self, sent: Sentence, found: list[_Cand]) -> str | None:
        """Who speaks in this sentence for what follows: the accuser it names, else the company or body that
        reports, identifies or documents something in it ("Google's report also documents cases where ...")."""
        for c in found:
            if self._type(c.accuser) in _SOURCE_TYPES:
                return c.accuser
        doc = self.ctx.doc
        for i in range(sent.start, sent.end):
            t = doc[i]
            if not (is_verbal(t) and (lemma(t, self.lex.report_verbs) or lemma(t, self.lex.expose_verbs))):
                continue
            subj = subject_tokens(t)
            if subj and lemma(subj[0], self.lex.warning_documents):  # "Google's report documents ..."
                subj = [c for c in subj[0].children if c.dep_ in ("poss", "compound")] or subj
            keys = [k for k in self._keys(self._speaker(subj), set()) if self._type(k) in _SOURCE_TYPES]
            if keys:
                return keys[0]
        return None

    def _names_group(self, sent: Sentence) -> bool:
        """The sentence names a hacking group by name (not an unnamed collective)."""
        for m in self.ctx.mentions(sent):
            a = self.actors.actors.get(m.actor or "")
            if a is not None and a.type is ActorType.Group and not a.generic:
                return True
        return False

    def _reported_conduct(self, sent: Sentence, source: str) -> list[_Cand]:
        """A named hacking group's conduct told without its own source ("Iranian group APT42 abused Gemini
        for phishing", in a story on a company's threat report): the source the story follows accuses it."""
        if not self.lex.any_conduct.search(sent.text):
            return []
        doc = self.ctx.doc
        accused: list[str] = []
        for i in range(sent.start, sent.end):
            t = doc[i]
            if not is_verbal(t) or _negated(t) or hypothetical(t, self.lex) or is_passive(t):
                continue
            for k in self._keys([x for x in t.children if x.dep_ == "nsubj"], {source}):
                m = self.actors.actors.get(k)
                if m is not None and m.type is ActorType.Group and not m.generic and k not in accused:
                    accused.append(k)
        if not accused:
            return []
        return [_Cand(sent, source, accused, sent.text, pattern="allegation/reported-conduct")]

    # ------------------------------------------------------------------ main
    def candidates(self) -> list[_Cand]:
        doc = self.ctx.doc
        cands: list[_Cand] = []
        found_in: dict[int, list[_Cand]] = {}  # sentence index -> what it stated (for the story's source)
        matched = self._triggers.by_token(doc) if self.ctx.parsed else {}
        for sent in self.ctx.sentences:
            if sent.is_title:
                continue
            found: list[_Cand] = []
            if self.ctx.parsed:
                for i in range(sent.start, sent.end):
                    ids = matched.get(i)
                    if not ids:
                        continue
                    if ids == [ACCORDING_TO]:  # ("according" starts no other pattern)
                        n = len(found)
                        found += self._according_to(doc[i], sent)
                        _tagged(found, n, "according-to")
                    else:
                        found += self._from_token(doc[i], sent, [x for x in ids if x != ACCORDING_TO])
            found += [c for c in self._surface(sent)
                      if not any(f.accuser == c.accuser and set(c.accused) <= set(f.accused) for f in found)]
            if self.ctx.parsed and not found and self._names_group(sent):
                # the story's current source: who spoke last within reach (looked up only when a named group
                # acts in a sentence that has none of its own, which is rare: most articles never pay for it)
                source = next((s for k in range(sent.index - 1, max(-1, sent.index - 1 - _SOURCE_REACH), -1)
                               if not self.ctx.sentences[k].is_title
                               and (s := self._source_of(self.ctx.sentences[k], found_in.get(k, []))) is not None),
                              None)
                if source is not None:
                    found = self._reported_conduct(sent, source)
            found_in[sent.index] = found
            merged: dict[str, _Cand] = {}
            for c in found:
                if c.accuser in merged:
                    m = merged[c.accuser]
                    m.accused += [k for k in c.accused if k not in m.accused]
                    if m.kind is None:
                        m.kind = c.kind
                else:
                    merged[c.accuser] = c
            cands += merged.values()
        return cands

    def _kind(self, c: _Cand) -> AllegationKind:
        if c.kind is not None:
            return c.kind
        for text in (c.scope, c.sent.text):
            k = self.lex.allegation_kind(text)
            if k is not None:
                return k
        nxt = self.ctx.sentences[c.sent.index + 1] if c.sent.index + 1 < len(self.ctx.sentences) else None
        if nxt is not None and nxt.line == c.sent.line:
            k = self.lex.allegation_kind(nxt.text)
            if k is not None:
                return k
        return AllegationKind.other

    @staticmethod
    def _kind_from_pair(cands: list[_Cand]) -> None:
        """A sentence that names no conduct ("named X as responsible for the campaign") takes the kind
        the article gives most often for the same accuser and accused."""
        votes: dict[tuple[str, str], dict[AllegationKind, int]] = {}
        for c in cands:
            if c.kind not in (None, AllegationKind.other):
                for k in c.accused:
                    v = votes.setdefault((c.accuser, k), {})
                    v[c.kind] = v.get(c.kind, 0) + 1  # type: ignore[index]
        for c in cands:
            if c.kind is AllegationKind.other:
                tally: dict[AllegationKind, int] = {}
                for k in c.accused:
                    for kind, n in votes.get((c.accuser, k), {}).items():
                        tally[kind] = tally.get(kind, 0) + n
                if tally:
                    c.kind = max(tally, key=lambda x: tally[x])

    def _skip_spans(self, sent: Sentence) -> list[tuple[int, int]]:
        spans = [(d.start, d.end) for d in sent.dates]
        for m in self.ctx.mentions(sent):
            if m.type is ActorType.AIModel:
                doc = self.ctx.doc
                spans.append((doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)))
        return spans

    def extract(self, cited: dict[int, list[tuple[str, AttributionKind]]]) -> list[AllegationRecord]:
        ctx = self.ctx
        cands = self.candidates()
        for c in cands:
            c.kind = self._kind(c)
        self._kind_from_pair(cands)
        for c in cands:
            c.figures = find_figures(ctx.doc, c.sent.start_char, c.sent.end_char, self._skip_spans(c.sent), ctx.text)
            c.period = next((d.spec for d in c.sent.dates if d.spec is not None and d.spec.end is not None), None)
        self._details(cands)
        status = self._status(cands)
        records: list[AllegationRecord] = []
        for c in cands:
            self.actors.mark_role(c.accuser, *c.accused)
            date = next((d.spec for d in c.sent.dates if d.spec is not None and d.spec.end is None), None)
            if c.sent.heading_in_sentence and c.sent.heading_date is not None and c.sent.heading_date.end is None:
                date = c.sent.heading_date
            st, cues = AllegationStatus.alleged, []
            for k in c.accused:
                s2, cues2 = status.get(k, (AllegationStatus.alleged, []))
                if _STATUS_RANK[s2] > _STATUS_RANK[st]:
                    st, cues = s2, cues2
            sources = cited.get(c.sent.index, [])
            kind = min((k for _, k in sources), key=lambda k: _THIRD_PARTY_RANK.get(k, 9), default=None) \
                if sources else AttributionKind.statement
            hedges = [m.group(0) for m in self.lex.hedges.finditer(c.sent.text)]
            hedges += [t.text for t in ctx.doc[c.sent.start:c.sent.end]
                       if t.lower_ in ("alleged", "suspected", "purported") and t.dep_ == "amod"]
            hedges = list(dict.fromkeys(hedges))
            records.append(AllegationRecord(
                accuser=self.actors.actor_id(c.accuser),
                accused=[self.actors.actor_id(k) for k in c.accused],
                kind=c.kind or AllegationKind.other,
                date=date,
                period=c.period,
                figures=c.figures,
                status=st,
                status_cues=cues,
                evidence=ctx.evidence(c.sent, [s for s, _ in sources], kind, hedges, pattern=c.pattern),
            ))
        return records

    def _details(self, cands: list[_Cand]) -> None:
        """Figures and periods stated in a nearby sentence about the same conduct ("During this
        period the alleged perpetrators generated more than 28.8 million exchanges")."""
        if not cands:
            return
        ctx = self.ctx
        with_cand = {c.sent.index for c in cands}
        for sent in ctx.sentences:
            if sent.index in with_cand:
                continue
            text = sent.text
            has_range = any(d.spec is not None and d.spec.end is not None for d in sent.dates)
            if not (has_range or mentions_quantity(text)):
                continue
            about_conduct = self.lex.any_conduct.search(text) or self.lex.hedges.search(text) or \
                "alleged" in text.lower() or any(
                lemma(t, self.lex.conduct_nouns) for t in ctx.doc[sent.start:sent.end])
            if not about_conduct:
                continue
            named = {m.actor for m in ctx.mentions(sent) if m.actor and self._type(m.actor) in ACCUSED_TYPES}
            target: _Cand | None = None
            overlap = [c for c in cands if named & set(c.accused)]
            if overlap:
                before = [c for c in overlap if c.sent.index < sent.index]
                target = before[-1] if before else overlap[0]
            else:
                before = [c for c in cands if 0 < sent.index - c.sent.index <= 3]
                if before and not (named - {before[-1].accuser}):
                    target = before[-1]
            if target is None:
                continue
            figs = find_figures(ctx.doc, sent.start_char, sent.end_char, self._skip_spans(sent), ctx.text)
            target.figures += [f for f in figs if f.text not in {g.text for g in target.figures}]
            if target.period is None and has_range:
                target.period = next(d.spec for d in sent.dates if d.spec is not None and d.spec.end is not None)

    def _status(self, cands: list[_Cand]) -> dict[str, tuple[AllegationStatus, list[str]]]:
        """Accused key -> the strongest status its own statements give."""
        out: dict[str, tuple[AllegationStatus, list[str]]] = {}
        accused_all = {k for c in cands for k in c.accused}
        if not accused_all:
            return out
        ctx = self.ctx
        doc = ctx.doc
        for sent in ctx.sentences:
            for st, rx in self.lex.status:
                for m in rx.finditer(sent.text):
                    cue_char = sent.start_char + m.start()
                    cue_tok = next((t for t in doc[sent.start:sent.end] if t.idx >= cue_char), None)
                    if cue_tok is None:
                        continue
                    verb = cue_tok
                    if ctx.parsed:  # (dependency attributes of an unparsed doc must not be touched)
                        if not (is_verbal(cue_tok) or cue_tok.dep_ in (
                                "ROOT", "relcl", "advcl", "ccomp", "conj", "xcomp", "acl")):
                            verb = cue_tok.head
                        while verb.dep_ in ("aux", "neg", "advmod") and verb.head.i != verb.i:
                            verb = verb.head
                    keys: list[str] = []
                    if not ctx.parsed:
                        ms = [x for x in ctx.mentions(sent) if doc[x.start].idx < cue_char]
                        last = self.actors.resolve(ms[-1]) if ms else None
                        keys = [last] if last else []
                    else:
                        subj = subject_tokens(verb)
                        keys = self._keys(subj, set())
                        if not keys:  # "the firm's spokesperson declined to comment"
                            owners = [c for s_ in subj for c in s_.children if c.dep_ in ("poss", "compound")]
                            keys = self._keys(owners, set())
                    keys = [k for k in keys if k in accused_all]
                    if not keys:
                        continue
                    if ctx.parsed and (not self._answers_allegation(verb, st) or hypothetical(verb, self.lex)):
                        continue
                    for k in keys:
                        cur = out.get(k, (AllegationStatus.alleged, []))
                        if _STATUS_RANK[st] > _STATUS_RANK[cur[0]]:
                            out[k] = (st, [*cur[1], m.group(0)])
                        elif m.group(0) not in cur[1]:
                            out[k] = (cur[0], [*cur[1], m.group(0)])
        return out

    def _answers_allegation(self, verb: Token, status: AllegationStatus) -> bool:
        """The status verb's object is the allegation itself (not "this designation"). Denials and
        confirmations need that object or a that-clause; "did not respond" needs none."""
        if status is not AllegationStatus.no_comment and any(c.dep_ == "ccomp" for c in verb.children):
            return True
        objs = [c for c in verb.children if c.dep_ in ("dobj", "attr")]
        objs += preps(verb, {"to", "on", "about"})
        if verb.dep_ in ("relcl", "acl") and not objs:
            objs = [verb.head]  # "a designation it is challenging": the antecedent is what is answered
        if not objs:
            return status is AllegationStatus.no_comment
        for o in objs:
            lem = o.lemma_.lower()
            if lem in self.lex.status_objects or o.pos_ == "PRON":
                return True
            for p in preps(o, {"to", "for", "on", "about"}):
                if p.lemma_.lower() in self.lex.status_objects:
                    return True
        return False


def extract_allegations(ctx: DocContext, cited: dict[int, list[tuple[str, AttributionKind]]]) -> list[AllegationRecord]:
    return AllegationExtractor(ctx).extract(cited)
