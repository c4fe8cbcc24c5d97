"""The epub reader: books made by digestkit, pandoc and calibre read back with all their text;
digestkit's weekly EPUB survives EPUB → AST → EPUB; hostile containers are refused quickly."""

from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile

import pytest

import digestkit
from digestkit.ast import Article, Document, Emphasis, Heading, Link, plain_text, walk
from digestkit.errors import MissingDependencyError, ParseError
from digestkit.readers.epub import READER
from tests.conftest import FIXTURES, epubcheck, need_module, require_tool

need_module("ebooklib")


def _chapters(doc: Document) -> list[tuple[str | None, str]]:
    return [(a.meta.title, plain_text(a)) for a in doc.articles()]


def _headings(doc: Document) -> list[str]:
    out = []

    def visit(blocks):
        for b in blocks:
            if isinstance(b, Heading):
                out.append(plain_text(b))
            if isinstance(b, Article):
                out.append(f"[{b.meta.title}]")
                visit(b.blocks)

    visit(doc.blocks)
    return out


def _nav_titles(path) -> list[str]:
    import re

    with zipfile.ZipFile(path) as zf:
        nav = next(n for n in zf.namelist() if n.endswith("nav.xhtml"))
        text = zf.read(nav).decode()
    return re.findall(r"<a [^>]*>([^<]+)</a>", text)


@pytest.fixture(scope="module")
def weekly_epub(tmp_path_factory):
    out = tmp_path_factory.mktemp("weekly") / "weekly.epub"
    with pytest.warns(UserWarning):
        digestkit.weekly(FIXTURES, out)
    return out


def test_weekly_epub_reads_every_chapter_and_round_trips(weekly_epub, tmp_path):
    data = weekly_epub.read_bytes()
    assert READER.sniff(data, None) == 1.0
    doc = READER.read(data, path=str(weekly_epub))
    nav = _nav_titles(weekly_epub)
    titles = [a.meta.title for a in doc.articles()]
    assert len(titles) == 5 and all(t in nav for t in titles)
    assert doc.meta.lang and doc.meta.lang.startswith("zh")
    # every seed's text is in its chapter
    assert "OpenAI" in plain_text(doc) and "創世計畫" in plain_text(doc)
    again_path = tmp_path / "again.epub"
    digestkit.dump(doc, again_path)
    again = READER.read(again_path.read_bytes(), path=str(again_path))
    assert _chapters(again) == _chapters(doc)
    assert _headings(again) == _headings(doc)
    assert set(_nav_titles(again_path)) >= set(titles)
    assert epubcheck(again_path) == []  # the book read back is a valid EPUB again


def test_pandoc_epub_reads_with_all_its_text(tmp_path):
    pypandoc = need_module("pypandoc")
    md = (
        "---\ntitle: 科技週報\nlang: zh-Hant\nauthor: 編輯部\n---\n\n"
        "# 晶片\n\n美國放寬晶片出口，**業界**反應不一。\n\n- 先進製程\n- 明年量產\n\n"
        "# 模型\n\n新模型發布[^1]。\n\n![圖](pic.png)\n\n[^1]: 來源：新聞稿。\n"
    )
    (tmp_path / "pic.png").write_bytes(_png())
    out = tmp_path / "book.epub"
    pypandoc.convert_text(
        md, "epub3", format="markdown", outputfile=str(out), cworkdir=str(tmp_path)
    )
    doc = READER.read(out.read_bytes(), path=str(out))
    assert (
        doc.meta.title == "科技週報" and doc.meta.lang == "zh-Hant" and doc.meta.author == "編輯部"
    )
    chapters = dict(_chapters(doc))
    assert "美國放寬晶片出口，業界反應不一。" in chapters["晶片"]
    assert "先進製程\n明年量產" in chapters["晶片"]
    assert "新模型發布" in chapters["模型"] and "來源：新聞稿。" in chapters["模型"]
    images = [n for n in _walk_images(doc)]
    assert images and images[0].url.startswith("data:image/png;base64,")


def test_calibre_epub_reads_with_all_its_text(tmp_path):
    convert = require_tool("ebook-convert")
    src = tmp_path / "in.html"
    src.write_text(
        "<html lang='zh-Hans'><head><meta charset='utf-8'><title>日报</title></head><body>"
        "<h1>第一章</h1><p>国家统计局今天发布数据。</p><h1>第二章</h1><p>新能源汽车产量增长。</p>"
        "</body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "out.epub"
    subprocess.run(
        [convert, str(src), str(out), "--language", "zh-Hans", "--title", "日报"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    doc = READER.read(out.read_bytes(), path=str(out))
    assert doc.meta.title == "日报" and doc.meta.lang.startswith("zh")  # calibre writes "zh"
    text = plain_text(doc) + "".join(a.meta.title or "" for a in doc.articles())
    for part in ("第一章", "国家统计局今天发布数据。", "第二章", "新能源汽车产量增长。"):
        assert part in text


def _walk_images(doc):
    from digestkit.ast import Image, walk

    found = []
    walk(doc, lambda n: found.append(n) or n if isinstance(n, Image) else n)
    return found


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"\x00\xff\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))  # fmt: skip


CONTAINER = b"""<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"""


def _opf(lang: str, items: str, spine: str, head: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>{head}
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>
<dc:title>書</dc:title><dc:language>{lang}</dc:language><dc:subject>AI</dc:subject></metadata>
<manifest>{items}</manifest><spine>{spine}</spine></package>""".encode()


def _epub(
    files: dict[str, bytes], *, extra: list[tuple[zipfile.ZipInfo | str, bytes]] = ()
) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
        zf.writestr("META-INF/container.xml", CONTAINER)
        for name, data in files.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        for info, data in extra:
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


CHAPTER = "<html xmlns='http://www.w3.org/1999/xhtml' lang='{lang}'><head><title>{t}</title></head><body><h1>{t}</h1><p>{p}</p></body></html>"
NAV_NO_TYPE = b"""<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body><nav><ol><li><a href="c1.xhtml">One</a></li></ol></nav></body></html>"""


def _book(lang="zh-Hant", nav=NAV_NO_TYPE, missing=False) -> bytes:
    items = (
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        '<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="c2" href="c2.xhtml" media-type="application/xhtml+xml"/>'
    )
    files = {
        "OEBPS/content.opf": _opf(lang, items, '<itemref idref="c1"/><itemref idref="c2"/>'),
        "OEBPS/nav.xhtml": nav,
        "OEBPS/c1.xhtml": CHAPTER.format(lang=lang, t="第一章", p="臺灣晶片。").encode(),
    }
    if not missing:
        files["OEBPS/c2.xhtml"] = CHAPTER.format(lang="en", t="Two", p="English text.").encode()
    return _epub(files)


def test_chinese_language_and_a_nav_without_toc_type_are_handled():
    doc = READER.read(_book(), path="zh.epub")
    assert doc.meta.lang == "zh-Hant" and doc.meta.title == "書" and doc.meta.tags == ("AI",)
    one, two = doc.articles()
    assert (one.meta.title, one.meta.lang, plain_text(one)) == ("第一章", None, "臺灣晶片。")
    assert (two.meta.title, two.meta.lang) == ("Two", "en")


def test_a_file_missing_from_the_zip_is_a_parse_error_naming_it():
    with pytest.raises(ParseError) as exc:
        READER.read(_book(missing=True), path="broken.epub")
    assert "broken.epub" in str(exc.value) and "c2.xhtml" in str(exc.value)


# Imitates real books (observed in published EPUBs): the manifest lists a cover image, a font
# and a style sheet the zip does not hold; a chapter shows one of the images and one present.
def _book_missing_media() -> bytes:
    items = (
        '<item id="c1" href="text/c1.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="gone" href="images/gone.png" media-type="image/png"/>'
        '<item id="here" href="images/here.png" media-type="image/png"/>'
        '<item id="font" href="fonts/serif.otf" media-type="application/vnd.ms-opentype"/>'
        '<item id="css" href="style.css" media-type="text/css"/>'
    )
    chapter = (
        "<html xmlns='http://www.w3.org/1999/xhtml' lang='zh'><head><title>一</title></head>"
        "<body><h1>一</h1><p>地圖：<img src='../images/gone.png' alt='臺灣地圖'/>，見上。</p>"
        "<p><img src='../images/here.png' alt='照片'/>照片說明。</p></body></html>"
    )
    return _epub(
        {
            "OEBPS/content.opf": _opf("zh", items, '<itemref idref="c1"/>'),
            "OEBPS/text/c1.xhtml": chapter.encode(),
            "OEBPS/images/here.png": _png(),
        }
    )


def test_media_files_missing_from_the_zip_are_left_out_with_one_warning():
    with pytest.warns(UserWarning) as caught:
        doc = READER.read(_book_missing_media(), path="real.epub")
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "\n" not in messages[0]
    assert messages[0].startswith("real.epub: ")
    for name in ("OEBPS/images/gone.png", "OEBPS/fonts/serif.otf", "OEBPS/style.css"):
        assert name in messages[0]
    assert "here.png" not in messages[0]
    assert "地圖：臺灣地圖，見上。" in plain_text(doc).split("\n")  # the alt text, as text
    (image,) = _walk_images(doc)  # the present one only, embedded
    assert image.url.startswith("data:image/png;base64,") and plain_text(image) == "照片"


def test_a_missing_chapter_is_still_refused_beside_missing_media():
    data = _book_missing_media()
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            if info.filename != "OEBPS/text/c1.xhtml":
                dst.writestr(info, src.read(info))
    with pytest.raises(ParseError) as exc:
        READER.read(broken.getvalue(), path="broken.epub")
    assert "broken.epub" in str(exc.value) and "c1.xhtml" in str(exc.value)


@pytest.mark.parametrize(
    "name", ["../evil.txt", "/etc/evil", "OEBPS/../../evil", "C:/evil", "a\\..\\b"]
)
def test_unsafe_member_names_are_refused(name):
    with pytest.raises(ParseError, match="refused") as exc:
        READER.read(_epub({}, extra=[(name, b"x")]), path="evil.epub")
    assert "evil.epub" in str(exc.value)


def test_a_300_mb_member_of_zeros_is_refused_without_inflating():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/epub+zip")
        with zf.open("OEBPS/zeros.xhtml", "w", force_zip64=True) as fh:
            block = bytes(1024 * 1024)
            for _ in range(300):
                fh.write(block)
    data = buf.getvalue()
    assert len(data) < 1_000_000
    start = time.perf_counter()
    with pytest.raises(ParseError, match=r"zip bomb|inflates") as exc:
        READER.read(data, path="bomb.epub")
    assert time.perf_counter() - start < 1.0
    assert "bomb.epub" in str(exc.value) and "zeros.xhtml" in str(exc.value)


def test_xml_entity_expansion_in_the_package_is_refused():
    head = '<!DOCTYPE package [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    items = '<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>'
    files = {
        "OEBPS/content.opf": _opf("zh", items, '<itemref idref="c1"/>', head),
        "OEBPS/c1.xhtml": CHAPTER.format(lang="zh", t="t", p="&b;").encode(),
    }
    with pytest.raises(ParseError, match="entities") as exc:
        READER.read(_epub(files), path="laughs.epub")
    assert "laughs.epub" in str(exc.value) and "content.opf" in str(exc.value)


def test_not_a_zip_is_a_parse_error():
    with pytest.raises(ParseError, match="not a valid zip"):
        READER.read(b"PK\x03\x04 not really", path="x.epub")


def test_missing_ebooklib_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "ebooklib", None)
    with pytest.raises(MissingDependencyError, match=r"digestkit\[epub\]"):
        READER.read(_book(), path="zh.epub")


def test_utf8_member_names_without_the_zip_utf8_flag_are_read():
    # Written for this test, imitating the IDPF Japanese sample book zipped with Info-ZIP:
    # UTF-8 file names (表紙.xhtml) but the zip "UTF-8 names" flag unset, so Python reads the
    # names as CP437 and the package's href missed its file: a valid book was refused.
    items = '<item id="c1" href="表紙.xhtml" media-type="application/xhtml+xml"/>'
    name = "OEBPS/表紙.xhtml".encode()
    stand_in = b"OEBPS/" + b"X" * (len(name) - 12) + b".xhtml"  # ASCII: no flag is set
    data = _epub(
        {"OEBPS/content.opf": _opf("ja", items, '<itemref idref="c1"/>')},
        extra=[
            (
                stand_in.decode(),
                CHAPTER.format(lang="ja", t="草枕", p="山路を登りながら。").encode(),
            )
        ],
    ).replace(stand_in, name)  # the real UTF-8 bytes, in both headers, flag still unset
    (info,) = [
        i for i in zipfile.ZipFile(io.BytesIO(data)).infolist() if i.filename.endswith("xhtml")
    ]
    assert not info.flag_bits & 0x800 and info.filename != name.decode()
    doc = READER.read(data, path="ja.epub")  # one chapter: the document itself
    assert plain_text(doc) == "草枕\n山路を登りながら。"  # the one chapter keeps its title


def test_a_one_chapter_book_keeps_the_chapter_title():
    # Written for this test, imitating one-chapter sample books (a novel excerpt whose book
    # title differs from its chapter heading): the heading was taken off and then lost.
    items = '<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>'
    data = _epub(
        {
            "OEBPS/content.opf": _opf("zh-Hans", items, '<itemref idref="c1"/>'),
            "OEBPS/c1.xhtml": CHAPTER.format(lang="zh-Hans", t="第一章", p="正文。").encode(),
        }
    )
    doc = READER.read(data, path="one.epub")
    assert doc.meta.title == "書" and plain_text(doc) == "第一章\n正文。"


def test_links_between_the_books_chapters_keep_only_their_text():
    # a contents page or "next chapter" link names another file of the book, which is no file
    # once the chapters are one document's articles; links out of the book stay
    items = (
        '<item id="c1" href="text/c1.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="c2" href="text/c2.xhtml" media-type="application/xhtml+xml"/>'
    )
    body = ('<p>見<a href="c2.xhtml#s1"><em>第二章</em>第一節</a>與'
            '<a href="https://example.com/x">出處</a>、<a href="#top">本章</a>。</p>')  # fmt: skip
    files = {
        "OEBPS/content.opf": _opf("zh-Hant", items, '<itemref idref="c1"/><itemref idref="c2"/>'),
        "OEBPS/text/c1.xhtml": CHAPTER.format(lang="zh-Hant", t="一", p="x")
        .replace("<p>x</p>", body)
        .encode(),
        "OEBPS/text/c2.xhtml": CHAPTER.format(lang="zh-Hant", t="二", p="二的正文。").encode(),
    }
    one, _ = READER.read(_epub(files), path="links.epub").articles()
    links = [n.url for n in _nodes(one, Link)]
    assert links == ["https://example.com/x", "#top"]
    assert plain_text(one) == "見第二章第一節與出處、本章。"
    assert [plain_text(n) for n in _nodes(one, Emphasis)] == ["第二章"]  # its formatting stays


def _nodes(node, kind):
    found = []

    def visit(n):
        if isinstance(n, kind):
            found.append(n)
        return n

    walk(node, visit)
    return found
