"""The benchmark's smoke run: it runs end to end at a small size, and pandas agrees with every number.

Times are not asserted (they are what ``make bench`` measures and reports); the cross-check is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.run import run

pytestmark = pytest.mark.xdist_group("bench")


def test_bench_smoke_run_agrees_with_pandas(tmp_path: Path) -> None:
    results = run(5_000, work=tmp_path / "work", out=tmp_path / "out", progress=lambda _: None, quick=True)
    period = results["periods"]["last_28_days"]
    assert period["mismatches"] == []
    assert set(period["pandas"]["numbers"]) <= set(period["ours"]["numbers"])
    assert period["ours"]["numbers"]["overview"]["orders"] > 0  # the cross-check compared real numbers
    pages = set(period["ours"]["pages"])
    stems = {p.stem for p in (Path(__file__).resolve().parent.parent / "pages").glob("*.py")}
    views = {f"members[{v}]" for v in ("tiers", "lists", "segments", "cohorts", "all views")}
    assert pages == stems - {"members"} | views  # the members page is measured view by view, and all together
    assert all(m["queries"] > 0 for m in period["ours"]["pages"].values())
    # all the views together make every call any view makes, each once (the cards' calls are in every view)
    ours = period["ours"]["pages"]
    each = sum(ours[v]["queries"] for v in views - {"members[all views]"})
    assert ours["members[all views]"]["queries"] < each
    # each view ran its own queries (the link chose it), under the same cards
    assert "members_tiers" in ours["members[tiers]"]["calls"]
    assert "members_ltv_by_tier" in ours["members[cohorts]"]["calls"]
    assert "members_ltv_by_tier" not in ours["members[tiers]"]["calls"]
    assert "members_rfm" in ours["members[segments]"]["calls"]
    assert "members_near_tier" in ours["members[lists]"]["calls"]
    assert all("members_kpis" in ours[v]["calls"] for v in views)
    text = (tmp_path / "out" / "RESULTS.md").read_text()
    assert "| full ingest (s) vs DuckDB CTAS floor |" in text
    assert "| members[all views], last_28_days: queries cold (s) vs pandas |" in text
    assert (tmp_path / "out" / "results.json").exists()
