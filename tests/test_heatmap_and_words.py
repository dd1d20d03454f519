"""Token heat maps (HTML, LaTeX, text), token offsets and word surprisal, on real model output.

Expected sums are computed here from the tokens' own log-probabilities, independently of
``word_scores``; spans are checked against the text itself.
"""

from __future__ import annotations

import math
import subprocess

import pytest
from bs4 import BeautifulSoup

from helpers import generate, score
from helpers.core import Alternative, Generation, TokenScore
from helpers.heatmap import BUCKET_COLOURS, UNKNOWN_COLOUR, token_heatmap
from helpers.surprisal import bucket_shares, most_surprising_words, rank_bucket, token_spans, word_scores

from .browser import Browser
from .conftest import pdf_text, require_tool

TRICKY = " Finn writes \\code{x} & 50% of $5_#~^ in Python,\n\nthen 你好 and 😀!"


@pytest.fixture(scope="module")
def tricky(lm) -> Generation:
    return score(lm, TRICKY, prompt="Note:")


def test_token_pieces_reconstruct_the_text_including_split_utf8_characters(tricky):
    spans = token_spans(tricky)
    assert "".join(span.piece for span in spans) == TRICKY
    assert any(span.piece == "" for span in spans), "the emoji/CJK tokens should split a character"
    for span in spans:
        assert TRICKY[span.start:span.end] == span.piece
    assert [s.start for s in spans[1:]] == [s.end for s in spans[:-1]]


def test_html_heatmap_has_one_span_per_token_in_order_with_bucket_colours_and_tooltips(tricky):
    soup = BeautifulSoup(token_heatmap(tricky, "rank")._repr_html_(), "html.parser")
    spans = soup.select(".token-heatmap > .tok")
    assert len(spans) == len(tricky.tokens)
    texts = []
    for span, token in zip(spans, tricky.tokens, strict=True):
        tip = span.select_one(".tip")
        texts.append(span.get_text().removesuffix(tip.get_text()).replace("¶", ""))
        assert f"background:{BUCKET_COLOURS[rank_bucket(token)]}" in span["style"]
        assert f"rank {token.rank}" in tip.get_text() and f"{token.probability:.2%}" in tip.get_text()
        assert f"surprisal {-token.logprob / math.log(2):.2f} bits" in tip.get_text()
        assert span["tabindex"] == "0"  # reachable with the keyboard; focus shows the tooltip
    assert "".join(texts) == TRICKY
    assert soup.select_one(".token-heatmap > .prompt").get_text() == "Note:"
    legend = soup.select_one(".heatmap-legend").get_text()
    assert all(name in legend for name in BUCKET_COLOURS)
    assert "<script" not in str(soup) and "http" not in str(soup)


def test_continuous_scales_have_a_colour_bar(tricky):
    for color_by, ends in (("probability", ("0 %", "100 %")), ("surprisal", ("0 bits", "20+ bits"))):
        html = token_heatmap(tricky, color_by)._repr_html_()
        legend = BeautifulSoup(html, "html.parser").select_one(".heatmap-legend")
        assert all(end in legend.get_text() for end in ends) and "linear-gradient" in legend.select_one(".bar")["style"]
    with pytest.raises(ValueError, match="color_by must be one of rank, probability, surprisal"):
        token_heatmap(tricky, "colour")


def test_an_api_that_knows_only_its_top_n_shows_the_rank_as_unknown():
    alternatives = tuple(Alternative(None, t, t.encode(), -1.0) for t in (" a", " b", " c"))
    token = TokenScore(None, " zebra", b" zebra", -9.0, rank=None, alternatives=alternatives)
    generation = Generation("p", " zebra", (token,), "api", "fp", {})
    html = token_heatmap(generation, "rank")._repr_html_()
    assert "rank beyond top 3" in html and f"background:{UNKNOWN_COLOUR}" in html and "rank unknown" in html
    assert "beyond top 3" in str(token_heatmap(generation, "rank"))
    assert list(bucket_shares(generation).index) == ["top 10", "top 100", "top 1000", "beyond 1000", "unknown"]


def test_latex_heatmap_compiles_and_the_pdf_gives_the_text_back_in_order(tricky, tmp_path):
    xelatex = require_tool("xelatex")
    from .conftest import LATEX_PREAMBLE

    body = (token_heatmap(tricky, "rank")._repr_latex_() + "\n\n" +
            token_heatmap(tricky, "surprisal", show_prompt=False)._repr_latex_())
    tex = tmp_path / "heatmap.tex"
    tex.write_text("\\documentclass{article}\n\\usepackage{xcolor}\n" + LATEX_PREAMBLE + "\n\\begin{document}\n" +
                   body + "\n\\end{document}\n", encoding="utf-8")
    done = subprocess.run([xelatex, "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=tmp_path,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stdout.decode(errors="replace")[-3000:]
    assert "Missing character" not in tex.with_suffix(".log").read_text(errors="replace")
    text = " ".join(pdf_text(tex.with_suffix(".pdf"), layout=False).split())
    expected = " ".join(TRICKY.replace("\n", "¶ ").split())
    assert expected.replace(" ", "") in text.replace(" ", "")  # every character, in order, selectable
    assert "top 1000" in text and "beyond 1000" in text  # the legend


def test_plain_text_view_is_readable_in_a_terminal(tricky):
    text = str(token_heatmap(tricky))
    lines = text.splitlines()
    assert len(lines) == len(tricky.tokens) + 1 and "rank" in lines[0] and "bits" in lines[0]
    assert "' Finn'" in text and "\x1b" not in text


def test_word_surprisal_sums_the_tokens_of_each_word(tricky):
    words = word_scores(tricky)
    spans = token_spans(tricky)
    assert list(words["word"]) == ["Finn", "writes", "\\code{x}", "&", "50%", "of", "$5_#~^", "in", "Python,", "then",
                                   "你好", "and", "😀!"]
    position = 0
    for row in words.itertuples():
        assert TRICKY[row.start:row.end] == row.word
        pieces = row.tokens
        indices = list(range(position, position + len(pieces)))
        assert [spans[i].piece for i in indices] == pieces
        bits = sum(-tricky.tokens[i].logprob for i in indices) / math.log(2)
        assert row.surprisal == pytest.approx(bits, rel=1e-12)
        assert row.probability == pytest.approx(math.exp(sum(tricky.tokens[i].logprob for i in indices)), rel=1e-12)
        position += len(pieces)
    assert position == len(tricky.tokens)
    first = words.loc[words["word"] == "then", "tokens"].item()[0]
    assert "\n" in first and not first.strip()  # the line break counts with "then"
    nats = word_scores(tricky, base=math.e)
    assert (nats["surprisal"] / words["surprisal"]).round(12).eq(round(math.log(2), 12)).all()
    with pytest.raises(ValueError, match="base must be a number > 1"):
        word_scores(tricky, base=1)


def test_word_scores_are_the_same_from_generate_and_from_score_of_its_tokens(lm):
    generated = generate(lm, "Finn writes code", max_new_tokens=12)
    rescored = score(lm, generated.token_ids, prompt="Finn writes code")
    a, b = word_scores(generated), word_scores(rescored)
    assert list(a["word"]) == list(b["word"]) and list(a["start"]) == list(b["start"])
    assert a["surprisal"].to_numpy() == pytest.approx(b["surprisal"].to_numpy(), abs=1e-3)


def test_most_surprising_words_are_sorted(tricky):
    top = most_surprising_words(tricky, 5)
    assert len(top) == 5 and list(top["surprisal_bits"]) == sorted(top["surprisal_bits"], reverse=True)
    assert top["surprisal_bits"].iloc[0] == word_scores(tricky)["surprisal"].max()


def test_the_tooltip_opens_on_keyboard_focus_in_a_real_browser(tricky, tmp_path):
    page = tmp_path / "heatmap.html"
    page.write_text("<!doctype html><meta charset=utf-8><body style='font-family:sans-serif;margin:2em'>" +
                    token_heatmap(tricky, "rank")._repr_html_() + "</body>", encoding="utf-8")
    with Browser(900, 500) as browser:
        browser.open(page.as_uri())
        hidden = "getComputedStyle(document.querySelectorAll('.tok .tip')[1]).display"
        assert browser.evaluate(hidden) == "none"
        browser.evaluate("document.querySelectorAll('.tok')[1].focus()")
        assert browser.evaluate(hidden) == "block"
        browser.screenshot(tmp_path / "tooltip.png")
