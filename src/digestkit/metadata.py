"""Front matter mapping ⇄ typed :class:`~digestkit.ast.Meta`, losslessly.

Reading maps well-known keys (case-insensitively, with the spellings digest blogs and Hugo use:
``category``/``categories``, ``coverImage``/``cover``, ``publishDate`` …) onto typed fields, and
keeps every other key in ``Meta.extra``. A value whose type does not fit its field (``title: 2024``)
stays in ``extra`` untouched rather than being coerced, so writing it back cannot change it.
``Meta.keys`` remembers names, order and spelling (a bare ``category: AI`` versus a list), so a
writer reproduces the mapping as it was.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping

from .ast import FrontMatter, Meta, MetaKey
from .contexts import suppress

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CANONICAL_KEYS",
    "file_lang",
    "meta_from_mapping",
    "meta_to_mapping",
    "parse_date",
    "parse_web_date",
]

#: Front matter key (lower-cased) → Meta field.
_KEY_FIELDS: dict[str, str] = {
    "title": "title",
    "date": "date",
    "tags": "tags",
    "tag": "tags",
    "categories": "categories",
    "category": "categories",
    "summary": "summary",
    "description": "description",
    "cover": "cover_image",
    "coverimage": "cover_image",
    "cover_image": "cover_image",
    "featured_image": "cover_image",
    "featuredimage": "cover_image",
    "source": "source",
    "author": "author",
    "draft": "draft",
    "lang": "lang",
    "language": "lang",
    "slug": "slug",
    "weight": "weight",
    "aliases": "aliases",
    "lastmod": "lastmod",
    "modified": "lastmod",
    "publishdate": "publish_date",
    # Hugo's default front matter aliases (its ``frontmatter`` config): publishDate is also read
    # from ``pubDate`` and ``published``; a boolean ``published`` is Jekyll's inverse draft.
    "pubdate": "publish_date",
    "published": "publish_date",
    "params": "params",
}

#: Meta field → the key name used when a document built in code is written out.
CANONICAL_KEYS: dict[str, str] = {
    "title": "title",
    "date": "date",
    "lastmod": "lastmod",
    "publish_date": "publishDate",
    "draft": "draft",
    "slug": "slug",
    "weight": "weight",
    "aliases": "aliases",
    "author": "author",
    "source": "source",
    "lang": "lang",
    "tags": "tags",
    "categories": "categories",
    "cover_image": "cover",
    "summary": "summary",
    "description": "description",
    "params": "params",
}

_STR_FIELDS = {"title", "summary", "description", "cover_image", "source", "author", "lang", "slug"}
_LIST_FIELDS = {"tags", "categories", "aliases"}
_DATE_FIELDS = {"date", "lastmod", "publish_date"}


def parse_date(value: str) -> _dt.datetime | _dt.date | None:
    """An ISO 8601 date or date-time string as Python, or None when it is not one."""
    text = value.strip()
    try:
        if len(text) == 10:
            return _dt.date.fromisoformat(text)
        return _dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_web_date(value: str | None) -> _dt.datetime | _dt.date | None:
    """A date as web pages, feeds, e-books and mail write it: ISO 8601 (``Z`` for UTC too), else
    RFC 822 (older pages, RSS, ``Date:`` headers); None when it is neither. The HTML, EPUB and
    feed readers share it, so a date means the same whichever of them read it."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00") if value.strip().endswith("Z") else value.strip()
    found = parse_date(text)
    if found is None:
        with suppress(ValueError):
            found = _dt.datetime.fromisoformat(text)
    if found is None:
        import email.utils

        with suppress(TypeError, ValueError, IndexError):
            found = email.utils.parsedate_to_datetime(text)
    return found


def _typed(field: str, value: Any) -> tuple[Any, str] | None:
    """The field value and its form for ``value``, or None when the value does not fit the field."""
    if field in _STR_FIELDS:
        return (value, "") if isinstance(value, str) else None
    if field in _LIST_FIELDS:
        if isinstance(value, str):
            return (value,), "scalar"
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value), ""
        return None
    if field in _DATE_FIELDS:
        if isinstance(value, (_dt.datetime, _dt.date)):
            return value, ""
        if isinstance(value, str) and (parsed := parse_date(value)) is not None:
            return parsed, "string"
        return None
    if field == "draft":
        return (value, "") if isinstance(value, bool) else None
    if field == "weight":
        return (value, "") if isinstance(value, int) and not isinstance(value, bool) else None
    if field == "params":
        return (dict(value), "") if isinstance(value, Mapping) else None
    raise AssertionError(field)


def meta_from_mapping(data: Mapping[str, Any], front_matter: FrontMatter | None = None) -> Meta:
    """Typed metadata from a front matter mapping; nothing is dropped."""
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    keys: list[MetaKey] = []
    for name, value in data.items():
        field = _KEY_FIELDS.get(name.lower())
        if name.lower() == "published" and isinstance(value, bool):
            field = "draft"  # Jekyll's (and Hugo's) ``published: false`` is ``draft: true``
            typed: tuple[Any, str] | None = (not value, "inverted") if field not in values else None
        else:
            typed = _typed(field, value) if field and field not in values else None
        if field is None or typed is None:
            extra[name] = value
            keys.append(MetaKey(name=name, field="extra"))
            continue
        values[field], form = typed
        keys.append(MetaKey(name=name, field=field, form=form))  # type: ignore[arg-type]
    return Meta(**values, extra=extra, keys=tuple(keys), front_matter=front_matter)


def _is_unset(value: Any) -> bool:
    return value is None or value == () or (isinstance(value, Mapping) and not value)


def _written(value: Any, form: str) -> Any:
    if form == "inverted":
        return not value
    if form == "scalar" and isinstance(value, tuple) and len(value) == 1:
        return value[0]
    if form == "string" and isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def meta_to_mapping(meta: Meta) -> dict[str, Any]:
    """The front matter mapping for ``meta``: original keys in original order, then new ones."""
    out: dict[str, Any] = {}
    done: set[str] = set()
    for key in meta.keys:
        if key.field == "extra":
            if key.name in meta.extra:
                out[key.name] = meta.extra[key.name]
            done.add("extra:" + key.name)
            continue
        done.add(key.field)
        if key.form == "detected":
            continue
        value = getattr(meta, key.field)
        if not _is_unset(value):
            out[key.name] = _written(value, key.form)
    for field, name in CANONICAL_KEYS.items():
        if field not in done and not _is_unset(value := getattr(meta, field)):
            out[name] = _written(value, "")
    for name, value in meta.extra.items():
        if "extra:" + name not in done:
            out[name] = value
    return out


def source_keys(meta: Meta) -> tuple[MetaKey, ...]:
    """The keys that came from the source (without inferred ones such as a detected ``lang``)."""
    return tuple(k for k in meta.keys if k.form != "detected")


#: ISO 639-1: a file-name part is a language only when it is one of these (``v1``, ``draft``,
#: ``min`` are not); Hugo itself asks the site's configured languages, which a reader lacks.
_ISO_639_1_WORDS = (
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv "
    "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr "
    "ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw "
    "ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv "
    "ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr "
    "ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi "
    "yo za zh zu"
)
_ISO_639_1 = frozenset(_ISO_639_1_WORDS.split())
_LANG_SUFFIX = re.compile(
    r"\.([A-Za-z]{2})(?:[-_]([A-Za-z]{2,4}))?(?:[-_]([A-Za-z]{2}))?\.[^./\\]+$"
)
#: Chinese tags by region or script, as the readers' detection spells them (fonts follow them).
_ZH = {"cn": "zh-Hans", "sg": "zh-Hans", "hans": "zh-Hans", "tw": "zh-Hant-TW",
       "hk": "zh-Hant-HK", "mo": "zh-Hant-HK", "hant": "zh-Hant"}  # fmt: skip


def file_lang(path: str) -> str | None:
    """Hugo's translation by file name: the language a content file's name gives (``x.ja.md`` →
    ``ja``, ``x.zh-tw.md`` → ``zh-Hant-TW``, ``x.pt-br.md`` → ``pt-BR``), or None. The Markdown
    and Hugo readers use it when the front matter has no ``lang``. A bare ``zh`` says no
    script: None, so the text decides.
    """
    m = _LANG_SUFFIX.search(path)
    if m is None or m.group(1).lower() not in _ISO_639_1:
        return None
    base, sub, region = m.group(1).lower(), m.group(2), m.group(3)
    if base == "zh":
        return _ZH.get((region or sub or "").lower())
    tag = base
    for part in (sub, region):
        if part:
            tag += "-" + (part.upper() if len(part) == 2 else part.title())
    return tag
