"""LaTeX files that lie beside a document (a local package, a Beamer theme, a file input with a ``./``
path) are found as when Quarto runs LaTeX in the document's folder, and a package TeX lacks is named
with what to do."""

from __future__ import annotations

import re
import subprocess

import pytest
from PIL import Image

from .conftest import pdf_text, render_cli, require_tool

DOCUMENT = """\
---
title: Local files
format:
  pdf:
    include-in-header: style/header.tex
  beamer:
    include-in-header: style/header.tex
    theme: Local
---

## A slide

Defined locally: \\localword{} and \\inputword{}.
"""


@pytest.fixture()
def folder(tmp_path):
    require_tool("xelatex")
    (tmp_path / "style").mkdir()
    (tmp_path / "style" / "header.tex").write_text("\\usepackage{localpkg}\n\\input{./style/words.tex}\n")
    (tmp_path / "localpkg.sty").write_text("\\ProvidesPackage{localpkg}\n\\newcommand{\\localword}{FROMSTY}\n")
    (tmp_path / "style" / "words.tex").write_text("\\newcommand{\\inputword}{FROMINPUT}\n")
    (tmp_path / "beamerthemeLocal.sty").write_text("\\setbeamertemplate{footline}{THEMEFOOT}\n")
    (tmp_path / "doc.qmd").write_text(DOCUMENT)
    return tmp_path


def test_a_local_package_input_and_beamer_theme_beside_the_document_are_found(folder):
    code, stderr = render_cli(str(folder / "doc.qmd"), "--to", "pdf", "--output", "doc-article.pdf",
                              "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    assert "Defined locally: FROMSTY and FROMINPUT." in " ".join(pdf_text(folder / "out" / "doc-article.pdf").split())
    code, stderr = render_cli(str(folder / "doc.qmd"), "--to", "beamer", "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    slides = " ".join(pdf_text(folder / "out" / "doc.pdf").split())
    assert "FROMSTY and FROMINPUT" in slides and "THEMEFOOT" in slides  # the deck's own theme
    assert not any(p.name == "localpkg.sty" for p in (folder / "out").iterdir())  # nothing added beside it


def test_files_beside_the_document_are_never_written_by_latex(folder):
    (folder / "doc.pdf").write_bytes(b"%PDF the author's own older copy")
    (folder / "doc.log").write_text("the author's log")
    code, stderr = render_cli(str(folder / "doc.qmd"), "--to", "pdf", "--output-dir", str(folder / "out"))
    assert code == 0, stderr
    assert (folder / "doc.pdf").read_bytes() == b"%PDF the author's own older copy"  # not overwritten
    assert (folder / "doc.log").read_text() == "the author's log"
    made = folder / "out" / "doc.pdf"
    assert made.read_bytes().startswith(b"%PDF-") and not made.is_symlink()


def test_a_package_tex_lacks_is_named_with_what_to_do(tmp_path):
    require_tool("xelatex")
    (tmp_path / "doc.qmd").write_text("---\ntitle: T\nformat:\n  pdf:\n    include-in-header:\n"
                                      "      text: \\usepackage{no-such-package-here}\n---\n\nText.\n")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code != 0
    assert "no-such-package-here.sty is not installed" in stderr and "tlmgr search --file" in stderr


def test_an_svg_figure_symbols_written_as_text_and_a_styler_table_reach_the_pdf(tmp_path):
    require_tool("xelatex")
    (tmp_path / "doc.qmd").write_text(
        "---\ntitle: T\nformat:\n  pdf:\n    fig-format: svg\n---\n\nBounds: a ≤ b → ∑ c.\n\n"
        "```{python}\n#| label: fig-svg\n#| fig-cap: A vector figure\nimport matplotlib.pyplot as plt\n"
        "plt.plot([1, 3, 2]); plt.title('VECTORTITLE')\nplt.show()\n```\n\n"
        "```{python}\nimport pandas as pd\npd.DataFrame({'v': [1.5]}).style.format(precision=1)\n```\n",
        encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    text = " ".join(pdf_text(tmp_path / "out" / "doc.pdf").split())
    assert "VECTORTITLE" in text and "<Figure size" not in text  # the SVG, as a vector image, not its text
    assert "Figure 1: A vector figure" in text
    assert "Bounds: a ≤ b → ∑ c." in text and "missing characters" not in stderr
    assert "Table" not in text and "1.5" in text  # a Styler's table, without a number its id would give it


def test_a_documents_own_template_is_used_and_one_latex_rejects_falls_back_with_a_warning(tmp_path):
    require_tool("xelatex")
    (tmp_path / "mine.latex").write_text("\\documentclass{article}\n\\begin{document}\nTEMPLATEMARK $title$\n\n"
                                         "$body$\n\\end{document}\n")
    (tmp_path / "broken.latex").write_text("\\documentclass{article}\n\\begin{document}\n\\nosuchmacro\n$body$\n"
                                           "\\end{document}\n")
    for name, template in (("good", "mine.latex"), ("bad", "broken.latex")):
        (tmp_path / f"{name}.qmd").write_text(f"---\ntitle: Templated\nformat:\n  pdf:\n    template: {template}\n"
                                              "---\n\nThe body text.\n")
    code, stderr = render_cli(str(tmp_path / "good.qmd"), str(tmp_path / "bad.qmd"), "--output-dir",
                              str(tmp_path / "out"))
    assert code == 0, stderr
    assert "TEMPLATEMARK Templated The body text." in " ".join(pdf_text(tmp_path / "out" / "good.pdf").split())
    assert "The body text." in pdf_text(tmp_path / "out" / "bad.pdf")  # typeset with pandoc's template
    assert "LaTeX failed with the document's template broken.latex" in stderr and "Undefined control" in stderr


BIBLIOGRAPHY = """\
@article{knuth84,
  author = {Donald E. Knuth},
  title = {Literate Programming},
  journal = {The Computer Journal},
  year = {1984},
  volume = {27},
  pages = {97--111}
}
"""


@pytest.mark.parametrize(("method", "program", "cited"), [("natbib", "bibtex", "As Knuth [1984] showed"),
                                                          ("biblatex", "biber", "As Knuth [1] showed")])
def test_cite_method_natbib_and_biblatex_build_latexs_own_reference_list(tmp_path, method, program, cited):
    require_tool("xelatex")
    require_tool(program)
    (tmp_path / "refs.bib").write_text(BIBLIOGRAPHY, encoding="utf-8")
    (tmp_path / "doc.qmd").write_text(f"---\ntitle: T\nbibliography: refs.bib\nformat:\n  pdf:\n"
                                      f"    cite-method: {method}\n---\n\nAs @knuth84 showed.\n", encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "doc.qmd"), "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    text = " ".join(pdf_text(tmp_path / "out" / "doc.pdf").split())
    assert cited in text and "Literate" in text and "The Computer Journal" in text  # bibtex/biber ran
    assert "?" not in text.split("References")[0]  # no unresolved citation
    assert "not supported" not in stderr


def test_a_pdf_is_set_in_quartos_koma_class_unless_the_document_names_its_own(tmp_path):
    require_tool("xelatex")
    words = " ".join(["a line of words long enough to fill the text block from its left edge to its right"] * 4)
    (tmp_path / "koma.qmd").write_text(f"---\ntitle: Koma\n---\n\n# Heading\n\nText. {words}\n\n"
                                       "```python\nshaded = 1\n```\n")
    (tmp_path / "article.qmd").write_text("---\ntitle: Article\ndocumentclass: article\n---\n\n# Heading\n\nText.\n")
    # a KOMA class named by the document keeps Quarto's letter paper (its type area, too)
    (tmp_path / "report.qmd").write_text("---\ntitle: Report\ndocumentclass: scrreprt\n---\n\n# Heading\n\nText.\n")
    code, stderr = render_cli(str(tmp_path / "koma.qmd"), str(tmp_path / "article.qmd"), str(tmp_path / "report.qmd"),
                              "--to", "pdf", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "612 x 792" in subprocess.run(["pdfinfo", str(tmp_path / "out" / "report.pdf")], capture_output=True,
                                         text=True).stdout

    def fonts(name: str) -> str:
        return subprocess.run(["pdffonts", str(tmp_path / "out" / name)], capture_output=True, text=True).stdout

    assert "LMSans" in fonts("koma.pdf")  # scrartcl sets the title and headings in sans-serif, as Quarto's PDFs
    size = subprocess.run(["pdfinfo", str(tmp_path / "out" / "koma.pdf")], capture_output=True, text=True).stdout
    assert "612 x 792" in size  # on US letter, as Quarto's (KOMA's own default would be A4)
    assert "LMSans" not in fonts("article.pdf")  # the document's own class
    # KOMA's type area, DIV=11 on letter, as Quarto's: a text block 8/11 of the 612 pt page, centred (83.45 pt
    # margins), not a margin of the renderer's own
    box = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "out" / "koma.pdf"), "-"], capture_output=True,
                         text=True).stdout
    lefts = [float(x) for x in re.findall(r'<word xMin="([\d.]+)"', box)]
    rights = [float(x) for x in re.findall(r'xMax="([\d.]+)"', box)]
    assert abs(min(lefts) - 83.45) < 1.5 and 520 < max(rights) < 612 - 83.45 + 1.5
    # code on the default highlight theme's shade (arrow's #f1f3f5), as Quarto's PDFs set it
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", str(tmp_path / "out" / "koma.pdf"),
                    str(tmp_path / "page")], check=True)
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    assert page.getcolors(1 << 20) and any(colour == (241, 243, 245) and count > 500
                                           for count, colour in page.getcolors(1 << 20))
