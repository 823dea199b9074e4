"""The pages the browser tests visit: add a page here and it gets full coverage.

``charts`` is the number of Plotly charts the page draws on the demo data at
the default period (each must render its SVG); ``params`` opens one view of a
page that has several (the members page).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    name: str  # used in screenshot file names
    path: str  # URL path below the server root ("" = the default page)
    charts: int
    params: tuple[tuple[str, str], ...] = ()


PAGES = (
    PageSpec("overview", "", 6),  # trend, by platform, by channel, 3 target bullets
    # targets (3 bullets), day by day, waterfall by channel, traffic × conversion × AOV
    PageSpec("weekly_review", "weekly_review", 6),
    PageSpec("traffic", "traffic", 4),  # sessions by channel, shares, drill-down platforms, platform conversion
    PageSpec("funnel", "funnel", 5),  # funnel, by channel, by platform, abandonment trend, conversion trend
    PageSpec("inventory", "inventory", 3),  # days of cover vs revenue, at-risk SKUs, one SKU's projection
    PageSpec("channel_roi", "channel_roi", 5),  # shares, ROAS vs spend, platform gap, weekly ROAS, campaign ROAS
    PageSpec("members", "members", 1),  # the tiers view (the default): tier Sankey
    PageSpec("data_health", "data_health", 0),
    # the members page's other views (test_many_users' eight users visit the pages above)
    PageSpec("members_lists", "members", 0, (("members_view", "lists"),)),  # near-tier and birthday lists
    PageSpec("members_segments", "members", 2, (("members_view", "segments"),)),  # RFM bars, lifecycle
    # retention, 90-day repurchase, LTV by cohort and by tier, new vs returning
    PageSpec("members_cohorts", "members", 5, (("members_view", "cohorts"),)),
)
LANGS = ("en", "zh")
VIEWPORTS = ((1440, 900), (1024, 768))
