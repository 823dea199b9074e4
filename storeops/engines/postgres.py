"""PostgreSQL: the tables in one schema (default ``storeops``), queries through SQLAlchemy + psycopg.

Shims created in the schema by ``push`` (DuckDB semantics PostgreSQL lacks):

* ``storeops_last(array)`` / ``storeops_first(array)`` — the last / first
  element: ``last_value(x IGNORE NULLS) OVER w`` becomes
  ``storeops_last(array_agg(x) FILTER (WHERE x IS NOT NULL) OVER w)``;
* ``round(double precision, integer)`` — PostgreSQL rounds only ``numeric``
  to a number of places; DuckDB rounds doubles half away from zero, as
  ``numeric`` does.
"""

from __future__ import annotations

import decimal
import re
import threading
import uuid

import pyarrow as pa

from storeops import sources
from storeops.engines.base import Engine

SHIMS = (
    "CREATE FUNCTION {schema}.storeops_last(anycompatiblearray) RETURNS anycompatible "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $1[cardinality($1)]'",
    "CREATE FUNCTION {schema}.storeops_first(anycompatiblearray) RETURNS anycompatible "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $1[1]'",
    "CREATE FUNCTION {schema}.round(double precision, integer) RETURNS double precision "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT pg_catalog.round($1::numeric, $2)::double precision'",
)

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

    def sa_engine(self):
        with self._lock:
            if self._engine is None:
                import sqlalchemy as sa

                self._engine = sa.create_engine(
                    sources.resolve_url(self.url),
                    pool_pre_ping=True,
                    connect_args={"options": f"-c search_path={self.schema} -c TimeZone=UTC"},
                )
            return self._engine

    def execute(self, sql: str, params: dict[str, object]) -> pa.Table:
        with self.sa_engine().connect() as con:
            cur = con.connection.driver_connection.cursor()
            try:
                cur.execute(sql, params)
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
        the old tables or the new ones, never a mix."""
        new = f"{self.schema}__new_{uuid.uuid4().hex[:8]}"
        with self.sa_engine().begin() as con:
            raw = con.connection.driver_connection
            with raw.cursor() as cur:
                cur.execute(f"CREATE SCHEMA {_quote(new)}")
                for table, (source, cols) in tables.items():
                    spec = ", ".join(f"{_quote(c)} {pg_type(t)}" for c, t in cols)
                    target = f"{_quote(new)}.{_quote(table)}"
                    cur.execute(f"CREATE TABLE {target} ({spec})")
                    names = ", ".join(_quote(c) for c, _ in cols)
                    result = duck.execute(f"SELECT {names} FROM {source}")  # noqa: S608 - names quoted
                    with cur.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
                        while batch := result.fetchmany(10_000):
                            for row in batch:
                                copy.write_row(row)
                    cur.execute(f"ANALYZE {target}")
                    if progress:
                        progress(f"  {table}: copied")
                for shim in SHIMS:
                    cur.execute(shim.format(schema=_quote(new)))
                cur.execute(f"DROP SCHEMA IF EXISTS {_quote(self.schema)} CASCADE")
                cur.execute(f"ALTER SCHEMA {_quote(new)} RENAME TO {_quote(self.schema)}")
