"""Check digestkit against the real ``hugo`` binary on a corpus of Hugo content files.

Usage: ``python -m benchmarks.hugo_oracle CORPUS [--keep DIR]`` where ``CORPUS`` holds one folder
per source, each with a ``content/`` tree (``/work/corpora/hugo`` is laid out so).

One throwaway Hugo site is built with every source's ``content/`` under ``content/<source>/``;
every shortcode name found gets a stub template (``{{ .Inner }}``) so pages build without their
themes, and ``refLinksErrorLevel`` is a warning so relrefs to pages outside the corpus do not
stop the build. A JSON home template lists every page Hugo knows with its file, title, date,
draft flag and raw ``tags``. Each listed page is then loaded with digestkit (``format="hugo"``)
and compared; its Markdown round trip must be stable (the second output equals the first).

Why a template and not only ``hugo list all``: ``list all`` has no tags. Why stubs: the
corpus's themes are not part of it, and Hugo refuses a page whose shortcode has no template.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

__all__ = ["check", "main"]

_SHORTCODE = re.compile(r"\{\{[<%](?!\s*/\*)\s*(/?)\s*(\w[\w./-]*)")
_CONFIG: dict[str, Any] = {
    "baseURL": "https://example.org/",
    "title": "oracle",
    "disableKinds": ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"],
    "refLinksErrorLevel": "WARNING",
    "outputs": {"home": ["JSON"], "page": [], "section": []},
    "markup": {"goldmark": {"renderer": {"unsafe": True}}},
}
# .Date is Hugo's effective date (date, else publishDate, else lastmod); .Params.tags as written.
_TEMPLATE = """{{- $out := slice -}}
{{- range .Site.AllPages -}}{{- $p := . -}}{{- with .File -}}
{{- $out = $out | append (dict "path" .Filename "title" $p.Title "kind" $p.Kind "draft" $p.Draft
    "date" ($p.Date.Format "2006-01-02T15:04:05Z07:00") "tags" $p.Params.tags) -}}
{{- end -}}{{- end -}}
{{- $out | jsonify -}}
"""


def _read_config(path: Path) -> dict[str, Any]:
    try:
        if path.suffix == ".toml":
            import tomllib

            return tomllib.loads(path.read_text(encoding="utf-8"))
        if path.suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
    except Exception:  # a config we cannot read only costs its language settings
        return {}
    return {}


def _site_settings(src: Path) -> dict[str, Any]:
    """The settings of the source's own config that decide which pages exist and their dates.

    Languages (with their ``contentDir``) decide how ``x.zh-cn.md`` is read; ``timeZone`` and
    ``frontmatter`` decide dates. Themes, modules and params are left out: no network, no theme.
    """
    merged: dict[str, Any] = {}
    paths = [src / "config.toml", src / "config.yaml", src / "hugo.toml", src / "hugo.yaml"]
    for sub in ("config", "hugo", "languages"):
        paths += [src / "config" / "_default" / f"{sub}.{ext}" for ext in ("toml", "yaml")]
    for path in paths:
        if not path.is_file():
            continue
        data = _read_config(path)
        if path.stem == "languages":
            data = {"languages": data}
        for key, value in data.items():
            merged.setdefault(key.lower() if key.lower() != "languages" else "languages", value)
    out: dict[str, Any] = {}
    for key in ("defaultcontentlanguage", "timezone"):
        if isinstance(merged.get(key), str):
            out[key] = merged[key]
    if "defaultcontentlanguage" in out:  # language codes are case-blind: see _lang_codes
        out["defaultcontentlanguage"] = out["defaultcontentlanguage"].lower()
    if isinstance(merged.get("frontmatter"), dict):
        out["frontmatter"] = merged["frontmatter"]
    # Hugo's per-language files: config/_default/languages.zh-cn.toml defines language zh-cn
    for path in sorted((src / "config" / "_default").glob("languages.*.*")):
        code = path.name.split(".")[1]
        if path.suffix in (".toml", ".yaml", ".yml") and isinstance(merged.get("languages"), dict):
            merged["languages"].setdefault(code, _read_config(path))
        elif path.suffix in (".toml", ".yaml", ".yml"):
            merged["languages"] = {code: _read_config(path)}
    langs = merged.get("languages")
    if isinstance(langs, dict):
        out["languages"] = {
            str(code).lower(): {
                k: v for k, v in conf.items() if k.lower() in ("contentdir", "weight")
            }
            for code, conf in langs.items()
            if isinstance(conf, dict)
        }
    return out


def _lang_codes(site: Path, config: dict[str, Any]) -> dict[str, str]:
    """Give every language the content's file names use (``x.zh-TW.md``) a lower-case name and a
    place in the config; returns oracle path → original path for the files renamed.

    Newer Hugo matches language codes without regard to case (the deca site, written for Hugo
    0.149, names its files ``x.zh-TW.md`` and its default language ``zh-TW``); Hugo 0.111 lowers
    the config's codes but compares file-name suffixes as written, so it drops such a page, and a
    mixed-case ``defaultContentLanguage`` empties the whole default language (every page of the
    lanke site, ``zh-CN``). Lower-casing both sides here makes 0.111 see the site as newer Hugo
    does. A suffix no config names (``x.ja.md`` in a site configured for English only) becomes a
    language too, when :func:`digestkit.metadata.file_lang` reads it as one, so its pages are
    compared rather than listed as ``x.zh`` pages of the default language.
    """
    from digestkit.metadata import file_lang

    renamed: dict[str, str] = {}
    langs: dict[str, Any] = config.setdefault("languages", {})
    for md in sorted((site / "content").rglob("*.md")):
        parts = md.name.split(".")
        code = parts[-2].lower() if len(parts) > 2 else ""
        # file_lang leaves a bare ``zh`` to the text (no script in it); for Hugo it is a language
        if not code or (code not in langs and code != "zh" and file_lang(md.name) is None):
            continue
        if not langs:  # the site's own default language stays first
            langs[config.get("defaultcontentlanguage", "en")] = {"weight": 1}
        langs.setdefault(code, {"weight": len(langs) + 1})
        if parts[-2] != code:
            new = md.with_name(".".join([*parts[:-2], code, parts[-1]]))
            md.rename(new)
            renamed[new.relative_to(site).as_posix()] = md.relative_to(site).as_posix()
    return renamed


def _site(src: Path, site: Path) -> dict[str, str]:
    """Lay out the oracle site for one source: its content, stub shortcodes, the JSON list;
    returns the files renamed (:func:`_lang_codes`)."""
    shutil.copytree(src / "content", site / "content")
    names: dict[str, bool] = {}
    for md in (src / "content").rglob("*.md"):
        for slash, name in _SHORTCODE.findall(md.read_text(encoding="utf-8", errors="replace")):
            names[name] = names.get(name, False) or bool(slash)
    config = {**_CONFIG, **_site_settings(src)}
    renamed = _lang_codes(site, config)
    (site / "config.json").write_text(json.dumps(config, default=str), encoding="utf-8")
    layouts = site / "layouts"
    (layouts / "_default").mkdir(parents=True)
    (layouts / "index.json").write_text(_TEMPLATE, encoding="utf-8")
    for name, closed in names.items():
        # Hugo makes a shortcode whose template reads .Inner require a closing tag.
        stub = layouts / "shortcodes" / f"{name}.html"
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text("{{ .Inner }}" if closed else "", encoding="utf-8")
    return renamed


def _norm_date(value: Any, zone: _dt.tzinfo) -> str:
    """The date as Hugo formats it; dates without an offset are in the site's ``timeZone``."""
    if value is None:
        return "0001-01-01T00:00:00Z"
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    text: str = value.replace(microsecond=0).isoformat()
    return text.replace("+00:00", "Z")


def _tags(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def check(corpus: Path, keep: Path | None = None) -> dict[str, Any]:
    """Build the oracle site and compare every page; returns the figures and the mismatches."""

    hugo = shutil.which("hugo")
    if hugo is None:
        raise SystemExit("hugo is not installed (apt-get install hugo)")
    tmp = Path(tempfile.mkdtemp(prefix="hugo-oracle-")) if keep is None else keep
    figures: dict[str, Any] = {"sources": 0, "hugo_failed": 0, "files": 0, "hugo_lists": 0,
                               "loads": 0, "title": 0, "date": 0, "draft": 0, "tags": 0,
                               "stable": 0, "lenient": 0}  # fmt: skip
    problems: list[str] = []
    not_listed: list[str] = []
    for src in sorted(p for p in corpus.iterdir() if (p / "content").is_dir()):
        site = tmp / src.name
        renamed = _site(src, site)
        figures["sources"] += 1
        run = subprocess.run(
            [hugo, "--quiet", "-D", "-F", "-E", "-s", str(site), "-d", str(site / "public")],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if run.returncode:
            figures["hugo_failed"] += 1
            problems.append(f"HUGO {src.name}: {run.stderr.strip().splitlines()[-1][:300]}")
            continue
        pages = [
            page
            for index in (site / "public").rglob("index.json")
            for page in json.loads(index.read_text(encoding="utf-8"))
        ]
        zone: _dt.tzinfo = _dt.UTC
        if tz := _site_settings(src).get("timezone"):
            import zoneinfo

            zone = zoneinfo.ZoneInfo(tz)
        _compare(src.name, site, pages, zone, figures, problems, not_listed, renamed)
    if keep is None:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"figures": figures, "problems": problems, "not_listed": not_listed}


def _compare(
    name: str,
    site: Path,
    pages: list[dict[str, Any]],
    zone: _dt.tzinfo,
    figures: dict[str, Any],
    problems: list[str],
    not_listed: list[str],
    renamed: dict[str, str],
) -> None:
    import digestkit
    from digestkit.errors import DigestkitError

    files = sorted(p for p in (site / "content").rglob("*.md"))
    figures["files"] += len(files)
    listed = {Path(p["path"]).relative_to(site / "content").as_posix(): p for p in pages}
    for path in files:
        rel = path.relative_to(site / "content").as_posix()
        page = listed.get(rel)
        # digestkit reads the file under its own name: x.zh-TW.md, as the source spells it
        # (Hugo has run: the copy under the original name changes nothing it lists)
        if (orig := renamed.get(path.relative_to(site).as_posix())) is not None:
            path = Path(shutil.copyfile(path, site / orig))
        rel = f"{name}/{path.relative_to(site / 'content').as_posix()}"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                doc = digestkit.load(str(path), format="hugo")
            except DigestkitError as exc:
                problems.append(f"LOAD {rel}: {exc}")
                continue
        if any("TAB" in str(w.message) for w in caught):
            figures["lenient"] += 1
        if page is None:
            not_listed.append(rel)
            continue
        figures["hugo_lists"] += 1
        figures["loads"] += 1
        meta = doc.meta
        # Hugo titles sections it was not given a title for after their folder; not ours.
        if (meta.title is None and page["kind"] != "page") or (meta.title or "") == page["title"]:
            figures["title"] += 1
        else:
            problems.append(f"TITLE {rel}: {meta.title!r} != hugo {page['title']!r}")
        ours = _norm_date(meta.date or meta.publish_date or meta.lastmod, zone)
        # An undated section takes its newest page's date in Hugo; that is Hugo's, not ours.
        if ours == page["date"] or (ours.startswith("0001") and page["kind"] != "page"):
            figures["date"] += 1
        else:
            problems.append(f"DATE {rel}: {ours} != hugo {page['date']}")
        if bool(meta.draft) == page["draft"]:
            figures["draft"] += 1
        else:
            problems.append(f"DRAFT {rel}: {meta.draft} != hugo {page['draft']}")
        if list(meta.tags) == _tags(page["tags"]):
            figures["tags"] += 1
        else:
            problems.append(f"TAGS {rel}: {list(meta.tags)} != hugo {page['tags']}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            first = digestkit.dumps(doc, "markdown")
            second = digestkit.dumps(digestkit.loads(first, format="markdown"), "markdown")
        if first == second:
            figures["stable"] += 1
        else:
            problems.append(f"UNSTABLE {rel}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = ap.parse_args(argv)
    result = check(args.corpus, args.keep)
    for line in result["problems"]:
        print(line)
    for rel in result["not_listed"]:
        print(f"NOT LISTED BY HUGO {rel}")
    print(json.dumps(result["figures"]))
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
