"""Markdown as the output (``format: gfm``, ``commonmark``, ``markdown``): a ``README.qmd`` becomes the
``README.md`` that GitHub shows, as Quarto writes it. Read back as GitHub reads it (pandoc's GFM reader), the
file has its title, code, printed output, the plot as an image file beside it, the callout as a GitHub alert,
numbered figures and tables with their captions and links, a mermaid block GitHub draws, and only the
content meant for Markdown."""

from __future__ import annotations

import re

import pypandoc

from .conftest import render_cli

README = """\
---
title: My Project
author: Ada Lovelace
format: gfm
filters: [formats.lua]
---

Install it with `pip`; see https://quarto.org and[^1].

[^1]: A footnote.

::: callout-note
## Before you start

Read this first.
:::

::: {.callout-warning}
Mind the gap.
:::

```{python}
#| label: fig-line
#| fig-cap: A rising line
import matplotlib.pyplot as plt
plt.plot([1, 3, 2])
plt.show()
```

```{python}
print("hello from python")
```

See @fig-line and @tbl-pets.

| Pet | Rating |
|-----|--------|
| Dog | 4/5    |

: Pets {#tbl-pets}

![A picture](images/pic.png)

```{mermaid}
flowchart LR
  A --> B
```

::: {.content-visible when-format="html"}
Only on the web page.
:::

::: {.content-visible when-format="markdown"}
Only in the Markdown.
:::

Write `{{{< meta title >}}}` to show a shortcode.
"""

PNG = b"\x89PNG\r\n\x1a\n"
# a filter of the author's that asks Quarto's Lua API which format it writes
FORMATS_FILTER = """
function Pandoc(doc)
  local said = "gfm " .. tostring(quarto.doc.is_format("gfm")) .. ", markdown " ..
    tostring(quarto.doc.is_format("markdown")) .. ", html " .. tostring(quarto.doc.is_format("html"))
  doc.blocks:insert(pandoc.Para(pandoc.Str(said)))
  return doc
end
"""


def _as_github_shows(markdown: str) -> str:
    return pypandoc.convert_text(markdown, "html", format="gfm", extra_args=["--wrap=none"])


def test_a_readme_in_gfm_is_the_markdown_github_shows_with_its_plot_beside_it(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "pic.png").write_bytes(PNG + b"picture")
    (tmp_path / "README.qmd").write_text(README)
    (tmp_path / "formats.lua").write_text(FORMATS_FILTER)
    out = tmp_path / "out"
    code, stderr = render_cli(str(tmp_path / "README.qmd"), "--output-dir", str(out))
    assert code == 0, stderr
    text = (out / "README.md").read_text()
    assert text.startswith("# My Project\nAda Lovelace\n")
    assert "``` python\nimport matplotlib.pyplot as plt" in text
    assert "\n    hello from python\n" in text  # printed output: an indented block, as Quarto writes it
    assert "<div class=\"cell" not in text and ":::" not in text  # no cell divs
    assert "> [!NOTE]\n>\n> ### Before you start\n>\n> Read this first." in text
    assert "> [!WARNING]\n>\n> Mind the gap." in text  # no title of its own: none made up
    plots = re.findall(r"!\[\]\((README_files/figure-commonmark/[^)]+\.png)\)", text)
    assert len(plots) == 1 and (out / plots[0]).read_bytes().startswith(PNG)
    assert (out / "images" / "pic.png").read_bytes() == PNG + b"picture"  # the text's own image, published
    assert "![A picture](images/pic.png)" in text
    assert "``` mermaid\nflowchart LR" in text
    assert "Only in the Markdown." in text and "Only on the web page." not in text
    assert "`{{< meta title >}}`" in text
    assert "gfm true, markdown true, html false" in text
    shown = _as_github_shows(text).replace("\xa0", " ")  # "Figure 1" does not break between its words
    assert re.search(r'<div id="fig-line">\s*<p><img src="README_files/figure-commonmark/[^"]+" /></p>\s*'
                     r"<p>Figure 1: A rising line</p>\s*</div>", shown)
    assert re.search(r'<div id="tbl-pets">\s*<p>Table 1: Pets</p>\s*<table>', shown)  # caption above, as Quarto
    assert '<a href="#fig-line" class="quarto-xref">Figure 1</a>' in shown
    assert '<a href="#tbl-pets" class="quarto-xref">Table 1</a>' in shown
    assert '<a href="https://quarto.org">https://quarto.org</a>' in shown
    assert "{#tbl-pets}" not in shown

    # under freeze, a render finds the Markdown up to date only while its plots are there as it wrote them
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\nexecute:\n  freeze: auto\n")
    for _ in range(2):
        code, stderr = render_cli(str(tmp_path / "README.qmd"), "--output-dir", str(out))
        assert code == 0, stderr
    assert "up to date" in stderr
    (out / plots[0]).unlink()
    code, stderr = render_cli(str(tmp_path / "README.qmd"), "--output-dir", str(out))
    assert code == 0 and "up to date" not in stderr, stderr
    assert (out / plots[0]).read_bytes().startswith(PNG)
    (tmp_path / "_quarto.yml").unlink()

    (tmp_path / "README.qmd").write_text(README.replace("plt.plot([1, 3, 2])\nplt.show()", "print(2)"))
    code, stderr = render_cli(str(tmp_path / "README.qmd"), "--output-dir", str(out))
    assert code == 0, stderr
    assert not (out / plots[0]).exists()  # the earlier render's plot is not left behind as if current
    assert "README_files" not in (out / "README.md").read_text()


def test_pandoc_markdown_keeps_the_front_matter_and_commonmark_has_no_github_extensions(tmp_path):
    document = """\
---
title: Notes
author: Ada Lovelace
format: {fmt}
filters: [formats.lua]
---

Some ~~old~~ text.

::: callout-tip
A tip.
:::
"""
    (tmp_path / "formats.lua").write_text(FORMATS_FILTER)
    (tmp_path / "notes.qmd").write_text(document.format(fmt="markdown"))
    code, stderr = render_cli(str(tmp_path / "notes.qmd"), "--output-dir", str(tmp_path / "md"))
    assert code == 0, stderr
    text = (tmp_path / "md" / "notes.md").read_text()
    front = text.split("---\n")[1]
    assert "title: Notes" in front and "author: Ada Lovelace" in front
    assert "citation" not in front and "embedded-renderer" not in front  # the renderer's own metadata stays home
    (tmp_path / "notes.qmd").write_text(document.format(fmt="commonmark"))
    code, stderr = render_cli(str(tmp_path / "notes.qmd"), "--output-dir", str(tmp_path / "cm"))
    assert code == 0, stderr
    text = (tmp_path / "cm" / "notes.md").read_text()
    assert text.startswith("# Notes\nAda Lovelace\n")
    assert "<s>old</s>" in text  # CommonMark has no strikeout: pandoc writes it as HTML
    assert "[!TIP]" not in text and "A tip." in text  # GitHub's alerts are for GitHub Markdown
    assert "gfm false, markdown true, html false" in text
