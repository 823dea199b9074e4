"""customer_timeline (queries/_model.sql): each customer's state per interval of days, and customer_state(as_of)
read from it as a filter.

A hand-worked fixture checks the rows (running 365-day orders and revenue, an order day that is also the day
older orders leave the window, a member before their first order, a member without orders) and the state on
days between orders and exactly 365 days back; then, on that fixture and on demo data, customer_state on many
days is compared with the straightforward definition (a group-by over paid_orders, the macro's former body).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

pytestmark = pytest.mark.usefixtures("isolated_cache_env")

d = dt.date
HEADER = "order_id,order_time,customer_id,sku,quantity,unit_price,discount,refund_amount,status\n"
# 2023 has 365 days: 2023-01-10 + 365 = 2024-01-10; 2024 is a leap year: 2023-06-01 + 365 = 2024-05-31,
# 2024-01-10 + 365 = 2025-01-09.
ORDERS = HEADER + (
    "A1,2023-01-10 09:00,A,S1,1,100,,,paid\n"  # A: two orders on 01-10, 100 + 50
    "A2,2023-01-10 18:00,A,S1,1,50,,,paid\n"
    "A3,2023-06-01 10:00,A,S1,1,40,10,,paid\n"  # A: 40 − 10 = 30
    "A4,2024-01-10 10:00,A,S1,1,70,,,paid\n"  # A: 70, the day the 2023-01-10 orders leave the window
    "A5,2023-08-01 10:00,A,S1,1,999,,,cancelled\n"  # cancelled: not an order
    "C1,2023-02-01 10:00,C,S1,1,80,,,paid\n"  # C: ordered before joining (2023-05-01)
    "E1,2023-07-01 10:00,E,S1,1,200,,,paid\n"  # E: not a member
)
MEMBERS = (
    "customer_id,joined_date,tier,points_balance,birthday\n"
    "B,2023-03-01,,10,1990-01-01\n"  # B: member, never ordered
    "C,2023-05-01,Gold,20,\n"
    "F,2023-09-01,,,\n"  # F: joins after a first order? no: never orders; joined 09-01
)
FAR = d(9999, 12, 31)

# The rows, by customer then from_date: (customer, from, to, last order day, orders_365, revenue_365).
TIMELINE = [
    ("A", d(2023, 1, 10), d(2023, 6, 1), d(2023, 1, 10), 2, 150.0),
    ("A", d(2023, 6, 1), d(2024, 1, 10), d(2023, 6, 1), 3, 180.0),
    # 2024-01-10: A4 comes in (+1, +70) as A1, A2 leave (−2, −150): one row, 2 orders, 100.
    ("A", d(2024, 1, 10), d(2024, 5, 31), d(2024, 1, 10), 2, 100.0),
    ("A", d(2024, 5, 31), d(2025, 1, 9), d(2024, 1, 10), 1, 70.0),  # A3 leaves
    ("A", d(2025, 1, 9), FAR, d(2024, 1, 10), 0, 0.0),  # A4 leaves: no orders in the window, still known
    ("B", d(2023, 3, 1), FAR, None, 0, 0.0),  # member from joining on, no orders
    ("C", d(2023, 2, 1), d(2024, 2, 1), d(2023, 2, 1), 1, 80.0),  # known from the order (before joining)
    ("C", d(2024, 2, 1), FAR, d(2023, 2, 1), 0, 0.0),
    ("E", d(2023, 7, 1), d(2024, 6, 30), d(2023, 7, 1), 1, 200.0),
    ("E", d(2024, 6, 30), FAR, d(2023, 7, 1), 0, 0.0),
    ("F", d(2023, 9, 1), FAR, None, 0, 0.0),
]


def _date(v: object) -> dt.date | None:
    return None if pd.isna(v) else pd.Timestamp(v).date()


@pytest.fixture
def store(make_store):
    return make_store({"orders.csv": ORDERS, "members.csv": MEMBERS})


def test_timeline_rows(store) -> None:
    got = store._query_uncached(
        "select customer_id, from_date, to_date, last_order_date, orders_365, revenue_365 from customer_timeline "
        "order by customer_id, from_date"
    )
    rows = [
        (
            r.customer_id,
            _date(r.from_date),
            _date(r.to_date),
            _date(r.last_order_date),
            int(r.orders_365),
            float(r.revenue_365),
        )
        for r in got.itertuples()
    ]
    assert rows == TIMELINE


def _state(store, as_of: dt.date) -> dict[str, tuple]:
    got = store._query_uncached(
        "select customer_id, is_member, first_order_date, last_order_date, orders_365, revenue_365, recency_days, "
        f"lifecycle, tier from customer_state(date '{as_of}') order by customer_id"
    )
    return {
        r.customer_id: (
            bool(r.is_member),
            _date(r.first_order_date),
            _date(r.last_order_date),
            int(r.orders_365),
            float(r.revenue_365),
            None if pd.isna(r.recency_days) else int(r.recency_days),
            r.lifecycle,
            r.tier,
        )
        for r in got.itertuples()
    }


def test_state_between_orders_and_exactly_365_days_back(store) -> None:
    # 2024-01-09: the 365 days are 2023-01-10 … 2024-01-09 (after 2023-01-09): A1, A2, A3 (180); recency 1.
    s = _state(store, d(2024, 1, 9))
    assert s["A"] == (False, d(2023, 1, 10), d(2023, 6, 1), 3, 180.0, 222, "churned", "Bronze")
    # 2024-01-10: 2023-01-10 is D − 365, outside the window; A4 that day is inside: A3 + A4.
    s = _state(store, d(2024, 1, 10))
    assert s["A"] == (False, d(2023, 1, 10), d(2024, 1, 10), 2, 100.0, 0, "active", "Bronze")
    # B: a member without orders is potential; C holds the members file's tier once joined; E has no row
    # before its first order; F has not joined yet.
    assert s["B"] == (True, None, None, 0, 0.0, None, "potential", "Bronze")
    assert s["C"] == (True, d(2023, 2, 1), d(2023, 2, 1), 1, 80.0, 343, "churned", "Gold")
    assert s["E"][3:5] == (1, 200.0)
    assert sorted(s) == ["A", "B", "C", "E", "F"]
    # Before C joined (2023-04-30) C is known by its order, not a member, tier derived.
    s = _state(store, d(2023, 4, 30))
    assert sorted(s) == ["A", "B", "C"]
    assert s["C"] == (False, d(2023, 2, 1), d(2023, 2, 1), 1, 80.0, 88, "active", "Bronze")
    # The day before anyone: nobody known.
    assert _state(store, d(2023, 1, 9)) == {}


# customer_state's former body: a group-by over paid_orders as of as_of (METRICS.md, written out directly).
REFERENCE = """
with o as (
    select customer_key, max(order_date) as last_order_date,
        count(*) filter (where order_date > $d - 365) as orders_365,
        coalesce(sum(net_revenue) filter (where order_date > $d - 365), 0) as revenue_365
    from paid_orders where order_date <= $d group by customer_key
)
select p.customer_key, p.customer_id,
    coalesce(p.joined_date <= $d, false) as is_member,
    case when p.joined_date <= $d then p.given_tier end as given_tier,
    case when p.joined_date <= $d then p.points_balance end as points_balance,
    case when o.customer_key is not null then p.first_order_date end as first_order_date,
    o.last_order_date, coalesce(o.orders_365, 0) as orders_365, coalesce(o.revenue_365, 0) as revenue_365
from customer_profile as p left join o on o.customer_key = p.customer_key
where o.customer_key is not null or p.joined_date <= $d
"""
STATE = """
select customer_key, customer_id, is_member, given_tier, points_balance, first_order_date, last_order_date,
    orders_365, revenue_365
from customer_state($d)
"""


def _same_state(store, days: list[dt.date]) -> None:
    for day in days:
        ref = REFERENCE.replace("$d", f"date '{day}'")
        new = STATE.replace("$d", f"date '{day}'")
        diff = store._query_uncached(
            f"select (select count(*) from (({ref}) except all ({new}))) as a, "
            f"(select count(*) from (({new}) except all ({ref}))) as b, (select count(*) from ({ref})) as n"
        ).iloc[0]
        assert (int(diff["a"]), int(diff["b"])) == (0, 0), day


def test_state_equals_the_group_by_on_every_day(store) -> None:
    start = d(2023, 1, 1)
    _same_state(store, [start + dt.timedelta(days=i) for i in range(0, 800, 3)] + [d(2024, 1, 10), d(2025, 1, 9)])


def test_state_equals_the_group_by_on_demo_data(demo) -> None:
    days = [d(2022, 7, 1), d(2023, 1, 31), d(2023, 6, 30), d(2023, 7, 1), d(2024, 2, 29), d(2024, 6, 2), d(2024, 6, 30)]
    _same_state(demo, days)


def test_tier_ranks_on_the_rows(make_store) -> None:
    """given_rank / derived_rank: the tier_rank of given_tier and derived_tier (default thresholds Bronze 0 = 1,
    Silver 1 000 = 2, Gold 5 000 = 3, Platinum 20 000 = 4); 0 for a given tier the settings do not know, NULL
    without a given tier."""
    orders = HEADER + (
        "G1,2023-01-10 09:00,G,S1,1,1500,,,paid\n"  # G: 1500 → Silver until it leaves the window on 2024-01-10
        "V1,2023-02-01 09:00,V,S1,1,100,,,paid\n"  # V: 100 → Bronze; given VIP, a tier the settings do not know
        "N1,2023-03-01 09:00,N,S1,1,6000,,,paid\n"  # N: 6000 → Gold, given Platinum
    )
    members = "customer_id,joined_date,tier,points_balance,birthday\nV,2023-01-01,VIP,,\nN,2023-01-01,Platinum,,\n"
    store = make_store({"orders.csv": orders, "members.csv": members})
    got = store._query_uncached(
        "select customer_id, from_date, given_tier, given_rank, derived_tier, derived_rank from customer_timeline "
        "order by customer_id, from_date"
    )
    rows = [
        (
            r.customer_id,
            _date(r.from_date),
            r.given_tier,
            None if pd.isna(r.given_rank) else int(r.given_rank),
            r.derived_tier,
            int(r.derived_rank),
        )
        for r in got.astype(object).where(got.notna(), None).itertuples()
    ]
    assert rows == [
        ("G", d(2023, 1, 10), None, None, "Silver", 2),
        ("G", d(2024, 1, 10), None, None, "Bronze", 1),  # 2023-01-10 + 365 = 2024-01-10
        ("N", d(2023, 1, 1), "Platinum", 4, "Bronze", 1),  # member before the first order: 0 revenue
        ("N", d(2023, 3, 1), "Platinum", 4, "Gold", 3),
        ("N", d(2024, 2, 29), "Platinum", 4, "Bronze", 1),  # 2023-03-01 + 365 = 2024-02-29
        ("V", d(2023, 1, 1), "VIP", 0, "Bronze", 1),
        ("V", d(2023, 2, 1), "VIP", 0, "Bronze", 1),
        ("V", d(2024, 2, 1), "VIP", 0, "Bronze", 1),
    ]


def test_rows_after_the_last_order_day_come_last(store) -> None:
    """A whole build stores the rows that begin after the last paid order day (2024-01-10 in the fixture: A's
    2024-05-31 and 2025-01-09, C's 2024-02-01, E's 2024-06-30) after all the others, each part by to_date."""
    got = store._query_uncached("select customer_id, from_date, to_date from customer_timeline order by rowid")
    rows = [(r.customer_id, _date(r.from_date), _date(r.to_date)) for r in got.itertuples()]
    assert sorted(rows[-4:]) == sorted(
        [
            ("A", d(2024, 5, 31), d(2025, 1, 9)),
            ("A", d(2025, 1, 9), FAR),
            ("C", d(2024, 2, 1), FAR),
            ("E", d(2024, 6, 30), FAR),
        ]
    )
    assert [r[2] for r in rows[-4:]] == sorted(r[2] for r in rows[-4:])
    assert [r[2] for r in rows[:-4]] == sorted(r[2] for r in rows[:-4])
