"""A listing's own EJS template (``listing: template: items.ejs``), rendered as Quarto renders it: lodash's
template run by Node.js over the listed pages (their own front matter fields too), the Markdown it writes read
with the page's reader, in Quarto's ``div.quarto-listing-container-custom``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from qmdrender.listing_templates import lodash

from .conftest import render_cli

# Luke Johnston's slides site (Quarto 1.7): a talk's title, where it was given, and when
TEMPLATE = """\
<% for (const item of items) { %>
<strong><a href="<%- item.path %>"><%= item.title %></a></strong>
<br>
:round_pushpin: <%- item.location %>
<br>
:spiral_calendar: <%- item.date %> <% partial('_tags.ejs', {tags: item.categories}) %>
<% } %>
"""
PARTIAL = "<% for (const tag of tags) { %>[<%= tag %>]{.tag}\n\n<% } %>"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("node") is None or not lodash().is_file():
        pytest.skip("listing templates need Node.js and lodash (make setup)")
    folder = tmp_path_factory.mktemp("listing-template")
    (folder / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Talks\nformat:\n  html:\n"
                                        "    from: markdown+emoji\ndate-format: long\n", encoding="utf-8")
    (folder / "index.qmd").write_text(
        "---\ntitle: Presentations\nlisting:\n  - id: talks\n    contents: s\n    template: listing.ejs\n"
        "    sort: date desc\n---\n\nThe slides below.\n\n::: {#talks}\n:::\n", encoding="utf-8")
    (folder / "all.qmd").write_text("---\ntitle: All\nlisting:\n  contents: s\n  sort: date desc\n---\n",
                                    encoding="utf-8")
    (folder / "listing.ejs").write_text(TEMPLATE, encoding="utf-8")
    (folder / "_tags.ejs").write_text(PARTIAL, encoding="utf-8")
    for day, title, place, tags in (("2025-09-25", "We don't know what we're doing", "Aarhus <University>", "[data]"),
                                    ("2024-04-04", "Modern & fast approaches", "Steno Diabetes Center", "[]")):
        (folder / "s" / day).mkdir(parents=True)
        (folder / "s" / day / "index.qmd").write_text(
            f'---\ntitle: "{title}"\ndate: "{day}"\nlocation: "{place}"\ncategories: {tags}\n---\n\nSlides.\n',
            encoding="utf-8")
    code, stderr = render_cli(str(folder))
    assert code == 0, stderr
    return folder / "_site"


def test_a_listings_own_template_lists_the_pages_with_their_own_fields_as_quarto_renders_it(site):
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    listing = soup.select_one("div#listing-talks.quarto-listing.quarto-listing-container-custom")
    assert listing is not None
    paragraphs = [" ".join(p.get_text().split()) for p in listing.select("p")]
    # newest first; <%= %> writes the title as Markdown (its quote made typographic), <%- %> escapes the
    # place; the emoji read as the site's "from: markdown+emoji" reads them; the date in the site's long format
    assert paragraphs == ["We don’t know what we’re doing 📍 Aarhus <University> 🗓️ September 25, 2025 data",
                          "Modern & fast approaches 📍 Steno Diabetes Center 🗓️ April 4, 2024"]
    assert [a["href"] for a in listing.select("strong > a")] == ["s/2025-09-25/index.html", "s/2024-04-04/index.html"]
    # partial(): the tags, one span each, from the file beside the template
    assert [span.get_text() for span in listing.select("span.tag")] == ["data"]


def test_a_template_that_fails_is_one_clear_error(tmp_path):
    if shutil.which("node") is None or not lodash().is_file():
        pytest.skip("listing templates need Node.js and lodash (make setup)")
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\nlisting:\n  template: broken.ejs\n---\n", encoding="utf-8")
    (tmp_path / "one.qmd").write_text("---\ntitle: One\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "broken.ejs").write_text("<% for (const item of items) { %>\n<%= item.nothing.here %>\n<% } %>\n",
                                         encoding="utf-8")
    code, stderr = render_cli(str(tmp_path))
    assert code != 0
    assert "listing: template: broken.ejs could not be rendered" in stderr and "Cannot read properties" in stderr


def test_a_default_listing_takes_the_sites_date_format_as_quartos_does(site):
    # (Quarto: the listing's date-format, else the format's metadata, the site's own date-format among it)
    soup = BeautifulSoup((site / "all.html").read_text(encoding="utf-8"), "html.parser")
    assert [d.get_text() for d in soup.select(".listing-date")] == ["September 25, 2025", "April 4, 2024"]
