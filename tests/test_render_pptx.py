"""PowerPoint (``format: pptx``) as a reader opens it: one slide per level-2 heading, a title slide from
the metadata, speaker notes, two columns, a figure with its numbered caption, a data frame as a
PowerPoint table under the (hidden) code, a mermaid diagram as a picture; and the slide formats'
shared default of Quarto's: code is not echoed unless the document asks."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from .conftest import render_cli

DECK = """\
---
title: Habits
author: Ada Lovelace
format:
  pptx:
    incremental: true
  revealjs: default
  html: default
---

## Getting up

- Turn off alarm
- Get out of bed

::: notes
Only the speaker sees this.
:::

## Two columns

:::: {.columns}
::: {.column}
Left words
:::
::: {.column}
Right words
:::
::::

## A plot

```{python}
#| label: fig-line
#| fig-cap: A rising line
import matplotlib.pyplot as plt
plt.plot([1, 2, 3])
plt.show()
```

## A table

```{python}
import warnings
import pandas as pd
warnings.warn("WARNEDHERE")
pd.DataFrame({"n": [2, 3], "square": [4, 9]})
```

## Diagram

```{mermaid}
graph LR
  Start --> Stop
```

See @fig-line.
"""


def _slides(path: Path) -> list[str]:
    """Each slide's text, in order (DrawingML text runs), and its pictures' and tables' counts."""
    with zipfile.ZipFile(path) as deck:
        names = sorted((n for n in deck.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
                       key=lambda n: int(re.search(r"\d+", n.rsplit("/", 1)[1])[0]))
        slides = []
        for name in names:
            xml = deck.read(name).decode("utf-8")
            text = " ".join(re.findall(r"<a:t>([^<]*)</a:t>", xml))
            slides.append(f"{text} [pictures: {xml.count('<p:pic>')}, tables: {xml.count('<a:tbl>')}]")
        notes = " ".join(deck.read(n).decode("utf-8") for n in deck.namelist() if n.startswith("ppt/notesSlides/"))
    return [*slides, notes]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pptx")
    (folder / "deck.qmd").write_text(DECK, encoding="utf-8")
    code, stderr = render_cli(str(folder / "deck.qmd"), "--to", "pptx,revealjs", "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    assert "not supported" not in stderr
    code, stderr = render_cli(str(folder / "deck.qmd"), "--to", "html", "--output", "page.html", "--output-dir",
                              str(folder / "out"))
    assert code == 0, stderr
    return folder / "out"


def test_a_pptx_deck_has_its_slides_notes_columns_figure_table_and_diagram(rendered):
    *slides, notes = _slides(rendered / "deck.pptx")
    assert len(slides) == 7  # pandoc's writer continues text after a picture on a slide of its own
    assert slides[0].startswith("Habits Ada Lovelace")
    assert "Getting up" in slides[1] and "Turn off alarm" in slides[1]
    assert "Only the speaker sees this." in notes and "Only the speaker" not in " ".join(slides)
    assert "Left words" in slides[2] and "Right words" in slides[2]
    assert re.search(r"Figure\s1: A rising line", slides[3]) and "pictures: 1" in slides[3]
    assert "plt.plot" not in slides[3]  # slides do not echo code by default, as in Quarto
    table = slides[4]
    assert "tables: 1" in table and "square" in table and "9" in table
    assert "WARNEDHERE" not in table  # nor show warnings
    assert "pictures: 1" in slides[5] and "See Figure\u00a01." in slides[6]


def test_slides_hide_code_and_warnings_by_default_but_pages_show_them(rendered):
    deck = (rendered / "deck.html").read_text(encoding="utf-8")
    assert "cell-code" not in deck and "WARNEDHERE" not in deck
    text = (rendered / "page.html").read_text(encoding="utf-8")
    assert "cell-code" in text and "WARNEDHERE" in text


def test_a_document_that_asks_for_code_on_slides_gets_it(tmp_path):
    (tmp_path / "deck.qmd").write_text(
        "---\ntitle: T\nformat: revealjs\nexecute:\n  echo: true\n---\n\n## S\n\n```{python}\nx = 'SHOWNCODE'\n```\n",
        encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    assert "SHOWNCODE" in (tmp_path / "deck.html").read_text(encoding="utf-8")
