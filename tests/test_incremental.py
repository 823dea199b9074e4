"""Incremental ingest: a version brought up to date by deltas equals a version built whole.

Each scenario changes the data folder, ingests into a cache that already has
the previous version (the incremental path), ingests the same folder into a
copy of that cache with the delta path switched off (a whole build from the
same parts), and compares every table of the two, row for row. The first
version of each scenario is built from scratch.
customer_key is the one column allowed to differ: an incremental build keeps
each customer's key and numbers new customers after the largest, so rows are
compared with the key translated to its customer_id.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import BASE_MTIME, write_files

from storeops import ingest as ingest_mod
from storeops.db import Store
from storeops.ingest import CachePaths, ingest, model_steps

pytestmark = pytest.mark.usefixtures("isolated_cache_env")

ORDERS = "order_id,order_time,customer_id,sku,quantity,unit_price,discount,status,channel,platform\n"
JAN = ORDERS + (
    "O1,2024-01-02 10:00,c1,S1,1,100,0,paid,直通车,tmall\n"
    "O1,2024-01-02 10:00,c1,S2,2,10,5,paid,直通车,tmall\n"
    "O2,2024-01-03 11:00,c2,S1,1,100,0,paid,抖音,douyin\n"
    "O3,2024-01-05 09:00,c1,S2,1,10,0,refunded,直通车,tmall\n"
    "O4,2024-01-20 12:00,c3,S3,3,7,0,cancelled,,\n"
)
FEB = ORDERS + (
    "O5,2024-02-01 10:00,c2,S3,1,7,0,paid,抖音,douyin\n"
    "O6,2024-02-02 10:00,c4,S1,1,100,10,paid,小红书,xiaohongshu\n"
    "O7,2024-02-10 10:00,c1,S1,1,100,0,pending,直通车,tmall\n"
)
MAR = ORDERS + (
    "O8,2024-03-01 10:00,c5,S2,4,10,0,paid,抖音,douyin\n"
    "O9,2024-03-02 10:00,c1,S3,1,7,0,paid,直通车,tmall\n"
    "O9,2024-03-02 10:00,c1,S1,1,100,0,paid,直通车,tmall\n"
)
MEMBERS = (
    "customer_id,joined_date,tier,points_balance\nc1,2023-06-01,Gold,100\nc2,2024-01-10,,5\nm9,2023-01-01,Silver,0\n"
)
TRAFFIC = "date,channel,platform,sessions\n2024-01-02,直通车,tmall,100\n2024-01-03,抖音,douyin,50\n"
ADS = "date,channel,campaign,spend\n2024-01-02,直通车,brand,30\n2024-02-01,抖音,,20\n"
INVENTORY = (
    "snapshot_date,sku,on_hand,unit_cost,product_name,category\n"
    "2024-01-01,S1,10,40,Coat,Women\n2024-01-01,S2,5,3,Sock,Men\n2024-01-01,S3,1,2,Hat,\n"
)
BASE = {
    "orders/orders_2024-01.csv": JAN,
    "orders/orders_2024-02.csv": FEB,
    "members.csv": MEMBERS,
    "traffic.csv": TRAFFIC,
    "ad_spend.csv": ADS,
    "inventory.csv": INVENTORY,
}

# Pre-aggregated tables with refresh lines, as queries/_aggregates.sql would declare them.
AGGREGATES = """
-- daily: one row per day with a line.
-- refresh: order_date in changed_days
create table test_daily as
select order_date, count(*) as lines, sum(net_revenue) as net, count(distinct customer_id) as buyers
from order_lines
group by order_date;

-- buyers: one row per customer with a line or a member row.
-- refresh: customer_id in changed_customers
create table test_buyers as
select p.customer_id, p.joined_date, count(o.order_id) as lines, sum(o.net_revenue) as net
from customer_profile as p
left join order_lines as o
    on o.customer_id = p.customer_id
group by p.customer_id, p.joined_date;

-- ads: rebuilt whole every time.
create table test_ads as
select date, sum(spend) as spend from ad_days group by date;

-- tiers on a day: no refresh line, and the tables it reads are behind a macro (customer_timeline, members)
create table test_tiers as
select tier, count(*) as n from member_state(date '2024-03-31') group by tier;
"""


def differences(a: Path, b: Path) -> list[str]:
    """Every table whose rows differ between the two cache files (customer_key compared via customer_id)."""
    con = duckdb.connect()
    con.execute("ATTACH $p AS a (READ_ONLY)", {"p": str(a)})
    con.execute("ATTACH $p AS b (READ_ONLY)", {"p": str(b)})

    def tables(db: str) -> set[str]:
        rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = $db", {"db": db})
        return {r[0] for r in rows.fetchall()}

    out = [f"tables only in one: {sorted(tables('a') ^ tables('b'))}"] if tables("a") != tables("b") else []
    for t in sorted(tables("a") & tables("b")):
        cols = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = 'a' AND table_name = $t "
                "ORDER BY column_index",
                {"t": t},
            ).fetchall()
            if r[0] not in ("customer_key", "built_at")
        ]
        keyed = (
            t != "customer_profile"
            and con.execute(
                "SELECT count(*) FROM duckdb_columns() WHERE database_name = 'a' AND table_name = $t "
                "AND column_name = 'customer_key'",
                {"t": t},
            ).fetchall()[0][0]
        )

        def rows(db: str, cols: list[str] = cols, t: str = t, keyed: bool = bool(keyed)) -> str:
            picked = ", ".join(f"x.{c}" for c in cols)
            if keyed:
                return (
                    f"SELECT {picked}, p.customer_id AS key_of FROM {db}.{t} AS x "
                    f"LEFT JOIN {db}.customer_profile AS p USING (customer_key)"
                )
            return f"SELECT {picked} FROM {db}.{t} AS x"

        only_a = con.execute(f"SELECT * FROM ({rows('a')} EXCEPT ALL {rows('b')})").fetchall()
        only_b = con.execute(f"SELECT * FROM ({rows('b')} EXCEPT ALL {rows('a')})").fetchall()
        if only_a or only_b:
            out.append(f"{t}: only incremental {only_a[:3]}, only whole {only_b[:3]}")
    keys = con.execute("SELECT count(*), count(DISTINCT customer_key) FROM a.customer_profile").fetchall()[0]
    if keys[0] != keys[1]:
        out.append(f"customer_key not unique: {keys}")
    con.close()
    return out


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """(data dir, step): ``step(files, mtimes, remove)`` changes the folder, ingests incrementally and whole,
    and returns how the incremental cache was built ("delta" or "whole")."""
    aggregates = tmp_path / "_aggregates.sql"
    aggregates.write_text(AGGREGATES, encoding="utf-8")
    monkeypatch.setattr(ingest_mod, "MODEL_FILES", (ingest_mod.MODEL_FILES[0], aggregates))
    return _world(tmp_path, monkeypatch)


@pytest.fixture
def real_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``world`` with the real queries/_aggregates.sql."""
    return _world(tmp_path, monkeypatch)


def _world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    data = tmp_path / "data"
    kept = CachePaths.for_data(data, tmp_path / "kept" / "cache.duckdb")
    how: list[str] = []
    real_update, real_base = ingest_mod._update_into, ingest_mod.delta_base

    def spy(*args, **kwargs):
        how.append("delta")
        return real_update(*args, **kwargs)

    monkeypatch.setattr(ingest_mod, "_update_into", spy)
    counter = iter(range(1, 1000))

    def step(files: dict[str, str | bytes] | None = None, mtimes: dict[str, int] | None = None, remove=()) -> str:
        for rel in remove:
            (data / rel).unlink()
        # every written file is newer than the last, unless the scenario says otherwise
        times = {rel: BASE_MTIME + 60 * next(counter) for rel in files or {}}
        write_files(data, files or {}, {**times, **(mtimes or {})})
        # the whole build starts from the same cache (same parts, same last good part of a rejected file)
        whole = tmp_path / f"whole{next(counter)}"
        if kept.db.parent.exists():
            shutil.copytree(kept.db.parent, whole)
        how.clear()
        ingest(data, kept)
        incremental = how[:1] == ["delta"]
        monkeypatch.setattr(ingest_mod, "delta_base", lambda *args: None)
        ingest(data, CachePaths.for_data(data, whole / "cache.duckdb"))
        monkeypatch.setattr(ingest_mod, "delta_base", real_base)
        problems = differences(kept.db, whole / "cache.duckdb")
        assert problems == [], problems
        shutil.rmtree(whole)
        return "delta" if incremental else "whole"

    step(BASE)
    return data, step, kept


def test_a_new_file(world) -> None:
    _, step, kept = world
    assert step({"orders/orders_2024-03.csv": MAR}) == "delta"
    con = duckdb.connect()
    con.execute("ATTACH $p AS c (READ_ONLY)", {"p": str(kept.db)})
    # c5 is new (numbered after the others), c1 keeps its key; hand-worked totals for March:
    # O8 4 × 10 = 40, O9 7 + 100 = 107.
    assert con.execute("SELECT sum(net) FROM c.test_daily WHERE order_date >= DATE '2024-03-01'").fetchall() == [(147,)]
    keys = dict(con.execute("SELECT customer_id, customer_key FROM c.customer_profile").fetchall())
    assert keys["c5"] == max(keys.values())
    assert con.execute(
        "SELECT r.first_order_date, r.second_order_date FROM c.customer_repeat AS r "
        "JOIN c.customer_profile USING (customer_key) WHERE customer_id = 'c1'"
    ).fetchall() == [(dt.date(2024, 1, 2), dt.date(2024, 1, 5))]
    con.close()
    # a new order dated before c4's first one (their first_order_date moves in every table), one unpaid
    late = ORDERS + "O11,2024-01-01 08:00,c4,S2,1,10,0,paid,,\nO12,2024-01-01 09:00,c9,S2,1,10,0,pending,,\n"
    assert step({"orders/orders_late.csv": late}) == "delta"
    con = duckdb.connect()
    con.execute("ATTACH $p AS c (READ_ONLY)", {"p": str(kept.db)})
    assert con.execute("SELECT DISTINCT first_order_date FROM c.paid_orders WHERE customer_id = 'c4'").fetchall() == [
        (dt.date(2024, 1, 1),)
    ]
    assert con.execute("SELECT first_order_id FROM c.customers WHERE customer_id = 'c4'").fetchall() == [("O11",)]


def test_a_changed_file(world) -> None:
    _, step, _ = world
    changed = ORDERS + (
        "O5,2024-02-01 10:00,c2,S3,1,7,0,refunded,抖音,douyin\n"  # refunded now
        "O6,2024-02-03 10:00,c6,S1,1,100,10,paid,小红书,xiaohongshu\n"  # another customer, another day
    )  # O7 gone
    assert step({"orders/orders_2024-02.csv": changed}) == "delta"


def test_a_removed_file(world) -> None:
    _, step, _ = world
    assert step({"orders/orders_2024-03.csv": MAR}) == "delta"
    assert step(remove=["orders/orders_2024-01.csv"]) == "delta"


def test_a_newer_file_replaces_keys_of_an_older_one_and_its_removal_brings_them_back(world) -> None:
    _, step, _ = world
    fix = ORDERS + (
        "O1,2024-01-04 10:00,c7,S3,1,7,0,paid,抖音,douyin\n"  # O1: one line, another customer and day
        "O5,2024-02-01 10:00,c2,S3,2,7,0,paid,抖音,douyin\n"  # O5 from February: two units
    )
    assert step({"orders/orders_fix.csv": fix}) == "delta"
    # an older export dropped in late (older mtime): the February file still wins O5
    old = ORDERS + "O5,2024-02-01 10:00,c9,S1,9,9,0,paid,,\nO10,2024-01-09 10:00,c9,S1,1,9,0,paid,,\n"
    assert step({"orders/orders_old.csv": old}, mtimes={"orders/orders_old.csv": BASE_MTIME - 600}) == "delta"
    assert step(remove=["orders/orders_fix.csv"]) == "delta"


def test_a_rejected_file_keeps_its_last_good_part(world) -> None:
    _, step, kept = world
    assert step({"orders/orders_2024-03.csv": MAR}) == "delta"
    assert step({"orders/orders_2024-03.csv": b""}) == "delta"
    con = duckdb.connect()
    con.execute("ATTACH $p AS c (READ_ONLY)", {"p": str(kept.db)})
    assert con.execute("SELECT count(*) FROM c.orders WHERE _file = 'orders/orders_2024-03.csv'").fetchall() == [(3,)]
    assert con.execute(
        "SELECT status, stale_part FROM c.files WHERE file = 'orders/orders_2024-03.csv'"
    ).fetchall() == [("rejected", True)]


def test_a_new_members_file_and_new_traffic(world) -> None:
    _, step, _ = world
    more = "customer_id,joined_date,tier\nc2,2024-01-10,Platinum\nc8,2024-02-01,\nm9,2023-01-02,Silver\n"
    assert step({"members_new.csv": more}) == "delta"
    traffic = TRAFFIC + "2024-01-02,抖音,douyin,7\n"
    assert step({"traffic.csv": traffic, "ad_spend.csv": ADS + "2024-01-02,抖音,x,5\n"}) == "delta"


def test_whole_builds_when_inventory_or_reference_data_change(world) -> None:
    _, step, _ = world
    assert step({"inventory.csv": INVENTORY.replace("S3,1,2,Hat,", "S3,1,2,Hat,Kids")}) == "whole"
    assert step({"channel_map.csv": "raw_value,channel\n抖音,social\n"}) == "whole"
    assert step({"orders/orders_2024-03.csv": MAR}) == "delta"


def test_refresh_annotations_are_read() -> None:
    steps = {s.table: s for s in model_steps() if s.table}
    assert steps["order_lines"].refresh == ("order_id", "changed_orders")
    assert steps["customer_profile"].stable_key == ("customer_key", "changed_customer_keys")
    assert steps["paid_orders"].inputs == ("order_lines", "customer_profile")
    assert steps["sku_info"].refresh is None
    assert steps["customer_timeline"].refresh == ("customer_key", "changed_customer_keys")
    assert steps["customer_timeline"].inputs == ("paid_orders", "customer_profile")


def test_the_spare_is_updated_unless_a_reader_has_it(world, monkeypatch: pytest.MonkeyPatch) -> None:
    data, step, kept = world
    copies: list[str] = []
    real_copy = ingest_mod._copy

    def copy(src: Path, dst: Path) -> None:
        if Path(dst).parent == kept.db.parent:  # not the whole builds the steps compare with
            copies.append(Path(src).name)
        real_copy(src, dst)

    monkeypatch.setattr(ingest_mod, "_copy", copy)
    # the first version was built whole: its spare is a copy; from then on the spare is the version before
    assert step({"orders/orders_2024-03.csv": MAR}) == "delta"
    assert step({"members_new.csv": "customer_id,joined_date\nc5,2024-03-01\n"}) == "delta"
    assert copies == []
    # a Store in this process reads the version that is the spare after the next ingest …
    store = Store(data, cache=kept.db)
    assert store.run("data_range").shape[0] == 1
    assert step({"orders/orders_2024-04.csv": ORDERS + "P1,2024-04-01 10:00,c1,S1,1,100,0,paid,,\n"}) == "delta"
    assert kept.spare.stat().st_nlink == 1
    # … so the ingest after it copies the current version instead of writing into the file the Store reads
    assert step(remove=["orders/orders_2024-04.csv"]) == "delta"
    assert copies == ["cache.duckdb"]
    assert store.run("data_range").shape[0] == 1


def _rows(kept: CachePaths, sql: str) -> list[tuple]:
    con = duckdb.connect()
    con.execute("ATTACH $p AS c (READ_ONLY)", {"p": str(kept.db)})
    con.execute("USE c")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_real_aggregates_follow_new_changed_and_removed_files(real_world) -> None:
    """multi_cell_orders is refreshed per changed order, first_order_cells per customer whose first paid order
    changed; every table still equals a whole build (``step``)."""
    _, step, kept = real_world
    first_cells = "SELECT customer_id, order_date FROM first_order_cells ORDER BY ALL"
    multi = "SELECT order_date, order_id FROM multi_cell_orders ORDER BY ALL"
    d = dt.date
    assert _rows(kept, multi) == []
    # a new month: c6's O13 has paid lines on two days (a multi-cell order, c6's first order on both days)
    march = MAR + (
        "O13,2024-03-03 23:00,c6,S1,1,100,0,paid,抖音,douyin\nO13,2024-03-04 01:00,c6,S2,1,10,0,paid,抖音,douyin\n"
    )
    assert step({"orders/orders_2024-03.csv": march}) == "delta"
    assert _rows(kept, multi) == [(d(2024, 3, 3), "O13"), (d(2024, 3, 4), "O13")]
    assert _rows(kept, first_cells) == [
        ("c1", d(2024, 1, 2)),  # O1, unchanged
        ("c2", d(2024, 1, 3)),
        ("c4", d(2024, 2, 2)),
        ("c5", d(2024, 3, 1)),
        ("c6", d(2024, 3, 3)),
        ("c6", d(2024, 3, 4)),
    ]
    # an earlier order of c1 in a new file: O0 becomes c1's first order
    early = ORDERS + "O0,2023-12-31 10:00,c1,S3,1,7,0,paid,直通车,tmall\n"
    assert step({"orders/orders_early.csv": early}) == "delta"
    assert _rows(kept, first_cells + " LIMIT 1") == [("c1", d(2023, 12, 31))]
    # … and removed again: O1 (unchanged, in no changed file) is c1's first order again
    assert step(remove=["orders/orders_early.csv"]) == "delta"
    assert _rows(kept, first_cells + " LIMIT 1") == [("c1", d(2024, 1, 2))]
    # O13's second line moves to the first day: no longer multi-cell
    assert step({"orders/orders_2024-03.csv": march.replace("2024-03-04 01:00", "2024-03-03 23:30")}) == "delta"
    assert _rows(kept, multi) == []
    assert _rows(kept, "SELECT order_date FROM first_order_cells WHERE customer_id = 'c6'") == [(d(2024, 3, 3),)]


def test_a_new_week_of_orders_takes_the_append_path(real_world, monkeypatch: pytest.MonkeyPatch) -> None:
    """New orders only (a new week): customers, customer_profile, paid_orders and customer_days are brought up
    to date from their rows for the changed customers and the added lines; every table still equals a whole
    build (``step``), including the customers the shortcuts treat apart."""
    _, step, kept = real_world
    taken: list[str] = []
    for name in ("_append_customers", "_append_customer_profile", "_append_customer_days"):
        real = getattr(ingest_mod, name)
        monkeypatch.setattr(
            ingest_mod, name, lambda *a, _real=real, _name=name, **k: (taken.append(_name), _real(*a, **k))
        )
    week = ORDERS + (
        "W1,2024-03-05 10:00,c1,S1,1,100,0,paid,直通车,tmall\n"  # c1 returns
        "W2,2024-01-05 12:00,c1,S2,1,10,0,paid,直通车,tmall\n"  # … and has a second order on a day they had one
        "W3,2024-03-07 23:00,c1,S1,1,100,0,paid,抖音,douyin\n"  # an order over two days
        "W3,2024-03-08 01:00,c1,S2,1,10,0,paid,抖音,douyin\n"
        "W4,2024-03-06 10:00,m9,S3,1,7,0,paid,,\n"  # a member's first order
        "W5,2024-02-02 09:00,c4,S2,1,10,0,paid,小红书,xiaohongshu\n"  # before c4's first order, the same day
        "W6,2024-03-09 10:00,c2,S1,1,100,0,pending,抖音,douyin\n"  # c2: an unpaid line only
        "W7,2024-03-09 11:00,c3,S1,1,100,0,paid,,\n"  # c3 had a cancelled order only: new
        "W8,2024-03-10 11:00,c8,S2,2,10,0,paid,,\n"  # a new customer
        "W9,2024-03-10 12:00,c9,S2,1,10,0,pending,,\n"  # a new customer with an unpaid line only: no profile
    )
    assert step({"orders/orders_week.csv": week}) == "delta"
    assert taken == ["_append_customers", "_append_customer_profile", "_append_customer_days"]
    d = dt.date
    assert _rows(kept, "SELECT order_date, orders FROM customer_days WHERE customer_id = 'c1' ORDER BY 1") == [
        (d(2024, 1, 2), 1),
        (d(2024, 1, 5), 2),  # O3 and W2
        (d(2024, 3, 5), 1),
        (d(2024, 3, 7), 1),
        (d(2024, 3, 8), 1),
    ]
    assert _rows(kept, "SELECT first_order_id FROM customers WHERE customer_id IN ('c4', 'm9') ORDER BY 1") == [
        ("W4",),
        ("W5",),
    ]
    profile = dict(_rows(kept, "SELECT customer_id, first_order_date FROM customer_profile"))
    assert profile["m9"] == d(2024, 3, 6) and profile["c3"] == d(2024, 3, 9) and "c9" not in profile
    # m9's member row (joined 2023-01-01) now ends on their first order day
    assert _rows(
        kept, "SELECT from_date, to_date FROM customer_timeline WHERE customer_id = 'm9' ORDER BY 1 LIMIT 1"
    ) == [(d(2023, 1, 1), d(2024, 3, 6))]
    # a year later: c1's orders have left the 365-day window; new orders and a new members file together
    # (customer_profile then takes the general path)
    taken.clear()
    later = ORDERS + "W10,2025-03-10 10:00,c1,S1,1,100,0,paid,,\nW11,2025-03-11 10:00,c10,S1,1,100,0,paid,,\n"
    assert step({"orders/orders_later.csv": later}) == "delta"
    assert taken == ["_append_customers", "_append_customer_profile", "_append_customer_days"]
    assert _rows(
        kept,
        "SELECT orders_365, prev_order_date FROM customer_timeline WHERE customer_id = 'c1' "
        "AND from_date = DATE '2025-03-10'",
    ) == [(1, d(2024, 3, 7))]  # W3 dated by its first paid line
    taken.clear()
    members = "customer_id,joined_date,tier\nc10,2025-01-01,Gold\nc11,2025-01-02,\n"
    more = ORDERS + "W12,2025-03-12 10:00,c11,S1,1,100,0,paid,,\nW13,2025-03-12 11:00,c1,S2,1,10,0,paid,,\n"
    assert step({"orders/orders_more.csv": more, "members_new.csv": members}) == "delta"
    assert taken == ["_append_customers", "_append_customer_days"]


def test_a_new_week_rewrites_only_the_end_of_each_customers_timeline(real_world, monkeypatch) -> None:
    """customer_timeline on the append path: a customer whose profile row stays keeps their rows before their
    last order day L preceding the added ones (the cut); the statement is fed their order days from the one
    before L, or from L − 364 when that is earlier (``first_day``); the result equals a whole build (``step``).
    """
    _, step, kept = real_world
    seen: list[tuple] = []
    real = ingest_mod._append_customer_timeline

    def spy(con, *args, **kwargs):
        real(con, *args, **kwargs)
        seen.append(
            (
                con.execute(
                    "SELECT p.customer_id, c.cut, c.first_day FROM _d_timeline_cut AS c "
                    "JOIN _d_timeline_profile AS p USING (customer_key) ORDER BY 1"
                ).fetchall(),
                con.execute(
                    "SELECT r.from_date FROM _d_removed_customer_timeline AS r JOIN _d_timeline_cut AS c "
                    "USING (customer_key) WHERE r.from_date >= c.cut ORDER BY 1"
                ).fetchall(),
            )
        )

    monkeypatch.setattr(ingest_mod, "_append_customer_timeline", spy)
    # the statement's closing sort, which the append path moves after dropping the rows it keeps, and its
    # join with the profile rows, where the append path drops the rows before each cut
    timeline = next(s for s in model_steps() if s.table == "customer_timeline")
    assert ingest_mod._TIMELINE_ORDER.search(timeline.select)
    assert ingest_mod._TIMELINE_PROFILE_JOIN.search(timeline.select)
    d = dt.date
    # c1 had paid orders on 2024-01-02 and 2024-01-05 (O3, refunded, counts as paid); c4 on 2024-02-02
    assert step({"orders/orders_a.csv": ORDERS + "A1,2025-01-10 10:00,c1,S1,1,100,0,paid,,\n"}) == "delta"
    # L = 2024-01-05, the day before it 2024-01-02 is within 364 days of L: first_day = L − 364
    assert seen[-1][0] == [("c1", d(2024, 1, 5), d(2023, 1, 6))]
    # rewritten: the rows from L on (2025-01-01 and 2025-01-04: O1 and O3 leave the 365-day window)
    assert seen[-1][1] == [(d(2024, 1, 5),), (d(2025, 1, 1),), (d(2025, 1, 4),)]
    # Each ingest updates the spare, the version before the current one: its delta is the last two files.
    c4 = ORDERS + "B2,2024-02-02 08:00,c4,S2,1,10,0,paid,,\n"  # c4's first order day again: no earlier day
    assert step({"orders/orders_b.csv": c4}) == "delta"
    assert seen[-1][0] == [("c1", d(2024, 1, 5), d(2023, 1, 6)), ("c4", None, None)]
    assert step({"orders/orders_c.csv": ORDERS + "C1,2025-06-01 10:00,c1,S1,1,100,0,paid,,\n"}) == "delta"
    # c1: L = 2025-01-10; the order day before it, 2024-01-05, is more than 364 days earlier: first_day, and
    # 2024-01-02 is not fed to the statement
    assert seen[-1][0] == [("c1", d(2025, 1, 10), d(2024, 1, 5)), ("c4", None, None)]
    assert seen[-1][1] == [(d(2025, 1, 10),), (d(2026, 1, 10),)]
    assert _rows(
        kept,
        "SELECT from_date, to_date, orders_365, prev_order_date, next_order_date FROM customer_timeline "
        "WHERE customer_id = 'c1' AND from_date >= DATE '2025-01-10' ORDER BY 1",
    ) == [
        (d(2025, 1, 10), d(2025, 6, 1), 1, d(2024, 1, 5), d(2025, 6, 1)),
        (d(2025, 6, 1), d(2026, 1, 10), 2, d(2025, 1, 10), None),
        (d(2026, 1, 10), d(2026, 6, 1), 1, d(2025, 6, 1), None),
        (d(2026, 6, 1), d(9999, 12, 31), 0, d(2025, 6, 1), None),
    ]


def test_a_new_week_keeps_the_customer_repeat_rows_that_cannot_change(real_world, monkeypatch) -> None:
    """customer_repeat on the append path: each changed customer's row is decided from their row before and
    their first added order day; only the hard cases read paid_orders; the result equals a whole build."""
    _, step, kept = real_world
    seen: list[list[tuple]] = []
    real = ingest_mod._append_customer_repeat

    def spy(con, *args, **kwargs):
        real(con, *args, **kwargs)
        seen.append(
            con.execute(
                "SELECT p.customer_id, c.how FROM _d_repeat_cases AS c "
                "JOIN _d_added_customer_profile AS p USING (customer_key) ORDER BY 1"
            ).fetchall()
        )

    monkeypatch.setattr(ingest_mod, "_append_customer_repeat", spy)
    # before: c1 O1 2024-01-02, O3 2024-01-05; c2 O2 2024-01-03, O5 2024-02-01; c4 O6 2024-02-02 10:00
    week = ORDERS + (
        "R1,2024-01-05 12:00,c1,S1,1,100,0,paid,,\n"  # on c1's second order day: hard
        "R2,2024-03-01 10:00,c2,S1,1,100,0,paid,,\n"  # after c2's second order day: the row stays
        "R3,2024-03-02 10:00,c4,S1,1,100,0,paid,,\n"  # c4's second order
        "R4,2024-03-03 10:00,c7,S1,1,100,0,paid,,\n"  # a new customer …
        "R5,2024-03-04 10:00,c7,S2,1,10,0,paid,,\n"  # … with two orders
    )
    assert step({"orders/orders_r.csv": week}) == "delta"
    assert seen[-1] == [("c1", "hard"), ("c2", "same"), ("c4", "second"), ("c7", "new")]
    d = dt.date
    assert _rows(
        kept,
        "SELECT p.customer_id, r.first_order_date, r.second_order_date FROM customer_repeat AS r "
        "JOIN customer_profile AS p USING (customer_key) ORDER BY 1",
    ) == [
        ("c1", d(2024, 1, 2), d(2024, 1, 5)),
        ("c2", d(2024, 1, 3), d(2024, 2, 1)),
        ("c4", d(2024, 2, 2), d(2024, 3, 2)),
        ("c7", d(2024, 3, 3), d(2024, 3, 4)),
    ]


def test_a_new_week_keeps_the_tables_it_does_not_change(real_world, monkeypatch) -> None:
    """A new week: the tables without ``refresh:`` whose inputs did not change (sku_info, traffic_days,
    ad_days, …) and the files' rows_replaced (the added file's keys are apart) are not computed again.
    customer_days carries each customer's customer_key. Every table still equals a whole build (``step``)."""
    _, step, kept = real_world
    statements: list[str] = []
    inside = [False]
    real_exec, real_update = ingest_mod._exec, ingest_mod._update_into

    def spy_exec(con, sql, params=None):
        if inside[0]:
            statements.append(" ".join(sql.split()))
        return real_exec(con, sql, params)

    def spy_update(*args, **kwargs):  # only the incremental ingest's statements, not the whole build's
        inside[0] = True
        try:
            return real_update(*args, **kwargs)
        finally:
            inside[0] = False

    monkeypatch.setattr(ingest_mod, "_exec", spy_exec)
    monkeypatch.setattr(ingest_mod, "_update_into", spy_update)
    week = ORDERS + "N1,2024-03-20 10:00,c1,S1,1,100,0,paid,,\nN2,2024-03-21 10:00,c6,S2,1,10,0,paid,,\n"
    assert step({"orders/orders_week.csv": week}) == "delta"
    made = {m.group(1) for s in statements for m in [re.match(r"create table (\w+) as", s)] if m}
    assert made.isdisjoint({"sku_info", "traffic_days", "ad_days", "traffic_columns", "tier_thresholds"})
    assert not [s for s in statements if s.startswith("SELECT _file, count(*)")]
    d = dt.date
    # c1 (key 1: the whole build numbers c1, c2, c4, m9 by id) had paid days 2024-01-02 and 2024-01-05 (O3,
    # refunded, counts as paid); c6 is new, numbered after the largest key
    assert _rows(
        kept,
        "SELECT p.customer_id, d.customer_key, d.order_date, d.orders, d.prev_date, d.prev2_date, d.next_date "
        "FROM customer_days AS d JOIN customer_profile AS p USING (customer_key) "
        "WHERE p.customer_id IN ('c1', 'c6') ORDER BY 1, 3",
    ) == [
        ("c1", 1, d(2024, 1, 2), 1, None, None, d(2024, 1, 5)),
        ("c1", 1, d(2024, 1, 5), 1, d(2024, 1, 2), None, d(2024, 3, 20)),
        ("c1", 1, d(2024, 3, 20), 1, d(2024, 1, 5), d(2024, 1, 2), None),
        ("c6", 5, d(2024, 3, 21), 1, None, None, None),
    ]
    assert _rows(kept, "SELECT count(*) FROM customer_days WHERE customer_key IS NULL") == [(0,)]
    # c1's row from the new day: 3 paid orders in the 365 days (O1, O3 and N1), the previous order day 01-05;
    # it lasts until O1 leaves the window (2024-01-02 + 365 days = 2025-01-01)
    assert _rows(
        kept,
        "SELECT from_date, to_date, orders_365, prev_order_date FROM customer_timeline "
        "WHERE customer_id = 'c1' AND from_date >= DATE '2024-03-20' ORDER BY 1 LIMIT 1",
    ) == [(d(2024, 3, 20), d(2025, 1, 1), 3, d(2024, 1, 5))]
    # a traffic change: traffic_days and traffic_columns are made again (ad_days and sku_info are not)
    statements.clear()
    assert step({"traffic.csv": TRAFFIC + "2024-03-20,抖音,douyin,70\n"}) == "delta"
    made = {m.group(1) for s in statements for m in [re.match(r"create table (\w+) as", s)] if m}
    assert {"traffic_days", "traffic_columns"} <= made
    assert made.isdisjoint({"sku_info", "ad_days", "tier_thresholds"})


def test_new_weeks_leave_deleted_rows_until_every_third_commit_into_a_version(real_world, monkeypatch) -> None:
    """An incremental commit leaves the rows it deletes in place (no vacuum) unless the version it starts
    from, the spare or the current one, would then have COMPACT_EVERY (3) such commits: the manifest counts
    them per version ("unvacuumed"). By hand, from a whole build (current 0, spare 0), each week starting
    from the spare, which becomes the version before: week 1 → current 1 (spare 0); 2 → 1 (1); 3 → 2 (1);
    4 compacts (2 + 1 = 3) → 0 (2); 5 compacts too (the spare's 2) → 0 (0); 6 → 1 (0)."""
    _, step, kept = real_world
    vacuums: list[bool] = []
    real_connect = ingest_mod._connect_for_ingest

    def spy(data_dir, cache, settings, vacuum=True):
        if cache.db == kept.db:
            vacuums.append(vacuum)
        return real_connect(data_dir, cache, settings, vacuum)

    monkeypatch.setattr(ingest_mod, "_connect_for_ingest", spy)
    counts = []
    for week in range(1, 7):
        day = f"2024-03-{10 + week:02d} 10:00"
        assert step({f"orders/orders_w{week}.csv": ORDERS + f"W{week},{day},c1,S1,1,100,0,paid,,\n"}) == "delta"
        manifest = json.loads(kept.manifest.read_text())
        counts.append((manifest["unvacuumed"], manifest["spare"]["unvacuumed"]))
        if week == 1:  # c1's timeline rows from the new day were deleted and written again: the marks stay
            con = duckdb.connect(str(kept.db), read_only=True)
            try:
                (size,), (rows,) = con.execute(
                    "SELECT estimated_size FROM duckdb_tables() WHERE table_name = 'customer_timeline' "
                    "UNION ALL SELECT count(*) FROM customer_timeline"
                ).fetchall()
            finally:
                con.close()
            assert size > rows
    assert vacuums == [False, False, False, True, True, False]
    assert counts == [(1, 0), (1, 1), (2, 1), (0, 2), (0, 0), (1, 0)]


def test_a_changed_model_makes_the_store_build_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """New code whose model statements differ (an upgrade that adds a column) must not serve the old cache:
    the data's signature covers the model, so the dashboard ingests again (a whole build) though no file moved.
    A change to the comments alone does not count."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "orders.csv").write_text(
        "order_id,order_time,customer_id,sku,quantity,unit_price\nA1,2024-05-02 10:00,C1,S1,1,100.00\n"
    )
    aggregates = tmp_path / "_aggregates.sql"
    aggregates.write_text(AGGREGATES, encoding="utf-8")
    monkeypatch.setattr(ingest_mod, "MODEL_FILES", (ingest_mod.MODEL_FILES[0], aggregates))
    store = Store(data, cache=tmp_path / "cache.duckdb")
    store.refresh(wait=True)
    assert not store.needs_ingest()
    aggregates.write_text("-- a note\n" + AGGREGATES, encoding="utf-8")
    assert not store.needs_ingest()  # comments change no row
    aggregates.write_text(AGGREGATES + "\ncreate table one_more as select 1 as x;\n", encoding="utf-8")
    assert store.needs_ingest()
    store.refresh(wait=True)
    assert not store.needs_ingest()
    assert store._query_uncached("select x from one_more").iloc[0, 0] == 1
