"""Shared fixtures: the bundled model, loaded once per test session."""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
# With several test workers, two torch processes (a kernel, a model in a test) often run at once on the same
# cores. torch's OpenMP threads spin while they wait, the default, and then take turns very badly: two renders
# of the overview at once took 68 s, against 25 s with passive waiting (one render alone: about 20 s either
# way). The kernels and renders the tests start inherit this.
if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# Nothing a test runs reaches the network: pandoc fetching a page's remote resource, Chromium loading an
# iframe, a download. Each fails at once against a proxy that refuses (port 9 on this machine), whatever
# the machine's network does (here a name fails to resolve at once; elsewhere a connection can hang for
# minutes). Local servers (127.0.0.1) are reached directly.
os.environ.update(dict.fromkeys(("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"), "http://127.0.0.1:9"))
os.environ.update(dict.fromkeys(("NO_PROXY", "no_proxy"), "127.0.0.1,localhost,::1"))
# The notebooks freeze their executions (_quarto.yml: freeze: auto); tests keep theirs apart from the
# project's _freeze/ so that every test session executes afresh.
# The process that makes the folder removes it when it exits; test workers inherit it (and make none).
if "LLM_REPORTS_FREEZE_DIR" not in os.environ:
    os.environ["LLM_REPORTS_FREEZE_DIR"] = tempfile.mkdtemp(prefix="llm-reports-test-freeze-")
    atexit.register(shutil.rmtree, os.environ["LLM_REPORTS_FREEZE_DIR"], ignore_errors=True)

from qmdrender.formats.writing import LATEX_PREAMBLE as PREAMBLE_FILE

PROMPT = "Finn writes code"
# The report preamble (fonts, booktabs), for tests that compile a helper's LaTeX on its own.
LATEX_PREAMBLE = PREAMBLE_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def lm() -> Any:
    """The bundled model (imported here, not at the top: the renderer's tests run without torch)."""
    from helpers import load_model

    return load_model()


def local_dask_cluster(workers: int) -> Any:
    """A Dask LocalCluster for a test, opened as a context manager. Garbage is collected first: a Client
    that an earlier test in this process left to the collector (one whose scheduler died) closes itself
    from ``__del__`` while the new cluster's event loop starts, and both wait for the same lock: a hang
    seen when two test workers ran the files in another order."""
    import gc

    from dask.distributed import LocalCluster

    gc.collect()
    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=None)


def require_tool(name: str) -> str:
    """Path of a system tool; skipped locally when absent, a failure in CI (which installs it)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing in CI: .ci/run should have installed it")
        pytest.skip(f"{name} is not installed (.ci/run installs it)")
    return path


def chromium(*arguments: str, profile: Path) -> subprocess.CompletedProcess:
    """Headless Chromium with a fresh profile and no background network traffic."""
    binary = require_tool("chromium")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--disable-quic", f"--user-data-dir={profile}"]
    return subprocess.run([binary, *flags, *arguments], capture_output=True, text=True, timeout=120)


def pdf_text(path: Path, *, layout: bool = True) -> str:
    """The text of a PDF as a reader would copy it (pages separated by form feeds)."""
    require_tool("pdftotext")
    command = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def render_cli(*arguments: str) -> tuple[int, str]:
    """``python -m qmdrender ... --engine embedded`` in this process: its exit code and its stderr."""
    import contextlib
    import io

    from qmdrender import main

    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = main([*arguments, "--engine", "embedded"])
    return code, stderr.getvalue()


def render_document(folder: Path, name: str, text: str, *arguments: str) -> tuple[Path, str]:
    """``text`` written to ``folder/name.qmd`` and rendered (with ``arguments``) into ``folder/out``, which must
    succeed: the HTML page's path and the render's log."""
    (folder / f"{name}.qmd").write_text(text, encoding="utf-8")
    code, stderr = render_cli(str(folder / f"{name}.qmd"), *arguments, "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    return folder / "out" / f"{name}.html", stderr


def require_module(name: str) -> None:
    """Import check for an optional package; skipped locally when absent, a failure in CI."""
    try:
        __import__(name)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing in CI: make test installs requirements-api.txt")
        pytest.skip(f"{name} is not installed (pip install -r requirements-api.txt)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Server:
    base_url: str
    api_key: str
    model: str


@pytest.fixture(scope="session")
def llama_server() -> Iterator[Server]:
    """llama-cpp-python's OpenAI-compatible server on a free local port with the bundled GGUF (no AMX repack)."""
    require_module("llama_cpp.server")
    from helpers.model import bundled_gguf_path

    port = _free_port()
    server = Server(f"http://127.0.0.1:{port}/v1", "sk-test-" + secrets.token_hex(12), "smollm2-135m")
    command = [sys.executable, "-m", "helpers.backends.llama_runtime", "--model", str(bundled_gguf_path()),
               "--model_alias", server.model, "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "1024",
               "--type_k", "0", "--type_v", "0", "--api_key", server.api_key]
    with tempfile.TemporaryFile() as log:
        yield from _serve(command, server, log)


def wait_until_serving(request: urllib.request.Request | str, process: subprocess.Popen, timeout: float,
                       log: Callable[[], str]) -> None:
    """Poll a URL until the server answers; fail with its log if it exits or does not answer in time."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(request, timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start:\n{log()[-3000:]}")
            time.sleep(0.3)


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()


def _serve(command: list[str], server: Server, log: IO[bytes]) -> Iterator[Server]:
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)

    def read_log() -> str:
        log.seek(0)
        return log.read().decode(errors="replace")

    try:
        request = urllib.request.Request(f"{server.base_url}/models",
                                         headers={"Authorization": f"Bearer {server.api_key}"})
        wait_until_serving(request, process, 90, read_log)
        yield server
    finally:
        stop(process)


def provenance_rows(panel: Any) -> dict[str, str]:
    """A rendered provenance panel's rows (a BeautifulSoup tag) as label -> text, whitespace folded."""
    def folded(cell: Any) -> str:
        return " ".join(cell.get_text().split())

    return {folded(tr.select("td")[0]): folded(tr.select("td")[1]) for tr in panel.select("tr")}


def callout_title(callout: Any) -> str | None:
    """The title a reader sees on a rendered page's callout (a BeautifulSoup tag: Quarto's
    ``.callout-title-container``, without the kind's name said to screen readers only), whitespace folded;
    None when it has no title."""
    container = callout.select_one(".callout-title-container")
    if container is None:
        return None
    return " ".join(text for node in container.find_all(string=True)
                    if not node.find_parent(class_="screen-reader-only") for text in node.split())


# The longest test files start first, so that with two workers (make test) neither is left running one
# of them alone at the end; the rest keep their order.
SLOW_FILES = ("test_benchmarks_smoke.py", "test_render.py", "test_render_lens_chapter_and_deck.py",
              "test_hardening.py", "test_jupyterlab.py", "test_grid_and_freeze.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = Path(str(item.fspath)).name
        return SLOW_FILES.index(name) if name in SLOW_FILES else len(SLOW_FILES)

    items.sort(key=rank)  # stable: within a file, and among the others, the collected order stays
