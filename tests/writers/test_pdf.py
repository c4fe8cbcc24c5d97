"""The PDF writer, checked by real tools: pdffonts, pdftotext, pdftoppm, pdfinfo, pypdf."""

from __future__ import annotations

import re
import subprocess
import warnings
from pathlib import Path

import pytest

import digestkit
from digestkit import MissingDependencyError
from digestkit.ast import Document, HtmlBlock, Image, Meta, Paragraph, Text, plain_text
from tests.conftest import FIXTURES, SEEDS, paragraphs, require_tool


def _load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return digestkit.load(path)


def _run(tool, *args):
    exe = require_tool(tool)
    proc = subprocess.run([exe, *map(str, args)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def seed_pdfs(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    paths = {}
    for seed in SEEDS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            paths[seed.name[:3]] = digestkit.dump(
                _load(seed), out / f"{seed.stem}.pdf", base_dir=seed.parent
            )
    return paths


@pytest.mark.parametrize(
    ("seed", "face"), [("000", "SC"), ("001", "SC"), ("002", "TC"), ("003", "TC"), ("004", "SC")]
)
def test_fonts_by_script_embedded_and_subset(seed_pdfs, seed, face):
    table = _run("pdffonts", seed_pdfs[seed])
    rows = [r for r in table.splitlines()[2:] if r.strip()]
    assert rows, table
    other = "TC" if face == "SC" else "SC"
    assert any(f"CJK-{face}" in r for r in rows), table
    assert not any(f"CJK-{other}" in r or "CJK-JP" in r for r in rows), table
    for r in rows:  # embedded, subset
        cols = r.split()
        assert cols[-5:-3] == ["yes", "yes"], r


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_every_paragraph_is_in_the_text(seed_pdfs, seed):
    (src,) = [p for p in SEEDS if p.name.startswith(seed)]
    doc = _load(src)
    raw = _run("pdftotext", "-raw", "-enc", "UTF-8", seed_pdfs[seed], "-")
    # drop the running headers (chapter titles) and page numbers that interrupt page breaks
    titles = {
        re.sub(r"\s+", "", t)
        for t in [doc.meta.title or "", *(a.meta.title or "" for a in doc.articles())]
        if t
    }
    kept = [
        ln
        for ln in raw.splitlines()
        if not re.fullmatch(r"\s*(\d+|•)\s*", ln) and re.sub(r"\s+", "", ln) not in titles
    ]
    text = re.sub(r"\s+", "", "".join(kept))

    missing = []
    for p in paragraphs(doc.blocks):
        want = re.sub(r"\s+", "", plain_text(p))
        # pdftotext may drop the soft hyphen-free line joins; compare in 20-character windows
        chunks = [want[i : i + 20] for i in range(0, len(want), 20)]
        if not all(c in text for c in chunks if len(c) >= 4):
            missing.append(want[:30])
    assert missing == []


def test_weekly_pdf_book_features(tmp_path):
    out = digestkit.weekly(FIXTURES, tmp_path / "weekly.pdf", progress=False)
    info = _run("pdfinfo", out)
    assert re.search(r"Title:\s+每[周週]摘要", info)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages > 10
    assert "A5" in info or "419.528 x 595.276" in info
    from pypdf import PdfReader

    reader = PdfReader(out)
    outline = [o.title for o in reader.outline if not isinstance(o, list)]
    assert any(t.startswith("Meta千亿豪赌AMD") for t in outline)
    assert any(t.startswith("AI 技术深度日报") for t in outline)
    # table of contents with page numbers, running header and page numbers in the text
    page2 = _run("pdftotext", "-f", "2", "-l", "2", "-layout", out, "-")
    assert re.search(r"目[录錄]", page2) and re.search(r"Meta千亿豪赌AMD.*\d+\s*$", page2, re.M)
    later = _run("pdftotext", "-f", "5", "-l", "5", out, "-")
    assert re.search(r"^\s*5\s*$", later, re.M)
    # internal links (TOC → chapters) and external links
    links = [a.get_object() for p in reader.pages for a in p.get("/Annots", []) or []]
    assert any("/Dest" in a or ("/A" in a and "/D" in a["/A"]) for a in links)
    assert any("/A" in a and a["/A"].get("/URI", "").startswith("https://") for a in links)
    # a page rendered to PNG is not blank
    png = tmp_path / "page"
    _run("pdftoppm", "-f", "3", "-l", "3", "-r", "40", "-png", "-gray", out, png)
    (img,) = list(tmp_path.glob("page*.png"))
    data = img.read_bytes()
    assert len(data) > 2000
    import zlib

    raw = b"".join(zlib.decompress(c) for c in [_idat(data)])
    dark = sum(1 for b in raw if b < 128)
    assert dark > 500  # real text on the page, not an empty box
    # the page-number font is named once in each resource dictionary the part's pages share
    # (not once a page: a fresh name per page filled a part's dictionary with one per page)
    import pikepdf

    with pikepdf.open(out) as pdf:
        named = [[k for k in p.obj.Resources.Font if k.startswith("/DkPn")]
                 for p in pdf.pages if "/Font" in p.obj.Resources]  # fmt: skip
    assert sum(map(len, named)) and max(map(len, named)) == 1


def _idat(png: bytes) -> bytes:
    pos, out = 8, b""
    while pos < len(png):
        length = int.from_bytes(png[pos : pos + 4], "big")
        kind = png[pos + 4 : pos + 8]
        if kind == b"IDAT":
            out += png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return out


def test_paper_presets(tmp_path):
    doc = _load(SEEDS[4])
    a4 = digestkit.dump(doc, tmp_path / "a4.pdf", paper="A4")
    assert "(A4)" in _run("pdfinfo", a4)
    with pytest.raises(digestkit.DigestkitError, match="unknown paper"):
        digestkit.dump(doc, tmp_path / "x.pdf", paper="A9")
    assert not (tmp_path / "x.pdf").exists()


def test_no_network_and_no_local_leaks(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    doc = Document(meta=Meta(title="安全", lang="zh-Hans"), blocks=(
        HtmlBlock(text=f'<link rel="attachment" href="file://{secret}"><img src="file://{secret}">'
                       f'<a rel="attachment" href="file://{secret}">附件</a><object data="file://{secret}"></object>'),
        Paragraph(children=(Image(url="https://example.org/x.png", alt=(Text(text="远程图"),)),
                            Image(url=str(secret), alt=(Text(text="本地"),)))),
    ))  # fmt: skip
    with pytest.warns(UserWarning):
        out = digestkit.dump(doc, tmp_path / "s.pdf", base_dir=tmp_path / "in")
    data = out.read_bytes()
    assert b"TOP-SECRET" not in data and b"file:" not in data and b"/EmbeddedFile" not in data
    text = _run("pdftotext", out, "-")
    assert "远程图" in text and "附件" in text


def test_missing_cjk_font_is_a_clear_error(tmp_path, monkeypatch):
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig><dir>/nonexistent</dir></fontconfig>', encoding="utf-8"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    from digestkit.writers.pdf import check_fonts

    with pytest.raises(MissingDependencyError, match=r"Noto Serif CJK TC.*fonts-noto-cjk"):
        check_fonts(["zh-Hant-TW"])


def test_user_fonts(tmp_path):
    font = next(
        (
            p
            for p in __import__("pathlib").Path("/usr/share/fonts").rglob("NotoSansCJK-Regular.ttc")
        ),
        None,
    )
    if font is None:
        require_tool("a NotoSansCJK-Regular.ttc font file (fonts-noto-cjk)")
    out = digestkit.dump(_load(SEEDS[4]), tmp_path / "u.pdf", fonts=[font])
    # the file's face comes first for every script: no system CJK face is needed any more (the
    # old check, "Noto-Sans-CJK" in the table, passed on the system face the headings use while
    # the file itself was never loaded)
    rows = [r.split()[0] for r in _run("pdffonts", out).splitlines()[2:] if r.strip()]
    assert rows and all("digestkit-user-0" in r for r in rows), rows


def test_time_limit(tmp_path):
    doc = _load(SEEDS[0])
    big = Document(meta=doc.meta, blocks=doc.blocks * 20)
    with pytest.raises(digestkit.DigestkitError, match="longer than 1 s"):
        digestkit.dump(big, tmp_path / "slow.pdf", timeout=1)
    assert not (tmp_path / "slow.pdf").exists()


def test_cli_convert_to_pdf(tmp_path):
    from digestkit.cli import main

    assert (
        main(["-q", "convert", str(SEEDS[1]), "-o", str(tmp_path / "c.pdf"), "--paper", "A4"]) == 0
    )
    assert "(A4)" in _run("pdfinfo", tmp_path / "c.pdf")


def test_time_limit_works_with_the_alarm_signal_blocked(tmp_path):
    import signal

    doc = _load(SEEDS[0])
    big = Document(meta=doc.meta, blocks=doc.blocks * 20)
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    try:
        with pytest.raises(digestkit.DigestkitError, match="longer than 1 s"):
            digestkit.dump(big, tmp_path / "slow.pdf", timeout=1)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
    assert not (tmp_path / "slow.pdf").exists()


def _png(width: int, height: int) -> bytes:
    """A small solid-red PNG, written here so the test needs no image library."""
    import struct
    import zlib

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))  # fmt: skip


class _Hits(__import__("http.server").server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_local_image_embedded_remote_image_refused(tmp_path):
    # WeasyPrint 70 crashed on any image with the old URL fetcher (no `_fail_on_errors`)
    import threading
    from http.server import HTTPServer

    from digestkit.cli import main

    server = HTTPServer(("127.0.0.1", 0), _Hits)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (tmp_path / "p.png").write_bytes(_png(37, 23))
        post = tmp_path / "post.md"
        post.write_text(
            "---\ntitle: 圖片\nlang: zh-Hans\n---\n\n正文在此。\n\n![本地圖](p.png)\n\n"
            f"![遠端圖](http://127.0.0.1:{server.server_port}/x.png)\n",
            encoding="utf-8",
        )
        out = tmp_path / "post.pdf"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert main(["-q", "convert", str(post), "-o", str(out)]) == 0
    finally:
        server.shutdown()
    assert _Hits.hits == 0  # no network
    images = [r.split() for r in _run("pdfimages", "-list", out).splitlines()[2:] if r.strip()]
    assert [(r[3], r[4]) for r in images] == [("37", "23")]  # the local image, embedded once
    text = _run("pdftotext", out, "-")
    assert "遠端圖" in text and "正文在此" in text  # the remote one: its alt text, as a link


def test_font_option_embeds_the_font(tmp_path):
    # --font FILE: the old fetcher could not serve the font, WeasyPrint fell back without a word
    font = __import__("pathlib").Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    if not font.is_file():
        require_tool("DejaVuSerif.ttf (fonts-dejavu-core)")
    from digestkit.cli import main

    post = tmp_path / "latin.md"
    post.write_text("---\ntitle: Fonts\nlang: zh-Hans\n---\n\nLatin text 123 和中文。\n",
                    encoding="utf-8")  # fmt: skip
    plain, custom = tmp_path / "plain.pdf", tmp_path / "custom.pdf"
    assert main(["-q", "convert", str(post), "-o", str(plain)]) == 0
    assert main(["-q", "convert", str(post), "-o", str(custom), "--font", str(font)]) == 0
    assert "digestkit-user" not in _run("pdffonts", plain)
    table = _run("pdffonts", custom)
    # the file's face (named by its @font-face) for Latin, embedded; Chinese still from Noto CJK
    rows = [r for r in table.splitlines() if "digestkit-user-0" in r]
    assert rows and all(r.split()[-5:-3] == ["yes", "yes"] for r in rows), table
    assert "CJK" in table


def test_no_engine_warnings_reach_the_user(tmp_path):
    # every PDF printed "WARNING: Ignored `line-break: strict` … unknown property"
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "digestkit", "convert", str(SEEDS[4]), "-o", str(tmp_path / "w.pdf")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Ignored" not in proc.stderr and "weasyprint" not in proc.stderr.lower(), proc.stderr


# tests/data/notes_and_shortcodes.md was written for these tests, imitating the footnotes,
# shortcodes and anchors of real Hugo posts.
NOTES = Path(__file__).parent.parent / "data" / "notes_and_shortcodes.md"


def test_footnotes_land_at_the_foot_of_their_page(tmp_path):
    require_tool("pdftotext")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        digestkit.dump(digestkit.load(NOTES), tmp_path / "n.pdf")
    pages = _run("pdftotext", str(tmp_path / "n.pdf"), "-").split("\f")
    call = next(i for i, p in enumerate(pages) if "正文有註腳" in p)
    assert "第二個註腳，很長的文字。" in pages[call]
    assert "https://x.org/a" in pages[call]
    # the note is at the foot: after the rest of the page's text, not where it was called
    assert pages[call].index("第二個註腳") > pages[call].index("正文有註腳")
    assert "{{" not in "".join(pages) and "[^" not in "".join(pages)
