"""Dependency helpers shared by the extractors: who is the subject of a verb (through control,
coordination, participles and relative clauses), passive agents, modality and negation."""

from __future__ import annotations

from spacy.tokens import Token

from ingest.lexicon import Lexicon, lemma_of

SUBJ = frozenset({"nsubj", "csubj"})
SUBJPASS = frozenset({"nsubjpass", "csubjpass"})
OBJ = frozenset({"dobj", "dative", "oprd", "attr"})
MODALS = frozenset({"could", "would", "may", "might", "should", "can", "must", "shall", "ought"})
CONDITIONAL_MARKS = frozenset({"if", "whether", "unless", "once", "lest"})
NEG = frozenset({"not", "n't", "never", "no"})


def lemma(t: Token, vocab: frozenset[str]) -> str | None:
    return lemma_of(t.lemma_.lower(), t.lower_, vocab)


def is_verbal(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB")


def is_passive(v: Token) -> bool:
    if any(c.dep_ in SUBJPASS or c.dep_ == "auxpass" for c in v.children):
        return True
    if v.dep_ == "acl" and v.tag_ == "VBN":
        # "a company designated by the Pentagon": passive unless it takes its own object
        return not any(c.dep_ in ("dobj", "oprd", "ccomp") for c in v.children)
    return False


def subject_tokens(v: Token, depth: int = 0) -> list[Token]:
    """The tokens standing as the (logical, active) subject of verb v, following control verbs,
    coordinated verbs, participial adjuncts and relative clauses to their antecedent."""
    if depth > 5:
        return []
    subj = [c for c in v.children if c.dep_ in SUBJ]
    if subj:
        s = subj[0]
        if s.lower_ in ("that", "which", "who") and v.dep_ == "relcl":
            return [v.head]
        return [s]
    if is_passive(v):
        return []
    dep = v.dep_
    if dep == "pcomp" and v.head.dep_ == "prep" and v.head.head.i != v.head.i:
        return subject_tokens(v.head.head, depth + 1)  # "retaliated by banning X"
    if dep in ("xcomp", "advcl", "conj", "pcomp") and v.head.i != v.i:
        return subject_tokens(v.head, depth + 1)
    if dep in ("acl", "relcl") and v.head.i != v.i:
        return [v.head]
    return []


def agent_tokens(v: Token) -> list[Token]:
    out = []
    for c in v.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            out += [p for p in c.children if p.dep_ == "pobj"]
    return out


def passive_subject(v: Token) -> list[Token]:
    subj = [c for c in v.children if c.dep_ in SUBJPASS]
    if subj:
        if subj[0].lower_ in ("which", "that", "who") and v.dep_ == "relcl":
            return [v.head]  # "Wingtech, which was added to the Entity List"
        return subj
    if v.dep_ == "acl" and is_passive(v):
        return [v.head]
    if v.dep_ == "conj" and not any(c.dep_ in SUBJ for c in v.children):
        return passive_subject(v.head) if is_passive(v.head) else []
    return []


def objects(v: Token, deps: frozenset[str] = OBJ) -> list[Token]:
    return [c for c in v.children if c.dep_ in deps]


def preps(t: Token, words: frozenset[str] | set[str]) -> list[Token]:
    """pobj tokens of prepositions `words` attached to t."""
    out = []
    for c in t.children:
        if c.dep_ in ("prep", "agent") and c.lower_ in words:
            out += [p for p in c.children if p.dep_ in ("pobj", "pcomp")]
    return out


def clause_chain(v: Token, limit: int = 6) -> list[Token]:
    """v and the verbs it depends on through xcomp/conj/advcl/acl/ccomp, nearest first."""
    chain = [v]
    t = v
    for _ in range(limit):
        if t.head.i == t.i or t.dep_ not in ("xcomp", "conj", "advcl", "acl", "ccomp", "pcomp", "relcl", "pobj",
                                             "prep"):
            break
        t = t.head
        chain.append(t)
    return chain


def hypothetical(v: Token, lex: Lexicon) -> bool:
    """A conditional, modal, wished-for or questioned act: "if the U.S. sanctions X", "could ban",
    "urged Congress to ban", "whether agencies open an inquiry", "calls for sanctions". Looks at the
    act's own clause and the control/nominal chain above it, not at unrelated outer clauses."""
    for j in range(v.i - 1, max(0, v.i - 25) - 1, -1):
        w = v.doc[j]
        if w.text in (",", ";", ":", "—", "–", ".", "!", "?") or w.is_space or "\n" in w.whitespace_:
            break
        if w.lower_ in CONDITIONAL_MARKS:
            return True  # the parser often hangs "if" on the main clause instead of the act's own
    t = v
    prev = ""
    for i in range(8):
        for c in t.children:
            if c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS:
                return True
            if c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS:
                return True
        if i > 0 and prev in ("xcomp", "acl", "pcomp", "ccomp") and is_verbal(t) and lemma(t, lex.irrealis_verbs):
            return True
        if i > 0 and prev in ("acl", "pobj", "prep", "pcomp") and t.pos_ == "NOUN" and lemma(t, lex.irrealis_nouns):
            return True
        if i > 0 and prev in ("pobj", "prep", "pcomp") and is_verbal(t) and lemma(t, lex.irrealis_verbs):
            return True  # "pushed for sanctions"
        has_subject = any(c.dep_ in SUBJ or c.dep_ in SUBJPASS for c in t.children)
        if (i > 0 and has_subject) or t.dep_ in ("advcl", "ccomp", "relcl", "ROOT") or t.head.i == t.i:
            break
        prev = t.dep_
        t = t.head
    return False


def negated(v: Token, lex: Lexicon) -> bool:
    """Negation of the act itself or by its governing verb: "did not impose", "decided not to place",
    "declined to sanction", "held off on blacklisting"."""
    for i, t in enumerate(clause_chain(v, 3)):
        if any(c.dep_ == "neg" or (c.lower_ in NEG and c.dep_ in ("neg", "advmod", "det")) for c in t.children):
            return True
        if i > 0 and lemma(t, lex.negators):
            return True
        if i > 0 and t.i < v.i:
            window = t.doc[t.i: v.i].text
            if lex.negator_phrases.search(window):
                return True
    return False
