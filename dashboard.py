"""storeops: the frame around every page (navigation and the shared sidebar).

Run with ``make run`` or ``streamlit run dashboard.py``; the data folder is
``$STOREOPS_DATA`` or ``data/``.
"""

import streamlit as st

from storeops import charts, fmt
from storeops.i18n import t
from storeops.ui import current_lang, get_store, run_framed, settings, sidebar

st.set_page_config(page_title="storeops", page_icon=":material/storefront:", layout="wide")
charts.apply_theme()

fmt.set_currency(settings().currency)
store = get_store()
sidebar(store)
lang = current_lang()

navigation = st.navigation(
    {
        t("section.business", lang): [
            st.Page("pages/overview.py", title=t("page.overview", lang), icon=":material/dashboard:", default=True),
            st.Page("pages/weekly_review.py", title=t("page.weekly_review", lang), icon=":material/event_note:"),
        ],
        t("section.marketing", lang): [
            st.Page("pages/traffic.py", title=t("page.traffic", lang), icon=":material/travel_explore:"),
            st.Page("pages/funnel.py", title=t("page.funnel", lang), icon=":material/filter_alt:"),
            st.Page("pages/channel_roi.py", title=t("page.channel_roi", lang), icon=":material/paid:"),
        ],
        t("section.operations", lang): [
            st.Page("pages/inventory.py", title=t("page.inventory", lang), icon=":material/inventory_2:"),
        ],
        t("section.customers", lang): [
            st.Page("pages/members.py", title=t("page.members", lang), icon=":material/loyalty:"),
        ],
        t("section.data", lang): [
            st.Page("pages/data_health.py", title=t("page.data_health", lang), icon=":material/fact_check:"),
        ],
    }
)
run_framed(navigation)
