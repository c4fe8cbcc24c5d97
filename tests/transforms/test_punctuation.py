"""Punctuation clean-up: narrow rules, real seeds, nothing outside readable text touched."""

from __future__ import annotations

import pytest

import digestkit
from digestkit.ast import Code, Document, Link, Paragraph, Strong, Text, plain_text
from digestkit.transforms.punctuation import fix_text
from tests.conftest import FIXTURES


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (
            "劉津瑞:美國加速AI部署,“創世計畫”在創什麼新秩序?|戰略與安全",
            "劉津瑞：美國加速AI部署，“創世計畫”在創什麼新秩序？|戰略與安全",
        ),
        ("(圖源:whitehouse.gov)“創世計畫”", "（圖源：whitehouse.gov）“創世計畫”"),
        ("價格3,000元,會議10:30開始;好!", "價格3,000元，會議10:30開始；好！"),
        ("見https://a.com/x?y=1,z的說明", "見https://a.com/x?y=1,z的說明"),
        ("寫信到 a.b@example.com,謝謝", "寫信到 a.b@example.com，謝謝"),
        ("Hello, world: yes? (fine)!", "Hello, world: yes? (fine)!"),
        ("他說(大灣區評論)", "他說（大灣區評論）"),
    ],
)
def test_rules(src, expected):
    assert fix_text(src) == expected


def test_spacing_and_corner_quotes_are_opt_in():
    src = "美國加速AI部署,“創世計畫”"
    assert fix_text(src) == "美國加速AI部署，“創世計畫”"
    assert fix_text(src, spacing=True, corner_quotes=True) == "美國加速 AI 部署，「創世計畫」"
    assert fix_text("He said “hi”", corner_quotes=True) == "He said “hi”"


def test_never_nfkc():
    assert fix_text("ＡＩ，中文：１２３") == "ＡＩ，中文：１２３"


def test_code_and_urls_untouched_across_inlines():
    doc = Document(
        blocks=(
            Paragraph(
                children=(
                    Text(text="中文,"),
                    Strong(children=(Text(text="粗體:"),)),
                    Code(text="a,b:中"),
                    Link(url="https://x.org/a,b", children=(Text(text="連結?"),)),
                )
            ),
        )
    )
    out = digestkit.fix_punctuation(doc).blocks[0].children
    assert out[0] == Text(text="中文，") and out[1] == Strong(children=(Text(text="粗體："),))
    assert out[2] == Code(text="a,b:中")
    assert out[3].url == "https://x.org/a,b" and out[3].children == (Text(text="連結？"),)


def test_seed_002_has_no_half_width_marks_next_to_han_after_clean_up():
    import re

    doc = digestkit.fix_punctuation(digestkit.load(FIXTURES / "002_de1fd9c93946e42d.txt"))
    text = plain_text(doc)
    han = r"[\u4e00-\u9fff]"
    assert not re.search(rf"{han}[,:;?!()]|[,;?!()]{han}", text)
    # nothing lost: only those marks changed
    before = plain_text(digestkit.load(FIXTURES / "002_de1fd9c93946e42d.txt"))
    assert len(before) == len(text)
    assert [a for a, b in zip(before, text, strict=True) if a != b and a not in ",:;?!()"] == []
