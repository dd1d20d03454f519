"""A knitr document's ``knitr: opts_chunk:`` sets its chunks' defaults, over the ``execute`` options, as Quarto
merges them into knitr's chunk options; a chunk's own options still win (no R runs: the R code is shown or not)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from .conftest import render_cli

DOCUMENT = """\
---
title: Chunk defaults
execute:
  echo: true
knitr:
  opts_chunk:
    echo: false
---

```{r}
summary(cars)
```

```{r}
#| echo: true
plot(cars)
```

```{python}
print("a python chunk of a knitr document")
```
"""


def test_knitr_opts_chunk_sets_the_chunks_defaults_over_execute_and_a_chunks_own_option_wins(tmp_path):
    (tmp_path / "doc.qmd").write_text(DOCUMENT, encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    main = BeautifulSoup((tmp_path / "out" / "doc.html").read_text(encoding="utf-8"), "html.parser").find("main")
    shown = [pre.get_text() for pre in main.select("pre.sourceCode")]
    assert shown == ["plot(cars)"]  # the Python chunk is knitr's too: its code hidden, its output shown
    assert "a python chunk of a knitr document" in main.get_text()
    assert "option knitr" not in stderr  # applied, not "unsupported"
