"""theme: as Quarto builds it, checked in headless Chromium: a Bootswatch theme compiled from the real
Bootstrap and Bootswatch SCSS by Sass, a document's .scss layered in Quarto's sections, a light/dark
pair, the compiled CSS cached by what goes into it, and a deck's own .scss over a reveal.js theme."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from qmdrender.themes import compile_scss, theme_root, theme_scss, with_local_urls

from .browser import REVEAL_READY, Browser
from .conftest import render_cli, render_document

DOCUMENT = """\
---
title: "Themed"
author:
  - name: Ada
    affiliations: Analytical Engines
theme:
  light: [cosmo, custom.scss]
  dark: darkly
---

A paragraph with [a link](#here) and a button-coloured word.

```python
x = 1
```

::: {.callout-note}
A note in the theme's blue.
:::

| a | b |
|---|---|
| 1 | 2 |

: Counts {#tbl-counts}
"""
CUSTOM = """\
/*-- scss:defaults --*/
$link-color: #8b0000;

/*-- scss:rules --*/
h1.title { letter-spacing: 0.12em; }
.callout.callout-style-default .callout-body { font-size: 1rem; }
"""
DECK = """\
---
title: "Deck"
format:
  revealjs:
    theme: [default, deck.scss]
---

## A slide

Words on a themed slide.
"""
DECK_SCSS = """\
/*-- scss:defaults --*/
$body-bg: #fdf6e3;

/*-- scss:rules --*/
.reveal h2 { color: rgb(1, 2, 3); }
"""


@pytest.fixture(scope="module")
def themed(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("themes")
    for name, text in (("doc.qmd", DOCUMENT), ("custom.scss", CUSTOM), ("deck.qmd", DECK), ("deck.scss", DECK_SCSS)):
        (folder / name).write_text(text, encoding="utf-8")
    for document in ("doc.qmd", "deck.qmd"):
        code, stderr = render_cli(str(folder / document), "--output-dir", str(folder / "out"))
        assert code == 0, stderr
        assert "not supported" not in stderr
    return {"folder": folder, "doc": folder / "out" / "doc.html", "deck": folder / "out" / "deck.html"}


def test_a_bootswatch_theme_with_the_documents_scss_and_a_dark_pair(themed):
    html = themed["doc"].read_text(encoding="utf-8")
    assert "fonts.googleapis" not in html  # web fonts off: the page works offline
    with Browser(1000, 700) as browser:
        browser.open(themed["doc"].as_uri(), wait_for="document.readyState === 'complete'")
        style = "getComputedStyle(document.{})"
        assert browser.evaluate(style.format("querySelector('a[href=\"#here\"]')") + ".color") == "rgb(139, 0, 0)"
        assert "Source Sans Pro" in browser.evaluate(style.format("body") + ".fontFamily")  # cosmo's font stack
        # and the font itself, as Quarto's page loads it from Google: from npm (Fontsource), embedded in the page
        faces = browser.evaluate("document.fonts.ready.then(() => [...document.fonts].filter(f => f.status === "
                                 "'loaded').map(f => f.family + ' ' + f.weight))")
        assert "Source Sans Pro 400" in faces and "Source Sans Pro 700" in faces, faces
        assert browser.evaluate(style.format("querySelector('h1.title')") + ".letterSpacing") != "normal"
        assert browser.evaluate(style.format("body") + ".backgroundColor") == "rgb(255, 255, 255)"
        # Quarto's code block (the progress bar's grey, cosmo's #e9ecef, at 65 %, bordered alike, 0.4em inside) and
        # title block (1rem from the top; the metadata's heading 0.8em, its value 0.9em)
        block = browser.evaluate("(s => [s.backgroundColor, s.borderTopWidth, s.borderTopColor])(getComputedStyle("
                                 "document.querySelector('div.sourceCode')))")
        assert block == ["rgba(233, 236, 239, 0.65)", "1px", "rgba(233, 236, 239, 0.65)"]
        code = browser.evaluate("(s => [s.paddingTop, s.fontSize, s.backgroundColor])(getComputedStyle("
                                "document.querySelector('pre.sourceCode')))")
        assert code == ["5.95px", "14.875px", "rgba(0, 0, 0, 0)"]  # 0.4em of its 0.875 × 17px
        title = browser.evaluate("[getComputedStyle(document.querySelector('h1.title')).fontSize, "
                                 "document.querySelector('h1.title').getBoundingClientRect().top, "
                                 "getComputedStyle(document.querySelector('.quarto-title-meta-heading')).fontSize, "
                                 "getComputedStyle(document.querySelector('.quarto-title-meta-contents')).fontSize]")
        # (the title Bootstrap's responsive h1, as on Quarto's pages: 1.325rem + 0.9vw in this 1000px window,
        # 2rem from 1200px)
        assert title == ["31.525px", 17, "13.6px", "15.3px"]
        # the metadata's first heading 1em of its 0.8em (13.6px) under the title, as Quarto's grid sits
        gap = browser.evaluate("document.querySelector('.quarto-title-meta-heading').getBoundingClientRect().top - "
                               "document.querySelector('h1.title').getBoundingClientRect().bottom")
        assert abs(gap - 13.6) < 1
        # Quarto's callout: the theme's blue (cosmo's #2780e3) in a 5px bar, its title bar a 10 % tint at 85 %
        note = browser.evaluate("(c => [getComputedStyle(c).borderLeft, getComputedStyle(c.firstElementChild)"
                                ".backgroundColor, getComputedStyle(c.firstElementChild).opacity, c.className])("
                                "document.querySelector('.callout-note'))")
        assert note[:3] == ["5px solid rgb(39, 128, 227)", "rgb(233, 242, 252)", "0.85"]
        assert "callout-titled" in note[3]
        # the author's rule for the callout's text, written with Quarto's own selector, wins over Quarto's 0.9rem
        body = browser.evaluate("getComputedStyle(document.querySelector('.callout-note .callout-body')).fontSize")
        assert body == "17px"
        # Quarto's captions: 0.9rem, the text's colour (cosmo's #373a3c) lightened 25 % (HLS: #747a7f)
        caption = browser.evaluate("(s => [s.color, s.fontSize])(getComputedStyle(document.querySelector("
                                   "'#tbl-counts figcaption, #tbl-counts caption')))")
        assert caption == ["rgb(116, 122, 127)", "15.3px"]
        number = style.format("querySelector('code span.dv')") + ".color"
        assert browser.evaluate(number) == "rgb(173, 0, 0)"  # arrow's light colours
        # a reader whose system prefers dark still gets the theme listed first, as in Quarto
        browser.send("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "dark"}])
        browser.open(themed["doc"].as_uri())
        assert browser.evaluate(style.format("body") + ".backgroundColor") == "rgb(255, 255, 255)"
        assert browser.evaluate("document.body.classList.contains('quarto-light')")
        # Quarto's toggle, at the top right of a page without a navbar or sidebar: the dark theme, alone
        toggle = browser.evaluate("(r => [r.top, innerWidth - r.right])(document.querySelector("
                                  "'a.quarto-color-scheme-toggle').getBoundingClientRect())")
        assert toggle[0] < 40 and toggle[1] < 40
        browser.click("a.quarto-color-scheme-toggle")
        assert browser.evaluate(style.format("body") + ".backgroundColor") == "rgb(34, 34, 34)"  # darkly
        assert browser.evaluate("document.body.className") == "quarto-dark"
        # its callout: darkly's blue bar, framed in its table border colour (gray-700), as Quarto's
        frame = browser.evaluate("(s => [s.borderTopColor, s.borderLeftColor])(getComputedStyle("
                                 "document.querySelector('.callout-note')))")
        assert frame == ["rgb(68, 68, 68)", "rgb(55, 90, 127)"]
        assert browser.evaluate(number) == "rgb(212, 208, 171)"  # arrow's dark colours, as on a dark page
        # over the light theme, as Quarto layers them: the light half's own rule stays, its inline code's ground not
        assert browser.evaluate(style.format("querySelector('h1.title')") + ".letterSpacing") != "normal"
        # the choice is remembered: the next visit starts dark, the toggle shown switched on
        browser.open_once_stored(themed["doc"].as_uri(), "localStorage.getItem('quarto-color-scheme')")
        assert browser.evaluate(style.format("body") + ".backgroundColor") == "rgb(34, 34, 34)"
        assert browser.evaluate("document.querySelector('a.quarto-color-scheme-toggle').classList"
                                ".contains('alternate')")
        browser.click("a.quarto-color-scheme-toggle")
        assert browser.evaluate(style.format("body") + ".backgroundColor") == "rgb(255, 255, 255)"
        assert browser.evaluate("localStorage.getItem('quarto-color-scheme')") == "default"


def test_compiled_themes_are_cached_by_everything_that_goes_into_them(tmp_path):
    root = theme_root()
    (tmp_path / "a.scss").write_text("/*-- scss:rules --*/\nh1 { color: red; }\n", encoding="utf-8")
    first = compile_scss(theme_scss(["cosmo", "a.scss"], tmp_path, root), root)
    assert compile_scss(theme_scss(["cosmo", "a.scss"], tmp_path, root), root) == first  # the same: reused
    (tmp_path / "a.scss").write_text("/*-- scss:rules --*/\nh1 { color: blue; }\n", encoding="utf-8")
    changed = compile_scss(theme_scss(["cosmo", "a.scss"], tmp_path, root), root)
    assert changed != first and "blue" in changed.read_text() and "h1{color:red}" not in changed.read_text()


def test_a_theme_files_opening_lines_are_defaults_and_the_last_files_defaults_win(tmp_path):
    root = theme_root()
    (tmp_path / "a.scss").write_text("/*-- scss:defaults --*/\n$headings-color: rgb(200, 0, 0) !default;\n",
                                     encoding="utf-8")
    # no defaults marker: what comes before the first one is defaults, as Quarto reads it
    (tmp_path / "b.scss").write_text("$headings-color: rgb(0, 0, 200) !default;\n/*-- scss:rules --*/\n"
                                     ".marker { color: $headings-color; }\n", encoding="utf-8")
    css = compile_scss(theme_scss(["cosmo", "a.scss", "b.scss"], tmp_path, root), root).read_text()
    assert re.search(r"\.marker\s*\{\s*color:\s*(#0000c8|rgb\(0, 0, 200\))", css)  # the later file's value
    css = compile_scss(theme_scss(["cosmo", "b.scss", "a.scss"], tmp_path, root), root).read_text()
    assert re.search(r"\.marker\s*\{\s*color:\s*(#c80000|rgb\(200, 0, 0\))", css)


def test_a_light_theme_takes_quartos_headings_and_inline_code_and_a_dark_one_keeps_its_own_code(tmp_path):
    root = theme_root()
    light = compile_scss(theme_scss(["default"], tmp_path, root), root).read_text()
    dark = compile_scss(theme_scss(["darkly"], tmp_path, root), root).read_text()
    # Quarto's page look: h2 at 1.65rem (Bootstrap's is 2rem), over a theme's own (flatly's 2.5rem is 1.65rem on
    # Quarto 1.5's flatly pages, Python for Data Science's book), under a document's own; inline code purple on
    # light grey
    assert re.search(r"h2,\s*\.h2\s*\{[^}]*font-size:\s*1\.65rem", light)
    flatly = compile_scss(theme_scss(["flatly"], tmp_path, root), root).read_text()
    assert re.search(r"h2,\s*\.h2\s*\{[^}]*font-size:\s*1\.65rem", flatly) and "h2,.h2{font-size:2.5rem" not in flatly
    (tmp_path / "sizes.scss").write_text("/*-- scss:defaults --*/\n$h2-font-size: 2.2rem !default;\n", encoding="utf-8")
    own = compile_scss(theme_scss(["flatly", "sizes.scss"], tmp_path, root), root).read_text()
    assert re.search(r"h2,\s*\.h2\s*\{[^}]*font-size:\s*2\.2rem", own)
    # (inline code on the code blocks' ground, the progress bar's grey at 65 %; none on a dark theme)
    inline = r"p code:not\(\.sourceCode\),li code:not\(\.sourceCode\),td code:not\(\.sourceCode\)\{background-color:"
    assert "#7d12ba" in light and "--code-block-bg: rgba(233, 236, 239, 0.65)" in light
    assert re.search(inline + r"var\(--code-block-bg\)", light)
    assert "#7d12ba" not in dark and re.search(inline + r"rgba\(0,0,0,0\)", dark)
    # Quarto's headings: h1 and h2 at weight 600 in Bootstrap's $headings-color, inherit (the text's own colour:
    # a course's cosmo pages, Quarto 1.6, and lightly's, Quarto 1.8, measured), h2 ruled off; Bootstrap's line
    # spacing for headings, not the report's
    # (as :where(body) rules, so that an author's "h2 {...}" after them wins, as over Quarto's)
    assert re.search(r":where\(body\) h1,[^{]*:where\(body\) h2[^{]*\{color:inherit;[^}]*font-weight:600", light)
    assert re.search(r":where\(body\) h1,:where\(body\) \.h1,:where\(body\) h2,:where\(body\) \.h2,:where\(body\) h3,"
                     r":where\(body\) \.h3,:where\(body\) h4,:where\(body\) \.h4\{line-height:1\.2\}", light)
    assert re.search(r":where\(body\) h2,[^{]*\{border-bottom:1px solid", light)
    # zephyr's headings in Quarto's copy of the theme are its gray-900, as Quarto 1.5's CPSC 330 pages show them
    # (rgb(33, 37, 41)); the npm release names an undefined CSS variable instead
    zephyr = compile_scss(theme_scss(["zephyr"], tmp_path, root), root).read_text()
    assert re.search(r":where\(body\) h1,[^{]*:where\(body\) h2[^{]*\{color:#212529;", zephyr)
    assert "html body{line-height:1.5}" in light  # Bootstrap's line spacing on a themed page, as in Quarto
    # Quarto's table rules, its colours as its own pages compute them (DS-100's notes, Quarto 1.8)
    assert re.search(r"body \.table\{[^}]*border-top:1px solid #d3d3d4", light)
    assert re.search(r"body \.table>thead\{border-top-width:0;border-bottom:1px solid #909294\}", light)
    # a cell's printed output plain under its code, without the report's box (a course's cosmo pages, Quarto 1.7)
    assert re.search(r"body div\.cell-output-stdout pre,body div\.cell-output-display pre,body div\.cell-output-stderr "
                     r"pre,body div\.cell-output-error pre\{background:none;border:0;padding:0;margin-top:0\}", light)


def test_a_themed_pages_subtitle_is_quartos_lead_paragraph(tmp_path):
    # Quarto writes <p class="subtitle lead">: Bootstrap's 1.25rem at weight 300 in the text's colour, 0.25em above
    # and 0.5em below (checked against Quarto 1.7's pages of a public course site)
    (tmp_path / "sub.qmd").write_text("---\ntitle: Project\nsubtitle: A course on models\ntheme: cosmo\n---\n\n"
                                      "Text.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "sub.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "out" / "sub.html").as_uri())
        looks = browser.evaluate("(p => [p.className, ...['color', 'fontSize', 'fontWeight', 'marginTop', "
                                 "'marginBottom'].map(k => getComputedStyle(p)[k]), getComputedStyle(document.body)"
                                 ".color])(document.querySelector('header p.subtitle'))")
    assert looks[:6] == ["subtitle lead", looks[6], "21.25px", "300", "5.3125px", "10.625px"]


def test_a_themed_pages_code_takes_the_themes_monospace_size_padding_and_corners_as_quarto(tmp_path):
    # Quarto's patched Bootstrap reboot pads every code element ($spacer/8 $spacer/4) and rounds it unless the
    # theme has no rounded corners, and its rules make a block's code a block; the fonts are Bootstrap's monospace
    # at $code-font-size, .875em (a course's cosmo and lightly pages, Quarto 1.6 and 1.8, measured)
    body = "Text with `inline` code.\n\n```python\nx = 1\n```\n"
    for theme in ("cosmo", "flatly"):
        (tmp_path / f"{theme}.qmd").write_text(f"---\ntitle: Code\ntheme: {theme}\n---\n\n{body}", encoding="utf-8")
    code, stderr = render_cli(*(str(tmp_path / f"{t}.qmd") for t in ("cosmo", "flatly")),
                              "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    looks = {}
    with Browser(1000, 700) as browser:
        for theme in ("cosmo", "flatly"):
            browser.open((tmp_path / "out" / f"{theme}.html").as_uri())
            looks[theme] = browser.evaluate("""(() => { const b = document.querySelector('pre.sourceCode > code'),
              i = document.querySelector('p code'), body = parseFloat(getComputedStyle(document.body).fontSize);
              const c = e => getComputedStyle(e), rem = parseFloat(c(document.documentElement).fontSize);
              return {font: c(i).fontFamily, block: c(b).display,
                      pad: [parseFloat(c(b).paddingTop) / rem, parseFloat(c(b).paddingLeft) / rem],
                      size: parseFloat(c(i).fontSize) / body, radius: c(b).borderTopLeftRadius,
                      boxRadius: c(document.querySelector('div.sourceCode')).borderTopLeftRadius}; })()""")
    for theme, look in looks.items():
        assert look["font"].startswith("SFMono-Regular, Menlo"), theme  # not the report's own DejaVu Sans Mono
        assert look["block"] == "block" and look["pad"] == [0.125, 0.25], theme  # rem
        assert abs(look["size"] - 0.875) < 0.001, theme
    assert looks["cosmo"]["radius"] == looks["cosmo"]["boxRadius"] == "0px"  # cosmo: $enable-rounded: false
    assert looks["flatly"]["radius"] not in ("0px", "")  # rounded: $border-radius


def test_an_authors_own_heading_rules_win_over_the_themes_as_over_quartos(tmp_path):
    # a course site's styles.css colours its headings ("h1, h2, h3 { color: #819CBB; font-weight: bolder }") and
    # Quarto's pages show them so (repicentre, lightly/darkly, Quarto 1.8): the page's heading rules of a theme give
    # way to an author's plain "h2" rule that comes after them, and its h2 rule to an author's "h2 { border: 0 }"
    (tmp_path / "styles.css").write_text("h1, h2, h3 { color: #819CBB; font-weight: 800; }\n"
                                         "h2 { border-bottom: 0; }\n", encoding="utf-8")
    (tmp_path / "page.qmd").write_text("---\ntitle: Page\ntheme: cosmo\ncss: styles.css\n---\n\n## Section\n\n"
                                       "Text.\n\n### Part\n\nMore.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "page.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "out" / "page.html").as_uri())
        looks = browser.evaluate("['main h2', 'main h3'].map(s => getComputedStyle(document.querySelector(s)))"
                                 ".map(c => [c.color, c.fontWeight, c.borderBottomWidth])")
    assert looks == [["rgb(129, 156, 187)", "800", "0px"], ["rgb(129, 156, 187)", "800", looks[1][2]]]


def test_a_link_takes_the_texts_weight_in_bold_text_too_unless_the_theme_sets_link_weight(tmp_path):
    # Quarto's pages (1.6 and later) set a link's weight to $link-weight, the text's weight unless a theme or
    # brand says otherwise: a publication card's title link in a 600-weight div reads as text (a lab's site, cosmo)
    body = '<div style="font-weight: 600">[A paper](https://example.org/p)</div>\n\n**[Bold link](#x)** and **bold**.\n'
    (tmp_path / "heavy.scss").write_text("/*-- scss:defaults --*/\n$link-weight: 700;\n", encoding="utf-8")
    for name, theme in (("plain", ""), ("cosmo", "theme: cosmo\n"), ("heavy", "theme: [cosmo, heavy.scss]\n")):
        (tmp_path / f"{name}.qmd").write_text(f"---\ntitle: Links\n{theme}---\n\n{body}", encoding="utf-8")
        code, stderr = render_cli(str(tmp_path / f"{name}.qmd"), "--output-dir", str(tmp_path / "out"))
        assert code == 0, stderr
    weights = {}
    with Browser(1000, 700) as browser:
        for name in ("plain", "cosmo", "heavy"):
            browser.open((tmp_path / "out" / f"{name}.html").as_uri())
            weights[name] = browser.evaluate("['main div a', 'main strong a', 'main p > strong:last-of-type']"
                                             ".map(s => getComputedStyle(document.querySelector(s)).fontWeight)")
    assert weights["plain"] == weights["cosmo"] == ["400", "400", "700"]
    assert weights["heavy"] == ["700", "700", "700"]


def test_a_pages_fontsize_fonts_spacing_and_colours_are_the_themes_as_quarto_passes_them_to_bootstrap(tmp_path):
    # a course's notes set "fontsize: medium" and "mainfont: Atkinson Hyperlegible" over cosmo: Quarto makes them
    # $font-size-root and $font-family-base, so the page is 16px (Quarto's own root is 17px) in that family
    (tmp_path / "notes.qmd").write_text(
        '---\ntitle: Notes\ntheme: cosmo\nfontsize: medium\nmainfont: Atkinson Hyperlegible\nlinestretch: 1.7\n'
        'linkcolor: "#aa0000"\nmonofont: Courier New\n---\n\nText with [a link](#x) and `code`.\n',
        encoding="utf-8")
    (tmp_path / "plain.qmd").write_text("---\ntitle: Plain\ntheme: cosmo\n---\n\nText with [a link](#x) and `code`.\n",
                                        encoding="utf-8")
    # without a theme, the report's own look takes them too
    (tmp_path / "own.qmd").write_text('---\ntitle: Own\nfontsize: 20px\nmainfont: Georgia\nlinestretch: 1.7\n'
                                      'linkcolor: "#aa0000"\n---\n\nText with [a link](#x) and `code`.\n',
                                      encoding="utf-8")
    code, stderr = render_cli(*(str(tmp_path / f"{name}.qmd") for name in ("notes", "plain", "own")), "--to", "html",
                              "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    looks = {}
    with Browser(1000, 700) as browser:
        for name in ("notes", "plain", "own"):
            browser.open((tmp_path / "out" / f"{name}.html").as_uri())
            looks[name] = browser.evaluate("""(() => { const c = e => getComputedStyle(document.querySelector(e));
              return [c('html').fontSize, c('body').fontFamily.split(',')[0], c('main p').lineHeight,
                      c('main p a').color, c('main p code').fontFamily.split(',')[0]]; })()""")
    # (monofont is Quarto's $font-family-code, which its rules for code do not read: code keeps the monospace)
    assert looks["notes"] == ["16px", '"Atkinson Hyperlegible"', "27.2px", "rgb(170, 0, 0)", "SFMono-Regular"]
    assert looks["plain"][0] == "17px" and looks["plain"][1:4] != looks["notes"][1:4]
    assert looks["own"][:4] == ["20px", "Georgia", "34px", "rgb(170, 0, 0)"]


def _page_with_a_dot(folder: Path, name: str, text: str) -> Path:
    """``text`` rendered to HTML as ``folder/name.qmd``, beside a small navy ``dot.png``: the page."""
    from PIL import Image

    (folder / f"{name}.qmd").write_text(text, encoding="utf-8")
    Image.new("RGB", (40, 30), "navy").save(folder / "dot.png")
    code, stderr = render_cli(str(folder / f"{name}.qmd"), "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    return folder / "out" / f"{name}.html"


def test_a_themed_pages_quotes_and_plain_figures_are_drawn_as_quartos(tmp_path):
    # Quarto marks every quote with Bootstrap's .blockquote and draws it with its patched reboot and own rule:
    # 0.625rem × 1rem/1.5rem padded, a 0.25rem rule at the left, the text at the body's size in the secondary
    # colour (theme-dim 25%: #212529 lightened, rgb(90, 101, 112)); a plain figure.figure is a block the column's
    # width, not Bootstrap's inline-block (a course site's pages, Quarto 1.8, measured)
    text = ("---\ntitle: Quotes\ntheme: default\n---\n\n> Quoted words.\n\n"
            '<figure class="figure"><p><img src="dot.png" class="figure-img"></p></figure>\n\n---\n\nAfter a rule.\n')
    with Browser(1000, 700) as browser:
        browser.open(_page_with_a_dot(tmp_path, "quotes", text).as_uri())
        look = browser.evaluate("""(() => { const q = document.querySelector('main blockquote'),
          c = getComputedStyle(q), rem = parseFloat(getComputedStyle(document.documentElement).fontSize),
          f = document.querySelector('figure');
          return [q.className, parseFloat(c.paddingTop) / rem, parseFloat(c.paddingLeft) / rem,
                  parseFloat(c.paddingRight) / rem, Math.abs(parseFloat(c.borderLeftWidth) - rem / 4) < 1, c.color,
                  c.fontSize,
                  getComputedStyle(document.body).fontSize, getComputedStyle(f).display,
                  f.getBoundingClientRect().width === f.parentElement.getBoundingClientRect().width]; })()""")
    assert look[0] == "blockquote"
    assert look[1:5] == [0.625, 1, 1.5, True]  # (a border's width is whole pixels)
    assert look[5] == "rgb(90, 101, 112)" and look[6] == look[7]
    assert look[8] == "block" and look[9]
    # a rule is Bootstrap's: the text's colour at a quarter's opacity (a documentation site's home, Quarto 1.10)
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "out" / "quotes.html").as_uri())
        rule = browser.evaluate("(h => [getComputedStyle(h).borderTopColor, getComputedStyle(h).opacity,"
                                " getComputedStyle(document.body).color])(document.querySelector('main hr'))")
    assert rule[0] == rule[2] and rule[1] == "0.25"


def test_a_themed_pages_tabs_touch_panes_keep_the_boxs_padding_and_headings_bootstraps_margins(tmp_path):
    # Bootstrap's tabs on a themed page have no gap between them and the pane only the box's 1em; h3 keeps
    # Bootstrap's 0.5rem under it and 1.2 line spacing (the report's own look spaces tabs, pads panes and gives
    # headings 0.75rem at 1.25); measured on a Python course site's tabbed setup page, Quarto 1.8
    text = ("---\ntitle: Tabs\ntheme: cosmo\n---\n\n### Choose\n\n::: {.panel-tabset}\n\n## One\n\nFirst.\n\n"
            "## Two\n\nSecond.\n\n:::\n")
    (tmp_path / "tabs.qmd").write_text(text, encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "tabs.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "out" / "tabs.html").as_uri())
        look = browser.evaluate("""(() => { const c = e => getComputedStyle(e),
          tabs = document.querySelectorAll('.nav-item'), rem = parseFloat(c(document.documentElement).fontSize),
          h = document.querySelector('main h3');
          return [tabs[1].getBoundingClientRect().left - tabs[0].getBoundingClientRect().right,
                  c(document.querySelector('.tab-pane')).paddingLeft, parseFloat(c(h).marginBottom) / rem,
                  parseFloat(c(h).lineHeight) / parseFloat(c(h).fontSize)]; })()""")
    assert look[0] == 0 and look[1] == "0px"
    assert look[2] == 0.5 and abs(look[3] - 1.2) < 0.01


def test_a_themed_pages_figures_callout_contents_and_copy_buttons_are_placed_as_quartos(tmp_path):
    # Measured on a Python course site's set-up page (Quarto 1.8, cosmo): a figure has no margin above and its
    # caption sits right under the image (the report's own look spaces them); a titled callout's last nested
    # block is padded 0.5rem; a tab pane's code block has no margin above; each code block and its copy button
    # are in Quarto's div.code-copy-outer-scaffold, the code marked code-with-copy
    text = ("---\ntitle: Figures\ntheme: cosmo\n---\n\n::: {.callout-note title=\"Step 1\"}\nOpen it.\n\n"
            "![A dot](dot.png)\n:::\n\n::: {.panel-tabset}\n\n## One\n\n```python\nx = 1\n```\n\n:::\n")
    with Browser(1000, 700) as browser:
        browser.open(_page_with_a_dot(tmp_path, "figures", text).as_uri())
        look = browser.evaluate("""(() => { const c = e => getComputedStyle(e), f = document.querySelector('figure'),
          rem = parseFloat(c(document.documentElement).fontSize), img = f.querySelector('img'),
          cap = f.querySelector('figcaption'), code = document.querySelector('.tab-pane div.sourceCode'),
          holder = code.parentElement;
          return [c(f).marginTop, cap.getBoundingClientRect().top - img.parentElement.getBoundingClientRect().bottom,
                  parseFloat(c(f).paddingBottom) / rem, c(code).marginTop, holder.className,
                  holder.lastElementChild.className, code.querySelector('pre').classList.contains('code-with-copy')];
          })()""")
    assert look[0] == "0px" and abs(look[1]) < 0.5  # the figure is the callout's last block: padded 0.5rem
    assert look[2] == 0.5 and look[3] == "0px"
    assert look[4] == "code-copy-outer-scaffold" and "code-copy-button" in look[5] and look[6]
    # written into the file as Quarto writes it, where authors' rules and any reader of the HTML find it
    soup = BeautifulSoup((tmp_path / "out" / "figures.html").read_text(encoding="utf-8"), "html.parser")
    button = soup.select_one("div.code-copy-outer-scaffold > div.sourceCode + button.code-copy-button")
    # its icon Quarto's <i class="bi">, drawn by CSS (an inline <svg> would count as a figure's to a reader's tools)
    assert button["title"] == "Copy to Clipboard" and button.select_one("i.bi") is not None and button.svg is None
    assert soup.select_one("div.code-copy-outer-scaffold pre.sourceCode.code-with-copy") is not None


def test_a_decks_scss_is_compiled_over_its_revealjs_theme(themed):
    with Browser(1280, 720) as browser:
        browser.open(themed["deck"].as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(1)")
        background = browser.evaluate("getComputedStyle(document.querySelector('.reveal-viewport')).backgroundColor")
        heading = browser.evaluate("getComputedStyle(Reveal.getCurrentSlide().querySelector('h2')).color")
    assert background == "rgb(253, 246, 227)" and heading == "rgb(1, 2, 3)"


def test_a_decks_code_colour_wins_and_a_dark_slide_takes_quartos_dark_background_code_colour(tmp_path):
    # a course's deck sets $code-color; its section slides have a dark background of their own
    (tmp_path / "deck.scss").write_text("/*-- scss:defaults --*/\n$code-color: #1520ec !default;\n", encoding="utf-8")
    (tmp_path / "deck.qmd").write_text(textwrap.dedent("""\
        ---
        title: Deck
        format:
          revealjs:
            theme: [default, deck.scss]
            highlight-style: github-dark
        ---

        ## Light

        What is `Python`?

        ## Dark {background-color="#1c191c"}

        What is `Python`?
        """), encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    colour = "getComputedStyle(Reveal.getCurrentSlide().querySelector('p code')).color"
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "out" / "deck.html").as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.slide(1)")
        light = browser.evaluate(colour)
        browser.evaluate("Reveal.slide(2)")
        browser.wait("Reveal.getCurrentSlide().classList.contains('has-dark-background')")
        dark = browser.evaluate(colour)
    assert (light, dark) == ("rgb(21, 32, 236)", "rgb(255, 160, 122)")  # as Quarto's deck shows them


def test_a_theme_part_that_cannot_be_found_is_named_and_left_out_as_quarto_does(tmp_path):
    (tmp_path / "doc.qmd").write_text(textwrap.dedent("""\
        ---
        title: "Bad"
        theme:
          light: [cosmo, missing.scss]
          dark: [lightly]
        ---

        Text.
        """), encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr  # Quarto renders such a page: the parts it cannot find are left out
    assert "theme: missing.scss does not exist" in stderr and "'lightly' is not a Bootswatch theme" in stderr
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "out" / "doc.html").as_uri())
        font = browser.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Source Sans Pro" in font  # cosmo's fonts: the theme that was found applies


def test_a_theme_files_images_are_found_from_its_own_folder_and_a_missing_one_is_named(tmp_path):
    from PIL import Image

    # a course's theme.scss draws a background from a file beside it; another names an image that is not there
    # (a Git LFS file never fetched), which stopped every page of the site
    (tmp_path / "styles").mkdir()
    Image.new("RGB", (4, 4), (0, 128, 0)).save(tmp_path / "styles" / "dot.png")
    (tmp_path / "styles" / "site.scss").write_text(textwrap.dedent("""\
        /*-- scss:rules --*/
        .dotted { background-image: url("dot.png"); min-height: 2rem; }
        .gone { background-image: url('images/gone.png'); }
        .remote { background-image: url(https://example.org/x.png); }
        """), encoding="utf-8")
    (tmp_path / "doc.qmd").write_text(textwrap.dedent("""\
        ---
        title: "Backgrounds"
        theme:
          light: [cosmo, styles/site.scss]
          dark: [darkly, styles/site.scss]
        ---

        ::: {.dotted}
        Text on dots.
        :::
        """), encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "site.scss: url(images/gone.png) names a file that does not exist" in stderr
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "out" / "doc.html").as_uri())
        background = browser.evaluate("getComputedStyle(document.querySelector('.dotted')).backgroundImage")
    assert background.startswith('url("data:image/png;base64,')
    assert "https://example.org/x.png" in (tmp_path / "out" / "doc.html").read_text(encoding="utf-8")


def _frozen_themed_page(folder: Path, look: str, body: str = "Text.") -> tuple[Path, Path]:
    """A page under freeze: auto themed by cosmo and ``look.scss`` (``look``), rendered twice: the second
    render finds it up to date (nothing changed). Its source and its output folder."""
    document, out = folder / "doc.qmd", folder / "out"
    document.write_text(f"---\ntitle: Frozen and themed\nformat: html\ntheme: [cosmo, look.scss]\n"
                        f"execute:\n  freeze: auto\n---\n\n{body}\n", encoding="utf-8")
    (folder / "look.scss").write_text(look, encoding="utf-8")
    for _ in range(2):
        code, stderr = render_cli(str(document), "--output-dir", str(out))
        assert code == 0, stderr
    assert "up to date" in stderr  # nothing changed: the page is kept
    return document, out


def test_editing_a_themes_scss_re_renders_a_frozen_page(tmp_path):
    document, out = _frozen_themed_page(tmp_path, "/*-- scss:rules --*/\n.first-look { color: red; }\n")
    (tmp_path / "look.scss").write_text("/*-- scss:rules --*/\n.second-look { color: blue; }\n", encoding="utf-8")
    code, stderr = render_cli(str(document), "--output-dir", str(out))
    assert code == 0 and "up to date" not in stderr  # the stamp covers the theme's files
    html = (out / "doc.html").read_text(encoding="utf-8")
    assert ".second-look" in html and ".first-look" not in html


def test_a_themes_scss_imports_partials_from_its_own_folder_and_an_edited_partial_re_renders(tmp_path):
    # Quarto compiles a theme with its file's folder to import from: `@import 'mixins'` is assets/_mixins.scss
    (tmp_path / "assets" / "parts").mkdir(parents=True)
    (tmp_path / "assets" / "_mixins.scss").write_text(
        "$accent: rgb(1, 2, 3);\n@import 'parts/shade';\n", encoding="utf-8")
    (tmp_path / "assets" / "parts" / "_shade.scss").write_text("$shade: rgb(4, 5, 6);\n", encoding="utf-8")
    look = "/*-- scss:defaults --*/\n@import 'mixins';\n/*-- scss:rules --*/\n" \
           ".accent { color: $accent; background-color: $shade; }\n"
    (tmp_path / "assets" / "look.scss").write_text(look, encoding="utf-8")
    document, out = tmp_path / "doc.qmd", tmp_path / "out"
    document.write_text("---\ntitle: Partials\ntheme: [cosmo, assets/look.scss]\nexecute:\n  freeze: auto\n---\n\n"
                        "::: {.accent}\nText.\n:::\n", encoding="utf-8")
    code, stderr = render_cli(str(document), "--output-dir", str(out))
    assert code == 0, stderr
    html = (out / "doc.html").read_text(encoding="utf-8")
    assert re.search(r"\.accent\{color:(#010203|rgb\(1, 2, 3\));background-color:(#040506|rgb\(4, 5, 6\))", html)
    (tmp_path / "assets" / "parts" / "_shade.scss").write_text("$shade: rgb(7, 8, 9);\n", encoding="utf-8")
    code, stderr = render_cli(str(document), "--output-dir", str(out))
    assert code == 0 and "up to date" not in stderr  # the stamp covers the partials, and the compiled CSS too
    html = (out / "doc.html").read_text(encoding="utf-8")
    assert re.search(r"background-color:(#070809|rgb\(7, 8, 9\))", html)


def test_editing_an_image_a_themes_scss_names_re_renders_a_frozen_page(tmp_path):
    from PIL import Image

    Image.new("RGB", (2, 2), (255, 0, 0)).save(tmp_path / "bg.png")
    document, out = _frozen_themed_page(tmp_path, "/*-- scss:rules --*/\n.dotted { background-image: url(bg.png); }\n",
                                        "::: {.dotted}\nText.\n:::")
    before = (out / "doc.html").read_text(encoding="utf-8")
    Image.new("RGB", (2, 2), (0, 0, 255)).save(tmp_path / "bg.png")  # the same names, another picture
    code, stderr = render_cli(str(document), "--output-dir", str(out))
    assert code == 0 and "up to date" not in stderr  # the stamp covers the files the theme embeds
    assert (out / "doc.html").read_text(encoding="utf-8") != before


def test_editing_an_image_a_css_file_names_re_renders_a_frozen_page(tmp_path):
    # the page embeds what its css: stylesheet uses, so the picture is part of the page, as a theme's are
    from PIL import Image

    Image.new("RGB", (2, 2), (255, 0, 0)).save(tmp_path / "bg.png")
    (tmp_path / "look.css").write_text(".dotted { background-image: url(bg.png); }\n", encoding="utf-8")
    document, out = tmp_path / "doc.qmd", tmp_path / "out"
    document.write_text("---\ntitle: Frozen\nformat: html\ncss: look.css\nexecute:\n  freeze: auto\n---\n\n"
                        "::: {.dotted}\nText.\n:::\n", encoding="utf-8")
    for _ in range(2):
        code, stderr = render_cli(str(document), "--output-dir", str(out))
        assert code == 0, stderr
    assert "up to date" in stderr  # nothing changed: the page is kept
    before = (out / "doc.html").read_text(encoding="utf-8")
    Image.new("RGB", (2, 2), (0, 0, 255)).save(tmp_path / "bg.png")  # the same name, another picture
    code, stderr = render_cli(str(document), "--output-dir", str(out))
    assert code == 0 and "up to date" not in stderr
    assert (out / "doc.html").read_text(encoding="utf-8") != before


def test_editing_a_highlight_theme_file_re_renders_a_frozen_page(tmp_path):
    import json
    import subprocess

    from qmdrender.pandoc import pandoc_binary

    theme = json.loads(subprocess.run([pandoc_binary(), "--print-highlight-style=tango"], capture_output=True,
                                      text=True, check=True).stdout)
    (tmp_path / "doc.qmd").write_text("---\ntitle: Code\nhighlight-style: mine.theme\nexecute:\n  freeze: auto\n"
                                      "---\n\n```python\nx = 'text'\n```\n", encoding="utf-8")
    out = tmp_path / "out"

    def render(colour: str) -> str:
        theme["text-styles"]["String"]["text-color"] = colour
        (tmp_path / "mine.theme").write_text(json.dumps(theme), encoding="utf-8")
        code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html", "--output-dir", str(out))
        assert code == 0, stderr
        return stderr

    render("#a01b7c")
    assert "up to date" in render("#a01b7c")  # nothing changed: the page is kept
    assert "up to date" not in render("#1b7ca0")  # the stamp covers the .theme file
    assert "#1b7ca0" in (out / "doc.html").read_text(encoding="utf-8")


def test_a_sites_pages_take_quartos_site_values_over_the_bootswatch_themes_own(tmp_path):
    # Luke Johnston's yeti site (Quarto 1.8): Quarto compiles its listing stylesheet into every site page, and its
    # values come before the theme's !default ones: 0.25rem corners and Bootstrap's greys, not yeti's square
    # corners and #888; the same document outside a site keeps yeti's
    page = "---\ntitle: Home\n---\n\n```python\nx = 1\n```\n"
    site = _site(tmp_path / "site", "project: {type: website}\nwebsite:\n  title: Talks\nformat:\n  html:\n"
                                    "    theme: yeti\n", page)
    code, stderr = render_cli(str(site))
    assert code == 0, stderr
    (tmp_path / "alone.qmd").write_text("---\ntitle: Home\nformat:\n  html:\n    theme: yeti\n---\n\n"
                                        "```python\nx = 1\n```\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "alone.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    looks = {}
    with Browser(1280, 720) as browser:
        for name, path in (("site", site / "_site" / "index.html"), ("alone", tmp_path / "out" / "alone.html")):
            browser.open(path.as_uri(), wait_for="document.readyState === 'complete'")
            looks[name] = browser.evaluate("""[getComputedStyle(document.querySelector('div.sourceCode')).borderRadius,
                getComputedStyle(document.documentElement).getPropertyValue('--bs-gray-600').trim()]""")
    assert looks == {"site": ["4.25px", "#6c757d"], "alone": ["0px", "#888"]}


def test_an_authors_rules_for_body_h1_and_blockquote_win_over_the_pages_own_as_over_quartos(tmp_path):
    # Australian Rainfall Dynamics (Quarto 1.8, cosmo and its .scss): "body { color: #2c3e50 }", "h1 { font-size:
    # 2.5rem }" and "blockquote { border-left: 4px solid $primary }" show on Quarto's page (the title 42.5px in
    # the body's colour, the quote's rule blue); the page's own rules had outweighed them. Without a theme the
    # report's own title size and quote rule stay.
    (tmp_path / "own.scss").write_text("/*-- scss:defaults --*/\n$primary: #0d6efd;\n/*-- scss:rules --*/\n"
                                       "body { color: #2c3e50; }\nh1 { font-size: 2.5rem; }\n"
                                       "blockquote { border-left: 4px solid $primary; }\n", encoding="utf-8")
    text = "> A quoted context.\n\nText.\n"
    (tmp_path / "own.qmd").write_text(f"---\ntitle: Data\nformat:\n  html:\n    theme: [cosmo, own.scss]\n---\n\n"
                                      f"{text}", encoding="utf-8")
    (tmp_path / "plain.qmd").write_text(f"---\ntitle: Data\n---\n\n{text}", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "own.qmd"), str(tmp_path / "plain.qmd"), "--output-dir",
                              str(tmp_path / "out"))
    assert code == 0, stderr
    looks = {}
    with Browser(1400, 800) as browser:
        for name in ("own", "plain"):
            browser.open((tmp_path / "out" / f"{name}.html").as_uri(), wait_for="document.readyState === 'complete'")
            looks[name] = browser.evaluate("""[getComputedStyle(document.querySelector('h1.title')).fontSize,
                getComputedStyle(document.querySelector('h1.title')).color,
                getComputedStyle(document.querySelector('main blockquote')).borderLeftColor]""")
    assert looks["own"] == ["42.5px", "rgb(44, 62, 80)", "rgb(13, 110, 253)"]
    assert looks["plain"][0] == "35.7px"  # the report's own 2.1rem


def test_an_authors_details_summary_is_muted_and_the_block_spaced_as_quartos_rules_set_them(tmp_path):
    # Kubus42's LLM seminar (Quarto 1.6, cosmo site): "Show solution" summaries in $text-muted (#6c757d on a
    # site), the <details> 1em above what follows; without a theme the report's muted grey
    details = "<details>\n<summary>\nShow solution\n</summary>\n\nThe answer.\n\n</details>\n\nAfter.\n"
    site = _site(tmp_path / "site", "project: {type: website}\nformat:\n  html:\n    theme: cosmo\n",
                 details)
    code, stderr = render_cli(str(site))
    assert code == 0, stderr
    (tmp_path / "plain.qmd").write_text(f"---\ntitle: Plain\n---\n\n{details}", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "plain.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    looks = []
    with Browser(1280, 720) as browser:
        for path in (site / "_site" / "index.html", tmp_path / "out" / "plain.html"):
            browser.open(path.as_uri(), wait_for="document.readyState === 'complete'")
            looks.append(browser.evaluate("""[getComputedStyle(document.querySelector('main details > summary')).color,
                getComputedStyle(document.querySelector('main details')).marginBottom]"""))
    assert looks == [["rgb(108, 117, 125)", "17px"], ["rgb(89, 99, 110)", "17px"]]  # the report's --muted, #59636e


def test_a_themes_own_sidebar_ground_takes_its_page_entry_in_the_link_colour_made_to_read_there(tmp_path):
    # a discrete-mathematics course (Quarto 1.4, cosmo and its .scss: $sidebar-bg #1B9AAA, $sidebar-fg #F4F2F3,
    # purple links): the page's own entry near white (254, 252, 254), as Quarto's theme-contrast mixes the link
    # colour toward white on that mid-tone ground; the other entries in $sidebar-fg
    site = tmp_path / "site"
    site.mkdir()
    (site / "teal.scss").write_text("/*-- scss:defaults --*/\n$sidebar-bg: #1B9AAA;\n$sidebar-fg: #F4F2F3;\n"
                                    "$link-color: #7E007B;\n", encoding="utf-8")
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  sidebar:\n    style: docked\n"
                                      "    contents: [index.qmd, other.qmd]\nformat:\n  html:\n"
                                      "    theme: [cosmo, teal.scss]\n", encoding="utf-8")
    for name in ("index", "other"):
        (site / f"{name}.qmd").write_text(f"---\ntitle: {name.title()}\n---\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(site))
    assert code == 0, stderr
    with Browser(1280, 720) as browser:
        browser.open((site / "_site" / "index.html").as_uri(), wait_for="document.readyState === 'complete'")
        active, other = browser.evaluate("""['#quarto-sidebar a.active', '#quarto-sidebar a[href="other.html"]'].map(
            s => getComputedStyle(document.querySelector(s)).color)""")
    assert all(abs(a - b) <= 3 for a, b in zip(_rgb(active), (254, 252, 254), strict=True)), active
    assert other == "rgb(244, 242, 243)"


def test_a_highlight_theme_files_ground_is_the_code_blocks_and_an_own_code_bg_the_inline_codes(tmp_path):
    # AI for Actuaries (Quarto 1.7): highlight-style: blue-pygments.theme, whose background-color #e9ecef Quarto
    # makes the code blocks' (solid, not its usual 65 % grey), and $code-bg: transparent in the site's .scss
    import json

    theme = {"text-color": None, "background-color": "#e9ecef", "text-styles": {}}
    (tmp_path / "blue.theme").write_text(json.dumps(theme), encoding="utf-8")
    (tmp_path / "plain.scss").write_text("/*-- scss:defaults --*/\n$code-bg: transparent;\n", encoding="utf-8")
    for name, layers in (("own", "[default, plain.scss]"), ("grey", "default")):
        (tmp_path / f"{name}.qmd").write_text(
            f"---\ntitle: Code\nhighlight-style: blue.theme\nformat:\n  html:\n    theme: {layers}\n---\n\n"
            "Call `fit()` first.\n\n```python\nx = 1\n```\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "own.qmd"), str(tmp_path / "grey.qmd"), "--output-dir",
                              str(tmp_path / "out"))
    assert code == 0, stderr
    looks = {}
    with Browser(1280, 720) as browser:
        for name in ("own", "grey"):
            browser.open((tmp_path / "out" / f"{name}.html").as_uri(), wait_for="document.readyState === 'complete'")
            looks[name] = browser.evaluate("""['div.sourceCode', 'p code'].map(
                s => getComputedStyle(document.querySelector(s)).backgroundColor)""")
    assert looks["own"] == ["rgb(233, 236, 239)", "rgba(0, 0, 0, 0)"]
    assert looks["grey"] == ["rgb(233, 236, 239)", "rgb(233, 236, 239)"]  # inline code on the blocks' ground


SYNTAX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE language>
<language name="Python" section="Scripts" version="99" kateversion="5.0" extensions="*.py">
  <highlighting>
    <list name="words"><item>{word}</item></list>
    <contexts><context name="Normal" attribute="Normal Text" lineEndContext="#stay">
      <keyword attribute="Keyword" String="words"/></context></contexts>
    <itemDatas><itemData name="Normal Text" defStyleNum="dsNormal"/>
      <itemData name="Keyword" defStyleNum="dsKeyword"/></itemDatas>
  </highlighting>
  <general><keywords casesensitive="1"/></general>
</language>
"""


def test_a_documents_own_syntax_definition_colours_its_code_and_editing_it_re_renders(tmp_path):
    # AI for Actuaries (Quarto 1.7: syntax-definitions: [python.xml] in _quarto.yml): pandoc reads the author's
    # KDE definition over its own, so its keywords, not pandoc's, are coloured
    (tmp_path / "doc.qmd").write_text("---\ntitle: Code\nsyntax-definitions: [py.xml]\nexecute:\n  freeze: auto\n"
                                      "---\n\n```python\ndef frobnicate(): pass\n```\n", encoding="utf-8")
    out = tmp_path / "out"

    def keywords(word: str) -> list[str]:
        (tmp_path / "py.xml").write_text(SYNTAX.format(word=word), encoding="utf-8")
        code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html", "--output-dir", str(out))
        assert code == 0, stderr
        soup = BeautifulSoup((out / "doc.html").read_text(encoding="utf-8"), "html.parser")
        return [span.get_text() for span in soup.select("pre code span.kw")]

    assert keywords("frobnicate") == ["frobnicate"]  # not def, which pandoc's own Python definition colours
    assert keywords("pass") == ["pass"]  # the stamp covers the definition's file


BRAND = """\
color:
  palette:
    ink: "#222222"
    sky: "#ddeaf1"
    accent: "#b3261e"
  background: sky
  foreground: ink
  primary: accent
typography:
  base: Jura
  headings:
    family: Jura
    color: accent
"""


def test_a_projects_brand_colours_and_fonts_the_html_page_and_the_deck(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    (tmp_path / "_brand.yml").write_text(BRAND, encoding="utf-8")
    (tmp_path / "doc.qmd").write_text(textwrap.dedent("""\
        ---
        title: "Branded"
        format:
          html: default
          revealjs:
            output-file: deck.html
        ---

        ## A slide

        Text with [a link](https://example.org).
        """), encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html,revealjs", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    looks = {}
    for page, ground, text in (("doc.html", "body", "body"), ("deck.html", ".reveal-viewport", ".reveal")):
        with Browser(1280, 720) as browser:
            browser.open((tmp_path / "out" / page).as_uri(), wait_for="document.readyState === 'complete'")
            looks[page] = browser.evaluate(f"""[getComputedStyle(document.querySelector('{ground}')).backgroundColor,
                getComputedStyle(document.querySelector('{text}')).color,
                getComputedStyle(document.querySelector('h2')).color,
                getComputedStyle(document.querySelector('h2')).fontFamily.split(',')[0],
                getComputedStyle(document.querySelector('a[href="https://example.org"]')).color]""")
    expected = ["rgb(221, 234, 241)", "rgb(34, 34, 34)", "rgb(179, 38, 30)", "Jura", "rgb(179, 38, 30)"]
    assert looks == {"doc.html": expected, "deck.html": expected}


def test_a_brands_own_bootstrap_sass_and_typography_settings_reach_the_page_and_not_the_deck(tmp_path):
    # a documentation site's _brand.yml (Quarto 1.10's pages): headings of weight normal, links undecorated, code at
    # 0.9em, and its defaults: bootstrap: rules (h2 in Times, italic); a deck takes defaults: revealjs: instead
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    (tmp_path / "_brand.yml").write_text(textwrap.dedent("""\
        color:
          palette:
            red: "#F95838"
          primary: red
        typography:
          headings:
            weight: normal
          link:
            decoration: none
          monospace:
            size: 0.9em
        defaults:
          bootstrap:
            defaults:
              border-radius: 0
            rules: |
              h2 { font-family: "Times New Roman", serif; font-style: italic; }
        """), encoding="utf-8")
    (tmp_path / "doc.qmd").write_text("---\ntitle: Branded\nformat:\n  html:\n    toc: true\n  revealjs:\n"
                                      "    output-file: deck.html\n---\n\n## A slide\n\nText with [a link](#x) "
                                      "and `code`.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html,revealjs", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    looks = {}
    for page in ("doc.html", "deck.html"):
        with Browser(1280, 720) as browser:
            browser.open((tmp_path / "out" / page).as_uri(), wait_for="document.readyState === 'complete'")
            looks[page] = browser.evaluate("""(() => { const c = s => getComputedStyle(document.querySelector(s));
              const h = document.querySelector('section.level2 > h2') ? 'section.level2 > h2' : 'section h2';
              return [c(h).fontWeight, c(h).fontStyle, c(h).fontFamily.split(',')[0],
                      c('p a').textDecorationLine, parseFloat(c('p code').fontSize) / parseFloat(c('p').fontSize)];
              })()""")
    weight, style, family, decoration, size = looks["doc.html"]
    assert (weight, style, family, decoration) == ("400", "italic", '"Times New Roman"', "none")
    assert abs(size - 0.9) < 0.01
    assert looks["deck.html"][1:3] != ["italic", '"Times New Roman"']  # Bootstrap's rules are the page's only
    # the contents' title is an h2 in the text's family, as Quarto's rule for it says (italic all the same)
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "out" / "doc.html").as_uri())
        toc = browser.evaluate("(c => [c.fontFamily.split(',')[0], c.fontStyle])"
                               "(getComputedStyle(document.querySelector('#toc-title')))")
    assert toc[0] != '"Times New Roman"' and toc[1] == "italic"


def test_brand_false_keeps_the_report_look_a_missing_brand_file_is_one_error_and_brand_yaml_is_found(tmp_path):
    (tmp_path / "_brand.yml").write_text(BRAND, encoding="utf-8")
    (tmp_path / "plain.qmd").write_text("---\ntitle: Plain\nbrand: false\n---\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "plain.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "221, 234, 241" not in (tmp_path / "out" / "plain.html").read_text(encoding="utf-8")
    assert "#ddeaf1" not in (tmp_path / "out" / "plain.html").read_text(encoding="utf-8").lower()
    (tmp_path / "bad.qmd").write_text("---\ntitle: Bad\nbrand: brands/missing.yml\n---\n\nText.\n",
                                      encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "bad.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code != 0 and "brand: " in stderr and "missing.yml does not exist" in stderr
    assert not (tmp_path / "out" / "bad.html").exists()
    spelled = tmp_path / "spelled"  # _brand.yaml is found as _brand.yml is
    spelled.mkdir()
    (spelled / "_brand.yaml").write_text(BRAND, encoding="utf-8")
    (spelled / "doc.qmd").write_text("---\ntitle: Spelled\n---\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(spelled / "doc.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    styled = (tmp_path / "out" / "doc.html").read_text(encoding="utf-8").lower()
    assert "221, 234, 241" in styled or "#ddeaf1" in styled


def test_a_named_themes_colours_win_over_the_brand_unless_the_theme_lists_brand_after_it(tmp_path):
    # Quarto's layering (quarto-cli#11440, "_brand.yml Layering" in More About Quarto Themes): the brand is the
    # least important layer unless the theme lists "brand"; a real book (KIT's numerics notes, Quarto 1.7.33:
    # theme: cosmo with a _brand.yaml) has cosmo's links (#2761e3, Quarto's cosmo link colour) and the
    # palette as --brand-NAME custom properties
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    (tmp_path / "_brand.yaml").write_text(BRAND, encoding="utf-8")
    fronts = {"under.qmd": "format:\n  html:\n    theme: cosmo",
              "over.qmd": "format:\n  html:\n    theme: [cosmo, brand]",
              "deck_under.qmd": "format:\n  revealjs:\n    theme: simple",
              "deck_over.qmd": "format:\n  revealjs:\n    theme: [simple, brand]",
              # a heading's number in the brand's secondary colour (KIT's book: #4664aa, Quarto's body-secondary)
              "numbered.qmd": "number-sections: true\nbrand:\n  color:\n    secondary: '#4664aa'\n"
                              "format:\n  html:\n    theme: cosmo"}
    for name, front in fronts.items():
        (tmp_path / name).write_text(f"---\ntitle: Layers\n{front}\n---\n\n## A slide\n\n"
                                     "Text with [a link](https://example.org).\n", encoding="utf-8")
    code, stderr = render_cli(*(str(tmp_path / name) for name in fronts), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    looks = {}
    for name in fronts:
        with Browser(1280, 720) as browser:
            browser.open((tmp_path / "out" / name.replace(".qmd", ".html")).as_uri(),
                         wait_for="document.readyState === 'complete'")
            looks[name] = browser.evaluate("""[
                getComputedStyle(document.querySelector('a[href="https://example.org"]')).color,
                getComputedStyle(document.documentElement).getPropertyValue('--brand-accent').trim(),
                document.querySelector('h2 .header-section-number') &&
                    getComputedStyle(document.querySelector('h2 .header-section-number')).color]""")
    assert looks["under.qmd"] == ["rgb(39, 97, 227)", "#b3261e", None]  # cosmo's, the brand's palette still there
    assert looks["over.qmd"] == ["rgb(179, 38, 30)", "#b3261e", None]  # the brand's primary
    assert looks["deck_under.qmd"] == ["rgb(0, 0, 139)", "#b3261e", None]  # simple's darkblue links
    assert looks["deck_over.qmd"] == ["rgb(179, 38, 30)", "#b3261e", None]
    assert looks["numbered.qmd"][2] == "rgb(70, 100, 170)"


def _rgb(colour: str) -> tuple[float, ...]:
    return tuple(float(part) for part in re.findall(r"[\d.]+", colour))


@pytest.mark.parametrize("theme, background, navbar, title, active", [
    # Quarto 1.7.33's cosmo (a book's stylesheet): a light grey navbar, grey text, the page's entry in a dark blue
    ("cosmo", None, "rgb(248, 249, 250)", "rgb(84, 85, 85)", "rgb(31, 78, 182)"),
    # the site's own navbar background wins over Quarto's for the theme (AffCom Lab's cosmo site, Quarto 1.8.27:
    # a primary navbar, its text and the page's entry near white)
    ("cosmo", "primary", "rgb(39, 128, 227)", "rgb(253, 254, 255)", "rgb(253, 253, 255)"),
    # Quarto's navbar on plain Bootstrap (Data 100's notes, whose theme name Quarto does not know)
    ("default", None, "rgb(81, 118, 153)", "rgb(255, 255, 255)", "rgb(255, 255, 255)"),
    # journal: the theme's primary, its text white at 0.7 and the page's entry white (Quarto's overrides)
    ("journal", None, "rgb(235, 104, 100)", "rgba(255, 255, 255, 0.7)", "rgb(255, 255, 255)"),
    # yeti's mid-tone primary: white text reads at 3.85:1 there, so Quarto's tone() calls it dark and mixes the
    # text toward white (Luke Johnston's slides site, Quarto 1.8), though black would read better
    ("yeti", None, "rgb(0, 140, 186)", "rgb(252, 254, 254)", "rgb(252, 254, 254)")])
def test_a_sites_navbar_takes_quartos_colours_for_its_theme(tmp_path, theme, background, navbar, title, active):
    colour = f"    background: {background}\n" if background else ""
    site = _site(tmp_path / "site", f"project: {{type: website}}\nwebsite:\n  title: Notes\n  navbar:\n{colour}"
                                    f"    left: [index.qmd]\nformat:\n  html:\n    theme: {theme}\n",
                 '<ol class="breadcrumb"><li class="breadcrumb-item">Home</li>'
                 '<li class="breadcrumb-item">News</li></ol>')
    code, stderr = render_cli(str(site))
    assert code == 0, stderr
    with Browser(1280, 720) as browser:
        browser.open((site / "_site" / "index.html").as_uri(), wait_for="document.readyState === 'complete'")
        seen = browser.evaluate("""[getComputedStyle(document.querySelector('nav.navbar')).backgroundColor,
            getComputedStyle(document.querySelector('.navbar-brand')).color,
            getComputedStyle(document.querySelector('.navbar-nav .nav-link.active')).color]""")
        divider = browser.evaluate("""getComputedStyle(document.querySelector('.breadcrumb-item + .breadcrumb-item'),
                                                        '::before').content""")
    assert divider == '">"'  # an author's Bootstrap breadcrumb takes Quarto's divider
    for found, wanted in zip(seen, (navbar, title, active), strict=True):  # to within 3 in 255 (Quarto mixes)
        assert len(_rgb(found)) == len(_rgb(wanted)), (found, wanted)
        assert all(abs(a - b) <= 3 for a, b in zip(_rgb(found), _rgb(wanted), strict=True)), (seen, navbar, title)


@pytest.mark.parametrize("theme, padding", [("zephyr", 0.85), ("cosmo", 0.5)])
def test_a_sites_navbar_takes_its_themes_padding_as_quartos(tmp_path, theme, padding):
    # Julia Silge's workshop site (zephyr, Quarto 1.9.38): a 71px navbar, zephyr's $navbar-padding-y .85rem above
    # and below the brand; Bootstrap's 0.5rem on other themes
    site = _site(tmp_path / "site", f"project: {{type: website}}\nwebsite:\n  title: Notes\n  navbar:\n"
                                    f"    left: [index.qmd]\nformat:\n  html:\n    theme: {theme}\n", "Text.")
    code, stderr = render_cli(str(site))
    assert code == 0, stderr
    with Browser(1280, 720) as browser:
        browser.open((site / "_site" / "index.html").as_uri(), wait_for="document.readyState === 'complete'")
        top, root = browser.evaluate("[getComputedStyle(document.querySelector('nav.navbar')).paddingTop, "
                                     "getComputedStyle(document.documentElement).fontSize].map(parseFloat)")
    assert abs(top - padding * root) < 0.05


def test_a_themed_books_sidebar_colours_its_entries_as_quarto_does(tmp_path):
    # KIT's numerics book (cosmo, Quarto 1.7.33): entries in the grey that reads at 7:1 on white (89, 89, 89), the
    # page's own title in the link colour made to read there (33, 81, 191), its number in the text's colour
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  title: Notes\n  chapters:\n"
                                          "    - index.qmd\n    - one.qmd\n    - two.qmd\nformat:\n  html:\n"
                                          "    theme: cosmo\n", encoding="utf-8")
    for name, title in (("index", "Preface"), ("one", "First"), ("two", "Second")):
        (tmp_path / f"{name}.qmd").write_text(f"# {title}{' {.unnumbered}' if name == 'index' else ''}\n\nText.\n",
                                              encoding="utf-8")
    code, stderr = render_cli(str(tmp_path))
    assert code == 0, stderr
    with Browser(1280, 800) as browser:
        browser.open((tmp_path / "_book" / "two.html").as_uri())
        seen = browser.evaluate("""(() => {
            const colour = e => getComputedStyle(e).color;
            const active = document.querySelector('nav.site-sidebar a.active');
            const other = [...document.querySelectorAll('nav.site-sidebar a')]
                .find(a => a.textContent.includes('First'));
            return [colour(active.querySelector('.chapter-title')), colour(active.querySelector('.chapter-number')),
                    colour(document.body), colour(other.querySelector('.chapter-title'))];
        })()""")
    assert seen[0] == "rgb(33, 81, 191)" and seen[1] == seen[2] and seen[3] == "rgb(89, 89, 89)"


BRAND_LOGOS = """\
logo:
  images:
    mark:
      path: logos/mark.png
      alt: The mark
  small: mark
  medium: logos/wide.png
"""


def test_the_brands_logos_go_where_quarto_puts_them_navbar_small_sidebar_and_deck_medium(tmp_path):
    import base64

    from PIL import Image

    (tmp_path / "logos").mkdir()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(tmp_path / "logos" / "mark.png")
    Image.new("RGB", (32, 8), (0, 0, 200)).save(tmp_path / "logos" / "wide.png")
    (tmp_path / "_brand.yml").write_text(BRAND_LOGOS, encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text(textwrap.dedent("""\
        project:
          type: website
        website:
          title: Logos
          navbar:
            left: [index.qmd]
          sidebar:
            contents: [index.qmd, deck.qmd]
            logo-href: https://example.org/department
        """), encoding="utf-8")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "deck.qmd").write_text("---\ntitle: Deck\nformat: revealjs\n---\n\n## One\n\nText.\n",
                                       encoding="utf-8")
    code, stderr = render_cli(str(tmp_path))
    assert code == 0, stderr

    home = BeautifulSoup((tmp_path / "_site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    navbar, sidebar = home.select_one("img.navbar-logo")["src"], home.select_one("img.sidebar-logo")["src"]
    assert navbar == "logos/mark.png" and sidebar == "logos/wide.png"  # small in the navbar, medium beside
    assert home.select_one("img.sidebar-logo").parent["href"] == "https://example.org/department"  # logo-href
    assert all((tmp_path / "_site" / "logos" / name).is_file() for name in ("mark.png", "wide.png"))
    deck = BeautifulSoup((tmp_path / "_site" / "deck.html").read_text(encoding="utf-8"), "html.parser")
    wide = base64.b64encode((tmp_path / "logos" / "wide.png").read_bytes()).decode()
    assert deck.select_one("img.slide-logo")["src"] == f"data:image/png;base64,{wide}"  # medium, embedded


def test_a_books_sidebar_shows_the_brands_logo_and_logo_false_turns_it_off(tmp_path):
    from PIL import Image

    (tmp_path / "logos").mkdir()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(tmp_path / "logos" / "mark.png")
    Image.new("RGB", (32, 8), (0, 0, 200)).save(tmp_path / "logos" / "wide.png")
    (tmp_path / "_brand.yml").write_text(BRAND_LOGOS, encoding="utf-8")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nText.\n", encoding="utf-8")
    logos = {}
    for name, book in {"book": "", "none": "  sidebar:\n    logo: false\n  navbar:\n    logo: false\n",
                       "plain": "  navbar:\n    logo: false\n"}.items():
        (tmp_path / "_quarto.yml").write_text(f"project:\n  type: book\n  output-dir: {name}\nbook:\n  title: B\n"
                                              f"  chapters: [index.qmd]\n{book}", encoding="utf-8")
        code, stderr = render_cli(str(tmp_path))
        assert code == 0, stderr
        home = BeautifulSoup((tmp_path / name / "index.html").read_text(encoding="utf-8"), "html.parser")
        logos[name] = [bool(home.select("a.sidebar-logo-link")), bool(home.select("img.navbar-logo"))]
    # a book's sidebar always has the brand's medium logo, as Quarto's; "logo: false" there or in the navbar
    # turns that one off (it was shown anyway)
    assert logos == {"book": [True, False], "none": [False, False], "plain": [True, False]}


def test_a_decks_logo_follows_brand_mode_and_takes_its_alternative_text_from_the_brand_or_the_deck(tmp_path):
    import base64

    from PIL import Image

    for name, colour in (("sun.png", (250, 200, 0)), ("moon.png", (40, 40, 90))):
        Image.new("RGB", (8, 8), colour).save(tmp_path / name)
    brand = ("brand:\n  logo:\n    images:\n      sun: {path: sun.png, alt: sun face}\n"
             "      moon: {path: moon.png, alt: moon face}\n    medium: {light: sun, dark: moon}\n")
    decks = {"light": brand, "dark": brand + "brand-mode: dark\n",
             "own": brand + "logo:\n  light: {path: moon, alt: MOON}\n  dark: sun\n",
             "only-dark": brand.replace("{light: sun, dark: moon}", "{dark: moon}")}
    seen = {}
    for name, front in decks.items():
        (tmp_path / f"{name}.qmd").write_text(f"---\ntitle: Deck\nformat: revealjs\n{front}---\n\n## One\n",
                                              encoding="utf-8")
        code, stderr = render_cli(str(tmp_path / f"{name}.qmd"), "--output-dir", str(tmp_path / "out"))
        assert code == 0, stderr
        logo = BeautifulSoup((tmp_path / "out" / f"{name}.html").read_text(encoding="utf-8"),
                             "html.parser").select_one("img.slide-logo")
        data = base64.b64decode(logo["src"].split(",", 1)[1])
        seen[name] = ("sun" if data == (tmp_path / "sun.png").read_bytes() else "moon", logo.get("alt"))
    # the mode's logo, else the other mode's (only a dark one given, in a light deck), as Quarto picks them
    assert seen == {"light": ("sun", "sun face"), "dark": ("moon", "moon face"), "own": ("moon", "MOON"),
                    "only-dark": ("moon", "moon face")}


def test_a_page_is_written_again_when_an_extensions_filter_or_the_brands_logo_changes(tmp_path):
    import base64

    from PIL import Image

    extension = tmp_path / "_extensions" / "shout"
    extension.mkdir(parents=True)
    (extension / "_extension.yml").write_text("title: Shout\ncontributes:\n  filters:\n    - shout.lua\n")
    (extension / "shout.lua").write_text("function Str(s) return pandoc.Str(s.text:upper()) end\n")
    Image.new("RGB", (4, 4), (200, 0, 0)).save(tmp_path / "logo.png")
    (tmp_path / "_brand.yml").write_text("logo:\n  medium: logo.png\n", encoding="utf-8")
    (tmp_path / "deck.qmd").write_text("---\ntitle: Deck\nformat: revealjs\nfilters: [shout]\n"
                                       "execute:\n  freeze: auto\n---\n\n## One\n\nQuiet words.\n", encoding="utf-8")

    _, first = _render_deck_in(tmp_path)
    assert "QUIET WORDS" in first  # the extension's filter ran
    stderr, _ = _render_deck_in(tmp_path)
    assert "up to date" in stderr  # nothing changed: kept
    (extension / "shout.lua").write_text("function Str(s) return pandoc.Str(s.text:lower()) end\n")
    stderr, second = _render_deck_in(tmp_path)
    assert "up to date" not in stderr and "quiet words" in second and "QUIET WORDS" not in second
    Image.new("RGB", (4, 4), (0, 0, 200)).save(tmp_path / "logo.png")
    stderr, third = _render_deck_in(tmp_path)
    assert "up to date" not in stderr
    assert base64.b64encode((tmp_path / "logo.png").read_bytes()).decode() in third  # the new logo


def test_a_frozen_deck_is_written_again_when_its_own_logo_changes_in_either_mode(tmp_path):
    import base64

    from PIL import Image

    for name in ("day.png", "night.png"):
        Image.new("RGB", (4, 4), (200, 0, 0)).save(tmp_path / name)
    (tmp_path / "deck.qmd").write_text("---\ntitle: Deck\nformat:\n  revealjs:\n"
                                       "    logo: {light: day.png, dark: night.png}\n"
                                       "execute:\n  freeze: auto\n---\n\n## One\n\nText.\n", encoding="utf-8")

    _render_deck_in(tmp_path)
    assert "up to date" in _render_deck_in(tmp_path)[0]  # nothing changed: kept
    Image.new("RGB", (4, 4), (0, 0, 200)).save(tmp_path / "day.png")  # the logo the deck shows
    stderr, page = _render_deck_in(tmp_path)
    assert "up to date" not in stderr
    assert base64.b64encode((tmp_path / "day.png").read_bytes()).decode() in page
    Image.new("RGB", (4, 4), (0, 200, 0)).save(tmp_path / "night.png")  # the dark one: a deck in dark mode shows it
    assert "up to date" not in _render_deck_in(tmp_path)[0]


def test_a_decks_body_colour_moves_its_headings_and_its_link_colour_the_hover_as_quarto_derives_them(tmp_path):
    from qmdrender.formats.revealjs import revealjs_path
    from qmdrender.themes import reveal_theme

    (tmp_path / "a.scss").write_text("/*-- scss:defaults --*/\n$body-color: #123456;\n$link-color: #ff0000;\n")
    name, css = reveal_theme(["dark", "a.scss"], tmp_path, revealjs_path() / "dist" / "theme")
    text = css.read_text(encoding="utf-8")
    assert name == "black"  # Quarto's dark
    assert "--r-heading-color: #123456" in text and "--r-link-color-hover: #ff4d4d" in text  # lighten(red, 15%)
    assert "--r-background-color" not in text  # not set by the deck: the theme's own stays


def test_a_deck_may_set_reveal_js_own_theme_variables(tmp_path):
    from qmdrender.formats.revealjs import revealjs_path
    from qmdrender.themes import reveal_theme

    (tmp_path / "b.scss").write_text("/*-- scss:defaults --*/\n$mainColor: #383d3d;\n$backgroundColor: #fffaf0;\n"
                                     "$heading2Size: 2.2em;\n$headingTextTransform: none;\n")
    _, css = reveal_theme(["serif", "b.scss"], tmp_path, revealjs_path() / "dist" / "theme")
    text = css.read_text(encoding="utf-8")
    assert "--r-main-color: #383d3d" in text and "--r-background-color: #fffaf0" in text  # as Quarto takes them
    # the headings' own (a workshop deck's $heading2Size: Quarto's slides show its titles at 2.2em)
    assert "--r-heading2-size: 2.2em" in text and "--r-heading-text-transform: none" in text
    # Quarto's code blocks take $body-bg, which $backgroundColor does not set: serif's own ground behind the code
    assert ".reveal pre,.reveal pre code{background-color:#f0f1eb}" in text
    # as in Quarto, $mainColor is the text's colour only: the muted grey of footers and captions still derives
    # from the theme's $body-color (serif's #000 lightened by 30 %), and the headings keep the theme's colour
    # (checked against Quarto 1.7's rendering of a public course deck that sets $mainColor on serif)
    assert "--qmd-text-muted: #4d4d4d" in text and "--r-heading-color" not in text


def test_a_decks_line_height_spaces_its_paragraphs_and_list_items_as_quartos(tmp_path):
    # Luke Johnston's slides (Quarto 1.8, dark with $presentation-line-height: 1.5 at 32px): list items and
    # paragraphs on 48px lines, as Quarto's rule for the slide's sections sets them; the slides' own box keeps
    # reveal.js's
    (tmp_path / "lines.scss").write_text("/*-- scss:defaults --*/\n$presentation-font-size-root: 32px;\n"
                                         "$presentation-line-height: 1.5;\n", encoding="utf-8")
    (tmp_path / "deck.qmd").write_text("---\nformat:\n  revealjs:\n    theme: [dark, lines.scss]\n---\n\n"
                                       "## Aims\n\nA paragraph.\n\n1. One item\n2. Two items\n", encoding="utf-8")
    status, stderr = render_cli(str(tmp_path / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert status == 0, stderr
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "out" / "deck.html").as_uri() + "#/aims", wait_for=REVEAL_READY)
        lines = browser.evaluate("""['.present p', '.present li', '.reveal .slides'].map(
            s => getComputedStyle(document.querySelector(s)).lineHeight)""")
    assert lines == ["48px", "48px", "32px"]


# a keyword, a string and a comment, in a page's or deck's code; then its inline code's colour
CODE = "Call `fit()` first.\n\n```python\ndef f(x=None):\n    return 'text'  # note\n```\n"
CODE_COLOURS = "(() => { const c = s => getComputedStyle(document.querySelector('code span.' + s)).color;" \
               " return [c('kw'), c('st'), c('co'), getComputedStyle(document.querySelector('p code')).color]; })()"


def _render_code(folder: Path, fronts: dict[str, str]) -> str:
    """Each ``name: front matter`` written with :data:`CODE` (a deck's on a slide) and rendered into
    ``folder/out``; the render's messages."""
    for name, front in fronts.items():
        slide = "## Code\n\n" if "revealjs" in front else ""
        (folder / f"{name}.qmd").write_text(f"---\n{front}---\n\n{slide}{CODE}")
    status, stderr = render_cli(*(str(folder / f"{n}.qmd") for n in fronts), "--output-dir", str(folder / "out"))
    assert status == 0, stderr
    return stderr


def test_quartos_own_highlight_styles_colour_code_and_dark_decks_and_pages_take_the_dark_variant(tmp_path):
    stderr = _render_code(tmp_path, {"page": "title: P\nhighlight-style: github\n",
                                     "deck": "title: D\nformat:\n  revealjs:\n    theme: dark\n"
                                             "    highlight-style: a11y\n",
                                     "odd": "title: O\nhighlight-style: no-such-style\n",
                                     "light": "title: L\nformat:\n  revealjs:\n    highlight-style: a11y\n",
                                     "night": "title: N\ntheme: darkly\nhighlight-style: github\n"})
    colours = CODE_COLOURS
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "out" / "page.html").as_uri())
        page = browser.evaluate(colours)
        browser.open((tmp_path / "out" / "deck.html").as_uri(), wait_for=REVEAL_READY)
        deck = browser.evaluate(colours)
        browser.open((tmp_path / "out" / "light.html").as_uri(), wait_for=REVEAL_READY)
        light = browser.evaluate(colours)
        browser.open((tmp_path / "out" / "night.html").as_uri())
        night = browser.evaluate(colours)
        night_background = browser.evaluate("getComputedStyle(document.querySelector('div.sourceCode'))"
                                            ".backgroundColor")
    assert page[:3] == ["rgb(215, 58, 73)", "rgb(3, 47, 98)", "rgb(106, 115, 125)"]  # GitHub's keyword, string, comment
    assert deck[:3] == ["rgb(220, 198, 224)", "rgb(171, 227, 56)", "rgb(212, 208, 171)"]  # a11y's dark variant
    # a11y's light colours as Quarto's decks show them (a course deck's rules): keyword, string, comment, and
    # inline code in its function colour
    assert light == ["rgb(217, 30, 24)", "rgb(0, 128, 0)", "rgb(105, 105, 105)", "rgb(6, 40, 126)"]
    assert night[0] == "rgb(255, 123, 114)" and night_background == "rgb(13, 17, 23)"  # darkly: GitHub's dark
    assert "highlight-style 'no-such-style' is not one the embedded renderer has" in stderr
    assert "highlight-style 'github'" not in stderr and "highlight-style 'a11y'" not in stderr
    # the deck's body says it is dark, as Quarto's does (a light deck's says quarto-light)
    deck_body = BeautifulSoup((tmp_path / "out" / "deck.html").read_text(encoding="utf-8"), "html.parser").body
    assert "quarto-dark" in deck_body["class"] and "quarto-light" not in deck_body["class"]


def test_code_without_a_highlight_style_takes_quartos_arrow_and_a_decks_inline_code_its_function_colour(tmp_path):
    _render_code(tmp_path, {"page": "title: P\n", "deck": "title: D\nformat: revealjs\n",
                            "newer": "title: N\nformat: revealjs\nsyntax-highlighting: github\n",
                            "plain": "title: L\nhighlight-style: none\n"})
    colours = CODE_COLOURS
    emphasis = "['kw', 'co'].map(s => (c => c.fontWeight + ' ' + c.fontStyle)" \
               "(getComputedStyle(document.querySelector('code span.' + s))))"
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "out" / "page.html").as_uri())
        page = browser.evaluate(colours)
        page_emphasis = browser.evaluate(emphasis)
        browser.open((tmp_path / "out" / "deck.html").as_uri(), wait_for=REVEAL_READY)
        deck = browser.evaluate(colours)
        browser.open((tmp_path / "out" / "newer.html").as_uri(), wait_for=REVEAL_READY)
        newer = browser.evaluate(colours)
    arrow = ["rgb(0, 59, 79)", "rgb(32, 121, 77)", "rgb(94, 94, 94)"]  # arrow's keyword, string, comment
    assert page[:3] == arrow and deck[:3] == arrow
    assert page_emphasis == ["700 normal", "400 normal"]  # arrow's keywords bold, its comments upright
    assert deck[3] == "rgb(71, 88, 171)"  # inline code in arrow's function colour, as Quarto's decks show it
    assert newer[:3] == ["rgb(215, 58, 73)", "rgb(3, 47, 98)", "rgb(106, 115, 125)"]  # syntax-highlighting: github
    assert newer[3] == "rgb(111, 66, 193)"  # GitHub's function colour
    assert 'class="st"' not in (tmp_path / "out" / "plain.html").read_text(encoding="utf-8")  # none: no colours


def test_a_projects_deck_options_name_files_from_the_project_root_and_themes_keep_quartos_heading_sizes(tmp_path):
    # a course's _quarto.yml: its logo and its own highlight theme sit beside it, the decks in a folder
    import json
    import subprocess

    from PIL import Image

    from qmdrender.pandoc import pandoc_binary

    theme = json.loads(subprocess.run([pandoc_binary(), "--print-highlight-style=tango"], capture_output=True,
                                      text=True, check=True).stdout)
    theme["text-styles"]["String"]["text-color"] = "#a01b7c"
    (tmp_path / "mine.theme").write_text(json.dumps(theme))
    Image.new("RGB", (40, 20), "orange").save(tmp_path / "logo.png")
    (tmp_path / "_quarto.yml").write_text("project:\n  type: default\nformat:\n  revealjs:\n    theme: serif\n"
                                          "    logo: logo.png\nhighlight-style: mine.theme\n")
    (tmp_path / "lectures").mkdir()
    (tmp_path / "lectures" / "deck.qmd").write_text("---\ntitle: Week one\n---\n\n## Code\n\n"
                                                    "```python\nx = 'text'\n```\n")
    code, stderr = render_cli(str(tmp_path / "lectures" / "deck.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "not found" not in stderr and "does not exist" not in stderr
    with Browser(1280, 720) as browser:
        browser.open((tmp_path / "out" / "deck.html").as_uri(), wait_for=REVEAL_READY)
        logo = browser.evaluate("document.querySelector('img.slide-logo').src.slice(0, 22)")
        string = browser.evaluate("getComputedStyle(document.querySelector('code span.st')).color")
        ratios = browser.evaluate("(() => { const base = parseFloat(getComputedStyle(document.querySelector('.reveal'))"
                                  ".fontSize); return ['#title-slide h1', 'section.slide h2'].map(s => parseFloat("
                                  "getComputedStyle(document.querySelector(s)).fontSize) / base); })()")
    assert logo == "data:image/png;base64,"  # logo.png beside _quarto.yml, embedded
    assert string == "rgb(160, 27, 124)"  # the project's own .theme file
    assert ratios == [2.5, 1.6]  # Quarto's serif keeps Quarto's sizes (reveal.js's own serif: 3.77em, 2.11em)


def _render_deck_in(folder: Path) -> tuple[str, str]:
    """``folder/deck.qmd`` rendered into ``folder/out``: the render's messages and the deck's page."""
    code, stderr = render_cli(str(folder / "deck.qmd"), "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    return stderr, (folder / "out" / "deck.html").read_text(encoding="utf-8")


def test_a_page_without_a_theme_takes_the_bootstrap_utility_classes_it_names(tmp_path):
    # Quarto's pages always have Bootstrap, so real documents write {.border}, .text-center, .p-3 ...
    (tmp_path / "doc.qmd").write_text("---\ntitle: Utilities\n---\n\n::: {.border .p-3}\nA boxed note.\n:::\n\n"
                                      "::: {.text-center}\nCentred words.\n:::\n", encoding="utf-8")
    (tmp_path / "plain.qmd").write_text("---\ntitle: Plain\n---\n\nNo classes here.\n", encoding="utf-8")
    for name in ("doc", "plain"):
        code, stderr = render_cli(str(tmp_path / f"{name}.qmd"), "--output-dir", str(tmp_path / "out"))
        assert code == 0, stderr
    assert "--bs-blue" not in (tmp_path / "out" / "plain.html").read_text(encoding="utf-8")  # only what is used
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "out" / "doc.html").as_uri())
        boxed = browser.evaluate("(s => [s.borderTopWidth, s.borderTopStyle, s.borderTopColor, s.paddingTop])("
                                 "getComputedStyle(document.querySelector('div.border')))")
        centred = browser.evaluate("getComputedStyle(document.querySelector('div.text-center')).textAlign")
    assert boxed == ["1px", "solid", "rgb(222, 226, 230)", "17px"]  # Bootstrap's $border-color; 1rem (17px)
    assert centred == "center"


def _site(folder: Path, config: str, index: str) -> Path:
    """A website in ``folder``: its ``_quarto.yml`` and its home page."""
    folder.mkdir()
    (folder / "_quarto.yml").write_text(textwrap.dedent(config), encoding="utf-8")
    (folder / "index.qmd").write_text(f"---\ntitle: Home\n---\n\n{index}\n", encoding="utf-8")
    return folder


def test_a_light_dark_pairs_toggle_sits_in_a_sites_navbar_or_sidebar_and_the_first_listed_theme_leads(tmp_path):
    # a site with a navbar lists dark first: its pages start dark, the toggle among the navbar's tools
    navbar_site = _site(tmp_path / "navbar", """\
        project: {type: website}
        website:
          title: Pair
          navbar:
            left: [index.qmd]
            tools: [{icon: github, href: "https://github.com"}]
        format:
          html:
            theme: {dark: darkly, light: flatly}
        """, "::: {.light-content}\nSunny.\n:::\n\n::: {.dark-content}\nStarry.\n:::")
    # a site with a sidebar alone follows the reader's system (respect-user-color-scheme)
    sidebar_site = _site(tmp_path / "sidebar", """\
        project: {type: website}
        website:
          title: Pair
          sidebar:
            background: "#d9e3e4"
            contents: [index.qmd]
        format:
          html:
            theme: {light: flatly, dark: [darkly, dark.scss]}
            respect-user-color-scheme: true
        """, "Text.")
    # the dark theme's own sidebar colour wins over the site's, as in Quarto (where the site's is a default)
    (sidebar_site / "dark.scss").write_text("/*-- scss:defaults --*/\n$sidebar-bg: #303030;\n", encoding="utf-8")
    for site in (navbar_site, sidebar_site):
        code, stderr = render_cli(str(site))
        assert code == 0, stderr
    background = "getComputedStyle(document.body).backgroundColor"
    with Browser(1280, 720) as browser:
        browser.open((navbar_site / "_site" / "index.html").as_uri())
        assert browser.evaluate(background) == "rgb(34, 34, 34)"  # darkly, listed first
        assert browser.evaluate("[...document.querySelectorAll('.quarto-color-scheme-toggle')].map(t => "
                                "t.parentElement.className)") == ["quarto-navbar-tools"]
        shown = "[...document.querySelectorAll('main p')].filter(p => p.offsetParent).map(p => p.innerText)"
        assert browser.evaluate(shown) == ["Starry."]
        browser.click(".quarto-color-scheme-toggle")
        assert browser.evaluate(background) == "rgb(255, 255, 255)"
        assert browser.evaluate(shown) == ["Sunny."]
        assert browser.evaluate("localStorage.getItem('quarto-color-scheme')") == "alternate"  # not the default
        browser.send("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "dark"}])
        browser.evaluate("localStorage.clear()")
        browser.open_once_stored((sidebar_site / "_site" / "index.html").as_uri(),
                                 "localStorage.getItem('quarto-color-scheme') === null")
        assert browser.evaluate(background) == "rgb(34, 34, 34)"  # the system's dark
        assert browser.evaluate("document.querySelector('.quarto-color-scheme-toggle').closest("
                                "'.quarto-sidebar-tools') !== null")
        sidebar = "(e => [getComputedStyle(e).backgroundColor, " \
                  "getComputedStyle(e.querySelector('.quarto-sidebar-tools a')).color])(" \
                  "document.querySelector('#quarto-sidebar'))"
        assert browser.evaluate(sidebar) == ["rgb(48, 48, 48)", "rgb(255, 255, 255)"]
        browser.click(".quarto-color-scheme-toggle")
        assert browser.evaluate(background) == "rgb(255, 255, 255)"
        assert browser.evaluate(sidebar)[0] == "rgb(217, 227, 228)"  # the site's own, under the light theme


def test_a_themes_code_block_alpha_or_colour_sets_the_code_blocks_ground(tmp_path):
    # Quarto's documented variables: the progress bar's grey with its alpha shifted (-0.35 by default), or a colour
    root = theme_root()
    (tmp_path / "faint.scss").write_text("/*-- scss:defaults --*/\n$code-block-bg-alpha: -.8;\n", encoding="utf-8")
    (tmp_path / "own.scss").write_text("/*-- scss:defaults --*/\n$code-block-bg: #123456;\n", encoding="utf-8")
    grounds = [re.search(r"--code-block-bg:\s*([^;}]+)", compile_scss(theme_scss(["cosmo", *extra], tmp_path, root),
                                                                      root).read_text())[1]
               for extra in ([], ["faint.scss"], ["own.scss"])]
    assert grounds == ["rgba(233, 236, 239, 0.65)", "rgba(233, 236, 239, 0.2)", "#123456"]


def test_a_themes_scss_restyles_quartos_sidebar_title_and_logo_over_the_renderers_own(tmp_path):
    # a course's styles.scss (Bristol's data analysis course): .sidebar-title 1.5rem, .sidebar-logo 1.5em below;
    # Quarto's own rules come before the theme's, so they win there; the site's stylesheet, after the theme, must not
    from PIL import Image

    from .browser import Browser

    Image.new("RGB", (60, 20), (120, 0, 60)).save(tmp_path / "logo.png")
    (tmp_path / "site.scss").write_text("/*-- scss:rules --*/\n.sidebar-title { font-size: 1.5rem; }\n"
                                        ".sidebar-logo { margin-bottom: 1.5em; }\n", encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text(textwrap.dedent("""\
        project:
          type: website
        website:
          sidebar:
            title: Course
            logo: logo.png
            style: docked
            contents: [index.qmd]
        format:
          html:
            theme: [cosmo, site.scss]
        """), encoding="utf-8")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path))
    assert code == 0, stderr
    with Browser(1280, 800) as browser:
        browser.open((tmp_path / "_site" / "index.html").as_uri())
        title, root, logo = browser.evaluate(
            "[getComputedStyle(document.querySelector('.sidebar-title')).fontSize,"
            " getComputedStyle(document.documentElement).fontSize,"
            " (s => [s.marginBottom, s.fontSize, s.maxWidth])("
            "getComputedStyle(document.querySelector('.sidebar-logo')))]")
    assert float(title[:-2]) == pytest.approx(1.5 * float(root[:-2]))
    assert float(logo[0][:-2]) == pytest.approx(1.5 * float(logo[1][:-2]))
    assert logo[2] == "90%"  # the renderer's own rule still holds where the theme says nothing


def test_a_themes_google_fonts_address_names_the_faces_to_embed():
    from qmdrender.web_fonts import requested_faces

    assert requested_faces("https://fonts.googleapis.com/css2?family=Lato:ital,wght@0,400;0,700;1,400&display=swap") \
        == [("Lato", "normal", 400), ("Lato", "normal", 700), ("Lato", "italic", 400)]
    assert requested_faces("https://fonts.googleapis.com/css2?family=News+Cycle:wght@400;700&display=swap") == \
        [("News Cycle", "normal", 400), ("News Cycle", "normal", 700)]
    assert requested_faces("https://fonts.googleapis.com/css?family=Neucha|Cabin+Sketch&display=swap") == \
        [("Neucha", "normal", 400), ("Cabin Sketch", "normal", 400)]


def test_a_url_in_a_theme_files_comment_is_prose_and_a_missing_local_file_still_warns(tmp_path):
    # grantmcdermott's "clean" deck theme: "comment out the `@import url(...)` line" warned of a missing file
    theme = tmp_path / "clean.scss"
    theme.write_text("/*-- scss:defaults --*/\n/* simply comment out the `@import url(...)` line below */\n"
                     "$link-color: #107895;\n/*-- scss:rules --*/\n.logo { background: url(gone.png); }\n",
                     encoding="utf-8")
    text, missing = with_local_urls(theme.read_text(encoding="utf-8"), theme)
    assert missing == ["gone.png"]
    assert "comment out the `@import url(...)` line" in text and 'url("data:,")' in text


def test_a_light_dark_pair_whose_scss_holds_an_inline_svg_still_opens_light(tmp_path):
    # REN R 213's theme draws its toggle with url('data:image/svg+xml,<svg ...></svg>'): a "</" in a sheet made
    # pandoc embed both halves as data: links the page could not tell apart, so the dark one always applied
    svg = ("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"16\" height=\"16\"><circle cx=\"8\" cy=\"8\" r=\"4\"/>"
           "</svg>")
    (tmp_path / "icons.scss").write_text(f"/*-- scss:rules --*/\n.toggle-icon {{ background-image: "
                                         f"url('data:image/svg+xml,{svg}'); }}\n", encoding="utf-8")
    (tmp_path / "pair.qmd").write_text("---\ntitle: Pair\nformat:\n  html:\n    theme:\n"
                                       "      light: [cosmo, icons.scss]\n      dark: [darkly, icons.scss]\n"
                                       "---\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "pair.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = tmp_path / "out" / "pair.html"
    with Browser(1000, 600) as browser:
        browser.open(page.as_uri(), wait_for="document.readyState === 'complete'")
        seen = browser.evaluate("[getComputedStyle(document.body).backgroundColor, "
                                "document.querySelectorAll('style.quarto-color-alternate').length]")
    assert seen == ["rgb(255, 255, 255)", 1]


def test_a_stylesheet_that_imports_web_fonts_keeps_the_rules_after_its_imports(tmp_path):
    # a deck's css starts with @import of Google Fonts (and a commented-out one): offline, pandoc embedding the
    # sheet dropped the ";" after each import and with it the :root of the author's colours (".red" drew
    # nothing); the imports are linked from the head instead, as Quarto's page links the sheet
    (tmp_path / "look.css").write_text(
        "/* @import url('https://fonts.googleapis.com/css2?family=Old'); */\n"
        "@import url('https://fonts.googleapis.com/css2?family=Inter&display=swap');\n"
        '@import "https://unpkg.com/open-props/colors-oklch.min.css";\n\n'
        ":root {\n  --myred: #FF5252;\n}\n.red { color: var(--myred); }\n", encoding="utf-8")
    for name, to in (("page", "html"), ("deck", "revealjs")):
        (tmp_path / f"{name}.qmd").write_text(f"---\ntitle: T\ncss: look.css\nformat: {to}\n---\n\n## S\n\n"
                                              "[Red]{.red} words.\n", encoding="utf-8")
        code, stderr = render_cli(str(tmp_path / f"{name}.qmd"), "--output-dir", str(tmp_path / "out"))
        assert code == 0, stderr
        soup = BeautifulSoup((tmp_path / "out" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        links = [link["href"] for link in soup.select("link[rel=stylesheet][href^=http]")]
        assert links == ["https://fonts.googleapis.com/css2?family=Inter&display=swap",
                         "https://unpkg.com/open-props/colors-oklch.min.css"], name
        with Browser(1000, 700) as browser:
            browser.open((tmp_path / "out" / f"{name}.html").as_uri())
            assert browser.evaluate("getComputedStyle(document.querySelector('span.red')).color") == \
                "rgb(255, 82, 82)", name


def test_a_themed_page_has_bootstraps_css_grid_as_quartos_pages_have(tmp_path):
    # Quarto builds Bootstrap with its CSS grid (.grid, .g-col-sm-5 ...) and without the flex grid (.row,
    # .col-md-6): a home page's photo and text side by side in a .grid, as on Quarto's page
    page, _ = render_document(
        tmp_path, "home", "---\ntitle: Home\nformat:\n  html:\n    theme: cosmo\n---\n\n::: {.grid}\n\n"
        "::: {.g-col-12 .g-col-sm-5}\nPhoto.\n:::\n\n::: {.g-col-12 .g-col-sm-7}\nText.\n:::\n\n:::\n")
    assert ".col-md-6{" not in page.read_text(encoding="utf-8")
    with Browser(1280, 800) as browser:
        browser.open(page.as_uri())
        boxes = browser.evaluate("[...document.querySelectorAll('.grid > div')].map(d => "
                                 "{ const r = d.getBoundingClientRect(); return [r.left, r.top, r.width]; })")
    assert boxes[0][1] == boxes[1][1] and boxes[1][0] > boxes[0][0] + boxes[0][2]  # side by side
    assert abs(boxes[0][2] / boxes[1][2] - 5 / 7) < 0.1


def test_bootstrap_icon_classes_in_an_authors_html_draw_their_icons_as_on_quartos_pages(tmp_path):
    # a home page's raw HTML links with <i class="bi bi-linkedin"></i>: Quarto's pages carry Bootstrap Icons,
    # so the icon shows (1em, in the link's colour); a name that is no icon draws nothing
    page, _ = render_document(
        tmp_path, "home", "---\ntitle: Home\n---\n\n```{=html}\n<a href='https://example.org' style='color: "
        "rgb(0, 0, 255);'><i class='bi bi-linkedin'></i></a> <i class=\"bi bi-no-such-icon\"></i>\n```\n",
        "--to", "html")
    with Browser(1000, 700) as browser:
        browser.open(page.as_uri())
        icon = browser.evaluate("(s => [s.content, s.width, s.backgroundColor, s.maskImage.slice(0, 30)])("
                                "getComputedStyle(document.querySelector('.bi-linkedin'), '::before'))")
        missing = browser.evaluate("getComputedStyle(document.querySelector('.bi-no-such-icon'), '::before').content")
    assert icon[0] == '""' and icon[2] == "rgb(0, 0, 255)" and icon[3].startswith('url("data:image/svg+xml')
    assert float(icon[1].rstrip("px")) > 10 and missing == "none"


def _site_colours(folder, website: str, script: str) -> list[str]:
    """A two-page cosmo site with ``website`` (YAML under ``website:``) rendered, and what ``script`` reads
    from its home page in Chromium."""
    (folder / "_quarto.yml").write_text(f"project:\n  type: website\nwebsite:\n  title: S\n{website}"
                                        "format:\n  html:\n    theme: cosmo\n", encoding="utf-8")
    for name in ("index", "more"):
        (folder / f"{name}.qmd").write_text(f"---\ntitle: {name}\n---\n\nText.\n", encoding="utf-8")
    code, stderr = render_cli(str(folder))
    assert code == 0, stderr
    with Browser(1280, 800) as browser:
        browser.open((folder / "_site" / "index.html").as_uri())
        return browser.evaluate(script)


def test_a_sites_navbar_background_works_out_its_text_and_highlight_as_quartos_theme_does(tmp_path):
    # `navbar: background: dark` on cosmo (a personal site, Quarto 1.7): Quarto forwards it to $navbar-bg, so
    # the theme's $dark is the ground, the entries the grey that reads on it at 7:1 and the page's own entry
    # the link colour made to read there (measured on Quarto's page: rgb(52, 58, 64), (202, 204, 205),
    # (184, 203, 246))
    colours = _site_colours(tmp_path, "  navbar:\n    background: dark\n    left:\n      - href: index.qmd\n"
                            "        text: About\n      - href: more.qmd\n        text: More\n",
                            "[getComputedStyle(document.querySelector('.navbar')).backgroundColor, "
                            "...[...document.querySelectorAll('.navbar .nav-link')].map(a => "
                            "getComputedStyle(a).color)]")
    assert colours == ["rgb(52, 58, 64)", "rgb(184, 203, 246)", "rgb(202, 204, 205)"]


def test_a_sites_sidebar_background_works_out_its_entries_and_the_pages_own_as_quartos_theme_does(tmp_path):
    # `sidebar: background: "#314F40"` on cosmo (a course site, Quarto 1.5): Quarto forwards it to $sidebar-bg;
    # the entries are the grey that reads on it at 7:1, the page's own entry cosmo's link colour made to read
    # there (measured on Quarto's page: rgb(49, 79, 64), (224, 229, 226), (216, 227, 250))
    colours = _site_colours(tmp_path, "  sidebar:\n    background: \"#314F40\"\n    style: docked\n"
                            "    contents: [index.qmd, more.qmd]\n",
                            "(() => { const bar = document.querySelector('.site-sidebar');"
                            " const links = [...bar.querySelectorAll('a.sidebar-link[href]')];"
                            " return [getComputedStyle(bar).backgroundColor,"
                            " ...links.map(a => getComputedStyle(a).color)]; })()")
    assert colours == ["rgb(49, 79, 64)", "rgb(216, 227, 250)", "rgb(224, 229, 226)"]


def _readable_on(background: tuple[int, int, int], goal: float) -> tuple[int, ...]:
    """The background mixed 1% at a time toward white until it reads at ``goal`` (WCAG's contrast ratio)."""
    def luminance(colour: tuple[float, ...]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for step in range(101):
        mixed = tuple(round(255 * step / 100 + c * (1 - step / 100)) for c in background)
        lighter, darker = sorted((luminance(mixed), luminance(background)), reverse=True)
        if (lighter + 0.05) / (darker + 0.05) >= goal:
            return mixed
    return (255, 255, 255)


def test_a_sites_footer_background_takes_text_that_reads_on_it_at_quartos_aa_contrast(tmp_path):
    # `page-footer: background: dark` on cosmo: Quarto forwards it to $footer-bg (the theme's $dark, #343a40) and
    # derives $footer-fg as theme-contrast(bg, bg, "AA"): the ground lightened until it reads at 4.5:1, not 7:1
    ground, text = _site_colours(tmp_path, "  page-footer:\n    background: dark\n    center: Made here\n",
                                 "(() => { const f = document.querySelector('footer.footer');"
                                 " return [getComputedStyle(f).backgroundColor, getComputedStyle("
                                 "f.querySelector('.nav-footer-center')).color]; })()")
    assert ground == "rgb(52, 58, 64)"
    assert text == "rgb({}, {}, {})".format(*_readable_on((52, 58, 64), 4.5))


def test_the_brand_shortcode_writes_a_brands_colours_and_logos_into_the_text(tmp_path):
    # {{< brand color NAME >}}: a theme colour or a palette entry, by value (Quarto's feature-11192 test);
    # {{< brand logo small >}}: the logo as an image with its alternative text; a light/dark pair gives the mode's
    from PIL import Image

    Image.new("RGB", (8, 8), (200, 0, 0)).save(tmp_path / "sun.png")
    Image.new("RGB", (8, 8), (0, 0, 200)).save(tmp_path / "moon.png")
    (tmp_path / "doc.qmd").write_text(textwrap.dedent("""\
        ---
        title: Brand shortcodes
        brand:
          light:
            color:
              palette:
                white: '#eeddcc'
              primary: white
            logo:
              small: {path: sun.png, alt: A sun}
          dark:
            logo:
              small: moon.png
        ---

        Palette: {{< brand color white >}}. Primary: {{< brand color primary >}}.

        {{< brand logo small >}}

        {{< brand logo small dark >}}
        """), encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "not supported" not in stderr
    soup = BeautifulSoup((tmp_path / "out" / "doc.html").read_text(encoding="utf-8"), "html.parser")
    assert "Palette: #eeddcc. Primary: #eeddcc." in " ".join(soup.get_text().split())
    images = soup.select("main img, body img")
    assert [image.get("alt", "") for image in images[:2]] == ["A sun", ""]
    assert images[0]["src"] != images[1]["src"]  # the light logo, then the dark one
