"""Dated events: explicit, month-only and ranged dates, timeline headings, relative dates with and
without a publication date, anchored offsets, and what is never an event."""

from __future__ import annotations

from datetime import date

from tests.test_extract_common import record


def events(text: str, published: date | None = None) -> list[tuple[str | None, str | None, list[str]]]:
    return [(e["date"], e["end"], e["actors"]) for e in record(text, published)["dated_events"]]


def test_explicit_and_month_only_dates() -> None:
    evs = events("In November 2024, the FTC opened an inquiry into OpenAI. On January 8, 2025, OpenAI replied.")
    assert [(d, e) for d, e, _ in evs] == [("2024-11", None), ("2025-01-08", None)]
    assert "OpenAI" in evs[1][2]


def test_range() -> None:
    ((d, e, actors),) = events("Talks between Nvidia and the Commerce Department ran from May 6 to May 9, 2025.")
    assert (d, e) == ("2025-05-06", "2025-05-09") and "Nvidia" in actors


def test_no_year_and_no_publication_date_gives_no_event() -> None:
    assert events("On 12 March, Huawei unveiled a new chip in Shenzhen.") == []


def test_relative_dates_only_with_a_publication_date() -> None:
    text = "Last year, Japan tightened export rules for chip equipment."
    assert events(text) == []
    assert [d for d, _, _ in events(text, date(2025, 4, 1))] == ["2024"]


def test_timeline_headings_and_entries() -> None:
    text = ("Timeline\n"
            "March 2024: The European Commission opens a probe into Microsoft. Microsoft says it will cooperate. "
            "The probe is expected to last a year.\n"
            "May 17, 2024: The Dutch government restricts exports of ASML machines to China.")
    evs = events(text)
    assert [(d, a[0]) for d, _, a in evs] == [("2024-03", "European Commission"), ("2024-03", "Microsoft"),
                                              ("2024-05-17", "Netherlands")]
    # the heading is part of the evidence sentence
    rec = record(text)
    assert rec["dated_events"][0]["evidence"].startswith("March 2024: The European Commission")


def test_dateline_is_the_publication_date_not_an_event() -> None:
    text = "TOKYO, June 3, 2025 – Japan's trade ministry said it would review chip export licences."
    rec = record(text)
    assert rec["published"] == "2025-06-03"
    assert rec["dated_events"] == []


def test_anchored_offset_resolves_against_an_earlier_event() -> None:
    text = ("On April 2, 2025, Microsoft accused a Chinese hacking group of breaching its cloud. "
            "The Justice Department indicted two suspects three days after Microsoft disclosed the breach.")
    evs = events(text)
    assert ("2025-04-05", None) in [(d, e) for d, e, _ in evs]


def test_captions_and_future_dates_are_not_events() -> None:
    assert events("2019 photograph by Jane Doe / Example Images") == []
    assert events("In March 2026, the Commerce Department will finalise new rules for Nvidia.",
                  date(2025, 10, 1)) == []


def test_the_same_event_told_twice_is_one_event() -> None:
    text = ("In February 2025, OpenAI accused DeepSeek of distillation. The February accusation against "
            "DeepSeek was widely covered.")
    evs = events(text, date(2025, 6, 1))
    assert [(d, e) for d, e, _ in evs] == [("2025-02", None)]


def test_a_bare_weekday_about_the_future_is_the_next_one() -> None:
    from ingest.context import DocContext
    from tests.test_extract_common import article, extractor

    ex = extractor()
    rec = article("Shares fell on Friday.\nThe ban on TikTok will take effect Sunday, an official said. The law is "
                  "set to start on Monday. TikTok sued ByteDance on Monday.", published=date(2025, 1, 17))
    ctx = DocContext(ex.nlp(rec.text), rec, ex.gazetteer, ex.lexicon, ex.dates, ex.parsed)
    days = [[d.spec.value for d in s.dates if d.spec is not None] for s in ctx.sentences]
    assert days == [["2025-01-17"], ["2025-01-19"], ["2025-01-20"], ["2025-01-13"]]
