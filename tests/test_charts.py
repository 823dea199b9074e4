"""storeops.charts: the theme, the colours, and what each builder draws on a tiny frame."""

from __future__ import annotations

import pandas as pd
import plotly.io as pio
import pytest

from storeops import charts
from storeops.channels import CHANNEL_GROUPS, PLATFORMS
from storeops.i18n import label_channel

M = "\u2212"


# ---------------------------------------------------------------- theme and colours


def test_template_is_registered_and_applied():
    previous = pio.templates.default
    try:
        charts.apply_theme()
        assert pio.templates.default == "storeops"
    finally:
        pio.templates.default = previous
    layout = pio.templates["storeops"].layout
    assert "Noto Sans CJK SC" in layout.font.family
    assert layout.legend.orientation == "h"
    assert layout.separators == ".,"
    assert list(layout.colorway) == list(charts.PALETTE)


def test_builders_set_the_template_themselves():
    # Importing Streamlit makes its own template the default; figures must not depend on it.
    previous = pio.templates.default
    try:
        pio.templates.default = "plotly"
        fig = charts.bar_ranking(pd.DataFrame({"c": ["a"], "v": [1.0]}), "c", "v", "count", lang="en")
    finally:
        pio.templates.default = previous
    assert fig.layout.template.layout.font.family == charts.FONT_FAMILY


def test_every_channel_group_has_its_own_colour():
    assert list(charts.CHANNEL_COLORS) == list(CHANNEL_GROUPS)
    assert len(set(charts.CHANNEL_COLORS.values())) == len(CHANNEL_GROUPS)
    assert charts.CHANNEL_COLORS["other"] == "#BBBBBB"  # the leftover bucket is the grey one


def test_every_platform_has_its_own_colour():
    assert list(charts.PLATFORM_COLORS) == list(PLATFORMS)
    assert len(set(charts.PLATFORM_COLORS.values())) == len(PLATFORMS)


# ---------------------------------------------------------------- trend

CURRENT = pd.DataFrame(
    {
        "order_date": pd.to_datetime(["2024-05-01", "2024-05-02", "2024-05-03"]),
        "net_revenue": [1000.0, 2500.0, 1234.5],
        "orders": [10, 25, 12],
    }
)
# The previous period of 2024-05-01..03: 2024-04-28..30 (3 days ending the day before).
PREVIOUS = pd.DataFrame(
    {
        "order_date": pd.to_datetime(["2024-04-28", "2024-04-29", "2024-04-30"]),
        "net_revenue": [900.0, 1100.0, 1300.0],
        "orders": [9, 11, 13],
    }
)


def test_trend_alone():
    fig = charts.trend(CURRENT, "order_date", "net_revenue", "Net revenue", "money", lang="en")
    (line,) = fig.data
    assert line.name == "Net revenue"
    assert len(line.x) == 3
    assert [c[0] for c in line.customdata] == ["¥1,000.00", "¥2,500.00", "¥1,234.50"]
    # max 2,500 → step 500 (about five ticks of 1, 2, 2.5 or 5 × 10ⁿ)
    assert list(fig.layout.yaxis.ticktext) == ["¥0", "¥500", "¥1k", "¥1.5k", "¥2k", "¥2.5k"]
    assert fig.layout.yaxis.title.text == "Net revenue"


def test_trend_with_comparison_and_bars():
    fig = charts.trend(
        CURRENT,
        "order_date",
        "net_revenue",
        "净销售额",
        "money",
        compare_df=PREVIOUS,
        y2="orders",
        y2_label="订单数",
        lang="zh",
    )
    bars, comparison, line = fig.data
    assert (bars.type, bars.name, bars.yaxis) == ("bar", "订单数", "y")
    assert (line.name, line.yaxis) == ("净销售额", "y2")  # the line's axis overlays the bars'
    assert comparison.name == "上一周期"  # the default comparison label
    assert comparison.line.dash == "dash"
    assert comparison.line.color == charts.COMPARISON_LINE["color"]
    # Drawn over the current dates (same day offset), hovering with its own dates.
    assert list(pd.to_datetime(comparison.x)) == list(CURRENT["order_date"])
    assert [c[1] for c in comparison.customdata] == ["2024-04-28 周日", "2024-04-29 周一", "2024-04-30 周二"]
    assert (line.legendrank, comparison.legendrank, bars.legendrank) == (1, 2, 3)
    # 万 steps in Chinese: whole yuan below 1万
    assert list(fig.layout.yaxis2.ticktext) == ["¥0", "¥500", "¥1,000", "¥1,500", "¥2,000", "¥2,500"]
    assert fig.layout.yaxis2.title.text == "净销售额"
    assert fig.layout.xaxis.tickformat == "%-m月%-d日"


def test_trend_comparison_label_and_rate_axis():
    rates = pd.DataFrame({"d": CURRENT["order_date"], "cr": [0.012, 0.034, 0.02]})
    last_year = rates.assign(d=rates["d"] - pd.Timedelta(days=364))
    fig = charts.trend(rates, "d", "cr", "Conversion rate", "rate", last_year, "Same period last year", lang="en")
    comparison, line = fig.data
    assert comparison.name == "Same period last year"
    assert [c[0] for c in line.customdata] == ["1.2%", "3.4%", "2.0%"]
    assert list(fig.layout.yaxis.ticktext) == ["0%", "1%", "2%", "3%", "4%"]


# ---------------------------------------------------------------- bars

BY_CHANNEL = pd.DataFrame(
    {
        "channel": ["social", "paid_search", "direct", "email_crm"],
        "roas": [1.5, 3.25, None, 0.8],
    }
)


def test_bar_ranking():
    fig = charts.bar_ranking(
        BY_CHANNEL,
        "channel",
        "roas",
        "ratio",
        label_fn=lambda v: label_channel(v, "en"),
        color_map=charts.CHANNEL_COLORS,
        lang="en",
    )
    (bars,) = fig.data
    assert bars.orientation == "h"
    assert list(bars.y) == ["Paid search", "Social", "Email & CRM", "Direct"]  # descending, missing last
    assert list(bars.text) == ["3.25", "1.50", "0.80", "—"]
    assert list(bars.x) == [3.25, 1.5, 0.8, 0]  # the missing row is an empty bar, not a hidden one
    assert list(bars.marker.color) == [
        charts.CHANNEL_COLORS[c] for c in ("paid_search", "social", "email_crm", "direct")
    ]
    assert fig.layout.yaxis.autorange == "reversed"  # first row on top


def test_bar_ranking_raw_labels_one_colour():
    fig = charts.bar_ranking(BY_CHANNEL.dropna(), "channel", "roas", "ratio", lang="zh")
    (bars,) = fig.data
    assert list(bars.y) == ["paid_search", "social", "email_crm"]
    assert bars.marker.color == charts.PALETTE[0]


def test_share_bars():
    shares = pd.DataFrame(
        {
            "channel": ["social", "organic_search"],
            "session_share": [0.25, 0.75],
            "revenue_share": [0.4, 0.6],
        }
    )
    fig = charts.share_bars(
        shares,
        "channel",
        [("session_share", "访客占比"), ("revenue_share", "销售额占比")],
        label_fn=lambda v: label_channel(v, "zh"),
        lang="zh",
    )
    sessions, revenue = fig.data
    assert fig.layout.barmode == "group"
    assert (sessions.name, revenue.name) == ("访客占比", "销售额占比")
    assert list(sessions.y) == ["自然搜索", "社交媒体"]  # sorted by the first share
    assert list(revenue.text) == ["60.0%", "40.0%"]
    assert sessions.marker.color != revenue.marker.color
    assert fig.layout.xaxis.title.text == "占比"
    assert fig.layout.xaxis.ticktext[-1] == "80%"


# ---------------------------------------------------------------- stacked area


def test_stacked_area():
    sessions = pd.DataFrame(
        {
            "date": ["2024-05-01", "2024-05-01", "2024-05-02"],
            "channel": ["direct", "social", "social"],
            "sessions": [100, 300, 500],
        }
    )
    fig = charts.stacked_area(
        sessions,
        "date",
        "channel",
        "sessions",
        "count",
        label_fn=lambda v: label_channel(v, "en"),
        color_map=charts.CHANNEL_COLORS,
        lang="en",
    )
    social, direct = fig.data  # the largest total is the bottom band
    assert (social.name, direct.name) == ("Social", "Direct")
    assert {social.stackgroup, direct.stackgroup} == {"one"}
    assert list(direct.y) == [100, 0]  # no direct row on 05-02: nothing to stack
    assert direct.fillcolor == charts.CHANNEL_COLORS["direct"]
    assert [c[0] for c in social.customdata] == ["300", "500"]
    assert fig.layout.yaxis.ticktext[-1] == "500"  # scaled to the stacked total


# ---------------------------------------------------------------- progress bullet


def test_progress_bullet_behind_pace():
    # 1.2M of 2M with 70% of the month gone: expected 1.4M by now, so behind.
    fig = charts.progress_bullet(1_200_000, 2_000_000, "Net revenue", "money", "en", pace=0.7)
    track, actual, target, pace = fig.data
    assert (track.x[0], actual.x[0], target.x[0], pace.x[0]) == (2_000_000, 1_200_000, 2_000_000, 1_400_000)
    assert actual.marker.color == charts.BEHIND_PACE_COLOR
    assert (target.name, pace.name) == ("Target", "Expected by now")
    assert "¥1.2M / ¥2M · 60.0% of target" in fig.layout.title.text


def test_progress_bullet_on_pace_without_pace_marker():
    fig = charts.progress_bullet(0.031, 0.03, "转化率", "rate", "zh")
    assert [trace.name for trace in fig.data] == ["目标", "实际", "目标"]  # track, bar, target tick
    actual = fig.data[1]
    assert actual.marker.color == charts.PALETTE[0]
    assert "3.1% / 3.0% · 目标完成 103.3%" in fig.layout.title.text


def test_progress_bullet_without_actual():
    fig = charts.progress_bullet(None, 500, "Orders", "count", "en", pace=0.5)
    assert [trace.name for trace in fig.data] == ["Target", "Target", "Expected by now"]
    assert "— / 500 · — of target" in fig.layout.title.text


@pytest.mark.parametrize(
    ("values", "kind", "lang", "ticks"),
    [
        ([83, 200], "seconds", "en", ["0s", "1m", "2m", "3m", "4m"]),  # minute steps
        ([-0.25, 0.5], "rate", "en", [f"{M}40%", f"{M}20%", "0%", "20%", "40%", "60%"]),
        ([3, 7], "count", "en", ["0", "2", "4", "6", "8"]),
        ([0.4, 0.6], "count", "en", ["0", "1"]),  # no half orders
        ([12_000, 56_000], "money", "zh", ["¥0", "¥2万", "¥4万", "¥6万"]),  # step 56k / 5 → 2万
    ],
)
def test_value_axis_ticks(values, kind, lang, ticks):
    assert charts._value_axis(values, kind, lang)["ticktext"] == ticks


def test_value_axis_without_data_leaves_ticks_to_plotly():
    assert charts._value_axis([None, float("nan")], "money", "en") == {"fixedrange": True}
