"""Every page renders in both languages on demo data, and the filter state survives the URL.

AppTest runs the scripts in-process (no browser); the browser tests in
tests/e2e/ cover drawing, overflow and several users at once.
"""

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import DEMO_END
from streamlit.testing.v1 import AppTest

from storeops import fmt
from storeops.filters import Filters
from storeops.metrics import kpis
from storeops.periods import Period

ROOT = Path(__file__).resolve().parent.parent
# Every page; the overview (the default) first.
PAGES = sorted((f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")), key=lambda p: p != "pages/overview.py")
END = DEMO_END


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(query or {})
    return at


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders(demo, page, lang):
    at = app({"lang": lang}).run()
    no_exceptions(at)
    if page != PAGES[0]:
        at.switch_page(page).run()
        no_exceptions(at)
    assert at.title[0].value  # every page has a title
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in at.title[0].value)


def test_overview_shows_cards_and_charts(demo):
    at = app({"start": "2024-06-01", "end": "2024-06-30"}).run()
    no_exceptions(at)
    labels = [m.label for m in at.metric]
    for label in (
        "Net revenue",
        "GMV",
        "Orders",
        "Buyers",
        "AOV",
        "Revenue per buyer",
        "Conversion rate",
        "Sessions",
        "Ad spend",
        "MER",
        "New customers",
        "Repurchase rate",
        "Refund rate",
        "Gross profit",
    ):
        assert label in labels
    # trend, by platform, by channel, one bullet per target metric
    charts = at.get("plotly_chart")
    assert len(charts) >= 3
    trend = json.loads(charts[0].proto.spec)
    assert len(trend["data"][0]["x"]) == 30  # one point per day of June


def test_overview_numbers_equal_the_metrics(demo):
    """The cards show what `python -m storeops metrics` computes, formatted."""
    from storeops import fmt

    at = app({"start": "2024-06-01", "end": "2024-06-30", "channel": ["paid_search"]}).run()
    no_exceptions(at)
    want = kpis(demo, Period(dt.date(2024, 6, 1), END), Filters(channels=("paid_search",)))
    shown = {m.label: m.value for m in at.metric}
    assert shown["Net revenue"] == fmt.money(want["net_revenue"], "en")
    assert shown["Orders"] == fmt.count(want["orders"], "en")
    assert shown["Conversion rate"] == fmt.rate(want["conversion_rate"], "en")


def test_url_round_trip(demo):
    query = {
        "start": "2024-05-01",
        "end": "2024-05-31",
        "compare": "yoy",
        "channel": ["paid_search", "social"],
        "lang": "zh",
    }
    at = app(query).run()
    no_exceptions(at)
    assert at.date_input(key="dates").value == (dt.date(2024, 5, 1), dt.date(2024, 5, 31))
    assert at.multiselect(key="channel").value == ["paid_search", "social"]
    assert at.selectbox(key="compare").value == "yoy"
    assert at.selectbox(key="lang").value == "zh"
    # The URL keeps explicit dates even for the defaults.
    assert at.query_params["start"] == ["2024-05-01"] or at.query_params["start"] == "2024-05-01"


def test_default_period_ends_at_latest_data(demo):
    at = app().run()
    no_exceptions(at)
    start, end = at.date_input(key="dates").value
    assert end == END
    assert (end - start).days == 27  # last 28 days
    assert at.selectbox(key="preset").value == "last_28"


# Changing a sidebar widget is tested in the browser (tests/e2e): AppTest drops
# the entry script's sidebar from its tree on reruns under st.navigation.


def test_data_health_lists_unmapped_channel(demo):
    at = app().run()
    at.switch_page("pages/data_health.py").run()
    no_exceptions(at)
    frames = [df.value for df in at.dataframe]
    assert any("raw_value" in f.columns for f in frames)


def test_dropped_file_shows_on_next_rerun(tmp_path, monkeypatch):
    """No restart: a new file is ingested on the next interaction, bad rows listed."""
    from storeops import fmt

    header = "order_id,order_time,customer_id,sku,quantity,unit_price,status\n"
    data = tmp_path / "data"
    data.mkdir()
    (data / "orders_1.csv").write_text(header + "A1,2024-06-01 10:00,C1,S1,1,100.00,paid\n")
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(tmp_path / "cache" / "cache.duckdb"))
    at = app({"start": "2024-06-01", "end": "2024-06-30"}).run()
    no_exceptions(at)
    assert {m.label: m.value for m in at.metric}["Net revenue"] == fmt.money(100, "en")
    # A second file: one good line (2 × 150) and one with a negative quantity.
    (data / "orders_2.csv").write_text(
        header + "A2,2024-06-02 10:00,C2,S1,2,150.00,paid\nB1,2024-06-02,C3,S1,-1,9,paid\n"
    )
    at.run()
    no_exceptions(at)
    assert {m.label: m.value for m in at.metric}["Net revenue"] == fmt.money(400, "en")  # 100 + 2 × 150
    at.switch_page("pages/data_health.py").run()
    no_exceptions(at)
    rejected = [df.value for df in at.dataframe if "reason" in df.value.columns]
    assert rejected and "must be greater than 0" in set(rejected[-1]["reason"])
    assert set(rejected[-1]["line"]) == {3}


def test_traffic_page_cards_tables_and_drill_down(demo):
    from storeops import fmt
    from storeops.metrics import traffic_kpis

    at = app({"start": "2024-06-01", "end": "2024-06-30"}).run()
    at.switch_page("pages/traffic.py").run()
    no_exceptions(at)
    want = traffic_kpis(demo, Period(dt.date(2024, 6, 1), END), Filters())
    shown = {m.label: m.value for m in at.metric}
    assert shown["Sessions"] == fmt.count(want["sessions"], "en")
    assert shown["Avg dwell time"] == fmt.seconds(want["avg_dwell_seconds"], "en")
    assert shown["Revenue/session"] == fmt.money(want["revenue_per_session"], "en")
    assert len(at.get("plotly_chart")) == 4
    tables = [df.value for df in at.dataframe]
    assert any("Channel" in t.columns and "Sessions Δ" in t.columns for t in tables)
    # Drill into a channel: its raw source values as written in the files.
    at.selectbox(key="traffic-drill").set_value("social").run()
    no_exceptions(at)
    sources = next(t for t in (df.value for df in at.dataframe) if "Source (raw)" in t.columns)
    assert {"xhs", "微信"} <= set(sources["Source (raw)"])
    assert len(at.get("download_button")) >= 4


def test_funnel_page_names_the_biggest_drop_off(demo):
    at = app({"start": "2024-06-01", "end": "2024-06-30"}).run()
    at.switch_page("pages/funnel.py").run()
    no_exceptions(at)
    assert len(at.get("plotly_chart")) == 5
    assert any(m.value.startswith("Biggest drop-off:") for m in at.markdown)
    assert {m.label for m in at.metric} >= {"Add-to-cart rate", "Cart abandonment", "Conversion rate"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pages_with_only_the_required_traffic_columns(tmp_path, monkeypatch, lang):
    """date, channel, sessions only: cards that need more show "—" and why; funnel steps are left out with a note."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "orders.csv").write_text(
        "order_id,order_time,customer_id,sku,quantity,unit_price,channel\n"
        "A1,2024-06-01 10:00,C1,S1,1,100.00,direct\nA2,2024-06-02 10:00,C2,S1,1,50.00,xhs\n"
    )
    (data / "traffic.csv").write_text("date,channel,sessions\n2024-06-01,direct,40\n2024-06-02,xhs,60\n")
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(tmp_path / "cache" / "cache.duckdb"))
    at = app({"start": "2024-06-01", "end": "2024-06-02", "lang": lang}).run()
    at.switch_page("pages/traffic.py").run()
    no_exceptions(at)
    cards = {m.label: (m.value, m.delta) for m in at.metric}
    users, bounce = ("Users", "Bounce rate") if lang == "en" else ("用户数", "跳失率")
    assert cards[users][0] == "—" and "traffic.users" in cards[users][1]
    assert cards[bounce][0] == "—" and "traffic.bounces" in cards[bounce][1]
    sessions, conversion = ("Sessions", "Conversion rate") if lang == "en" else ("访客数", "转化率")
    assert cards[sessions][0] == "100"
    assert cards[conversion][0] == "2.0%"  # 2 orders / 100 sessions
    at.switch_page("pages/funnel.py").run()
    no_exceptions(at)
    note = at.info[0].value
    assert ("Left out" in note) if lang == "en" else ("未显示" in note)
    cards = {m.label: m.value for m in at.metric}
    assert cards["Add-to-cart rate" if lang == "en" else "加购率"] == "—"
    # No funnel to draw, no abandonment: only the conversion trend.
    assert len(at.get("plotly_chart")) == 1


def test_settings_currency_is_used_everywhere(tmp_path, monkeypatch):
    """settings.toml currency = "US$": cards, tables and the review report print it, never ¥."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "orders.csv").write_text(
        "order_id,order_time,customer_id,sku,quantity,unit_price,channel\n"
        "A1,2024-06-01 10:00,C1,S1,1,1500.00,direct\nA2,2024-06-02 10:00,C2,S1,2,250.00,xhs\n"
    )
    (data / "settings.toml").write_text('currency = "US$"\n')
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(tmp_path / "cache" / "cache.duckdb"))
    try:
        at = app({"start": "2024-06-01", "end": "2024-06-02", "lang": "en"}).run()
        no_exceptions(at)
        cards = {m.label: m.value for m in at.metric}
        assert cards["Net revenue"] == "US$2k"  # 1 500 + 2 × 250
        assert cards["AOV"] == "US$1k"  # 2 000 / 2 orders
        at.switch_page("pages/weekly_review.py").run()
        no_exceptions(at)
        shown = " ".join(m.value for m in at.markdown)
        assert "US$" in shown and "¥" not in shown
    finally:
        fmt.set_currency("¥")  # one process runs every test
