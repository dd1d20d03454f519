"""A PDF that names fonts this machine lacks (its author's Times New Roman and Arial) is typeset with the
fonts fontconfig offers in their place, with a warning naming each, where xelatex alone would stop."""

from __future__ import annotations

import subprocess

from .conftest import pdf_text, render_cli, require_tool


def test_fonts_the_machine_lacks_are_replaced_with_a_warning_and_colorlinks_false_is_kept(tmp_path):
    require_tool("xelatex")
    require_tool("fc-match")
    (tmp_path / "fonts.qmd").write_text(
        "---\ntitle: Fonts\nformat:\n  pdf:\n    mainfont: No Such Serif Font\n    sansfont: Arial\n"
        "    monofont: DejaVu Sans Mono\n    colorlinks: false\n    keep-tex: true\n---\n\n# Heading\n\n"
        "Body text and `code`, and [a link](https://example.org).\n")
    code, stderr = render_cli(str(tmp_path / "fonts.qmd"), "--to", "pdf", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "mainfont 'No Such Serif Font' is not installed here; the PDF uses" in stderr
    assert "monofont" not in stderr  # an installed font is used as named
    assert "Body text and code, and a link." in " ".join(pdf_text(tmp_path / "out" / "fonts.pdf").split())
    assert "hidelinks" in (tmp_path / "out" / "fonts.tex").read_text(encoding="utf-8")  # colorlinks: false is kept
    fonts = subprocess.run(["pdffonts", str(tmp_path / "out" / "fonts.pdf")], capture_output=True, text=True).stdout
    assert "DejaVuSansMono" in fonts
