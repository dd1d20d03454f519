"""Typst (``format: typst``) as a reader opens the PDF: Quarto's page options, numbered sections, figure,
table and equation numbers written once (not again by Typst), references, a callout, a theorem, a data
frame as a table and a mermaid diagram as a picture; and a Typst error is one clear error."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import pdf_text, render_cli

DOCUMENT = """\
---
title: A Typst report
author: Ada Lovelace
format:
  typst:
    toc: true
    number-sections: true
    papersize: a4
    keep-typ: true
---

## Results

Maths $x^2$ and a display:

$$
E = mc^2
$$ {#eq-energy}

::: {.callout-warning}
Mind the gap.
:::

```{python}
#| label: fig-line
#| fig-cap: A rising line
import matplotlib.pyplot as plt
plt.plot([1, 2, 3])
plt.show()
```

```{python}
#| label: tbl-frame
#| tbl-cap: Squares
import pandas as pd
pd.DataFrame({"n": [2, 3], "square": [4, 9]})
```

See @fig-line, @tbl-frame and @eq-energy.

::: {#thm-one}
## Pythagoras
$a^2 + b^2 = c^2$.
:::

```{mermaid}
graph LR
  Start --> Stop
```
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("typst")
    (folder / "doc.qmd").write_text(DOCUMENT, encoding="utf-8")
    code, stderr = render_cli(str(folder / "doc.qmd"), "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    assert "not supported" not in stderr
    return folder / "out"


def test_a_typst_pdf_has_numbered_sections_captions_references_and_blocks(rendered):
    text = " ".join(pdf_text(rendered / "doc.pdf").split())
    assert text.startswith("A Typst report Ada Lovelace")
    assert "1 Results" in text  # "##" is the first section level, numbered from 1
    assert text.count("Figure 1: A rising line") == 1 and "Figure 1: Figure 1" not in text
    assert "Table 1: Squares" in text and "square" in text
    assert "See Figure 1, Table 1 and Equation 1." in text
    assert "Warning" in text and "Mind the gap." in text
    assert "Theorem 1 (Pythagoras)" in text
    assert "(1)" in text  # the equation's number
    assert "plt.plot" in text  # a document shows its code (echo's default)
    pages = subprocess.run(["pdfinfo", str(rendered / "doc.pdf")], capture_output=True, text=True).stdout
    assert "(A4)" in pages  # papersize: a4
    images = subprocess.run(["pdfimages", "-list", str(rendered / "doc.pdf")], capture_output=True,
                            text=True).stdout.splitlines()[2:]
    assert len(images) >= 1  # the mermaid diagram is a picture (the matplotlib figure is vector SVG)
    assert (rendered / "doc.typ").is_file()  # keep-typ


def test_a_typst_error_is_one_clear_error(tmp_path):
    (tmp_path / "doc.qmd").write_text("---\ntitle: T\nformat: typst\n---\n\n```{=typst}\n#unknown-function()\n```\n",
                                      encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code != 0
    assert "Typst could not make the PDF" in stderr and "unknown" in stderr
    assert not (tmp_path / "out" / "doc.pdf").exists()


def test_quartos_typst_partials_define_and_apply_a_template_with_an_image_beside_the_document(tmp_path):
    # Quarto's Typst templates (quarto-ext's poster) are two partials: typst-template.typ defines the function,
    # typst-show.typ applies it with the document's options, one an image beside the document
    from PIL import Image

    (tmp_path / "images").mkdir()
    Image.new("RGB", (60, 20), (0, 51, 160)).save(tmp_path / "images" / "logo.png")
    (tmp_path / "typst-template.typ").write_text(
        '#let poster(title: none, footer: none, logo: none, doc) = {\n'
        '  image(logo, width: 3cm)\n  text(size: 20pt)[POSTER #title]\n  doc\n  [FOOTER #footer]\n}\n')
    (tmp_path / "typst-show.typ").write_text(
        '#show: doc => poster(\n$if(title)$\n  title: [$title$],\n$endif$\n  footer: [$footer-text$],\n'
        '  logo: "$institution-logo$",\n  doc,\n)\n')
    (tmp_path / "poster.qmd").write_text(
        "---\ntitle: Vector fields\nformat:\n  typst:\n    footer-text: Spring showcase\n"
        "    institution-logo: ./images/logo.png\n    template-partials: [typst-template.typ, typst-show.typ]\n"
        "---\n\nThe body.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "poster.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "is not a part" not in stderr
    text = " ".join(pdf_text(tmp_path / "out" / "poster.pdf").split())
    assert "POSTER Vector fields" in text and "The body." in text and "FOOTER Spring showcase" in text
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "out" / "poster.pdf")], capture_output=True,
                            text=True).stdout
    assert " 60    20 " in images or "60 20" in " ".join(images.split())  # the logo, found beside the document
    assert not list(tmp_path.glob(".*.typ"))  # compiled from beside the document, and nothing left there
