"""Government actions: issuer (a government body, a country or an official), targets, kind, date,
negation.

Triggers (data/cues.yaml `action`):
* action verbs with a kind of their own: "sanctioned X", "restricts Y's access", "banned", "investigate";
* carrier verbs whose object noun gives the kind: "imposed restrictions on X", "launched an investigation
  into", "added X to its list", "placed X on a trade blacklist", "issued an export-control order";
* nominal actions with a possessive/compound issuer: "the Commerce Department's imposition of restrictions
  on X", "Biden administration efforts to restrict X".
"export" in the object turns restriction/ban/policy into export_control. Conditional, modal and
wished-for acts ("if the U.S. sanctions", "could ban", "urged Congress to ban") are not actions.
Negated acts ("decided not to place X on a blacklist", "declined to sanction") are kept with
negated=True and kind `other` (ActionRecord has no field for the kind of the act that did not happen).
Targets are the actors in the act's object and complements; an unnamed nationality group
("Chinese entities") as a target stands for its country. An action without a target is kept only as a
verb with a named issuer ("Oregon brought in a law").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Token

from ingest.context import DocContext, Sentence
from ingest.lexicon import Lexicon
from ingest.mentions import DocActors
from ingest.syntax import (
    agent_tokens,
    hypothetical,
    is_passive,
    is_verbal,
    lemma,
    negated,
    passive_subject,
    preps,
    subject_tokens,
)
from ingest.triggers import triggers
from ontology.models import ActionKind, ActionRecord, ActorType, TimeSpec

_ISSUER_TYPES = frozenset({ActorType.GovernmentBody, ActorType.Country})
TARGET_TYPES = frozenset({ActorType.Organization, ActorType.GovernmentBody, ActorType.Country, ActorType.Person,
                           ActorType.AIModel, ActorType.Group})
_TARGET_DEPS = frozenset({"dobj", "dative", "oprd", "attr", "nsubjpass", "xcomp", "ccomp", "acl", "pobj", "prep",
                          "conj", "appos", "compound", "poss", "nmod", "amod", "pcomp", "npadvmod", "nummod", "det",
                          "punct", "cc", "advmod", "quantmod", "case", "predet", "nsubj", "aux", "neg", "prt",
                          "relcl"})
_CLAUSE_BREAKS = frozenset({"while", "whereas", "because", "although", "though", "despite", "but", "after", "before",
                            "following", "amid", "which", "who", "whom", "whose", "as", "since", "until", "unless",
                            "if", "when"})
NOMINAL_PATTERN = "action/nominal"
LOOSENING_PATTERN = "action/loosening"
_TARGET_PREPS = frozenset({"on", "to", "against", "for", "into", "from", "of", "over", "about", "targeting", "like",
                           "including", "such", "with", "at", "by"})


def qualifies_instrument(t: Token, lex: Lexicon, actors: DocActors) -> bool:
    """A country named as the modifier of the measure ("U.S. export controls", "Chinese sanctions") or of
    a description of a named party ("US firm Nvidia"): the issuer's or the party's nationality, no target."""
    if t.dep_ not in ("compound", "amod", "nmod"):
        return False
    head = t.head
    lem = head.lemma_.lower()
    if lem in lex.action_noun_heads or lem in lex.nominal_heads:
        return True
    return lem in lex.descriptors and (
        (actors.mention_at(head.head.i) is not None and head.dep_ in ("compound", "appos", "nmod"))
        or any(c.dep_ in ("appos", "compound") and actors.mention_at(c.i) is not None for c in head.children))


_CO_ACTOR_HEADS = frozenset({"conjunction", "cooperation", "coordination", "partnership", "together", "alongside",
                             "jointly", "collaboration", "concert", "tandem"})


def no_party(t: Token, lex: Lexicon, actors: DocActors) -> bool:
    """An actor named in an act's sentence that is no party to it, whatever its type: the issuer of the
    instrument the act applies ("a rule to implement President Biden's executive order"), an actor that acts
    with the issuer ("its own probe, in conjunction with Ofcom"), the owner of a named party ("Musk's AI
    tool, Grok"), or the source that tells of it ("..., said researcher Marina Zhang from UTS")."""
    head = t.head
    if t.dep_ == "poss" and (head.lemma_.lower() in lex.action_noun_heads or head.lemma_.lower() in lex.nominal_heads):
        return True
    if any(c.dep_ == "poss" and c.tag_ == "PRP$" for c in t.children):
        return True  # "a fine to Apple over its App Store": what a party owns is no party
    m = actors.mention_at(t.i)
    a = actors.actors.get(m.actor) if m is not None and m.actor else None
    if a is not None and a.source == "ner" and a.ner_label == "GPE" and t.dep_ == "pobj" and \
            head.lower_ in ("in", "across", "within", "throughout", "at", "around"):
        return True  # "users in the wider European Economic Area": a place the gazetteer does not know
    if t.dep_ == "poss" and actors.mention_at(head.i) is None and any(
            c.dep_ == "appos" and actors.mention_at(c.i) is not None for c in head.children):
        return True
    if t.dep_ == "pobj" and head.lower_ in ("with", "alongside") and (
            head.lower_ == "alongside" or head.head.lower_ in _CO_ACTOR_HEADS):
        return True
    x = t
    for _ in range(6):
        if x.dep_ in ("nsubj", "nsubjpass") and x.head.lemma_.lower() in lex.report_verbs:
            return True  # inside the speaker's phrase
        if x.head.i == x.i or x.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "ROOT"):
            break
        x = x.head
    return False


def _pending(v: Token) -> bool:
    """An act not taken yet: "has not yet announced sanctions", "has yet to decide"."""
    if any(c.lower_ == "yet" for c in v.children):
        return True
    return v.i >= 2 and v.doc[v.i - 1].lower_ == "to" and v.doc[v.i - 2].lower_ == "yet"


def _list_members(t: Token) -> list[Token]:
    """The other members of a list t heads: its conjuncts, and those of a list the parser read as an apposition
    ("The NSA, CISA, and FBI issued ...", with CISA an apposition of NSA and FBI a conjunct of CISA)."""
    out = list(t.conjuncts)
    for a in t.children:
        if a.dep_ == "appos" and any(c.dep_ == "conj" for c in a.children):
            out += [a, *a.conjuncts]
    return out


def home_country(actors: DocActors, issuer: str) -> str | None:
    """The state a body or official belongs to (the gazetteer's, or the one its name gave): never a target of
    its own acts ("the FCC's decision restricts DJI's business in the US" is about a place)."""
    a = actors.actors.get(issuer)
    if a is None or a.type is ActorType.Country:
        return None
    if a.entity is not None and a.entity.country:
        return actors.gaz.country_id(a.entity.country)
    return next((m.country for m in actors.mentions if m.actor == issuer and m.country), None)


@dataclass
class ActionCandidate:
    sent: Sentence
    issuer: str
    targets: list[str]
    kind: ActionKind
    negated: bool
    negated_kind: ActionKind | None
    trigger: int
    co_issuers: list[str] = field(default_factory=list)  # "Taiwan and Australia have banned it"
    loosening: bool = False  # it eases a measure: "exempted X", "granted Y a waiver"
    pattern: str = ""  # the id of the row of ingest/patterns/actions.jsonl that matched the trigger


class ActionExtractor:
    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.lex = ctx.lex
        self.actors = ctx.actors

    def _key(self, tok: Token, exclude: set[str] | None = None) -> str | None:
        m = self.actors.mention_at(tok.i)
        if m is None:
            return None
        return self.actors.resolve(m, exclude or set()) if m.is_anaphor else m.actor

    def _type(self, key: str | None) -> ActorType | None:
        a = self.actors.actors.get(key) if key else None
        return a.type if a is not None else None

    def _is_official(self, key: str, tok: Token) -> bool:
        """A person with an official title here or at any other mention ("Security minister Dan Jarvis ...
        Jarvis announced ..."), or one the gazetteer lists with a public office ("President Trump")."""
        m = self.actors.mention_at(tok.i)
        if m is None:
            return False
        titles = {t.rstrip(".") for t in self.lex.official_titles}
        a = self.actors.actors.get(key)
        if a is not None and a.entity is not None and self._holds_office(a.entity.aliases, titles):
            return True
        doc = tok.doc
        for n in [m, *(x for x in self.actors.mentions_of(key) if x is not m and not x.is_anaphor)]:
            if any(doc[i].lower_.rstrip(".") in titles for i in range(n.start, min(n.end, n.start + 3))):
                return True
            if n.start > 0 and doc[n.start - 1].lower_.rstrip(".") in titles:
                return True
        return False

    def _holds_office(self, aliases: tuple[str, ...], titles: set[str]) -> bool:
        """A gazetteer person's alias gives a public office: a title word, not after a company's name
        ("Commerce Secretary Howard Lutnick", "FBI Director Kash Patel"; not "Microsoft President Brad Smith")."""
        gaz = self.actors.gaz
        for alias in aliases:
            words = alias.split()
            for i, w in enumerate(words):
                if w.lower().rstrip(".") in titles:
                    before = gaz.lookup(" ".join(words[:i])) if i else None
                    if before is None or before.type in _ISSUER_TYPES:
                        return True
                    break
        return False

    def _issuer(self, toks: list[Token]) -> str | None:
        for t in toks:
            cands = [t] + [c for c in t.children if c.dep_ in ("poss", "compound")]
            for c in cands:
                m = self.actors.mention_at(c.i)
                if m is None:
                    continue
                key = self._key(c)
                if key is None:
                    continue
                typ = self._type(key)
                if typ in _ISSUER_TYPES or (typ is ActorType.Person and self._is_official(key, c)):
                    return key
                if c is t:
                    return None  # the subject is an actor, but not a government one
        return None

    def _passive_issuer(self, v: Token) -> str | None:
        """A passive act with no agent: the government that says it happened ("X and Y were arrested on
        Thursday, the attorney's office said"; "the office said X had been summoned") or the country it
        happened in ("was arrested in France", "TikTok was banned in India")."""
        lex = self.lex
        if v.dep_ in ("ccomp", "parataxis") and lemma(v.head, lex.report_verbs) is not None:
            issuer = self._issuer(subject_tokens(v.head))
            if issuer is not None:
                return issuer
        for c in v.children:
            if c.dep_ in ("ccomp", "parataxis") and lemma(c, lex.report_verbs) is not None and c.i > v.i:
                issuer = self._issuer(subject_tokens(c))
                if issuer is not None:
                    return issuer
        for c in preps(v, {"in"}) + [x for conj in v.conjuncts for x in preps(conj, {"in"})]:
            m = self.actors.mention_at(c.i)
            if m is not None and m.type is ActorType.Country and not m.is_anaphor:
                return m.actor
        return None

    def _list_keeper(self, v: Token) -> str | None:
        """"X was added to the Entity List": the government that keeps the list the sentence names
        (cue data: action.list_owners)."""
        for p in preps(v, {"to", "on", "from"}):
            words = [t.lower_ for t in p.subtree]
            for phrase, owner in self.lex.list_owners:
                n = len(phrase)
                if any(words[i:i + n] == phrase for i in range(len(words) - n + 1)):
                    entry = self.actors.gaz.entries.get(owner)
                    if entry is None:
                        return None
                    self.actors.ensure_entry(entry)
                    return entry.id
        return None

    def _issuer_of_noun(self, noun: Token) -> str | None:
        toks = [c for c in noun.children if c.dep_ in ("poss", "compound", "nmod")]
        toks += preps(noun, {"by", "from"})
        return self._issuer(toks)

    def _kind_from_object(self, toks: list[Token]) -> tuple[ActionKind | None, bool]:
        """(kind, export_context) from the lemmas of an object phrase."""
        lemmas = [t.lemma_.lower() if t.lemma_ else t.lower_ for t in toks]
        lowers = [t.lower_ for t in toks]
        export = any(w.startswith("export") for w in lowers)
        for phrase, kind in self.lex.action_nouns:
            n = len(phrase)
            for i in range(len(lemmas) - n + 1):
                window_l = lemmas[i:i + n]
                window_w = lowers[i:i + n]
                if list(phrase) == window_l or list(phrase) == window_w or (
                        n == 1 and (window_w[0].rstrip("s") == phrase[0])):
                    return kind, export
        return None, export

    @staticmethod
    def _export(kind: ActionKind, export: bool) -> ActionKind:
        if export and kind in (ActionKind.restriction, ActionKind.ban, ActionKind.policy, ActionKind.other):
            return ActionKind.export_control
        return kind

    def _targets(self, v: Token, issuer: str, skip: set[int]) -> list[str]:
        """Actors in the act's object and complements (not its subject, not adjuncts of time,
        place, cause or concession)."""
        keys: list[str] = []
        stack = [c for c in v.children if c.i not in skip and self._target_child(v, c)]
        seen: set[int] = set()
        while stack:
            t = stack.pop()
            if t.i in seen:
                continue
            seen.add(t.i)
            m = self.actors.mention_at(t.i)
            members = self.actors.numbered_members(t)  # "the two suspects", "two Iranian nationals"
            if members:
                keys += [k for k in members if k != issuer and k not in keys]
                continue
            if m is not None and m.type is ActorType.Group and self._describes_named(t.doc[m.head]):
                pass
            elif m is not None and self._qualifies_named(t.doc[m.head], m.actor):
                pass  # "China's Huawei": the country says whose the target is; it is not one more
            elif m is not None and m.type is ActorType.Country and qualifies_instrument(t.doc[m.head], self.lex,
                                                                                         self.actors):
                pass  # "imposed U.S. export controls", "US firm Nvidia": whose the measure or the firm is
            elif m is not None and no_party(t.doc[m.head], self.lex, self.actors):
                pass
            elif m is not None:
                key = self.actors.resolve(m, {issuer}) if m.is_anaphor else m.actor
                if key is not None and key != issuer and key not in keys:
                    keys.append(key)
            elif t.tag_ in ("NNS", "NNPS") and not self._describes_named(t):
                # "ban Chinese AI models", "exports to Chinese firms": the nationality stands for its state
                country = self.actors.nationality_state(c for c in t.children
                                                        if c.dep_ in ("amod", "compound", "nmod"))
                if country is not None and country != issuer and country not in keys:
                    keys.append(country)
            if t.lemma_.lower() in ("list", "blacklist", "registry", "register"):
                continue  # "added X to its list of Chinese military companies": the list's description
            conduct = t.pos_ == "NOUN" and t.lemma_.lower() in self.lex.conduct_nouns
            for c in t.children:
                # "an alert about the group's attacks on US sites": the conduct's agent is the target, what it
                # hit is the victim
                if conduct and c.dep_ not in ("poss", "compound", "amod", "nmod", "conj", "cc") \
                        and not self._agent_prep(c):
                    continue
                if self._target_child(t, c):
                    stack.append(c)
        return keys

    def _agent_prep(self, p: Token) -> bool:
        """A conduct's agent after it: "attacks by APT41", "the activities of agent Christine Park" (a person
        after "of" does it; "the hacking of Microsoft" names the victim)."""
        if p.dep_ not in ("prep", "agent") or p.lower_ not in ("by", "of"):
            return False
        if p.lower_ == "by":
            return True
        return any((m := self.actors.mention_at(o.i)) is not None and m.type is ActorType.Person
                   for o in p.children if o.dep_ == "pobj")

    def _qualifies_named(self, t: Token, key: str | None) -> bool:
        """A possessor whose possession is another named actor: "China's Huawei", "Japan's SoftBank"
        (not "Nvidia's chips", where the owner is the party)."""
        if t.dep_ != "poss":
            return False
        owned = self.actors.mention_at(t.head.i)
        return owned is not None and owned.actor is not None and owned.actor != key

    def _describes_named(self, t: Token) -> bool:
        """"Chinese chipmakers Huawei and SMIC", "Chinese firms, Huawei and ZTE": the nationality
        describes the named targets, it is not one more."""
        if t.dep_ in ("compound", "appos", "nmod") and self.actors.mention_at(t.head.i) is not None:
            return True
        return any(c.dep_ == "appos" and self.actors.mention_at(c.i) is not None for c in t.children)

    def _targets_after(self, v: Token, issuer: str) -> list[str]:
        """When the parse attaches the object elsewhere: actors after the trigger in its clause."""
        keys: list[str] = []
        sent_end = self.ctx.sentence_of(v.i).end
        for t in v.doc[v.i + 1: sent_end]:
            if t.lower_ in _CLAUSE_BREAKS or t.text in (";", "—", "–", ":"):
                break
            if t.pos_ == "NOUN" and t.lemma_.lower() in self.lex.conduct_nouns:
                break  # "an alert about the group's attacks on US sites": what the conduct hit is no target
            if t.text == "," and t.i + 1 < sent_end and (t.nbor().dep_ in ("nsubj", "nsubjpass", "mark", "advmod")
                                                          or t.nbor().pos_ in ("VERB", "AUX", "PRON")):
                break
            m = self.actors.mention_at(t.i)
            if m is not None and not m.is_anaphor and m.actor and m.actor != issuer and m.actor not in keys \
                    and not no_party(t.doc[m.head], self.lex, self.actors):
                keys.append(m.actor)
        return keys

    def _target_child(self, head: Token, c: Token) -> bool:
        if c.dep_ == "relcl":  # "a bill to ban X" yes, "a designation that restricts Y" no
            return any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children)
        if c.dep_ in ("nsubj", "csubj", "aux", "auxpass", "neg", "punct", "cc", "mark", "advmod"):
            return False
        if c.dep_ == "prep" and c.lower_ not in _TARGET_PREPS:
            return False
        if c.dep_ == "prep" and c.lower_ in ("for", "over", "with") and any(
                x.tag_ == "VBG" and ((x.dep_ == "pcomp" and x.head.i == c.i)
                                     or (x.dep_ == "amod" and x.head.head.i == c.i))
                for x in c.subtree):  # (the parser often reads the gerund as an adjective of its object)
            return False  # the reason, not the target: "fined X for transferring data to China",
            # "charged X with diverting chips to China"
        if c.dep_ == "advcl":
            return c.tag_ in ("VBG", "VBN") and not any(x.dep_ in ("mark", "nsubj") for x in c.children)
        return c.dep_ in _TARGET_DEPS

    def _finish(self, sent: Sentence, v: Token, issuer: str | None, kind: ActionKind | None, export: bool,
                skip: set[int], extra_targets: list[str] | None = None, loosening: bool = False
                ) -> ActionCandidate | None:
        if issuer is None or kind is None:
            return None
        threat = v.dep_ == "xcomp" and lemma(v.head, frozenset({"threaten"})) is not None and not (
            hypothetical(v.head, self.lex) or negated(v.head, self.lex))
        if threat:
            # "X threatened to impose tariffs on Y": the threat is an act of its own (kind other), the
            # threatened measure is not taken
            kind, export = ActionKind.other, False
        elif hypothetical(v, self.lex):
            return None
        targets = list(extra_targets or [])
        for k in self._targets(v, issuer, skip):
            if k not in targets:
                targets.append(k)
        if not targets and v.dep_ == "acl" and v.head.dep_ in ("nsubj", "nsubjpass") and is_verbal(v.head.head):
            # "The legislation, signed into law by President Biden, mandates that TikTok divest from ByteDance":
            # what the instrument does says whom the act is aimed at
            instrument = {x.i for x in v.head.subtree}
            targets = [k for k in self._targets(v.head.head, issuer, instrument) if k not in targets]
        if not targets:
            targets = self._targets_after(v, issuer)
        targets = self._country_for_groups(targets, issuer)
        if loosening:  # who gains by it, not where the goods may now go ("eased exports of chips to the UAE")
            targets = [k for k in targets if self._type(k) is not ActorType.Country]
        if not targets and not self._acts_alone(v, issuer):
            return None
        kind = self._export(kind, export)
        neg = negated(v, self.lex)
        if neg and _pending(v):
            return None  # "the U.S. has not yet announced sanctions": nothing was decided, either way
        return ActionCandidate(sent, issuer, targets, ActionKind.other if neg else kind, neg,
                               kind if neg else None, v.i, loosening=loosening)

    def _acts_alone(self, v: Token, issuer: str) -> bool:
        """An act with no target is kept when a named government does it ("Oregon brought in a law",
        "the UK is investigating big tech companies"): a verb, not a noun ("the Pentagon's move"), and
        a named issuer, not a description ("a federal court")."""
        a = self.actors.actors.get(issuer)
        if not is_verbal(v) or a is None or (a.generic and a.source == "rule"):
            return False
        # "restricting its own companies": what it acts on is its own, not a party ("its own AI rules"
        # is the instrument, and stays)
        return not any(c.dep_ == "dobj" and any(x.lower_ == "own" for x in c.lefts)
                       and self._kind_from_object([c])[0] is None for c in v.children)

    def _country_for_groups(self, keys: list[str], issuer: str) -> list[str]:
        out: list[str] = []
        home = home_country(self.actors, issuer)
        for k in keys:
            a = self.actors.actors.get(k)
            if a is None or a.type not in TARGET_TYPES:
                continue
            if a.type is ActorType.Group and a.generic and not self._people(k):
                country = self._group_country(k)
                if country is None:
                    continue
                k = country
            if k == home:
                continue  # "the FCC's decision restricts DJI's business in the US": a state does not act on itself
            if k != issuer and k not in out:
                out.append(k)
        return out

    def _people(self, key: str) -> bool:
        """A group of people ("three Chinese nationals") is its own target; a group of companies or
        entities under a nationality stands for the state ("controls on Chinese entities")."""
        return any(m.actor == key and self.actors.doc[m.head].lemma_.lower() in self.lex.person_group_heads
                   for m in self.actors.mentions)

    def _group_country(self, key: str) -> str | None:
        for m in self.actors.mentions:
            if m.actor == key and m.country:
                if m.country in self.actors.gaz.entries:
                    self.actors.ensure_entry(self.actors.gaz.entries[m.country])
                return m.country
        a = self.actors.actors.get(key)
        if a is not None and a.entity is not None and a.entity.country:
            c = self.actors.gaz.country_entry(a.entity.country)
            if c is not None:
                self.actors.ensure_entry(c)
                return c.id
        return None

    # ------------------------------------------------------------------ patterns
    def _from_verb(self, v: Token, sent: Sentence) -> ActionCandidate | None:
        lex = self.lex
        own = lemma(v, frozenset(lex.action_verbs))
        carrier = lemma(v, lex.carrier_verbs)
        if own is None and carrier is None:
            return None
        if is_passive(v):
            issuer = self._issuer(agent_tokens(v))
            subj_targets = passive_subject(v)
            if issuer is None:
                # "X was added to the ministry's list": the list's owner
                for p in preps(v, {"to", "on"}):
                    issuer = self._issuer([c for c in p.children if c.dep_ in ("poss", "compound", "nmod")]) \
                        or issuer
            if issuer is None:
                issuer = self._list_keeper(v)
            if issuer is None:
                issuer = self._passive_issuer(v)
        else:
            subj = subject_tokens(v)
            issuer = self._issuer(subj)
            subj_targets = []
            if issuer is None and v.dep_ == "pcomp" and v.head.lower_ in ("by", "through", "via") and \
                    is_verbal(v.head.head) and not subj:
                # "the White House has targeted China's need for chips by blocking its purchases": the means
                # shares the main verb's subject
                issuer = self._issuer(subject_tokens(v.head.head))
            if issuer is None and v.dep_ == "ccomp" and lemma(v.head, lex.report_verbs) and \
                    not any(self.actors.mention_at(s.i) for s in subj):
                issuer = self._issuer(subject_tokens(v.head))  # "prosecutors charged X, the ministry said"
            if issuer is None:
                h = v.head
                for _ in range(3):
                    if v.dep_ in ("acl", "xcomp", "pcomp", "pobj") and h.pos_ == "NOUN":
                        issuer = self._issuer_of_noun(h)
                        if issuer is not None:
                            break
                    if h.head.i == h.i:
                        break
                    h = h.head
        listed_kind: ActionKind | None = None
        if not is_passive(v) and carrier in ("include", "list", "name", "feature", "cover"):
            # "the Pentagon blacklist includes Alibaba": the list's owner listed the objects
            for x in (y for s in subject_tokens(v) for y in s.subtree):
                if x.lemma_.lower() in ("list", "blacklist"):
                    owner = self._issuer_of_noun(x)
                    if owner is not None and issuer in (None, owner):
                        issuer = owner
                        entity = any(t.lower_ == "entity" for t in x.subtree) or x.head.lower_ == "entity"
                        listed_kind = ActionKind.entity_list if entity else ActionKind.blacklist
                        break
        issuer_toks = agent_tokens(v) if is_passive(v) else subject_tokens(v)
        if issuer is None:
            # "authorities in other countries, including Malaysia, have begun investigating": the members named
            holders = [*issuer_toks, *(o for t in issuer_toks for o in preps(t, {"in", "of", "across"}))]
            listed = [x for t in holders for p in preps(t, {"including", "like"}) for x in (p, *p.conjuncts)]
            issuer = self._issuer(listed)
            issuer_toks = listed if issuer is not None else issuer_toks
        co_issuers: list[str] = []
        for t in issuer_toks:
            for c in _list_members(t):
                k = self._issuer([c])
                if k is not None and k != issuer and k not in co_issuers:
                    co_issuers.append(k)
        extra = [k for t in subj_targets for k in (self.actors.numbered_members(t) or [self._key(t) or ""]) if k]
        skip = {t.i for t in subject_tokens(v)} | {t.i for t in subj_targets}
        obj_toks = [t for c in v.children if c.dep_ in ("dobj", "dative", "oprd", "prep", "attr", "xcomp")
                    for t in c.subtree]
        kind: ActionKind | None
        if own is not None:
            kind = lex.action_verbs[own]
            _k, export = self._kind_from_object(obj_toks)
            if own in ("add", "place", "put"):
                kind = _k
        else:
            heads = [c for c in v.children if c.dep_ in ("dobj", "oprd")]
            head_toks = [x for h in heads for x in h.subtree if x.i <= h.i]  # the noun and its modifiers
            kind, export = self._kind_from_object(head_toks)
            if kind is None:
                kind, export = self._kind_from_object(obj_toks)
            else:
                export = export or self._kind_from_object(obj_toks)[1]
            listing = carrier in ("add", "place", "put", "include", "list", "designate")
            if listing and kind is not ActionKind.entity_list:
                has_list = any(t.lemma_.lower() in ("list", "blacklist") for t in obj_toks)
                kind = ActionKind.blacklist if has_list else None
        if listed_kind is not None:
            kind = listed_kind
        loosening = own in lex.loosening or (own is None and any(
            h.lemma_.lower() in lex.loosening for h in v.children if h.dep_ in ("dobj", "dative", "oprd")))
        if loosening and kind is not None:
            kind, export = ActionKind.policy, False
        cand = self._finish(sent, v, issuer, kind, export, skip, extra, loosening)
        if cand is not None and co_issuers:
            cand.co_issuers = co_issuers
            cand.targets = [k for k in cand.targets if k not in co_issuers]
        return cand

    def _from_noun(self, n: Token, sent: Sentence) -> ActionCandidate | None:
        """"X's imposition of restrictions on Y", "the X ban on Y", "X efforts to restrict Y"."""
        lex = self.lex
        if lemma(n, lex.nominal_heads) is None:
            return None
        if n.dep_ in ("nsubjpass", "dobj") and lemma(n.head, lex.carrier_verbs) is not None:
            return None  # "restrictions were imposed by X": the verb pattern reads its agent and object
        issuer = self._issuer_of_noun(n)
        if issuer is None:
            return None
        toks = list(n.subtree)
        kind, export = self._kind_from_object(toks)
        verbs = [c for c in n.children if c.dep_ in ("acl", "relcl") and is_verbal(c)]
        if verbs:
            return None  # "efforts to restrict": the verb pattern finds it with this issuer
        if kind is None:
            return None
        if any(c.dep_ == "det" and c.lower_ == "no" for c in n.children):
            return None
        return self._finish(sent, n, issuer, kind, export, {c.i for c in n.children if c.dep_ in ("poss", "compound")})

    def extract(self) -> list[ActionRecord]:
        ctx = self.ctx
        if not ctx.parsed:
            return []
        out: list[ActionRecord] = []
        # the trigger tokens, by the rows of ingest/patterns/actions.jsonl that match them
        matched = triggers("actions", self.lex, ctx.doc.vocab, ctx.patterns_dir).by_token(ctx.doc)
        for sent in ctx.sentences:
            if sent.is_title:
                continue
            seen: set[tuple[str, tuple[str, ...]]] = set()
            for i in range(sent.start, sent.end):
                ids = matched.get(i)
                if not ids:
                    continue
                t = ctx.doc[i]
                cand = self._from_noun(t, sent) if ids[0] == NOMINAL_PATTERN else self._from_verb(t, sent)
                if cand is None:
                    continue
                cand.pattern = ids[0]
                for c in [cand, *(replace(cand, issuer=k, co_issuers=[]) for k in cand.co_issuers)]:
                    key = (c.issuer, tuple(c.targets))
                    if key in seen:
                        continue
                    seen.add(key)
                    self.actors.mark_role(c.issuer, *c.targets)
                    out.append(self._record(c))
        return out

    def _pattern(self, c: ActionCandidate) -> str:
        """The id of the pattern row that matched the trigger (ingest/patterns/actions.jsonl): an action verb
        ("sanctioned X"), a carrier verb with an action object ("imposed restrictions on X"), a nominal action
        ("the Commerce Department's ban on X"); an act that loosens a measure is action/loosening whichever
        row found it."""
        return LOOSENING_PATTERN if c.loosening else c.pattern

    def _record(self, c: ActionCandidate) -> ActionRecord:
        date: TimeSpec | None = self.ctx.sentence_date(c.sent)
        if c.sent.heading_date is not None and not c.sent.heading_in_sentence and date is None:
            date = c.sent.heading_date
        return ActionRecord(
            issuer=self.actors.actor_id(c.issuer),
            targets=[self.actors.actor_id(k) for k in c.targets],
            kind=c.kind,
            date=date,
            negated=c.negated,
            evidence=self.ctx.evidence(c.sent, pattern=self._pattern(c)),
        )


def extract_actions(ctx: DocContext) -> list[ActionRecord]:
    return ActionExtractor(ctx).extract()
