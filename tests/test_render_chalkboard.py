"""``chalkboard:`` on a reveal.js deck gives Quarto's notes canvas and chalkboard (the reveal.js-chalkboard
plugin, inlined), its buttons and menu tools, and drawings restored from ``src``; checked in headless
Chromium."""

from __future__ import annotations

import json
import time

import pytest

from .browser import REVEAL_READY, Browser
from .conftest import render_cli

DECK = """\
---
title: Board
format:
  revealjs:
    chalkboard:
      theme: whiteboard
      buttons: false
      src: drawings.json
---

## Plain slide

No buttons here.

## Buttons here {chalkboard-buttons="true"}

Draw on me.
"""

# One stroke on the first content slide (h = 1), in the plugin's own format (what D downloads).
DRAWINGS = [{"width": 1050, "height": 700, "data": [{"slide": {"h": 1, "v": 0}, "page": 1, "duration": 500,
             "events": [{"type": "draw", "color": 0, "x1": 100, "y1": 100, "x2": 300, "y2": 200, "time": 10}]}]},
            {"width": 1050, "height": 700, "data": []}]


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chalkboard")
    (folder / "deck.qmd").write_text(DECK, encoding="utf-8")
    (folder / "drawings.json").write_text(json.dumps(DRAWINGS), encoding="utf-8")
    code, stderr = render_cli(str(folder / "deck.qmd"), "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    assert "not supported" not in stderr and "warning" not in stderr.lower()
    return folder / "out" / "deck.html"


def test_chalkboard_buttons_follow_the_deck_and_slide_options_and_open_the_board(deck):
    with Browser(1280, 720) as browser:
        browser.open(deck.as_uri(), wait_for=REVEAL_READY)
        browser.wait("!!Reveal.getPlugin('RevealChalkboard') && !!document.querySelector('.slide-chalkboard-buttons')")
        bar = "getComputedStyle(document.querySelector('.slide-chalkboard-buttons')).display"
        browser.evaluate("Reveal.slide(1)")
        assert browser.evaluate(bar) == "none"  # buttons: false
        browser.evaluate("Reveal.slide(2)")
        browser.wait(f"{bar} === 'block'")  # the slide's chalkboard-buttons="true"
        # Quarto's two buttons: the easel (the board), then the brush (the notes canvas), beside the menu's
        assert browser.evaluate("[...document.querySelectorAll('.slide-chalkboard-buttons a')].map(a => a.title)") \
            == ["Toggle Chalkboard (b)", "Toggle Notes Canvas (c)"]
        assert browser.evaluate("document.querySelector('.slide-chalkboard-buttons').getBoundingClientRect().left") \
            == 54
        board = "document.getElementById('chalkboard').style.visibility"
        time.sleep(1.2)  # the plugin replays a slide's drawings after the transition, closing the board first
        browser.click(".slide-chalkboard-buttons a[data-tool=toggleChalkboard]")
        browser.wait(f"{board} === 'visible'", timeout=5)
        # the whiteboard's paper is inlined (the deck is one offline file)
        assert browser.evaluate("document.getElementById('chalkboard').style.background").startswith(
            'url("data:image/png;base64,')
        browser.key("b")
        browser.wait(f"{board} === 'hidden'", timeout=5)
        tools = browser.evaluate("[...document.querySelectorAll('.slide-tool-item')].map(e => e.textContent)")
        assert "b Toggle Chalkboard" in tools and "c Toggle Notes Canvas" in tools and tools[-1] == "? Keyboard Help"


def test_drawings_from_src_are_restored(deck):
    with Browser(1280, 720) as browser:
        browser.open(deck.as_uri(), wait_for=REVEAL_READY)
        browser.wait("!!window.RevealChalkboard && !!RevealChalkboard.getData")
        browser.wait("JSON.parse(RevealChalkboard.getData())[0].data.length === 1", timeout=10)
        restored = json.loads(browser.evaluate("RevealChalkboard.getData()"))
        assert restored[0]["data"][0]["events"] == DRAWINGS[0]["data"][0]["events"]


def test_a_missing_drawings_file_is_a_warning_and_the_board_starts_empty(tmp_path):
    # as Quarto writes the deck (a course's nine decks name a drawings.json it never committed)
    (tmp_path / "deck.qmd").write_text(DECK, encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "chalkboard src: drawings.json was not found" in stderr and "press D" in stderr
    deck = tmp_path / "out" / "deck.html"
    with Browser(1280, 720) as browser:
        browser.open(deck.as_uri(), wait_for=REVEAL_READY)
        browser.wait("!!window.RevealChalkboard && !!RevealChalkboard.getData")
        assert all(not board["data"] for board in json.loads(browser.evaluate("RevealChalkboard.getData()")))


def test_a_deck_without_chalkboard_has_neither_plugin_nor_buttons(tmp_path):
    (tmp_path / "deck.qmd").write_text("---\ntitle: T\nformat: revealjs\n---\n\n## S\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    page = (tmp_path / "deck.html").read_text(encoding="utf-8")
    assert "window.RevealChalkboard =" not in page and "slide-chalkboard-buttons" not in page
    assert "Toggle Chalkboard" not in page


def test_changed_drawings_re_render_a_frozen_deck(tmp_path):
    (tmp_path / "deck.qmd").write_text(DECK.replace("---\n\n## Plain", "execute:\n  freeze: auto\n---\n\n## Plain"),
                                       encoding="utf-8")
    (tmp_path / "drawings.json").write_text(json.dumps(DRAWINGS), encoding="utf-8")
    arguments = (str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert render_cli(*arguments)[0] == 0
    assert "up to date" in render_cli(*arguments)[1]
    (tmp_path / "drawings.json").write_text(json.dumps([*DRAWINGS[:1], {"width": 1, "height": 1, "data": []}]),
                                            encoding="utf-8")
    code, stderr = render_cli(*arguments)
    assert code == 0 and "up to date" not in stderr  # the inlined drawings are part of what the deck uses
