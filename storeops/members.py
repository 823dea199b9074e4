"""Customers and members (METRICS.md "Customers and members"): the page's and the export's domain logic.

Everything per customer is computed in DuckDB (``queries/members_*.sql`` on
the ``customer_state`` / ``customer_rfm`` macros of ``queries/_model.sql``);
this module names what the SQL returns (segments, stages, tier moves),
assembles the member cards, and shapes the segment export. Only the export
hands a per-customer frame to pandas — one row per recent customer is what
it is asked for — and it is only renamed and rounded there.

Every number describes a day D, the period's last day (the comparison is
the comparison period's last day). The page is store-wide: the sidebar's
channel, platform and category filters do not apply to customer stocks
(a customer's segment must not change with a filter), and the page says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from storeops.db import Store
from storeops.metrics import _clean
from storeops.periods import Period


@dataclass(frozen=True)
class Segment:
    code: str  # R, F, M as H (high) or L (low)
    zh: str  # the name METRICS.md gives, and the export writes
    en: str

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


# METRICS.md, in its order (most valuable first).
SEGMENTS: tuple[Segment, ...] = (
    Segment("HHH", "重要价值", "Champions"),
    Segment("LHH", "重要保持", "At-risk loyal"),
    Segment("HLH", "重要发展", "Promising big spenders"),
    Segment("LLH", "重要挽留", "Must win back"),
    Segment("HHL", "一般价值", "Loyal low spenders"),
    Segment("LHL", "一般保持", "Fading regulars"),
    Segment("HLL", "一般发展", "New low spenders"),
    Segment("LLL", "一般挽留", "Lost"),
)
SEGMENT_BY_CODE = {s.code: s for s in SEGMENTS}
LIFECYCLE_STAGES = ("potential", "new", "active", "silent", "churned")
CARD_KEYS = (
    "members",
    "active_members",
    "new_members",
    "repurchase_rate",
    "repurchase_90d",
    "returning_revenue_share",
    "points_balance",
)
EXPORT_COLUMNS = ("customer_id", "recency_days", "frequency", "monetary", "segment", "lifecycle", "tier")
# The members page shows one view at a time (the first is the default); ?members_view=<view> in a link.
VIEWS = ("tiers", "lists", "segments", "cohorts")
NEAR_TIER_WITHIN = 0.10  # "within 10% of the next tier's threshold"
BIRTHDAY_DAYS = 30
COHORT_MONTHS = 12  # cohorts shown: the 12 months ending with the month of D
TIER_LTV_MONTHS = 24  # first-order months behind the LTV-by-tier curves
TIER_LTV_MAX_MONTH = 12  # … drawn through month 12 (later months rest on few cohorts)
# "Recent cohorts" of the 90-day repurchase card: first paid order 90–179
# days before D, i.e. the latest 90 days of first-time buyers whose 90-day
# window has closed by D (queries/members_kpis.sql).
RECENT_COHORT_DAYS = (90, 179)


def segment_name(code: str, lang: str = "zh") -> str:
    """The segment's name (Chinese as in METRICS.md, or English); an unknown code is returned as it is."""
    segment = SEGMENT_BY_CODE.get(code)
    return segment.label(lang) if segment else code


def export_segments(store: Store, as_of: dt.date) -> pd.DataFrame:
    """``python -m storeops export segments``: one row per customer with a paid order in the 365 days ending ``as_of``.

    Columns ``customer_id, recency_days, frequency, monetary, segment,
    lifecycle, tier``; segment is the Chinese name from METRICS.md (重要价值 …),
    monetary (net revenue in those 365 days) rounded to 2 decimals. Sorted by
    customer_id.
    """
    df = store.run("members_segments", as_of=as_of)
    out = pd.DataFrame(
        {
            "customer_id": df["customer_id"].astype(str),
            "recency_days": df["recency_days"].astype("Int64"),
            "frequency": df["frequency"].astype("Int64"),
            "monetary": df["monetary"].astype(float).round(2),
            "segment": df["rfm_code"].map(lambda c: segment_name(c, "zh")),
            "lifecycle": df["lifecycle"],
            "tier": df["tier"],
        }
    )
    return out.loc[:, list(EXPORT_COLUMNS)].reset_index(drop=True)


@dataclass(frozen=True)
class MemberCards:
    """The member cards for one period (``values`` by ``CARD_KEYS``) and what the data holds."""

    values: dict[str, float | int | None]
    has_members: bool  # a members file with at least one row
    has_tiers: bool  # … whose rows give a tier
    has_points: bool
    has_birthdays: bool
    recent_first_buyers: int  # customers behind the 90-day repurchase card


def member_cards(store: Store, period: Period) -> MemberCards:
    """The cards of ``queries/members_kpis.sql`` as of the period's last day; None where not computable."""
    row = store.run("members_kpis", start=period.start, end=period.end).iloc[0]
    kinds = {
        "members": "count",
        "active_members": "count",
        "new_members": "count",
        "repurchase_rate": "rate",
        "repurchase_90d": "rate",
        "returning_revenue_share": "rate",
        "points_balance": "count",
    }
    return MemberCards(
        values={k: _clean(row[k], kind) for k, kind in kinds.items()},
        has_members=bool(row["has_members"]),
        has_tiers=bool(row["has_tiers"]),
        has_points=bool(row["points_balance"] is not None and not pd.isna(row["points_balance"])),
        has_birthdays=bool(row["has_birthdays"]),
        recent_first_buyers=int(row["repurchase_90d_customers"]),
    )


def recent_cohort_window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """First-order dates of the "recent cohorts" behind the 90-day repurchase card, as of ``as_of``."""
    return as_of - dt.timedelta(days=RECENT_COHORT_DAYS[1]), as_of - dt.timedelta(days=RECENT_COHORT_DAYS[0])


def lifecycle_change(store: Store, as_of: dt.date, compare_as_of: dt.date) -> pd.DataFrame:
    """Customers per lifecycle stage on ``as_of`` beside ``compare_as_of``.

    Columns: lifecycle, customers, customer_share, compare_customers, change.
    """
    now = store.run("members_lifecycle", as_of=as_of)
    then = store.run("members_lifecycle", as_of=compare_as_of)
    out = now[["lifecycle", "customers", "customer_share"]].merge(
        then[["lifecycle", "customers"]].rename(columns={"customers": "compare_customers"}), on="lifecycle"
    )
    out["change"] = out["customers"] - out["compare_customers"]
    return out


def migration_summary(moves: pd.DataFrame) -> dict[str, int]:
    """Members per movement (new, up, down, same, changed) of ``queries/members_tier_migration.sql``."""
    totals = moves.groupby("movement")["members"].sum()
    return {m: int(totals.get(m, 0)) for m in ("new", "up", "down", "same", "changed")}
