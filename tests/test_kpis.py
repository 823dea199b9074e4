"""Headline metrics (METRICS.md "Sales", "Traffic and funnel", "Advertising") on a hand-checked fixture.

Every expected number below is worked out by hand from the rows next to it;
nothing is recomputed with the SQL under test.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import write_files

from storeops.db import Store
from storeops.filters import Filters
from storeops.metrics import CLI_KEYS, change, kpis, report
from storeops.periods import Period

pytestmark = pytest.mark.usefixtures("isolated_cache_env")

# The period under test: Monday 2024-03-04 .. Sunday 2024-03-10.
WEEK = Period(dt.date(2024, 3, 4), dt.date(2024, 3, 10))

# Line ids (L1…) are referred to in the worked answers. gross = qty × price;
# refund = refund_amount, else gross − discount when refunded, else 0;
# net = gross − discount − refund (paid/refunded lines only).
ORDERS = """\
order_id,order_time,customer_id,sku,quantity,unit_price,discount,refund_amount,status,channel,platform,category,unit_cost
O0,2024-02-20 10:00:00,C1,A,1,100,0,,paid,baidu / cpc,tmall,shoes,40
O1,2024-03-04 09:00:00,C1,A,2,100,10,,paid,baidu / cpc,tmall,shoes,40
O1,2024-03-04 09:00:00,C1,B,1,50,0,20,paid,baidu / cpc,tmall,bags,
O2,2024-03-05 11:00:00,C2,A,1,100,0,,refunded,xhs,官网,shoes,40
O3,2024-03-05 12:00:00,C3,C,3,30,5,,pending,direct,jd,toys,10
O4,2024-03-06 08:00:00,C3,C,1,30,0,,cancelled,direct,jd,toys,10
O5,2024-03-07 10:00:00,C4,B,2,50,0,30,refunded,xhs,官网,bags,
O6,2024-03-08 10:00:00,C1,C,2,30,0,,paid,direct,jd,toys,10
O7,2024-03-09 10:00:00,C5,D,1,20,0,,paid,xhs,官网,toys,
O8,2024-03-06 07:00:00,C6,A,1,100,0,,cancelled,baidu / cpc,tmall,shoes,40
O9,2024-03-10 20:00:00,C6,A,1,100,20,,paid,xhs,tmall,shoes,40
O10,2024-03-05 15:00:00,C7,B,1,50,0,,paid,baidu / cpc,tmall,bags,
O11,2024-03-08 15:00:00,C7,A,1,100,0,,paid,xhs,tmall,shoes,40
OP1,2024-03-01 10:00:00,C8,A,1,100,0,,paid,baidu / cpc,tmall,shoes,40
OY0,2023-03-05 23:59:00,C9,A,1,100,0,,paid,xhs,官网,shoes,40
OY1,2023-03-12 23:59:59,C9,C,1,30,0,,paid,direct,jd,toys,10
"""
# Lines (file line − 1 = L#), in the week 2024-03-04..10 unless noted:
#  L1  O0  C1  before the week (C1's first paid order: C1 is returning in the week)
#  L2  O1  C1  paid_search tmall shoes  gross 200 disc 10 refund 0   net 190 cost 2×40=80
#  L3  O1  C1  paid_search tmall bags   gross  50 disc  0 refund 20  net  30 cost 1×25=25 (B: latest inventory cost)
#  L4  O2  C2  social official  shoes   gross 100 refunded, no amount → refund 100, net 0, cost 40
#  L5  O3  C3  direct jd toys pending   gross  90 → GMV only, not paid
#  L6  O4  C3  direct jd toys cancelled gross  30 → nothing
#  L7  O5  C4  social official bags     gross 100 refunded with refund_amount 30 → net 70, cost 2×25=50
#  L8  O6  C1  direct jd toys           gross  60 net 60 cost 20 (C1's 2nd order in the week)
#  L9  O7  C5  social official toys     gross  20 net 20, SKU D has no cost anywhere (uncosted)
#  L10 O8  C6  paid_search tmall shoes cancelled gross 100 → nothing (C6's first order, never paid)
#  L11 O9  C6  social tmall shoes       gross 100 disc 20 net 80 cost 40 (C6's first *paid* order → new)
#  L12 O10 C7  paid_search tmall bags   gross  50 net 50 cost 25 (C7's first paid order → new, paid_search)
#  L13 O11 C7  social tmall shoes       gross 100 net 100 cost 40 (C7's 2nd order)
#  L14 OP1 C8  2024-03-01, the previous period
#  L15 OY0 C9  2023-03-05, the day before the YoY period (C9's first order)
#  L16 OY1 C9  2023-03-12 23:59:59, last second of the YoY period 2023-03-06..2023-03-12

TRAFFIC = """\
date,channel,platform,sessions,bounces
2024-03-04,baidu / cpc,tmall,100,40
2024-03-05,xhs,官网,50,10
2024-03-06,direct,jd,50,5
2024-02-28,baidu / cpc,tmall,80,20
2024-03-11,xhs,官网,999,999
"""
# In the week: sessions 100 + 50 + 50 = 200, bounces 40 + 10 + 5 = 55.
# 2024-02-28 is in the previous period; 2024-03-11 is the day after the week.

AD_SPEND = """\
date,channel,campaign,platform,spend
2024-03-04,baidu / cpc,brand,tmall,60
2024-03-06,xhs,kol,官网,40
2024-03-09,直通车,zt,tmall,25
2024-02-27,baidu / cpc,brand,tmall,30
"""
# In the week: 60 (paid_search, tmall) + 40 (social, official_site) + 25 (marketplace_ads, tmall) = 125.

INVENTORY = """\
snapshot_date,sku,on_hand,unit_cost,category
2024-03-01,A,10,45,shoes
2024-03-01,B,10,20,bags
2024-03-08,B,8,25,bags
2024-03-09,B,7,,bags
2024-03-09,D,3,,toys
"""
# B's latest known cost is 25 (the 03-09 snapshot has none, so 03-08 counts);
# A's lines carry their own cost 40, which wins over inventory's 45; D has no cost.

FILES = {
    "orders/orders.csv": ORDERS,
    "traffic/traffic.csv": TRAFFIC,
    "ad_spend/ads.csv": AD_SPEND,
    "inventory/inv.csv": INVENTORY,
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("kpis")
    data = write_files(root / "data", FILES)
    s = Store(data, cache=root / "cache" / "cache.duckdb")
    s.refresh(wait=True)
    return s


def assert_metrics(got: dict, expected: dict) -> None:
    """Every CLI key present and equal (floats approximately, None exactly)."""
    assert set(CLI_KEYS) <= set(got)
    assert set(expected) == set(CLI_KEYS), "the test must state every metric"
    for key in CLI_KEYS:
        want = expected[key]
        if want is None:
            assert got[key] is None, f"{key}: expected None, got {got[key]!r}"
        else:
            assert got[key] == pytest.approx(want), f"{key}: expected {want}, got {got[key]!r}"


# (a) The whole week, no filter.
WEEK_ALL = {
    # non-cancelled gross: 200+50+100+90+100+60+20+100+50+100 (L2 L3 L4 L5 L7 L8 L9 L11 L12 L13)
    "gmv": 870,
    # paid net: 190+30+0+70+60+20+80+50+100
    "net_revenue": 600,
    # O1 O2 O5 O6 O7 O9 O10 O11 (O3 pending, O4/O8 cancelled)
    "orders": 8,
    # C1 C2 C4 C5 C6 C7 (C3 never paid)
    "buyers": 6,
    # 2+1+1+2+2+1+1+1+1
    "units": 12,
    "aov": 600 / 8,  # 75
    "revenue_per_buyer": 600 / 6,  # 100
    # refunds 20+100+30 = 150 over paid (gross − discount) 190+50+100+100+60+20+80+50+100 = 750
    "refund_rate": 0.2,
    # C2 C4 C5 C6 C7 first paid in the week; C1 first paid 2024-02-20
    "new_customers": 5,
    "returning_customers": 1,
    # C1 (O1, O6) and C7 (O10, O11) of 6 buyers
    "repurchase_rate": 2 / 6,
    # costed lines: (190−80)+(30−25)+(0−40)+(70−50)+(60−20)+(80−40)+(50−25)+(100−40) = 260;
    # uncosted L9 carries 20/600 = 3.3% ≤ 5% → a number, with L9 left out
    "gross_profit": 260,
    "sessions": 200,
    "bounce_rate": 55 / 200,
    "conversion_rate": 8 / 200,
    "revenue_per_session": 600 / 200,
    "ad_spend": 125,
    "mer": 600 / 125,  # 4.8
    "ncac": 125 / 5,  # 25
}

# (b) channel = social (raw "xhs"): L4 L7 L9 L11 L13.
WEEK_SOCIAL = {
    "gmv": 100 + 100 + 20 + 100 + 100,  # 420
    "net_revenue": 0 + 70 + 20 + 80 + 100,  # 270
    "orders": 5,  # O2 O5 O7 O9 O11
    "buyers": 5,  # C2 C4 C5 C6 C7
    "units": 1 + 2 + 1 + 1 + 1,  # 6
    "aov": 270 / 5,
    "revenue_per_buyer": 270 / 5,
    "refund_rate": (100 + 30) / (100 + 100 + 20 + 80 + 100),  # 130 / 400
    # C2 C4 C5 C6; C7's first paid order O10 came through paid_search, so not new here
    "new_customers": 4,
    "returning_customers": 1,
    "repurchase_rate": 0.0,  # nobody has 2 social orders
    # uncosted L9 carries 20/270 = 7.4% > 5% → "—"
    "gross_profit": None,
    "sessions": 50,  # xhs 2024-03-05
    "bounce_rate": 10 / 50,
    "conversion_rate": 5 / 50,
    "revenue_per_session": 270 / 50,
    "ad_spend": 40,
    "mer": 270 / 40,
    "ncac": 40 / 4,
}

# (c) platform = tmall: L2 L3 L11 L12 L13 (L10 cancelled).
WEEK_TMALL = {
    "gmv": 200 + 50 + 100 + 50 + 100,  # 500
    "net_revenue": 190 + 30 + 80 + 50 + 100,  # 450
    "orders": 4,  # O1 O9 O10 O11
    "buyers": 3,  # C1 C6 C7
    "units": 2 + 1 + 1 + 1 + 1,  # 6
    "aov": 450 / 4,
    "revenue_per_buyer": 450 / 3,
    "refund_rate": 20 / (190 + 50 + 80 + 50 + 100),  # 20 / 470
    "new_customers": 2,  # C6 (O9) and C7 (O10), both first orders on tmall
    "returning_customers": 1,  # C1
    "repurchase_rate": 1 / 3,  # C7: O10 and O11
    "gross_profit": 110 + 5 + 40 + 25 + 60,  # 240, every line costed
    "sessions": 100,
    "bounce_rate": 40 / 100,
    "conversion_rate": 4 / 100,
    "revenue_per_session": 450 / 100,
    "ad_spend": 60 + 25,  # baidu / cpc and 直通车 on tmall
    "mer": 450 / 85,
    "ncac": 85 / 2,
}

# (d) category = shoes: L2 L4 L11 L13 (L10 cancelled). Traffic and ad spend
# have no category, so sessions and spend are the unfiltered week's.
WEEK_SHOES = {
    "gmv": 200 + 100 + 100 + 100,  # 500
    "net_revenue": 190 + 0 + 80 + 100,  # 370
    "orders": 4,  # O1 O2 O9 O11
    "buyers": 4,  # C1 C2 C6 C7
    "units": 2 + 1 + 1 + 1,  # 5
    "aov": 370 / 4,
    "revenue_per_buyer": 370 / 4,
    "refund_rate": 100 / (190 + 100 + 80 + 100),  # 100 / 470
    # C2 (O2) and C6 (O9) are first orders; C7's first order O10 was bags
    "new_customers": 2,
    "returning_customers": 2,
    "repurchase_rate": 0.0,
    "gross_profit": 110 - 40 + 40 + 60,  # 170
    "sessions": 200,
    "bounce_rate": 55 / 200,
    "conversion_rate": 4 / 200,
    "revenue_per_session": 370 / 200,
    "ad_spend": 125,
    "mer": 370 / 125,
    "ncac": 125 / 2,
}

# (e) Previous period of the week: 2024-02-26..2024-03-03: only L14 (C8, cost 40),
# traffic 2024-02-28 (80 sessions, 20 bounces), spend 2024-02-27 (30).
PREVIOUS = {
    "gmv": 100,
    "net_revenue": 100,
    "orders": 1,
    "buyers": 1,
    "units": 1,
    "aov": 100,
    "revenue_per_buyer": 100,
    "refund_rate": 0.0,
    "new_customers": 1,
    "returning_customers": 0,
    "repurchase_rate": 0.0,
    "gross_profit": 60,
    "sessions": 80,
    "bounce_rate": 20 / 80,
    "conversion_rate": 1 / 80,
    "revenue_per_session": 100 / 80,
    "ad_spend": 30,
    "mer": 100 / 30,
    "ncac": 30 / 1,
}

# (e) YoY: 2024-03-04 − 364 d = 2023-03-06 .. 2023-03-12: only L16 (C9, toys, cost 10);
# C9's first paid order L15 is the day before, so C9 is returning. No traffic
# or spend in that week (the tables exist): sessions 0 and ratios "—".
YOY = {
    "gmv": 30,
    "net_revenue": 30,
    "orders": 1,
    "buyers": 1,
    "units": 1,
    "aov": 30,
    "revenue_per_buyer": 30,
    "refund_rate": 0.0,
    "new_customers": 0,
    "returning_customers": 1,
    "repurchase_rate": 0.0,
    "gross_profit": 20,
    "sessions": 0,
    "bounce_rate": None,
    "conversion_rate": None,
    "revenue_per_session": None,
    "ad_spend": 0,
    "mer": None,
    "ncac": None,
}

# (f) A month with no rows at all: counts and sums 0, every ratio None.
EMPTY = {
    "gmv": 0,
    "net_revenue": 0,
    "orders": 0,
    "buyers": 0,
    "units": 0,
    "aov": None,
    "revenue_per_buyer": None,
    "refund_rate": None,
    "new_customers": 0,
    "returning_customers": 0,
    "repurchase_rate": None,
    "gross_profit": 0,  # no lines, nothing uncosted: the profit of nothing is 0
    "sessions": 0,
    "bounce_rate": None,
    "conversion_rate": None,
    "revenue_per_session": None,
    "ad_spend": 0,
    "mer": None,
    "ncac": None,
}

CASES = {
    "week": (WEEK, Filters(), WEEK_ALL),
    "social": (WEEK, Filters(channels=("social",)), WEEK_SOCIAL),
    "tmall": (WEEK, Filters(platforms=("tmall",)), WEEK_TMALL),
    "shoes": (WEEK, Filters(categories=("shoes",)), WEEK_SHOES),
    "previous": (WEEK.previous(), Filters(), PREVIOUS),
    "yoy": (WEEK.yoy(), Filters(), YOY),
    "empty": (Period(dt.date(2022, 1, 1), dt.date(2022, 1, 31)), Filters(), EMPTY),
}


@pytest.mark.parametrize("case", CASES)
def test_kpis(store: Store, case: str) -> None:
    period, filters, expected = CASES[case]
    assert_metrics(kpis(store, period, filters), expected)


def test_comparison_periods_are_the_ones_metrics_md_defines() -> None:
    assert WEEK.previous() == Period(dt.date(2024, 2, 26), dt.date(2024, 3, 3))
    # 364 days back (across 2024-02-29): the same weekdays, Monday..Sunday
    assert WEEK.yoy() == Period(dt.date(2023, 3, 6), dt.date(2023, 3, 12))
    assert WEEK.yoy().start.weekday() == WEEK.start.weekday() == 0


@pytest.mark.parametrize(
    ("compare", "start", "end", "expected"),
    [
        ("previous", "2024-02-26", "2024-03-03", PREVIOUS),
        ("yoy", "2023-03-06", "2023-03-12", YOY),
    ],
)
def test_report_has_current_and_comparison(store: Store, compare: str, start: str, end: str, expected: dict) -> None:
    out = report(store, WEEK, compare, Filters())
    assert (out["start"], out["end"]) == ("2024-03-04", "2024-03-10")
    assert list(out["metrics"]) == list(CLI_KEYS)
    assert_metrics(out["metrics"], WEEK_ALL)
    assert (out["comparison"]["start"], out["comparison"]["end"]) == (start, end)
    assert list(out["comparison"]["metrics"]) == list(CLI_KEYS)
    assert_metrics(out["comparison"]["metrics"], expected)


def test_channel_and_platform_filters_combine(store: Store) -> None:
    # social AND tmall: L11 (C6, new) and L13 (C7, not new: first order was paid_search).
    got = kpis(store, WEEK, Filters(channels=("social",), platforms=("tmall",)))
    assert got["net_revenue"] == pytest.approx(80 + 100)
    assert (got["orders"], got["buyers"], got["new_customers"], got["returning_customers"]) == (2, 2, 1, 1)
    # several values of one filter are OR-ed: social or direct = L4 L7 L8 L9 L11 L13
    got = kpis(store, WEEK, Filters(channels=("social", "direct")))
    assert got["net_revenue"] == pytest.approx(270 + 60)
    assert got["orders"] == 6


def test_new_customer_first_order_cancelled_then_paid(store: Store) -> None:
    # C6 alone: 2024-03-10 is the day of O9 (C6's first paid order; O8 on 03-06 was cancelled).
    day = Period(dt.date(2024, 3, 10), dt.date(2024, 3, 10))
    got = kpis(store, day, Filters())
    assert (got["buyers"], got["new_customers"], got["returning_customers"]) == (1, 1, 0)
    # 03-06 holds only cancelled orders (O4, O8): no buyer at all, GMV 0
    day = Period(dt.date(2024, 3, 6), dt.date(2024, 3, 6))
    got = kpis(store, day, Filters())
    assert (got["gmv"], got["orders"], got["buyers"], got["new_customers"]) == (0, 0, 0, 0)


def test_customer_with_earlier_order_is_returning(store: Store) -> None:
    # 2024-03-04: only O1 by C1, whose first paid order was O0 on 2024-02-20.
    day = Period(dt.date(2024, 3, 4), dt.date(2024, 3, 4))
    got = kpis(store, day, Filters())
    assert (got["buyers"], got["new_customers"], got["returning_customers"]) == (1, 0, 1)
    # the 2024-02-20 day itself: C1 is new there
    day = Period(dt.date(2024, 2, 20), dt.date(2024, 2, 20))
    assert kpis(store, day, Filters())["new_customers"] == 1


# ---------------------------------------------------------------- invariants

INVARIANT_CASES = [
    *CASES.values(),
    (Period(dt.date(2023, 1, 1), dt.date(2024, 12, 31)), Filters(), None),
    (WEEK, Filters(channels=("paid_search",)), None),
    (WEEK, Filters(platforms=("official_site",)), None),
    (WEEK, Filters(categories=("bags", "toys")), None),
]


@pytest.mark.parametrize(("period", "filters", "_"), INVARIANT_CASES)
def test_invariants(store: Store, period: Period, filters: Filters, _: object) -> None:
    got = kpis(store, period, filters)
    assert got["new_customers"] + got["returning_customers"] == got["buyers"]
    assert 0 <= got["new_customers"] <= got["buyers"] <= got["orders"]
    assert got["units"] >= got["orders"]
    # no negative discounts in the fixture, so GMV ≥ net revenue
    assert got["gmv"] >= got["net_revenue"]
    if got["repurchase_rate"] is not None:
        assert 0 <= got["repurchase_rate"] <= 1


# ---------------------------------------------------------------- gross profit threshold (g)

HEADER = "order_id,order_time,customer_id,sku,quantity,unit_price,unit_cost\n"


@pytest.mark.parametrize(
    ("uncosted_price", "expected"),
    [
        # costed X1: net 95, cost 50 → profit 45; uncosted X2 net 5 of 100 = exactly 5% → a number
        (5, 45),
        # uncosted X2 net 6 of 101 = 5.9% > 5% → "—"
        (6, None),
        # nothing uncosted
        (0, 45),
    ],
)
def test_gross_profit_uncosted_share(make_store, uncosted_price: int, expected: float | None) -> None:
    rows = "X1,2024-01-01,c1,K,1,95,50\n"
    if uncosted_price:
        rows += f"X2,2024-01-01,c2,U,1,{uncosted_price},\n"
    store = make_store({"orders.csv": HEADER + rows})
    got = kpis(store, Period(dt.date(2024, 1, 1), dt.date(2024, 1, 1)), Filters())
    if expected is None:
        assert got["gross_profit"] is None
    else:
        assert got["gross_profit"] == pytest.approx(expected)


# ---------------------------------------------------------------- absent tables (j)

ORDERS_ONLY = HEADER + "X1,2024-01-01,c1,K,2,50,10\n"  # net 100, 1 order, 1 new customer
ONE_DAY = Period(dt.date(2024, 1, 1), dt.date(2024, 1, 1))
TRAFFIC_METRICS = ("sessions", "bounce_rate", "conversion_rate", "revenue_per_session")
AD_METRICS = ("ad_spend", "mer", "ncac")


def test_metrics_are_none_when_their_table_is_absent(make_store) -> None:
    store = make_store({"orders.csv": ORDERS_ONLY})
    got = kpis(store, ONE_DAY, Filters())
    assert got["net_revenue"] == pytest.approx(100)
    assert got["gross_profit"] == pytest.approx(80)  # 100 − 2 × 10
    for key in TRAFFIC_METRICS + AD_METRICS:
        assert got[key] is None, key


def test_traffic_without_ad_spend(make_store) -> None:
    store = make_store(
        {
            "orders.csv": ORDERS_ONLY,
            # 40 sessions, 10 bounces on the day
            "traffic.csv": "date,channel,sessions,bounces\n2024-01-01,direct,40,10\n",
        }
    )
    got = kpis(store, ONE_DAY, Filters())
    assert got["sessions"] == 40
    assert got["bounce_rate"] == pytest.approx(10 / 40)
    assert got["conversion_rate"] == pytest.approx(1 / 40)
    assert got["revenue_per_session"] == pytest.approx(100 / 40)
    for key in AD_METRICS:
        assert got[key] is None, key


def test_ad_spend_without_traffic(make_store) -> None:
    store = make_store(
        {
            "orders.csv": ORDERS_ONLY,
            "ad_spend.csv": "date,channel,spend\n2024-01-01,google ads,20\n",
        }
    )
    got = kpis(store, ONE_DAY, Filters())
    assert got["ad_spend"] == pytest.approx(20)
    assert got["mer"] == pytest.approx(100 / 20)
    assert got["ncac"] == pytest.approx(20 / 1)
    for key in TRAFFIC_METRICS:
        assert got[key] is None, key


def test_no_orders_table(make_store) -> None:
    store = make_store({"traffic.csv": "date,channel,sessions\n2024-01-01,direct,40\n"})
    got = kpis(store, ONE_DAY, Filters())
    assert got["sessions"] == 40
    for key in ("gmv", "net_revenue", "orders", "aov", "conversion_rate", "revenue_per_session", "ad_spend", "mer"):
        assert got[key] is None, key


@pytest.mark.parametrize(
    ("key", "now", "then", "lang", "compact", "moved", "text"),
    [
        # 3.4% → 4.6%: +1.2 points, and 1.2 / 3.4 = +35.3% relative.
        ("conversion_rate", 0.046, 0.034, "en", False, 0.012, "+1.2 pp, +35.3%"),
        ("conversion_rate", 0.046, 0.034, "zh", False, 0.012, "+1.2个百分点，+35.3%"),
        # A card's delta is narrow: "pp" in both languages, the relative change in brackets.
        ("conversion_rate", 0.046, 0.034, "zh", True, 0.012, "+1.2 pp (+35.3%)"),
        # ROAS 2.10 → 2.45: 0.35 / 2.10 = +16.7% relative, +0.35 in points.
        ("roas", 2.45, 2.10, "en", False, 0.35 / 2.10, "+16.7%, +0.35"),
        ("mer", 1.80, 2.00, "zh", True, -0.1, "−10.0% (−0.20)"),
        # A comparison of 0 has no relative change; the difference still means something.
        ("conversion_rate", 0.02, 0.0, "en", True, 0.02, "+2.0 pp"),
        ("roas", 2.45, 0.0, "en", False, 2.45, "+2.45"),
        # Money and counts: relative only.
        ("net_revenue", 110.0, 100.0, "en", True, 0.1, "+10.0%"),
        ("conversion_rate", 0.02, None, "en", False, None, "—"),
    ],
)
def test_change_shows_rates_and_multiples_in_points_too(key, now, then, lang, compact, moved, text):
    """METRICS.md: a delta is relative; rates (conversion, ROAS …) also show the change in points."""
    got_moved, got_text = change(key, now, then, lang, compact)
    assert got_text == text
    assert got_moved == pytest.approx(moved) if moved is not None else got_moved is None
