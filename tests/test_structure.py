"""Structure: every query file has its header, every registry metric its labels and help line."""

from pathlib import Path

import pytest

from storeops.i18n import LABELS
from storeops.metrics import METRICS

QUERIES = sorted(p for p in (Path(__file__).resolve().parent.parent / "queries").glob("*.sql") if p.stem[0] != "_")


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_query_file_has_a_header(path):
    header = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("--"))
    for word in ("Question:", "Grain:", "Parameters:"):
        assert word in header, f"{path.name}: header lacks {word!r}"


@pytest.mark.parametrize("metric", METRICS, ids=[m.key for m in METRICS])
def test_metric_has_labels_and_help(metric):
    assert metric.en.strip() and metric.zh.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in metric.zh)
    assert f"help.{metric.key}" in LABELS
