"""Token tables: seed columns, percentages, visible whitespace, bytes, escaping, and a real TeX run."""

from __future__ import annotations

import math
import subprocess

import pytest

from helpers import Alternative, Generation, TokenScore, generate, score
from helpers.tables import latex_escape, percent, token_table, visible

from .conftest import LATEX_PREAMBLE, PROMPT, require_tool

SPECIALS = "& % $ # _ { } ~ ^ \\"


def _generation_of(texts: list[str], prompt: str) -> Generation:
    """A hand-made result holding the given token strings (the table is under test, not the model)."""
    tokens = tuple(
        TokenScore(i, text, text.encode(), -0.5 - i, sampling_logprob=-0.5 - i, rank=1, entropy=1.0,
                   alternatives=(Alternative(i, text, text.encode(), -0.5 - i),))
        for i, text in enumerate(texts)
    )
    return Generation(prompt, "".join(texts), tokens, "hand-made", "fp_test", {})


def test_percentages_are_shown_like_the_seed():
    assert percent(0.262770) == "26.28 %"
    assert percent(0.041468) == "4.15 %"
    assert percent(0.000112) == "0.0112 %"


def test_newline_tokens_with_and_without_leading_space_are_distinct(lm):
    plain = lm.tokenizer("\n\n", add_special_tokens=False)["input_ids"]
    spaced = lm.tokenizer(" \n\n", add_special_tokens=False)["input_ids"]
    assert plain != spaced
    scored_plain, scored_spaced = score(lm, plain, prompt=PROMPT), score(lm, spaced, prompt=PROMPT)
    shown_plain = token_table(scored_plain, columns=["token_str"]).cells()["token_str"].tolist()
    shown_spaced = token_table(scored_spaced, columns=["token_str"]).cells()["token_str"].tolist()
    assert "".join(shown_plain) == "\\n\\n"
    assert "".join(shown_spaced) == "␣\\n\\n"


def test_visible_shows_spaces_tabs_and_newlines():
    assert visible(" to") == "␣to"
    assert visible("\t\r\n") == "\\t\\r\\n"


def test_a_token_that_splits_a_utf8_character_is_shown_as_its_bytes(lm):
    scored = score(lm, "🦜")  # rare emoji: byte-level BPE splits it into byte tokens
    joined = b"".join(t.raw for t in scored.tokens)
    assert joined == "🦜".encode()
    partial = [t for t in scored.tokens if "\ufffd" in t.text]
    assert partial, "expected at least one token that is an incomplete UTF-8 sequence"
    cells = token_table(scored, columns=["token_str"]).cells()["token_str"].tolist()
    assert all("\ufffd" not in cell for cell in cells)
    assert any("\\xf0" in cell or "\\x9f" in cell for cell in cells)


def test_latex_escape_covers_every_special_character():
    escaped = latex_escape(SPECIALS)
    for bare in ("& ", "% ", "$ ", "# ", "_ ", "{ ", "} "):
        assert "\\" + bare in escaped
    assert "\\textasciitilde{}" in escaped and "\\textasciicircum{}" in escaped
    assert "\\textbackslash{}" in escaped


def test_table_latex_is_a_booktabs_tabular_with_escaped_tokens_and_caption():
    generation = _generation_of(["a&b", "50%", "$x", "#1", "_y", "{z}", "~", "^", "\\n"], "p & q")
    latex = token_table(generation, caption="Prompt: p & q_1")._repr_latex_()
    assert "\\begin{tabular}" in latex and "\\toprule" in latex and "\\bottomrule" in latex
    assert "a\\&b" in latex and "50\\%" in latex and "\\$x" in latex and "\\#1" in latex
    assert "\\_y" in latex and "\\{z\\}" in latex and "p \\& q\\_1" in latex
    assert "token\\_str" in latex


def test_table_html_and_markdown_escape_their_own_specials():
    generation = _generation_of(["<b>", "a|b", "$x$"], "p")
    html = token_table(generation)._repr_html_()
    assert "<table" in html and "&lt;b&gt;" in html and "<b>" not in html
    assert "mathjax_ignore" in html
    markdown = token_table(generation)._repr_markdown_()
    assert "a\\|b" in markdown and "\\$x\\$" in markdown
    assert markdown.count("\n") == 2 + len(generation.tokens)


def test_table_columns_and_numbers_come_from_the_generation(lm):
    generation = generate(lm, PROMPT)
    cells = token_table(generation).cells()
    assert list(cells.columns[:4]) == ["token", "token_str", "trans_scores", "trans_prob"]
    for row, token in zip(cells.itertuples(index=False), generation.tokens, strict=True):
        assert row[0] == str(token.id)
        assert row[2] == f"{token.logprob:.3f}"
        assert row[3] == percent(math.exp(token.logprob))
    with pytest.raises(ValueError, match="Unknown table column"):
        token_table(generation, columns=["token", "nope"])


@pytest.mark.tex
def test_latex_table_with_specials_emoji_and_cjk_compiles_with_xelatex(tmp_path):
    xelatex = require_tool("xelatex")
    require_tool("pdftotext")
    texts = ["Price & tax", "100%", "$5", "#tag", "snake_case", "{brace}", "a~b", "x^2", "back\\slash",
             "😀 rocket 🚀", "中文 日本語", " leading", "\n\n"]
    generation = _generation_of(texts, "All & every %")
    document = (
        "\\documentclass{article}\n" + LATEX_PREAMBLE + "\n\\begin{document}\n"
        + token_table(generation, caption="Prompt: All & every %")._repr_latex_() + "\\end{document}\n"
    )
    (tmp_path / "table.tex").write_text(document, encoding="utf-8")
    run = subprocess.run([xelatex, "-interaction=nonstopmode", "-halt-on-error", "table.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout[-3000:]
    log = (tmp_path / "table.log").read_text(errors="replace")
    assert "Missing character" not in log
    text = subprocess.run(["pdftotext", "-layout", "table.pdf", "-"], cwd=tmp_path, capture_output=True,
                          text=True, check=True).stdout
    for expected in ["Price␣&␣tax", "100%", "$5", "#tag", "snake_case", "{brace}", "a~b", "x^2",
                     "back\\slash", "😀", "🚀", "中文", "日本語", "␣leading", "\\n\\n", "All & every %",
                     "60.65 %"]:
        assert expected in text, f"{expected!r} missing from the PDF text:\n{text}"
