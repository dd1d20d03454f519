"""Quarto dashboards (``format: dashboard``, https://quarto.org/docs/dashboards/): one HTML page of cards.

The page's navbar holds the title, author and logo (and links to the pages when there are several); below it
the pages' rows and columns of cards fill the window (``scrolling: true``: they flow and the page scrolls).
``filters/dashboard.lua`` builds the layout from the headings, cells and divs; the styles and the page and tab
switching are ``assets/dashboard.css`` and ``dashboard.js``; value boxes' icons are Bootstrap Icons, inlined.
Everything else an HTML page has (theme, code, figures, callouts, maths, widgets) is the HTML format's.
"""

from __future__ import annotations

import re
from pathlib import Path

from qmdrender.formats import HTML_MIME_ORDER, Format, register
from qmdrender.formats.color_scheme import color_scheme, take_toggle, with_color_scheme
from qmdrender.formats.html import HTML, HTML_FILTERS, bootstrap_theme_arguments, page_tools_arguments
from qmdrender.formats.writing import (
    ASSETS,
    Job,
    common_arguments,
    css_arguments,
    html_math_arguments,
    html_theme_arguments,
    output_arguments,
    write_markdown,
)
from qmdrender.language import document_words
from qmdrender.palette import svg_url
from qmdrender.site_tools import icon_svg
from qmdrender.themes import is_dark_page
from qmdrender.types import warn

_ICON = re.compile(r'<i class="bi bi-([a-z0-9-]+)" data-icon="[^"]*"></i>')


def write_dashboard(job: Job, target: Path) -> None:
    options = job.options.for_format(DASHBOARD.name)
    if options.get("server"):
        warn(f"{job.document.path}: server: {options['server']} (a Shiny dashboard) is not supported by the "
             "embedded renderer yet; the dashboard is drawn without its server.")
    buttons = options.get("nav-buttons")
    for entry in buttons if isinstance(buttons, list) else [buttons] if buttons else []:
        if not (isinstance(entry, dict) and entry.get("href")):
            warn(f"{job.document.path}: nav-buttons: {entry!r} has no href (Quarto's sharing links for "
                 "twitter, linkedin ... are not supported by the embedded renderer yet); it is left out.")
    assembled = job.assemble(DASHBOARD)
    arguments = common_arguments(job, options, dark=is_dark_page(options.get("theme")), contents=False)
    arguments += ["--embed-resources", *html_math_arguments(job, options, assembled, slides=False),
                  *bootstrap_theme_arguments(job, options), *html_theme_arguments(job, options, "report.css"),
                  f"--css={ASSETS / 'dashboard.css'}", *css_arguments(job, options)]
    if options.get("scrolling") is True:
        arguments.append(f"--include-in-header={job.header_file('dashboard-scrolling.html', _SCROLLING)}")
    expand = f"<style>:root {{ --expand-icon: {svg_url(icon_svg('arrows-fullscreen'))}; }}</style>"
    arguments.append(f"--include-in-header={job.header_file('dashboard-icons.html', expand)}")
    script = (ASSETS / "dashboard.js").read_text(encoding="utf-8")
    arguments.append(f"--include-after-body={job.header_file('dashboard.html', f'<script>{script}</script>')}")
    arguments += output_arguments(job, options, assembled)
    arguments += page_tools_arguments(job, options, document_words(options, job.folder))
    write_markdown(job, DASHBOARD, assembled, "html5", target, arguments)
    page = target.read_text(encoding="utf-8")
    drawn = _ICON.sub(lambda found: icon_svg(found[1]) or "", page)  # a value box's icon, as Quarto draws it
    drawn = drawn.replace("<body>", '<body class="quarto-dashboard">', 1)
    drawn = _with_toggle_in_navbar(with_color_scheme(drawn, color_scheme(options), is_dark_page(options.get("theme"))))
    if drawn != page:
        target.write_text(drawn, encoding="utf-8")


def _with_toggle_in_navbar(page: str) -> str:
    """A light/dark pair's toggle at the right of the dashboard's navbar, as Quarto places it."""
    page, toggle = take_toggle(page)
    end = page.find("</nav></header>")
    if not toggle or end < 0:
        return page
    buttons = page.rfind('<div class="navbar-buttons">', 0, end)
    if buttons >= 0:  # the nav-buttons' box ends just before the navbar does
        return page[:end - len("</div>")] + toggle + page[end - len("</div>"):]
    return page[:end] + f'<div class="navbar-buttons">{toggle}</div>' + page[end:]


# scrolling: true: the rows keep their content's height and the page scrolls (Quarto's flow layout)
_SCROLLING = "<style>body.quarto-dashboard { height: auto; min-height: 100vh; } " \
             ".dashboard-page .rows > *, .dashboard-page .columns > * { flex: none; }</style>"

DASHBOARD = register(Format(
    "dashboard", "html", "html", write_dashboard, HTML_MIME_ORDER,
    defaults={**HTML.defaults, "echo": False},  # a dashboard shows no code unless asked, as Quarto's
    filters=(*HTML_FILTERS, "dashboard"),
))
