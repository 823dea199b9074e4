"""Readable numbers for cards, tables, charts and the report, in English and 简体中文.

Every formatter takes ``lang`` in {"en", "zh"} and returns "—" for a missing
value (None, NaN, pd.NA, ±inf): a metric without data is shown as a dash with
its reason, never as 0 (METRICS.md).

Compact values keep 3 significant digits and drop trailing zeros (``¥12.3k``,
``¥1.2M``); English groups by thousands (k, M, B), Chinese by 万 (10⁴) and
亿 (10⁸). Negative numbers use the typographic minus U+2212 (``−¥1.2k``).
Rounding is half-up on the decimal value, so ``1.235`` shows as ``1.24``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import pandas as pd

Lang = Literal["en", "zh"]
Kind = Literal["money", "count", "rate", "ratio", "days", "seconds"]

MISSING = "—"
MINUS = "\u2212"

_SIGNIFICANT = 3
# Steps of each language's compact notation, smallest first.
_UNITS: dict[str, tuple[tuple[float, str], ...]] = {
    "en": ((1e3, "k"), (1e6, "M"), (1e9, "B")),
    "zh": ((1e4, "万"), (1e8, "亿")),
}
# Counts below 10,000 stay exact ("9,876 orders"); money compacts from ¥1k in
# English because a KPI card has room for about five characters.
_COUNT_COMPACT_FROM = 1e4
_MONEY_COMPACT_FROM = 1e3


def _number(x: object) -> float | None:
    """``x`` as a finite float, or None when it is missing."""
    if x is None or pd.isna(x):
        return None
    f = float(x)
    return f if math.isfinite(f) else None


def _round(a: float, decimals: int) -> Decimal:
    # repr() is the shortest decimal that round-trips, so 2.675 rounds to
    # 2.68 as a reader expects, not to 2.67 as its binary value would.
    return Decimal(repr(a)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _fixed(a: float, decimals: int) -> str:
    """``a`` ≥ 0 with thousands separators and exactly ``decimals`` decimals."""
    return f"{_round(a, decimals):,.{decimals}f}"


def _strip(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def _significant(a: float, max_decimals: int = _SIGNIFICANT) -> Decimal:
    """``a`` ≥ 0 rounded to 3 significant digits, keeping every integer digit."""
    integer_digits = len(str(int(a))) if a >= 1 else 1
    return _round(a, min(max_decimals, max(0, _SIGNIFICANT - integer_digits)))


def _text(d: Decimal) -> str:
    return _strip(f"{d:,f}")


def _signed(x: float, text: str, plus: bool = False) -> str:
    """Prefix the sign; a value that rounds to zero gets none ("0.0%", not "−0.0%")."""
    if not any(ch in "123456789" for ch in text):
        return text
    if x < 0:
        return MINUS + text
    return "+" + text if plus else text


def _compact(a: float, lang: str, compact_from: float) -> str:
    """``a`` ≥ 0 in compact notation; values below ``compact_from`` stay whole."""
    scales = ((1.0, ""), *_UNITS[lang])

    def fits(k: int, v: float | Decimal) -> bool:
        return k == 0 or v >= max(scales[k][0], compact_from)

    i = max(k for k in range(len(scales)) if fits(k, a))
    while True:
        size, suffix = scales[i]
        d = _significant(a / size)
        # 999,960 rounds to "1,000k": show it as "1M" instead.
        if i + 1 < len(scales) and fits(i + 1, d * Decimal(repr(size))):
            i += 1
            continue
        return _text(d) + suffix


_currency = "¥"


def set_currency(symbol: str) -> None:
    """The store currency (settings.toml ``currency``) for every money value this process formats.

    One process serves one data folder, so one symbol: the dashboard sets it
    on every run, the CLI before it writes a report.
    """
    global _currency
    _currency = symbol


def currency() -> str:
    """The store currency symbol in use (``set_currency``)."""
    return _currency


def money(x: object, lang: Lang, currency: str | None = None, precise: bool = False) -> str:
    """Money in the store currency (``currency``, else the one ``set_currency`` chose).

    Compact (cards, chart labels): en ``¥950``, ``¥12.3k``, ``¥1.23M``,
    ``¥3.4B``; zh ``¥950``, ``¥9,876``, ``¥1.2万``, ``¥120万``, ``¥1.23亿``.
    ``precise=True`` (tables, hover): ``¥1,234,567.89`` in both languages.
    """
    f = _number(x)
    if f is None:
        return MISSING
    if precise:
        text = _fixed(abs(f), 2)
    else:
        compact_from = _MONEY_COMPACT_FROM if lang == "en" else _COUNT_COMPACT_FROM
        text = _compact(abs(f), lang, compact_from)
    return _signed(f, (_currency if currency is None else currency) + text)


def count(x: object, lang: Lang, precise: bool = False) -> str:
    """A number of things (orders, sessions, units).

    Exact below 10,000 (``1,234``), compact from there: en ``12.3k``,
    ``1.2M``; zh ``1.23万``, ``12.3万``, ``1.2亿``. ``precise=True``: all
    digits (``1,234,567``); a non-whole value keeps 2 decimals.
    """
    f = _number(x)
    if f is None:
        return MISSING
    if precise:
        text = _fixed(abs(f), 0 if f.is_integer() else 2)
    else:
        text = _compact(abs(f), lang, _COUNT_COMPACT_FROM)
    return _signed(f, text)


def _percent(pct: float, digits: int) -> str:
    """|pct| (already ×100) with ``digits`` decimals, one more when it is below 1.

    The extra decimal is only spent when it shows a digit: 0.004 is "0.0".
    """
    a = abs(pct)
    decimals = digits + 1 if 0 < _round(a, digits + 1) < 1 else digits
    return _fixed(a, decimals)


def rate(x: object, lang: Lang, digits: int = 1) -> str:
    """A fraction 0–1 (conversion, refund rate, share, ROI) as a percentage.

    ``0.034`` → ``3.4%``; below 1% one more decimal: ``0.0062`` → ``0.62%``.
    Same in both languages.
    """
    f = _number(x)
    if f is None:
        return MISSING
    return _signed(f, _percent(f * 100, digits) + "%")


def ratio(x: object, lang: Lang) -> str:
    """A multiple such as ROAS or MER, 2 decimals and no unit: ``2.45``."""
    f = _number(x)
    if f is None:
        return MISSING
    return _signed(f, _fixed(abs(f), 2))


def days(x: object, lang: Lang) -> str:
    """A duration in days (days of cover, lead time): ``12.5 days`` / ``12.5天``.

    At most one decimal, and none from 100 days up (``123 days``).
    """
    f = _number(x)
    if f is None:
        return MISSING
    text = _text(_significant(abs(f), max_decimals=1))
    if lang == "zh":
        return _signed(f, text + "天")
    return _signed(f, text + (" day" if text == "1" else " days"))


def seconds(x: object, lang: Lang) -> str:
    """A duration in seconds (dwell time), rounded to the second.

    en ``45s``, ``1m 23s``, ``2m``, ``1h 2m``; zh ``45秒``, ``1分23秒``,
    ``2分钟``, ``1小时2分``.
    """
    f = _number(x)
    if f is None:
        return MISSING
    total = int(_round(abs(f), 0))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    en = lang == "en"
    if h:
        parts = [(h, "h" if en else "小时"), (m, "m" if en else "分")]
    elif m:
        parts = [(m, "m" if en else "分"), (s, "s" if en else "秒")]
    else:
        parts = [(s, "s" if en else "秒")]
    if len(parts) == 2 and parts[1][0] == 0:
        # "2m", not "2m 0s"; a lone 分 reads as a score or a cent, so 分钟.
        parts = [(parts[0][0], "分钟" if parts[0][1] == "分" else parts[0][1])]
    return _signed(f, (" " if en else "").join(f"{n}{unit}" for n, unit in parts))


def delta(change: object, lang: Lang) -> str:
    """A relative change (current / comparison − 1) with its sign: ``+8.2%``, ``−3.1%``.

    Below 1% one more decimal (``+0.62%``); no change is ``0.0%``.
    """
    f = _number(change)
    if f is None:
        return MISSING
    return _signed(f, _percent(f * 100, 1) + "%", plus=True)


def pp(change: object, lang: Lang) -> str:
    """The change of a rate in percentage points; ``change`` is the difference of two fractions.

    ``0.012`` (3.4% − 2.2%) → ``+1.2 pp`` / ``+1.2个百分点``; below 1 point one
    more decimal (``−0.35 pp``).
    """
    f = _number(change)
    if f is None:
        return MISSING
    unit = " pp" if lang == "en" else "个百分点"
    return _signed(f, _percent(f * 100, 1) + unit, plus=True)


def ratio_change(change: object, lang: Lang) -> str:
    """The difference of two multiples (ROAS 2.10 → 2.45) with its sign: ``+0.35``."""
    f = _number(change)
    if f is None:
        return MISSING
    return _signed(f, _fixed(abs(f), 2), plus=True)


def value(kind: Kind, x: object, lang: Lang, precise: bool = False) -> str:
    """Format ``x`` by the metric's format ``kind``.

    ``precise`` applies to money and count; the other kinds have one form.
    """
    if kind == "money":
        return money(x, lang, precise=precise)
    if kind == "count":
        return count(x, lang, precise=precise)
    formatters = {"rate": rate, "ratio": ratio, "days": days, "seconds": seconds}
    if kind not in formatters:
        raise ValueError(f"unknown format kind {kind!r}")
    return formatters[kind](x, lang)


def delta_color(change: object, higher_is_better: bool | None) -> Literal["green", "red", "off"]:
    """The ``delta_color`` for ``st.metric``: green for good news, red for bad.

    An explicit colour rather than "normal"/"inverse": Streamlit decides the
    direction of a string delta by a leading ASCII "-", which the U+2212 of
    ``delta()`` is not, so "normal" would paint every fall green.
    "off" (grey) when there is no change, no data, or no better direction.
    """
    f = _number(change)
    if f is None or f == 0 or higher_is_better is None:
        return "off"
    return "green" if (f > 0) == higher_is_better else "red"


def delta_arrow(change: object) -> Literal["up", "down", "off"]:
    """The ``delta_arrow`` for ``st.metric``, for the same reason as ``delta_color``."""
    f = _number(change)
    if f is None or f == 0:
        return "off"
    return "up" if f > 0 else "down"
