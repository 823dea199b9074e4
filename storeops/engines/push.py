"""``python -m storeops push --data DIR --engine URL``: data/ validated as ingest does, then copied.

The normal ingest brings the local cache up to date (same validation,
quarantine, dedupe and model as the dashboard); then every table of the cache
— the canonical tables, the model tables of ``queries/_model.sql`` and
``queries/_aggregates.sql``, and the bookkeeping tables the health page reads
(files, rejects, problems, meta) — is copied into the engine, replacing the
previous copy atomically (PostgreSQL: a new schema swapped in one transaction;
Spark: a new Parquet version folder, then the CURRENT pointer renamed).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from storeops.engines import open_engine
from storeops.engines.base import COLUMNS_TABLE
from storeops.ingest import CachePaths, ingest


def push(
    data_dir: str | Path, url: str, cache: str | Path | None = None, progress: Callable[[str], None] | None = None
) -> dict:
    data_dir = Path(data_dir)
    paths = CachePaths.for_data(data_dir.resolve(), cache)
    result = ingest(data_dir, paths, progress=progress, wait=True)
    engine = open_engine(url, data_dir, cache)
    started = time.perf_counter()
    # Attached in a private database: duckdb.connect(path) could hand back a stale instance (storeops.db).
    duck = duckdb.connect()
    try:
        duck.execute("ATTACH $path AS store (READ_ONLY)", {"path": str(paths.db)})
        duck.execute("USE store")
        names = [
            r[0]
            for r in duck.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_catalog = 'store' AND table_schema = 'main' AND table_type = 'BASE TABLE' "
                "ORDER BY table_name"
            ).fetchall()
        ]
        # The DuckDB schema of every table, so the engine types results as DuckDB does (engines.base).
        duck.execute(
            "CREATE TEMP TABLE storeops_columns AS SELECT table_name, column_name, data_type, "
            "ordinal_position AS ordinal FROM information_schema.columns "
            "WHERE table_catalog = 'store' AND table_schema = 'main' ORDER BY table_name, ordinal_position"
        )
        tables = {}
        for name in names:
            cols = duck.execute(
                "SELECT column_name, data_type FROM storeops_columns WHERE table_name = $t ORDER BY ordinal",
                {"t": name},
            ).fetchall()
            tables[name] = (f'store.main."{name}"', cols)
        tables[COLUMNS_TABLE] = (
            f"temp.main.{COLUMNS_TABLE}",
            [("table_name", "VARCHAR"), ("column_name", "VARCHAR"), ("data_type", "VARCHAR"), ("ordinal", "BIGINT")],
        )
        engine.replace_tables(duck, tables, progress=progress)
    finally:
        duck.close()
        engine.close()
    return {"tables": len(tables), "seconds": round(time.perf_counter() - started, 2), "ingest": result}
