"""Contract tables pulled from a database the shop already runs (ERP, OMS, POS).

``settings.toml`` names, per contract table, a SQLAlchemy URL and a table or
query::

    [sources.orders]
    url = "postgresql+psycopg://storeops:${ERP_PASSWORD}@erp.internal/erp"
    query = "SELECT order_no AS order_id, created AS order_time, … FROM sales_lines"
    updated_at = "modified"      # optional: read only rows changed since the last pull
    profile = "my_erp"           # optional: map the columns with an import profile
    refresh_minutes = 15         # optional: how often the dashboard pulls again

Credentials never live in ``data/``: ``${NAME}`` in the URL is taken from the
environment, else from Streamlit secrets (``st.secrets["NAME"]``); a literal
password in the URL is refused. The rows go through exactly the validation,
quarantine and keys of a file (ingest treats the pull as a file named
``database:<table>``). With ``updated_at``, each pull reads the rows whose
value is at or after the highest one seen, and they replace the earlier rows
with the same key.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import re
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from storeops import schema

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?")
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
KEYS = {"url", "table", "query", "updated_at", "profile", "refresh_minutes"}
BATCH = 50_000


class SourceError(Exception):
    """A database source cannot be read; the message says why."""


@dataclass(frozen=True)
class DbSource:
    table: str  # the contract table it feeds
    url: str  # may hold ${NAME} placeholders
    query: str
    updated_at: str | None = None
    profile: str | None = None
    refresh_minutes: int = 15

    @property
    def rel(self) -> str:
        """How the source is named on the data-health page, like a file."""
        return f"database:{self.table}"

    def shown_url(self) -> str:
        """The URL as written in settings.toml (placeholders unexpanded), any password masked."""
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", self.url)


def parse(raw: object) -> tuple[list[DbSource], list[str]]:
    """The ``[sources.*]`` sections of settings.toml, and the problems found in them."""
    if raw is None:
        return [], []
    if not isinstance(raw, dict):
        return [], ["settings.toml: [sources] must hold one [sources.<table>] section per table"]
    found, problems = [], []
    for table, spec in raw.items():
        where = f"settings.toml [sources.{table}]"
        if table not in schema.TABLES:
            problems.append(f"{where}: {table!r} is not a table ({', '.join(schema.TABLES)}); ignored")
            continue
        if not isinstance(spec, dict):
            problems.append(f"{where}: must be a section with url and table or query; ignored")
            continue
        unknown = set(spec) - KEYS
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; ignored")
            continue
        url, name, query = spec.get("url"), spec.get("table"), spec.get("query")
        if not isinstance(url, str) or not url:
            problems.append(f"{where}: url is missing; ignored")
            continue
        if bool(name) == bool(query):
            problems.append(f"{where}: give either table or query; ignored")
            continue
        if name and not (isinstance(name, str) and IDENTIFIER.fullmatch(name)):
            problems.append(f"{where}: table {name!r} is not a plain table name; ignored")
            continue
        updated_at = spec.get("updated_at")
        if updated_at is not None and not (isinstance(updated_at, str) and IDENTIFIER.fullmatch(updated_at)):
            problems.append(f"{where}: updated_at {updated_at!r} is not a plain column name; ignored")
            continue
        if _literal_password(url):
            problems.append(
                f"{where}: the URL holds a password; put it in an environment variable or Streamlit secret "
                "and write ${NAME} in its place (files in data/ are not a place for credentials); ignored"
            )
            continue
        refresh = spec.get("refresh_minutes", 15)
        if not isinstance(refresh, int) or isinstance(refresh, bool) or refresh < 1:
            problems.append(f"{where}: refresh_minutes must be a whole number ≥ 1; 15 used")
            refresh = 15
        found.append(
            DbSource(
                table=table,
                url=url,
                query=query or f"SELECT * FROM {name}",  # noqa: S608 - name matched IDENTIFIER above
                updated_at=updated_at,
                profile=spec.get("profile"),
                refresh_minutes=refresh,
            )
        )
    return found, problems


def load(data_dir: Path) -> tuple[list[DbSource], list[str]]:
    """The database sources of ``data_dir/settings.toml`` (problems with the file itself are reported by
    ``storeops.settings``)."""
    path = Path(data_dir) / "settings.toml"
    if not path.is_file():
        return [], []
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return [], []
    return parse(raw.get("sources"))


def _literal_password(url: str) -> bool:
    from sqlalchemy.engine import make_url

    try:
        password = make_url(PLACEHOLDER.sub("x", url)).password
    except Exception:
        return False
    if password is None:
        return False
    userinfo = url.split("://", 1)[-1].split("@", 1)[0] if "@" in url else ""
    return ":" in userinfo and not PLACEHOLDER.fullmatch(userinfo.split(":", 1)[1])


def resolve_url(url: str) -> str:
    """The URL with each ${NAME} replaced from the environment or Streamlit secrets."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in os.environ:
            return os.environ[name]
        secret = _secret(name)
        if secret is None:
            raise SourceError(f"${{{name}}} is not set: define the environment variable or a Streamlit secret")
        return secret

    return PLACEHOLDER.sub(value, url)


def _secret(name: str) -> str | None:
    try:
        import streamlit as st

        return str(st.secrets[name]) if name in st.secrets else None
    except Exception:
        return None


def time_bucket(sources: list[DbSource], now: float | None = None) -> str:
    """Changes every refresh interval, so the cache signature asks for a new pull."""
    now = time.time() if now is None else now
    return ";".join(f"{s.rel}|{s.url}|{s.query}|{int(now // (s.refresh_minutes * 60))}" for s in sources)


def fetch(source: DbSource, since: object | None) -> tuple[list[str], list[list[str | None]], object | None]:
    """(column names, rows as text with the row number first, highest updated_at) of one pull."""
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(resolve_url(source.url))
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(f"cannot use {source.shown_url()}: {exc}") from None
    # The query is the shop's own, run on its own database with its own credentials.
    sql = f"SELECT * FROM ({source.query}) AS storeops_source"  # noqa: S608
    params = {}
    if source.updated_at and since is not None:
        # The column name was checked against IDENTIFIER; the value is bound.
        sql += f" WHERE {source.updated_at} >= :since"
        params["since"] = since
    try:
        with engine.connect() as con:
            result = con.execution_options(stream_results=True).execute(sa.text(sql), params)
            header = list(result.keys())
            at = _position(header, source.updated_at)
            rows, high, n = [], since, 0
            for batch in iter(lambda: result.fetchmany(BATCH), []):
                for record in batch:
                    n += 1
                    rows.append([str(n), *(_text(v) for v in record)])
                    if at is not None and record[at] is not None and (high is None or record[at] > high):
                        high = record[at]
    except Exception as exc:
        raise SourceError(f"reading {source.shown_url()} failed: {str(exc).splitlines()[0]}") from None
    finally:
        engine.dispose()
    if source.updated_at and at is None:
        raise SourceError(f"the query has no column {source.updated_at!r} (updated_at)")
    return header, rows, high


def _position(header: list[str], name: str | None) -> int | None:
    if name is None:
        return None
    lowered = [h.lower() for h in header]
    return lowered.index(name.lower()) if name.lower() in lowered else None


def _text(value: object) -> str | None:
    """A database value as the text a CSV export would hold."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def cursor_to_json(value: object) -> dict | None:
    """The highest updated_at, for the manifest (typed, so the next pull binds the same type)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, int | float):
        return {"number": value}
    return {"text": str(value)}


def cursor_from_json(data: dict | None) -> object | None:
    if not data:
        return None
    ((kind, value),) = data.items()
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    return value
