"""Overview: the headline numbers, their trend, where revenue comes from, targets."""

import streamlit as st

from storeops import charts, fmt
from storeops.i18n import label_channel, label_platform, t
from storeops.metrics import BY_KEY, delta, kpis, missing_tables
from storeops.ui import chart, empty_state, explain, kpi_cards, page_start

CARDS = [
    "net_revenue", "gmv", "orders", "buyers", "aov",
    "revenue_per_buyer", "conversion_rate", "sessions", "ad_spend", "mer",
    "new_customers", "repurchase_rate", "refund_rate", "gross_profit",
]  # fmt: skip

store, fs, lang, period, comparison = page_start(
    "pages/overview.py", "overview", "orders", "empty.orders", "overview.category_note"
)

now = kpis(store, period, fs.filters)
then = kpis(store, comparison, fs.filters)
absent = missing_tables(store)
reasons = {m.key: t("needs", lang, table=m.needs) for m in BY_KEY.values() if m.needs in absent}
if now["gross_profit"] is None and "gross_profit" not in reasons:
    reasons["gross_profit"] = t("overview.uncosted", lang)
kpi_cards(CARDS, now, then, lang, reasons)

# ---- trend
params = fs.filters.params()
daily = store.run("sales_daily", start=period.start, end=period.end, **params)
daily_cmp = store.run("sales_daily", start=comparison.start, end=comparison.end, **params)
st.subheader(t("overview.trend", lang))
chart(
    charts.trend(
        daily,
        "order_date",
        "net_revenue",
        BY_KEY["net_revenue"].label(lang),
        "money",
        compare_df=daily_cmp,
        compare_label=t(f"compare.{fs.compare}", lang),
        y2="orders",
        y2_label=BY_KEY["orders"].label(lang),
        lang=lang,
    ),
    key="trend",
)
change = delta(now["net_revenue"], then["net_revenue"])
best = daily.loc[daily["net_revenue"].idxmax()] if daily["net_revenue"].max() > 0 else None
explain(
    t(
        "overview.trend_explain",
        lang,
        revenue=fmt.money(now["net_revenue"], lang),
        change=fmt.delta(change, lang),
        vs=t(f"vs.{fs.compare}", lang),
        best_day=best["order_date"].date().isoformat() if best is not None else "—",
        best=fmt.money(best["net_revenue"] if best is not None else None, lang),
    )
)

# ---- where revenue comes from
left, right = st.columns(2)
for column, dimension, label_fn, colors in (
    (left, "platform", label_platform, charts.PLATFORM_COLORS),
    (right, "channel", label_channel, charts.CHANNEL_COLORS),
):
    with column:
        st.subheader(t(f"overview.by_{dimension}", lang))
        by = store.run("sales_by", dimension=dimension, start=period.start, end=period.end, **params)
        if by.empty:
            empty_state(t("no_data_period", lang))
            continue
        chart(
            charts.bar_ranking(
                by,
                "dimension_value",
                "net_revenue",
                "money",
                lang=lang,
                label_fn=lambda v, f=label_fn: f(v, lang),
                color_map=colors,
            ),
            key=f"by-{dimension}",
        )
        top = by.iloc[0]
        explain(
            t(
                f"overview.by_{dimension}_explain",
                lang,
                name=label_fn(top["dimension_value"], lang),
                share=fmt.rate(top["revenue_share"], lang),
                n=len(by),
            )
        )

# ---- targets
st.subheader(t("overview.targets", lang))
targets = store.run("target_progress", end=period.end)
if targets.empty:
    empty_state(t("overview.no_targets", lang, month=period.end.strftime("%Y-%m")))
else:
    cols = st.columns(len(targets))
    for col, row in zip(cols, targets.itertuples(), strict=True):
        metric = BY_KEY.get(row.metric)
        label = metric.label(lang) if metric else row.metric
        kind = metric.kind if metric else "count"
        with col:
            # Label and numbers as text above the bar: they wrap in a narrow column.
            st.markdown(f"**{label}**")
            st.caption(charts.progress_summary(row.actual, float(row.target), kind, lang))
            chart(
                charts.progress_bullet(
                    row.actual, float(row.target), label, kind, lang, pace=row.expected_share, title=False
                ),
                key=f"target-{row.metric}",
            )
    pace = targets.iloc[0]
    explain(
        t(
            "overview.targets_explain",
            lang,
            month=period.end.strftime("%Y-%m"),
            elapsed=fmt.rate(pace["expected_share"], lang),
        )
    )
