"""The annotated dev set (../shared/eval/dev): articles, gold, the fixed cross-validation folds, and
the labels of candidate pairs (a candidate is positive when a gold item of its article names the same
head and tail and its evidence overlaps the candidate's sentence)."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.mentions import DocActors
from ontology.models import ArticleRecord

DEFAULT_DEV = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "dev"
N_FOLDS = 5
_SUFFIXES = {"inc", "incorporated", "corp", "corporation", "co", "ltd", "limited", "plc", "pbc", "llc", "group",
             "holding", "holdings", "sa", "ag", "gmbh"}


def norm(name: str | None) -> str:
    """The scorer's name normalisation (case, accents, punctuation, possessive, leading "the")."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    s = s.replace("&", " and ")
    s = re.sub(r"[’'`]s\b", "", s)
    s = re.sub(r"[^a-z0-9 ]+", " ", s.replace(".", ""))
    toks = s.split()
    if toks and toks[0] == "the":
        toks = toks[1:]
    return " ".join(toks)


def loose(name: str | None) -> str:
    return " ".join(t for t in norm(name).split() if t not in _SUFFIXES)


@dataclass
class DevDoc:
    article: ArticleRecord
    gold: dict[str, Any]

    @property
    def doc_id(self) -> str:
        return self.article.doc_id

    @property
    def cluster(self) -> str:
        return self.doc_id[0]


def load_dev(dev_dir: Path = DEFAULT_DEV) -> list[DevDoc]:
    if not (dev_dir / "articles.jsonl").exists():
        raise FileNotFoundError(f"no dev set at {dev_dir} (expected articles.jsonl and gold/)")
    out = []
    for line in (dev_dir / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        art = ArticleRecord.model_validate({k: raw.get(k) for k in ("doc_id", "title", "outlet", "published", "url",
                                                                     "text")})
        gold = json.loads((dev_dir / "gold" / f"{art.doc_id}.json").read_text(encoding="utf-8"))
        out.append(DevDoc(art, gold))
    return sorted(out, key=lambda d: d.doc_id)


def folds(docs: list[DevDoc], n: int = N_FOLDS) -> list[list[str]]:
    """Fixed folds: within each cluster (s, a, b, c, d, e) the articles in id order are dealt round
    robin, so every fold holds articles of every cluster and the split never changes."""
    out: list[list[str]] = [[] for _ in range(n)]
    by_cluster: dict[str, list[str]] = {}
    for d in docs:
        by_cluster.setdefault(d.cluster, []).append(d.doc_id)
    k = 0
    for cluster in sorted(by_cluster):
        for doc_id in sorted(by_cluster[cluster]):
            out[k % n].append(doc_id)
            k += 1
    return out


class GoldResolver:
    """Maps a document's actor keys to gold actor indices the way the scorer does (names and aliases,
    exact, then without corporate suffixes)."""

    def __init__(self, gold: dict[str, Any]) -> None:
        self.exact: dict[str, int] = {}
        self.loose: dict[str, int] = {}
        for i, a in enumerate(gold.get("actors") or []):
            for form in [a.get("name"), *(a.get("aliases") or [])]:
                if form:
                    self.exact.setdefault(norm(form), i)
                    if loose(form):
                        self.loose.setdefault(loose(form), i)
        self.names = {a["name"]: i for i, a in enumerate(gold.get("actors") or [])}

    def one(self, form: str | None) -> int | None:
        if not form:
            return None
        i = self.exact.get(norm(form))
        return i if i is not None else self.loose.get(loose(form))

    def actor(self, actors: DocActors, key: str) -> int | None:
        a = actors.actors[key]
        for form in [a.name, *a.aliases]:
            i = self.one(form)
            if i is not None:
                return i
        return None


def evidence_span(text: str, evidence: str) -> tuple[int, int] | None:
    i = text.find(evidence)
    if i >= 0:
        return i, i + len(evidence)
    # whitespace differences: match on the first 40 characters
    head = evidence[:40]
    i = text.find(head)
    return (i, i + len(evidence)) if i >= 0 else None


@dataclass
class GoldItem:
    field: str  # allegations | actions
    head: int | None
    tails: list[int | None]
    kind: str
    span: tuple[int, int] | None


def gold_items(doc: DevDoc) -> list[GoldItem]:
    res = GoldResolver(doc.gold)
    out = []
    for field, head, tails in (("allegations", "accuser", "accused"), ("actions", "issuer", "targets")):
        for it in doc.gold.get(field) or []:
            ts = [res.names.get(t, res.one(t)) for t in (it.get(tails) or [])]
            out.append(GoldItem(field, res.names.get(it.get(head) or "", res.one(it.get(head))), ts,
                                str(it.get("kind")), evidence_span(doc.article.text, it.get("evidence") or "")))
    return out
