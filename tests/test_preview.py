"""``preview`` with a real server, a real kernel kept warm and a real Chromium watching the page.

The page must follow edits (prose, code), show a failed render over the last good page and drop the
overlay once fixed, keep the reader's scroll position; a warm kernel's results must equal a cold
render's, even when a cell was deleted in between; bad input is one line and the preview goes on.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qmdrender.preview import preview

from .browser import REVEAL_READY, Browser
from .conftest import render_cli

DOCUMENT = """---
title: "Preview"
format: html
---

{prose}

```{{python}}
{code}
```

{filler}

The end of the page.
"""
FILLER = "\n\n".join(f"Paragraph {n} to make the page long enough to scroll." for n in range(80))


def _write(path: Path, prose: str = "First words.", code: str = 'print("answer", 6 * 7)') -> None:
    temporary = path.with_name(f".{path.name}.swp")  # as editors do: write elsewhere, then rename over it
    temporary.write_text(DOCUMENT.format(prose=prose, code=code, filler=FILLER))
    temporary.replace(path)


@pytest.fixture
def running(tmp_path) -> Iterator[tuple[Path, str, list[str]]]:
    document = tmp_path / "page.qmd"
    _write(document)
    ready, stop = threading.Event(), threading.Event()
    port = _free_port()
    thread = threading.Thread(target=preview, args=(document,), daemon=True,
                              kwargs={"port": port, "output_dir": tmp_path / "out", "ready": ready, "stop": stop})
    thread.start()
    assert ready.wait(120), "the first render did not finish"
    yield document, f"http://127.0.0.1:{port}/page.html", []
    stop.set()
    thread.join(30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _text(browser: Browser) -> str:
    return browser.evaluate("document.body.innerText")


def test_the_page_follows_edits_shows_errors_over_the_last_page_and_keeps_its_place(running):
    document, url, _ = running
    with Browser(width=1000, height=700) as browser:
        browser.open(url)
        assert "First words." in _text(browser) and "answer 42" in _text(browser)
        browser.evaluate("window.scrollTo(0, 1500)")
        _write(document, prose="Edited words.")
        browser.wait("!!document.body && document.body.innerText.includes('Edited words.')", timeout=60)
        browser.wait("document.readyState === 'complete' && window.scrollY > 1000", timeout=10)  # the place is kept
        _write(document, prose="Edited words.", code='print("answer", 6 * 9)')
        browser.wait("!!document.body && document.body.innerText.includes('answer 54')", timeout=60)
        _write(document, prose="Broken now.", code="print(undefined_name)")
        browser.wait("document.getElementById('qmdrender-preview-error') !== null", timeout=60)
        overlay = browser.evaluate("document.getElementById('qmdrender-preview-error').innerText")
        assert "NameError" in overlay and "undefined_name" in overlay
        assert "answer 54" in _text(browser) and "Broken now." not in _text(browser)  # the last good page stays
        _write(document, prose="Fixed again.", code='print("answer", 6 * 7)')
        browser.wait("!!document.body && document.body.innerText.includes('Fixed again.')", timeout=60)
        browser.wait("document.getElementById('qmdrender-preview-error') === null", timeout=10)
        assert "answer 42" in _text(browser)


def test_a_warm_kernel_gives_what_a_cold_render_gives_even_after_a_cell_is_deleted(running, tmp_path):
    document, _, _ = running
    code = ("import os, sys\nhidden = 'from the first run'\nos.environ['PREVIEW_LEAK'] = 'yes'\n"
            "sys.path.append('/nowhere')\nimport matplotlib\nmatplotlib.rcParams['lines.linewidth'] = 7")
    probe = ("names = sorted(n for n in globals() if not n.startswith('_') and n not in ('In', 'Out', 'exit', "
             "'quit', 'get_ipython', 'open'))\nimport os, sys, matplotlib\n"
             "print(names, os.environ.get('PREVIEW_LEAK'), '/nowhere' in sys.path, "
             "matplotlib.rcParams['lines.linewidth'])")
    _write(document, prose="With the cell.", code=f"{code}\n{probe}")
    html = tmp_path / "out" / "page.html"
    _wait_for(lambda: "With the cell." in html.read_text())
    _write(document, prose="Without the cell.", code=probe)  # the cell that set everything is gone
    _wait_for(lambda: "Without the cell." in html.read_text())
    warm = html.read_text()
    assert "<code>[] None False 1.5</code>" in warm  # no variable, environment variable, path or setting left
    code_cold, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(tmp_path / "cold"))
    assert code_cold == 0, stderr
    assert (tmp_path / "cold" / "page.html").read_text() == warm


def _wait_for(condition, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("the preview did not re-render in time")


def test_bad_input_is_one_line_and_the_preview_goes_on(running, tmp_path):
    document, url, _ = running
    html = tmp_path / "out" / "page.html"
    with Browser(width=900, height=600) as browser:
        browser.open(url)
        document.write_bytes(b"---\ntitle: x\n---\n\nNot UTF-8: \xff\xfe\n")
        browser.wait("document.getElementById('qmdrender-preview-error') !== null", timeout=60)
        assert "UTF-8" in browser.evaluate("document.getElementById('qmdrender-preview-error').innerText")
        document.unlink()
        browser.wait("!!document.getElementById('qmdrender-preview-error') && "
                     "document.getElementById('qmdrender-preview-error').innerText.includes('deleted')", timeout=60)
        _write(document, prose="Back again.")
        browser.wait("!!document.body && document.body.innerText.includes('Back again.')", timeout=60)
    assert "Back again." in html.read_text()


def test_a_port_in_use_is_one_clear_line(tmp_path):
    document = tmp_path / "page.qmd"
    _write(document)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "qmdrender", "preview", str(document), "--port", str(port),
                               "--output-dir", str(tmp_path / "out")], capture_output=True, text=True, timeout=60,
                              env={**os.environ})
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"error: port {port} on 127.0.0.1 cannot be used (Address already in use); pick another with --port N "
        "(0 picks a free one)."]


DECK = """---
title: "Deck"
format: revealjs
---

## One

{words}

## Two

Second slide.

## Three

Third slide.
"""


def test_a_deck_reloads_on_the_slide_the_reader_was_on(tmp_path):
    deck = tmp_path / "deck.qmd"
    deck.write_text(DECK.format(words="First words."))
    ready, stop = threading.Event(), threading.Event()
    port = _free_port()
    thread = threading.Thread(target=preview, args=(deck,), daemon=True,
                              kwargs={"port": port, "output_dir": tmp_path / "out", "ready": ready, "stop": stop})
    thread.start()
    try:
        assert ready.wait(120)
        with Browser(width=1000, height=700) as browser:
            browser.open(f"http://127.0.0.1:{port}/deck.html")
            browser.wait(REVEAL_READY, timeout=30)
            browser.evaluate("Reveal.slide(2)")
            deck.write_text(DECK.format(words="Changed words."))
            browser.wait("!!document.body && document.body.innerHTML.includes('Changed words.')", timeout=60)
            browser.wait(REVEAL_READY + " && Reveal.getIndices().h === 2", timeout=15)
    finally:
        stop.set()
        thread.join(30)


CELLS = """---
title: "Checkpoints"
format: html
---

```{{python}}
first = open("data.txt").read().strip()  # {first}
runs = []
```

Read `{{python}} first` first.

```{{python}}
import random
random.seed(3)
runs.append(random.random())
print("middle", first, runs)
```

```{{python}}
runs.append("last")
print("last", runs, {last!r})
```
"""


def _wait_idle(idle: threading.Event) -> None:
    assert idle.wait(120), "the preview did not become idle (no checkpoint ready)"


def _edit(document: Path, idle: threading.Event, html: Path, seen: str, **cells: str) -> None:
    idle.clear()
    document.write_text(CELLS.format(**cells))
    _wait_for(lambda: seen in html.read_text())
    _wait_idle(idle)


def _same_as_cold(document: Path, html: Path, folder: Path) -> None:
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(folder))
    assert code == 0, stderr
    assert (folder / "page.html").read_text() == html.read_text()


def test_a_code_edit_goes_on_from_a_checkpoint_of_the_unchanged_cells_and_equals_a_cold_render(tmp_path, capsys):
    document, html = tmp_path / "page.qmd", tmp_path / "out" / "page.html"
    (tmp_path / "data.txt").write_text("alpha")
    document.write_text(CELLS.format(first="v0", last="v0"))
    ready, stop, idle = threading.Event(), threading.Event(), threading.Event()
    thread = threading.Thread(target=preview, args=(document,), daemon=True,
                              kwargs={"port": 0, "output_dir": tmp_path / "out", "ready": ready, "stop": stop,
                                      "idle": idle})
    thread.start()
    try:
        assert ready.wait(120)
        _wait_idle(idle)  # the kernel has run ahead to before the last cell
        capsys.readouterr()
        _edit(document, idle, html, "v1", first="v0", last="v1")  # only the last cell changed
        assert "page.qmd: went on from a checkpoint after 3 of 4 steps" in capsys.readouterr().err
        text = html.read_text()
        drawn = random.Random(3).random()  # what the middle cell appends, computed here
        assert "Read alpha first." in text and f"last [{drawn!r}, &#39;last&#39;] v1" in text
        _same_as_cold(document, html, tmp_path / "cold1")

        _edit(document, idle, html, "v2", first="v2", last="v2")  # the first cell changed: no checkpoint fits
        assert "page.qmd: ran all 4 steps" in capsys.readouterr().err
        _same_as_cold(document, html, tmp_path / "cold2")

        _edit(document, idle, html, "v3", first="v2", last="v3")  # the next checkpoint is before the first cell
        _edit(document, idle, html, "v4", first="v2", last="v4")  # edits of the last cell: before it again
        assert "went on from a checkpoint after 3 of 4 steps" in capsys.readouterr().err
        idle.clear()
        (tmp_path / "data.txt").write_text("beta")  # a file a cell reads: the checkpoint must go
        _wait_idle(idle)
        capsys.readouterr()
        _edit(document, idle, html, "v5", first="v2", last="v5")
        assert "page.qmd: ran all 4 steps" in capsys.readouterr().err
        assert "Read beta first." in html.read_text()
        _same_as_cold(document, html, tmp_path / "cold3")
    finally:
        stop.set()
        thread.join(30)


def test_a_projects_preview_renders_a_folder_with_its_own_quarto_yml_in_the_projects_configuration(tmp_path):
    # as a project's render does (and Quarto): a module kept as a project of its own takes the outer project's
    # options in its preview too
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\nformat:\n  html:\n    title-prefix: Outer\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nHome page.\n")
    (tmp_path / "module").mkdir()
    (tmp_path / "module" / "_quarto.yml").write_text("project:\n  type: default\nformat:\n  html:\n"
                                                     "    title-prefix: Inner\n")
    (tmp_path / "module" / "lesson.qmd").write_text("---\ntitle: Lesson\n---\n\nA lesson.\n")
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=preview, args=(tmp_path,), daemon=True,
                              kwargs={"port": _free_port(), "output_dir": tmp_path / "out", "ready": ready,
                                      "stop": stop})
    thread.start()
    try:
        assert ready.wait(120), "the first render did not finish"
        lesson = next((tmp_path / "out").rglob("lesson.html")).read_text(encoding="utf-8")
        assert "<title>Outer" in lesson and "Inner" not in lesson
        assert "QMDRENDER_PROJECT_ROOT" in os.environ  # set while the preview runs ...
    finally:
        stop.set()
        thread.join(30)
    assert "QMDRENDER_PROJECT_ROOT" not in os.environ  # ... and only then
