"""schema.org ClaimReview export for fact-checkers: one item per allegation."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from kg.export.rdf import iri
from kg.export.safe import safe_url
from kg.export.snapshot import Snapshot
from ontology.models import JudgementKind

PROJECT = {
    "@type": "Organization",
    "name": "AI geopolitics knowledge graph",
    "url": "https://w3id.org/aigeo/kg",
}


MACHINE_MADE = "Machine-made rating: no person has reviewed this claim"


def rating_label(reliability: float | None, origins: int | None, status: str | None) -> str:
    if status == "retracted":
        return "Retracted"
    r = float(reliability or 0.0)
    n = int(origins or 0)
    if r >= 75 and n >= 2:
        label = "Well supported"
    elif n >= 2:
        label = "Corroborated"
    elif r < 40:
        label = "Weakly supported"
    else:
        label = "Single source"
    return f"{label}, denied by the accused" if status == "denied" else label


def _schema_actor(snap: Snapshot, actor_id: str) -> dict[str, Any]:
    t = snap.actor_types.get(actor_id)
    return {"@type": "Person" if t == "Person" else "Organization",
            "name": snap.actors.get(actor_id, {}).get("name", actor_id)}


def claimreview(snap: Snapshot, today: date | None = None) -> dict[str, Any]:
    """schema.org ClaimReview for each allegation: the claim, who made it, where it appeared, how well supported."""
    reviews = []
    for fid in snap.sorted_facts("Allegation"):
        p = snap.facts[fid]
        appearances = []
        for a in snap.articles_of(fid):
            art = snap.articles[a]
            item: dict[str, Any] = {"@type": "NewsArticle"}
            url = safe_url(art.get("url"))
            if url:
                item["url"] = url
            for key, prop in (("headline", "title"), ("datePublished", "published"), ("identifier", "doc_id")):
                if art.get(prop):
                    item[key] = str(art[prop])
            outlet = snap.outlet_name(a)
            if outlet:
                item["publisher"] = {"@type": "Organization", "name": outlet}
            appearances.append(item)
        accusers = [r.actor_id for r in sorted(snap.roles, key=lambda r: r.position or 0)
                    if r.fact_id == fid and r.relation == "accuser"]
        accused = [r.actor_id for r in sorted(snap.roles, key=lambda r: r.position or 0)
                   if r.fact_id == fid and r.relation == "accused"]
        claim: dict[str, Any] = {"@type": "Claim", "name": p.get("title")}
        if accusers:
            claim["author"] = _schema_actor(snap, accusers[0])
        if accused:
            claim["about"] = [_schema_actor(snap, x) for x in accused]
        value, end = p.get("date_value"), p.get("date_end")
        if value and not str(value).startswith("--"):  # when the alleged conduct took place, as the text gives it
            has_end = end and not str(end).startswith("--")
            claim["temporalCoverage"] = f"{value}/{end}" if has_end else str(value)
        claim["appearance"] = appearances
        dated = [x for x in appearances if x.get("datePublished")]
        first = min(dated, key=lambda x: x["datePublished"]) if dated else (appearances[0] if appearances else None)
        if first is not None:
            claim["firstAppearance"] = first
            if first.get("datePublished"):
                claim["datePublished"] = first["datePublished"]
        explanation = p.get("reliability_explanation")
        try:
            lines = json.loads(explanation) if isinstance(explanation, str) else []
        except ValueError:
            lines = []
        reliability = p.get("reliability")
        rating = {
            "@type": "Rating",
            "ratingValue": round(float(reliability)) if reliability is not None else 0,
            "bestRating": 100,
            "worstRating": 0,
            "alternateName": rating_label(reliability, p.get("independent_reports"), p.get("status")),
        }
        # Only a person's confirmation makes a review; anything else says plainly that a machine rated it.
        confirmed = p.get("verdict") == JudgementKind.confirmed
        if not confirmed:
            lines = [MACHINE_MADE, *lines]
        if lines:
            rating["ratingExplanation"] = "; ".join(str(x).rstrip(".") for x in lines) + "."
        reviews.append({
            "@type": "ClaimReview",
            "@id": f"{iri('fact', fid)}#review",
            "url": str(iri("fact", fid)),
            "claimReviewed": p.get("title"),
            "datePublished": (today or date.today()).isoformat(),
            "author": {"@type": "Person", "name": p.get("verdict_by")} if confirmed else PROJECT,
            "reviewRating": rating,
            "itemReviewed": claim,
        })
    return {"@context": "https://schema.org", "@graph": reviews}
