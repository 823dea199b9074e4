"""``python -m storeops refresh``: the derived tables built on the engine from the shop's own tables.

When ``[engine.tables]`` in settings.toml names where the canonical tables
live on the engine (storeops.engines.tables), nothing is copied from data/:

1. every named table is checked against the data contract (columns present,
   types castable) before anything is written; one error names each table
   and column that does not fit;
2. the canonical tables are made on the engine from them (contract types,
   text trimmed, defaults filled: ``tables.conform_select``), in a new
   PostgreSQL schema or a new Spark version folder, as ``push`` writes;
3. the small tables that come from data/ and settings.toml alone —
   channel_map, platform_map, targets, settings and the model tables that
   read only those (tier_thresholds) — are built by DuckDB here and copied;
   so are the bookkeeping tables: ``files`` holds one row per source table
   (the data-health page says where the data came from), ``rejects`` is
   empty (rows are taken as the pipeline wrote them), ``meta`` and
   ``storeops_columns`` (DuckDB's types, for typing results);
4. every other statement of queries/_model.sql and queries/_aggregates.sql
   runs on the engine, translated like the queries (storeops.engines.sql),
   with the rewrites below for the model's own constructs;
5. the new version is swapped in atomically (PostgreSQL: schema rename in
   the same transaction; Spark: the CURRENT pointer renamed).

Model rewrites (DuckDB constructs the queries do not use):

* ``min({'t': a, 'o': b, …}) AS f`` … ``f.o`` — PostgreSQL has no ``min`` of a
  row: each field becomes ``(array_agg(field ORDER BY a, b, …))[1] AS f__field``
  (the fields of the smallest struct); Spark takes ``min`` of a struct natively;
* ``min_by(x, {'t': a, 'o': b}, n) AS xs`` … ``xs[i]`` — the values of x ordered by
  the struct: ``array_agg(x ORDER BY a, b)`` (PostgreSQL, 1-based, NULL past the
  end), ``transform(sort_array(collect_list(struct(a, b, x))), s -> s.x)`` with
  ``try_element_at`` (Spark: ANSI mode raises on an index past the end);
* the ``ORDER BY`` of a ``create table … as`` is dropped (no engine keeps it).
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa
import sqlglot
from sqlglot import exp

from storeops import schema
from storeops.engines import EngineError, kind, open_engine, shown
from storeops.engines.base import COLUMNS_TABLE
from storeops.engines.sql import translate_text
from storeops.engines.tables import Source, check_columns, configured_tables, conform_select, sources
from storeops.ingest import CachePaths, FileReport, _build_meta, _build_reference, model_steps
from storeops.settings import load_settings

PROFILE = "engine table"  # files.profile of a source table (the data-health page)
REFERENCE = ("channel_map", "platform_map", "targets", "settings")
BOOKKEEPING = ("meta", "files", "problems", "rejects")


# ---------------------------------------------------------------- model rewrites


def _fields(struct: exp.Struct) -> list[tuple[str, exp.Expression]]:
    out = []
    for item in struct.expressions:
        if isinstance(item, exp.PropertyEQ | exp.Slice):
            out.append((item.this.name, item.expression))
        else:  # pragma: no cover - the model writes {'name': value}
            raise EngineError(f"a struct field without a name: {item.sql('duckdb')}")
    return out


def _ordered(struct: exp.Struct) -> list[exp.Ordered]:
    return [exp.Ordered(this=e.copy(), desc=False, nulls_first=False) for _, e in _fields(struct)]


def _struct_min(tree: exp.Expression) -> exp.Expression:
    """PostgreSQL: ``min(struct) AS f`` → one ``(array_agg(field ORDER BY struct))[1] AS f__field`` per field;
    ``f.field`` → ``f__field``."""
    renamed: dict[str, set[str]] = {}
    for select in list(tree.find_all(exp.Select)):
        items = []
        for item in select.expressions:
            struct = item.this.this if isinstance(item, exp.Alias) and isinstance(item.this, exp.Min) else None
            if isinstance(struct, exp.Struct):
                renamed[item.alias] = {name for name, _ in _fields(struct)}
                for name, value in _fields(struct):
                    agg = exp.ArrayAgg(this=exp.Order(this=value.copy(), expressions=_ordered(struct)))
                    first = exp.Bracket(this=exp.Paren(this=agg), expressions=[exp.Literal.number(1)], offset=1)
                    items.append(exp.alias_(first, f"{item.alias}__{name}"))
            else:
                items.append(item)
        select.set("expressions", items)
    if renamed:
        aliases = {t.alias_or_name for t in tree.find_all(exp.Table)}

        def repl(node: exp.Expression) -> exp.Expression:
            if isinstance(node, exp.Column) and node.table in renamed and node.table not in aliases:
                if node.name in renamed[node.table]:
                    return exp.column(f"{node.table}__{node.name}")
            return node

        tree = tree.transform(repl)
    return tree


def _min_by_n(tree: exp.Expression, dialect: str) -> exp.Expression:
    """``min_by(x, struct, n) AS xs`` (a list): the values of x ordered by the struct; ``xs[i]`` past the end is
    NULL."""
    lists = set()
    for node in list(tree.find_all(exp.ArgMin)):
        if node.args.get("count") is None or not isinstance(node.expression, exp.Struct):
            continue
        struct, x = node.expression, node.this
        if isinstance(node.parent, exp.Alias):
            lists.add(node.parent.alias)
        if dialect == "postgres":
            node.replace(exp.ArrayAgg(this=exp.Order(this=x.copy(), expressions=_ordered(struct))))
        else:
            fields = ", ".join(f"{e.sql('spark')} AS {name}" for name, e in _fields(struct))
            pairs = f"struct({fields}, {x.sql('spark')} AS storeops_v)"
            text = f"transform(sort_array(collect_list({pairs})), s -> s.storeops_v)"
            node.replace(sqlglot.parse_one(text, read="spark"))
    if dialect == "spark" and lists:
        for bracket in list(tree.find_all(exp.Bracket)):
            if isinstance(bracket.this, exp.Column) and bracket.this.name in lists and len(bracket.expressions) == 1:
                index = int(bracket.expressions[0].name) + 1 - (bracket.args.get("offset") or 0)
                bracket.replace(
                    exp.Anonymous(this="try_element_at", expressions=[bracket.this.copy(), exp.Literal.number(index)])
                )
    return tree


def model_rewrites(tree: exp.Expression, dialect: str) -> exp.Expression:
    if isinstance(tree, exp.Select):
        tree.set("order", None)
    if dialect == "postgres":
        tree = _struct_min(tree)
    return _min_by_n(tree, dialect)


def translate_model(select: str, dialect: str, table: str = "statement") -> str:
    """The SELECT of one model statement in ``dialect``."""
    return translate_text(select, dialect, name=table, before=model_rewrites)


def _inputs(select: str) -> set[str]:
    """The tables a statement reads (its CTEs excluded)."""
    tree = sqlglot.parse_one(select, read="duckdb")
    ctes = {c.alias for c in tree.find_all(exp.CTE)}
    return {t.name for t in tree.find_all(exp.Table) if t.name and t.name not in ctes}


# ---------------------------------------------------------------- the local part (DuckDB)


def _local(data_dir: Path, settings) -> tuple[duckdb.DuckDBPyConnection, list[str], set[str]]:
    """A private DuckDB with ``v``: the reference tables, empty canonical tables and the model over them (for
    DuckDB's column types); the problems found in the reference files; the model tables that read only
    reference tables (complete here)."""
    con = duckdb.connect()
    con.execute("ATTACH ':memory:' AS v")
    problems = _build_reference(con, data_dir, settings)
    for table in schema.TABLES.values():
        cols = ", ".join(f"{c.name} {c.sql_type}" for c in table.columns)
        con.execute(f"CREATE TABLE v.{table.name} ({cols}, _line BIGINT, _file VARCHAR)")
    con.execute("USE v")
    local = set(REFERENCE)
    for step in model_steps():
        con.execute(step.sql)
        if step.table and _inputs(step.select) <= local:
            local.add(step.table)
    con.execute("USE memory")
    return con, problems, local - set(REFERENCE)


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = 'v' AND table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind_ in rows:
        out.setdefault(table, []).append((column, kind_))
    return out


# ---------------------------------------------------------------- engines


class _PostgresBuild:
    """The new version as a new schema, swapped for the current one in the same transaction."""

    kind = "postgres"

    def __init__(self, engine):
        from storeops.engines.postgres import INDEXES, SHIMS, _quote

        self.engine, self.shims, self.q, self.indexes = engine, SHIMS, _quote, INDEXES
        self.new = f"{engine.schema}__new_{uuid.uuid4().hex[:8]}"
        self.con = self.raw = None

    def describe(self, source: Source) -> list[tuple[str, str]] | None:
        rows = self.engine.execute(
            "SELECT to_regclass(%(n)s) IS NOT NULL AS found, a.attname AS name, "
            "format_type(a.atttypid, a.atttypmod) AS type FROM (SELECT 1) AS one "
            "LEFT JOIN pg_attribute AS a ON a.attrelid = to_regclass(%(n)s) AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY a.attnum",
            {"n": source.name},
        ).to_pylist()
        if not rows or not rows[0]["found"]:
            return None
        return [(r["name"], r["type"]) for r in rows if r["name"] is not None]

    def relation(self, source: Source) -> str:
        return source.name

    def begin(self) -> None:
        self.con = self.engine.sa_engine().connect()
        self.raw = self.con.connection.driver_connection
        with self.raw.cursor() as cur:
            cur.execute(f"CREATE SCHEMA {self.q(self.new)}")
            cur.execute(f"SET LOCAL search_path = {self.q(self.new)}")
            for shim in self.shims:
                cur.execute(shim.format(schema=self.q(self.new)))

    def create(self, table: str, select: str, translated: bool = False) -> None:
        with self.raw.cursor() as cur:
            # a translated statement has its % doubled (psycopg's pyformat): run it through the placeholders
            target = f"{self.q(self.new)}.{self.q(table)}"
            cur.execute(f"CREATE TABLE {target} AS {select}", {} if translated else None)
            for i, columns in enumerate(self.indexes.get(table, ())):  # the same indexes as push
                keys = ", ".join(self.q(c) for c in columns)
                cur.execute(f"CREATE INDEX {self.q(f'{table}_{i}')} ON {target} ({keys})")
            cur.execute(f"ANALYZE {target}")

    def rows(self, select: str) -> list[dict]:
        with self.raw.cursor() as cur:
            cur.execute(select)
            names = [d.name for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def upload(self, table: str, data: pa.Table, cols: list[tuple[str, str]]) -> None:
        from storeops.engines.postgres import pg_type

        spec = ", ".join(f"{self.q(c)} {pg_type(t)}" for c, t in cols)
        target = f"{self.q(self.new)}.{self.q(table)}"
        with self.raw.cursor() as cur:
            cur.execute(f"CREATE TABLE {target} ({spec})")
            names = ", ".join(self.q(c) for c, _ in cols)
            with cur.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
                for row in data.to_pylist():
                    copy.write_row([row[c] for c, _ in cols])

    def commit(self) -> None:
        with self.raw.cursor() as cur:
            cur.execute(f"DROP SCHEMA IF EXISTS {self.q(self.engine.schema)} CASCADE")
            cur.execute(f"ALTER SCHEMA {self.q(self.new)} RENAME TO {self.q(self.engine.schema)}")
        self.raw.commit()

    def close(self) -> None:
        if self.con is not None:
            self.raw.rollback()  # after commit: nothing left to roll back
            self.con.close()
            self.con = None


_SPARK_TYPES = {
    "BOOLEAN": "boolean",
    "TINYINT": "tinyint",
    "SMALLINT": "smallint",
    "INTEGER": "int",
    "BIGINT": "bigint",
    "HUGEINT": "decimal(38,0)",
    "FLOAT": "float",
    "DOUBLE": "double",
    "VARCHAR": "string",
    "DATE": "date",
    "TIMESTAMP": "timestamp_ntz",
    "TIMESTAMP WITH TIME ZONE": "timestamp",
    "VARCHAR[]": "array<string>",
}


def spark_type(duck: str) -> str:
    if duck.startswith("DECIMAL"):
        return duck.lower().replace(" ", "")
    if duck not in _SPARK_TYPES:
        raise ValueError(f"no Spark type for the DuckDB type {duck}")
    return _SPARK_TYPES[duck]


class _SparkBuild:
    """The new version as a new Parquet folder ``<warehouse>/v-<id>/``, published by renaming CURRENT. The
    statements run in a session of their own (its temporary views are the new version's tables)."""

    kind = "spark"

    def __init__(self, engine):
        from storeops.engines.spark import build_session

        self.engine = engine
        self.version = f"v-{uuid.uuid4().hex[:12]}"
        self.folder = f"{engine.warehouse}/{self.version}"
        self.spark, self._release = build_session(engine.url)

    def _read(self, source: Source):
        if source.kind == "parquet":
            return self.spark.read.parquet(source.name)
        return self.spark.read.table(source.name)

    def describe(self, source: Source) -> list[tuple[str, str]] | None:
        try:
            fields = self._read(source).schema.fields
        except Exception as exc:  # AnalysisException (classic or Connect): no such table or path
            text = str(exc)
            if any(k in text for k in ("PATH_NOT_FOUND", "TABLE_OR_VIEW_NOT_FOUND", "does not exist", "not found")):
                return None
            raise
        return [(f.name, f.dataType.simpleString()) for f in fields]

    def relation(self, source: Source) -> str:
        view = f"storeops_source_{source.table}"
        self._read(source).createOrReplaceTempView(view)
        return view

    def begin(self) -> None:
        Path(self.engine.warehouse).mkdir(parents=True, exist_ok=True)

    def _save(self, table: str, frame) -> None:
        path = f"{self.folder}/{table}"
        frame.write.mode("error").parquet(path)
        # the schema given: no job to infer it from the files just written
        self.spark.read.schema(frame.schema).parquet(path).createOrReplaceTempView(table)

    def create(self, table: str, select: str, translated: bool = False) -> None:
        self._save(table, self.spark.sql(select))

    def rows(self, select: str) -> list[dict]:
        return self.spark.sql(select).toArrow().to_pylist()

    def upload(self, table: str, data: pa.Table, cols: list[tuple[str, str]]) -> None:
        ddl = ", ".join(f"`{c}` {spark_type(t)}" for c, t in cols)
        self._save(table, self.spark.createDataFrame(data.to_pandas() if data.num_rows else [], schema=ddl))

    def commit(self) -> None:
        self.engine.publish(self.version)

    def close(self) -> None:
        if self.engine.version() != self.version:  # a failed build: its folder goes
            shutil.rmtree(self.folder, ignore_errors=True)
        self._release()


# ---------------------------------------------------------------- refresh


def refresh(
    data_dir: str | Path, url: str, cache: str | Path | None = None, progress: Callable[[str], None] | None = None
) -> dict:
    """Build storeops' tables on the engine ``url`` from the tables ``[engine.tables]`` names; replace the
    current version atomically. Raises EngineError naming each table and column that break the contract."""
    data_dir = Path(data_dir)
    say = progress or (lambda _m: None)
    engine_kind = kind(url)
    named = configured_tables(data_dir)
    if not named:
        raise EngineError(
            "refresh needs [engine.tables] in settings.toml (where orders, traffic … live on the engine); "
            "to copy data/ there instead, run push"
        )
    found_sources = sources(named, engine_kind)
    settings, setting_problems = load_settings(data_dir)
    started = time.perf_counter()
    engine = open_engine(url, data_dir, cache)
    local, problems, local_tables = _local(data_dir, settings)
    build = _PostgresBuild(engine) if engine_kind == "postgres" else _SparkBuild(engine)
    try:
        # 1. the contract, before anything is written
        found, types, wrong = {}, {}, []
        for table, source in found_sources.items():
            columns = build.describe(source)
            if columns is None:
                wrong.append(f"{source.shown()} ({table}): no such table on {shown(url)}")
                continue
            found[table], bad = check_columns(source, columns, engine_kind)
            types[table] = dict(columns)
            wrong += bad
        if wrong:
            raise EngineError("the engine tables do not meet the data contract (DATA.md): " + "; ".join(wrong))
        build.begin()
        # 2. the canonical tables
        reports = []
        for name in schema.TABLES:
            source = found_sources.get(name)
            if source is None:
                empty = Source(name, "", "none")
                build.create(
                    name,
                    conform_select(empty, {}, {}, engine_kind, "(SELECT 1 AS one) AS nothing WHERE 1 = 0", ""),
                )
                continue
            relation = build.relation(source)
            select = conform_select(source, found[name], types[name], engine_kind, relation, settings.timezone)
            build.create(name, select)
        # one query for the row counts and date ranges of all of them (a Spark job each would cost seconds)
        stats = {
            r["t"]: r
            for r in build.rows(
                " UNION ALL ".join(
                    f"SELECT '{name}' AS t, count(*) AS n, min({schema.TABLES[name].date_column}) AS lo, "  # noqa: S608
                    f"max({schema.TABLES[name].date_column}) AS hi FROM {name}"
                    for name in found_sources
                )
            )
        }
        for name, source in found_sources.items():
            absent = [c.name for c in schema.TABLES[name].columns if c.name not in found[name]]
            reports.append(_report(source, engine, stats[name], absent))
            say(f"  {name}: {stats[name]['n']} rows from {source.shown()}")
        for name in schema.TABLES:
            if name not in found_sources:
                problems.append(f"no engine table is named for {name} in settings.toml: it is empty")
        # 3. reference, bookkeeping and local model tables, and DuckDB's types
        signature = f"engine-tables-{uuid.uuid4().hex[:12]}"
        _build_meta(
            local,
            CachePaths.for_data(data_dir.resolve(), cache),
            reports,
            settings,
            signature,
            setting_problems + problems,
            set(),
        )
        columns = _columns(local)
        for name in (*REFERENCE, *BOOKKEEPING, *sorted(local_tables)):
            build.upload(name, local.sql(f'SELECT * FROM v."{name}"').to_arrow_table(), columns[name])  # noqa: S608
        types_rows = [
            {"table_name": t, "column_name": c, "data_type": k, "ordinal": i + 1}
            for t, cols in columns.items()
            for i, (c, k) in enumerate(cols)
        ]
        build.upload(
            COLUMNS_TABLE,
            pa.Table.from_pylist(types_rows),
            [("table_name", "VARCHAR"), ("column_name", "VARCHAR"), ("data_type", "VARCHAR"), ("ordinal", "BIGINT")],
        )
        # 4. the model on the engine
        dialect = "postgres" if engine_kind == "postgres" else "spark"
        for step in model_steps():
            if step.table is None or step.table in local_tables:
                continue
            t0 = time.perf_counter()
            build.create(step.table, translate_model(step.select, dialect, step.table), translated=True)
            say(f"  {step.table}: built ({time.perf_counter() - t0:.1f} s)")
        # 5. swap
        build.commit()
    finally:
        build.close()
        local.close()
        engine.close()
    return {
        "sources": {t: s.shown() for t, s in found_sources.items()},
        "rows": {r.table: r.rows_loaded for r in reports},
        "seconds": round(time.perf_counter() - started, 2),
        "problems": setting_problems + problems,
    }


def _report(source: Source, engine, stats: dict, absent: list[str]) -> FileReport:
    def day(v: object) -> str | None:
        if v is None:
            return None
        return (v.date() if isinstance(v, dt.datetime) else v).isoformat()

    where = {"parquet": "Parquet files", "table": "table"}[source.kind]
    return FileReport(
        rel=source.shown(),
        table=source.table,
        size=0,
        mtime_ns=time.time_ns(),
        fingerprint="",
        message=f"{engine.name} {where} {source.name}",
        rows_loaded=int(stats["n"]),
        min_date=day(stats["lo"]),
        max_date=day(stats["hi"]),
        notes=[f"{c}: not in the table (empty or its default)" for c in absent],
        profile=PROFILE,
        part=None,
    )


def uses_tables(data_dir: str | Path) -> bool:
    """Whether settings.toml names engine tables (then ``refresh``, not ``push``, brings the engine up to date)."""
    try:
        return bool(configured_tables(data_dir))
    except EngineError:
        return True
