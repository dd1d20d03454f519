"""Quotes, figures, columns and tables on a slide take the room Quarto's decks give them (its quarto.scss and
styles.html over reveal.js's theme), and a deck's own title-slide partial keeps its own classes.

Each expected number is Quarto's rule, not a measurement of our output: a block quote is upright, as wide as
the slide, 0.625rem × 1.75rem padded with a 0.25rem rule at its left in the muted grey; a figure has no margin of
its own and its block keeps 1em under it; a stretched image and its caption keep reveal.js's block margin
(12px in Quarto's decks); the holder of columns is inline (``display: initial``), so its margin takes no room;
table cells are padded 0.2em × 0.5em. Checked in headless Chromium."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from .browser import REVEAL_READY, Browser
from .conftest import render_cli

DECK = """\
---
title: Blocks
format:
  revealjs:
    template-partials: {partials}
---

## Quote

> A quoted line, as a course's feedback slide quotes its students.

## Two figures

![First drawing](dot.png){{width=200}}

![Second drawing](dot.png){{width=200}}

## Stretched

![A lone drawing](dot.png)

## Columns

A paragraph above the columns.

:::: columns
::: column
Left.
:::
::: column
Right.
:::
::::

## Thirds

::: {{.column width="33.3%"}}
A
:::

::: {{.column width="33.3%"}}
B
:::

::: {{.column width="33.3%"}}
C
:::

## Table

| a | b |
|---|---|
| 1 | 2 |

## Grow {{auto-animate=true}}

```{{.python code-line-numbers="true"}}
total = 1
```

## Grown {{auto-animate=true}}

```{{.python code-line-numbers="true"}}
total = 1
total += 2
```
"""

TITLE_PARTIAL = """<section id="$idprefix$title-slide">
  <h1 class="title">$title$</h1>
</section>
"""

MEASURE = """(() => {
  const go = id => { const s = document.getElementById(id); const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v);
                     return s; };
  const box = e => e.getBoundingClientRect(), css = e => getComputedStyle(e);
  const out = {};
  let s = go('quote'); const q = s.querySelector('blockquote');
  out.quote = {width: box(q).width, slide: s.getBoundingClientRect().width, style: css(q).fontStyle,
               left: css(q).borderLeftWidth, leftStyle: css(q).borderLeftStyle, pad: [css(q).paddingTop,
               css(q).paddingLeft], color: css(q).color, rule: css(q).borderLeftColor,
               text: css(s).color, rootFont: css(document.documentElement).fontSize};
  s = go('two-figures'); const blocks = [...s.querySelectorAll('div.quarto-figure')];
  // (offsets: the layout's pixels, before reveal.js scales the slide to the window)
  out.figures = {gap: blocks[1].offsetTop - blocks[0].offsetTop - blocks[0].offsetHeight, font: css(blocks[0]).fontSize,
                 figureTop: box(blocks[0].querySelector('figure')).top, blockTop: box(blocks[0]).top,
                 pTop: box(blocks[0].querySelector('figure > p')).top};
  s = go('stretched'); const img = s.querySelector('img');
  out.stretched = {stretched: img.classList.contains('r-stretch'), top: css(img).marginTop,
                   bottom: css(img).marginBottom, caption: css(s.querySelector('p.caption')).marginTop};
  s = go('columns'); const holder = s.querySelector('div.columns'), para = s.querySelector(':scope > p');
  out.columns = {display: css(holder).display,
                 gap: s.querySelector('div.column').offsetTop - para.offsetTop - para.offsetHeight,
                 margin: css(para).marginBottom};
  s = go('thirds');
  out.thirds = [...s.querySelectorAll('div.column')].map(c => Math.round(box(c).top));
  s = go('table'); const cell = s.querySelector('td');
  out.table = {top: css(cell).paddingTop, left: css(cell).paddingLeft, font: css(cell).fontSize};
  return JSON.stringify(out);
})()"""


def _px(value: str) -> float:
    return float(value.removesuffix("px"))


def _render(folder, partials: bool):
    Image.new("RGB", (40, 30), (9, 99, 199)).save(folder / "dot.png")
    (folder / "title-slide.html").write_text(TITLE_PARTIAL, encoding="utf-8")
    (folder / "deck.qmd").write_text(DECK.format(partials="[title-slide.html]" if partials else "[]"),
                                     encoding="utf-8")
    code, stderr = render_cli(str(folder / "deck.qmd"), "--output-dir", str(folder))
    assert code == 0, stderr
    return folder / "deck.html"


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> dict:
    deck = _render(tmp_path_factory.mktemp("blocks"), partials=False)
    with Browser(1280, 720) as browser:
        browser.open(deck.as_uri(), wait_for=REVEAL_READY)
        browser.evaluate("Reveal.configure({transition: 'none'})")
        measures = json.loads(browser.evaluate(MEASURE))
        browser.evaluate("(() => { const i = Reveal.getIndices(document.getElementById('grow'));"
                         " Reveal.slide(i.h, i.v); Reveal.next(); })()")
        # what reveal.js's auto-animate paired between the two slides: it marks each element it moves
        animated = browser.evaluate("Array.from(Reveal.getCurrentSlide().querySelectorAll("
                                    "'[data-auto-animate-target]')).map(e => e.tagName + ' ' +"
                                    " (e.dataset.autoAnimateTarget === 'unmatched' ? 'new' : 'paired'))")
        return {"page": deck.read_text(encoding="utf-8"), "animated": animated, **measures}


def test_a_block_quote_is_upright_as_wide_as_the_slide_with_a_muted_rule_at_its_left(measured):
    quote, rem = measured["quote"], _px(measured["quote"]["rootFont"])
    assert quote["style"] == "normal"  # reveal.js's own quote is italic
    assert abs(quote["width"] - quote["slide"]) < 1  # reveal.js's is 70 % wide
    assert quote["leftStyle"] == "solid" and abs(_px(quote["left"]) - 0.25 * rem) < 0.1
    assert abs(_px(quote["pad"][0]) - 0.625 * rem) < 0.1 and abs(_px(quote["pad"][1]) - 1.75 * rem) < 0.1
    assert quote["color"] == quote["rule"] != quote["text"]  # both the muted grey, lighter than the text


def test_figures_on_a_slide_have_no_margin_and_their_blocks_keep_one_em_under_them(measured):
    figures = measured["figures"]
    assert abs(figures["gap"] - _px(figures["font"])) < 1
    assert figures["figureTop"] == figures["blockTop"] == figures["pTop"]


def test_a_stretched_image_and_its_caption_keep_the_decks_block_margin(measured):
    stretched = measured["stretched"]
    assert stretched["stretched"]
    assert stretched["top"] == stretched["bottom"] == stretched["caption"] == "12px"


def test_columns_sit_in_an_inline_holder_whose_margin_takes_no_room(measured):
    columns = measured["columns"]
    assert columns["display"] == "inline"
    # the paragraph's own margin alone separates it from the columns (a block holder's 0.8em margin would win)
    assert abs(columns["gap"] - _px(columns["margin"])) < 2


def test_three_columns_of_a_third_without_a_holder_share_one_row(measured):
    # Quarto writes the columns with nothing between them: the space of a line break would push the third down
    assert len(measured["thirds"]) == 3 and len(set(measured["thirds"])) == 1, measured["thirds"]


def test_table_cells_keep_reveal_js_padding(measured):
    table = measured["table"]
    assert abs(_px(table["top"]) - 0.2 * _px(table["font"])) < 0.1
    assert abs(_px(table["left"]) - 0.5 * _px(table["font"])) < 0.1


def test_an_auto_animate_slides_code_grows_line_by_line_into_the_next_slides(measured):
    # Quarto marks the title and the one code block (and its lines) so that reveal.js pairs them: the line
    # both slides have moves, the new one fades in; before, the two blocks' texts differed and nothing paired
    animated = measured["animated"]
    assert animated.count("H2 paired") == animated.count("PRE paired") == 1
    assert animated.count("SPAN paired") == 1 and animated.count("SPAN new") == 1  # `total = 1`; `total += 2`
    # a numbered line's anchor links nowhere: slides own the address, as in Quarto's decks
    assert '<a href="#cb' not in measured["page"]
    assert '<span id="cb1-1" class="hljs-ln-code"><a></a>' in measured["page"]


def test_quartos_title_slide_is_a_title_block_and_a_decks_own_partial_keeps_its_classes(measured, tmp_path):
    assert '<section id="title-slide" class="quarto-title-block center">' in measured["page"]
    own = _render(tmp_path, partials=True).read_text(encoding="utf-8")
    # Quarto centres the title slide it finds by its id, and adds nothing else
    assert '<section id="title-slide" class="center">' in own
