"""One measured job per process: ``python -m bench.child JOB ARGS…`` prints one JSON line.

Jobs: ``ingest DATA CACHE``, ``floor DATA DB``, ``pages DATA CACHE START END``,
``baseline DATA START END``. Each reports its peak resident memory
(``ru_maxrss`` of the process), so one job's memory is not mixed with another's.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def job_ingest(data: str, cache: str) -> dict:
    from storeops.ingest import CachePaths, ingest

    started = time.perf_counter()
    result = ingest(Path(data), CachePaths.for_data(Path(data), Path(cache)))
    return {"seconds": time.perf_counter() - started, "peak_mb": peak_mb(), "files": len(result.reports)}


def job_floor(data: str, db: str) -> dict:
    """DuckDB's bare CREATE TABLE … AS SELECT * FROM read_csv(…) of the same files: the floor for ingest."""
    import duckdb

    from storeops.ingest import discover

    by_table: dict[str, list[str]] = {}
    for f in discover(Path(data)):
        if f.table:
            by_table.setdefault(f.table, []).append(str(f.path))
    started = time.perf_counter()
    con = duckdb.connect(db)
    for table, files in sorted(by_table.items()):
        # table names come from storeops.schema (discover), never from a file
        sql = f"CREATE TABLE {table} AS SELECT * FROM read_csv($files, union_by_name = true)"  # noqa: S608
        con.execute(sql, {"files": files})
    con.close()
    return {"seconds": time.perf_counter() - started, "peak_mb": peak_mb()}


def _pages() -> list[tuple[str, str, dict]]:
    """(name in the results, page file stem, extra query parameters): every page, and each view of a page that
    shows one part at a time (the members page: ``members[tiers]``, …), since a view is what a user waits for."""
    from storeops import members

    views = {"members": ("members_view", members.VIEWS)}
    out = []
    for stem in sorted(p.stem for p in (ROOT / "pages").glob("*.py")):
        if stem in views:
            param, names = views[stem]
            out += [(f"{stem}[{v}]", stem, {param: v}) for v in names]
        else:
            out.append((stem, stem, {}))
    return out


def _time_cold(data: str, cache: str, calls: list[tuple[str, dict]], run: object) -> tuple[float, float, list]:
    """The calls on a fresh Store each time (nothing cached, DuckDB's buffers empty), best of REPEAT runs, as the
    pandas baseline's pages: (total seconds, the attach's seconds, per-call seconds). Attaching the cache happens
    once per data version in the dashboard, not per page view (as the pandas baseline's load), so it is timed on
    its own."""
    from bench import baseline
    from storeops.db import Store

    runs = []
    for _ in range(baseline.REPEAT):
        store = Store(data, cache=cache)
        started = time.perf_counter()
        store.attach()
        attach = time.perf_counter() - started
        timings = []
        for name, params in calls:
            t0 = time.perf_counter()
            run(store, name, **params)
            timings.append((name, time.perf_counter() - t0))
        runs.append((sum(s for _, s in timings), attach, timings))
    return min(runs, key=lambda r: r[0])


def job_pages(data: str, cache: str, start: str, end: str) -> dict:
    """Every page under AppTest: its queries (recorded), their time cold and warm, and the render time."""
    os.environ["STOREOPS_DATA"], os.environ["STOREOPS_CACHE"] = data, cache
    from streamlit.testing.v1 import AppTest

    from storeops import ui
    from storeops.db import Store

    calls: list[tuple[str, dict]] = []
    original = Store.run

    def recorded(self: Store, name: str, **params: object) -> object:
        calls.append((name, params))
        return original(self, name, **params)

    Store.run = recorded  # type: ignore[method-assign]
    out: dict[str, dict] = {}
    every_view: dict[str, dict] = {}  # page → its views' calls together
    for label, page, extra in _pages():
        ui._store.clear()  # a fresh Store: nothing cached from the previous page
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=900)
        at.query_params.update({"start": start, "end": end, **extra})
        at.run()  # the frame's first run (it renders the default page)
        ui._store.clear()  # so the page below, the default one included, renders cold
        calls.clear()
        started = time.perf_counter()
        at.switch_page(f"pages/{page}.py").run()
        render_cold = time.perf_counter() - started
        if at.exception:
            raise RuntimeError(f"{page}: {[e.message for e in at.exception]}")
        page_calls = list(calls)
        started = time.perf_counter()
        at.run()
        render_warm = time.perf_counter() - started
        unique = {(n, json.dumps(p, sort_keys=True, default=str)): (n, p) for n, p in page_calls}
        if extra:
            every_view.setdefault(page, {}).update(unique)
        _, attach, timings = _time_cold(data, cache, list(unique.values()), original)
        store = Store(data, cache=cache)
        for name, params in unique.values():
            original(store, name, **params)  # the store keeps the results: the run below is warm
        started = time.perf_counter()
        for name, params in unique.values():
            original(store, name, **params)
        warm = time.perf_counter() - started
        slowest = sorted(timings, key=lambda x: -x[1])[:3]
        out[label] = {
            "queries": len(unique),
            "calls": sorted({n for n, _ in unique.values()}),
            "cold_s": sum(s for _, s in timings),
            "attach_s": attach,
            "warm_s": warm,
            "render_cold_s": render_cold,
            "render_warm_s": render_warm,
            "slowest": [[n, round(s, 3)] for n, s in slowest],
        }
    for page, unique in every_view.items():
        # Every view of the page, one after the other (each call once): reported beside the views, no target.
        total, _, timings = _time_cold(data, cache, list(unique.values()), original)
        out[f"{page}[all views]"] = {
            "queries": len(unique),
            "calls": sorted({n for n, _ in unique.values()}),
            "cold_s": total,
            "every_view": True,
            "slowest": [[n, round(s, 3)] for n, s in sorted(timings, key=lambda x: -x[1])[:3]],
        }
    Store.run = original  # type: ignore[method-assign]
    return {"pages": out, "numbers": our_numbers(data, cache, start, end), "peak_mb": peak_mb()}


def our_numbers(data: str, cache: str, start: str, end: str) -> dict:
    """The numbers the pandas baseline recomputes, from storeops' own functions and queries."""
    from storeops import inventory, members, metrics, review, roi
    from storeops.db import Store
    from storeops.filters import Filters
    from storeops.periods import Period

    store = Store(data, cache=cache)
    period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    previous = period.previous()
    k, before = metrics.kpis(store, period, Filters()), metrics.kpis(store, previous, Filters())
    categories = store.run("sales_by", dimension="category", start=period.start, end=period.end, **Filters().params())
    funnel = metrics.traffic_kpis(store, period, Filters())
    traffic = metrics.period_part(
        metrics.traffic_by(store, period, period, Filters(), ["channel"]), period="current", dimension="channel"
    )
    channels = roi.by(store, period, Filters())
    as_of = inventory.snapshot_date(store, period.end)
    skus = inventory.sku_table(store, period.end)
    stockouts = inventory.stockouts(store, period)
    stages = members.lifecycle_change(store, period.end, previous.end)
    rfm = store.run("members_rfm", as_of=period.end)
    cards = store.run("members_kpis", start=period.start, end=period.end).iloc[0]
    week = review.build(store)
    return {
        "overview": {
            key: k[key] for key in ("net_revenue", "gmv", "orders", "buyers", "units", "new_customers", "sessions")
        }
        | {f"previous.{key}": before[key] for key in ("net_revenue", "orders", "buyers", "new_customers")}
        | {f"category.{r.dimension_value}": float(r.net_revenue) for r in categories.itertuples()},
        "traffic": {"sessions": k["sessions"]}
        | {
            f"{r.dimension_value}.{col}": float(getattr(r, col))
            for r in traffic.itertuples()
            for col in ("sessions", "orders", "net_revenue")
        },
        "funnel": {key: funnel[key] for key in ("sessions", "product_view_rate", "add_to_cart_rate")},
        "channel_roi": {
            f"{r.dimension_value}.{col}": float(getattr(r, col) or 0)
            for r in channels.itertuples()
            for col in ("spend", "net_revenue")
        },
        "inventory": {
            "as_of": str(as_of),
            **{f"{r.sku}.d": float(r.avg_daily_units) for r in skus.itertuples()},
            **{f"{r.sku}.stockout_days": int(r.stockout_days) for r in stockouts.itertuples()},
        },
        "members": {f"lifecycle.{r.lifecycle}": int(r.customers) for r in stages.itertuples() if r.customers}
        | {
            f"previous_lifecycle.{r.lifecycle}": int(r.compare_customers)
            for r in stages.itertuples()
            if r.compare_customers
        }
        | {f"rfm.{r.rfm_code}": int(r.customers) for r in rfm.itertuples() if r.customers}
        | {
            "repurchase_90d_customers": int(cards["repurchase_90d_customers"]),
            "repurchase_90d_repurchased": round(
                float(cards["repurchase_90d"] or 0) * int(cards["repurchase_90d_customers"])
            ),
        },
        "weekly_review": {"net_revenue": week.now["net_revenue"], "orders": week.now["orders"]}
        | {f"channel.{r.dimension_value}.change": float(r.net_revenue_change) for r in week.by["channel"].itertuples()},
    }


def job_baseline(data: str, start: str, end: str) -> dict:
    from bench import baseline

    return baseline.run(Path(data), dt.date.fromisoformat(start), dt.date.fromisoformat(end)) | {"peak_mb": peak_mb()}


JOBS = {"ingest": job_ingest, "floor": job_floor, "pages": job_pages, "baseline": job_baseline}

if __name__ == "__main__":
    job, *args = sys.argv[1:]
    print(json.dumps(JOBS[job](*args), default=str))
