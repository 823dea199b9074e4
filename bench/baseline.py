"""The pages' numbers the straightforward way: pandas over the CSVs, loaded once and kept in memory.

This is the yardstick for our query layer (a dashboard written the usual way
would hold these DataFrames and recompute on every interaction), and an
independent check of its numbers. It follows METRICS.md for the demo data's
shape (files in the contract's columns; the channel map's defaults); it is
not a second product.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from storeops.channels import CHANNEL_GROUPS, DEFAULT_CHANNEL_MAP

TEXT = {"order_id": str, "customer_id": str, "sku": str, "channel": str, "platform": str, "campaign": str}


def _channel(raw: pd.Series) -> pd.Series:
    key = raw.fillna("").str.strip().str.lower()
    mapping = {**DEFAULT_CHANNEL_MAP, **{g: g for g in CHANNEL_GROUPS}}
    return key.map(mapping).fillna("other")


def load(data: Path) -> dict[str, pd.DataFrame]:
    orders = pd.concat([pd.read_csv(f, dtype=TEXT) for f in sorted((data / "orders").glob("*.csv"))], ignore_index=True)
    orders["order_time"] = pd.to_datetime(orders["order_time"])
    inventory = pd.concat(
        [pd.read_csv(f, dtype={"sku": str}) for f in sorted((data / "inventory").glob("*.csv"))], ignore_index=True
    )
    inventory["snapshot_date"] = pd.to_datetime(inventory["snapshot_date"])
    ads = pd.read_csv(data / "ad_spend.csv", dtype=TEXT, parse_dates=["date"])
    traffic = pd.read_csv(data / "traffic.csv", dtype=TEXT, parse_dates=["date"])
    # Derived once, as a pandas dashboard would at start-up.
    orders["order_date"] = orders["order_time"].dt.normalize()
    orders["channel_group"] = _channel(orders["channel"])
    orders["is_paid"] = orders["status"].isin(["paid", "refunded"])
    gross = orders["quantity"] * orders["unit_price"]
    discount = orders["discount"].fillna(0)
    refund = np.where(
        orders["refund_amount"].notna(),
        orders["refund_amount"],
        np.where(orders["status"] == "refunded", gross - discount, 0),
    )
    orders["line_gross"] = gross
    orders["net_revenue"] = gross - discount - refund
    ads["channel_group"] = _channel(ads["channel"])
    traffic["channel_group"] = _channel(traffic["channel"])
    return {"orders": orders, "inventory": inventory, "ads": ads, "traffic": traffic}


def overview(t: dict[str, pd.DataFrame], start: pd.Timestamp, end: pd.Timestamp) -> dict:
    o = t["orders"]
    lines = o[(o["order_date"] >= start) & (o["order_date"] <= end)]
    paid = lines[lines["is_paid"]]
    firsts = o[o["is_paid"]].sort_values(["order_time", "order_id"]).drop_duplicates("customer_id")
    new = firsts[(firsts["order_date"] >= start) & (firsts["order_date"] <= end)]
    paid.groupby("order_date")["net_revenue"].sum()  # the daily trend the page draws
    return {
        "net_revenue": round(float(paid["net_revenue"].sum()), 2),
        "gmv": round(float(lines.loc[lines["status"] != "cancelled", "line_gross"].sum()), 2),
        "orders": int(paid["order_id"].nunique()),
        "buyers": int(paid["customer_id"].nunique()),
        "units": int(paid["quantity"].sum()),
        "new_customers": int(new["customer_id"].nunique()),
    }


def traffic(t: dict[str, pd.DataFrame], start: pd.Timestamp, end: pd.Timestamp) -> dict:
    tr = t["traffic"]
    rows = tr[(tr["date"] >= start) & (tr["date"] <= end)]
    rows.groupby(["date", "channel_group"])["sessions"].sum()  # the trend by channel
    return {"sessions": int(rows["sessions"].sum())}


def funnel(t: dict[str, pd.DataFrame], start: pd.Timestamp, end: pd.Timestamp) -> dict:
    tr = t["traffic"]
    rows = tr[(tr["date"] >= start) & (tr["date"] <= end)]
    steps = rows.groupby("channel_group")[["sessions", "product_views", "add_to_cart"]].sum()
    total = steps.sum()
    return {
        "sessions": int(total["sessions"]),
        "product_view_rate": float(total["product_views"] / total["sessions"]),
        "add_to_cart_rate": float(total["add_to_cart"] / total["product_views"]),
    }


def channel_roi(t: dict[str, pd.DataFrame], start: pd.Timestamp, end: pd.Timestamp) -> dict:
    o, a = t["orders"], t["ads"]
    paid = o[o["is_paid"] & (o["order_date"] >= start) & (o["order_date"] <= end)]
    revenue = paid.groupby("channel_group")["net_revenue"].sum()
    spend = a[(a["date"] >= start) & (a["date"] <= end)].groupby("channel_group")["spend"].sum()
    out = {}
    for channel in sorted(set(revenue.index) | set(spend.index)):
        out[f"{channel}.spend"] = round(float(spend.get(channel, 0.0)), 2)
        out[f"{channel}.net_revenue"] = round(float(revenue.get(channel, 0.0)), 2)
    return out


def inventory(t: dict[str, pd.DataFrame], start: pd.Timestamp, end: pd.Timestamp) -> dict:
    inv, o = t["inventory"], t["orders"]
    as_of = inv.loc[inv["snapshot_date"] <= end, "snapshot_date"].max()
    skus = inv.loc[inv["snapshot_date"] == as_of, "sku"].unique()
    window = o[o["is_paid"] & (o["order_date"] > as_of - pd.Timedelta(days=28)) & (o["order_date"] <= as_of)]
    days = pd.date_range(as_of - pd.Timedelta(days=27), as_of)
    daily = window.groupby(["sku", "order_date"])["quantity"].sum().unstack(fill_value=0)
    daily = daily.reindex(index=skus, columns=days, fill_value=0)
    d = daily.mean(axis=1)
    return {"as_of": str(as_of.date()), **{f"{sku}.d": float(v) for sku, v in d.items()}}


PAGES: dict[str, Callable[[dict, pd.Timestamp, pd.Timestamp], dict]] = {
    "overview": overview,
    "traffic": traffic,
    "funnel": funnel,
    "channel_roi": channel_roi,
    "inventory": inventory,
}


def run(data: Path, start: dt.date, end: dt.date) -> dict:
    started = time.perf_counter()
    tables = load(data)
    load_s = time.perf_counter() - started
    out: dict = {"load_s": load_s, "pages": {}, "numbers": {}}
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    for name, fn in PAGES.items():
        started = time.perf_counter()
        out["numbers"][name] = fn(tables, s, e)
        out["pages"][name] = {"seconds": time.perf_counter() - started}
    return out
