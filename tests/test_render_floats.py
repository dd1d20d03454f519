"""Part 2 of the renderer: cross-references, callouts, code folding, tabsets, layouts, citations, theme.

``tests/documents/floats.qmd`` uses each feature; it renders once to HTML and PDF (one kernel), and
the tests read what a reader sees: the HTML DOM (and the page in a real Chromium), the PDF text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from qmdrender.csl_styles import quarto_default_style

from .browser import Browser
from .conftest import callout_title, pdf_text, render_cli, render_document, require_tool

DOCUMENTS = Path(__file__).resolve().parent / "documents"



def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


def _render_one(folder: Path, name: str, text: str, to: str) -> tuple[str, BeautifulSoup]:
    """``text`` written to ``folder/name.qmd`` and rendered to ``to`` (which includes html): the log and the page."""
    page, stderr = render_document(folder, name, text, "--to", to)
    return stderr, BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def floats(tmp_path_factory) -> dict:
    require_tool("xelatex")
    folder = tmp_path_factory.mktemp("floats")
    for name in ("floats.qmd", "references.bib"):
        shutil.copy(DOCUMENTS / name, folder / name)
    shutil.copytree(DOCUMENTS / "project" / "images", folder / "project" / "images")
    code, stderr = render_cli(str(folder / "floats.qmd"), "--to", "html,pdf", "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    html_path = folder / "out" / "floats.html"
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    pdf = pdf_text(folder / "out" / "floats.pdf")
    return {"soup": soup, "html_path": html_path, "pdf": pdf, "flat_pdf": " ".join(pdf.split()), "stderr": stderr}


REFERENCES = [("Figure 1", "#fig-square"), ("Figure 2", "#fig-line"), ("3", "#fig-pair"), ("Figure 4", "#fig-grid"),
              ("Table 1", "#tbl-md"), ("Table 2", "#tbl-frame"), ("Listing 1", "#lst-demo"),
              ("Equation 1", "#eq-energy"), ("Section 2", "#sec-results"), ("Figure 3 (b)", "#fig-pair"),
              ("Table 3 (b)", "#tbl-pair")]


def test_references_are_numbered_links_in_html(floats):
    links = [(_text(a).replace("\u00a0", " "), a["href"]) for a in floats["soup"].select("a.quarto-xref")]
    assert links == REFERENCES
    for _, target in REFERENCES:
        assert floats["soup"].find(id=target[1:]) is not None, f"{target} points nowhere"


def test_references_have_the_same_numbers_in_the_pdf(floats):
    assert ("See Figure 1, Figure 2 and 3; Figure 4; Table 1 and Table 2; Listing 1; Equation 1; Section 2; "
            "the second panel is Figure 3 (b).") in floats["flat_pdf"]


def test_an_unresolved_reference_shows_as_in_quarto_with_a_warning(floats):
    assert floats["soup"].find("strong", string="?@fig-missing") is not None
    assert "?@fig-missing" in floats["pdf"]
    assert "unresolved cross-reference @fig-missing" in floats["stderr"]


def test_figure_table_and_listing_captions_are_numbered(floats):
    soup = floats["soup"]
    figcaptions = [_text(f) for f in soup.find_all("figcaption")]
    for caption in ("Figure 1: A square from the project", "Figure 2: A rising line", "Figure 3: Two panels",
                    "(a) First panel", "(b) Second panel", "Figure 4: Squares in a grid", "(a) Grid one"):
        assert caption in figcaptions
        assert caption in floats["flat_pdf"]
    # a table's caption above it in Quarto's float markup, the table without a caption of its own
    assert "Table 1: Markdown table caption" in figcaptions
    assert any(c.startswith("Table 2: A data frame as a table") for c in figcaptions)  # a DataFrame cell's table
    assert soup.find_all("caption") == []
    # a raw LaTeX table in its own table environment, as a cell prints one: Quarto's float replaces that one
    # (LaTeX stopped: "Not in outer par mode")
    assert "Table 4: A raw LaTeX table in its own environment." in floats["flat_pdf"]
    assert "raw-left raw-right" in floats["flat_pdf"]
    assert "Listing 1: A listing with a caption" in _text(soup.find(id="lst-demo"))
    # a listing in Quarto's float markup: its caption above the code, the code's classes on the float
    listing = soup.find(id="lst-demo")
    assert {"python", "cell-code", "listing", "quarto-float", "quarto-figure-left"} <= set(listing["class"])
    assert [child.name for child in listing.select_one("figure.quarto-float-lst").find_all(recursive=False)] == \
        ["figcaption", "div"]
    for text in ("Table 1: Markdown table caption", "Table 2: A data frame as a table",
                 "Listing 1: A listing with a caption"):
        assert text in floats["flat_pdf"]
    # the equation's number is MathJax's \tag in its maths, as Quarto writes it
    assert _text(soup.find(id="eq-energy")).endswith("\\tag{1}\\]") and "(1)" in floats["pdf"]


def test_subfigures_and_layout_divs_stand_side_by_side(floats):
    soup = floats["soup"]
    rows = soup.select(".quarto-layout-row")
    assert any(len(row.select(":scope > .quarto-layout-cell")) == 2 and "left-panel" not in _text(row) for row in rows)
    # a sub-figure in Quarto's sub-float markup, inside its figure's
    sub = soup.select_one("#fig-grid figure.quarto-float-fig #fig-grid-1 > figure")
    assert "quarto-subfloat-fig" in sub["class"] and "quarto-subfloat-caption" in sub.figcaption["class"]
    assert _text(sub.figcaption) == "(a) Grid one"
    text_row = next(row for row in rows if "Left column text." in _text(row))
    assert "Right column text." in _text(text_row)
    lines = floats["pdf"].splitlines()
    assert any("(a) First panel" in line and "(b) Second panel" in line for line in lines)
    assert any("Left column text." in line and "Right column text." in line for line in lines)
    with Browser(1280, 900) as browser:  # Quarto's look: a subfigure's caption centred and in italics
        browser.open(floats["html_path"].as_uri())
        styles = browser.evaluate("[...document.querySelectorAll('figcaption')].filter(c => /First panel|Figure.3:/"
                                  ".test(c.textContent)).map(c => [c.textContent.trim().slice(0, 9), "
                                  "getComputedStyle(c).fontStyle, getComputedStyle(c).textAlign])")
    assert ["(a) First", "italic", "center"] in styles
    assert [s[1] for s in styles if s[0].startswith("Figure")] == ["normal"]  # the figure's own caption


def test_callouts_have_their_type_title_collapse_and_appearance(floats):
    soup = floats["soup"]
    titles = {kind: callout_title(soup.select_one(f".callout-{kind}"))
              for kind in ("note", "tip", "warning", "caution", "important")}
    # only the default appearance takes the kind's name as its title: a simple callout without one has none
    assert titles == {"note": "Note", "tip": "Tip with a title", "warning": "Heading as title",
                      "caution": "Collapsed caution", "important": None}
    # collapse="true": Quarto's collapsible header over a shut .callout-collapse
    caution = soup.select_one(".callout-caution")
    header, body = caution.select_one(".callout-header"), caution.select_one(".callout-collapse")
    assert header["data-bs-toggle"] == "collapse" and header["aria-expanded"] == "false"
    assert header["aria-controls"] == body["id"] and "show" not in body["class"]
    important = soup.select_one(".callout-important")
    assert "callout-style-simple" in important["class"] and "no-icon" in important["class"]
    assert soup.find(["h2", "h3"], string=re.compile("Heading as title")) is None  # the heading became the title
    # a title of the author's own follows the kind's name, for screen readers only (Quarto's markup)
    assert [_text(s) for s in soup.select(".callout-tip .callout-header .screen-reader-only")] == ["Tip"]
    assert soup.select_one(".callout-note .screen-reader-only") is None  # the default title is the name already
    # ::: {.callout}: no kind, so no icon, no default title (no header at all without one), simple appearance
    plain = soup.select(".callout-none")
    assert [callout_title(c) for c in plain] == ["Worked example", None]
    assert all("callout-style-simple" in c["class"] and "no-icon" in c["class"] and
               c.select_one(".screen-reader-only") is None for c in plain)
    assert _text(plain[1]) == "An untitled callout of no kind."
    assert soup.find(["h2", "h3"], string=re.compile("Worked example")) is None
    # a collapsible callout shows Quarto's chevron at its header's right: pointing right while shut, down when
    # open; a click on the header opens the body
    chevron = ("(() => { const h = document.querySelector('.callout-caution > .callout-header'); const before = () =>"
               " getComputedStyle(h.querySelector('.callout-toggle'), '::before'); const body = () =>"
               " h.nextElementSibling.getBoundingClientRect().height; const shut = [before().width,"
               " before().transform, body(), getComputedStyle(document.querySelector('.callout-note i.callout-icon'),"
               " '::before').display]; h.click(); return new Promise(done => setTimeout(() => done([shut,"
               " before().transform, body(), h.getAttribute('aria-expanded'), h.getBoundingClientRect().right,"
               " h.querySelector('.callout-toggle').getBoundingClientRect().right]), 400)); })()")
    # the note's icon is Quarto's (Bootstrap Icons' info-circle), drawn in the callout's colour as a mask
    icon = ("(() => { const i = document.querySelector('.callout-note .callout-icon'); const s = getComputedStyle(i,"
            " '::before'); return [s.maskImage || s.webkitMaskImage, s.backgroundColor, s.width, s.content,"
            " getComputedStyle(i.closest('.callout')).borderLeftColor,"
            " getComputedStyle(document.documentElement).fontSize]; })()")
    with Browser(1280, 900) as browser:
        browser.open(floats["html_path"].as_uri())
        (width, shut, shut_height, icon_shown), opened, open_height, expanded, header_right, toggle_right = \
            browser.evaluate(chevron)
        mask, fill, icon_width, content, frame, root = browser.evaluate(icon)
    assert mask.startswith('url("data:image/svg+xml') and "bi-info-circle" in unquote(mask)
    assert fill == frame and content == '""'  # no symbol of text
    assert abs(float(icon_width[:-2]) - 0.9 * float(root[:-2])) < 0.01  # Quarto's 0.9rem
    assert width != "auto" and float(width.rstrip("px")) > 8 and shut != "none" and opened == "none"
    assert shut_height == 0 and open_height > 10 and expanded == "true" and icon_shown != "none"
    assert header_right - toggle_right < 20  # at the far right, not beside the title
    for text in ("Note", "A plain note body.", "Tip with a title", "Heading as title", "Collapsed caution",
                 "Hidden until opened.", "An important body without icon.", "Worked example",
                 "A callout of no kind.", "An untitled callout of no kind."):
        assert text in floats["pdf"]


def test_code_folding_and_line_numbers(floats):
    soup = floats["soup"]
    folded = soup.select("details.code-fold")
    assert [_text(d.summary) for d in folded] == ["Show the folded code", "Code"]
    assert not folded[0].has_attr("open") and folded[1].has_attr("open")
    assert "folded = " in _text(folded[0])
    assert "folded = \"folded-code-ran\"" in floats["pdf"]  # print shows the code
    assert soup.select_one("#lst-demo div.sourceCode.numberSource, #lst-demo pre.numberSource") is not None


def test_tabsets_are_tabs_in_html_and_sections_in_pdf(floats):
    tabset = floats["soup"].select_one(".panel-tabset")
    buttons = tabset.select("[role=tablist] [role=tab]")
    assert [_text(b) for b in buttons] == ["Tab A", "Tab B"]
    panels = tabset.select("[role=tabpanel]")
    assert not panels[0].has_attr("hidden") and panels[1].has_attr("hidden")
    # Quarto's markup, which authors' stylesheets and scripts address: Bootstrap's nav tabs over the panes' box
    assert [a["class"] for a in tabset.select(":scope > ul.nav.nav-tabs > li.nav-item > a")] == [
        ["nav-link", "active"], ["nav-link"]]
    assert [p["class"] for p in tabset.select(":scope > div.tab-content > div")] == [["tab-pane", "active"],
                                                                                   ["tab-pane"]]
    for text in ("Tab A", "Content of tab A.", "Tab B", "Content of tab B."):
        assert text in floats["pdf"]


def test_citations_and_the_reference_list(floats):
    soup = floats["soup"]
    citations = [c.get_text() for c in soup.select("span.citation")]
    assert "(Knuth 1984)" in citations and "Lamport (1994)" in citations
    # each links to its entry, as Quarto's HTML does without link-citations being set
    assert all(a["href"].startswith("#ref-") for a in soup.select("span.citation a")) and soup.select("span.citation a")
    references = _text(soup.find(id="refs"))
    assert "Knuth, Donald E. 1984" in references and "Lamport, Leslie. 1994" in references
    assert "Knuth, Donald E. 1984" in floats["flat_pdf"] and "(Knuth 1984)" in floats["flat_pdf"]


def test_a_click_on_a_tab_shows_its_panel_and_arrow_keys_move(floats, tmp_path):
    with Browser(1280, 900) as browser:
        browser.open(floats["html_path"].as_uri())
        visible = "(i) => !document.querySelectorAll('.panel-tabset [role=tabpanel]')[i].hidden"
        assert browser.evaluate(f"({visible})(0)") and not browser.evaluate(f"({visible})(1)")
        browser.evaluate("document.querySelector('.panel-tabset').scrollIntoView()")
        browser.click(".panel-tabset li:nth-child(2) [role=tab]")
        assert browser.evaluate(f"({visible})(1)") and not browser.evaluate(f"({visible})(0)")
        assert browser.evaluate("document.activeElement.textContent") in ("Tab B", "")
        browser.evaluate("document.querySelectorAll('.panel-tabset [role=tab]')[1].focus()")
        browser.key("ArrowRight")  # wraps around to the first tab
        assert browser.evaluate(f"({visible})(0)")
        browser.screenshot(tmp_path / "tabs.png")


def test_a_cross_referenced_figures_image_is_centred_and_its_caption_at_the_left_as_in_quarto(floats):
    # every labelled figure in the Quarto sites compared (279 of them) is quarto-figure-center: the image in the
    # middle of the text column, the caption under it from the column's left (KIT's numerics book, Quarto 1.7)
    measure = ("['fig-square', 'fig-line'].map(id => { const f = document.getElementById(id);"
               " const box = f.getBoundingClientRect(), image = f.querySelector('img').getBoundingClientRect(),"
               " caption = f.querySelector('figcaption').getBoundingClientRect();"
               " return [image.left - box.left - (box.right - image.right), caption.left - box.left]; })")
    with Browser(1280, 900) as browser:
        browser.open(floats["html_path"].as_uri())
        seen = browser.evaluate(measure)
    for gap, caption_offset in seen:
        assert abs(gap) <= 2 and abs(caption_offset) <= 1, seen  # as much room left as right; caption at left


def test_the_theme_puts_the_contents_beside_the_text_when_wide_and_on_top_when_narrow(floats, tmp_path):
    geometry = ("(() => { const toc = document.querySelector('nav#TOC').getBoundingClientRect();"
                " const h = document.getElementById('sec-intro').getBoundingClientRect();"
                " return {tocLeft: toc.left, tocTop: toc.top, textRight: h.right, headingTop: h.top}; })()")
    with Browser(1400, 1000) as browser:
        browser.open(floats["html_path"].as_uri())
        wide = browser.evaluate(geometry)
        browser.screenshot(tmp_path / "wide.png")
        browser.resize(390, 844)
        narrow = browser.evaluate(geometry)
        browser.screenshot(tmp_path / "narrow.png")
    assert wide["tocLeft"] >= wide["textRight"]  # in the margin
    assert narrow["tocTop"] < narrow["headingTop"]  # above the first section


def test_a_missing_bibliography_is_one_clear_error(tmp_path):
    document = tmp_path / "doc.qmd"
    document.write_text("---\nbibliography: nowhere.bib\n---\n\nAs @knuth1984 says.\n")
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 1 and "bibliography: nowhere.bib does not exist" in stderr and "Traceback" not in stderr


def test_reference_words_follow_lang_and_crossref_options(tmp_path):
    shutil.copytree(DOCUMENTS / "project" / "images", tmp_path / "images")
    figure = "![Ein Quadrat](images/square.png){#fig-q}\n\n| a |\n|---|\n| 1 |\n\n: Zahlen {#tbl-z}\n"
    (tmp_path / "de.qmd").write_text(f"---\nlang: de\n---\n\n{figure}\nSiehe @fig-q und @tbl-z.\n")
    (tmp_path / "short.qmd").write_text("---\ncrossref:\n  fig-prefix: Fig.\n  fig-title: Fig\n---\n\n"
                                        f"{figure}\nSee @fig-q.\n")
    code, stderr = render_cli(str(tmp_path / "de.qmd"), str(tmp_path / "short.qmd"), "--to", "html",
                           "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    german = BeautifulSoup((tmp_path / "out" / "de.html").read_text(), "html.parser")
    assert "Siehe Abbildung 1 und Tabelle 1" in _text(german).replace("\u00a0", " ")
    assert "Abbildung 1: Ein Quadrat" in _text(german.find("figcaption"))
    short = BeautifulSoup((tmp_path / "out" / "short.html").read_text(), "html.parser")
    assert "See Fig. 1" in _text(short).replace("\u00a0", " ")
    assert _text(short.find("figcaption")).startswith("Fig 1:")


def test_tbl_subcap_letters_each_table_of_a_cell_under_the_floats_caption(floats):
    float_ = floats["soup"].find(id="tbl-pair")
    assert _text(float_.select_one("figcaption.quarto-float-caption")).replace("\u00a0", " ") == \
        "Table 3: Two tables of one cell"
    # each table a sub-float of Quarto's markup, its "(a)" caption above it
    assert [_text(c) for c in float_.select("figure.quarto-subfloat-tbl > figcaption.quarto-subfloat-caption")] == \
        ["(a) Speeds", "(b) Pressures in kPa"]
    row = float_.select_one(".quarto-layout-row")  # layout-ncol: 2 puts them side by side
    assert [cell.select_one(".quarto-float")["id"] for cell in row.select(".quarto-layout-cell")] == \
        ["tbl-pair-1", "tbl-pair-2"]
    link = floats["soup"].find("a", href="#tbl-pair", string=lambda s: s and "(b)" in s)
    assert link is not None and _text(link).replace("\u00a0", " ") == "Table 3 (b)"
    assert "Table 3: Two tables of one cell" in floats["flat_pdf"]
    assert "(a) Speeds" in floats["flat_pdf"] and "(b) Pressures in" in floats["flat_pdf"]
    assert "The second one is Table 3 (b)." in floats["flat_pdf"]


def test_custom_float_kinds_and_label_styles_number_captions_and_references_in_html_and_pdf(tmp_path):
    require_tool("xelatex")
    shutil.copytree(DOCUMENTS / "project" / "images", tmp_path / "images")
    _, soup = _render_one(tmp_path, "custom",
        "---\ncrossref:\n  fig-labels: alpha a\n  custom:\n    - kind: float\n      key: vid\n"
        "      reference-prefix: Video\n    - kind: float\n      key: suppfig\n      latex-env: suppfig\n"
        "      reference-prefix: Figure S\n      space-before-numbering: false\n---\n\n"
        "![Ein Quadrat](images/square.png){#fig-q}\n\n![Again](images/square.png){#fig-r}\n\n"
        "::: {#vid-demo}\nThe video's place.\n\nA demo video\n:::\n\n"
        "::: {#suppfig-extra}\n![](images/square.png)\n\nMore squares\n:::\n\n"
        "See @fig-r, @vid-demo and @suppfig-extra.\n\n\\listofsuppfigs\n", "html,pdf")
    links = [(_text(a).replace("\u00a0", " "), a["href"]) for a in soup.select("a.quarto-xref")]
    assert links == [("Figure b", "#fig-r"), ("Video 1", "#vid-demo"), ("Figure S1", "#suppfig-extra")]
    assert [_text(c) for c in soup.select("figcaption")] == ["Figure a: Ein Quadrat", "Figure b: Again",
                                                             "Video 1: A demo video", "Figure S1: More squares"]
    pdf = " ".join(pdf_text(tmp_path / "out" / "custom.pdf").split())
    assert "See Figure b, Video 1 and Figure S1." in pdf
    assert "Video 1: A demo video" in pdf and "Figure S1: More squares" in pdf
    assert "List of Figure Ss" in pdf  # the kind's own list, as Quarto names it from its prefix


def test_citeproc_false_leaves_handles_as_written_and_true_runs_without_a_bibliography(tmp_path):
    shutil.copy(DOCUMENTS / "references.bib", tmp_path / "references.bib")
    (tmp_path / "off.qmd").write_text("---\nbibliography: references.bib\nformat:\n  html:\n    citeproc: false\n"
                                      "---\n\nThanks, @octocat and @knuth1984!\n")
    (tmp_path / "on.qmd").write_text("---\nciteproc: true\nreferences:\n  - id: doe\n    title: A Book\n"
                                     "    author: [{family: Doe, given: Jo}]\n    issued: 2020\n    type: book\n"
                                     "---\n\nAs @doe says.\n")
    code, stderr = render_cli(str(tmp_path / "off.qmd"), str(tmp_path / "on.qmd"), "--to", "html", "--output-dir",
                              str(tmp_path / "out"))
    assert code == 0, stderr
    off = BeautifulSoup((tmp_path / "out" / "off.html").read_text(), "html.parser")
    assert "Thanks, @octocat and @knuth1984!" in " ".join(off.get_text().split())
    assert off.select_one("#refs") is None and "Citeproc" not in stderr
    on = BeautifulSoup((tmp_path / "out" / "on.html").read_text(), "html.parser")
    assert "As Doe (2020) says." in " ".join(on.get_text().split())


def test_a_work_by_three_authors_is_cited_with_all_three_names_as_quartos_chicago_does(tmp_path):
    # a computer-vision course (Quarto 1.8, no csl:): "Häni, Roy, and Isler (2020)", Chicago's 17th edition,
    # which Quarto's pandoc formats with; pandoc 3.9's own default (the 18th) writes "Häni et al. (2020)"
    if quarto_default_style() is None:
        pytest.skip("the system's CSL styles (Debian's citation-style-language-styles) are not installed")
    (tmp_path / "three.qmd").write_text(
        "---\nreferences:\n  - id: hani\n    title: Orchards\n    type: article-journal\n    author: [{family: Häni, "
        "given: Nicolai}, {family: Roy, given: Pravakar}, {family: Isler, given: Volkan}]\n    issued: 2020\n---\n\n"
        "As @hani show.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "three.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = BeautifulSoup((tmp_path / "out" / "three.html").read_text(), "html.parser")
    assert "As Häni, Roy, and Isler (2020) show." in " ".join(page.get_text().split())


def test_number_depth_numbers_sections_down_to_that_level_in_html_and_pdf(tmp_path):
    require_tool("xelatex")
    _, soup = _render_one(tmp_path, "deep", "---\nnumber-sections: true\nnumber-depth: 1\n---\n\n# Alpha\n\n"
                          "## Beta\n\nText.\n\n# Gamma\n", "html,pdf")
    headings = [_text(h) for h in soup.select("h1, h2") if "title" not in (h.get("class") or [])]
    assert "1 Alpha" in headings and "Beta" in headings and "2 Gamma" in headings
    pdf = pdf_text(tmp_path / "out" / "deep.pdf")
    assert "1 Alpha" in pdf and "2 Gamma" in pdf and "1.1 Beta" not in pdf and "Beta" in pdf


def test_number_depth_counts_a_headings_own_level_when_the_page_starts_at_level_two(tmp_path):
    # course notes with "##" sections and number-depth: 2: "##" numbered, "###" not, as Quarto compares the
    # heading's level, not how many parts its number would have
    _, soup = _render_one(tmp_path, "notes", "---\ntitle: Notes\nnumber-sections: true\nnumber-depth: 2\n---\n\n"
                          "## Alpha\n\n### Beta\n\n## Gamma\n", "html")
    headings = [_text(h) for h in soup.select("h2, h3")]
    assert headings == ["1 Alpha", "Beta", "2 Gamma"]


def test_a_table_panel_with_a_caption_of_its_own_keeps_each_tables_caption(tmp_path):
    # course notes: two captioned tables side by side under the panel's "Table 1: ..." caption, as Quarto shows them
    _, soup = _render_one(tmp_path, "panel", "---\ntitle: Panel\n---\n\n::: {#tbl-panel layout-ncol=\"2\"}\n"
                          "| A | B |\n|---|---|\n| 1 | 2 |\n\n: Assumption holds\n\n"
                          "| C | D |\n|---|---|\n| 3 | 4 |\n\n: Valid inference\n\nWhat is required\n:::\n", "html")
    float_ = soup.select_one("#tbl-panel")
    assert _text(float_.select_one("figcaption")) == "Table 1: What is required"
    assert [_text(c) for c in float_.select("table caption")] == ["Assumption holds", "Valid inference"]


def test_a_float_divs_caption_attribute_is_its_caption_and_references_can_be_plain_text(tmp_path):
    # ::: {#fig-1 fig-cap="..."} is captioned as a caption paragraph inside it would be (Quarto's fig-cap test);
    # crossref: ref-hyperlink: false writes each reference as text, not a link
    _, soup = _render_one(tmp_path, "attr", "---\ntitle: Attributes\ncrossref:\n  ref-hyperlink: false\n---\n\n"
                          "See @fig-one and @tbl-one.\n\n::: {#fig-one fig-cap=\"An *elephant*\"}\n\nA drawing.\n\n"
                          ":::\n\n"
                          "::: {#tbl-one tbl-cap=\"Some numbers\"}\n\n| a |\n|---|\n| 1 |\n\n:::\n", "html")
    assert _text(soup.select_one("#fig-one figcaption")) == "Figure 1: An elephant"
    assert soup.select_one("#fig-one figcaption em") is not None  # the attribute's Markdown, read
    assert _text(soup.select_one("#tbl-one figcaption")) == "Table 1: Some numbers"
    assert "fig-cap" not in str(soup.select_one("#fig-one"))
    assert _text(soup.select_one("main p, p")) == "See Figure 1 and Table 1."
    assert soup.select("a.quarto-xref") == []


def test_a_reference_to_a_section_of_a_page_without_section_numbers_shows_its_count(tmp_path):
    # Quarto counts a page's sections whether or not it shows their numbers: "Section 3", "Section 2.1"; an
    # .unnumbered one is named; the headings themselves stay unnumbered
    _, soup = _render_one(tmp_path, "plain", "---\ntitle: Plain\n---\n\nSee @sec-third, @sec-sub and @sec-aside.\n\n"
                          "## First\n\n## Second\n\n### Sub {#sec-sub}\n\n## Third {#sec-third}\n\n"
                          "## Aside {#sec-aside .unnumbered}\n", "html")
    links = [(_text(a), a["href"]) for a in soup.select("p a.quarto-xref")]
    assert links == [("Section 3", "#sec-third"), ("Section 2.1", "#sec-sub"), ("Section Aside", "#sec-aside")]
    assert _text(soup.select_one("#sec-third h2, h2#sec-third")) == "Third"


def test_a_csl_style_at_an_address_that_cannot_be_fetched_falls_back_to_pandocs_with_a_warning(tmp_path):
    shutil.copy(DOCUMENTS / "references.bib", tmp_path / "references.bib")
    stderr, page = _render_one(tmp_path, "remote", "---\nbibliography: references.bib\n"
                               "csl: https://styles.example.invalid/our-house-style.csl\n---\n\n"
                               "As @knuth1984 showed.\n", "html")
    assert "csl: https://styles.example.invalid/our-house-style.csl could not be fetched" in stderr
    assert "As Knuth (1984) showed." in " ".join(page.get_text().split())  # Chicago author-date, pandoc's own
    assert page.select_one("#refs .csl-entry") is not None


@pytest.mark.parametrize("address, shown", [
    ("https://www.zotero.org/styles/ieee", "As [1] showed."),  # numeric, as IEEE cites
    ("https://www.zotero.org/styles/apa", "As Knuth (1984) showed."),
    # a dependent journal style formats with its independent parent (Springer's author-date)
    ("http://www.zotero.org/styles/3-biotech", "As Knuth (1984) showed.")])
def test_a_csl_style_named_by_its_address_comes_from_the_systems_styles_offline(tmp_path, address, shown):
    from qmdrender.csl_styles import styles_folder

    if not styles_folder().is_dir():
        if os.environ.get("CI"):
            pytest.fail("the system's CSL styles are missing in CI: .ci/run installs citation-style-language-styles")
        pytest.skip("citation-style-language-styles is not installed (.ci/run installs it)")
    shutil.copy(DOCUMENTS / "references.bib", tmp_path / "references.bib")
    stderr, page = _render_one(tmp_path, "styled", f"---\nbibliography: references.bib\ncsl: {address}\n---\n\n"
                               "As @knuth1984 showed.\n", "html")
    assert "from the system's CSL styles" in " ".join(stderr.split())
    assert shown in " ".join(page.get_text().split())
    entry = " ".join(page.select_one("#refs .csl-entry").get_text().split())
    assert entry.startswith("[1]") == ("ieee" in address)
    assert ("(1984)." in entry) == ("apa" in address), entry  # APA's year in brackets after the names


def test_a_code_blocks_filename_heads_it_in_html_and_pdf(tmp_path):
    require_tool("xelatex")
    _, soup = _render_one(tmp_path, "names", '---\ntitle: Names\n---\n\n```{.python filename="app.py"}\nprint("hi")\n'
                          '```\n\n```{python}\n#| filename: cell.py\nx = 6 * 7\n```\n', "html,pdf")
    blocks = soup.select("div.code-with-filename")
    assert [b.select_one(".code-with-filename-file").get_text(strip=True) for b in blocks] == ["app.py", "cell.py"]
    assert [b["data-filename"] for b in blocks] == ["app.py", "cell.py"]  # on the holder, as Quarto's markup
    assert [b.select_one("pre code").get_text() for b in blocks] == ['print("hi")', "x = 6 * 7"]
    pdf = " ".join(pdf_text(tmp_path / "out" / "names.pdf").split())
    assert 'app.py print("hi") cell.py x = 6 * 7' in pdf


SUB_TABLES_AND_LIST_TABLES = """---
crossref:
  subref-labels: roman i
---

::: {#tbl-panel layout-ncol=2}
| Col1 | Col2 |
|------|------|
| A    | B    |

: First {#tbl-first}

| Col1 | Col2 |
|------|------|
| C    | D    |

: Second {#tbl-second}

Main caption
:::

See @tbl-panel, especially @tbl-second, and @tbl-fruit.

::: {#tbl-fruit .list-table aligns="l,r"}
Fruit prices {tbl-colwidths=[75,25]}

- - Fruit
  - Price

- - Apple
  - 1.20

- - []{colspan=2} Sold out: *cherries*
:::

::: {.list-table header-rows=0}
- - Plain
  - Row
:::
"""


def test_tables_with_their_own_captions_in_a_table_float_are_its_sub_tables_and_list_tables_are_tables(tmp_path):
    require_tool("xelatex")
    _, soup = _render_one(tmp_path, "subtables", SUB_TABLES_AND_LIST_TABLES, "html,pdf")
    panel = soup.find(id="tbl-panel")
    assert _text(panel.select_one("figcaption.quarto-float-caption")).replace("\u00a0", " ") == "Table 1: Main caption"
    assert [(sub.parent["id"], _text(sub.figcaption)) for sub in panel.select("figure.quarto-subfloat-tbl")] == \
        [("tbl-first", "(i) First"), ("tbl-second", "(ii) Second")]
    links = [(_text(a).replace("\u00a0", " "), a["href"]) for a in soup.select("a.quarto-xref")]
    assert links == [("Table 1", "#tbl-panel"), ("Table 1 (ii)", "#tbl-second"), ("Table 2", "#tbl-fruit")]
    fruit = soup.find(id="tbl-fruit")  # a list table: rows from the outer bullets, cells from the inner
    assert _text(fruit.figcaption).replace("\u00a0", " ") == "Table 2: Fruit prices"
    assert [_text(th) for th in fruit.select("thead th")] == ["Fruit", "Price"]
    assert [[_text(td) for td in tr.select("td")] for tr in fruit.select("tbody tr")] == \
        [["Apple", "1.20"], ["Sold out: cherries"]]
    assert fruit.select("tbody tr")[1].td.get("colspan") == "2" and fruit.select_one("tbody em") is not None
    assert [c.get("style") for c in fruit.select("col")] == ["width: 75%", "width: 25%"]
    assert "right" in fruit.select("tbody tr")[0].select("td")[1].get("style", "")
    plain = soup.find_all("table")[-1]
    assert plain.select("thead th") == [] and [_text(td) for td in plain.select("td")] == ["Plain", "Row"]
    pdf = " ".join(pdf_text(tmp_path / "out" / "subtables.pdf").split())
    assert "Table 1: Main caption" in pdf and "(i) First" in pdf and "(ii) Second" in pdf
    assert "See Table 1, especially Table 1 (ii), and Table 2." in pdf
    assert "Table 2: Fruit prices" in pdf and "Sold out: cherries" in pdf


def test_fig_alt_is_the_images_alternative_text_and_the_documents_fig_align_aligns_figures(tmp_path):
    shutil.copytree(DOCUMENTS / "project" / "images", tmp_path / "images")
    _, soup = _render_one(tmp_path, "alt", "---\nfig-align: right\n---\n\n"
                          "![A red square](images/square.png){#fig-sq fig-alt=\"A plain square.\"}\n\n"
                          "![Centred](images/square.png){fig-align=center}\n", "html")
    figure = soup.find(id="fig-sq")
    assert figure.img["alt"] == "A plain square." and not figure.img.get("data-fig-alt")
    assert _text(figure.figcaption).replace("\u00a0", " ") == "Figure 1: A red square"
    cross_referenced, plain = soup.find_all("figure")
    # Quarto's float markup: the alignment (the document's fig-align) names the div around the figure, whose
    # content is in a div its caption describes, the caption a figcaption of Quarto's classes
    assert figure.name == "div" and figure["class"] == ["quarto-float", "quarto-figure", "quarto-figure-right",
                                                        "anchored"]
    assert cross_referenced.parent is figure and "quarto-float-fig" in cross_referenced["class"]
    # the caption's id ends in Quarto's fixed suffix (no author's id can be it)
    caption_id = "fig-sq-caption-0ceaefa1-69ba-4598-a22c-09a6ac19f8ca"
    assert cross_referenced.select_one("div > img").parent["aria-describedby"] == caption_id
    assert cross_referenced.figcaption["id"] == caption_id and \
        cross_referenced.figcaption["class"] == ["quarto-float-caption-bottom", "quarto-float-caption",
                                                 "quarto-float-fig"]
    # a captioned image in Quarto's markup: its alignment names the div around it, the image in a paragraph
    assert plain.parent["class"] == ["quarto-figure", "quarto-figure-center"] and plain.select_one("p > img")


def test_fig_cap_location_top_puts_a_figures_caption_above_its_image_as_quarto(tmp_path):
    require_tool("xelatex")
    shutil.copytree(DOCUMENTS / "project" / "images", tmp_path / "images")
    _, soup = _render_one(tmp_path, "top", "---\nfig-cap-location: top\n---\n\n"
                          "![A red square](images/square.png){#fig-sq}\n\n::: {#fig-div}\n![](images/square.png)\n\n"
                          "A div's figure\n:::\n", "html,pdf")
    figure = soup.select_one("#fig-sq > figure")
    assert [child.name for child in figure.find_all(recursive=False)] == ["figcaption", "div"]
    assert "quarto-float-caption-top" in figure.figcaption["class"]
    assert _text(figure.figcaption).replace("\u00a0", " ") == "Figure 1: A red square"
    # the PDF's captions above their images too (poppler's XML: the boxes' tops on the page)
    (tmp_path / "xml").mkdir()
    layout = subprocess.run(["pdftohtml", "-xml", "-stdout", str(tmp_path / "out" / "top.pdf"), "page"],
                            cwd=tmp_path / "xml", capture_output=True, text=True, check=True).stdout
    images = [int(top) for top in re.findall(r'<image top="(\d+)"', layout)]
    captions = [int(re.search(r'top="(\d+)"', line)[1]) for line in layout.splitlines()
                if "Figure 1: A red square" in line or "Figure 2: A div" in line]
    assert len(images) == len(captions) == 2 and all(c < i for c, i in zip(captions, images, strict=True)), layout


TABLE_FLOATS = """---
format:
  html:
    theme: cosmo
---

| Name | Year |
|------|------|
| Teneguía | 1971 |

: Recent eruptions {#tbl-top}

| Name | Year |
|------|------|
| Nambroque | 1949 |

: Older eruptions {#tbl-under tbl-cap-location="bottom"}

See @tbl-top and @tbl-under.
"""


def test_a_tables_caption_is_a_centred_figcaption_above_it_in_quartos_float_markup(tmp_path):
    _, soup = _render_one(tmp_path, "tables", TABLE_FLOATS, "html")
    top = soup.find(id="tbl-top")
    assert top.name == "div" and top["class"] == ["quarto-float", "quarto-figure", "quarto-figure-center", "anchored"]
    figure = top.find("figure", recursive=False)
    assert figure["class"] == ["quarto-float", "quarto-float-tbl", "figure"]
    caption_id = "tbl-top-caption-0ceaefa1-69ba-4598-a22c-09a6ac19f8ca"
    assert [child.name for child in figure.find_all(recursive=False)] == ["figcaption", "div"]
    assert figure.figcaption["id"] == caption_id and figure.figcaption["class"] == [
        "quarto-float-caption-top", "quarto-float-caption", "quarto-float-tbl"]
    assert _text(figure.figcaption).replace("\u00a0", " ") == "Table 1: Recent eruptions"
    described = figure.find("div", recursive=False)
    assert described["aria-describedby"] == caption_id and described.table.caption is None
    assert described.table["class"] == ["caption-top", "table"] and not described.table.get("id")
    under = soup.select_one("#tbl-under > figure")  # tbl-cap-location: bottom
    assert [child.name for child in under.find_all(recursive=False)] == ["div", "figcaption"]
    assert "quarto-float-caption-bottom" in under.figcaption["class"]
    assert [a["href"] for a in soup.select("a.quarto-xref")] == ["#tbl-top", "#tbl-under"]
    with Browser(1000, 700) as browser:  # as Quarto's rules draw it: centred, over the table, the cells centred too
        browser.open((tmp_path / "out" / "tables.html").as_uri(), wait_for="document.readyState === 'complete'")
        seen = browser.evaluate("""(() => { const box = e => e.getBoundingClientRect();
            const f = document.getElementById('tbl-top'), c = box(f.querySelector('figcaption')),
                  t = box(f.querySelector('table')), u = document.getElementById('tbl-under');
            return {align: getComputedStyle(f.querySelector('figcaption')).textAlign,
                    cell: getComputedStyle(f.querySelector('td')).textAlign, gap: t.top - c.bottom,
                    width: t.width - box(f).width,
                    under: box(u.querySelector('figcaption')).top - box(u.querySelector('table')).bottom}; })()""")
    assert seen["align"] == "center" and seen["cell"] == "center", seen
    # the gap Quarto's rules leave (its stylesheet over its markup: the caption's and the table's margins joined)
    assert abs(seen["gap"] - 8.5) <= 1 and abs(seen["width"]) <= 1 and 0 <= seen["under"] <= 24, seen


CAPTIONED_TABLES = """---
format:
  html:
    theme: cosmo
---

```{python}
import pandas as pd
frame = pd.DataFrame({"x": [1.5, 2.25]})
frame.style.format(precision=1).set_caption("A styled table")
```

```{python}
#| label: tbl-after
#| tbl-cap: Labelled after it
frame
```

| a | b |
|---|---|
| 1 | 2 |

: Mine too {#mine}

See @tbl-after.
"""


def test_a_captioned_table_with_an_id_of_any_kind_is_numbered_as_quarto_numbers_it(tmp_path):
    # Quarto makes any captioned table with an id a numbered table: a pandas Styler's <table id="T_...">
    # with set_caption, a Markdown table's ": Caption {#mine}"; the labelled tables after them count on
    require_tool("xelatex")
    _, soup = _render_one(tmp_path, "captioned", CAPTIONED_TABLES, "html,pdf")
    styled = soup.select_one("div.quarto-float:has(> figure.quarto-float-tbl) table[id^=T_]")
    float_ = styled.find_parent("div", class_="quarto-float")
    assert float_["id"] == styled["id"]  # the Styler's id stays on its table: its <style> addresses it
    assert _text(float_.figcaption).replace("\u00a0", " ") == "Table 1: A styled table" and styled.caption is None
    assert _text(soup.select_one("#tbl-after figcaption")).replace("\u00a0", " ") == "Table 2: Labelled after it"
    assert _text(soup.select_one("#mine figcaption")).replace("\u00a0", " ") == "Table 3: Mine too"
    assert _text(soup.select_one("a.quarto-xref")).replace("\u00a0", " ") == "Table 2"
    pdf = " ".join(pdf_text(tmp_path / "out" / "captioned.pdf").split())
    assert "Table 1: A styled table" in pdf and "Table 2: Labelled after it" in pdf and "See Table 2." in pdf


TABBED_FIGURES = """---
format:
  html:
    theme: yeti
---

::: {.panel-tabset #fig-tabs}

### ![](images/square.png) One

::: {#fig-one}
![One](images/square.png)
:::

### Two

::: {#fig-two}
![](images/square.png)

Second
:::

:::

::: {#fig-tall}
![](images/square.png){height=120}

Tall
:::

See @fig-one, @fig-two and @fig-tall.
"""


def test_a_labelled_tabset_stays_a_tabset_and_the_figures_in_its_tabs_are_numbered(tmp_path):
    # a course's ::: {.panel-tabset #fig-x} of figures: Quarto keeps the tabset (no float of its own) and numbers
    # the figures in its tabs; an image whose height is set keeps that height (no scaling to the column)
    shutil.copytree(DOCUMENTS / "project" / "images", tmp_path / "images")
    _, soup = _render_one(tmp_path, "tabbed", TABBED_FIGURES, "html")
    tabs = soup.find(id="fig-tabs")
    assert "panel-tabset" in tabs["class"] and "quarto-float" not in tabs["class"] and tabs.select_one("ul.nav-tabs")
    assert tabs.find("figcaption", class_="quarto-float-caption", recursive=False) is None
    assert "img-fluid" in tabs.select_one("a.nav-link img")["class"]  # a tab title's image, as Quarto's (LS6036)
    captions = [_text(soup.select_one(f"#{label} figcaption.quarto-float-caption")).replace("\u00a0", " ")
                for label in ("fig-one", "fig-two", "fig-tall")]
    assert captions == ["Figure 1", "Figure 2: Second", "Figure 3: Tall"]
    assert [_text(a).replace("\u00a0", " ") for a in soup.select("a.quarto-xref")] == ["Figure 1", "Figure 2",
                                                                                        "Figure 3"]
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "out" / "tabbed.html").as_uri(), wait_for="document.readyState === 'complete'")
        size = browser.evaluate("(i => [i.getBoundingClientRect().height, i.getBoundingClientRect().width,"
                                " i.naturalWidth / i.naturalHeight])(document.querySelector('#fig-tall img'))")
    assert abs(size[0] - 120) < 0.5 and abs(size[1] - 120 * size[2]) < 1, size


def test_bootstrap_table_classes_after_a_caption_are_bootstraps_and_draw_in_chromium(tmp_path):
    _render_one(tmp_path, "classes", "| a | b |\n|---|---|\n| 1 | 2 |\n\n: Ruled {#tbl-r .bordered .hover .mine}\n",
                "html")
    with Browser(900, 600) as browser:
        browser.open((tmp_path / "out" / "classes.html").as_uri(), wait_for="document.readyState === 'complete'")
        seen = browser.evaluate("""(() => { const t = document.querySelector('#tbl-r table');
            return {classes: t.className, border: getComputedStyle(t.querySelector('td')).borderLeftWidth}; })()""")
    assert sorted(seen["classes"].split()) == ["mine", "table-bordered", "table-hover"]
    assert seen["border"] == "1px"  # .table-bordered: every cell ruled


def test_a_figure_divs_own_classes_stay_and_a_margin_column_puts_it_in_the_margin(tmp_path):
    shutil.copytree(DOCUMENTS / "project" / "images", tmp_path / "images")
    _, soup = _render_one(tmp_path, "margin", "Text beside it.\n\n::: {#fig-m .column-margin .border}\n"
                          "![](images/square.png)\n\nA margin figure\n:::\n\n::: {#fig-b .border}\n"
                          "![](images/square.png)\n\nA bordered figure\n:::\n\nSee @fig-m and @fig-b.\n", "html")
    assert "border" in soup.find(id="fig-b")["class"] and "border" in soup.find(id="fig-m")["class"]
    assert soup.find(id="fig-m").find_parent("div", class_="column-margin") is not None
    with Browser(1300, 700) as browser:
        browser.open((tmp_path / "out" / "margin.html").as_uri(), wait_for="document.readyState === 'complete'")
        figure_left, text_right = browser.evaluate("[document.getElementById('fig-m').getBoundingClientRect().left, "
                                                   "document.querySelector('main p').getBoundingClientRect().right]")
    assert figure_left > text_right  # in the right-hand column, as Quarto places it


def test_an_image_is_found_in_the_documents_resource_path(tmp_path):
    (tmp_path / "assets").mkdir()
    shutil.copy(DOCUMENTS / "project" / "images" / "square.png", tmp_path / "assets" / "shape.png")
    stderr, soup = _render_one(tmp_path, "resources", "---\nresource-path: [assets]\n---\n\n![A shape](shape.png)\n",
                               "html")
    assert "not found" not in stderr
    assert soup.select_one('figure img[alt="A shape"]')["src"].startswith("data:image/png;base64,")


def test_a_tab_marked_active_is_shown_first_and_text_before_the_first_tab_stays(tmp_path):
    _render_one(tmp_path, "active", "::: {.panel-tabset}\nAn introduction to the tabs.\n\n## Python\n\nFirst.\n\n"
                "## R {.active}\n\nSecond.\n:::\n", "html")
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "out" / "active.html").as_uri(), wait_for="document.readyState === 'complete'")
        seen = browser.evaluate("""(() => { const set = document.querySelector('.panel-tabset');
            return {first: set.firstElementChild.innerText.trim(),
                    shown: [...set.querySelectorAll('[role=tabpanel]')].filter(p => !p.hidden)
                             .map(p => p.innerText.trim()),
                    selected: set.querySelector('[aria-selected=true]').innerText}; })()""")
    assert seen == {"first": "An introduction to the tabs.", "shown": ["Second."], "selected": "R"}


def test_a_plain_plot_sits_in_quartos_output_div_and_a_numbered_one_in_its_figure(floats):
    # authors' stylesheets reach plots through Quarto's classes (.cell-output-display img)
    plain = [img for img in floats["soup"].select("main img, body img")
             if img.find_parent(class_="cell-output-display") is not None
             and img.find_parent(class_="quarto-float") is None]
    # in Quarto's uncaptioned figure: figure.figure, no caption, no id, no number
    figure = plain[0].find_parent("figure") if len(plain) == 1 else None
    assert figure is not None and figure["class"] == ["figure"] and figure.figcaption is None and not figure.get("id")
    # the numbered figure keeps its own markup, in the output div too, as Quarto's page has it
    assert floats["soup"].select_one("div.cell-output-display > div#fig-line.quarto-float > figure > div > img")
    assert "Figure 5" not in floats["flat_pdf"]  # the plain plot takes no number in print


def test_a_reference_with_a_prefix_says_it_and_a_group_is_joined_by_commas_and_a_label_used_twice_numbers_both(
        tmp_path):
    # as Quarto writes them: "[Condition @eq-a]" is "Condition 1" (the prefix instead of the word, in the link),
    # "[Conditions @eq-a; -@eq-b]" is "Conditions 1, 2"; an equation label an author used twice numbers both
    # equations, so the ones after keep Quarto's numbers
    _, soup = _render_one(tmp_path, "prefixed", "$$a = 1$$ {#eq-a}\n\n$$b = 2$$ {#eq-b}\n\n$$c = 3$$ {#eq-b}\n\n"
                          "$$d = 4$$ {#eq-d}\n\n[Condition @eq-a] holds; [Conditions @eq-a; -@eq-b] too.\n", "html")
    links = [" ".join(a.get_text().split()) for a in soup.select("a.quarto-xref")]
    assert links == ["Condition 1", "Conditions 1", "3"]  # eq-b: its last equation, as Quarto's index keeps it
    assert "Conditions 1, 3 too." in " ".join(soup.get_text().replace("\xa0", " ").split())
    tags = [span.get_text().strip()[-9:] for span in soup.select("span[id^=eq-] > span.math.display")]
    assert tags == ["\\tag{1}\\]", "\\tag{2}\\]", "\\tag{3}\\]", "\\tag{4}\\]"]


def test_tabsets_of_a_group_switch_together_and_the_choice_is_remembered(tmp_path):
    # Quarto's tabset groups: a reader who picks "R" in one tabset sees R in every tabset of the group, on this
    # page and the next one they open (localStorage), and a deck's tabsets are Quarto's tabby list
    body = "::: {{.panel-tabset group=\"language\"}}\n## Python\n\n{0} in Python.\n\n## R\n\n{0} in R.\n:::\n\n"
    (tmp_path / "groups.qmd").write_text("---\ntitle: Groups\n---\n\n" + body.format("Load") + body.format("Plot"),
                                         encoding="utf-8")
    (tmp_path / "deck.qmd").write_text("---\ntitle: D\nformat: revealjs\n---\n\n## Slide\n\n" + body.format("Fit"),
                                       encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "groups.qmd"), str(tmp_path / "deck.qmd"), "--output-dir",
                              str(tmp_path / "out"))
    assert code == 0, stderr
    deck = BeautifulSoup((tmp_path / "out" / "deck.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in deck.select(".panel-tabset > ul.panel-tabset-tabby > li > a")] == [
        "#tabset-1-1", "#tabset-1-2"]
    shown = ("[...document.querySelectorAll('[role=tabpanel]')].filter(p => !p.hidden)"
             ".map(p => p.innerText.trim())")
    with Browser(1000, 700) as browser:
        page = (tmp_path / "out" / "groups.html").as_uri()
        browser.open(page)
        assert browser.evaluate(shown) == ["Load in Python.", "Plot in Python."]
        browser.click(".panel-tabset li:nth-child(2) [role=tab]")  # R in the first tabset
        assert browser.evaluate(shown) == ["Load in R.", "Plot in R."]
        # again: the group shows R from the start
        browser.open_once_stored(page, "(localStorage.getItem('quarto-persistent-tabsets-data') || '')"
                                       ".includes('language')")
        assert browser.evaluate(shown) == ["Load in R.", "Plot in R."]


def test_an_image_named_without_an_extension_is_the_formats_file(tmp_path):
    # Quarto's multiformat figures: ![](elephant) is elephant.png on a page, elephant.pdf in LaTeX; the
    # document's default-image-extension names another ("svg")
    require_tool("xelatex")
    from PIL import Image

    Image.new("RGB", (60, 40), "red").save(tmp_path / "shape.png")
    Image.new("RGB", (60, 40), "blue").save(tmp_path / "shape.pdf")
    (tmp_path / "shape.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="6" height="4">'
                                        '<rect width="6" height="4" fill="green"/></svg>')
    stderr, soup = _render_one(tmp_path, "multi", "---\ntitle: Multi\n---\n\n![A shape](shape)\n", "html,pdf")
    assert "not found" not in stderr, stderr
    assert soup.select_one("figure img")["src"].startswith("data:image/png;base64,")
    assert "missing image" not in pdf_text(tmp_path / "out" / "multi.pdf")
    _, soup = _render_one(tmp_path, "svg", "---\ntitle: Drawn\ndefault-image-extension: svg\n---\n\n"
                          "![A shape](shape)\n", "html")
    assert soup.select_one("figure img")["src"].startswith("data:image/svg+xml;base64,")


def test_a_figure_cells_printed_text_stays_before_its_float_as_in_quarto(tmp_path):
    # the network-science notes' karate-club cell prints a count, then draws: Quarto's float holds the plot only
    (tmp_path / "doc.qmd").write_text(
        "---\ntitle: Printed\n---\n\n```{python}\n#| label: fig-line\n#| fig-cap: A line.\n"
        "import matplotlib.pyplot as plt\nprint('This graph has 34 nodes.')\nplt.plot([1, 2, 3])\nplt.show()\n```\n",
        encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html", "--output-dir", str(tmp_path))
    assert code == 0, stderr
    cell = BeautifulSoup((tmp_path / "doc.html").read_text(encoding="utf-8"), "html.parser").select_one("div.cell")
    printed = cell.select_one("div.cell-output-stdout")
    figure = cell.select_one("#fig-line")
    assert printed.get_text(strip=True) == "This graph has 34 nodes." and figure.find_parent("div", class_="cell")
    assert figure.select_one("img") is not None and figure.select_one(".cell-output-stdout") is None
    assert printed.find_next(id="fig-line") is figure  # the text first, then the figure
    assert " ".join(figure.figcaption.get_text().split()) == "Figure 1: A line."


def test_a_captioned_figure_without_a_label_is_numbered_in_print_as_latex_numbers_quartos(tmp_path):
    # Quarto leaves a figure without a fig- label to pandoc, whose \caption LaTeX numbers: a Quarto book's PDF
    # reads "Figure 2.1: file_directory" where its page has no number; the labelled figure after it is the
    # second, in the text and in its reference alike
    from PIL import Image

    require_tool("xelatex")
    Image.new("RGB", (20, 20), "red").save(tmp_path / "dot.png")
    (tmp_path / "figs.qmd").write_text("---\ntitle: Figures\nformat: [html, pdf]\n---\n\n"
                                       "![A plain caption](dot.png)\n\n"
                                       "![Labelled](dot.png){#fig-b}\n\nSee @fig-b.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "figs.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    text = " ".join(pdf_text(tmp_path / "out" / "figs.pdf").split())
    assert "Figure 1: A plain caption" in text and "Figure 2: Labelled" in text and "See Figure 2." in text
    page = BeautifulSoup((tmp_path / "out" / "figs.html").read_text(encoding="utf-8"), "html.parser")
    captions = [" ".join(c.get_text().split()) for c in page.select("figcaption")]
    assert captions == ["A plain caption", "Figure 1: Labelled"]  # the page numbers the labelled one alone


def test_a_linked_image_with_a_caption_is_a_figure_and_its_label_numbers_it_as_in_quarto(tmp_path):
    # Quarto makes a figure of a captioned image inside a link alone in its paragraph (pandoc only of a bare
    # image): the caption under it, the link kept; a #fig- label numbers it and references reach it
    from PIL import Image

    require_tool("xelatex")
    Image.new("RGB", (20, 20), "red").save(tmp_path / "dot.png")
    (tmp_path / "linked.qmd").write_text("---\ntitle: Linked\nformat: [html, pdf]\n---\n\n"
                                         "[![Click to enlarge](dot.png)](dot.png)\n\n"
                                         "[![Numbered](dot.png){#fig-linked width=50%}](https://example.org)\n\n"
                                         "[![](dot.png)](dot.png)\n\nSee @fig-linked.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "linked.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = BeautifulSoup((tmp_path / "out" / "linked.html").read_text(encoding="utf-8"), "html.parser")
    plain, numbered = page.select("figure")
    assert plain.select_one("p > a[href='dot.png'] > img") and _text(plain.figcaption) == "Click to enlarge"
    assert plain.parent["class"] == ["quarto-figure", "quarto-figure-center"]
    assert numbered.parent["id"] == "fig-linked" and numbered.select_one("a[href='https://example.org'] > img")
    assert _text(numbered.figcaption).replace("\u00a0", " ") == "Figure 1: Numbered"
    assert _text(page.select_one("a.quarto-xref")).replace("\u00a0", " ") == "Figure 1"
    uncaptioned = page.select("main > p > a > img")
    assert len(uncaptioned) == 1 and not uncaptioned[0].find_parent("figure")  # no caption: no figure
    text = " ".join(pdf_text(tmp_path / "out" / "linked.pdf").split())
    assert "Figure 1: Click to enlarge" in text and "Figure 2: Numbered" in text and "See Figure 2." in text


def test_an_aligned_image_without_a_caption_carries_quartos_figure_classes_itself(tmp_path):
    # Quarto writes <img class="img-fluid quarto-figure quarto-figure-center figure-img">: authors' rules (and
    # decks' "img.quarto-figure-center + p.caption") address the image by them
    from PIL import Image

    Image.new("RGB", (20, 20), "red").save(tmp_path / "dot.png")
    _, soup = _render_one(tmp_path, "aligned", "![](dot.png){fig-align=\"right\" width=300}\n", "html")
    image = soup.select_one("div.quarto-figure-right > figure img")
    assert {"quarto-figure", "quarto-figure-right", "figure-img"} <= set(image["class"])
    assert not image.get("data-fig-align")


def test_a_citation_grouped_with_a_cross_reference_is_left_out_as_quarto_does_and_said(tmp_path):
    # "@eq-x [@smith]" is one citation group to pandoc: Quarto's reference takes its place, the citation gone
    # (a glaciology book's "given in @eq-mass-balance [@oneel_2019]"); cited apart, it shows
    (tmp_path / "refs.bib").write_text("@article{smith, author={Smith, Ann}, title={T}, journal={J}, year={2020}}\n",
                                       encoding="utf-8")
    stderr, soup = _render_one(tmp_path, "mixed", "---\nbibliography: refs.bib\n---\n\n$$ E = mc^2 $$ {#eq-e}\n\n"
                               "As in @eq-e [@smith].\n\nAnd @eq-e, [@smith].\n", "html")
    first, second = (" ".join(p.get_text().split()) for p in soup.select("main p")[-2:])
    assert first == "As in Equation 1." and second == "And Equation 1, (Smith 2020)."
    assert "the citation @smith is in one group with a cross-reference" in " ".join(stderr.split())
    assert "?smith" not in str(soup) and "unresolved cross-reference @smith" not in stderr


def test_a_figure_an_r_cell_draws_keeps_its_number_caption_and_references_though_not_run(tmp_path):
    # a hydrology book's chapters: knitr::include_graphics() in labelled R cells; R does not run here, but the
    # float stays so that "see Figure 8.2" and every number after it are Quarto's
    from PIL import Image

    Image.new("RGB", (20, 20), "red").save(tmp_path / "dot.png")
    _, soup = _render_one(tmp_path, "rfig", "See @fig-process.\n\n```{r}\n#| label: fig-process\n#| echo: false\n"
                          "#| fig-cap: \"The process.\"\nknitr::include_graphics(\"process.png\")\n```\n\n"
                          "![Second](dot.png){#fig-second}\n\nAnd @fig-second.\n", "html")
    captions = [" ".join(f.get_text().split()).replace("\u00a0", " ") for f in soup.select("figcaption")]
    assert captions == ["Figure 1: The process.", "Figure 2: Second"]
    assert [a["href"] for a in soup.select("a.quarto-xref")] == ["#fig-process", "#fig-second"]
    assert "not run" in soup.select_one("#fig-process").get_text()


def test_a_labelled_image_without_a_caption_is_a_numbered_figure_and_a_label_used_twice_numbers_both(tmp_path):
    # Quarto's figure parsing: ![](x.png){#fig-a} alone in its paragraph is a figure captioned with its number
    # alone ("Figure 1"); a float label an author used on three slides numbers each of its floats, so the ones
    # after keep Quarto's numbers, and a reference takes the last (as in a Quarto 1.6 deck: Figures 4, 5, 6)
    from PIL import Image

    Image.new("RGB", (40, 30), "red").save(tmp_path / "dot.png")
    copy = "::: {#fig-copy}\n\n![](dot.png)\n\nThe same picture.\n:::\n\n"
    _, soup = _render_one(tmp_path, "labelled", "![](dot.png){#fig-bare}\n\n" + copy * 2 +
                          "![A caption](dot.png){#fig-after}\n\n[![](dot.png){#fig-linked}](https://example.org)\n\n"
                          "See @fig-bare, @fig-copy and @fig-linked.\n", "html")
    captions = [" ".join(c.get_text().split()) for c in soup.select("figcaption")]
    assert captions == ["Figure 1", "Figure 2: The same picture.", "Figure 3: The same picture.",
                        "Figure 4: A caption", "Figure 5"]
    assert soup.select_one("#fig-linked a[href='https://example.org'] img") is not None
    links = [" ".join(a.get_text().split()) for a in soup.select("a.quarto-xref")]
    assert links == ["Figure 1", "Figure 3", "Figure 5"]


def test_markdown_in_an_html_tables_data_qmd_attributes_is_rendered_into_the_cells(tmp_path):
    # Quarto's "Embedding Markdown in HTML tables": <span data-qmd="_Header 1_"> (as great_tables' md() writes it),
    # data-qmd-base64 too; in the page and, read as a table, in Word
    import base64
    import zipfile

    encoded = base64.b64encode(b"**bold** cell").decode()
    document = ("---\ntitle: Tables\nformat: [html, docx]\n---\n\n```{=html}\n<table>\n<thead><tr>"
                '<th><span data-qmd="_Header 1_"></span></th><th>Plain</th></tr></thead>\n<tbody><tr>'
                f'<td><span data-qmd-base64="{encoded}"></span></td><td>text</td></tr></tbody>\n</table>\n```\n')
    (tmp_path / "tables.qmd").write_text(document, encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "tables.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "out" / "tables.html").read_text(encoding="utf-8"), "html.parser")
    assert _text(soup.select_one("th em")) == "Header 1"
    assert _text(soup.select_one("td strong")) == "bold" and _text(soup.select("td")[0]) == "bold cell"
    with zipfile.ZipFile(tmp_path / "out" / "tables.docx") as archive:
        word = archive.read("word/document.xml").decode("utf-8")
    assert "Header 1" in word and "bold" in word


def test_an_image_labelled_as_a_table_is_a_numbered_table_float(tmp_path):
    # ![Caption](scan.png){#tbl-x}: a table shown as a picture (Quarto's html-float-3 test)
    from PIL import Image

    Image.new("RGB", (40, 20), (0, 90, 200)).save(tmp_path / "scan.png")
    _, soup = _render_one(tmp_path, "scan", "---\ntitle: Scan\n---\n\n![A scanned table](scan.png){#tbl-scan}\n\n"
                          "See @tbl-scan.\n", "html")
    float_ = soup.select_one("div#tbl-scan figure.quarto-float-tbl")
    assert _text(float_.select_one("figcaption")) == "Table 1: A scanned table"
    assert float_.select_one("img") is not None
    assert _text(soup.select_one("a.quarto-xref[href='#tbl-scan']")) == "Table 1"


def test_a_raw_html_tables_own_caption_follows_the_floats_number_on_pages_and_slides(tmp_path):
    # Quarto's rawtablecaption test: "Table 1: This is a caption.", the table's caption read into the float's
    body = ("::: {#tbl-raw}\n\n```{=html}\n<table>\n<caption>This is a caption.</caption>\n<thead><tr><th>a</th>"
            "</tr></thead>\n<tbody><tr><td>1</td></tr></tbody>\n</table>\n```\n\n:::\n\nSee @tbl-raw.\n")
    for to in ("html", "revealjs"):
        (tmp_path / to).mkdir()
        _, soup = _render_one(tmp_path / to, "raw", f"---\ntitle: Raw\n---\n\n## Slide\n\n{body}", to)
        caption = soup.select_one("#tbl-raw caption, #tbl-raw figcaption")
        assert _text(caption) == "Table 1: This is a caption.", to
