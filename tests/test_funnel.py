"""Conversion funnel (METRICS.md "Traffic and funnel") on hand-checked fixtures.

Queries funnel_steps and funnel_trends (a period and its comparison period in one
call; one period: passed twice), the step-rate cards of traffic_kpis /
traffic_periods, and weakest_step. The traffic and orders rows are those of
tests/test_traffic.py; every expected number is worked out by hand next to it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import write_files
from test_traffic import ORDERS, TRAFFIC, WEEK

from storeops.db import Store
from storeops.filters import Filters
from storeops.metrics import STEP_RATES, funnel_periods, period_part, traffic_kpis, traffic_periods, weakest_step
from storeops.periods import Period

pytestmark = pytest.mark.usefixtures("isolated_cache_env")

# The week's rows (sessions, product_views, add_to_cart, checkouts, purchases):
#   r1 paid_search tmall  100  50  20  10   5
#   r2 paid_search tmall  100  60  20  10   6
#   r3 social official     50  30  10   4   2
#   r4 social jd           50  20   5   2   0
#   r5 direct jd          200 120  40  20  16
# Totals: 500, 280, 95, 46, 29.


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("funnel")
    data = write_files(root / "data", {"traffic/t.csv": TRAFFIC, "orders/o.csv": ORDERS})
    s = Store(data, cache=root / "cache" / "cache.duckdb")
    s.refresh(wait=True)
    return s


def funnel(store: Store, dimension: str = "total", start=WEEK.start, end=WEEK.end, channels=(), platforms=()):
    """One period's funnel for one dimension: funnel_steps asked for that dimension, the period passed twice."""
    df = store.run(
        "funnel_steps",
        dimensions=[dimension],
        start=start,
        end=end,
        cstart=start,
        cend=end,
        channels=list(channels),
        platforms=list(platforms),
    )
    assert set(df["dimension"]) <= {dimension}
    return period_part(df, period="current", dimension=dimension)


def trend(store: Store, start=WEEK.start, end=WEEK.end) -> pd.DataFrame:
    """One period's buckets of funnel_trends (the period passed twice)."""
    df = store.run("funnel_trends", start=start, end=end, cstart=start, cend=end, channels=[], platforms=[])
    return period_part(df[df["bucket_date"].notna()], period="current")


def rows(df: pd.DataFrame, value: str) -> dict[str, tuple]:
    part = df[df["dimension_value"] == value]
    return {r.step: (r.step_count, r.step_rate, r.overall_rate) for r in part.itertuples()}


def assert_steps(got: dict, expected: dict) -> None:
    assert list(got) == list(expected)
    for step, (count, step_rate, overall) in expected.items():
        g_count, g_step, g_overall = got[step]
        assert g_count == count, step
        assert pd.isna(g_step) if step_rate is None else g_step == pytest.approx(step_rate), step
        assert g_overall == pytest.approx(overall), step


def test_total_funnel(store):
    assert_steps(
        rows(funnel(store), "all"),
        {
            "sessions": (500, None, 1.0),
            "product_views": (280, 280 / 500, 280 / 500),
            "add_to_cart": (95, 95 / 280, 95 / 500),
            "checkouts": (46, 46 / 95, 46 / 500),
            "purchases": (29, 29 / 46, 29 / 500),
        },
    )


def test_steps_never_increase(store):
    for dimension in ("total", "channel", "platform"):
        df = funnel(store, dimension)
        for _, part in df.groupby("dimension_value"):
            counts = list(part.sort_values("step_order")["step_count"])
            assert counts == sorted(counts, reverse=True), (dimension, counts)


def test_funnel_by_platform_and_gap_to_site(store):
    df = funnel(store, "platform")
    # sessions: jd 250, tmall 200, official_site 50
    assert list(dict.fromkeys(df["dimension_value"])) == ["jd", "tmall", "official_site"]
    assert_steps(
        rows(df, "tmall"),  # r1 + r2
        {
            "sessions": (200, None, 1.0),
            "product_views": (110, 0.55, 0.55),
            "add_to_cart": (40, 40 / 110, 0.2),
            "checkouts": (20, 0.5, 0.1),
            "purchases": (11, 0.55, 0.055),
        },
    )
    official = df[(df["dimension_value"] == "official_site") & (df["step"] == "purchases")].iloc[0]
    # 2 of 4 checkouts buy; the site: 29 of 46
    assert official["step_rate"] == pytest.approx(0.5)
    assert official["site_step_rate"] == pytest.approx(29 / 46)
    assert official["step_rate_gap_pp"] == pytest.approx(0.5 - 29 / 46)
    assert official["session_share"] == pytest.approx(50 / 500)
    # cart abandonment per value: 1 − purchases ÷ add_to_cart = 1 − 2/10
    assert official["cart_abandonment_rate"] == pytest.approx(0.8)


def test_cart_abandonment_and_step_cards(store):
    got = traffic_kpis(store, WEEK, Filters())
    assert got["cart_abandonment_rate"] == pytest.approx(1 - 29 / 95)  # 66/95
    assert got["product_view_rate"] == pytest.approx(280 / 500)
    assert got["add_to_cart_rate"] == pytest.approx(95 / 280)
    assert got["checkout_rate"] == pytest.approx(46 / 95)
    assert got["purchase_rate"] == pytest.approx(29 / 46)


def test_biggest_drop_off(store):
    by = {"channel": funnel(store, "channel"), "platform": funnel(store, "platform")}
    # social checkout → purchase: (2 + 0) / (4 + 2) = 1/3 against the site's 29/46 = 63.0%:
    # −29.7 points, below official_site's −13.0 (0.5) and tmall's −8.0 (0.55).
    assert weakest_step(by) == {
        "dimension": "channel",
        "value": "social",
        "step": "purchases",
        "previous_step": "checkouts",
        "step_rate": pytest.approx(1 / 3),
        "site_step_rate": pytest.approx(29 / 46),
        "step_rate_gap_pp": pytest.approx(1 / 3 - 29 / 46),
    }
    # A value with less than the minimum share of sessions is not named (social has 20%).
    assert weakest_step(by, min_share=0.25)["value"] != "social"


def test_trend(store):
    df = trend(store).set_index("bucket_date")
    assert len(df) == 7  # every day of the week, with or without traffic
    day = df.loc[pd.Timestamp("2024-03-04")]
    # r1: 100 sessions, O1; abandonment 1 − 5/20
    assert (day["sessions"], day["orders"]) == (100, 1)
    assert day["conversion_rate"] == pytest.approx(0.01)
    assert day["cart_abandonment_rate"] == pytest.approx(0.75)
    day = df.loc[pd.Timestamp("2024-03-06")]
    # r4 + r5: 250 sessions, O3 O4; abandonment 1 − 16/45
    assert day["conversion_rate"] == pytest.approx(2 / 250)
    assert day["cart_abandonment_rate"] == pytest.approx(1 - 16 / 45)
    # 03-07 has an order (O5) but no traffic: no rate, not 0 and not ∞
    day = df.loc[pd.Timestamp("2024-03-07")]
    assert (day["sessions"], day["orders"]) == (0, 1)
    assert pd.isna(day["conversion_rate"]) and pd.isna(day["cart_abandonment_rate"])


def test_weekly_trend_over_long_periods(store):
    df = trend(store, start=dt.date(2024, 1, 1))
    # 70 days → ISO weeks: Mondays 2024-01-01 .. 2024-03-04
    assert len(df) == 10
    assert set(pd.to_datetime(df["bucket_date"]).dt.day_of_week) == {0}
    week = df.set_index("bucket_date").loc[pd.Timestamp("2024-03-04")]
    assert (week["sessions"], week["orders"]) == (500, 6)


# Only some funnel columns, and one day that does not report add_to_cart.
PARTIAL = """\
date,channel,sessions,add_to_cart,purchases
2024-03-04,direct,100,10,4
2024-03-05,direct,100,,3
2024-03-06,direct,50,5,1
"""


def test_absent_steps_are_left_out_and_nulls_are_not_zero(make_store):
    store = make_store({"traffic/t.csv": PARTIAL})
    df = funnel(store)
    # product_views and checkouts are absent from every row: left out, not 0.
    assert_steps(
        rows(df, "all"),
        {
            "sessions": (250, None, 1.0),
            # 10 + 5; the previous present step is sessions, over the rows that report
            # add_to_cart: 15 / (100 + 50)
            "add_to_cart": (15, 0.1, 0.1),
            # 4 + 3 + 1 = 8; step rate over rows reporting both: (4 + 1) / (10 + 5);
            # overall 8 / 250
            "purchases": (8, 1 / 3, 8 / 250),
        },
    )
    got = traffic_kpis(store, WEEK, Filters())
    assert got["product_view_rate"] is None and got["checkout_rate"] is None
    assert got["add_to_cart_rate"] == pytest.approx(0.1)
    assert got["purchase_rate"] == pytest.approx(1 / 3)
    assert got["cart_abandonment_rate"] == pytest.approx(1 - 5 / 15)


def test_required_columns_only_leave_only_sessions(make_store):
    store = make_store({"traffic/t.csv": "date,channel,sessions\n2024-03-04,direct,100\n"})
    df = funnel(store)
    assert list(df["step"]) == ["sessions"]
    assert weakest_step({"channel": funnel(store, "channel")}) is None
    assert trend(store)["cart_abandonment_rate"].isna().all()


# ---------------------------------------------------------------- both periods in one call (the funnel page)

PREVIOUS = Period(dt.date(2024, 2, 26), dt.date(2024, 3, 3))


def _both(store: Store, name: str, period: Period = WEEK, comparison: Period = PREVIOUS, **filters) -> pd.DataFrame:
    params = {"channels": [], "platforms": [], **filters}
    return store.run(name, start=period.start, end=period.end, cstart=comparison.start, cend=comparison.end, **params)


def test_funnel_steps_hold_each_period_and_dimension(store):
    df = _both(store, "funnel_steps", dimensions=[])
    assert set(df["period"]) == {"current", "comparison"}
    assert list(dict.fromkeys(df["dimension"])) == ["total", "channel", "platform"]
    for name, part in (("current", WEEK), ("comparison", PREVIOUS)):
        for dimension in ("total", "channel", "platform"):
            want = funnel(store, dimension, start=part.start, end=part.end)
            pd.testing.assert_frame_equal(period_part(df, period=name, dimension=dimension), want)
    # the previous period: one row, 02-28 paid_search tmall 80 40 16 8 4
    assert_steps(
        rows(period_part(df, period="comparison", dimension="total"), "all"),
        {
            "sessions": (80, None, 1.0),
            "product_views": (40, 0.5, 0.5),
            "add_to_cart": (16, 0.4, 0.2),
            "checkouts": (8, 0.5, 0.1),
            "purchases": (4, 0.5, 0.05),
        },
    )


def test_funnel_steps_with_filters_and_overlapping_periods(store):
    # a period overlapping its comparison: each keeps its own rows
    long = Period(dt.date(2024, 2, 1), WEEK.end)
    comparison = Period(dt.date(2024, 2, 28), dt.date(2024, 3, 5))
    df = _both(store, "funnel_steps", long, comparison, dimensions=[], channels=["social"])
    got = period_part(df, period="comparison", dimension="total")
    # 02-28 is paid_search: social's only row in 02-28..03-05 is r3 (50 30 10 4 2)
    assert list(got["step_count"]) == [50, 30, 10, 4, 2]
    want = funnel(store, "platform", start=long.start, end=long.end, channels=["social"])
    pd.testing.assert_frame_equal(period_part(df, period="current", dimension="platform"), want)


def test_funnel_trends_hold_each_period_and_its_totals(store):
    df = _both(store, "funnel_trends")
    for name, part in (("current", WEEK), ("comparison", PREVIOUS)):
        rows_ = df[df["period"] == name]
        want = trend(store, part.start, part.end)
        pd.testing.assert_frame_equal(period_part(rows_[rows_["bucket_date"].notna()], period=name), want)
    whole = df[df["bucket_date"].isna()].set_index("period")
    # the week: 500 sessions, 6 paid orders (O7 has no traffic, still an order); before: 80 and O8
    assert (whole.loc["current", "sessions"], whole.loc["current", "orders"]) == (500, 6)
    assert whole.loc["current", "conversion_rate"] == pytest.approx(6 / 500)
    assert (whole.loc["comparison", "sessions"], whole.loc["comparison", "orders"]) == (80, 1)
    # a period with neither traffic nor orders has no total row (traffic_by gives no row either)
    empty = _both(store, "funnel_trends", WEEK, Period(dt.date(2023, 3, 4), dt.date(2023, 3, 10)))
    assert list(empty[empty["bucket_date"].isna()]["period"]) == ["current"]
    assert len(empty[empty["period"] == "comparison"]) == 7  # its days, without traffic


def test_funnel_periods_cards_equal_traffic_kpis(store):
    data = funnel_periods(store, WEEK, PREVIOUS, Filters())
    for got, period in ((data.now, WEEK), (data.then, PREVIOUS)):
        want = traffic_kpis(store, period, Filters())
        for key in ("sessions", "orders", "conversion_rate", "cart_abandonment_rate", *STEP_RATES.values()):
            assert got[key] == want[key], key
    assert data.now["conversion_rate"] == pytest.approx(6 / 500)
    pd.testing.assert_frame_equal(data.funnel("channel"), funnel(store, "channel"))
    assert data.trend("comparison")["sessions"].sum() == 80


def test_funnel_steps_for_some_dimensions_still_rate_against_the_site(store):
    # asked for channel alone: no 'total' rows, the site's rates still those of everything in the filters
    df = _both(store, "funnel_steps", dimensions=["channel"])
    assert set(df["dimension"]) == {"channel"}
    social = df[(df["period"] == "current") & (df["dimension_value"] == "social") & (df["step"] == "purchases")]
    # social checkout → purchase (2 + 0) / (4 + 2) against the site's 29 / 46; 100 of 500 sessions
    assert social["step_rate"].iloc[0] == pytest.approx(1 / 3)
    assert social["site_step_rate"].iloc[0] == pytest.approx(29 / 46)
    assert social["session_share"].iloc[0] == pytest.approx(100 / 500)
    every = _both(store, "funnel_steps", dimensions=[])
    pd.testing.assert_frame_equal(df, every[every["dimension"] == "channel"].reset_index(drop=True))


def test_traffic_periods_are_traffic_kpis_of_each_period(store):
    now, then = traffic_periods(store, WEEK, PREVIOUS, Filters())
    assert now == traffic_kpis(store, WEEK, Filters())
    assert then == traffic_kpis(store, PREVIOUS, Filters())
    # the previous period: 02-28 paid_search tmall 80 40 16 8 4, and O8
    assert (then["sessions"], then["orders"]) == (80, 1)
    assert then["purchase_rate"] == pytest.approx(0.5) and then["cart_abandonment_rate"] == pytest.approx(0.75)
