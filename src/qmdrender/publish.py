"""Publish a render's files into the output folder all together, or not at all.

Every built file is first copied into a hidden temporary file inside the output folder (same file
system, so the final step is a rename); only when all of them are staged is each renamed over its
final name. A failure while staging removes the staged files and leaves the previous report as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from qmdrender.types import RenderError

MIN_FREE_BYTES = 20 * 2**20  # a report with figures is a few MB; less than this free fails up front


def check_output_dir(output_dir: Path, *, need_space: bool = True) -> None:
    """Fail before any work when the output folder cannot be created, written or is (nearly) full."""
    if output_dir.exists() and not output_dir.is_dir():
        raise RenderError(f"--output-dir {output_dir} is a file; name a folder.")
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=output_dir, prefix=".write-check-"):
            pass
    except OSError as error:
        raise RenderError(f"cannot write into --output-dir {output_dir} ({error.strerror}); "
                          "choose a folder you can write to.") from None
    free = shutil.disk_usage(output_dir).free
    if need_space and free < MIN_FREE_BYTES:
        raise RenderError(f"--output-dir {output_dir} has only {free // 1024} KiB free; a report needs more "
                          f"(at least {MIN_FREE_BYTES // 2**20} MiB). Free some space or choose another folder.")


def publish(built: Iterable[Path | tuple[Path, str]], output_dir: Path, *, remove: Iterable[str] = ()) -> list[Path]:
    """Stage every built file beside its final name, then rename them all into place; the files named in
    ``remove`` (left by an earlier render, no longer true) go at the same moment. A built file is published
    under its own name, or, given as ``(path, name)``, under ``name``, a path inside ``output_dir`` (a
    Markdown file's plots in ``README_files/figure-commonmark/``)."""
    check_output_dir(output_dir, need_space=False)  # the space was checked before the render; now it is real
    staged: list[tuple[Path, Path]] = []
    try:
        for item in built:
            path, name = item if isinstance(item, tuple) else (item, item.name)
            final = output_dir / name
            final.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=final.parent)
            os.close(handle)
            staged.append((Path(temporary), final))
            shutil.copyfile(path, temporary)
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; reports are ordinary files
    except OSError as error:
        for temporary, _ in staged:
            with contextlib.suppress(OSError):
                temporary.unlink()
        raise RenderError(f"could not write into {output_dir} ({error.strerror}); the previous outputs are "
                          "unchanged.") from None
    for temporary, final in staged:
        os.replace(temporary, final)
    for name in remove:
        with contextlib.suppress(FileNotFoundError):
            (output_dir / name).unlink()
    return [final for _, final in staged]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
