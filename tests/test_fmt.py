"""storeops.fmt: every branch, with the literal strings a reader sees."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from storeops import fmt

M = "\u2212"  # the minus sign fmt writes


@pytest.mark.parametrize(
    ("x", "en", "zh"),
    [
        (0, "¥0", "¥0"),
        (12.34, "¥12.3", "¥12.3"),  # 3 significant digits below 1,000
        (950, "¥950", "¥950"),
        (950.4, "¥950", "¥950"),
        (999.6, "¥1k", "¥1,000"),  # rounds up into the next step
        (1_234, "¥1.23k", "¥1,234"),  # zh stays whole below 1万
        (1_235, "¥1.24k", "¥1,235"),  # half-up, not banker's or binary rounding
        (9_999.6, "¥10k", "¥1万"),
        (12_300, "¥12.3k", "¥1.23万"),
        (123_456, "¥123k", "¥12.3万"),
        (999_960, "¥1M", "¥100万"),  # "1,000k" becomes "1M"
        (1_200_000, "¥1.2M", "¥120万"),  # trailing zeros dropped
        (1_234_567, "¥1.23M", "¥123万"),
        (12_345_678, "¥12.3M", "¥1,235万"),  # integer digits are never rounded away
        (99_999_999, "¥100M", "¥1亿"),
        (123_000_000, "¥123M", "¥1.23亿"),
        (3.4e9, "¥3.4B", "¥34亿"),
        (-1_200, f"{M}¥1.2k", f"{M}¥1,200"),
        (-0.001, "¥0", "¥0"),  # no "−¥0"
        (np.float64(12_345.0), "¥12.3k", "¥1.23万"),
        (Decimal("12345.67"), "¥12.3k", "¥1.23万"),  # DuckDB DECIMAL fetched as Python Decimal
    ],
)
def test_money_compact(x, en, zh):
    assert fmt.money(x, "en") == en
    assert fmt.money(x, "zh") == zh


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (1_234_567.891, "¥1,234,567.89"),
        (2.675, "¥2.68"),  # the decimal value rounds half-up (binary 2.675 is 2.67499…)
        (0, "¥0.00"),
        (-50.5, f"{M}¥50.50"),
    ],
)
def test_money_precise(x, expected):
    assert fmt.money(x, "en", precise=True) == expected
    assert fmt.money(x, "zh", precise=True) == expected


def test_money_other_currency():
    assert fmt.money(12_300, "en", currency="$") == "$12.3k"
    assert fmt.money(-5, "en", currency="US$") == f"{M}US$5"


@pytest.mark.parametrize(
    ("x", "en", "zh"),
    [
        (0, "0", "0"),
        (7, "7", "7"),
        (3.456, "3.46", "3.46"),
        (1_234, "1,234", "1,234"),
        (9_876, "9,876", "9,876"),  # exact below 10,000 in both languages
        (12_345, "12.3k", "1.23万"),
        (123_456, "123k", "12.3万"),
        (1_200_000, "1.2M", "120万"),
        (250_000_000, "250M", "2.5亿"),
        (-12_345, f"{M}12.3k", f"{M}1.23万"),
    ],
)
def test_count_compact(x, en, zh):
    assert fmt.count(x, "en") == en
    assert fmt.count(x, "zh") == zh


@pytest.mark.parametrize(
    ("x", "expected"),
    [(1_234_567, "1,234,567"), (12_345.0, "12,345"), (2.5, "2.50"), (-3, f"{M}3")],
)
def test_count_precise(x, expected):
    assert fmt.count(x, "zh", precise=True) == expected


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [
        (0.034, 1, "3.4%"),
        (0.0062, 1, "0.62%"),  # below 1%: one more decimal
        (0.00996, 1, "1.0%"),  # rounds to 1.00%, so it is not "below 1%"
        (0, 1, "0.0%"),
        (1, 1, "100.0%"),
        (12.345, 1, "1,234.5%"),
        (-0.25, 1, f"{M}25.0%"),  # ROI can be negative
        (0.12345, 2, "12.35%"),
        (0.0012345, 2, "0.123%"),
        (0.0000001, 1, "0.0%"),
    ],
)
def test_rate(x, digits, expected):
    assert fmt.rate(x, "en", digits=digits) == expected
    assert fmt.rate(x, "zh", digits=digits) == expected


@pytest.mark.parametrize(("x", "expected"), [(2.4549, "2.45"), (0, "0.00"), (1234.5, "1,234.50"), (-0.5, f"{M}0.50")])
def test_ratio(x, expected):
    assert fmt.ratio(x, "en") == expected


@pytest.mark.parametrize(
    ("x", "en", "zh"),
    [
        (12.5, "12.5 days", "12.5天"),
        (12.54, "12.5 days", "12.5天"),
        (3.14, "3.1 days", "3.1天"),  # never more than one decimal
        (1, "1 day", "1天"),
        (1.04, "1 day", "1天"),
        (0.5, "0.5 days", "0.5天"),
        (0, "0 days", "0天"),
        (123.4, "123 days", "123天"),
        (1_234.5, "1,235 days", "1,235天"),
    ],
)
def test_days(x, en, zh):
    assert fmt.days(x, "en") == en
    assert fmt.days(x, "zh") == zh


@pytest.mark.parametrize(
    ("x", "en", "zh"),
    [
        (0, "0s", "0秒"),
        (0.4, "0s", "0秒"),
        (45, "45s", "45秒"),
        (83, "1m 23s", "1分23秒"),
        (83.5, "1m 24s", "1分24秒"),
        (59.6, "1m", "1分钟"),  # a zero second part is left out
        (120, "2m", "2分钟"),
        (3_600, "1h", "1小时"),
        (3_725, "1h 2m", "1小时2分"),
        (-83, f"{M}1m 23s", f"{M}1分23秒"),
    ],
)
def test_seconds(x, en, zh):
    assert fmt.seconds(x, "en") == en
    assert fmt.seconds(x, "zh") == zh


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (0.082, "+8.2%"),
        (-0.031, f"{M}3.1%"),
        (0.0062, "+0.62%"),
        (-0.0004, f"{M}0.04%"),
        (0, "0.0%"),
        (0.00001, "0.0%"),  # rounds to nothing: no sign, no extra decimal
        (2.5, "+250.0%"),
    ],
)
def test_delta(change, expected):
    assert fmt.delta(change, "en") == expected
    assert fmt.delta(change, "zh") == expected


@pytest.mark.parametrize(
    ("change", "en", "zh"),
    [
        (0.012, "+1.2 pp", "+1.2个百分点"),  # 3.4% − 2.2%
        (-0.0035, f"{M}0.35 pp", f"{M}0.35个百分点"),
        (0, "0.0 pp", "0.0个百分点"),
        (0.00003, "0.0 pp", "0.0个百分点"),  # not "0.00 pp"
    ],
)
def test_pp(change, en, zh):
    assert fmt.pp(change, "en") == en
    assert fmt.pp(change, "zh") == zh


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT, float("inf"), -np.inf])
@pytest.mark.parametrize(
    "formatter",
    [fmt.money, fmt.count, fmt.rate, fmt.ratio, fmt.days, fmt.seconds, fmt.delta, fmt.pp],
)
def test_missing_is_a_dash(formatter, missing):
    assert formatter(missing, "en") == "—"
    assert formatter(missing, "zh") == "—"


@pytest.mark.parametrize(
    ("kind", "x", "precise", "zh"),
    [
        ("money", 12_345.6, False, "¥1.23万"),
        ("money", 12_345.6, True, "¥12,345.60"),
        ("count", 123_456, False, "12.3万"),
        ("count", 123_456, True, "123,456"),
        ("rate", 0.034, False, "3.4%"),
        ("rate", 0.034, True, "3.4%"),  # one form only
        ("ratio", 2.45, False, "2.45"),
        ("days", 12.5, False, "12.5天"),
        ("seconds", 83, False, "1分23秒"),
        ("money", None, True, "—"),
    ],
)
def test_value_dispatch(kind, x, precise, zh):
    assert fmt.value(kind, x, "zh", precise=precise) == zh


def test_value_unknown_kind():
    with pytest.raises(ValueError, match="percent"):
        fmt.value("percent", 0.1, "en")


@pytest.mark.parametrize(
    ("change", "higher_is_better", "color"),
    [
        (0.08, True, "green"),  # revenue up
        (-0.08, True, "red"),  # revenue down
        (0.08, False, "red"),  # refund rate up
        (-0.08, False, "green"),  # CAC down
        (0, True, "off"),
        (None, True, "off"),
        (float("nan"), False, "off"),
        (0.08, None, "off"),  # no better direction (e.g. sessions share)
    ],
)
def test_delta_color(change, higher_is_better, color):
    assert fmt.delta_color(change, higher_is_better) == color


@pytest.mark.parametrize(("change", "arrow"), [(0.08, "up"), (-0.08, "down"), (0, "off"), (None, "off")])
def test_delta_arrow(change, arrow):
    assert fmt.delta_arrow(change) == arrow


def test_streamlit_reads_a_minus_only_from_ascii():
    """Why delta_color/delta_arrow exist: st.metric would call "−3.1%" a rise."""
    from streamlit.elements.metric import _is_negative_delta

    assert not _is_negative_delta(fmt.delta(-0.031, "en"))
