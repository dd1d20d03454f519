"""The hidden setup cell (qmdrender.kernel_setup) configures matplotlib when the code imports it: a page that
draws nothing never imports pyplot, and a Figure object and a pyplot figure both come out at the document's
fig-width/fig-height as retina PNGs (HTML) and as vector figures (PDF)."""

from __future__ import annotations

import base64
import io

from bs4 import BeautifulSoup
from PIL import Image

from .conftest import pdf_text, render_cli, require_tool

DOCUMENT = """\
---
title: "Figures"
fig-width: 4
fig-height: 3
---

```{python}
import sys
print("before:", "matplotlib" in sys.modules, "matplotlib.pyplot" in sys.modules)
```

```{python}
#| label: fig-object
#| fig-cap: "A Figure object"
from matplotlib.figure import Figure
figure = Figure()
figure.subplots().plot([1, 2, 3])
print("object:", tuple(float(x) for x in figure.get_size_inches()), "pyplot" in " ".join(sys.modules))
figure
```

```{python}
#| label: fig-pyplot
#| fig-cap: "A pyplot figure"
import matplotlib.pyplot as plt
plt.plot([3, 2, 1])
print("pyplot:", tuple(float(x) for x in plt.gcf().get_size_inches()))
```
"""


def test_matplotlib_is_set_up_when_imported_for_figure_objects_and_pyplot(tmp_path):
    require_tool("xelatex")
    (tmp_path / "figures.qmd").write_text(DOCUMENT, encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "figures.qmd"), "--to", "html,pdf", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "out" / "figures.html").read_text(encoding="utf-8"), "html.parser")
    printed = [block.get_text().strip() for block in soup.select("div.cell-output-stdout")]
    assert printed == ["before: False False", "object: (4.0, 3.0) False", "pyplot: (4.0, 3.0)"]
    for label in ("fig-object", "fig-pyplot"):
        image = soup.find(id=label).find("img")
        data = base64.b64decode(image["src"].split(",", 1)[1])
        width, _ = Image.open(io.BytesIO(data)).size
        assert width >= 1.8 * int(image["width"].removesuffix("px"))  # retina: twice the pixels it is shown at
    text = " ".join(pdf_text(tmp_path / "out" / "figures.pdf").split())
    assert "Figure 1: A Figure object" in text and "Figure 2: A pyplot figure" in text
