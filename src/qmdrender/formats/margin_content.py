"""What Quarto shows in the page's right margin besides the table of contents: ``margin-header`` and
``margin-footer`` (Markdown, or a file of it: a course's logo, a note, a link), the "Other Formats" links
(:func:`format_links_html`) and ``other-links``/``code-links`` (:func:`other_links_html`), placed with
:func:`in_margin_sidebar` as site pages place their repository links.

The Markdown goes through pandoc with the page (its images embedded and found as the page's are), as two
divs at the end of the text; :func:`with_margin_content` then moves them into the margin: into the
table of contents when the page has one, else into a margin column of their own (:func:`in_margin_sidebar`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qmdrender.site_tools import icon_svg
from qmdrender.types import warn

_PLACES = {"margin-header": "quarto-margin-header", "margin-footer": "quarto-margin-footer"}
_DIV = re.compile(r'<div id="(quarto-margin-(?:header|footer))">(.*?)</div><!-- \1 -->', re.S)


def margin_markdown(options: Mapping[str, Any], folder: Path, project: Path | None = None) -> str:
    """The Markdown to append to the page's text for its margin content; ``""`` when it has none. A value that
    names a Markdown file (beside the document, else in the project root) is that file's text."""
    parts = []
    for option, identifier in _PLACES.items():
        value = options.get(option)
        items = value if isinstance(value, list) else [value] if value not in (None, False, "") else []
        texts = []
        for item in items:
            text = str(item)
            if "\n" not in text and len(text) < 300 and Path(text).suffix in (".md", ".html", ".qmd"):
                found = [path for path in (folder / text, *([project / text.lstrip("/")] if project else []))
                         if path.is_file()]
                text = found[0].read_text(encoding="utf-8") if found else text  # a file of Markdown, as Quarto takes
            texts.append(f"::: margin-{option.split('-')[1]}-item\n{text}\n:::")
        if texts:
            body = "\n\n".join(texts)
            parts.append(f'\n\n```{{=html}}\n<div id="{identifier}">\n```\n\n{body}\n\n'
                         f'```{{=html}}\n</div><!-- {identifier} -->\n```\n')
    return "".join(parts)


def with_margin_content(page: str) -> str:
    """``page`` with its margin divs (from :func:`margin_markdown`) moved into the margin."""
    found = {match.group(1): match for match in _DIV.finditer(page)}
    if not found:
        return page
    for match in sorted(found.values(), key=lambda m: m.start(), reverse=True):
        page = page[:match.start()] + page[match.end():]
    blocks = {name: f'<div class="{name}">{match.group(2)}</div>' for name, match in found.items()}  # Quarto's
    header, footer = blocks.get("quarto-margin-header", ""), blocks.get("quarto-margin-footer", "")
    toc = re.search(r'(<nav id="TOC"[^>]*>)(.*?)(</nav>)', page, re.S)
    if toc is not None:
        return page[:toc.start()] + toc.group(1) + header + toc.group(2) + footer + toc.group(3) + page[toc.end():]
    return in_margin_sidebar(page, header + footer)  # beside the text, not in it, as Quarto's margin sidebar


def links_block(name: str, heading: str, links: Sequence[Mapping[str, Any]], icon: str) -> str:
    """A list of links under the contents in Quarto's markup (``div.NAME``: a heading, then each link with its
    Bootstrap icon, ``icon`` unless it names one, and its ``download``, ``rel`` or ``target``); ``""`` without
    links."""
    if not links:
        return ""
    items = []
    for link in links:
        attributes = "".join(f' {key}="{html.escape(str(link[key]))}"'
                             for key in ("download", "rel", "target") if link.get(key))
        items.append(f'<li><a href="{html.escape(str(link.get("href") or ""))}"{attributes}>'
                     f'{icon_svg(str(link.get("icon") or icon))}{html.escape(str(link.get("text") or ""))}</a></li>')
    return f'<div class="{name}"><h2>{html.escape(heading)}</h2><ul>{"".join(items)}</ul></div>'


def format_links_html(links: Sequence[Mapping[str, str]], words: Mapping[str, str]) -> str:
    """The "Other Formats" list (``div.quarto-alternate-formats``), each link with its format's icon."""
    return links_block("quarto-alternate-formats", words.get("related-formats-title", "Other Formats"), links, "file")


def other_links_html(options: Mapping[str, Any], words: Mapping[str, str], folder: Path) -> str:
    """``other-links`` and ``code-links`` (``div.quarto-other-links``, then ``div.quarto-code-links``), each link
    with its icon, ``link-45deg`` unless it names one. A code link may be ``repo``, ``binder`` or
    ``devcontainer``, made from the GitHub repository the document is in (its git remote), as Quarto makes them;
    ``""`` when there are none."""
    parts = []
    for option, name, title in (("other-links", "quarto-other-links", "Other Links"),
                                ("code-links", "quarto-code-links", "Code Links")):
        value = options.get(option)
        entries = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        links = [link for entry in entries for link in _other_link(entry, option, words, folder)]
        parts.append(links_block(name, words.get(f"{option}-title", title), links, "link-45deg"))
    return "".join(parts)


def _other_link(entry: Any, option: str, words: Mapping[str, str], folder: Path) -> list[Mapping[str, Any]]:
    """One entry of ``other-links`` or ``code-links`` as a link (text, href, icon, rel, target); a code link's
    name (``repo`` ...) made from the document's GitHub repository, or none, said, where it has none."""
    if isinstance(entry, Mapping) and entry.get("href"):
        return [entry]
    if option != "code-links" or entry not in ("repo", "binder", "devcontainer"):
        names = ", or repo, binder, devcontainer" if option == "code-links" else ""
        warn(f"{option}: {entry!r} is not a link (give text and href{names}); left out.")
        return []
    repository = github_repository(folder)
    if repository is None:
        warn(f"code-links: the {entry!r} link needs the GitHub repository the document is in (its git remote); "
             "this one has none, so it is left out, as Quarto leaves it out.")
        return []
    url = f"https://github.com/{repository}/"
    made = {"repo": ("github", "GitHub Repo", url),
            "binder": ("journals", words.get("launch-binder-title", "Launch Binder"),
                       f"https://mybinder.org/v2/gh/{repository}/HEAD"),
            "devcontainer": ("github", words.get("launch-dev-container-title", "Launch Dev Container"),
                             f"https://github.com/codespaces/new/{repository}?resume=1")}
    icon, text, href = made[entry]
    return [{"icon": icon, "text": text, "href": href, "target": "_blank"}]


_GITHUB_REMOTE = re.compile(r"github\.com[:/]([\w.-]+/[\w.-]+?)(?:\.git)?/?$")


def github_repository(folder: Path) -> str | None:
    """``organization/repository`` of the GitHub remote (``origin`` first) of the git repository ``folder`` is in,
    read from its ``.git/config`` as Quarto reads the project's git environment; ``None`` without one."""
    for directory in (folder.resolve(), *folder.resolve().parents):
        config = directory / ".git" / "config"
        if not config.is_file():
            continue
        remotes = re.findall(r'\[remote "([^"]+)"\][^\[]*?url\s*=\s*(\S+)', config.read_text(encoding="utf-8",
                                                                                          errors="replace"))
        for _, url in sorted(remotes, key=lambda remote: remote[0] != "origin"):
            found = _GITHUB_REMOTE.search(url)
            if found:
                return found.group(1)
        return None
    return None


def in_margin_sidebar(page: str, content: str) -> str:
    """``page`` with ``content`` in its right margin as Quarto places it: under the table of contents, or, on a
    page without one, in a margin column of its own at the top (``nav#TOC`` all the same, so that the page keeps
    its margin and the layouts that place the contents place it too)."""
    if not content:
        return page
    start = page.find('<nav id="TOC"')
    if start >= 0:
        end = page.find("</nav>", start)
        return page[:end] + content + page[end:]
    main = page.find('<main class="content"')
    at = main if main >= 0 else page.find(">", page.find("<body")) + 1
    return f'{page[:at]}<nav id="TOC" class="toc-beside" role="doc-toc">{content}</nav>{page[at:]}'
