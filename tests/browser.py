"""Drive headless Chromium over the DevTools protocol: open a page, run JavaScript, click, screenshot.

A real browser, not a DOM parser: the page's own scripts run (tabs, plotly, JupyterLab). The
protocol is spoken with ``websocket-client``; Chromium is Debian's ``chromium`` (installed by .ci/run).
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import websocket

from .conftest import require_tool

# Reveal.isReady() turns true a tick before reveal.js puts "ready" on the .reveal element (its 'ready'
# event fires from a timeout), so a test that waits for the deck waits for both.
REVEAL_READY = "window.Reveal && Reveal.isReady() && document.querySelector('.reveal.ready') !== null"


class Browser:
    """One headless Chromium with a fresh profile and a single page; use it as a context manager."""

    def __init__(self, width: int = 1280, height: int = 900) -> None:
        binary = require_tool("chromium")
        self._profile = tempfile.TemporaryDirectory(prefix="chromium-profile-", ignore_cleanup_errors=True)
        self._process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", "--disable-quic",
             "--remote-debugging-port=0", f"--user-data-dir={self._profile.name}", f"--window-size={width},{height}",
             "about:blank"], stderr=subprocess.PIPE, text=True, start_new_session=True)
        port = self._devtools_port()
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        page = next(t for t in targets if t["type"] == "page")
        self._socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self._ids = itertools.count(1)
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Emulation.setFocusEmulationEnabled", enabled=True)  # :focus works in a headless window
        self.resize(width, height)

    def _devtools_port(self) -> int:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self._process.stderr.readline()
            found = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if found:
                return int(found[1])
        raise RuntimeError("chromium did not start its DevTools server")

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        message_id = next(self._ids)
        self._socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def resize(self, width: int, height: int) -> None:
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=width < 700)

    def open(self, url: str, wait_for: str = "document.readyState === 'complete'", timeout: float = 60) -> None:
        # the document open now is marked, so that the wait is for the new one: opening the same page again
        # (a reader coming back to it) found the old one still "complete" and read it, or the new one half loaded
        self.send("Runtime.evaluate", expression="window.__qmdLeaving = true")
        navigated = self.send("Page.navigate", url=url)
        if navigated.get("loaderId"):  # a new document (not a jump to an anchor of this one)
            wait_for = f"!window.__qmdLeaving && ({wait_for})"
        self.wait(wait_for, timeout)

    def open_once_stored(self, url: str, stored: str, timeout: float = 20) -> None:
        """Opens ``url`` as a page that sees the ``stored`` condition on localStorage hold. Chromium hands a page's
        localStorage writes (and clears) to its storage service on their own channel, so on a loaded machine a
        page opened at once may start before the last page's write reaches it (CI saw this once): then wait
        until the store has it and open the page again, which reads it."""
        self.open(url)
        if not self.evaluate(f"Boolean({stored})"):
            self.wait(stored, timeout)
            self.open(url)

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait(self, condition: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self._holds(condition):
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} s for {condition}")
            time.sleep(0.2)

    def _holds(self, condition: str) -> bool:
        """Whether ``condition`` holds now; not yet while the page is being replaced (a redirect, a reload),
        where Chromium answers that the page it was asked about is gone."""
        try:
            return bool(self.evaluate(f"Boolean({condition})"))
        except RuntimeError as error:
            if any(gone in str(error) for gone in ("navigated or closed", "context was destroyed",
                                                   "Cannot find context")):
                return False
            raise

    def click(self, selector: str) -> None:
        """A real mouse click at the element's centre (not a synthetic el.click())."""
        box = self.evaluate(f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
                            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def key(self, key: str) -> None:
        codes = {"ArrowRight": 39, "ArrowLeft": 37, "Enter": 13}
        code = codes.get(key, ord(key.upper()) if len(key) == 1 and key.isalnum() else 0)  # a letter: its key code
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=kind, key=key, windowsVirtualKeyCode=code)

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", **params)["data"]))
        return path

    def close(self) -> None:
        try:
            # Asked to close, Chromium removes the /tmp/org.chromium.Chromium.* folder of its singleton
            # socket; a signal leaves one behind per browser.
            with contextlib.suppress(Exception):
                self.send("Browser.close")
                self._process.wait(timeout=10)
            self._socket.close()
        finally:
            # Chromium's helper processes (network service, crash handler) outlive the browser process and
            # write into the profile after it exits, so the whole process group goes, then the profile.
            self._signal_group(signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self._process.wait(timeout=10)
            time.sleep(0.1)
            self._signal_group(signal.SIGKILL)
            self._profile.cleanup()

    def _signal_group(self, number: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, number)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
