"""R chunks that only show image files (``knitr::include_graphics``) show them, as knitr does, without R.

The kernel runs Python only; an R chunk is shown and not run. A chunk whose code only includes files it
names needs no R: ``tests/documents/knitr_images.qmd`` renders once to HTML, and the tests read the page.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from qmdrender.knitr_images import image_outputs

from .conftest import render_cli

DOCUMENTS = Path(__file__).resolve().parent / "documents"
SQUARE = DOCUMENTS / "project" / "images" / "square.png"
COVER = DOCUMENTS.parent / "projects" / "book" / "cover.png"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[BeautifulSoup, str]:
    folder = tmp_path_factory.mktemp("knitr-images")
    shutil.copy(DOCUMENTS / "knitr_images.qmd", folder)
    (folder / "figs").mkdir()
    shutil.copy(SQUARE, folder / "figs" / "square.png")
    shutil.copy(COVER, folder / "figs" / "other.png")
    code, stderr = render_cli(str(folder / "knitr_images.qmd"), "--to", "html", "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    return BeautifulSoup((folder / "out" / "knitr_images.html").read_text(encoding="utf-8"), "html.parser"), stderr


def _cells(soup: BeautifulSoup) -> list:
    return soup.select("main div.cell")


def _file(image) -> str:
    """Which picture an image shows (the page embeds its files)."""
    data = base64.b64decode(image["src"].split(",", 1)[1])
    return next(name for name, path in (("square", SQUARE), ("other", COVER)) if path.read_bytes() == data)


def test_an_included_image_shows_with_its_width_and_alignment_and_no_code(rendered):
    soup, _ = rendered
    first = _cells(soup)[0]
    image = first.select_one("div.cell-output-display div.quarto-figure-center img")
    assert _file(image) == "square" and image["style"] == "width:50.0%"
    assert first.select_one("pre") is None  # echo=FALSE


def test_a_labelled_included_image_is_a_numbered_figure_that_references_resolve(rendered):
    soup, _ = rendered
    figure = soup.select_one("div#fig-square")
    assert _file(figure.select_one("img")) == "square"
    assert figure.select_one("figcaption").get_text(" ", strip=True) == "Figure\xa01: A square"
    assert soup.select_one('a.quarto-xref[href="#fig-square"]').get_text() == "Figure\xa01"


def test_a_vector_of_files_shows_each_and_a_caption_alone_makes_a_captioned_figure(rendered):
    soup, _ = rendered
    cells = _cells(soup)
    assert [_file(i) for i in cells[2].select("img")] == ["square", "other"]
    assert cells[3].select_one("figure figcaption").get_text(strip=True) == "Captioned"


def test_a_chunk_that_computes_its_path_is_shown_not_run_and_said_so(rendered):
    soup, stderr = rendered
    last = _cells(soup)[4]
    assert last.select_one("img") is None and "file.path" in last.select_one("pre").get_text()
    assert "cells in r are shown but not run" in stderr


@pytest.mark.parametrize("code", [
    'knitr::include_graphics("figs/missing.png")',  # knitr stops the render: nothing to show here
    'knitr::include_graphics(file.path("figs", "square.png"))',
    'x <- 1\nknitr::include_graphics("figs/square.png")',
    'knitr::include_graphics("figs/square.png") + 1',
    "plot(1:10)",
])
def test_only_chunks_that_merely_include_existing_files_are_answered(tmp_path, code):
    (tmp_path / "figs").mkdir()
    shutil.copy(SQUARE, tmp_path / "figs" / "square.png")
    assert image_outputs(code, {}, tmp_path) is None


def test_comments_library_calls_named_paths_and_web_images_are_read_as_knitr_reads_them(tmp_path):
    shutil.copy(SQUARE, tmp_path / "a b.png")
    code = ('#| echo: false\nlibrary("knitr") # pictures\n'
            'include_graphics(path = "a b.png", dpi = NA); knitr::include_graphics("https://x.org/p.png")')
    outputs = image_outputs(code, {"out-width": "80%", "fig-alt": "Alt"}, tmp_path)
    assert [o["data"]["text/markdown"] for o in outputs] == [
        '![](<a b.png>){width="80%" fig-alt="Alt"}', '![](https://x.org/p.png){width="80%" fig-alt="Alt"}']


def test_a_captions_brackets_stay_its_text(tmp_path):
    shutil.copy(SQUARE, tmp_path / "a.png")
    outputs = image_outputs('knitr::include_graphics("a.png")', {"fig-cap": "Rates [2024]"}, tmp_path)
    assert outputs[0]["data"]["text/markdown"] == "![Rates \\[2024\\]](a.png)"
