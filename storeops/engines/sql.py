"""One SQL: a DuckDB query of ``queries/`` made runnable on another engine.

``translate(name, dialect)`` loads ``queries/<name>.sql`` (DuckDB SQL, as the
embedded engine runs it), expands the macros of ``queries/_model.sql`` — the
scalar ones (``in_filter``, ``trend_bucket``) and the table ones
(``customer_state``, ``customer_rfm``, ``member_state``), parsed from that file,
never copied — applies the rewrites the target engine needs for DuckDB's
semantics, and prints it with SQLGlot in the engine's dialect. ``$name``
parameters become the driver's placeholders (``%(name)s`` for psycopg,
``:name`` for Spark): values are always bound by the driver, lists included.
The result is cached per (query, dialect).

Rewrites (each keeps DuckDB's result; see docs/scaling.md "Portable SQL"):

all engines
    * macros expanded in place (a table macro becomes a subquery);
    * ``in_filter(list, v)``: ``len(list) = 0`` is checked with the engine's
      array length (``cardinality`` in PostgreSQL, ``size`` in Spark);
    * ``ORDER BY`` keys get DuckDB's null placement (``NULLS LAST``) explicitly.
postgres
    * ``GROUP BY ALL`` → the non-aggregated select expressions;
    * ``round(double, n)``: a shim ``round(double precision, integer)`` is
      created in the engine's schema (see ``postgres.SHIMS``);
    * a list parameter is cast to ``text[]`` (an empty list has no type of its own).
    * ``materialized``: a call of a table macro the engine keeps per argument value
      (``postgres.MATERIALIZE``) is left as a token; ``body`` is the macro's SQL.
spark
    * ``range``/``generate_series`` in FROM → ``LATERAL (SELECT explode(sequence(…)))``;
    * ``a / b``, ``avg(a)`` → ``a`` cast to DOUBLE (DuckDB divides and averages decimals as doubles);
    * the CTEs of each macro expansion are renamed (Spark hoists nested CTEs
      to the top, where two expansions would clash).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import sqlglot
from sqlglot import exp

from storeops.db import QUERIES, load_query

MODEL = QUERIES / "_model.sql"


class TranslateError(Exception):
    """A query cannot be made to run on an engine; the message says which construct."""


@dataclass(frozen=True)
class Macro:
    name: str
    params: tuple[str, ...]
    body: exp.Expression
    is_table: bool


def _statements(text: str) -> list[str]:
    """The statements of a SQL file (split at a ';' ending a line; comments dropped)."""
    code = "\n".join(line.split("--", 1)[0] for line in text.splitlines())
    return [s.strip() for s in re.split(r";\s*\n|;\s*$", code) if s.strip()]


@cache
def macros() -> dict[str, Macro]:
    """The macros ``queries/_model.sql`` creates, parsed from the file."""
    found = {}
    for stmt in _statements(MODEL.read_text(encoding="utf-8")):
        if not re.match(r"(?i)create\s+(or\s+replace\s+)?macro\b", stmt):
            continue
        tree = sqlglot.parse_one(stmt, read="duckdb")
        udf = tree.this
        name = udf.this.name if isinstance(udf.this, exp.Table) else udf.name
        params = tuple(p.name for p in udf.expressions)
        props = tree.args.get("properties")
        is_table = bool(props and any(isinstance(p, exp.ReturnsProperty) for p in props.expressions))
        found[name.lower()] = Macro(name.lower(), params, tree.expression, is_table)
    return found


_EXPANSIONS = itertools.count(1)


def _rename_ctes(body: exp.Expression, suffix: str) -> exp.Expression:
    """Give the CTEs of one macro expansion names of their own: two expansions in one query (tiers as of
    two days) would otherwise define the same CTE twice once an engine hoists CTEs to the top (Spark)."""
    with_ = body.args.get("with_") or body.args.get("with")
    if not with_:
        return body
    names = {cte.alias: f"{cte.alias}_{suffix}" for cte in with_.expressions}
    for cte in with_.expressions:
        cte.set("alias", exp.TableAlias(this=exp.to_identifier(names[cte.alias])))
    for table in body.find_all(exp.Table):
        if not table.args.get("db") and table.name in names:
            if not table.args.get("alias"):
                table.set("alias", exp.TableAlias(this=exp.to_identifier(table.name)))
            table.set("this", exp.to_identifier(names[table.name]))
    return body


def _substitute(macro: Macro, args: list[exp.Expression], keep: frozenset[str] = frozenset()) -> exp.Expression:
    if len(args) != len(macro.params):
        raise TranslateError(f"{macro.name} takes {len(macro.params)} arguments, {len(args)} given")
    values = dict(zip(macro.params, args, strict=True))

    def repl(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name in values:
            return values[node.name].copy()
        return node

    body = expand(macro.body.copy(), keep).transform(repl)
    if macro.is_table:
        body = _rename_ctes(body, f"{macro.name}{next(_EXPANSIONS)}")
    return body


MARKER = "storeops_materialized"


def expand(tree: exp.Expression, keep: frozenset[str] = frozenset()) -> exp.Expression:
    """The tree with every macro call of _model.sql replaced by the macro's body; a call of a table macro
    named in ``keep`` becomes a marker ``storeops_materialized('name', arg)`` instead (see materialized)."""
    table_macros = {k: m for k, m in macros().items() if m.is_table}
    scalar_macros = {k: m for k, m in macros().items() if not m.is_table}

    def repl(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Anonymous):
            macro = table_macros.get(node.this.name.lower())
            if macro is not None and macro.name in keep and len(node.this.expressions) == 1:
                call = [exp.Literal.string(macro.name), *node.this.expressions]
                marker = exp.Anonymous(this=MARKER, expressions=call)
                alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(macro.name))
                return exp.Table(this=marker, alias=alias.copy())
            if macro is not None:
                body = _substitute(macro, list(node.this.expressions), keep)
                alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(macro.name))
                return exp.Subquery(this=body, alias=alias.copy())
        if isinstance(node, exp.Anonymous):
            macro = scalar_macros.get(node.name.lower())
            if macro is not None:
                return exp.Paren(this=_substitute(macro, [e.copy() for e in node.expressions]))
        return node

    return tree.transform(repl)


# ---------------------------------------------------------------- rewrites


def _is_aggregate(node: exp.Expression) -> bool:
    """Whether an expression aggregates at this query level (not in a window or a subquery)."""
    for sub in node.walk(prune=lambda n: isinstance(n, exp.Window | exp.Subquery | exp.Select) and n is not node):
        if isinstance(sub, exp.AggFunc) and not isinstance(sub.parent, exp.Window):
            return True
    return False


def _group_by_all(tree: exp.Expression) -> exp.Expression:
    for select in tree.find_all(exp.Select):
        group = select.args.get("group")
        if not group or not group.args.get("all"):
            continue
        keys = [(e.this if isinstance(e, exp.Alias) else e).copy() for e in select.expressions if not _is_aggregate(e)]
        select.set("group", exp.Group(expressions=keys) if keys else None)
    return tree


def _nulls_last(tree: exp.Expression) -> exp.Expression:
    """DuckDB sorts NULL last both ways; PostgreSQL puts it first descending, Spark first ascending."""
    for ordered in tree.find_all(exp.Ordered):
        if ordered.find_ancestor(exp.Window) is None and ordered.args.get("nulls_first") is None:
            ordered.set("nulls_first", False)
    return tree


def _list_params(tree: exp.Expression, lists: frozenset[str], dialect: str) -> exp.Expression:
    """A list parameter is cast to a text array: an empty list carries no element type of its own."""
    kind = exp.DataType.build("TEXT[]" if dialect == "postgres" else "ARRAY<STRING>", dialect=dialect)

    def repl(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and node.name in lists and not isinstance(node.parent, exp.Cast):
            return exp.cast(node.copy(), kind)
        return node

    return tree.transform(repl)


# List-typed columns of the tables (len() on them is an array length, not a string length).
LIST_COLUMNS = frozenset({"columns_ignored", "notes", "stand_ins"})


def _is_list(node: exp.Expression, lists: frozenset[str]) -> bool:
    if isinstance(node, exp.Placeholder):
        return True
    if isinstance(node, exp.Cast) and isinstance(node.this, exp.Placeholder):
        return True
    return isinstance(node, exp.Column) and node.name in LIST_COLUMNS


def _lengths(tree: exp.Expression, dialect: str, lists: frozenset[str]) -> exp.Expression:
    """``len(list)`` → ``cardinality`` (PostgreSQL) / ``size`` (Spark) for list parameters and list columns."""

    def repl(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Length | exp.ArraySize) and _is_list(node.this, lists):
            fn = "cardinality" if dialect == "postgres" else "size"
            return exp.Anonymous(this=fn, expressions=[node.this.copy()])
        return node

    return tree.transform(repl)


def _series(tree: exp.Expression, dialect: str) -> exp.Expression:
    """DuckDB ``range(a, b + step, step)`` (end excluded) → an inclusive series ending at b: PostgreSQL's
    ``generate_series``; Spark ``explode(sequence(…))``. Other end-exclusive forms are refused."""
    for series in list(tree.find_all(exp.GenerateSeries)):
        if series.args.get("is_end_exclusive"):
            end, step = series.args["end"], series.args.get("step")
            if isinstance(end, exp.Add) and end.expression == (step or exp.Literal.number(1)):
                series.set("end", end.this.copy())
            elif step is None:  # integers: the last value is end - 1
                series.set("end", exp.Sub(this=exp.Paren(this=end.copy()), expression=exp.Literal.number(1)))
            else:
                raise TranslateError("range(a, b, step) whose end is not `x + step`: write generate_series(a, x, step)")
            series.set("is_end_exclusive", None)
        if series.args.get("step") is None:
            series.set("step", exp.Literal.number(1))
        table = series.parent
        if dialect == "spark" and isinstance(table, exp.Table):
            # Spark: a generator in a lateral subquery (it may read the columns of a table joined before it).
            alias = table.args.get("alias")
            names = alias.columns if alias is not None else []
            column = names[0].name if names else "value"
            select = exp.select(exp.alias_(exp.Explode(this=series.copy()), column))
            name = exp.TableAlias(this=exp.to_identifier(alias.name if alias is not None else "series"))
            wrapper = exp.Subquery(this=select, alias=name)
            if isinstance(table.parent, exp.Join):
                wrapper = exp.Lateral(this=exp.Subquery(this=select), alias=name)
            table.replace(wrapper)
    return tree


def _date_from_parts(tree: exp.Expression) -> exp.Expression:
    """PostgreSQL ``make_date(int, int, int)``: EXTRACT gives numeric, so the parts are cast."""

    for node in reversed(list(tree.find_all(exp.DateFromParts))):
        parts = [node.args.get(k) for k in ("year", "month", "day")]
        node.replace(exp.Anonymous(this="make_date", expressions=[exp.cast(p.copy(), "INT") for p in parts]))
    return tree


def _pg_date_parts(tree: exp.Expression) -> exp.Expression:
    """DuckDB's year()/month()/day()/date_part() are BIGINT; PostgreSQL's EXTRACT is numeric (an age would
    print as 25.0): cast back."""
    parts = (exp.Year, exp.Month, exp.Day, exp.DayOfWeek, exp.DayOfWeekIso, exp.DayOfYear, exp.WeekOfYear, exp.Quarter)
    for node in reversed(list(tree.find_all(*parts, exp.Extract))):
        if isinstance(node, exp.Extract) and node.name.lower() in ("epoch", "second", "seconds"):
            continue
        if not isinstance(node.parent, exp.Cast):
            node.replace(exp.cast(node.copy(), "BIGINT"))
    return tree


def _lateral_aliases(tree: exp.Expression) -> exp.Expression:
    """DuckDB lets a select expression use an alias defined before it in the same select list
    (``sum(x) as a, a / count(*) as b``); PostgreSQL does not: the alias is replaced by its expression.
    Only unambiguous cases are rewritten: an unqualified name in the select list, outside any aggregate,
    naming an earlier alias of an aggregate (a column of the source could not appear there ungrouped).
    A query should not give an alias the name of a column it reads."""
    for select in tree.find_all(exp.Select):
        defined: dict[str, exp.Expression] = {}
        for item in select.expressions:
            if defined:
                for col in list(item.find_all(exp.Column)):
                    if (
                        not col.table
                        and col.name in defined
                        and col.find_ancestor(exp.Select) is select
                        and col.find_ancestor(exp.AggFunc, exp.Filter, exp.Window) is None
                    ):
                        col.replace(exp.Paren(this=defined[col.name].copy()))
            if isinstance(item, exp.Alias) and _is_aggregate(item.this):
                defined[item.alias] = item.this
    return tree


def _to_months(tree: exp.Expression, dialect: str) -> exp.Expression:
    """DuckDB ``to_months(n)`` → ``n * interval '1 month'`` (PostgreSQL), ``make_ym_interval(0, n)`` (Spark)."""

    def repl(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Anonymous) and node.name.lower() == "to_months":
            (n,) = node.expressions
            if dialect == "postgres":
                return exp.Paren(this=exp.Mul(this=exp.Paren(this=n.copy()), expression=exp.Literal.string("1 month")))
            return exp.Anonymous(this="make_ym_interval", expressions=[exp.Literal.number(0), n.copy()])
        return node

    tree = tree.transform(repl)
    if dialect == "postgres":  # the literal above is an interval
        for lit in tree.find_all(exp.Literal):
            if lit.is_string and lit.this == "1 month" and isinstance(lit.parent, exp.Mul):
                lit.replace(exp.cast(lit.copy(), "INTERVAL"))
    return tree


def _pg_arg_max(tree: exp.Expression) -> exp.Expression:
    """``arg_max(x, y) [FILTER (WHERE c)]`` → ``(array_agg(x ORDER BY y DESC) FILTER (WHERE y IS NOT NULL
    [AND c]))[1]``: DuckDB's arg_max skips rows whose y is NULL."""
    for node in list(tree.find_all(exp.ArgMax, exp.ArgMin)):
        x, y = node.this, node.expression
        ordered = exp.Ordered(this=y.copy(), desc=isinstance(node, exp.ArgMax), nulls_first=False)
        agg = exp.ArrayAgg(this=exp.Order(this=x.copy(), expressions=[ordered]))
        cond = exp.Not(this=exp.Is(this=y.copy(), expression=exp.Null()))
        target = node
        if isinstance(node.parent, exp.Filter):
            target = node.parent
            cond = exp.and_(cond, exp.Paren(this=target.expression.this.copy()))
        filtered = exp.Filter(this=agg, expression=exp.Where(this=cond))
        target.replace(exp.Bracket(this=exp.Paren(this=filtered), expressions=[exp.Literal.number(1)], offset=1))
    return tree


def _pg_ignore_nulls(tree: exp.Expression) -> exp.Expression:
    """``last_value(x IGNORE NULLS) OVER w`` → ``storeops_last(array_agg(x) FILTER (WHERE x IS NOT NULL)
    OVER w)``, first_value likewise with ``storeops_first``: PostgreSQL has no IGNORE NULLS (shims in
    storeops.engines.postgres)."""
    for window in list(tree.find_all(exp.Window)):
        inner = window.this
        if not isinstance(inner, exp.IgnoreNulls):
            continue
        fn = inner.this
        if not isinstance(fn, exp.LastValue | exp.FirstValue):
            raise TranslateError(f"{fn.sql('duckdb')} IGNORE NULLS has no PostgreSQL form")
        x = fn.this
        agg = exp.Filter(
            this=exp.ArrayAgg(this=x.copy()),
            expression=exp.Where(this=exp.Not(this=exp.Is(this=x.copy(), expression=exp.Null()))),
        )
        new_window = window.copy()
        new_window.set("this", agg)
        shim = "storeops_last" if isinstance(fn, exp.LastValue) else "storeops_first"
        window.replace(exp.Anonymous(this=shim, expressions=[new_window]))
    return tree


def _pg_full_join_nulls(tree: exp.Expression) -> exp.Expression:
    """A FULL JOIN on ``a IS NOT DISTINCT FROM b``: PostgreSQL only full-joins on hashable equality, so the
    keys are compared as text with NULL as a sentinel no text value holds (chr(1) + 'null')."""
    for join in tree.find_all(exp.Join):
        if join.args.get("side", "").upper() != "FULL" or join.args.get("on") is None:
            continue

        def repl(node: exp.Expression) -> exp.Expression:
            if isinstance(node, exp.NullSafeEQ):
                sentinel = exp.Literal.string("\x01null")

                def key(e: exp.Expression) -> exp.Expression:
                    return exp.Coalesce(this=exp.cast(e.copy(), "TEXT"), expressions=[sentinel.copy()])

                return exp.EQ(this=key(node.this), expression=key(node.expression))
            return node

        join.set("on", join.args["on"].transform(repl))
    return tree


def _spark_division(tree: exp.Expression) -> exp.Expression:
    """DuckDB's ``/`` and ``avg`` give a DOUBLE whatever the operands (decimals included); Spark divides and
    averages decimals as decimals (6 places when the precision runs out): the operand is cast to DOUBLE."""
    for node in list(tree.find_all(exp.Div, exp.Avg)):
        operand = node.this
        if not (isinstance(operand, exp.Cast) and operand.to.is_type("double")):
            node.set("this", exp.cast(operand.copy(), "DOUBLE"))
    return tree


DIALECTS = ("postgres", "spark")


def _parse_text(text: str, name: str) -> exp.Expression:
    try:
        return sqlglot.parse_one(text, read="duckdb")
    except sqlglot.errors.ParseError as exc:
        raise TranslateError(f"{name}: SQLGlot cannot parse it: {str(exc).splitlines()[0]}") from None


def _parse(name: str) -> exp.Expression:
    text, _ = load_query(name)
    return _parse_text(text, name)


def _finish(tree: exp.Expression, dialect: str, lists: frozenset[str]) -> str:
    """The rewrites of the module docstring, then the SQL text in ``dialect``."""
    tree = _lengths(tree, dialect, lists)
    tree = _nulls_last(tree)
    tree = _series(tree, dialect)
    tree = _to_months(tree, dialect)
    tree = _list_params(tree, lists, dialect)
    if dialect == "postgres":
        tree = _group_by_all(tree)
        tree = _date_from_parts(tree)
        tree = _lateral_aliases(tree)
        tree = _pg_date_parts(tree)
        tree = _pg_arg_max(tree)
        tree = _pg_ignore_nulls(tree)
        tree = _pg_full_join_nulls(tree)
    if dialect == "spark":
        tree = _spark_division(tree)
    sql = tree.sql(dialect=dialect, comments=False)
    if dialect == "postgres":  # psycopg's pyformat: a literal % is written %%
        sql = re.sub(r"%(?!\((\w+)\)s)", "%%", sql)
    return sql


@cache
def translate(name: str, dialect: str, lists: frozenset[str] = frozenset()) -> str:
    """``queries/<name>.sql`` in ``dialect``; ``lists`` names the parameters bound to lists."""
    text, _ = load_query(name)
    return translate_text(text, dialect, lists, name)


def translate_text(
    text: str,
    dialect: str,
    lists: frozenset[str] = frozenset(),
    name: str = "statement",
    before: Callable[[exp.Expression, str], exp.Expression] | None = None,
) -> str:
    """DuckDB SQL ``text`` in ``dialect`` (the rewrites above); ``before(tree, dialect)`` runs first, after
    the macros are expanded (storeops.engines.refresh: the model's own constructs)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}")
    tree = expand(_parse_text(text, name))
    if before is not None:
        tree = before(tree, dialect)
    return _finish(tree, dialect, lists)


@dataclass(frozen=True)
class Materialized:
    """A query whose calls of a table macro read a table the engine builds once per argument value.

    ``sql`` holds ``token`` where each call was; ``calls`` is ((token, macro, argument SQL), …): the engine
    evaluates the argument with the query's parameters, builds (or reuses) the macro's result for that value
    from ``body(macro)`` and puts its name in place of the token."""

    sql: str
    calls: tuple[tuple[str, str, str], ...]


def _token(i: int) -> str:
    return f"storeops_call__{i}__"


@cache
def materialized(name: str, dialect: str, keep: frozenset[str], lists: frozenset[str] = frozenset()) -> Materialized:
    """``queries/<name>.sql`` with each call of a table macro in ``keep`` whose argument reads no column (a
    parameter, a literal, an expression of those) left to the engine; other calls are expanded."""
    tree = expand(_parse(name), keep)
    markers = [t for t in tree.find_all(exp.Table) if isinstance(t.this, exp.Anonymous) and t.this.name == MARKER]
    found = []
    for marker in markers:
        macro, arg = marker.this.expressions[0].name, marker.this.expressions[1]
        alias = marker.args.get("alias")
        if arg.find(exp.Column) is not None:  # reads a column of the query: expanded in place
            body = _substitute(macros()[macro], [arg.copy()])
            marker.replace(exp.Subquery(this=body, alias=alias.copy()))
            continue
        token = _token(len(found))
        found.append((token, macro, arg.copy()))
        marker.replace(exp.Table(this=exp.to_identifier(token), alias=alias.copy()))
    sql = _finish(tree, dialect, lists)
    calls = tuple((token, macro, _finish(exp.select(arg), dialect, lists)) for token, macro, arg in found)
    return Materialized(sql, calls)


ARG = "storeops_arg"


@cache
def body(macro: str, dialect: str) -> str:
    """``SELECT * FROM macro($storeops_arg)`` expanded and translated: what the engine materialises."""
    if macro not in macros():
        raise TranslateError(f"no table macro {macro!r}")
    tree = expand(sqlglot.parse_one(f"select * from {macro}(${ARG})", read="duckdb"))  # noqa: S608 - a macro
    return _finish(tree, dialect, frozenset())
