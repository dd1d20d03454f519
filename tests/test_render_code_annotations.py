"""Code annotations as Quarto documents them: `# <n>` markers at line ends and the ordered list after the
block or cell. In HTML (headless Chromium) the markers are gone, numbers sit at the annotated lines and the
list follows the code; in PDF the lines keep "# (n)" and the list; `code-annotations: none` drops both."""

from __future__ import annotations

import pytest

from .browser import Browser
from .conftest import pdf_text, render_cli, require_tool

ANNOTATED = """\
---
title: Annotated
format:
  html: default
  pdf: default
---

```r
library(tidyverse)
penguins |>                                      # <1>
  mutate(                                        # <2>
    ratio = depth / length                       # <2>
  )                                              # <2>
```
1. Take `penguins`, and then,
2. add a new column.

```{python}
x = 20  # <1>
print(x + 1)  # <2>
```

1. Set x.
2. Show x + 1.

```{.scss filename="perso.scss"}
$h2-size: 1.6rem; // <1>
```
1. The variables part.

```css
h1 { color: red; } /* <1> */
```
1. Headings in red.

```c
int cpu; // <1>
```
1. Not a marker in C, whose comments are /* */.
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict:
    require_tool("xelatex")
    folder = tmp_path_factory.mktemp("annotations")
    (folder / "doc.qmd").write_text(ANNOTATED, encoding="utf-8")
    (folder / "none.qmd").write_text(ANNOTATED.replace("format:\n  html: default\n  pdf: default\n",
                                                       "format: html\ncode-annotations: none\n"), encoding="utf-8")
    code, stderr = render_cli(str(folder / "doc.qmd"), str(folder / "none.qmd"), "--output-dir", str(folder))
    assert code == 0, stderr
    return {"folder": folder}


# each line, and the number Quarto's anchor (a.code-annotation-anchor, just before the line) gives it
LINES = """(() => Array.from(document.querySelectorAll('div.sourceCode')).map(block =>
    Array.from(block.querySelectorAll('code > span[id]')).map(line => {
      const before = line.previousElementSibling;
      const anchor = before && before.matches('a.code-annotation-anchor') ? before : null;
      return [line.textContent.trimEnd(), anchor ? anchor.textContent : '', anchor ? anchor.title : '',
              anchor ? Math.round(block.getBoundingClientRect().right - anchor.getBoundingClientRect().right) : -1];
    })))()"""


def test_html_shows_numbers_at_annotated_lines_and_the_list_after_the_code(rendered):
    with Browser(1000, 800) as browser:
        browser.open((rendered["folder"] / "doc.html").as_uri(), wait_for="document.readyState === 'complete'")
        blocks = browser.evaluate(LINES)
        lists = browser.evaluate("Array.from(document.querySelectorAll('dl.code-annotation-container-grid > *'),"
                                 " item => item.textContent.trim())")
        targets = browser.evaluate("Array.from(document.querySelectorAll('dl.code-annotation-container-grid dt'),"
                                   " dt => document.getElementById(dt.dataset.targetCell) !== null)")
        text = browser.evaluate("document.body.innerText")
    assert blocks[0][1][:3] == ["penguins |>", "1", "Take penguins, and then,"]
    assert 0 <= blocks[0][1][3] < 40  # at the right of the code, as Quarto places it
    assert blocks[0][2][:2] == ["  mutate(", "2"] and blocks[0][3][1] == ""  # a run of lines: numbered once
    assert blocks[1][0][:3] == ["x = 20", "1", "Set x."] and blocks[1][1][1] == "2"
    # Quarto's grid: each number, then its explanation; the number names the code it annotates
    # a block under its file's name too (the name's bar wrapped the code before its list could find it)
    assert blocks[2][0][:2] == ["$h2-size: 1.6rem;", "1"]
    # each language's own comment carries a marker (CSS's /* <1> */); "// <1>" in C is code, its list a list
    assert blocks[3][0][:2] == ["h1 { color: red; }", "1"] and blocks[4][0][:2] == ["int cpu; // <1>", ""]
    assert lists == ["1", "Take penguins, and then,", "2", "add a new column.", "1", "Set x.", "2", "Show x + 1.",
                     "1", "The variables part.", "1", "Headings in red."]
    assert targets == [True] * 6
    assert "Not a marker in C" in text
    assert "<1>" not in text.replace("int cpu; // <1>", "") and "21" in text  # the cell ran; its output follows


def test_pdf_keeps_the_numbers_as_comments_and_the_list(rendered):
    text = pdf_text(rendered["folder"] / "doc.pdf")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "penguins |> # (1)" in lines and "x = 20 # (1)" in lines and "print(x + 1) # (2)" in lines
    assert "1. Take penguins, and then," in lines and "2. Show x + 1." in lines
    assert "h1 { color: red; } /* (1) */" in lines and "int cpu; // <1>" in lines


def test_code_annotations_none_removes_markers_and_list(rendered):
    with Browser(1000, 800) as browser:
        browser.open((rendered["folder"] / "none.html").as_uri(), wait_for="document.readyState === 'complete'")
        text = browser.evaluate("document.body.innerText")
        anchors = browser.evaluate("document.querySelectorAll('.code-annotation-anchor').length")
    assert "<1>" not in text.replace("int cpu; // <1>", "") and "Set x." not in text and anchors == 0
    assert "penguins |>" in text


def test_an_annotated_cell_waits_for_its_list_and_markers_without_a_list_are_stripped_as_in_quarto(tmp_path):
    # a lecture notebook: an annotated cell, a plain cell, then the list (Quarto's filter writes the plain cell at
    # once and the annotated one with its list after it); a cell whose markers no list explains shows none of them
    (tmp_path / "lecture.qmd").write_text(
        "---\ntitle: Sampling\n---\n\n```{python}\nx = 20  # <1>\nprint(x)\n```\n\n```{python}\nprint('plain')\n```\n\n"
        "1. Set x.\n\nText.\n\n```{python}\ny = 1  # <1>\n```\n\nMore text.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "lecture.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    with Browser(1000, 800) as browser:
        browser.open((tmp_path / "lecture.html").as_uri(), wait_for="document.readyState === 'complete'")
        text = browser.evaluate("document.querySelector('main').innerText")
        anchors = browser.evaluate("Array.from(document.querySelectorAll('a.code-annotation-anchor'),"
                                   " a => a.nextElementSibling.textContent.trim())")
    order = [text.index(part) for part in ("print('plain')", "x = 20", "Set x.", "Text.", "y = 1", "More text.")]
    assert order == sorted(order) and "<1>" not in text
    assert anchors == ["x = 20"]  # numbers come from the list: the last cell has none


def test_a_cells_list_goes_inside_the_cell_after_its_code_and_before_its_outputs(rendered):
    # a course deck's knitr cells (Quarto 1.5): div.cell holds the code, then div.cell-annotation with the list,
    # then what the code printed, as Quarto's filter inserts the list into the cell
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((rendered["folder"] / "doc.html").read_text(encoding="utf-8"), "html.parser")
    cell = next(c for c in soup.select("div.cell") if "x = 20" in c.get_text())
    parts = [" ".join(child.get("class", [])) for child in cell.find_all(True, recursive=False)]
    code = next(i for i, p in enumerate(parts) if "sourceCode" in p or "code-copy-outer-scaffold" in p)
    assert parts[code + 1] == "cell-annotation" and "cell-output-stdout" in parts[code + 2]
    assert [dd.get_text(strip=True) for dd in cell.select("div.cell-annotation dd")] == ["Set x.", "Show x + 1."]


def test_an_incremental_decks_annotation_list_shows_step_by_step_and_a_hidden_one_takes_no_steps(tmp_path):
    from .browser import REVEAL_READY

    deck = ("---\ntitle: Steps\nformat:\n  revealjs:\n    incremental: true\n    code-annotations: {mode}\n---\n\n"
            "## Code\n\n```python\nx = 1  # <1>\ny = 2  # <2>\n```\n\n1. One.\n2. Two.\n\n## Last\n\nEnd.\n")
    for mode in ("below", "hover"):
        (tmp_path / f"{mode}.qmd").write_text(deck.format(mode=mode), encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "below.qmd"), str(tmp_path / "hover.qmd"), "--output-dir",
                              str(tmp_path))
    assert code == 0, stderr
    steps = {}
    with Browser(1280, 720) as browser:
        for mode in ("below", "hover"):
            browser.open((tmp_path / f"{mode}.html").as_uri() + "#/code", wait_for=REVEAL_READY)
            count = 0
            while browser.evaluate("Reveal.getCurrentSlide().id") == "code" and count < 20:
                browser.evaluate("Reveal.next()")
                count += 1
            steps[mode] = count - 1  # the clicks that stayed on the slide
    # each number, then its explanation (Quarto's dt.fragment and dd.fragment); hovered ones are tooltips
    assert steps == {"below": 4, "hover": 0}
