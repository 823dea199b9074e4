"""Every headline metric as a record, and the numbers for a period.

A metric is defined once (METRICS.md) in SQL (``queries/kpis.sql``); this
module says how to label, format and judge it, which table it needs, and
assembles the current and comparison values that pages, the CLI and the
report all show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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
    Metric("sessions", "Sessions", "访客数", "count", True, "traffic", uses_category=False),
    Metric("bounce_rate", "Bounce rate", "跳失率", "rate", False, "traffic", uses_category=False),
    Metric("conversion_rate", "Conversion rate", "转化率", "rate", True, "traffic", uses_category=False),
    Metric("revenue_per_session", "Revenue per session", "UV价值", "money", True, "traffic", uses_category=False),
    Metric("ad_spend", "Ad spend", "广告花费", "money", None, "ad_spend", uses_category=False),
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
    if value is None:
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
    for m in METRICS:
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
