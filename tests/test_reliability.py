"""The reliability score, one component at a time, on reports built in the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.reliability import ReliabilityWeights, Report, score
from reference.outlets import load_registry

W = ReliabilityWeights()


def report(eid: str = "e1", article: str = "a1", outlet: str | None = "reuters", prior: float | None = 90,
           cited: list[tuple[str, float | None]] | None = None, kind: str | None = None,
           hedges: list[str] | None = None, denied: bool = False) -> Report:
    return Report(evidence_id=eid, article_id=article, outlet_id=outlet, outlet_prior=prior, cited=cited or [],
                  attribution_kind=kind, hedges=hedges or [], denied=denied)


def test_outlet_prior_sets_the_base() -> None:
    strong = score([report(prior=90)]).value
    weak = score([report(prior=40)]).value
    assert strong == pytest.approx(90 * W.unattributed)
    assert weak == pytest.approx(40 * W.unattributed)


def test_unknown_outlet_uses_the_default_prior() -> None:
    assert score([report(outlet=None, prior=None)]).value == pytest.approx(W.unknown_prior * W.unattributed)


def test_attribution_strength_orders_reports() -> None:
    values = [score([report(kind=k)]).value for k in ("statement", "outlet", "anonymous", "unconfirmed")]
    assert values == sorted(values, reverse=True) and len(set(values)) == 4


def test_hedging_lowers_with_a_floor() -> None:
    plain = score([report()]).value
    one = score([report(hedges=["allegedly"])]).value
    many = score([report(hedges=[f"cue{i}" for i in range(20)])]).value
    assert plain > one > many
    assert many == pytest.approx(plain * W.hedge_floor)


def test_independent_reports_add_up_dependent_ones_do_not() -> None:
    one = score([report(outlet=None, prior=None, article="a1")])
    two_independent = score([report(eid="e1", outlet=None, prior=None, article="a1"),
                             report(eid="e2", outlet=None, prior=None, article="a2")])
    # two articles that both cite Reuters are one origin: Reuters
    two_citing_reuters = score([report(eid="e1", outlet="x", prior=50, article="a1", cited=[("reuters", 90)]),
                                report(eid="e2", outlet="y", prior=50, article="a2", cited=[("reuters", 90)])])
    assert two_independent.value > one.value and two_independent.origins == 2
    assert two_citing_reuters.origins == 1
    assert two_citing_reuters.value == pytest.approx(score([report(cited=[("reuters", 90)])]).value)


def test_denial_lowers_the_score() -> None:
    assert score([report(denied=True)]).value == pytest.approx(score([report()]).value * W.denial_factor)


def test_weights_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_RELIABILITY_UNCONFIRMED", "0.1")
    assert ReliabilityWeights().unconfirmed == 0.1
    low = score([report(kind="unconfirmed")], ReliabilityWeights())
    assert low.value == pytest.approx(90 * 0.1)


def test_explanation_is_readable_and_bounded() -> None:
    s = score([report(kind="anonymous", hedges=["reportedly"]), report(eid="e2", article="a2", outlet="ap", prior=88)])
    assert 0 <= s.value <= 100
    text = "\n".join(s.explanation)
    assert "independent origin" in text and "anonymous" in text and "reportedly" in text
    assert s.explanation[-1].startswith("reliability ")
    assert score([]).value == 0


def test_registry_resolves_names_aliases_and_domains() -> None:
    reg = load_registry()
    reuters = reg.get("Reuters")
    assert reuters is not None and reuters.known and reuters.prior >= 80
    assert reg.get("the Financial Times") is not None
    assert reg.get("https://www.reuters.com/world/some-story") == reuters
    unknown = reg.resolve("Some Local Blog")
    assert unknown is not None and not unknown.known and unknown.prior == reg.default_prior
    assert reg.get("") is None and reg.resolve(None) is None


def test_the_weights_are_a_part_of_the_settings_and_read_the_env_file(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.settings import Settings

    monkeypatch.delenv("KG_RELIABILITY_ANONYMOUS", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("KG_RELIABILITY_ANONYMOUS=0.55\nKG_APP_PORT=8600\n", encoding="utf-8")
    settings = Settings()
    assert settings.reliability.anonymous == 0.55
    assert settings.app_port == 8600


def test_fact_titles_and_explanations_read_in_words() -> None:
    from kg.facts import _title
    assert _title("Allegation", {"ACCUSER": ["Ava"], "ACCUSED": ["Bo"]}, "ip_theft", False, None) == \
        "Ava accuses Bo of IP theft"
    assert _title("Allegation", {"ACCUSER": ["Ava"], "ACCUSED": ["Bo"]}, "other", False, None) == "Ava accuses Bo"
    assert _title("GovernmentAction", {"ISSUER": ["Ministry"], "TARGET": ["Bo"]}, "entity_list", False, None) == \
        "Ministry: Entity List on Bo"
    why = "\n".join(score([report(outlet="Reuters", prior=90, kind="statement")]).explanation)
    assert "on the record" in why and "statement" not in why and "_" not in why
