"""Candidates and their features.

A candidate unit is one sentence with the actors it names (or refers to by a resolved anaphor, or by a
nationality adjective), with features for three decisions: the sentence, each actor as head, and every
ordered pair of distinct actors as (head, tail). Features are strings (value 1): the actors' types and mention kinds,
their syntactic roles, the dependency path between them and the lemma it passes through, the cue
lexicons' words in the sentence, the words between the two mentions, and whether a rule extractor
proposed the pair. They describe the sentence's structure and vocabulary, never a document id.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ingest.context import DocContext, Sentence
from ingest.mentions import Mention
from ontology.models import ActionRecord, AllegationRecord

MAX_ACTORS_PER_SENTENCE = 14
_PATH_MAX = 7
_SUBJ = frozenset({"nsubj", "nsubjpass", "csubj", "agent", "expl"})
_OBJ = frozenset({"dobj", "pobj", "dative", "attr", "oprd", "nsubjpass"})
_CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ", "ADV", "ADP", "PART", "AUX"})


@dataclass
class ActorSlot:
    key: str
    mention: Mention  # the first mention of this actor in the sentence (the head token decides roles)
    resolved: bool  # reached through an anaphor


def _slots(ctx: DocContext, sent: Sentence) -> list[ActorSlot]:
    """The actors of a sentence: its mentions (anaphors resolved), then the countries its nationality
    adjectives stand for ("Chinese hackers")."""
    out: dict[str, ActorSlot] = {}
    for m in ctx.mentions(sent):
        key = ctx.actors.resolve(m) if m.is_anaphor else m.actor
        if key is None or key in out or key not in ctx.actors.actors:
            continue
        out[key] = ActorSlot(key, m, m.is_anaphor)
    if ctx.parsed:
        for i in range(sent.start, sent.end):
            key = ctx.actors.demonym_actor(ctx.doc[i])
            if key is not None and key not in out:
                m = Mention(i, i + 1, key, ctx.actors.actors[key].type, ctx.doc[i].text, "demonym", i)
                out[key] = ActorSlot(key, m, False)
    return list(out.values())[:MAX_ACTORS_PER_SENTENCE]


def _role_token(t: Token) -> Token:
    """Climb from a name's head through compounds, possessives, appositions and conjunctions to the
    token whose dependency says what the name does in the clause."""
    for _ in range(5):
        if t.dep_ in ("compound", "appos", "conj", "amod", "nmod", "flat") and t.head.i != t.i:
            t = t.head
        else:
            break
    return t


def _governor(t: Token) -> Token:
    """The verb or noun a name depends on (through a preposition when it is its object)."""
    r = _role_token(t)
    h = r.head
    if r.dep_ == "pobj" and h.head.i != h.i:
        h = h.head
    if r.dep_ == "poss":
        h = r.head
    return h


def _ancestors(t: Token) -> list[Token]:
    # spaCy makes a new Token object on every `.head`, so the root is found by index, not identity (with `is`
    # the root was repeated up to the cap and every path through it looked 40 steps long)
    out = [t]
    while out[-1].head.i != out[-1].i and len(out) < 40:
        out.append(out[-1].head)
    return out


def _path(a: Token, b: Token) -> tuple[str, Token | None, int]:
    up = _ancestors(a)
    down = _ancestors(b)
    down_i = {t.i: k for k, t in enumerate(down)}
    for k, t in enumerate(up):
        if t.i in down_i:
            j = down_i[t.i]
            steps = [f"{x.dep_}^" for x in up[:k]] + [f"v{x.dep_}" for x in reversed(down[:j])]
            if len(steps) > _PATH_MAX:
                steps = [*steps[:3], "…", *steps[-3:]]
            return " ".join(steps), t, k + j
    return "none", None, 99


class FeatureBuilder:
    """Features for every candidate of one document (the sentence-level part computed once)."""

    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.lex = ctx.lex
        self.doc: Doc = ctx.doc
        self.parsed = ctx.parsed
        self.alleg_vocab = ctx.lex.allegation_triggers | ctx.lex.conduct_nouns | ctx.lex.accusation_nouns
        self.action_vocab = ctx.lex.action_triggers | frozenset(w for p, _ in ctx.lex.action_nouns for w in p)

    def _lemma(self, t: Token) -> str:
        return self.ctx.actors.lemmas[t.i]

    def cue_class(self, lem: str) -> list[str]:
        """The cue lexicons a lemma belongs to (a word can be in several: "report" is a report verb
        and an expose verb)."""
        lex = self.lex
        out = [name for name, vocab in (
            ("accuse", lex.accuse_verbs), ("report", lex.report_verbs), ("expose", lex.expose_verbs),
            ("designate", lex.designation_verbs), ("accusation", lex.accusation_nouns),
            ("conduct", lex.conduct_nouns)) if lem in vocab]
        if lem in lex.action_verbs:
            out.append("act:" + lex.action_verbs[lem].value)
        out += [name for name, vocab in (
            ("carrier", lex.carrier_verbs), ("actnoun", lex.nominal_heads), ("neg", lex.negators),
            ("attrib", lex.attribution_cues), ("irrealis", lex.irrealis_verbs)) if lem in vocab]
        return out

    def sentence_vector(self, sent: Sentence) -> dict[str, float]:
        """The mean contextual vector (tok2vec, 96 dimensions) of the sentence's words: it lets the
        sentence model generalise beyond the cue words it has seen."""
        tensor = self.doc.tensor
        if not self.parsed or tensor is None or len(tensor) == 0:
            return {}
        idx = [i for i in range(sent.start, sent.end) if not self.doc[i].is_punct and not self.doc[i].is_space]
        if not idx:
            return {}
        mean = tensor[idx].mean(axis=0)
        return {f"v{k}": round(float(x), 4) for k, x in enumerate(mean)}

    def sentence_features(self, sent: Sentence) -> list[str]:
        out: list[str] = []
        lemmas = self.ctx.actors.lemmas
        for i in range(sent.start, sent.end):
            lem = lemmas[i]
            for c in self.cue_class(lem):
                out.append(f"s:cue={c}")
            if lem in self.alleg_vocab or lem in self.action_vocab:
                out.append(f"s:lem={lem}")
        for kind, rx in self.lex.allegation_kinds:
            if rx.search(sent.text):
                out.append(f"s:akind={kind.value}")
        if self.lex.hedges.search(sent.text):
            out.append("s:hedge")
        if sent.dates:
            out.append("s:dated")
        if '"' in sent.text or "“" in sent.text:
            out.append("s:quote")
        n = len(_slots_cache(self, sent))
        out.append(f"s:nactors={min(n, 5)}")
        return list(dict.fromkeys(out))

    def slot_features(self, prefix: str, slot: ActorSlot) -> list[str]:
        m = slot.mention
        a = self.ctx.actors.actors[slot.key]
        out = [f"{prefix}:type={a.type.value}", f"{prefix}:kind={m.kind}", f"{prefix}:src={a.source}"]
        if slot.resolved:
            out.append(f"{prefix}:anaphor")
        if not self.parsed:
            return out
        t = self.doc[m.head]
        r = _role_token(t)
        g = _governor(t)
        glem = self._lemma(g)
        out.append(f"{prefix}:dep={r.dep_}")
        out.append(f"{prefix}:gov={glem}")
        out.append(f"{prefix}:govdep={r.dep_}>{glem}")
        for c in self.cue_class(glem):
            out.append(f"{prefix}:govcue={c}")
            out.append(f"{prefix}:govcue={c}:{r.dep_}")
        if r.dep_ in _SUBJ:
            out.append(f"{prefix}:subj")
        if r.dep_ in _OBJ:
            out.append(f"{prefix}:obj")
        if r.dep_ == "pobj":
            out.append(f"{prefix}:prep={self._lemma(r.head)}")
            out.append(f"{prefix}:prep={self._lemma(r.head)}>{glem}")
        return out

    def pair_features(self, sent: Sentence, h: ActorSlot, t: ActorSlot) -> list[str]:
        out: list[str] = []
        ha = self.ctx.actors.actors[h.key]
        ta = self.ctx.actors.actors[t.key]
        out.append(f"p:types={ha.type.value}>{ta.type.value}")
        out.append("p:order=" + ("ht" if h.mention.start < t.mention.start else "th"))
        lo, hi = sorted((h.mention, t.mention), key=lambda m: m.start)
        gap = hi.start - lo.end
        out.append(f"p:gap={min(gap // 4, 5)}")
        if gap <= 12:
            for i in range(lo.end, hi.start):
                lem = self.ctx.actors.lemmas[i]
                if self.doc[i].pos_ in _CONTENT_POS or not self.parsed:
                    out.append(f"p:btw={lem}")
                    for c in self.cue_class(lem):
                        out.append(f"p:btwcue={c}")
        if not self.parsed:
            return out
        path, lca, n = _path(self.doc[h.mention.head], self.doc[t.mention.head])
        out.append(f"p:path={path}")
        out.append(f"p:plen={min(n, 8)}")
        if lca is not None:
            llem = self._lemma(lca)
            out.append(f"p:lca={llem}")
            for c in self.cue_class(llem):
                out.append(f"p:lcacue={c}")
                out.append(f"p:lcacue={c}:{h.mention.start < t.mention.start}")
            out.append(f"p:lcapos={lca.pos_}")
        hr = _role_token(self.doc[h.mention.head]).dep_
        tr = _role_token(self.doc[t.mention.head]).dep_
        out.append(f"p:deps={hr}>{tr}")
        if _governor(self.doc[h.mention.head]).i == _governor(self.doc[t.mention.head]).i:
            out.append("p:samegov")
        return out


def _slots_cache(fb: FeatureBuilder, sent: Sentence) -> list[ActorSlot]:
    cache: dict[int, list[ActorSlot]] = fb.__dict__.setdefault("_slot_cache", {})
    if sent.index not in cache:
        cache[sent.index] = _slots(fb.ctx, sent)
    return cache[sent.index]


def _rule_pairs(records: list[AllegationRecord] | list[ActionRecord]) -> set[tuple[int, str, str | None]]:
    """(sentence start char, head id, tail id) for every pair a rule extractor proposed."""
    out: set[tuple[int, str, str | None]] = set()
    for r in records:
        if isinstance(r, AllegationRecord):
            head, tails = r.accuser, list(r.accused)
        else:
            head, tails = r.issuer, list(r.targets)
        out.add((r.evidence.start, head, None))
        for t in tails:
            out.add((r.evidence.start, head, t))
    return out


@dataclass
class SentenceUnit:
    """One sentence with the actors it names and the features of the three decisions: does it carry
    an allegation / an action (sentence), which actor makes it (head), which actors it is about (tail)."""

    sent: Sentence
    slots: list[ActorSlot]
    sentence: dict[str, float]
    head: dict[str, list[str]]
    pair: dict[tuple[str, str], list[str]]


def build_units(ctx: DocContext, rule_allegations: list[AllegationRecord], rule_actions: list[ActionRecord],
                fb: FeatureBuilder | None = None) -> list[SentenceUnit]:
    """The units of a document; pass the FeatureBuilder that later features of the same document use,
    so each sentence's actors are resolved once."""
    fb = fb or FeatureBuilder(ctx)
    rules = {"alleg": _rule_pairs(rule_allegations), "act": _rule_pairs(rule_actions)}
    actor_id = ctx.actors.actor_id
    out: list[SentenceUnit] = []
    for sent in ctx.sentences:
        if sent.is_title:
            continue
        slots = _slots_cache(fb, sent)
        if not slots:
            continue
        sc = sent.start_char
        ids = {s.key: actor_id(s.key) for s in slots}
        sfeat = ["bias", *fb.sentence_features(sent)]
        lemmas = ctx.actors.lemmas
        for i in range(sent.start, sent.end):
            if ctx.doc[i].pos_ in ("VERB", "NOUN") or not ctx.parsed:
                sfeat.append(f"s:bow={lemmas[i]}")
        for name, pairs in rules.items():
            if any(k[0] == sc for k in pairs):
                sfeat.append(f"r:{name}_sent")
        head: dict[str, list[str]] = {}
        for k, slot in enumerate(slots):
            f = ["bias", *fb.slot_features("h", slot), f"h:pos={min(k, 3)}"]
            for name, pairs in rules.items():
                if any(p[0] == sc and p[1] == ids[slot.key] for p in pairs):
                    f.append(f"r:{name}_head")
                if any(p[0] == sc and p[2] == ids[slot.key] for p in pairs):
                    f.append(f"r:{name}_tail")
            # conjunctions a linear model cannot form itself: what the actor does x what the sentence is about
            gov = [x.split("=", 1)[1] for x in f if x.startswith(("h:govcue=", "h:dep="))]
            topics = [x for x in sfeat if x.startswith(("s:akind=", "s:cue="))]
            f += [f"x:{g}&{t}" for g in gov for t in topics]
            head[slot.key] = list(dict.fromkeys(f))
        pair: dict[tuple[str, str], list[str]] = {}
        for h in slots:
            for t in slots:
                if h.key == t.key or ids[h.key] == ids[t.key]:
                    continue
                f = ["bias", *fb.slot_features("t", t), *fb.pair_features(sent, h, t)]
                for name, pairs in rules.items():
                    if (sc, ids[h.key], ids[t.key]) in pairs:
                        f.append(f"r:{name}")
                    if (sc, ids[t.key], ids[h.key]) in pairs:
                        f.append(f"r:{name}_rev")
                pair[(h.key, t.key)] = list(dict.fromkeys(f))
        out.append(SentenceUnit(sent, slots, {**dict.fromkeys(sfeat, 1.0), **fb.sentence_vector(sent)}, head, pair))
    return out
