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
    "needs_column": ("needs {table}.{column}", "需要 {table}.{column} 列"),
    "orders_needed": (
        "Add an orders file to data/: the period selector is built from the order dates.",
        "请在 data/ 中放入订单文件：统计周期依据订单日期生成。",
    ),
    "stand_in": ("{file} — {note}", "{file} — 替代说明：{note}"),
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
    "help.users": (
        "Σ users from the traffic table; a user seen on two days counts twice.",
        "流量表中的用户数之和；两天都来的用户计两次。",
    ),
    "help.new_users": ("Σ new users from the traffic table.", "流量表中的新用户数之和。"),
    "help.new_user_share": ("New users ÷ users.", "新用户数 ÷ 用户数。"),
    "help.avg_dwell_seconds": (
        "Average time per session, weighted by sessions (平均停留时长).",
        "按访客数加权的平均停留时长。",
    ),
    "help.product_view_rate": ("Sessions that viewed a product ÷ sessions.", "浏览商品的访客 ÷ 访客数。"),
    "help.add_to_cart_rate": (
        "Sessions that added to cart ÷ sessions that viewed a product (the previous step in your files).",
        "加购的访客 ÷ 浏览商品的访客（文件中的上一步）。",
    ),
    "help.checkout_rate": (
        "Sessions that started checkout ÷ sessions that added to cart.",
        "开始结算的访客 ÷ 加购的访客。",
    ),
    "help.purchase_rate": ("Sessions that bought ÷ sessions that started checkout.", "支付的访客 ÷ 开始结算的访客。"),
    "help.cart_abandonment_rate": ("1 − purchases ÷ add to cart.", "1 − 支付数 ÷ 加购数。"),
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
    # ---- traffic sources and funnel
    "traffic.scope_note": (
        "Traffic has no category, so on this page the category filter applies to nothing, orders included: "
        "conversion is orders ÷ sessions of the same channels and platforms.",
        "流量数据没有品类，因此本页不使用品类筛选（订单也不按品类筛选）：转化率 = 相同渠道和平台的订单数 ÷ 访客数。",
    ),
    "traffic.empty": (
        "No traffic yet. Drop a traffic export (date, channel, sessions; see docs/data.md) into the data folder.",
        "暂无流量数据。请将流量导出文件（date、channel、sessions，见 docs/data.md）放入 data 文件夹。",
    ),
    "traffic.trend.day": ("Daily sessions by channel", "各渠道每日访客数"),
    "traffic.trend.week": ("Weekly sessions by channel (ISO weeks)", "各渠道每周访客数（按自然周）"),
    "traffic.trend_explain": (
        "{name} brings the most sessions ({share}). A band that thins while the others hold is a channel losing reach: "
        "check its budget, ranking or content before the revenue follows.",
        "{name} 带来最多访客（{share}）。某一色带变窄而其他不变，说明该渠道流量在流失：在销售额下滑前检查预算、排名或内容。",
    ),
    "traffic.shares": ("Share of sessions and of net revenue by channel", "各渠道访客占比与净销售额占比"),
    "traffic.session_share": ("Share of sessions", "访客占比"),
    "traffic.revenue_share": ("Share of net revenue", "净销售额占比"),
    "traffic.shares_explain": (
        "{name} brings {sessions} of sessions but {revenue} of net revenue: look at its landing pages and offer before buying "
        "more of its traffic.",
        "{name} 带来 {sessions} 的访客，却只贡献 {revenue} 的净销售额：加大投放前先检查其落地页和商品。",
    ),
    "traffic.shares_balanced": (
        "Every channel's share of revenue is close to its share of sessions: no channel brings visitors without sales.",
        "各渠道的销售额占比与访客占比接近：没有只带流量不带销售的渠道。",
    ),
    "traffic.channels": ("Channels", "渠道明细"),
    "traffic.channels_explain": (
        "Δ columns: change {cmp}, rates in points. Rows follow sessions; pick a weak channel below to see its sources.",
        "变化列：{cmp}的变化，比率以百分点计。按访客数排序；在下方选择薄弱渠道查看其来源。",
    ),
    "traffic.drill": ("Look inside a channel", "渠道明细下钻"),
    "traffic.drill_pick": ("Channel", "渠道"),
    "traffic.raw_sources": ("Sources as written in the files", "文件中的原始来源"),
    "traffic.raw_explain": (
        "{n} source values map to {name}; a value you expected elsewhere belongs in data/channel_map.csv.",
        "{n} 个原始来源值映射到 {name}；若某个值应归入其他渠道，请写入 data/channel_map.csv。",
    ),
    "traffic.blank_source": ("(no source)", "（无来源）"),
    "traffic.channel_platforms": ("{name} by platform", "{name} 的平台分布"),
    "traffic.channel_platforms_explain": (
        "Sessions of {name} by platform; the platform table below shows how well each platform converts them.",
        "{name} 各平台的访客数；下方平台表格显示各平台的转化情况。",
    ),
    "traffic.platforms": ("Platforms", "平台"),
    "traffic.platforms_explain": (
        "{name} converts best ({rate}); a platform far below it with many sessions is where a better page pays most.",
        "{name} 转化率最高（{rate}）；访客多而转化率远低于它的平台，优化页面的回报最大。",
    ),
    "traffic.movers": ("What moved", "变化最大的渠道"),
    "traffic.mover_sessions": (
        "{name}: sessions {now} {vs} {then} ({change}).",
        "{name}：访客数 {now}，{vs} {then}（{change}）。",
    ),
    "traffic.mover_conversion": (
        "{name}: conversion {now} {vs} {then} ({change}).",
        "{name}：转化率 {now}，{vs} {then}（{change}）。",
    ),
    "traffic.no_movers": ("No channel moved against the comparison period.", "与对比周期相比，没有渠道发生变化。"),
    "traffic.movers_explain": (
        "Channels with at least 2% of sessions. Sessions up with conversion down usually means new, colder traffic.",
        "仅含访客占比不低于 2% 的渠道。访客增加而转化率下降，通常意味着新增流量质量较低。",
    ),
    "traffic.col.channel": ("Channel", "渠道"),
    "traffic.col.platform": ("Platform", "平台"),
    "traffic.col.source": ("Source (raw)", "原始来源"),
    "change_col": ("{name} Δ", "{name} 变化"),
    "funnel.empty": (
        "No traffic yet. Drop a traffic export with the funnel columns (product_views, add_to_cart, checkouts, purchases; "
        "see docs/data.md) into the data folder.",
        "暂无流量数据。请将含漏斗列（product_views、add_to_cart、checkouts、purchases，见 docs/data.md）的流量文件放入 data 文件夹。",
    ),
    "funnel.step.sessions": ("Sessions", "访客"),
    "funnel.step.product_views": ("Product views", "商品浏览"),
    "funnel.step.add_to_cart": ("Add to cart", "加购"),
    "funnel.step.checkouts": ("Checkout", "结算"),
    "funnel.step.purchases": ("Purchase", "支付"),
    "funnel.left_out": (
        "Left out because your traffic files have no value for them in any row: {steps}. "
        "Add the columns to the export to see those steps.",
        "以下步骤因流量文件中所有行都没有该列的值而未显示：{steps}。在导出中加入这些列即可看到。",
    ),
    "funnel.funnel": ("Funnel", "转化漏斗"),
    "funnel.funnel_explain": (
        "{overall} of sessions reach {last}; grey bars are the comparison period. The step with the lowest rate, "
        "{step} ({rate}), is where a fix gains the most.",
        "{overall} 的访客到达{last}；灰色为对比周期。转化最低的一步是{step}（{rate}），优化它收益最大。",
    ),
    "funnel.only_sessions": (
        "Your traffic files carry no funnel step besides sessions, so there is no funnel to draw.",
        "流量文件中除访客数外没有任何漏斗步骤，无法绘制漏斗。",
    ),
    "funnel.by_channel": ("Step rates by channel", "各渠道步骤转化率"),
    "funnel.by_platform": ("Step rates by platform", "各平台步骤转化率"),
    "funnel.by_explain": (
        "Each cell is step ÷ previous step; orange is below the rate of everything in the filters, blue above. "
        "Fix the darkest orange cell of a row first.",
        "每格为 本步 ÷ 上一步；橙色表示低于筛选范围整体水平，蓝色表示高于。每行先修复最深的橙色格。",
    ),
    "funnel.weakest": (
        "Biggest drop-off: {previous} → {step} on {name} converts {rate}, {gap} against the site average ({site}).",
        "最大流失：{name} 的 {previous} → {step} 转化率为 {rate}，较整体平均（{site}）{gap}。",
    ),
    "funnel.no_weakest": (
        "No channel or platform is below the site at any step.",
        "没有渠道或平台在任何一步低于整体水平。",
    ),
    "funnel.abandonment": ("Cart abandonment", "弃购率趋势"),
    "funnel.abandonment_explain": (
        "{rate} of carts are not bought ({change} {vs}). A rise after a price, shipping or payment change points at that change.",
        "{rate} 的加购没有完成支付（{vs} {change}）。在调价、运费或支付方式变更后上升，说明问题出在该变更。",
    ),
    "funnel.no_abandonment": (
        "Cart abandonment needs add_to_cart and purchases in the traffic files.",
        "弃购率需要流量文件中的 add_to_cart 和 purchases 列。",
    ),
    "funnel.conversion": ("Conversion rate", "转化率趋势"),
    "funnel.conversion_explain": (
        "Orders ÷ sessions: {rate}, {change} {vs}. A drop on the same days as a traffic spike is colder traffic, "
        "not a broken shop.",
        "订单数 ÷ 访客数：{rate}，{vs} {change}。若与流量高峰同时下降，多为新增流量质量较低，而非店铺出了问题。",
    ),
    # ---- inventory risk
    "help.skus_out_of_stock": ("SKUs of the latest snapshot with on hand ≤ 0.", "最新快照中现有库存 ≤ 0 的SKU数。"),
    "help.skus_reorder_now": (
        "SKUs whose on hand + on order ≤ reorder point and that sell (d > 0).",
        "现有库存 + 在途 ≤ 再订货点且有销量（d > 0）的SKU数。",
    ),
    "help.skus_overstock": ("SKUs with more than 90 days of cover.", "可售天数超过 90 天的SKU数。"),
    "help.skus_dead_stock": (
        "SKUs in stock with no sales in the last 90 days, first seen at least 90 days ago.",
        "有库存、近 90 天无销量且首次出现已满 90 天的SKU数。",
    ),
    "help.inventory_value": (
        "Σ on hand × unit cost (SKUs with a unit cost).",
        "Σ 现有库存 × 单位成本（有成本的SKU）。",
    ),
    "help.excess_stock_value": (
        "Inventory value of overstock and dead-stock SKUs: cash tied up.",
        "积压与滞销SKU的库存金额：被占用的资金。",
    ),
    "help.stockout_lost_revenue": (
        "Σ over stock-out days in the period of (average daily units on in-stock days of the 28 days before the "
        "stock-out × average net price per unit over the last 365 days).",
        "本期每个缺货日的（缺货前 28 天内有货日的日均销量 × 近 365 天平均单件净售价）之和。",
    ),
    "inventory.empty": (
        "No inventory data yet: drop an inventory file (snapshot_date, sku, on_hand) into data/.",
        "还没有库存数据：请把库存文件（snapshot_date、sku、on_hand）放入 data/ 文件夹。",
    ),
    "inventory.no_snapshot": (
        "No inventory snapshot on or before {end}: pick a later period.",
        "{end} 及之前没有库存快照：请选择更晚的时间段。",
    ),
    "inventory.no_skus": (
        "No SKU of the latest snapshot is in the selected categories.",
        "最新快照中没有属于所选品类的SKU。",
    ),
    "inventory.computing": ("Computing stock risk…", "正在计算库存风险…"),
    "inventory.category_note": (
        "Only SKUs of the selected categories are shown; ABC classes still rank the whole snapshot.",
        "仅显示所选品类的SKU；ABC 分类仍按整个快照排名。",
    ),
    "inventory.channel_note": (
        "Stock serves every channel and platform: their filters do not apply on this page.",
        "库存供所有渠道和平台共用：渠道和平台筛选不适用于本页。",
    ),
    "inventory.policy": ("Reorder policy", "补货策略"),
    "inventory.service_level": ("Service level", "服务水平"),
    "inventory.service_level_help": (
        "Chance of not running out during the lead time; sets Z for the safety stock (95% → 1.645).",
        "补货周期内不缺货的概率；决定安全库存中的 Z 值（95% → 1.645）。",
    ),
    "inventory.lead_time": ("Default lead time (days)", "默认补货周期（天）"),
    "inventory.lead_time_help": (
        "Used for SKUs whose inventory rows have no lead_time_days.",
        "用于库存行中没有 lead_time_days 的SKU。",
    ),
    "inventory.as_of": (
        "Stock as of the snapshot of {date}; demand d and σ from the 28 days ending it. "
        "Service level {level} (Z = {z}), default lead time {lt}.",
        "库存取自 {date} 的快照；日均销量 d 与标准差 σ 取截至当天的 28 天。服务水平 {level}（Z = {z}），默认补货周期 {lt}。",
    ),
    "inventory.cards_explain": (
        "Counts and values as of {date} (deltas against the snapshot of {then}). "
        "Lost to stock-outs: {days} stock-out days of {skus} SKUs in the period, each priced at the SKU's average "
        "daily units before it ran out × its average net price.",
        "数量与金额截至 {date}（变化对比 {then} 的快照）。缺货损失：本期 {skus} 个SKU共 {days} 个缺货日，"
        "每天按该SKU缺货前的日均销量 × 平均净售价估算。",
    ),
    "inventory.uncosted": (
        "{n} SKUs have no unit_cost and are left out of the inventory value.",
        "{n} 个SKU没有 unit_cost，未计入库存金额。",
    ),
    "inventory.lost_unpriced": ("no sales to price it", "缺少可估算的销量"),
    "inventory.no_lead_time": (
        "The inventory files have no lead_time_days: every SKU uses the default lead time of {days}.",
        "库存文件中没有 lead_time_days：所有SKU都使用默认补货周期 {days}。",
    ),
    "inventory.some_lead_time": (
        "{n} SKUs have no lead_time_days and use the default of {days} (marked “default”).",
        "{n} 个SKU没有 lead_time_days，使用默认的 {days}（标为“默认”）。",
    ),
    "inventory.no_min_order_qty": (
        "The inventory files have no min_order_qty: suggested orders are not rounded to order multiples.",
        "库存文件中没有 min_order_qty：建议补货量未按起订倍数取整。",
    ),
    "inventory.table": ("SKUs by urgency", "SKU 紧急程度排序"),
    "inventory.filter_category": ("Category", "品类"),
    "inventory.filter_abc": ("ABC class", "ABC 分类"),
    "inventory.filter_status": ("Status", "状态"),
    "inventory.table_explain": (
        "{n} of {total} SKUs, most urgent first. {reorder} need an order today; {trending} are trending "
        "(▲: last 7 days ≥ +50% over the 28 before) — candidates for presale or extra stock before a promotion.",
        "共 {total} 个SKU，显示 {n} 个，最紧急的在前。{reorder} 个需今天下单；{trending} 个销量上升"
        "（▲：近 7 天比之前 28 天日均 ≥ +50%）——可考虑预售或在大促前加备货。",
    ),
    "inventory.default_marker": ("{value} (default)", "{value}（默认）"),
    "inventory.col.sku": ("SKU", "SKU"),
    "inventory.col.product": ("Product", "商品"),
    "inventory.col.category": ("Category", "品类"),
    "inventory.col.abc": ("ABC", "ABC"),
    "inventory.col.status": ("Status", "状态"),
    "inventory.col.trend": ("Trend (7 d)", "趋势（7天）"),
    "inventory.col.on_hand": ("On hand", "现有库存"),
    "inventory.col.on_order": ("On order", "在途"),
    "inventory.col.avg_daily_units": ("Avg daily units", "日均销量"),
    "inventory.col.sd_daily_units": ("σ daily units", "日销量标准差"),
    "inventory.col.lead_time": ("Lead time", "补货周期"),
    "inventory.col.days_of_cover": ("Days of cover", "可售天数"),
    "inventory.col.safety_stock": ("Safety stock", "安全库存"),
    "inventory.col.reorder_point": ("Reorder point", "再订货点"),
    "inventory.col.stockout_probability": ("Stock-out probability", "缺货概率"),
    "inventory.col.suggested_order_qty": ("Suggested order", "建议补货量"),
    "inventory.col.min_order_qty": ("Min order qty", "起订量"),
    "inventory.col.net_revenue_90d": ("Net revenue (90 d)", "净销售额（90天）"),
    "inventory.col.inventory_value": ("Inventory value", "库存金额"),
    "inventory.help.days_of_cover": (
        "On hand ÷ d; “—” when the SKU did not sell in 28 days.",
        "现有库存 ÷ d；28 天无销量时为“—”。",
    ),
    "inventory.help.safety_stock": ("Z · σ · √lead time.", "Z · σ · √补货周期。"),
    "inventory.help.reorder_point": ("d · lead time + safety stock.", "d · 补货周期 + 安全库存。"),
    "inventory.help.lead_time": (
        "lead_time_days of the snapshot, else the default lead time.",
        "快照中的 lead_time_days，缺失时用默认补货周期。",
    ),
    "inventory.help.net_revenue_90d": (
        "Net revenue of paid lines in the 90 days ending the snapshot.",
        "截至快照日 90 天内已支付订单行的净销售额。",
    ),
    "inventory.help.inventory_value": ("On hand × unit cost.", "现有库存 × 单位成本。"),
    "inventory.help.trend": (
        "Daily units of the last 7 days against the daily average of the 28 before; ▲ from +50%.",
        "近 7 天日均销量对比之前 28 天的日均；≥ +50% 标 ▲。",
    ),
    "inventory.help.suggested_order_qty": (
        "⌈reorder point + 7 · d − on hand − on order⌉, at least 0, rounded up to a multiple of min_order_qty.",
        "⌈再订货点 + 7 · d − 现有库存 − 在途⌉，至少为 0，按起订量倍数向上取整。",
    ),
    "inventory.help.abc": (
        "By net revenue of the last 90 days: A while the share ranked before the SKU is under 80%, B under 95%, else C.",
        "按近 90 天净销售额：排在其前的累计占比 < 80% 为 A，< 95% 为 B，其余为 C。",
    ),
    "inventory.status.out_of_stock": ("Out of stock", "缺货"),
    "inventory.status.reorder_now": ("Reorder now", "需补货"),
    "inventory.status.dead_stock": ("Dead stock", "滞销"),
    "inventory.status.overstock": ("Overstock", "积压"),
    "inventory.status.healthy": ("Healthy", "正常"),
    "inventory.cover": ("Days of cover against revenue", "可售天数与销售额"),
    "inventory.cover_explain": (
        "Right of the dotted line ({days}) stock outlasts demand: {n} overstock or dead-stock SKUs hold {value} — "
        "clear them with a promotion or bundle. {hidden} SKUs without sales in 28 days have no days of cover and are "
        "not drawn.",
        "虚线（{days}）右侧的库存远超需求：{n} 个积压或滞销SKU占用 {value}——可通过促销或组合清理。"
        "{hidden} 个SKU近 28 天无销量，没有可售天数，未画出。",
    ),
    "inventory.at_risk": ("Likeliest to run out within the lead time", "补货周期内最可能缺货的SKU"),
    "inventory.at_risk_explain": (
        "1 − Φ((on hand + on order − d · lead time) ÷ (σ · √lead time)); lead time per SKU, else {lt}. "
        "Above {risk} (1 − service level) a SKU is at or below its reorder point: order now. Colours show the status.",
        "1 − Φ((现有库存 + 在途 − d · 补货周期) ÷ (σ · √补货周期))；补货周期按SKU，缺失时为 {lt}。"
        "高于 {risk}（1 − 服务水平）即已不高于再订货点：应立即下单。颜色表示库存状态。",
    ),
    "inventory.no_risk": (
        "No SKU is likely to run out within its lead time.",
        "没有SKU在补货周期内可能缺货。",
    ),
    "inventory.detail": ("One SKU: sales, stock and the next 30 days", "单个SKU：销量、库存与未来 30 天"),
    "inventory.detail_pick": ("SKU", "SKU"),
    "inventory.detail_runway": (
        "{status}: at {d} a day, on hand reaches the reorder point ({rop}) in {days}, around {date}; "
        "safety stock {ss}. Goods on order are not in the projection (no arrival date).",
        "{status}：按每天 {d} 件，现有库存约 {days} 后（{date} 前后）降到再订货点（{rop}）；安全库存 {ss}。"
        "在途货物没有到货日期，未计入预测。",
    ),
    "inventory.detail_below": (
        "{status}: on hand is at or below the reorder point ({rop}; safety stock {ss}) at {d} a day — "
        "suggested order {qty}.",
        "{status}：现有库存已不高于再订货点（{rop}；安全库存 {ss}），日均销量 {d}——建议补货 {qty}。",
    ),
    "inventory.detail_out": (
        "{status}: nothing on hand; it sold {d} a day over the last 28 days — suggested order {qty}.",
        "{status}：已无现货；近 28 天日均销量 {d}——建议补货 {qty}。",
    ),
    "inventory.detail_no_sales": (
        "{status}: no sales in the last 28 days, so stock does not move (reorder point {rop}).",
        "{status}：近 28 天无销量，库存不会减少（再订货点 {rop}）。",
    ),
    # ---- weekly review
    "review.mode": ("Review", "复盘范围"),
    "review.mode.week": ("Week", "按周"),
    "review.mode.month": ("Month", "按月"),
    "review.week": ("ISO week (Mon–Sun)", "ISO 周（周一至周日）"),
    "review.month": ("Month", "月份"),
    "review.compare": ("Explain the change against", "变化对比基准"),
    "review.compare.previous.week": ("Previous week", "上周"),
    "review.compare.previous.month": ("Previous period", "上一周期"),
    "review.compare.yoy.week": ("Same week last year", "去年同周"),
    "review.compare.yoy.month": ("Same period last year", "去年同期"),
    "review.period_line": (
        "{label}: {start} – {end}. Whole store: the sidebar's period and filters do not apply here. "
        "Data through {data_end}.",
        "{label}：{start} 至 {end}。全店口径：侧边栏的日期和筛选不适用于本页。数据截至 {data_end}。",
    ),
    "review.partial": (
        "The month is not over in the data: it is reviewed to date (through {end}).",
        "数据中该月尚未结束：按月至今复盘（截至 {end}）。",
    ),
    "review.no_data": (
        "No orders, traffic or ad spend yet: nothing to review. Drop an orders file into the data folder.",
        "暂无订单、流量或广告数据，无法复盘。请将订单文件放入 data 文件夹。",
    ),
    "review.summary": ("Summary", "总结"),
    "review.actions": ("Suggested actions", "建议行动"),
    "review.headline": ("Headline numbers", "核心指标"),
    "review.cards_explain": (
        "Cards compare with {cmp} ({cstart} – {cend}); the table beside shows both comparisons.",
        "卡片对比{cmp}（{cstart} 至 {cend}）；表格同时列出两种对比。",
    ),
    "review.col.metric": ("Metric", "指标"),
    "review.col.now": ("This {unit}", "本{unit}"),
    "review.col.previous": ("Previous", "上期"),
    "review.col.yoy": ("Last year", "去年同期"),
    "review.col.vs_previous": ("vs previous", "环比"),
    "review.col.vs_yoy": ("vs last year", "同比"),
    "review.unit.week": ("week", "周"),
    "review.unit.month": ("period", "期"),
    "review.daily": ("Day by day", "每日走势"),
    "review.daily_explain": (
        "Net revenue per day against {cmp} (dashed); ringed days are anomalies (see below).",
        "每日净销售额，对比{cmp}（虚线）；圈出的日期为异常日（见下文）。",
    ),
    "review.anomaly_marker": ("Anomaly", "异常"),
    "review.targets": ("Month target and pace", "月度目标与进度"),
    "review.no_targets_file": (
        "Needs data/targets.csv (rows like `{month},net_revenue,1200000`) to show targets and pacing.",
        "需要 data/targets.csv（如 `{month},net_revenue,1200000` 的行）才能显示目标与进度。",
    ),
    "review.targets_explain": (
        "Month to date through {end}; the grey marker is straight-line pace ({elapsed} of {month} elapsed). "
        "Projected = month to date ÷ elapsed share.",
        "本月至今（截至 {end}）；灰色标记为线性进度（{month} 已过 {elapsed}）。预计全月 = 本月至今 ÷ 时间进度。",
    ),
    "review.target_line": (
        "{pace}; projected {projected}",
        "{pace}；预计全月 {projected}",
    ),
    "review.on_pace": ("on pace", "进度正常"),
    "review.behind_pace": ("behind pace", "落后于进度"),
    "review.drivers": ("What drove the change", "变化从何而来"),
    "review.by": ("Net revenue change by", "净销售额变化拆解维度"),
    "review.dim.channel": ("Channel", "渠道"),
    "review.dim.platform": ("Platform", "平台"),
    "review.dim.category": ("Category", "品类"),
    "review.dim.campaign": ("Campaign", "活动"),
    "review.dim.sku": ("SKU", "SKU"),
    "review.others": ("{n} others", "其他 {n} 项"),
    "review.no_campaign": ("(no campaign)", "（无活动）"),
    "review.waterfall_explain": (
        "From {then} ({cmp}) to {now}: each bar is one {dim}'s change in net revenue; the bars add up exactly to {change}.",
        "从 {then}（{cmp}）到 {now}：每根柱为一个{dim}的净销售额变化，合计恰好等于 {change}。",
    ),
    "review.factor.traffic": ("Traffic (sessions)", "流量（访客数）"),
    "review.factor.conversion": ("Conversion rate", "转化率"),
    "review.factor.aov": ("AOV", "平均订单价"),
    "review.factors_explain": (
        "Net revenue = sessions × conversion × AOV. Each factor's effect is its Shapley share: its effect averaged "
        "over the six orders of changing the three factors one at a time, so the three add up exactly to the change.",
        "净销售额 = 访客数 × 转化率 × 平均订单价。各因素的贡献按 Shapley 方法计算：依次改变三个因素的六种顺序下该因素效应的平均值，"
        "三者之和恰好等于总变化。",
    ),
    "review.factors_missing": (
        "Traffic × conversion × AOV needs orders.csv and traffic.csv, with sessions in both periods.",
        "流量 × 转化 × 客单拆解需要 orders.csv 和 traffic.csv，且两期都有访客数。",
    ),
    "review.now": ("This {unit}", "本{unit}"),
    "review.anomalies": ("Anomalies", "异常"),
    "review.anomaly_rule": (
        "Rule: a day is an anomaly when its net revenue, sessions, conversion rate or ad spend falls outside the "
        "range (lowest..highest) of the same weekday in the previous 8 weeks; days with fewer than 4 of those "
        "weeks in the data are not judged.",
        "规则：某天的净销售额、访客数、转化率或广告花费超出前 8 周同一星期几的范围（最低..最高），即为异常；"
        "这 8 周中有数据的少于 4 周时不作判断。",
    ),
    "review.no_anomalies": ("No day fell outside its usual range.", "没有超出常规范围的日子。"),
    "review.col.day": ("Day", "日期"),
    "review.col.value": ("Value", "数值"),
    "review.col.range": ("Usual range (8 weeks)", "常规范围（8 周）"),
    "review.col.direction": ("Direction", "方向"),
    "review.high": ("above range", "高于范围"),
    "review.low": ("below range", "低于范围"),
    "review.movers": ("Top movers", "变化最大"),
    "review.movers_explain": (
        "Biggest gains and losses of net revenue against {cmp}; spend is ad spend in the same {unit}.",
        "相对{cmp}净销售额增减最多的项；花费为本{unit}广告花费。",
    ),
    "review.col.name": ("Name", "名称"),
    "review.col.change": ("Change", "变化"),
    "review.col.change_pct": ("Change %", "变化率"),
    "review.col.spend": ("Ad spend", "广告花费"),
    "review.col.spend_change": ("Spend change", "花费变化"),
    "review.no_movers": ("Nothing moved.", "没有变化。"),
    "review.inventory": ("Inventory alerts", "库存预警"),
    "review.needs_file": ("Needs {file}: {what}.", "需要 {file}：{what}。"),
    "review.inventory_what": ("stock-outs, reorders and trending SKUs", "缺货、补货与热销 SKU"),
    "review.new_stockouts": ("New stock-outs this {unit}", "本{unit}新增缺货"),
    "review.to_reorder": ("SKUs to reorder", "需补货 SKU"),
    "review.trending": ("Trending SKUs", "销量走高 SKU"),
    "review.inventory_explain": (
        "As of the snapshot of {date} (storeops inventory rules). New stock-out: in stock on the last snapshot "
        "before the {unit}, out (on hand ≤ 0) on a snapshot in it. Trending: last 7 days ≥ +50% over the 28 before.",
        "基于 {date} 的库存快照（与库存风险页同一规则）。新增缺货：本{unit}之前最后一次快照有货、本{unit}内某次快照现有库存 ≤ 0。"
        "销量走高：近 7 天日均比之前 28 天高 50% 以上。",
    ),
    "review.col.sku": ("SKU", "SKU"),
    "review.col.product": ("Product", "商品"),
    "review.col.first_out": ("Out since", "缺货起始"),
    "review.col.on_hand": ("On hand", "现有库存"),
    "review.col.cover": ("Days of cover", "可售天数"),
    "review.col.order_qty": ("Suggested order", "建议补货量"),
    "review.col.trend": ("Last 7 days vs 28 before", "近7天较前28天"),
    "review.none": ("None.", "无。"),
    "review.members": ("Member movement", "会员变动"),
    "review.members_what": ("new members, tier upgrades and churn risk", "新会员、等级升级与流失风险"),
    "review.m.new_members": ("New members", "新增会员"),
    "review.m.upgrades": ("Tier upgrades", "等级升级"),
    "review.m.downgrades": ("Tier downgrades", "等级降级"),
    "review.m.churn_risk": ("At risk of churning (silent)", "流失风险（沉睡）"),
    "review.m.churned": ("Churned", "流失"),
    "review.members_note.tier": (
        "New members joined in the {unit}; tier moves compare each member's tier the day before the {unit} with "
        "its end; silent = {active} to under {silent} days since the last paid order, churned = {silent} days or more (Members page rules).",
        "新增会员：本{unit}入会；等级变动：本{unit}前一天与期末的等级对比；沉睡：距最近一次支付订单 {active} 至 {silent} 天（不含），"
        "流失：{silent} 天及以上（与会员分析页同一规则）。",
    ),
    "review.members_note.spend": (
        "New members joined in the {unit}; members.csv gives today's tier only, so tier moves are read from the "
        "tiers by 365-day spend (the day before the {unit} against its end); silent = {active} to under {silent} days "
        "since the last paid order, churned = {silent} days or more (Members page rules).",
        "新增会员：本{unit}入会；members.csv 只有当前等级，因此等级变动按近 365 天消费推算的等级对比（本{unit}前一天与期末）；"
        "沉睡：距最近一次支付订单 {active} 至 {silent} 天（不含），流失：{silent} 天及以上（与会员分析页同一规则）。",
    ),
    "review.needs_orders": (
        "Needs orders.csv: net revenue, its daily trend and what drove it.",
        "需要 orders.csv：净销售额、每日走势及变化拆解。",
    ),
    "review.download_html": ("Download report (HTML)", "下载报告（HTML）"),
    "review.make_pdf": ("Prepare PDF report", "生成 PDF 报告"),
    "review.download_pdf": ("Download report (PDF)", "下载报告（PDF）"),
    "review.making_pdf": ("Printing the report to PDF…", "正在生成 PDF…"),
    "review.pdf_failed": (
        "The PDF could not be made here ({error}); download the HTML and print it.",
        "无法在此生成 PDF（{error}）；请下载 HTML 后打印。",
    ),
    "review.export_explain": (
        "The report holds the numbers of this page; the HTML works offline and prints to A4. Command line: {command}",
        "报告与本页数字一致；HTML 可离线打开并打印为 A4。命令行：{command}",
    ),
    "review.building": ("Building the review…", "正在生成复盘…"),
    "review.report_title": ("Weekly review {label}", "周复盘 {label}"),
    "review.report_title_month": ("Monthly review {label}", "月度复盘 {label}"),
    "review.generated": (
        "Generated by storeops from data through {data_end}.",
        "由 storeops 生成，数据截至 {data_end}。",
    ),
    # summary sentences (review.summary_lines)
    "review.s_revenue": (
        "Net revenue was {revenue} in {label}, {prev} vs the previous {unit} and {yoy} vs the same {unit} last year.",
        "本{unit}（{label}）净销售额 {revenue}，环比 {prev}，同比 {yoy}。",
    ),
    "review.s_driver": (
        "Against the {cmp}, the change ({change}) came mostly from {name} ({part}){spend}.",
        "相对{cmp}的变化（{change}）主要来自{name}（{part}）{spend}。",
    ),
    "review.s_spend_up": (", whose ad spend rose {pct}", "，其花费增加 {pct}"),
    "review.s_spend_down": (", whose ad spend fell {pct}", "，其花费减少 {pct}"),
    "review.s_dims": (
        "By platform the largest move was {platform} ({pc}); by category, {category} ({cc}).",
        "按平台看变化最大的是{platform}（{pc}）；按品类看是{category}（{cc}）。",
    ),
    "review.s_factors": (
        "Sessions {sessions} ({sd}), conversion {conversion} ({cpp}), AOV {aov} ({ad}): traffic accounts for {t}, "
        "conversion for {c} and AOV for {a}.",
        "访客数 {sessions}（{sd}），转化率 {conversion}（{cpp}），平均订单价 {aov}（{ad}）：流量贡献 {t}，转化贡献 {c}，"
        "客单贡献 {a}。",
    ),
    "review.s_target_hit": (
        "The {month} target was reached: {actual}, {progress} of target.",
        "{month}目标已完成：{actual}，达成 {progress}。",
    ),
    "review.s_target_missed": (
        "The {month} target was missed: {actual}, {progress} of target.",
        "{month}目标未完成：{actual}，达成 {progress}。",
    ),
    "review.target_hit": ("target reached", "目标已完成"),
    "review.target_missed": ("target missed", "目标未完成"),
    "review.s_target_on": (
        "Month to date {actual} is {progress} of the {month} target with {elapsed} of the month gone: on pace "
        "(projected {projected}).",
        "本月至今 {actual}，完成{month}目标的 {progress}，时间进度 {elapsed}：进度正常（预计全月 {projected}）。",
    ),
    "review.s_target_behind": (
        "Month to date {actual} is {progress} of the {month} target with {elapsed} of the month gone: behind pace "
        "(projected {projected}).",
        "本月至今 {actual}，完成{month}目标的 {progress}，时间进度 {elapsed}：落后于进度（预计全月 {projected}）。",
    ),
    "review.s_anomalies": ("Anomalies ({n}): {items}.", "{n} 个异常：{items}。"),
    "review.s_more": (" and {n} more", "，另有 {n} 个"),
    "review.s_anomaly_item": ("{metric} on {day} {direction} ({value})", "{day} {metric}{direction}（{value}）"),
    "review.s_inventory": (
        "{new} SKUs ran out of stock this {unit}; {reorder} need reordering and {trending} are trending up.",
        "本{unit}新增缺货 SKU {new} 个；需补货 {reorder} 个，销量走高 {trending} 个。",
    ),
    "review.s_members": (
        "{new} new members joined; {upgrades} moved up a tier and {downgrades} down; {churn} customers are silent "
        "and at risk of churning ({change} this {unit}).",
        "新增会员 {new} 人；升级 {upgrades} 人、降级 {downgrades} 人；沉睡（有流失风险）客户 {churn} 人（本{unit} {change}）。",
    ),
    "review.s_missing": ("Not covered (no {files}): {what}.", "未涵盖（缺少 {files}）：{what}。"),
    # suggested actions
    "review.a_budget": (
        "Review the {name} budget: spend {spend}, net revenue {part}.",
        "复核{name}预算：花费 {spend}，净销售额 {part}。",
    ),
    "review.a_channel": ("Find out why {name} fell ({part}) and fix it first.", "优先查明{name}下滑原因（{part}）。"),
    "review.a_conversion": (
        "Check the funnel (Conversion funnel page): conversion moved {cpp}.",
        "检查转化漏斗（转化漏斗页）：转化率变化 {cpp}。",
    ),
    "review.a_traffic": ("Win traffic back: sessions {sd}.", "找回流量：访客数 {sd}。"),
    "review.a_target": (
        "To reach the {month} target, sell {needed} a day for the remaining {days} days.",
        "要完成{month}目标，剩余 {days} 天需日均 {needed}。",
    ),
    "review.a_reorder": (
        "Place the {n} suggested reorders (Inventory risk page), starting with {skus}.",
        "下达 {n} 个补货建议（库存风险页），优先 {skus}。",
    ),
    "review.a_anomaly": (
        "Look into {day}: {metric} was {value}, outside its usual {low} – {high}.",
        "排查 {day}：{metric}为 {value}，超出常规范围 {low} – {high}。",
    ),
    "review.a_churn": (
        "Silent customers grew by {change} to {n}: send a win-back offer (Members page, lifecycle).",
        "沉睡客户增加 {change} 人至 {n} 人：发送召回优惠（会员分析页，生命周期）。",
    ),
    "review.a_none": ("Nothing needs urgent action: keep the plan.", "暂无紧急事项：按计划推进。"),
    # ---- channel ROI
    "help.impressions": ("Σ impressions from the ad_spend table.", "广告花费表中的展现量之和。"),
    "help.clicks": ("Σ clicks from the ad_spend table.", "广告花费表中的点击量之和。"),
    "help.ctr": ("Clicks ÷ impressions.", "点击量 ÷ 展现量。"),
    "help.cpc": ("Spend ÷ clicks.", "花费 ÷ 点击量。"),
    "help.cpm": ("Spend ÷ impressions × 1000.", "花费 ÷ 展现量 × 1000。"),
    "help.attributed_orders": (
        "Orders (≥ 1 paid line) whose recorded channel is this one.",
        "订单上记录的渠道为该渠道的订单数（至少一行已支付）。",
    ),
    "help.attributed_revenue": (
        "Net revenue of the orders that carry the channel; on the card, of the channels with ad spend in the period.",
        "订单上记录该渠道的净销售额；卡片中为本期有广告花费的渠道合计。",
    ),
    "help.attributed_new_customers": (
        "New customers whose first-ever paid order carries the channel.",
        "首次支付订单记录为该渠道的新客数。",
    ),
    "help.roas": ("Attributed net revenue ÷ spend.", "归因净销售额 ÷ 花费。"),
    "help.platform_roas": (
        "Conversion value claimed by the ad platform ÷ spend; shown beside ROAS, never mixed with it.",
        "广告平台报告的转化金额 ÷ 花费；与 ROAS 并列展示，不混用。",
    ),
    "help.cpa": ("Spend ÷ attributed orders.", "花费 ÷ 归因订单数。"),
    "help.cac": ("Spend ÷ attributed new customers.", "花费 ÷ 归因新客数。"),
    "help.roi": ("(Attributed gross profit − spend) ÷ spend.", "（归因毛利 − 花费）÷ 花费。"),
    "help.break_even_roas": (
        "1 ÷ gross margin (gross profit ÷ net revenue): the ROAS at which gross profit just pays for the ads.",
        "1 ÷ 毛利率（毛利 ÷ 净销售额）：毛利恰好覆盖广告花费时的 ROAS。",
    ),
    "help.spend_share": ("The channel's spend ÷ all spend.", "该渠道花费 ÷ 总花费。"),
    "help.revenue_share": ("The channel's net revenue ÷ all net revenue.", "该渠道净销售额 ÷ 总净销售额。"),
    "roi.empty": (
        "No ad spend yet. Drop an ad_spend export (date, channel, spend; see docs/data.md) into the data folder.",
        "暂无广告花费数据。请将广告花费导出文件（date、channel、spend，见 docs/data.md）放入 data 文件夹。",
    ),
    "roi.no_orders": (
        "No orders yet: nothing can be attributed to the channels. Drop an orders file into the data folder.",
        "暂无订单数据：无法把销售归因到渠道。请将订单文件放入 data 文件夹。",
    ),
    "roi.scope_note": (
        "Ad spend has no category, so on this page the category filter applies to nothing, orders included: "
        "ROAS divides the revenue and the spend of the same channels and platforms.",
        "广告花费没有品类，因此本页不使用品类筛选（订单也不按品类筛选）：ROAS = 相同渠道和平台的销售额 ÷ 花费。",
    ),
    "roi.missing_columns": (
        "Your ad_spend files have no {columns} column: {measures} show — .",
        "广告花费文件中没有 {columns} 列：{measures} 显示为 —。",
    ),
    "roi.platform_note": (
        "Your ad_spend files name no platform, so a platform filter leaves no spend: "
        "clear the platform filter to compare spend with revenue.",
        "广告花费文件中没有平台信息，按平台筛选后没有花费：请清除平台筛选以对比花费与销售额。",
    ),
    "roi.reason.costs": ("unit costs missing for > 5% of revenue", "超过 5% 的销售额缺少成本"),
    "roi.reason.no_spend": ("no ad spend in the period", "本期没有广告花费"),
    "roi.cards_explain": (
        "ROAS and ROI count the orders of the {n} channels with ad spend (the channel recorded on the order); "
        "MER divides all net revenue, paid or not, by all spend. Break-even ROAS is the store's: 1 ÷ gross margin.",
        "ROAS 和 ROI 只计入 {n} 个有广告花费渠道的订单（以订单上记录的渠道归因）；"
        "MER 为全部净销售额 ÷ 全部花费。保本投产比按全店毛利率计算：1 ÷ 毛利率。",
    ),
    "roi.channels": ("Channels: spend and what it brought back", "各渠道花费与回报"),
    "roi.col.channel": ("Channel", "渠道"),
    "roi.col.campaign": ("Campaign", "推广计划"),
    "roi.mark": ("⚠ {name}", "⚠ {name}"),
    "roi.flag": ("∅ {name}", "∅ {name}"),
    "roi.channels_explain": (
        "Changes are {cmp}. ⚠ marks a channel below its break-even ROAS: its gross profit does not pay for its "
        "ads ({n} of them). Orders, revenue and new customers are those recorded on the order.",
        "变化为{cmp}。⚠ 表示低于保本投产比的渠道：毛利不足以覆盖广告花费（共 {n} 个）。"
        "订单、销售额和新客均按订单上记录的渠道归因。",
    ),
    "roi.shares": ("Share of spend beside share of revenue", "花费占比与销售额占比"),
    "roi.shares_explain": (
        "{name} takes {spend} of the spend for {revenue} of the revenue, the largest gap; "
        "channels without spend carry the rest of the revenue.",
        "{name}占 {spend} 的花费，只带来 {revenue} 的销售额，差距最大；其余销售额来自没有花费的渠道。",
    ),
    "roi.shares_balanced": (
        "Every paid channel brings at least its share of spend in revenue.",
        "每个付费渠道带来的销售额占比都不低于其花费占比。",
    ),
    "roi.bubble": ("ROAS against spend", "ROAS 与花费"),
    "roi.bubble_explain": (
        "Bubble size is attributed revenue. Below the dashed line (the store's break-even ROAS) a channel loses "
        "money on its ads; the largest loss is {name} (ROAS {roas}).",
        "气泡大小为归因销售额。虚线（全店保本投产比）以下的渠道广告亏钱；亏损最大的是{name}（ROAS {roas}）。",
    ),
    "roi.bubble_all_above": (
        "Bubble size is attributed revenue. Every paid channel is above the dashed break-even line.",
        "气泡大小为归因销售额。所有付费渠道都在保本线之上。",
    ),
    "roi.bubble_unknown": (
        "Bubble size is attributed revenue. No break-even line: unit costs are missing for > 5% of revenue.",
        "气泡大小为归因销售额。超过 5% 的销售额缺少成本，无法画出保本线。",
    ),
    "roi.channels_explain_none": (
        "Changes are {cmp}. Orders, revenue and new customers are those recorded on the order; "
        "no channel is marked below break-even.",
        "变化为{cmp}。订单、销售额和新客均按订单上记录的渠道归因；没有渠道低于保本投产比。",
    ),
    "roi.no_paid": ("No channel has ad spend in this period.", "本期没有渠道产生广告花费。"),
    "chart.break_even": ("Break-even", "保本线"),
    "roi.gap": ("What the ad platforms claim against what the store recorded", "广告平台报告与店铺记录对比"),
    "roi.recorded_roas": ("ROAS (store orders)", "ROAS（店铺订单）"),
    "roi.gap_explain": (
        "{name}'s platform claims ROAS {claimed}, {times}× the {recorded} its orders show. Platforms count view-through "
        "and cross-device conversions and share credit; budget on the store's numbers.",
        "{name}平台报告 ROAS {claimed}，是订单实际 {recorded} 的 {times} 倍。平台会计入浏览转化和跨设备转化，"
        "且多个平台重复归因；预算请以店铺数据为准。",
    ),
    "roi.gap_close": (
        "The platforms' claims are close to what the store recorded.",
        "各广告平台报告与店铺记录基本一致。",
    ),
    "roi.gap_missing": (
        "Platform ROAS needs the conversion_value column of ad_spend, which your files do not have.",
        "平台 ROAS 需要广告花费表的 conversion_value 列，当前文件中没有。",
    ),
    "roi.weekly": ("Weekly ROAS per channel", "各渠道每周 ROAS"),
    "roi.weekly_explain": (
        "ISO weeks (Monday–Sunday); edge weeks only hold the days inside the period. A line that falls below the "
        "break-even line and stays there is a channel to cut back before the month closes.",
        "按自然周（周一至周日）；首尾两周只含所选期间内的天数。持续跌破保本线的渠道应在月底前削减预算。",
    ),
    "roi.drill": ("Campaigns of one channel", "渠道推广计划下钻"),
    "roi.drill_pick": ("Channel", "渠道"),
    "roi.attribution_campaign": (
        "How campaigns are credited: an order counts for the campaign recorded on it (the orders file's campaign "
        "column), within its channel, names matched exactly as written. Orders without a campaign show as "
        '"{none}"; ∅ marks a campaign that spent in the period and has no attributed order.',
        "推广计划的归因方式：订单计入其上记录的推广计划（订单文件的 campaign 列），限于同一渠道，名称需完全一致。"
        "没有推广计划的订单显示为「{none}」；∅ 表示本期有花费但没有归因订单的计划。",
    ),
    "roi.attribution_none": (
        "Your orders files have no campaign column, so the store cannot credit an order to a campaign: "
        "spend, clicks and the platform's claims are shown per campaign, attributed measures are — .",
        "订单文件中没有 campaign 列，无法把订单归因到推广计划：这里按计划展示花费、点击和平台报告，归因指标显示为 —。",
    ),
    "roi.no_campaign": ("(no campaign)", "（无推广计划）"),
    "roi.drill_explain": (
        "Campaigns: {n}; {flagged} of them spent {spend} with no attributed order in the period.",
        "共 {n} 个推广计划；其中 {flagged} 个本期花费 {spend} 但没有归因订单。",
    ),
    "roi.drill_explain_ok": (
        "Campaigns: {n}; every one that spent has at least one attributed order.",
        "共 {n} 个推广计划；每个有花费的计划都有归因订单。",
    ),
    "roi.drill_explain_none": ("Campaigns with spend in the period: {n}.", "本期有花费的推广计划：{n} 个。"),
    "roi.drill_chart_explain": (
        "Campaign ROAS, best first; below {break_even} (the store's break-even) a campaign loses money.",
        "各推广计划 ROAS，从高到低；低于 {break_even}（全店保本投产比）即亏损。",
    ),
    "roi.whatif": ("Budget what-if", "预算模拟"),
    "roi.whatif_from": ("Move budget from", "从此渠道调出"),
    "roi.whatif_to": ("to", "调入"),
    "roi.whatif_amount": ("Amount", "金额"),
    "roi.whatif_revenue": ("Revenue change", "销售额变化"),
    "roi.whatif_profit": ("Profit change", "利润变化"),
    "roi.whatif_label": (
        "Linear estimate at current ROAS: moving {amount} from {source} (ROAS {roas_from}) to {target} "
        "(ROAS {roas_to}) as if each extra yuan returned what the average one did this period. Returns usually "
        "fall as a budget grows, so read the gain as an upper bound. Profit = gross profit − ad spend.",
        "按当前 ROAS 的线性估算：把 {amount} 从{source}（ROAS {roas_from}）调到{target}（ROAS {roas_to}），"
        "假设每多花一元的回报等于本期平均。预算增加时回报通常递减，因此收益应视为上限。利润 = 毛利 − 广告花费。",
    ),
    "roi.whatif_need_two": (
        "The what-if needs two channels with ad spend in the period.",
        "预算模拟需要本期至少两个有广告花费的渠道。",
    ),
    "roi.whatif_same": ("Pick two different channels.", "请选择两个不同的渠道。"),
    "roi.suggest": ("Where the next yuan should go", "下一元预算投向哪里"),
    "roi.cut": ("Cut first", "优先削减"),
    "roi.grow": ("Grow first", "优先加投"),
    "roi.watch": ("Too early to say", "暂不判断"),
    "roi.suggest_none": ("Nothing here.", "暂无。"),
    "roi.suggest_explain": (
        "Ranked by the money at stake: cuts by what they lost, grows by gross profit per yuan. "
        "Based on this period's averages, not on how returns change with budget.",
        "按涉及金额排序：削减按亏损额，加投按每元毛利。依据为本期平均值，并未考虑预算变化后的回报递减。",
    ),
    "roi.why.no_orders": (
        "{name}: spent {spend} and no order in the period carries this channel.",
        "{name}：花费 {spend}，本期没有任何订单记录为该渠道。",
    ),
    "roi.why.few_orders": (
        "{name}: only {orders} attributed orders for {spend} — too few to judge; keep testing.",
        "{name}：花费 {spend} 只有 {orders} 笔归因订单，样本太少，继续测试。",
    ),
    "roi.why.below_break_even": (
        "{name}: ROAS {roas} is below its break-even {break_even}, so its {spend} of ads lost {loss} after gross profit.",
        "{name}：ROAS {roas} 低于其保本投产比 {break_even}，{spend} 的广告扣除毛利后亏损 {loss}。",
    ),
    "roi.why.above_break_even": (
        "{name}: each yuan of ads brings back {per_yuan} of gross profit (ROAS {roas} against break-even "
        "{break_even}, ROI {roi}).",
        "{name}：每一元广告带来 {per_yuan} 毛利（ROAS {roas}，保本投产比 {break_even}，ROI {roi}）。",
    ),
    "roi.why.below_store_break_even": (
        "{name}: ROAS {roas} is below the store's break-even {break_even} (its own unit costs are missing).",
        "{name}：ROAS {roas} 低于全店保本投产比 {break_even}（该渠道缺少成本数据）。",
    ),
    "roi.why.above_store_break_even": (
        "{name}: ROAS {roas} is above the store's break-even {break_even} (its own unit costs are missing).",
        "{name}：ROAS {roas} 高于全店保本投产比 {break_even}（该渠道缺少成本数据）。",
    ),
    "roi.why.no_costs": (
        "{name}: ROAS {roas}, but unit costs are missing, so whether it pays for itself is unknown.",
        "{name}：ROAS {roas}，但缺少成本数据，无法判断是否盈利。",
    ),
    # ---- members
    "help.members": (
        "Rows of the members file that joined by the period's last day; without a members file, every customer "
        "with a paid order by then.",
        "截至期末已入会的会员（members 文件中的行）；没有会员文件时，为截至期末有过支付订单的所有客户。",
    ),
    "help.active_members": (
        "Members with a paid order in the last 90 days before the period's last day (lifecycle new or active).",
        "期末前 90 天内有支付订单的会员（生命周期为新客或活跃）。",
    ),
    "help.new_members": (
        "Members whose joined_date falls in the period; without a members file, customers whose first paid order does.",
        "入会日期落在本期的会员；没有会员文件时，为首次支付订单落在本期的客户。",
    ),
    "help.repurchase_90d": (
        "Recent cohorts: customers whose first paid order was 90–179 days before the period's last day; share whose "
        "second paid order came ≤ 90 days after the first.",
        "近期新客群：首次支付订单在期末前 90–179 天的客户中，第二笔支付订单在首单后 90 天内的占比。",
    ),
    "help.returning_revenue_share": (
        "Net revenue from buyers whose first paid order is before the period ÷ net revenue.",
        "首次支付订单早于本期的买家贡献的净销售额 ÷ 净销售额。",
    ),
    "help.points_balance": (
        "Σ points_balance of members today (the members file holds no history, so no change is shown).",
        "会员当前未兑换积分之和（会员文件没有历史数据，因此不显示变化）。",
    ),
    "members.scope_note": (
        "Customer numbers on this page are store-wide: the channel, platform and category filters do not apply "
        "(a customer's segment or tier must not change with a filter).",
        "本页客户指标为全店口径：渠道、平台和品类筛选不适用（客户的分群和等级不应随筛选变化）。",
    ),
    "members.computing": ("Computing customer metrics…", "正在计算客户指标…"),
    "members.as_of": (
        "Stages, segments and tiers as of {date}, compared with {cdate}. {tiers}",
        "生命周期、分群和等级均为 {date} 的状态，对比 {cdate}。{tiers}",
    ),
    "members.tiers_given": (
        "Tiers come from the members file (derived from 365-day spend for customers it gives none).",
        "会员等级取自会员文件（文件中没有等级的客户按 365 天消费推算）。",
    ),
    "members.tiers_derived": (
        "Tiers are derived from net revenue in the 365 days ending that day (settings thresholds).",
        "会员等级按截至当日 365 天的净销售额与设置中的门槛推算。",
    ),
    "members.no_members_file": (
        "No members file: every customer with a paid order counts as a member, with a tier derived from spend. "
        "Drop members.csv (customer_id, joined_date; optional tier, points_balance, birthday) into the data folder "
        "for sign-ups, points and birthdays.",
        "没有会员文件：所有有过支付订单的客户都按会员计算，等级按消费推算。将 members.csv（customer_id、joined_date；"
        "可选 tier、points_balance、birthday）放入 data 文件夹即可查看入会、积分和生日。",
    ),
    "members.no_recent_cohort": (
        "no first orders {start} – {end}",
        "{start} 至 {end} 没有首单客户",
    ),
    "members.cards_explain": (
        "Recent cohorts = customers whose first paid order was {start} – {end}: old enough for their 90-day window "
        "to have closed. Buyers who come back pay for the acquisition of the next ones.",
        "近期新客群 = 首次支付订单在 {start} 至 {end} 的客户：其 90 天观察期已经结束。回头客的贡献决定了获客投入能否收回。",
    ),
    "members.view": ("View", "查看"),
    "members.view.tiers": ("Tiers and migration", "等级与升降级"),
    "members.view.lists": ("Customer lists", "客户名单"),
    "members.view.segments": ("RFM and lifecycle", "RFM 与生命周期"),
    "members.view.cohorts": ("Cohorts and lifetime value", "客群与生命周期价值"),
    "members.tiers": ("Member tiers", "会员等级"),
    "members.col.tier": ("Tier", "等级"),
    "members.col.revenue_share": ("Revenue share", "销售额占比"),
    "members.col.orders_per_buyer": ("Orders per buyer", "人均订单数"),
    "members.tiers_explain": (
        "Tiers as of the period's last day; buyers, revenue and repurchase over the period. {tier} ({members} "
        "members) brings the most net revenue, {share}: compare each tier's repurchase rate with what its benefits cost.",
        "等级为期末状态；买家、销售额和复购按本期统计。{tier}（{members} 名会员）贡献的净销售额最多，占 {share}："
        "可将各等级的复购率与其权益成本对照。",
    ),
    "members.migration": ("Tier migration", "等级迁移"),
    "members.sankey_before": ("{tier} · {date}", "{tier} · {date}"),
    "members.sankey_after": ("{tier} · {date}", "{tier} · {date}"),
    "members.sankey_new": ("New members", "新会员"),
    "members.move.up": ("Upgrade", "升级"),
    "members.move.down": ("Downgrade", "降级"),
    "members.move.new": ("New", "新增"),
    "members.move.same": ("Same tier", "等级不变"),
    "members.move.changed": ("Changed", "变更"),
    "members.migration_explain": (
        "Against {before}: {up} members moved up, {down} moved down, {new} are new ({same} kept their tier and are "
        "not drawn). Downgrades are members whose 365-day spend fell below their tier: a reminder before the drop "
        "keeps some of them.",
        "与 {before} 相比：{up} 名会员升级，{down} 名降级，新增 {new} 名（{same} 名等级不变，未画出）。"
        "降级意味着 365 天消费跌破门槛：在降级前提醒可以挽回一部分。",
    ),
    "members.basis": ("Tiers compared", "比较的等级"),
    "members.basis.tier": ("Members file", "会员文件等级"),
    "members.basis.spend": ("Spend-based", "按消费推算"),
    "members.migration_given": (
        "The members file gives today's tier only, so members with a tier from the file keep it on both days; "
        "choose “Spend-based” to see how 365-day spend moved them against the thresholds.",
        "会员文件只有当前等级，因此文件中已有等级的会员在两个日期的等级相同；选择“按消费推算”可查看 365 天消费相对门槛的升降。",
    ),
    "members.no_moves": (
        "No member changed tier or joined since {before} ({same} kept their tier).",
        "自 {before} 以来没有会员升降级或新入会（{same} 名等级不变）。",
    ),
    "members.near_tier": ("Close to the next tier", "即将升级的会员"),
    "members.near_tier_none": (
        "No member is within 10% of the next tier's threshold.",
        "没有会员距离下一等级门槛在 10% 以内。",
    ),
    "members.col.customer": ("Customer", "客户"),
    "members.col.next_tier": ("Next tier", "下一等级"),
    "members.col.revenue_365": ("Net revenue, 365 d", "365天净销售额"),
    "members.col.to_next": ("To next tier", "距升级"),
    "members.near_tier_explain": (
        "{n} members are within 10% of the next tier's threshold (365-day net revenue): an offer just above the gap "
        "is the cheapest upgrade. The download holds the full list.",
        "{n} 名会员的 365 天净销售额距离下一等级门槛不足 10%：略高于差额的优惠是最划算的升级推动。下载文件包含完整名单。",
    ),
    "members.birthdays": ("Birthdays in the next 30 days", "未来 30 天生日"),
    "members.birthdays_no_members": (
        "Birthdays need a members file with a birthday column.",
        "生日提醒需要带 birthday 列的会员文件。",
    ),
    "members.birthdays_no_column": (
        "The members file has no birthday column, so there are no birthday reminders.",
        "会员文件没有 birthday 列，无法提供生日提醒。",
    ),
    "members.birthdays_none": ("No member birthday in the next {days} days.", "未来 {days} 天没有会员生日。"),
    "members.col.birthday": ("Birthday", "生日"),
    "members.col.age": ("Turns", "年龄"),
    "members.col.stage": ("Stage", "生命周期"),
    "members.birthdays_explain": (
        "{n} members have a birthday {start} – {end}; a birthday coupon sent a few days ahead is the perk members "
        "notice most.",
        "{n} 名会员在 {start} 至 {end} 过生日；提前几天发放生日券是会员最有感的权益。",
    ),
    "members.rfm": ("RFM segments", "RFM 客户分群"),
    "members.rfm_none": (
        "No customer has a paid order in the 365 days ending the period's last day.",
        "截至期末的 365 天内没有客户有支付订单。",
    ),
    "members.customer_share": ("Customer share", "客户占比"),
    "members.rfm_explain": (
        "Customers with a paid order in the 365 days ending the period's last day, split by whether recency, "
        "frequency and spend beat the mean (R {r}, F {f} orders, M {m}). Champions are {customers} of them and bring "
        "{share} of their revenue.",
        "截至期末 365 天内有支付订单的客户，按最近购买间隔、购买次数、消费金额是否优于均值（R {r}、F {f} 单、M {m}）分群。"
        "重要价值客户占 {customers}，贡献了 {share} 的销售额。",
    ),
    "members.col.segment": ("Segment", "分群"),
    "members.col.code": ("R F M", "R F M"),
    "members.col.customers": ("Customers", "客户数"),
    "members.col.mean_r": ("Mean R", "平均R"),
    "members.col.mean_f": ("Mean F", "平均F"),
    "members.col.mean_m": ("Mean M", "平均M"),
    "members.col.action": ("Suggested action", "建议动作"),
    "members.action.HHH": (
        "VIP care: early access, a dedicated service channel, no discounts needed.",
        "VIP 关怀：新品抢先购、专属客服，无需打折。",
    ),
    "members.action.LHH": (
        "They used to buy often and big: reach out personally before they drift to a competitor.",
        "曾经高频高额购买：在流失到竞品前一对一触达挽留。",
    ),
    "members.action.HLH": (
        "Big recent spenders with few orders: recommend the next purchase to build a habit.",
        "近期大额但购买次数少：推荐下一件商品，培养复购习惯。",
    ),
    "members.action.LLH": (
        "Valuable but gone quiet: send a win-back coupon with a deadline.",
        "高价值但已沉默：发放限时挽回优惠券。",
    ),
    "members.action.HHL": (
        "Loyal but small baskets: bundles and 满减 thresholds to raise the order value.",
        "忠诚但客单价低：用组合装和满减门槛提高客单价。",
    ),
    "members.action.LHL": (
        "Regulars slipping away: a reminder of their usual products with a small incentive.",
        "老顾客正在流失：推送常购商品提醒并附小额激励。",
    ),
    "members.action.HLL": (
        "New, small first orders: a welcome series and a second-order coupon.",
        "新客首单金额小：欢迎礼包加第二单优惠券。",
    ),
    "members.action.LLL": (
        "Lost: include only in low-cost mass campaigns; do not spend on them one by one.",
        "已流失：只纳入低成本群发活动，不单独投入。",
    ),
    "members.segments_download": (
        "The CSV lists every customer with a paid order in the 365 days ending {date}: customer_id, recency_days, "
        "frequency, monetary, segment (Chinese name), lifecycle, tier — ready for a CRM import.",
        "CSV 包含截至 {date} 的 365 天内有支付订单的每位客户：customer_id、recency_days、frequency、monetary、"
        "segment（中文分群名）、lifecycle、tier，可直接导入 CRM。",
    ),
    "members.lifecycle": ("Customer lifecycle", "客户生命周期"),
    "members.stage.potential": ("Potential", "潜在"),
    "members.stage.new": ("New", "新客"),
    "members.stage.active": ("Active", "活跃"),
    "members.stage.silent": ("Silent", "沉睡"),
    "members.stage.churned": ("Churned", "流失"),
    "members.lifecycle_explain": (
        "Potential = members who never bought; new = first order < 30 days ago; active = last order < 90 days; "
        "silent < 180 days; churned beyond. The biggest move since {cdate}: {stage} {change}. Silent customers are "
        "the cheapest to bring back.",
        "潜在 = 未购买的会员；新客 = 首单不足 30 天；活跃 = 最近一单不足 90 天；沉睡 = 不足 180 天；其余为流失。"
        "与 {cdate} 相比变化最大的是{stage}（{change}）。沉睡客户是最容易唤回的一群。",
    ),
    "members.cohorts": ("Cohorts and lifetime value", "客群留存与生命周期价值"),
    "members.retention": ("Retention by first-order month", "按首单月份的留存"),
    "members.month_k": ("M{k}", "第{k}月"),
    "members.retention_explain": (
        "Each row is the customers whose first paid order fell in that month (with their number); a cell is the "
        "share who bought again in that calendar month. The latest month runs to the period's last day.",
        "每一行是首单落在该月的客户（附人数）；每格为其中在对应自然月再次购买的占比。最后一个月截至期末。",
    ),
    "members.repurchase_by_cohort": ("90-day repurchase by cohort", "各客群90天复购率"),
    "members.cohort_open": ("can still grow", "仍在观察期内"),
    "members.repurchase_explain": (
        "Share of each month's first-time buyers whose second paid order came within 90 days. Light bars are "
        "cohorts whose 90 days have not all passed yet.",
        "各月首单客户中，第二笔支付订单在 90 天内的占比。浅色柱为 90 天观察期尚未结束的客群。",
    ),
    "members.ltv_by_cohort": ("Lifetime value by cohort", "各客群生命周期价值"),
    "members.months_since_first": ("Months since first order", "首单后月数"),
    "members.ltv_explain": (
        "LTV(k) = cumulative net revenue per cohort customer through month k; darker lines are newer cohorts. A "
        "newer cohort above an older one at the same month is better customers, not just more of them.",
        "LTV(k) = 客群每位客户截至第 k 月的累计净销售额；颜色越深越新。同一月份新客群高于老客群，说明客户质量在提高。",
    ),
    "members.ltv_by_tier": ("Lifetime value by tier", "各等级生命周期价值"),
    "members.ltv_tier_explain": (
        "Customers whose first order is in the last {months} months, by their tier on the period's last day, through "
        "month {k} (log scale); month k averages the customers who have reached it. Compare the gap with what each "
        "tier's benefits cost.",
        "首单在最近 {months} 个月内的客户，按期末等级分组，展示至第 {k} 月（对数刻度）；第 k 月只统计已满 k 月的客户。"
        "可将差距与各等级权益成本对照。",
    ),
    "members.no_cohorts": ("No first orders in the last 12 months.", "最近 12 个月没有首单客户。"),
    "members.new_returning": ("New vs returning customers' revenue", "新老客销售额"),
    "members.new": ("New customers", "新客"),
    "members.returning": ("Returning customers", "老客"),
    "members.new_returning_explain": (
        "A customer is new in the month of their first paid order, returning after. Returning customers brought "
        "{share} of {month}'s net revenue; a falling share with flat new revenue means fewer customers come back.",
        "客户在首单当月算新客，之后算老客。{month} 老客贡献了 {share} 的净销售额；若新客销售额持平而老客占比下降，说明回购在减少。",
    ),
    # ---- data health
    "health.folder": ("Data folder: {folder}", "数据文件夹：{folder}"),
    "health.engine_tables": (
        "Data: the {engine} tables named in settings.toml ([engine.tables]), checked against the data contract and "
        "built by `python -m storeops refresh` at {built}. Rows are taken as your pipeline wrote them: nothing is "
        "quarantined here.",
        "数据来源：settings.toml（[engine.tables]）中指定的 {engine} 表，已按数据约定检查，并于 {built} 由 "
        "`python -m storeops refresh` 构建。行按你的数据管道写入的原样使用，这里不做隔离。",
    ),
    "health.sources_seen": ("Source tables", "数据来源表"),
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
    "health.col.notes": ("How it was read", "读取说明"),
    "health.col.profile": ("Recognised as", "识别为"),
    # Words drawn by storeops.charts
    "chart.share": ("Share", "占比"),
    "chart.actual": ("Actual", "实际"),
    "chart.target": ("Target", "目标"),
    "chart.pace": ("Expected by now", "按进度应达"),
    "chart.of_target": ("{share} of target", "目标完成 {share}"),
    "chart.current": ("This period", "本期"),
    "chart.step_rate": ("step", "步骤转化"),
    "chart.overall_rate": ("overall", "整体转化"),
    "chart.site": ("site", "整体"),
    "chart.days_of_cover": ("Days of cover (log scale)", "可售天数（对数刻度）"),
    "chart.revenue_90d": ("Net revenue, last 90 days", "近90天净销售额"),
    "chart.units_sold": ("Units sold", "销量"),
    "chart.on_hand": ("On hand", "现有库存"),
    "chart.projected": ("Projected on hand", "预计库存"),
    "chart.reorder_point": ("Reorder point", "再订货点"),
    "chart.safety_stock": ("Safety stock", "安全库存"),
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
