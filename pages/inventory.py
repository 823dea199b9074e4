"""Inventory risk: what to reorder today, what to clear, and what stock-outs cost (METRICS.md "Inventory")."""

import datetime as dt

import pandas as pd
import streamlit as st

from storeops import charts, fmt, inventory
from storeops.i18n import t
from storeops.metrics import missing_tables
from storeops.ui import chart, download, empty_state, explain, kpi_cards, page_start, settings

SERVICE_LEVELS = (0.8, 0.85, 0.9, 0.95, 0.975, 0.98, 0.99, 0.995)
TOP_AT_RISK = 10

store, fs, lang, period, comparison = page_start(
    "pages/inventory.py", "inventory", "inventory", "inventory.empty", "inventory.category_note"
)
absent = missing_tables(store)


def status_name(status: str) -> str:
    return t(f"inventory.status.{status}", lang)


# ---- the reorder policy: settings give the defaults, this page's sidebar can change them
base = settings()
with st.sidebar:
    st.markdown(f"**{t('inventory.policy', lang)}**")
    levels = sorted({*SERVICE_LEVELS, base.service_level})
    service_level = st.select_slider(
        t("inventory.service_level", lang),
        options=levels,
        value=base.service_level,
        format_func=lambda v: f"{v * 100:g}%",
        key="inventory-service-level",
        help=t("inventory.service_level_help", lang),
    )
    lead_time = st.number_input(
        t("inventory.lead_time", lang),
        min_value=1,
        max_value=365,
        value=int(base.default_lead_time_days),
        step=1,
        key="inventory-lead-time",
        help=t("inventory.lead_time_help", lang),
    )
policy = inventory.Policy.from_settings(base, service_level, int(lead_time))
categories = fs.filters.categories

as_of = inventory.snapshot_date(store, period.end)
if as_of is None:
    empty_state(t("inventory.no_snapshot", lang, end=period.end.isoformat()))
    st.stop()
with st.spinner(t("inventory.computing", lang)):
    table = inventory.sku_table(store, period.end, policy, categories)
    lost = inventory.stockouts(store, period, categories)
    then_as_of = inventory.snapshot_date(store, comparison.end)
    if then_as_of is not None:
        then_table = inventory.sku_table(store, comparison.end, policy, categories)
        then = inventory.kpis(then_table, inventory.stockouts(store, comparison, categories))
    else:
        then = {}
if table.empty:
    empty_state(t("inventory.no_skus", lang))
    st.stop()

explain(
    t(
        "inventory.as_of",
        lang,
        date=as_of.isoformat(),
        level=f"{policy.service_level * 100:g}%",
        z=f"{policy.z:.3f}",
        lt=fmt.days(policy.default_lead_time_days, lang),
    )
)
if fs.filters.channels or fs.filters.platforms:
    explain(t("inventory.channel_note", lang))

# ---- cards
now = inventory.kpis(table, lost)
reasons = {}
no_cost = table["unit_cost"].isna()
for key in ("inventory_value", "excess_stock_value"):
    if now[key] is None:
        reasons[key] = t("needs_column", lang, table="inventory", column="unit_cost")
if now["stockout_lost_revenue"] is None:
    reasons["stockout_lost_revenue"] = (
        t("needs", lang, table="orders") if "orders" in absent else t("inventory.lost_unpriced", lang)
    )
kpi_cards(list(inventory.KPI_KEYS), now, then, lang, reasons)
out_days = int(lost["stockout_days"].sum()) if not lost.empty else 0
explain(
    t(
        "inventory.cards_explain",
        lang,
        date=as_of.isoformat(),
        then=then_as_of.isoformat() if then_as_of else "—",
        days=fmt.count(out_days, lang, precise=True),
        skus=fmt.count(len(lost), lang, precise=True),
    )
)
if no_cost.any() and not no_cost.all():
    explain(t("inventory.uncosted", lang, n=int(no_cost.sum())))

# ---- what is missing from the files
if table["lead_time_is_default"].all():
    explain(t("inventory.no_lead_time", lang, days=fmt.days(policy.default_lead_time_days, lang)))
elif table["lead_time_is_default"].any():
    explain(
        t(
            "inventory.some_lead_time",
            lang,
            n=int(table["lead_time_is_default"].sum()),
            days=fmt.days(policy.default_lead_time_days, lang),
        )
    )
if table["min_order_qty"].isna().all():
    explain(t("inventory.no_min_order_qty", lang))

# ---- the SKU table
st.subheader(t("inventory.table", lang))
pick = st.columns(3)
with pick[0]:
    chosen_categories = st.multiselect(
        t("inventory.filter_category", lang),
        sorted(table["category"].dropna().unique()),
        key="inventory-category",
        placeholder=t("all", lang),
    )
with pick[1]:
    chosen_abc = st.multiselect(
        t("inventory.filter_abc", lang), list(inventory.ABC_CLASSES), key="inventory-abc", placeholder=t("all", lang)
    )
with pick[2]:
    chosen_status = st.multiselect(
        t("inventory.filter_status", lang),
        list(inventory.STATUSES),
        format_func=status_name,
        key="inventory-status",
        placeholder=t("all", lang),
    )
keep = pd.Series(True, index=table.index)
if chosen_categories:
    keep &= table["category"].isin(chosen_categories)
if chosen_abc:
    keep &= table["abc_class"].isin(chosen_abc)
if chosen_status:
    keep &= table["status"].isin(chosen_status)
shown = table[keep]


def col(name: str) -> str:
    return t(f"inventory.col.{name}", lang)


def trend_text(change: float, trending: bool) -> str:
    if pd.isna(change):
        return "—"
    return ("▲ " if trending else "") + fmt.delta(change, lang)


def lead_time_text(days: float, is_default: bool) -> str:
    text = fmt.days(days, lang)
    return t("inventory.default_marker", lang, value=text) if is_default else text


def one_decimal(x: float) -> str:
    return fmt.MISSING if pd.isna(x) else f"{x:,.1f}"


view = pd.DataFrame(
    {
        col("sku"): shown["sku"],
        col("product"): shown["product_name"].fillna("—"),
        col("category"): shown["category"],
        col("abc"): shown["abc_class"],
        col("status"): [status_name(s) for s in shown["status"]],
        col("trend"): [trend_text(c, f) for c, f in zip(shown["trend_change"], shown["is_trending"], strict=True)],
        col("on_hand"): shown["on_hand"].astype("Int64"),
        col("on_order"): shown["on_order"].astype("Int64"),
        col("avg_daily_units"): shown["avg_daily_units"].round(2),
        col("sd_daily_units"): shown["sd_daily_units"].round(2),
        col("lead_time"): [
            lead_time_text(d, x) for d, x in zip(shown["lead_time_used"], shown["lead_time_is_default"], strict=True)
        ],
        col("days_of_cover"): [fmt.days(v, lang) for v in shown["days_of_cover"]],
        col("safety_stock"): [one_decimal(v) for v in shown["safety_stock"]],
        col("reorder_point"): [one_decimal(v) for v in shown["reorder_point"]],
        col("stockout_probability"): shown["stockout_probability"],
        col("suggested_order_qty"): shown["suggested_order_qty"].astype("Int64"),
        col("min_order_qty"): [fmt.MISSING if pd.isna(v) else str(int(v)) for v in shown["min_order_qty"]],
        col("net_revenue_90d"): [fmt.money(v, lang, precise=True) for v in shown["net_revenue_90d"]],
        col("inventory_value"): [fmt.money(v, lang, precise=True) for v in shown["inventory_value"]],
    }
)
right = {"alignment": "right"}
config = {
    col("sku"): st.column_config.TextColumn(col("sku"), pinned=True),
    col("stockout_probability"): st.column_config.ProgressColumn(
        col("stockout_probability"), format="percent", min_value=0.0, max_value=1.0
    ),
    **{
        col(c): st.column_config.TextColumn(col(c), help=t(f"inventory.help.{c}", lang), **right)
        for c in ("days_of_cover", "safety_stock", "reorder_point", "lead_time", "net_revenue_90d", "inventory_value")
    },
    col("trend"): st.column_config.TextColumn(col("trend"), help=t("inventory.help.trend", lang), **right),
    col("suggested_order_qty"): st.column_config.NumberColumn(
        col("suggested_order_qty"), help=t("inventory.help.suggested_order_qty", lang)
    ),
    col("abc"): st.column_config.TextColumn(col("abc"), help=t("inventory.help.abc", lang)),
}
st.dataframe(view, hide_index=True, column_config=config, key="inventory-table")
trending = int(table["is_trending"].sum())
explain(
    t(
        "inventory.table_explain",
        lang,
        n=len(shown),
        total=len(table),
        reorder=int((table["status"] == "reorder_now").sum()),
        trending=trending,
    )
)
download(
    inventory.reorder_list(table),
    f"reorder_{as_of.isoformat()}",
    lang,
    key="download-reorder",
)

# ---- days of cover against revenue
st.subheader(t("inventory.cover", lang))
chart(charts.cover_scatter(table, status_name, policy.overstock_days, lang=lang), key="inventory-cover")
no_cover = int(table["days_of_cover"].isna().sum())
over = table[table["status"].isin(["overstock", "dead_stock"])]
explain(
    t(
        "inventory.cover_explain",
        lang,
        days=fmt.days(policy.overstock_days, lang),
        n=len(over),
        value=fmt.money(over["inventory_value"].sum() if over["inventory_value"].notna().any() else None, lang),
        hidden=no_cover,
    )
)

# ---- the likeliest to run out
st.subheader(t("inventory.at_risk", lang))
risky = table[table["stockout_probability"] > 0].sort_values(
    ["stockout_probability", "net_revenue_90d"], ascending=[False, False], kind="stable"
)
risky = risky.head(TOP_AT_RISK).assign(
    label=lambda d: [f"{s} {n}" if isinstance(n, str) else s for s, n in zip(d["sku"], d["product_name"], strict=True)]
)
if risky.empty:
    empty_state(t("inventory.no_risk", lang))
else:
    colors = {label: charts.STATUS_COLORS[s] for label, s in zip(risky["label"], risky["status"], strict=True)}
    chart(
        charts.bar_ranking(risky, "label", "stockout_probability", "rate", color_map=colors, lang=lang),
        key="inventory-at-risk",
    )
    explain(
        t(
            "inventory.at_risk_explain",
            lang,
            lt=fmt.days(policy.default_lead_time_days, lang),
            risk=fmt.rate(1 - policy.service_level, lang),
        )
    )

# ---- one SKU: history and the next 30 days
st.subheader(t("inventory.detail", lang))
names = dict(zip(table["sku"], table["product_name"], strict=True))
sku = st.selectbox(
    t("inventory.detail_pick", lang),
    table["sku"].tolist(),
    format_func=lambda s: f"{s} {names[s]}" if isinstance(names[s], str) else s,
    key="inventory-sku",
)
row = next(table[table["sku"] == sku].itertuples())
hist = inventory.history(store, sku, as_of)
forecast = inventory.projection(row, as_of)
chart(
    charts.stock_projection(hist, forecast, row.reorder_point, row.safety_stock, lang=lang),
    key="inventory-projection",
)
to_rop = inventory.days_to_reorder_point(row)
numbers = {
    "status": status_name(row.status),
    "d": f"{row.avg_daily_units:.2f}",
    "rop": one_decimal(row.reorder_point),
    "ss": one_decimal(row.safety_stock),
    "qty": fmt.count(row.suggested_order_qty, lang, precise=True),
}
if row.status == "out_of_stock":
    explain(t("inventory.detail_out", lang, **numbers))
elif to_rop == 0:
    explain(t("inventory.detail_below", lang, **numbers))
elif to_rop is None:
    explain(t("inventory.detail_no_sales", lang, **numbers))
else:
    explain(
        t(
            "inventory.detail_runway",
            lang,
            days=fmt.days(to_rop, lang),
            date=(as_of + dt.timedelta(days=int(to_rop))).isoformat(),
            **numbers,
        )
    )
