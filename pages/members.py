"""Members and customers: tiers, RFM segments, lifecycle, cohorts and lifetime value, as of the period's last day."""

import datetime as dt

import pandas as pd
import streamlit as st

from storeops import charts, fmt
from storeops import members as mb
from storeops.i18n import t
from storeops.metrics import BY_KEY
from storeops.ui import chart, download, empty_state, explain, kpi_cards, page_start

store, fs, lang, period, comparison = page_start(
    "pages/members.py", "members", "orders", "empty.orders", "members.scope_note"
)
D, D_then = period.end, comparison.end
if (fs.filters.channels or fs.filters.platforms) and not fs.filters.categories:
    explain(t("members.scope_note", lang))


def tier_name(tier: object) -> str:
    return str(tier) if tier is not None and not pd.isna(tier) else "—"


# ---- cards
with st.spinner(t("members.computing", lang)):
    now = mb.member_cards(store, period)
    then = mb.member_cards(store, comparison)
lo, hi = mb.recent_cohort_window(D)
st.caption(
    t(
        "members.as_of",
        lang,
        date=D.isoformat(),
        cdate=D_then.isoformat(),
        tiers=t("members.tiers_given" if now.has_tiers else "members.tiers_derived", lang),
    )
)
if not now.has_members:
    st.info(t("members.no_members_file", lang), icon=":material/info:")
reasons = {}
if not now.has_members:
    reasons["points_balance"] = t("needs", lang, table="members")
elif not now.has_points:
    reasons["points_balance"] = t("needs_column", lang, table="members", column="points_balance")
if now.values["repurchase_90d"] is None:
    reasons["repurchase_90d"] = t("members.no_recent_cohort", lang, start=lo.isoformat(), end=hi.isoformat())
for key in ("repurchase_rate", "returning_revenue_share"):
    if now.values[key] is None:
        reasons[key] = t("no_data_period", lang)
# Points are a snapshot of the members file: there is no earlier balance to compare with.
then_values = {**then.values, "points_balance": None}
kpi_cards(list(mb.CARD_KEYS), now.values, then_values, lang, reasons)
explain(t("members.cards_explain", lang, start=lo.isoformat(), end=hi.isoformat()))


def tiers_view() -> None:
    """Tiers on D and the period's buyers by tier; who moved between tiers."""
    # ---- tiers
    st.header(t("members.tiers", lang), divider="gray")
    with st.spinner(t("members.computing", lang)):
        tiers = store.run("members_tiers", start=period.start, end=period.end)
    if tiers.empty:
        empty_state(t("no_data_period", lang))
    else:
        table = pd.DataFrame(
            {
                t("members.col.tier", lang): [tier_name(v) for v in tiers["tier"]],
                BY_KEY["members"].label(lang): [fmt.count(v, lang, precise=True) for v in tiers["members"]],
                BY_KEY["buyers"].label(lang): [fmt.count(v, lang, precise=True) for v in tiers["buyers"]],
                t("members.col.revenue_share", lang): [fmt.rate(v, lang) for v in tiers["revenue_share"]],
                BY_KEY["aov"].label(lang): [fmt.money(v, lang) for v in tiers["aov"]],
                t("members.col.orders_per_buyer", lang): [fmt.ratio(v, lang) for v in tiers["orders_per_buyer"]],
                BY_KEY["repurchase_rate"].label(lang): [fmt.rate(v, lang) for v in tiers["repurchase_rate"]],
            }
        )
        st.dataframe(table, hide_index=True, key="tiers-table")
        top = tiers.loc[tiers["revenue_share"].fillna(0).idxmax()]
        explain(
            t(
                "members.tiers_explain",
                lang,
                tier=tier_name(top["tier"]),
                members=fmt.count(top["members"], lang),
                share=fmt.rate(top["revenue_share"], lang),
            )
        )

        st.subheader(t("members.migration", lang))
        basis = "tier"
        if now.has_tiers:
            # The members file holds today's tier only: its tiers cannot move, spend-based ones can.
            basis = (
                st.segmented_control(
                    t("members.basis", lang),
                    ["tier", "spend"],
                    default="tier",
                    format_func=lambda b: t(f"members.basis.{b}", lang),
                    key="migration-basis",
                )
                or "tier"
            )
        with st.spinner(t("members.computing", lang)):
            moves = store.run("members_tier_migration", start=period.start, end=period.end, basis=basis)
        before = (period.start - dt.timedelta(days=1)).isoformat()
        summary = mb.migration_summary(moves)
        if summary["up"] + summary["down"] + summary["new"] + summary["changed"] == 0:
            empty_state(t("members.no_moves", lang, before=before, same=fmt.count(summary["same"], lang, precise=True)))
        else:
            order = list(tiers["tier"])  # highest tier first
            chart(
                charts.tier_sankey(
                    moves,
                    order,
                    before_label=lambda tier: (
                        t("members.sankey_before", lang, tier=tier, date=before)
                        if tier
                        else t("members.sankey_new", lang)
                    ),
                    after_label=lambda tier: t("members.sankey_after", lang, tier=tier, date=D.isoformat()),
                    movement_label=lambda m: t(f"members.move.{m}", lang),
                    lang=lang,
                ),
                key="tier-sankey",
            )
            explain(
                t(
                    "members.migration_explain",
                    lang,
                    up=fmt.count(summary["up"], lang),
                    down=fmt.count(summary["down"], lang),
                    new=fmt.count(summary["new"], lang),
                    same=fmt.count(summary["same"], lang),
                    before=before,
                )
                + (" " + t("members.migration_given", lang) if now.has_tiers and basis == "tier" else "")
            )


LIST_ROWS = 200  # the lists show their first rows; the download holds them all (made on click)


def lists_view() -> None:
    """Customer lists to act on: close to the next tier, birthdays soon (each downloadable whole)."""
    st.header(t("members.view.lists", lang), divider="gray")
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("members.near_tier", lang))
        near = store.run("members_near_tier", as_of=D, within=mb.NEAR_TIER_WITHIN)
        if near.empty:
            empty_state(t("members.near_tier_none", lang))
        else:
            top = near.head(LIST_ROWS)
            shown = pd.DataFrame(
                {
                    t("members.col.customer", lang): top["customer_id"],
                    t("members.col.tier", lang): top["tier"],
                    t("members.col.next_tier", lang): top["next_tier"],
                    t("members.col.revenue_365", lang): [fmt.money(v, lang, precise=True) for v in top["revenue_365"]],
                    t("members.col.to_next", lang): [fmt.money(v, lang, precise=True) for v in top["revenue_to_next"]],
                }
            )
            st.dataframe(shown, hide_index=True, key="near-tier", height=280)
            download(lambda: near, f"members_near_next_tier_{D}", lang, key="download-near-tier")
        explain(t("members.near_tier_explain", lang, n=fmt.count(len(near), lang, precise=True)))
    with right:
        st.subheader(t("members.birthdays", lang))
        if not now.has_members:
            empty_state(t("members.birthdays_no_members", lang))
        elif not now.has_birthdays:
            empty_state(t("members.birthdays_no_column", lang))
        else:
            birthdays = store.run("members_birthdays", as_of=D, days=mb.BIRTHDAY_DAYS)
            if birthdays.empty:
                empty_state(t("members.birthdays_none", lang, days=mb.BIRTHDAY_DAYS))
            else:
                top = birthdays.head(LIST_ROWS)
                shown = pd.DataFrame(
                    {
                        t("members.col.customer", lang): top["customer_id"],
                        t("members.col.birthday", lang): [
                            d.isoformat() for d in pd.to_datetime(top["next_birthday"]).dt.date
                        ],
                        t("members.col.age", lang): top["age"],
                        t("members.col.tier", lang): top["tier"],
                        t("members.col.stage", lang): [t(f"members.stage.{s}", lang) for s in top["lifecycle"]],
                    }
                )
                st.dataframe(shown, hide_index=True, key="birthdays", height=280)
                download(lambda: birthdays, f"members_birthdays_{D}", lang, key="download-birthdays")
            explain(
                t(
                    "members.birthdays_explain",
                    lang,
                    n=fmt.count(len(birthdays), lang, precise=True),
                    start=(D + dt.timedelta(days=1)).isoformat(),
                    end=(D + dt.timedelta(days=mb.BIRTHDAY_DAYS)).isoformat(),
                )
            )


def segments_view() -> None:
    """RFM segments on D (downloadable) and the lifecycle stages against the comparison day."""
    # ---- RFM
    st.header(t("members.rfm", lang), divider="gray")
    with st.spinner(t("members.computing", lang)):
        rfm = store.run("members_rfm", as_of=D)
    if rfm["customers"].sum() == 0:
        empty_state(t("members.rfm_none", lang))
    else:
        overall = rfm.iloc[0]
        chart(
            charts.share_bars(
                rfm,
                "rfm_code",
                [
                    ("customer_share", t("members.customer_share", lang)),
                    ("revenue_share", t("members.col.revenue_share", lang)),
                ],
                label_fn=lambda c: (
                    f"{mb.segment_name(c, 'zh')} · {mb.segment_name(c, 'en')}"
                    if lang == "en"
                    else mb.segment_name(c, "zh")
                ),
                lang=lang,
            ),
            key="rfm-bars",
        )
        best = rfm.iloc[0]
        explain(
            t(
                "members.rfm_explain",
                lang,
                r=fmt.days(overall["overall_mean_recency_days"], lang),
                f=fmt.ratio(overall["overall_mean_frequency"], lang),
                m=fmt.money(overall["overall_mean_monetary"], lang),
                share=fmt.rate(best["revenue_share"], lang),
                customers=fmt.rate(best["customer_share"], lang),
            )
        )
        table = pd.DataFrame(
            {
                t("members.col.segment", lang): [mb.segment_name(c, lang) for c in rfm["rfm_code"]],
                t("members.col.code", lang): rfm["rfm_code"],
                t("members.col.customers", lang): [fmt.count(v, lang, precise=True) for v in rfm["customers"]],
                t("members.col.revenue_365", lang): [fmt.money(v, lang) for v in rfm["net_revenue"]],
                t("members.col.mean_r", lang): [fmt.days(v, lang) for v in rfm["mean_recency_days"]],
                t("members.col.mean_f", lang): [fmt.ratio(v, lang) for v in rfm["mean_frequency"]],
                t("members.col.mean_m", lang): [fmt.money(v, lang) for v in rfm["mean_monetary"]],
                t("members.col.action", lang): [t(f"members.action.{c}", lang) for c in rfm["rfm_code"]],
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            key="rfm-table",
            column_config={t("members.col.action", lang): st.column_config.TextColumn(width="large")},
        )
        download(lambda: mb.export_segments(store, D), f"segments_{D}", lang, key="download-segments")
        explain(t("members.segments_download", lang, date=D.isoformat()))

    # ---- lifecycle
    st.header(t("members.lifecycle", lang), divider="gray")
    stages = mb.lifecycle_change(store, D, D_then)
    chart(
        charts.compare_bars(
            stages,
            "lifecycle",
            "customers",
            "compare_customers",
            "count",
            label_fn=lambda s: t(f"members.stage.{s}", lang),
            current_label=D.isoformat(),
            compare_label=D_then.isoformat(),
            lang=lang,
        ),
        key="lifecycle",
    )
    moved = stages.loc[stages["change"].abs().idxmax()]
    explain(
        t(
            "members.lifecycle_explain",
            lang,
            stage=t(f"members.stage.{moved['lifecycle']}", lang),
            change=fmt.count(moved["change"], lang, precise=True)
            if moved["change"] < 0
            else "+" + fmt.count(moved["change"], lang, precise=True),
            cdate=D_then.isoformat(),
        )
    )


def cohorts_view() -> None:
    """Cohort retention, 90-day repurchase, lifetime value by cohort and by tier, new vs returning revenue."""
    # ---- cohorts
    st.header(t("members.cohorts", lang), divider="gray")
    with st.spinner(t("members.computing", lang)):
        cohorts = store.run("members_cohorts", as_of=D, months=mb.COHORT_MONTHS)
        repurchase = store.run("members_cohort_repurchase", as_of=D, months=mb.COHORT_MONTHS)
        tier_ltv = store.run("members_ltv_by_tier", as_of=D, months=mb.TIER_LTV_MONTHS)
    if cohorts.empty:
        empty_state(t("members.no_cohorts", lang))
    else:
        st.subheader(t("members.retention", lang))
        chart(
            charts.cohort_heatmap(cohorts, month_label=lambda k: t("members.month_k", lang, k=k), lang=lang),
            key="cohort-heatmap",
        )
        explain(t("members.retention_explain", lang))

        left, right = st.columns(2, gap="large")
        with left:
            st.subheader(t("members.repurchase_by_cohort", lang))
            chart(
                charts.month_columns(
                    repurchase,
                    "cohort_month",
                    "repurchase_90d",
                    "rate",
                    y_label=BY_KEY["repurchase_90d"].label(lang),
                    complete="is_complete",
                    open_label=t("members.cohort_open", lang),
                    lang=lang,
                ),
                key="cohort-repurchase",
            )
            explain(t("members.repurchase_explain", lang))
        with right:
            st.subheader(t("members.ltv_by_cohort", lang))
            cohort_keys = list(dict.fromkeys(cohorts["cohort_month"]))
            chart(
                charts.curves(
                    cohorts,
                    "month_index",
                    "cohort_month",
                    "ltv",
                    "money",
                    x_label=t("members.months_since_first", lang),
                    series_label=lambda c: charts.month_text(c, lang),
                    colors=charts.sequential_colors(len(cohort_keys)),
                    lang=lang,
                ),
                key="ltv-cohort",
            )
            explain(t("members.ltv_explain", lang))
        st.subheader(t("members.ltv_by_tier", lang))
        chart(
            charts.curves(
                tier_ltv[tier_ltv["month_index"] <= mb.TIER_LTV_MAX_MONTH],
                "month_index",
                "tier",
                "ltv",
                "money",
                x_label=t("members.months_since_first", lang),
                series_label=tier_name,
                log_y=True,
                lang=lang,
            ),
            key="ltv-tier",
        )
        explain(t("members.ltv_tier_explain", lang, months=mb.TIER_LTV_MONTHS, k=mb.TIER_LTV_MAX_MONTH))

    # ---- new vs returning
    st.header(t("members.new_returning", lang), divider="gray")
    split = store.run("members_new_returning", as_of=D, months=mb.COHORT_MONTHS)
    chart(
        charts.stacked_month_bars(
            split,
            "month",
            [("returning_revenue", t("members.returning", lang)), ("new_revenue", t("members.new", lang))],
            "money",
            lang=lang,
        ),
        key="new-returning",
    )
    last = split.iloc[-1] if not split.empty else None
    explain(
        t(
            "members.new_returning_explain",
            lang,
            month=charts.month_text(last["month"], lang) if last is not None else "—",
            share=fmt.rate(last["returning_revenue_share"] if last is not None else None, lang),
        )
    )


# ---- the view: one part of the page at a time, so each shows quickly at 10M order lines (docs/performance.md).
# A shared link names it (?members_view=cohorts); the link seeds the control on the page's first run in a
# session, after that the control (kept across page switches) writes it.
VIEWS = {"tiers": tiers_view, "lists": lists_view, "segments": segments_view, "cohorts": cohorts_view}
assert tuple(VIEWS) == mb.VIEWS
if "members-seeded" not in st.session_state:
    st.session_state["members-seeded"] = True
    if st.query_params.get("members_view") in VIEWS:
        st.session_state["members-view"] = st.query_params["members_view"]
st.session_state.setdefault("members-view", mb.VIEWS[0])
view = st.segmented_control(
    t("members.view", lang),
    list(VIEWS),
    required=True,
    format_func=lambda v: t(f"members.view.{v}", lang),
    key="members-view",
    persist_state="session",
    label_visibility="collapsed",
)
if st.query_params.get("members_view") != view:
    st.query_params["members_view"] = view
VIEWS[view]()
