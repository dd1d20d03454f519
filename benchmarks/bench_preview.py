"""Preview while writing: preview_code_edit_ratio and preview_prose_edit_ratio.

A copy of ``llm_api_overview.qmd`` (with ``freeze: auto``, as the project gives it) runs under
``preview`` in this process. Each pair is: a cold render of the copy to HTML in a fresh process
(``--no-freeze``: a new kernel, imports, model load, every cell) against the time from saving an
edit in the running preview to the new page being written. Goals (issue 22):

- ``preview_code_edit_ratio``: a one-line code edit in the last cell. At most 0.25.
- ``preview_prose_edit_ratio``: a prose edit (the stored execution is reused). At most 0.10.

A code edit runs on the warm kernel (no kernel start, imports or model load) and goes on from the
checkpoint that the preview prepared while idle: the unchanged cells before the edited one are not run
again (see ``qmdrender.checkpoints``). Each side starts once the preview is idle (its checkpoint ready),
so that neither side's time includes the other's background work.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from common import SMALL, interleaved, ratio_summary, run_bounded

from qmdrender.preview import preview

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "llm_api_overview.qmd"


def _saved_and_rendered(document: Path, page: Path, old: str, new: str, idle: threading.Event) -> None:
    """Save an edit and wait until the preview has written the page again."""
    idle.clear()
    before = page.stat().st_mtime_ns
    document.write_text(document.read_text().replace(old, new, 1))
    deadline = time.monotonic() + 600
    while page.stat().st_mtime_ns == before:
        if time.monotonic() > deadline:
            raise RuntimeError("the preview did not re-render within 10 minutes")
        time.sleep(0.02)


def run(quick: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as work:
        folder = Path(work) / "doc"
        folder.mkdir()
        document = folder / "overview.qmd"
        source = (SMALL if quick else NOTEBOOK.read_text()).replace("execute:\n  warning: false",
                                                                     "execute:\n  warning: false\n  freeze: auto", 1)
        document.write_text(source.replace("../src/qmdrender/assets/latex_preamble.tex",
                                           str(ROOT / "src" / "qmdrender" / "assets" / "latex_preamble.tex")))
        previous_store = os.environ.get("LLM_REPORTS_FREEZE_DIR")
        os.environ["LLM_REPORTS_FREEZE_DIR"] = str(Path(work) / "freeze")
        page = Path(work) / "out" / "overview.html"
        ready, stop, idle = threading.Event(), threading.Event(), threading.Event()
        thread = threading.Thread(target=preview, args=(document,), daemon=True,
                                  kwargs={"port": 0, "output_dir": Path(work) / "out", "ready": ready, "stop": stop,
                                          "idle": idle})
        thread.start()
        if not ready.wait(900):
            raise RuntimeError("the preview's first render did not finish")
        edits = iter(range(1000))

        def cold() -> None:
            done = run_bounded([sys.executable, "-m", "qmdrender", str(document), "--to", "html", "--no-freeze",
                                "--output-dir", str(Path(work) / "cold")], timeout=900)
            if done.returncode != 0:
                raise RuntimeError(done.stderr[-2000:])

        def code_edit() -> None:  # the last cell: one line changes
            number = next(edits)
            old = "panel\n```" if number == 0 else f"panel  # edit {number - 1}\n```"
            _saved_and_rendered(document, page, old, f"panel  # edit {number}\n```", idle)

        sentence = ["A hosted model is larger"]

        def prose_edit() -> None:  # one sentence of the prose changes
            new = f"A hosted model ({next(edits)}) is larger"
            _saved_and_rendered(document, page, sentence[0], new, idle)
            sentence[0] = new

        try:
            repeats = 1 if quick else 3

            def settle() -> None:  # each side starts once the preview has nothing left to do in the background
                if not idle.wait(900):
                    raise RuntimeError("the preview did not become idle (its checkpoint never got ready)")

            cold_code, warm_code = interleaved(cold, code_edit, repeats=repeats, warmup=not quick, settle=settle)
            cold_prose, warm_prose = interleaved(cold, prose_edit, repeats=repeats, warmup=False, settle=settle)
        finally:
            stop.set()
            thread.join(60)
            if previous_store is None:
                os.environ.pop("LLM_REPORTS_FREEZE_DIR", None)
            else:
                os.environ["LLM_REPORTS_FREEZE_DIR"] = previous_store
    return {
        "preview_code_edit_ratio": ratio_summary(warm_code, cold_code, goal="<= 0.25", target=0.25,
                                                 higher_is_better=False),
        "preview_prose_edit_ratio": ratio_summary(warm_prose, cold_prose, goal="<= 0.10", target=0.10,
                                                  higher_is_better=False),
    }
