"""HTML themes as Quarto builds them (https://quarto.org/docs/output-formats/html-themes.html).

``theme: cosmo`` (any Bootswatch name, or ``default`` for plain Bootstrap), ``theme: [cosmo,
custom.scss]`` and ``theme: {light: flatly, dark: darkly}``: the real Bootstrap 5 and Bootswatch SCSS
from the npm registry, compiled by the real Sass compiler (npm's ``sass``), with a document's own
``.scss`` files layered in Quarto's sections (``/*-- scss:defaults --*/`` before the theme's variables,
``/*-- scss:rules --*/`` after its rules; also ``functions``, ``mixins``, ``uses``). The report's own
styles stay on top (``report.css`` reads Bootstrap's CSS variables), and with no ``theme`` the page
keeps the report look. Web fonts are switched off (``$web-font-path: false``): pages work offline.
A dark theme of a light/dark pair applies when the reader's system prefers dark.

Compiling takes seconds, so the CSS is kept in ``.cache/themes/compiled``, keyed by everything that
goes into it: the SCSS text (theme names and the documents' files), and the versions of Bootstrap,
Bootswatch and Sass.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qmdrender.types import REPOSITORY, RenderError, warn

SECTIONS = ("uses", "functions", "defaults", "mixins", "rules")
_SECTION = re.compile(r"/\*--\s*scss:(\w+)\s*--\*/")


def theme_root() -> Path:
    """Bootstrap, Bootswatch and Sass from the npm registry, installed by the Makefile into
    ``.cache/themes`` (never a CDN); ``LLM_REPORTS_THEMES`` names another ``node_modules`` folder."""
    configured = os.environ.get("LLM_REPORTS_THEMES")
    root = Path(configured) if configured else REPOSITORY / ".cache" / "themes" / "node_modules"
    if not (root / ".bin" / "sass").exists() or not (root / "bootswatch" / "dist").is_dir():
        raise RenderError(f"theme: needs Bootstrap, Bootswatch and Sass, which are not installed at {root}. Run "
                          "`make setup` (npm install into .cache/themes), or set LLM_REPORTS_THEMES to a copy.")
    return root


_said: set[str] = set()


def _skipped(problem: str) -> None:
    """A theme part Quarto cannot find is left out of the theme (Quarto warns for a file, and drops an unknown
    name silently); said once per process."""
    if problem not in _said:
        _said.add(problem)
        warn(f"{problem}; it is left out of the theme, as Quarto leaves it out.")


def bootswatch_names(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "bootswatch" / "dist").iterdir() if (p / "_variables.scss").is_file())


def scss_sections(text: str, where: str) -> dict[str, str]:
    """A theme file's sections by name; a file without section markers is one ``rules`` section."""
    parts = _SECTION.split(text)
    if len(parts) == 1:
        return {"rules": text}
    sections: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        if name not in SECTIONS:
            raise RenderError(f"{where}: unknown section /*-- scss:{name} --*/ (Quarto's are: {', '.join(SECTIONS)}).")
        sections[name] = sections.get(name, "") + body
    return sections


def theme_scss(parts: list[Any], folder: Path, root: Path, brand: str = "") -> str:
    """The SCSS of one theme: a Bootswatch or ``default`` base and ``.scss`` files, as Quarto layers them,
    with a ``brand`` (:mod:`qmdrender.brand`) under the files' own defaults."""
    base, layers = None, []
    names = bootswatch_names(root)
    for part in parts:
        part = str(part)
        if part.endswith(".scss") or part.endswith(".css"):
            path = folder / part
            if not path.is_file():
                _skipped(f"theme: {part} does not exist (looked in {folder})")
                continue
            layers.append(scss_sections(path.read_text(encoding="utf-8"), str(path)))
        elif part == "default" or part in names:
            base = None if part == "default" else part
        else:
            _skipped(f"theme: {part!r} is not a Bootswatch theme ({', '.join(['default', *names])}) or a .scss file")

    def joined(section: str) -> str:
        return "\n".join(layer.get(section, "") for layer in layers)

    return "\n".join([
        joined("uses"), joined("functions"), brand, joined("defaults"),
        "$web-font-path: false !default;",  # no Google Fonts: the page must work offline
        f'@import "bootswatch/dist/{base}/variables";' if base else "",
        '@import "bootstrap/scss/bootstrap";',
        joined("mixins"),
        f'@import "bootswatch/dist/{base}/bootswatch";' if base else "",
        joined("rules"),
    ])


def _versions(root: Path) -> str:
    return "".join((root / name / "package.json").read_text(encoding="utf-8")
                   for name in ("bootstrap", "bootswatch", "sass"))


def compile_scss(scss: str, root: Path) -> Path:
    """``scss`` compiled to CSS (kept in the cache, keyed by the SCSS and the packages' versions)."""
    key = hashlib.sha256((scss + "\0" + _versions(root)).encode()).hexdigest()[:24]
    folder = REPOSITORY / ".cache" / "themes" / "compiled"
    target = folder / f"{key}.css"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qmdrender-theme-", dir=folder) as work:
        source, css = Path(work) / "theme.scss", Path(work) / "theme.css"
        source.write_text(scss, encoding="utf-8")
        done = subprocess.run([str(root / ".bin" / "sass"), f"--load-path={root}", "--quiet-deps", "--no-source-map",
                               "--style=compressed", str(source), str(css)], capture_output=True, text=True,
                              timeout=300)
        if done.returncode != 0:
            raise RenderError(f"theme: Sass could not compile the theme: {done.stderr.strip()[-1500:]}")
        os.replace(css, target)  # atomic: a render running at the same time reads all of it or none
    return target


def theme_stylesheets(theme: Any, folder: Path, brand: str = "") -> list[tuple[Path, str]]:
    """The compiled stylesheets for ``theme`` with the media each applies to (``all``, or ``(prefers-color-
    scheme: dark)`` for the dark half of a light/dark pair); ``[]`` when no theme is named and no ``brand``
    SCSS is given (with one, the theme is plain Bootstrap, as in Quarto; a pair's light half takes it)."""
    if theme in (None, False, ""):
        if not brand:
            return []
        theme = "default"
    root = theme_root()
    if isinstance(theme, Mapping):
        unknown = set(theme) - {"light", "dark"}
        if unknown:
            raise RenderError(f"theme: takes light: and dark:, not {', '.join(sorted(map(str, unknown)))}.")
        sheets = []
        for mode, media in (("light", "all"), ("dark", "(prefers-color-scheme: dark)")):
            if theme.get(mode):
                parts = theme[mode] if isinstance(theme[mode], list) else [theme[mode]]
                layered = brand if mode == "light" else ""
                sheets.append((compile_scss(theme_scss(parts, folder, root, layered), root), media))
        return sheets
    parts = theme if isinstance(theme, list) else [theme]
    return [(compile_scss(theme_scss(parts, folder, root, brand), root), "all")]


REVEAL_THEMES = ("beige", "black", "black-contrast", "blood", "dracula", "league", "moon", "night", "serif", "simple",
                 "sky", "solarized", "white", "white-contrast")
# Quarto's reveal.js variables that a deck's scss:defaults commonly sets, applied over the reveal.js theme.
_REVEAL_VARIABLES = """
@if variable-exists(body-bg) { .reveal-viewport { background: $body-bg; } }
@if variable-exists(body-color) { .reveal { color: $body-color; } }
@if variable-exists(link-color) { .reveal a { color: $link-color; } }
@if variable-exists(presentation-heading-color) {
  .reveal h1, .reveal h2, .reveal h3 { color: $presentation-heading-color; } }
@if variable-exists(font-family-sans-serif) { .reveal { font-family: $font-family-sans-serif; } }
@if variable-exists(headings-font-family) {
  .reveal h1, .reveal h2, .reveal h3, .reveal h4 { font-family: $headings-font-family; } }
@if variable-exists(font-family-monospace) { .reveal code, .reveal pre { font-family: $font-family-monospace; } }
@if variable-exists(presentation-font-size-root) { .reveal { font-size: $presentation-font-size-root; } }
"""


def reveal_theme(theme: Any, folder: Path, brand: str = "") -> tuple[str | None, Path | None]:
    """A deck's ``theme:``: the reveal.js theme it names (``default`` is reveal.js's ``white``, as Quarto's
    default is light) and its own ``.scss`` files compiled to CSS over it (their sections; Quarto's
    ``$body-bg``, ``$body-color``, ``$link-color`` ... defaults applied), a ``brand``'s first."""
    parts = theme if isinstance(theme, list) else [theme] if theme else []
    name, layers = None, [{"defaults": brand}] if brand else []
    for part in map(str, parts):
        if part.endswith((".scss", ".css")):
            path = folder / part
            if not path.is_file():
                _skipped(f"theme: {part} does not exist (looked in {folder})")
                continue
            layers.append(scss_sections(path.read_text(encoding="utf-8"), str(path)))
        elif part == "default" or part in REVEAL_THEMES:
            name = "white" if part == "default" else part
        else:
            _skipped(f"theme: {part!r} is not a reveal.js theme ({', '.join(['default', *REVEAL_THEMES])}) or a "
                     ".scss file")
    if not layers:
        return name, None
    root = theme_root()
    scss = "\n".join([*(layer.get(s, "") for s in ("uses", "functions", "defaults", "mixins") for layer in layers),
                      _REVEAL_VARIABLES, *(layer.get("rules", "") for layer in layers)])
    return name, compile_scss(scss, root)
