"""data/ → cache: read, type, validate, quarantine, dedupe.

How it works (DESIGN.md "How data flows"):

1. ``discover`` lists the table files in ``data/`` (a file belongs to table T
   when it sits in ``data/T/`` or its name starts with T); half-copied and
   hidden files are skipped. A file's fingerprint is (path, size, mtime).
2. Each new or changed file is read with every column as text and typed by
   SQL generated from ``schema.py`` (never the CSV sniffer's guesses). Rows
   that fail a check go to a rejects part with file, line, column, value and
   reason; good rows go to an immutable Parquet part named by fingerprint.
   A file that cannot be read at all is rejected whole with one message, and
   the last good part of that path stays in use.
3. ``build`` makes a new DuckDB database file and renames it over the cache
   atomically. Readers attach the cache read-only and see the new version on
   their next rerun; no reader ever holds a lock a writer needs, and a crash
   leaves the current version as it was. The first version, and any version
   after a change of reference files, settings, profiles, model statements
   or inventory, is built whole from all parts (newest file wins per key,
   channel map applied, derived tables of ``queries/_model.sql`` then
   ``queries/_aggregates.sql``). Otherwise the new version is an older one
   brought up to date by deltas: only the keys of added parts and of rows
   from changed or removed files are recomputed, and the derived tables
   with a ``refresh:`` line are refreshed for the changed orders, days and
   customers (temp tables changed_orders, changed_days, changed_customers).
   The older version is ``<cache>.spare``, the version before the current
   one, updated in place when no reader has it open (else a copy of the
   current one), so a new week does not rewrite the history.

Nothing under ``data/`` is modified; the cache can always be rebuilt.
"""

from __future__ import annotations

import codecs
import csv
import fcntl
import functools
import hashlib
import io
import json
import os
import queue
import re
import shutil
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from storeops import profiles as profile_lib
from storeops import schema, values
from storeops import sources as db_sources
from storeops.channels import CHANNEL_GROUPS, DEFAULT_CHANNEL_MAP, PLATFORM_ALIASES
from storeops.profiles import Profile
from storeops.schema import Table
from storeops.settings import Settings, load_settings

ACCEPTED_SUFFIXES = (".csv", ".parquet", ".xlsx")
# Listed so that they are reported as unreadable instead of silently skipped.
UNSUPPORTED_SUFFIXES = (".xls", ".tsv", ".txt", ".json")
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload")
QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
# The derived tables, in build order: the shared model, then the pre-aggregated tables built on it.
MODEL_FILES = (QUERIES_DIR / "_model.sql", QUERIES_DIR / "_aggregates.sql")
# Files read at once (see read_all).
READ_WORKERS = min(2, os.cpu_count() or 1)
FORMAT_VERSION = 4  # bump when parts or the model change shape: forces a full re-read


class FileRejected(Exception):
    """A whole file cannot be used; the message says why, for a person."""


# ---------------------------------------------------------------- discovery


@dataclass(frozen=True)
class SourceFile:
    path: Path
    rel: str  # path relative to data/, posix style: what people see
    table: str | None
    size: int
    mtime_ns: int

    @property
    def fingerprint(self) -> str:
        raw = f"{FORMAT_VERSION}|{self.rel}|{self.size}|{self.mtime_ns}"
        return hashlib.sha1(raw.encode()).hexdigest()[:20]


def is_ignored(name: str) -> bool:
    """Hidden files, Office lock files and half-finished downloads."""
    return name.startswith((".", "~$")) or name.lower().endswith(PARTIAL_SUFFIXES)


def table_for(rel: str) -> str | None:
    """The table a file feeds, from its folder or its name (case-insensitive)."""
    parts = rel.lower().split("/")
    candidates = [parts[0]] if len(parts) > 1 else []
    candidates.append(parts[-1])
    for candidate in candidates:
        for name in sorted(schema.TABLES, key=len, reverse=True):
            if candidate == name or candidate.startswith(name):
                return name
    return None


def discover(data_dir: Path) -> list[SourceFile]:
    """Every table file under ``data_dir`` (reference files excluded), sorted by path."""
    found = []
    for root, dirs, files in os.walk(data_dir):
        dirs[:] = sorted(d for d in dirs if not is_ignored(d) and d != "profiles")
        for name in files:
            if is_ignored(name) or not name.lower().endswith(ACCEPTED_SUFFIXES + UNSUPPORTED_SUFFIXES):
                continue
            path = Path(root) / name
            rel = path.relative_to(data_dir).as_posix()
            if rel.lower() in schema.REFERENCE_FILES:
                continue
            try:
                st = path.stat()
            except FileNotFoundError:  # deleted while we listed
                continue
            found.append(SourceFile(path, rel, table_for(rel), st.st_size, st.st_mtime_ns))
    return sorted(found, key=lambda f: f.rel)


def signature(data_dir: Path) -> str:
    """Changes whenever a table or reference file is added, removed or touched, or the model's statements
    change (new code: the cache is built again)."""
    h = hashlib.sha1(str(FORMAT_VERSION).encode())
    h.update(model_digest().encode())
    for f in discover(data_dir):
        h.update(f"{f.rel}|{f.size}|{f.mtime_ns}\n".encode())
    for name in schema.REFERENCE_FILES:
        p = data_dir / name
        if p.is_file():
            st = p.stat()
            h.update(f"{name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    h.update(profile_lib.fingerprint(data_dir).encode())
    h.update(db_sources.time_bucket(db_sources.load(data_dir)[0]).encode())
    return h.hexdigest()


# ---------------------------------------------------------------- reading one file


@dataclass
class FileReport:
    """What happened to one file; shown on the data-health page and by ``check``."""

    rel: str
    table: str | None
    size: int
    mtime_ns: int
    fingerprint: str
    status: str = "loaded"  # loaded | rejected
    message: str = ""
    encoding: str = ""
    rows_loaded: int = 0
    rows_rejected: int = 0
    duplicate_rows: int = 0  # exact duplicates within the file (kept, flagged)
    rows_replaced: int = 0  # rows superseded by a newer file (set by build)
    min_date: str | None = None
    max_date: str | None = None
    columns_ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the table was found: header line, separator, skipped rows
    profile: str | None = None  # the import profile that recognised the export
    cursor: dict | None = None  # database sources: the highest updated_at pulled so far
    stand_ins: list[str] = field(default_factory=list)  # "column: what stands in" for columns the export lacks
    part: str | None = None  # Parquet of the good rows, relative to the parts dir
    rejects_part: str | None = None
    stale_part: bool = False  # the file is rejected now; its last good part is used
    # When the rows in `part` were exported: decides which file wins per key.
    # A stale part keeps the time of the version it came from.
    part_mtime_ns: int = 0


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030; never a silent guess."""
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        else:
            encoding = "utf-8"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for chunk in iter(lambda: fh.read(1 << 24), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            pass
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("gb18030")()
        try:
            for chunk in iter(lambda: fh.read(1 << 24), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise FileRejected(
                f"unknown text encoding (not UTF-8, UTF-16 or GB18030; first bad byte at offset {exc.start}). "
                "Save the file as UTF-8 CSV and drop it in again."
            ) from None
        return "gb18030"


def transcode(path: Path, encoding: str, out: Path) -> Path:
    """A UTF-8 copy of a GB18030/UTF-16 file, for DuckDB's reader (which only reads UTF-8)."""
    with open(path, encoding=encoding, newline="") as src, open(out, "w", encoding="utf-8", newline="") as dst:
        shutil.copyfileobj(src, dst, 1 << 22)
    return out


def normalise_header(names: list[str]) -> list[str]:
    return [str(n or "").replace("\ufeff", "").strip().lower() for n in names]


def _read_csv_header(path: Path, encoding: str) -> list[str]:
    with open(path, encoding=encoding, newline="") as fh:
        first = fh.readline()
    if not first.strip():
        raise FileRejected("the file is empty or its first line is blank (no header row)")
    return next(csv.reader(io.StringIO(first)))


def _column_sql(col: schema.Column, v: str, clean: bool = False) -> tuple[str, list[tuple[str, str]]]:
    """SQL that types one column from its trimmed text ``v``, and the checks on it.

    ``v`` and the typed value (``t_<name>``) are generated names, never user
    identifiers. Each check is (condition over ``v``/``t_<name>``, reason).
    ``clean``: every cell of the column is in strict form (``values.already_clean``).
    """
    t = f"t_{col.name}"
    if clean and col.type != "text":
        typed = values.strict(v, col.type)
    elif col.type == "text":
        typed = f"lower({v})" if col.name == "status" else v
    elif col.type == "int":
        typed = values.whole_number(v)
    elif col.type == "decimal":
        typed = f"TRY_CAST({values.number(v, 2)} AS DECIMAL(18, 2))"
    elif col.type == "date":
        typed = values.date(v)
    elif col.type == "datetime":
        typed = values.datetime(v)
    else:  # pragma: no cover - schema is static
        raise ValueError(col.type)
    checks: list[tuple[str, str]] = []
    if col.required:
        checks.append((f"{v} IS NULL", "missing required value"))
    bad_value = {
        "int": "not a whole number",
        "decimal": "not a number",
        "date": "not a date (expected YYYY-MM-DD)",
        "datetime": "not a date-time (expected YYYY-MM-DD HH:MM[:SS])",
    }.get(col.type)
    if bad_value:
        checks.append((f"{v} IS NOT NULL AND {t} IS NULL", bad_value))
    if col.positive:
        checks.append((f"{t} <= 0", "must be greater than 0"))
    elif col.min_value is not None:
        checks.append((f"{t} < {col.min_value}", f"must be ≥ {col.min_value:g}"))
    if col.name == "status":
        allowed = ", ".join(f"'{s}'" for s in schema.STATUSES)
        checks.append((f"{t} NOT IN ({allowed})", "unknown status (paid, pending, cancelled, refunded)"))
    return typed, checks


def typed_select(
    table: Table,
    sources: dict[str, str],
    mapped: frozenset[str] = frozenset(),
    spread_end: str | None = None,
    clean: frozenset[str] = frozenset(),
) -> tuple[str, str, str]:
    """SQL for one file over the temp table ``raw``: (typed, good rows, reject rows).

    ``typed`` creates the temp table ``typed``: each column's typed value
    (``t_<name>``, computed from its cleaned text ``v_<name>``) and ``_bad``.
    ``good`` selects the contract columns of rows without a problem;
    ``bad`` one row per (line, column, reason) of the others. Only the typed
    values are stored: the text and the checks' details are computed again
    for the bad rows alone, which are few (storing every column three times
    over cost more than all the parsing). ``sources``
    maps contract columns to SQL text over the positional source columns
    (``c3``; a profile may combine them or bind a constant); absent optional
    columns are NULL (or their default). Columns in ``mapped`` go through the
    bound value map ``$map_<name>_from/_to`` before typing. ``spread_end``
    (SQL text) adds the typed ``_spread_end`` of a range report's rows.
    Columns in ``clean`` hold only strict-form cells (``clean_columns``) and
    skip the forgiving parsers.
    """
    texts, typed_values, final, problems = ["_line"], [], [], []
    for col in table.columns:
        name = col.name
        if name in sources:
            typed, checks = _column_sql(col, f"v_{name}", clean=name in clean)
            text = sources[name] if name in clean else values.cell(sources[name], fold=name in values.FOLDED)
            if name in mapped:
                text = (
                    f"apply([{text}], lambda x: coalesce(list_extract($map_{name}_to, "
                    f"list_position($map_{name}_from, lower(x))), x))[1]"
                )
            texts.append(f"{sources[name]} AS r_{name}")  # as written, for the rejects list
            texts.append(f"{text} AS v_{name}")
            typed_values.append(f"{typed} AS t_{name}")
        else:
            checks = []
            texts.append(f"CAST(NULL AS VARCHAR) AS v_{name}")
            typed_values.append(f"CAST(NULL AS {col.sql_type}) AS t_{name}")
        value = f"coalesce(t_{name}, {col.default})" if col.default is not None else f"t_{name}"
        final.append(f"CAST({value} AS {col.sql_type}) AS {name}")
        for cond, reason in checks:
            problems.append((cond, f"{{'column': '{name}', 'value': r_{name}, 'reason': '{reason}'}}"))
    if spread_end is not None:
        texts.append(f"{spread_end} AS r__spread_end")
        texts.append(f"{values.cell(spread_end)} AS v__spread_end")
        typed_values.append(f"{values.date('v__spread_end')} AS _spread_end")
        final.append("_spread_end")
        problems.append(
            ("_spread_end IS NULL OR _spread_end < t_date", "{'column': 'end of range', 'value': r__spread_end, "
             "'reason': 'not a date on or after the start of the range'}")
        )  # fmt: skip

    # Three levels, each a subquery: the cleaned texts, the typed values, the checks. Each cleaned
    # text is computed once; written as lateral aliases it would be inlined into every reference.
    def inner_sql(where: str = "") -> str:
        return f"SELECT *, {', '.join(typed_values)} FROM (SELECT {', '.join(texts)} FROM raw{where})"

    any_bad = " OR ".join(f"coalesce({cond}, false)" for cond, _ in problems) or "false"
    kept = ", ".join(["_line", *(f"t_{c.name}" for c in table.columns), *(["_spread_end"] if spread_end else [])])
    typed_sql = f"CREATE OR REPLACE TEMP TABLE typed AS SELECT {kept}, {any_bad} AS _bad FROM ({inner_sql()})"
    good = f"SELECT {', '.join(final)}, _line FROM typed WHERE NOT _bad"
    structs = ", ".join(f"CASE WHEN coalesce({cond}, false) THEN {struct} END" for cond, struct in problems) or "NULL"
    bad_rows = inner_sql(" WHERE _line IN (SELECT _line FROM typed WHERE _bad)")
    bad = (
        "SELECT _line AS line, p.column AS column_name, p.value AS value, p.reason AS reason FROM "
        f"(SELECT _line, unnest(list_filter([{structs}], lambda p: p IS NOT NULL)) AS p FROM ({bad_rows}))"
    )
    return TypedSql(typed_sql, good, bad, inner_sql(), any_bad, f"SELECT {', '.join(final)}, _line")


@dataclass(frozen=True)
class TypedSql:
    """The SQL ``typed_select`` writes for one file."""

    typed: str  # CREATE the temp table ``typed`` (typed values and ``_bad``) from ``raw``
    good: str  # the part's rows: the good rows of ``typed``
    bad: str  # the rejects: one row per (line, column, reason) of the bad rows
    inner: str  # raw's rows with ``_line``, texts as written (``r_<name>``) and typed values (``t_<name>``)
    any_bad: str  # over ``inner``: the row has a problem
    final: str  # SELECT list of the part's columns, over ``inner`` or ``typed``

    @property
    def direct(self) -> str:
        """The part's rows straight from ``raw``, for a file known to have no bad row (no temp table)."""
        return f"{self.final} FROM ({self.inner})"

    def __iter__(self) -> Iterator[str]:  # typed, good, bad = typed_select(…)
        return iter((self.typed, self.good, self.bad))


def plain_columns(sources: dict[str, str], mapped: frozenset[str] = frozenset()) -> frozenset[str]:
    """The contract columns read straight from one column of the file (``c3``), no value map."""
    return frozenset(n for n, src in sources.items() if n not in mapped and re.fullmatch(r"c[0-9]+", src))


def clean_columns(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    sources: dict[str, str],
    optimistic: TypedSql | None = None,
    params: dict[str, object] | None = None,
) -> tuple[frozenset[str], int | None]:
    """The columns read straight from the file (``c3``) whose every cell is already in strict form: one scan
    of ``raw`` decides, and those columns are typed with plain casts (see ``values.already_clean``).

    ``optimistic`` (``typed_select`` with every such column clean) adds to the same scan a count of the rows
    with a problem, returned when the columns are all clean (it is then the file's number of bad rows), else
    None. ``params`` are its bound values."""
    plain = sorted(plain_columns(sources))
    if optimistic is None:
        cells, source = {n: sources[n] for n in plain}, "raw"
    else:  # the optimistic query's inner level carries each cell as written, as r_<name>
        cells, source = {n: f"r_{n}" for n in plain}, f"({optimistic.inner})"
    aggregates = [
        f"bool_and({values.already_clean(cells[n], table.column(n).type, n in values.FOLDED)})" for n in plain
    ]
    if optimistic is not None:
        aggregates.append(f"count_if({optimistic.any_bad})")
    if not aggregates:
        return frozenset(), None
    # Generated SQL only: column names from the schema, constant literals from storeops.values.
    sql = f"SELECT {', '.join(aggregates)} FROM {source}"
    row = con.execute(sql, _used(params or {}, sql)).fetchall()[0]
    flags, bad = (row[:-1], row[-1]) if optimistic is not None else (row, None)
    clean = frozenset(n for n, ok in zip(plain, flags, strict=True) if ok is not False)
    return clean, (bad if clean == frozenset(plain) else None)


def spread_select(table: Table, good: str) -> str:
    """Rows of a range report (``good`` with ``_spread_end``), one per day of each row's range.

    Counts and amounts are split evenly, remainders included, so each row's days add up to the row
    exactly (integers by floor(v·(i+1)/n) − floor(v·i/n); amounts the same in cents). Averages
    (``avg_session_seconds``) are kept as they are.
    """
    cols = []
    n = "(datediff('day', g.date, g._spread_end) + 1)"
    for col in table.columns:
        if col.name == "date":
            cols.append("CAST(g.date + CAST(d.i AS INTEGER) AS DATE) AS date")
        elif col.type == "int":
            cols.append(f"g.{col.name} * (d.i + 1) // {n} - g.{col.name} * d.i // {n} AS {col.name}")
        elif col.type == "decimal" and col.name not in AVERAGES:
            cents = f"CAST(round(g.{col.name} * 100) AS BIGINT)"
            cols.append(
                f"CAST((({cents} * (d.i + 1)) // {n} - ({cents} * d.i) // {n}) / 100 AS DECIMAL(18,2)) AS {col.name}"
            )
        else:
            cols.append(f"g.{col.name}")
    return (
        f"SELECT {', '.join(cols)}, g._line FROM ({good}) AS g, "
        f"LATERAL (SELECT range AS i FROM range(datediff('day', g.date, g._spread_end) + 1)) AS d"
    )


# Columns that are averages: a range report's value holds for each of its days.
AVERAGES = frozenset({"avg_session_seconds"})


# How far down a file the header row may sit (below title and date-range lines).
HEADER_SCAN_LINES = 30
DELIMITERS = (",", "\t", ";", "|")
# A row whose first filled cell starts with one of these words is a total, not data.
SUMMARY_PATTERN = "^(合计|总计|汇总|小计|total|totals|grand total|summary|sum)([^a-z0-9]|$)"
SUMMARY_PREFIXES = ("合计", "总计", "汇总", "小计", "to", "gr", "su")  # the words' first two characters


def _summary_starts() -> list[str]:
    """Every way a cell can start with one of ``SUMMARY_PREFIXES`` before ``lower``: TO, To, tO, to …"""
    return sorted({a + b for p in SUMMARY_PREFIXES for a in {p[0], p[0].upper()} for b in {p[1], p[1].upper()}})


@dataclass(frozen=True)
class Layout:
    """Where the table starts in a text file, and how its cells are separated."""

    delimiter: str = ","
    header_line: int = 1  # physical line of the header row, 1-based
    preamble: tuple[str, ...] = ()  # the non-blank lines above the header (title, date range)

    @property
    def plain(self) -> bool:
        return self.delimiter == "," and self.header_line == 1


def is_header(cells: list[str], table: Table) -> bool:
    names = normalise_header(cells)
    return all(c in names for c in table.required)


Accept = Callable[[list[str]], bool]
# Fills temp table ``raw`` and returns (header, encoding, layout, notes), as ``_load_raw`` does for a file.
Loader = Callable[[], tuple[list[str], str, "Layout", list[str]]]


def sniff_layout(path: Path, encoding: str, accept: Accept) -> Layout:
    """The first line among the first ``HEADER_SCAN_LINES`` that, split by a known delimiter, ``accept``s as a
    header; line 1 comma-separated when none does (``map_columns`` then says what is missing)."""
    with open(path, encoding=encoding, newline="") as fh:
        lines = [fh.readline() for _ in range(HEADER_SCAN_LINES)]
    for delimiter in DELIMITERS:
        for i, line in enumerate(lines):
            if line.strip() and not line.lstrip().startswith("#"):
                if accept(next(csv.reader([line], delimiter=delimiter), [])):
                    preamble = tuple(x.strip() for x in lines[:i] if x.strip())
                    return Layout(delimiter, i + 1, preamble)
    return Layout()


def is_comment(cells: list[str | None]) -> bool:
    """A ``#`` line: its first cell starts with ``#`` and no other cell holds anything
    (Shopify order names such as ``#1001`` start with ``#`` too, with the rest of the row filled)."""
    return bool(cells) and (cells[0] or "").lstrip().startswith("#") and not any((c or "").strip() for c in cells[1:])


def _scan_lines(path: Path) -> tuple[int, int]:
    """(physical lines, lines starting with ``#``) in one pass over the bytes; a file with ``#`` lines is read
    through ``normalise_csv``, which tells comments from data."""
    newlines, comments, last = 0, 0, b"\n"
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 24), b""):
            newlines += chunk.count(b"\n")
            if b"#" in chunk:  # a fast byte search spares the slower two-byte count in most files
                comments += chunk.count(b"\n#") + (last == b"\n" and chunk.startswith(b"#"))
            last = chunk[-1:]
    return newlines + (1 if last != b"\n" else 0), comments


def normalise_csv(path: Path, encoding: str, layout: Layout, out: Path) -> tuple[list[str], int]:
    """A UTF-8, comma-separated copy of the table part of a file: header row, then each data record prefixed by the
    line it starts on. Lines above the header, blank lines and ``#`` comment lines are left out.
    Returns the header and the number of comment lines."""
    comments = 0
    with open(path, encoding=encoding, newline="") as src, open(out, "w", encoding="utf-8", newline="") as dst:
        for _ in range(layout.header_line - 1):
            src.readline()
        reader = csv.reader(src, delimiter=layout.delimiter)
        writer = csv.writer(dst)
        header = next(reader, [])
        writer.writerow(["_line", *header])
        line = layout.header_line + reader.line_num  # where the next record starts
        for record in reader:
            start, line = line, layout.header_line + reader.line_num
            if not any(c.strip() for c in record):
                continue
            if is_comment(record):
                comments += 1
                continue
            writer.writerow([start, *record])
    return header, comments


def _load_raw(
    con: duckdb.DuckDBPyConnection, src: SourceFile, accept: Accept, tmp_dir: Path, sheets: tuple[str, ...] = ()
) -> tuple[list[str], str, Layout, list[str]]:
    """Load the file into temp table ``raw`` (text columns c0…cN, ``_line``); return header, encoding, layout,
    notes. The header is the first row near the top that ``accept`` recognises.

    A plain UTF-8 comma-separated file with its header on line 1 is read by DuckDB directly (the fast path,
    for big exports). Anything else — GB18030 or UTF-16, tab- or semicolon-separated, title lines above the
    header, ``#`` comments — is first rewritten by ``normalise_csv``. Total rows are dropped afterwards, for
    every format (``drop_summary_rows``). ``notes`` say what was adjusted.
    """
    suffix = src.path.suffix.lower()
    if src.size == 0:
        raise FileRejected("the file is empty (0 bytes); it may still be copying")
    if suffix == ".csv":
        # A file without a UTF-16 byte-order mark is first taken for UTF-8: DuckDB's reader checks every byte
        # as it reads, so the whole-file check of ``detect_encoding`` runs only when the fast path is not taken
        # or fails (then the file is read exactly as if the encoding had been detected first).
        encoding = _bom_encoding(src.path) or "utf-8"
        fast = False
        if encoding != "utf-16":
            try:
                layout = sniff_layout(src.path, encoding, accept)
            except UnicodeDecodeError:
                layout = None
            if layout is not None and layout.plain:
                lines, comments = _scan_lines(src.path)
                fast = not comments and _read_plain_csv(con, src.path, lines)
        if fast:
            header = _read_csv_header(src.path, "utf-8-sig")
            comments = 0
        else:
            encoding = detect_encoding(src.path)
            layout = sniff_layout(src.path, encoding, accept)
            out = tmp_dir / f"{src.fingerprint}.utf8.csv"
            header, comments = normalise_csv(src.path, encoding, layout, out)
            _read_csv(con, out, ["_line", *(f"c{i}" for i in range(len(header)))])
            _raw_view(con, "SELECT * EXCLUDE (_line), CAST(_line AS BIGINT) AS _line FROM raw_in")
        notes = layout_notes(layout, comments)
    elif suffix == ".parquet":
        try:
            desc = con.execute("DESCRIBE SELECT * FROM read_parquet($path)", {"path": str(src.path)}).fetchall()
            # Positional references (#1, #2 …) keep the file's column names out of the SQL text.
            cols = ", ".join(f"CAST(#{i + 1} AS VARCHAR) AS c{i}" for i in range(len(desc)))
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE raw_in AS SELECT {cols} FROM read_parquet($path)",
                {"path": str(src.path)},
            )
        except duckdb.Error as exc:
            raise FileRejected(f"cannot be read as Parquet: {str(exc).splitlines()[0]}") from None
        _raw_view(con, "SELECT *, rowid + 1 AS _line FROM raw_in")
        header, encoding, notes, layout = [d[0] for d in desc], "parquet", [], Layout()
    elif suffix == ".xlsx":
        header, rows, layout = read_xlsx(src.path, accept, sheets)
        _register_rows(con, header, rows)
        notes = layout_notes(layout, 0)
        encoding = "xlsx"
    else:
        raise FileRejected(
            f"{suffix} files are not read: open it in Excel or WPS and save it as .xlsx or as CSV (UTF-8)"
        )
    return header, encoding, layout, notes


def _bom_encoding(path: Path) -> str | None:
    """The encoding a byte-order mark names (``detect_encoding`` still checks the bytes), else None."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _read_plain_csv(con: duckdb.DuckDBPyConnection, path: Path, lines: int) -> bool:
    """Read a comma-separated file with its header on line 1 straight into ``raw``, taking it for UTF-8; False
    when it is not UTF-8 after all (nothing is read). Any other problem is raised as ``detect_encoding`` or
    the reader words it."""
    try:
        header = _read_csv_header(path, "utf-8-sig")
        _read_csv(con, path, [f"c{i}" for i in range(len(header))])
    except (FileRejected, UnicodeDecodeError):
        if detect_encoding(path) not in ("utf-8", "utf-8-sig"):  # raises for an unknown encoding
            return False
        raise
    rows = con.execute("SELECT count(*) FROM raw_in").fetchall()[0][0]
    if rows + 1 == lines:
        # One record per line: rowid follows file order, the header is line 1. A view, not a copy.
        _raw_view(con, "SELECT *, rowid + 2 AS _line FROM raw_in")
    else:
        # Blank lines (skipped by DuckDB) or quoted line breaks: count lines the slow way.
        _register_line_numbers(con, path)
        con.execute(
            "CREATE OR REPLACE TEMP TABLE raw_lines AS SELECT r.*, l.line AS _line "
            "FROM raw_in AS r JOIN line_numbers AS l ON l.n = r.rowid"
        )
        _raw_view(con, "SELECT * FROM raw_lines")
    return True


def _raw_view(con: duckdb.DuckDBPyConnection, select: str) -> None:
    """Point the temp view ``raw`` (what typing reads: text columns c0…cN and ``_line``) at ``select``: a view
    over the loaded table, so that numbering the lines or dropping a few rows never copies the whole file."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw AS {select}")


def layout_notes(layout: Layout, comments: int) -> list[str]:
    """What was done to find the table in the file, for the data-health page."""
    notes = []
    if layout.header_line > 1:
        notes.append(f"header on line {layout.header_line}; the {layout.header_line - 1} line(s) above it skipped")
    if layout.delimiter != ",":
        notes.append({"\t": "tab", ";": "semicolon", "|": "pipe"}[layout.delimiter] + "-separated")
    if comments:
        notes.append(f"{comments} comment line(s) (#) skipped")
    return notes


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, names: list[str]) -> None:
    """Temp table ``raw_in``: every cell as text, columns named ``names``."""
    # The parallel reader cannot pad short rows when a quoted cell holds a
    # line break; such files are read again on one thread.
    for parallel in (True, False):
        try:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE raw_in AS SELECT * FROM read_csv($path, header = true, "
                "all_varchar = true, names = $names, delim = ',', quote = '\"', escape = '\"', "
                "null_padding = true, strict_mode = false, encoding = 'utf-8', parallel = $parallel)",
                {"path": str(path), "names": names, "parallel": parallel},
            )
            return
        except duckdb.Error as exc:
            if parallel and "quoted new lines" in str(exc):
                continue
            raise FileRejected(f"cannot be read as CSV: {str(exc).splitlines()[0]}") from None


def _register_line_numbers(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Temp table ``line_numbers(n, line)``: the line on which the n-th data record starts."""
    import pyarrow as pa

    starts = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)  # header
        line = reader.line_num
        for record in reader:
            if record:  # csv yields [] for a blank line, which DuckDB skips too
                starts.append(line + 1)
            line = reader.line_num
    con.register("line_numbers_arrow", pa.table({"n": list(range(len(starts))), "line": starts}))
    con.execute("CREATE OR REPLACE TEMP TABLE line_numbers AS SELECT * FROM line_numbers_arrow")
    con.unregister("line_numbers_arrow")


def read_xlsx(
    path: Path, accept: Accept | None = None, sheets: tuple[str, ...] = ()
) -> tuple[list[str], list[list[str | None]], Layout]:
    """One sheet of a workbook as text cells: (header, data rows, layout).

    The sheet is the first of ``sheets`` (named by import profiles) the workbook has, else the first sheet.

    The header is the first of the first ``HEADER_SCAN_LINES`` rows that ``accept`` recognises (title rows and
    merged title cells above it are skipped), else row 1. Blank rows and rows whose first cell starts with ``#``
    are left out. Each data row starts with its Excel row number as text.
    """
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        name = next((n for n in sheets if n in book.sheet_names), None)
        chosen = book.get_sheet_by_name(name) if name else book.get_sheet_by_index(0)
        sheet = chosen.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several types for broken files
        raise FileRejected(f"cannot be read as Excel (.xlsx): {exc}") from None
    if not sheet:
        raise FileRejected(f"the workbook's sheet {name or 'number 1'} is empty")
    texts = [[_cell_text(c) for c in row] for row in sheet]
    top = 0
    if accept is not None:
        top = next((i for i, row in enumerate(texts[:HEADER_SCAN_LINES]) if accept([c or "" for c in row])), 0)
    preamble = tuple(" ".join(c for c in row if c) for row in texts[:top] if any(row))
    header = [c or "" for c in texts[top]]
    rows = []
    for number, cells in enumerate(texts[top + 1 :], start=top + 2):
        if any(c and c.strip() for c in cells) and not is_comment(cells):
            rows.append([str(number), *cells])
    return header, rows, Layout(header_line=top + 1, preamble=preamble)


def _cell_text(value: object) -> str | None:
    """Excel cells as the text a CSV export would hold (ISO dates, no float noise)."""
    import datetime as dt

    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _register_rows(con: duckdb.DuckDBPyConnection, header: list[str], rows: list[list[str | None]]) -> None:
    import pyarrow as pa

    width = len(header)
    columns = {f"c{i}": [r[i + 1] if i + 1 < len(r) else None for r in rows] for i in range(width)}
    columns["_line"] = [int(r[0]) for r in rows]
    arrow = pa.table({k: pa.array(v, type=pa.int64() if k == "_line" else pa.string()) for k, v in columns.items()})
    con.register("raw_arrow", arrow)
    con.execute("CREATE OR REPLACE TEMP TABLE raw_in AS SELECT * FROM raw_arrow")
    con.unregister("raw_arrow")
    _raw_view(con, "SELECT * FROM raw_in")


def map_columns(table: Table, header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Contract column → position in the file, and the names of ignored extra columns."""
    names = normalise_header(header)
    positions: dict[str, int] = {}
    ignored = []
    for i, name in enumerate(names):
        if name in table.names and name not in positions:
            positions[name] = i
        elif name:
            ignored.append(header[i].strip())
    missing = [c for c in table.required if c not in positions]
    if missing:
        looks_like = guess_table(names)
        hint = f" It looks like a {looks_like} file." if looks_like and looks_like != table.name else ""
        raise FileRejected(
            f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"for table {table.name} (found: {', '.join(n for n in names if n) or 'no header'}).{hint}"
        )
    return positions, ignored


def guess_table(names: list[str]) -> str | None:
    """The table whose required columns all appear in a header, if any."""
    for t in schema.TABLES.values():
        if all(c in names for c in t.required):
            return t.name
    return None


def read_source(
    con: duckdb.DuckDBPyConnection,
    src: SourceFile,
    profiles: list[Profile],
    parts_dir: Path,
    tmp_dir: Path,
    loader: Loader | None = None,
) -> FileReport:
    """Read one file into a good-rows part and a rejects part; raise FileRejected for a bad file.

    The file's header is the contract's (its table from the folder or name) or an import profile's, which
    also names the table for a file whose name does not. ``loader`` fills ``raw`` instead of the file
    (a database pull).
    """
    table = schema.TABLES[src.table] if src.table else None
    candidates = [p for p in profiles if table is None or p.table == table.name]

    def accept(cells: list[str]) -> bool:
        if table is not None and is_header(cells, table):
            return True
        return any(p.matches(cells) for p in candidates) or (table is None and guess_table(normalise_header(cells)))

    sheets = tuple(p.sheet for p in candidates if p.sheet)
    if loader is None:
        header, encoding, layout, notes = _load_raw(con, src, accept, tmp_dir, sheets)
    else:
        header, encoding, layout, notes = loader()
    profile = None if table is not None and is_header(header, table) else profile_lib.recognise(header, candidates)
    if table is None:
        if profile is None:
            looks = guess_table(normalise_header(header))
            hint = f"; its columns look like the {looks} table, so name it {looks}_….csv" if looks else ""
            raise FileRejected(
                "the file name does not say which table it feeds and no import profile recognises its header: "
                f"put it in a folder named after the table or start its name with one of "
                f"{', '.join(schema.TABLES)}{hint}"
            )
        table = schema.TABLES[profile.table]
    report = FileReport(src.rel, table.name, src.size, src.mtime_ns, src.fingerprint, encoding=encoding)
    params: dict[str, object] = {}
    spread_end = None
    if profile is None:
        positions, report.columns_ignored = map_columns(table, header)
        sources = {name: f"c{i}" for name, i in positions.items()}
        mapped: frozenset[str] = frozenset()
    else:
        report.profile = profile.name
        mapping = profile_lib.apply(profile, header)
        sources, params, mapped = mapping.sources, mapping.params, frozenset(profile.values)
        report.columns_ignored = [h.strip() for i, h in enumerate(header) if i not in mapping.used and h.strip()]
        spread_end = _spread(profile, header, layout, src, sources, params, notes)
        missing = [c for c in table.required if c not in sources]
        if missing:
            wanted = "; ".join(f"{c} ← {profile.columns.get(c)}" for c in missing)
            raise FileRejected(f"recognised as {profile.label}, but it lacks the column(s) it needs: {wanted}")
        report.stand_ins = _stand_ins(profile, header)
        notes[:0] = [f"recognised as {profile.label}", *report.stand_ins]
        _order_level(con, profile, header)
    report.notes = notes
    summary = drop_summary_rows(con, len(header))
    if summary:
        report.notes.append(f"{summary} total/summary row(s) skipped")
    part = parts_dir / f"{table.name}-{src.fingerprint}.parquet"
    rejects = parts_dir / f"{table.name}-{src.fingerprint}.rejects.parquet"
    unmapped = {n: s for n, s in sources.items() if n not in mapped}
    plain = plain_columns(unmapped)
    # The probe also counts bad rows as if every plain column were clean: when they are and no row is bad (the
    # usual big export), the part is written straight from raw, without the temp table of typed values.
    # (Not for a range report, whose rows are spread; nor with bound values, which COPY cannot take.)
    optimistic = typed_select(table, sources, mapped & set(sources), spread_end, plain) if plain else None
    if optimistic is not None and (spread_end is not None or _used(params, optimistic.direct)):
        optimistic = None
    clean, bad_rows = clean_columns(con, table, unmapped, optimistic, params)
    if optimistic is not None and bad_rows == 0:
        report.part, report.rejects_part, report.part_mtime_ns = part.name, rejects.name, src.mtime_ns
        # COPY takes no parameter for its target; the path is ours (cache dir + hash), quoted.
        con.execute(f"COPY ({optimistic.direct}) TO {_quote(part)} {PART_FORMAT}")
        con.execute(f"COPY ({NO_REJECTS}) TO {_quote(rejects)} (FORMAT parquet)")
        report.rows_loaded, report.duplicate_rows, report.min_date, report.max_date = _part_stats(con, table, part)
        return report
    typed_sql, good, bad = typed_select(table, sources, mapped & set(sources), spread_end, clean)
    if spread_end is not None:
        good = spread_select(table, good)
    con.execute(typed_sql, _used(params, typed_sql))
    if spread_end is not None and "$spread_end" not in sources.get("date", ""):
        several = con.execute("SELECT count(*) FROM typed WHERE NOT _bad AND _spread_end > t_date").fetchall()[0][0]
        if several:
            report.notes.append(f"{several} row(s) cover several days: each spread evenly over its days")
    # COPY takes no parameter for its target; the path is ours (cache dir + hash), quoted.
    con.execute(f"COPY ({good}) TO {_quote(part)} {PART_FORMAT}")
    report.rows_rejected = con.execute("SELECT count_if(_bad) FROM typed").fetchall()[0][0]
    if report.rows_rejected:
        # COPY binds no parameters, and the bad rows' details are computed from raw with the profile's values.
        con.execute(f"CREATE OR REPLACE TEMP TABLE rejected AS {bad}", _used(params, bad))
    else:  # nothing to look up again: an empty rejects part
        con.execute(f"CREATE OR REPLACE TEMP TABLE rejected AS {NO_REJECTS}")
    con.execute(f"COPY rejected TO {_quote(rejects)} (FORMAT parquet)")
    con.execute("DROP TABLE rejected")
    report.part, report.rejects_part, report.part_mtime_ns = part.name, rejects.name, src.mtime_ns
    con.execute("DROP TABLE typed")
    report.rows_loaded, report.duplicate_rows, report.min_date, report.max_date = _part_stats(con, table, part)
    return report


# Parts are written once and read once per build: snappy costs less CPU both ways than zstd, for bigger files.
PART_FORMAT = "(FORMAT parquet, COMPRESSION snappy)"
NO_REJECTS = (
    "SELECT CAST(NULL AS BIGINT) AS line, CAST(NULL AS VARCHAR) AS column_name, CAST(NULL AS VARCHAR) AS value, "
    "CAST(NULL AS VARCHAR) AS reason WHERE false"
)


def _used(params: dict[str, object], sql: str) -> dict[str, object]:
    """The parameters ``sql`` refers to (DuckDB refuses values it has no place for)."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


def _stand_ins(profile: Profile, header: list[str]) -> list[str]:
    """ "column: what stands in" for each stand-in the profile declares that this file needs: the column's first
    choice of source is not in the file (or the profile never maps it)."""
    names = profile_lib.normalise(header)
    active = []
    for column, why in profile.stand_ins.items():
        spec = profile.columns.get(column)
        first = spec[0] if isinstance(spec, list) else spec
        wanted = [first] if isinstance(first, str) else [] if first is None else next(iter(first.values()))
        if not wanted or any(profile_lib.find(names, w) is None for w in wanted):
            active.append(f"{column}: {why}")
    return active


def _spread(
    profile: Profile,
    header: list[str],
    layout: Layout,
    src: SourceFile,
    sources: dict[str, str],
    params: dict[str, object],
    notes: list[str],
) -> str | None:
    """The end-of-range SQL of a range report (and its start as the date source), or None for a daily one."""
    spec = profile.spread
    if spec is None:
        return None
    names = profile_lib.normalise(header)
    end = profile_lib.find(names, spec.end_column) if spec.end_column else None
    if end is not None and "date" in sources:
        return f"c{end}"  # per row: date … end column
    if "date" in sources:
        return None  # a daily report (e.g. segmented by day)
    found = profile_lib.spread_range(profile, list(layout.preamble), Path(src.rel).name)
    if found is None:
        raise FileRejected(
            f"recognised as {profile.label}, but it has no day column and no date range was found in its title "
            "lines or file name: download it segmented by day, or keep the date-range line above the header"
        )
    start, last = found
    sources["date"] = "$spread_start"
    params.update(spread_start=start.isoformat(), spread_end=last.isoformat())
    notes.append(
        f"no day column: the report's totals are spread evenly over the {(last - start).days + 1} days "
        f"{start.isoformat()} – {last.isoformat()}"
    )
    return "$spread_end"


def _order_level(con: duckdb.DuckDBPyConnection, profile: Profile, header: list[str]) -> None:
    """Copy an order's first-line cells down to its other lines; keep order totals on the first line only."""
    names = profile_lib.normalise(header)
    key = profile_lib.find(names, profile.order_key) if profile.order_key else None
    if key is None:
        return
    replace = []
    for name in profile.fill_down:
        i = profile_lib.find(names, name)
        if i is not None and i != key:
            replace.append(f"last_value(nullif(trim(c{i}), '') IGNORE NULLS) OVER w AS c{i}")
    for name in profile.first_line_only:
        i = profile_lib.find(names, name)
        if i is not None and i != key:
            replace.append(f"CASE WHEN row_number() OVER w = 1 THEN c{i} ELSE '0' END AS c{i}")
    if replace:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE raw_ordered AS SELECT * REPLACE ({', '.join(replace)}) FROM raw "
            f"WINDOW w AS (PARTITION BY c{key} ORDER BY _line)"
        )
        _raw_view(con, "SELECT * FROM raw_ordered")


def drop_summary_rows(con: duckdb.DuckDBPyConnection, width: int) -> int:
    """Leave total rows (合计, 总计, Total: Account …) out of ``raw``; return how many.

    The first filled cell of the first two columns decides, so a total row with an empty first cell counts too.
    Only a cell whose first two characters start one of the words is matched against the pattern (a cheap
    test that spares the regular expression for nearly every row); ``raw`` is copied only when a file has any.
    """
    first = "coalesce(nullif(trim(c0), ''), c1)" if width > 1 else "c0"
    # The exact test, for the rows whose first cell is empty, starts with white space or with a word's
    # first two characters (either case): the others cannot be totals.
    starts = ", ".join(f"'{p}'" for p in _summary_starts())
    maybe = f"c0 IS NULL OR ord(c0) IN (-1, 9, 10, 13, 32) OR left(c0, 2) IN ({starts})"
    exact = f"regexp_matches(lower(trim({first})), $pattern)"
    is_total = f"CASE WHEN {maybe} THEN {exact} END"
    count = con.execute(
        f"SELECT count_if(coalesce({is_total}, false)) FROM raw", {"pattern": SUMMARY_PATTERN}
    ).fetchall()[0][0]
    if count:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE raw_kept AS SELECT * FROM raw WHERE NOT coalesce({is_total}, false)",
            {"pattern": SUMMARY_PATTERN},
        )
        _raw_view(con, "SELECT * FROM raw_kept")
    return count


def _part_stats(con: duckdb.DuckDBPyConnection, table: Table, part: Path) -> tuple[int, int, str | None, str | None]:
    """(rows, exact duplicate rows, first date, last date) of a part.

    Two identical rows share their key columns (and sku), so the duplicates are counted over every column only
    when some key is repeated: a file without repeated keys, the usual case, costs one narrow GROUP BY.
    """
    date_col = table.date_column or table.names[0]
    narrow = ", ".join(dict.fromkeys([*table.key, *(["sku"] if "sku" in table.names else [])]))
    rows, repeated, first, last = con.execute(
        f"SELECT count(*), (SELECT count(*) FROM (SELECT 1 FROM read_parquet($p) GROUP BY {narrow} "
        f"HAVING count(*) > 1)), CAST(CAST(min({date_col}) AS DATE) AS VARCHAR), "
        f"CAST(CAST(max({date_col}) AS DATE) AS VARCHAR) FROM read_parquet($p)",
        {"p": str(part)},
    ).fetchall()[0]
    duplicates = 0
    if repeated:
        cols = ", ".join(table.names)
        duplicates = con.execute(
            f"SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT {cols} FROM read_parquet($p))) "
            "FROM read_parquet($p)",
            {"p": str(part)},
        ).fetchall()[0][0]
    return int(rows), int(duplicates), first, last


# ---------------------------------------------------------------- the cache


@dataclass(frozen=True)
class CachePaths:
    db: Path  # the current version, replaced atomically
    parts: Path
    manifest: Path
    lock: Path
    tmp: Path

    @classmethod
    def for_data(cls, data_dir: Path, cache: str | Path | None = None) -> CachePaths:
        db = Path(cache or os.environ.get("STOREOPS_CACHE") or data_dir / ".storeops" / "cache.duckdb").resolve()
        stem = db.with_suffix("")
        return cls(db, Path(f"{stem}.parts"), Path(f"{stem}.manifest.json"), Path(f"{stem}.lock"), Path(f"{stem}.tmp"))

    @property
    def spare(self) -> Path:
        """The version before the current one (or a copy of it): the next incremental ingest updates it."""
        return self.db.with_name(self.db.name + ".spare")


# An incremental ingest's commit leaves the rows it deletes in place as deletion marks (DuckDB's
# max_vacuum_tasks = 0): at 10M order lines, the vacuum that merges the touched row groups was half the
# commit of a new week (0.70 → 0.37 s). Scans then skip the marked rows, so they are not left to pile
# up: the COMPACT_EVERY-th incremental commit into a version file (counted in the manifest, "unvacuumed")
# vacuums, which compacts the marks of the commits before it too. A whole build writes tables anew.
COMPACT_EVERY = 3


def _connect_for_ingest(
    data_dir: Path, cache: CachePaths, settings: Settings, vacuum: bool = True
) -> duckdb.DuckDBPyConnection:
    """An in-memory connection that may read data/ and write the cache dir, nothing else; ``vacuum`` false:
    its commits leave deleted rows in place (``COMPACT_EVERY``)."""
    config: dict = {"preserve_insertion_order": True}
    if not vacuum:
        config["max_vacuum_tasks"] = 0
    con = duckdb.connect(config=config)
    con.execute("SET VARIABLE store_tz = $tz", {"tz": settings.timezone})
    con.execute("SET temp_directory = $t", {"t": str(cache.tmp)})
    con.execute("SET allowed_directories = $d", {"d": [str(data_dir.resolve()) + "/", str(cache.db.parent) + "/"]})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


@contextmanager
def ingest_lock(cache: CachePaths, wait: bool = True) -> Iterator[bool]:
    """One writer at a time, across threads and processes; yields False when busy and not waiting."""
    cache.lock.parent.mkdir(parents=True, exist_ok=True)
    with open(cache.lock, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _load_manifest(cache: CachePaths) -> dict[str, dict]:
    try:
        data = json.loads(cache.manifest.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if data.get("format") == FORMAT_VERSION and cache.db.exists() else {}


@dataclass
class IngestResult:
    reports: list[FileReport]
    changed: bool
    seconds: float
    problems: list[str]  # settings and reference-file problems

    @property
    def rejected_files(self) -> list[FileReport]:
        return [r for r in self.reports if r.status == "rejected"]

    @property
    def rejected_rows(self) -> int:
        return sum(r.rows_rejected for r in self.reports if not r.stale_part)


def read_all(
    data_dir: Path,
    cache: CachePaths,
    previous: dict[str, dict],
    con: duckdb.DuckDBPyConnection,
    profiles: list[Profile],
    sources: list[db_sources.DbSource] = (),
    progress: Callable[[str], None] | None = None,
) -> list[FileReport]:
    """Reports for every file now in data/, reading only new or changed ones, then a pull of each database
    source.

    Files are read ``READ_WORKERS`` at a time, each on a connection of its own (``con.cursor()``: the same
    database and settings, temp tables of its own). Most steps of reading one file run on one core (a file
    below DuckDB's row-group size is scanned by one thread, and the encoding and line checks are Python), so
    two files at once use both. Reports keep the order of ``discover``; ``progress`` is called from this
    thread, in that order."""
    cache.parts.mkdir(parents=True, exist_ok=True)
    cache.tmp.mkdir(parents=True, exist_ok=True)
    reports: list[FileReport | None] = []
    todo: list[tuple[int, SourceFile, dict | None]] = []
    for src in discover(data_dir):
        old = previous.get(src.rel)
        if old and old["fingerprint"] == src.fingerprint and (old.get("status") == "rejected" or old.get("part")):
            reports.append(FileReport(**old))
            continue
        todo.append((len(reports), src, old))
        reports.append(None)
    workers = min(READ_WORKERS, len(todo))
    if workers <= 1:
        for i, src, old in todo:
            if progress:
                progress(f"reading {src.rel}")
            reports[i] = _read_one(con, src, cache, old, profiles)
    else:
        tz = con.execute("SELECT getvariable('store_tz')").fetchall()[0][0]
        idle: queue.SimpleQueue[duckdb.DuckDBPyConnection] = queue.SimpleQueue()
        cursors = [con.cursor() for _ in range(workers)]
        for cur in cursors:
            cur.execute("SET VARIABLE store_tz = $tz", {"tz": tz})
            idle.put(cur)

        def read(src: SourceFile, old: dict | None) -> FileReport:
            cur = idle.get()
            try:
                return _read_one(cur, src, cache, old, profiles)
            finally:
                idle.put(cur)

        try:
            with ThreadPoolExecutor(workers) as pool:
                futures = [(i, src, pool.submit(read, src, old)) for i, src, old in todo]
                for i, src, future in futures:
                    if progress:
                        progress(f"reading {src.rel}")
                    reports[i] = future.result()
        finally:
            for cur in cursors:
                cur.close()
    for source in sources:
        if progress:
            progress(f"pulling {source.rel} from {source.shown_url()}")
        reports.append(_read_database(con, source, cache, previous.get(source.rel), profiles))
    return [r for r in reports if r is not None]


def _read_one(
    con: duckdb.DuckDBPyConnection, src: SourceFile, cache: CachePaths, old: dict | None, profiles: list[Profile]
) -> FileReport:
    try:
        report = read_source(con, src, profiles, cache.parts, cache.tmp)
        try:
            st = src.path.stat()
        except FileNotFoundError:
            raise FileRejected("the file was removed while it was being read") from None
        if (st.st_size, st.st_mtime_ns) != (src.size, src.mtime_ns):
            raise FileRejected("the file changed while it was being read (still copying?); it will be read again")
    except FileRejected as exc:
        report = _rejected(src, str(exc), cache, old)
    finally:
        for leftover in cache.tmp.glob(f"{src.fingerprint}.*"):
            leftover.unlink(missing_ok=True)
    return report


def _rejected(src: SourceFile, message: str, cache: CachePaths, old: dict | None) -> FileReport:
    """The report of a file (or pull) that could not be read; the previous good data of its path stays in use."""
    table = src.table or (old or {}).get("table")
    report = FileReport(src.rel, table, src.size, src.mtime_ns, src.fingerprint, status="rejected", message=message)
    if old and old.get("part") and (cache.parts / old["part"]).exists():
        report.part, report.rejects_part, report.stale_part = old["part"], old.get("rejects_part"), True
        report.part_mtime_ns = old.get("part_mtime_ns", 0)
        report.rows_loaded = old.get("rows_loaded", 0)
        report.min_date, report.max_date = old.get("min_date"), old.get("max_date")
        report.cursor = old.get("cursor")
        report.message += " — the previous version of this file stays in use"
    return report


def _read_database(
    con: duckdb.DuckDBPyConnection,
    source: db_sources.DbSource,
    cache: CachePaths,
    old: dict | None,
    profiles: list[Profile],
) -> FileReport:
    """Pull one database source through the same reading as a file; incremental when it names updated_at."""
    src = SourceFile(cache.tmp / source.table, source.rel, source.table, 0, time.time_ns())
    previous_part = cache.parts / old["part"] if old and old.get("part") else None
    incremental = bool(source.updated_at and old and old.get("cursor") and previous_part and previous_part.exists())
    since = db_sources.cursor_from_json(old.get("cursor")) if incremental else None
    try:
        if source.profile and not any(p.name == source.profile for p in profiles):
            raise db_sources.SourceError(f"no import profile is named {source.profile!r}")
        header, rows, high = db_sources.fetch(source, since)

        def loader() -> tuple[list[str], str, Layout, list[str]]:
            _register_rows(con, header, rows)
            what = f"rows changed since {since}" if incremental else "all rows"
            return header, "database", Layout(), [f"pulled from {source.shown_url()}: {what}"]

        chosen = [p for p in profiles if p.name == source.profile] if source.profile else profiles
        report = read_source(con, src, chosen, cache.parts, cache.tmp, loader)
        report.cursor = db_sources.cursor_to_json(high)
        if incremental:
            _merge_into(con, schema.TABLES[source.table], previous_part, cache.parts / report.part)
            stats = _part_stats(con, schema.TABLES[source.table], cache.parts / report.part)
            report.rows_loaded, report.duplicate_rows, report.min_date, report.max_date = stats
    except (db_sources.SourceError, FileRejected) as exc:
        return _rejected(src, str(exc), cache, old)
    return report


def _merge_into(con: duckdb.DuckDBPyConnection, table: Table, old: Path, new: Path) -> None:
    """Rewrite ``new`` as the rows of ``old`` whose key it does not hold, plus its own rows."""
    same_key = " AND ".join(f"o.{k} IS NOT DISTINCT FROM n.{k}" for k in table.key)
    merged = new.with_suffix(".merged.parquet")
    # COPY takes no parameter for its target; the paths are ours (cache dir + hash), quoted.
    con.execute(
        f"COPY (SELECT o.* FROM read_parquet({_quote(old)}) AS o ANTI JOIN read_parquet({_quote(new)}) AS n "
        f"ON {same_key} UNION ALL SELECT * FROM read_parquet({_quote(new)})) TO {_quote(merged)} "
        "(FORMAT parquet, COMPRESSION zstd)"
    )
    os.replace(merged, new)


def ingest(
    data_dir: str | Path,
    cache: CachePaths | None = None,
    progress: Callable[[str], None] | None = None,
    wait: bool = True,
) -> IngestResult | None:
    """Bring the cache up to date with ``data_dir``; None when another ingest holds the lock."""
    data_dir = Path(data_dir).resolve()
    if not data_dir.is_dir():
        raise FileNotFoundError(f"data folder {data_dir} does not exist")
    cache = cache or CachePaths.for_data(data_dir)
    started = time.perf_counter()
    with ingest_lock(cache, wait=wait) as locked:
        if not locked:
            return None
        settings, problems = load_settings(data_dir)
        profiles, profile_problems = profile_lib.load(data_dir)
        sources, source_problems = db_sources.load(data_dir)
        problems += profile_problems + source_problems
        previous = _load_manifest(cache)
        # Parts hold local times and what the profiles made of each file: a new store timezone or a
        # changed user profile means reading everything again.
        reading = {"timezone": settings.timezone, "profiles": profile_lib.fingerprint(data_dir)}
        same = previous.get("reading") == reading
        files = previous.get("files", {}) if previous and same else {}
        sig = signature(data_dir)
        if previous and same and previous.get("signature") == sig:
            reports = [FileReport(**f) for f in files.values()]
            return IngestResult(reports, False, time.perf_counter() - started, previous.get("problems", []))
        base = base_fingerprint(data_dir, settings)
        # the base is the spare or the current version: compact when either is due (COMPACT_EVERY)
        vacuum = max(_unvacuumed(previous), _unvacuumed(previous.get("spare") or {})) + 1 >= COMPACT_EVERY
        con = _connect_for_ingest(data_dir, cache, settings, vacuum=vacuum)
        try:
            reports = read_all(data_dir, cache, files, con, profiles, sources, progress)
            if progress:
                progress("building the cache")
            start = delta_base(previous, reports, base)
            built, spare, unvacuumed = build(con, data_dir, cache, reports, settings, sig, start, base, vacuum)
            problems += built
        finally:
            con.close()
        _write_manifest(cache, reports, sig, problems, reading, base, spare, unvacuumed)
        _remove_unused_parts(cache, reports)
        return IngestResult(reports, True, time.perf_counter() - started, problems)


def _write_manifest(
    cache: CachePaths,
    reports: list[FileReport],
    sig: str,
    problems: list[str],
    reading: dict[str, str],
    base: str,
    spare: dict,
    unvacuumed: int,
) -> None:
    body = {
        "format": FORMAT_VERSION,
        "reading": reading,
        "signature": sig,
        "base": base,  # what the version depends on besides the parts (base_fingerprint)
        "problems": problems,
        "files": {r.rel: asdict(r) for r in reports},
        "unvacuumed": unvacuumed,  # incremental commits into this version since it was compacted
        "spare": spare,  # the version in <cache>.spare: signature, base, files and unvacuumed
    }
    tmp = cache.manifest.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1))
    os.replace(tmp, cache.manifest)


def _remove_unused_parts(cache: CachePaths, reports: list[FileReport]) -> None:
    used = {r.part for r in reports} | {r.rejects_part for r in reports}
    for p in cache.parts.glob("*.parquet"):
        if p.name not in used:
            p.unlink(missing_ok=True)


# ---------------------------------------------------------------- building a version


def _insert(con: duckdb.DuckDBPyConnection, sql: str, rows: list) -> None:
    """``INSERT INTO t VALUES (?, …)`` for many rows, in statements of many rows each (executemany runs one
    statement per row: most of a small ingest's time)."""
    head, template = sql.split(" VALUES ", 1)
    for i in range(0, len(rows), 200):
        chunk = rows[i : i + 200]
        con.execute(f"{head} VALUES {', '.join([template] * len(chunk))}", [v for row in chunk for v in row])


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _copy(src: Path, dst: Path) -> None:
    """A byte copy of the current version, to bring up to date without touching what readers attach."""
    shutil.copyfile(src, dst)


def _exec(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> duckdb.DuckDBPyConnection:
    """``con.execute``, timed per statement when STOREOPS_BUILD_TIMES is set (for profiling the build): wall
    seconds and the CPU seconds of the process (all threads), which a loaded machine does not inflate."""
    if not os.environ.get("STOREOPS_BUILD_TIMES"):
        return con.execute(sql, params) if params else con.execute(sql)
    t, cpu = time.perf_counter(), time.process_time()
    result = con.execute(sql, params) if params else con.execute(sql)
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    print(f"{wall:8.3f}s {cpu:7.2f} cpu-s  {' '.join(sql.split())[:100]}", file=sys.stderr)
    return result


def build(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    cache: CachePaths,
    reports: list[FileReport],
    settings: Settings,
    sig: str,
    previous: dict | None = None,
    base: str = "",
    vacuum: bool = True,
) -> tuple[list[str], dict, int]:
    """Write a new cache version and swap it in; return reference-file problems, the spare's state and the
    new version's count of incremental commits since it was compacted (``vacuum``: this one compacts).

    With ``previous`` (the manifest of the current version, which ``delta_base`` found built from the same
    reference data, model and inventory), the new version is an older version brought up to date by deltas
    (``_update_into``): the spare — the version before the current one, kept as ``<cache>.spare`` — when
    nobody reads it any more, else a copy of the current one. Otherwise it is built whole from the parts
    (``_build_into``). Either way readers never see it before the rename, a crash leaves the current
    version as it was, and the version readers had becomes the next spare (no copy of the bulk).
    """
    for stale in cache.db.parent.glob(f"{cache.db.name}.*.new*"):  # left by a crashed ingest (we hold the lock)
        stale.unlink(missing_ok=True)
    new = cache.db.with_name(f"{cache.db.name}.{os.getpid()}.new")
    start = _open_base(con, cache, new, reports, base, previous) if previous and cache.db.exists() else None
    if start is None:
        new.unlink(missing_ok=True)
        con.execute("ATTACH $path AS v", {"path": str(new)})
    try:
        if start is not None:
            # One transaction: DuckDB writes the changes once, at its commit. Committed statement by
            # statement, each large insert or delete wrote (checkpointed) the tables it touched again.
            con.execute("BEGIN TRANSACTION")
            try:
                problems = _update_into(con, data_dir, cache, reports, settings, sig, start)
                _exec(con, "COMMIT")
            except BaseException:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:  # none left to roll back when the commit itself failed
                    pass
                raise
        else:
            problems = _build_into(con, data_dir, cache, reports, settings, sig)
        _exec(con, "CHECKPOINT v")
        unvacuumed = 0 if start is None or vacuum else _unvacuumed(start) + 1
    finally:
        con.execute("USE memory")
        con.execute("DETACH v")
    spare_tmp = cache.spare.with_name(cache.spare.name + f".{os.getpid()}.tmp")
    spare_tmp.unlink(missing_ok=True)
    if previous and previous.get("base") == base and cache.db.exists():
        # The version readers have now is the next spare: a second name for the same file.
        os.link(cache.db, spare_tmp)
        state = {k: previous.get(k) for k in ("signature", "base", "files", "unvacuumed")}
        os.replace(spare_tmp, cache.spare)
        os.replace(new, cache.db)
    else:  # no older version of this model: the spare is a copy of the new one
        os.replace(new, cache.db)
        _copy(cache.db, spare_tmp)
        os.replace(spare_tmp, cache.spare)
        state = {"signature": sig, "base": base, "files": {r.rel: asdict(r) for r in reports}, "unvacuumed": 0}
    return problems, state, unvacuumed


def _unvacuumed(state: dict) -> int:
    """A version's count of incremental commits since it was compacted (0 when the manifest has none)."""
    return int(state.get("unvacuumed") or 0)


def _open_base(
    con: duckdb.DuckDBPyConnection, cache: CachePaths, new: Path, reports: list[FileReport], base: str, previous: dict
) -> dict | None:
    """Attach as ``v`` (at path ``new``) an older version to bring up to date: the spare, or a copy of the
    current version; the manifest state it was built from, or None (build whole)."""
    spare_state = delta_base(previous.get("spare") or {}, reports, base)
    if spare_state and _spare_free(cache):
        os.replace(cache.spare, new)  # from here a crash leaves it as a stale .new file: never half-updated
        try:
            con.execute("ATTACH $path AS v", {"path": str(new)})
        except duckdb.Error:  # another process still reads it (its lock): leave it to them
            new.unlink(missing_ok=True)
        else:
            if con.execute("SELECT signature FROM v.meta").fetchall() == [(spare_state.get("signature"),)]:
                return spare_state
            con.execute("DETACH v")
            new.unlink(missing_ok=True)
    _copy(cache.db, new)
    con.execute("ATTACH $path AS v", {"path": str(new)})
    if con.execute("SELECT signature FROM v.meta").fetchall() == [(previous.get("signature"),)]:
        return previous
    con.execute("DETACH v")  # the manifest does not describe this file: build whole
    new.unlink(missing_ok=True)
    return None


def _spare_free(cache: CachePaths) -> bool:
    """The spare exists, is no other name of the current version, and no reader in this process has it."""
    try:
        st = cache.spare.stat()
    except FileNotFoundError:
        return False
    with _ATTACHED_LOCK:
        attached = _ATTACHED.get(st.st_ino, 0)
    return st.st_nlink == 1 and not attached and st.st_ino != cache.db.stat().st_ino


# Cache files (by inode) that a reader in this process has attached, with how many readers: an ingest never
# writes into one (another process's reader is kept out by DuckDB's file lock).
_ATTACHED: dict[int, int] = {}
_ATTACHED_LOCK = threading.RLock()  # re-entrant: a collected reader may be released inside


def note_attached(inode: int, reader: object) -> None:
    """Record that ``reader`` (a connection) has the cache file ``inode`` attached until it is collected."""
    with _ATTACHED_LOCK:
        _ATTACHED[inode] = _ATTACHED.get(inode, 0) + 1
    weakref.finalize(reader, _released, inode)


def _released(inode: int) -> None:
    with _ATTACHED_LOCK:
        left = _ATTACHED.get(inode, 0) - 1
        if left > 0:
            _ATTACHED[inode] = left
        else:
            _ATTACHED.pop(inode, None)


def delta_base(previous: dict, reports: list[FileReport], base: str) -> dict | None:
    """``previous`` when the next version can be the current one plus deltas, else None (build whole).

    Whole builds: no current version, other reference data / settings / profiles / model / format
    (``base_fingerprint``), or changed inventory (sku_info feeds every order line).
    """
    if not previous or previous.get("base") != base:
        return None
    old = {(f.get("table"), f.get("part")) for f in previous.get("files", {}).values() if f.get("part")}
    new = {(r.table, r.part) for r in reports if r.part}
    if {p for p in old if p[0] == "inventory"} != {p for p in new if p[0] == "inventory"}:
        return None
    if {t for t, _ in old ^ new} - set(schema.TABLES):
        return None
    return previous


def base_fingerprint(data_dir: Path, settings: Settings) -> str:
    """What every table of a version depends on besides the parts: reference files, settings, profiles, the
    model's statements and the format. A change means a whole build."""
    h = hashlib.sha1(f"{FORMAT_VERSION}\n".encode())
    for name in schema.REFERENCE_FILES:
        p = data_dir / name
        if p.is_file():
            h.update(p.read_bytes())
        h.update(f"|{name}\n".encode())
    h.update(json.dumps(asdict(settings), sort_keys=True, default=str).encode())
    h.update(profile_lib.fingerprint(data_dir).encode())
    h.update(model_digest().encode())
    return h.hexdigest()


def _ranked(reports: list[FileReport]) -> list[FileReport]:
    """Files with a part, oldest first: newest file wins per key (modification time, then path)."""
    return sorted((r for r in reports if r.part), key=lambda r: (r.part_mtime_ns, r.rel))


def _file_rank(con: duckdb.DuckDBPyConnection, cache: CachePaths, ranked: list[FileReport]) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE file_rank (part VARCHAR, rel VARCHAR, file_rank INTEGER)")
    _insert(
        con,
        "INSERT INTO file_rank VALUES (?, ?, ?)",
        [[str(cache.parts / r.part), r.rel, i] for i, r in enumerate(ranked)],
    )


def _build_into(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    cache: CachePaths,
    reports: list[FileReport],
    settings: Settings,
    sig: str,
) -> list[str]:
    ranked = _ranked(reports)
    _file_rank(con, cache, ranked)
    problems = _build_reference(con, data_dir, settings)
    for table in schema.TABLES.values():
        parts = [str(cache.parts / r.part) for r in ranked if r.table == table.name]
        _build_table(con, table, parts)
    _build_meta(con, cache, reports, settings, sig, problems, set(schema.TABLES))
    con.execute("USE v")
    _run_model(con, incremental=False)
    return problems


def _build_meta(
    con: duckdb.DuckDBPyConnection,
    cache: CachePaths,
    reports: list[FileReport],
    settings: Settings,
    sig: str,
    problems: list[str],
    changed: set[str],
) -> None:
    con.execute(
        "CREATE TABLE v.meta AS SELECT $sig AS signature, now() AS built_at, $tz AS timezone",
        {"sig": sig, "tz": settings.timezone},
    )
    _build_files(con, cache, reports, changed)
    con.execute("CREATE TABLE v.problems (message VARCHAR)")
    _insert(con, "INSERT INTO v.problems VALUES (?)", [[p] for p in problems])


def _columns(table: Table) -> str:
    return ", ".join(table.names) + ", _line, _file"


def _same_key(table: Table, a: str, b: str) -> str:
    return " AND ".join(f"{a}.{k} IS NOT DISTINCT FROM {b}.{k}" for k in table.key)


def _winners(table: Table, param: str, keys: str | None = None) -> str:
    """The rows of the parts ``$<param>`` that win per key (newest file wins; for ``row`` tables the last row
    of the newest file), only keys in the temp table ``keys`` when given."""
    key = ", ".join(table.key)
    if table.dedupe == "file":
        keep = f"file_rank = max(file_rank) OVER (PARTITION BY {key})"
    else:  # the last row per key wins, within a file too
        keep = f"row_number() OVER (PARTITION BY {key} ORDER BY file_rank DESC, _line DESC) = 1"
    only = f" SEMI JOIN {keys} AS k ON {_same_key(table, 'p', 'k')}" if keys else ""
    return (
        f"SELECT {', '.join(table.names)}, _line, rel AS _file "
        f"FROM read_parquet(${param}, filename = true) AS p JOIN file_rank AS r ON p.filename = r.part{only} "
        f"QUALIFY {keep}"
    )


def _whole(table: Table, parts: list[str], rels: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Every row of ``parts``, each part read on its own with its file's name as a constant (cheaper than
    joining file_rank on every row's file name): parts whose keys no other part holds need no dedupe."""
    selects, params = [], {}
    for i, part in enumerate(parts):
        selects.append(f"SELECT {', '.join(table.names)}, _line, $rel{i} AS _file FROM read_parquet($part{i})")
        params |= {f"part{i}": part, f"rel{i}": rels[part]}
    return " UNION ALL ".join(selects), params


def _key_groups(con: duckdb.DuckDBPyConnection, table: Table, parts: list[str]) -> list[list[str]]:
    """The parts grouped so that no key is in two groups, from each part's key range (Parquet statistics).

    Only for ``file`` tables with one text key (orders: a month's file holds its own order ids); otherwise
    all parts are one group. A part without statistics joins every part it might overlap.
    """
    if table.dedupe != "file" or len(table.key) != 1 or table.column(table.key[0]).type != "text" or len(parts) < 2:
        return [parts] if parts else []
    rows = con.execute(
        "SELECT file_name, min(stats_min_value), max(stats_max_value), "
        "count(*) FILTER (WHERE stats_min_value IS NULL OR stats_max_value IS NULL) "
        "FROM parquet_metadata($parts) WHERE path_in_schema = $col GROUP BY file_name",
        {"parts": parts, "col": table.key[0]},
    ).fetchall()
    ranges = {name: (lo, hi) for name, lo, hi, missing in rows if not missing and lo is not None}
    unknown = [p for p in parts if p not in ranges and any(r[0] == p for r in rows)]
    groups: list[list[str]] = []
    high = None
    for part in sorted(ranges, key=lambda p: ranges[p]):
        lo, hi = ranges[part]
        if groups and high is not None and lo <= high:
            groups[-1].append(part)
            high = max(high, hi)
        else:
            groups.append([part])
            high = hi
    if unknown:
        groups = [[p for g in groups for p in g] + unknown]
    empty = [p for p in parts if not any(r[0] == p for r in rows)]  # no row groups: no rows
    return groups + [[p] for p in empty]


def _build_table(con: duckdb.DuckDBPyConnection, table: Table, parts: list[str]) -> None:
    cols = ", ".join(f"CAST(NULL AS {c.sql_type}) AS {c.name}" for c in table.columns)
    if not parts:
        con.execute(
            f"CREATE TABLE v.{table.name} AS SELECT {cols}, CAST(NULL AS BIGINT) AS _line, "
            "CAST(NULL AS VARCHAR) AS _file WHERE false"
        )
        return
    groups = _key_groups(con, table, parts)
    alone = [g[0] for g in groups if len(g) == 1] if table.dedupe == "file" else []
    shared = [p for g in groups if len(g) > 1 or table.dedupe != "file" for p in g]
    selects, params = [], {}
    if alone:
        rels = dict(
            con.execute("SELECT part, rel FROM file_rank WHERE part IN (SELECT unnest($p))", {"p": alone}).fetchall()
        )
        sql, params = _whole(table, alone, rels)
        selects.append(sql)
    if shared:
        selects.append(_winners(table, "shared"))
        params["shared"] = shared
    _exec(con, f"CREATE TABLE v.{table.name} AS {' UNION ALL '.join(selects)}", params)


def _update_into(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    cache: CachePaths,
    reports: list[FileReport],
    settings: Settings,
    sig: str,
    previous: dict,
) -> list[str]:
    """Bring the copy of the current version (attached as ``v``) up to date with the parts now in use.

    Per canonical table, only keys whose winning rows may change are touched: the keys of added parts and
    the keys of rows from files that are gone or changed. Their rows are deleted and the winners among the
    parts holding them inserted. The changed sets (temp tables changed_orders, changed_days,
    changed_customers) then drive the model's ``refresh:`` tables; the others are rebuilt whole.
    """
    ranked = _ranked(reports)
    _file_rank(con, cache, ranked)
    for name in ("channel_map", "platform_map", "targets", "settings", "meta", "files", "problems", "rejects"):
        con.execute(f"DROP TABLE IF EXISTS v.{name}")
    problems = _build_reference(con, data_dir, settings)
    old = {f["part"]: f for f in previous.get("files", {}).values() if f.get("part")}
    con.execute("CREATE OR REPLACE TEMP TABLE changed_orders (order_id VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE changed_days (day DATE)")
    con.execute("CREATE OR REPLACE TEMP TABLE changed_customers (customer_id VARCHAR)")
    # v.orders' rows of changed_orders, for order_lines (empty unless orders change)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _d_new_orders AS SELECT {_columns(schema.ORDERS)} FROM v.orders LIMIT 0")
    changed: set[str] = set()
    apart: set[str] = set()  # tables whose added parts hold keys no other part has, nothing removed
    appended = True  # no order line removed or replaced (see _run_model)
    for table in schema.TABLES.values():
        mine = [r for r in ranked if r.table == table.name]
        olds = {p: f for p, f in old.items() if f.get("table") == table.name}
        how = _update_table(con, cache, table, mine, olds)
        if how is None:
            continue
        changed.add(table.name)
        if how == "apart":
            apart.add(table.name)
        rows = f"SELECT * FROM _d_old UNION ALL SELECT * FROM _d_new_{table.name}"
        if table.name == "orders":
            appended = con.execute("SELECT count(*) FROM _d_old").fetchall() == [(0,)]
            _exec(con, "INSERT INTO changed_orders SELECT order_id FROM _d_keys")
            _exec(con, f"INSERT INTO changed_days SELECT DISTINCT CAST(order_time AS DATE) FROM ({rows})")
            _exec(con, f"INSERT INTO changed_customers SELECT DISTINCT customer_id FROM ({rows})")
        elif table.name == "members":
            _exec(con, "INSERT INTO changed_customers SELECT customer_id FROM _d_keys")
        elif table.date_column == "date":
            _exec(con, f"INSERT INTO changed_days SELECT DISTINCT date FROM ({rows})")
    for name, column in (("changed_days", "day"), ("changed_customers", "customer_id")):
        _exec(con, f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT DISTINCT {column} FROM {name}")
    # rows_replaced is counted again where rows may have been replaced: not where parts were only added apart
    # (no row of another file lost its key; every row of the added parts won)
    _build_meta(con, cache, reports, settings, sig, problems, changed - apart)
    con.execute("USE v")
    _run_model(con, incremental=True, appended=appended, members="members" in changed, changed=changed)
    return problems


def _update_table(
    con: duckdb.DuckDBPyConnection,
    cache: CachePaths,
    table: Table,
    ranked: list[FileReport],
    old: dict[str, dict],
) -> Literal["apart", "merged"] | None:
    """Bring ``v.<table>`` from the parts ``old`` to ``ranked``: None when nothing changed, "apart" when parts
    were only added and no other part holds their keys (no row was replaced), else "merged".

    Leaves temp tables _d_keys (the keys touched), _d_old (their rows before) and _d_new_<table> (after).
    """
    added = [r for r in ranked if r.part not in old]
    current = {r.part for r in ranked}
    gone = sorted({f["rel"] for p, f in old.items() if p not in current})
    if not added and not gone:
        return None
    key = ", ".join(table.key)
    parts = [str(cache.parts / r.part) for r in ranked]
    new_parts = [str(cache.parts / r.part) for r in added]
    keys = []
    if gone:
        keys.append(f"SELECT {key} FROM v.{table.name} WHERE _file IN (SELECT unnest($gone))")
    if added:
        keys.append(f"SELECT {key} FROM read_parquet($added)")
    sql = " UNION ".join(keys)
    _exec(con, f"CREATE OR REPLACE TEMP TABLE _d_keys AS {sql}", _used({"gone": gone, "added": new_parts}, sql))
    # The usual case, files added that are newer than every other: their rows win every key they hold.
    newest = not gone and ranked[len(ranked) - len(added) :] == added
    # ... and when their key ranges meet no other part's, no current row has their keys.
    groups = _key_groups(con, table, parts) if newest and table.dedupe == "file" else []
    apart = bool(groups) and all(len(g) == 1 for g in groups if set(g) & set(new_parts))
    cols = _columns(table)
    if apart:
        _exec(con, f"CREATE OR REPLACE TEMP TABLE _d_old AS SELECT {cols} FROM v.{table.name} WHERE false")
    else:
        _exec(
            con,
            f"CREATE OR REPLACE TEMP TABLE _d_old AS SELECT {cols} FROM v.{table.name} AS t "
            f"SEMI JOIN _d_keys AS k ON {_same_key(table, 't', 'k')}",
        )
        if len(table.key) == 1:
            _exec(con, f"DELETE FROM v.{table.name} WHERE {key} IN (SELECT {key} FROM _d_keys)")
        else:
            _exec(con, f"DELETE FROM v.{table.name} AS t USING _d_keys AS k WHERE {_same_key(table, 't', 'k')}")
    if apart:
        rels = {str(cache.parts / r.part): r.rel for r in added}
        select, params = _whole(table, new_parts, rels)
    elif newest:
        select, params = _winners(table, "parts"), {"parts": new_parts}
    elif not parts:
        select, params = f"SELECT {cols} FROM v.{table.name} WHERE false", {}
    else:
        select, params = _winners(table, "parts", "_d_keys"), {"parts": parts}
    _exec(con, f"CREATE OR REPLACE TEMP TABLE _d_new_{table.name} AS {select}", params)
    _exec(con, f"INSERT INTO v.{table.name} SELECT {cols} FROM _d_new_{table.name}")
    return "apart" if apart else "merged"


def _build_reference(con: duckdb.DuckDBPyConnection, data_dir: Path, settings: Settings) -> list[str]:
    """channel_map, platform_map, targets and settings tables; problems found in them."""
    problems: list[str] = []
    rows = [(k, v, "default") for k, v in DEFAULT_CHANNEL_MAP.items()]
    rows += [(g, g, "group") for g in CHANNEL_GROUPS]
    user, bad = _read_reference(data_dir / "channel_map.csv", schema.CHANNEL_MAP)
    problems += bad
    for i, (raw, group) in enumerate(user):
        group = (group or "").strip().lower()
        if group not in CHANNEL_GROUPS:
            problems.append(
                f"channel_map.csv line {i + 2}: {group!r} is not a channel group ({', '.join(CHANNEL_GROUPS)})"
            )
            continue
        rows.append((raw.strip().lower(), group, "channel_map.csv"))
    con.execute("CREATE TEMP TABLE channel_rows (raw_key VARCHAR, channel VARCHAR, source VARCHAR, n INTEGER)")
    _insert(con, "INSERT INTO channel_rows VALUES (?, ?, ?, ?)", [(*r, i) for i, r in enumerate(rows)])
    # Later rows win: channel_map.csv (last line first) over group names over the defaults.
    con.execute(
        "CREATE TABLE v.channel_map AS SELECT raw_key, channel, source FROM channel_rows "
        "QUALIFY row_number() OVER (PARTITION BY raw_key ORDER BY n DESC) = 1"
    )
    con.execute("DROP TABLE channel_rows")
    con.execute("CREATE TABLE v.platform_map (raw_key VARCHAR, platform VARCHAR)")
    _insert(con, "INSERT INTO v.platform_map VALUES (?, ?)", list(PLATFORM_ALIASES.items()))
    targets, bad = _read_reference(data_dir / "targets.csv", schema.TARGETS)
    problems += bad
    con.execute("CREATE TABLE v.targets (month VARCHAR, metric VARCHAR, target DECIMAL(18, 2))")
    good_targets = []
    for i, (month, metric, target) in enumerate(targets):
        try:
            good_targets.append(
                (time.strftime("%Y-%m", time.strptime(month.strip(), "%Y-%m")), metric.strip(), float(target))
            )
        except (ValueError, AttributeError):
            problems.append(f"targets.csv line {i + 2}: expected month YYYY-MM and a numeric target")
    _insert(con, "INSERT INTO v.targets VALUES (?, ?, ?)", good_targets)
    con.execute("CREATE TABLE v.settings (key VARCHAR, value VARCHAR)")
    _insert(con, "INSERT INTO v.settings VALUES (?, ?)", [(k, json.dumps(v)) for k, v in asdict(settings).items()])
    return problems


def _read_reference(path: Path, table: Table) -> tuple[list[tuple[str, ...]], list[str]]:
    """Rows of a small reference CSV as text tuples, in file order."""
    if not path.is_file():
        return [], []
    try:
        text = path.read_text(encoding=detect_encoding(path))
    except FileRejected as exc:
        return [], [f"{path.name}: {exc}"]
    reader = csv.reader(io.StringIO(text))
    header = normalise_header(next(reader, []))
    missing = [c for c in table.required if c not in header]
    if missing:
        return [], [f"{path.name}: missing column {', '.join(missing)}; the file is ignored"]
    idx = [header.index(c) for c in table.required]
    rows = []
    for row in reader:
        if any(cell.strip() for cell in row):
            rows.append(tuple(row[i] if i < len(row) else "" for i in idx))
    return rows, []


def _build_files(
    con: duckdb.DuckDBPyConnection, cache: CachePaths, reports: list[FileReport], changed: set[str]
) -> None:
    """The data-health tables: one row per file, and every rejected row. ``rows_replaced`` is counted again
    for the tables in ``changed``; the others keep theirs."""
    con.execute(
        "CREATE TABLE v.files (file VARCHAR, table_name VARCHAR, status VARCHAR, message VARCHAR, "
        "encoding VARCHAR, rows_loaded BIGINT, rows_rejected BIGINT, duplicate_rows BIGINT, rows_replaced BIGINT, "
        "min_date DATE, max_date DATE, modified_at TIMESTAMP, size_bytes BIGINT, columns_ignored VARCHAR[], "
        "stale_part BOOLEAN, notes VARCHAR[], profile VARCHAR, stand_ins VARCHAR[])"
    )
    for name in sorted(changed):
        kept = dict(_exec(con, f"SELECT _file, count(*) FROM v.{name} GROUP BY _file").fetchall())
        for r in reports:
            if r.table == name:
                r.rows_replaced = max(0, r.rows_loaded - kept.get(r.rel, 0)) if r.part else 0
    _insert(
        con,
        "INSERT INTO v.files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, make_timestamp(? // 1000), ?, ?, ?, ?, ?, ?)",
        [
            [
                r.rel,
                r.table,
                r.status,
                r.message,
                r.encoding,
                r.rows_loaded,
                r.rows_rejected,
                r.duplicate_rows,
                r.rows_replaced,
                r.min_date,
                r.max_date,
                r.mtime_ns,
                r.size,
                r.columns_ignored,
                r.stale_part,
                r.notes,
                r.profile,
                r.stand_ins,
            ]
            for r in reports
        ],
    )
    con.execute(
        "CREATE TABLE v.rejects (file VARCHAR, table_name VARCHAR, line BIGINT, column_name VARCHAR, "
        "value VARCHAR, reason VARCHAR)"
    )
    for r in reports:
        if r.rejects_part and not r.stale_part and r.rows_rejected:
            con.execute(
                "INSERT INTO v.rejects SELECT $file, $table, line, column_name, value, reason "
                "FROM read_parquet($p) ORDER BY line",
                {"file": r.rel, "table": r.table, "p": str(cache.parts / r.rejects_part)},
            )


def _run_model(
    con: duckdb.DuckDBPyConnection,
    incremental: bool,
    appended: bool = False,
    members: bool = True,
    changed: set[str] | None = None,
) -> None:
    """The statements of queries/_model.sql then queries/_aggregates.sql, inside the version (``USE v``).

    A whole build runs each as written. An incremental one skips macros (already there), refreshes the
    tables with a ``refresh: <column> in <changed_set>`` line (rows of the changed set deleted, the
    statement's rows for it inserted; a ``stable key:`` column keeps its values and numbers new rows after
    the largest) and rebuilds every other table whole. ``appended``: the orders delta only added lines
    whose order ids no other file has (a new week): customers, customer_profile (unless ``members`` changed
    too), paid_orders and customer_days are then brought up to date from their rows for the changed
    customers and the added lines alone (``_append_customers``, ``_append_customer_profile``,
    ``_append_paid_orders``, ``_append_customer_days``) instead of from every line of the changed customers.

    A refreshed table's new rows for its changed set stay in the temp table ``_d_added_<table>`` until the
    ingest ends; a later statement whose input is that table restricted to the same set (or to a subset,
    ``SUBSETS``) reads them there instead of probing the whole table (``added``). After customers, the temp
    table changed_first_orders lists the customers whose first paid order changed (``_changed_first_orders``).
    ``changed``: the canonical tables the ingest changed; a table without ``refresh:`` is then rebuilt only
    when its statement names one of them, a model table written before it or a macro that reads tables (the
    reference tables are the same: a change to them means a whole build).
    """
    touched = set(changed) if changed is not None else None  # tables written by this ingest so far
    added: dict[str, tuple[str, str]] = {}  # table → (column, changed set) of the rows in _d_added_<table>
    for step in model_steps():
        if incremental and appended and step.table == "customers":
            _append_customers(con)
            added["customers"] = ("customer_id", "changed_first_orders")
        elif incremental and appended and not members and step.table == "customer_profile":
            _append_customer_profile(con, step)
            added["customer_profile"] = ("customer_id", "changed_customers")
        elif incremental and appended and step.table == "paid_orders":
            _append_paid_orders(con, step, added, profile_changed=not members)
        elif incremental and appended and not members and step.table == "customer_timeline":
            _append_customer_timeline(con, step)  # no _d_added_ rows: not in added
        elif incremental and appended and step.table == "customer_repeat":
            _append_customer_repeat(con, step)  # its _d_added_ rows are the rows written: not in added
        elif incremental and appended and step.table == "customer_days":
            _append_customer_days(con)  # its _d_added_ rows are those of customers with added paid lines
        elif not incremental or step.table is None:
            macro = re.match(r"create\s+(?:or\s+replace\s+)?(?:temp\s+)?macro\s+(\w+)", step.sql, re.I)
            if incremental and macro:
                if touched is not None and re.search(r"\bselect\b", step.sql, re.I):
                    touched.add(macro.group(1))  # it reads tables: a statement calling it may read changed ones
                continue
            _exec(con, step.sql)
        elif step.refresh is None:
            if touched is not None and not any(re.search(rf"\b{t}\b", step.select, re.I) for t in touched):
                continue  # its inputs are as they were: so is the table
            _exec(con, f"DROP TABLE IF EXISTS {step.table}")
            _exec(con, step.sql)
        else:
            _refresh(con, step, added)
            added[step.table] = step.refresh
        if touched is not None and step.table is not None:
            touched.add(step.table)
        if incremental and step.table == "customers":
            _changed_first_orders(con)


# Changed sets that are subsets of another: rows kept for the larger set serve the smaller one.
SUBSETS = {"changed_first_orders": "changed_customers"}
# Tables whose rows before a refresh are kept as _d_removed_<table> (rowid as _row), for a changed set that
# compares old and new rows.
KEEP_REMOVED = frozenset({"customers"})


@contextmanager
def _inputs(con: duckdb.DuckDBPyConnection, views: dict[str, str]) -> Iterator[None]:
    """Temp views named like model tables shadow them while a model statement runs (it reads the tables by
    their bare names): ``views`` maps each name to the SELECT standing in for it. Dropped afterwards."""
    try:
        for name, select in views.items():
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")
        yield
    finally:
        for name in views:
            con.execute(f"DROP VIEW IF EXISTS temp.main.{name}")


def _restricted(name: str, column: str, changed: str, added: dict[str, tuple[str, str]]) -> str:
    """SELECT of the rows of model table ``name`` whose ``column`` is in the temp table ``changed``."""
    only = f"{column} IN (SELECT * FROM {changed})"
    if added.get(name) in {(column, changed), (column, SUBSETS.get(changed))}:
        return f"SELECT * FROM _d_added_{name} WHERE {only}"
    return f"SELECT * FROM v.main.{name} WHERE {only}"


def _rows_of(con: duckdb.DuckDBPyConnection, name: str, column: str, keys: str, added: dict) -> str:
    """SELECT of the rows of model table ``name`` whose ``column`` is among the values ``keys`` (a SELECT of
    one column). Values in the set ``name`` was just refreshed for are read from its added rows; the whole
    table is probed only for the others, and only when there are any."""
    _exec(con, f"CREATE OR REPLACE TEMP TABLE _d_want_{name} AS SELECT DISTINCT * FROM ({keys}) AS w(k)")
    have = added.get(name)
    if not have or have[0] != column:
        return f"SELECT * FROM v.main.{name} WHERE {column} IN (SELECT k FROM _d_want_{name})"
    fresh = f"SELECT * FROM _d_added_{name} WHERE {column} IN (SELECT k FROM _d_want_{name})"
    rest = f"SELECT k FROM _d_want_{name} WHERE k NOT IN (SELECT c FROM {have[1]} AS t(c) WHERE c IS NOT NULL)"
    if con.execute(f"SELECT count(*) FROM ({rest})").fetchall() == [(0,)]:
        return fresh
    return f"{fresh} UNION ALL SELECT * FROM v.main.{name} WHERE {column} IN ({rest})"


_OF = re.compile(r"(\w+)\s+of\s+(\w+)\s+in\s+(\w+)\.(\w+)$", re.I)


def _refresh(con: duckdb.DuckDBPyConnection, step: ModelStep, added: dict[str, tuple[str, str]]) -> None:
    column, changed = step.refresh
    only = f"{column} IN (SELECT * FROM {changed})"
    rows = f"SELECT * FROM ({step.select}) AS _s WHERE _s.{only}"
    # Temp views named like the inputs shadow them while the statement runs. They are made one by one: an
    # input's rows may be chosen by an earlier one's ("order_lines of order_id in customers.first_order_id").
    names = []
    for item in step.inputs:
        name, _, by = item.partition(" by ")
        of = _OF.match(item)
        if of:
            name = of.group(1)
        names.append(name)
        if (name, changed) == ("orders", "changed_orders"):  # the rows of orders for changed_orders, as inserted
            view = "SELECT * FROM _d_new_orders"
        elif of:  # "<t> of <col> in <u>.<ucol>": t's rows whose col is among ucol of u (restricted above)
            view = _rows_of(con, name, of.group(2), f"SELECT {of.group(4)} FROM {of.group(3)}", added)
        elif by:  # every row of each <by> value that has a row in the changed set (e.g. all lines of an order)
            view = f"SELECT * FROM v.main.{name} WHERE {by} IN (SELECT {by} FROM v.main.{name} WHERE {only})"
        else:
            view = _restricted(name, column, changed, added)
        _exec(con, f"CREATE OR REPLACE TEMP VIEW {name} AS {view}")
    try:
        _refresh_rows(con, step, rows, only)
    finally:
        for name in names:
            con.execute(f"DROP VIEW IF EXISTS temp.main.{name}")


def _refresh_rows(con: duckdb.DuckDBPyConnection, step: ModelStep, rows: str, only: str) -> None:
    column, table = step.refresh[0], f"v.main.{step.table}"
    if step.stable_key is None:
        if step.table in KEEP_REMOVED:
            _exec(
                con,
                f"CREATE OR REPLACE TEMP TABLE _d_removed_{step.table} AS SELECT rowid AS _row, * FROM {table} "
                f"WHERE {only}",
            )
            _exec(con, f"DELETE FROM {table} WHERE rowid IN (SELECT _row FROM _d_removed_{step.table})")
        else:
            _exec(con, f"DELETE FROM {table} WHERE {only}")
        _exec(con, f"CREATE OR REPLACE TEMP TABLE _d_added_{step.table} AS {rows}")  # kept for later statements
        _exec(con, f"INSERT INTO {table} SELECT * FROM _d_added_{step.table}")
        return
    key, changed_keys = step.stable_key
    _exec(
        con,
        f"CREATE OR REPLACE TEMP TABLE _d_kept AS SELECT rowid AS _row, {column}, {key} FROM {table} WHERE {only}",
    )
    top = con.execute(f"SELECT coalesce(max({key}), 0) FROM {table}").fetchall()[0][0]
    _exec(con, f"DELETE FROM {table} WHERE rowid IN (SELECT _row FROM _d_kept)")
    numbered = (
        f"coalesce(k.{key}, {int(top)} + row_number() OVER (PARTITION BY k.{key} IS NULL ORDER BY r.{column})) AS {key}"
    )
    _exec(
        con,
        f"CREATE OR REPLACE TEMP TABLE _d_added_{step.table} AS SELECT r.* REPLACE ({numbered}) FROM ({rows}) AS r "
        f"LEFT JOIN _d_kept AS k ON k.{column} = r.{column}",
    )
    _exec(con, f"INSERT INTO {table} SELECT * FROM _d_added_{step.table}")
    _exec(
        con,
        f"CREATE OR REPLACE TEMP TABLE {changed_keys} AS SELECT {key} FROM _d_kept "
        f"UNION SELECT {key} FROM _d_added_{step.table}",
    )


def _append_customers(con: duckdb.DuckDBPyConnection) -> None:
    """customers after lines were only added: a customer's first paid order is the smaller of the one known
    and the first among the added paid lines (the ordering of queries/_model.sql's customers).

    Only customers whose first paid order may be an added one are touched: those without a paid order yet,
    and those whose first paid order day is not before the day of their first added paid line (a later day
    means a later time). customer_profile (one probe by customer_id, kept as ``_d_profile`` for
    ``_append_customer_profile``) tells which; customers is probed only for the second kind, and not at all
    when there are none (a new week after the history). ``_d_added_customers`` holds the rows of those
    customers: a superset of changed_first_orders."""
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_profile AS SELECT rowid AS _row, * FROM v.main.customer_profile "
        "WHERE customer_id IN (SELECT customer_id FROM changed_customers)",
    )
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_line_firsts AS SELECT customer_id, "
        "min({'t': order_time, 'o': order_id, 'c': channel, 'p': platform}) AS f "
        "FROM _d_added_order_lines WHERE is_paid GROUP BY customer_id",
    )
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_first_candidates AS SELECT a.customer_id, "
        "p.first_order_date IS NOT NULL AS known FROM _d_line_firsts AS a LEFT JOIN _d_profile AS p "
        "ON p.customer_id = a.customer_id WHERE p.first_order_date IS NULL "
        "OR p.first_order_date >= CAST(a.f.t AS DATE)",
    )
    known = "SELECT customer_id FROM _d_first_candidates WHERE known"
    probe = con.execute(f"SELECT count(*) FROM ({known})").fetchall() != [(0,)]
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_removed_customers AS SELECT rowid AS _row, * FROM v.main.customers "
        + (f"WHERE customer_id IN ({known})" if probe else "WHERE false"),
    )
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_added_customers AS SELECT customer_id, f.o AS first_order_id, "
        "f.t AS first_order_time, CAST(f.t AS DATE) AS first_order_date, f.c AS first_channel, "
        "f.p AS first_platform FROM (SELECT customer_id, min(f) AS f FROM ("
        "SELECT customer_id, {'t': first_order_time, 'o': first_order_id, 'c': first_channel, 'p': first_platform} "
        "AS f FROM _d_removed_customers "
        "UNION ALL SELECT customer_id, f FROM _d_line_firsts "
        "WHERE customer_id IN (SELECT customer_id FROM _d_first_candidates)) GROUP BY customer_id)",
    )
    _exec(con, "DELETE FROM v.main.customers WHERE rowid IN (SELECT _row FROM _d_removed_customers)")
    _exec(con, "INSERT INTO v.main.customers SELECT * FROM _d_added_customers")


def _append_customer_profile(con: duckdb.DuckDBPyConnection, step: ModelStep) -> None:
    """customer_profile after order lines were only added and members did not change: a known customer's row
    changes only where their first paid order day did (customers' first_order_date, for the customers in
    changed_first_orders); a customer with no row yet is new and no member (every member has a row), so
    their row is the statement's over their customers row and no members row, numbered after the largest
    key. ``_d_added_customer_profile`` holds the rows of every changed customer (for paid_orders), only
    the new or changed ones (``_d_changed_profile``) are written. changed_customer_keys lists the customers
    whose profile row or paid orders change: those of ``_d_changed_profile`` and those with an added paid
    line (a customer whose added lines are all unpaid changes in neither)."""
    key = step.stable_key[0] if step.stable_key else "customer_key"
    top = con.execute(f"SELECT coalesce(max({key}), 0) FROM v.main.customer_profile").fetchall()[0][0]
    new_customers = (
        "SELECT * FROM _d_added_customers AS c "
        "WHERE NOT EXISTS (SELECT 1 FROM _d_profile AS p WHERE p.customer_id = c.customer_id)"
    )
    with _inputs(con, {"customers": new_customers, "members": "SELECT * FROM v.main.members WHERE false"}):
        _exec(
            con,
            "CREATE OR REPLACE TEMP TABLE _d_added_customer_profile AS "
            "SELECT p.* EXCLUDE (_row) REPLACE (coalesce(c.first_order_date, p.first_order_date) AS first_order_date) "
            "FROM _d_profile AS p LEFT JOIN _d_added_customers AS c ON c.customer_id = p.customer_id "
            f"UNION ALL SELECT r.* REPLACE ({int(top)} + row_number() OVER (ORDER BY r.customer_id) AS {key}) "
            f"FROM ({step.select}) AS r",
        )
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_changed_profile AS SELECT * FROM _d_added_customer_profile "
        "EXCEPT ALL SELECT * EXCLUDE (_row) FROM _d_profile",
    )
    _exec(
        con,
        "DELETE FROM v.main.customer_profile WHERE rowid IN (SELECT _row FROM _d_profile "
        f"WHERE {key} IN (SELECT {key} FROM _d_changed_profile))",
    )
    _exec(con, "INSERT INTO v.main.customer_profile SELECT * FROM _d_changed_profile")
    _exec(
        con,
        f"CREATE OR REPLACE TEMP TABLE changed_customer_keys AS SELECT {key} FROM _d_changed_profile UNION "
        f"SELECT {key} FROM _d_added_customer_profile WHERE customer_id IN (SELECT customer_id FROM _d_line_firsts)",
    )


def _changed_first_orders(con: duckdb.DuckDBPyConnection) -> None:
    """The temp table changed_first_orders: customers whose first paid order changed — another order, none
    any more, a first one — or whose first order's lines changed (in changed_orders). A customer's row of
    customers is made of their first order's lines, so anything derived from a customer's first order
    (first_order_cells) changes for these customers alone."""
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE changed_first_orders AS SELECT customer_id FROM ("
        "SELECT coalesce(a.customer_id, r.customer_id) AS customer_id, a.first_order_id AS now, "
        "r.first_order_id AS was FROM _d_added_customers AS a "
        "FULL JOIN _d_removed_customers AS r ON r.customer_id = a.customer_id) "
        "WHERE now IS DISTINCT FROM was OR now IN (SELECT order_id FROM changed_orders)",
    )


def _append_paid_orders(
    con: duckdb.DuckDBPyConnection, step: ModelStep, added: dict[str, tuple[str, str]], profile_changed: bool = False
) -> None:
    """paid_orders after lines of new orders were only added: the statement over the added lines, and the
    changed customers' first_order_date where a new order came first (``profile_changed``: only the rows
    of ``_d_changed_profile`` can have another, see ``_append_customer_profile``)."""
    profile = _restricted("customer_profile", "customer_id", "changed_customers", added)
    firsts = "_d_changed_profile" if profile_changed else f"({profile})"
    _exec(
        con,
        "UPDATE v.main.paid_orders AS o SET first_order_date = p.first_order_date FROM (SELECT customer_key, "
        f"first_order_date FROM {firsts}) AS p WHERE o.customer_key = p.customer_key "
        "AND o.first_order_date IS DISTINCT FROM p.first_order_date",
    )
    with _inputs(con, {"order_lines": "SELECT * FROM _d_added_order_lines", "customer_profile": profile}):
        _exec(con, f"CREATE OR REPLACE TEMP TABLE _d_added_paid_orders AS {step.select}")
    _exec(con, f"INSERT INTO v.main.{step.table} SELECT * FROM _d_added_paid_orders")


def _append_customer_timeline(con: duckdb.DuckDBPyConnection, step: ModelStep) -> None:
    """customer_timeline after lines of new orders were only added and members did not change (after
    ``_append_customer_profile`` and ``_append_paid_orders``): the statement over the changed customers, fed
    from what the ingest already holds instead of probing paid_orders and customer_profile, and only the
    rows that can differ are rewritten.

    - paid_orders: the statement needs only each customer's paid orders and net revenue per day. The
      customers' days before are their rows with day_orders > 0 (one per order day: the row of an order
      day never ends the day it starts), read in the one probe of the table that finds their rows; each
      stands in as day_orders rows, the first with the day's revenue, the others with 0 (the statement's
      count(*) and sum per day are then those of the paid orders). The added orders are
      ``_d_added_paid_orders``.
    - customer_profile: ``_d_added_customer_profile``, every changed customer's row.
    - Rows written: a customer whose profile row did not change (not in ``_d_changed_profile``), and
      whose first added order day F comes after an order day they had, keeps every row that starts
      before L, their last order day before F. Those rows end by L, their next order day is at most L and
      their sums and last days count only events before L, none of which changed (added orders bring
      events on F or later). The rows from L on are deleted and the statement's rows from L on inserted;
      any other changed customer's rows are all replaced.
    - Days fed: the rows from L on depend only on the order days from ``first_day``, the earlier of the
      order day before L (the L row's prev_order_date) and L − 364 (the days in the 365-day window of L).
      The statement's rows before L, made of fewer days, are wrong and dropped. The rows written go
      straight into the table: there is no ``_d_added_customer_timeline`` for a later statement.
    """
    keys = "SELECT customer_key FROM changed_customer_keys"
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_removed_customer_timeline AS SELECT rowid AS _row, customer_key, "
        "from_date, day_orders, day_revenue, prev_order_date FROM v.main.customer_timeline "
        f"WHERE customer_key IN ({keys})",
    )
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_timeline_cut AS WITH firsts AS ("
        "SELECT customer_key, min(order_date) AS first_added FROM _d_added_paid_orders GROUP BY customer_key), "
        "cuts AS (SELECT r.customer_key, max(r.from_date) AS cut, "
        "max_by(r.prev_order_date, r.from_date) AS before_cut FROM _d_removed_customer_timeline AS r "
        "JOIN firsts AS f ON f.customer_key = r.customer_key WHERE r.day_orders > 0 "
        "AND r.from_date < f.first_added GROUP BY r.customer_key) "
        "SELECT k.customer_key, c.cut, least(coalesce(c.before_cut, c.cut), c.cut - 364) AS first_day "
        "FROM changed_customer_keys AS k LEFT JOIN cuts AS c ON c.customer_key = k.customer_key "
        "WHERE k.customer_key NOT IN (SELECT customer_key FROM _d_changed_profile)",
    )
    # The rows from a customer's cut on depend only on their order days from first_day on: the order days
    # in the 365 days up to the cut (the sums) and the one before the cut (the cut row's prev_order_date).
    paid_orders = (
        "SELECT customer_key, order_date, "
        "CASE WHEN i = 0 THEN net_revenue ELSE 0 END AS net_revenue FROM ("
        "SELECT r.customer_key, r.from_date AS order_date, r.day_revenue AS net_revenue, "
        "unnest(range(r.day_orders)) AS i FROM _d_removed_customer_timeline AS r "
        "LEFT JOIN _d_timeline_cut AS c ON c.customer_key = r.customer_key "
        "WHERE r.day_orders > 0 AND (c.first_day IS NULL OR r.from_date >= c.first_day)) "
        "UNION ALL SELECT customer_key, order_date, net_revenue FROM _d_added_paid_orders"
    )
    # the changed customers' profile rows, as a table (a filter in the statement's plan can turn into a
    # hash table over its half million rows), each with the customer's cut (_cut; -infinity: none)
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_timeline_profile AS SELECT p.*, coalesce(c.cut, DATE '-infinity') AS _cut "
        "FROM _d_added_customer_profile AS p LEFT JOIN _d_timeline_cut AS c ON c.customer_key = p.customer_key "
        f"WHERE p.customer_key IN ({keys})",
    )
    # rows rewritten: from the customer's cut on (all of them without a cut row or with a NULL cut)
    rewritten = "ANTI JOIN _d_timeline_cut AS c ON c.customer_key = {t}.customer_key AND {t}.from_date < c.cut"
    _exec(
        con,
        "DELETE FROM v.main.customer_timeline WHERE rowid IN (SELECT r._row FROM _d_removed_customer_timeline AS r "
        f"{rewritten.format(t='r')})",
    )
    # The statement's rows before each cut are dropped where it joins each row with its customer's profile
    # row (as a filter after the statement, the join built its hash table over the statement's rows), then
    # sorted once and inserted straight into the table (no later statement reads them: no temp table).
    select, cut = _TIMELINE_PROFILE_JOIN.subn(r"\g<0> and t.from_date >= p._cut", step.select, count=1)
    select, found = _TIMELINE_ORDER.subn("", select)
    rows = f"SELECT s.* FROM ({select}) AS s" + ("" if cut else f" {rewritten.format(t='s')}")
    # every input row is a changed customer's: no filter on the customers
    with _inputs(con, {"paid_orders": paid_orders, "customer_profile": "SELECT * FROM _d_timeline_profile"}):
        _exec(
            con,
            f"INSERT INTO v.main.customer_timeline {rows}" + (" ORDER BY s.to_date, s.from_date" if found else ""),
        )


def _append_customer_repeat(con: duckdb.DuckDBPyConnection, step: ModelStep) -> None:
    """customer_repeat after lines of new orders were only added (after ``_append_paid_orders``): a changed
    customer's first two paid orders (by time, then order_id) are their two before with the added ones.

    The statement over the added orders alone (``_d_repeat_added``) gives each customer's first added order
    day A. Their row before (one probe of the table by customer_key) then decides (``_d_repeat_cases``):
    ``new`` — no row: no paid order before, the row is the added orders' own; ``same`` — A after their
    second order day: the row stays; ``second`` — one order before and A after its day: that day and A;
    ``hard`` — anything else (an added order on or before a day they had): the statement over their paid
    orders (a probe of paid_orders, only when there are any).
    """
    keys = "SELECT customer_key FROM changed_customer_keys"
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_removed_customer_repeat AS SELECT rowid AS _row, * "
        f"FROM v.main.customer_repeat WHERE customer_key IN ({keys})",
    )
    with _inputs(con, {"paid_orders": "SELECT * FROM _d_added_paid_orders"}):
        _exec(con, f"CREATE OR REPLACE TEMP TABLE _d_repeat_added AS {step.select}")
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_repeat_cases AS SELECT k.customer_key, o._row, CASE "
        "WHEN a.customer_key IS NULL THEN 'hard' WHEN o._row IS NULL THEN 'new' "
        "WHEN o.second_order_date IS NOT NULL THEN "
        "CASE WHEN a.first_order_date > o.second_order_date THEN 'same' ELSE 'hard' END "
        "WHEN a.first_order_date > o.first_order_date THEN 'second' ELSE 'hard' END AS how "
        "FROM changed_customer_keys AS k LEFT JOIN _d_removed_customer_repeat AS o ON o.customer_key = k.customer_key "
        "LEFT JOIN _d_repeat_added AS a ON a.customer_key = k.customer_key",
    )
    rows = (
        "SELECT a.* FROM _d_repeat_added AS a JOIN _d_repeat_cases AS c ON c.customer_key = a.customer_key "
        "WHERE c.how = 'new' UNION ALL SELECT o.customer_key, o.first_order_date, a.first_order_date "
        "FROM _d_repeat_cases AS c JOIN _d_removed_customer_repeat AS o ON o._row = c._row "
        "JOIN _d_repeat_added AS a ON a.customer_key = c.customer_key WHERE c.how = 'second'"
    )
    hard = "SELECT customer_key FROM _d_repeat_cases WHERE how = 'hard'"
    if con.execute(f"SELECT count(*) FROM ({hard})").fetchall() != [(0,)]:
        with _inputs(con, {"paid_orders": f"SELECT * FROM v.main.paid_orders WHERE customer_key IN ({hard})"}):
            _exec(
                con,
                f"CREATE OR REPLACE TEMP TABLE _d_added_customer_repeat AS {rows} "
                f"UNION ALL SELECT * FROM ({step.select})",
            )
    else:
        _exec(con, f"CREATE OR REPLACE TEMP TABLE _d_added_customer_repeat AS {rows}")
    _exec(
        con,
        "DELETE FROM v.main.customer_repeat WHERE rowid IN "
        "(SELECT _row FROM _d_repeat_cases WHERE how <> 'same' AND _row IS NOT NULL)",
    )
    _exec(con, "INSERT INTO v.main.customer_repeat SELECT * FROM _d_added_customer_repeat")


# The sort at the end of queries/_model.sql's customer_timeline statement (the rows after the last order day
# last, then by to_date), and its join of each row with the customer's profile row.
_TIMELINE_ORDER = re.compile(
    r"\border\s+by\s+(?:t\.from_date\s*>\s*\([^()]*\([^()]*\)[^()]*\),\s*)?t\.to_date,\s*t\.from_date\s*$", re.I
)
_TIMELINE_PROFILE_JOIN = re.compile(
    r"\binner\s+join\s+customer_profile\s+as\s+p\s+on\s+p\.customer_key\s*=\s*t\.customer_key\b", re.I
)


def _append_customer_days(con: duckdb.DuckDBPyConnection) -> None:
    """customer_days after lines of new orders were only added: a changed customer's days are their days
    before (the table's rows, one probe by customer_key) with the added paid lines' distinct orders added
    (an added order is in no other row), and the previous and next days are taken again over them — the
    statement of queries/_aggregates.sql without reading the 10M order lines.

    Only customers with an added paid line get other rows (``_d_line_firsts``); their keys come from
    ``_d_added_customer_profile``, the rows of every changed customer (each customer with a paid line has
    one), so the table is probed by an integer, not by the text id."""
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_days_keys AS SELECT customer_key, customer_id FROM _d_added_customer_profile "
        "WHERE customer_id IN (SELECT customer_id FROM _d_line_firsts)",
    )
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_removed_customer_days AS SELECT rowid AS _row, customer_key, order_date, "
        "orders FROM v.main.customer_days WHERE customer_key IN (SELECT customer_key FROM _d_days_keys)",
    )
    # by customer_key throughout: fetching the text id of the probed rows would cost more than the probe
    _exec(
        con,
        "CREATE OR REPLACE TEMP TABLE _d_added_customer_days AS WITH days AS ("
        "SELECT customer_key, order_date, CAST(sum(orders) AS BIGINT) AS orders FROM ("
        "SELECT customer_key, order_date, orders FROM _d_removed_customer_days UNION ALL "
        "SELECT k.customer_key, l.order_date, count(DISTINCT l.order_id) FROM _d_added_order_lines AS l "
        "JOIN _d_days_keys AS k ON k.customer_id = l.customer_id "
        "WHERE l.is_paid AND l.order_date IS NOT NULL GROUP BY k.customer_key, l.order_date"
        ") GROUP BY customer_key, order_date), "
        "neighbours AS (SELECT order_date, customer_key, orders, lag(order_date) OVER w AS prev_date, "
        "lag(order_date, 2) OVER w AS prev2_date, lead(order_date) OVER w AS next_date "
        "FROM days WINDOW w AS (PARTITION BY customer_key ORDER BY order_date)) "
        "SELECT n.order_date, k.customer_id, n.orders, n.prev_date, n.prev2_date, n.next_date, n.customer_key "
        "FROM neighbours AS n JOIN _d_days_keys AS k ON k.customer_key = n.customer_key ORDER BY n.order_date",
    )
    _exec(con, "DELETE FROM v.main.customer_days WHERE rowid IN (SELECT _row FROM _d_removed_customer_days)")
    _exec(con, "INSERT INTO v.main.customer_days SELECT * FROM _d_added_customer_days")


@dataclass(frozen=True)
class ModelStep:
    """One statement of the model files, and what its comment block says about refreshing it."""

    sql: str
    table: str | None = None  # the table a ``create table <name> as <select>`` makes
    select: str = ""
    refresh: tuple[str, str] | None = None  # (column, changed set)
    # Input tables that may be restricted to the changed set before the statement runs: its author's word
    # that the statement's rows for the changed set come from those inputs' rows for it (a group-by on the
    # column, a row-wise select), which is much faster than filtering the statement's output.
    # "<table> by <column>": every row of each <column> value with a row in the changed set (the statement
    # needs all lines of an order that touches a changed day, say).
    inputs: tuple[str, ...] = ()
    stable_key: tuple[str, str] | None = None  # (key column, temp table of the keys changed)


_CREATE_TABLE = re.compile(r"create\s+table\s+(\w+)\s+as\s+(.*)\Z", re.I | re.S)
_REFRESH = re.compile(r"--\s*refresh:\s*(\w+)\s+in\s+(\w+)\s*$", re.I)
_INPUTS = re.compile(r"--\s*refresh inputs:\s*([\w, .]+)$", re.I)
_STABLE_KEY = re.compile(r"--\s*stable key:\s*(\w+),\s*changed keys in\s+(\w+)", re.I)


def model_steps() -> list[ModelStep]:
    """The statements of queries/_model.sql, then queries/_aggregates.sql, with their refresh annotations."""
    steps = []
    for path in MODEL_FILES:
        if not path.exists():
            continue
        notes: list[str] = []
        code = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("--"):
                notes.append(line.strip())
                continue
            code += line + "\n"
            while ";" in code:
                statement, code = code.split(";", 1)
                if statement.strip():
                    steps.append(_step(statement.strip(), notes))
                notes = []
        if code.strip():
            steps.append(_step(code.strip(), notes))
    return steps


def _step(sql: str, notes: list[str]) -> ModelStep:
    made = _CREATE_TABLE.match(sql)
    if not made:
        return ModelStep(sql)
    refresh = next((m.groups() for m in map(_REFRESH.match, notes) if m), None)
    stable = next((m.groups() for m in map(_STABLE_KEY.match, notes) if m), None)
    inputs = next((m.group(1) for m in map(_INPUTS.match, notes) if m), "")
    names = tuple(n.strip() for n in inputs.split(",") if n.strip())
    return ModelStep(
        sql,
        made.group(1),
        made.group(2),
        refresh,
        inputs=names if refresh else (),
        stable_key=stable if refresh else None,
    )


def model_digest() -> str:
    """A digest of the model's statements, not its comments (refresh lines change no row). Parsed again only
    when a model file's size or modification time moves: ``signature`` runs on every dashboard rerun."""
    stamps = tuple((str(p), *((p.stat().st_size, p.stat().st_mtime_ns) if p.exists() else ())) for p in MODEL_FILES)
    return _model_digest(stamps)


@functools.lru_cache(maxsize=8)
def _model_digest(stamps: tuple) -> str:
    h = hashlib.sha1()
    for statement in model_statements():
        h.update(statement.encode() + b";\n")
    return h.hexdigest()


def model_statements() -> list[str]:
    """The derived tables every query reads (queries/_model.sql, then queries/_aggregates.sql), one statement
    each."""
    return [step.sql for step in model_steps()]
