"""Browser-test fixtures: demo data, a real `streamlit run` server, Debian's Chromium.

Playwright cannot download its own browsers here, so tests drive
``/usr/bin/chromium`` (installed by ``make test`` with apt when missing).
"""

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DEMO_END = dt.date(2024, 6, 30)

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory):
    """A demo data folder and its cache, outside the repository."""
    from storeops.ingest import CachePaths, ingest
    from storeops.sample import generate

    root = tmp_path_factory.mktemp("e2e")
    data = root / "data"
    generate(data, order_lines=40_000, seed=11, end=DEMO_END)
    cache = root / "cache" / "cache.duckdb"
    ingest(data, CachePaths.for_data(data, cache))
    return data, cache


class Server:
    def __init__(self, data: Path, cache: Path):
        self.data, self.cache = data, cache
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, STOREOPS_DATA=str(data), STOREOPS_CACHE=str(cache), PYTHONPATH=str(ROOT))
        self.log = open(ARTIFACTS / f"streamlit-{self.port}.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
             "--server.headless=true", f"--server.port={self.port}", "--server.address=127.0.0.1",
             "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("streamlit did not become healthy in 60 s")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def server(demo_dir):
    ARTIFACTS.mkdir(exist_ok=True)
    srv = Server(*demo_dir)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run `make test` (it installs Debian's chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield b
        b.close()


# The page is ready when the run has finished, no skeleton or stale element
# is left, and the element count held still between two polls: Plotly charts
# keep mounting for a moment after the run ends, and under load the frontend
# can report "notRunning" before the rerun it asked for has started.
READY_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning' || app.dataset.testConnectionState !== 'CONNECTED') {
        window.__lastCount = -1;
        return false;
    }
    const busy = document.querySelector(
        '[data-testid^="stSkeleton"], [data-testid="stAppSkeleton"], [data-stale="true"]');
    // Counted in the main area only: under load the sidebar can be drawn and still while the page's
    // own script has not started, which once passed for a finished page with nothing in it.
    const main = document.querySelector('[data-testid="stMain"]');
    const n = main ? main.querySelectorAll('[data-testid="stElementContainer"], svg.main-svg').length : 0;
    const stable = !busy && n > 0 && window.__lastCount === n;
    window.__lastCount = busy ? -1 : n;
    return stable;
}"""


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Until the page has finished rendering (see READY_JS)."""
    page.wait_for_function(READY_JS, polling=700, timeout=timeout)


def full_page_screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to fit it first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    height = page.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stMainBlockContainer], [data-testid=stSidebarContent]'"
        ")).map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(height + 80, 8000)})
    page.wait_for_timeout(500)  # Plotly re-lays out on resize
    page.screenshot(path=str(path), full_page=True)
