"""A project's ``_environment`` files, as Quarto applies them: the kernel (its imports too), the pre-render script
and the active profile see their variables; ``.local`` wins over a profile's file, which wins over
``_environment``; the real environment wins over all; a changed value runs the cells again; another project's
render, and this process after the render, do not keep them."""

from __future__ import annotations

import os
import re
from pathlib import Path

from bs4 import BeautifulSoup

from .conftest import render_cli

CELL = """---
title: Environment
---

```{python}
import os
import shout  # from scripts/, which _environment puts on PYTHONPATH
print(shout.shout(os.environ.get("QMD_ENV_GREETING", "unset")), os.environ.get("QMD_ENV_LOCAL", "unset"),
      os.environ.get("QUARTO_PROFILE", "none"))
```
"""

PRE_RENDER = """import os
with open("pre-render.txt", "w") as out:
    out.write(os.environ.get("QMD_ENV_GREETING", "unset") + " " + os.environ.get("QUARTO_PROFILE", "none"))
"""


def _project(folder: Path) -> Path:
    files = {
        "_quarto.yml": "project:\n  pre-render: pre.py\nprofile:\n  default: course\nexecute:\n  freeze: auto\n",
        "_environment": "# the course's variables\nPYTHONPATH=scripts\nQMD_ENV_GREETING=from-base\n",
        "_environment-course": "QMD_ENV_GREETING=\"from course\"\n",
        "_environment.local": "export QMD_ENV_LOCAL='kept here'  # not checked in\nQMD_ENV_GREETING=${HOME}\n",
        "scripts/shout.py": "def shout(text):\n    return text.upper()\n",
        "pre.py": PRE_RENDER,
        "page.qmd": CELL,
    }
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def _printed(page: Path) -> str:
    output = BeautifulSoup(page.read_text(), "html.parser").select_one(".cell-output-stdout")
    return output.get_text(" ", strip=True) if output else ""


def test_the_environment_files_reach_the_kernel_the_scripts_and_the_profile_in_quartos_order(tmp_path, monkeypatch):
    monkeypatch.delenv("QUARTO_PROFILE", raising=False)  # the project's default profile decides
    project = _project(tmp_path / "course")
    code, stderr = render_cli(str(project))
    assert code == 0, stderr
    # .local wins over the course profile's file, which wins over _environment; ${HOME} is the real one
    home = os.environ["HOME"]
    assert _printed(project / "page.html") == f"{home.upper()} kept here course"
    assert (project / "pre-render.txt").read_text() == f"{home} course"
    assert "QMD_ENV_GREETING" not in os.environ and "QMD_ENV_LOCAL" not in os.environ  # not after the render
    assert "QUARTO_PROFILE" not in os.environ  # the default profile was the render's, not this process's
    # a lone document afterwards (no project) does not inherit the course's variables
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "page.qmd").write_text(re.sub(r"import shout.*\n", "", CELL).replace("shout.shout(", "str("))
    code, stderr = render_cli(str(lone / "page.qmd"), "--output-dir", str(lone / "out"))
    assert code == 0, stderr
    assert _printed(lone / "out" / "page.html") == "unset unset none"


def test_a_changed_environment_file_runs_the_cells_again_and_the_real_environment_wins(tmp_path, monkeypatch):
    monkeypatch.delenv("QUARTO_PROFILE", raising=False)
    project = _project(tmp_path / "course")
    (project / "_environment-course").unlink()
    (project / "_environment.local").unlink()
    code, stderr = render_cli(str(project))
    assert code == 0, stderr
    assert _printed(project / "page.html").startswith("FROM-BASE ")
    # freeze: auto keeps the stored outputs only while everything the cells depend on is the same
    (project / "_environment").write_text("PYTHONPATH=scripts\nQMD_ENV_GREETING=changed\n")
    code, stderr = render_cli(str(project))
    assert code == 0, stderr
    assert _printed(project / "page.html").startswith("CHANGED ")
    monkeypatch.setenv("QMD_ENV_GREETING", "from the shell")
    code, stderr = render_cli(str(project))
    assert code == 0, stderr
    assert _printed(project / "page.html") == "FROM THE SHELL unset course"


def test_a_warm_kernel_that_started_with_other_environment_values_is_not_reused(tmp_path):
    from qmdrender import environment
    from qmdrender.warm import WarmKernels

    kernels = WarmKernels()
    try:
        first = kernels.manager("python3", str(tmp_path))
        assert kernels.manager("python3", str(tmp_path)) is first  # same values: the same kernel
        (tmp_path / "_environment").write_text("QMD_ENV_WARM=1\n")
        environment.apply(tmp_path, ())
        assert kernels.manager("python3", str(tmp_path)) is not first  # it would not inherit QMD_ENV_WARM
    finally:
        environment.back_out()
        kernels.shutdown()
    assert "QMD_ENV_WARM" not in os.environ
