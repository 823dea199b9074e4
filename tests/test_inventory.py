"""Inventory risk (METRICS.md "Inventory"): hand-computed fixtures, the reorder export, the page.

The main fixture is one shop as of D = 2024-06-30 (the 28 days of d and σ are
2024-06-03 … 2024-06-30); every expected number is worked out in the comment
beside the SKU. Z = NormalDist().inv_cdf(0.95) = 1.6448536…
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from statistics import NormalDist

import pandas as pd
import pytest
from conftest import write_files
from streamlit.testing.v1 import AppTest

from storeops import inventory
from storeops.db import Store
from storeops.periods import Period

pytestmark = pytest.mark.usefixtures("isolated_cache_env")

ROOT = Path(__file__).resolve().parent.parent
D = dt.date(2024, 6, 30)
Z = NormalDist().inv_cdf(0.95)
PHI = NormalDist().cdf


def days(start: str, end: str) -> list[str]:
    return [d.date().isoformat() for d in pd.date_range(start, end)]


def order_lines() -> str:
    """The orders CSV; each SKU's sales are described where the SKU is."""
    rows = []
    n = 0

    def add(day: str, sku: str, qty: int, price: float, status: str = "paid", discount: float = 0) -> None:
        nonlocal n
        n += 1
        rows.append(f"O{n},{day} 10:00,C{n % 7},{sku},{qty},{price:.2f},{discount:.2f},{status}")

    for day in days("2024-06-03", "2024-06-30"):
        add(day, "S1", 2, 10)  # S1: 2 a day for 28 days
        add(day, "S7", 3, 10)  # S7: 3 a day
        add(day, "S6", 2 if day >= "2024-06-24" else 1, 5)  # S6: 1 a day, 2 a day over the last 7
    add("2024-06-30", "S1", 50, 10, "cancelled")  # not paid: left out
    add("2024-06-30", "S1", 50, 10, "pending")  # not paid: left out
    add("2024-06-30", "S2", 28, 50)  # S2: all 28 units on one day
    for day in days("2024-06-03", "2024-06-16"):
        add(day, "S3", 1, 20)  # S3: 1 a day for 14 days, then nothing
    add("2024-03-01", "S4", 1, 100)  # S4: last sale 121 days before D
    add("2024-04-02", "S8", 1, 100)  # S8: last sale 89 days before D (inside the 90)
    header = "order_id,order_time,customer_id,sku,quantity,unit_price,discount,status\n"
    return header + "\n".join(rows) + "\n"


INVENTORY = """snapshot_date,sku,product_name,category,on_hand,on_order,lead_time_days,unit_cost,min_order_qty
2024-01-01,S1,Steady,home,100,0,10,4.00,6
2024-01-01,S2,Lumpy,home,100,0,7,20.00,
2024-01-01,S3,Gone,toys,100,0,10,8.00,
2024-01-01,S4,Dusty,toys,100,0,30,40.00,
2024-01-01,S6,Heap,toys,100,0,10,2.00,
2024-01-01,S7,Split,home,100,0,,5.00,12
2024-01-01,S8,Quiet,home,100,0,20,,
2024-06-10,S5,Fresh,toys,40,0,,10.00,
2024-06-30,S1,Steady,home,30,0,10,4.00,6
2024-06-30,S2,Lumpy,home,10,5,7,20.00,
2024-06-30,S3,Gone,toys,0,0,10,8.00,
2024-06-30,S4,Dusty,toys,50,0,30,40.00,
2024-06-30,S5,Fresh,toys,40,0,,10.00,
2024-06-30,S6,Heap,toys,200,0,10,2.00,
2024-06-30,S7,Split,home,20,0,,5.00,12
2024-06-30,S7,Split,home,10,5,,5.00,12
2024-06-30,S8,Quiet,home,5,0,20,,
2024-07-05,S1,Steady,home,25,0,10,4.00,6
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("inventory")
    data = write_files(root / "data", {"orders.csv": order_lines(), "inventory.csv": INVENTORY})
    s = Store(data, cache=root / "cache" / "cache.duckdb")
    s.refresh(wait=True)
    return s


@pytest.fixture(scope="module")
def table(store: Store) -> pd.DataFrame:
    return inventory.sku_table(store, D).set_index("sku")


# ---------------------------------------------------------------- which SKUs, which day


def test_snapshot_day_is_the_latest_on_or_before_as_of(store):
    assert inventory.snapshot_date(store, D) == D
    assert inventory.snapshot_date(store, dt.date(2024, 7, 4)) == D
    assert inventory.snapshot_date(store, dt.date(2024, 7, 10)) == dt.date(2024, 7, 5)
    assert inventory.snapshot_date(store, dt.date(2023, 12, 31)) is None


def test_sku_set_is_the_snapshot_of_that_day(store, table):
    assert sorted(table.index) == ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"]
    # The 2024-07-05 snapshot lists S1 only.
    assert list(inventory.sku_table(store, dt.date(2024, 7, 10))["sku"]) == ["S1"]
    assert inventory.export_reorder(store, dt.date(2023, 12, 31)).empty


def test_two_rows_of_one_sku_on_one_date_add_up(table):
    # S7 at D: (20 on hand, 0 on order) + (10, 5) in two warehouses.
    assert (table.loc["S7", "on_hand"], table.loc["S7", "on_order"]) == (30, 5)
    assert table.loc["S7", "inventory_value"] == pytest.approx(150.0)  # 30 × 5.00


# ---------------------------------------------------------------- d and σ over 28 days with zero days


@pytest.mark.parametrize(
    ("sku", "d", "sigma"),
    [
        ("S1", 2.0, 0.0),  # 2 every day; the cancelled and pending 50s are not paid
        # 28 units on one day, 0 on 27: d = 1; Σ(x − d)² = 27² + 27 · 1² = 756; σ² = 756 / 27 = 28
        ("S2", 1.0, math.sqrt(28)),
        # 1 on 14 days, 0 on 14: d = 0.5; Σ(x − d)² = 28 · 0.25 = 7; σ² = 7 / 27
        ("S3", 0.5, math.sqrt(7 / 27)),
        ("S4", 0.0, 0.0),  # no sale in the 28 days
        # 1 on 21 days and 2 on 7: d = 35 / 28 = 1.25; Σ(x − d)² = 21 · 0.0625 + 7 · 0.5625 = 5.25; σ² = 5.25 / 27
        ("S6", 1.25, math.sqrt(5.25 / 27)),
        ("S7", 3.0, 0.0),
    ],
)
def test_average_daily_units_and_sample_sigma(table, sku, d, sigma):
    assert table.loc[sku, "avg_daily_units"] == pytest.approx(d)
    assert table.loc[sku, "sd_daily_units"] == pytest.approx(sigma)


# ---------------------------------------------------------------- the formulas


def test_lumpy_sku_formulas(table):
    s2 = table.loc["S2"]
    # LT = 7, σ√LT = √28 · √7 = 14; safety stock = 14 Z = 23.028; reorder point = 1 · 7 + 14 Z = 30.028
    assert s2["safety_stock"] == pytest.approx(14 * Z)
    assert s2["reorder_point"] == pytest.approx(7 + 14 * Z)
    assert s2["days_of_cover"] == pytest.approx(10.0)  # 10 on hand / 1 a day
    # 1 − Φ((10 + 5 − 7) / 14) = 1 − Φ(0.5714) = 0.2839
    assert s2["stockout_probability"] == pytest.approx(1 - PHI(8 / 14))
    # ⌈30.028 + 7 · 1 − 10 − 5⌉ = ⌈22.028⌉ = 23 (no min_order_qty)
    assert s2["suggested_order_qty"] == 23


def test_missing_lead_time_uses_the_default_and_sigma_zero_rule(table):
    s7 = table.loc["S7"]
    # No lead_time_days: the default 14. σ = 0: safety stock 0, reorder point 3 · 14 = 42.
    assert s7["lead_time_is_default"] and s7["lead_time_used"] == 14
    assert (s7["safety_stock"], s7["reorder_point"]) == (0, pytest.approx(42))
    # σ = 0 and d · LT = 42 > 30 + 5 → probability 1.
    assert s7["stockout_probability"] == 1.0
    # ⌈42 + 21 − 30 − 5⌉ = 28, up to a multiple of min_order_qty 12 → 36.
    assert s7["suggested_order_qty"] == 36
    s1 = table.loc["S1"]
    # σ = 0 and d · LT = 20 ≤ 30 → probability 0; ⌈20 + 14 − 30⌉ = 4 → multiple of 6 → 6.
    assert (s1["stockout_probability"], s1["suggested_order_qty"]) == (0.0, 6)


def test_out_of_stock_sku_formulas(table):
    s3 = table.loc["S3"]
    # LT 10; σ√LT = √(7/27 · 10) = 1.6102; d · LT = 5
    root = math.sqrt(70 / 27)
    assert s3["safety_stock"] == pytest.approx(Z * root)  # 2.6485
    assert s3["reorder_point"] == pytest.approx(5 + Z * root)  # 7.6485
    assert s3["days_of_cover"] == 0  # 0 on hand / 0.5
    assert s3["stockout_probability"] == pytest.approx(1 - PHI(-5 / root))  # 0.9990
    assert s3["suggested_order_qty"] == 12  # ⌈7.6485 + 3.5 − 0⌉ = ⌈11.15⌉


def test_zero_sales_sku(table):
    s4 = table.loc["S4"]
    assert pd.isna(s4["days_of_cover"])  # "—": d = 0
    assert (s4["safety_stock"], s4["reorder_point"], s4["stockout_probability"], s4["suggested_order_qty"]) == (
        0,
        0,
        0,
        0,
    )


@pytest.mark.parametrize(
    ("sku", "status"),
    [
        ("S3", "out_of_stock"),  # on hand 0
        ("S2", "reorder_now"),  # 10 + 5 ≤ 30.03 and d = 1 > 0
        ("S7", "reorder_now"),  # 30 + 5 ≤ 42
        ("S4", "dead_stock"),  # last sale 2024-03-01 (121 days back), first seen 2024-01-01
        ("S6", "overstock"),  # 200 / 1.25 = 160 days of cover > 90
        ("S1", "healthy"),  # 15 days of cover, 30 > 20
        ("S8", "healthy"),  # sold on 2024-04-02, inside the 90 days ending D: not dead, and d = 0 → no cover
        ("S5", "healthy"),  # never sold, but first seen 2024-06-10, 20 days before D: too new to be dead
    ],
)
def test_status(table, sku, status):
    assert table.loc[sku, "status"] == status


def test_abc_uses_the_share_before_the_sku(table):
    # 90-day net revenue: S2 1400, S7 840, S1 560, S3 280, S6 175, S8 100, S4 0, S5 0 (S4's sale is older); Σ 3355.
    # Share before: S2 0 → A; S7 1400/3355 = 41.7% → A; S1 2240/3355 = 66.8% → A; S3 2800/3355 = 83.5% → B;
    # S6 3080/3355 = 91.8% → B; S8 3255/3355 = 97.0% → C; S4 and S5 → C.
    assert table["abc_class"].to_dict() == {
        "S1": "A", "S2": "A", "S3": "B", "S4": "C", "S5": "C", "S6": "B", "S7": "A", "S8": "C"
    }  # fmt: skip
    assert table.loc["S6", "revenue_share_before"] == pytest.approx(3080 / 3355)


def test_trend_flag(table):
    # S6: 14 units in the last 7 days = 2/day; 2024-05-27..06-23 holds 21 units = 0.75/day → +166.7% → trending.
    assert table.loc["S6", "trend_change"] == pytest.approx(2 / 0.75 - 1)
    assert table.loc["S6", "is_trending"]
    # S1: 2/day against 42 / 28 = 1.5/day → +33% → not trending. S2: nothing before → no trend, not flagged.
    assert table.loc["S1", "trend_change"] == pytest.approx(1 / 3) and not table.loc["S1", "is_trending"]
    assert pd.isna(table.loc["S2", "trend_change"]) and not table.loc["S2", "is_trending"]


def test_urgency_order(table):
    # Status order, then stock-out probability (S7 1.0 before S2 0.28), then days of cover (S1 15 before
    # S8 and S5 with none), then 90-day revenue (S8 100 before S5 0).
    assert list(table.index) == ["S3", "S7", "S2", "S4", "S6", "S1", "S8", "S5"]


# ---------------------------------------------------------------- the export


def test_export_reorder_exact_output(store, tmp_path):
    from storeops.cli import main

    out = tmp_path / "reorder.csv"
    assert main(["export", "reorder", "--data", str(store.data_dir), "--as-of", "2024-06-30", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "sku,product_name,category,abc_class,status,on_hand,on_order,avg_daily_units,days_of_cover,safety_stock,"
        "reorder_point,stockout_probability,suggested_order_qty",
        "S3,Gone,toys,B,out_of_stock,0,0,0.5,0.0,2.6485,7.6485,0.999,12",
        "S7,Split,home,A,reorder_now,30,5,3.0,10.0,0.0,42.0,1.0,36",
        "S2,Lumpy,home,A,reorder_now,10,5,1.0,10.0,23.028,30.028,0.2839,23",
        "S4,Dusty,toys,C,dead_stock,50,0,0.0,,0.0,0.0,0.0,0",
        "S6,Heap,toys,B,overstock,200,0,1.25,160.0,2.2936,14.7936,0.0,0",
        "S1,Steady,home,A,healthy,30,0,2.0,15.0,0.0,20.0,0.0,6",
        "S8,Quiet,home,C,healthy,5,0,0.0,,0.0,0.0,0.0,0",
        "S5,Fresh,toys,C,healthy,40,0,0.0,,0.0,0.0,0.0,0",
    ]


def test_service_level_and_lead_time_change_the_numbers(store):
    z99 = NormalDist().inv_cdf(0.99)  # 2.326
    df = inventory.export_reorder(store, D, service_level=0.99, lead_time=21).set_index("sku")
    assert df.loc["S2", "safety_stock"] == pytest.approx(round(14 * z99, 4))  # 32.5695
    # S7 has no lead time: now 21 → reorder point 3 · 21 = 63; ⌈63 + 21 − 35⌉ = 49 → 60 (multiple of 12)
    assert df.loc["S7", "reorder_point"] == 63
    assert df.loc["S7", "suggested_order_qty"] == 60


# ---------------------------------------------------------------- cards


def test_kpis(store, table):
    lost = inventory.stockouts(store, Period(dt.date(2024, 6, 3), D))
    got = inventory.kpis(table.reset_index(), lost)
    assert got == {
        "skus_out_of_stock": 1,  # S3
        "skus_reorder_now": 2,  # S2, S7
        "skus_overstock": 1,  # S6
        "skus_dead_stock": 1,  # S4
        # 30·4 + 10·20 + 0·8 + 50·40 + 40·10 + 200·2 + 30·5; S8 has no unit cost and is left out
        "inventory_value": 3270.0,
        "excess_stock_value": 2400.0,  # S4 2000 + S6 400
        # S3: on hand 100 (2024-01-01, carried forward) until 0 on 2024-06-30: 1 stock-out day. In the 28 days
        # before, all in stock, it sold 14 → 0.5 a day; average price 280 / 14 = 20 → 1 × 0.5 × 20 = 10.
        "stockout_lost_revenue": 10.0,
    }


STOCKOUT_INVENTORY = """snapshot_date,sku,on_hand
2024-06-01,X,10
2024-06-11,X,0
2024-06-16,X,5
2024-06-01,Y,10
2024-06-16,Y,8
"""


def test_lost_revenue_carries_snapshots_forward(make_store):
    # X sells 2 a day on 2024-06-01..06-10 at 30.00, one line with a 20.00 discount: net 600 − 20 = 580.
    lines = [f"A{i},2024-06-{i:02d} 09:00,C1,X,2,30.00,{'20.00' if i == 1 else '0'},paid" for i in range(1, 11)]
    orders = "order_id,order_time,customer_id,sku,quantity,unit_price,discount,status\n" + "\n".join(lines) + "\n"
    store = make_store({"orders.csv": orders, "inventory.csv": STOCKOUT_INVENTORY})
    lost = inventory.stockouts(store, Period(dt.date(2024, 6, 11), dt.date(2024, 6, 20)))
    # The last snapshot ≤ 06-20 is 06-16, so the days are 06-11..06-16; X is 0 from 06-11 (carried to 06-15):
    # 5 stock-out days. Before the spell: in stock 06-01..06-10 (nothing known before 06-01) = 10 days,
    # 20 units → 2 a day. Average price = 580 / 20 = 29. Lost = 5 × 2 × 29 = 290. Y never ran out.
    assert lost.to_dict("records") == [
        {"sku": "X", "stockout_days": 5, "priced_days": 5, "lost_units": 10.0, "avg_price": 29.0, "lost_revenue": 290.0}
    ]


# ---------------------------------------------------------------- formulas alone


@pytest.mark.parametrize(
    ("available", "demand", "sigma", "expected"),
    [
        (35, 42, 0, 1.0),  # σ = 0, demand over the lead time exceeds stock
        (42, 42, 0, 0.0),  # σ = 0, exactly enough: not a stock-out
        (15, 7, 14, 1 - PHI(8 / 14)),
        (7, 7, 14, 0.5),  # stock equals expected demand: a coin toss
    ],
)
def test_stockout_probability(available, demand, sigma, expected):
    assert inventory.stockout_probability(available, demand, sigma) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("rop", "d", "on_hand", "on_order", "moq", "expected"),
    [
        (20, 2, 30, 0, None, 4),  # 20 + 14 − 30 = 4
        (20, 2, 30, 0, 6, 6),  # rounded up to a multiple of 6
        (20, 2, 30, 0, 4, 4),  # already a multiple
        (20, 2, 60, 0, 6, 0),  # negative → 0, not rounded up to 6
        (0.1 + 0.2, 0, 0, 0, None, 1),  # 0.30000000000000004 → 1
        (41.000000000000007, 0, 0, 0, None, 41),  # float noise does not add a unit
    ],
)
def test_suggested_order(rop, d, on_hand, on_order, moq, expected):
    assert inventory.suggested_order(rop, d, on_hand, on_order, moq) == expected


# ---------------------------------------------------------------- only the required columns


MINIMAL_INVENTORY = "snapshot_date,sku,on_hand\n2024-06-30,P,10\n2024-06-30,Q,10\n2024-06-30,R,10\n"
MINIMAL_ORDERS = """order_id,order_time,customer_id,sku,quantity,unit_price
A1,2024-06-30 10:00,C1,P,8,10.00
A2,2024-06-30 11:00,C2,Q,3,5.00
A3,2024-06-30 12:00,C3,R,1,5.00
"""


@pytest.fixture
def minimal(make_store) -> Store:
    return make_store(
        {
            "orders.csv": MINIMAL_ORDERS,
            "inventory.csv": MINIMAL_INVENTORY,
            "settings.toml": "default_lead_time_days = 7\nservice_level = 0.9\n",
        }
    )


def test_minimal_inventory_columns(minimal):
    table = inventory.sku_table(minimal, D).set_index("sku")
    # Revenue P 80, Q 15, R 5 (Σ 100). Share before: P 0 → A; Q exactly 80% → not < 80% → B; R 95% → C.
    assert table["abc_class"].to_dict() == {"P": "A", "Q": "B", "R": "C"}
    # No lead time: the settings' default 7; no min_order_qty: not rounded; on_order 0.
    assert table["lead_time_used"].tolist() == [7, 7, 7] and table["lead_time_is_default"].all()
    # P: d = 8/28 = 2/7; σ² = ((8 − 2/7)² + 27 · (2/7)²) / 27 = 16/7 → σ√7 = 4; Z(90%) = 1.2816
    z90 = NormalDist().inv_cdf(0.9)
    assert table.loc["P", "safety_stock"] == pytest.approx(4 * z90)
    # ⌈2 + 5.126 + 2 − 10⌉ = ⌈−0.87⌉ → 0
    assert table.loc["P", "suggested_order_qty"] == 0
    assert table["on_order"].tolist() == [0, 0, 0]
    got = inventory.kpis(table.reset_index(), inventory.stockouts(minimal, Period(dt.date(2024, 6, 1), D)))
    assert got["inventory_value"] is None and got["excess_stock_value"] is None  # "—": needs unit_cost
    assert got["stockout_lost_revenue"] == 0.0  # nothing ran out


# ---------------------------------------------------------------- the page


def _app(query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params.update(query)
    at.run()
    return at.switch_page("pages/inventory.py").run()


def _no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


@pytest.mark.parametrize(
    ("lang", "cards"),
    [
        ("en", ["Out of stock", "Reorder now", "Overstock", "Dead stock", "Inventory value", "Lost to stock-outs"]),
        ("zh", ["缺货SKU数", "需补货SKU数", "积压SKU数", "滞销SKU数", "库存金额", "缺货损失估算"]),
    ],
)
def test_page_on_demo_data(demo, lang, cards):
    from storeops import fmt

    at = _app({"lang": lang, "start": "2024-06-01", "end": "2024-06-30"})
    _no_exceptions(at)
    assert at.title[0].value == ("Inventory risk" if lang == "en" else "库存风险")
    shown = {m.label: m.value for m in at.metric}
    assert set(cards) <= set(shown)
    want = inventory.kpis(inventory.sku_table(demo, D), inventory.stockouts(demo, Period(dt.date(2024, 6, 1), D)))
    assert shown[cards[0]] == fmt.count(want["skus_out_of_stock"], lang)
    assert shown[cards[4]] == fmt.money(want["inventory_value"], lang)
    assert len(at.get("plotly_chart")) == 3
    table = at.dataframe[0].value
    assert len(table) == len(inventory.sku_table(demo, D))
    assert len(at.get("download_button")) == 1


def test_page_policy_in_sidebar_updates_numbers(demo):
    at = _app({"start": "2024-06-01", "end": "2024-06-30"})
    _no_exceptions(at)
    assert at.number_input(key="inventory-lead-time").value == 14  # the settings' default
    before = {m.label: m.value for m in at.metric}["Reorder now"]
    at.select_slider(key="inventory-service-level").set_value(0.995).run()
    _no_exceptions(at)
    assert any("Z = 2.576" in c.value for c in at.caption)
    at.number_input(key="inventory-lead-time").set_value(60).run()
    _no_exceptions(at)
    after = {m.label: m.value for m in at.metric}["Reorder now"]
    assert int(after) > int(before)  # a higher service level and longer default lead time raise reorder points


def test_page_table_filters(demo):
    at = _app({"start": "2024-06-01", "end": "2024-06-30"})
    at.multiselect(key="inventory-status").set_value(["reorder_now"]).run()
    _no_exceptions(at)
    statuses = set(at.dataframe[0].value["Status"])
    assert statuses == {"Reorder now"}
    at.multiselect(key="inventory-abc").set_value(["A"]).run()
    assert set(at.dataframe[0].value["ABC"]) <= {"A"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_on_minimal_columns(tmp_path, monkeypatch, lang):
    data = write_files(tmp_path / "data", {"orders.csv": MINIMAL_ORDERS, "inventory.csv": MINIMAL_INVENTORY})
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(tmp_path / "cache" / "cache.duckdb"))
    at = _app({"lang": lang, "start": "2024-06-01", "end": "2024-06-30"})
    _no_exceptions(at)
    value = next(m for m in at.metric if m.label in ("Inventory value", "库存金额"))
    assert value.value == "—"
    assert "unit_cost" in (value.delta or "")
    captions = " ".join(c.value for c in at.caption)
    assert "lead_time_days" in captions and "min_order_qty" in captions


def test_page_without_inventory_names_the_file(tmp_path, monkeypatch):
    data = write_files(tmp_path / "data", {"orders.csv": MINIMAL_ORDERS})
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(tmp_path / "cache" / "cache.duckdb"))
    at = _app({"start": "2024-06-01", "end": "2024-06-30"})
    _no_exceptions(at)
    assert any("inventory" in i.value for i in at.info)
    assert not at.metric


# Spells the stock-out list must get right (2024-06-01..06-20; the 28 days before reach back to 05-04):
# A  in from 05-01; out 05-20..05-24, 06-05..06-09 (06-07's row has no figure and is rejected: 06-05's 0
#    carries on; 06-08 is −1)
#    and 06-15..06-19 (two warehouses, +2 and −2); sells 1 a day when in stock and 2 when out, so a rate
#    of 1 a day says the out days were left out of the 28 days before each spell.
# B  out from 04-20, before 05-04: the spell starts 05-04 with no days before it, unpriced; no sales.
# C  out 05-25..06-02: its 28 days before start at 05-04 (not 04-27); 30 a day on 05-01..05-03, 3 after.
# D  known from 05-28 (in stock), out from 06-05 to E = 06-20; 9 a day before 05-28, 2 a day after.
SPELL_INVENTORY = """snapshot_date,sku,on_hand
2024-05-01,A,10
2024-05-20,A,0
2024-05-25,A,4
2024-06-05,A,0
2024-06-07,A,
2024-06-08,A,-1
2024-06-10,A,3
2024-06-15,A,2
2024-06-15,A,-2
2024-06-20,A,1
2024-04-01,B,5
2024-04-20,B,0
2024-06-03,B,6
2024-05-01,C,9
2024-05-25,C,0
2024-06-03,C,7
2024-05-28,D,4
2024-06-05,D,0
2024-06-25,D,3
"""


def _spell_orders() -> str:
    lines = []
    out_a = {*days("2024-05-20", "2024-05-24"), *days("2024-06-05", "2024-06-09"), *days("2024-06-15", "2024-06-19")}
    for day in days("2024-05-01", "2024-06-20"):
        lines.append(("A", day, 2 if day in out_a else 1))
    for day in days("2024-05-01", "2024-05-24"):
        lines.append(("C", day, 30 if day < "2024-05-04" else 3))
    for day in days("2024-05-20", "2024-06-04"):
        lines.append(("D", day, 9 if day < "2024-05-28" else 2))
    rows = [f"O{i},{day} 09:00,C1,{sku},{qty},10.00,0,paid" for i, (sku, day, qty) in enumerate(lines)]
    return "order_id,order_time,customer_id,sku,quantity,unit_price,discount,status\n" + "\n".join(rows) + "\n"


def test_stockout_spells_look_back_over_known_in_stock_days(make_store):
    store = make_store({"orders.csv": _spell_orders(), "inventory.csv": SPELL_INVENTORY})
    lost = inventory.stockouts(store, Period(dt.date(2024, 6, 1), dt.date(2024, 6, 20)))
    nan = float("nan")
    want = pd.DataFrame(
        [
            # 06-05..06-20: 16 days at 2 a day (05-28..06-04, 8 days known in stock), price 10
            ("D", 16, 16, 32.0, 10.0, 320.0),
            # 10 days at 1 a day: 06-05's 28 days before hold 23 in-stock days, 06-15's 18
            ("A", 10, 10, 10.0, 10.0, 100.0),
            # 06-01, 06-02 at 3 a day (05-04..05-24)
            ("C", 2, 2, 6.0, 10.0, 60.0),
            # 06-01, 06-02, unpriced and no price
            ("B", 2, 0, nan, nan, nan),
        ],
        columns=["sku", "stockout_days", "priced_days", "lost_units", "avg_price", "lost_revenue"],
    )
    pd.testing.assert_frame_equal(lost, want, check_dtype=False)
