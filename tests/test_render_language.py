"""A document's language (``lang:``) in the words the renderer writes, as Quarto localises them: the
table of contents, callout titles, the title block, cross-reference and theorem names, dates (in the
HTML page and the PDF), ``language:`` overrides, and a website page's "On this page"."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from qmdrender.language import document_words

from .conftest import callout_title, pdf_text, render_cli, render_document, require_tool

GERMAN = """\
---
title: Numerik
author: Ada Lovelace
date: 2024-12-05
lang: de
toc: true
lof: true
number-sections: true
language:
  de:
    callout-tip-title: Merke
format:
  html: default
  pdf: default
---

## Grundlagen {#sec-grund}

::: {.callout-note}
Ein Hinweis.
:::

::: {.callout-tip}
Ein Tipp.
:::

::: {#thm-fix}
Jede Kontraktion hat einen Fixpunkt.
:::

Nach @thm-fix und @fig-punkt gilt das.

::: {#rem-skala}
Eine Bemerkung zur Skala.
:::

::: {.proof}
Klar.
:::

Wie @rem-skala in @sec-grund sagt.

![Ein Punkt](dot.png){#fig-punkt}

```python
x = 1
```
"""


@pytest.fixture(scope="module")
def german(tmp_path_factory) -> dict:
    from bs4 import BeautifulSoup
    from PIL import Image

    require_tool("xelatex")
    folder = tmp_path_factory.mktemp("language")
    (folder / "notes.qmd").write_text(GERMAN, encoding="utf-8")
    Image.new("RGB", (8, 8), "red").save(folder / "dot.png")
    site = folder / "site"
    site.mkdir()
    (site / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: S\n")
    (site / "index.qmd").write_text("---\ntitle: Home\ntoc: true\n---\n\n## One\n\nText.\n")
    code, stderr = render_cli(str(folder / "notes.qmd"), "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    code, stderr = render_cli(str(site))
    assert code == 0, stderr
    html = (folder / "out" / "notes.html").read_text(encoding="utf-8")
    return {"soup": BeautifulSoup(html, "html.parser"), "pdf": " ".join(pdf_text(folder / "out" / "notes.pdf").split()),
            "site": BeautifulSoup((site / "_site" / "index.html").read_text(encoding="utf-8"), "html.parser")}


def test_words_follow_lang_and_language_overrides_them():
    words = document_words({"lang": "de-AT", "language": {"title-block-published": "Erschienen",
                                                           "de": {"callout-note-caption": "Notiz"}}})
    assert words["crossref-fig-title"] == "Abbildung" and words["toc-title-document"] == "Inhaltsverzeichnis"
    assert words["title-block-published"] == "Erschienen" and words["callout-note-title"] == "Notiz"
    assert document_words({"lang": "xx"})["crossref-fig-title"] == "Figure"  # no translation: English


def test_a_german_page_shows_quartos_words_in_german(german):
    soup = german["soup"]
    headings = [h.get_text(strip=True) for h in soup.select(".quarto-title-meta-heading")]
    assert headings == ["Autor:in", "Veröffentlichungsdatum"]
    assert soup.select_one("p.date").get_text() == "5. Dezember 2024"
    assert soup.select_one("nav#TOC").get_text().strip().startswith("Inhaltsverzeichnis")
    titles = [callout_title(c) for c in soup.select(".callout")]
    assert titles == ["Hinweis", "Merke"]  # the language's word, and the document's own from language:
    text = " ".join(soup.get_text().split())
    assert "Theorem 1" in text and "Nach Theorem 1 und Abbildung 1 gilt das." in text
    # a labelled remark is titled with the proof kind's word, a reference to it with Quarto's English
    # crossref-rem-title (no translation has one); a section is a "Kapitel" in Quarto's German
    assert soup.select_one("#rem-skala .proof-title").get_text(" ", strip=True) == "Anmerkung 1 ."
    assert soup.select_one("div.proof:not(.remark) .proof-title").get_text(" ", strip=True) == "Beweis ."
    assert "Wie Remark 1 in Kapitel 1 sagt." in text


def test_a_german_pdf_names_theorems_and_figures_in_german(german):
    assert "Theorem 1." in german["pdf"] and "Nach Theorem 1 und Abbildung 1 gilt das." in german["pdf"]
    assert "Anmerkung 1." in german["pdf"] and "Wie Remark 1 in Kapitel 1 sagt." in german["pdf"]
    assert "Abbildung 1: Ein Punkt" in german["pdf"]
    assert "Abbildungsverzeichnis" in german["pdf"] and "List of Figures" not in german["pdf"]  # lof: true


def test_a_website_page_titles_its_table_of_contents_on_this_page(german):
    assert german["site"].select_one("nav#TOC").get_text().strip().startswith("On this page")


def test_a_page_names_its_language_and_english_when_the_document_names_none(german):
    # Quarto's <html lang="en"> without lang: (a screen reader's voice, the browser's hyphenation)
    assert german["soup"].html["lang"] == "de" and german["site"].html["lang"] == "en"


def test_the_code_tools_speak_the_documents_language(german):
    # a Spanish signals course (Quarto 1.9, lang: es): "Mostrar todo el código", not "Show All Code"; the copy
    # button's words too
    from qmdrender.formats.html import with_code_tools_menu
    from qmdrender.language import document_words

    assert german["soup"].select_one("button.code-copy-button")["title"] == "In die Zwischenablage kopieren"
    page = ('<header id="title-block-header"><h1 class="title">T</h1></header>'
            '<details class="code-fold"><summary>Code</summary></details>')
    spanish = document_words({"lang": "es"})
    menu = BeautifulSoup(with_code_tools_menu(page, {"source": True, "toggle": True, "caption": "Código"}, spanish),
                         "html.parser")
    assert [b.get_text() for b in menu.select(".code-tools-items button")] == [
        "Mostrar todo el código", "Ocultar todo el código", "Ver el código fuente"]


def test_each_language_quarto_translates_has_its_words_and_a_regional_tag_layers_over_its_language():
    # Quarto reads _language-pt.yml, then _language-pt-BR.yml over it; a tag without a file of its own
    # takes its language's (zh-CN the Chinese of zh), one without any English
    assert document_words({"lang": "zh"})["crossref-fig-title"] == "图"
    assert document_words({"lang": "zh-CN"})["callout-note-title"] == "注记"
    assert document_words({"lang": "zh-TW"})["crossref-fig-title"] == "圖"
    assert document_words({"lang": "ja"})["code-summary"] == "コード"
    brazilian = document_words({"lang": "pt-BR"})
    assert brazilian["crossref-cnj-title"] == "Conjectura"  # pt-BR's own word
    assert brazilian["crossref-apx-prefix"] == "Apêndice"  # pt's, which pt-BR does not redefine
    assert document_words({"lang": "../languages/de"})["crossref-fig-title"] == "Figure"


CHINESE = """\
---
title: 笔记
lang: zh
code-fold: true
---

::: {.callout-note}
内容
:::

```{python}
#| label: fig-a
#| fig-cap: 一个图
print(1)
```

::: {#thm-a}
定理内容
:::

见 @fig-a 与 @thm-a。

![一个点](dot.png){#fig-b}
"""


def test_a_chinese_page_names_figures_theorems_callouts_and_folded_code_in_chinese(tmp_path):
    from PIL import Image

    Image.new("RGB", (8, 8), "red").save(tmp_path / "dot.png")
    page, _ = render_document(tmp_path, "notes", CHINESE)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert [callout_title(c) for c in soup.select(".callout")] == ["注记"]
    assert soup.select_one("details.code-fold summary").get_text() == "代码"
    assert soup.select_one("#thm-a .theorem-title").get_text(strip=True) == "定理 1"
    text = " ".join(soup.get_text().split())
    assert "见 图 1 与 定理 1。" in text
    assert soup.select_one("#fig-b figcaption").get_text(strip=True).replace("\xa0", " ") == "图 2: 一个点"
