"""About pages (``about:``), laid out as Quarto lays them out (https://quarto.org/docs/websites/website-about.html).

``about: trestles`` (or ``about: {template: ..., image: ..., links: [...], id: ...}``) arranges the page's title
block, an image, a row of links and the page's text (the whole ``<main>``, whose place the template takes, or
only the ``div`` whose ``id`` is ``about.id``, in its place) in one of Quarto's five templates: ``jolla``
(centred, image above the title), ``trestles`` (image, title and links on the left, the text on the right),
``solana`` (title, links and text left, the image right), ``marquee`` (a wide image above it all) and
``broadside`` (the image filling the left half). The page is first written as any page; this module then moves
its parts into Quarto's elements (``div.quarto-about-<template>`` with ``about-entity``, ``about-image``,
``about-links``, ``about-contents``), which ``assets/about.css`` lays out, so an author's CSS for Quarto's about
pages applies. Images are embedded like every image of the page; link icons are Bootstrap icons, inlined.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from qmdrender.formats.page_main import EMPTY_MARGIN
from qmdrender.site_tools import ADDRESS, icon_svg
from qmdrender.types import RenderError, warn

TEMPLATES = ("jolla", "trestles", "solana", "marquee", "broadside")
_MAIN = re.compile(r'(<main class="content" id="quarto-document-content">)(.*)(</main>)', re.S)
_HEADER = re.compile(r'<header id="title-block-header"[^>]*>.*?</header>', re.S)
_DIV_TAG = re.compile(r"<div\b|</div>")


def about_options(options: Mapping[str, Any]) -> dict[str, Any] | None:
    """The page's ``about:`` as a mapping with its ``template`` checked, or ``None`` when it has none."""
    about = options.get("about")
    if about in (None, False):
        return None
    if isinstance(about, str):
        about = {"template": about}
    if not isinstance(about, Mapping):
        raise RenderError("about: takes a template name (jolla, trestles, solana, marquee, broadside) or a mapping "
                          "with template, image, links and id.")
    template = str(about.get("template", "jolla"))
    if template not in TEMPLATES:
        raise RenderError(f"about: template {template!r} is not one of Quarto's ({', '.join(TEMPLATES)}); "
                          "a custom template file is not supported by the embedded renderer.")
    return {**about, "template": template}


def with_about_page(page: str, options: Mapping[str, Any], folder: Path, project: Path | None,
                    image_uri: Callable[[Path], str]) -> str:
    """``page`` laid out as the about page ``options`` asks for (unchanged without ``about:``). ``image_uri(path)``
    embeds a local image."""
    about = about_options(options)
    main = _MAIN.search(page)
    if about is None or main is None:
        return page
    content = main.group(2)
    header = _HEADER.search(content)
    # a site's page without a title still has Quarto's empty title block, in the template's title slot
    title = header.group(0) if header else \
        '<header id="title-block-header" class="quarto-title-block"></header>' if project else ""
    if header:
        content = content[:header.start()] + content[header.end():]
    wanted = str(about.get("id") or "")
    part = _div_with_id(content, wanted) if wanted else None
    if wanted and part is None:
        warn(f"about: id {wanted} names no div of the page; the whole page is laid out as the about page.")
    image = _image(about, options, folder, project, image_uri)
    # an about page without contents leaves the margin to its text, as Quarto's (its full-width layout)
    before = page[:main.start()].replace(EMPTY_MARGIN, "")
    if part is None:  # as Quarto: the template takes the place of the whole <main>, which goes in as its text
        whole = main.group(1) + content + main.group(3)
        return before + _template(about, title, whole, image) + page[main.end():]
    block = _template(about, title, content[part[0]:part[1]], image)
    return before + main.group(1) + content[:part[0]] + block + content[part[1]:] + main.group(3) + \
        page[main.end():]


def _div_with_id(text: str, wanted: str) -> tuple[int, int] | None:
    """Where the ``<div id="wanted">`` element of ``text`` starts and ends (its nested divs counted)."""
    opening = re.search(rf'<div\b[^>]*\bid="{re.escape(wanted)}"', text)
    if opening is None:
        return None
    depth = 0
    for tag in _DIV_TAG.finditer(text, opening.start()):
        depth += 1 if tag.group(0) == "<div" else -1
        if depth == 0:
            return opening.start(), tag.end()
    return None


def _image(about: Mapping[str, Any], options: Mapping[str, Any], folder: Path, project: Path | None,
           image_uri: Callable[[Path], str]) -> str:
    """The image's address (embedded when it is a local file), or ``""``."""
    source = str(about.get("image") or options.get("image") or "")
    if not source or ADDRESS.match(source):
        return source
    path = project / source.lstrip("/") if source.startswith("/") and project else folder / source
    if not path.is_file():
        warn(f"about: image {source} does not exist; the about page is shown without it.")
        return ""
    return image_uri(path)


# each template's image, unless the page says otherwise: its shape and its width (Quarto's defaults)
_IMAGE_SHAPES = {"jolla": "round", "solana": "rounded", "trestles": "rounded"}
_IMAGE_WIDTHS = {"jolla": "15em", "solana": "15em", "trestles": "20em", "marquee": "100%", "broadside": "15em"}


def _image_tag(about: Mapping[str, Any], source: str) -> str:
    if not source:
        return ""
    template = str(about.get("template"))
    shape = str(about.get("image-shape") or _IMAGE_SHAPES.get(template, ""))
    classes = "about-image" + (f" {html.escape(shape)}" if shape in ("rectangle", "round", "rounded") else "")
    width = about.get("image-width") or _IMAGE_WIDTHS.get(template)
    # a round image is as high as it is wide (a circle), as Quarto sizes it
    size = f"height: {html.escape(str(width))}; width: {html.escape(str(width))};" if shape == "round" else \
        f"width: {html.escape(str(width))};"
    style = f' style="{size}"' if width else ""
    alt = html.escape(str(about.get("image-alt") or ""))
    title = f' title="{html.escape(str(about["image-title"]))}"' if about.get("image-title") else ""
    return f'<img src="{html.escape(source)}" class="{classes}" alt="{alt}"{title}{style}>'


def _links(about: Mapping[str, Any]) -> str:
    entries = about.get("links") if isinstance(about.get("links"), list) else []
    links = []
    for entry in entries:
        if not isinstance(entry, Mapping) or not entry.get("href"):
            continue
        href = str(entry["href"])
        if not ADDRESS.match(href) and href.endswith((".qmd", ".ipynb", ".md")):
            href = href.rsplit(".", 1)[0] + ".html"  # a page of the project: its output
        icon = str(entry.get("icon") or "")
        svg = icon_svg(icon) if icon else ""
        text = str(entry.get("text") or "")
        label = entry.get("aria-label") or (text or icon)
        links.append(f'<a href="{html.escape(href)}" class="about-link" aria-label="{html.escape(str(label))}">'
                     + (f'<i class="bi bi-{html.escape(icon)}">{svg}</i> ' if svg else "")
                     + (f'<span class="about-link-text">{html.escape(text)}</span>' if text else "") + "</a>")
    return f'<div class="about-links">{"".join(links)}</div>' if links else ""


def _template(about: Mapping[str, Any], title: str, body: str, image: str) -> str:
    """The template's elements around the title block, image, links and text."""
    template = about["template"]
    picture, links = _image_tag(about, image), _links(about)
    if template == "jolla":  # the only template with a rule above its links
        separator = '<hr class="about-sep">' if links else ""
        inner = f"{picture}{title}{body}{separator}{links}"
    elif template == "trestles":
        inner = f'<div class="about-entity">{picture}{title}{links}</div><div class="about-contents">{body}</div>'
    elif template == "solana":  # the text under the title and links, the image beside all three
        inner = (f'<div class="about-entity"><div class="entity-contents">{title}{links}'
                 f'<div class="about-contents">{body}</div></div>{picture}</div>')
    elif template == "marquee":
        footer = f'<div class="about-footer">{links}</div>' if links else ""
        inner = (f'<div class="about-image-container">{picture}</div>'
                 f'<div class="about-contents">{title}{body}{footer}</div>')
    else:  # broadside: the image fills the left half
        entity = f'<div class="about-entity" style="background-image: url(\'{html.escape(image)}\')"></div>' \
            if image else ""
        inner = f'<div class="about-main">{entity}<div class="about-contents">{title}{body}</div></div>{links}'
    # Quarto's templates: solana in the text's column, broadside across the page's
    column = {"solana": " column-body", "broadside": " column-page"}.get(template, "")
    return f'<div class="quarto-about-{template}{column}">{inner}</div>'
