"""Eight people at once, while new data arrives: nothing breaks and the new data shows.

Eight browser contexts load different pages with different filters in a loop
for 60 s against one server. Ten seconds in, a new orders file is dropped
into data/ and `python -m storeops ingest` runs in another process.
"""

import asyncio
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse

import pytest

from storeops import fmt
from tests.e2e.conftest import ARTIFACTS, CHROMIUM, DEMO_END, READY_JS, ROOT, Server
from tests.e2e.pages import PAGES

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

DURATION_S = 60
DROP_AT_S = 10
HARD_LIMIT_S = 120
DAY = DEMO_END.isoformat()
# One large order on the last day, through a channel that exists in the demo.
NEW_ORDERS = (
    "order_id,order_time,customer_id,sku,quantity,unit_price,status,channel,platform\n"
    f"E2E-NEW-1,{DAY} 12:00:00,E2E-C1,E2E-SKU,3,33333.00,paid,(direct) / (none),tmall\n"
)
VIEWS = [
    {"lang": "en"},
    {"lang": "zh"},
    {"lang": "en", "channel": "paid_search", "compare": "yoy"},
    {"lang": "zh", "platform": "tmall"},
    {"lang": "en", "start": "2024-05-01", "end": "2024-05-31"},
    {"lang": "zh", "start": "2024-06-10", "end": "2024-06-16", "channel": ["social", "direct"]},
    {"lang": "en", "platform": ["jd", "douyin"], "compare": "yoy"},
    {"lang": "zh", "start": "2024-04-01", "end": "2024-06-30"},
]


@pytest.fixture
def own_server(demo_dir, tmp_path):
    """A server on a copy of the demo data, since this test adds a file to it."""
    data, cache = demo_dir
    shutil.copytree(data, tmp_path / "data")
    (tmp_path / "cache").mkdir()
    shutil.copy(cache, tmp_path / "cache" / "cache.duckdb")
    srv = Server(tmp_path / "data", tmp_path / "cache" / "cache.duckdb")
    yield srv
    srv.stop()


async def _wait(page, n: int) -> None:
    try:
        await page.wait_for_function(READY_JS, polling=700, timeout=120_000)
    except Exception:
        await page.screenshot(path=str(ARTIFACTS / f"many-users-timeout-{n}.png"), full_page=True)
        raise


def _metrics(server: Server) -> dict:
    env = dict(os.environ, STOREOPS_CACHE=str(server.cache))
    out = subprocess.run(
        [sys.executable, "-m", "storeops", "metrics", "--data", str(server.data), "--start", DAY, "--end", DAY],
        capture_output=True, text=True, cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)["metrics"]


async def _user(browser, server: Server, n: int, stop_at: float, problems: list, renders: list) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda exc: problems.append(f"user {n}: page error {exc}"))
    spec = PAGES[n % len(PAGES)]
    view = VIEWS[n]
    try:
        # At least DURATION_S, and until this user has rendered twice (a
        # loaded 2-core CI machine can take a while), but never forever.
        mine = 0
        while (time.monotonic() < stop_at or mine < 2) and time.monotonic() < stop_at + HARD_LIMIT_S:
            query = urllib.parse.urlencode(dict(spec.params) | view, doseq=True)
            await page.goto(f"{server.url}/{spec.path}?{query}")
            await _wait(page, n)
            if await page.locator('[data-testid="stException"]').count():
                problems.append(f"user {n}: {await page.locator('[data-testid=stException]').first.inner_text()}")
            charts = await page.locator('[data-testid="stPlotlyChart"] svg.main-svg').count()
            if spec.charts and charts == 0:
                problems.append(f"user {n}: no chart drew on {spec.name} {view}")
                await page.screenshot(path=str(ARTIFACTS / f"many-users-{n}-{len(problems)}.png"), full_page=True)
            renders.append(n)
            mine += 1
    finally:
        await context.close()


async def _run(server: Server) -> tuple[list, list, str, str]:
    from playwright.async_api import async_playwright

    problems: list[str] = []
    renders: list[int] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
        )
        stop_at = time.monotonic() + DURATION_S
        users = [asyncio.create_task(_user(browser, server, n, stop_at, problems, renders)) for n in range(8)]
        await asyncio.sleep(DROP_AT_S)
        # New data arrives while everyone is reading: a file, then a CLI ingest.
        (server.data / "orders" / "orders_e2e_new.csv").write_text(NEW_ORDERS, encoding="utf-8")
        env = dict(os.environ, STOREOPS_CACHE=str(server.cache))
        ingest = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "storeops", "ingest", "--data", str(server.data), cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        output, _ = await ingest.communicate()
        assert ingest.returncode == 0, output.decode()
        await asyncio.gather(*users)
        # A new visitor sees the new order on the overview.
        context = await browser.new_context(viewport={"width": 1440, "height": 900})
        page = await context.new_page()
        await page.goto(f"{server.url}/?start={DAY}&end={DAY}&lang=en")
        await _wait(page, 99)
        card = page.locator('[data-testid="stMetric"]', has_text="Net revenue").first
        shown = (await card.locator('[data-testid="stMetricValue"]').inner_text()).strip()
        await context.close()
        await browser.close()
    return problems, renders, shown, output.decode()


def test_eight_users_while_data_arrives(own_server):
    before = _metrics(own_server)["net_revenue"]
    # Its own thread: the sync Playwright of the other browser tests keeps an
    # event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        problems, renders, shown, ingest_output = pool.submit(asyncio.run, _run(own_server)).result()
    after = _metrics(own_server)["net_revenue"]
    assert problems == []
    assert own_server.alive(), "the streamlit server died"
    assert all(renders.count(n) >= 2 for n in range(8)), f"renders per user: {[renders.count(n) for n in range(8)]}"
    assert "0 files rejected" in ingest_output
    assert after == pytest.approx(before + 99_999)
    assert shown == fmt.money(after, "en")
