"""Customers and members (METRICS.md "Customers and members") on hand-checked fixtures, the segment export,
and the members page in both languages.

Every expected number is worked out by hand in the comments next to the rows;
nothing is recomputed with the SQL under test. D (as_of) is 2024-06-30 unless
a test says otherwise; "n days" below is D − date.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from storeops.members import export_segments, member_cards, migration_summary, segment_name
from storeops.periods import Period

pytestmark = pytest.mark.usefixtures("isolated_cache_env")

ROOT = Path(__file__).resolve().parent.parent
D = dt.date(2024, 6, 30)
JUNE = Period(dt.date(2024, 6, 1), D)
HEADER = "order_id,order_time,customer_id,sku,quantity,unit_price,discount,refund_amount,status\n"

# ---------------------------------------------------------------- RFM, lifecycle, tiers, export

# The 365 days ending D are 2024-07-02 … 2024-06-30 (after D − 365 = 2023-07-01).
RFM_ORDERS = HEADER + (
    "A-1,2024-06-20 10:00,A,S1,1,1300,100,,paid\n"  # A: 1300 − 100 = 1200; 10 days; first order → new
    "B-1,2024-01-10 10:00,B,S1,1,100,,,paid\n"  # B: 100
    "B-2,2024-03-01 10:00,B,S1,2,60,20,,paid\n"  # B: 120 − 20 = 100 (B's second order: 51 days after the first)
    "B-3,2024-06-01 10:00,B,S1,1,50,,,paid\n"  # B: one order of two lines, 50 + 50
    "B-3,2024-06-01 10:00,B,S2,1,50,,,paid\n"
    "B-4,2024-06-15 10:00,B,S1,1,100,,,paid\n"  # B: 100; last order 15 days → active
    "C-1,2023-12-01 10:00,C,S1,1,500,,,paid\n"  # C: 500, 212 days → churned, still inside the 365 days
    "E-1,2024-03-15 10:00,E,S1,1,1000,,100,paid\n"  # E: 1000 − refund 100 = 900; 107 days → silent
    "E-2,2024-04-10 10:00,E,S1,1,999,,,cancelled\n"  # cancelled: not an order
    "G-1,2023-05-01 10:00,G,S1,1,800,,,paid\n"  # G: before the 365 days → not in the export
    "K-1,2024-06-25 10:00,K,S1,1,400,,,refunded\n"  # K: paid then fully refunded: an order of net 0; 5 days
    "Q-1,2024-06-26 10:00,Q,S1,1,300,,,pending\n"  # Q: pending only → not a customer
)
# RFM over A, B, C, E, K (n = 5):
#   R = 10, 15, 212, 107, 5    Σ 349, mean 69.8 → high (≤ mean): A, B, K
#   F = 1, 4, 1, 1, 1          Σ 8,   mean 1.6  → high (≥ mean): B
#   M = 1200, 400, 500, 900, 0 Σ 3000, mean 600 → high (≥ mean): A, E
# A HLH 重要发展, B HHL 一般价值, C LLL 一般挽留, E LLH 重要挽留, K HLL 一般发展.
# Tiers from M (Bronze 0, Silver 1000, …): A Silver, the others Bronze.
RFM_EXPORT = pd.DataFrame(
    {
        "customer_id": ["A", "B", "C", "E", "K"],
        "recency_days": [10, 15, 212, 107, 5],
        "frequency": [1, 4, 1, 1, 1],
        "monetary": [1200.0, 400.0, 500.0, 900.0, 0.0],
        "segment": ["重要发展", "一般价值", "一般挽留", "重要挽留", "一般发展"],
        "lifecycle": ["new", "active", "churned", "silent", "new"],
        "tier": ["Silver", "Bronze", "Bronze", "Bronze", "Bronze"],
    }
)

# A members file that gives tiers (A's Gold wins over spend; F has none and
# never ordered; Z joins after D, so is not a member yet on D).
MEMBERS = (
    "customer_id,joined_date,tier,points_balance,birthday\n"
    "A,2024-06-05,Gold,300,1990-07-01\n"
    "F,2024-01-01,,200,2000-02-29\n"
    "Z,2024-07-10,,1000,1995-07-02\n"
)


def test_export_segments_exact_output(make_store):
    store = make_store({"orders.csv": RFM_ORDERS})
    got = export_segments(store, D)
    pd.testing.assert_frame_equal(got, RFM_EXPORT, check_dtype=False)
    assert list(got.columns) == ["customer_id", "recency_days", "frequency", "monetary", "segment", "lifecycle", "tier"]


def test_export_segments_tiers_given_by_the_members_file(make_store):
    store = make_store({"orders.csv": RFM_ORDERS, "members.csv": MEMBERS})
    got = export_segments(store, D).set_index("customer_id")["tier"]
    # A: Gold from the file (spend alone would make Silver); B has no member row → derived Bronze.
    assert got.to_dict() == {"A": "Gold", "B": "Bronze", "C": "Bronze", "E": "Bronze", "K": "Bronze"}


def test_cli_export_segments(make_store, tmp_path):
    store = make_store({"orders.csv": RFM_ORDERS})
    out = tmp_path / "segments.csv"
    subprocess.run(
        [sys.executable, "-m", "storeops", "export", "segments", "--data", str(store.data_dir), "--as-of", str(D),
         "-o", str(out)],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese names
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "customer_id,recency_days,frequency,monetary,segment,lifecycle,tier"
    assert lines[1] == "A,10,1,1200.0,重要发展,new,Silver"
    assert lines[5] == "K,5,1,0.0,一般发展,new,Bronze"
    assert len(lines) == 6


def test_rfm_segments_summary(make_store):
    store = make_store({"orders.csv": RFM_ORDERS})
    rfm = store.run("members_rfm", as_of=D).set_index("rfm_code")
    assert list(rfm.index) == ["HHH", "LHH", "HLH", "LLH", "HHL", "LHL", "HLL", "LLL"]  # all eight, in METRICS order
    assert rfm.loc["HHH", "customers"] == 0 and rfm.loc["HHH", "net_revenue"] == 0
    assert pd.isna(rfm.loc["HHH", "mean_recency_days"])  # no customer: no mean, not 0
    assert rfm.loc["HLH", "customers"] == 1 and float(rfm.loc["HLH", "net_revenue"]) == 1200  # A
    assert rfm.loc["HLH", "customer_share"] == pytest.approx(1 / 5)
    assert rfm.loc["HLH", "revenue_share"] == pytest.approx(1200 / 3000)
    assert rfm.loc["HHL", "mean_frequency"] == 4  # B
    assert rfm.loc["HLL", "customers"] == 1  # K
    assert rfm["overall_mean_recency_days"].iloc[0] == pytest.approx(69.8)
    assert rfm["overall_mean_frequency"].iloc[0] == pytest.approx(1.6)
    assert float(rfm["overall_mean_monetary"].iloc[0]) == pytest.approx(600)
    assert rfm["customers"].sum() == 5


def test_ties_at_the_mean_are_high(make_store):
    # Three customers, one order each on the same day: R = 0 for all (= mean → high), F = 1 (= mean → high);
    # M = 0.10, 0.20, 0.30: mean 0.20 — in floating point (0.1 + 0.2 + 0.3) / 3 = 0.20000000000000004, which
    # would make T2 low; exactly, 0.20 ≥ 0.20 → high.
    orders = HEADER + (
        "T1-1,2024-06-30 10:00,T1,S1,1,0.10,,,paid\n"
        "T2-1,2024-06-30 11:00,T2,S1,1,0.20,,,paid\n"
        "T3-1,2024-06-30 12:00,T3,S1,1,0.30,,,paid\n"
    )
    store = make_store({"orders.csv": orders})
    got = export_segments(store, D).set_index("customer_id")["segment"].to_dict()
    assert got == {"T1": "一般价值", "T2": "重要价值", "T3": "重要价值"}  # HHL, HHH, HHH


STAGE_ORDERS = HEADER + (
    "N1-1,2024-06-01 10:00,N1,S1,1,10,,,paid\n"  # first order 29 days ago → new (< 30)
    "N2-1,2024-05-31 10:00,N2,S1,1,10,,,paid\n"  # 30 days → not new; last order < 90 → active
    "A1-1,2024-01-10 10:00,A1,S1,1,10,,,paid\n"
    "A1-2,2024-04-02 10:00,A1,S1,1,10,,,paid\n"  # last order 89 days → active
    "S1-1,2024-04-01 10:00,S1,S1,1,10,,,paid\n"  # 90 days → silent (not < 90)
    "S2-1,2024-01-03 10:00,S2,S1,1,10,,,paid\n"  # 179 days → silent
    "C1-1,2024-01-02 10:00,C1,S1,1,10,,,paid\n"  # 180 days → churned (≥ 180)
    "P2-1,2024-06-10 10:00,P2,S1,1,10,,,cancelled\n"  # P2 never paid
    "Q1-1,2024-06-10 10:00,Q1,S1,1,10,,,pending\n"  # not a member, never paid → unknown
    "L1-1,2024-07-01 10:00,L1,S1,1,10,,,paid\n"  # after D: not seen as of D
)
STAGE_MEMBERS = (
    "customer_id,joined_date\n"
    "P1,2024-03-01\n"  # member, no order → potential
    "P2,2024-06-01\n"  # member whose only order was cancelled → potential
    "X1,2024-07-05\n"  # joins after D → not known on D
)


def test_lifecycle_stages_at_their_boundaries(make_store):
    store = make_store({"orders.csv": STAGE_ORDERS, "members.csv": STAGE_MEMBERS})
    got = store.run("members_lifecycle", as_of=D).set_index("lifecycle")["customers"].to_dict()
    assert got == {"potential": 2, "new": 1, "active": 2, "silent": 2, "churned": 1}


def test_lifecycle_thresholds_come_from_settings(make_store):
    # new_days = 40: N2 (30 days) becomes new; active_days = 100: S1 (90 days) becomes active.
    store = make_store(
        {"orders.csv": STAGE_ORDERS, "settings.toml": "new_days = 40\nactive_days = 100\nsilent_days = 180\n"}
    )
    got = store.run("members_lifecycle", as_of=D).set_index("lifecycle")["customers"].to_dict()
    assert got == {"potential": 0, "new": 2, "active": 2, "silent": 1, "churned": 1}


# ---------------------------------------------------------------- tiers and migration

# June 2024; tiers as of 2024-05-31 (start − 1) and 2024-06-30. 365-day windows:
# 2023-06-02 … 2024-05-31 and 2023-07-02 … 2024-06-30.
TIER_ORDERS = HEADER + (
    "U-1,2024-05-01 10:00,U,S1,1,600,,,paid\n"  # U on 05-31: 600 Bronze
    "U-2,2024-06-10 10:00,U,S1,1,500,,,paid\n"  # U on 06-30: 1100 Silver → up (crosses 1000)
    "Dn-1,2023-06-15 10:00,Dn,S1,1,1500,,,paid\n"  # Dn on 05-31: 1500 Silver; on 06-30 the order left the window
    # → 0, Bronze → down
    "T-1,2024-06-15 10:00,T,S1,1,1000,,,paid\n"  # T: new; exactly 1000 → Silver (a threshold is inclusive)
    "S-1,2024-02-01 10:00,S,S1,1,5000,,,paid\n"  # S: Gold on both days → same
    "Nr-1,2024-06-20 10:00,Nr,S1,1,950,,,paid\n"  # Nr: new, Bronze, 950 ≥ 90% of 1000 → near Silver (50 to go)
    "Nr2-1,2024-06-21 10:00,Nr2,S1,1,899,,,paid\n"  # Nr2: new, Bronze, 899 < 900 → not near
)


def test_tier_migration_derived(make_store):
    store = make_store({"orders.csv": TIER_ORDERS})
    moves = store.run("members_tier_migration", start=JUNE.start, end=JUNE.end, basis="tier")
    got = {(f if isinstance(f, str) else None, to, m): n for f, to, m, n in
           moves[["from_tier", "to_tier", "movement", "members"]].itertuples(index=False)}  # fmt: skip
    assert got == {
        ("Gold", "Gold", "same"): 1,  # S
        ("Silver", "Bronze", "down"): 1,  # Dn
        ("Bronze", "Silver", "up"): 1,  # U
        (None, "Silver", "new"): 1,  # T
        (None, "Bronze", "new"): 2,  # Nr, Nr2
    }
    assert migration_summary(moves) == {"new": 3, "up": 1, "down": 1, "same": 1, "changed": 0}


def test_tier_migration_with_tiers_from_the_members_file(make_store):
    # U holds Gold in the members file: a snapshot, so U keeps Gold on both days under the METRICS.md tier;
    # the spend-based comparison still shows U's upgrade. Only U is a member: the others are not counted.
    members = "customer_id,joined_date,tier\nU,2024-01-01,Gold\n"
    store = make_store({"orders.csv": TIER_ORDERS, "members.csv": members})
    given = store.run("members_tier_migration", start=JUNE.start, end=JUNE.end, basis="tier")
    assert given[["from_tier", "to_tier", "movement", "members"]].values.tolist() == [["Gold", "Gold", "same", 1]]
    spend = store.run("members_tier_migration", start=JUNE.start, end=JUNE.end, basis="spend")
    assert spend[["from_tier", "to_tier", "movement", "members"]].values.tolist() == [["Bronze", "Silver", "up", 1]]


def test_tiers_table(make_store):
    store = make_store({"orders.csv": TIER_ORDERS})
    tiers = store.run("members_tiers", start=JUNE.start, end=JUNE.end).set_index("tier")
    assert list(tiers.index) == ["Gold", "Silver", "Bronze"]  # highest first
    # June buyers: U 500 (Silver), T 1000 (Silver), Nr 950 and Nr2 899 (Bronze); Σ 3349.
    assert tiers.loc["Silver", ["members", "buyers", "orders"]].tolist() == [2, 2, 2]  # U, T
    assert tiers.loc["Silver", "revenue_share"] == pytest.approx(1500 / 3349)
    assert tiers.loc["Silver", "aov"] == pytest.approx(750)
    assert tiers.loc["Silver", "orders_per_buyer"] == 1
    assert tiers.loc["Silver", "repurchase_rate"] == 0
    assert tiers.loc["Bronze", ["members", "buyers"]].tolist() == [3, 2]  # Dn, Nr, Nr2; Nr and Nr2 bought
    assert tiers.loc["Bronze", "aov"] == pytest.approx(1849 / 2)
    assert tiers.loc["Gold", ["members", "buyers"]].tolist() == [1, 0]  # S did not buy in June
    assert pd.isna(tiers.loc["Gold", "aov"]) and pd.isna(tiers.loc["Gold", "repurchase_rate"])  # no buyer: —, not 0


def test_members_near_the_next_tier(make_store):
    store = make_store({"orders.csv": TIER_ORDERS})
    near = store.run("members_near_tier", as_of=D, within=0.1)
    assert near[["customer_id", "tier", "next_tier"]].values.tolist() == [["Nr", "Bronze", "Silver"]]
    assert float(near.loc[0, "revenue_to_next"]) == pytest.approx(50)


def test_tier_thresholds_from_settings(make_store):
    # Gold from 900: Nr (950) is Gold on D; T (1000) too; U 1100 too.
    settings = "[tier_thresholds]\nBronze = 0\nSilver = 500\nGold = 900\n"
    store = make_store({"orders.csv": TIER_ORDERS, "settings.toml": settings})
    got = store.run("members_tiers", start=JUNE.start, end=JUNE.end).set_index("tier")["members"].to_dict()
    # Dn 0 → Bronze; Nr2 899 → Silver; S 5000, U 1100, T 1000, Nr 950 → Gold.
    assert got == {"Gold": 4, "Silver": 1, "Bronze": 1}


# ---------------------------------------------------------------- cohorts, 90-day repurchase, LTV

COHORT_ORDERS = HEADER + (
    "M1-1,2024-01-31 23:30,M1,S1,1,300,,,paid\n"  # Jan cohort (the last minutes of January)
    "M1-2,2024-02-01 00:10,M1,S1,1,100,,,paid\n"  # month 1; second order 1 day after the first
    "M1-3,2024-04-30 10:00,M1,S1,1,100,,,paid\n"  # month 3
    "M2-1,2024-01-15 10:00,M2,S1,1,100,,,paid\n"  # Jan cohort
    "M2-2,2024-04-14 10:00,M2,S1,1,100,,,paid\n"  # month 3; 90 days after the first (Jan 15 + 31 + 29 + 30) → counts
    "M3-1,2024-01-31 10:00,M3,S1,1,100,,,paid\n"  # Jan cohort
    "M3-2,2024-05-01 10:00,M3,S1,1,100,,,paid\n"  # month 4; 91 days after the first → does not count
    "M4-1,2024-02-01 09:00,M4,S1,1,100,,,paid\n"  # Feb cohort, one order
)
MAY_END = dt.date(2024, 5, 31)


def test_cohort_retention_and_ltv(make_store):
    store = make_store({"orders.csv": COHORT_ORDERS})
    df = store.run("members_cohorts", as_of=MAY_END, months=12)
    jan = df[df["cohort_month"] == pd.Timestamp("2024-01-01")].set_index("month_index")
    feb = df[df["cohort_month"] == pd.Timestamp("2024-02-01")].set_index("month_index")
    # Jan cohort M1, M2, M3 (3): active Jan 3, Feb 1 (M1), Mar 0, Apr 2 (M1, M2), May 1 (M3).
    assert jan["active_customers"].tolist() == [3, 1, 0, 2, 1]
    assert jan["retention_rate"].tolist() == pytest.approx([1, 1 / 3, 0, 2 / 3, 1 / 3])
    # Revenue by month 500, 100, 0, 200, 100 → cumulative per customer 500/3, 600/3, 600/3, 800/3, 900/3.
    assert jan["ltv"].tolist() == pytest.approx([500 / 3, 200, 200, 800 / 3, 300])
    # Feb cohort M4 (1): months Feb … May.
    assert feb["retention_rate"].tolist() == pytest.approx([1, 0, 0, 0])
    assert feb["ltv"].tolist() == pytest.approx([100, 100, 100, 100])
    assert not df["is_partial"].any()  # May 31 is the last day of May
    # As of May 30 the month of D is still running; M3's May 1 order is seen.
    partial = store.run("members_cohorts", as_of=dt.date(2024, 5, 30), months=12)
    assert partial.loc[partial["is_partial"], "month_index"].tolist() == [4, 3]  # May for Jan and Feb
    # months = 4 keeps the cohorts from February on.
    assert set(store.run("members_cohorts", as_of=MAY_END, months=4)["cohort_month"]) == {pd.Timestamp("2024-02-01")}


def test_90_day_repurchase_by_cohort(make_store):
    store = make_store({"orders.csv": COHORT_ORDERS})
    df = store.run("members_cohort_repurchase", as_of=MAY_END, months=12).set_index("cohort_month")
    # Jan: M1 (1 day) and M2 (90 days) yes, M3 (91 days) no → 2/3; Feb: M4 has no second order → 0.
    assert df["repurchased_90d"].tolist() == [2, 0]
    assert df["repurchase_90d"].tolist() == pytest.approx([2 / 3, 0])
    # Complete when the cohort's last day + 90 ≤ D: Jan 31 + 90 = Apr 30, Feb 29 + 90 = May 29 ≤ May 31.
    assert df["is_complete"].tolist() == [True, True]
    early = store.run("members_cohort_repurchase", as_of=dt.date(2024, 5, 28), months=12)
    assert early["is_complete"].tolist() == [True, False]


def test_ltv_by_tier(make_store):
    store = make_store({"orders.csv": COHORT_ORDERS})
    df = store.run("members_ltv_by_tier", as_of=MAY_END, months=12)
    # All four are Bronze on May 31 (M1 spent 500). Month k averages the cohorts that reached it:
    # k0 (500 + 100)/4, k1 (600 + 100)/4, k2 (600 + 100)/4, k3 (800 + 100)/4, k4 Jan only 900/3.
    assert set(df["tier"]) == {"Bronze"}
    assert df["customers"].tolist() == [4, 4, 4, 4, 3]
    assert df["ltv"].tolist() == pytest.approx([150, 175, 175, 225, 300])


def test_new_vs_returning_revenue_by_month(make_store):
    store = make_store({"orders.csv": COHORT_ORDERS})
    df = store.run("members_new_returning", as_of=MAY_END, months=12)
    # From January (the first month with orders): a customer is new in the month of their first order.
    assert [m.strftime("%Y-%m") for m in df["month"]] == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    assert df["new_revenue"].tolist() == [500, 100, 0, 0, 0]  # Jan: M1 300, M2, M3; Feb: M4
    assert df["returning_revenue"].tolist() == [0, 100, 0, 200, 100]  # Feb: M1; Apr: M1, M2; May: M3
    assert pd.isna(df.loc[2, "returning_revenue_share"])  # March: no revenue → no share


# ---------------------------------------------------------------- cards and birthdays


def test_member_cards_without_a_members_file(make_store):
    store = make_store({"orders.csv": RFM_ORDERS})
    cards = member_cards(store, JUNE)
    assert cards.values == {
        "members": 6,  # every customer with a paid order by D: A, B, C, E, G, K
        "active_members": 3,  # new or active: A, K (new), B (active)
        "new_members": 2,  # first paid order in June: A, K
        "repurchase_rate": pytest.approx(1 / 3),  # June buyers A, B, K; B ordered twice
        # First orders 2024-01-03 … 2024-04-01 (D − 179 … D − 90): B (second order after 51 days → yes), E (no) → 1/2.
        "repurchase_90d": 0.5,
        "returning_revenue_share": pytest.approx(200 / 1400),  # B's 100 + 100 of A 1200 + B 200 + K 0
        "points_balance": None,  # no members file: "—", never 0
    }
    assert not cards.has_members and not cards.has_tiers and not cards.has_points
    assert cards.recent_first_buyers == 2


def test_member_cards_with_a_members_file(make_store):
    store = make_store({"orders.csv": RFM_ORDERS, "members.csv": MEMBERS})
    cards = member_cards(store, JUNE)
    assert cards.values["members"] == 2  # A, F (Z joins after D)
    assert cards.values["active_members"] == 1  # A; F never bought (potential)
    assert cards.values["new_members"] == 1  # A joined 2024-06-05
    assert cards.values["points_balance"] == 500  # A 300 + F 200 (Z is not a member yet)
    assert cards.has_members and cards.has_tiers and cards.has_points and cards.has_birthdays


def test_birthdays_in_the_next_30_days(make_store):
    store = make_store({"orders.csv": RFM_ORDERS, "members.csv": MEMBERS})
    got = store.run("members_birthdays", as_of=D, days=30)
    # A: 1990-07-01 → 2024-07-01, 1 day, turns 34. F: 29 Feb → 2025-02-28, outside. Z: not a member on D.
    assert got[["customer_id", "days_until", "age"]].values.tolist() == [["A", 1, 34]]
    # 29 February falls on 28 February in a year without it; the window runs D + 1 … D + 30.
    feb = store.run("members_birthdays", as_of=dt.date(2025, 2, 20), days=30)
    assert feb[["customer_id", "days_until", "age"]].values.tolist() == [["F", 8, 25]]
    assert feb.loc[0, "next_birthday"] == pd.Timestamp("2025-02-28")
    assert store.run("members_birthdays", as_of=dt.date(2024, 7, 1), days=30).empty  # A's birthday is D itself


def test_segment_names():
    assert segment_name("HHH") == "重要价值"
    assert segment_name("LLH", "en") == "Must win back"
    assert segment_name("???") == "???"


# ---------------------------------------------------------------- the page

END = dt.date(2024, 6, 30)


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory):
    from storeops.sample import generate

    root = tmp_path_factory.mktemp("members-demo")
    generate(root / "data", order_lines=20_000, seed=3, end=END)
    return root / "data", root / "cache.duckdb"  # one cache for the module's pages: ingested once


def page(data: Path, cache: Path, monkeypatch, query: dict) -> AppTest:
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(cache))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params.update(query)
    at.run()
    at.switch_page("pages/members.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


# Each view's Plotly charts and download buttons on the demo data: tiers the Sankey; lists the near-tier and
# birthday lists; segments the RFM bars (segments downloadable) and the lifecycle; cohorts the retention heatmap,
# 90-day repurchase, LTV by cohort and by tier, new vs returning.
VIEW_CHARTS = {"tiers": 1, "lists": 0, "segments": 2, "cohorts": 5}
VIEW_DOWNLOADS = {"tiers": 0, "lists": 2, "segments": 1, "cohorts": 0}


def views(data: Path, cache: Path, monkeypatch, query: dict) -> dict[str, AppTest]:
    """The page in each of its views, each opened from a link naming it."""
    return {v: page(data, cache, monkeypatch, query | {"members_view": v}) for v in VIEW_CHARTS}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_on_demo_data(demo_data, monkeypatch, lang):
    shown = views(*demo_data, monkeypatch, {"lang": lang, "start": "2024-06-01", "end": "2024-06-30"})
    names = ["Members", "Active members", "New members", "Repurchase rate", "90-day repurchase", "Returning share",
             "Points liability"] if lang == "en" else ["会员数", "活跃会员", "新增会员", "复购率", "90天复购率",
                                                        "老客销售占比", "积分负债"]  # fmt: skip
    for view, at in shown.items():
        cards = {m.label: m.value for m in at.metric}
        assert list(cards) == names, view  # the cards head every view
        assert all(v != "—" for v in cards.values())  # the demo has members with points
        assert len(at.get("plotly_chart")) == VIEW_CHARTS[view], view
        assert len(at.get("download_button")) == VIEW_DOWNLOADS[view], view
        assert at.query_params["members_view"] == view
    segments = shown["segments"]
    if lang == "zh":
        assert segments.title[0].value == "会员分析"
        assert any("重要价值" in str(df.value.iloc[:, 0].tolist()) for df in segments.dataframe)
    else:
        assert any("Suggested action" in df.value.columns for df in segments.dataframe)
    assert shown["tiers"].dataframe[0].value.columns[0] == ("Tier" if lang == "en" else "等级")


def test_page_view_defaults_to_tiers_and_follows_the_control(demo_data, monkeypatch):
    """Without a view in the link (or with an unknown one) the page opens on tiers; choosing another view
    renders only that part and writes it to the URL."""
    at = page(*demo_data, monkeypatch, {"members_view": "nonsense"})
    assert at.query_params["members_view"] == "tiers"
    assert len(at.get("plotly_chart")) == VIEW_CHARTS["tiers"]
    assert not at.get("download_button")
    at.segmented_control(key="members-view").set_value("cohorts").run()
    assert not at.exception
    assert at.query_params["members_view"] == "cohorts"
    assert len(at.get("plotly_chart")) == VIEW_CHARTS["cohorts"]
    assert [h.value for h in at.header][-2:] == ["Cohorts and lifetime value", "New vs returning customers' revenue"]


def test_page_cards_equal_the_module(demo_data, monkeypatch):
    from storeops import fmt
    from storeops.db import Store

    at = page(*demo_data, monkeypatch, {"start": "2024-06-01", "end": "2024-06-30"})
    store = Store(demo_data[0], cache=demo_data[1])
    store.refresh(wait=True)
    want = member_cards(store, JUNE).values
    shown = {m.label: m.value for m in at.metric}
    assert shown["Members"] == fmt.count(want["members"], "en")
    assert shown["90-day repurchase"] == fmt.rate(want["repurchase_90d"], "en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_without_a_members_file(demo_data, tmp_path, monkeypatch, lang):
    data = tmp_path / "data"
    shutil.copytree(demo_data[0], data)
    (data / "members.csv").unlink()
    shown = views(data, tmp_path / "cache.duckdb", monkeypatch, {"lang": lang})
    for view, at in shown.items():
        cards = {m.label: (m.value, m.delta) for m in at.metric}
        points = cards["Points liability" if lang == "en" else "积分负债"]
        assert points[0] == "—" and "members" in points[1]
        assert at.info  # "No members file: every customer … counts as a member"
        assert len(at.get("plotly_chart")) == VIEW_CHARTS[view], view
    texts = " ".join(e.value for e in shown["lists"].info)
    assert ("birthday" in texts) if lang == "en" else ("生日" in texts)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_with_only_the_required_order_columns(tmp_path, monkeypatch, lang):
    data = tmp_path / "data"
    data.mkdir()
    (data / "orders.csv").write_text(
        "order_id,order_time,customer_id,sku,quantity,unit_price\n"
        "A1,2024-05-02 10:00,C1,S1,1,100.00\nA2,2024-06-02 10:00,C1,S1,1,50.00\nA3,2024-06-03 10:00,C2,S1,2,20.00\n"
    )
    at = page(data, tmp_path / "cache.duckdb", monkeypatch, {"lang": lang, "start": "2024-06-01", "end": "2024-06-30"})
    cards = {m.label: m.value for m in at.metric}
    assert cards["Members" if lang == "en" else "会员数"] == "2"
    # June buyers C1 (returning, 50) and C2 (new, 40): returning share 50 / 90.
    assert cards["Returning share" if lang == "en" else "老客销售占比"] == "55.6%"
    # No first order 90–179 days before D: "—" with the reason.
    assert cards["90-day repurchase" if lang == "en" else "90天复购率"] == "—"


def test_page_without_orders_names_the_missing_file(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "members.csv").write_text("customer_id,joined_date\nC1,2024-01-01\n")
    (data / "traffic.csv").write_text("date,channel,sessions\n2024-06-01,direct,10\n")
    at = page(data, tmp_path / "cache.duckdb", monkeypatch, {})
    assert "orders" in at.info[0].value


def test_birthdays_frame_through_arrow_equals_df(make_store):
    """members_birthdays is fetched through Arrow (storeops.db.ARROW_FRAMES): its frame equals DuckDB's df() of
    the same query, values and dtypes, with rows, without rows, and with a NULL integer (a member without
    points, converted through df())."""
    from storeops.db import ARROW_FRAMES, _arrow_frame, load_query

    assert "members_birthdays" in ARROW_FRAMES
    members = MEMBERS + "P,2024-01-01,,,1990-07-05\n"  # P: no points balance, birthday in 5 days
    store = make_store({"orders.csv": RFM_ORDERS, "members.csv": members})
    sql = load_query("members_birthdays")[0]
    _, con = store._connection()
    cases = [(D, 30, ["A", "P"]), (dt.date(2025, 2, 20), 30, ["F"]), (dt.date(2024, 7, 6), 30, [])]
    for as_of, days, ids in cases:
        cur = con.cursor()
        cur.execute("USE store")
        want = cur.execute(sql, {"as_of": as_of, "days": days}).df()
        got = _arrow_frame(cur, sql, {"as_of": as_of, "days": days})
        assert got["customer_id"].tolist() == ids
        assert [str(t) for t in got.dtypes] == [str(t) for t in want.dtypes]
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    # without NULLs the columns convert directly: dates as datetime64[us], as df() gives them
    got = store.run("members_birthdays", as_of=dt.date(2025, 2, 20), days=30)
    assert str(got["next_birthday"].dtype) == "datetime64[us]" and got["points_balance"].tolist() == [200]
