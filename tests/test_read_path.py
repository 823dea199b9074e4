"""The read path's shortcuts (ingest.read_all → parts) give exactly what the general path gives.

A plain UTF-8 file is read by DuckDB without the whole-file encoding check; a file whose columns are all clean
and has no bad row is written straight from ``raw`` (no temp table of typed values); total rows are found with a
prefilter; duplicates are counted over whole rows only when a key repeats; files are read two at a time. Each
test compares with a hand-worked answer: the rows, their line numbers, the rejects and the report.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from storeops import ingest
from storeops.ingest import CachePaths, FileReport
from storeops.settings import load_settings

HEADER = "order_id,order_time,customer_id,sku,quantity,unit_price\n"


def read(tmp_path: Path, files: dict[str, bytes | str], workers: int | None = None) -> list[FileReport]:
    data = tmp_path / "data"
    for rel, body in files.items():
        path = data / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body.encode() if isinstance(body, str) else body)
    cache = CachePaths.for_data(data, tmp_path / "cache" / "cache.duckdb")
    settings, _ = load_settings(data)
    con = ingest._connect_for_ingest(data, cache, settings)
    old = ingest.READ_WORKERS
    try:
        if workers is not None:
            ingest.READ_WORKERS = workers
        return ingest.read_all(data, cache, {}, con, [])
    finally:
        ingest.READ_WORKERS = old
        con.close()


def part_rows(tmp_path: Path, report: FileReport, columns: str = "order_id, quantity, _line") -> list[tuple]:
    part = tmp_path / "cache" / "cache.parts" / report.part
    with duckdb.connect() as con:  # columns: the test's own list
        return con.execute(f"SELECT {columns} FROM read_parquet($p) ORDER BY _line", {"p": str(part)}).fetchall()


def reject_rows(tmp_path: Path, report: FileReport) -> list[tuple]:
    part = tmp_path / "cache" / "cache.parts" / report.rejects_part
    with duckdb.connect() as con:
        sql = "SELECT line, column_name, value, reason FROM read_parquet($p) ORDER BY 1"
        return con.execute(sql, {"p": str(part)}).fetchall()


def test_clean_file_lines_count_blank_lines_and_quoted_breaks(tmp_path: Path) -> None:
    # line 1 header; 2 A1; 3 blank; 4-5 A2 (a line break inside its quoted order id); 6 A3
    text = (
        HEADER
        + "A1,2024-01-05 10:00:00,c1,S1,1,10\n\n"
        + '"A\n2",2024-01-05 11:00:00,c2,S2,2,20\n'
        + "A3,2024-01-06 09:00:00,c3,S3,3,30\n"
    )
    (r,) = read(tmp_path, {"orders.csv": text})
    assert (r.status, r.encoding, r.rows_loaded, r.rows_rejected) == ("loaded", "utf-8", 3, 0)
    assert part_rows(tmp_path, r) == [("A1", 1, 2), ("A\n2", 2, 4), ("A3", 3, 6)]
    assert reject_rows(tmp_path, r) == []


def test_clean_file_and_same_file_with_a_bad_row_give_the_same_good_rows(tmp_path: Path) -> None:
    """The first file takes the direct path (all clean, no bad row); the second, with a bad row on line 4, the
    temp-table path. Their good rows, typed values and line numbers are the same."""
    rows = ["A1,2024-01-05 10:00:00,c1,007,1,10.50", "A2,2024-01-05 11:00:00,c2,008,2,12.345"]
    clean = HEADER + "\n".join(rows) + "\nA4,2024-01-06 09:00:00,c3,009,3,30\n"
    messy = HEADER + "\n".join(rows) + "\nA3,2024-01-06 09:00:00,c3,009,-1,30\nA4,2024-01-06 09:00:00,c3,009,3,30\n"
    a, b = read(tmp_path, {"orders_a.csv": clean, "orders_b.csv": messy})
    columns = "order_id, order_time, sku, quantity, unit_price, discount, status, _line"
    good_a = part_rows(tmp_path, a, columns)
    good_b = part_rows(tmp_path, b, columns)
    assert good_a[:2] == good_b[:2]
    assert [r[-1] for r in good_a] == [2, 3, 4] and [r[-1] for r in good_b] == [2, 3, 5]
    assert good_a[2][:-1] == good_b[2][:-1]
    assert float(good_a[1][4]) == 12.35 and good_a[0][5] == 0 and good_a[0][6] == "paid"
    assert (a.rows_rejected, b.rows_rejected) == (0, 1)
    assert reject_rows(tmp_path, b) == [(4, "quantity", "-1", "must be greater than 0")]


def test_gb18030_file_with_plain_ascii_top_lines(tmp_path: Path) -> None:
    """The first lines read as UTF-8, so the file is first taken for UTF-8; DuckDB's reader finds the GB18030
    bytes further down, and the file is read as GB18030, with the same line numbers as any other."""
    rows = [f"O{i},2024-01-05 10:00:00,c{i},S,1,10" for i in range(40)]
    text = HEADER + "\n".join(rows) + "\nO40,2024-01-05 10:00:00,张三,S,1,10\nO41,2024-01-05 10:00:00,c,S,0,10\n"
    (r,) = read(tmp_path, {"orders.csv": text.encode("gb18030")})
    assert (r.status, r.encoding, r.rows_loaded, r.rows_rejected) == ("loaded", "gb18030", 41, 1)
    assert part_rows(tmp_path, r, "customer_id, _line")[-1] == ("张三", 42)
    assert reject_rows(tmp_path, r) == [(43, "quantity", "0", "must be greater than 0")]


def test_unknown_encoding_is_reported_as_before(tmp_path: Path) -> None:
    text = HEADER.encode() + b"A9,2024-01-02,\xff\xff,S,1,999\n"
    (r,) = read(tmp_path, {"orders.csv": text})
    assert r.status == "rejected"
    assert r.message.startswith("unknown text encoding (not UTF-8, UTF-16 or GB18030; first bad byte at offset")


def test_total_rows_in_every_spelling_and_nothing_else(tmp_path: Path) -> None:
    text = HEADER + (
        "A1,2024-01-05 10:00:00,c1,S,1,10\n"
        "TOTAL,,,,1,10\n"  # upper case
        " Total: 3 orders,,,,3,30\n"  # a space before it
        ",Summary,,,3,30\n"  # the first cell empty: the second decides
        "合计,,,,3,30\n"
        "Sumatra-1,2024-01-05 10:00:00,c2,S,1,10\n"  # 'su' then a letter: an order id
        "SO123,2024-01-05 10:00:00,c3,S,1,10\n"
        "sum,,,,3,30\n"
    )
    (r,) = read(tmp_path, {"orders.csv": text})
    assert r.notes == ["5 total/summary row(s) skipped"]
    assert part_rows(tmp_path, r) == [("A1", 1, 2), ("Sumatra-1", 1, 7), ("SO123", 1, 8)]
    assert r.rows_rejected == 0


def test_duplicates_are_whole_identical_rows_only(tmp_path: Path) -> None:
    text = HEADER + (
        "A1,2024-01-05 10:00:00,c1,S1,1,10\n"
        "A1,2024-01-05 10:00:00,c1,S1,2,10\n"  # same order and SKU, another quantity: not a duplicate
        "A2,2024-01-05 10:00:00,c1,S1,1,10\n"
        "A2,2024-01-05 10:00:00,c1,S1,1,10\n"  # identical: a duplicate
    )
    unique = HEADER + "A1,2024-01-05 10:00:00,c1,S1,1,10\nA1,2024-01-05 10:00:00,c1,S2,1,10\n"
    a, b = read(tmp_path, {"orders_a.csv": text, "orders_b.csv": unique})
    assert (a.rows_loaded, a.duplicate_rows) == (4, 1)
    assert (b.rows_loaded, b.duplicate_rows) == (2, 0)
    assert (a.min_date, a.max_date) == ("2024-01-05", "2024-01-05")


@pytest.mark.parametrize("workers", [1, 2])
def test_reports_keep_file_order_whatever_the_workers(tmp_path: Path, workers: int) -> None:
    files = {
        f"orders/orders_{i:02d}.csv": HEADER + f"O{i},2024-01-{i + 1:02d} 10:00:00,c,S,{i + 1},1\n" for i in range(7)
    }
    files["orders/orders_03.csv"] = "not,a,header\n1,2,3\n"  # rejected whole
    reports = read(tmp_path, files, workers)
    assert [r.rel for r in reports] == sorted(files)
    assert [r.status for r in reports] == ["loaded"] * 3 + ["rejected"] + ["loaded"] * 3
    for i, r in enumerate(reports):
        if i != 3:
            assert part_rows(tmp_path, r) == [(f"O{i}", i + 1, 2)]
            assert r.min_date == f"2024-01-{i + 1:02d}"
