"""Features of a document's candidate actors for the keep/drop model: a name the statistical NER
proposes is kept when it looks like a participant (it is named in full, acts or is acted on, is quoted,
recurs), dropped when it looks like an instrument, a product or an incidental name."""

from __future__ import annotations

from spacy.tokens import Token

from ingest.mentions import SUBJECT_DEPS, DocActors


def _role(t: Token) -> Token:
    for _ in range(5):
        if t.dep_ in ("compound", "appos", "conj", "amod", "flat") and t.head.i != t.i:
            t = t.head
        else:
            break
    return t


def actor_features(actors: DocActors, key: str, parsed: bool) -> list[str]:
    a = actors.actors[key]
    ms = actors.mentions_of(key)
    words = a.name.split()
    f = ["bias", f"src={a.source}", f"type={a.type.value}", f"generic={a.generic}", f"listed={a.always}",
         f"role={key in actors.in_role}", f"n={min(len(ms), 4)}", f"ntok={min(len(words), 4)}",
         f"aliases={min(len(a.aliases), 2)}"]
    f += [f"src_type={a.source}:{a.type.value}", f"role_src={key in actors.in_role}:{a.source}"]
    if a.ner_label:
        f += [f"ner={a.ner_label}", f"ner_role={a.ner_label}:{key in actors.in_role}"]
    if a.name.isupper() and len(a.name) <= 6:
        f.append("acronym")
    if a.entity is not None:
        f.append("gazetteer")
    if words:
        f.append(f"last={words[-1].lower()}")
    for m in ms[:6]:
        f.append(f"mkind={m.kind}")
        if not parsed:
            continue
        r = _role(actors.doc[m.head])
        f.append(f"dep={r.dep_}")
        if r.dep_ in SUBJECT_DEPS:
            f.append(f"subj_of={actors.lemmas[r.head.i]}")
        if m.start > 0 and actors.lowers[m.start - 1] in ("said", "says", "told", "wrote", "added"):
            f.append("quoted_after_said")
        if r.dep_ == "appos" or any(c.dep_ == "appos" for c in actors.doc[m.head].children):
            f.append("appos")
        # an organisation a named person belongs to ("Natasha Jha Bhaskar from the Newland Global Group",
        # "a fellow at the Carnegie Endowment"): a participant through that person
        up = actors.doc[m.head]
        for _ in range(4):
            if up.head.i == up.i:
                break
            up = up.head
            other = actors.by_token[up.i]
            if other is not None and other.actor != key and other.type.value == "Person":
                f.append("of_person")
                break
    return list(dict.fromkeys(f))
