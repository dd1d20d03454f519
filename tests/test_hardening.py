"""What a hostile user tried, and what happens now: damaged caches, odd text, full disks, bad input.

Each test reproduces one finding of the hardening issue and checks the fix at its cause.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
import warnings
from pathlib import Path

import pytest

from helpers import generate, load_model, score
from helpers.core import Generation
from helpers.model import ModelLoadError, _bundled_model_folder, cache_dir, cache_problem
from helpers.tables import token_table
from qmdrender import main
from qmdrender.parameters import ParameterError, parse_cli_parameters, read_parameter_file, resolve_parameters
from qmdrender.publish import publish
from qmdrender.types import RenderError

from .conftest import PROMPT, pdf_text, render_cli, require_tool

ROOT = Path(__file__).resolve().parents[1]



def _qmd(folder: Path, text: str, name: str = "doc.qmd") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# 1, 2: the model cache ------------------------------------------------------------------------------


@pytest.fixture
def private_cache(tmp_path, monkeypatch, lm) -> Path:
    """A copy of the session's model cache in a folder of its own (the real one stays untouched)."""
    source = Path(lm.source)
    monkeypatch.setenv("LLM_REPORTS_CACHE", str(tmp_path / "cache"))
    target = cache_dir() / source.name
    shutil.copytree(source, target)
    return target


def test_a_damaged_cache_is_detected_reported_and_rebuilt(private_cache):
    weights = private_cache / "model.safetensors"
    original = weights.read_bytes()
    assert cache_problem(private_cache) is None
    with weights.open("r+b") as handle:  # zero a quarter of the file; size and header unchanged
        handle.seek(len(original) // 2)
        handle.write(bytes(len(original) // 4))
    assert "does not match the hash" in cache_problem(private_cache)
    with pytest.warns(UserWarning, match="does not match the hash recorded when it was written; rebuilding"):
        folder, weight_files = _bundled_model_folder()
    assert Path(folder) == private_cache and cache_problem(private_cache) is None
    assert weights.read_bytes() == original  # rebuilt from the GGUF, bit for bit
    assert weights in weight_files  # the fingerprint covers the weights actually loaded


def test_truncated_files_and_a_missing_marker_are_named(private_cache):
    weights = private_cache / "model.safetensors"
    os.truncate(weights, weights.stat().st_size - 1000)
    assert "bytes" in cache_problem(private_cache) and "were written" in cache_problem(private_cache)
    (private_cache / "complete.json").unlink()
    assert "no valid completion marker" in cache_problem(private_cache)


def test_staging_folders_of_killed_loads_are_removed(private_cache):
    dead = private_cache.with_name(f".{private_cache.name}.999999999.staging")
    dead.mkdir()
    (dead / "model.safetensors").write_bytes(b"half a model")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a complete cache loads without a word
        _bundled_model_folder()
    assert not dead.exists()


# 3, 4, 6: odd text in plots, tables and cell outputs ----------------------------------------------


def test_maths_and_control_characters_in_tokens_do_not_break_plots(lm):
    import matplotlib

    matplotlib.use("Agg")
    from helpers.plots import plot_alternatives, plot_token_probabilities

    generation = score(lm, " $$x^2$$ costs $5 \x1b[1m bold\x07", prompt="Maths:")
    for plot in (plot_token_probabilities, plot_alternatives):
        figure = plot(generation)
        figure.savefig(io.BytesIO(), format="png")  # mathtext would raise on an unescaped "$$"
        labels = [label.get_text() for label in figure.axes[0].get_xticklabels()]
        assert any("\\$\\$" in label for label in labels) and not any("\x1b" in label for label in labels)


def test_control_characters_and_blank_lines_in_tables_compile_in_latex(lm, tmp_path):
    xelatex = require_tool("xelatex")
    from .conftest import LATEX_PREAMBLE

    generation = score(lm, "code\x1b[1m and\x07 more\x0c", prompt="Finn writes")
    table = token_table(generation, caption="first line\n\nsecond line \x00 here")._repr_latex_()
    assert "\x1b" not in table and "\x00" not in table and "\n\n" not in table.split("\\begin{tabular}")[0]
    tex = tmp_path / "t.tex"
    tex.write_text("\\documentclass{article}\n" + LATEX_PREAMBLE + "\n\\begin{document}\n" + table +
                   "\\end{document}\n", encoding="utf-8")
    done = subprocess.run([xelatex, "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=tmp_path,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
    text = pdf_text(tex.with_suffix(".pdf"))
    assert "\\x1b" in text and "\\x07" in text and "first line second line \\x00 here" in text


def test_cell_outputs_with_control_characters_render_to_pdf(tmp_path):
    require_tool("xelatex")
    document = _qmd(tmp_path, "---\ntitle: Control\n---\n\n"
                              "```{python}\nprint('bell\\x07 nul\\x00 feed\\x0c esc\\x1b[1mbold\\x1b[0m end')\n```\n"
                              "\n# RTL: שלום and مرحبا, Greek αβγ, Cyrillic Привет, CJK 你好\n"
                              # an executed notebook's Markdown with a traceback's colours in its text (Quarto's
                              # 13667 test): the codes left out, the caret escaped for LaTeX
                              "\n```\n\x1b[31mSyntaxError\x1b[39m: pasted here\n    ^\n```\n")
    code, stderr = render_cli(str(document), "--to", "pdf", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    text = pdf_text(tmp_path / "out" / "doc.pdf")
    assert "bell\\x07 nul\\x00 feed\\x0c escbold end" in text  # ANSI colours removed, the rest visible
    assert "SyntaxError: pasted here" in text
    for word in ("αβγ", "Привет", "你好"):
        assert word in text
    shaped = unicodedata.normalize("NFKC", text)  # Arabic comes back in its contextual presentation forms
    for letter in "שלוםمرحبا":
        assert letter in shaped
    assert "missing characters" not in stderr


def test_characters_no_font_has_are_named_in_a_warning(tmp_path):
    require_tool("xelatex")
    document = _qmd(tmp_path, "---\ntitle: Linear B\n---\n\nLinear B: \U00010000 ends here.\n")
    code, stderr = render_cli(str(document), "--to", "pdf", "--output-dir", str(tmp_path / "out"))
    assert code == 0
    assert "the PDF is missing characters its fonts lack" in stderr and "U+10000" in stderr
    code, stderr = render_cli(str(document), "--to", "pdf", "--output-dir", str(tmp_path / "out"),
                           "--fail-on-missing-glyphs")
    assert code == 1 and "U+10000" in stderr


def test_a_latex_error_shows_its_bang_line_and_the_source_line(tmp_path):
    require_tool("xelatex")
    document = _qmd(tmp_path, "---\ntitle: Broken\n---\n\n```{=latex}\n\\undefinedmacro{x}\n```\n")
    code, stderr = render_cli(str(document), "--to", "pdf", "--output-dir", str(tmp_path / "out"))
    assert code == 1
    assert "! Undefined control sequence." in stderr and "\\undefinedmacro" in stderr and "source line" in stderr


# 8, 9: publishing -------------------------------------------------------------------------------------


def test_all_formats_are_published_together_or_not_at_all(tmp_path):
    output = tmp_path / "out"
    output.mkdir()
    (output / "doc.ipynb").write_text("previous notebook")
    # the notebook is written, then the page fails (its template is missing)
    document = _qmd(tmp_path, "---\ntitle: T\nformat:\n  ipynb: default\n  html:\n    template: missing.html\n"
                              "---\n\nText.\n")
    code, stderr = render_cli(str(document), "--to", "ipynb,html", "--output-dir", str(output))
    assert code == 1 and "template: missing.html does not exist" in stderr
    assert (output / "doc.ipynb").read_text() == "previous notebook"
    assert sorted(p.name for p in output.iterdir()) == ["doc.ipynb"]  # no temporary files left


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"), reason="mounting a small tmpfs needs root")
def test_a_full_disk_leaves_no_temporary_files_and_the_old_outputs(tmp_path):
    disk = tmp_path / "small-disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        (disk / "report.html").write_text("previous report")
        big = tmp_path / "report.html"
        big.write_bytes(os.urandom(1024 * 1024))
        with pytest.raises(RenderError, match="could not write into"):
            publish([big], disk)
        assert sorted(p.name for p in disk.iterdir()) == ["report.html"]
        assert (disk / "report.html").read_text() == "previous report"
    finally:
        subprocess.run(["umount", str(disk)])


def test_output_with_a_folder_and_a_file_as_output_dir_fail_before_running(tmp_path):
    document = _qmd(tmp_path, "```{python}\nopen('ran', 'w').write('x')\n```\n")
    code, stderr = render_cli(str(document), "--output", "sub/name", "--output-dir", str(tmp_path / "out"))
    assert code == 1 and "--output 'sub/name' is a file name" in stderr
    (tmp_path / "a-file").write_text("x")
    code, stderr = render_cli(str(document), "--output-dir", str(tmp_path / "a-file"))
    assert code == 1 and "is a file; name a folder" in stderr
    assert not (tmp_path / "ran").exists()  # nothing was executed
    assert "Traceback" not in stderr


def test_two_notebooks_with_the_same_name_are_refused(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        _qmd(tmp_path / folder, "Text.\n", "report.qmd")
    code, stderr = render_cli(str(tmp_path / "a" / "report.qmd"), str(tmp_path / "b" / "report.qmd"),
                           "--output-dir", str(tmp_path / "out"))
    assert code == 1 and "would write the same files" in stderr
    assert not (tmp_path / "out").exists()


# 10: -P values ---------------------------------------------------------------------------------------


def test_quoted_parameter_values_keep_their_spaces():
    defaults = {"prompt": "Finn writes code", "max_new_tokens": 5}
    given = parse_cli_parameters(['prompt:" Finn writes code"'])
    assert resolve_parameters(given, defaults, "nb")["prompt"] == " Finn writes code"
    given = parse_cli_parameters(["prompt:'  two spaces  '"])
    assert resolve_parameters(given, defaults, "nb")["prompt"] == "  two spaces  "
    assert resolve_parameters(parse_cli_parameters(["prompt:  x  "]), defaults, "nb")["prompt"] == "x"
    assert resolve_parameters(parse_cli_parameters(["prompt:5"]), defaults, "nb")["prompt"] == "5"
    assert resolve_parameters(parse_cli_parameters(["max_new_tokens:7"]), defaults, "nb")["max_new_tokens"] == 7


# 12: memory --------------------------------------------------------------------------------------------

_PEAK = """
import resource, sys
from helpers import load_model
from helpers.sampling import sample_frequencies
lm = load_model()
sample_frequencies(lm, "Finn writes code", samples=int(sys.argv[1]), top=3)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_sampling_memory_does_not_grow_with_the_number_of_samples(lm):
    peaks = {}
    for samples in (256, 1024):  # four batches against one
        done = subprocess.run([sys.executable, "-c", _PEAK, str(samples)], capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        peaks[samples] = int(done.stdout.split()[-1]) / 1024  # MiB
    assert peaks[1024] < peaks[256] + 200, peaks  # one batch of 2048 took about 3 GB more


def test_huge_cell_outputs_are_cut_with_a_visible_note(tmp_path):
    document = _qmd(tmp_path, "```{python}\nprint('x' * 300_000)\n```\n")
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    html = (tmp_path / "out" / "doc.html").read_text()
    assert "output truncated: 200,001 more characters not shown" in html  # 300,000 x and a newline, 100,000 shown
    assert html.count("x" * 1000) < 150


# 13: one clear line instead of a traceback -------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("---\n- a list\n---\n", "front matter must be 'key: value' lines"),
    ("---\nexecute: \"yes\"\n---\n\n```{python}\n1\n```\n", "'execute:' must be a mapping"),
    ("```{python}\n#| tags: parameters\nx = 1\n```\n", "'#| tags:' takes a list"),
    ("```{python}\n#| tags: [parameters]\nx = (\n```\n", "the parameters cell is not valid Python"),
    ("```{python}\nimport os\nos._exit(3)\n```\n", "the Jupyter kernel died while running cell"),
])
def test_bad_documents_are_one_clear_error(tmp_path, text, message):
    code, stderr = render_cli(str(_qmd(tmp_path, text)), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 1 and message in stderr and "Traceback" not in stderr
    assert len([line for line in stderr.splitlines() if line.startswith("error:")]) == 1


def test_an_endless_cell_stops_at_the_timeout_naming_the_cell(tmp_path):
    document = _qmd(tmp_path, "```{python}\n#| label: forever\nimport time\nwhile True:\n    time.sleep(1)\n```\n")
    started = time.monotonic()
    code, stderr = render_cli(str(document), "--to", "html", "--output-dir", str(tmp_path / "out"),
                           "--execute-timeout", "3")
    assert code == 1 and "cell 0 (forever) ran longer than the 3 s timeout" in stderr
    assert time.monotonic() - started < 60 and "Traceback" not in stderr


def test_bad_parameter_files_are_one_clear_error(tmp_path):
    latin1 = tmp_path / "latin1.yml"
    latin1.write_bytes("prompt: caf\xe9\n".encode("latin-1"))
    integer_keys = tmp_path / "keys.yml"
    integer_keys.write_text("1: one\n")
    deep = tmp_path / "deep.yml"
    deep.write_text("a: " + "[" * 3000 + "]" * 3000 + "\n")
    for path, message in ((latin1, "not UTF-8"), (integer_keys, "names must be text"), (deep, "nested too deeply")):
        with pytest.raises(ParameterError, match=message):
            read_parameter_file(path)


def test_engine_quarto_without_quarto_is_one_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no quarto there
    assert main([str(_qmd(tmp_path, "Text.\n")), "--engine", "quarto"]) == 1
    assert "Quarto is not installed" in capsys.readouterr().err


def _children(pid: int) -> list[str]:
    return subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()


def test_a_killed_render_stops_its_kernel_and_leaves_no_connection_file(tmp_path):
    document = _qmd(tmp_path, "```{python}\nimport time\nopen('started', 'w').close()\ntime.sleep(120)\n```\n")
    process = subprocess.Popen([sys.executable, "-m", "qmdrender", str(document), "--to", "html",
                                "--output-dir", str(tmp_path / "out")], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "started").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert (tmp_path / "started").exists(), "the cell never started"
        kernels = _children(process.pid)
        assert kernels, "no kernel process found"
        command = Path(f"/proc/{kernels[0]}/cmdline").read_bytes().split(b"\0")
        connection = Path(command[command.index(b"-f") + 1].decode())
        assert connection.exists()
        sockets = json.loads(connection.read_text())["ip"]  # the kernel's socket files are named from it
        assert list(Path(sockets).parent.glob(Path(sockets).name + "-*"))
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 143
        time.sleep(1)
        assert not any(Path(f"/proc/{pid}").exists() for pid in kernels), "the kernel outlived the render"
        assert not connection.exists()
        assert not list(Path(sockets).parent.glob(Path(sockets).name + "-*"))
        assert "interrupted" in process.stderr.read().decode()
    finally:
        if process.poll() is None:
            process.kill()


# 14: the smaller ones ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("options", "message"), [
    ({"strategy": "sample", "seed": 2**70}, "seed must be None or an integer from 0 to 2\\*\\*32 - 1"),
    ({"top_alternatives": 10**6}, "more than the model's"),
    ({"max_new_tokens": True}, "max_new_tokens must be an integer"),
    ({"strategy": "beam", "num_beams": 2, "length_penalty": math.nan}, "length_penalty must be a finite number"),
])
def test_bad_generation_arguments_fail_before_generating(lm, options, message):
    started = time.monotonic()
    with pytest.raises(ValueError, match=message):
        generate(lm, PROMPT, **options)
    assert time.monotonic() - started < 1


def test_a_dict_prompt_and_bad_token_ids_are_refused(lm):
    with pytest.raises(ValueError, match="prompt must be a string or a list of strings, got a dict"):
        generate(lm, {"prompt": PROMPT})
    with pytest.raises(ValueError, match="outside the model's vocabulary"):
        score(lm, [-1])
    with pytest.raises(ValueError, match=r"token ids must be integers, got 1\.7"):
        score(lm, [1.7])


def test_an_empty_generation_has_no_perplexity_and_tables_check_decimals(lm):
    assert math.isnan(Generation("p", "", (), "m", "fp", {}).perplexity)
    with pytest.raises(ValueError, match="decimals must be an integer from 0 to 12"):
        token_table(generate(lm, PROMPT, max_new_tokens=1), decimals=-1)


def test_load_model_expands_the_home_folder_and_explains_bad_folders(lm, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "not-a-model").mkdir()
    (tmp_path / "not-a-model" / "notes.txt").write_text("no weights here")
    with pytest.raises(ModelLoadError) as raised:
        load_model("~/not-a-model")
    message = str(raised.value)
    assert "from that folder" in message and "config.json" in message and "hf download" not in message


def test_render_as_quarto_spells_it_renders_the_document(tmp_path):
    # "quarto render notes.qmd" becomes "python -m qmdrender render notes.qmd" (it said "render: no such document")
    (tmp_path / "notes.qmd").write_text("---\ntitle: Notes\n---\n\nPlain words.\n", encoding="utf-8")
    code, stderr = render_cli("render", str(tmp_path / "notes.qmd"), "--to", "html", "--output-dir", str(tmp_path))
    assert code == 0, stderr
    assert "Plain words." in (tmp_path / "notes.html").read_text(encoding="utf-8")
