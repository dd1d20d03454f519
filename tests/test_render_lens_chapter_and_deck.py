"""The "Inside the model" chapter with a reader's own text, and the lecture deck, rendered for real:
the lens's top guesses in the page's cells and in the PDF figure, and the provenance panel last."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import generate
from helpers.logit_lens import logit_lens
from helpers.model import bundled_gguf_path
from helpers.tokens import visible

from .conftest import PROMPT, pdf_text, provenance_rows, render_cli, require_tool

ROOT = Path(__file__).resolve().parents[1]
TEXT = "The capital of France is Paris."


def _label(prediction) -> str:
    text = visible(prediction.top[0].text, prediction.top[0].raw)
    return text if len(text) <= 8 else text[:7] + "…"


def _pdf_row_after(path: Path, marker: str) -> list[str]:
    """The words right of the first ``marker`` word on the first page that has it, left to right."""
    require_tool("pdftotext")
    pages = pdf_text(path, layout=False).split("\f")
    number = next(i for i, page in enumerate(pages, start=1) if marker in page.split())
    markup = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(path), "-"],
                            capture_output=True, text=True, check=True).stdout
    words = [(float(w["xmin"]), float(w["ymin"]), w.get_text())
             for w in BeautifulSoup(markup, "html.parser").find_all("word")]
    x0, y0, _ = next(w for w in words if w[2] == marker)
    return [text for x, y, text in sorted(words) if abs(y - y0) < 3 and x > x0]


def _panel_rows(soup: BeautifulSoup, selector: str) -> dict[str, str]:
    return provenance_rows(soup.select(selector)[-1])


def _gguf_row(rows: dict[str, str]) -> str:
    return rows["Weights: " + bundled_gguf_path().name].replace(" ", "")


@pytest.fixture(scope="module")
def chapter(tmp_path_factory) -> Path:
    require_tool("xelatex")
    output = tmp_path_factory.mktemp("chapter")
    code, stderr = render_cli(str(ROOT / "notebooks" / "logit_lens.qmd"), "-P", f"text:{TEXT}", "--to", "html,pdf",
                              "--output-dir", str(output))
    assert code == 0, stderr
    return output


def test_chapter_shows_the_lens_of_the_readers_text_in_html_and_pdf(chapter, lm):
    lens = logit_lens(lm, TEXT)
    soup = BeautifulSoup((chapter / "logit_lens.html").read_text(encoding="utf-8"), "html.parser")
    figure = soup.select_one("#fig-lens")
    assert "Figure\xa01" in figure.get_text()  # a no-break space, as Quarto writes it
    rows = figure.select("table.logit-lens tbody tr")
    assert len(rows) == lens.layer_count + 1
    assert [td.find(string=True, recursive=False) for td in rows[0].select("td")] == \
        [_label(p) for p in lens.layer(lens.layer_count)]
    assert [td.find(string=True, recursive=False) for td in rows[-1].select("td")] == [_label(p) for p in lens.layer(0)]
    assert soup.select_one("#fig-trajectory img") is not None and soup.select_one("#tbl-layers table") is not None
    final_row = _pdf_row_after(chapter / "logit_lens.pdf", "(final)")
    expected = [label for label in map(_label, lens.layer(lens.layer_count)) if label.strip()]
    assert final_row[:len(expected)] == expected
    rows = _panel_rows(soup, "details.provenance")
    assert rows["Parameters"].startswith(f"text = {TEXT!r}; prompt = ''")
    assert _gguf_row(rows) == "sha256" + hashlib.sha256(bundled_gguf_path().read_bytes()).hexdigest()
    pdf = pdf_text(chapter / "logit_lens.pdf")
    assert "How this report was made" in pdf.split("\f")[-2] + pdf.split("\f")[-1]


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    require_tool("xelatex")
    output = tmp_path_factory.mktemp("deck")
    code, stderr = render_cli(str(ROOT / "notebooks" / "slides_token_probabilities.qmd"), "--output-dir", str(output))
    assert code == 0, stderr
    return output


def test_deck_has_lens_slides_and_ends_with_the_provenance_slide(deck, lm):
    generation = generate(lm, PROMPT, max_new_tokens=5, top_alternatives=3)
    lens = logit_lens(lm, generation, layers=range(0, 31, 5))
    soup = BeautifulSoup((deck / "slides_token_probabilities.html").read_text(encoding="utf-8"), "html.parser")
    sections = soup.select(".reveal .slides > section")
    lens_slide = next(s for s in sections if s.find("h2") and s.h2.get_text() == "Inside the model: the logit lens")
    top = lens_slide.select("table.logit-lens tbody tr")[0]
    assert [td.find(string=True, recursive=False) for td in top.select("td")] == [_label(p) for p in lens.layer(30)]
    assert sections[-1].h2.get_text() == "How this report was made"
    rows = _panel_rows(soup, ".slides > section:last-of-type .provenance")
    assert _gguf_row(rows) == "sha256" + hashlib.sha256(bundled_gguf_path().read_bytes()).hexdigest()
    assert rows["Seeds"] == "none (greedy)"
    assert rows["Parameters"] == "prompt = 'Finn writes code'; model = 'smollm2-135m'"
    pages = pdf_text(deck / "slides_token_probabilities.pdf", layout=False).split("\f")
    pages = [page for page in pages if page.strip()]
    assert pages[-1].startswith("How this report was made")
    assert hashlib.sha256(bundled_gguf_path().read_bytes()).hexdigest()[:16] in pages[-1]
    final_row = _pdf_row_after(deck / "slides_token_probabilities.pdf", "(final)")
    expected = [label for label in map(_label, lens.layer(30)) if label.strip()]
    assert final_row[:len(expected)] == expected
