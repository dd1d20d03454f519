"""Quarto books (``project: type: book``): the chapters in order, their numbers and titles.

``book: chapters:`` lists files, or parts (``- part: "Title"`` or ``- part: part.qmd`` with their own
``chapters:``); ``book: appendices:`` follows. A chapter is numbered 1, 2, ... (appendices A, B, ...)
unless its title heading is ``{.unnumbered}`` (or ``{-}``), as Quarto numbers them: the preface in
``index.qmd`` and the references usually are. The number reaches the page as the ``book-chapter``
metadata, which the cross-reference filter uses for "Figure 2.1" and "Section 2.3", and which is
part of the page's render stamp, so a reordered book re-renders its pages.
"""

from __future__ import annotations

import codecs
import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qmdrender.ipynb_input import front_matter_cell
from qmdrender.qmd import QmdError, front_matter_yaml, parse_front_matter, read_text, scan
from qmdrender.types import warn

# between a chapter's number and its title, as Quarto writes it (sidebar, title block, browser's title):
# "2&nbsp; Results", a no-break space then a space
NUMBER_SEPARATOR = "\u00a0 "

# a chapter's first heading, of any level, is its title when its front matter has none (as in Quarto)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*(\{[^}]*\})?\s*$", re.M)


@dataclass(frozen=True)
class Chapter:
    """One file of the book, in reading order."""

    path: Path  # absolute
    title: str
    number: str  # "" when unnumbered; "A", "B" ... for appendices
    part: str  # the title of the part it belongs to ("" outside parts)
    appendix: bool = False
    opens_part: bool = False  # a part page (``- part: file.qmd``): the part's heading links to it

    @property
    def label(self) -> str:
        """The title as the sidebar and the page show it: "2\u00a0 Results", "A\u00a0 Data", "Preface"."""
        return f"{self.number}{NUMBER_SEPARATOR}{self.title}" if self.number else self.title


def chapter_title(path: Path) -> tuple[str, bool]:
    """A chapter's title (front matter ``title:``, else its first heading, else its page's file name) and
    whether it is unnumbered."""
    front, text = front_and_markdown(path)
    if not front and path.suffix.lower() != ".ipynb" and path.read_bytes().startswith(codecs.BOM_UTF8):
        # Quarto looks for the title in the file's text with its byte order mark, so a heading on the first
        # line is no title to it (pandoc, which writes the page, skips the mark): the chapter is numbered
        text = text.partition("\n")[2]
    match = _HEADING.search(text)
    attributes = match.group(2) or "" if match else ""
    if isinstance(front.get("title"), str):  # a title in the front matter decides alone, as Quarto reads it: only
        # one written as a heading ("# Preface {.unnumbered}") carries attributes
        titled = re.match(r"#+\s(?:.*\s)?\{(.*)\}$", front["title"].strip())
        attributes = "{" + titled.group(1) + "}" if titled else ""
    # only the class unnumbers a chapter, as in Quarto: a chapter's own ``number-sections: false`` leaves it its
    # number (in the sidebar, and "Appendix A" on its page) and takes the number off its sections and title
    unnumbered = bool(re.search(r"(^|\s|\{)(\.unnumbered|-)(\s|\}|$)", attributes))
    title = front.get("title") or (match.group(1) if match else path.with_suffix(".html").name)  # as Quarto
    return str(title), unnumbered


def front_and_markdown(path: Path) -> tuple[dict[str, Any], str]:
    if not path.is_file():
        raise QmdError(f"{path}: this chapter is listed in _quarto.yml (book: chapters) but does not exist; "
                       "create it or remove it from the list.")
    if path.suffix.lower() == ".ipynb":
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
            raise QmdError(f"{path}: not a Jupyter notebook (not valid JSON); repair it in Jupyter.") from None
        texts = ["".join(c.get("source", "")) if isinstance(c.get("source"), list) else str(c.get("source", ""))
                 for c in cells if isinstance(c, Mapping)]
        front: dict[str, Any] = {}
        found = front_matter_cell(str(cells[0].get("cell_type")), texts[0], path) \
            if cells and isinstance(cells[0], Mapping) else None
        if found is not None:  # the front matter of a raw cell, or of a Markdown cell that opens with it
            front, _, rest = found
            texts[0], cells[0] = rest, {"cell_type": "markdown"}
        markdown = "\n".join(t for c, t in zip(cells, texts, strict=False) if c.get("cell_type") == "markdown")
        return front, markdown
    chunks = scan(read_text(path))
    front = parse_front_matter(front_matter_yaml(chunks[0]), path) if chunks and chunks[0].kind == "front-matter" \
        else {}
    return front, "".join(c.text for c in chunks if c.kind == "markdown")


def _entries(items: Any, root: Path, part: str, where: str) -> list[tuple[Path, str]]:
    if items in (None, ""):
        return []
    if not isinstance(items, list):
        raise QmdError(f"_quarto.yml: book: {where} must be a list of files (and parts), not {items!r}.")
    found: list[tuple[Path, str]] = []
    for item in items:
        if isinstance(item, str):
            found.append(((root / item).resolve(), part))
        elif isinstance(item, Mapping) and "part" in item:
            title = str(item["part"])
            if title.endswith((".qmd", ".md", ".ipynb")):  # a part page: a file of its own
                found.append(((root / title).resolve(), ""))
                title = chapter_title((root / title).resolve())[0]
            found += _entries(item.get("chapters"), root, title, where)
        elif isinstance(item, Mapping) and "href" in item:
            found.append(((root / str(item["href"])).resolve(), part))
        else:
            raise QmdError(f"_quarto.yml: book: {where}: {item!r} is neither a file nor a '- part:' entry.")
    return found


def numbers_chapters(config: Mapping[str, Any], output_format: str) -> bool:
    """Whether the book numbers its chapters in ``output_format``: ``number-sections`` (on by default
    in a book), as the project or ``format: <name>:`` sets it."""
    numbered = config.get("number-sections", True)
    formats = config.get("format")
    if isinstance(formats, Mapping) and isinstance(formats.get(output_format), Mapping):
        numbered = formats[output_format].get("number-sections", numbered)
    return numbered is not False


def book_chapters(config: Mapping[str, Any], root: Path, output_format: str = "html", *,
                  report: bool = False) -> list[Chapter]:
    """Every chapter and appendix of the book in ``config`` (its ``_quarto.yml``), numbered as
    ``output_format`` numbers them (with ``number-sections: false`` none is: references use titles).
    ``report``: say which chapters are listed twice (the project's reading does, once per render)."""
    book = config.get("book") or {}
    if not isinstance(book, Mapping):
        raise QmdError("_quarto.yml: 'book:' must be a mapping with 'chapters:'.")
    chapters: list[Chapter] = []
    seen: set[Path] = set()
    number = 0
    numbered = numbers_chapters(config, output_format)
    for appendix, key in ((False, "chapters"), (True, "appendices")):
        count = 0
        for path, part in _entries(book.get(key), root, "", key):
            if path in seen:  # a profile's list joined to the project's may repeat one (Quarto renders such books)
                if report:
                    warn(f"_quarto.yml: book: {path.relative_to(root)} is listed twice; the book has it once, "
                         "where it is first listed.")
                continue
            seen.add(path)
            title, unnumbered = chapter_title(path)
            label = ""
            opens_part = part == "" and _is_part_page(book, path, root)
            if numbered and not unnumbered and not opens_part:
                if appendix:
                    label = string.ascii_uppercase[count % 26]
                    count += 1
                else:
                    number += 1
                    label = str(number)
            chapters.append(Chapter(path, title, label, part, appendix, opens_part))
    if not chapters:
        raise QmdError("_quarto.yml: a book needs 'book: chapters:' listing its files (index.qmd first).")
    return chapters


def _is_part_page(book: Mapping[str, Any], path: Path, root: Path) -> bool:
    return any(isinstance(item, Mapping) and str(item.get("part", "")).endswith((".qmd", ".md", ".ipynb"))
               and (root / str(item["part"])).resolve() == path for item in book.get("chapters") or [])


def chapter_metadata(config: Mapping[str, Any], root: Path, document: Path) -> dict[str, Any]:
    """What a chapter page needs from its book: ``book-chapter`` (number, appendix) and the book's
    defaults (numbered sections); ``{}`` for a file that is not a chapter."""
    chapters = book_chapters(config, root)
    chapter = next((c for c in chapters if c.path == document.resolve()), None)
    if chapter is None:
        return {}
    book = config.get("book") if isinstance(config.get("book"), Mapping) else {}
    metadata = {"book-chapter": {"number": chapter.number, "appendix": chapter.appendix, "title": chapter.title},
                # a book's defaults (the project's options override them): numbered sections, a table of
                # contents, and no "Other Formats" (the book's PDF is linked from its sidebar)
                "number-sections": True, "toc": True, "format-links": False,
                # the book's options, with the list of its chapters Quarto gives filters (extensions read
                # their chapter's number there, as the pseudocode extension numbers "Algorithm 11.1")
                "book": {**book, "render": render_items(chapters, root)}}
    if chapter is chapters[0] and chapter.path.stem == "index":  # the book's home page: the book's title block
        metadata.update({key: book[key] for key in _TITLE_BLOCK if book.get(key) is not None})
        metadata["book-chapter"]["home"] = True  # its title block is the book's, even when it is numbered
        if book.get("cover-image"):  # relative to the project, shown on the home page (formats/html.py)
            metadata["cover-image"] = str((root / str(book["cover-image"])).resolve())
    else:  # the browser's title, as the page shows the chapter ("2  Results", "Appendix A — Data"); the site
        # adds the book's title after it
        crossref = config.get("crossref") if isinstance(config.get("crossref"), Mapping) else {}
        metadata["pagetitle"] = (f"{crossref.get('appendix-title', 'Appendix')} {chapter.number} "
                                 f"{crossref.get('appendix-delim', chr(0x2014))} {chapter.title}"
                                 if chapter.appendix and chapter.number else chapter.label)
    texts = {other.path: front_and_markdown(other.path)[1] for other in chapters}  # each chapter read once
    references_pages = [other for other in chapters if _REFS_DIV.search(texts[other.path])]
    if chapter in references_pages:  # the references page lists every work the book cites, as in Quarto
        cited = sorted({key for text in texts.values() for key in cited_keys(text)})
        if cited:
            metadata["nocite"] = ", ".join(f"@{key}" for key in cited)
    elif references_pages:
        # a book has one bibliography, on its references page: a chapter's own list is in the page, hidden,
        # as Quarto's books write it (quarto-web#1076)
        metadata["book-chapter"]["references-elsewhere"] = True
    return metadata


def render_items(chapters: list[Chapter], root: Path) -> list[dict[str, Any]]:
    """``book: render:`` as Quarto writes it into a chapter's metadata: each chapter's file (from the project's
    root) and number, the appendices after a marker of their own and numbered 1, 2 ... again."""
    items: list[dict[str, Any]] = []
    for chapter in chapters:
        if chapter.appendix and not any(item["type"] == "appendix" for item in items):
            items.append({"type": "appendix", "text": "Appendices {.unnumbered}", "depth": 0})
        item: dict[str, Any] = {"type": "chapter", "file": chapter.path.relative_to(root).as_posix(),
                                "depth": 1 if chapter.appendix or chapter.part else 0}
        if chapter.number:
            item["number"] = int(chapter.number) if chapter.number.isdigit() else \
                ord(chapter.number[0].upper()) - ord("A") + 1
        items.append(item)
    return items


# what a book's home page shows of the book
_TITLE_BLOCK = ("title", "subtitle", "author", "date", "date-format", "abstract", "description", "cover-image-alt")
_REFS_DIV = re.compile(r"^:::+\s*\{#refs[\s}]", re.M)
_CITATION = re.compile(r"(?<![\w@.`])-?@\{?([A-Za-z0-9_][\w:.#$%&+?<>~/-]*?)\}?(?=[\s;,\].)]|$)")
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_CROSSREF_KINDS = ("fig-", "tbl-", "sec-", "eq-", "lst-", "thm-", "lem-", "cor-", "prp-", "cnj-", "def-", "exm-",
                   "exr-", "sol-", "rem-")


def cited_keys(markdown: str) -> set[str]:
    """The citation keys a chapter's Markdown cites (``@key``, ``[@key]``), cross-references left out."""
    return {key for key in _CITATION.findall(_CODE_SPAN.sub("", markdown)) if not key.startswith(_CROSSREF_KINDS)}
