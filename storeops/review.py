"""The weekly review (周复盘): what happened in one ISO week (or month), why, and what to do.

``build(store, period_text, compare)`` computes the whole review once, as plain
data (a ``Review``); the page, the written summary, the HTML report and the
PDF all render that same object, so the summary's numbers are the page's by
construction. Numbers come from the shared queries (``kpis``,
``target_progress``) and from ``queries/review_*.sql``; this module only
combines them:

- **Comparisons**: the previous period and the same period last year
  (METRICS.md "Periods": 364 days earlier), and the month's targets
  (``targets.csv``) with month-to-date pacing as of the period's end.
- **Decomposition** of the net revenue change: by channel, platform and
  category (net revenue is additive over order lines, so the parts add up
  to the total change exactly), and into traffic × conversion × AOV with the
  Shapley split (each factor's effect averaged over the six orders in which
  the three factors can be changed one at a time), which also adds up
  exactly and, unlike the log (LMDI) split, works when a factor is 0.
- **Anomalies**: a day whose value lies outside min..max of the same weekday
  in the 8 weeks before (``find_anomalies``).
- **Top movers**, **inventory alerts** and **member movement**.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from storeops import fmt
from storeops.db import Store
from storeops.filters import Filters
from storeops.i18n import label_channel, label_platform, t
from storeops.metrics import BY_KEY, _clean, change, delta, kpis, missing_tables, period_part
from storeops.periods import COMPARISONS, Period, preset_period
from storeops.settings import load_settings

# ---------------------------------------------------------------- settings of the review

ANOMALY_WEEKS = 8  # the same weekday in the 8 weeks before
ANOMALY_MIN_REFERENCE = 4  # fewer reference days with data (new store, new table) → no verdict
ANOMALY_METRICS = ("net_revenue", "sessions", "conversion_rate", "ad_spend")
DIMENSIONS = ("channel", "platform", "category")  # the waterfalls
MOVER_DIMENSIONS = ("channel", "campaign", "category", "sku")
MOVERS_PER_SIDE = 3
WATERFALL_MAX_BARS = 9  # more values than this: the smallest changes are one "others" bar
CARDS = ("net_revenue", "orders", "aov", "sessions", "conversion_rate", "ad_spend", "mer", "new_customers")
ALERT_ROWS = 10

_WEEK = re.compile(r"(\d{4})-W(\d{1,2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


# ---------------------------------------------------------------- periods


def parse_week(text: str) -> Period:
    """``2024-W27`` → Monday 2024-07-01 .. Sunday 2024-07-07 (ISO week)."""
    m = _WEEK.fullmatch(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not an ISO week (YYYY-Www, e.g. 2024-W27)")
    try:
        monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO week of that year") from None
    return Period(monday, monday + dt.timedelta(days=6))


def week_label(day: dt.date) -> str:
    """The ISO week a day falls in: 2024-07-03 → ``2024-W27``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_month(text: str) -> Period:
    """``2024-07`` → 2024-07-01 .. 2024-07-31."""
    m = _MONTH.fullmatch(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"{text!r} is not a month (YYYY-MM, e.g. 2024-07)")
    start = dt.date(int(m.group(1)), int(m.group(2)), 1)
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return Period(start, end)


def default_week(latest: dt.date) -> str:
    """The last complete Monday..Sunday week in data that ends on ``latest``."""
    return week_label(preset_period("last_week", latest).start)


def week_options(first: dt.date, latest: dt.date, limit: int = 104) -> list[str]:
    """Complete ISO weeks in the data, newest first (the page's choices)."""
    end = preset_period("last_week", latest).end
    out = []
    while end - dt.timedelta(days=6) >= first - dt.timedelta(days=6) and len(out) < limit:
        out.append(week_label(end))
        end -= dt.timedelta(days=7)
    return out


def month_options(first: dt.date, latest: dt.date, limit: int = 36) -> list[str]:
    """Months with data, newest first (the latest may be month to date)."""
    out, month = [], latest.replace(day=1)
    while month >= first.replace(day=1) and len(out) < limit:
        out.append(f"{month:%Y-%m}")
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return out


# ---------------------------------------------------------------- pure parts (tested on constructed data)


def find_anomalies(
    daily: pd.DataFrame,
    period: Period,
    metrics: tuple[str, ...] = ANOMALY_METRICS,
    weeks: int = ANOMALY_WEEKS,
    min_reference: int = ANOMALY_MIN_REFERENCE,
    first_day: dt.date | dict[str, dt.date | None] | None = None,
) -> pd.DataFrame:
    """Days of ``period`` whose value lies outside min..max of the same weekday in the ``weeks`` weeks before.

    ``daily`` has a ``day`` column and one column per metric, covering at least
    ``period.start − 7·weeks`` .. ``period.end``; NaN is "no value" (a missing
    table, a day without sessions for conversion). Reference days before
    ``first_day`` (the first day of data; a date, or one per metric) or
    without a value are left out, and
    a day with fewer than ``min_reference`` reference values gets no verdict.
    Returns one row per anomaly: day, metric, value, low, high, direction
    ("high" above the range, "low" below), ordered by day and metric order.
    """
    values = daily.assign(day=pd.to_datetime(daily["day"]).dt.date).set_index("day")
    rows = []
    day = period.start
    while day <= period.end:
        for metric in metrics:
            if metric not in values.columns or day not in values.index:
                continue
            value = values.at[day, metric]
            if pd.isna(value):
                continue
            since = first_day.get(metric) if isinstance(first_day, dict) else first_day
            reference = []
            for k in range(1, weeks + 1):
                ref_day = day - dt.timedelta(days=7 * k)
                if since is not None and ref_day < since:
                    continue
                if ref_day in values.index and not pd.isna(values.at[ref_day, metric]):
                    reference.append(float(values.at[ref_day, metric]))
            if len(reference) < min_reference:
                continue
            low, high = min(reference), max(reference)
            if value < low or value > high:
                rows.append(
                    {
                        "day": day,
                        "metric": metric,
                        "value": float(value),
                        "low": low,
                        "high": high,
                        "direction": "high" if value > high else "low",
                    }
                )
        day += dt.timedelta(days=1)
    return pd.DataFrame(rows, columns=["day", "metric", "value", "low", "high", "direction"])


def shapley_drivers(
    sessions: tuple[float, float], orders: tuple[float, float], revenue: tuple[float, float]
) -> dict[str, float] | None:
    """Split revenue R = sessions × conversion × AOV's change into the three factors' effects.

    Arguments are (comparison, current) pairs. With f = x·y·z, the Shapley
    effect of x is Δx · ((y₀z₀ + y₁z₁)/3 + (y₀z₁ + y₁z₀)/6) (and likewise for
    y, z); the three add up to R₁ − R₀ exactly. A period without orders has
    R = 0, so its conversion and AOV are 0. None when a period has orders but
    no sessions (conversion is undefined).
    """
    (s0, s1), (o0, o1), (r0, r1) = sessions, orders, revenue
    if (s0 == 0 and o0 > 0) or (s1 == 0 and o1 > 0):
        return None
    c0, c1 = (o0 / s0 if s0 else 0.0), (o1 / s1 if s1 else 0.0)
    a0, a1 = (r0 / o0 if o0 else 0.0), (r1 / o1 if o1 else 0.0)

    def effect(dx: float, y: tuple[float, float], z: tuple[float, float]) -> float:
        return dx * ((y[0] * z[0] + y[1] * z[1]) / 3 + (y[0] * z[1] + y[1] * z[0]) / 6)

    return {
        "traffic": effect(s1 - s0, (c0, c1), (a0, a1)),
        "conversion": effect(c1 - c0, (s0, s1), (a0, a1)),
        "aov": effect(a1 - a0, (s0, s1), (c0, c1)),
    }


def waterfall_parts(by: pd.DataFrame, max_bars: int = WATERFALL_MAX_BARS) -> pd.DataFrame:
    """The bars of a waterfall: one per value, largest change first; beyond ``max_bars`` the rest is one bar.

    ``by`` is a ``review_by`` frame. Returns dimension_value (None for the
    "others" bar), n_values (how many values the bar holds) and
    net_revenue_change; values that did not move are left out. The changes
    add up to the total change.
    """
    moved = by[by["net_revenue_change"] != 0]
    order = moved["net_revenue_change"].abs().sort_values(ascending=False, kind="stable").index
    moved = moved.loc[order]
    head = moved.head(max_bars if len(moved) <= max_bars else max_bars - 1)
    out = pd.DataFrame(
        {
            "dimension_value": head["dimension_value"].tolist(),
            "n_values": [1] * len(head),
            "net_revenue_change": head["net_revenue_change"].astype(float).tolist(),
        }
    )
    rest = moved.iloc[len(head) :]
    if len(rest):
        others = {
            "dimension_value": None,
            "n_values": len(rest),
            "net_revenue_change": float(rest["net_revenue_change"].sum()),
        }
        out = pd.concat([out, pd.DataFrame([others])], ignore_index=True)
    return out


def movers(by: pd.DataFrame, n: int = MOVERS_PER_SIDE) -> pd.DataFrame:
    """The ``n`` biggest gains and ``n`` biggest losses of net revenue (gains first, then losses).

    Rows without a value (orders without a campaign) are skipped. Adds
    ``net_revenue_delta`` (relative change; None when the comparison is 0)
    and ``side`` ("gain" / "loss").
    """
    rows = by[by["dimension_value"].notna()]
    gains = rows[rows["net_revenue_change"] > 0].sort_values(
        ["net_revenue_change", "dimension_value"], ascending=[False, True]
    )
    losses = rows[rows["net_revenue_change"] < 0].sort_values(["net_revenue_change", "dimension_value"])
    out = pd.concat([gains.head(n).assign(side="gain"), losses.head(n).assign(side="loss")], ignore_index=True)
    out["net_revenue_delta"] = [
        delta(a, b) for a, b in zip(out["net_revenue_now"], out["net_revenue_then"], strict=True)
    ]
    return out


# ---------------------------------------------------------------- the review


@dataclass
class Review:
    """Everything the page and the report show, computed once. Money in the store currency."""

    kind: str  # "week" or "month"
    label: str  # "2024-W27" or "2024-07"
    period: Period
    compare: str  # the comparison the decomposition, movers and summary use: previous | yoy
    comparisons: dict[str, Period]  # previous, yoy
    data_end: dt.date
    missing: frozenset[str]  # tables without rows: orders, traffic, ad_spend, inventory, members, targets
    now: dict
    then: dict[str, dict]  # comparison mode → kpis
    # The period and the 8 weeks before: day, net_revenue, orders, sessions, conversion_rate, ad_spend.
    daily: pd.DataFrame
    anomalies: pd.DataFrame
    daily_compare: pd.DataFrame  # the chosen comparison period, same columns
    by: dict[str, pd.DataFrame]  # dimension → review_by frame against the chosen comparison
    drivers: dict[str, float] | None
    target_month: str = ""
    targets: list[dict] = field(default_factory=list)
    inventory: dict = field(default_factory=dict)
    members: dict = field(default_factory=dict)

    @property
    def comparison(self) -> Period:
        return self.comparisons[self.compare]

    @property
    def change(self) -> float | None:
        """Net revenue change against the chosen comparison (money)."""
        a, b = self.now.get("net_revenue"), self.then[self.compare].get("net_revenue")
        return None if a is None or b is None else a - b

    def waterfall(self, dimension: str) -> pd.DataFrame:
        return waterfall_parts(self.by[dimension])

    def movers(self, dimension: str) -> pd.DataFrame:
        return movers(self.by[dimension])

    def period_days(self) -> pd.DataFrame:
        d = self.daily
        days = pd.to_datetime(d["day"]).dt.date
        return d[(days >= self.period.start) & (days <= self.period.end)].reset_index(drop=True)


def _first_days(store: Store) -> dict[str, dt.date | None]:
    """The first day of data behind each anomaly metric (conversion needs both orders and traffic)."""
    row = store.run("review_first_days").iloc[0]
    day = {k: None if pd.isna(row[f"{k}_first_date"]) else pd.Timestamp(row[f"{k}_first_date"]).date()
           for k in ("orders", "traffic", "ad_spend")}  # fmt: skip
    both = [d for d in (day["orders"], day["traffic"]) if d is not None]
    return {
        "net_revenue": day["orders"],
        "sessions": day["traffic"],
        "ad_spend": day["ad_spend"],
        "conversion_rate": max(both) if both else None,
    }


def _daily(store: Store, period: Period, missing: frozenset[str]) -> pd.DataFrame:
    df = store.run("review_daily", start=period.start, end=period.end).copy()
    df["day"] = pd.to_datetime(df["day"]).dt.date
    df["net_revenue"] = df["net_revenue"].astype(float)
    df["sessions"] = df["sessions"].astype(float)
    df["ad_spend"] = df["ad_spend"].astype(float)
    if "traffic" in missing:
        df["sessions"] = float("nan")
    if "ad_spend" in missing:
        df["ad_spend"] = float("nan")
    df["conversion_rate"] = df["orders"].astype(float) / df["sessions"].where(df["sessions"] > 0)
    if "orders" in missing:
        df["net_revenue"] = float("nan")
        df["conversion_rate"] = float("nan")
    return df


def resolve_period(store: Store, week: str | None = None, month: str | None = None) -> tuple[str, str, Period]:
    """(kind, label, period) for ``--week`` / ``--month``; the last complete week by default.

    A month that is not over yet in the data ends on the data's latest day.
    """
    span = store.data_range()
    if span is None:
        raise ValueError("no orders, traffic or ad spend in the data: nothing to review")
    latest = span[1]
    if month:
        p = parse_month(month)
        if p.start > latest:
            raise ValueError(f"{month} is after the data's last day ({latest})")
        return "month", month, Period(p.start, min(p.end, latest))
    label = week or default_week(latest)
    p = parse_week(label)
    if p.start > latest:
        raise ValueError(f"{label} starts after the data's last day ({latest})")
    return "week", label, p


def build(store: Store, week: str | None = None, month: str | None = None, compare: str = "previous") -> Review:
    """The whole review of one ISO week (``2024-W27``) or month (``2024-07``); whole store, no filters."""
    if compare not in COMPARISONS:
        raise ValueError(f"unknown comparison {compare!r} (previous or yoy)")
    kind, label, period = resolve_period(store, week, month)
    missing = set(missing_tables(store))
    targets_df = store.run("target_progress", end=period.end)
    all_targets = store.run("review_target_months")
    if all_targets.empty:
        missing.add("targets")
    missing = frozenset(missing)
    comparisons = {c: period.comparison(c) for c in COMPARISONS}
    no_filters = Filters()
    now = kpis(store, period, no_filters)
    then = {c: kpis(store, p, no_filters) for c, p in comparisons.items()}

    history = Period(period.start - dt.timedelta(days=7 * ANOMALY_WEEKS), period.end)
    daily = _daily(store, history, missing)
    anomalies = find_anomalies(
        daily,
        period,
        metrics=tuple(m for m in ANOMALY_METRICS if daily[m].notna().any()),
        first_day=_first_days(store),
    )

    cmp_period = comparisons[compare]
    both = {"start": period.start, "end": period.end, "cstart": cmp_period.start, "cend": cmp_period.end}
    # every dimension but SKU in one call (channel, platform and campaign from order_cells, category from the
    # order lines), SKUs in a second: their names would give the other dimensions' NULL product_name a dtype
    frame = store.run("review_by", dimensions=[*DIMENSIONS, "campaign"], **both)
    by = {d: period_part(frame, dimension=d) for d in (*DIMENSIONS, "campaign")}
    by["sku"] = period_part(store.run("review_by", dimensions=["sku"], **both), dimension="sku")
    by = {d: by[d] for d in (*DIMENSIONS, "campaign", "sku")}
    drivers = None
    c = then[compare]
    if not ({"orders", "traffic"} & missing) and None not in (
        now["sessions"],
        c["sessions"],
        now["orders"],
        c["orders"],
        now["net_revenue"],
        c["net_revenue"],
    ):
        drivers = shapley_drivers(
            (c["sessions"], now["sessions"]), (c["orders"], now["orders"]), (c["net_revenue"], now["net_revenue"])
        )

    review = Review(
        kind=kind,
        label=label,
        period=period,
        compare=compare,
        comparisons=comparisons,
        data_end=store.data_range()[1],
        missing=missing,
        now=now,
        then=then,
        daily=daily,
        anomalies=anomalies,
        daily_compare=_daily(store, cmp_period, missing),
        by=by,
        drivers=drivers,
        target_month=f"{period.end:%Y-%m}",
        targets=_targets(targets_df, period),
        inventory=_inventory(store, period, missing),
        members=_members(store, period, missing),
    )
    return review


def _targets(df: pd.DataFrame, period: Period) -> list[dict]:
    """Month-to-date progress per target as of the period's end, and the pace needed for the rest."""
    month_end = parse_month(f"{period.end:%Y-%m}").end
    days_left = (month_end - period.end).days
    out = []
    for row in df.itertuples():
        target = float(row.target)
        actual = None if pd.isna(row.actual) else float(row.actual)
        expected = float(row.expected_share)
        progress = None if actual is None or target == 0 else actual / target
        out.append(
            {
                "metric": row.metric,
                "target": target,
                "actual": actual,
                "progress_share": progress,
                "expected_share": expected,
                # share of the straight-line plan reached: ≥ 1 is on pace
                "pace_ratio": None if progress is None or expected == 0 else progress / expected,
                "projected": None if actual is None or expected == 0 else actual / expected,
                "days_left": days_left,
                "needed_per_day": (None if actual is None or days_left == 0 else max(0.0, target - actual) / days_left),
            }
        )
    return out


def _inventory(store: Store, period: Period, missing: frozenset[str]) -> dict:
    """New stock-outs in the period, SKUs to reorder and trending SKUs as of its end (storeops.inventory)."""
    if "inventory" in missing:
        return {}
    from storeops import inventory

    table = inventory.sku_table(store, period.end)
    new_out = store.run("review_stockouts", start=period.start, end=period.end)
    if table.empty:
        return {"snapshot_date": None, "new_stockouts": new_out, "reorder": table, "trending": table}
    reorder = table[table["status"] == "reorder_now"]
    trending = table[table["is_trending"]].sort_values(["trend_change", "sku"], ascending=[False, True])
    return {
        "snapshot_date": pd.Timestamp(table["snapshot_date"].iloc[0]).date(),
        "new_stockouts": new_out,
        "out_of_stock": int((table["status"] == "out_of_stock").sum()),
        "reorder": reorder.reset_index(drop=True),
        "trending": trending.reset_index(drop=True),
    }


def _members(store: Store, period: Period, missing: frozenset[str]) -> dict:
    return member_movement(store, period, missing)


def member_movement(store: Store, period: Period, missing: frozenset[str]) -> dict:
    """New members, tier moves and churn risk in the period, by storeops.members' definitions.

    - new_members: members who joined in the period (review_members, the
      members_kpis definition without the member state it also reads);
    - upgrades / downgrades: tier as of start − 1 day against the tier as of
      the period's end (members_tier_migration). When members.csv gives the
      tier, that is today's tier only and cannot move, so the move is read
      from the 365-day-spend tiers (basis "spend"), as the Members page does;
    - churn_risk: customers in the silent stage (沉睡) on the period's end,
      and churn_risk_change against start − 1; churned_change: the change of
      the churned stage (lifecycle_change).
    Empty when there is no members file.
    """
    if "members" in missing or "orders" in missing:
        return {}
    from storeops import members as mb

    settings = load_settings(store.data_dir)[0]
    row = store.run("review_members", start=period.start, end=period.end).iloc[0]
    basis = "spend" if bool(row["has_tiers"]) else "tier"
    moves = mb.migration_summary(store.run("members_tier_migration", start=period.start, end=period.end, basis=basis))
    stages = mb.lifecycle_change(store, period.end, period.start - dt.timedelta(days=1)).set_index("lifecycle")
    return {
        "basis": basis,
        "new_members": _clean(row["new_members"], "count"),
        "upgrades": moves["up"],
        "downgrades": moves["down"],
        "churn_risk": int(stages.at["silent", "customers"]),
        "churn_risk_change": int(stages.at["silent", "change"]),
        "churned_change": int(stages.at["churned", "change"]),
        "note_key": f"review.members_note.{basis}",
        "active_days": settings.active_days,
        "silent_days": settings.silent_days,
    }


# ---------------------------------------------------------------- words (the page and the report say the same)

_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}
_MISSING_FILES = {
    "traffic": "traffic.csv",
    "ad_spend": "ad_spend.csv",
    "inventory": "inventory.csv",
    "members": "members.csv",
    "targets": "targets.csv",
    "orders": "orders.csv",
}


def day_text(day: dt.date, lang: str) -> str:
    """``2024-06-25 Tue`` / ``2024-06-25 周二``."""
    return f"{day:%Y-%m-%d} {_WEEKDAYS[lang][day.weekday()]}"


def file_of(table: str) -> str:
    return _MISSING_FILES.get(table, f"{table}.csv")


def name(dimension: str, value: object, lang: str, product_name: object = None, n_values: int = 1) -> str:
    """Display name of a dimension value; None with ``n_values`` > 1 is the "others" bar."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return t("review.others", lang, n=n_values) if n_values > 1 else t("review.no_campaign", lang)
    if dimension == "channel":
        return label_channel(str(value), lang)
    if dimension == "platform":
        return label_platform(str(value), lang)
    if dimension == "sku" and product_name is not None and not pd.isna(product_name):
        return f"{value} {product_name}"
    return str(value)


def signed_money(x: float | None, lang: str) -> str:
    """A change of money with its sign: ``+¥12.3k`` / ``−¥6.1万``."""
    text = fmt.money(x, lang)
    return "+" + text if x is not None and x > 0 and text != fmt.MISSING else text


def unit(r: Review, lang: str) -> str:
    return t(f"review.unit.{r.kind}", lang)


def compare_label(r: Review, lang: str, mode: str | None = None) -> str:
    """ "Previous week" / "上周": the comparison's name, as a label."""
    return t(f"review.compare.{mode or r.compare}.{r.kind}", lang)


def compare_phrase(r: Review, lang: str) -> str:
    """The comparison's name inside a sentence ("against the previous week")."""
    text = compare_label(r, lang)
    return text[0].lower() + text[1:] if lang == "en" else text


def waterfall_text(r: Review, dimension: str, lang: str) -> str:
    """The line under the waterfall of ``dimension`` (page and report)."""
    dim = t(f"review.dim.{dimension}", lang)
    return t(
        "review.waterfall_explain",
        lang,
        then=fmt.money(r.then[r.compare]["net_revenue"], lang),
        cmp=compare_phrase(r, lang),
        now=fmt.money(r.now["net_revenue"], lang),
        dim=dim.lower() if lang == "en" else dim,
        change=signed_money(r.change, lang),
    )


def metric_value(metric: str, value: object, lang: str) -> str:
    return fmt.value(BY_KEY[metric].kind, value, lang)


def metric_change(metric: str, now: object, then: object, lang: str) -> str:
    """``+8.2%``; ``+0.3 pp, +12.0%`` for rates, in a sentence's words (see ``metrics.change``)."""
    return change(metric, now, then, lang)[1]


def _spend_change(row: pd.Series) -> float | None:
    a, b = row.get("spend_now"), row.get("spend_then")
    if a is None or b is None or pd.isna(a) or pd.isna(b) or b == 0:
        return None
    return (float(a) - float(b)) / float(b)


def main_driver(r: Review, dimension: str = "channel") -> pd.Series | None:
    """The value of ``dimension`` that moved most in the direction of the total change (None when nothing moved)."""
    change = r.change
    by = r.by.get(dimension)
    if change is None or by is None or by.empty or change == 0:
        return None
    same = by[by["dimension_value"].notna() & ((by["net_revenue_change"] > 0) == (change > 0))]
    same = same[same["net_revenue_change"] != 0]
    if same.empty:
        return None
    return same.loc[same["net_revenue_change"].abs().idxmax()]


def summary_lines(r: Review, lang: str) -> list[str]:
    """The written summary: 5–8 sentences built from the review's numbers, through ``fmt``."""
    u = unit(r, lang)
    now, prev, yoy = r.now, r.then["previous"], r.then["yoy"]
    lines = []
    if "orders" not in r.missing:
        lines.append(
            t(
                "review.s_revenue",
                lang,
                revenue=metric_value("net_revenue", now["net_revenue"], lang),
                label=r.label,
                prev=metric_change("net_revenue", now["net_revenue"], prev["net_revenue"], lang),
                yoy=metric_change("net_revenue", now["net_revenue"], yoy["net_revenue"], lang),
                unit=u,
            )
        )
        top = main_driver(r, "channel")
        if top is not None:
            spend = _spend_change(top)
            spend_text = ""
            if spend is not None and spend != 0:
                key = "review.s_spend_up" if spend > 0 else "review.s_spend_down"
                spend_text = t(key, lang, pct=fmt.rate(abs(spend), lang))
            lines.append(
                t(
                    "review.s_driver",
                    lang,
                    cmp=compare_phrase(r, lang),
                    change=signed_money(r.change, lang),
                    name=name("channel", top["dimension_value"], lang),
                    part=signed_money(top["net_revenue_change"], lang),
                    spend=spend_text,
                )
            )
        platform, category = main_driver(r, "platform"), main_driver(r, "category")
        if platform is not None and category is not None:
            lines.append(
                t(
                    "review.s_dims",
                    lang,
                    platform=name("platform", platform["dimension_value"], lang),
                    pc=signed_money(platform["net_revenue_change"], lang),
                    category=name("category", category["dimension_value"], lang),
                    cc=signed_money(category["net_revenue_change"], lang),
                )
            )
    if r.drivers is not None:
        c = r.then[r.compare]
        lines.append(
            t(
                "review.s_factors",
                lang,
                sessions=metric_value("sessions", now["sessions"], lang),
                sd=metric_change("sessions", now["sessions"], c["sessions"], lang),
                conversion=metric_value("conversion_rate", now["conversion_rate"], lang),
                cpp=metric_change("conversion_rate", now["conversion_rate"], c["conversion_rate"], lang),
                aov=metric_value("aov", now["aov"], lang),
                ad=metric_change("aov", now["aov"], c["aov"], lang),
                t=signed_money(r.drivers["traffic"], lang),
                c=signed_money(r.drivers["conversion"], lang),
                a=signed_money(r.drivers["aov"], lang),
            )
        )
    revenue_target = next((x for x in r.targets if x["metric"] == "net_revenue"), None)
    if revenue_target is not None and revenue_target["actual"] is not None:
        on = revenue_target["pace_ratio"] is not None and revenue_target["pace_ratio"] >= 1
        if revenue_target["days_left"] == 0:  # the month is over: reached or missed, no pace
            key = "review.s_target_hit" if on else "review.s_target_missed"
        else:
            key = "review.s_target_on" if on else "review.s_target_behind"
        lines.append(
            t(
                key,
                lang,
                actual=metric_value("net_revenue", revenue_target["actual"], lang),
                progress=fmt.rate(revenue_target["progress_share"], lang),
                month=r.target_month,
                elapsed=fmt.rate(revenue_target["expected_share"], lang),
                projected=metric_value("net_revenue", revenue_target["projected"], lang),
            )
        )
    if r.anomalies.empty:
        lines.append(t("review.no_anomalies", lang))
    else:
        items = [anomaly_item(row, lang) for row in r.anomalies.head(3).itertuples()]
        more = len(r.anomalies) - len(items)
        text = ("; " if lang == "en" else "；").join(items) + (t("review.s_more", lang, n=more) if more > 0 else "")
        lines.append(t("review.s_anomalies", lang, n=len(r.anomalies), items=text))
    if r.inventory:
        lines.append(
            t(
                "review.s_inventory",
                lang,
                new=fmt.count(len(r.inventory["new_stockouts"]), lang),
                reorder=fmt.count(len(r.inventory["reorder"]), lang),
                trending=fmt.count(len(r.inventory["trending"]), lang),
                unit=u,
            )
        )
    if r.members:
        lines.append(
            t(
                "review.s_members",
                lang,
                new=fmt.count(r.members["new_members"], lang),
                upgrades=fmt.count(r.members["upgrades"], lang),
                downgrades=fmt.count(r.members["downgrades"], lang),
                churn=fmt.count(r.members["churn_risk"], lang),
                change=("+" if r.members["churn_risk_change"] > 0 else "")
                + fmt.count(r.members["churn_risk_change"], lang),
                unit=unit(r, lang),
            )
        )
    absent = [x for x in ("orders", "traffic", "ad_spend", "inventory", "members", "targets") if x in r.missing]
    if absent and len(lines) < 8:
        sep = ", " if lang == "en" else "、"
        lines.append(
            t(
                "review.s_missing",
                lang,
                files=sep.join(file_of(x) for x in absent),
                what=sep.join(_missing_what(x, lang) for x in absent),
            )
        )
    return lines[:8]


def _missing_what(table: str, lang: str) -> str:
    what = {
        "orders": ("net revenue, orders and everything built on them", "净销售额、订单及相关分析"),
        "traffic": ("sessions, conversion", "访客数、转化率"),
        "ad_spend": ("ad spend", "广告花费"),
        "inventory": ("inventory alerts", "库存预警"),
        "members": ("member movement", "会员变动"),
        "targets": ("targets", "目标"),
    }[table]
    return what[0] if lang == "en" else what[1]


def anomaly_item(row, lang: str) -> str:
    return t(
        "review.s_anomaly_item",
        lang,
        metric=BY_KEY[row.metric].label(lang),
        day=day_text(row.day, lang),
        direction=t(f"review.{row.direction}", lang),
        value=metric_value(row.metric, row.value, lang),
    )


def action_lines(r: Review, lang: str) -> list[str]:
    """Suggested actions, most urgent first, each from a rule on the review's numbers."""
    out = []
    top = main_driver(r, "channel")
    if top is not None and top["net_revenue_change"] < 0:
        spend = _spend_change(top)
        if spend is not None and spend < 0:
            out.append(
                t(
                    "review.a_budget",
                    lang,
                    name=name("channel", top["dimension_value"], lang),
                    spend=fmt.delta(spend, lang),
                    part=signed_money(top["net_revenue_change"], lang),
                )
            )
        else:
            out.append(
                t(
                    "review.a_channel",
                    lang,
                    name=name("channel", top["dimension_value"], lang),
                    part=signed_money(top["net_revenue_change"], lang),
                )
            )
    if r.drivers is not None and r.change is not None and r.change < 0:
        c = r.then[r.compare]
        worst = min(("traffic", "conversion"), key=lambda k: r.drivers[k])
        if r.drivers[worst] < 0:
            if worst == "conversion":
                cpp = metric_change("conversion_rate", r.now["conversion_rate"], c["conversion_rate"], lang)
                out.append(t("review.a_conversion", lang, cpp=cpp))
            else:
                sd = metric_change("sessions", r.now["sessions"], c["sessions"], lang)
                out.append(t("review.a_traffic", lang, sd=sd))
    revenue_target = next((x for x in r.targets if x["metric"] == "net_revenue"), None)
    if (
        revenue_target is not None
        and revenue_target["pace_ratio"] is not None
        and revenue_target["pace_ratio"] < 1
        and revenue_target["needed_per_day"]
    ):
        out.append(
            t(
                "review.a_target",
                lang,
                month=r.target_month,
                needed=metric_value("net_revenue", revenue_target["needed_per_day"], lang),
                days=revenue_target["days_left"],
            )
        )
    if r.inventory and len(r.inventory["reorder"]):
        reorder = r.inventory["reorder"]
        skus = (
            ", ".join(reorder["sku"].head(3).astype(str))
            if lang == "en"
            else "、".join(reorder["sku"].head(3).astype(str))
        )
        out.append(t("review.a_reorder", lang, n=len(reorder), skus=skus))
    if not r.anomalies.empty:
        row = r.anomalies.iloc[0]
        out.append(
            t(
                "review.a_anomaly",
                lang,
                day=day_text(row["day"], lang),
                metric=BY_KEY[row["metric"]].label(lang),
                value=metric_value(row["metric"], row["value"], lang),
                low=metric_value(row["metric"], row["low"], lang),
                high=metric_value(row["metric"], row["high"], lang),
            )
        )
    if r.members and r.members["churn_risk_change"] > 0:
        out.append(
            t(
                "review.a_churn",
                lang,
                n=fmt.count(r.members["churn_risk"], lang),
                change=fmt.count(r.members["churn_risk_change"], lang),
            )
        )
    return out or [t("review.a_none", lang)]


# ---------------------------------------------------------------- tables as text (page and report say the same)

HEADLINE = (
    "net_revenue",
    "orders",
    "aov",
    "sessions",
    "conversion_rate",
    "ad_spend",
    "mer",
    "new_customers",
    "gross_profit",
)


def headline_rows(r: Review, lang: str) -> list[dict[str, str]]:
    """One row per headline metric: this period, previous, change, last year, change."""
    out = []
    prev, yoy = r.then["previous"], r.then["yoy"]
    for key in HEADLINE:
        value = r.now.get(key)
        out.append(
            {
                t("review.col.metric", lang): BY_KEY[key].label(lang),
                t("review.col.now", lang, unit=unit(r, lang)): metric_value(key, value, lang),
                t("review.col.previous", lang): metric_value(key, prev.get(key), lang),
                t("review.col.vs_previous", lang): metric_change(key, value, prev.get(key), lang),
                t("review.col.yoy", lang): metric_value(key, yoy.get(key), lang),
                t("review.col.vs_yoy", lang): metric_change(key, value, yoy.get(key), lang),
            }
        )
    return out


def anomaly_rows(r: Review, lang: str) -> list[dict[str, str]]:
    return [
        {
            t("review.col.day", lang): day_text(row.day, lang),
            t("review.col.metric", lang): BY_KEY[row.metric].label(lang),
            t("review.col.value", lang): metric_value(row.metric, row.value, lang),
            t(
                "review.col.range", lang
            ): f"{metric_value(row.metric, row.low, lang)} – {metric_value(row.metric, row.high, lang)}",
            t("review.col.direction", lang): t(f"review.{row.direction}", lang),
        }
        for row in r.anomalies.itertuples()
    ]


def mover_rows(r: Review, dimension: str, lang: str) -> list[dict[str, str]]:
    """Gains then losses of one dimension; spend columns for channels and campaigns."""
    rows = []
    for row in r.movers(dimension).itertuples():
        out = {
            t(f"review.dim.{dimension}", lang): name(dimension, row.dimension_value, lang, row.product_name),
            t("review.col.now", lang, unit=unit(r, lang)): fmt.money(row.net_revenue_now, lang),
            t("review.col.change", lang): signed_money(row.net_revenue_change, lang),
            t("review.col.change_pct", lang): fmt.delta(row.net_revenue_delta, lang),
        }
        if dimension in ("channel", "campaign"):
            out[t("review.col.spend", lang)] = fmt.money(row.spend_now, lang)
            out[t("review.col.spend_change", lang)] = fmt.delta(
                None if pd.isna(row.spend_then) else delta(row.spend_now, row.spend_then), lang
            )
        rows.append(out)
    return rows


def inventory_rows(r: Review, part: str, lang: str, limit: int = ALERT_ROWS) -> list[dict[str, str]]:
    """``new_stockouts``, ``reorder`` or ``trending`` as text rows (the first ``limit``)."""
    df = r.inventory.get(part)
    if df is None or df.empty:
        return []
    rows = []
    for row in df.head(limit).itertuples():
        out = {
            t("review.col.sku", lang): str(row.sku),
            t("review.col.product", lang): "" if pd.isna(row.product_name) else str(row.product_name),
        }
        if part == "new_stockouts":
            out[t("review.col.first_out", lang)] = day_text(pd.Timestamp(row.first_out_date).date(), lang)
            out[t("review.col.on_hand", lang)] = fmt.count(row.on_hand_now, lang)
        elif part == "reorder":
            out[t("review.col.on_hand", lang)] = fmt.count(row.on_hand, lang)
            out[t("review.col.cover", lang)] = fmt.days(row.days_of_cover, lang)
            out[t("review.col.order_qty", lang)] = fmt.count(row.suggested_order_qty, lang)
        else:
            out[t("review.col.trend", lang)] = fmt.delta(row.trend_change, lang)
            out[t("review.col.cover", lang)] = fmt.days(row.days_of_cover, lang)
        rows.append(out)
    return rows


# ---------------------------------------------------------------- figures (page and report draw the same)


def fig_daily(r: Review, lang: str):
    from storeops import charts

    now = r.period_days()
    fig = charts.trend(
        now,
        "day",
        "net_revenue",
        BY_KEY["net_revenue"].label(lang),
        "money",
        compare_df=r.daily_compare,
        compare_label=compare_label(r, lang),
        lang=lang,
    )
    marks = r.anomalies[r.anomalies["metric"] == "net_revenue"]
    return charts.mark_days(
        fig, list(marks["day"]), list(marks["value"]), t("review.anomaly_marker", lang), "money", lang
    )


def fig_waterfall(r: Review, dimension: str, lang: str):
    from storeops import charts

    parts = r.waterfall(dimension)
    parts = parts.assign(
        label=[
            name(dimension, v, lang, n_values=n)
            for v, n in zip(parts["dimension_value"], parts["n_values"], strict=True)
        ]
    )
    c = r.then[r.compare]["net_revenue"]
    return charts.waterfall(
        parts,
        "label",
        "net_revenue_change",
        (compare_label(r, lang), c or 0.0),
        (t("review.now", lang, unit=unit(r, lang)), r.now["net_revenue"] or 0.0),
        lang=lang,
    )


def fig_factors(r: Review, lang: str):
    from storeops import charts

    parts = pd.DataFrame(
        {
            "label": [t(f"review.factor.{k}", lang) for k in ("traffic", "conversion", "aov")],
            "change": [r.drivers[k] for k in ("traffic", "conversion", "aov")],
        }
    )
    return charts.waterfall(
        parts,
        "label",
        "change",
        (compare_label(r, lang), r.then[r.compare]["net_revenue"] or 0.0),
        (t("review.now", lang, unit=unit(r, lang)), r.now["net_revenue"] or 0.0),
        lang=lang,
    )


def fig_target(target: dict, lang: str):
    from storeops import charts

    m = BY_KEY.get(target["metric"])
    return charts.progress_bullet(
        target["actual"],
        target["target"],
        m.label(lang) if m else target["metric"],
        m.kind if m else "count",
        lang,
        pace=target["expected_share"],
        title=False,
    )


def target_caption(target: dict, lang: str) -> str:
    """``¥74.4万 / ¥75.5万 · 目标完成 98.6%`` and the pace verdict with the projection."""
    from storeops import charts

    m = BY_KEY.get(target["metric"])
    kind = m.kind if m else "count"
    on = target["pace_ratio"] is not None and target["pace_ratio"] >= 1
    if target["days_left"] == 0:  # the month is over
        pace = t("review.target_hit" if on else "review.target_missed", lang)
    else:
        pace = t("review.target_line", lang, pace=t("review.on_pace" if on else "review.behind_pace", lang),
                 projected=fmt.value(kind, target["projected"], lang))  # fmt: skip
    return charts.progress_summary(target["actual"], target["target"], kind, lang) + " · " + pace


def member_note(r: Review, lang: str) -> str:
    """The definitions under the member table."""
    m = r.members
    return t(m["note_key"], lang, unit=unit(r, lang), active=m["active_days"], silent=m["silent_days"])


def member_rows(r: Review, lang: str) -> list[dict[str, str]]:
    """Member movement as (measure, value, change in the period) rows; empty without a members file."""
    m = r.members
    if not m:
        return []
    metric, value, moved = t("review.col.metric", lang), t("review.col.value", lang), t("review.col.change", lang)
    signed = lambda x: ("+" if x > 0 else "") + fmt.count(x, lang)  # noqa: E731
    return [
        {metric: t("review.m.new_members", lang), value: fmt.count(m["new_members"], lang), moved: ""},
        {metric: t("review.m.upgrades", lang), value: fmt.count(m["upgrades"], lang), moved: ""},
        {metric: t("review.m.downgrades", lang), value: fmt.count(m["downgrades"], lang), moved: ""},
        {
            metric: t("review.m.churn_risk", lang),
            value: fmt.count(m["churn_risk"], lang),
            moved: signed(m["churn_risk_change"]),
        },
        {metric: t("review.m.churned", lang), value: "", moved: signed(m["churned_change"])},
    ]
