"""A reveal.js deck behaves as Quarto's do when it sets nothing: the right arrow steps through every
slide, those under a level-1 section included (``navigation-mode: linear``), no arrows show (``controls:
auto``), no transition, the date in ISO form; a ``{.center}`` slide is centred vertically; ``smaller: true`` makes every
slide's text smaller and keeps its title's size. A deck's own ``css`` styles it over its theme; one that is
missing is named and left out, and the deck is still written, as Quarto writes it.
Checked in headless Chromium."""

from __future__ import annotations

import re
import time

import pytest
from bs4 import BeautifulSoup

from .browser import REVEAL_READY, Browser
from .conftest import render_cli

DECK = """\
---
title: Defaults
date: "December 5, 2024"
format:
  revealjs:
    smaller: {smaller}
    css: [deck.css, gone.css]
---

# Part one {{.center}}

## First

Body text.

## Second

More text.

## Centred {{.center}}

In the middle.

## Code

```python
print("copy me")
```

## Drawing

<svg viewBox="0 0 100 20" width="100%"><rect width="100" height="20"/></svg>
"""


WARNINGS: dict[str, str] = {}


def _render(folder, smaller: str):
    (folder / "deck.qmd").write_text(DECK.format(smaller=smaller), encoding="utf-8")
    # a background the author kept elsewhere (not in the repository) and one that is there
    (folder / "deck.css").write_text('.reveal .slides h2 { color: rgb(1, 2, 3); }\n'
                                     '.reveal .slides { background-image: url("BG.svg"); }\n'
                                     '.reveal .slides h1 { background: url(dot.png) no-repeat; }\n', encoding="utf-8")
    from PIL import Image

    Image.new("RGB", (4, 4), (9, 99, 199)).save(folder / "dot.png")
    code, stderr = render_cli(str(folder / "deck.qmd"), "--output-dir", str(folder))
    assert code == 0, stderr
    WARNINGS[smaller] = stderr
    return folder / "deck.html"


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict:
    return {name: _render(tmp_path_factory.mktemp(name), name) for name in ("true", "false")}


def test_the_right_arrow_reaches_every_slide_and_no_arrows_show(decks):
    with Browser(1280, 720) as browser:
        browser.open(decks["false"].as_uri(), wait_for=REVEAL_READY)
        seen = []
        for _ in range(3):
            browser.key("ArrowRight")
            browser.wait("!document.querySelector('.reveal .slides').classList.contains('animating')", timeout=5)
            seen.append(browser.evaluate("Reveal.getCurrentSlide().querySelector('h1, h2').textContent"))
        config = browser.evaluate("[Reveal.getConfig().navigationMode, Reveal.getConfig().controls, "
                                  "Reveal.getConfig().transition]")
    assert seen == ["Part one", "First", "Second"]  # First and Second sit under Part one's section
    assert config == ["linear", False, "none"]


def test_a_title_slide_shows_the_date_in_quartos_iso_style(decks):
    # as Quarto 1.7 shows public decks dated "September 15, 2025": 2025-09-15 (date-format's default outside
    # an HTML page's title block is iso)
    page = decks["false"].read_text(encoding="utf-8")
    assert '<p class="date">2024-12-05</p>' in page
    # a section's title slide centred by its author as well as by Quarto: one "center" in its classes
    assert 'id="part-one" class="title-slide slide level1 center"' in page


def test_smaller_makes_the_text_smaller_and_keeps_the_titles(decks):
    sizes = {}
    for name, path in decks.items():
        with Browser(1280, 720) as browser:
            browser.open(path.as_uri(), wait_for=REVEAL_READY)
            browser.evaluate("Reveal.slide(1, 1)")
            sizes[name] = browser.evaluate(
                "(() => { const s = Reveal.getCurrentSlide(); return [getComputedStyle(s.querySelector('p')).fontSize,"
                " getComputedStyle(s.querySelector('h2')).fontSize,"
                " getComputedStyle(document.querySelector('#title-slide h1')).fontSize,"
                " getComputedStyle(document.querySelector('section.title-slide:not(#title-slide) h1')).fontSize];"
                " })()")
    body = {name: float(size[0].rstrip("px")) for name, size in sizes.items()}
    assert abs(body["true"] / body["false"] - 0.7) < 0.02
    # slide titles, the deck's title and a section's title slide keep their size
    assert sizes["true"][1:] == sizes["false"][1:]


def _on_slide(deck, vertical: int, expression: str):
    """``expression`` evaluated on the deck's slide (1, ``vertical``) in Chromium, where ``s`` is the slide."""
    with Browser(1280, 720) as browser:
        browser.open(deck.as_uri(), wait_for=REVEAL_READY)
        browser.evaluate(f"Reveal.slide(1, {vertical})")
        return browser.evaluate(f"(s => {expression})(Reveal.getCurrentSlide())")


def test_a_center_slide_sits_in_the_middle(decks):
    box = _on_slide(decks["false"], 3, "[s.querySelector('h2').getBoundingClientRect().top,"
                                       " s.querySelector('p').getBoundingClientRect().bottom]")
    middle = (box[0] + box[1]) / 2
    assert abs(middle - 720 / 2) < 720 * 0.1, box


def test_code_blocks_have_a_copy_button_on_hover(decks):
    with Browser(1280, 720) as browser:
        browser.open(decks["false"].as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(1, 4)")
        browser.wait("Reveal.getIndices().v === 4 && !!document.querySelector('.code-copy-button')", timeout=10)
        button = "Reveal.getCurrentSlide().querySelector('.code-with-copy > .code-copy-button')"
        assert browser.evaluate(f"{button}.classList.contains('on-hover')")
        assert browser.evaluate(f"getComputedStyle({button}).opacity") == "0"  # shown over the block only
    # in the file as Quarto writes a deck's: inside the pre, which is marked code-with-copy
    page = decks["false"].read_text(encoding="utf-8")
    assert re.search(r'<pre [^>]*class="[^"]*code-with-copy[^"]*"[^>]*>.*?<button [^>]*class="code-copy-button '
                     r'on-hover"[^>]*>.*?</button></pre>', page, re.S)


def test_an_inline_svg_drawn_at_the_full_width_fills_the_slide(decks):
    # reveal.js (and Quarto's theme) hold images to 95 % of the slide, not an author's own <svg>: a course's
    # diagram at width="100%" lost its labels at the right edge
    widths = _on_slide(decks["false"], 5, "[s.querySelector('svg').getBoundingClientRect().width,"
                                          " s.getBoundingClientRect().width]")
    assert abs(widths[0] - widths[1]) < 1, widths


def test_scroll_view_and_options_pandocs_template_leaves_out_reach_reveal(tmp_path):
    (tmp_path / "scroll.qmd").write_text(
        "---\ntitle: Scroll\nformat:\n  revealjs:\n    scroll-view:\n      snap: proximity\n"
        "    jump-to-slide: false\n    auto-animate-duration: 2\n    width: 95%\n---\n\n## One\n\nText.\n\n"
        "## Two\n\nMore.\n")
    code, stderr = render_cli(str(tmp_path / "scroll.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "scroll.html").as_uri(), wait_for=REVEAL_READY)
        browser.wait("Reveal.getConfig().autoAnimateDuration === 2", timeout=5)
        seen = browser.evaluate("(() => { const c = Reveal.getConfig(); return [Reveal.isScrollView(), c.scrollSnap, "
                                "c.jumpToSlide, c.autoAnimateDuration, c.width]; })()")
    # the deck scrolls, with its settings; a width in percent is a string to reveal.js (bare, it stopped the script)
    assert seen == [True, "proximity", False, 2, "95%"]


def test_scroll_view_without_snapping_and_one_that_starts_below_its_activation_width(tmp_path):
    settings = {"nosnap": "      snap: false\n", "narrow": "      activate: false\n      activation-width: 2000\n",
                "wide": "      activate: false\n      activation-width: 600\n"}
    for name, setting in settings.items():
        (tmp_path / f"{name}.qmd").write_text(f"---\ntitle: Scroll\nformat:\n  revealjs:\n    scroll-view:\n{setting}"
                                              "---\n\n## One\n\nText.\n\n## Two\n\nMore.\n")
        code, stderr = render_cli(str(tmp_path / f"{name}.qmd"), "--output-dir", str(tmp_path))
        assert code == 0, stderr
    seen = {}
    with Browser(1280, 720) as browser:
        for name in settings:
            browser.open((tmp_path / f"{name}.html").as_uri(), wait_for=REVEAL_READY)
            time.sleep(0.3)
            seen[name] = browser.evaluate("[Reveal.isScrollView(), Reveal.getConfig().scrollSnap]")
    assert seen["nosnap"] == [True, False]  # reveal.js's false, not the string "False"
    # activate: false: a scroll view only in a window narrower than its width (1280 px here)
    assert seen["narrow"][0] is True and seen["wide"][0] is False, seen


def test_the_decks_own_css_styles_it_over_its_theme_and_a_missing_one_is_named(decks):
    with Browser(1280, 720) as browser:
        browser.open(decks["false"].as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(1, 1)")
        colours = browser.evaluate("[getComputedStyle(Reveal.getCurrentSlide().querySelector('h2')).color,"
                                   " getComputedStyle(document.querySelector('#title-slide h1')).color,"
                                   " getComputedStyle(document.querySelector('#title-slide h1')).backgroundImage]")
    assert colours[0] == "rgb(1, 2, 3)"  # the deck's rule wins over the theme's heading colour
    assert colours[1] != "rgb(1, 2, 3)"
    assert "css: gone.css does not exist" in WARNINGS["false"]
    # a file its css refers to that is not there is named, and the rest of it applies (the page embeds what its
    # css uses, and pandoc stopped the render at the missing file)
    assert "deck.css refers to BG.svg, which does not exist" in WARNINGS["false"]
    assert colours[2].startswith('url("data:image/png;base64,')


CENTRED_DECK = """\
---
title: Centred
format:
  revealjs:
    center: true
    scrollable: true
    slide-number: true
    navigation-mode: vertical
    css: own.css
---

# Part

## Points in [a link](https://example.org)

- `inline` code in the deck's own colour

::: aside
A source, after the text.
:::

## Picture

![](wide.png){.r-stretch}
"""
# a deck's stylesheet as real ones write it: its code colour, and its title slide left-aligned
OWN_CSS = ".reveal code { color: rgb(207, 63, 2); }\n" \
          ".reveal #title-slide { text-align: left !important; justify-content: left !important; }\n"


def test_a_centred_vertical_deck_numbers_slides_h_v_and_keeps_asides_after_the_text(tmp_path):
    from PIL import Image

    Image.new("RGB", (800, 400), (40, 120, 200)).save(tmp_path / "wide.png")
    (tmp_path / "deck.qmd").write_text(CENTRED_DECK, encoding="utf-8")
    (tmp_path / "own.css").write_text(OWN_CSS, encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "deck.html").as_uri(), wait_for=REVEAL_READY)
        # the title slide centred by reveal.js (its class "center"), whatever the deck's own rules say
        title = browser.evaluate("(r => [r.top, r.bottom])(document.querySelector('#title-slide h1')"
                                 ".getBoundingClientRect())")
        assert abs((title[0] + title[1]) / 2 - 360) < 72, title
        assert browser.evaluate("Reveal.getConfig().slideNumber") == "h.v"  # Quarto's, for vertical stacks
        browser.evaluate("Reveal.slide(1, 1)")
        browser.wait("Reveal.getIndices().v === 1")
        assert browser.evaluate("document.querySelector('.slide-number').innerText.replace(/\\s/g, '')") == "2.2"
        points = browser.evaluate("""(() => {
            const slide = Reveal.getCurrentSlide(), code = slide.querySelector('li code');
            const aside = slide.querySelector('aside:not(.notes)'), list = slide.querySelector('ul');
            return [getComputedStyle(code).color, getComputedStyle(code).fontSize,
                    getComputedStyle(code.parentElement).fontSize, getComputedStyle(aside).position,
                    aside.getBoundingClientRect().top - list.getBoundingClientRect().bottom];
        })()""")
        assert points[0] == "rgb(207, 63, 2)"  # the deck's own .reveal code rule wins, as in Quarto
        assert float(points[1][:-2]) == pytest.approx(0.875 * float(points[2][:-2]), abs=0.1)
        # in a centred deck the aside follows the text (the slide, scrollable with it, places it as Quarto does)
        assert points[3] == "relative" and 0 <= points[4] < 80
        # every slide "center", as Quarto marks them: centred by reveal.js even with scrollable: true, and one
        # marked scrollable (its aside) scrolls without losing its place
        slide = browser.evaluate("(s => [s.classList.contains('center'), parseFloat(s.style.top), "
                                 "getComputedStyle(s).overflowY])(Reveal.getCurrentSlide())")
        assert slide[0] and slide[1] > 100 and slide[2] == "auto", slide
        # a link in a slide's title in the text's weight, as Quarto's decks show it
        weights = browser.evaluate("(h => [getComputedStyle(h).fontWeight, getComputedStyle(h.querySelector('a'))"
                                   ".fontWeight])(Reveal.getCurrentSlide().querySelector('h2'))")
        assert int(weights[0]) >= 600 and weights[1] == "400"
        browser.evaluate("Reveal.slide(1, 2)")
        browser.wait("Reveal.getIndices().v === 2")
        # an author's .r-stretch image outside a figure stays at the left of the line, as Quarto leaves it
        left = browser.evaluate("(s => s.querySelector('img.r-stretch').getBoundingClientRect().left - "
                                "s.getBoundingClientRect().left)(Reveal.getCurrentSlide())")
        assert abs(left) < 2


def test_scrollable_makes_slides_scroll_but_a_sections_centred_title_slide_keeps_its_height(tmp_path):
    (tmp_path / "deck.qmd").write_text("---\ntitle: Scroll\nformat:\n  revealjs:\n    scrollable: true\n---\n\n"
                                       "# Part\n\n## Long\n\nText.\n\n## Noted\n\nText^[A note.] here.\n\n"
                                       "## Aside\n\nText.\n\n::: aside\nBeside.\n:::\n",
                                       encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    overflow = "(s => [s.className.includes('center'), getComputedStyle(s).overflowY])(Reveal.getCurrentSlide())"
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "deck.html").as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(1, 0)")
        section = browser.evaluate(overflow)
        browser.evaluate("Reveal.slide(1, 1)")
        slide = browser.evaluate(overflow)
        browser.evaluate("Reveal.slide(1, 2)")
        noted = browser.evaluate("(s => [s.classList.contains('scrollable'), getComputedStyle(s.querySelector('aside'))"
                                 ".position])(Reveal.getCurrentSlide())")
        unnoted = browser.evaluate("document.getElementById('long').classList.contains('scrollable')")
        aside = browser.evaluate("document.getElementById('aside').classList.contains('scrollable')")
    assert section == [True, "visible"]  # no scrollbar beside a section's title, as Quarto's rule leaves it
    assert slide == [False, "auto"]
    # a slide with footnotes or an aside is marked scrollable, as Quarto marks it: they follow its text
    assert noted == [True, "relative"] and unnoted is False and aside is True


def test_a_slides_asides_after_a_pause_show_from_the_start_gathered_at_its_foot(tmp_path):
    (tmp_path / "deck.qmd").write_text(
        "---\ntitle: Asides\nformat: revealjs\n---\n\n## Lexikon\n\n- First point\n\n. . .\n\n- Later point\n\n"
        "::: aside\nStrings and Bytes\n:::\n\n::: aside\nA second note\n:::\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "deck.html").as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(1, 0, -1)")  # before the pause's fragment shows
        seen = browser.evaluate("""(s => {
            const asides = s.querySelectorAll('aside:not(.notes)');
            return [asides.length, asides[0].parentElement === s, getComputedStyle(asides[0]).visibility,
                    asides[0].innerText.trim().split(/\\n+/),
                    getComputedStyle(s.querySelector('.fragment')).visibility];
        })(Reveal.getCurrentSlide())""")
    assert seen == [1, True, "visible", ["Strings and Bytes", "A second note"], "hidden"]


def test_an_aside_written_before_a_pause_ends_its_slide_as_in_quartos_deck(tmp_path):
    # Duke's Sta 663 decks write the aside right under the slide's first block, then pause
    (tmp_path / "deck.qmd").write_text(
        "---\ntitle: Asides\nformat: revealjs\n---\n\n## Arguments\n\nThe rule.\n\n::: aside\nBased on the tutorial\n"
        ":::\n\n. . .\n\nAn example.\n\n## Next\n\nMore.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "deck.html").read_text(encoding="utf-8"), "html.parser")
    children = [child for child in soup.select_one("section#arguments").children if getattr(child, "name", None)]
    assert [child.name for child in children] == ["h2", "p", "div", "aside"]
    assert "fragment" in children[2]["class"] and children[3].get_text(strip=True) == "Based on the tutorial"
    assert not soup.select("section#next aside")


def test_output_location_set_for_the_whole_deck_makes_every_cells_output_a_fragment(tmp_path):
    (tmp_path / "deck.qmd").write_text(
        "---\ntitle: Outputs\nformat: revealjs\noutput-location: fragment\necho: true\n---\n\n## Code\n\n"
        "```{python}\nprint('after a click')\n```\n\n```{python}\n#| eval: false\nshown_only = True\n```\n",
        encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "deck.html").as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(1)")
        output = "(o => [o.closest('.fragment') !== null, getComputedStyle(o).visibility])(" \
                 "Reveal.getCurrentSlide().querySelector('.cell-output'))"
        before = browser.evaluate(output)
        browser.evaluate("Reveal.next()")
        browser.wait(f"{output}[1] === 'visible'", timeout=10)  # shown on the next step, as in Quarto
        # a cell without output still takes a step of its own, as Quarto's empty fragment does
        steps = browser.evaluate("Reveal.getCurrentSlide().querySelectorAll('.fragment').length")
    assert before == [True, "hidden"] and steps == 2


def test_a_slides_footnotes_join_its_aside_and_headings_are_semibold_on_every_theme_as_in_quarto(tmp_path):
    # a Quarto 1.1 deck on the simple theme (caichinger/slides-using-quarto): the footnote's list inside the
    # slide's aside, never in the speaker's notes; headings at Quarto's 600 where reveal.js's simple has normal
    (tmp_path / "deck.qmd").write_text(
        "---\ntitle: Notes\nformat:\n  revealjs:\n    theme: simple\n---\n\n## Footnotes\n\n- Green ^[A footnote]\n\n"
        "::: aside\nSome commentary.\n:::\n\n## Spoken\n\nText.^[Another note]\n\n::: notes\nSay this.\n:::\n",
        encoding="utf-8")
    (tmp_path / "light.scss").write_text("/*-- scss:defaults --*/\n$presentation-heading-font-weight: normal;\n",
                                         encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    (tmp_path / "own.qmd").write_text((tmp_path / "deck.qmd").read_text(encoding="utf-8").replace(
        "theme: simple", "theme: [simple, light.scss]"), encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "own.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "deck.html").as_uri(), wait_for=REVEAL_READY)
        seen = browser.evaluate("""[...document.querySelectorAll('.reveal .slides > section.slide')].map(s => [
            s.querySelectorAll('aside:not(.notes)').length,
            [...s.querySelectorAll('aside:not(.notes)')].map(a => a.innerText.trim().split(/\\n+/)),
            s.querySelector('aside.notes') ? s.querySelector('aside.notes').innerText.trim() : null])""")
        weight = browser.evaluate("getComputedStyle(document.querySelector('#footnotes h2')).fontWeight")
        browser.open((tmp_path / "own.html").as_uri(), wait_for=REVEAL_READY)
        own_weight = browser.evaluate("getComputedStyle(document.querySelector('#footnotes h2')).fontWeight")
    assert seen[0] == [1, [["Some commentary.", "A footnote"]], None]
    # in the file too, as Quarto writes it: one aside holding the commentary and the list
    from bs4 import BeautifulSoup

    slide = BeautifulSoup((tmp_path / "deck.html").read_text(encoding="utf-8"), "html.parser").select_one(
        "section#footnotes")
    assert [len(a.select("ol.aside-footnotes")) for a in slide.find_all("aside")] == [1]
    assert seen[1][0] == 1 and seen[1][2] == "Say this."  # the note's number under the text, not in the notes
    assert weight == "600" and own_weight == "400"  # a deck's own weight wins
