"""Import profiles: each platform export, shaped like the real file, loads into known contract rows.

Every fixture copies the export's real header and value formats; the source is cited in each test
(the platform's documentation, and ../shared/EXPORT_FORMATS.md, which records what real files hold).
Totals are worked out by hand in the comments.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from test_ingest import JAN, net_revenue, rejects, report, sql

from storeops import profiles
from storeops.filters import Filters
from storeops.metrics import kpis

pytestmark = pytest.mark.usefixtures("isolated_cache_env")


def csv_text(header: list[str], rows: list[dict[str, str]], delimiter: str = ",") -> str:
    """A CSV with ``header``; each row gives some columns by name, the others are empty."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        unknown = set(row) - set(header)
        assert not unknown, unknown
        writer.writerow([row.get(h, "") for h in header])
    return out.getvalue()


# ---------------------------------------------------------------- Shopify
# Source: https://help.shopify.com/en/manual/fulfillment/managing-orders/exporting-orders and
# EXPORT_FORMATS.md (grade A: header of a real orders_export_1.csv; order-level fields on the first line only).
SHOPIFY_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,"
    "Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,"
    "Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,"
    "Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,"
    "Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,"
    "Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,"
    "Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,"
    "Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,"
    "Lineitem discount,Tax 1 Name,Tax 1 Value,Phone,Receipt Number,Duties,Billing Province Name,"
    "Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References"
).split(",")


def test_shopify_orders_export(make_ingest) -> None:
    first = {"Currency": "CNY", "Source": "web", "Payment Method": "Shopify Payments", "Shipping Province": "ZJ"}
    rows = [
        # #1001: two lines; order-level cells (status, time, discount) on the first line only.
        {**first, "Name": "#1001", "Email": "a@x.cn", "Financial Status": "paid", "Discount Amount": "10.00",
         "Created at": "2024-01-05 10:11:12 +0800", "Lineitem quantity": "2", "Lineitem name": "Tea 100g",
         "Lineitem price": "50.00", "Lineitem sku": "T-100", "Refunded Amount": "0.00"},
        {"Name": "#1001", "Email": "a@x.cn", "Lineitem quantity": "1", "Lineitem name": "Cup",
         "Lineitem price": "30.00", "Lineitem sku": "C-1"},
        # #1002: refunded in full (Refunded Amount is order-level).
        {**first, "Name": "#1002", "Email": "b@x.cn", "Financial Status": "refunded", "Discount Amount": "0.00",
         "Created at": "2024-01-06 09:00:00 +0800", "Lineitem quantity": "1", "Lineitem name": "Tea 250g",
         "Lineitem price": "80.00", "Lineitem sku": "T-250", "Refunded Amount": "80.00"},
        # #1003: a custom item without SKU, partly refunded; sold at the shop's till (pos).
        {**first, "Source": "pos", "Name": "#1003", "Email": "", "Phone": "+8613800000000",
         "Financial Status": "partially_refunded", "Discount Amount": "0.00",
         "Created at": "2024-01-07 18:30:00 +0800", "Lineitem quantity": "1", "Lineitem name": "Gift wrap",
         "Lineitem price": "40.00", "Lineitem sku": "", "Refunded Amount": "15.00"},
        # #1004: voided, never paid.
        {**first, "Name": "#1004", "Email": "c@x.cn", "Financial Status": "voided", "Discount Amount": "0.00",
         "Created at": "2024-01-08 08:00:00 +0800", "Lineitem quantity": "3", "Lineitem name": "Tea 100g",
         "Lineitem price": "50.00", "Lineitem sku": "T-100", "Refunded Amount": "0.00"},
    ]  # fmt: skip
    store, result = make_ingest({"orders_export_1.csv": csv_text(SHOPIFY_HEADER, rows)})
    r = report(result, "orders_export_1.csv")
    assert (r.status, r.table, r.profile, r.rows_loaded, r.rows_rejected) == (
        "loaded", "orders", "shopify_orders", 5, 0
    )  # fmt: skip
    lines = sql(
        store,
        "SELECT order_id, customer_id, sku, status, discount, line_refund, platform, order_time "
        "FROM order_lines ORDER BY order_id, sku DESC",
    )
    assert [line[:6] for line in lines] == [
        ("#1001", "a@x.cn", "T-100", "paid", 10, 0),
        ("#1001", "a@x.cn", "C-1", "paid", 0, 0),  # the order's discount is counted once
        ("#1002", "b@x.cn", "T-250", "refunded", 0, 80),
        ("#1003", "+8613800000000", "Gift wrap", "paid", 0, 15),  # no email: the phone; no SKU: the name
        ("#1004", "c@x.cn", "T-100", "cancelled", 0, 0),
    ]
    assert lines[1][7] == dt.datetime(2024, 1, 5, 10, 11, 12)  # filled down from the first line
    assert [line[6] for line in lines] == ["official_site"] * 3 + ["offline", "official_site"]
    k = kpis(store, JAN, Filters())
    # #1001: 2 × 50 + 30 − 10 = 120; #1002: 80 − 80 = 0; #1003: 40 − 15 = 25; #1004 voided.
    assert (k["net_revenue"], k["orders"], k["units"]) == (145, 3, 5)


# ---------------------------------------------------------------- Google Ads
# Source: https://support.google.com/google-ads/answer/2454072 (downloading reports) and EXPORT_FORMATS.md
# (grade A): report-name and date-range lines above the header, "--" for n/a, quoted thousands, "Total:" rows;
# "Excel CSV" is UTF-16LE with BOM and tab-separated.
GOOGLE_HEADER = [
    "Campaign status", "Campaign", "Budget", "Budget type", "Campaign type", "Impr.", "Interactions",
    "Interaction rate", "Avg. cost", "Cost", "Currency code", "Clicks", "CTR", "Conv. rate", "Conversions",
    "Avg. CPC", "Cost / conv.", "Conv. value",
]  # fmt: skip


def google_rows() -> list[dict[str, str]]:
    return [
        {"Campaign status": "Enabled", "Campaign": "Brand - CN", "Budget": "500.00", "Campaign type": "Search",
         "Impr.": "25,881", "Cost": "1,234.50", "Currency code": "CNY", "Clicks": "1,020", "CTR": "3.94%",
         "Conversions": "40.50", "Conv. value": "6,100.00"},
        {"Campaign status": "Paused", "Campaign": "Remarketing", "Budget": "100.00", "Campaign type": "Display",
         "Impr.": "3,100", "Cost": "31.00", "Currency code": "CNY", "Clicks": "31", "CTR": "1.00%",
         "Conversions": "0.00", "Conv. value": "--"},
        {"Campaign status": "Total: Campaigns", "Campaign": "--", "Impr.": "28,981", "Cost": "1,265.50",
         "Clicks": "1,051"},
        {"Campaign status": "Total: Account", "Campaign": "--", "Impr.": "28,981", "Cost": "1,265.50",
         "Clicks": "1,051"},
    ]  # fmt: skip


def test_google_ads_excel_csv_without_a_day_column_is_spread_over_the_range(make_ingest) -> None:
    body = csv_text(GOOGLE_HEADER, google_rows(), delimiter="\t")
    text = 'Campaign report\n"January 1, 2024 - January 10, 2024"\n' + body
    store, result = make_ingest({"Campaign report.csv": text.encode("utf-16")})  # UTF-16 with BOM
    r = report(result, "Campaign report.csv")
    assert (r.status, r.table, r.profile, r.rows_rejected) == ("loaded", "ad_spend", "google_ads_campaigns", 0)
    assert r.rows_loaded == 20  # 2 campaigns × 10 days
    assert "no day column: the report's totals are spread evenly over the 10 days 2024-01-01 – 2024-01-10" in r.notes
    assert "2 total/summary row(s) skipped" in r.notes
    by_campaign = sql(
        store,
        "SELECT campaign, channel, count(*), sum(spend)::DOUBLE, sum(impressions), sum(clicks), "
        "sum(conversion_value)::DOUBLE, min(spend)::DOUBLE, max(spend)::DOUBLE FROM ad_days GROUP BY ALL ORDER BY 1",
    )
    # Brand: 1 234.50 over 10 days = 123.45 a day exactly; 25 881 impressions → 2 588 or 2 589 a day.
    assert by_campaign == [
        ("Brand - CN", "paid_search", 10, 1234.5, 25_881, 1_020, 6100, 123.45, 123.45),
        ("Remarketing", "display", 10, 31, 3_100, 31, None, 3.1, 3.1),
    ]


def test_google_ads_segmented_by_day(make_ingest) -> None:
    rows = [{**row, "Day": "2024-01-03"} for row in google_rows()[:2]]
    store, result = make_ingest({"google_ads_daily.csv": csv_text(["Day", *GOOGLE_HEADER], rows)})
    r = report(result, "google_ads_daily.csv")
    assert (r.table, r.rows_loaded) == ("ad_spend", 2)
    assert not any("spread" in n for n in r.notes)
    assert sql(store, "SELECT date, sum(spend) FROM ad_spend GROUP BY date") == [(dt.date(2024, 1, 3), 1265.5)]


def test_google_ads_all_time_report_cannot_be_placed_in_time(make_ingest) -> None:
    text = "Campaign report\nAll time\n" + csv_text(GOOGLE_HEADER, google_rows()[:1])
    _, result = make_ingest({"ads.csv": text})
    r = report(result, "ads.csv")
    assert r.status == "rejected"
    assert "no date range was found" in r.message


# ---------------------------------------------------------------- Meta
# Source: https://www.facebook.com/business/help/1695754927158071 (export table data) and EXPORT_FORMATS.md
# (grade B): currency inside the header, Reporting starts/ends per row.
META_HEADER = [
    "Reporting starts", "Reporting ends", "Campaign name", "Campaign delivery", "Attribution setting", "Results",
    "Result indicator", "Reach", "Frequency", "Cost per results", "Amount spent (CNY)", "Impressions",
    "CPM (cost per 1,000 impressions) (CNY)", "Link clicks", "CPC (cost per link click) (CNY)",
    "CTR (link click-through rate)", "Clicks (all)", "CTR (all)", "CPC (all) (CNY)", "Purchases",
    "Purchases conversion value",
]  # fmt: skip


def test_meta_ads_report_rows_covering_several_days(make_ingest) -> None:
    rows = [
        {"Reporting starts": "2024-01-01", "Reporting ends": "2024-01-03", "Campaign name": "Spring sale",
         "Amount spent (CNY)": "300.01", "Impressions": "10000", "Link clicks": "250", "Purchases": "7",
         "Purchases conversion value": "1400"},
        {"Reporting starts": "2024-01-04", "Reporting ends": "2024-01-04", "Campaign name": "Spring sale",
         "Amount spent (CNY)": "50", "Impressions": "2000", "Link clicks": "", "Clicks (all)": "60",
         "Purchases": "1", "Purchases conversion value": "200"},
    ]  # fmt: skip
    text = "\ufeff" + csv_text(META_HEADER, rows)  # Meta's CSV may start with a BOM
    store, result = make_ingest({"Meta-Ads-Export.csv": text})
    r = report(result, "Meta-Ads-Export.csv")
    assert (r.table, r.profile, r.rows_loaded) == ("ad_spend", "meta_ads", 4)  # 3 days + 1 day
    assert "1 row(s) cover several days: each spread evenly over its days" in r.notes
    days = sql(
        store, "SELECT date, channel, spend::DOUBLE, impressions, clicks, conversions FROM ad_days ORDER BY date"
    )
    # 300.01 → 30 001 cents over 3 days: 10 000, 10 000, 10 001; 250 clicks → 83, 83, 84; 7 purchases → 2, 2, 3.
    assert days == [
        (dt.date(2024, 1, 1), "social", 100.0, 3333, 83, 2),
        (dt.date(2024, 1, 2), "social", 100.0, 3333, 83, 2),
        (dt.date(2024, 1, 3), "social", 100.01, 3334, 84, 3),
        (dt.date(2024, 1, 4), "social", 50.0, 2000, 60, 1),  # no link clicks: all clicks stand in
    ]


# ---------------------------------------------------------------- GA4
# Source: https://support.google.com/analytics/answer/12923437 (traffic acquisition) and EXPORT_FORMATS.md
# (grade A): a "#" comment block with the range above the header; "Grand total" rows in explorations.
GA4_PREAMBLE = (
    "# ----------------------------------------\n"
    "# Traffic acquisition: Session primary channel group (Default Channel Group)\n"
    "# Account: Demo shop\n"
    "# Property: demo.cn - GA4\n"
    "# ----------------------------------------\n"
    "#\n"
    "# All Users\n"
    "# Start date: 20240101\n"
    "# End date: 20240104\n"
)
GA4_HEADER = [
    "Session primary channel group (Default Channel Group)", "Sessions", "Engaged sessions", "Engagement rate",
    "Average engagement time per session", "Events per session", "Event count", "Key events",
    "Session key event rate", "Total revenue",
]  # fmt: skip


def test_ga4_traffic_acquisition_over_a_range(make_ingest) -> None:
    rows = [
        {"Session primary channel group (Default Channel Group)": "Organic Search", "Sessions": "1000",
         "Engaged sessions": "600", "Engagement rate": "60%", "Average engagement time per session": "45.5"},
        {"Session primary channel group (Default Channel Group)": "Paid Social", "Sessions": "10",
         "Engaged sessions": "3", "Average engagement time per session": "12"},
    ]  # fmt: skip
    text = GA4_PREAMBLE + csv_text(GA4_HEADER, rows)
    store, result = make_ingest({"download.csv": text})
    r = report(result, "download.csv")
    assert (r.table, r.profile, r.rows_loaded, r.rows_rejected) == ("traffic", "ga4_traffic_acquisition", 8, 0)
    got = sql(
        store,
        "SELECT channel, sum(sessions), sum(bounces), min(avg_session_seconds), count(*) FROM traffic_days "
        "GROUP BY channel ORDER BY channel",
    )
    # bounces = sessions − engaged: 400 and 7; 10 sessions over 4 days → 2, 3, 2, 3; the average stays 45.5.
    assert got == [("organic_search", 1000, 400, 45.5, 4), ("social", 10, 7, 12, 4)]
    assert sorted(r[0] for r in sql(store, "SELECT sessions FROM traffic WHERE channel = 'Paid Social'")) == [
        2, 2, 3, 3,
    ]  # fmt: skip


def test_ga4_with_a_date_dimension_and_a_grand_total_row(make_ingest) -> None:
    rows = [
        {"Date": "Grand total", "Session primary channel group (Default Channel Group)": "", "Sessions": "30"},
        {"Date": "20240102", "Session primary channel group (Default Channel Group)": "Direct", "Sessions": "30"},
    ]
    text = GA4_PREAMBLE + csv_text(["Date", *GA4_HEADER], rows)
    store, result = make_ingest({"data-export.csv": text})
    r = report(result, "data-export.csv")
    assert (r.rows_loaded, r.rows_rejected) == (1, 0)
    assert "1 total/summary row(s) skipped" in r.notes
    assert sql(store, "SELECT date, channel, sessions FROM traffic_days") == [(dt.date(2024, 1, 2), "direct", 30)]


# ---------------------------------------------------------------- Tmall / Taobao
# Source: EXPORT_FORMATS.md (grade C full header, grade A 7-column extract); 卖家中心 → 已卖出的宝贝 → 订单报表.
# Usually GBK CSV; headers carry trailing spaces; statuses in Chinese; one row per order.
TMALL_HEADER = [
    "订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "买家支付积分", "总金额", "返点积分",
    "买家实际支付金额", "买家实际支付积分", "订单状态", "买家留言", "收货人姓名", "收货地址 ", "运送方式", "联系电话 ",
    "联系手机", "订单创建时间", "订单付款时间 ", "宝贝标题 ", "宝贝种类", "物流单号 ", "物流公司", "订单备注",
    "宝贝总数量", "退款金额",
]  # fmt: skip


def test_tmall_order_report_in_gbk(make_ingest) -> None:
    rows = [
        {"订单编号": "3011223344556677", "买家会员名": "tb_abc", "总金额": "210.00", "买家实际支付金额": "200.00",
         "订单状态": "交易成功", "订单创建时间": "2024-01-05 10:00:00", "订单付款时间 ": "2024-01-05 10:01:00",
         "宝贝标题 ": "明前龙井 250g", "宝贝总数量": "2", "退款金额": "0"},
        {"订单编号": "3011223344556678", "买家会员名": "tb_def", "总金额": "99.00", "买家实际支付金额": "99.00",
         "订单状态": "买家已付款，等待卖家发货", "订单创建时间": "2024-01-06 11:00:00",
         "订单付款时间 ": "2024-01-06 11:00:30", "宝贝标题 ": "茶杯", "宝贝总数量": "1", "退款金额": "19.00"},
        {"订单编号": "3011223344556679", "买家会员名": "tb_ghi", "总金额": "50.00", "买家实际支付金额": "0.00",
         "订单状态": "交易关闭", "订单创建时间": "2024-01-07 12:00:00", "宝贝标题 ": "茶杯", "宝贝总数量": "1"},
    ]  # fmt: skip
    text = csv_text(TMALL_HEADER, rows)
    store, result = make_ingest({"ExportOrderList202401.csv": text.encode("gb18030")})
    r = report(result, "ExportOrderList202401.csv")
    assert (r.encoding, r.table, r.profile, r.rows_loaded, r.rows_rejected) == (
        "gb18030", "orders", "tmall_orders", 3, 0
    )  # fmt: skip
    assert any(n.startswith("sku: 订单报表 is one row per order") for n in r.notes)
    got = sql(store, "SELECT order_id, customer_id, sku, quantity, unit_price, status, platform FROM order_lines "
              "ORDER BY order_id")  # fmt: skip
    assert got == [
        ("3011223344556677", "tb_abc", "明前龙井 250g", 2, 100, "paid", "tmall"),  # 200 ÷ 2
        ("3011223344556678", "tb_def", "茶杯", 1, 99, "paid", "tmall"),
        ("3011223344556679", "tb_ghi", "茶杯", 1, 0, "cancelled", "tmall"),
    ]
    assert net_revenue(store) == 200 + 99 - 19  # what buyers paid, less the refund


def test_tmall_seven_column_extract_xlsx(make_ingest) -> None:
    """The extract seen in real files: no buyer, no status, no title; trailing spaces in headers."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["订单编号", "总金额", "买家实际支付金额", "收货地址 ", "订单创建时间", "订单付款时间 ", "退款金额"])
    sheet.append(["3011", 120, 118, "浙江省 杭州市 西湖区 文三路1号", "2024-01-05 10:00:00", "2024-01-05 10:02:00", 0])
    buffer = io.BytesIO()
    book.save(buffer)
    store, result = make_ingest({"tmall_extract.xlsx": buffer.getvalue()})
    r = report(result, "tmall_extract.xlsx")
    assert (r.profile, r.rows_loaded) == ("tmall_orders", 1)
    assert sql(store, "SELECT customer_id, sku, quantity, unit_price FROM orders") == [("3011", "(整单)", 1, 118)]


# ---------------------------------------------------------------- JD
# Source: EXPORT_FORMATS.md (grade C); 京东商家后台 → 订单导出: one row per SKU line, order money repeated.
JD_HEADER = [
    "订单号", "商品ID", "商品名称", "订购数量", "支付方式", "下单时间", "京东价", "订单金额", "结算金额", "余额支付",
    "应付金额", "订单状态", "订单类型", "下单帐号", "客户姓名", "客户地址", "联系电话", "订单备注", "运费金额",
    "付款确认时间", "货号", "订单完成时间", "订单来源", "订单渠道",
]  # fmt: skip


def test_jd_order_export(make_ingest) -> None:
    base = {"订单号": "281234567890", "下单时间": "2024-01-09 20:15:00", "订单金额": "157.00", "应付金额": "157.00",
            "订单状态": "完成", "下单帐号": "jd_buyer1", "联系电话": "138****0000"}  # fmt: skip
    rows = [
        {**base, "商品ID": "100012345678", "商品名称": "龙井 250g", "订购数量": "1", "京东价": "128.00"},
        {**base, "商品ID": "100012345679", "商品名称": "茶杯", "订购数量": "1", "京东价": "29.00"},
        {**base, "订单号": "281234567891", "订单状态": "已取消", "商品ID": "100012345679", "商品名称": "茶杯",
         "订购数量": "2", "京东价": "29.00", "下单帐号": "jd_buyer2"},
    ]  # fmt: skip
    store, result = make_ingest({"orders/jd_202401.csv": csv_text(JD_HEADER, rows).encode("gb18030")})
    r = report(result, "orders/jd_202401.csv")
    assert (r.profile, r.rows_loaded, r.rows_rejected) == ("jd_orders", 3, 0)
    k = kpis(store, JAN, Filters())
    # line prices, not the order amount repeated per line: 128 + 29 = 157; the cancelled order is out
    assert (k["net_revenue"], k["orders"], k["gmv"]) == (157, 1, 157)
    assert sql(store, "SELECT DISTINCT platform FROM order_lines") == [("jd",)]


# ---------------------------------------------------------------- 生意参谋
# Source: EXPORT_FORMATS.md (grade C, partial): title/notes rows above the header, range in the file name,
# percents and ￥ money. Read after saving the legacy .xls as CSV.
def test_sycm_traffic_sources_spread_over_the_file_names_range(make_ingest) -> None:
    header = ["流量来源", "来源明细", "访客数", "浏览量", "支付金额", "支付买家数", "支付转化率", "加购人数"]
    rows = [
        {"流量来源": "淘内免费", "来源明细": "手淘搜索", "访客数": "1,200", "浏览量": "3,000", "支付金额": "￥5,000.00",
         "支付买家数": "30", "支付转化率": "2.50%", "加购人数": "90"},
        {"流量来源": "付费流量", "来源明细": "直通车", "访客数": "400", "浏览量": "900", "支付金额": "￥1,000.00",
         "支付买家数": "8", "支付转化率": "2.00%", "加购人数": "20"},
    ]  # fmt: skip
    title = "无线店铺流量来源\n统计时间 2024-01-01 ~ 2024-01-02\n注：数据来源于生意参谋\n\n\n"
    name = "【生意参谋平台】无线店铺流量来源-2024-01-01_2024-01-02.csv"
    store, result = make_ingest({name: title + csv_text(header, rows)})
    r = report(result, name)
    assert (r.table, r.profile, r.rows_loaded, r.rows_rejected) == ("traffic", "sycm_traffic_sources", 4, 0)
    got = sql(store, "SELECT channel, sum(sessions), sum(purchases), sum(add_to_cart) FROM traffic_days "
              "GROUP BY channel ORDER BY channel")  # fmt: skip
    assert got == [("marketplace_ads", 400, 8, 20), ("organic_search", 1200, 30, 90)]


# ---------------------------------------------------------------- the user's own profile


ERP_PROFILE = """
name = "my_erp"
label = "Our ERP sales export"
table = "orders"
match = ["单据编号", "商品编码"]

[columns]
order_id = "单据编号"
order_time = "单据日期"
customer_id = "会员卡号"
sku = "商品编码"
quantity = "数量"
unit_price = "单价"
status = "状态"

[constants]
platform = "offline"

[values.status]
"已审核" = "paid"
"作废" = "cancelled"
"""


def test_a_user_profile_in_data_profiles(make_ingest, data_dir: Path) -> None:
    text = "单据编号,单据日期,会员卡号,商品编码,数量,单价,状态\nPOS-1,2024/01/03 15:20,VIP001,0042,2,¥25.00,已审核\n"
    store, result = make_ingest({"profiles/my_erp.toml": ERP_PROFILE, "pos_sales.csv": text})
    r = report(result, "pos_sales.csv")
    assert (r.profile, r.rows_loaded) == ("my_erp", 1)
    assert sql(store, "SELECT sku, platform, status FROM order_lines") == [("0042", "offline", "paid")]
    assert net_revenue(store) == 50
    # Editing the profile re-reads the files it applies to.
    (data_dir / "profiles" / "my_erp.toml").write_text(ERP_PROFILE.replace('"offline"', '"mini_program"'))
    store, result = make_ingest({})
    assert sql(store, "SELECT platform FROM order_lines") == [("mini_program",)]


def test_a_broken_user_profile_is_reported_and_skipped(make_ingest) -> None:
    _, result = make_ingest(
        {"profiles/bad.toml": 'name = "bad"\ntable = "orders"\nmatch = ["x"]\n[columns]\nfoo = "x"\n'}
    )
    assert result.problems == [
        "profiles/bad.toml: 'foo' is not a column of orders (order_id, order_time, customer_id, sku, quantity, "
        "unit_price, discount, refund_amount, status, channel, campaign, platform, product_name, category, region, "
        "payment_method, unit_cost); this profile is not used"
    ]


def test_built_in_profiles_are_valid_and_cite_a_source() -> None:
    found, problems = profiles.load()
    assert problems == []
    assert len(found) == 7
    assert all(p.source for p in found)


def test_a_profile_value_never_reaches_sql_text(make_ingest) -> None:
    """Constants and value maps are bound parameters: a quote in them is data, not SQL."""
    evil = ERP_PROFILE.replace('platform = "offline"', 'platform = "x\'); DROP TABLE raw; --"')
    text = "单据编号,单据日期,会员卡号,商品编码,数量,单价,状态\nPOS-1,2024-01-03,VIP001,0042,1,10,已审核\n"
    store, _ = make_ingest({"profiles/my_erp.toml": evil, "pos_sales.csv": text})
    assert sql(store, "SELECT platform FROM orders") == [("x'); DROP TABLE raw; --",)]
    assert rejects(store) == []


def test_a_profile_names_the_workbook_sheet(make_ingest) -> None:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本表由 ERP 导出"])
    sales = book.create_sheet("销售明细")
    sales.append(["单据编号", "单据日期", "会员卡号", "商品编码", "数量", "单价", "状态"])
    sales.append(["POS-9", "2024-01-04", "VIP9", "0042", 3, 10, "已审核"])
    buffer = io.BytesIO()
    book.save(buffer)
    profile = ERP_PROFILE.replace('table = "orders"', 'table = "orders"\nsheet = "销售明细"')
    store, result = make_ingest({"profiles/my_erp.toml": profile, "erp.xlsx": buffer.getvalue()})
    assert (report(result, "erp.xlsx").profile, net_revenue(store)) == ("my_erp", 30)  # 3 × 10


def test_pages_say_what_stands_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An order-level 订单报表 has no SKU: every page on orders says what stands in, in both languages."""
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    data = tmp_path / "data"
    data.mkdir()
    rows = [{"订单编号": "1", "买家会员名": "tb", "买家实际支付金额": "10", "订单创建时间": "2024-01-05 10:00:00"}]
    (data / "淘宝订单.csv").write_text(csv_text(TMALL_HEADER, rows))
    monkeypatch.setenv("STOREOPS_DATA", str(data))
    monkeypatch.setenv("STOREOPS_CACHE", str(tmp_path / "cache" / "cache.duckdb"))
    for lang, words in (("en", "淘宝订单.csv — sku: 订单报表 is one row per order"), ("zh", "替代说明：sku:")):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.query_params.update({"lang": lang, "start": "2024-01-01", "end": "2024-01-31"})
        at.run()
        assert not at.exception
        assert any(words in info.value for info in at.info), [i.value for i in at.info]
