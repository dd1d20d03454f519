"""A project's committed Quarto ``_freeze`` is used as Quarto uses it, and only when it is this document's.

The stored execution is written here as Quarto writes it (``_freeze/doc/execute-results/html.json``: the
engine's Markdown, the source's MD5, the figures beside it). Its printed value differs from what the code
prints when it runs, so each page shows which one the render used.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from .conftest import render_cli

DOCUMENT = """---
title: Frozen by Quarto
---

Some text.

```{python}
#| echo: false
x = 6 * 7
```

```{python}
#| label: fig-frozen
#| fig-cap: "A frozen figure"
#| echo: false
import matplotlib.pyplot as plt
plt.plot([1, 2])
```

```{python}
print(x)
```
"""

# What Quarto's Jupyter engine wrote for DOCUMENT: the hidden cell without output has no div, the hidden
# figure cell a div without code; only the execution counts tell which hidden cell drew the figure.
FROZEN = """---
title: Frozen by Quarto
---

Some text.

::: {#cell-fig-frozen .cell execution_count=2}
::: {.cell-output .cell-output-display}
![A frozen figure](doc_files/figure-html/fig-frozen-output-1.png){#fig-frozen}
:::
:::

::: {#a1b2c3 .cell execution_count=3}
``` {.python .cell-code}
print(x)
```

::: {.cell-output .cell-output-stdout}
```
41 (as Quarto stored it)
```
:::
:::
"""


def _project(root: Path, document: str = DOCUMENT, frozen: str = FROZEN, freeze: str = "auto",
             engine: str | None = "jupyter", supporting: str = "doc_files/figure-html") -> Path:
    from PIL import Image

    root.mkdir(parents=True, exist_ok=True)
    (root / "_quarto.yml").write_text(f"project:\n  type: default\nexecute:\n  freeze: {freeze}\n", encoding="utf-8")
    (root / "doc.qmd").write_text(document, encoding="utf-8")
    store = root / "_freeze" / "doc"
    (store / "execute-results").mkdir(parents=True)
    (store / "figure-html").mkdir()
    image = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(image, format="PNG")
    (store / "figure-html" / "fig-frozen-output-1.png").write_bytes(image.getvalue())
    result = {"engine": engine, "markdown": frozen, "supporting": [supporting], "filters": [],
              "includes": {}}
    if engine is None:  # as Quarto 1.3 stored it
        del result["engine"]
    stored = {"hash": hashlib.md5(document.encode()).hexdigest(), "result": result}
    (store / "execute-results" / "html.json").write_text(json.dumps(stored), encoding="utf-8")
    return root / "doc.qmd"


def _render(document: Path) -> tuple[str, str]:
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(document.parent / "out"))
    assert code == 0, stderr
    return (document.parent / "out" / "doc.html").read_text(encoding="utf-8"), stderr


def test_an_unchanged_source_shows_the_outputs_quarto_froze_and_runs_nothing(tmp_path):
    page, log = _render(_project(tmp_path / "project"))
    assert "outputs from the project's _freeze" in log
    assert "41 (as Quarto stored it)" in page and ">42<" not in page
    assert "x = 6 * 7" not in page and "plt.plot" not in page  # the hidden cells stay hidden
    assert 'id="fig-frozen"' in page and "Figure 1: A frozen figure" in " ".join(page.split())
    assert "data:image/png;base64," in page  # the figure from _freeze/doc/figure-html


def test_a_changed_source_is_executed_not_answered_from_quarto_s_freeze(tmp_path):
    document = _project(tmp_path / "project")
    document.write_text(DOCUMENT + "\nA sentence added after Quarto froze it.\n", encoding="utf-8")
    page, log = _render(document)
    assert "outputs from the project's _freeze" not in log
    assert "42" in page and "as Quarto stored it" not in page


def test_frozen_cells_that_do_not_line_up_with_the_document_are_not_used(tmp_path):
    document = _project(tmp_path / "project", frozen=FROZEN.replace("print(x)", "print(x + 0)"))
    page, log = _render(document)
    assert "do not line up with the document's code cells and text; executing it" in log
    assert "42" in page and "as Quarto stored it" not in page


def test_without_freeze_the_document_executes_even_beside_quarto_s_freeze(tmp_path):
    page, log = _render(_project(tmp_path / "project", freeze="false"))
    assert "42" in page and "as Quarto stored it" not in page and "outputs from the project's _freeze" not in log


def test_an_r_document_frozen_by_knitr_shows_its_outputs_without_r(tmp_path):
    # knitr runs the css chunk too (its header options count); the Jupyter engine would not
    document = ("---\ntitle: Knitr\n---\n\n```{r}\n1 + 1\n```\n\n```{css, echo=FALSE}\nh1 { color: red; }\n```\n\n"
                "```{r, echo=FALSE}\nplot(1)\n```\n\nThe data have `r nrow(cars)` rows.\n")
    frozen = ("::: {.cell}\n\n```{.r .cell-code}\n1 + 1\n```\n\n::: {.cell-output .cell-output-stdout}\n\n```\n"
              "[1] 2\n```\n\n\n:::\n:::\n\n"
              "::: {.cell}\n<style type=\"text/css\">\nh1 { color: red; }\n</style>\n:::\n\n"
              "::: {.cell}\n::: {.cell-output-display}\n"
              "![](doc_files/figure-html/fig-frozen-output-1.png){width=672}\n:::\n:::\n\nThe data have 50 rows.\n")
    page, log = _render(_project(tmp_path / "project", document, frozen, engine=None))
    assert "shown but not run" not in log and "outputs from the project's _freeze" in log
    assert "[1] 2" in page and "plot(1)" not in page and "data:image/png;base64," in page
    assert "h1 { color: red; }" in page and "{css" not in page and "cell-code" not in page.split("[1] 2")[1]
    assert "The data have 50 rows." in page  # knitr's inline R value, from the frozen text

    # freeze turned off after the _freeze was committed: R cannot run here, so the stored outputs of this unchanged
    # source are shown (with a warning), not bare code; an edited source is shown as code, never with old outputs
    page, log = _render(_project(tmp_path / "off", document, frozen, engine=None, freeze="false"))
    assert "freeze is off, but its css, r cells cannot run here" in " ".join(log.split())
    assert "[1] 2" in page and "The data have 50 rows." in page
    edited = _project(tmp_path / "edited", document, frozen, engine=None, freeze="false")
    edited.write_text(document.replace("1 + 1", "1 + 2"), encoding="utf-8")
    page, log = _render(edited)
    assert "shown but not run" in log and "[1] 2" not in page and "freeze is off" not in log


def test_an_updated_quarto_freeze_is_never_reported_up_to_date(tmp_path):
    document = _project(tmp_path / "project")
    page, _ = _render(document)
    assert "41 (as Quarto stored it)" in page
    _, log = _render(document)
    assert "up to date" in log  # nothing changed: the page stands
    results = tmp_path / "project" / "_freeze" / "doc" / "execute-results" / "html.json"
    results.write_text(results.read_text(encoding="utf-8").replace("41 (as Quarto", "43 (as Quarto"),
                       encoding="utf-8")
    page, log = _render(document)
    assert "up to date" not in log and "43 (as Quarto stored it)" in page


def test_a_cell_shown_with_echo_fenced_pairs_with_its_fenced_frozen_code(tmp_path):
    from qmdrender.document import read_qmd
    from qmdrender.quarto_freeze import frozen_cells, thaw_quarto

    (tmp_path / "doc.qmd").write_text("```{python}\n#| echo: fenced\n1 + 1\n```\n", encoding="utf-8")
    notebook = read_qmd(tmp_path / "doc.qmd").notebook
    frozen = ("::: {.cell execution_count=1}\n```` { .cell-code}\n```{{python}}\n#| echo: fenced\n1 + 1\n```\n"
              "````\n\n::: {.cell-output .cell-output-display execution_count=1}\n```\n2\n```\n:::\n:::\n")
    cells = frozen_cells(frozen, [], tmp_path, tmp_path)
    thawed = thaw_quarto(notebook, cells, {"execute": {}})
    assert thawed is not None
    assert thawed.cells[0].outputs[0]["data"] == {"text/plain": "2"}
    assert thaw_quarto(notebook, frozen_cells(frozen.replace("1 + 1", "1 + 2"), [], tmp_path, tmp_path),
                       {"execute": {}}) is None


def test_inline_expressions_take_the_values_quarto_wrote_in_the_text(tmp_path):
    document = DOCUMENT + "\nThe answer is `{python} x` today.\n"
    frozen = FROZEN + "\nThe answer is 41 (inline, frozen) today.\n"
    page, log = _render(_project(tmp_path / "project", document, frozen))
    assert "outputs from the project's _freeze" in log
    assert "The answer is 41 (inline, frozen) today." in " ".join(page.split())
    changed = FROZEN + "\nA different sentence: 41.\n"  # the text around the value is not there
    page, log = _render(_project(tmp_path / "other", document, changed))
    assert "do not line up" in log and "The answer is 42 today." in " ".join(page.split())


def test_a_document_that_includes_files_runs_as_the_hash_does_not_cover_them_unless_its_cells_cannot_run(tmp_path):
    document = _project(tmp_path / "project", DOCUMENT + "\n{{< include _part.qmd >}}\n",
                        FROZEN + "\nFrom the part.\n")
    (document.parent / "_part.qmd").write_text("From the part.\n", encoding="utf-8")
    page, log = _render(document)
    assert "includes other files" in log and "42" in page and "as Quarto stored it" not in page

    # R cells, which cannot run here: the stored outputs are shown, as Quarto shows them (a workshop's deck made
    # of included parts), with a warning that the hash does not cover the parts
    document = "---\ntitle: Parts\n---\n\n{{< include _part.qmd >}}\n"
    frozen = ("From the part.\n\n::: {.cell}\n\n```{.r .cell-code}\n1 + 1\n```\n\n"
              "::: {.cell-output .cell-output-stdout}\n\n```\n[1] 2 (knitr)\n```\n\n\n:::\n:::\n")
    r_document = _project(tmp_path / "r", document, frozen, engine="knitr")
    (r_document.parent / "_part.qmd").write_text("From the part.\n\n```{r}\n1 + 1\n```\n", encoding="utf-8")
    page, log = _render(r_document)
    assert "its cells cannot run here: showing the stored outputs" in " ".join(log.split())
    assert "[1] 2 (knitr)" in page and "shown but not run" not in log
    # an edited part's code does not line up with the store: shown as code, never with the old outputs (and not
    # said to show them)
    (r_document.parent / "_part.qmd").write_text("From the part.\n\n```{r}\n1 + 2\n```\n", encoding="utf-8")
    page, log = _render(r_document)
    assert "[1] 2 (knitr)" not in page and "do not line up" in log and "showing the stored outputs" not in log


def test_a_knitr_chunk_whose_code_knitr_split_around_its_outputs_still_pairs(tmp_path):
    # knitr writes a chunk's code in pieces, each followed by what it printed (quarto-web's penguins-qmd.qmd)
    document = "---\ntitle: Split\n---\n\n```{r}\n#| label: two-prints\nlibrary(stats)\nprint(1)\nprint(2)\n```\n"
    frozen = ("::: {.cell}\n\n```{.r .cell-code}\nlibrary(stats)\nprint(1)\n```\n\n"
              "::: {.cell-output .cell-output-stdout}\n\n```\n[1] 1 (knitr)\n```\n\n\n:::\n\n"
              "```{.r .cell-code}\nprint(2)\n```\n\n"
              "::: {.cell-output .cell-output-stdout}\n\n```\n[1] 2 (knitr)\n```\n\n\n:::\n:::\n")
    page, log = _render(_project(tmp_path / "project", document, frozen, engine="knitr"))
    assert "outputs from the project's _freeze" in log and "shown but not run" not in log
    # each piece of code, then what it printed, as knitr wrote them and Quarto's page shows them
    from bs4 import BeautifulSoup

    cell = BeautifulSoup(page, "html.parser").select_one("div.cell")
    shown = [" ".join(p.get_text().split()) for p in cell.select("pre")]
    assert shown == ["library(stats) print(1)", "[1] 1 (knitr)", "print(2)", "[1] 2 (knitr)"]
    assert cell.get("id") is None  # knitr names no chunk's div (Quarto's Jupyter engine writes cell-<label>)

    # folded code is folded piece by piece, each fold before what it printed (a course's notes: code-fold: true)
    folded = document.replace("title: Split\n", "title: Split\ncode-fold: true\n")
    page, log = _render(_project(tmp_path / "folded", folded, frozen, engine="knitr"))
    assert "outputs from the project's _freeze" in log
    cell = BeautifulSoup(page, "html.parser").select_one("div.cell")
    shown = [(child.name, " ".join(child.get_text().split()).removeprefix("Code ")) for child in cell.find_all(
        ["details", "div"], recursive=False)]
    assert shown == [("details", "library(stats) print(1)"), ("div", "[1] 1 (knitr)"), ("details", "print(2)"),
                     ("div", "[1] 2 (knitr)")]


def test_a_code_span_of_three_backticks_on_its_own_line_is_not_a_fence_that_hides_the_next_cell(tmp_path):
    from qmdrender.document import read_qmd
    from qmdrender.quarto_freeze import frozen_cells, thaw_quarto

    # a course page writes ```Show me the money``` as a line of its own: inline code, not a fence; a fence's
    # attributes may hold single backticks (code-summary)
    source = ("```Show me the money```\n\n```{python}\nprint('a')\n```\n\n```{python}\n"
              "#| code-summary: \"Show `b()`\"\nprint('b')\n```\n")
    (tmp_path / "doc.qmd").write_text(source, encoding="utf-8")
    frozen = ("```Show me the money```\n\n"
              "::: {.cell execution_count=1}\n``` {.python .cell-code}\nprint('a')\n```\n\n"
              "::: {.cell-output .cell-output-stdout}\n```\na (frozen)\n```\n:::\n:::\n\n"
              "::: {.cell execution_count=2}\n``` {.python .cell-code code-summary=\"Show `b()`\"}\nprint('b')\n```\n\n"
              "::: {.cell-output .cell-output-stdout}\n```\nb (frozen)\n```\n:::\n:::\n")
    cells = frozen_cells(frozen, [], tmp_path, tmp_path)
    assert [cell.code for cell in cells] == ["print('a')", "print('b')"]
    thawed = thaw_quarto(read_qmd(tmp_path / "doc.qmd").notebook, cells, {"execute": {}})
    assert thawed is not None and thawed.cells[1].outputs[0]["text"] == "a (frozen)\n"
    assert thawed.cells[2].outputs[0]["text"] == "b (frozen)\n"


def test_a_store_written_with_every_cells_code_hidden_pairs_by_execution_counts(tmp_path):
    from qmdrender.document import read_qmd
    from qmdrender.quarto_freeze import frozen_cells, thaw_quarto

    # Quarto froze the page while echo was false (another profile); the code is shown now
    (tmp_path / "doc.qmd").write_text("```{python}\nprint('a')\n```\n\n```{python}\nprint('b')\n```\n",
                                      encoding="utf-8")
    notebook = read_qmd(tmp_path / "doc.qmd").notebook
    frozen = "".join(f"::: {{.cell execution_count={n}}}\n\n::: {{.cell-output .cell-output-stdout}}\n```\n"
                     f"{name} (frozen)\n```\n:::\n:::\n\n" for n, name in ((1, "a"), (2, "b")))
    thawed = thaw_quarto(notebook, frozen_cells(frozen, [], tmp_path, tmp_path), {"execute": {}})
    assert thawed is not None
    assert [cell.outputs[0]["text"] for cell in thawed.cells] == ["a (frozen)\n", "b (frozen)\n"]
    # counts that do not follow the cells' order pair nothing
    shuffled = frozen.replace("execution_count=2", "execution_count=5")
    assert thaw_quarto(notebook, frozen_cells(shuffled, [], tmp_path, tmp_path), {"execute": {}}) is None


def test_a_cell_with_eval_false_has_its_own_execution_count_in_quartos_store(tmp_path):
    from qmdrender.document import read_qmd
    from qmdrender.quarto_freeze import frozen_cells, thaw_quarto

    # Quarto's Jupyter engine numbers every code cell, run or not (a course's pandas notebook: counts 19, 20, 21
    # around an eval: false cell, which shows its code without output); an empty cell is not in its notebook
    # and takes no number
    (tmp_path / "doc.qmd").write_text("```{python}\nprint('a')\n```\n\n```{python}\n#| eval: false\nskipped()\n```"
                                      "\n\n```{python}\n\n```\n\n```{python}\nprint('b')\n```\n", encoding="utf-8")
    notebook = read_qmd(tmp_path / "doc.qmd").notebook

    def store(counts: tuple[int, int, int]) -> str:
        a, skipped, b = counts
        return (f"::: {{.cell execution_count={a}}}\n``` {{.python .cell-code}}\nprint('a')\n```\n\n"
                "::: {.cell-output .cell-output-stdout}\n```\na (frozen)\n```\n:::\n:::\n\n"
                f"::: {{.cell execution_count={skipped}}}\n``` {{.python .cell-code}}\nskipped()\n```\n:::\n\n"
                f"::: {{.cell execution_count={b}}}\n``` {{.python .cell-code}}\nprint('b')\n```\n\n"
                "::: {.cell-output .cell-output-stdout}\n```\nb (frozen)\n```\n:::\n:::\n")

    thawed = thaw_quarto(notebook, frozen_cells(store((1, 2, 3)), [], tmp_path, tmp_path), {"execute": {}})
    assert thawed is not None
    assert [[o["text"] for o in cell.outputs] for cell in thawed.cells if cell.cell_type == "code"] == [
        ["a (frozen)\n"], [], [], ["b (frozen)\n"]]
    # counts out of the cells' order still pair nothing
    assert thaw_quarto(notebook, frozen_cells(store((1, 3, 2)), [], tmp_path, tmp_path), {"execute": {}}) is None


def test_a_frozen_plotly_figure_that_loads_plotly_from_its_cdn_is_drawn_offline(tmp_path):
    from .browser import Browser

    document = "---\ntitle: Plotly\n---\n\n```{python}\nfig.show()\n```\n"
    figure = ('<div>  <script charset="utf-8" src="https://cdn.plot.ly/plotly-3.7.0.min.js" integrity="sha256-x" '
              'crossorigin="anonymous"></script>  <div id="frozen-plot" class="plotly-graph-div" '
              'style="height:300px; width:400px;"></div>  <script>  if (document.getElementById("frozen-plot")) {'
              ' Plotly.newPlot("frozen-plot", [{"x": [1, 2, 3], "y": [2, 1, 3], "type": "scatter"}], {}, {}) };'
              '</script></div>')
    frozen = ("::: {#a1 .cell execution_count=1}\n``` {.python .cell-code}\nfig.show()\n```\n\n"
              f"::: {{.cell-output .cell-output-display}}\n```{{=html}}\n{figure}\n```\n:::\n:::\n")
    page, log = _render(_project(tmp_path / "project", document, frozen))
    assert "outputs from the project's _freeze" in log and "cdn.plot.ly" not in log  # nothing to fetch
    assert 'src="https://cdn.plot.ly' not in page
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "project" / "out" / "doc.html").as_uri(),
                     wait_for="document.readyState === 'complete'")
        browser.wait("document.querySelector('#frozen-plot .main-svg') !== null", timeout=15)
        assert browser.evaluate("document.querySelectorAll('#frozen-plot .scatterlayer .trace').length") == 1


def test_a_stored_coloured_traceback_is_shown_in_its_colours_not_as_html_source(tmp_path):
    from qmdrender.ansi import to_html
    from qmdrender.document import read_qmd
    from qmdrender.quarto_freeze import frozen_cells, thaw_quarto

    # Quarto's engine stores a coloured output as HTML inside an ansi-escaped-output div (a course's Spark
    # notebook: its ValueError traceback was shown as the HTML's source)
    (tmp_path / "doc.qmd").write_text("```{python}\nsc = start()\n```\n", encoding="utf-8")
    frozen = ("::: {.cell execution_count=1}\n``` {.python .cell-code}\nsc = start()\n```\n\n"
              "::: {.cell-output .cell-output-error}\n\n::: {.ansi-escaped-output}\n\n```{=html}\n"
              '<pre><span style="font-weight:bold;color:rgb(0,135,0)">from</span> x\n'
              '<span class="ansi-red-fg">ValueError</span>: gateway &lt;off&gt;</pre>\n```\n\n:::\n\n:::\n:::\n')
    thawed = thaw_quarto(read_qmd(tmp_path / "doc.qmd").notebook, frozen_cells(frozen, [], tmp_path, tmp_path),
                         {"execute": {}})
    assert thawed is not None
    error = thawed.cells[0].outputs[0]
    assert (error["output_type"], error["ename"], error["evalue"]) == ("error", "ValueError", "gateway <off>")
    shown = to_html("\n".join(error["traceback"]))
    assert '<span class="ansi-red-fg">ValueError</span>' in shown and "&lt;off&gt;" in shown
    assert "{=html}" not in shown and "&lt;span" not in shown and 'style="color:rgb(0,135,0)"' in shown


def test_a_hidden_setup_cell_that_quarto_wrote_no_div_for_does_not_shift_the_outputs(tmp_path):
    from qmdrender.document import read_qmd
    from qmdrender.quarto_freeze import frozen_cells, thaw_quarto

    # a deck with every cell's code hidden (a course's slides): the setup cell (include: false) has no div in
    # Quarto's store, so its first div (count 2) is the second cell's; pairing it with the setup cell moved
    # every figure one slide on and lost the last
    cells = "".join(f"```{{python}}\n#| echo: false\nprint('{name}')\n```\n\n" for name in ("a", "b", "c"))
    (tmp_path / "doc.qmd").write_text("```{python}\n#| include: false\nsetup = 1\n```\n\n" + cells,
                                      encoding="utf-8")
    notebook = read_qmd(tmp_path / "doc.qmd").notebook
    frozen = "".join(f"::: {{.cell execution_count={n}}}\n\n::: {{.cell-output .cell-output-stdout}}\n```\n"
                     f"{name} (frozen)\n```\n:::\n:::\n\n" for n, name in ((2, "a"), (3, "b"), (4, "c")))
    thawed = thaw_quarto(notebook, frozen_cells(frozen, [], tmp_path, tmp_path), {"execute": {}})
    assert thawed is not None
    assert [[o["text"] for o in cell.outputs] for cell in thawed.cells if cell.cell_type == "code"] == [
        [], ["a (frozen)\n"], ["b (frozen)\n"], ["c (frozen)\n"]]


def test_a_labelled_frozen_cell_pairs_only_with_the_cell_of_that_label(tmp_path):
    from qmdrender.document import read_qmd
    from qmdrender.quarto_freeze import frozen_cells, thaw_quarto

    # without execution counts only the label (Quarto's #cell-<label>) tells two hidden cells apart
    (tmp_path / "doc.qmd").write_text("".join(f"```{{python}}\n#| label: {name}\n#| echo: false\nprint('{name}')"
                                              "\n```\n\n" for name in ("first", "second")), encoding="utf-8")
    notebook = read_qmd(tmp_path / "doc.qmd").notebook
    frozen = ("::: {#cell-second .cell}\n\n::: {.cell-output .cell-output-stdout}\n```\nsecond (frozen)\n```\n"
              ":::\n:::\n")
    thawed = thaw_quarto(notebook, frozen_cells(frozen, [], tmp_path, tmp_path), {"execute": {}})
    assert thawed is not None
    assert [[o["text"] for o in cell.outputs] for cell in thawed.cells if cell.cell_type == "code"] == [
        [], ["second (frozen)\n"]]
    # a label the document does not have pairs nothing
    assert thaw_quarto(notebook, frozen_cells(frozen.replace("cell-second", "cell-third"), [], tmp_path, tmp_path),
                       {"execute": {}}) is None


def test_a_store_written_on_windows_finds_its_figures_and_knitrs_stored_option_lines_still_pair(tmp_path):
    # Quarto's manuscript template, frozen on Windows: "supporting" names index_files\figure-html, and knitr kept
    # the chunk's #| lines in the code it stored hidden (.hidden: the article shows no code)
    document = ("---\ntitle: Knitr\n---\n\n```{r}\n#| label: fig-dots\n#| fig-cap: Dots\nplot(1)\n```\n")
    frozen = ("::: {#cell-fig-dots .cell}\n\n```{.r .cell-code .hidden}\n#| label: fig-dots\n#| fig-cap: Dots\n"
              "plot(1)\n```\n\n::: {.cell-output-display}\n"
              "![Dots](doc_files/figure-html/fig-frozen-output-1.png){#fig-dots}\n:::\n:::\n")
    page, log = _render(_project(tmp_path / "project", document, frozen, engine="knitr",
                                 supporting="doc_files\\figure-html"))
    assert "outputs from the project's _freeze" in log and "executing it" not in log, log
    assert "data:image/png;base64," in page and "Figure 1: Dots" in " ".join(page.split())


def test_a_cell_quarto_ran_inside_an_html_comment_keeps_the_other_outputs_in_place(tmp_path):
    from qmdrender.document import read_qmd
    from qmdrender.quarto_freeze import frozen_cells, thaw_quarto

    # a course's page keeps older cells inside <!-- ... -->: Quarto's engine ran them (count 2) and wrote their
    # divs inside the comment; the cells around them pair with their own outputs, the commented one shows none
    (tmp_path / "doc.qmd").write_text("```{python}\nprint('a')\n```\n\n<!--\n```{python}\nprint('old')\n```\n-->\n\n"
                                      "```{python}\nprint('b')\n```\n", encoding="utf-8")
    notebook = read_qmd(tmp_path / "doc.qmd").notebook

    def div(count: int, name: str) -> str:
        return (f"::: {{.cell execution_count={count}}}\n``` {{.python .cell-code}}\nprint('{name}')\n```\n\n"
                f"::: {{.cell-output .cell-output-stdout}}\n```\n{name} (frozen)\n```\n:::\n:::\n\n")

    frozen = div(1, "a") + "<!--\n" + div(2, "old") + "-->\n\n" + div(3, "b")
    thawed = thaw_quarto(notebook, frozen_cells(frozen, [], tmp_path, tmp_path), {"execute": {}})
    assert thawed is not None
    assert [[o["text"] for o in cell.outputs] for cell in thawed.cells if cell.cell_type == "code"] == [
        ["a (frozen)\n"], [], ["b (frozen)\n"]]


def test_a_source_saved_with_windows_line_ends_has_the_hash_quarto_stored_for_it(tmp_path):
    # Quarto hashes the text with LF line ends (and Deno drops a byte order mark), so a document saved on
    # Windows has the hash stored on any system
    document = _project(tmp_path / "project")
    document.write_bytes(b"\xef\xbb\xbf" + DOCUMENT.replace("\n", "\r\n").encode())
    page, log = _render(document)
    assert "outputs from the project's _freeze" in log
    assert "41 (as Quarto stored it)" in page and ">42<" not in page


def test_a_knitr_chunk_with_collapse_shows_its_outputs_inside_its_code_block(tmp_path):
    # collapse: true makes knitr write what the chunk printed into its code block, behind "## "
    document = "---\ntitle: Collapsed\n---\n\n```{r}\n#| collapse: true\nx <- 1\nx\nx + 1\n```\n"
    frozen = ("::: {.cell}\n\n```{.r .cell-code}\nx <- 1\nx\n## [1] 1 (knitr)\nx + 1\n## [1] 2 (knitr)\n```\n:::\n")
    page, log = _render(_project(tmp_path / "project", document, frozen, engine="knitr"))
    assert "outputs from the project's _freeze" in log and "shown but not run" not in log
    from bs4 import BeautifulSoup

    blocks = BeautifulSoup(page, "html.parser").select("div.cell pre code")
    assert [" ".join(b.get_text().split()) for b in blocks] == ["x <- 1 x ## [1] 1 (knitr) x + 1 ## [1] 2 (knitr)"]
    assert "#| collapse" not in page  # the option line stays out of the page, as ever


def test_a_frozen_output_goes_to_the_hidden_cell_that_shows_it_not_to_an_included_false_one_before(tmp_path):
    # both chunks hide their code and knitr writes no execution counts; a chunk with include: false has no
    # div in the store at all (either engine), so the table is the echo: false chunk's
    document = ("---\ntitle: Hidden\n---\n\n```{r}\n#| include: false\nx <- 1\n```\n\n"
                "```{r}\n#| echo: false\nknitr::kable(x)\n```\n")
    frozen = "::: {.cell}\n::: {.cell-output-display}\n\n| the frozen table |\n|---|\n| 1 |\n\n:::\n:::\n"
    page, log = _render(_project(tmp_path / "project", document, frozen, engine="knitr"))
    assert "outputs from the project's _freeze" in log and "the frozen table" in page


def test_a_knitr_chunk_with_ref_label_pairs_with_the_code_knitr_ran_and_shows_it(tmp_path):
    # an empty chunk with ref.label runs (and shows) the named chunk's code; knitr drops the blank lines
    # between the pieces it cuts a chunk's code into around its outputs
    document = ("---\ntitle: Borrowed\n---\n\n```{r}\n#| label: plot-code\n#| fig-show: hide\nx <- 1\n\nx + 1\n```\n\n"
                "```{r}\n#| ref.label: plot-code\n```\n")
    frozen = ("::: {.cell}\n\n```{.r .cell-code}\nx <- 1\nx + 1\n```\n:::\n\n"
              "::: {.cell}\n\n```{.r .cell-code}\nx <- 1\n```\n\n"
              "::: {.cell-output .cell-output-stdout}\n\n```\n(a message)\n```\n\n:::\n\n"
              "```{.r .cell-code}\nx + 1\n```\n\n"
              "::: {.cell-output .cell-output-stdout}\n\n```\n[1] 2 (borrowed)\n```\n\n:::\n:::\n")
    page, log = _render(_project(tmp_path / "project", document, frozen, engine="knitr"))
    assert "outputs from the project's _freeze" in log and "[1] 2 (borrowed)" in page
    from bs4 import BeautifulSoup

    shown = [" ".join(b.get_text().split()) for b in BeautifulSoup(page, "html.parser").select("div.cell pre")]
    # the second chunk shows the code it borrowed, in the pieces knitr cut it into, each with its output
    assert shown == ["x <- 1 x + 1", "x <- 1", "(a message)", "x + 1", "[1] 2 (borrowed)"]


def test_an_inline_value_knitr_wrote_over_several_lines_is_found(tmp_path):
    # an icon's SVG, written by knitr as raw HTML over several lines, between two inline expressions
    document = "---\ntitle: Icons\n---\n\nServer: `r icon('r')` + `r icon('server')` here.\n"
    frozen = ("Server: `<svg class=\"one\">\n<path/>\n</svg>`{=html} + `<svg class=\"two\">\n</svg>`{=html} here.\n")
    page, log = _render(_project(tmp_path / "project", document, frozen, engine="knitr"))
    assert "outputs from the project's _freeze" in log
    assert '<svg class="one">' in page and '<svg class="two">' in page and "icon(" not in page


def test_an_inline_value_that_starts_or_ends_a_paragraph_is_found_whole(tmp_path):
    # a course's schedule: "Schedule updated `r format(Sys.time(), ...)`" ends its paragraph (the value ran to the
    # end of it in Quarto's page, and came out empty here), and a value may start one
    document = ("---\ntitle: Schedule\n---\n\nSchedule updated `r format(Sys.time())`\n\n"
                "`r n` sessions in all.\n\nThe end.\n")
    frozen = "Schedule updated Mon Feb 16 12:08:25 PM 2026\n\n\n12 sessions in all.\n\nThe end.\n"
    page, log = _render(_project(tmp_path / "project", document, frozen, engine="knitr"))
    assert "outputs from the project's _freeze" in log
    assert "Schedule updated Mon Feb 16 12:08:25 PM 2026</p>" in page and "<p>12 sessions in all.</p>" in page


def test_a_store_committed_without_a_figure_keeps_its_other_outputs_and_names_the_figure(tmp_path):
    # Quarto uses its store as it is; the figure it cannot find stays a link to the name the engine wrote
    document = _project(tmp_path / "project")
    (tmp_path / "project" / "_freeze" / "doc" / "figure-html" / "fig-frozen-output-1.png").unlink()
    page, log = _render(document)
    assert "outputs from the project's _freeze" in log and "41 (as Quarto stored it)" in page
    assert "without 1 of their figures (doc_files/figure-html/fig-frozen-output-1.png)" in log
    assert 'src="doc_files/figure-html/fig-frozen-output-1.png"' in page
    # one figure, the cell's, numbered and captioned once (the link had become a sub-figure "(a)" inside it)
    assert page.count('id="fig-frozen"') == 1 and "quarto-subfloat" not in page
    assert "Figure 1: A frozen figure" in " ".join(page.replace("&nbsp;", " ").split())


def test_a_missing_figure_put_beside_the_document_later_renders_the_page_again(tmp_path):
    # Australian Rainfall Dynamics' book: its store names figures that lie in neither _freeze nor beside the
    # chapter; once they are put in doc_files/ the page must take them, not stay "up to date" with the links
    document = _project(tmp_path / "project")
    store_figure = tmp_path / "project" / "_freeze" / "doc" / "figure-html" / "fig-frozen-output-1.png"
    picture = store_figure.read_bytes()
    store_figure.unlink()
    page, log = _render(document)
    assert 'src="doc_files/figure-html/fig-frozen-output-1.png"' in page
    beside = tmp_path / "project" / "doc_files" / "figure-html"
    beside.mkdir(parents=True)
    (beside / "fig-frozen-output-1.png").write_bytes(picture)
    page, log = _render(document)
    assert "up to date" not in log and "without 1 of their figures" not in log
    assert "data:image/png;base64," in page and 'src="doc_files/figure-html' not in page



def test_a_kable_tables_own_caption_is_its_floats_and_what_the_cell_printed_stays_above_it(tmp_path):
    # Australian Rainfall Dynamics (Quarto 1.8, knitr): a tbl- labelled chunk without tbl-cap prints a line, then
    # a kable table with a caption; Quarto's page has the line above the float and the table's caption as the
    # float's ("Table 1: Sunshine missingness"), the table without a caption of its own
    document = ("---\ntitle: Tables\n---\n\n```{r}\n#| label: tbl-sun\ncat('Stations: 49')\nrender_table()\n"
                "```\n\nSee @tbl-sun.\n")
    frozen = ("::: {#tbl-sun .cell}\n\n```{.r .cell-code}\ncat('Stations: 49')\nrender_table()\n```\n\n"
              "::: {.cell-output .cell-output-stdout}\n\n```\nStations: 49\n```\n\n:::\n\n"
              "::: {.cell-output-display}\n\n`````{=html}\n<table class=\"table\">\n<caption>Sunshine missingness"
              "</caption>\n<thead><tr><th>Day</th><th>Missing</th></tr></thead>\n<tbody><tr><td>Dry</td>"
              "<td>47.8</td></tr></tbody>\n</table>\n`````\n\n:::\n:::\n\nSee @tbl-sun.\n")
    page, log = _render(_project(tmp_path / "project", document, frozen, engine="knitr"))
    assert "outputs from the project's _freeze" in log
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    float_ = soup.select_one("div#tbl-sun.quarto-float")
    assert " ".join(float_.select_one("figcaption").get_text().split()) == "Table 1: Sunshine missingness"
    assert float_.select_one("table caption") is None and "47.8" in float_.get_text()
    printed = float_.find_previous_sibling("div")
    assert "cell-output-stdout" in printed["class"] and "Stations: 49" in printed.get_text()
    assert "Stations: 49" not in float_.get_text()


def test_a_stored_r_error_is_shown_as_quarto_stored_it_with_no_exception_line_made_up(tmp_path):
    # an R error in Quarto's freeze names no exception ("Error in `mutate()`: ..." ending "  details."): the page
    # shows its text alone, as Quarto's, not "  details.: " over it (a lab site's rowwise post)
    from qmdrender.document import read_qmd
    from qmdrender.quarto_freeze import frozen_cells, thaw_quarto

    (tmp_path / "doc.qmd").write_text("---\nengine: knitr\n---\n\n```{r}\nmutate(n, x = f())\n```\n", encoding="utf-8")
    frozen = ("::: {.cell}\n\n```{.r .cell-code}\nmutate(n, x = f())\n```\n\n"
              "::: {.cell-output .cell-output-error}\n\n```\nError in `mutate()`:\nCaused by error:\n"
              "! `f()` must be used within a *selecting* function.\n  details.\n```\n\n\n:::\n:::\n")
    thawed = thaw_quarto(read_qmd(tmp_path / "doc.qmd").notebook, frozen_cells(frozen, [], tmp_path, tmp_path),
                         {"execute": {}}, engine="knitr")
    assert thawed is not None
    error = next(c for c in thawed.cells if c.cell_type == "code").outputs[0]
    assert (error["output_type"], error["ename"], error["evalue"]) == ("error", "", "")
    assert error["traceback"][0] == "Error in `mutate()`:" and error["traceback"][-1] == "  details."
