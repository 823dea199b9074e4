"""SQL that turns one cell's text, as platforms export it, into a typed value.

Exports are written for people, not programs: ``¥1,234.50``, ``1.2万``,
``(35.00)``, ``--`` for "none", full-width digits, a trailing ideographic
space, Excel serial dates (``45292``), ``2024年1月5日``, ``2024-01-05T10:00:00Z``.
Each builder here returns a DuckDB expression over a cell expression; ingest
(``typed_select``) puts them into the one SELECT that types a file.

Every expression tries the strict form first (``TRY_CAST`` / the common
formats) and only falls back to the forgiving parsers for the cells that
failed: DuckDB evaluates the later arguments of ``coalesce`` only for the
rows still NULL, so a clean 10-million-row file pays almost nothing.

What is never guessed: day/month order (``01/02/2024`` stays a rejected
date), a percentage where an amount is expected, scientific notation in a
key column. Those cells are quarantined with a reason instead.
"""

from __future__ import annotations

# Characters trimmed from both ends of every cell: ASCII white space, the
# ideographic space (U+3000) and the no-break space Excel exports love.
WHITESPACE = " \t\r\n\u3000\u00a0"

# Cells that mean "no value" in platform exports (after trimming).
MISSING = ("-", "--", "---", "—", "——", "–", "N/A", "n/a", "#N/A", "null", "NULL")

# Full-width ASCII (U+FF01–U+FF5E) → ASCII, and the Unicode minus sign → "-".
_FULL = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u2212"
_HALF = "".join(chr(c) for c in range(0x21, 0x7F)) + "-"

# Codes matched against a list: full-width letters are folded (ＳＥＯ → SEO).
FOLDED = frozenset({"channel", "platform", "status"})
_FOLD_TABLE = str.maketrans(_FULL, _HALF)


def fold_text(text: str) -> str:
    """Python's twin of ``half_width``: for values compared with folded cells (profile value maps)."""
    return text.translate(_FOLD_TABLE)


# Accepted date layouts, strict ones first. Never a day-first or month-first
# layout with slashes: 01/02/2024 is ambiguous and is rejected.
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_TIMES = ("%H:%M:%S", "%H:%M", "%H:%M:%S.%f")
DATETIME_FORMATS = (
    *(f"%Y-%m-%d {t}" for t in _TIMES),
    *(f"%Y-%m-%dT{t}" for t in _TIMES),
    *(f"%Y/%m/%d {t}" for t in _TIMES),
    *(f"%Y.%m.%d {t}" for t in _TIMES),
    *(f"%Y年%m月%d日 {t}" for t in _TIMES),
    *DATE_FORMATS,
)
OFFSET_FORMATS = tuple(
    f"{d}{sep}{t}{z}" for d in ("%Y-%m-%d", "%Y/%m/%d") for sep in (" ", "T") for t in _TIMES for z in ("%z", " %z")
)

# Excel serial day numbers 20000–79999 (1954–2118): a date column that holds
# a plain five-digit number was typed by Excel, not by a person.
_SERIAL = r"[2-7][0-9]{4}(\.[0-9]+)?"
_EXCEL_EPOCH = "1899-12-30"


def _sql_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_literal(v) for v in values) + "]"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def cell(raw: str, fold: bool = False) -> str:
    """The cell's text, trimmed; missing markers and empty → NULL.

    ``fold`` also folds full-width ASCII to ASCII (``ＳＥＯ`` → ``SEO``): for
    codes that are matched against a list (channel, platform, status). Keys
    and names stay as written. The slow character-set trim and the fold run
    only on cells that hold such characters.
    """
    odd_space = " OR ".join(f"contains({raw}, {_literal(c)})" for c in WHITESPACE[1:])
    text = f"CASE WHEN {odd_space} THEN trim({raw}, {_literal(WHITESPACE)}) ELSE trim({raw}) END"
    if fold:
        wide = f"regexp_matches(t, '[{_FULL[0]}-{_FULL[-2]}{_FULL[-1]}]')"
        text = f"apply([{text}], lambda t: CASE WHEN {wide} THEN {half_width('t')} ELSE t END)[1]"
    markers = ", ".join(_literal(m) for m in MISSING)
    return f"apply([{text}], lambda t: CASE WHEN t IN ({markers}) THEN NULL ELSE nullif(t, '') END)[1]"


def half_width(text: str) -> str:
    return f"translate({text}, {_literal(_FULL)}, {_literal(_HALF)})"


def number(v: str, scale: int = 6) -> str:
    """DECIMAL(38, ``scale``) from text such as ``1234.5``, ``¥1,234.50``, ``$12``, ``(35.00)``, ``1.2万``, ``3亿``.

    The text is rounded to ``scale`` places once, as a plain cast of the clean
    text would round it: reading money at ``scale=2`` gives the cents a clean
    file gives (``1.0049999`` → 1.00, never 1.005 and then 1.01). 万 and 亿 are
    read with 4 and 8 more places, so multiplying keeps ``scale`` places exact.
    """
    # Accounting negatives "(35.00)" → "-35.00"; currency before or after; "1,234" grouping.
    s = "regexp_replace(x, '^\\((.*)\\)$', '-\\1')"
    s = f"regexp_replace({s}, '^([+-]?)\\s*(?:[¥￥$]|US\\$|RMB|CNY)\\s*', '\\1')"
    s = f"regexp_replace({s}, '\\s*(?:元|RMB|CNY)$', '')"
    grouped = "regexp_full_match(s, '[+-]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?[万亿]?')"
    unit = (
        f"apply([CASE WHEN {grouped} THEN replace(s, ',', '') ELSE s END], lambda n: "
        f"CASE WHEN ends_with(n, '万') THEN TRY_CAST(rtrim(n, '万') AS DECIMAL(38, {scale + 4})) * 10000 "
        f"WHEN ends_with(n, '亿') THEN TRY_CAST(rtrim(n, '亿') AS DECIMAL(38, {scale + 8})) * 100000000 "
        f"ELSE TRY_CAST(n AS DECIMAL(38, {scale})) END)[1]"
    )
    # Each step binds its input once through a lambda: written out, the repeated
    # sub-expressions would be hoisted by DuckDB's common-subexpression pass and
    # computed for every row, not only for the rows the strict cast failed on.
    forgiving = f"apply([{half_width(v)}], lambda x: apply([{s}], lambda s: {unit})[1])[1]"
    return f"CAST(coalesce(TRY_CAST({v} AS DECIMAL(38, {scale})), {forgiving}) AS DECIMAL(38, {scale}))"


def whole_number(v: str) -> str:
    """BIGINT when the number is whole (``12``, ``12.0``, ``1.2万``), else NULL."""
    n = number(v)
    return f"apply([{n}], lambda n: CASE WHEN n = trunc(n) THEN CAST(n AS BIGINT) END)[1]"


def _serial(v: str) -> str:
    return f"CASE WHEN regexp_full_match({v}, '{_SERIAL}') THEN CAST({v} AS DOUBLE) END"


def date(v: str) -> str:
    """DATE from the accepted layouts, full-width digits, or an Excel serial day number."""
    serial = f"DATE '{_EXCEL_EPOCH}' + CAST(floor({_serial('x')}) AS INTEGER)"
    # A date-time in a date column (Excel cells read as 2024-01-05 00:00:00) keeps its date.
    strict = f"CAST(try_strptime({{}}, {_sql_list(DATE_FORMATS + DATETIME_FORMATS[: -len(DATE_FORMATS)])}) AS DATE)"
    forgiving = f"apply([{half_width(v)}], lambda x: coalesce({strict.format('x')}, {serial}))[1]"
    return f"coalesce({strict.format(v)}, {forgiving})"


def datetime(v: str, tz: str = "getvariable('store_tz')") -> str:
    """Store-local TIMESTAMP: local layouts as written; offsets (``+08:00``, ``Z``) converted to ``tz``."""
    local = f"try_strptime({{}}, {_sql_list(DATETIME_FORMATS)})"
    offset = f"timezone({tz}, try_strptime(regexp_replace(x, 'Z$', '+00:00'), {_sql_list(OFFSET_FORMATS)}))"
    serial = f"TIMESTAMP '{_EXCEL_EPOCH}' + to_seconds(CAST(round({_serial('x')} * 86400) AS BIGINT))"
    forgiving = f"apply([{half_width(v)}], lambda x: coalesce({local.format('x')}, {offset}, {serial}))[1]"
    return f"coalesce({local.format(v)}, {forgiving})"


# ---------------------------------------------------------------- the fast path

# The strict form of each type: what a file written by a program (and most exports) holds.
STRICT = {
    "int": "TRY_CAST({x} AS BIGINT)",
    "decimal": "TRY_CAST({x} AS DECIMAL(18, 2))",
    "date": "CAST(try_strptime({x}, '%Y-%m-%d') AS DATE)",
    "datetime": "try_strptime({x}, '%Y-%m-%d %H:%M:%S')",
}


def already_clean(x: str, kind: str, fold: bool = False) -> str:
    """A condition, true when cell ``x`` needs none of the forgiving parsers: no space to trim, no missing
    marker, no full-width code, and (for numbers and dates) the strict form. A column whose every cell passes
    is typed with ``strict`` alone; the result is the same, much faster."""
    markers = ", ".join(_literal(m) for m in MISSING)
    spaces = ", ".join(_literal(c) for c in WHITESPACE)
    codes = ", ".join(str(ord(c)) for c in WHITESPACE)
    # Cheaper than trim(x, set); ord (the first code point, -1 for '') is cheaper than left(x, 1).
    edges = f"ord({x}) NOT IN ({codes}) AND right({x}, 1) NOT IN ({spaces})"
    cond = f"({edges} AND {x} <> '' AND {x} NOT IN ({markers})"
    if fold:
        cond += f" AND NOT regexp_matches({x}, '[{_FULL[0]}-{_FULL[-2]}{_FULL[-1]}]')"
    if kind == "int":  # a cast to BIGINT would round 1.5 to 2
        cond += f" AND regexp_full_match({x}, '[+-]?[0-9]+')"
    if kind in STRICT:
        cond += f" AND {STRICT[kind].format(x=x)} IS NOT NULL"
    return f"({x} IS NULL OR {cond}))"


def strict(v: str, kind: str) -> str:
    """The typed value of a cell known to be in strict form."""
    return STRICT[kind].format(x=v) if kind in STRICT else v
