"""EngineStore: storeops.db.Store's interface on PostgreSQL or Spark.

Queries are those of ``queries/`` (translated, storeops.engines.sql); the
parameters are checked against the ``$names`` each file declares, as Store
does; results are cached per engine version (a push makes a new version; the
version is asked for at most every ``VERSION_SECONDS``). The data is brought to
the engine by ``python -m storeops push``, so ``needs_ingest`` is always False.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from storeops.db import CachedQueries
from storeops.ingest import CachePaths

VERSION_SECONDS = 10.0


class EngineStore(CachedQueries):
    def __init__(self, data_dir: str | Path, engine, cache: str | Path | None = None):
        super().__init__()
        self.data_dir = Path(data_dir).resolve()
        self.paths = CachePaths.for_data(self.data_dir, cache)
        self.engine = engine
        self._version: tuple[float, object] | None = None

    def needs_ingest(self) -> bool:
        return False

    def refresh(self, wait: bool = False, progress=None) -> None:
        return None

    def version(self) -> object:
        now = time.monotonic()
        with self._lock:
            if self._version is not None and now - self._version[0] < VERSION_SECONDS:
                return self._version[1]
        version = self.engine.version()
        with self._lock:
            self._version = (now, version)
        return version

    def _current(self) -> tuple[object, Callable[[str, str, dict], pd.DataFrame]]:
        return self.version(), lambda name, sql, params: self.engine.run(name, params)
