"""``{{< contents id >}}`` (Quarto 1.6): a div, a span or a labelled cell's output moved to where the shortcode
stands, as a reader sees the page (a course's decks show one logo block on two slides)."""

from __future__ import annotations

import textwrap

from bs4 import BeautifulSoup

from .conftest import render_cli

DOCUMENT = """\
---
title: Rearranged
---

## Where things are defined

::: {#logos}
The **logos** block.
:::

Words [said once]{#phrase} here.

```{python}
#| label: a-cell
#| echo: false
print("printed by the cell")
```

## Where they are shown

::: {.callout-note}
## A note

{{< contents a-cell >}}
:::

{{< contents logos >}}

Again: {{< contents phrase >}}.

{{< contents logos >}}

{{< contents nowhere >}}

Code shows the call: `{{< contents logos >}}`.
"""


def test_contents_moves_the_named_div_span_and_cell_output_to_the_shortcode(tmp_path):
    (tmp_path / "doc.qmd").write_text(textwrap.dedent(DOCUMENT), encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "no div or span has the id nowhere" in stderr and "not supported" not in stderr
    soup = BeautifulSoup((tmp_path / "out" / "doc.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(soup.select_one("main").get_text(" ").split()).replace(" .", ".")
    defined, shown = text.split("Where they are shown")
    assert "logos" not in defined and "printed by the cell" not in defined  # moved away from where written
    assert "Words here." in defined
    assert "printed by the cell" in soup.select_one(".callout-note").get_text()
    assert shown.count("The logos block.") == 2  # named twice: shown twice
    assert "Again: said once." in shown
    assert soup.select("main code")[-1].get_text() == "{{< contents logos >}}"
