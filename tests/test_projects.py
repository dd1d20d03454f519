"""Quarto projects rendered whole: a website (navbar, sidebar, listing, search, .ipynb with stored outputs,
profiles) and a book (chapter numbers, references between chapters, one PDF), as a reader sees them."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from .browser import Browser
from .conftest import pdf_text

PROJECTS = Path(__file__).parent / "projects"


def render_project(folder: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qmdrender", str(folder), *arguments, "--engine", "embedded"],
                          capture_output=True, text=True, timeout=900)


def page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def website(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("site") / "website"
    shutil.copytree(PROJECTS / "website", folder)
    notebook_before = digest(folder / "survey.ipynb")
    done = render_project(folder)
    assert done.returncode == 0, done.stderr
    return {"folder": folder, "site": folder / "_site", "log": done.stderr, "notebook_before": notebook_before}


def test_navbar_and_sidebar_link_every_page_by_its_title(website):
    site = website["site"]
    titles = {"index.html": "Welcome to the field notes", "about.html": "About the project",
              "survey.html": "Survey notebook", "posts/okapi.html": "The okapi is no zebra",
              "posts/narwhal.html": "Stripes at sea"}
    for name in titles:
        soup = page(site / name)
        links = soup.select("header.site-navbar a:not(.quarto-navigation-tool), nav.site-sidebar a[href]")
        assert links, name
        for link in links:
            if link.get_text(strip=True) == "Deutsch":  # another site beside this one: the link as written
                depth = name.count("/")
                assert link["href"] == "../" * depth + "../de/index.html", name
                continue
            target = (site / name).parent / urlsplit(link["href"]).path
            assert target.resolve().is_file(), f"{name}: {link['href']} does not resolve"
            relative = target.resolve().relative_to(site.resolve()).as_posix()
            if "navbar-brand" not in link.get("class", []) and link.get_text(strip=True) != "Home":
                assert link.get_text(strip=True) == titles[relative]
    sidebar = [a.get_text(strip=True) for a in page(site / "about.html").select("nav.site-sidebar a[href]")]
    # a glob's pages in file-name order, as Quarto orders them: narwhal.qmd before okapi.qmd
    assert sidebar == ["Welcome to the field notes", "Stripes at sea", "The okapi is no zebra", "About the project",
                       "Survey notebook"]
    assert page(site / "about.html").select_one("nav.site-sidebar a.active").get_text() == "About the project"
    menu = [a.get_text() for a in page(site / "index.html").select("header.site-navbar details.navbar-menu a")]
    assert menu == ["Survey notebook", "The okapi is no zebra"]
    # an entry's maths is Markdown too, as in Quarto: an italic n, no dollar signs
    section = page(site / "about.html").select_one("nav.site-sidebar .sidebar-section-title")
    assert section.get_text() == "Posts on n species" and section.select_one(".math.inline em").get_text() == "n"


def test_the_sites_tools_icons_banner_reader_mode_and_meta_tags(website):
    soup = page(website["site"] / "posts" / "okapi.html")
    tool = soup.select_one("header.site-navbar a.quarto-navigation-tool")
    assert tool["href"] == "https://github.com/example/zebras" and tool["aria-label"] == "Github"
    assert "bi-github" in tool.select_one("svg")["class"]  # the Bootstrap icon, inlined
    assert soup.select_one(".site-footer ul.footer-items > li.nav-item > a.nav-link svg.bi-mastodon") is not None
    assert soup.find("meta", property="og:title")["content"] == "The okapi is no zebra \u2013 Zebra Field Notes"
    assert soup.find("meta", attrs={"name": "twitter:creator"})["content"] == "@zebras"
    assert "hypothes.is" in str(soup)  # website: comments reach every page
    with Browser(1280, 900) as browser:
        browser.open((website["site"] / "posts" / "okapi.html").as_uri(), wait_for="document.readyState === 'complete'")
        seen = browser.evaluate("""(() => {
            const banner = document.querySelector('.quarto-announcement');
            const visible = e => !!e && getComputedStyle(e).display !== 'none';
            const before = visible(document.querySelector('nav.site-sidebar'));
            document.querySelector('.quarto-reader-toggle').click();
            return {banner: banner.innerText.trim(), colour: getComputedStyle(banner).backgroundColor,
                    before: before, after: visible(document.querySelector('nav.site-sidebar')),
                    toc: visible(document.querySelector('nav#TOC')),
                    top: document.querySelector('.quarto-back-to-top').innerText.trim()};
        })()""")
    assert seen["banner"].startswith("New: the 2026 survey data") and seen["colour"] == "rgb(255, 243, 205)"
    assert seen["before"] and not seen["after"] and not seen["toc"]  # reader mode hides both
    assert seen["top"] == "Back to top"


def test_links_to_sources_become_pages_and_resources_are_copied(website):
    site = website["site"]
    hrefs = [a["href"] for a in page(site / "index.html").select("main a, p a")]
    assert "about.html" in hrefs and "survey.html#counts" in hrefs
    assert (site / "counts.csv").read_text() == (website["folder"] / "counts.csv").read_text()
    assert (site / "downloads" / "field-sheet.txt").read_text() == "Herd, date, count\n"  # project: resources:
    assert not list(site.rglob("*.qmd")) and not (site / "_quarto.yml").exists()


def test_listing_page_navigation_footer_and_site_url(website):
    soup = page(website["site"] / "index.html")
    items = soup.select("#listing-listing .quarto-listing-default .quarto-post")  # Quarto's markup
    assert [i.select_one(".listing-title a").get_text() for i in items] == ["Stripes at sea", "The okapi is no zebra"]
    assert items[1].select_one(".metadata .listing-date").get_text() == "Jan 5, 2026"  # Quarto's medium date
    assert items[1].select_one(".listing-description").get_text() == "A striped cousin of the giraffe."
    assert soup.select_one(".site-footer strong").get_text() == "2026"
    # in Quarto's markup, which authors' rules address
    assert soup.select_one("footer.footer > div.nav-footer > div.nav-footer-left") is not None
    about = page(website["site"] / "about.html")
    assert about.select_one("a.page-nav-prev")["href"] == "posts/okapi.html"
    assert about.select_one("a.page-nav-next")["href"] == "survey.html"
    # Quarto's look: the page's title as the link's text, the arrow apart from it (not read out)
    assert about.select_one("a.page-nav-prev .nav-page-text").get_text() == "The okapi is no zebra"
    assert about.select_one("a.page-nav-prev .nav-page-arrow")["aria-hidden"] == "true"
    # in Quarto's markup, which authors' rules address
    previous = about.select_one("nav.page-navigation > div.nav-page.nav-page-previous > a.pagination-link")
    assert previous["aria-label"] == "The okapi is no zebra"
    assert about.select_one("nav.page-navigation > div.nav-page.nav-page-next > a.pagination-link") is not None
    assert about.select_one('link[rel="canonical"]')["href"] == "https://example.org/zebras/about.html"
    assert "https://example.org/zebras/posts/okapi.html" in (website["site"] / "sitemap.xml").read_text()


def test_a_site_page_is_structured_as_quartos_the_text_in_main_the_chrome_around_it(website):
    about = page(website["site"] / "about.html")
    assert about.select_one("header#quarto-header > nav.navbar .navbar-title").get_text().strip()
    main = about.select("main.content#quarto-document-content")
    assert len(main) == 1 and "About the project" in main[0].select_one("header#title-block-header").get_text()
    for chrome in ("header#quarto-header", "nav.site-sidebar", ".site-footer", "a.page-nav-next"):
        assert about.select_one(chrome) is not None and about.select_one(chrome).find_parent("main") is None, chrome


def test_notebook_shows_its_stored_outputs_without_running_and_is_not_modified(website):
    soup = page(website["site"] / "survey.html")
    text = soup.get_text()
    assert "stored output: 42 zebras" in text and "RAN-AGAIN" not in text.replace("print('RAN-AGAIN')", "")
    assert "shown without its code" in text and "hidden code" not in text
    assert digest(website["folder"] / "survey.ipynb") == website["notebook_before"]


def test_search_finds_a_word_from_a_page_in_chromium_from_file_url(website):
    index = json.loads((website["site"] / "search.json").read_text())
    assert any(e["href"] == "about.html#quagga" and "plains zebra" in e["text"] for e in index)
    with Browser() as browser:
        browser.open((website["site"] / "posts" / "okapi.html").as_uri())
        # Quarto's navbar search: a magnifier button that opens the field
        assert browser.evaluate("getComputedStyle(document.getElementById('site-search-input')).display") == "none"
        # in Quarto's markup names, which an author's rule for Quarto's search addresses (a site's green glass)
        assert browser.evaluate("""(() => { document.head.insertAdjacentHTML('beforeend', '<style>.navbar'
            + ' #quarto-search.type-overlay .aa-Autocomplete svg.aa-SubmitIcon { color: rgb(1, 2, 3); }</style>');
            return getComputedStyle(document.querySelector('.site-search-toggle svg')).color; })()""") == \
            "rgb(1, 2, 3)"
        browser.click(".site-search-toggle")
        assert browser.evaluate("document.activeElement.id") == "site-search-input"
        browser.evaluate("(() => { const i = document.getElementById('site-search-input'); i.value = 'quagga'; "
                         "i.dispatchEvent(new Event('input')); })()")
        browser.wait("document.querySelectorAll('#site-search-results a').length > 0", timeout=20)
        first = browser.evaluate("document.querySelector('#site-search-results a').href")
        assert first.endswith("/about.html#quagga"), first
        browser.open(first)
        assert browser.evaluate("document.title").startswith("About the project")


def test_repo_actions_link_each_page_to_its_source_in_the_footer_of_a_page_without_contents(website):
    okapi = page(website["site"] / "posts" / "okapi.html")  # no section headings: no contents, as in Quarto
    assert okapi.select_one("nav#TOC") is None
    links = [(a.get_text(strip=True), a["href"]) for a in okapi.select("footer .nav-footer-center .toc-actions a")]
    assert links == [("Edit this page", "https://github.com/example/zebras/edit/main/posts/okapi.qmd"),
                     ("Report an issue", "https://example.org/zebras/feedback")]  # issue-url
    assert "repo-url" not in website["log"]  # supported, not named as left out


def test_a_navbar_that_wraps_in_a_narrow_window_does_not_cover_the_page(website):
    with Browser(300, 800) as browser:  # the title, the menu button and the search box take two lines here
        browser.open((website["site"] / "posts" / "okapi.html").as_uri())
        navbar, padding = browser.evaluate(
            "[document.getElementById('quarto-header').getBoundingClientRect().bottom,"
            " parseFloat(getComputedStyle(document.body).paddingTop)]")
    assert padding >= navbar  # the page starts under it


def test_below_992px_the_navbar_and_the_sidebar_fold_behind_their_buttons_as_quartos_do(website):
    shown = ("[getComputedStyle(document.getElementById('navbarCollapse')).display,"
             " getComputedStyle(document.getElementById('quarto-sidebar')).display,"
             " getComputedStyle(document.querySelector('.navbar-toggler')).display,"
             " getComputedStyle(document.querySelector('.quarto-secondary-nav')).display]")
    with Browser(900, 800) as browser:
        browser.open((website["site"] / "posts" / "okapi.html").as_uri())
        assert browser.evaluate(shown) == ["none", "none", "flex", "flex"]
        # the bar standing for the sidebar says where the page is
        assert "The okapi is no zebra" in browser.evaluate("document.querySelector('.quarto-secondary-nav').innerText")
        browser.evaluate("document.querySelector('.navbar-toggler').click()")
        browser.evaluate("document.querySelector('.quarto-btn-toggle').click()")
        assert browser.evaluate(shown)[:2] == ["flex", "block"]
        links = browser.evaluate("Array.from(document.querySelectorAll('#navbarCollapse a.nav-link'),"
                                 " a => a.getBoundingClientRect().left)")
        assert len(links) > 1 and len(set(links)) == 1  # one under another
    with Browser(1300, 800) as browser:  # wide: both as they were, no buttons
        browser.open((website["site"] / "posts" / "okapi.html").as_uri())
        assert browser.evaluate(shown) == ["flex", "block", "none", "none"]


def test_a_second_render_with_nothing_changed_renders_no_page(website):
    done = render_project(website["folder"])
    assert done.returncode == 0, done.stderr
    assert "[1/" not in done.stderr  # no page started a render of its own
    assert done.stderr.count("up to date:") == 5  # every page: the .qmd pages and the notebook (freeze)


def test_a_profile_changes_the_output(website, tmp_path):
    folder = tmp_path / "website"
    shutil.copytree(PROJECTS / "website", folder)
    done = render_project(folder, "--profile", "fieldwork", "--to", "html")
    assert done.returncode == 0, done.stderr
    soup = page(folder / "_site" / "index.html")
    assert soup.select_one(".navbar-title").get_text() == "Zebra Field Notes (fieldwork edition)"
    assert "muddy-boots paragraph" in soup.get_text()
    assert "muddy-boots paragraph" not in page(website["site"] / "index.html").get_text()
    assert page(website["site"] / "index.html").select_one(".navbar-title").get_text() == "Zebra Field Notes"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("book") / "book"
    shutil.copytree(PROJECTS / "book", folder)
    done = render_project(folder)
    assert done.returncode == 0, done.stderr
    return {"folder": folder, "out": folder / "_book", "log": done.stderr}


def test_book_chapters_are_numbered_and_number_their_floats_and_sections(book):
    intro = page(book["out"] / "intro.html")
    # a chapter's first heading is its title, in the title block as Quarto's books show it (not in the contents)
    assert intro.select_one("header#title-block-header h1.title .chapter-number").get_text() == "1"
    assert intro.select_one("h1.title .chapter-title").get_text() == "Introduction"
    assert "Introduction" not in intro.select_one("nav#TOC").get_text()
    assert intro.select_one("h2 .header-section-number").get_text() == "1.1"
    assert "Figure 1.1: Stripe widths along the body" in intro.get_text(" ").replace("\xa0", " ")
    results = page(book["out"] / "results.html")
    assert results.select_one("h1.title .chapter-number").get_text() == "2"
    assert "Table 2.1: Zebra counts per herd" in " ".join(results.get_text(" ").split())
    assert page(book["out"] / "data.html").select_one("h1.title .chapter-number").get_text() == "Appendix A"
    sidebar = [a.get_text() for a in intro.select("nav.site-sidebar .sidebar-menu-container li a[href]")]
    assert sidebar == ["Preface", "1\u00a0 Introduction", "2\u00a0 Results", "References", "A\u00a0 Survey data"]
    # the number and the title in spans of their own, as Quarto's sidebar has them
    numbered = [(a.select_one(".chapter-number").get_text(), a.select_one(".chapter-title").get_text())
                for a in intro.select("nav.site-sidebar .sidebar-menu-container li a[href]")
                if a.select_one(".chapter-number")]
    assert numbered == [("1", "Introduction"), ("2", "Results"), ("A", "Survey data")]
    sections = [s.get_text() for s in intro.select("nav.site-sidebar .sidebar-section-title")]
    assert sections == ["Evidence", "Appendices"]


def test_a_book_chapter_keeps_its_footnotes_and_appendix_sections_where_pandoc_writes_them(book):
    # Quarto builds no appendix in a book (quarto-cli#11764): no "Footnotes" heading, the rule above the notes
    intro = page(book["out"] / "intro.html")
    assert not intro.select("#quarto-appendix")
    notes = intro.select_one("main section#footnotes")
    assert notes.select_one("hr") is not None and not notes.select("h2")
    assert notes.select_one("li#fn1").get_text().strip().startswith("Measured at the shoulder.")
    field_notes = intro.select_one("main section#field-notes > h2")  # the id on its section, as Quarto's
    assert field_notes is not None and "Kept with the chapter." in field_notes.find_next("p").get_text()


def xref_links(path: Path) -> dict[str, str]:
    """A page's cross-reference links: their text (no-break spaces as spaces) and where they go."""
    return {a.get_text().replace("\xa0", " "): a["href"] for a in page(path).select("a.quarto-xref")}


def test_references_between_chapters_link_to_the_right_page(book):
    links = xref_links(book["out"] / "intro.html")
    assert links["Table 2.1"] == "results.html#tbl-counts"
    assert links["Chapter 2"] == "results.html#sec-results"
    assert links["Appendix A"] == "data.html#sec-data"
    assert links["Figure 1.1"] == "#fig-stripes"
    assert links["Theorem 1.1"] == "#thm-stripes"
    back = xref_links(book["out"] / "data.html")
    assert back["Figure 1.1"] == "intro.html#fig-stripes"
    assert back["Theorem 1.1"] == "intro.html#thm-stripes"  # a theorem numbered in its chapter, as Quarto's
    assert "?@" not in page(book["out"] / "intro.html").get_text()
    assert page(book["out"] / "intro.html").select_one("a.page-nav-next")["href"] == "results.html"
    # a chapter's number and title in Quarto's spans, the link named by the title alone
    following = page(book["out"] / "intro.html").select_one("div.nav-page-next a.pagination-link")
    assert [span.get_text() for span in following.select(".nav-page-text > span")] == ["2", "Results"]
    assert following["aria-label"] == "Results"


def test_the_references_page_lists_every_work_the_book_cites(book):
    references = " ".join(page(book["out"] / "references.html").get_text().split())
    assert "Knuth, Donald E. 1984. The TeXbook. Addison-Wesley." in references  # cited in the preface only
    # the citing page keeps its list hidden (a book has one bibliography, as Quarto's books write it)
    preface = page(book["out"] / "index.html")
    assert "display: none" in preface.select_one("div.quarto-chapter-references")["style"]
    assert not preface.select("#quarto-appendix .quarto-bibliography")


def test_a_reference_no_chapter_has_is_marked_as_in_quartos_books(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  title: B\n  chapters:\n"
                                          "    - index.qmd\n    - a.qmd\n    - b.qmd\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Preface {.unnumbered}\n\nSee @lem-gone and @eq-gone, and @lem-here.\n",
                                        encoding="utf-8")
    (tmp_path / "a.qmd").write_text("# A\n\n::: {#lem-here}\nTrue.\n:::\n", encoding="utf-8")
    # the same label in a later chapter: a reference from elsewhere goes there, as Quarto's book index keeps it
    (tmp_path / "b.qmd").write_text("# B\n\n::: {#lem-here}\nAlso true.\n:::\n", encoding="utf-8")
    done = render_project(tmp_path, "--to", "html")
    assert done.returncode == 0, done.stderr
    marks = page(tmp_path / "_book" / "index.html").select(".quarto-unresolved-ref")
    assert [mark.get_text() for mark in marks] == ["?lem-gone", "?eq-gone"]
    assert xref_links(tmp_path / "_book" / "index.html") == {"Lemma 2.1": "b.html#lem-here"}
    assert "unresolved cross-reference @lem-gone (no chapter of the book has it)" in done.stderr
    assert "Lemma 1.1" in page(tmp_path / "_book" / "a.html").get_text().replace("\xa0", " ")


def test_a_chapters_filters_see_the_book_and_its_render_list_as_quartos_give_them(tmp_path):
    # extensions number their own floats by the chapter they find in book.render (the pseudocode extension)
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: book\nbook:\n  title: B\n  chapters:\n    - index.qmd\n    - a.qmd\n"
        "  appendices:\n    - b.qmd\nfilters:\n  - chapter.lua\n", encoding="utf-8")
    (tmp_path / "chapter.lua").write_text(
        "function Pandoc(doc)\n  local mine = quarto.doc.input_file:match('([^/]+)$')\n"
        "  for _, item in ipairs(doc.meta.book.render) do\n"
        "    if item.file and pandoc.utils.stringify(item.file) == mine then\n"
        "      doc.blocks:insert(pandoc.Para({pandoc.Str('listed-as-' .. pandoc.utils.stringify(item.number or '-') "
        ".. '-' .. pandoc.utils.stringify(item.type))}))\n    end\n  end\n"
        "  doc.blocks:insert(pandoc.Para({pandoc.Str('book-' .. pandoc.utils.stringify(doc.meta.book.title))}))\n"
        "  return doc\nend\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Preface {.unnumbered}\n\nHi.\n", encoding="utf-8")
    (tmp_path / "a.qmd").write_text("# A\n\nText.\n", encoding="utf-8")
    (tmp_path / "b.qmd").write_text("# B\n\nMore.\n", encoding="utf-8")
    done = render_project(tmp_path, "--to", "html")
    assert done.returncode == 0, done.stderr
    texts = {name: page(tmp_path / "_book" / f"{name}.html").get_text() for name in ("index", "a", "b")}
    assert "listed-as---chapter" in texts["index"] and "listed-as-1-chapter" in texts["a"]
    assert "listed-as-1-chapter" in texts["b"]  # the first appendix: 1 after the appendices' marker, as Quarto
    assert all("book-B" in text for text in texts.values())


def test_a_folder_with_a_quarto_yml_of_its_own_renders_in_the_project_that_includes_it(tmp_path):
    # a course module kept as a book of its own (a git submodule) and listed in a bigger book: Quarto renders
    # it with the bigger book's configuration, not the module's
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  title: Course\n  chapters:\n"
                                          "    - index.qmd\n    - intro.qmd\n    - module/lesson.qmd\n",
                                          encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Preface {.unnumbered}\n\nHi.\n", encoding="utf-8")
    (tmp_path / "intro.qmd").write_text("# Intro\n\nText.\n", encoding="utf-8")
    (tmp_path / "module").mkdir()
    (tmp_path / "module" / "_quarto.yml").write_text(
        "project:\n  type: book\nbook:\n  title: Module\n  chapters:\n    - lesson.qmd\n"
        "format:\n  html:\n    theme: darkly\n", encoding="utf-8")
    (tmp_path / "module" / "lesson.qmd").write_text("# Lesson\n\n## Part\n\nMore.\n", encoding="utf-8")
    done = render_project(tmp_path, "--to", "html")
    assert done.returncode == 0, done.stderr
    lesson = page(tmp_path / "_book" / "module" / "lesson.html")
    assert lesson.select_one("h1.title .chapter-number").get_text() == "2"  # the course's chapter 2, not 1
    assert lesson.select_one("h2 .header-section-number").get_text() == "2.1"
    assert "bootswatch" not in str(lesson).lower() and "darkly" not in str(lesson).lower()  # not the module's theme
    assert "Course" in lesson.select_one("nav.site-sidebar").get_text()


def test_a_book_chapter_without_a_title_takes_its_first_heading_of_any_level(tmp_path):
    # as Quarto's books: "## First chapter" opening an untitled chapter is chapter 1, its "##" sections 1.1 ...
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  title: B\n  chapters:\n"
                                          "    - index.qmd\n    - a.qmd\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Preface {.unnumbered}\n\nHi.\n", encoding="utf-8")
    (tmp_path / "a.qmd").write_text("## First chapter\n\nText.\n\n## Second part\n\nMore.\n", encoding="utf-8")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    chapter = page(tmp_path / "_book" / "a.html")
    assert " ".join(chapter.select_one("main h1").get_text().split()) == "1 First chapter"
    assert [" ".join(h.get_text().split()) for h in chapter.select("main h2")] == ["1.1 Second part"]
    assert chapter.title.get_text().startswith("1\u00a0 First chapter")
    home = page(tmp_path / "_book" / "index.html")
    assert "1\u00a0 First chapter" in home.select_one("#quarto-sidebar").get_text()
    # a chapter named on its own renders in its book; to a format the book's pages are not, on its own
    (tmp_path / "a.qmd").write_text("## First chapter\n\nText, edited.\n", encoding="utf-8")
    for extra in ([], ["--to", "ipynb"]):
        done = subprocess.run([sys.executable, "-m", "qmdrender", "a.qmd", *extra, "--engine", "embedded"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert "Text, edited." in page(tmp_path / "_book" / "a.html").get_text()
    assert (tmp_path / "_output" / "a.ipynb").is_file() and not (tmp_path / "_book" / "a.ipynb").exists()


def test_a_book_in_an_extensions_html_format_renders_its_pages_and_one_in_docx_says_it_cannot(tmp_path):
    # format: live-html (quarto-live's, its extension absent here) is HTML pages with its options; a book only in
    # docx (Quarto makes one Word book) is not made here: an error that says so, not a silent empty book
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  title: B\n  chapters:\n"
                                          "    - index.qmd\n    - a.qmd\nformat:\n  live-html:\n    toc: true\n",
                                          encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Preface {.unnumbered}\n\nHi.\n", encoding="utf-8")
    (tmp_path / "a.qmd").write_text("# First\n\n## Part\n\nText.\n", encoding="utf-8")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    chapter = page(tmp_path / "_book" / "a.html")
    assert "Text." in chapter.select_one("main").get_text() and chapter.select_one("nav#TOC") is not None
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  title: B\n  chapters:\n"
                                          "    - index.qmd\n    - a.qmd\nformat: docx\n", encoding="utf-8")
    done = render_project(tmp_path)
    assert done.returncode == 1 and "a book in docx is not supported by the embedded renderer yet" in done.stderr


def test_book_pdf_has_title_page_chapters_in_order_appendix_and_one_bibliography(book):
    text = pdf_text(book["out"] / "Striped-Animals.pdf", layout=False)
    info = subprocess.run(["pdfinfo", str(book["out"] / "Striped-Animals.pdf")], capture_output=True, text=True)
    assert "612 x 792" in info.stdout  # Quarto's books are on US letter (scrreprt's own default is A4)
    first_page = text.split("\f")[0]
    assert "Striped Animals" in first_page and "Ada Example" in first_page
    body = text[text.index("This book is about zebras"):]
    order = [body.index(marker) for marker in ("This book is about zebras", "1 Introduction", "Part I",
                                               "2 Results", "References", "A Survey data")]
    assert order == sorted(order)
    assert "Figure 1.1: Stripe widths along the body" in body and "Table 2.1: Zebra counts per herd" in body
    assert "Table 2.1 of Chapter 2" in " ".join(body.split())
    assert "Theorem 1.1 (Stripe rule)" in body and "By Theorem 1.1" in body  # within the chapter
    assert "and Theorem 1.1 tells them apart" in " ".join(body.split())
    assert "described in Appendix A" in " ".join(body.split())
    assert "Knuth, Donald E. 1984. The TeXbook" in " ".join(body.split())


def test_a_book_pdf_finds_each_chapters_images_from_the_chapters_own_folder(tmp_path):
    # an engineering course's book (chapters in books/<module>/skript/, images in 00-bilder/ beside them): the
    # book's one PDF showed "[missing image]" for every image a chapter outside the book's folder names, and
    # xelatex stopped on an SVG named through ".." (its PDF conversion was not found under that name)
    from PIL import Image

    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  title: Notes\n  chapters:\n"
                                          "    - index.qmd\n    - module/skript/one.qmd\nformat:\n  pdf: default\n")
    (tmp_path / "index.qmd").write_text("# Preface {.unnumbered}\n\nWelcome.\n")
    pictures = tmp_path / "module" / "skript" / "00-bilder"
    pictures.mkdir(parents=True)
    Image.new("RGB", (40, 20), "red").save(pictures / "dot.png")
    (pictures / "box.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
                                      '<rect width="40" height="20" fill="blue"/></svg>')
    (tmp_path / "module" / "skript" / "one.qmd").write_text(
        "# Sorting\n\n![A red dot](00-bilder/dot.png)\n\n![A blue box](../skript/00-bilder/box.svg)\n")
    done = render_project(tmp_path, "--to", "pdf")
    assert done.returncode == 0, done.stderr
    assert "not found" not in done.stderr, done.stderr
    text = " ".join(pdf_text(tmp_path / "_book" / "Notes.pdf").split())
    assert "missing image" not in text and "Figure 1.1: A red dot" in text and "Figure 1.2: A blue box" in text
    listed = subprocess.run(["pdfimages", "-list", str(tmp_path / "_book" / "Notes.pdf")], capture_output=True,
                            text=True, check=True).stdout
    assert len(listed.splitlines()) - 2 >= 1  # the PNG as an image (the SVG becomes vector drawing)


def test_the_files_quarto_leaves_out_of_a_project_a_readme_and_a_notebook_beside_its_qmd(tmp_path):
    # Stat 244's site keeps pytorch.qmd and the pytorch.ipynb it was made from, and a license page; Quarto's
    # Jupyter engine takes the notebook for the .qmd's intermediate file (not a page: no clash), skips only
    # README.md (its README.?([Rrq])md glob) and renders license.qmd
    import nbformat

    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Course\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nWelcome.\n")
    (tmp_path / "README.md").write_text("# How to build this site\n")
    (tmp_path / "license.qmd").write_text("---\ntitle: License\n---\n\nCC BY 4.0.\n")
    (tmp_path / "pytorch.qmd").write_text("---\ntitle: PyTorch\n---\n\nFrom the source.\n")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# PyTorch\n\nFrom the notebook.")]
    nbformat.write(notebook, tmp_path / "pytorch.ipynb")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "_site"
    assert "From the source." in page(site / "pytorch.html").get_text()
    assert "CC BY 4.0." in page(site / "license.html").get_text()
    assert not (site / "README.html").exists()
    assert "pytorch.ipynb: not rendered" in done.stderr


@pytest.mark.parametrize("breakage, message", [
    ("missing_chapter", "does not exist; create it or remove it from the list"),
    ("circular_sidebar", "is circular"),
    ("broken_notebook", "not valid JSON"),
    ("same_output", "would both write"),
])
def test_bad_project_input_is_one_clear_error_and_keeps_what_was_rendered(tmp_path, breakage, message):
    folder = tmp_path / "website"
    shutil.copytree(PROJECTS / "website", folder)
    earlier = folder / "_site" / "about.html"
    earlier.parent.mkdir()
    earlier.write_text("earlier render")
    config = folder / "_quarto.yml"
    if breakage == "missing_chapter":
        config.write_text("project:\n  type: book\nbook:\n  title: T\n  chapters:\n    - index.qmd\n    - gone.qmd\n")
    elif breakage == "circular_sidebar":
        two_sidebars = "  sidebar:\n    - id: a\n      contents: [b]\n    - id: b\n      contents: [a]\n    - contents:"
        config.write_text(config.read_text().replace("  sidebar:\n    contents:", two_sidebars))
    elif breakage == "broken_notebook":
        (folder / "survey.ipynb").write_text('{"cells": [')
    else:  # a page beside it of the same name (a notebook there would be its intermediate file, not a page)
        (folder / "about.md").write_text("# About, again\n")
    done = render_project(folder)
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0], done.stderr
    assert earlier.read_text() == "earlier render"


def test_project_scripts_execute_dir_and_a_default_project_output_dir(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  output-dir: out\n  execute-dir: project\n  pre-render: prepare.py\n"
        "  post-render: [\"python3 finish.py\"]\nformat: html\n")
    (tmp_path / "prepare.py").write_text("open('generated.txt', 'w').write('made by the pre-render script')\n")
    (tmp_path / "finish.py").write_text(
        "import os\nopen(os.path.join(os.environ['QUARTO_PROJECT_OUTPUT_DIR'], 'post.txt'), 'w')"
        ".write(os.environ['QUARTO_PROJECT_OUTPUT_FILES'])\n")
    (tmp_path / "sub" / "page.qmd").write_text(
        "---\ntitle: Where am I\n---\n\n```{python}\nimport os\nprint('cwd:', os.getcwd())\n"
        "print(open('generated.txt').read())\n```\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    text = page(tmp_path / "out" / "sub" / "page.html").get_text()
    assert f"cwd: {tmp_path.resolve()}" in text and "made by the pre-render script" in text
    assert "sub/page.html" in (tmp_path / "out" / "post.txt").read_text()
    assert not (tmp_path / "out" / "prepare.py").exists()


def test_a_page_a_pre_render_script_writes_is_rendered_on_the_first_render_as_quarto_does(tmp_path):
    # Lambda Notebook's site copies its CHANGELOG.md in with a pre-render script and links it from the navbar;
    # Quarto (1.5 on) finds the project's inputs again after pre-render scripts ran
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: website\n  pre-render: copy.py\nwebsite:\n  title: Notes\n  navbar:\n"
        "    left: [index.qmd, CHANGELOG.md]\n")
    (tmp_path / "copy.py").write_text("open('CHANGELOG.md', 'w').write('# Changes\\n\\nVersion 2 is out.\\n')\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nWelcome.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Version 2 is out." in page(tmp_path / "_site" / "CHANGELOG.html").get_text()
    assert "not a page of this project" not in done.stderr


def test_a_document_rendered_on_its_own_goes_where_quarto_puts_it_in_its_project(tmp_path):
    (tmp_path / "slides").mkdir()
    (tmp_path / "_quarto.yml").write_text("project:\n  output-dir: docs\n")
    (tmp_path / "slides" / "talk.qmd").write_text("---\ntitle: Talk\n---\n\nPublished text.\n")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: Site\n  navbar:\n    left: [page.qmd, other.qmd]\n")
    (tmp_path / "site" / "page.qmd").write_text("---\ntitle: Page\n---\n\nA site page.\n")
    (tmp_path / "site" / "other.qmd").write_text("---\ntitle: Other\n---\n\nAnother page.\n")
    done = subprocess.run([sys.executable, "-m", "qmdrender", "slides/talk.qmd", "--to", "html", "--engine",
                           "embedded"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Published text." in page(tmp_path / "docs" / "slides" / "talk.html").get_text()
    # a website's page rendered on its own is rendered in the site, as quarto render PAGE does: into the site's
    # folder with the site's navigation, and the other pages are left alone
    done = subprocess.run([sys.executable, "-m", "qmdrender", "site/page.qmd", "--to", "html", "--engine",
                           "embedded"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rendered = page(tmp_path / "site" / "_site" / "page.html")
    assert "A site page." in rendered.get_text()
    assert [a.get_text(strip=True) for a in rendered.select("nav.navbar a.nav-link")] == ["Page", "Other"]
    assert not (tmp_path / "site" / "_site" / "other.html").exists() and not (tmp_path / "_output").exists()


def test_an_edited_notebook_page_is_rendered_again_even_with_the_same_outputs(tmp_path):
    folder = tmp_path / "website"
    shutil.copytree(PROJECTS / "website", folder)
    assert render_project(folder, "--to", "html").returncode == 0
    notebook = json.loads((folder / "survey.ipynb").read_text())
    notebook["cells"][2]["source"] = "print('EDITED-CODE')"  # code changed, not run again: same stored output
    (folder / "survey.ipynb").write_text(json.dumps(notebook))
    done = render_project(folder, "--to", "html")
    assert done.returncode == 0, done.stderr
    text = page(folder / "_site" / "survey.html").get_text()
    assert "EDITED-CODE" in text and "stored output: 42 zebras" in text


def test_a_part_page_is_the_part_heading_in_the_sidebar_and_links_to_its_page(tmp_path):
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: book\nbook:\n  title: Parts\n  chapters:\n    - index.qmd\n"
        "    - part: methods.qmd\n      chapters:\n        - first.qmd\n        - second.qmd\nformat: html\n")
    (tmp_path / "index.qmd").write_text("# Preface {.unnumbered}\n\nHello.\n")
    (tmp_path / "methods.qmd").write_text("# Methods\n\nWhat this part is about.\n")
    (tmp_path / "first.qmd").write_text("# First\n\nOne.\n")
    (tmp_path / "second.qmd").write_text("# Second\n\nTwo.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    sidebar = page(tmp_path / "_book" / "first.html").select_one("#quarto-sidebar")
    sections = sidebar.select("li.sidebar-item-section")  # Quarto's markup: a section's entries in ul.sidebar-section
    assert len(sections) == 1 and sections[0].select_one(":scope > ul.sidebar-section.depth1") is not None
    heading = sections[0].find("a")
    assert heading.get_text(" ", strip=True) == "Methods" and heading["href"].endswith("methods.html")
    assert [" ".join(a.get_text().split()) for a in sections[0].select(":scope > ul a")] == ["1 First", "2 Second"]
    assert [a.get_text(" ", strip=True) for a in sidebar.select("a")].count("Methods") == 1  # listed once
    assert "What this part is about." in page(tmp_path / "_book" / "methods.html").get_text()


def test_chapters_numbered_as_quarto_numbers_a_marked_home_page_and_a_titled_chapters_headings(tmp_path):
    # as Quarto 1.6 rendered a public book of notebooks: its index.qmd, saved with a byte order mark, became
    # chapter 1 listed by its page's name; a chapter titled in its front matter numbers its "#" headings on
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  title: Marked\n  chapters:\n"
                                          "    - index.qmd\n    - titled.qmd\nformat: html\n")
    (tmp_path / "index.qmd").write_bytes("\ufeff# Preface {.unnumbered}\n\nHello.\n".encode())
    (tmp_path / "titled.qmd").write_text("---\ntitle: Titled\n---\n\nIntro.\n\n# Later part\n\n## Detail\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    home = page(tmp_path / "_book" / "index.html")
    assert [" ".join(a.get_text().split()) for a in home.select("#quarto-sidebar li a")] == [
        "1 index.html", "2 Titled"]
    assert home.select_one("h1.title").get_text() == "Marked"  # the book's title block, no number
    assert " ".join(home.select_one("h1.unnumbered").get_text().split()) == "Preface"
    titled = page(tmp_path / "_book" / "titled.html")
    assert " ".join(titled.select_one("h1.title").get_text().split()) == "2 Titled"
    assert [" ".join(h.get_text().split()) for h in titled.select("h1:not(.title), h2")
            if not h.find_parent("nav")] == ["3 Later part", "3.1 Detail"]


def test_output_ext_writes_a_deck_beside_its_page_and_the_site_keeps_the_page_its_own(tmp_path):
    # a course's lectures: each a page and a deck, the deck named by output-ext (Quarto's option)
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Lectures\n"
                                          "format:\n  html: default\n  revealjs:\n    output-ext: revealjs.html\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Lecture one\n---\n\n## Arrays\n\nSlices and views.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    page_html = page(tmp_path / "_site" / "index.html")
    deck = page(tmp_path / "_site" / "index.revealjs.html")
    assert "quarto-site" in page_html.body["class"] and page_html.select_one(".reveal") is None
    assert deck.select_one("div.reveal") is not None and "quarto-site" not in (deck.body.get("class") or [])
    # a site with neither navbar nor sidebar has no search field (Quarto puts it in one or the other)
    assert page_html.select_one("header#quarto-header") is None and page_html.select_one(".site-search") is None
    assert "Slices and views." in deck.get_text()


def test_a_page_framing_the_sites_own_deck_links_it_and_a_render_list_entry_matching_nothing_is_skipped(tmp_path):
    # a course site's lecture page shows its deck in an <iframe> (as the embedio extension writes it); the
    # render list names a folder the course has not written yet, as Quarto's own published sites do
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\n  render:\n    - '*.qmd'\n    - lab/*.qmd\n"
                                          "  resources:\n    - slides\nwebsite:\n  title: Course\n")
    (tmp_path / "index.qmd").write_text(
        "---\ntitle: Lecture one\n---\n\n## Slides\n\n"
        '```{=html}\n<div class="ratio"><iframe class="slide-deck" src="slides/deck.html" height="600px">'
        "</iframe></div>\n```\n")
    (tmp_path / "slides").mkdir()
    (tmp_path / "slides" / "deck.qmd").write_text("---\ntitle: Deck one\nformat: revealjs\n---\n\n## Arrays\n\n"
                                                  "Slices and views.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "lab/*.qmd, which matches nothing here" in done.stderr and "not found" not in done.stderr
    frame = page(tmp_path / "_site" / "index.html").select_one("iframe.slide-deck")
    assert frame["src"] == "slides/deck.html"  # a link to the deck beside it, as in Quarto, not the deck copied in
    assert "Slices and views." in (tmp_path / "_site" / "slides" / "deck.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("style", ["floating", "docked"])
def test_a_floating_sidebar_sits_beside_the_text_and_a_docked_one_at_the_windows_edge(tmp_path, style):
    settings = "" if style == "floating" else "    style: docked\n"  # floating: Quarto's default
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Notes\n  sidebar:\n"
                                          f"{settings}    contents: [index.qmd, two.qmd]\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: One\ndescription: The first of two\n---\n\nWords.\n")
    (tmp_path / "two.qmd").write_text("---\ntitle: Two\n---\n\nMore words.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    with Browser(1600, 900) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        side, text, rule = browser.evaluate(
            "[document.querySelector('nav.site-sidebar').getBoundingClientRect().toJSON(),"
            " document.querySelector('main, #quarto-document-content').getBoundingClientRect().toJSON(),"
            " getComputedStyle(document.querySelector('nav.site-sidebar')).borderRightWidth]")
    if style == "floating":
        assert side["left"] > 40 and 0 <= text["left"] - side["right"] < 60 and rule == "0px"
    else:
        assert side["left"] == 0 and rule == "1px"


# Quarto's own pages measured in Chromium (a scrollbar takes 15px of the window): [sidebar, text, contents]
QUARTO_GRIDS = [
    # DS-100 course notes (Quarto 1.8), docked, with contents: the text grows to 1000px - 3em, then stays left
    ("docked", True, False, 1600, [[0, 226], [251, 1200], [1226, 1426]]),
    ("docked", True, False, 1920, [[0, 226], [251, 1200], [1226, 1426]]),
    # CPSC 330 lecture page (Quarto 1.5), floating, no contents: sidebar and text centred together
    ("floating", False, False, 1280, [[108, 358], [383, 1132], None]),
    ("floating", False, False, 1000, [[26, 276], [301, 934], None]),
    # DeepLearningForActuaries home page (Quarto 1.7), floating, with contents
    ("floating", True, False, 1600, [[143, 393], [418, 1167], [1193, 1443]]),
    ("floating", True, False, 1100, [[26, 237], [262, 823], [849, 1060]]),
    # Network Science notes' chapter 3 (Quarto 1.6), floating, contents and margin notes: Quarto's "slimcontent",
    # the text at most 750px - 3em
    ("floating", True, True, 1100, [[25, 253], [278, 807], [832, 1060]]),
    ("floating", True, True, 1400, [[68, 318], [343, 1042], [1067, 1317]]),
    ("floating", True, True, 1920, [[328, 578], [603, 1302], [1327, 1577]]),
    # docked with margin notes: Quarto's docked slimcontent template (its _bootstrap-mixins.scss, 17px type) laid
    # out by Chromium's own grid
    ("docked", True, True, 1280, [[0, 226], [251, 914], [940, 1240]]),
    ("docked", True, True, 1600, [[0, 226], [251, 950], [976, 1276]]),
]


@pytest.mark.parametrize("style, contents, margin, width, expected", QUARTO_GRIDS)
def test_a_sidebars_page_takes_quartos_grid(tmp_path, style, contents, margin, width, expected):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Notes\n  sidebar:\n"
                                          f"    style: {style}\n    contents: [index.qmd]\nformat:\n  html:\n"
                                          f"    toc: {'true' if contents else 'false'}\n")
    words = "Words and more words. " * 600  # long enough for a scrollbar, as on the pages measured
    note = "\n\n::: {.column-margin}\nA note in the margin.\n:::\n" if margin else ""
    (tmp_path / "index.qmd").write_text(f"---\ntitle: One\n---\n\n## First\n\n{words}{note}\n\n## Second\n\n{words}\n")
    assert render_project(tmp_path).returncode == 0
    measure = ("[...['nav.site-sidebar', 'main p', 'nav#TOC']].map(s => document.querySelector(s))"
               ".map(e => e && e.getBoundingClientRect()).map(r => r && [Math.round(r.left), Math.round(r.right)])")
    with Browser(width, 900) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        seen = browser.evaluate(measure)
    for name, got, want in zip(("sidebar", "text", "contents"), seen, expected, strict=True):
        assert (got is None) == (want is None), name
        if want:
            assert abs(got[0] - want[0]) <= 2 and abs(got[1] - want[1]) <= 2, (name, got, want)


def test_a_grids_body_width_is_the_most_the_text_takes_so_the_contents_stay_in_the_window(tmp_path):
    # quarto.org's grid (body-width: 900px, margin-width: 300px) on a 1280px window: Quarto's text gives way
    # (the body width is its grid track's most); here it was 900px wide and pushed the contents out of sight
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Notes\n  sidebar:\n"
                                          "    contents: [index.qmd]\nformat:\n  html:\n    toc: true\n    grid:\n"
                                          "      sidebar-width: 250px\n      body-width: 900px\n"
                                          "      margin-width: 300px\n")
    words = "Words and more words. " * 300
    (tmp_path / "index.qmd").write_text(f"---\ntitle: One\n---\n\n## First\n\n{words}\n\n## Second\n\n{words}\n")
    assert render_project(tmp_path).returncode == 0
    measure = ("[document.documentElement.scrollWidth, document.documentElement.clientWidth].concat("
               "[...['main p', 'nav#TOC']].map(s => document.querySelector(s).getBoundingClientRect())"
               ".map(r => [Math.round(r.left), Math.round(r.right)]))")
    with Browser(1280, 900) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        narrow = browser.evaluate(measure)
    with Browser(1920, 900) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        wide = browser.evaluate(measure)
    scroll, client, text, contents = narrow
    assert scroll <= client and contents[1] <= client and text[1] < contents[0], narrow  # all in the window
    assert wide[2][1] - wide[2][0] == 900, wide  # room enough: the text its 900px, as asked


def test_a_sidebars_sections_are_spaced_as_its_pages_are(tmp_path):
    # Quarto 1.5's book (Python for Data Science, flatly): every entry about 24.5px below the one above, a part's
    # title (with its chevron) and its first page too; a section's title had a second margin here (30px)
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: Notes\n  sidebar:\n    style: docked\n    contents:\n"
        "      - index.qmd\n      - section: Part one\n        contents: [a.qmd, b.qmd]\n"
        "      - section: Part two\n        contents: [c.qmd]\nformat:\n  html:\n    theme: flatly\n")
    for name in ("index", "a", "b", "c"):
        (tmp_path / f"{name}.qmd").write_text(f"---\ntitle: {name.upper()}\n---\n\nWords.\n")
    assert render_project(tmp_path).returncode == 0
    with Browser(1280, 900) as browser:
        browser.open((tmp_path / "_site" / "a.html").as_uri())
        tops = browser.evaluate("[...document.querySelectorAll('nav.site-sidebar a.sidebar-link, "
                                "nav.site-sidebar .sidebar-section-title')].map(e => e.getBoundingClientRect().top)")
        ground = browser.evaluate("getComputedStyle(document.querySelector('nav.site-sidebar')).backgroundColor")
    # on flatly's light ground, $light, as Quarto's docked sidebars (Coding for Economists, Quarto 1.9)
    assert ground == "rgb(236, 240, 241)"
    steps = [round(b - a) for a, b in itertools.pairwise(tops)]
    # after a part's last page the next part starts a little lower (Quarto: 30px)
    assert len(steps) == 5 and all(22 <= step <= 27 for step in steps[:3]) and 26 <= steps[3] <= 31, steps


def test_a_sites_sidebar_and_contents_carry_quartos_markup_and_its_code_looks_as_quartos(tmp_path):
    # Quarto 1.8's page (the Data 100 course notes, a docked sidebar, cosmo): authors' stylesheets and scripts
    # address the sidebar's and the contents' classes; a heading's code sits on a light grey in the text's weight,
    # the contents' code bare; the contents' title 19px from the top; a float's table 8.5px under its caption
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: Notes\n  sidebar:\n    style: docked\n    contents:\n"
        "      - index.qmd\n      - section: Pandas\n        contents: [frames.qmd]\n"
        "format:\n  html:\n    theme: cosmo\n    toc: true\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nWords.\n")
    (tmp_path / "frames.qmd").write_text("---\ntitle: Frames\n---\n\n## `DataFrame`s and indices\n\nWords.\n\n"
                                         "## More\n\n| a |\n|---|\n| 1 |\n\n: Ones {#tbl-ones}\n")
    assert render_project(tmp_path).returncode == 0
    frames = page(tmp_path / "_site" / "frames.html")
    sidebar = frames.select_one("nav#quarto-sidebar.sidebar.sidebar-navigation > .sidebar-menu-container > ul")
    entries = sidebar.select(":scope > li.sidebar-item")
    assert [e.select_one(":scope > .sidebar-item-container .menu-text").get_text() for e in entries] == ["Home",
                                                                                                        "Pandas"]
    assert "sidebar-item-section" in entries[1]["class"]
    link = entries[1].select_one("ul.sidebar-section.depth1 > li.sidebar-item > div.sidebar-item-container > "
                                 "a.sidebar-item-text.sidebar-link.active > span.menu-text")
    assert link.get_text() == "Frames"
    # the header as Quarto's (authors' rules name its utility classes), its title a link to the home page
    title = frames.select_one("nav#quarto-sidebar > div.pt-lg-2.mt-2.text-left.sidebar-header > "
                              ".sidebar-title.mb-0.py-0 > a")
    assert title.get_text() == "Notes" and title["href"] == "index.html"
    assert {"nav-sidebar", "docked"} <= set(frames.body["class"])  # Quarto's body classes for the layout
    assert frames.select_one("nav#quarto-sidebar > div.sidebar-search input[type=search]") is not None
    # a page outside any section is its own one breadcrumb (in the bar that stands for the sidebar on a phone)
    home = page(tmp_path / "_site" / "index.html").select("nav.quarto-secondary-nav li.breadcrumb-item a")
    assert [(a.get_text(), a["href"]) for a in home] == [("Home", "index.html")]
    assert frames.select_one("div#quarto-margin-sidebar.sidebar.margin-sidebar > nav#TOC") is not None
    # the sidebar, the contents' column and the text in Quarto's content area, as its site template has them
    area = frames.select_one("div#quarto-content.quarto-container.page-columns.page-rows-contents.page-layout-article")
    assert [child.get("id") for child in area.find_all(recursive=False) if child.get("id")] == \
        ["quarto-sidebar", "quarto-margin-sidebar", "quarto-document-content"]
    assert [(a["class"], a["data-scroll-target"]) for a in frames.select("nav#TOC a")] == [
        (["nav-link"], "#dataframes-and-indices"), (["nav-link"], "#more")]
    with Browser(1400, 1000) as browser:
        browser.open((tmp_path / "_site" / "frames.html").as_uri())
        seen = browser.evaluate("""(() => { const style = q => getComputedStyle(document.querySelector(q));
            const box = q => document.querySelector(q).getBoundingClientRect();
            return {heading: [style('h2 code').backgroundColor, style('h2 code').fontWeight],
                    toc: [style('nav#TOC code').backgroundColor, style('nav#TOC code').paddingLeft],
                    title: Math.round(box('#toc-title').top),
                    gap: box('#tbl-ones table').top - box('#tbl-ones figcaption').bottom}; })()""")
        browser.resize(500, 800)  # a phone's screen: Quarto's root size stays 17px
        phone = browser.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert phone == "17px"
    assert seen["heading"] == ["rgb(248, 249, 250)", "400"], seen
    assert seen["toc"] == ["rgba(0, 0, 0, 0)", "0px"] and seen["title"] == 19, seen
    assert abs(seen["gap"] - 8.5) <= 1, seen


@pytest.mark.parametrize("style, navbar, ground, entries", [
    # flatly's $light, as Quarto's (Coding for Economists, Quarto 1.9), the entries' colours read on it
    ("docked", False, "rgb(236, 240, 241)", ["rgb(12, 90, 75)", "rgb(78, 79, 80)"]),
    # the page's own ground (KIT's numerics book, Quarto 1.7: white; its entries' grey 89, 89, 89), the page's own
    # entry flatly's link colour darkened by Quarto's accessibleContrast to 7:1 on white (12.72, 99.64, 82.68)
    ("floating", False, "rgba(0, 0, 0, 0)", ["rgb(13, 100, 83)", "rgb(89, 89, 89)"]),
    # under a navbar, the page's ground too (Quarto's $sidebar-bg)
    ("docked", True, "rgb(255, 255, 255)", ["rgb(13, 100, 83)", "rgb(89, 89, 89)"])])
def test_a_sidebar_lies_on_the_themes_light_ground_only_when_docked_without_a_navbar(tmp_path, style, navbar, ground,
                                                                                    entries):
    bar = "  navbar:\n    left: [index.qmd]\n" if navbar else ""
    (tmp_path / "_quarto.yml").write_text(
        f"project:\n  type: website\nwebsite:\n  title: Notes\n{bar}  sidebar:\n    style: {style}\n"
        "    contents: [index.qmd, two.qmd]\nformat:\n  html:\n    theme: flatly\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nWords.\n")
    (tmp_path / "two.qmd").write_text("---\ntitle: Two\n---\n\nMore words.\n")
    assert render_project(tmp_path).returncode == 0
    with Browser(1280, 900) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        seen = browser.evaluate("getComputedStyle(document.querySelector('nav.site-sidebar')).backgroundColor")
        colours = browser.evaluate("[...document.querySelectorAll('nav.site-sidebar a.sidebar-link')]"
                                   ".map(a => getComputedStyle(a).color)")
    assert seen == ground
    assert colours == entries  # the page's own entry, then the other


def test_a_pages_aliases_send_its_old_addresses_on_to_it(tmp_path):
    # Python for Data Science's home page names its old address (aliases: [welcome.html]); Quarto writes a
    # redirect page there, and for a folder's alias its index.html
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Site\n", encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nWelcome.\n", encoding="utf-8")
    (tmp_path / "notes" / "intro.qmd").write_text(
        "---\ntitle: Intro\naliases: [old-intro.html, /archive/, ../index.html, ../../outside.html]\n---\n\n"
        "## Start {#start}\n\nThe introduction.\n", encoding="utf-8")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "_site"
    assert (site / "notes" / "old-intro.html").is_file() and (site / "archive" / "index.html").is_file()
    assert page(site / "notes" / "old-intro.html").body.get_text().strip() == ""  # as Quarto's: no text of its own
    assert "Welcome." in page(site / "index.html").get_text()  # a page of the site is never replaced
    assert "aliases: ../index.html is a page of the site" in done.stderr
    assert "aliases: ../../outside.html leaves the site" in done.stderr and not (tmp_path / "outside.html").exists()
    with Browser(1000, 700) as browser:
        # (waited for where the redirect lands: under load the old page may still be loaded when the title is read)
        browser.open((site / "archive" / "index.html").as_uri() + "#start",
                     wait_for="location.pathname.endsWith('/notes/intro.html') && document.readyState === 'complete'")
        assert browser.evaluate("document.title") == "Intro – Site"
        assert browser.evaluate("location.hash") == "#start"


def test_a_sidebar_with_an_id_shows_only_on_the_pages_it_lists_and_a_page_may_turn_its_sidebar_off(tmp_path):
    # a course site: the lectures' sidebar (with an id) is not the home page's, as Quarto picks sidebars
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Course\n  navbar:\n"
                                          "    left: [index.qmd, one.qmd]\n  sidebar:\n    - id: lectures\n"
                                          "      contents: [one.qmd, two.qmd]\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nWelcome.\n")
    (tmp_path / "one.qmd").write_text("---\ntitle: One\n---\n\nFirst.\n")
    (tmp_path / "two.qmd").write_text("---\ntitle: Two\nsidebar: false\n---\n\nSecond.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    shown = {name: page(tmp_path / "_site" / f"{name}.html").select_one("nav.site-sidebar") is not None
             for name in ("index", "one", "two")}
    assert shown == {"index": False, "one": True, "two": False}


def test_a_frame_of_a_local_page_is_embedded_when_the_author_asks_for_embed_resources(tmp_path):
    (tmp_path / "frame.html").write_text("<html><body><p>Framed words</p></body></html>")
    (tmp_path / "one.qmd").write_text('---\ntitle: One\nembed-resources: true\n---\n\n```{=html}\n'
                                      '<iframe src="frame.html"></iframe>\n```\n')
    done = subprocess.run([sys.executable, "-m", "qmdrender", str(tmp_path / "one.qmd"), "--to", "html",
                           "--output-dir", str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    frame = page(tmp_path / "out" / "one.html").select_one("iframe")
    assert frame["src"].startswith("data:text/html"), frame["src"][:60]  # one file that carries its frame


def test_navbar_and_sidebar_colours_and_options_set_to_false_are_not_named_as_unsupported(tmp_path):
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: Colours\n  bread-crumbs: false\n  cookie-consent: true\n"
        "  navbar:\n    background: light\n    left:\n      - index.qmd\n"
        "  sidebar:\n    background: '#003366'\n    subtitle: test\n    type: dark\n    contents:\n      - index.qmd\n"
        "format: html\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nHello.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stderr.split())
    assert "website: cookie-consent is not supported" in said and "bread-crumbs" not in said
    assert "sidebar: background" not in said and "navbar: background" not in said
    # a sidebar's subtitle and type are in Quarto's schema, and its sidebar shows neither: nothing is left out
    # (a discrete-mathematics course's site, Quarto 1.4)
    assert "sidebar: subtitle" not in said and "sidebar: type" not in said
    with Browser(1280, 600) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        navbar = browser.evaluate("(() => { const s = getComputedStyle(document.querySelector("
                                  "'#quarto-header .navbar')); return [s.backgroundColor, s.color]; })()")
        sidebar = browser.evaluate("(() => { const s = getComputedStyle(document.getElementById('quarto-sidebar'));"
                                   " const a = getComputedStyle(document.querySelector('#quarto-sidebar a'));"
                                   " const on = getComputedStyle(document.querySelector('#quarto-sidebar a.active'));"
                                   " return [s.backgroundColor, a.color, on.color]; })()")
    # light: Bootstrap's light with dark text; a dark colour: white text, as Quarto picks the contrast, the
    # page's own entry too (REN R 213's green sidebar: a blue worked out for the white page did not read there)
    assert navbar == ["rgb(248, 249, 250)", "rgb(33, 37, 41)"]
    assert sidebar[0] == "rgb(0, 51, 102)" and sidebar[2] == "rgb(255, 255, 255)"


def test_a_sidebar_entry_with_text_and_no_page_shows_its_text(tmp_path):
    # Quarto's sidebar-content test: `- text: '<a href=...>Hello World</a>'`, an entry of its own HTML, no href
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Site\n  sidebar:\n"
                                          "    contents:\n      - index.qmd\n"
                                          "      - text: '<a href=\"https://example.com\">Hello World</a>'\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nHello.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    link = page(tmp_path / "_site" / "index.html").select_one("#quarto-sidebar a[href='https://example.com']")
    assert link is not None and link.get_text() == "Hello World"


def test_a_page_in_a_sidebar_section_shows_its_breadcrumbs_and_section_texts_are_markdown(tmp_path):
    config = ("project:\n  type: website\nwebsite:\n  title: Crumbs\n  sidebar:\n    contents:\n      - index.qmd\n"
              "      - section: '**Worksheets**'\n        contents:\n          - lists.qmd\ntheme: default\n")
    (tmp_path / "_quarto.yml").write_text(config)
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nHello.\n")
    (tmp_path / "lists.qmd").write_text("---\ntitle: Lists\n---\n\nItems.\n")
    assert render_project(tmp_path).returncode == 0
    lists = page(tmp_path / "_site" / "lists.html")
    crumbs = lists.select_one("header#title-block-header nav.quarto-title-breadcrumbs")
    assert [li.get_text() for li in crumbs.select("li.breadcrumb-item")] == ["Worksheets", "Lists"]
    # the section's text is Markdown, as Quarto reads it: bold, no asterisks
    section = lists.select_one("nav.site-sidebar .sidebar-section-title")
    assert section.get_text() == "Worksheets" and section.select_one("strong") is not None
    assert crumbs.find_next("h1").get_text() == "Lists" and crumbs.select_one("a")["href"] == "lists.html"
    assert page(tmp_path / "_site" / "index.html").select_one(".quarto-title-breadcrumbs") is None  # no section
    with Browser(1280, 800) as browser:  # Quarto's look: 0.9rem, ">" between, links but the page's own muted
        browser.open((tmp_path / "_site" / "lists.html").as_uri())
        looks = browser.evaluate("[...document.querySelectorAll('.quarto-title-breadcrumbs li')].map(li => ["
                                 "getComputedStyle(li.querySelector('a')).color, getComputedStyle(li, '::before')"
                                 ".content, getComputedStyle(li).fontSize])")
    assert looks == [["rgb(13, 110, 253)", "none", "15.3px"], ["rgb(108, 117, 125)", '">"', "15.3px"]]
    off = config.replace("  title: Crumbs\n", "  title: Crumbs\n  bread-crumbs: false\n")
    (tmp_path / "_quarto.yml").write_text(off)
    done = render_project(tmp_path)
    assert done.returncode == 0 and "bread-crumbs" not in done.stderr
    assert page(tmp_path / "_site" / "lists.html").select_one(".quarto-title-breadcrumbs") is None
    # a theme's own breadcrumb box stays (yeti's padding and border), as on Quarto's pages
    (tmp_path / "_quarto.yml").write_text(config.replace("theme: default", "theme: yeti"))
    assert render_project(tmp_path).returncode == 0
    with Browser(1280, 800) as browser:
        browser.open((tmp_path / "_site" / "lists.html").as_uri())
        box = browser.evaluate("(s => [s.paddingTop, s.paddingLeft, s.borderTopWidth])(getComputedStyle("
                               "document.querySelector('.quarto-title-breadcrumbs ol.breadcrumb')))")
    assert box == ["6.375px", "12.75px", "1px"]
    # a title-block template partial whose header lacks Quarto's .quarto-title-block: no breadcrumbs above the
    # title, as Quarto places them only there (a regression course's pages, Quarto 1.5); the sidebar's bar keeps them
    (tmp_path / "title-block.html").write_text('<header id="title-block-header">\n$if(title)$<h1 class="title">'
                                               '$title$</h1>$endif$\n</header>\n')
    (tmp_path / "_quarto.yml").write_text(config + "format:\n  html:\n    template-partials: [title-block.html]\n")
    assert render_project(tmp_path).returncode == 0
    lists = page(tmp_path / "_site" / "lists.html")
    assert lists.select_one(".quarto-title-breadcrumbs") is None and lists.select_one("h1.title").get_text() == "Lists"
    assert lists.select_one("nav.quarto-secondary-breadcrumbs") is not None
    # ... unless its code tools make one: Quarto wraps the title and the "</> Code" button in a title block,
    # and the breadcrumbs go at its top (the same course's lecture notes, code-tools: true)
    (tmp_path / "_quarto.yml").write_text(config + "format:\n  html:\n    template-partials: [title-block.html]\n"
                                          "    code-tools: true\n")
    assert render_project(tmp_path).returncode == 0
    block = page(tmp_path / "_site" / "lists.html").select_one("header#title-block-header > div.quarto-title-block")
    assert [li.get_text() for li in block.select("nav.quarto-title-breadcrumbs li")] == ["Worksheets", "Lists"]
    assert block.select_one("h1.title").get_text() == "Lists" and block.select_one(".code-tools-button") is not None


def test_sidebar_sections_from_collapse_level_start_closed_unless_they_hold_the_page_and_open_on_click(tmp_path):
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: Sections\n  sidebar:\n    alignment: center\n    border: true\n"
        "    width: 300px\n"
        "    contents:\n"
        "      - index.qmd\n"
        "      - section: Basics\n        contents:\n          - section: Essentials\n            contents:\n"
        "              - a.qmd\n          - section: Lists of the longest and most verbose kind\n"
        "            contents:\n              - b.qmd\n"
        "format: html\n")
    for name in ("index", "a", "b"):
        (tmp_path / f"{name}.qmd").write_text(f"---\ntitle: Page {name}\n---\n\nText.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0 and "align" not in done.stderr and "border" not in done.stderr, done.stderr
    # a key Quarto does not know either is named as such (Quarto's alignment is read; its old align too)
    assert "sidebar: width is not one of Quarto's options" in done.stderr
    shown = ("[...document.querySelectorAll('#quarto-sidebar a.sidebar-link[href]')].filter(a => a.offsetParent)"
             ".map(a => a.textContent)")
    with Browser(1280, 700) as browser:
        browser.open((tmp_path / "_site" / "a.html").as_uri())
        before = browser.evaluate(shown)  # Quarto's collapse-level 2: "Lists" (depth 2) closed, Essentials holds a
        # Quarto's chevron: at the sidebar's right, on the first line of a title that wraps, pointing right
        title, toggle, sidebar = browser.evaluate(
            "(t => [t, t.nextElementSibling, document.getElementById('quarto-sidebar')].map(e => (r => [r.top, "
            "r.bottom, r.left, r.right])(e.getBoundingClientRect())))([...document.querySelectorAll("
            "'.sidebar-section-title')].find(t => t.textContent.startsWith('Lists')))")
        lists = ("[...document.querySelectorAll('ul.sidebar-section')].map(u => [u.id, u.className, "
                 "u.previousElementSibling.lastElementChild.getAttribute('aria-expanded')])")
        closed = browser.evaluate(lists)
        browser.evaluate("[...document.querySelectorAll('.sidebar-section-title')].find(t => t.textContent"
                         ".startsWith('Lists')).click()")
        after = browser.evaluate(shown)
        opened = browser.evaluate(lists)
        centred = browser.evaluate("(() => { const r = document.createRange(); r.selectNodeContents("
                                   "document.querySelector('#quarto-sidebar .sidebar-title'));"
                                   " const b = r.getBoundingClientRect(); return (b.left + b.right) / 2; })()")
        browser_first = browser.evaluate("(e => [e.getBoundingClientRect().left, e.getBoundingClientRect().top + "
                                         "parseFloat(getComputedStyle(e).paddingTop)])(document.querySelector("
                                         "'#quarto-sidebar .sidebar-header, #quarto-sidebar .site-search'))")
        ruled = browser.evaluate("getComputedStyle(document.getElementById('quarto-sidebar')).borderRightWidth")
        # Quarto's search field: a magnifier inside it at the left, no placeholder (Stat 244's site, Quarto 1.6)
        search = browser.evaluate("(() => { const f = document.querySelector('#quarto-sidebar .site-search input');"
                                  " const i = document.querySelector('#quarto-sidebar .site-search-icon svg');"
                                  " const a = f.getBoundingClientRect(), b = i.getBoundingClientRect();"
                                  " return [f.placeholder, b.left - a.left, b.top >= a.top && b.bottom <= a.bottom,"
                                  " document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2) === f]; })()")
    assert search[0] == "" and 5 <= search[1] <= 15 and search[2] and search[3]  # a click there reaches the field
    assert before == ["Page index", "Page a"] and after == ["Page index", "Page a", "Page b"]
    # in Quarto's markup: each section's list #quarto-sidebar-section-N, Bootstrap's "collapse" shown ("show")
    # while open, its title a sidebar-link to nowhere and its toggle a sidebar-item-toggle holding the chevron
    assert closed == [["quarto-sidebar-section-1", "collapse list-unstyled sidebar-section depth1 show", "true"],
                      ["quarto-sidebar-section-2", "collapse list-unstyled sidebar-section depth2 show", "true"],
                      ["quarto-sidebar-section-3", "collapse list-unstyled sidebar-section depth2", "false"]]
    assert opened[2] == ["quarto-sidebar-section-3", "collapse list-unstyled sidebar-section depth2 show", "true"]
    section = page(tmp_path / "_site" / "a.html").select_one("li.sidebar-item-section .sidebar-item-container")
    assert [a["class"] for a in section.select(":scope > a")] == [
        ["sidebar-item-text", "sidebar-link", "text-start", "sidebar-section-title"],
        ["sidebar-item-toggle", "text-start", "sidebar-section-toggle"]]
    assert section.select_one("a.sidebar-item-toggle > i.bi.bi-chevron-right") and not section.a.get("href")
    assert title[1] - title[0] > 1.5 * (toggle[1] - toggle[0])  # the title wraps; the chevron is one line high
    # where Quarto's sidebar starts its entries: 20px in, 14px and the header's 1rem down (before the search box)
    assert sidebar[2] + 20 == browser_first[0] and browser_first[1] >= sidebar[0] + 14 + 16
    assert toggle[0] < title[0] + (toggle[1] - toggle[0]) and toggle[2] >= title[3]  # its first line, right of it
    assert sidebar[3] - toggle[3] < 30  # at the sidebar's right edge
    assert abs(centred - (sidebar[2] + 20 + sidebar[3] - 16) / 2) < 3  # align: center: the title in the middle
    assert ruled == "1px"  # border: true rules off a floating sidebar too


def test_the_books_cover_image_is_on_its_home_page_and_a_left_contents_stays_clear_of_the_text(book):
    cover = page(book["out"] / "index.html").select_one("img.quarto-cover-image")
    assert cover is not None and cover["src"].startswith("data:image/png;base64,") and cover["alt"] == "A red cover"
    assert page(book["out"] / "intro.html").select_one("img.quarto-cover-image") is None  # the home page only
    # under the page's opening heading, as Quarto places it (Python for Data Science's "Welcome", Quarto 1.5)
    assert cover.find_parent("p").find_previous_sibling().get_text().strip() == "Preface"
    with Browser(1280, 900) as browser:  # toc-location: left beside a book's sidebar
        browser.open((book["out"] / "intro.html").as_uri(), wait_for="document.readyState === 'complete'")
        boxes = browser.evaluate("""[...['nav#TOC', 'nav.site-sidebar', 'main p, body > p']].map(s => {
            const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.right]; })""")
    toc, sidebar, text = boxes
    for left, right in (toc, sidebar):
        assert right <= text[0] or left >= text[1], boxes  # neither covers the text


def test_the_books_home_page_shows_the_book_and_each_page_is_titled_by_its_chapter(book):
    home = page(book["out"] / "index.html")
    assert home.select_one("h1.title").get_text() == "Striped Animals"
    # the sidebar's own title, its tools, the repository's icon and the PDF's, in Quarto's order; footer text
    # that links nowhere
    assert home.select_one("nav.site-sidebar .sidebar-title").get_text() == "Stripes"
    assert home.select_one("nav.site-sidebar img.sidebar-logo")["alt"] == "The book's red cover"  # logo-alt
    # the logo leads home, as Quarto's (a.sidebar-logo-link)
    assert home.select_one("a.sidebar-logo-link > img.sidebar-logo").parent["href"] == "index.html"
    tools = home.select("nav.site-sidebar .quarto-sidebar-tools > a")
    assert [(a["href"], a.svg["class"][-1]) for a in tools] == [
        ("https://discord.example/striped", "bi-discord"), ("https://github.com/example/striped", "bi-github"),
        ("Striped-Animals.pdf", "bi-file-pdf")]
    assert tools[-1]["title"] == "Download PDF"
    # sharing: Quarto's Share menu of the services it knows (myspace is not one), each sharing the page itself
    share = home.select_one("nav.site-sidebar .quarto-sidebar-tools details")
    assert share.summary["title"] == "Share" and share.summary.svg["class"][-1] == "bi-share"
    assert [a.get_text() for a in share.select("a")] == ["Facebook", "LinkedIn"]
    with Browser(1280, 800) as browser:
        browser.open((book["out"] / "index.html").as_uri(), wait_for="document.readyState === 'complete'")
        shared = browser.evaluate("(a => { a.onclick.call(a); return a.href; })(document.querySelector("
                                  "'.quarto-sidebar-tools details a'))")
    assert shared.startswith("https://www.facebook.com/sharer/sharer.php?u=file%3A%2F%2F") and \
        shared.endswith("index.html")
    assert home.select_one(".site-footer .nav-footer-center").get_text() == "Ada Example - 2026"
    assert home.select_one(".site-footer a") is None
    assert home.select_one("p.author").get_text() == "Ada Example"
    # the book's description under its title on the home page alone, Markdown read, as Quarto's book shows it
    assert " ".join(home.select_one("header#title-block-header .description").get_text().split()) == \
        "The 2026 edition, by the Stripe Society"
    assert home.select_one(".description a")["href"] == "https://stripes.example"
    assert page(book["out"] / "intro.html").select_one("header#title-block-header .description") is None
    assert home.title.get_text() == "Striped Animals"
    assert home.select_one("nav.site-sidebar .sidebar-menu-container li a").get_text() == "Preface"
    assert page(book["out"] / "intro.html").title.get_text() == "1\u00a0 Introduction \u2013 Striped Animals"
    data = page(book["out"] / "data.html")
    headings = [" ".join(h.get_text().split()) for h in data.select("h1")]
    assert headings == ["Appendix A \u2014 Survey data", "B Field notes"]
    assert data.title.get_text() == "Appendix A \u2014 Survey data \u2013 Striped Animals"


def test_a_warning_every_page_gives_is_said_once_for_the_project(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Notes\n"
                                          "comments:\n  giscus:\n    repo: example/notes\n", encoding="utf-8")
    for name in ("index", "second", "third"):
        (tmp_path / f"{name}.qmd").write_text(f"---\ntitle: {name}\n---\n\nText of {name}.\n", encoding="utf-8")
    done = render_project(tmp_path, "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("giscus needs repo, repo-id and category-id") == 1, done.stderr
    assert {p.name for p in (tmp_path / "_site").glob("*.html")} == {"index.html", "second.html", "third.html"}


def test_a_manuscript_project_renders_its_article_as_a_plain_project_with_a_warning(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: manuscript\nmanuscript:\n  article: paper.qmd\n"
                                          "number-sections: true\n", encoding="utf-8")
    (tmp_path / "paper.qmd").write_text("---\ntitle: A paper\n---\n\n## Methods\n\nWe counted.\n", encoding="utf-8")
    done = render_project(tmp_path, "--to", "html")
    assert done.returncode == 0, done.stderr
    assert "a manuscript project is rendered as a plain one" in done.stderr
    soup = page(tmp_path / "_manuscript" / "paper.html")
    assert soup.select_one("h1.title").get_text() == "A paper"
    assert " ".join(soup.find("h2").get_text().split()) == "1 Methods"  # the project's options apply


def test_shortcodes_in_the_sites_options_and_a_pages_title_are_expanded(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n"
                                          "  title: \"Notes {{< var version >}}\"\n"
                                          "  navbar:\n    left:\n      - href: index.qmd\n"
                                          "        text: \"{{< var course >}} home\"\n      - about.qmd\n"
                                          "      - href: index.qmd\n"
                                          "        text: \"{{< iconify mdi:arrow-left >}} Back\"\n"
                                          "term: Autumn\n")
    (tmp_path / "_variables.yml").write_text("version: 1.2.3\ncourse: STAT-101\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Start\n---\n\nHello.\n")
    (tmp_path / "about.qmd").write_text("---\ntitle: \"{{< meta term >}} term\"\n---\n\nAbout.\n")
    (tmp_path / "untitled.qmd").write_text("Only text.\n")
    (tmp_path / "Headed_Page.qmd").write_text("# My heading\n\nText under it.\n")
    result = render_project(tmp_path)
    assert result.returncode == 0, result.stderr
    home = page(tmp_path / "_site" / "index.html")
    assert home.title.get_text() == "Start – Notes 1.2.3"
    assert home.select_one(".navbar-title").get_text(strip=True) == "Notes 1.2.3"
    assert "STAT-101 home" in home.select_one("nav.navbar").get_text(" ", strip=True)
    assert "{{" not in str(home.select_one("nav.navbar"))
    # an extension's shortcode there that no extension of the project defines (iconify): left out with a
    # warning, its text stays (as text it had widened the navbar until it wrapped and pushed the logo and the
    # tools out of sight)
    assert "Back" in [a.get_text(strip=True) for a in home.select("nav.navbar .nav-link")]
    assert "shortcode {{< iconify >}} in the site's navigation is defined by no extension" in result.stderr
    about = page(tmp_path / "_site" / "about.html")  # a page's title with a shortcode, in the page and the navbar
    assert about.select_one("h1.title").get_text() == "Autumn term" and about.title.get_text().startswith("Autumn")
    assert "Autumn term" in home.select_one("nav.navbar").get_text(" ", strip=True)
    # a page without a title is named after its file, as an identifier, as Quarto names it (pandoc's pagetitle);
    # its opening heading stays a heading of its text under Quarto's empty title block (Quarto 1.8: LS6036's
    # careers page; only a .qmd its Jupyter engine runs takes that heading as its title)
    assert page(tmp_path / "_site" / "untitled.html").title.get_text() == "untitled – Notes 1.2.3"
    headed = page(tmp_path / "_site" / "Headed_Page.html")
    assert headed.title.get_text() == "headed_page – Notes 1.2.3"
    header = headed.select_one("main header#title-block-header")
    assert header is not None and header.get_text(strip=True) == "" and headed.select_one("h1.title") is None
    heading = headed.select_one("main section#my-heading > h1")
    assert heading is not None and heading.get_text() == "My heading"
    assert len(headed.select("main h1")) == 1 and "Text under it." in headed.select_one("main").get_text()


def test_an_untitled_site_pages_first_heading_that_opens_its_container_becomes_its_title(tmp_path):
    # Quarto 1.6+'s website postprocessor: into the empty title block goes the first <h1> that is its parent's
    # first element, or heads a section that is its parent's first (a home page's <div class="bio"><h1>)
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Lab\n")
    (tmp_path / "index.qmd").write_text("---\nformat: html\n---\n\n<p>Intro.</p>\n\n<div class=\"bio\">\n"
                                        "<h1>Hi there!</h1>\n\nI am Ada.\n\n</div>\n\n## Later\n\nMore.\n")
    # (pandoc makes the .hero div the heading's section, the first element of .outer)
    (tmp_path / "hero.qmd").write_text("Text first.\n\n:::: {.outer}\n::: {.hero}\n# Welcome\n\nTo the lab.\n"
                                       ":::\n::::\n")
    (tmp_path / "late.qmd").write_text("::: {.box}\nA line.\n\n# Not a title\n:::\n")
    result = render_project(tmp_path)
    assert result.returncode == 0, result.stderr
    home = page(tmp_path / "_site" / "index.html")
    title = home.select_one("main header#title-block-header > h1.title")
    assert title is not None and title.get_text(strip=True) == "Hi there!"
    assert home.select_one(".bio h1") is None and "I am Ada." in home.select_one(".bio").get_text()
    hero = page(tmp_path / "_site" / "hero.html")
    assert hero.select_one("header#title-block-header > h1.title").get_text(strip=True) == "Welcome"
    assert "To the lab." in hero.select_one(".hero").get_text()
    late = page(tmp_path / "_site" / "late.html")  # after other text in its box: stays where it is
    assert late.select_one("header#title-block-header").get_text(strip=True) == ""
    assert late.select_one(".box h1").get_text(strip=True) == "Not a title"


def test_a_grid_listing_shows_cards_described_and_pictured_by_their_pages_as_quarto_does(tmp_path):
    from PIL import Image

    site = tmp_path / "blog"
    (site / "posts" / "alpha").mkdir(parents=True)
    (site / "posts" / "beta").mkdir(parents=True)
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Blog\n"
                                      "  navbar:\n    left: [index.qmd]\n"
                                      "format:\n  html:\n    theme: [cosmo, look.scss]\n    css: mine.css\n",
                                      encoding="utf-8")
    (site / "look.scss").write_text("/*-- scss:defaults --*/\n$navbar-bg: #f5f5f5;\n", encoding="utf-8")
    # the author's rule for Quarto's listing markup wins over the listing's own layout, as in Quarto
    (site / "mine.css").write_text(".quarto-grid-item { border-radius: 13px; }\n", encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Posts\nlisting:\n  contents: posts\n  type: grid\n"
                                    "  categories: true\n---\n", encoding="utf-8")
    long = " ".join(["Word"] * 60)  # 299 characters: cut at 175, at a space, with an ellipsis
    (site / "posts" / "beta" / "index.qmd").write_text(
        f"---\ntitle: Beta post\ndate: Dec 24 2022\ncategories: [maths]\ntitle-block-banner: true\n---\n\n{long}\n\n"
        "![A plot](plot.png)\n",
        encoding="utf-8")
    Image.new("RGB", (60, 40), (20, 120, 200)).save(site / "posts" / "beta" / "plot.png")
    (site / "posts" / "_metadata.yml").write_text("author: The team\n", encoding="utf-8")  # under front matter
    (site / "posts" / "alpha" / "index.qmd").write_text(
        "---\ntitle: Alpha post\ndescription: Set by hand.\nauthor: Ada\n---\n\nText of alpha.\n", encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    soup = page(site / "_site" / "index.html")
    cards = soup.select("#listing-listing .list.grid.quarto-listing-cols-3 .g-col-1")
    # without sort: by title; the link wraps the card
    assert [c.select_one("h5.card-title.listing-title").get_text() for c in cards] == ["Alpha post", "Beta post"]
    assert cards[0].select_one("a.quarto-grid-link")["href"] == "posts/alpha/index.html"
    assert cards[0].select_one(".listing-description").get_text() == "Set by hand."
    assert cards[0].select_one(".card-attribution .listing-author").get_text() == "Ada"
    assert cards[0].select_one(".listing-item-img-placeholder")  # no image anywhere: the empty placeholder
    described = cards[1].select_one(".listing-description").get_text()
    assert described.endswith("…") and len(described) <= 176 and described.startswith("Word Word")
    assert cards[1].select_one(".listing-date").get_text() == "Dec 24, 2022"  # a free-form date, read
    assert cards[1].select_one(".listing-author").get_text() == "The team"  # the folder's _metadata.yml
    assert [c.get_text() for c in cards[1].select(".listing-category")] == ["maths"]
    image = cards[1].select_one("p.card-img-top img.thumbnail-image")
    assert image is not None and image["src"].startswith("data:image/png")  # the page's own figure
    with Browser(1280, 900) as browser:
        browser.open((site / "_site" / "index.html").as_uri(), wait_for="document.readyState === 'complete'")
        seen = browser.evaluate("""(() => {
            const cards = [...document.querySelectorAll('.quarto-grid-item')].map(c => c.getBoundingClientRect());
            const navbar = getComputedStyle(document.querySelector('#quarto-header .navbar'));
            return {tops: cards.map(r => Math.round(r.top)), lefts: cards.map(r => Math.round(r.left)),
                    radius: getComputedStyle(document.querySelector('.quarto-grid-item')).borderTopLeftRadius,
                    navbar: navbar.backgroundColor};
        })()""")
        browser.open((site / "_site" / "posts" / "beta" / "index.html").as_uri(),
                     wait_for="document.readyState === 'complete'")
        banner = browser.evaluate("getComputedStyle(document.querySelector('header#title-block-header "
                                  ".quarto-title-banner')).backgroundColor")
        # Quarto's banner: a band across the window under the navbar, the title on it in the text's column
        band = browser.evaluate("(() => { const b = document.querySelector('.quarto-title-banner')"
                                ".getBoundingClientRect(); return [b.left, b.right, b.top, document.documentElement"
                                ".clientWidth, document.querySelector('#quarto-header').getBoundingClientRect().bottom,"
                                " document.querySelector('.quarto-title-banner h1.title').getBoundingClientRect().left,"
                                " document.querySelector('main p').getBoundingClientRect().left]; })()")
        browser.open((site / "_site" / "posts" / "alpha" / "index.html").as_uri(),
                     wait_for="document.readyState === 'complete'")
        gap = browser.evaluate("document.querySelector('header#title-block-header').getBoundingClientRect().top - "
                               "document.querySelector('#quarto-header').getBoundingClientRect().height")
    assert abs(gap - 30) < 1  # a themed site's title 1rem + 13px under the navbar, as Quarto's (cpsc330)
    assert seen["tops"][0] == seen["tops"][1] and seen["lefts"][0] < seen["lefts"][1]  # side by side, in a grid
    assert seen["radius"] == "13px" and seen["navbar"] == "rgb(245, 245, 245)"  # $navbar-bg of the theme
    assert banner == "rgb(245, 245, 245)"  # title-block-banner: true takes the navbar's colour, as in Quarto
    left, right, top, width, navbar_bottom, title_left, text_left = band
    assert left == 0 and abs(right - width) < 1 and abs(top - navbar_bottom) < 1 and abs(title_left - text_left) < 1


def test_a_grid_cards_corners_and_subtitle_are_the_themes_as_in_quarto(tmp_path):
    # a lab's people page: cards with a role as subtitle. Quarto's cosmo cards are square (the theme has no rounded
    # corners) and the subtitle is text (its bold rule is for .card-subtitle.subtitle); unthemed, the report's card
    site = tmp_path / "lab"
    (site / "people").mkdir(parents=True)
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Lab\n", encoding="utf-8")
    listing = "listing:\n  contents: people\n  type: grid\n  fields: [title, subtitle]\n"
    (site / "index.qmd").write_text(f"---\ntitle: People\ntheme: cosmo\n{listing}---\n", encoding="utf-8")
    (site / "plain.qmd").write_text(f"---\ntitle: People\n{listing}---\n", encoding="utf-8")
    (site / "people" / "ada.qmd").write_text("---\ntitle: Ada\nsubtitle: Lab Director\n---\n\nText.\n",
                                             encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    looks = {}
    with Browser(1280, 900) as browser:
        for name in ("index", "plain"):
            browser.open((site / "_site" / f"{name}.html").as_uri(), wait_for="document.readyState === 'complete'")
            looks[name] = browser.evaluate("""(() => {
                const card = getComputedStyle(document.querySelector('.quarto-grid-item'));
                const role = document.querySelector('.quarto-grid-item .listing-subtitle');
                const heading = document.querySelector('main').appendChild(document.createElement('h5'));
                const title = getComputedStyle(document.querySelector('.quarto-grid-item .card-title')).fontSize;
                const listing = getComputedStyle(document.querySelector('div.quarto-listing'));
                return [card.borderTopLeftRadius, card.borderTopWidth, role.textContent.trim(),
                        getComputedStyle(role).fontWeight, title === getComputedStyle(heading).fontSize,
                        listing.marginTop];
            })()""")
    # the card's title an h5 of the theme's size, as Quarto sets none of its own (DevStart's 1.1rem theme)
    # ... and the listing right under the title, with no margin of its own (a code listing's is not a site's)
    assert looks["index"] == ["0px", "1px", "Lab Director", "400", True, "0px"]
    radius, border, role, weight, _, margin = looks["plain"]
    assert radius != "0px" and border == "1px" and (role, weight, margin) == ("Lab Director", "400", "0px")


def test_a_listing_of_items_written_in_yaml_shows_their_fields_in_their_order(tmp_path):
    site = tmp_path / "course"
    site.mkdir()
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Course\n", encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Schedule\nlisting:\n  - contents: schedule.yml\n    type: table\n"
                                    "  - id: readings\n    contents: [lecture.qmd]\n    type: table\n"
                                    "    fields: [title, summary]\n    field-display-names:\n      summary: Summary\n"
                                    "    feed: true\n---\n\n::: {#readings .shelf}\n:::\n", encoding="utf-8")
    (site / "schedule.yml").write_text("- week: 2\n  title: Zeta sampling\n  date: 2026-01-19\n"
                                       "  path: https://example.org/sampling\n- week: 1\n  title: Tokens\n"
                                       "  date: Jan 5 2026\n  slides: tokens.pdf\n", encoding="utf-8")
    (site / "lecture.qmd").write_text("---\ntitle: Lecture on `numpy`\ndate: 2026-01-12\nsummary: Arrays and *views*\n"
                                      "---\n\nText.\n", encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    soup = page(site / "_site" / "index.html")
    table = soup.select_one("#listing-listing table.quarto-listing-table")
    # items from YAML alone: every field they have (path is the link), in the file's order
    assert [th.get_text() for th in table.select("thead th")] == ["week", "Title", "Date", "slides"]
    rows = [[td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert rows == [["2", "Zeta sampling", "Jan 19, 2026", ""], ["1", "Tokens", "Jan 5, 2026", "tokens.pdf"]]
    assert table.select_one("a.listing-title")["href"] == "https://example.org/sampling"
    assert "listing: feed (an RSS feed) is not supported" in done.stderr  # named, not dropped silently
    # the empty div that has the listing's id becomes the listing, keeping its classes (Quarto renames it)
    readings = soup.select_one("main div#listing-readings.shelf.quarto-listing")
    assert readings is not None and soup.select_one("#readings") is None
    assert readings.select_one("a.listing-title")["href"] == "lecture.html"
    # the author's heading for a field, and Markdown in titles and fields, as Quarto shows them
    assert [th.get_text() for th in readings.select("thead th")] == ["Title", "Summary"]
    assert readings.select_one("a.listing-title code").get_text() == "numpy"
    assert readings.select_one(".listing-summary em").get_text() == "views"
    # a table's sort menu and filter box (Quarto's sort-ui and filter-ui, on for tables)
    with Browser(1280, 900) as browser:
        browser.open((site / "_site" / "index.html").as_uri(), wait_for="document.readyState === 'complete'")
        rows = ("[...document.querySelectorAll('#listing-listing tbody tr')].filter(r => r.offsetParent !== null)"
                ".map(r => r.querySelector('.listing-title').innerText)")
        assert browser.evaluate(rows) == ["Zeta sampling", "Tokens"]
        browser.evaluate("""(() => { const box = document.querySelector('#listing-listing input');
            box.value = 'tok'; box.dispatchEvent(new Event('input', {bubbles: true})); })()""")
        assert browser.evaluate(rows) == ["Tokens"]
        browser.evaluate("""(() => { const box = document.querySelector('#listing-listing input');
            box.value = ''; box.dispatchEvent(new Event('input', {bubbles: true}));
            const menu = document.querySelector('#listing-listing select');
            menu.selectedIndex = [...menu.options].findIndex(o => o.textContent === 'Title');
            menu.dispatchEvent(new Event('change', {bubbles: true})); })()""")
        assert browser.evaluate(rows) == ["Tokens", "Zeta sampling"]
        browser.evaluate("""(() => { const menu = document.querySelector('#listing-listing select');
            menu.selectedIndex = [...menu.options].findIndex(o => o.textContent === 'Date - Oldest');
            menu.dispatchEvent(new Event('change', {bubbles: true})); })()""")
        assert browser.evaluate(rows) == ["Tokens", "Zeta sampling"]  # by date, however the date was written


def test_a_listings_contents_find_a_named_page_in_any_subfolder_as_quartos_globs_do(tmp_path):
    # Quarto reads each entry of a listing's contents as a glob under "**/" (a course's pathway page lists
    # '01_introduction.qmd' for sessions_core/01_introduction.qmd, Quarto 1.8); "./" keeps it to the page's folder
    site = tmp_path / "course"
    (site / "sessions").mkdir(parents=True)
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Course\n", encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Pathway\nlisting:\n  contents: [02_b.qmd, 01_a.qmd, ./top.qmd]\n"
                                    "  sort: false\n  type: table\n---\n", encoding="utf-8")
    for name, title in [("sessions/01_a.qmd", "First"), ("sessions/02_b.qmd", "Second"),
                        ("sessions/top.qmd", "Nested top"), ("top.qmd", "Top")]:
        (site / name).write_text(f"---\ntitle: {title}\n---\n\nText.\n", encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    soup = page(site / "_site" / "index.html")
    links = [(a.get_text(), a["href"]) for a in soup.select("#listing-listing a.listing-title")]
    assert links == [("Second", "sessions/02_b.html"), ("First", "sessions/01_a.html"), ("Top", "top.html")]
    # a listing in a folder: its "*.qmd" are that folder's pages, not the site's home above it (a review series'
    # slides/index.qmd listed the site's home and about page)
    (site / "sessions" / "index.qmd").write_text("---\ntitle: Sessions\nlisting:\n  contents: \"*.qmd\"\n"
                                                 "  type: table\n---\n", encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    soup = page(site / "_site" / "sessions" / "index.html")
    listed = sorted(a["href"] for a in soup.select("#listing-listing a.listing-title"))
    assert listed == ["01_a.html", "02_b.html", "top.html"]


def test_listing_categories_are_listed_in_the_margin_and_filter_the_items(tmp_path):
    site = tmp_path / "blog"
    for name, categories in (("one", "[maths, code]"), ("two", "[code]"), ("three", "[]")):
        (site / "posts").mkdir(parents=True, exist_ok=True)
        front = f"---\ntitle: Post {name}\ncategories: {categories}\n---\n\nText.\n"
        (site / "posts" / f"{name}.qmd").write_text(front, encoding="utf-8")
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Blog\n", encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Blog\nlisting:\n  contents: posts\n  categories: true\n"
                                    "  page-size: 2\n  filter-ui: true\n---\n", encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    soup = page(site / "_site" / "index.html")
    entries = [" ".join(c.get_text().split()) for c in soup.select(".quarto-listing-category .category")]
    assert entries == ["All (3)", "code (2)", "maths (1)"]  # alphabetical, counted, as Quarto lists them
    # the listing at the end of the page's text (the page names no place for it), its categories the margin column
    assert soup.select_one("main.content #listing-listing") is not None
    assert len(soup.select("#quarto-margin-sidebar")) == 1
    with Browser(1400, 900) as browser:
        browser.open((site / "_site" / "index.html").as_uri(), wait_for="document.readyState === 'complete'")
        active = "[...document.querySelectorAll('.category.active')].map(c => c.innerText)"
        assert browser.evaluate(active) == []  # none chosen yet: "All" too is plain, as on Quarto's page
        visible = ("[...document.querySelectorAll('.quarto-post')].filter(p => p.offsetParent !== null)"
                   ".map(p => p.querySelector('.listing-title').innerText)")
        assert browser.evaluate(visible) == ["Post one", "Post three"]  # page-size: 2, then page links
        browser.evaluate("[...document.querySelectorAll('.listing-pagination a')].find(a => a.innerText === '2')"
                         ".click()")
        assert browser.evaluate(visible) == ["Post two"]
        browser.evaluate("[...document.querySelectorAll('.category')].find(c => c.innerText.startsWith('maths'))"
                         ".click()")
        assert browser.evaluate(visible) == ["Post one"] and "category=maths" in browser.evaluate("location.hash")
        assert browser.evaluate(active) == ["maths (1)"]
        panel = browser.evaluate("document.querySelector('#quarto-margin-sidebar').getBoundingClientRect().left")
        main = browser.evaluate("document.querySelector('.quarto-listing').getBoundingClientRect().right")
        assert panel > main  # beside the listing, in the margin
        # from the top of the text, beside the title, as Quarto's margin sidebar starts (a blog's archive page)
        tops = browser.evaluate("['#quarto-margin-sidebar', 'h1.title'].map(s => "
                                "Math.round(document.querySelector(s).getBoundingClientRect().top))")
        assert abs(tops[0] - tops[1]) <= 12, tops
        browser.evaluate("[...document.querySelectorAll('.category')].find(c => c.innerText.startsWith('All'))"
                         ".click()")
        assert browser.evaluate(visible) == ["Post one", "Post three"]
        # a category and the filter box together: each keeps what it keeps, whichever is changed last
        browser.evaluate("[...document.querySelectorAll('.category')].find(c => c.innerText.startsWith('code'))"
                         ".click()")
        assert browser.evaluate(visible) == ["Post one", "Post two"]
        typed = ("(words => { const box = document.querySelector('.quarto-listing-filter input'); box.value = words;"
                 " box.dispatchEvent(new Event('input', {bubbles: true})); })")
        browser.evaluate(f"{typed}('two')")
        assert browser.evaluate(visible) == ["Post two"]
        browser.evaluate(f"{typed}('')")
        assert browser.evaluate(visible) == ["Post one", "Post two"]  # still only the category's


def test_a_listed_posts_own_image_is_copied_into_the_site_beside_its_page(tmp_path):
    # a blog post's "image: image.jpeg" (beside its index.qmd, a folder name with a space) is its thumbnail in the
    # listing, which points at the file beside the post's page; Quarto copies it there
    from PIL import Image

    site = tmp_path / "blog"
    post = site / "posts" / "first post"
    post.mkdir(parents=True)
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Blog\n", encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Blog\nlisting:\n  contents: posts\n---\n", encoding="utf-8")
    (post / "index.qmd").write_text("---\ntitle: First\nimage: image.jpeg\n---\n\nText.\n", encoding="utf-8")
    Image.new("RGB", (30, 20), (200, 40, 40)).save(post / "image.jpeg")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    thumbnail = page(site / "_site" / "index.html").select_one(".quarto-post .thumbnail img")
    assert thumbnail["src"] == "posts/first post/image.jpeg"
    copied = site / "_site" / "posts" / "first post" / "image.jpeg"
    assert copied.is_file() and copied.read_bytes() == (post / "image.jpeg").read_bytes()


def test_a_listed_posts_reading_time_counts_its_source_as_quarto_does(tmp_path):
    # Quarto counts the words of a post's Markdown after its front matter by splitting at spaces, 200 a minute:
    # 201 words one to a line read in a minute, 401 words on one line in three
    site = tmp_path / "blog"
    (site / "posts").mkdir(parents=True)
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Blog\n", encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Blog\nlisting:\n  contents: posts\n  sort: title\n"
                                    "  fields: [title, reading-time]\n---\n", encoding="utf-8")
    (site / "posts" / "a.qmd").write_text("---\ntitle: A\n---\n\n" + "word\n" * 201, encoding="utf-8")
    (site / "posts" / "b.qmd").write_text("---\ntitle: B\n---\n\n" + " ".join(["word"] * 401) + "\n",
                                          encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    times = [t.get_text() for t in page(site / "_site" / "index.html").select(".listing-reading-time")]
    assert times == ["1 min", "3 min"]


def test_a_site_of_one_deck_in_a_folder_renders_as_quartos_does(tmp_path):
    # a talk's repository: _quarto.yaml at the root renders "/slides/index.qmd" (a path from the root) and names
    # css: custom.css, a file beside the deck (Quarto reads a name that is no file of the project as the
    # document's); the site has no home page, so Quarto writes one that sends the reader to the deck
    (tmp_path / "slides").mkdir()
    (tmp_path / "_quarto.yaml").write_text("project:\n  type: website\n  render:\n    - /slides/index.qmd\n"
                                           "title: A talk\ncss: custom.css\nformat: revealjs\n", encoding="utf-8")
    (tmp_path / "slides" / "custom.css").write_text(".orange { color: rgb(255, 102, 0); }\n", encoding="utf-8")
    (tmp_path / "slides" / "index.qmd").write_text("## One\n\n[Hot]{.orange}\n", encoding="utf-8")
    (tmp_path / "notes.qmd").write_text("---\ntitle: Not listed\n---\n", encoding="utf-8")
    done = render_project(tmp_path)
    assert done.returncode == 0 and "custom.css" not in done.stderr, done.stderr
    deck = (tmp_path / "_site" / "slides" / "index.html").read_text(encoding="utf-8")
    assert "rgb(255, 102, 0)" in deck and not (tmp_path / "_site" / "notes.html").exists()
    home = (tmp_path / "_site" / "index.html").read_text(encoding="utf-8")
    assert 'url=slides/index.html"' in home and "window.location.replace" in home


def test_a_listing_speaks_its_pages_language(tmp_path):
    # a German blog (lang: de in _quarto.yml): Quarto's words for the sort menu, filter, categories, "no matches",
    # the table's headings and the dates, as its language files give them; an author's heading stays the author's
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Blog\nlang: de\n",
                                          encoding="utf-8")
    (tmp_path / "index.qmd").write_text("---\ntitle: Beiträge\nlisting:\n  type: table\n  contents: posts\n"
                                        "  categories: true\n  fields: [date, title, author, reading-time]\n"
                                        "  field-display-names:\n    author: Von\n---\n", encoding="utf-8")
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.qmd").write_text("---\ntitle: Erster\ndate: 2024-03-05\nauthor: Ada\n"
                                              "categories: [R]\n---\n\nText.\n", encoding="utf-8")
    result = render_project(tmp_path)
    assert result.returncode == 0, result.stderr
    soup = page(tmp_path / "_site" / "index.html")
    assert [th.get_text() for th in soup.select("thead th")] == ["Datum", "Titel", "Von", "Lesezeit"]
    menu = [o.get_text() for o in soup.select(".quarto-listing-sort option")]
    assert menu == ["Sortieren nach", "Voreinstellung", "Titel", "Datum - Datum (aufsteigend)", "Datum - Neueste",
                    "Von"]
    assert soup.select_one(".quarto-listing-filter input")["placeholder"] == "Filter"
    assert soup.select_one(".quarto-listing-category-title").get_text() == "Kategorien"
    assert soup.select_one(".quarto-listing-category .category").get_text(" ", strip=True) == "alle (1)"
    assert soup.select_one(".listing-no-matching").get_text() == "Keine Treffer"
    assert soup.select_one("td .listing-date").get_text() == "05.03.2024"  # medium, in German (CLDR's)
    assert soup.select_one("td .listing-reading-time").get_text() == "1 min"


def test_a_notebooks_front_matter_in_its_first_markdown_cell_titles_it_in_the_sites_listing_and_sidebar(tmp_path):
    # a blog of notebooks whose front matter opens the first Markdown cell (not a raw cell), as Quarto reads it:
    # the listing and the sidebar show its title and date, not its first heading
    import nbformat

    site = tmp_path / "blog"
    (site / "posts").mkdir(parents=True)
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Blog\n  sidebar:\n"
                                      "    contents: [index.qmd, posts/regression.ipynb]\n", encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Blog\nlisting:\n  contents: posts\n---\n", encoding="utf-8")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell('---\ntitle: "2.1-Multiple Linear Regression"\ndate: "10.26.2023"\n'
                                      "categories:\n    Regression\n---"),
        nbformat.v4.new_markdown_cell("## Mathematical Formulation\n\nA model.")])
    nbformat.write(notebook, site / "posts" / "regression.ipynb")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    home = page(site / "_site" / "index.html")
    assert home.select_one(".quarto-post .listing-title").get_text(strip=True) == "2.1-Multiple Linear Regression"
    assert home.select_one(".quarto-post .listing-date").get_text(strip=True) == "Oct 26, 2023"
    entries = [a.get_text(strip=True) for a in home.select("nav.site-sidebar a[href]")]
    assert entries[-2:] == ["Blog", "2.1-Multiple Linear Regression"]  # after the sidebar's title


def test_a_sidebar_link_to_a_missing_page_is_named_and_the_site_still_renders(tmp_path):
    # Quarto renders such a site and writes the link as given; a chapter deleted but still listed is common
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Course\n  sidebar:\n"
                                          "    contents: [index.qmd, week-2/notes.qmd]\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nWelcome.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "week-2/notes.qmd, which is not a page of this project" in done.stderr
    links = [(a.get_text(strip=True), a["href"]) for a in page(tmp_path / "_site" / "index.html")
             .select("nav.site-sidebar a") if a.get("href") and "week-2" in a["href"]]
    assert links == [("week-2/notes.qmd", "week-2/notes.qmd")]


def test_a_listed_items_own_href_field_shows_what_it_says_not_the_pages_address(tmp_path):
    # a course's notebooks listing: each item's path is its page, its href field a download link to show
    site = tmp_path / "course"
    site.mkdir()
    (site / "_quarto.yml").write_text("project:\n  type: website\n", encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Notebooks\nlisting:\n  contents: items.yml\n  type: table\n"
                                    "  fields: [title, href]\n  field-display-names:\n    href: Notebook\n---\n",
                                    encoding="utf-8")
    (site / "items.yml").write_text("- title: Numpy\n  path: numpy.html\n"
                                    "  href: \"[download](ipynb/numpy.ipynb)\"\n", encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    table = page(site / "_site" / "index.html").select_one("table.quarto-listing-table")
    assert [th.get_text() for th in table.select("thead th")] == ["Title", "Notebook"]
    assert table.select_one("a.listing-title")["href"] == "numpy.html"
    link = table.select_one(".listing-href a")
    assert (link.get_text(), link["href"]) == ("download", "ipynb/numpy.ipynb")


def test_rendering_a_folder_of_a_project_renders_its_documents_in_the_projects_context(tmp_path):
    # a course renders its decks with `quarto render core/slides --profile slides`, though the site's render:
    # list leaves them out
    site = tmp_path / "course"
    (site / "core" / "slides").mkdir(parents=True)
    (site / "_quarto.yml").write_text("project:\n  type: website\n  render: ['*.qmd', '!core/slides/']\n"
                                      "website:\n  title: Course\n", encoding="utf-8")
    (site / "_quarto-slides.yml").write_text("footer-note: from the profile\n", encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Home\n---\n\nWelcome.\n", encoding="utf-8")
    (site / "core" / "slides" / "deck.qmd").write_text(
        "---\ntitle: Deck\nformat: revealjs\n---\n\n## One\n\n{{< meta footer-note >}}\n", encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    assert not (site / "_site" / "core" / "slides" / "deck.html").exists()  # left out of the whole render
    done = render_project(site / "core" / "slides", "--profile", "slides")
    assert done.returncode == 0, done.stderr
    assert "1 of 2 documents" in done.stderr
    deck = (site / "_site" / "core" / "slides" / "deck.html").read_text(encoding="utf-8")
    assert 'class="reveal"' in deck and "from the profile" in deck
    assert (site / "_site" / "index.html").is_file()  # the rest of the site is still there
    # the deck named on its own renders in the project too, into the site's folder (not beside the command)
    (site / "_site" / "core" / "slides" / "deck.html").unlink()
    done = subprocess.run([sys.executable, "-m", "qmdrender", "core/slides/deck.qmd", "--profile", "slides",
                           "--engine", "embedded"], capture_output=True, text=True, timeout=900, cwd=site)
    assert done.returncode == 0, done.stderr
    assert "from the profile" in (site / "_site" / "core" / "slides" / "deck.html").read_text(encoding="utf-8")
    assert not (site / "_output").exists()


def test_a_themed_table_listing_takes_the_themes_cell_spacing(tmp_path):
    # CPSC 330's lecture listing (zephyr, Quarto 1.5): cells padded 17px (zephyr's 1rem), rows as Quarto's
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Course\n"
                                          "format:\n  html:\n    theme: zephyr\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Lectures\nlisting:\n  contents: [one.qmd]\n  type: table\n---\n")
    (tmp_path / "one.qmd").write_text("---\ntitle: One\ndescription: The first\n---\n\nText.\n")
    assert render_project(tmp_path).returncode == 0
    with Browser(1280, 800) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        padding = browser.evaluate("getComputedStyle(document.querySelector('.quarto-listing-table td')).padding")
        widths = browser.evaluate("['.quarto-listing-sort', '.quarto-listing-filter'].map(s => "
                                  "document.querySelector(s).getBoundingClientRect().width)")
    assert padding == "17px"
    # the sort menu as wide as its words and the filter box 200px, as Quarto's (the theme's .input-group
    # spans a row): a course's listing page, Quarto 1.7 (182px and 168px there, with their icons)
    assert 120 < widths[0] < 220 and 150 < widths[1] <= 200, widths


@pytest.mark.parametrize("theme", [None, "journal"])
def test_a_sites_own_stylesheet_reaches_the_navbar_by_quartos_classes(tmp_path, theme):
    # CS 50x2's slides site: ".navbar { background-color }" and ".navbar-container { margin-left }" in its
    # styles.css, which Quarto's navbar markup (nav.navbar > .navbar-container, li.nav-item > a.nav-link >
    # span.menu-text) lets through, with or without a theme
    themed = f"    theme: {theme}\n" if theme else ""
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: Slides\n  navbar:\n    left: [index.qmd, two.qmd]\n"
        "    right:\n      - text: Source\n        href: https://example.org/source\n"
        f"format:\n  html:\n    css: styles.css\n{themed}")
    (tmp_path / "styles.css").write_text(".navbar { background-color: rgb(183, 21, 29); }\n"
                                         ".navbar-container { margin-left: 160px; }\n"
                                         ".navbar-nav .nav-link .menu-text { letter-spacing: 2px; }\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nWelcome.\n")
    (tmp_path / "two.qmd").write_text("---\ntitle: Two\n---\n\nMore.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    with Browser(1280, 800) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        seen = browser.evaluate("""(() => {
            const nav = document.querySelector('#quarto-header nav.navbar');
            const links = [...nav.querySelectorAll('ul.navbar-nav > li.nav-item > a.nav-link > span.menu-text')];
            const left = nav.querySelector('ul.navbar-nav.me-auto').getBoundingClientRect();
            const right = nav.querySelector('ul.navbar-nav.ms-auto').getBoundingClientRect();
            return {background: getComputedStyle(nav).backgroundColor, texts: links.map(l => l.innerText),
                    spacing: getComputedStyle(links[0]).letterSpacing,
                    brand: Math.round(nav.querySelector('.navbar-brand').getBoundingClientRect().left),
                    colour: getComputedStyle(links[0]).color, gap: Math.round(right.left - left.right),
                    row: links.every(l => Math.abs(l.getBoundingClientRect().top - links[0].getBoundingClientRect().top)
                                          < 2)};
        })()""")
    assert seen["background"] == "rgb(183, 21, 29)" and seen["texts"] == ["Home", "Two", "Source"]
    assert seen["spacing"] == "2px" and seen["brand"] >= 160 and seen["row"]
    assert seen["colour"] == "rgb(255, 255, 255)"  # the navbar's text colour, themed or not
    assert seen["gap"] > 500  # the right-hand entries at the right


def test_a_projects_included_files_are_found_from_the_project_and_their_root_images_embedded(tmp_path):
    # a real site's _quarto.yml names its header files as {file: assets/x.html}, and one of them shows the logo
    # from the site's root (src="/assets/logo.png"): the pages in a subfolder failed, the file "not found" from
    # the page's folder, then pandoc reading /assets/logo.png from the file system's root
    from PIL import Image

    (tmp_path / "assets").mkdir()
    (tmp_path / "pages").mkdir()
    Image.new("RGB", (8, 8), (0, 90, 200)).save(tmp_path / "assets" / "logo.png")
    (tmp_path / "assets" / "header.html").write_text('<meta name="x-site-header" content="included">\n')
    (tmp_path / "assets" / "banner.html").write_text('<div id="banner"><img src="/assets/logo.png" alt="Logo">'
                                                     '<img src="/assets/gone.png" alt="Gone"></div>\n')
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nexecute:\n  freeze: auto\n"
                                          "format:\n  html:\n    include-in-header:\n"
                                          "      - file: assets/header.html\n    include-before-body:\n"
                                          "      - file: assets/banner.html\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nHome.\n")
    (tmp_path / "pages" / "page.qmd").write_text("---\ntitle: Page\n---\n\nA page in a folder.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "image /assets/gone.png in banner.html not found" in done.stderr
    for name in ("index.html", "pages/page.html"):
        soup = page(tmp_path / "_site" / name)
        assert soup.find("meta", attrs={"name": "x-site-header"})["content"] == "included"
        logo, gone = soup.select("#banner img")
        assert logo["src"].startswith("data:image/png;base64,") and gone["src"] == "/assets/gone.png"
    # the logo redrawn: the pages that embed it are written again, not left "up to date" with the old one
    before = page(tmp_path / "_site" / "pages" / "page.html").select_one("#banner img")["src"]
    Image.new("RGB", (8, 8), (200, 30, 30)).save(tmp_path / "assets" / "logo.png")
    again = render_project(tmp_path)
    assert again.returncode == 0 and "up to date: index.qmd" not in again.stderr
    assert page(tmp_path / "_site" / "pages" / "page.html").select_one("#banner img")["src"] != before


def test_the_navbar_is_as_tall_as_quartos_for_its_title(tmp_path):
    # Quarto's navbar is as tall as what it holds, 0.5rem above and below: 58px for a course's journal-themed
    # title (CS 50x2's listing of decks, measured in Quarto's page at 1280px); the renderer's fixed 4.15rem made
    # it 71px, and the theme's own title size (journal's 18px) lost to the renderer's 1.25rem
    site = tmp_path / "site"
    site.mkdir()
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: CS 50x2 Slides\n  navbar:\n"
                                      "    background: primary\nformat:\n  html:\n    theme: journal\n")
    (site / "index.qmd").write_text("---\ntitle: Home\n---\n\nHome.\n")
    assert render_project(site).returncode == 0
    with Browser(1280, 800) as browser:
        browser.open((site / "_site" / "index.html").as_uri())
        header, title = browser.evaluate("[document.querySelector('#quarto-header').getBoundingClientRect().height, "
                                         "getComputedStyle(document.querySelector('.navbar-title')).fontSize]")
    assert 54 <= header <= 60 and title == "18px", (header, title)


def test_a_chapter_that_turns_off_number_sections_keeps_its_number_in_the_book_as_in_quarto(tmp_path):
    # Quarto numbers a chapter unless its title is {.unnumbered}: its own number-sections: false only takes the
    # number off its page's title and sections (an appendix keeps "Appendix A"), checked against Quarto 1.6's
    # rendering of a public course book whose assignments set it
    own = "format:\n  html:\n    number-sections: false\n"
    files = {"_quarto.yml": "project:\n  type: book\nbook:\n  title: Notes\n  chapters: [index.qmd, a.qmd,"
                            " b.qmd]\n  appendices: [x.ipynb]\nformat: html\n",
             "index.qmd": "# Preface {.unnumbered}\n\nHello.\n",
             "a.qmd": f"---\ntitle: Alpha\n{own}---\n\n## Instructions {{-}}\n\n## Part one\n\nText.\n",
             "b.qmd": "# Beta\n\n## Setup\n\nText.\n",
             "x.ipynb": json.dumps({"cells": [
                 {"cell_type": "raw", "metadata": {}, "source": f"---\ntitle: Extra\n{own}---\n"},
                 {"cell_type": "markdown", "metadata": {}, "source": "## Tasks\n\nDo them.\n"}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5})}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    alpha, beta, extra = (page(tmp_path / "_book" / name) for name in ("a.html", "b.html", "x.html"))
    assert " ".join(alpha.select_one("h1.title").get_text().split()) == "Alpha"
    assert alpha.title.get_text() == "Alpha \u2013 Notes"
    assert [h.get_text() for h in alpha.select("main h2")] == ["Instructions", "Part one"]  # no numbers
    assert beta.select_one("h1.title .chapter-number").get_text() == "2"  # Alpha is chapter 1
    assert beta.select_one("h2 .header-section-number").get_text() == "2.1"
    assert " ".join(extra.select_one("h1.title").get_text().split()) == "Appendix A \u2014 Extra"
    assert extra.title.get_text() == "Appendix A \u2014 Extra \u2013 Notes"
    assert [a.get_text() for a in beta.select("nav.site-sidebar li a[href]")] == [
        "Preface", "1\u00a0 Alpha", "2\u00a0 Beta", "A\u00a0 Extra"]


def test_a_titled_sidebar_shows_only_on_the_pages_it_lists_as_in_quarto(tmp_path):
    # Quarto gives a titled sidebar an id from its title, so even the only sidebar is not every page's: a course
    # site's helper pages outside it have none, and without a navbar no search field either (Quarto 1.6's pages of
    # a public course site); an untitled only sidebar is every page's
    config = ("project:\n  type: website\nwebsite:\n  title: Course\n  sidebar:\n    {title}contents:\n"
              "      - a.qmd\nformat: html\n")
    for name in ("a", "b"):
        (tmp_path / f"{name}.qmd").write_text(f"---\ntitle: Page {name}\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text(config.format(title="title: Notes\n    "), encoding="utf-8")
    assert render_project(tmp_path).returncode == 0
    listed, other = page(tmp_path / "_site" / "a.html"), page(tmp_path / "_site" / "b.html")
    assert listed.select_one("nav#quarto-sidebar a") is not None and listed.select_one(".site-search") is not None
    assert other.select_one("nav#quarto-sidebar") is None and other.select_one(".site-search") is None
    assert listed.select_one("#quarto-sidebar .sidebar-title").get_text() == "Notes"
    (tmp_path / "_quarto.yml").write_text(config.format(title=""), encoding="utf-8")
    assert render_project(tmp_path).returncode == 0
    assert page(tmp_path / "_site" / "b.html").select_one("nav#quarto-sidebar a") is not None
    # under a navbar, which shows the site's title, the sidebar shows none of its own (Quarto's sidebar template)
    (tmp_path / "_quarto.yml").write_text(config.format(title="title: Notes\n    ").replace(
        "  sidebar:", "  navbar:\n    left: [a.qmd]\n  sidebar:"), encoding="utf-8")
    assert render_project(tmp_path).returncode == 0
    listed = page(tmp_path / "_site" / "a.html")
    assert listed.select_one("nav#quarto-sidebar a") is not None and listed.select_one(".sidebar-title") is None


def test_sidebar_and_menu_dividers_headings_and_a_folders_link_to_its_index_page(tmp_path):
    # quarto.org's own _quarto.yml: "---" entries between a sidebar's sections; a menu's heading and rule
    config = ("project:\n  type: website\nwebsite:\n  title: Rules\n  page-navigation: true\n  navbar:\n    left:\n"
              "      - text: More\n        menu:\n          - text: Guides\n          - index.qmd\n"
              "          - text: '---'\n          - other.qmd\n    right:\n      - icon: bluesky\n"
              "        href: https://bsky.app/profile/quarto.org\n  sidebar:\n    contents:\n      - index.qmd\n"
              "      - '---'\n      - other.qmd\n      - text: Part\n        href: part/\n")
    (tmp_path / "_quarto.yml").write_text(config)
    (tmp_path / "part").mkdir()  # a folder's link is its index page, as quarto.org's sidebar links its guides
    (tmp_path / "part" / "index.qmd").write_text("---\ntitle: Part\n---\n\nIn part.\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nHello.\n")
    (tmp_path / "other.qmd").write_text("---\ntitle: Other\n---\n\nMore.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0 and "not a page of this project" not in done.stderr, done.stderr
    home = page(tmp_path / "_site" / "index.html")
    rows = home.select("nav.site-sidebar > .sidebar-menu-container > ul > li")
    assert [r.get_text(strip=True) or r.hr["class"][0] for r in rows] == ["Home", "sidebar-divider", "Other", "Part"]
    assert rows[-1].a["href"] == "part/index.html"
    menu = home.select("details.navbar-menu ul > li")
    assert [m.get("class", [""])[0] or (m.hr and m.hr["class"][0]) or m.get_text(strip=True) for m in menu] == \
        ["dropdown-header", "Home", "dropdown-divider", "Other"]
    assert menu[0].get_text(strip=True) == "Guides"
    # the menu's name with Bootstrap's caret after it, as Quarto's dropdown toggles have it
    with Browser(1200, 600) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        caret = browser.evaluate("(s => [s.borderTopWidth, s.borderTopStyle, s.display])(getComputedStyle("
                                 "document.querySelector('details.navbar-menu > summary'), '::after'))")
    assert float(caret[0].removesuffix("px")) > 3 and caret[1:] == ["solid", "inline-block"]
    # Quarto 1.8's Bootstrap Icons (1.13.1), which have bluesky
    assert home.select_one('header.site-navbar a[href^="https://bsky.app"] svg.bi-bluesky') is not None
    links = page(tmp_path / "_site" / "other.html").select(".page-navigation a")
    nav = [(a.get_text(strip=True), a.select_one("i.bi svg")["class"]) for a in links]
    # the rule is no page: the previous page is Home; Quarto's Bootstrap arrows beside the titles
    assert nav == [("Home", ["bi", "bi-arrow-left-short"]), ("Part", ["bi", "bi-arrow-right-short"])]


def test_a_books_body_header_footer_sidebar_search_and_toc_title_follow_its_options_and_css(tmp_path):
    # the network-science notes' book sets body-footer (a copyright line); it was left out with a warning
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "_quarto.yml").write_text(
        "project:\n  type: book\nbook:\n  title: Notes\n  chapters: [index.qmd, one.qmd]\n"
        "  body-header: '*Draft* notes'\n  body-footer: '© The authors, 2025'\n  sidebar:\n    search: false\n"
        "format:\n  html:\n    toc: true\n    css: mine.css\n", encoding="utf-8")
    # the notes' own stylesheet hides the contents' title by its id, as Quarto's weak rule lets it
    (folder / "mine.css").write_text("#toc-title { font-size: 0em; }\n", encoding="utf-8")
    (folder / "index.qmd").write_text("# Preface {.unnumbered}\n\nWelcome.\n", encoding="utf-8")
    (folder / "one.qmd").write_text("# One\n\nText of one.\n\n## First\n\nA.\n\n## Second\n\nB.\n",
                                    encoding="utf-8")
    done = render_project(folder)
    assert done.returncode == 0, done.stderr
    assert "body-footer is not supported" not in done.stderr
    assert page(folder / "_book" / "one.html").select_one("#quarto-sidebar input, #quarto-sidebar .sidebar-search") \
        is None  # sidebar: search: false
    with Browser(1280, 900) as browser:
        browser.open((folder / "_book" / "one.html").as_uri())
        assert browser.evaluate("getComputedStyle(document.getElementById('toc-title')).fontSize") == "0px"
    main = page(folder / "_book" / "one.html").select_one("main")
    children = [child for child in main.children if getattr(child, "name", None)]
    assert children[-1].get_text(strip=True) == "© The authors, 2025"
    header = main.select_one("header#title-block-header")
    after = header.find_next_sibling()
    assert after.name == "p" and " ".join(after.get_text().split()) == "Draft notes" and after.em is not None


@pytest.mark.parametrize("sidebar, border, line", [
    ("", "", "0px"),  # Quarto: no line above a footer unless asked (CS 50x2's slides site, a Quarto 1.7 build)
    ("", "\n    border: true", "1px"),
    ("  sidebar:\n    style: docked\n    contents: [index.qmd, two.qmd]\n", "", "1px"),  # a docked sidebar's has one
    ("  sidebar:\n    style: docked\n    contents: [index.qmd, two.qmd]\n", "\n    border: false", "0px")])
def test_a_sites_footer_spans_the_window_at_its_foot_as_quartos_and_its_navbar_keeps_quartos_sides(
        tmp_path, sidebar, border, line):
    (tmp_path / "_quarto.yml").write_text(
        f"project:\n  type: website\nwebsite:\n  title: CS Slides\n  page-navigation: true\n"
        f"  navbar:\n    left: [index.qmd, two.qmd]\n{sidebar}"
        f"  page-footer:\n    center: Copyright 2023 Jason Causey, Arkansas State University{border}\n",
        encoding="utf-8")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nA short page.\n", encoding="utf-8")
    (tmp_path / "two.qmd").write_text("---\ntitle: Two\n---\n\nAnother.\n", encoding="utf-8")
    assert render_project(tmp_path).returncode == 0
    with Browser(1400, 1000) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        seen = browser.evaluate("""(() => { const box = (s) => document.querySelector(s).getBoundingClientRect();
            const footer = document.querySelector('footer'), centre = footer.querySelector('.nav-footer-center');
            return {footer: [box('footer').left, Math.round(box('footer').right), Math.round(box('footer').bottom),
                             Math.round(box('footer').top),
                             innerHeight, document.documentElement.clientWidth],
                    line: getComputedStyle(footer.querySelector('.nav-footer')).borderTopWidth,
                    centre: [getComputedStyle(centre).fontSize, Math.round(box('.nav-footer-center').height)],
                    next: document.querySelector('nav.page-navigation')
                          && Math.round(box('nav.page-navigation').bottom),
                    title: [Math.round(box('.navbar-title').left),
                            getComputedStyle(document.querySelector('.navbar-title')).fontWeight]}; })()""")
    left, right, bottom, box_top, height, width = seen["footer"]
    # across the window, at its foot under a short page (Quarto's footer: 0 to 1400, 940 to 1000)
    assert left == 0 and right == width and abs(bottom - height) <= 1, seen
    if sidebar:  # the link to the next page right above it, as Quarto's
        assert abs(seen["next"] - box_top) <= 1, seen
    assert seen["line"] == line
    assert seen["centre"][0] == "14.025px" and seen["centre"][1] >= 42  # 0.825em of 17px, 3em tall at least
    # a text in its paragraph, as Quarto writes it (authors' rules address ".nav-footer-center p")
    home = BeautifulSoup((tmp_path / "_site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one(".nav-footer-center > p").get_text().startswith("Copyright 2023")
    # the navbar's title 1em + 0.75rem from the window's edge (Quarto's nav and container-fluid), in its weight
    assert abs(seen["title"][0] - 29.75) <= 1 and seen["title"][1] == "400", seen


def test_contents_placed_left_beside_a_sites_sidebar_sit_under_its_menu_as_in_quarto(tmp_path):
    # a course site's notes (toc-location: left, docked sidebar; Quarto 1.5): Quarto's page puts the contents in
    # the sidebar's column under its menu, and the margin on the right stays free
    site = tmp_path / "course"
    site.mkdir()
    (site / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: Course\n  repo-url: https://example.org/r\n"
        "  repo-actions: [issue]\n  sidebar:\n    style: docked\n    contents: [index.qmd, notes.qmd]\n"
        "format:\n  html:\n    toc: true\n", encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Home\n---\n\nHello.\n", encoding="utf-8")
    (site / "notes.qmd").write_text("---\ntitle: Notes\ntoc-location: left\n---\n\n## Overview\n\nText.\n\n"
                                    "## Example\n\nMore.\n", encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    soup = page(site / "_site" / "notes.html")
    toc = soup.select_one("nav#quarto-sidebar nav#TOC")
    assert toc is not None and [a.get_text() for a in toc.select("a.nav-link")] == ["Overview", "Example"]
    assert toc.select_one(".toc-actions a").get_text().strip() == "Report an issue"
    with Browser(1280, 900) as browser:
        browser.open((site / "_site" / "notes.html").as_uri())
        boxes = browser.evaluate("['#quarto-sidebar .sidebar-menu-container', 'nav#TOC', 'main']"
                                 ".map(s => document.querySelector(s).getBoundingClientRect())"
                                 ".map(r => [r.left, r.top, r.bottom, r.width])")
    menu, contents, main = boxes
    assert contents[3] > 0 and contents[0] < main[0] and contents[1] >= menu[2]  # left of the text, under the menu


def test_a_pinned_sidebars_bar_stays_at_the_top_of_a_narrow_window_as_the_page_scrolls(tmp_path):
    # sidebar: pinned: true (a course site): below 992px the bar that stands for the sidebar stays in view under
    # the navbar; without it the bar scrolls away with the page
    for pinned in (True, False):
        site = tmp_path / f"site-{pinned}"
        site.mkdir()
        (site / "_quarto.yml").write_text(
            "project:\n  type: website\nwebsite:\n  title: Course\n  navbar:\n    left: [index.qmd]\n"
            f"  sidebar:\n    style: docked\n    pinned: {str(pinned).lower()}\n    contents: [index.qmd]\n",
            encoding="utf-8")
        (site / "index.qmd").write_text("---\ntitle: Home\n---\n\n" + "A paragraph of text.\n\n" * 120,
                                        encoding="utf-8")
        done = render_project(site)
        assert done.returncode == 0, done.stderr
        assert "sidebar: pinned" not in done.stderr  # done, not left out
        with Browser(800, 700) as browser:
            browser.open((site / "_site" / "index.html").as_uri())
            browser.evaluate("window.scrollTo(0, 1500)")
            top, navbar = browser.evaluate("[document.querySelector('.quarto-secondary-nav').getBoundingClientRect()"
                                           ".top, document.querySelector('.site-navbar').getBoundingClientRect()"
                                           ".bottom]")
        if pinned:
            assert abs(top - navbar) < 2, (top, navbar)
        else:
            assert top < 0


def test_a_sites_stylesheet_finds_images_it_names_from_the_sites_root_as_a_browser_does(tmp_path):
    # a course book's style.css draws its callout icons with url("/img/box-images/note.png"): the site's root, as
    # the browser reads it on the published site (pandoc looked for /img at the file system's root and stopped)
    from PIL import Image

    site = tmp_path / "book"
    (site / "img" / "box").mkdir(parents=True)
    (site / "sub").mkdir()
    Image.new("RGB", (8, 8), "red").save(site / "img" / "box" / "note.png")
    (site / "style.css").write_text('.notice { background-image: url("/img/box/note.png"); min-height: 8px; }\n',
                                    encoding="utf-8")
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Site\n"
                                      "format:\n  html:\n    css: style.css\n", encoding="utf-8")
    for name in ("index.qmd", "sub/page.qmd"):
        (site / name).write_text("---\ntitle: Page\n---\n\n::: {.notice}\nA note.\n:::\n", encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    with Browser(1000, 700) as browser:
        for name in ("index.html", "sub/page.html"):
            browser.open((site / "_site" / name).as_uri())
            drawn = browser.evaluate("getComputedStyle(document.querySelector('.notice')).backgroundImage")
            assert drawn.startswith('url("data:image/png;base64,'), (name, drawn)  # embedded, as the page is


def test_a_navbar_without_a_title_is_as_tall_as_one_with_it_and_its_lone_icons_are_quartos_compact_size(tmp_path):
    # a site whose navbar holds two icons on the right and no title (Quarto 1.9's page: 62px tall, the icons
    # 1.1rem); its bar had shrunk to the icons' height
    heights = {}
    for titled in (True, False):
        site = tmp_path / f"site-{titled}"
        site.mkdir()
        title = "  title: Site\n" if titled else ""
        (site / "_quarto.yml").write_text(
            f"project:\n  type: website\nwebsite:\n{title}  navbar:\n    right:\n      - icon: github\n"
            "        href: https://github.com/\n        aria-label: GitHub\n      - icon: globe-americas\n"
            "        href: https://example.org/\n", encoding="utf-8")
        (site / "index.qmd").write_text("---\ntitle: Home\n---\n\nText.\n", encoding="utf-8")
        done = render_project(site)
        assert done.returncode == 0, done.stderr
        with Browser(1200, 700) as browser:
            browser.open((site / "_site" / "index.html").as_uri())
            heights[titled], size, root = browser.evaluate(
                "[document.querySelector('.site-navbar').getBoundingClientRect().height,"
                " parseFloat(getComputedStyle(document.querySelector('.nav-item.compact .nav-link')).fontSize),"
                " parseFloat(getComputedStyle(document.documentElement).fontSize)]")
        assert abs(size - 1.1 * root) < 0.1
    # an entry of text is at the page's 1rem, as Quarto's nav links (17px on its pages, Quarto 1.8 and 1.9)
    (tmp_path / "site-True" / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: Site\n  navbar:\n    left: [index.qmd]\n", encoding="utf-8")
    assert render_project(tmp_path / "site-True").returncode == 0
    with Browser(1200, 700) as browser:
        browser.open((tmp_path / "site-True" / "_site" / "index.html").as_uri())
        assert browser.evaluate("getComputedStyle(document.querySelector('.site-navbar .nav-link')).fontSize ==="
                                " getComputedStyle(document.documentElement).fontSize")
        # the search's magnifier as large as Quarto's (its glyph 22px at 17px)
        glass, root = browser.evaluate("[document.querySelector('.site-search-toggle svg').getBoundingClientRect()"
                                       ".width, parseFloat(getComputedStyle(document.documentElement).fontSize)]")
        assert abs(glass - 1.3 * root) < 0.5
    assert abs(heights[True] - heights[False]) < 1 and heights[False] > 55


@pytest.mark.parametrize("search, shown", [
    # Luke Johnston's slides site (Quarto 1.8): search: {location: navbar, type: textbox} is a 180px field in the
    # navbar, open without a click, its magnifier at its left
    ("{location: navbar, type: textbox}", "navbar-textbox"),
    ("{location: sidebar}", "sidebar"),  # a sidebar's textbox, though the site has a navbar
    ("true", "navbar-overlay")])  # Quarto's default with a navbar: the magnifier button
def test_a_sites_search_goes_where_its_location_and_type_put_it(tmp_path, search, shown):
    site = tmp_path / "site"
    site.mkdir()
    (site / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: \"Luke's Slides\"\n"
        f"  search: {search}\n  navbar:\n    left: [index.qmd]\n  sidebar:\n    contents: [index.qmd]\n",
        encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Home\n---\n\nThe quagga.\n", encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    with Browser(1280, 700) as browser:
        browser.open((site / "_site" / "index.html").as_uri())
        where, shown_box, width, brand, title = browser.evaluate("""(() => {
            const input = document.getElementById('site-search-input');
            return [input.closest('.site-navbar') ? 'navbar' : input.closest('.site-sidebar') ? 'sidebar' : '',
                    getComputedStyle(input).display !== 'none', input.getBoundingClientRect().width,
                    document.querySelector('.navbar-title').textContent, document.title]; })()""")
        if shown != "navbar-overlay":
            browser.key("s")  # the keys f, s and / go to a field that is always open
            assert browser.evaluate("document.activeElement.id") == "site-search-input"
    assert brand == "Luke\u2019s Slides" and title == "Home \u2013 Luke\u2019s Slides"  # as pandoc's smart quotes
    assert where == shown.split("-")[0]
    assert shown_box == (shown != "navbar-overlay")
    if shown == "navbar-textbox":
        assert width == 180


def test_a_sites_404_page_links_from_its_site_path_so_it_works_at_any_missing_address(tmp_path):
    # Quarto roots the 404 page's links and images at website: site-path (else site-url's path, else "/"), as a
    # server shows that page for /course/any/missing/page; the other pages keep relative links
    site = tmp_path / "course"
    (site / "notes").mkdir(parents=True)
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Course\n  site-path: /course\n"
                                      "  navbar:\n    left: [index.qmd, notes/one.qmd]\n", encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Home\n---\n\n[Notes](notes/one.qmd)\n", encoding="utf-8")
    (site / "notes" / "one.qmd").write_text("---\ntitle: One\n---\n\n[Home](../index.qmd)\n", encoding="utf-8")
    (site / "404.qmd").write_text("---\ntitle: Page not found\n---\n\nTry [the notes](notes/one.qmd).\n\n"
                                  "![](lost.png)\n", encoding="utf-8")
    from PIL import Image

    Image.new("RGB", (8, 8), (200, 30, 30)).save(site / "lost.png")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    assert "site-path" not in done.stderr
    missing = page(site / "_site" / "404.html")
    assert missing.select_one("main a[href='/course/notes/one.html']") is not None
    assert missing.select_one("nav a[href='/course/index.html']") is not None
    assert all(not a["href"].startswith(("notes/", "index.html")) for a in missing.select("a[href]"))
    image = missing.select_one("main img")["src"]
    assert image.startswith(("data:", "/course/"))
    notes = page(site / "_site" / "notes" / "one.html")
    assert notes.select_one("main a")["href"] == "../index.html"  # other pages: relative, as before


@pytest.mark.parametrize("mode", ["gone", "unlinked", "visible"])
def test_website_drafts_are_blank_or_marked_and_unlinked_as_their_draft_mode_says(tmp_path, mode):
    # Quarto's website drafts: draft: true in a page or a folder's _metadata.yml, or website: drafts; gone (the
    # default) writes the page blank, unlinked writes it under a "Draft" banner, and both leave it out of the
    # navbar, listings, search and the sitemap, an in-text link keeping its words; visible links it as any page
    site = tmp_path / "blog"
    (site / "posts" / "wip").mkdir(parents=True)
    setting = "" if mode == "gone" else f"  draft-mode: {mode}\n"
    (site / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: Blog\n  site-url: https://example.org\n"
        f"  navbar:\n    left: [index.qmd, posts/one.qmd, posts/two.qmd, about.qmd]\n  drafts: [about.qmd]\n{setting}",
        encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Blog\nlisting:\n  contents: posts\n---\n\n"
                                    "See [post two](posts/two.qmd) and [one](posts/one.qmd).\n", encoding="utf-8")
    (site / "posts" / "one.qmd").write_text("---\ntitle: One\n---\n\nPost one.\n", encoding="utf-8")
    (site / "posts" / "two.qmd").write_text("---\ntitle: Two\ndraft: true\n---\n\nSecret two.\n", encoding="utf-8")
    (site / "posts" / "wip" / "_metadata.yml").write_text("draft: true\n", encoding="utf-8")
    (site / "posts" / "wip" / "three.qmd").write_text("---\ntitle: Three\n---\n\nSecret three.\n", encoding="utf-8")
    (site / "about.qmd").write_text("---\ntitle: About\n---\n\nSecret about.\n", encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    assert "not supported" not in done.stderr  # drafts and draft-mode are, not "left out"
    out = site / "_site"
    home = page(out / "index.html")
    navbar = [a.get_text(strip=True) for a in home.select("nav .nav-link")]
    listed = sorted(t.get_text(strip=True) for t in home.select(".quarto-listing .listing-title"))
    linked = [a.get_text() for a in home.select("main p a")]
    search = (out / "search.json").read_text(encoding="utf-8")
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    for name in ("posts/two.html", "posts/wip/three.html", "about.html"):
        draft = page(out / name)
        if mode == "gone":
            assert draft.get_text(strip=True) == "" and not draft.select("main")  # the address stays, blank
        else:
            assert draft.select_one("header#quarto-header > #quarto-draft-alert").get_text(strip=True) == "Draft"
            assert draft.find("meta", attrs={"name": "quarto:status"})["content"] == "draft"
    if mode == "visible":
        assert navbar == ["Blog", "One", "Two", "About"] and listed == ["One", "Three", "Two"]
        assert linked == ["post two", "one"] and "Secret two" in search and "posts/two.html" in sitemap
    else:
        assert navbar == ["Blog", "One"] and listed == ["One"]
        assert linked == ["one"] and "See post two and" in home.select_one("main p").get_text()
        assert "Secret" not in search and "two.html" not in sitemap and "about.html" not in sitemap


def test_a_draft_outside_a_website_shows_quartos_draft_banner(tmp_path):
    # Quarto's draft filter: without a website's draft-mode a draft: true document is rendered under the banner
    (tmp_path / "notes.qmd").write_text("---\ntitle: Notes\ndraft: true\nlang: de\n---\n\nText.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "qmdrender", str(tmp_path / "notes.qmd"), "--output-dir",
                           str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    soup = page(tmp_path / "out" / "notes.html")
    assert soup.select_one("body > #quarto-draft-alert").get_text(strip=True) == "Entwurf"  # the language's word
    assert soup.select_one("main").get_text(" ", strip=True).endswith("Text.")


def test_metadata_files_are_merged_over_the_project_and_the_front_matter_and_a_missing_one_is_named(tmp_path):
    # Quarto's metadata includes: a quartodoc site's _quarto.yml names _sidebar.yml (written by quartodoc); a
    # document's front matter may name its own; a file not there is skipped, as Quarto skips it (said here)
    site = tmp_path / "docs"
    site.mkdir()
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Docs\n"
                                      "metadata-files: [_sidebar.yml, _missing.yml]\n", encoding="utf-8")
    (site / "_sidebar.yml").write_text("website:\n  sidebar:\n    contents: [index.qmd, api.qmd]\n", encoding="utf-8")
    (site / "index.qmd").write_text("---\ntitle: Home\nmetadata-files: [extra.yml]\n---\n\nHello.\n", encoding="utf-8")
    (site / "extra.yml").write_text("subtitle: From a metadata file\n", encoding="utf-8")
    (site / "api.qmd").write_text("---\ntitle: API\n---\n\nFunctions.\n", encoding="utf-8")
    done = render_project(site)
    assert done.returncode == 0, done.stderr
    home = page(site / "_site" / "index.html")
    assert [a.get_text(strip=True) for a in home.select("nav.site-sidebar a.sidebar-link, #quarto-sidebar a")
            if a.get_text(strip=True) in ("Home", "API")][:2] == ["Home", "API"]
    assert home.select_one("p.subtitle").get_text(strip=True) == "From a metadata file"
    assert "metadata-files: _missing.yml does not exist" in done.stderr


def test_a_footers_links_are_quartos_nav_items_and_reach_their_pages_from_every_folder(tmp_path):
    # Quarto's page-footer test: footer.footer div.nav-footer-left a.nav-link[href=...] in ul.footer-items; a link to
    # a page of the site leads there from a page in a folder too (it led to about.qmd, which is not published)
    (tmp_path / "posts").mkdir()
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: Site\n  page-footer:\n    left:\n      - text: About\n"
        "        href: about.qmd\n      - icon: github\n        href: https://github.com\n"
        "    right: 'Made with [Quarto](https://quarto.org)'\n")
    for name, title in (("index.qmd", "Home"), ("about.qmd", "About"), ("posts/p.qmd", "Post")):
        (tmp_path / name).write_text(f"---\ntitle: {title}\n---\n\nText.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    for name, about in (("index.html", "about.html"), ("posts/p.html", "../about.html")):
        footer = page(tmp_path / "_site" / name).select_one("footer.footer div.nav-footer")
        items = footer.select("div.nav-footer-left ul.footer-items > li.nav-item")
        assert [a["href"] for item in items for a in item.select("a.nav-link")] == [about, "https://github.com"]
        assert "compact" in items[1]["class"] and items[1].select_one("svg.bi-github") is not None
        assert footer.select_one("div.nav-footer-right a[href='https://quarto.org']").get_text() == "Quarto"
    with Browser(1280, 800) as browser:  # the links sit in one row, padded as Quarto's nav links
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        row = browser.evaluate("[...document.querySelectorAll('.footer-items .nav-link')].map(a => "
                               "[Math.round(a.getBoundingClientRect().top), getComputedStyle(a).paddingLeft])")
    assert row[0][0] == row[1][0] and row[0][1] == row[1][1] != "0px"


def test_sidebar_entries_keep_their_target_and_rel_and_a_section_with_a_page_links_to_it(tmp_path):
    # Quarto's sidebar-target test (target: _blank, rel: external on links and sections), and a course's
    # `- section: "Worksheet 2"` with `href: w2.qmd`: the section's title, as written, leads to that page
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: Site\n  sidebar:\n    contents:\n      - index.qmd\n"
        "      - href: https://quarto.org\n        target: _blank\n        rel: external\n        text: Quarto\n"
        "      - section: Worksheet 2\n        href: w2.qmd\n        contents:\n          - unix.qmd\n")
    for name, title in (("index.qmd", "Home"), ("w2.qmd", "Week two"), ("unix.qmd", "Unix")):
        (tmp_path / name).write_text(f"---\ntitle: {title}\n---\n\nText.\n")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    sidebar = page(tmp_path / "_site" / "unix.html").select_one("#quarto-sidebar")
    external = sidebar.select_one("a.sidebar-link[href='https://quarto.org']")
    assert external["target"] == "_blank" and external["rel"] == ["external"]
    section = sidebar.select_one("a.sidebar-section-link")
    assert section["href"] == "w2.html" and section.get_text(strip=True) == "Worksheet 2"


def test_a_pages_own_partial_shows_an_image_its_front_matter_names_from_the_project_root(tmp_path):
    # a course's home page: "course-logo: /files/img/logo.png" in an <img src="$course-logo$"> of its own
    # title-block partial (Quarto finds it from the project's root; pandoc looked at the disk's root and stopped)
    from PIL import Image

    (tmp_path / "files" / "img").mkdir(parents=True)
    Image.new("RGB", (12, 12), (0, 120, 0)).save(tmp_path / "files" / "img" / "logo.png")
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Course\n", encoding="utf-8")
    (tmp_path / "title-block.html").write_text('<div class="title-block"><h1>$title$</h1><p>$subtitle$</p>'
                                               '<img src="$course-logo$" class="course-logo"></div>\n')
    (tmp_path / "index.qmd").write_text("---\ntitle: Taxation\nsubtitle: The economics of it\n"
                                        "course-logo: /files/img/logo.png\nformat:\n  html:\n"
                                        "    template-partials: [title-block.html]\n---\n\nWelcome.\n",
                                        encoding="utf-8")
    done = render_project(tmp_path)
    assert done.returncode == 0, done.stderr
    home = page(tmp_path / "_site" / "index.html")
    logo = home.select_one("img.course-logo")
    assert logo["src"].startswith("data:image/png;base64,")  # found, and embedded as the page's other images
    # the partial's own subtitle alone: no title block of the renderer's with it too (EC313's home page had two);
    # the partial's heading goes into Quarto's title header, as Quarto's site moves it
    assert home.get_text().count("The economics of it") == 1
    assert home.select_one("header#title-block-header h1").get_text() == "Taxation"
