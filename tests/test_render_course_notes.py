"""The Quarto that course notes use (renderer part 3), checked on what a reader sees (HTML DOM, PDF text).

``tests/documents/course_notes.qmd`` holds theorem-like blocks and proofs, equations labelled inside a
paragraph, conditional content by format and by metadata, a date in another form with a
``date-format`` for the PDF, an HTML comment around an unclosed fence, and a cell whose options a code
formatter wrote as ``# |``. It renders once, to HTML and PDF, in one kernel; the tests read the results.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from .browser import Browser
from .conftest import pdf_text, render_cli, require_tool

DOCUMENTS = Path(__file__).resolve().parent / "documents"


@pytest.fixture(scope="module")
def notes(tmp_path_factory) -> dict:
    require_tool("xelatex")
    folder = tmp_path_factory.mktemp("notes")
    shutil.copy(DOCUMENTS / "course_notes.qmd", folder)
    (folder / "drawing.svg").write_text(  # LaTeX cannot include an SVG, nor a GIF: both are converted
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60"><rect width="240" height="60" '
        'fill="#cde"/><text x="12" y="36" font-size="18">vector words</text></svg>', encoding="utf-8")
    (folder / "pipeline.dot").write_text("graph H { tokens -- embeddings; }\n", encoding="utf-8")  # file: in a cell
    frames = [Image.new("RGB", (80, 40), colour) for colour in ("red", "blue")]
    frames[0].save(folder / "animation.gif", save_all=True, append_images=frames[1:], duration=200, loop=0)
    code, stderr = render_cli(str(folder / "course_notes.qmd"), "--to", "html,pdf", "--output-dir", str(folder))
    assert code == 0, stderr
    soup = BeautifulSoup((folder / "course_notes.html").read_text(encoding="utf-8"), "html.parser")
    pdf = " ".join(pdf_text(folder / "course_notes.pdf", layout=False).split())
    return {"soup": soup, "text": " ".join(soup.body.get_text(" ").split()), "pdf": pdf, "stderr": stderr,
            "html_path": folder / "course_notes.html", "pdf_path": folder / "course_notes.pdf"}


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_theorem_blocks_are_numbered_per_kind_and_titled_with_their_name(notes):
    soup = notes["soup"]
    titles = [_text(span) for span in soup.select(".theorem-title")]  # Quarto 1.8's class for every kind
    assert titles == ["Definition 1 (Norm of a vector)", "Theorem 1 (Triangle inequality)", "Theorem 2",
                      "Lemma 1"]
    # and its classes: ".theorem" and the kind, which authors' rules address ("div.theorem", ".definition")
    assert soup.select_one("#thm-triangle")["class"] == ["theorem"]
    assert soup.select_one("#def-norm")["class"] == ["theorem", "definition"]
    assert not soup.select("#def-norm h2, #def-norm h3")  # the heading became the name
    pdf = notes["pdf"]
    for title in ("Definition 1 (Norm of a vector).", "Theorem 1 (Triangle inequality).", "Theorem 2.", "Lemma 1."):
        assert title in pdf
    assert pdf.index("Definition 1") < pdf.index("Theorem 1") < pdf.index("Theorem 2") < pdf.index("Lemma 1")


def test_proofs_and_remarks_start_in_italics_without_a_number(notes):
    proof = notes["soup"].select_one("div.proof")
    assert " ".join(proof.get_text().split()).startswith("Proof. Follows from") and proof.select_one(".proof-title em")
    assert " ".join(notes["soup"].select_one("div.remark").get_text().split()) == "Remark. Remarks are not numbered."
    assert "Proof. Follows from Definition 1 and 1." in notes["pdf"]
    assert "Remark. Remarks are not numbered." in notes["pdf"]
    assert "proof" in notes["soup"].select_one("div.remark")["class"]  # a remark is a proof's kind, as in Quarto
    solution = notes["soup"].select_one("div.solution .proof-title")  # the word in italics, the name upright
    assert solution.get_text().strip() == "Solution (Exercise 2)." and solution.em.get_text() == "Solution"
    assert "Solution (Exercise 2). A named solution." in notes["pdf"]
    # a labelled remark is numbered and titled as a proof is, "*Remark 1*.", as Quarto 1.8 writes it
    numbered = notes["soup"].select_one("#rem-scale")
    assert numbered["class"] == ["proof", "remark"] and numbered.select_one(".proof-title em").get_text() == "Remark 1"
    assert _text(numbered) == "Remark 1 . A numbered remark about scale." and "As Remark 1 says." in notes["text"]


def test_theorem_and_equation_references_resolve_and_link(notes):
    soup = notes["soup"]
    links = {_text(a): a["href"] for a in soup.select("a.quarto-xref")}
    assert links["Definition 1"] == "#def-norm" and links["Theorem 1"] == "#thm-triangle"
    assert links["Lemma 1"] == "#lem-helper" and links["1"] == "#thm-triangle"  # [-@thm-x]: the number
    assert links["Equation 1"] == "#eq-fixed" and links["Equation 2"] == "#eq-residual"
    assert "?@" not in notes["text"] and "?@" not in notes["pdf"]
    # an equation on lines of its own between the $$ (a blank line in LaTeX's equation broke the PDF)
    assert "By Equation 3 the iteration converges." in notes["text"]
    assert "By Equation 3 the iteration converges." in notes["pdf"] and "(3)" in notes["pdf"]
    assert "By Equation 1 and Equation 2, Theorem 1 and Lemma 1 apply." in notes["pdf"]
    # a label with more attributes than its id ({#eq-x alt="..."}, Quarto 1.8) is a label all the same
    assert "Two steps later: Equation 4" in notes["text"] and "Two steps later: Equation 4." in notes["pdf"]
    assert links["Equation 4"] == "#eq-twice" and "alt=" not in notes["text"]


def test_equations_labelled_inside_a_paragraph_are_numbered_in_both_formats(notes):
    soup = notes["soup"]
    # as Quarto writes them: where they stand in the paragraph, the number a \tag of the maths (MathJax sets it
    # at the right margin: test_mathjax_typesets_every_formula_offline_in_chromium reads it there)
    maths = [soup.select_one(f"p > span#{label} > span.math.display") for label in ("eq-fixed", "eq-residual")]
    assert [m.get_text().strip()[-9:] for m in maths] == ["\\tag{1}\\]", "\\tag{2}\\]"]
    assert "{#eq" not in notes["text"] and "{#eq" not in notes["pdf"]
    assert "and we iterate from there, while the residual" in notes["text"]  # the paragraph goes on
    pdf = notes["pdf"]  # pdftotext lists displayed equations apart from the lines around them
    assert "𝑥 = 𝑔(𝑥) (1)" in pdf and "𝑟𝑘 = 𝑥𝑘 − 𝑔(𝑥𝑘 ) (2)" in pdf
    assert "and we iterate from there, while the residual" in pdf and "(2) shrinks." in pdf


def test_conditional_content_follows_the_format_and_the_metadata(notes):
    html, pdf = notes["text"], notes["pdf"]
    assert "Only-in-HTML sentence." in html and "Only-in-HTML" not in pdf
    assert "Only-in-PDF sentence." in pdf and "Only-in-PDF" not in html
    assert "Hidden-unless-HTML sentence." in html and "Hidden-unless-HTML" not in pdf
    assert "Answers-are-shown sentence." in html and "Answers-are-shown sentence." in pdf
    assert "Answers-are-hidden" not in html + pdf
    assert "html-only words" in html and "pdf-only words" not in html
    assert "pdf-only words" in pdf and "html-only words" not in pdf
    assert "html_only_code" in html and "pdf_only_code" not in html  # code blocks are conditional too
    assert "pdf_only_code" in pdf and "html_only_code" not in pdf
    # what a format leaves out is not numbered: the HTML-only figure takes a number in the HTML only
    assert "Figure 2: Counted figure" in html and "See Figure 2" in html
    assert "Figure 1: Counted figure" in pdf and "See Figure 1" in pdf


def test_dates_are_read_in_quartos_forms_and_written_per_date_format(notes):
    assert _text(notes["soup"].select_one(".date")) == "December 5, 2024"  # HTML: "long" by default
    assert "5 December 2024" in notes["pdf"]  # the pdf format's own date-format


def test_maths_in_a_data_frames_caption_is_typeset_as_the_pages_maths(notes):
    caption = notes["soup"].select_one("#tbl-squares figcaption")
    assert _text(caption).startswith("Table") and caption.select_one("span.math.inline").get_text() == "\\(n\\)"
    assert "Squares of 𝑛" in notes["pdf"]


def test_comments_hide_their_fences_and_formatter_written_options_apply(notes):
    assert "an unclosed fence" not in notes["text"] + notes["pdf"]
    assert "formatted options ran 42" in notes["text"] and "formatted options ran 42" in notes["pdf"]
    assert "# | echo" not in notes["text"] and 'print("formatted' not in notes["text"]
    # lines of spaces around a cell's code are left out as Quarto leaves them: the block starts with the code
    block = next(pre for pre in notes["soup"].select("pre.sourceCode") if "line of spaces" in pre.get_text())
    assert block.get_text() == 'spaced = "after a line of spaces"'


def test_mathjax_typesets_every_formula_offline_in_chromium(notes):
    html = notes["html_path"].read_text(encoding="utf-8")
    assert "MathJax" in html and not re.search(r"<script[^>]+src=\"(?!data:)", html)  # inlined, fonts too
    assert "?@" not in html  # Quarto's mark of an unresolved reference, not in the embedded script either
    with Browser(1000, 800) as browser:
        browser.open(notes["html_path"].as_uri(), wait_for="document.readyState === 'complete'")
        browser.wait("window.MathJax && MathJax.startup && document.querySelectorAll('mjx-container').length > 0",
                     timeout=30)
        browser.evaluate("MathJax.startup.promise.then(() => { window.typeset = true; })")
        browser.wait("window.typeset === true", timeout=30)
        spans = browser.evaluate("document.querySelectorAll('span.math').length")
        typeset = browser.evaluate("document.querySelectorAll('span.math mjx-container').length")
        errors = browser.evaluate("document.querySelectorAll('mjx-merror').length")
        shown = browser.evaluate("document.body.innerText")
        converted = browser.evaluate("document.querySelectorAll('#converted mjx-container svg').length")
        numbered = browser.evaluate("['eq-fixed', 'eq-residual'].map(id => document.querySelector("
                                    "`#${id} mjx-assistive-mml`).textContent)")
    assert spans >= 9 and typeset == spans and errors == 0
    assert [text[:3] for text in numbered] == ["(1)", "(2)"]  # MathJax's label of each numbered equation
    assert converted == 1  # the page's own call of tex2chtml was answered (the bundled build draws SVG)
    for source in ("\\over", "\\cal", "\\space", "\\begin{aligned}", "\\|"):
        assert source not in shown  # no formula is left as TeX source


def test_margin_notes_footnotes_and_cell_outputs_sit_in_the_right_margin(notes):
    soup = notes["soup"]
    # Quarto's markup: the number links to the note, which follows its paragraph in the margin container
    footnote = soup.select_one("div.column-margin.column-container > div#fn1")
    assert footnote is not None and footnote.get_text().strip() == "1\u00a0Lipschitz constant below one."
    reference = soup.select_one("a.footnote-ref#fnref1[href='#fn1']")
    assert reference is not None and reference.find_parent("p").find_next_sibling() is footnote.parent
    assert not soup.select("section.footnotes")  # no list of notes at the end
    assert "cell output in the margin" in _text(soup.select_one("div.column-margin.margin-note:has(pre)"))
    with Browser(1400, 900) as browser:
        browser.open(notes["html_path"].as_uri(), wait_for="document.readyState === 'complete'")
        text_right = browser.evaluate("document.querySelector('#thm-triangle').getBoundingClientRect().right")
        lefts = browser.evaluate("Array.from(document.querySelectorAll('.margin-note'))"
                                 ".map(n => n.getBoundingClientRect().left)")
    assert len(lefts) == 3 and all(left > text_right for left in lefts)
    pdf = notes["pdf"]
    assert "Lipschitz constant below one." in pdf and "Margin block beside the text." in pdf
    assert "cell output in the margin" in pdf


def test_mermaid_and_graphviz_cells_are_drawn_numbered_figures(notes):
    soup, pdf = notes["soup"], notes["pdf"]
    assert soup.select_one("#fig-graph svg") is not None  # Graphviz's SVG, inline
    assert "softmax" in _text(soup.select_one("#fig-graph"))
    assert "Figure 3: A mermaid flowchart" in notes["text"] and "Figure 4: A Graphviz graph" in notes["text"]
    assert "The pipeline is in Figure 3 and the graph in Figure 4" in notes["text"]
    assert "digraph" not in notes["text"] and not soup.select("div.sourceCode.mermaid, pre.sourceCode.dot")
    assert soup.select_one("#fig-flow pre.mermaid") is not None  # mermaid.js draws it when the page loads
    assert "cells in mermaid" not in notes["stderr"]  # drawn, so no "not run" warning
    with Browser(1000, 800) as browser:  # mermaid draws in the page
        browser.open(notes["html_path"].as_uri(), wait_for="document.readyState === 'complete'")
        browser.wait("document.querySelector('#fig-flow svg') !== null", timeout=30)
        labels = browser.evaluate("document.querySelector('#fig-flow svg').textContent")
    assert "Tokenise" in labels and "Score" in labels and "Sample" in labels
    # the PDF: vector drawings with their words, numbered in the PDF's own order (no HTML-only figure)
    assert "Figure 2: A mermaid flowchart" in pdf and "Figure 3: A Graphviz graph" in pdf
    assert all(word in pdf for word in ("Tokenise", "Score", "Sample", "logits", "softmax", "probabilities"))


def test_a_diagram_cell_takes_its_code_from_a_file_and_shows_it_fenced_when_asked(notes):
    soup = notes["soup"]
    drawn = next(d for d in soup.select("div.graphviz") if "embeddings" in _text(d))
    assert drawn.find("svg") is not None and "tokens" in _text(drawn)
    shown = [_text(block) for block in soup.select("pre") if "graph H" in block.get_text()]
    assert shown and shown[0].startswith("```{dot}") and "//| echo: fenced" not in shown[0]  # as Quarto shows it
    assert "embeddings" in notes["pdf"]


def test_a_diagram_keeps_its_natural_size_and_takes_fig_align(notes):
    # //| fig-align: right on the file's diagram; the labelled graph has no fig-align, so it is centred
    holder = next(d for d in notes["soup"].select("div.graphviz") if "embeddings" in _text(d)).parent
    assert "quarto-figure-right" in holder["class"] and "text-align: right" in holder["style"]
    bbox = subprocess.run(["pdftotext", "-bbox", str(notes["pdf_path"]), "-"], capture_output=True, text=True).stdout
    words = {m[3]: (float(m[1]), float(m[2])) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>', bbox)}
    centre = sum(words["softmax"]) / 2  # the middle of the text column, where the centred graph sits
    assert words["embeddings"][1] > centre + 100  # flush with the column's right edge
    # its natural size (Graphviz's 14 pt labels), not stretched to the format's 5.5 in figure width
    height = [float(m[2]) - float(m[1]) for m in re.finditer(
        r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">embeddings</word>', bbox)]
    assert height and height[0] < 20


def test_svg_and_gif_images_are_converted_for_the_pdf_and_html_only_content_is_named(notes):
    soup, pdf = notes["soup"], notes["pdf"]
    assert soup.select_one("#fig-svg img")["src"].startswith("data:image/svg+xml")  # HTML keeps the originals
    assert soup.select_one("#fig-gif img")["src"].startswith("data:image/gif")
    assert "vector words" in pdf  # the SVG as a vector PDF: its text is text
    assert "Figure 4: A vector drawing" in pdf and "Figure 5: An animation" in pdf
    images = subprocess.run(["pdfimages", "-list", str(notes["pdf_path"])], capture_output=True, text=True).stdout
    assert re.search(r"image\s+80\s+40\s", images)  # the GIF's first frame, 80 x 40
    assert soup.select_one('iframe[title="embedded-page"]') is not None
    assert "HTML-only content left out of the PDF: <iframe>" in notes["stderr"]


def test_tables_laid_out_side_by_side_make_a_pdf_with_one_numbered_caption(notes):
    # longtables cannot stand in minipages ("Missing } inserted"): they become tabulars in a table float
    assert "Table 1: Two tables side by side" in notes["pdf"]
    assert all(word in notes["pdf"] for word in ("left-x", "right-z", "right-w"))
    tables = notes["soup"].select("#tbl-pair table")  # HTML: one float, its caption above both tables
    assert len(tables) == 2 and _text(notes["soup"].select_one("#tbl-pair > figure > figcaption")).replace(
        "\u00a0", " ") == "Table 1: Two tables side by side"


def test_the_table_of_contents_stays_in_the_margin_and_gives_way_to_margin_notes(tmp_path):
    filler = "\n\n".join(f"## Section {n}\n\n" + "Words of the section. " * 60 for n in range(8))
    (tmp_path / "doc.qmd").write_text(
        "---\ntitle: T\nformat:\n  html:\n    toc: true\n---\n\n" + filler
        + "\n\n## With a note\n\nText beside a note.\n\n::: {.column-margin}\nA NOTE IN THE MARGIN.\n:::\n\n" + filler,
        encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    hidden = "document.getElementById('TOC').classList.contains('toc-beside-margin')"
    with Browser(1400, 900) as browser:
        browser.open((tmp_path / "doc.html").as_uri(), wait_for="document.readyState === 'complete'")
        toc_left = browser.evaluate("document.getElementById('TOC').getBoundingClientRect().left")
        text_right = browser.evaluate("document.querySelector('h2 + p').getBoundingClientRect().right")
        at_top = browser.evaluate(hidden)
        browser.evaluate("document.querySelector('.margin-note').scrollIntoView({block: 'center'})")
        browser.wait(hidden, timeout=5)  # the note is beside the contents: they fade, the note shows
        browser.evaluate("window.scrollTo(0, 0)")
        browser.wait(f"!{hidden}", timeout=5)
    assert toc_left > text_right and not at_top  # in the right-hand column, as in Quarto, not above the text


def test_citation_location_margin_puts_each_cited_entry_beside_its_citation(tmp_path):
    require_tool("xelatex")
    (tmp_path / "refs.bib").write_text("@article{knuth84, author = {Donald E. Knuth}, title = {Literate Programming},"
                                       " journal = {The Computer Journal}, year = {1984}}\n", encoding="utf-8")
    (tmp_path / "doc.qmd").write_text("---\ntitle: T\nbibliography: refs.bib\ncitation-location: margin\nformat:\n"
                                      "  html: default\n  pdf: default\n---\n\nAs @knuth84 showed, twice [@knuth84].\n",
                                      encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html,pdf", "--output-dir", str(tmp_path))
    assert code == 0, stderr
    assert "not supported" not in stderr
    soup = BeautifulSoup((tmp_path / "doc.html").read_text(encoding="utf-8"), "html.parser")
    notes = soup.select("p .margin-citation")
    assert len(notes) == 1 and "Literate Programming" in _text(notes[0])  # once, beside the first citation
    assert "Literate Programming" in _text(soup.select_one("#refs"))  # the list stays
    with Browser(1400, 900) as browser:
        browser.open((tmp_path / "doc.html").as_uri(), wait_for="document.readyState === 'complete'")
        note_left, text_right = browser.evaluate("[document.querySelector('.margin-citation').getBoundingClientRect()"
                                                 ".left, document.querySelector('p').getBoundingClientRect().right]")
    assert note_left > text_right
    layout = pdf_text(tmp_path / "doc.pdf")
    first = next(line for line in layout.splitlines() if "As Knuth" in line)
    assert "Knuth" in first.split("showed")[-1]  # the entry starts in the margin, on the citation's line


def test_a_cells_panel_tabset_makes_its_outputs_headings_tabs(notes):
    tabset = notes["soup"].select_one("div.panel-tabset")
    assert [tab.get_text(strip=True) for tab in tabset.select("[role=tab]")] == ["Tab Lemma", "Tab Proof"]
    assert [p.get_text(strip=True) for p in tabset.select("[role=tabpanel] p")] == \
        ["Text of the lemma tab.", "Text of the proof tab."]
    assert "Text of the proof tab." in notes["pdf"]  # print formats show the tabs one after another


def test_citation_location_margin_in_typst_cites_once_and_puts_the_entry_in_a_footnote(tmp_path):
    # Typst had cited natively again (#bibliography of a file it could not see), and the render stopped
    (tmp_path / "refs.bib").write_text("@article{knuth84, author = {Donald E. Knuth}, title = {Literate Programming},"
                                       " journal = {The Computer Journal}, year = {1984}}\n", encoding="utf-8")
    (tmp_path / "doc.qmd").write_text("---\ntitle: T\nbibliography: refs.bib\ncitation-location: margin\n---\n\n"
                                      "As @knuth84 showed.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "typst", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    text = " ".join(pdf_text(tmp_path / "out" / "doc.pdf").split())
    assert "As Knuth (1984)1 showed." in text  # the citation, then the note's mark
    assert text.count("Literate Programming") == 2  # the footnote and the reference list


def test_a_rule_followed_directly_by_text_is_a_rule_as_quartos_jupyter_engine_reads_it(notes):
    # "---" then text, after the front matter: pandoc alone reads a YAML block up to the next "---" and stops
    # on the cell's output; Quarto's engine ends its YAML block there, so the page has a rule and the text.
    paragraph = next(p for p in notes["soup"].select("p") if _text(p).startswith("Remapped labels:"))
    assert paragraph.find_previous_sibling().name == "hr"
    assert "remapped {0: 0, 1: 2}" in notes["text"] and "Rule-separated text ends here." in notes["text"]
    assert "After the second rule." in notes["text"]
    assert "Remapped labels: 0 goes to 0 and 1 goes to 2" in notes["pdf"]


def test_katex_typesets_every_formula_offline_when_a_page_or_a_deck_asks_for_it(tmp_path):
    # html-math-method: katex, as two public course projects set it (Quarto loads KaTeX from a CDN): the npm copy
    # inlined with its woff2 fonts, pandoc's loop typesetting each math span, a \gdef holding in the next span
    body = ("Inline $x^2$ and\n\n$$\\frac{a}{b}$$ {#eq-ab}\n\nSee @eq-ab. $\\gdef\\R{\\mathbb{R}}$ then $\\R$ and "
            "$\\alpha \\over \\beta$.\n")
    (tmp_path / "page.qmd").write_text(f"---\ntitle: K\nhtml-math-method: katex\n---\n\n{body}", encoding="utf-8")
    (tmp_path / "deck.qmd").write_text(f"---\ntitle: K\nformat: revealjs\nhtml-math-method: katex\n---\n\n## One\n\n"
                                       f"{body}", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "page.qmd"), str(tmp_path / "deck.qmd"), "--output-dir",
                              str(tmp_path / "out"))
    assert code == 0, stderr
    assert "html-math-method" not in stderr  # no fallback, no warning
    looks = ("[document.querySelectorAll('span.math').length, document.querySelectorAll('span.math > .katex, "
             "span.math > .katex-display').length, document.querySelectorAll('.katex-error').length, "
             "document.querySelector('.katex-display .katex-tag').textContent, typeof MathJax, "
             "[...document.fonts].some(f => f.family.includes('KaTeX_Main') && f.status === 'loaded'), "
             "document.body.innerText.includes('\\\\R')]")
    for name in ("page", "deck"):
        html = (tmp_path / "out" / f"{name}.html").read_text(encoding="utf-8")
        assert "cdn.jsdelivr" not in html and not re.search(r"<script[^>]+src=\"(?!data:)", html)
        with Browser(1000, 700) as browser:
            browser.open((tmp_path / "out" / f"{name}.html").as_uri(), wait_for="document.readyState === 'complete'")
            browser.wait("document.fonts.status === 'loaded'")
            spans, typeset, errors, tag, mathjax, font, raw = browser.evaluate(looks)
        assert spans == 5 and typeset == spans and errors == 0, name
        assert tag == "(1)" and mathjax == "undefined" and font and not raw, name


MARGINS = """---
title: Margins
fig-cap-location: margin
format:
  html:
    theme: flatly
---

Text above.

![A plain figure's caption.](red.png){width=300}

::: {.figure}
![A figure div's caption.](red.png){width=300}
:::

::: {.callout-note}
## A definition
A term[A note on the term.]{.aside} is defined here.
:::

A paragraph with an aside[Outside any callout.]{.aside} of its own.
"""


def test_margin_captions_and_a_callouts_notes_sit_beside_their_tops_at_the_pages_margin(tmp_path):
    # As Quarto's grid places them (the Network Science notes, Quarto 1.6): a figure's margin caption in the
    # figure's first row, beside the image's top; a figure in a Bootstrap .figure div (inline-block) as wide as
    # the text, so its image stays centred; a callout's aside moved out of it, beside the callout's top at the
    # page's margin (inside, the callout's padding pulled it 15px in from the other notes)
    Image.new("RGB", (300, 200), (200, 50, 50)).save(tmp_path / "red.png")
    (tmp_path / "margins.qmd").write_text(MARGINS, encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "margins.qmd"), "--to", "html", "--output-dir", str(tmp_path))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "margins.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one(".callout .margin-note") is None  # moved out of the callout, in front of it
    assert _text(soup.select_one(".callout").find_previous_sibling("div")) == "A note on the term."
    with Browser(1400, 900) as browser:
        browser.open((tmp_path / "margins.html").as_uri(), wait_for="document.readyState === 'complete'")
        seen = browser.evaluate("""(() => {
          const box = e => e.getBoundingClientRect().toJSON();
          const main = box(document.querySelector('main p'));
          const figures = [...document.querySelectorAll('figure')].map(f => ({
            image: box(f.querySelector('img')), caption: box(f.querySelector('figcaption'))}));
          const notes = [...document.querySelectorAll('.margin-note')].map(box);
          return {main, figures, notes, callout: box(document.querySelector('.callout'))};
        })()""")
    text_right, text_centre = seen["main"]["right"], (seen["main"]["left"] + seen["main"]["right"]) / 2
    assert len(seen["figures"]) == 2
    for figure in seen["figures"]:
        assert abs(figure["caption"]["top"] - figure["image"]["top"]) < 1  # beside the image's top
        assert figure["caption"]["left"] > text_right  # in the margin
        assert abs((figure["image"]["left"] + figure["image"]["right"]) / 2 - text_centre) < 2  # centred
    callout_note, own_note = seen["notes"]
    assert abs(callout_note["left"] - own_note["left"]) < 1 and callout_note["left"] > text_right
    assert abs(callout_note["top"] - seen["callout"]["top"]) < 2


def test_the_margin_notes_of_a_list_in_a_callout_follow_the_callout_as_quartos_do(tmp_path):
    # Quarto's 8032 test: a numbered list's footnote inside a callout, with reference-location: margin
    (tmp_path / "listed.qmd").write_text(
        "---\ntitle: Listed\nreference-location: margin\n---\n\n## Inside {#inside}\n\n:::{.callout-tip}\n\n"
        "Callout with a list\n\n1. blah [^3]\n2. more\n\n:::\n\n[^3]: A sidenote for the list.\n",
        encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "listed.qmd"), "--to", "html", "--output-dir", str(tmp_path))
    assert code == 0, stderr
    section = BeautifulSoup((tmp_path / "listed.html").read_text(encoding="utf-8"), "html.parser").find(id="inside")
    callout = section.select_one("div.callout")
    after = callout.find_next_sibling("div")
    assert "column-margin" in after["class"] and "A sidenote for the list." in _text(after)
    assert callout.select_one(".column-margin") is None


FLOW = "```{mermaid}\nflowchart LR\n  A(Input Text) --> B(Tokenization)\n```\n"
MERMAID_LOOK = """(() => { const svg = document.querySelector('svg[id^="mermaid"]');
    const node = svg.querySelector('.node rect'), label = svg.querySelector('.nodeLabel');
    const edge = svg.querySelector('.flowchart-link');
    const css = (element, property) => getComputedStyle(element)[property];
    return [css(node, 'fill'), css(node, 'stroke'), css(label, 'color'), css(edge, 'stroke'),
            css(label, 'fontFamily').split(',')[0]]; })()"""


def test_a_mermaid_diagram_takes_quartos_look_from_the_page_or_deck_and_quartos_variables(tmp_path):
    # Kubus42's LLM seminar (Quarto 1.7): on a cosmo page, nodes tinted with the primary colour at 10 % and
    # edged in the text's colour, labels in the primary colour and the page's font, edges in $secondary; on a
    # deck the link colour, its text's colour and font, grey edges; not mermaid's own purple look
    site = tmp_path / "site"  # a site's page, as the seminar's (Quarto's site greys: text #343a40)
    site.mkdir()
    (site / "_quarto.yml").write_text("project:\n  type: website\nformat:\n  html:\n    theme: cosmo\n",
                                      encoding="utf-8")
    (site / "index.qmd").write_text(f"---\ntitle: Page\n---\n\n{FLOW}", encoding="utf-8")
    code, stderr = render_cli(str(site))
    assert code == 0, stderr
    (tmp_path / "deck.qmd").write_text(f"---\ntitle: Deck\nformat: revealjs\n---\n\n## Flow\n\n{FLOW}",
                                       encoding="utf-8")
    (tmp_path / "red.scss").write_text("/*-- scss:defaults --*/\n$mermaid-node-bg-color: #ff0000;\n", encoding="utf-8")
    (tmp_path / "own.qmd").write_text(f"---\ntitle: Own\nformat:\n  html:\n    theme: [cosmo, red.scss]\n---\n\n"
                                      f"{FLOW}", encoding="utf-8")
    code, stderr = render_cli(*(str(tmp_path / f"{n}.qmd") for n in ("deck", "own")), "--output-dir",
                              str(tmp_path / "out"))
    assert code == 0, stderr
    looks = {}
    with Browser(1280, 720) as browser:
        for name in ("page", "deck", "own"):
            path = site / "_site" / "index.html" if name == "page" else tmp_path / "out" / f"{name}.html"
            browser.open(path.as_uri() + ("#/flow" if name == "deck" else ""))
            browser.wait("document.querySelector('svg[id^=\"mermaid\"] .nodeLabel') !== null", timeout=30)
            looks[name] = browser.evaluate(MERMAID_LOOK)
            if name == "deck":  # centred on its slide (PyConFR 2024's deck, Quarto 1.5)
                middle, slide = browser.evaluate("""[document.querySelector('svg[id^="mermaid"]'),
                    document.querySelector('section.present')].map(e => (r => r.left + r.width / 2)(
                    e.getBoundingClientRect()))""")
                assert abs(middle - slide) < 2
    # cosmo's primary #2780e3, text #373a3c (Quarto's page: 39, 128, 227 and 52, 58, 64)
    assert looks["page"] == ["color(srgb 0.152941 0.501961 0.890196 / 0.1)", "rgb(52, 58, 64)",
                             "rgb(39, 128, 227)", "rgb(52, 58, 64)", '"Source Sans Pro"']
    # the default deck: #2a76dd links, #222 text, #999 edges, Source Sans Pro (Quarto's deck the same)
    assert looks["deck"] == ["color(srgb 0.164706 0.462745 0.866667 / 0.1)", "rgb(34, 34, 34)",
                             "rgb(42, 118, 221)", "rgb(153, 153, 153)", '"Source Sans Pro"']
    assert looks["own"][0] == "rgb(255, 0, 0)"  # Quarto's $mermaid-node-bg-color, set by the author


def test_maths_a_cell_displays_as_latex_is_maths_on_the_page_not_its_plain_text(notes):
    # sympy's and IPython's Math outputs ($\displaystyle ...$ with a text/plain repr): Quarto shows the maths (a
    # signals course's Fourier coefficients), not "Piecewise((...))" or "<IPython.core.display.Math object>"
    maths = [_text(span) for span in notes["soup"].select(".cell-output span.math")]
    assert any(r"\sum_{k=1}^{n} k" in text and r"\displaystyle" in text for text in maths), maths
    assert "IPython.core.display.Math" not in notes["text"] and "IPython.core.display.Math" not in notes["pdf"]


def test_maths_macros_defined_in_a_hidden_div_are_expanded_on_the_page_and_in_the_pdf(notes):
    # course notes' $$ \newcommand ... $$ in a .hidden or .content-hidden div (a computer-vision course includes
    # its macros.tex there): each formula written out, as Quarto's pandoc expands them; the page's MathJax
    # never saw the definitions the div took away, and LaTeX stopped at the first \vect
    maths = [span.get_text() for span in notes["soup"].select("span.math.inline")]
    assert "\\(\\mathbf{v}\\)" in maths and "\\(\\lVert \\mathbf{v} \\rVert_{2}\\)" in maths
    assert "\\(\\operatorname*{arg\\,max}_k p_k\\)" in maths
    assert not any("newcommand" in span.get_text() for span in notes["soup"].select("span.math"))
    assert "Macros: the vector v, its norm" in notes["pdf"]


def test_course_notes_that_import_the_usual_analysis_libraries_render_with_their_results(tmp_path):
    # the libraries real course notes import beside numpy and pandas (requirements.txt): a seaborn figure, a
    # scipy test, a scikit-learn fit and a statsmodels regression, each value checked against numpy's own
    import numpy as np

    x = np.arange(10.0)
    y = 3 * x + 2 + np.sin(x)
    slope, intercept = np.polyfit(x, y, 1)
    document = (
        "---\ntitle: Regression notes\n---\n\n```{python}\n#| label: fig-pair\n#| fig-cap: Points and line\n"
        "import numpy as np\nimport pandas as pd\nimport seaborn as sns\nfrom scipy import stats\n"
        "from sklearn.linear_model import LinearRegression\nimport statsmodels.formula.api as smf\n"
        "x = np.arange(10.0)\ny = 3 * x + 2 + np.sin(x)\nframe = pd.DataFrame({'x': x, 'y': y})\n"
        "sns.regplot(data=frame, x='x', y='y')\n```\n\n```{python}\n"
        "fit = LinearRegression().fit(frame[['x']], frame['y'])\n"
        "print(f'sklearn {fit.coef_[0]:.6f} {fit.intercept_:.6f}')\n"
        "ols = smf.ols('y ~ x', data=frame).fit()\nprint(f'statsmodels {ols.params[\"x\"]:.6f}')\n"
        "print(f'scipy {stats.linregress(x, y).slope:.6f}')\n```\n\nSee @fig-pair.\n")
    (tmp_path / "notes.qmd").write_text(document, encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "notes.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "out" / "notes.html").read_text(encoding="utf-8"), "html.parser")
    printed = _text(soup.select("div.cell-output-stdout")[0])
    assert f"sklearn {slope:.6f} {intercept:.6f}" in printed
    assert f"statsmodels {slope:.6f}" in printed and f"scipy {slope:.6f}" in printed
    assert soup.select_one("#fig-pair img")["src"].startswith("data:image/png;base64,")
    assert _text(soup.select_one("#fig-pair figcaption")) == "Figure 1: Points and line"
