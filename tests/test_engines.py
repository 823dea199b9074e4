"""The same queries on PostgreSQL and Spark: every query file, a spread of parameters, the same rows.

One small demo data set (3 000 order lines, seed 7, ending 2024-06-30) is
ingested once and pushed (``storeops.engines.push``) into a throw-away
PostgreSQL server (tests/pg.py) and a local Spark session (``spark:local[2]``,
Parquet under the cache folder); both are started once for the module, which
runs on one xdist worker (``xdist_group``). Every file of ``queries/`` runs with
the parameter sets of tests/engine_cases.py on DuckDB (the reference) and on
each engine; the results must hold the same rows in any order, the same
columns with the same dtypes, and the same values — text, dates and integers
exactly, floats to a relative 1e-9 (sums of doubles may add up in another
order). A query that does not yet pass on an engine is listed in
``EXPECTED_FAILURES`` with what it needs (strict xfail: it turns red once it
passes, so the list stays true).

Engine tables (``[engine.tables]``, storeops.engines.refresh): the same canonical tables put where a shop's
pipeline would keep them — a PostgreSQL schema ``erp``, Parquet folders and a catalog table read through a
Spark Connect server the module starts (tests/spark_connect.py) — built with ``refresh`` and compared the same
way; tables that break the data contract must be refused with a message naming the table and the column.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from engine_cases import cases
from pg import postgres_server

from storeops import cli
from storeops.db import QUERIES, Store, load_query
from storeops.engines import EngineError, configured, open_engine, open_store
from storeops.engines.push import push
from storeops.engines.sql import macros, translate

pytestmark = pytest.mark.xdist_group("engines")

QUERY_NAMES = sorted(p.stem for p in QUERIES.glob("[a-z]*.sql"))
ENGINES = ("postgres", "spark")
SPARK_URL = "spark:local[2]"
REL_TOL = 1e-9

# (engine, query) → what the query needs before it gives DuckDB's rows there.
EXPECTED_FAILURES: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch) -> Path:
    from storeops.sample import generate

    root = tmp_path_factory.mktemp("engines")
    folder = root / "data"
    generate(folder, order_lines=3_000, seed=7, end=dt.date(2024, 6, 30))
    monkeypatch_module.setenv("STOREOPS_CACHE", str(root / "cache" / "cache.duckdb"))
    monkeypatch_module.delenv("STOREOPS_ENGINE", raising=False)
    return folder


@pytest.fixture(scope="module")
def duck(data: Path) -> Store:
    store = Store(data)
    store.refresh(wait=True)
    return store


@pytest.fixture(scope="module")
def pg_url(data: Path) -> str:
    with postgres_server() as url:
        push(data, url)
        yield url


@pytest.fixture(scope="module")
def spark_url(data: Path) -> str:
    from storeops.engines.spark import stop_all

    push(data, SPARK_URL)
    yield SPARK_URL
    stop_all()


def engine_for(request: pytest.FixtureRequest, name: str, data: Path):
    url = request.getfixturevalue("pg_url" if name == "postgres" else "spark_url")
    return open_engine(url, data)


# ---------------------------------------------------------------- comparison


def _cell(v: object) -> object:
    if isinstance(v, list | tuple | np.ndarray):
        return tuple(_cell(x) for x in v)
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, float | np.floating):
        return float(f"{float(v):.9g}")  # a sort key; compared with a tolerance below
    if isinstance(v, np.integer):
        return int(v)
    return v


def _key(row: tuple) -> tuple:
    return tuple((x is None, "" if x is None else str(x)) for x in row)


def _close(a: object, b: object, raw_a: object, raw_b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(raw_a, float | np.floating) and isinstance(raw_b, float | np.floating):
        return math.isclose(float(raw_a), float(raw_b), rel_tol=REL_TOL, abs_tol=REL_TOL)
    return a == b


def assert_same(want: pd.DataFrame, got: pd.DataFrame, what: str) -> None:
    assert list(got.columns) == list(want.columns), f"{what}: columns"
    assert [str(t) for t in got.dtypes] == [str(t) for t in want.dtypes], f"{what}: dtypes"
    assert len(got) == len(want), f"{what}: {len(got)} rows, DuckDB {len(want)}"
    w = sorted(((tuple(_cell(v) for v in r), tuple(r)) for r in want.itertuples(index=False)), key=lambda x: _key(x[0]))
    g = sorted(((tuple(_cell(v) for v in r), tuple(r)) for r in got.itertuples(index=False)), key=lambda x: _key(x[0]))
    for (cw, rw), (cg, rg) in zip(w, g, strict=True):
        same = all(_close(a, b, ra, rb) for a, b, ra, rb in zip(cw, cg, rw, rg, strict=True))
        assert same, f"{what}: row {rg} where DuckDB has {rw}"


def test_assert_same_tolerates_order_and_float_noise() -> None:
    a = pd.DataFrame({"k": ["x", "y"], "v": [0.1 + 0.2, 2.0]})
    b = pd.DataFrame({"k": ["y", "x"], "v": [2.0, 0.3]})
    assert_same(a, b, "noise")
    with pytest.raises(AssertionError):
        assert_same(a, pd.DataFrame({"k": ["y", "x"], "v": [2.0, 0.31]}), "a real difference")


# ---------------------------------------------------------------- every query file


@pytest.mark.parametrize("name", QUERY_NAMES)
@pytest.mark.parametrize("engine", ENGINES)
def test_query_gives_duckdb_rows(
    request: pytest.FixtureRequest, engine: str, name: str, data: Path, duck: Store
) -> None:
    if (engine, name) in EXPECTED_FAILURES:
        request.applymarker(pytest.mark.xfail(reason=EXPECTED_FAILURES[(engine, name)], strict=True))
    target = engine_for(request, engine, data)
    _, declared = load_query(name)
    spread = cases(name, declared)
    if engine == "spark" and not declared & {"dimension", "dimensions"}:
        spread = spread[:2]  # a Spark job per query is slow: the month and the half year with filters
    for params in spread:
        assert_same(duck.run(name, **params), target.run(name, params), f"{name} {params}")


# ---------------------------------------------------------------- the command line on each engine


def assert_json_close(got: object, want: object, where: object) -> None:
    """Equal JSON, numbers to a relative 1e-9."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and sorted(got) == sorted(want), where
        for k in want:
            assert_json_close(got[k], want[k], (where, k))
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), where
        for g, w in zip(got, want, strict=True):
            assert_json_close(g, w, where)
    elif isinstance(want, float) and isinstance(got, int | float):
        assert math.isclose(got, want, rel_tol=REL_TOL, abs_tol=REL_TOL), (where, got, want)
    else:
        assert got == want, (where, got, want)


def _cli(*args: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(list(args)) == 0
    return out.getvalue()


@pytest.mark.parametrize("engine", ENGINES)
def test_metrics_and_exports_print_the_same(request: pytest.FixtureRequest, engine: str, data: Path) -> None:
    url = request.getfixturevalue("pg_url" if engine == "postgres" else "spark_url")
    runs = [
        ("metrics", "--start", "2024-06-01", "--end", "2024-06-30"),
        ("metrics", "--start", "2024-01-01", "--end", "2024-06-30", "--channel", "social", "--compare", "yoy"),
        ("export", "channels", "--start", "2024-06-01", "--end", "2024-06-30", "-o", "-"),
        ("export", "reorder", "-o", "-"),
        ("export", "segments", "--as-of", "2024-03-31", "-o", "-"),
    ]
    for args in runs:
        want = _cli(*args, "--data", str(data))
        got = _cli(*args, "--data", str(data), "--engine", url)
        if args[0] == "metrics":
            assert_json_close(json.loads(got), json.loads(want), args)
        else:
            assert got == want, args


def test_push_replaces_the_tables_atomically(pg_url: str, data: Path) -> None:
    engine = open_engine(pg_url, data)
    before = engine.version()
    push(data, pg_url)
    engine = open_engine(pg_url, data)
    schemas = engine.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'storeops%%'", {}).to_pylist()
    assert [s["nspname"] for s in schemas] == ["storeops"]  # the new schema was renamed over the old one
    assert engine.version() is not None and before is not None


def test_push_copies_awkward_values_exactly(pg_url: str, data: Path) -> None:
    """COPY (CSV from Arrow) keeps what a row-by-row insert would: NULL apart from '', quotes, commas,
    newlines and backslashes in text, lists with NULL and quoted elements, special doubles, decimals,
    timestamps with and without a zone."""
    import duckdb

    from storeops.engines.postgres import PostgresEngine

    duck = duckdb.connect()
    duck.execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES "
        "(1, '', ['a', '', NULL, 'NULL', 'q\"u,o{t}e', 'back\\slash'], 0.1::DOUBLE, 12.34::DECIMAL(18,2), "
        " TIMESTAMP '2024-02-29 23:59:59.123456', TIMESTAMPTZ '2024-01-01 10:00:00+00', true,"
        " 'x\"y,z' || chr(10) || '\\N'),"
        "(2, NULL, [], 'inf'::DOUBLE, -0.01::DECIMAL(18,2), NULL, NULL, false, '中文'),"
        "(3, 'plain', NULL, 'nan'::DOUBLE, NULL, TIMESTAMP '1999-12-31 00:00:00', NULL, NULL, NULL)"
        ") AS v(id, s, l, d, m, ts, tz, b, u)"
    )
    cols = duck.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position"
    ).fetchall()
    engine = PostgresEngine(pg_url.split("?")[0], schema="storeops_awkward")
    try:
        engine.replace_tables(duck, {"t": ("t", cols)})
        got = engine.execute("SELECT * FROM storeops_awkward.t ORDER BY id", {}).to_pylist()
        with engine.sa_engine().begin() as con:
            con.exec_driver_sql("DROP SCHEMA storeops_awkward CASCADE")
    finally:
        engine.close()
    want = duck.execute("SELECT * FROM t ORDER BY id").fetchall()
    assert [r["s"] for r in got] == [w[1] for w in want] == ["", None, "plain"]
    assert [r["l"] for r in got] == [w[2] for w in want]
    assert got[0]["d"] == 0.1 and got[1]["d"] == math.inf and math.isnan(got[2]["d"])
    assert [r["m"] for r in got] == [12.34, -0.01, None]
    assert [r["ts"] for r in got] == [w[5] for w in want]
    assert got[0]["tz"] == want[0][6]
    assert [r["b"] for r in got] == [True, False, None]
    assert [r["u"] for r in got] == [w[8] for w in want]


def test_spark_push_keeps_one_version(spark_url: str, data: Path, duck: Store) -> None:
    warehouse = Path(open_engine(spark_url, data).warehouse)
    push(data, spark_url)
    current = (warehouse / "CURRENT").read_text().strip()
    assert sorted(p.name for p in warehouse.iterdir() if p.is_dir()) == [current]
    store = open_store(data, spark_url)
    assert store.data_range() == duck.data_range()


def test_values_are_bound_never_spliced(pg_url: str, spark_url: str, data: Path) -> None:
    evil = "x' OR '1'='1"
    for url in (pg_url, spark_url):
        store = open_store(data, url)
        assert store.run("stand_ins", table=evil).empty
    for dialect in ("postgres", "spark"):
        assert "OR '1'='1" not in translate("stand_ins", dialect)


# ---------------------------------------------------------------- translation, by hand


def test_macros_are_parsed_from_the_model_file() -> None:
    found = macros()
    assert {"in_filter", "trend_bucket", "customer_state", "customer_rfm", "member_state"} <= set(found)
    assert found["customer_state"].is_table and not found["in_filter"].is_table
    assert found["trend_bucket"].params == ("day", "period_start", "period_end")


def test_translation_rewrites() -> None:
    pg = translate("kpis", "postgres", frozenset({"channels", "platforms", "categories"}))
    assert "in_filter" not in pg.lower() and "CARDINALITY(CAST(%(channels)s AS TEXT[]))" in pg
    spark = translate("members_segments", "spark")  # customer_rfm(…), which calls customer_state(…)
    assert "customer_rfm(" not in spark.lower() and "known_customer_state" in spark
    # psycopg's pyformat: every % is a placeholder or doubled (the comments, with their "80%", are dropped)
    assert "%" not in re.sub(r"%\(\w+\)s|%%", "", translate("inventory_skus", "postgres"))
    assert "GROUP BY ALL" not in " ".join(translate(n, "postgres") for n in QUERY_NAMES)


def test_customer_state_is_left_to_the_engine_per_argument() -> None:
    from storeops.engines.postgres import MATERIALIZE
    from storeops.engines.sql import body, materialized

    done = materialized("members_segments", "postgres", MATERIALIZE)
    # customer_rfm($as_of) is expanded; the customer_state call inside it is a token the engine replaces
    assert [(macro, arg) for _, macro, arg in done.calls] == [("customer_state", "SELECT %(as_of)s")]
    assert all(token in done.sql for token, _, _ in done.calls) and "lifecycle_days" not in done.sql
    assert "customer_timeline" in body("customer_state", "postgres")
    assert "%(storeops_arg)s" in body("customer_state", "postgres")
    assert materialized("kpis", "postgres", MATERIALIZE).calls == ()


def test_materialized_customer_state_follows_a_push(pg_url: str, data: Path, duck: Store) -> None:
    """A push between two runs on one session leaves the results right (the temporary table is keyed by the
    version in meta and rebuilt when it changes)."""
    engine = open_engine(pg_url, data)
    params = {"as_of": dt.date(2024, 6, 30)}
    first = engine.run("members_segments", params)
    push(data, pg_url)
    assert_same(duck.run("members_segments", **params), engine.run("members_segments", params), "after push")
    assert_same(first, engine.run("members_segments", params), "again")
    with engine.sa_engine().connect() as con:  # the pooled session: its temporary tables vanish
        con.exec_driver_sql("DISCARD TEMP")
        con.commit()
    assert_same(first, engine.run("members_segments", params), "temporary table gone")
    with engine.sa_engine().connect() as con:
        assert "storeops_materialized" not in con.connection.info  # forgotten: the query ran expanded
    assert_same(first, engine.run("members_segments", params), "rebuilt")
    with engine.sa_engine().connect() as con:
        tables = con.exec_driver_sql("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'storeops_customer_state%%'")
        assert tables.scalar() == 1
    engine.close()


def test_engine_is_chosen_in_one_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STOREOPS_ENGINE", raising=False)
    assert configured(tmp_path) is None
    (tmp_path / "settings.toml").write_text('[engine]\nurl = "spark:local[1]"\n')
    assert configured(tmp_path) == "spark:local[1]"
    monkeypatch.setenv("STOREOPS_ENGINE", "postgresql+psycopg://me@db/shop")
    assert configured(tmp_path) == "postgresql+psycopg://me@db/shop"
    assert configured(tmp_path, "duckdb") is None
    assert isinstance(open_store(tmp_path, "duckdb"), Store)


def test_a_literal_password_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="password"):
        open_engine("postgresql+psycopg://me:secret@db/shop", tmp_path)
    open_engine("postgresql+psycopg://me:${SHOP_PASSWORD}@db/shop", tmp_path)  # resolved when first used
    with pytest.raises(EngineError, match="warehouse"):
        open_engine("sc://spark.internal:15002", tmp_path)


# ---------------------------------------------------------------- the dashboard on an engine

PAGES = sorted(p.name for p in (QUERIES.parent / "pages").glob("*.py"))


def _headlines(at) -> list[tuple[str, str, str]]:
    """The metric cards a page shows: (label, value, delta) as rendered."""
    return [(m.label, str(m.value), str(m.delta)) for m in at.metric]


def _render_pages(data: Path, engine_url: str | None, pages: list[str], monkeypatch: pytest.MonkeyPatch) -> dict:
    """Every page of ``pages`` under AppTest on one engine (None: DuckDB): {page: headline cards}."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("STOREOPS_DATA", str(data))
    if engine_url is None:
        monkeypatch.delenv("STOREOPS_ENGINE", raising=False)
    else:
        monkeypatch.setenv("STOREOPS_ENGINE", engine_url)
    st.cache_resource.clear()  # the store is cached per data folder: another engine's may be there
    at = AppTest.from_file(str(QUERIES.parent / "dashboard.py"), default_timeout=300).run()
    assert not at.exception, [e.message for e in at.exception]
    shown = {"(default)": _headlines(at)}
    for page in pages:
        at.switch_page(f"pages/{page}").run()
        assert not at.exception, (engine_url, page, [e.message for e in at.exception])
        shown[page] = _headlines(at)
    return shown


@pytest.mark.parametrize("engine", ENGINES)
def test_dashboard_pages_render_on_the_engine(
    request: pytest.FixtureRequest, engine: str, data: Path, duck: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page renders on the engine without an exception and shows DuckDB's headline cards (label,
    value and change as formatted). Spark: the default page only (a Spark job per query)."""
    url = request.getfixturevalue("pg_url" if engine == "postgres" else "spark_url")
    pages = PAGES if engine == "postgres" else []
    want = _render_pages(data, None, pages, monkeypatch)
    got = _render_pages(data, url, pages, monkeypatch)
    assert want["(default)"], "the default page shows headline cards"
    for page, cards in want.items():
        assert got[page] == cards, page


# ---------------------------------------------------------------- tables the shop's own pipeline maintains

# These read the ingest bookkeeping (files, rejects, problems): on engine tables they describe the source
# tables instead (test_engine_tables_health_says_where_data_came_from).
BOOKKEEPING = {"health_files", "health_rejects", "health_problems", "stand_ins"}
# Spark (Connect): one parameter set each of a spread of pages' queries (a Spark job per query is slow).
SPARK_SPREAD = [
    "kpis",
    "sales_by",
    "traffic_by",
    "members_tiers",
    "inventory_skus",
    "health_freshness",
]


def _user_folder(data: Path, folder: Path, tables: dict[str, str]) -> Path:
    """A data folder holding no table files: the reference files and settings.toml naming engine tables."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("channel_map.csv", "targets.csv"):
        if (data / name).exists():
            (folder / name).write_bytes((data / name).read_bytes())
    lines = ["[engine.tables]", *(f'{t} = "{n}"' for t, n in tables.items())]
    (folder / "settings.toml").write_text("\n".join(lines) + "\n")
    return folder


def _canonical(duck: Store):
    """A DuckDB connection with the demo's canonical tables (as ingest left them) attached as ``s``."""
    import duckdb

    con = duckdb.connect()
    con.execute("ATTACH $p AS s (READ_ONLY)", {"p": str(duck.paths.db)})
    return con


@pytest.fixture(scope="module")
def pg_tables(pg_url: str, data: Path, duck: Store, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The demo's canonical tables in the schema ``erp`` as a shop's pipeline might keep them — orders with
    its columns in another order, one upper-case name, an extra column, order_time as timestamptz (store
    time zone), quantity int4 and unit_price a double — and storeops built from them into its own schema."""
    from storeops import schema
    from storeops.engines.postgres import pg_type
    from storeops.engines.refresh import refresh

    con = _canonical(duck)
    engine = open_engine(pg_url, data)
    with engine.sa_engine().begin() as c, c.connection.driver_connection.cursor() as cur:
        cur.execute("CREATE SCHEMA erp")
        for table in schema.TABLES.values():
            cols = {col.name: pg_type(col.sql_type) for col in table.columns}
            names = list(reversed(table.names)) if table.name == "orders" else list(table.names)
            if table.name == "orders":
                cols |= {"order_time": "timestamptz", "quantity": "integer", "unit_price": "double precision"}
            spec = ", ".join(f'"{"SKU" if n == "sku" else n}" {cols[n]}' for n in names)
            extra = ", warehouse_note text" if table.name == "orders" else ""
            cur.execute(f"CREATE TABLE erp.{table.name} ({spec}{extra})")
            quoted = ", ".join(f'"{"SKU" if n == "sku" else n}"' for n in names)
            cur.execute("SET TimeZone = 'Asia/Shanghai'")  # timestamps written as store-local times
            with cur.copy(f"COPY erp.{table.name} ({quoted}) FROM STDIN") as copy:
                for row in con.execute(f"SELECT {', '.join(names)} FROM s.{table.name}").fetchall():
                    copy.write_row(row)
            cur.execute("SET TimeZone = 'UTC'")
    engine.close()
    con.close()
    folder = _user_folder(data, tmp_path_factory.mktemp("pg_tables"), {t: f"erp.{t}" for t in schema.TABLES})
    url = pg_url + "?schema=storeops_built"
    refresh(folder, url)
    return url, folder


@pytest.mark.parametrize("name", sorted(set(QUERY_NAMES) - BOOKKEEPING))
def test_engine_tables_give_duckdb_rows_postgres(pg_tables: tuple[str, Path], name: str, duck: Store) -> None:
    url, folder = pg_tables
    store = open_store(folder, url)
    _, declared = load_query(name)
    for params in cases(name, declared):
        assert_same(duck.run(name, **params), store.run(name, **params), f"{name} {params}")


ENGINE_RUNS = [
    ("metrics", "--start", "2024-06-01", "--end", "2024-06-30"),
    ("metrics", "--start", "2024-01-01", "--end", "2024-06-30", "--channel", "social", "--compare", "yoy"),
    ("export", "channels", "--start", "2024-06-01", "--end", "2024-06-30", "-o", "-"),
    ("export", "reorder", "-o", "-"),
    ("export", "segments", "--as-of", "2024-03-31", "-o", "-"),
]


def _same_cli(data: Path, folder: Path, url: str) -> None:
    for args in ENGINE_RUNS:
        want = _cli(*args, "--data", str(data))
        got = _cli(*args, "--data", str(folder), "--engine", url)
        if args[0] == "metrics":
            assert_json_close(json.loads(got), json.loads(want), args)
        else:
            assert got == want, args


def test_engine_tables_metrics_and_exports_postgres(pg_tables: tuple[str, Path], data: Path) -> None:
    url, folder = pg_tables
    _same_cli(data, folder, url)


def test_engine_tables_health_says_where_data_came_from(
    pg_tables: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    url, folder = pg_tables
    files = open_store(folder, url).run("health_files")
    assert sorted(files["file"]) == ["erp.ad_spend", "erp.inventory", "erp.members", "erp.orders", "erp.traffic"]
    assert set(files["profile"]) == {"engine table"} and set(files["status"]) == {"loaded"}
    orders = files[files["table_name"] == "orders"].iloc[0]
    assert orders["message"] == "PostgreSQL table erp.orders" and orders["rows_loaded"] > 0
    assert open_store(folder, url).run("health_rejects").empty
    monkeypatch.setenv("STOREOPS_DATA", str(folder))
    monkeypatch.setenv("STOREOPS_ENGINE", url)
    st.cache_resource.clear()
    at = AppTest.from_file(str(QUERIES.parent / "dashboard.py"), default_timeout=300).run()
    at.switch_page("pages/data_health.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("PostgreSQL tables named in settings.toml" in c.value for c in at.caption)


def test_engine_tables_that_break_the_contract_are_refused(
    pg_tables: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from storeops.engines.refresh import refresh

    url, folder = pg_tables
    engine = open_engine(pg_url := url, folder)
    with engine.sa_engine().begin() as c, c.connection.driver_connection.cursor() as cur:
        cur.execute(
            'CREATE VIEW erp.orders_no_quantity AS SELECT order_id, order_time, customer_id, "SKU", unit_price '
            "FROM erp.orders"
        )
        cur.execute("CREATE VIEW erp.orders_text_price AS SELECT *, 'n/a'::text AS quantity_text FROM erp.orders")
        cur.execute(
            'CREATE VIEW erp.orders_bad_type AS SELECT order_id, order_time, customer_id, "SKU", '
            "quantity::text AS quantity, unit_price FROM erp.orders"
        )
    before = engine.version()
    cases_ = {
        "erp.orders_no_quantity": r"erp\.orders_no_quantity \(orders\): column quantity is missing",
        "erp.orders_bad_type": r"erp\.orders_bad_type \(orders\): column quantity is text, which does not cast to a "
        r"whole number",
        "erp.nowhere": r"erp\.nowhere \(orders\): no such table",
    }
    for name, message in cases_.items():
        bad = _user_folder(folder, tmp_path / name, {"orders": name, "members": "erp.members"})
        with pytest.raises(EngineError, match=message):
            refresh(bad, pg_url)
        assert cli.main(["refresh", "--data", str(bad), "--engine", pg_url]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: the engine tables do not meet the data contract") and name in err
    assert open_engine(pg_url, folder).version() == before  # nothing was replaced
    # push would overwrite the named tables' build with a copy of data/: refused
    assert cli.main(["push", "--data", str(folder), "--engine", pg_url]) == 2
    assert "run refresh" in capsys.readouterr().err


# ---------------------------------------------------------------- Spark Connect, on Parquet paths and a catalog table


@pytest.fixture(scope="module")
def connect_tables(data: Path, duck: Store, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A local Spark Connect server (tests/spark_connect.py); the demo's canonical tables as Parquet folders
    (members: a catalog table over one), and storeops built from them through ``sc://localhost:PORT``."""
    from spark_connect import connect_server

    from storeops import schema
    from storeops.engines.refresh import refresh
    from storeops.engines.spark import session, stop, stop_all

    # pyspark refuses a remote session while a regular one runs in the process (the local-Spark tests' one,
    # when the suite runs whole): stop it; a later local test starts a new one.
    stop_all()
    root = tmp_path_factory.mktemp("connect")
    con = _canonical(duck)
    for table in schema.TABLES.values():
        (root / "lake" / table.name).mkdir(parents=True)
        target = str(root / "lake" / table.name / "part-0.parquet")
        con.execute(f"COPY (SELECT {', '.join(table.names)} FROM s.{table.name}) TO '{target}' (FORMAT parquet)")
    con.close()
    tables = {t: str(root / "lake" / t) for t in schema.TABLES}
    tables["members"] = "erp.members"
    folder = _user_folder(data, root / "data", tables)
    with connect_server() as base:
        try:
            spark = session(base)
            spark.sql(f"CREATE DATABASE erp LOCATION '{root / 'catalog'}'")
            spark.sql(f"CREATE TABLE erp.members USING parquet LOCATION '{root / 'lake' / 'members'}'")
            url = f"{base}?warehouse={root / 'warehouse'}"
            refresh(folder, url)
            yield url, folder
        finally:
            stop(base)


@pytest.mark.parametrize("name", SPARK_SPREAD)
def test_engine_tables_give_duckdb_rows_spark_connect(connect_tables: tuple[str, Path], name: str, duck: Store) -> None:
    url, folder = connect_tables
    store = open_store(folder, url)
    _, declared = load_query(name)
    params = cases(name, declared)[0]
    assert_same(duck.run(name, **params), store.run(name, **params), f"{name} {params}")


def test_engine_tables_metrics_and_exports_spark_connect(connect_tables: tuple[str, Path], data: Path) -> None:
    url, folder = connect_tables
    _same_cli(data, folder, url)
    files = open_store(folder, url).run("health_files")
    assert set(files["message"]) >= {"Spark table erp.members"}


def test_spark_parquet_that_breaks_the_contract_is_refused(
    connect_tables: tuple[str, Path], duck: Store, tmp_path: Path
) -> None:
    from storeops.engines.refresh import refresh

    url, folder = connect_tables
    con = _canonical(duck)
    (tmp_path / "orders").mkdir()
    con.execute(
        "COPY (SELECT order_id, order_time, customer_id, sku, unit_price, CAST(quantity AS VARCHAR) AS quantity "
        f"FROM s.orders) TO '{tmp_path / 'orders' / 'part-0.parquet'}' (FORMAT parquet)"
    )
    con.close()
    bad = _user_folder(folder, tmp_path / "data", {"orders": str(tmp_path / "orders")})
    with pytest.raises(EngineError, match=r"orders \(orders\): column quantity is string, which does not cast"):
        refresh(bad, url)


# ---------------------------------------------------------------- engine tables, by hand


def test_engine_tables_settings_are_checked(tmp_path: Path) -> None:
    from storeops.engines.tables import configured_tables, sources

    (tmp_path / "settings.toml").write_text('[engine]\nurl = "spark:local[1]"\n[engine.tables]\nsales = "x.y"\n')
    with pytest.raises(EngineError, match="sales, which is not a canonical table"):
        configured_tables(tmp_path)
    (tmp_path / "settings.toml").write_text('[engine.tables]\ntraffic = "ga.traffic"\n')
    assert configured_tables(tmp_path) == {"traffic": "ga.traffic"}
    with pytest.raises(EngineError, match="must name the orders table"):
        sources(configured_tables(tmp_path), "postgres")
    got = sources({"orders": "orders", "traffic": 'ga."Traffic"'}, "postgres")
    assert (got["orders"].name, got["traffic"].name) == ("public.orders", 'ga."Traffic"')
    with pytest.raises(EngineError, match="not a schema-qualified table"):
        sources({"orders": "erp.orders; drop table x"}, "postgres")
    got = sources({"orders": "s3a://lake/orders", "members": "crm.members"}, "spark")
    assert (got["orders"].kind, got["members"].kind) == ("parquet", "table")


def test_engine_column_types_against_the_contract() -> None:
    from storeops.engines.tables import Source, check_columns

    source = Source("orders", "erp.orders", "table")
    cols = [
        ("ORDER_ID", "bigint"),  # a number where the contract has text: cast to text
        ("order_time", "timestamp with time zone"),
        ("customer_id", "character varying(40)"),
        ("sku", "text"),
        ("quantity", "numeric(12,0)"),  # whole numbers
        ("unit_price", "double precision"),
        ("discount", "text"),  # text is not a number: refused, named
        ("extra", "jsonb"),
    ]
    found, problems = check_columns(source, cols, "postgres")
    assert found["order_id"] == "ORDER_ID" and found["quantity"] == "quantity" and "discount" not in found
    assert problems == [
        "erp.orders (orders): column discount is text, which does not cast to a number (numeric/decimal) as the "
        "data contract needs for orders.discount; cast it in a view"
    ]
    _, problems = check_columns(source, [("order_id", "string"), ("order_time", "timestamp")], "spark")
    assert [p.split(": ", 1)[1] for p in problems] == [
        "column customer_id is missing; the data contract requires it (text)",
        "column sku is missing; the data contract requires it (text)",
        "column quantity is missing; the data contract requires it (a whole number (integer))",
        "column unit_price is missing; the data contract requires it (a number (numeric/decimal))",
    ]


def test_model_statements_translate() -> None:
    from storeops.engines.refresh import translate_model
    from storeops.ingest import model_steps

    steps = {s.table: s.select for s in model_steps() if s.table}
    pg = translate_model(steps["customers"], "postgres")
    assert "STRUCT" not in pg and "f__o AS first_order_id" in pg and "ARRAY_AGG(order_id ORDER BY" in pg
    spark = translate_model(steps["customer_repeat"], "spark")
    assert "TRY_ELEMENT_AT(dates, 2) AS second_order_date" in spark and "dates[" not in spark
    assert "ORDER BY" not in translate_model(steps["sales_days"], "spark")
