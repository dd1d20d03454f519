"""HTML: one self-contained page (figures, styles and scripts embedded, maths by MathJax, no network)."""

from __future__ import annotations

import base64
import dataclasses
import html
import json
import mimetypes
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qmdrender.brand import document_brand_layer
from qmdrender.embedded_cells import with_embedded_cells_highlighted
from qmdrender.formats import HTML_MIME_ORDER, Format, base_format, register
from qmdrender.formats.about_page import about_options, with_about_page
from qmdrender.formats.bootstrap_markup import (
    with_bootstrap_classes,
    with_bootstrap_icons,
    with_bootstrap_utilities,
)
from qmdrender.formats.citation_appendix import CITATION_MARKER, citation_section, page_address
from qmdrender.formats.code_copy import icon_style, with_copy_buttons
from qmdrender.formats.color_scheme import color_scheme, scheme_sheet, with_color_scheme
from qmdrender.formats.comments import comments_html
from qmdrender.formats.external_links import external_links_html
from qmdrender.formats.margin_content import (
    format_links_html,
    in_margin_sidebar,
    margin_markdown,
    other_links_html,
    with_margin_content,
)
from qmdrender.formats.page_main import (
    MAIN_END,
    MAIN_START,
    anchored_headings,
    content_opening,
    in_margin_column,
    with_body,
    with_main,
    with_marker_arguments,
)
from qmdrender.formats.title_block import page_title_block
from qmdrender.formats.writing import (
    ASSETS,
    PANDOC_HIGHLIGHT_STYLES,
    Job,
    as_list,
    cell_code_divs,
    common_arguments,
    css_arguments,
    html_math_arguments,
    html_theme_arguments,
    output_arguments,
    placed_extension_html,
    scripts_without_reference_marks,
    stylesheet_arguments,
    write_markdown,
)
from qmdrender.highlight_themes import chosen_style, own_background, palette_name, theme_colours
from qmdrender.language import document_words
from qmdrender.page_variables import page_variables_css, page_variables_layer
from qmdrender.palette import CSS_COLOUR
from qmdrender.pandoc import highlight_colours, theme_file_colours
from qmdrender.qmd import markdown_text
from qmdrender.site_drafts import with_draft_banner
from qmdrender.site_tools import icon_svg
from qmdrender.themes import is_dark_page, theme_stylesheets
from qmdrender.types import RenderError, warn

HTML_FILTERS = ("braced_fences",
                "code_annotations", "code_filename", "conditional", "list_tables", "table_captions", "provenance",
                "resources", "linked_figures", "callouts", "tabsets", "table_widths", "table_classes", "theorems",
                "crossref", "margins", "section_numbers", "layout", "figures", "line_highlights", "lightbox", "video",
                "kbd")


def write_html(job: Job, target: Path) -> None:
    options = job.options.for_format(HTML.name)
    assembled = job.assemble(HTML)
    headed = any(line.startswith("#") for line in markdown_text(assembled.markdown).splitlines())
    themed = bootstrap_theme_arguments(job, options)
    # each heading and what follows it in a <section id=... class="levelN">, as Quarto writes its pages (authors'
    # stylesheets and scripts address section.level2 ...; the heading keeps its id as data-anchor-id)
    arguments = [*common_arguments(job, options, dark=is_dark_page(options.get("theme")), contents=headed),
                 "--embed-resources", "--section-divs", *html_math_arguments(job, options, assembled, slides=False),
                 *themed, *html_theme_arguments(job, options, "report.css")]
    margin = margin_markdown(options, job.folder, job.options.project)  # margin-header/-footer, placed later
    if margin:
        assembled = dataclasses.replace(assembled, markdown=assembled.markdown + margin)
    if about_options(options) is not None:  # an about page's templates (formats/about_page.py)
        arguments.append(f"--css={ASSETS / 'about.css'}")
    if options.get("listing"):  # a site's listing page: Quarto's listing layout, before the author's css
        arguments.append(f"--css={ASSETS / 'listing.css'}")
        script = (ASSETS / "listing.js").read_text(encoding="utf-8")
        arguments.append(f"--include-after-body={job.header_file('listing.html', f'<script>{script}</script>')}")
    arguments += css_arguments(job, options)
    arguments += output_arguments(job, options, assembled)
    words = document_words(options, job.folder)
    arguments += page_tools_arguments(job, options, words)
    grid = grid_style(options.get("grid"))
    if grid:
        arguments.append(f"--include-in-header={job.header_file('grid.html', grid)}")
    code_blocks = code_block_style(options)
    if code_blocks:
        arguments.append(f"--include-in-header={job.header_file('code-blocks.html', code_blocks)}")
    arguments = with_marker_arguments(arguments, str(job.header_file("main-start.html", MAIN_START)),
                                      str(job.header_file("main-end.html", MAIN_END)))
    write_markdown(job, HTML, assembled, "html5", target, arguments)
    page = target.read_text(encoding="utf-8")
    location = str(options.get("toc-location", "right"))
    opening = content_opening(str(options.get("page-layout") or "article"), location in ("left", "left-body"))
    titled = with_margin_content(with_main(anchored_headings(page), location.endswith("body"), opening))
    titled = in_margin_sidebar(titled, format_links_html(format_links(job, target), words) +
                               other_links_html(options, words, job.folder))
    titled = in_margin_column(titled, location)
    titled = page_title_block(titled, options, job.document.path, words)
    titled = with_code_tools_menu(titled, code_tools_settings(options, job, words), words)
    titled = with_about_page(titled, options, job.folder, job.options.project, image_data_uri)
    titled = with_cover_image(titled, options, job.folder)
    titled = footnotes_in_appendix(titled, words)
    if CITATION_MARKER in titled:
        address = page_address(job.options.site, job.options.project, job.document.path)
        titled = titled.replace(CITATION_MARKER, citation_section(options, job.document.path, words, address), 1)
    titled = with_embedded_cells_highlighted(cell_code_divs(scripts_without_reference_marks(placed_extension_html(
        titled))))
    titled = with_bootstrap_icons(with_bootstrap_classes(titled))
    if options.get("body-classes"):  # the author's classes on <body>, which their stylesheet addresses
        titled = with_body(titled, " ".join(as_list(options["body-classes"])))
    if not themed:  # a theme brings all of Bootstrap; without one, the utility classes the page uses
        titled = with_bootstrap_utilities(titled)
    titled = with_color_scheme(titled, color_scheme(options), is_dark_page(options.get("theme")))
    titled = with_copy_buttons(titled, code_copy_setting(options), words)
    if options.get("draft") is True and job.options.project_type not in ("website", "book"):
        titled = with_draft_banner(titled, words.get("draft", "Draft"))  # a site marks its drafts itself
    if titled != page:
        target.write_text(titled, encoding="utf-8")


_FOOTNOTES = re.compile(r'<section id="footnotes" class="footnotes footnotes-end-of-document"[^>]*>\s*(?:<hr />)?'
                        r'(.*?)</section>', re.S)
_FOOTNOTES_MARKER = "<!-- quarto-appendix-footnotes -->"  # where filters/appendix.lua wants them


def footnotes_in_appendix(page: str, words: Mapping[str, str]) -> str:
    """The footnotes pandoc writes after the body, moved into the page's appendix under "Footnotes", as Quarto
    places them."""
    found = _FOOTNOTES.search(page)
    if _FOOTNOTES_MARKER not in page or found is None:
        return page.replace(_FOOTNOTES_MARKER, "")
    title = html.escape(words.get("section-title-footnotes", "Footnotes"))
    section = (f'<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">'
               f'<h2 class="anchored quarto-appendix-heading">{title}</h2>{found.group(1)}</section>')
    page = page[:found.start()] + page[found.end():]
    return page.replace(_FOOTNOTES_MARKER, section, 1)


_TITLE_BLOCK_END = re.compile(r'<header id="title-block-header"[^>]*>.*?</header>', re.S)


def image_data_uri(path: Path) -> str:
    """A local image as a ``data:`` address, embedded as pandoc embeds the page's images."""
    kind = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def with_cover_image(page: str, options: Mapping[str, Any], folder: Path) -> str:
    """A book's ``cover-image`` on its home page, under the title block as Quarto places it (floated to the
    right of the text that follows), embedded like every image of the page."""
    cover = options.get("cover-image")
    if not cover:
        return page
    path = Path(str(cover)) if Path(str(cover)).is_absolute() else folder / str(cover)
    if not path.is_file():
        warn(f"cover-image: {cover} does not exist; the home page is shown without it.")
        return page
    alt = html.escape(str(options.get("cover-image-alt") or ""))
    image = f'\n<p><img src="{image_data_uri(path)}" class="quarto-cover-image img-fluid" alt="{alt}"></p>\n'
    found = _TITLE_BLOCK_END.search(page)
    at = found.end() if found else page.find(">", page.find("<body")) + 1
    heading = _FIRST_HEADING.match(page, at)  # a home page that opens with a heading: the image under it
    if heading:
        at = heading.end()
    return page[:at] + image + page[at:]


# the text's first element when it is a heading (possibly in pandoc's <section>): Quarto's cover image follows it
_FIRST_HEADING = re.compile(r"\s*(?:<section\b[^>]*>\s*)?<(h[1-6])\b[^>]*>.*?</\1>", re.S)


# Quarto's page grid (https://quarto.org/docs/output-formats/page-layout.html#grid-customization) → the
# widths report.css and site.css lay the page out with.
_GRID_VARIABLES = {"body-width": "--measure", "margin-width": "--margin-width", "sidebar-width": "--sidebar-width"}
_CSS_LENGTH = re.compile(r"^\d+(\.\d+)?(px|rem|em|%|vw|ch)$")


def code_block_style(options: Mapping[str, Any]) -> str:
    """Quarto's ``code-block-border-left`` (true, or the border's colour: a 3px rule left of each code block)
    and ``code-block-bg`` (false: no background; a colour: that background) as a ``<style>``, or ``""``."""
    rules = []
    border, background = options.get("code-block-border-left"), options.get("code-block-bg")
    for name, value in (("code-block-border-left", border), ("code-block-bg", background)):
        if value not in (None, True, False) and not CSS_COLOUR.match(str(value).strip()):
            warn(f"{name}: {value!r} is not a colour (#31BAE9, or true/false); it is left out.")
    if border is True or (border not in (None, False) and CSS_COLOUR.match(str(border).strip())):
        colour = "var(--rule, #dee2e6)" if border is True else str(border).strip()
        rules.append(f"pre.sourceCode {{ border-left: 3px solid {colour}; padding-left: 0.6em; }}")
        # the code and a callout's text line up with the page's text, their rules in the gutter, where the
        # window is wide enough (Quarto's rule for pages with the border, at Bootstrap's lg breakpoint)
        rules.append("@media (min-width: 992px) { .callout:not(.no-icon) { margin-left: calc(-0.4em - 6px); } "
                     ".callout { margin-left: calc(-0.4em - 5px); } "
                     "div.sourceCode { margin-left: calc(-0.6em - 1px); } } "
                     ".callout div.sourceCode { margin-left: initial; }")
    if background is False:
        rules.append("div.sourceCode, pre.sourceCode { background: transparent !important; border: none !important; }")
    elif background not in (None, True) and CSS_COLOUR.match(str(background).strip()):
        colour = str(background).strip()
        rules.append(f":root {{ --code-block-bg: {colour}; }} div.sourceCode {{ border: 1px solid {colour}; }}")
    return f"<style>{' '.join(rules)}</style>" if rules else ""


def grid_style(grid: Any) -> str:
    """``grid:`` as a ``<style>`` that sets the page's widths; ``""`` when there is none. A width that is not
    a CSS length is one error; ``gutter-width`` and other keys are named in a warning."""
    if not isinstance(grid, Mapping):
        if grid not in (None, False):
            raise RenderError("grid: expected keys such as body-width: 900px, margin-width: 250px.")
        return ""
    settings = []
    for key, value in grid.items():
        variable = _GRID_VARIABLES.get(str(key))
        if variable is None:
            warn(f"grid: {key} is not supported (body-width, margin-width and sidebar-width are).")
            continue
        text = str(value).strip()
        if not _CSS_LENGTH.match(text):
            raise RenderError(f"grid: {key} must be a CSS length such as 900px or 50rem, not {value!r}.")
        settings.append(f"{variable}: {text} !important;")
    # on the body too, and over the widths a site's sidebar layout works out (site.css): the author's say wins
    return f"<style>:root, body {{ {' '.join(settings)} }}</style>" if settings else ""


def bootstrap_theme_arguments(job: Job, options: Mapping[str, Any]) -> list[str]:
    """``theme:`` (Bootswatch, ``default``, a light/dark pair, the document's .scss): compiled stylesheets
    before the report's own (see :mod:`qmdrender.themes`); a pair's halves are marked for the reader's
    toggle (formats/color_scheme.py). With Bootstrap on the page its tables are Bootstrap's, as in Quarto
    (filters/table_classes.lua)."""
    arguments = []
    brand = document_brand_layer(options.get("brand"), job.options.project, job.folder)
    site = job.options.project_type in ("website", "book")
    # fontsize, mainfont ... and the site's navbar colours, as Quarto passes them to Bootstrap
    variables = page_variables_layer(options, job.options.site if site else None)
    for index, (sheet, part) in enumerate(theme_stylesheets(options.get("theme"), job.folder, brand, variables,
                                                            site=site)):
        around = (lambda css, part=part: scheme_sheet(css, part, options)) if part != "all" else None
        arguments += stylesheet_arguments(job, sheet, name=f"theme-{index}", around=around)
    if arguments:
        arguments.append("--metadata=qmd-bootstrap:true")
    return arguments


def format_links(job: Job, target: Path) -> list[dict[str, str]]:
    """``format-links``: the other formats this render writes, as Quarto links them under "Other Formats" (every
    one but the HTML page and JATS by default; a list of format names picks some; a list entry with ``text`` and
    ``href`` is a link of its own, one with ``format`` renames a format's; ``false`` none). Each link has its
    text, href, Bootstrap icon and, for a notebook, the ``download`` name."""
    chosen = job.options.for_format(HTML.name).get("format-links", True)
    others = {name: file for name, file in job.outputs.items() if name != HTML.name and file != target.name}
    if chosen is False or not others:
        return []
    declared = {base_format(name): name for name in reversed(job.options.declared_formats)}

    def link(name: str, text: Any = None, icon: Any = None) -> dict[str, str]:
        label, default_icon = FORMAT_LINKS.get(name, (name, "file"))
        full = declared.get(name, name)  # a format of an extension (acm-pdf): "PDF (acm)", as Quarto names it
        extension = full.split("+")[0].rsplit("-", 1)[0] if full.split("+")[0] != name else ""
        title = str(text) if text else label + (f" ({extension})" if extension else "")
        return {"text": title, "href": others[name], "icon": str(icon or default_icon),
                "download": others[name] if name == "ipynb" else ""}

    entries = chosen if isinstance(chosen, list) else []
    links = []
    for entry in entries:
        if isinstance(entry, str) and base_format(entry) in others:
            links.append(link(base_format(entry)))
        elif isinstance(entry, Mapping) and entry.get("format") and base_format(str(entry["format"])) in others:
            links.append(link(base_format(str(entry["format"])), entry.get("text"), entry.get("icon")))
        elif isinstance(entry, Mapping) and entry.get("href"):
            href = str(entry["href"])
            links.append({"text": str(entry.get("text") or href), "href": href,
                          "icon": str(entry.get("icon") or "file"), "download": ""})
    if not any(isinstance(entry, str) for entry in entries):
        links += [link(name) for name in others if name not in EXPLICIT_ONLY]
    return links


# Quarto's display name and Bootstrap icon of each format's link
FORMAT_LINKS = {"pdf": ("PDF", "file-pdf"), "beamer": ("Beamer", "file-pdf"), "typst": ("Typst", "file-pdf"),
                "docx": ("MS Word", "file-word"), "pptx": ("Powerpoint", "file-slides"),
                "revealjs": ("RevealJS", "file-slides"), "ipynb": ("Jupyter", "journal-code")}
EXPLICIT_ONLY = ("jats",)  # linked only when the list names it, as in Quarto


# what occupies a page's right margin, and makes Quarto's full layout leave the margin column free
MARGIN_USED = "nav#TOC.toc-beside, #quarto-margin-sidebar, .margin-note, .margin-caption"


def layout_style(options: Mapping[str, Any], source: Path | None = None) -> str:
    """``toc-location`` (right by default; ``left``, ``body``), ``page-layout: full`` (a wider text column),
    ``title-block-banner`` (``true``: the theme's colour; a colour; an image beside ``source``, the document),
    ``fontsize``, ``mainfont`` ... on a page without a theme, and the code background of a pandoc
    ``highlight-style``, as a style block, or ``""``."""
    rules = []
    location = options.get("toc-location", "right")
    if location in ("body", "left-body", "right-body"):
        # (the body's sides as report.css names them: --pad-left, --pad-right)
        rules.append("@media (min-width: 768px) { body { --pad-right: var(--page-gutter); } nav#TOC { "
                     "position: static; width: auto; max-height: none; margin: 1.5rem 0 2rem; } }")
    elif location == "left":  # a site's page keeps its sidebar on the left, and the contents beside the text
        rules.append("@media (min-width: 768px) { body:not(.has-sidebar) { --pad-left: 20.25rem; "
                     "--pad-right: 1.25rem; } "
                     "body:not(.has-sidebar) nav#TOC { "
                     "left: calc(50% - (var(--measure) + 21.5rem) / 2 + 1rem); } }")
    if options.get("theme") in (None, False, "") and not options.get("brand"):  # a theme's Sass takes them
        rules.append(page_variables_css(options))
    style = chosen_style(options)
    text, background = None, None
    if style in PANDOC_HIGHLIGHT_STYLES:  # the style's own code background, over the report's light one
        text, background = highlight_colours(style)
    elif isinstance(style, str) and style.endswith(".theme") and options.get("code-block-bg") is None:
        # an author's theme file's background is the code blocks', as Quarto makes it $code-block-bg (AI for
        # Actuaries' blue-pygments.theme: #e9ecef, solid)
        file = Path(style) if Path(style).is_absolute() or source is None else source.parent / style
        text, background = theme_file_colours(file)
    elif (name := palette_name(style, dark=is_dark_page(options.get("theme")))) and own_background(name):
        colours = theme_colours(name)  # a dark scheme's own background (a light one keeps the page's)
        text, background = colours["text"], colours["background"]
    if background:
        rules.append(f":root {{ --code-block-bg: {background}; }} "
                     f"div.sourceCode, pre.sourceCode {{ color: {text or 'inherit'}; }}")
    if options.get("page-layout") == "full":
        # Quarto gives the text the widest column the page leaves it. Nothing in the margin: the page column, its
        # 800px body, its 35px insets and outsets, its 145px margin and 1.5em gutters, centred (1135px on a 17px
        # theme); as Quarto's grid, the space beside it gives way first in a narrower window (a 1280px screen
        # keeps the whole column, with about 65px each side), down to 1.5rem (report.css: the 100% is the
        # window's width where the gutter is used)
        rules.append(f"body:where(:not(:has({MARGIN_USED}, [class*=\"column-\"]:not(.column-body)))) {{ "
                     "--measure: calc(1085px + 3em);"
                     " --text-gutter: min(var(--page-gutter), max(1.5rem, calc((100% - var(--measure)) / 2))); }")
        # contents or notes in the margin (a listing's categories): the page's left part too, from the page's
        # gutter to the text's end ("column-page-left")
        rules.append(f"@media (min-width: 768px) {{ body:not(.has-sidebar):has({MARGIN_USED}) main.content {{ "
                     "--main-shift: calc(var(--page-gutter) - 1.5rem); margin-left: calc(-1 * var(--main-shift)); } }")
    banner = options.get("title-block-banner")
    if banner:
        # true: the navbar's colours, as Quarto's banner takes $navbar-bg and $navbar-fg (site.css, themes.py)
        colour = "var(--navbar-bg, var(--bs-primary, var(--accent)))" if banner is True else \
            html.escape(str(banner), quote=False)
        text = html.escape(str(options["title-block-banner-color"]), quote=False) \
            if options.get("title-block-banner-color") else "var(--navbar-fg, #fff)"
        # a path to an image beside the document: the banner's picture, covering it (Quarto's test: the file exists)
        image = isinstance(banner, str) and (source.parent / banner).is_file() if source else False
        ground = f"background-image: url({json.dumps(banner)}); background-size: cover;" if image else \
            f"background: {colour};"
        rules.append(f".quarto-title-banner {{ {ground} color: {text}; }} "
                     f".quarto-title-banner :is(h1, h2, h3, h4, h5, h6, a, .subtitle) {{ color: {text}; }}")
    return f"<style>{' '.join(rules)}</style>" if rules else ""


def code_copy_setting(options: Mapping[str, Any]) -> str | bool:
    """``code-copy``: ``"hover"`` (Quarto's default: the copy button shows over the block), ``True`` or
    ``False``."""
    copy = options.get("code-copy", "hover")
    return "hover" if copy == "hover" else bool(copy)


def page_tools_script(copy: str | bool, tools: Mapping[str, Any] | bool, anchors: bool,
                      words: Mapping[str, str]) -> str:
    """``assets/page_tools.js`` with its settings and the copy button's words in the document's language
    (``words``), or ``""`` when none of its tools is on."""
    if not (copy or tools or anchors):
        return ""
    # the copy button shows Quarto's clipboard icon, and a checked one once the code is copied
    icons = icon_style(icon_svg("clipboard"), icon_svg("clipboard-check")) if copy else ""
    config = json.dumps({"copy": copy, "tools": tools, "anchors": anchors,
                         "copyWords": [words["copy-button-tooltip"], words["copy-button-tooltip-success"]]})
    config = config.replace("</", "<\\/")
    return (f'{icons}<script type="application/json" id="page-tools-config">{config}</script>'
            f"<script>{(ASSETS / 'page_tools.js').read_text(encoding='utf-8')}</script>")


def _code_source(value: Any, job: Job) -> bool | str:
    """``code-tools: source:``: ``true`` (the page shows its source), an address to go to for it, or ``repo``
    (the file in the site's repository, which the site resolves from its ``repo-url``: site.py)."""
    if isinstance(value, str) and value.strip():
        if value == "repo" and job.options.project_type not in ("website", "book"):
            warn(f"{job.document.path}: code-tools: source: repo links to the page's file in a website's "
                 "repository (repo-url); this document is not in one, so the page shows its own source.")
            return True
        return value.strip()
    return bool(value)


def code_tools_settings(options: Mapping[str, Any], job: Job, words: Mapping[str, str]) -> dict[str, Any] | bool:
    """``code-tools``: ``False``, or what its menu offers (``toggle``: show or hide all folded code; ``source``:
    view the source, :func:`_code_source`) and its ``caption`` (the document's language's word for "Code")."""
    tools = options.get("code-tools", False)
    caption = words["code-tools-menu-caption"]
    if tools is True:
        tools = {"source": True, "toggle": True, "caption": caption}
    elif isinstance(tools, Mapping):
        tools = {"source": _code_source(tools.get("source", True), job), "toggle": bool(tools.get("toggle", True)),
                 "caption": str(tools.get("caption", caption))}
    else:
        return False
    if tools["source"] is True and job.document.kind == "ipynb":
        tools["source"] = False  # Quarto keeps no notebook's source to show (an address still works)
    return tools


_TITLE_HEADING = re.compile(r'<h1 class="title\b')


def with_code_tools_menu(page: str, tools: Mapping[str, Any] | bool, words: Mapping[str, str]) -> str:
    """``page`` with the code tools written beside its title, as Quarto writes its "</> Code" button there: where
    the page folds code, a menu of "Show All Code" and "Hide All Code" (and "View Source" where it offers its
    source); where nothing is folded, the button alone, which shows the source; ``caption: none``, the icon
    alone; each in the document's language (``words``). (A page without a title gets them from its script,
    page_tools.js, which wires them in both cases.)"""
    header = page.find('<header id="title-block-header"')
    heading = _TITLE_HEADING.search(page, header) if header >= 0 else None
    if not isinstance(tools, Mapping) or heading is None:
        return page
    caption = "" if tools["caption"] == "none" else f" {html.escape(str(tools['caption']))}"
    if tools["toggle"] and 'class="code-fold' in page:
        entries = [("show", words["code-tools-show-all-code"]), ("hide", words["code-tools-hide-all-code"])]
        entries += [("source", words["code-tools-view-source"])] if tools["source"] else []
        items = "".join(f'<li><button type="button" data-code-tools="{action}">{html.escape(label)}</button></li>'
                        for action, label in entries)
        menu = ('<details class="code-tools-menu in-title"><summary class="btn code-tools-button dropdown-toggle">'
                f'<i class="bi"></i>{caption}</summary><ul class="code-tools-items">{items}</ul></details>')
    elif tools["source"]:  # nothing to toggle: one button that shows the source, as Quarto's
        menu = ('<details class="code-tools-menu in-title"><summary class="btn code-tools-button" '
                f'id="quarto-code-tools-source" data-code-tools="source"><i class="bi"></i>{caption}</summary>'
                '</details>')
    else:  # nothing folded and no source to show: Quarto writes no button
        return page
    if "quarto-title-block" not in page[header:heading.start()]:
        # a template partial's own header: Quarto wraps the title and its button in a title block of their own
        # (where a site's breadcrumbs then go, above the title)
        end = page.find("</h1>", heading.start())
        if end >= 0:
            end += len("</h1>")
            return (f'{page[:heading.start()]}<div class="quarto-title-block"><div>{menu}'
                    f"{page[heading.start():end]}</div></div>{page[end:]}")
    return page[:heading.start()] + menu + page[heading.start():]


def page_tools_arguments(job: Job, options: Mapping[str, Any], words: Mapping[str, str]) -> list[str]:
    """``code-copy`` (Quarto's default: a copy button on hover), ``code-tools`` (the "</> Code" menu:
    show or hide all folded code, view the source), ``anchor-sections`` (on by default, as in Quarto),
    ``code-overflow: wrap``, ``lightbox``, ``smooth-scroll`` and ``fig-responsive: false``, for the page."""
    copy = code_copy_setting(options)
    tools = code_tools_settings(options, job, words)
    width = (ASSETS / "page_width.js").read_text(encoding="utf-8")
    parts = [layout_style(options, job.document.path), f"<script>{width}</script>"]
    if options.get("smooth-scroll"):
        parts.append("<style>html { scroll-behavior: smooth; }</style>")
    if options.get("fig-responsive") is False:  # figures at their own size, not shrunk to the column
        parts.append("<style>figure img, .quarto-float img { max-width: none; }</style>")
    if options.get("code-overflow") == "wrap":
        # the code's long lines wrap; a cell's printed output keeps its lines and scrolls, as on Quarto's pages
        parts.append("<style>pre > code.sourceCode, pre code { white-space: pre-wrap; } "
                     "div.cell-output > pre > code { white-space: pre; }</style>")
    anchors = options.get("anchor-sections", True) is not False  # Quarto's default: on
    if tools and tools["source"] in (True, "repo"):  # the page's own copy (a site's "repo" may fall back to it)
        source = html.escape(job.document.path.read_text(encoding="utf-8"))
        parts.append('<dialog id="code-tools-source" class="code-tools-source"><form method="dialog">'
                     f'<button>Close</button></form><pre><code>{source}</code></pre></dialog>')
    parts.append(page_tools_script(copy, tools, anchors, words))
    parts.append(comments_html(options.get("comments")))  # Hypothesis, Utterances or Giscus, if asked for
    parts.append(external_links_html(options, bootstrap_page=True))  # link-external-icon / -newwindow / -filter
    if options.get("toc"):  # the contents give way to margin notes in the right-hand column, and open as read
        parts.append(f"<script>{(ASSETS / 'toc_margin.js').read_text(encoding='utf-8')}</script>")
        expand = options.get("toc-expand", 1)
        levels = 99 if expand is True else 0 if expand is False else max(1, expand) if isinstance(expand, int) else 1
        parts.append(f"<script>window.QUARTO_TOC_EXPAND = {levels};</script>"
                     f"<script>{(ASSETS / 'toc_expand.js').read_text(encoding='utf-8')}</script>")
    if options.get("lightbox") not in (None, False):
        parts.append(f"<script>{(ASSETS / 'lightbox.js').read_text(encoding='utf-8')}</script>")
    parts = [part for part in parts if part]
    if not parts:
        return []
    return [f"--include-after-body={job.header_file('page-tools.html', chr(10).join(parts))}"]


# Quarto's defaults: 7x5 in figures, retina PNG.
HTML = register(Format(
    "html", "html", "html", write_html, HTML_MIME_ORDER,
    # Quarto's HTML links each citation to its entry in the references
    defaults={"fig-width": 7, "fig-height": 5, "fig-format": "retina", "fig-dpi": 96, "link-citations": True},
    filters=HTML_FILTERS,
))
