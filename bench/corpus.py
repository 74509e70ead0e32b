"""A corpus for the ingest benchmark: sample-article sentences recombined with templated sentences.

How: every sentence of the 5 sample articles (/work/shared/eval/dev/articles.jsonl, split at sentence ends,
40-400 characters) goes into a pool; a template set (allegations, government actions, dated events, market
colour, with attributions and hedges) is filled with gazetteer names (companies, agencies, countries),
allegation and action kinds, dates and outlet names. An article is a templated headline plus 8-14 sentences,
about half from each source, in paragraphs of 1-4 sentences, with an outlet, a publication date and a URL.
Seeded and streamed: `articles(n, seed)` yields dicts, `write_jsonl(path, n)` writes them without holding
the corpus in memory. Throughput, not accuracy, is measured, so the texts only need to look like news to
the NLP model and give the rules something to find.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

SAMPLES = Path("/work/shared/eval/dev/articles.jsonl")
GAZETTEER = Path(__file__).resolve().parents[1] / "reference" / "data" / "gazetteer.yaml"
OUTLETS = ["Reuters", "Bloomberg", "the Financial Times", "CNBC", "the South China Morning Post", "Nikkei Asia",
           "The Wall Street Journal", "Caixin", "Politico", "The Information"]
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘(])")

TEMPLATES = [
    "{org} accused {org2} of {allegation}, according to {outlet}.",
    "{org} said on {day} that {org2} had {allegation_past} its models, people familiar with the matter said.",
    "In a statement, {org} alleged that {org2} used thousands of fraudulent accounts to extract outputs.",
    "{org2} denied the allegations and said it complies with all applicable laws.",
    "{agency} added {org2} to the Entity List on {day}, citing national security concerns.",
    "{agency} announced new export controls on advanced chips in {month}.",
    "{country} imposed restrictions on {org2} on {day}, {outlet} reported.",
    "{agency} opened an investigation into {org2} in {month}, officials said.",
    "Lawmakers in {country} introduced a bill in {month} that would ban {org2} from federal contracts.",
    "{org} reportedly told officials in {country} that {org2} had distilled its frontier model.",
    "Unconfirmed reports suggest {org2} may have accessed {org}'s systems without authorization.",
    "Shares of {org2} fell nearly {pct}% on {day} after the news broke.",
    "{org} and {org3} met in {month} to discuss safeguards against model distillation.",
    "The measures, which take effect on {day}, follow a similar move by {country2} in {month}.",
    "{outlet} reported that {agency} is weighing sanctions against {org2}.",
    "Analysts at {org3} said the dispute could slow AI investment across {country2}.",
    "{org} declined to comment on the report.",
    "The allegations come weeks after {agency} tightened rules on chip exports to {country2}.",
]
ALLEGATIONS = ["distilling its AI models", "illicitly accessing its systems", "stealing trade secrets",
               "industrial espionage", "smuggling advanced chips", "violating export controls"]
ALLEGATIONS_PAST = ["distilled", "illicitly accessed", "copied", "scraped"]
HEADLINES = ["{org} accuses {org2} of AI model theft", "{agency} targets {org2} with new curbs",
             "{country} weighs response as {org} and {org2} clash", "Shares of {org2} slide after {org} claims"]


def sample_sentences(path: Path = SAMPLES) -> list[str]:
    out: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            for para in text.split("\n"):
                out += [s.strip() for s in _SENT_END.split(para) if 40 <= len(s.strip()) <= 400]
    return out


def _names() -> dict[str, list[str]]:
    data = yaml.safe_load(GAZETTEER.read_text(encoding="utf-8")) or []
    by: dict[str, list[str]] = {"Organization": [], "GovernmentBody": [], "Country": []}
    for row in data:
        if isinstance(row, dict) and row.get("type") in by:
            by[str(row["type"])].append(str(row["name"]))
    return by


class CorpusGen:
    def __init__(self, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        self.pool = sample_sentences()
        names = _names()
        self.orgs = names["Organization"] or ["Anthropic", "Alibaba"]
        self.agencies = names["GovernmentBody"] or ["Commerce Department"]
        self.countries = names["Country"] or ["United States", "China"]

    def _fill(self, template: str) -> str:
        r = self.rng
        day = date(2024, 1, 1) + timedelta(days=r.randrange(900))
        org, org2, org3 = r.sample(self.orgs, 3)
        c1, c2 = r.sample(self.countries, 2)
        return template.format(
            org=org, org2=org2, org3=org3, agency=r.choice(self.agencies), country=c1, country2=c2,
            outlet=r.choice(OUTLETS), allegation=r.choice(ALLEGATIONS), allegation_past=r.choice(ALLEGATIONS_PAST),
            day=f"{day:%B} {day.day}, {day.year}", month=f"{day:%B %Y}", pct=r.choice((2, 3, 4.5, 7)),
        )

    def article(self, n: int) -> dict[str, Any]:
        r = self.rng
        k = r.randint(8, 14)
        sentences = [r.choice(self.pool) if r.random() < 0.5 else self._fill(r.choice(TEMPLATES)) for _ in range(k)]
        paras: list[str] = []
        i = 0
        while i < len(sentences):
            step = r.randint(1, 4)
            paras.append(" ".join(sentences[i : i + step]))
            i += step
        title = self._fill(r.choice(HEADLINES))
        published = date(2024, 1, 1) + timedelta(days=r.randrange(900))
        outlet = r.choice(OUTLETS).removeprefix("the ").removeprefix("The ")
        return {"doc_id": f"c{n:07d}", "title": title, "outlet": outlet, "published": published.isoformat(),
                "url": f"https://news.example/{n}", "text": title + "\n" + "\n".join(paras) + f"\n(Ref. {n})"}


def articles(n: int, seed: int = 11) -> Iterator[dict[str, Any]]:
    gen = CorpusGen(seed)
    for i in range(n):
        yield gen.article(i)


def write_jsonl(path: Path, n: int, seed: int = 11) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in articles(n, seed):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path
