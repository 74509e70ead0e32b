"""Writing extraction records into the graph: one article per transaction, idempotent, with provenance.

Re-ingesting an article changes nothing (its id is the hash of its text). A corrected version (same
URL, or same doc_id when there is no URL, but new text) replaces the old one's evidence. Forgetting an
article removes its evidence, the facts no other article supports, and actors no article mentions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import neo4j

from kg import cypher as q
from kg.db import Graph
from kg.facts import article_rows, summarise
from kg.outlets import OutletRegistry, load_registry
from kg.reliability import ReliabilityWeights
from ontology.models import Extraction


class WriteStatus(StrEnum):
    new = "new"
    unchanged = "unchanged"
    replaced = "replaced"


@dataclass
class ForgetResult:
    found: bool
    facts_removed: int = 0
    facts_kept: int = 0
    actors_removed: int = 0


def source_key(ex: Extraction) -> str:
    return f"url:{ex.article.url}" if ex.article.url else f"doc:{ex.article.doc_id}"


class GraphWriter:
    def __init__(self, graph: Graph, outlets: OutletRegistry | None = None,
                 weights: ReliabilityWeights | None = None) -> None:
        self.graph = graph
        self.outlets = outlets or load_registry()
        self.weights = weights or ReliabilityWeights()

    # ------------------------------------------------------------ public

    def write(self, ex: Extraction) -> WriteStatus:
        """Write one article and everything extracted from it, atomically."""
        return self.graph.write_transaction(lambda tx: self._write(tx, ex))

    def forget(self, article_id: str) -> ForgetResult:
        return self.graph.write_transaction(lambda tx: self._forget(tx, article_id))

    def refresh_all(self) -> int:
        """Recompute every fact's summary (after editing outlet priors or reliability weights)."""
        ids = [r["id"] for r in self.graph.read(q.ALL_FACT_IDS_CYPHER)]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            self.graph.write_transaction(lambda tx, c=chunk: self._refresh(tx, c))  # type: ignore[misc]
        return len(ids)

    def sync_outlets(self) -> int:
        """Write the registry's outlets (names, priors, notes) to the graph."""
        rows = [o.row() for o in self.outlets.outlets]
        self.graph.write(q.UPSERT_OUTLETS_CYPHER, {"rows": rows})
        return len(rows)

    # ------------------------------------------------------------ transaction functions

    def _write(self, tx: neo4j.ManagedTransaction, ex: Extraction) -> WriteStatus:
        art = ex.article
        key = source_key(ex)
        existing = tx.run(q.FIND_ARTICLE_CYPHER, id=art.id, source_key=key).data()
        if any(r["id"] == art.id for r in existing):
            return WriteStatus.unchanged
        touched_facts: set[str] = set()
        touched_actors: set[str] = set()
        for old in existing:
            facts, actors = self._delete_article(tx, old["id"])
            touched_facts |= facts
            touched_actors |= actors

        rows = article_rows(ex, self.outlets)
        publisher = self.outlets.resolve(art.outlet, art.url)
        outlet_rows = dict(rows.cited_outlets)
        if publisher:
            outlet_rows[publisher.id] = publisher.row()
        if outlet_rows:
            tx.run(q.UPSERT_OUTLETS_CYPHER, rows=list(outlet_rows.values())).consume()
        tx.run(q.UPSERT_ARTICLE_CYPHER, row={
            "id": art.id, "doc_id": art.doc_id, "url": art.url, "title": art.title,
            "published": art.published.isoformat() if art.published else None,
            "outlet": publisher.name if publisher else art.outlet, "outlet_id": publisher.id if publisher else None,
            "source_key": key, "source_path": art.source_path, "text": art.text,
            "extractor_version": ex.extractor_version,
        }).consume()
        if publisher:
            tx.run(q.LINK_PUBLISHER_CYPHER, article_id=art.id, outlet_id=publisher.id).consume()
        actor_rows: list[dict[str, Any]] = [
            {"id": a.id, "name": a.name, "type": a.type.value, "aliases": sorted(set(a.aliases)), "source": a.source}
            for a in ex.actors
        ]
        if actor_rows:
            known = {r["id"] for r in tx.run(q.EXISTING_ACTORS_CYPHER, ids=[r["id"] for r in actor_rows]).data()}
            new_by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in actor_rows:
                if row["id"] not in known:
                    new_by_type[row["type"]].append(row)
            for actor_type, new_rows in new_by_type.items():
                tx.run(q.CREATE_ACTOR[actor_type], rows=new_rows).consume()
            tx.run(q.UPSERT_ACTORS_CYPHER, rows=actor_rows, article_id=art.id).consume()
        for label, fact_rows in rows.facts.items():
            tx.run(q.UPSERT_FACT[label], rows=fact_rows).consume()
        for relation, role_rows in rows.roles.items():
            tx.run(q.LINK_ROLE[relation], rows=role_rows).consume()
        if rows.evidence:
            tx.run(q.UPSERT_EVIDENCE_CYPHER, rows=rows.evidence).consume()
        if rows.mentions:
            tx.run(q.LINK_EVIDENCE_MENTIONS_CYPHER, rows=rows.mentions).consume()
        if rows.cites:
            tx.run(q.LINK_CITES_CYPHER, rows=rows.cites).consume()
        self._refresh(tx, sorted(touched_facts | set(rows.fact_ids)))
        self._drop_orphans(tx, touched_facts, touched_actors)
        return WriteStatus.replaced if existing else WriteStatus.new

    def _delete_article(self, tx: neo4j.ManagedTransaction, article_id: str) -> tuple[set[str], set[str]]:
        facts = {r["fact_id"] for r in tx.run(q.ARTICLE_FACTS_CYPHER, article_id=article_id).data()}
        actors = {r["actor_id"] for r in tx.run(q.ARTICLE_ACTORS_CYPHER, article_id=article_id).data()}
        tx.run(q.DELETE_ARTICLE_EVIDENCE_CYPHER, article_id=article_id).consume()
        tx.run(q.DELETE_ARTICLE_CYPHER, article_id=article_id).consume()
        return facts, actors

    def _drop_orphans(self, tx: neo4j.ManagedTransaction, facts: set[str], actors: set[str]) -> tuple[int, int]:
        removed_facts = removed_actors = 0
        if facts:
            removed_facts = _single_int(tx.run(q.DELETE_UNSUPPORTED_FACTS_CYPHER, ids=sorted(facts)), "deleted")
        if actors:
            removed_actors = _single_int(tx.run(q.DELETE_UNMENTIONED_ACTORS_CYPHER, ids=sorted(actors)), "deleted")
        return int(removed_facts), int(removed_actors)

    def _forget(self, tx: neo4j.ManagedTransaction, article_id: str) -> ForgetResult:
        exists = tx.run(q.FIND_ARTICLE_CYPHER, id=article_id, source_key=None).data()
        if not exists:
            return ForgetResult(found=False)
        facts, actors = self._delete_article(tx, article_id)
        removed_facts, removed_actors = self._drop_orphans(tx, facts, actors)
        kept = sorted(facts)
        self._refresh(tx, kept)  # facts that were deleted simply return no evidence
        return ForgetResult(found=True, facts_removed=removed_facts, facts_kept=len(facts) - removed_facts,
                            actors_removed=removed_actors)

    def _refresh(self, tx: neo4j.ManagedTransaction, fact_ids: list[str]) -> None:
        if not fact_ids:
            return
        evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
        meta: dict[str, tuple[str, bool]] = {}
        for r in tx.run(q.FACT_EVIDENCE_CYPHER, ids=fact_ids).data():
            row = dict(r["evidence"])
            row.update(id=r["evidence_id"], outlet_id=r["outlet_id"], outlet_prior=r["outlet_prior"],
                       cited_ids=r["cited_ids"], cited_priors=r["cited_priors"])
            evidence[r["fact_id"]].append(row)
            meta[r["fact_id"]] = (r["fact_type"], bool(r["negated"]))
        roles: dict[str, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
        for r in tx.run(q.FACT_ROLES_CYPHER, ids=fact_ids).data():
            roles[r["fact_id"]][r["role"]].append((r["position"] or 0, r["name"]))
        summaries: list[dict[str, Any]] = []
        conflicts: list[dict[str, Any]] = []
        for fact_id, rows in evidence.items():
            fact_type, negated = meta[fact_id]
            named = {role: [n for _, n in sorted(v)] for role, v in roles[fact_id].items()}
            props, pairs = summarise(fact_id, fact_type, negated, rows, named, self.weights)
            summaries.append({"id": fact_id, "props": props})
            conflicts += [p.row(fact_id) for p in pairs]
        if summaries:
            tx.run(q.SET_FACT_SUMMARY_CYPHER, rows=summaries).consume()
        tx.run(q.DELETE_FACT_CONFLICTS_CYPHER, ids=fact_ids).consume()
        if conflicts:
            tx.run(q.CREATE_CONFLICTS_CYPHER, rows=conflicts).consume()


def _single_int(result: neo4j.Result, key: str) -> int:
    record = result.single()
    return int(record[key]) if record is not None and record[key] is not None else 0
