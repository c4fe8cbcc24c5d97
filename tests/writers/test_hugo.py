"""The Hugo writer: lossless front matter, round trips, safe and unique paths, checked by real Hugo."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import subprocess

import pytest

import digestkit
from digestkit.ast import Document, Meta, Paragraph, Text
from digestkit.writers.hugo import WRITER, slugify
from tests.conftest import FIXTURES, FRONT_MATTER_SEEDS, SEEDS, require_tool

SEED_001 = FIXTURES / "001_b56b55d7f0d190c3.txt"


def _doc(title, **meta):
    return Document(
        meta=Meta(title=title, **meta), blocks=(Paragraph(children=(Text(text=title),)),)
    )


def test_unchanged_toml_is_byte_for_byte():
    src = SEED_001.read_text(encoding="utf-8")
    front = src[: src.index("+++", 3) + 4]
    out = WRITER.render(digestkit.load(SEED_001))
    assert out.startswith(front)


@pytest.mark.parametrize("path", FRONT_MATTER_SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("fm", ["toml", "yaml", "json"])
def test_round_trips(path, fm):
    doc = digestkit.load(path)
    assert digestkit.loads(WRITER.render(doc, front_matter=fm), "hugo") == doc  # X → Hugo → AST
    md = digestkit.dumps(digestkit.loads(WRITER.render(doc, front_matter=fm), "hugo"))
    assert digestkit.loads(md) == doc  # Hugo → Markdown → AST


def test_conversion_keeps_order_and_types():
    yaml_text = (
        "---\ntitle: t\ndate: 2026-02-28T08:00:00+08:00\nanswer: 'no'\nversion: '1.10'\n"
        "n: 2\nwhen: 2026-01-02\n---\nx\n"
    )
    doc = digestkit.loads(yaml_text)
    toml = WRITER.render(doc)
    assert toml.startswith(
        '+++\ntitle = "t"\ndate = 2026-02-28T08:00:00+08:00\nanswer = "no"\nversion = "1.10"\n'
        "n = 2\nwhen = 2026-01-02\n+++\n"
    )
    back = digestkit.loads(toml)
    assert back == doc
    assert [k.name for k in back.meta.keys] == ["title", "date", "answer", "version", "n", "when"]
    assert digestkit.dumps(back).startswith(
        "---\ntitle: t\ndate: 2026-02-28 08:00:00+08:00\nanswer: 'no'\nversion: '1.10'\n"
    )


def test_null_has_no_toml_equivalent():
    doc = digestkit.loads("---\ntitle: t\nempty: null\nkept: 1\n---\n")
    with pytest.warns(UserWarning, match="TOML has no null: dropped empty"):
        out = WRITER.render(doc)
    assert "empty" not in out and "kept = 1" in out


def test_slugs():
    assert slugify("AI 技术深度日报｜2026-02-28") == "ai-技术深度日报-2026-02-28"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("%2e%2e%2f%2e%2e") == ""
    assert slugify("a\x00b/c\\d") == "a-b-c-d"
    assert slugify("Ｆｕｌｌ") == "ｆｕｌｌ"  # full-width stays full-width: no NFKC
    assert slugify("同一标题") == slugify("同一标题")


def test_bundle_layout(tmp_path):
    path = digestkit.dump(digestkit.load(SEED_001), tmp_path / "site", format="hugo")
    assert (
        path
        == (
            tmp_path / "site/content/posts/2026-02-28-ai-技术深度日报-2026-02-28/index.md"
        ).resolve()
    )


def test_same_title_never_overwrites(tmp_path):
    a = digestkit.dump(_doc("同一标题", date=dt.date(2026, 3, 1)), tmp_path, format="hugo")
    b = digestkit.dump(
        dataclasses.replace(_doc("同一标题", date=dt.date(2026, 3, 1)), blocks=()),
        tmp_path,
        format="hugo",
    )
    assert a != b and a.exists() and b.exists()
    assert b.parent.name.endswith("-2")
    again = digestkit.dump(_doc("同一标题", date=dt.date(2026, 3, 1)), tmp_path, format="hugo")
    assert again == a  # re-writing the same document is idempotent


@pytest.mark.parametrize(
    "evil", ["../../x", "/etc/passwd", "..", "a/../../b", "%2e%2e/%2e%2e/x", "x\x00y"]
)
def test_nothing_escapes_the_output_folder(tmp_path, evil):
    out = tmp_path / "site"
    for doc in (_doc(evil), _doc("ok", slug=evil)):
        path = digestkit.dump(doc, out, format="hugo")
        assert out.resolve() in path.resolve().parents
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_symlinked_section_outside_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "site/content").mkdir(parents=True)
    (tmp_path / "site/content/posts").symlink_to(outside)
    with pytest.raises(digestkit.UnsafePathError):
        digestkit.dump(_doc("t"), tmp_path / "site", format="hugo")
    assert list(outside.iterdir()) == []


def test_cli_writes_a_site(tmp_path):
    from digestkit.cli import main

    assert main(["convert", *map(str, SEEDS), "-o", str(tmp_path / "site"), "--to", "hugo",
                 "--front-matter", "yaml"]) == 0  # fmt: skip
    pages = sorted((tmp_path / "site/content/posts").glob("*/index.md"))
    assert len(pages) == len(SEEDS)
    assert all(p.read_text(encoding="utf-8").startswith("---\n") for p in pages)


def test_real_hugo_builds_and_lists_every_fixture(tmp_path):
    hugo = require_tool("hugo")
    site = tmp_path / "site"
    docs = [digestkit.load(p) for p in SEEDS]
    docs.append(dataclasses.replace(_doc("草稿", date=dt.date(2026, 3, 2), draft=True)))
    taken: set = set()
    for doc in docs:
        WRITER.write(doc, outdir=site, taken=taken)
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "digest"\n', encoding="utf-8"
    )
    build = subprocess.run([hugo, "--quiet", "-D", "-F", "-d", str(tmp_path / "public")], cwd=site,
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert build.returncode == 0, build.stderr
    assert "ERROR" not in build.stderr
    listing = subprocess.run(
        [hugo, "list", "all"], cwd=site, capture_output=True, text=True, timeout=300
    )
    assert listing.returncode == 0, listing.stderr
    rows = list(csv.DictReader(io.StringIO(listing.stdout)))
    assert len(rows) == len(docs)
    by_title = {r["title"]: r for r in rows}
    for doc in docs:
        row = by_title[digestkit.loads(WRITER.render(doc), "hugo").meta.title]
        assert row["draft"] == ("true" if doc.meta.draft else "false")
        if isinstance(doc.meta.date, dt.datetime):
            assert row["date"] == doc.meta.date.isoformat()
        elif isinstance(doc.meta.date, dt.date):
            assert row["date"].startswith(doc.meta.date.isoformat())


def test_a_bundles_own_images_go_with_the_page(tmp_path):
    # Written after the fresh3 corpus: a French Hugo site's page bundles (index.md beside
    # images/*.jpg) came out of `convert --to hugo` as index.md alone, every image broken.
    src = tmp_path / "src" / "post"
    (src / "images").mkdir(parents=True)
    (src / "images" / "fleur.jpg").write_bytes(b"\xff\xd8jpeg")
    (src / "b c.png").write_bytes(b"\x89PNGpng")
    (tmp_path / "src" / "secret.png").write_bytes(b"secret")
    (src / "index.md").write_text(
        "---\ntitle: Fleurs\ndate: 2022-07-20\n---\n![f](images/fleur.jpg) ![b](<b c.png>)\n"
        "![up](../secret.png) ![abs](/static.png) ![r](https://example.org/r.png) ![n](none.png)\n",
        encoding="utf-8",
    )
    from digestkit.cli import main

    site = tmp_path / "site"
    assert main(["convert", str(src / "index.md"), "-o", f"{site}/", "--to", "hugo"]) == 0
    bundle = next(site.glob("content/posts/*/"))
    assert (bundle / "images" / "fleur.jpg").read_bytes() == b"\xff\xd8jpeg"
    assert (bundle / "b c.png").read_bytes() == b"\x89PNGpng"
    # only files under the page's own folder travel with it
    assert sorted(p.name for p in site.rglob("*") if p.is_file()) == [
        "b c.png",
        "fleur.jpg",
        "index.md",
    ]
    # the API does the same when told where the page came from
    doc = digestkit.load(src / "index.md")
    page = digestkit.dump(doc, tmp_path / "api", format="hugo", base_dir=src)
    assert (page.parent / "images" / "fleur.jpg").exists()
