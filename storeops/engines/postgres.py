"""PostgreSQL: the tables in one schema (default ``storeops``), queries through SQLAlchemy + psycopg.

Shims created in the schema by ``push`` (DuckDB semantics PostgreSQL lacks):

* ``storeops_last(array)`` / ``storeops_first(array)`` — the last / first
  element: ``last_value(x IGNORE NULLS) OVER w`` becomes
  ``storeops_last(array_agg(x) FILTER (WHERE x IS NOT NULL) OVER w)``;
* ``round(double precision, integer)`` — PostgreSQL rounds only ``numeric``
  to a number of places; DuckDB rounds doubles half away from zero, as
  ``numeric`` does.

``customer_state(as_of)`` is built once per session, data version and ``as_of``
into a temporary table (``MATERIALIZE``, ``PostgresEngine._materialize``).
"""

from __future__ import annotations

import decimal
import queue
import re
import threading
import time
import uuid

import pyarrow as pa
from psycopg.errors import UndefinedTable

from storeops import sources
from storeops.engines.base import Engine, list_params
from storeops.engines.sql import ARG, body, materialized, translate

SHIMS = (
    "CREATE FUNCTION {schema}.storeops_last(anycompatiblearray) RETURNS anycompatible "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $1[cardinality($1)]'",
    "CREATE FUNCTION {schema}.storeops_first(anycompatiblearray) RETURNS anycompatible "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $1[1]'",
    "CREATE FUNCTION {schema}.round(double precision, integer) RETURNS double precision "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT pg_catalog.round($1::numeric, $2)::double precision'",
)

# Settings of every query session. jit off: compiling a plan costs 1–2 s on the aggregations storeops runs
# and saves less than that; work_mem: the hash aggregates and joins over customers stay in memory.
SESSION = ("-c TimeZone=UTC", "-c jit=off", "-c work_mem=64MB")

# Table macros a query reads from a temporary table built once per session, data version and argument
# (storeops.engines.sql.materialized): customer_state is a group-by of every paid order per customer that
# the members page would otherwise evaluate a dozen times.
MATERIALIZE = frozenset({"customer_state"})

# Rows per Arrow batch pushed with COPY.
COPY_ROWS = 200_000
MAINTENANCE_WORK_MEM = "256MB"  # index builds during push

# Indexes push builds on the tables (after loading, before the swap): {table: [(column, …), …]}. The pages
# filter every large table by a date range; a month out of two years reads an index range instead of the
# table, and count(*) (table_counts) an index-only scan (COPY FREEZE leaves the pages all-visible).
INDEXES: dict[str, list[tuple[str, ...]]] = {
    "order_lines": [("order_date",)],
    "paid_orders": [("order_date",)],
    "customer_days": [("order_date",)],
    "sales_days": [("order_date",)],
    "sku_days": [("order_date",)],
    "order_cells": [("order_date",)],
    "first_order_cells": [("order_date",)],
    "multi_cell_orders": [("order_date",)],
    "customers": [("first_order_date",)],
    "members": [("joined_date",)],
    "inventory": [("snapshot_date",)],
    "traffic_days": [("date",)],
    "ad_days": [("date",)],
}

# PostgreSQL type oid → Arrow type, for results (DuckDB shows DECIMAL as a float).
_OIDS = {
    16: pa.bool_(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    700: pa.float32(),
    701: pa.float64(),
    1700: pa.float64(),
    25: pa.string(),
    1043: pa.string(),
    19: pa.string(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
    1184: pa.timestamp("us", tz="UTC"),
    1009: pa.list_(pa.string()),
}

# DuckDB column type → PostgreSQL column type, for push.
_TYPES = {
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(38,0)",
    "UBIGINT": "numeric(20,0)",
    "UINTEGER": "bigint",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "VARCHAR": "text",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "VARCHAR[]": "text[]",
    "JSON": "jsonb",
}


def pg_type(duck: str) -> str:
    if duck.startswith("DECIMAL"):
        return duck.replace("DECIMAL", "numeric")
    if duck not in _TYPES:
        raise ValueError(f"no PostgreSQL type for the DuckDB type {duck}")
    return _TYPES[duck]


def _quote(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a plain name: {name!r}")
    return f'"{name}"'


def _value(v: object) -> object:
    return float(v) if isinstance(v, decimal.Decimal) else v


class PostgresEngine(Engine):
    dialect = "postgres"
    name = "PostgreSQL"

    def __init__(self, url: str, schema: str = "storeops"):
        super().__init__()
        self.url = url  # ${NAME} placeholders unexpanded
        self.schema = schema
        _quote(schema)
        self._engine = None
        self._lock = threading.Lock()
        self._calls: dict[str, tuple[tuple, str]] = {}

    def sa_engine(self):
        with self._lock:
            if self._engine is None:
                import sqlalchemy as sa

                self._engine = sa.create_engine(
                    sources.resolve_url(self.url),
                    pool_pre_ping=True,
                    connect_args={"options": " ".join([f"-c search_path={self.schema}", *SESSION])},
                )
            return self._engine

    def sql(self, query: str, params: dict[str, object]) -> str:
        """The query with each ``customer_state(…)`` call (``MATERIALIZE``) left to ``execute``, which
        reads a temporary table built once per session, data version and argument value."""
        lists = list_params(params)
        done = materialized(query, self.dialect, MATERIALIZE, lists)
        if not done.calls:
            return done.sql
        with self._lock:
            self._calls[done.sql] = (done.calls, translate(query, self.dialect, lists))
        return done.sql

    def execute(self, sql: str, params: dict[str, object]) -> pa.Table:
        with self.sa_engine().connect() as con:
            raw = con.connection.driver_connection
            calls = self._calls.get(sql)
            text = sql if calls is None else self._materialize(raw, con.connection.info, sql, params, *calls)
            cur = raw.cursor()
            try:
                try:
                    cur.execute(text, params)
                except UndefinedTable:
                    if text == sql or calls is None:
                        raise
                    # the temporary table is gone (a pooler that hands out server sessions per transaction,
                    # DISCARD TEMP): forget it and run the query with the call expanded
                    raw.rollback()
                    con.connection.info.pop("storeops_materialized", None)
                    cur.execute(calls[1], params)
                desc = cur.description
                rows = cur.fetchall()
            finally:
                cur.close()
            con.rollback()
        columns = []
        for i, d in enumerate(desc):
            values = [_value(r[i]) for r in rows]
            columns.append(pa.array(values, type=_OIDS.get(d.type_code)))
        return pa.Table.from_arrays(columns, names=[d.name for d in desc])

    def _materialize(self, raw, info: dict, sql: str, params: dict, calls, plain: str) -> str:
        """``sql`` with each call token replaced by a temporary table holding the macro's rows for the
        argument's value on this connection: built (and analysed) the first time, reused by the next
        queries of the page; rebuilt when push has replaced the tables. Where a temporary table cannot be
        made (no TEMP privilege), the query with the calls expanded (``plain``)."""
        try:
            with raw.cursor() as cur:
                cur.execute("SELECT signature, CAST(built_at AS text) FROM meta")
                version = cur.fetchone()
                known = info.get("storeops_materialized")
                if known is None or known[0] != version:
                    for table in known[1].values() if known else ():
                        cur.execute(f"DROP TABLE IF EXISTS pg_temp.{table}")
                    known = (version, {})
                    info["storeops_materialized"] = known
                for token, macro, arg in calls:
                    cur.execute(arg, params)
                    value = cur.fetchone()[0]
                    table = known[1].get((macro, value))
                    if table is None:
                        table = f"storeops_{macro}_{len(known[1])}"
                        cur.execute(f"DROP TABLE IF EXISTS pg_temp.{table}")
                        cur.execute(f"CREATE TEMP TABLE {table} AS {body(macro, self.dialect)}", {ARG: value})
                        cur.execute(f"ANALYZE pg_temp.{table}")
                        known[1][(macro, value)] = table
                    sql = sql.replace(token, f"pg_temp.{table}")
            raw.commit()
            return sql
        except Exception:
            raw.rollback()
            info.pop("storeops_materialized", None)
            return plain

    def version(self) -> object:
        rows = self.execute("SELECT signature, CAST(built_at AS text) AS built_at FROM meta", {}).to_pylist()
        return tuple(rows[0].values()) if rows else None

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # ------------------------------------------------------------ push

    def replace_tables(self, duck, tables: dict[str, tuple[str, list[tuple[str, str]]]], progress=None) -> None:
        """Copy ``tables`` ({name: (DuckDB relation, [(column, DuckDB type)])}) from the DuckDB connection
        ``duck`` into a new schema, then swap it for the current one in the same transaction: readers see
        the old tables or the new ones, never a mix.

        Each table is streamed with ``COPY … FROM STDIN (FORMAT csv, FREEZE)``: DuckDB hands Arrow batches
        of ``COPY_ROWS`` rows, Arrow writes them as CSV (strings quoted, so an empty string is ``""`` and
        NULL an unquoted nothing), psycopg sends the bytes — no Python object per row. FREEZE (the table was
        created in this transaction) writes the rows frozen and all-visible, so no later vacuum rewrites
        them. Then the indexes of ``INDEXES`` are built and the table analysed, all before the swap."""
        new = f"{self.schema}__new_{uuid.uuid4().hex[:8]}"
        with self.sa_engine().begin() as con:
            raw = con.connection.driver_connection
            duck.execute("SET enable_progress_bar = false")
            with raw.cursor() as cur:
                cur.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
                cur.execute(f"CREATE SCHEMA {_quote(new)}")
                for table, (source, cols) in tables.items():
                    started = time.perf_counter()
                    spec = ", ".join(f"{_quote(c)} {pg_type(t)}" for c, t in cols)
                    target = f"{_quote(new)}.{_quote(table)}"
                    cur.execute(f"CREATE TABLE {target} ({spec})")
                    rows = _copy_table(cur, duck, source, target, cols)
                    for i, columns in enumerate(INDEXES.get(table, ())):
                        keys = ", ".join(_quote(c) for c in columns)
                        cur.execute(f"CREATE INDEX {_quote(f'{table}_{i}')} ON {target} ({keys})")
                    cur.execute(f"ANALYZE {target}")
                    if progress:
                        progress(f"  {table}: {rows} rows ({time.perf_counter() - started:.1f} s)")
                for shim in SHIMS:
                    cur.execute(shim.format(schema=_quote(new)))
                cur.execute(f"DROP SCHEMA IF EXISTS {_quote(self.schema)} CASCADE")
                cur.execute(f"ALTER SCHEMA {_quote(new)} RENAME TO {_quote(self.schema)}")


def _csv_expr(column: str, duck_type: str) -> str:
    """The DuckDB expression whose Arrow value PostgreSQL's CSV input reads as the column's value."""
    name = _quote(column)
    if duck_type.endswith("[]"):  # a PostgreSQL array literal: {"a","b\"c",NULL}
        element = "coalesce('\"' || replace(replace(e, '\\', '\\\\'), '\"', '\\\"') || '\"', 'NULL')"
        return f"'{{' || array_to_string(list_transform({name}, lambda e: {element}), ',') || '}}'"
    if duck_type == "JSON":
        return f"CAST({name} AS VARCHAR)"
    return name


def _copy_table(cur, duck, source: str, target: str, cols: list[tuple[str, str]]) -> int:
    """Stream ``source`` into ``target`` as CSV; DuckDB and Arrow make the next batch in a thread while
    PostgreSQL parses the current one (both release the GIL)."""
    import pyarrow.csv as pa_csv

    names = ", ".join(_quote(c) for c, _ in cols)
    select = ", ".join(f"{_csv_expr(c, t)} AS {_quote(c)}" for c, t in cols)
    # the cursor of a relation, not of duck.execute(): no extra copy of the rows into Arrow
    reader = duck.sql(f"SELECT {select} FROM {source}").to_arrow_reader(COPY_ROWS)  # noqa: S608 - quoted
    options = pa_csv.WriteOptions(include_header=False)
    chunks: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()
    rows = [0]

    def produce() -> None:
        try:
            for batch in reader:
                if stop.is_set():
                    return
                if batch.num_rows:
                    out = pa.BufferOutputStream()
                    pa_csv.write_csv(batch, out, options)
                    rows[0] += batch.num_rows
                    chunks.put(out.getvalue())
            chunks.put(None)
        except BaseException as exc:  # handed to the consumer, raised there
            chunks.put(exc)

    worker = threading.Thread(target=produce, name="storeops-push", daemon=True)
    worker.start()
    try:
        with cur.copy(f"COPY {target} ({names}) FROM STDIN (FORMAT csv, FREEZE)") as copy:
            while (chunk := chunks.get()) is not None:
                if isinstance(chunk, BaseException):
                    raise chunk
                copy.write(chunk)
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue, then let it finish
            try:
                chunks.get(timeout=0.1)
            except queue.Empty:
                pass
        worker.join()
    return rows[0]
