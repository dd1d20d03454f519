"""Fonts a LaTeX document names (``mainfont: Times New Roman``) that this machine does not have.

xelatex stops the whole PDF when ``fontspec`` cannot find a font, and real documents name the fonts of
their author's system (Times New Roman, Arial, Calibri ...). Here such a font is replaced by the one
fontconfig, which xelatex looks fonts up with, offers in its place (its own substitution rules: Times New
Roman becomes a serif, Arial a sans-serif), taking the first OpenType or TrueType candidate (fontspec
cannot use Type 1 fonts), and a warning names both. A font given as a file (``mainfont: MyFont.otf``,
or with ``Path=`` in its options) is the author's own and is left to xelatex.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Mapping
from typing import Any

from qmdrender.types import warn

# the font options of pandoc's LaTeX template, and the kind of font each is (fontconfig's generic names)
FONT_OPTIONS = {"mainfont": "serif", "sansfont": "sans-serif", "monofont": "monospace"}
_USABLE = ("TrueType", "CFF")  # OpenType (CFF outlines) and TrueType; not Type 1


@functools.cache
def _fontconfig(*arguments: str) -> str:
    if shutil.which(arguments[0]) is None:
        return ""
    try:
        done = subprocess.run(list(arguments), capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout if done.returncode == 0 else ""


def is_installed(family: str) -> bool:
    """Whether fontconfig knows ``family`` by that name (``fc-list``); ``True`` where there is no fontconfig."""
    if shutil.which("fc-list") is None:
        return True
    return bool(_fontconfig("fc-list", family, "family").strip())


def substitute(family: str, kind: str) -> str | None:
    """The installed font fontconfig offers for ``family`` (an OpenType or TrueType one), else its generic
    ``kind``'s; ``None`` when there is none."""
    for pattern in (family, kind):
        for line in _fontconfig("fc-match", "-s", "-f", "%{family[0]}|%{fontformat}\n", pattern).splitlines():
            name, _, form = line.partition("|")
            if form in _USABLE and name:
                return name
    return None


def latex_font_arguments(options: Mapping[str, Any], where: str) -> list[str]:
    """``--variable`` arguments replacing each font option that names a font this machine lacks."""
    arguments = []
    for key, kind in FONT_OPTIONS.items():
        family = options.get(key)
        if not isinstance(family, str) or not family.strip() or "." in family.rsplit("/", 1)[-1] \
                or "path=" in str(options.get(f"{key}options", "")).lower().replace(" ", ""):
            continue
        if is_installed(family):
            continue
        replacement = substitute(family, kind)
        if replacement is None:
            continue
        warn(f"{where}: {key} {family!r} is not installed here; the PDF uses {replacement!r}, the font "
             "fontconfig offers in its place (install the font for the look the document asks for).")
        arguments.append(f"--variable={key}:{replacement}")
    return arguments
