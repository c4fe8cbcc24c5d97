"""Legacy encodings: ``encoding="auto"`` ranks candidates instead of taking the first that decodes.

The texts are news sentences written for these tests, encoded with each codec (real files from
the wild are checked by ``benchmarks/encodings.py`` on the corpus outside the repository).
"""

from __future__ import annotations

import pytest

from digestkit.errors import ParseError
from digestkit.textio import decode, plausibility, rank_encodings

TRADITIONAL = (
    "臺灣半導體產業在過去一年持續擴張，晶圓代工廠商宣布在高雄興建新廠，預計明年開始量產先進製程晶片。\n"
    "業界人士表示，人工智慧伺服器的需求仍然強勁，但電力與用水將是最大的挑戰。"
)
SIMPLIFIED = (
    "国家统计局今天发布的数据显示，十月份规模以上工业增加值同比增长5.3%，新能源汽车产量继续保持较快增长。\n"
    "分析人士认为，消费市场逐步回暖，但外部环境仍然复杂多变。"
)
CASES = [
    (TRADITIONAL, "big5"),
    (TRADITIONAL, "gb18030"),  # GB18030 encodes Traditional characters too
    (SIMPLIFIED, "gb18030"),
    (SIMPLIFIED, "utf-16-le"),
    (TRADITIONAL, "utf-16-be"),
    (SIMPLIFIED, "utf-16"),  # with a byte order mark
]


@pytest.mark.parametrize(("text", "codec"), CASES, ids=[c for _, c in CASES])
def test_auto_picks_the_right_codec(text, codec):
    data = text.encode(codec)
    with pytest.warns(UserWarning, match="not UTF-8"):
        assert decode(data, path="x.txt", encoding="auto") == text
    assert rank_encodings(data)[0][0].replace("-le", "").replace("-be", "") in codec


def test_big5_bytes_decode_as_gb18030_too_but_rank_below_big5():
    data = TRADITIONAL.encode("big5")
    ranked = dict(rank_encodings(data))
    assert "gb18030" in ranked  # the old first-that-decodes rule took this one
    assert ranked["big5"] > 0.9 > ranked["gb18030"]


def test_strict_utf8_error_names_the_best_candidate_first():
    with pytest.raises(ParseError) as exc:
        decode(("標題\n" + TRADITIONAL).encode("big5"), path="b.txt")
    message = str(exc.value)
    assert message.startswith("b.txt:1:1: not valid UTF-8")
    # an API error names the API's keyword (the command line says --encoding: tests/test_cli.py)
    assert "pass encoding='big5'" in message and "--encoding" not in message


def test_noise_scores_below_text():
    assert plausibility(TRADITIONAL) > 0.95 and plausibility(SIMPLIFIED) > 0.95
    assert plausibility(TRADITIONAL.encode("big5").decode("gb18030")) < 0.5
    assert plausibility("\x00\x01\ue000\ue001") < 0


# Sentences written for this test: correct text in scripts other than Chinese. The corpus
# checker flagged real Arabic, Thai and Japanese pages as mojibake (0.19–0.61), because only
# Han, ASCII and Latin-1 counted as real writing.
@pytest.mark.parametrize(
    "text",
    [
        "أعلنت الحكومة يوم الاثنين عن إصلاح جديد لنظام التقاعد، تعتبره النقابات غير كاف.",
        "รัฐบาลประกาศการปฏิรูประบบบำนาญใหม่เมื่อวันจันทร์ ซึ่งสหภาพแรงงานมองว่ายังไม่เพียงพอ",
        "このテーマを使用すると、サイトを簡単に作成できます。設定ファイルを確認してください。",
        "Правительство объявило о новой реформе пенсионной системы.",
        "सरकार ने सोमवार को पेंशन प्रणाली में नए सुधार की घोषणा की। १२ राज्य सहमत हैं।",
    ],
    ids=["ar", "th", "ja", "ru", "hi"],
)
def test_real_text_in_other_scripts_is_plausible(text):
    assert plausibility(text) > 0.9


def test_single_byte_misreadings_score_below_the_right_codec():
    russian = "Правительство объявило о новой реформе пенсионной системы, которую профсоюзы"
    hebrew = "הממשלה הודיעה ביום שני על רפורמה חדשה במערכת הפנסיה, שהאיגודים רואים בה"
    czech = "Vláda v pondělí oznámila novou reformu důchodového systému, kterou odbory"
    right = plausibility(russian)
    assert plausibility(russian.encode("cp1251").decode("cp1252")) < right  # Ïðàâèòåëüñòâî
    assert plausibility(russian.encode("koi8_r").decode("cp1251")) < right  # case flipped
    assert plausibility(hebrew.encode("cp1255").decode("cp1253")) < plausibility(hebrew)
    assert plausibility(czech.encode("cp1250").decode("cp1251")) < plausibility(czech)


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be"])
def test_a_utf32_byte_order_mark_is_not_taken_for_utf16(codec):
    """UTF-32 LE's mark (FF FE 00 00) begins with UTF-16 LE's: the hint named utf-16-le."""
    data = ("\ufeff" if codec == "utf-32-be" else "") + SIMPLIFIED
    raw = data.encode(codec)
    assert rank_encodings(raw)[0][0].startswith("utf-32")
    # an API error names the API's keyword (the command line says --encoding: test_cli_edges)
    with pytest.raises(ParseError, match="pass encoding='utf-32"):
        decode(raw, path="x.txt")
    with pytest.warns(UserWarning, match="not UTF-8"):
        assert decode(raw, path="x.txt", encoding="auto") == SIMPLIFIED


def test_clear_encoding_only_when_the_bytes_say_so_clearly():
    from digestkit.textio import clear_encoding

    assert clear_encoding(("標題\n" + TRADITIONAL).encode("big5")) == "big5"
    assert clear_encoding(SIMPLIFIED.encode("gb18030")) == "gb18030"
    assert clear_encoding("中文".encode("big5")) is None  # two characters: GB18030 reads them too
    assert clear_encoding("Hello café".encode("cp1252")) is None
