"""WeasyPrint imported without fontTools' subsetter and instancer, and both still there when used.

Each check runs in a fresh interpreter: whether a module is loaded is the point, and the test
process has long imported WeasyPrint (and so fontTools) through other tests.
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import require_tool

_PROBE = """
import sys
from digestkit.writers.pdf.engine import require_engine
require_engine()
import weasyprint.pdf.fonts as fonts
print(sorted(m for m in ("fontTools.subset", "fontTools.varLib.instancer") if m in sys.modules))
{after}
"""


def _run(after: str = "") -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE.format(after=after)],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    return proc.stdout.splitlines()


def test_engine_import_leaves_the_subsetter_and_instancer_unloaded():
    assert _run()[0] == "[]"


def test_a_later_import_gets_the_real_modules_and_weasyprint_reaches_them():
    after = (
        "import fontTools.subset, fontTools.varLib.instancer as inst\n"
        "print(type(fontTools.subset).__name__, fonts.subset.Subsetter is fontTools.subset.Subsetter)\n"
        "inst.instantiateVariableFont = lambda *a, **k: ('real', a, k)\n"
        "print(fonts.instantiateVariableFont(1, 2, static=True))\n"
        "print(fonts.instantiateVariableFont.__name__)\n"
    )
    out = _run(after)
    assert out[1:] == ["module True", "('real', (1, 2), {'static': True})",
                       "instantiateVariableFont"]  # fmt: skip


def test_weasyprint_s_own_subsetter_works_through_the_stand_in(tmp_path):
    """Without HarfBuzz's subsetter WeasyPrint subsets with fontTools: the stand-in loads it,
    and the PDF has the text."""
    pdf = tmp_path / "fallback.pdf"
    after = (
        "fonts.harfbuzz_subset = None\n"
        "from digestkit.writers.pdf.engine import layout\n"
        "laid = layout('<html lang=\"zh-Hant\"><body><h1>標題</h1><p>正文 text</p></body></html>', {})\n"
        f"open({str(pdf)!r}, 'wb').write(laid.pdf)\n"
        "print('fontTools.subset' in sys.modules, laid.pages)\n"
    )
    out = _run(after)
    assert out[1] == "True 1"
    text = subprocess.run(
        [require_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "標題" in text and "正文 text" in text
