"""SIGTERM and SIGHUP during a real weekly run leave no ``.<name>.part`` (issue 25, point 11).

Each test starts ``digestkit weekly`` as a subprocess writing a PDF (the longest window with the
temporary file open: WeasyPrint lays the book out after ``atomic_write`` opened it), waits until
the ``.part`` file is there, sends the signal, and checks the folder: no ``.part``, no book, and
the exit status a shell reports for the signal (128 + its number).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import require_tool

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _wait_for_part(folder: Path, proc: subprocess.Popen[str], timeout: float = 240) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.endswith(".part") for p in folder.iterdir()):
            return True
        time.sleep(0.02)
    return False


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_a_weekly_run_leaves_no_part_file(tmp_path, signame):
    require_tool("fc-list")  # the PDF writer checks the CJK fonts first
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "digestkit", "-q", "weekly", str(FIXTURES), "-o",
         str(out / "book.pdf"), "--no-cache", "--jobs", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert _wait_for_part(out, proc), "the run ended before writing: " + proc.communicate()[1]
        proc.send_signal(getattr(signal, signame))
        _, err = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + getattr(signal, signame), err
    assert f"stopped by {signame}" in err
    assert sorted(p.name for p in out.iterdir()) == []  # no .book.pdf.….part, no half book


def test_outside_the_main_thread_nothing_changes():
    """Python sets no handler outside the main thread: the call changes nothing and says so by
    returning a restore that has nothing to restore (and here, none are replaced)."""
    import signal
    import threading

    from digestkit.signals import terminate_by_exception

    before = signal.getsignal(signal.SIGTERM)
    done: list[object] = []

    def work() -> None:
        restore = terminate_by_exception()
        done.append(signal.getsignal(signal.SIGTERM))
        restore()

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert done == [before]
    restore = terminate_by_exception()  # the main thread: replaced, then put back
    assert signal.getsignal(signal.SIGTERM) is not before
    restore()
    assert signal.getsignal(signal.SIGTERM) is before
