"""Custom formats from extensions (``format: talk-revealjs``), as real decks use grantmcdermott's ``clean``:
the extension's options for the base format (and its ``common:`` ones) apply beneath the document's, its
files resolve against the extension's folder, its ``format-resources`` are found by pandoc and LaTeX, a
document's theme list joins the extension's, and ``--to talk-revealjs`` works. Checked in headless Chromium
and in PDF text; also the deck details that came with it (slide-number: true as Quarto shows it, the
title slide's e-mail line, a list's own numbering, callout titles without the icon in their text), and
``template-partials`` (reveal.js's title slide, LaTeX's title) with Quarto's ``by-author``."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .browser import REVEAL_READY, Browser
from .conftest import pdf_text, render_cli, require_tool

EXTENSION = """\
title: Talk
contributes:
  formats:
    common:
      date-format: long
    revealjs:
      theme: [default, talk.scss]
      slide-number: true
      footer: The extension footer
      include-after-body:
        - text: '<script src="talk-config.js"></script>'
      format-resources: [talk-config.js, talk-bg.svg]
      title-slide-attributes:
        data-background-image: talk-bg.svg
      stamp-image: images/stamp.svg
      filters: [stamp.lua]
    pdf:
      include-in-header: talk.tex
      format-resources: [talk-mark.tex]
      template-partials: [title.tex]
"""
SLIM = """\
title: Slim
contributes:
  formats:
    revealjs:
      template-partials: [title-slide.html]
"""
# Quarto's partials read its variables: by-author with name.literal, email ...
SLIM_TITLE = """\
<section id="$idprefix$title-slide" class="quarto-title-block">
<h1 class="title">$title$</h1>
$for(by-author)$
<p class="slim-author">$by-author.name.literal$ at $by-author.email$</p>
$endfor$
</section>
"""
SLIM_DECK = """\
---
title: Slim deck
author:
  - name: Ada Lovelace
    email: ada@example.org
format:
  slim-revealjs:
    template-partials: [nosuch.html]
---

## One
"""
DECK = """\
---
title: A talk
date: 2024-03-05
author:
  - name: Ada Lovelace
    email: ada@example.org
footer: The deck own footer
format:
  talk-revealjs:
    theme: [mine.scss]
---

## First

Body text.

1. first
    i) nested

::: {.callout-tip}
## Heads up
Inside.
:::

## Second
"""
REPORT = """\
---
title: A report
author: Grace Hopper
format: talk-pdf
---

Report text.
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("custom-formats")
    talk = folder / "_extensions" / "acme" / "talk"
    talk.mkdir(parents=True)
    (talk / "_extension.yml").write_text(EXTENSION)
    (talk / "talk.scss").write_text("/*-- scss:rules --*/\n.reveal .slides h2 { color: rgb(10, 20, 30); }\n")
    (talk / "talk-config.js").write_text("document.body.dataset.talk = 'configured';\n")
    (talk / "talk-bg.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>')
    # an option only the extension's own filter reads names a file beside the extension, as in Quarto
    (talk / "images").mkdir()
    (talk / "images" / "stamp.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
                                               '<rect width="8" height="8"/></svg>')
    # ... and one that gives each slide a background among its format-resources, as the onyxia deck theme does
    (talk / "stamp.lua").write_text("function Header(h)\n  h.attributes['background-image'] = 'talk-bg.svg'\n"
                                    "  return h\nend\n"
                                    "function Pandoc(doc)\n"
                                    "  local path = pandoc.utils.stringify(doc.meta['stamp-image'])\n"
                                    "  doc.blocks:insert(pandoc.Para({pandoc.Image('', path, '', {class = 'stamp'})}))"
                                    "\n  return doc\nend\n")
    (talk / "talk.tex").write_text("\\input{talk-mark.tex}\n")
    (talk / "talk-mark.tex").write_text("\\AtBeginDocument{\\noindent ACME REPORT MARK\\par}\n")
    (talk / "title.tex").write_text("\\title{$title$ FOR ACME}\n\\author{$for(by-author)$$by-author.name.literal$"
                                    "$endfor$}\n\\date{}\n")
    slim = folder / "_extensions" / "slim"
    slim.mkdir(parents=True)
    (slim / "_extension.yml").write_text(SLIM)
    (slim / "title-slide.html").write_text(SLIM_TITLE)
    (folder / "nosuch.html").write_text("<p>never used</p>\n")
    (folder / "slim.qmd").write_text(SLIM_DECK)
    (folder / "mine.scss").write_text("/*-- scss:rules --*/\n.reveal .slides p { color: rgb(40, 50, 60); }\n")
    (folder / "deck.qmd").write_text(DECK)
    (folder / "report.qmd").write_text(REPORT)
    (folder / "other.qmd").write_text("---\ntitle: O\nformat: nosuch-revealjs\n---\n\n## A\n")
    code, stderr = render_cli(str(folder / "deck.qmd"), str(folder / "slim.qmd"), "--to", "talk-revealjs",
                              "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    return {"folder": folder, "out": folder / "out", "stderr": stderr}


def test_a_custom_formats_options_theme_and_resources_apply_beneath_the_documents(rendered):
    with Browser(1280, 720) as browser:
        browser.open((rendered["out"] / "deck.html").as_uri(), wait_for=REVEAL_READY)
        seen = browser.evaluate("""(() => {
            const title = document.getElementById('title-slide');
            Reveal.slide(1);
            const slide = Reveal.getCurrentSlide();
            return {
              heading: getComputedStyle(slide.querySelector('h2')).color,
              paragraph: getComputedStyle(slide.querySelector('p')).color,
              footer: document.querySelector('.footer-default').innerText.trim(),
              number: document.querySelector('.slide-number').innerText.replace(/\\s+/g, ''),
              configured: document.body.dataset.talk,
              date: title.querySelector('.date').innerText.trim(),
              email: title.querySelector('.quarto-title-author-email').innerText.trim(),
              nested: getComputedStyle(slide.querySelector('ol ol')).listStyleType,
              callout: slide.querySelector('.callout-title').innerText.trim(),
              icon: getComputedStyle(slide.querySelector('.callout-icon'), '::before').content,
              stamp: document.querySelector('img.stamp').getAttribute('src').slice(0, 26),
              background: title.getAttribute('data-background-image').slice(0, 26),
              slideBackground: (slide.getAttribute('data-background-image') || '').slice(0, 26),
            };
        })()""")
    assert seen["heading"] == "rgb(10, 20, 30)"  # the extension's talk.scss, found in its folder
    assert seen["paragraph"] == "rgb(40, 50, 60)"  # the document's theme list joins the extension's
    assert seen["footer"] == "The deck own footer"  # the document's options win
    assert seen["number"] == "2/3"  # the extension's slide-number: true, shown as Quarto shows it (c/t)
    assert seen["configured"] == "configured"  # a format-resources script its include names
    assert seen["date"] == "March 5, 2024"  # the extension's common: date-format: long
    assert seen["email"] == "ada@example.org"  # a deck's title slide writes the address under the name
    assert seen["nested"] == "lower-roman"  # the list's own numbering, over reveal.js's decimal
    assert seen["callout"] == "Heads up"  # the icon is drawn, not part of the title's text
    assert seen["icon"] not in ("", "none", "normal")  # ... and drawn
    assert seen["stamp"] == "data:image/svg+xml;base64," and "stamp.svg" not in rendered["stderr"]
    # the extension's title-slide background names one of its format-resources, which Quarto copies beside the
    # deck: found there, and drawn
    assert seen["background"] == seen["slideBackground"] == "data:image/svg+xml;base64,"
    assert "talk-bg.svg" not in rendered["stderr"]
    assert "not supported" not in rendered["stderr"]


def test_a_custom_pdf_format_finds_its_header_and_resources_in_the_extension(rendered):
    require_tool("xelatex")
    code, stderr = render_cli(str(rendered["folder"] / "report.qmd"), "--output-dir", str(rendered["out"]))
    assert code == 0, stderr
    text = " ".join(pdf_text(rendered["out"] / "report.pdf").split())
    assert "ACME REPORT MARK" in text and "Report text." in text
    assert "A report FOR ACME" in text and "Grace Hopper" in text  # its title.tex partial, with by-author


def test_a_template_partial_replaces_the_title_slide_and_an_unknown_one_is_a_warning(rendered):
    with Browser(1280, 720) as browser:
        browser.open((rendered["out"] / "slim.html").as_uri(), wait_for=REVEAL_READY)
        lines = browser.evaluate("Array.from(document.querySelectorAll('#title-slide .slim-author'),"
                                 " p => p.innerText.trim())")
        title = browser.evaluate("document.querySelector('#title-slide h1').innerText")
    assert lines == ["Ada Lovelace at ada@example.org"] and title == "Slim deck"
    stderr = " ".join(rendered["stderr"].split())
    assert "template-partials: nosuch.html is not a part of the revealjs template here" in stderr


def test_a_custom_format_without_its_extension_is_a_warning_and_renders_the_base_format(rendered, tmp_path: Path):
    code, stderr = render_cli(str(rendered["folder"] / "other.qmd"), "--output-dir", str(tmp_path))
    assert code == 0, stderr
    assert "format nosuch-revealjs: no extension in _extensions contributes it" in " ".join(stderr.split())
    assert "reveal.js" in (tmp_path / "other.html").read_text(encoding="utf-8")


def test_an_unknown_format_on_the_command_line_is_one_clear_error(tmp_path: Path):
    (tmp_path / "d.qmd").write_text(textwrap.dedent("---\ntitle: D\n---\n\nText.\n"))
    with pytest.raises(SystemExit) as stopped:
        render_cli(str(tmp_path / "d.qmd"), "--to", "talk-odt", "--output-dir", str(tmp_path / "out"))
    assert stopped.value.code != 0 and not (tmp_path / "out").exists()


def test_partials_keep_the_authors_own_template_and_the_partials_beside_it(tmp_path: Path):
    from qmdrender.formats.partials import partial_arguments

    own = tmp_path / "theirs" / "my.latex"
    own.parent.mkdir()
    own.write_text("$extra.tex()$\n$body$\n")
    (own.parent / "extra.tex").write_text("% theirs\n")
    (tmp_path / "title.tex").write_text("% mine\n")
    work = tmp_path / "work"
    work.mkdir()
    arguments = partial_arguments({"template-partials": ["title.tex"]}, "latex", [f"--template={own}"], work,
                                  tmp_path / "doc.qmd")
    template = next(Path(a.split("=", 1)[1]) for a in arguments if a.startswith("--template="))
    assert template.read_text() == own.read_text()  # the author's template, not pandoc's
    assert (template.parent / "extra.tex").read_text() == "% theirs\n"  # its own partial travels with it
    assert (template.parent / "title.tex").read_text() == "% mine\n"


def test_an_extension_format_made_of_its_filters_over_html_renders_html_with_the_live_cells_as_code(tmp_path: Path):
    # quarto-live's _extension.yml: "html: default" and common filters that make {pyodide} cells browser editors
    extension = tmp_path / "_extensions" / "live"
    extension.mkdir(parents=True)
    (extension / "_extension.yml").write_text("title: Live\ncontributes:\n  formats:\n    common:\n"
                                              "      filters:\n        - live.lua\n    html: default\n")
    (extension / "live.lua").write_text("error('not runnable here')\n")
    (tmp_path / "sheet.qmd").write_text('---\ntitle: Sheet\nformat: live-html\n---\n\nTry:\n\n'
                                        '```{pyodide}\nx = "water voles"\nprint(x)\n```\n\n```{r}\nsummary(x)\n```\n')
    code, stderr = render_cli(str(tmp_path / "sheet.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    said = " ".join(stderr.split())
    assert "format live-html: the extension live makes it from html and its own filters" in said
    assert "{pyodide} cells are quarto-live's interactive cells" in said
    assert "cells in r are shown but not run" in said  # said with no Python cell too
    page = (tmp_path / "out" / "sheet.html").read_text(encoding="utf-8")
    assert 'x = "water voles"' in page.replace("&quot;", '"') or "water voles" in page
    # highlighted as the Python it runs in the reader's browser (the closest to quarto-live's editor offline)
    code = BeautifulSoup(page, "html.parser").select_one("div.sourceCode.cell-code pre.python")
    assert code is not None and code.select_one("span.st").get_text() == '"water voles"'


def test_a_partial_that_another_partial_calls_is_used_whatever_its_name(tmp_path: Path):
    # journal formats (quarto-journals/agu) split their title.tex: ${ by-author:_authors.tex()[, ] }
    require_tool("xelatex")
    (tmp_path / "title.tex").write_text("\\title{$title$}\n\\author{${ by-author:_authors.tex()[ and ] }}\n"
                                        "\\date{}\n")
    (tmp_path / "_authors.tex").write_text("$it.name.literal$ (by the partial)")
    (tmp_path / "paper.qmd").write_text("---\ntitle: Split title\nauthor:\n  - Ada Lovelace\n  - Alan Turing\n"
                                        "format:\n  pdf:\n    template-partials: [title.tex, _authors.tex]\n---\n\n"
                                        "Text.\n")
    code, stderr = render_cli(str(tmp_path / "paper.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "_authors.tex" not in stderr  # neither left out nor reported
    text = " ".join(pdf_text(tmp_path / "out" / "paper.pdf", layout=False).split())
    assert "Ada Lovelace (by the partial) and Alan Turing (by the partial)" in text


def test_an_html_pages_title_block_partial_writes_the_header_as_the_author_wrote_it(tmp_path: Path):
    # a course site's title-block.html (Quarto 1.5's pages): a "Download Code" link from the page's own field,
    # then the title, the subtitle as Bootstrap's lead, and plain author and date lines, not Quarto's grid
    (tmp_path / "title-block.html").write_text(
        '<header id="title-block-header">\n$if(name)$<div class="right"><a href="https://example.org/$name$">'
        'Download Code</a></div>$endif$\n$if(title)$<h1 class="title">$title$</h1>$endif$\n'
        '$if(subtitle)$<p class="subtitle">$subtitle$</p>$endif$\n$for(author)$<p class="author">$author$</p>'
        '$endfor$\n</header>\n')
    (tmp_path / "notes.qmd").write_text("---\ntitle: Review\nsubtitle: Lecture 02\nname: notes.qmd\n"
                                        "author: Chris\ntemplate-partials: [title-block.html]\n---\n\nText.\n")
    code, stderr = render_cli(str(tmp_path / "notes.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "title-block.html" not in stderr  # a part of the page's template, not left out
    header = BeautifulSoup((tmp_path / "out" / "notes.html").read_text(encoding="utf-8"),
                           "html.parser").select_one("header#title-block-header")
    assert header.select_one("div.right a")["href"] == "https://example.org/notes.qmd"
    assert [(p.get("class"), p.get_text()) for p in header.select("h1, p")] == [
        (["title"], "Review"), (["subtitle", "lead"], "Lecture 02"), (["author"], "Chris")]
    assert header.select_one(".quarto-title-meta") is None
