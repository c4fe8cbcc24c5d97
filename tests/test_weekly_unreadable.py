"""What the weekly job does with a file it cannot simply read (issue 25, points 2, 5 and 10).

- A legacy-encoded file (Big5, GB18030, no charset declared) is read when its bytes say so
  clearly (``textio.clear_encoding``), with a warning; bytes that are not clearly anything stop
  the run at ``file:line:col``, or are skipped with ``--keep-going`` (exit 3).
- An empty file is named in a warning, in ``weekly`` and in ``convert``.
- ``--max-size`` is the same rule in ``weekly`` as in ``convert``: over it, an error naming the
  file (MiB said as MiB), or a skip with ``--keep-going``.

The texts are written for these tests.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import digestkit
from digestkit.errors import ParseError
from tests.conftest import epub_texts

GOOD = (
    "---\ntitle: 周一\ndate: 2026-03-02\n---\n\n# 周一\n\n今天的新闻：国家统计局发布十月份数据。\n"
)
BIG5 = (
    "---\ntitle: 週二\ndate: 2026-03-03\n---\n\n# 週二\n\n"
    "臺灣半導體產業在過去一年持續擴張，晶圓代工廠商宣布在高雄興建新廠，預計明年開始量產先進製程晶片。\n"
)


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "digestkit", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd)  # fmt: skip


def _archive(tmp_path: Path, files: dict[str, bytes]) -> Path:
    arch = tmp_path / "arch"
    arch.mkdir()
    for name, data in files.items():
        (arch / name).write_bytes(data)
    return arch


def test_a_big5_file_the_bytes_say_clearly_is_read_with_a_warning(tmp_path):
    arch = _archive(tmp_path, {"a.md": GOOD.encode(), "b.md": BIG5.encode("big5")})
    with pytest.warns(UserWarning, match=r"b\.md: not UTF-8, read as big5"):
        out = digestkit.weekly(arch, tmp_path / "w.epub", cache=False, jobs=1)
    text = "".join(epub_texts(out).values())
    assert "高雄興建新廠" in text and "国家统计局" in text
    # alone in its folder it is a book too, not "no documents"
    (arch / "a.md").unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alone = digestkit.weekly(arch, tmp_path / "alone.epub", cache=False, jobs=1)
    assert "高雄興建新廠" in "".join(epub_texts(alone).values())


def test_bytes_that_are_not_clearly_anything_stop_the_run_or_are_skipped(tmp_path):
    bad = GOOD.encode() + b"\n\xa4\xa4\xa4\xe5 \xff\xfe\n"  # not UTF-8, not clearly Big5/GB
    arch = _archive(tmp_path, {"a.md": GOOD.replace("周一", "周三").encode(), "c.md": bad})
    with pytest.raises(ParseError) as exc:
        digestkit.weekly(arch, tmp_path / "w.epub", cache=False, jobs=1)
    assert exc.value.path.endswith("c.md") and (exc.value.line, exc.value.column) == (10, 1)
    assert not (tmp_path / "w.epub").exists()
    proc = _cli("-q", "weekly", str(arch), "-o", str(tmp_path / "w.epub"), "--no-cache")
    assert proc.returncode == 1 and "c.md:10:1: not valid UTF-8" in proc.stderr
    proc = _cli("-q", "weekly", str(arch), "-o", str(tmp_path / "k.epub"), "--no-cache",
                "--keep-going")  # fmt: skip
    assert proc.returncode == 3, proc.stderr
    assert "c.md:10:1" in proc.stderr and (tmp_path / "k.epub").exists()


def test_an_empty_file_is_named_in_a_warning(tmp_path):
    arch = _archive(tmp_path, {"a.md": GOOD.encode(), "e.md": b"", "s.md": b" \n\n\t\n"})
    with pytest.warns(UserWarning) as caught:
        digestkit.weekly(arch, tmp_path / "w.epub", cache=False, jobs=1)
    messages = [str(w.message) for w in caught]
    assert any(m.endswith("e.md: empty file; left out") for m in messages), messages
    assert any(m.endswith("s.md: empty file; left out") for m in messages), messages
    # alone: the error says why there is nothing, and names the file in a warning first
    (arch / "a.md").unlink()
    proc = _cli("weekly", str(arch), "-o", str(tmp_path / "x.epub"), "--no-cache")
    assert proc.returncode == 1 and "e.md: empty file" in proc.stderr


@pytest.mark.parametrize("to", ["epub", "html", "md"])
def test_convert_warns_about_an_empty_file(tmp_path, to):
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"\n")
    proc = _cli("convert", str(empty), "-o", str(tmp_path / f"out.{to}"))
    assert proc.returncode == 0, proc.stderr
    assert f"{empty}: empty file: nothing to read" in proc.stderr
    with pytest.warns(UserWarning, match="empty.md: empty file"):
        digestkit.load(empty)


def test_weekly_applies_max_size_as_convert_does(tmp_path):
    big = GOOD.encode() + ("很长的一段正文。" * 200).encode()  # 4.8 KiB
    arch = _archive(tmp_path, {"a.md": GOOD.replace("周一", "周三").encode(), "b.md": big})
    proc = _cli("-q", "convert", str(arch / "b.md"), "-o", str(tmp_path / "b.epub"),
                "--max-size", "2048")  # fmt: skip
    assert proc.returncode == 1
    convert_message = proc.stderr.strip()
    assert "b.md: 4.8 KiB is over the 2 KiB limit" in convert_message, convert_message
    proc = _cli("-q", "weekly", str(arch), "-o", str(tmp_path / "w.epub"), "--no-cache",
                "--max-size", "2048")  # fmt: skip
    assert proc.returncode == 1 and proc.stderr.strip() == convert_message
    assert not (tmp_path / "w.epub").exists()
    proc = _cli("-q", "weekly", str(arch), "-o", str(tmp_path / "k.epub"), "--no-cache",
                "--max-size", "2048", "--keep-going")  # fmt: skip
    assert proc.returncode == 3 and "b.md: 4.8 KiB is over the 2 KiB limit" in proc.stderr
    assert "很长的一段正文" not in "".join(epub_texts(tmp_path / "k.epub").values())
    # the default limit is 16 MiB, said so
    with pytest.raises(ParseError, match=r"17 MiB is over the 16 MiB limit"):
        digestkit.loads(b"x" * (17 * 1024 * 1024))
