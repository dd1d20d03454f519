"""Images that LaTeX cannot include, converted for PDF and Beamer, as Quarto converts them.

An SVG becomes a vector PDF (headless Chromium prints it on a page of its own size; the same step
draws mermaid diagrams); a GIF or a WebP becomes its first frame as a PNG (Pillow); a plotly figure
becomes a vector PDF drawn by plotly's own exporter, kaleido (which drives the system's Chromium); an
altair (Vega-Lite) chart by vl-convert, Vega's own converter (a self-contained wheel). The converted files
go to the render's work folder; ``filters/resources.lua`` swaps them in for the PDF only, so the HTML
keeps the original (an animated GIF stays animated there).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from PIL import Image

from qmdrender.keys import local_path
from qmdrender.types import RenderError, warn

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+\.(?:svg|gif|webp))>?|<img[^>]+src=[\"']([^\"']+\.(?:svg|gif|webp))",
                    re.I)


def browser() -> str:
    """A headless Chromium for drawing and printing, or one :class:`RenderError` saying what to install."""
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    raise RenderError("drawing this for a PDF needs a headless Chromium, and none is installed "
                      "(Debian: apt-get install chromium).")


def _chromium_svg(svg: str, width: float, height: float, page_style: str, output: str, options: list[str],
                  failure: str) -> bytes:
    """``svg`` alone on a page, drawn at ``width`` × ``height`` CSS pixels by headless Chromium, which
    writes ``output`` (a file name; ``options`` say how); its bytes, or ``failure`` as a :class:`RenderError`.

    A busy machine can make Chromium exit early, leaving no file or a truncated one, which LaTeX then
    rejects ("Unable to load picture"); so the file is checked whole and the drawing tried once more."""
    with tempfile.TemporaryDirectory(prefix="qmdrender-svg-") as work:
        sheet, target = Path(work) / "drawing.html", Path(work) / output
        style = (f"{page_style} html, body {{ margin: 0 }} "
                 f"svg {{ display: block; width: {width}px; height: {height}px; max-width: none !important }}")
        sheet.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{style}</style></head>'
                         f"<body>{svg}</body></html>", encoding="utf-8")
        for attempt in range(2):
            target.unlink(missing_ok=True)
            try:
                subprocess.run([browser(), "--headless", "--no-sandbox", "--disable-gpu",
                                f"--user-data-dir={work}/profile-{attempt}",
                                *(option.format(target=target) for option in options), sheet.as_uri()],
                               capture_output=True, timeout=120)
            except subprocess.TimeoutExpired:
                continue
            if target.is_file() and _whole(target.read_bytes()):
                return target.read_bytes()
        raise RenderError(failure)


def _whole(data: bytes) -> bool:
    """Whether ``data`` is a complete PDF (its trailer written) or PNG (its end chunk written)."""
    if data.startswith(b"%PDF-"):
        return b"%%EOF" in data[-1024:]
    return data.startswith(b"\x89PNG") and data.rstrip(b"\0").endswith(b"IEND\xaeB`\x82")


def print_svg(svg: str, width: float, height: float) -> bytes:
    """``svg`` (``width`` × ``height`` CSS pixels) as a one-page vector PDF of that size, printed by Chromium."""
    return _chromium_svg(svg, width, height, f"@page {{ size: {width}px {height}px; margin: 0 }}", "drawing.pdf",
                         ["--no-pdf-header-footer", "--print-to-pdf={target}"],
                         "Chromium could not print the drawing to PDF.")


def snapshot_svg(svg: str, width: float, height: float, scale: int = 2) -> bytes:
    """``svg`` (``width`` × ``height`` CSS pixels) as a PNG at ``scale`` times that size, taken by Chromium
    (for formats that show bitmaps, such as Word)."""
    return _chromium_svg(svg, width, height, "body { background: #fff }", "drawing.png",
                         ["--hide-scrollbars", f"--force-device-scale-factor={scale}",
                          f"--window-size={round(width)},{round(height)}", "--screenshot={target}"],
                         "Chromium could not draw the picture.")


def svg_size(svg: str) -> tuple[float, float]:
    """An SVG's size in CSS pixels: its width and height, else its viewBox (600 × 400 when it says neither)."""
    def pixels(name: str) -> float | None:
        found = re.search(rf'<svg[^>]*\s{name}="([\d.]+)(px|pt|in|cm|mm)?"', svg)
        if not found:
            return None
        scale = {"pt": 4 / 3, "in": 96, "cm": 96 / 2.54, "mm": 96 / 25.4}.get(found[2] or "px", 1)
        return float(found[1]) * scale
    box = re.search(r'viewBox="[-\d.]+[ ,]+[-\d.]+[ ,]+([\d.]+)[ ,]+([\d.]+)"', svg)
    width, height = pixels("width"), pixels("height")
    if width and height:
        return width, height
    return (float(box[1]), float(box[2])) if box else (600.0, 400.0)


# a book's chapter from another folder than the book's (its images are named from there): a marker line before
# the chapter's Markdown, which filters/resources.lua reads too
CHAPTER_FOLDER = re.compile(r"^<!-- qmd-chapter-folder: (.+) -->$", re.M)


def chapter_folder_marker(folder: Path) -> str:
    """The line that makes the images of the Markdown after it resolve from ``folder`` (a book chapter's)."""
    return f"<!-- qmd-chapter-folder: {folder.resolve()} -->"


def latex_images(markdown: str, folder: Path, project: Path | None, work: Path) -> dict[str, str]:
    """The SVG, GIF and WebP images the Markdown shows, converted into ``work``: {resolved path: new file}."""
    converted: dict[str, str] = {}
    folders = [(0, folder)] + [(marker.end(), Path(marker[1])) for marker in CHAPTER_FOLDER.finditer(markdown)]
    for match in _IMAGE.finditer(markdown):
        name = match[1] or match[2]
        here = next(place for start, place in reversed(folders) if start <= match.start())
        source = local_path(name, here, project)
        if source is None or str(source) in converted:
            continue
        target = work / "images" / f"{len(converted)}-{source.stem}"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            if source.suffix.lower() == ".svg":
                svg = source.read_text(encoding="utf-8")
                svg = svg[svg.index("<svg"):]
                target = target.with_suffix(".pdf")
                target.write_bytes(print_svg(svg, *svg_size(svg)))
            else:
                with Image.open(source) as image:  # a GIF's or a WebP's first frame
                    image.seek(0)
                    target = target.with_suffix(".png")
                    image.convert("RGBA").save(target)
        except (OSError, ValueError, RenderError) as error:
            warn(f"the image {name} could not be converted for the PDF ({error}); it is left out there.")
            continue
        # by the path resolved and by the path as written, ".." taken out (resources.lua looks it up either way)
        converted[str(source.resolve())] = converted[os.path.normpath(os.path.abspath(source))] = str(target)
    return converted


def plotly_pdf(figure: Any, width_in: float, height_in: float) -> bytes | None:
    """A plotly figure (its JSON) as a vector PDF of the cell's figure size, drawn by kaleido; ``None``
    with a warning when kaleido or a browser is missing, so the page shows a note instead."""
    try:
        import plotly.io

        drawn = plotly.io.from_json(json.dumps(figure))
        return drawn.to_image(format="pdf", width=round(width_in * 96), height=round(height_in * 96))
    except Exception as error:  # kaleido missing, no Chromium, a figure it cannot draw: a note, said once
        warn(f"a plotly figure could not be drawn for the PDF ({type(error).__name__}: {error}); the PDF shows "
             "a note instead (pip install kaleido; it needs Chromium).")
        return None


def vegalite_pdf(spec: Any) -> bytes | None:
    """A Vega-Lite spec (an altair chart) as a vector PDF, drawn by vl-convert; ``None`` with a warning
    when it cannot be (the page shows a note instead)."""
    try:
        import vl_convert

        return vl_convert.vegalite_to_pdf(spec)
    except Exception as error:  # vl-convert missing, or a spec it rejects: a note, said once
        warn(f"an altair chart could not be drawn for the PDF ({type(error).__name__}: {error}); the PDF shows a "
             "note instead (pip install vl-convert-python).")
        return None
