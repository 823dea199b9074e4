"""storeops.i18n: every label exists in both languages with the same placeholders."""

from __future__ import annotations

from pathlib import Path
from string import Formatter

import pytest

from storeops import i18n
from storeops.channels import CHANNEL_GROUPS, PLATFORMS
from storeops.periods import COMPARISONS, PRESETS


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(i18n.LABELS))
def test_label_has_both_languages_and_same_placeholders(key):
    en, zh = i18n.LABELS[key]
    assert en.strip() and zh.strip()
    assert _fields(en) == _fields(zh)


def test_languages():
    assert i18n.LANGS == {"en": "English", "zh": "简体中文"}


@pytest.mark.parametrize(
    ("key", "lang", "kwargs", "expected"),
    [
        ("page.overview", "en", {}, "Overview"),
        ("page.overview", "zh", {}, "经营概览"),
        ("preset.wtd", "zh", {}, "本周至今"),
        ("compare.yoy", "en", {}, "Same period last year"),
        ("needs", "en", {"table": "ad_spend"}, "needs ad_spend"),
        ("needs", "zh", {"table": "ad_spend"}, "需要 ad_spend 数据"),
        ("loading", "zh", {}, "加载中…"),
    ],
)
def test_t(key, lang, kwargs, expected):
    assert i18n.t(key, lang, **kwargs) == expected


@pytest.mark.parametrize(
    ("key", "lang", "kwargs"),
    [
        ("page.overveiw", "en", {}),  # typo in the key
        ("page.overview", "fr", {}),  # unknown language
        ("needs", "en", {}),  # placeholder not filled
    ],
)
def test_t_fails_loudly(key, lang, kwargs):
    with pytest.raises(KeyError):
        i18n.t(key, lang, **kwargs)


@pytest.mark.parametrize("group", CHANNEL_GROUPS)
def test_every_channel_group_has_a_label(group):
    assert f"channel.{group}" in i18n.LABELS
    assert i18n.label_channel(group, "zh") != group


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_platform_has_a_label(platform):
    assert f"platform.{platform}" in i18n.LABELS
    assert i18n.label_platform(platform, "zh") != platform


@pytest.mark.parametrize(("family", "ids"), [("preset", PRESETS), ("compare", COMPARISONS), ("vs", COMPARISONS)])
def test_every_sidebar_choice_has_a_label(family, ids):
    assert all(f"{family}.{i}" in i18n.LABELS for i in ids)


def test_every_page_file_has_a_title():
    pages = Path(__file__).resolve().parent.parent / "pages"
    assert all(f"page.{p.stem}" in i18n.LABELS for p in pages.glob("*.py"))


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("short_video_live", "en", "Short video & live"),
        ("short_video_live", "zh", "短视频直播"),
        ("influencer", "zh", "达人KOL"),
        ("tiktok_shop", "zh", "tiktok_shop"),  # not a group: shown as it is
    ],
)
def test_label_channel(value, lang, expected):
    assert i18n.label_channel(value, lang) == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("tmall", "zh", "天猫"),
        ("mini_program", "en", "Mini-program"),
        ("offline", "zh", "线下门店"),
        ("xiaohongshu_shop", "en", "xiaohongshu_shop"),
    ],
)
def test_label_platform(value, lang, expected):
    assert i18n.label_platform(value, lang) == expected
