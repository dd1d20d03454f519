"""Tables of per-token scores: a pandas DataFrame for analysis and one display object for reports.

``TokenTable`` renders through Jupyter's rich display: booktabs LaTeX in PDF reports, an HTML
table in HTML reports, Markdown elsewhere, all from the same formatted cells. Token strings show
their whitespace (``␣`` for a space, ``\\n`` for a newline) so " \\n\\n" and "\\n\\n" never look alike,
and tokens that split a UTF-8 character are shown as their bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from helpers.core import Alternative, Generation
from helpers.escape import for_html, for_latex, for_markdown
from helpers.metrics import METRICS, get, percent
from helpers.tokens import visible

__all__ = ["DEFAULT_COLUMNS", "SEED_COLUMNS", "DisplayTable", "MarkdownText", "TokenTable", "comparison_frame",
           "continuation_summary", "frame_table", "generation_frame", "latex_escape", "percent", "token_table",
           "visible"]

SEED_COLUMNS = ("token", "token_str", "trans_scores", "trans_prob")
DEFAULT_COLUMNS = (*SEED_COLUMNS, "rank", "entropy", "alternatives")


def generation_frame(generation: Generation) -> pd.DataFrame:
    """One row per token, one column per metric of :mod:`helpers.metrics` (the first four are the seed
    notebook's: ``trans_scores`` is the model's log-prob of the token (natural log), ``trans_prob`` its
    probability), then the richer ones (``sampling_logprob`` is the log-prob under the processed
    sampling distribution)."""
    columns = {name: pd.array(metric.values(generation), dtype=metric.dtype) if metric.dtype
               else metric.values(generation) for name, metric in METRICS.items() if metric.in_frame}
    return pd.DataFrame(columns, index=pd.RangeIndex(len(generation.tokens)))


def latex_escape(text: str) -> str:
    """Escape the ten LaTeX special characters (and show control characters) so any token prints literally."""
    return for_latex(text)


# LaTeX font sizes a table can use (``size=``: smaller ones fit a slide) and their HTML equivalents.
TABLE_SIZES = {"normalsize": "1em", "small": "0.9em", "footnotesize": "0.8em", "scriptsize": "0.7em", "tiny": "0.6em"}


class DisplayTable:
    """Formatted string cells that display as LaTeX, HTML or Markdown, whichever the output needs."""

    def __init__(self, cells: pd.DataFrame, *, right_aligned: Sequence[str] = (), caption: str | None = None,
                 note: str | None = None, size: str = "small"):
        if size not in TABLE_SIZES:
            raise ValueError(f"size must be one of {', '.join(TABLE_SIZES)}, got {size!r}.")
        self.size = size
        self._cells = cells
        self.right_aligned = tuple(right_aligned)
        self.caption = caption
        self.note = note

    def cells(self) -> pd.DataFrame:
        """The table as display strings (shared by every output format)."""
        return self._cells

    def _is_right(self, title: str) -> bool:
        return title in self.right_aligned

    def _repr_latex_(self) -> str:
        cells = self.cells()
        escaped = cells.map(latex_escape)
        escaped.columns = [latex_escape(c) for c in cells.columns]
        align = "".join("r" if self._is_right(c) else "l" for c in cells.columns)
        tabular = escaped.style.hide(axis="index").to_latex(hrules=True, column_format=align)
        caption = f"\\textit{{{for_latex(self.caption, inline=True)}}}\\\\[2pt]\n" if self.caption else ""
        note = f"\\\\[2pt]\\footnotesize {for_latex(self.note, inline=True)}\n" if self.note else ""
        return f"\\begin{{center}}\n{{\\{self.size}\n{caption}{tabular}{note}}}\n\\end{{center}}\n"

    def _repr_html_(self) -> str:
        cells = self.cells()
        styler = cells.style.hide(axis="index").format(escape="html").format_index(escape="html", axis=1)
        if self.caption:
            styler = styler.set_caption(for_html(self.caption))
        right = [c for c in cells.columns if self._is_right(c)]
        styler = styler.set_properties(subset=right, **{"text-align": "right"})
        # A "$" in two cells must not start MathJax inline math, hence the ignore classes.
        styler = styler.set_table_attributes(f'class="token-table tex2jax_ignore mathjax_ignore" '
                                             f'style="font-size: {TABLE_SIZES[self.size]}"')
        note = f'<p class="table-note">{for_html(self.note)}</p>\n' if self.note else ""
        return styler.to_html() + note

    def _repr_markdown_(self) -> str:
        cells = self.cells()
        header = "| " + " | ".join(for_markdown(c) for c in cells.columns) + " |"
        rule = "|" + "|".join("--:" if self._is_right(c) else ":--" for c in cells.columns) + "|"
        rows = ["| " + " | ".join(for_markdown(v) for v in row) + " |" for row in cells.itertuples(index=False)]
        caption = [f"*{for_markdown(self.caption)}*", ""] if self.caption else []
        note = ["", for_markdown(self.note)] if self.note else []
        return "\n".join([*caption, header, rule, *rows, *note]) + "\n"

    def __repr__(self) -> str:
        return self.cells().to_string(index=False)


class TokenTable(DisplayTable):
    """Per-token scores of one generation as a display table."""

    def __init__(
        self,
        generation: Generation,
        *,
        columns: Sequence[str] = DEFAULT_COLUMNS,
        alternatives: int = 3,
        decimals: int = 3,
        caption: str | None = None,
        size: str = "small",
    ) -> None:
        if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 12:
            raise ValueError(f"decimals must be an integer from 0 to 12, got {decimals!r}.")
        unknown = [c for c in columns if c not in METRICS]
        if unknown:
            raise ValueError(f"Unknown table column(s) {unknown}; choose from: {', '.join(METRICS)}.")
        self.generation = generation
        self.columns = tuple(columns)
        self.alternatives = alternatives
        self.decimals = decimals
        right = [METRICS[c].title for c in self.columns if METRICS[c].numeric]
        missing = generation.missing
        note = "n/a: " + "; ".join(f"{k} ({v})" for k, v in missing.items()) if missing else None
        super().__init__(self._token_cells(), right_aligned=right, caption=caption, note=note, size=size)

    def _token_cells(self) -> pd.DataFrame:
        tokens = self.generation.tokens
        cells = pd.DataFrame(index=pd.RangeIndex(len(tokens)))
        for column in self.columns:
            metric = get(column)
            if column == "token_str":
                shown = [visible(t.text, t.raw) for t in tokens]
            elif column == "alternatives":
                shown = [self._alternatives(t.alternatives) for t in tokens]
            else:
                shown = [metric.format(value, self.decimals) for value in metric.values(self.generation)]
            cells[metric.title] = shown
        return cells

    def _alternatives(self, alternatives: Sequence[Alternative]) -> str:
        shown = alternatives[: self.alternatives]
        return ", ".join(f"{visible(a.text, a.raw)} {percent(a.probability)}" for a in shown)


def token_table(generation: Generation, **options: Any) -> TokenTable:
    """Per-token scores of ``generation`` as a table for reports (see :class:`TokenTable` for the options:
    ``columns`` from :mod:`helpers.metrics`, ``alternatives``, ``decimals``, ``caption``, ``size``)."""
    return TokenTable(generation, **options)


def frame_table(frame: pd.DataFrame, *, caption: str | None = None, decimals: int = 3,
                percent_columns: Sequence[str] = (), size: str = "small") -> DisplayTable:
    """Any small DataFrame as a display table: numbers right-aligned, probabilities as percentages.

    Columns named ``token_str`` or ``..._token_str`` show whitespace like the token tables do.
    """
    cells = pd.DataFrame(index=frame.index)
    right = []
    for column in frame.columns:
        values = frame[column]
        if str(column).endswith("token_str"):
            cells[str(column)] = values.map(visible)
            continue
        if column in percent_columns:
            cells[str(column)] = values.map(percent)
        elif pd.api.types.is_bool_dtype(values):
            cells[str(column)] = values.map({True: "yes", False: "no"})
        elif pd.api.types.is_integer_dtype(values):
            cells[str(column)] = values.map(str)
        elif pd.api.types.is_float_dtype(values):
            cells[str(column)] = values.map(_or_na(f"{{:.{decimals}f}}".format))
        else:
            cells[str(column)] = values.map(str)
            continue
        right.append(str(column))
    return DisplayTable(cells, right_aligned=right, caption=caption, size=size)


class MarkdownText:
    """Markdown that a report shows as text (numbers in prose come through here, from helpers)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def continuation_summary(generation: Generation) -> MarkdownText:
    """The whole-continuation figures of a generation as a short Markdown list."""
    g = generation
    shown = g.text.replace("\n", "\\n").replace("`", "'")
    return MarkdownText(
        f"- continuation: `{shown}` ({len(g.tokens)} tokens)\n"
        f"- joint log-probability $\\sum_i \\log p_i$ = {g.joint_logprob:.4f} nats\n"
        f"- joint probability $P(\\text{{continuation}} \\mid \\text{{prompt}}) = \\exp(\\sum_i \\log p_i)$ = "
        f"{percent(g.joint_probability)}\n"
        f"- perplexity $\\exp(-\\tfrac{{1}}{{n}}\\sum_i \\log p_i)$ = {g.perplexity:.3f}\n"
    )


def _or_na(format_value: Callable[[Any], str]) -> Callable[[Any], str]:
    """A formatter that shows missing values (None, NaN) as "n/a" instead of inventing one."""

    def formatted(value: Any) -> str:
        return "n/a" if pd.isna(value) else format_value(value)

    return formatted


def comparison_frame(generations: Sequence[Generation]) -> pd.DataFrame:
    """One row per generation: prompt, continuation, token count, joint probability, perplexity.

    Prompt and continuation are quoted (``repr``) so leading spaces and newlines stay visible.
    """
    return pd.DataFrame({
        "prompt": [repr(g.prompt) for g in generations],
        "continuation": [repr(g.text) for g in generations],
        "tokens": [len(g.tokens) for g in generations],
        "joint_logprob": [g.joint_logprob for g in generations],
        "joint_prob": [g.joint_probability for g in generations],
        "perplexity": [g.perplexity for g in generations],
    })
