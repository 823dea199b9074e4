"""The benchmark run: data, measures, cross-check, RESULTS.md and results.json (see bench/__init__.py)."""

from __future__ import annotations

import datetime as dt
import json
import math
import platform
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
END = dt.date(2024, 6, 30)  # a fixed end date: the same data on every machine
TOLERANCE = 0.011  # money to the cent; counts and rates exactly (within float noise)

# (measure, target ratio or limit, how to read it)
TARGETS = {
    "ingest_vs_floor": 1.5,  # full ingest ≤ 1.5 × DuckDB's bare CTAS
    "new_week_s": 3.0,  # one more week's orders file ≤ 3 s
    "page_cold_s": 1.0,  # every page's queries, cold, ≤ 1 s in total
    "pandas_speedup": 5.0,  # … and ≥ 5 × faster than the pandas baseline
    "dashboard_peak_mb": 1536.0,  # peak memory of the dashboard process ≤ 1.5 GB
}


def child(job: str, *args: object) -> dict:
    """Run ``bench.child JOB`` in a process of its own; its last stdout line is the JSON result."""
    p = subprocess.run(
        [sys.executable, "-m", "bench.child", job, *map(str, args)], cwd=ROOT, capture_output=True, text=True
    )
    if p.returncode != 0:
        raise RuntimeError(f"bench job {job} failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def add_week(data: Path) -> Path:
    """One more week of orders after the last day: the last 7 days again, 7 days later, with new order ids."""
    last = sorted((data / "orders").glob("*.csv"))[-1]
    df = pd.read_csv(last, dtype=str, keep_default_na=False)
    times = pd.to_datetime(df["order_time"])
    week = df[times > times.max() - pd.Timedelta(days=7)].copy()
    week["order_time"] = (pd.to_datetime(week["order_time"]) + pd.Timedelta(days=7)).dt.strftime("%Y-%m-%d %H:%M:%S")
    week["order_id"] = "WK" + week["order_id"]
    path = data / "orders" / "orders_bench_week.csv"
    week.to_csv(path, index=False)
    return path


def compare(ours: dict, theirs: dict) -> list[str]:
    """Every number the two implementations disagree on."""
    problems = []
    for page, values in theirs.items():
        mine = ours.get(page, {})
        for key, want in values.items():
            got = mine.get(key)
            if isinstance(want, str) or want is None:
                ok = str(got) == str(want)
            else:
                ok = got is not None and math.isclose(float(got), float(want), rel_tol=1e-9, abs_tol=TOLERANCE)
            if not ok:
                problems.append(f"{page}.{key}: ours {got!r}, pandas {want!r}")
        extra = set(mine) - set(values)
        if page == "channel_roi" and extra:
            problems.append(f"channel_roi: only ours has {sorted(extra)[:5]}")
    return problems


def while_ingesting(data: Path, cache: Path, start: str, end: str) -> tuple[float, float]:
    """The overview's queries cold, alone and while another process ingests the same data folder."""
    from storeops.db import Store
    from storeops.filters import Filters
    from storeops.metrics import kpis
    from storeops.periods import Period

    period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))

    def cold() -> float:
        t0 = time.perf_counter()
        kpis(Store(data, cache=cache), period, Filters())
        return time.perf_counter() - t0

    alone = cold()
    week = add_week(data)
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(child("ingest", data, cache)))
    worker.start()
    time.sleep(0.5)  # ingest is under way
    during = cold()
    worker.join()
    week.unlink()
    child("ingest", data, cache)  # back to the canonical data
    return alone, during


def run(
    order_lines: int,
    work: Path | None = None,
    out: Path | None = None,
    seed: int = 7,
    progress: Callable[[str], None] = print,
    quick: bool = False,
) -> dict:
    """Measure everything at ``order_lines``; ``quick`` (the test suite's smoke run) measures one period and
    skips the run beside an ingest."""
    from storeops.sample import generate

    work = work or ROOT / "bench" / "out" / str(order_lines)
    out = out or ROOT / "bench"
    data, cache, floor_db = work / "data", work / "cache" / "cache.duckdb", work / "floor.duckdb"
    if not (data / "orders").is_dir():
        progress(f"generating {order_lines:,} order lines in {data}")
        generate(data, order_lines=order_lines, seed=seed, end=END)
    for stale in (cache.parent, floor_db, data / "orders" / "orders_bench_week.csv"):
        if stale.is_dir():
            shutil.rmtree(stale)
        else:
            stale.unlink(missing_ok=True)
    results: dict = {
        "order_lines": order_lines,
        "date": dt.datetime.now().isoformat(timespec="minutes"),
        "machine": f"{platform.machine()}, {platform.python_version()}, {_cpus()} CPUs",
        "command": f"python -m storeops bench --order-lines {order_lines}",
    }
    progress("full ingest")
    results["ingest"] = child("ingest", data, cache)
    progress("DuckDB floor: CREATE TABLE … AS SELECT * FROM read_csv(…)")
    results["floor"] = child("floor", data, floor_db)
    floor_db.unlink(missing_ok=True)
    periods = {
        "last_28_days": (END - dt.timedelta(days=27), END),
        "last_365_days": (END - dt.timedelta(days=364), END),
    }
    if quick:
        del periods["last_365_days"]
    results["periods"] = {}
    for name, (start, end) in periods.items():
        progress(f"pages, {name}")
        ours = child("pages", data, cache, start, end)
        progress(f"pandas baseline, {name}")
        theirs = child("baseline", data, start, end)
        mismatches = compare(ours["numbers"], theirs["numbers"])
        results["periods"][name] = {"ours": ours, "pandas": theirs, "mismatches": mismatches}
    progress("one more week of orders, and a page while it is ingested")
    week = add_week(data)
    results["new_week"] = child("ingest", data, cache)
    week.unlink()
    child("ingest", data, cache)
    if not quick:
        alone, during = while_ingesting(data, cache, *(d.isoformat() for d in periods["last_28_days"]))
        results["responsive"] = {"alone_s": alone, "during_ingest_s": during}
    results["summary"] = summary(results)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=1, default=str))
    (out / "RESULTS.md").write_text(markdown(results))
    return results


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def summary(r: dict) -> list[dict]:
    """Rows of the results table: measure, ours, baseline, ratio, target, met."""
    rows = []

    def row(measure: str, ours: float, base: float | None, ratio: float | None, target: str, met: bool | None):
        rows.append({"measure": measure, "ours": ours, "baseline": base, "ratio": ratio, "target": target, "met": met})

    ingest, floor = r["ingest"]["seconds"], r["floor"]["seconds"]
    row("full ingest (s) vs DuckDB CTAS floor", ingest, floor, ingest / floor, "≤ 1.5×", ingest / floor <= 1.5)
    row("full ingest peak memory (MB) vs floor", r["ingest"]["peak_mb"], r["floor"]["peak_mb"],
        r["ingest"]["peak_mb"] / r["floor"]["peak_mb"], "—", None)  # fmt: skip
    week = r["new_week"]["seconds"]
    row("one more week of orders (s)", week, None, None, "≤ 3 s", week <= TARGETS["new_week_s"])
    peak = 0.0
    for name, p in r["periods"].items():
        ours, theirs = p["ours"], p["pandas"]
        peak = max(peak, ours["peak_mb"])
        for page, m in sorted(ours["pages"].items()):
            # a view ("members[lists]") is compared with its page's pandas computation
            base = theirs["pages"].get(page.split("[")[0], {}).get("seconds")
            speedup = base / m["cold_s"] if base else None
            if m.get("every_view"):  # a page's views one after the other: what no single view waits for
                row(f"{page}, {name}: queries cold (s) vs pandas", m["cold_s"], base, speedup, "—", None)
                continue
            met = m["cold_s"] <= TARGETS["page_cold_s"] and (speedup is None or speedup >= TARGETS["pandas_speedup"])
            row(f"{page}, {name}: queries cold (s) vs pandas", m["cold_s"], base, speedup, "≤ 1 s and ≥ 5×", met)
            row(f"{page}, {name}: queries warm (s)", m["warm_s"], None, None, "—", None)
            row(
                f"{page}, {name}: AppTest render cold / warm (s)",
                m["render_cold_s"],
                m["render_warm_s"],
                None,
                "—",
                None,
            )
        attach = max(m.get("attach_s", 0.0) for m in ours["pages"].values() if "attach_s" in m)
        row(f"attach the cache, once per data version, slowest of the pages, {name} (s)", attach, None, None, "—", None)
        row(f"pandas: load all tables, {name} (s)", theirs["load_s"], None, None, "—", None)
        row(f"pandas peak memory, {name} (MB)", theirs["peak_mb"], None, None, "—", None)
        row(f"numbers that differ from pandas, {name}", len(p["mismatches"]), None, None, "0", not p["mismatches"])
    row("dashboard process peak memory (MB)", peak, None, None, "≤ 1536 MB", peak <= TARGETS["dashboard_peak_mb"])
    resp = r.get("responsive")
    if resp:
        ratio = resp["during_ingest_s"] / resp["alone_s"]
        row("overview queries while another process ingests (s)", resp["during_ingest_s"], resp["alone_s"], ratio,
            "stays interactive", resp["during_ingest_s"] <= TARGETS["page_cold_s"])  # fmt: skip
    return rows


def _num(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3f}" if abs(x) < 10 else f"{x:.1f}"


def markdown(r: dict) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"`{r['command']}` on {r['date']} ({r['machine']}); {r['order_lines']:,} order lines of demo data "
        f"ending {END}. Times in seconds, memory in MB. The ratio is ours ÷ baseline for ingest and memory, "
        "baseline ÷ ours (the speed-up) for page queries; both were measured in the same run. A page's queries "
        "(cold, on a fresh store each time) and its pandas computation are each the best of 3 runs (1 when a "
        "pandas page takes 5 s or more).",
        "",
        "| Measure | Ours | Baseline | Ratio | Target | Met |",
        "|---|---:|---:|---:|---|:---:|",
    ]
    for s in r["summary"]:
        met = "—" if s["met"] is None else ("yes" if s["met"] else "**no**")
        ratio = "—" if s["ratio"] is None else f"{s['ratio']:.2f}×"
        lines.append(
            f"| {s['measure']} | {_num(s['ours'])} | {_num(s['baseline'])} | {ratio} | {s['target']} | {met} |"
        )
    for name, p in r["periods"].items():
        if p["mismatches"]:
            lines += ["", f"Numbers that differ ({name}):", *[f"- {m}" for m in p["mismatches"][:20]]]
    last = list(r["periods"])[-1]
    lines += ["", f"Slowest queries per page (cold, {last.replace('_', ' ')}):", ""]
    for page, m in sorted(r["periods"][last]["ours"]["pages"].items()):
        lines.append(f"- {page}: " + ", ".join(f"{n} {s:.2f} s" for n, s in m["slowest"]))
    return "\n".join(lines) + "\n"
