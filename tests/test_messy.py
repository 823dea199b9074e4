"""Exports as platforms write them (issue 9 "messy values"): every value and layout is read, or quarantined
with a reason, and nothing is guessed.

Each test writes a file the way a platform's "download" button does and checks the typed rows, the
quarantined cells, what the data-health notes say, and the overview's total.
"""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import openpyxl
import pytest
from test_ingest import JAN, net_revenue, rejects, report, sql

from storeops import values

pytestmark = pytest.mark.usefixtures("isolated_cache_env")

TRAFFIC_HEADER = "date,channel,sessions,bounces,avg_session_seconds\n"


def one(expr: str, text: str | None) -> object:
    """Evaluate a values.* expression over one cell."""
    con = duckdb.connect()
    try:
        con.execute("SET VARIABLE store_tz = 'Asia/Shanghai'")
        return con.execute(f"SELECT {expr} FROM (SELECT {values.cell('$x')} AS v)", {"x": text}).fetchall()[0][0]
    finally:
        con.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", 1234.5),
        ("¥1,234.50", 1234.5),  # currency symbol and thousands separator
        ("￥1,234.50", 1234.5),  # full-width yen sign (Tmall, JD)
        ("$12", 12),
        ("12元", 12),
        ("(35.00)", -35),  # accounting negative
        ("-¥3", -3),
        ("1.2万", 12_000),  # 1.2 × 10 000
        ("3亿", 300_000_000),
        ("1,234.5万", 12_345_000),
        ("１２３", 123),  # full-width digits
        ("\u3000 7 ", 7),  # ideographic and ASCII spaces trimmed
        ("--", None),  # "no value" markers
        ("-", None),
        ("N/A", None),
        ("12%", None),  # a percentage is not an amount: not guessed
        ("1,2345", None),  # not a thousands grouping
        ("abc", None),
    ],
)
def test_number(text: str, expected: float | None) -> None:
    got = one(values.number("v"), text)
    assert (None if got is None else float(got)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("12.0", 12), ("1.2万", 12_000), ("1,234", 1234), ("12.5", None), ("", None)],
)
def test_whole_number(text: str, expected: int | None) -> None:
    assert one(values.whole_number("v"), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-05", dt.date(2024, 1, 5)),
        ("2024/1/5", dt.date(2024, 1, 5)),
        ("2024.01.05", dt.date(2024, 1, 5)),
        ("2024年1月5日", dt.date(2024, 1, 5)),
        ("20240105", dt.date(2024, 1, 5)),
        ("2024-01-05 00:00:00", dt.date(2024, 1, 5)),  # an Excel date cell
        ("45292", dt.date(2024, 1, 1)),  # Excel serial: 1899-12-30 + 45 292 days
        ("２０２４－０１－０５", dt.date(2024, 1, 5)),
        ("01/02/2024", None),  # day or month first? never guessed
        ("--", None),
    ],
)
def test_date(text: str, expected: dt.date | None) -> None:
    assert one(values.date("v"), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-05 10:00", dt.datetime(2024, 1, 5, 10, 0)),  # without seconds
        ("2024-01-05 10:00:07", dt.datetime(2024, 1, 5, 10, 0, 7)),
        ("2024/1/5 9:03:02", dt.datetime(2024, 1, 5, 9, 3, 2)),
        ("2024年1月5日 10:00", dt.datetime(2024, 1, 5, 10, 0)),
        ("2024-01-05T10:00:00Z", dt.datetime(2024, 1, 5, 18, 0)),  # UTC 10:00 = Shanghai 18:00
        ("2024-01-05 10:00:00+08:00", dt.datetime(2024, 1, 5, 10, 0)),
        ("2024-01-05T10:00:00-05:00", dt.datetime(2024, 1, 5, 23, 0)),  # 15:00 UTC = 23:00 Shanghai
        ("45292.5", dt.datetime(2024, 1, 1, 12, 0)),  # Excel serial with a half day
        ("2024-01-05", dt.datetime(2024, 1, 5, 0, 0)),
        ("05/01/2024 10:00", None),
    ],
)
def test_datetime(text: str, expected: dt.datetime | None) -> None:
    assert one(values.datetime("v"), text) == expected


def test_cell_folds_full_width_codes_only_when_asked() -> None:
    assert one("v", "ＳＥＯ\u3000") == "ＳＥＯ"  # keys and names stay as written, only trimmed
    con = duckdb.connect()
    assert con.execute(f"SELECT {values.cell('$x', fold=True)}", {"x": " ＳＥＯ"}).fetchall() == [("SEO",)]


def test_messy_values_in_an_orders_file(make_ingest) -> None:
    text = (
        "order_id,order_time,customer_id,sku,quantity,unit_price,discount,status,channel\n"
        'A1,2024/1/5 10:00,c1,00101,１,"¥1,234.50",--,paid,ＳＥＯ \n'  # 1 × 1234.50, no discount
        "A2,2024-01-06T02:00:00Z,c2,00102,2,￥50,(5.00),paid,seo\n"  # negative discount: quarantined
        "A3,45296.5,c3,00103,2,1.2万,0,paid,seo\n"  # Excel serial 45296 = 2024-01-05; 2 × 12 000
        "A4,01/02/2024 10:00,c4,00104,1,10,0,paid,seo\n"  # ambiguous date: quarantined
    )
    store, result = make_ingest({"orders.csv": text})
    assert report(result, "orders.csv").rows_loaded == 2
    rows = sql(store, "SELECT order_id, order_time, sku, quantity, unit_price, discount FROM orders ORDER BY 1")
    assert rows[0][:3] == ("A1", dt.datetime(2024, 1, 5, 10, 0), "00101")  # the SKU keeps its leading zeros
    assert [float(r[4]) for r in rows] == [1234.5, 12_000]
    assert rows[1][1] == dt.datetime(2024, 1, 5, 12, 0)
    # ＳＥＯ (full-width, trailing space) is the organic_search channel like seo
    assert sql(store, "SELECT DISTINCT channel FROM order_lines") == [("organic_search",)]
    assert [(r[2], r[3], r[4], r[5]) for r in rejects(store)] == [
        (3, "discount", "(5.00)", "must be ≥ 0"),
        (5, "order_time", "01/02/2024 10:00", "not a date-time (expected YYYY-MM-DD HH:MM[:SS])"),
    ]
    assert net_revenue(store) == 1234.5 + 24_000  # 1 × 1 234.50 + 2 × 12 000


def test_utf16_tab_separated_with_title_lines_comments_and_totals(make_ingest) -> None:
    """What "CSV for Excel" downloads often are: UTF-16, tabs, a title and a date range above the header."""
    text = (
        "Traffic acquisition report\n"
        "2024-01-01 - 2024-01-31\n"
        "\n"
        "date\tchannel\tsessions\tbounces\tavg_session_seconds\n"
        "2024-01-01\tseo\t1,200\t300\t45.5\n"
        "# a note the analyst left\n"
        "2024-01-02\tseo\t1.2万\t--\t40\n"
        "Total\t\t13,200\t300\t\n"
    )
    store, result = make_ingest({"traffic.csv": text.encode("utf-16")})
    r = report(result, "traffic.csv")
    assert (r.status, r.encoding, r.rows_loaded, r.rows_rejected) == ("loaded", "utf-16", 2, 0)
    assert r.notes == [
        "header on line 4; the 3 line(s) above it skipped",
        "tab-separated",
        "1 comment line(s) (#) skipped",
        "1 total/summary row(s) skipped",
    ]
    rows = sql(store, "SELECT date, sessions, bounces, _line FROM traffic ORDER BY date")
    # line numbers are the file's own: the header is line 4, the second record line 7
    assert rows == [(dt.date(2024, 1, 1), 1200, 300, 5), (dt.date(2024, 1, 2), 12_000, None, 7)]


def test_a_bad_cell_below_title_lines_is_reported_on_its_own_line(make_ingest) -> None:
    text = "Orders export\n\n" + "order_id,order_time,customer_id,sku,quantity,unit_price\nA1,2024-01-05,c1,S1,x,10\n"
    store, _ = make_ingest({"orders.csv": text})
    assert [(r[2], r[3], r[5]) for r in rejects(store)] == [(4, "quantity", "not a whole number")]


def test_total_row_with_a_chinese_label_below_the_data(make_ingest) -> None:
    text = (
        "order_id,order_time,customer_id,sku,quantity,unit_price\n"
        "A1,2024-01-05 10:00,c1,S1,1,100\n"
        "合计：,,,,1,100\n"  # a total row, not an order "合计：" without a date
    )
    store, result = make_ingest({"orders.csv": text})
    assert report(result, "orders.csv").notes == ["1 total/summary row(s) skipped"]
    assert rejects(store) == []
    assert net_revenue(store) == 100


def test_semicolon_separated(make_ingest) -> None:
    store, _ = make_ingest({"traffic.csv": TRAFFIC_HEADER.replace(",", ";") + "2024-01-03;email;10;2;30\n"})
    assert sql(store, "SELECT sessions, bounces FROM traffic") == [(10, 2)]


def test_xlsx_with_merged_title_rows_and_a_total(make_ingest) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["店铺订单报表"])
    sheet.merge_cells("A1:F1")
    sheet.append(["统计时间: 2024-01-01 至 2024-01-31"])
    sheet.append(["order_id", "order_time", "customer_id", "sku", "quantity", "unit_price"])
    sheet.append(["T1", dt.datetime(2024, 1, 5, 10, 0), "c1", "00101", 2, "¥1,000.00"])
    sheet.append(["T2", 45297, "c2", "00102", 1, 50])  # a date typed as a number: Excel serial 2024-01-06
    sheet.append(["T3", "yesterday", "c3", "00103", 1, 50])
    sheet.append(["合计", None, None, None, 4, 2100])
    buffer = io.BytesIO()
    book.save(buffer)
    store, result = make_ingest({"orders.xlsx": buffer.getvalue()})
    r = report(result, "orders.xlsx")
    assert (r.rows_loaded, r.rows_rejected) == (2, 1)
    assert r.notes == ["header on line 3; the 2 line(s) above it skipped", "1 total/summary row(s) skipped"]
    assert sql(store, "SELECT order_id, order_time FROM orders ORDER BY 1") == [
        ("T1", dt.datetime(2024, 1, 5, 10, 0)),
        ("T2", dt.datetime(2024, 1, 6, 0, 0)),
    ]
    assert [(row[2], row[3]) for row in rejects(store)] == [(6, "order_time")]  # Excel row 6
    assert net_revenue(store, JAN) == 2 * 1000 + 50


def test_clean_columns_take_the_fast_path_with_the_same_result(make_ingest) -> None:
    """A column whose every cell is already strict is typed with plain casts; one messy cell sends the whole
    column through the forgiving parsers. Both must give the same values."""
    header = "order_id,order_time,customer_id,sku,quantity,unit_price,discount\n"
    rows = "A1,2024-01-05 10:00:00,c1,007,+5,1_000.50,0\nA2,2024-01-06 11:30:00,c2,008,2,12.345,-0\n"
    store, _ = make_ingest({"orders_clean.csv": header + rows})
    fast = sql(store, "SELECT order_id, order_time, sku, quantity, unit_price, discount FROM orders ORDER BY 1")
    messy = header + rows.replace("A1,", "B1,").replace("A2,", "B2,") + "B3, 2024/1/7 9:00 ,c3,009,1万,¥5,--\n"
    store, _ = make_ingest({"orders_messy.csv": messy})
    slow = sql(store, "SELECT order_id, order_time, sku, quantity, unit_price, discount FROM orders "
               "WHERE order_id LIKE 'B%' ORDER BY 1")  # fmt: skip
    assert [r[1:] for r in fast] == [r[1:] for r in slow[:2]]
    assert fast[0][1:] == (dt.datetime(2024, 1, 5, 10, 0), "007", 5, 1000.5, 0)
    assert float(fast[1][4]) == 12.35  # 12.345 rounds half up to the cent on both paths
    assert slow[2][1:] == (dt.datetime(2024, 1, 7, 9, 0), "009", 10_000, 5, 0)


def test_money_is_rounded_once_on_both_paths(make_ingest) -> None:
    """1.0049999 is 1.00 to the cent. The forgiving parser used to round it to 6 places first (1.005000)
    and then to the cent (1.01), so one messy cell elsewhere in the column changed the price."""
    header = "order_id,order_time,customer_id,sku,quantity,unit_price\n"
    clean = "A1,2024-01-05 10:00:00,c1,S1,1,1.0049999\nA2,2024-01-05 11:00:00,c2,S1,1,2.125\n"
    store, _ = make_ingest({"orders_clean.csv": header + clean})
    fast = sql(store, "SELECT unit_price FROM orders ORDER BY order_id")
    # ¥ and 万: the column takes the forgiving path
    messy = header + clean.replace("A", "B") + "B3,2024-01-05 12:00:00,c3,S1,1,¥0.3万\n"
    store, _ = make_ingest({"orders_messy.csv": messy})
    slow = sql(store, "SELECT unit_price FROM orders WHERE order_id LIKE 'B%' ORDER BY order_id")
    assert [float(r[0]) for r in fast] == [1.00, 2.13]  # 2.125 rounds half up
    assert [float(r[0]) for r in slow] == [1.00, 2.13, 3000.00]
