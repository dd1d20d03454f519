"""An HTML page's appendix as Quarto builds it: sections marked ``{.appendix}``, the references citeproc
writes, the footnotes, "Reuse" (``license``), "Copyright" and "Citation" (``citation:``, as BibTeX and as
the citation style writes it), each under its heading at the end of the
page and out of the table of contents; a reference list the document places itself stays there, and
``appendix-style: none`` leaves the page as it is. And the title block's DOI and keywords. Checked on the
page's DOM."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from .browser import Browser
from .conftest import render_cli

BIBLIOGRAPHY = """\
@book{knuth1984, author = {Knuth, Donald E.}, title = {The {\\TeX}book}, publisher = {Addison-Wesley},
  year = {1984}}
"""
REPORT = """\
---
title: Report
bibliography: refs.bib
doi: 10.5555/12345678
keywords: [typesetting, references]
license: CC BY-SA
copyright:
  holder: Ada Lovelace
  year: 2024
author: Ada Lovelace
date: 2024-03-05
citation:
  url: https://example.org/report
toc: true
---

## Method

As @knuth1984 shows.[^note]

[^note]: A footnote.

## Thanks {.appendix}

We thank the reviewers.

## Results

The results, shared under {{< meta license.text >}}.
"""
PLACED = """\
---
title: Placed
bibliography: refs.bib
---

## Body

See @knuth1984.

## Works cited

::: {#refs}
:::

## Coda

After the list.
"""
NONE = """\
---
title: Plain page
appendix-style: none
license: CC BY
copyright: "2024 My Company"
---

Text.[^1] {{< meta license.text >}}, {{< meta copyright.statement >}}.

[^1]: A note.
"""

CITE_AS = """\
---
title: Cited as
author: Ada Lovelace
date: 2024-03-05
citation: true
appendix-cite-as: {shown}
---

Text.
"""
NAMES = ("report", "placed", "none", "display", "hidden")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, BeautifulSoup]:
    folder = tmp_path_factory.mktemp("appendix")
    (folder / "refs.bib").write_text(BIBLIOGRAPHY)
    for name, text in (("report", REPORT), ("placed", PLACED), ("none", NONE),
                       ("display", CITE_AS.format(shown="display")), ("hidden", CITE_AS.format(shown="false"))):
        (folder / f"{name}.qmd").write_text(text)
    code, stderr = render_cli(*(str(folder / f"{n}.qmd") for n in NAMES), "--to", "html",
                              "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    return {name: BeautifulSoup((folder / "out" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
            for name in NAMES}


def _headings(node) -> list[str]:
    return [h.get_text(" ", strip=True) for h in node.select("h2")]


def test_the_appendix_holds_appendix_sections_references_footnotes_reuse_and_copyright(pages):
    page = pages["report"]
    appendix = page.select_one("#quarto-appendix")
    assert _headings(appendix) == ["Thanks", "References", "Footnotes", "Reuse", "Copyright", "Citation"]
    assert "We thank the reviewers." in appendix.get_text() and "The results" not in appendix.get_text()
    # {{< meta license.text >}} reads the licence as Quarto gives it, the words "Reuse" shows
    assert "The results, shared under CC BY-SA 4.0." in page.get_text()
    assert appendix.select_one("#refs").get_text(" ", strip=True).startswith("Knuth, Donald E. 1984")
    assert "A footnote." in appendix.select_one("section#footnotes").get_text()
    licence = appendix.select_one("#quarto-reuse a")
    assert licence.get_text() == "CC BY-SA 4.0" and licence["href"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert "© 2024 Ada Lovelace" in appendix.select_one("#quarto-copyright").get_text()
    citation = appendix.select_one("#quarto-citation")
    bibtex = citation.select_one("pre.quarto-appendix-bibtex").get_text()
    assert bibtex.startswith("@online{lovelace2024,") and "url = {https://example.org/report}" in bibtex
    assert "doi = {10.5555/12345678}" in bibtex  # the page's DOI
    assert " ".join(citation.select_one(".quarto-appendix-citeas").get_text().split()) == \
        "Lovelace, Ada. 2024. “Report.” March 5. https://doi.org/10.5555/12345678."
    assert page.find(id="quarto-appendix").find_previous("h2").get_text() == "Results"  # the body comes first
    contents = [a.get_text(" ", strip=True) for a in page.select("nav#TOC a")]
    assert contents == ["Method", "Results"]  # the appendix is not listed


def test_the_title_block_lists_the_doi_and_the_keywords(pages):
    header = pages["report"].select_one("header#title-block-header")
    doi = header.select_one("p.doi a")
    assert doi.get_text() == "10.5555/12345678" and doi["href"] == "https://doi.org/10.5555/12345678"
    assert header.select_one(".keywords").get_text(" ", strip=True) == "Keywords typesetting, references"


def test_a_reference_list_the_document_places_stays_where_it_is(pages):
    page = pages["placed"]
    refs = page.select_one("#refs")
    assert refs.find_previous("h2").get_text() == "Works cited" and refs.find_next("h2").get_text() == "Coda"
    assert page.select_one("#quarto-appendix") is None  # nothing else to put there


def test_appendix_style_none_leaves_the_page_as_it_is(pages):
    page = pages["none"]
    assert page.select_one("#quarto-appendix") is None and page.select_one("#quarto-reuse") is None
    assert "A note." in page.select_one("section#footnotes").get_text()
    assert "CC BY 4.0, 2024 My Company." in page.get_text()  # a copyright string is its statement, as in Quarto


def test_no_marker_is_left_in_a_page(pages):
    for page in pages.values():
        assert "quarto-appendix-footnotes" not in str(page)


def test_appendix_cite_as_chooses_the_citations_parts_or_none(pages):
    shown = pages["display"].select_one("#quarto-citation")
    assert shown.select_one(".quarto-appendix-citeas") is not None  # display: the formatted reference only
    assert "Lovelace" in shown.get_text() and shown.select_one("pre.quarto-appendix-bibtex") is None
    assert pages["hidden"].select_one("#quarto-citation") is None  # false: no Citation section


def test_a_themed_pages_bibtex_citation_is_a_boxed_block_as_quartos(tmp_path):
    # Quarto boxes the appendix's BibTeX (padding and a border); a themed page's plain-pre reset must not undo it
    (tmp_path / "cited.qmd").write_text("---\ntitle: Cited\nauthor: Ada Lovelace\ndate: 2024-03-05\ncitation:\n"
                                        "  url: https://example.org/cited\nformat:\n  html:\n    theme: cosmo\n---\n\n"
                                        "Text.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "cited.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "out" / "cited.html").as_uri(), wait_for="document.readyState === 'complete'")
        box = browser.evaluate("(s => [s.paddingTop, s.borderTopWidth])(getComputedStyle("
                               "document.querySelector('pre.quarto-appendix-bibtex')))")
    assert box[0] != "0px" and box[1] == "1px", box


def test_the_abstract_and_keywords_are_titled_as_the_title_blocks_other_headings(tmp_path):
    # Quarto's default title block: "ABSTRACT" and "KEYWORDS" in the small capitals of its "AUTHOR" heading
    # (upright, not bold), each over its text
    (tmp_path / "paper.qmd").write_text("---\ntitle: Paper\nauthor: Ada Lovelace\nabstract: What we did.\n"
                                        "keywords: [a, b]\n---\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "paper.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "out" / "paper.html").as_uri(), wait_for="document.readyState === 'complete'")
        styles = browser.evaluate(
            "[...document.querySelectorAll('.quarto-title-meta-heading, .abstract .block-title,"
            " .keywords .block-title')]"
            ".map(e => { const s = getComputedStyle(e); const next = e.nextElementSibling || e.nextSibling;"
            " const gap = next && next.getBoundingClientRect ? next.getBoundingClientRect().top"
            " - e.getBoundingClientRect().bottom : 0;"
            " return [e.textContent, s.textTransform, s.fontWeight, s.fontSize, Math.round(gap)]; })")
    author, abstract, keywords = styles
    assert abstract[:4] == ["Abstract", "uppercase", "400", author[3]], styles
    assert keywords[:4] == ["Keywords", "uppercase", "400", author[3]] and keywords[4] < 8, styles


def test_a_sites_page_is_cited_at_its_address_under_the_site_url_in_its_language(tmp_path):
    # Quarto's synthesised citation URL: site-url, then the page's path (an index page its folder's, with a "/");
    # langid is the page's lang (en unless it names one); the BibTeX is a code block with the page's copy button
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: S\n"
                                          "  site-url: https://example.org/lab/\ncitation: true\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nHello.\n", encoding="utf-8")
    (tmp_path / "talks" / "oslo").mkdir(parents=True)
    (tmp_path / "talks" / "oslo" / "index.qmd").write_text(
        "---\ntitle: Oslo talk\nauthor: Ada Lovelace\ndate: 2024-08-14\n---\n\nSlides.\n", encoding="utf-8")
    (tmp_path / "notes.qmd").write_text("---\ntitle: Notizen\nauthor: Ada Lovelace\ndate: 2024-08-14\nlang: de\n"
                                        "---\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path))
    assert code == 0, stderr

    def citation(name: str):
        page = BeautifulSoup((tmp_path / "_site" / name).read_text(encoding="utf-8"), "html.parser")
        return page.select_one("section#quarto-citation")

    talk = citation("talks/oslo/index.html")
    bibtex = talk.select_one("pre.quarto-appendix-bibtex").get_text()
    assert "url = {https://example.org/lab/talks/oslo/}" in bibtex and "langid = {en}" in bibtex
    assert "https://example.org/lab/talks/oslo/" in talk.select_one(".quarto-appendix-citeas").get_text()
    assert talk.select_one("pre.quarto-appendix-bibtex").find_next("button", class_="code-copy-button")
    notes = citation("notes.html").select_one("pre.quarto-appendix-bibtex").get_text()
    assert "url = {https://example.org/lab/notes.html}" in notes and "langid = {de}" in notes
    assert "url = {https://example.org/lab/}" in citation("index.html").get_text()


def test_a_post_that_names_its_authors_lists_them_alone_and_its_citation_joins_the_folders(tmp_path):
    # Quarto passes the merged options to pandoc as a metadata file, which the post's own YAML overrides: the
    # title block lists the post's authors only; its citation, built from the merged options, lists the folder's
    # author first (Quarto joins the lists). A name's first word is given, the rest family ("Van Strien, Maarten")
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Blog\n", encoding="utf-8")
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "_metadata.yml").write_text("citation: true\nauthor:\n  name: Ada Lovelace\n",
                                                      encoding="utf-8")
    (tmp_path / "posts" / "duo.qmd").write_text("---\ntitle: Duo\ndate: 2024-05-01\nauthor:\n- Maarten Van Strien\n"
                                                "- Bea Smith\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "posts" / "solo.qmd").write_text("---\ntitle: Solo\ndate: 2024-05-02\n---\n\nText.\n",
                                                 encoding="utf-8")
    code, stderr = render_cli(str(tmp_path))
    assert code == 0, stderr
    duo = BeautifulSoup((tmp_path / "_site" / "posts" / "duo.html").read_text(encoding="utf-8"), "html.parser")
    names = [p.get_text(" ", strip=True) for p in duo.select("#title-block-header .quarto-title-meta-contents p")]
    assert names[:2] == ["Maarten Van Strien", "Bea Smith"] and "Ada Lovelace" not in names
    bibtex = duo.select_one("pre.quarto-appendix-bibtex").get_text()
    assert "author = {Lovelace, Ada and Van Strien, Maarten and Smith, Bea}" in " ".join(bibtex.split())
    assert bibtex.startswith("@online{lovelace2024,")
    solo = BeautifulSoup((tmp_path / "_site" / "posts" / "solo.html").read_text(encoding="utf-8"), "html.parser")
    assert "Ada Lovelace" in solo.select_one("#title-block-header").get_text()  # the folder's, where none is named
