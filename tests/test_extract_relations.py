"""The learned relation and actor models: persistence, the role constraints they share with the rules,
deterministic training, fixed folds, a trigger learned from examples (not from the cue lexicon), and
the actor rules that feed them (acronyms defined in the text, surnames, honorifics, he/she, nationality
adjectives). All sentences are written for these tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ingest.pipeline import Extractor
from ingest.relations.devset import DevDoc, folds, load_dev
from ingest.relations.model import DEFAULT_PATH, RelationModel
from ingest.relations.training import TrainConfig, fit, label_documents
from ingest.score_format import to_score_record
from ontology.models import ArticleRecord
from tests.test_extract_common import actor_names, blank_extractor, extractor, pairs, record

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"

# A tiny annotated set in the dev set's format: "censure" is no cue word of ours, so only the
# examples can teach the models that a censure is a government action.
_TRAIN = [
    ("a01", "Regulators at Poland's competition office censured the drone maker Kestrel Robotics to explain its "
            "sales, according to a statement. The company said it would cooperate with the inquiry.",
     [("competition office", "Kestrel Robotics")]),
    ("a02", "In a rare step, the Brazilian Senate censured Nimbus Cloud after a large data leak last month. "
            "A spokesperson for the company declined to comment.",
     [("Brazilian Senate", "Nimbus Cloud")]),
    ("b01", "On Friday the Kenyan parliament censured Lumo Labs over the content of its chatbot. "
            "The start-up has offices in two cities.",
     [("Kenyan parliament", "Lumo Labs")]),
    ("b02", "Chile's transport ministry censured executives of Orbital Micro last week after a satellite "
            "outage. The hearing lasted an hour.",
     [("transport ministry", "Orbital Micro")]),
    ("c01", "Lawmakers said Argentina's economy ministry censured Ferrum Lithography in May to answer questions "
            "about its exports. The firm makes tools for chip factories.",
     [("economy ministry", "Ferrum Lithography")]),
    ("c02", "Peru's energy ministry censured Zentrix Semiconductor over a disputed power contract, local media "
            "reported. The company builds chips for cars.",
     [("energy ministry", "Zentrix Semiconductor")]),
]


def _dev_docs() -> list[DevDoc]:
    docs = []
    for doc_id, text, acts in _TRAIN:
        names = sorted({n for pair in acts for n in pair})
        gold: dict[str, Any] = {
            "doc_id": doc_id, "actors": [{"name": n, "aliases": [], "type": "Organization"} for n in names],
            "allegations": [], "dated_events": [], "attributions": [],
            "actions": [{"issuer": i, "targets": [t], "kind": "investigation", "date": None,
                         "evidence": text.split(". ")[0] + "."} for i, t in acts]}
        docs.append(DevDoc(ArticleRecord(doc_id=doc_id, text=text), gold))
    return docs


def _write_dev(root: Path) -> Path:
    (root / "gold").mkdir(parents=True)
    lines = []
    for d in _dev_docs():
        lines.append(json.dumps({"doc_id": d.doc_id, "text": d.article.text}))
        (root / "gold" / f"{d.doc_id}.json").write_text(json.dumps(d.gold))
    (root / "articles.jsonl").write_text("\n".join(lines) + "\n")
    return root


def _config() -> TrainConfig:
    cfg = TrainConfig(c=1.0)
    for f in ("allegations", "actions"):
        cfg.thresholds[f].update(sentence=0.5, head=0.5, tail=0.5)
    return cfg


# ---------------------------------------------------------------------------------------------- the model
def test_the_shipped_model_round_trips(tmp_path: Path) -> None:
    model = RelationModel.from_disk(DEFAULT_PATH)
    model.to_disk(tmp_path / "m.json")
    again = RelationModel.from_disk(tmp_path / "m.json")
    assert again.models["actions"]["head"].weights == model.models["actions"]["head"].weights
    assert again.thresholds == model.thresholds


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    (tmp_path / "m.json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(ValueError, match="not a relation model"):
        RelationModel.from_disk(tmp_path / "m.json")


def test_the_default_pipeline_uses_the_model_and_the_blank_one_does_not() -> None:
    assert extractor().relations is not None
    blank = blank_extractor()
    assert blank.relations is None
    rec = to_score_record(blank.extract(ArticleRecord(doc_id="t", text="Anthropic accused DeepSeek of distillation.")))
    assert {"Anthropic", "DeepSeek"} <= actor_names(rec)


def test_a_model_is_never_an_accused_party() -> None:
    rec = record("Google accused StepFun of distilling its Gemini model to build a rival chatbot.")
    assert pairs(rec, "allegations") == {("Google", "StepFun")}


# ---------------------------------------------------------------------------------------------- training
def test_training_is_deterministic_and_learns_a_trigger_from_examples(tmp_path: Path) -> None:
    ex = Extractor.load()
    docs = _dev_docs()
    first = fit(label_documents(ex, docs), _config())
    second = fit(label_documents(ex, docs), _config())
    first.to_disk(tmp_path / "a.json")
    second.to_disk(tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()

    text = "On Monday the Vietnamese security ministry censured Kora Systems over a data breach."
    art = ArticleRecord(doc_id="new", text=text)
    without = to_score_record(ex.finish(ex.analyse(ex.nlp(text), art), None))
    assert not without["actions"]  # "censure" is not in the cue lexicon: the rules see nothing
    learned = to_score_record(ex.finish(ex.analyse(ex.nlp(text), art), first))
    assert {t for (_, t) in pairs(learned, "actions")} == {"Kora Systems"}


def test_folds_are_fixed_and_mix_the_clusters() -> None:
    docs = [DevDoc(ArticleRecord(doc_id=f"{c}{i:02d}", text="x"), {}) for c in "sabcde" for i in range(1, 8)]
    fs = folds(docs)
    assert fs == folds(list(reversed(docs)))
    assert sorted(d for f in fs for d in f) == sorted(d.doc_id for d in docs)
    for f in fs:
        assert {d[0] for d in f} == set("sabcde")


def test_load_dev_names_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        load_dev(tmp_path)


@pytest.mark.skipif(not SCORER.exists(), reason="the dev scorer (../shared/eval/score.py) is not beside the checkout")
def test_evaluate_cross_validates_and_prints_the_scorer_summary(tmp_path: Path) -> None:
    dev = _write_dev(tmp_path / "dev")
    out = subprocess.run([sys.executable, "-m", "ingest.evaluate", "--dev", str(dev), "--scorer", str(SCORER),
                          "--json"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert len(result["folds"]) == 5 and sorted(d for f in result["folds"] for d in f) == [d[0] for d in _TRAIN]
    for key in ("cross_validated", "rules_only"):
        assert set(result[key]) >= {"actors", "allegations", "actions", "dated_events", "grounded"}
    assert result["rules_only"]["actions"]["tp"] == 0  # no rule knows "censure"
    text = subprocess.run([sys.executable, "-m", "ingest.evaluate", "--dev", str(dev), "--scorer", str(SCORER)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600).stdout
    assert text.strip().splitlines()[-1].startswith("actors_f1=")


# ---------------------------------------------------------------------------------------------- actors
def test_an_acronym_defined_in_the_text_is_the_same_actor() -> None:
    # (a body the gazetteer does not know)
    rec = record("Singapore's Cyber Security Agency (CSA) opened an investigation into Nimbus Cloud. "
                 "The CSA said it would report in June.")
    names = actor_names(rec)
    assert "CSA" not in names
    (csa,) = [a for a in rec["actors"] if a["name"] == "Cyber Security Agency"]
    assert "CSA" in csa["aliases"]


def test_a_surname_after_the_full_name_is_the_same_person() -> None:
    rec = record("Graham Doyle, the regulator's deputy commissioner, said Lumo Labs broke the law. "
                 "Doyle said the fine would stand.")
    people = [a for a in rec["actors"] if a["type"] == "Person"]
    assert [p["name"] for p in people] == ["Graham Doyle"]


def test_honorifics_are_not_part_of_a_name() -> None:
    rec = record("Prof Jane Smith of Kestrel University said Zentrix Semiconductor had stolen chip designs.")
    assert ("Jane Smith", "Zentrix Semiconductor") in pairs(rec, "allegations")


def test_she_refers_to_the_person_named_before() -> None:
    rec = record("Senator Maria Ortiz criticised the deal on Tuesday. She said Zentrix Semiconductor had stolen "
                 "chip designs from Orbital Micro.")
    assert ("Maria Ortiz", "Zentrix Semiconductor") in pairs(rec, "allegations")


# ---------------------------------------------------------------------------------------------- patterns
def test_every_fact_names_the_rule_or_model_that_found_it() -> None:
    from tests.test_extract_common import extract

    ex = extract("The Commerce Department added Sugon to the Entity List. Google accused StepFun of stealing "
                 "its chip designs, the company said on Monday.")
    assert [a.evidence.pattern for a in ex.actions] == ["action/carrier-verb"]
    assert [a.evidence.pattern for a in ex.allegations] == ["allegation/accuse-verb"]
    evidence = ex.actions[0].evidence
    assert type(evidence).model_validate_json(evidence.model_dump_json()).pattern == "action/carrier-verb"


def test_a_pattern_name_is_validated() -> None:
    from ontology.models import Evidence

    assert Evidence(sentence="x", start=0, end=1, pattern="action/verb+model/relations").pattern
    with pytest.raises(ValueError):
        Evidence(sentence="x", start=0, end=1, pattern="<script>")


def test_the_trace_shows_the_pattern(graph: Any) -> None:
    from kg import queries
    from kg.writer import GraphWriter
    from tests.test_extract_common import extract

    graph.write("MATCH (n) DETACH DELETE n")
    try:
        ex = extract("The Commerce Department added Sugon to the Entity List on Tuesday, officials said.")
        GraphWriter(graph).write(ex)
        (fact,) = graph.read("MATCH (f:GovernmentAction) RETURN f.id AS id")
        tr = queries.trace(graph, fact["id"])
        assert tr is not None and [e.pattern for e in tr.evidence] == ["action/carrier-verb"]
    finally:
        graph.write("MATCH (n) DETACH DELETE n")


def test_only_officials_among_people_can_issue_for_the_model() -> None:
    from ingest.relations.model import _official
    from tests.test_extract_common import article, extractor

    ex = extractor()
    text = ("Commerce Secretary Maria Okafor said the rule would take effect in May. Daniel Brooks, a vice "
            "president at a consulting firm, said the rule was unprecedented. Okafor spoke in Washington.")
    ctx = ex.analyse(ex.nlp(text), article(text)).ctx
    keys = {a.name: k for k, a in ctx.actors.actors.items()}
    assert _official(ctx, keys["Maria Okafor"])
    assert not _official(ctx, keys["Daniel Brooks"])


def test_the_pattern_table_prints_a_pattern_without_precision_or_recall() -> None:
    from ingest.evaluate import _pattern_table

    table = _pattern_table({"actions": {"action/verb": {"p": None, "r": None, "tp": 0, "pred": 0}}})
    assert table.splitlines()[-1].split() == ["actions:", "action/verb", "-", "-", "0/0"]
