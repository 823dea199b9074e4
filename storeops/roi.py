"""Channel ROI: what each channel and campaign costs and brings back (METRICS.md "Advertising").

Attribution is the store's own: an order belongs to the channel recorded on
it (after the channel map), and to the campaign recorded on it when the
orders files carry a ``campaign`` column (optional in DATA.md). The numbers
come from ``queries/roi_*.sql``; this module assembles them for the page and
for ``python -m storeops export channels``, and holds the two pieces of
judgement the page offers: the budget what-if (a linear estimate at current
ROAS) and the ranked cut / grow suggestions.

Ad spend has no category, so the category filter never applies here (orders
are not filtered by category either, so revenue and spend cover the same
scope).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from storeops import fmt
from storeops.db import Store
from storeops.filters import Filters
from storeops.i18n import label_channel, t
from storeops.metrics import _clean, missing_tables, with_deltas
from storeops.periods import Period

# `python -m storeops export channels`: these columns, in this order.
EXPORT_COLUMNS = (
    "channel", "spend", "impressions", "clicks", "ctr", "cpc", "orders", "net_revenue",
    "new_customers", "roas", "platform_roas", "cpa", "cac", "gross_profit", "roi",
)  # fmt: skip
_EXPORT_MONEY = ("spend", "cpc", "net_revenue", "cpa", "cac", "gross_profit")
_EXPORT_RATIOS = ("ctr", "roas", "platform_roas", "roi")
_EXPORT_COUNTS = ("impressions", "clicks", "orders", "new_customers")

# Query column → registry metric key shown on the page (the page says "attributed").
PAGE_NAMES = {
    "spend": "ad_spend",
    "orders": "attributed_orders",
    "net_revenue": "attributed_revenue",
    "new_customers": "attributed_new_customers",
}
# The measures of the channel and campaign tables, in the order.
TABLE = [
    "ad_spend", "impressions", "clicks", "ctr", "cpc", "cpm", "attributed_orders", "attributed_revenue",
    "roas", "platform_roas", "cpa", "attributed_new_customers", "cac", "gross_profit", "roi",
]  # fmt: skip
CARDS = ["ad_spend", "attributed_revenue", "mer", "ncac", "roas", "roi", "break_even_roas"]

# Fewer attributed orders than this in the period: too few to judge a channel.
MIN_ORDERS = 5


def _params(period: Period, filters: Filters) -> dict:
    return {
        "start": period.start,
        "end": period.end,
        "channels": list(filters.channels),
        "platforms": list(filters.platforms),
    }


def columns(store: Store) -> dict[str, bool]:
    """Which optional columns the ad_spend and orders files carry (``has_<column>`` → bool)."""
    row = store.run("roi_columns").iloc[0]
    return {k: bool(v) for k, v in row.items()}


def by(store: Store, period: Period, filters: Filters, dimension: str = "channel") -> pd.DataFrame:
    """``queries/roi_by.sql``: one row per channel (or campaign) with spend or a paid order."""
    if dimension not in ("channel", "campaign"):
        raise ValueError(f"unknown dimension {dimension!r}")
    return store.run("roi_by", dimension=dimension, **_params(period, filters))


# ---------------------------------------------------------------- export


def export_channels(store: Store, period: Period) -> pd.DataFrame:
    """The channel table of the page, unfiltered: one row per channel group with spend or attributed orders.

    Columns ``EXPORT_COLUMNS``; money rounded to 2 decimals, ratios to 4,
    counts whole; None where a value is not computable (an empty CSV cell).
    """
    absent = missing_tables(store)
    if "ad_spend" in absent and "orders" in absent:
        return pd.DataFrame(columns=list(EXPORT_COLUMNS))
    df = by(store, period, Filters())
    df = df[(df["spend"] > 0) | (df["orders"] > 0)].rename(columns={"dimension_value": "channel"})
    df = df.sort_values("channel", kind="stable").reset_index(drop=True)
    out = pd.DataFrame({"channel": df["channel"].astype(str)})
    for col in EXPORT_COLUMNS[1:]:
        values = [_clean(v, "rate") for v in df[col]]
        if col in _EXPORT_MONEY:
            values = [None if v is None else round(v, 2) for v in values]
        elif col in _EXPORT_RATIOS:
            values = [None if v is None else round(v, 4) for v in values]
        else:
            values = [None if v is None else round(v) for v in values]
        out[col] = pd.array(values, dtype="Int64" if col in _EXPORT_COUNTS else "Float64")
    # A missing table makes its measures unknown (empty), never 0.
    if "ad_spend" in absent:
        for col in ("spend", "impressions", "clicks", "ctr", "cpc", "roas", "platform_roas", "cpa", "cac", "roi"):
            out[col] = pd.NA
    if "orders" in absent:
        for col in ("orders", "net_revenue", "new_customers", "roas", "cpa", "cac", "gross_profit", "roi"):
            out[col] = pd.NA
    return out


# ---------------------------------------------------------------- cards


def kpis(store: Store, period: Period, filters: Filters) -> dict[str, float | None]:
    """The headline cards (``CARDS``) for one period; None where inputs are missing or a denominator is 0."""
    row = store.run("roi_kpis", **_params(period, filters)).iloc[0]
    absent = missing_tables(store)
    kinds = {
        "ad_spend": "money",
        "attributed_revenue": "money",
        "mer": "ratio",
        "ncac": "money",
        "roas": "ratio",
        "roi": "rate",
        "break_even_roas": "ratio",
        "gross_margin": "rate",
        "attributed_orders": "count",
    }
    out = {}
    for key, kind in kinds.items():
        value = row[key]
        if "ad_spend" in absent or ("orders" in absent and key != "ad_spend"):
            value = None
        out[key] = _clean(value, kind)
    return out


def card_reasons(now: dict, lang: str, absent: set[str], has_costs: bool) -> dict[str, str]:
    """Why a card shows "—"."""
    reasons = {}
    for key in CARDS:
        if now.get(key) is not None:
            continue
        if "ad_spend" in absent:
            reasons[key] = t("needs", lang, table="ad_spend")
        elif "orders" in absent and key != "ad_spend":
            reasons[key] = t("needs", lang, table="orders")
        elif key in ("roi", "break_even_roas") and not has_costs:
            reasons[key] = t("roi.reason.costs", lang)
        elif key in ("mer", "roas", "roi") and not now.get("ad_spend"):
            reasons[key] = t("roi.reason.no_spend", lang)
        else:
            reasons[key] = t("no_data_period", lang)
    return reasons


# ---------------------------------------------------------------- tables


def _page_frame(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns=PAGE_NAMES)


def below_break_even(df: pd.DataFrame, store_break_even: float | None) -> list[bool]:
    """Rows that do not earn their spend back.

    With a known gross profit: ROI < 0 (ROAS below the row's own break-even
    ROAS, 1 / its gross margin). Without one (unit costs missing): ROAS below
    the store-wide break-even ROAS. A row without spend is never marked.
    """
    out = []
    for spend, roas, roi in zip(df["ad_spend"], df["roas"], df["roi"], strict=True):
        spend, roas, roi = _clean(spend, "rate"), _clean(roas, "rate"), _clean(roi, "rate")
        if not spend:
            out.append(False)
        elif roi is not None:
            out.append(roi < 0)
        else:
            out.append(roas is not None and store_break_even is not None and roas < store_break_even)
    return out


def channel_table(
    store: Store, period: Period, comparison: Period, filters: Filters, store_break_even: float | None
) -> pd.DataFrame:
    """One row per channel (``PAGE_NAMES``) with ``<metric>_delta`` / ``_pp`` and ``below_break_even``."""
    now = _page_frame(by(store, period, filters))
    then = _page_frame(by(store, comparison, filters))
    table = with_deltas(now, then, "dimension_value", TABLE)
    table["below_break_even"] = below_break_even(table, store_break_even)
    return table


def campaign_table(
    store: Store,
    period: Period,
    comparison: Period,
    filters: Filters,
    channel: str,
    has_order_campaign: bool,
    store_break_even: float | None,
) -> pd.DataFrame:
    """The campaigns of one channel, same measures as ``channel_table`` plus ``no_orders``.

    An order counts for the campaign recorded on it, within its channel
    (names matched exactly, as written). When the orders files carry no
    campaign at all, the store has no campaign attribution: the attributed
    measures are None (not 0) and the orders of the channel are not shown as
    a campaign. ``no_orders``: spend in the period and no attributed order.
    """
    scoped = Filters((channel,), filters.platforms, filters.categories)
    now = _page_frame(by(store, period, scoped, "campaign"))
    then = _page_frame(by(store, comparison, scoped, "campaign"))
    if not has_order_campaign:
        attributed = ["attributed_orders", "attributed_revenue", "attributed_new_customers", "roas", "cpa", "cac"]
        attributed += ["gross_profit", "roi", "break_even_roas", "revenue_share", "platform_roas_gap"]
        now, then = (f[f["ad_spend"] > 0].assign(**dict.fromkeys(attributed)) for f in (now, then))
    table = with_deltas(now, then, "dimension_value", TABLE)
    table["below_break_even"] = below_break_even(table, store_break_even)
    table["no_orders"] = [
        bool(has_order_campaign and spend and spend > 0 and orders == 0)
        for spend, orders in zip(table["ad_spend"], table["attributed_orders"], strict=True)
    ]
    return table


def weekly(store: Store, period: Period, filters: Filters) -> pd.DataFrame:
    """``queries/roi_weekly.sql``: ROAS per ISO week × channel with spend."""
    return store.run("roi_weekly", **_params(period, filters))


# ---------------------------------------------------------------- what-if


@dataclass(frozen=True)
class WhatIf:
    """Moving ``amount`` of spend from ``source`` to ``target``, each channel keeping its current ROAS.

    A linear estimate: real returns usually fall as a channel's budget grows
    (the cheapest clicks are bought first), so read it as an upper bound for
    the gain.
    """

    source: str
    target: str
    amount: float
    source_roas: float | None
    target_roas: float | None
    revenue_change: float | None  # amount × (ROAS_target − ROAS_source)
    # amount × (gross profit per yuan of spend, target − source); total spend is unchanged,
    # so this is also the change in profit after ad costs. None when a gross profit is unknown.
    profit_change: float | None


def what_if(channels: pd.DataFrame, source: str, target: str, amount: float) -> WhatIf:
    """The what-if for two rows of ``channel_table`` (both need spend > 0)."""
    rows = channels.set_index("dimension_value")

    def per_yuan(name: str) -> tuple[float | None, float | None]:
        row = rows.loc[name]
        spend = _clean(row["ad_spend"], "rate")
        if not spend:
            return None, None
        profit = _clean(row["gross_profit"], "rate")
        return _clean(row["roas"], "rate"), None if profit is None else profit / spend

    roas_from, profit_from = per_yuan(source)
    roas_to, profit_to = per_yuan(target)
    revenue = amount * (roas_to - roas_from) if roas_to is not None and roas_from is not None else None
    profit = amount * (profit_to - profit_from) if profit_to is not None and profit_from is not None else None
    return WhatIf(source, target, amount, roas_from, roas_to, revenue, profit)


# ---------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class Suggestion:
    channel: str
    action: str  # "cut" | "grow" | "watch"
    reason: str  # roi.why.<reason>
    score: float  # ranks within an action: money lost (cut), profit per yuan (grow), spend (watch)
    values: dict = field(default_factory=dict)


def suggestions(
    channels: pd.DataFrame, store_break_even: float | None, min_orders: int = MIN_ORDERS
) -> list[Suggestion]:
    """Which paid channels to cut and which to grow, ranked, each with the reason (``Suggestion.reason``).

    Over the rows of ``channel_table`` with spend:
    - no attributed order → cut (ranked by the money spent);
    - fewer than ``min_orders`` orders → watch (too few to judge);
    - ROI < 0 (below its break-even ROAS) → cut, ranked by the loss, spend − gross profit;
    - ROI ≥ 0 → grow, ranked by ROI (gross profit per yuan beyond the yuan itself);
    - gross profit unknown (unit costs missing): ROAS against the store's break-even ROAS.
    Order: cuts (largest first), then grows (best first), then watches.
    """
    out = []
    for row in channels.itertuples():
        spend = _clean(row.ad_spend, "rate")
        if not spend:
            continue
        orders = _clean(row.attributed_orders, "count") or 0
        roas, roi = _clean(row.roas, "rate"), _clean(row.roi, "rate")
        profit, be = _clean(row.gross_profit, "rate"), _clean(row.break_even_roas, "rate")
        values = {"spend": spend, "orders": orders, "roas": roas, "roi": roi, "profit": profit, "break_even": be}
        name = row.dimension_value
        if orders == 0:
            out.append(Suggestion(name, "cut", "no_orders", spend, values))
        elif orders < min_orders:
            out.append(Suggestion(name, "watch", "few_orders", spend, values))
        elif roi is not None and roi < 0:
            out.append(Suggestion(name, "cut", "below_break_even", spend - profit, {**values, "loss": spend - profit}))
        elif roi is not None:
            out.append(Suggestion(name, "grow", "above_break_even", roi, values))
        elif store_break_even is None or roas is None:
            out.append(Suggestion(name, "watch", "no_costs", spend, values))
        elif roas < store_break_even:
            gap = spend * (1 - roas / store_break_even)
            values["break_even"] = store_break_even
            out.append(Suggestion(name, "cut", "below_store_break_even", gap, values))
        else:
            values["break_even"] = store_break_even
            out.append(Suggestion(name, "grow", "above_store_break_even", roas / store_break_even - 1, values))
    rank = {"cut": 0, "grow": 1, "watch": 2}
    return sorted(out, key=lambda s: (rank[s.action], -s.score, s.channel))


def suggestion_text(s: Suggestion, lang: str) -> str:
    """The one sentence that gives a suggestion's reason, numbers formatted like the cards."""
    v = s.values

    def ratio(x: float | None) -> str:
        return fmt.ratio(x, lang)

    profit_per_yuan = None if v.get("profit") is None else v["profit"] / v["spend"]
    return t(
        f"roi.why.{s.reason}",
        lang,
        name=label_channel(s.channel, lang),
        spend=fmt.money(v["spend"], lang),
        orders=fmt.count(v["orders"], lang),
        roas=ratio(v["roas"]),
        break_even=ratio(v.get("break_even")),
        roi=fmt.rate(v.get("roi"), lang),
        loss=fmt.money(v.get("loss"), lang),
        per_yuan=fmt.money(profit_per_yuan, lang, precise=True)
        if profit_per_yuan is not None and math.isfinite(profit_per_yuan)
        else fmt.MISSING,
    )
