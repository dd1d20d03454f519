"""peer_render_ratio: a cold HTML render with the embedded renderer against what people use without
Quarto, papermill followed by ``jupyter nbconvert --to html``, on the same notebook (converted from the
.qmd once). The document is plain numpy and matplotlib, with code folding and one cross-referenced
figure. Goal (issue 22): at most 0.9.

papermill is installed for this benchmark only, into ``.cache/bench-peers`` (by ``make setup``, with the
rest, so that the benchmark never needs the network), and put on the peer's ``PYTHONPATH``; nbconvert is
already there (JupyterLab needs it).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from common import interleaved, ratio_summary, run_bounded

from qmdrender.document import read_qmd

ROOT = Path(__file__).resolve().parents[1]
PEERS = ROOT / ".cache" / "bench-peers"
DOCUMENT = """---
title: "Waves"
format:
  html:
    code-fold: true
---

A sine wave and its square, sampled at 400 points; @fig-waves shows both.

```{python}
import numpy as np
import matplotlib.pyplot as plt

x = np.linspace(0, 4 * np.pi, 400)
print(f"mean of sin^2: {np.mean(np.sin(x) ** 2):.3f}")
```

```{python}
#| label: fig-waves
#| fig-cap: "sin(x) and sin(x)^2"
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(x, np.sin(x), label="sin")
ax.plot(x, np.sin(x) ** 2, label="sin^2")
ax.legend()
plt.show()
```
"""


def _require_papermill() -> None:
    if not (PEERS / "papermill" / "__init__.py").is_file():
        raise RuntimeError(f"papermill, this benchmark's peer, is not installed in {PEERS}: run `make setup`.")


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    done = run_bounded(command, cwd=cwd, timeout=600, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")


def run(quick: bool) -> dict[str, Any]:
    _require_papermill()
    with tempfile.TemporaryDirectory(prefix="bench-peer-") as work:
        folder = Path(work)
        document = folder / "waves.qmd"
        document.write_text(DOCUMENT)
        notebook = folder / "waves.ipynb"
        nbformat.write(read_qmd(document).notebook, notebook)  # converted once; both sides run the same cells
        peer_env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PEERS),
                                                                            os.environ.get("PYTHONPATH")]))}

        def ours() -> None:
            _run([sys.executable, "-m", "qmdrender", str(document), "--to", "html", "--no-freeze", "--engine",
                  "embedded", "--output-dir", str(folder / "ours")], cwd=folder)

        def theirs() -> None:
            _run([sys.executable, "-m", "papermill", "--log-level", "ERROR", "--kernel", "python3", str(notebook),
                  str(folder / "executed.ipynb")], cwd=folder, env=peer_env)
            _run([sys.executable, "-m", "nbconvert", "--to", "html", "--log-level", "ERROR",
                  str(folder / "executed.ipynb")], cwd=folder, env=peer_env)

        fast, slow = interleaved(ours, theirs, repeats=1 if quick else 5, warmup=not quick)
    return ratio_summary(fast, slow, goal="<= 0.9", target=0.9, higher_is_better=False)
