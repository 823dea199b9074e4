"""Every headline metric as a record, and the numbers for a period.

A metric is defined once (METRICS.md) in SQL (``queries/kpis.sql``); this
module says how to label, format and judge it, which table it needs, and
assembles the current and comparison values that pages, the CLI and the
report all show.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from storeops import fmt
from storeops.db import Store
from storeops.filters import Filters
from storeops.periods import Period


@dataclass(frozen=True)
class Metric:
    key: str
    en: str
    zh: str
    kind: str  # money | count | rate | ratio | seconds | days
    higher_is_better: bool | None
    needs: str  # the table it is computed from
    uses_category: bool = True  # False: the category filter does not apply
    # Optional columns of `needs` the metric is computed from: absent in the
    # user's files (NULL in every row) → the metric is "—", never 0.
    columns: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


METRICS: tuple[Metric, ...] = (
    Metric("net_revenue", "Net revenue", "净销售额", "money", True, "orders"),
    Metric("gmv", "GMV", "成交总额", "money", True, "orders"),
    Metric("orders", "Orders", "订单数", "count", True, "orders"),
    Metric("buyers", "Buyers", "买家数", "count", True, "orders"),
    Metric("units", "Units", "销量", "count", True, "orders"),
    Metric("aov", "AOV", "平均订单价", "money", True, "orders"),
    Metric("revenue_per_buyer", "Revenue per buyer", "客单价", "money", True, "orders"),
    Metric("refund_rate", "Refund rate", "退款率", "rate", False, "orders"),
    Metric("new_customers", "New customers", "新客数", "count", True, "orders"),
    Metric("returning_customers", "Returning customers", "老客数", "count", True, "orders"),
    Metric("repurchase_rate", "Repurchase rate", "复购率", "rate", True, "orders"),
    Metric("gross_profit", "Gross profit", "毛利", "money", True, "orders"),
    # Customers and members (storeops.members; store-wide, filters do not apply)
    Metric("members", "Members", "会员数", "count", True, "orders", uses_category=False),
    Metric("active_members", "Active members", "活跃会员", "count", True, "orders", uses_category=False),
    Metric("new_members", "New members", "新增会员", "count", True, "orders", uses_category=False),
    Metric("repurchase_90d", "90-day repurchase", "90天复购率", "rate", True, "orders", uses_category=False),
    Metric(
        "returning_revenue_share",
        "Returning share",
        "老客销售占比",
        "rate",
        None,  # a higher share is loyalty, or too few new customers
        "orders",
        uses_category=False,
    ),
    Metric(
        "points_balance",
        "Points liability",
        "积分负债",
        "count",
        None,
        "members",
        uses_category=False,
        columns=("points_balance",),
    ),
    Metric("sessions", "Sessions", "访客数", "count", True, "traffic", uses_category=False),
    Metric("users", "Users", "用户数", "count", True, "traffic", uses_category=False, columns=("users",)),
    Metric("new_users", "New users", "新用户数", "count", True, "traffic", uses_category=False, columns=("new_users",)),
    Metric(
        "new_user_share",
        "New-user share",
        "新用户占比",
        "rate",
        None,  # more new visitors is neither good nor bad in itself
        "traffic",
        uses_category=False,
        columns=("users", "new_users"),
    ),
    Metric("bounce_rate", "Bounce rate", "跳失率", "rate", False, "traffic", uses_category=False, columns=("bounces",)),
    Metric(
        "avg_dwell_seconds",
        "Avg dwell time",
        "平均停留时长",
        "seconds",
        True,
        "traffic",
        uses_category=False,
        columns=("avg_session_seconds",),
    ),
    Metric("conversion_rate", "Conversion rate", "转化率", "rate", True, "traffic", uses_category=False),
    Metric("revenue_per_session", "Revenue/session", "UV价值", "money", True, "traffic", uses_category=False),
    # Funnel step rates: step ÷ previous step (the previous step the files carry).
    Metric(
        "product_view_rate",
        "Product-view rate",
        "商品浏览率",
        "rate",
        True,
        "traffic",
        uses_category=False,
        columns=("product_views",),
    ),
    Metric(
        "add_to_cart_rate",
        "Add-to-cart rate",
        "加购率",
        "rate",
        True,
        "traffic",
        uses_category=False,
        columns=("add_to_cart",),
    ),
    Metric(
        "checkout_rate", "Checkout rate", "结算率", "rate", True, "traffic", uses_category=False, columns=("checkouts",)
    ),
    Metric(
        "purchase_rate", "Purchase rate", "支付率", "rate", True, "traffic", uses_category=False, columns=("purchases",)
    ),
    Metric(
        "cart_abandonment_rate",
        "Cart abandonment",
        "弃购率",
        "rate",
        False,
        "traffic",
        uses_category=False,
        columns=("add_to_cart", "purchases"),
    ),
    # Inventory risk (METRICS.md "Inventory"; storeops/inventory.py), as of the latest snapshot.
    Metric("skus_out_of_stock", "Out of stock", "缺货SKU数", "count", False, "inventory"),
    Metric("skus_reorder_now", "Reorder now", "需补货SKU数", "count", False, "inventory"),
    Metric("skus_overstock", "Overstock", "积压SKU数", "count", False, "inventory"),
    Metric("skus_dead_stock", "Dead stock", "滞销SKU数", "count", False, "inventory"),
    Metric("inventory_value", "Inventory value", "库存金额", "money", None, "inventory", columns=("unit_cost",)),
    Metric(
        "excess_stock_value",
        "Overstock + dead value",
        "积压滞销金额",
        "money",
        False,
        "inventory",
        columns=("unit_cost",),
    ),
    Metric("stockout_lost_revenue", "Lost to stock-outs", "缺货损失估算", "money", False, "inventory"),
    Metric("ad_spend", "Ad spend", "广告花费", "money", None, "ad_spend", uses_category=False),
    # Advertising by channel and campaign (pages/channel_roi.py, storeops/roi.py)
    Metric(
        "impressions", "Impressions", "展现量", "count", True, "ad_spend", uses_category=False, columns=("impressions",)
    ),
    Metric("clicks", "Clicks", "点击量", "count", True, "ad_spend", uses_category=False, columns=("clicks",)),
    Metric("ctr", "CTR", "点击率", "rate", True, "ad_spend", uses_category=False, columns=("impressions", "clicks")),
    Metric("cpc", "CPC", "平均点击花费", "money", False, "ad_spend", uses_category=False, columns=("clicks",)),
    Metric("cpm", "CPM", "千次展示费用", "money", False, "ad_spend", uses_category=False, columns=("impressions",)),
    Metric("attributed_orders", "Attributed orders", "归因订单数", "count", True, "ad_spend", uses_category=False),
    Metric("attributed_revenue", "Attributed revenue", "归因销售额", "money", True, "ad_spend", uses_category=False),
    Metric(
        "attributed_new_customers",
        "Attributed new customers",
        "归因新客数",
        "count",
        True,
        "ad_spend",
        uses_category=False,
    ),
    Metric("roas", "ROAS", "投入产出比", "ratio", True, "ad_spend", uses_category=False),
    Metric(
        "platform_roas",
        "Platform ROAS",
        "平台投产比",
        "ratio",
        None,  # a claim by the ad platform: higher is not better news in itself
        "ad_spend",
        uses_category=False,
        columns=("conversion_value",),
    ),
    Metric("cpa", "CPA", "单次成交成本", "money", False, "ad_spend", uses_category=False),
    Metric("cac", "CAC", "获客成本", "money", False, "ad_spend", uses_category=False),
    Metric("roi", "ROI", "投资回报率", "rate", True, "ad_spend", uses_category=False),
    Metric("break_even_roas", "Break-even ROAS", "保本投产比", "ratio", None, "ad_spend", uses_category=False),
    Metric("spend_share", "Share of spend", "花费占比", "rate", None, "ad_spend", uses_category=False),
    Metric("revenue_share", "Share of revenue", "销售额占比", "rate", None, "ad_spend", uses_category=False),
    Metric("mer", "MER", "营销效率比", "ratio", True, "ad_spend", uses_category=False),
    Metric("ncac", "Blended nCAC", "新客获客成本", "money", False, "ad_spend", uses_category=False),
)
BY_KEY = {m.key: m for m in METRICS}
# Keys of `python -m storeops metrics`, in the order the issue lists them.
CLI_KEYS = (
    "gmv",
    "net_revenue",
    "orders",
    "buyers",
    "units",
    "aov",
    "revenue_per_buyer",
    "refund_rate",
    "new_customers",
    "returning_customers",
    "repurchase_rate",
    "gross_profit",
    "sessions",
    "bounce_rate",
    "conversion_rate",
    "revenue_per_session",
    "ad_spend",
    "mer",
    "ncac",
)


def _clean(value: object, kind: str) -> float | int | None:
    if value is None or pd.isna(value):  # NULL arrives as None, NaN or pd.NA
        return None
    value = float(value)
    if math.isnan(value):
        return None
    if kind == "count":
        return round(value)
    if kind == "money":
        return round(value, 2)
    return value


def missing_tables(store: Store) -> set[str]:
    """Tables with no rows at all: their metrics are "—", not 0."""
    counts = store.run("table_counts")
    return set(counts.loc[counts["row_count"] == 0, "table_name"])


def kpis(store: Store, period: Period, filters: Filters) -> dict[str, float | int | None]:
    """Every metric of METRICS for one period; money rounded to 2 dp, rates unrounded."""
    row = store.run("kpis", start=period.start, end=period.end, **filters.params()).iloc[0]
    absent = missing_tables(store)
    out = {}
    for m in (BY_KEY[k] for k in CLI_KEYS):
        value = row[m.key]
        # A ratio over orders and traffic needs both tables.
        if m.needs in absent or (
            m.key in ("conversion_rate", "revenue_per_session", "mer", "ncac") and "orders" in absent
        ):
            value = None
        out[m.key] = _clean(value, m.kind)
    return out


def delta(current: float | None, comparison: float | None) -> float | None:
    """(current − comparison) / comparison; None when the comparison is 0 or missing."""
    if current is None or comparison is None or comparison == 0:
        return None
    return (current - comparison) / abs(comparison)


def change(
    key: str, now: float | None, then: float | None, lang: str, compact: bool = False
) -> tuple[float | None, str]:
    """How metric ``key`` moved, as (the number that colours it, the text to print).

    METRICS.md: a delta is relative; rates and multiples also show the change
    in points. A rate leads with points and adds the relative change
    (``+1.2 pp, +35.3%`` / ``+1.2个百分点，+35.3%``); a multiple such as
    ROAS leads with the relative change and adds the difference
    (``+16.7%, +0.35``); everything else is relative only. ``compact`` is
    for a KPI card's narrow delta: ``+1.2 pp (+35.3%)`` in both languages.
    The number is the leading one; None when it cannot be worked out.
    """
    kind = BY_KEY[key].kind
    relative = delta(now, then)
    if kind not in ("rate", "ratio"):
        return relative, fmt.delta(relative, lang)
    points = now - then if now is not None and then is not None else None
    if points is None:
        return None, fmt.MISSING
    in_points = fmt.pp(points, "en" if compact else lang) if kind == "rate" else fmt.ratio_change(points, lang)
    if relative is None:  # comparison 0: only the difference means something
        return points, in_points
    in_percent = fmt.delta(relative, lang)
    lead, extra = (in_points, in_percent) if kind == "rate" else (in_percent, in_points)
    if compact:
        text = f"{lead} ({extra})"
    else:
        text = f"{lead}, {extra}" if lang == "en" else f"{lead}，{extra}"
    return (points if kind == "rate" else relative), text


def report(store: Store, period: Period, compare: str, filters: Filters) -> dict:
    """The JSON of ``python -m storeops metrics``: current and comparison periods."""
    other = period.comparison(compare)
    now, then = kpis(store, period, filters), kpis(store, other, filters)
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "metrics": {k: now[k] for k in CLI_KEYS},
        "comparison": {
            "start": other.start.isoformat(),
            "end": other.end.isoformat(),
            "metrics": {k: then[k] for k in CLI_KEYS},
        },
    }


# ---------------------------------------------------------------- traffic and funnel

# The funnel step each step-rate card shows (queries/funnel_steps.sql).
STEP_RATES = {
    "product_views": "product_view_rate",
    "add_to_cart": "add_to_cart_rate",
    "checkouts": "checkout_rate",
    "purchases": "purchase_rate",
}
TRAFFIC_KEYS = (
    "sessions",
    "users",
    "new_users",
    "new_user_share",
    "bounce_rate",
    "avg_dwell_seconds",
    "orders",
    "conversion_rate",
    "net_revenue",
    "revenue_per_session",
)


def absent_traffic_columns(store: Store) -> set[str]:
    """Optional traffic columns that no traffic row reports (all of them when there is no traffic)."""
    row = store.run("traffic_columns").iloc[0]
    return {name.removeprefix("has_") for name, present in row.items() if not present}


def traffic_params(period: Period, filters: Filters) -> dict:
    # Traffic has no category: these pages leave the category filter out of
    # orders too, so a ratio's two sides cover the same scope.
    return {
        "start": period.start,
        "end": period.end,
        "channels": list(filters.channels),
        "platforms": list(filters.platforms),
    }


def traffic_periods_params(period: Period, comparison: Period, filters: Filters) -> dict:
    """``traffic_params`` of the period with the comparison period's dates ($cstart, $cend): the two-period
    traffic queries (traffic_by, funnel_steps, funnel_trends)."""
    return {**traffic_params(period, filters), "cstart": comparison.start, "cend": comparison.end}


def traffic_by(
    store: Store, period: Period, comparison: Period, filters: Filters, dimensions: Sequence[str]
) -> pd.DataFrame:
    """traffic_by's rows of both periods for ``dimensions`` ('total', 'channel', 'platform', 'channel_raw'):
    one call; ``period_part(frame, period="current", dimension="channel")`` takes one part apart. A page
    showing one period passes it twice."""
    return store.run("traffic_by", dimensions=list(dimensions), **traffic_periods_params(period, comparison, filters))


def traffic_periods(
    store: Store, period: Period, comparison: Period, filters: Filters, by: pd.DataFrame | None = None
) -> tuple[dict[str, float | int | None], dict[str, float | int | None]]:
    """The traffic and funnel cards of a period and of its comparison period (queries traffic_by and
    funnel_steps, dimension 'total', both periods in one call each). ``by``: the ``traffic_by`` frame of
    these periods and filters when the caller has one with the 'total' rows (the traffic page), so the
    totals are not asked for again.

    None when the table a metric needs is empty, when a column it needs is
    absent from the traffic files, or when its denominator is 0.
    """
    params = traffic_periods_params(period, comparison, filters)
    funnel = store.run("funnel_steps", dimensions=["total"], **params)
    totals = traffic_by(store, period, comparison, filters, ["total"]) if by is None else by
    now, then = (
        traffic_cards(
            store,
            period_part(totals, period=name, dimension="total"),
            period_part(funnel, period=name, dimension="total"),
        )
        for name in ("current", "comparison")
    )
    return now, then


def traffic_kpis(store: Store, period: Period, filters: Filters) -> dict[str, float | int | None]:
    """The cards of ``traffic_periods`` for one period."""
    return traffic_periods(store, period, period, filters)[0]


def traffic_cards(store: Store, totals: pd.DataFrame, funnel: pd.DataFrame) -> dict[str, float | int | None]:
    """The cards of ``traffic_kpis`` from a period's total row (``totals``: traffic_by's 'total' row, or no
    row) and its total funnel (funnel_steps' 'total' rows of the period). A key whose column ``totals`` lacks
    is None."""
    row = totals.iloc[0] if not totals.empty else {}
    values: dict[str, object] = {k: row.get(k) for k in TRAFFIC_KEYS}
    values.update({k: None for k in STEP_RATES.values()})
    values["cart_abandonment_rate"] = None
    for step in funnel.itertuples():
        if step.step in STEP_RATES:
            values[STEP_RATES[step.step]] = step.step_rate
        values["cart_abandonment_rate"] = step.cart_abandonment_rate
    absent_tables = missing_tables(store)
    absent_columns = absent_traffic_columns(store)
    out = {}
    for key, value in values.items():
        m = BY_KEY[key]
        if (
            m.needs in absent_tables
            or set(m.columns) & absent_columns
            or (key in ("conversion_rate", "revenue_per_session") and absent_tables & {"orders", "traffic"})
        ):
            value = None
        out[key] = _clean(value, m.kind)
    return out


def period_part(frame: pd.DataFrame, **match: str) -> pd.DataFrame:
    """The rows of a two-period query (funnel_steps, funnel_trends) whose columns equal ``match``
    (e.g. period="current", dimension="total"), without those columns: the frame the one-period query
    gives, index 0..n-1."""
    keep = pd.Series(True, index=frame.index)
    for column, value in match.items():
        keep &= frame[column] == value
    return frame[keep].drop(columns=list(match)).reset_index(drop=True)


@dataclass(frozen=True)
class FunnelPeriods:
    """What the funnel page shows for a period beside its comparison period, from two queries."""

    now: dict[str, float | int | None]  # the cards (traffic_kpis's keys; only sessions, orders and
    then: dict[str, float | int | None]  # conversion of traffic_by's; the others None)
    steps: pd.DataFrame  # funnel_steps: period × dimension × value × step
    trends: pd.DataFrame  # funnel_trends: period × bucket, and each period's total row

    def funnel(self, dimension: str, period: str = "current") -> pd.DataFrame:
        """funnel_steps' rows for ``dimension`` ('total', 'channel', 'platform') and period."""
        return period_part(self.steps, period=period, dimension=dimension)

    def trend(self, period: str = "current") -> pd.DataFrame:
        """funnel_trends' buckets of the period."""
        part = self.trends[self.trends["bucket_date"].notna()]
        return period_part(part, period=period)


def funnel_periods(store: Store, period: Period, comparison: Period, filters: Filters) -> FunnelPeriods:
    """The funnel page's numbers for both periods in two calls (queries funnel_steps and funnel_trends); the
    cards' sessions, orders and conversion are traffic_by's, from funnel_trends' whole-period rows."""
    params = traffic_periods_params(period, comparison, filters)
    steps = store.run("funnel_steps", dimensions=[], **params)
    trends = store.run("funnel_trends", **params)
    whole = trends[trends["bucket_date"].isna()]
    cards = {
        name: traffic_cards(
            store,
            period_part(whole, period=name)[["sessions", "orders", "conversion_rate"]],
            period_part(steps, period=name, dimension="total"),
        )
        for name in ("current", "comparison")
    }
    return FunnelPeriods(cards["current"], cards["comparison"], steps, trends)


def with_deltas(now: pd.DataFrame, then: pd.DataFrame, key: str, columns: Iterable[str]) -> pd.DataFrame:
    """``now`` with each metric column's change against ``then``, rows matched on ``key``.

    Rates get ``<col>_pp`` (the difference of the two fractions, shown in
    points); other kinds get ``<col>_delta`` (relative change, ``delta``).
    None when the row or value is missing from either period, or the
    comparison is 0.
    """
    merged = now.merge(then, on=key, how="left", suffixes=("", "__then"), indicator=False)
    out = now.copy()
    for column in columns:
        pairs = zip(merged[column], merged[f"{column}__then"], strict=True)
        clean = [(_clean(a, "rate"), _clean(b, "rate")) for a, b in pairs]
        if BY_KEY[column].kind == "rate":
            out[f"{column}_pp"] = [a - b if a is not None and b is not None else None for a, b in clean]
        else:
            out[f"{column}_delta"] = [delta(a, b) for a, b in clean]
    return out


def top_movers(
    now: pd.DataFrame, then: pd.DataFrame, key: str, column: str, n: int = 3, min_share: float = 0.02
) -> pd.DataFrame:
    """The ``n`` rows whose ``column`` changed most against ``then`` (largest absolute change first).

    Rows with less than ``min_share`` of the period's sessions are skipped (a
    channel with 5 sessions doubles by chance), and so are rows without a
    value in either period. Columns: ``key``, ``now``, ``then``, ``change``
    (absolute) and ``delta`` (relative; for rates the change is in points).
    """
    merged = now[now["session_share"] >= min_share][[key, column]].merge(
        then[[key, column]], on=key, suffixes=("_now", "_then")
    )
    merged = merged.dropna(subset=[f"{column}_now", f"{column}_then"])
    out = pd.DataFrame(
        {
            key: merged[key],
            "now": merged[f"{column}_now"].astype(float),
            "then": merged[f"{column}_then"].astype(float),
        }
    )
    out["change"] = out["now"] - out["then"]
    out["delta"] = [delta(a, b) for a, b in zip(out["now"], out["then"], strict=True)]
    out = out[out["change"] != 0]
    return out.reindex(out["change"].abs().sort_values(ascending=False).index).head(n).reset_index(drop=True)


def weakest_step(funnels: dict[str, pd.DataFrame], min_share: float = 0.02) -> dict | None:
    """The funnel step furthest below the site's rate for that step, over every ``{dimension: funnel frame}``
    (a period's funnel_steps rows for the dimension).

    Values with less than ``min_share`` of sessions are skipped. Returns the
    dimension, its value, the step and the previous step (as the frame
    orders them), step_rate, site_step_rate and step_rate_gap_pp; None when
    no step is below the site rate.
    """
    best = None
    for dimension, df in funnels.items():
        for _, rows in df[df["session_share"] >= min_share].groupby("dimension_value", sort=False):
            rows = rows.sort_values("step_order")
            previous = rows["step"].shift()
            for (_, row), before in zip(rows.iterrows(), previous, strict=True):
                gap = _clean(row["step_rate_gap_pp"], "rate")
                if gap is None or gap >= 0 or (best is not None and gap >= best["step_rate_gap_pp"]):
                    continue
                best = {
                    "dimension": dimension,
                    "value": row["dimension_value"],
                    "step": row["step"],
                    "previous_step": before,
                    "step_rate": float(row["step_rate"]),
                    "site_step_rate": float(row["site_step_rate"]),
                    "step_rate_gap_pp": gap,
                }
    return best
