"""One reader of ``.qmd`` text: the renderer and the JupyterLab contents manager find the same front matter
and the same code cells in every document (CRLF files, unclosed fences, nested and escaped fences), and
the contents manager writes each text back byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmdrender.document import read_qmd
from qmdrender.lab import notebook_to_qmd, qmd_to_notebook
from qmdrender.qmd import QmdError, as_jupyter_cells, cell_options, scan
from qmdrender.yamlfile import dump_yaml, parse_yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted([*ROOT.glob("notebooks/*.qmd"), *ROOT.glob("tests/documents/**/*.qmd")])

TRICKY = {
    "crlf": "---\r\ntitle: CRLF\r\n---\r\n\r\nText.\r\n\r\n```{python}\r\n#| echo: false\r\nx = 1\r\n```\r\n",
    "unclosed-at-end": "Text.\n\n```{python}\nx = 1\ny = 2\n",
    "unclosed-last-line": "Text.\n\n```{python}\n",
    "nested-example": "````markdown\n```{python}\nnot_a_cell()\n```\n````\n\n```{python}\na_cell()\n```\n",
    "escaped": "```{{python}}\n#| echo: false\nshown()\n```\n\n```{python}\nrun()\n```\n",
    "indented": "1. Item\n\n   ```{python}\n   in_a_list_item()\n   ```\n\n~~~{python}\ntilde_cell()\n~~~\n",
    "deep-indented": "-   Item\n\n    ```{python}\n    #| echo: false\n    deep()\n\n    more()\n        ```\n\n"
                     "-   Shown\n\n    ```bash\n    not_a_cell\n    ```\n",
    "dots-close-front-matter": "---\ntitle: Dots\n...\n\n```{python}\nx = 1\n```",
    "longer-closing-fence": "```{python}\nx = 1\n`````\n\nafter\n",
    "fence-with-info-does-not-close": "```{python}\nx = 1\n```python\ny = 2\n```\n",
    "no-front-matter-after-text": "Text\n---\ntitle: not front matter\n---\n",
}


def _cases() -> list[tuple[str, str]]:
    return [*((path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")) for path in CORPUS),
            *TRICKY.items()]


@pytest.mark.parametrize(("name", "text"), _cases(), ids=[name for name, _ in _cases()])
def test_the_contents_manager_writes_every_text_back_unchanged(name, text):
    assert notebook_to_qmd(qmd_to_notebook(text)) == text
    assert "".join(chunk.text for chunk in scan(text)) == text


def _without_includes(text: str) -> bool:
    return "{{< include" not in text


@pytest.mark.parametrize(("name", "text"), [c for c in _cases() if _without_includes(c[1])],
                         ids=[name for name, text in _cases() if _without_includes(text)])
def test_the_renderer_and_the_contents_manager_agree(name, text, tmp_path):
    path = tmp_path / "document.qmd"
    path.write_bytes(text.encode("utf-8"))
    rendered = read_qmd(path).notebook
    shown = qmd_to_notebook(text)

    def code(notebook) -> list[str]:
        return [c.source.replace("\r\n", "\n").rstrip("\n") for c in notebook.cells if c.cell_type == "code"]

    def has_front_matter(notebook) -> bool:
        return bool(notebook.cells) and notebook.cells[0].cell_type == "raw"

    assert code(shown) == code(rendered)
    assert has_front_matter(shown) == has_front_matter(rendered)


def test_the_tricky_cases_read_as_quarto_reads_them(tmp_path):
    def cells(name: str) -> list[tuple[str, str]]:
        path = tmp_path / f"{name}.qmd"
        path.write_bytes(TRICKY[name].encode("utf-8"))
        return [(c.cell_type, c.source) for c in read_qmd(path).notebook.cells]

    assert cells("crlf")[0] == ("raw", "---\ntitle: CRLF\n---") and cells("crlf")[-1] == (
        "code", "#| echo: false\nx = 1")
    assert read_qmd(tmp_path / "crlf.qmd").front_matter == {"title": "CRLF"}
    assert cells("unclosed-at-end")[-1] == ("code", "x = 1\ny = 2")
    assert [kind for kind, _ in cells("nested-example")] == ["markdown", "code"]
    assert cells("escaped")[0][0] == "markdown" and "```{python}" in cells("escaped")[0][1]
    # a cell indented into a list item runs, as Quarto runs it (its code without the indentation)
    assert cells("indented") == [("markdown", "1. Item"), ("code", "in_a_list_item()"), ("code", "tilde_cell()")]
    # further in (RStudio's "-   " items): still a cell, closed at any indentation as Quarto reads it; a plain
    # code block there stays the item's Markdown
    assert cells("deep-indented") == [("markdown", "-   Item"), ("code", "#| echo: false\ndeep()\n\nmore()"),
                                      ("markdown", "-   Shown\n\n    ```bash\n    not_a_cell\n    ```")]
    assert cells("dots-close-front-matter")[0][0] == "raw"
    assert cells("longer-closing-fence")[1] == ("markdown", "after")
    assert cells("fence-with-info-does-not-close")[0] == ("code", "x = 1\n```python\ny = 2")
    assert [kind for kind, _ in cells("no-front-matter-after-text")] == ["markdown"]


def test_a_crlf_file_opens_in_jupyterlab_with_its_front_matter_as_front_matter():
    cells = qmd_to_notebook(TRICKY["crlf"]).cells
    assert cells[0].cell_type == "raw" and cells[0].source == "---\r\ntitle: CRLF\r\n---"
    assert [c.cell_type for c in cells] == ["raw", "markdown", "code"]


def test_triple_backtick_inline_code_on_a_line_of_its_own_opens_no_fence():
    chunks = scan("Print this:\n\n```Escherichia coli is a Gram negative bacteria```\n\n```{python}\nx = 1\n```\n")
    assert [c.kind for c in chunks] == ["markdown", "code"]
    assert "```Escherichia coli" in chunks[0].text and chunks[1].body == "x = 1\n"


def test_chunk_headers_are_read_as_knitr_reads_them_in_a_knitr_document_and_ignored_in_a_jupyter_one(tmp_path,
                                                                                                      capsys):
    (tmp_path / "doc.qmd").write_text(
        "---\ntitle: T\n---\n\n```{r setup, include=FALSE}\nlibrary(x)\n```\n\n"
        "```{r, eval = TRUE, echo=F, fig.cap=\"A, b\", fig.width=5.5, out.width='50%', x=c(1, 2)}\n"
        "#| echo: true\nplot(1)\n```\n\n```{css, echo=FALSE}\nh1 {}\n```\n", encoding="utf-8")
    cells = [c for c in read_qmd(tmp_path / "doc.qmd").notebook.cells if c.cell_type == "code"]
    assert cells[0].metadata["quarto"] == {"label": "setup", "include": False}
    assert cells[1].metadata["quarto"] == {"eval": True, "echo": True, "fig-cap": "A, b", "fig-width": 5.5,
                                           "out-width": "50%", "x": "c(1, 2)"}  # '#|' lines win over the header
    assert cells[2].metadata["quarto"] == {"echo": False}  # knitr runs the document: every chunk's header counts
    assert "fence header" not in capsys.readouterr().err
    (tmp_path / "jupyter.qmd").write_text("```{python, echo=FALSE}\n1\n```\n", encoding="utf-8")
    cells = [c for c in read_qmd(tmp_path / "jupyter.qmd").notebook.cells if c.cell_type == "code"]
    assert cells[0].metadata["quarto"] == {}  # Quarto's Jupyter engine ignores a Python fence's options
    assert "options in the fence header ({echo=FALSE}) are ignored" in capsys.readouterr().err


def test_knitr_reads_option_comments_written_as_header_options_and_jupyter_lines_stay_yaml(tmp_path, capsys):
    # knitr takes "#|" lines as YAML when the first starts "name:", else as a header's "name=value" list (an
    # epidemiology course's "#| error=TRUE", Quarto 1.8); Quarto's Jupyter engine reads YAML only
    (tmp_path / "doc.qmd").write_text(
        "```{r}\n#| error=TRUE\nmean(TRUE, x)\n```\n\n```{r}\n#| fig.cap='A plot',\n#|   echo = FALSE\nplot(1)\n"
        "```\n\n```{r}\n#| echo: false\n#| fig.cap: Knitr's name\nx\n```\n\n"
        # a label no cross-reference reads is knitr's to name figure files with, whatever its characters
        "```{r}\n#| label: bases_esc_+1_ano\ny\n```\n", encoding="utf-8")
    cells = [c for c in read_qmd(tmp_path / "doc.qmd").notebook.cells if c.cell_type == "code"]
    assert [c.metadata["quarto"] for c in cells] == [{"error": True}, {"fig-cap": "A plot", "echo": False},
                                                     {"echo": False, "fig-cap": "Knitr's name"},
                                                     {"label": "bases_esc_+1_ano"}]
    assert "label" not in capsys.readouterr().err
    assert cells[0].source == "#| error=TRUE\nmean(TRUE, x)"
    (tmp_path / "jupyter.qmd").write_text("```{python}\n#| echo=False\n1\n```\n", encoding="utf-8")
    with pytest.raises(QmdError, match="must be 'key: value' lines"):
        read_qmd(tmp_path / "jupyter.qmd")


def test_an_escaped_cell_inside_a_longer_fence_shows_single_braces_as_in_quarto(tmp_path):
    (tmp_path / "doc.qmd").write_text("````markdown\n## Plot\n\n```{{r}}\nplot(1)\n```\n````\n", encoding="utf-8")
    text = read_qmd(tmp_path / "doc.qmd").notebook.cells[0].source
    assert "```{r}" in text and "{{r}}" not in text


def test_inline_expressions_in_code_blocks_are_examples_not_code():
    from qmdrender.qmd import inline_expressions, replace_inline_expressions

    text = "Run `{python} 1 + 1` here.\n\n```markdown\nNot `{python} x` here.\n```\n\nAnd `{python} 2` too.\n"
    assert [m["expr"] for m in inline_expressions(text)] == ["1 + 1", "2"]
    assert replace_inline_expressions(text, lambda m: "V") == \
        "Run V here.\n\n```markdown\nNot `{python} x` here.\n```\n\nAnd V too.\n"


def test_an_include_from_the_project_root_is_found_from_a_document_named_by_a_relative_path(tmp_path, monkeypatch):
    # quarto-web's pages: a page includes ../_part.md, which includes /docs/... (from the project root)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "_root.md").write_text("Text from the project root.\n", encoding="utf-8")
    (tmp_path / "docs" / "tools").mkdir(parents=True)
    (tmp_path / "docs" / "_middle.md").write_text("{{< include /shared/_root.md >}}\n", encoding="utf-8")
    (tmp_path / "docs" / "tools" / "page.qmd").write_text("---\ntitle: P\n---\n\n{{< include ../_middle.md >}}\n",
                                                          encoding="utf-8")
    monkeypatch.chdir(tmp_path / "docs" / "tools")
    cells = read_qmd(Path("page.qmd")).notebook.cells
    assert "Text from the project root." in "".join(c.source for c in cells)


def test_an_inline_expression_is_delimited_by_single_backticks_only():
    # Quarto's docs: "Enclose the expression in an extra backtick" to show it unevaluated
    from qmdrender.qmd import KNITR_INLINE, inline_expressions

    text = ("Run `{python} x` but not ``{python} y`` nor ``` ``{python} z`` ``` nor `` `{python} w` `` "
            "(Quarto's changelog); R: `r a` not ``r b``, and `{python} v`.")
    assert [m["expr"] for m in inline_expressions(text)] == ["x", "v"]
    assert [m["expr"] for m in inline_expressions(text, KNITR_INLINE)] == ["a"]


def test_an_include_in_a_code_block_or_cell_puts_the_file_there_unless_it_is_shown_as_written(tmp_path):
    # Quarto's includes page: a script included into a ```python block (shown) or a ```{python} cell (run)
    (tmp_path / "_code.py").write_text("total = 6 * 7\n", encoding="utf-8")
    (tmp_path / "doc.qmd").write_text(
        "---\ntitle: T\n---\n\n```{python}\n{{< include _code.py >}}\n```\n\n"
        "```python\n{{< include _code.py >}}\n```\n\n"
        "```{.markdown shortcodes=false}\n{{< include _code.py >}}\n```\n", encoding="utf-8")
    cells = read_qmd(tmp_path / "doc.qmd").notebook.cells
    assert [c.source for c in cells if c.cell_type == "code"] == ["total = 6 * 7"]
    prose = "".join(c.source for c in cells if c.cell_type == "markdown")
    assert "```python\ntotal = 6 * 7\n```" in prose and "{{< include _code.py >}}" in prose  # the last one as written


def test_an_include_names_a_file_with_spaces_in_quotes(tmp_path):
    (tmp_path / "_a file.md").write_text("Text from a file with spaces.\n", encoding="utf-8")
    (tmp_path / "_plain.md").write_text("Text in single quotes.\n", encoding="utf-8")
    (tmp_path / "doc.qmd").write_text("---\ntitle: T\n---\n\n{{< include \"_a file.md\" >}}\n\n"
                                      "{{< include '_plain.md' >}}\n", encoding="utf-8")
    prose = "".join(c.source for c in read_qmd(tmp_path / "doc.qmd").notebook.cells)
    assert "Text from a file with spaces." in prose and "Text in single quotes." in prose


def test_a_divs_attributes_with_spaces_around_equals_are_read_as_attributes_as_quarto_reads_them(tmp_path):
    # pandoc alone shows the ::: lines as text; a quoted value and a code block's example stay as written
    from bs4 import BeautifulSoup

    from .conftest import callout_title, render_cli

    page = tmp_path / "page.qmd"
    page.write_text('::: {.callout-note title = "Read me" collapse= false}\nInside.\n:::\n\n'
                    "::: {#quoted key2='key = value'}\nQuoted.\n:::\n\n"
                    "```markdown\n::: {.note title = \"as written\"}\n:::\n```\n", encoding="utf-8")
    text = read_qmd(page).notebook.cells[0].source
    assert '::: {.callout-note title="Read me" collapse=false}' in text
    assert "key2='key = value'" in text and '::: {.note title = "as written"}' in text
    code, stderr = render_cli(str(page), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "out" / "page.html").read_text(encoding="utf-8"), "html.parser")
    assert callout_title(soup.select_one(".callout-note")) == "Read me"
    assert soup.select_one("#quoted")["data-key2"] == "key = value" and ":::" not in soup.select_one("main").p.text


def test_a_cell_kept_in_an_html_comment_stays_hidden_with_its_arrows_and_the_text_after_it_shows(tmp_path):
    # a real deck keeps a mermaid cell inside <!-- ... -->; its "A --> B" arrows must not end the comment
    # (pandoc would show the rest of the cell, and its closing fence would swallow the slides after it)
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    page = tmp_path / "deck.qmd"
    page.write_text("## First\n\nBefore.\n\n<!-- kept for later:\n\n```{mermaid}\ngraph TD\n  A --> B\n```\n-->\n\n"
                    "## Second\n\nAfter the comment.\n\n```python\nshown = True\n```\n", encoding="utf-8")
    assert [chunk.kind for chunk in scan(page.read_text())] == ["markdown", "fence"]  # no cell in the comment
    text = read_qmd(page).notebook.cells[0].source
    assert "A --&gt; B" in text and text.count("-->") == 1
    code, stderr = render_cli(str(page), "--to", "revealjs", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "out" / "deck.html").read_text(encoding="utf-8"), "html.parser")
    slides = soup.select("div.slides > section")
    assert [s.h2.get_text() for s in slides] == ["First", "Second"]
    assert "graph TD" not in soup.select_one("div.slides").get_text() and "After the comment." in slides[1].get_text()
    assert slides[1].select_one("pre code").get_text() == "shown = True"


def test_rule_lines_followed_by_text_are_cut_as_quartos_jupyter_engine_cuts_cells():
    text = ("---\ntitle: x\n---\n\nA\n---\nB\n\n```{python}\n---\nin a cell\n```\n\nC\n---\nD\n\n"
            "```\nplain\n```\n\nE\n---\nF\n")
    # the front matter's block stays open (its "---" is followed by a blank line); "A\n---\nB" closes it, so a
    # blank line follows; the cell is passed over; "C\n---\nD" opens a block, so a blank line precedes; after the
    # plain fence the engine looks for no more "---"
    assert as_jupyter_cells(text) == ("---\ntitle: x\n---\n\nA\n---\n\nB\n\n```{python}\n---\nin a cell\n```\n\n"
                                      "C\n\n---\nD\n\n```\nplain\n```\n\nE\n---\nF\n")
    assert as_jupyter_cells("---\n\nA rule.\n") == "---\n\nA rule.\n"  # a rule: untouched


def test_a_commented_out_cell_runs_as_in_quarto_and_shows_nothing(tmp_path):
    # Quarto cuts the document into cells before pandoc sees the comment, so the cell runs (quarto-dev/quarto#347):
    # the cells after it see its variables and random state; its code and output stay inside the comment
    from bs4 import BeautifulSoup

    from .conftest import render_cli

    page = tmp_path / "page.qmd"
    page.write_text("---\ntitle: Comments\n---\n\n```{python}\nx = 1\n```\n\n<!--\nAn older version:\n\n"
                    "```{python}\n#| echo: true\nx = 41\nprint('commented-out output')\n```\n\n"
                    "```{mermaid}\ngraph TD\n  A --> B\n```\n-->\n\nInline: `{python} x + 1`.\n\n"
                    "```{python}\nprint(f'after: {x + 1}')\n```\n", encoding="utf-8")
    cells = read_qmd(page).notebook.cells
    assert [c.cell_type for c in cells] == ["raw", "code", "markdown", "code", "markdown", "code"]
    assert cells[3].source.endswith("x = 41\nprint('commented-out output')")
    assert cells[3].metadata["quarto"] == {"echo": True, "include": False}
    assert "<!--" in cells[2].source and "-->" in cells[2].source and "x = 41" in cells[2].source
    code, stderr = render_cli(str(page), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    main = BeautifulSoup((tmp_path / "out" / "page.html").read_text(encoding="utf-8"), "html.parser").main
    assert "Inline: 42." in main.get_text() and main.select(".cell-output-stdout")[-1].get_text().strip() == "after: 42"
    assert "commented-out output" not in main.get_text() and "x = 41" not in main.get_text()
    assert "graph TD" not in main.get_text() and not main.select(".mermaid, svg")


def test_another_languages_cell_in_a_python_document_is_text_and_a_notebook_gets_it_back_as_written(tmp_path):
    from qmdrender.document import braced_fences_as_written

    text = "```{python}\nx = 1\n```\n\n```{latex}\n$$x$$\n```\n\n  ```{bash}\n  ls\n  ```\n"
    (tmp_path / "doc.qmd").write_text(text, encoding="utf-8")
    cells = read_qmd(tmp_path / "doc.qmd").notebook.cells
    assert [c.cell_type for c in cells] == ["code", "markdown"]  # Quarto's Jupyter engine runs Python only
    assert braced_fences_as_written(cells[1].source) == "```{latex}\n$$x$$\n```\n\n  ```{bash}\n  ls\n  ```"
    # without a Python cell, the kernel the document asks for is not Python: its cells stay cells (shown, not run)
    (tmp_path / "bash.qmd").write_text("```{bash}\nls\n```\n", encoding="utf-8")
    assert [c.cell_type for c in read_qmd(tmp_path / "bash.qmd").notebook.cells] == ["code"]


def test_knitrs_expr_tag_is_read_as_the_r_codes_text_in_cell_options_and_front_matter():
    # the uni.lu deck: "#| fig-cap: !expr glue::glue(...)" stopped the render as YAML it could not read
    options = cell_options('#| fig-cap: !expr glue::glue("{nrow(swiss)} rows")\nplot(1)', language="r")
    assert options == {"fig-cap": 'glue::glue("{nrow(swiss)} rows")'}
    front = parse_yaml("params:\n  day: !expr Sys.Date()\n", "front matter")
    assert front == {"params": {"day": "Sys.Date()"}}
    assert dump_yaml(front) == "params:\n  day: Sys.Date()\n"


def test_a_knitr_header_value_with_calls_and_quoted_brackets_is_one_option(capsys):
    from qmdrender.document import knitr_header_options

    # Quarto's Tufte gallery page: the caption is R code with a call inside a call and "(" in a string
    header = ("fig-two-separate, ref.label='fig-two-together', fig.cap=sprintf(\"Two plots (the %s plot).\", "
              "c(\"first\", \"second\")), message=FALSE")
    assert knitr_header_options(header, "doc.qmd") == {
        "label": "fig-two-separate", "ref-label": "fig-two-together",
        "fig-cap": 'sprintf("Two plots (the %s plot).", c("first", "second"))', "message": False}
    assert capsys.readouterr().err == ""
    assert knitr_header_options('echo=FALSE, fig.cap="open (', "doc.qmd") == {}  # a quote left open
    assert "leaves a quote or bracket open" in capsys.readouterr().err


def test_a_metadata_block_after_a_commented_out_one_is_the_documents_front_matter(tmp_path):
    # a personal site's home page: its old front matter kept in an HTML comment at the top, the real one after
    # it; pandoc and Quarto read a metadata block anywhere after a blank line (later values win, mappings
    # merge), not one in a comment, and text between two rules is no metadata
    path = tmp_path / "index.qmd"
    path.write_text("<!-- ---\ntitle: Old\nabout:\n  template: jolla\n---\n\nOld text. -->\n\n"
                    "---\npagetitle: Home\nphoto: images/me.jpg\nformat:\n  html:\n    toc: true\n---\n\n"
                    "Text.\n\n---\nJust a line between rules.\n---\n\n"
                    "```python\n---\nin_code: 1\n---\n```\n\n---\nformat:\n  html:\n    theme: cosmo\n---\n",
                    encoding="utf-8")
    front = read_qmd(path).front_matter
    assert front == {"pagetitle": "Home", "photo": "images/me.jpg",
                     "format": {"html": {"toc": True, "theme": "cosmo"}}}
