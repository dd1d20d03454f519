"""The web fonts of a Bootswatch theme, from the npm registry instead of Google Fonts.

A Bootswatch theme names its fonts in ``$web-font-path``, a Google Fonts address (cosmo: Source Sans Pro
300, 400 and 700; journal: News Cycle; flatly: Lato ...) that Quarto's page links, so its readers see those
fonts. Pages here work offline, so the theme is compiled with ``$web-font-path: false`` (themes.py) and the
same faces come from Fontsource's npm packages (``@fontsource/<family>``, the Google fonts' files, installed
by the Makefile into ``.cache/themes``): ``@font-face`` rules for the weights and styles the address asks
for, in its Latin and Latin Extended subsets (with their ``unicode-range``, as Google serves them), naming the
``.woff2`` files by their full path so that the page embeds them. A family whose package is not installed is
left out with a warning; the theme's font stack then falls back as it would offline.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from qmdrender.types import warn

_FONT_PATH = re.compile(r"""\$web-font-path:\s*["']([^"']+)["']""")
# one face of a Fontsource stylesheet, named by the comment before it ("/* lato-latin-400-normal */")
_FACE = re.compile(r"/\*\s*(?P<name>[\w-]+)\s*\*/\s*(?P<rule>@font-face\s*\{[^}]*\})")
_SUBSETS = ("latin", "latin-ext")
_warned: set[str] = set()


def requested_faces(address: str) -> list[tuple[str, str, int]]:
    """The (family, style, weight) faces a Google Fonts address asks for: ``css2?family=Lato:ital,wght@0,400;1,400``
    (``ital`` 1 is italic), ``family=Lato:wght@300;400``, a family alone (regular), or the older ``css?family=A|B``."""
    query = parse_qs(urlsplit(address).query)
    families = [part for value in query.get("family", []) for part in value.split("|")]
    faces = []
    for family in families:
        name, _, axes = family.partition(":")
        name = name.replace("+", " ").strip()
        if "@" not in axes:
            faces.append((name, "normal", 400))
            continue
        keys, _, values = axes.partition("@")
        columns = keys.split(",")
        for value in values.split(";"):
            numbers = dict(zip(columns, value.split(","), strict=False))
            if not numbers.get("wght", "400").isdigit():
                continue
            style = "italic" if numbers.get("ital") == "1" else "normal"
            faces.append((name, style, int(numbers.get("wght", "400"))))
    return faces


def theme_font_address(root: Path, theme: str) -> str | None:
    """The Google Fonts address a Bootswatch theme's ``_bootswatch.scss`` sets, if any."""
    source = root / "bootswatch" / "dist" / theme / "_bootswatch.scss"
    found = _FONT_PATH.search(source.read_text(encoding="utf-8")) if source.is_file() else None
    return found[1] if found else None


def font_faces_css(root: Path, theme: str) -> str:
    """``@font-face`` rules for the fonts of Bootswatch ``theme``, from the Fontsource packages in ``root``
    (a ``node_modules`` folder), or ``""`` when the theme names none."""
    address = theme_font_address(root, theme)
    if not address:
        return ""
    rules = []
    for family, style, weight in requested_faces(address):
        package = root / "@fontsource" / re.sub(r"\s+", "-", family.lower())
        sheet = package / (f"{weight}-italic.css" if style == "italic" else f"{weight}.css")
        if not sheet.is_file():
            if family not in _warned:
                _warned.add(family)
                warn(f"theme: {theme}'s font {family} is not installed ({package}); run `make setup`. The page "
                     "uses the theme's fallback fonts.")
            continue
        for face in _FACE.finditer(sheet.read_text(encoding="utf-8")):
            if not any(face["name"].endswith(f"-{subset}-{weight}-{style}") for subset in _SUBSETS):
                continue
            rules.append(_woff2_only(face["rule"], package / "files"))
    return "\n".join(rules)


def _woff2_only(rule: str, files: Path) -> str:
    """A face with its ``.woff2`` file alone (every browser that runs the page reads it), by its full path."""
    woff2 = re.search(r"url\(\./files/([^)]+\.woff2)\)", rule)
    if woff2 is None:
        return rule
    return re.sub(r"src:[^;]*;", f'src: url("{(files / woff2[1]).as_posix()}") format("woff2");', rule, count=1)
