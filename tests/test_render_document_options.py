"""Document options Quarto users set, checked on what they produce: callout-appearance and callout-icon
as defaults for every callout, shift-heading-level-by, keep-md / keep-tex / keep-ipynb (the intermediate
files published beside the outputs), smooth-scroll, highlight-style, toc-location, title-block-banner, and
the cell options classes, fig-pos and fig-env; code-link, an R-only option, is explained."""

from __future__ import annotations

import textwrap

import nbformat
from bs4 import BeautifulSoup

from .browser import Browser
from .conftest import pdf_text, render_cli, require_tool

DOCUMENT = textwrap.dedent("""\
    ---
    title: "Options"
    callout-appearance: simple
    callout-icon: false
    shift-heading-level-by: 1
    keep-md: true
    keep-tex: true
    keep-ipynb: true
    smooth-scroll: true
    code-link: true
    highlight-style: zenburn
    toc: true
    format:
      html:
        toc-location: left
        title-block-banner: "#123456"
      pdf: default
    ---

    # Top heading

    ::: {.callout-note}
    A note without an icon.
    :::

    ::: {.callout-tip appearance="default"}
    A tip that asks for the default look.
    :::

    ::: {.callout-warning appearance="minimal" icon=true}
    A minimal warning.
    :::

    ```{python}
    #| classes: my-cell-class
    print(20 + 22)
    ```

    ```{python}
    #| label: fig-placed
    #| fig-cap: "Placed at the top"
    #| fig-pos: t
    import matplotlib.pyplot as plt
    plt.plot([1, 2])
    plt.show()
    ```

    ```{python}
    #| label: fig-wide
    #| fig-cap: "In its own environment"
    #| fig-env: figure*
    plt.plot([2, 1])
    plt.show()
    ```
    """)


def test_callout_defaults_heading_shift_kept_files_and_smooth_scroll(tmp_path):
    require_tool("xelatex")
    (tmp_path / "options.qmd").write_text(DOCUMENT, encoding="utf-8")
    out = tmp_path / "out"
    code, stderr = render_cli(str(tmp_path / "options.qmd"), "--output-dir", str(out))
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == ["options.html", "options.html.md", "options.ipynb",
                                                     "options.pdf", "options.pdf.md", "options.tex"]
    soup = BeautifulSoup((out / "options.html").read_text(encoding="utf-8"), "html.parser")
    note, tip = soup.select_one(".callout-note"), soup.select_one(".callout-tip")
    assert "callout-style-simple" in note["class"] and "no-icon" in note["class"]
    assert "callout-style-default" in tip["class"]
    # "minimal" is Quarto's simple look without an icon, whatever icon says (the Network Science notes' callouts)
    warning = soup.select_one(".callout-warning")
    assert "callout-style-simple" in warning["class"] and "no-icon" in warning["class"]
    assert soup.find("h2", string="Top heading") is not None and soup.find("h1", string="Top heading") is None
    assert "scroll-behavior: smooth" in str(soup)
    assert "\\subsection{Top heading}" in (out / "options.tex").read_text(encoding="utf-8")
    assert "::: {.callout-note}" in (out / "options.html.md").read_text(encoding="utf-8")
    kept = nbformat.read(out / "options.ipynb", as_version=4)
    assert any("42" in output.get("text", "") for cell in kept.cells for output in cell.get("outputs", []))
    assert "code-link applies to R (knitr) documents" in stderr and "not supported" not in stderr
    assert "42" in soup.select_one("div.my-cell-class").get_text()  # classes: on the cell
    assert "\\begin{figure}[t]" in (out / "options.tex").read_text(encoding="utf-8")  # fig-pos
    assert "\\begin{figure*}[tp]" in (out / "options.tex").read_text(encoding="utf-8")  # fig-env
    assert "Figure 2: In its own environment" in " ".join(pdf_text(out / "options.pdf").split())
    assert "#f0dfaf" in str(soup).lower()  # zenburn's keyword colour
    assert soup.select_one("div#quarto-sidebar-toc-left.sidebar.toc-left > nav#TOC") is not None  # Quarto's column
    with Browser(1400, 900) as browser:
        browser.open((out / "options.html").as_uri(), wait_for="document.readyState === 'complete'")
        toc = browser.evaluate("document.querySelector('nav#TOC').getBoundingClientRect().right")
        text = browser.evaluate("document.querySelector('main h2').getBoundingClientRect().left")
        code = browser.evaluate("getComputedStyle(document.querySelector('div.sourceCode')).backgroundColor")
        banner = browser.evaluate("getComputedStyle(document.querySelector('header#title-block-header "
                                  ".quarto-title-banner'))"
                                  ".backgroundColor")
        # the banner across the window beside a contents column on the left too
        band = browser.evaluate("(b => [b.left, b.right, document.documentElement.clientWidth])(document"
                                ".querySelector('.quarto-title-banner').getBoundingClientRect())")
    assert toc < text  # toc-location: left
    assert banner == "rgb(18, 52, 86)" and band[0] == 0 and abs(band[1] - band[2]) < 1, band
    assert code == "rgb(48, 48, 48)"  # zenburn's own dark code background, so its light text stays readable


GRID = textwrap.dedent("""\
    ---
    title: "Grid"
    toc: true
    format:
      html:
        grid:
          body-width: 1000px
          margin-width: 300px
    ---

    ## First

    {words}

    ## Second

    Text.
    """).replace("{words}", " ".join(["word"] * 400))


def test_grid_sets_the_body_and_margin_widths_and_a_bad_width_is_one_error(tmp_path):
    (tmp_path / "grid.qmd").write_text(GRID, encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "grid.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "grid:" not in stderr and "unsupported" not in stderr  # supported: no warning
    with Browser(1700, 900) as browser:
        browser.open((tmp_path / "out" / "grid.html").as_uri())
        text, toc = browser.evaluate("[document.querySelector('p').getBoundingClientRect().width, "
                                     "document.querySelector('nav#TOC').getBoundingClientRect().width]")
    assert abs(text - 1000) < 2 and abs(toc - 300) < 2, (text, toc)
    (tmp_path / "bad.qmd").write_text(GRID.replace("1000px", "wide"), encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "bad.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code != 0 and "grid: body-width must be a CSS length" in stderr
    assert not (tmp_path / "out" / "bad.html").exists()


def test_a_toc_depth_deeper_than_six_lists_every_heading_on_a_page_and_in_a_deck(tmp_path):
    # a student's deck sets toc-depth: 10; Quarto renders it (pandoc itself takes 1 to 6 on its command line)
    for fmt in ("html", "revealjs"):
        (tmp_path / f"{fmt}.qmd").write_text(f"---\ntitle: Deep\nformat: {fmt}\ntoc: true\ntoc-depth: 10\n---\n\n"
                                             "# One\n\n## Two\n\n### Three\n\n#### Four\n\nText.\n", encoding="utf-8")
        code, stderr = render_cli(str(tmp_path / f"{fmt}.qmd"), "--output-dir", str(tmp_path / "out"))
        assert code == 0, stderr
        page = (tmp_path / "out" / f"{fmt}.html").read_text(encoding="utf-8")
        toc = page[page.index('id="TOC"'):]
        assert all(f">{name}</a>" in toc[:toc.index("</nav>")] for name in ("One", "Two", "Three", "Four")), fmt


def test_body_classes_are_on_the_pages_body_as_in_quarto(tmp_path):
    # Quarto's body-classes test (8118): the author's stylesheet addresses body.cool-beans
    (tmp_path / "doc.qmd").write_text("---\ntitle: Classes\nformat:\n  html:\n    body-classes: cool-beans\n"
                                      "css: cool.css\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "cool.css").write_text("body.cool-beans p { color: rgb(1, 2, 3); }\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    with Browser(1000, 700) as browser:
        browser.open((tmp_path / "out" / "doc.html").as_uri())
        colour = browser.evaluate("getComputedStyle(document.querySelector('main p, p')).color")
    assert colour == "rgb(1, 2, 3)"


def test_a_documents_own_lua_filters_run_before_the_renderers_and_after_quarto_if_listed_so(tmp_path):
    (tmp_path / "shout.lua").write_text("function Str(s) return pandoc.Str(s.text:upper()) end\n")
    # after "quarto": sees the renderer's callout title, which runs first
    (tmp_path / "late.lua").write_text("function Div(d) if d.classes:includes('callout') then "
                                       "d.attributes['data-late'] = 'yes' end return d end\n")
    (tmp_path / "doc.qmd").write_text(textwrap.dedent("""\
        ---
        title: Filtered
        engine: jupyter
        filters: [shout.lua, missing.lua, quarto, late.lua]
        ---

        Quiet words.

        ::: {.callout-note}
        A note.
        :::
        """), encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "filters: missing.lua was not found" in stderr and "option engine" not in stderr
    page = BeautifulSoup((tmp_path / "out" / "doc.html").read_text(encoding="utf-8"), "html.parser")
    assert "QUIET WORDS" in page.get_text()
    assert page.select('[data-late="yes"]')


def test_a_remote_image_that_cannot_be_fetched_leaves_its_description_in_the_pdf(tmp_path):
    require_tool("xelatex")
    (tmp_path / "remote.qmd").write_text("---\ntitle: Remote\n---\n\nBefore.\n\n"
                                         "![A chart from the web](https://example.org/chart.png)\n\nAfter.\n",
                                         encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "remote.qmd"), "--to", "pdf", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr  # the tests reach no network: the fetch fails, as offline
    assert "could not fetch https://example.org/chart.png for the PDF" in stderr
    text = " ".join(pdf_text(tmp_path / "out" / "remote.pdf").split())
    assert "Before." in text and "A chart from the web" in text and "After." in text


def test_an_image_with_an_empty_address_is_named_as_such_and_the_page_is_written(tmp_path):
    # a course deck's placeholder <img src="" width=10%/>: pandoc's bare "Could not fetch resource" said nothing
    (tmp_path / "empty.qmd").write_text("---\ntitle: Empty\n---\n\nBefore <img src=\"\" width=10%/> after.\n",
                                        encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "empty.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert 'an image or link with an empty address (src="") has nothing to embed' in stderr
    assert "warning: Could not fetch resource\n" not in stderr
    assert "Before" in (tmp_path / "out" / "empty.html").read_text(encoding="utf-8")


def test_an_image_left_as_a_git_lfs_pointer_is_named_and_the_pdf_is_still_made(tmp_path):
    # a course repository's images are Git LFS files: a clone without `git lfs pull` has three lines of text in
    # each; xelatex stopped on "Unable to load picture", and the page showed a broken image without a word
    require_tool("xelatex")
    (tmp_path / "chart.png").write_text("version https://git-lfs.github.com/spec/v1\noid sha256:43fc51aa\n"
                                        "size 12345\n", encoding="utf-8")
    (tmp_path / "lfs.qmd").write_text("---\ntitle: LFS\n---\n\nBefore.\n\n![A chart](chart.png)\n\nAfter.\n",
                                      encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "lfs.qmd"), "--to", "html,pdf", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "image chart.png is a Git LFS pointer, not the image" in stderr and "git lfs pull" in stderr
    text = " ".join(pdf_text(tmp_path / "out" / "lfs.pdf").split())
    assert "Before. [image not fetched (Git LFS): chart.png]" in text and "After." in text


def test_pdf_level_four_and_five_headings_stand_on_lines_of_their_own_as_quartos_block_headings(tmp_path):
    # Quarto's PDFs set block-headings: a "####" heading (LaTeX's \paragraph) is not run into its text;
    # block-headings: false keeps LaTeX's run-in heading
    require_tool("xelatex")
    body = "## Two\n\n#### Four\n\nText after four.\n\n##### Five\n\nText after five.\n"
    lines = {}
    for name, extra in (("default", ""), ("runin", "block-headings: false\n")):
        (tmp_path / f"{name}.qmd").write_text(f"---\ntitle: H\nformat: pdf\n{extra}---\n\n{body}", encoding="utf-8")
        code, stderr = render_cli(str(tmp_path / f"{name}.qmd"), "--output-dir", str(tmp_path / "out"))
        assert code == 0, stderr
        lines[name] = [line.strip() for line in pdf_text(tmp_path / "out" / f"{name}.pdf").splitlines() if line.strip()]
    assert "Four" in lines["default"] and "Text after four." in lines["default"]
    assert "Five" in lines["default"] and "Text after five." in lines["default"]
    assert "Four Text after four." in lines["runin"]


def test_code_link_and_knitrs_options_are_said_only_where_they_would_apply(tmp_path):
    # a book's code-link: true (and knitr: opts_chunk:) reaches every chapter; a chapter without code has nothing
    # they apply to, an R chapter is one Quarto's knitr would link (not done here: named as not supported); its
    # knitr: opts_chunk sets the chunks' defaults (options.cell_settings), so it is not named
    options = "code-link: true\nknitr:\n  opts_chunk:\n    comment: '#>'\n"
    (tmp_path / "prose.qmd").write_text(f"---\ntitle: Prose\n{options}---\n\nWords.\n", encoding="utf-8")
    (tmp_path / "r.qmd").write_text(f"---\ntitle: R\n{options}---\n\n```{{r}}\nmean(1)\n```\n", encoding="utf-8")
    for name in ("prose", "r"):
        code, stderr = render_cli(str(tmp_path / f"{name}.qmd"), "--to", "html", "--output-dir", str(tmp_path))
        assert code == 0, stderr
        said = " ".join(stderr.split())
        if name == "prose":
            assert "warning" not in said  # (the test's folder is named after it: no word search)
        else:
            assert "not supported by the embedded renderer yet, shown without it: option code-link." in said
