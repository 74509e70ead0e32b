"""What followed an allegation: LED_TO and RESPONDS_TO links between facts.

Two sources, kept apart on each link so either can be taken back alone:

- **Derived at write time** from one article's records, where that article makes it clear (`derive`):
  - `link/action-on-accused` (LED_TO): a government action (not one decided against) whose target is an accused
    of an allegation in the same article, dated on or after it (the allegation's date, else the period of the
    conduct; both with a year) → the allegation LED_TO the action ("accused in May, sanctioned in June");
  - `link/counter-move` (RESPONDS_TO): the accused turning on the accuser in the same article, an action by the
    accused against the accuser dated on or after the allegation, or a counter-accusation dated after it → it
    RESPONDS_TO the allegation.
  Each link keeps the articles that give it (`articles`, like a role), so replacing or forgetting an article
  takes back the links only it gave. Records carry a denial as the allegation's status (with its cue), not as a
  fact of its own, so a denial is no link: the lifecycle (`kg.queries.lifecycle`) reads it from the status.
- **Set by a curator** as a judgement (`led_to`, `responds_to`: `kg curate link`), or a derived link taken back
  (`not_linked`: `kg curate unlink`). Judgements are data: the writer applies the standing ones to every fact it
  refreshes (`sync`), so they survive re-ingest and travel with `kg curate export|import`.

A link holds when an article or a curator gives it and no standing `not_linked` takes it back (`unlinked_by`
null); the reads filter on that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import neo4j

from kg.cypher import links as lq
from kg.facts import Canon, _ids, action_id, allegation_id
from ontology.models import (
    LINK_JUDGEMENTS,
    LINK_RELATIONS,
    AllegationRecord,
    Extraction,
    JudgementKind,
    TimeSpec,
)
from ontology.vocabulary import vocabulary

LED_TO = vocabulary.rel_type(LINK_RELATIONS[JudgementKind.led_to])
RESPONDS_TO = vocabulary.rel_type(LINK_RELATIONS[JudgementKind.responds_to])
LINK_TYPES = (LED_TO, RESPONDS_TO)
REL_TYPE = {kind: vocabulary.rel_type(rel) for kind, rel in LINK_RELATIONS.items()}

RULE_ACTION_ON_ACCUSED = "link/action-on-accused"
RULE_COUNTER_MOVE = "link/counter-move"


def _start(spec: TimeSpec | None) -> str | None:
    b = spec.bounds() if spec is not None else None
    return b[0].isoformat() if b else None


def _when(al: AllegationRecord) -> str | None:
    return _start(al.date) or _start(al.period)


def derive(ex: Extraction, canon: Canon | None = None) -> list[dict[str, Any]]:
    """The links one article's records make clear, as rows {type, a, b, article_id, rule} (a → b), fact ids
    keyed on canonical actors as the writer keys the facts."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    article_id = ex.article.id

    def add(rel_type: str, a: str, b: str, rule: str) -> None:
        if a != b:
            out.setdefault((rel_type, a, b), {"type": rel_type, "a": a, "b": b, "article_id": article_id,
                                              "rule": rule})

    for al in ex.allegations:
        when = _when(al)
        if when is None:
            continue
        accuser = _ids([al.accuser], canon)[0]
        accused = set(_ids(al.accused, canon))
        al_id = allegation_id(al, canon)
        for ac in ex.actions:
            ac_when = _start(ac.date)
            if ac.negated or ac_when is None or ac_when < when:
                continue
            issuer = _ids([ac.issuer], canon)[0]
            targets = set(_ids(ac.targets, canon))
            if issuer not in accused and targets & accused:
                add(LED_TO, al_id, action_id(ac, canon), RULE_ACTION_ON_ACCUSED)
            if issuer in accused and accuser in targets:
                add(RESPONDS_TO, action_id(ac, canon), al_id, RULE_COUNTER_MOVE)
        for other in ex.allegations:
            other_when = _when(other)
            if other is al or other_when is None or other_when <= when:  # the same day: who answers whom?
                continue
            if _ids([other.accuser], canon)[0] in accused and accuser in set(_ids(other.accused, canon)):
                add(RESPONDS_TO, allegation_id(other, canon), al_id, RULE_COUNTER_MOVE)
    return [out[k] for k in sorted(out)]


def by_type(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        grouped.setdefault(str(r["type"]), []).append(dict(r))
    return grouped


def write_derived(tx: neo4j.ManagedTransaction, rows: list[dict[str, Any]]) -> None:
    """In the writer's transaction, after the facts: MERGE each derived link and add its article to it."""
    for rel_type, typed in sorted(by_type(rows).items()):
        tx.run(lq.LINK_DERIVED[rel_type], rows=typed).consume()


def release_article(tx: neo4j.ManagedTransaction, article_id: str) -> None:
    """Before an article's evidence goes: its id leaves the links it gave; a link no article and no curator
    gives any more is removed."""
    tx.run(lq.RELEASE_ARTICLE_LINKS_CYPHER, article_id=article_id).consume()


def sync(tx: neo4j.ManagedTransaction, fact_ids: list[str]) -> None:
    """In every refresh: the standing link judgements applied to the links of these facts, from scratch (a
    judgement undone leaves nothing behind; one whose facts are not there waits, like a verdict)."""
    if not fact_ids:
        return
    tx.run(lq.RESET_LINK_JUDGEMENTS_CYPHER, ids=fact_ids).consume()
    wanted = set(fact_ids)
    standing = [r for r in tx.run(lq.STANDING_LINK_JUDGEMENTS_CYPHER,
                                  kinds=[k.value for k in LINK_JUDGEMENTS]).data()
                if r["subject"] in wanted or r["other"] in wanted]
    curated: dict[str, list[dict[str, Any]]] = {}
    unlinked: list[dict[str, Any]] = []
    for r in standing:  # oldest first: on one pair the latest judgement of a kind wins
        row = {"a": r["subject"], "b": r["other"], "judgement": r["id"], "curator": r["curator"],
               "note": r["note"] or None}
        if r["kind"] == JudgementKind.not_linked.value:
            unlinked.append(row)
        else:
            curated.setdefault(REL_TYPE[JudgementKind(r["kind"])], []).append(row)
    for rel_type, rows in sorted(curated.items()):
        tx.run(lq.LINK_CURATED[rel_type], rows=rows).consume()
    if unlinked:
        tx.run(lq.MARK_UNLINKED_CYPHER, rows=unlinked).consume()
    tx.run(lq.DELETE_EMPTY_LINKS_CYPHER, ids=fact_ids).consume()
