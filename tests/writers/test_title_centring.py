"""The book's title, date range and count are centred alike on every title page (issue 25, 8).

The web page centred all three; the PDF's title page and the ``--email`` page set the title
left (a heading rule) and the lines under it centred. Checked where a reader sees it: the words'
boxes on the PDF's first page (``pdftotext -bbox-layout``), and the laid-out page in headless
Chromium (computed ``text-align`` and where the text lands in its box).
"""

from __future__ import annotations

import re
import subprocess
import warnings

import pytest

import digestkit
from tests.browser import chromium, open_pages
from tests.conftest import require, require_tool


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("centring")
    for day in (23, 25):  # two days: the title page has a date range too
        (root / f"2026-02-{day}.md").write_text(
            f"---\ntitle: 日報 {day}\ndate: 2026-02-{day}\n---\n## 一\n\n段落。\n", encoding="utf-8"
        )
    return root


def _weekly(archive, out, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return digestkit.weekly(archive, out, cache=False, title="週報", **options)


def test_pdf_title_page_centres_title_dates_and_count(archive, tmp_path):
    pdf = _weekly(archive, tmp_path / "w.pdf")
    box = subprocess.run(
        [require_tool("pdftotext"), "-f", "1", "-l", "1", "-bbox-layout", str(pdf), "-"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    width = float(re.search(r'<page width="([\d.]+)"', box).group(1))
    lines = re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</line>',
                       box, re.S)  # fmt: skip
    texts = ["".join(re.findall(r">([^<]+)</word>", words)) for _, _, words in lines]
    assert texts[0] == "週報" and any("2026" in t for t in texts) and any("篇" in t for t in texts)
    for (x0, x1, _), text in zip(lines, texts, strict=True):
        centre = (float(x0) + float(x1)) / 2
        assert abs(centre - width / 2) < 0.01 * width, (text, centre, width / 2)


_LAYOUT = """(() => {
  const head = document.querySelector('.masthead');
  return Array.from(head.children).map(el => {
    const r = document.createRange(); r.selectNodeContents(el);
    const t = r.getBoundingClientRect(), e = el.getBoundingClientRect();
    return [el.textContent, getComputedStyle(el).textAlign, (t.left + t.right - e.left - e.right) / 2];
  });
})()"""


def test_html_and_email_pages_centre_title_dates_and_count(archive, tmp_path):
    require(chromium() is not None, "the 'chromium' program (run `./run setup`)")
    page = _weekly(archive, tmp_path / "page.html")
    email = _weekly(archive, tmp_path / "email.html", email=True)
    for report in open_pages([page, email], evaluate={"masthead": _LAYOUT}):
        lines = report.values["masthead"]
        assert lines[0][0] == "週報" and len(lines) == 3, lines
        for text, align, offset in lines:
            assert align == "center" and abs(offset) < 2, (report.url, text, align, offset)
