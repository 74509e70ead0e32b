"""Trigger patterns as data (ingest/patterns/*.jsonl): the rows validate, name cue lists that exist, match
what the cue lists say, and every fact carries the id of the row that found it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.allegations import AllegationExtractor
from ingest.context import DocContext
from ingest.lexicon import lemma_of
from ingest.triggers import PATTERNS_DIR, Triggers, load_rows, triggers
from tests.test_extract_common import article, extract, extractor


def _ids(family: str) -> set[str]:
    return {r.id for r in load_rows(family)}


def test_every_row_validates_and_names_cue_lists_that_exist() -> None:
    ex = extractor()
    for family in ("allegations", "actions"):
        compiled = Triggers(family, ex.lexicon, ex.nlp.vocab)  # an unknown cue list raises here
        assert compiled.ids and len(set(compiled.ids)) == len(compiled.ids)
        assert all(r.description for r in compiled.rows)


def test_each_allegation_row_has_its_handler_and_each_action_family_its_row() -> None:
    ex = extractor()
    doc = ex.nlp("Officials said so.")
    ctx = DocContext(doc, article("Officials said so."), ex.gazetteer, ex.lexicon, ex.dates, True)
    assert set(AllegationExtractor(ctx)._handlers) == _ids("allegations")
    assert _ids("actions") == {"action/verb", "action/carrier-verb", "action/loosening", "action/nominal"}


def test_a_bad_row_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    good = (PATTERNS_DIR / "actions.jsonl").read_text(encoding="utf-8")
    (tmp_path / "actions.jsonl").write_text(good + json.dumps({"id": "Action Verb", "description": "x",
                                                               "patterns": [[{"LOWER": "ban"}]]}) + "\n")
    with pytest.raises(ValueError, match=r"actions\.jsonl:5"):
        load_rows("actions", tmp_path)
    (tmp_path / "actions.jsonl").write_text(json.dumps({"id": "action/odd", "description": "x", "patterns": [
        [{"_": {"aigeo_cues": {"INTERSECTS": ["@action.no_such_list"]}}}]]}) + "\n")
    ex = extractor()
    with pytest.raises(ValueError, match=r"no cue list '@action\.no_such_list'"):
        Triggers("actions", ex.lexicon, ex.nlp.vocab, tmp_path)


def test_the_rows_match_what_the_cue_lists_say_inflections_included() -> None:
    ex = extractor()
    lex = ex.lexicon
    text = "Washington accused Beijing, fined Kora, was banning apps and voiced concerns; according to Reuters."
    doc = ex.nlp(text)
    found = triggers("allegations", lex, doc.vocab).by_token(doc)
    words = {doc[i].text: ids for i, ids in found.items()}
    assert words["accused"][0] == "allegation/accuse-verb"
    assert "allegation/penalty-for" in words["fined"]
    assert words["concerns"] == ["allegation/concern"]
    assert words["according"] == ["allegation/according-to"]
    for t in doc:  # the same tokens the lemma look-up finds
        assert (lemma_of(t.lemma_.lower(), t.lower_, lex.accuse_verbs) is not None and t.pos_ == "VERB") <= (
            "allegation/accuse-verb" in found.get(t.i, []))
    acts = triggers("actions", lex, doc.vocab).by_token(doc)
    assert {doc[i].text: ids[0] for i, ids in acts.items()}["banning"] == "action/verb"


def test_every_fact_carries_the_id_of_the_row_that_found_it() -> None:
    ex = extract("The Commerce Department added Inspur to the Entity List. The White House exempted Apple from the "
                 "tariffs. Microsoft accused Storm-0558 of hacking its servers.")
    rows = _ids("actions") | _ids("allegations")
    patterns = [a.evidence.pattern for a in [*ex.actions, *ex.allegations]]
    assert patterns and all(p in rows or p.endswith("+model/relations") or p == "model/relations" for p in patterns)
    assert {"action/carrier-verb", "action/loosening", "allegation/accuse-verb"} <= set(patterns)
