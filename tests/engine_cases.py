"""Parameters for running every query file on every engine (tests/test_engines.py): a spread of periods,
days, filters and dimensions over the demo data set (seed 7, ending 2024-06-30)."""

from __future__ import annotations

import datetime as dt
import itertools

D = dt.date
# (start, end): a month (daily trend), a half year (weekly trend, > 60 days), one week a year earlier.
PERIODS = [(D(2024, 6, 1), D(2024, 6, 30)), (D(2024, 1, 1), D(2024, 6, 30)), (D(2023, 6, 24), D(2023, 6, 30))]
SPREAD: dict[str, list] = {
    "as_of": [D(2024, 6, 30), D(2023, 12, 31), D(2022, 9, 30)],
    "channels": [[], ["paid_search", "social"], ["marketplace_ads"]],
    "platforms": [[], ["tmall"], ["jd", "douyin", "offline"]],
    "categories": [[], ["女装"], ["食品", "家居"]],
    "days": [30, 7, 90],
    "months": [12, 24, 3],
    "within": [0.1, 0.25, 0.0],
    "basis": ["tier", "spend", "tier"],
    "sku": ["00125", "00128", "no-such-sku"],
    "table": ["orders", "traffic", "ad_spend"],
}
DIMENSIONS = {
    "roi_by": ["channel", "campaign"],
    "sales_by": ["channel", "platform", "category"],
}
# Queries taking a list of dimensions (several in one call; [] = all of them).
DIMENSION_LISTS = {
    "funnel_steps": [[], ["total"], ["channel"], ["platform", "channel"]],
    "traffic_by": [[], ["total"], ["channel_raw", "platform"], ["channel", "platform"]],
    "review_by": [["channel", "platform", "category", "campaign"], ["sku"], ["channel", "platform", "campaign"], []],
}


def cases(name: str, declared: frozenset[str]) -> list[dict]:
    """Parameter sets for one query: three spread cases, and every dimension it offers."""
    if not declared:
        return [{}]
    dims = DIMENSIONS.get(name) or DIMENSION_LISTS.get(name) or [None]
    out = []
    for i, dim in itertools.islice(enumerate(itertools.cycle(dims)), max(3, len(dims))):
        params: dict = {}
        for p in declared:
            if p in ("start", "end"):
                params[p] = PERIODS[i % 3][0 if p == "start" else 1]
            elif p in ("cstart", "cend"):
                start, end = PERIODS[i % 3]
                length = end - start
                params[p] = start - length - dt.timedelta(days=1) if p == "cstart" else start - dt.timedelta(days=1)
            elif p in ("dimension", "dimensions"):
                params[p] = dim
            else:
                params[p] = SPREAD[p][i % 3]
        out.append(params)
    return out
