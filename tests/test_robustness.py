"""Large and deep inputs: handled or refused with a clear error within seconds, never a RecursionError."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

import digestkit
from digestkit import DigestkitError, ParseError
from digestkit.ast import BlockQuote, Document, Paragraph, Text


def test_50_mb_file_is_refused_quickly(tmp_path):
    big = tmp_path / "big.md"
    line = "这是一段很长的中文测试文字。" * 20 + "\n\n"
    with big.open("w", encoding="utf-8") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(line * 100)
    start = time.perf_counter()
    with pytest.raises(ParseError, match=r"over the 16 MiB limit") as exc:
        digestkit.load(big)
    assert time.perf_counter() - start < 5
    assert exc.value.path == str(big)
    proc = subprocess.run([sys.executable, "-m", "digestkit", "inspect", str(big)], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 1 and "limit" in proc.stderr and "Traceback" not in proc.stderr


def test_raising_the_limit_reads_a_large_file(tmp_path):
    doc_text = ("段落文字。" * 200 + "\n\n") * 2000  # ~4 MB
    start = time.perf_counter()
    with pytest.raises(ParseError):
        digestkit.loads(doc_text, "markdown", max_size=1000)
    doc = digestkit.loads(doc_text, "markdown")
    assert len(doc.blocks) == 2000
    assert time.perf_counter() - start < 30


@pytest.mark.parametrize(
    "text",
    [
        "> " * 10_000 + "deep",
        "- " * 10_000 + "deep",
        "*" * 10_000 + "x" + "*" * 10_000,
        "[" * 10_000 + "x" + "]" * 10_000,
        "<div>" * 10_000,
        "---\nk: " + "[" * 10_000 + "]" * 10_000 + "\n---\n",
        "---\nk: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n---\n",
        "+++\nk = " + "[" * 10_000 + "]" * 10_000 + "\n+++\n",
        "#" * 10_000 + " x",
        "一" * 200_000,
    ],
    ids=[
        "quotes",
        "lists",
        "emphasis",
        "brackets",
        "html",
        "yaml-list",
        "yaml-map",
        "toml",
        "hashes",
        "runon",
    ],
)
def test_deep_nesting_is_handled_or_refused(text):
    start = time.perf_counter()
    try:
        doc = digestkit.loads(text)
        digestkit.dumps(doc)
    except DigestkitError as exc:
        assert "Recursion" not in str(exc)
    assert time.perf_counter() - start < 20


def test_deep_json_ast_is_refused():
    deep = (
        '{"t": "Document", "meta": {"t": "Meta"}, "blocks": ['
        + '{"t": "BlockQuote", "blocks": [' * 10_000
    )
    deep += "]}" * 10_000 + "]}"
    with pytest.raises(ParseError, match="nests too deeply"):
        digestkit.loads(deep, "json")
    json.loads('{"a": 1}')


def test_deep_ast_built_in_code_is_refused_by_writers(tmp_path):
    node = Paragraph(children=(Text(text="底"),))
    for _ in range(10_000):
        node = BlockQuote(blocks=(node,))
    doc = Document(blocks=(node,))
    for fmt in ("markdown", "json"):
        with pytest.raises(DigestkitError, match="nests too deeply"):
            digestkit.dumps(doc, fmt)
    with pytest.raises(DigestkitError, match="nests too deeply"):
        digestkit.dump(doc, tmp_path / "deep.epub")
    assert not (tmp_path / "deep.epub").exists()
