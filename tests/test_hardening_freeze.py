"""Hardening, round 2, freeze: results belong to their document, parameters and code; "up to date" covers
everything the page uses; the store is validated, escaped like live output, pruned, and never followed
through a symbolic link."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from qmdrender.freeze import FreezeStore

from .conftest import render_cli

FROZEN = """---
title: "{title}"
format: html
execute:
  freeze: {mode}
---

{prose}

```{{python}}
#| tags: [parameters]
n = 1
```

```{{python}}
with open("runs.log", "a") as log:
    log.write("ran\\n")
value = {code}
print(f"n is {{n}}, value is {{value}}")
```

The value is `{{python}} value`.
"""


def _write(path: Path, *, title: str = "Doc", mode: str = "auto", prose: str = "Prose.", code: str = "6 * 7") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FROZEN.format(title=title, mode=mode, prose=prose, code=code), encoding="utf-8")
    return path


def _render(document: Path, out: Path, *extra: str) -> str:
    code, stderr = render_cli(str(document), "--output-dir", str(out), *extra)
    assert code == 0, stderr
    return stderr


def _text(html: Path) -> str:
    return " ".join(BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").get_text(" ").split())


def _runs(folder: Path) -> int:
    log = folder / "runs.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_two_documents_with_one_name_in_two_folders_keep_their_own_results(tmp_path, monkeypatch):
    shared_store = tmp_path / "store"
    monkeypatch.setenv("LLM_REPORTS_FREEZE_DIR", str(shared_store))
    a = _write(tmp_path / "a" / "report.qmd", code="6 * 7")
    b = _write(tmp_path / "b" / "report.qmd", code="6 * 8")
    _render(a, tmp_path / "out-a")
    _render(b, tmp_path / "out-b")
    assert "value is 42" in _text(tmp_path / "out-a" / "report.html")
    assert "value is 48" in _text(tmp_path / "out-b" / "report.html")
    monkeypatch.delenv("LLM_REPORTS_FREEZE_DIR")  # in a project: _freeze/<path in the project>, as Quarto keys it
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\n")
    _render(a, tmp_path / "out-a")
    _render(b, tmp_path / "out-b")
    assert list((tmp_path / "_freeze" / "a" / "report").glob("*.ipynb")) and \
        list((tmp_path / "_freeze" / "b" / "report").glob("*.ipynb"))
    assert "value is 48" in _text(tmp_path / "out-b" / "report.html")


def test_freeze_true_never_answers_with_another_parameter_set_or_old_code(tmp_path):
    document = _write(tmp_path / "doc.qmd", mode="true")
    for n in (2, 3):
        _render(document, tmp_path / "out", "-P", f"n:{n}")
        assert f"n is {n}, value is 42" in _text(tmp_path / "out" / "doc.html")
    _write(document, mode="true", code="6 * 9")
    _render(document, tmp_path / "out", "-P", "n:3")
    assert "n is 3, value is 54" in _text(tmp_path / "out" / "doc.html")
    _render(document, tmp_path / "out", "-P", "n:2")  # back to an earlier parameter set: its own, current result
    assert "n is 2, value is 54" in _text(tmp_path / "out" / "doc.html")


USES = """---
title: "Uses"
format: html
css: page.css
bibliography: refs.bib
execute:
  freeze: auto
---

Version {{< var version >}} for {{< env HARDENING_READER >}} [@knuth].

![A picture](picture.png)
"""


def test_up_to_date_covers_variables_images_environment_bibliography_and_css(tmp_path, monkeypatch):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\n")
    (tmp_path / "_variables.yml").write_text("version: one\n")
    (tmp_path / "page.css").write_text(".first-rule { color: red; }\n")
    (tmp_path / "refs.bib").write_text("@book{knuth, title={The First Title}, author={Knuth, Donald}, year={1984}}\n")
    (tmp_path / "picture.png").write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="))
    document = tmp_path / "uses.qmd"
    document.write_text(USES, encoding="utf-8")
    monkeypatch.setenv("HARDENING_READER", "Ada")
    out = tmp_path / "out"
    _render(document, out)
    page = out / "uses.html"
    assert "Version one for Ada" in _text(page) and "up to date" in _render(document, out)

    def changed(edit) -> str:
        edit()
        assert "up to date" not in _render(document, out)
        return page.read_text(encoding="utf-8")

    assert "Version two" in changed(lambda: (tmp_path / "_variables.yml").write_text("version: two\n"))
    assert "for Grace" in changed(lambda: monkeypatch.setenv("HARDENING_READER", "Grace"))
    assert "The Second Title" in changed(lambda: (tmp_path / "refs.bib").write_text(
        "@book{knuth, title={The Second Title}, author={Knuth, Donald}, year={1984}}\n"))
    assert ".second-rule" in changed(lambda: (tmp_path / "page.css").write_text(".second-rule { color: blue; }\n"))
    before = page.read_text(encoding="utf-8")
    after = changed(lambda: (tmp_path / "picture.png").write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")))
    assert before != after


def _store(document: Path) -> Path:
    return document.parent / "_freeze" / document.stem


def test_the_store_is_never_followed_through_a_symbolic_link(tmp_path, monkeypatch):
    monkeypatch.delenv("LLM_REPORTS_FREEZE_DIR")
    document = _write(tmp_path / "doc" / "doc.qmd")
    out = tmp_path / "out"
    _render(document, out)
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    record = _store(document) / "outputs-doc.json"
    record.unlink()
    record.symlink_to(outside)
    _write(document, prose="Edited prose.")
    _render(document, out)
    assert outside.read_text() == "keep me" and not record.is_symlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for entry in _store(document).iterdir():
        entry.unlink()
    _store(document).rmdir()
    _store(document).symlink_to(elsewhere, target_is_directory=True)
    said = _render(document, out)
    assert "symbolic link" in said and list(elsewhere.iterdir()) == []
    assert "value is 42" in _text(out / "doc.html")


def _entry(document: Path) -> Path:
    entries = list(_store(document).glob("*.ipynb"))
    assert len(entries) == 1, entries
    return entries[0]


def test_stored_inline_values_are_escaped_like_live_ones(tmp_path, monkeypatch):
    monkeypatch.delenv("LLM_REPORTS_FREEZE_DIR")
    document = _write(tmp_path / "doc.qmd")
    _render(document, tmp_path / "out")
    entry = _entry(document)
    notebook = nbformat.read(str(entry), as_version=4)
    notebook.metadata["inline-values"] = [{"text/plain": "'<script>alert(1)</script>'"}]
    nbformat.write(notebook, str(entry))
    _write(document, prose="Edited prose, so the page is written again from the store.")
    _render(document, tmp_path / "out")
    html = (tmp_path / "out" / "doc.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "alert(1)" in _text(tmp_path / "out" / "doc.html")
    assert _runs(tmp_path) == 1


@pytest.mark.parametrize("damage", ["inline-values", "base64"])
def test_a_damaged_entry_is_rebuilt(tmp_path, monkeypatch, damage):
    monkeypatch.delenv("LLM_REPORTS_FREEZE_DIR")
    document = _write(tmp_path / "doc.qmd")
    _render(document, tmp_path / "out")
    entry = _entry(document)
    notebook = nbformat.read(str(entry), as_version=4)
    if damage == "inline-values":
        notebook.metadata["inline-values"] = 5
    else:
        code = [c for c in notebook.cells if c.cell_type == "code"][-1]
        code.outputs.append(nbformat.v4.new_output("display_data", data={"image/png": "!!! not base64 !!!"}))
    entry.write_text(json.dumps(notebook))
    _write(document, prose="Edited prose.")
    said = _render(document, tmp_path / "out")
    assert "re-executing" in said and _runs(tmp_path) == 2
    assert "value is 42" in _text(tmp_path / "out" / "doc.html")


def test_stale_entries_are_pruned(tmp_path, monkeypatch):
    monkeypatch.delenv("LLM_REPORTS_FREEZE_DIR")
    document = _write(tmp_path / "doc.qmd")
    for code in ("6 * 7", "6 * 8", "6 * 9"):
        _write(document, code=code)
        _render(document, tmp_path / "out")
    _render(document, tmp_path / "out", "-P", "n:5")
    assert len(list(_store(document).glob("*.ipynb"))) == 2  # one per parameter set, the newest code


def test_a_store_that_cannot_be_written_is_a_warning(tmp_path, capsys, monkeypatch):
    def full(path, content):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("qmdrender.freeze.write_atomic", full)
    FreezeStore(tmp_path / "store").save("p", "k", nbformat.v4.new_notebook())
    assert "No space left on device" in capsys.readouterr().err
    assert not any(p.name.endswith(".tmp") for p in tmp_path.rglob("*"))
    assert os.listdir(tmp_path) in ([], ["store"])
