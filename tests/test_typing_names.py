"""The names made lazily so that a weekly re-run imports no ``typing`` (issue 26) are what they
were: the plugin protocols, the ``Literal`` aliases, ``Packed``, ``Outcome`` (each asked for in
a fresh interpreter, where nothing else has imported ``typing`` first)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _fresh(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False, env={"PYTHONPATH": str(ROOT / "src")})  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_lazy_names_are_the_typing_objects_they_were():
    out = _fresh(
        "import sys, pickle, typing\n"
        "from digestkit import ast, frontmatter, registry\n"
        "from digestkit.writers import epub_package\n"
        "assert registry.Reader is registry.Reader\n"
        "assert registry.ReaderKind == typing.Literal['text', 'bytes']\n"
        "assert registry.WriterKind == typing.Literal['text', 'binary', 'tree']\n"
        "assert ast.Align == typing.Literal['left', 'center', 'right', '']\n"
        "assert frontmatter.FrontMatterFormat == typing.Literal['yaml', 'toml', 'json']\n"
        "from digestkit.readers.markdown import READER\n"
        "assert isinstance(READER, registry.Reader)\n"
        "assert not isinstance(object(), registry.Writer)\n"
        "from digestkit.registry import get_writer\n"
        "assert isinstance(get_writer('html'), registry.Writer)\n"
        "p = epub_package.pack(b'abc')\n"
        "assert isinstance(p, tuple) and p._fields == ('data', 'crc', 'size')\n"
        "assert pickle.loads(pickle.dumps(p)) == p and p.size == 3\n"
        "print('ok')\n"
    )
    assert out == "ok"


def test_outcome_is_a_plain_record_at_run_time_and_pickles():
    out = _fresh(
        "import sys, pickle\n"
        "from digestkit.parallel import Outcome, pmap\n"
        "assert Outcome.__mro__[1:] == (object,)\n"
        "o = Outcome(1, None, ('w',))\n"
        "assert pickle.loads(pickle.dumps(o)) == o and o.unwrap() == 1\n"
        "assert [x.unwrap() for x in pmap(abs, [-1, -2], jobs=1)] == [1, 2]\n"
        "print('typing' in sys.modules, 'dataclasses' in sys.modules)\n"
    )
    assert out == "False False"
