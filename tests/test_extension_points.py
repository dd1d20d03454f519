"""A new output format and a new per-token metric are each one module (``toy_format.py``, ``toy_metric.py``):
the format renders through the pipeline and the CLI, the metric shows in a token table and a heat map."""

from __future__ import annotations

import importlib
import math
import sys
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from matplotlib import colormaps

from helpers.core import Alternative, Generation, TokenScore
from helpers.heatmap import token_heatmap
from helpers.metrics import METRICS
from helpers.tables import generation_frame, token_table
from qmdrender import main, render
from qmdrender.formats import FORMATS

from .conftest import render_cli


@pytest.fixture
def toy_format() -> Iterator[None]:
    importlib.import_module("tests.toy_format")
    yield
    FORMATS.pop("rst", None)
    sys.modules.pop("tests.toy_format", None)


@pytest.fixture
def toy_metric() -> Iterator[None]:
    importlib.import_module("tests.toy_metric")
    yield
    METRICS.pop("reciprocal_rank", None)
    sys.modules.pop("tests.toy_metric", None)


DOCUMENT = """---
title: "A toy format"
format: rst
---

## Numbers

The answer comes from a cell:

```{python}
print(6 * 7)
```
"""


def test_a_format_in_one_module_renders_through_the_pipeline_and_the_cli(toy_format, tmp_path):
    source = tmp_path / "toy.qmd"
    source.write_text(DOCUMENT, encoding="utf-8")
    written = render(source, output_dir=tmp_path / "out", engine="embedded")  # the document names the format
    assert [p.name for p in written] == ["toy.rst"]
    text = written[0].read_text(encoding="utf-8")
    assert "Numbers\n=======" in text and "print(6 * 7)" in text and "42" in text
    code, log = render_cli(str(source), "--to", "rst,html", "--output-dir", str(tmp_path / "cli"))
    assert code == 0, log
    assert "42" in (tmp_path / "cli" / "toy.rst").read_text(encoding="utf-8")
    assert "42" in BeautifulSoup((tmp_path / "cli" / "toy.html").read_text(encoding="utf-8"), "html.parser").text


def test_an_unknown_format_is_refused_and_names_the_registered_ones(toy_format, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main([str(tmp_path / "x.qmd"), "--to", "odt"])
    said = capsys.readouterr().err
    assert stop.value.code == 2
    assert ("unknown format(s) odt; use html, pdf, ipynb, revealjs, beamer, docx, pptx, typst, dashboard, gfm, "
            "commonmark, md, markdown, rst") in said


def _generation() -> Generation:
    alternatives = (Alternative(7, " x", b" x", math.log(0.6)),)
    tokens = (TokenScore(1, " a", b" a", math.log(0.5), rank=1, entropy=1.0),
              TokenScore(2, " b", b" b", math.log(0.25), rank=2, entropy=1.5),
              TokenScore(None, " c", b" c", math.log(0.1), rank=None, alternatives=alternatives))
    return Generation("Prompt", " a b c", tokens, "toy-model", "fp_toy")


def _viridis(value: float) -> str:
    red, green, blue, _ = colormaps["viridis"](value)
    return f"#{round(red * 255):02X}{round(green * 255):02X}{round(blue * 255):02X}"


def test_a_metric_in_one_module_is_a_table_column(toy_metric):
    generation = _generation()
    table = token_table(generation, columns=["token_str", "reciprocal_rank"])
    assert table.cells()["1/rank"].tolist() == ["1.000", "0.500", "n/a"]
    headers = [th.get_text() for th in BeautifulSoup(table._repr_html_(), "html.parser").select("th")]
    assert headers == ["token_str", "1/rank"]
    column = generation_frame(generation)["reciprocal_rank"].tolist()
    assert column[:2] == [1.0, 0.5] and math.isnan(column[2])


def test_a_metric_in_one_module_colours_a_heat_map(toy_metric):
    heatmap = token_heatmap(_generation(), "reciprocal_rank", show_prompt=False)
    soup = BeautifulSoup(heatmap._repr_html_(), "html.parser")
    colours = [span["style"].split(";")[0].removeprefix("background:") for span in soup.select(".tok")]
    assert colours == [_viridis(1.0), _viridis(0.5), "#BBBBBB"]  # rank unknown: the grey of missing values
    legend = soup.select_one(".heatmap-legend").get_text(" ")
    assert "reciprocal_rank" in legend and "rank far down" in legend and "rank 1" in legend
    latex = heatmap._repr_latex_()
    assert f"\\colorbox[HTML]{{{_viridis(0.5)[1:]}}}" in latex


def test_without_the_module_the_metric_is_unknown():
    with pytest.raises(ValueError, match="color_by must be one of rank, probability, surprisal, got"):
        token_heatmap(_generation(), "reciprocal_rank")
    with pytest.raises(ValueError, match="Unknown table column"):
        token_table(_generation(), columns=["reciprocal_rank"])
