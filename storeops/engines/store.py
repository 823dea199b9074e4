"""EngineStore: storeops.db.Store's interface on PostgreSQL or Spark.

Queries are those of ``queries/`` (translated, storeops.engines.sql); the
parameters are checked against the ``$names`` each file declares, as Store
does; results are cached per engine version (a push makes a new version; the
version is asked for at most every ``VERSION_SECONDS``). The data is brought to
the engine by ``python -m storeops push``, so ``needs_ingest`` is always False.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from pathlib import Path

import pandas as pd

from storeops.db import _freeze, load_query
from storeops.ingest import CachePaths

VERSION_SECONDS = 10.0


class EngineStore:
    def __init__(self, data_dir: str | Path, engine, cache: str | Path | None = None):
        self.data_dir = Path(data_dir).resolve()
        self.paths = CachePaths.for_data(self.data_dir, cache)
        self.engine = engine
        self._lock = threading.Lock()
        self._results: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._version: tuple[float, object] | None = None
        self.max_results = 512

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

    def run(self, name: str, **params: object) -> pd.DataFrame:
        _, declared = load_query(name)
        given = set(params)
        if given != declared:
            missing, extra = sorted(declared - given), sorted(given - declared)
            raise TypeError(f"query {name!r}: missing parameters {missing}, unknown parameters {extra}")
        key = (name, self.version(), tuple(sorted((k, _freeze(v)) for k, v in params.items())))
        with self._lock:
            hit = self._results.get(key)
            if hit is not None:
                self._results.move_to_end(key)
                return hit.copy(deep=False)
        df = self.engine.run(name, params)
        with self._lock:
            self._results[key] = df
            while len(self._results) > self.max_results:
                self._results.popitem(last=False)
        return df.copy(deep=False)

    def scalar(self, name: str, **params: object) -> object:
        df = self.run(name, **params)
        return None if df.empty else df.iloc[0, 0]

    def data_range(self) -> tuple[dt.date, dt.date] | None:
        df = self.run("data_range")
        if df.empty or pd.isna(df.loc[0, "first_date"]):
            return None
        return pd.Timestamp(df.loc[0, "first_date"]).date(), pd.Timestamp(df.loc[0, "last_date"]).date()
