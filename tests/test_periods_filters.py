"""Periods, presets and the filter state's round trip through the URL (METRICS.md "Periods")."""

from __future__ import annotations

import datetime as dt

import pytest

from storeops.filters import Filters, FilterState, from_query_params
from storeops.periods import PRESETS, Period, matching_preset, preset_period


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def p(start: str, end: str) -> Period:
    return Period(d(start), d(end))


# ---------------------------------------------------------------- comparison periods


@pytest.mark.parametrize(
    ("period", "previous", "yoy"),
    [
        # 30 days; previous = 30 days ending 05-31; yoy = 364 days back (2024 is a leap year,
        # so 2024-06-01 − 366 d = 2023-06-01, and − 364 d = 2023-06-03, also a Saturday)
        (p("2024-06-01", "2024-06-30"), p("2024-05-02", "2024-05-31"), p("2023-06-03", "2023-07-02")),
        # one day
        (p("2024-03-01", "2024-03-01"), p("2024-02-29", "2024-02-29"), p("2023-03-03", "2023-03-03")),
        # a Monday..Sunday week stays a Monday..Sunday week
        (p("2024-07-01", "2024-07-07"), p("2024-06-24", "2024-06-30"), p("2023-07-03", "2023-07-09")),
        # across a year boundary: 10 days ending 2024-12-31 the day before 2025-01-01
        (p("2025-01-01", "2025-01-10"), p("2024-12-22", "2024-12-31"), p("2024-01-03", "2024-01-12")),
    ],
)
def test_previous_and_yoy(period: Period, previous: Period, yoy: Period) -> None:
    assert period.previous() == previous
    assert period.comparison("previous") == previous
    assert period.yoy() == yoy
    assert period.comparison("yoy") == yoy
    assert previous.days == yoy.days == period.days
    assert yoy.start.weekday() == period.start.weekday()


def test_period_rejects_end_before_start_and_unknown_comparison() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        p("2024-06-02", "2024-06-01")
    with pytest.raises(ValueError, match="unknown comparison"):
        p("2024-06-01", "2024-06-01").comparison("mom")


def test_days_counts_both_ends() -> None:
    assert p("2024-06-01", "2024-06-30").days == 30
    assert p("2024-02-01", "2024-02-29").days == 29


# ---------------------------------------------------------------- presets

# Expected periods worked out on a calendar. 2024-06-30 is a Sunday,
# 2024-07-01 a Monday, 2024-03-01 a Friday (2024 is a leap year), 2025-01-01 a Wednesday.
PRESET_CASES = {
    "2024-06-30": {  # Sunday, end of month and quarter
        "last_7": ("2024-06-24", "2024-06-30"),
        "last_28": ("2024-06-03", "2024-06-30"),
        "last_90": ("2024-04-02", "2024-06-30"),
        "wtd": ("2024-06-24", "2024-06-30"),
        "last_week": ("2024-06-24", "2024-06-30"),  # a Sunday completes its week
        "mtd": ("2024-06-01", "2024-06-30"),
        "last_month": ("2024-05-01", "2024-05-31"),
        "qtd": ("2024-04-01", "2024-06-30"),
        "ytd": ("2024-01-01", "2024-06-30"),
    },
    "2024-07-01": {  # Monday, month and quarter start
        "last_7": ("2024-06-25", "2024-07-01"),
        "last_28": ("2024-06-04", "2024-07-01"),
        "last_90": ("2024-04-03", "2024-07-01"),
        "wtd": ("2024-07-01", "2024-07-01"),
        "last_week": ("2024-06-24", "2024-06-30"),
        "mtd": ("2024-07-01", "2024-07-01"),
        "last_month": ("2024-06-01", "2024-06-30"),
        "qtd": ("2024-07-01", "2024-07-01"),
        "ytd": ("2024-01-01", "2024-07-01"),
    },
    "2024-03-01": {  # Friday, month start after a leap February
        "last_7": ("2024-02-24", "2024-03-01"),
        "last_28": ("2024-02-03", "2024-03-01"),
        "last_90": ("2023-12-03", "2024-03-01"),
        "wtd": ("2024-02-26", "2024-03-01"),
        "last_week": ("2024-02-19", "2024-02-25"),
        "mtd": ("2024-03-01", "2024-03-01"),
        "last_month": ("2024-02-01", "2024-02-29"),
        "qtd": ("2024-01-01", "2024-03-01"),
        "ytd": ("2024-01-01", "2024-03-01"),
    },
    "2025-01-01": {  # Wednesday, Jan 1: ytd/qtd are one day, last_month crosses the year
        "last_7": ("2024-12-26", "2025-01-01"),
        "last_28": ("2024-12-05", "2025-01-01"),
        "last_90": ("2024-10-04", "2025-01-01"),
        "wtd": ("2024-12-30", "2025-01-01"),
        "last_week": ("2024-12-23", "2024-12-29"),
        "mtd": ("2025-01-01", "2025-01-01"),
        "last_month": ("2024-12-01", "2024-12-31"),
        "qtd": ("2025-01-01", "2025-01-01"),
        "ytd": ("2025-01-01", "2025-01-01"),
    },
    "2024-11-15": {  # Friday in the middle of Q4
        "last_7": ("2024-11-09", "2024-11-15"),
        "last_28": ("2024-10-19", "2024-11-15"),
        "last_90": ("2024-08-18", "2024-11-15"),
        "wtd": ("2024-11-11", "2024-11-15"),
        "last_week": ("2024-11-04", "2024-11-10"),
        "mtd": ("2024-11-01", "2024-11-15"),
        "last_month": ("2024-10-01", "2024-10-31"),
        "qtd": ("2024-10-01", "2024-11-15"),
        "ytd": ("2024-01-01", "2024-11-15"),
    },
}


@pytest.mark.parametrize(
    ("latest", "preset", "expected"),
    [(latest, preset, span) for latest, cases in PRESET_CASES.items() for preset, span in cases.items()],
)
def test_preset_period(latest: str, preset: str, expected: tuple[str, str]) -> None:
    assert preset_period(preset, d(latest)) == p(*expected)


def test_every_preset_is_covered() -> None:
    for cases in PRESET_CASES.values():
        assert set(cases) == set(PRESETS) - {"custom"}


def test_unknown_preset() -> None:
    with pytest.raises(ValueError, match="unknown preset"):
        preset_period("custom", d("2024-06-30"))


@pytest.mark.parametrize(
    ("period", "latest", "expected"),
    [
        (p("2024-06-01", "2024-06-30"), "2024-06-30", "mtd"),
        (p("2024-05-01", "2024-05-31"), "2024-06-30", "last_month"),
        (p("2024-04-01", "2024-06-30"), "2024-06-30", "qtd"),
        (p("2024-01-01", "2024-06-30"), "2024-06-30", "ytd"),
        (p("2024-06-03", "2024-06-30"), "2024-06-30", "last_28"),
        (p("2024-06-24", "2024-06-30"), "2024-07-01", "last_week"),
        (p("2024-12-01", "2024-12-31"), "2025-01-01", "last_month"),
        (p("2024-10-01", "2024-11-15"), "2024-11-15", "qtd"),
        # on a Sunday last_7 = wtd = last_week: the first preset in PRESETS order is named
        (p("2024-06-24", "2024-06-30"), "2024-06-30", "last_7"),
        # anything else is custom
        (p("2024-06-02", "2024-06-30"), "2024-06-30", "custom"),
        (p("2024-05-01", "2024-05-31"), "2024-07-01", "custom"),
    ],
)
def test_matching_preset(period: Period, latest: str, expected: str) -> None:
    assert matching_preset(period, d(latest)) == expected


@pytest.mark.parametrize("latest", PRESET_CASES)
def test_matching_preset_round_trip(latest: str) -> None:
    for preset in PRESETS[:-1]:
        period = preset_period(preset, d(latest))
        assert preset_period(matching_preset(period, d(latest)), d(latest)) == period


# ---------------------------------------------------------------- URL round trip

DEFAULT = p("2024-06-24", "2024-06-30")


def as_url(qp: dict[str, str | list[str]]) -> dict[str, list[str]]:
    """What st.query_params.get_all gives back: every parameter as a list of strings."""
    return {k: (v if isinstance(v, list) else [v]) for k, v in qp.items()}


@pytest.mark.parametrize(
    "state",
    [
        FilterState(DEFAULT),
        FilterState(p("2024-06-01", "2024-06-30"), "yoy"),
        FilterState(p("2024-01-01", "2024-01-01"), "previous", Filters(channels=("social",)), "zh"),
        FilterState(
            p("2023-12-25", "2024-01-07"),
            "yoy",
            Filters(("paid_search", "marketplace_ads"), ("tmall", "jd"), ("shoes", "鞋包")),
            "en",
        ),
        FilterState(DEFAULT, "previous", Filters(platforms=("official_site",), categories=("uncategorised",)), "zh"),
    ],
)
def test_url_round_trip(state: FilterState) -> None:
    qp = state.to_query_params()
    assert qp["start"] == state.period.start.isoformat()
    assert qp["end"] == state.period.end.isoformat()
    assert from_query_params(as_url(qp), default=DEFAULT) == state


def test_empty_filters_are_left_out_of_the_url() -> None:
    qp = FilterState(DEFAULT).to_query_params()
    assert qp == {"start": "2024-06-24", "end": "2024-06-30", "compare": "previous", "lang": "en"}


@pytest.mark.parametrize(
    ("qp", "expected"),
    [
        # nothing given: every default
        ({}, FilterState(DEFAULT, "previous", Filters(), "en")),
        # bad dates
        ({"start": ["2024-13-01"], "end": ["2024-06-30"]}, FilterState(DEFAULT)),
        ({"start": ["06/01/2024"], "end": ["2024-06-30"]}, FilterState(DEFAULT)),
        ({"start": ["2024-06-01"], "end": ["yesterday"]}, FilterState(DEFAULT)),
        ({"start": ["2024-06-01"]}, FilterState(DEFAULT)),
        # end before start
        ({"start": ["2024-06-30"], "end": ["2024-06-01"]}, FilterState(DEFAULT)),
        # unknown channel dropped, the known one kept, duplicates collapsed
        (
            {"channel": ["tv", "social", "social", "SOCIAL"]},
            FilterState(DEFAULT, filters=Filters(channels=("social",))),
        ),
        # unknown compare and lang
        ({"compare": ["mom"], "lang": ["fr"]}, FilterState(DEFAULT, "previous", Filters(), "en")),
        # empty platform/category values ignored
        ({"platform": ["", "tmall"], "category": [""]}, FilterState(DEFAULT, filters=Filters(platforms=("tmall",)))),
        # the last of repeated single-valued parameters counts
        ({"compare": ["previous", "yoy"]}, FilterState(DEFAULT, "yoy")),
    ],
)
def test_invalid_params_fall_back_to_defaults(qp: dict[str, list[str]], expected: FilterState) -> None:
    assert from_query_params(qp, default=DEFAULT) == expected


def test_unknown_lang_falls_back_to_the_default_language() -> None:
    assert from_query_params({"lang": ["fr"]}, default=DEFAULT, lang="zh").lang == "zh"
    assert from_query_params({"lang": ["en"]}, default=DEFAULT, lang="zh").lang == "en"


def test_period_ending_before_the_data_falls_back() -> None:
    qp = {"start": ["2020-01-01"], "end": ["2020-01-31"]}
    assert from_query_params(qp, default=DEFAULT, first=d("2023-01-01")).period == DEFAULT
    # a period that overlaps the data is kept
    qp = {"start": ["2022-12-01"], "end": ["2023-01-31"]}
    assert from_query_params(qp, default=DEFAULT, first=d("2023-01-01")).period == p("2022-12-01", "2023-01-31")


def test_filters_params_use_sql_names() -> None:
    f = Filters(("social",), ("tmall",), ("shoes",))
    assert f.params() == {"channels": ["social"], "platforms": ["tmall"], "categories": ["shoes"]}
