"""Hardening, round 2, documents, JupyterLab and formats: include loops and bombs, capped outputs, option
values of the wrong type, huge error values, a large .qmd in JupyterLab, saves that keep their cells,
``--to all`` as in Quarto, and a preamble that may be included twice."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from qmdrender.lab import notebook_to_qmd, qmd_to_notebook

from .conftest import pdf_text, render_cli, require_tool


def _qmd(folder: Path, text: str, name: str = "doc.qmd") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_include_bomb_stops_at_a_limit(tmp_path):
    for depth in range(9):
        body = "\n".join(f"{{{{< include level{depth + 1}.qmd >}}}}" for _ in range(8))
        _qmd(tmp_path, f"Level {depth}\n\n{body}\n", f"level{depth}.qmd")
    _qmd(tmp_path, "Bottom.\n", "level9.qmd")
    document = _qmd(tmp_path, "---\ntitle: Bomb\n---\n\n{{< include level0.qmd >}}\n")
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 1 and "files included in all" in stderr and "Traceback" not in stderr


def test_an_include_loop_is_named(tmp_path):
    _qmd(tmp_path, "A\n\n{{< include b.qmd >}}\n", "a.qmd")
    _qmd(tmp_path, "B\n\n{{< include a.qmd >}}\n", "b.qmd")
    document = _qmd(tmp_path, "{{< include a.qmd >}}\n")
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 1 and "doc.qmd → a.qmd → b.qmd → a.qmd" in stderr


def test_a_huge_print_is_capped_as_it_arrives(tmp_path):
    cell = "import sys\nfor _ in range(50):\n    sys.stdout.write('y' * 100_000)"
    document = _qmd(tmp_path, f"```{{python}}\n{cell}\n```\n")
    code, stderr = render_cli(str(document), "--to", "ipynb", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    notebook = nbformat.read(str(tmp_path / "out" / "doc.ipynb"), as_version=4)
    text = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
    assert len(text) < 101_000 and "4,900,000 more characters not shown" in text


@pytest.mark.parametrize(("front", "cell", "message"), [
    ("toc: true\ntoc-depth: deep\n", "", "toc-depth must be a whole number, not 'deep'"),
    ("fig-width: wide\n", "x = 1", "fig-width must be a number, not 'wide'"),
    ("date: 2024-13-45\n", "", "cannot read"),
    ("date: '2024-13-45'\n", "", "is not a date"),
    ("", "#| layout-ncol: two\nprint(1)", "layout-ncol must be a whole number, not 'two'"),
])
def test_an_option_of_the_wrong_type_is_one_clear_error(tmp_path, front, cell, message):
    code_cell = f"```{{python}}\n{cell}\n```\n" if cell else ""
    document = _qmd(tmp_path, f"---\ntitle: Options\n{front}---\n\nText.\n\n{code_cell}")
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 1 and message in stderr and "Traceback" not in stderr
    assert len([line for line in stderr.splitlines() if line.startswith("error:")]) == 1


def test_an_invalid_variables_file_and_an_integer_key_under_freeze(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\n")
    (tmp_path / "_variables.yml").write_text("version: [unclosed\n")
    document = _qmd(tmp_path, "---\ntitle: Vars\n1: one\nexecute:\n  freeze: auto\n---\n\n{{< var version >}}\n")
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 1 and "_variables.yml" in stderr and "not valid YAML" in stderr and "Traceback" not in stderr
    (tmp_path / "_variables.yml").write_text("version: two\n")
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "two" in (tmp_path / "out" / "doc.html").read_text(encoding="utf-8")


def test_a_huge_bad_parameter_value_gives_a_short_error(tmp_path):
    document = _qmd(tmp_path, "```{python}\n#| tags: [parameters]\nprompt = 'x'\n```\n")
    params = tmp_path / "params.yml"
    params.write_text("prompt: [" + ", ".join(["123456789"] * 200_000) + "]\n")
    code, stderr = render_cli(str(document), "--execute-params", str(params), "--output-dir", str(tmp_path / "out"))
    assert code == 1 and "prompt" in stderr and len(stderr) < 6000


def test_a_large_qmd_opens_in_jupyterlab_with_every_cell():
    text = "---\ntitle: Big\n---\n\n" + "".join(f"Cell {i}.\n\n```{{python}}\nx = {i}\n```\n\n" for i in range(5000))
    notebook = qmd_to_notebook(text)
    assert sum(c.cell_type == "code" for c in notebook.cells) == 5000
    assert notebook_to_qmd(notebook) == text


def test_saving_a_code_cell_that_holds_a_fence_line_keeps_it_one_cell():
    notebook = qmd_to_notebook("Intro\n\n```{python}\nx = 1\n```\n")
    notebook.cells[1].source = 'print("""\n```\n""")'
    notebook.cells.append(nbformat.v4.new_code_cell("y = '''\n````\n'''"))
    cells = qmd_to_notebook(notebook_to_qmd(notebook)).cells
    assert [(c.cell_type, c.source) for c in cells[1:]] == [("code", 'print("""\n```\n""")'),
                                                            ("code", "y = '''\n````\n'''")]


def test_a_python_example_typed_into_a_markdown_cell_stays_an_example(tmp_path):
    notebook = qmd_to_notebook("Intro\n\n```{python}\nx = 1\n```\n")
    notebook.cells[0].source = "An example:\n\n```{python}\nnot_run()\n```"
    saved = notebook_to_qmd(notebook)
    assert [c.cell_type for c in qmd_to_notebook(saved).cells] == ["markdown", "code"]
    document = _qmd(tmp_path, saved)
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "not_run()" in (tmp_path / "out" / "doc.html").read_text(encoding="utf-8")


def test_to_all_renders_the_formats_the_document_declares(tmp_path):
    require_tool("xelatex")
    document = _qmd(tmp_path, "---\ntitle: Two formats\nformat:\n  html: default\n  pdf: default\n---\n\nText.\n")
    code, stderr = render_cli(str(document), "--to", "all", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["doc.html", "doc.pdf"]


def test_the_preamble_may_be_included_twice(tmp_path):
    require_tool("xelatex")
    from qmdrender.formats.writing import LATEX_PREAMBLE

    shutil.copy(LATEX_PREAMBLE, tmp_path / "my-preamble.tex")  # the same file at another path
    document = _qmd(tmp_path, "---\ntitle: Twice\nformat:\n  pdf:\n    include-in-header: my-preamble.tex\n---\n\n"
                              "Text with 東京.\n")
    code, stderr = render_cli(str(document), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "東京" in pdf_text(tmp_path / "out" / "doc.pdf")


def test_include_text_longer_than_a_file_name_is_text_not_a_file(tmp_path):
    # Quarto's `text:` form of an include: never looked up as a file, however long (a real book's preamble
    # commands stopped its render with "File name too long")
    commands = "".join(f"\\newcommand{{\\Macro{chr(65 + i % 26)}{chr(65 + i // 26)}}}{{x}}\n" for i in range(30))
    front = "---\ntitle: Long\nexecute:\n  freeze: auto\nformat:\n  pdf:\n    include-in-header:\n      text: |\n" + \
        "".join(f"        {line}\n" for line in commands.splitlines()) + "---\n\n"
    document = _qmd(tmp_path, front + "Defined: $\\MacroBA$ ok.\n")
    code, stderr = render_cli(str(document), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "Defined: x ok." in " ".join(pdf_text(tmp_path / "out" / "doc.pdf").split()).replace("𝑥", "x")


def test_editing_an_include_named_as_file_re_renders_a_frozen_page(tmp_path):
    # the `- file:` form names a file the page uses: its digest is in the render stamp, as a plain name's is
    document = _qmd(tmp_path, "---\ntitle: Included\nexecute:\n  freeze: auto\nformat:\n  html:\n"
                              "    include-after-body:\n      - file: after.html\n---\n\nText.\n")
    (tmp_path / "after.html").write_text("<p>first version</p>\n", encoding="utf-8")
    out = tmp_path / "out"
    for _ in range(2):
        code, stderr = render_cli(str(document), "--output-dir", str(out))
        assert code == 0, stderr
    assert "up to date" in stderr
    (tmp_path / "after.html").write_text("<p>second version</p>\n", encoding="utf-8")
    code, stderr = render_cli(str(document), "--output-dir", str(out))
    assert code == 0 and "up to date" not in stderr
    assert "second version" in (out / "doc.html").read_text(encoding="utf-8")


def test_a_kernel_that_dies_before_it_answers_is_started_once_more(tmp_path):
    # A real kernel spec whose first launch exits at once (as a kernel does when another process took
    # its port between jupyter_client choosing it and the kernel binding it); the second launch works.
    import json
    import os
    import subprocess
    import sys

    spec = tmp_path / "jupyter" / "kernels" / "flaky"
    spec.mkdir(parents=True)
    marker = tmp_path / "first-start-failed"
    (spec / "flaky.py").write_text(
        "import os, runpy, sys\n"
        f"marker = {str(marker)!r}\n"
        "if not os.path.exists(marker):\n    open(marker, 'w').close()\n    sys.exit(1)\n"
        "sys.argv = ['ipykernel_launcher', *sys.argv[1:]]\n"
        "runpy.run_module('ipykernel_launcher', run_name='__main__')\n")
    (spec / "kernel.json").write_text(json.dumps({"argv": [sys.executable, str(spec / "flaky.py"), "-f",
                                                           "{connection_file}"], "display_name": "flaky",
                                                  "language": "python"}))
    document = tmp_path / "doc.qmd"
    document.write_text("---\ntitle: Flaky\njupyter: flaky\n---\n\n```{python}\nprint(6 * 7)\n```\n")
    done = subprocess.run([sys.executable, "-m", "qmdrender", str(document), "--to", "html", "--output-dir",
                           str(tmp_path / "out"), "--engine", "embedded"], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "JUPYTER_PATH": str(tmp_path / "jupyter")})
    assert done.returncode == 0, done.stderr
    assert marker.exists() and "42" in (tmp_path / "out" / "doc.html").read_text()


def test_a_kernel_still_exits_cleanly_after_the_render_stops_waiting_for_it(tmp_path):
    # The render asks the kernel to shut down and goes on without waiting for the process to end: the
    # kernel's way out must still run the code's atexit handlers and flush a file left open, and leave
    # no connection file behind.
    import os
    import subprocess
    import sys
    import time

    runtime = tmp_path / "runtime"
    document = tmp_path / "doc.qmd"
    document.write_text("---\ntitle: Exit\n---\n\n```{python}\nimport atexit\n"
                        "left_open = open('left-open.txt', 'w')\nleft_open.write('flushed on the way out')\n"
                        "atexit.register(lambda: open('atexit.txt', 'w').write('ran'))\nprint('done')\n```\n")
    done = subprocess.run([sys.executable, "-m", "qmdrender", str(document), "--to", "html", "--output-dir",
                           str(tmp_path / "out"), "--engine", "embedded"], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)})
    assert done.returncode == 0, done.stderr
    def written(name: str) -> str:
        return (tmp_path / name).read_text() if (tmp_path / name).exists() else ""

    deadline = time.monotonic() + 30  # the kernel ends a second or two after the render
    while not (written("atexit.txt") and written("left-open.txt")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (tmp_path / "atexit.txt").read_text() == "ran"
    assert (tmp_path / "left-open.txt").read_text() == "flushed on the way out"
    assert not list(runtime.glob("kernel-*.json"))


def test_a_stylesheet_that_names_a_missing_font_is_one_warning_naming_that_file(tmp_path):
    # a stylesheet an extension loads names a file that is not there (an icon font left out of a copied
    # extension): the page is written without that file (pandoc would stop at it; Quarto's page links the
    # stylesheet and the browser skips the font), one warning names it, without pandoc's Haskell backtrace
    extension = tmp_path / "_extensions" / "gone"
    (extension / "css").mkdir(parents=True)
    (extension / "_extension.yml").write_text("title: Gone\ncontributes:\n  shortcodes:\n    - gone.lua\n",
                                              encoding="utf-8")
    (extension / "css" / "gone.css").write_text("@font-face { font-family: Gone; src: url(../fonts/gone.ttf); }\n",
                                                encoding="utf-8")
    (extension / "gone.lua").write_text(
        'return {["gone"] = function()\n'
        '  quarto.doc.add_html_dependency({name = "gone", version = "1", stylesheets = {"css/gone.css"}})\n'
        '  return pandoc.Str("icon")\nend}\n', encoding="utf-8")
    document = _qmd(tmp_path, "---\ntitle: Fonts\n---\n\nAn {{< gone >}}.\n")
    code, stderr = render_cli(str(document), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    warnings = [line for line in stderr.splitlines() if "fonts/gone.ttf" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning:") and "does not exist" in warnings[0]
    assert "HasCallStack" not in stderr and "backtrace" not in stderr
    assert "An icon." in (tmp_path / "out" / "doc.html").read_text(encoding="utf-8")


def test_an_image_without_a_file_or_naming_a_folder_does_not_stop_the_page(tmp_path):
    # a deck extension's header slot writes pandoc.Image("", "") when no logo is set (reveal-header): pandoc,
    # embedding the page's images, read the document's folder as that image and stopped the render
    (tmp_path / "figs").mkdir()
    (tmp_path / "page.qmd").write_text("---\ntitle: Images\n---\n\nNo logo: ![]()\n\nA folder: ![](figs)\n",
                                       encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "page.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "image figs not found" in stderr and "image  not found" not in stderr
    page = (tmp_path / "out" / "page.html").read_text(encoding="utf-8")
    assert re.search(r'<img src(="")? ', page) and "No logo:" in page and "A folder:" in page
