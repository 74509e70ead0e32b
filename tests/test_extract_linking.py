"""Facts linked within an article: a day without a year takes the year the article gives that day."""

from __future__ import annotations

from ingest.linking import complete_year, years_by_day
from ontology.models import DatePrecision, TimeSpec, precision_of
from tests.test_extract_common import extract


def spec(value: str, end: str | None = None) -> TimeSpec:
    return TimeSpec(value=value, precision=precision_of(value), end=end)


def test_a_day_without_a_year_takes_the_one_year_the_article_gives_it() -> None:
    known = years_by_day([spec("2025-03-04"), spec("2025-05-06", end="2025-05-07"), None])
    assert complete_year(spec("--03-04"), known) == spec("2025-03-04")
    assert complete_year(spec("--05-07"), known) == spec("2025-05-07")  # the end of a range counts too
    assert complete_year(spec("--05-06", end="--05-07"), known) == spec("2025-05-06", end="2025-05-07")


def test_no_year_or_two_years_leave_the_date_as_written() -> None:
    two = years_by_day([spec("2024-03-04"), spec("2025-03-04")])
    assert complete_year(spec("--03-04"), two) == spec("--03-04")
    assert complete_year(spec("--09-01"), years_by_day([spec("2025-09")])) == spec("--09-01")  # a month is no day
    assert complete_year(None, two) is None
    year = complete_year(spec("2025"), two)
    assert year is not None and year.precision is DatePrecision.year


def test_an_allegation_dated_by_day_and_month_gets_the_year_of_the_articles_timeline() -> None:
    text = ("Northwind AI accused Redriver Group on 12 March of distilling its models through fake accounts.\n"
            "Timeline:\n"
            "March 12, 2025: Northwind AI publishes its report on Redriver Group.\n")
    ex = extract(text)
    dated = [a.date for a in ex.allegations if a.date is not None]
    assert dated and all(d.value == "2025-03-12" for d in dated), ex.allegations


def test_without_that_day_elsewhere_the_year_stays_unknown() -> None:
    ex = extract("Northwind AI accused Redriver Group on 12 March of distilling its models through fake accounts.\n"
                 "In 2024, Redriver Group opened an office in Lisbon.\n")
    dated = [a.date for a in ex.allegations if a.date is not None]
    assert dated and all(d.value == "--03-12" for d in dated), ex.allegations
