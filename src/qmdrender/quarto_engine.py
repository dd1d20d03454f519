"""Hand a render request to the real ``quarto render``, when Quarto is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from qmdrender.document import read_qmd
from qmdrender.formats import FORMATS
from qmdrender.parameters import resolve_parameters
from qmdrender.types import RenderError, RenderRequest
from qmdrender.yamlfile import dump_yaml


def render_with_quarto(request: RenderRequest) -> list[Path]:
    """``quarto render NOTEBOOK --to FMT --execute-params FILE`` once per format."""
    if shutil.which("quarto") is None:
        raise RenderError("--engine quarto: Quarto is not installed (see https://quarto.org/docs/get-started/); "
                          "use --engine embedded.")
    document = read_qmd(request.notebook)
    values = resolve_parameters(request.parameters, document.parameter_defaults(), str(request.notebook))
    written = []
    with tempfile.TemporaryDirectory(prefix="quarto-params-") as work:
        params_file = Path(work) / "params.yml"  # typed values, so Quarto injects 5, not "5"
        params_file.write_text(dump_yaml(values))
        for fmt in request.formats or ("html",):
            extension = FORMATS[fmt].extension if fmt in FORMATS else fmt
            output = f"{request.name}.{extension}"
            command = ["quarto", "render", str(request.notebook), "--to", fmt, "--execute-params", str(params_file),
                       "--output-dir", str(request.output_dir), "--output", output]
            if subprocess.run(command).returncode != 0:
                raise RenderError(f"quarto render {request.notebook} --to {fmt} failed (see its output above).")
            written.append(request.output_dir / output)
    return written
