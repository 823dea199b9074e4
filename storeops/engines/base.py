"""What every engine shares: the query text per dialect, and results typed as DuckDB types them.

A PostgreSQL ``sum(bigint)`` is ``numeric``, a Spark one ``bigint``; DuckDB's
is ``HUGEINT`` (a float in ``.df()``). So that pages and exports see the same
columns whatever the engine, each result is cast to the types DuckDB gives
the same query: ``push`` stores the DuckDB schema of every table
(``storeops_columns``), and the engine keeps an empty in-memory DuckDB with
those tables and the macros of ``queries/_model.sql``, where a query is bound
(never run) to learn its result types.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod

import duckdb
import pandas as pd
import pyarrow as pa

from storeops.db import load_query
from storeops.engines.sql import MODEL, _statements, translate

COLUMNS_TABLE = "storeops_columns"


def list_params(params: dict[str, object]) -> frozenset[str]:
    return frozenset(k for k, v in params.items() if isinstance(v, list | tuple | set | frozenset))


def bind(params: dict[str, object]) -> dict[str, object]:
    return {k: list(v) if isinstance(v, tuple | set | frozenset) else v for k, v in params.items()}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_FRAMES: duckdb.DuckDBPyConnection | None = None
_FRAMES_LOCK = threading.Lock()


def _frames() -> duckdb.DuckDBPyConnection:
    """A connection of its own (a cursor) to one empty in-memory DuckDB kept for the process: opening a new
    database per result costs ~0.1–0.2 s, more than most queries take on the engine."""
    global _FRAMES
    with _FRAMES_LOCK:
        if _FRAMES is None:
            _FRAMES = duckdb.connect()
        return _FRAMES.cursor()


def to_frame(table: pa.Table, types: list[str] | None = None) -> pd.DataFrame:
    """An Arrow result as DuckDB's ``.df()`` gives it; cast to ``types`` (DuckDB type names) when known."""
    con = _frames()
    try:
        if not types or len(types) != table.num_columns:
            return con.from_arrow(table).df()
        names = table.column_names
        positional = table.rename_columns([f"c{i}" for i in range(len(names))])
        rel = con.from_arrow(positional)
        exprs = ", ".join(
            f"CAST(c{i} AS {t}) AS {_quote(n)}" for i, (n, t) in enumerate(zip(names, types, strict=True))
        )
        return rel.project(exprs).df()
    finally:
        con.close()


class Engine(ABC):
    """A place the queries run. Subclasses: PostgresEngine, SparkEngine."""

    dialect: str = ""
    name: str = ""

    def __init__(self) -> None:
        self._reference: tuple[object, duckdb.DuckDBPyConnection | None] | None = None
        self._types: dict[tuple, list[str] | None] = {}
        self._ref_lock = threading.Lock()

    def sql(self, query: str, params: dict[str, object]) -> str:
        return translate(query, self.dialect, list_params(params))

    def run(self, query: str, params: dict[str, object]) -> pd.DataFrame:
        """``queries/<query>.sql`` on this engine with bound parameters, typed as DuckDB types it."""
        bound = bind(params)
        return to_frame(self.execute(self.sql(query, params), bound), self.result_types(query, bound))

    @abstractmethod
    def execute(self, sql: str, params: dict[str, object]) -> pa.Table:
        """Run translated SQL with bound parameters; the rows as an Arrow table."""

    @abstractmethod
    def version(self) -> object:
        """Changes whenever push replaces the tables (results are cached per version)."""

    def close(self) -> None:  # noqa: B027 - nothing to close unless an engine holds a session
        """Release the engine's connection or session (nothing by default)."""

    # ------------------------------------------------------------ DuckDB's result types

    def result_types(self, query: str, params: dict[str, object]) -> list[str] | None:
        """The DuckDB types of the query's columns (None when the engine has no storeops_columns table)."""
        version = self.version()
        key = (
            query,
            version,
            tuple(
                sorted((k, type(v).__name__, len(v) > 0 if isinstance(v, list) else None) for k, v in params.items())
            ),
        )
        with self._ref_lock:
            if key in self._types:
                return self._types[key]
            if self._reference is None or self._reference[0] != version:
                self._reference = (version, self._reference_db())
                self._types.clear()
            con = self._reference[1]
            types = None
            if con is not None:
                text, _ = load_query(query)
                types = [str(t) for t in con.sql(text, params=params).types]
            self._types[key] = types
            return types

    def _reference_db(self) -> duckdb.DuckDBPyConnection | None:
        try:
            cols = self.execute(
                "SELECT table_name, column_name, data_type FROM storeops_columns ORDER BY table_name, ordinal", {}
            ).to_pylist()
        except Exception:
            return None
        con = duckdb.connect()
        tables: dict[str, list[str]] = {}
        for c in cols:
            tables.setdefault(c["table_name"], []).append(f"{_quote(c['column_name'])} {c['data_type']}")
        for table, spec in tables.items():
            con.execute(f"CREATE TABLE {_quote(table)} ({', '.join(spec)})")
        for stmt in _statements(MODEL.read_text(encoding="utf-8")):
            if stmt.lower().startswith("create macro"):
                con.execute(stmt)
        return con
