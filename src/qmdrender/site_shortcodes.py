"""Extensions' shortcodes in a site's navigation and footer, run as Quarto runs them.

A site's ``page-footer``, navbar or sidebar text may call an extension's shortcode (``{{< fa brands github >}}``
beside a link to the site's source). The calls are run once for the whole site through the extensions' Lua
(``filters/shortcodes.lua``, as a page's own calls are); the HTML each returns replaces it in the text, and
what the calls ask pages to load (the stylesheets and scripts of Quarto's HTML dependencies, with the fonts
and files beside them) is copied once into the site's ``site_libs/quarto-contrib`` and linked from every page,
as Quarto places them.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from qmdrender.extensions import shortcode_files
from qmdrender.pandoc import run_pandoc
from qmdrender.shortcodes import SHORTCODE, shortcode_expander
from qmdrender.types import RenderError

_MARK = "qmd-chrome-call-"
_CALL_PARAGRAPH = re.compile(rf'<p>{_MARK}(\d+)</p>\s*<p>(.*?)</p>', re.S)
_HEAD = re.compile(r"<!-- embedded-renderer:head -->(.*?)<!-- /embedded-renderer:head -->", re.S)
_UNDEFINED = re.compile(r"^shortcode \{\{< [\w-]+ >\}\} is defined by no extension here")
_LINKED = re.compile(r'(<(?:link|script)\b[^>]*?\b(?:href|src)=")([^"]+)(")')


@dataclass
class ChromeShortcodes:
    """Each call's HTML by its text, and the tags that load what the calls need (their files absolute)."""

    html: dict[str, str] = field(default_factory=dict)
    head: list[str] = field(default_factory=list)

    def head_html(self, page_href: str) -> str:
        """The tags for one page (``page_href``: its path in the site), each file linked from where
        :meth:`copy_files` put it."""
        up = "../" * len(PurePosixPath(page_href).parent.parts)

        def relink(found: re.Match[str]) -> str:
            path = Path(found[2])
            folder = _source_folder(path)
            return f"{found[1]}{up}{_contrib_path(folder)}/{path.relative_to(folder).as_posix()}{found[3]}"

        return "".join(_LINKED.sub(relink, tag) for tag in self.head)

    def copy_files(self, output_dir: Path) -> None:
        """Copy the folder of each file the tags load (its extension's, fonts and images beside a stylesheet too,
        where its ``url(...)`` finds them) into the site, over what an earlier render copied."""
        for folder in dict.fromkeys(_source_folder(Path(found[2])) for tag in self.head
                                    for found in _LINKED.finditer(tag)):
            shutil.copytree(folder, output_dir / _contrib_path(folder), dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("*.lua", "_extension.yml", "_extension.yaml"))


def _source_folder(path: Path) -> Path:
    """The folder of the extension a file belongs to (the one holding its ``_extension.yml``), else its own."""
    for folder in path.parents:
        if (folder / "_extension.yml").is_file() or (folder / "_extension.yaml").is_file():
            return folder
    return path.parent


def _contrib_path(folder: Path) -> str:
    """Where a folder goes in the site: ``site_libs/quarto-contrib/`` and its name (an extension's with its
    owner: ``quarto-ext-fontawesome``), so that two extensions' files never meet."""
    parts = folder.parts
    name = "-".join(parts[parts.index("_extensions") + 1:]) if "_extensions" in parts[:-1] else folder.name
    return f"site_libs/quarto-contrib/{name}"


def _calls(value: Any) -> list[str]:
    if isinstance(value, str):
        return [m.group(0) for m in SHORTCODE.finditer(value)]
    if isinstance(value, Mapping):
        return [call for item in value.values() for call in _calls(item)]
    if isinstance(value, list):
        return [call for item in value for call in _calls(item)]
    return []


def run_chrome_shortcodes(options: Mapping[str, Any], names: list[str], config: Mapping[str, Any],
                          root: Path) -> ChromeShortcodes:
    """The HTML of each call of the extension shortcodes ``names`` in the site's ``options``, from one run of the
    extensions' Lua over them all (a call no extension defines gets none: the caller says so)."""
    calls = list(dict.fromkeys(call for call in _calls(options)
                               if (m := SHORTCODE.fullmatch(call)) is not None and m["name"] in names))
    result = ChromeShortcodes()
    files = shortcode_files(None, root, root)
    if not calls or not files:
        return result
    expand = shortcode_expander(config, root, extension_shortcodes=True)
    markdown = "\n\n".join(f"{_MARK}{n}\n\n{expand(call)}" for n, call in enumerate(calls)) + "\n"
    with tempfile.TemporaryDirectory(prefix="site-shortcodes-") as work:
        meta = Path(work) / "meta.json"
        meta.write_text(json.dumps({"embedded-renderer": {
            "shortcode-files": [str(p) for p in files], "project-root": str(root),
            "input-file": str(root / "_quarto.yml"), "undefined-shortcodes-as-text": True}}), encoding="utf-8")
        target = Path(work) / "calls.html"
        try:  # (a call no extension defines: the caller says it is left out, so pandoc's warning is not said)
            run_pandoc(markdown, "html5", target, [f"--metadata-file={meta}"], cwd=root, filters=("shortcodes",),
                       silenced=_UNDEFINED)
        except RenderError as error:
            raise RenderError(f"the site's shortcodes could not be run: {error}") from None
        written = target.read_text(encoding="utf-8")
    result.head = [tag for part in _HEAD.findall(written) for tag in part.strip().splitlines() if tag.strip()]
    for found in _CALL_PARAGRAPH.finditer(_HEAD.sub("", written)):  # (the head's tags may come between)
        if "{{&lt;" not in found[2]:  # (one no extension defines comes back as its text)
            result.html[calls[int(found[1])]] = found[2].strip()
    return result
