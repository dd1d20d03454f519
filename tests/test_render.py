"""Rendering reports with the embedded renderer: real kernel, real pandoc, real xelatex, real Chromium."""

from __future__ import annotations

import math
import re
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from helpers import generate, score
from helpers.sampling import compare_settings
from helpers.tables import comparison_frame, percent, visible
from qmdrender import main
from qmdrender.document import read_qmd

from .conftest import PROMPT, chromium, pdf_text, provenance_rows, require_tool

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ("llm_api_overview", "sampling_explorer", "compare_prompts", "text_surprisal")
INJECTION = "'); import os; os.system('touch /tmp/pwned-by-parameter') #"


def _render(*arguments: str) -> int:
    return main([*arguments, "--engine", "embedded"])


@pytest.fixture(scope="session")
def reports(tmp_path_factory) -> Path:
    """All the reports rendered once to HTML and PDF with their defaults."""
    require_tool("xelatex")
    output = tmp_path_factory.mktemp("reports")
    notebooks = [str(NOTEBOOKS / f"{name}.qmd") for name in REPORTS]
    # one at a time: the tests compare 4 digits with numbers computed here, with this process's threads
    assert _render(*notebooks, "--to", "html,pdf", "--jobs", "1", "--output-dir", str(output)) == 0
    return output


def test_overview_pdf_and_html_hold_the_helpers_numbers(reports, lm):
    generation = generate(lm, PROMPT, max_new_tokens=5)
    pdf = pdf_text(reports / "llm_api_overview.pdf")
    html = (reports / "llm_api_overview.html").read_text()
    assert "LLM API Overview" in pdf
    for token in generation.tokens:
        assert visible(token.text) in pdf and visible(token.text) in html
        assert percent(math.exp(token.logprob)) in pdf and percent(math.exp(token.logprob)) in html
    assert percent(generation.joint_probability) in pdf
    assert f"{generation.perplexity:.3f}" in pdf
    assert lm.fingerprint.short in pdf and lm.fingerprint.short in html
    assert "<table" in html and "data:image/png;base64," in html
    assert 'id="tbl-transition-scores"' in html and 'id="fig-token-probabilities"' in html  # #| label anchors


def test_text_surprisal_shows_the_text_the_legend_and_the_surprising_words(reports, lm):
    from helpers.surprisal import most_surprising_words

    defaults = read_qmd(NOTEBOOKS / "text_surprisal.qmd").parameter_defaults()
    scored = score(lm, defaults["text"], prompt=defaults["prompt"])
    pdf = " ".join(pdf_text(reports / "text_surprisal.pdf").split())
    html = (reports / "text_surprisal.html").read_text()
    for word in ("committee", "rainy", "pancakes"):
        assert word in pdf
    assert "rank among all tokens: top 10 top 100 top 1000 beyond 1000" in pdf
    for word in most_surprising_words(scored, 10)["word"]:
        assert word in pdf
    assert html.count('class="tok"') >= 2 * len(scored.tokens)  # the rank and surprisal views
    assert "Not a detector" in pdf and "Not a detector" in html


def test_sampling_explorer_shows_the_predicted_probabilities(reports, lm):
    frame = compare_settings(lm, PROMPT, [{"top_k": 5}], top=3)
    pdf = pdf_text(reports / "sampling_explorer.pdf")
    html = (reports / "sampling_explorer.html").read_text()
    for value in frame["top_k=5"]:
        assert percent(value) in pdf and percent(value) in html
    assert html.count("data:image/png;base64,") >= 3


def test_compare_prompts_shows_every_prompts_joint_probability(reports, lm):
    defaults = read_qmd(NOTEBOOKS / "compare_prompts.qmd").parameter_defaults()
    frame = comparison_frame(generate(lm, defaults["prompts"], max_new_tokens=defaults["max_new_tokens"]))
    pdf = pdf_text(reports / "compare_prompts.pdf")
    for value in frame["joint_prob"]:
        assert percent(value) in pdf
    assert "Prompt 5" in pdf


@pytest.mark.parametrize("name", REPORTS)
def test_html_report_renders_inchromium(reports, name, tmp_path):
    page = (reports / f"{name}.html").as_uri()
    shot = tmp_path / "shot.png"
    chromium("--window-size=1200,1800", "--hide-scrollbars", f"--screenshot={shot}", page, profile=tmp_path / "p1")
    pixels = np.asarray(Image.open(shot).convert("L"), dtype=float)
    assert pixels.std() > 20, "the screenshot is (nearly) blank"
    assert (pixels < 128).mean() > 0.01, "too little ink on the page"
    dom = chromium("--dump-dom", page, profile=tmp_path / "p2").stdout
    assert "<table" in dom and "<img" in dom
    shown = BeautifulSoup(dom, "html.parser")
    for script in shown(["script", "style"]):  # MathJax's own source, inlined, names TeX environments
        script.decompose()
    text = shown.get_text(" ")
    assert "\\begin{tabular}" not in text and "Math input error" not in text and "mjx-merror" not in dom
    assert not re.search(r"<script[^>]+src=\"https?:", dom)  # MathJax and the rest are inlined, no CDN


def test_parameters_override_and_cannot_inject_code(tmp_path, lm):
    marker = Path("/tmp/pwned-by-parameter")
    marker.unlink(missing_ok=True)
    assert _render(str(NOTEBOOKS / "llm_api_overview.qmd"), "--to", "html,ipynb", "--output-dir", str(tmp_path),
                   "-P", f"prompt:{INJECTION}", "-P", "max_new_tokens:3", "--output", "injected") == 0
    assert not marker.exists()
    html = (tmp_path / "injected.html").read_text()
    notebook = (tmp_path / "injected.ipynb").read_text()
    assert "max_new_tokens = 3" in notebook and "injected-parameters" in notebook
    generation = generate(lm, INJECTION, max_new_tokens=3)
    assert len(generation.tokens) == 3
    for token in generation.tokens:
        assert percent(math.exp(token.logprob)) in html


def test_unknown_parameter_and_wrong_type_fail_with_one_line(tmp_path, capsys):
    notebook = str(NOTEBOOKS / "llm_api_overview.qmd")
    assert _render(notebook, "--to", "html", "--output-dir", str(tmp_path), "-P", "temprature:0.5") == 1
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert "no parameter 'temprature'" in error and "temperature" in error and "max_new_tokens" in error
    assert _render(notebook, "--to", "html", "--output-dir", str(tmp_path), "-P", "max_new_tokens:many") == 1
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert "expects an integer" in error and "'many'" in error
    assert not any(tmp_path.iterdir())


def _tiny_notebook(folder: Path, body: str) -> Path:
    path = folder / "tiny.qmd"
    path.write_text(textwrap.dedent("""\
        ---
        title: "Tiny"
        ---

        ```{python}
        #| tags: [parameters]
        label = "first"
        ```

        """) + textwrap.dedent(body))
    return path


def test_a_failing_cell_stops_the_render_and_keeps_the_previous_report(tmp_path, capsys):
    notebook = _tiny_notebook(tmp_path, """\
        ```{python}
        print("report for", label)
        ```
        """)
    output = tmp_path / "out"
    assert _render(str(notebook), "--to", "html", "--output-dir", str(output)) == 0
    previous = (output / "tiny.html").read_bytes()
    notebook.write_text(notebook.read_text() + "\n```{python}\nratio = 1 / 0\n```\n")
    assert _render(str(notebook), "--to", "html", "--output-dir", str(output)) == 1
    error = capsys.readouterr().err
    assert "ratio = 1 / 0" in error and "ZeroDivisionError" in error
    assert (output / "tiny.html").read_bytes() == previous
    assert sorted(p.name for p in output.iterdir()) == ["tiny.html"]


def test_concurrent_renders_with_different_names_do_not_share_files(tmp_path):
    notebook = _tiny_notebook(tmp_path, """\
        ```{python}
        #| fig-cap: "A figure"
        from matplotlib.figure import Figure
        from helpers.plots import ReportFigure
        figure = ReportFigure(figsize=(3, 2))
        figure.add_subplot().set_title(label)
        figure
        ```

        ```{python}
        print("label is", label)
        ```
        """)
    results = {}

    def run(label: str) -> None:
        results[label] = _render(str(notebook), "--to", "html", "--output-dir", str(tmp_path / "out"),
                                 "-P", f"label:{label}", "--output", label)

    threads = [threading.Thread(target=run, args=(label,)) for label in ("alpha", "beta")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"alpha": 0, "beta": 0}
    alpha, beta = ((tmp_path / "out" / f"{n}.html").read_text() for n in ("alpha", "beta"))
    assert "label is alpha" in alpha and "label is beta" not in alpha
    assert "label is beta" in beta and "label is alpha" not in beta
    images = [re.findall(r"data:image/png;base64,[^\"']+", page) for page in (alpha, beta)]
    assert len(images[0]) == 1 and len(images[1]) == 1 and images[0] != images[1]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["alpha.html", "beta.html"]


def test_pdf_without_tex_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert _render(str(NOTEBOOKS / "llm_api_overview.qmd"), "--to", "pdf", "--output-dir", str(tmp_path / "o")) == 1
    error = capsys.readouterr().err
    assert "xelatex" in error and "apt-get install texlive-xetex" in error
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("name", REPORTS)
def test_every_report_ends_with_the_provenance_of_its_run(reports, name):
    import hashlib

    from helpers.model import bundled_gguf_path

    html = BeautifulSoup((reports / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
    panel = html.select("details.provenance")[-1]
    assert [s.name for s in panel.find_next_siblings() if s.name not in ("script", "style")] == []  # the end
    rows = provenance_rows(panel)
    gguf = bundled_gguf_path()
    assert rows[f"Weights: {gguf.name}"].replace(" ", "") == "sha256" + hashlib.sha256(gguf.read_bytes()).hexdigest()
    defaults = read_qmd(NOTEBOOKS / f"{name}.qmd").parameter_defaults()
    assert rows["Parameters"] == "; ".join(f"{key} = {value!r}" for key, value in defaults.items())
    # the seeds the report's results record: the overview passes its seed parameter (42) even to greedy
    # decoding; batched greedy and scored results have none; the sampled text has 7
    assert rows.get("Seeds") == {"llm_api_overview": "42", "compare_prompts": "none (greedy)",
                                 "text_surprisal": "none (score), 7", "sampling_explorer": None}[name]
    assert rows["Execution"].startswith("the cells ran during this render")
    last_page = pdf_text(reports / f"{name}.pdf").split("\f")
    tail = " ".join(" ".join(last_page[-3:]).split())
    assert "How this report was made" in tail and hashlib.sha256(gguf.read_bytes()).hexdigest()[:16] in tail
