"""Curation: people fix the graph, and their decisions are data (the nomenklatura model).

Every decision is a `Judgement` node (ontology.models.Judgement): two actors are the same, not the same, or a
curator is unsure; a fact is rejected or confirmed. Each has who, when and a note; undoing one sets its
`deleted_at`, so nothing is lost and every decision can be reversed. The writer applies the standing
judgements on every write (kg/writer.py): fact keys are computed from canonical actor ids, and a fact's verdict
is one of its summary properties, so re-ingesting, `kg reextract` and `kg refresh` keep every decision.

Recording or undoing a `same` judgement writes again, in the same transaction, every article that names one
of the actors concerned (from the extraction record stored with it, not by extracting again): merging moves
the facts to the canonical actor, and undoing gives back exactly the graph before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import neo4j
from pydantic import ValidationError

from kg import queries
from kg.cypher import curation as cq
from kg.cypher import links as lq
from kg.db import Graph
from kg.errors import KGError
from kg.judgements import canonical_map, clusters
from kg.links import REL_TYPE
from kg.writer import GraphWriter
from ontology.models import ACTOR_JUDGEMENTS, FACT_VERDICTS, LINK_JUDGEMENTS, LINK_KINDS, Judgement, JudgementKind
from ontology.vocabulary import vocabulary


@dataclass
class Outcome:
    """What one curation did, in one line for the command line and the app."""

    judgements: list[Judgement]
    articles_rewritten: int = 0
    message: str = ""

    def line(self) -> str:
        return self.message


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _props(j: Judgement) -> dict[str, Any]:
    return {"kind": j.kind.value, "subject": j.subject, "other": j.other, "curator": j.curator,
            "created_at": j.created_at.isoformat(), "note": j.note,
            "deleted_at": j.deleted_at.isoformat() if j.deleted_at else None, "deleted_by": j.deleted_by,
            "extracted_ids": j.extracted_ids or None}  # an empty list is stored as no property


def _from_props(props: dict[str, Any]) -> Judgement:
    return Judgement.model_validate({k: v for k, v in props.items() if k != "id" and v is not None})


def _curator(curator: str) -> str:
    name = curator.strip()
    if not name:
        raise KGError("a curator name is needed to record a judgement (--curator NAME, or KG_CURATOR)")
    return name


class Curator:
    """The curation API over one graph: the command line and the app call these, nothing else writes
    judgements."""

    def __init__(self, graph: Graph, writer: GraphWriter | None = None) -> None:
        self.graph = graph
        self.writer = writer or GraphWriter(graph)

    # ------------------------------------------------------------ reads

    def log(self) -> list[Judgement]:
        """Every judgement ever recorded, undone ones included, oldest first."""
        return [_from_props(r["judgement"]) for r in self.graph.read(cq.JUDGEMENTS_CYPHER)]

    def get(self, judgement_id: str) -> Judgement:
        rows = self.graph.read(cq.JUDGEMENT_CYPHER, {"id": judgement_id.strip()})
        if not rows:
            raise KGError(f"no judgement {judgement_id!r} (see kg curate log)")
        return _from_props(rows[0]["judgement"])

    def canon(self) -> dict[str, str]:
        same = self.graph.read(cq.STANDING_ACTOR_JUDGEMENTS_CYPHER, {"kinds": [JudgementKind.same.value]})
        return canonical_map(same)

    def actor_id(self, name: str) -> str:
        """The actor a name, alias or id names (itself, not the actor it may be merged into)."""
        found = queries.resolve_actor(self.graph, name, canonical=False)
        if found is None:
            raise KGError(f"no actor named {name!r} (give a name, alias or id; see kg query actor)")
        return found

    def describe(self, actor_id: str) -> str:
        rows = self.graph.read(cq.ACTOR_NAMES_CYPHER, {"ids": [actor_id]})
        return f"{rows[0]['name']} ({actor_id})" if rows else actor_id

    # ------------------------------------------------------------ actor judgements

    def merge(self, a: str, b: str, curator: str, note: str = "", at: datetime | None = None) -> Outcome:
        """Record that the actors `a` and `b` name are one; `a`'s canonical actor absorbs `b`'s."""
        return self.judge_actors(JudgementKind.same, a, b, curator, note, at)

    def judge_actors(self, kind: JudgementKind, a: str, b: str, curator: str, note: str = "",
                     at: datetime | None = None) -> Outcome:
        if kind not in ACTOR_JUDGEMENTS:
            raise KGError(f"{kind.value!r} is a verdict on a fact, not a judgement about two actors")
        first, second = self.actor_id(a), self.actor_id(b)
        canon = self.canon()
        ca, cb = canon.get(first, first), canon.get(second, second)
        if ca == cb:
            raise KGError(f"{self.describe(first)} and {self.describe(second)} are already one actor"
                          + ("" if first == second else f" ({self.describe(ca)})"))
        if kind is JudgementKind.same:
            apart = self._standing_between(JudgementKind.not_same, ca, cb, canon)
            if apart:
                raise KGError(f"{self.describe(ca)} and {self.describe(cb)} were judged not the same "
                              f"(judgement {apart.id}): undo it first")
        j = Judgement(kind=kind, subject=ca, other=cb, curator=_curator(curator), created_at=at or now(), note=note)
        n = self._apply(j)
        words = vocabulary.words(kind.value, "JudgementKind")
        verb = f"merged {self.describe(cb)} into {self.describe(ca)}" if kind is JudgementKind.same else \
            f"recorded {self.describe(ca)} and {self.describe(cb)}: {words}"
        tail = f"; {n} articles written again" if kind is JudgementKind.same else ""
        return Outcome([j], n, f"{verb} (judgement {j.id}{tail})")

    def split(self, a: str, curator: str, at: datetime | None = None) -> Outcome:
        """Undo every standing `same` judgement of the cluster `a` is in: each of its actors stands alone again."""
        actor = self.actor_id(a)
        canon = self.canon()
        root = canon.get(actor, actor)
        members = set(clusters(canon).get(root, []))
        if not members:
            raise KGError(f"{self.describe(actor)} is not merged with any other actor")
        standing = [_from_props(r["judgement"]) for r in self.graph.read(cq.JUDGEMENTS_CYPHER)]
        undo = [j for j in standing if j.active and j.kind is JudgementKind.same
                and (j.subject in members or j.other in members)]
        when = at or now()
        by = _curator(curator)
        n = self.graph.write_transaction(lambda tx: self._undo_many(tx, undo, when, by))
        undone = f"{len(undo)} judgement{'s' if len(undo) != 1 else ''} undone"
        return Outcome(undo, n, f"split {self.describe(root)} into {len(members)} actors "
                                f"({undone}; {n} articles written again)")

    # ------------------------------------------------------------ fact verdicts

    def verdict(self, kind: JudgementKind, fact_id: str, curator: str, note: str = "",
                at: datetime | None = None) -> Outcome:
        if kind not in FACT_VERDICTS:
            raise KGError(f"{kind.value!r} is a judgement about two actors, not a verdict on a fact")
        rows = self.graph.read(cq.FACT_EXISTS_CYPHER, {"id": fact_id.strip()})
        if not rows:
            raise KGError(f"no fact {fact_id!r} (fact ids are in kg query timeline --json and the app's claim trace)")
        extracted = [r["id"] for r in self.graph.read(cq.FACT_EXTRACTED_IDS_CYPHER, {"id": rows[0]["id"]})]
        j = Judgement(kind=kind, subject=rows[0]["id"], curator=_curator(curator), created_at=at or now(), note=note,
                      extracted_ids=extracted)
        self._apply(j)
        return Outcome([j], 0, f"{vocabulary.words(kind.value, 'JudgementKind')}: {rows[0]['title']} "
                               f"(judgement {j.id})")

    def reject(self, fact_id: str, curator: str, note: str = "", at: datetime | None = None) -> Outcome:
        return self.verdict(JudgementKind.rejected, fact_id, curator, note, at)

    def confirm(self, fact_id: str, curator: str, note: str = "", at: datetime | None = None) -> Outcome:
        return self.verdict(JudgementKind.confirmed, fact_id, curator, note, at)

    # ------------------------------------------------------------ links between facts

    def _fact(self, fact_id: str) -> dict[str, Any]:
        rows = self.graph.read(cq.FACT_EXISTS_CYPHER, {"id": fact_id.strip()})
        if not rows:
            raise KGError(f"no fact {fact_id!r} (fact ids are in kg query timeline --json and the app's claim trace)")
        return dict(rows[0])

    def _standing_links(self, a: str, b: str, kinds: Iterable[JudgementKind]) -> list[Judgement]:
        wanted = set(kinds)
        return [j for j in self.log() if j.active and j.kind in wanted and j.subject == a and j.other == b]

    def link(self, a: str, b: str, kind: JudgementKind, curator: str, note: str = "",
             at: datetime | None = None) -> Outcome:
        """Record that fact `a` LED_TO / RESPONDS_TO fact `b` (a standing `not_linked` on the pair is undone)."""
        if kind not in LINK_KINDS:
            raise KGError(f"{kind.value!r} is not a link between facts (led_to or responds_to)")
        fa, fb = self._fact(a), self._fact(b)
        if fa["id"] == fb["id"]:
            raise KGError("a fact cannot be linked to itself")
        already = self._standing_links(fa["id"], fb["id"], [kind])
        if already:
            raise KGError(f"already recorded: {self.summary(already[0])} (judgement {already[0].id})")
        by = _curator(curator)
        when = at or now()
        j = Judgement(kind=kind, subject=fa["id"], other=fb["id"], curator=by, created_at=when, note=note)
        lifted = self._standing_links(fa["id"], fb["id"], [JudgementKind.not_linked])

        def work(tx: neo4j.ManagedTransaction) -> int:
            for old in lifted:
                tx.run(cq.MARK_JUDGEMENT_DELETED_CYPHER, id=old.id, at=when.isoformat(), by=by).consume()
            return self._store(tx, [j])

        self.graph.write_transaction(work)
        return Outcome([j], 0, f"{self.summary(j)} (judgement {j.id})")

    def unlink(self, a: str, b: str, curator: str, kind: JudgementKind | None = None, note: str = "",
               at: datetime | None = None) -> Outcome:
        """Take back the link from fact `a` to fact `b` (of `kind`, else every one): a curator's link is undone;
        one the writer derived from an article is taken back by a `not_linked` judgement (undo it to restore)."""
        if kind is not None and kind not in LINK_KINDS:
            raise KGError(f"{kind.value!r} is not a link between facts (led_to or responds_to)")
        fa, fb = self._fact(a), self._fact(b)
        kinds = [kind] if kind is not None else list(LINK_KINDS)
        undo = self._standing_links(fa["id"], fb["id"], kinds)
        types = {REL_TYPE[k] for k in kinds}
        derived = [r for r in self.graph.read(lq.PAIR_LINKS_CYPHER, {"a": fa["id"], "b": fb["id"]})
                   if r["type"] in types and r["articles"] and r["unlinked_by"] is None]
        if not undo and not derived:
            raise KGError(f"no link from {fa['title']} to {fb['title']} to take back")
        by = _curator(curator)
        when = at or now()
        made = [Judgement(kind=JudgementKind.not_linked, subject=fa["id"], other=fb["id"], curator=by,
                          created_at=when, note=note)] if derived else []

        def work(tx: neo4j.ManagedTransaction) -> int:
            for old in undo:
                tx.run(cq.MARK_JUDGEMENT_DELETED_CYPHER, id=old.id, at=when.isoformat(), by=by).consume()
            if made:
                return self._store(tx, made)
            self.writer.refresh_facts(tx, [fa["id"], fb["id"]])
            return 0

        self.graph.write_transaction(work)
        parts = [f"undone: {self.summary(j)} (judgement {j.id})" for j in undo]
        parts += [f"{self.summary(j)} (judgement {j.id}; the link extraction derived is taken back)" for j in made]
        return Outcome([*undo, *made], 0, "; ".join(parts))

    # ------------------------------------------------------------ undo, export, import

    def undo(self, judgement_id: str, curator: str, at: datetime | None = None) -> Outcome:
        j = self.get(judgement_id)
        if not j.active:
            raise KGError(f"judgement {j.id} was already undone ({j.deleted_at:%Y-%m-%d %H:%M} by {j.deleted_by})")
        by = _curator(curator)
        when = at or now()
        n = self.graph.write_transaction(lambda tx: self._undo_many(tx, [j], when, by))
        return Outcome([j], n, f"undone: judgement {j.id} ({self.summary(j)})"
                               + (f"; {n} articles written again" if j.kind is JudgementKind.same else ""))

    def export_lines(self) -> list[str]:
        """The log as JSON Lines: one judgement per line, oldest first (what `kg curate import` reads)."""
        return [j.model_dump_json() for j in self.log()]

    def import_lines(self, lines: Iterable[str], source: str = "judgements") -> Outcome:
        """Store the judgements of a JSON Lines file (by id: importing twice changes nothing) and apply them."""
        judgements: list[Judgement] = []
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                judgements.append(Judgement.model_validate_json(line))
            except ValidationError as exc:
                raise KGError(f"{source}, line {n}: not a judgement ({exc.errors()[0]['msg']})") from exc
        n = self.graph.write_transaction(lambda tx: self._store(tx, judgements))
        return Outcome(judgements, n, f"imported {len(judgements)} judgements; {n} articles written again")

    def summary(self, j: Judgement) -> str:
        """One line a reader understands: 'same actor: OpenAI (openai) and Open AI (open-ai)'."""
        words = vocabulary.words(j.kind.value, "JudgementKind")
        if j.kind in LINK_JUDGEMENTS and j.other is not None:
            titles = {r["id"]: r["title"] for r in
                      self.graph.read(lq.FACT_TITLES_CYPHER, {"ids": [j.subject, j.other]})}
            verb = f"{words} to" if j.kind is JudgementKind.not_linked else words
            return f"{titles.get(j.subject) or 'fact ' + j.subject} {verb} {titles.get(j.other) or 'fact ' + j.other}"
        if j.other is not None:
            return f"{words}: {self.describe(j.subject)} and {self.describe(j.other)}"
        rows = self.graph.read(cq.FACT_EXISTS_CYPHER, {"id": j.subject})
        if not rows and j.extracted_ids:  # its fact was split or merged since: name the facts it bears on now
            now_ids = [r["id"] for r in self.graph.read(cq.FACTS_EXTRACTED_AS_CYPHER, {"ids": j.extracted_ids})]
            rows = [r for i in now_ids for r in self.graph.read(cq.FACT_EXISTS_CYPHER, {"id": i})]
        named = "; ".join(sorted(r["title"] for r in rows)) if rows else "fact"
        return f"{words}: {named} ({j.subject})"

    # ------------------------------------------------------------ transaction functions

    def _standing_between(self, kind: JudgementKind, ca: str, cb: str, canon: dict[str, str]) -> Judgement | None:
        for j in self.log():
            if j.active and j.kind is kind and j.other is not None:
                pair = {canon.get(j.subject, j.subject), canon.get(j.other, j.other)}
                if pair == {ca, cb}:
                    return j
        return None

    def _apply(self, j: Judgement) -> int:
        return self.graph.write_transaction(lambda tx: self._store(tx, [j]))

    def _store(self, tx: neo4j.ManagedTransaction, judgements: list[Judgement]) -> int:
        before = canonical_map(tx.run(cq.STANDING_ACTOR_JUDGEMENTS_CYPHER, kinds=[JudgementKind.same.value]).data())
        tx.run(cq.UPSERT_JUDGEMENTS_CYPHER, rows=[{"id": j.id, "props": _props(j)} for j in judgements]).consume()
        return self._reapply(tx, judgements, before)

    def _undo_many(self, tx: neo4j.ManagedTransaction, judgements: list[Judgement], when: datetime, by: str) -> int:
        before = canonical_map(tx.run(cq.STANDING_ACTOR_JUDGEMENTS_CYPHER, kinds=[JudgementKind.same.value]).data())
        for j in judgements:
            tx.run(cq.MARK_JUDGEMENT_DELETED_CYPHER, id=j.id, at=when.isoformat(), by=by).consume()
        return self._reapply(tx, judgements, before)

    def _reapply(self, tx: neo4j.ManagedTransaction, judgements: list[Judgement], before: dict[str, str]) -> int:
        """After judgements changed: write again the articles of every actor whose canonical actor may have
        changed (the clusters the judgements touch, before and after), and refresh the judged facts."""
        after = canonical_map(tx.run(cq.STANDING_ACTOR_JUDGEMENTS_CYPHER, kinds=[JudgementKind.same.value]).data())
        named = {x for j in judgements if j.kind is JudgementKind.same for x in (j.subject, j.other) if x}
        roots = {m.get(x, x) for m in (before, after) for x in named}
        affected = set(named) | {x for m in (before, after) for x, c in m.items() if c in roots} | roots
        rewritten = self.writer.rewrite(tx, sorted(affected)) if affected else 0
        extracted = sorted({x for j in judgements if j.kind in FACT_VERDICTS for x in j.extracted_ids})
        made_of = {r["id"] for r in tx.run(cq.FACTS_EXTRACTED_AS_CYPHER, ids=extracted).data()} if extracted else set()
        facts = sorted({j.subject for j in judgements if j.kind in FACT_VERDICTS} | made_of
                       | {x for j in judgements if j.kind in LINK_JUDGEMENTS for x in (j.subject, j.other) if x})
        if facts or not affected:
            self.writer.refresh_facts(tx, facts)  # advances the graph version even when no fact is named
        return rewritten
