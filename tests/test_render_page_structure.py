"""An HTML page is structured as Quarto structures it: the title block, the text and its footnotes in
``<main class="content" id="quarto-document-content">``; the table of contents beside it (inside it with
``toc-location: body``); what the author includes before and after the body outside it."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from qmdrender.formats.page_main import MAIN_END, MAIN_START, with_main, with_marker_arguments

from .conftest import render_cli

DOCUMENT = """---
title: Structured
toc: true
include-before-body:
  text: "<p>BEFORE-BODY</p>"
include-after-body:
  text: "<p>AFTER-BODY</p>"
---

## One

Text[^1].

[^1]: A note.

## Two

More.
"""


def _render(tmp_path: Path, text: str) -> BeautifulSoup:
    (tmp_path / "page.qmd").write_text(text, encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "page.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    return BeautifulSoup((tmp_path / "out" / "page.html").read_text(encoding="utf-8"), "html.parser")


def test_the_title_text_and_footnotes_are_in_main_and_the_contents_and_includes_beside_it(tmp_path):
    soup = _render(tmp_path, DOCUMENT)
    main = soup.select("main.content#quarto-document-content")
    assert len(main) == 1
    assert main[0].select_one("header#title-block-header h1").get_text() == "Structured"
    assert [h.get_text() for h in main[0].select("h2")][:2] == ["One", "Two"]
    assert main[0].select_one("#footnotes") is not None and "A note." in main[0].get_text()
    toc = soup.select_one("nav#TOC")
    assert toc.find_parent("main") is None and toc.find_next("main") is main[0]  # beside it, before it
    before, after = soup.find(string="BEFORE-BODY"), soup.find(string="AFTER-BODY")
    assert before.find_parent("main") is None and after.find_parent("main") is None
    assert "quarto-main-" not in str(soup)  # no marker comment is left
    # the content area around the contents and the text, as Quarto's template has it (authors' rules address it)
    area = soup.select_one("div#quarto-content.page-columns.page-rows-contents.page-layout-article")
    assert [child.get("id") for child in area.find_all(recursive=False)] == \
        ["quarto-margin-sidebar", "quarto-document-content"]
    assert before.find_parent(id="quarto-content") is None and after.find_parent(id="quarto-content") is None


def test_contents_placed_in_the_body_stay_in_main(tmp_path):
    soup = _render(tmp_path, DOCUMENT.replace("toc: true", "toc: true\ntoc-location: body"))
    assert soup.select_one("nav#TOC").find_parent("main") is not None


def test_the_content_area_names_the_page_layout_and_a_contents_column_on_the_left(tmp_path):
    soup = _render(tmp_path, DOCUMENT.replace("toc: true", "toc: true\ntoc-location: left\npage-layout: full"))
    area = soup.select_one("div#quarto-content")
    assert area["class"] == ["page-columns", "page-rows-contents", "page-layout-full", "toc-left"]
    assert area.select_one("#quarto-sidebar-toc-left > nav#TOC") is not None


def test_the_markers_go_after_every_include_before_and_before_every_include_after():
    arguments = ["--toc", "--include-before-body=a", "--include-after-body=b", "--include-after-body=c"]
    assert with_marker_arguments(arguments, "S", "E") == [
        "--toc", "--include-before-body=a", "--include-after-body=E", "--include-after-body=b",
        "--include-after-body=c", "--include-before-body=S"]
    # an author's template without the includes: no markers, no <main>, nothing else changed
    assert with_main("<body><p>x</p></body>", False) == "<body><p>x</p></body>"
    assert with_main(f"<body>{MAIN_END}<p>x</p>{MAIN_START}</body>", False) == "<body><p>x</p></body>"


def test_margin_header_and_footer_sit_above_and_below_the_contents_in_the_margin(tmp_path):
    (tmp_path / "logo.png").write_bytes((Path(__file__).parent / "projects" / "book" / "cover.png").read_bytes())
    (tmp_path / "footer.md").write_text("Made with *care*.\n", encoding="utf-8")
    soup = _render(tmp_path, DOCUMENT.replace("toc: true", 'toc: true\nmargin-header: |\n  ![](logo.png)\n\n'
                                              '  **Course** notes\nmargin-footer: footer.md'))
    toc = soup.select_one("nav#TOC")
    header, footer = toc.select_one(".quarto-margin-header"), toc.select_one(".quarto-margin-footer")
    assert "Course notes" in header.get_text(" ", strip=True) and header.img["src"].startswith("data:image/png")
    assert footer.get_text(" ", strip=True) == "Made with care ."
    parts = [child for child in toc.children if getattr(child, "name", None)]
    assert parts[0] is header and parts[-1] is footer  # above and below the list of sections
    assert soup.select_one("main").find(string="Course") is None  # not in the text


def test_margin_header_without_contents_sits_in_a_margin_column_beside_the_text(tmp_path):
    # as Quarto's margin sidebar holds it, outside <main> (a course site's logo, Quarto 1.8)
    from .browser import Browser

    soup = _render(tmp_path, "---\ntitle: Plain\nmargin-header: A *note* in the margin.\n---\n\nText.\n")
    note = soup.select_one("nav#TOC .quarto-margin-header")
    assert note is not None and note.get_text(" ", strip=True) == "A note in the margin."
    assert soup.select_one("main").find(string="note") is None
    with Browser(1400, 800) as browser:
        browser.open((tmp_path / "out" / "page.html").as_uri())
        note_left, text_right = browser.evaluate("[document.querySelector('.quarto-margin-header')"
                                                 ".getBoundingClientRect().left, document.querySelector('main p')"
                                                 ".getBoundingClientRect().right]")
    assert note_left >= text_right


def test_each_heading_and_its_text_are_a_section_with_the_id_as_quarto_writes_them(tmp_path):
    soup = _render(tmp_path, "---\ntitle: Sections\n---\n\n## One {.special}\n\nText.\n\n### Deeper\n\nMore.\n\n"
                             "## Two\n\nLast.\n")
    one = soup.select_one("main > section#one")
    assert one is not None and one["class"] == ["level2", "special"]
    heading = one.find("h2", recursive=False)
    # the heading keeps its classes, is "anchored" and names its section; the id is the section's alone
    assert heading["class"] == ["special", "anchored"] and heading["data-anchor-id"] == "one"
    assert not heading.has_attr("id") and len(soup.select("#one")) == 1
    assert one.select_one("section#deeper.level3 > h3.anchored")["data-anchor-id"] == "deeper"
    assert "Last." in soup.select_one("main > section#two").get_text()


def test_figures_and_images_carry_bootstraps_classes_as_quartos_post_processor_gives_them(tmp_path):
    from PIL import Image

    Image.new("RGB", (40, 30), "navy").save(tmp_path / "dot.png")
    text = ("---\ntitle: Figures\n---\n\n![A caption](dot.png)\n\nInline ![](dot.png) and sized "
            "![](dot.png){height=20px}.\n\n> A quote.\n")
    soup = _render(tmp_path, text)
    figure = soup.select_one("main figure")
    assert "figure" in figure["class"]
    assert {"img-fluid", "figure-img"} <= set(figure.select_one("img")["class"])
    inline, sized = soup.select("main > p > img")
    assert inline["class"] == ["img-fluid"]  # responsive, not a figure's
    assert "img-fluid" not in (sized.get("class") or [])  # an image with a height keeps it
    assert soup.select_one("main blockquote")["class"] == ["blockquote"]
    (tmp_path / "out").rename(tmp_path / "first")
    fixed = _render(tmp_path, text.replace("title: Figures", "title: Figures\nfig-responsive: false"))
    assert not fixed.select("main img.img-fluid")


def test_a_page_without_sections_has_no_empty_contents(tmp_path):
    # its only heading is left out of the contents (.unlisted), which leaves nothing to list
    soup = _render(tmp_path, "---\ntitle: Plain\ntoc: true\n---\n\n## Notes {.unlisted}\n\nOnly a paragraph.\n")
    assert soup.select_one("nav#TOC") is None and "Table of contents" not in soup.get_text()


def test_the_contents_open_the_section_being_read_as_quarto_does(tmp_path):
    from .browser import Browser

    filler = "\n\n".join(["A paragraph of text to scroll past. " * 12] * 6)
    text = (f"---\ntitle: Long\ntoc: true\n---\n\n{filler}\n\n## Alpha\n\n{filler}\n\n### Alpha one\n\n{filler}\n\n"
            f"## Beta\n\n{filler}\n\n### Beta one\n\n{filler}\n")
    _render(tmp_path, text)
    shown = ("[...document.querySelectorAll('#TOC a')].filter(a => a.offsetParent !== null).map(a => a.textContent"
             ".trim() + (a.classList.contains('active') ? '*' : ''))")
    with Browser(1400, 800) as browser:
        browser.open((tmp_path / "out" / "page.html").as_uri())
        at_top = browser.evaluate(shown)
        browser.evaluate("document.getElementById('beta-one').scrollIntoView(); "
                         "window.dispatchEvent(new Event('scroll'))")
        browser.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        in_beta = browser.evaluate(shown)
    # toc-expand's default: the first level, and under the entry marked (the first one before any section is
    # reached, as Quarto marks it) its own entries
    assert at_top == ["Alpha*", "Alpha one", "Beta"]
    assert in_beta == ["Alpha", "Beta", "Beta one*"]  # the section being read opens, its entry marked
    (tmp_path / "out").rename(tmp_path / "first")
    _render(tmp_path, text.replace("toc: true", "toc: true\ntoc-expand: true"))
    with Browser(1400, 800) as browser:
        browser.open((tmp_path / "out" / "page.html").as_uri())
        assert browser.evaluate(shown) == ["Alpha*", "Alpha one", "Beta", "Beta one"]
    # toc-expand: false: only the first level, and a deeper entry once its section is read (Python for Data
    # Science's chapters, Quarto 1.5: "Introduction" marked, its "Prerequisites" folded away)
    (tmp_path / "out").rename(tmp_path / "all")
    _render(tmp_path, text.replace("toc: true", "toc: true\ntoc-expand: false"))
    with Browser(1400, 800) as browser:
        browser.open((tmp_path / "out" / "page.html").as_uri())
        assert browser.evaluate(shown) == ["Alpha*", "Beta"]
        browser.evaluate("document.getElementById('beta-one').scrollIntoView(); "
                         "window.dispatchEvent(new Event('scroll'))")
        browser.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert browser.evaluate(shown) == ["Alpha", "Beta", "Beta one*"]


def test_an_image_whose_name_pandoc_percent_encodes_is_found_and_embedded(tmp_path):
    # pandoc's reader writes "^" of a link as %5E; the file on disk has the character itself
    png = (Path(__file__).parent / "projects" / "book" / "cover.png").read_bytes()
    (tmp_path / "marker_^.png").write_bytes(png)
    soup = _render(tmp_path, "---\ntitle: Markers\n---\n\n| marker | look |\n|--|--|\n| `'^'` | ![](marker_^.png) |\n")
    assert "missing image" not in soup.get_text()
    assert soup.select_one("td img")["src"].startswith("data:image/png;base64,")


def test_an_image_named_with_a_tex_special_character_is_in_the_pdf(tmp_path):
    from .conftest import pdf_text, require_tool

    require_tool("xelatex")
    (tmp_path / "marker_^.png").write_bytes((Path(__file__).parent / "projects" / "book" / "cover.png").read_bytes())
    (tmp_path / "m.qmd").write_text("---\ntitle: Markers\n---\n\n![A caret marker](marker_^.png){width=20%}\n")
    code, stderr = render_cli(str(tmp_path / "m.qmd"), "--to", "pdf", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "A caret marker" in pdf_text(tmp_path / "out" / "m.pdf") and "missing image" not in stderr


def test_a_margin_footer_file_named_in_the_project_is_found_from_a_page_in_a_folder(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\nmargin-footer: footer.md\n")
    (tmp_path / "footer.md").write_text("Course *notes*.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.qmd").write_text("---\ntitle: Deep\n---\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "sub" / "page.qmd"), "--to", "html", "--output-dir", str(tmp_path / "o"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "o" / "page.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one(".quarto-margin-footer").get_text(" ", strip=True) == "Course notes ."


def test_an_image_in_a_layout_cell_keeps_its_width_and_loses_the_height_that_would_stretch_it(tmp_path):
    # quarto-cli#9927: the cell sets the width; a fixed height beside it distorted the picture
    from PIL import Image

    Image.new("RGB", (40, 40), "red").save(tmp_path / "square.png")
    soup = _render(tmp_path, '::: {layout-ncol="3"}\n\n![](square.png){width=450 height=450}\n\n'
                             "![](square.png)\n\n![](square.png)\n\n:::\n")
    first = soup.select_one(".quarto-layout-cell img")
    assert first["width"] == "450" and not first.has_attr("height")
    assert len(soup.select(".quarto-layout-row .quarto-layout-cell img")) == 3


def test_a_page_with_nothing_for_the_margin_is_centred_and_one_with_contents_leaves_the_margin_room(tmp_path):
    # Quarto's "fullcontent" page: without contents or margin notes the text is alone, centred in the window
    from .browser import Browser

    words = "Some words to fill a line of text. " * 20
    text_edges = ("(() => { const r = document.querySelector('main p').getBoundingClientRect();"
                  " return [r.left, r.right, document.documentElement.clientWidth]; })()")
    edges = {}
    for toc in ("false", "true"):
        _render(tmp_path, f"---\ntitle: Plain\ntoc: {toc}\n---\n\n## One\n\n{words}\n\n## Two\n\n{words}\n")
        with Browser(1400, 800) as browser:
            browser.open((tmp_path / "out" / "page.html").as_uri())
            edges[toc] = browser.evaluate(text_edges)
    left, right, width = edges["false"]
    assert abs(left - (width - right)) <= 2  # centred
    # Quarto's default grid on a 17px page, its text column at its widest (850px - 3em); with contents its fixed
    # tracks are 1.5em + 35px + 35px + 1.5em left of the text and 1.5em + 215px (the margin) + 1.5em right of it,
    # the width left over shared equally
    left, right, width = edges["true"]
    column, before, after = 850 - 3 * 17, 3 * 17 + 70, 3 * 17 + 215
    assert abs((right - left) - column) <= 2
    assert abs(left - (before + (width - before - column - after) / 2)) <= 2


def test_page_layout_full_spans_quartos_page_column_centred(tmp_path):
    # Quarto's column-page for page-layout: full: 1085px and two 1.5em gutters (1135px on a 17px theme), centred;
    # a course site's listing page (CS 50x2's) sits there
    from .browser import Browser

    words = "Some words to fill a line of text. " * 60
    _render(tmp_path, f"---\ntitle: Full\npage-layout: full\n---\n\n{words}\n")
    for window in (1400, 1280):  # on a 1280px screen the space beside the column gives way, not the column
        with Browser(window, 800) as browser:
            browser.open((tmp_path / "out" / "page.html").as_uri())
            left, right, width, em = browser.evaluate(
                "(() => { const r = document.querySelector('main p').getBoundingClientRect(); return [r.left, "
                "r.right, document.documentElement.clientWidth, parseFloat(getComputedStyle(document.body).fontSize)];"
                " })()")
        assert abs((right - left) - (1085 + 3 * em)) <= 2 and abs(left - (width - right)) <= 2, (window, left, right)


def test_the_pages_own_stylesheet_is_written_into_a_style_element(tmp_path):
    # pandoc embeds a stylesheet holding "</svg>" (an icon's data URL) as a percent-encoded data: link instead,
    # which the site's and the freeze's checks of the page's rules cannot read
    soup = _render(tmp_path, "---\ntitle: Styled\ncode-tools: true\n---\n\nText.\n")
    styles = "".join(style.get_text() for style in soup.find_all("style"))
    assert "table.token-table td" in styles and "details.code-tools-menu > summary > .bi::before" in styles
    assert not [link for link in soup.find_all("link") if link.get("href", "").startswith("data:text/css")]


def test_article_columns_reach_quartos_page_grid_tracks(tmp_path):
    # https://quarto.org/docs/authoring/article-layout.html: on a 17px page with contents, Quarto's grid puts
    # the text column (850px - 3em) 1.5em + 35px + 35px + 1.5em after the page's edge plus half the width left
    # over; the body's outset is 35px + 1.5em beyond the text, the page reaches 1.5em + 70px left of the text
    # and to the margin column's end (1.5em + 215px right of it; its inset 35px short of that), the screen to the
    # window's edges (its inset 1.5em in); the edges measured on Quarto 1.7's own stylesheet
    from .browser import Browser

    classes = ["column-body-outset", "column-page", "column-page-inset", "column-screen", "column-screen-inset",
               "column-screen-inset-shaded", "column-screen-left", "column-page-right", "column-margin"]
    blocks = "".join(f"::: {{.{name}}}\nIn {name}.\n:::\n\n" for name in classes)
    filler = "\n\n".join(["A paragraph of filler, so that the page scrolls."] * 60)  # a scrollbar takes width
    _render(tmp_path, f"---\ntitle: Columns\ntoc: true\n---\n\n## One\n\nThe text.\n\n{blocks}{filler}\n")
    with Browser(1400, 800) as browser:
        browser.open((tmp_path / "out" / "page.html").as_uri())
        width, edges, shade = browser.evaluate(
            "(() => { const edges = {}; for (const e of document.querySelectorAll('main [class*=column-]')) {"
            " const r = e.getBoundingClientRect(); edges[e.classList[0]] = [r.left, r.right]; }"
            " return [document.documentElement.clientWidth, edges,"
            " getComputedStyle(document.querySelector('.column-screen-inset-shaded')).backgroundColor]; })()")
    em, column = 17, 850 - 3 * 17
    before, after = 3 * em + 70, 3 * em + 215
    left = before + (width - before - column - after) / 2
    right = left + column
    page = [left - 1.5 * em - 70, right + 1.5 * em + 215]
    expected = {"column-body-outset": [left - 35 - 1.5 * em, right + 35 + 1.5 * em], "column-page": page,
                "column-page-inset": [page[0], page[1] - 35], "column-screen": [0, width],
                "column-screen-inset": [1.5 * em, width - 1.5 * em], "column-screen-inset-shaded": [0, width],
                "column-screen-left": [0, right], "column-page-right": [left, page[1]],
                "column-margin": [right + 1.5 * em, page[1]]}
    for name, (want_left, want_right) in expected.items():
        got_left, got_right = edges[name]
        assert abs(got_left - want_left) <= 2 and abs(got_right - want_right) <= 2, (name, edges[name], width)
    assert shade not in ("rgba(0, 0, 0, 0)", "transparent")  # the shaded inset has Quarto's light ground


def test_page_layout_full_with_contents_in_the_margin_widens_the_text_to_the_pages_left(tmp_path):
    # Quarto's full layout gives the text what the margins leave it: with the contents in the right margin the
    # text is "column-page-left", from the page's gutter (1.5em + 70px left of the article's text) to the
    # article's text end, the contents in their column beside it
    from .browser import Browser

    words = "Some words to fill a line of text. " * 40
    edges = {}
    for layout in ("article", "full"):
        _render(tmp_path, f"---\ntitle: Wide\ntoc: true\npage-layout: {layout}\n---\n\n## One\n\n{words}\n")
        with Browser(1400, 800) as browser:
            browser.open((tmp_path / "out" / "page.html").as_uri())
            edges[layout] = browser.evaluate("[...['main p', 'nav#TOC']].map(s => (r => [r.left, r.right])("
                                             "document.querySelector(s).getBoundingClientRect()))")
    (text, toc), (wide, toc_full) = edges["article"], edges["full"]
    assert abs(wide[0] - (text[0] - 1.5 * 17 - 70)) <= 2 and abs(wide[1] - text[1]) <= 2
    assert toc_full == toc
