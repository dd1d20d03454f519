"""What real decks use, on both slide formats (reveal.js in headless Chromium, Beamer as PDF text).

``tests/documents/deck_features.qmd``: an aside and a footnote at the foot of a slide, an emoji
(``from: markdown+emoji``), stepped line highlighting (``code-line-numbers="|1|2"``), ``echo: false``
for reveal.js only, a cell's output in Beamer, a theorem and conditional content per slide format.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .browser import REVEAL_READY, Browser
from .conftest import pdf_text, render_cli, require_tool

DOCUMENTS = Path(__file__).resolve().parent / "documents"


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> dict:
    require_tool("xelatex")
    folder = tmp_path_factory.mktemp("deck-features")
    shutil.copy(DOCUMENTS / "deck_features.qmd", folder)
    from PIL import Image

    for name, colour in (("left.png", "red"), ("right.png", "blue")):
        Image.new("RGB", (300, 200), colour).save(folder / name)
    code, stderr = render_cli(str(folder / "deck_features.qmd"), "--to", "revealjs,beamer", "--output-dir",
                              str(folder))
    assert code == 0, stderr
    pages = pdf_text(folder / "deck_features.pdf").split("\f")
    return {"html_path": folder / "deck_features.html", "pages": [" ".join(p.split()) for p in pages]}


def test_beamer_slides_show_emoji_footnotes_asides_cell_output_and_theorems(deck):
    pages = deck["pages"]
    aside = next(p for p in pages if p.startswith("Aside and footnote"))
    assert "😄" in aside and ":smile:" not in aside and "The note." in aside and "An aside at the foot." in aside
    output = next(p for p in pages if p.startswith("Output"))
    assert 'print("cell output here")' in output and "cell output here" in output  # echo: true for beamer
    theorem = next(p for p in pages if p.startswith("Theorem"))
    assert "Theorem 1 (On slides)" in theorem and "By Theorem 1, only in Beamer." in theorem
    assert "only in reveal.js" not in " ".join(pages)


def test_revealjs_puts_asides_and_footnotes_at_the_foot_and_steps_through_highlighted_lines(deck):
    with Browser(1280, 720) as browser:
        browser.open(deck["html_path"].as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(1)")
        browser.wait("Reveal.getIndices().h === 1")
        slide = "Reveal.getCurrentSlide()"
        assert "😄" in browser.evaluate(f"{slide}.innerText")
        # the note and the aside are on the slide, below its text, in the lower part of the slide
        tops = browser.evaluate(f"[{slide}.querySelector('p').getBoundingClientRect().bottom, "
                                f"{slide}.querySelector('aside > ol.aside-footnotes').getBoundingClientRect().top, "
                                f"{slide}.querySelector('aside > div').getBoundingClientRect().top]")
        assert tops[0] < tops[1] and tops[0] < tops[2] and min(tops[1:]) > 720 * 0.6
        # the aside is an <aside> element, as Quarto writes it, so a deck's ".reveal aside" rules reach it; the
        # slide's asides and footnotes are gathered in one, as Quarto gathers them
        assert "An aside at the foot." in browser.evaluate(f"{slide}.querySelector('aside > div').innerText")
        assert browser.evaluate(f"{slide}.querySelectorAll('aside:not(.notes)').length") == 1
        notes = browser.evaluate(f"{slide}.querySelector('aside > ol.aside-footnotes').innerText")
        assert "The note." in notes and "↩" not in notes  # as Quarto: no back-link to the same slide
        # its number shows: room for it left of the note, reveal.js's 1em, as Quarto's list keeps it
        room = browser.evaluate(f"{slide}.querySelector('aside > ol.aside-footnotes > li').getBoundingClientRect()"
                                f".left - {slide}.getBoundingClientRect().left")
        assert room >= 10
        assert browser.evaluate(f"{slide}.querySelector('a.footnote-ref')") is None
        browser.evaluate("Reveal.slide(2)")
        browser.wait("Reveal.getIndices().h === 2")
        lit = "Array.from(Reveal.getCurrentSlide().querySelectorAll('code > span[id]'))" \
              ".map(s => s.classList.contains('highlight-line'))"
        seen = []
        for _ in range(3):
            time.sleep(0.3)
            seen.append(browser.evaluate(lit))
            browser.key("ArrowRight")
        assert seen == [[False, False], [True, False], [False, True]]  # the first step ("|") shows the code plain
        browser.evaluate("Reveal.slide(3)")
        browser.wait("Reveal.getIndices().h === 3")
        text = browser.evaluate("Reveal.getCurrentSlide().innerText")
        assert "cell output here" in text and "print(" not in text  # echo: false for revealjs only
        browser.evaluate("Reveal.slide(4)")
        browser.wait("Reveal.getIndices().h === 4")
        text = " ".join(browser.evaluate("Reveal.getCurrentSlide().innerText").split())
        assert "Theorem 1 (On slides)" in text and "By Theorem 1, only in reveal.js." in text


def test_center_true_centres_a_short_slide_and_slides_start_at_the_top_by_default(tmp_path):
    tops = {}
    for center in ("true", None):
        deck = tmp_path / f"deck-{center}.qmd"
        option = f"\n    center: {center}" if center else ""
        deck.write_text(f"---\ntitle: Centred\nformat:\n  revealjs:{option or ' default'}\n---\n\n"
                        "## Short\n\nOne line.\n")
        code, stderr = render_cli(str(deck), "--to", "revealjs", "--output-dir", str(tmp_path))
        assert code == 0, stderr
        with Browser(1280, 720) as browser:
            browser.open(deck.with_suffix(".html").as_uri(), wait_for=REVEAL_READY)
            browser.evaluate("Reveal.slide(1)")
            browser.wait("Reveal.getIndices().h === 1")
            tops[center] = browser.evaluate("Reveal.getCurrentSlide().querySelector('h2').getBoundingClientRect().top")
    assert tops["true"] > 720 * 0.3 and tops[None] < 720 * 0.15


CHROME_DECK = """---
title: Chrome
format:
  revealjs:
    slide-number: c/t
    footer: "Course *notes*"
    logo: logo.png
---

## Plain

Text.

## Own footer

Text.

::: footer
Footer of this slide
:::
"""


def test_a_deck_shows_its_footer_logo_and_slide_number_and_a_slide_its_own_footer(tmp_path):
    (tmp_path / "logo.png").write_bytes(_PNG)
    (tmp_path / "deck.qmd").write_text(CHROME_DECK)
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--to", "revealjs", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "out" / "deck.html").as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(1)")
        browser.wait("Reveal.getIndices().h === 1")
        footer = "document.querySelector('.reveal > .footer.footer-default')"  # where Quarto puts it
        assert browser.evaluate(f"{footer}.innerText").strip() == "Course notes"
        assert browser.evaluate(f"{footer}.querySelector('p') !== null")  # in a paragraph, as Quarto writes it
        assert browser.evaluate(f"{footer}.getBoundingClientRect().top") > 720 * 0.85  # at the foot
        # Quarto's $text-muted, the text (#222) 30 points lighter, as its decks show their footers
        muted = browser.evaluate(f"getComputedStyle({footer}).color")  # rgb(...) or color(srgb r g b)
        channels = [float(v) * 255 for v in muted.split("srgb")[1].strip(" )").split()[:3]] if "srgb" in muted else \
            [float(v) for v in muted[muted.index("(") + 1:-1].split(",")[:3]]
        assert all(abs(c - 111) <= 1 for c in channels), muted  # #6f6f6f
        assert browser.evaluate("document.querySelector('.slide-number').innerText").strip() == "2 / 3"
        # the slide number in the same muted colour, its "/" without reveal.js's margins (Quarto's footer.css)
        number = browser.evaluate("[getComputedStyle(document.querySelector('.slide-number')).color, "
                                  "getComputedStyle(document.querySelector('.slide-number-delimiter')).marginLeft]")
        assert number == [muted, "0px"]
        assert browser.evaluate("document.querySelector('.reveal.has-logo > img.slide-logo').src").startswith(
            "data:image/png")
        browser.evaluate("Reveal.slide(2)")
        browser.wait("Reveal.getIndices().h === 2")
        browser.wait(f"{footer}.innerText.trim() === 'Footer of this slide'")
        assert "Footer of this slide" not in browser.evaluate("Reveal.getCurrentSlide().innerText")  # not twice
        browser.evaluate("Reveal.slide(1)")
        browser.wait(f"{footer}.innerText.trim() === 'Course notes'")  # the deck's footer is back


_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c6360f80f00000101000518d84e0000000049454e44ae426082")


def test_the_slide_menu_lists_the_slides_jumps_to_one_and_has_the_tools(deck):
    with Browser(1280, 720) as browser:
        browser.open(deck["html_path"].as_uri(), wait_for=REVEAL_READY)
        browser.wait("document.querySelector('.reveal .slide-menu-button') !== null", timeout=15)
        corner = browser.evaluate("(r => [r.left, r.bottom, r.width])(document.querySelector("
                                  "'.slide-menu-button').getBoundingClientRect())")
        assert corner[0] < 60 and corner[1] > 720 - 60 and corner[2] > 5  # drawn, at the bottom left
        icon = browser.evaluate("document.querySelector('.slide-menu-button .fas').getBoundingClientRect().width")
        assert abs(icon - 2.2 * 16) < 1  # Quarto's 2.2rem icon
        browser.click(".slide-menu-button a")
        slid_in = ("Reveal.getPlugin('menu').isOpen() && "
                   "document.querySelector('.slide-menu').getBoundingClientRect().left === 0")
        browser.wait(slid_in, timeout=10)  # open, and done sliding in
        titles = browser.evaluate("Array.from(document.querySelectorAll('.slide-menu-panel[data-panel=Slides] "
                                  ".slide-menu-item-title')).map(t => t.innerText.trim())")
        assert {"Aside and footnote", "Output", "Theorem"} <= set(titles), titles
        theorem = titles.index("Theorem")
        browser.click(f".slide-menu-panel[data-panel=Slides] .slide-menu-item[data-slide-h='{theorem}']")
        browser.wait(f"Reveal.getIndices().h === {theorem} && !Reveal.getPlugin('menu').isOpen()", timeout=10)
        browser.key("m")
        browser.wait(slid_in, timeout=10)
        browser.click(".slide-menu-toolbar li[data-panel=Custom0]")
        browser.wait("document.querySelector('.slide-menu-panel[data-panel=Custom0]').classList.contains('active-menu-panel')")
        tools = browser.evaluate("document.querySelector('.slide-menu-panel[data-panel=Custom0]').innerText")
        assert all(tool in tools for tool in ("Fullscreen", "Speaker View", "Slide Overview", "Keyboard Help"))
        browser.click(".slide-menu-panel[data-panel=Custom0] .slide-tool-item:nth-child(3) a")  # Slide Overview
        browser.wait("Reveal.isOverview() && !Reveal.getPlugin('menu').isOpen()", timeout=10)


def test_the_menu_button_is_there_when_the_deck_is_ready_for_a_decks_own_scripts(tmp_path):
    # a deck's own script that waits for the deck to be ready and then places itself beside the menu button
    # (as real decks' corner buttons do) finds the button, as in Quarto, where the plugin starts with the deck
    (tmp_path / "after.html").write_text(
        "<script>Reveal.on('ready', () => { window.menuAtReady = !!document.querySelector('.slide-menu-button'); "
        "});</script>")
    (tmp_path / "deck.qmd").write_text("---\ntitle: Ready\nformat:\n  revealjs:\n    include-after-body: after.html\n"
                                       "---\n\n## One\n\nText.\n")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "out" / "deck.html").as_uri(), wait_for=REVEAL_READY)
        browser.wait("window.menuAtReady !== undefined", timeout=10)
        assert browser.evaluate("window.menuAtReady") is True


def test_menu_false_hides_the_button_and_m_still_opens_the_menu(tmp_path):
    (tmp_path / "deck.qmd").write_text("---\ntitle: No button\nformat:\n  revealjs:\n    menu: false\n---\n\n"
                                       "## One\n\nText.\n\n## Two\n\nText.\n")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--to", "revealjs", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "out" / "deck.html").as_uri(), wait_for=REVEAL_READY)
        browser.wait("!!Reveal.getPlugin('menu') && Reveal.getPlugin('menu').isMenuInitialised()", timeout=15)
        assert browser.evaluate("document.querySelector('.slide-menu-button') === null")
        browser.key("m")
        browser.wait("Reveal.getPlugin('menu').isOpen()", timeout=10)
        titles = browser.evaluate("Array.from(document.querySelectorAll('.slide-menu-item-title'))"
                                  ".map(t => t.innerText.trim())")
        assert titles[-2:] == ["One", "Two"], titles


STRETCH_DECK = """---
title: Stretch
format: revealjs
---

## Photo

![](big.png)

## Plot

```{python}
#| echo: true
#| fig-cap: "A line"
import matplotlib.pyplot as plt
plt.plot([1, 2, 3])
plt.show()
```

## Inline

A sentence with ![](big.png){width=40} in it.

## Labelled

::: {#fig-labelled}
![The image's own caption](big.png)
:::

## Aligned

![ ](big.png){fig-align="center"}

::: {.fragment}
A point made later.
:::

## Sized

![](big.png){height=120}

## Two

![](big.png){width=200}

![](big.png){width=200}

## Off {.nostretch}

![](big.png)

## Boxed

::: {.scroll-box style="overflow-y: scroll; height: 300px;"}
![](big.png)
:::

## Fragment

::: {.fragment}
![](big.png)
:::

## Aside

![](big.png)

::: {.aside}
A note at the foot.
:::
"""


def test_a_slides_single_image_is_stretched_to_fit_and_other_images_are_left_alone(tmp_path):
    from PIL import Image

    Image.new("RGB", (2400, 1800), (40, 120, 200)).save(tmp_path / "big.png")
    (tmp_path / "stretch.qmd").write_text(STRETCH_DECK)
    code, stderr = render_cli(str(tmp_path / "stretch.qmd"), "--to", "revealjs", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    shutil.copy(tmp_path / "big.png", tmp_path / "out")
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "out" / "stretch.html").as_uri(), wait_for=REVEAL_READY)
        seen = {}
        names = ["Photo", "Plot", "Inline", "Labelled", "Aligned", "Sized", "Two", "Off", "Boxed", "Fragment", "Aside"]
        for number, name in enumerate(names, start=1):
            browser.evaluate(f"Reveal.slide({number})")
            browser.wait(f"Reveal.getIndices().h === {number}")
            seen[name] = browser.evaluate("""(() => {
                const slide = Reveal.getCurrentSlide(), img = slide.querySelector('img');
                const box = img.getBoundingClientRect(), frame = slide.getBoundingClientRect();
                return {stretched: img.classList.contains('r-stretch'), child: img.parentElement === slide,
                        height: box.height, inside: box.bottom <= frame.bottom + 1 && box.top >= frame.top - 1,
                        caption: (img.nextElementSibling || {}).className === 'caption'
                                 ? img.nextElementSibling.innerText : null,
                        code: !!slide.querySelector('pre'), text: slide.innerText,
                        align: [...img.classList].filter(name => name.startsWith('quarto-figure-'))};
            })()""")
    photo, plot = seen["Photo"], seen["Plot"]
    assert photo["stretched"] and photo["child"] and photo["inside"] and photo["height"] > 720 * 0.5, photo
    assert plot["stretched"] and plot["child"] and plot["inside"] and plot["code"], plot  # the code stays above
    assert plot["caption"] is not None and "A line" in plot["caption"], plot
    assert plot["align"] == ["quarto-figure-center"]  # the figure's alignment goes with it, as in Quarto
    # a labelled figure's div around an image with a caption of its own: that caption under the stretched image,
    # and the figure's "Figure 1" gone with the div, as Quarto's auto-stretch leaves the slide
    labelled = seen["Labelled"]
    assert labelled["stretched"] and labelled["child"], labelled
    assert labelled["caption"] == "The image\u2019s own caption", labelled
    assert "Figure" not in labelled["text"], labelled
    # an aligned image without a caption is Quarto's figure, stretched above the slide's later text
    aligned = seen["Aligned"]
    assert aligned["stretched"] and aligned["child"] and aligned["inside"], aligned
    assert aligned["align"] == ["quarto-figure-center"], aligned
    # as Quarto's auto-stretch: an author's own div (a scroll box), a fragment and a slide with an aside keep sizes
    kept = ("Inline", "Sized", "Two", "Off", "Boxed", "Fragment", "Aside")
    assert not [name for name in kept if seen[name]["stretched"]]


def test_a_slides_layout_columns_sit_side_by_side_and_a_tabset_shows_tabs(deck):
    with Browser(1280, 720) as browser:
        browser.open(deck["html_path"].as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(Reveal.getSlides().findIndex(s => s.id === 'side-by-side'))")
        browser.wait("Reveal.getCurrentSlide().id === 'side-by-side'")
        boxes = browser.evaluate("[...Reveal.getCurrentSlide().querySelectorAll('.quarto-layout-cell img')]"
                                 ".map(i => (r => [r.top, r.left, r.width])(i.getBoundingClientRect()))")
        tabs = browser.evaluate("[...Reveal.getCurrentSlide().querySelectorAll('[role=tab]')]"
                                ".map(t => [t.innerText, getComputedStyle(t).borderTopColor,"
                                " t.getBoundingClientRect().top,"
                                " parseFloat(getComputedStyle(t).fontSize) / parseFloat(getComputedStyle("
                                "t.closest('section')).fontSize)])")
    assert len(boxes) == 2 and abs(boxes[0][0] - boxes[1][0]) < 1  # one row (layout-ncol: 2)
    assert boxes[1][1] > boxes[0][1] + boxes[0][2] * 0.9 and boxes[0][2] > 200  # the second beside the first
    assert [t[0] for t in tabs] == ["First", "Second"] and tabs[0][2] == tabs[1][2]  # tabs in a row
    assert tabs[0][1] != tabs[1][1] and tabs[1][1] in ("rgba(0, 0, 0, 0)", "transparent")  # the chosen tab framed
    assert tabs[0][3] == 1  # tab names at the slide's text size, as Quarto's


def test_output_location_column_puts_the_output_beside_a_code_box_as_tall_as_it(deck):
    with Browser(1280, 720) as browser:
        browser.open(deck["html_path"].as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(Reveal.getSlides().findIndex(s => s.id === 'beside'))")
        browser.wait("Reveal.getCurrentSlide().id === 'beside'")
        code, output = browser.evaluate("""(s => [s.querySelector("div.sourceCode"),
                                                  s.querySelector(".column + .column")]
            .map(e => (r => [r.left, r.top, r.height])(e.getBoundingClientRect())))(Reveal.getCurrentSlide())""")
    assert output[0] > code[0] + 200 and abs(output[1] - code[1]) < 2  # side by side
    assert abs(code[2] - output[2]) < 2 and code[2] > 150  # the code's box as tall as the nine lines beside it


def test_a_numbered_equation_on_a_slide_has_its_number_on_its_line(deck):
    with Browser(1280, 720) as browser:
        browser.open(deck["html_path"].as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(Reveal.getSlides().findIndex(s => s.id === 'numbered'))")
        browser.wait("Reveal.getCurrentSlide().id === 'numbered' && "
                     "Reveal.getCurrentSlide().querySelector('mjx-container') !== null", timeout=30)
        browser.wait("Reveal.getCurrentSlide().querySelector('mjx-assistive-mml') !== null", timeout=30)
        label, lines = browser.evaluate(
            "(c => [c.querySelector('mjx-assistive-mml').textContent, c.getBoundingClientRect().height /"
            " parseFloat(getComputedStyle(c).fontSize)])(Reveal.getCurrentSlide().querySelector('mjx-container'))")
    assert label.startswith("(1)")  # the number is MathJax's tag, as Quarto writes it: at the right of its line
    assert lines < 3  # one line high, the number beside the formula, not under it


def test_a_decks_files_named_from_the_project_root_are_embedded_parallax_too_and_a_missing_one_warns(tmp_path):
    from bs4 import BeautifulSoup

    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\n")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_bytes(_PNG)
    (tmp_path / "assets" / "bg.png").write_bytes(_PNG)
    (tmp_path / "slides").mkdir()
    (tmp_path / "slides" / "deck.qmd").write_text(
        "---\ntitle: Rooted\nformat:\n  revealjs:\n    logo: /assets/logo.png\n"
        "    parallax-background-image: /assets/bg.png\n    title-slide-attributes:\n"
        "      data-background-image: /assets/bg.png\n---\n\n## Backed {background-image=\"/assets/bg.png\"}\n\n"
        "Text.\n\n## Lost {background-image=\"gone.png\"}\n\nStill here.\n")
    code, stderr = render_cli(str(tmp_path / "slides" / "deck.qmd"), "--to", "revealjs", "--output-dir",
                              str(tmp_path / "out"))
    assert code == 0, stderr
    assert "background-image gone.png not found" in stderr
    soup = BeautifulSoup((tmp_path / "out" / "deck.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("img.slide-logo")["src"].startswith("data:image/png")
    assert soup.select_one("#title-slide")["data-background-image"].startswith("data:image/png")
    assert soup.select_one("section#backed")["data-background-image"].startswith("data:image/png")
    assert soup.select_one("section#lost").get("data-background-image") is None
    assert "Still here." in soup.select_one("section#lost").get_text()
    with Browser(1000, 700) as browser:  # the deck's parallax background, embedded
        browser.open((tmp_path / "out" / "deck.html").as_uri(), wait_for=REVEAL_READY)
        ground = browser.evaluate("getComputedStyle(document.querySelector('.reveal .backgrounds')).backgroundImage")
    assert ground.startswith('url("data:image/png;base64,')


def test_revealjs_leaves_hidden_slides_out_of_the_page_but_not_the_slides_after_them(deck):
    page = deck["html_path"].read_text(encoding="utf-8")
    assert "Only on the hidden part" not in page and "Backup only." not in page
    assert "Shown after it." in page and 'id="after-the-hidden-part"' in page
    # the rule before the hidden backup slide began that slide: it leaves no empty slide behind
    slides = BeautifulSoup(page, "html.parser").select("div.slides section.slide")
    assert all(slide.get_text(strip=True) for slide in slides)


def test_a_deck_footer_expands_its_shortcodes(tmp_path):
    (tmp_path / "deck.qmd").write_text("---\ntitle: Footer\nsubdomain: docs.\nformat:\n  revealjs:\n"
                                       "    footer: 'See https://{{< meta subdomain >}}example.org'\n---\n\n## One\n",
                                       encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--to", "revealjs", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = (tmp_path / "out" / "deck.html").read_text(encoding="utf-8")
    assert "See https://docs.example.org" in page and "{{&lt; meta" not in page and "{{< meta" not in page


def test_output_location_slide_puts_the_output_on_a_slide_titled_as_the_code(deck):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(deck["html_path"].read_text(encoding="utf-8"), "html.parser")
    code = soup.select_one("section#output-on-its-own-slide")
    output = soup.select_one("section#output-on-its-own-slide-output")
    assert 'print("shown on the next slide")' in code.get_text() and "shown on the next slide\n" not in code.get_text()
    assert output.find("h2").get_text() == "Output on its own slide"  # Quarto repeats the title and the classes
    assert {"output-location-slide", "smaller"} <= set(output["class"])
    assert output.select_one("pre").get_text().strip() == "shown on the next slide"
    assert output.select_one("div.cell.output-location-slide > div.cell-output")  # Quarto's cell div on it
    assert code.find_next_sibling("section") is output


def test_a_callout_and_a_captioned_image_come_in_as_fragments_and_a_quoted_list_stays_quoted(deck):
    soup = BeautifulSoup(deck["html_path"].read_text(encoding="utf-8"), "html.parser")
    slide = soup.find("section", id="step-by-step")
    wrapper = slide.find(id="nte-step")  # as Quarto writes it: the author's id, classes and attributes on a div
    assert "fragment" in wrapper["class"] and wrapper.select_one(".callout.callout-note")  # around it
    assert wrapper["data-fragment-index"] == "1"
    figure = slide.find("figure")  # the caption comes in with its image
    assert "fragment" in figure["class"] and "fragment" not in (figure.img.get("class") or [])
    assert figure.parent["class"] == ["quarto-figure", "quarto-figure-center"]  # in Quarto's figure markup
    quoted = slide.select("blockquote > ul > li")  # as written: quoted, not made incremental
    assert [li.get_text() for li in quoted] == ["A quoted point", "Another quoted point"]
    assert all(not li.get("class") for li in quoted)


def test_the_decks_table_of_contents_lists_titled_slides_only(tmp_path):
    (tmp_path / "toc.qmd").write_text("---\nformat: revealjs\ntoc: true\n---\n\n## One\n\nFirst.\n\n---\n\n"
                                      "An untitled slide.\n\n## Two\n\nSecond.\n\n## \n\nAnother untitled one.\n",
                                      encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "toc.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "out" / "toc.html").read_text(encoding="utf-8"), "html.parser")
    entries = soup.select('nav[role="doc-toc"] li')
    assert [li.get_text() for li in entries] == ["One", "Two"]  # no empty bullets for the untitled slides
    assert [li.a["href"] for li in entries] == ["#/one", "#/two"]


def _render_deck(folder: Path, front: str, body: str, files: dict[str, str] | None = None, name: str = "deck") -> Path:
    """``NAME.qmd`` with this front matter (YAML lines) and body, beside ``files``, rendered: its page."""
    for file, text in (files or {}).items():
        (folder / file).write_text(text, encoding="utf-8")
    (folder / f"{name}.qmd").write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    code, stderr = render_cli(str(folder / f"{name}.qmd"), "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    return folder / "out" / f"{name}.html"


def test_hash_type_number_addresses_slides_by_number_and_the_title_slide_stays_centred(tmp_path):
    page = _render_deck(tmp_path, "title: Numbered\nformat:\n  revealjs:\n    hash-type: number\n",
                        "## First {#first}\n\nOne.\n\n## Second\n\nTwo.\n")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.select("section.slide") and not soup.select("section.slide[id], section.quarto-title-block[id]")
    with Browser(1280, 720) as browser:
        browser.open(page.as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(2)")
        browser.wait("window.location.hash === '#/2'", timeout=5)  # as Quarto's hash-type: number
        browser.evaluate("Reveal.slide(0)")
        title = browser.evaluate("(() => { const h = document.querySelector('.quarto-title-block h1')"
                                 ".getBoundingClientRect(); return (h.top + h.bottom) / 2; })()")
    assert abs(title - 720 / 2) < 720 * 0.2  # the title slide is still centred without its id


def test_a_decks_text_is_quartos_40px_or_its_fontsize_and_its_own_scss_may_set_it(tmp_path):
    (tmp_path / "big.scss").write_text("/*-- scss:defaults --*/\n$presentation-font-size-root: 50px;\n")
    fronts = {"plain": "format: revealjs", "sized": "format:\n  revealjs:\n    fontsize: 24pt",
              "simple": "format:\n  revealjs:\n    theme: simple",
              "scss": "format:\n  revealjs:\n    theme: [default, big.scss]"}
    sizes = {}
    for name, front in fronts.items():
        page = _render_deck(tmp_path, f"title: Size\n{front}\n", "## One\n\nText.\n", name=name)
        with Browser(1280, 720) as browser:
            browser.open(page.as_uri(), wait_for=REVEAL_READY)
            sizes[name] = browser.evaluate("getComputedStyle(document.querySelector('.reveal')).fontSize")
    # Quarto's themes are all 40px at the root (reveal.js's own are 42px); fontsize: 24pt is 32px
    assert sizes == {"plain": "40px", "sized": "32px", "simple": "40px", "scss": "50px"}


def test_the_footer_and_slide_number_keep_quartos_places_and_sizes_over_the_decks_css_but_take_its_colour(tmp_path):
    # Quarto's footer.css comes after a deck's own stylesheets: a deck rule of the same weight changes the colour
    # (which Quarto sets in the theme) but not the size or place, as in Quarto's decks
    page = _render_deck(tmp_path, "title: Chrome\nformat:\n  revealjs:\n    css: mine.css\n    slide-number: true\n"
                        "    footer: A footer\n", "## One\n\nText.\n",
                        {"mine.css": ".reveal .slide-number { font-size: 0.9em; color: rgb(1, 2, 3); }\n"
                                     ".reveal .footer { font-size: 40px; }\n"})
    with Browser(1280, 720) as browser:
        browser.open(page.as_uri(), wait_for=REVEAL_READY)
        found = browser.evaluate("(() => { const n = getComputedStyle(document.querySelector('.slide-number'));"
                                 " const f = getComputedStyle(document.querySelector('.reveal > .footer'));"
                                 " return [n.fontSize, n.color, f.fontSize]; })()")
    assert found == ["16px", "rgb(1, 2, 3)", "18px"]


def test_a_title_slide_lists_the_institute_under_the_author_and_stays_centred_over_a_left_aligned_deck(tmp_path):
    page = _render_deck(tmp_path, "title: Institute\nauthor: Ada Lovelace\ninstitute: Analytical Society\n"
                        "format:\n  revealjs:\n    css: left.css\n", "# Part\n\n## One\n\nText.\n",
                        {"left.css": ".reveal .slides { text-align: left; }\n"
                                     ".reveal .title-slide { text-align: center; }\n"
                                     ".reveal .title-slide h1 { font-size: 3em; }\n"})
    title = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("section.quarto-title-block")
    author = title.select_one(".quarto-title-author")
    assert author.select_one(".quarto-title-author-name").get_text(strip=True) == "Ada Lovelace"
    assert author.select_one(".quarto-title-affiliation").get_text(strip=True) == "Analytical Society"
    assert title.select_one("p.institute") is None  # shown once, under the name, as Quarto's title slide does
    # an institute written as a Markdown link is a link (a course's deck: "[LPSM](https://u-paris.fr)")
    linked = _render_deck(tmp_path, "title: Linked\nauthor: Ada\ninstitute: \"[LPSM](https://u-paris.fr)\"\n"
                          "format: revealjs\n", "## One\n\nText.\n", name="linked")
    affiliation = BeautifulSoup(linked.read_text(encoding="utf-8"), "html.parser").select_one(
        ".quarto-title-affiliation")
    assert (affiliation.get_text(strip=True), affiliation.a["href"]) == ("LPSM", "https://u-paris.fr")
    with Browser(1280, 720) as browser:
        browser.open(page.as_uri(), wait_for=REVEAL_READY)
        aligns = browser.evaluate("[getComputedStyle(document.querySelector('.quarto-title-block h1')).textAlign,"
                                  " getComputedStyle(document.querySelector('section.title-slide')).textAlign,"
                                  " getComputedStyle(document.querySelector('section.title-slide h1')).fontSize,"
                                  " getComputedStyle(document.querySelector("
                                  "'section.slide:not(.quarto-title-block):not(.title-slide)')).textAlign]")
    # the title stays centred, a section's title slide as the deck's rule says; the section's heading keeps
    # Quarto's 2.5em (of 40px) over the deck's ".reveal .title-slide h1", as Quarto's linear-navigation rule wins
    assert aligns == ["center", "center", "100px", "left"]


SECTION_DECK_BODY = """# Part

Under the part [@knuth].

## Kinds

::: {.callout-tip}
## Heads up
Tip body.
:::

::: {.callout-note appearance="simple"}
Simple body.
:::

```python
x = 1
```

# References
"""


def test_a_decks_scss_sizes_apply_section_slides_stay_left_and_callouts_and_references_are_as_quarto_writes(
        tmp_path):
    page = _render_deck(tmp_path, "title: Sections\nbibliography: refs.bib\nformat:\n  revealjs:\n"
                        "    theme: [default, deck.scss]\n", SECTION_DECK_BODY,
                        {"deck.scss": "$presentation-font-size-root: 28px;\n$presentation-h1-font-size: 1.5em;\n"
                                      "$code-block-border-color: rgb(9, 8, 7);\n"
                                      "/*-- scss:rules --*/\n.reveal .callout-content { color: rgb(1, 2, 3); }\n",
                         "refs.bib": "@book{knuth, author = {Donald Knuth}, title = {The Art of Computer "
                                     "Programming}, publisher = {Addison-Wesley}, year = {1968}}\n"})
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    tip, simple = soup.select("div.callout")
    assert tip["class"] == ["callout", "callout-tip", "callout-titled", "callout-style-default"]
    assert tip.select_one(".callout-body > .callout-title p strong").get_text() == "Heads up"
    assert not soup.select(".callout .screen-reader-only")  # Quarto's decks say no kind before the title
    # simple, and no title of its own: Quarto gives it none (only the default appearance takes "Note")
    assert "callout-titled" not in simple["class"] and not simple.select(".callout-title")
    references = soup.find(id="refs").find_parent("section")
    assert {"smaller", "scrollable"} <= set(references["class"]) and "center" not in references["class"]
    with Browser(1280, 720) as browser:
        browser.open(page.as_uri(), wait_for=REVEAL_READY)
        found = browser.evaluate(
            "(() => { const part = document.querySelector('section.title-slide:not(.quarto-title-block)');"
            " return [getComputedStyle(document.querySelector('.reveal')).fontSize,"
            " getComputedStyle(part.querySelector('h1')).fontSize, getComputedStyle(part).textAlign,"
            " getComputedStyle(document.querySelector('.callout-content p')).color,"
            " getComputedStyle(document.querySelector('div.sourceCode')).borderTopColor,"
            " getComputedStyle(document.querySelector('div.callout')).borderTopColor]; })()")
    # the variables before the file's first marker are its defaults (28px, h1 1.5em); a section's title slide
    # is left-aligned, as in Quarto, with the deck's h1 size; the deck's rule reaches Quarto's .callout-content;
    # $code-block-border-color frames code blocks and callouts
    assert found == ["28px", "42px", "left", "rgb(1, 2, 3)", "rgb(9, 8, 7)", "rgb(9, 8, 7)"]


def test_a_decks_code_is_numbered_at_quartos_size_unless_it_says_not_and_a_pages_code_is_not(tmp_path):
    body = "## Code\n\n```python\nx = 1\ny = 2\n```\n\n```{python}\n#| echo: true\nprint(3)\n```\n"
    fronts = {"deck": "format: revealjs", "plain": "format:\n  revealjs:\n    code-line-numbers: false",
              "page": "format: html"}
    pages = {}
    for name, front in fronts.items():
        page = _render_deck(tmp_path, f"title: Code\n{front}\n", body, name=name)
        pages[name] = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    numbered = {name: len(page.select("pre.sourceCode.numberSource")) for name, page in pages.items()}
    assert numbered == {"deck": 2, "plain": 0, "page": 0}  # Quarto numbers a deck's code lines by default
    # with Quarto's class name for it, on a cell's code and a plain block alike (Sta 663's decks, Quarto 1.9)
    assert len(pages["deck"].select("pre.sourceCode.number-lines")) == 2 and not pages["deck"].select(".numberLines")
    assert pages["deck"].body["class"] == ["quarto-light"]  # Quarto's body class for a light deck
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "out" / "deck.html").as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(1)")
        seen = browser.evaluate("(() => { const line = document.querySelector('pre.numberSource code > span');"
                                " const number = getComputedStyle(line.querySelector('a'), '::before');"
                                " return [number.content, number.textDecorationLine,"
                                " getComputedStyle(line.closest('pre')).fontSize]; })()")
    assert seen == ["counter(source-line)", "none", "22px"]  # a plain number; the code 0.55em of 40px


def test_a_highlighted_line_spans_its_text_as_in_quarto_so_a_decks_wider_rule_adds_no_scrollbar(tmp_path):
    # CS 50x2's deck theme: ".reveal div.sourceCode pre code.has-line-highlights > span.highlight-line
    # { background-color: ...; width: 104.5% }" (a line is inline in Quarto's decks: the width does nothing)
    css = ".reveal div.sourceCode pre code.has-line-highlights > span.highlight-line { font-weight: bolder;" \
          " background-color: rgba(30, 144, 255, .1); width: 104.5%; overflow: hidden; }\n"
    body = '## Code\n\n``` cpp {code-line-numbers="3"}\nint x = 42;\n// a comment\nstd::cout << &x;\n```\n'
    page = _render_deck(tmp_path, "title: Lines\nformat: revealjs\ncss: lines.css\n", body, {"lines.css": css})
    with Browser(1050, 700) as browser:
        browser.open(page.as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(1)")
        browser.wait("Reveal.getIndices().h === 1")
        seen = browser.evaluate("(() => { const code = Reveal.getCurrentSlide().querySelector('pre code');"
                                " const line = code.querySelector('span.highlight-line');"
                                " return [getComputedStyle(line).display, line.getBoundingClientRect().width,"
                                " code.clientWidth, code.scrollWidth - code.clientWidth,"
                                " code.closest('div.sourceCode').scrollWidth"
                                " - code.closest('div.sourceCode').clientWidth]; })()")
    display, line_width, code_width, code_overflow, block_overflow = seen
    assert display == "inline" and line_width < code_width / 2  # the line's text, not the block's width
    assert code_overflow == 0 and block_overflow == 0  # no scrollbar under three short lines


def test_a_decks_own_title_slide_partial_writes_its_author_lines_as_they_are(tmp_path):
    # Julia Silge's workshop decks (Quarto 1.9): title-slide.html writes <p class="author">$author$</p>
    partial = ('<section id="$idprefix$title-slide" class="quarto-title-block">\n  <div class="title-slide-inner">\n'
               '    <h1 class="title">$title$</h1>\n$if(author)$\n    <p class="author">$author$</p>\n$endif$\n'
               '  </div>\n</section>\n')
    page = _render_deck(tmp_path, 'title: Talking with LLMs\nauthor: "Julia Silge | Posit PBC"\nformat:\n'
                        '  revealjs:\n    template-partials: [title-slide.html]\n', "## One\n\nText.\n",
                        {"title-slide.html": partial})
    slide = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("section#title-slide")
    assert [p.get_text() for p in slide.select(".title-slide-inner > p.author")] == ["Julia Silge | Posit PBC"]
    assert slide.select_one(".quarto-title-authors") is None  # not Quarto's own title slide's author list


def test_a_decks_callouts_take_quartos_deck_colours_or_the_decks_callout_color(tmp_path):
    body = "## Turn\n\n::: {.callout-note}\n## Activity\n\nTalk.\n:::\n\n::: {.callout-tip}\n## Tip\n\nOk.\n:::\n"
    measure = ("[...document.querySelectorAll('div.callout')].map(c => [getComputedStyle(c).borderLeftColor,"
               " getComputedStyle(c.querySelector('.callout-title')).backgroundColor])")
    seen = {}
    # Julia Silge's workshop decks set zephyr's indigo for notes ("$callout-color-note: #3459e6")
    for name, theme in (("plain", "default"), ("indigo", "[default, deck.scss]")):
        page = _render_deck(tmp_path, f"title: Colours\nformat:\n  revealjs:\n    theme: {theme}\n", body,
                            {"deck.scss": "/*-- scss:defaults --*/\n$callout-color-note: #3459e6;\n"}, name=name)
        with Browser(1280, 720) as browser:
            browser.open(page.as_uri(), wait_for=REVEAL_READY)
            seen[name] = browser.evaluate(measure)
    def near(colour: str, expected: tuple[float, float, float]) -> bool:  # rgb(...) or color(srgb 0-1 ...)
        values = [float(x) for x in re.findall(r"[\d.]+", colour.split("srgb")[-1])[:3]]
        values = [v * 255 for v in values] if "srgb" in colour else values
        return all(abs(a - b) <= 1 for a, b in zip(values, expected, strict=True))

    # Quarto's deck colours (its reveal.js theme: #0d6efd, title bar #e7f1ff; #198754, #e8f3ee), not its pages'
    (note, note_bar), (tip, tip_bar) = seen["plain"]
    assert note == "rgb(13, 110, 253)" and near(note_bar, (231, 241, 255))
    assert tip == "rgb(25, 135, 84)" and near(tip_bar, (232, 243, 238))
    # the deck's note colour, its bar the colour tinted 90 % (Quarto's 234.7, 238.4, 252.5); the tip unchanged
    (note, note_bar), tip = seen["indigo"]
    assert note == "rgb(52, 89, 230)" and near(note_bar, (234.7, 238.4, 252.5)) and tip == seen["plain"][1]


def test_code_line_numbers_take_the_highlight_themes_colour_or_else_their_links(tmp_path):
    # Quarto's arrow theme numbers lines in #aaaaaa (CS 50x2's decks); atom-one gives no colour, so the numbers
    # are the deck's link colour (Julia Silge's decks)
    body = "## Code\n\n```python\nx = 1\n```\n"
    seen = {}
    for name, style in (("arrow", ""), ("atom", "    highlight-style: atom-one\n")):
        page = _render_deck(tmp_path, f"title: Numbers\nformat:\n  revealjs:\n{style}", body, name=name)
        with Browser(1280, 720) as browser:
            browser.open(page.as_uri(), wait_for=REVEAL_READY)
            seen[name] = browser.evaluate("(a => [getComputedStyle(a, '::before').color, getComputedStyle(a).color])"
                                          "(document.querySelector('pre.numberSource code > span > a'))")
    assert seen["arrow"][0] == "rgb(170, 170, 170)"
    assert seen["atom"][0] == seen["atom"][1]  # the link's own colour


def test_without_authors_the_institute_is_not_shown_and_a_quoted_title_alignment_leaves_the_slides_own(tmp_path):
    # REN R 213's decks (Quarto 1.5): institute: set for every deck, the author commented out, so Quarto's title
    # slide shows no institute; its SCSS sets $presentation-title-slide-text-align: "left" (quoted), which CSS
    # does not take, so the title slide is aligned as every slide is (left), not centred
    page = _render_deck(tmp_path, "title: Welcome\ninstitute: \"University of Alberta\"\n"
                        "format:\n  revealjs:\n    theme: deck.scss\n", "## One\n\nText.\n",
                        {"deck.scss": "/*-- scss:defaults --*/\n$presentation-title-slide-text-align: \"left\";\n"})
    title = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("#title-slide")
    assert "University of Alberta" not in title.get_text()
    with Browser(1280, 720) as browser:
        browser.open(page.as_uri(), wait_for=REVEAL_READY)
        align = browser.evaluate("getComputedStyle(document.querySelector('#title-slide h1')).textAlign")
    assert align == "left"


def test_a_title_slide_aligned_left_has_its_authors_at_the_left_edge(tmp_path):
    # a circuits course's decks ($presentation-title-slide-text-align: left): the author and institute under the
    # title's left edge, as Quarto's title slide puts them (they were centred)
    page = _render_deck(tmp_path, "title: Frequency Response\nauthor: Lawrence Quizon\ninstitute: EEE Institute\n"
                        "format:\n  revealjs:\n    theme: [default, deck.scss]\n", "## One\n\nText.\n",
                        {"deck.scss": "/*-- scss:defaults --*/\n$presentation-title-slide-text-align: left;\n"})
    with Browser(1280, 720) as browser:
        browser.open(page.as_uri(), wait_for=REVEAL_READY)
        lefts = browser.evaluate("['#title-slide h1', '#title-slide .quarto-title-author-name', "
                                 "'#title-slide .quarto-title-affiliation'].map(s => "
                                 "Math.round(document.querySelector(s).getBoundingClientRect().left))")
    assert lefts[0] == lefts[1] == lefts[2], lefts


def test_a_smaller_slides_title_keeps_the_decks_own_title_size(tmp_path):
    # REN R 213's decks set $presentation-h2-font-size: 1.2em: a .smaller slide's title is as large as any
    # other slide's (Quarto undoes the smaller size for its own title size, not for reveal.js's 1.6em)
    page = _render_deck(tmp_path, "title: Sizes\nformat:\n  revealjs:\n    theme: deck.scss\n",
                        "## Normal\n\nText.\n\n## Small {.smaller}\n\nText.\n",
                        {"deck.scss": "/*-- scss:defaults --*/\n$presentation-h2-font-size: 1.2em;\n"})
    with Browser(1280, 720) as browser:
        browser.open(page.as_uri(), wait_for=REVEAL_READY)
        sizes = browser.evaluate("[...document.querySelectorAll('section.slide h2')].map(h => "
                                 "parseFloat(getComputedStyle(h).fontSize))")
        base = browser.evaluate("parseFloat(getComputedStyle(document.querySelector('.reveal .slides')).fontSize)")
    assert len(sizes) == 2 and abs(sizes[0] - sizes[1]) < 0.5 and abs(sizes[0] - 1.2 * base) < 0.5, (sizes, base)


def test_a_beamer_slides_column_headings_at_the_slide_level_are_block_titles_and_the_pdf_builds(tmp_path):
    # a macroeconomics deck (slide-level: 3): "## Monetary Policy" opens a section and a slide whose two columns
    # start with "### ..." headings; pandoc would open a frame in the frame for each, which LaTeX refuses
    require_tool("xelatex")
    (tmp_path / "deck.qmd").write_text(
        "---\ntitle: Monetary Policy\nformat: beamer\nslide-level: 3\n---\n\n## Monetary Policy\n\n::: columns\n\n"
        ":::: column\n\n### Sessions Program:\n\n- Aggregate Demand\n\n::::\n\n:::: column\n\n### This Session\n\n"
        "- Tools of Monetary Policy\n\n::::\n\n:::\n\n### Tools\n\nOpen market operations.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    pages = [" ".join(page.split()) for page in pdf_text(tmp_path / "out" / "deck.pdf").split("\f") if page.strip()]
    columns = next(page for page in pages if "Sessions Program:" in page)
    assert "This Session" in columns and "Aggregate Demand" in columns and "Tools of Monetary Policy" in columns
    assert any(page.startswith("Tools Open market operations.") for page in pages)  # a slide-level heading: a slide
