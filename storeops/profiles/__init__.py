"""Import profiles: how a platform's export maps onto a contract table.

A profile is a small TOML file — built in here (``storeops/profiles/*.toml``)
or the user's own in ``data/profiles/*.toml`` (a user profile with a built-in's
``name`` replaces it). It says:

- ``table``: the contract table the export feeds; ``match``: the columns whose
  presence in a header row recognises the export (trimmed, case-insensitive,
  ``*`` a wildcard, e.g. ``Amount spent (*)``). The header may sit below title
  lines; the first profile whose ``match`` fits wins, most specific first.
- ``[columns]``: contract column = source column; ``{ divide = [a, b] }`` or
  ``{ subtract = [a, b] }`` of two numeric columns; or a list of those (the
  first one present in the file and non-empty in the row).
- ``[constants]``: contract columns the export never carries, as fixed values
  (``platform = "tmall"``); also the value of a mapped column's empty cells.
- ``[values.<column>]``: value maps applied before typing
  (``"交易成功" = "paid"``); unmapped values pass through unchanged.
- ``[order_level]``: ``key`` plus ``fill_down`` (cells written on an order's
  first line only, copied to its other lines) and ``first_line_only`` (order
  totals such as a refund: kept on the first line, 0 on the others, so the
  order's total is counted once).
- ``[spread]``: a report that covers a date range instead of days is spread
  evenly over the range's days. The range comes from the lines above the
  header (``start``/``end`` regular expressions with one group), the file name
  (``file``: two groups), or per row (from the ``date`` column to
  ``end_column``); dates in ``format`` (strptime, one or a list) or ISO.
- ``sheet``: the workbook sheet an ``.xlsx`` export keeps its table on.
- ``stand_ins``: for each required contract column the export never provides,
  a sentence saying what stands in (shown on the data-health page).

All values from a profile reach SQL as bound parameters; source column names
only ever select a position in the file.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from storeops import schema, values

BUILT_IN = Path(__file__).resolve().parent

# Source columns of a contract column: a name, an operation on two, or a list of alternatives.
ColumnSpec = str | dict[str, list[str]] | list[str | dict[str, list[str]]]
OPERATIONS = {"divide": "/", "subtract": "-"}


@dataclass(frozen=True)
class Spread:
    start: str | None = None  # regex over the lines above the header
    end: str | None = None
    file: str | None = None  # regex over the file name, two groups
    end_column: str | None = None  # per row: from the date column to this one
    format: str | list[str] | None = None  # strptime layout(s) of the range's dates; ISO when absent


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    table: str
    match: tuple[str, ...]
    columns: dict[str, ColumnSpec]
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    order_key: str | None = None
    fill_down: tuple[str, ...] = ()
    first_line_only: tuple[str, ...] = ()
    spread: Spread | None = None
    stand_ins: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None  # the workbook sheet to read (.xlsx); the first sheet when absent
    source: str = ""  # where the export's format is documented
    path: str = ""

    def matches(self, header: list[str]) -> bool:
        names = normalise(header)
        return all(find(names, pattern) is not None for pattern in self.match)


def normalise(header: list[str]) -> list[str]:
    return [" ".join(str(n or "").replace("\ufeff", "").split()).lower() for n in header]


def find(names: list[str], pattern: str) -> int | None:
    """Position of the first header name matching ``pattern`` (case-insensitive, ``*`` wildcard)."""
    wanted = " ".join(pattern.split()).lower()
    for i, name in enumerate(names):
        if name == wanted or ("*" in wanted and fnmatch.fnmatchcase(name, wanted)):
            return i
    return None


class ProfileError(ValueError):
    pass


def parse(text: str, path: str = "") -> Profile:
    """A Profile from TOML text; ProfileError says what is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"not valid TOML ({exc})") from None
    unknown = set(raw) - {
        "name", "label", "table", "match", "columns", "constants", "values", "order_level", "spread",
        "stand_ins", "source", "sheet",
    }  # fmt: skip
    if unknown:
        raise ProfileError(f"unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("name", "table", "match", "columns"):
        if key not in raw:
            raise ProfileError(f"{key!r} is missing")
    table = schema.TABLES.get(raw["table"])
    if table is None:
        raise ProfileError(f"table {raw['table']!r} is not one of {', '.join(schema.TABLES)}")
    if not isinstance(raw["match"], list) or not raw["match"] or not all(isinstance(m, str) for m in raw["match"]):
        raise ProfileError("'match' must be a non-empty list of column names")
    columns = raw["columns"]
    constants = {k: str(v) for k, v in raw.get("constants", {}).items()}
    for name in [*columns, *constants, *raw.get("values", {})]:
        if name not in table.names:
            raise ProfileError(f"{name!r} is not a column of {table.name} ({', '.join(table.names)})")
    for name, spec in columns.items():
        if not all(_valid_term(term) for term in (spec if isinstance(spec, list) and spec else [spec])):
            raise ProfileError(
                f"columns.{name} must be a column name, {{ divide = [a, b] }}, {{ subtract = [a, b] }} "
                "or a list of those"
            )
    spread = raw.get("spread")
    missing = [c for c in table.required if c not in columns and c not in constants]
    if table.date_column in missing and spread:
        missing.remove(table.date_column)
    if missing:
        raise ProfileError(f"required column(s) {', '.join(missing)} of {table.name} are not mapped")
    order = raw.get("order_level", {})
    # Keys are compared with the cell as ingest cleans it: trimmed, lower-cased, codes folded to half width.
    maps = {
        col: {(values.fold_text(k) if col in values.FOLDED else k).strip().lower(): str(v) for k, v in m.items()}
        for col, m in raw.get("values", {}).items()
    }
    try:
        spread_obj = Spread(**spread) if spread else None
    except TypeError as exc:
        raise ProfileError(f"spread: {exc}") from None
    if spread_obj:
        for pattern in (spread_obj.start, spread_obj.end, spread_obj.file):
            if pattern:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ProfileError(f"spread: {pattern!r} is not a regular expression ({exc})") from None
    return Profile(
        name=str(raw["name"]),
        label=str(raw.get("label", raw["name"])),
        table=table.name,
        match=tuple(raw["match"]),
        columns=columns,
        constants=constants,
        values=maps,
        order_key=order.get("key"),
        fill_down=tuple(order.get("fill_down", ())),
        first_line_only=tuple(order.get("first_line_only", ())),
        spread=spread_obj,
        stand_ins={str(k): str(v) for k, v in raw.get("stand_ins", {}).items()},
        sheet=str(raw["sheet"]) if "sheet" in raw else None,
        source=str(raw.get("source", "")),
        path=path,
    )


def _valid_term(term: object) -> bool:
    if isinstance(term, str):
        return True
    if isinstance(term, dict) and len(term) == 1:
        ((op, args),) = term.items()
        return op in OPERATIONS and isinstance(args, list) and len(args) == 2 and all(isinstance(a, str) for a in args)
    return False


def load(data_dir: Path | None = None) -> tuple[list[Profile], list[str]]:
    """Built-in profiles plus the user's (``data/profiles/*.toml``), most specific first; problems found."""
    found: dict[str, Profile] = {}
    problems = []
    paths = sorted(BUILT_IN.glob("*.toml"))
    if data_dir is not None:
        paths += sorted((Path(data_dir) / "profiles").glob("*.toml"))
    for path in paths:
        shown = path.name if path.parent == BUILT_IN else f"profiles/{path.name}"
        try:
            profile = parse(path.read_text(encoding="utf-8-sig"), shown)
        except (ProfileError, UnicodeDecodeError) as exc:
            problems.append(f"{shown}: {exc}; this profile is not used")
            continue
        found[profile.name] = profile
    # More match columns = more specific: tried first.
    return sorted(found.values(), key=lambda p: (-len(p.match), p.name)), problems


def recognise(header: list[str], profiles: list[Profile], table: str | None = None) -> Profile | None:
    for profile in profiles:
        if (table is None or profile.table == table) and profile.matches(header):
            return profile
    return None


def fingerprint(data_dir: Path) -> str:
    """Changes when a user profile is added, removed or edited (built-ins change with the code)."""
    parts = []
    for path in sorted((Path(data_dir) / "profiles").glob("*.toml")):
        st = path.stat()
        parts.append(f"{path.name}|{st.st_size}|{st.st_mtime_ns}")
    return ";".join(parts)


def spread_range(profile: Profile, preamble: list[str], file_name: str) -> tuple[dt.date, dt.date] | None:
    """The date range of a range report, from the lines above its header or its file name."""
    s = profile.spread
    if s is None:
        return None
    start = end = None
    text = "\n".join(preamble)
    if s.start and s.end:
        m1, m2 = re.search(s.start, text, re.M), re.search(s.end, text, re.M)
        if m1 and m2:
            start, end = m1.group(1), m2.group(1)
    if (start is None) and s.file:
        m = re.search(s.file, file_name)
        if m:
            start, end = m.group(1), m.group(2)
    if start is None or end is None:
        return None
    first, last = _date(start, s.format), _date(end, s.format)
    return (first, last) if first and last and first <= last else None


def _date(text: str, formats: str | list[str] | None) -> dt.date | None:
    for layout in [formats] if isinstance(formats, str) else formats or []:
        try:
            return dt.datetime.strptime(text.strip(), layout).date()
        except ValueError:
            continue
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


@dataclass
class Mapping:
    """A profile applied to one file's header: SQL over the raw text columns ``c0…cN``.

    ``sources``: contract column → SQL text expression; ``params``: the values they bind; ``absent``: mapped
    contract columns the file does not have; ``used``: positions read.
    """

    sources: dict[str, str] = field(default_factory=dict)
    params: dict[str, object] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)


def apply(profile: Profile, header: list[str]) -> Mapping:
    names = normalise(header)
    m = Mapping()

    def position(name: str) -> int | None:
        i = find(names, name)
        if i is not None:
            m.used.add(i)
        return i

    def term(spec: str | dict[str, list[str]]) -> str | None:
        if isinstance(spec, str):
            i = position(spec)
            return None if i is None else f"nullif(trim(c{i}), {EMPTY})"
        ((op, args),) = spec.items()
        a, b = (position(x) for x in args)
        if a is None or b is None:
            return None
        # Typed here and back to text, for the column's own typing (a unit price from total / quantity).
        x, y = (values.number(values.cell(f"c{i}")) for i in (a, b))
        y = f"nullif({y}, 0)" if op == "divide" else y
        return f"CAST(round({x} {OPERATIONS[op]} {y}, 6) AS VARCHAR)"

    for column, spec in profile.columns.items():
        found = [e for e in (term(t) for t in (spec if isinstance(spec, list) else [spec])) if e is not None]
        if not found:
            m.absent.append(column)
        else:
            m.sources[column] = found[0] if len(found) == 1 else f"coalesce({', '.join(found)})"
    for column, value in profile.constants.items():
        # A constant stands in for a column the export lacks, and for its empty cells.
        given = m.sources.get(column)
        m.sources[column] = f"coalesce({given}, $const_{column})" if given else f"$const_{column}"
        m.params[f"const_{column}"] = value
    for column, mapping in profile.values.items():
        m.params[f"map_{column}_from"] = list(mapping)
        m.params[f"map_{column}_to"] = list(mapping.values())
    return m


EMPTY = "''"
