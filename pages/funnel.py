"""Conversion funnel: sessions → product views → add to cart → checkout → purchase, and where visitors are lost."""

import pandas as pd
import streamlit as st

from storeops import charts, fmt
from storeops.i18n import label_channel, label_platform, t
from storeops.metrics import BY_KEY, absent_traffic_columns, funnel_periods, weakest_step
from storeops.ui import (
    change,
    chart,
    download,
    empty_state,
    explain,
    kpi_cards,
    page_start,
    traffic_card_reasons,
)

CARDS = [
    "sessions", "product_view_rate", "add_to_cart_rate", "checkout_rate",
    "purchase_rate", "cart_abandonment_rate", "conversion_rate",
]  # fmt: skip
STEPS = ("product_views", "add_to_cart", "checkouts", "purchases")

store, fs, lang, period, comparison = page_start(
    "pages/funnel.py", "funnel", "traffic", "funnel.empty", "traffic.scope_note"
)


def step_name(step: str) -> str:
    return t(f"funnel.step.{step}", lang)


no_columns = absent_traffic_columns(store)
left_out = [s for s in STEPS if s in no_columns]
if left_out:
    st.info(t("funnel.left_out", lang, steps=", ".join(step_name(s) for s in left_out)), icon=":material/info:")

# ---- cards (both periods' funnels and trends come from two queries)
data = funnel_periods(store, period, comparison, fs.filters)
now, then = data.now, data.then
kpi_cards(CARDS, now, then, lang, traffic_card_reasons(store, CARDS, now, lang))

compare_label = t(f"compare.{fs.compare}", lang)
vs = t(f"vs.{fs.compare}", lang)

# ---- the funnel, this period beside the comparison
st.subheader(t("funnel.funnel", lang))
total = data.funnel("total")
total_then = data.funnel("total", "comparison")
if total.empty:
    empty_state(t("no_data_period", lang))
    st.stop()
has_steps = len(total) > 1
if not has_steps:
    empty_state(t("funnel.only_sessions", lang))
else:
    chart(
        charts.funnel(
            total,
            step_name,
            compare_df=total_then if not total_then.empty else None,
            compare_label=compare_label,
            lang=lang,
        ),
        key="funnel",
    )
    last = total.iloc[-1]
    weakest = total.loc[total["step_rate"].idxmin()]
    explain(
        t(
            "funnel.funnel_explain",
            lang,
            last=step_name(last["step"]),
            overall=fmt.rate(last["overall_rate"], lang),
            step=step_name(weakest["step"]),
            rate=fmt.rate(weakest["step_rate"], lang),
        )
    )

# ---- by channel and by platform
if has_steps:
    by = {
        "channel": data.funnel("channel"),
        "platform": data.funnel("platform"),
    }
    columns = st.columns(2, gap="large")
    for column, (dimension, frame), label_fn in zip(columns, by.items(), (label_channel, label_platform), strict=True):
        with column:
            st.subheader(t(f"funnel.by_{dimension}", lang))
            chart(
                charts.step_heatmap(frame, step_name, label_fn=lambda v, f=label_fn: f(v, lang), lang=lang),
                key=f"funnel-{dimension}",
            )
    explain(t("funnel.by_explain", lang))
    worst = weakest_step(by)
    if worst is None:
        explain(t("funnel.no_weakest", lang))
    else:
        name_fn = label_channel if worst["dimension"] == "channel" else label_platform
        st.markdown(
            t(
                "funnel.weakest",
                lang,
                previous=step_name(worst["previous_step"]),
                step=step_name(worst["step"]),
                name=name_fn(worst["value"], lang),
                rate=fmt.rate(worst["step_rate"], lang),
                gap=fmt.pp(worst["step_rate_gap_pp"], lang),
                site=fmt.rate(worst["site_step_rate"], lang),
            )
        )
    steps_table = pd.concat([frame.assign(dimension=dimension) for dimension, frame in by.items()], ignore_index=True)
    download(steps_table, f"funnel_by_channel_platform_{period.start}_{period.end}", lang, key="download-funnel")

# ---- cart abandonment and conversion over time
trend = data.trend()
trend_then = data.trend("comparison")
left, right = st.columns(2, gap="large")
with left:
    st.subheader(t("funnel.abandonment", lang))
    if {"add_to_cart", "purchases"} & no_columns:
        empty_state(t("funnel.no_abandonment", lang))
    else:
        label = BY_KEY["cart_abandonment_rate"].label(lang)
        chart(
            charts.trend(
                trend,
                "bucket_date",
                "cart_abandonment_rate",
                label,
                "rate",
                compare_df=trend_then,
                compare_label=compare_label,
                lang=lang,
            ),
            key="abandonment-trend",
        )
        explain(
            t(
                "funnel.abandonment_explain",
                lang,
                rate=fmt.rate(now["cart_abandonment_rate"], lang),
                change=change(
                    "cart_abandonment_rate", now["cart_abandonment_rate"], then["cart_abandonment_rate"], lang
                )[1],
                vs=vs,
            )
        )
with right:
    st.subheader(t("funnel.conversion", lang))
    chart(
        charts.trend(
            trend,
            "bucket_date",
            "conversion_rate",
            BY_KEY["conversion_rate"].label(lang),
            "rate",
            compare_df=trend_then,
            compare_label=compare_label,
            lang=lang,
        ),
        key="conversion-trend",
    )
    explain(
        t(
            "funnel.conversion_explain",
            lang,
            rate=fmt.rate(now["conversion_rate"], lang),
            change=change("conversion_rate", now["conversion_rate"], then["conversion_rate"], lang)[1],
            vs=vs,
        )
    )
    download(trend, f"funnel_trend_{period.start}_{period.end}", lang, key="download-trend")
