"""Actor mentions in one parsed document, and the actors they resolve to.

Sources, strongest first:
1. gazetteer names and aliases (doc.spans["aigeo_gazetteer"]); outlets found there are kept apart;
2. rule-based mentions: unnamed nationality groups ("three Chinese companies"), unnamed government
   bodies that carry a modifier ("a Senate subcommittee"), AI model names found in model contexts
   ("the Orion and Vela AI models", "models like Orion 3") and then everywhere in the text;
3. the statistical NER (ORG, PERSON) for entities the gazetteer lacks, with junk removed;
4. anaphors: "it"/"they" and definite descriptions ("the company", "the San Francisco-based AI
   company"), resolved on demand by a salience-based resolver (`DocActors.resolve`).

Country names and capitals used as a market location ("Hong Kong trading", "U.S.-listed") or inside a
longer name ("Bank of China") are not mentions of the state.

Why one module of ~800 lines: every source above adds to, merges or removes from the same two indexes
(mentions by token span, actors by key), and each pass reads what the earlier ones left. The split that
fits is the one issue 14 asks for, one spaCy component per source writing `doc.spans`; until that lands,
splitting the class across modules would only hide the shared state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ingest.gazetteer import ACTOR_LABEL, OUTLET_LABEL, SPAN_KEY, Entry, Gazetteer
from ingest.lexicon import Lexicon
from ontology.models import ActorRecord, ActorType, slug
from reference.names import name_key

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_PRONOUNS = {"it": (ActorType.Organization, ActorType.GovernmentBody, ActorType.Country),
             "they": (ActorType.Group, ActorType.Organization, ActorType.GovernmentBody),
             "he": (ActorType.Person,), "she": (ActorType.Person,)}
# forms of address that are not part of a person's name (official titles stay: they qualify issuers)
_NOT_PEOPLE = frozenset({"DATE", "TIME", "GPE", "LOC", "NORP", "ORG", "FAC", "MONEY", "PERCENT", "CARDINAL",
                         "ORDINAL", "QUANTITY", "EVENT", "LAW"})
_MEMBERS_LOOKBACK = 40  # sentences a counted group ("the two suspects") looks back for the people it counts
_PEER_TITLES = frozenset({"Lord", "Lady", "Baroness", "Baron", "Viscount", "Earl"})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady"})
_ANTECEDENT_WINDOW = 80  # tokens an anaphor looks back within its own sentence
_ANAPHOR_DETS = frozenset({"the", "this", "that", "these", "those"})
_GOV_TYPES = frozenset({ActorType.GovernmentBody, ActorType.Country})
_QUANT = frozenset({"several", "some", "many", "few", "other", "various", "multiple", "numerous", "certain",
                    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "dozen",
                    "all", "any", "most", "both", "such", "more", "at", "least", "additional", "different",
                    "unnamed", "unidentified", "key", "new", "leading", "top", "major"})


_QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})


@dataclass
class Mention:
    start: int  # token offsets in the doc
    end: int
    actor: str | None  # actor key; None for an anaphor (resolve with DocActors.resolve)
    type: ActorType
    surface: str
    kind: str  # name | group | body | model | ner | anaphor
    head: int
    country: str | None = None  # nationality required of an antecedent ("the Chinese giant")

    @property
    def is_anaphor(self) -> bool:
        return self.kind == "anaphor"


@dataclass
class ActorInfo:
    key: str
    name: str
    type: ActorType
    source: str  # gazetteer | ner | rule
    generic: bool = False  # an unnamed collective or body: kept only when it plays a role
    entity: Entry | None = None
    aliases: list[str] = field(default_factory=list)
    always: bool = True  # listed even without a role
    ner_label: str | None = None  # the statistical NER's label, for names it proposed

    @property
    def decided_by_model(self) -> bool:
        """Whether the learned actor model decides if this actor is listed without a role: names the
        NER proposed, and countries (named in passing as often as they take part)."""
        return self.source == "ner" or (self.type is ActorType.Country and self.always)

    def add_alias(self, surface: str) -> None:
        s = surface.strip()
        if s and s != self.name and s not in self.aliases:
            self.aliases.append(s)


@dataclass
class OutletMention:
    start: int
    end: int
    outlet_id: str
    name: str


_ACRONYM_SKIP = frozenset({"of", "for", "the", "and", "on", "de", "du", "des"})


_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _count_of(t: Token) -> int | None:
    """The number a counted group gives ("two" in "two Iranian nationals", or "the two" alone)."""
    words = [t] if t.pos_ == "NUM" else [c for c in t.children if c.dep_ == "nummod"]
    if len(words) != 1:
        return None
    w = words[0].lower_
    return _NUMBER_WORDS.get(w) or (int(w) if w.isdigit() and 1 < int(w) <= 10 else None)


def _initials_fit(acronym: str, name: str) -> bool:
    """Every letter of the acronym is the initial of a word of the name, in order (a country letter
    may lead: JFTC for Japan's Fair Trade Commission)."""
    words = re.findall(r"[A-Za-z][A-Za-z'’]*", name)
    initials = [w[0].upper() for w in words if w.lower() not in _ACRONYM_SKIP]
    letters = list(acronym)
    if letters and initials and letters[0] != initials[0]:
        letters = letters[1:]
    it = iter(initials)
    return len(letters) >= 2 and all(any(c == x for x in it) for c in letters)


class DocActors:
    """Mentions, outlets and actors of one document, with a coreference resolver."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer, lexicon: Lexicon, parsed: bool,
                 sentences: list[tuple[int, int]] | None = None, sent_of_token: list[int] | None = None,
                 text: str | None = None) -> None:
        self.doc = doc
        self.sentences = sentences if sentences is not None else [(s.start, s.end) for s in doc.sents]
        if sent_of_token is None:
            sent_of_token = [0] * len(doc)
            for k, (s, e) in enumerate(self.sentences):
                for i in range(s, e):
                    sent_of_token[i] = k
        self.sent_of_token = sent_of_token
        self._memo: dict[tuple[int, frozenset[str]], str | None] = {}
        self._subjects: dict[int, Token | None] = {}
        self._by_actor: dict[str, list[Mention]] | None = None
        self.text = text if text is not None else doc.text  # (Doc.text and Doc.ents are rebuilt on each access)
        self.ents = tuple(doc.ents)
        # token attributes read once (every Token access builds a new Python object)
        self.lemmas: list[str] = []
        self.lowers: list[str] = []
        self.tags: list[str] = []
        for t in doc:
            self.lemmas.append(t.lemma_.lower())
            self.lowers.append(t.lower_)
            self.tags.append(t.tag_)
        self.gaz = gazetteer
        self.lex = lexicon
        self.parsed = parsed
        self.actors: dict[str, ActorInfo] = {}
        self.mentions: list[Mention] = []
        self.outlets: list[OutletMention] = []
        self.by_token: list[Mention | None] = [None] * len(doc)
        self.outlet_tokens: set[int] = set()
        self.in_role: set[str] = set()
        self._credit_lines = self._find_credit_lines()
        self._collect()

    # ------------------------------------------------------------------ collection
    def _find_credit_lines(self) -> list[tuple[int, int]]:
        spans = []
        text = self.text
        pos = 0
        for line in text.split("\n"):
            if line.strip() and self.lex.credit.search(line):
                spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        return spans

    def in_credit(self, char: int) -> bool:
        return any(s <= char < e for s, e in self._credit_lines)

    def _free(self, start: int, end: int) -> bool:
        return all(self.by_token[i] is None for i in range(start, end)) and self._free_of_outlets(start, end)

    def _free_of_outlets(self, start: int, end: int) -> bool:
        return all(i not in self.outlet_tokens for i in range(start, end))

    def _add(self, m: Mention) -> None:
        self.mentions.append(m)
        for i in range(m.start, m.end):
            self.by_token[i] = m

    def _remove(self, m: Mention) -> None:
        self.mentions.remove(m)
        for i in range(m.start, m.end):
            if self.by_token[i] is m:
                self.by_token[i] = None

    def _actor_for_entry(self, e: Entry) -> ActorInfo:
        a = self.actors.get(e.id)
        if a is None:
            # unnamed collectives and territories (a Country entry that is not its code's primary
            # state, e.g. Hong Kong) are listed only when they take part in a fact
            territory = e.type is ActorType.Country and (c := self.gaz.country_entry(e.country)) is not None \
                and c.id != e.id
            a = ActorInfo(key=e.id, name=e.name, type=e.type, source="gazetteer", generic=e.generic, entity=e,
                          always=not (e.generic or territory))
            self.actors[e.id] = a
        return a

    def ensure_entry(self, e: Entry) -> ActorInfo:
        return self._actor_for_entry(e)

    def _other_country_prefix(self, sp: Span, e: Entry) -> bool:
        """A national body's short name ("Congress", "Senate") preceded by another country's
        adjective or possessive ("Mexican", "Chile's")."""
        own = self.gaz.country_id(e.country) if e.country else None
        if own is None or e.type is ActorType.Country or sp.start == 0:
            return False
        doc = self.doc
        prev = doc[sp.start - 1]
        other = self.lex.demonyms.get(prev.text)
        if other is None and prev.text in ("'s", "’s") and sp.start >= 2:
            c = self.gaz.lookup(doc[sp.start - 2].text)
            other = c.id if c is not None and c.type is ActorType.Country else None
        return other is not None and other != own

    def demonym_actor(self, t: Token) -> str | None:
        """The country a nationality adjective stands for ("Chinese hackers" -> China), as an actor
        listed only if it takes part in a fact; None when the word is no demonym."""
        if self.by_token[t.i] is not None or t.pos_ not in ("ADJ", "PROPN", "NOUN"):
            return None
        country = self.lex.demonyms.get(t.text)
        e = self.gaz.entries.get(country) if country else None
        if e is None:
            return None
        if e.id not in self.actors:
            self._actor_for_entry(e).always = False
        return e.id

    def _collect(self) -> None:
        doc = self.doc
        spans: Iterable[Span] = doc.spans.get(SPAN_KEY, ())
        for sp in spans:
            if self.in_credit(sp.start_char):
                continue
            if sp.label_ == OUTLET_LABEL:
                o = self.gaz.outlets[sp.kb_id_]
                self.outlets.append(OutletMention(sp.start, sp.end, o.id, o.name))
                self.outlet_tokens.update(range(sp.start, sp.end))
                continue
            e = self.gaz.entries[sp.kb_id_]
            if e.type is ActorType.Country and not self._state_use(sp):
                continue
            if self._other_country_prefix(sp, e):
                continue  # "the Mexican Congress" is not the U.S. Congress: left to the NER
            self._actor_for_entry(e)
            self._add(Mention(sp.start, sp.end, e.id, e.type, self._owned_form(sp, e), "name", sp.root.i,
                              self.gaz.country_id(e.country)))
        self._extend_model_versions()
        if self.parsed:
            self._officials_in_states()
            self._nationals_in_office()
        self._leaders_governments()
        if self.parsed:
            self._bodies()
            self._merge_short_bodies()
            self._groups()
            self._models()
        self._nicknamed_people()
        self._threat_actor_codes()
        if self.parsed:
            self._dubbed_groups()
            self._short_body_names()
        self._role_named_people()
        self._ner()
        self._surname_mentions()
        if self.parsed:
            self._described_names()
        self._acronyms()
        if self.parsed:
            self._merge_described_bodies()
        if self.parsed:
            self._anaphors()
        self.mentions.sort(key=lambda m: m.start)
        for m in self.mentions:
            if m.actor is not None and m.actor in self.actors:
                self.actors[m.actor].add_alias(m.surface)

    def _state_use(self, sp: Span) -> bool:
        """A country or capital mention that denotes the state, not a market or part of a longer name."""
        doc = self.doc
        if self._officials_in(sp) is not None:
            return True
        nxt = doc[sp.end] if sp.end < len(doc) else None
        if nxt is not None:
            low = nxt.lower_
            if (low in self.lex.market_nouns or nxt.lemma_.lower() in self.lex.market_nouns) and \
                    nxt.pos_ not in ("VERB", "AUX"):
                return False
            if low in ("-", "‑") and sp.end + 1 < len(doc) and doc[sp.end + 1].lower_ in self.lex.market_nouns:
                return False
        for ent in self.ents:
            if ent.start <= sp.start and sp.end <= ent.end and (ent.end - ent.start) > (sp.end - sp.start) \
                    and ent.label_ in ("ORG", "FAC", "WORK_OF_ART", "EVENT", "PERSON", "LAW") \
                    and not (ent.start == sp.start - 1 and doc[ent.start].lower_ == "the"):
                covered = [m for m in doc.spans.get(SPAN_KEY, []) if ent.start <= m.start and m.end <= ent.end
                           and m.label_ == ACTOR_LABEL and m.kb_id_ != "" and (m.start, m.end) != (sp.start, sp.end)]
                if not covered:
                    return False
        return True

    # AI model names -----------------------------------------------------------
    def _version_end(self, end: int) -> int:
        doc = self.doc
        j = end
        while j < len(doc) and j - end < 3:
            t = doc[j]
            if re.fullmatch(r"\d+(?:\.\d+)?[a-z]?|[A-Z]\d+(?:\.\d+)?", t.text) or (
                    t.lower_ in self.lex.model_version_words and t.text[:1].isupper()):
                j += 1
            else:
                break
        return j

    def _extend_model_versions(self) -> None:
        for m in list(self.mentions):
            if m.type is ActorType.AIModel:
                j = self._version_end(m.end)
                if j > m.end and self._free(m.end, j):
                    self._remove(m)
                    m2 = Mention(m.start, j, m.actor, m.type, self.doc[m.start:j].text, m.kind, m.head)
                    self._add(m2)

    def _models(self) -> None:
        """Names the gazetteer lacks that the syntax marks as AI models, then all their occurrences."""
        doc = self.doc
        names: dict[str, str] = {}  # base name -> first surface
        for i, lem in enumerate(self.lemmas):
            if lem not in self.lex.model_heads:
                continue
            t = doc[i]
            if t.pos_ != "NOUN":
                continue
            cands: list[Token] = []
            for c in t.children:
                if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN":
                    cands.append(c)
                    cands += [cc for cc in c.conjuncts if cc.pos_ == "PROPN"]
                if c.dep_ == "appos" and c.pos_ == "PROPN":
                    cands.append(c)
                if c.dep_ == "prep" and (c.lower_ in ("like", "including") or
                                         (c.lower_ == "as" and c.i > 0 and doc[c.i - 1].lower_ == "such")):
                    for p in c.children:
                        if p.dep_ == "pobj" and p.pos_ == "PROPN":
                            cands.append(p)
                            cands += [cc for cc in p.conjuncts if cc.pos_ == "PROPN"]
            cands += self._listed_after(t)
            for c in cands:
                if c.lower_ in self.lex.junk or self.by_token[c.i] is not None or c.i in self.outlet_tokens:
                    continue
                if c.ent_type_ in ("GPE", "NORP", "DATE", "CARDINAL"):
                    continue  # a place or nationality as modifier ("Chinese models") is not a model name
                start = c.i
                while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head == c \
                        and doc[start - 1].pos_ == "PROPN" and self.by_token[start - 1] is None:
                    start -= 1
                end = c.i + 1
                while end - start > 1 and self._version_end(end - 1) == end:
                    end -= 1  # "Vela Pro" -> base name "Vela", version "Pro"
                base = doc[start:end].text
                if base.lower() in self.lex.junk or not base[:1].isupper():
                    continue
                names.setdefault(base, base)
        if not names:
            return
        for base in names:
            toks = base.split()
            n = len(toks)
            for i in range(len(doc) - n + 1):
                if [doc[i + k].text for k in range(n)] != toks or not self._free(i, i + n):
                    continue
                j = self._version_end(i + n)
                if not self._free(i + n, j):
                    j = i + n
                key = "model:" + slug(base)
                if key not in self.actors:
                    self.actors[key] = ActorInfo(key=key, name=base, type=ActorType.AIModel, source="rule")
                self._add(Mention(i, j, key, ActorType.AIModel, doc[i:j].text, "model", doc[i:j].root.i))

    def _listed_after(self, head: Token) -> list[Token]:
        """"models, like Orion 3 and Vela Pro" / "models such as X": the examples after a model noun,
        wherever the parser attached the preposition."""
        doc = self.doc
        out: list[Token] = []
        j = head.i + 1
        while j < len(doc) and j <= head.i + 2 and doc[j].is_punct:
            j += 1
        if j < len(doc) and (doc[j].lower_ in ("like", "including") or
                             (doc[j].lower_ == "such" and j + 1 < len(doc) and doc[j + 1].lower_ == "as")):
            for p in doc[j].children:
                if p.dep_ == "pobj" and p.pos_ == "PROPN":
                    out.append(p)
                    out += [cc for cc in p.conjuncts if cc.pos_ == "PROPN"]
            if doc[j].lower_ == "such":
                for p in doc[j + 1].children:
                    if p.dep_ == "pobj" and p.pos_ == "PROPN":
                        out.append(p)
                        out += [cc for cc in p.conjuncts if cc.pos_ == "PROPN"]
        return out

    def _owned_form(self, sp: Span, e: Entry) -> str:
        """The form the text used when the gazetteer split off an owner ("China’s embassy in Washington"
        is the embassy, with China as its owner): kept as the alias, so the name reads as written."""
        doc = self.doc
        if sp.start < 2 or doc[sp.start - 1].text not in ("'s", "’s"):
            return sp.text
        for k in range(1, min(4, sp.start - 1) + 1):
            form = doc[sp.start - 1 - k: sp.end].text
            if self.gaz.lookup(form) is e:
                return form
        return sp.text

    # unnamed bodies and groups ------------------------------------------------
    def _modifiers(self, head: Token) -> list[Token]:
        return [c for c in head.lefts if c.dep_ in ("amod", "compound", "nmod", "npadvmod")]

    def _bodies(self) -> None:
        doc = self.doc
        for i, lem in enumerate(self.lemmas):
            # The tagger often calls a lower-case body noun after a possessive NNP ("Taiwan's commerce
            # ministry"); lower case is what says it is not a name.
            if lem not in self.lex.body_heads or self.tags[i] not in ("NN", "NNP"):
                continue
            t = doc[i]
            if not t.text.islower():
                continue
            m = self.by_token[t.i]
            if m is not None and m.kind == "name":
                continue
            mods = [c for c in self._modifiers(t) if c.lower_ not in _QUANT] + self._body_owners(t)
            if not mods:
                continue
            if lem == "authority" and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in t.children):
                continue  # "exceeded its statutory authority": a power it has, not a body
            start = min(min(c.left_edge.i for c in mods), t.i)
            while start < t.i and (doc[start].pos_ in ("DET", "PRON", "PUNCT", "NUM") or doc[start].lower_ in _QUANT):
                start += 1
            if start >= t.i:
                continue
            end = self._body_location_end(t)
            inner = [self.by_token[i] for i in range(start, end) if self.by_token[i] is not None]
            if any(x is not None and x.kind != "name" for x in inner):
                continue
            if any(x is not None and x.type not in _GOV_TYPES for x in inner):
                continue
            country = self.demonym_country(mods)
            for x in {id(x): x for x in inner if x is not None}.values():
                self._remove(x)
            name = doc[start:end].text
            key = "body:" + slug(name)
            if key not in self.actors:
                ent = self.gaz.lookup(name)
                if ent is not None:
                    self._add(Mention(start, end, ent.id, ent.type, name, "name", t.i,
                                      self.gaz.country_id(ent.country)))
                    self._actor_for_entry(ent)
                    continue
                self.actors[key] = ActorInfo(key=key, name=name, type=ActorType.GovernmentBody, source="rule",
                                             generic=True, always=False)
            self._add(Mention(start, end, key, ActorType.GovernmentBody, name, "body", t.i, country))

    def _merge_short_bodies(self) -> None:
        """A shorter description of a body the article names in full ("the prosecutor's office" and
        "the Paris prosecutor's office") is that body: one actor per entity inside an article. Bodies
        the gazetteer names count as candidates too, so that "the commerce ministry" beside Taiwan's
        and China's (MOFCOM) stays apart."""
        first: dict[str, int] = {}
        forms: dict[str, set[str]] = {}
        for m in self.mentions:
            if m.type is ActorType.GovernmentBody and m.actor and m.kind in ("name", "body"):
                first.setdefault(m.actor, m.start)
                forms.setdefault(m.actor, set()).add(" " + name_key(m.surface))
        for short in [k for k in first if k.startswith("body:")]:
            if short not in self.actors:
                continue
            sform = " " + name_key(self.actors[short].name)
            fuller = {k: f for k in first if k != short and k in self.actors
                      for f in forms[k] if f.endswith(sform) and f != sform}
            if len({f.split()[0] for f in fuller.values()}) != 1:
                continue  # none, or two owners ("Taiwan's" and "China's commerce ministry")
            # one owner: the body the text names first ("the Paris prosecutor's office" before "the
            # Paris Public Prosecutor's office")
            target = min(fuller, key=lambda k: first[k])
            for m in self.mentions:
                if m.actor == short:
                    m.actor = target
            self.actors[target].aliases.append(self.actors.pop(short).name)

    def _merge_described_bodies(self) -> None:
        """A body described before or after it is named ("a U.S. appeals court has upheld ...", then "the U.S.
        Court of Appeals for the District of Columbia Circuit ruled ..."): when exactly one named body has
        every word of the description (country words aside), the description is that body."""
        doc = self.doc

        def words(m: Mention) -> set[str]:
            # the nouns (a "federal" court is described, not named, by its adjective); a name's words are
            # proper nouns, which keep their plural: "Court of Appeals" has "appeal"
            return {re.sub(r"(?<=..)s$", "", self.lemmas[i]) for i in range(m.start, m.end)
                    if doc[i].pos_ in ("NOUN", "PROPN") and doc[i].is_alpha and not self._is_country(doc[i])}

        named: dict[str, set[str]] = {}
        country: dict[str, set[str]] = {}
        for m in self.mentions:
            a = self.actors.get(m.actor or "")
            if a is None or a.type is not ActorType.GovernmentBody or m.kind not in ("name", "ner", "body"):
                continue
            if m.country:
                country.setdefault(a.key, set()).add(m.country)
            named.setdefault(a.key, set()).update(words(m))
        # shortest descriptions first, so that "the prosecutor's office" finds the one office it can be
        for short in sorted((k for k in named if k.startswith("body:")), key=lambda k: len(named[k])):
            described = named[short]
            # ("Vietnam's commerce ministry" is not China's Ministry of Commerce; and beside both, "the
            # commerce ministry" is either); a description may also be of another description with more
            # words ("the Paris prosecutor's office", then "the Paris Public Prosecutor's office")
            fits = [k for k, w in named.items() if k != short and described and described <= w
                    and not (country.get(short) and country.get(k) and country[short] != country[k])]
            if len(fits) != 1 or (fits[0].startswith("body:") and named[fits[0]] == described):
                continue
            target = fits[0]
            for m in self.mentions:
                if m.actor == short:
                    m.actor = target
            self.actors[target].aliases.append(self.actors.pop(short).name)
            named.pop(short)
            if short in country:
                country.setdefault(target, set()).update(country.pop(short))

    def _country_prefix(self, start: int, end: int) -> list[Mention]:
        """A body the NER names with its country first ("the US Supreme Court", "the U.S. Court of
        Appeals"): the country is part of the name, not a party of its own."""
        inner = self.mentions_in(start, end)
        if inner and all(m.kind == "name" and m.type is ActorType.Country and m.start <= start + 1 and m.end < end
                         for m in inner):
            return inner
        return []

    def _repair_cut_name(self, start: int, end: int) -> tuple[int, int]:
        """Body names the NER cuts: at a function word before a place ("Office for the Southern
        District of" + "New York") and after an office holder's possessive ("U.S. Attorney's" +
        "Office ..."). A cut that cannot be mended leaves no name."""
        doc = self.doc
        if doc[end - 1].lower_ in ("of", "for", "the", "and", "on"):
            nxt = next((e for e in self.ents if e.start == end), None)
            if nxt is None:
                return start, start
            end = nxt.end
        if start >= 2 and doc[start - 1].text in ("'s", "’s") and doc[start - 2].is_title and \
                doc[start - 2].lower_ in self.lex.official_titles:
            start -= 2
            before = self.by_token[start - 1] if start > 0 else None
            if before is not None and before.type is ActorType.Country and before.kind == "name":
                start = before.start
        return start, end

    def _court_circuit_end(self, end: int) -> int:
        """"the Court of Appeals for the Ninth Circuit": the NER cuts federal appeals courts before
        "for the ... Circuit"."""
        doc = self.doc
        if end + 2 < len(doc) and doc[end].lower_ == "for" and doc[end + 1].lower_ == "the":
            for k in range(end + 2, min(end + 8, len(doc))):
                if doc[k].lower_ == "circuit":
                    return k + 1
                if not (doc[k].is_title or doc[k].lower_ == "of"):
                    break
        return end

    def _officials_in(self, sp: Span) -> Token | None:
        """The official noun a state's mention follows as "in <state>": "authorities in Malaysia", "officials
        in Seoul" (not "companies in China", nor "Chinese officials in Washington", named already)."""
        head = sp.root
        prep = head.head
        if not self.parsed or head.dep_ != "pobj" or prep.lower_ != "in" or prep.dep_ != "prep":
            return None
        noun = prep.head
        if noun.lower_ not in self.lex.state_official_nouns or noun.tag_ not in ("NNS", "NN") or noun.i >= sp.start:
            return None
        if any(c.dep_ in ("amod", "compound", "poss", "nmod") for c in noun.children):
            return None  # "Chinese officials in Washington", "the company's officials in Beijing"
        return noun

    def _officials_in_states(self) -> None:
        """"Authorities in Malaysia" are Malaysia: one state mention from the official noun to the place."""
        doc = self.doc
        for m in [m for m in self.mentions if m.kind == "name" and m.type is ActorType.Country]:
            noun = self._officials_in(doc[m.start:m.end])
            if noun is None or any(self.by_token[i] is not None for i in range(noun.left_edge.i, m.start)
                                   if i != noun.i and doc[i].pos_ not in ("DET", "ADP")):
                continue
            start = noun.i - 1 if noun.i > 0 and doc[noun.i - 1].lower_ == "the" else noun.i
            self._remove(m)
            self._add(Mention(start, m.end, m.actor, m.type, doc[start:m.end].text, "name", noun.i, m.country))

    def _nationals_in_office(self) -> None:
        """"Brazilian authorities", "Portuguese regulators": a nationality before an official noun is that state,
        for every state the demonyms list (the gazetteer spells out such forms for a few states only)."""
        doc = self.doc
        for t in doc:
            if t.lower_ not in self.lex.state_official_nouns or t.tag_ not in ("NNS", "NN") or \
                    self.by_token[t.i] is not None:
                continue
            mods = [c for c in t.children if c.dep_ in ("amod", "compound") and c.i < t.i]
            owners = [c for c in t.children if c.dep_ == "poss" and c.i < t.i]
            entry = None
            if len(owners) == 1 and not mods and (m := self.by_token[owners[0].i]) is not None and \
                    m.type is ActorType.Country and m.actor and doc[m.start:m.end].root.i == owners[0].i:
                # "Vietnam's government", "India's authorities": the state itself
                entry = self.gaz.entries.get(m.actor)
                mods = owners
            elif mods and not any(self.by_token[c.i] is not None for c in mods):
                # a nationality adjective, not a place: "Berlin authorities" are the city's, not Germany's
                country = self.demonym_country(mods)
                entry = self.gaz.entries.get(country) if country else None
            if entry is None:
                continue
            start = min(c.left_edge.i for c in mods)
            for i in range(start, t.i):
                m = self.by_token[i]
                if m is not None:
                    self._remove(m)
            self._actor_for_entry(entry)
            self._add(Mention(start, t.i + 1, entry.id, ActorType.Country, doc[start:t.i + 1].text, "name", t.i,
                              entry.id))

    def _leaders_governments(self) -> None:
        """"Trump's government", "the Biden government", "Macron's administration": the leader's
        administration, when the gazetteer knows one by the leader's surname."""
        doc = self.doc
        for m in [m for m in self.mentions if m.kind == "name" and m.type is ActorType.Person]:
            if m.actor is None:
                continue
            k = m.end + (1 if m.end < len(doc) and doc[m.end].text in ("'s", "’s") else 0)
            if k >= len(doc) or doc[k].lower_ not in ("government", "administration") or self.by_token[k] is not None:
                continue
            surname = self.actors[m.actor].name.split()[-1]
            ent = self.gaz.lookup(f"{surname} administration")
            if ent is None or ent.type is not ActorType.GovernmentBody:
                continue
            self._remove(m)
            if not any(x.actor == m.actor for x in self.mentions):
                self.actors.pop(m.actor, None)
            self._actor_for_entry(ent)
            self._add(Mention(m.start, k + 1, ent.id, ent.type, doc[m.start:k + 1].text, "name", k,
                              self.gaz.country_id(ent.country)))

    def _threat_actor_codes(self) -> None:
        """"APT41", "UNC3313": a threat-intelligence tracking name is a hacking group of its own."""
        doc = self.doc
        for t in doc:
            if self.by_token[t.i] is None and self.lex.threat_actor_code.match(t.text):
                name = self._named_before_code(t)
                key = "group:" + slug(name.text if name is not None else t.text)
                if key not in self.actors:
                    self.actors[key] = ActorInfo(key=key, name=name.text if name is not None else t.text,
                                                 type=ActorType.Group, source="rule")
                if name is not None and all(self.by_token[i] is None for i in range(name.start, name.end)):
                    self._add(Mention(name.start, name.end, key, ActorType.Group, name.text, "name", name.end - 1))
                self._add(Mention(t.i, t.i + 1, key, ActorType.Group, t.text, "name", t.i))

    def _named_before_code(self, code: Token) -> Span | None:
        """"Masan (UNC1069)", "Fancy Bear (APT28)": the capitalised name a tracking code glosses, of one to
        three words, names the same group (the code is its alias)."""
        doc = self.doc
        if code.i < 2 or doc[code.i - 1].text != "(" or code.i + 1 >= len(doc) or doc[code.i + 1].text != ")":
            return None
        end = code.i - 1
        start = end
        while start > 0 and end - start < 3 and doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha \
                and (doc[start - 1].pos_ == "PROPN" or not self.parsed):
            start -= 1
        return doc[start:end] if start < end else None

    def _dubbed_groups(self) -> None:
        """"a hacking group known as Hafnium", "a network dubbed Salt Typhoon", "groups tracked as Volt Typhoon
        and Flax Typhoon": the name a collective is given is a group of its own, whatever the NER made of it
        (it tags such names GPE or PERSON, or not at all)."""
        doc = self.doc
        heads = self.lex.collective_heads | {"actor"}
        for i, lem in enumerate(self.lemmas):
            if lem not in heads or self.tags[i] not in ("NN", "NNS"):
                continue
            t = doc[i]
            for c in t.children:
                if c.dep_ not in ("acl", "relcl") or c.lemma_.lower() not in self.lex.naming_verbs:
                    continue
                named = [n for n in c.children if n.dep_ in ("oprd", "attr", "dobj", "xcomp")]
                named += [n for p in c.children if p.dep_ == "prep" and p.lower_ == "as"
                          for n in p.children if n.dep_ == "pobj"]
                for head in [x for n in named for x in (n, *n.conjuncts)]:
                    start = min([head.i, *(k.i for k in head.children if k.dep_ in ("compound", "flat")
                                           and k.i < head.i)])
                    name = doc[start:head.i + 1]
                    if len(name) > 4 or not all(w.text[:1].isupper() or w.text[:1].isdigit() or w.text == "-"
                                                for w in name) or any(self.by_token[i] is not None for i in
                                                                      range(name.start, name.end)):
                        continue
                    key = "group:" + slug(name.text)
                    if key not in self.actors:
                        self.actors[key] = ActorInfo(key=key, name=name.text, type=ActorType.Group, source="rule")
                    self._add(Mention(name.start, name.end, key, ActorType.Group, name.text, "name", head.i))

    def _short_body_names(self) -> None:
        """"The Commission says ...", "the Ministry added ...": a capitalised body noun after "the" is
        the short name of the one body of the article whose name has that word ("European Commission").
        Two such bodies, or none, and the word is left to the NER."""
        doc = self.doc
        bodies: dict[str, set[str]] = {}
        for m in self.mentions:
            if m.type is ActorType.GovernmentBody and m.actor and m.kind == "name":
                for word in self.actors[m.actor].name.split():
                    bodies.setdefault(word.lower(), set()).add(m.actor)
        for t in doc:
            if not t.is_title or self.by_token[t.i] is not None or t.lemma_.lower() not in self.lex.body_heads:
                continue
            if t.i == 0 or doc[t.i - 1].lower_ != "the" or self.by_token[t.i - 1] is not None:
                continue
            nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
            if nxt is not None and (nxt.is_title or nxt.lower_ in ("of", "for", "on")):
                continue  # "the Commission on Security", "the Court of Appeals": a longer name
            owners = bodies.get(t.lower_, set())
            if len(owners) == 1:
                (key,) = owners
                self._add(Mention(t.i, t.i + 1, key, ActorType.GovernmentBody, t.text, "name", t.i))

    def _body_owners(self, head: Token) -> list[Token]:
        """A possessive that makes a body of a common noun: a state ("Taiwan's commerce ministry",
        "China's embassy") or an office holder ("the Paris prosecutor's office")."""
        out = []
        for c in head.lefts:
            if c.dep_ != "poss":
                continue
            m = self.by_token[c.i]
            state = m is not None and m.kind == "name" and m.type is ActorType.Country
            if state or (m is None and c.lower_ in self.lex.official_titles):
                out.append(c)
        return out

    def _body_location_end(self, head: Token) -> int:
        """Missions abroad are named by where they sit: "the Chinese embassy in Canberra"."""
        if head.lemma_.lower() not in self.lex.located_bodies:
            return head.i + 1
        for c in head.rights:
            if c.dep_ == "prep" and c.lower_ == "in":
                for obj in (x for x in c.children if x.dep_ == "pobj"):
                    place = self.by_token[obj.i]
                    if place is not None and place.type is ActorType.Country:
                        return obj.right_edge.i + 1
        return head.i + 1

    def nationality_state(self, tokens: Iterable[Token]) -> str | None:
        """The state a nationality modifier stands for, as an actor of this article ("controls on Chinese
        firms", "warned of Russian cyber attacks"): its gazetteer id, or None."""
        country = self.demonym_country(tokens)
        if country is None or country not in self.gaz.entries:
            return None
        self.ensure_entry(self.gaz.entries[country])
        return country

    def demonym_country(self, tokens: Iterable[Token]) -> str | None:
        """Gazetteer id of the country a nationality modifier names ("Chinese" -> china)."""
        for t in tokens:
            m = self.by_token[t.i]
            if m is not None and m.type is ActorType.Country and m.actor:
                return m.actor
            # two-word nationalities first: "North Korean" is not "Korean"
            before = f"{t.nbor(-1).text} {t.text}" if t.i > 0 else ""
            after = f"{t.text} {t.nbor(1).text}" if t.i + 1 < len(t.doc) else ""
            for form in (before, after, t.text, t.text.rstrip(".")):
                if form in self.lex.demonyms:
                    return self.lex.demonyms[form]
        return None

    def _groups(self) -> None:
        doc = self.doc
        for i, lem in enumerate(self.lemmas):
            tag = self.tags[i]
            plural = tag in ("NNS", "NNPS") and lem in self.lex.group_heads
            collective = tag == "NN" and lem in self.lex.collective_heads
            if not (plural or collective):
                continue
            t = doc[i]
            if self.by_token[t.i] is not None:
                continue
            mods = self._modifiers(t)
            country = self.demonym_country(mods)
            if country is None:
                continue
            first_mod = min(mods, key=lambda c: c.left_edge.i)
            start = first_mod.left_edge.i
            while start < t.i and (doc[start].pos_ in ("DET", "NUM", "PUNCT") or doc[start].lower_ in _QUANT):
                start += 1
            inner = [self.by_token[i] for i in range(start, t.i)]
            if any(x is not None and x.type is not ActorType.Country and
                   x.surface.split()[0] not in self.lex.demonyms for x in inner):
                continue
            for i in range(start, t.i):
                m = self.by_token[i]
                if m is not None:
                    self._remove(m)
            surface = doc[start:t.i + 1].text
            ent = self.gaz.lookup(surface)
            if ent is None and plural and any(doc[k].lower_ in self.lex.state_markers for k in range(start, t.i)):
                ent = self.gaz.entries.get(country)  # "Chinese state actors" are the Chinese state
            if ent is not None:
                self._actor_for_entry(ent)
                self._add(Mention(start, t.i + 1, ent.id, ent.type, surface, "name", t.i,
                                  self.gaz.country_id(ent.country)))
                continue
            key = "group:" + slug(surface)
            if key not in self.actors:
                self.actors[key] = ActorInfo(key=key, name=surface, type=ActorType.Group, source="rule",
                                             generic=True, always=False)
            m = Mention(start, t.i + 1, key, ActorType.Group, surface, "group", t.i, country)
            self._add(m)
        self._merge_groups()

    def _merge_groups(self) -> None:
        """An unnamed group is the same collective as a same-nationality group the article names
        ("three Chinese companies" ... "Chinese labs")."""
        named: dict[str, str] = {}  # country id -> gazetteer group key
        for m in self.mentions:
            if m.kind == "name" and m.type is ActorType.Group and m.actor:
                e = self.gaz.entries.get(m.actor)
                if e is not None and e.generic and e.country:
                    cid = self.gaz.country_id(e.country)
                    if cid is not None:
                        named.setdefault(cid, m.actor)
        first_rule: dict[str, str] = {}
        for m in self.mentions:
            if m.kind != "group" or m.country is None:
                continue
            target = named.get(m.country) or first_rule.setdefault(m.country, m.actor or "")
            if target and target != m.actor:
                old = m.actor
                m.actor = target
                if target in self.gaz.entries:
                    self._actor_for_entry(self.gaz.entries[target])
                if old and not any(x.actor == old for x in self.mentions):
                    self.actors.pop(old, None)

    # statistical NER ----------------------------------------------------------
    def _nicknamed_people(self) -> None:
        """A person named with a quoted nickname between given name and surname ("John "Jack" Smith",
        "Yu-Lin "Lynn" Chen") is one person, named without the nickname; the statistical NER usually cuts
        the name at the quotes. Given name (hyphenated parts included) and surname are single words."""
        doc = self.doc
        for k in range(1, len(doc) - 3):
            if doc[k].text not in _QUOTES:  # the cheap test first: most tokens are no quote
                continue
            q1, nick, q2, sur = doc[k], doc[k + 1], doc[k + 2], doc[k + 3]
            if not (q1.text in _QUOTES and q2.text in _QUOTES and nick.is_alpha and nick.is_title
                    and sur.is_alpha and sur.is_title and doc[k - 1].is_alpha and doc[k - 1].is_title):
                continue
            start = k - 1
            while start >= 2 and doc[start - 1].text in ("-", "‑") and not doc[start - 1].whitespace_ \
                    and not doc[start - 2].whitespace_ and doc[start - 2].is_alpha and doc[start - 2].is_title:
                start -= 2
            end = k + 4
            if not self._free(start, end) or self.in_credit(doc[start].idx) or self._headline(doc[start].idx):
                continue
            prev = doc[start - 1] if start > 0 else None
            if prev is not None and prev.is_title and prev.pos_ == "PROPN" and not prev.is_sent_start:
                continue  # a name of more than two words: left to the NER
            name = f"{doc[start:k].text} {sur.text}"
            key = "ner:" + slug(name)
            if key not in self.actors:
                self.actors[key] = ActorInfo(key=key, name=name, type=ActorType.Person, source="ner", generic=True,
                                             always=False, ner_label="PERSON")
            self._add(Mention(start, end, key, ActorType.Person, doc[start:end].text, "ner", sur.i))

    def _ner(self) -> None:
        doc = self.doc
        for ent in self.ents:
            if ent.label_ not in ("ORG", "PERSON", "GPE"):
                continue
            start, end = ent.start, ent.end
            while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct
                                   or doc[start].is_space):
                start += 1
            while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].text in ("'s", "’s")):
                end -= 1
            if start < end and self._headline(doc[start].idx):
                continue  # title-case lines defeat the statistical NER
            owner: str | None = None
            if end - start > 2 and doc[start + 1].text in ("'s", "’s") and self._is_country(doc[start]):
                owner_entry = self.gaz.lookup(doc[start].text)
                if owner_entry is not None and owner_entry.type is ActorType.Country:
                    owner = owner_entry.id
                start += 2  # "Chile's Transport Ministry": the body is the Transport Ministry (of Chile)
            if ent.label_ == "ORG" and any(doc[k].lemma_.lower() in self.lex.body_heads for k in range(start, end)):
                fixed = self._repair_cut_name(start, end)
                fixed = (fixed[0], self._court_circuit_end(fixed[1]))
                long_name = fixed != (start, end)
                start, end = fixed
                prefix = self._country_prefix(start, end)  # "the US Supreme Court" is one body
            else:
                long_name, prefix = False, []
            if start >= end or not all(self.by_token[i] is None or self.by_token[i] in prefix
                                       for i in range(start, end)) or not self._free_of_outlets(start, end):
                continue
            if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].text in ("R", "D", "I"):
                continue  # "Brian Mast, R-Fla.": a party and a state after a lawmaker's name
            peer = start > 0 and end - start == 1 and doc[start - 1].text in _PEER_TITLES
            if peer:
                start -= 1  # "Lord McFall" is the peer's name (the statistical model often calls the surname ORG)
            span = doc[start:end]
            text = span.text
            if self.in_credit(span.start_char) or text.lower() in self.lex.junk or text in self.lex.demonyms:
                continue
            if not any(ch.isupper() for ch in text) or not any(t.pos_ == "PROPN" or not self.parsed for t in span):
                continue
            # ("Ninth Circuit" is like a number, and court names are long)
            if any((t.like_num and not long_name) or t.text == "\n" for t in span) or (len(span) > 6 and not long_name):
                continue
            ent_entry = self.gaz.lookup(text)
            if ent_entry is None and prefix:  # "US Department of Treasury": the Department of the Treasury
                ent_entry = self.gaz.lookup(doc[prefix[-1].end:end].text)
            if ent_entry is not None:
                for m in prefix:
                    self._remove(m)
                self._actor_for_entry(ent_entry)
                self._add(Mention(start, end, ent_entry.id, ent_entry.type, text, "name", span.root.i,
                                  self.gaz.country_id(ent_entry.country)))
                continue
            if self.gaz.lookup_outlet(text) is not None:
                continue
            if span[-1].lemma_.lower() in self.lex.action_noun_heads or span[-1].lower_ in self.lex.action_noun_heads:
                continue  # an instrument, not an actor: "Entity List", "CHIPS Act", "Executive Order"
            if span[-1].lower_ in self.lex.descriptors and span[0].text in self.lex.demonyms and not (
                    len(span) > 2 and span[-1].lemma_.lower() in self.lex.body_heads):
                continue  # "Chinese Giant" in a headline is a description (the "US Supreme Court" is a name)
            if text.count("(") != text.count(")"):
                continue  # a name cut inside a parenthesis ("Masan (UNC1069") is no name
            known = self._same_person(span) if ent.label_ != "PERSON" else None
            if known is not None:
                # a surname alone is often labelled ORG or GPE ("Kazemi and Kashian are still at large"); after
                # the full name it is that person (the gazetteer, consulted above, keeps a company named so)
                self._add(Mention(start, end, known, ActorType.Person, text, "ner", span.root.i))
                continue
            if peer:
                atype = ActorType.Person
            elif ent.label_ == "PERSON" and span[-1].text.lower().rstrip(".") in self.lex.org_suffixes:
                atype = ActorType.Organization  # "Zhiyuan Robotics": the statistical model says PERSON
            elif ent.label_ == "PERSON":
                while len(span) > 1 and span[0].lower_.rstrip(".") in _HONORIFICS:
                    span = span[1:]  # "Prof Sophia Kalantzakos" is Sophia Kalantzakos
                known = self._same_person(span)
                if known is not None:  # "Doyle" after "Graham Doyle": one actor per person
                    self._add(Mention(start, end, known, ActorType.Person, text, "ner", span.root.i))
                    continue
                if len(span) < 2 and not self._titled(span):
                    continue
                text = span.text
                atype = ActorType.Person
            elif ent.label_ == "GPE":
                # a state, province or city the gazetteer does not list ("Texas", "Shenzhen"): its
                # government, kept when it acts or the actor model says it takes part; a place that only
                # modifies a noun ("the San Francisco company") is a description, not an actor
                if self.parsed and span.root.dep_ in ("compound", "amod", "nmod"):
                    continue
                if end < len(doc) and doc[end].text in ("-", "‑") and doc[end].whitespace_ == "":
                    continue  # "the Shenzhen-headquartered company", "a Beijing-based firm": a description
                atype = ActorType.GovernmentBody
            else:
                # the head word decides: "Transport Ministry", "Court of Appeals for the Ninth Circuit"
                atype = ActorType.GovernmentBody if span[-1].lemma_.lower() in self.lex.body_heads or (
                    long_name or span.root.lemma_.lower() in self.lex.body_heads) else ActorType.Organization
            key = "ner:" + slug(text)
            named = self._named_before(text)
            if named is not None:  # "Hafnium" again after "a group known as Hafnium": that group
                key, atype = named.key, named.type
            if key not in self.actors:
                self.actors[key] = ActorInfo(key=key, name=text, type=atype, source="ner", generic=True, always=False,
                                             ner_label=ent.label_)
            if owner is None and atype is ActorType.GovernmentBody:
                owner = self._owner_country(start, prefix)
            for m in prefix:
                self._remove(m)
            self._add(Mention(start, end, key, atype, text, "ner", span.root.i, owner))

    def _role_named_people(self) -> None:
        """A full name the NER missed, set off by the role that says it is a person: "Pavel Durov - founder of
        Telegram - criticised ...", "Jane Roe, the company's chief executive, said ..."."""
        doc = self.doc
        i = 0
        while i < len(doc):
            j = i
            while j < len(doc) and j - i < 3 and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() and \
                    doc[j].text.isalpha() and self.by_token[j] is None and doc[j].ent_type_ not in _NOT_PEOPLE:
                j += 1
            if j - i >= 2 and (i == 0 or doc[i - 1].pos_ != "PROPN") and j + 1 < len(doc) and \
                    doc[j].text in (",", "-", "–", "—") and self._role_follows(j + 1):
                span = doc[i:j]
                if not self._headline(span.start_char) and not self.in_credit(span.start_char) and \
                        self.gaz.lookup(span.text) is None and span.text not in self.lex.junk:
                    key = "ner:" + slug(span.text)
                    if key not in self.actors:
                        self.actors[key] = ActorInfo(key=key, name=span.text, type=ActorType.Person, source="ner",
                                                     generic=True, always=False, ner_label="PERSON")
                    self._add(Mention(i, j, key, ActorType.Person, span.text, "ner", j - 1))
            i = max(j, i + 1)

    def _surname_mentions(self) -> None:
        """A surname alone after the person was named in full, which the NER left untagged ("Pavel Durov ...
        Durov was arrested"): that person."""
        doc = self.doc
        first: dict[str, tuple[int, str]] = {}  # surname -> (first full mention, key)
        for m in self.mentions:
            a = self.actors.get(m.actor) if m.actor else None
            if a is None or a.type is not ActorType.Person or len(a.name.split()) < 2:
                continue
            surname = a.name.split()[-1]
            if surname in first and first[surname][1] != m.actor:
                first[surname] = (-1, "")  # two people with one surname: ambiguous
            elif surname not in first:
                first[surname] = (m.end, m.actor or "")
        for t in doc:
            known = first.get(t.text)
            if known is None or known[0] < 0 or t.i < known[0] or self.by_token[t.i] is not None:
                continue
            if t.pos_ != "PROPN" or (t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN"):
                continue  # part of a longer name
            self._add(Mention(t.i, t.i + 1, known[1], ActorType.Person, t.text, "ner", t.i))

    def _role_follows(self, k: int) -> bool:
        doc = self.doc
        while k < len(doc) and doc[k].lower_ in ("the", "a", "an", "its", "their", "his", "her", "former", "co"):
            k += 1
        return k < len(doc) and doc[k].lemma_.lower() in self.lex.person_roles

    def _owner_country(self, start: int, prefix: list[Mention]) -> str | None:
        """The state a body the NER named belongs to: "India's Ministry of Home Affairs", "the US Supreme Court"."""
        doc = self.doc
        for m in prefix:
            if m.type is ActorType.Country and m.actor is not None:
                return m.actor
        if start >= 2 and doc[start - 1].text in ("'s", "’s"):
            owner = self.by_token[start - 2]
            if owner is not None and owner.type is ActorType.Country and owner.actor is not None:
                return owner.actor
        return None

    def _described_names(self) -> None:
        """A name right after a word that says what it is, which the NER missed: "the messaging app Telegram",
        "the social media platform X", "Dutch chipmaker Nexperia" (an organisation)."""
        doc = self.doc
        for t in doc:
            if t.pos_ not in ("PROPN", "NOUN") or not t.text[:1].isupper() or self.by_token[t.i] is not None or \
                    t.is_sent_start:
                continue  # (a one-letter name such as X is often tagged a common noun)
            if t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN" and doc[t.i + 1].dep_ != "appos":
                continue  # the name goes on: its last word decides
            start = t.i
            while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head.i == t.i and \
                    self.by_token[start - 1] is None and t.i - start < 2:
                start -= 1
            before = doc[start - 1] if start > 0 else None
            if before is None or before.pos_ != "NOUN" or \
                    self.lex.descriptors.get(before.lemma_.lower()) is not ActorType.Organization:
                continue
            span = doc[start:t.i + 1]
            text = span.text
            if text.lower() in self.lex.junk or text in self.lex.demonyms or self.in_credit(span.start_char) or \
                    self._headline(span.start_char) or not self._free_of_outlets(span.start, span.end) or \
                    any(x.like_num or x.ent_type_ in ("DATE", "GPE", "NORP") for x in span):
                continue
            entry = self.gaz.lookup(text)
            if entry is not None:  # "the platform X": the words alone are too short a pattern for the ruler
                self._actor_for_entry(entry)
                self._add(Mention(span.start, span.end, entry.id, entry.type, text, "name", t.i,
                                  self.gaz.country_id(entry.country)))
                continue
            key = "ner:" + slug(text)
            if key not in self.actors:
                self.actors[key] = ActorInfo(key=key, name=text, type=ActorType.Organization, source="ner",
                                             generic=True, always=False, ner_label="ORG")
            self._add(Mention(span.start, span.end, key, ActorType.Organization, text, "ner", t.i))

    def _acronyms(self) -> None:
        """An acronym the text defines ("Japan's Fair Trade Commission (JFTC)") names the same actor as
        the name before it, there and wherever else it is used; an actor made only of it is dropped."""
        doc = self.doc
        defined: dict[str, str] = {}
        for m in sorted(self.mentions, key=lambda x: x.start):
            if m.actor is None or m.end + 2 >= len(doc) or doc[m.end].text != "(" or doc[m.end + 2].text != ")":
                continue
            acro = doc[m.end + 1].text
            if 2 <= len(acro) <= 8 and acro.isupper() and acro.isalpha() and _initials_fit(acro, m.surface):
                defined.setdefault(acro, m.actor)
        if not defined:
            return
        for i, t in enumerate(doc):
            key = defined.get(t.text)
            if key is None:
                continue
            old = self.by_token[i]
            if old is not None and old.actor == key:
                continue
            if old is not None:
                if old.end - old.start != 1:
                    continue  # the acronym is part of a longer name
                self._remove(old)
            self._add(Mention(i, i + 1, key, self.actors[key].type, t.text, "name", i))
        used = {m.actor for m in self.mentions}
        for k in [k for k, a in self.actors.items() if a.name in defined and k not in used]:
            del self.actors[k]

    def _is_country(self, t: Token) -> bool:
        e = self.gaz.lookup(t.text)
        return (e is not None and e.type is ActorType.Country) or t.ent_type_ == "GPE"

    def _named_before(self, text: str) -> ActorInfo | None:
        """The actor a rule already named with these very words (case aside), not from the NER."""
        k = name_key(text)
        return next((a for a in self.actors.values() if a.source == "rule" and name_key(a.name) == k), None)

    def _same_person(self, span: Span) -> str | None:
        """The person actor already named in full whose surname (or full name) this span is."""
        words = [t.text for t in span]
        for key, a in self.actors.items():
            if a.type is not ActorType.Person:
                continue
            names = a.name.split()
            if len(words) == 1 and len(names) >= 2 and names[-1] == words[0]:
                return key
            if len(words) >= 2 and names == words:
                return key
        return None

    def _headline(self, char: int) -> bool:
        text = self.text
        ls = text.rfind("\n", 0, char) + 1
        le = text.find("\n", char)
        line = text[ls: le if le >= 0 else len(text)]
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", line) if len(w) > 3]
        return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) >= 0.75

    def _titled(self, span: Span) -> bool:
        return span.start > 0 and span.doc[span.start - 1].lower_.rstrip(".") in {
            t.rstrip(".") for t in self.lex.official_titles}

    # anaphors -----------------------------------------------------------------
    def _anaphors(self) -> None:
        doc = self.doc
        for i, low in enumerate(self.lowers):
            if self.by_token[i] is not None:
                continue
            if low not in _PRONOUNS and self.lemmas[i] not in self.lex.descriptors:
                continue
            t = doc[i]
            if t.lower_ == "it" and t.dep_ == "nsubj" and t.head.lemma_ == "be" and any(
                    c.dep_ in ("ccomp", "csubj", "xcomp") for c in [*t.head.children, *(
                        g for c in t.head.children if c.dep_ in ("acomp", "attr") for g in c.children)]):
                continue  # "it was highly likely that ...": "it" stands for the clause, not an actor
            if t.lower_ in _PRONOUNS and t.pos_ == "PRON" and t.dep_ in ("nsubj", "nsubjpass", "dobj", "dative",
                                                                           "pobj", "attr", "oprd"):
                self._add(Mention(t.i, t.i + 1, None, _PRONOUNS[t.lower_][0], t.text, "anaphor", t.i))
                continue
            atype = self.lex.descriptors.get(t.lemma_.lower())
            # "The President", "the Secretary": a capitalised title alone is a description too
            title = atype is ActorType.Person and t.tag_ == "NNP" and t.dep_ != "compound"
            if atype is None or (not title and (t.pos_ != "NOUN" or t.tag_ not in ("NN", "NNS"))):
                continue
            dets = [c for c in t.lefts if c.dep_ == "det"]
            if not dets or dets[0].lower_ not in _ANAPHOR_DETS:
                continue
            if t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN" and doc[t.i + 1].dep_ in ("appos", "compound",
                                                                                            "npadvmod", "nmod"):
                continue  # "the messaging app Telegram": a description of the name that follows
            start = dets[0].i
            if any(self.by_token[i] is not None for i in range(start, t.i)):
                continue
            country = self.demonym_country(self._modifiers(t))
            self._add(Mention(start, t.i + 1, None, atype, doc[start:t.i + 1].text, "anaphor", t.i, country))

    # ------------------------------------------------------------------ queries
    def mentions_in(self, start: int, end: int) -> list[Mention]:
        out: list[Mention] = []
        seen: set[int] = set()
        for i in range(start, end):
            m = self.by_token[i]
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                out.append(m)
        return out

    def numbered_members(self, t: Token) -> list[str]:
        """"two Iranian nationals", "the two suspects", "the three" (alone): the people a counted group is,
        when the text lists exactly that many by name beside it (in apposition, or coordinated in the same
        sentence or the one before or after). Empty when it lists none, or lists them ambiguously."""
        m = self.mention_at(t.i)
        if m is not None and not (m.type is ActorType.Group and t.i == m.head):
            return []  # a named actor, or a word inside a group's name, is no counted group
        count = _count_of(t)
        if count is None:
            return []
        if t.pos_ == "NUM":  # "the two were added to the list" (not "two" counting something else)
            if t.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "conj") or not any(
                    c.dep_ == "det" and c.lower_ == "the" for c in t.children):
                return []
        elif t.pos_ != "NOUN" or self.lemmas[t.i] not in self.lex.person_group_heads:
            return []
        sents = list(self.doc.sents)
        here = next(k for k, s in enumerate(sents) if s.start <= t.i < s.end)
        # beside it first, then back through the story to the last place it named that many together ("the
        # two suspects" several paragraphs after "charged A and B")
        for k in (here, here - 1, here + 1, *range(here - 2, max(-1, here - _MEMBERS_LOOKBACK), -1)):
            if not 0 <= k < len(sents):
                continue
            lists = [x for x in self._person_lists(sents[k]) if len(x) == count]
            if len(lists) == 1:
                return lists[0]
            if lists:
                return []
        return []

    def _person_lists(self, sent: Span) -> list[list[str]]:
        """The people a sentence names together, each coordination ("A, B and C") one list."""
        by_root: dict[int, list[str]] = {}
        for m in self.mentions_in(sent.start, sent.end):
            if m.type is not ActorType.Person or m.is_anaphor or m.actor is None:
                continue
            r = self.doc[m.head]
            while r.dep_ in ("conj", "appos") and r.head.i != r.i and self.mention_at(r.head.i) is not None:
                r = r.head
            members = by_root.setdefault(r.i, [])
            if m.actor not in members:
                members.append(m.actor)
        return list(by_root.values())

    def mentions_of(self, key: str) -> list[Mention]:
        """The mentions of one actor, in text order (indexed once, after collection is complete)."""
        if self._by_actor is None:
            self._by_actor = {}
            for m in self.mentions:
                if m.actor is not None:
                    self._by_actor.setdefault(m.actor, []).append(m)
        return self._by_actor.get(key, [])

    def mention_at(self, i: int) -> Mention | None:
        return self.by_token[i] if 0 <= i < len(self.by_token) else None

    def is_subject(self, m: Mention) -> bool:
        if not self.parsed:
            return False
        t = self.doc[m.head]
        for _ in range(4):
            if t.dep_ in SUBJECT_DEPS:
                return True
            if t.head.i == t.i or t.dep_ not in ("compound", "poss", "appos", "conj", "pobj", "prep", "amod", "nmod"):
                return False
            t = t.head
        return False

    def compatible(self, anaphor: Mention, actor: ActorInfo) -> bool:
        if anaphor.surface.lower() in _PRONOUNS:
            ok = _PRONOUNS[anaphor.surface.lower()]
            if actor.type not in ok:
                return False
        elif anaphor.type is ActorType.Country:
            if actor.type not in (ActorType.Country, ActorType.GovernmentBody):
                return False
        elif actor.type is not anaphor.type:
            return False
        return not (anaphor.country and actor.entity is not None and actor.entity.country
                    and self.gaz.country_id(actor.entity.country) != anaphor.country)

    def resolve(self, m: Mention, exclude: Iterable[str] = ()) -> str | None:
        """The actor an anaphor stands for: the nearest compatible mention before it in its sentence,
        else the subjects (then other mentions) of up to three previous sentences."""
        if not m.is_anaphor:
            return m.actor
        excluded = frozenset(exclude)
        key = (m.start, excluded)
        if key not in self._memo:
            self._memo[key] = None  # guards against cycles
            self._memo[key] = self._resolve(m, excluded)
        return self._memo[key]

    def _resolve(self, m: Mention, excluded: frozenset[str]) -> str | None:
        doc = self.doc
        k = self.sent_of_token[m.start]
        sent_start = self.sentences[k][0] if self.sentences else 0
        own_clause_subject = self._clause_subject(doc[m.head]) if self.parsed else None
        # (a window, not the whole sentence: a run-on "sentence" of thousands of tokens stays linear)
        for i in range(m.start - 1, max(sent_start, m.start - _ANTECEDENT_WINDOW) - 1, -1):
            c = self.by_token[i]
            if c is None or c.actor is None or c.is_anaphor or c.actor in excluded:
                continue
            if own_clause_subject is not None and c.start <= own_clause_subject.i < c.end:
                continue
            if c.head != i and c.start != i:
                continue
            a = self.actors.get(c.actor)
            if a is not None and self.compatible(m, a):
                return c.actor
        for pk in range(k - 1, max(-1, k - 4), -1):
            ps, pe = self.sentences[pk]
            ms = self.mentions_in(ps, pe)
            resolved = [(x, x.actor if not x.is_anaphor else self.resolve(x, excluded)) for x in ms]
            ordered = [r for r in resolved if self.is_subject(r[0])] + \
                      ([r for r in resolved if not self.is_subject(r[0])] if m.surface.lower() not in _PRONOUNS
                       else [])
            for _x, key in ordered:
                if key is None or key in excluded:
                    continue
                a = self.actors.get(key)
                if a is not None and self.compatible(m, a):
                    return key
        return None

    def _clause_subject(self, t: Token) -> Token | None:
        """The subject of the clause an object anaphor sits in (a pronoun object is never its own
        clause's subject: "Micron accused it" -> it != Micron)."""
        if t.dep_ in SUBJECT_DEPS:
            return None
        h = t.head
        for _ in range(4):
            subj = self._subject_of(h)
            if subj is not None:
                return subj
            if h.head.i == h.i:
                break
            h = h.head
        return None

    def _subject_of(self, h: Token) -> Token | None:
        """The first subject child of a token, memoised: a head with thousands of children (a run-on
        coordination) is scanned once, not once per anaphor."""
        if h.i not in self._subjects:
            self._subjects[h.i] = next((c for c in h.children if c.dep_ in SUBJECT_DEPS), None)
        return self._subjects[h.i]

    def mark_role(self, *keys: str | None) -> None:
        for k in keys:
            if k:
                self.in_role.add(k)

    # ------------------------------------------------------------------ output
    def actor_id(self, key: str) -> str:
        a = self.actors[key]
        return a.entity.id if a.entity is not None else slug(a.name)

    def records(self, keep: Callable[[str], bool] | None = None) -> list[ActorRecord]:
        """The document's actors; `keep` (the learned actor model) decides for names the NER proposed."""
        out: list[ActorRecord] = []
        seen: set[str] = set()
        for key, a in self.actors.items():
            if keep is not None and a.decided_by_model:
                if not keep(key):
                    continue
            elif not (a.always or key in self.in_role):
                continue
            if not any(m.actor == key for m in self.mentions) and key not in self.in_role:
                continue
            ident = self.actor_id(key)
            if ident in seen:
                continue
            seen.add(ident)
            out.append(ActorRecord(id=ident, name=a.name, type=a.type, aliases=list(a.aliases), source=a.source,
                                   wikidata=a.entity.wikidata if a.entity is not None else None))
        return out
