"""One Plotly theme and the few chart builders every page uses.

Builders take pandas DataFrames (or plain numbers) and ``lang`` and return a
``plotly.graph_objects.Figure`` on the ``"storeops"`` template. Labels passed
in (``y_label``, share labels …) are already translated by the caller; the
builders translate their own words through ``storeops.i18n``.

Numbers are formatted by ``storeops.fmt`` everywhere, so a chart shows the
same figure the KPI card does: value-axis ticks use the compact format
(``¥12.3k`` / ``¥1.23万``, ``3.4%``), hover labels the precise one
(``¥12,345.67``). Because those ticks are computed, value axes do not zoom
(``fixedrange``); date axes do.

Show figures with ``st.plotly_chart(fig, theme=None)`` to get this theme
as designed. Streamlit's default ``theme="streamlit"`` merges its own fonts,
margins, grid and bold titles into the figure's template; colours and number
formats survive it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from storeops import fmt, i18n
from storeops.channels import CHANNEL_GROUPS, PLATFORMS
from storeops.fmt import Kind, Lang

TEMPLATE = "storeops"

# Okabe–Ito and Paul Tol's "muted" colours, plus brown and grey. Chosen so
# that any two of the twelve stay apart (CIE ΔE76 ≥ 13) in simulated
# deuteranopia, protanopia and tritanopia (Machado et al. 2009), with hues
# that read as a calm business palette rather than a rainbow. The order
# follows CHANNEL_GROUPS; "other" gets the grey.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#56B4E9",  # sky
    "#E69F00",  # orange
    "#009E73",  # green
    "#D55E00",  # vermillion
    "#CC79A7",  # pink
    "#999933",  # olive
    "#882255",  # wine
    "#332288",  # indigo
    "#DDCC77",  # sand
    "#663333",  # brown
    "#BBBBBB",  # grey
)
CHANNEL_COLORS: dict[str, str] = dict(zip(CHANNEL_GROUPS, PALETTE, strict=True))
PLATFORM_COLORS: dict[str, str] = dict(zip(PLATFORMS, PALETTE, strict=False))

# Series that are not categories (share of sessions vs share of revenue):
# blue and orange are the pair every colour-vision type tells apart.
SERIES_COLORS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
COMPARISON_LINE: dict[str, Any] = {"color": "#8C939D", "dash": "dash", "width": 1.5}
SECONDARY_BAR_COLOR = "#D5DCE6"
BEHIND_PACE_COLOR = "#E69F00"
TRACK_COLOR = "#E9ECF1"
TEXT_COLOR = "#31333F"  # Streamlit's body text, so charts sit in the page
GRID_COLOR = "#EDEFF3"
LINE_COLOR = "#D0D5DD"

# Latin faces first; the browser falls back per glyph, so Chinese text uses
# the first CJK face installed (Noto Sans CJK SC on Linux, PingFang on macOS,
# Microsoft YaHei on Windows).
FONT_FAMILY = (
    '"Source Sans", "Source Sans Pro", "Helvetica Neue", Arial, '
    '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'
)


def _template() -> go.layout.Template:
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.update(
        colorway=PALETTE,
        font={"family": FONT_FAMILY, "size": 13, "color": TEXT_COLOR},
        title={"font": {"size": 15}, "x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top"},
        # Room on top for the legend; axes grow their own margin (automargin).
        margin={"l": 8, "r": 8, "t": 36, "b": 8, "pad": 2},
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "bottom",
            "title": {"text": ""},
            "bgcolor": "rgba(0,0,0,0)",
        },
        hoverlabel={
            "bgcolor": "white",
            "bordercolor": LINE_COLOR,
            "font": {"family": FONT_FAMILY, "size": 12, "color": TEXT_COLOR},
            "align": "left",
        },
        # Decimal point and thousands separator are the same in en and zh.
        separators=".,",
        xaxis={
            "gridcolor": GRID_COLOR,
            "linecolor": LINE_COLOR,
            "showline": True,
            "zeroline": False,
            # Plotly hides an end label ("¥0", "0%") that sticks out of the plot area.
            "ticklabeloverflow": "allow",
            "automargin": True,
            "title": {"standoff": 6},
        },
        yaxis={
            "gridcolor": GRID_COLOR,
            "zerolinecolor": LINE_COLOR,
            "automargin": True,
            "title": {"standoff": 6},
        },
        bargap=0.3,
        bargroupgap=0.08,
    )
    template.data.bar = [go.Bar(marker={"line": {"width": 0}}, textfont={"size": 12})]
    template.data.scatter = [go.Scatter(line={"width": 2})]
    return template


pio.templates[TEMPLATE] = _template()


def apply_theme() -> None:
    """Make ``"storeops"`` the default template for figures built elsewhere.

    Call it after ``import streamlit``: importing Streamlit sets the default
    to its own template. The builders below set the template themselves.
    """
    pio.templates.default = TEMPLATE


# ---------------------------------------------------------------- helpers


def _finite(values: Iterable[object]) -> list[float]:
    return [float(v) for v in values if v is not None and not pd.isna(v) and math.isfinite(float(v))]


def _nice_step(span: float, kind: Kind) -> float:
    """A tick step giving about five ticks over ``span``: 1, 2, 2.5 or 5 × 10ⁿ."""
    raw = span / 5
    if kind == "seconds" and raw >= 10:
        # Whole minutes and halves read better than 50 s steps.
        for step in (15, 30, 60, 120, 300, 600, 900, 1800, 3600):
            if step >= raw:
                return float(step)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    # A fraction of an order or a day is not a tick anyone wants.
    return max(step, 1.0) if kind in ("count", "days") else step


def _decimals(step: float) -> int:
    return max(0, -Decimal(repr(round(step, 10))).normalize().as_tuple().exponent)


def _tick_text(kind: Kind, v: float, lang: Lang, step: float) -> str:
    if kind == "rate":
        text = f"{abs(v) * 100:,.{_decimals(step * 100)}f}%"
    elif kind == "ratio":
        text = f"{abs(v):,.{_decimals(step)}f}"
    else:
        return fmt.value(kind, v, lang)
    return fmt.MINUS + text if v < 0 else text


def _value_axis(values: Iterable[object], kind: Kind, lang: Lang, headroom: float = 0.0) -> dict[str, Any]:
    """Axis settings with ticks labelled by ``fmt``, spanning 0 and every value.

    ``headroom`` (a fraction of the span) leaves room for labels beside bars.
    """
    data = _finite(values)
    if not data:
        return {"fixedrange": True}
    lo, hi = min(0.0, *data), max(0.0, *data)
    if hi == lo:
        hi = lo + (0.01 if kind == "rate" else 1.0)
    step = _nice_step(hi - lo, kind)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    ticks = [round(k * step, 10) for k in range(first, last + 1)]
    span = ticks[-1] - ticks[0]
    return {
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [_tick_text(kind, v, lang, step) for v in ticks],
        "range": [ticks[0] - (headroom * span if lo < 0 else 0), ticks[-1] + headroom * span],
        "fixedrange": True,
    }


_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


def _day_text(day: pd.Timestamp, lang: Lang) -> str:
    return f"{day:%Y-%m-%d} {_WEEKDAYS[lang][day.weekday()]}"


def _date_axis(lang: Lang) -> dict[str, Any]:
    # Plotly's date ticks are English ("May 6"); Chinese readers expect 5月6日.
    axis: dict[str, Any] = {"type": "date", "hoverformat": "%Y-%m-%d"}
    if lang == "zh":
        axis["tickformat"] = "%-m月%-d日"
    return axis


def _labels(values: Iterable[object], label_fn: Callable[[str], str] | None) -> list[str]:
    return [label_fn(str(v)) if label_fn else str(v) for v in values]


def _colors(values: Iterable[object], color_map: Mapping[str, str] | None) -> list[str]:
    values = list(values)
    if color_map is None:
        return [PALETTE[i % len(PALETTE)] for i in range(len(values))]
    return [color_map.get(str(v), PALETTE[-1]) for v in values]


def _hover(name: str) -> str:
    return f"{name}: %{{customdata[0]}}<extra></extra>"


def _figure(**layout: Any) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, **layout)
    return fig


def _bar_height(rows: int, per_row: int = 30) -> int:
    # Bars keep the same thickness whether a ranking has 3 rows or 30.
    return 70 + per_row * max(rows, 1)


# ---------------------------------------------------------------- builders


def trend(
    df: pd.DataFrame,
    x: str,
    y: str,
    y_label: str,
    kind: Kind,
    compare_df: pd.DataFrame | None = None,
    compare_label: str | None = None,
    y2: str | None = None,
    y2_label: str | None = None,
    *,
    y2_kind: Kind = "count",
    lang: Lang,
) -> go.Figure:
    """Line of metric ``y`` over dates ``x`` (one row per day or week).

    ``compare_df`` holds the comparison period with the same columns and its
    own dates in ``x``; it is drawn dashed grey, shifted by day offset from
    its first date onto the current period's first date, and its hover shows
    its actual dates. ``compare_label`` defaults to "Previous period".
    ``y2`` adds bars on a right-hand axis (e.g. orders, format ``y2_kind``).
    """
    dates = pd.to_datetime(df[x])
    main_axis = "y"
    layout: dict[str, Any] = {"hovermode": "x unified", "xaxis": _date_axis(lang)}
    main_values = list(df[y])
    if compare_df is not None:
        main_values += list(compare_df[y])

    if y2 is not None:
        # The bars go on the base axis and the line on the overlaying one,
        # because Plotly draws an overlaying axis's traces on top.
        name2 = y2_label or y2
        bars = go.Bar(
            x=dates,
            y=df[y2],
            name=name2,
            yaxis="y",
            marker_color=SECONDARY_BAR_COLOR,
            customdata=[[fmt.value(y2_kind, v, lang, precise=True)] for v in df[y2]],
            hovertemplate=_hover(name2),
            legendrank=3,
        )
        main_axis = "y2"
        layout["yaxis"] = {
            **_value_axis(df[y2], y2_kind, lang),
            "side": "right",
            "showgrid": False,
            "title": {"text": name2},
        }
        layout["yaxis2"] = {
            **_value_axis(main_values, kind, lang),
            "overlaying": "y",
            "side": "left",
            "title": {"text": y_label},
        }
    else:
        layout["yaxis"] = {**_value_axis(main_values, kind, lang), "title": {"text": y_label}}

    fig = _figure(**layout)
    if y2 is not None:
        fig.add_trace(bars)
    if compare_df is not None:
        actual = pd.to_datetime(compare_df[x])
        label = compare_label or i18n.t("compare.previous", lang)
        fig.add_trace(
            go.Scatter(
                x=dates.min() + (actual - actual.min()),
                y=compare_df[y],
                name=label,
                mode="lines",
                line=COMPARISON_LINE,
                yaxis=main_axis,
                customdata=[
                    [fmt.value(kind, v, lang, precise=True), _day_text(d, lang)]
                    for v, d in zip(compare_df[y], actual, strict=True)
                ],
                hovertemplate=f"{label}: %{{customdata[0]}} (%{{customdata[1]}})<extra></extra>",
                legendrank=2,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=dates,
            y=df[y],
            name=y_label,
            mode="lines",
            line={"color": PALETTE[0]},
            yaxis=main_axis,
            customdata=[[fmt.value(kind, v, lang, precise=True)] for v in df[y]],
            hovertemplate=_hover(y_label),
            legendrank=1,
        )
    )
    return fig


def bar_ranking(
    df: pd.DataFrame,
    category: str,
    value: str,
    kind: Kind,
    label_fn: Callable[[str], str] | None = None,
    color_map: Mapping[str, str] | None = None,
    *,
    lang: Lang,
) -> go.Figure:
    """Horizontal bars of ``value`` per ``category``, largest on top, value written on each bar.

    ``label_fn(raw)`` names the categories (e.g. ``lambda v: label_channel(v, lang)``);
    ``color_map`` colours them by raw value (e.g. ``CHANNEL_COLORS``), else
    one colour. Rows without a value sort last and show "—".
    """
    data = df.sort_values(value, ascending=False, na_position="last")
    labels = _labels(data[category], label_fn)
    colors = _colors(data[category], color_map) if color_map is not None else PALETTE[0]
    fig = _figure(
        showlegend=False,
        height=_bar_height(len(data)),
        hovermode="closest",
        xaxis=_value_axis(data[value], kind, lang, headroom=0.15),
        yaxis={"autorange": "reversed", "type": "category", "showgrid": False},
    )
    fig.add_trace(
        go.Bar(
            # A missing value is a zero-length bar labelled "—", so the row
            # stays visible without pretending to be 0.
            x=data[value].fillna(0),
            y=labels,
            orientation="h",
            name=value,
            marker_color=colors,
            text=[fmt.value(kind, v, lang) for v in data[value]],
            textposition="outside",
            cliponaxis=False,
            customdata=[[fmt.value(kind, v, lang, precise=True)] for v in data[value]],
            hovertemplate="%{y}: %{customdata[0]}<extra></extra>",
        )
    )
    return fig


def share_bars(
    df: pd.DataFrame,
    category: str,
    shares: Sequence[tuple[str, str]],
    label_fn: Callable[[str], str] | None = None,
    *,
    lang: Lang,
) -> go.Figure:
    """Grouped horizontal bars comparing shares (fractions 0–1) per category.

    ``shares`` lists (column, translated label), e.g. share of sessions and
    share of revenue; categories are sorted by the first share, largest on top.
    """
    data = df.sort_values(shares[0][0], ascending=False, na_position="last")
    labels = _labels(data[category], label_fn)
    all_values = [v for column, _ in shares for v in data[column]]
    fig = _figure(
        barmode="group",
        height=_bar_height(len(data), per_row=22 * len(shares) + 12),
        hovermode="y unified",
        xaxis={**_value_axis(all_values, "rate", lang, headroom=0.12), "title": {"text": i18n.t("chart.share", lang)}},
        # Reversed so the largest category is on top, with the bars of a
        # group in legend order.
        yaxis={"autorange": "reversed", "type": "category", "showgrid": False},
    )
    for i, (column, label) in enumerate(shares):
        fig.add_trace(
            go.Bar(
                x=data[column],
                y=labels,
                orientation="h",
                name=label,
                marker_color=SERIES_COLORS[i % len(SERIES_COLORS)],
                text=[fmt.rate(v, lang) for v in data[column]],
                textposition="outside",
                cliponaxis=False,
                customdata=[[fmt.rate(v, lang, digits=2)] for v in data[column]],
                hovertemplate=_hover(label),
            )
        )
    return fig


def stacked_area(
    df: pd.DataFrame,
    x: str,
    category: str,
    value: str,
    kind: Kind,
    label_fn: Callable[[str], str] | None = None,
    color_map: Mapping[str, str] | None = None,
    *,
    lang: Lang,
) -> go.Figure:
    """Stacked areas of ``value`` over dates ``x``, one band per ``category`` (long-format input).

    The largest category (by total) is the bottom band. A date missing for a
    category counts as 0 there, which is what a stack of additive values
    (money, counts) means.
    """
    wide = df.pivot_table(index=x, columns=category, values=value, aggfunc="sum", fill_value=0, observed=True)
    wide.index = pd.to_datetime(wide.index)
    order = wide.sum().sort_values(ascending=False).index
    colors = _colors(order, color_map)
    fig = _figure(
        hovermode="x unified",
        xaxis=_date_axis(lang),
        yaxis=_value_axis(wide.sum(axis=1), kind, lang),
    )
    for cat, label, color in zip(order, _labels(order, label_fn), colors, strict=True):
        fig.add_trace(
            go.Scatter(
                x=wide.index,
                y=wide[cat],
                name=label,
                mode="lines",
                stackgroup="one",
                line={"width": 0.5, "color": color},
                fillcolor=color,
                customdata=[[fmt.value(kind, v, lang, precise=True)] for v in wide[cat]],
                hovertemplate=_hover(label),
            )
        )
    return fig


def progress_summary(actual: float | None, target: float, kind: Kind, lang: Lang) -> str:
    """ "¥74.4万 / ¥75.5万 · 98.6% of target": the line a bullet chart's title carries."""
    has_actual = actual is not None and not pd.isna(actual)
    share = actual / target if has_actual and target else None
    return f"{fmt.value(kind, actual, lang)} / {fmt.value(kind, target, lang)} · " + i18n.t(
        "chart.of_target", lang, share=fmt.rate(share, lang)
    )


def progress_bullet(
    actual: float | None,
    target: float,
    label: str,
    kind: Kind,
    lang: Lang,
    pace: float | None = None,
    title: bool = True,
) -> go.Figure:
    """A one-line bullet chart: ``actual`` against ``target`` (same unit, e.g. money).

    The target is a grey track ending in a dark tick. ``pace`` is the share
    (0–1) of the target expected by now, e.g. the elapsed part of the month;
    it is drawn as a grey tick at target × pace and the bar turns orange when
    the actual is behind it. The title carries ``label`` and the share of
    target reached (``title=False`` leaves it to the page, for narrow
    columns). A missing actual draws no bar and shows "—".
    """
    has_actual = actual is not None and not pd.isna(actual)
    expected = target * pace if pace is not None else None
    behind = has_actual and expected is not None and actual < expected
    summary = progress_summary(actual, target, kind, lang)
    fig = _figure(
        title={"text": f"{label}  <span style='font-size:13px;color:#6B7280'>{summary}</span>"} if title else None,
        showlegend=False,
        height=120 if title else 90,
        margin={"t": 30 if title else 4, "b": 4},
        barmode="overlay",
        hovermode="closest",
        # Headroom so the target tick at the end of the axis is not cut in half.
        xaxis=_value_axis([actual, target, expected], kind, lang, headroom=0.03),
        yaxis={"visible": False, "fixedrange": True, "range": [-0.5, 0.5]},
    )
    fig.add_trace(
        go.Bar(
            x=[target],
            y=[0],
            orientation="h",
            width=0.8,
            name=i18n.t("chart.target", lang),
            marker_color=TRACK_COLOR,
            hoverinfo="skip",
        )
    )
    if has_actual:
        actual_name = i18n.t("chart.actual", lang)
        fig.add_trace(
            go.Bar(
                x=[actual],
                y=[0],
                orientation="h",
                width=0.36,
                name=actual_name,
                marker_color=BEHIND_PACE_COLOR if behind else PALETTE[0],
                customdata=[[fmt.value(kind, actual, lang, precise=True)]],
                hovertemplate=_hover(actual_name),
            )
        )
    ticks = [(i18n.t("chart.target", lang), target, TEXT_COLOR)]
    if expected is not None:
        ticks.append((i18n.t("chart.pace", lang), expected, COMPARISON_LINE["color"]))
    for name, x_value, color in ticks:
        fig.add_trace(
            go.Scatter(
                x=[x_value],
                y=[0],
                name=name,
                mode="markers",
                marker={"symbol": "line-ns", "size": 30, "line": {"width": 3, "color": color}},
                customdata=[[fmt.value(kind, x_value, lang, precise=True)]],
                hovertemplate=_hover(name),
            )
        )
    return fig


def funnel(
    df: pd.DataFrame,
    step_label: Callable[[str], str],
    compare_df: pd.DataFrame | None = None,
    compare_label: str | None = None,
    *,
    lang: Lang,
) -> go.Figure:
    """The funnel as horizontal bars, first step on top (a period's ``queries/funnel_steps.sql`` rows, one value).

    ``df`` has ``step``, ``step_count``, ``step_rate`` and ``overall_rate``;
    each bar is labelled with its count and its step rate. ``compare_df``
    (same columns) is drawn as a thinner grey bar under each step; steps it
    lacks are simply not drawn. Only the steps in ``df`` are drawn, so a step
    left out of the data is left out of the chart, never drawn as zero.
    """
    steps = list(df["step"])
    labels = [step_label(s) for s in steps]
    values = list(df["step_count"])
    if compare_df is not None:
        values += list(compare_df["step_count"])
    fig = _figure(
        barmode="group",
        height=_bar_height(len(steps), per_row=58 if compare_df is not None else 40),
        hovermode="y unified",
        xaxis=_value_axis(values, "count", lang, headroom=0.3),
        yaxis={"autorange": "reversed", "type": "category", "showgrid": False},
    )

    def texts(frame: pd.DataFrame) -> list[str]:
        out = []
        for count, rate in zip(frame["step_count"], frame["step_rate"], strict=True):
            text = fmt.count(count, lang)
            out.append(f"{text} · {fmt.rate(rate, lang)}" if _finite([rate]) else text)
        return out

    def hover(frame: pd.DataFrame) -> list[list[str]]:
        return [
            [fmt.count(c, lang, precise=True), fmt.rate(s, lang), fmt.rate(o, lang)]
            for c, s, o in zip(frame["step_count"], frame["step_rate"], frame["overall_rate"], strict=True)
        ]

    step_word, overall_word = i18n.t("chart.step_rate", lang), i18n.t("chart.overall_rate", lang)
    template = f"%{{customdata[0]}} · {step_word} %{{customdata[1]}} · {overall_word} %{{customdata[2]}}"
    current_label = i18n.t("chart.current", lang)
    fig.add_trace(
        go.Bar(
            x=df["step_count"],
            y=labels,
            orientation="h",
            name=current_label,
            marker_color=PALETTE[0],
            text=texts(df),
            textposition="outside",
            cliponaxis=False,
            customdata=hover(df),
            hovertemplate=f"{current_label}: {template}<extra></extra>",
        )
    )
    if compare_df is not None:
        label = compare_label or i18n.t("compare.previous", lang)
        other = compare_df.set_index("step").reindex(steps).reset_index()
        fig.add_trace(
            go.Bar(
                x=other["step_count"],
                y=labels,
                orientation="h",
                name=label,
                marker_color=SECONDARY_BAR_COLOR,
                text=texts(other),
                textposition="outside",
                cliponaxis=False,
                customdata=hover(other),
                hovertemplate=f"{label}: {template}<extra></extra>",
            )
        )
    return fig


# Diverging: orange below the site rate, blue above; white at the site rate.
GAP_SCALE = ((0.0, "#D55E00"), (0.5, "#FFFFFF"), (1.0, "#0072B2"))


def step_heatmap(
    df: pd.DataFrame,
    step_label: Callable[[str], str],
    label_fn: Callable[[str], str] | None = None,
    *,
    lang: Lang,
) -> go.Figure:
    """Step rates per category × funnel step, coloured by the gap to the site's rate for that step.

    ``df`` is a period's ``queries/funnel_steps.sql`` rows for a dimension (long format). Cells
    show the step rate; orange means below the site, blue above, so the
    weakest step of each row stands out. Steps without a rate (sessions, the
    first step) are not columns; categories keep the frame's order.
    """
    rated = df[df["step"] != "sessions"]
    steps = list(dict.fromkeys(rated["step"]))
    order = list(dict.fromkeys(rated["dimension_value"]))
    gap = rated.pivot(index="dimension_value", columns="step", values="step_rate_gap_pp").reindex(
        index=order, columns=steps
    )
    rate = rated.pivot(index="dimension_value", columns="step", values="step_rate").reindex(index=order, columns=steps)
    site = rated.drop_duplicates("step").set_index("step")["site_step_rate"].reindex(steps)
    limit = max([abs(v) for v in _finite(gap.to_numpy().ravel())] or [0.01])
    texts = [[fmt.rate(v, lang) for v in row] for row in rate.to_numpy()]
    hover = [
        [[fmt.rate(v, lang), fmt.rate(site[s], lang), fmt.pp(g, lang)] for v, s, g in zip(r, steps, gr, strict=True)]
        for r, gr in zip(rate.to_numpy(), gap.to_numpy(), strict=True)
    ]
    site_word = i18n.t("chart.site", lang)
    fig = _figure(
        height=70 + 34 * max(len(order), 1),
        hovermode="closest",
        xaxis={"side": "top", "showgrid": False, "showline": False, "type": "category", "fixedrange": True},
        yaxis={"autorange": "reversed", "showgrid": False, "type": "category", "fixedrange": True},
        margin={"t": 8},
    )
    fig.add_trace(
        go.Heatmap(
            z=gap.to_numpy(dtype=float),
            x=[step_label(s) for s in steps],
            y=_labels(order, label_fn),
            zmid=0,
            zmin=-limit,
            zmax=limit,
            colorscale=[list(stop) for stop in GAP_SCALE],
            showscale=False,
            xgap=2,
            ygap=2,
            text=texts,
            texttemplate="%{text}",
            textfont={"size": 12},
            customdata=hover,
            hovertemplate=(
                f"%{{y}} · %{{x}}: %{{customdata[0]}} ({site_word} %{{customdata[1]}}, %{{customdata[2]}})"
                "<extra></extra>"
            ),
        )
    )
    return fig


# ---------------------------------------------------------------- inventory

# Stock statuses (storeops.inventory.STATUSES): red and orange ask for action,
# sky and brown tie up cash, green is fine.
STATUS_COLORS: dict[str, str] = {
    "out_of_stock": "#D55E00",
    "reorder_now": "#E69F00",
    "dead_stock": "#663333",
    "overstock": "#56B4E9",
    "healthy": "#009E73",
}
_COVER_TICKS = (1, 3, 7, 14, 30, 90, 180, 365, 730, 1825, 3650, 7300, 18250)


def cover_scatter(
    df: pd.DataFrame,
    status_label: Callable[[str], str],
    overstock_days: float,
    *,
    lang: Lang,
) -> go.Figure:
    """Days of cover (log x) against 90-day net revenue (y), one dot per SKU, coloured by status.

    ``df`` is ``inventory.sku_table``: rows without days of cover (d = 0) are
    left out by the caller's choice of rows with a value; a dotted line marks
    the overstock threshold. Hover names the SKU and both values.
    """
    data = df[df["days_of_cover"].notna() & (df["days_of_cover"] > 0)]
    cover = data["days_of_cover"].astype(float)
    hi = max([overstock_days * 1.5, *cover.tolist()])
    lo = min([7.0, *cover.tolist()])
    ticks = [v for v in _COVER_TICKS if lo / 1.5 <= v <= hi * 1.5]
    fig = _figure(
        hovermode="closest",
        height=380,
        xaxis={
            "type": "log",
            "tickmode": "array",
            "tickvals": ticks,
            "ticktext": [fmt.days(v, lang) for v in ticks],
            "title": {"text": i18n.t("chart.days_of_cover", lang)},
            "range": [math.log10(lo / 1.5), math.log10(hi * 1.5)],
        },
        yaxis={
            **_value_axis(data["net_revenue_90d"], "money", lang),
            "title": {"text": i18n.t("chart.revenue_90d", lang)},
        },
    )
    for status, color in STATUS_COLORS.items():
        part = data[data["status"] == status]
        if part.empty:
            continue
        name = status_label(status)
        fig.add_trace(
            go.Scatter(
                x=part["days_of_cover"],
                y=part["net_revenue_90d"],
                mode="markers",
                name=name,
                marker={"color": color, "size": 9, "opacity": 0.85, "line": {"width": 0.5, "color": "white"}},
                customdata=[
                    [f"{s} {n or ''}".strip(), fmt.days(c, lang), fmt.money(r, lang, precise=True)]
                    for s, n, c, r in zip(
                        part["sku"], part["product_name"], part["days_of_cover"], part["net_revenue_90d"], strict=True
                    )
                ],
                hovertemplate=f"%{{customdata[0]}} · {name}<br>%{{customdata[1]}} · %{{customdata[2]}}<extra></extra>",
            )
        )
    fig.add_vline(x=overstock_days, line={"color": COMPARISON_LINE["color"], "dash": "dot", "width": 1})
    return fig


def stock_projection(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    reorder_point: float,
    safety_stock: float,
    *,
    lang: Lang,
) -> go.Figure:
    """One SKU: daily units sold (bars, right axis), on hand (line) and its projection (dashed),
    with the reorder point and safety stock as horizontal lines.

    ``history`` has ``day``, ``units``, ``on_hand`` (NULL on days without a
    snapshot); ``forecast`` has ``day`` and ``on_hand``.
    """
    days = pd.to_datetime(history["day"])
    stock_values = [*history["on_hand"], *forecast["on_hand"], reorder_point, safety_stock]
    units_name = i18n.t("chart.units_sold", lang)
    fig = _figure(
        hovermode="x unified",
        xaxis=_date_axis(lang),
        yaxis={
            **_value_axis(history["units"], "count", lang),
            "side": "right",
            "showgrid": False,
            "title": {"text": units_name},
        },
        yaxis2={
            **_value_axis(stock_values, "count", lang),
            "overlaying": "y",
            "side": "left",
            "title": {"text": i18n.t("chart.on_hand", lang)},
        },
    )
    fig.add_trace(
        go.Bar(
            x=days,
            y=history["units"],
            name=units_name,
            yaxis="y",
            marker_color=SECONDARY_BAR_COLOR,
            customdata=[[fmt.count(v, lang, precise=True)] for v in history["units"]],
            hovertemplate=_hover(units_name),
            legendrank=4,
        )
    )
    on_hand_name = i18n.t("chart.on_hand", lang)
    known = history[history["on_hand"].notna()]
    fig.add_trace(
        go.Scatter(
            x=pd.to_datetime(known["day"]),
            y=known["on_hand"],
            name=on_hand_name,
            mode="lines",
            line={"color": PALETTE[0], "shape": "hv"},
            yaxis="y2",
            customdata=[[fmt.count(v, lang, precise=True)] for v in known["on_hand"]],
            hovertemplate=_hover(on_hand_name),
            legendrank=1,
        )
    )
    projected_name = i18n.t("chart.projected", lang)
    fig.add_trace(
        go.Scatter(
            x=pd.to_datetime(forecast["day"]),
            y=forecast["on_hand"],
            name=projected_name,
            mode="lines",
            line={"color": PALETTE[0], "dash": "dash"},
            yaxis="y2",
            customdata=[[fmt.count(round(v, 1), lang, precise=True)] for v in forecast["on_hand"]],
            hovertemplate=_hover(projected_name),
            legendrank=2,
        )
    )
    span = [days.min(), pd.to_datetime(forecast["day"]).max()]
    for key, level, color in (
        ("chart.reorder_point", reorder_point, STATUS_COLORS["reorder_now"]),
        ("chart.safety_stock", safety_stock, STATUS_COLORS["out_of_stock"]),
    ):
        name = i18n.t(key, lang)
        fig.add_trace(
            go.Scatter(
                x=span,
                y=[level, level],
                name=name,
                mode="lines",
                line={"color": color, "dash": "dot", "width": 1.5},
                yaxis="y2",
                customdata=[[fmt.count(round(level, 1), lang, precise=True)]] * 2,
                hovertemplate=_hover(name),
                legendrank=3,
            )
        )
    return fig


INCREASE_COLOR = "#0072B2"  # blue: the good direction (colour-blind safe with vermillion)
DECREASE_COLOR = "#D55E00"
TOTAL_COLOR = "#8C939D"


def waterfall(
    parts: pd.DataFrame,
    label: str,
    value: str,
    start: tuple[str, float],
    end: tuple[str, float],
    kind: Kind = "money",
    *,
    lang: Lang,
) -> go.Figure:
    """Horizontal waterfall from ``start`` (label, total) through ``parts`` to ``end`` (label, total).

    ``parts`` holds one bar per row: ``label`` (already translated) and
    ``value`` (the change it contributes); the caller makes sure they add up
    to end − start. Rises are blue, falls vermillion, the two totals grey;
    each bar is labelled with its change (``+¥12.3k``).
    """
    labels = [start[0], *parts[label].tolist(), end[0]]
    values = [start[1], *parts[value].astype(float).tolist(), end[1]]
    measures = ["absolute", *["relative"] * len(parts), "total"]
    running, ends = start[1], [start[1]]
    for v in parts[value].astype(float):
        running += v
        ends.append(running)
    ends.append(end[1])

    def text(v: float, measure: str) -> str:
        if measure == "relative":
            return ("+" if v > 0 else "") + fmt.money(v, lang)
        return fmt.money(v, lang)

    fig = _figure(
        showlegend=False,
        height=_bar_height(len(labels), per_row=28),
        hovermode="closest",
        xaxis=_value_axis(ends, kind, lang, headroom=0.18),
        yaxis={"autorange": "reversed", "type": "category", "showgrid": False},
    )
    fig.add_trace(
        go.Waterfall(
            orientation="h",
            y=labels,
            x=values,
            measure=measures,
            text=[text(v, m) for v, m in zip(values, measures, strict=True)],
            textposition="outside",
            cliponaxis=False,
            increasing={"marker": {"color": INCREASE_COLOR}},
            decreasing={"marker": {"color": DECREASE_COLOR}},
            totals={"marker": {"color": TOTAL_COLOR}},
            connector={"line": {"color": LINE_COLOR, "width": 1}},
            customdata=[[fmt.value(kind, v, lang, precise=True)] for v in values],
            hovertemplate="%{y}: %{customdata[0]}<extra></extra>",
        )
    )
    return fig


def mark_days(
    fig: go.Figure, days: Sequence[object], values: Sequence[float], name: str, kind: Kind, lang: Lang
) -> go.Figure:
    """Ring the given days of a ``trend`` figure (e.g. anomalies), on its main axis."""
    if not len(days):
        return fig
    axis = "y2" if any(getattr(tr, "yaxis", None) == "y2" for tr in fig.data) else "y"
    fig.add_trace(
        go.Scatter(
            x=pd.to_datetime(list(days)),
            y=list(values),
            name=name,
            mode="markers",
            yaxis=axis,
            marker={"size": 13, "color": "rgba(0,0,0,0)", "line": {"width": 2.5, "color": DECREASE_COLOR}},
            customdata=[[fmt.value(kind, v, lang, precise=True)] for v in values],
            hovertemplate=_hover(name),
            legendrank=4,
        )
    )
    return fig


# ---------------------------------------------------------------- channel ROI

BREAK_EVEN_LINE: dict[str, Any] = {"color": "#D55E00", "dash": "dash", "width": 1.5}


def _reference_line(fig: go.Figure, y: float | None, label: str, kind: Kind, lang: Lang) -> None:
    """A dashed horizontal line at ``y`` across the plot, labelled in the right margin (clear of the data)."""
    if y is None or pd.isna(y) or not math.isfinite(float(y)):
        return
    fig.add_hline(y=float(y), line=BREAK_EVEN_LINE)
    fig.add_annotation(
        x=1,
        xref="paper",
        xanchor="left",
        xshift=4,
        y=float(y),
        yref="y",
        text=f"{label}<br>{fmt.value(kind, y, lang)}",
        showarrow=False,
        align="left",
        font={"size": 12, "color": BREAK_EVEN_LINE["color"]},
    )
    fig.update_layout(margin={"r": 76})


def bubble(
    df: pd.DataFrame,
    category: str,
    x: str,
    y: str,
    size: str,
    labels: tuple[str, str, str],
    kinds: tuple[Kind, Kind, Kind],
    label_fn: Callable[[str], str] | None = None,
    color_map: Mapping[str, str] | None = None,
    reference: float | None = None,
    reference_label: str = "",
    *,
    lang: Lang,
) -> go.Figure:
    """One bubble per ``category`` row: ``x`` across, ``y`` up, area ∝ ``size`` (ROAS against spend, size revenue).

    ``labels`` and ``kinds`` name and format x, y and size. Rows without an
    x or y value are left out (a ratio that is "—" has no place). A dashed
    line at ``reference`` on the y axis (e.g. break-even ROAS) splits the
    rows into those above and below it.
    """
    data = df.dropna(subset=[x, y])
    data = data[[math.isfinite(float(v)) for v in data[y]]] if len(data) else data
    sizes = [max(float(v), 0.0) if v is not None and not pd.isna(v) else 0.0 for v in data[size]]
    biggest = max(sizes or [1.0]) or 1.0
    ys = [*data[y], reference] if reference is not None else list(data[y])
    fig = _figure(
        showlegend=False,
        height=420,
        hovermode="closest",
        xaxis={**_value_axis(data[x], kinds[0], lang, headroom=0.2), "title": {"text": labels[0]}},
        yaxis={**_value_axis(ys, kinds[1], lang, headroom=0.1), "title": {"text": labels[1]}},
    )
    names = _labels(data[category], label_fn)
    fig.add_trace(
        go.Scatter(
            x=data[x],
            y=data[y],
            mode="markers+text",
            text=names,
            textposition="top center",
            cliponaxis=False,
            marker={
                "size": sizes,
                "sizemode": "area",
                "sizeref": 2.0 * biggest / 48**2,  # the biggest bubble is 48 px across
                "sizemin": 6,
                "color": _colors(data[category], color_map),
                "opacity": 0.8,
                "line": {"width": 1, "color": "white"},
            },
            customdata=[
                [fmt.value(kinds[0], a, lang, precise=True), fmt.value(kinds[1], b, lang), fmt.value(kinds[2], c, lang)]
                for a, b, c in zip(data[x], data[y], data[size], strict=True)
            ],
            hovertemplate=(
                f"%{{text}}<br>{labels[0]}: %{{customdata[0]}}<br>{labels[1]}: %{{customdata[1]}}"
                f"<br>{labels[2]}: %{{customdata[2]}}<extra></extra>"
            ),
        )
    )
    _reference_line(fig, reference, reference_label, kinds[1], lang)
    return fig


def grouped_bars(
    df: pd.DataFrame,
    category: str,
    series: Sequence[tuple[str, str]],
    kind: Kind,
    label_fn: Callable[[str], str] | None = None,
    *,
    lang: Lang,
) -> go.Figure:
    """Horizontal bars of several measures of one unit per category (e.g. recorded ROAS beside platform ROAS).

    ``series`` lists (column, translated label); categories keep the
    frame's order, first on top. A missing value is a zero-length bar
    labelled "—".
    """
    labels = _labels(df[category], label_fn)
    values = [v for column, _ in series for v in df[column]]
    fig = _figure(
        barmode="group",
        height=_bar_height(len(df), per_row=22 * len(series) + 12),
        hovermode="y unified",
        xaxis=_value_axis(values, kind, lang, headroom=0.15),
        yaxis={"autorange": "reversed", "type": "category", "showgrid": False},
    )
    for i, (column, label) in enumerate(series):
        fig.add_trace(
            go.Bar(
                x=df[column].astype(float).fillna(0),
                y=labels,
                orientation="h",
                name=label,
                marker_color=SERIES_COLORS[i % len(SERIES_COLORS)],
                text=[fmt.value(kind, v, lang) for v in df[column]],
                textposition="outside",
                cliponaxis=False,
                customdata=[[fmt.value(kind, v, lang, precise=True)] for v in df[column]],
                hovertemplate=_hover(label),
            )
        )
    return fig


def lines_by(
    df: pd.DataFrame,
    x: str,
    category: str,
    y: str,
    kind: Kind,
    y_label: str,
    label_fn: Callable[[str], str] | None = None,
    color_map: Mapping[str, str] | None = None,
    reference: float | None = None,
    reference_label: str = "",
    *,
    lang: Lang,
) -> go.Figure:
    """One line of ``y`` over dates ``x`` per ``category`` (long-format input), with an optional reference line.

    Categories are drawn largest-first by number of points; a date missing
    for a category is a gap in its line, never a zero.
    """
    order = list(dict.fromkeys(df[category]))
    values = [*df[y], reference] if reference is not None else list(df[y])
    fig = _figure(
        hovermode="x unified",
        height=400,
        xaxis=_date_axis(lang),
        yaxis={**_value_axis(values, kind, lang), "title": {"text": y_label}},
    )
    colors = _colors(order, color_map)
    for cat, name, color in zip(order, _labels(order, label_fn), colors, strict=True):
        part = df[df[category] == cat].sort_values(x)
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part[x]),
                y=part[y].astype(float),
                name=name,
                mode="lines+markers",
                marker={"size": 5},
                line={"color": color},
                connectgaps=False,
                customdata=[[fmt.value(kind, v, lang)] for v in part[y]],
                hovertemplate=_hover(name),
            )
        )
    _reference_line(fig, reference, reference_label, kind, lang)
    return fig


# ---------------------------------------------------------------- customers and members

# Tier moves (tier_sankey): upgrades green, downgrades vermillion, new members
# blue, members who kept their tier grey.
MOVEMENT_COLORS: dict[str, str] = {
    "up": "#009E73",
    "down": "#D55E00",
    "new": "#0072B2",
    "same": "#BBBBBB",
    "changed": "#CC79A7",
}
# Retention cells: white (0) to blue (the highest share shown).
RETENTION_SCALE = ((0.0, "#FFFFFF"), (1.0, "#0072B2"))
MUTED_BAR_COLOR = "#A9CCE3"  # a bar whose value can still grow (an incomplete cohort)


def month_text(month: object, lang: Lang) -> str:
    """ "Jan 2024" / "2024年1月" for a date in that month."""
    m = pd.Timestamp(month)
    return f"{m.year}年{m.month}月" if lang == "zh" else f"{m:%b %Y}"


def _with_alpha(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def tier_sankey(
    df: pd.DataFrame,
    tier_order: Sequence[str],
    before_label: Callable[[str], str],
    after_label: Callable[[str], str],
    movement_label: Callable[[str], str],
    *,
    show_same: bool = False,
    lang: Lang,
) -> go.Figure:
    """Members flowing from their tier before the period (left) to their tier at its end (right).

    ``df`` is ``queries/members_tier_migration.sql``: from_tier (None for a
    new member), to_tier, members, movement. ``tier_order`` lists the tiers
    top to bottom (highest first); the left column ends with "new".
    ``before_label(tier)`` / ``after_label(tier)`` name the nodes (a tier
    name with its date, say); ``before_label("")`` names the new members.
    Links are coloured by movement (MOVEMENT_COLORS). Members who kept their
    tier are left out unless ``show_same``: beside Bronze → Bronze, the moves
    a tier programme is about would be hairlines.
    """
    data = df[(df["members"] > 0) & (show_same | (df["movement"] != "same"))]
    order = list(tier_order) + sorted(
        {str(t) for t in pd.concat([data["from_tier"].dropna(), data["to_tier"]])} - set(tier_order)
    )
    left = [t for t in order if t in set(data["from_tier"].dropna())]
    has_new = data["from_tier"].isna().any()
    right = [t for t in order if t in set(data["to_tier"])]
    labels = [before_label(t) for t in left] + ([before_label("")] if has_new else []) + [after_label(t) for t in right]
    n_left = len(left) + int(has_new)
    index_left = {t: i for i, t in enumerate(left)}
    index_right = {t: n_left + i for i, t in enumerate(right)}
    totals_left = data.groupby(data["from_tier"].fillna(""), sort=False)["members"].sum()
    totals_right = data.groupby("to_tier", sort=False)["members"].sum()
    node_values = [totals_left.get(t, 0) for t in left] + ([totals_left.get("", 0)] if has_new else [])
    node_values += [totals_right.get(t, 0) for t in right]
    node_colors = [PALETTE[0]] * len(labels)

    def centres(sizes: list[float]) -> list[float]:
        # Node centres (0 = top) stacked in the given order, so tiers read highest first.
        total, gap = sum(sizes) or 1.0, 0.04
        scale = (1 - gap * max(len(sizes) - 1, 0)) / total
        out, y = [], 0.0
        for size in sizes:
            out.append(min(max(y + size * scale / 2, 0.001), 0.999))
            y += size * scale + gap
        return out

    if has_new:
        node_colors[len(left)] = MOVEMENT_COLORS["new"]

    fig = _figure(height=120 + 42 * max(n_left, len(right)), hovermode="closest", margin={"t": 8, "l": 8, "r": 8})
    fig.add_trace(
        go.Sankey(
            arrangement="snap",
            valueformat=",.0f",
            node={
                "label": labels,
                "color": node_colors,
                "pad": 14,
                "thickness": 14,
                "line": {"width": 0},
                "x": [0.001] * n_left + [0.999] * len(right),
                "y": centres([float(v) for v in node_values[:n_left]])
                + centres([float(v) for v in node_values[n_left:]]),
                "customdata": [fmt.count(v, lang, precise=True) for v in node_values],
                "hovertemplate": "%{label}: %{customdata}<extra></extra>",
            },
            link={
                "source": [index_left[f] if pd.notna(f) else len(left) for f in data["from_tier"]],
                "target": [index_right[str(t)] for t in data["to_tier"]],
                "value": data["members"].astype(float).tolist(),
                "color": [_with_alpha(MOVEMENT_COLORS.get(m, PALETTE[-1]), 0.45) for m in data["movement"]],
                "customdata": [
                    [movement_label(m), fmt.count(v, lang, precise=True)]
                    for m, v in zip(data["movement"], data["members"], strict=True)
                ],
                "hovertemplate": (
                    "%{source.label} → %{target.label}<br>%{customdata[0]}: %{customdata[1]}<extra></extra>"
                ),
            },
        )
    )
    return fig


def compare_bars(
    df: pd.DataFrame,
    category: str,
    value: str,
    compare_value: str,
    kind: Kind,
    label_fn: Callable[[str], str] | None = None,
    *,
    current_label: str,
    compare_label: str,
    lang: Lang,
) -> go.Figure:
    """Horizontal bars of ``value`` per ``category`` beside the comparison's ``compare_value`` (grey).

    Categories keep the frame's order (a fixed order such as lifecycle stages).
    """
    labels = _labels(df[category], label_fn)
    fig = _figure(
        barmode="group",
        height=_bar_height(len(df), per_row=56),
        hovermode="y unified",
        xaxis=_value_axis(list(df[value]) + list(df[compare_value]), kind, lang, headroom=0.15),
        yaxis={"autorange": "reversed", "type": "category", "showgrid": False},
    )
    for column, name, color in (
        (value, current_label, PALETTE[0]),
        (compare_value, compare_label, SECONDARY_BAR_COLOR),
    ):
        fig.add_trace(
            go.Bar(
                x=df[column],
                y=labels,
                orientation="h",
                name=name,
                marker_color=color,
                text=[fmt.value(kind, v, lang) for v in df[column]],
                textposition="outside",
                cliponaxis=False,
                customdata=[[fmt.value(kind, v, lang, precise=True)] for v in df[column]],
                hovertemplate=_hover(name),
            )
        )
    return fig


def cohort_heatmap(df: pd.DataFrame, *, month_label: Callable[[int], str], lang: Lang) -> go.Figure:
    """Retention by cohort (rows, oldest on top) and months since the first order (columns).

    ``df`` is ``queries/members_cohorts.sql``. A cell shows the share of the
    cohort with a paid order in that calendar month; month 0 is always 100%
    and is left uncoloured so the scale serves the later months. A month still
    in progress (is_partial) is marked with "…" in its hover.
    """
    cohorts = list(dict.fromkeys(df["cohort_month"]))
    months = sorted(df["month_index"].unique())
    rate = df.pivot(index="cohort_month", columns="month_index", values="retention_rate").reindex(
        index=cohorts, columns=months
    )
    size = df.drop_duplicates("cohort_month").set_index("cohort_month")["cohort_customers"].reindex(cohorts)
    partial = df.pivot(index="cohort_month", columns="month_index", values="is_partial").reindex(
        index=cohorts, columns=months
    )
    z = rate.to_numpy(dtype=float).copy()
    later = [v for row in z[:, 1:] for v in row if not math.isnan(v)] if z.shape[1] > 1 else []
    top = max(later or [0.01])
    if z.shape[1]:
        z[:, 0] = math.nan  # month 0 is 100% by definition
    texts = [[fmt.rate(v, lang) if not pd.isna(v) else "" for v in row] for row in rate.to_numpy()]
    ylabels = [f"{month_text(c, lang)} · {fmt.count(n, lang)}" for c, n in zip(cohorts, size, strict=True)]
    hover = [
        [[fmt.rate(v, lang), "…" if p is True else ""] for v, p in zip(r, pr, strict=True)]
        for r, pr in zip(rate.to_numpy(), partial.to_numpy(), strict=True)
    ]
    fig = _figure(
        height=80 + 28 * max(len(cohorts), 1),
        hovermode="closest",
        xaxis={"side": "top", "showgrid": False, "showline": False, "type": "category", "fixedrange": True},
        yaxis={"autorange": "reversed", "showgrid": False, "type": "category", "fixedrange": True},
        margin={"t": 8},
    )
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=[month_label(int(m)) for m in months],
            y=ylabels,
            zmin=0,
            zmax=top,
            colorscale=[list(stop) for stop in RETENTION_SCALE],
            showscale=False,
            xgap=2,
            ygap=2,
            text=texts,
            texttemplate="%{text}",
            textfont={"size": 11},
            customdata=hover,
            hovertemplate="%{y} · %{x}: %{customdata[0]}%{customdata[1]}<extra></extra>",
        )
    )
    return fig


def curves(
    df: pd.DataFrame,
    x: str,
    series: str,
    y: str,
    kind: Kind,
    *,
    x_label: str,
    series_label: Callable[[object], str],
    colors: Sequence[str] | None = None,
    log_y: bool = False,
    lang: Lang,
) -> go.Figure:
    """One line of ``y`` over integer ``x`` (months since the first order, say) per ``series`` value.

    Series keep the frame's order; ``colors`` gives one colour per series
    (default: the palette). ``log_y`` puts the values on a log axis (ticks
    1-2-5 × 10ⁿ), for series an order of magnitude apart such as tiers.
    """
    keys = list(dict.fromkeys(df[series]))
    fig = _figure(
        hovermode="x unified",
        xaxis={"title": {"text": x_label}, "dtick": 1, "fixedrange": True},
        yaxis=_log_axis(df[y], kind, lang) if log_y else _value_axis(df[y], kind, lang),
    )
    for i, key in enumerate(keys):
        part = df[df[series] == key].sort_values(x)
        name = series_label(key)
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[y],
                name=name,
                mode="lines+markers",
                marker={"size": 5},
                line={"color": (colors or PALETTE)[i % len(colors or PALETTE)]},
                customdata=[[fmt.value(kind, v, lang, precise=True)] for v in part[y]],
                hovertemplate=_hover(name),
            )
        )
    return fig


def _log_axis(values: Iterable[object], kind: Kind, lang: Lang) -> dict[str, Any]:
    """A log value axis with 1-2-5 × 10ⁿ ticks labelled by ``fmt`` (non-positive values are not drawn)."""
    data = [v for v in _finite(values) if v > 0]
    if not data:
        return {"type": "log", "fixedrange": True}
    lo, hi = min(data), max(data)
    ticks = [
        m * 10**e
        for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
        for m in (1, 2, 5)
        if lo / 2 <= m * 10**e <= hi * 2
    ]
    return {
        "type": "log",
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [fmt.value(kind, v, lang) for v in ticks],
        "range": [math.log10(lo) - 0.05, math.log10(hi) + 0.05],
        "fixedrange": True,
    }


def sequential_colors(n: int) -> list[str]:
    """``n`` blues from light (oldest) to dark (newest), for series that are points in time."""
    light, dark = (198, 219, 239), (8, 48, 107)
    if n <= 1:
        return ["#0072B2"]
    return [
        "#{:02X}{:02X}{:02X}".format(*(round(a + (b - a) * i / (n - 1)) for a, b in zip(light, dark, strict=True)))
        for i in range(n)
    ]


def month_columns(
    df: pd.DataFrame,
    x: str,
    y: str,
    kind: Kind,
    *,
    y_label: str,
    complete: str | None = None,
    open_label: str | None = None,
    lang: Lang,
) -> go.Figure:
    """Vertical bars of ``y`` per month ``x`` (dates), value on each bar.

    Rows where the boolean column ``complete`` is false are drawn lighter and
    their hover adds ``open_label`` (e.g. "can still grow").
    """
    is_muted = (~df[complete].astype(bool)).tolist() if complete else [False] * len(df)
    labels = [month_text(m, lang) for m in df[x]]
    fig = _figure(
        showlegend=False,
        hovermode="closest",
        xaxis={"type": "category", "showgrid": False, "fixedrange": True},
        yaxis={**_value_axis(df[y], kind, lang, headroom=0.12), "title": {"text": y_label}},
    )
    fig.add_trace(
        go.Bar(
            x=labels,
            y=df[y],
            marker_color=[MUTED_BAR_COLOR if m else PALETTE[0] for m in is_muted],
            text=[fmt.value(kind, v, lang) for v in df[y]],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [fmt.value(kind, v, lang, precise=True), f" ({open_label})" if m and open_label else ""]
                for v, m in zip(df[y], is_muted, strict=True)
            ],
            hovertemplate="%{x}: %{customdata[0]}%{customdata[1]}<extra></extra>",
        )
    )
    return fig


def stacked_month_bars(
    df: pd.DataFrame,
    x: str,
    parts: Sequence[tuple[str, str]],
    kind: Kind,
    *,
    lang: Lang,
) -> go.Figure:
    """Stacked bars per month ``x``: a band per (column, translated label) of ``parts``, the first at the bottom."""
    labels = [month_text(m, lang) for m in df[x]]
    fig = _figure(
        barmode="stack",
        hovermode="x unified",
        xaxis={"type": "category", "showgrid": False, "fixedrange": True},
        yaxis=_value_axis(df[[c for c, _ in parts]].sum(axis=1), kind, lang),
    )
    for i, (column, name) in enumerate(parts):
        fig.add_trace(
            go.Bar(
                x=labels,
                y=df[column],
                name=name,
                marker_color=SERIES_COLORS[i % len(SERIES_COLORS)],
                customdata=[[fmt.value(kind, v, lang, precise=True)] for v in df[column]],
                hovertemplate=_hover(name),
            )
        )
    return fig
