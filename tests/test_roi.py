"""Channel ROI (METRICS.md "Advertising") on a hand-checked fixture, the export, and the page.

Queries roi_by, roi_kpis, roi_weekly and roi_columns through storeops.roi.
Every expected number is worked out by hand next to the rows it comes from.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_files
from streamlit.testing.v1 import AppTest

from storeops import roi
from storeops.cli import main as cli_main
from storeops.db import Store
from storeops.filters import Filters
from storeops.i18n import t
from storeops.metrics import kpis as headline_kpis
from storeops.periods import Period

pytestmark = pytest.mark.usefixtures("isolated_cache_env")

ROOT = Path(__file__).resolve().parent.parent
# Monday 2024-03-04 .. Sunday 2024-03-10; previous period 2024-02-26 .. 2024-03-03.
WEEK = Period(dt.date(2024, 3, 4), dt.date(2024, 3, 10))
PREVIOUS = WEEK.comparison("previous")

AD_SPEND = """\
date,channel,campaign,platform,impressions,clicks,spend,conversions,conversion_value
2024-03-04,baidu / cpc,brand,official_site,1000,50,100.00,2,300.00
2024-03-05,baidu / cpc,generic,official_site,2000,40,200.00,1,150.00
2024-03-05,直通车,爆款,tmall,5000,100,50.00,3,400.00
2024-03-06,kol,KOL-A,official_site,,,80.00,,
2024-02-28,baidu / cpc,brand,official_site,800,20,60.00,1,100.00
"""
# Channels: baidu / cpc → paid_search, 直通车 → marketplace_ads, kol → influencer.
# The kol row reports no impressions, clicks or conversion value.

ORDERS = """\
order_id,order_time,customer_id,sku,quantity,unit_price,discount,refund_amount,status,channel,campaign,platform,unit_cost
O1,2024-03-04 10:00:00,C1,A,2,100,0,,paid,baidu / cpc,brand,official_site,40
O2,2024-03-05 11:00:00,C2,A,1,100,10,,paid,baidu / cpc,brand,official_site,40
O3,2024-03-06 12:00:00,C3,B,1,300,0,,paid,直通车,爆款,tmall,100
O3,2024-03-06 12:00:00,C3,A,1,100,0,,paid,直通车,爆款,tmall,40
O4,2024-03-07 09:00:00,C1,A,1,100,0,,paid,直通车,,tmall,40
O5,2024-03-08 09:00:00,C4,A,1,100,0,50,paid,direct,,tmall,40
O6,2024-03-08 10:00:00,C5,A,1,100,0,,cancelled,baidu / cpc,generic,official_site,40
O7,2024-03-09 10:00:00,C6,X,1,40,0,,paid,direct,,tmall,
O8,2024-02-27 10:00:00,C7,A,1,100,0,,paid,baidu / cpc,brand,official_site,40
O9,2024-03-09 11:00:00,C8,A,1,100,0,,paid,email,,official_site,40
"""
# Paid lines in the week (net = qty × price − discount − refund; cost = qty × unit_cost):
#   O1 paid_search/brand     net 200  cost 80   C1's first order (new)
#   O2 paid_search/brand     net  90  cost 40   C2 new
#   O3 marketplace_ads/爆款  net 300 + 100, cost 100 + 40   C3 new
#   O4 marketplace_ads/(none) net 100 cost 40   C1 again (not new)
#   O5 direct                net  50  cost 40   (refund 50) C4 new
#   O7 direct                net  40  no cost (SKU X has no cost anywhere)   C6 new
#   O9 email_crm             net 100  cost 40   C8 new
# O6 is cancelled (generic gets no order); O8 is in the previous period.
#
# Per channel in the week:
#   paid_search:     spend 100 + 200 = 300, impressions 3000, clicks 90, conversion value 450;
#                    orders 2, net 290, new 2, gross profit 120 + 50 = 170
#   marketplace_ads: spend 50, impressions 5000, clicks 100, conversion value 400;
#                    orders 2 (O3, O4), net 500, new 1 (C3), gross profit 200 + 60 + 60 = 320
#   influencer:      spend 80 (no impressions/clicks/conversion value reported); no order
#   direct:          no spend; orders 2, net 90, new 2; uncosted 40 > 5% × 90 → gross profit —
#   email_crm:       no spend; orders 1, net 100, new 1, gross profit 60


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("roi")
    data = write_files(root / "data", {"ad_spend.csv": AD_SPEND, "orders.csv": ORDERS})
    s = Store(data, cache=root / "cache" / "cache.duckdb")
    s.refresh(wait=True)
    return s


def rows(df: pd.DataFrame) -> dict:
    return {r["dimension_value"]: r for _, r in df.iterrows()}


def check(row, expected: dict) -> None:
    for key, want in expected.items():
        got = row[key]
        if want is None:
            assert got is None or pd.isna(got), f"{key}: {got!r} should be empty"
        else:
            assert got == pytest.approx(want), key


def test_channel_measures(store):
    got = rows(roi.by(store, WEEK, Filters()))
    assert list(got) == ["paid_search", "influencer", "marketplace_ads", "email_crm", "direct"]  # spend, then revenue
    check(
        got["paid_search"],
        {
            "spend": 300,
            "impressions": 3000,
            "clicks": 90,
            "ctr": 90 / 3000,
            "cpc": 300 / 90,
            "cpm": 300 / 3000 * 1000,  # 100
            "orders": 2,
            "net_revenue": 290,
            "new_customers": 2,
            "roas": 290 / 300,
            "platform_roas": 450 / 300,
            "platform_roas_gap": 1.5 - 290 / 300,
            "cpa": 150,
            "cac": 150,
            "gross_profit": 170,
            "roi": (170 - 300) / 300,
            "break_even_roas": 290 / 170,
            "spend_share": 300 / 430,
            "revenue_share": 290 / 980,
        },
    )
    check(
        got["marketplace_ads"],
        {
            "spend": 50,
            "ctr": 0.02,
            "cpc": 0.5,
            "cpm": 10,
            "orders": 2,
            "net_revenue": 500,
            "new_customers": 1,  # C1 was new on paid_search (O1), not here
            "roas": 10,
            "platform_roas": 8,
            "cpa": 25,
            "cac": 50,
            "gross_profit": 320,
            "roi": (320 - 50) / 50,  # 5.4
            "break_even_roas": 500 / 320,
        },
    )


def test_spend_but_no_orders(store):
    row = rows(roi.by(store, WEEK, Filters()))["influencer"]
    # Spend 80, nothing attributed: ROAS is a real 0 and ROI −100%; CPA/CAC divide by 0 orders → —;
    # the ad rows report no impressions, clicks or conversion value → —, not 0.
    check(
        row,
        {
            "spend": 80,
            "impressions": None,
            "clicks": None,
            "ctr": None,
            "cpc": None,
            "cpm": None,
            "orders": 0,
            "net_revenue": 0,
            "roas": 0,
            "platform_roas": None,
            "cpa": None,
            "cac": None,
            "gross_profit": 0,
            "roi": -1,
            "break_even_roas": None,
        },
    )


def test_orders_but_no_spend_and_missing_unit_costs(store):
    got = rows(roi.by(store, WEEK, Filters()))
    # direct: no ad rows, so 0 impressions and clicks (the files carry those columns);
    # no spend → every ratio over spend is —; 40 of its 90 is uncosted (> 5%) → gross profit —.
    check(
        got["direct"],
        {
            "spend": 0,
            "impressions": 0,
            "clicks": 0,
            "ctr": None,
            "cpc": None,
            "orders": 2,
            "net_revenue": 90,
            "new_customers": 2,
            "roas": None,
            "platform_roas": None,
            "cpa": None,
            "cac": None,
            "gross_profit": None,
            "roi": None,
            "break_even_roas": None,
        },
    )
    check(got["email_crm"], {"orders": 1, "net_revenue": 100, "gross_profit": 60, "roas": None, "cpa": None})


def test_cards(store):
    now = roi.kpis(store, WEEK, Filters())
    # Paid channels (spend > 0): paid_search, marketplace_ads, influencer.
    # attributed revenue 290 + 500 + 0 = 790; attributed gross profit 170 + 320 + 0 = 490.
    # All orders: net 290 + 500 + 90 + 100 = 980; costed profit 170 + 320 + 10 + 60 = 560 and
    # uncosted 40 ≤ 5% × 980 = 49 → gross profit 560, margin 560/980, break-even 980/560 = 1.75.
    # New customers C1 C2 C3 C4 C6 C8 = 6.
    assert now == {
        "ad_spend": 430,
        "attributed_revenue": 790,
        "mer": pytest.approx(980 / 430),
        "ncac": 71.67,  # 430 / 6 = 71.666…, money rounded to the cent like every card
        "roas": pytest.approx(790 / 430),
        "roi": pytest.approx((490 - 430) / 430),
        "break_even_roas": pytest.approx(1.75),
        "gross_margin": pytest.approx(560 / 980),
        "attributed_orders": 4,
    }
    # MER, nCAC and spend are the overview's numbers (metrics.kpis, same filters).
    overview = headline_kpis(store, WEEK, Filters())
    assert overview["ad_spend"] == now["ad_spend"]
    assert overview["mer"] == pytest.approx(now["mer"])
    assert overview["ncac"] == pytest.approx(now["ncac"])


def test_channel_table_deltas_and_marks(store):
    table = roi.channel_table(store, WEEK, PREVIOUS, Filters(), 1.75).set_index("dimension_value")
    ps = table.loc["paid_search"]
    # Previous period: paid_search spent 60 (800 impressions, 20 clicks) for O8's 100 (cost 40).
    assert ps["ad_spend_delta"] == pytest.approx((300 - 60) / 60)
    assert ps["roas_delta"] == pytest.approx((290 / 300 - 100 / 60) / (100 / 60))
    assert ps["ctr_pp"] == pytest.approx(0.03 - 20 / 800)  # a rate: change in points
    assert ps["roi_pp"] == pytest.approx((170 - 300) / 300 - (60 - 60) / 60)
    # No comparison row (marketplace_ads had nothing before): no delta, not +∞.
    assert pd.isna(table.loc["marketplace_ads", "ad_spend_delta"])
    # Below break-even: ROI < 0 (paid_search, influencer); never a channel without spend.
    assert table["below_break_even"].to_dict() == {
        "paid_search": True,
        "influencer": True,
        "marketplace_ads": False,
        "email_crm": False,
        "direct": False,
    }


def test_below_break_even_without_unit_costs():
    # A row whose gross profit is unknown is judged on ROAS against the store's break-even.
    df = pd.DataFrame({"ad_spend": [100.0, 100.0, 0.0], "roas": [1.5, 2.0, None], "roi": [None, None, None]})
    assert roi.below_break_even(df, 1.75) == [True, False, False]
    assert roi.below_break_even(df, None) == [False, False, False]


def test_campaigns(store):
    table = roi.campaign_table(store, WEEK, PREVIOUS, Filters(), "paid_search", True, 1.75)
    got = rows(table)
    assert list(got) == ["generic", "brand"]
    # brand: spend 100, 1000 impressions, 50 clicks, claims 300; O1 + O2 = 290, gross profit 170.
    check(
        got["brand"],
        {
            "ad_spend": 100,
            "ctr": 0.05,
            "cpc": 2,
            "attributed_orders": 2,
            "attributed_revenue": 290,
            "roas": 2.9,
            "platform_roas": 3,
            "cpa": 50,
            "cac": 50,
            "gross_profit": 170,
            "roi": 0.7,
            # previous period: brand spent 60 for O8's 100
            "ad_spend_delta": (100 - 60) / 60,
        },
    )
    # generic spent 200 and its only order (O6) was cancelled: flagged.
    check(got["generic"], {"ad_spend": 200, "attributed_orders": 0, "roas": 0, "roi": -1})
    assert table.set_index("dimension_value")["no_orders"].to_dict() == {"generic": True, "brand": False}
    # marketplace_ads: O4 carries no campaign → a row of its own (NULL), with orders and no spend.
    market = roi.campaign_table(store, WEEK, PREVIOUS, Filters(), "marketplace_ads", True, 1.75)
    none = market[market["dimension_value"].isna()].iloc[0]
    check(none, {"ad_spend": 0, "attributed_orders": 1, "attributed_revenue": 100, "roas": None})
    assert not none["no_orders"]


def test_campaigns_without_order_campaigns(store):
    # As if the orders files had no campaign column: spend-side measures only, attributed ones —,
    # nothing flagged (the store cannot tell), and the orders are not shown as a campaign.
    table = roi.campaign_table(store, WEEK, PREVIOUS, Filters(), "marketplace_ads", False, 1.75)
    assert list(table["dimension_value"]) == ["爆款"]
    row = table.iloc[0]
    check(row, {"ad_spend": 50, "platform_roas": 8, "attributed_orders": None, "roas": None, "roi": None})
    assert not row["no_orders"]


def test_weekly(store):
    # 2024-02-28 (Wed) .. 2024-03-06 (Wed): week of 02-26 holds 5 days of the period, week of 03-04 holds 3.
    df = roi.weekly(store, Period(dt.date(2024, 2, 28), dt.date(2024, 3, 6)), Filters())
    got = {
        (str(r.week_start)[:10], r.channel): (r.spend, r.net_revenue, r.roas, r.period_days) for r in df.itertuples()
    }
    assert got == {
        ("2024-02-26", "paid_search"): (60, 0, 0, 5),  # O8 (02-27) is before the period
        ("2024-03-04", "paid_search"): (300, 290, pytest.approx(290 / 300), 3),
        ("2024-03-04", "influencer"): (80, 0, 0, 3),
        ("2024-03-04", "marketplace_ads"): (50, 400, 8, 3),  # O3 on 03-06; O4 (03-07) is after
    }


def test_filters(store):
    # Channel filter: one channel's numbers are unchanged by the others.
    only = rows(roi.by(store, WEEK, Filters(channels=("marketplace_ads",))))
    assert list(only) == ["marketplace_ads"]
    assert only["marketplace_ads"]["revenue_share"] == 1
    # Platform filter applies to spend and orders alike: tmall = the 直通车 row and O3 O4 O5 O7.
    tmall = rows(roi.by(store, WEEK, Filters(platforms=("tmall",))))
    check(tmall["marketplace_ads"], {"spend": 50, "net_revenue": 500})
    check(tmall["direct"], {"spend": 0, "net_revenue": 90})
    assert "paid_search" not in tmall
    # The category filter never applies on this page (ad spend has no category).
    assert roi.kpis(store, WEEK, Filters(categories=("shoes",))) == roi.kpis(store, WEEK, Filters())


def test_what_if(store):
    table = roi.channel_table(store, WEEK, PREVIOUS, Filters(), 1.75)
    est = roi.what_if(table, "paid_search", "marketplace_ads", 100)
    # revenue: 100 × (10 − 290/300); profit: 100 × (320/50 − 170/300)
    assert est.revenue_change == pytest.approx(100 * (10 - 290 / 300))  # 903.33
    assert est.profit_change == pytest.approx(100 * (6.4 - 170 / 300))  # 583.33
    assert (est.source_roas, est.target_roas) == (pytest.approx(290 / 300), pytest.approx(10))
    back = roi.what_if(table, "marketplace_ads", "paid_search", 100)
    assert back.revenue_change == pytest.approx(-est.revenue_change)


def test_suggestions(store):
    table = roi.channel_table(store, WEEK, PREVIOUS, Filters(), 1.75)
    ranked = roi.suggestions(table, 1.75, min_orders=1)
    # Cuts by money lost: paid_search loses 300 − 170 = 130, influencer spent 80 for nothing;
    # then grows by ROI: marketplace_ads 5.4. Channels without spend get no advice.
    assert [(s.channel, s.action, s.reason) for s in ranked] == [
        ("paid_search", "cut", "below_break_even"),
        ("influencer", "cut", "no_orders"),
        ("marketplace_ads", "grow", "above_break_even"),
    ]
    assert ranked[0].score == pytest.approx(130)
    assert roi.suggestion_text(ranked[0], "en") == (
        "Paid search: ROAS 0.97 is below its break-even 1.71, so its ¥300 of ads lost ¥130 after gross profit."
    )
    assert roi.suggestion_text(ranked[2], "en") == (
        "Marketplace ads: each yuan of ads brings back ¥6.40 of gross profit (ROAS 10.00 against break-even "
        "1.56, ROI 540.0%)."
    )
    assert roi.suggestion_text(ranked[1], "zh") == "达人KOL：花费 ¥80，本期没有任何订单记录为该渠道。"
    # With the default minimum of 5 orders, two orders are too few to judge.
    assert [(s.channel, s.action) for s in roi.suggestions(table, 1.75)] == [
        ("influencer", "cut"),
        ("paid_search", "watch"),
        ("marketplace_ads", "watch"),
    ]


EXPECTED_EXPORT = """\
channel,spend,impressions,clicks,ctr,cpc,orders,net_revenue,new_customers,roas,platform_roas,cpa,cac,gross_profit,roi
direct,0.0,0,0,,,2,90.0,2,,,,,,
email_crm,0.0,0,0,,,1,100.0,1,,,,,60.0,
influencer,80.0,,,,,0,0.0,0,0.0,,,,0.0,-1.0
marketplace_ads,50.0,5000,100,0.02,0.5,2,500.0,1,10.0,8.0,25.0,50.0,320.0,5.4
paid_search,300.0,3000,90,0.03,3.33,2,290.0,2,0.9667,1.5,150.0,150.0,170.0,-0.4333
"""
# cpc 300/90 = 3.333… → 3.33; roas 290/300 = 0.96666… → 0.9667; roi −130/300 → −0.4333.


def test_export_channels_exact(store, tmp_path):
    out = tmp_path / "channels.csv"
    assert cli_main(["export", "channels", "--data", str(store.data_dir), "--start", "2024-03-04",
                     "--end", "2024-03-10", "-o", str(out)]) == 0  # fmt: skip
    assert out.read_text(encoding="utf-8-sig") == EXPECTED_EXPORT
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    assert tuple(roi.export_channels(store, WEEK).columns) == roi.EXPORT_COLUMNS


MINIMAL_AD_SPEND = "date,channel,spend\n2024-03-04,baidu / cpc,100.00\n2024-03-05,直通车,50.00\n"
# The orders above without their campaign column (the 11th).
MINIMAL_ORDERS = "\n".join(
    ",".join(p for i, p in enumerate(line.split(",")) if i != 10) for line in ORDERS.splitlines()
)


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Only the required ad_spend columns, and orders without a campaign column."""
    root = tmp_path_factory.mktemp("roi-minimal")
    data = write_files(root / "data", {"ad_spend.csv": MINIMAL_AD_SPEND, "orders.csv": MINIMAL_ORDERS + "\n"})
    s = Store(data, cache=root / "cache" / "cache.duckdb")
    s.refresh(wait=True)
    return s


def test_minimal_columns(minimal):
    assert roi.columns(minimal) == {
        "has_impressions": False,
        "has_clicks": False,
        "has_conversions": False,
        "has_conversion_value": False,
        "has_ad_campaign": False,
        "has_ad_platform": False,
        "has_order_campaign": False,
    }
    got = rows(roi.by(minimal, WEEK, Filters()))
    # paid_search: spend 100 for 290 → ROAS 2.9; nothing reported about impressions, clicks, claims.
    check(
        got["paid_search"],
        {"spend": 100, "impressions": None, "clicks": None, "ctr": None, "cpc": None, "cpm": None, "roas": 2.9},
    )
    check(got["paid_search"], {"platform_roas": None, "roi": (170 - 100) / 100})
    check(got["direct"], {"impressions": None, "clicks": None})  # not 0: the files cannot say
    export = roi.export_channels(minimal, WEEK).set_index("channel")
    assert export["impressions"].isna().all() and export["platform_roas"].isna().all()
    assert export.loc["marketplace_ads", "roas"] == 10
    campaigns = roi.campaign_table(minimal, WEEK, PREVIOUS, Filters(), "paid_search", False, None)
    assert len(campaigns) == 1 and campaigns.iloc[0]["dimension_value"] is None
    assert campaigns.iloc[0]["attributed_revenue"] is None


# ---------------------------------------------------------------- the page

END = dt.date(2024, 6, 30)


def page(query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(query)
    at.run()
    at.switch_page("pages/channel_roi.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_on_demo_data(demo, lang):
    from storeops import fmt

    at = page({"start": "2024-06-01", "end": "2024-06-30", "lang": lang})
    now = roi.kpis(demo, Period(dt.date(2024, 6, 1), END), Filters())
    cards = {m.label: m.value for m in at.metric}
    spend, revenue, roas = (
        ("Ad spend", "Attributed revenue", "ROAS") if lang == "en" else ("广告花费", "归因销售额", "投入产出比")
    )
    assert cards[spend] == fmt.money(now["ad_spend"], lang)
    assert cards[revenue] == fmt.money(now["attributed_revenue"], lang)
    assert cards[roas] == fmt.ratio(now["roas"], lang)
    # shares, bubble, platform gap, weekly trend, campaign ROAS
    assert len(at.get("plotly_chart")) == 5
    tables = [df.value for df in at.dataframe]
    channel_col = "Channel" if lang == "en" else "渠道"
    channel_table = next(t for t in tables if channel_col in t.columns)
    roas_label = "ROAS" if lang == "en" else "投入产出比"
    assert t("change_col", lang, name=roas_label) in channel_table.columns
    assert len(channel_table) == len(roi.by(demo, Period(dt.date(2024, 6, 1), END), Filters()))
    assert len(at.get("download_button")) >= 3
    if lang == "zh":
        assert any("线性估算" in c.value for c in at.caption)
    else:
        assert any(c.value.startswith("Linear estimate at current ROAS") for c in at.caption)
    # the drill-down follows the picked channel
    at.selectbox(key="roi-drill").set_value("paid_search").run()
    assert not at.exception
    campaign_col = "Campaign" if lang == "en" else "推广计划"
    campaigns = next(t for t in (df.value for df in at.dataframe) if campaign_col in t.columns)
    assert {"brand", "generic"} <= {str(v).removeprefix("⚠ ").removeprefix("∅ ") for v in campaigns[campaign_col]}


def test_page_what_if_moves_budget(demo):
    at = page({"start": "2024-06-01", "end": "2024-06-30"})
    at.selectbox(key="roi-from").set_value("display").run()
    at.selectbox(key="roi-to").set_value("affiliate").run()
    at.slider(key="roi-amount-display").set_value(1000.0).run()
    assert not at.exception
    june = Period(dt.date(2024, 6, 1), END)
    table = roi.channel_table(demo, june, june.comparison("previous"), Filters(), None)
    est = roi.what_if(table, "display", "affiliate", 1000.0)
    from storeops import fmt

    shown = {m.label: m.value for m in at.metric}
    assert shown["Revenue change"] == fmt.money(est.revenue_change, "en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_with_only_required_ad_columns(tmp_path, monkeypatch, lang):
    data = write_files(tmp_path / "data", {"ad_spend.csv": MINIMAL_AD_SPEND, "orders.csv": MINIMAL_ORDERS})
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(tmp_path / "cache" / "cache.duckdb"))
    at = page({"start": "2024-03-04", "end": "2024-03-10", "lang": lang})
    note = at.info[0].value
    assert "impressions, clicks, conversion_value" in note
    table = next(df.value for df in at.dataframe)
    ctr = "CTR" if lang == "en" else "点击率"
    assert set(table[ctr]) == {"—"}
    cards = {m.label: m.value for m in at.metric}
    assert cards["ROAS" if lang == "en" else "投入产出比"] == "5.27"  # (290 + 500) / 150
    # no platform-gap chart (no conversion_value), no campaign ROAS (no campaign on orders):
    # shares, bubble, weekly trend
    assert len(at.get("plotly_chart")) == 3
    assert any(("no campaign column" if lang == "en" else "没有 campaign 列") in c.value for c in at.caption)


def test_page_without_ad_spend_names_the_file(tmp_path, monkeypatch):
    data = write_files(tmp_path / "data", {"orders.csv": ORDERS})
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(tmp_path / "cache" / "cache.duckdb"))
    at = page({"start": "2024-03-04", "end": "2024-03-10"})
    assert "ad_spend" in at.info[0].value
    assert not at.get("plotly_chart")


def test_export_without_orders(make_store):
    # Spend only: what the orders would say is unknown (empty), not 0 — ROAS is not 0 either.
    store = make_store({"ad_spend.csv": AD_SPEND})
    out = roi.export_channels(store, WEEK).set_index("channel")
    assert list(out.index) == ["influencer", "marketplace_ads", "paid_search"]
    assert out.loc["paid_search", "spend"] == 300
    assert out[["orders", "net_revenue", "roas", "roi", "gross_profit"]].isna().all().all()


def test_page_without_orders_names_the_file(tmp_path, monkeypatch):
    data = write_files(tmp_path / "data", {"ad_spend.csv": AD_SPEND})
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(tmp_path / "cache" / "cache.duckdb"))
    at = page({"lang": "zh"})
    assert "订单" in at.info[0].value
    assert not at.get("plotly_chart")


def test_page_platform_filter_without_ad_platforms(tmp_path, monkeypatch):
    # ad_spend names no platform: a platform filter would silently leave no spend; the page says so.
    data = write_files(tmp_path / "data", {"ad_spend.csv": MINIMAL_AD_SPEND, "orders.csv": MINIMAL_ORDERS})
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(tmp_path / "cache" / "cache.duckdb"))
    at = page({"start": "2024-03-04", "end": "2024-03-10", "platform": "tmall"})
    assert any("name no platform" in i.value for i in at.info)
    assert {m.label: m.value for m in at.metric}["ROAS"] == "—"


def test_chart_builders():
    from storeops import charts

    df = pd.DataFrame(
        {"channel": ["social", "display", "direct"], "spend": [100.0, 300.0, 0.0], "roas": [4.0, 0.5, None],
         "revenue": [400.0, 150.0, 90.0], "platform_roas": [3.0, None, None]}
    )  # fmt: skip
    names, kinds = ("Spend", "ROAS", "Revenue"), ("money", "ratio", "money")
    fig = charts.bubble(
        df, "channel", "spend", "roas", "revenue", names, kinds, reference=1.75, reference_label="Break-even", lang="en"
    )
    # direct has no ROAS: no bubble (not a bubble at 0); the break-even line and its label are drawn
    assert list(fig.data[0].text) == ["social", "display"]
    assert fig.layout.shapes[0].y0 == 1.75 and fig.layout.annotations[0].text == "Break-even<br>1.75"
    bars = charts.grouped_bars(df, "channel", [("roas", "ROAS"), ("platform_roas", "Platform")], "ratio", lang="zh")
    assert list(bars.data[1].text) == ["3.00", "—", "—"]  # missing claims are "—", not 0
    weeks = pd.DataFrame(
        {"week": ["2024-03-04", "2024-03-11", "2024-03-04"], "channel": ["social", "social", "display"],
         "roas": [2.0, 3.0, 0.5]}
    )  # fmt: skip
    lines = charts.lines_by(weeks, "week", "channel", "roas", "ratio", "ROAS", reference=None, lang="en")
    assert [t.name for t in lines.data] == ["social", "display"] and not lines.layout.shapes
