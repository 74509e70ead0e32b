"""CSV export for spreadsheets: one file per fact type, cells made spreadsheet-safe (`_cell`)."""

from __future__ import annotations

import csv
import io
from typing import Any

from kg.dates import display
from kg.export.safe import safe_url
from kg.export.snapshot import Snapshot

_TAIL = ["date", "date_end", "date_precision", "date_display", "date_start", "date_stop", "reliability",
         "independent_reports", "n_articles", "n_evidence", "n_conflicts", "outlets", "cited_outlets", "doc_ids",
         "urls", "first_published", "evidence"]
CSV_COLUMNS: dict[str, list[str]] = {
    "allegations.csv": ["id", "title", "kind", "kinds", "status", "accuser", "accused", *_TAIL],
    "actions.csv": ["id", "title", "kind", "kinds", "negated", "issuer", "targets", *_TAIL],
    "events.csv": ["id", "title", "actors", *_TAIL],
}
_CSV_TYPES = {"allegations.csv": "Allegation", "actions.csv": "GovernmentAction", "events.csv": "Event"}


def _cell(value: Any) -> str:
    """A spreadsheet-safe cell: lists joined with "; ", and text that a spreadsheet would run as a formula
    (= + - @ first) prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = "; ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(snap: Snapshot, filename: str) -> list[dict[str, str]]:
    fact_type = _CSV_TYPES[filename]
    rows = []
    for fid in snap.sorted_facts(fact_type):
        p = snap.facts[fid]
        roles = snap.roles_of(fid)
        arts = snap.articles_of(fid)
        evidence = snap.evidence_of(fid)
        published = sorted(str(snap.articles[a]["published"]) for a in arts if snap.articles[a].get("published"))
        row: dict[str, Any] = {
            "id": fid, "title": p.get("title"), "kind": p.get("kind"), "kinds": p.get("kinds") or [],
            "status": p.get("status"), "negated": p.get("negated"),
            "accuser": roles.get("accuser", []), "accused": roles.get("accused", []),
            "issuer": roles.get("issuer", []), "targets": roles.get("target", []),
            "actors": roles.get("involves", []),
            "date": p.get("date_value"), "date_end": p.get("date_end"), "date_precision": p.get("date_precision"),
            "date_display": p.get("date_display") or display(p.get("date_value"), p.get("date_end"),
                                                             p.get("date_qualifier")),
            "date_start": p.get("date_start"), "date_stop": p.get("date_stop"),
            "reliability": p.get("reliability"), "independent_reports": p.get("independent_reports"),
            "n_articles": p.get("n_articles"), "n_evidence": p.get("n_evidence"), "n_conflicts": p.get("n_conflicts"),
            "outlets": sorted({n for a in arts if (n := snap.outlet_name(a))}),
            "cited_outlets": snap.cited_names(fid),
            "doc_ids": [snap.articles[a].get("doc_id") or a for a in arts],
            "urls": [u for a in arts if (u := safe_url(snap.articles[a].get("url")))],
            "first_published": published[0] if published else None,
            "evidence": "\n".join(
                f"[{snap._article(e).get('doc_id') or snap.evidence_article.get(e, '')}] {snap.evidence[e]['sentence']}"
                for e in evidence),
        }
        rows.append({col: _cell(row.get(col)) for col in CSV_COLUMNS[filename]})
    return rows


def csv_files(snap: Snapshot) -> dict[str, str]:
    """File name -> CSV text (with a BOM so spreadsheet programs read it as UTF-8)."""
    out = {}
    for filename, columns in CSV_COLUMNS.items():
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(csv_rows(snap, filename))
        out[filename] = "\ufeff" + buf.getvalue()
    return out
