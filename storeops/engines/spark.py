"""Apache Spark: a local session (``spark:local[N]``) or a Spark Connect cluster (``sc://host:port``).

The tables are Parquet folders under a warehouse path, one version per push:
``<warehouse>/v-<id>/<table>/``; the file ``<warehouse>/CURRENT`` names the
version in force and is replaced atomically (a rename) once the version is
complete, so readers see the old tables or the new ones. Each session
registers the current version's tables as temporary views under the names
the queries use. The session runs in UTC with DuckDB's NULL ordering made
explicit by the translation (storeops.engines.sql).
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from pathlib import Path

import pyarrow as pa

from storeops.engines.base import Engine
from storeops.ingest import CachePaths

_SESSIONS: dict[str, object] = {}
_SESSION_LOCK = threading.Lock()


def default_warehouse(data_dir: Path, cache: str | Path | None = None) -> Path:
    """Beside the DuckDB cache: ``<cache dir>/spark``."""
    return CachePaths.for_data(Path(data_dir).resolve(), cache).db.parent / "spark"


def session(url: str):
    """One Spark session per URL and process (starting one takes seconds)."""
    with _SESSION_LOCK:
        if url not in _SESSIONS:
            from pyspark.sql import SparkSession

            if url.lower().startswith("sc://"):
                builder = SparkSession.builder.remote(url)
            else:
                master = url.split(":", 1)[1] or "local[2]"
                builder = (
                    SparkSession.builder.master(master)
                    .appName("storeops")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", os.environ.get("STOREOPS_SPARK_PARTITIONS", "4"))
                    .config("spark.driver.memory", os.environ.get("STOREOPS_SPARK_MEMORY", "2g"))
                )
            spark = builder.config("spark.sql.session.timeZone", "UTC").getOrCreate()
            if not url.lower().startswith("sc://"):
                spark.sparkContext.setLogLevel("ERROR")
            _SESSIONS[url] = spark
        return _SESSIONS[url]


def build_session(url: str):
    """A session of its own for ``refresh`` (its temporary views are the version being built, never seen by
    the readers' session) and how to release it: a new session on the same SparkContext (local), a new
    Spark Connect session (``sc://``)."""
    base = session(url)
    if url.lower().startswith("sc://"):
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.remote(url).create()
        spark.conf.set("spark.sql.session.timeZone", "UTC")
        return spark, spark.stop
    spark = base.newSession()
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    return spark, lambda: None


def stop(url: str) -> None:
    """Stop this process's session for ``url`` (a Spark Connect one: its client; the server runs on)."""
    with _SESSION_LOCK:
        spark = _SESSIONS.pop(url, None)
    if spark is not None:
        spark.stop()


def stop_all() -> None:
    with _SESSION_LOCK:
        for spark in _SESSIONS.values():
            spark.stop()
        _SESSIONS.clear()


class SparkEngine(Engine):
    dialect = "spark"
    name = "Spark"

    def __init__(self, url: str, warehouse: str):
        super().__init__()
        self.url = url
        self.warehouse = warehouse.rstrip("/")
        self._registered: str | None = None
        self._lock = threading.Lock()

    def _current(self) -> str | None:
        pointer = Path(self.warehouse) / "CURRENT"
        return pointer.read_text().strip() if pointer.is_file() else None

    def _views(self):
        """The session, with the current version's tables registered as temporary views."""
        spark = session(self.url)
        with self._lock:
            version = self._current()
            if version is None:
                raise FileNotFoundError(f"no tables in {self.warehouse}: run `python -m storeops push` first")
            if version != self._registered:
                root = Path(self.warehouse) / version
                for table in sorted(p.name for p in root.iterdir() if p.is_dir()):
                    spark.read.parquet(str(root / table)).createOrReplaceTempView(table)
                self._registered = version
        return spark

    def execute(self, sql: str, params: dict[str, object]) -> pa.Table:
        spark = self._views()
        return spark.sql(sql, args=params or None).toArrow()

    def version(self) -> object:
        return self._current()

    # ------------------------------------------------------------ push

    def replace_tables(self, duck, tables: dict[str, tuple[str, list[tuple[str, str]]]], progress=None) -> None:
        """Write ``tables`` ({name: (DuckDB relation, columns)}) from the DuckDB connection ``duck`` as Parquet
        into a new version folder, then point CURRENT at it (rename: atomic); older versions are removed."""
        root = Path(self.warehouse)
        root.mkdir(parents=True, exist_ok=True)
        version = f"v-{uuid.uuid4().hex[:12]}"
        for table, (source, _) in tables.items():
            folder = root / version / table
            folder.mkdir(parents=True)
            # COPY takes no parameters: the path is ours (warehouse + uuid + a plain table name), quoted.
            target = str(folder / "part-0.parquet").replace("'", "''")
            duck.execute(f"COPY (SELECT * FROM {source}) TO '{target}' (FORMAT parquet)")  # noqa: S608
            if progress:
                progress(f"  {table}: written")
        self.publish(version)

    def publish(self, version: str) -> None:
        """Point CURRENT at a complete version folder (a rename: atomic); remove the previous version."""
        root = Path(self.warehouse)
        tmp = root / f"CURRENT.{version}"
        tmp.write_text(version + "\n")
        old = self._current()
        os.replace(tmp, root / "CURRENT")
        if old and old != version:
            shutil.rmtree(root / old, ignore_errors=True)
