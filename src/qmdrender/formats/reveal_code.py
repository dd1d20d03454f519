"""Code blocks on slides as Quarto's reveal.js post-processor leaves them: a numbered line's anchor without
its link (slides own the page's address: ``#cb1-3`` would be read as a slide), and on an auto-animate slide
the title and its one code block marked so that reveal.js morphs them line by line into the next slide's."""

from __future__ import annotations

import re

from qmdrender.formats.bootstrap_markup import with_class

# a code line's anchor: pandoc links it to the line's own id
_LINE_ANCHOR = re.compile(r'(<span id="cb[^"]*"[^>]*>)<a href="#c[^"]*"')
_SLIDE_OPENING = re.compile(r'<section\b[^>]*\bclass="[^"]*\bslide\b[^"]*"[^>]*>')
_NEXT_SECTION = re.compile(r"<section\b|</section>")
_HEADING = re.compile(r"\s*<h[1-6]\b(?![^>]*\bdata-id=)")
_CODE_BLOCK = re.compile(r'(<div class="sourceCode"[^>]*>\s*<pre\b)([^>]*>\s*<code\b)([^>]*)>(.*?)(?=</code>)', re.S)
_LINE = re.compile(r'<span id="cb\d+-\d+"(?![^>]*\bclass=)')


def slide_code_blocks(page: str) -> str:
    """``page`` (a written deck) with its code lines' anchors unlinked and its auto-animate slides' titles and
    single code blocks given the ``data-id`` and highlight.js classes reveal.js's auto-animate matches."""
    page = _LINE_ANCHOR.sub(r"\1<a", page)
    pieces, done = [], 0
    for opening in _SLIDE_OPENING.finditer(page):
        if "data-auto-animate" not in opening[0]:
            continue
        end = _NEXT_SECTION.search(page, opening.end())
        stop = end.start() if end else len(page)
        pieces += [page[done:opening.end()], _animated(page[opening.end():stop])]
        done = stop
    return "".join(pieces) + page[done:]


def _animated(slide: str) -> str:
    """A slide's contents with its title linked across slides and, when it has exactly one, its code block
    marked for line-by-line animation (as Quarto does; two blocks would be ambiguous, so neither is)."""
    heading = _HEADING.match(slide)
    if heading:
        slide = slide[:heading.end()] + ' data-id="quarto-animate-title"' + slide[heading.end():]
    blocks = list(_CODE_BLOCK.finditer(slide))
    if len(blocks) != 1:
        return slide
    block = blocks[0]
    attributes = with_class(block[3], "hljs")
    lines = _LINE.sub(r'\g<0> class="hljs-ln-code"', block[4])
    marked = f'{block[1]} data-id="quarto-animate-code"{block[2]}{attributes}>{lines}'
    return slide[:block.start()] + marked + slide[block.end():]
