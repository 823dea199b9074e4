"""Channel groups and platforms: the vocabularies every table is mapped onto.

Raw channel strings (``baidu / cpc``, ``直通车``, ``xhs``) are mapped onto the
channel groups of DATA.md. Matching ignores case and surrounding whitespace; a
raw value that already is a group name maps to itself; ``data/channel_map.csv``
wins over the defaults below; anything else becomes ``other`` and is listed on
the data-health page.
"""

from __future__ import annotations

CHANNEL_GROUPS: tuple[str, ...] = (
    "organic_search",
    "paid_search",
    "marketplace_ads",
    "social",
    "short_video_live",
    "influencer",
    "affiliate",
    "email_crm",
    "display",
    "referral",
    "direct",
    "other",
)

# Raw source values seen in Chinese and western exports, lower-cased.
DEFAULT_CHANNEL_MAP: dict[str, str] = {
    # SEO
    "organic": "organic_search",
    "organic search": "organic_search",
    "seo": "organic_search",
    "baidu / organic": "organic_search",
    "google / organic": "organic_search",
    "bing / organic": "organic_search",
    "百度自然搜索": "organic_search",
    "自然搜索": "organic_search",
    "手淘搜索": "organic_search",
    "京东搜索": "organic_search",
    # SEM
    "sem": "paid_search",
    "paid search": "paid_search",
    "baidu / cpc": "paid_search",
    "google / cpc": "paid_search",
    "bing / cpc": "paid_search",
    "google ads": "paid_search",
    "百度推广": "paid_search",
    "360推广": "paid_search",
    "搜狗推广": "paid_search",
    # Marketplace ads
    "直通车": "marketplace_ads",
    "万相台": "marketplace_ads",
    "引力魔方": "marketplace_ads",
    "钻展": "marketplace_ads",
    "京准通": "marketplace_ads",
    "京东快车": "marketplace_ads",
    "多多搜索": "marketplace_ads",
    "多多场景": "marketplace_ads",
    "巨量千川": "marketplace_ads",
    "paid shopping": "marketplace_ads",
    # Social
    "wechat": "social",
    "微信": "social",
    "朋友圈": "social",
    "weibo": "social",
    "微博": "social",
    "xhs": "social",
    "xiaohongshu": "social",
    "小红书": "social",
    "bilibili": "social",
    "b站": "social",
    "organic social": "social",
    "paid social": "social",
    "facebook": "social",
    "instagram": "social",
    # Short video and live
    "douyin": "short_video_live",
    "抖音": "short_video_live",
    "抖音直播": "short_video_live",
    "抖音短视频": "short_video_live",
    "douyin live": "short_video_live",
    "kuaishou": "short_video_live",
    "快手": "short_video_live",
    "快手直播": "short_video_live",
    "淘宝直播": "short_video_live",
    "视频号": "short_video_live",
    "organic video": "short_video_live",
    "paid video": "short_video_live",
    # Influencers
    "kol": "influencer",
    "koc": "influencer",
    "达人": "influencer",
    "达人带货": "influencer",
    "influencer": "influencer",
    # Affiliate
    "淘宝客": "affiliate",
    "淘客": "affiliate",
    "京挑客": "affiliate",
    "多多进宝": "affiliate",
    "affiliates": "affiliate",
    "cps": "affiliate",
    # Email / CRM / private domain
    "email": "email_crm",
    "edm": "email_crm",
    "sms": "email_crm",
    "短信": "email_crm",
    "企业微信": "email_crm",
    "wecom": "email_crm",
    "私域": "email_crm",
    "会员营销": "email_crm",
    "mobile push notifications": "email_crm",
    # Display
    "banner": "display",
    "信息流": "display",
    "腾讯广告": "display",
    "广点通": "display",
    "巨量引擎": "display",
    "cross-network": "display",
    # Referral and direct
    "referral": "referral",
    "外部链接": "referral",
    "(direct) / (none)": "direct",
    "直接访问": "direct",
    "直接访问/收藏": "direct",
    "购物车": "direct",
    "我的淘宝": "direct",
    "unassigned": "other",
}

PLATFORMS: tuple[str, ...] = (
    "official_site",
    "tmall",
    "taobao",
    "jd",
    "pinduoduo",
    "douyin",
    "kuaishou",
    "mini_program",
    "offline",
)

# Platform spellings seen in exports; values are normalised (trimmed,
# lower-cased, spaces → "_") before this lookup, unknown values pass through.
PLATFORM_ALIASES: dict[str, str] = {
    "official site": "official_site",
    "official_site": "official_site",
    "website": "official_site",
    "web": "official_site",
    "site": "official_site",
    "官网": "official_site",
    "天猫": "tmall",
    "淘宝": "taobao",
    "京东": "jd",
    "拼多多": "pinduoduo",
    "pdd": "pinduoduo",
    "抖音": "douyin",
    "抖店": "douyin",
    "快手": "kuaishou",
    "小程序": "mini_program",
    "微信小程序": "mini_program",
    "mini program": "mini_program",
    "miniprogram": "mini_program",
    "线下": "offline",
    "门店": "offline",
    "store": "offline",
}
