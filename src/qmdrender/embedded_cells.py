"""Code cells shown inside a Markdown code block, highlighted in their own language as Quarto shows them.

Quarto gives pandoc a Markdown syntax definition of its own, whose fenced blocks also open on ```` ```{python} ````
(and ```` ```{.python} ````), so a tutorial's ```` ```markdown ```` block, or an escaped ```` ```{{python}} ````
cell, shows the cell's code in Python's colours. pandoc's own definition knows only ```` ```python ````, and
colours those lines as plain code. This pass finds such cells in the HTML pandoc wrote and has pandoc highlight
their lines in the cell's language; a language pandoc does not know keeps its lines as they are.
"""

from __future__ import annotations

import functools
import re
import subprocess

from qmdrender.escape import plain_text
from qmdrender.pandoc import pandoc_binary

_BLOCK = re.compile(r'(<code class="sourceCode (?:markdown|md|qmd)">)(.*?)(</code>)', re.S)
_LINE = re.compile(r'^(<span id="[^"]+">(?:<a [^>]*></a>)?)(.*)(</span>)$', re.S)
# a fence that opens a cell: ```{python}, ```{.python}, ``` {r, echo=FALSE}, ~~~{julia} (Quarto's definition's)
_OPENING = re.compile(r"^\s*(`{3,}|~{3,})\s*\{\.?([A-Za-z][\w+#-]*)[^}]*\}\s*$")


def with_embedded_cells_highlighted(page: str) -> str:
    """``page`` with the cells inside its Markdown code blocks highlighted in their own languages."""
    if '<code class="sourceCode m' not in page and '<code class="sourceCode qmd' not in page:
        return page
    return _BLOCK.sub(lambda found: found[1] + _highlighted_block(found[2]) + found[3], page)


def _highlighted_block(block: str) -> str:
    lines = block.split("\n")
    parts = [_LINE.match(line) for line in lines]
    texts = [plain_text(part[2]) if part else None for part in parts]
    index = 0
    while index < len(lines):
        opening = _OPENING.match(texts[index] or "")
        if opening is None:
            index += 1
            continue
        fence, language = opening[1], opening[2].lower()
        end = next((at for at in range(index + 1, len(lines)) if texts[at] is not None
                    and re.fullmatch(rf"\s*{re.escape(fence[0])}{{{len(fence)},}}\s*", texts[at])), None)
        if end is None:
            break
        inner = range(index + 1, end)
        if language not in ("markdown", "md", "qmd") and all(parts[at] for at in inner):
            coloured = _highlighted_lines(language, "\n".join(texts[at] or "" for at in inner))
            if coloured is not None and len(coloured) == len(inner):
                for at, line in zip(inner, coloured, strict=True):
                    lines[at] = parts[at][1] + line + parts[at][3]
        index = end + 1
    return "\n".join(lines)


@functools.lru_cache(maxsize=256)
def _highlighted_lines(language: str, code: str) -> tuple[str, ...] | None:
    """pandoc's highlighted HTML for each line of ``code`` in ``language`` (the token spans alone), or None where
    pandoc has no definition for the language."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", code)), default=0))
    source = f"{fence}{{.{language}}}\n{code}\n{fence}\n"
    done = subprocess.run([pandoc_binary(), "--from=markdown", "--to=html5"], input=source, capture_output=True,
                          text=True, encoding="utf-8")
    found = re.search(r'<code class="sourceCode [^"]*">(.*?)</code>', done.stdout, re.S)
    if done.returncode != 0 or found is None:
        return None  # not a language pandoc highlights: the lines stay as Markdown shows them
    lines = [_LINE.match(line) for line in found[1].split("\n")]
    return tuple(line[2] for line in lines) if all(lines) else None
