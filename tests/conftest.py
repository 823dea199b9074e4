"""Shared fixtures: a data folder written from a dict of tiny files, and a Store on it.

Every cache lives under ``tmp_path`` (never inside the data folder). Modules
that build stores use ``pytestmark = pytest.mark.usefixtures("isolated_cache_env")``
so that any code path falling back to ``STOREOPS_CACHE`` writes to a throw-away
path too (not autouse: page tests set that variable for a whole module).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `.venv/bin/pytest` does not put the project root on sys.path
    sys.path.insert(0, str(ROOT))

from storeops.db import Store  # noqa: E402
from storeops.ingest import IngestResult  # noqa: E402

# A fixed base time (2024-06-01 00:00 UTC) for explicit, ordered mtimes.
BASE_MTIME = 1_717_200_000

FileContent = str | bytes


def write_files(
    data_dir: Path,
    files: Mapping[str, FileContent],
    mtimes: Mapping[str, float] | None = None,
) -> Path:
    """Write ``{relative path: content}`` under ``data_dir``.

    Text is written as UTF-8, exactly as given (bytes as given, for encoding
    tests). ``mtimes`` sets modification times in seconds (``os.utime``)
    for the files whose order matters; others keep the time of writing.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = data_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    for rel, seconds in (mtimes or {}).items():
        os.utime(data_dir / rel, (seconds, seconds))
    return data_dir


def set_mtime(path: Path, seconds: float) -> None:
    os.utime(path, (seconds, seconds))


@pytest.fixture
def isolated_cache_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point STOREOPS_CACHE at tmp_path, so nothing is ever written into a data folder."""
    env_cache = tmp_path / "env-cache" / "cache.duckdb"
    monkeypatch.setenv("STOREOPS_CACHE", str(env_cache))
    return env_cache


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data folder (files are added with ``make_data``)."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    """Where the test's Store keeps its cache: beside, not inside, the data folder."""
    return tmp_path / "cache" / "cache.duckdb"


@pytest.fixture
def make_data(data_dir: Path) -> Callable[..., Path]:
    """``make_data({rel: csv}, mtimes={rel: seconds})`` → the data folder."""

    def make(files: Mapping[str, FileContent], mtimes: Mapping[str, float] | None = None) -> Path:
        return write_files(data_dir, files, mtimes)

    return make


@pytest.fixture
def make_ingest(make_data: Callable[..., Path], cache_path: Path) -> Callable[..., tuple[Store, IngestResult | None]]:
    """``make_ingest({rel: csv}, mtimes=…)`` → (Store refreshed on the folder, the IngestResult).

    Calling it again adds (or overwrites) files in the same folder and ingests
    again; the result is None when nothing changed.
    """

    def make(
        files: Mapping[str, FileContent] | None = None, mtimes: Mapping[str, float] | None = None
    ) -> tuple[Store, IngestResult | None]:
        data = make_data(files or {}, mtimes)
        store = Store(data, cache=cache_path)
        return store, store.refresh(wait=True)

    return make


@pytest.fixture
def make_store(make_ingest: Callable[..., tuple[Store, IngestResult | None]]) -> Callable[..., Store]:
    """``make_store({rel: csv}, mtimes=…)`` → a refreshed Store with its cache in tmp_path."""

    def make(files: Mapping[str, FileContent] | None = None, mtimes: Mapping[str, float] | None = None) -> Store:
        return make_ingest(files, mtimes)[0]

    return make


DEMO_END = dt.date(2024, 6, 30)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch) -> Store:
    """A module's own small demo data set (20 000 lines, seed 3, ending DEMO_END), ingested, with
    STOREOPS_DATA/STOREOPS_CACHE pointing at it for the pages (AppTest)."""
    from storeops.sample import generate

    root = tmp_path_factory.mktemp("demo")
    data = root / "data"
    generate(data, order_lines=20_000, seed=3, end=DEMO_END)
    monkeypatch_module.setenv("STOREOPS_DATA", str(data))
    monkeypatch_module.setenv("STOREOPS_CACHE", str(root / "cache.duckdb"))
    store = Store(data)
    store.refresh(wait=True)
    return store
