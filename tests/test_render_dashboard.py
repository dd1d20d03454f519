"""format: dashboard as Quarto lays it out, checked in headless Chromium: the navbar's title, author and page
links; rows and columns of cards from the headings (sizes from {height=} and {width=}); a cell's card titled
by #| title with its plot fitted inside, no code shown; value boxes from a cell's dict and from a div; a
.card div and loose text as cards; pages and a .tabset switched by their links; a sidebar beside the page."""

from __future__ import annotations

import pytest

from .browser import Browser
from .conftest import render_cli

DASHBOARD = """\
---
title: "Palmer Penguins"
author: "Cobblepot Analytics"
format:
  dashboard:
    nav-buttons:
      - icon: github
        href: https://github.com/example/penguins
      - twitter
---

# Overview

## Row {height=30%}

```{python}
#| content: valuebox
#| title: "Articles per day"
#| icon: pencil
#| color: primary
45
```

```{python}
#| content: valuebox
#| title: "Spam per day"
dict(icon = "trash", color = "danger", value = 3)
```

::: {.valuebox icon="chat" color="success" title="Comments"}
126
:::

## Row {height=70%}

### Column {width=60%}

```{python}
#| title: Bill lengths
import matplotlib.pyplot as plt
plt.plot([1, 3, 2]); plt.show()
```

### Column {width=40%}

::: {.card title="About"}
Some words about **penguins**.
:::

Loose text becomes a card.

# Data

## Row {.sidebar}

Choose a penguin.

## Row {.tabset}

```{python}
#| title: First tab
print("one")
```

```{python}
#| title: Second tab
print("two")
```
"""


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard")
    (folder / "penguins.qmd").write_text(DASHBOARD)
    code, stderr = render_cli(str(folder / "penguins.qmd"), "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    # a sharing alias without an href is named, and left out
    assert "nav-buttons: 'twitter' has no href" in stderr and stderr.count("not supported") == 1
    return folder / "out" / "penguins.html"


def _box(selector: str) -> str:
    return f"(e => {{ const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }})(" \
           f"document.querySelector({selector!r}))"


def test_the_navbar_rows_columns_cards_and_value_boxes_are_laid_out_as_quarto_does(dashboard):
    with Browser(1200, 800) as browser:
        browser.open(dashboard.as_uri(), wait_for="document.readyState === 'complete'")
        seen = browser.evaluate("""(() => {
            const page = document.querySelector('#page-1');
            const boxes = [...page.querySelectorAll('.value-box')].map(b => ({
                text: b.innerText.replace(/\\s+/g, ' ').trim(), icon: !!b.querySelector('svg'),
                colour: getComputedStyle(b).backgroundColor, top: b.getBoundingClientRect().top,
                left: b.getBoundingClientRect().left}));
            const cards = [...page.querySelectorAll('.card:not(.value-box)')].map(c => ({
                title: (c.querySelector(':scope > .card-header') || {innerText: ''}).innerText.trim(),
                text: c.innerText.trim(), box: c.getBoundingClientRect().toJSON()}));
            const image = page.querySelector('.card img').getBoundingClientRect().toJSON();
            return {navbar: document.querySelector('.dashboard-header').innerText.replace(/\\s+/g, ' ').trim(),
                    titleBlock: !!document.querySelector('#title-block-header'), boxes, cards, image,
                    code: !!page.querySelector('pre.sourceCode'), tab: document.title};
        })()""")
    assert seen["navbar"] == "Palmer Penguins Cobblepot Analytics Overview Data"  # (the button is an icon)
    assert not seen["titleBlock"] and seen["tab"] == "Palmer Penguins"
    first, spam, second = seen["boxes"]
    # the cell's value with #| icon and #| color, a cell's dict, a .valuebox div
    assert [b["text"] for b in seen["boxes"]] == ["Articles per day 45", "Spam per day 3", "Comments 126"]
    assert all(b["icon"] for b in seen["boxes"]) and first["top"] == spam["top"] == second["top"]
    assert first["left"] < spam["left"] < second["left"]
    assert [b["colour"] for b in seen["boxes"]] == ["rgb(13, 110, 253)", "rgb(220, 53, 69)", "rgb(25, 135, 84)"]
    plot, about, loose = seen["cards"]
    assert plot["title"] == "Bill lengths" and about["title"] == "About" and loose["title"] == ""
    assert about["text"].endswith("Some words about penguins.") and loose["text"] == "Loose text becomes a card."
    assert not seen["code"]  # a dashboard shows no code unless asked
    # the second row (70 %) under the value boxes; its columns 60 % and 40 % wide, the second's cards stacked
    assert plot["box"]["top"] > first["top"] and abs(plot["box"]["top"] - about["box"]["top"]) < 1
    widths = plot["box"]["width"], about["box"]["width"]
    assert 1.3 < widths[0] / widths[1] < 1.7
    assert loose["box"]["top"] > about["box"]["bottom"] - 1
    # the plot fits its card (Quarto's fill layout)
    assert seen["image"]["bottom"] <= plot["box"]["bottom"] + 1 and seen["image"]["height"] > 100


def test_pages_and_tabsets_switch_and_a_sidebar_sits_beside_the_page(dashboard):
    with Browser(1200, 800) as browser:
        browser.open(dashboard.as_uri(), wait_for="document.readyState === 'complete'")
        shown = "(s => { const e = document.querySelector(s); return !!e && e.getClientRects().length > 0; })"
        assert browser.evaluate(f"{shown}('#page-1')") and not browser.evaluate(f"{shown}('#page-2')")
        browser.click(".dashboard-header .nav-link[data-target='#page-2']")
        browser.wait(f"{shown}('#page-2') && !{shown}('#page-1')")
        assert browser.evaluate("location.hash") == "#page-2"
        tabs = browser.evaluate("[...document.querySelectorAll('#page-2 .nav-tabs .nav-link')].map(t => t.innerText)")
        assert tabs == ["First tab", "Second tab"]
        panes = "[...document.querySelectorAll('#page-2 .tab-pane')].map(p => p.getClientRects().length > 0)"
        assert browser.evaluate(panes) == [True, False]
        browser.evaluate("document.querySelectorAll('#page-2 .nav-tabs .nav-link')[1].click()")
        browser.wait(f"{panes}.join() === 'false,true'")
        assert "two" in browser.evaluate("document.querySelector('#page-2 .tab-pane.active').innerText")
        # a card's expand button shows it over the whole dashboard; Escape puts it back
        browser.evaluate("document.querySelector('#page-2 .tabset > .card-expand').click()")
        expanded = browser.evaluate(_box("#page-2 .tabset"))
        assert expanded[0] < 30 and expanded[2] > 1170 and expanded[3] > 770
        browser.key("Escape")
        browser.wait("!document.querySelector('#page-2 .tabset').classList.contains('card-expanded')")
        button = browser.evaluate("(a => [a.href, !!a.querySelector('svg')])(document.querySelector("
                                  "'.navbar-buttons a'))")
        assert button == ["https://github.com/example/penguins", True]
        side = browser.evaluate(_box("#page-2 .dashboard-sidebar"))
        tabset = browser.evaluate(_box("#page-2 .tabset"))
        assert side[2] <= tabset[0] and "Choose a penguin." in browser.evaluate(
            "document.querySelector('#page-2 .dashboard-sidebar').innerText")


def test_a_dashboard_in_a_website_sits_under_the_sites_navbar_and_fills_the_window(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Site\n  navbar:\n"
                                          "    left: [index.qmd, dash.qmd]\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: Home\n---\n\nHello.\n")
    (tmp_path / "dash.qmd").write_text("---\ntitle: Dash\nformat: dashboard\n---\n\n## Row\n\n"
                                       "::: {.card title=\"A\"}\nOne\n:::\n")
    code, stderr = render_cli(str(tmp_path))
    assert code == 0, stderr
    with Browser(1000, 600) as browser:
        browser.open((tmp_path / "_site" / "dash.html").as_uri(), wait_for="document.readyState === 'complete'")
        site, own, card = (browser.evaluate(_box(s)) for s in ("#quarto-header", ".dashboard-header", ".card"))
        height = browser.evaluate("document.documentElement.scrollHeight")
    assert abs(own[1] - site[3]) < 1  # the dashboard's bar right under the site's navbar
    assert card[3] <= 600 and height <= 600  # the cards fill the window; nothing scrolls


def test_a_cells_content_the_renderer_does_not_draw_yet_is_named_and_shown_as_a_card(tmp_path):
    (tmp_path / "tools.qmd").write_text("---\ntitle: T\nformat: dashboard\n---\n\n```{python}\n#| content: toolbar\n"
                                        "print('inputs here')\n```\n")
    code, stderr = render_cli(str(tmp_path / "tools.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "content: toolbar is not supported by the embedded renderer yet" in stderr
    assert "inputs here" in (tmp_path / "out" / "tools.html").read_text()


def test_a_light_dark_pairs_toggle_sits_at_the_right_of_the_navbar_and_darkens_the_cards(tmp_path):
    (tmp_path / "dash.qmd").write_text("---\ntitle: Dash\nformat:\n  dashboard:\n    theme:\n      light: cosmo\n"
                                       "      dark: darkly\n---\n\n## Row\n\n::: {.card title=\"A\"}\nOne\n:::\n")
    code, stderr = render_cli(str(tmp_path / "dash.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    header = "getComputedStyle(document.querySelector('.card-header')).backgroundColor"
    with Browser(1000, 600) as browser:
        browser.open((tmp_path / "out" / "dash.html").as_uri())
        toggle = browser.evaluate(_box(".dashboard-header .quarto-color-scheme-toggle"))
        bar = browser.evaluate(_box(".dashboard-header"))
        light = browser.evaluate(header)
        browser.click(".dashboard-header .quarto-color-scheme-toggle")
        dark = browser.evaluate(header)
    assert toggle[2] > bar[2] - 60 and bar[1] <= toggle[1] and toggle[3] <= bar[3]  # at the bar's right
    assert light == "rgba(55, 58, 60, 0.03)" and dark == "rgb(68, 68, 68)"  # the card's cap, darkly's gray-700
