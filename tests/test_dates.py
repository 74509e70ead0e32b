"""Date normalisation: explicit dates, ranges, qualifiers, relative dates (only against the
publication date), month-only and year-less dates, impossible dates, and properties."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.dates import DateNormaliser, dateline, find_dates, shift
from ontology.models import DatePrecision, TimeSpec

PUB = date(2025, 9, 18)


@pytest.fixture(scope="module")
def norm() -> DateNormaliser:
    return DateNormaliser()


def values(text: str, published: date | None = None) -> list[tuple[str | None, str | None]]:
    return [(d.spec.value if d.spec else None, d.spec.end if d.spec else None) for d in find_dates(text, published)]


def test_explicit_day_month_year() -> None:
    (d,) = find_dates("The rule took effect on October 7, 2024, after a review.")
    assert d.spec is not None
    assert (d.spec.value, d.spec.precision) == ("2024-10-07", DatePrecision.day)
    assert d.text == "October 7, 2024"


def test_day_first_and_abbreviated_month() -> None:
    assert values("signed on 3 Feb. 2023") == [("2023-02-03", None)]
    assert values("signed on Sept. 12, 2022") == [("2022-09-12", None)]


def test_cross_month_range_shares_the_year() -> None:
    assert values("The probe covered March 3 – May 19, 2025 in detail.") == [("2025-03-03", "2025-05-19")]
    assert values("from November 20 to January 4, 2025") == [("2024-11-20", "2025-01-04")]


def test_same_month_day_range() -> None:
    (d,) = find_dates("Talks were held on May 6-7, 2025 in Geneva.")
    assert d.spec is not None and (d.spec.value, d.spec.end) == ("2025-05-06", "2025-05-07")
    assert d.spec.end_precision is DatePrecision.day


def test_qualified_month_keeps_month_precision() -> None:
    (d,) = find_dates("In late August 2025 the ministry responded.")
    assert d.spec is not None
    assert (d.spec.value, d.spec.precision, d.spec.qualifier) == ("2025-08", DatePrecision.month, "late")


def test_month_only_date() -> None:
    (d,) = find_dates("The agency opened its inquiry in November 2024.")
    assert d.spec is not None and (d.spec.value, d.spec.precision) == ("2024-11", DatePrecision.month)


def test_heading_with_parenthesised_date() -> None:
    found = find_dates("Last Quarter (October 2024): regulators met.", None)
    assert ("2024-10", None) in [(d.spec.value, d.spec.end) for d in found if d.spec]


def test_day_month_without_year_is_month_day_without_publication_date() -> None:
    (d,) = find_dates("On 9 July, the firm replied.")
    assert d.spec is not None
    assert (d.spec.value, d.spec.precision) == ("--07-09", DatePrecision.month_day)
    assert d.spec.bounds() is None


def test_day_month_without_year_resolves_against_publication_date() -> None:
    (d,) = find_dates("On 9 July, the firm replied.", PUB)
    assert d.spec is not None and d.spec.value == "2025-07-09"


def test_relative_dates_need_the_publication_date() -> None:
    assert values("The ban was announced last year.") == [(None, None)]
    assert values("The ban was announced last year.", PUB) == [("2024", None)]
    assert values("Officials met this month.", PUB) == [("2025-09", None)]
    assert values("It was reported yesterday.", PUB) == [("2025-09-17", None)]


def test_bare_month_resolves_to_the_latest_such_month(norm: DateNormaliser) -> None:
    assert values("The panel warned in March.", PUB) == [("2025-03", None)]
    assert values("The panel warned in November.", PUB) == [("2024-11", None)]
    assert values("The panel warned in March.") == [(None, None)]


def test_modal_may_is_not_a_month() -> None:
    assert find_dates("Regulators may act soon, and they may not.") == []


def test_impossible_dates_and_years_out_of_range(norm: DateNormaliser) -> None:
    assert find_dates("due on February 30, 2025") == []
    assert norm.normalise("February 30, 2025") is None
    assert find_dates("in 1850 the treaty") == []
    assert norm.normalise("2150") is None


def test_durations_are_not_dates(norm: DateNormaliser) -> None:
    for text in ("18 months", "a three-week period", "recent years", "the coming months", "decades"):
        assert norm.normalise(text, PUB) is None, text


def test_normalise_spacy_style_spans(norm: DateNormaliser) -> None:
    assert norm.normalise("2023") == TimeSpec(value="2023", precision=DatePrecision.year, text="2023")
    spec = norm.normalise("the second quarter of 2024")
    assert spec is not None and (spec.value, spec.end) == ("2024-04", "2024-06")
    spec = norm.normalise("the 1980s")
    assert spec is not None and (spec.value, spec.end, spec.qualifier) == ("1980", "1989", "decade")
    assert norm.normalise("Thursday") is None
    assert norm.normalise("Thursday", PUB) == TimeSpec(value="2025-09-18", precision=DatePrecision.day,
                                                       text="Thursday")


def test_anchored_offsets_and_shift() -> None:
    (d,) = find_dates("three days after the hearing")
    assert d.offset == (3, "day", "after") and d.spec is None
    anchor = TimeSpec(value="2025-02-27", precision=DatePrecision.day)
    shifted = shift(anchor, 3, "day", "after")
    assert shifted is not None and shifted.value == "2025-03-02"
    # a day offset from a month-precision anchor would invent a day
    assert shift(TimeSpec(value="2025-02", precision=DatePrecision.month), 3, "day", "after") is None


def test_dateline_gives_the_publication_date() -> None:
    found = dateline("BRUSSELS, March 4, 2025 – The commission fined the company.")
    assert found is not None and found[0] == date(2025, 3, 4)
    assert dateline("Published: 12 May 2024\nThe agency said...") is not None
    assert dateline("The agency said on March 4, 2025 that...") is None


def test_search_dates_is_never_used(monkeypatch: pytest.MonkeyPatch, norm: DateNormaliser) -> None:
    import dateparser.search

    def boom(*a: object, **k: object) -> None:
        raise AssertionError("search_dates must not run over raw text")

    monkeypatch.setattr(dateparser.search, "search_dates", boom)
    find_dates("On May 2, 2025 the firm may now cut a 3% stake.", PUB)
    norm.normalise("two weeks ago", PUB)


# ---------------------------------------------------------------- properties

MONTHS = [m for m in calendar.month_name if m]
_N = DateNormaliser()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 1, 1))))
def test_normalise_never_crashes_and_returns_a_valid_spec(text: str, published: date | None) -> None:
    spec = _N.normalise(text, published)
    assert spec is None or isinstance(spec, TimeSpec)
    if spec is not None:
        TimeSpec.model_validate(spec.model_dump())  # round-trips through the validators



@settings(max_examples=300, deadline=None)
@given(st.sampled_from(MONTHS), st.one_of(st.none(), st.integers(1, 31)), st.one_of(st.none(), st.integers(1890, 2110)),
       st.sampled_from(["", "early ", "in ", "on "]))
def test_never_invents_a_day(month: str, day: int | None, year: int | None, prefix: str) -> None:
    parts = [month] + ([str(day)] if day is not None else [])
    text = prefix + " ".join(parts) + (f", {year}" if year is not None else "")
    spec = _N.normalise(text)
    if spec is None:
        return
    if day is None:
        assert spec.precision is not DatePrecision.day
        assert spec.precision is not DatePrecision.month_day
    if year is None:
        assert spec.precision in (DatePrecision.month_day,)
    if year is not None and not (1900 <= year <= 2100):
        raise AssertionError(f"year {year} outside 1900-2100 accepted: {spec}")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_find_dates_spans_are_in_the_text(text: str) -> None:
    last_end = -1
    for d in find_dates(text, PUB):
        assert 0 <= d.start < d.end <= len(text)
        assert text[d.start:d.end] == d.text
        assert d.start >= last_end
        last_end = d.end


def test_month_of_year_coordinated_months_and_days_with_a_relative_year() -> None:
    pub = date(2024, 3, 1)
    found = {m.text: m.spec for m in find_dates("He announced it in July of 2021, the hacks ran in May and "
                                                 "June 2022, and the fine came this year on January 9, "
                                                 "after a warning on December 2 last year.", pub)}
    assert found["July of 2021"].value == "2021-07"
    assert (found["May and June 2022"].value, found["May and June 2022"].end) == ("2022-05", "2022-06")
    assert found["this year on January 9"].value == "2024-01-09"
    assert found["December 2 last year"].value == "2023-12-02"
    # without a publication date a relative year resolves to nothing
    assert [m.spec for m in find_dates("It happened on May 6 this year.", None)] == [None]


def test_a_relative_week_is_told_at_the_precision_of_its_month() -> None:
    assert values("He met the president last week.", date(2025, 8, 11)) == [("2025-08", None)]
    assert values("He met the president last week.", date(2025, 8, 3)) == [("2025-07", None)]
    assert values("The rules take effect next week.", date(2025, 8, 28)) == [("2025-09", None)]
    assert values("Beijing rejected the attribution made earlier this week.", PUB) == [("2025-09", None)]
    assert values("He met the president last week.") == [(None, None)]  # no publication date: not resolved
