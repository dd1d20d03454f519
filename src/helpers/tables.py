"""Tables of per-token scores: a pandas DataFrame for analysis and one display object for reports.

``TokenTable`` renders through Jupyter's rich display: booktabs LaTeX in PDF reports, an HTML
table in HTML reports, Markdown elsewhere, all from the same formatted cells. Token strings show
their whitespace (``␣`` for a space, ``\\n`` for a newline) so " \\n\\n" and "\\n\\n" never look alike,
and tokens that split a UTF-8 character are shown as their bytes.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from importlib.resources import files
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from helpers.generation import Alternative, Generation

SEED_COLUMNS = ("token", "token_str", "trans_scores", "trans_prob")
DEFAULT_COLUMNS = (*SEED_COLUMNS, "rank", "entropy", "alternatives")
COLUMN_TITLES = {
    "token": "token",
    "token_str": "token_str",
    "trans_scores": "trans_scores",
    "trans_prob": "trans_prob",
    "sampling_logprob": "sampling log-prob",
    "sampling_prob": "sampling prob",
    "rank": "rank",
    "entropy": "entropy (nats)",
    "cumulative_logprob": "cumulative log-prob",
    "alternatives": "top alternatives",
}
_RIGHT_ALIGNED = {"token", "trans_scores", "trans_prob", "sampling_logprob", "sampling_prob", "rank",
                  "entropy", "cumulative_logprob"}
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_VISIBLE_WHITESPACE = {" ": "␣", "\n": "\\n", "\t": "\\t", "\r": "\\r"}

LATEX_PREAMBLE = files("helpers").joinpath("latex_preamble.tex").read_text()


def generation_frame(generation: Generation) -> pd.DataFrame:
    """One row per token; the first four columns are the seed notebook's, then the richer ones.

    ``trans_scores`` is the model's log-prob of the token (natural log), ``trans_prob`` its
    probability, ``sampling_logprob`` the log-prob under the processed sampling distribution.
    """
    tokens = generation.tokens
    frame = pd.DataFrame({
        "token": [t.id for t in tokens],
        "token_str": [t.text for t in tokens],
        "trans_scores": [t.logprob for t in tokens],
        "trans_prob": [math.exp(t.logprob) for t in tokens],
        "sampling_logprob": [t.sampling_logprob for t in tokens],
        "sampling_prob": [math.exp(t.sampling_logprob) for t in tokens],
        "rank": [t.rank for t in tokens],
        "entropy": [t.entropy for t in tokens],
        "alternatives": [[(a.text, a.logprob) for a in t.alternatives] for t in tokens],
    })
    frame.insert(8, "cumulative_logprob", frame["trans_scores"].cumsum())
    return frame


def visible(text: str, raw: bytes | None = None) -> str:
    """Token text with whitespace made visible; bytes that are not valid UTF-8 shown as ``\\xNN``."""
    if raw is not None:
        text = raw.decode("utf-8", errors="backslashreplace")
    return "".join(_VISIBLE_WHITESPACE.get(char, char) for char in text)


def percent(probability: float) -> str:
    """A probability as a percentage: ``26.28 %`` above 1 %, three significant digits below."""
    value = probability * 100
    if math.isnan(value):
        return "n/a"
    return f"{value:.2f} %" if value >= 1 else f"{value:.3g} %"


def latex_escape(text: str) -> str:
    """Escape the ten LaTeX special characters so any token prints literally."""
    return "".join(_LATEX_SPECIALS.get(char, char) for char in text)


class TokenTable:
    """Per-token scores that display as LaTeX, HTML or Markdown, whichever the output needs."""

    def __init__(
        self,
        generation: Generation,
        *,
        columns: Sequence[str] = DEFAULT_COLUMNS,
        alternatives: int = 3,
        decimals: int = 3,
        caption: str | None = None,
    ) -> None:
        unknown = [c for c in columns if c not in COLUMN_TITLES]
        if unknown:
            raise ValueError(f"Unknown table column(s) {unknown}; choose from: {', '.join(COLUMN_TITLES)}.")
        self.generation = generation
        self.columns = tuple(columns)
        self.alternatives = alternatives
        self.decimals = decimals
        self.caption = caption

    def cells(self) -> pd.DataFrame:
        """The table as display strings (shared by every output format)."""
        frame = generation_frame(self.generation)
        number = f"{{:.{self.decimals}f}}".format
        formatters = {
            "token": str,
            "token_str": None,
            "trans_scores": number,
            "trans_prob": percent,
            "sampling_logprob": number,
            "sampling_prob": percent,
            "rank": str,
            "entropy": number,
            "cumulative_logprob": number,
            "alternatives": None,
        }
        cells = pd.DataFrame(index=frame.index)
        for column in self.columns:
            if column == "token_str":
                cells[column] = [visible(t.text, t.raw) for t in self.generation.tokens]
            elif column == "alternatives":
                cells[column] = [self._alternatives(t.alternatives) for t in self.generation.tokens]
            else:
                cells[column] = frame[column].map(formatters[column])
        return cells.rename(columns=COLUMN_TITLES)

    def _alternatives(self, alternatives: Sequence[Alternative]) -> str:
        shown = alternatives[: self.alternatives]
        return ", ".join(f"{visible(a.text, a.raw)} {percent(math.exp(a.logprob))}" for a in shown)

    def _repr_latex_(self) -> str:
        cells = self.cells()
        escaped = cells.map(latex_escape)
        escaped.columns = [latex_escape(c) for c in cells.columns]
        align = "".join("r" if c in _RIGHT_ALIGNED else "l" for c in self.columns)
        tabular = escaped.style.hide(axis="index").to_latex(hrules=True, column_format=align)
        caption = f"\\textit{{{latex_escape(self.caption)}}}\\\\[2pt]\n" if self.caption else ""
        return f"\\begin{{center}}\n{{\\small\n{caption}{tabular}}}\n\\end{{center}}\n"

    def _repr_html_(self) -> str:
        styler = self.cells().style.hide(axis="index").format(escape="html")
        styler = styler.format_index(escape="html", axis=1)
        if self.caption:
            styler = styler.set_caption(html.escape(self.caption))
        right = [COLUMN_TITLES[c] for c in self.columns if c in _RIGHT_ALIGNED]
        # A "$" in two tokens must not start MathJax inline math, hence the ignore classes below.
        styler = styler.set_properties(subset=right, **{"text-align": "right"})
        styler = styler.set_table_attributes('class="token-table tex2jax_ignore mathjax_ignore"')
        return styler.to_html()

    def _repr_markdown_(self) -> str:
        cells = self.cells().map(_markdown_cell)
        header = "| " + " | ".join(cells.columns) + " |"
        rule = "|" + "|".join("--:" if c in _RIGHT_ALIGNED else ":--" for c in self.columns) + "|"
        rows = ["| " + " | ".join(row) + " |" for row in cells.itertuples(index=False)]
        caption = [f"*{_markdown_cell(self.caption)}*", ""] if self.caption else []
        return "\n".join([*caption, header, rule, *rows]) + "\n"

    def __repr__(self) -> str:
        return self.cells().to_string(index=False)


def _markdown_cell(text: str) -> str:
    escaped = text
    for char in "\\|*_`<>[]$":
        escaped = escaped.replace(char, "\\" + char)
    return escaped
