"""Hardening, round 2, grids: input with limits and one clear line each, slugs that never take the index's
name, published values that neither go stale nor take an index column, spreadsheet-safe CSV, contained
failures, SIGTERM that stops the workers, and Dask that brings the files home."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qmdrender.grid import run_grid
from qmdrender.grid_index import SetResult, write_index
from qmdrender.grid_input import GridSet, make_sets, read_grid
from qmdrender.parameters import ParameterError

from .conftest import local_dask_cluster, render_cli


def _grid(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "grid.yml"
    path.write_text(text, encoding="utf-8")
    return path


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)) + "prompt: [*i]\n"


@pytest.mark.parametrize(("text", "message"), [
    (LAUGHS, "anchors and aliases"),
    ("a: [" + ", ".join(map(str, range(100))) + "]\nb: [" + ", ".join(map(str, range(100))) + "]\n"
     "c: [" + ", ".join(map(str, range(100))) + "]\nd: [" + ", ".join(map(str, range(100))) + "]\n",
     "the product is 100,000,000 sets; a grid has at most 10,000"),
    ("- {n: 1}\n" * 10_001, "10,001 sets; a grid has at most 10,000"),
    ("- n: " + "[" * 30 + "]" * 30 + "\n", "nested more than"),
    ("1: [a, b]\n", "parameter names must be text"),
    ("shared: [1, 2]\nproduct: {n: [1, 2]}\n", "'shared:' holds 'name: value' lines"),
    ("- {n: 1}\n- {2: x}\n", "parameter names must be text"),
])
def test_grid_input_has_limits_and_one_clear_line_each(tmp_path, text, message):
    started = time.perf_counter()
    with pytest.raises(ParameterError, match=message) as error:
        read_grid(_grid(tmp_path, text))
    assert "\n" not in str(error.value) and len(str(error.value)) < 300
    assert time.perf_counter() - started < 30  # refused before anything was built


@pytest.mark.parametrize(("template", "message"), [
    ("{prompt.__init__.__globals__}", "is not a parameter name"),
    ("{prompt[0]}", "is not a parameter name"),
    ("{prompt!r:>99999999}", "too wide"),
    ("{nope}", "not a parameter of every set"),
    ("{0}", "is not a parameter name"),
])
def test_a_name_template_may_only_name_parameters(template, message):
    with pytest.raises(ParameterError, match=message):
        make_sets([{"prompt": "a"}, {"prompt": "b"}], template)


def test_slugs_never_take_the_index_name_and_stay_unique_in_a_big_grid():
    sets = make_sets([{"name": "index"}, {"name": "Index"}, {"name": "other"}], "{name}")
    assert all(s.slug != "index" for s in sets) and len({s.slug for s in sets}) == 3
    many = make_sets([{"n": i % 500, "m": i} for i in range(10_000)], "{n}")
    assert len({s.slug for s in many}) == 10_000


def _read_csv(folder: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / "index.csv").read_text(encoding="utf-8"))))


def test_published_values_cannot_take_an_index_column_and_csv_cells_cannot_start_a_formula(tmp_path):
    results = [SetResult("a", {"prompt": "=cmd|' /C calc'!A0"}, "ok", 1.0, ["a.html"],
                         published={"status": "evil", "files": "x", "score": -1.5, "note": "+HYPERLINK(\"x\")",
                                    "sum": "@SUM(1)"}),
               SetResult("b", {"prompt": "<img src=x onerror=alert(1)>"}, "ok", 1.0, ["b.html"], published={})]
    write_index(Path("doc.qmd"), results, tmp_path)
    rows = _read_csv(tmp_path)
    header = rows[0]
    assert header[:5] == ["slug", "prompt", "status", "seconds", "files"]
    assert {"published.status", "published.files"} <= set(header)
    first = dict(zip(header, rows[1], strict=True))
    assert first["status"] == "ok" and first["published.status"] == "evil"
    assert first["prompt"] == "'=cmd|' /C calc'!A0" and first["note"].startswith("'+") and first["sum"] == "'@SUM(1)"
    assert first["score"] == "-1.5"  # a number stays a number
    markdown = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert markdown.count("<img") == markdown.count("\\<img") == 1  # shown as text, never as HTML
    assert "<img src=x" not in (tmp_path / "index.html").read_text(encoding="utf-8")


PUBLISHES = """---
title: "Publishes"
format: html
---

```{python}
#| tags: [parameters]
publish_it = True
explode = False
```

```{python}
from qmdrender.published import publish
if explode:
    raise SystemExit("the kernel goes away")
if publish_it:
    publish(value=42)
print("rendered")
```
"""


def test_a_render_that_stops_publishing_loses_its_old_values(tmp_path):
    from qmdrender import render

    document = tmp_path / "doc.qmd"
    document.write_text(PUBLISHES, encoding="utf-8")
    render(document, output_dir=tmp_path / "out", engine="embedded")
    assert (tmp_path / "out" / "doc.published.json").is_file()
    render(document, output_dir=tmp_path / "out", engine="embedded", parameters={"publish_it": False})
    assert not (tmp_path / "out" / "doc.published.json").exists()


def test_an_unexpected_failure_of_one_set_is_contained(tmp_path, monkeypatch):
    import qmdrender.pipeline

    real = qmdrender.pipeline.render

    def flaky(notebook, **options):
        if options["output"].endswith("2"):
            raise KeyError("something no one expected")
        return real(notebook, **options)

    monkeypatch.setattr(qmdrender.pipeline, "render", flaky)
    document = tmp_path / "doc.qmd"
    document.write_text(PUBLISHES, encoding="utf-8")
    sets = [GridSet("set-1", {"publish_it": True}), GridSet("set-2", {"publish_it": False})]
    results = run_grid(document, sets, formats=("html",), output_dir=tmp_path / "out",
                       options={"engine": "embedded"})
    assert [r.status for r in results] == ["ok", "failed"] and "KeyError" in results[1].error
    rows = _read_csv(tmp_path / "out" / "doc")
    assert [row[0] for row in rows[1:]] == ["set-1", "set-2"]


SLEEPS = """---
title: "Sleeps"
format: html
---

```{python}
#| tags: [parameters]
n = 0
```

```{python}
import os, time
with open(f"kernel-{n}.pid", "w") as handle:
    handle.write(str(os.getpid()))
time.sleep(300)
```
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def test_sigterm_stops_the_workers_and_their_kernels(tmp_path):
    document = tmp_path / "doc.qmd"
    document.write_text(SLEEPS, encoding="utf-8")
    grid = _grid(tmp_path, "n: [1, 2]\n")
    process = subprocess.Popen([sys.executable, "-m", "qmdrender", str(document), "--grid", str(grid), "--jobs", "2",
                                "--output-dir", str(tmp_path / "out"), "--engine", "embedded"],
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("kernel-*.pid"))) < 2:
        assert time.monotonic() < deadline and process.poll() is None, "the kernels did not start"
        time.sleep(0.5)
    kernels = [int(p.read_text()) for p in tmp_path.glob("kernel-*.pid")]
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143 and "interrupted" in stderr
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in kernels) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not any(_alive(pid) for pid in kernels)
    assert (tmp_path / "out" / "doc" / "index.html").is_file()  # the index says what was and was not rendered


def test_a_malformed_scheduler_address_is_one_clear_error(tmp_path):
    document = tmp_path / "doc.qmd"
    document.write_text(PUBLISHES, encoding="utf-8")
    code, stderr = render_cli(str(document), "--grid", str(_grid(tmp_path, "publish_it: [true]\n")),
                              "--scheduler", "tcp://not a host::", "--output-dir", str(tmp_path / "out"))
    assert code == 1 and "cannot reach a Dask scheduler" in stderr and "Traceback" not in stderr


def test_dask_brings_the_files_home_whatever_the_working_folders(tmp_path, monkeypatch):
    document = tmp_path / "project" / "doc.qmd"
    document.parent.mkdir()
    document.write_text(PUBLISHES, encoding="utf-8")
    grid = _grid(tmp_path, "publish_it: [true, false]\n")
    worker_home = tmp_path / "workers"
    worker_home.mkdir()
    monkeypatch.chdir(worker_home)  # the workers start here ...
    with local_dask_cluster(1) as cluster:
        client_home = tmp_path / "client"
        client_home.mkdir()
        monkeypatch.chdir(client_home)  # ... and the client runs from here, with relative paths
        code, stderr = render_cli(os.path.relpath(document), "--grid", os.path.relpath(grid), "--output-dir", "out",
                                  "--scheduler", cluster.scheduler_address)
    assert code == 0, stderr
    folder = client_home / "out" / "doc"
    assert sorted(p.name for p in folder.glob("*.html")) == ["index.html", "publish-it-false.html",
                                                           "publish-it-true.html"]
    assert (folder / "publish-it-true.published.json").is_file()
    assert not list(worker_home.rglob("*.html"))


def test_a_scheduler_that_dies_mid_grid_fails_the_sets_in_time(tmp_path):
    port = _free_port()
    dask = str(Path(sys.executable).with_name("dask"))
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([dask, "worker", f"tcp://127.0.0.1:{port}", "--nthreads", "1", "--no-dashboard"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    try:
        document = tmp_path / "doc.qmd"
        document.write_text(SLEEPS, encoding="utf-8")
        grid = _grid(tmp_path, "n: [1, 2]\n")
        client = subprocess.Popen([sys.executable, "-m", "qmdrender", str(document), "--grid", str(grid),
                                   "--scheduler", f"tcp://127.0.0.1:{port}", "--output-dir", str(tmp_path / "out"),
                                   "--engine", "embedded"], stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob("kernel-*.pid")):
            assert time.monotonic() < deadline and client.poll() is None, "no set started on the cluster"
            time.sleep(0.5)
        scheduler.kill()
        _, stderr = client.communicate(timeout=120)
        assert client.returncode == 1 and "Traceback" not in stderr
        assert "failed" in stderr or "cannot reach" in stderr or "no answer" in stderr
    finally:
        for process in (worker, scheduler):
            process.kill()
            process.wait(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
