"""The weekly job leaves out what ``hugo`` (without ``-D``) leaves out of a Hugo site: drafts by
their own ``draft``, by a section's ``cascade``, and every page under a draft section.

The sites are written here. The draft section imitates the lanke blog (fresh3 corpus), whose
``post/_index.md`` is ``draft: true`` with only HTML comments, "to disable the post/index.html
page"; Hugo 0.111 then publishes none of its posts.
"""

from __future__ import annotations

import json
import subprocess
import warnings
from pathlib import Path

import digestkit
from digestkit.archive import hugo_drafts
from tests.conftest import require_tool

# file → front matter (YAML unless it starts with +++); every page has a paragraph
PAGES = {
    "friend.md": "title: 友情链接\ndate: 2026-03-02",
    "post/_index.md": "date: 2022-07-26T21:46:25+08:00\ndraft: true",
    "post/a.md": "title: 第一篇\ndate: 2026-03-03",
    "post/b.md": "title: 第二篇\ndate: 2026-03-03\ndraft: false",  # still under a draft section
    "news/_index.md": "title: 新闻\ncascade:\n  draft: true",
    "news/c.md": "title: 草稿新闻\ndate: 2026-03-04",
    "news/d.md": "title: 自称定稿\ndate: 2026-03-04\ndraft: false",  # the section is a draft too
    "daily/_index.md": "title: 日报",
    "daily/e.md": "+++\ntitle = '日报一'\ndate = 2026-03-05\nDraft = true\n+++",
    "daily/f.md": "title: 日报二\ndate: 2026-03-05",
    "tw/_index.zh-tw.md": "title: 繁體\ncascade:\n  draft: true",
    "tw/g.zh-tw.md": "title: 繁體草稿\ndate: 2026-03-06",
    "tw/h.md": "title: 英文頁\ndate: 2026-03-06",  # the zh-tw cascade is not its language's
}
CONFIG = """baseURL = 'https://example.org/'
defaultContentLanguage = 'en'
[languages.en]
weight = 1
[languages.zh-tw]
weight = 2
"""


def _site(root: Path) -> Path:
    for name, front in PAGES.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        fenced = front if front.startswith("+++") else f"---\n{front}\n---"
        path.write_text(f"{fenced}\n\n{name} 的正文。\n", encoding="utf-8")
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    return root


def test_hugo_drafts_are_what_real_hugo_leaves_out(tmp_path):
    hugo = require_tool("hugo")
    site = _site(tmp_path / "site")
    layouts = site / "layouts"
    (layouts / "_default").mkdir(parents=True)
    (layouts / "index.json").write_text(
        "{{ $o := slice }}{{ range .Site.AllPages }}{{ with .File }}"
        "{{ $o = $o | append .Path }}{{ end }}{{ end }}{{ $o | jsonify }}",
        encoding="utf-8",
    )
    (site / "config.toml").write_text(
        CONFIG.replace("[languages.en]", 'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
                       '[outputs]\nhome = ["JSON"]\npage = []\nsection = []\n[languages.en]'),
        encoding="utf-8",
    )  # fmt: skip
    subprocess.run([hugo, "--quiet", "-s", str(site)], check=True, capture_output=True)
    published = {
        p for index in (site / "public").rglob("index.json") for p in json.loads(index.read_text())
    }
    files = sorted((site / "content").rglob("*.md"))
    ours = {p.relative_to(site / "content").as_posix() for p in files} - {
        p.relative_to(site / "content").as_posix() for p in hugo_drafts(files, site)
    }
    assert "post/a.md" not in published and "daily/f.md" in published  # the cases are live
    assert ours == published


def test_weekly_leaves_out_the_pages_hugo_does_not_publish(tmp_path):
    site = _site(tmp_path / "site")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = digestkit.weekly(site, tmp_path / "w.html", progress=False)
    text = out.read_text(encoding="utf-8")
    for kept in ("友情链接", "日报二", "英文頁"):
        assert kept in text
    for left_out in ("第一篇", "第二篇", "草稿新闻", "自称定稿", "日报一", "繁體草稿"):
        assert left_out not in text
    said = [str(w.message) for w in caught if "draft page(s) left out" in str(w.message)]
    assert len(said) == 1 and "9 draft page(s)" in said[0]
