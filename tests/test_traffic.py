"""Traffic sources (METRICS.md "Traffic and funnel") on a hand-checked fixture.

Queries traffic_by, traffic_trend and traffic_columns, and the helpers
traffic_kpis, with_deltas and top_movers. Every expected number is worked out
by hand from the rows next to it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import write_files

from storeops.db import Store
from storeops.filters import Filters
from storeops.metrics import (
    absent_traffic_columns,
    period_part,
    top_movers,
    traffic_by,
    traffic_kpis,
    traffic_periods,
    with_deltas,
)
from storeops.periods import Period

pytestmark = pytest.mark.usefixtures("isolated_cache_env")

# Monday 2024-03-04 .. Sunday 2024-03-10; previous period 2024-02-26 .. 2024-03-03.
WEEK = Period(dt.date(2024, 3, 4), dt.date(2024, 3, 10))

TRAFFIC = """\
date,channel,platform,sessions,users,new_users,bounces,avg_session_seconds,product_views,add_to_cart,checkouts,purchases
2024-03-04,baidu / cpc,tmall,100,80,40,40,60,50,20,10,5
2024-03-05,Baidu / CPC,tmall,100,90,30,,120,60,20,10,6
2024-03-05,xhs,官网,50,40,20,10,30,30,10,4,2
2024-03-06,xhs,jd,50,,,20,,20,5,2,0
2024-03-06,direct,jd,200,150,30,50,90,120,40,20,16
2024-02-28,baidu / cpc,tmall,80,60,30,20,60,40,16,8,4
2024-03-11,xhs,官网,999,999,999,999,999,999,999,999,999
"""
# r1..r5 are the week's rows (r2 reports no bounces; r4 no users, new users
# or dwell); 02-28 is the previous period, 03-11 the day after the week.
# "Baidu / CPC" maps like "baidu / cpc" (case is ignored) → paid_search, but
# stays a raw value of its own in the drill-down.

ORDERS = """\
order_id,order_time,customer_id,sku,quantity,unit_price,discount,status,channel,platform,category
O1,2024-03-04 10:00:00,C1,A,1,100,0,paid,baidu / cpc,tmall,shoes
O2,2024-03-05 10:00:00,C2,A,2,100,20,paid,Baidu / CPC,tmall,shoes
O3,2024-03-06 10:00:00,C3,A,1,50,0,paid,xhs,jd,bags
O4,2024-03-06 11:00:00,C4,A,1,70,0,paid,direct,jd,bags
O5,2024-03-07 11:00:00,C5,A,1,30,0,paid,direct,jd,bags
O6,2024-03-07 12:00:00,C6,A,1,999,0,cancelled,xhs,官网,bags
O7,2024-03-08 12:00:00,C7,A,1,40,0,paid,email,官网,bags
O8,2024-02-27 10:00:00,C8,A,1,100,0,paid,baidu / cpc,tmall,shoes
"""
# Paid in the week (net = qty × price − discount): O1 paid_search/tmall 100,
# O2 paid_search/tmall 180, O3 social/jd 50, O4 direct/jd 70, O5 direct/jd 30,
# O7 email_crm/official_site 40 (a channel without traffic). O6 is cancelled;
# O8 is in the previous period (paid_search/tmall 100).


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("traffic")
    data = write_files(root / "data", {"traffic/t.csv": TRAFFIC, "orders/o.csv": ORDERS})
    s = Store(data, cache=root / "cache" / "cache.duckdb")
    s.refresh(wait=True)
    return s


def run_by(store: Store, dimension: str, period: Period = WEEK, channels=(), platforms=()):
    """traffic_by's rows of one dimension for one period (passed as both periods)."""
    df = store.run(
        "traffic_by",
        dimensions=[dimension],
        start=period.start,
        end=period.end,
        cstart=period.start,
        cend=period.end,
        channels=list(channels),
        platforms=list(platforms),
    )
    pd.testing.assert_frame_equal(period_part(df, period="current"), period_part(df, period="comparison"))
    return period_part(df, period="current", dimension=dimension).set_index("dimension_value")


def check(row, expected: dict) -> None:
    for key, want in expected.items():
        got = row[key]
        if want is None:
            assert got is None or pd.isna(got), f"{key}: expected NULL, got {got!r}"
        else:
            assert got == pytest.approx(want), f"{key}: expected {want}, got {got!r}"


def test_total_kpis(store):
    got = traffic_kpis(store, WEEK, Filters())
    expected = {
        "sessions": 500,  # 100 + 100 + 50 + 50 + 200
        "users": 360,  # 80 + 90 + 40 + 150 (r4 reports none)
        "new_users": 120,  # 40 + 30 + 20 + 30
        "new_user_share": 120 / 360,  # rows reporting both: r1 r2 r3 r5
        "bounce_rate": 120 / 400,  # (40 + 10 + 20 + 50) ÷ sessions of r1 r3 r4 r5
        "avg_dwell_seconds": (60 * 100 + 120 * 100 + 30 * 50 + 90 * 200) / 450,  # 83.33; r4 reports none
        "orders": 6,  # O1 O2 O3 O4 O5 O7
        "conversion_rate": 6 / 500,
        "net_revenue": 470,  # 100 + 180 + 50 + 70 + 30 + 40
        "revenue_per_session": 0.94,  # 470 / 500
    }
    check(got, expected)


def test_category_filter_does_not_apply(store):
    """Traffic has no category; the page's numbers ignore the category filter for orders too."""
    assert traffic_kpis(store, WEEK, Filters(categories=("shoes",))) == traffic_kpis(store, WEEK, Filters())


def test_by_channel(store):
    df = run_by(store, "channel")
    # sessions desc, then net revenue desc: paid_search (200, ¥280) before direct (200, ¥100)
    assert list(df.index) == ["paid_search", "direct", "social", "email_crm"]
    check(
        df.loc["paid_search"],
        {
            "sessions": 200,
            "users": 170,  # 80 + 90
            "new_users": 70,
            "new_user_share": 70 / 170,
            "bounce_rate": 40 / 100,  # r2 reports no bounces: only r1 counts
            "avg_dwell_seconds": 90,  # (60 × 100 + 120 × 100) / 200
            "orders": 2,
            "conversion_rate": 2 / 200,
            "net_revenue": 280,
            "revenue_per_session": 1.4,
            "session_share": 200 / 500,
            "revenue_share": 280 / 470,
            "revenue_share_gap_pp": 280 / 470 - 0.4,
        },
    )
    check(
        df.loc["social"],
        {
            "sessions": 100,  # r3 + r4
            "users": 40,  # r3 only
            "new_user_share": 0.5,  # 20 / 40
            "bounce_rate": 0.3,  # (10 + 20) / 100
            "avg_dwell_seconds": 30,  # r3 only: 30 × 50 / 50
            "orders": 1,
            "conversion_rate": 0.01,
            "net_revenue": 50,
            "revenue_per_session": 0.5,
        },
    )
    check(
        df.loc["direct"], {"sessions": 200, "new_user_share": 0.2, "bounce_rate": 0.25, "orders": 2, "net_revenue": 100}
    )
    # Orders without traffic: sessions 0, every ratio on sessions NULL, never 0.
    check(
        df.loc["email_crm"],
        {
            "sessions": 0,
            "users": None,
            "bounce_rate": None,
            "orders": 1,
            "conversion_rate": None,
            "net_revenue": 40,
            "revenue_per_session": None,
            "session_share": 0,
            "revenue_share": 40 / 470,
        },
    )


def test_both_periods_and_several_dimensions_in_one_call(store):
    """traffic_by with the week and the week before (2024-02-26 .. 03-03) and three dimensions: each part
    is what a call for that period and dimension alone gives, shares are of each period's and dimension's
    total, and the cards read from the frame equal those the query makes for itself."""
    before = Period(dt.date(2024, 2, 26), dt.date(2024, 3, 3))
    both = traffic_by(store, WEEK, before, Filters(), ["total", "channel", "platform"])
    assert list(dict.fromkeys(zip(both["period"], both["dimension"], strict=True))) == [
        (p, d) for p in ("current", "comparison") for d in ("total", "channel", "platform")
    ]
    for name, period in (("current", WEEK), ("comparison", before)):
        for dimension in ("total", "channel", "platform"):
            alone = run_by(store, dimension, period).reset_index()
            # dtypes may differ: a column with a NULL in another part (users of email_crm, a channel
            # without traffic) comes as nullable Int64 in every part
            pd.testing.assert_frame_equal(period_part(both, period=name, dimension=dimension), alone, check_dtype=False)
    # the week before: 80 sessions of paid_search / tmall (02-28) and O8 ¥100: all of each share
    before_channels = period_part(both, period="comparison", dimension="channel")
    assert before_channels[
        ["dimension_value", "sessions", "orders", "session_share", "revenue_share"]
    ].values.tolist() == [["paid_search", 80, 1, 1.0, 1.0]]
    # the week: paid_search 200 of 500 sessions and ¥280 of ¥470
    week = period_part(both, period="current", dimension="channel").set_index("dimension_value")
    check(week.loc["paid_search"], {"session_share": 200 / 500, "revenue_share": 280 / 470})
    assert traffic_periods(store, WEEK, before, Filters(), by=both) == traffic_periods(store, WEEK, before, Filters())
    assert traffic_periods(store, WEEK, before, Filters())[1]["sessions"] == 80


def test_by_platform(store):
    df = run_by(store, "platform")
    check(
        df.loc["jd"], {"sessions": 250, "orders": 3, "conversion_rate": 3 / 250, "net_revenue": 150}
    )  # r4 r5; O3 O4 O5
    check(df.loc["tmall"], {"sessions": 200, "orders": 2, "net_revenue": 280, "revenue_per_session": 1.4})
    check(df.loc["official_site"], {"sessions": 50, "orders": 1, "conversion_rate": 0.02, "net_revenue": 40})  # 官网


def test_drill_down_raw_sources_and_platforms(store):
    raw = run_by(store, "channel_raw", channels=["paid_search"])
    # Two raw spellings of one source, each with its own orders.
    assert set(raw.index) == {"baidu / cpc", "Baidu / CPC"}
    check(raw.loc["baidu / cpc"], {"sessions": 100, "bounce_rate": 0.4, "orders": 1, "net_revenue": 100})
    check(raw.loc["Baidu / CPC"], {"sessions": 100, "bounce_rate": None, "orders": 1, "net_revenue": 180})
    split = run_by(store, "platform", channels=["paid_search"])
    assert list(split.index) == ["tmall"]
    check(split.loc["tmall"], {"sessions": 200, "session_share": 1.0})


def test_platform_filter(store):
    df = run_by(store, "channel", platforms=["jd"])
    # jd only: social r4 (50) and direct r5 (200); O3 social, O4 O5 direct
    assert list(df.index) == ["direct", "social"]
    check(df.loc["social"], {"sessions": 50, "orders": 1, "conversion_rate": 0.02, "users": None})


def test_deltas_and_movers(store):
    now, then = run_by(store, "channel").reset_index(), run_by(store, "channel", WEEK.previous()).reset_index()
    table = with_deltas(now, then, "dimension_value", ["sessions", "conversion_rate"]).set_index("dimension_value")
    # paid_search: sessions 200 vs 80 → +150%; conversion 2/200 vs 1/80 → −0.25 points
    assert table.loc["paid_search", "sessions_delta"] == pytest.approx(1.5)
    assert table.loc["paid_search", "conversion_rate_pp"] == pytest.approx(0.01 - 0.0125)
    # direct had no traffic in the previous period: no delta, not +∞
    assert pd.isna(table.loc["direct", "sessions_delta"])
    movers = top_movers(now, then, "dimension_value", "sessions")
    assert movers.to_dict("records") == [
        {"dimension_value": "paid_search", "now": 200.0, "then": 80.0, "change": 120.0, "delta": 1.5}
    ]


def test_trend_daily_and_weekly(store):
    daily = store.run("traffic_trend", start=WEEK.start, end=WEEK.end, channels=[], platforms=[])
    assert set(daily["grain"]) == {"day"}
    day = daily[daily["bucket_date"] == pd_ts("2024-03-06")].set_index("channel")["sessions"].to_dict()
    assert day == {"direct": 200, "social": 50}
    # 61 days (2024-01-10 .. 2024-03-10) is longer than 60: ISO weeks, labelled by their Monday.
    weekly = store.run("traffic_trend", start=dt.date(2024, 1, 10), end=WEEK.end, channels=[], platforms=[])
    assert set(weekly["grain"]) == {"week"}
    got = {(str(r.bucket_date.date()), r.channel): r.sessions for r in weekly.itertuples()}
    assert got == {
        ("2024-02-26", "paid_search"): 80,  # 02-28 is a Wednesday
        ("2024-03-04", "paid_search"): 200,
        ("2024-03-04", "direct"): 200,
        ("2024-03-04", "social"): 100,
    }
    # exactly 60 days stays daily
    sixty = store.run("traffic_trend", start=dt.date(2024, 1, 11), end=WEEK.end, channels=[], platforms=[])
    assert set(sixty["grain"]) == {"day"}


def pd_ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def test_all_columns_present(store):
    assert absent_traffic_columns(store) == set()


REQUIRED_ONLY = """\
date,channel,sessions
2024-03-04,baidu / cpc,100
2024-03-05,direct,300
"""


def test_required_columns_only(make_store):
    store = make_store({"traffic/t.csv": REQUIRED_ONLY, "orders/o.csv": ORDERS})
    assert absent_traffic_columns(store) == {
        "users",
        "new_users",
        "bounces",
        "avg_session_seconds",
        "product_views",
        "add_to_cart",
        "checkouts",
        "purchases",
    }
    got = traffic_kpis(store, WEEK, Filters())
    assert got["sessions"] == 400
    # Not reported → None ("—" on the card), never 0.
    for key in ("users", "new_users", "new_user_share", "bounce_rate", "avg_dwell_seconds", "cart_abandonment_rate"):
        assert got[key] is None, key
    for key in ("product_view_rate", "add_to_cart_rate", "checkout_rate", "purchase_rate"):
        assert got[key] is None, key
    assert got["conversion_rate"] == pytest.approx(6 / 400)  # orders still count
    assert got["revenue_per_session"] == pytest.approx(1.18)  # 470 / 400 = 1.175, money rounds to 2 dp


def test_no_traffic_at_all(make_store):
    store = make_store({"orders/o.csv": ORDERS})
    got = traffic_kpis(store, WEEK, Filters())
    assert got["sessions"] is None and got["conversion_rate"] is None and got["revenue_per_session"] is None
