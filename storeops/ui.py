"""Streamlit glue shared by the entry file and every page.

- ``get_store``: one ``Store`` per process (``st.cache_resource``); every
  rerun checks ``data/`` for new or changed files and ingests them, so a
  dropped file shows up without a restart.
- ``sidebar``: the filter widgets and their URL round trip. A session's
  first run seeds the widgets from the URL; every run writes the whole
  state back, with explicit start and end dates, so a shared link shows the
  same view even after new data moves the default period; parameters a
  page owns (``PAGE_PARAMS``) are kept. (Streamlit's
  ``bind="query-params"`` leaves values equal to the default out of the URL
  and does not seed widgets whose state the app sets first, so the URL is
  kept by hand.)
- ``kpi_cards``, ``explain``, ``empty_state``, ``download``: the few ways a
  page shows things, so every page looks the same.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from storeops import fmt
from storeops.channels import CHANNEL_GROUPS
from storeops.db import Store
from storeops.engines import open_store
from storeops.filters import Filters, FilterState, from_query_params
from storeops.i18n import LANGS, label_channel, label_platform, t
from storeops.metrics import BY_KEY, absent_traffic_columns, change, missing_tables
from storeops.periods import COMPARISONS, PRESETS, Period, matching_preset, preset_period
from storeops.settings import Settings, load_settings

STATE_KEY = "storeops_filter_state"
RETURN_KEY = "storeops_return_to"
SEEDED_KEY = "storeops_seeded"
# URL parameters a page owns (the weekly review's week or month and its
# comparison, the members page's view): the sidebar writes its own state
# around them and keeps them.
PAGE_PARAMS = ("week", "month", "review_compare", "members_view")
MARK_COLOR = "#FDEBDD"  # a light vermillion: rows that need attention (metric_table's ``marked``)
CARD_WIDTH = 170  # px: fits "¥12.3M" and "−12.3个百分点"; three cards a row at 1024 px


def data_dir() -> Path:
    return Path(os.environ.get("STOREOPS_DATA", "data"))


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    # DuckDB unless $STOREOPS_ENGINE or settings.toml names another engine (docs/scaling.md).
    return open_store(path)


def get_store() -> Store:
    """The process-wide store, brought up to date with data/ on every rerun."""
    store = _store(str(data_dir().resolve()))
    if store.needs_ingest():
        first = not store.paths.db.exists()
        with st.spinner(t("loading_files", current_lang()), show_time=True):
            # Another session (or the CLI) may be ingesting: then keep using
            # the current version and pick up the new one on a later rerun.
            store.refresh(wait=first)
    return store


def settings() -> Settings:
    return load_settings(data_dir())[0]


def current_lang() -> str:
    lang = st.session_state.get("lang") or st.query_params.get("lang")
    return lang if lang in LANGS else settings().language


def _apply_preset(latest: dt.date) -> None:
    preset = st.session_state["preset"]
    if preset != "custom":
        p = preset_period(preset, latest)
        st.session_state["dates"] = (p.start, p.end)


def _dates_changed(latest: dt.date) -> None:
    dates = st.session_state.get("dates") or ()
    if len(dates) == 2:
        st.session_state["preset"] = matching_preset(Period(*dates), latest)


def _seed_from_url(span: tuple[dt.date, dt.date] | None, options: pd.DataFrame) -> None:
    """On a session's first run, put the URL's filters into the widgets' state.

    Values are validated against what the data holds; invalid ones fall back
    to the defaults.
    """
    qp = {k: st.query_params.get_all(k) for k in st.query_params}
    first, latest = span or (None, dt.date.today())
    seed = from_query_params(qp, preset_period("last_28", latest), first, settings().language)
    st.session_state["lang"] = seed.lang
    st.session_state["compare"] = seed.compare
    for key, values in (
        ("channel", seed.filters.channels),
        ("platform", seed.filters.platforms),
        ("category", seed.filters.categories),
    ):
        valid = set(options.loc[options["dimension"] == key, "value"])
        st.session_state[key] = [v for v in values if v in valid]
    st.session_state["dates"] = (seed.period.start, seed.period.end)
    st.session_state["preset"] = matching_preset(seed.period, latest)
    st.session_state[SEEDED_KEY] = True


def sidebar(store: Store) -> FilterState | None:
    """Render the shared filters; return the state (None when there is no data yet)."""
    span = store.data_range()
    options = store.run("filter_options")
    if SEEDED_KEY not in st.session_state:
        _seed_from_url(span, options)
    with st.sidebar:
        lang = st.selectbox("Language · 语言", list(LANGS), format_func=LANGS.get, key="lang")
        if span is None:
            return None
        first, latest = span
        st.selectbox(
            t("period", lang),
            PRESETS,
            format_func=lambda p: t(f"preset.{p}", lang),
            key="preset",
            on_change=_apply_preset,
            args=(latest,),
        )
        dates = st.date_input(
            t("dates", lang),
            key="dates",
            min_value=min(first, st.session_state["dates"][0]),
            max_value=max(latest, st.session_state["dates"][-1]),
            on_change=_dates_changed,
            args=(latest,),
            format="YYYY-MM-DD",
        )
        if len(dates) != 2:  # the user picked a start and not yet an end: keep the last full range
            previous = st.session_state.get(STATE_KEY)
            last = previous.period if previous else preset_period("last_28", latest)
            dates = (last.start, last.end)
        period = Period(*dates)
        compare = st.selectbox(
            t("compare", lang),
            COMPARISONS,
            format_func=lambda c: t(f"compare.{c}", lang),
            key="compare",
        )
        comparison = period.comparison(compare)
        st.caption(t("comparison_dates", lang, start=comparison.start.isoformat(), end=comparison.end.isoformat()))
        channels = st.multiselect(
            t("channel", lang),
            [c for c in CHANNEL_GROUPS if c in set(options.loc[options["dimension"] == "channel", "value"])],
            format_func=lambda c: label_channel(c, lang),
            key="channel",
            placeholder=t("all", lang),
        )
        platforms = st.multiselect(
            t("platform", lang),
            options.loc[options["dimension"] == "platform", "value"].tolist(),
            format_func=lambda p: label_platform(p, lang),
            key="platform",
            placeholder=t("all", lang),
        )
        categories = st.multiselect(
            t("category", lang),
            options.loc[options["dimension"] == "category", "value"].tolist(),
            key="category",
            placeholder=t("all", lang),
        )
        st.caption(t("data_through", lang, date=latest.isoformat()))
    state = FilterState(period, compare, Filters(tuple(channels), tuple(platforms), tuple(categories)), lang)
    st.session_state[STATE_KEY] = state
    # The whole state, explicit dates included, is written to the URL on
    # every run, so a copied link reproduces the view even after new data
    # moves the default period.
    wanted: dict[str, str | list[str]] = dict(state.to_query_params())
    wanted.update({k: st.query_params.get_all(k) for k in PAGE_PARAMS if k in st.query_params})
    if {k: st.query_params.get_all(k) for k in st.query_params} != {
        k: v if isinstance(v, list) else [v] for k, v in wanted.items()
    }:
        st.query_params.from_dict(wanted)
    return state


def run_framed(navigation) -> None:
    """Run the chosen page, or first go back to a page that asked for the frame (``ensure_frame``)."""
    back = st.session_state.pop(RETURN_KEY, None)
    if back is not None:
        # with the URL the frame wrote: the filters, and the parameters the page owns (PAGE_PARAMS)
        st.switch_page(back, query_params={key: st.query_params.get_all(key) for key in st.query_params})
    navigation.run()


def ensure_frame(page: str) -> None:
    """Make sure ``page`` runs inside dashboard.py (navigation, sidebar, filters).

    On a freshly started server, a link straight to a page (``/traffic?…``)
    is served by Streamlit's ``pages/`` folder discovery before dashboard.py
    has ever called ``st.navigation``: the page would run alone, without
    sidebar or filters. Such a session has never been through the frame: go
    through the entry file, keeping the link's query parameters, and come
    back to ``page``. (AppTest's ``switch_page`` also runs pages alone, after
    a first framed run, which this lets through.)
    """
    if SEEDED_KEY in st.session_state:  # the frame has run in this session
        return
    st.session_state[RETURN_KEY] = page
    # Every value of a repeated parameter (?channel=a&channel=b): to_dict() would keep the last one only.
    link = {key: st.query_params.get_all(key) for key in st.query_params}
    st.switch_page(str(Path(__file__).resolve().parent.parent / "dashboard.py"), query_params=link)


def state() -> FilterState | None:
    return st.session_state.get(STATE_KEY)


# ---------------------------------------------------------------- page parts


def page_start(
    path: str, page: str, needs: str, empty_key: str, category_note_key: str
) -> tuple[Store, FilterState, str, Period, Period]:
    """The opening every analysis page shares: frame, title, empty state, period line.

    Stops the page with ``empty_key``'s message when there is no data yet or
    the table it ``needs`` is empty; notes when the category filter does not
    apply. Returns (store, filter state, lang, period, comparison period).
    """
    ensure_frame(path)
    store = get_store()
    fs = state()
    lang = fs.lang if fs else "en"
    st.title(t(f"page.{page}", lang))
    if needs in missing_tables(store):
        empty_state(t(empty_key, lang))
        st.stop()
    if fs is None:  # the period selector is built from order dates
        empty_state(t("orders_needed", lang))
        st.stop()
    for row in store.run("stand_ins", table=needs).itertuples():
        st.info(t("stand_in", lang, file=row.file, note=row.note), icon=":material/info:")
    period, comparison = fs.period, fs.period.comparison(fs.compare)
    st.caption(
        t("period_line", lang, start=period.start, end=period.end, days=period.days,
          cstart=comparison.start, cend=comparison.end)
    )  # fmt: skip
    if fs.filters.categories:
        explain(t(category_note_key, lang))
    return store, fs, lang, period, comparison


def explain(text: str) -> None:
    """The one line under a chart: what it shows and what to do about it."""
    st.caption(text)


def chart(fig, key: str) -> None:
    """A Plotly figure with the storeops theme as built (Streamlit's theme would override it)."""
    st.plotly_chart(
        fig, key=key, theme=None, config={"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
    )


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")


def metric_table(
    df: pd.DataFrame,
    key_column: str,
    key_label: str,
    label_fn,
    metrics: list[str],
    lang: str,
    key: str,
    marked: list[bool] | None = None,
) -> None:
    """One row per ``key_column`` value, a column per registry metric, each number through ``fmt``.

    A metric column followed by ``<metric>_delta`` or ``<metric>_pp`` (see
    ``metrics.with_deltas``) gets its change beside it. Values are text so
    that they read exactly like the cards; the rows keep the frame's order.
    ``marked`` rows (one flag per row) get a warning tint; the page says why.
    """
    out = pd.DataFrame({key_label: [label_fn(v) for v in df[key_column]]})
    config: dict[str, object] = {key_label: st.column_config.TextColumn(key_label, pinned=True)}
    for name in metrics:
        m = BY_KEY[name]
        label = m.label(lang)
        out[label] = [fmt.value(m.kind, v, lang, precise=m.kind == "count") for v in df[name]]
        config[label] = st.column_config.TextColumn(label, alignment="right", help=t(f"help.{name}", lang))
        for suffix, formatter in (("_delta", fmt.delta), ("_pp", fmt.pp)):
            if name + suffix in df.columns:
                change_label = t("change_col", lang, name=label)
                out[change_label] = [formatter(v, lang) for v in df[name + suffix]]
                config[change_label] = st.column_config.TextColumn(change_label, alignment="right")
    if marked is not None and any(marked):
        flags = list(marked)
        tint = f"background-color: {MARK_COLOR}"
        styled = out.style.apply(lambda row: [tint if flags[row.name] else ""] * len(row), axis=1)
        st.dataframe(styled, hide_index=True, column_config=config, key=key)
    else:
        st.dataframe(out, hide_index=True, column_config=config, key=key)


# Traffic-page cards divided by the orders table (the others need traffic alone).
ORDER_BASED_TRAFFIC_CARDS = frozenset({"conversion_rate", "revenue_per_session"})


def traffic_card_reasons(store: Store, keys: list[str], now: dict, lang: str) -> dict[str, str]:
    """Why a traffic or funnel card shows "—": a traffic column the files lack, no orders file, or no data."""
    no_columns, absent = absent_traffic_columns(store), missing_tables(store)
    reasons = {}
    for key in keys:
        missing = [c for c in BY_KEY[key].columns if c in no_columns]
        if missing:
            reasons[key] = t("needs_column", lang, table="traffic", column=missing[0])
        elif key in ORDER_BASED_TRAFFIC_CARDS and "orders" in absent:
            reasons[key] = t("needs", lang, table="orders")
        elif now[key] is None:
            reasons[key] = t("no_data_period", lang)
    return reasons


def kpi_cards(
    keys: list[str],
    current: dict,
    comparison: dict,
    lang: str,
    reasons: dict[str, str] | None = None,
) -> None:
    """st.metric cards with deltas coloured by good or bad news.

    Cards have a fixed width in a wrapping row, so a narrow window gets
    fewer cards per line instead of truncated numbers.
    """
    reasons = reasons or {}
    with st.container(horizontal=True, gap="small"):
        for key in keys:
            m = BY_KEY[key]
            now, then = current.get(key), comparison.get(key)
            if now is None:
                st.metric(
                    m.label(lang),
                    "—",
                    reasons.get(key),
                    delta_color="off",
                    delta_arrow="off",
                    border=True,
                    width=CARD_WIDTH,
                )
                continue
            moved, text = change(key, now, then, lang, compact=True)
            st.metric(
                m.label(lang),
                fmt.value(m.kind, now, lang),
                text if moved is not None else None,
                delta_color=fmt.delta_color(moved, m.higher_is_better),
                delta_arrow=fmt.delta_arrow(moved),
                help=t(f"help.{key}", lang),
                border=True,
                width=CARD_WIDTH,
            )


def download(df: pd.DataFrame | Callable[[], pd.DataFrame], name: str, lang: str, key: str | None = None) -> None:
    """A CSV download button; a callable ``df`` is only run when the button is clicked (large exports)."""

    def csv() -> bytes:
        frame = df() if callable(df) else df
        return frame.to_csv(index=False).encode("utf-8-sig")  # BOM: Excel opens Chinese text correctly

    st.download_button(
        t("download_csv", lang),
        csv if callable(df) else csv(),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=key or f"download-{name}",
        icon=":material/download:",
    )
