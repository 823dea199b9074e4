"""Weekly review (周复盘): what happened in one ISO week or month, why, and what to do; the report to send."""

import pandas as pd
import streamlit as st

from storeops import fmt, review
from storeops.i18n import t
from storeops.periods import COMPARISONS
from storeops.report import render_html, render_pdf
from storeops.ui import chart, empty_state, ensure_frame, explain, get_store, kpi_cards, state

ensure_frame("pages/weekly_review.py")
store = get_store()
fs = state()
lang = fs.lang if fs else "en"
st.title(t("page.weekly_review", lang))
span = store.data_range()
if fs is None or span is None:
    empty_state(t("review.no_data", lang))
    st.stop()
first, latest = span

# ---- which week or month, compared with what
# A shared link names the week or month explicitly (?week=2024-W26 or
# ?month=2024-06, &review_compare=yoy), so it shows the same review after new
# data arrives. The URL seeds the widgets on the page's first run in a session;
# after that the widgets (kept across page switches) write it.
week_choices = review.week_options(first, latest) or [review.default_week(latest)]
month_choices = review.month_options(first, latest)
if "review-seeded" not in st.session_state:
    st.session_state["review-seeded"] = True
    link_week, link_month = st.query_params.get("week"), st.query_params.get("month")
    if link_week in week_choices:
        st.session_state["review-mode"], st.session_state["review-week"] = "week", link_week
    elif link_month in month_choices:
        st.session_state["review-mode"], st.session_state["review-month"] = "month", link_month
    if st.query_params.get("review_compare") in COMPARISONS:
        st.session_state["review-compare"] = st.query_params["review_compare"]
st.session_state.setdefault("review-mode", "week")

with st.container(horizontal=True, vertical_alignment="bottom"):
    mode = (
        st.segmented_control(
            t("review.mode", lang),
            ["week", "month"],
            format_func=lambda m: t(f"review.mode.{m}", lang),
            key="review-mode",
            persist_state="session",
        )
        or "week"
    )
    if mode == "week":
        chosen = st.selectbox(
            t("review.week", lang), week_choices, key="review-week", width=200, persist_state="session"
        )
    else:
        chosen = st.selectbox(
            t("review.month", lang), month_choices, key="review-month", width=200, persist_state="session"
        )
    compare = st.selectbox(
        t("review.compare", lang),
        COMPARISONS,
        format_func=lambda c: t(f"review.compare.{c}.{mode}", lang),
        key="review-compare",
        width=260,
        persist_state="session",
    )
link = {"week": chosen} if mode == "week" else {"month": chosen}
link["review_compare"] = compare
for name in ("week", "month", "review_compare"):
    if st.query_params.get(name) != link.get(name):
        if name in link:
            st.query_params[name] = link[name]
        else:
            del st.query_params[name]

with st.spinner(t("review.building", lang)):
    if mode == "week":
        r = review.build(store, week=chosen, compare=compare)
    else:
        r = review.build(store, month=chosen, compare=compare)
u = review.unit(r, lang)
cmp_label = review.compare_phrase(r, lang)
st.caption(t("review.period_line", lang, label=r.label, start=r.period.start, end=r.period.end, data_end=r.data_end))
if r.kind == "month" and r.period.end < review.parse_month(r.label).end:
    explain(t("review.partial", lang, end=r.period.end))

# ---- summary and actions
left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(t("review.summary", lang))
    st.markdown("\n".join(f"- {line}" for line in review.summary_lines(r, lang)))
with right:
    st.subheader(t("review.actions", lang))
    st.markdown("\n".join(f"{i}. {line}" for i, line in enumerate(review.action_lines(r, lang), 1)))

# ---- export
with st.container(horizontal=True, vertical_alignment="center"):
    stem = f"storeops-review-{r.label}-{lang}"
    # The HTML is ~5 MB (plotly.js inlined): made when the button is clicked, not on every rerun.
    st.download_button(
        t("review.download_html", lang),
        lambda: render_html(r, lang).encode("utf-8"),
        file_name=f"{stem}.html",
        mime="text/html",
        icon=":material/download:",
        key="review-html",
    )
    pdf_key = ("review-pdf", r.label, r.compare, lang, store.version())
    if st.session_state.get("review-pdf-key") == pdf_key:
        st.download_button(
            t("review.download_pdf", lang),
            st.session_state["review-pdf-doc"],
            file_name=f"{stem}.pdf",
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
            key="review-pdf-download",
        )
    elif st.button(t("review.make_pdf", lang), icon=":material/picture_as_pdf:", key="review-make-pdf"):
        # Printing takes a few seconds (Chromium starts, the charts draw): a spinner, then the download button.
        with st.spinner(t("review.making_pdf", lang), show_time=True):
            try:
                st.session_state["review-pdf-doc"] = render_pdf(render_html(r, lang))
                st.session_state["review-pdf-key"] = pdf_key
            except Exception as exc:  # no Chromium here: the HTML still prints from any browser
                st.warning(t("review.pdf_failed", lang, error=type(exc).__name__))
            else:
                st.rerun()
command = f"python -m storeops report --{r.kind} {r.label} --compare {r.compare} --lang {lang} -o report.pdf"
explain(t("review.export_explain", lang, command=command))

# ---- headline numbers
st.subheader(t("review.headline", lang))
reasons = {
    key: t("needs", lang, table=review.file_of(table))
    for key, table in (
        ("sessions", "traffic"),
        ("conversion_rate", "traffic"),
        ("ad_spend", "ad_spend"),
        ("mer", "ad_spend"),
    )
    if table in r.missing
}
if "orders" in r.missing:
    orders_only = ("net_revenue", "orders", "aov", "conversion_rate", "mer", "new_customers")
    reasons.update({key: t("needs", lang, table="orders.csv") for key in orders_only})
kpi_cards(list(review.CARDS), r.now, r.then[r.compare], lang, reasons)
c = r.comparison
explain(t("review.cards_explain", lang, cmp=cmp_label, cstart=c.start, cend=c.end))
st.dataframe(pd.DataFrame(review.headline_rows(r, lang)), hide_index=True, key="review-headline")

# ---- targets
st.subheader(t("review.targets", lang))
if "targets" in r.missing:
    empty_state(t("review.no_targets_file", lang, month=r.target_month))
elif not r.targets:
    empty_state(t("overview.no_targets", lang, month=r.target_month))
else:
    cols = st.columns(len(r.targets))
    for col, target in zip(cols, r.targets, strict=True):
        metric = review.BY_KEY.get(target["metric"])
        with col:
            st.markdown(f"**{metric.label(lang) if metric else target['metric']}**")
            st.caption(review.target_caption(target, lang))
            chart(review.fig_target(target, lang), key=f"review-target-{target['metric']}")
    explain(
        t(
            "review.targets_explain",
            lang,
            end=r.period.end,
            elapsed=fmt.rate(r.targets[0]["expected_share"], lang),
            month=r.target_month,
        )
    )

# ---- day by day
st.subheader(t("review.daily", lang))
if "orders" in r.missing:
    empty_state(t("review.needs_orders", lang))
else:
    chart(review.fig_daily(r, lang), key="review-daily")
    explain(t("review.daily_explain", lang, cmp=cmp_label))

# ---- drivers
st.subheader(t("review.drivers", lang))
left, right = st.columns(2, gap="large")
if "orders" in r.missing:
    with left:
        empty_state(t("review.needs_orders", lang))
else:
    with left:
        dimension = (
            st.segmented_control(
                t("review.by", lang),
                list(review.DIMENSIONS),
                default="channel",
                format_func=lambda d: t(f"review.dim.{d}", lang),
                key="review-dimension",
            )
            or "channel"
        )
        chart(review.fig_waterfall(r, dimension, lang), key="review-waterfall")
        explain(review.waterfall_text(r, dimension, lang))
with right:
    factors = " × ".join(t(f"review.factor.{k}", lang) for k in ("traffic", "conversion", "aov"))
    st.markdown(f"**{factors}**")
    if r.drivers is None:
        empty_state(t("review.factors_missing", lang))
    else:
        chart(review.fig_factors(r, lang), key="review-factors")
        explain(t("review.factors_explain", lang))

# ---- anomalies
st.subheader(t("review.anomalies", lang))
explain(t("review.anomaly_rule", lang))
rows = review.anomaly_rows(r, lang)
if rows:
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="review-anomalies")
else:
    empty_state(t("review.no_anomalies", lang))

# ---- top movers
st.subheader(t("review.movers", lang))
explain(t("review.movers_explain", lang, cmp=cmp_label, unit=u))
cols = st.columns(2, gap="large")
for i, dimension in enumerate(review.MOVER_DIMENSIONS):
    with cols[i % 2]:
        st.markdown(f"**{t(f'review.dim.{dimension}', lang)}**")
        rows = review.mover_rows(r, dimension, lang)
        if rows:
            st.dataframe(pd.DataFrame(rows), hide_index=True, key=f"review-movers-{dimension}")
        else:
            empty_state(t("review.no_movers", lang))

# ---- inventory
st.subheader(t("review.inventory", lang))
if not r.inventory:
    empty_state(t("review.needs_file", lang, file="inventory.csv", what=t("review.inventory_what", lang)))
else:
    explain(t("review.inventory_explain", lang, date=r.inventory.get("snapshot_date") or "—", unit=u))
    cols = st.columns(3, gap="medium")
    for col, (part, key) in zip(
        cols,
        (("new_stockouts", "review.new_stockouts"), ("reorder", "review.to_reorder"), ("trending", "review.trending")),
        strict=True,
    ):
        with col:
            st.markdown(f"**{t(key, lang, unit=u)} ({fmt.count(len(r.inventory[part]), lang)})**")
            rows = review.inventory_rows(r, part, lang)
            if rows:
                st.dataframe(pd.DataFrame(rows), hide_index=True, key=f"review-inv-{part}")
            else:
                st.caption(t("review.none", lang))

# ---- members
st.subheader(t("review.members", lang))
if not r.members:
    empty_state(t("review.needs_file", lang, file="members.csv", what=t("review.members_what", lang)))
else:
    explain(review.member_note(r, lang))
    st.dataframe(pd.DataFrame(review.member_rows(r, lang)), hide_index=True, key="review-members")
