"""Title blocks as Quarto shows them (authors under ``author`` or ``authors``, with their affiliations,
ORCID and dates, on a page, a title slide and in a PDF), and two things real decks rely on: columns
that keep the widths they are given, and a deck's .scss that imports a remote font while setting the
background (the import must not swallow the rule after it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmdrender.authors import Affiliation, document_authors

from .browser import REVEAL_READY, Browser
from .conftest import pdf_text, render_cli, require_tool

FRONT = """\
title: Shared notes
authors:
  - name: Ada *Lovelace*
    orcid: 0000-0001-2345-6789
    url: https://example.org/ada
    affiliations:
      - ref: eng
  - name:
      given: Alan
      family: Turing
    affiliation: Bletchley Park
affiliations:
  - id: eng
    name: Analytical Engines <br> London
date: 2024-12-05
date-modified: 2025-01-10
"""
PAGE = (f"---\n{FRONT.replace('family: Turing', 'family: Turing' + chr(10) + '    email: alan@example.org')}"
        "format:\n  html: default\n  pdf: default\n---\n\nBody text.\n")
SIMPLE = ("---\ntitle: One author\nauthor: Grace Hopper\ndate: 2024-12-05\ndescription: Metrics for *classification*\n"
          "---\n\nText.\n")
POST = ("---\ntitle: A post\nsubtitle: Under the title\ncategories: [python, LLMs]\nformat:\n  html:\n"
        "    theme: cosmo\n---\n\nText.\n")
BARE = "---\ntitle: Bare\ncategories: [hidden]\ntitle-block-categories: false\n---\n\nText.\n"
DECK = f"""\
---
{FRONT}format:
  revealjs:
    theme: [default, look.scss]
    title-slide-attributes:
      data-background-image: backdrop.png
---

## Side by side

:::: {{.columns}}
::: {{.column width="65%"}}
Wide column with a long line of text that would wrap in a narrow column.

::: {{.column style="font-size: 90%;"}}
- nested, not a column of its own
:::
:::
::: {{.column width="35%"}}
Narrow.
:::
::::
"""
LOOK = """\
/*-- scss:defaults --*/
@import url('https://fonts.googleapis.com/css2?family=JetBrains+Mono:ital,wght@0,400;1,400&display=swap');
$body-bg: #003350 !default;
$body-color: #fffae6 !default;
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    require_tool("xelatex")
    folder = tmp_path_factory.mktemp("titles")
    (folder / "page.qmd").write_text(PAGE)
    (folder / "simple.qmd").write_text(SIMPLE)
    (folder / "post.qmd").write_text(POST)
    (folder / "bare.qmd").write_text(BARE)
    (folder / "deck.qmd").write_text(DECK)
    (folder / "look.scss").write_text(LOOK)
    from PIL import Image

    Image.new("RGB", (64, 36), "navy").save(folder / "backdrop.png")  # pandoc then writes role="img" first
    code, stderr = render_cli(*(str(folder / f"{n}.qmd") for n in ("page", "simple", "deck", "post", "bare")),
                              "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    return folder / "out"


def test_authors_resolve_affiliation_refs_names_and_orcid():
    authors = document_authors({"authors": [
        {"name": {"given": "Alan", "family": "Turing"}, "affiliations": [{"ref": "x"}, "Plain Uni"],
         "orcid": "https://orcid.org/0000-0002-0000-0000"},
        "Grace Hopper"], "affiliations": [{"id": "x", "department": "Maths", "url": "https://x.org"}]})
    assert [a.name for a in authors] == ["Alan Turing", "Grace Hopper"]
    assert authors[0].affiliations == (Affiliation("Maths", "https://x.org"), Affiliation("Plain Uni"))
    assert authors[0].orcid == "0000-0002-0000-0000" and authors[1].affiliations == ()


def test_a_page_shows_authors_beside_their_affiliations_then_the_dates(rendered):
    with Browser(1100, 700) as browser:
        browser.open((rendered / "page.html").as_uri())
        cells = browser.evaluate("[...document.querySelectorAll('header .quarto-title-meta-author > div')]"
                                 ".map(d => d.innerText.replace(/\\s+/g, ' ').trim())")
        meta = browser.evaluate("[...document.querySelectorAll('header .quarto-title-meta > div')]"
                                ".map(d => d.textContent.replace(/\\s+/g, ' ').trim())")
        links = browser.evaluate("[...document.querySelectorAll('header p.author a')].map(a => a.href)")
        envelope = browser.evaluate("(a => [a.querySelector('svg') !== null, a.innerText.trim(),"
                                    " a.getBoundingClientRect().width])(document.querySelector("
                                    "'header .quarto-title-author-email'))")
        marked = browser.evaluate("[...document.querySelectorAll('header p.author em')].map(e => e.textContent)")
        columns = browser.evaluate("getComputedStyle(document.querySelector('.quarto-title-meta-author'))"
                                   ".gridTemplateColumns.split(' ').length")
        plain = browser.evaluate("[...document.querySelectorAll('header p.author a')]"
                                 ".map(a => getComputedStyle(a).textDecorationLine)")
        browser.open((rendered / "simple.html").as_uri())
        simple = browser.evaluate("[...document.querySelectorAll('header .quarto-title-meta > div')]"
                                  ".map(d => d.textContent.replace(/\\s+/g, ' ').trim())")
        described = browser.evaluate("[...document.querySelectorAll('header > *')].map(e => e.className || e.tagName)"
                                     ".concat([document.querySelector('header .description > p em').innerText])")
        sizes = browser.evaluate("[getComputedStyle(document.querySelector('header .description > p')).fontSize,"
                                 " getComputedStyle(document.querySelector('main')).fontSize, Math.round("
                                 "document.querySelector('header .description > p').getBoundingClientRect().top"
                                 " - document.querySelector('h1.title').getBoundingClientRect().bottom)]")
    assert cells == ["AUTHORS", "AFFILIATIONS", "Ada Lovelace", "Analytical Engines London",
                     "Alan Turing", "Bletchley Park"]
    assert columns == 2  # names and affiliations side by side
    assert meta == ["Published December 5, 2024", "Modified January 10, 2025"]
    assert links == ["https://example.org/ada", "https://orcid.org/0000-0001-2345-6789", "mailto:alan@example.org"]
    assert plain == ["none"] * 3  # Quarto's title block links are not underlined (KIT's numerics book)
    # the e-mail as Quarto's Bootstrap envelope icon after the name (KIT's numerics book, Quarto 1.7), not a glyph
    assert envelope[0] and envelope[1] == "" and 8 < envelope[2] < 30
    assert marked == ["Lovelace"]  # a name is Markdown, as Quarto reads it
    assert simple == ["Author Grace Hopper", "Published December 5, 2024"]
    # the description (Markdown, in its paragraph) under the title, before the metadata, as Quarto's title block
    # shows it
    # (the title in Quarto's div.quarto-title, first in the header)
    assert described[-1] == "classification" and described.index("quarto-title") < described.index("quarto-title-meta")
    # a tenth smaller than the text, under the title with no margin of its own (a student's reflections, Quarto
    # 1.6; the default look's title keeps its own margin)
    assert abs(float(sizes[0][:-2]) - 0.9 * float(sizes[1][:-2])) < 0.1 and sizes[2] < 20, sizes


def test_a_pages_institute_is_its_authors_affiliation_in_the_title_block(tmp_path):
    # Quarto attaches institute: to the authors in every format (a course site sets it once in _quarto.yml)
    (tmp_path / "notes.qmd").write_text("---\ntitle: Books\nauthor: Marco Willi\ninstitute: Data Science Institute\n"
                                        "format:\n  html:\n    theme: yeti\n---\n\nText.\n")
    code, stderr = render_cli(str(tmp_path / "notes.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    with Browser(1100, 700) as browser:
        browser.open((tmp_path / "out" / "notes.html").as_uri())
        cells = browser.evaluate("[...document.querySelectorAll('header .quarto-title-meta-author > div')]"
                                 ".map(d => d.innerText.replace(/\\s+/g, ' ').trim())")
        shown = browser.evaluate("document.querySelectorAll('p.institute').length")
    assert cells == ["AUTHOR", "AFFILIATION", "Marco Willi", "Data Science Institute"] and shown == 0


def test_a_page_has_quartos_title_block_markup_with_its_categories_under_the_title(rendered):
    with Browser() as browser:
        browser.open((rendered / "post.html").as_uri())
        post = browser.evaluate("""(() => { const h = document.querySelector('header#title-block-header');
          const pill = h.querySelector('.quarto-title > .quarto-categories > .quarto-category');
          return [h.className, [...h.children].map(e => e.className),
                  [...h.querySelector('.quarto-title').children].map(e => e.className),
                  [...h.querySelectorAll('.quarto-category')].map(e => e.innerText),
                  getComputedStyle(pill).borderStyle, getComputedStyle(pill).opacity]; })()""")
        browser.open((rendered / "bare.html").as_uri())
        bare = browser.evaluate("[document.querySelectorAll('.quarto-category').length, "
                                "[...document.querySelector('header').children].map(e => e.className)]")
    assert post[0] == "quarto-title-block default"
    assert post[1] == ["quarto-title", "quarto-title-meta"]  # the metadata's place, empty here, as Quarto's
    assert post[2] == ["title", "subtitle lead", "quarto-categories"]
    assert post[3] == ["PYTHON", "LLMS"]  # small capitals in a thin frame, as Quarto's pills
    assert post[4] == "solid" and post[5] == "0.6"
    assert bare == [0, ["quarto-title", "quarto-title-meta"]]  # title-block-categories: false


def test_a_pdf_names_its_authors_without_affiliations_as_quartos_latex_title_does(rendered):
    text = " ".join(pdf_text(rendered / "page.pdf", layout=False).split())
    assert text.startswith("Shared notes Ada Lovelace Alan Turing")
    assert "Bletchley Park" not in text


def test_a_title_slide_lists_authors_with_affiliations_and_columns_keep_their_widths(rendered):
    with Browser(1280, 720) as browser:
        browser.open((rendered / "deck.html").as_uri(), wait_for=REVEAL_READY)
        authors = browser.evaluate("[...document.querySelectorAll('#title-slide .quarto-title-author')]"
                                   ".map(a => [a.querySelector('.quarto-title-author-name').textContent.trim(),"
                                   " [...a.querySelectorAll('.quarto-title-affiliation')]"
                                   ".map(p => p.innerText.replace(/\\s+/g, ' '))])")
        marked = browser.evaluate("[...document.querySelectorAll('#title-slide .quarto-title-author-name em')]"
                                  ".map(e => e.textContent)")
        background = browser.evaluate("getComputedStyle(document.querySelector('.reveal-viewport')).backgroundColor")
        imported = browser.evaluate("[...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)"
                                    ".filter(h => h.includes('fonts.googleapis.com')).length")
        browser.evaluate("Reveal.slide(1)")
        widths = browser.evaluate("[...Reveal.getCurrentSlide().querySelectorAll(':scope > .columns > .column')]"
                                  ".map(c => c.getBoundingClientRect().width)")
        slide = browser.evaluate("Reveal.getCurrentSlide().getBoundingClientRect().width")
    assert authors == [["Ada Lovelace", ["Analytical Engines London"]], ["Alan Turing", ["Bletchley Park"]]]
    assert marked == ["Lovelace"]  # a name is Markdown (a deck's ORCID icon written into it, with HTML)
    assert background == "rgb(0, 51, 80)"  # the deck's $body-bg, after a remote @import (";" in its address)
    assert imported == 1  # linked for the reader's browser to fetch (offline here)
    assert len(widths) == 2
    assert widths[0] / slide == pytest.approx(0.65, abs=0.02) and widths[1] / slide == pytest.approx(0.35, abs=0.02)


def test_a_title_banner_spans_the_window_and_the_contents_start_under_it(tmp_path):
    # title-block-banner (Quarto 1.8's banner partial): the title, subtitle, description and categories on a band
    # across the window in the text's column, the authors and date under it; the margin's contents below it;
    # a path to an image beside the document is the banner's picture
    from bs4 import BeautifulSoup
    from PIL import Image

    Image.new("RGB", (40, 10), (10, 120, 60)).save(tmp_path / "band.png")
    body = "\n\n".join(f"## Part {n}\n\nText of part {n}." for n in range(1, 4))
    for name, banner, toc in (("plain", "true", "true"), ("pictured", "band.png", "true"), ("alone", "true", "false")):
        (tmp_path / f"{name}.qmd").write_text(
            f"---\ntitle: Banner\nsubtitle: Under it\ndescription: What it is.\nauthor: Ada Lovelace\n"
            f"categories: [one]\ntitle-block-banner: {banner}\ntoc: {toc}\n---\n\n{body}\n", encoding="utf-8")
        code, stderr = render_cli(str(tmp_path / f"{name}.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
        assert code == 0, stderr
    page = BeautifulSoup((tmp_path / "out" / "plain.html").read_text(encoding="utf-8"), "html.parser")
    banner = page.select_one("header#title-block-header > div.quarto-title-banner > div.quarto-title.column-body")
    shown = [e.get_text(" ", strip=True) for e in banner.select("h1.title, p.subtitle, .description, .quarto-category")]
    assert shown == ["Banner", "Under it", "What it is.", "one"]
    assert page.select_one("header#title-block-header > .quarto-title-meta .author").get_text() == "Ada Lovelace"
    with Browser(1400, 800) as browser:
        browser.open((tmp_path / "out" / "plain.html").as_uri(), wait_for="document.readyState === 'complete'")
        band, title, text, toc, width = browser.evaluate(
            "[...['.quarto-title-banner', '.quarto-title-banner h1', 'main p', 'nav#TOC']].map(s => (r => [r.left, "
            "r.right, r.top, r.bottom])(document.querySelector(s).getBoundingClientRect())).concat("
            "[document.documentElement.clientWidth])")
        browser.open((tmp_path / "out" / "pictured.html").as_uri(), wait_for="document.readyState === 'complete'")
        picture = browser.evaluate("getComputedStyle(document.querySelector('.quarto-title-banner')).backgroundImage")
        # nothing in the margin: the text alone, centred (the banner's column-body is no margin content)
        browser.open((tmp_path / "out" / "alone.html").as_uri(), wait_for="document.readyState === 'complete'")
        alone = browser.evaluate("[...['.quarto-title-banner', '.quarto-title-banner h1', 'main p']].map(s => (r => "
                                 "[r.left, r.right])(document.querySelector(s).getBoundingClientRect())).concat("
                                 "[document.documentElement.clientWidth])")
    assert band[0] == 0 and abs(band[1] - width) < 1 and band[2] == 0  # across the window, at its top
    assert abs(title[0] - text[0]) < 1  # the title in the text's column
    assert toc[2] >= band[3]  # the contents under the banner, not over it
    assert picture.startswith('url("data:image/png')  # the image, in the page
    (band_left, band_right), (title_left, _), (text_left, text_right), window = alone
    assert band_left == 0 and abs(band_right - window) < 1 and abs(title_left - text_left) < 1
    assert abs(text_left - (window - text_right)) <= 2


@pytest.mark.parametrize("navbar", [False, True])
def test_a_title_banner_beside_a_sidebar_spans_the_window_above_it_and_the_sidebar_starts_under_the_title_block(
        tmp_path, navbar):
    # A Bayesian data analysis course's homework pages (Quarto 1.4: a floating sidebar, no navbar): Quarto puts the
    # title block above its sidebar, the banner across the window with the title in the text's column, the
    # breadcrumbs in a bar above it; the banner had run past the window's right edge (a scrollbar) beside the
    # sidebar, which covered its left part
    bar = "  navbar:\n    left: [index.qmd]\n" if navbar else ""
    (tmp_path / "_quarto.yml").write_text(
        f"project:\n  type: website\nwebsite:\n  title: Course\n{bar}  sidebar:\n    contents:\n"
        "      - section: Assignments\n        contents: [index.qmd, two.qmd]\nformat:\n  html:\n    theme: cosmo\n",
        encoding="utf-8")
    text = "\n\n".join(f"The text of the homework, part {n}." for n in range(80))  # long enough to scroll
    (tmp_path / "index.qmd").write_text("---\ntitle: Homework 8\nsubtitle: Exercise 4\ntitle-block-banner: true\n"
                                        f"author: Ada Lovelace\n---\n\n{text}\n", encoding="utf-8")
    (tmp_path / "two.qmd").write_text("---\ntitle: Two\n---\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path))
    assert code == 0, stderr
    with Browser(1400, 800) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri(), wait_for="document.readyState === 'complete'")
        band, title, text, block, sidebar, crumbs, window = browser.evaluate(
            "[...['.quarto-title-banner', '.quarto-title-banner h1', 'main p', 'header#title-block-header', "
            "'#quarto-sidebar', '.quarto-title-breadcrumbs']].map(s => (r => [r.left, r.right, r.top, r.bottom])("
            "document.querySelector(s).getBoundingClientRect())).concat([[document.documentElement.scrollWidth, "
            "document.documentElement.clientWidth]])")
        browser.evaluate("window.scrollTo(0, 2000)")
        # scrolled: the sidebar rises with the title block, to the window's top (under the navbar)
        browser.wait("document.querySelector('#quarto-sidebar').getBoundingClientRect().top < 80", timeout=5)
    assert band[0] == 0 and abs(band[1] - window[1]) < 1 and window[0] == window[1]  # across it, no scrollbar
    assert abs(title[0] - text[0]) < 1 and title[1] <= text[1] + 1  # the title in the text's column
    assert sidebar[2] >= block[3] - 1  # the sidebar under the whole title block, not over the banner
    if not navbar:
        assert crumbs[3] <= band[2] + 1  # the breadcrumbs above the banner


def test_a_page_without_a_title_still_shows_its_authors_and_date_in_the_title_block(tmp_path):
    # a computer-vision course's exercises page (Quarto 1.8): no front matter, the site's author and
    # affiliation; Quarto's title block shows them above the page's own "# Exercises"
    (tmp_path / "exercises.qmd").write_text("---\nauthor:\n  - name: Marco Willi\n    affiliation: FHNW\n"
                                            "date: 2024-12-05\n---\n\n# Exercises\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "exercises.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    from bs4 import BeautifulSoup

    page = BeautifulSoup((tmp_path / "out" / "exercises.html").read_text(encoding="utf-8"), "html.parser")
    header = page.select_one("main header#title-block-header")
    assert header is not None and header.select_one("h1.title") is None
    text = " ".join(header.get_text(" ").split())
    assert "Marco Willi" in text and "FHNW" in text and "December 5, 2024" in text
    assert page.select_one("main section#exercises > h1").get_text() == "Exercises"


def test_a_page_without_a_title_has_a_title_block_for_its_subtitle_categories_or_abstract(tmp_path):
    # Quarto's template writes its title block for a subtitle, categories, an abstract ... without a title (a
    # blog's posts page with a subtitle alone); a page with none of them has none
    from bs4 import BeautifulSoup

    (tmp_path / "posts.qmd").write_text("---\ntitle: \"\"\nsubtitle: Notes on *R* and research\n"
                                        "categories: [R, maps]\nabstract: What we **found**.\n---\n\nText.\n",
                                        encoding="utf-8")
    (tmp_path / "plain.qmd").write_text("Just text.\n", encoding="utf-8")
    for name in ("posts", "plain"):
        code, stderr = render_cli(str(tmp_path / f"{name}.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
        assert code == 0, stderr
    page = BeautifulSoup((tmp_path / "out" / "posts.html").read_text(encoding="utf-8"), "html.parser")
    header = page.select_one("main header#title-block-header")
    assert header is not None and header.select_one("h1.title") is None
    subtitle = header.select_one(".quarto-title > p.subtitle.lead")
    assert subtitle.get_text() == "Notes on R and research" and subtitle.select_one("em").get_text() == "R"
    assert [c.get_text(strip=True) for c in header.select(".quarto-categories .quarto-category")] == ["R", "maps"]
    assert header.select_one(".abstract .abstract-title").get_text(strip=True) == "Abstract"
    assert header.select_one(".abstract strong").get_text() == "found"
    plain = BeautifulSoup((tmp_path / "out" / "plain.html").read_text(encoding="utf-8"), "html.parser")
    assert plain.select_one("header#title-block-header") is None
