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

_MARK = "qmd-chrome-call-"
_CALL_PARAGRAPH = re.compile(rf'<p>{_MARK}(\d+)</p>\s*<p>(.*?)</p>', re.S)
_HEAD = re.compile(r"<!-- embedded-renderer:head -->(.*?)<!-- /embedded-renderer:head -->", re.S)
_LINKED = re.compile(r'(<(?:link|script)\b[^>]*?\b(?:href|src)=")([^"]+)(")')


@dataclass
class ChromeShortcodes:
    """Each call's HTML by its text, and the tags that load what the calls need (their files absolute)."""

    html: dict[str, str] = field(default_factory=dict)
    head: list[str] = field(default_factory=list)

    def head_html(self, page_href: str) -> str:
        """The tags for one page (``page_href``: its path in the site), each file linked from where
        :meth:`copy_files` put it."""
        depth = PurePosixPath(page_href).parent
        up = "../" * len(depth.parts)

        def relink(found: re.Match[str]) -> str:
            return found[1] + up + _site_path(Path(found[2])) + found[3]

        return "".join(_LINKED.sub(relink, tag) for tag in self.head)

    def copy_files(self, output_dir: Path) -> None:
        """Copy the extension folder of each file the tags load into the site (fonts beside a stylesheet come
        too, where its ``url(...)`` finds them)."""
        for tag in self.head:
            for found in _LINKED.finditer(tag):
                folder = _extension_folder(Path(found[2]))
                if folder is not None:
                    target = output_dir / "site_libs" / "quarto-contrib" / folder.name
                    if not target.is_dir():
                        shutil.copytree(folder, target, ignore=shutil.ignore_patterns("*.lua", "_extension.y*ml"))


def _extension_folder(path: Path) -> Path | None:
    """The folder of the extension a file belongs to (the one holding its ``_extension.yml``)."""
    for folder in path.parents:
        if (folder / "_extension.yml").is_file() or (folder / "_extension.yaml").is_file():
            return folder
    return None


def _site_path(path: Path) -> str:
    folder = _extension_folder(path)
    if folder is None:
        return path.as_posix()
    return f"site_libs/quarto-contrib/{folder.name}/{path.relative_to(folder).as_posix()}"


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
    extensions' Lua over them all (a call no extension defines stays as its text, with pandoc's warning)."""
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
            "input-file": str(root / "_quarto.yml")}}), encoding="utf-8")
        target = Path(work) / "calls.html"
        run_pandoc(markdown, "html5", target, [f"--metadata-file={meta}"], cwd=root, filters=("shortcodes",))
        written = target.read_text(encoding="utf-8")
    result.head = [tag for part in _HEAD.findall(written) for tag in part.strip().splitlines() if tag.strip()]
    for found in _CALL_PARAGRAPH.finditer(_HEAD.sub("", written)):  # (the head's tags may come between)
        result.html[calls[int(found[1])]] = found[2].strip()
    return result
