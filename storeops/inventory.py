"""Inventory risk (METRICS.md "Inventory"): what to reorder today and what to clear.

The heavy work — daily units per SKU, revenue over 90 days, ABC classes,
stock-out spells — is SQL (``queries/inventory_*.sql``); this module adds the
numbers that depend on the service level and the default lead time, which the
page lets the buyer change: Z, safety stock, reorder point, stock-out
probability (Φ from ``statistics.NormalDist``, which DuckDB lacks), the
suggested order and the status. The frame is one row per SKU, so this is cheap
at any number of order lines.

``export_reorder(store, as_of)`` is ``python -m storeops export reorder``; the
page's reorder download is the same frame.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from statistics import NormalDist

import pandas as pd

from storeops.db import Store
from storeops.periods import Period
from storeops.settings import Settings, load_settings

# Status order of METRICS.md: the first that holds wins, and it is also the urgency order.
STATUSES = ("out_of_stock", "reorder_now", "dead_stock", "overstock", "healthy")
ABC_CLASSES = ("A", "B", "C")
TREND_THRESHOLD = 0.5  # last 7 days ≥ +50% over the daily average of the 28 before → trending
REORDER_COVER_DAYS = 7  # the suggested order covers the reorder point plus a week of demand
PROJECTION_DAYS = 30

EXPORT_COLUMNS = (
    "sku",
    "product_name",
    "category",
    "abc_class",
    "status",
    "on_hand",
    "on_order",
    "avg_daily_units",
    "days_of_cover",
    "safety_stock",
    "reorder_point",
    "stockout_probability",
    "suggested_order_qty",
)
_RATIO_COLUMNS = ("avg_daily_units", "days_of_cover", "safety_stock", "reorder_point", "stockout_probability")


@dataclass(frozen=True)
class Policy:
    """The thresholds the inventory numbers depend on (settings; the page can override two)."""

    service_level: float = 0.95
    default_lead_time_days: int = 14
    dead_stock_days: int = 90
    overstock_days: float = 90

    @classmethod
    def from_settings(cls, s: Settings, service_level: float | None = None, lead_time: int | None = None) -> Policy:
        return cls(
            service_level=s.service_level if service_level is None else service_level,
            default_lead_time_days=s.default_lead_time_days if lead_time is None else lead_time,
            dead_stock_days=s.dead_stock_days,
            overstock_days=s.overstock_days,
        )

    @property
    def z(self) -> float:
        """Z of the service level: 0.95 → 1.6449 (the standard normal quantile)."""
        return NormalDist().inv_cdf(self.service_level)


def policy_for(store: Store, service_level: float | None = None, lead_time: int | None = None) -> Policy:
    return Policy.from_settings(load_settings(store.data_dir)[0], service_level, lead_time)


def snapshot_date(store: Store, as_of: dt.date) -> dt.date | None:
    """D: the latest snapshot date on or before ``as_of`` (None when there is none)."""
    df = store.run("inventory_skus", as_of=as_of, categories=[])
    return None if df.empty else pd.Timestamp(df["snapshot_date"].iloc[0]).date()


# ---------------------------------------------------------------- per-SKU formulas


def stockout_probability(available: float, demand_lt: float, sigma_lt: float) -> float:
    """1 − Φ((on hand + on order − d·LT) / (σ·√LT)); with σ = 0, 1 when d·LT > available else 0."""
    if sigma_lt == 0:
        return 1.0 if demand_lt > available else 0.0
    return 1.0 - NormalDist().cdf((available - demand_lt) / sigma_lt)


def suggested_order(reorder_point: float, d: float, on_hand: float, on_order: float, min_order_qty: int | None) -> int:
    """max(0, ⌈reorder point + 7·d − on hand − on order⌉), rounded up to a multiple of min_order_qty."""
    # Rounded to 9 places first, so 41.000000000000007 (float noise) is 41, not 42.
    qty = max(0, math.ceil(round(reorder_point + REORDER_COVER_DAYS * d - on_hand - on_order, 9)))
    if qty and min_order_qty and min_order_qty > 1:
        qty = math.ceil(qty / min_order_qty) * min_order_qty
    return int(qty)


def _status(row: pd.Series, policy: Policy, as_of: pd.Timestamp) -> str:
    if row.on_hand <= 0:
        return "out_of_stock"
    if row.on_hand + row.on_order <= row.reorder_point and row.avg_daily_units > 0:
        return "reorder_now"
    no_recent_sales = pd.isna(row.last_sale_date) or row.last_sale_date <= as_of - pd.Timedelta(
        days=policy.dead_stock_days
    )
    old_enough = row.first_seen_date <= as_of - pd.Timedelta(days=policy.dead_stock_days)
    if no_recent_sales and old_enough:
        return "dead_stock"
    if pd.notna(row.days_of_cover) and row.days_of_cover > policy.overstock_days:
        return "overstock"
    return "healthy"


def sku_table(store: Store, as_of: dt.date, policy: Policy | None = None, categories: tuple = ()) -> pd.DataFrame:
    """One row per SKU of the latest snapshot ≤ ``as_of``, every METRICS.md field, most urgent first.

    Columns: the ``inventory_skus`` query's (stock, d, σ, 90-day units and
    revenue, ABC …) plus ``lead_time_used`` and ``lead_time_is_default``,
    ``safety_stock``, ``reorder_point``, ``days_of_cover`` (NaN when d = 0),
    ``stockout_probability``, ``suggested_order_qty``, ``status``,
    ``trend_change`` (last 7 days' daily average ÷ that of the 28 days before,
    − 1; NaN when the 28 days sold nothing) and ``is_trending``. Units are
    units, days are days, money is the store currency.
    """
    policy = policy or policy_for(store)
    df = store.run("inventory_skus", as_of=as_of, categories=list(categories))
    if df.empty:
        return df.assign(**{c: pd.Series(dtype="float64") for c in _DERIVED})
    df = df.copy()
    d = df["avg_daily_units"].astype(float)
    sigma = df["sd_daily_units"].astype(float).fillna(0.0)
    df["lead_time_is_default"] = df["lead_time_days"].isna()
    lt = df["lead_time_days"].astype("Float64").fillna(policy.default_lead_time_days).astype(float)
    df["lead_time_used"] = lt
    root_lt = lt.pow(0.5)
    df["safety_stock"] = policy.z * sigma * root_lt
    df["reorder_point"] = d * lt + df["safety_stock"]
    df["days_of_cover"] = (df["on_hand"] / d.where(d > 0)).astype(float)
    available = (df["on_hand"] + df["on_order"]).astype(float)
    df["stockout_probability"] = [
        stockout_probability(a, m, s) for a, m, s in zip(available, d * lt, sigma * root_lt, strict=True)
    ]
    df["suggested_order_qty"] = [
        suggested_order(r, dd, oh, oo, None if pd.isna(q) else int(q))
        for r, dd, oh, oo, q in zip(
            df["reorder_point"], d, df["on_hand"], df["on_order"], df["min_order_qty"], strict=True
        )
    ]
    as_of_ts = pd.Timestamp(df["snapshot_date"].iloc[0])
    df["status"] = [_status(row, policy, as_of_ts) for row in df.itertuples()]
    before = df["units_prior_28d"].astype(float) / 28
    df["trend_change"] = (df["units_7d"].astype(float) / 7) / before.where(before > 0) - 1
    df["is_trending"] = df["trend_change"].fillna(-1) >= TREND_THRESHOLD
    return sort_by_urgency(df)


_DERIVED = (
    "lead_time_is_default",
    "lead_time_used",
    "safety_stock",
    "reorder_point",
    "days_of_cover",
    "stockout_probability",
    "suggested_order_qty",
    "status",
    "trend_change",
    "is_trending",
)


def sort_by_urgency(df: pd.DataFrame) -> pd.DataFrame:
    """Most urgent first: status in METRICS.md order, then the likeliest to run out,
    the fewest days of cover, the most revenue (90 days), and the SKU code."""
    rank = df["status"].map({s: i for i, s in enumerate(STATUSES)})
    keys = pd.DataFrame(
        {
            "rank": rank,
            "p": -df["stockout_probability"],
            "cover": df["days_of_cover"].fillna(math.inf),
            "revenue": -df["net_revenue_90d"],
            "sku": df["sku"],
        }
    )
    order = keys.sort_values(["rank", "p", "cover", "revenue", "sku"], kind="stable").index
    return df.loc[order].reset_index(drop=True)


def export_reorder(
    store: Store, as_of: dt.date, service_level: float | None = None, lead_time: int | None = None
) -> pd.DataFrame:
    """The reorder list: ``EXPORT_COLUMNS`` for every SKU of the latest snapshot ≤ ``as_of``, most urgent first.

    Ratios are rounded to 4 decimals; days of cover is empty when d = 0.
    """
    return reorder_list(sku_table(store, as_of, policy_for(store, service_level, lead_time)))


def reorder_list(table: pd.DataFrame) -> pd.DataFrame:
    """``EXPORT_COLUMNS`` of a ``sku_table`` frame, in its order, ratios rounded to 4 decimals."""
    out = table.reindex(columns=list(EXPORT_COLUMNS)).copy()
    for column in _RATIO_COLUMNS:
        out[column] = out[column].astype(float).round(4)
    for column in ("on_hand", "on_order", "suggested_order_qty"):
        out[column] = out[column].astype("Int64")
    return out


# ---------------------------------------------------------------- page numbers


def kpis(table: pd.DataFrame, lost: pd.DataFrame | None) -> dict[str, float | int | None]:
    """The cards, from ``sku_table`` and ``stockouts``: counts by status, stock value and lost revenue.

    ``inventory_value`` is Σ on_hand × unit_cost over SKUs with a cost (None
    when no SKU has one); ``excess_stock_value`` the part held by overstock and
    dead-stock SKUs; ``stockout_lost_revenue`` the estimate of ``stockouts``
    (None without a stock-out day that could be priced; 0 when nothing ran out).
    """
    if table.empty:
        return dict.fromkeys(KPI_KEYS)
    status = table["status"]
    costed = table["inventory_value"].notna()
    value = float(table.loc[costed, "inventory_value"].sum()) if costed.any() else None
    excess = table["status"].isin(["overstock", "dead_stock"]) & costed
    out: dict[str, float | int | None] = {
        "skus_out_of_stock": int((status == "out_of_stock").sum()),
        "skus_reorder_now": int((status == "reorder_now").sum()),
        "skus_overstock": int((status == "overstock").sum()),
        "skus_dead_stock": int((status == "dead_stock").sum()),
        "inventory_value": None if value is None else round(value, 2),
        "excess_stock_value": None if value is None else round(float(table.loc[excess, "inventory_value"].sum()), 2),
        "stockout_lost_revenue": None,
    }
    if lost is not None:
        if lost.empty:
            out["stockout_lost_revenue"] = 0.0
        elif lost["lost_revenue"].notna().any():
            out["stockout_lost_revenue"] = round(float(lost["lost_revenue"].sum()), 2)
    return out


KPI_KEYS = (
    "skus_out_of_stock",
    "skus_reorder_now",
    "skus_overstock",
    "skus_dead_stock",
    "inventory_value",
    "excess_stock_value",
    "stockout_lost_revenue",
)


def stockouts(store: Store, period: Period, categories: tuple = ()) -> pd.DataFrame:
    """Stock-out days and estimated lost revenue per SKU in ``period`` (see queries/inventory_stockouts.sql).

    Estimated lost revenue = Σ over stock-out days of (average daily units
    before the stock-out × average price), where the average daily units
    before the stock-out are the units sold on the in-stock days of the 28
    days before the spell began ÷ those days, and the average price is net
    revenue ÷ units of the SKU's paid lines over the 365 days ending the
    period's last snapshot.
    """
    return store.run("inventory_stockouts", start=period.start, end=period.end, categories=list(categories))


def history(store: Store, sku: str, as_of: dt.date, days: int = 90) -> pd.DataFrame:
    """Daily units sold and on-hand of one SKU over the ``days`` days ending ``as_of``."""
    return store.run("inventory_history", sku=sku, start=as_of - dt.timedelta(days=days - 1), end=as_of)


def projection(row: pd.Series | object, as_of: dt.date, days: int = PROJECTION_DAYS) -> pd.DataFrame:
    """On hand over the next ``days`` days if the SKU keeps selling d a day and nothing arrives.

    One row per day (``day``, ``on_hand``): on_hand − d·k for k = 0 … days,
    never below 0. Goods on order are left out because their arrival date
    is not in the data.
    """
    on_hand = float(row.on_hand)
    d = float(row.avg_daily_units)
    return pd.DataFrame(
        {
            "day": [pd.Timestamp(as_of + dt.timedelta(days=k)) for k in range(days + 1)],
            "on_hand": [max(on_hand - d * k, 0.0) if on_hand > 0 else on_hand for k in range(days + 1)],
        }
    )


def days_to_reorder_point(row: pd.Series | object) -> float | None:
    """Days until on hand falls to the reorder point at d a day: (on hand − reorder point) / d.

    0 when it is already at or below; None when d = 0 (it never gets there).
    """
    d = float(row.avg_daily_units)
    if float(row.on_hand) <= float(row.reorder_point):
        return 0.0
    return None if d <= 0 else (float(row.on_hand) - float(row.reorder_point)) / d
