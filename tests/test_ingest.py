"""Ingest (DATA.md): which file feeds which table, bad rows, bad files, encodings, keys and re-exports.

Each failure test checks two things: the message a person reads (file, line,
column, value and reason as stored in ``rejects`` / ``FileReport``), and that
nothing good was lost (the good rows of the same file, the other files, and
the previous version of a file replaced by a broken one).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import BASE_MTIME, ROOT, set_mtime, write_files

from storeops.db import Store
from storeops.filters import Filters
from storeops.ingest import CachePaths, FileReport, ingest
from storeops.metrics import kpis
from storeops.periods import Period

pytestmark = pytest.mark.usefixtures("isolated_cache_env")

JAN = Period(dt.date(2024, 1, 1), dt.date(2024, 1, 31))
ORDERS_HEADER = "order_id,order_time,customer_id,sku,quantity,unit_price,status\n"


# ---------------------------------------------------------------- helpers


def sql(store: Store, query: str, params: dict | None = None) -> list[tuple]:
    """Rows of ``query`` on the cache file, read on a connection of our own."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH $p AS c (READ_ONLY)", {"p": str(store.paths.db)})
        con.execute("USE c")
        return con.execute(query, params or {}).fetchall()
    finally:
        con.close()


def _none(value: object) -> object:
    return None if isinstance(value, float) and math.isnan(value) else value


def rejects(store: Store) -> list[tuple]:
    """(file, table, line, column, value, reason) of every quarantined cell, as health_rejects shows them."""
    df = store.run("health_rejects")
    return [tuple(_none(v) for v in row) for row in df.itertuples(index=False)]


def report(result, rel: str) -> FileReport:
    return next(r for r in result.reports if r.rel == rel)


def order_ids(store: Store) -> list[str]:
    return sorted(r[0] for r in sql(store, "SELECT order_id FROM orders"))


def net_revenue(store: Store, period: Period = JAN) -> float:
    return kpis(store, period, Filters())["net_revenue"]


def listing(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``root`` with its size and mtime."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.stat()
            out[path.relative_to(root).as_posix()] = (st.st_size if path.is_file() else -1, st.st_mtime_ns)
    return out


# ---------------------------------------------------------------- bad rows are quarantined

# Each case: a file with good rows around one bad row (always on line 3, between
# the good lines 2 and 4), and the one reject expected for it.
TRAFFIC_HEADER = "date,channel,sessions\n"
AD_HEADER = "date,channel,spend\n"
INV_HEADER = "snapshot_date,sku,on_hand\n"
BAD_ROWS = {
    # orders: good lines G1 (10.50) and G2 (2 × 5)
    "bad number": ("orders.csv", "B,2024-01-02,c1,S1,1,12.5x,paid", "unit_price", "12.5x", "not a number"),
    "bad whole number": ("orders.csv", "B,2024-01-02,c1,S1,1.5,10,paid", "quantity", "1.5", "not a whole number"),
    "month-first date": (
        "orders.csv",
        "B,01/02/2024,c1,S1,1,10,paid",
        "order_time",
        "01/02/2024",
        "not a date-time (expected YYYY-MM-DD HH:MM[:SS])",
    ),
    "impossible date": (
        "orders.csv",
        "B,2024-02-30,c1,S1,1,10,paid",
        "order_time",
        "2024-02-30",
        "not a date-time (expected YYYY-MM-DD HH:MM[:SS])",
    ),
    "negative quantity": ("orders.csv", "B,2024-01-02,c1,S1,-1,10,paid", "quantity", "-1", "must be greater than 0"),
    "zero quantity": ("orders.csv", "B,2024-01-02,c1,S1,0,10,paid", "quantity", "0", "must be greater than 0"),
    "negative price": ("orders.csv", "B,2024-01-02,c1,S1,1,-5,paid", "unit_price", "-5", "must be ≥ 0"),
    "missing order_id": ("orders.csv", ",2024-01-02,c1,S1,1,10,paid", "order_id", None, "missing required value"),
    "missing sku": ("orders.csv", "B,2024-01-02,c1,,1,10,paid", "sku", None, "missing required value"),
    "blank customer_id": ("orders.csv", "B,2024-01-02,  ,S1,1,10,paid", "customer_id", "  ", "missing required value"),
    "unknown status": (
        "orders.csv",
        "B,2024-01-02,c1,S1,1,10,shipped",
        "status",
        "shipped",
        "unknown status (paid, pending, cancelled, refunded)",
    ),
    # other tables, with date-only columns and ≥ 0 checks
    "traffic month-first date": (
        "traffic.csv",
        "01/02/2024,direct,5",
        "date",
        "01/02/2024",
        "not a date (expected YYYY-MM-DD)",
    ),
    "traffic bad sessions": ("traffic.csv", "2024-01-02,direct,many", "sessions", "many", "not a whole number"),
    "negative spend": ("ad_spend.csv", "2024-01-02,google ads,-3", "spend", "-3", "must be ≥ 0"),
    "inventory missing sku": ("inventory.csv", "2024-01-02,,5", "sku", None, "missing required value"),
}
GOOD_ROWS = {
    "orders.csv": (ORDERS_HEADER, "G1,2024-01-02 10:00,c1,S1,1,10.50,paid", "G2,2024-01-03,c2,S2,2,5,PAID"),
    "traffic.csv": (TRAFFIC_HEADER, "2024-01-02,direct,10", "2024-01-03,direct,20"),
    "ad_spend.csv": (AD_HEADER, "2024-01-02,google ads,7", "2024-01-03,google ads,8"),
    "inventory.csv": (INV_HEADER, "2024-01-02,S1,5", "2024-01-02,S2,6"),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_bad_row_is_quarantined_and_the_rest_loads(make_ingest, case: str) -> None:
    rel, bad, column, value, reason = BAD_ROWS[case]
    header, good1, good2 = GOOD_ROWS[rel]
    store, result = make_ingest({rel: header + f"{good1}\n{bad}\n{good2}\n"})
    table = rel.removesuffix(".csv")
    assert rejects(store) == [(rel, table, 3, column, value, reason)]
    r = report(result, rel)
    assert (r.status, r.rows_loaded, r.rows_rejected) == ("loaded", 2, 1)
    assert result.rejected_rows == 1 and not result.rejected_files
    # the good rows of the same file are all there
    assert sql(store, f"SELECT count(*) FROM {table}") == [(2,)]
    if table == "orders":
        assert order_ids(store) == ["G1", "G2"]
        assert net_revenue(store) == pytest.approx(10.50 + 2 * 5)
    if table == "traffic":
        assert kpis(store, JAN, Filters())["sessions"] == 30


def test_a_row_with_two_problems_is_one_rejected_row_with_two_reasons(make_ingest) -> None:
    store, result = make_ingest({"orders.csv": ORDERS_HEADER + "B,2024-01-02,c1,S1,0,abc,paid\n"})
    assert rejects(store) == [
        ("orders.csv", "orders", 2, "quantity", "0", "must be greater than 0"),
        ("orders.csv", "orders", 2, "unit_price", "abc", "not a number"),
    ]
    assert report(result, "orders.csv").rows_rejected == 1
    assert order_ids(store) == []


def test_line_numbers_count_blank_lines(make_ingest) -> None:
    # line 1 header, 2 good, 3 blank, 4 bad
    store, _ = make_ingest(
        {"orders.csv": ORDERS_HEADER + "G1,2024-01-02,c1,S1,1,10,paid\n\nB,2024-01-02,c1,S1,-1,10,paid\n"}
    )
    assert rejects(store) == [("orders.csv", "orders", 4, "quantity", "-1", "must be greater than 0")]


def test_line_numbers_count_quoted_line_breaks(make_ingest) -> None:
    # line 1 header; lines 2-3 one record whose product_name holds a line break; line 4 bad
    store, _ = make_ingest(
        {
            "orders.csv": "order_id,order_time,customer_id,sku,quantity,unit_price,product_name\n"
            'G1,2024-01-02,c1,S1,1,10,"two\nlines"\n'
            "B,2024-01-02,c1,S1,-1,10,x\n"
        }
    )
    assert rejects(store) == [("orders.csv", "orders", 4, "quantity", "-1", "must be greater than 0")]
    assert order_ids(store) == ["G1"]


# ---------------------------------------------------------------- bad files are rejected whole


OTHER_FILE = {"orders/other.csv": ORDERS_HEADER + "K1,2024-01-05,k,S9,1,7,paid\n"}  # net 7, must survive


@pytest.mark.parametrize(
    ("rel", "content", "message"),
    [
        (
            "orders_nosku.csv",
            "order_id,order_time,customer_id,quantity,unit_price\nN1,2024-01-02,c,1,10\n",
            "missing required column sku for table orders (found: order_id, order_time, customer_id, quantity, "
            "unit_price).",
        ),
        (
            "orders/traffic_export.csv",  # in the orders folder, but a traffic header
            "date,channel,sessions\n2024-01-02,direct,5\n",
            "missing required columns order_id, order_time, customer_id, sku, quantity, unit_price for table orders "
            "(found: date, channel, sessions). It looks like a traffic file.",
        ),
        (
            "orders_bad_bytes.csv",
            b"order_id,order_time,customer_id,sku,quantity,unit_price\nB1,2024-01-02,c\xff\x80,S1,1,10\n",
            "unknown text encoding (not UTF-8, UTF-16 or GB18030; first bad byte at offset 71). "
            "Save the file as UTF-8 CSV and drop it in again.",
        ),
        ("orders_empty.csv", b"", "the file is empty (0 bytes); it may still be copying"),
        ("orders_blank_header.csv", "\nO1,2024-01-02,c,S,1,1\n", "the file is empty or its first line is blank"),
        (
            "sales_2024.csv",
            ORDERS_HEADER + "S1,2024-01-02,c,S,1,1,paid\n",
            "the file name does not say which table it feeds and no import profile recognises its header: "
            "put it in a folder named after the table or start "
            "its name with one of orders, ad_spend, traffic, inventory, members; its columns look like the orders "
            "table, so name it orders_….csv",
        ),
        (
            "notes.csv",
            "a,b\n1,2\n",
            "the file name does not say which table it feeds and no import profile recognises its header: "
            "put it in a folder named after the table or start "
            "its name with one of orders, ad_spend, traffic, inventory, members",
        ),
    ],
)
def test_bad_file_is_rejected_whole(make_ingest, rel: str, content: str | bytes, message: str) -> None:
    store, result = make_ingest({**OTHER_FILE, rel: content})
    r = report(result, rel)
    assert r.status == "rejected"
    assert r.message.startswith(message), r.message
    assert (r.rows_loaded, r.part, r.stale_part) == (0, None, False)
    assert [f.rel for f in result.rejected_files] == [rel]
    # shown on the data-health page with the same message
    files = store.run("health_files").set_index("file")
    assert files.loc[rel, "status"] == "rejected"
    assert files.loc[rel, "message"] == r.message
    # the other file is unaffected
    assert report(result, "orders/other.csv").status == "loaded"
    assert order_ids(store) == ["K1"]
    assert net_revenue(store) == pytest.approx(7)


def test_truncated_xlsx_is_rejected(make_ingest) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["order_id", "order_time", "customer_id", "sku", "quantity", "unit_price"])
    wb.active.append(["X1", "2024-01-02", "c", "S", 1, 1])
    buf = io.BytesIO()
    wb.save(buf)
    store, result = make_ingest({**OTHER_FILE, "orders_cut.xlsx": buf.getvalue()[: len(buf.getvalue()) // 2]})
    r = report(result, "orders_cut.xlsx")
    assert r.status == "rejected"
    assert r.message.startswith("cannot be read as Excel (.xlsx)"), r.message
    assert order_ids(store) == ["K1"]


# A good version of orders_a.csv (net 10 + 20 = 30), then broken replacements.
GOOD_A = ORDERS_HEADER + "A1,2024-01-02,c1,S1,1,10,paid\nA2,2024-01-03,c2,S2,1,20,paid\n"
BROKEN_VERSIONS = {
    "missing column": "order_id,order_time,customer_id,quantity,unit_price\nA9,2024-01-02,c,1,999\n",
    "unknown encoding": b"order_id,order_time,customer_id,sku,quantity,unit_price\nA9,2024-01-02,\xff\xff,S,1,999\n",
    "empty": b"",
}


@pytest.mark.parametrize("broken", BROKEN_VERSIONS)
def test_broken_new_version_keeps_the_previous_good_data(make_ingest, broken: str) -> None:
    store, _ = make_ingest({"orders_a.csv": GOOD_A, **OTHER_FILE}, mtimes={"orders_a.csv": BASE_MTIME})
    assert net_revenue(store) == pytest.approx(30 + 7)

    store, result = make_ingest({"orders_a.csv": BROKEN_VERSIONS[broken]}, mtimes={"orders_a.csv": BASE_MTIME + 60})
    r = report(result, "orders_a.csv")
    assert r.status == "rejected"
    assert r.stale_part is True
    assert r.message.endswith(" — the previous version of this file stays in use"), r.message
    assert order_ids(store) == ["A1", "A2", "K1"]
    assert net_revenue(store) == pytest.approx(30 + 7)

    # still in use after an unrelated change triggers another ingest
    store, result = make_ingest({"orders_b.csv": ORDERS_HEADER + "B1,2024-01-04,c3,S3,1,100,paid\n"})
    assert report(result, "orders_a.csv").status == "rejected"
    assert net_revenue(store) == pytest.approx(30 + 7 + 100)

    # a fixed version replaces it
    store, result = make_ingest(
        {"orders_a.csv": ORDERS_HEADER + "A3,2024-01-05,c1,S1,1,1,paid\n"}, mtimes={"orders_a.csv": BASE_MTIME + 120}
    )
    r = report(result, "orders_a.csv")
    assert (r.status, r.stale_part, r.message) == ("loaded", False, "")
    assert order_ids(store) == ["A3", "B1", "K1"]


def test_a_file_replaced_while_it_is_read_is_read_again_next_time(
    make_ingest, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy finishes while ingest reads the first half: that reading is not trusted."""
    from storeops import ingest as ingest_module

    half = ORDERS_HEADER + "A1,2024-01-02,c1,S1,1,10,paid\n"
    whole = half + "A2,2024-01-03,c2,S2,1,20,paid\n"
    original = ingest_module.read_source

    def read_then_finish_copying(*args, **kwargs):
        report = original(*args, **kwargs)
        path = data_dir / "orders.csv"
        path.write_text(whole)
        os.utime(path, (BASE_MTIME + 60, BASE_MTIME + 60))
        return report

    monkeypatch.setattr(ingest_module, "read_source", read_then_finish_copying)
    store, result = make_ingest({"orders.csv": half}, mtimes={"orders.csv": BASE_MTIME})
    r = report(result, "orders.csv")
    assert (r.status, r.message) == (
        "rejected",
        "the file changed while it was being read (still copying?); it will be read again",
    )
    monkeypatch.setattr(ingest_module, "read_source", original)
    store, result = make_ingest({})
    assert report(result, "orders.csv").status == "loaded"
    assert net_revenue(store) == 30  # 10 + 20: the whole file, once


def test_a_file_removed_while_it_is_read_is_rejected_and_then_forgotten(
    make_ingest, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storeops import ingest as ingest_module

    original = ingest_module.read_source

    def read_then_delete(*args, **kwargs):
        report = original(*args, **kwargs)
        (data_dir / "orders_gone.csv").unlink()
        return report

    monkeypatch.setattr(ingest_module, "read_source", read_then_delete)
    _, result = make_ingest({"orders_gone.csv": ORDERS_HEADER + "G1,2024-01-02,c1,S1,1,10,paid\n"})
    assert report(result, "orders_gone.csv").message == "the file was removed while it was being read"
    monkeypatch.setattr(ingest_module, "read_source", original)
    store, result = make_ingest({**OTHER_FILE})
    assert [r.rel for r in result.reports] == ["orders/other.csv"]
    assert order_ids(store) == ["K1"]


# ---------------------------------------------------------------- which files are read


def test_half_copied_hidden_and_lock_files_are_ignored(make_ingest) -> None:
    garbage = "this is not a table"
    store, result = make_ingest(
        {
            **OTHER_FILE,
            "orders_new.csv.part": garbage,
            "orders_new.tmp": garbage,
            "orders_new.csv.crdownload": garbage,
            "~$orders.xlsx": garbage,
            ".orders_hidden.csv": garbage,
            ".hidden/orders.csv": garbage,
        }
    )
    assert [r.rel for r in result.reports] == ["orders/other.csv"]
    assert not result.rejected_files
    assert order_ids(store) == ["K1"]


@pytest.mark.parametrize(
    ("rel", "table"),
    [
        ("orders/2024-07.csv", "orders"),
        ("orders_2024-07.csv", "orders"),
        ("Orders 2024.CSV", "orders"),
        ("traffic/2024-w27.csv", "traffic"),
        ("ad_spend_google.csv", "ad_spend"),
        ("inventory/wh1/2024-07-01.csv", "inventory"),
    ],
)
def test_file_belongs_to_a_table_by_folder_or_name(make_ingest, rel: str, table: str) -> None:
    header, good1, good2 = GOOD_ROWS[f"{table}.csv"]
    store, result = make_ingest({rel: f"{header}{good1}\n{good2}\n"})
    assert (report(result, rel).table, report(result, rel).status) == (table, "loaded")
    assert sql(store, f"SELECT count(*) FROM {table}") == [(2,)]


# ---------------------------------------------------------------- formats and encodings


def test_gb18030_file_with_chinese_text(make_ingest) -> None:
    text = (
        "order_id,order_time,customer_id,sku,quantity,unit_price,product_name,channel,platform\n"
        "G1,2024-01-06,顾客一,S1,1,10,中文商品 𠀀,直通车,天猫\n"  # 𠀀 needs GB18030's 4-byte form
    )
    store, result = make_ingest({"orders_tmall.csv": text.encode("gb18030")})
    r = report(result, "orders_tmall.csv")
    assert (r.status, r.encoding, r.rows_loaded) == ("loaded", "gb18030", 1)
    assert sql(store, "SELECT customer_id, product_name, channel, platform FROM order_lines") == [
        ("顾客一", "中文商品 𠀀", "marketplace_ads", "tmall")
    ]


def test_gbk_file(make_ingest) -> None:
    text = ORDERS_HEADER + "G1,2024-01-06,张三,鞋-01,1,10,paid\n"
    store, result = make_ingest({"orders_gbk.csv": text.encode("gbk")})
    assert report(result, "orders_gbk.csv").encoding == "gb18030"
    assert sql(store, "SELECT customer_id, sku FROM orders") == [("张三", "鞋-01")]


def test_utf8_with_bom(make_ingest) -> None:
    # Without BOM handling the first header cell would be "\ufefforder_id" and the file rejected.
    text = ORDERS_HEADER + "U1,2024-01-07,客户,S1,1,10,paid\n"
    store, result = make_ingest({"orders_bom.csv": text.encode("utf-8-sig")})
    r = report(result, "orders_bom.csv")
    assert (r.status, r.encoding, r.rows_loaded) == ("loaded", "utf-8-sig", 1)
    assert sql(store, "SELECT order_id, customer_id FROM orders") == [("U1", "客户")]


def test_parquet_input(make_ingest, data_dir: Path) -> None:
    (data_dir / "orders").mkdir()
    pq.write_table(
        pa.table(
            {
                "Order_ID": ["P1", "P2", "P3"],
                "order_time": [dt.datetime(2024, 1, 2, 10, 30), dt.datetime(2024, 1, 3), dt.datetime(2024, 1, 4)],
                "customer_id": ["c1", "c2", "c3"],
                "sku": ["00123", "S2", "S3"],
                "quantity": [2, -2, 1],
                "unit_price": [9.5, 3.0, 4.25],
                "warehouse": ["w1", "w1", "w2"],
            }
        ),
        data_dir / "orders" / "export.parquet",
    )
    store, result = make_ingest()
    r = report(result, "orders/export.parquet")
    assert (r.status, r.encoding, r.rows_loaded, r.rows_rejected, r.columns_ignored) == (
        "loaded",
        "parquet",
        2,
        1,
        ["warehouse"],
    )
    # Parquet has no header line: line = row number (P2 is the 2nd row)
    assert rejects(store) == [("orders/export.parquet", "orders", 2, "quantity", "-2", "must be greater than 0")]
    assert sql(store, "SELECT order_id, order_time, sku, quantity, unit_price FROM orders ORDER BY order_id") == [
        ("P1", dt.datetime(2024, 1, 2, 10, 30), "00123", 2, pytest.approx(9.5)),
        ("P3", dt.datetime(2024, 1, 4), "S3", 1, pytest.approx(4.25)),
    ]
    assert net_revenue(store) == pytest.approx(2 * 9.5 + 4.25)


def test_xlsx_input(make_ingest, data_dir: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([" ORDER_ID ", "Order_Time", "customer_id", "SKU", "quantity", "unit_price", "Note"])
    ws.append(["X1", dt.datetime(2024, 1, 4, 9, 30), "c3", "00123", 2, 5.25, "gift"])  # line 2
    ws.append(["X2", "2024-01-05", "c3", "12/25/2020", 1, 4, None])  # line 3
    ws.append(["X3", "01/02/2024", "c3", "A", 1, 4, None])  # line 4: month-first text date
    ws.append(["X4", dt.date(2024, 1, 6), "c4", 777, 3, 1, None])  # a numeric SKU cell
    wb.save(data_dir / "orders_shop.xlsx")
    store, result = make_ingest()
    r = report(result, "orders_shop.xlsx")
    assert (r.status, r.encoding, r.rows_loaded, r.rows_rejected, r.columns_ignored) == (
        "loaded",
        "xlsx",
        3,
        1,
        ["Note"],
    )
    assert rejects(store) == [
        (
            "orders_shop.xlsx",
            "orders",
            4,
            "order_time",
            "01/02/2024",
            "not a date-time (expected YYYY-MM-DD HH:MM[:SS])",
        )
    ]
    assert sql(store, "SELECT order_id, order_time, sku, quantity, unit_price FROM orders ORDER BY order_id") == [
        ("X1", dt.datetime(2024, 1, 4, 9, 30), "00123", 2, pytest.approx(5.25)),
        ("X2", dt.datetime(2024, 1, 5), "12/25/2020", 1, pytest.approx(4)),
        ("X4", dt.datetime(2024, 1, 6), "777", 3, pytest.approx(1)),
    ]


def test_column_names_are_matched_case_insensitively_and_extras_listed(make_ingest) -> None:
    text = (
        " Order_ID ,ORDER_TIME,Customer_ID , sku,Quantity,UNIT_PRICE,Coupon Code,platform\n"
        "C1,2024-01-02,c1,S1,3,2,SAVE10,tmall\n"
    )
    store, result = make_ingest({"orders.csv": text})
    r = report(result, "orders.csv")
    assert (r.status, r.rows_loaded, r.columns_ignored) == ("loaded", 1, ["Coupon Code"])
    assert store.run("health_files").loc[0, "columns_ignored"] == "Coupon Code"
    assert sql(store, "SELECT order_id, customer_id, sku, quantity, platform FROM orders") == [
        ("C1", "c1", "S1", 3, "tmall")
    ]
    assert net_revenue(store) == pytest.approx(6)


def test_skus_and_ids_stay_text(make_ingest) -> None:
    text = (
        ORDERS_HEADER + "00042,2024-01-02,007,00123,1,1,paid\n"
        "00043,2024-01-02,008,12/25/2020,1,1,paid\n"
        "00044,2024-01-02,009,1.50,1,1,paid\n"
        "00045,2024-01-02,010,1E5,1,1,paid\n"
    )
    store, _ = make_ingest({"orders.csv": text})
    assert rejects(store) == []
    assert sql(store, "SELECT order_id, customer_id, sku FROM orders ORDER BY order_id") == [
        ("00042", "007", "00123"),
        ("00043", "008", "12/25/2020"),
        ("00044", "009", "1.50"),
        ("00045", "010", "1E5"),
    ]


def test_datetime_with_offset_is_converted_to_store_time(make_ingest) -> None:
    text = (
        ORDERS_HEADER + "T1,2024-01-02 10:00:00+00:00,c1,S1,1,1,paid\n"  # UTC 10:00 → Shanghai 18:00
        "T2,2024-01-02T10:00:00+08:00,c1,S1,1,2,paid\n"  # already Shanghai time
        "T3,2024-01-02 10:00,c1,S1,1,4,paid\n"  # no offset: local as written
        "T4,2024-01-01 20:00:00+00:00,c1,S1,1,8,paid\n"  # UTC evening → 2024-01-02 04:00 local
    )
    store, _ = make_ingest({"orders.csv": text})
    assert sql(store, "SELECT order_id, order_time FROM orders ORDER BY order_id") == [
        ("T1", dt.datetime(2024, 1, 2, 18, 0)),
        ("T2", dt.datetime(2024, 1, 2, 10, 0)),
        ("T3", dt.datetime(2024, 1, 2, 10, 0)),
        ("T4", dt.datetime(2024, 1, 2, 4, 0)),
    ]
    # so the order counts on the local day: 1 + 2 + 4 + 8 all on 2024-01-02
    day = Period(dt.date(2024, 1, 2), dt.date(2024, 1, 2))
    assert net_revenue(store, day) == pytest.approx(15)
    assert net_revenue(store, Period(dt.date(2024, 1, 1), dt.date(2024, 1, 1))) == 0


# ---------------------------------------------------------------- keys, re-exports and corrections

# The older export has O1 (A 100 + B 50) and O2 (30); the newer one has O1
# corrected to A only (100) and a new O3 (10).
OLD_EXPORT = ORDERS_HEADER + (
    "O1,2024-01-02,c1,A,1,100,paid\nO1,2024-01-02,c1,B,1,50,paid\nO2,2024-01-03,c2,C,1,30,paid\n"
)
NEW_EXPORT = ORDERS_HEADER + "O1,2024-01-02,c1,A,1,100,paid\nO3,2024-01-04,c3,D,1,10,paid\n"


@pytest.mark.parametrize(
    ("old_mtime", "new_mtime", "expected_net", "replaced"),
    [
        # newer file wins for O1: 100 (new O1) + 30 (O2, only in the old file) + 10 (O3) = 140,
        # not 100 + 50 + 30 + 100 + 10 = 290 (double counted); the old file's 2 O1 lines are replaced
        (BASE_MTIME, BASE_MTIME + 60, 140, {"orders_jan.csv": 2, "orders_jan_fix.csv": 0}),
        # by modification time, not by name: when the "fix" is older, the first export's O1 wins:
        # 150 + 30 + 10 = 190, and the fix's O1 line is the one replaced
        (BASE_MTIME + 60, BASE_MTIME, 190, {"orders_jan.csv": 0, "orders_jan_fix.csv": 1}),
    ],
)
def test_newer_file_replaces_all_lines_of_an_order(
    make_ingest, old_mtime: int, new_mtime: int, expected_net: float, replaced: dict[str, int]
) -> None:
    store, result = make_ingest(
        {"orders_jan.csv": OLD_EXPORT, "orders_jan_fix.csv": NEW_EXPORT},
        mtimes={"orders_jan.csv": old_mtime, "orders_jan_fix.csv": new_mtime},
    )
    assert net_revenue(store) == pytest.approx(expected_net)
    assert kpis(store, JAN, Filters())["orders"] == 3
    files = store.run("health_files").set_index("file")
    for rel, n in replaced.items():
        assert report(result, rel).rows_replaced == n
        assert files.loc[rel, "rows_replaced"] == n


def test_touching_the_older_file_makes_it_win(make_ingest, data_dir: Path) -> None:
    store, _ = make_ingest(
        {"orders_jan.csv": OLD_EXPORT, "orders_jan_fix.csv": NEW_EXPORT},
        mtimes={"orders_jan.csv": BASE_MTIME, "orders_jan_fix.csv": BASE_MTIME + 60},
    )
    assert net_revenue(store) == pytest.approx(140)
    set_mtime(data_dir / "orders_jan.csv", BASE_MTIME + 120)  # re-dropped: now the newest
    store, _ = make_ingest()
    assert net_revenue(store) == pytest.approx(190)


def test_exact_duplicate_rows_in_one_file_are_kept_and_counted(make_ingest) -> None:
    # Two identical lines (two units of one SKU exported as two lines) and one other line.
    text = (
        ORDERS_HEADER + "D1,2024-01-02,c1,S1,1,10,paid\nD1,2024-01-02,c1,S1,1,10,paid\nD1,2024-01-02,c1,S2,1,5,paid\n"
    )
    store, result = make_ingest({"orders.csv": text})
    r = report(result, "orders.csv")
    assert (r.rows_loaded, r.duplicate_rows, r.rows_rejected) == (3, 1, 0)
    assert store.run("health_files").loc[0, "duplicate_rows"] == 1
    got = kpis(store, JAN, Filters())
    assert (got["net_revenue"], got["units"], got["orders"]) == (pytest.approx(25), 3, 1)


def test_members_last_row_wins(make_ingest) -> None:
    store, _ = make_ingest(
        {
            # older file: M1 Gold, M2 Silver, M3 twice (the later line wins within a file)
            "members/2024-01.csv": (
                "customer_id,joined_date,tier\n"
                "M1,2024-01-01,Gold\nM2,2024-01-02,Silver\nM3,2024-01-03,Silver\nM3,2024-01-04,Gold\n"
            ),
            # newer file: M1 twice; the last line (Bronze) wins
            "members/2024-02.csv": "customer_id,joined_date,tier\nM1,2024-02-01,Platinum\nM1,2024-02-02,Bronze\n",
        },
        mtimes={"members/2024-01.csv": BASE_MTIME, "members/2024-02.csv": BASE_MTIME + 60},
    )
    assert sql(store, "SELECT customer_id, joined_date, tier FROM members ORDER BY customer_id") == [
        ("M1", dt.date(2024, 2, 2), "Bronze"),
        ("M2", dt.date(2024, 1, 2), "Silver"),
        ("M3", dt.date(2024, 1, 4), "Gold"),
    ]


def test_inventory_rows_for_one_sku_and_date_add_up(make_ingest) -> None:
    store, _ = make_ingest(
        {
            # two warehouses: A on 2024-01-01 twice (5 + 7 = 12); B once
            "inventory/2024-01-01.csv": "snapshot_date,sku,on_hand\n2024-01-01,A,5\n2024-01-01,A,7\n2024-01-01,B,3\n",
        },
        mtimes={"inventory/2024-01-01.csv": BASE_MTIME},
    )
    assert sql(store, "SELECT sku, count(*), sum(on_hand) FROM inventory GROUP BY sku ORDER BY sku") == [
        ("A", 2, 12),
        ("B", 1, 3),
    ]
    # a newer file with (2024-01-01, A) replaces both of A's rows; B is untouched
    store, _ = make_ingest(
        {"inventory/recount.csv": "snapshot_date,sku,on_hand\n2024-01-01,A,20\n"},
        mtimes={"inventory/recount.csv": BASE_MTIME + 60},
    )
    assert sql(store, "SELECT sku, count(*), sum(on_hand) FROM inventory GROUP BY sku ORDER BY sku") == [
        ("A", 1, 20),
        ("B", 1, 3),
    ]


# ---------------------------------------------------------------- channel map


def test_channel_map_overrides_defaults_and_unmapped_become_other(make_ingest) -> None:
    store, result = make_ingest(
        {
            # case and surrounding whitespace are ignored on both sides; the last line names no group
            "channel_map.csv": "raw_value,channel\n  XHS  ,  Influencer \nmy newsletter,email_crm\nfoo,tv\n",
            "orders.csv": ORDERS_HEADER.replace("status", "channel")
            + "1,2024-01-02,c1,S,1,1,xhs\n"  # default social, overridden → influencer
            + "2,2024-01-02,c2,S,1,2, Xhs \n"  # → influencer
            + "3,2024-01-02,c3,S,1,4,My Newsletter\n"  # → email_crm
            + "4,2024-01-02,c4,S,1,8,baidu / cpc\n"  # default → paid_search
            + "5,2024-01-02,c5,S,1,16,Paid_Search\n"  # a group name maps to itself
            + "6,2024-01-02,c6,S,1,32,tv spot\n"  # unmapped → other
            + "7,2024-01-02,c7,S,1,64,tv spot\n"  # unmapped → other
            + "8,2024-01-02,c8,S,1,128,\n",  # no channel → other, not listed as unmapped
            "traffic.csv": "date,channel,sessions\n2024-01-02,billboard,5\n2024-01-02,XHS,5\n",
        }
    )
    by_channel = store.run(
        "sales_by", dimension="channel", start=JAN.start, end=JAN.end, channels=[], platforms=[], categories=[]
    )
    assert dict(zip(by_channel["dimension_value"], by_channel["net_revenue"], strict=True)) == {
        "influencer": pytest.approx(1 + 2),
        "email_crm": pytest.approx(4),
        "paid_search": pytest.approx(8 + 16),
        "other": pytest.approx(32 + 64 + 128),
    }
    unmapped = store.run("health_unmapped")
    assert [tuple(r) for r in unmapped.itertuples(index=False)] == [
        ("tv spot", "orders", 2),
        ("billboard", "traffic", 1),
    ]
    assert kpis(store, JAN, Filters(channels=("influencer",)))["sessions"] == 5
    # the bad map line is reported, the others still apply
    assert result.problems == [
        "channel_map.csv line 4: 'tv' is not a channel group (organic_search, paid_search, marketplace_ads, social, "
        "short_video_live, influencer, affiliate, email_crm, display, referral, direct, other)"
    ]
    assert list(store.run("health_problems")["message"]) == result.problems


# ---------------------------------------------------------------- incremental ingest and the cache


def test_deleted_file_leaves_the_cache(make_ingest, data_dir: Path) -> None:
    store, _ = make_ingest({"orders_a.csv": GOOD_A, **OTHER_FILE})
    assert order_ids(store) == ["A1", "A2", "K1"]
    (data_dir / "orders_a.csv").unlink()
    store, result = make_ingest()
    assert [r.rel for r in result.reports] == ["orders/other.csv"]
    assert order_ids(store) == ["K1"]
    assert list(store.run("health_files")["file"]) == ["orders/other.csv"]
    assert net_revenue(store) == pytest.approx(7)


def test_incremental_ingest_reads_only_changed_files(make_data, cache_path: Path) -> None:
    data = make_data(
        {
            "orders_a.csv": GOOD_A,
            "orders_b.csv": ORDERS_HEADER + "B1,2024-01-04,c3,S3,1,100,paid\n",
            "traffic.csv": "date,channel,sessions\n2024-01-02,direct,10\n",
        },
        mtimes={"orders_a.csv": BASE_MTIME, "orders_b.csv": BASE_MTIME, "traffic.csv": BASE_MTIME},
    )
    cache = CachePaths.for_data(data, cache_path)

    def run() -> tuple[list[str], object]:
        messages: list[str] = []
        return messages, ingest(data, cache, progress=messages.append)

    messages, result = run()
    assert messages == ["reading orders_a.csv", "reading orders_b.csv", "reading traffic.csv", "building the cache"]
    assert result.changed

    messages, result = run()  # nothing changed: nothing read, nothing rebuilt
    assert messages == [] and not result.changed

    write_files(data, {"orders_b.csv": ORDERS_HEADER + "B1,2024-01-04,c3,S3,1,200,paid\n"})
    set_mtime(data / "orders_b.csv", BASE_MTIME + 60)
    messages, result = run()
    assert messages == ["reading orders_b.csv", "building the cache"]
    assert net_revenue(Store(data, cache=cache_path)) == pytest.approx(30 + 200)

    # touching a file (same content, new mtime) counts as a change of that file only
    set_mtime(data / "traffic.csv", BASE_MTIME + 120)
    messages, _ = run()
    assert messages == ["reading traffic.csv", "building the cache"]


def test_cache_can_be_deleted_and_rebuilt(make_ingest, cache_path: Path) -> None:
    store, _ = make_ingest({"orders_a.csv": GOOD_A})
    for path in cache_path.parent.iterdir():
        if path.is_dir():
            for child in path.iterdir():
                child.unlink()
            path.rmdir()
        else:
            path.unlink()
    store, result = make_ingest()
    assert result is not None and result.changed
    assert net_revenue(store) == pytest.approx(30)


def test_data_folder_is_never_modified(make_data, data_dir: Path, cache_path: Path) -> None:
    make_data(
        {
            "orders_a.csv": GOOD_A,
            "orders_bad.csv": ORDERS_HEADER + "X,01/02/2024,c,S,1,1,paid\n",
            "orders_gbk.csv": (ORDERS_HEADER + "G,2024-01-02,张三,S,1,1,paid\n").encode("gbk"),
            "orders_nosku.csv": "order_id,order_time\n1,2024-01-01\n",
            "notes.csv": "a,b\n1,2\n",
            "orders.csv.part": "half",
            "channel_map.csv": "raw_value,channel\nfoo,social\n",
            "settings.toml": 'currency = "$"\n',
        }
    )
    before = listing(data_dir)
    store = Store(data_dir, cache=cache_path)
    store.refresh(wait=True)
    store.run("kpis", start=JAN.start, end=JAN.end, channels=[], platforms=[], categories=[])
    assert listing(data_dir) == before
    # an incremental ingest after a new file arrives
    write_files(data_dir, {"orders_new.csv": GOOD_A})
    before = listing(data_dir)
    store.refresh(wait=True)
    assert listing(data_dir) == before
    assert not (data_dir / ".storeops").exists()
    assert cache_path.exists()


# ---------------------------------------------------------------- python -m storeops check


def run_check(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("STOREOPS_CACHE", "STOREOPS_DATA")}
    return subprocess.run(
        [sys.executable, "-m", "storeops", "check", "--data", str(data), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_passes_on_good_data(make_data) -> None:
    data = make_data({"orders_a.csv": GOOD_A, "traffic/t.csv": "date,channel,sessions\n2024-01-02,direct,10\n"})
    before = listing(data)
    done = run_check(data)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok       orders_a.csv [orders]: 2 rows loaded, 0 rejected, 2024-01-02..2024-01-03" in done.stdout
    assert listing(data) == before

    done = run_check(data, "--format", "json")
    assert done.returncode == 0
    out = json.loads(done.stdout)
    assert out["ok"] is True and out["rejected_rows"] == [] and out["problems"] == []
    assert [(f["rel"], f["status"], f["rows_loaded"]) for f in out["files"]] == [
        ("orders_a.csv", "loaded", 2),
        ("traffic/t.csv", "loaded", 1),
    ]
    assert listing(data) == before


def test_check_fails_on_a_bad_row_and_names_it(make_data) -> None:
    data = make_data({"orders_a.csv": GOOD_A + "A3,2024-01-04,c3,S3,-1,5,paid\n"})
    before = listing(data)
    done = run_check(data)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ok       orders_a.csv [orders]: 2 rows loaded, 1 rejected" in done.stdout
    assert "  orders_a.csv line 4: quantity = '-1': must be greater than 0" in done.stdout.splitlines()
    assert listing(data) == before

    done = run_check(data, "--format", "json")
    assert done.returncode == 1
    out = json.loads(done.stdout)
    assert out["ok"] is False
    assert out["rejected_rows"] == [
        {"file": "orders_a.csv", "line": 4, "column": "quantity", "value": "-1", "reason": "must be greater than 0"}
    ]
    assert listing(data) == before


def test_check_fails_on_a_rejected_file(make_data) -> None:
    data = make_data({"orders_a.csv": GOOD_A, "orders_nosku.csv": "order_id,order_time\n1,2024-01-01\n"})
    done = run_check(data)
    assert done.returncode == 1
    assert "REJECTED orders_nosku.csv: missing required columns customer_id, sku, quantity, unit_price" in done.stdout
