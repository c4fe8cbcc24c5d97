"""Embedded fonts (``--embed-fonts``, ``--font``): the right face per script, every character
covered (read back with fontTools' cmap), declared, valid, cached."""

from __future__ import annotations

import io
import os
import re
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

import digestkit
from digestkit.ast import Article, Document, Heading, Meta, Paragraph, Text
from digestkit.errors import DigestkitError
from digestkit.writers import fonts
from digestkit.writers.book import Book, Chapter
from digestkit.writers.epub import build_epub
from tests.conftest import FIXTURES, epubcheck, need_module, require

ttLib = need_module("fontTools.ttLib")

XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3000-\u303f\uff00-\uffef]")


def _need_noto() -> None:
    require(fonts.find_face("Noto Serif CJK TC") is not None,
            "Noto CJK fonts (apt-get install fonts-noto-cjk)")  # fmt: skip


def _font(data: bytes):
    return ttLib.TTFont(io.BytesIO(data))


def _weekly(tmp_path: Path, **options) -> Path:
    out = tmp_path / "w.epub"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        digestkit.weekly(FIXTURES, out, progress=False, **options)
    return out


def _faces_by_family(zf: zipfile.ZipFile) -> dict[str, bytes]:
    """CSS family → font bytes, read from the stylesheet's @font-face rules."""
    css = zf.read("EPUB/style/book.css").decode()
    rules = re.findall(r'@font-face \{ font-family: "([^"]+)";[^}]*url\("\.\./([^"]+)"\)', css)
    return {family: zf.read(f"EPUB/{href}") for family, href in rules}


def _script(lang: str) -> str:
    low = lang.lower()
    return "zh-Hant" if low.startswith(("zh-hant", "zh-tw")) else "zh-Hans"


def _text_by_face(root: ElementTree.Element, lang: str, heading: bool = False, out=None):
    """(script, kind) → characters, walking the XHTML with lang inheritance (independently of
    ``fonts.TextCollector``): headings h1–h3 are drawn in the sans face, the rest in serif."""
    out = {} if out is None else out
    tag = root.tag.replace(XHTML, "")
    lang = root.get("lang") or root.get(XML_LANG) or lang
    heading = heading or tag in ("h1", "h2", "h3")
    key = (_script(lang), "sans" if heading else "serif")
    for text in (root.text,):
        out.setdefault(key, set()).update(text or "")
    for child in root:
        _text_by_face(child, lang, heading, out)
        out.setdefault(key, set()).update(child.tail or "")
    return out


def test_weekly_fonts_cover_every_cjk_character_and_pass_epubcheck(tmp_path):
    _need_noto()
    (tmp_path / "plain").mkdir()
    plain = _weekly(tmp_path / "plain")
    out = _weekly(tmp_path, embed_fonts=True)
    added = out.stat().st_size - plain.stat().st_size
    assert 0 < added < 1_000_000, added  # goal: under 1.5 MB for a week of digests (issue 18)
    with zipfile.ZipFile(out) as zf:
        opf = zf.read("EPUB/content.opf").decode()
        faces = _faces_by_family(zf)
        checked = 0
        for name in zf.namelist():
            if not re.match(r"EPUB/chapter-\d+\.xhtml", name):
                continue
            root = ElementTree.fromstring(zf.read(name))
            body = root.find(f"{XHTML}body")
            for (script, kind), chars in _text_by_face(body, root.get("lang")).items():
                cjk = {c for c in chars if HAN.match(c)}
                if not cjk:
                    continue
                cmap = _font(faces[f"dk-{kind}-{script}"]).getBestCmap()
                missing = sorted(c for c in cjk if ord(c) not in cmap)
                assert not missing, (name, script, kind, "".join(missing))
                checked += len(cjk)
    assert checked > 1000
    for href in re.findall(r'href="(fonts/[^"]+)"', opf):
        assert re.search(rf'href="{href}" media-type="font/otf"', opf)
    assert len(faces) == 4  # serif and sans, SC and TC: the fixtures have both scripts
    assert epubcheck(out) == []


def test_zh_hant_chapter_gets_the_tc_face_and_hk_the_hk_face(tmp_path):
    _need_noto()

    def chapter(lang: str, text: str) -> Chapter:
        doc = Document(meta=Meta(title=text[:2], lang=lang),
                       blocks=(Paragraph(children=(Text(text=text),)),))  # fmt: skip
        return Chapter(doc)

    book = Book(title="字體", lang="zh-Hans",
                chapters=[chapter("zh-Hans", "简体中文的说明"), chapter("zh-Hant-TW", "說明：臺灣的繁體"),
                          chapter("zh-Hant-HK", "香港的說明")])  # fmt: skip
    path = tmp_path / "f.epub"
    path.write_bytes(build_epub(book, embed_fonts=True))
    with zipfile.ZipFile(path) as zf:
        faces = _faces_by_family(zf)
        css = zf.read("EPUB/style/book.css").decode()
    names = {fam: _font(data)["name"].getDebugName(1) for fam, data in faces.items()}
    assert names["dk-serif-zh-Hant"] == "Noto Serif CJK TC"
    assert names["dk-serif-zh-Hans"] == "Noto Serif CJK SC"
    assert names["dk-serif-zh-Hant-HK"] == "Noto Serif CJK HK"
    # no other region's forms ride along (locl dropped): about one glyph per character
    tc_font = _font(faces["dk-serif-zh-Hant"])
    assert tc_font["maxp"].numGlyphs <= 1.2 * len(tc_font.getBestCmap()) + 4  # with locl: ×2.5
    tc = tc_font.getBestCmap()
    sc = _font(faces["dk-serif-zh-Hans"]).getBestCmap()
    assert ord("臺") in tc and ord("臺") not in sc  # each subset holds only its own script's text
    assert ord("简") in sc and ord("简") not in tc
    # the stylesheet puts each subset first in its own script's stacks
    assert re.search(
        r':lang\(zh-Hant\) \{ font-family: "dk-serif-zh-Hant", "Noto Serif CJK TC"', css
    )
    assert re.search(r'h1:lang\(zh-Hant\)[^{]*\{ font-family: "dk-sans-zh-Hant"', css)
    # the sans face is the Bold, declared bold (headings are bold)
    assert _font(faces["dk-sans-zh-Hant"])["name"].getDebugName(2) == "Bold"
    assert re.search(r'"dk-sans-zh-Hant"; font-style: normal; font-weight: bold', css)
    assert epubcheck(path) == []


def test_an_article_in_the_other_script_goes_to_its_own_face():
    body = (
        '<h1>標題<em>強調</em></h1><p>繁體<span lang="zh-Hans">简体</span>'
        '<span lang="en">English</span></p><section lang="zh-Hans"><h2>标题</h2></section>'
    )
    c = fonts.TextCollector()
    c.feed_document(body, "zh-Hant-TW")
    assert c.chars[("zh-Hant", "sans")] == set("標題強調")
    assert c.chars[("zh-Hant", "serif")] == set("繁體English")
    assert c.chars[("zh-Hans", "serif")] == set("简体")
    assert c.chars[("zh-Hans", "sans")] == set("标题")


def test_the_face_is_found_by_name_in_the_collection():
    _need_noto()
    for family in ("Noto Serif CJK SC", "Noto Serif CJK TC", "Noto Sans CJK JP"):
        face = fonts.find_face(family)
        assert face is not None
        font = ttLib.TTFont(str(face.path), fontNumber=face.index, lazy=True)
        assert font["name"].getDebugName(1) == family
    bold = fonts.find_face("Noto Sans CJK TC", "Bold")
    assert bold is not None and bold.bold
    assert fonts.find_face("No Such Font CJK ZZ") is None


def test_user_font_is_embedded_first_and_covers_the_book(tmp_path):
    _need_noto()
    user = fonts.find_face("Noto Sans CJK JP")
    assert user is not None and user.index == 0  # the JP face opens the collection
    doc = Document(meta=Meta(title="自己的字體", lang="zh-Hant"),
                   blocks=(Heading(level=2, children=(Text(text="標題 Title"),)),
                           Paragraph(children=(Text(text="用自己的字體 with Latin 123"),))))  # fmt: skip
    path = digestkit.dump(doc, tmp_path / "u.epub", fonts=[str(user.path)])
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        css = zf.read("EPUB/style/book.css").decode()
        data = zf.read("EPUB/fonts/user-0.otf")
    assert not any(n.startswith("EPUB/fonts/serif") for n in names)  # no --embed-fonts: only it
    assert re.search(r':lang\(zh-Hant\) \{ font-family: "dk-user-0", "Noto Serif CJK TC"', css)
    cmap = _font(data).getBestCmap()
    assert all(ord(c) in cmap for c in "自己的字體標題用TitlewhLan123")
    assert epubcheck(path) == []


def test_a_missing_or_bad_font_file_is_one_error(tmp_path):
    doc = Document(
        meta=Meta(title="t", lang="zh-Hans"), blocks=(Paragraph(children=(Text(text="字"),)),)
    )
    with pytest.raises(DigestkitError, match="font file not found"):
        digestkit.dump(doc, tmp_path / "x.epub", fonts=[str(tmp_path / "nope.ttf")])
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font at all")
    with pytest.raises(DigestkitError, match="not an OpenType or TrueType font"):
        digestkit.dump(doc, tmp_path / "x.epub", fonts=[str(bad)])
    assert not (tmp_path / "x.epub").exists()


def test_warm_rerun_takes_the_subsets_from_the_cache(tmp_path, monkeypatch):
    _need_noto()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772000000")
    doc = Document(meta=Meta(title="快取", lang="zh-Hant"),
                   blocks=(Article(meta=Meta(title="一"), blocks=(Paragraph(children=(Text(text="第一篇的字"),)),)),))  # fmt: skip
    first = digestkit.dump(doc, tmp_path / "a.epub", embed_fonts=True).read_bytes()

    def no_subsetting(*args):
        raise AssertionError("subset again on a warm run")

    monkeypatch.setattr(fonts, "_hb_subset", no_subsetting)
    assert digestkit.dump(doc, tmp_path / "b.epub", embed_fonts=True).read_bytes() == first
    changed = Document(meta=doc.meta, blocks=(Paragraph(children=(Text(text="新的字"),)),))
    with pytest.raises(AssertionError, match="subset again"):  # other characters: a miss
        digestkit.dump(changed, tmp_path / "c.epub", embed_fonts=True)


def test_vertical_forms_survive_subsetting(tmp_path):
    """Corner quotes and CJK punctuation keep their vertical forms (GSUB ``vert``)."""
    _need_noto()
    face = fonts.find_face("Noto Serif CJK TC")
    assert face is not None
    font = _font(fonts.subset_font(face.path, face.index, "「說明」（註），。", locl=False))
    assert {"vmtx", "vhea", "VORG"} <= set(font.keys())
    gsub = font["GSUB"].table
    tags = {r.FeatureTag for r in gsub.FeatureList.FeatureRecord}
    assert "vert" in tags
    cmap = font.getBestCmap()
    subst = {}
    for rec in gsub.FeatureList.FeatureRecord:
        if rec.FeatureTag == "vert":
            for i in rec.Feature.LookupListIndex:
                for st in gsub.LookupList.Lookup[i].SubTable:
                    subst.update(getattr(st, "mapping", {}))
    # brackets turn for the column (TC's comma and full stop sit centred: no vertical form)
    assert all(cmap[ord(c)] in subst for c in "「」（）")


def _collection() -> Path:
    face = fonts.find_face("Noto Sans CJK JP")
    require(face is not None and face.path.suffix == ".ttc",
            "Noto Sans CJK .ttc (apt-get install fonts-noto-cjk)")  # fmt: skip
    assert face is not None
    return face.path


def _names(data: bytes) -> str:
    name = _font(data)["name"]
    return name.getDebugName(16) or name.getDebugName(1)


def test_a_collection_face_is_picked_by_number_name_or_the_books_region(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ttc = _collection()
    by_lang = {lang: fonts.user_face(ttc, lang).name for lang in
               ("zh-Hans", "zh-Hant-TW", "zh-Hant-HK", "ja", "ko")}  # fmt: skip
    assert by_lang == {"zh-Hans": "Noto Sans CJK SC Regular",
                       "zh-Hant-TW": "Noto Sans CJK TC Regular",
                       "zh-Hant-HK": "Noto Sans CJK HK Regular",
                       "ja": "Noto Sans CJK JP Regular",
                       "ko": "Noto Sans CJK KR Regular"}  # fmt: skip
    # what the user names wins over the language: a number, a family, a PostScript name
    assert fonts.user_face(f"{ttc}#4", "ja").name == "Noto Sans CJK HK Regular"
    assert fonts.user_face(f"{ttc}#noto sans cjk kr", "zh-Hans").name == "Noto Sans CJK KR Regular"
    mono = fonts.user_face(f"{ttc}#NotoSansMonoCJKtc-Regular", "ja")
    assert mono.name == "Noto Sans Mono CJK TC Regular" and mono.index > 4
    with pytest.raises(fonts.FontError, match=r"no face '42' \(it has: #0 Noto Sans CJK JP"):
        fonts.user_face(f"{ttc}#42")
    with pytest.raises(fonts.FontError, match="font file not found"):
        fonts.user_face(tmp_path / "nope.ttc#1")


def test_font_option_embeds_the_face_of_the_books_language(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ttc = _collection()
    doc = Document(meta=Meta(title="字體", lang="zh-Hant-TW"),
                   blocks=(Paragraph(children=(Text(text="臺灣的新聞"),)),))  # fmt: skip
    picked = {}
    for spec in (str(ttc), f"{ttc}#Noto Sans CJK KR"):
        path = digestkit.dump(doc, tmp_path / "u.epub", fonts=[spec])
        with zipfile.ZipFile(path) as zf:
            picked[spec] = _names(zf.read("EPUB/fonts/user-0.otf"))
    assert picked == {str(ttc): "Noto Sans CJK TC",
                      f"{ttc}#Noto Sans CJK KR": "Noto Sans CJK KR"}  # fmt: skip
    assert epubcheck(path) == []


def test_face_file_copies_one_face_out_of_a_collection_exactly(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ttc = _collection()
    assert fonts.face_file(f"{ttc}#0") == ttc  # the first face: WeasyPrint reads it as is
    out = fonts.face_file(ttc, "zh-Hant-HK")
    assert out.parent == tmp_path / "cache" / "digestkit" / "faces"
    alone = ttLib.TTFont(str(out), checkChecksums=2)  # every table's checksum right, or it raises
    whole = ttLib.TTCollection(str(ttc)).fonts[4]
    assert alone["name"].getDebugName(4) == "Noto Sans CJK HK"
    assert alone.getBestCmap() == whole.getBestCmap()
    assert sorted(alone.keys()) == sorted(whole.keys())
    for tag in ("CFF ", "GSUB", "vmtx"):  # the tables byte for byte
        assert alone.reader[tag] == whole.reader[tag], tag
    # the whole-file checksum (head.checkSumAdjustment) makes the file sum to the magic number
    data = out.read_bytes()
    assert fonts._checksum(data) == 0xB1B0AFBA
    first = out.stat()
    os.utime(out, ns=(first.st_atime_ns, first.st_mtime_ns - 10**9))  # last used a second ago
    assert fonts.face_file(ttc, "zh-Hant-HK") == out
    again = out.stat()
    assert again.st_ino == first.st_ino  # copied once (a new copy would be a new file) ...
    assert again.st_mtime_ns > first.st_mtime_ns - 10**9  # ... its reuse marked, for pruning


def test_pdf_takes_the_picked_face(tmp_path, monkeypatch):
    need_module("weasyprint")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ttc = _collection()
    doc = Document(meta=Meta(title="字體", lang="ko"),
                   blocks=(Paragraph(children=(Text(text="한국어 뉴스 본문"),)),))  # fmt: skip
    out = digestkit.dump(doc, tmp_path / "k.pdf", fonts=[f"{ttc}#Noto Sans CJK KR"])
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    # the layout loaded the face copied out of the collection, not the collection's first
    faces = list((tmp_path / "cache" / "digestkit" / "faces").iterdir())
    assert [ttLib.TTFont(str(f))["name"].getDebugName(1) for f in faces] == ["Noto Sans CJK KR"]


def test_cache_clear_removes_copied_faces(tmp_path, monkeypatch):
    from digestkit.cache import cache_dir, clear

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = fonts.face_file(f"{_collection()}#1")
    assert out.is_file() and out.parent.parent == cache_dir()
    size = out.stat().st_size
    removed, freed = clear()
    assert not out.exists() and not out.parent.exists()
    assert removed >= 1 and freed >= size > 1_000_000
