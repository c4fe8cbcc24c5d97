"""Script and language detection: Simplified or Traditional (and whose), and the language of a
text that declares none.

:func:`detect_script` tells Simplified from Traditional by asking OpenCC itself which characters
each direction would change, so it knows exactly the characters OpenCC knows; a table built from
OpenCC's own dictionaries (:mod:`._script_chars`) answers first when it proves the answer, so a
Simplified digest never loads OpenCC just to be detected. Regional usage is
read the same way: Taiwan vocabulary is what ``tw2sp`` rewrites beyond ``tw2s`` (軟體, 資料,
人工智慧); Hong Kong usage is text already in HK standard forms but not in Taiwan's.
:func:`detect_lang` and :func:`with_detected_lang` fill ``lang`` where the source gives none.
"""

from __future__ import annotations

import functools
import operator
import re
from bisect import bisect_right
from collections import Counter

from .._records import replace
from ..ast import Article, Document, MetaKey, plain_text
from ..cjk import HAN as _HAN_CHARS
from ..cjk import han_re
from .converters import converter, t2s_char_map

__all__ = ["detect_lang", "detect_script", "with_detected_lang"]

_SAMPLE = 4_000  # Han characters; plenty to tell scripts and regions apart


def _changes(a: str, b: str) -> int:
    if len(a) == len(b):
        return sum(map(operator.ne, a, b))  # positions that differ (C speed: 7k chars a digest)
    return abs(len(a) - len(b)) + 1


def _opencc_order(han: str) -> int:
    """The sign of ``s2t changes - t2s changes`` on ``han``, by OpenCC itself (the exact rule)."""
    to_trad = _changes(han, str(converter("s2t").convert(han)))
    to_simp = _changes(han, str(converter("t2s").convert(han)))
    return (to_trad > to_simp) - (to_trad < to_simp)


@functools.cache
def _table() -> tuple[
    frozenset[str], dict[int, int], frozenset[str], frozenset[str], frozenset[str]
]:
    """The sets :func:`_bounded_order` tests; what ``t2s`` changes (``TO_SIMP``) is the keys of
    :func:`t2s_char_map`, the table the fingerprints convert with, so it is built once."""
    from . import _script_chars as t

    return (
        frozenset(t.TO_TRAD),
        t2s_char_map(),
        frozenset(t.UNSURE_TRAD),
        frozenset(t.UNSURE_SIMP),
        frozenset(t.RESIZE),
    )


def _bounded_order(han: str) -> int | None:
    """The sign of ``s2t changes - t2s changes`` on ``han`` when the table proves it, else None.

    Loading OpenCC's s2t and t2s costs ~0.1 s CPU, a fifth of a warm weekly re-run, for an
    answer that is almost always plain. :mod:`._script_chars` (built by
    ``benchmarks/script_table.py`` from the installed OpenCC's own dictionaries) lists what each
    direction changes in a character converted alone, and which characters some phrase may treat
    otherwise. A character in no "unsure" set converts in any context as it does alone, so the
    counts give a lower and an upper bound of OpenCC's own count; only bounds that do not
    overlap decide (no margin to tune, no guess), and a tie counts only when both are exact.
    """
    to_trad, to_simp, unsure_trad, unsure_simp, resize = _table()
    trad_lo = trad_hi = simp_lo = simp_hi = 0
    for ch, n in Counter(han).items():
        if ch in resize:
            return None  # a conversion may change the length: _changes counts otherwise
        if ch in unsure_trad:
            trad_hi += n
        elif ch in to_trad:
            trad_lo += n
            trad_hi += n
        if ch in unsure_simp:
            simp_hi += n
        elif ord(ch) in to_simp:
            simp_lo += n
            simp_hi += n
    if trad_lo > simp_hi:
        return 1
    if simp_lo > trad_hi:
        return -1
    if trad_lo == trad_hi == simp_lo == simp_hi:
        return 0
    return None


def detect_script(text: str) -> str | None:
    """``zh-Hans``, ``zh-Hant``, ``zh-Hant-TW``, ``zh-Hant-HK``, ``zh`` (Han, script unclear) or None.

    Only Han characters count, so Chinese mixed with English is judged by its Chinese.
    """
    return _detect_script(text, "".join(han_re().findall(text))[:_SAMPLE])


def _detect_script(text: str, han: str) -> str | None:
    """:func:`detect_script` given ``han``, the first :data:`_SAMPLE` Han characters of ``text``
    (:func:`detect_lang` has found them already)."""
    if not han:
        return None
    order = _bounded_order(han)
    if order is None:  # the table cannot decide: ask OpenCC (the exact rule)
        order = _opencc_order(han)
    if order == 0:
        return "zh"
    if order > 0:
        return "zh-Hans"
    # Traditional: which region's usage?
    if _taiwan(text[: _SAMPLE * 2]):
        return "zh-Hant-TW"
    if converter("t2hk").convert(han) == han and converter("t2tw").convert(han) != han:
        return "zh-Hant-HK"
    return "zh-Hant"


def _taiwan_plain(sample: str) -> bool:
    """Whether ``tw2sp`` converts ``sample`` otherwise than ``tw2s`` (Taiwan vocabulary): the
    definition, by two whole conversions."""
    plain = str(converter("tw2s").convert(sample))
    phrased = str(converter("tw2sp").convert(sample))
    return plain != phrased


def _trie(words: list[str]) -> str:
    """An alternation matching ``words`` (any of them where several start alike), as a trie:
    one branch per first character, so a position is tried against a few hundred characters
    rather than 810 words."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(w[1:])
    alts = []
    for first, rests in sorted(groups.items()):
        more = [r for r in rests if r]
        tail = "" if not more else f"(?:{_trie(more)})" + ("?" if len(more) < len(rests) else "")
        alts.append(re.escape(first) + tail)
    return "|".join(alts)


@functools.cache
def _tw_tables() -> tuple[re.Pattern[str], str]:
    """A pattern finding every ``TW_PHRASES`` key and ``T2S_NORMAL`` character (and perhaps other
    characters of their 256-character blocks: a piece found needlessly is only converted
    needlessly), and the separators (:mod:`._script_chars`).

    The lookahead lets only positions holding a key's first character or a normalised block's
    character try the alternation (the text's other characters cost one set test); a class of
    the 1,002 normalised characters themselves, which reach beyond the BMP, was searched ten times
    slower than the text's conversion."""
    from . import _script_chars as t

    keys = t.TW_PHRASES.split()
    blocks = sorted({ord(c) >> 8 for c in t.T2S_NORMAL})
    normal = "".join(f"{re.escape(chr(b << 8))}-{re.escape(chr(b << 8 | 255))}" for b in blocks)
    first = "".join(map(re.escape, sorted({k[0] for k in keys})))
    return re.compile(f"(?=[{first}{normal}])(?:{_trie(keys)}|[{normal}])"), t.TW_SEPARATORS


def _taiwan(sample: str) -> bool:
    """:func:`_taiwan_plain`, converting only the pieces of ``sample`` that can differ.

    Both whole conversions cost ~1 ms a digest (over a third of language detection). ``tw2sp`` is
    ``tw2s`` with ``TWPhrasesRev`` looked up first in its first step, all else the same
    (``benchmarks/script_table.py`` checks it). No OpenCC match spans a ``TW_SEPARATORS``
    character, which is output as itself and is in no output, so both profiles convert a text
    piece by piece between separators, and the texts differ exactly when some piece's do. A
    piece with no ``TW_PHRASES`` key and no normalised character converts alike in both (the
    extra dictionary never matches). So only pieces holding a key are converted, in order, until
    one differs: usually the first (a sentence), instead of 8,000 characters twice. OpenCC stops
    at a NUL character, which this reasoning does not follow: such a sample takes the definition.
    """
    if "\x00" in sample:
        return _taiwan_plain(sample)
    hits, seps = _tw_tables()
    plain = converter("tw2s").convert
    phrased = converter("tw2sp").convert
    done = 0  # the end of the last piece converted
    for m in hits.finditer(sample):
        if m.start() < done:
            continue  # in the piece just converted
        start = max(sample.rfind(c, done, m.start()) for c in seps) + 1
        if start == 0:
            start = done
        ends = [i for i in (sample.find(c, m.end()) for c in seps) if i >= 0]
        done = min(ends) if ends else len(sample)
        piece = sample[start:done]
        if str(plain(piece)) != str(phrased(piece)):
            return True
    return False


_NOT_HAN = re.compile(f"[^{_HAN_CHARS}]+")


_KANA = "[\u3041-\u3096\u30a1-\u30fa\u30fc]"  # hiragana, katakana, prolonged sound


_HANGUL = "[\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e]"


_LATIN = "[A-Za-z\u00c0-\u024f]"


# Scripts that name their language (Greek, Armenian, Hebrew, Thai, Georgian), and Arabic letters
_OWN_SCRIPT = "[\u0370-\u03ff\u0531-\u058f\u05d0-\u05ea\u0e01-\u0e5b\u10a0-\u10ff\u0620-\u06d3]"


_SCRIPT_LANG = (("\u0370", "\u03ff", "el"), ("\u0531", "\u058f", "hy"), ("\u05d0", "\u05ea", "he"),
                ("\u0e01", "\u0e5b", "th"), ("\u10a0", "\u10ff", "ka"))  # fmt: skip


_URDU = frozenset("\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2")  # ٹ ڈ ڑ ں ھ ہ ے


_PERSIAN = frozenset("\u067e\u0686\u0698\u06af\u06cc\u06a9")  # پ چ ژ گ ی ک


_WORD = "[^\\W\\d_]+"


#: Frequent function words of the Latin-script languages digests come in (15–35 % of the words of
#: their own prose). Lists may share words (``de``, ``en``, ``og`` …): what decides is the words
#: only one list has (:func:`_latin_lang`), so a word shared by close relatives stays in both
#: lists (it shows the text is in their family) and decides nothing between them.
_FUNCTION_WORDS = {
    "en": "the of and to is that for with this are was were it be by as from you not or have "
    "has which will can they their there been but we our an",
    "fr": "le les des et est une du au aux dans pour pas qui sur ce cette sont avec il elle "
    "nous vous ont été plus mais ou leur de en la que",
    "de": "der das und ist nicht ein eine zu den dem mit sich auf für von auch im es wird sind "
    "wie bei oder nach aus",
    "es": "el los las del y es una por con para al lo como más pero sus le ya fue son este "
    "esta entre cuando muy sin sobre que de a se en",
    "pt": "o os as da do das dos e é um uma em com não no na ao mais pelo pela foi são seu sua "
    "mas também este esta para como que a de se",
    "it": "il di che è e la le gli per non una un del della sono con nel alla anche come più "
    "questo ma ha dei a in si da",
    "nl": "de het een en van is dat op te zijn niet met voor er aan ook als maar bij om dit "
    "wordt door worden",
    "ca": "els amb per però és dels als seva seu aquest aquesta també més perquè molt quan hi "
    "han són va fins ser",
    "ro": "și şi în cu pe care este sunt mai din pentru sau dar fost această acest lui cea fi "
    "ale despre unei unui după",
    "pl": "w się jest że jak dla są przez czy jego już tylko był była może także oraz który "
    "która które gdy bardzo jednak nie i z na do o to od po co tak ich jej jako",
    "cs": "se je na že jsou jako pro ale který která které také nebo byl byla bylo jsem jeho "
    "jen už když než však mezi podle při až a v s z do to od po",
    "sk": "sa je na že aj ako pre sú som ktorý ktorá ktoré alebo ale bol bola bolo len už "
    "keď však podľa medzi pri až tiež veľmi a v s z do to od po",
    "sl": "je in da se na za so ki tudi pa bi ali kot ter še lahko kar bo sem zelo samo ko med",
    # Croatian, Serbian (Latin) and Bosnian share these: named only to stay undecided (None)
    "sh": "je i u na da se su za od koji koja koje što kao ali ili biti bio bila samo jer "
    "nije će može kako prema već još",
    "hu": "az és hogy egy meg ez van csak mint már még volt kell azt vagy után pedig lesz "
    "nagyon sem akkor mert amely ezt úgy így",
    "fi": "ja on ei että hän oli ovat kun mutta tai myös ole joka tämä kuin niin sen vain "
    "mukaan jotka sekä voi sitä olla mitä jos kanssa vielä",
    "et": "ja on ei oli ole kui ka mis aga või oma ning seda veel ta kes nii nad siis kas "
    "pärast mida juba väga mitte nagu",
    "sv": "och att det som är på för med av till den inte har om jag var men ett så kan man "
    "vi eller också när hade ska mycket bara detta",
    "da": "og at det der bare som er på for med af til den ikke har om jeg var men et så kan vi eller "
    "også når havde skal meget blev hvad noget efter nu sig mig bliver været",
    "no": "og at det der bare som er på for med av til den ikke har om jeg var men et så kan vi eller "
    "også når hadde skal mye ble hva noe etter nå seg meg blir vært å ikkje eg kva frå",
    "tr": "ve bir bu için ile olarak çok daha gibi ne olan ama kadar sonra göre ise değil "
    "var yok şey olduğu ancak",
    "id": "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke karena ada "
    "bisa oleh atau sudah adalah telah tersebut bahwa saat mereka",
    "ms": "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke kerana ada "
    "boleh oleh atau sudah adalah telah ialah iaitu bahawa bagi mereka",
    "lt": "ir yra kad su iš į tai buvo bet kaip jo nuo apie taip dar jau tik arba jie savo "
    "kurie kuris labai",
    "lv": "un ir ar par uz kas ka bet arī tas vai kā tikai jau lai pēc savu viņš viņa",
}


#: Short words frequent in many of these languages whether or not their lists name them
#: (``de`` is Dutch, French, Spanish, Portuguese, Romanian …; ``i`` Polish, Catalan, Croatian).
_EVERYWHERE = frozenset(["a", "de", "e", "en", "i", "in", "la", "le", "o", "se", "u", "un"])


@functools.cache
def _word_sets() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(each list of :data:`_FUNCTION_WORDS` as a set, each list's own words: those no other
    list has and that are not :data:`_EVERYWHERE`). Made when a Latin-script text is first
    judged: a Chinese digest never needs them (~0.3 ms of a re-run's start-up, issue 26)."""
    function = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
    own = {
        lang: fw.difference(_EVERYWHERE, *(other for k, other in function.items() if k != lang))
        for lang, fw in function.items()
    }
    return function, own


# Letters only Vietnamese writes in quantity: ơ ư and Latin Extended Additional's toned vowels
# (ạ ả ấ … ỹ), without ẹ ọ, which Yoruba writes too.
_VIETNAMESE = "[\u01a0\u01a1\u01af\u01b0\u1ea0-\u1eb7\u1eba-\u1ecb\u1ece-\u1ef9]"


_CYRILLIC = "[\u0400-\u04ff]"


#: Letters that tell the Cyrillic alphabets apart (share of all Cyrillic letters in their prose):
#: Russian ы э (~2 %), Ukrainian і ї є ґ (~6 %), Belarusian ў (~1.5 %), Serbian ћ ђ, Macedonian
#: ѓ ќ ѕ, Serbian and Macedonian ј љ њ џ (~5 %), Bulgarian a frequent ъ (~2 %, Russian 0.04 %).
_CYR_MARKS = {
    "ru": "ыЫэЭ", "uk": "іІїЇєЄґҐ", "be": "ўЎ", "sr": "ћЋђЂ", "mk": "ѓЃќЌѕЅ",
    "srmk": "јЈљЉњЊџЏ", "bg": "ъЪ",
}  # fmt: skip


#: Any letter of :data:`_KANA`, :data:`_HANGUL`, :data:`_OWN_SCRIPT`, :data:`_CYRILLIC`.
_OTHER = "|".join((_KANA, _HANGUL, _OWN_SCRIPT, _CYRILLIC))


@functools.cache
def _pattern(source: str) -> re.Pattern[str]:
    """One of the script classes above, compiled on first use: only the slow path of
    :func:`detect_lang` needs them, and compiling them all cost ~4 ms of every start that
    imports this module (issue 26; a Chinese digest is decided by its Han count alone)."""
    return re.compile(source)


# Letters of the other Cyrillic alphabets (Kazakh, Kyrgyz, Mongolian, Tatar, Tajik …): left undecided
_CYR_OTHER = "[\u0492-\u04ff]"


def detect_lang(text: str) -> str | None:
    """The language of ``text`` as far as the readers' metadata needs it, or None (undecided).

    Chinese as :func:`detect_script` tells it, with what Han characters alone get wrong on real
    pages (a Hugo theme's ``x.ja.md`` came out ``zh-Hant``; an English page listing its
    ``简体中文`` translation came out ``zh-Hans``):

    - Japanese writes kana beside its kanji, 60–80 % of the Japanese letters on the Japanese pages
      of the corpora, never above 2 % on Chinese ones: ≥ 40 % kana is ``ja``;
    - Hangul outnumbering Han is ``ko``;
    - Han that is under 3 % of the text (Latin letters counted five to a word) is a quotation in
      a Latin-script page, not Chinese (English pages of the corpora: ≤ 1 %, Chinese pages with
      much English: ≥ 9 %);
    - Cyrillic text names Russian, Ukrainian, Belarusian, Bulgarian, Serbian or Macedonian by
      the letters only its alphabet uses (:func:`_cyrillic_lang`), else stays undecided;
    - Latin text of ≥ 50 letters, ≥ 10 % of them Vietnamese toned vowels (ơ ư ạ ấ …; 15–25 % in
      Vietnamese prose, none in other languages'), is ``vi``;
    - other Latin-script text of at least 20 words is the language of :data:`_FUNCTION_WORDS`
      whose function words are at least 12 % of its words and that beats every rival by the
      words only it lists (:func:`_latin_lang`); other languages stay undecided (None: book
      writers fall back to the book's language, a declared ``lang`` always wins).
    """
    sample = text[: _SAMPLE * 8]
    hans = _NOT_HAN.sub("", sample)  # its Han characters (one slice a run, not a string each)
    if _han_decides(sample, len(hans)):
        return _han_lang(text, sample, hans)
    return _counted_lang(text, sample, hans)


def _han_decides(sample: str, han: int) -> bool:
    """Whether :func:`_counted_lang` reaches its Han test and that test holds, known from the
    Han count alone or with one search (counting five other scripts over 32,000 characters was
    a sixth of language detection on prose digests).

    - Han over two thirds of the sample: every other script's letters together are under half
      the Han count, so no test before the Han one can hold (kana needs ⅔ of the Han count,
      the others more than all of it), and the Han test holds (Latin at most half the Han);
    - no kana, Hangul, Cyrillic or own-script letter at all (:func:`_other_letters`), and Han
      enough even if every other character were a Latin letter (the float steps are monotone).
    """
    rest = len(sample) - han
    if 2 * rest < han:
        return True
    return bool(han) and han >= 0.03 * (han + rest / 5) and not _other_letters(sample)


#: how many samples :func:`_other_letters` tests by their characters before it compiles the
#: class: its compile costs ~1.4 ms, a test by characters ~0.15 ms more than a search — a re-run
#: parses one or two digests, a cold build's worker dozens
_BY_CHARACTERS = 4
_tested = [0]  # samples tested so far in this process


def _other_letters(sample: str) -> bool:
    """Whether ``sample`` holds a letter of :data:`_OTHER` (``_pattern(_OTHER).search``).

    Compiling :data:`_OTHER` costs ~1.4 ms (``re`` fills a 64K map for its 11,172 Hangul
    syllables), paid by every run that detects the language of a digest with much Latin text
    (URLs, Markdown links; issue 26) — a re-run that parses one digest. So the first
    :data:`_BY_CHARACTERS` samples of a process are tested by their characters
    (:func:`_other_letters_by_characters`, the same answer), and only a process that parses many
    (a cold build's workers) compiles the class.
    """
    _tested[0] += 1
    if _tested[0] > _BY_CHARACTERS:
        return _pattern(_OTHER).search(sample) is not None
    return _other_letters_by_characters(sample)


def _other_letters_by_characters(sample: str) -> bool:
    """:func:`_other_letters` by the distinct characters outside ASCII and Han (a digest's few
    dozen punctuation marks and symbols) tested against the classes' ranges. None of the
    class's letters is Han, so none is lost with the Han characters."""
    rest = "".join(_NOT_HAN.findall(sample))
    if rest.isascii():
        return False
    starts, ends = _other_ranges()
    for ch in set(rest):
        code = ord(ch)
        if code >= 0x80:
            i = bisect_right(starts, code) - 1
            if i >= 0 and code <= ends[i]:
                return True
    return False


@functools.cache
def _other_ranges() -> tuple[list[int], list[int]]:
    """:data:`_OTHER`'s ranges, read from its classes' text (one definition), merged and sorted:
    (first code points, last code points)."""
    ranges: list[tuple[int, int]] = []
    for cls in (_KANA, _HANGUL, _OWN_SCRIPT, _CYRILLIC):
        body, i = cls[1:-1], 0
        while i < len(body):
            if i + 2 < len(body) and body[i + 1] == "-":
                ranges.append((ord(body[i]), ord(body[i + 2])))
                i += 3
            else:
                ranges.append((ord(body[i]), ord(body[i])))
                i += 1
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return [lo for lo, _ in merged], [hi for _, hi in merged]


def _counted_lang(text: str, sample: str, hans: str) -> str | None:
    """:func:`detect_lang` by its definition: every script's letters counted (``hans``: the Han
    characters of ``sample``)."""
    han = len(hans)
    kana = len(_pattern(_KANA).findall(sample))
    hangul = len(_pattern(_HANGUL).findall(sample))
    if kana >= 10 and kana >= 0.4 * (han + kana):
        return "ja"
    if hangul >= 10 and hangul > han:
        return "ko"
    latin = len(_pattern(_LATIN).findall(sample))
    own = _pattern(_OWN_SCRIPT).findall(sample)
    if len(own) >= 10 and len(own) > han + latin:
        return _own_script_lang(own)
    cyrillic = _pattern(_CYRILLIC).findall(sample)
    if len(cyrillic) >= 20 and len(cyrillic) > han + latin:
        return _cyrillic_lang(cyrillic)
    if han and han >= 0.03 * (han + latin / 5):
        return _han_lang(text, sample, hans)
    if latin >= 50 and len(_pattern(_VIETNAMESE).findall(sample)) >= 0.1 * latin:
        return "vi"
    return _latin_lang([w.lower() for w in _pattern(_WORD).findall(sample)])


def _han_lang(text: str, sample: str, hans: str) -> str | None:
    """:func:`detect_script` of ``text`` given the Han characters of its first ``sample``."""
    # the sample's Han characters are the text's first ones: enough of them, or all
    if len(hans) >= _SAMPLE or len(sample) == len(text):
        return _detect_script(text, hans[:_SAMPLE])
    return detect_script(text)


def _latin_lang(words: list[str]) -> str | None:
    """The language of :data:`_FUNCTION_WORDS` these words are in, or None.

    Its list must hold ≥ 12 % of the words (own prose: 15–35 %), and the words only its list has
    (:func:`_word_sets`) must number ≥ 3 and twice those of any other list: Danish and Norwegian share
    ``og``, ``det``, ``ikke``, so their ``af``/``av``, ``blev``/``ble`` decide, and a Spanish
    text's many ``de``, ``en`` count for no language, not for Dutch.
    """
    if len(words) < 20:
        return None
    counts = Counter(words)
    function, own_words = _word_sets()
    own = {lang: sum(counts[w] for w in fw) for lang, fw in own_words.items()}
    best = max(own, key=lambda k: own[k])
    runner_up = max(n for lang, n in own.items() if lang != best)
    if own[best] < 3 or own[best] < 2 * runner_up:
        return None
    if sum(counts[w] for w in function[best]) < 0.12 * len(words):
        return None
    return None if best == "sh" else best


def _cyrillic_lang(letters: list[str]) -> str | None:
    """Russian, Ukrainian, Belarusian, Bulgarian, Serbian or Macedonian by :data:`_CYR_MARKS`.

    - Belarusian: ў ≥ 0.5 % of the letters and next to no и (Belarusian writes і; its ы э are
      Russian's too);
    - Serbian or Macedonian: ј љ њ џ ≥ 1 %, and ћ ђ (Serbian) or ѓ ќ ѕ (Macedonian) but not both;
    - Russian (ы э) or Ukrainian (і ї є ґ): its marks ≥ 1 % (own prose: 2–6 %) and the other's
      under a tenth of them (a quoted name);
    - Bulgarian, which has no letter of its own: ≥ 150 letters, ъ ≥ 1 % and none of the marks
      above (a Russian text of 150 letters lacks ы э and has two ъ with odds under 1 in 1,000).

    Letters of the Central Asian and Mongolian alphabets, or anything else, leave it undecided.
    """
    n = len(letters)
    if len(_pattern(_CYR_OTHER).findall("".join(letters))) >= 0.005 * n:
        return None
    counts = Counter(letters)
    marks = {k: sum(counts[c] for c in v) for k, v in _CYR_MARKS.items()}
    if marks["be"] >= 0.005 * n and (counts["и"] + counts["И"]) * 10 <= marks["uk"]:
        return "be"
    if marks["srmk"] >= 0.01 * n:
        if marks["sr"] and not marks["mk"]:
            return "sr"
        if marks["mk"] and not marks["sr"]:
            return "mk"
        return None
    ru, uk = marks["ru"], marks["uk"]
    if ru >= 0.01 * n and uk * 10 <= ru:
        return "ru"
    if uk >= 0.01 * n and ru * 10 <= uk:
        return "uk"
    if n >= 150 and not any(marks[k] for k in ("ru", "uk", "be", "sr", "mk", "srmk")):
        return "bg" if marks["bg"] >= 0.01 * n else None
    return None


def _own_script_lang(letters: list[str]) -> str:
    """The language of letters mostly in one script of :data:`_OWN_SCRIPT`: the script's own
    language, or for Arabic letters Urdu or Persian when their own letters are ≥ 2 % of them
    (Urdu's ٹ ڈ ڑ ں ھ ہ ے, Persian's پ چ ژ گ and its ی ک), else Arabic."""
    counts: dict[str, int] = {}
    for lo, hi, lang in _SCRIPT_LANG:
        counts[lang] = sum(lo <= c <= hi for c in letters)
    arabic = len(letters) - sum(counts.values())
    best = max(counts, key=lambda k: counts[k])
    if counts[best] >= arabic:
        return best
    if sum(c in _URDU for c in letters) >= 0.02 * arabic:
        return "ur"
    if sum(c in _PERSIAN for c in letters) >= 0.02 * arabic:
        return "fa"
    return "ar"


#: Chinese regions and scripts → the script their text is written in.
_ZH_SCRIPT = {"cn": "hans", "sg": "hans", "my": "hans", "hans": "hans",
              "tw": "hant", "hk": "hant", "mo": "hant", "hant": "hant"}  # fmt: skip


def _within(detected: str, declared: str | None) -> bool:
    """Whether text detected as ``detected`` is already described by the document's
    ``declared`` language, so an article needs no ``lang`` of its own: the same language, a
    less specific tag of it (``en`` in an ``en-US`` book, a bare ``zh`` in a ``zh-CN`` feed),
    or Chinese in the script the declared region writes (``zh-Hans`` in ``zh-CN``)."""
    if declared is None:
        return False
    d, s = detected.lower().split("-"), declared.lower().replace("_", "-").split("-")
    if d[0] != s[0]:
        return False
    if d[0] != "zh" or len(d) == 1:
        return s[: len(d)] == d or len(d) == 1
    scripts = {_ZH_SCRIPT.get(part) for part in s[1:]} - {None}
    return _ZH_SCRIPT.get(d[1]) in scripts


def with_detected_lang(doc: Document, *, text: str | None = None) -> Document:
    """``doc`` with ``lang`` detected where the source gave none (document and articles).

    A detected language is recorded with a ``MetaKey`` of form ``"detected"``, so writers know
    it was not in the source and do not add it to the front matter. ``text`` is
    ``plain_text(doc)`` when the caller has it already.
    """
    meta = doc.meta
    if meta.lang is None:
        parts = [meta.title or "", plain_text(doc) if text is None else text]
        lang = detect_lang("\n".join(parts))
        if lang is not None:
            key = MetaKey(name="lang", field="lang", form="detected")
            meta = replace(meta, lang=lang, keys=(*meta.keys, key))
    blocks = list(doc.blocks)
    for i, b in enumerate(blocks):
        if isinstance(b, Article) and b.meta.lang is None:
            lang = detect_lang((b.meta.title or "") + "\n" + plain_text(b))
            if lang is not None and not _within(lang, meta.lang):
                blocks[i] = replace(b, meta=replace(b.meta, lang=lang))
    if meta is doc.meta and blocks == list(doc.blocks):
        return doc
    return Document(meta=meta, blocks=tuple(blocks))
