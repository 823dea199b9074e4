"""The filter state shared by every page, and its round trip through the URL.

URL parameters, filter fields and SQL parameters share names:
``?start=&end=&compare=&channel=&platform=&category=&lang=`` →
``$start $end $channels $platforms $categories``. Links always carry explicit
dates, so a shared link shows the same period after new data arrives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from storeops.channels import CHANNEL_GROUPS
from storeops.periods import COMPARISONS, Period, parse_date


@dataclass(frozen=True)
class Filters:
    """What the channel/platform/category multiselects hold; empty = all."""

    channels: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def params(self) -> dict[str, list[str]]:
        return {
            "channels": list(self.channels),
            "platforms": list(self.platforms),
            "categories": list(self.categories),
        }


@dataclass(frozen=True)
class FilterState:
    period: Period
    compare: str = "previous"
    filters: Filters = field(default_factory=Filters)
    lang: str = "en"

    def to_query_params(self) -> dict[str, str | list[str]]:
        """URL parameters; empty lists and the default language are left out."""
        qp: dict[str, str | list[str]] = {
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "compare": self.compare,
        }
        for name, values in (
            ("channel", self.filters.channels),
            ("platform", self.filters.platforms),
            ("category", self.filters.categories),
        ):
            if values:
                qp[name] = list(values)
        qp["lang"] = self.lang
        return qp


def from_query_params(
    qp: dict[str, list[str]], default: Period, first: dt.date | None = None, lang: str = "en"
) -> FilterState:
    """The filter state a URL describes; invalid values fall back to defaults.

    ``qp`` maps each parameter to all its values (``st.query_params.get_all``).
    Unknown channel groups are dropped; platforms and categories are free text
    (they come from the data) and are validated against the options by the
    sidebar.
    """

    def one(name: str) -> str | None:
        values = qp.get(name) or []
        return values[-1] if values else None

    start, end = parse_date(one("start")), parse_date(one("end"))
    if start and end and start <= end and (first is None or end >= first):
        period = Period(start, end)
    else:
        period = default
    compare = one("compare") if one("compare") in COMPARISONS else "previous"
    channels = tuple(dict.fromkeys(c for c in qp.get("channel", []) if c in CHANNEL_GROUPS))
    platforms = tuple(dict.fromkeys(p for p in qp.get("platform", []) if p))
    categories = tuple(dict.fromkeys(c for c in qp.get("category", []) if c))
    chosen_lang = one("lang") if one("lang") in ("en", "zh") else lang
    return FilterState(period, compare, Filters(channels, platforms, categories), chosen_lang)
