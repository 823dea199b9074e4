"""Settings from ``data/settings.toml``; every setting has a default.

A malformed file or an unknown/invalid value never stops the dashboard: the
default is used and the problem is reported on the data-health page.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class Settings:
    currency: str = "¥"
    timezone: str = "Asia/Shanghai"
    language: str = "en"
    # Customers (METRICS.md "Customers and members")
    tier_thresholds: dict[str, float] = field(
        default_factory=lambda: {"Bronze": 0, "Silver": 1000, "Gold": 5000, "Platinum": 20000}
    )
    new_days: int = 30
    active_days: int = 90
    silent_days: int = 180
    # Inventory
    service_level: float = 0.95
    default_lead_time_days: int = 14
    dead_stock_days: int = 90
    overstock_days: float = 90
    # Gross profit is "—" when uncosted lines carry more than this share of net revenue.
    max_uncosted_share: float = 0.05
    # A table whose latest date lags the freshest table by more than this is flagged.
    freshness_lag_days: int = 2


def load_settings(data_dir: str | Path) -> tuple[Settings, list[str]]:
    """Settings from ``data_dir/settings.toml`` and the problems found in it."""
    path = Path(data_dir) / "settings.toml"
    if not path.is_file():
        return Settings(), []
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return Settings(), [f"settings.toml: cannot be read ({exc}); defaults are used"]
    problems: list[str] = []
    values = {}
    defaults = Settings()
    known = {f.name: f for f in fields(Settings)}
    for key, value in raw.items():
        if key in ("sources", "engine"):  # database sources (storeops.sources); the query engine (storeops.engines)
            continue
        if key not in known:
            problems.append(f"settings.toml: unknown setting {key!r} ignored")
            continue
        default = getattr(defaults, key)
        if isinstance(default, dict):
            ok = isinstance(value, dict) and all(isinstance(v, int | float) for v in value.values())
        elif isinstance(default, float):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            value = float(value) if ok else value
        else:
            ok = isinstance(value, type(default)) and not isinstance(value, bool)
        if not ok:
            problems.append(f"settings.toml: {key} = {value!r} is not a {type(default).__name__}; default used")
            continue
        values[key] = value
    settings = replace(defaults, **values)
    if not 0.5 <= settings.service_level < 1:
        problems.append("settings.toml: service_level must be in [0.5, 1); default 0.95 used")
        settings = replace(settings, service_level=0.95)
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"settings.toml: unknown timezone {settings.timezone!r}; Asia/Shanghai used")
        settings = replace(settings, timezone="Asia/Shanghai")
    if settings.language not in ("en", "zh"):
        problems.append("settings.toml: language must be 'en' or 'zh'; 'en' used")
        settings = replace(settings, language="en")
    return settings, problems
