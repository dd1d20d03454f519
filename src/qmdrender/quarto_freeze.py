"""A project's Quarto ``_freeze``: the executions Quarto stored, used where Quarto would use them.

Projects commit Quarto's ``_freeze/`` so that anyone can render them without the computational
environment (R and its packages, Python packages, data, credentials). Quarto keeps one document's
execution in ``_freeze/<path in the project>/execute-results/html.json`` (``tex.json`` ...): the
Markdown its engine (Jupyter or knitr) wrote, the source file's MD5 as ``hash``, and the folders of
figures it wrote (``supporting``), which sit beside it (``_freeze/<path>/figure-html/``).

With ``execute: freeze`` on (``auto`` or ``true``) and a hash equal to the source's MD5 as it is
now, each code cell's outputs come from that Markdown: a frozen cell (``::: {.cell}``) gives its
outputs back as notebook outputs (stdout, stderr, errors, HTML, LaTeX, images, plain text, Markdown),
and the page is then written by this renderer as for a live run, so cell options keep their meaning.
Cells pair up in order (:func:`_aligned`): a frozen cell's code must equal the document's, hidden cells
are told apart by their execution counts, and the cells Quarto's engine wrote no div for (hidden without
output, conditional content, cells it ran inside HTML comments) are allowed for. When anything does not
line up (another source, a missing figure, cells that do not pair) the store is not used and the
document executes as usual. A changed source is never answered with the old results, even under
``freeze: true``. Inline expressions (```{python} x```) take the values the engine wrote in the text,
found by the text around them; when that text is not there as written, the document executes.
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import json
import mimetypes
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from qmdrender.ansi import ANSI, from_html
from qmdrender.document import COMMENTED_KEY
from qmdrender.knitr_python import KNITR_KEY, SEGMENTS_KEY, run_by_knitr
from qmdrender.markdown import WIDGET_STATE_MIME, WIDGET_VIEW_MIME
from qmdrender.options import cell_settings
from qmdrender.qmd import (
    COMMENT_START,
    DIAGRAM_LANGUAGES,
    INLINE_EXPRESSION,
    KNITR_INLINE,
    code_without_options,
    comment_end,
    dedented,
    inline_expressions,
    replace_inline_expressions,
)
from qmdrender.types import EXECUTION_KEY, warn

# which stored execution a format reads: Quarto names the file after the engine's target (.html, .tex)
_RESULT_FILES = {"html": ("html", "tex"), "latex": ("tex", "html")}

_ANSI_DIV = re.compile(r"^\s*:{3,}\s*\{\.ansi-escaped-output\}\s*$")
# ```code``` on a line of its own is inline code, not a fence; single backticks may stand in a fence's
# attributes (Quarto writes code-summary="Show `trace()`" there)
_FENCE = re.compile(r"^\s*(`{3,}(?!.*```)|~{3,})\s*(.*?)\s*$")
_DIV_OPEN = re.compile(r"^\s*:{3,}\s*(?:\{(.*)\}|([\w-]+))\s*:*\s*$")
_DIV_CLOSE = re.compile(r"^\s*:{3,}\s*$")
_FIGURE_ID = re.compile(r"#fig-[^\s}]+\s*")  # an image's own figure id in its attributes
_IMAGE = re.compile(r"^!\[[^\]]*\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)(\{[^}]*\})?$")
_COUNTED_CELL = re.compile(r"^\s*:{3,}\s*\{[^}]*\.cell\b[^}]*\bexecution_count=")
_FENCED_CELL = re.compile(r"^(`{3,})\{\{?(?P<language>[\w.-]+)[^\n]*\n(?P<code>.*)\n\1\s*$", re.S)
# a page's Jupyter widget view, and the widgets' state in the stored includes (Quarto's HTML for them)
_WIDGET_VIEW = re.compile(r'<script type="?application/vnd\.jupyter\.widget-view\+json"?>(.*?)</script>', re.S)
_WIDGET_STATE = re.compile(r'<script type="?application/vnd\.jupyter\.widget-state\+json"?>(.*?)</script>', re.S)
_ATTRIBUTE = re.compile(r"""([\w-]+)=(?:"((?:[^"\\]|\\.)*)"|(\S+))|([.#][\w:.-]+)""")


@dataclass
class FrozenCell:
    """One cell as Quarto's engine wrote it: the code it showed (``None`` when hidden) and its outputs."""

    code: str | None = None
    outputs: list[dict[str, Any]] = field(default_factory=list)
    execution_count: int | None = None
    unseen_before: int = 0  # cells the engine ran before this one inside HTML comments (no reader sees them)
    label: str | None = None  # a labelled cell's label: Quarto's Jupyter engine writes ``#cell-<label>``
    # knitr's pieces of a chunk's code, each with how many outputs follow it (knitr interleaves them)
    pieces: list[list[Any]] = field(default_factory=list)


def _store_folder(document: Path, project: Path | None) -> Path | None:
    if project is None:
        return None
    source, root = document.resolve(), project.resolve()
    return root / "_freeze" / source.relative_to(root).with_suffix("") if source.is_relative_to(root) else None


def store_digest(document: Path, project: Path | None) -> str:
    """A digest of what Quarto's ``_freeze`` holds for ``document`` (its results and figures; ``""`` when
    nothing), and of the figures folder beside the document (``doc_files/``, where a store's figure is looked
    for when ``_freeze`` lacks it): part of the render stamp, so a page from an updated store, or one whose
    missing figure has since been put beside it, is never reported up to date. This renderer's own entries in
    the store's folder (``*.ipynb``, ``outputs-*.json``) are left out."""
    folder = _store_folder(document, project)
    if folder is None or not (folder / "execute-results").is_dir():
        return ""
    digest = hashlib.sha256()
    beside = document.parent / f"{document.stem}_files"
    for top in (folder, beside):
        files = [Path(where) / name for where, _, names in os.walk(top) for name in names]  # no linked folders
        for path in sorted(files):
            relative = path.relative_to(top)
            if top == folder and len(relative.parts) == 1 and (path.suffix == ".ipynb"
                                                              or path.name.startswith("outputs-")):
                continue
            if path.is_file() and not path.is_symlink():
                digest.update(f"{top.name}/{relative.as_posix()}".encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def stored_result(document: Path, project: Path | None, targets: Sequence[str]) -> tuple[dict[str, Any], Path] | None:
    """Quarto's stored execution of ``document`` for the formats' targets, and its folder in ``_freeze``;
    ``None`` outside a project, without one, or when the source changed since (its MD5 differs)."""
    folder = _store_folder(document, project)
    if folder is None:
        return None
    source = document.resolve()
    names = [n for target in targets for n in _RESULT_FILES.get(target, (target,))]
    for name in dict.fromkeys(names):
        path = folder / "execute-results" / f"{name}.json"
        if path.is_symlink() or not path.is_file():
            continue
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        result = stored.get("result") if isinstance(stored, dict) else None
        if not isinstance(result, dict) or not isinstance(result.get("markdown"), str):
            continue
        if stored.get("hash") != source_hash(source):
            return None  # the source changed since Quarto froze it: its results are not this document's
        return result, folder
    return None


def source_hash(source: Path) -> str:
    """The hash Quarto stores for a source: the MD5 of its text with LF line ends (a file saved with CRLF on
    Windows has the hash it has elsewhere) and without a UTF-8 byte order mark, as Deno reads text."""
    text = source.read_bytes().decode("utf-8-sig", errors="replace")
    return hashlib.md5(re.sub(r"\r?\n", "\n", text).encode("utf-8")).hexdigest()


@dataclass
class _Places:
    """Where a store's figures lie: its supporting folders (``doc_files/figure-html``), its folder in
    ``_freeze`` and the document's folder; and the figures found in neither, as the engine named them."""

    supporting: Sequence[str]
    folder: Path
    document_folder: Path
    missing: list[str] = field(default_factory=list)


def frozen_cells(markdown: str, supporting: Sequence[str], folder: Path, document_folder: Path,
                 missing: list[str] | None = None) -> list[FrozenCell]:
    """The cells of the engine's Markdown, in order, with their outputs as notebook outputs. A figure it names
    that cannot be found stays an image of that name (appended to ``missing``); ``LookupError`` when one names
    a place outside the document's folder."""
    places = _Places(supporting, folder, document_folder, missing if missing is not None else [])
    cells: list[FrozenCell] = []
    lines = markdown.splitlines()
    index = unseen = 0
    while index < len(lines):
        opened = _open_div(lines[index])
        fence = _FENCE.match(lines[index])
        if COMMENT_START.match(lines[index]):  # the engine ran cells inside a comment; no reader sees them
            end = comment_end(lines, index)
            unseen += sum(bool(_COUNTED_CELL.match(line)) for line in lines[index:end + 1])
            index = end + 1
        elif fence:
            index = _fence_end(lines, index) + 1
        elif opened is not None and "cell" in opened["classes"]:
            end = _div_end(lines, index)
            indent = lines[index][:len(lines[index]) - len(lines[index].lstrip(" "))]  # a cell in a list item
            cells.append(_cell(dedented(lines[index + 1:end], indent), opened, places))
            cells[-1].unseen_before = unseen
            index = end + 1
        else:
            index += 1
    return cells


def thaw_quarto(notebook: nbformat.NotebookNode, cells: list[FrozenCell], format_options: Mapping[str, Any],
                engine: str = "jupyter", markdown: str = "") -> nbformat.NotebookNode | None:
    """``notebook`` with the frozen cells' outputs (and its inline expressions' values, found in the
    engine's ``markdown``), or ``None`` when the two do not line up. Quarto's Jupyter engine runs the
    cells in the kernel's language only; knitr runs every language it knows."""
    inline = KNITR_INLINE if engine == "knitr" else INLINE_EXPRESSION
    values = _inline_values(notebook, markdown, inline)
    if values is None:
        return None
    pairs = _aligned(_candidates(notebook, format_options, engine == "jupyter"), cells)
    if pairs is None:
        return None
    result = copy.deepcopy(notebook)
    for index, frozen in pairs:
        target = result.cells[index]
        target.outputs = [nbformat.from_dict(o) for o in frozen.outputs]
        target.execution_count = frozen.execution_count
        code = code_without_options(target.source, _language(target))
        options = target.source[:len(target.source) - len(code)] if target.source.endswith(code) else None
        if options and not options.endswith("\n"):  # the option lines of a chunk without code of its own
            options += "\n"
        if frozen.code is not None and options is not None and _collapsed(code, frozen.code):
            # the page shows the one block knitr wrote, outputs inside, as Quarto's page does
            target.source = options + frozen.code
        elif frozen.code and not code.strip() and options is not None:  # a ref.label chunk: the code knitr ran
            target.source = options + frozen.code
        if engine == "knitr" and len(frozen.pieces) > 1 and options is not None:
            # each piece of code knitr wrote, then what it printed, as Quarto's page shows them
            target.source = options + "\n".join(text for text, _ in frozen.pieces)
            target.metadata[SEGMENTS_KEY] = _segments(frozen.pieces)
            target.metadata[KNITR_KEY] = True
    for index, shown in values.items():
        result.cells[index].source = _with_values(result.cells[index].source, shown, inline)
    result.metadata["inline-values"] = []
    result.metadata[EXECUTION_KEY] = {"reused": True, "from": "quarto-freeze"}
    return result


def _segments(pieces: list[list[Any]]) -> list[list[int]]:
    """knitr's pieces as :mod:`qmdrender.knitr_python`'s segments: [first line, last line, outputs after]."""
    segments, line = [], 1
    for text, count in pieces:
        lines = len(text.split("\n"))
        segments.append([line, line + lines - 1, count])
        line += lines
    return segments


def _with_values(text: str, values: list[str], inline: re.Pattern[str]) -> str:
    found = iter(values)
    return replace_inline_expressions(text, lambda _: next(found), inline)


_VALUE = r"((?:(?!\n[ \t]*\n)[\s\S])*?)"  # an inline value as the engine wrote it, within its paragraph


def _text_pattern(text: str) -> str:
    """The text around inline values as a pattern that any line wrapping matches (a paragraph break only
    where the text has one)."""
    if not text.strip():
        return r"\s*\n[ \t]*\n\s*" if re.search(r"\n[ \t]*\n", text) else r"\s+" if text else ""
    return r"\s*" + r"\s+".join(re.escape(word) for word in text.split()) + r"\s*"


def _inline_values(notebook: nbformat.NotebookNode, markdown: str,
                   inline: re.Pattern[str]) -> dict[int, list[str]] | None:
    """The values the engine wrote for each Markdown cell's inline expressions (``{python} x``, knitr's
    ``r x``), found by the cell's own text around them in the engine's Markdown, in order; ``None`` when a
    cell's text is not there as written."""
    values: dict[int, list[str]] = {}
    position = 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown" or not inline_expressions(cell.source, inline):
            continue
        template = replace_inline_expressions(cell.source, lambda _: "\0", inline)
        # a value may run over lines (knitr writes an icon's SVG as raw HTML, line by line) but not over a blank
        # line; one that starts the text starts a line, and one that ends it runs to the end of its paragraph
        parts = [_text_pattern(part) for part in template.split("\0")]
        pattern = _VALUE.join(parts)
        if not parts[0]:
            pattern = r"(?:^|(?<=\n))" + pattern
        if not parts[-1]:
            pattern += r"(?=\s*\n[ \t]*\n|\s*\Z)"
        found = re.compile(pattern).search(markdown, position)
        if found is None:
            return None
        values[index] = [value.strip() for value in found.groups()]
        position = found.end()
    return values


@dataclass
class _Candidate:
    index: int  # in the notebook
    code: str
    shown: bool  # its code is on the page (echo), so a frozen cell without code is not this one
    optional: bool  # Quarto's engine may have written no div for it (hidden, empty, conditional)
    ordinal: int  # its execution count: Quarto's engine numbers every code cell, run (eval) or not
    runs: bool  # eval is not false
    slack: int  # how many code cells before it are conditional (Quarto may not have run them)
    label: str | None = None
    language: str = "python"
    included: bool = True  # include is not false: with include: false the engine writes no div, outputs or not


def _candidates(notebook: nbformat.NotebookNode, format_options: Mapping[str, Any],
                kernel_language_only: bool) -> list[_Candidate]:
    # a cell inside an HTML comment is no candidate: the store's comments count it (FrozenCell.unseen_before)
    found = []
    conditional = 0  # how many open divs around here show or hide by format, profile or metadata
    stack: list[bool] = []
    position = slack = 0
    labelled = {str(c.metadata["quarto"]["label"]): code_without_options(c.source, _language(c))
                for c in notebook.cells if c.cell_type == "code" and c.metadata.get("quarto", {}).get("label")}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            for opened, closed in _div_events(cell.source):
                if opened is not None:
                    flag = any(k.startswith(("when-", "unless-")) for k in opened["attributes"])
                    stack.append(flag)
                    conditional += flag
                elif closed and stack:
                    conditional -= stack.pop()
        elif cell.cell_type == "code" and cell.metadata.get("language") not in DIAGRAM_LANGUAGES and not (
                kernel_language_only and "language" in cell.metadata) and not cell.metadata.get(COMMENTED_KEY):
            settings = cell_settings(format_options, cell.metadata.get("quarto", {}), knitr=run_by_knitr(cell))
            code = code_without_options(cell.source, _language(cell))
            borrowed = settings.get("ref-label")  # (knitr's ref.label, by the name the reader gives it)
            if borrowed and not code.strip():  # knitr runs (and shows) the code of the chunks it names
                names = borrowed if isinstance(borrowed, list) else [borrowed]
                code = "\n".join(labelled.get(str(name), "") for name in names)
            shown = settings.get("echo", True) is not False and settings.get("include") is not False
            runs_here = settings.get("eval", True) is not False
            position += bool(cell.source.strip())  # an empty cell is not in the notebook Quarto's engine runs
            # Quarto's Jupyter engine writes no div for a cell that shows nothing (hidden code, no output)
            label = settings.get("label")
            found.append(_Candidate(index, code, shown, not shown or not code.strip() or conditional > 0,
                                    position, runs_here, slack, str(label) if label is not None else None,
                                    _language(cell), settings.get("include") is not False))
            slack += conditional > 0
    return found


def _div_events(text: str) -> list[tuple[dict[str, Any] | None, bool]]:
    """The fenced divs a Markdown text opens and closes, in order (code blocks skipped)."""
    lines = text.splitlines()
    events: list[tuple[dict[str, Any] | None, bool]] = []
    index = 0
    while index < len(lines):
        if _FENCE.match(lines[index]):
            index = _fence_end(lines, index) + 1
            continue
        opened = _open_div(lines[index])
        if opened is not None:
            events.append((opened, False))
        elif _DIV_CLOSE.match(lines[index]):
            events.append((None, True))
        index += 1
    return events


def _aligned(candidates: list[_Candidate], cells: list[FrozenCell]) -> list[tuple[int, FrozenCell]] | None:
    """Each frozen cell paired with a cell of the document, in order, or ``None`` when no pairing holds.

    A frozen cell's code must equal its cell's, and a frozen cell without code pairs only with a cell whose
    code is hidden, unless the store shows no cell's code (then the counts alone pair them; the page shows the
    code as the document's options say); only an optional cell may be left without one. Where the engine
    wrote execution counts, they must agree with the cells' order: counting every code cell (Quarto's engine
    numbers those with ``eval: false`` too, and those it ran inside comments), the gap between a cell's count
    and its place is the same all along (a kernel may have run something first), less one for each
    conditional cell before it that Quarto's engine did not run."""
    count, total = len(candidates), len(cells)
    # a store written while every cell's code was hidden (echo: false then, under another profile or an older
    # front matter) shows no code to compare: its cells pair by their execution counts alone
    counted_only = all(c.code is None and c.execution_count is not None for c in cells) and bool(cells)

    def gap(i: int, j: int) -> int | None:
        frozen = cells[j]
        if frozen.execution_count is None:
            return None
        return frozen.execution_count - frozen.unseen_before - candidates[i].ordinal

    @functools.cache
    def pair(i: int, j: int, before: tuple[int, int] | None) -> tuple[tuple[int, int], ...] | None:
        if j == total:
            return () if all(c.optional for c in candidates[i:]) else None
        if i == count:
            return None
        candidate, frozen = candidates[i], cells[j]
        here = None
        if candidate.included and (_matches(candidate, frozen) or
                                   (counted_only and candidate.runs and _same_label(candidate, frozen))):
            after, consistent = before, True
            found_gap = gap(i, j)
            if found_gap is not None:
                consistent = found_gap >= -candidate.slack if before is None else \
                    before[0] - (candidate.slack - before[1]) <= found_gap <= before[0]
                after = (found_gap, candidate.slack)
            rest = pair(i + 1, j + 1, after) if consistent else None
            here = None if rest is None else ((i, j), *rest)
        if not candidate.optional or (here is not None and before is not None):
            return here
        skipped = pair(i + 1, j, before)
        if here is None or skipped is None:
            return here or skipped
        # before the first pair the gap is open: a hidden cell without output has no div, and the pairing that
        # needs no cells run before the document's (the usual case) is Quarto's, not one shifted by a cell
        return here if abs(gap(*here[0]) or 0) <= abs(gap(*skipped[0]) or 0) else skipped

    try:
        found = pair(0, 0, None)
    except RecursionError:
        return None
    finally:
        pair.cache_clear()
    return None if found is None else [(candidates[i].index, cells[j]) for i, j in found]


def _same_label(candidate: _Candidate, frozen: FrozenCell) -> bool:
    return frozen.label is None or frozen.label == candidate.label


def _matches(candidate: _Candidate, frozen: FrozenCell) -> bool:
    if not _same_label(candidate, frozen):
        return False
    if frozen.code is None:
        return not candidate.shown or not candidate.code.strip()
    shown = frozen.code
    fenced = _FENCED_CELL.match(shown.strip("\n"))
    if fenced:  # echo: fenced shows the cell with its fence and options
        shown = code_without_options(fenced["code"], fenced["language"])
    # knitr keeps a chunk's option lines in the code it stores when the code is hidden (a manuscript's notebook)
    return _normalised(candidate.code) in (_normalised(shown),
                                           _normalised(code_without_options(shown, candidate.language))) or \
        _collapsed(candidate.code, shown)


def _collapsed(code: str, shown: str) -> bool:
    """Whether ``shown`` is ``code`` as knitr writes a chunk with ``collapse: true``: its text outputs in the
    code block itself, each line behind the comment prefix (``## ``), where they came."""
    wanted, lines = _normalised(code).splitlines(), _normalised(shown).splitlines()
    found = 0
    for line in lines:
        if found < len(wanted) and line == wanted[found]:
            found += 1
        elif not line.startswith("#"):
            return False
    return found == len(wanted) and len(lines) > len(wanted)


def _language(cell: nbformat.NotebookNode) -> str:
    return str(cell.metadata.get("language", "python"))


def _normalised(code: str) -> str:
    # without blank lines: knitr drops those between the pieces it splits a chunk's code into around its outputs
    return "\n".join(line.rstrip() for line in code.strip("\n").splitlines() if line.strip()).strip()


def _open_div(line: str) -> dict[str, Any] | None:
    found = _DIV_OPEN.match(line)
    if not found:
        return None
    if found[2]:
        return {"classes": [found[2]], "id": "", "attributes": {}}
    return _attributes(found[1])


def _attributes(text: str) -> dict[str, Any]:
    classes, identifier, attributes = [], "", {}
    for match in _ATTRIBUTE.finditer(text):
        if match[4]:
            if match[4].startswith("."):
                classes.append(match[4][1:])
            else:
                identifier = match[4][1:]
        else:
            attributes[match[1]] = match[2] if match[2] is not None else match[3]
    return {"classes": classes, "id": identifier, "attributes": attributes}


def _fence_end(lines: list[str], start: int) -> int:
    """The index of the line that closes the code fence opened at ``start`` (the last line if none does)."""
    opener = _FENCE.match(lines[start])
    assert opener is not None
    marker = opener[1]
    for index in range(start + 1, len(lines)):
        closing = _FENCE.match(lines[index])
        if closing and closing[1][0] == marker[0] and len(closing[1]) >= len(marker) and not closing[2]:
            return index
    return len(lines) - 1


def _div_end(lines: list[str], start: int) -> int:
    """The index of the ``:::`` line that closes the div opened at ``start``."""
    depth = 0
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if _FENCE.match(line):
            index = _fence_end(lines, index)
        elif _open_div(line) is not None:
            depth += 1
        elif _DIV_CLOSE.match(line):
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return len(lines)


def _cell(body: list[str], opened: Mapping[str, Any], places: _Places) -> FrozenCell:
    cell = FrozenCell(execution_count=_count(opened["attributes"].get("execution_count")),
                      label=opened["id"].removeprefix("cell-") if opened["id"].startswith("cell-") else None)
    loose: list[str] = []  # what the engine wrote straight into the cell (output: asis)
    index = 0
    while index < len(body):
        line = body[index]
        fence = _FENCE.match(line)
        opened_here = _open_div(line)
        if fence:
            end = _fence_end(body, index)
            if "cell-code" in fence[2]:  # knitr splits a chunk's code where its outputs come: one code again
                code = "\n".join(body[index + 1:end])
                cell.code = code if cell.code is None else f"{cell.code}\n{code}"
                cell.pieces.append([code, 0])
            else:
                loose.extend(body[index:end + 1])
            index = end + 1
        elif opened_here is not None and any(c.startswith("cell-output") for c in opened_here["classes"]):
            end = _div_end(body, index)
            cell.outputs.append(_output(body[index + 1:end], opened_here, places))
            if cell.pieces:
                cell.pieces[-1][1] += 1
            index = end + 1
        elif opened_here is not None or _DIV_CLOSE.match(line):  # a wrapper (a figure's div): its outputs count
            index += 1
        else:
            loose.append(line)
            index += 1
    if "\n".join(loose).strip():
        cell.outputs.append({"output_type": "display_data", "metadata": {},
                             "data": {"text/markdown": "\n".join(loose).strip("\n")}})
        if cell.pieces:
            cell.pieces[-1][1] += 1
    return cell


def _count(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _ansi_unwrapped(lines: list[str]) -> list[str]:
    """The lines inside Quarto's ``::: {.ansi-escaped-output}`` div (terminal colours written as HTML), else
    ``lines``."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    if len(filled) >= 2 and _ANSI_DIV.match(lines[filled[0]]) and _DIV_CLOSE.match(lines[filled[-1]]):
        return lines[filled[0] + 1:filled[-1]]
    return lines


def _inside_fence(lines: list[str]) -> tuple[str, str] | None:
    """The header and text of ``lines`` when they are exactly one fenced code block."""
    content = list(lines)
    while content and not content[0].strip():
        content.pop(0)
    while content and not content[-1].strip():
        content.pop()
    if len(content) < 2 or not _FENCE.match(content[0]) or _fence_end(content, 0) != len(content) - 1:
        return None
    header = _FENCE.match(content[0])
    assert header is not None
    return header[2], "\n".join(content[1:-1])


_EXCEPTION_LINE = re.compile(r"([A-Za-z_][\w.]*): ?(.*)$")


def _output(body: list[str], opened: Mapping[str, Any], places: _Places) -> dict[str, Any]:
    classes = opened["classes"]
    inner = _ansi_unwrapped(body)
    block = _inside_fence(inner)
    if inner is not body and block is not None and block[0].replace(" ", "") == "{=html}":
        block = ("", from_html(block[1]).strip("\n"))  # coloured terminal text, as the kernel printed it
    text = block[1] if block else "\n".join(body).strip("\n")
    if "cell-output-stdout" in classes or "cell-output-stderr" in classes:
        name = "stdout" if "cell-output-stdout" in classes else "stderr"
        return {"output_type": "stream", "name": name, "text": text + "\n"}
    if "cell-output-error" in classes:
        last = ANSI.sub("", text.strip().splitlines()[-1]) if text.strip() else "Error"
        # a Python exception's last line names it ("ValueError: ..."); an R error's text ("Error in `f()`: ...",
        # "! 'x' must be ...") names none, and is shown as Quarto stored it, with no line made up over it
        exception = _EXCEPTION_LINE.match(last)
        name, value = (exception[1], exception[2]) if exception else ("", "")
        return {"output_type": "error", "ename": name, "evalue": value, "traceback": text.splitlines()}
    count = _count(opened["attributes"].get("execution_count"))
    output: dict[str, Any] = {"output_type": "execute_result" if count is not None else "display_data",
                              "metadata": {}, "data": _display_data(body, block, places)}
    if count is not None:
        output["execution_count"] = count
    return output


def _display_data(body: list[str], block: tuple[str, str] | None, places: _Places) -> dict[str, Any]:
    if block is not None:
        header, text = block
        raw = re.fullmatch(r"\{=(\w+)\}", header.replace(" ", ""))
        view = _WIDGET_VIEW.fullmatch(text.strip()) if raw and raw[1] == "html" else None
        if view:  # a Jupyter widget: drawn from the state the store keeps beside the page (thawed)
            try:
                return {WIDGET_VIEW_MIME: json.loads(view[1])}
            except ValueError:
                pass
        if raw and raw[1] == "html":
            return {"text/html": text}
        if raw and raw[1] in ("latex", "tex"):
            return {"text/latex": text}
        if not header or header in ("{}", "text", "{.text}"):
            return {"text/plain": text}
    content = "\n".join(body).strip()
    image = _IMAGE.match(content)
    path = _figure(image[1], places) if image else None
    if image and path is None:
        places.missing.append(image[1])  # the image as the engine wrote it: a link, as Quarto's page has it
        if image[2] and "#fig-" in image[2]:  # the labelled cell's float holds it, with its caption: the link
            content = f"![]({image[1]}){_FIGURE_ID.sub('', image[2])}"  # goes in without its own
    elif path is not None:
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = path.read_bytes()
        value = data.decode("utf-8") if mime == "image/svg+xml" else base64.b64encode(data).decode("ascii")
        return {mime: value}
    return {"text/markdown": content}


def _widget_state(includes: Any) -> dict[str, Any] | None:
    """The Jupyter widgets' state Quarto stored with the page (a script in its ``include-after-body``)."""
    parts = includes.get("include-after-body") if isinstance(includes, Mapping) else None
    for part in parts if isinstance(parts, list) else [parts]:
        found = _WIDGET_STATE.search(str(part or ""))
        if found:
            try:
                state = json.loads(found[1])
            except ValueError:
                return None
            return state if isinstance(state, dict) else None
    return None


def _figure(name: str, places: _Places) -> Path | None:
    """Where a figure the engine wrote lies now: in ``_freeze`` (its supporting folder, e.g.
    ``doc_files/figure-html/x.png`` → ``_freeze/doc/figure-html/x.png``), else beside the document; ``None``
    when in neither."""
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise LookupError(f"{name} lies outside the document's folder")
    for entry in places.supporting:
        entry = entry.replace("\\", "/")  # a store written on Windows names its folders with backslashes
        first = Path(entry).parts[0] if Path(entry).parts else ""
        if first and relative.parts and relative.parts[0] == first:
            candidate = places.folder.joinpath(*relative.parts[1:])
            if candidate.is_file() and not candidate.is_symlink():
                return candidate
    candidate = places.document_folder / relative
    return candidate if candidate.is_file() else None


def thawed(document: Path, notebook: nbformat.NotebookNode, project: Path | None, targets: Sequence[str],
           format_options: Mapping[str, Any], runnable: bool = True) -> nbformat.NotebookNode | None:
    """``notebook`` with its outputs from the project's Quarto ``_freeze`` when they are this document's,
    else ``None`` (then it executes); says which, as a render's log line or a warning. ``runnable``: whether
    running the document here can make its outputs (not when its cells are in R or Julia)."""
    found = stored_result(document, project, targets)
    if found is None:
        return None
    includes = "{{< include" in document.read_text(encoding="utf-8", errors="replace")
    # the stored hash covers this file only: an edited include (a hidden cell's code in it) would not show.
    # Shown code must still equal the store's (_aligned); where the cells cannot run here, the store is what
    # Quarto itself shows, and running would show no outputs at all.
    if includes and runnable:
        warn(f"{document}: the project's _freeze holds Quarto's results for it, but it includes other files, "
             "whose changes Quarto's hash does not cover; executing it.")
        return None
    result, folder = found
    missing: list[str] = []
    try:
        cells = frozen_cells(result["markdown"], [str(s) for s in result.get("supporting") or []], folder,
                             document.resolve().parent, missing)
    except (LookupError, OSError, UnicodeDecodeError) as error:
        warn(f"{document}: the project's _freeze holds Quarto's results for it, but {error}; executing it.")
        return None
    # older Quarto did not store the engine: a document with R cells ran with knitr
    knitr = any(c.cell_type == "code" and c.metadata.get("language") == "r" for c in notebook.cells)
    engine = str(result.get("engine") or ("knitr" if knitr else "jupyter"))
    restored = thaw_quarto(notebook, cells, format_options, engine, result["markdown"])
    if restored is None:
        warn(f"{document}: the project's _freeze holds Quarto's results for it, but its {len(cells)} cells (or "
             "its inline values) do not line up with the document's code cells and text; executing it.")
        return None
    if includes:  # said once the store is known to line up with the document and its parts
        warn(f"{document}: it includes other files, whose changes the hash of Quarto's _freeze does not cover, "
             "and its cells cannot run here: showing the stored outputs, as Quarto does (render it with Quarto "
             "if an included file changed).")
    if missing:  # a store committed without its figures: Quarto's page names them too, and shows none there
        warn(f"{document}: the project's _freeze holds Quarto's results for it without {len(missing)} of their "
             f"figures ({', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''}); they are left as links.")
    state = _widget_state(result.get("includes"))
    if state is not None:
        restored.metadata["widgets"] = {WIDGET_STATE_MIME: state}
    print(f"      outputs from the project's _freeze ({folder.name}: Quarto's execution of this unchanged source)",
          file=sys.stderr, flush=True)
    return restored
