"""About pages (``about:``) in Quarto's templates, and the site chrome a course site's home page shows around
one: a docked sidebar with a logo and a tool menu, repository links in the footer of a page without contents,
a footer on its own background, and the text over the margin's width (Quarto's fullcontent). Checked in the
DOM and in headless Chromium."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .browser import Browser
from .conftest import render_cli

CONFIG = """\
project:
  type: website
website:
  title: "Big Data"
  repo-url: https://github.com/example/course
  repo-actions: [edit, issue]
  page-footer:
    left: "Course team"
    background: "#D9E3E4"
  sidebar:
    style: docked
    logo: /logo.png  # from the site's root, as a course's _quarto.yml writes it
    tools:
      - icon: github
        href: https://github.com/example/course
      - icon: person-fill
        text: Moodle
        menu:
          - text: Forum
            href: https://moodle.example/forum
          - text: Marks
            url: https://moodle.example/marks
    contents: [index.qmd, notes.qmd, lectures.qmd]
format:
  html:
    toc: true
"""
HOME = """\
---
title: "Big Data Technologies"
about:
  id: hero
  template: trestles
  image: portrait.png
  image-width: 10em
  image-shape: round
  links:
    - icon: github
      text: Github
      href: https://github.com
    - text: Notes
      href: notes.qmd
---

Before the about part.

::: {#hero}
The course introduces the **tools** of big data.

## Outline

Spark, Dask and Arrow.
:::

After the about part.
"""
NOTES = """\
---
title: Notes
---

## First

Words.
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from PIL import Image

    folder = tmp_path_factory.mktemp("about") / "course"
    folder.mkdir()
    lectures = "---\ntitle: Lectures\nlisting:\n  contents: [notes.qmd]\n  type: table\n---\n"
    # contents asked for, but its one heading lies deeper than toc-depth: no contents to list
    deep = "---\ntitle: Deep\n---\n\n#### Too deep for the contents\n\nText.\n"
    for name, text in (("_quarto.yml", CONFIG), ("index.qmd", HOME), ("notes.qmd", NOTES), ("lectures.qmd", lectures),
                       ("deep.qmd", deep)):
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "part").mkdir()
    (folder / "part" / "extra.qmd").write_text("---\ntitle: Extra\n---\n\nIn a subfolder.\n", encoding="utf-8")
    Image.new("RGB", (120, 40), (150, 20, 20)).save(folder / "logo.png")
    Image.new("RGB", (60, 60), (20, 20, 150)).save(folder / "portrait.png")
    code, stderr = render_cli(str(folder))
    assert code == 0, stderr
    assert "not supported" not in stderr, stderr
    return folder / "_site"


def _page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_an_about_page_puts_the_title_image_and_links_beside_the_part_it_names(course):
    home = _page(course / "index.html")
    about = home.select_one("main div.quarto-about-trestles")
    assert about is not None
    entity, contents = about.select_one(".about-entity"), about.select_one(".about-contents")
    image = entity.select_one("img.about-image.round")
    assert image["src"].startswith("data:image/png;base64,") and "width: 10em" in image["style"]
    assert entity.select_one("h1.title").get_text() == "Big Data Technologies"
    links = [(a["href"], a.get_text(" ", strip=True)) for a in entity.select(".about-links a.about-link")]
    assert links == [("https://github.com", "Github"), ("notes.html", "Notes")]
    assert entity.select_one('a.about-link i.bi-github svg') is not None
    assert contents.select_one("div#hero h2").get_text() == "Outline" and "tools" in contents.get_text()
    text = " ".join(home.select_one("main").get_text(" ").split())
    # the page's other text stays where it was, around the about part
    assert text.index("Before the about part.") < text.index("Big Data Technologies") < text.index(
        "After the about part.")
    with Browser(1280, 900) as browser:
        browser.open((course / "index.html").as_uri())
        entity_box, contents_box = browser.evaluate(
            "['.about-entity', '.about-contents'].map(s => (r => [r.left, r.right, r.top])("
            "document.querySelector(s).getBoundingClientRect()))")
    assert entity_box[1] <= contents_box[0] and abs(entity_box[2] - contents_box[2]) < 2  # side by side


def test_a_sidebar_logo_named_from_the_sites_root_shows_on_every_page(course):
    with Browser(1280, 900) as browser:
        widths = []
        for page in ("index.html", "part/extra.html"):
            browser.open((course / page).as_uri(), wait_for="document.readyState === 'complete'")
            widths.append(browser.evaluate("document.querySelector('img.sidebar-logo').naturalWidth"))
    assert widths == [120, 120]  # the image copied to the site and found from a subfolder's page


def test_a_docked_sidebar_with_a_logo_shows_it_alone_and_a_tool_menu_opens_its_links(course):
    home = _page(course / "index.html")
    sidebar = home.select_one("#quarto-sidebar")
    assert sidebar.select_one("img.sidebar-logo") is not None
    assert sidebar.select_one(".sidebar-title") is None  # a website's sidebar with a logo: no title under it
    menu = sidebar.select_one("div.sidebar-tools-main details.quarto-navigation-tool-menu")  # Quarto's class too
    assert menu.summary["title"] == "Moodle" and menu.summary.svg is not None
    # an item's address by href or by url, its alias in Quarto's schema (a course site's Moodle menu had only url:
    # and showed an empty menu)
    assert [(a.get_text(), a["href"]) for a in menu.select("ul a")] == [
        ("Forum", "https://moodle.example/forum"), ("Marks", "https://moodle.example/marks")]
    with Browser(1280, 900) as browser:
        browser.open((course / "index.html").as_uri())
        # the menu's caret after its icon, as Quarto's dropdown-toggle (Kubus42's LLM seminar, Quarto 1.7)
        caret = browser.evaluate("(s => [s.content, parseFloat(s.borderTopWidth) / parseFloat(s.fontSize)])("
                                 "getComputedStyle(document.querySelector('.quarto-navigation-tool-menu summary'), "
                                 "'::after'))")
        assert caret[0] == '""' and 0.2 < caret[1] <= 0.3  # 0.3em (Chromium draws a border in whole pixels)
        hidden = not browser.evaluate("document.querySelector('.quarto-navigation-tool-menu ul a').checkVisibility()")
        browser.evaluate("document.querySelector('.quarto-navigation-tool-menu summary').click()")
        shown = browser.evaluate("document.querySelector('.quarto-navigation-tool-menu ul a').checkVisibility()")
    assert (hidden, shown) == (True, True)


def test_repository_links_go_to_the_footer_of_a_page_without_contents_and_under_the_contents_otherwise(course):
    home, notes = _page(course / "index.html"), _page(course / "notes.html")
    assert home.select_one("nav#TOC") is None
    footer_links = [a.get_text(strip=True) for a in home.select("footer.site-footer .nav-footer-center .toc-action")]
    assert footer_links == ["Edit this page", "Report an issue"]
    assert home.select_one("footer .toc-action")["href"] == "https://github.com/example/course/edit/main/index.qmd"
    assert [a.get_text(strip=True) for a in notes.select("nav#TOC .toc-action")] == footer_links
    assert notes.select_one("footer .toc-action") is None
    assert "fullcontent" in home.body["class"] and "fullcontent" not in notes.body["class"]
    # a listing page keeps its margin, as Quarto's (which holds a listing's categories there)
    assert "fullcontent" not in _page(course / "lectures.html").body["class"]
    # and so does a page that asks for contents with no section to list (Quarto keeps its empty margin sidebar:
    # a course's pages with only level-4 headings), unlike an about page, whose text takes the margin
    deep = _page(course / "deep.html")
    assert deep.select_one("nav#TOC") is None and "fullcontent" not in deep.body["class"]


def test_a_footer_on_its_own_background_spans_the_window_and_a_page_without_contents_is_wider(course):
    measure = ("[(r => [r.left, r.right])(document.querySelector('footer.site-footer').getBoundingClientRect()),"
               " getComputedStyle(document.querySelector('footer.site-footer')).backgroundColor,"
               " (r => [r.left, r.right])(document.querySelector('main').getBoundingClientRect())]")
    with Browser(1280, 900) as browser:
        browser.open((course / "index.html").as_uri())
        footer, colour, home_main = browser.evaluate(measure)
        browser.open((course / "notes.html").as_uri())
        _, _, notes_main = browser.evaluate(measure)
        # a short page: the footer at the window's foot, as Quarto's, not over the sidebar's entries
        bottom, height = browser.evaluate("[document.querySelector('footer.site-footer').getBoundingClientRect()"
                                          ".bottom, innerHeight]")
    assert abs(bottom - height) < 1
    assert footer[0] == 0 and footer[1] >= 1260 and colour == "rgb(217, 227, 228)"
    # Quarto's docked grid at 1280px: the text 251-1014 beside contents, 251-1200 without (measured on its pages)
    assert abs(notes_main[1] - 1014) < 20 and abs(home_main[1] - 1200) < 20 and home_main[0] == notes_main[0]


@pytest.mark.parametrize("template", ["jolla", "solana", "marquee", "broadside"])
def test_each_about_template_has_quartos_elements(tmp_path, template):
    from PIL import Image

    Image.new("RGB", (30, 30), (0, 120, 0)).save(tmp_path / "me.png")
    (tmp_path / "me.qmd").write_text(textwrap.dedent(f"""\
        ---
        title: Ada Lovelace
        image: me.png
        about:
          template: {template}
          links:
            - icon: envelope
              text: Mail
              href: mailto:ada@example.org
        ---

        Ada wrote the first program.
        """), encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "me.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    about = _page(tmp_path / "out" / "me.html").select_one(f"div.quarto-about-{template}")
    assert about is not None and about.select_one("h1.title").get_text() == "Ada Lovelace"
    assert "Ada wrote the first program." in about.get_text()
    assert [a["href"] for a in about.select("a.about-link")] == ["mailto:ada@example.org"]
    # Quarto's templates: solana's text sits under its title and links, beside the image; only jolla draws a rule
    # above the links
    if template == "solana":
        assert "Ada wrote" in about.select_one(".about-entity > .entity-contents > .about-contents").get_text()
    assert bool(about.select("hr.about-sep")) == (template == "jolla")
    if template == "broadside":  # the image is the left half's background
        assert "data:image/png;base64," in about.select_one(".about-entity")["style"]
    else:
        image = about.select_one("img.about-image")
        assert image["src"].startswith("data:image/png;base64,")
        # each template's image as Quarto sizes and shapes it when the page does not say: a 15em circle (jolla),
        # rounded corners at 15em (solana) and 20em (trestles), the whole width (marquee)
        shape, style = {"jolla": ("round", "height: 15em; width: 15em;"), "solana": ("rounded", "width: 15em;"),
                        "trestles": ("rounded", "width: 20em;"), "marquee": (None, "width: 100%;")}[template]
        assert image["style"] == style and (shape is None or shape in image["class"]), image


def test_an_unknown_about_template_is_one_clear_error(tmp_path):
    (tmp_path / "me.qmd").write_text("---\ntitle: Me\nabout: fancy\n---\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "me.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code != 0 and "about: template 'fancy' is not one of Quarto's" in stderr
    assert not (tmp_path / "out" / "me.html").exists()


def test_an_about_page_without_an_id_takes_the_place_of_main_as_quartos_does(tmp_path):
    # Quarto's about page without an id: the template takes <main>'s place in #quarto-content and the whole
    # <main> goes in as its text; a site page titled "" keeps its empty title block in the template's title slot.
    # Distances measured on Quarto 1.6's pages at 1280px: solana's text 67px below its top (3em and the empty
    # title block's 1em), marquee's image 14px below its top and its text 33px under the title
    from PIL import Image

    Image.new("RGB", (80, 40), (20, 120, 20)).save(tmp_path / "wide.png")
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Site\n  navbar:\n"
                                          "    left: [index.qmd, marquee.qmd]\nformat:\n  html:\n    theme: cosmo\n",
                                          encoding="utf-8")
    (tmp_path / "index.qmd").write_text('---\ntitle: ""\nabout:\n  template: solana\n  id: absent\n---\n\n'
                                        "Welcome to the site.\n", encoding="utf-8")
    (tmp_path / "marquee.qmd").write_text("---\ntitle: Me\nabout:\n  template: marquee\n  image: wide.png\n---\n\n"
                                          "A marquee page.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path))
    assert code == 0, stderr
    assert "id absent names no div" in stderr
    home = _page(tmp_path / "_site" / "index.html")
    about = home.select_one("#quarto-content > div.quarto-about-solana.column-body")
    assert about is not None
    assert about.select_one(".about-entity > .entity-contents > header#title-block-header") is not None
    assert "Welcome" in about.select_one(".entity-contents > .about-contents > main#quarto-document-content").text
    assert home.select_one("#quarto-content > main") is None
    box = "(s => { const r = document.querySelector(s).getBoundingClientRect(); return [r.top, r.bottom]; })"
    with Browser(1280, 800) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        navbar, solana, text = (browser.evaluate(f"{box}('{s}')") for s in (
            "#quarto-header", ".quarto-about-solana", ".about-contents"))
        assert abs(solana[0] - navbar[1]) < 1 and abs(text[0] - solana[0] - 67) < 2
        browser.open((tmp_path / "_site" / "marquee.html").as_uri())
        marquee, image, title, main = (browser.evaluate(f"{box}('{s}')") for s in (
            ".quarto-about-marquee", ".about-image", "#title-block-header", "main"))
        assert abs(image[0] - marquee[0] - 14) < 1 and abs(main[0] - title[1] - 33) < 2
