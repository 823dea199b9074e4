"""Database sources (settings.toml [sources.<table>]): SQLite and a real PostgreSQL the tests start.

A pull goes through the same validation, quarantine and keys as a file; credentials come from the
environment, never from data/; with updated_at a pull reads only changed rows.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from pg import postgres_server
from test_ingest import JAN, net_revenue, rejects, report, sql

from storeops import sources

pytestmark = [pytest.mark.usefixtures("isolated_cache_env"), pytest.mark.xdist_group("postgres")]

ORDERS_DDL = (
    "CREATE TABLE sales (order_id TEXT, order_time TEXT, customer_id TEXT, sku TEXT, quantity INTEGER, "
    "unit_price NUMERIC, modified TEXT)"
)


def sqlite_db(path: Path, rows: list[tuple]) -> Path:
    con = sqlite3.connect(path)
    con.execute(ORDERS_DDL)
    con.executemany("INSERT INTO sales VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    return path


def settings(url: str, extra: str = "") -> str:
    return f'[sources.orders]\nurl = "{url}"\ntable = "sales"\n{extra}'


def test_sqlite_table_feeds_orders_through_the_same_checks(make_ingest, tmp_path: Path) -> None:
    db = sqlite_db(
        tmp_path / "erp.sqlite",
        [
            ("A1", "2024-01-05 10:00:00", "c1", "S1", 2, 50, None),  # 2 × 50 = 100
            ("A2", "2024-01-06 11:00:00", "c2", "S2", 1, 30.5, None),  # 30.50
            ("A3", "not a time", "c3", "S3", 1, 10, None),  # quarantined, row 3 of the pull
        ],
    )
    store, result = make_ingest({"settings.toml": settings(f"sqlite:///{db}")})
    r = report(result, "database:orders")
    assert (r.status, r.table, r.encoding, r.rows_loaded, r.rows_rejected) == ("loaded", "orders", "database", 2, 1)
    assert r.notes == [f"pulled from sqlite:///{db}: all rows"]
    assert r.columns_ignored == ["modified"]
    assert [(x[0], x[2], x[3]) for x in rejects(store)] == [("database:orders", 3, "order_time")]
    assert net_revenue(store) == 130.5


def test_incremental_pull_replaces_changed_orders_and_keeps_the_rest(
    make_ingest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = sqlite_db(
        tmp_path / "erp.sqlite",
        [
            ("A1", "2024-01-05 10:00:00", "c1", "S1", 1, 100, "2024-01-05 10:00:00"),
            ("A2", "2024-01-06 11:00:00", "c2", "S2", 1, 40, "2024-01-06 11:00:00"),
        ],
    )
    store, result = make_ingest({"settings.toml": settings(f"sqlite:///{db}", 'updated_at = "modified"\n')})
    assert report(result, "database:orders").cursor == {"text": "2024-01-06 11:00:00"}
    assert net_revenue(store) == 140
    # In the ERP: A2 corrected to 2 units, A3 added; A1 untouched (older than the cursor, so not pulled again).
    con = sqlite3.connect(db)
    con.execute("UPDATE sales SET quantity = 2, modified = '2024-01-07 09:00:00' WHERE order_id = 'A2'")
    con.execute("INSERT INTO sales VALUES ('A3', '2024-01-07 12:00:00', 'c3', 'S3', 1, 5, '2024-01-07 12:00:00')")
    con.commit()
    con.close()
    later = time.time() + 3600  # the next refresh interval
    monkeypatch.setattr(sources.time, "time", lambda: later)
    store, result = make_ingest({})
    r = report(result, "database:orders")
    assert r.notes[0] == f"pulled from sqlite:///{db}: rows changed since 2024-01-06 11:00:00"
    assert r.rows_loaded == 3  # A1 kept from the first pull, A2 replaced, A3 added
    assert net_revenue(store) == 100 + 2 * 40 + 5


def test_a_password_in_the_url_is_refused(make_ingest) -> None:
    _, result = make_ingest({"settings.toml": settings("postgresql+psycopg://shop:hunter2@erp/erp")})
    assert result.problems == [
        "settings.toml [sources.orders]: the URL holds a password; put it in an environment variable or Streamlit "
        "secret and write ${NAME} in its place (files in data/ are not a place for credentials); ignored"
    ]
    assert not any(r.rel.startswith("database:") for r in result.reports)


def test_url_placeholders_come_from_the_environment(
    make_ingest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = sqlite_db(tmp_path / "erp.sqlite", [("A1", "2024-01-05", "c1", "S1", 1, 9, None)])
    monkeypatch.delenv("ERP_DB", raising=False)
    _, result = make_ingest({"settings.toml": settings("sqlite:///${ERP_DB}")})
    r = report(result, "database:orders")
    assert (r.status, r.message) == (
        "rejected",
        "${ERP_DB} is not set: define the environment variable or a Streamlit secret",
    )
    monkeypatch.setenv("ERP_DB", str(db))
    monkeypatch.setattr(sources.time, "time", lambda: time.time_ns() / 1e9 + 3600)
    store, result = make_ingest({})
    assert report(result, "database:orders").status == "loaded"
    assert net_revenue(store) == 9


def test_bad_source_settings_are_reported() -> None:
    found, problems = sources.parse(
        {
            "orders": {"url": "sqlite://", "table": "sales; DROP TABLE x"},
            "visits": {"url": "sqlite://", "table": "t"},
            "traffic": {"url": "sqlite://", "table": "t", "query": "SELECT 1"},
            "members": {"url": "sqlite://", "table": "crm.members", "updated_at": "x y"},
        }
    )
    assert found == []
    assert problems == [
        "settings.toml [sources.orders]: table 'sales; DROP TABLE x' is not a plain table name; ignored",
        "settings.toml [sources.visits]: 'visits' is not a table (orders, ad_spend, traffic, inventory, members); "
        "ignored",
        "settings.toml [sources.traffic]: give either table or query; ignored",
        "settings.toml [sources.members]: updated_at 'x y' is not a plain column name; ignored",
    ]


# ---------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


def test_postgresql_query_with_a_profile_and_an_outage(
    make_ingest, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = sa.create_engine(pg_url)
    with engine.begin() as con:
        con.execute(sa.text("DROP TABLE IF EXISTS erp_lines"))
        con.execute(
            sa.text(
                "CREATE TABLE erp_lines (doc_no text, doc_time timestamptz, card text, item text, qty integer, "
                "price numeric(12, 2), state text, updated timestamptz)"
            )
        )
        con.execute(
            sa.text(
                "INSERT INTO erp_lines VALUES "
                "('P1', '2024-01-03 07:00:00+00', 'VIP1', '0042', 2, 25.00, '已审核', '2024-01-03 07:00:00+00'), "
                "('P2', '2024-01-04 08:00:00+08', 'VIP2', '0043', 1, 12.50, '作废', '2024-01-04 08:00:00+08')"
            )
        )
    engine.dispose()
    profile = (
        'name = "pos"\ntable = "orders"\nmatch = ["doc_no"]\n[columns]\norder_id = "doc_no"\norder_time = "doc_time"\n'
        'customer_id = "card"\nsku = "item"\nquantity = "qty"\nunit_price = "price"\nstatus = "state"\n'
        '[values.status]\n"已审核" = "paid"\n"作废" = "cancelled"\n'
    )
    host_port = pg_url.split("@", 1)[1]
    monkeypatch.setenv("PG_USER", "storeops")
    url = f"postgresql+psycopg://${{PG_USER}}@{host_port}"
    cfg = (
        f'[sources.orders]\nurl = "{url}"\nquery = "SELECT * FROM erp_lines WHERE item <> \'\'"\n'
        'updated_at = "updated"\nprofile = "pos"\n'
    )
    store, result = make_ingest({"settings.toml": cfg, "profiles/pos.toml": profile})
    r = report(result, "database:orders")
    assert (r.status, r.profile, r.rows_loaded) == ("loaded", "pos", 2)
    # timestamptz arrives with its offset and is converted to store time (Asia/Shanghai, UTC+8)
    assert sql(store, "SELECT order_id, order_time, sku FROM orders ORDER BY 1") == [
        ("P1", dt.datetime(2024, 1, 3, 15, 0), "0042"),
        ("P2", dt.datetime(2024, 1, 4, 8, 0), "0043"),
    ]
    assert net_revenue(store, JAN) == 50  # P2 is cancelled
    # The database goes away: the pull is rejected and the last good rows stay in use.
    monkeypatch.setenv("PG_USER", "nobody")
    monkeypatch.setattr(sources.time, "time", lambda: time.time_ns() / 1e9 + 3600)
    store, result = make_ingest({})
    r = report(result, "database:orders")
    assert r.status == "rejected" and r.stale_part
    assert r.message.startswith("reading postgresql+psycopg://${PG_USER}@127.0.0.1:")
    assert 'role "nobody" does not exist' in r.message
    assert r.message.endswith("— the previous version of this file stays in use")
    assert net_revenue(store, JAN) == 50
