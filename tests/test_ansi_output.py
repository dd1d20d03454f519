"""Terminal colours in a cell's output (a traceback) show in HTML as Quarto shows them: spans named as
Jupyter names the colours, in an ``ansi-escaped-output`` block."""

from __future__ import annotations

from bs4 import BeautifulSoup

from qmdrender.ansi import has_colours, to_html

from .conftest import render_cli


def test_colour_codes_become_named_spans_merged_per_run_and_the_text_is_escaped():
    text = "\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[1]\x1b[39m <b> & \x1b[1;31mBold\x1b[0m plain"
    assert to_html(text) == ('<span class="ansi-cyan-fg">Cell </span><span class="ansi-green-fg">In[1]</span> '
                             '&lt;b&gt; &amp; <span class="ansi-red-intense-fg ansi-bold">Bold</span> plain')


def test_palette_and_rgb_colours_are_styles_and_other_codes_are_dropped():
    assert to_html("\x1b[38;5;28mprint\x1b[39m(x)") == '<span style="color:rgb(0,135,0)">print</span>(x)'
    assert to_html("\x1b[38;5;9mhi\x1b[0m") == '<span class="ansi-red-intense-fg">hi</span>'
    assert to_html("\x1b[48;2;1;2;3mbg\x1b[49m") == '<span style="background-color:rgb(1,2,3)">bg</span>'
    assert to_html("a\x1b[2Kb\x07") == "ab\\x07"  # a cursor code goes; a bell is shown, not sent
    assert has_colours("\x1b[31mx") and not has_colours("\x1b[2Kx") and not has_colours("plain")


def test_a_traceback_is_coloured_in_html_with_the_colours_stylesheet(tmp_path):
    (tmp_path / "oops.qmd").write_text('---\ntitle: Oops\n---\n\n```{python}\n#| error: true\n'
                                       'print(unknown_variable)\n```\n', encoding="utf-8")
    code, stderr = render_cli(str(tmp_path / "oops.qmd"), "--to", "html", "--output-dir", str(tmp_path / "out"))
    assert code == 0, stderr
    page = BeautifulSoup((tmp_path / "out" / "oops.html").read_text(encoding="utf-8"), "html.parser")
    block = page.select_one(".cell-output-error .ansi-escaped-output pre")
    assert [span.get_text() for span in block.select("span.ansi-red-fg")][:2] == ["-" * 75, "NameError"]
    assert "name 'unknown_variable' is not defined" in block.get_text()
    assert "\x1b" not in page.get_text() and ".ansi-red-fg" in page.head.decode()
