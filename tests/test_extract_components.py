"""The extraction as spaCy components: the order `ingest/config.cfg` gives and `analyze_pipes` shows, what
each component leaves on the Doc, a saved pipeline that loads back and extracts the same records, the blank
fallback, and the fingerprint over the config. Every sentence is written for these tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import spacy

import ingest.pipeline as pipeline
from ingest.components import COREF_SPANS, MENTION_SPANS, release
from ingest.fingerprint import code_files
from ingest.gazetteer import SPAN_KEY
from ingest.pipeline import CONFIG_PATH, Extractor, load_pipeline_config
from ingest.score_format import to_score_record
from ontology.models import ActionRecord, ArticleRecord, Extraction
from tests.test_extract_common import blank_extractor, extractor

TEXT = ("The Commerce Department added Huawei to the Entity List on 3 May 2025. "
        "The company said it would challenge the decision, Reuters reported.")
ARTICLE = ArticleRecord(doc_id="c1", text=TEXT, title="Entity List", published=date(2025, 5, 5))

ORDER = ["aigeo_gazetteer", "aigeo_article", "aigeo_context", "aigeo_mentions", "aigeo_coreference",
         "aigeo_attributions", "aigeo_allegations", "aigeo_actions", "aigeo_relations", "aigeo_events",
         "aigeo_extraction"]


def test_the_config_gives_the_order_and_analyze_pipes_finds_no_problem() -> None:
    nlp = extractor().nlp
    names = nlp.pipe_names
    assert names.index("aigeo_sentence_hints") == names.index("parser") - 1
    assert names[-len(ORDER):] == ORDER and names[-1] == "aigeo_extraction"
    assert list(load_pipeline_config()["components"]) == ["aigeo_sentence_hints", *ORDER]
    analysis = nlp.analyze_pipes()
    assert all(not p for p in analysis["problems"].values()), analysis["problems"]
    assert "doc._.aigeo_extraction" in analysis["summary"]["aigeo_extraction"]["assigns"]
    assert "doc._.aigeo_article" in analysis["summary"]["aigeo_context"]["requires"]


def test_every_component_leaves_what_it_assigns() -> None:
    ex = extractor()
    doc = ex.parse(TEXT)
    assert SPAN_KEY in doc.spans and doc._.aigeo_context is None  # the text stage stops at the gazetteer
    doc._.aigeo_article = ARTICLE
    for name in ex.article_pipes:
        doc = ex.nlp.get_pipe(name)(doc)
    assert doc._.aigeo_article is ARTICLE
    ctx = doc._.aigeo_context
    assert ctx.sentences[0].text.startswith("The Commerce Department") and ctx.published == ARTICLE.published
    assert doc._.aigeo_actors is ctx.actors
    assert {sp.text for sp in doc.spans[MENTION_SPANS]} >= {"Commerce Department", "Huawei", "The company", "it"}
    coref = {sp.text: sp.kb_id_ for sp in doc.spans[COREF_SPANS]}
    assert coref["The company"] == "huawei"
    assert [a.source for a in doc._.aigeo_attributions] == ["Reuters"] and doc._.aigeo_cited == {
        1: [("Reuters", doc._.aigeo_attributions[0].kind)]}
    assert doc._.aigeo_allegations == []
    assert [(a.issuer, a.targets, a.kind.value) for a in doc._.aigeo_actions] == [
        ("us-department-of-commerce", ["huawei"], "entity_list")]
    assert all(isinstance(a, ActionRecord) for a in doc._.aigeo_actions)
    assert callable(doc._.aigeo_keep_actor)
    assert [e.date.value for e in doc._.aigeo_events if e.date is not None] == ["2025-05-03"]
    rec = doc._.aigeo_extraction
    assert isinstance(rec, Extraction) and rec.article.doc_id == "c1"
    assert rec.extractor_fingerprint == ex.fingerprint
    assert rec == ex.extract(ARTICLE)  # the components are what Extractor.extract runs
    release(doc)
    assert doc._.aigeo_context is None and doc._.aigeo_extraction is None


def test_a_text_given_alone_is_an_article_of_its_own() -> None:
    doc = extractor().nlp("The Commerce Department added Huawei to the Entity List on 3 May 2025.")
    rec = doc._.aigeo_extraction
    assert rec.article.text == doc.text and rec.article.published is None
    assert {(a.issuer, tuple(a.targets)) for a in rec.actions} == {("us-department-of-commerce", ("huawei",))}
    assert extractor().nlp(" ")._.aigeo_extraction is None  # no text, no article


def test_a_saved_pipeline_loads_back_and_extracts_the_same(tmp_path: Path) -> None:
    ex = extractor()
    ex.nlp.to_disk(tmp_path / "pipeline")
    for component, files in (("aigeo_gazetteer", ["gazetteer.yaml", "outlets.yaml"]),
                             ("aigeo_context", ["cues.yaml", "patterns"]), ("aigeo_relations", ["relations.json"])):
        assert sorted(p.name for p in (tmp_path / "pipeline" / component).iterdir()) == files
    nlp = spacy.load(tmp_path / "pipeline")  # (the factories are registered by ingest.pipeline)
    assert nlp.pipe_names == ex.nlp.pipe_names
    saved = tmp_path / "pipeline" / "aigeo_context"
    assert nlp.get_pipe("aigeo_context").data_files == [saved / "cues.yaml", saved / "patterns" / "actions.jsonl",
                                                        saved / "patterns" / "allegations.jsonl"]
    loaded = Extractor.load(str(tmp_path / "pipeline"))
    assert loaded.fingerprint == ex.fingerprint and not loaded.is_fallback
    assert loaded.relations is not None and loaded.relations.thresholds == ex.relations.thresholds  # type: ignore[union-attr]
    assert loaded.extract(ARTICLE) == ex.extract(ARTICLE)
    text = "Beijing accused Washington of hacking. The U.S. Treasury fined Sugon for shipping chips to Iran."
    assert nlp(text)._.aigeo_extraction == ex.nlp(text)._.aigeo_extraction
    with pytest.raises(ValueError, match="keeps its own cue lists"):
        Extractor.load(str(tmp_path / "pipeline"), cues_path=tmp_path / "pipeline" / "aigeo_context" / "cues.yaml")


def test_the_saved_data_is_what_the_loaded_pipeline_uses(tmp_path: Path) -> None:
    """A cue list edited in the saved pipeline is what that pipeline reads (and its fingerprint says so)."""
    ex = extractor()
    ex.nlp.to_disk(tmp_path / "pipeline")
    cues = tmp_path / "pipeline" / "aigeo_context" / "cues.yaml"
    text = cues.read_text(encoding="utf-8")
    assert "accuse_verbs: [accuse, " in text
    cues.write_text(text.replace("accuse_verbs: [accuse, ", "accuse_verbs: [", 1), encoding="utf-8")
    loaded = Extractor.load(str(tmp_path / "pipeline"))
    assert "accuse" in ex.lexicon.accuse_verbs and "accuse" not in loaded.lexicon.accuse_verbs
    assert loaded.fingerprint != ex.fingerprint


def test_the_cue_file_is_a_config_override(tmp_path: Path) -> None:
    cues = tmp_path / "cues.yaml"
    cues.write_bytes((Path(pipeline.__file__).parent / "data" / "cues.yaml").read_bytes())
    nlp, _parsed = pipeline.build_pipeline(cues_path=cues)
    assert nlp.get_pipe("aigeo_context").data_files[0] == cues
    assert nlp.config["components"]["aigeo_context"]["cues_path"] == str(cues)


def test_the_blank_fallback_has_the_components_but_the_relation_model(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "_warned", False)
    ex = Extractor.load("blank")
    assert "blank English pipeline" in capsys.readouterr().err
    assert ex.is_fallback and ex.relations is None
    names = ex.nlp.pipe_names
    assert names[:3] == ["aigeo_sentence_hints", "sentencizer", "aigeo_gazetteer"]
    assert names[3:] == [n for n in ORDER[1:] if n != "aigeo_relations"]
    assert all(not p for p in ex.nlp.analyze_pipes()["problems"].values())
    rec = to_score_record(blank_extractor().extract(ARTICLE))
    assert {"Department of Commerce", "Huawei"} <= {a["name"] for a in rec["actors"]}
    assert [a["source"] for a in rec["attributions"]] == ["Reuters"]


def test_the_fingerprint_covers_the_pipeline_config() -> None:
    assert CONFIG_PATH in code_files()
