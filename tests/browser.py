"""Headless Chromium driven through the DevTools protocol over a pipe, for the HTML writer's tests.

Why not playwright-core: it would need Node (or the Python package's bundled driver, ~40 MB) to
drive a browser we already have; the DevTools protocol over ``--remote-debugging-pipe`` is
NUL-terminated JSON on file descriptors 3 and 4, which the standard library speaks in ~100
lines with no dependency, no port to open and no websocket client. ``--dump-dom`` alone could not
report console errors or network requests.

:func:`open_page` loads one file and reports what a reader's browser would do with it: every
request it made (``Network.requestWillBeSent``), every console error or uncaught exception
(``Runtime``/``Log`` domains), the visible text (``innerText``, which skips ``display: none``
and ``hidden``) and optionally a PNG screenshot of the whole page. A proxy that leads nowhere
keeps any request the page makes from leaving the machine (it is still reported).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["PageReport", "chromium", "open_page", "open_pages"]


def chromium() -> str | None:
    """The system Chromium (Debian's ``chromium``; what ``conftest.require_tool`` checks), or None."""
    return shutil.which("chromium")


@dataclass
class PageReport:
    """What happened when a page was opened."""

    url: str
    text: str = ""
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    screenshot: bytes | None = None


class _Browser:
    def __init__(self, exe: str, width: int, height: int) -> None:
        self.profile = tempfile.TemporaryDirectory(prefix="digestkit-chromium-")
        to_child_r, self._w = os.pipe()
        self._r, from_child_w = os.pipe()

        def fds() -> None:  # the child's fd 3 reads our commands, fd 4 writes its answers
            # via fresh descriptors first: the pipe's own may be 3 or 4 already
            a, b = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(a, 3, inheritable=True)
            os.dup2(b, 4, inheritable=True)

        args = [
            exe, "--headless", "--remote-debugging-pipe", "--no-first-run",
            "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--metrics-recording-only", "--disable-default-apps", "--mute-audio",
            "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            f"--user-data-dir={self.profile.name}", f"--window-size={width},{height}",
            "--hide-scrollbars", "--force-color-profile=srgb", "--lang=zh-CN",
        ]  # fmt: skip
        # The pages are the tests' own output; Chromium's sandbox refuses to start as root and
        # in containers without user namespaces (many CI runners), so it is not used.
        args.append("--no-sandbox")
        self.proc = subprocess.Popen(
            args, preexec_fn=fds, close_fds=False,  # preexec_fn: single-threaded tests
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None, timeout: float = 60) -> dict[str, Any]:  # fmt: skip
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        want = self._id
        deadline = time.monotonic() + timeout
        while True:
            reply = self._next(deadline)
            if reply.get("id") == want:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})  # type: ignore[no-any-return]
            self.events.append(reply)

    def _next(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer")
            ready, _, _ = select.select([self._r], [], [], left)
            if ready:
                chunk = os.read(self._r, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buf += chunk
        raw, _, self._buf = self._buf.partition(b"\0")
        return json.loads(raw)  # type: ignore[no-any-return]

    def pump(self, seconds: float) -> None:
        """Collect events for ``seconds``."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                self.events.append(self._next(deadline))
            except TimeoutError:
                return

    def wait_for(self, method: str, session: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method and e.get("sessionId") == session
                      for e in self.events):  # fmt: skip
            self.events.append(self._next(deadline))

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", timeout=10)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)
        self.profile.cleanup()


def _errors(events: list[dict[str, Any]], session: str) -> list[str]:
    out = []
    for e in events:
        if e.get("sessionId") != session:
            continue
        p = e.get("params", {})
        match e.get("method"):
            case "Runtime.consoleAPICalled" if p.get("type") in ("error", "assert"):
                out.append("console: " + " ".join(str(a.get("value", a.get("description")))
                                                  for a in p.get("args", [])))  # fmt: skip
            case "Runtime.exceptionThrown":
                out.append("exception: " + str(p.get("exceptionDetails", {}).get("text")))
            case "Log.entryAdded" if p.get("entry", {}).get("level") == "error":
                out.append(f"log: {p['entry'].get('text')} {p['entry'].get('url', '')}")
    return out


def open_pages(
    paths: list[Path], *, evaluate: dict[str, str] | None = None, screenshot: bool = False,
    width: int = 900, height: int = 1200, settle: float = 1.0, dark: bool = False,
    media: str = "", scroll_to: str | None = None,
) -> list[PageReport]:  # fmt: skip
    """Open each file in a fresh tab of one headless Chromium and report on it.

    ``evaluate`` maps a name to a JavaScript expression whose (JSON) value is reported;
    ``dark`` emulates ``prefers-color-scheme: dark``, ``media`` a media type (``"print"``);
    ``scroll_to`` (a CSS selector) scrolls that element to the top before the screenshot.
    """
    exe = chromium()
    if exe is None:
        raise FileNotFoundError("chromium")
    browser = _Browser(exe, width, height)
    reports = []
    try:
        for path in paths:
            url = path.resolve().as_uri()
            target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.send("Target.attachToTarget",
                                   {"targetId": target, "flatten": True})["sessionId"]  # fmt: skip
            for domain in ("Page", "Runtime", "Log", "Network"):
                browser.send(f"{domain}.enable", session=session)
            browser.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                         "deviceScaleFactor": 1, "mobile": False}, session=session)  # fmt: skip
            scheme = [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]
            browser.send("Emulation.setEmulatedMedia", {"media": media, "features": scheme},
                         session=session)  # fmt: skip
            start = len(browser.events)
            browser.send("Page.navigate", {"url": url}, session=session)
            browser.wait_for("Page.loadEventFired", session)
            browser.pump(settle)  # late requests (lazy images, fonts) and console messages
            events = browser.events[start:]
            report = PageReport(url)
            # data: URLs are decoded in place, not fetched: they are no request
            report.requests = [e["params"]["request"]["url"] for e in events
                               if e.get("method") == "Network.requestWillBeSent"
                               and e.get("sessionId") == session
                               and not e["params"]["request"]["url"].startswith("data:")]  # fmt: skip
            report.errors = _errors(events, session)
            text = browser.send("Runtime.evaluate", {"expression": "document.body.innerText",
                                "returnByValue": True}, session=session)  # fmt: skip
            report.text = text["result"].get("value", "")
            for name, expr in (evaluate or {}).items():
                got = browser.send("Runtime.evaluate", {"expression": expr, "awaitPromise": True,
                                   "returnByValue": True}, session=session)  # fmt: skip
                report.values[name] = got["result"].get("value")
            if scroll_to:
                browser.send("Runtime.evaluate", {"expression": "document.querySelector("
                             f"{json.dumps(scroll_to)}).scrollIntoView()"}, session=session)  # fmt: skip
                browser.pump(0.3)
            if screenshot:
                shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
                report.screenshot = base64.b64decode(shot["data"])
            browser.send("Target.closeTarget", {"targetId": target})
            reports.append(report)
    finally:
        browser.close()
    return reports


def open_page(path: Path, **kwargs: Any) -> PageReport:
    """:func:`open_pages` for one file."""
    return open_pages([path], **kwargs)[0]
