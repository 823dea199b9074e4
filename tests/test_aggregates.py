"""The pre-aggregated tables of queries/_aggregates.sql and the queries' two paths.

Queries without filters add per-day (or per-cell) counts from sales_days,
order_days, order_cells and customer_days; with filters, or when an order has
paid lines in several cells of the period (multi_cell_orders), they read the
order lines. Both paths must give the same numbers: a hand-worked fixture
checks the tables and the counts, and on demo data every filter-free answer
is compared with the same question asked with every channel listed (which
takes the order-line path and means the same thing).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from storeops.db import Store
from storeops.filters import Filters
from storeops.metrics import kpis, period_part
from storeops.periods import Period

pytestmark = pytest.mark.usefixtures("isolated_cache_env")

HEADER = (
    "order_id,order_time,customer_id,sku,quantity,unit_price,discount,refund_amount,status,channel,platform,category\n"
)
# C1: two orders on 03-04 (one day, two orders) and one on 03-08.
# C2: one order on 03-05 and one on 03-09.
# C3: one order, never again.
SIMPLE = HEADER + (
    "A1,2024-03-04 09:00:00,C1,A,1,100,0,,paid,direct,jd,shoes\n"
    "A2,2024-03-04 18:00:00,C1,B,1,50,0,,paid,direct,jd,bags\n"
    "A3,2024-03-08 10:00:00,C1,A,1,100,0,,paid,direct,jd,shoes\n"
    "B1,2024-03-05 10:00:00,C2,A,2,100,0,,paid,direct,tmall,shoes\n"
    "B1,2024-03-05 10:00:00,C2,B,1,50,0,,paid,direct,tmall,bags\n"
    "B2,2024-03-09 10:00:00,C2,A,1,100,0,,cancelled,direct,tmall,shoes\n"
    "B3,2024-03-09 11:00:00,C2,A,1,100,0,,paid,direct,tmall,shoes\n"
    "D1,2024-03-06 10:00:00,C3,A,1,100,0,,paid,direct,jd,shoes\n"
)
# The same plus an order whose paid lines fall on two days (03-09 23:59 and 03-10 00:01).
SPANNING = SIMPLE + (
    "S1,2024-03-09 23:59:00,C3,A,1,100,0,,paid,direct,jd,shoes\n"
    "S1,2024-03-10 00:01:00,C3,B,1,50,0,,paid,direct,jd,bags\n"
)
WEEK = Period(dt.date(2024, 3, 4), dt.date(2024, 3, 10))
ALL = Filters()


def test_customer_days_hold_each_buyers_days_with_neighbours(make_store) -> None:
    store = make_store({"orders.csv": SIMPLE})
    got = store._query_uncached(
        "select customer_id, order_date, orders, prev_date, prev2_date, next_date from customer_days "
        "order by customer_id, order_date"
    )
    d = dt.date
    rows = [
        (r.customer_id, r.order_date.date(), r.orders, r.prev_date, r.prev2_date, r.next_date) for r in got.itertuples()
    ]
    nat = [None if pd.isna(v) else pd.Timestamp(v).date() for r in rows for v in r[3:]]
    assert [r[:3] for r in rows] == [
        ("C1", d(2024, 3, 4), 2),  # A1 and A2
        ("C1", d(2024, 3, 8), 1),
        ("C2", d(2024, 3, 5), 1),
        ("C2", d(2024, 3, 9), 1),  # B2 is cancelled: B3 only
        ("C3", d(2024, 3, 6), 1),
    ]
    assert nat == [
        None, None, d(2024, 3, 8),
        d(2024, 3, 4), None, None,
        None, None, d(2024, 3, 9),
        d(2024, 3, 5), None, None,
        None, None, None,
    ]  # fmt: skip
    assert store._query_uncached("select count(*) from multi_cell_orders").iloc[0, 0] == 0
    # each row carries its customer's customer_profile key (C1, C2, C3 numbered by id)
    keys = store._query_uncached(
        "select distinct d.customer_id, d.customer_key, p.customer_id as of_key from customer_days as d "
        "left join customer_profile as p on p.customer_key = d.customer_key order by 1"
    )
    assert keys.values.tolist() == [["C1", 1, "C1"], ["C2", 2, "C2"], ["C3", 3, "C3"]]


def test_counts_without_filters_are_the_exact_counts(make_store) -> None:
    store = make_store({"orders.csv": SIMPLE})
    week = kpis(store, WEEK, ALL)
    # orders A1 A2 A3 B1 B3 D1; buyers C1 C2 C3; C1 (3 orders) and C2 (2) came back
    assert (week["orders"], week["buyers"], week["new_customers"]) == (6, 3, 3)
    assert week["repurchase_rate"] == pytest.approx(2 / 3)
    # 03-06..03-08: C3 (D1) and C1 (A3), one order each
    mid = kpis(store, Period(dt.date(2024, 3, 6), dt.date(2024, 3, 8)), ALL)
    assert (mid["orders"], mid["buyers"], mid["repurchase_rate"]) == (2, 2, 0)
    # 03-04 alone: C1's two orders on one day make C1 a repeat buyer
    day = kpis(store, Period(dt.date(2024, 3, 4), dt.date(2024, 3, 4)), ALL)
    assert (day["orders"], day["buyers"], day["repurchase_rate"]) == (2, 1, 1.0)
    # 03-05..03-09: B1 D1 A3 B3; C2's second day (B3) falls in the period, C1 has only 03-08 in it
    late = kpis(store, Period(dt.date(2024, 3, 5), dt.date(2024, 3, 9)), ALL)
    assert (late["orders"], late["buyers"], late["repurchase_rate"]) == (4, 3, pytest.approx(1 / 3))


def test_an_order_on_two_days_is_counted_once(make_store) -> None:
    store = make_store({"orders.csv": SPANNING})
    assert store._query_uncached("select count(*) from multi_cell_orders").iloc[0, 0] == 2
    week = kpis(store, WEEK, ALL)
    # S1 once (not once per day); C3 now has two orders (D1, S1)
    assert (week["orders"], week["buyers"]) == (7, 3)
    assert week["repurchase_rate"] == pytest.approx(3 / 3)
    daily = store.run("sales_daily", start=WEEK.start, end=WEEK.end, channels=[], platforms=[], categories=[])
    assert list(daily["orders"]) == [2, 1, 1, 0, 1, 2, 1]  # S1 on 03-09 and on 03-10, as the lines say
    # traffic_by reads the week's order lines (S1 spans two cells) and the next week's cells, whichever slot
    # the week is in: S1 once in the week's total
    after = Period(dt.date(2024, 3, 11), dt.date(2024, 3, 17))
    for now, then, week in ((WEEK, after, "current"), (after, WEEK, "comparison")):
        dates = {"start": now.start, "end": now.end, "cstart": then.start, "cend": then.end}
        total = store.run("traffic_by", dimensions=["total"], **dates, channels=[], platforms=[])
        assert period_part(total, period=week, dimension="total").loc[0, "orders"] == 7
    # both periods in one call (the funnel page): the week once per period, S1 once in its total
    none = {"channels": [], "platforms": []}
    later = Period(dt.date(2024, 3, 11), dt.date(2024, 3, 17))
    for period, comparison in ((WEEK, later), (later, WEEK)):
        both = store.run(
            "funnel_trends", start=period.start, end=period.end, cstart=comparison.start, cend=comparison.end, **none
        )
        name = "current" if period == WEEK else "comparison"
        week = both[both["period"] == name]
        assert list(week["orders"]) == [7, 2, 1, 1, 0, 1, 2, 1]  # the total row first, then the days
        assert pd.isna(week["bucket_date"].iloc[0])
        days = week[week["bucket_date"].notna()].drop(columns="period").reset_index(drop=True)
        alone = store.run("funnel_trends", start=WEEK.start, end=WEEK.end, cstart=WEEK.start, cend=WEEK.end, **none)
        alone = alone[alone["bucket_date"].notna() & (alone["period"] == "current")]
        pd.testing.assert_frame_equal(days, alone.drop(columns="period").reset_index(drop=True))


PERIODS = (
    Period(dt.date(2024, 6, 3), dt.date(2024, 6, 30)),
    Period(dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
    Period(dt.date(2023, 7, 1), dt.date(2024, 6, 30)),
    Period(dt.date(2024, 2, 29), dt.date(2024, 2, 29)),
)


def _channels(store: Store) -> list[str]:
    sql = "select channel from order_lines union select channel from traffic_days union select channel from ad_days"
    return sorted(store._query_uncached(sql)["channel"])


def _same(fast: pd.DataFrame, exact: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fast.reset_index(drop=True), exact.reset_index(drop=True), check_dtype=False)


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_demo_fast_answers_equal_the_order_line_answers(demo: Store, period: Period) -> None:
    everything = {"channels": _channels(demo), "platforms": []}
    none = {"channels": [], "platforms": []}
    span = {"start": period.start, "end": period.end}
    _same(demo.run("kpis", **span, **none, categories=[]), demo.run("kpis", **span, **everything, categories=[]))
    _same(
        demo.run("sales_daily", **span, **none, categories=[]),
        demo.run("sales_daily", **span, **everything, categories=[]),
    )
    both = {"cstart": period.start - dt.timedelta(days=365), "cend": period.end - dt.timedelta(days=365)}
    _same(
        demo.run("traffic_by", dimensions=[], **span, **both, **none),
        demo.run("traffic_by", dimensions=[], **span, **both, **everything),
    )
    _same(demo.run("funnel_trends", **span, **both, **none), demo.run("funnel_trends", **span, **both, **everything))
    _same(demo.run("roi_kpis", **span, **none), demo.run("roi_kpis", **span, **everything))
    for dimension in ("channel", "campaign"):
        _same(
            demo.run("roi_by", dimension=dimension, **span, **none),
            demo.run("roi_by", dimension=dimension, **span, **everything),
        )


def test_demo_has_no_order_across_cells(demo: Store) -> None:
    """So the comparison above does test the per-day / per-cell path."""
    assert demo._query_uncached("select count(*) from multi_cell_orders").iloc[0, 0] == 0
