"""The renderer's stages on their own: reading .qmd text, merging options, inline values, filters.

These need no kernel; the end-to-end behaviour is in test_render_features.py.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from qmdrender.document import QmdError, read_qmd
from qmdrender.execute import inline_text
from qmdrender.options import cell_settings, resolve
from qmdrender.pandoc import latex_errors, run_pandoc
from qmdrender.qmd import code_without_options


def _qmd(tmp_path: Path, text: str, name: str = "doc.qmd") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_an_example_cell_inside_a_longer_fence_stays_text(tmp_path):
    document = read_qmd(_qmd(tmp_path, """
        ````markdown
        ```{python}
        print("an example")
        ```
        ````

        ```{python}
        real = 1
        ```
        """))
    assert [c.cell_type for c in document.notebook.cells] == ["markdown", "code"]
    assert '```{python}\nprint("an example")' in document.notebook.cells[0].source
    assert document.notebook.cells[1].source == "real = 1"


def test_an_escaped_fence_is_shown_with_its_fence_and_does_not_swallow_the_rest(tmp_path):
    document = read_qmd(_qmd(tmp_path, """
        ```{{python}}
        x = 1
        ```

        After.

        ```{python}
        y = 2
        ```
        """))
    cells = document.notebook.cells
    assert [c.cell_type for c in cells] == ["markdown", "code"]
    assert "```{python}\nx = 1\n```" in cells[0].source and "After." in cells[0].source


def test_an_escaped_cell_and_a_plain_block_showing_one_are_highlighted_as_markdown_as_in_quarto(tmp_path):
    # Quarto's engine-escape filter (Coding for Economists' Quarto chapter, Quarto 1.9): the example's fences
    # shown, the block highlighted as Markdown; a plain block without an escaped cell stays plain
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    _qmd(tmp_path, """
        ---
        title: Escapes
        ---

        ```{{python}}
        #| echo: false
        x = 1
        ```

        ````
        Some prose, then a cell:

        ```{{python}}
        y = 2
        ```
        ````

        ```
        plain text
        ```

        ````{verbatim}
        ---
        engine: jupyter
        ---

        ```{{julia}}
        x = 3
        ```
        ````
        """, "escapes.qmd")
    code, stderr = render_cli(str(tmp_path / "escapes.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = BeautifulSoup((tmp_path / "out" / "escapes.html").read_text(encoding="utf-8"), "html.parser")
    blocks = page.select("main pre") or page.select("pre")
    # (each highlighted block marked for its copy button, as Quarto marks it)
    assert [block.get("class") for block in blocks] == [["sourceCode", "markdown", "code-with-copy"],
                                                        ["sourceCode", "markdown", "code-with-copy"], None,
                                                        ["sourceCode", "default", "code-with-copy"]]
    assert blocks[0].get_text().startswith("```{python}\n#| echo: false")
    assert "```{python}\ny = 2" in blocks[1].get_text()
    # knitr's verbatim engine (Stat 244's Quarto how-to, Quarto 1.6): the file as written, a plain block, not a
    # cell, its escaped cell read as written
    assert blocks[3].get_text() == "---\nengine: jupyter\n---\n\n```{julia}\nx = 3\n```"
    assert not page.select(".cell") and "verbatim" not in stderr


def test_a_cell_shown_in_a_markdown_block_takes_its_languages_colours_on_a_page_and_a_deck(tmp_path):
    # AI for Actuaries' Markdown lab (Quarto 1.7): a ````markdown block showing a ```{python} cell has the cell's
    # lines in Python's colours (Quarto's Markdown syntax definition opens a fenced block on {python}); the
    # fence lines stay Markdown's; a language pandoc has no colours for (mermaid) stays plain
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    block = ("````markdown\nSome prose.\n\n```{python}\n#| label: fig-polar\nimport numpy as np\n```\n\n"
             "```{mermaid}\nflowchart LR\n```\n````\n")
    _qmd(tmp_path, f"---\ntitle: Page\n---\n\n{block}", "page.qmd")
    _qmd(tmp_path, f"---\ntitle: Deck\nformat: revealjs\n---\n\n## Code\n\n{block}", "deck.qmd")
    code, stderr = render_cli(str(tmp_path / "page.qmd"), str(tmp_path / "deck.qmd"), "--output-dir",
                              str(tmp_path / "out"))
    assert code == 0, stderr
    for name in ("page", "deck"):
        page = BeautifulSoup((tmp_path / "out" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        spans = [(span["class"][0], span.get_text()) for span in page.select("code.sourceCode.markdown > span > span")]
        assert ("in", "```{python}") in spans and ("co", "#| label: fig-polar") in spans, spans
        assert ("im", "import") in spans and ("im", "as") in spans
        assert ("in", "flowchart LR") in spans  # (mermaid: no colours of pandoc's)
        assert page.select_one("code.sourceCode.markdown").get_text().startswith("Some prose.")


def test_cell_options_come_from_hash_pipe_lines_and_a_formatters_hash_space_pipe(tmp_path):
    document = read_qmd(_qmd(tmp_path, """
        ```{python}
        #| label: my cell
        # | tags: [parameters]
        #  |echo: false
        a = 1
        ```
        """))
    options = document.notebook.cells[0].metadata["quarto"]
    assert options == {"label": "my-cell", "tags": ["parameters"], "echo": False}
    assert document.notebook.cells[0].metadata["tags"] == ["parameters"]
    assert code_without_options(document.notebook.cells[0].source) == "a = 1"


def test_empty_option_lines_are_no_options_and_the_code_after_them_runs_as_in_quarto(tmp_path):
    document = read_qmd(_qmd(tmp_path, """
        ```{python}
        #|
        # Who has oranges ?
        x = 1
        ```

        ```{python}
        #|\x20
        #| echo: false
        y = 2
        ```

        ```{python}

        #| echo: false
        z = 3
        ```
        """))
    first, second, third = document.notebook.cells
    assert third.metadata["quarto"] == {"echo": False}  # after a blank first line, as Quarto reads them
    assert code_without_options(third.source) == "z = 3"
    assert first.metadata.get("quarto", {}) == {}
    assert code_without_options(first.source) == "# Who has oranges ?\nx = 1"
    assert second.metadata["quarto"] == {"echo": False}


def test_a_fence_whose_braces_pandoc_cannot_read_is_a_code_block_as_in_quarto(tmp_path):
    # a course page writes ```{,bash}: Quarto shows the command as a code block; pandoc alone would read the
    # fences as inline code running over the lines
    document = read_qmd(_qmd(tmp_path, """
        Type

        ```{,bash}
        docker login
        ```

        ```{.python}
        x = 1
        ```
        """))
    text = document.notebook.cells[0].source
    assert "```\ndocker login\n```" in text and "{,bash}" not in text
    assert "```{.python}\nx = 1" in text  # attributes pandoc reads stay as written


def test_fence_header_options_are_ignored_with_a_warning_as_quartos_jupyter_engine_does(tmp_path, capsys):
    document = read_qmd(_qmd(tmp_path, """
        ```{python, eval = FALSE, fig.width=4}
        a = 1
        ```
        """))
    assert document.notebook.cells[0].metadata["quarto"] == {}  # so the cell runs, as in Quarto
    assert "options in the fence header" in capsys.readouterr().err


def test_an_html_comment_hides_its_fences_and_nothing_after_it(tmp_path):
    document = read_qmd(_qmd(tmp_path, """
        Before.

        <!--
        ```
        an unclosed fence, commented out
        -->

        ```{python}
        # | echo: false
        shown = 42
        ```

        <!-- ```{python} -->
        ```{python}
        also = 1
        ```
        """))
    cells = document.notebook.cells
    assert [c.cell_type for c in cells] == ["markdown", "code", "markdown", "code"]
    assert cells[1].metadata["quarto"] == {"echo": False} and cells[3].source == "also = 1"


def test_documents_without_a_parameters_cell_have_no_parameters(tmp_path):
    document = read_qmd(_qmd(tmp_path, "# Just text\n"))
    assert document.parameters_cell_index is None and document.parameter_defaults() == {}


@pytest.mark.parametrize(("text", "message"), [
    ("---\n- a\n- b\n---\n", "front matter must be 'key: value' lines"),
    ("---\ntitle: [unclosed\n---\n", "front matter is not valid YAML"),
    ("```{python}\n#| tags: parameters\nx = 1\n```\n", "'#| tags:' takes a list"),
    ("```{python}\n#| tags: [parameters]\nx = = 1\n```\n", "parameters cell is not valid Python"),
    ("{{< include nowhere.qmd >}}\n", "names a file that does not exist"),
    ("{{< include doc.qmd >}}\n", "includes a file that includes it"),
])
def test_documents_quarto_refuses_give_one_clear_error(tmp_path, text, message):
    path = _qmd(tmp_path, text)
    with pytest.raises(QmdError, match=message.replace("[", r"\[")):
        read_qmd(path).parameter_defaults()


def test_a_document_that_is_not_utf8_is_one_clear_error(tmp_path):
    path = tmp_path / "latin1.qmd"
    path.write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    with pytest.raises(QmdError, match="not UTF-8"):
        read_qmd(path)


def test_the_project_roots_metadata_file_is_read_for_its_own_documents_only_as_quarto_walks_them(tmp_path):
    # a computer-vision course (Quarto 1.8): its root _metadata.yml numbers sections; the index page is numbered,
    # the decks in pages/slides are not, which only their own folders' files reach
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\n")
    (tmp_path / "_metadata.yml").write_text("number-sections: true\nsubtitle: From the root\n")
    (tmp_path / "pages" / "slides").mkdir(parents=True)
    (tmp_path / "pages" / "_metadata.yaml").write_text("author: From pages\n")
    deck = resolve(read_qmd(_qmd(tmp_path / "pages" / "slides", "---\ntitle: Deck\n---\n")))
    home = resolve(read_qmd(_qmd(tmp_path, "---\ntitle: Home\n---\n")))
    assert home.metadata.get("number-sections") is True and home.metadata.get("subtitle") == "From the root"
    assert "number-sections" not in deck.metadata and "subtitle" not in deck.metadata
    assert deck.metadata.get("author") == "From pages"


def test_options_merge_project_metadata_document_format_and_cell(tmp_path):
    (tmp_path / "_quarto.yml").write_text("toc: true\nexecute:\n  echo: false\nformat:\n  html:\n    toc-depth: 1\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "_metadata.yml").write_text("subtitle: from metadata\ntoc: false\n")
    path = _qmd(tmp_path / "sub", """
        ---
        title: T
        toc: true
        execute:
          warning: false
        format:
          html:
            echo: true
          pdf:
            toc-depth: 4
        ---
        """)
    options = resolve(read_qmd(path))
    assert options.project == tmp_path.resolve()
    assert options.declared_formats == ("html", "pdf")
    html, pdf = options.for_format("html"), options.for_format("pdf")
    assert html["subtitle"] == "from metadata" and html["toc"] is True  # the document beats _metadata.yml
    assert html["toc-depth"] == 1 and pdf["toc-depth"] == 4  # format options beat top-level ones
    assert html["execute"]["echo"] is True and pdf["execute"]["echo"] is False  # format > execute: > project
    assert html["execute"]["warning"] is False
    assert html["fig-width"] == 7 and pdf["fig-width"] == 5.5  # Quarto's per-format defaults
    cell = cell_settings(pdf, {"echo": True, "fig-width": 3})
    assert cell["echo"] is True and cell["fig-width"] == 3 and cell["warning"] is False


def test_a_documents_top_level_option_beats_the_projects_format_option_as_quarto_resolves_them(tmp_path):
    # Lambda Notebook's about page: toc: false in the page, format: html: toc: true in _quarto.yml; Quarto
    # (1.5) shows no contents there. Each of project, folders and document is resolved for the format first.
    (tmp_path / "_quarto.yml").write_text("toc: false\nformat:\n  html:\n    toc: true\n    echo: false\n"
                                          "    code-fold: true\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "_metadata.yml").write_text("code-fold: false\n")
    path = _qmd(tmp_path / "sub", """
        ---
        title: T
        toc: false
        execute:
          echo: true
        format: html
        ---
        """)
    html = resolve(read_qmd(path)).for_format("html")
    assert html["toc"] is False  # the page's own top-level option over the project's html one
    assert html["execute"]["echo"] is True  # its execute: over the project's html echo
    assert html["code-fold"] is False  # the folder's _metadata.yml over the project's html option
    other = _qmd(tmp_path, "---\ntitle: U\n---\n", name="other.qmd")
    project_only = resolve(read_qmd(other)).for_format("html")
    assert project_only["toc"] is True and project_only["execute"]["echo"] is False  # within the project, html wins


def test_format_names_with_extensions_and_custom_formats_use_their_base_writer():
    from qmdrender.formats import base_format

    assert [base_format(n) for n in ("html", "html+smart", "acm-pdf", "my-journal-html", "revealjs", "docx")] == [
        "html", "html", "pdf", "html", "revealjs", "docx"]
    # Quarto's modifiers after a built-in format (highlight-text's example: pdf-xelatex, pdf-lualatex)
    assert [base_format(n) for n in ("pdf-xelatex", "pdf+draft", "acm-2023-pdf+foo", "revealjs-print")] == [
        "pdf", "pdf", "pdf", "revealjs"]


def test_two_variants_of_one_format_write_the_first_with_its_options_and_name_the_other(tmp_path):
    from .conftest import render_cli

    (tmp_path / "doc.qmd").write_text("---\ntitle: Variants\nformat:\n  html-plain:\n    output-file: plain\n"
                                      "  html-other:\n    output-file: other\n---\n\nWords.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert (tmp_path / "out" / "plain.html").is_file() and not (tmp_path / "out" / "other.html").exists()
    assert "html-other are further variants of html" in stderr and "no extension" not in stderr


@pytest.mark.parametrize(("data", "expected"), [
    ({"text/plain": "4"}, "4"),
    ({"text/plain": "'a *b* [c]'"}, r"a \*b\* \[c\]"),
    ({"text/plain": "'x'", "text/markdown": "**x**"}, "**x**"),
    ({"text/plain": "array([1, 2])"}, "array(\\[1, 2\\])"),
])
def test_inline_values_are_text_escaped_for_markdown_unless_they_are_markdown(data, expected):
    assert inline_text(data) == expected


def test_html_tables_filter_makes_a_real_latex_table(tmp_path):
    table = "<table><thead><tr><th>token</th></tr></thead><tbody><tr><td>Finn</td></tr></tbody></table>"
    markdown = f"```{{=html}}\n{table}\n```\n"
    target = tmp_path / "out.tex"
    run_pandoc(markdown, "latex", target, [], cwd=tmp_path, filters=["html_tables"])
    tex = target.read_text()
    assert "\\begin{longtable}" in tex and "Finn" in tex and "\\caption" not in tex


def test_latex_errors_show_the_bang_lines_and_the_source_line(tmp_path):
    tex = tmp_path / "doc.tex"
    tex.write_text("\\documentclass{article}\n\\begin{document}\n\\undefinedmacro\n\\end{document}\n")
    log = ("(./doc.tex\n" + "Font loading line\n" * 50 + "! Undefined control sequence.\nl.3 \\undefinedmacro\n"
           + "\nmore\n")
    message = latex_errors(log, tex)
    assert "! Undefined control sequence." in message and "source line 3: \\undefinedmacro" in message


def test_a_leading_byte_order_mark_is_not_text(tmp_path):
    path = tmp_path / "bom.qmd"
    path.write_bytes("\ufeff---\ntitle: Marked\n---\n\n# First\n".encode())
    document = read_qmd(path)
    assert document.front_matter["title"] == "Marked"


def test_front_matter_after_blank_lines_is_read_and_a_rule_after_them_is_text(tmp_path):
    path = tmp_path / "late.qmd"
    path.write_text("\n\n---\ntitle: Late\nparams:\n  where: /images/\n---\n\n# First\n", encoding="utf-8")
    document = read_qmd(path)
    assert document.front_matter == {"title": "Late", "params": {"where": "/images/"}}
    path.write_text("\n---\n\nText between rules.\n\n---\n", encoding="utf-8")  # a rule, then a blank line
    assert read_qmd(path).front_matter == {}


_PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _result(text: str) -> dict:
    return {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": text}}


def _figure() -> dict:
    return {"output_type": "display_data", "metadata": {},
            "data": {"image/png": _PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"}}


@pytest.mark.parametrize(("outputs", "shown"), [
    ([_result("<Axes: xlabel='x'>"), _figure()], False),  # a plotting call's return value beside its figure
    ([_result("Text(0.5, 1.0, 'Title')"), _figure()], True),  # what plt.title returns: Quarto shows it
    ([_result("[<matplotlib.lines.Line2D at 0x7f>]")], False),  # no figure: still a matplotlib object
    ([_result("{'boxes': [<matplotlib.lines.Line2D at 0x7f>],\n 'medians': []}"), _figure()], False),
    ([_result("42"), _figure()], True),  # a value, not a plotting object
    ([_result("[1, 2, 3]")], True),  # a list with no figure is the cell's result
    ([_result("Text('rich text')"), _figure()], True),  # another library's Text
])
def test_what_plotting_calls_return_is_left_out_as_in_quarto(outputs, shown):
    from qmdrender.markdown import plotting_leftover

    with_figure = any(str(m).startswith("image/") for o in outputs for m in o.get("data", {}))
    assert plotting_leftover(outputs[0], with_figure) is not shown


def test_a_notebooks_attachments_and_warnings_show_and_its_empty_cells_and_plot_reprs_leave_nothing(tmp_path):
    import nbformat
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Plots"),
                      nbformat.v4.new_code_cell("ax = df.plot()\nax", outputs=[nbformat.from_dict(_result(
                          "<Axes: xlabel='x'>")), nbformat.from_dict(_figure())]),
                      nbformat.v4.new_code_cell("6 * 7", outputs=[nbformat.from_dict(_result("42"))]),
                      nbformat.v4.new_code_cell("warn()", outputs=[nbformat.v4.new_output(
                          "stream", name="stderr", text="<ipython-input-21-cd56fac25aa7>:2: UserWarning: first\n"
                          "<ipython-input-21-cd56fac25aa7>:3: UserWarning: second\n")]),
                      nbformat.v4.new_markdown_cell("Pasted: ![a dot](attachment:dot.png)",
                                                    attachments={"dot.png": {"image/png": _PNG}}),
                      nbformat.v4.new_code_cell(""), nbformat.v4.new_code_cell("\n")]
    nbformat.write(notebook, tmp_path / "plots.ipynb")
    code, stderr = render_cli(str(tmp_path / "plots.ipynb"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = BeautifulSoup((tmp_path / "out" / "plots.html").read_text(encoding="utf-8"), "html.parser")
    assert "<Axes" not in page.get_text() and "42" in page.get_text() and page.select("img")
    assert page.select_one('img[alt="a dot"]')["src"] == f"data:image/png;base64,{_PNG}"  # the cell's attachment
    assert [block.get_text().strip() for block in page.select("div.sourceCode")] == ["ax = df.plot()\nax", "6 * 7",
                                                                                     "warn()"]
    # as Quarto shows an older IPython's warning: the first line without the cell's file name
    assert page.select_one(".cell-output-stderr").get_text().strip() == (
        "UserWarning: first\n<ipython-input-21-cd56fac25aa7>:3: UserWarning: second")


def test_a_notebooks_markdown_cell_reads_quartos_own_cells_in_its_text_as_a_qmd_does(tmp_path):
    # a lecture notebook's exercise (a quarto-live editor) and a diagram written in a Markdown cell: Quarto reads
    # them as cells (the editor's code shown, its options gone; the diagram drawn); another braced fence is a
    # code block of its own, and the callout after them is a callout (pandoc read ```{pyodide} as text before,
    # and its closing fence opened a code block that swallowed the rest)
    import nbformat
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(
        "Try it:\n\n```{pyodide}\n#| exercise: ex1\nx = 1\n```\n\n```{mermaid}\nflowchart LR\n  A --> B\n```\n\n"
        "```{python}\nprint('shown')\n```\n\n::: {.callout-tip}\nA tip.\n:::\n")]
    nbformat.write(notebook, tmp_path / "lecture.ipynb")
    code, stderr = render_cli(str(tmp_path / "lecture.ipynb"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = BeautifulSoup((tmp_path / "out" / "lecture.html").read_text(encoding="utf-8"), "html.parser")
    assert [pre.get_text().strip() for pre in page.select("main pre")] == ["x = 1", "flowchart LR\n  A --> B",
                                                                         "print('shown')"]
    assert page.select_one("main pre.mermaid") is not None and "exercise" not in page.select_one("main").get_text()
    assert page.select_one(".callout-tip .callout-body").get_text(strip=True) == "A tip."


def test_a_notebook_without_a_title_takes_its_first_markdown_cells_heading_as_quarto_does(tmp_path):
    import nbformat
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    titled = nbformat.v4.new_notebook()  # the front matter in a Markdown cell, the heading after a code cell
    titled.cells = [nbformat.v4.new_markdown_cell("---\nauthor: Ada\n---"),
                    nbformat.v4.new_code_cell("6 * 7", outputs=[nbformat.from_dict(_result("42"))]),
                    nbformat.v4.new_markdown_cell("### Survey results\n\nThe first paragraph.")]
    untitled = nbformat.v4.new_notebook()  # its first Markdown cell starts with text: no title
    untitled.cells = [nbformat.v4.new_markdown_cell("Some text first.\n\n# A later heading")]
    unrun = nbformat.v4.new_notebook()  # code that was never run: shown as code, with a warning that says so
    unrun.cells = [nbformat.v4.new_code_cell("6 * 7")]
    for name, notebook in (("titled", titled), ("untitled", untitled), ("unrun", unrun)):
        nbformat.write(notebook, tmp_path / f"{name}.ipynb")
    code, stderr = render_cli(*(str(tmp_path / f"{name}.ipynb") for name in ("titled", "untitled", "unrun")),
                              "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    # a notebook of prose has nothing to run: no warning about outputs it could not have
    assert [line for line in stderr.splitlines() if "no stored outputs" in line] == [
        f"warning: {tmp_path / 'unrun.ipynb'}: this notebook has no stored outputs and was not executed (execute "
        "it with --execute, or set 'execute: enabled: true')."]
    page = BeautifulSoup((tmp_path / "out" / "titled.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("h1.title").get_text() == "Survey results" and page.title.get_text() == "Survey results"
    assert page.get_text().count("Survey results") == 2 and "Ada" in page.select_one("header").get_text()
    assert "The first paragraph." in page.get_text() and "author:" not in page.get_text()
    other = BeautifulSoup((tmp_path / "out" / "untitled.html").read_text(encoding="utf-8"), "html.parser")
    assert other.select_one("h1.title") is None and other.title.get_text() == "untitled"  # the file's name
    assert [h.get_text() for h in other.select("h1")] == ["A later heading"]


def test_a_notebooks_cell_tags_slide_types_and_raw_cells_show_as_quarto_reads_them(tmp_path):
    # Quarto's Jupyter engine: remove-cell/hide-cell leave the cell out, hide-code its code, hide-output its
    # outputs, a '#|' option wins over a tag; nbconvert's remove-input is not Quarto's, so that code shows
    import nbformat
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    def cell(code: str, printed: str, tags: list[str]) -> nbformat.NotebookNode:
        made = nbformat.v4.new_code_cell(code, outputs=[nbformat.v4.new_output("stream", name="stdout",
                                                                               text=printed + "\n")])
        made.metadata["tags"] = tags
        return made

    def slide(text: str, slide_type: str) -> nbformat.NotebookNode:
        made = nbformat.v4.new_markdown_cell(text)
        made.metadata["slideshow"] = {"slide_type": slide_type}
        return made

    raw_html = nbformat.v4.new_raw_cell('<b id="raw-html">from a raw cell</b>')
    raw_html.metadata["raw_mimetype"] = "text/html"
    raw_latex = nbformat.v4.new_raw_cell(r"\textbf{latex only}")
    raw_latex.metadata["raw_mimetype"] = "text/latex"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_raw_cell("---\ntitle: Tagged\n---"),
                      cell("setup()", "set up", ["remove-cell"]), cell("hidden()", "hidden too", ["hide-cell"]),
                      cell("plot_code()", "the plot", ["hide-code"]), cell("noisy()", "noise", ["hide-output"]),
                      cell("#| echo: true\nshown_anyway()", "shown", ["hide-code"]),
                      cell("jupyter_book()", "book", ["remove-input"]), raw_html, raw_latex,
                      slide("## Second\n\nOn the second slide.", "slide"), slide("Never on a slide.", "skip"),
                      slide("After a pause.", "fragment"), slide("Say this aloud.", "notes")]
    nbformat.write(notebook, tmp_path / "tagged.ipynb")
    out = tmp_path / "out"
    code, stderr = render_cli(str(tmp_path / "tagged.ipynb"), "--to", "html", "--output-dir", str(out))
    assert code == 0, stderr
    page = BeautifulSoup((out / "tagged.html").read_text(encoding="utf-8"), "html.parser")
    main = page.select_one("main")
    codes = [block.get_text().strip() for block in main.select("div.sourceCode")]
    assert codes == ["noisy()", "shown_anyway()", "jupyter_book()"]
    text = main.get_text()
    assert "set up" not in text and "hidden too" not in text and "noise" not in text
    assert all(printed in text for printed in ("the plot", "shown", "book"))
    assert main.select_one("b#raw-html").get_text() == "from a raw cell" and "latex only" not in text
    # on a page the slide types mean nothing: every cell's text is there, in order
    assert "Never on a slide." in text and "Say this aloud." in text and not main.select(".fragment, .notes")
    code, stderr = render_cli(str(tmp_path / "tagged.ipynb"), "--to", "revealjs", "--output", "deck",
                              "--output-dir", str(out))
    assert code == 0, stderr
    deck = BeautifulSoup((out / "deck.html").read_text(encoding="utf-8"), "html.parser")
    slides = deck.select(".reveal .slides > section:not(#title-slide)")
    assert "Never on a slide." not in deck.get_text() and len(slides) == 2
    assert "the plot" in slides[0].get_text() and slides[1].select_one("h2").get_text() == "Second"
    assert slides[1].select_one(".fragment").get_text().strip().startswith("After a pause.")  # and what follows
    assert slides[1].select_one("aside.notes").get_text().strip() == "Say this aloud."


def test_a_qmd_cells_tags_stand_for_options_too(tmp_path):
    document = read_qmd(_qmd(tmp_path, """
        ```{python}
        #| tags: [remove-cell]
        setup = 1
        ```

        ```{python}
        #| tags: [hide-code]
        #| echo: true
        shown = 2
        ```
        """))
    first, second = (cell.metadata["quarto"] for cell in document.notebook.cells)
    assert first["include"] is False and second["echo"] is True


def test_the_kernel_runs_a_cells_code_without_its_option_lines_and_the_first_cell_is_in_1(tmp_path):
    # as Quarto sends cells: a traceback numbers the code's lines ("Cell In[1], line 1"), and a cell magic
    # after the option lines is the first line the kernel sees
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    (tmp_path / "errors.qmd").write_text(
        '---\ntitle: Errors\n---\n\n```{python}\n#| error: true\nprint(unknown_variable)\n```\n\n'
        '```{python}\n#| label: magic\n%%writefile note.txt\nhello\n```\n', encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "errors.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = BeautifulSoup((tmp_path / "out" / "errors.html").read_text(encoding="utf-8"), "html.parser")
    error = page.select_one(".cell-output-error").get_text()
    assert "Cell In[1], line 1" in error and "----> 1 print(unknown_variable)" in error
    assert (tmp_path / "note.txt").read_text() == "hello\n"
    assert "%%writefile note.txt" in page.get_text() and "Writing note.txt" in page.get_text()


@pytest.mark.parametrize("marker, indent", [("1. ", "   "), ("-   ", "    ")])  # the second as RStudio writes it
def test_a_cell_indented_into_a_list_item_runs_and_its_output_stays_in_the_item(tmp_path, marker, indent):
    from html.parser import HTMLParser

    from .conftest import render_cli

    second = "2. " if marker == "1. " else marker
    (tmp_path / "list.qmd").write_text(
        f"---\ntitle: List\n---\n\n{marker}**First**: compute\n\n{indent}```{{python}}\n{indent}x = 40 + 2\n\n"
        f"{indent}print(x)\n{indent}```\n\n{second}Second.\n\nOutside.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "list.qmd"), "--to", "html", "--output-dir", str(tmp_path))
    assert code == 0, stderr

    class Items(HTMLParser):  # the text inside each <li>, and where the code's output sits
        def __init__(self) -> None:
            super().__init__()
            self.depth, self.items = 0, []

        def handle_starttag(self, tag, attrs):
            if tag == "li":
                self.depth += 1
                self.items.append("")

        def handle_endtag(self, tag):
            self.depth -= tag == "li"

        def handle_data(self, data):
            if self.depth:
                self.items[-1] += data

    items = Items()
    items.feed((tmp_path / "list.html").read_text(encoding="utf-8"))
    assert len(items.items) == 2
    assert "x = 40 + 2" in items.items[0] and "42" in items.items[0] and "Second." in items.items[1]


def test_python_cells_hand_data_to_ojs_cells_with_ojs_define_as_in_quarto(tmp_path):
    # Quarto's kernels define ojs_define; a page whose Python calls it must render (its OJS cells are shown)
    import json

    from bs4 import BeautifulSoup

    from .conftest import pdf_text, render_cli

    (tmp_path / "ojs.qmd").write_text(
        "---\ntitle: OJS\n---\n\n```{python}\nimport pandas as pd\n"
        "penguins = pd.DataFrame({'species': ['Adelie', 'Gentoo'], 'mass': [3750.0, None]})\n"
        "ojs_define(data=penguins, count=2)\n```\n\n```{ojs}\nInputs.table(data)\n```\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "ojs.qmd"), "--to", "html,pdf", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "out" / "ojs.html").read_text(encoding="utf-8"), "html.parser")
    defined = json.loads(soup.select_one('script[type="ojs-define"]').string)
    columns = {"species": ["Adelie", "Gentoo"], "mass": [3750.0, None]}  # a DataFrame: its columns' lists
    assert defined == {"contents": [{"name": "data", "value": columns}, {"name": "count", "value": 2}]}
    assert "Inputs.table(data)" in soup.get_text()
    assert "contents" not in pdf_text(tmp_path / "out" / "ojs.pdf")  # nothing of it in print


def test_a_cell_that_does_not_run_but_has_a_figure_label_and_caption_is_a_numbered_float_of_its_code(tmp_path):
    # Quarto (1.4 and later) makes the cell's div the float: the code, then "Figure 1: ..."; references resolve
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    (tmp_path / "code.qmd").write_text(
        "---\ntitle: Code\n---\n\nSee @fig-probe for the code.\n\n```{python}\n#| eval: false\n#| echo: true\n"
        "#| label: fig-probe\n#| fig-cap:\n#|   - \"A linear probe\"\nimport timm\n```\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "code.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0 and "unresolved" not in stderr, stderr
    soup = BeautifulSoup((tmp_path / "out" / "code.html").read_text(encoding="utf-8"), "html.parser")
    assert " ".join(soup.select_one("a[href='#fig-probe']").get_text().split()) == "Figure 1"
    figure = soup.select_one("#fig-probe")
    assert "import timm" in figure.select_one("pre").get_text()
    assert " ".join(figure.select_one("figcaption").get_text().split()) == "Figure 1: A linear probe"


def test_callouts_with_a_kinds_prefix_are_numbered_per_kind_and_referenced(tmp_path):
    from bs4 import BeautifulSoup

    from .conftest import callout_title, pdf_text, render_cli

    (tmp_path / "callouts.qmd").write_text(
        "---\ntitle: Callouts\n---\n\n::: {#tip-first .callout-tip}\n## Use a prefix\n\nText.\n:::\n\n"
        "::: {#nte-plain .callout-note}\nNo title.\n:::\n\n"
        "::: {#tip-second .callout-tip title=\"Again\"}\nMore.\n:::\n\n"
        "See @tip-first, @nte-plain and @tip-second.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "callouts.qmd"), "--to", "html,pdf", "--output-dir", str(tmp_path))
    assert code == 0 and "not found" not in stderr, stderr
    soup = BeautifulSoup((tmp_path / "callouts.html").read_text(encoding="utf-8"), "html.parser")
    titles = [title for c in soup.select(".callout") if (title := callout_title(c))]
    assert titles == ["Tip 1: Use a prefix", "Note 1", "Tip 2: Again"]
    links = [(a["href"], " ".join(a.get_text().split())) for a in soup.select("a.quarto-xref")]
    assert links == [("#tip-first", "Tip 1"), ("#nte-plain", "Note 1"), ("#tip-second", "Tip 2")]
    pdf = " ".join(pdf_text(tmp_path / "callouts.pdf").split())
    assert "Tip 1: Use a prefix" in pdf and "See Tip 1, Note 1 and Tip 2." in pdf
    code, stderr = render_cli(str(tmp_path / "callouts.qmd"), "--to", "typst", "--output-dir", str(tmp_path / "typst"))
    assert code == 0, stderr  # Typst needs a label on the box for the references' links
    assert "See Tip 1, Note 1 and Tip 2." in " ".join(pdf_text(tmp_path / "typst" / "callouts.pdf").split())


def test_a_rule_with_text_right_under_it_that_pandoc_reads_as_yaml_is_one_clear_error_saying_where(tmp_path):
    # as in Quarto (quarto-cli#3004): DS701's clustering page has "---" then text, and a rule further down
    from .conftest import render_cli

    (tmp_path / "rule.qmd").write_text("---\ntitle: Rule\n---\n\nA slide.\n\n---\nWe can remap the values\n\n"
                                       "More: text.\n\n---\n\nThe end.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "rule.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code != 0 and "Traceback" not in stderr and not (tmp_path / "out" / "rule.html").exists()
    assert 'The line \'---\' just before "We can remap the values" starts a YAML metadata block' in stderr
    assert "put a blank line after it" in stderr


def test_a_qmd_without_a_title_takes_the_heading_quartos_jupyter_engine_takes(tmp_path):
    # quarto-cli's tests jupyter/title: the first text after the front matter's cell decides; the front matter's
    # cell holds the text up to the first code cell; a document without Python cells keeps its headings
    from bs4 import BeautifulSoup

    from qmdrender.document import read_qmd, with_heading_title

    from .conftest import render_cli

    def title(text: str) -> str | None:
        (tmp_path / "case.qmd").write_text(text, encoding="utf-8")
        return with_heading_title(read_qmd(tmp_path / "case.qmd")).front_matter.get("title")

    code = "```{python}\n1 + 1\n```\n\n"
    assert title(f"---\nauthor: Ada\n---\n\n{code}## Results\n\nText.\n") == "Results"
    assert title(f"# Notes\n\nText.\n\n{code}") == "Notes"  # no front matter: the first text
    assert title(f"---\nauthor: Ada\n---\n\n# Intro\n\nText.\n\n{code}## Later\n") == "Later"  # quarto-cli#12440
    assert title(f"---\nauthor: Ada\n---\n\n{code}Some text.\n\n## Not a title\n") is None
    assert title(f"---\ntitle: Given\n---\n\n{code}## Results\n") == "Given"
    assert title("## Markdown only\n\n```python\n1 + 1\n```\n") is None  # no executable cell: no Jupyter
    (tmp_path / "page.qmd").write_text(f"---\nauthor: Ada\n---\n\n{code}## Results\n\nText.\n", encoding="utf-8")
    code_, stderr = render_cli(str(tmp_path / "page.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code_ == 0, stderr
    page = BeautifulSoup((tmp_path / "out" / "page.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("h1.title").get_text() == "Results" and page.title.get_text() == "Results"
    assert not page.select("h2") and "Text." in page.get_text()


def test_an_error_in_print_opens_with_the_exception_line_over_its_traceback_as_quarto_writes_it(tmp_path):
    # Quarto writes an error it does not colour (a PDF's) as "NameError: name ... is not defined" and the
    # traceback under it; a notebook's stored error output (the Jupyter format keeps ename and evalue) too
    from .conftest import pdf_text, render_cli, require_tool

    require_tool("xelatex")
    (tmp_path / "errors.qmd").write_text(
        "---\ntitle: Errors\nformat: pdf\n---\n\n```{python}\n#| error: true\nprint(unknown_variable)\n```\n",
        encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "errors.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    lines = [line.strip() for line in pdf_text(tmp_path / "out" / "errors.pdf").splitlines() if line.strip()]
    start = lines.index("print(unknown_variable)")
    assert lines[start + 1] == "NameError: name 'unknown_variable' is not defined", lines
    assert lines[start + 2].startswith("-----") and "Traceback (most recent call last)" in lines[start + 3]


def test_an_f_string_of_python_3_12_fails_with_a_line_that_says_which_python_reads_it(tmp_path):
    # PEP 701: f"{d["a"]}" is Python 3.12's; a kernel on an older Python stops at it, and the message says why
    import sys

    from .conftest import render_cli

    (tmp_path / "fstring.qmd").write_text('---\ntitle: F\n---\n\n```{python}\nd = {"a": 1}\nprint(f"{d["a"]}")\n```\n',
                                          encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "fstring.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    if sys.version_info >= (3, 12):
        assert code == 0, stderr
    else:
        assert code != 0 and "SyntaxError" in stderr and "Python 3.12 reads it" in stderr
        assert not (tmp_path / "out" / "fstring.html").exists()


def test_an_empty_or_silent_knitr_chunk_between_list_items_ends_the_list_as_in_quarto(tmp_path):
    # an exercise sheet's "- Demo: ..." items, each followed by an empty chunk to fill in: knitr writes an empty
    # cell div there, so Quarto's page has two tight lists; a Jupyter cell would show nothing at all
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    (tmp_path / "sheet.qmd").write_text(
        "---\ntitle: Sheet\n---\n\n-   Demo: the fewest flights?\n\n```{r}\n#| label: count-month\n\n```\n\n"
        "-   Your turn: the most flights?\n\n"
        # a chunk that shows only what R prints (echo: false), not run here: knitr's div ends the list there too
        "1. Store the result. Its head looks like:\n\n```{r}\n#| echo: false\nhead(x)\n```\n\n2. Export it.\n",
        encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "sheet.qmd"), "--to", "html", "--output-dir", str(tmp_path))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "sheet.html").read_text(encoding="utf-8"), "html.parser")
    lists = soup.select("main ul")
    assert [len(u.find_all("li")) for u in lists] == [1, 1] and not lists[0].find("p")
    numbered = soup.select("main ol")
    assert [len(o.find_all("li")) for o in numbered] == [1, 1] and not numbered[0].find("p")
    assert numbered[1].get("start") == "2"


def test_a_silent_knitr_chunk_before_a_decks_first_heading_makes_no_slide_as_in_quarto(tmp_path):
    # a course deck's set-up chunk (echo: false, fonts and packages) before its first slide: knitr writes
    # nothing there, so Quarto's deck starts at the first heading; an author's own text there is a slide
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    setup = "```{r}\n#| echo: false\nlibrary(showtext)\n```\n\n"
    (tmp_path / "deck.qmd").write_text(f"---\ntitle: Deck\nformat: revealjs\n---\n\n{setup}## One\n\nText\n\n"
                                       f"## Two\n\n{setup}More\n", encoding="utf-8")
    (tmp_path / "prelude.qmd").write_text(f"---\ntitle: Deck\nformat: revealjs\n---\n\n{setup}Before.\n\n"
                                          "## One\n\nText\n", encoding="utf-8")
    for name in ("deck", "prelude"):
        code, stderr = render_cli(str(tmp_path / f"{name}.qmd"), "--output-dir", str(tmp_path / "out"))
        assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "out" / "deck.html").read_text(encoding="utf-8"), "html.parser")
    slides = soup.select(".reveal .slides > section:not(#title-slide)")
    assert [s.get_text(" ", strip=True) for s in slides] == ["One Text", "Two More"]
    soup = BeautifulSoup((tmp_path / "out" / "prelude.html").read_text(encoding="utf-8"), "html.parser")
    slides = soup.select(".reveal .slides > section:not(#title-slide)")
    assert [s.get_text(" ", strip=True) for s in slides] == ["Before.", "One Text"]


def test_a_margin_footnote_in_a_terms_text_still_reaches_the_margin(tmp_path):
    # reference-location: margin places each note after the block that refers to it; a definition list's term is
    # no such block, and its note still shows (at the end of the text), never lost
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    (tmp_path / "terms.qmd").write_text("---\ntitle: Terms\nreference-location: margin\n---\n\nTerm[^a]\n"
                                        ":   Definition.\n\nText[^b] here.\n\n[^a]: Note A.\n[^b]: Note B.\n",
                                        encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "terms.qmd"), "--to", "html", "--output-dir", str(tmp_path))
    assert code == 0, stderr
    page = BeautifulSoup((tmp_path / "terms.html").read_text(encoding="utf-8"), "html.parser")
    notes = {div["id"]: div.get_text().strip() for div in page.select("div.column-margin > div[id^=fn]")}
    assert notes == {"fn1": "1\u00a0Note A.", "fn2": "2\u00a0Note B."}
    assert page.select_one("a.footnote-ref[href='#fn1']") is not None


def test_a_margin_footnote_in_a_list_follows_the_whole_list_as_quartos_page_places_it(tmp_path):
    # Quarto's margin container for a note in a list item (or a table) comes after the outermost list, not
    # inside the item (course notes written as bullets); a paragraph's note follows the paragraph
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    (tmp_path / "bullets.qmd").write_text(
        "---\ntitle: Bullets\nreference-location: margin\n---\n\n- One[^a]\n    - Nested[^b]\n- Two\n\n"
        "Text[^c] here.\n\n> Quoted[^d].\n\n[^a]: Note A.\n[^b]: Note B.\n[^c]: Note C.\n[^d]: Note D.\n",
        encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "bullets.qmd"), "--to", "html", "--output-dir", str(tmp_path))
    assert code == 0, stderr
    page = BeautifulSoup((tmp_path / "bullets.html").read_text(encoding="utf-8"), "html.parser")
    listing = page.select_one("main ul") or page.select_one("ul")
    assert listing.select(".column-margin") == []  # nothing in the items
    after = listing.find_next_sibling()
    assert "column-margin" in after["class"] and [d["id"] for d in after.select("div[id^=fn]")] == ["fn1", "fn2"]
    paragraph = next(p for p in page.select("p") if "here." in p.text)
    assert [d["id"] for d in paragraph.find_next_sibling().select("div[id^=fn]")] == ["fn3"]
    quote = page.select_one("blockquote")  # Quarto's reference-location-margin test: blockquote + div.column-margin
    assert quote.select(".column-margin") == []
    assert [d["id"] for d in quote.find_next_sibling().select("div")] == ["fn4"]
