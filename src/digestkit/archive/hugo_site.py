"""The Hugo site an archive lies in: what plain ``hugo`` publishes, and the site's settings.

Decides which content pages are **drafts** (by their own ``draft``, a section's ``cascade``, or a
draft section above them: checked against Hugo 0.111), which files are a Hugo **config**
(``hugo.toml``, ``config.yaml``, ``config/_default/`` …, in the archive folder or up to four
parents), the site's **baseURL** (where links to pages outside the book lead) and its
**params** (what ``{{< param "x" >}}`` finds). A config that does not parse is only a hint: it
is warned about and ignored.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import DigestkitError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["HUGO_CONFIGS", "hugo_base_url", "hugo_drafts", "hugo_site_params"]

HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml",
                 "config.yaml", "config.yml", "config.json")  # fmt: skip


def _hugo_lang(path: Path) -> str:
    """The language part of a content file's name (``x.zh-tw.md`` → ``zh-tw``), lower case, or
    ``""``: a section's ``_index.zh-tw.md`` speaks for the pages of that language only."""
    parts = path.name.split(".")
    return parts[-2].lower() if len(parts) > 2 else ""


def _draft_settings(path: Path) -> tuple[bool | None, bool | None]:
    """(the page's own ``draft``, the ``draft`` its ``cascade`` hands down), None where unset.

    Only a file whose text names ``draft`` has its front matter parsed: the weekly job lists the
    folder on every run, and most pages say nothing about drafts. Front matter that does not
    parse says nothing here (the real read reports it).
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return None, None
    if b"draft" not in raw.lower():
        return None, None
    from .. import frontmatter

    try:
        text = raw.decode("utf-8-sig")
        data = frontmatter.load(frontmatter.split(text, path=str(path)), warn=False)
    except (UnicodeDecodeError, DigestkitError, ValueError):
        return None, None
    keys = {k.lower(): v for k, v in data.items()}  # Hugo's keys are case-blind
    own = keys.get("draft")
    cascade = keys.get("cascade")
    handed = None
    for table in cascade if isinstance(cascade, list) else [cascade]:
        # a cascade entry aimed at some pages only (``_target``) is not followed here
        if isinstance(table, dict) and "_target" not in table:
            value = {k.lower(): v for k, v in table.items()}.get("draft")
            handed = value if isinstance(value, bool) else handed
    return (own if isinstance(own, bool) else None), handed


def hugo_drafts(paths: Iterable[Path], site: Path) -> set[Path]:
    """The files of ``paths`` (under ``site/content``) that ``hugo`` without ``-D`` leaves out.

    Checked against Hugo 0.111: a page is a draft by its own ``draft``, else by the nearest
    ``cascade: {draft: …}`` of the sections above it (a section's cascade applies to the
    section's own ``_index.md`` too); and every file under a section that is a draft is left out,
    a page saying ``draft: false`` included (Hugo drops the section's whole subtree,
    gohugoio/hugo#6312). The lanke blog's ``post/_index.md`` is such a draft: plain ``hugo``
    publishes none of its posts. Languages are kept apart by file name (``_index.zh-tw.md``).
    """
    content = site / "content"
    files = [p for p in paths if p.suffix.lower() in (".md", ".markdown")]
    settings = {p: _draft_settings(p) for p in files}
    sections = {(p.parent, _hugo_lang(p)): p for p in files if p.name.startswith("_index.")}

    def draft(page: Path) -> bool:
        own, _ = settings[page]
        if own is not None:
            return own
        folder, lang = page.parent, _hugo_lang(page)
        while folder.is_relative_to(content):
            section = sections.get((folder, lang))
            if section is not None and (handed := settings[section][1]) is not None:
                return handed
            folder = folder.parent
        return False

    # (folder, language) of every draft section: Hugo leaves out its whole subtree
    dropped = {key for key, index in sections.items() if draft(index)}
    out = set()
    for p in paths:
        lang = _hugo_lang(p) if p in settings else ""
        if (p in settings and draft(p)) or any((f, lang) in dropped for f in p.parents):
            out.add(p)
    return out


def hugo_base_url(archive: Path, *, levels: int = 4) -> str | None:
    """The ``baseURL`` of the Hugo site ``archive`` lies in (its config in ``archive`` or up to
    ``levels`` parents, ``config/_default/`` included), or None.

    A config that does not parse, or whose ``baseURL`` is not an absolute http(s) URL, is
    warned about and ignored: the book can be made without it.
    """
    for path in _hugo_configs(archive, levels):
        data = _read_config(path)
        if data is not None:
            url = _config_base_url(path, data)
            if url is not None:
                return url
    return None


def hugo_site_params(archive: Path, *, levels: int = 4) -> dict[str, Any]:
    """The ``params`` of the Hugo site ``archive`` lies in (found as :func:`hugo_base_url` finds
    its config, or a ``params.*`` file beside it in ``config/_default/``), for
    ``{{< param "x" >}}``; empty when there is none. Configs that do not parse were warned
    about by :func:`hugo_base_url` and are skipped quietly here."""
    for path in _hugo_configs(archive, levels, extra=("params.toml", "params.yaml", "params.yml",
                                                      "params.json")):  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = _read_config(path)
        if data is None:
            continue
        if path.stem == "params":
            return data
        params = next((v for k, v in data.items() if str(k).lower() == "params"), None)
        if isinstance(params, dict) and params:
            return params
    return {}


def _hugo_configs(archive: Path, levels: int, extra: tuple[str, ...] = ()) -> Iterator[Path]:
    folder = archive.resolve()
    for _ in range(levels + 1):
        for where in (folder, folder / "config" / "_default"):
            for name in HUGO_CONFIGS + (extra if where.name == "_default" else ()):
                path = where / name
                if path.is_file():
                    yield path
        if folder.parent == folder:
            break
        folder = folder.parent


def _read_config(path: Path) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
        data: Any
        if path.suffix == ".toml":
            import tomllib

            data = tomllib.loads(text)
        elif path.suffix == ".json":
            import json

            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as exc:  # any parse error: the config is only a hint
        warnings.warn(f"{path}: not read ({type(exc).__name__}); its baseURL ignored", stacklevel=4)
        return None
    return data if isinstance(data, dict) else None


def _config_base_url(path: Path, data: dict[str, Any]) -> str | None:
    url = next((v for k, v in data.items() if str(k).lower() == "baseurl"), None)
    if url is None:
        return None
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        warnings.warn(f"{path}: baseURL {url!r} is not an absolute URL; ignored", stacklevel=3)
        return None
    return url
