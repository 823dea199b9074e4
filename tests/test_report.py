"""The weekly review report (storeops/report.py) and ``python -m storeops report``.

The HTML must work offline (no URL to load) and the PDF must carry the
headline numbers in English and 简体中文; the numbers are those of the
tests/test_review.py fixture (W27: net revenue ¥590, −46.4% vs W26's ¥1,100).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from test_review import FILES, ORDERS

from storeops import report, review
from storeops.cli import main

pytestmark = pytest.mark.usefixtures("isolated_cache_env")
needs_chromium = pytest.mark.skipif(
    not shutil.which(report.CHROMIUM) or not shutil.which("pdftotext"),
    reason="needs /usr/bin/chromium and pdftotext (make system-deps)",
)


@pytest.fixture
def store(make_store):
    return make_store(FILES)


@pytest.fixture
def r(store):
    return review.build(store, week="2024-W27")


def _plotly_js_span(document: str) -> tuple[int, int]:
    """Where the one inlined <script> (plotly.js) sits in the document."""
    start = document.index("<script>")
    return start, document.index("</script>", start)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_has_no_external_url(r, lang):
    document = report.render_html(r, lang)
    # Nothing is loaded from elsewhere: no linked stylesheet, no script or image by URL, no CSS import.
    assert "<link" not in document
    assert not re.search(r"<script[^>]*\bsrc\s*=", document)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", document)
    # Outside the inlined plotly.js there is no http(s) URL at all …
    start, end = _plotly_js_span(document)
    assert not re.search(r"https?://", document[:start] + document[end:])
    # … and every src/href with a URL is text inside the plotly.js bundle: the attribution links of map
    # tiles (map traces, never drawn here) and the "Produced with Plotly" logo (the mode bar is off).
    for m in re.finditer(r"""(?:src|href)\s*=\s*["']?https?://""", document):
        assert start < m.start() < end


def test_html_holds_the_page_strings(r):
    document = report.render_html(r, "zh")
    assert '<html lang="zh-CN">' in document
    for line in review.summary_lines(r, "zh") + review.action_lines(r, "zh"):
        assert report._e(line) in document
    assert "周复盘 2024-W27" in document
    assert "¥590" in document and "−46.4%" in document


def test_html_escapes_values_from_the_data(make_store):
    orders = ORDERS.replace(",shoes\n", ",<img src=x onerror=alert(1)>\n")
    store = make_store({**FILES, "orders.csv": orders})
    document = report.render_html(review.build(store, week="2024-W27"), "en")
    assert "<img src=x" not in document
    assert "&lt;img src=x onerror=alert(1)&gt;" in document


def test_html_names_the_missing_files(make_store):
    store = make_store({"orders.csv": ORDERS})
    document = report.render_html(review.build(store, week="2024-W27"), "en")
    for text in ("Needs inventory.csv", "Needs members.csv", "Needs data/targets.csv"):
        assert text in document
    assert "Traffic × conversion × AOV needs orders.csv and traffic.csv" in document


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)  # pdftotext breaks lines and may split a number from its unit


def _pdf_pages(pdf: bytes, tmp_path) -> tuple[int, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return pages, re.search(r"Page size:\s+(.*)", info).group(1)


@needs_chromium
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        # title, net revenue, change vs previous week and vs last year, the channel behind it
        ("en", ["Weeklyreview2024-W27", "¥590", "−46.4%", "+490.0%", "Paidsearch(−¥700)", "whoseadspendfell30.0%"]),
        ("zh", ["周复盘2024-W27", "净销售额¥590", "环比−46.4%", "同比+490.0%", "付费搜索（−¥700）", "其花费减少30.0%"]),
    ],
)
def test_pdf_has_the_headline_numbers(r, tmp_path, lang, expected):
    requests: list[str] = []
    pdf = report.render_pdf(report.render_html(r, lang), requests=requests)
    assert pdf.startswith(b"%PDF")
    assert requests == []  # printed offline: the page asked for nothing
    text = _pdf_text(pdf, tmp_path)
    for piece in expected:
        assert piece in text, piece
    summary = re.sub(r"\s+", "", review.summary_lines(r, lang)[0])
    assert summary in text
    pages, size = _pdf_pages(pdf, tmp_path)
    assert pages >= 2 and "(A4)" in size


def test_cli_writes_html(store, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", "--data", str(store.data_dir), "--week", "2024-W27", "--lang", "zh", "-o", str(out)]) == 0
    document = out.read_text(encoding="utf-8")
    assert "本周（2024-W27）净销售额 ¥590，环比 −46.4%，同比 +490.0%。" in document
    assert "2024-W27" in capsys.readouterr().err


def test_cli_month_and_yoy(store, tmp_path):
    out = tmp_path / "month.html"
    args = ["report", "--data", str(store.data_dir), "--month", "2024-07", "--compare", "yoy", "--lang", "en"]
    assert main([*args, "-o", str(out)]) == 0
    document = out.read_text(encoding="utf-8")
    assert "Monthly review 2024-07" in document
    assert "Against the same period last year" in document


@pytest.mark.parametrize(
    "args",
    [
        ["--week", "2024-W27", "-o", "report.docx"],
        ["--week", "2024-27", "-o", "report.html"],
        ["--month", "2030-01", "-o", "report.html"],
        ["--week", "2030-W01", "-o", "report.html"],
    ],
)
def test_cli_errors(store, tmp_path, args, capsys):
    args = [a if a != "report.html" else str(tmp_path / a) for a in args]
    assert main(["report", "--data", str(store.data_dir), *args]) == 2
    assert capsys.readouterr().err.startswith("error:")


@needs_chromium
def test_cli_writes_pdf(store, tmp_path):
    out = tmp_path / "report.pdf"
    assert main(["report", "--data", str(store.data_dir), "--week", "2024-W27", "--lang", "en", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


@needs_chromium
def test_page_prepares_the_pdf(store, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("STOREOPS_DATA", str(store.data_dir))
    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "dashboard.py"), default_timeout=120)
    at.query_params.update({"lang": "zh"})
    at.run()
    at.switch_page("pages/weekly_review.py").run()
    assert not at.exception, [e.message for e in at.exception]
    at.button(key="review-make-pdf").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["review-pdf-doc"].startswith(b"%PDF")
