"""The one reader of ``.qmd`` text: front matter, Markdown, fenced blocks, executable cells, ``#|`` options.

Everything in the renderer that looks at ``.qmd`` text goes through :func:`scan`: the document
reader (cells to execute), ``{{< include >}}`` expansion, the JupyterLab contents manager (which must
write back exactly the text it read) and the heading checks. So they cannot disagree about where a
cell starts or ends.

:func:`scan` cuts the text into :class:`Chunk` s whose texts, joined, give the input back byte for
byte (CRLF line ends included). It works line by line, as a Markdown parser does, so fences nest: a
```` ```{python} ```` example inside a longer ```` ```` ```` fence stays text, and the escaped form
```` ```{{python}} ```` is an ``example``. An unclosed fence runs to the end of the text
(CommonMark), for every reader alike. A cell may be indented (inside a list item, where Quarto runs it
too); its code is read without the indentation. Front matter is a ``---`` block
on the first line, closed by ``---`` or ``...``. An HTML comment hides what it holds, fences included,
and nothing after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from qmdrender.yamlfile import parse_mapping, parse_yaml


def code_block(code: str, attributes: str) -> str:
    """``code`` as a fenced block with ``attributes`` after the opening fence (``{.python}``, ``{=html}``,
    ``default``): the fence one backtick longer than any run of backticks inside, so none ends it early."""
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{attributes}\n{code}\n{fence}"


FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*?)[ \t]*$")
EXECUTABLE = re.compile(r"^\{(?P<lang>[A-Za-z][\w.-]*)(?P<header>[^{}]*)\}$")
# a cell indented further, in the content of a list item ("-   " and four spaces, a nested list): Quarto's engines
# find a cell behind any indentation, and its closing fence too
_DEEP_CELL = re.compile(r"^(?P<indent> {4,})(?P<fence>`{3,})[ \t]*(?P<info>\{[A-Za-z][^{}]*\})[ \t]*$")
_DEEP_CLOSING = re.compile(r"^(?P<indent> *)(?P<fence>`{3,})(?P<info>)[ \t]*$")
ESCAPED = re.compile(r"^\{\{(?P<lang>[A-Za-z][\w.-]*)(?P<header>[^{}]*)\}\}$")
# the file's name as written, or in quotes when it has spaces ({{< include "_a file.md" >}})
INCLUDE = re.compile(r"""^\{\{<\s*include\s+(?:"(?P<quoted>[^"]+)"|'(?P<single>[^']+)'|(?P<file>\S+?))"""
                     r"\s*>\}\}[ \t]*$")
_NO_SHORTCODES = re.compile(r"""shortcodes\s*=\s*["']?false""")  # a code block that shows its shortcodes
# Quarto reads "#|" and also "# |", which code formatters (black, ruff) write; a space after the bar is dropped.
# Other languages use their own comment: "%%|" in mermaid cells, "//|" in dot cells.
OPTION_COMMENTS = {"mermaid": "%%", "dot": "//"}
DIAGRAM_LANGUAGES = ("mermaid", "dot")  # cells the renderer draws (qmdrender.diagrams), never run
# quarto-live's cells (Pyodide, webR), which run in the reader's browser, not in a kernel: the language of their code
LIVE_LANGUAGES = {"pyodide": "python", "webr": "r"}


def _option_line(comment: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(comment)}[ \t]*\|[ \t]?(.*)$")


OPTION_LINE = _option_line("#")
# An HTML comment that starts a line opens a block that ends on the line holding "-->" (CommonMark's HTML
# block); a fence inside it is comment text, so it neither opens a cell nor swallows the ones after it.
COMMENT_START = re.compile(r"^ {0,3}<!--")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
MAX_INCLUDE_DEPTH = 10
MAX_INCLUDES = 200


class QmdError(ValueError):
    """A .qmd document that Quarto would refuse; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Chunk:
    """A piece of a ``.qmd`` text.

    ``kind`` is ``front-matter``, ``markdown``, ``code`` (an executable ```` ```{lang} ```` cell),
    ``example`` (an escaped ```` ```{{lang}} ```` cell, shown, never run) or ``fence`` (any other
    fenced block, which is Markdown too). For the fenced kinds ``opening`` is the fence line,
    ``body`` the lines inside and ``closing`` the closing fence line (``""`` when unclosed); every
    part keeps its line ends, so ``text`` is exactly what was read.
    """

    kind: str
    opening: str = ""
    body: str = ""
    closing: str = ""
    language: str = ""
    header: str = ""

    @property
    def text(self) -> str:
        return self.opening + self.body + self.closing

    @property
    def fence(self) -> str:
        opened = opening_fence(_line(self.opening))
        return opened["fence"] if opened else ""

    @property
    def indent(self) -> str:
        """The spaces before the opening fence: a cell indented into a list item (Quarto runs it there)."""
        opened = opening_fence(_line(self.opening))
        return opened["indent"] if opened else ""

    @property
    def source(self) -> str:
        """A cell's code: the body without its last line end, in ``\\n`` line ends, without the fence's
        indentation."""
        code = self.body.replace("\r\n", "\n").removesuffix("\n")
        return "\n".join(dedented(code.split("\n"), self.indent)) if self.indent else code


def dedented(lines: list[str], indent: str) -> list[str]:
    """Lines without the indentation of the fence or div they sit in (a line indented less loses its spaces)."""
    return [line[len(indent):] if line.startswith(indent) else line.lstrip(" ") for line in lines]


def _line(text: str) -> str:
    return text.rstrip("\r\n")


def opening_fence(line: str) -> re.Match[str] | None:
    """The fence ``line`` opens (indented up to three spaces, or a cell indented further), else ``None``."""
    return FENCE.match(line) or _DEEP_CELL.match(line)


def scan(text: str, *, front_matter: bool = True) -> list[Chunk]:
    """``text`` as chunks (see :class:`Chunk`); ``"".join(c.text for c in scan(t)) == t``."""
    lines = text.splitlines(keepends=True)
    chunks: list[Chunk] = []
    start = 0
    # blank lines may come first (Quarto finds the YAML block after them, as pandoc does); then the opening
    # "---" must be followed by YAML, not by a blank line (that would be a rule)
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if front_matter and first < len(lines) and _line(lines[first]).rstrip(" \t") == "---" and \
            (first == 0 or (first + 1 < len(lines) and lines[first + 1].strip())):
        end = next((i for i in range(first + 1, len(lines)) if _FRONT_MATTER_END.match(_line(lines[i]))), None)
        if end is not None:
            chunks.append(Chunk("front-matter", body="".join(lines[: end + 1])))
            start = end + 1
    markdown: list[str] = []
    index = start
    while index < len(lines):
        if COMMENT_START.match(lines[index]):
            end = comment_end(lines, index)
            markdown.extend(lines[index:end + 1])
            index = end + 1
            continue
        opened = opening_fence(_line(lines[index]))
        if opened and opened["fence"][0] == "`" and "`" in opened["info"]:
            opened = None  # ```code``` on a line of its own is inline code: a backtick fence's info has none
        if not opened:
            markdown.append(lines[index])
            index += 1
            continue
        end = closing_fence(lines, index, opened["fence"], deep=len(opened["indent"]) > 3)
        info = opened["info"]
        executable = EXECUTABLE.match(info)
        escaped = ESCAPED.match(info)
        kind, language = ("code", executable) if executable else ("example", escaped) if escaped else ("fence", None)
        if markdown:
            chunks.append(Chunk("markdown", body="".join(markdown)))
            markdown = []
        chunks.append(Chunk(kind, opening=lines[index], body="".join(lines[index + 1:end]),
                            closing=lines[end] if end < len(lines) else "",
                            language=language["lang"] if language else "",
                            header=language["header"] if language else ""))
        index = end + 1
    if markdown:
        chunks.append(Chunk("markdown", body="".join(markdown)))
    return chunks


# Quarto's Jupyter engine cuts a document into notebook cells before it runs: a "---" line that is followed by a
# non-blank line (anything else is a rule) opens or closes a YAML block, alternately, and each one it reads
# starts or ends a cell, so the Markdown it writes back has a blank line there (see :func:`as_jupyter_cells`).
_RULE_OR_YAML = re.compile(r"^---\s*$")
_ANY_FENCE = re.compile(r"^\s*```")


def as_jupyter_cells(text: str, language: str = "python") -> str:
    """``text`` as Quarto's Jupyter engine gives it to pandoc: a blank line before each ``---`` that opens a
    YAML block and after each one that closes it. The first mid-text ``---`` that text follows directly
    closes the front matter's block, which the engine left open (its own closing ``---`` is followed by a
    blank line), so it becomes a rule with a paragraph after it, as in Quarto's pages; pandoc alone would read a
    YAML block there, up to the next ``---``, and stop on what is not YAML. Cells in ``language``
    (```` ```{python} ````) are passed over. The engine stops looking for ``---`` at the first other fence
    (a plain ```` ``` ```` block or another language's cell), and so does this."""
    cell = re.compile(rf"^(\s*)(`{{3,}})\s*\{{{re.escape(language)}( *[ ,].*)?\}}\s*$")
    lines = text.split("\n")
    out: list[str] = []
    in_yaml = in_code = False
    cell_end: re.Pattern[str] | None = None
    pending_break = False
    for index, line in enumerate(lines):
        if pending_break and line.strip():
            out.append("")
        pending_break = False
        if cell_end is not None:
            if cell_end.match(line):
                cell_end = None
        elif not in_code and _RULE_OR_YAML.match(line) and \
                (index + 1 >= len(lines) or lines[index + 1].strip()):
            if in_yaml:
                pending_break = True
            elif out and out[-1].strip():
                out.append("")
            in_yaml = not in_yaml
        elif opened := cell.match(line):
            cell_end = re.compile(rf"^{re.escape(opened[1])}{opened[2]}\s*$")
        elif _ANY_FENCE.match(line):
            in_code = True  # the engine never leaves this state again (quarto-cli's quartoMdToJupyter)
        out.append(line)
    return "\n".join(out)


# An inline expression (`{python} len(x)`), evaluated where it stands in the text.
# Single backticks only: ``{python} x`` (an extra backtick) shows the expression unevaluated, as Quarto
# documents, and so does `` `{python} x` `` (a code span of two backticks holding one). A longer code span
# is matched first, as a whole, without "expr", so that nothing inside it counts.
_LONGER_CODE_SPAN = r"(?<!`)(?P<ticks>`{2,})(?!`).*?(?<!`)(?P=ticks)(?!`)|"
INLINE_EXPRESSION = re.compile(_LONGER_CODE_SPAN + r"(?<!`)`\{python\}[ \t]+(?P<expr>[^`]+?)[ \t]*`(?!`)")
# knitr's inline R code (`r nrow(x)`, or `{r} nrow(x)` as Quarto also writes it)
KNITR_INLINE = re.compile(_LONGER_CODE_SPAN + r"(?<!`)`(?:r|\{r\})[ \t]+(?P<expr>[^`]+?)[ \t]*`(?!`)")


def inline_expressions(text: str, pattern: re.Pattern[str] = INLINE_EXPRESSION) -> list[re.Match[str]]:
    """The inline expressions of a Markdown text, in order; one inside a fenced code block is an example
    the block shows, not code to run (Quarto runs only those in the text)."""
    return [found for chunk in scan(text, front_matter=False) if chunk.kind == "markdown"
            for found in pattern.finditer(chunk.text) if found["expr"] is not None]


def replace_inline_expressions(text: str, replace: Callable[[re.Match[str]], str],
                               pattern: re.Pattern[str] = INLINE_EXPRESSION) -> str:
    """``text`` with each inline expression of :func:`inline_expressions` replaced by ``replace(match)``."""
    def replaced(match: re.Match[str]) -> str:
        return match.group(0) if match["expr"] is None else replace(match)  # a longer code span: as written

    return "".join(pattern.sub(replaced, chunk.text) if chunk.kind == "markdown" else chunk.text
                   for chunk in scan(text, front_matter=False))


def comment_end(lines: list[str], start: int) -> int:
    """The index of the line that closes the HTML comment opened on line ``start`` (the last line if none).
    An executable cell inside it (```` ```{mermaid} ```` kept for later) is one piece, "-->" arrows in its
    code included, as Quarto's reader takes it (its cells do not stop at comments); any other fence is
    comment text, so an unclosed one there swallows nothing."""
    after_opening = lines[start].split("<!--", 1)[1]
    if "-->" in after_opening:
        return start
    index = start + 1
    while index < len(lines):
        opened = FENCE.match(_line(lines[index]))
        if opened and EXECUTABLE.match(opened["info"]):
            closing = closing_fence(lines, index, opened["fence"])
            if closing < len(lines):
                index = closing + 1
                continue
        if "-->" in lines[index]:
            return index
        index += 1
    return len(lines) - 1


def split_at_commented_cells(text: str) -> list[str | Chunk]:
    """A Markdown text cut after each HTML comment that holds executable cells, with those cells (as ``code``
    chunks) between the pieces: ``[markdown, cell, ..., markdown]``. Quarto's engines cut a document into cells
    before pandoc sees a comment, so a commented-out cell still runs (quarto-dev/quarto#347, as knitr does): its
    output lands inside the comment, where no reader sees it, but what it does to the kernel (a variable, a
    random seed) stays for the cells after it. A diagram cell there is comment text, never drawn."""
    lines = text.splitlines(keepends=True)
    pieces: list[str | Chunk] = []
    start = index = 0
    while index < len(lines):
        if not COMMENT_START.match(lines[index]):
            index += 1
            continue
        end = comment_end(lines, index)
        cells = []
        inner = index + 1
        while inner < end:
            opened = FENCE.match(_line(lines[inner]))
            executable = EXECUTABLE.match(opened["info"]) if opened else None
            if not executable:
                inner += 1
                continue
            closing = closing_fence(lines, inner, opened["fence"])
            if executable["lang"] not in DIAGRAM_LANGUAGES:
                cells.append(Chunk("code", opening=lines[inner], body="".join(lines[inner + 1:closing]),
                                   closing=lines[closing], language=executable["lang"], header=executable["header"]))
            inner = closing + 1
        if cells:
            pieces.append("".join(lines[start:end + 1]))
            pieces.extend(cells)
            start = end + 1
        index = end + 1
    pieces.append("".join(lines[start:]))
    return pieces


def comments_closed_once(text: str) -> str:
    """``text`` with the "-->" inside each HTML comment's cells (arrows in the code of a cell the comment
    holds, see :func:`comment_end`) written as "--&gt;", so that pandoc, for which a comment ends at its
    first "-->", hides the whole comment as Quarto's page does. Comment text is never shown, so nothing a
    reader sees changes; the line that closes the comment is left as it is."""
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        if COMMENT_START.match(lines[index]):
            end = comment_end(lines, index)
            for inner in range(index + 1, end):  # only a cell's lines can hold "-->" here
                lines[inner] = lines[inner].replace("-->", "--&gt;")
            index = end + 1
        else:
            index += 1
    return "".join(lines)


def closing_fence(lines: list[str], start: int, fence: str, *, deep: bool = False) -> int:
    """The index of the line that closes the fence opened at ``start``; ``len(lines)`` if none does. A ``deep``
    cell's (one indented four spaces or more) closes at any indentation, as Quarto reads it."""
    closing_line = _DEEP_CLOSING if deep else FENCE
    for index in range(start + 1, len(lines)):
        closing = closing_line.match(_line(lines[index]))
        if closing and closing["fence"][0] == fence[0] and len(closing["fence"]) >= len(fence) \
                and not closing["info"]:
            return index
    return len(lines)  # CommonMark: an unclosed fence runs to the end of the document


def front_matter_yaml(chunk: Chunk) -> str:
    """The YAML between a front-matter chunk's delimiters, in ``\\n`` line ends."""
    lines = chunk.body.splitlines()
    while lines and not lines[0].strip():  # blank lines before the opening "---"
        lines.pop(0)
    return "".join(f"{line}\n" for line in lines[1:-1])


def later_metadata(chunks: list[Chunk], where: Path | str) -> dict[str, Any]:
    """The metadata blocks after the front matter, merged in order (a later value wins, mappings merged), as
    pandoc and Quarto read them anywhere in the text: a "---" line after a blank line, outside HTML comments
    and code blocks, YAML on the next line, up to "---" or "...". Only a block whose YAML is a mapping counts
    (text between two rules stays text), so a page whose front matter follows a commented-out one has it."""
    merged: dict[str, Any] = {}
    for chunk in chunks:
        if chunk.kind != "markdown":
            continue
        lines = chunk.body.splitlines()
        index = 1
        while index < len(lines) - 1:
            if COMMENT_START.match(lines[index]):
                index = comment_end(lines, index) + 1
                continue
            if lines[index].rstrip(" \t") == "---" and not lines[index - 1].strip() and lines[index + 1].strip():
                end = next((i for i in range(index + 1, len(lines)) if _FRONT_MATTER_END.match(lines[i])), None)
                block = _mapping_or_none("\n".join(lines[index + 1:end]), where) if end is not None else None
                if block is not None:
                    merged = _merged(merged, block)
                    index = end + 1
                    continue
            index += 1
    return merged


def _mapping_or_none(text: str, where: Path | str) -> dict[str, Any] | None:
    try:
        loaded = parse_yaml(text, f"{where}: a metadata block", QmdError)
    except QmdError:
        return None
    return loaded if isinstance(loaded, dict) else None


def _merged(base: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in later.items():
        earlier = result.get(key)
        result[key] = _merged(earlier, value) if isinstance(earlier, dict) and isinstance(value, dict) else value
    return result


def with_later_metadata(front_matter: dict[str, Any], chunks: list[Chunk], where: Path | str) -> dict[str, Any]:
    """``front_matter`` with the document's later metadata blocks over it (:func:`later_metadata`)."""
    later = later_metadata(chunks, where)
    return _merged(front_matter, later) if later else front_matter


def parse_front_matter(text: str, where: Path | str) -> dict[str, Any]:
    """Front-matter YAML as a mapping, or one :class:`QmdError` naming the file."""
    return parse_mapping(text, f"{where}: the front matter", QmdError)


def read_text(path: Path, what: str = "document") -> str:
    """A UTF-8 text file with ``\\n`` line ends, or one clear :class:`QmdError`."""
    try:
        return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")  # -sig: a leading BOM is no text
    except UnicodeDecodeError as error:
        raise QmdError(f"{path}: the {what} is not UTF-8 text (byte {error.start}); save it as UTF-8.") from None
    except OSError as error:
        raise QmdError(f"{path}: cannot read the {what} ({error.strerror}).") from None


def expand_includes(chunks: list[Chunk], folder: Path, source: Path, depth: int = 0,
                    budget: list[int] | None = None, chain: tuple[Path, ...] = ()) -> list[Chunk]:
    """``chunks`` with each ``{{< include FILE >}}`` line of their Markdown replaced by FILE's chunks.

    Paths are relative to the including file (``/path``: from the nearest folder above that has it,
    as Quarto resolves it from the project root); includes nest, at most :data:`MAX_INCLUDE_DEPTH`
    deep and :data:`MAX_INCLUDES` files in all, and a file that includes itself (directly or not) is
    an error naming the loop. An include line inside a code block or cell puts the file's text there,
    as Quarto does (a script shown, or run); one in an escaped example cell or a block marked
    ``shortcodes=false`` stays text. An included file's own front matter is dropped.
    """
    budget = [MAX_INCLUDES] if budget is None else budget
    chain = chain or (source.resolve(),)
    if depth > MAX_INCLUDE_DEPTH:
        raise QmdError(f"{source}: includes nest more than {MAX_INCLUDE_DEPTH} deep.")
    result: list[Chunk] = []
    for chunk in chunks:
        if chunk.kind in ("code", "fence") and not _NO_SHORTCODES.search(chunk.opening):
            body = "".join(_included_code(line, folder, source, budget, chain) for line in
                           chunk.body.splitlines(keepends=True))
            result.append(replace(chunk, body=body))
            continue
        if chunk.kind != "markdown":
            result.append(chunk)
            continue
        pending: list[str] = []
        for line in chunk.body.splitlines(keepends=True):
            include = INCLUDE.match(_line(line))
            if include is None:
                pending.append(line)
                continue
            if pending:
                result.append(Chunk("markdown", body="".join(pending)))
                pending = []
            target = _included_file(_include_name(include), folder, source, budget, chain)
            included = read_text(target, "included file").rstrip("\n") + "\n"
            inner = [c for c in scan(included) if c.kind != "front-matter"]
            result.extend(expand_includes(inner, target.parent, target, depth + 1, budget,
                                          (*chain, target.resolve())))
        if pending:
            result.append(Chunk("markdown", body="".join(pending)))
    return result


def _included_code(line: str, folder: Path, source: Path, budget: list[int], chain: tuple[Path, ...]) -> str:
    """A line of a code block: the included file's text when it is an include line, else the line."""
    include = INCLUDE.match(_line(line))
    if include is None:
        return line
    target = _included_file(_include_name(include), folder, source, budget, chain)
    return read_text(target, "included file").rstrip("\n") + "\n"


def _include_name(include: re.Match[str]) -> str:
    return include["quoted"] or include["single"] or include["file"]


def _included_file(name: str, folder: Path, source: Path, budget: list[int], chain: tuple[Path, ...]) -> Path:
    """The file an include names, counted against the budget; a loop or too many includes is an error."""
    target = _resolve_include(name, folder, source)
    if target.resolve() in chain:
        loop = " → ".join(p.name for p in (*chain, target))
        raise QmdError(f"{source}: {{{{< include {name} >}}}} includes a file that includes it ({loop}); "
                       "remove one of them.")
    budget[0] -= 1
    if budget[0] < 0:
        raise QmdError(f"{source}: more than {MAX_INCLUDES} files included in all; is an include repeated?")
    return target


def _resolve_include(name: str, folder: Path, source: Path) -> Path:
    name = name.strip("\"'")
    candidates = [folder / name]
    if name.startswith("/"):
        # from the folder itself up to the file system's root: a relative folder ("..") has no parents above "."
        candidates = [root / name.lstrip("/") for root in (folder, *folder.absolute().parents)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise QmdError(f"{source}: {{{{< include {name} >}}}} names a file that does not exist ({candidates[0]}).")


def split_options(source: str, language: str = "python") -> tuple[list[str], str]:
    """A cell's leading ``#|`` option lines (``%%|`` in mermaid ...: their YAML text) and the code after them."""
    pattern = OPTION_LINE if language not in OPTION_COMMENTS else _option_line(OPTION_COMMENTS[language])
    lines = source.splitlines()
    blank = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if blank and blank < len(lines) and pattern.match(lines[blank]):
        lines = lines[blank:]  # blank lines before the options: Quarto reads the options after them
    options = []
    while lines and (option := pattern.match(lines[0])):
        options.append(option[1])
        lines.pop(0)
    return options, "\n".join(lines)


def cell_options(source: str, *, where: str = "cell", language: str = "python") -> dict[str, Any]:
    """The YAML in a cell's leading ``#|`` lines."""
    lines, _ = split_options(source, language)
    if not lines:
        return {}
    options = parse_yaml("\n".join(lines), f"{where}: the block of #| cell options", QmdError)
    if options is None:  # only empty "#|" lines, as a formatter leaves them: no options, as in Quarto
        return {}
    if not isinstance(options, dict):
        raise QmdError(f"{where}: the #| cell options must be 'key: value' lines.")
    return options


def code_without_options(source: str, language: str = "python") -> str:
    """A cell's code without its leading ``#|`` option lines."""
    return split_options(source, language)[1]


def markdown_text(text: str) -> str:
    """Only the Markdown of a text (front matter and fenced blocks left out), for checks on headings."""
    return "".join(c.text for c in scan(text) if c.kind == "markdown")
