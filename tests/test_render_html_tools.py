"""Quarto's HTML page tools, clicked in headless Chromium: section anchors, the code copy button, the code-tools menu,
``code-overflow: wrap``, "Other Formats" links, the lightbox, ``tbl-colwidths``; and ``df-print``,
which Quarto ignores for Python documents, said in a warning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .browser import REVEAL_READY, Browser
from .conftest import render_cli, render_document

DOCUMENTS = Path(__file__).resolve().parent / "documents"


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("html-tools")
    shutil.copy(DOCUMENTS / "html_tools.qmd", folder)
    code, stderr = render_cli(str(folder / "html_tools.qmd"), "--output-dir", str(folder))
    assert code == 0, stderr
    path = folder / "html_tools.html"
    return {"path": path, "soup": BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"), "stderr": stderr}


def _rendered(folder: Path, name: str, text: str, *arguments: str) -> Path:
    """``text`` written to ``folder/name.qmd`` and rendered (with ``arguments``) into ``folder/out``: the page."""
    return render_document(folder, name, text, *arguments)[0]


def test_other_formats_link_to_the_other_outputs_in_the_margin_and_df_print_is_explained(page):
    # Quarto's links: every other format this render wrote (the deck too, under its own output-file), named and
    # iconed as Quarto names them, in the margin column (no contents here: a margin of their own)
    links = page["soup"].select("nav#TOC .quarto-alternate-formats a")
    assert [(a.get_text(strip=True), a["href"], a.get("download")) for a in links] == \
        [("Jupyter", "html_tools.ipynb", "html_tools.ipynb"), ("RevealJS", "html_tools-slides.html", None)]
    assert [a.svg["class"][-1] for a in links] == ["bi-journal-code", "bi-file-slides"]
    assert (page["path"].parent / "html_tools-slides.html").is_file()
    assert "df-print applies to R (knitr) documents" in page["stderr"]
    assert "not supported" not in page["stderr"]
    with Browser(1400, 800) as browser:
        browser.open(page["path"].as_uri(), wait_for="document.readyState === 'complete'")
        beside = browser.evaluate("document.querySelector('.quarto-alternate-formats').getBoundingClientRect().left"
                                  " - document.querySelector('main').getBoundingClientRect().right")
        assert beside > 0


def test_other_formats_go_under_the_contents_and_only_for_formats_this_render_wrote(tmp_path):
    (tmp_path / "links.qmd").write_text(
        "---\ntitle: Links\ntoc: true\nformat:\n  html: default\n  docx: default\n  ipynb: default\n"
        "format-links: [docx, {text: Data, href: data.csv, icon: filetype-csv}]\n---\n\n## One\n\nText.\n",
        encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "links.qmd"), "--to", "html", "--output-dir", str(tmp_path / "alone"))
    assert code == 0, stderr
    alone = BeautifulSoup((tmp_path / "alone" / "links.html").read_text(encoding="utf-8"), "html.parser")
    assert alone.select(".quarto-alternate-formats") == []  # as Quarto: no link to a file this render did not write
    code, stderr = render_cli(str(tmp_path / "links.qmd"), "--output-dir", str(tmp_path / "all"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "all" / "links.html").read_text(encoding="utf-8"), "html.parser")
    toc = soup.select_one("nav#TOC")
    assert [a["href"] for a in toc.select("a")] == ["#one", "links.docx", "data.csv"]  # the list's, in its order
    assert [a.get_text(strip=True) for a in toc.select(".quarto-alternate-formats a")] == ["MS Word", "Data"]
    assert toc.select_one(".quarto-alternate-formats h2").get_text() == "Other Formats"
    with Browser(1400, 800) as browser:  # a small heading under the contents, as Quarto's tools headings (0.8rem)
        browser.open((tmp_path / "all" / "links.html").as_uri(), wait_for="document.readyState === 'complete'")
        size, rule = browser.evaluate("(c => [parseFloat(c.fontSize) / parseFloat(getComputedStyle(document"
                                      ".documentElement).fontSize), c.borderBottomWidth])(getComputedStyle("
                                      "document.querySelector('.quarto-alternate-formats h2')))")
    assert abs(size - 0.8) < 0.01 and rule == "0px"


def test_each_cell_is_in_quartos_cell_div_with_its_label_classes_and_count(page):
    soup = page["soup"]
    figure_cell = soup.select_one("div#fig-line.quarto-float > figure").find_parent("div", class_="cell")
    assert figure_cell is not None and figure_cell["data-execution_count"] == "1"
    assert figure_cell["id"] == "cell-fig-line"  # Quarto's id of a labelled cell: cell- and the label
    assert figure_cell.select_one("div.sourceCode.cell-code") is not None  # the code, beside the float
    # Quarto hoists cell-code from the pre to its div: a count of .cell-code counts each cell's code once
    assert soup.select("pre.cell-code") == [] and soup.select("div.sourceCode.cell-code > pre.sourceCode")
    plain = soup.select_one("div.cell#cell-plain-cell.plain")  # as Quarto's test of classes: div.cell.plain
    assert plain.select_one("div.cell-output-stdout").get_text(strip=True) == "in a cell of its own"
    # an uncaptioned plot in Quarto's markup: an output div, a bare div, figure.figure, the image's paragraph
    assert plain.select("div.cell-output-display > div > figure.figure > p img.figure-img")
    loose = next(p for p in soup.select("p") if "Loose words" in p.get_text())
    assert loose.find_parent("div", class_="cell") is None  # output: asis is the page's own text, as in Quarto


def test_tbl_colwidths_sets_the_markdown_tables_column_widths(page):
    widths = [col.get("style", "") for col in page["soup"].select("table colgroup col")]
    assert widths == ["width: 25%", "width: 75%"]


def test_copy_buttons_code_tools_wrapping_and_lightbox_work_in_chromium(page):
    # the "Code" menu is in the page as written, beside the title, its entries text (as Quarto writes them)
    menu = page["soup"].select_one("header#title-block-header details.code-tools-menu + h1.title")
    assert menu is not None
    assert [li.get_text() for li in page["soup"].select("details.code-tools-menu li")] == \
        ["Show All Code", "Hide All Code", "View Source"]
    assert "dropdown-toggle" in page["soup"].select_one("details.code-tools-menu > summary")["class"]  # its caret
    with Browser(1000, 800) as browser:
        browser.open(page["path"].as_uri(), wait_for="document.readyState === 'complete'")
        assert browser.evaluate("document.querySelectorAll('.code-copy-button').length") == 4  # one per code block
        # the document's code-overflow is a page-wide rule; a cell's own marks its block, as Quarto's engine does
        assert browser.evaluate("document.querySelectorAll('pre.code-overflow-wrap').length") == 0
        assert browser.evaluate("getComputedStyle(document.querySelector('pre.code-overflow-scroll > code'))"
                                ".whiteSpace") == "pre"
        # anchor-sections (Quarto's default): a link to the section, and the heading's text is unchanged
        heading = "document.querySelector('section#a-linked-section > h2')"  # Quarto's section divs
        assert browser.evaluate(f"{heading}.querySelector('a.anchor-section').getAttribute('href')") == \
            "#a-linked-section"
        assert browser.evaluate(f"{heading}.innerText") == "A linked section"
        browser.evaluate("document.querySelector('details.code-fold').open = true")
        # Quarto's button: its clipboard icon, then the checked one and "Copied!" once the code is copied
        # (Quarto's <i class="bi">, the icon a mask of Bootstrap's SVG drawn in the text's colour)
        icon = "getComputedStyle(document.querySelector('.code-copy-button > i.bi'), '::before').maskImage"
        assert "bi-clipboard%22" in browser.evaluate(icon) or "bi-clipboard'" in browser.evaluate(icon)
        browser.evaluate("document.querySelector('.code-copy-button').click()")
        browser.wait(f"document.querySelector('.code-copy-button').title === 'Copied!' && {icon}"
                     ".includes('bi-clipboard-check')", timeout=10)
        wrap = "getComputedStyle(document.querySelector('div.sourceCode code')).whiteSpace"
        assert browser.evaluate(wrap) == "pre-wrap"
        # a printed output keeps its lines (it scrolls), as on Quarto's pages (Python for Data Science, Quarto 1.5)
        assert browser.evaluate("getComputedStyle(document.querySelector('div.cell-output-stdout pre code'))"
                                ".whiteSpace") == "pre"
        # code-block-border-left and code-block-bg: a blue rule left of each block, on the grey asked for
        block = "getComputedStyle(document.querySelector('pre.sourceCode'))"
        assert browser.evaluate(f"{block}.borderLeftWidth + ' ' + {block}.borderLeftColor") == "3px rgb(49, 186, 233)"
        assert browser.evaluate("getComputedStyle(document.querySelector('div.sourceCode')).backgroundColor") == \
            "rgb(250, 250, 250)"
        # and with the rule, at Quarto's lg width (this window is 1000px), the code's text lines up with the page's
        # text, its rule in the gutter (DevStart: Quarto 1.5 shifts the block by the rule and its padding)
        code, text = browser.evaluate("['div.sourceCode code', 'main p'].map(s => "
                                      "document.querySelector(s).getBoundingClientRect().left)")
        assert abs(code - text) <= 2
        # code-tools: Quarto's "Code" menu at the right of the title, level with it
        menu, title = browser.evaluate("['details.code-tools-menu > summary', 'h1.title'].map(s => (r => [r.top, "
                                       "r.bottom, r.right])(document.querySelector(s).getBoundingClientRect()))")
        assert title[0] <= menu[0] < title[1] and menu[2] > title[2] - 5
        caret = "getComputedStyle(document.querySelector('details.code-tools-menu > summary'), '::after')"
        assert browser.evaluate(f"{caret}.borderTopStyle + ' ' + {caret}.borderLeftColor") == "solid rgba(0, 0, 0, 0)"
        # hide all folded code, then view the source
        browser.evaluate("document.querySelector('details.code-fold').open = true")
        click = "Array.from(document.querySelectorAll('.code-tools-items button')).find(b => b.textContent === '{}')" \
                ".click()"
        browser.evaluate(click.format("Hide All Code"))
        assert browser.evaluate("document.querySelector('details.code-fold').open") is False
        browser.evaluate(click.format("View Source"))
        assert browser.evaluate("document.getElementById('code-tools-source').open") is True
        assert "tbl-colwidths" in browser.evaluate("document.getElementById('code-tools-source').innerText")
        browser.evaluate("document.getElementById('code-tools-source').close()")
        # lightbox: the figure opens over the page with its caption, Escape closes it
        browser.evaluate("document.querySelector('img.lightbox-image').click()")
        assert browser.evaluate("document.querySelector('.lightbox-overlay').hidden") is False
        assert "A line to zoom into" in browser.evaluate("document.querySelector('.lightbox-overlay').innerText")
        browser.key("Escape")
        assert browser.evaluate("document.querySelector('.lightbox-overlay').hidden") is True


TABLES = """---
title: Tables
---

| A | B |
|---|---|
| 1 | 2 |

: Curly {tbl-colwidths=\u201c[20, 80]\u201d}

| C | D | E |
|---|---|---|
| 1 | 2 | 3 |

: {tbl-colwidths="[80, 10, 10]", .striped, .hover}

```{python}
import pandas as pd
from IPython.display import Markdown
Markdown("| X | Y |\\n|---|---|\\n| 1 | 2 |")
```

```{python}
pd.DataFrame({"x": [1, 2]})
```

```{python}
from IPython.display import HTML
HTML('<table class="simpletable"><tr><td>Dep. Variable:</td><td>y</td></tr></table>')
```

```{=html}
<table class="striped hover"><tr><td>written in the text</td></tr></table>
<table class="striped" data-quarto-disable-processing="true"><tr><td>left alone</td></tr></table>
```

"""
# a table wider than any window, which asks for Bootstrap's scrolling holder
TABLES += ("\n| " + " | ".join(f"Column_number_{i}_with_a_long_name" for i in range(12)) + " |\n|" + "---|" * 12 +
           "\n| " + " | ".join(f"value_{i}_that_is_also_long" for i in range(12)) + " |\n\n: {.striped .responsive}\n")


def test_tables_take_quartos_bootstrap_classes_with_a_theme_and_a_captions_attributes_are_read_as_quarto_does(
        tmp_path):
    (tmp_path / "tables.qmd").write_text(TABLES, encoding="utf-8")
    (tmp_path / "themed.qmd").write_text(TABLES.replace("title: Tables\n", "title: Tables\ntheme: cosmo\n"),
                                         encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "tables.qmd"), str(tmp_path / "themed.qmd"), "--to", "html",
                              "--output-dir", str(tmp_path), "--jobs", "1")
    assert code == 0, stderr
    plain = BeautifulSoup((tmp_path / "tables.html").read_text(encoding="utf-8"), "html.parser")
    curly, commas, markdown, frame, summary, raw, kept, wide = plain.select("table")
    # curly quotes an editor made are read as straight ones; the attributes leave the caption
    assert curly.select_one("caption").get_text(strip=True) == "Curly"
    assert [col["style"] for col in curly.select("colgroup col")] == ["width: 20%", "width: 80%"]
    # attributes pandoc cannot read (commas between them) are dropped with the caption's braces, as in Quarto
    assert commas.select_one("caption") is None and "{" not in commas.get_text()
    # the default look has no Bootstrap: its own table rules, pandas' markup as it is
    assert not any("table" in (t.get("class") or []) for t in (curly, commas, markdown, frame, summary))
    # an HTML table in the text: its Bootstrap names as Bootstrap's classes (Quarto's 7079 test)
    assert raw["class"] == ["table-striped", "table-hover"] and kept["class"] == ["striped"]
    # .responsive: the table in a holder that scrolls it sideways (Quarto's 2997 test), not a class on it
    assert wide.parent["class"] == ["table-responsive"] and "table-responsive" not in wide["class"]
    themed = BeautifulSoup((tmp_path / "themed.html").read_text(encoding="utf-8"), "html.parser")
    curly, commas, markdown, frame, summary, raw, kept, wide = themed.select("table")
    # every Markdown table is a .table, its caption above it (Bootstrap's would be below)
    assert curly["class"] == ["caption-top", "table"] and commas["class"][-2:] == ["caption-top", "table"]
    # a table a cell made (Markdown output, a DataFrame, any HTML table: statsmodels' summary ...) is a
    # computational one, small and striped, after its own classes, as Quarto 1.9's pages class them
    computational = ["caption-top", "table", "table-sm", "table-striped", "small"]
    assert markdown["class"] == computational
    assert frame["class"] == ["dataframe", *computational] and summary["class"] == ["simpletable", *computational]
    assert not frame.has_attr("border") and not frame.select("tr[style]")
    # one written in the text, as Quarto reads it into a table; data-quarto-disable-processing keeps it as written
    assert raw["class"] == ["table-striped", "table-hover", "caption-top", "table"] and kept["class"] == ["striped"]
    assert not themed.select("style[scoped]")  # pandas' own alignment, which Quarto drops too
    with Browser(1000, 800) as browser:  # Bootstrap draws them, as in Quarto: full width, left-aligned
        # a wide responsive table scrolls in its holder: the page itself does not scroll sideways, in either look
        for name in ("tables", "themed"):
            browser.open((tmp_path / f"{name}.html").as_uri(), wait_for="document.readyState === 'complete'")
            assert browser.evaluate("document.documentElement.scrollWidth <= innerWidth"), name
        browser.open((tmp_path / "themed.html").as_uri(), wait_for="document.readyState === 'complete'")
        drawn = browser.evaluate("(() => { const t = document.querySelector('table.dataframe');"
                                 " return [t.getBoundingClientRect().width === t.parentElement.clientWidth,"
                                 " getComputedStyle(t.querySelector('tbody td')).textAlign,"
                                 " getComputedStyle(document.querySelector('caption')).captionSide]; })()")
    assert drawn[0] and drawn[1] in ("left", "start") and drawn[2] == "top"  # the caption above, as in Quarto


@pytest.mark.parametrize("to", ["html", "revealjs"])
def test_links_to_other_sites_open_a_new_window_with_quartos_icon_and_the_filter_keeps_the_sites_own(tmp_path, to):
    # a course's pages and decks set link-external-icon and link-external-newwindow
    page = _rendered(tmp_path, "doc", "---\ntitle: Links\nlink-external-icon: true\nlink-external-newwindow: true\n"
                     "link-external-filter: '^https://course\\.example\\.org'\n---\n\n## Links\n\n"
                     "[Other site](https://example.org/page), [our site](https://course.example.org/notes.html), "
                     "[a page](notes.html), [a section](#links) and [mail](mailto:a@example.org).\n", "--to", to)
    with Browser(1000, 700) as browser:
        browser.open(page.as_uri(), wait_for="document.readyState === 'complete'")
        links = browser.evaluate("[...document.querySelectorAll('a[href]')].filter(a => /site|page|section|mail/"
                                 ".test(a.textContent)).map(a => [a.textContent, a.classList.contains('external'),"
                                 " a.target, getComputedStyle(a, '::after').width])")
    external = [link for link in links if link[1]]
    assert [link[0] for link in external] == ["Other site"]
    assert external[0][2] == "_blank" and float(external[0][3].rstrip("px")) > 0  # a new window; the icon
    assert all(link[2] == "" for link in links if not link[1])


def test_a_new_window_without_the_icon_opens_links_to_other_sites_without_the_arrow(tmp_path):
    # a personal site: link-external-newwindow: true, link-external-icon: false, as Quarto's script does it:
    # the link opens a new window, keeps the rel its author gave, and shows no arrow (Quarto marks a.external
    # only for the icon); the navbar's link to another site is left alone
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: S\n  navbar:\n    left:\n      - href: https://example.org/cv\n"
        "        text: CV\nformat:\n  html:\n    theme: cosmo\n    link-external-icon: false\n"
        "    link-external-newwindow: true\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\n[Other site](https://example.org/page) and "
                                        "[kept](https://example.org/kept){rel=\"me\"}.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path))
    assert code == 0, stderr
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        links = browser.evaluate("[...document.querySelectorAll('main a[href^=http], nav a[href^=http]')].map(a => "
                                 "[a.textContent.trim(), a.target, a.rel, a.classList.contains('external'), "
                                 "getComputedStyle(a, '::after').content])")
    assert ["Other site", "_blank", "noopener", False, "none"] in links
    assert ["kept", "_blank", "me", False, "none"] in links
    assert next(link for link in links if link[0] == "CV")[1] == ""


def test_a_link_the_author_marks_external_shows_quartos_icon_on_a_page_without_the_option(tmp_path):
    # a lab's publication cards: <a class="external"> for the preprint, no link-external-icon; Quarto's Bootstrap
    # page carries the icon's rule whatever the options say, and its script marks no other link
    page = _rendered(tmp_path, "doc", "---\ntitle: Papers\n---\n\n"
                     '<a class="external" href="https://osf.io/x">Preprint</a> and [Journal](https://example.org/j).\n')
    with Browser(1000, 700) as browser:
        browser.open(page.as_uri(), wait_for="document.readyState === 'complete'")
        icons = browser.evaluate("[...document.querySelectorAll('main a[href]')].map(a => [a.textContent, "
                                 "getComputedStyle(a, '::after').content, a.classList.contains('external')])")
    assert icons == [["Preprint", '""', True], ["Journal", "none", False]]


def test_a_decks_footer_link_to_another_site_keeps_its_external_icon_from_slide_to_slide(tmp_path):
    deck = _rendered(tmp_path, "deck", "---\ntitle: Deck\nformat:\n  revealjs:\n    footer: "
                     "'[Course](https://example.org/course)'\n    link-external-icon: true\n---\n\n## One\n\nText.\n\n"
                     "## Two\n\nMore.\n")
    marked = "document.querySelector('.reveal > .footer a').classList.contains('external')"
    with Browser(1000, 700) as browser:
        browser.open(deck.as_uri(), wait_for=REVEAL_READY)
        # the deck's script writes the footer once reveal.js is ready: wait for it, as a reader's eye would
        browser.wait("document.querySelector('.reveal > .footer a') !== null")
        first = browser.evaluate(marked)
        browser.evaluate("Reveal.slide(2)")  # the footer is written again on every slide
        browser.wait("Reveal.getIndices().h === 2")
        assert first and browser.evaluate(marked)


def test_a_themed_pages_code_menu_and_section_numbers_look_as_quartos(tmp_path):
    # Quarto's "Code" button: its code-slash icon, no box, the theme's muted text at 1rem; a heading's number
    # followed by a space and no margin; 2rem between an opening paragraph and the first section; an indented
    # code block without a box (a course site on yeti, Quarto 1.8; a cosmo course site's callout, Quarto 1.7)
    page = _rendered(tmp_path, "themed", "---\ntitle: Notation\nnumber-sections: true\nformat:\n  html:\n"
                     "    theme: yeti\n    code-tools: true\n---\n\nIntro.\n\n## Numbers\n\nText.\n\n"
                     "    an indented block\n")
    with Browser(1200, 700) as browser:
        browser.open(page.as_uri(), wait_for="document.readyState === 'complete'")
        button = browser.evaluate("(b => [b.className, b.innerText.trim(), getComputedStyle(b).borderTopWidth,"
                                  " getComputedStyle(b).fontSize, getComputedStyle(b.querySelector('i.bi'), '::before')"
                                  ".width])(document.querySelector('details.code-tools-menu > summary'))")
        number = browser.evaluate("getComputedStyle(document.querySelector('h2 .header-section-number')).marginRight")
        rem = browser.evaluate("getComputedStyle(document.documentElement).fontSize")
        before = browser.evaluate("getComputedStyle(document.querySelector('main > p')).marginBottom")
        plain = browser.evaluate("(s => [s.paddingTop, s.backgroundColor, s.borderTopWidth])(getComputedStyle("
                                 "document.querySelector('main pre:not(.sourceCode)')))")
        source = browser.evaluate("getComputedStyle(document.querySelector('dialog.code-tools-source pre')).paddingTop")
    assert button == ["btn code-tools-button", "Code", "0px", rem, rem]  # 1rem, its icon 1rem square
    assert number == "0px"
    assert float(before[:-2]) == 2 * float(rem[:-2])  # a paragraph before a section: 2rem under it (Quarto 1.8)
    assert plain == ["0px", "rgba(0, 0, 0, 0)", "0px"]  # a plain pre has no box, as Quarto's rules reset it
    assert source != "0px"  # but the source view's code keeps its padding


def test_table_rows_carry_the_classes_quartos_pages_give_them_on_pages_and_slides(tmp_path):
    # as Quarto 1.8's pages (the Data 100 notes, 23 tables of one chapter matched row for row): a head's first
    # row "header", a second one (a DataFrame's index name) "even"; a body's rows odd, even ... from its first
    text = ("---\ntitle: Rows\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |\n\n"
            "```{python}\nimport pandas as pd\n"
            "pd.DataFrame({'x': [1, 2]}, index=pd.Index(['p', 'q'], name='who'))\n```\n")
    for target in ("html", "revealjs"):
        (tmp_path / target).mkdir()
        out = _rendered(tmp_path / target, "rows", text, "--to", target)
        tables = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser").select("table")
        assert [[" ".join(row.get("class", [])) for row in table.select("tr")] for table in tables] == [
            ["header", "odd", "even", "odd"], ["header", "even", "odd", "even"]], target


def test_code_tools_source_goes_to_an_address_or_the_pages_file_in_the_sites_repository(tmp_path):
    # code-tools: source: an address opens it (the button goes there, as Quarto's data-quarto-source-url); a
    # site's "repo" is the page's file in its repo-url (branch and subdir as repo-actions place it)
    import json
    import subprocess
    import sys

    other = _rendered(tmp_path, "other", "---\ntitle: Other\n---\n\nThe source is elsewhere.\n")
    page = _rendered(tmp_path, "page", "---\ntitle: Page\ncode-tools:\n  source: other.html\n  toggle: false\n"
                                       "---\n\n```{python}\nprint(1)\n```\n")
    with Browser(1000, 700) as browser:
        browser.open(page.as_uri(), wait_for="document.readyState === 'complete'")
        browser.evaluate("document.querySelector('#quarto-code-tools-source').click()")  # nothing to toggle
        browser.wait("location.href.endsWith('other.html') && document.readyState === 'complete'", timeout=10)
        assert browser.evaluate("document.querySelector('h1.title').innerText") == "Other" and other.is_file()
    site = tmp_path / "site"
    (site / "notes").mkdir(parents=True)
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: S\n"
                                      "  repo-url: https://github.com/ada/course\n  repo-branch: trunk\n"
                                      "  repo-subdir: site\n", encoding="utf-8")
    (site / "notes" / "week1.qmd").write_text("---\ntitle: Week 1\ncode-tools:\n  source: repo\n---\n\nText.\n",
                                              encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "qmdrender", str(site)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    soup = BeautifulSoup((site / "_site" / "notes" / "week1.html").read_text(encoding="utf-8"), "html.parser")
    config = json.loads(soup.select_one("#page-tools-config").string)
    assert config["tools"]["source"] == "https://github.com/ada/course/blob/trunk/site/notes/week1.qmd"


def test_a_cells_javascript_display_runs_in_the_page_and_its_repr_is_not_shown_as_in_quarto(tmp_path):
    # a lecture's quiz (jupyterquiz's display_quiz) shows IPython Javascript: Quarto writes the script into the
    # page, where it runs, and not the object's text
    page = _rendered(tmp_path, "quiz", "---\ntitle: Quiz\n---\n\n```{python}\nfrom IPython.display import Javascript\n"
                     "Javascript(\"document.body.dataset.quiz = 'drawn'\")\n```\n")
    with Browser(1000, 700) as browser:
        browser.open(page.as_uri(), wait_for="document.readyState === 'complete'")
        ran = browser.evaluate("document.body.dataset.quiz")
        text = browser.evaluate("document.querySelector('main').innerText")
    assert ran == "drawn" and "Javascript object" not in text


def test_other_links_and_code_links_go_under_the_contents_and_repo_links_come_from_the_git_remote(tmp_path):
    # a lecture notebook's link to its assignment (other-links) and a course's repository and Binder (code-links)
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", "git@github.com:teach/uncertainty.git"],
                   check=True)
    page = _rendered(tmp_path, "lecture", "---\ntitle: Lecture 3\ntoc: true\nother-links:\n  - text: Assignment 3\n"
                     "    href: assignment-03.html\n    icon: file-code\ncode-links: [repo, binder]\n---\n\n"
                     "## Sampling\n\nText.\n")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    toc = soup.select_one("nav#TOC")
    other, code = toc.select_one("div.quarto-other-links"), toc.select_one("div.quarto-code-links")
    assert other.h2.get_text() == "Other Links" and code.h2.get_text() == "Code Links"
    assert [(a.get_text(strip=True), a["href"]) for a in other.select("a")] == [("Assignment 3", "assignment-03.html")]
    assert [(a.get_text(strip=True), a["href"], a.get("target")) for a in code.select("a")] == [
        ("GitHub Repo", "https://github.com/teach/uncertainty/", "_blank"),
        ("Launch Binder", "https://mybinder.org/v2/gh/teach/uncertainty/HEAD", "_blank")]
    assert all(a.svg is not None for a in toc.select("div.quarto-other-links a, div.quarto-code-links a"))
    with Browser(1400, 800) as browser:  # small headings under the contents, as Quarto's tools headings
        browser.open(page.as_uri(), wait_for="document.readyState === 'complete'")
        size = browser.evaluate("parseFloat(getComputedStyle(document.querySelector('.quarto-code-links h2')).fontSize)"
                                " / parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert abs(size - 0.8) < 0.01


def test_a_notebooks_code_tools_offer_no_source_and_a_page_with_nothing_to_fold_has_no_menu(tmp_path):
    # lecture notebooks with code-tools: true: Quarto keeps no notebook's source, so the menu has only Show/Hide
    # All Code where code is folded, and no menu at all where nothing is (Understanding Uncertainty, Quarto 1.7)
    import nbformat

    for name, fold in (("folded", "true"), ("plain", "false")):
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_raw_cell(f"---\ntitle: Lecture\ncode-tools: true\ncode-fold: {fold}\n---"),
                          nbformat.v4.new_code_cell("1 + 1", outputs=[nbformat.v4.new_output(
                              "execute_result", data={"text/plain": "2"}, execution_count=1)])]
        nbformat.write(notebook, tmp_path / f"{name}.ipynb")
        code, stderr = render_cli(str(tmp_path / f"{name}.ipynb"), "--to", "html",
                                  "--output-dir", str(tmp_path / "out"))
        assert code == 0, stderr
    folded = BeautifulSoup((tmp_path / "out" / "folded.html").read_text(encoding="utf-8"), "html.parser")
    assert [li.get_text() for li in folded.select("details.code-tools-menu li")] == ["Show All Code", "Hide All Code"]
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "out" / "plain.html").as_uri(), wait_for="document.readyState === 'complete'")
        assert browser.evaluate("document.querySelectorAll('.code-tools-menu').length") == 0


def test_with_nothing_to_fold_the_code_tools_are_one_button_that_shows_the_source_as_quartos(tmp_path):
    # DevStart (Quarto 1.5): code-tools with source and toggle, code-fold false: Quarto resolves the toggle away
    # (nothing to show or hide) and writes one button, its caption none: the icon alone, no "View Source" menu
    page = _rendered(tmp_path, "page", "---\ntitle: Page\ncode-fold: false\ncode-tools:\n  source: true\n"
                                       "  toggle: true\n  caption: none\n---\n\n```{python}\nprint(1)\n```\n")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    button = soup.select_one("header#title-block-header #quarto-code-tools-source.code-tools-button")
    assert button is not None and button.get_text(strip=True) == "" and button.select_one("i.bi") is not None
    assert soup.select(".code-tools-items") == [] and "View Source" not in soup.get_text()
    with Browser(1000, 700) as browser:
        browser.open(page.as_uri(), wait_for="document.readyState === 'complete'")
        browser.evaluate("document.querySelector('#quarto-code-tools-source').click()")
        assert browser.evaluate("document.getElementById('code-tools-source').open") is True
        assert "print(1)" in browser.evaluate("document.getElementById('code-tools-source').innerText")
        assert browser.evaluate("document.querySelector('details.code-tools-menu').open") is False
