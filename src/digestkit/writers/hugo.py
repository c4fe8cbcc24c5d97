"""Writer ``hugo``: a Hugo ``content/`` tree, one leaf page bundle per document.

``dump(doc, "site/", format="hugo")`` writes ``site/content/<section>/<YYYY-MM-DD>-<slug>/index.md``
(section ``posts`` by default; no date prefix for undated documents). Front matter is TOML by
default, YAML or JSON on request; unchanged front matter is written back byte for byte.

Slugs: the document's ``slug`` if it has one, else its title. Letters and digits of any script
are kept (Chinese titles give Chinese slugs, which Hugo serves fine); everything else becomes
``-``. Slugs are stable (same title, same slug) and unique: a folder holding a different
document is never overwritten; the next free ``-2``, ``-3`` … is taken instead.

Safety: a slug or title can never move the output outside the output folder: percent escapes are
decoded before cleaning, path separators, NUL and dot-only names are removed, and the final path
is checked against the resolved output folder (symlinks included) before anything is written.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
import urllib.parse
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..ast import Article, Document, Heading, Meta, Paragraph, plain_text
from ..errors import UnsafePathError
from ..frontmatter import FrontMatterFormat
from ..metadata import meta_to_mapping
from ..options import HugoOptions
from ..textio import atomic_write
from .markdown import render_blocks, render_front_matter

__all__ = ["WRITER", "HugoWriter", "slugify"]

_MAX_SLUG = 80


def slugify(text: str) -> str:
    """A file-system and URL safe slug that keeps letters and digits of every script."""
    text = urllib.parse.unquote(text)
    text = unicodedata.normalize("NFC", text)  # NFC only: NFKC would alter CJK text
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        out.append(ch.lower() if cat[0] in "LN" else "-")
    slug = re.sub(r"-{2,}", "-", "".join(out)).strip("-")
    return slug[:_MAX_SLUG].rstrip("-")


def _title(doc: Document) -> str | None:
    """The title Hugo will show: the document's, else its first article, heading or sentence."""
    if doc.meta.title:
        return doc.meta.title
    for block in doc.blocks:
        if isinstance(block, Article) and block.meta.title:
            return block.meta.title
        if isinstance(block, (Heading, Paragraph)):
            text = plain_text(block).replace("\n", " ").strip()
            if isinstance(block, Paragraph):
                # a first line of prose: up to its first sentence end, at most 60 characters
                text = re.split(r"(?<=[。！？!?])", text, maxsplit=1)[0][:60]
            return text or None
    return None


def _date_prefix(meta: Meta) -> str:
    date = meta.date
    if isinstance(date, _dt.datetime):
        return date.date().isoformat() + "-"
    if isinstance(date, _dt.date):
        return date.isoformat() + "-"
    return ""


def _null_free(value: Any, where: str, dropped: list[str]) -> Any:
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if v is None:
                dropped.append(f"{where}{k}")
            else:
                out[k] = _null_free(v, f"{where}{k}.", dropped)
        return out
    if isinstance(value, (list, tuple)):
        kept = [v for v in value if v is not None]
        if len(kept) != len(value):
            dropped.append(where.rstrip(".") + "[]")
        return [_null_free(v, where, dropped) for v in kept]
    return value


class HugoWriter:
    """Hugo content tree; ``render`` gives one page's text."""

    name = "hugo"
    description = "Hugo content/ tree (leaf bundles), TOML/YAML/JSON front matter"
    extensions = ()
    kind = "tree"
    options_type = HugoOptions

    def render(self, doc: Document, *, front_matter: FrontMatterFormat = "toml") -> str:
        """The ``index.md`` text of ``doc``: front matter, then the CommonMark body."""
        meta = doc.meta
        if meta.title is None and (title := _title(doc)):
            from dataclasses import replace

            meta = replace(meta, title=title)
        if front_matter == "toml":
            dropped: list[str] = []
            clean = _null_free(meta_to_mapping(meta), "", dropped)
            if dropped:
                warnings.warn(
                    f"TOML has no null: dropped {', '.join(dropped)} from the front matter of "
                    f"{meta.title or 'an untitled document'}",
                    stacklevel=2,
                )
                from ..frontmatter import dump as dump_fm

                front = dump_fm(clean, "toml")
            else:
                front = render_front_matter(meta, "toml")
        else:
            front = render_front_matter(meta, front_matter)
        body = render_blocks(doc.blocks)
        return front + (body + "\n" if body else "")

    def page_dir(self, doc: Document, outdir: Path, section: str = "posts") -> Path:
        """The bundle folder for ``doc`` (not yet made unique)."""
        base = slugify(doc.meta.slug or "") or slugify(_title(doc) or "")
        if not base:
            digest = hashlib.sha256(render_blocks(doc.blocks).encode()).hexdigest()[:10]
            base = f"untitled-{digest}"
        section_slug = "/".join(s for s in (slugify(p) for p in section.split("/")) if s)
        return outdir / "content" / (section_slug or "posts") / f"{_date_prefix(doc.meta)}{base}"

    def write(
        self,
        doc: Document,
        options: HugoOptions | None = None,
        *,
        outdir: str | Path,
        taken: set[Path] | None = None,
    ) -> Path:
        """Write ``doc`` as a leaf bundle under ``outdir``; returns the ``index.md`` written.

        ``taken`` lets a batch share the set of folders it has already used.
        """
        o = options or HugoOptions()
        root = Path(outdir).resolve()
        text = self.render(doc, front_matter=o.front_matter)
        wanted = self.page_dir(doc, root, o.section)
        folder, n = wanted, 1
        taken = taken if taken is not None else set()
        while folder in taken or _holds_other(folder / "index.md", text):
            n += 1
            folder = wanted.with_name(f"{wanted.name}-{n}")
        resolved = folder.resolve()
        if resolved != root and root not in resolved.parents:
            raise UnsafePathError(f"refusing to write outside {root}: {resolved}")
        taken.add(folder)
        target = folder / "index.md"
        with atomic_write(target) as fh:
            fh.write(text.encode("utf-8"))
        if o.base_dir is not None:
            _copy_resources(doc, Path(o.base_dir), folder)
        return target


def _copy_resources(doc: Document, source: Path, folder: Path) -> None:
    """Copy the page's own images — relative URLs naming files under ``source``, the folder the
    page came from — to the same relative place in the new bundle, so a page bundle's
    ``images/x.jpg`` still resolves. Site-root (``/x.png``), remote, escaping (``../``) and
    missing files are left alone: they are not the page's."""
    import shutil

    from ..ast import Image, walk

    urls: list[str] = []

    def collect(node: Any) -> Any:
        if isinstance(node, Image):
            urls.append(node.url)
        return node

    walk(doc, collect)
    base = source.resolve()
    for url in dict.fromkeys(urls):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("/", "\\")) or not parts.path:
            continue
        rel = urllib.parse.unquote(parts.path)
        src = (base / rel).resolve()
        dest = (folder / rel).resolve()
        if base not in src.parents or folder.resolve() not in dest.parents or not src.is_file():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)


def _holds_other(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") != text
    except FileNotFoundError:
        return False


WRITER = HugoWriter()
