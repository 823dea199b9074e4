"""Periods, presets and comparison periods (METRICS.md "Periods").

A period is ``start..end``, both inclusive. Presets are anchored on the latest
date in the data, never on today, so a demo or an old export still opens on
its own latest week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PRESETS = ("last_7", "last_28", "last_90", "wtd", "last_week", "mtd", "last_month", "qtd", "ytd", "custom")
COMPARISONS = ("previous", "yoy")
YOY_DAYS = 364  # 52 weeks, so weekdays line up


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The same number of days, ending the day before ``start``."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)

    def yoy(self) -> Period:
        """Same period last year: 364 days earlier."""
        shift = dt.timedelta(days=YOY_DAYS)
        return Period(self.start - shift, self.end - shift)

    def comparison(self, kind: str) -> Period:
        if kind == "previous":
            return self.previous()
        if kind == "yoy":
            return self.yoy()
        raise ValueError(f"unknown comparison {kind!r} (previous or yoy)")


def preset_period(preset: str, latest: dt.date) -> Period:
    """The period a preset names, ending at (or before) ``latest``."""
    day = dt.timedelta(days=1)
    if preset in ("last_7", "last_28", "last_90"):
        n = int(preset.split("_")[1])
        return Period(latest - (n - 1) * day, latest)
    if preset == "wtd":
        return Period(latest - latest.weekday() * day, latest)
    if preset == "last_week":
        # The latest complete Monday..Sunday week: the one ending on `latest`
        # when that is a Sunday, else the week before.
        end = latest if latest.weekday() == 6 else latest - (latest.weekday() + 1) * day
        return Period(end - 6 * day, end)
    if preset == "mtd":
        return Period(latest.replace(day=1), latest)
    if preset == "last_month":
        end = latest.replace(day=1) - day
        return Period(end.replace(day=1), end)
    if preset == "qtd":
        return Period(dt.date(latest.year, 3 * ((latest.month - 1) // 3) + 1, 1), latest)
    if preset == "ytd":
        return Period(dt.date(latest.year, 1, 1), latest)
    raise ValueError(f"unknown preset {preset!r}")


def matching_preset(period: Period, latest: dt.date) -> str:
    """The preset that gives exactly ``period`` today, else "custom"."""
    for preset in PRESETS[:-1]:
        if preset_period(preset, latest) == period:
            return preset
    return "custom"


def parse_date(text: str | None) -> dt.date | None:
    """An ISO date, or None for anything else."""
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None
