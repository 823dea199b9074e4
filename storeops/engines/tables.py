"""Tables the shop's own pipeline maintains on the engine, named in ``data/settings.toml``.

.. code-block:: toml

    [engine]
    url = "postgresql+psycopg://storeops:${PGPASSWORD}@db.internal/shop"

    [engine.tables]
    orders = "erp.orders"              # PostgreSQL: a table or view, schema-qualified (default schema public)
    traffic = "analytics.traffic_daily"
    ad_spend = "marketing.ad_spend"
    inventory = "wms.stock_snapshots"
    members = "crm.members"

On Spark a name holding a ``/`` (``/lake/orders``, ``s3a://lake/orders``) is
a Parquet path; any other (``lake.orders``) is a catalog table. ``orders`` is
required; a canonical table not named is empty, as when data/ has no file for
it. The canonical tables and their columns are those of DATA.md
(storeops.schema): each named table is checked against the contract — every
required column present (matched case-insensitively), every present contract
column of a type that casts to the contract's — and ``check_columns`` says in
one message which table and column do not; extra columns are ignored, and a
missing optional column is NULL (or its DATA.md default). ``conform_select``
is the SELECT that turns the user's table into the canonical one (types cast,
text trimmed, status lower-cased, defaults filled) on the engine.
``python -m storeops refresh`` (storeops.engines.refresh) builds from them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from storeops import schema
from storeops.engines import EngineError


@dataclass(frozen=True)
class Source:
    """Where one canonical table lives on the engine."""

    table: str  # canonical name: orders, traffic, ad_spend, inventory, members
    name: str  # as written in settings.toml
    kind: str  # "table" (PostgreSQL table or view, Spark catalog table) or "parquet" (Spark path)

    def shown(self) -> str:
        return f"Parquet {self.name}" if self.kind == "parquet" else self.name


_PG_PART = r'(?:[A-Za-z_][A-Za-z0-9_$]*|"[^"]+")'
_SPARK_PART = r"(?:[A-Za-z_][A-Za-z0-9_]*|`[^`]+`)"


def configured_tables(data_dir: str | Path) -> dict[str, str]:
    """``[engine.tables]`` of settings.toml ({canonical table: name on the engine}); {} when none."""
    path = Path(data_dir) / "settings.toml"
    if not path.is_file():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig")).get("engine")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise EngineError(f"settings.toml cannot be read: {exc}") from None
    tables = raw.get("tables") if isinstance(raw, dict) else None
    if tables is None:
        return {}
    if not isinstance(tables, dict) or not all(isinstance(v, str) for v in tables.values()):
        raise EngineError('settings.toml: [engine.tables] maps a table to a name, e.g. orders = "erp.orders"')
    unknown = sorted(set(tables) - set(schema.TABLES))
    if unknown:
        raise EngineError(
            f"settings.toml: [engine.tables] names {', '.join(unknown)}, which is not a canonical table "
            f"({', '.join(schema.TABLES)}; see DATA.md)"
        )
    return {k: v.strip() for k, v in tables.items()}


def sources(tables: dict[str, str], engine_kind: str) -> dict[str, Source]:
    """The configured names, checked for the engine (``postgres`` or ``spark``)."""
    if "orders" not in tables:
        raise EngineError('settings.toml: [engine.tables] must name the orders table (orders = "schema.table")')
    out = {}
    for table, name in tables.items():
        if engine_kind == "spark" and "/" in name:
            out[table] = Source(table, name, "parquet")
            continue
        part = _PG_PART if engine_kind == "postgres" else _SPARK_PART
        if not re.fullmatch(rf"{part}(?:\.{part}){{0,2}}", name):
            where = "a schema-qualified table or view" if engine_kind == "postgres" else "a catalog table or a path"
            raise EngineError(f"settings.toml: [engine.tables] {table} = {name!r} is not {where}")
        if engine_kind == "postgres" and "." not in name.replace('"', ""):
            name = f"public.{name}"
        out[table] = Source(table, name, "table")
    return out


# ---------------------------------------------------------------- types


def type_class(engine_type: str) -> str:
    """text | int | decimal | float | date | timestamp | timestamptz | other, for a PostgreSQL (format_type)
    or Spark (simpleString) column type."""
    t = engine_type.strip().lower()
    if t in ("text", "string", "name", "citext", "uuid") or t.startswith(("character", "varchar", "char")):
        return "text"
    if t in ("smallint", "integer", "int", "bigint", "tinyint", "byte", "short", "long", "int2", "int4", "int8"):
        return "int"
    if t.startswith(("numeric", "decimal")):
        scale = re.search(r",\s*(\d+)\)", t)
        return "int" if scale and scale.group(1) == "0" else "decimal"
    if t in ("real", "double precision", "double", "float", "float4", "float8"):
        return "float"
    if t == "date":
        return "date"
    if t.startswith("timestamp") and ("with time zone" in t and "without" not in t):
        return "timestamptz"
    if t == "timestamp_ntz" or (t.startswith("timestamp") and "without time zone" in t):
        return "timestamp"
    if t == "timestamp":  # PostgreSQL's bare name is without time zone; Spark's is an instant (LTZ)
        return "timestamp?"
    return "other"


# contract type → the source classes that cast to it without guessing
CASTS = {
    "text": {"text", "int"},
    "int": {"int"},
    "decimal": {"int", "decimal", "float"},
    "date": {"date", "timestamp", "timestamptz"},
    "datetime": {"date", "timestamp", "timestamptz"},
}
WORDS = {
    "text": "text",
    "int": "a whole number (integer)",
    "decimal": "a number (numeric/decimal)",
    "date": "a date",
    "datetime": "a timestamp or date",
}


def check_columns(source: Source, columns: list[tuple[str, str]], engine_kind: str) -> tuple[dict[str, str], list[str]]:
    """The user's column per contract column (by name, case-insensitive) and what is wrong with the table."""
    table = schema.TABLES[source.table]
    by_name: dict[str, tuple[str, str]] = {}
    for name, kind in columns:
        by_name.setdefault(name.strip().lower(), (name, kind))
    found, problems = {}, []
    for col in table.columns:
        if col.name not in by_name:
            if col.required:
                problems.append(
                    f"{source.shown()} ({source.table}): column {col.name} is missing; "
                    f"the data contract requires it ({WORDS[col.type]})"
                )
            continue
        name, kind = by_name[col.name]
        cls = _engine_class(kind, engine_kind)
        if cls not in CASTS[col.type]:
            problems.append(
                f"{source.shown()} ({source.table}): column {name} is {kind}, which does not cast to "
                f"{WORDS[col.type]} as the data contract needs for {source.table}.{col.name}; "
                "cast it in a view"
            )
            continue
        found[col.name] = name
    return found, problems


def _engine_class(kind: str, engine_kind: str) -> str:
    cls = type_class(kind)
    if cls == "timestamp?":
        return "timestamp" if engine_kind == "postgres" else "timestamptz"
    return cls


# ---------------------------------------------------------------- the conforming select

_TYPES = {
    "postgres": {"text": "text", "int": "bigint", "decimal": "numeric(18,2)", "date": "date", "datetime": "timestamp"},
    "spark": {
        "text": "string",
        "int": "bigint",
        "decimal": "decimal(18,2)",
        "date": "date",
        "datetime": "timestamp_ntz",
    },
}


def quote(name: str, engine_kind: str) -> str:
    if engine_kind == "postgres":
        return '"' + name.replace('"', '""') + '"'
    return "`" + name.replace("`", "``") + "`"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def conform_select(
    source: Source,
    found: dict[str, str],
    types: dict[str, str],
    engine_kind: str,
    relation: str,
    timezone: str,
) -> str:
    """SELECT the canonical table (contract columns, then ``_line``, ``_file``) from ``relation`` on the engine.

    ``found``: contract column → the user's column; ``types``: the user's column → its engine type.
    Text is trimmed (empty = NULL), status lower-cased, defaults filled as ingest does; a timestamp with a
    time zone is converted to store-local time (``timezone``), as ingest converts a value with an offset.
    """
    kinds = _TYPES[engine_kind]
    items = []
    for col in schema.TABLES[source.table].columns:
        target = kinds[col.type]
        if col.name not in found:
            value = f"CAST({col.default or 'NULL'} AS {target})"
        else:
            v = quote(found[col.name], engine_kind)
            cls = _engine_class(types[found[col.name]], engine_kind)
            if cls == "timestamptz" and col.type in ("date", "datetime"):
                if engine_kind == "postgres":
                    v = f"({v} AT TIME ZONE {_literal(timezone)})"
                else:
                    v = f"from_utc_timestamp({v}, {_literal(timezone)})"
            if col.type == "text":
                value = f"NULLIF(TRIM(CAST({v} AS {target})), '')"
                if col.name == "status":
                    value = f"LOWER({value})"
            else:
                value = f"CAST({v} AS {target})"
            if col.default is not None:
                value = f"COALESCE({value}, CAST({col.default} AS {target}))"
        items.append(f"{value} AS {quote(col.name, engine_kind)}")
    items.append("CAST(NULL AS bigint) AS _line")
    items.append(f"CAST({_literal(source.name)} AS {kinds['text']}) AS _file")
    return f"SELECT {', '.join(items)} FROM {relation}"  # noqa: S608 - names validated (sources) and quoted
