"""Deterministic demo data: a believable two-year shop history, at any size.

``generate(data_dir, order_lines)`` writes the tables of DATA.md for a
fictional Chinese brand selling on Tmall, JD, Pinduoduo, Douyin, its own site,
a WeChat mini program and a few stores. The same ``(order_lines, seed, end)``
always gives byte-identical files.

The model
---------
Demand.  Each day has an index: ~15 % growth a year × weekday (weekends
higher) × shopping festivals (38 女王节, 618, 双11 — the biggest —, 双12,
年货节) × a Spring-Festival dip (two weeks around Chinese New Year, when
couriers stop) × a little noise. Douyin has random live-stream evenings with
3–5× its usual orders. Orders per day follow the index, scaled so the total
number of order lines is ``order_lines`` (an order has 1–4 lines, mostly 1–2).

Orders.  An order picks a platform (shares drift towards Douyin), then is
either a repeat order (about a third) of a past customer or the first order of
a new customer. Repeat buyers are heavy-tailed — a few top customers and VIPs,
loyal members, then anyone, recent customers first — and customers from before
the window exist, so repeat orders start on day one. The order picks a raw
channel value that fits the platform: first orders lean on paid channels,
repeat orders on direct and CRM. Paid channels carry a campaign (evergreen
ones, plus promotion campaigns during festivals). Status (pending only in the
last three days; refunds need time to arrive), hour of day, payment method and
lines follow.

Stock.  300 SKUs in 10 categories, long-tailed popularity with platform and
seasonal affinities, are simulated day by day: the morning snapshot is taken
(after the day's deliveries), the day's lines draw SKUs among those in stock —
demand for a SKU that runs out goes to another one, so a SKU that opens a day
at 0 has no line that day and paid units never exceed the morning's stock;
refunded goods are not restocked — and in the evening the
planner orders, for every SKU whose stock position fell below the demand
expected over lead time + safety days, the expected demand of the next 3–8
weeks rounded up to the minimum order quantity. A few SKUs play roles so the
inventory page has something to say at the end date: a supplier that stopped
delivering (out of stock), a buyer who forgot to reorder (below the reorder
point), a bulk buy (overstock), a discontinued line with stock left (dead
stock), and recent launches.

Derived tables.  Traffic rows (day × raw channel × platform) come from the
expected orders of that source and its conversion rate; ``purchases`` is the
realised number of non-cancelled orders. Ad spend follows each campaign's
attributed revenue and is scaled so that every channel group's ROAS over the
two years hits a target (paid search loses money, affiliates return 5×); the ad
platforms' own claims are inflated by a group-specific factor. Members are
~40 % of buyers plus sign-ups who never bought, tiered by the 365-day spend
thresholds of METRICS.md. Targets are the expected month ± 10 %.

Determinism and size.  All randomness comes from ``numpy.random.default_rng``
seeded with ``[seed, stream, key]`` (one stream per table, keyed by month
where a table is generated month by month), so no month's draws depend on how
much was drawn before it. Orders are generated and written one month at a time
with vectorised numpy and pyarrow's CSV writer, so memory stays bounded: ten
million lines take ~25 s and ~0.7 GB on two cores.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from storeops.channels import DEFAULT_CHANNEL_MAP
from storeops.schema import STATUSES

DAYS = 730
UNMAPPED_CHANNEL = "tv-qr-2024"  # in no channel map on purpose: the data-health page lists it
TABLE_SUFFIXES = (".csv", ".parquet", ".xlsx")

ORDER_COLUMNS = (
    "order_id", "order_time", "customer_id", "sku", "product_name", "category", "quantity",
    "unit_price", "discount", "refund_amount", "status", "channel", "campaign", "platform",
    "region", "payment_method",
)  # fmt: skip
AD_SPEND_COLUMNS = (
    "date", "channel", "campaign", "platform", "impressions", "clicks", "spend", "conversions",
    "conversion_value",
)  # fmt: skip
TRAFFIC_COLUMNS = (
    "date", "channel", "platform", "sessions", "users", "new_users", "bounces",
    "avg_session_seconds", "product_views", "add_to_cart", "checkouts", "purchases",
)  # fmt: skip
INVENTORY_COLUMNS = (
    "snapshot_date", "sku", "product_name", "category", "on_hand", "on_order", "lead_time_days",
    "unit_cost", "min_order_qty", "supplier",
)  # fmt: skip
MEMBER_COLUMNS = ("customer_id", "joined_date", "tier", "points_balance", "birthday", "region", "gender")
TARGET_COLUMNS = ("month", "metric", "target")

PAID, PENDING, CANCELLED, REFUNDED = (STATUSES.index(s) for s in ("paid", "pending", "cancelled", "refunded"))

# Random streams: one per table, so adding draws to one table never shifts another.
_CATALOGUE, _CALENDAR, _ORDERS, _STOCK, _ADS, _TRAFFIC, _MEMBERS, _TARGETS = range(1, 9)


def _rng(seed: int, stream: int, key: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, stream, key])


# --------------------------------------------------------------------------- calendar

# Chinese New Year (春节) by year; years outside the table simply get no dip.
_CNY = np.array(
    ["2021-02-12", "2022-02-01", "2023-01-22", "2024-02-10", "2025-01-29",
     "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03"],
    dtype="datetime64[D]",
)  # fmt: skip
_WEEKDAY = np.array([0.92, 0.90, 0.93, 0.96, 1.02, 1.14, 1.13])  # Monday first
_GROWTH = 1.15  # per year
_PROMOTIONS = ("618大促", "双11预热", "双11狂欢", "双12", "年货节")


def _festival_table() -> np.ndarray:
    """Demand multiplier by [month, day of month] for the shopping festivals."""
    f = np.ones((13, 32))
    f[3, 6:9] = (1.2, 1.3, 1.6)  # 38 女王节
    f[6, 1] = 1.8  # 618 opens at midnight on 1 June ...
    f[6, 2:18] = np.linspace(1.15, 1.7, 16)
    f[6, 18:21] = (3.2, 1.3, 1.1)  # ... and peaks on the 18th
    f[10, 20:31] = np.linspace(1.15, 1.35, 11)  # 双11 pre-sale
    f[10, 31] = 2.4  # the first wave opens on the evening of 31 October
    f[11, 1:11] = (1.9, 1.6, 1.4, 1.3, 1.35, 1.4, 1.45, 1.55, 1.65, 1.8)
    f[11, 11:13] = (5.0, 1.4)
    f[12, 10:13] = (1.3, 1.5, 2.2)  # 双12
    return f


_FESTIVAL = _festival_table()


def _date_parts(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Month (1–12), day of month and weekday (Monday = 0) of datetime64[D] values."""
    month_start = dates.astype("datetime64[M]")
    month = month_start.astype(np.int64) % 12 + 1
    dom = (dates - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    weekday = (dates.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    return month, dom, weekday


def _days_from_cny(dates: np.ndarray) -> np.ndarray:
    """Signed days from the nearest Chinese New Year (negative before it)."""
    i = np.clip(np.searchsorted(_CNY, dates), 1, len(_CNY) - 1)
    before = (dates - _CNY[i - 1]).astype(np.int64)
    after = (dates - _CNY[i]).astype(np.int64)
    return np.where(np.abs(before) < np.abs(after), before, after)


def _demand_index(dates: np.ndarray, start: np.datetime64) -> np.ndarray:
    """Expected demand of each date relative to an ordinary weekday at ``start``."""
    month, dom, weekday = _date_parts(dates)
    cny = _days_from_cny(dates)
    dip = np.where(np.abs(cny) <= 7, 0.35 + 0.45 * np.abs(cny) / 7, 1.0)  # couriers stop
    nianhuo = np.where((cny >= -25) & (cny <= -8), 1.1, 1.0)  # 年货节 before the holiday
    years = (dates - start).astype(np.int64) / 365.25
    return _GROWTH**years * _WEEKDAY[weekday] * _FESTIVAL[month, dom] * dip * nianhuo


def _promotion_of_day(dates: np.ndarray) -> np.ndarray:
    """1-based index into _PROMOTIONS of the campaign window a date is in, else 0."""
    month, dom, _ = _date_parts(dates)
    cny = _days_from_cny(dates)
    code = np.zeros(len(dates), np.int64)
    code[(month == 6) & (dom <= 18)] = 1
    code[(month == 10) & (dom >= 20) & (dom <= 30)] = 2
    code[((month == 10) & (dom == 31)) | ((month == 11) & (dom <= 11))] = 3
    code[(month == 12) & (dom <= 12)] = 4
    code[(cny >= -25) & (cny <= -8)] = 5
    return code


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class _Category:
    name: str
    skus: int
    price: tuple[int, int]  # list price range, yuan
    popularity: float
    multi_unit: float  # share of lines with more than one unit
    suppliers: tuple[int, ...]
    moqs: tuple[int, ...]  # 0 = no minimum order quantity
    adjectives: str
    nouns: str
    variants: str


@dataclass(frozen=True)
class _Supplier:
    name: str
    lead_time: int  # days


_SUPPLIERS = (
    _Supplier("杭州织里服饰有限公司", 21),
    _Supplier("广州锦程服装厂", 14),
    _Supplier("晋江鸿星鞋业", 25),
    _Supplier("温州卡丽箱包", 30),
    _Supplier("首尔美妆进口代理", 45),
    _Supplier("上海颜研化妆品", 10),
    _Supplier("中山洁雅日化", 7),
    _Supplier("福建闽香食品", 5),
    _Supplier("义乌优品供应链", 3),
    _Supplier("佛山居然家居制品", 18),
    _Supplier("深圳极客电子", 12),
    _Supplier("苏州贝亲母婴用品", 15),
)

_CATEGORIES = (
    _Category("女装", 45, (129, 899), 1.3, 0.10, (0, 1), (0, 6, 12),
              "法式 碎花 真丝 雪纺 复古 收腰 高腰 针织 方领 气质 宽松 小香风",
              "连衣裙 长裙 衬衫 半身裙 开衫 T恤 阔腿裤 西装外套 风衣 卫衣",
              "黑色 米白 雾霾蓝 杏色 酒红 S码 M码 L码"),
    _Category("男装", 30, (99, 1299), 0.9, 0.12, (1,), (0, 6, 12),
              "纯棉 商务 休闲 修身 加绒 冰丝 立领 水洗 重磅 轻薄",
              "衬衫 Polo衫 夹克 西裤 牛仔裤 卫衣 羽绒服 T恤 毛衣",
              "黑色 藏青 灰色 白色 卡其 L码 XL码"),
    _Category("鞋靴", 30, (199, 1599), 0.9, 0.05, (2,), (0, 12, 24),
              "真皮 透气 厚底 复古 轻便 防滑 老爹 尖头 加绒",
              "运动鞋 帆布鞋 马丁靴 乐福鞋 小白鞋 切尔西靴 凉鞋 跑鞋",
              "36码 37码 38码 39码 40码 41码 42码"),
    _Category("箱包", 20, (159, 1999), 0.6, 0.04, (3,), (0, 6, 12),
              "真皮 大容量 轻奢 通勤 复古 迷你 防水 简约",
              "托特包 双肩包 斜挎包 行李箱 钱包 腋下包 手提包 登机箱",
              "黑色 棕色 米色 焦糖色 经典款"),
    _Category("美妆护肤", 40, (59, 899), 1.4, 0.22, (4, 5), (0, 24, 50),
              "玻尿酸 烟酰胺 氨基酸 保湿 控油 修护 美白 抗皱 防晒",
              "精华液 面霜 洁面乳 爽肤水 面膜 眼霜 防晒霜 口红 粉底液 卸妆油",
              "经典款 升级版 礼盒装 旅行装"),
    _Category("个护", 25, (19, 199), 0.9, 0.35, (6,), (0, 50, 100),
              "薄荷 去屑 无硅油 氨基酸 温和 持久留香 清爽",
              "洗发水 沐浴露 牙膏 护发素 电动牙刷头 洗手液 身体乳",
              "经典款 升级款 家庭装 两件装"),
    _Category("食品", 35, (19, 259), 1.2, 0.40, (7, 8), (0, 50, 100),
              "原味 手工 低糖 每日 坚果 有机 麻辣 黑芝麻",
              "牛肉干 坚果礼盒 燕麦片 挂耳咖啡 花茶 蛋卷 螺蛳粉 芝麻丸 鸡胸肉",
              "经典装 家庭装 礼盒装 分享装"),
    _Category("家居", 30, (29, 699), 0.9, 0.18, (8, 9), (0, 12, 24),
              "北欧 纯棉 日式 加厚 免打孔 简约 乳胶 竹纤维",
              "四件套 收纳盒 毛巾 香薰 抱枕 置物架 拖鞋 床垫 保温杯",
              "米白 浅灰 雾蓝 原木色"),
    _Category("数码配件", 25, (29, 999), 1.0, 0.08, (10,), (0, 50, 100),
              "快充 磁吸 无线 降噪 便携 透明 氮化镓",
              "充电器 数据线 蓝牙耳机 充电宝 手机壳 键盘 鼠标 支架",
              "白色 黑色 深空灰 经典款"),
    _Category("母婴", 20, (39, 599), 0.8, 0.30, (11,), (0, 12, 24),
              "婴儿 儿童 有机 纯棉 防胀气 便携",
              "纸尿裤 湿巾 奶瓶 连体衣 辅食机 安抚奶嘴 爬行垫 口水巾",
              "经典款 升级款 两件装 礼盒装"),
)  # fmt: skip
_CATEGORY_NAMES = tuple(c.name for c in _CATEGORIES)

# Category affinity by platform: Pinduoduo sells groceries, JD electronics, Douyin beauty.
_AFFINITY = {
    "pinduoduo": {"食品": 2.0, "家居": 1.8, "个护": 1.6, "箱包": 0.5, "鞋靴": 0.7, "美妆护肤": 0.6},
    "jd": {"数码配件": 2.5, "家居": 1.2, "母婴": 1.3, "女装": 0.6},
    "douyin": {"美妆护肤": 2.0, "女装": 1.6, "食品": 1.3, "数码配件": 0.6},
    "tmall": {"美妆护肤": 1.3, "女装": 1.2},
    "offline": {"女装": 1.5, "男装": 1.5, "鞋靴": 1.5, "箱包": 1.5, "食品": 0.3, "数码配件": 0.5},
}

# Stock roles: how many SKUs of each kind the end date must show.
_ROLE_COUNTS = {"new": 8, "launched": 25, "dead": 8, "supplier_failed": 6, "missed": 6, "bulk": 8}


@dataclass
class _Catalogue:
    """One entry per SKU; days are indices into the 730-day window."""

    code: list[str]
    name: list[str]
    category: np.ndarray
    price: np.ndarray  # cents
    cost: np.ndarray  # cents
    popularity: np.ndarray
    supplier: np.ndarray
    lead_time: np.ndarray  # actual supplier lead time, days
    lead_time_known: np.ndarray  # False: the export leaves it empty
    moq: np.ndarray  # 0 = none
    cover_days: np.ndarray  # how many days of demand one purchase order covers
    launch: np.ndarray  # first day on sale
    stop: np.ndarray  # first day without demand (discontinued), else beyond the window
    no_orders_from: np.ndarray  # the buyer places no purchase orders from this day on
    undelivered_from: np.ndarray  # purchase orders placed from this day on never arrive
    bulk_buys: list[tuple[int, int, int]]  # (day placed, sku, days of demand bought)

    @property
    def size(self) -> int:
        return len(self.code)


def _price_cents(rng: np.random.Generator, low: int, high: int, n: int) -> np.ndarray:
    """Log-uniform list prices ending in 9 yuan (¥129, ¥359 …)."""
    yuan = np.exp(rng.uniform(np.log(low), np.log(high), n))
    return (np.maximum(np.round(yuan / 10) * 10 - 1, low) * 100).astype(np.int64)


def _build_catalogue(seed: int, n_days: int) -> _Catalogue:
    rng = _rng(seed, _CATALOGUE)
    names: list[str] = []
    category, price, supplier, moq = [], [], [], []
    for c, cat in enumerate(_CATEGORIES):
        adjectives, nouns, variants = cat.adjectives.split(), cat.nouns.split(), cat.variants.split()
        combos = rng.choice(len(adjectives) * len(nouns), cat.skus, replace=False)
        for k in combos:
            variant = variants[rng.integers(len(variants))]
            names.append(f"{adjectives[k // len(nouns)]}{nouns[k % len(nouns)]} {variant}")
        category.append(np.full(cat.skus, c))
        price.append(_price_cents(rng, *cat.price, cat.skus))
        supplier.append(rng.choice(cat.suppliers, cat.skus))
        moq.append(rng.choice(cat.moqs, cat.skus, p=[0.35] + [0.65 / (len(cat.moqs) - 1)] * (len(cat.moqs) - 1)))
    n = len(names)
    category_arr = np.concatenate(category)
    price_arr = np.concatenate(price)
    supplier_arr = np.concatenate(supplier)
    cat_pop = np.array([c.popularity for c in _CATEGORIES])
    # Long tail: a Zipf law over a random order of the SKUs makes a few best sellers.
    popularity = cat_pop[category_arr] / rng.permutation(np.arange(1, n + 1)) ** 0.9
    lead_time = np.array([s.lead_time for s in _SUPPLIERS])[supplier_arr]
    never = np.full(n, n_days + 10_000)

    launch = np.zeros(n, np.int64)
    stop, no_orders_from, undelivered_from = never.copy(), never.copy(), never.copy()
    rank = np.argsort(np.argsort(-popularity))  # 0 = best seller
    free = np.ones(n, bool)

    def take(count: int, eligible: np.ndarray) -> np.ndarray:
        chosen = rng.choice(np.flatnonzero(eligible & free), count, replace=False)
        free[chosen] = False
        return chosen

    new = take(_ROLE_COUNTS["new"], rank >= 30)
    launch[new] = n_days - rng.integers(5, 60, new.size)
    launched = take(_ROLE_COUNTS["launched"], rank >= 10)
    launch[launched] = rng.integers(30, n_days - 90, launched.size)
    # A supplier who stops delivering needs a best seller with a short lead time to
    # be sure the shelf is empty by the end date.
    failed = take(_ROLE_COUNTS["supplier_failed"], (rank < 60) & (lead_time <= 14))
    undelivered_from[failed] = n_days - 150
    moq_arr = np.concatenate(moq)
    moq_arr[failed] = 0
    missed = take(_ROLE_COUNTS["missed"], (rank < 120) & (lead_time >= 10))
    no_orders_from[missed] = n_days - 40
    dead = take(_ROLE_COUNTS["dead"], rank >= n // 2)
    stop[dead] = n_days - rng.integers(150, 400, dead.size)
    no_orders_from[dead] = stop[dead] - 30
    bulk = take(_ROLE_COUNTS["bulk"], (rank >= 20) & (rank < 200))
    bulk_buys = [  # a last big batch just before a line is dropped; over-buying
        *((int(stop[s] - 5 - lead_time[s]), int(s), 120) for s in dead),
        *((int(n_days - rng.integers(20, 45) - lead_time[s]), int(s), 240) for s in bulk),
    ]
    return _Catalogue(
        code=[f"{101 + i:05d}" for i in range(n)],
        name=names,
        category=category_arr,
        price=price_arr,
        cost=np.round(price_arr * rng.uniform(0.30, 0.65, n)).astype(np.int64),
        popularity=popularity,
        supplier=supplier_arr,
        lead_time=lead_time,
        lead_time_known=rng.random(n) >= 0.05,
        moq=moq_arr,
        cover_days=rng.integers(21, 57, n),
        launch=launch,
        stop=stop,
        no_orders_from=no_orders_from,
        undelivered_from=undelivered_from,
        bulk_buys=bulk_buys,
    )


def _category_season(dates: np.ndarray) -> np.ndarray:
    """Extra demand by [day, category] on top of the shop-wide index."""
    month, _, _ = _date_parts(dates)
    cny = _days_from_cny(dates)
    promo = _promotion_of_day(dates)
    season = np.ones((len(dates), len(_CATEGORIES)))
    col = {name: i for i, name in enumerate(_CATEGORY_NAMES)}
    season[(cny >= -25) & (cny <= -8), col["食品"]] *= 1.8  # New-Year gift boxes
    season[(promo == 1) | (promo == 3), col["美妆护肤"]] *= 1.3
    season[promo == 1, col["数码配件"]] *= 1.3  # 618 is JD's festival
    winter = (month >= 11) | (month <= 1)
    season[winter, col["男装"]] *= 1.2
    season[winter, col["鞋靴"]] *= 1.2
    return season


# --------------------------------------------------------------------------- channels

_PLATFORMS = ("tmall", "jd", "pinduoduo", "douyin", "official_site", "mini_program", "offline")
_PLATFORM_SHARE = np.array([0.30, 0.22, 0.10, 0.11, 0.11, 0.09, 0.07])
_PLATFORM_TREND = np.array([1.0, 1.0, 1.0, 1.35, 0.88, 1.0, 0.95])  # per year
_DOUYIN = _PLATFORMS.index("douyin")
_OFFLINE = _PLATFORMS.index("offline")
_REPEAT_SHARE = 0.34  # of orders placed by a returning customer


@dataclass(frozen=True)
class _Source:
    """A raw channel value on one platform, as an export would write it."""

    platform: str
    channel: str
    new: float  # weight among first orders on the platform
    returning: float  # weight among repeat orders
    campaigns: tuple[str, ...] = ()  # evergreen; paid sources also run the promotions
    paid: bool = False  # has ad_spend rows
    cpc: float = 0.0  # yuan per click
    ctr: float = 0.0
    sells: bool = True  # False: traffic only, never the last touch of an order

    @property
    def group(self) -> str:
        return DEFAULT_CHANNEL_MAP.get(self.channel.lower(), "other")


def _ad(platform: str, channel: str, new: float, returning: float, campaigns: tuple[str, ...],
        cpc: float, ctr: float) -> _Source:  # fmt: skip
    return _Source(platform, channel, new, returning, campaigns, True, cpc, ctr)


_SOURCES = (
    _ad("tmall", "直通车", 22, 8, ("品牌词", "爆款-连衣裙", "新品推广"), 1.2, 0.035),
    _ad("tmall", "万相台", 12, 5, ("拉新快", "货品加速"), 0.9, 0.02),
    _Source("tmall", "手淘搜索", 26, 22),
    _ad("tmall", "淘宝客", 10, 3, ("淘客-通用",), 0.3, 0.02),
    _ad("tmall", "淘宝直播", 7, 6, ("店铺直播",), 0.5, 0.015),
    _Source("tmall", "购物车", 4, 20),
    _Source("tmall", "我的淘宝", 3, 14),
    _Source("tmall", "外部链接", 3, 1, sells=False),
    _ad("jd", "京准通", 26, 10, ("京东快车-品牌", "京东快车-通用", "海投"), 1.4, 0.03),
    _Source("jd", "京东搜索", 30, 26),
    _ad("jd", "京挑客", 12, 4, ("京挑客-通用",), 0.35, 0.02),
    _Source("jd", "直接访问/收藏", 8, 30),
    _ad("pinduoduo", "多多搜索", 30, 14, ("搜索-爆款", "搜索-全站"), 0.5, 0.03),
    _ad("pinduoduo", "多多场景", 12, 6, ("场景-猜你喜欢",), 0.35, 0.012),
    _ad("pinduoduo", "多多进宝", 15, 5, ("多多进宝-通用",), 0.2, 0.02),
    _Source("pinduoduo", "自然搜索", 30, 30),
    _Source("pinduoduo", "直接访问", 6, 30),
    _ad("douyin", "抖音直播", 30, 38, ("日常直播", "品牌自播"), 0.4, 0.015),
    _Source("douyin", "抖音短视频", 14, 15),
    _ad("douyin", "巨量千川", 20, 8, ("千川-直播间", "千川-短视频"), 0.7, 0.018),
    _ad("douyin", "达人带货", 20, 9, ("达人-美妆", "达人-服饰"), 0.3, 0.01),
    _ad("douyin", "巨量引擎", 8, 2, ("开屏", "信息流"), 0.5, 0.008),
    _ad("official_site", "baidu / cpc", 15, 4, ("brand", "generic", "竞品词"), 3.2, 0.04),
    _ad("official_site", "google / cpc", 4, 1, ("brand", "generic"), 4.5, 0.035),
    _Source("official_site", "baidu / organic", 11, 8),
    _Source("official_site", "google / organic", 3, 2),
    _Source("official_site", "(direct) / (none)", 9, 30),
    _Source("official_site", "wechat", 6, 9),
    _ad("official_site", "xhs", 10, 4, ("种草笔记", "聚光-新品"), 0.9, 0.02),
    _ad("official_site", "kol", 6, 2, ("KOL-美妆", "KOL-穿搭"), 0.8, 0.012),
    _ad("official_site", "信息流", 8, 2, ("信息流-拉新", "再营销"), 0.6, 0.009),
    _Source("official_site", "email", 1, 10, ("会员日", "新品通知")),
    _Source("official_site", "sms", 1, 6, ("大促提醒",)),
    _Source("official_site", UNMAPPED_CHANNEL, 2, 0.5),
    _Source("official_site", "referral", 4, 3, sells=False),
    _Source("official_site", "weibo", 4, 2, sells=False),
    _Source("official_site", "bilibili", 3, 1, sells=False),
    _Source("mini_program", "微信", 28, 20),
    _Source("mini_program", "企业微信", 5, 30, ("社群秒杀", "会员日")),
    _ad("mini_program", "视频号", 20, 10, ("视频号直播",), 0.45, 0.015),
    _ad("mini_program", "腾讯广告", 25, 5, ("朋友圈广告", "公众号广告"), 0.7, 0.01),
    _Source("mini_program", "直接访问", 10, 25),
    _Source("offline", "直接访问", 85, 60),
    _Source("offline", "会员营销", 5, 25, ("会员日",)),
    _Source("offline", "企业微信", 10, 15),
)
_LIVE_ROOM = _SOURCES.index(next(s for s in _SOURCES if s.channel == "抖音直播"))

# Campaign spend per unit of revenue relative to the source (brand terms are cheap).
_CAMPAIGN_COST = {"品牌词": 0.6, "京东快车-品牌": 0.6, "brand": 0.5, "generic": 1.5, "竞品词": 1.3,
                  "再营销": 0.7, "拉新快": 1.2, "信息流-拉新": 1.2}  # fmt: skip


@dataclass(frozen=True)
class _Group:
    """Traffic behaviour and ad economics of a channel group."""

    conversion: float  # orders per session
    bounce: float
    dwell: float  # seconds per session
    new_visitors: float  # share of users who are new
    roas: float | None = None  # attributed net revenue / spend over the two years
    claim: float = 1.0  # ad platform's conversions and value / what the orders show


_GROUPS = {
    "marketplace_ads": _Group(0.035, 0.38, 100, 0.55, 3.5, 1.35),
    "affiliate": _Group(0.040, 0.35, 95, 0.60, 5.0, 1.10),
    "short_video_live": _Group(0.018, 0.66, 45, 0.50, 2.0, 1.60),
    "paid_search": _Group(0.015, 0.55, 70, 0.70, 0.8, 1.30),
    "display": _Group(0.015, 0.62, 50, 0.75, 0.6, 2.50),
    "influencer": _Group(0.025, 0.48, 80, 0.65, 1.5, 1.80),
    "social": _Group(0.022, 0.50, 90, 0.55, 2.5, 1.90),
    "organic_search": _Group(0.030, 0.40, 110, 0.45),
    "email_crm": _Group(0.040, 0.28, 150, 0.08),
    "direct": _Group(0.045, 0.30, 160, 0.20),
    "referral": _Group(0.015, 0.45, 85, 0.60),
    "other": _Group(0.020, 0.45, 80, 0.50),
}
_STORE_VISITS = _Group(0.15, 0.15, 540, 0.30)  # offline "sessions" are store visitors

_PAYMENTS = ("支付宝", "花呗", "微信支付", "京东支付", "京东白条", "抖音支付", "银联", "现金")
_PAYMENT_MIX = np.array([  # rows in _PLATFORMS order, columns in _PAYMENTS order
    [70, 25, 0, 0, 0, 0, 5, 0],
    [0, 0, 45, 40, 15, 0, 0, 0],
    [35, 0, 60, 0, 0, 0, 5, 0],
    [25, 0, 30, 0, 0, 45, 0, 0],
    [45, 0, 40, 0, 0, 0, 15, 0],
    [0, 0, 100, 0, 0, 0, 0, 0],
    [35, 0, 45, 0, 0, 0, 15, 5],
], float)  # fmt: skip

_REGIONS = ("广东", "浙江", "江苏", "上海", "北京", "山东", "四川", "河南", "湖北", "福建", "湖南",
            "安徽", "河北", "陕西", "重庆", "辽宁", "天津", "江西", "广西", "云南", "山西", "黑龙江",
            "吉林", "贵州", "内蒙古", "新疆", "甘肃", "海南", "宁夏", "青海", "西藏")  # fmt: skip
_REGION_WEIGHT = np.array([12, 9, 9, 6, 5, 6, 5, 5, 4, 4, 3.5, 3, 3, 2.5, 2.5, 2.5, 1.8, 2, 2, 2,
                           1.5, 1.5, 1.2, 1.3, 1, 0.8, 0.8, 0.7, 0.3, 0.2, 0.1])  # fmt: skip

_LINES_PER_ORDER = np.array([0.62, 0.26, 0.09, 0.03])  # 1, 2, 3, 4 lines
_HOURS = np.array([2.5, 1.2, 0.6, 0.4, 0.3, 0.4, 0.9, 1.8, 3, 4, 4.8, 5, 5.2, 4.8, 4.6, 4.6,
                   4.8, 4.6, 4.6, 5.5, 7, 8, 8, 5.5])  # fmt: skip
_LIVE_HOURS = np.where(np.arange(24) >= 19, 12.0, 0.6)  # live rooms sell in the evening
_STORE_HOURS = np.where((np.arange(24) >= 10) & (np.arange(24) < 22), 1.0, 0.0)
# Customer classes by id: of every 1,000 consecutive ids, 400 (a seeded
# choice) are loyalty members, 40 of those loyal regulars and 2 VIPs; one id in
# 5,000 — a VIP — is a top customer.
_CLASS_STRIDE, _TOP_STRIDE = 1_000, 5_000
_CLASS_SIZES = (400, 40, 2)  # members (all classes ≥ 1), loyal (≥ 2), VIP (3)
_NEVER_BOUGHT = 0.15  # members who signed up but never ordered, per member who did
_TIERS = ("Bronze", "Silver", "Gold", "Platinum")
_TIER_SPEND = (1_000, 5_000, 20_000)  # yuan over 365 days, METRICS.md defaults


def _cumulative(weights: np.ndarray) -> np.ndarray:
    """Row-normalised cumulative weights for sampling; zero-weight items are never drawn."""
    cum = np.cumsum(weights, axis=-1, dtype=float)
    return cum / cum[..., -1:]


def _pick(cum: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Sample per row: index of the first cumulative weight above u (cum: rows × k)."""
    return (cum <= u[:, None]).sum(axis=1)


def _pick_by_row(cum: np.ndarray, rows: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Like _pick with row cum[rows[i]] for item i, without materialising n × k weights."""
    out = np.empty(rows.size, np.int64)
    for r in range(cum.shape[0]):
        m = rows == r
        out[m] = np.searchsorted(cum[r], u[m], side="right")
    return out


def _hash01(ids: np.ndarray, salt: int) -> np.ndarray:
    """A stable uniform [0, 1) value per id (splitmix64), for per-customer attributes."""
    z = ids.astype(np.uint64) + np.uint64(salt * 0x9E3779B97F4A7C15 % 2**64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return (z >> np.uint64(11)).astype(np.float64) / 2.0**53


# --------------------------------------------------------------------------- the world


@dataclass
class _World:
    """Everything fixed before the first order is drawn."""

    seed: int
    start: np.datetime64
    dates: np.ndarray
    catalogue: _Catalogue
    platform_cum: np.ndarray  # [day, platform]
    source_cum: np.ndarray  # [repeat 0/1, platform, source]
    expected_orders: np.ndarray  # [day, source]; traffic-only sources included
    orders_per_day: np.ndarray
    promotion: np.ndarray  # [day] 1-based promotion window, 0 = none
    campaigns: list[tuple[int, str, int]]  # (source, name, promotion window or 0)
    campaign_cum: dict[int, np.ndarray]  # source -> [day, its campaigns]
    campaign_ids: dict[int, np.ndarray]  # source -> campaign indices
    campaign_names: list[str]  # distinct names, sorted
    campaign_name: np.ndarray  # [campaign] index into campaign_names
    sku_weight: np.ndarray  # [platform, sku] before seasonality and availability
    category_season: np.ndarray  # [day, category]
    units_per_index: np.ndarray  # [sku] expected units per day per unit of demand index
    plan_cum: np.ndarray  # cumulative demand index from day 0, extended past the end
    quantity_cut: np.ndarray  # [category, 5] cumulative P(quantity > 1 …)
    first_id: np.ndarray  # first customer id of each day, days -pre … n (offset pre)
    pre_days: int
    id_width: int
    member_class: np.ndarray  # [id % _CLASS_STRIDE] 0 = not a member, 1 member, 2 loyal, 3 VIP
    top_residue: int

    @property
    def n_days(self) -> int:
        return len(self.dates)

    def is_member(self, ids: np.ndarray) -> np.ndarray:
        return self.member_class[ids % _CLASS_STRIDE] > 0


def _build_world(seed: int, order_lines: int, end: dt.date) -> _World:
    rng = _rng(seed, _CALENDAR)
    end64 = np.datetime64(end, "D")
    start = end64 - (DAYS - 1)
    dates = start + np.arange(DAYS)
    index = _demand_index(dates, start) * rng.lognormal(0, 0.06, DAYS)
    years = np.arange(DAYS) / 365.25
    share = _PLATFORM_SHARE * _PLATFORM_TREND ** years[:, None]
    share /= share.sum(axis=1, keepdims=True)
    live = rng.random(DAYS) < 0.08
    share[:, _DOUYIN] *= np.where(live, rng.uniform(3, 5, DAYS), 1.0)
    intensity = index[:, None] * share  # expected orders per day × platform, up to scale

    lines_per_order = float(_LINES_PER_ORDER @ np.arange(1, 5))
    scale = order_lines / lines_per_order / intensity.sum()
    expected = scale * intensity.sum(axis=1)
    # Rounding the running total keeps the sum exact however the days are split.
    orders_per_day = np.diff(np.round(np.concatenate([[0.0], np.cumsum(expected)]))).astype(np.int64)

    platform_of = np.array([_PLATFORMS.index(s.platform) for s in _SOURCES])
    sells = np.array([s.sells for s in _SOURCES])
    source_weights = np.zeros((2, len(_PLATFORMS), len(_SOURCES)))
    for i, s in enumerate(_SOURCES):
        source_weights[:, platform_of[i], i] = (s.new, s.returning)
    selling = source_weights * sells
    share_of_platform = source_weights / selling.sum(axis=2, keepdims=True)
    mix = _REPEAT_SHARE * share_of_platform[1] + (1 - _REPEAT_SHARE) * share_of_platform[0]
    expected_orders = scale * intensity[:, platform_of] * mix[platform_of, np.arange(len(_SOURCES))]

    promotion = _promotion_of_day(dates)
    campaigns, campaign_cum, campaign_ids = _campaigns(promotion)
    names = sorted({name for _, name, _ in campaigns})

    catalogue = _build_catalogue(seed, DAYS)
    affinity = np.array([[_AFFINITY.get(p, {}).get(c, 1.0) for c in _CATEGORY_NAMES] for p in _PLATFORMS])
    sku_weight = catalogue.popularity * affinity[:, catalogue.category]
    multi = np.array([c.multi_unit for c in _CATEGORIES])
    quantity_cut = 1 - multi[:, None] * np.array([1.0, 0.35, 0.15, 0.07, 0.03])
    mean_units = 1 + (multi[:, None] * np.array([1.0, 0.35, 0.15, 0.07, 0.03])).sum(axis=1)
    mean_share = share.mean(axis=0) @ (sku_weight / sku_weight.sum(axis=1, keepdims=True))
    units_per_index = (
        scale * lines_per_order * intensity.sum(axis=1).mean() / index.mean()
        * mean_share * mean_units[catalogue.category]
    )  # fmt: skip
    plan_dates = start + np.arange(DAYS + 400)
    plan_cum = np.concatenate([[0.0], np.cumsum(_demand_index(plan_dates, start))])

    # Customers who first bought before the window, so repeat orders exist from day one.
    pre_days = DAYS
    pre_dates = start - pre_days + np.arange(pre_days)
    pre_new = (1 - _REPEAT_SHARE) * scale * _demand_index(pre_dates, start)
    first_id = np.zeros(pre_days + DAYS + 1, np.int64)
    first_id[1 : pre_days + 1] = np.maximum(np.round(np.cumsum(pre_new)), 1)
    member_class = np.zeros(_CLASS_STRIDE, np.int64)
    residues = rng.permutation(_CLASS_STRIDE)
    for level, size in enumerate(_CLASS_SIZES, start=1):
        member_class[residues[:size]] = level
    # Ids: customers from before the window, at most one new customer per order,
    # then the members who never bought (a share of the 40 % of ids that are members).
    max_ids = (first_id[pre_days] + orders_per_day.sum()) * (1 + _NEVER_BOUGHT * 0.4) + 10
    return _World(
        seed=seed,
        start=start,
        dates=dates,
        catalogue=catalogue,
        platform_cum=_cumulative(share),
        source_cum=_cumulative(selling),
        expected_orders=expected_orders,
        orders_per_day=orders_per_day,
        promotion=promotion,
        campaigns=campaigns,
        campaign_cum=campaign_cum,
        campaign_ids=campaign_ids,
        campaign_names=names,
        campaign_name=np.array([names.index(name) for _, name, _ in campaigns]),
        sku_weight=sku_weight,
        category_season=_category_season(dates),
        units_per_index=units_per_index,
        plan_cum=plan_cum,
        quantity_cut=quantity_cut,
        first_id=first_id,
        pre_days=pre_days,
        id_width=max(7, len(str(int(max_ids)))),
        member_class=member_class,
        top_residue=int(np.flatnonzero(member_class == 3)[0]),
    )


def _campaigns(promotion: np.ndarray) -> tuple[list[tuple[int, str, int]], dict, dict]:
    """All campaigns, and per source the daily cumulative weights to pick one for an order.

    During a promotion a paid source's promotion campaign takes ~60 % of its orders.
    """
    campaigns: list[tuple[int, str, int]] = []
    cum, ids = {}, {}
    for s, source in enumerate(_SOURCES):
        if not source.campaigns:
            continue
        own = [(s, name, 0) for name in source.campaigns]
        if source.paid:
            own += [(s, name, k + 1) for k, name in enumerate(_PROMOTIONS)]
        weights = np.array([[1.0 if w == 0 else 0.0 for _, _, w in own]] * len(promotion))
        for j, (_, _, w) in enumerate(own):
            if w:
                weights[promotion == w, j] = 1.5 * len(source.campaigns)
        ids[s] = np.arange(len(campaigns), len(campaigns) + len(own))
        cum[s] = _cumulative(weights)
        campaigns += own
    return campaigns, cum, ids


# --------------------------------------------------------------------------- orders


@dataclass
class _Orders:
    """One month of orders (sorted by time) and their lines."""

    day: np.ndarray
    seconds: np.ndarray
    seq: np.ndarray  # number of the order within its day, from 1
    platform: np.ndarray
    source: np.ndarray
    campaign: np.ndarray  # -1 = none
    status: np.ndarray
    customer: np.ndarray
    payment: np.ndarray
    line_order: np.ndarray  # order of each line


def _draw_orders(w: _World, a: int, b: int, rng: np.random.Generator) -> _Orders:
    """Orders of days a..b-1, sorted by time; SKUs are drawn later, against stock."""
    counts = w.orders_per_day[a:b]
    day = np.repeat(np.arange(a, b), counts)
    n = day.size
    platform = _pick(w.platform_cum[day], rng.random(n))
    repeat = rng.random(n) < _REPEAT_SHARE
    source_cum = w.source_cum.reshape(-1, len(_SOURCES))  # rows: (repeat, platform)
    source = _pick_by_row(source_cum, repeat * len(_PLATFORMS) + platform, rng.random(n))
    hour_cum = _cumulative(np.array([_HOURS, _LIVE_HOURS, _STORE_HOURS]))
    profile = np.where(source == _LIVE_ROOM, 1, np.where(platform == _OFFLINE, 2, 0))
    seconds = _pick_by_row(hour_cum, profile, rng.random(n)) * 3600 + rng.integers(0, 3600, n)
    order = np.lexsort((seconds, day))
    day, seconds, platform, repeat, source = (x[order] for x in (day, seconds, platform, repeat, source))
    seq = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts) + 1

    campaign = np.full(n, -1)
    u = rng.random(n)
    for s, cum in w.campaign_cum.items():
        m = source == s
        campaign[m] = w.campaign_ids[s][_pick(cum[day[m]], u[m])]

    age = w.n_days - 1 - day  # days before the end date
    u = rng.random(n)
    status = np.full(n, PAID)
    refund_chance = 0.045 * np.minimum(age / 14, 1)  # refunds need time to arrive
    status[u < 0.03] = CANCELLED
    status[(u >= 0.03) & (u < 0.03 + refund_chance)] = REFUNDED
    unpaid = np.array([0.12, 0.05, 0.015])[np.minimum(age, 2)] * (age < 3)
    status[rng.random(n) < unpaid] = PENDING

    customer = _customers(w, a, b, day, repeat, rng)
    payment = _pick_by_row(_cumulative(_PAYMENT_MIX), platform, rng.random(n))
    lines = 1 + np.searchsorted(_cumulative(_LINES_PER_ORDER), rng.random(n), side="right")
    return _Orders(day, seconds, seq, platform, source, campaign, status, customer, payment,
                   np.repeat(np.arange(n), lines))  # fmt: skip


def _customers(w: _World, a: int, b: int, day: np.ndarray, repeat: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:  # fmt: skip
    """Customer ids: new customers numbered in order, repeat orders pick a past customer.

    Loyalty is heavy-tailed, as in real shops: 6 % of repeat orders come from
    top customers (1 in 5,000: resellers, office buyers), 10 % from VIPs (0.2 %
    of customers), 20 % from loyal members (4 %), the rest from anyone, found
    by how long ago they first bought (log-uniform over 1–700 days: recent
    customers come back most), with non-members re-drawn 60 % of the time.
    Classes are fixed per id (see _World.member_class), so how often one
    customer buys does not depend on the data size.
    """
    pre = w.pre_days
    new_per_day = np.bincount(day[~repeat] - a, minlength=b - a)
    w.first_id[pre + a + 1 : pre + b + 1] = w.first_id[pre + a] + np.cumsum(new_per_day)
    customer = np.empty(day.size, np.int64)
    customer[~repeat] = w.first_id[pre + a] + np.arange((~repeat).sum())

    back = np.flatnonzero(repeat)
    existing = w.first_id[pre + day[back]]  # ids below this had bought before today
    kind = rng.random(back.size)
    u = rng.random(back.size)

    def of_class(level: int) -> np.ndarray:
        """A random existing id of a class (one past `existing` when there is none)."""
        residues = np.flatnonzero(w.member_class == level)
        ids = np.floor(u * (existing // _CLASS_STRIDE + 1)) * _CLASS_STRIDE
        ids += residues[rng.integers(0, residues.size, back.size)]
        return np.where(ids >= existing, ids - _CLASS_STRIDE, ids)

    top = w.top_residue + _TOP_STRIDE * np.floor(u * ((existing - w.top_residue) // _TOP_STRIDE + 1))
    pick = np.select([kind < 0.06, kind < 0.16, kind < 0.36], [top, of_class(3), of_class(2)], -1)
    pick = pick.astype(np.int64)

    def past_customer(days: np.ndarray) -> np.ndarray:
        lag = np.floor(np.exp(rng.random(days.size) * np.log(700))).astype(np.int64)
        lo = w.first_id[pre + days - lag]
        hi = w.first_id[pre + days - lag + 1]
        pick = lo + np.floor(rng.random(days.size) * (hi - lo)).astype(np.int64)
        return np.minimum(pick, w.first_id[pre + days] - 1)

    anyone = (pick < 0) | (pick >= existing)  # also when no such customer exists yet
    pick[anyone] = past_customer(day[back[anyone]])
    again = anyone & ~w.is_member(pick) & (rng.random(back.size) < 0.6)
    pick[again] = past_customer(day[back[again]])
    customer[back] = pick
    return customer


# --------------------------------------------------------------------------- stock


class _Stock:
    """Daily stock of every SKU under a reorder-point policy with forecast demand."""

    def __init__(self, w: _World, rng: np.random.Generator) -> None:
        c = w.catalogue
        self.w, self.c = w, c
        self.safety = np.ceil(0.5 * c.lead_time).astype(np.int64) + 3
        self.on_hand = np.zeros(c.size, np.int64)
        self.on_order = np.zeros(c.size, np.int64)
        self.arrivals = np.zeros((w.n_days + 120, c.size), np.int64)
        self.delay = rng.integers(0, 4, (w.n_days, c.size))  # suppliers are late, rarely early
        self.bulk = np.zeros((w.n_days, c.size), np.int64)
        for day, sku, days in c.bulk_buys:
            self.bulk[max(day, 0), sku] = days
        at_start = c.launch == 0
        first = c.lead_time + self.safety + np.round(c.cover_days * rng.uniform(0.2, 1.0, c.size)).astype(np.int64)
        self.on_hand[at_start] = self._units(0, first)[at_start]

    def _units(self, t: int, days: np.ndarray, ahead: np.ndarray | int = 0) -> np.ndarray:
        """Forecast units sold over `days` days starting `ahead` days after day t, rounded up."""
        lo = t + 1 + np.asarray(ahead)
        total = self.w.plan_cum[lo + days] - self.w.plan_cum[lo]
        moq = np.maximum(self.c.moq, 1)
        return np.ceil(np.maximum(self.w.units_per_index * total, 1) / moq).astype(np.int64) * moq

    def open(self, t: int) -> np.ndarray:
        """Receive the morning's deliveries and launches; return the SKUs on the snapshot."""
        c = self.c
        self.on_hand += self.arrivals[t]
        self.on_order -= self.arrivals[t]
        launching = c.launch == t
        if t and launching.any():
            self.on_hand[launching] = self._units(t, 60)[launching]
        return np.flatnonzero(c.launch <= t)

    def close(self, t: int) -> None:
        """Evening purchase orders for SKUs whose stock position fell below the reorder point."""
        c = self.c
        reorder_point = self.w.units_per_index * (
            self.w.plan_cum[t + 1 + c.lead_time + self.safety] - self.w.plan_cum[t + 1]
        )
        low = (self.on_hand + self.on_order <= reorder_point) & (c.launch <= t) & (t < c.no_orders_from)
        qty = np.where(low, self._units(t, c.cover_days, c.lead_time), 0)
        bulk = self.bulk[t] > 0
        qty[bulk] += self._units(t, self.bulk[t], c.lead_time)[bulk]
        self.on_order += qty
        arrive = t + c.lead_time + self.delay[t]
        delivered = (qty > 0) & (t < c.undelivered_from)
        self.arrivals[arrive[delivered], np.flatnonzero(delivered)] += qty[delivered]


def _grouped_cumsum(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Running total of values within each key, in the original order."""
    order = np.argsort(keys, kind="stable")
    v = values[order]
    total = np.cumsum(v)
    first = np.r_[True, keys[order][1:] != keys[order][:-1]]
    base = np.maximum.accumulate(np.where(first, total - v, 0))
    out = np.empty_like(total)
    out[order] = total - base
    return out


def _fill_day(w: _World, t: int, on_hand: np.ndarray, order: np.ndarray, platform: np.ndarray,
              consumes: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """SKU and quantity of each line of day t (lines in time order), censored by stock.

    A line only gets a SKU with units left; a paid line takes its units off the
    shelf. A line whose SKU ran out is re-drawn among the SKUs still in stock as
    one unit (the shopper takes something else), as is a line that repeats a
    SKU of its order (that would be one line with more units); the few that find
    nothing after several tries are dropped (sku -1).
    """
    c = w.catalogue
    sku = np.full(platform.size, -1)
    qty = np.zeros(platform.size, np.int64)
    left = on_hand.copy()
    on_sale = (c.launch <= t) & (t < c.stop)
    weight = w.sku_weight * w.category_season[t, c.category] * on_sale
    todo = np.arange(platform.size)
    for attempt in range(6):
        if todo.size == 0:
            break
        cum = np.cumsum(weight * (left > 0), axis=1)  # [platform, sku], not normalised
        p = platform[todo]
        s = _pick_by_row(cum, p, rng.random(todo.size) * cum[p, -1])
        s[(s >= c.size) | (cum[p, -1] == 0)] = -1  # nothing in stock for this platform
        if attempt == 0:
            q = 1 + _pick(w.quantity_cut[c.category[np.maximum(s, 0)]], rng.random(todo.size))
        else:
            q = np.ones(todo.size, np.int64)
        units = np.where(consumes[todo], q, 0)
        key = order[todo] * c.size + s
        first = np.zeros(todo.size, bool)
        first[np.unique(key, return_index=True)[1]] = True
        placed = sku >= 0
        new_in_order = first & ~np.isin(key, order[placed] * c.size + sku[placed])
        fits = (s >= 0) & new_in_order & (left[s] > 0) & (_grouped_cumsum(s, units) <= left[s])
        sku[todo[fits]], qty[todo[fits]] = s[fits], q[fits]
        left -= np.bincount(s[fits], units[fits], minlength=c.size).astype(np.int64)
        todo = todo[~fits]
    return sku, qty


# --------------------------------------------------------------------------- writing


def _write_csv(path: Path, header: tuple[str, ...], columns: dict[str, pa.Array]) -> int:
    """Write a UTF-8 CSV with the declared header, via a .part file (which ingest ignores)."""
    if tuple(columns) != header:
        raise AssertionError(f"{path.name}: columns {tuple(columns)} differ from {header}")
    table = pa.table(columns)
    part = path.with_name(path.name + ".part")
    with open(part, "wb") as f:
        f.write((",".join(columns) + "\n").encode())
        # "none" quoting: no generated value holds a comma or quote, and the
        # writer raises if one ever does instead of writing a broken row.
        pacsv.write_csv(table, f, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    part.replace(path)
    return table.num_rows


def _decimal(units: np.ndarray, scale: int = 2, valid: np.ndarray | None = None) -> pa.Array:
    """Decimal straight from integer units of 10**-scale (cents → 12.50), empty where not valid.

    Building the 128-bit values in numpy avoids formatting millions of floats.
    """
    units = np.ascontiguousarray(units, np.int64)
    words = np.empty((units.size, 2), np.int64)
    words[:, 0], words[:, 1] = units, units >> 63  # two's complement, little endian
    bitmap = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(pa.decimal128(14, scale), units.size, [bitmap, pa.py_buffer(words)])


def _labels(codes: np.ndarray, values: list[str] | tuple[str, ...], valid: np.ndarray | None = None) -> pa.Array:
    mask = None if valid is None else ~valid
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32), mask=mask), pa.array(values))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Fixed-width text ids (prefix + zero-padded digits) built without Python strings."""
    n = numbers.size
    head = np.frombuffer(prefix.encode(), np.uint8)
    chars = np.empty((n, head.size + width), np.uint8)
    chars[:, : head.size] = head
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    chars[:, head.size :] = numbers.astype(np.int64)[:, None] // powers % 10 + 48
    offsets = np.arange(0, (n + 1) * chars.shape[1], chars.shape[1], dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(chars)])


def _int(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    return pa.array(values.astype(np.int64), mask=None if valid is None else ~valid)


# --------------------------------------------------------------------------- one month


@dataclass
class _Totals:
    """What later tables need from the orders, accumulated month by month."""

    purchases: np.ndarray  # [day, source] non-cancelled orders
    source_revenue: np.ndarray  # [day, source] net revenue
    campaign_revenue: np.ndarray  # [day, campaign]
    campaign_orders: np.ndarray  # [day, campaign] orders with a paid line
    day_orders: np.ndarray
    spend_365: np.ndarray  # [customer] net revenue in the 365 days ending the end date
    seen: np.ndarray  # [customer] has an order line


def _month(w: _World, a: int, b: int, stock: _Stock, totals: _Totals, out: Path) -> tuple[int, int]:
    """Generate, stock-check and write the orders and inventory of days a..b-1."""
    key = int(w.dates[a].astype("datetime64[M]").astype(np.int64))
    rng = _rng(w.seed, _ORDERS, key)
    o = _draw_orders(w, a, b, rng)
    sku, qty, snapshots = _sell(w, o, a, b, stock, _rng(w.seed, _STOCK, key))
    kept = sku >= 0
    lines = _Lines(o, o.line_order[kept], sku[kept], qty[kept])
    money = _money(w, lines, rng)
    _add_totals(w, o, lines, money.net, a, b, totals)
    month = str(w.dates[a].astype("datetime64[M]"))
    written = _write_orders(w, lines, money, a, b, out / "orders" / f"orders_{month}.csv")
    return written, _write_inventory(w, snapshots, out / "inventory" / f"inventory_{month}.csv")


def _sell(w: _World, o: _Orders, a: int, b: int, stock: _Stock,
          rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, list]:  # fmt: skip
    """Run the shop day by day: snapshot, sell the day's lines from stock, reorder.

    Returns each line's SKU (-1: dropped, nothing in stock) and quantity, and
    the snapshots as (day, skus listed, on_hand, on_order).
    """
    line_day = o.day[o.line_order]
    status = o.status[o.line_order]
    consumes = (status == PAID) | (status == REFUNDED)  # cancelled and pending lines ship nothing
    platform = o.platform[o.line_order]
    bounds = np.searchsorted(line_day, np.arange(a, b + 1))
    sku = np.empty(line_day.size, np.int64)
    qty = np.empty(line_day.size, np.int64)
    snapshots = []
    for t in range(a, b):
        listed = stock.open(t)
        snapshots.append((t, listed, stock.on_hand[listed].copy(), stock.on_order[listed].copy()))
        day = slice(bounds[t - a], bounds[t - a + 1])
        sku[day], qty[day] = _fill_day(w, t, stock.on_hand, o.line_order[day], platform[day], consumes[day], rng)
        sold = (sku[day] >= 0) & consumes[day]
        stock.on_hand -= np.bincount(sku[day][sold], qty[day][sold], minlength=w.catalogue.size).astype(np.int64)
        stock.close(t)
    return sku, qty, snapshots


class _Lines:
    """The order lines that got a SKU, each with its order's attributes."""

    def __init__(self, o: _Orders, order: np.ndarray, sku: np.ndarray, qty: np.ndarray) -> None:
        self.order, self.sku, self.qty = order, sku, qty
        for name in ("day", "seconds", "seq", "platform", "source", "campaign", "status", "customer", "payment"):
            setattr(self, name, getattr(o, name)[order])
        self.paid = (self.status == PAID) | (self.status == REFUNDED)


@dataclass
class _Money:
    """Per line, in cents."""

    discount: np.ndarray
    has_discount: np.ndarray
    refund: np.ndarray
    has_refund: np.ndarray
    net: np.ndarray  # net revenue as METRICS.md defines it (0 for unpaid lines)


def _money(w: _World, lines: _Lines, rng: np.random.Generator) -> _Money:
    """Coupons (more and deeper during festivals, most on Pinduoduo), refunds, net revenue."""
    n = lines.sku.size
    gross = lines.qty * w.catalogue.price[lines.sku]
    promo = w.promotion[lines.day] > 0
    pdd = lines.platform == _PLATFORMS.index("pinduoduo")
    has_discount = rng.random(n) < np.where(promo, 0.55, 0.25) + 0.15 * pdd
    rate = np.where(promo, rng.uniform(0.10, 0.30, n), rng.uniform(0.05, 0.15, n))
    discount = np.minimum(np.round(gross * rate / 100) * 100, gross).astype(np.int64) * has_discount
    has_discount &= discount > 0
    payable = gross - discount
    u = rng.random(n)
    refunded = lines.status == REFUNDED
    full = refunded & (u < 0.5)  # the other half leave it empty: the whole line is implied
    settled = w.n_days - 1 - lines.day >= 3  # partial refunds (price protection, a missing item) come later
    partial = (lines.status == PAID) & (u < 0.025) & settled & (payable > 100)
    refund = np.where(full, payable, np.where(partial, np.round(payable * rng.uniform(0.1, 0.6, n)), 0))
    refund = refund.astype(np.int64)
    net = np.where(lines.paid, payable - np.where(refunded, payable, refund), 0)
    return _Money(discount, has_discount, refund, full | partial, net)


def _write_orders(w: _World, lines: _Lines, money: _Money, a: int, b: int, path: Path) -> int:
    c = w.catalogue
    yymmdd = np.array([int(d.strftime("%y%m%d")) for d in w.dates[a:b].astype(dt.date)])
    epoch_days = (w.dates[lines.day] - np.datetime64("1970-01-01", "D")).astype(np.int64)
    return _write_csv(path, ORDER_COLUMNS, {
        "order_id": _ids("SO", yymmdd[lines.day - a] * 10**7 + lines.seq, 13),
        "order_time": pa.array((epoch_days * 86400 + lines.seconds).astype("datetime64[s]")),
        "customer_id": _ids("C", lines.customer, w.id_width),
        "sku": _labels(lines.sku, c.code),
        "product_name": _labels(lines.sku, c.name),
        "category": _labels(c.category[lines.sku], _CATEGORY_NAMES),
        "quantity": _int(lines.qty),
        "unit_price": _decimal(c.price[lines.sku]),
        "discount": _decimal(money.discount, valid=money.has_discount),
        "refund_amount": _decimal(money.refund, valid=money.has_refund),
        "status": _labels(lines.status, STATUSES),
        "channel": _labels(lines.source, [s.channel for s in _SOURCES]),
        "campaign": _labels(w.campaign_name[np.maximum(lines.campaign, 0)], w.campaign_names, lines.campaign >= 0),
        "platform": _labels(lines.platform, _PLATFORMS),
        "region": _labels(_region(lines.customer, w.seed), _REGIONS),
        "payment_method": _labels(lines.payment, _PAYMENTS),
    })  # fmt: skip


def _region(customer: np.ndarray, seed: int) -> np.ndarray:
    """A customer's province, stable across their orders and the members table."""
    return np.searchsorted(_cumulative(_REGION_WEIGHT), _hash01(customer, seed * 1000 + 2), side="right")


def _add_totals(w: _World, o: _Orders, lines: _Lines, net: np.ndarray, a: int, b: int, totals: _Totals) -> None:
    n = o.day.size
    alive = np.bincount(lines.order, minlength=n) > 0  # kept at least one line
    order_net = np.bincount(lines.order, net, minlength=n)
    paid = np.bincount(lines.order, lines.paid, minlength=n) > 0
    day = o.day - a
    n_src, n_camp = len(_SOURCES), len(w.campaigns)

    def per_day(cells: np.ndarray, width: int, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(cells, weights, minlength=(b - a) * width).reshape(b - a, width)

    buying = alive & (o.status != CANCELLED)
    totals.purchases[a:b] += per_day(day[buying] * n_src + o.source[buying], n_src).astype(np.int64)
    totals.source_revenue[a:b] += per_day(day * n_src + o.source, n_src, order_net)
    has = o.campaign >= 0
    cell = day[has] * n_camp + o.campaign[has]
    totals.campaign_revenue[a:b] += per_day(cell, n_camp, order_net[has])
    totals.campaign_orders[a:b] += per_day(cell, n_camp, paid[has].astype(float)).astype(np.int64)
    totals.day_orders[a:b] += np.bincount(day[paid], minlength=b - a)
    recent = o.day >= w.n_days - 365
    np.add.at(totals.spend_365, o.customer[recent], order_net[recent] / 100)
    totals.seen[o.customer[alive]] = True


def _write_inventory(w: _World, snapshots: list, path: Path) -> int:
    c = w.catalogue
    day = np.concatenate([np.full(len(s[1]), s[0]) for s in snapshots])
    sku = np.concatenate([s[1] for s in snapshots])
    supplier_names = [s.name for s in _SUPPLIERS]
    return _write_csv(path, INVENTORY_COLUMNS, {
        "snapshot_date": pa.array(w.dates[day]),
        "sku": _labels(sku, c.code),
        "product_name": _labels(sku, c.name),
        "category": _labels(c.category[sku], _CATEGORY_NAMES),
        "on_hand": _int(np.concatenate([s[2] for s in snapshots])),
        "on_order": _int(np.concatenate([s[3] for s in snapshots])),
        "lead_time_days": _int(c.lead_time[sku], c.lead_time_known[sku]),
        "unit_cost": _decimal(c.cost[sku]),
        "min_order_qty": _int(c.moq[sku], c.moq[sku] > 0),
        "supplier": _labels(c.supplier[sku], supplier_names),
    })  # fmt: skip


# --------------------------------------------------------------------------- derived tables


def _moving_average(x: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average along axis 0, over the days available at the edges."""
    pad = np.concatenate([np.zeros((1, x.shape[1])), np.cumsum(x, axis=0)])
    n = x.shape[0]
    lo = np.clip(np.arange(n) - width // 2, 0, n)
    hi = np.clip(np.arange(n) + width // 2 + 1, 0, n)
    return (pad[hi] - pad[lo]) / (hi - lo)[:, None]


def _write_ad_spend(w: _World, totals: _Totals, path: Path) -> int:
    """Spend follows attributed revenue; each group's two-year ROAS is scaled to its target."""
    rng = _rng(w.seed, _ADS)
    src = np.array([s for s, _, _ in w.campaigns])
    paid = np.array([_SOURCES[s].paid for s in src])
    window = np.array([p for _, _, p in w.campaigns])
    active = (window == 0) | (w.promotion[:, None] == window)
    active &= paid
    revenue = totals.campaign_revenue / 100
    # Budgets react to sales, and are raised in the ten days before 618 and 双11 (蓄水).
    ahead = np.zeros(w.n_days, bool)
    for k in range(1, 11):
        ahead[:-k] |= np.isin(w.promotion[k:], (1, 2))
    ahead &= w.promotion == 0
    level = 0.5 * revenue + 0.5 * _moving_average(revenue, 15)
    floor = 0.15 * revenue.sum(axis=0) / np.maximum(active.sum(axis=0), 1)
    cost = np.array([_CAMPAIGN_COST.get(name, 1.15 if p else 1.0) for _, name, p in w.campaigns])
    spend = np.maximum(level, floor) * cost * np.where(ahead, 1.6, 1.0)[:, None]
    spend *= rng.lognormal(0, 0.15, spend.shape) * active
    groups = np.array([_SOURCES[s].group for s in src])
    src_group = np.array([s.group for s in _SOURCES])
    # Platforms also claim orders the shop credits to unpaid sources of the same
    # group (view-through, cross-device), so claims scale with the group's revenue.
    claim = np.ones(len(w.campaigns))
    for group, g in _GROUPS.items():
        in_group = groups == group
        if g.roas and spend[:, in_group].sum() > 0:
            group_revenue = totals.source_revenue[:, src_group == group].sum() / 100
            spend[:, in_group] *= group_revenue / g.roas / spend[:, in_group].sum()
            claim[in_group] = g.claim * group_revenue / max(revenue[:, in_group].sum(), 1e-9)
    spend_cents = np.round(spend * 100).astype(np.int64)

    t, k = np.nonzero(active)
    cpc = np.array([_SOURCES[s].cpc for s in src])[k]
    ctr = np.array([_SOURCES[s].ctr for s in src])[k]
    orders = totals.campaign_orders[t, k]
    clicks = np.maximum(np.round(spend[t, k] / cpc * rng.lognormal(0, 0.1, t.size)), orders).astype(np.int64)
    impressions = np.round(clicks / ctr * rng.lognormal(0, 0.1, t.size)).astype(np.int64)
    conversions = np.maximum(np.round(orders * claim[k] * rng.lognormal(0, 0.1, t.size)), orders)
    value = np.maximum(revenue[t, k] * claim[k] * rng.lognormal(0, 0.1, t.size), revenue[t, k])
    return _write_csv(path, AD_SPEND_COLUMNS, {
        "date": pa.array(w.dates[t]),
        "channel": _labels(src[k], [s.channel for s in _SOURCES]),
        "campaign": _labels(w.campaign_name[k], w.campaign_names),
        "platform": _labels(np.array([_PLATFORMS.index(_SOURCES[s].platform) for s in src])[k], _PLATFORMS),
        "impressions": _int(impressions),
        "clicks": _int(clicks),
        "spend": _decimal(spend_cents[t, k]),
        "conversions": _int(conversions),
        "conversion_value": _decimal(np.round(value * 100)),
    })  # fmt: skip


def _write_traffic(w: _World, totals: _Totals, path: Path) -> tuple[int, np.ndarray]:
    """Sessions from expected orders and conversion rates; the funnel narrows to the real purchases.

    Returns the row count and the sessions per day (for the targets).
    """
    rng = _rng(w.seed, _TRAFFIC)
    behaviour = [_STORE_VISITS if s.platform == "offline" else _GROUPS[s.group] for s in _SOURCES]

    def attr(name: str) -> np.ndarray:
        return np.array([getattr(g, name) for g in behaviour])

    shape = totals.purchases.shape
    purchases = totals.purchases

    def noise(sigma: float = 0.1) -> np.ndarray:
        return rng.lognormal(0, sigma, shape)

    sessions = np.maximum(np.round(w.expected_orders / attr("conversion") * noise(0.15)), 1)
    checkouts = np.round(sessions * attr("conversion") / 0.7 * noise())  # ~70 % of checkouts pay
    checkouts = np.maximum(checkouts, purchases)
    add_to_cart = np.maximum(np.round(checkouts / 0.45 * noise()), checkouts)
    bounce = attr("bounce")
    viewed = 1 - bounce + 0.25 * bounce  # a quarter of bounces landed on a product page
    product_views = np.maximum(np.round(sessions * viewed * noise(0.05)), add_to_cart)
    sessions = np.maximum(sessions, product_views)
    bounces = np.minimum(np.round(sessions * bounce * noise(0.08)), sessions - add_to_cart)
    users = np.clip(np.round(sessions / rng.uniform(1.1, 1.35, shape)), 1, sessions)
    new_users = np.minimum(np.round(users * attr("new_visitors") * noise()), users)
    dwell = np.round(attr("dwell") * noise(0.12) * 10)  # tenths of a second
    t, s = np.indices(shape).reshape(2, -1)
    flat = {name: a.reshape(-1) for name, a in (
        ("sessions", sessions), ("users", users), ("new_users", new_users), ("bounces", bounces))}  # fmt: skip
    rows = _write_csv(path, TRAFFIC_COLUMNS, {
        "date": pa.array(w.dates[t]),
        "channel": _labels(s, [x.channel for x in _SOURCES]),
        "platform": _labels(np.array([_PLATFORMS.index(x.platform) for x in _SOURCES])[s], _PLATFORMS),
        **{name: _int(a) for name, a in flat.items()},
        "avg_session_seconds": _decimal(dwell.reshape(-1), scale=1),
        "product_views": _int(product_views.reshape(-1)),
        "add_to_cart": _int(add_to_cart.reshape(-1)),
        "checkouts": _int(checkouts.reshape(-1)),
        "purchases": _int(purchases.reshape(-1)),
    })  # fmt: skip
    return rows, sessions.sum(axis=1)


def _write_members(w: _World, totals: _Totals, path: Path) -> int:
    """~40 % of buyers plus sign-ups who never bought; tier from the 365-day spend."""
    rng = _rng(w.seed, _MEMBERS)
    buyers = np.flatnonzero(totals.seen)
    buyers = buyers[w.is_member(buyers)]
    never_bought = w.first_id[w.pre_days + w.n_days] + np.arange(round(_NEVER_BOUGHT * buyers.size))
    ids = np.concatenate([buyers, never_bought])
    n = ids.size
    first_day = np.searchsorted(w.first_id, buyers, side="right") - 1 - w.pre_days
    # Half join at their first checkout, the rest had signed up earlier.
    signed_up_before = np.where(rng.random(buyers.size) < 0.5, 0, rng.integers(1, 400, buyers.size))
    joined = np.concatenate([first_day - signed_up_before, rng.integers(-365, w.n_days, never_bought.size)])
    spend = np.concatenate([totals.spend_365[buyers], np.zeros(never_bought.size)])
    born = np.clip(np.round(rng.normal(1992, 8, n)), 1960, 2006).astype(np.int64)
    birthday = (born - 1970).astype("datetime64[Y]").astype("datetime64[D]") + rng.integers(0, 365, n)
    gender = np.searchsorted(_cumulative(np.array([66, 28, 6])), rng.random(n), side="right")  # 女, 男, unknown
    return _write_csv(path, MEMBER_COLUMNS, {
        "customer_id": _ids("C", ids, w.id_width),
        "joined_date": pa.array(w.start + joined),
        "tier": _labels(np.searchsorted(_TIER_SPEND, spend, side="right"), _TIERS),
        "points_balance": _int(np.floor(spend * rng.uniform(0.2, 1.0, n)) + 100),  # 100: sign-up gift
        "birthday": pa.array(birthday, mask=rng.random(n) < 0.12),
        "region": _labels(_region(ids, w.seed), _REGIONS),
        "gender": _labels(np.minimum(gender, 1), ("女", "男"), gender < 2),
    })  # fmt: skip


def _round_significant(x: np.ndarray, digits: int = 3) -> np.ndarray:
    magnitude = 10 ** np.maximum(np.floor(np.log10(np.maximum(x, 1))) - digits + 1, 0)
    return np.round(x / magnitude) * magnitude


def _write_targets(w: _World, actual: dict[str, np.ndarray], path: Path) -> int:
    """Monthly targets: the month's expected value (by the demand index) ± 10 %, rounded."""
    rng = _rng(w.seed, _TARGETS)
    first = w.dates[0].astype("datetime64[M]")
    months = np.arange(first, w.dates[-1].astype("datetime64[M]") + 2)
    month_dates = np.arange(months[0].astype("datetime64[D]"), months[-1].astype("datetime64[D]") + 31)
    month_dates = month_dates[month_dates.astype("datetime64[M]") <= months[-1]]
    index = _demand_index(month_dates, w.start)
    month_of = (month_dates.astype("datetime64[M]") - first).astype(np.int64)
    in_window = (month_dates >= w.dates[0]) & (month_dates <= w.dates[-1])
    per_month = np.bincount(month_of, index, minlength=months.size)
    rows_month, rows_metric, rows_target = [], [], []
    for metric, daily in actual.items():
        expected = per_month * daily.sum() / index[in_window].sum()
        target = _round_significant(expected * rng.uniform(0.9, 1.1, months.size))
        rows_month += [str(m) for m in months]
        rows_metric += [metric] * months.size
        rows_target.append(target)
    return _write_csv(path, TARGET_COLUMNS, {
        "month": pa.array(rows_month),
        "metric": pa.array(rows_metric),
        "target": _int(np.concatenate(rows_target)),
    })  # fmt: skip


# --------------------------------------------------------------------------- public API


def _table_files(directory: Path) -> list[Path]:
    """Table files ingest would read (hidden files and folders such as the cache excluded)."""
    if not directory.exists():
        return []
    return sorted(
        f for f in directory.rglob("*")
        if f.suffix.lower() in TABLE_SUFFIXES
        and not any(part.startswith(".") for part in f.relative_to(directory).parts)
    )  # fmt: skip


def generate(
    data_dir: str | Path,
    order_lines: int = 300_000,
    seed: int = 7,
    end: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Write two years of demo data (730 days ending ``end``, default yesterday) into ``data_dir``.

    ``order_lines`` is the approximate number of order lines (± 2 %). The
    output is byte-identical for the same (order_lines, seed, end). Raises
    FileExistsError when ``data_dir`` already holds a table file, so user data
    is never overwritten. Returns the date range, the files written and the
    rows per table.
    """
    if order_lines < 1_000:
        raise ValueError("order_lines must be at least 1000")
    if seed < 0:
        raise ValueError("seed must be >= 0")
    end = end or dt.date.today() - dt.timedelta(days=1)
    out = Path(data_dir)
    existing = _table_files(out)
    if existing:
        raise FileExistsError(f"{out} already holds table files ({existing[0]} …); demo data needs an empty folder")
    say = progress or (lambda message: None)
    (out / "orders").mkdir(parents=True, exist_ok=True)
    (out / "inventory").mkdir(exist_ok=True)

    w = _build_world(seed, order_lines, end)
    stock = _Stock(w, _rng(seed, _STOCK))
    n_customers = int(w.first_id[w.pre_days] + w.orders_per_day.sum())
    totals = _Totals(
        purchases=np.zeros((w.n_days, len(_SOURCES)), np.int64),
        source_revenue=np.zeros((w.n_days, len(_SOURCES))),
        campaign_revenue=np.zeros((w.n_days, len(w.campaigns))),
        campaign_orders=np.zeros((w.n_days, len(w.campaigns)), np.int64),
        day_orders=np.zeros(w.n_days, np.int64),
        spend_365=np.zeros(n_customers),
        seen=np.zeros(n_customers, bool),
    )
    rows = {"orders": 0, "inventory": 0}
    month = w.dates.astype("datetime64[M]")
    bounds = [*np.flatnonzero(np.r_[True, month[1:] != month[:-1]]), w.n_days]
    for a, b in itertools.pairwise(bounds):
        lines, snapshots = _month(w, int(a), int(b), stock, totals, out)
        rows["orders"] += lines
        rows["inventory"] += snapshots
        say(f"orders {month[a]}: {lines:,} lines")
    say("ad_spend")
    rows["ad_spend"] = _write_ad_spend(w, totals, out / "ad_spend.csv")
    say("traffic")
    rows["traffic"], sessions = _write_traffic(w, totals, out / "traffic.csv")
    say("members")
    rows["members"] = _write_members(w, totals, out / "members.csv")
    actual = {
        "net_revenue": totals.source_revenue.sum(axis=1) / 100,
        "orders": totals.day_orders.astype(float),
        "sessions": sessions,
    }
    rows["targets"] = _write_targets(w, actual, out / "targets.csv")
    return {
        "data_dir": str(out),
        "start": str(w.dates[0]),
        "end": str(w.dates[-1]),
        "days": w.n_days,
        "files": sorted(str(f.relative_to(out)) for f in _table_files(out)),
        "rows": rows,
    }
