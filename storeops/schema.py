"""The canonical tables of DATA.md, declared once.

Ingest reads every file against these declarations (explicit types, never the
CSV sniffer's guesses); queries read the tables they produce. A column's
``type`` is one of ``text``, ``int``, ``decimal`` (money, 2 dp), ``date`` or
``datetime`` (store-local; a value with an offset is converted to local time).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text | int | decimal | date | datetime
    required: bool = False
    default: str | None = None  # SQL literal used when the cell is empty
    min_value: float | None = None  # values below are quarantined
    positive: bool = False  # values must be > 0

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


SQL_TYPES = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "decimal": "DECIMAL(18,2)",
    "date": "DATE",
    "datetime": "TIMESTAMP",
}


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # "file": a newer file replaces every row of an older file sharing a key.
    # "row": the last row per key wins, within a file too (members).
    dedupe: str = "file"
    date_column: str | None = None  # for freshness and date ranges
    optional: bool = False
    description: str = ""
    extra: tuple[str, ...] = field(default_factory=tuple)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _text(*names: str) -> tuple[Column, ...]:
    return tuple(Column(n, "text") for n in names)


ORDERS = Table(
    "orders",
    (
        Column("order_id", "text", required=True),
        Column("order_time", "datetime", required=True),
        Column("customer_id", "text", required=True),
        Column("sku", "text", required=True),
        Column("quantity", "int", required=True, positive=True),
        Column("unit_price", "decimal", required=True, min_value=0),
        Column("discount", "decimal", default="0", min_value=0),
        Column("refund_amount", "decimal", min_value=0),
        Column("status", "text", default="'paid'"),
        Column("channel", "text"),
        Column("campaign", "text"),
        Column("platform", "text"),
        *_text("product_name", "category", "region", "payment_method"),
        Column("unit_cost", "decimal", min_value=0),
    ),
    key=("order_id",),
    date_column="order_time",
    description="one row per order line",
)

AD_SPEND = Table(
    "ad_spend",
    (
        Column("date", "date", required=True),
        Column("channel", "text", required=True),
        Column("campaign", "text"),
        Column("platform", "text"),
        Column("impressions", "int", min_value=0),
        Column("clicks", "int", min_value=0),
        Column("spend", "decimal", required=True, min_value=0),
        Column("conversions", "int", min_value=0),
        Column("conversion_value", "decimal", min_value=0),
    ),
    key=("date", "channel", "campaign", "platform"),
    date_column="date",
    description="one row per day × channel × campaign",
)

TRAFFIC = Table(
    "traffic",
    (
        Column("date", "date", required=True),
        Column("channel", "text", required=True),
        Column("platform", "text"),
        Column("sessions", "int", required=True, min_value=0),
        Column("users", "int", min_value=0),
        Column("new_users", "int", min_value=0),
        Column("bounces", "int", min_value=0),
        Column("avg_session_seconds", "decimal", min_value=0),
        Column("product_views", "int", min_value=0),
        Column("add_to_cart", "int", min_value=0),
        Column("checkouts", "int", min_value=0),
        Column("purchases", "int", min_value=0),
    ),
    key=("date", "channel", "platform"),
    date_column="date",
    description="one row per day × channel (× platform)",
)

INVENTORY = Table(
    "inventory",
    (
        Column("snapshot_date", "date", required=True),
        Column("sku", "text", required=True),
        Column("on_hand", "int", required=True),
        Column("on_order", "int", default="0", min_value=0),
        Column("lead_time_days", "int", min_value=0),
        Column("unit_cost", "decimal", min_value=0),
        Column("min_order_qty", "int", positive=True),
        *_text("product_name", "category", "supplier"),
    ),
    key=("snapshot_date", "sku"),
    date_column="snapshot_date",
    description="one snapshot row per date × sku",
)

MEMBERS = Table(
    "members",
    (
        Column("customer_id", "text", required=True),
        Column("joined_date", "date", required=True),
        Column("tier", "text"),
        Column("points_balance", "int", min_value=0),
        Column("birthday", "date"),
        *_text("region", "gender"),
    ),
    key=("customer_id",),
    dedupe="row",
    date_column="joined_date",
    optional=True,
    description="one row per member",
)

TABLES: dict[str, Table] = {t.name: t for t in (ORDERS, AD_SPEND, TRAFFIC, INVENTORY, MEMBERS)}

# Files that configure rather than feed a table.
REFERENCE_FILES = ("channel_map.csv", "targets.csv", "settings.toml")

CHANNEL_MAP = Table(
    "channel_map",
    (Column("raw_value", "text", required=True), Column("channel", "text", required=True)),
    key=("raw_value",),
    dedupe="row",
)

TARGETS = Table(
    "targets",
    (
        Column("month", "text", required=True),
        Column("metric", "text", required=True),
        Column("target", "decimal", required=True),
    ),
    key=("month", "metric"),
    dedupe="row",
)

STATUSES = ("paid", "pending", "cancelled", "refunded")
