"""``python -m storeops demo|check|ingest|metrics|export|report|push|refresh|bench``.

Every command takes ``--data DIR`` (default: ``$STOREOPS_DATA`` or ``data/``).
``metrics``, ``export`` and ``report`` take ``--engine URL`` to run the
queries on PostgreSQL or Spark instead of the embedded DuckDB cache; ``push
--engine URL`` puts the validated tables there first; ``refresh --engine URL``
builds them there from the shop's own tables named in settings.toml
(``[engine.tables]``) instead (docs/scaling.md).
``export`` writes one of the pages' tables as CSV (UTF-8 with a BOM, so Excel
opens the Chinese names; an empty cell where a value is not computable).
``report`` writes the weekly (or monthly) review as self-contained HTML or an
A4 PDF: ``report --week 2024-W27 --lang zh -o report.pdf``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

from storeops.channels import CHANNEL_GROUPS
from storeops.periods import COMPARISONS, Period


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _data_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("STOREOPS_DATA", "data")),
        help="folder of table files (default: $STOREOPS_DATA or data/)",
    )


def _engine_arg(p: argparse.ArgumentParser, required: bool = False) -> None:
    p.add_argument(
        "--engine",
        required=required,
        default=None,
        metavar="URL",
        help="where the queries run: duckdb (default), postgresql+psycopg://…, spark:local[N] or sc://host:port "
        "(default: $STOREOPS_ENGINE, else engine in settings.toml; see docs/scaling.md)",
    )


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m storeops", description="storeops command line")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="generate the demo data set")
    _data_arg(p)
    p.add_argument("--order-lines", type=int, default=300_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--end", type=_date, default=None, help="last day of the data (default: yesterday)")

    p = sub.add_parser("check", help="validate data/ without changing anything; exit 1 on any rejection")
    _data_arg(p)
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("ingest", help="bring the cache up to date with data/")
    _data_arg(p)

    p = sub.add_parser("metrics", help="print the headline metrics as JSON")
    _data_arg(p)
    p.add_argument("--start", type=_date, required=True)
    p.add_argument("--end", type=_date, required=True)
    p.add_argument("--channel", action="append", default=[], choices=CHANNEL_GROUPS, metavar="CHANNEL")
    p.add_argument("--platform", action="append", default=[])
    p.add_argument("--category", action="append", default=[])
    p.add_argument("--compare", choices=COMPARISONS, default="previous")
    _engine_arg(p)

    p = sub.add_parser("export", help="write a page's table as CSV: channels | reorder | segments")
    p.add_argument("kind", choices=EXPORTS, help="channels needs --start/--end; reorder and segments need --as-of")
    _data_arg(p)
    p.add_argument("--start", type=_date)
    p.add_argument("--end", type=_date)
    p.add_argument("--as-of", type=_date, help="the day the table describes (default: the latest day in the data)")
    p.add_argument("-o", "--output", required=True, help="CSV file to write ('-' for standard output)")
    _engine_arg(p)

    p = sub.add_parser("report", help="write the weekly review as .html or .pdf")
    _data_arg(p)
    when = p.add_mutually_exclusive_group()
    when.add_argument("--week", help="ISO week, e.g. 2024-W27 (default: the last complete week in the data)")
    when.add_argument("--month", help="a month instead, e.g. 2024-07 (month to date when it is not over)")
    p.add_argument("--compare", choices=COMPARISONS, default="previous", help="what the change is explained against")
    p.add_argument("--lang", choices=("en", "zh"), default=None, help="default: the language in settings.toml")
    p.add_argument("-o", "--output", required=True, help="report.html or report.pdf")
    _engine_arg(p)

    p = sub.add_parser("push", help="validate data/ as ingest does, then copy the tables into an engine")
    _data_arg(p)
    _engine_arg(p)
    p = sub.add_parser(
        "refresh", help="build storeops' tables on an engine from the tables settings.toml names ([engine.tables])"
    )
    _data_arg(p)
    _engine_arg(p)
    p = sub.add_parser("bench", help="benchmark ingest and every page at a size; writes bench/RESULTS.md")
    p.add_argument("--order-lines", type=int, default=1_000_000)
    p.add_argument("--work", type=Path, default=None, help="where the data and cache go (default bench/out/N)")
    p.add_argument("--out", type=Path, default=None, help="where RESULTS.md and results.json go (default bench/)")
    return ap


# export kind → whether it describes a period (--start/--end) or a day (--as-of)
EXPORTS = {"channels": "period", "reorder": "as_of", "segments": "as_of"}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handler = {
        "demo": cmd_demo,
        "check": cmd_check,
        "ingest": cmd_ingest,
        "metrics": cmd_metrics,
        "export": cmd_export,
        "report": cmd_report,
        "bench": cmd_bench,
        "push": cmd_push,
        "refresh": cmd_refresh,
    }[args.command]
    from storeops.engines import EngineError

    try:
        return handler(args)
    except (FileNotFoundError, FileExistsError, ValueError, EngineError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from storeops.sample import generate

    summary = generate(args.data, order_lines=args.order_lines, seed=args.seed, end=args.end, progress=_progress)
    print(json.dumps(summary, ensure_ascii=False, indent=1, default=str))
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from storeops.ingest import ingest

    result = ingest(args.data, progress=_progress)
    loaded = sum(r.rows_loaded for r in result.reports if r.status == "loaded")
    print(
        f"{len(result.reports)} files, {loaded} rows loaded, {result.rejected_rows} rows rejected, "
        f"{len(result.rejected_files)} files rejected ({result.seconds:.1f} s{'' if result.changed else ', no change'})"
    )
    for r in result.rejected_files:
        print(f"  rejected {r.rel}: {r.message}")
    for problem in result.problems:
        print(f"  {problem}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Read every file exactly as ingest would, into a throw-away cache."""
    from storeops.ingest import CachePaths, discover, ingest

    data = Path(args.data).resolve()
    if not data.is_dir():
        raise FileNotFoundError(f"data folder {data} does not exist")
    with tempfile.TemporaryDirectory(prefix="storeops-check-") as tmp:
        result = ingest(data, CachePaths.for_data(data, Path(tmp) / "check.duckdb"))
        rejects = _rejects(Path(tmp) / "check.duckdb")
    bad = bool(result.rejected_files or result.rejected_rows or result.problems)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "ok": not bad,
                    "files": [
                        {
                            k: getattr(r, k)
                            for k in (
                                "rel",
                                "table",
                                "profile",
                                "status",
                                "message",
                                "encoding",
                                "rows_loaded",
                                "rows_rejected",
                                "duplicate_rows",
                                "rows_replaced",
                                "min_date",
                                "max_date",
                                "columns_ignored",
                                "notes",
                            )
                        }
                        for r in result.reports
                    ],
                    "rejected_rows": rejects,
                    "problems": result.problems,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 1 if bad else 0
    if not discover(data):
        print(f"no table files in {data}")
    for r in result.reports:
        if r.status == "rejected":
            print(f"REJECTED {r.rel}: {r.message}")
            continue
        span = f", {r.min_date}..{r.max_date}" if r.min_date else ""
        kind = f"{r.table}, {r.profile}" if r.profile else r.table
        print(f"ok       {r.rel} [{kind}]: {r.rows_loaded} rows loaded, {r.rows_rejected} rejected{span}")
        if r.duplicate_rows:
            print(f"         {r.duplicate_rows} exact duplicate rows (kept)")
        if r.rows_replaced:
            print(f"         {r.rows_replaced} rows replaced by a newer file")
        if r.columns_ignored:
            print(f"         columns ignored: {', '.join(r.columns_ignored)}")
        for note in r.notes:
            print(f"         {note}")
    for row in rejects:
        print(f"  {row['file']} line {row['line']}: {row['column']} = {row['value']!r}: {row['reason']}")
    for problem in result.problems:
        print(f"  {problem}")
    return 1 if bad else 0


def _rejects(db: Path) -> list[dict]:
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("ATTACH $p AS c (READ_ONLY)", {"p": str(db)})
        rows = con.execute(
            "SELECT file, line, column_name, value, reason FROM c.rejects ORDER BY file, line"
        ).fetchall()
    finally:
        con.close()
    return [dict(zip(("file", "line", "column", "value", "reason"), r, strict=True)) for r in rows]


def cmd_metrics(args: argparse.Namespace) -> int:
    from storeops.engines import open_store
    from storeops.filters import Filters
    from storeops.metrics import report

    if args.end < args.start:
        raise ValueError("--end is before --start")
    store = open_store(args.data, args.engine)
    store.refresh(wait=True)
    filters = Filters(tuple(args.channel), tuple(args.platform), tuple(args.category))
    print(json.dumps(report(store, Period(args.start, args.end), args.compare, filters), ensure_ascii=False, indent=1))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from storeops.engines import open_store

    store = open_store(args.data, args.engine)
    store.refresh(wait=True)
    if EXPORTS[args.kind] == "period":
        if args.start is None or args.end is None:
            raise ValueError(f"export {args.kind} needs --start and --end")
        if args.end < args.start:
            raise ValueError("--end is before --start")
        period = Period(args.start, args.end)
    else:
        span = store.data_range()
        if args.as_of is None and span is None:
            raise ValueError(f"no data in {args.data}: nothing to export")
        as_of = args.as_of or span[1]
    if args.kind == "channels":
        from storeops.roi import export_channels

        frame = export_channels(store, period)
    elif args.kind == "reorder":
        from storeops.inventory import export_reorder

        frame = export_reorder(store, as_of)
    else:
        from storeops.members import export_segments

        frame = export_segments(store, as_of)
    if args.output == "-":
        frame.to_csv(sys.stdout, index=False, na_rep="")
    else:
        frame.to_csv(args.output, index=False, na_rep="", encoding="utf-8-sig")
        print(f"{len(frame)} rows written to {args.output}", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from storeops import fmt, report, review
    from storeops.engines import open_store
    from storeops.settings import load_settings

    if Path(args.output).suffix.lower() not in (".html", ".htm", ".pdf"):
        raise ValueError(f"{args.output}: the report is written as .html or .pdf")
    store = open_store(args.data, args.engine)
    store.refresh(wait=True)
    settings = load_settings(store.data_dir)[0]
    fmt.set_currency(settings.currency)
    lang = args.lang or settings.language
    r = review.build(store, week=args.week, month=args.month, compare=args.compare)
    path = report.write(r, lang, args.output)
    print(f"{r.label} ({r.period.start} – {r.period.end}) written to {path}", file=sys.stderr)
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from storeops.engines import EngineError, configured, shown
    from storeops.engines.push import push

    url = configured(args.data, args.engine)
    if url is None:
        raise EngineError("push needs --engine URL (or STOREOPS_ENGINE / engine in settings.toml) other than duckdb")
    from storeops.engines.tables import configured_tables

    if configured_tables(args.data):
        raise EngineError(
            "settings.toml names the engine's own tables ([engine.tables]): run refresh to build from them "
            "(push would replace them with a copy of data/)"
        )
    result = push(args.data, url, progress=_progress)
    ingest = result["ingest"]
    print(
        f"{result['tables']} tables written to {shown(url)} in {result['seconds']:.1f} s "
        f"({ingest.rejected_rows} rows rejected, {len(ingest.rejected_files)} files rejected)"
    )
    for r in ingest.rejected_files:
        print(f"  rejected {r.rel}: {r.message}")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from storeops.engines import EngineError, configured, shown
    from storeops.engines.refresh import refresh

    url = configured(args.data, args.engine)
    if url is None:
        raise EngineError("refresh needs --engine URL (or STOREOPS_ENGINE / engine in settings.toml) other than duckdb")
    result = refresh(args.data, url, progress=_progress)
    rows = ", ".join(f"{t} {n:,} rows from {result['sources'][t]}" for t, n in result["rows"].items())
    print(f"built on {shown(url)} in {result['seconds']:.1f} s: {rows}")
    for problem in result["problems"]:
        print(f"  {problem}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bench.run import run

    results = run(args.order_lines, work=args.work, out=args.out, progress=_progress)
    failed = [s["measure"] for s in results["summary"] if s["met"] is False]
    print(f"{len(results['summary'])} measures, {len(failed)} targets missed: {', '.join(failed) or 'none'}")
    return 0
