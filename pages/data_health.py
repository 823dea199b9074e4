"""Data health: every file seen, what was rejected and why, unmapped channels, freshness."""

import pandas as pd
import streamlit as st

from storeops.i18n import t
from storeops.ui import download, empty_state, ensure_frame, explain, get_store, settings, state

ensure_frame("pages/data_health.py")
store = get_store()
fs = state()
lang = fs.lang if fs else "en"
st.title(t("page.data_health", lang))
files = store.run("health_files")
# Tables the shop's pipeline maintains on the engine (refresh): one row per source table, no files.
engine_tables = not files.empty and bool((files["profile"] == "engine table").all())
if engine_tables:
    built = min(files["modified_at"]).strftime("%Y-%m-%d %H:%M")
    st.caption(t("health.engine_tables", lang, engine=getattr(store.engine, "name", ""), built=built))
else:
    st.caption(t("health.folder", lang, folder=str(store.data_dir)))
if files.empty:
    empty_state(t("health.no_files", lang))
    st.stop()

loaded = files[files["status"] == "loaded"]
rejected_files = files[files["status"] == "rejected"]
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("health.files", lang), len(files), border=True)
c2.metric(t("health.rows_loaded", lang), f"{int(loaded['rows_loaded'].sum()):,}", border=True)
c3.metric(t("health.rows_rejected", lang), f"{int(files['rows_rejected'].sum()):,}", border=True)
c4.metric(t("health.files_rejected", lang), len(rejected_files), border=True)

for row in rejected_files.itertuples():
    st.error(t("health.file_rejected", lang, file=row.file, message=row.message), icon=":material/block:")
for problem in store.run("health_problems")["message"]:
    st.warning(problem, icon=":material/warning:")

# ---- freshness
st.subheader(t("health.freshness", lang))
fresh = store.run("health_freshness")
lag = settings().freshness_lag_days
for row in fresh.itertuples():
    if row.table_name != "members" and row.days_behind > lag:
        st.warning(
            t(
                "health.lagging",
                lang,
                table=row.table_name,
                days=int(row.days_behind),
                last=row.last_date.date().isoformat(),
            ),
            icon=":material/schedule:",
        )
st.dataframe(
    fresh,
    hide_index=True,
    column_config={
        "table_name": t("health.col.table", lang),
        "first_date": st.column_config.DateColumn(t("health.col.first_date", lang)),
        "last_date": st.column_config.DateColumn(t("health.col.last_date", lang)),
        "row_count": st.column_config.NumberColumn(t("health.col.rows", lang), format="localized"),
        "gap_days": st.column_config.NumberColumn(t("health.col.gap_days", lang)),
        "days_behind": st.column_config.NumberColumn(t("health.col.days_behind", lang)),
    },
)
explain(t("health.freshness_explain", lang, days=lag))

# ---- files
st.subheader(t("health.sources_seen" if engine_tables else "health.files_seen", lang))
st.dataframe(
    files.drop(columns=["size_bytes"]),
    hide_index=True,
    column_config={
        "file": t("health.col.file", lang),
        "table_name": t("health.col.table", lang),
        "profile": t("health.col.profile", lang),
        "status": t("health.col.status", lang),
        "message": t("health.col.message", lang),
        "encoding": t("health.col.encoding", lang),
        "rows_loaded": st.column_config.NumberColumn(t("health.col.rows_loaded", lang), format="localized"),
        "rows_rejected": st.column_config.NumberColumn(t("health.col.rows_rejected", lang), format="localized"),
        "duplicate_rows": st.column_config.NumberColumn(t("health.col.duplicates", lang)),
        "rows_replaced": st.column_config.NumberColumn(t("health.col.replaced", lang), format="localized"),
        "min_date": st.column_config.DateColumn(t("health.col.first_date", lang)),
        "max_date": st.column_config.DateColumn(t("health.col.last_date", lang)),
        "modified_at": st.column_config.DatetimeColumn(t("health.col.modified", lang), format="YYYY-MM-DD HH:mm"),
        "columns_ignored": t("health.col.ignored", lang),
        "notes": t("health.col.notes", lang),
    },
)
explain(t("health.files_explain", lang))

# ---- rejected rows
st.subheader(t("health.rejects", lang))
rejects = store.run("health_rejects")
if rejects.empty:
    st.success(t("health.no_rejects", lang), icon=":material/check_circle:")
else:
    summary = rejects.groupby(["file", "column_name", "reason"], as_index=False).agg(
        rows=("line", "nunique"), first_line=("line", "min")
    )
    st.dataframe(summary, hide_index=True)
    st.dataframe(rejects.head(1000), hide_index=True)
    explain(t("health.rejects_explain", lang, n=len(rejects)))
    download(rejects, "rejected_rows", lang)

# ---- unmapped channels
st.subheader(t("health.unmapped", lang))
unmapped = store.run("health_unmapped")
if unmapped.empty:
    st.success(t("health.all_mapped", lang), icon=":material/check_circle:")
else:
    st.dataframe(unmapped, hide_index=True)
    suggestion = pd.DataFrame({"raw_value": unmapped["raw_value"].unique(), "channel": "other"})
    explain(t("health.unmapped_explain", lang))
    st.code(suggestion.to_csv(index=False), language="csv")
