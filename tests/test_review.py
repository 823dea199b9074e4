"""The weekly review (storeops/review.py, queries/review_*.sql, pages/weekly_review.py).

The fixture is one ISO week, 2024-W27 (Mon 2024-07-01 .. Sun 07-07), against
the week before (W26, 06-24 .. 06-30) and 364 days earlier (2023-07-03 .. 07-09).
Every expected number is worked out by hand next to the rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from storeops import fmt, review
from storeops.metrics import period_part
from storeops.periods import Period

pytestmark = pytest.mark.usefixtures("isolated_cache_env")
ROOT = Path(__file__).resolve().parent.parent

# net revenue per line = quantity × unit_price − discount − refund (paid or refunded lines only)
ORDERS = """order_id,order_time,customer_id,sku,quantity,unit_price,discount,status,channel,campaign,platform,category
P1,2024-06-24 10:00,C1,A,8,100,0,paid,paid_search,brand,tmall,shoes
P2,2024-06-25 10:00,C2,B,1,300,0,paid,direct,,jd,bags
P3,2024-06-26 10:00,C3,A,1,100,0,cancelled,paid_search,brand,tmall,shoes
W1,2024-07-01 10:00,C1,A,1,100,0,paid,paid_search,brand,tmall,shoes
W2,2024-07-02 10:00,C4,B,1,300,50,paid,direct,,jd,bags
W3,2024-07-03 10:00,C5,C,1,80,0,refunded,social,,tmall,bags
W4,2024-07-04 10:00,C2,C,3,80,0,paid,social,launch,douyin,bags
Y1,2023-07-04 10:00,C9,A,1,100,0,paid,direct,,tmall,shoes
"""
# W26: P1 800 + P2 300 = 1100 (P3 cancelled), 2 orders.
# W27: W1 100 + W2 (300 − 50) 250 + W3 (80 − 80 refunded) 0 + W4 240 = 590, 4 orders (a refunded line was paid).
# Change −510.  By channel: paid_search 100 − 800 = −700; direct 250 − 300 = −50; social 0 + 240 = +240.
# By platform: tmall 100 + 0 − 800 = −700; jd 250 − 300 = −50; douyin +240.
# By category: shoes 100 − 800 = −700; bags 250 + 0 + 240 − 300 = +190.
AD_SPEND = """date,channel,campaign,spend
2024-06-24,paid_search,brand,100
2024-07-01,paid_search,brand,70
2024-07-02,social,launch,50
"""
# paid_search spend 100 → 70: −30%.
TRAFFIC = """date,channel,sessions
2024-06-24,direct,100
2024-07-01,direct,80
"""
TARGETS = """month,metric,target
2024-07,net_revenue,3100
"""
INVENTORY = """snapshot_date,sku,on_hand
2024-06-30,A,5
2024-06-30,B,0
2024-07-03,A,0
2024-07-03,B,0
2024-07-05,C,0
"""
FILES = {
    "orders.csv": ORDERS,
    "ad_spend.csv": AD_SPEND,
    "traffic.csv": TRAFFIC,
    "targets.csv": TARGETS,
    "inventory.csv": INVENTORY,
}


@pytest.fixture
def store(make_store):
    return make_store(FILES)


@pytest.fixture
def r(store):
    return review.build(store, week="2024-W27")


# ---------------------------------------------------------------- periods


def test_parse_week_and_month():
    assert review.parse_week("2024-W27") == Period(dt.date(2024, 7, 1), dt.date(2024, 7, 7))
    assert review.parse_week("2021-W01") == Period(dt.date(2021, 1, 4), dt.date(2021, 1, 10))
    assert review.parse_month("2024-02") == Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    for bad in ("2024-27", "2024-W54", "W27"):
        with pytest.raises(ValueError):
            review.parse_week(bad)
    with pytest.raises(ValueError):
        review.parse_month("2024-13")


@pytest.mark.parametrize(
    ("latest", "week"),
    [
        (dt.date(2024, 7, 7), "2024-W27"),  # a Sunday: its own week is complete
        (dt.date(2024, 7, 6), "2024-W26"),  # a Saturday: the week before
        (dt.date(2024, 7, 1), "2024-W26"),
    ],
)
def test_default_week_is_the_last_complete_one(latest, week):
    assert review.default_week(latest) == week


def test_week_and_month_options_newest_first():
    assert review.week_options(dt.date(2024, 6, 20), dt.date(2024, 7, 9)) == ["2024-W27", "2024-W26", "2024-W25"]
    assert review.month_options(dt.date(2024, 5, 20), dt.date(2024, 7, 9)) == ["2024-07", "2024-06", "2024-05"]


def test_the_fixture_defaults_to_its_last_complete_week(store):
    # The latest order is 2024-07-04 (a Thursday): W27 is not complete, so W26.
    assert review.build(store).label == "2024-W26"


# ---------------------------------------------------------------- headline and comparisons


def test_periods_and_headline_numbers(r):
    assert r.period == Period(dt.date(2024, 7, 1), dt.date(2024, 7, 7))
    assert r.comparisons["previous"] == Period(dt.date(2024, 6, 24), dt.date(2024, 6, 30))
    assert r.comparisons["yoy"] == Period(dt.date(2023, 7, 3), dt.date(2023, 7, 9))
    assert r.now["net_revenue"] == 590
    assert r.now["orders"] == 4
    assert r.now["aov"] == 147.5  # 590 / 4
    assert r.then["previous"]["net_revenue"] == 1100
    assert r.then["yoy"]["net_revenue"] == 100
    assert r.change == -510
    assert r.now["sessions"] == 80 and r.now["ad_spend"] == 120  # 70 + 50


def test_daily_series(store, r):
    df = store.run("review_daily", start=dt.date(2024, 7, 1), end=dt.date(2024, 7, 4))
    # W1 100, W2 250, W3 0 (refunded, but a paid order), W4 240; sessions 80 on 07-01; spend 70 + 50.
    assert df["net_revenue"].tolist() == [100, 250, 0, 240]
    assert df["orders"].tolist() == [1, 1, 1, 1]
    assert df["sessions"].tolist() == [80, 0, 0, 0]
    assert df["ad_spend"].tolist() == [70, 50, 0, 0]
    week = r.period_days().set_index("day")
    assert week.at[dt.date(2024, 7, 1), "conversion_rate"] == 1 / 80
    assert pd.isna(week.at[dt.date(2024, 7, 2), "conversion_rate"])  # no sessions: no rate, not 0


# ---------------------------------------------------------------- decomposition


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        ("channel", {"paid_search": -700, "direct": -50, "social": 240}),
        ("platform", {"tmall": -700, "jd": -50, "douyin": 240}),
        ("category", {"shoes": -700, "bags": 190}),
        ("campaign", {"brand": -700, None: -50, "launch": 240}),
        ("sku", {"A": -700, "B": -50, "C": 240}),
    ],
)
def test_change_by_dimension_adds_up_to_the_total(r, dimension, expected):
    by = r.by[dimension]
    got = {(None if pd.isna(v) else v): c for v, c in zip(by["dimension_value"], by["net_revenue_change"], strict=True)}
    assert got == pytest.approx(expected)
    assert by["net_revenue_change"].sum() == pytest.approx(r.change, abs=1e-9)
    if dimension in review.DIMENSIONS:
        assert r.waterfall(dimension)["net_revenue_change"].sum() == pytest.approx(r.change, abs=1e-9)


def test_waterfall_groups_the_small_changes_and_still_adds_up():
    by = pd.DataFrame({"dimension_value": list("abcde"), "net_revenue_change": [5.0, -40.0, 0.0, 1.0, -2.0]})
    parts = review.waterfall_parts(by, max_bars=3)
    # b (−40), a (+5), then d (+1) and e (−2) together; c did not move.
    assert parts["dimension_value"].tolist() == ["b", "a", None]
    assert parts["n_values"].tolist() == [1, 1, 2]
    assert parts["net_revenue_change"].tolist() == [-40.0, 5.0, -1.0]
    assert parts["net_revenue_change"].sum() == by["net_revenue_change"].sum()


def test_traffic_conversion_aov_split(r):
    # Sessions 100 → 80, orders 2 → 4, revenue 1100 → 590: conversion .02 → .05, AOV 550 → 147.5.
    # traffic    = −20 × ((.02·550 + .05·147.5)/3 + (.02·147.5 + .05·550)/6) = −20 × (6.125 + 5.075) = −224
    # conversion = .03 × ((100·550 + 80·147.5)/3 + (100·147.5 + 80·550)/6) = .03 × 32,058.33 = 961.75
    # AOV        = −402.5 × ((100·.02 + 80·.05)/3 + (100·.05 + 80·.02)/6) = −402.5 × 3.1 = −1,247.75
    assert r.drivers == pytest.approx({"traffic": -224.0, "conversion": 961.75, "aov": -1247.75})
    assert sum(r.drivers.values()) == pytest.approx(-510)


def test_shapley_split_handles_a_period_without_orders():
    # 50 sessions, no orders → 100 sessions, 5 orders, 500: c 0 → .05, a 0 → 100.
    # traffic 50 × (5/3) = 83.33; conversion .05 × (10,000/3 + 5,000/6) = 208.33; AOV 100 × (5/3 + 2.5/6) = 208.33.
    got = review.shapley_drivers((50, 100), (0, 5), (0, 500))
    assert got == pytest.approx({"traffic": 250 / 3, "conversion": 625 / 3, "aov": 625 / 3})
    assert sum(got.values()) == pytest.approx(500)
    assert review.shapley_drivers((0, 100), (3, 5), (90, 500)) is None  # orders without sessions


def test_movers(r):
    channel = r.movers("channel")
    assert channel["dimension_value"].tolist() == ["social", "paid_search", "direct"]
    assert channel["side"].tolist() == ["gain", "loss", "loss"]
    paid = channel.set_index("dimension_value").loc["paid_search"]
    assert (paid["spend_now"], paid["spend_then"]) == (70, 100)
    assert paid["net_revenue_delta"] == pytest.approx(-0.875)  # 100 / 800 − 1
    assert r.movers("campaign")["dimension_value"].tolist() == ["launch", "brand"]  # lines without one are skipped


# ---------------------------------------------------------------- anomalies


def _series(values: dict[dt.date, float], start: dt.date, end: dt.date, default: float = 10.0) -> pd.DataFrame:
    days = pd.date_range(start, end).date
    return pd.DataFrame({"day": days, "net_revenue": [values.get(d, default) for d in days]})


def test_anomaly_rule_on_a_constructed_series():
    week = Period(dt.date(2024, 7, 1), dt.date(2024, 7, 7))
    first = dt.date(2024, 5, 6)  # 8 weeks before the Monday
    # Mondays of the 8 weeks before: 10, 11, …, 17 → range 10..17.
    values = {dt.date(2024, 7, 1) - dt.timedelta(days=7 * k): 9.0 + k for k in range(1, 9)}
    values[dt.date(2024, 7, 1)] = 18.0  # above 17 → high
    values[dt.date(2024, 7, 2)] = 10.0  # Tuesdays are all 10: equal to the range is not an anomaly
    values[dt.date(2024, 7, 3)] = 9.99  # below 10 → low
    values[dt.date(2024, 6, 28)] = float("nan")  # a Friday reference without a value is left out
    values[dt.date(2024, 7, 5)] = 10.5  # Fridays: 7 references, all 10 → high
    got = review.find_anomalies(_series(values, first, week.end), week, metrics=("net_revenue",))
    assert got[["day", "direction"]].values.tolist() == [
        [dt.date(2024, 7, 1), "high"],
        [dt.date(2024, 7, 3), "low"],
        [dt.date(2024, 7, 5), "high"],
    ]
    assert got.iloc[0][["value", "low", "high"]].tolist() == [18.0, 10.0, 17.0]


def test_anomaly_needs_four_reference_weeks():
    week = Period(dt.date(2024, 7, 1), dt.date(2024, 7, 7))
    series = _series({dt.date(2024, 7, 1): 99.0}, dt.date(2024, 5, 6), week.end)
    # Data starts 2024-06-10: the Monday has 3 reference Mondays (06-10, 06-17, 06-24) → no verdict.
    assert review.find_anomalies(series, week, ("net_revenue",), first_day=dt.date(2024, 6, 10)).empty
    # From 06-03 on: 4 references → judged.
    assert len(review.find_anomalies(series, week, ("net_revenue",), first_day=dt.date(2024, 6, 3))) == 1


def test_anomalies_count_reference_days_from_each_table_s_first_day(r):
    # Orders start 2023-07-04, so the 8 Thursdays before 07-04 are real zero days: 240 is above 0..0.
    # 07-01 (100) lies within 0..800 (06-24), 07-02 (250) within 0..300, 07-03 (0) equals its range.
    # Traffic and ad spend start 2024-06-24: one reference week, no verdict on sessions, conversion, spend.
    assert r.anomalies[["day", "metric", "direction"]].values.tolist() == [[dt.date(2024, 7, 4), "net_revenue", "high"]]


# ---------------------------------------------------------------- targets, inventory


def test_target_pace(r):
    (target,) = r.targets
    # Month to date through 07-07: 590 of 3,100; 7 of 31 days gone.
    assert target["actual"] == 590
    assert target["expected_share"] == pytest.approx(7 / 31)
    assert target["pace_ratio"] == pytest.approx(590 / 700)  # (590 / 3100) / (7 / 31) → behind
    assert target["projected"] == pytest.approx(590 * 31 / 7)  # 2,612.86
    assert target["needed_per_day"] == pytest.approx((3100 - 590) / 24)  # 104.58 a day for 24 days


def test_new_stockouts(r):
    # A: 5 on 06-30, 0 on 07-03 → new. B: already 0 before the week → not new. C: first seen out on 07-05 → new.
    new = r.inventory["new_stockouts"]
    assert new["sku"].tolist() == ["A", "C"]
    assert [pd.Timestamp(d).date() for d in new["first_out_date"]] == [dt.date(2024, 7, 3), dt.date(2024, 7, 5)]


# ---------------------------------------------------------------- summary and actions


def test_summary_in_english(r):
    lines = review.summary_lines(r, "en")
    assert 5 <= len(lines) <= 8
    assert (
        lines[0]
        == "Net revenue was ¥590 in 2024-W27, −46.4% vs the previous week and +490.0% vs the same week last year."
    )
    assert (
        lines[1] == "Against the previous week, the change (−¥510) came mostly from Paid search (−¥700), "
        "whose ad spend fell 30.0%."
    )
    assert lines[2] == "By platform the largest move was Tmall (−¥700); by category, shoes (−¥700)."
    assert "traffic accounts for −¥224, conversion for +¥962 and AOV for −¥1.25k" in lines[3]
    assert "19.0% of the 2024-07 target with 22.6% of the month gone: behind pace (projected ¥2.61k)" in lines[4]
    assert "2 SKUs ran out of stock this week" in " ".join(lines)


def test_summary_in_chinese(r):
    lines = review.summary_lines(r, "zh")
    assert lines[0] == "本周（2024-W27）净销售额 ¥590，环比 −46.4%，同比 +490.0%。"
    assert lines[1] == "相对上周的变化（−¥510）主要来自付费搜索（−¥700），其花费减少 30.0%。"


def test_actions(r):
    actions = review.action_lines(r, "en")
    assert actions[0] == "Review the Paid search budget: spend −30.0%, net revenue −¥700."
    assert "To reach the 2024-07 target, sell ¥105 a day for the remaining 24 days." in actions


def test_summary_numbers_are_the_headline_tables(r):
    for lang in ("en", "zh"):
        row = review.headline_rows(r, lang)[0]
        values = list(row.values())
        first = review.summary_lines(r, lang)[0]
        assert values[1] in first and values[3] in first and values[5] in first  # value, vs previous, vs last year


# ---------------------------------------------------------------- missing tables


def test_minimal_orders_only(make_store):
    store = make_store({"orders.csv": "order_id,order_time,customer_id,sku,quantity,unit_price\n"
                        "1,2024-07-01 10:00,C1,A,1,100\n2,2024-06-25 10:00,C2,A,2,100\n"})  # fmt: skip
    r = review.build(store, week="2024-W27")
    assert {"traffic", "ad_spend", "inventory", "members", "targets"} <= r.missing
    assert r.change == -100  # 100 − 200
    assert r.drivers is None and r.inventory == {} and r.targets == []
    lines = review.summary_lines(r, "en")
    assert lines[-1].startswith("Not covered (no traffic.csv, ad_spend.csv, inventory.csv, members.csv, targets.csv)")
    assert r.daily["sessions"].isna().all()  # no traffic table: "—", not 0


def test_month_view_ends_on_the_last_day_of_data(store):
    r = review.build(store, month="2024-07")
    assert r.kind == "month" and r.period == Period(dt.date(2024, 7, 1), dt.date(2024, 7, 4))
    assert r.now["net_revenue"] == 590
    with pytest.raises(ValueError):
        review.build(store, month="2024-09")


# ---------------------------------------------------------------- the page


def _page(query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params.update(query)
    at.run()
    return at.switch_page("pages/weekly_review.py").run()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_on_demo_data(demo, lang):
    at = _page({"lang": lang})
    assert not at.exception, [e.message for e in at.exception]
    r = review.build(demo)  # the page's default: last complete week, against the previous week
    assert r.label == "2024-W26"
    cards = {m.label: m for m in at.metric}
    card = cards["Net revenue" if lang == "en" else "净销售额"]
    # The summary's numbers are the cards' numbers: same Review, same formatter.
    assert card.value == fmt.money(r.now["net_revenue"], lang)
    assert card.value in at.markdown[0].value or any(card.value in m.value for m in at.markdown)
    summary = "\n".join(review.summary_lines(r, lang))
    assert card.value in summary
    assert review.metric_change("net_revenue", r.now["net_revenue"], r.then["previous"]["net_revenue"], lang) in summary
    assert card.delta in summary
    assert len(at.get("plotly_chart")) == 6  # 3 target bullets, day by day, waterfall, traffic × conversion × AOV
    assert at.title[0].value == ("Weekly review" if lang == "en" else "周复盘")


def test_page_month_and_yoy(demo):
    at = _page({"lang": "en"})
    at.segmented_control(key="review-mode").set_value("month").run()
    at.selectbox(key="review-compare").set_value("yoy").run()
    assert not at.exception, [e.message for e in at.exception]
    assert "2024-06" in at.caption[0].value


def _param(at: AppTest, name: str) -> str | None:
    """One URL parameter's value (AppTest keeps a list or a string, depending on how it was set)."""
    value = at.query_params.get(name)
    return value[-1] if isinstance(value, list) else value


def test_page_link_names_the_week_and_survives_new_data(demo):
    """The week, month and comparison are in the URL, explicitly; a link opens that review."""
    at = _page({"lang": "en"})
    # The default review writes its week into the link, so the link does not move when data arrives.
    assert _param(at, "week") == "2024-W26" and _param(at, "review_compare") == "previous"
    at.selectbox(key="review-week").set_value("2024-W20").run()
    assert _param(at, "week") == "2024-W20"
    assert "2024-W20" in at.caption[0].value
    # The sidebar's own parameters stay beside the page's.
    assert _param(at, "start") and _param(at, "lang") == "en"

    opened = _page({"lang": "en", "week": "2024-W20", "review_compare": "yoy"})
    assert not opened.exception, [e.message for e in opened.exception]
    assert opened.selectbox(key="review-week").value == "2024-W20"
    assert opened.selectbox(key="review-compare").value == "yoy"
    assert "2024-W20" in opened.caption[0].value

    month = _page({"lang": "en", "month": "2024-05"})
    assert month.segmented_control(key="review-mode").value == "month"
    assert "2024-05" in month.caption[0].value and _param(month, "week") is None

    # A week the data does not hold falls back to the default.
    stale = _page({"lang": "en", "week": "1999-W01"})
    assert stale.selectbox(key="review-week").value == "2024-W26"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_with_orders_only_names_the_missing_files(tmp_path, monkeypatch, lang):
    data = tmp_path / "data"
    data.mkdir()
    (data / "orders.csv").write_text(
        "order_id,order_time,customer_id,sku,quantity,unit_price\n1,2024-07-01 10:00,C1,A,1,100\n"
        "2,2024-06-25 10:00,C2,A,2,100\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(tmp_path / "cache.duckdb"))
    at = _page({"lang": lang})
    assert not at.exception, [e.message for e in at.exception]
    messages = " ".join(i.value for i in at.info)
    for name in ("inventory.csv", "members.csv", "targets.csv"):
        assert name in messages


def test_page_without_orders_names_orders_csv(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "traffic.csv").write_text(TRAFFIC, encoding="utf-8")
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(tmp_path / "cache.duckdb"))
    at = _page({"lang": "en"})
    assert not at.exception, [e.message for e in at.exception]
    cards = {m.label: m for m in at.metric}
    assert cards["Net revenue"].value == "—" and cards["Net revenue"].delta == "needs orders.csv"
    assert cards["Sessions"].value == "100"  # the last complete week is W26 (traffic ends Mon 07-01)
    assert "Needs orders.csv: net revenue, its daily trend and what drove it." in [i.value for i in at.info]
    assert not at.get("plotly_chart")


def test_page_without_data(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(tmp_path / "cache.duckdb"))
    at = _page({"lang": "en"})
    assert not at.exception
    assert "nothing to review" in at.info[0].value


# ---------------------------------------------------------------- member movement (storeops.members' definitions)

MEMBERS = """customer_id,joined_date
C1,2024-01-10
C4,2024-07-02
C5,2024-07-06
C7,2024-03-01
"""
# Thresholds small enough for the fixture: lifecycle new < 3 days, active < 5, silent < 10; Silver from ¥850.
SETTINGS = """new_days = 3
active_days = 5
silent_days = 10

[tier_thresholds]
Bronze = 0
Silver = 850
"""


def test_member_movement(make_store):
    store = make_store({**FILES, "members.csv": MEMBERS, "settings.toml": SETTINGS})
    r = review.build(store, week="2024-W27")
    m = r.members
    # Joined in W27: C4 (07-02) and C5 (07-06).
    assert m["new_members"] == 2
    # No tier column, so tiers come from 365-day net revenue: C1 ¥800 on 06-30 (Bronze) → ¥900 on 07-07 (Silver).
    assert (m["basis"], m["upgrades"], m["downgrades"]) == ("tier", 1, 0)
    # Silent (last paid order 5–9 days ago) on 07-07: C1 (07-01, 6 days), C4 (07-02, 5 days); C2 (07-04) and
    # C5 (07-03, a refunded line was paid) are active. On 06-30: C1 (06-24, 6 days) and C2 (06-25, 5 days).
    assert (m["churn_risk"], m["churn_risk_change"]) == (2, 0)
    assert m["churned_change"] == 0  # C9 (2023-07-04) was churned on both days
    lines = review.summary_lines(r, "en")
    assert "2 new members joined; 1 moved up a tier and 0 down; 2 customers are silent" in " ".join(lines)
    rows = review.member_rows(r, "zh")
    assert rows[0] == {"指标": "新增会员", "数值": "2", "变化": ""}
    assert "silent = 5 to under 10 days" in review.member_note(r, "en")


def test_review_members_counts_who_joined(make_store):
    w27 = {"start": dt.date(2024, 7, 1), "end": dt.date(2024, 7, 7)}
    w26 = {"start": dt.date(2024, 6, 24), "end": dt.date(2024, 6, 30)}
    # members.csv: joined in W27 C4 (07-02) and C5 (07-06); in W26 nobody (C1 01-10, C7 03-01). No tier column.
    store = make_store({**FILES, "members.csv": MEMBERS, "settings.toml": SETTINGS})
    row = store.run("review_members", **w27).iloc[0]
    assert (row["new_members"], bool(row["has_members"]), bool(row["has_tiers"])) == (2, True, False)
    assert store.run("review_members", **w26).iloc[0]["new_members"] == 0
    # A tier column with one tier given: has_tiers. Joined in W27: C4 only.
    members = "customer_id,joined_date,tier\nC1,2024-01-10,Gold\nC4,2024-07-02,\n"
    row = make_store({**FILES, "members.csv": members}).run("review_members", **w27).iloc[0]
    assert (row["new_members"], bool(row["has_members"]), bool(row["has_tiers"])) == (1, True, True)


def test_review_members_without_a_members_file(make_store):
    w27 = {"start": dt.date(2024, 7, 1), "end": dt.date(2024, 7, 7)}
    w26 = {"start": dt.date(2024, 6, 24), "end": dt.date(2024, 6, 30)}
    # No members file: customers whose first paid order is in the period. W27: C4 (W2, 07-02) and C5 (W3,
    # 07-03: a refunded line was paid); C1 and C2 bought in W26 first. W26: C1 (P1) and C2 (P2); C3's only
    # order (P3) was cancelled.
    plain = make_store(FILES)
    row = plain.run("review_members", **w27).iloc[0]
    assert (row["new_members"], bool(row["has_members"]), bool(row["has_tiers"])) == (2, False, False)
    assert plain.run("review_members", **w26).iloc[0]["new_members"] == 2


def test_a_finished_month_is_reached_or_missed(make_store):
    # W26 ends on 2024-06-30, the month's last day: June's ¥1,100 (P1 800 + P2 300) against ¥1,000 → reached.
    store = make_store({**FILES, "targets.csv": "month,metric,target\n2024-06,net_revenue,1000\n2024-06,orders,3\n"})
    r = review.build(store, week="2024-W26")
    assert [x["days_left"] for x in r.targets] == [0, 0]
    assert "The 2024-06 target was reached: ¥1.1k, 110.0% of target." in review.summary_lines(r, "en")
    assert "2024-06目标已完成：¥1,100，达成 110.0%。" in review.summary_lines(r, "zh")
    net_revenue, orders = sorted(r.targets, key=lambda x: x["metric"])
    assert review.target_caption(net_revenue, "en").endswith("target reached")
    assert review.target_caption(orders, "en").endswith("target missed")  # 2 orders of 3


# An order whose paid lines fall on two days of W27 (a multi-cell order): its net revenue counts once per line.
SPANNING = ORDERS + "S1,2024-07-05 23:59,C6,A,1,100,0,paid,social,launch,douyin,shoes\n"
SPANNING += "S1,2024-07-06 00:01,C6,B,1,300,0,paid,social,launch,douyin,bags\n"


@pytest.mark.parametrize("orders", [ORDERS, SPANNING], ids=["cells", "lines"])
def test_review_by_several_dimensions_holds_each_one(make_store, orders):
    store = make_store({**FILES, "orders.csv": orders})
    both = {"start": dt.date(2024, 7, 1), "end": dt.date(2024, 7, 7), "cstart": dt.date(2024, 6, 24)}
    both["cend"] = dt.date(2024, 6, 30)
    cells = store.run("review_by", dimensions=["channel", "platform", "campaign"], **both)
    assert list(dict.fromkeys(cells["dimension"])) == ["channel", "platform", "campaign"]
    every = store.run("review_by", dimensions=[], **both)
    assert list(dict.fromkeys(every["dimension"])) == ["channel", "platform", "category", "campaign", "sku"]
    for dimension in ("channel", "platform", "category", "campaign", "sku"):
        want = store.run("review_by", dimensions=[dimension], **both)
        assert set(want["dimension"]) == {dimension}
        want = period_part(want, dimension=dimension)
        got = period_part(every, dimension=dimension)
        if dimension != "sku":  # product_name: NULL but for SKUs (whose names give the column its dtype)
            assert want["product_name"].isna().all() and got["product_name"].isna().all()
            got, want = got.drop(columns="product_name"), want.drop(columns="product_name")
        pd.testing.assert_frame_equal(got, want)
        if dimension in ("channel", "platform", "campaign"):
            pd.testing.assert_frame_equal(period_part(cells, dimension=dimension).drop(columns="product_name"), want)
    social = period_part(cells, dimension="channel").set_index("dimension_value").loc["social"]
    # W3 0 + W4 240 (+ S1 400, one order over two days); spend 0 → 50
    spanning = orders is SPANNING
    assert social["net_revenue_now"] == (640 if spanning else 240)
    assert (social["spend_then"], social["spend_now"]) == (0, 50)
    assert pd.isna(period_part(cells, dimension="platform")["spend_now"]).all()  # no spend per platform


def test_review_by_lists_values_with_a_paid_line_and_names_skus(make_store):
    """review_by reads the daily tables: a value whose lines in both periods are cancelled is not listed, and a
    SKU's name is the greatest on its paid lines of either period."""
    orders = (
        "order_id,order_time,customer_id,sku,quantity,unit_price,discount,status,channel,campaign,platform,category,"
        "product_name\n"
        "P1,2024-06-24 10:00,C1,A,8,100,0,paid,paid_search,brand,tmall,shoes,Runner\n"
        "P2,2024-06-25 10:00,C2,K,1,10,0,cancelled,social,,douyin,toys,Kite\n"
        "W1,2024-07-01 10:00,C1,A,1,100,0,paid,paid_search,brand,tmall,shoes,Runner v2\n"
        "W2,2024-07-02 10:00,C4,T,1,30,0,cancelled,social,,douyin,toys,Top\n"
        "W3,2024-07-03 10:00,C5,B,2,50,0,paid,direct,,jd,bags,\n"
    )
    store = make_store({"orders.csv": orders})
    both = {"start": dt.date(2024, 7, 1), "end": dt.date(2024, 7, 7), "cstart": dt.date(2024, 6, 24)}
    frame = store.run("review_by", dimensions=[], **both | {"cend": dt.date(2024, 6, 30)})

    def part(dimension: str) -> dict:
        rows = frame[frame["dimension"] == dimension]
        return {
            v: (now, then, None if pd.isna(name) else name)
            for v, now, then, name in zip(
                rows["dimension_value"], rows["net_revenue_now"], rows["net_revenue_then"], rows["product_name"],
                strict=True,
            )
        }  # fmt: skip

    # W27: A 100 (W1), B 2 × 50 = 100 (W3); W26: A 8 × 100 = 800 (P1). Toys (K, T) and social: cancelled only.
    assert part("category") == {"shoes": (100, 800, None), "bags": (100, 0, None)}
    assert part("sku") == {"A": (100, 800, "Runner v2"), "B": (100, 0, None)}
    assert part("channel") == {"paid_search": (100, 800, None), "direct": (100, 0, None)}
    assert part("platform") == {"tmall": (100, 800, None), "jd": (100, 0, None)}
    assert list(frame.loc[frame["dimension"] == "sku", "dimension_value"]) == ["B", "A"]  # largest change first
