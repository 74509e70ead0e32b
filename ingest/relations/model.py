"""Linear models over string features, kept as plain JSON (feature -> weight), and the relation model
that turns a document's candidates into allegation and action records.

Inference needs nothing but this file and the weights (`ingest/models/relations.json`); training
(`python -m ingest.train`) uses scikit-learn's logistic regression.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ingest.actions import LOOSENING_PATTERN, TARGET_TYPES, home_country, no_party, qualifies_instrument
from ingest.allegations import ACCUSED_TYPES, ACCUSER_TYPES
from ingest.context import DocContext, Sentence
from ingest.relations.actors import actor_features
from ingest.relations.candidates import ActorSlot, FeatureBuilder, SentenceUnit, build_units
from ingest.syntax import hypothetical
from ontology.models import (
    ActionKind,
    ActionRecord,
    ActorType,
    AllegationKind,
    AllegationRecord,
    AllegationStatus,
    AttributionKind,
    Evidence,
    TimeSpec,
)

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "models" / "relations.json"
FORMAT = "aigeo-relations/1"
# string features (value 1) or weighted ones (the contextual vectors of the tok2vec layer)
Features = list[str] | dict[str, float]
_ISSUER_TYPES = frozenset({ActorType.GovernmentBody, ActorType.Country, ActorType.Person})
# The types each role admits (the rules' own constraints): only states, bodies and officials act; a
# model is never an accuser or accused party (its maker is), but it can be the target of an action.
_ROLE_TYPES = {"allegations": (ACCUSER_TYPES, ACCUSED_TYPES), "actions": (_ISSUER_TYPES, TARGET_TYPES)}


@dataclass
class LinearModel:
    """Binary: weights of the positive class. Multiclass: one weight table per class."""

    weights: dict[str, dict[str, float]]
    bias: dict[str, float]

    def scores(self, features: Features) -> dict[str, float]:
        out = {}
        for cls, w in self.weights.items():
            if isinstance(features, dict):
                out[cls] = self.bias[cls] + sum(w.get(f, 0.0) * v for f, v in features.items())
            else:
                out[cls] = self.bias[cls] + sum(w.get(f, 0.0) for f in features)
        return out

    def prob(self, features: Features) -> float:
        s = self.scores(features)["1"]
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s))))

    def best(self, features: Features) -> str:
        s = self.scores(features)
        return max(s, key=lambda k: s[k])

    def to_json(self) -> dict[str, Any]:
        return {"weights": self.weights, "bias": self.bias}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> LinearModel:
        return cls({k: dict(v) for k, v in raw["weights"].items()}, dict(raw["bias"]))


def kind_features(fb: FeatureBuilder, sent: Sentence, rule_kind: str | None) -> list[str]:
    feats = ["bias", *fb.sentence_features(sent)]
    lemmas = fb.ctx.actors.lemmas
    doc = fb.doc
    for i in range(sent.start, sent.end):
        if doc[i].pos_ in ("VERB", "NOUN", "ADJ") or not fb.parsed:
            feats.append(f"k:lem={lemmas[i]}")
    if rule_kind:
        feats.append(f"k:rule={rule_kind}")
    return list(dict.fromkeys(feats))


FIELDS = ("allegations", "actions")
STAGES = ("sentence", "head", "tail", "kind")


@dataclass
class RelationModel:
    """Per field (allegations, actions): a sentence model (does this sentence state one?), a head model
    (which of its actors accuses / issues), a tail model (which actors it is about, given the head) and
    a kind model. `models[field][stage]`, thresholds `thresholds[field][stage]`."""

    models: dict[str, dict[str, LinearModel]]
    thresholds: dict[str, dict[str, float]]
    meta: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ persistence
    def to_disk(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = {"format": FORMAT, "meta": self.meta, "thresholds": self.thresholds,
               "models": {f: {st: m.to_json() for st, m in ms.items()} for f, ms in self.models.items()}}
        path.write_text(json.dumps(raw, sort_keys=True, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def from_disk(cls, path: Path = DEFAULT_PATH) -> RelationModel:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT:
            raise ValueError(f"{path}: not a relation model of format {FORMAT}")
        models = {f: {st: LinearModel.from_json(m) for st, m in ms.items()} for f, ms in raw["models"].items()}
        if any(set(models.get(f, {})) != set(STAGES) for f in FIELDS) or "keep" not in models.get("actors", {}):
            raise ValueError(f"{path}: expected models {FIELDS} x {STAGES} and actors.keep")
        return cls(models, raw["thresholds"], dict(raw.get("meta") or {}))

    # ------------------------------------------------------------------ inference
    def apply(self, ctx: DocContext, rule_allegations: list[AllegationRecord], rule_actions: list[ActionRecord],
              cited: dict[int, list[tuple[str, AttributionKind]]]) -> tuple[list[AllegationRecord], list[ActionRecord]]:
        fb = FeatureBuilder(ctx)
        units = build_units(ctx, rule_allegations, rule_actions, fb)
        allegations = self._allegations(ctx, fb, self.decide("allegations", ctx, units), rule_allegations, cited)
        actions = self._actions(ctx, fb, self.decide("actions", ctx, units), rule_actions)
        return allegations, actions

    def keep_actor(self, ctx: DocContext) -> Callable[[str], bool]:
        """Whether a name the NER proposed is listed: always when it plays a role in a fact (the facts
        refer to it), else when the actor model says it is a participant."""
        model, threshold = self.models["actors"]["keep"], self.thresholds["actors"]["keep"]

        def keep(key: str) -> bool:
            if key in ctx.actors.in_role:
                return True
            return model.prob(actor_features(ctx.actors, key, ctx.parsed)) >= threshold

        return keep

    def decide(self, fld: str, ctx: DocContext, units: list[SentenceUnit]) -> list[tuple[SentenceUnit, str, list[str]]]:
        """(sentence, head key, tail keys) for every relation of `fld` the models accept."""
        m, th = self.models[fld], self.thresholds[fld]
        out: list[tuple[SentenceUnit, str, list[str]]] = []
        if th.get("enabled", 1.0) <= 0:
            return out  # this field is left to the rules (see TrainConfig)
        for u in units:
            if m["sentence"].prob(u.sentence) < th["sentence"]:
                continue
            head_types, tail_types = _ROLE_TYPES[fld]
            heads = []
            for slot in u.slots:
                if ctx.actors.actors[slot.key].type not in head_types:
                    continue
                if ctx.parsed and _qualifier(ctx, slot, u.slots):
                    continue
                if fld == "actions" and ctx.actors.actors[slot.key].type is ActorType.Person and \
                        not _official(ctx, slot.key):
                    continue  # only officials act for a state (as for the rules): not a defendant or analyst
                if ctx.parsed and fld == "actions" and _modal(ctx, slot):
                    continue  # "the US should further limit ...": a wish, not an act (as for the rules)
                heads.append((m["head"].prob(u.head[slot.key]), slot.key))
            heads.sort(reverse=True)
            chosen = [k for p, k in heads if p >= th["head"]][: int(th.get("max_heads", 3))]
            for h in chosen:
                home = home_country(ctx.actors, h) if fld == "actions" else None
                tails = [t.key for t in u.slots if (h, t.key) in u.pair and t.key not in chosen and t.key != home
                         and ctx.actors.actors[t.key].type in tail_types and not _bystander(ctx, t, u.slots)
                         and m["tail"].prob(u.pair[(h, t.key)]) >= th["tail"]]
                out.append((u, h, tails))
        return out

    def _kind(self, fld: str, fb: FeatureBuilder, sent: Sentence, rule_kind: str | None) -> str:
        return self.models[fld]["kind"].best(kind_features(fb, sent, rule_kind))

    def _allegations(self, ctx: DocContext, fb: FeatureBuilder, decided: list[tuple[SentenceUnit, str, list[str]]],
                     rules: list[AllegationRecord], cited: dict[int, list[tuple[str, AttributionKind]]]
                     ) -> list[AllegationRecord]:
        by_rule = {(r.evidence.start, r.accuser): r for r in rules}
        keep_rules = self.thresholds["allegations"].get("keep_rules", 0.0) > 0
        out: dict[tuple[int, str], AllegationRecord] = dict(by_rule) if keep_rules else {}
        for u, head, tail_keys in decided:
            if not tail_keys:
                continue  # an allegation names whom it accuses (AllegationRecord.accused is not empty)
            sent = u.sent
            hid = ctx.actors.actor_id(head)
            tails = list(dict.fromkeys(ctx.actors.actor_id(k) for k in tail_keys))
            key = (sent.start_char, hid)
            ctx.actors.mark_role(head, *tail_keys)
            if key in out:  # a rule found this accusation: the model may only add whom it accuses
                out[key] = _extended(out[key], "accused", tails)
                continue
            rule = by_rule.get(key)
            kind = AllegationKind(self._kind("allegations", fb, sent, rule.kind.value if rule else None))
            if rule is not None:
                out[key] = rule.model_copy(update={"accused": tails, "kind": kind,
                                                   "evidence": _with_model(rule.evidence)})
                continue
            sources = cited.get(sent.index, [])
            akind = sources[0][1] if sources else AttributionKind.statement
            hedges = list(dict.fromkeys(m.group(0) for m in ctx.lex.hedges.finditer(sent.text)))
            out[key] = AllegationRecord(
                accuser=hid, accused=tails, kind=kind, date=_point_date(ctx, sent), status=AllegationStatus.alleged,
                evidence=ctx.evidence(sent, [s for s, _ in sources], akind, hedges, pattern=MODEL_PATTERN))
        return list(out.values())

    def _actions(self, ctx: DocContext, fb: FeatureBuilder, decided: list[tuple[SentenceUnit, str, list[str]]],
                 rules: list[ActionRecord]) -> list[ActionRecord]:
        by_rule = {(r.evidence.start, r.issuer): r for r in rules}
        keep_rules = self.thresholds["actions"].get("keep_rules", 0.0) > 0
        out: dict[tuple[int, str], ActionRecord] = dict(by_rule) if keep_rules else {}
        for u, head, tail_keys in decided:
            sent = u.sent
            hid = ctx.actors.actor_id(head)
            tails = list(dict.fromkeys(ctx.actors.actor_id(k) for k in tail_keys))
            key = (sent.start_char, hid)
            ctx.actors.mark_role(head, *tail_keys)
            if key in out:
                if (out[key].evidence.pattern or "").startswith(LOOSENING_PATTERN):
                    # an eased measure targets who gains, not the places goods may now go (as for the rules)
                    tails = [ctx.actors.actor_id(k) for k in tail_keys
                             if ctx.actors.actors[k].type is not ActorType.Country]
                out[key] = _extended(out[key], "targets", tails)
                continue
            rule = by_rule.get(key)
            if rule is not None:
                kind = rule.kind if rule.negated else ActionKind(self._kind("actions", fb, sent, rule.kind.value))
                out[key] = rule.model_copy(update={"targets": tails, "kind": kind,
                                                   "evidence": _with_model(rule.evidence)})
                continue
            kind = ActionKind(self._kind("actions", fb, sent, None))
            date: TimeSpec | None = ctx.sentence_date(sent)
            if date is None and sent.heading_date is not None:
                date = sent.heading_date
            out[key] = ActionRecord(issuer=hid, targets=tails, kind=kind, date=date,
                                    evidence=ctx.evidence(sent, pattern=MODEL_PATTERN))
        return list(out.values())


MODEL_PATTERN = "model/relations"
R = TypeVar("R", AllegationRecord, ActionRecord)


def _extended(record: R, parties: str, added: list[str]) -> R:
    """A rule's record with the parties the model adds (`accused` or `targets`); its evidence then
    names the model too. Unchanged when the model adds no one."""
    merged = list(dict.fromkeys([*getattr(record, parties), *added]))
    if merged == getattr(record, parties):
        return record
    return record.model_copy(update={parties: merged, "evidence": _with_model(record.evidence)})


def _with_model(e: Evidence) -> Evidence:
    """A rule's evidence whose parties the model changed: both are named ("action/verb+model/relations")."""
    if e.pattern and MODEL_PATTERN in e.pattern:
        return e
    return e.model_copy(update={"pattern": f"{e.pattern}+{MODEL_PATTERN}" if e.pattern else MODEL_PATTERN})


_MODIFIER_DEPS = frozenset({"poss", "compound", "amod", "nmod", "nummod"})


def _qualifier(ctx: DocContext, slot: ActorSlot, slots: list[ActorSlot]) -> bool:
    """An actor named only to qualify another in the same noun phrase: "China's Alibaba", "Chinese
    technology behemoth Alibaba", "U.S. AI trailblazer Anthropic" (the country of the actor)."""
    t = ctx.doc[slot.mention.head]
    if t.dep_ not in _MODIFIER_DEPS:
        return False
    head = t.head
    for _ in range(4):
        if head.dep_ in _MODIFIER_DEPS | {"appos"} and head.head.i != head.i:
            head = head.head
        else:
            break
    lo, hi = head.left_edge.i, head.right_edge.i
    return any(o is not slot and lo <= o.mention.head <= hi and ctx.doc[o.mention.head].dep_ not in _MODIFIER_DEPS
               for o in slots)


def _official(ctx: DocContext, key: str) -> bool:
    """A person the gazetteer lists (a head of state, a minister), or one the text names after an
    official title somewhere ("Commerce Secretary Howard Lutnick", "Sen. Elizabeth Warren")."""
    actor = ctx.actors.actors[key]
    if actor.entity is not None:
        return True
    titles = {t.rstrip(".") for t in ctx.lex.official_titles}
    doc = ctx.doc
    for m in ctx.actors.mentions_of(key):
        if any(doc[i].lower_.rstrip(".") in titles for i in range(max(0, m.start - 3), m.end)):
            return True
    return False


def _modal(ctx: DocContext, slot: ActorSlot) -> bool:
    """The clause the actor is the subject of is modal, conditional, wished-for or held back ("hesitated on
    blacklisting", "declined to sanction": the verb itself is irrealis or a negator)."""
    t = ctx.doc[slot.mention.head]
    while t.dep_ in ("compound", "amod", "appos", "conj") and t.head.i != t.i:
        t = t.head
    if t.dep_ not in ("nsubj", "nsubjpass"):
        return False
    lem = ctx.actors.lemmas[t.head.i]
    return hypothetical(t.head, ctx.lex) or lem in ctx.lex.irrealis_verbs or lem in ctx.lex.negators


def _bystander(ctx: DocContext, slot: ActorSlot, slots: list[ActorSlot]) -> bool:
    """An actor that qualifies another, is told of or urged about the claim ("told U.S. officials
    that ...", "urging U.S. officials to ..."), or acts in a clause of its own: never a party of its own."""
    if not ctx.parsed:
        return False
    if _qualifier(ctx, slot, slots):
        return True
    if ctx.actors.actors[slot.key].type is ActorType.Country and qualifies_instrument(
            ctx.doc[slot.mention.head], ctx.lex, ctx.actors):
        return True  # "US export restrictions were imposed by ...": whose the measure is
    if no_party(ctx.doc[slot.mention.head], ctx.lex, ctx.actors):
        return True
    t = ctx.doc[slot.mention.head]
    while t.dep_ in ("compound", "amod") and t.head.i != t.i:
        t = t.head  # "U.S. officials": the role is the head noun's
    verb = t.head
    lem = ctx.actors.lemmas[verb.i]
    if t.dep_ == "dative":
        return True
    if t.dep_ == "nsubj" and sum(c.dep_ == "nsubj" for c in verb.children) == 1:
        # the subject of an active clause does something itself ("while the company sought intervention, the
        # administration restricted ..."): it is not what the act is done to (a verb with two subjects is a
        # misparse, "the ministry censured Kora Systems" read with two)
        return True
    if t.dep_ == "dobj" and (lem in ctx.lex.report_verbs or lem in ctx.lex.irrealis_verbs) and any(
            c.dep_ in ("ccomp", "xcomp") for c in verb.children):
        return True
    return t.dep_ == "pobj" and verb.lower_ == "to" and ctx.actors.lemmas[verb.head.i] in ctx.lex.report_verbs


def _point_date(ctx: DocContext, sent: Sentence) -> TimeSpec | None:
    if sent.heading_in_sentence and sent.heading_date is not None and sent.heading_date.end is None:
        return sent.heading_date
    return next((d.spec for d in sent.dates if d.spec is not None and d.spec.end is None), None)
