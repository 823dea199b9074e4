"""Traffic sources: how many visitors each channel and platform brings, how good they are, and whether they buy."""

import dataclasses

import streamlit as st

from storeops import charts, fmt
from storeops.i18n import label_channel, label_platform, t
from storeops.metrics import (
    period_part,
    top_movers,
    traffic_by,
    traffic_params,
    traffic_periods,
    with_deltas,
)
from storeops.ui import (
    chart,
    download,
    empty_state,
    explain,
    kpi_cards,
    metric_table,
    page_start,
    traffic_card_reasons,
)

CARDS = [
    "sessions", "users", "new_user_share", "bounce_rate",
    "avg_dwell_seconds", "revenue_per_session", "conversion_rate",
]  # fmt: skip
TABLE = [
    "sessions", "users", "new_users", "bounce_rate", "avg_dwell_seconds",
    "orders", "conversion_rate", "net_revenue", "revenue_per_session",
]  # fmt: skip

store, fs, lang, period, comparison = page_start(
    "pages/traffic.py", "traffic", "traffic", "traffic.empty", "traffic.scope_note"
)

# ---- cards
# the totals (cards), channels and platforms of both periods in one call, taken apart below
by = traffic_by(store, period, comparison, fs.filters, ["total", "channel", "platform"])
now, then = traffic_periods(store, period, comparison, fs.filters, by=by)
kpi_cards(CARDS, now, then, lang, traffic_card_reasons(store, CARDS, now, lang))

params = traffic_params(period, fs.filters)


def channel_name(value: str) -> str:
    return label_channel(value, lang)


def platform_name(value: str) -> str:
    return label_platform(value, lang)


# ---- sessions by channel over time
trend = store.run("traffic_trend", **params)
grain = trend["grain"].iloc[0] if not trend.empty else "day"
st.subheader(t(f"traffic.trend.{grain}", lang))
channels = period_part(by, period="current", dimension="channel")
if trend.empty:
    empty_state(t("no_data_period", lang))
    st.stop()
chart(
    charts.stacked_area(
        trend,
        "bucket_date",
        "channel",
        "sessions",
        "count",
        label_fn=channel_name,
        color_map=charts.CHANNEL_COLORS,
        lang=lang,
    ),
    key="traffic-trend",
)
top = channels.iloc[0]
explain(
    t(
        "traffic.trend_explain",
        lang,
        name=channel_name(top["dimension_value"]),
        share=fmt.rate(top["session_share"], lang),
    )
)

# ---- share of sessions beside share of revenue
st.subheader(t("traffic.shares", lang))
chart(
    charts.share_bars(
        channels,
        "dimension_value",
        [
            ("session_share", t("traffic.session_share", lang)),
            ("revenue_share", t("traffic.revenue_share", lang)),
        ],
        label_fn=channel_name,
        lang=lang,
    ),
    key="traffic-shares",
)
laggard = (
    channels.loc[channels["revenue_share_gap_pp"].idxmin()] if channels["revenue_share_gap_pp"].notna().any() else None
)
if laggard is not None and laggard["revenue_share_gap_pp"] < -0.02:
    explain(
        t(
            "traffic.shares_explain",
            lang,
            name=channel_name(laggard["dimension_value"]),
            sessions=fmt.rate(laggard["session_share"], lang),
            revenue=fmt.rate(laggard["revenue_share"], lang),
        )
    )
else:
    explain(t("traffic.shares_balanced", lang))

# ---- the channel table
st.subheader(t("traffic.channels", lang))
channels_then = period_part(by, period="comparison", dimension="channel")
table = with_deltas(channels, channels_then, "dimension_value", TABLE)
metric_table(table, "dimension_value", t("traffic.col.channel", lang), channel_name, TABLE, lang, key="channel-table")
explain(t("traffic.channels_explain", lang, cmp=t(f"vs.{fs.compare}", lang)))
download(table, f"traffic_channels_{period.start}_{period.end}", lang, key="download-channels")

# ---- drill into one channel
st.subheader(t("traffic.drill", lang))
picked = st.selectbox(
    t("traffic.drill_pick", lang),
    channels["dimension_value"].tolist(),
    format_func=channel_name,
    key="traffic-drill",
)
# the channel's raw sources and platforms in one call (one period: passed twice)
drill = traffic_by(
    store, period, period, dataclasses.replace(fs.filters, channels=(picked,)), ["channel_raw", "platform"]
)
left, right = st.columns(2, gap="large")
with left:
    st.markdown(f"**{t('traffic.raw_sources', lang)}**")
    raw = period_part(drill, period="current", dimension="channel_raw")
    metric_table(
        raw,
        "dimension_value",
        t("traffic.col.source", lang),
        lambda v: t("traffic.blank_source", lang) if v is None else str(v),
        ["sessions", "bounce_rate", "orders", "conversion_rate", "net_revenue"],
        lang,
        key="raw-table",
    )
    explain(t("traffic.raw_explain", lang, n=len(raw), name=channel_name(picked)))
    download(raw, f"traffic_{picked}_sources_{period.start}_{period.end}", lang, key="download-raw")
with right:
    name = channel_name(picked)
    st.markdown(f"**{t('traffic.channel_platforms', lang, name=name)}**")
    split = period_part(drill, period="current", dimension="platform")
    chart(
        charts.bar_ranking(
            split,
            "dimension_value",
            "sessions",
            "count",
            label_fn=platform_name,
            color_map=charts.PLATFORM_COLORS,
            lang=lang,
        ),
        key="drill-platforms",
    )
    explain(t("traffic.channel_platforms_explain", lang, name=name))
    download(split, f"traffic_{picked}_platforms_{period.start}_{period.end}", lang, key="download-split")

# ---- platforms
st.subheader(t("traffic.platforms", lang))
platforms = period_part(by, period="current", dimension="platform")
platforms_then = period_part(by, period="comparison", dimension="platform")
with_traffic = platforms[platforms["sessions"] > 0]
chart(
    charts.bar_ranking(
        with_traffic,
        "dimension_value",
        "conversion_rate",
        "rate",
        label_fn=platform_name,
        color_map=charts.PLATFORM_COLORS,
        lang=lang,
    ),
    key="platform-conversion",
)
platform_table = with_deltas(platforms, platforms_then, "dimension_value", TABLE)
metric_table(
    platform_table, "dimension_value", t("traffic.col.platform", lang), platform_name, TABLE, lang, key="platform-table"
)
best = (
    with_traffic.loc[with_traffic["conversion_rate"].idxmax()]
    if with_traffic["conversion_rate"].notna().any()
    else None
)
if best is not None:
    explain(
        t(
            "traffic.platforms_explain",
            lang,
            name=platform_name(best["dimension_value"]),
            rate=fmt.rate(best["conversion_rate"], lang),
        )
    )
download(platform_table, f"traffic_platforms_{period.start}_{period.end}", lang, key="download-platforms")

# ---- movers
st.subheader(t("traffic.movers", lang))
vs = t(f"vs.{fs.compare}", lang)
lines = [
    t(
        "traffic.mover_sessions",
        lang,
        name=channel_name(row.dimension_value),
        now=fmt.count(row.now, lang),
        vs=vs,
        then=fmt.count(row.then, lang),
        change=fmt.delta(row.delta, lang),
    )
    for row in top_movers(channels, channels_then, "dimension_value", "sessions").itertuples()
] + [
    t(
        "traffic.mover_conversion",
        lang,
        name=channel_name(row.dimension_value),
        now=fmt.rate(row.now, lang),
        vs=vs,
        then=fmt.rate(row.then, lang),
        change=fmt.pp(row.change, lang),
    )
    for row in top_movers(channels, channels_then, "dimension_value", "conversion_rate", n=2).itertuples()
]
st.markdown("\n".join(f"- {line}" for line in lines) if lines else t("traffic.no_movers", lang))
explain(t("traffic.movers_explain", lang))
