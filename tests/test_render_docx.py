"""MS Word (``format: docx``) as a reader opens it: numbered figures and tables with their captions and
references, a callout with its title, a data frame as a Word table, the figure and diagrams as images
Word shows, a theorem, and a table of contents; ``reference-doc`` styles it."""

from __future__ import annotations

import re
import zipfile

from .conftest import render_cli

DOCUMENT = """\
---
title: A Word report
author: Ada Lovelace
format:
  docx:
    toc: true
    number-sections: true
---

## Results

::: {.callout-note}
Notes stay notes.
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

::: {#thm-sum}
Two and two make four.
:::

See @fig-line, @tbl-frame and @thm-sum.

```{mermaid}
flowchart LR
  A --> B
```

```{dot}
digraph { a -> b }
```
"""


def _text(docx) -> str:
    with zipfile.ZipFile(docx) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
        media = [name for name in archive.namelist() if name.startswith("word/media/")]
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", re.sub(r"<w:tab ?/>", "<w:t> </w:t>", xml), re.S)
    words = [" ".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)).split()) for p in paragraphs]
    return "\n".join(w for w in words if w), media


def test_a_word_report_has_numbered_captions_references_callouts_tables_and_its_figure(tmp_path):
    (tmp_path / "report.qmd").write_text(DOCUMENT)
    code, stderr = render_cli(str(tmp_path / "report.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    text, media = _text(tmp_path / "out" / "report.docx")
    lines = text.splitlines()
    assert "A Word report" in lines and "Ada Lovelace" in lines and "Table of contents" in lines
    assert "1 Results" in lines  # number-sections
    assert "Note" in lines and "Notes stay notes." in lines
    assert "Figure 1: A rising line" in lines and "Table 1: Squares" in lines
    assert "See Figure 1, Table 1 and Theorem 1." in lines
    assert "Theorem 1 Two and two make four." in text.replace("Theorem 1\n", "Theorem 1 ")
    assert "square" in lines and "9" in lines  # the data frame as a table
    assert len([name for name in media if name.endswith(".png")]) == 3  # the figure and both diagrams
    assert not any(name.endswith((".pdf", ".svg")) for name in media)  # nothing Word cannot show


def test_reference_doc_gives_the_word_file_its_styles(tmp_path):
    import subprocess

    import pypandoc

    default = tmp_path / "default.docx"
    subprocess.run([pypandoc.get_pandoc_path(), "-o", str(default), "--print-default-data-file", "reference.docx"],
                   check=True)
    with zipfile.ZipFile(default) as source, zipfile.ZipFile(tmp_path / "house.docx", "w") as house:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/styles.xml":  # the house style: 15 pt text
                data = data.replace(b'<w:sz w:val="24" />', b'<w:sz w:val="30" />')
            house.writestr(item, data)
    (tmp_path / "memo.qmd").write_text("---\ntitle: Memo\nformat:\n  docx:\n    reference-doc: house.docx\n---\n\n"
                                        "Hi.\n")
    code, stderr = render_cli(str(tmp_path / "memo.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    with zipfile.ZipFile(tmp_path / "out" / "memo.docx") as memo:
        assert b'<w:sz w:val="30" />' in memo.read("word/styles.xml")
    assert "not supported" not in stderr
