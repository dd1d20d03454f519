"""PowerPoint (``format: pptx``) as a reader opens it: one slide per level-2 heading, a title slide from
the metadata, speaker notes, two columns, a figure with its numbered caption, a data frame as a
PowerPoint table under the (hidden) code, a mermaid diagram as a picture; and the slide formats'
shared default of Quarto's: code is not echoed unless the document asks."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from .conftest import pdf_text, render_cli, require_tool

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


def test_without_a_slide_level_powerpoint_and_beamer_follow_pandocs_rule_as_quarto_does(tmp_path):
    # Quarto sets slide-level 2 for reveal.js only: in PowerPoint and Beamer pandoc's rule decides, the highest
    # heading level with content right under it somewhere. A section heading followed by a picture makes level 1
    # the slides' (Quarto 1.6's PowerPoint of such a deck: 4 slides, each section one slide holding its
    # level-2 headings); the document's own slide-level keeps one slide per level-2 heading
    from PIL import Image

    require_tool("xelatex")
    Image.new("RGB", (60, 40), "green").save(tmp_path / "field.png")
    sections = ("# In the morning\n\n## Getting up\n\n- Turn off alarm\n\n## Breakfast\n\n- Drink coffee\n\n"
                "# In the afternoon\n\n![](field.png)\n\n## Dinner\n\n- Eat spaghetti\n")
    for name, level in (("auto", ""), ("two", "slide-level: 2\n")):
        (tmp_path / f"{name}.qmd").write_text(f"---\ntitle: Day\n{level}---\n\n{sections}", encoding="utf-8")
        code, stderr = render_cli(str(tmp_path / f"{name}.qmd"), "--to", "pptx,beamer", "--output-dir",
                                  str(tmp_path / "out"))
        assert code == 0, stderr
    auto = [s.split(" [")[0] for s in _slides(tmp_path / "out" / "auto.pptx")[:-1]]
    assert auto == ["Day", "In the morning Getting up Turn off alarm Breakfast Drink coffee", "In the afternoon",
                    "Dinner Eat spaghetti"]
    two = [s.split(" [")[0] for s in _slides(tmp_path / "out" / "two.pptx")[:-1]]
    assert two == ["Day", "In the morning", "Getting up Turn off alarm", "Breakfast Drink coffee",
                   "In the afternoon", "", "Dinner Eat spaghetti"]
    frames = [" ".join(p.split()) for p in pdf_text(tmp_path / "out" / "auto.pdf").split("\f") if p.strip()]
    assert frames[1].startswith("In the morning Getting up") and "Breakfast" in frames[1]
    assert len(pdf_text(tmp_path / "out" / "two.pdf").split("\f")) > len(frames)
