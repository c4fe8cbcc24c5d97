"""The eml writer: a ready multipart/alternative message, read back with the standard parser.

The oracle is the standard library's own strict parser (``email.policy.strict``, which raises on
any defect) and the HTML page the message carries: the ``text/plain`` part must hold every
paragraph of it.
"""

from __future__ import annotations

import email
import html as _html
import re
import warnings
from email import policy
from email.utils import parsedate_to_datetime

import pytest

import digestkit
from digestkit.ast import Document, Image, Meta, Paragraph, Text
from digestkit.cli import main
from digestkit.errors import DigestkitError
from tests.conftest import FIXTURES

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)  # fmt: skip


def _weekly(out, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return digestkit.weekly(FIXTURES, out, progress=False, cache=False, **kwargs)


def _parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=policy.strict)  # type: ignore[return-value]


def test_weekly_eml_is_a_ready_message(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772000000")
    out = _weekly(tmp_path / "weekly.eml", mail_from="摘要 <digest@example.org>",
                  mail_to="reader@example.org")  # fmt: skip
    raw = out.read_bytes()
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")  # CRLF throughout
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998  # RFC 5322 line limit
    msg = _parse(raw)
    assert msg.get_content_type() == "multipart/alternative"
    kinds = [p.get_content_type() for p in msg.iter_parts()]
    assert kinds == ["text/plain", "text/html"]  # the preferred part last
    assert all(p.get_content_charset() == "utf-8" for p in msg.iter_parts())
    assert str(msg["Subject"]) == "每週摘要"  # the title, RFC 2047 on the wire
    assert b"Subject: =?utf-8?" in raw
    assert parsedate_to_datetime(str(msg["Date"])).timestamp() == 1772000000
    assert msg["From"].addresses[0].addr_spec == "digest@example.org"
    assert msg["To"].addresses[0].addr_spec == "reader@example.org"
    assert msg["Message-ID"].startswith("<") and msg["MIME-Version"] == "1.0"
    assert msg["Content-Language"] == "zh-Hant-TW"  # the book's language
    page = msg.get_body(("html",)).get_content()
    assert "<style" not in page and "max-width:600px" in page

    # the plain part holds every paragraph of the page (links as "text <URL>", notes as [n])
    plain = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")

    def words(text: str) -> str:
        text = re.sub(r" <(?:https?|mailto):[^>\s]*>", "", text)
        return re.sub(r"[\s\[\]]+", "", text)

    paragraphs = [
        _html.unescape(re.sub(r"<[^>]+>", "", p))
        for p in re.findall(r"<p\b[^>]*>(.*?)</p>", page, re.DOTALL)
    ]
    assert len(paragraphs) > 100
    flat = words(plain)
    missing = [p for p in paragraphs if words(p) not in flat]
    assert missing == []
    assert "# 每週摘要" in plain and "\n## 目錄\n" in plain


def test_eml_bytes_are_reproducible(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772000000")
    a = _weekly(tmp_path / "a.eml").read_bytes()
    b = _weekly(tmp_path / "b.eml").read_bytes()
    assert a == b
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772086400")
    c = _weekly(tmp_path / "c.eml").read_bytes()
    assert c != a and str(_parse(c)["Date"]) != str(_parse(a)["Date"])


def test_local_images_travel_as_related_parts(tmp_path):
    (tmp_path / "pic.png").write_bytes(PNG)
    doc = Document(meta=Meta(title="有图", lang="zh-Hans"),
                   blocks=(Paragraph(children=(Text(text="看图："),
                                               Image(url="pic.png", alt=(Text(text="本地"),)))),))  # fmt: skip
    out = digestkit.dump(doc, tmp_path / "x.eml", base_dir=tmp_path)
    msg = _parse(out.read_bytes())
    related = next(p for p in msg.walk() if p.get_content_type() == "multipart/related")
    html_part, image = list(related.iter_parts())
    cid = re.search(r'src="cid:([^"]+)"', html_part.get_content()).group(1)
    assert image["Content-ID"] == f"<{cid}>"
    assert image.get_content_type() == "image/png" and image.get_content() == PNG
    assert "data:image" not in html_part.get_content()  # mail clients refuse data: URIs


def test_bad_address_is_one_error_and_no_file(tmp_path, capsys):
    doc = Document(
        meta=Meta(title="t", lang="zh-Hans"), blocks=(Paragraph(children=(Text(text="正文"),)),)
    )
    with pytest.raises(DigestkitError, match="From address"):
        digestkit.dump(doc, tmp_path / "x.eml", mail_from="a@b@c <<")
    assert not (tmp_path / "x.eml").exists()
    src = tmp_path / "x.md"
    src.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    assert main(["convert", str(src), "-o", str(tmp_path / "y.eml"), "--mail-to", "a@b@c <<"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("digestkit: To address") and "Traceback" not in err
    assert not (tmp_path / "y.eml").exists()
