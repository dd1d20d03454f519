"""Citation styles named by their address, found offline in the system's collection of CSL styles.

Documents copy ``csl: https://www.zotero.org/styles/apa`` from the web; Quarto fetches the style. Offline, the
style of that name comes from Debian's ``citation-style-language-styles`` (the CSL project's styles, which
``.ci/run`` installs; ``LLM_REPORTS_CSL_STYLES`` names another copy of its ``styles`` folder). A dependent
style (a journal's name for another style) is its independent parent, which is what it formats with.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_PARENT_LINK = re.compile(r'<link\b[^>]*\brel="independent-parent"[^>]*>')
_STYLE_ADDRESS = re.compile(r'href="[^"]*/styles/([a-z0-9-]+)"')


def styles_folder() -> Path:
    """The system's CSL styles (independent ones, and ``dependent/`` beside them)."""
    return Path(os.environ.get("LLM_REPORTS_CSL_STYLES", "/usr/share/citation-style-language/styles"))


def system_style(address: str) -> Path | None:
    """The system's copy of the style an address names (its last part, ``.csl`` or not), or ``None``."""
    name = address.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1].removesuffix(".csl")
    if not _NAME.fullmatch(name):
        return None
    folder = styles_folder()
    for path in (folder / f"{name}.csl", folder / "dependent" / f"{name}.csl"):
        if not path.is_file():
            continue
        link = _PARENT_LINK.search(path.read_text(encoding="utf-8", errors="replace"))
        if link is None:
            return path
        parent = _STYLE_ADDRESS.search(link[0])
        independent = folder / f"{parent[1]}.csl" if parent else None
        return independent if independent is not None and independent.is_file() else None
    return None


def quarto_default_style() -> Path | None:
    """The Chicago author-date style of the 17th edition, which Quarto's pandoc (3.6 in Quarto 1.7 and 1.8) formats
    citations with when a document names no ``csl:`` ("Häni, Roy, and Isler (2020)"); this pandoc's own default
    is the 18th edition's ("Häni et al. (2020)"). ``None`` when the system's styles have no 17th-edition copy."""
    path = styles_folder() / "chicago-author-date.csl"
    if not path.is_file():
        return None
    head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    return path if "17th edition" in head else None
