"""Where the queries run: the embedded DuckDB cache (default), PostgreSQL, or Spark.

An engine is named by a URL:

* ``duckdb`` (or nothing): the cache under ``data/.storeops``, as always;
* ``postgresql+psycopg://user:${PGPASSWORD}@host:5432/db`` — any SQLAlchemy
  PostgreSQL URL; the tables live in the schema ``storeops`` (``?schema=name``
  to choose another);
* ``spark:local[N]`` — a local Spark session; ``sc://host:15002`` — a Spark
  Connect cluster. The tables are Parquet folders under a warehouse path
  (``?warehouse=…``; default for a local session: beside the cache).

Chosen with ``--engine URL`` on the command line, ``STOREOPS_ENGINE`` for the
dashboard, else ``engine = "URL"`` in ``data/settings.toml`` (or
``[engine] url = "…"``). Credentials never appear in the URL: ``${NAME}`` is
taken from the environment or Streamlit secrets (storeops.sources), and a
literal password is refused.

``open_store(data_dir, engine)`` is the one place that picks: a
``storeops.db.Store`` for DuckDB, an ``EngineStore`` (same interface) otherwise.
``python -m storeops push`` copies the tables into the engine (storeops.engines.push).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from storeops import sources


class EngineError(Exception):
    """An engine URL is wrong or the engine cannot be reached; the message says why."""


def configured(data_dir: str | Path, engine: str | None = None) -> str | None:
    """The engine URL in force: ``engine`` given, else $STOREOPS_ENGINE, else settings.toml; None = DuckDB."""
    url = engine or os.environ.get("STOREOPS_ENGINE") or _from_settings(Path(data_dir))
    if not url or url.strip().lower() == "duckdb":
        return None
    return url.strip()


def _from_settings(data_dir: Path) -> str | None:
    path = data_dir / "settings.toml"
    if not path.is_file():
        return None
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig")).get("engine")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    if isinstance(raw, dict):
        raw = raw.get("url")
    return raw if isinstance(raw, str) else None


def kind(url: str) -> str:
    """``postgres`` or ``spark`` for an engine URL."""
    low = url.lower()
    if low.startswith(("postgresql", "postgres")):
        return "postgres"
    if low.startswith(("spark:", "sc://")):
        return "spark"
    raise EngineError(f"unknown engine {url!r}: use duckdb, postgresql+psycopg://…, spark:local[N] or sc://host:port")


def options(url: str) -> tuple[str, dict[str, str]]:
    """The URL without storeops' own query options (schema, warehouse), and those options."""
    base, _, query = url.partition("?")
    own, rest = {}, []
    for part in query.split("&") if query else []:
        key, _, value = part.partition("=")
        if key in ("schema", "warehouse"):
            own[key] = parse_qs(part)[key][0] if value else ""
        else:
            rest.append(part)
    return base + ("?" + "&".join(rest) if rest else ""), own


def open_engine(url: str, data_dir: str | Path, cache: str | Path | None = None):
    """The Engine object for a URL (connections are opened lazily)."""
    if kind(url) == "postgres" and sources._literal_password(url):
        raise EngineError(
            "the engine URL holds a password: put it in an environment variable or Streamlit secret and "
            "write ${NAME} in its place"
        )
    base, own = options(url)
    if kind(url) == "postgres":
        from storeops.engines.postgres import PostgresEngine

        return PostgresEngine(base, schema=own.get("schema") or "storeops")
    from storeops.engines.spark import SparkEngine, default_warehouse

    warehouse = own.get("warehouse")
    if not warehouse:
        if not base.lower().startswith("spark:local"):
            raise EngineError(f"{url}: give ?warehouse=<path the cluster reads> for a Spark cluster")
        warehouse = str(default_warehouse(Path(data_dir), cache))
    return SparkEngine(base, warehouse=warehouse)


def open_store(data_dir: str | Path, engine: str | None = None, cache: str | Path | None = None):
    """A Store on the configured engine: ``storeops.db.Store`` for DuckDB, else an EngineStore."""
    url = configured(data_dir, engine)
    if url is None:
        from storeops.db import Store

        return Store(data_dir, cache)
    from storeops.engines.store import EngineStore

    return EngineStore(data_dir, open_engine(url, data_dir, cache), cache)


def shown(url: str) -> str:
    """An engine URL fit for messages (any password masked)."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url
