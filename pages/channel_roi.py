"""Channel ROI: where the ad money goes, what it brings back, and where the next yuan should go."""

import streamlit as st

from storeops import charts, fmt, roi
from storeops.i18n import label_channel, t
from storeops.metrics import BY_KEY, missing_tables
from storeops.ui import (
    chart,
    download,
    empty_state,
    explain,
    kpi_cards,
    metric_table,
    page_start,
)

# Without orders the sidebar has no period to offer, so orders are checked first.
store, fs, lang, period, comparison = page_start(
    "pages/channel_roi.py", "channel_roi", "orders", "roi.no_orders", "roi.scope_note"
)
absent = missing_tables(store)
if "ad_spend" in absent:
    empty_state(t("roi.empty", lang))
    st.stop()
has = roi.columns(store)
filters = fs.filters
vs = t(f"vs.{fs.compare}", lang)


def channel_name(value: str) -> str:
    return label_channel(value, lang)


def label(key: str) -> str:
    return BY_KEY[key].label(lang)


# ---- which optional ad columns are missing, and what that leaves out
left_out = {
    "impressions": ["ctr", "cpm"],
    "clicks": ["clicks", "ctr", "cpc"],
    "conversion_value": ["platform_roas"],
}
missing = [c for c in left_out if not has[f"has_{c}"]]
if missing:
    measures = dict.fromkeys(["impressions"] * ("impressions" in missing) + [m for c in missing for m in left_out[c]])
    st.info(
        t(
            "roi.missing_columns",
            lang,
            columns=", ".join(missing),
            measures=", ".join(label(m) for m in measures),
        ),
        icon=":material/info:",
    )

if filters.platforms and not has["has_ad_platform"]:
    st.info(t("roi.platform_note", lang), icon=":material/info:")

# ---- cards
with st.spinner(t("loading", lang)):
    now = roi.kpis(store, period, filters)
    then = roi.kpis(store, comparison, filters)
    table = roi.channel_table(store, period, comparison, filters, now["break_even_roas"])
break_even = now["break_even_roas"]
has_costs = now["gross_margin"] is not None
kpi_cards(roi.CARDS, now, then, lang, roi.card_reasons(now, lang, absent, has_costs))
paid = table[table["ad_spend"] > 0]
explain(t("roi.cards_explain", lang, n=len(paid)))
if table.empty:
    empty_state(t("no_data_period", lang))
    st.stop()

# ---- the channel table
st.subheader(t("roi.channels", lang))
below = dict(zip(table["dimension_value"], table["below_break_even"], strict=True))


def marked_name(value: str) -> str:
    name = channel_name(value)
    return t("roi.mark", lang, name=name) if below.get(value) else name


metric_table(
    table,
    "dimension_value",
    t("roi.col.channel", lang),
    marked_name,
    [*roi.TABLE, "break_even_roas"],
    lang,
    key="roi-channels",
    marked=list(table["below_break_even"]),
)
n_below = int(table["below_break_even"].sum())
explain(t("roi.channels_explain", lang, cmp=vs, n=n_below) if n_below else t("roi.channels_explain_none", lang, cmp=vs))
download(table, f"channel_roi_{period.start}_{period.end}", lang, key="download-roi-channels")

if paid.empty:
    empty_state(t("roi.no_paid", lang))
    st.stop()

# ---- share of spend beside share of revenue; ROAS against spend
left, right = st.columns(2, gap="large")
with left:
    st.subheader(t("roi.shares", lang))
    chart(
        charts.share_bars(
            table,
            "dimension_value",
            [("spend_share", label("spend_share")), ("revenue_share", label("revenue_share"))],
            label_fn=channel_name,
            lang=lang,
        ),
        key="roi-shares",
    )
    gaps = (paid["spend_share"] - paid["revenue_share"]).astype(float)
    if gaps.max() > 0.02:
        worst = paid.loc[gaps.idxmax()]
        explain(
            t(
                "roi.shares_explain",
                lang,
                name=channel_name(worst["dimension_value"]),
                spend=fmt.rate(worst["spend_share"], lang),
                revenue=fmt.rate(worst["revenue_share"], lang),
            )
        )
    else:
        explain(t("roi.shares_balanced", lang))
with right:
    st.subheader(t("roi.bubble", lang))
    chart(
        charts.bubble(
            paid,
            "dimension_value",
            "ad_spend",
            "roas",
            "attributed_revenue",
            (label("ad_spend"), label("roas"), label("attributed_revenue")),
            ("money", "ratio", "money"),
            label_fn=channel_name,
            color_map=charts.CHANNEL_COLORS,
            reference=break_even,
            reference_label=t("chart.break_even", lang),
            lang=lang,
        ),
        key="roi-bubble",
    )
    losing = paid[paid["below_break_even"]]
    losing = losing.assign(loss=losing["ad_spend"] - losing["gross_profit"].fillna(0)).sort_values(
        "loss", ascending=False
    )
    if losing.empty:
        explain(t("roi.bubble_all_above" if break_even is not None else "roi.bubble_unknown", lang))
    else:
        top = losing.iloc[0]
        explain(
            t("roi.bubble_explain", lang, name=channel_name(top["dimension_value"]), roas=fmt.ratio(top["roas"], lang))
        )

# ---- platform claims against the store's record
st.subheader(t("roi.gap", lang))
if not has["has_conversion_value"]:
    empty_state(t("roi.gap_missing", lang))
else:
    chart(
        charts.grouped_bars(
            paid,
            "dimension_value",
            [("roas", t("roi.recorded_roas", lang)), ("platform_roas", label("platform_roas"))],
            "ratio",
            label_fn=channel_name,
            lang=lang,
        ),
        key="roi-gap",
    )
    claims = paid[(paid["roas"] > 0) & paid["platform_roas"].notna()]
    times = (claims["platform_roas"] / claims["roas"]).astype(float)
    if not claims.empty and times.max() >= 1.2:
        top = claims.loc[times.idxmax()]
        explain(
            t(
                "roi.gap_explain",
                lang,
                name=channel_name(top["dimension_value"]),
                claimed=fmt.ratio(top["platform_roas"], lang),
                recorded=fmt.ratio(top["roas"], lang),
                times=fmt.ratio(times.max(), lang),
            )
        )
    else:
        explain(t("roi.gap_close", lang))

# ---- weekly ROAS per channel
st.subheader(t("roi.weekly", lang))
weeks = roi.weekly(store, period, filters)
chart(
    charts.lines_by(
        weeks,
        "week_start",
        "channel",
        "roas",
        "ratio",
        label("roas"),
        label_fn=channel_name,
        color_map=charts.CHANNEL_COLORS,
        reference=break_even,
        reference_label=t("chart.break_even", lang),
        lang=lang,
    ),
    key="roi-weekly",
)
explain(t("roi.weekly_explain", lang))
download(weeks, f"channel_roi_weekly_{period.start}_{period.end}", lang, key="download-roi-weekly")

# ---- campaign drill-down
st.subheader(t("roi.drill", lang))
picked = st.selectbox(
    t("roi.drill_pick", lang),
    paid["dimension_value"].tolist(),
    format_func=channel_name,
    key="roi-drill",
)
with_campaigns = has["has_order_campaign"]
no_campaign = t("roi.no_campaign", lang)
explain(t("roi.attribution_campaign", lang, none=no_campaign) if with_campaigns else t("roi.attribution_none", lang))
campaigns = roi.campaign_table(store, period, comparison, filters, picked, with_campaigns, break_even)
flags = {v: (bool(n), bool(b)) for v, n, b in campaigns[["dimension_value", "no_orders", "below_break_even"]].values}


def campaign_name(value: object) -> str:
    name = no_campaign if value is None or value != value else str(value)
    no_orders, losing = flags.get(value, (False, False))
    if no_orders:
        return t("roi.flag", lang, name=name)
    return t("roi.mark", lang, name=name) if losing else name


metric_table(
    campaigns,
    "dimension_value",
    t("roi.col.campaign", lang),
    campaign_name,
    roi.TABLE,
    lang,
    key="roi-campaigns",
    marked=[a or b for a, b in zip(campaigns["no_orders"], campaigns["below_break_even"], strict=True)],
)
flagged = campaigns[campaigns["no_orders"]]
if not with_campaigns:
    explain(t("roi.drill_explain_none", lang, n=len(campaigns)))
elif flagged.empty:
    explain(t("roi.drill_explain_ok", lang, n=len(campaigns)))
else:
    explain(
        t(
            "roi.drill_explain",
            lang,
            n=len(campaigns),
            flagged=len(flagged),
            spend=fmt.money(flagged["ad_spend"].sum(), lang),
        )
    )
download(campaigns, f"channel_roi_{picked}_campaigns_{period.start}_{period.end}", lang, key="download-roi-campaigns")
rated = campaigns[campaigns["roas"].notna()] if with_campaigns else campaigns.iloc[0:0]
if not rated.empty:
    chart(
        charts.bar_ranking(
            rated.assign(campaign=[campaign_name(v) for v in rated["dimension_value"]]),
            "campaign",
            "roas",
            "ratio",
            lang=lang,
        ),
        key="roi-campaign-roas",
    )
    explain(t("roi.drill_chart_explain", lang, break_even=fmt.ratio(break_even, lang)))

# ---- budget what-if
st.subheader(t("roi.whatif", lang))
options = paid["dimension_value"].tolist()
advice = roi.suggestions(table, break_even)
if len(options) < 2:
    empty_state(t("roi.whatif_need_two", lang))
else:
    by_roas = paid.sort_values("roas", na_position="first")["dimension_value"].tolist()
    c1, c2, c3 = st.columns([1, 1, 2], gap="medium")
    source = c1.selectbox(
        t("roi.whatif_from", lang),
        options,
        index=options.index(by_roas[0]),
        format_func=channel_name,
        key="roi-from",
    )
    target = c2.selectbox(
        t("roi.whatif_to", lang),
        options,
        index=options.index(by_roas[-1]),
        format_func=channel_name,
        key="roi-to",
    )
    available = float(paid.set_index("dimension_value").loc[source, "ad_spend"])
    step = max(1.0, round(available / 100, -1 if available >= 1000 else 0))
    amount = c3.slider(
        t("roi.whatif_amount", lang),
        min_value=0.0,
        max_value=available,
        value=min(available, round(available * 0.2 / step) * step),
        step=step,
        format=f"{fmt.currency()}%.0f",
        key=f"roi-amount-{source}",
    )
    if source == target:
        empty_state(t("roi.whatif_same", lang))
    else:
        estimate = roi.what_if(paid, source, target, amount)
        m1, m2, _ = st.columns([1, 1, 2])
        reasons = {} if has_costs else {"help": t("roi.reason.costs", lang)}
        m1.metric(t("roi.whatif_revenue", lang), fmt.money(estimate.revenue_change, lang), border=True)
        m2.metric(
            t("roi.whatif_profit", lang),
            fmt.money(estimate.profit_change, lang),
            reasons.get("help") if estimate.profit_change is None else None,
            delta_color="off",
            delta_arrow="off",
            border=True,
        )
        explain(
            t(
                "roi.whatif_label",
                lang,
                amount=fmt.money(amount, lang),
                source=channel_name(source),
                target=channel_name(target),
                roas_from=fmt.ratio(estimate.source_roas, lang),
                roas_to=fmt.ratio(estimate.target_roas, lang),
            )
        )

# ---- ranked suggestions
st.subheader(t("roi.suggest", lang))
columns = st.columns(3, gap="large")
for column, action in zip(columns, ("cut", "grow", "watch"), strict=True):
    with column:
        st.markdown(f"**{t(f'roi.{action}', lang)}**")
        lines = [roi.suggestion_text(s, lang) for s in advice if s.action == action]
        numbered = "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))
        st.markdown(numbered or t("roi.suggest_none", lang))
explain(t("roi.suggest_explain", lang))
