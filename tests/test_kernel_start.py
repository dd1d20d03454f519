"""The kernel the command line starts before reading the document (qmdrender.kernel_start) runs the cells only
when it is the kernel and folder the document's options call for, and is never left running."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bs4 import BeautifulSoup

from qmdrender import kernel_start
from qmdrender.cli import main

CELL = '```{python}\nimport os\nprint("cwd:", os.getcwd())\n```\n'


def _kernels_in(folder: Path) -> list[int]:
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if b"ipykernel" in (process / "cmdline").read_bytes() and (process / "cwd").resolve() == folder.resolve():
                found.append(int(process.name))
        except OSError:
            continue
    return found


def _no_kernel_left_in(folder: Path, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while _kernels_in(folder):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def _printed_folder(page: Path) -> str:
    text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("div.cell-output").get_text()
    return text.strip().removeprefix("cwd: ")


def test_the_early_kernel_runs_a_plain_documents_cells_in_its_folder_and_stops(tmp_path, monkeypatch):
    taken = []
    take = kernel_start.take
    monkeypatch.setattr(kernel_start, "take", lambda *where: taken.append(take(*where)) or taken[-1])
    document = tmp_path / "plain.qmd"
    document.write_text('---\ntitle: "Plain"\n---\n\n' + CELL)
    assert main([str(document), "--to", "html", "--engine", "embedded", "--output-dir", str(tmp_path / "out")]) == 0
    assert Path(_printed_folder(tmp_path / "out" / "plain.html")).resolve() == tmp_path.resolve()
    assert len(taken) == 1 and taken[0] is not None  # the execution used the kernel started before the reading
    assert _no_kernel_left_in(tmp_path)


def test_an_early_kernel_in_the_wrong_folder_is_not_used_and_not_left_running(tmp_path):
    project = tmp_path / "project"
    chapter = project / "chapters"
    chapter.mkdir(parents=True)
    (project / "_quarto.yml").write_text("project:\n  type: default\n  execute-dir: project\n")
    document = chapter / "chapter.qmd"
    document.write_text('---\ntitle: "Chapter"\n---\n\n' + CELL)
    assert main([str(document), "--to", "html", "--engine", "embedded", "--output-dir", str(tmp_path / "out")]) == 0
    # the cells ran where the project says, not in the folder the early kernel was started in
    assert Path(_printed_folder(tmp_path / "out" / "chapter.html")).resolve() == project.resolve()
    assert _no_kernel_left_in(chapter)
    assert _no_kernel_left_in(project)


def test_a_document_whose_render_fails_before_running_leaves_no_kernel(tmp_path, capsys):
    document = tmp_path / "bad.qmd"
    document.write_text('---\ntitle: "Bad"\nparams:\n  n: 1\n---\n\n' + CELL)
    assert main([str(document), "--to", "html", "--engine", "embedded", "--output-dir", str(tmp_path / "out"),
                 "-P", "unknown:2"]) == 1
    assert "unknown" in capsys.readouterr().err
    assert kernel_start._launched is None
    assert _no_kernel_left_in(tmp_path)


def test_python_m_qmdrender_starts_the_kernel_from_its_raw_arguments_only_for_one_plain_document(tmp_path,
                                                                                                monkeypatch):
    document = tmp_path / "plain.qmd"
    document.write_text(CELL)
    other = tmp_path / "other.qmd"
    other.write_text(CELL)
    started = []
    monkeypatch.setattr(kernel_start, "launch_for", started.append)
    monkeypatch.setattr(kernel_start.shutil, "which", lambda name: None)  # no Quarto installed
    for argv in (["preview", str(document)], [str(document), "--grid", "sets.yml"], [str(document), "--grid=sets.yml"],
                 ["--engine", "quarto", str(document)], [str(document), str(other)], [str(tmp_path / "missing.qmd")],
                 [str(tmp_path)], ["--to", "html"]):
        kernel_start.launch_early(argv)
        assert started == [], argv
    kernel_start.launch_early([str(document), "--to", "html", "--engine", "embedded"])
    kernel_start.launch_early(["--output-dir", "out", str(document)])
    assert started == [document, document]
    monkeypatch.setattr(kernel_start.shutil, "which", lambda name: "/usr/bin/quarto")  # auto: Quarto runs it
    kernel_start.launch_early([str(document)])
    assert started == [document, document]


def test_the_command_line_keeps_the_kernel_started_early_for_the_same_folder(tmp_path):
    document = tmp_path / "plain.qmd"
    document.write_text(CELL)
    try:
        kernel_start.launch_for(document)
        first = kernel_start._launched.manager
        kernel_start.launch_for(document)  # what the command line does once it has parsed the arguments
        assert kernel_start._launched.manager is first and first.has_kernel
    finally:
        kernel_start.discard()
    assert _no_kernel_left_in(tmp_path)


def test_python_m_qmdrender_renders_with_the_early_kernel_and_leaves_none_running(tmp_path):
    document = tmp_path / "plain.qmd"
    document.write_text('---\ntitle: "Plain"\n---\n\n' + CELL)
    done = subprocess.run([sys.executable, "-m", "qmdrender", str(document), "--to", "html", "--engine", "embedded",
                           "--output-dir", str(tmp_path / "out")], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert Path(_printed_folder(tmp_path / "out" / "plain.html")).resolve() == tmp_path.resolve()
    assert _no_kernel_left_in(tmp_path)


def test_a_kernel_that_hangs_on_its_way_out_is_killed_after_the_shutdown_wait(tmp_path):
    # the render asks the kernel to shut down and goes on; a kernel whose exit hangs (here an atexit handler
    # that sleeps a minute) must not outlive it in a process that goes on, as this test's does
    document = tmp_path / "hangs.qmd"
    document.write_text('---\ntitle: "Hangs"\n---\n\n```{python}\nimport atexit, time\n'
                        'atexit.register(time.sleep, 60)\nprint("registered")\n```\n')
    assert main([str(document), "--to", "html", "--engine", "embedded", "--output-dir", str(tmp_path / "out")]) == 0
    assert "registered" in (tmp_path / "out" / "hangs.html").read_text(encoding="utf-8")
    assert _no_kernel_left_in(tmp_path, seconds=20.0)


def test_every_kernel_talks_over_its_own_unix_sockets_so_kernels_starting_together_cannot_take_its_ports(
        tmp_path, monkeypatch):
    # over TCP a kernel binds ports jupyter_client chose a moment before, and a grid's other kernel could take
    # one in between (the kernel then hangs and the render waits a minute): both ways a kernel is started
    # (early, and by the execution for another folder) connect over socket files in the runtime folder
    runtime = Path(tempfile.mkdtemp(prefix="rt-", dir="/tmp"))  # short: a socket's path has room for 100 bytes
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    cell = ('```{python}\nimport json\nfrom ipykernel import get_connection_file\n'
            'info = json.load(open(get_connection_file()))\nprint(info["transport"], info["ip"])\n```\n')
    project = tmp_path / "project"
    (project / "chapters").mkdir(parents=True)
    (project / "_quarto.yml").write_text("project:\n  type: default\n  execute-dir: project\n")

    def sockets(document: Path) -> list[str]:
        document.write_text('---\ntitle: "Sockets"\n---\n\n' + cell)
        assert main([str(document), "--to", "html", "--engine", "embedded", "--output-dir",
                     str(tmp_path / "out")]) == 0
        page = BeautifulSoup((tmp_path / "out" / f"{document.stem}.html").read_text(encoding="utf-8"), "html.parser")
        return page.select_one("div.cell-output").get_text().split()

    try:
        for document in (tmp_path / "plain.qmd", project / "chapters" / "chapter.qmd"):
            transport, prefix = sockets(document)
            assert transport == "ipc" and Path(prefix).parent == runtime, document
        assert _no_kernel_left_in(tmp_path) and _no_kernel_left_in(project)
        deadline = time.monotonic() + 10  # the sockets go with the kernel
        while list(runtime.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert list(runtime.iterdir()) == []
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
    # a runtime folder too deep for a socket's path: the sockets go to a folder of the render's own instead
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / ("deep" * 30)))
    transport, prefix = sockets(tmp_path / "deep.qmd")
    assert transport == "ipc" and len(prefix) <= 100 and not prefix.startswith(str(tmp_path))
