"""The connection, query loading, and caching by data version.

``Store(data_dir).run("kpis", start=…, end=…, channels=[…])`` loads
``queries/kpis.sql``, checks the parameters against the ``$names`` the file
declares, binds them (never string formatting), runs the query on a cursor of
its own and returns a DataFrame. Results are cached by (query, params, data
version): a new file in ``data/`` makes a new version, so nothing stale is
served and nothing is recomputed needlessly.

Readers attach the current cache file read-only inside a private in-memory
database (``duckdb.connect(path)`` would hand back a stale instance from
DuckDB's per-process cache after ingest swaps the file), then lock the
connection down: no file access, configuration frozen.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from storeops.ingest import CachePaths, IngestResult, ingest, note_attached, signature

QUERIES = Path(__file__).resolve().parent.parent / "queries"
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_QUERY_NAME = re.compile(r"[a-z][a-z0-9_]*")


@cache
def load_query(name: str) -> tuple[str, frozenset[str]]:
    """The SQL text of ``queries/<name>.sql`` and the parameters it declares."""
    if not _QUERY_NAME.fullmatch(name):
        raise ValueError(f"invalid query name {name!r}")
    sql = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    code = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    code = re.sub(r"'[^']*'", "''", code)  # a '$' inside a string literal is not a parameter
    return sql, frozenset(_PARAM.findall(code))


def _freeze(value: object) -> object:
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(sorted(str(v) for v in value)) if isinstance(value, set | frozenset) else tuple(value)
    return value


def _bind(value: object) -> object:
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return value


# Queries whose frames list many rows (160k birthdays at 10M order lines):
# fetched through Arrow, whose text columns go straight into pandas' string columns; DuckDB's ``df()`` makes
# a Python string of each value first (a third of members_birthdays' time).
ARROW_FRAMES = frozenset({"members_birthdays"})


def _arrow_frame(cur: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    """The query's result as ``cur.execute(sql, params).df()`` gives it (values and dtypes), through Arrow:
    text, float, date and boolean / integer columns without NULLs are converted from Arrow (dates to
    datetime64[us], as ``df()`` gives them); an empty result or one with any other column goes through ``df()``."""
    table = cur.sql(sql, params=params).to_arrow_table()
    direct = table.num_rows > 0  # df() gives an empty result's text columns as object
    for field, column in zip(table.schema, table.columns, strict=True):
        t = field.type
        if pa.types.is_integer(t) or pa.types.is_boolean(t):
            direct = direct and column.null_count == 0
        elif not (pa.types.is_string(t) or pa.types.is_float64(t) or pa.types.is_date32(t)):
            direct = False
    if not direct:
        return cur.from_arrow(table).df()
    df = table.to_pandas(date_as_object=False)
    for field in table.schema:
        if pa.types.is_date32(field.type):
            df[field.name] = df[field.name].astype("datetime64[us]")
    return df


class CachedQueries(ABC):
    """What every store shares: ``run`` checks the parameters against the ``$names`` the query declares and
    caches results per (query, data version, parameters); ``scalar`` and ``data_range`` build on it. A store
    says how to reach its current data version (``_current``)."""

    max_results = 512

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._results: OrderedDict[tuple, pd.DataFrame] = OrderedDict()

    @abstractmethod
    def _current(self) -> tuple[object, Callable[[str, str, dict], pd.DataFrame]]:
        """(the data version, a function running (name, sql, params) on that version)."""

    def run(self, name: str, **params: object) -> pd.DataFrame:
        """Run ``queries/<name>.sql`` with ``$named`` parameters; cached per data version."""
        sql, declared = load_query(name)
        given = set(params)
        if given != declared:
            missing, extra = sorted(declared - given), sorted(given - declared)
            raise TypeError(f"query {name!r}: missing parameters {missing}, unknown parameters {extra}")
        version, execute = self._current()
        key = (name, version, tuple(sorted((k, _freeze(v)) for k, v in params.items())))
        with self._lock:
            hit = self._results.get(key)
            if hit is not None:
                self._results.move_to_end(key)
                return hit.copy(deep=False)
        df = execute(name, sql, params)
        with self._lock:
            self._results[key] = df
            while len(self._results) > self.max_results:
                self._results.popitem(last=False)
        return df.copy(deep=False)

    def scalar(self, name: str, **params: object) -> object:
        df = self.run(name, **params)
        return None if df.empty else df.iloc[0, 0]

    def data_range(self) -> tuple[dt.date, dt.date] | None:
        """First and last order date in the data (None when there are no orders)."""
        df = self.run("data_range")
        if df.empty or pd.isna(df.loc[0, "first_date"]):
            return None
        return pd.Timestamp(df.loc[0, "first_date"]).date(), pd.Timestamp(df.loc[0, "last_date"]).date()


class Store(CachedQueries):
    """One data folder and its cache; safe to share between threads."""

    def __init__(self, data_dir: str | Path, cache: str | Path | None = None, memory_limit: str = "1GB"):
        self.data_dir = Path(data_dir).resolve()
        self.paths = CachePaths.for_data(self.data_dir, cache)
        self.memory_limit = memory_limit
        super().__init__()
        self._connections: dict[tuple[int, int], duckdb.DuckDBPyConnection] = {}

    # ------------------------------------------------------------ freshness

    def needs_ingest(self) -> bool:
        if not self.paths.db.exists():
            return True
        try:
            built = self._query_uncached("SELECT signature FROM meta").iloc[0, 0]
        except duckdb.Error:
            return True
        return built != signature(self.data_dir)

    def refresh(self, wait: bool = False, progress: Callable[[str], None] | None = None) -> IngestResult | None:
        """Ingest new or changed files; without ``wait``, skip when another ingest runs."""
        if not self.needs_ingest():
            return None
        return ingest(self.data_dir, self.paths, progress=progress, wait=wait or not self.paths.db.exists())

    # ------------------------------------------------------------ connections

    def version(self) -> tuple[int, int]:
        """Identifies the current cache file: a new ingest makes a new inode."""
        st = self.paths.db.stat()
        return st.st_ino, st.st_mtime_ns

    def attach(self) -> None:
        """Attach the current cache file now rather than on the first query (the dashboard attaches once per
        data version; the benchmark times it apart from the queries)."""
        self._connection()

    def _connection(self) -> tuple[tuple[int, int], duckdb.DuckDBPyConnection]:
        with self._lock:
            for _ in range(3):  # the file may be swapped between stat() and attach
                version = self.version()
                con = self._connections.get(version)
                if con is not None:
                    return version, con
                try:
                    con = self._open(version)
                except duckdb.IOException:
                    continue
                # Older versions stay open only while a cursor still uses them.
                self._connections = {version: con}
                return version, con
            raise RuntimeError(f"cannot open the cache {self.paths.db}")

    def _open(self, version: tuple[int, int]) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(config={"memory_limit": self.memory_limit, "threads": 2})
        con.execute("ATTACH $path AS store (READ_ONLY)", {"path": str(self.paths.db)})
        if self.version() != version:
            con.close()
            raise duckdb.IOException("cache replaced while attaching")
        note_attached(version[0], con)  # an ingest in this process leaves this file alone
        con.execute("USE store")
        con.execute("SET allowed_directories = []")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        return con

    # ------------------------------------------------------------ queries

    def _query_uncached(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        _, con = self._connection()
        cur = con.cursor()
        try:
            cur.execute("USE store")
            return cur.execute(sql, params or {}).df()
        finally:
            cur.close()

    def _current(self) -> tuple[object, Callable[[str, str, dict], pd.DataFrame]]:
        version, con = self._connection()

        def execute(name: str, sql: str, params: dict) -> pd.DataFrame:
            cur = con.cursor()
            try:
                cur.execute("USE store")
                bound = {k: _bind(v) for k, v in params.items()}
                if name in ARROW_FRAMES:
                    return _arrow_frame(cur, sql, bound)
                return cur.execute(sql, bound).df()
            finally:
                cur.close()

        return version, execute
