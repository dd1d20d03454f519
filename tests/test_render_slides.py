"""Slides: the same .qmd to reveal.js (one self-contained HTML file) and to Beamer (a PDF).

``tests/documents/deck.qmd`` uses each slide convention Quarto documents; it renders once to both
formats. The reveal.js deck is opened in a real Chromium, where reveal.js must start and navigate.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .browser import REVEAL_READY, Browser
from .conftest import pdf_text, render_cli, require_tool

DECK = Path(__file__).resolve().parent / "documents" / "deck.qmd"
TITLES = ["First slide", "Incremental list", "Columns", "A pause", "Code and output", "A figure"]



@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> dict:
    require_tool("xelatex")
    output = tmp_path_factory.mktemp("deck")
    code, stderr = render_cli(str(DECK), "--output-dir", str(output))  # the formats the deck names
    assert code == 0, stderr
    html_path = output / "deck.html"
    return {"html_path": html_path, "soup": BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser"),
            "pdf_path": output / "deck.pdf", "pdf": pdf_text(output / "deck.pdf", layout=False)}


def test_revealjs_has_one_section_per_slide_with_titles(deck):
    sections = deck["soup"].select(".reveal .slides > section")
    assert len(sections) == 1 + len(TITLES) + 1  # the title slide, the titled slides, the untitled one
    titles = [s.find(["h1", "h2"]).get_text(strip=True) for s in sections[1:] if s.find(["h1", "h2"])]
    assert titles == TITLES
    assert any("An untitled slide after a rule." in s.get_text() and not s.find(["h1", "h2"]) for s in sections)


def test_revealjs_fragments_notes_columns_smaller_and_background(deck):
    soup = deck["soup"]
    incremental = next(s for s in soup.select(".slides > section") if "Incremental list" in s.get_text())
    assert len(incremental.select("li.fragment")) == 3
    code_slide = next(s for s in soup.select(".slides > section") if "Code and output" in s.get_text())
    assert "smaller" in code_slide["class"]
    assert "total is 45" in code_slide.select_one(".fragment").get_text()  # output-location: fragment
    assert soup.select_one("aside.notes").get_text(strip=True) == "Speaker notes for the first slide."
    columns = soup.select(".columns > .column")
    assert [c.get_text(strip=True) for c in columns] == ["Left column words.", "Right column words."]
    assert soup.find("section", attrs={"data-background-color": "#fff3d6"}) is not None
    assert soup.find("img", attrs={"data-src": re.compile("^data:image/png;base64,")}) is not None  # lazy-loaded


def test_revealjs_deck_is_one_offline_file(deck):
    html = deck["html_path"].read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=\"(?!data:)", html) and not re.search(r"<link[^>]+href=\"https?:", html)
    assert "Reveal.initialize" in html and "RevealNotes" in html  # the speaker view is in the file


def test_revealjs_starts_navigates_and_prints_in_chromium(deck, tmp_path):
    url = deck["html_path"].as_uri()
    with Browser(1280, 720) as browser:
        browser.open(url, wait_for=REVEAL_READY)
        assert "ready" in browser.evaluate("document.querySelector('.reveal').className")
        assert browser.evaluate("Reveal.getTotalSlides()") == 8
        browser.evaluate("Reveal.slide(3)")
        browser.wait("Reveal.getIndices().h === 3")
        assert browser.evaluate("Reveal.getCurrentSlide().querySelector('h2').textContent") == "Columns"
        browser.screenshot(tmp_path / "slide-3.png")
        browser.key("ArrowRight")
        browser.wait("Reveal.getIndices().h === 4")
        # wait on the new page (the deck just left is "ready" too until the navigation commits), then for the
        # print view: reveal.js switches to it after an animation frame, which can come after "ready" when
        # the machine is loaded (seen twice); it fails with a TimeoutError if the view never comes
        browser.open(url + "?print-pdf", wait_for=f"location.search === '?print-pdf' && {REVEAL_READY}")
        browser.wait("document.documentElement.classList.contains('reveal-print')", timeout=30)


def test_beamer_has_a_page_per_slide_and_per_incremental_step(deck):
    info = subprocess.run(["pdfinfo", str(deck["pdf_path"])], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    # title 1, first 1, incremental list 3 steps, columns 1, pause 2 steps, untitled 1, code 1, figure 1
    assert pages == 11
    text = deck["pdf"]
    for title in [*TITLES, "An untitled slide after a rule.", "total is 45", "Left column words."]:
        assert title in text
    assert "Speaker notes" not in text  # notes are \note{}s, not on the slides


def test_two_formats_that_write_the_same_file_are_refused(tmp_path):
    code, stderr = render_cli(str(DECK), "--to", "html,revealjs", "--output-dir", str(tmp_path))
    assert code == 1 and "would all write deck.html" in stderr


def test_a_projects_html_and_revealjs_formats_write_a_plain_page_once_as_quarto_does(tmp_path):
    # a course's project lists both formats; its pages name neither: Quarto writes each page in the first
    (tmp_path / "_quarto.yml").write_text("project:\n  output-dir: docs\nformat:\n  html:\n    toc: true\n"
                                          "  revealjs:\n    footer: Course\n", encoding="utf-8")
    (tmp_path / "notes.qmd").write_text("---\ntitle: Notes\n---\n\n## Aims\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path))
    assert code == 0, stderr
    page = (tmp_path / "docs" / "notes.html").read_text(encoding="utf-8")
    assert 'id="TOC"' in page  # the html format's options
    assert 'class="reveal"' not in page
    assert "formats revealjs would write notes.html over the html output" in " ".join(stderr.split())


def test_comments_and_content_for_other_formats_before_the_first_slide_make_no_empty_slide(tmp_path):
    # a course deck keeps notes to itself in comments before its first slide (pandoc's --strip-comments, Quarto's
    # strip-comments option, leaves them out), then text for its HTML page only, and a filter of its own adds a
    # stylesheet (placed with the first slide, not before it); none of them makes an empty slide
    (tmp_path / "style.lua").write_text('function Pandoc(doc)\n  quarto.doc.add_html_dependency({name = "own", '
                                        'version = "1", stylesheets = {"own.css"}})\nend\n', encoding="utf-8")
    (tmp_path / "own.css").write_text(".reveal h2 { letter-spacing: 1px; }\n", encoding="utf-8")
    (tmp_path / "deck.qmd").write_text("---\ntitle: Notes\nformat: revealjs\nstrip-comments: true\nfilters: "
                                       "[style.lua]\n---\n\n<!--\nA draft paragraph.\n-->\n\n"
                                       "::: {.content-visible unless-format=\"revealjs\"}\nFor the page.\n:::\n\n"
                                       "# Part\n\n## Slide\n\nSeen <!-- unseen --> text.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = (tmp_path / "out" / "deck.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    slides = [s for s in soup.select("div.slides section") if not s.find("section")]
    assert [" ".join(s.get_text().split()) for s in slides] == ["Notes", "Part", "Slide Seen text."]
    assert "draft paragraph" not in page and "unseen" not in page and "For the page" not in page
    assert "letter-spacing: 1px" in page  # the filter's stylesheet, in the one file


def test_a_decks_fig_align_centres_captioned_figures_and_leaves_a_cells_plain_plot_where_quarto_does(tmp_path):
    # a lecture deck sets fig-align: center for the format; Quarto's Jupyter engine reads fig-align from the cell
    # alone, so a plain plot stays left (as Quarto's deck shows it), while a captioned figure and a cell that
    # sets its own fig-align are centred
    plot = "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()"
    (tmp_path / "deck.qmd").write_text(
        "---\ntitle: Deck\nformat:\n  revealjs:\n    fig-align: center\n---\n\n"
        f"## Plain\n\n```{{python}}\n{plot}\n```\n\n## Own\n\n```{{python}}\n#| fig-align: center\n{plot}\n```\n\n"
        f"## Captioned\n\n```{{python}}\n#| label: fig-line\n#| fig-cap: A line\n{plot}\n```\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "out" / "deck.html").read_text(encoding="utf-8"), "html.parser")

    def centred(slide: str) -> bool:
        return soup.select_one(f"section#{slide} .quarto-figure-center") is not None

    assert [centred(s) for s in ("plain", "own", "captioned")] == [False, True, True]


def test_a_decks_folded_code_has_quartos_muted_summary_and_space_before_its_output(tmp_path):
    # a lecture deck's code-fold: Quarto's rules for details give its summary the muted text colour and 1em under
    # the block, so the printed output does not touch the code
    (tmp_path / "deck.qmd").write_text("---\ntitle: Deck\nformat:\n  revealjs:\n    code-fold: true\n---\n\n"
                                       "## Code\n\n```{python}\n#| echo: true\nprint('p-value: 0.17')\n```\n",
                                       encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    with Browser(1050, 700) as browser:
        browser.open((tmp_path / "out" / "deck.html").as_uri() + "#/code", wait_for=REVEAL_READY)
        summary, body, gap = browser.evaluate(
            "(s => [getComputedStyle(s.querySelector('details > summary')).color, getComputedStyle(s).color,"
            " s.querySelector('.cell-output').getBoundingClientRect().top -"
            " s.querySelector('details').getBoundingClientRect().bottom])(document.querySelector('section#code'))")
    assert summary != body and gap > 10


def test_a_section_slides_footnotes_and_a_table_floats_own_caption_show_on_the_slide_as_in_quarto(tmp_path):
    # a "# Part" slide with text of its own shows its footnote at its foot (pandoc 3.9 leaves such a slide's
    # notes out; Quarto's deck shows them), numbered in document order; a table float whose caption is the
    # table's own (": Caption" under it) is "Table 1: Caption" on a slide and in the PDF, as on a page, and
    # keeps its style
    require_tool("xelatex")
    (tmp_path / "deck.qmd").write_text(
        "---\ntitle: D\n---\n\n## First\n\nA slide[^a].\n\n# Part {style=\"text-align: center;\"}\n\n"
        "Its own text[^b].\n\n## Table\n\n::: {#tbl-batch style=\"font-size: 0.7em;\"}\n\n"
        "| Year | Who |\n|:-:|:-:|\n| 2016 | He |\n\n: Batch scaling {.striped}\n\n:::\n\n"
        "[^a]: The first note.\n[^b]: The note of the part.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--to", "revealjs,pdf", "--output-dir", str(tmp_path))
    assert code == 0, stderr
    deck = BeautifulSoup((tmp_path / "deck.html").read_text(encoding="utf-8"), "html.parser")
    part = deck.select_one("section#part")
    assert part.select_one("p sup").get_text() == "2"
    notes = part.select("aside > ol.aside-footnotes > li")
    assert [" ".join(n.get_text().split()) for n in notes] == ["The note of the part."]
    assert part.select_one("aside > ol.aside-footnotes")["start"] == "2"
    assert " ".join(deck.select_one("section#table caption").get_text().split()) == "Table 1: Batch scaling"
    # the float's style (its table's text smaller) stays on the float around the table, as Quarto keeps it
    assert deck.select_one("#tbl-batch").find_parent(class_="quarto-float")["style"] == "font-size: 0.7em;"
    assert "Table 1: Batch scaling" in " ".join(pdf_text(tmp_path / "deck.pdf").split())
    # a slide's footnotes take its alignment, as Quarto's asides do (a centred slide centres them)
    align = "getComputedStyle(Reveal.getCurrentSlide().querySelector('aside')).textAlign"
    with Browser(1280, 720) as browser:
        for fragment, expected in (("#/first", "left"), ("#/part", "center")):
            browser.open((tmp_path / "deck.html").as_uri() + fragment, wait_for=REVEAL_READY)
            assert browser.evaluate(align) == expected


def test_a_centred_slide_with_a_diagram_is_centred_on_the_drawing_not_its_source(tmp_path):
    # reveal.js centres a "# Part" slide by its height when the deck starts, while its mermaid diagram is still
    # its source text (taller than the slide: placed at the top); once mermaid has drawn it, the deck lays its
    # slides out again, as Quarto's deck shows it: centred (also when another diagram fails to draw)
    edges = "\n".join(f"  n{i} --> n{i + 1}" for i in range(40))
    (tmp_path / "deck.qmd").write_text(
        f"---\ntitle: D\nformat: revealjs\n---\n\n## First\n\nText.\n\n# Part\n\n```{{mermaid}}\nflowchart LR\n"
        f"{edges}\n```\n\n## Broken\n\n```{{mermaid}}\nflowchart LR\n  a --> \n```\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "deck.html").as_uri() + "#/part", wait_for=REVEAL_READY)
        browser.wait("Reveal.getCurrentSlide().querySelector('svg') !== null")
        browser.wait("parseFloat(Reveal.getCurrentSlide().style.top) > 0", timeout=10)
        top, height, slide_height = browser.evaluate(
            "[parseFloat(Reveal.getCurrentSlide().style.top), Reveal.getCurrentSlide().scrollHeight, "
            "Reveal.getComputedSlideSize().height]")
        assert abs(top - (slide_height - height) / 2) < 2


def test_a_layouts_vertical_alignment_and_style_reach_its_rows_and_panel_as_in_quarto(tmp_path):
    # ::: {layout="[60,40]" layout-valign="center" style="..."}: Quarto's rows take the class
    # quarto-layout-valign-center (the cells centred on each other) and the panel keeps the author's style
    body = ("::: {layout=\"[60,40]\" layout-valign=\"center\" style=\"border: 1px solid red;\"}\n\n"
            "::: {.col1}\nShort text.\n:::\n\n::: {.col2}\nA\n\nB\n\nC\n\nD\n\nE\n:::\n\n:::\n")
    for name, to in (("page", "html"), ("deck", "revealjs")):
        (tmp_path / f"{name}.qmd").write_text(f"---\ntitle: L\nformat: {to}\n---\n\n## S\n\n{body}", encoding="utf-8")
        code, stderr = render_cli(str(tmp_path / f"{name}.qmd"), "--output-dir", str(tmp_path))
        assert code == 0, stderr
        soup = BeautifulSoup((tmp_path / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        row = soup.select_one(".quarto-layout-row")
        assert "quarto-layout-valign-center" in row["class"], name
        assert row.parent["style"] == "border: 1px solid red;", name
        with Browser(1280, 720) as browser:
            browser.open((tmp_path / f"{name}.html").as_uri() + ("#/s" if name == "deck" else ""),
                         wait_for=REVEAL_READY if name == "deck" else "document.readyState === 'complete'")
            centres = browser.evaluate("[...document.querySelectorAll('.quarto-layout-cell')].map(c => "
                                       "{ const r = c.getBoundingClientRect(); return r.top + r.height / 2; })")
            assert abs(centres[0] - centres[1]) < 2, name
