"""Quarto document features in the embedded renderer, checked on what a reader sees (HTML DOM, PDF text).

``tests/documents/project`` is a small Quarto project (``_quarto.yml``, ``_metadata.yml``,
``_variables.yml``, an image folder, an included part) around ``chapters/features.qmd``, which uses
the execution and document features of part 1 without a parameters cell. It renders once, to HTML and
PDF, in one kernel; the tests below read the results.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import chromium, pdf_text, render_cli, require_tool

DOCUMENTS = Path(__file__).resolve().parent / "documents"



@pytest.fixture(scope="module")
def features(tmp_path_factory) -> dict:
    require_tool("xelatex")
    project = tmp_path_factory.mktemp("features") / "project"
    shutil.copytree(DOCUMENTS / "project", project)
    output = project / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FEATURE_DOC_HOME", "/home/ada")
        code, stderr = render_cli(str(project / "chapters" / "features.qmd"), "--to", "html,pdf", "--output-dir",
                               str(output))
    assert code == 0, stderr
    html = (output / "features.html").read_text(encoding="utf-8")
    return {"html": html, "soup": BeautifulSoup(html, "html.parser"), "pdf": pdf_text(output / "features.pdf"),
            "pdf_path": output / "features.pdf", "html_path": output / "features.html", "stderr": stderr}


def _text(node) -> str:
    """Text as a reader sees it: pandoc wraps lines, so whitespace runs count as one space."""
    return " ".join(node.get_text(" ").split())


def _outputs(soup: BeautifulSoup) -> str:
    return "\n".join(block.get_text() for block in soup.select("div.cell-output"))


def _code(soup: BeautifulSoup) -> str:
    return "\n".join(block.get_text() for block in soup.select("div.sourceCode, pre.cell-code, .cell-code"))


def test_a_document_without_parameters_cell_renders_and_eval_false_shows_code_without_running(features):
    assert 'raise SystemExit("this cell must not run")' in _code(features["soup"])
    assert 'raise SystemExit("this cell must not run")' in features["pdf"]


def test_error_true_shows_the_traceback_and_the_render_goes_on(features):
    for text in (_outputs(features["soup"]), features["pdf"]):
        assert "ZeroDivisionError" in text
        assert "the render went on after the error" in text


def test_echo_fenced_shows_the_cell_with_its_fence_and_options(features):
    code = _code(features["soup"])
    assert "```{python}" in code and "#| label: fenced-cell" in code and "fenced = 1 + 1" in code
    assert "echo: fenced" not in features["html"]


def test_include_output_echo_and_warning_options_hide_what_they_say(features):
    soup, outputs = features["soup"], _outputs(features["soup"])
    assert "include-false-output" not in features["html"] and "hidden_marker" not in features["html"]
    assert "output-false-output" not in outputs and 'print("output-false-output")' in _code(soup)
    assert "echo-false-output" in outputs and "warnings.warn" not in features["html"]
    assert "a warning that must not show" not in features["html"] + features["pdf"]


def test_inline_expressions_are_evaluated_escaped_and_markdown_stays_markdown(features):
    text = _text(features["soup"])
    assert "Two and two make 4" in text and "the answer is 42" in text
    assert "the string is a *starred* name" in text  # escaped: the asterisks are text, not emphasis
    assert features["soup"].find("strong", string="bold from the kernel") is not None
    assert "Two and two make 4" in features["pdf"] and "`{python} 2 + 2" not in features["html"] + features["pdf"]
    # one in a code block is an example the block shows, as in Quarto, not code to run
    blocks = [code.get_text() for code in features["soup"].select("pre code")]
    assert "Shown, not run: `{python} no_such_name`" in blocks


def test_include_shortcode_inserts_the_file_and_its_cells_run(features):
    for text in (features["soup"].get_text(), features["pdf"]):
        assert "Included text from _part.md" in text and "included cell ran: 42" in text


def test_a_placeholder_as_an_images_source_is_that_image_with_its_caption(tmp_path):
    # the coeos deck theme's template: ![An image]({{< placeholder 900 300 >}}) was an image inside an image
    (tmp_path / "doc.qmd").write_text("---\ntitle: P\n---\n\n![An image]({{< placeholder 300 120 >}})\n",
                                      encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html", "--output-dir", str(tmp_path))
    assert code == 0, stderr
    assert "not found" not in stderr
    soup = BeautifulSoup((tmp_path / "doc.html").read_text(encoding="utf-8"), "html.parser")
    images = soup.select("main img, #quarto-document-content img, body img")
    assert len({image["src"] for image in images}) == 1
    svg = base64.b64decode(images[0]["src"].split(",")[1]).decode()
    assert 'width="300"' in svg and "300 &#215; 120" in svg
    assert _text(images[0].find_parent("figure").figcaption) == "An image"


def test_meta_var_env_and_escaped_shortcodes(features):
    text = _text(features["soup"])
    assert "Title: Execution features." in text and "Course: Statistics 101." in text
    assert "Home: /home/ada." in text and "Literal: {{< meta title >}}." in text
    # a name no extension defines: left out, as Quarto 1.4+ leaves it ("Shortcode 'no-such-thing' not found"),
    # and named
    assert "Unknown: . Quarto" in text and "no-such-thing" not in text
    assert "shortcode {{< no-such-thing >}} is defined by no extension here" in features["stderr"]
    assert "Quarto 1.8.26." in text and "Lorem ipsum dolor sit amet, consectetur adipiscing elit" in text
    assert "Second author: Grace Hopper." in text  # a list's entry by its number, from 1
    assert "{{< var course >}}" in text  # {{</* ... */>}} is written as a shortcode, not expanded
    codes = [code.get_text() for code in features["soup"].select("p code, pre code")]
    assert "{{< meta title >}}" in codes  # an escaped shortcode in code shows as written, no backslash
    assert "Kept: {{< meta title >}}" in codes  # shortcodes="false": the block as written
    placeholder = features["soup"].select_one('img[src^="data:image/svg+xml"][width="200"]')
    assert placeholder is not None and "200 &#215; 100" in base64.b64decode(placeholder["src"].split(",")[1]).decode()
    keys = [(k.get_text(), k.get("data-linux"), k.get("title")) for k in features["soup"].select("kbd")]
    assert keys == [("Shift-Ctrl-P", None, "Shift-Ctrl-P"),  # {{< kbd >}}: keys, per system where given,
                    ("Option", "Alt", "linux: Alt, mac: Option")]  # and a tooltip naming each system's
    for key in features["soup"].select("kbd"):  # as Quarto: drawn for the eye, spelled out for screen readers
        assert key["aria-hidden"] == "true" and key.find_next_sibling().get("class") == ["visually-hidden"]
        assert key.find_next_sibling().get_text() == key.get_text()
    assert "press Shift-Ctrl-P; to zoom, Option." in " ".join(features["pdf"].split())


def test_a_video_is_embedded_in_html_and_a_link_in_pdf(features):
    frame = features["soup"].select_one("div.quarto-video iframe")
    assert frame["src"] == "https://www.youtube.com/embed/wo9vZccmqwc?start=116"  # youtu.be: the player address
    assert frame["title"] == "What is the CERN?" and "aspect-ratio:21 / 9" in frame["style"]
    assert frame.find_parent("p") is None  # a block of its own, not inside a paragraph
    assert "What is the CERN?" in features["pdf"]  # print: a link to the video, titled
    source = features["soup"].select_one("div.quarto-video video source")  # a video file: in the page itself
    assert source["src"].startswith("data:video/mp4;base64,")


def test_pagebreak_starts_a_new_pdf_page(features):
    pages = features["pdf"].split("\f")
    page_of = {marker: next(i for i, page in enumerate(pages) if marker in page)
               for marker in ("What is the CERN?", "Text after the escaped example")}
    # the video's link is the last thing before the page break
    assert page_of["Text after the escaped example"] == page_of["What is the CERN?"] + 1
    # the page break's HTML half (an empty <div>) is no content the PDF lost
    assert not re.search(r"HTML-only content left out of the PDF:.*<div>", features["stderr"]), features["stderr"]


def test_an_escaped_example_fence_is_shown_and_the_text_after_it_survives(features):
    code = "\n".join(pre.get_text() for pre in features["soup"].find_all("pre"))
    assert '```{python}\n#| echo: false\nprint("shown, not run")\n```' in code
    assert "shown, not run" not in _outputs(features["soup"])
    assert "Text after the escaped example survives." in features["soup"].get_text()


def test_another_languages_cell_in_a_python_document_is_a_plain_block_as_quartos_jupyter_engine_leaves_it(features):
    # the engine runs Python only and leaves ```{latex} in the text; Quarto's reader makes it a code block classed
    # by the braced tag, which nothing highlights (a public course lab's page, Quarto 1.7)
    block = features["soup"].find("pre", class_="{latex}")
    assert block is not None and block.get_text() == "$$\\frac{a}{b}$$"
    assert "sourceCode" not in (block.parent.get("class") or []) and block.find("span") is None
    assert "shown but not run" not in features["stderr"]
    assert "$$\\frac{a}{b}$$" in features["pdf"]  # as written, in the PDF too


def test_a_label_with_spaces_becomes_a_valid_anchor_with_a_warning(features):
    assert features["soup"].find(id="cell-my-label-2") is not None
    assert "'my label 2' is not a valid identifier" in features["stderr"]


def test_images_resolve_beside_the_document_and_from_the_project_root(features):
    images = features["soup"].find_all("img", src=re.compile(r"^data:image/png;base64,"))
    captions = [_text(figure) for figure in features["soup"].find_all("figure")]
    assert len(images) >= 3  # two squares and the matplotlib figure, all embedded
    assert any("A square from the images folder" in c for c in captions)
    assert any("The same square from the project root" in c for c in captions)
    assert "A square from the images folder" in features["pdf"]


def test_a_missing_image_is_a_warning_never_a_lost_render(features):
    # once per format (HTML, PDF), though pandoc notices it too
    assert features["stderr"].count("missing.png not found") == 2 and "Could not fetch" not in features["stderr"]
    # the page keeps the image as Quarto writes it (the browser shows its alternative text); the PDF a note
    assert features["soup"].select_one('img[src="missing.png"]') is not None
    assert "[missing image: missing.png]" not in features["soup"].get_text()
    assert "[missing image: missing.png]" in features["pdf"]
    # one named from the project root, which pandoc would read from the file system's root and stop
    assert features["soup"].select_one('img[src="/images/gone.png"]') is not None
    assert features["stderr"].count("/images/gone.png not found") == 2


def test_an_image_written_in_html_with_a_path_from_the_project_root_is_found_there(features):
    image = features["soup"].select_one("p.html-square img")
    assert image is not None and image["src"].startswith("data:image/png;base64,")


def test_dataframes_and_stylers_become_tables_in_html_and_pdf(features):
    tables = features["soup"].find_all("table")
    assert any("writes" in t.get_text() and "0.50" in t.get_text() for t in tables)
    assert any("50.0%" in t.get_text() for t in tables)  # the Styler's own formatting
    assert re.search(r"writes\s+0\.50", features["pdf"]) and re.search(r"writes\s+50\.0%", features["pdf"])
    assert "Styler object" not in features["pdf"]
    # an HTML view that is more than a table (scikit-learn's estimators): its plain text in the PDF, not the page's
    # notes and labels stripped of their layout
    assert "Estimator(depth=3)" in features["pdf"] and "rerun this cell" not in features["pdf"]
    # a table pasted into the text as HTML (a notebook's output): a table in the PDF too, its cells in rows, not
    # loose words; its style block is not reported as content left out
    assert any("tokens" in t.get_text() for t in tables) and re.search(r"tokens[ \t]+7", features["pdf"])
    assert "<style>" not in features["stderr"]


def test_matplotlib_figure_is_a_sharp_png_in_html_and_vector_text_in_pdf(features):
    figure = next(f for f in features["soup"].find_all("figure") if "A matplotlib figure" in f.get_text())
    image = figure.find("img")
    assert image["src"].startswith("data:image/png") and image.get("width")  # retina PNG at its display size
    assert figure.parent["class"] == ["quarto-figure", "quarto-figure-center"]  # Quarto's markup: centred
    assert figure.parent.parent["class"] == ["cell-output", "cell-output-display"]  # in the cell's output div
    assert "A matplotlib figure" in features["pdf"]
    assert "matplotlib-title" in features["pdf"]  # text inside the figure: the PDF figure is vector


def test_plotly_figure_is_interactive_offline_in_html_and_a_vector_figure_in_pdf(features, tmp_path):
    html = features["html"]
    assert "plotly-graph-div" in html and "Plotly.newPlot" in html and "plotly-title" in html
    assert not re.search(r"<script[^>]+src=\"https?:", html)
    dom = chromium("--virtual-time-budget=5000", "--dump-dom", features["html_path"].as_uri(),
                   profile=tmp_path / "profile").stdout
    graph = BeautifulSoup(dom, "html.parser").find("div", class_="plotly-graph-div")
    assert graph is not None and graph.find("svg", class_="main-svg") is not None, "plotly.js did not draw"
    assert "cell-output-display" in graph.parent["class"]  # Quarto's output div, which authors' CSS styles
    assert "plotly-title" in features["pdf"] and "interactive (plotly)" not in features["pdf"]  # kaleido, vector


def test_altair_chart_is_drawn_offline_in_html_and_a_vector_figure_in_pdf(features, tmp_path):
    html = features["html"]
    assert "vegaEmbed(" in html and "altair-title" in html and "cdn.jsdelivr" not in html  # mimetype, inlined
    dom = chromium("--virtual-time-budget=5000", "--dump-dom", features["html_path"].as_uri(),
                   profile=tmp_path / "profile").stdout
    chart = BeautifulSoup(dom, "html.parser").find("div", class_="vega-chart")
    assert chart is not None and chart.find("svg") is not None, "vega-embed did not draw"
    assert "cell-output-display" in chart.parent["class"]
    assert "altair-title" in chart.get_text()
    assert "altair-title" in features["pdf"]  # vl-convert: a vector PDF figure, its text searchable


def test_project_metadata_and_format_options_merge_as_in_quarto(features):
    soup, pdf = features["soup"], features["pdf"]
    assert soup.html["lang"] == "en-GB"
    toc = soup.find("nav", id="TOC")
    assert "On this page" in toc.get_text()  # format html: toc-title, toc from the project
    assert "1 Cells that do not run" in _text(toc)  # number-sections from _quarto.yml
    for text, date in ((_text(soup), "March 1, 2024"), (" ".join(pdf.split()), "2024-03-01")):
        assert "From the chapters’ _metadata.yml" in text or "From the chapters' _metadata.yml" in text
        assert "Ada Lovelace" in text and "Grace Hopper" in text and date in text  # HTML: date-format long
        assert "An abstract that pandoc prints." in text
    assert "Table of contents" in pdf and "1 Cells that do not run" in pdf  # format pdf: toc, sections from 1
    info = subprocess.run(["pdfinfo", str(features["pdf_path"])], capture_output=True, text=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert size and abs(float(size[1]) - 419.5) < 1  # papersize: a5 from the project's format pdf


def test_unsupported_features_are_named_in_a_warning(features):
    assert "not supported by the embedded renderer yet" in features["stderr"]
    assert "cell option cache" in features["stderr"]  # knitr's per-cell cache, which Jupyter cells do not have
    assert "margin" not in features["stderr"]  # margin content is supported now


def test_margin_content_goes_to_the_margin_and_keeps_its_class_when_conditional(features):
    note = features["soup"].select_one("div.column-margin.margin-note")  # .content-visible when-format="html"
    assert note is not None and "A margin note, placed in the right margin." in note.get_text()
    assert "A margin note" not in features["pdf"]


@pytest.fixture(scope="module")
def per_format(tmp_path_factory) -> dict:
    require_tool("xelatex")
    output = tmp_path_factory.mktemp("per-format")
    code, stderr = render_cli(str(DOCUMENTS / "options.qmd"), "--to", "html,pdf", "--output-dir", str(output),
                           "-P", "greeting:bonjour")
    assert code == 0, stderr
    html = (output / "options.html").read_text(encoding="utf-8")
    return {"soup": BeautifulSoup(html, "html.parser"), "html": html, "pdf": pdf_text(output / "options.pdf"),
            "stderr": stderr}


def test_a_missing_kernel_falls_back_to_python3_and_says_so(per_format):
    assert "'a-kernel-this-machine-does-not-have' is not installed" in per_format["stderr"]
    assert "running the Python cells in python3" in per_format["stderr"]


def test_format_options_apply_per_format_from_one_execution(per_format):
    assert "greeting is 'bonjour'" in _outputs(per_format["soup"]) and "greeting is 'bonjour'" in per_format["pdf"]
    assert "print(f" not in per_format["html"]  # format html: echo: false
    assert "print(f\"greeting is" in per_format["pdf"]  # format pdf: echo: true


def test_the_injected_parameters_cell_is_as_hidden_as_the_parameters_cell(per_format):
    for text in (per_format["html"], per_format["pdf"]):
        assert "Injected parameters" not in text and "greeting = " not in text


def test_figure_size_options_set_the_figure_size(per_format):
    image = per_format["soup"].find("img", src=re.compile("^data:image/png"))
    width = int(image["width"].removesuffix("px"))
    assert 0.8 * 4 * 96 < width <= 4 * 96  # fig-width 4 in at 96 dpi, less the margins the tight crop removes


def test_a_document_without_code_starts_no_kernel(tmp_path):
    code, stderr = render_cli(str(DOCUMENTS / "text_only.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    assert "kernel" not in stderr  # the missing kernel was never looked for
    soup = BeautifulSoup((tmp_path / "text_only.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("code", string="{r} not python") is not None
    assert not (tmp_path / "text_only.pdf").exists()  # format: html only


def test_parameters_for_a_document_without_a_parameters_cell_are_one_clear_error(tmp_path):
    code, stderr = render_cli(str(DOCUMENTS / "text_only.qmd"), "--output-dir", str(tmp_path), "-P", "x:1")
    assert code == 1
    assert "has no cell tagged 'parameters'" in stderr and "Traceback" not in stderr
    assert not list(tmp_path.iterdir())


def test_output_file_names_the_output_per_format_and_output_wins(tmp_path):
    document = tmp_path / "doc.qmd"
    document.write_text("---\ntitle: Named\noutput-file: report-2024\nformat:\n  html: default\n"
                        "  revealjs:\n    output-file: deck.html\n---\n\n## One\n\nText.\n")
    code, stderr = render_cli(str(document), "--to", "html,revealjs", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["deck.html", "report-2024.html"]
    assert "reveal" in (tmp_path / "out" / "deck.html").read_text()
    code, stderr = render_cli(str(document), "--to", "html", "--output", "mine", "--output-dir", str(tmp_path / "o2"))
    assert code == 0, stderr
    assert [p.name for p in (tmp_path / "o2").iterdir()] == ["mine.html"]
    # in a plain project too: a deck and its page from one document (a public deck's index.qmd writes
    # slides.html and index.html, Quarto 1.7); the deck was left in the project's staging folder
    project = tmp_path / "project"
    project.mkdir()
    (project / "_quarto.yml").write_text("project:\n  type: default\n  output-dir: _out\n", encoding="utf-8")
    (project / "index.qmd").write_text("---\ntitle: Talk\nformat:\n  revealjs:\n    output-file: slides.html\n"
                                       "  html:\n    output-file: index.html\n---\n\n## One\n\nText.\n")
    code, stderr = render_cli(str(project))
    assert code == 0, stderr
    assert sorted(p.name for p in (project / "_out").iterdir()) == ["index.html", "slides.html"]
    assert "reveal" in (project / "_out" / "slides.html").read_text()


def test_videos_from_youtubes_privacy_player_and_unlisted_vimeo_links_are_players_sized_by_their_ratio(tmp_path):
    (tmp_path / "videos.qmd").write_text(
        "::: {#nocookie}\n{{< video https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ width=\"640\" "
        "aspect-ratio=\"16x9\" >}}\n:::\n\n::: {#unlisted}\n{{< video https://vimeo.com/548291297/fdcc90d662 "
        "height=\"300\" aspect-ratio=\"4x3\" >}}\n:::\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "videos.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "out" / "videos.html").read_text(encoding="utf-8"), "html.parser")
    nocookie, unlisted = soup.select_one("#nocookie iframe"), soup.select_one("#unlisted iframe")
    assert soup.select("video") == []  # players, not <video> elements pointed at a web page
    assert nocookie["src"] == "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"
    assert (nocookie["width"], nocookie["height"]) == ("640", "360")
    assert unlisted["src"] == "https://player.vimeo.com/video/548291297?h=fdcc90d662"
    assert (unlisted["width"], unlisted["height"]) == ("400", "300")


def test_a_video_whose_address_has_a_dollar_sign_is_a_player(tmp_path):
    # a computer-vision course's deck (Quarto 1.8): a video in an Azure "$web" container, in a figure; the "$"
    # with the one in its src attribute read as maths, and the reader saw the span's Markdown
    address = "https://assets.blob.core.windows.net/$web/blog/video%20(1).mp4"
    (tmp_path / "deck.qmd").write_text(f"---\ntitle: Videos\nformat: revealjs\n---\n\n## Sora\n\n"
                                       f"::: {{#fig-sora}}\n\n{{{{< video {address} width=1200 >}}}}\n\n"
                                       "Text-to-video\n\n:::\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "out" / "deck.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("#fig-sora video source")["src"] == address
    assert "quarto-video" not in soup.select_one("#fig-sora").get_text()


def test_lipsum_shows_quartos_filler_paragraphs_by_quartos_numbering():
    # the filler a layout example shows under Quarto: paragraph 2 opens "Nunc ac dignissim magna" (Quarto's own
    # smoke test for {{< lipsum 2 >}}); a range picks those paragraphs, counting down when reversed
    import json

    from qmdrender.shortcodes import LIPSUM_FILE, shortcode_expander

    paragraphs = json.loads(LIPSUM_FILE.read_text(encoding="utf-8"))
    expand = shortcode_expander({}, None)

    def shown(text: str) -> list[str]:
        return [p for p in expand(text).split("\n\n") if p.strip()]

    assert len(paragraphs) == 17 and paragraphs[1].startswith("Nunc ac dignissim magna. Vestibulum vitae egestas elit.")
    assert shown("{{< lipsum 2 >}}") == paragraphs[:2]
    assert shown("{{< lipsum >}}") == paragraphs[:5]
    assert shown("{{< lipsum 2-3 >}}") == paragraphs[1:3]
    assert shown("{{< lipsum 3-1 >}}") == [paragraphs[2], paragraphs[1], paragraphs[0]]
    assert shown("{{< lipsum 17 >}}")[-1] == paragraphs[0]  # past the 16th, the first again (Quarto's wrap)
