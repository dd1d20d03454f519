"""The title block as Quarto lays it out, over the one pandoc's templates write.

An HTML page gets its ``description`` under its title and Quarto's metadata grid: "Author(s)" with each
name (linked to its ``url``, with ``email`` and ORCID links), "Affiliation(s)" beside them when any author
has one, then "Published" and "Modified" (``date-modified``). The labels follow ``author-title``,
``affiliation-title``, ``published-title`` and ``modified-title``, else the document's language;
``title-block-style: none`` keeps pandoc's block as it is, as Quarto does. A deck's title slide lists
each author with their affiliations under the name (``.quarto-title-authors``). PDF and Beamer name the
authors alone, as Quarto's LaTeX titles do.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qmdrender.authors import LINE_BREAK, Author, document_authors, with_institutes
from qmdrender.dates import format_date
from qmdrender.formats.partials import own_partial
from qmdrender.pandoc import markdown_to_html
from qmdrender.site_tools import icon_svg

_HEADER = re.compile(r'(<header id="title-block-header"[^>]*>)(.*?)(</header>)', re.S)
_INSTITUTE_LINE = re.compile(r'<p class="institute">.*?</p>\s*', re.S)  # pandoc's, from institute:
_SLIDE = re.compile(r'(<section\b[^>]*\bid="title-slide"[^>]*>)(.*?)(</section>)', re.S)  # role="img" may come first
_AUTHOR_LINE = re.compile(r'\s*<p class="author">(.*?)</p>', re.S)
_DATE_LINE = re.compile(r'\s*<p class="date">.*?</p>', re.S)
_TITLE_LINES = re.compile(r'\s*((?:<h1 class="title">.*?</h1>\s*)?(?:<p class="subtitle[^"]*">.*?</p>\s*)?)', re.S)

# The ORCID iD mark, a green disc with "iD" drawn here, as an image (so that it adds no words to the page).
_ORCID_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="8" fill="#a6ce39"/>'
              '<text x="8" y="11.3" text-anchor="middle" font-size="8.5" font-family="sans-serif" font-weight="700" '
              'fill="#fff">iD</text></svg>')
_ORCID = f'<img class="orcid-mark" alt="" width="16" height="16" src="data:image/svg+xml;base64,' \
         f'{base64.b64encode(_ORCID_SVG.encode()).decode()}">'


def _escaped(text: str) -> str:
    """Text from the front matter, with the ``<br>`` line breaks people write in affiliations kept."""
    return "<br>".join(html.escape(part.strip(), quote=False) for part in LINE_BREAK.split(text))


def _rendered_names(block: str, authors: list[Author]) -> list[str | None]:
    """Each author's name as pandoc wrote it in ``block`` (its author lines), Markdown, HTML and shortcodes in it
    done, as Quarto reads a name (an ORCID icon written into it); ``None`` each when the lines do not line up."""
    lines: list[str | None] = [found[1].strip() for found in _AUTHOR_LINE.finditer(block)]
    return lines if len(lines) == len(authors) else [None] * len(authors)


def _name_html(author: Author, *, email_mark: bool = True, rendered: str | None = None) -> str:
    """The author's name (``rendered``: as pandoc wrote it) with its links; ``email_mark``: the e-mail as an
    envelope after the name (HTML pages), else left to :func:`_email_html` (a deck's title slide writes the
    address under the name)."""
    name = rendered if rendered is not None else _escaped(author.name)
    plain = html.escape(" ".join(re.sub(r"<[^>]+>", " ", html.unescape(name)).split()))
    if author.url:
        name = f'<a href="{html.escape(author.url)}">{name}</a>'
    if author.email and email_mark:
        name += (f' <a href="mailto:{html.escape(author.email)}" class="quarto-title-author-email" '
                 f'aria-label="email {plain}">{icon_svg("envelope") or "&#9993;"}</a>')  # Quarto's bi-envelope
    if author.orcid:
        name += (f' <a href="https://orcid.org/{html.escape(author.orcid)}" class="quarto-title-author-orcid" '
                 f'aria-label="ORCID profile for {plain}">{_ORCID}</a>')
    return name


def _email_html(author: Author) -> str:
    if not author.email:
        return ""
    address = html.escape(author.email)
    return f'<div class="quarto-title-author-email">\n<a href="mailto:{address}">{address}</a>\n</div>\n'


def _affiliations_html(author: Author, tag: str, css_class: str) -> str:
    return "".join(f'<{tag} class="{css_class}">'
                   + (f'<a href="{html.escape(a.url)}">{_escaped(a.name)}</a>' if a.url else _escaped(a.name))
                   + f"</{tag}>" for a in author.affiliations)


def _label(options: Mapping[str, Any], words: Mapping[str, str], key: str, word: str, count: int = 1) -> str:
    """The heading ``key`` (``author-title`` ...) names, else the language's word (``-single``/``-plural``)."""
    if options.get(key):
        return html.escape(str(options[key]), quote=False)
    if f"{word}-single" in words:
        word = f"{word}-single" if count == 1 else f"{word}-plural"
    return html.escape(words.get(word, ""), quote=False)


def _meta_item(heading: str, contents: str) -> str:
    return (f'<div>\n<div class="quarto-title-meta-heading">{heading}</div>\n'
            f'<div class="quarto-title-meta-contents">{contents}</div>\n</div>')


def page_title_block(page: str, options: Mapping[str, Any], source: Path, words: Mapping[str, str]) -> str:
    """``page`` (pandoc's HTML) with Quarto's title-block metadata in place of pandoc's author and date lines,
    its headings in the document's language (``words``: :func:`qmdrender.language.document_words`)."""
    found = _HEADER.search(page)
    own = own_partial(options, "title-block.html")  # the author's partial writes the title block as it likes
    if found is None and options.get("title-block-style") != "none" and not own:
        page = _untitled_header(page, options, source, words)
        found = _HEADER.search(page)
    if found is None or options.get("title-block-style") == "none":
        return page
    if own:  # the author's header as written, its subtitle Bootstrap's lead
        return page[:found.start()] + _lead_subtitle(found[0]) + page[found.end():]
    page = _quarto_title(page, found, options)
    found = _HEADER.search(page)
    # institute: the authors' affiliations, as Quarto's author normalisation attaches it in every format
    authors = with_institutes(document_authors(options), options.get("institute"))
    if not (authors or any(options.get(k) for k in ("date", "date-modified", "doi", "keywords", "description"))):
        return page[:found.end(2)].rstrip() + '\n<div class="quarto-title-meta">\n</div>\n' + page[found.end(2):]
    rendered = _rendered_names(found[2], authors)
    inside = _AUTHOR_LINE.sub("", found[2])
    date = _DATE_LINE.search(inside)
    inside = _DATE_LINE.sub("", inside)
    grids = []
    with_affiliations = any(a.affiliations for a in authors)
    if with_affiliations:
        affiliations = sum(len(a.affiliations) for a in authors)
        headings = (_label(options, words, "author-title", "title-block-author", len(authors)),
                    _label(options, words, "affiliation-title", "title-block-affiliation", affiliations))
        cells = [f'<div class="quarto-title-meta-heading">{heading}</div>' for heading in headings]
        for author, name in zip(authors, rendered, strict=True):
            cells.append(f'<div class="quarto-title-meta-contents"><p class="author">'
                         f'{_name_html(author, rendered=name)}</p></div>')
            cells.append(f'<div class="quarto-title-meta-contents">'
                         f'{_affiliations_html(author, "p", "affiliation")}</div>')
        grids.append('<div class="quarto-title-meta-author">\n' + "\n".join(cells) + "\n</div>")
    items = []
    if authors and not with_affiliations:
        names = "".join(f'<p class="author">{_name_html(a, rendered=name)}</p>' for a, name in zip(authors, rendered,
                                                                                                   strict=True))
        items.append(_meta_item(_label(options, words, "author-title", "title-block-author", len(authors)), names))
    if date is not None:
        items.append(_meta_item(_label(options, words, "published-title", "title-block-published"), date[0].strip()))
    if options.get("date-modified"):
        modified = _page_date(options["date-modified"], options, source)
        items.append(_meta_item(_label(options, words, "modified-title", "title-block-modified"),
                                f'<p class="date-modified">{html.escape(str(modified), quote=False)}</p>'))
    if options.get("doi"):  # linked at doi.org, as Quarto lists it
        doi = html.escape(str(options["doi"]))
        items.append(_meta_item(_label(options, words, "doi-title", "title-block-doi"),
                                f'<p class="doi"><a href="https://doi.org/{doi}">{doi}</a></p>'))
    grids.append('<div class="quarto-title-meta">\n' + "\n".join(items) + "\n</div>")
    description = _description_html(options)
    if description and not options.get("title-block-banner"):  # under the title (a banner holds it)
        grids.insert(0, description)
    abstract = inside.find('<div class="abstract">')
    meta = "\n" + "\n".join(grids) + "\n"
    inside = inside[:abstract] + meta.lstrip("\n") + inside[abstract:] if abstract >= 0 else inside.rstrip() + meta
    inside = inside.replace('<div class="abstract-title">', '<div class="abstract-title block-title">')
    keywords = options.get("keywords")
    if keywords:  # under the abstract, as Quarto shows them
        listed = ", ".join(map(str, keywords)) if isinstance(keywords, list) else str(keywords)
        heading = _label(options, words, "keywords-title", "title-block-keywords")
        inside = inside.rstrip() + (f'\n<div class="keywords"><div class="block-title">{heading}</div>'
                                    f"<p>{html.escape(listed, quote=False)}</p></div>\n")
    return page[:found.start()] + found[1] + inside + found[3] + page[found.end():]


def _lead_subtitle(header: str) -> str:
    """The header with pandoc's subtitle line as Quarto's Bootstrap post-processing marks it, a ``lead``."""
    return header.replace('<p class="subtitle">', '<p class="subtitle lead">', 1)


def _page_date(value: Any, options: Mapping[str, Any], source: Path) -> Any:
    """A date as a page's title block shows it: per ``date-format``, ``long`` by default, in the page's language."""
    return format_date(value, options.get("date-format", "long"), source, options.get("lang"))


_MAIN_OPENING = re.compile(r'<main class="content"[^>]*>')


# what makes Quarto's template write a title block without a title, in its order (its html template's chain)
_UNTITLED_BLOCK = ("subtitle", "date", "categories", "date-modified", "doi", "abstract", "keywords")


def _untitled_header(page: str, options: Mapping[str, Any], source: Path, words: Mapping[str, str]) -> str:
    """A page without a title still has Quarto's title block when it has a subtitle, authors, a date, categories,
    a DOI, an abstract or keywords (a course site's ``author:`` over an untitled exercises page, a blog's listing
    page with a subtitle alone); pandoc writes no header without a title, so one goes first in the page's text
    with what pandoc's would hold (the subtitle, date and abstract; the rest is added as for a titled page)."""
    main = _MAIN_OPENING.search(page)
    if main is None or not (document_authors(options) or any(options.get(key) for key in _UNTITLED_BLOCK)):
        return page
    shown = []
    if isinstance(options.get("subtitle"), str) and options["subtitle"].strip():
        shown.append(f'<p class="subtitle">{markdown_to_html(options["subtitle"])}</p>')
    if options.get("date"):
        shown.append(f'<p class="date">{html.escape(str(_page_date(options["date"], options, source)))}</p>')
    if isinstance(options.get("abstract"), str) and options["abstract"].strip():
        shown.append(f'<div class="abstract">\n<div class="abstract-title">'
                     f'{html.escape(words.get("section-title-abstract", "Abstract"))}</div>\n'
                     f'{markdown_to_html(options["abstract"], paragraphs=True)}\n</div>')
    return page[:main.end()] + '\n<header id="title-block-header">\n' + "\n".join(shown) + '\n</header>' + \
        page[main.end():]


def _quarto_title(page: str, found: re.Match[str], options: Mapping[str, Any]) -> str:
    """The header as Quarto's title-block template writes it: ``quarto-title-block default``, the title, the
    subtitle (a Bootstrap lead) and the categories in ``div.quarto-title`` (the ``quarto-title-meta`` under them,
    empty without authors or dates, is the caller's). Authors' stylesheets address these."""
    opening = found[1] if "class=" in found[1] else found[1].replace(">", ' class="quarto-title-block default">', 1)
    inside = _lead_subtitle(found[2])
    heading = _TITLE_LINES.match(inside)
    if heading is not None and "quarto-title" not in inside:
        categories = options.get("categories")
        listed = categories if isinstance(categories, list) else [categories] if categories else []
        pills = ""
        if listed and options.get("title-block-categories") is not False:
            pills = '<div class="quarto-categories">\n' + "".join(
                f'<div class="quarto-category">{html.escape(str(c), quote=False)}</div>\n' for c in listed) + "</div>\n"
        if options.get("title-block-banner"):
            # Quarto's banner: the title, subtitle, description and categories on the banner, in the text's column;
            # the authors and dates under it
            title = f'\n<div class="quarto-title column-body">\n{heading[1].strip()}\n{_description_html(options)}' \
                    f'{pills}</div>\n'
            inside = f'\n<div class="quarto-title-banner">{title}</div>\n' + inside[heading.end():]
        else:
            inside = f'\n<div class="quarto-title">\n{heading[1].strip()}\n{pills}</div>\n' + inside[heading.end():]
    return page[:found.start()] + opening + inside + found[3] + page[found.end():]


def _description_html(options: Mapping[str, Any]) -> str:
    """``description`` as Quarto's title block shows it, or ``""``."""
    description = options.get("description")
    if isinstance(description, str) and description.strip():
        # in its paragraph, as Quarto writes it (authors' rules address ".description p")
        return f'<div>\n<div class="description">\n{markdown_to_html(description, paragraphs=True)}\n</div>\n</div>\n'
    return ""


def slide_title_block(page: str, options: Mapping[str, Any]) -> str:
    """A deck's title slide with Quarto's author list: each name, its links, and its affiliations under it."""
    found = _SLIDE.search(page)
    authors = with_institutes(document_authors(options), options.get("institute"))
    if found is None:
        return page
    # Quarto's own title slide (its "fancy" partial) is a quarto-title-block; a deck's own title-slide.html
    # replaces that partial, class and all
    own = own_partial(options, "title-slide.html")
    opening = found[1].replace('id="title-slide"', 'id="title-slide" class="quarto-title-block"', 1) \
        if "class=" not in found[1] and not own else found[1]
    inside = found[2]
    if authors and not own:  # a deck's own partial writes its authors as it likes (its $author$ lines stay)
        lines = list(_AUTHOR_LINE.finditer(inside))
        rendered = _rendered_names(inside, authors)
        listing = "\n<div class=\"quarto-title-authors\">\n" + "\n".join(
            f'<div class="quarto-title-author">\n<div class="quarto-title-author-name">'
            f'{_name_html(a, email_mark=False, rendered=name)}</div>\n{_email_html(a)}'
            f'{_affiliations_html(a, "p", "quarto-title-affiliation")}\n</div>'
            for a, name in zip(authors, rendered, strict=True)) + "\n</div>"
        if lines:
            inside = inside[:lines[0].start()] + listing + _AUTHOR_LINE.sub("", inside[lines[0].start():])
    if not own:  # Quarto's title slide shows an institute as its authors' affiliation only (none without authors)
        inside = _INSTITUTE_LINE.sub("", inside)
    return page[:found.start()] + opening + inside + found[3] + page[found.end():]
