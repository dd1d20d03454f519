"""Quarto extensions as real decks and course notes use them, checked in headless Chromium and in PDF text:
shortcodes an extension defines in Lua (with an HTML dependency, a LaTeX package, block results), a
reveal.js plugin an extension contributes (registered before the deck starts, with its config), absolute
positioning on slides, and a deck's .scss rules that use Quarto's reveal.js Sass variables over ``dark``."""

from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from qmdrender.pandoc import pandoc_binary

from .browser import REVEAL_READY, Browser
from .conftest import pdf_text, render_cli, require_tool

BADGES_LUA = """\
return {
  ["badge"] = function(args, kwargs)
    local label = pandoc.utils.stringify(args[1])
    if quarto.doc.is_format("html:js") then
      quarto.doc.add_html_dependency({name = "badges", version = "1.0", stylesheets = {"badges.css"}})
      local colour = pandoc.utils.stringify(kwargs["colour"])
      return pandoc.RawInline("html", '<span class="badge-' .. colour .. '">' .. label .. '</span>')
    end
    return pandoc.Strong({pandoc.Str(label)})
  end,
  ["notice"] = function(args)
    local text = pandoc.utils.stringify(args[1])
    return pandoc.Div({pandoc.Para({pandoc.Str("Notice:"), pandoc.Space(), pandoc.Str(text)})}, {class = "notice"})
  end,
  ["marked"] = function()
    if quarto.doc.is_format("pdf") then
      quarto.doc.use_latex_package("soul")
      return pandoc.RawInline("latex", "\\\\hl{highlighted}")
    end
    return pandoc.Str("highlighted")
  end,
  ["listed"] = function()
    return {pandoc.Str("LISTED"), pandoc.Space(), pandoc.Emph({pandoc.Str("inlines")})}
  end,
  ["needs-tex"] = function()
    quarto.doc.use_latex_package("no-such-package-xyz")
    return pandoc.Str("TEXONLY")
  end,
  ["copied"] = function()
    quarto.doc.use_latex_package("acmecopy")  -- the project's own copy, whose companion TeX lacks
    return pandoc.Str("COPYBAD")
  end,
  ["good"] = function()
    if quarto.doc.is_format("pdf") then
      quarto.doc.use_latex_package("acmegood")  -- the project's own, whose companions TeX has
      return pandoc.RawInline("latex", "\\\\acmegood{}")
    end
    return pandoc.Str("GOODLOCAL")
  end,
}
"""
STAMP_JS = """\
window.RevealStamp = {
  id: "stamp",
  init: function (deck) {
    deck.on("ready", function () {
      const config = deck.getConfig().stamp;
      document.body.dataset.stamp = [config.text, config.bar.header, config.bar.footer].join("|");
    });
    // as simplemenu does: load its stylesheet from beside its script, and start once it has loaded
    return new Promise(function (resolve) {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = "plugin/stamp/stamp.css";
      link.onload = resolve;
      document.head.appendChild(link);
    });
  }
};
"""
DOCUMENT = """\
---
title: Shortcodes
format:
  html: default
  pdf: default
---

Status: {{< badge passing colour=green >}} and {{< unknown-thing >}}.

{{< notice "Read this" >}}

Marked: {{< marked >}}; dropped: {{< needs-tex >}}; {{< listed >}}.

Copied: {{< good >}}{{< copied >}}.
"""
DECK = """\
---
title: Deck
format:
  revealjs:
    theme: [dark, look.scss]
    multiplex: false
revealjs-plugins: [stamp]
stamp:
  text: from the deck
  bar:
    header: H
---

## One {.stamped}

Text with {{< badge ok colour=green >}}.

![](dot.png){.absolute top=50 left=100 width=80}

![A captioned dot](dot.png){.absolute left=100 height=120}
"""
LOOK = """\
/*-- scss:rules --*/
.reveal .slide p { border-bottom: 3px solid $text-muted; color: $body-color; }
.reveal .slide p code { background: $code-block-bg; }
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict:
    from PIL import Image

    require_tool("xelatex")
    folder = tmp_path_factory.mktemp("extensions")
    badges = folder / "_extensions" / "acme" / "badges"
    badges.mkdir(parents=True)
    (badges / "_extension.yml").write_text("title: Badges\ncontributes:\n  shortcodes:\n    - badges.lua\n")
    (badges / "badges.lua").write_text(BADGES_LUA)
    (badges / "badges.css").write_text(".badge-green { color: rgb(0, 128, 0); }\n")
    stamp = folder / "_extensions" / "stamp"
    stamp.mkdir(parents=True)
    (stamp / "_extension.yml").write_text(textwrap.dedent("""\
        title: Stamp
        contributes:
          revealjs-plugins:
            - name: RevealStamp
              script: [stamp.js]
              stylesheet: [stamp.css]
              config:
                stamp:
                  text: the default
                  bar: {header: "", footer: F}
        """))
    (stamp / "stamp.js").write_text(STAMP_JS)
    (stamp / "stamp.css").write_text(".reveal .slides { outline: 1px solid rgb(1, 2, 3); }\n")
    # copies of packages beside the document (a course ships fontawesome5.sty, which needs a helper TeX lacks)
    (folder / "acmecopy.sty").write_text("\\ProvidesPackage{acmecopy}\n\\RequirePackage{acme-missing-helper}\n")
    (folder / "acmegood.sty").write_text("\\ProvidesPackage{acmegood}\n\\RequirePackage[dvipsnames]{xcolor}\n"
                                         "\\newcommand{\\acmegood}{GOODLOCAL}\n")
    (folder / "doc.qmd").write_text(DOCUMENT)
    (folder / "deck.qmd").write_text(DECK)
    (folder / "look.scss").write_text(LOOK)
    Image.new("RGB", (8, 8), "red").save(folder / "dot.png")
    code, stderr = render_cli(str(folder / "doc.qmd"), str(folder / "deck.qmd"), "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    return {"out": folder / "out", "stderr": stderr}


def test_an_extensions_shortcodes_show_in_html_with_their_stylesheet(rendered):
    with Browser(1000, 700) as browser:
        browser.open((rendered["out"] / "doc.html").as_uri(), wait_for="document.readyState === 'complete'")
        badge = browser.evaluate("(() => { const b = document.querySelector('span.badge-green');"
                                 " return [b.textContent, getComputedStyle(b).color]; })()")
        notice = browser.evaluate("(() => { const n = document.querySelector('div.notice');"
                                  " return [n.textContent.trim(), n.parentElement.tagName]; })()")
        text = browser.evaluate("document.querySelector('main, body').innerText")
    assert badge == ["passing", "rgb(0, 128, 0)"]  # the dependency's stylesheet applies
    assert notice[0] == "Notice: Read this" and notice[1] != "P"  # blocks replace the paragraph
    # a call no extension defines is left out, as Quarto leaves it ("Shortcode 'unknown-thing' not found")
    assert "Status: passing and ." in text and "unknown-thing" not in text
    assert "TEXONLY" in text and "highlighted" in text
    assert "LISTED inlines." in text  # a plain Lua list of inlines, as many extensions return
    assert "shortcode {{< unknown-thing >}} is defined by no extension here" in rendered["stderr"]


def test_an_extensions_shortcodes_in_pdf_use_latex_packages_or_are_left_out_with_a_warning(rendered):
    text = " ".join(pdf_text(rendered["out"] / "doc.pdf").split())
    assert "Status: passing" in text and "Notice: Read this" in text
    assert "Marked: highlighted" in text  # \hl from soul: the package reached the preamble
    assert "TEXONLY" not in text
    assert "no-such-package-xyz" in rendered["stderr"] and "not installed" in rendered["stderr"]
    # a project's own copy counts when TeX has what it requires; one that needs a missing companion is left out
    # with a warning that names it, and the PDF is still made (xelatex stopped on it)
    assert "Copied: GOODLOCAL." in text
    assert "the project's copy needs acme-missing-helper.sty" in " ".join(rendered["stderr"].split())


def test_a_decks_plugin_theme_variables_and_absolute_position_in_chromium(rendered):
    assert "not supported" not in rendered["stderr"]  # multiplex: false asks for nothing
    with Browser(1280, 720) as browser:
        browser.open((rendered["out"] / "deck.html").as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(1)")
        stamp = browser.evaluate("document.body.dataset.stamp")
        heading = browser.evaluate("[Reveal.getCurrentSlide().querySelector('h2').getAttribute('class'),"
                                   " Reveal.getCurrentSlide().classList.contains('stamped')]")
        outline = browser.evaluate("getComputedStyle(document.querySelector('.reveal .slides')).outlineColor")
        background = browser.evaluate("getComputedStyle(document.querySelector('.reveal-viewport')).backgroundColor")
        paragraph = browser.evaluate("getComputedStyle(Reveal.getCurrentSlide().querySelector('p')).color")
        image = browser.evaluate("(() => { const s = getComputedStyle(Reveal.getCurrentSlide().querySelector('img'));"
                                 " return [s.position, s.top, s.left]; })()")
        badge = browser.evaluate("getComputedStyle(document.querySelector('span.badge-green')).color")
        # a captioned one (a figure): as Quarto writes it, its places go to the figure, and the image, out of the
        # flow, stays at the left of where the text puts it
        captioned = browser.evaluate("(() => { const f = Reveal.getCurrentSlide().querySelector('figure');"
                                     " const s = getComputedStyle(f.querySelector('img'));"
                                     " return [s.position, s.left, f.getBoundingClientRect().height > 100,"
                                     " f.querySelector('img').getBoundingClientRect().left"
                                     " - f.getBoundingClientRect().left < 2]; })()")
    # registered before 'ready', with the deck's config over the default at every depth (the footer stays)
    assert stamp == "from the deck|H|F"
    assert heading == [None, True]  # the slide's class on the slide, not on its heading (as Quarto writes it)
    assert outline == "rgb(1, 2, 3)"
    assert background == "rgb(25, 25, 25)" and paragraph == "rgb(255, 255, 255)"  # dark: $body-color is white
    assert image == ["absolute", "50px", "100px"]
    assert captioned[0] == "absolute" and all(captioned[2:])
    assert badge == "rgb(0, 128, 0)"


def test_unsupported_warning_ignores_options_set_to_false(tmp_path: Path):
    (tmp_path / "deck.qmd").write_text("---\ntitle: D\nformat:\n  revealjs:\n    multiplex: true\n---\n\n## A\n")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0 and "option multiplex" in stderr  # asked for: named as unsupported
    # an R chunk's cache is knitr's own: the chunk does not run here (it has its own warning), nothing is missed
    (tmp_path / "r.qmd").write_text("---\ntitle: R\n---\n\n```{r}\n#| cache: true\n1 + 1\n```\n")
    code, stderr = render_cli(str(tmp_path / "r.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0 and "cell option cache" not in stderr and "shown but not run" in stderr


FRAME_LUA = """\
-- the older style: shortcodes defined as global functions, not returned in a table
function frame(args)
  return pandoc.RawInline("html", '<iframe src="https://example.org/' .. pandoc.utils.stringify(args[1])
    .. '"></iframe>')
end
"""


def test_a_shortcode_defined_as_a_global_function_and_a_web_pages_frame_stay_a_link(tmp_path: Path):
    extension = tmp_path / "slides" / "_extensions" / "acme" / "frame"
    extension.mkdir(parents=True)
    (extension / "_extension.yml").write_text("title: Frame\ncontributes:\n  shortcodes:\n    - frame.lua\n")
    (extension / "frame.lua").write_text(FRAME_LUA)
    # alone in its paragraph (one inline as the shortcode's result), and in a sentence
    (tmp_path / "slides" / "page.qmd").write_text("---\ntitle: Frames\n---\n\n{{< frame alone >}}\n\n"
                                                  "A frame {{< frame inline >}} in a sentence.\n")
    code, stderr = render_cli(str(tmp_path / "slides" / "page.qmd"), "--to", "html", "--output-dir",
                              str(tmp_path / "out"))
    assert code == 0, stderr
    assert "could not fetch" not in stderr and "not defined" not in stderr
    html = (tmp_path / "out" / "page.html").read_text(encoding="utf-8")
    frames = re.findall(r"<iframe[^>]*>", html)
    assert [re.search(r'src="([^"]*)"', f)[1] for f in frames] == ["https://example.org/alone",
                                                                   "https://example.org/inline"]
    assert all('data-external="1"' in f for f in frames)  # a link to the page, not the page fetched in


ICON_LUA = """\
return {
  ["icon"] = function(args)
    return pandoc.RawInline("html", '<i class="icon-' .. pandoc.utils.stringify(args[1]) .. '"></i>')
  end
}
"""


def test_a_site_page_whose_title_calls_an_extensions_shortcode_shows_it_and_no_warning(tmp_path: Path):
    # a course site titles a page "{{< fa brands docker >}}: Docker"; the page runs the shortcode, the
    # site's navigation (built before any page renders) leaves it out instead of showing it as text
    extension = tmp_path / "_extensions" / "acme" / "icon"
    extension.mkdir(parents=True)
    (extension / "_extension.yml").write_text("title: Icon\ncontributes:\n  shortcodes:\n    - icon.lua\n")
    (extension / "icon.lua").write_text(ICON_LUA)
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  sidebar:\n    contents: auto\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nWelcome.\n")
    (tmp_path / "docker.qmd").write_text('---\ntitle: "{{< icon docker >}} Docker"\n---\n\nContainers.\n')
    code, stderr = render_cli(str(tmp_path))
    assert code == 0, stderr
    assert "not supported" not in stderr and "not defined" not in stderr
    page = BeautifulSoup((tmp_path / "_site" / "docker.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("h1.title i.icon-docker") is not None
    entries = [" ".join(a.get_text().split()) for a in page.select("#quarto-sidebar a.sidebar-link")]
    assert "Docker" in entries and not any("{{" in e for e in entries)


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f80f00000101000518d84e0000000049454e44ae426082")


def test_an_extension_formats_template_beside_the_document_calls_quartos_title_slide_part(tmp_path: Path):
    # the Fermilab deck theme: "template: template.html" names a copy of Quarto's reveal.js template that sits
    # beside the example deck, not in the extension, and calls Quarto's $title-slide.html()$ part
    default = subprocess.run([pandoc_binary(), "-D", "revealjs"], capture_output=True, text=True, check=True).stdout
    own = re.sub(r'<section id="\$idprefix\$title-slide".*?\n</section>', "$title-slide.html()$", default,
                 count=1, flags=re.S)
    assert "$title-slide.html()$" in own
    (tmp_path / "template.html").write_text(own.replace("<head>", "<head>\n<!-- the lab's own template -->", 1),
                                            encoding="utf-8")
    extension = tmp_path / "_extensions" / "lab"
    extension.mkdir(parents=True)
    (extension / "_extension.yml").write_text("title: Lab\nversion: 1.0.0\ncontributes:\n  formats:\n    revealjs:\n"
                                              "      template: template.html\n", encoding="utf-8")
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "dot.png").write_bytes(PNG)
    (tmp_path / "deck.qmd").write_text("---\ntitle: Sample Presentation\nformat: lab-revealjs\n---\n\n"
                                       "## One\n\n![A dot](/pics/dot.png)\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = (tmp_path / "out" / "deck.html").read_text(encoding="utf-8")
    assert "the lab's own template" in page
    soup = BeautifulSoup(page, "html.parser")
    assert "Sample Presentation" in soup.select_one("section#title-slide").get_text()
    # "/" names the document's folder when it is in no project, as Quarto takes it: found and embedded
    assert "not found" not in stderr
    assert (soup.select_one("section#one img").get("data-src") or soup.select_one("section#one img")["src"]) \
        .startswith("data:image/png")


def test_a_sites_footer_and_navbar_run_an_extensions_shortcodes_with_their_stylesheet_on_every_page(
        tmp_path: Path):
    # Julia Silge's workshop site: "Content {{< fa brands creative-commons >}} 2026 ..." in its page-footer
    extension = tmp_path / "_extensions" / "acme" / "badges"
    (extension / "fonts").mkdir(parents=True)
    (extension / "_extension.yml").write_text("title: Badges\ncontributes:\n  shortcodes:\n    - badges.lua\n")
    (extension / "badges.lua").write_text(BADGES_LUA)
    (extension / "badges.css").write_text(".badge-green { color: rgb(0, 128, 0); }\n"
                                          "@font-face { font-family: Badge; src: url(fonts/badge.woff2); }\n")
    (extension / "fonts" / "badge.woff2").write_bytes(b"wOF2")
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  title: Site\n  navbar:\n    left:\n      - href: index.qmd\n"
        "        text: 'Home {{< badge new colour=green >}}'\n  page-footer:\n"
        "    left: |\n      Content {{< badge passing colour=green >}} 2026\n      {{< badge passing colour=green >}}"
        " more\n    right: 'Made {{< nosuch thing >}} here'\n", encoding="utf-8")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nWelcome.\n")
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "one.qmd").write_text("---\ntitle: One\n---\n\nA post.\n")
    code, stderr = render_cli(str(tmp_path))
    assert code == 0, stderr
    assert "badge" not in stderr, stderr
    # a call no extension of the project defines: left out, said once
    assert stderr.count("{{< nosuch >}}") == 1 and "defined by no extension" in stderr and "left as text" not in stderr
    site = tmp_path / "_site"
    for page, up in (("index.html", ""), ("posts/one.html", "../")):
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        footer = soup.select_one("footer .nav-footer-left")
        # each call's HTML where it stood, the text around them in one paragraph as written
        assert [b.get_text() for b in footer.select("span.badge-green")] == ["passing", "passing"], page
        assert " ".join(footer.get_text().split()) == "Content passing 2026 passing more"
        assert soup.select_one("header a.nav-link span.badge-green").get_text() == "new"
        assert soup.select_one("footer .nav-footer-right").get_text(" ", strip=True) == "Made here"
        links = [link["href"] for link in soup.select('head link[rel="stylesheet"]')]
        assert f"{up}site_libs/quarto-contrib/acme-badges/badges.css" in links, (page, links)
    assert (site / "site_libs" / "quarto-contrib" / "acme-badges" / "fonts" / "badge.woff2").is_file()
    with Browser(1000, 700) as browser:
        browser.open((site / "posts" / "one.html").as_uri())
        colour = browser.evaluate("getComputedStyle(document.querySelector('footer span.badge-green')).color")
    assert colour == "rgb(0, 128, 0)"
    # the extension's stylesheet changed: the site's copy is the new one, not the one an earlier render left
    (extension / "badges.css").write_text(".badge-green { color: rgb(0, 0, 128); }\n")
    code, stderr = render_cli(str(tmp_path))
    assert code == 0, stderr
    assert "rgb(0, 0, 128)" in (site / "site_libs" / "quarto-contrib" / "acme-badges" / "badges.css").read_text()


ICONS_LUA = """\
return {
  ["icon"] = function(args)
    quarto.doc.add_html_dependency({name = "icons", stylesheets = {"assets/css/icons.css"}})
    return pandoc.RawInline("html", '<i class="icon-' .. pandoc.utils.stringify(args[1]) .. '"></i>')
  end,
}
"""


def test_an_extensions_stylesheet_naming_a_missing_font_renders_with_the_rest_of_it_and_a_warning(tmp_path: Path):
    # quarto-ext/fontawesome 1.1.0's all.css names one font a folder too high; the browser skips it in Quarto's
    # page, and pandoc, which embeds the stylesheet's files, must not stop the render at it
    icons = tmp_path / "_extensions" / "icons"
    (icons / "assets" / "css").mkdir(parents=True)
    (icons / "assets" / "webfonts").mkdir()
    (icons / "_extension.yml").write_text("title: Icons\ncontributes:\n  shortcodes:\n    - icons.lua\n")
    (icons / "icons.lua").write_text(ICONS_LUA)
    (icons / "assets" / "webfonts" / "solid.woff2").write_bytes(b"wOF2 font bytes")
    (icons / "assets" / "css" / "icons.css").write_text(
        '@font-face { font-family: "Icons"; src: url("../../webfonts/gone.ttf"), '
        "url(../webfonts/solid.woff2?v=6) format('woff2'); }\n.icon-star { color: rgb(9, 8, 7); }\n")
    (tmp_path / "doc.qmd").write_text("---\ntitle: Icons\n---\n\nA {{< icon star >}} here.\n")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "refers to ../../webfonts/gone.ttf, which does not exist" in stderr
    page = (tmp_path / "out" / "doc.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    styles = " ".join(style.get_text() for style in soup.find_all("style"))
    assert ".icon-star { color: rgb(9, 8, 7); }" in styles and "data:font/woff2;base64," in styles
    assert soup.select_one("main i.icon-star") is not None
