"""The weekly review as a report: one self-contained HTML file, or that HTML printed to an A4 PDF.

``render_html(review, lang)`` writes the same ``storeops.review.Review`` the
page shows, with the same strings (``review.summary_lines``,
``headline_rows`` …) and the same figures. The file works offline: CSS is
inline and plotly.js is inlined once (``plotly.offline.get_plotlyjs()``);
there is no external URL to load. Every value from the data is escaped.

``render_pdf(html)`` prints it with headless Chromium (Playwright, Debian's
``/usr/bin/chromium``) after every chart has drawn: A4 pages, backgrounds
printed, rows never split across pages and table headers repeated; Chinese
text uses the installed Noto Sans CJK fonts.
"""

from __future__ import annotations

import concurrent.futures
import html
import os
from pathlib import Path

import plotly.io as pio
from plotly.offline import get_plotlyjs

from storeops import fmt
from storeops.i18n import t
from storeops.review import (
    DIMENSIONS,
    MOVER_DIMENSIONS,
    Review,
    action_lines,
    anomaly_rows,
    compare_phrase,
    fig_daily,
    fig_factors,
    fig_target,
    fig_waterfall,
    file_of,
    headline_rows,
    inventory_rows,
    mover_rows,
    parse_month,
    summary_lines,
    target_caption,
    unit,
    waterfall_text,
)

CHROMIUM = os.environ.get("STOREOPS_CHROMIUM", "/usr/bin/chromium")
CHART_WIDTH = 700  # px: fits the A4 text width at 96 dpi (210 mm − 2 × 12 mm ≈ 703 px)

CSS = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body {
  font-family: "Source Sans", "Source Sans Pro", "Helvetica Neue", Arial, "Noto Sans CJK SC", "PingFang SC",
    "Microsoft YaHei", sans-serif;
  color: #31333F; font-size: 12.5px; line-height: 1.45; margin: 0 auto; max-width: 760px; padding: 16px;
}
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 22px 0 6px; border-bottom: 1px solid #D0D5DD; padding-bottom: 3px;
     break-after: avoid; page-break-after: avoid; }
h3 { font-size: 13.5px; margin: 12px 0 4px; break-after: avoid; page-break-after: avoid; }
p.meta, p.note { color: #6B7280; margin: 2px 0 8px; }
ul.summary li, ol.actions li { margin: 2px 0; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; font-size: 12px; }
thead { display: table-header-group; }  /* repeated on every printed page */
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border-bottom: 1px solid #EDEFF3; padding: 3px 6px; text-align: right; vertical-align: top; }
th { background: #F3F5F8; font-weight: 600; }
th:first-child, td:first-child { text-align: left; }
.chart { break-inside: avoid; page-break-inside: avoid; margin: 4px 0 8px; }
.keep { break-inside: avoid; page-break-inside: avoid; }
.missing { background: #EEF4FB; border-left: 3px solid #0072B2; padding: 6px 10px; margin: 6px 0; }
.grid { display: flex; flex-wrap: wrap; gap: 0 18px; }
.grid > div { flex: 1 1 340px; min-width: 0; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(rows: list[dict[str, str]], empty: str) -> str:
    if not rows:
        return f'<p class="note">{_e(empty)}</p>'
    head = "".join(f"<th>{_e(k)}</th>" for k in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row.values()) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(fig, div_id: str) -> str:
    fig = fig.update_layout(width=CHART_WIDTH, autosize=False)
    inner = pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displayModeBar": False, "responsive": False, "staticPlot": True},
    )
    return f'<div class="chart">{inner}</div>'


def _note(text: str, kind: str = "note") -> str:
    return f'<p class="{kind}">{_e(text)}</p>'


def _keep(*parts: str) -> str:
    """Parts that belong together on one printed page (a heading and its chart or table)."""
    return '<div class="keep">' + "".join(parts) + "</div>"


def _missing(table: str, what: str, lang: str) -> str:
    return f'<p class="missing">{_e(t("review.needs_file", lang, file=file_of(table), what=what))}</p>'


def render_html(r: Review, lang: str) -> str:
    """The whole report as one HTML document (UTF-8 text, offline)."""
    u = unit(r, lang)
    title = t("review.report_title" if r.kind == "week" else "review.report_title_month", lang, label=r.label)
    cmp_label = compare_phrase(r, lang)
    parts: list[str] = [
        f"<h1>{_e(title)}</h1>",
        '<p class="meta">'
        + _e(f"{r.period.start} – {r.period.end} · {t('review.generated', lang, data_end=r.data_end)}")
        + "</p>",
    ]
    if r.kind == "month" and r.period.end < parse_month(r.label).end:
        parts.append(f'<p class="note">{_e(t("review.partial", lang, end=r.period.end))}</p>')

    parts.append(f"<h2>{_e(t('review.summary', lang))}</h2>")
    parts.append('<ul class="summary">' + "".join(f"<li>{_e(s)}</li>" for s in summary_lines(r, lang)) + "</ul>")
    parts.append(
        _keep(
            f"<h3>{_e(t('review.actions', lang))}</h3>",
            '<ol class="actions">' + "".join(f"<li>{_e(s)}</li>" for s in action_lines(r, lang)) + "</ol>",
        )
    )
    parts.append(
        _keep(f"<h2>{_e(t('review.headline', lang))}</h2>", _table(headline_rows(r, lang), t("review.none", lang)))
    )

    # Each heading travels with what it introduces (a "keep" block is never split across pages).
    heading = f"<h2>{_e(t('review.targets', lang))}</h2>"
    if "targets" in r.missing:
        parts.append(_keep(heading, _note(t("review.no_targets_file", lang, month=r.target_month), "missing")))
    elif not r.targets:
        parts.append(_keep(heading, _note(t("overview.no_targets", lang, month=r.target_month))))
    else:
        bullets = [
            f"<h3>{_e(_metric_label(target, lang))}</h3>"
            + _note(target_caption(target, lang))
            + _figure(fig_target(target, lang), f"target-{i}")
            for i, target in enumerate(r.targets)
        ]
        elapsed = fmt.rate(r.targets[0]["expected_share"], lang)
        explain = t("review.targets_explain", lang, end=r.period.end, elapsed=elapsed, month=r.target_month)
        parts.append(_keep(heading, *bullets, _note(explain)))

    heading = f"<h2>{_e(t('review.daily', lang))}</h2>"
    if "orders" in r.missing:
        parts.append(_keep(heading, _note(t("review.needs_orders", lang), "missing")))
    else:
        parts.append(
            _keep(heading, _figure(fig_daily(r, lang), "daily"), _note(t("review.daily_explain", lang, cmp=cmp_label)))
        )

    heading = f"<h2>{_e(t('review.drivers', lang))}</h2>"
    if "orders" in r.missing:
        parts.append(_keep(heading, _note(t("review.needs_orders", lang), "missing")))
        heading = ""
    else:
        for dimension in DIMENSIONS:
            text = waterfall_text(r, dimension, lang)
            figure = _figure(fig_waterfall(r, dimension, lang), f"waterfall-{dimension}")
            dim = t(f"review.dim.{dimension}", lang)
            parts.append(_keep(heading, f"<h3>{_e(dim)}</h3>", figure, _note(text)))
            heading = ""
    factors = f"<h3>{_e(' × '.join(t(f'review.factor.{k}', lang) for k in ('traffic', 'conversion', 'aov')))}</h3>"
    if r.drivers is None:
        parts.append(_keep(heading, factors, _note(t("review.factors_missing", lang), "missing")))
    else:
        figure = _figure(fig_factors(r, lang), "factors")
        parts.append(_keep(heading, factors, figure, _note(t("review.factors_explain", lang))))

    parts.append(
        _keep(
            f"<h2>{_e(t('review.anomalies', lang))}</h2>",
            _note(t("review.anomaly_rule", lang)),
            _table(anomaly_rows(r, lang), t("review.no_anomalies", lang)),
        )
    )

    heading = f"<h2>{_e(t('review.movers', lang))}</h2>" + _note(
        t("review.movers_explain", lang, cmp=cmp_label, unit=u)
    )
    for dimension in MOVER_DIMENSIONS:
        table = _table(mover_rows(r, dimension, lang), t("review.no_movers", lang))
        parts.append(_keep(heading, f"<h3>{_e(t(f'review.dim.{dimension}', lang))}</h3>", table))
        heading = ""

    heading = f"<h2>{_e(t('review.inventory', lang))}</h2>"
    if not r.inventory:
        parts.append(_keep(heading, _missing("inventory", t("review.inventory_what", lang), lang)))
    else:
        date = r.inventory.get("snapshot_date") or "—"
        heading += _note(t("review.inventory_explain", lang, date=date, unit=u))
        for part, key in (
            ("new_stockouts", "review.new_stockouts"),
            ("reorder", "review.to_reorder"),
            ("trending", "review.trending"),
        ):
            n = len(r.inventory[part])
            title = f"<h3>{_e(t(key, lang, unit=u))} ({_e(fmt.count(n, lang))})</h3>"
            parts.append(_keep(heading, title, _table(inventory_rows(r, part, lang), t("review.none", lang))))
            heading = ""

    parts.append(_keep(f"<h2>{_e(t('review.members', lang))}</h2>", members_html(r, lang)))

    body = "\n".join(parts)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{CSS}</style>"
        f"<script>{get_plotlyjs()}</script></head>\n<body>\n{body}\n</body></html>\n"
    )


def _metric_label(target: dict, lang: str) -> str:
    from storeops.metrics import BY_KEY

    m = BY_KEY.get(target["metric"])
    return m.label(lang) if m else target["metric"]


def members_html(r: Review, lang: str) -> str:
    from storeops.review import member_note, member_rows

    if not r.members:
        return _missing("members", t("review.members_what", lang), lang)
    return f'<p class="note">{_e(member_note(r, lang))}</p>' + _table(member_rows(r, lang), t("review.none", lang))


def render_pdf(document: str, timeout_ms: int = 60_000, requests: list[str] | None = None) -> bytes:
    """Print an HTML report to an A4 PDF with headless Chromium, once every chart has drawn.

    The page is offline: any request it makes is refused (and appended to
    ``requests`` when given, which the tests check stays empty). Playwright's
    sync API refuses to run in a thread with a running event loop (another
    sync Playwright session, an async host), so the printing gets a thread of
    its own.
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(_print_pdf, document, timeout_ms, requests).result()


def _print_pdf(document: str, timeout_ms: int, requests: list[str] | None) -> bytes:
    from playwright.sync_api import sync_playwright

    def refuse(route) -> None:
        if requests is not None:
            requests.append(route.request.url)
        route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.route("**/*", refuse)
            page.set_content(document, wait_until="load", timeout=timeout_ms)
            page.wait_for_function(
                "() => [...document.querySelectorAll('.plotly-graph-div')].every(d => d.querySelector('.main-svg'))",
                timeout=timeout_ms,
            )
            page.evaluate("document.fonts.ready")
            return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            browser.close()


def write(r: Review, lang: str, path: str | Path) -> Path:
    """Write the report to ``path``: ``.html`` or ``.pdf`` by its suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise ValueError(f"{path}: the report is written as .html or .pdf")
    document = render_html(r, lang)
    if suffix == ".pdf":
        path.write_bytes(render_pdf(document))
    else:
        path.write_text(document, encoding="utf-8")
    return path
