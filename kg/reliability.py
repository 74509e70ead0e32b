"""How far to trust a fact: one score 0-100 and an explanation a journalist can read.

The formula, in words (README, "Source reliability"): each report of a fact has a strength, the prior of
the outlet that stands behind it (the outlet the article cites for the claim, else the article's own
outlet, else the unknown-outlet default) scaled by how the claim is attributed (an on-record statement
or document > a named outlet > anonymous people > unconfirmed reports) and lowered for each hedging cue.
Reports that trace back to the same origin (two articles citing Reuters) count once, at their strongest.
Independent origins combine like independent witnesses: score = 1 - product(1 - strength). A denial by
the accused lowers the result. Weights are settings (KG_RELIABILITY_* environment variables).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ontology.vocabulary import vocabulary


class ReliabilityWeights(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KG_RELIABILITY_", env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore")

    unknown_prior: float = Field(default=50.0, ge=0, le=100)
    statement: float = Field(default=1.0, ge=0, le=1, description="on-record statement or document")
    outlet: float = Field(default=0.9, ge=0, le=1, description="a named outlet reported it")
    unattributed: float = Field(default=0.85, ge=0, le=1, description="the article states it without a source")
    anonymous: float = Field(default=0.7, ge=0, le=1, description="people familiar with the matter")
    unconfirmed: float = Field(default=0.5, ge=0, le=1, description="unconfirmed reports")
    hedge_factor: float = Field(default=0.9, ge=0, le=1, description="multiplier per hedging cue")
    hedge_floor: float = Field(default=0.6, ge=0, le=1, description="lowest multiplier hedging can reach")
    denial_factor: float = Field(default=0.85, ge=0, le=1, description="multiplier when the accused denies")


@dataclass
class Report:
    """One evidence sentence as the score sees it."""

    evidence_id: str
    article_id: str
    outlet_id: str | None
    outlet_prior: float | None
    cited: list[tuple[str, float | None]] = field(default_factory=list)  # (outlet id, prior)
    attribution_kind: str | None = None
    hedges: list[str] = field(default_factory=list)
    denied: bool = False


@dataclass
class Score:
    value: float
    explanation: list[str]
    origins: int
    reports: int

    def props(self) -> dict[str, Any]:
        return {
            "reliability": round(self.value, 1),
            "reliability_explanation": self.explanation,
            "independent_reports": self.origins,
        }


def attribution_weight(kind: str | None, w: ReliabilityWeights) -> float:
    return {
        "statement": w.statement,
        "outlet": w.outlet,
        "anonymous": w.anonymous,
        "unconfirmed": w.unconfirmed,
    }.get(kind or "", w.unattributed)


def hedge_weight(hedges: list[str], w: ReliabilityWeights) -> float:
    return max(w.hedge_floor, w.hedge_factor ** len(set(hedges)))


def origin_of(report: Report) -> tuple[str, float | None, str]:
    """(origin key, prior, how we got it): a cited outlet is the origin of what an article relays."""
    if report.cited:
        # Ties go to the first outlet by name, so the explanation does not depend on the graph's row order.
        ranked = sorted(report.cited, key=lambda c: (-(c[1] if c[1] is not None else -1), c[0]))
        outlet_id, prior = ranked[0]
        return f"outlet:{outlet_id}", prior, f"cites {outlet_id}"
    if report.outlet_id:
        return f"outlet:{report.outlet_id}", report.outlet_prior, f"published by {report.outlet_id}"
    return f"article:{report.article_id}", None, "outlet unknown"


def score(reports: list[Report], w: ReliabilityWeights | None = None) -> Score:
    w = w or ReliabilityWeights()
    if not reports:
        return Score(0.0, ["no report supports this fact"], 0, 0)
    best: dict[str, tuple[float, str]] = {}
    for r in sorted(reports, key=lambda r: r.evidence_id):  # equal strengths: the first evidence explains
        key, prior, how = origin_of(r)
        p = (prior if prior is not None else w.unknown_prior) / 100.0
        a = attribution_weight(r.attribution_kind, w)
        h = hedge_weight(r.hedges, w)
        strength = p * a * h
        said = vocabulary.words(r.attribution_kind, "AttributionKind") if r.attribution_kind else "unattributed"
        why = (f"{how}: prior {p * 100:.0f} × {said} {a:.2f}"
               + (f" × hedging ({', '.join(sorted(set(r.hedges)))}) {h:.2f}" if r.hedges else "")
               + f" = {strength * 100:.0f}")
        if key not in best or strength > best[key][0]:
            best[key] = (strength, why)
    disbelief = 1.0
    for strength, _ in best.values():
        disbelief *= 1.0 - strength
    value = 1.0 - disbelief
    lines = [f"{len(reports)} report(s) from {len(best)} independent origin(s)"]
    lines += [why for _, why in sorted(best.values(), reverse=True)]
    if len(best) > 1:
        lines.append(f"independent origins combined: 1 − Π(1 − strength) = {value * 100:.0f}")
    if any(r.denied for r in reports):
        value *= w.denial_factor
        lines.append(f"the accused denies it: × {w.denial_factor:.2f}")
    value = min(100.0, max(0.0, value * 100.0))
    lines.append(f"reliability {value:.0f}/100")
    return Score(value, lines, len(best), len(reports))
