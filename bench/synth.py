"""Synthetic extraction records for the query benchmark: realistic shape, deterministic, streamed.

The world:
* ~400 actors (countries, government bodies, companies, people, AI models) whose mention frequency
  follows a Zipf law (rank r gets weight 1/r**1.07): a handful appear in a large share of the news.
* facts (allegations, government actions, dated events), each reported by a heavy-tailed number of
  articles (Pareto, alpha 1.3, capped at 200): most facts are reported once or twice, a few hundred by
  dozens to hundreds of outlets, so Allegation nodes aggregate evidence from many articles.
* fact dates spread uniformly over 2019-01 .. 2026-06; each report gives the date at day, month or year
  precision (or none), "disputed" facts (5%) get some reports with another day or a different figure, so
  the conflict detector finds real conflicts.
* articles bundle 1-5 reports of facts close in time (published a few days after them), mention a few
  more actors, name their outlet (the registry's 128 outlets, Zipf-weighted, plus 10% unknown blogs), and
  cite a wire for about a third of the claims; sentences carry hedges and attributions.

`world(seed)` builds the actors and the fact plan; `extractions(n, seed)` yields `Extraction`s one at a time.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from ontology.models import (
    ActionKind,
    ActionRecord,
    ActorRecord,
    ActorType,
    AllegationKind,
    AllegationRecord,
    AllegationStatus,
    ArticleRecord,
    AttributionKind,
    EventRecord,
    Evidence,
    Extraction,
    Figure,
    TimeSpec,
    precision_of,
    slug,
)
from ontology.vocabulary import vocabulary
from reference.outlets import load_registry

FIRST_DAY = date(2019, 1, 1)
LAST_DAY = date(2026, 6, 30)
YEARS = list(range(FIRST_DAY.year, LAST_DAY.year + 1))
ZIPF_S = 1.07
FACT_SIZE_ALPHA = 1.3
FACT_SIZE_CAP = 200
FACTS_PER_ARTICLE = (1, 2, 3, 4, 5)
FACTS_PER_ARTICLE_W = (0.15, 0.25, 0.3, 0.2, 0.1)  # mean 2.85

COUNTRIES = ["United States", "China", "Taiwan", "Japan", "South Korea", "Netherlands", "Germany", "France",
             "United Kingdom", "India", "Russia", "Israel", "Singapore", "Malaysia", "Vietnam", "Canada",
             "Australia", "Saudi Arabia", "United Arab Emirates", "Brazil", "Italy", "Spain", "Sweden",
             "Finland", "Poland", "Ireland", "Switzerland", "Indonesia", "Thailand", "Mexico"]
COUNTRY_ALIASES = {"United States": ["U.S.", "Washington", "US"], "China": ["Beijing", "PRC"],
                   "United Kingdom": ["UK", "Britain"], "Russia": ["Moscow"], "Japan": ["Tokyo"],
                   "Taiwan": ["Taipei"], "Netherlands": ["the Netherlands"]}
GOV_PREFIX = ["Department of", "Ministry of", "Bureau of", "Office of", "Agency for", "Commission on",
              "Committee on", "Administration for"]
GOV_TOPIC = ["Commerce", "Industry and Security", "Foreign Affairs", "Justice", "Science and Technology",
             "Trade", "Defense", "Finance", "Cyberspace", "Export Control", "Digital Affairs", "Innovation",
             "State Security", "Competition", "Telecommunications", "Intelligence"]
ORG_HEAD = ["North", "Red", "Blue", "Deep", "Bright", "Silver", "Iron", "Quantum", "Neural", "Cloud", "Star",
            "Sun", "Moon", "Hyper", "Vector", "Lattice", "Cortex", "Tensor", "Signal", "Summit", "Harbor",
            "Falcon", "Dragon", "Tiger", "Lotus", "Jade", "Pine", "Cedar", "Granite", "Nova"]
ORG_TAIL = ["wind AI", "river Group", "field Labs", "stone Semiconductor", "gate Systems", "light AI",
            "bridge Technologies", "path Robotics", "wave Networks", "forge Compute", "point Holdings",
            "line Cloud", "mind Research", "scale Chips"]
FIRST = ["Wei", "Li", "Anna", "James", "Maria", "Hiroshi", "Priya", "David", "Elena", "Chen", "Sarah", "Omar",
         "Lucas", "Mei", "John", "Fatima", "Kenji", "Laura", "Ivan", "Grace"]
LAST = ["Zhang", "Smith", "Tanaka", "Garcia", "Kumar", "Wang", "Johnson", "Kim", "Muller", "Rossi", "Chen",
        "Lee", "Brown", "Nakamura", "Singh", "Novak", "Haddad", "Park", "Silva", "Liu"]
MODEL_BASE = ["Orion", "Atlas", "Helix", "Nimbus", "Zephyr", "Aurora", "Polaris", "Titan", "Echo", "Vega"]

ALLEGATION_W = {AllegationKind.distillation: 3, AllegationKind.unauthorized_access: 2, AllegationKind.ip_theft: 2,
                AllegationKind.espionage: 2, AllegationKind.export_violation: 2, AllegationKind.smuggling: 1,
                AllegationKind.security_risk: 2, AllegationKind.cyberattack: 1, AllegationKind.other: 1}
ACTION_W = {ActionKind.export_control: 3, ActionKind.entity_list: 2, ActionKind.blacklist: 1, ActionKind.sanction: 2,
            ActionKind.ban: 1, ActionKind.restriction: 2, ActionKind.investigation: 2, ActionKind.legislation: 1,
            ActionKind.lawsuit: 1, ActionKind.policy: 1, ActionKind.other: 1}
KIND_PHRASE = {
    "distillation": "distilling its models", "unauthorized_access": "illicitly accessing its systems",
    "ip_theft": "stealing trade secrets", "espionage": "industrial espionage",
    "export_violation": "violating export rules", "smuggling": "smuggling advanced chips",
    "security_risk": "posing a national security risk", "cyberattack": "a cyberattack on its network",
    "other": "misconduct", "export_control": "new export controls", "entity_list": "an entity-list designation",
    "blacklist": "a blacklist entry", "sanction": "sanctions", "ban": "a ban", "restriction": "restrictions",
    "investigation": "an investigation", "legislation": "a bill", "lawsuit": "a lawsuit", "policy": "a new policy",
}
FILLER = [
    "Shares of several chipmakers moved sharply in early trading.",
    "Analysts said the dispute could reshape supply chains across the region.",
    "The company did not immediately respond to a request for comment.",
    "Officials declined to give further details at a press briefing.",
    "The market for advanced accelerators has grown rapidly over the past two years.",
    "Industry groups warned that the measures could slow research collaboration.",
    "Lawmakers from both parties have called for tighter oversight of model exports.",
    "The episode adds to a long list of frictions between the two governments.",
    "Investors are watching for further announcements later this month.",
    "Experts cautioned that the technical details remain difficult to verify.",
    "Several startups said they had paused plans to expand overseas.",
    "The ministry published a short statement on its website.",
]
WIRES = ["Reuters", "Bloomberg", "Associated Press", "Financial Times", "Nikkei Asia", "Caixin"]
HEDGES = ["reportedly", "allegedly", "may have", "appears to"]


@dataclass
class Actor:
    id: str
    name: str
    type: ActorType
    aliases: list[str]

    def record(self, used: list[str]) -> ActorRecord:
        return ActorRecord(id=self.id, name=self.name, type=self.type, aliases=used)


@dataclass
class Fact:
    kind: str  # Allegation | GovernmentAction | Event
    sub: str  # allegation/action kind
    roles: list[int]  # actor indexes: accuser+accused / issuer+targets / involved
    day: date
    size: int  # articles that report it
    disputed: bool
    negated: bool = False
    figure: float | None = None
    event_precision: str = "day"


@dataclass
class World:
    actors: list[Actor]
    cum_weights: list[float]
    facts: list[Fact]
    outlets: list[str]
    outlet_cum: list[float]
    rng_seed: int
    by_type: dict[ActorType, list[int]] = field(default_factory=dict)

    def zipf_actor(self, rng: random.Random) -> int:
        return bisect.bisect_left(self.cum_weights, rng.random() * self.cum_weights[-1])

    def actor_weight(self, i: int) -> float:
        prev = self.cum_weights[i - 1] if i else 0.0
        return self.cum_weights[i] - prev


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _make_actors(rng: random.Random, n_orgs: int = 200, n_gov: int = 90, n_people: int = 50,
                 n_models: int = 30) -> list[Actor]:
    actors: list[Actor] = []
    seen: set[str] = set()

    def add(name: str, t: ActorType, aliases: list[str]) -> None:
        aid = slug(name)
        if aid in seen:
            return
        seen.add(aid)
        actors.append(Actor(aid, name, t, aliases))

    for c in COUNTRIES:
        add(c, ActorType.Country, COUNTRY_ALIASES.get(c, []))
    gov = _unique([f"{c} {p} {t}" for c in ("U.S.", "Chinese", "Japanese", "Dutch", "EU", "UK", "Korean")
                   for p in GOV_PREFIX for t in GOV_TOPIC])
    rng.shuffle(gov)
    for name in gov[:n_gov]:
        short = name.split(" ", 1)[1]
        add(name, ActorType.GovernmentBody, [short] if rng.random() < 0.5 else [])
    orgs = _unique([h + t for h in ORG_HEAD for t in ORG_TAIL])
    rng.shuffle(orgs)
    for name in orgs[:n_orgs]:
        first = name.split(" ")[0]
        add(name, ActorType.Organization, [first] if rng.random() < 0.6 else [])
    people = _unique([f"{f} {last}" for f in FIRST for last in LAST])
    rng.shuffle(people)
    for name in people[:n_people]:
        add(name, ActorType.Person, [name.split(" ")[1]])
    versions = itertools.product(MODEL_BASE, ("2", "3", "4 Pro", "Mini"))
    for i, (base, version) in enumerate(itertools.islice(versions, n_models)):
        add(f"{base}-{version}", ActorType.AIModel, [base] if i % 3 == 0 else [])
    # Mention rank: the two superpowers, then a shuffled mix (so every type has popular members).
    head, rest = actors[:2], actors[2:]
    rng.shuffle(rest)
    return head + rest


def _pick(rng: random.Random, weights: dict[AllegationKind, int] | dict[ActionKind, int]) -> str:
    pairs = [(str(k.value), w) for k, w in weights.items()]
    return rng.choices([k for k, _ in pairs], weights=[w for _, w in pairs])[0]


def world(n_articles: int, seed: int = 7) -> World:
    """Actors, outlets and a plan of facts with enough reports for `n_articles` articles."""
    rng = random.Random(seed)
    actors = _make_actors(rng)
    weights = [1.0 / (r + 1) ** ZIPF_S for r in range(len(actors))]
    cum = list(itertools.accumulate(weights))
    registry = load_registry()
    outlet_names = [o.name for o in registry.outlets if o.kind != "government"]
    rng.shuffle(outlet_names)
    outlet_names += [f"Tech Dispatch {i}" for i in range(20)]  # unknown outlets: default prior
    ow = [1.0 / (r + 1) ** 0.9 for r in range(len(outlet_names))]
    w = World(actors, cum, [], outlet_names, list(itertools.accumulate(ow)), seed)
    for i, a in enumerate(actors):
        w.by_type.setdefault(a.type, []).append(i)
    gov = w.by_type[ActorType.GovernmentBody] + w.by_type[ActorType.Country]
    gov_cum = list(itertools.accumulate(w.actor_weight(i) for i in gov))

    def zipf_gov() -> int:
        return gov[bisect.bisect_left(gov_cum, rng.random() * gov_cum[-1])]

    keys: set[tuple[object, ...]] = set()
    target = int(n_articles * 2.9) + 50
    slots = 0
    span = (LAST_DAY - FIRST_DAY).days
    while slots < target:
        day = FIRST_DAY + timedelta(days=rng.randrange(span))
        size = min(FACT_SIZE_CAP, int(rng.paretovariate(FACT_SIZE_ALPHA)))
        disputed = rng.random() < 0.05 and size > 1
        r = rng.random()
        fact: Fact | None = None
        for _ in range(20):  # redraw on a collision: one fact per (who, whom, kind family)
            if r < 0.45:
                sub = _pick(rng, ALLEGATION_W)
                x, y = w.zipf_actor(rng), w.zipf_actor(rng)
                key: tuple[object, ...] = ("A", x, y, vocabulary.kind_family(sub))
                fig = round(rng.uniform(1, 40), 1) if sub == "distillation" else None
                cand = Fact("Allegation", sub, [x, y], day, size, disputed, figure=fig)
            elif r < 0.8:
                sub = _pick(rng, ACTION_W)
                x, y = zipf_gov(), w.zipf_actor(rng)
                neg = rng.random() < 0.04
                key = ("G", x, y, vocabulary.kind_family(sub), neg)
                cand = Fact("GovernmentAction", sub, [x, y], day, size, disputed, negated=neg)
            else:
                who = sorted({w.zipf_actor(rng) for _ in range(rng.choice((1, 2, 2, 3)))})
                prec = rng.choice(("day", "day", "month"))
                key = ("E", tuple(who), day if prec == "day" else (day.year, day.month))
                cand = Fact("Event", "event", who, day, size, False, event_precision=prec)
            if len(set(cand.roles)) == len(cand.roles) and key not in keys:
                keys.add(key)
                fact = cand
                break
        if fact is None:
            continue
        w.facts.append(fact)
        slots += size
    return w


# ---------------------------------------------------------------- articles


def _spec(value: str, end: str | None = None, qualifier: str | None = None, text: str | None = None) -> TimeSpec:
    return TimeSpec(value=value, precision=precision_of(value), end=end, qualifier=qualifier, text=text)


def _report_date(rng: random.Random, fact: Fact) -> tuple[TimeSpec | None, str]:
    if fact.kind == "Event":
        if fact.event_precision == "month":
            return _spec(fact.day.strftime("%Y-%m")), f" in {fact.day:%B %Y}"
        return _spec(fact.day.isoformat()), f" on {fact.day:%B} {fact.day.day}, {fact.day.year}"
    day = fact.day
    if fact.disputed and rng.random() < 0.15:
        day = day + timedelta(days=rng.choice((-9, -5, 3, 7, 12)))
    r = rng.random()
    if r < 0.5:
        return _spec(day.isoformat()), f" on {day:%B} {day.day}, {day.year}"
    if r < 0.8:
        return _spec(day.strftime("%Y-%m")), f" in {day:%B %Y}"
    if r < 0.9:
        return _spec(str(day.year)), f" in {day.year}"
    return None, ""


def _surface(rng: random.Random, actor: Actor, used: dict[int, list[str]], idx: int) -> str:
    if actor.aliases and rng.random() < 0.3:
        alias = rng.choice(actor.aliases)
        used.setdefault(idx, [])
        if alias not in used[idx]:
            used[idx].append(alias)
        return alias
    used.setdefault(idx, [])
    return actor.name


def _attribution(rng: random.Random) -> tuple[str, list[str], AttributionKind | None, list[str]]:
    r = rng.random()
    hedges = [rng.choice(HEDGES)] if rng.random() < 0.2 else []
    if r < 0.33:
        wire = rng.choice(WIRES)
        return f", according to {wire}", [wire], AttributionKind.outlet, hedges
    if r < 0.45:
        return ", according to people familiar with the matter", ["people familiar with the matter"], \
            AttributionKind.anonymous, hedges
    if r < 0.55:
        return ", unconfirmed reports said", ["unconfirmed reports"], AttributionKind.unconfirmed, hedges
    if r < 0.65:
        return ", the statement said", ["the statement"], AttributionKind.statement, hedges
    return "", [], None, hedges


def extractions(n_articles: int, seed: int = 7, w: World | None = None, prefix: str = "syn") -> Iterator[Extraction]:
    """Exactly `n_articles` Extractions, in publication order, built on demand (doc ids PREFIX000000...)."""
    w = w or world(n_articles, seed)
    rng = random.Random(seed + 1)
    # Every report of every fact, ordered by when it is written (fact date + a few days' lag).
    reports = sorted(
        ((f.day + timedelta(days=int(rng.expovariate(1 / 6))), fi, k)
         for fi, f in enumerate(w.facts) for k in range(f.size)),
        key=lambda t: (t[0], t[1], t[2]),
    )
    pos = 0
    carry: list[tuple[date, int, int]] = []
    for n in range(n_articles):
        want = rng.choices(FACTS_PER_ARTICLE, weights=FACTS_PER_ARTICLE_W)[0]
        picked: list[tuple[date, int, int]] = []
        facts_in: set[int] = set()
        pool = carry
        carry = []
        for item in pool:
            if len(picked) < want and item[1] not in facts_in:
                picked.append(item)
                facts_in.add(item[1])
            else:
                carry.append(item)
        while len(picked) < want and pos < len(reports):
            item = reports[pos]
            pos += 1
            if item[1] in facts_in:
                carry.append(item)
            else:
                picked.append(item)
                facts_in.add(item[1])
        if not picked:  # the plan ran out (tiny n): recycle the first facts
            fi = n % len(w.facts)
            picked = [(w.facts[fi].day, fi, 0)]
        yield _article(rng, w, n, picked, prefix)


def _article(rng: random.Random, w: World, n: int, picked: list[tuple[date, int, int]], prefix: str) -> Extraction:
    doc_id = f"{prefix}{n:06d}"
    published = min(max(d for d, _, _ in picked), LAST_DAY)
    outlet = w.outlets[bisect.bisect_left(w.outlet_cum, rng.random() * w.outlet_cum[-1])]
    used: dict[int, list[str]] = {}
    parts: list[str] = []
    pieces: list[tuple[str, int, Fact, TimeSpec | None, tuple[str, list[str], AttributionKind | None, list[str]]]] = []
    lead = w.facts[picked[0][1]]
    title = f"{w.actors[lead.roles[0]].name} in the spotlight ({doc_id})"
    parts.append(f"{title}.")
    for _, fi, _ in picked:
        f = w.facts[fi]
        spec, when = _report_date(rng, f)
        attr, sources, akind, hedges = _attribution(rng)
        hedge = f" {hedges[0]}" if hedges and hedges[0] in ("reportedly", "allegedly") else ""
        names = [_surface(rng, w.actors[i], used, i) for i in f.roles]
        if f.kind == "Allegation":
            fig = ""
            if f.figure is not None:
                value = f.figure * (rng.choice((0.5, 2.0)) if f.disputed and rng.random() < 0.3 else 1.0)
                fig = f", involving more than {value:.1f} million exchanges"
            s = f"{names[0]}{hedge} accused {names[1]} of {KIND_PHRASE[f.sub]}{when}{fig}{attr}."
        elif f.kind == "GovernmentAction":
            verb = "decided against imposing" if f.negated else "imposed"
            s = f"{names[0]}{hedge} {verb} {KIND_PHRASE[f.sub]} on {names[1]}{when}{attr}."
        else:
            s = f"{' and '.join(names)} met{when} to discuss chips and models{attr}."
        if rng.random() < 0.7:
            parts.append(rng.choice(FILLER))
        pieces.append((s, len(parts), f, spec, (attr, sources, akind, hedges)))
        parts.append(s)
    extra = {w.zipf_actor(rng) for _ in range(rng.randint(0, 3))}
    if extra:
        mention = ", ".join(_surface(rng, w.actors[i], used, i) for i in sorted(extra))
        parts.append(f"The report also mentioned {mention}.")
    parts += rng.sample(FILLER, rng.randint(4, 10))  # the rest of the story
    # Offsets: sentences joined by one space, paragraphs of three sentences.
    text_parts: list[str] = []
    offsets: list[int] = []
    cursor = 0
    for i, p in enumerate(parts):
        sep = "" if i == 0 else ("\n" if i % 3 == 0 else " ")
        cursor += len(sep)
        offsets.append(cursor)
        text_parts.append(sep + p)
        cursor += len(p)
    text = "".join(text_parts)
    article = ArticleRecord(doc_id=doc_id, text=text, title=title, outlet=outlet, published=published,
                            url=f"https://news.example/{slug(outlet)}/{doc_id}")
    allegations: list[AllegationRecord] = []
    actions: list[ActionRecord] = []
    events: list[EventRecord] = []
    for s, idx, f, spec, (_, sources, akind, hedges) in pieces:
        ev = Evidence(sentence=s, start=offsets[idx], end=offsets[idx] + len(s), attributions=sources,
                      attribution_kind=akind, hedges=hedges)
        ids = [w.actors[i].id for i in f.roles]
        if f.kind == "Allegation":
            figures = []
            if "million exchanges" in s:
                raw = s.split("more than ", 1)[1].split(" million", 1)[0]
                v = float(raw) * 1e6
                figures = [Figure(value=v, unit="exchanges", qualifier="more than", low=v, high=v * 1.5,
                                  text=f"more than {raw} million exchanges")]
            status = AllegationStatus.alleged
            r = rng.random()
            if r < 0.08:
                status = AllegationStatus.denied
            elif r < 0.11:
                status = AllegationStatus.confirmed
            allegations.append(AllegationRecord(accuser=ids[0], accused=[ids[1]], kind=AllegationKind(f.sub),
                                                date=spec, figures=figures, status=status,
                                                status_cues=["denied"] if status is AllegationStatus.denied else [],
                                                evidence=ev))
        elif f.kind == "GovernmentAction":
            actions.append(ActionRecord(issuer=ids[0], targets=[ids[1]], kind=ActionKind(f.sub), date=spec,
                                        negated=f.negated, evidence=ev))
        else:
            assert spec is not None
            events.append(EventRecord(date=spec, actors=ids, evidence=ev))
    actors = [w.actors[i].record(sorted(v)) for i, v in sorted(used.items())]
    return Extraction(article=article, actors=actors, allegations=allegations, actions=actions, events=events)
