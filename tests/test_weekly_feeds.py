"""The weekly job and feeds (issue 15): each entry of a feed in the archive is dated by its own
date; the week takes the entries published in it, a chapter per feed per day, in date order with
the other digests. Feeds come from real producers (feedgen, Hugo's RSS template)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import warnings
import zipfile

import pytest

import digestkit
from digestkit.archive import collect, weekly_result
from digestkit.cache import DocumentCache
from digestkit.cli import main
from tests.conftest import epub_texts, epubcheck, need_module, require_tool

feedgen = need_module("feedgen.feed")

CST = dt.timezone(dt.timedelta(hours=8))
EST = dt.timezone(dt.timedelta(hours=-5))
# 2026-W10 runs from Monday 2026-03-02 to Sunday 2026-03-08.
ENTRIES = [  # title, published, body
    ("上週的新聞", dt.datetime(2026, 3, 1, 9, 0, tzinfo=CST), "三月一日，上一週的最後一天。"),
    ("週一晚間新聞", dt.datetime(2026, 3, 2, 20, 0, tzinfo=CST), "週一晚上發生的事。"),
    ("週一早間新聞", dt.datetime(2026, 3, 2, 8, 0, tzinfo=CST), "週一早上發生的事。"),
    # 23:30 in New York on the 8th is the 9th in UTC: its own offset says the 8th, in W10
    ("紐約週日深夜", dt.datetime(2026, 3, 8, 23, 30, tzinfo=EST), "週日深夜在紐約。"),
    ("下週的新聞", dt.datetime(2026, 3, 9, 10, 0, tzinfo=CST), "三月九日，已是下一週。"),
]
IN_WEEK = ["週一早間新聞", "週一晚間新聞", "紐約週日深夜"]  # date order


def _feed(kind: str, title: str = "科技快訊", entries=ENTRIES) -> bytes:
    fg = feedgen.FeedGenerator()
    fg.id("https://example.org/")
    fg.title(title)
    fg.link(href="https://example.org/", rel="alternate")
    fg.description("每日科技新聞")
    fg.language("zh-Hant")
    for i, (name, when, body) in enumerate(entries):
        fe = fg.add_entry(order="append")
        fe.id(f"https://example.org/{kind}/{i}")
        fe.title(name)
        fe.link(href=f"https://example.org/{kind}/{i}")
        fe.published(when)
        fe.updated(when)
        fe.content(f"<p>{body}</p>", type="html")
    return fg.rss_str(pretty=True) if kind == "rss" else fg.atom_str(pretty=True)


def _daily(root, day: int, title: str, items: list[str]) -> None:
    body = "".join(f"## {t}\n\n{t}的內容。\n\n" for t in items)
    (root / f"2026-03-{day:02d}.md").write_text(
        f"---\ntitle: {title}\ndate: 2026-03-{day:02d}\n---\n\n{body}", encoding="utf-8"
    )


def _weekly(archive, out, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return digestkit.weekly(archive, out, progress=False, **kw)


def _chapters(out) -> list[tuple[str, list[str]]]:
    """(chapter title, its article titles) in reading order, from the EPUB's nav."""
    nav = zipfile.ZipFile(out).read("EPUB/nav.xhtml").decode()
    body = nav.split('<nav epub:type="toc"', 1)[1].split("</nav>", 1)[0]
    found: list[tuple[str, list[str]]] = []
    for m in re.finditer(r'<a href="(chapter-\d+\.xhtml)(#[^"]*)?">([^<]+)</a>', body):
        if m.group(2) is None:
            found.append((m.group(3), []))
        else:
            found[-1][1].append(m.group(3))
    return found


@pytest.fixture
def archive(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = tmp_path / "archive"
    root.mkdir()
    (root / "tech.xml").write_bytes(_feed("rss"))  # sniffed, whatever the extension
    _daily(root, 2, "日報 3月2日", ["晶片", "模型"])
    _daily(root, 8, "日報 3月8日", ["雲端"])
    return root


def test_feed_entries_of_the_week_are_dated_chapters_in_order(archive, tmp_path):
    out = _weekly(archive, tmp_path / "w10.epub", week="2026-W10")
    assert _chapters(out) == [
        ("日報 3月2日", ["晶片", "模型"]),
        ("科技快訊 · 2026-03-02", ["週一早間新聞", "週一晚間新聞"]),  # by time, not feed order
        ("日報 3月8日", ["雲端"]),
        ("科技快訊 · 2026-03-08", ["紐約週日深夜"]),
    ]
    texts = "".join(epub_texts(out).values())
    assert "上一週" not in texts and "下一週" not in texts  # entries outside the week left out
    assert "週一早上發生的事。" in texts
    # each entry shows its own date and time, in its own offset
    chapter = zipfile.ZipFile(out).read("EPUB/chapter-004.xhtml").decode()
    assert '<time datetime="2026-03-08T23:30:00-05:00">2026-03-08 23:30</time>' in chapter
    assert epubcheck(out) == []


def test_atom_and_json_feeds_too_and_the_book_reads_back_with_dates(archive, tmp_path):
    (archive / "tech.xml").unlink()
    (archive / "feed.atom").write_bytes(_feed("atom", "原子新聞"))
    (archive / "feed.json").write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "title": "JSON 新聞", "items": ['
        '{"id": "1", "title": "週三 JSON", "content_text": "週三的 JSON 新聞。",'
        ' "date_published": "2026-03-04T12:00:00+08:00"},'
        '{"id": "2", "title": "更早 JSON", "content_text": "二月的。",'
        ' "date_published": "2026-02-20T12:00:00+08:00"}]}',
        encoding="utf-8",
    )
    out = _weekly(archive, tmp_path / "w.epub", week="2026-W10")
    assert [c for c, _ in _chapters(out)] == [
        "日報 3月2日", "原子新聞 · 2026-03-02", "JSON 新聞 · 2026-03-04", "日報 3月8日",
        "原子新聞 · 2026-03-08",
    ]  # fmt: skip
    # the weekly EPUB read back: each chapter an article dated by its dateline
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = digestkit.load(out)
    dates = {a.meta.title: a.meta.date for a in book.articles()}
    assert dates["JSON 新聞 · 2026-03-04"] == "2026-03-04"
    assert epubcheck(out) == []


def test_hugo_rss_template_feed_in_the_archive(tmp_path, monkeypatch):
    """A real Hugo site's RSS (its built-in template, RFC 822 dates with the site's offset)."""
    hugo = require_tool("hugo")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "科技週報"\nlanguageCode = "zh-Hant"\n'
        "[outputs]\nhome = ['html', 'rss']\n",
        encoding="utf-8",
    )
    posts = {
        "a": ("晶片出口", "2026-03-03T09:00:00+08:00"),
        "b": ("模型發布", "2026-03-05T21:00:00+08:00"),
        "c": ("舊聞", "2026-02-25T09:00:00+08:00"),
    }
    for slug, (title, date) in posts.items():
        (site / "content" / "posts" / f"{slug}.md").write_text(
            f"+++\ntitle = '{title}'\ndate = {date}\n+++\n{title}的正文。\n", encoding="utf-8"
        )
    subprocess.run([hugo, "--quiet", "-s", str(site)], check=True, capture_output=True)
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "index.xml").write_bytes((site / "public" / "index.xml").read_bytes())
    out = _weekly(archive, tmp_path / "w.epub", week="2026-W10")
    assert _chapters(out) == [
        ("科技週報 · 2026-03-03", ["晶片出口"]),
        ("科技週報 · 2026-03-05", ["模型發布"]),
    ]
    assert epubcheck(out) == []


def test_the_cache_keeps_feeds_by_content(archive, tmp_path):
    first = [d.load() for d in collect(archive, jobs=1)]
    store = DocumentCache()
    again = collect(archive, jobs=1)
    assert [d.load() for d in again] == first
    assert all(d.doc is None and d.key for d in again)  # all from the cache, nothing re-parsed
    assert len({d.key for d in again if d.path.name == "tech.xml"}) == 1  # one entry per feed
    # a changed feed is a miss: a new entry of the week appears
    later = [*ENTRIES, ("週三新聞", dt.datetime(2026, 3, 4, 9, 0, tzinfo=CST), "週三的事。")]
    (archive / "tech.xml").write_bytes(_feed("rss", entries=later))
    out = _weekly(archive, tmp_path / "w.epub", week="2026-W10")
    assert ("科技快訊 · 2026-03-04", ["週三新聞"]) in _chapters(out)
    assert store.root == DocumentCache().root


def test_the_same_entry_in_two_feed_snapshots_is_kept_once(archive, tmp_path):
    (archive / "tech-2026-03-09.xml").write_bytes(_feed("rss", entries=ENTRIES[1:]))
    with pytest.warns(UserWarning, match="repeats one in"):
        out = digestkit.weekly(archive, tmp_path / "w.epub", week="2026-W10", progress=False)
    titles = [t for _, arts in _chapters(out) for t in arts]
    assert titles.count("週一早間新聞") == 1 and titles.count("紐約週日深夜") == 1


def test_undated_entries_take_the_file_name_date_or_are_left_out_of_a_week(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    archive = tmp_path / "archive"
    archive.mkdir()
    rss = (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>無日期</title>'
        "<item><title>沒有日期的新聞</title><description>沒有日期。</description></item>"
        "</channel></rss>"
    )
    (archive / "plain.rss").write_text(rss, encoding="utf-8")
    (archive / "snap-2026-03-04.rss").write_text(rss.replace("無日期", "快照"), encoding="utf-8")
    with pytest.warns(UserWarning, match="1 undated document"):
        out = digestkit.weekly(archive, tmp_path / "w.epub", week="2026-W10", progress=False,
                               cache=False)  # fmt: skip
    assert _chapters(out) == [("快照 · 2026-03-04", ["沒有日期的新聞"])]


def test_keep_going_skips_a_broken_feed_with_its_position(archive, tmp_path, capsys):
    bad = archive / "broken.rss"
    bad.write_bytes(b'<?xml version="1.0"?>\n<rss version="2.0">\n<channel><title>x</title>\n<<<\n')
    out = tmp_path / "w.epub"
    assert main(["-q", "weekly", str(archive), "-o", str(out), "--no-cache"]) != 0
    assert f"{bad}:4:2:" in capsys.readouterr().err and not out.exists()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = weekly_result(archive, out, cache=False, keep_going=True, week="2026-W10",
                               progress=False)  # fmt: skip
    assert len(result.skipped) == 1 and result.skipped[0].startswith(f"{bad}:4:2: ")
    assert "科技快訊 · 2026-03-02" in [c for c, _ in _chapters(out)]


def test_a_feed_with_an_entity_bomb_names_the_line(archive, tmp_path):
    bad = archive / "evil.xml"
    bad.write_bytes(b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY a "aaaa">\n]>\n'
                    b'<rss version="2.0"><channel><item><title>&a;</title></item></channel></rss>')  # fmt: skip
    with pytest.raises(digestkit.ParseError) as exc:
        _weekly(archive, tmp_path / "w.epub", cache=False)
    assert (exc.value.path, exc.value.line, exc.value.column) == (str(bad), 3, 2)
