"""The merge matcher's rules (kg/suggest.py) on names made up for the purpose, without a graph: each rule
suggests what it should and leaves alone what it should not."""

from __future__ import annotations

from typing import Any

from kg.suggest import _Actor, rank, score_pair
from reference.names import descriptive_key


def actor(id_: str, name: str, type_: str = "GovernmentBody", articles: tuple[str, ...] = (), source: str = "ner",
          aliases: tuple[str, ...] = ()) -> _Actor:
    row: dict[str, Any] = {"id": id_, "name": name, "type": type_, "source": source, "articles": list(articles),
                           "aliases": list(aliases)}
    return _Actor.of(row)


def test_descriptive_keys_put_the_interchangeable_institution_words_in_classes() -> None:
    assert descriptive_key("Portugal's privacy watchdog") == descriptive_key("Portugal's Data Protection Authority")
    assert descriptive_key("the Ruritanian competition regulator") == \
        descriptive_key("Ruritanian Competition and Markets Agency")
    assert descriptive_key("Elbonia's telecoms regulator") == descriptive_key("Elbonia Communications Commission")
    assert descriptive_key("Data Center Inc") == "data center"  # a word of a remit alone is no remit
    assert descriptive_key("Northwind AI") == "northwind ai"  # names without such words keep their key


def test_the_same_institution_in_other_words_is_suggested_only_when_one_article_names_both() -> None:
    body = actor("pt-dpa", "Data Protection Authority", source="gazetteer", articles=("a1", "a2"),
                 aliases=("Portugal's Data Protection Authority",))
    described = actor("portugal-s-privacy-watchdog", "Portugal's privacy watchdog", articles=("a2",))
    score, reasons = score_pair(body, described)
    assert score >= 50 and any("other words" in r for r in reasons), reasons
    elsewhere = actor("portugal-s-privacy-watchdog", "Portugal's privacy watchdog", articles=("a3",))
    assert score_pair(body, elsewhere)[0] == 0.0  # every country has one: not across articles
    other_country = actor("x", "Elbonia's privacy watchdog", articles=("a2",))
    assert score_pair(body, other_country)[0] == 0.0


def test_a_bare_word_inside_other_names_needs_an_article_naming_both() -> None:
    full = actor("ruritanian-trade-commission", "Ruritanian Trade Commission", articles=("a1",))
    bare = actor("commission", "Commission", articles=("a1",))
    elsewhere = actor("elbonian-trade-commission", "Elbonian Trade Commission", articles=("a9",))
    together, _ = score_pair(full, bare)
    apart, _ = score_pair(elsewhere, bare)
    assert together >= 40 > apart  # the bare "Commission" is the one its article names
    found = rank([full, bare, elsewhere], set(), limit=10)
    assert [(s.a, s.b) for s in found] == [("ruritanian-trade-commission", "commission")]
    # two full names, one inside the other, are suggested across articles
    agency = actor("ruritanian-space-agency", "Ruritanian Space Agency", articles=("a4",))
    national = actor("national-ruritanian-space-agency", "National Ruritanian Space Agency", articles=("a5",))
    assert score_pair(agency, national)[0] >= 40


def test_people_places_and_gazetteer_pairs_stay_apart() -> None:
    person = actor("jane-roe", "Jane Roe", "Person", articles=("a1",))
    country = actor("roe", "Roe", "Country", articles=("a2",), source="gazetteer")
    assert score_pair(person, country)[0] == 0.0  # a bare surname from the gazetteer is another actor
    a = actor("eu", "European Union", source="gazetteer")
    b = actor("ep", "European Parliament", source="gazetteer")
    assert score_pair(a, b)[0] == 0.0
    surname = actor("roe-2", "Roe", "Organization", articles=("a1",))
    score, reasons = score_pair(surname, person)
    assert score >= 60 and "named with them" in reasons[0]
