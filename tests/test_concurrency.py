"""Readers keep working while an ingest runs in another process (DESIGN.md "Ingest never blocks readers")."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import BASE_MTIME, ROOT, write_files

pytestmark = pytest.mark.usefixtures("isolated_cache_env")

HEADER = "order_id,order_time,customer_id,sku,quantity,unit_price\n"
FIRST = HEADER + "A1,2024-01-02,c1,S1,1,10\nA2,2024-01-03,c2,S2,1,20\n"  # net 10 + 20 = 30
SECOND = HEADER + "B1,2024-01-04,c3,S3,2,50\n"  # net 2 × 50 = 100 → 130 in all
START, END = dt.date(2024, 1, 1), dt.date(2024, 1, 31)


def test_readers_keep_working_while_ingest_runs_in_another_process(
    make_store, data_dir: Path, cache_path: Path
) -> None:
    store = make_store({"orders_a.csv": FIRST}, mtimes={"orders_a.csv": BASE_MTIME})
    store.max_results = 0  # no result cache: every call below really queries the cache file
    params = {"channels": [], "platforms": [], "categories": []}

    def net() -> float:
        return float(store.run("kpis", start=START, end=END, **params).loc[0, "net_revenue"])

    assert net() == pytest.approx(30)
    version_before = store.version()

    write_files(data_dir, {"orders_b.csv": SECOND}, mtimes={"orders_b.csv": BASE_MTIME + 60})

    seen: list[tuple[float, float]] = []  # (when the read started, net revenue it saw)
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                began = time.monotonic()
                seen.append((began, net()))
                store.run("health_files")
            except BaseException as exc:  # any failure at all is the bug this test looks for
                errors.append(exc)
                return

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    started = time.monotonic()
    try:
        env = {**os.environ, "STOREOPS_CACHE": str(cache_path)}
        done = subprocess.run(
            [sys.executable, "-m", "storeops", "ingest", "--data", str(data_dir)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        swapped_at = time.monotonic()
        # Keep reading until some reads started after the swap (a loaded CI
        # machine can stall a thread mid-query), and for at least 2 s in all.
        deadline = swapped_at + 30
        while time.monotonic() < deadline and (
            sum(began > swapped_at for began, _ in seen) < 4 or time.monotonic() - started < 2
        ):
            time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 files, 3 rows loaded, 0 rows rejected, 0 files rejected" in done.stdout
    assert errors == []
    assert len(seen) > 10
    values = [value for _, value in seen]
    # every read saw one complete version: before (30) or after (130), never a mix
    assert set(values) <= {30.0, 130.0}
    assert values[0] == pytest.approx(30)
    # every read that started after the swap saw the new version
    after = [value for began, value in seen if began > swapped_at]
    assert len(after) >= 4 and set(after) == {130.0}
    # the same Store object picks up the new version without a restart
    assert store.version() != version_before
    assert net() == pytest.approx(130)
    assert sorted(store.run("health_files")["file"]) == ["orders_a.csv", "orders_b.csv"]
    assert not store.needs_ingest()
