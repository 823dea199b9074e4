"""Labels of the dashboard shell in English and 简体中文.

One flat table, key → (English, Chinese). ``t(key, lang)`` looks a label up;
an unknown key raises KeyError, so a typo fails the tests instead of showing
a raw key to a user. Metric names live in the metric registry, not here.

Key families: ``page.<page id>``, ``section.<name>`` (navigation),
``preset.<id>`` (periods.PRESETS), ``compare.<mode>`` and ``vs.<mode>``
(periods.COMPARISONS), ``channel.<group>`` (channels.CHANNEL_GROUPS),
``platform.<platform>`` (channels.PLATFORMS), ``chart.<word>`` (words the
chart builders draw); plain keys for sidebar labels and generic states.
A page's own sentences go under ``<page id>.<name>``.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["en", "zh"]

LANGS: dict[str, str] = {"en": "English", "zh": "简体中文"}

LABELS: dict[str, tuple[str, str]] = {
    "app_title": ("storeops", "storeops"),
    # Pages (ids match the files in pages/)
    "page.overview": ("Overview", "经营概览"),
    "page.data_health": ("Data health", "数据健康"),
    "page.traffic": ("Traffic sources", "流量来源"),
    "page.funnel": ("Conversion funnel", "转化漏斗"),
    "page.channel_roi": ("Channel ROI", "渠道投产"),
    "page.inventory": ("Inventory risk", "库存风险"),
    "page.members": ("Members", "会员分析"),
    "page.weekly_review": ("Weekly review", "周复盘"),
    # Navigation sections
    "section.business": ("Business", "经营"),
    "section.sales": ("Sales", "销售"),
    "section.marketing": ("Marketing", "营销"),
    "section.operations": ("Operations", "运营"),
    "section.customers": ("Customers", "客户"),
    "section.data": ("Data", "数据"),
    # Sidebar
    "language": ("Language", "语言"),
    "period": ("Period", "统计周期"),
    "dates": ("Dates", "日期范围"),
    "compare": ("Compare with", "对比"),
    "comparison_dates": ("Compared with {start} – {end}", "对比区间 {start} 至 {end}"),
    "channel": ("Channel", "渠道"),
    "platform": ("Platform", "平台"),
    "category": ("Category", "品类"),
    "all": ("All", "全部"),
    "data_through": ("Data through {date}", "数据截至 {date}"),
    # Period presets (periods.PRESETS; also the values of ?preset= links)
    "preset.last_7": ("Last 7 days", "近7天"),
    "preset.last_28": ("Last 28 days", "近28天"),
    "preset.last_90": ("Last 90 days", "近90天"),
    "preset.wtd": ("Week to date", "本周至今"),
    "preset.last_week": ("Last full week", "上周"),
    "preset.mtd": ("Month to date", "本月至今"),
    "preset.last_month": ("Last month", "上月"),
    "preset.qtd": ("Quarter to date", "本季至今"),
    "preset.ytd": ("Year to date", "本年至今"),
    "preset.custom": ("Custom", "自定义"),
    # Comparison modes (periods.COMPARISONS): the choice, and the delta caption
    "compare.previous": ("Previous period", "上一周期"),
    "compare.yoy": ("Same period last year", "去年同期"),
    "vs.previous": ("vs previous period", "较上一周期"),
    "vs.yoy": ("vs same period last year", "较去年同期"),
    # Channel groups (channels.CHANNEL_GROUPS)
    "channel.organic_search": ("Organic search", "自然搜索"),
    "channel.paid_search": ("Paid search", "付费搜索"),
    "channel.marketplace_ads": ("Marketplace ads", "站内广告"),
    "channel.social": ("Social", "社交媒体"),
    "channel.short_video_live": ("Short video & live", "短视频直播"),
    "channel.influencer": ("Influencers (KOL)", "达人KOL"),
    "channel.affiliate": ("Affiliate", "联盟推广"),
    "channel.email_crm": ("Email & CRM", "私域CRM"),
    "channel.display": ("Display", "展示广告"),
    "channel.referral": ("Referral", "外部引荐"),
    "channel.direct": ("Direct", "直接访问"),
    "channel.other": ("Other", "其他"),
    # Platforms (channels.PLATFORMS)
    "platform.official_site": ("Official site", "官网"),
    "platform.tmall": ("Tmall", "天猫"),
    "platform.taobao": ("Taobao", "淘宝"),
    "platform.jd": ("JD", "京东"),
    "platform.pinduoduo": ("Pinduoduo", "拼多多"),
    "platform.douyin": ("Douyin", "抖音"),
    "platform.kuaishou": ("Kuaishou", "快手"),
    "platform.mini_program": ("Mini-program", "小程序"),
    "platform.offline": ("Offline stores", "线下门店"),
    # Generic states and actions
    "no_data_period": ("No data for this period", "本期暂无数据"),
    "needs": ("needs {table}", "需要 {table} 数据"),
    "download_csv": ("Download CSV", "下载 CSV"),
    "loading": ("Loading…", "加载中…"),
    "loading_files": ("Loading new files…", "正在加载新文件…"),
    # ---- shell
    "period_line": (
        "{start} – {end} ({days} days), compared with {cstart} – {cend}",
        "{start} 至 {end}（{days} 天），对比 {cstart} 至 {cend}",
    ),
    "empty.orders": (
        "No orders yet. Drop an orders file (for example data/orders_2024-07.csv) into the data folder; "
        "it is picked up on the next interaction. See docs/data.md for the columns.",
        "暂无订单数据。请将订单文件（例如 data/orders_2024-07.csv）放入 data 文件夹，下次操作时会自动读取。列说明见 docs/data.md。",
    ),
    # ---- metric help (METRICS.md, one line each)
    "help.net_revenue": (
        "Σ (quantity × unit price − discount − refund) over paid lines.",
        "已支付订单行的（数量×单价−优惠−退款）之和。",
    ),
    "help.gmv": ("Σ quantity × unit price over lines that are not cancelled.", "未取消订单行的 数量×单价 之和。"),
    "help.orders": ("Distinct orders with at least one paid line.", "至少有一行已支付的订单数。"),
    "help.buyers": ("Distinct customers with at least one paid line.", "至少有一行已支付的买家数。"),
    "help.units": ("Σ quantity over paid lines.", "已支付订单行的数量之和。"),
    "help.aov": ("Net revenue ÷ orders.", "净销售额 ÷ 订单数。"),
    "help.revenue_per_buyer": ("Net revenue ÷ buyers.", "净销售额 ÷ 买家数。"),
    "help.refund_rate": ("Refunds ÷ (gross − discount) over paid lines.", "退款 ÷（成交额−优惠），仅已支付订单行。"),
    "help.new_customers": (
        "Buyers whose first-ever paid order falls in the period (and matches the filters).",
        "首次支付订单落在本期（且符合筛选）的买家。",
    ),
    "help.returning_customers": ("Buyers − new customers.", "买家数 − 新客数。"),
    "help.repurchase_rate": ("Buyers with 2+ orders in the period ÷ buyers.", "本期下单 2 次及以上的买家 ÷ 买家数。"),
    "help.gross_profit": (
        "Net revenue − quantity × unit cost, over lines with a known cost; — when uncosted lines carry > 5% of net revenue.",
        "净销售额 − 数量×单位成本（仅有成本的订单行）；无成本订单行占净销售额超过 5% 时显示 —。",
    ),
    "help.sessions": ("Visits from the traffic table (访客数).", "流量表中的访客数。"),
    "help.bounce_rate": ("Bounces ÷ sessions.", "跳失数 ÷ 访客数。"),
    "help.conversion_rate": ("Orders ÷ sessions, same filters.", "订单数 ÷ 访客数（相同筛选）。"),
    "help.revenue_per_session": ("Net revenue ÷ sessions (UV价值).", "净销售额 ÷ 访客数（UV价值）。"),
    "help.ad_spend": ("Σ spend from the ad_spend table.", "广告花费表中的花费之和。"),
    "help.mer": ("Net revenue ÷ total ad spend (blended).", "净销售额 ÷ 广告总花费（整体）。"),
    "help.ncac": ("Total ad spend ÷ new customers.", "广告总花费 ÷ 新客数。"),
    # ---- overview
    "overview.category_note": (
        "The category filter applies to sales; sessions, ad spend and the ratios built on them ignore it "
        "(traffic and ad spend have no category).",
        "品类筛选只作用于销售数据；访客数、广告花费及其相关比率不受影响（流量和广告数据没有品类）。",
    ),
    "overview.uncosted": ("unit costs missing for > 5% of revenue", "超过 5% 的销售额缺少成本"),
    "overview.trend": ("Daily net revenue and orders", "每日净销售额与订单数"),
    "overview.trend_explain": (
        "Net revenue {revenue}, {change} {vs}; the best day was {best_day} ({best}). "
        "A gap to the dashed line that opens on one day points to a promotion, a stock-out or a tracking problem.",
        "净销售额 {revenue}，{vs} {change}；最高的一天是 {best_day}（{best}）。"
        "与虚线的差距若在某一天突然拉开，通常是促销、缺货或数据采集问题。",
    ),
    "overview.by_platform": ("Net revenue by platform", "各平台净销售额"),
    "overview.by_channel": ("Net revenue by channel", "各渠道净销售额"),
    "overview.by_platform_explain": (
        "{name} brings {share} of net revenue across {n} platforms; a platform that dominates is a single point of failure.",
        "{name} 贡献了 {n} 个平台中 {share} 的净销售额；过度依赖单一平台意味着风险集中。",
    ),
    "overview.by_channel_explain": (
        "{name} brings {share} of net revenue across {n} channels; compare with its spend on the Channel ROI view.",
        "{name} 贡献了 {n} 个渠道中 {share} 的净销售额；可与其广告花费对照。",
    ),
    "overview.targets": ("Month-to-date against target", "本月至今目标完成度"),
    "overview.no_targets": (
        "No targets for {month}. Add rows like `{month},net_revenue,1200000` to data/targets.csv to track progress.",
        "{month} 没有目标。在 data/targets.csv 中加入如 `{month},net_revenue,1200000` 的行即可跟踪进度。",
    ),
    "overview.targets_explain": (
        "Store-wide month-to-date through the period end; the marker shows straight-line pace ({elapsed} of {month} elapsed). "
        "Below the marker means behind plan.",
        "全店本月至今（截至所选期末）；标记为线性进度（{month} 已过 {elapsed}）。低于标记表示落后于计划。",
    ),
    # ---- data health
    "health.folder": ("Data folder: {folder}", "数据文件夹：{folder}"),
    "health.no_files": (
        "No table files found. Drop CSV, Parquet or .xlsx files into the data folder: orders_….csv, ad_spend_….csv, "
        "traffic_….csv, inventory_….csv, members.csv (see docs/data.md).",
        "没有找到数据文件。请将 CSV、Parquet 或 .xlsx 文件放入 data 文件夹：orders_….csv、ad_spend_….csv、"
        "traffic_….csv、inventory_….csv、members.csv（见 docs/data.md）。",
    ),
    "health.files": ("Files", "文件数"),
    "health.rows_loaded": ("Rows loaded", "已载入行数"),
    "health.rows_rejected": ("Rows rejected", "被拒绝行数"),
    "health.files_rejected": ("Files rejected", "被拒绝文件数"),
    "health.file_rejected": ("{file} was rejected: {message}", "{file} 被拒绝：{message}"),
    "health.freshness": ("Freshness", "数据新鲜度"),
    "health.lagging": (
        "{table} ends on {last}, {days} days behind the freshest table: a newer export may be missing.",
        "{table} 截至 {last}，比最新的表落后 {days} 天：可能缺少最新导出。",
    ),
    "health.freshness_explain": (
        "A table more than {days} days behind the others is flagged; gap days are days inside a table's range with no rows.",
        "落后其他表超过 {days} 天的表会被标出；缺口天数指表的日期范围内没有任何行的天数。",
    ),
    "health.files_seen": ("Files seen", "已发现的文件"),
    "health.files_explain": (
        "Rows replaced were superseded by a newer file with the same key (re-exports never double-count); "
        "exact duplicate rows inside one file are kept and counted.",
        "被替换的行已由键相同的较新文件取代（重复导出不会重复计算）；同一文件内完全相同的行会保留并计数。",
    ),
    "health.rejects": ("Rejected rows", "被拒绝的行"),
    "health.no_rejects": ("No row was rejected.", "没有被拒绝的行。"),
    "health.rejects_explain": (
        "{n} problems. Fix them in the source export and drop the file in again; the good rows of each file are already loaded.",
        "共 {n} 个问题。请在源导出中修正后重新放入文件；每个文件中的正确行已经载入。",
    ),
    "health.unmapped": ("Unmapped channel values", "未映射的渠道值"),
    "health.all_mapped": ("Every channel value maps to a channel group.", "所有渠道值都已映射到渠道分组。"),
    "health.unmapped_explain": (
        "These raw values count as “other”. Copy the lines below into data/channel_map.csv and replace “other” with a "
        "channel group (organic_search, paid_search, marketplace_ads, social, short_video_live, influencer, affiliate, "
        "email_crm, display, referral, direct).",
        "这些原始值被计为“其他”。把下面的内容复制到 data/channel_map.csv，并把“other”改成对应的渠道分组（organic_search、"
        "paid_search、marketplace_ads、social、short_video_live、influencer、affiliate、email_crm、display、referral、direct）。",
    ),
    "health.col.table": ("Table", "表"),
    "health.col.first_date": ("First date", "起始日期"),
    "health.col.last_date": ("Last date", "截止日期"),
    "health.col.rows": ("Rows", "行数"),
    "health.col.gap_days": ("Gap days", "缺口天数"),
    "health.col.days_behind": ("Days behind", "落后天数"),
    "health.col.file": ("File", "文件"),
    "health.col.status": ("Status", "状态"),
    "health.col.message": ("Message", "说明"),
    "health.col.encoding": ("Encoding", "编码"),
    "health.col.rows_loaded": ("Loaded", "已载入"),
    "health.col.rows_rejected": ("Rejected", "已拒绝"),
    "health.col.duplicates": ("Duplicates", "重复行"),
    "health.col.replaced": ("Replaced", "已替换"),
    "health.col.modified": ("Modified", "修改时间"),
    "health.col.ignored": ("Columns ignored", "忽略的列"),
    # Words drawn by storeops.charts
    "chart.share": ("Share", "占比"),
    "chart.actual": ("Actual", "实际"),
    "chart.target": ("Target", "目标"),
    "chart.pace": ("Expected by now", "按进度应达"),
    "chart.of_target": ("{share} of target", "目标完成 {share}"),
}

_INDEX: dict[str, int] = {"en": 0, "zh": 1}


def t(key: str, lang: Lang, **kwargs: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``kwargs``.

    Raises KeyError for an unknown key, language or missing placeholder.
    """
    return LABELS[key][_INDEX[lang]].format(**kwargs)


def label_channel(value: str, lang: Lang) -> str:
    """Display name of a channel group; an unknown value is shown as it is."""
    key = f"channel.{value}"
    return t(key, lang) if key in LABELS else str(value)


def label_platform(value: str, lang: Lang) -> str:
    """Display name of a platform; an unknown value (a new marketplace) is shown as it is."""
    key = f"platform.{value}"
    return t(key, lang) if key in LABELS else str(value)
