"""Python chunks of a knitr document (one with R cells) shown as Quarto's knitr engine shows them.

knitr runs Python with reticulate, which runs a chunk statement by statement like Python's prompt and
interleaves the code with what each statement printed; a Jupyter document shows the code, then the last
value. ``tests/documents/knitr_python.qmd`` renders once to HTML; the tests read each cell's pieces.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import render_cli

DOCUMENTS = Path(__file__).resolve().parent / "documents"


@pytest.fixture(scope="module")
def cells(tmp_path_factory) -> list[list[tuple[str, str]]]:
    folder = tmp_path_factory.mktemp("knitr")
    shutil.copy(DOCUMENTS / "knitr_python.qmd", folder)
    code, stderr = render_cli(str(folder / "knitr_python.qmd"), "--to", "html", "--output-dir", str(folder))
    assert code == 0, stderr
    soup = BeautifulSoup((folder / "knitr_python.html").read_text(encoding="utf-8"), "html.parser")
    shown = []
    for cell in soup.select("div.cell"):
        assert not cell.has_attr("data-execution_count")  # knitr numbers nothing
        pieces = []
        for part in cell.find_all(True, recursive=False):
            if "code-copy-outer-scaffold" in part.get("class", []):  # the code and its copy button, as Quarto's
                part = part.select_one("div.sourceCode")
            classes = part.get("class", [])
            kind = "code" if "cell-code" in classes else next(
                (c for c in classes if c.startswith("cell-output-")), part.name)  # Markdown output: <p>
            pieces.append((kind, part.get_text().strip() if kind != "cell-output-display" else str(part)))
        shown.append(pieces)
    return shown


def test_each_statement_that_prints_is_followed_by_its_output_and_a_semicolon_hides_a_value(cells):
    assert cells[0] == [("code", "x = 2\nx"), ("cell-output-stdout", "2"),
                        ("code", "y = x * 3\ny"), ("cell-output-stdout", "6"),
                        ("code", "y + 1;")]


def test_a_value_prints_as_its_repr_and_a_data_frame_shows_as_its_table(cells):
    (_, first), (kind, printed), (_, second), (display, table) = cells[1]
    assert first.endswith("type(frame)") and second == "frame"
    assert kind == "cell-output-stdout" and printed.startswith("<class 'pandas.") and "DataFrame'>" in printed
    assert display == "cell-output-display" and "<table" in table


def test_with_error_true_a_failing_statement_shows_its_error_and_the_chunk_goes_on(cells):
    assert cells[2] == [("code", '"abc" + 5'),
                        ("cell-output-stdout", 'TypeError: can only concatenate str (not "int") to str'),
                        ("code", 'print("went on")'), ("cell-output-stdout", "went on")]
    assert cells[3] == [("code", "f(x=1, 2)"),
                        ("cell-output-stdout", "positional argument follows keyword argument (<string>, line 1)")]


def test_a_plotting_call_shows_its_figure_and_not_the_artists_it_returned(cells):
    (_, source), (kind, figure) = cells[4]
    assert source.endswith("plt.plot([1, 2, 3])")
    assert kind == "cell-output-display" and "<img" in figure and "Line2D" not in figure


def test_a_chunk_without_output_is_its_code_and_echo_false_leaves_the_output(cells):
    assert cells[5] == [("code", "z = 10")]
    assert cells[6] == [("cell-output-stdout", "output alone")]


def test_a_warning_is_printed_output_as_reticulate_captures_it(cells):
    assert cells[7] == [("code", 'import warnings\nwarnings.warn("careful")'),
                        ("cell-output-stdout", "<string>:1: UserWarning: careful")]  # each statement runs alone


def test_knitrs_results_option_asis_is_markdown_hide_leaves_the_printed_text_out_and_hold_puts_it_last(cells):
    assert cells[8] == [("code", 'print("Some **bold words**")'), ("p", "Some bold words")]  # <strong> in <p>
    assert cells[9] == [("code", 'print("hidden")\nx = 5\nx')]
    assert cells[10][0] == ("code", "1 + 1\n2 + 2")  # hold: the whole code, then what it printed
    assert [text for _, text in cells[10][1:]] in (["2", "4"], ["2\n4"])


def test_knitrs_file_and_code_options_give_a_chunk_its_code(tmp_path):
    (tmp_path / "greeting.py").write_text('def greet(name):\n    return f"Hello, {name}!"\n\ngreet("knitr")\n',
                                          encoding="utf-8")
    (tmp_path / "doc.qmd").write_text("---\nengine: knitr\n---\n\n```{python}\n#| file: greeting.py\n```\n\n"
                                      '```{python}\n#| code: "3 * 7"\n```\n', encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html", "--output-dir", str(tmp_path))
    assert code == 0, stderr
    soup = BeautifulSoup((tmp_path / "doc.html").read_text(encoding="utf-8"), "html.parser")
    cells = [[part.get_text().strip() for part in cell.find_all("div", recursive=False)]
             for cell in soup.select("div.cell")]
    assert cells == [['def greet(name):\n    return f"Hello, {name}!"\n\ngreet("knitr")', "'Hello, knitr!'"],
                     ["3 * 7", "21"]]


def test_engine_knitr_runs_a_python_only_document_as_knitr_and_a_jupyter_one_shows_the_last_value(tmp_path):
    chunk = "```{python}\n1 + 1\n2 + 2\n```\n"
    (tmp_path / "knitr.qmd").write_text(f"---\nengine: knitr\n---\n\n{chunk}", encoding="utf-8")
    (tmp_path / "jupyter.qmd").write_text(f"---\ntitle: J\n---\n\n{chunk}", encoding="utf-8")
    shown = {}
    for name in ("knitr", "jupyter"):
        code, stderr = render_cli(str(tmp_path / f"{name}.qmd"), "--to", "html", "--output-dir", str(tmp_path))
        assert code == 0, stderr
        assert "option engine" not in stderr  # knitr is an engine this renderer follows, not a missing feature
        soup = BeautifulSoup((tmp_path / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        shown[name] = [part.get_text().strip() for part in soup.select_one("div.cell").find_all("div", recursive=False)]
    assert shown["knitr"] == ["1 + 1", "2", "2 + 2", "4"]
    assert shown["jupyter"] == ["1 + 1\n2 + 2", "4"]


def test_a_frozen_knitr_chunk_is_shown_interleaved_again_from_the_stored_run(tmp_path, monkeypatch):
    monkeypatch.setenv("LLM_REPORTS_FREEZE_DIR", str(tmp_path / "_freeze"))
    document = tmp_path / "doc.qmd"
    document.write_text("---\nengine: knitr\nexecute:\n  freeze: auto\n---\n\nFirst words.\n\n"
                        "```{python}\nopen('runs.log', 'a').write('ran\\n');\n1 + 1\n2 + 2\n```\n", encoding="utf-8")
    shown = []
    for words in ("First words.", "Edited words."):  # a prose edit: the second render reuses the stored run
        document.write_text(document.read_text(encoding="utf-8").replace("First words.", words), encoding="utf-8")
        code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(tmp_path / "out"))
        assert code == 0, stderr
        soup = BeautifulSoup((tmp_path / "out" / "doc.html").read_text(encoding="utf-8"), "html.parser")
        shown.append([part.get_text().strip() for part in soup.select_one("div.cell").find_all("div", recursive=False)])
    assert (tmp_path / "runs.log").read_text(encoding="utf-8") == "ran\n"  # ran once
    assert shown[0] == shown[1] == ["open('runs.log', 'a').write('ran\\n');\n1 + 1", "2", "2 + 2", "4"]
