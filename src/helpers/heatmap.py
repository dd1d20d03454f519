"""GLTR's view of a text: each token coloured by how likely the model found it, for HTML and print.

``token_heatmap(generation, color_by="rank" | "probability" | "surprisal")`` returns a display object:
an interactive HTML view (hover or keyboard focus shows the token, its probability, rank,
surprisal in bits and the top alternatives; CSS only, no script, no CDN), a LaTeX view of
``\\colorbox`` es that wraps like text and stays selectable in the PDF, and a plain-text view for
terminals. The prompt is shown in neutral grey; the continuation (or scored text) in colour.

``rank`` uses GLTR's buckets (top 10 / 100 / 1000 / beyond) in four steps of viridis, a palette
that colour-blind readers can tell apart and that stays ordered (light to dark) in greyscale print.
``probability`` and ``surprisal`` use the continuous viridis scale with a colour bar.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from helpers.core import Generation, TokenScore
from helpers.escape import control_visible, for_html, for_latex
from helpers.metrics import BUCKET_COLOURS, UNKNOWN_COLOUR, BucketScale, ContinuousScale, get, ink_for
from helpers.surprisal import rank_bucket, rank_label, surprisal, token_spans
from helpers.tables import TABLE_SIZES

__all__ = ["BUCKET_COLOURS", "UNKNOWN_COLOUR", "TokenHeatmap", "token_heatmap"]

PROMPT_COLOUR = "#EEEEEE"
NEWLINE_MARK = "¶"

_CSS = """
.token-heatmap { line-height: 2.1; font-size: var(--heatmap-size, 1em); white-space: pre-wrap; }
.token-heatmap .tok { position: relative; padding: 0.15em 0.05em; border-radius: 3px; cursor: help; }
.token-heatmap .tok:focus { outline: 2px solid #0b5cad; outline-offset: 1px; }
.token-heatmap .prompt { color: #555; }
.token-heatmap .tip { display: none; position: absolute; left: 0; top: 1.9em; z-index: 10; min-width: 15em;
  padding: 0.4em 0.6em; background: #1f2328; color: #fff; border-radius: 4px; font-size: 0.8rem;
  line-height: 1.4; white-space: pre; text-align: left; box-shadow: 0 2px 8px rgba(0,0,0,0.3);
  font-weight: normal; }
.token-heatmap .tok:hover .tip, .token-heatmap .tok:focus .tip { display: block; }
.heatmap-legend { display: flex; flex-wrap: wrap; gap: 0.4em 1em; align-items: center; font-size: 0.85em;
  margin: 0.5em 0; }
.heatmap-legend .swatch { display: inline-block; width: 1.1em; height: 1.1em; border-radius: 2px;
  vertical-align: middle; margin-right: 0.3em; border: 1px solid rgba(0,0,0,0.2); }
.heatmap-legend .bar { display: inline-block; width: 9em; height: 0.9em; vertical-align: middle; border-radius: 2px;
  margin: 0 0.4em; }
"""


@dataclass(frozen=True)
class HeatmapToken:
    piece: str
    colour: str
    tip: str


class TokenHeatmap:
    """A generation's tokens coloured by a metric of :mod:`helpers.metrics` that has a colour scale: rank
    bucket, probability or surprisal (see the module docstring), or any metric registered with one."""

    def __init__(self, generation: Generation, color_by: str = "rank", *, show_prompt: bool = True,
                 top_alternatives: int = 5, size: str = "normalsize") -> None:
        self.metric = get(color_by, colours=True)
        self.scale = self.metric.scale
        if size not in TABLE_SIZES:
            raise ValueError(f"size must be one of {', '.join(TABLE_SIZES)}, got {size!r}.")
        self.generation = generation
        self.color_by = color_by
        self.show_prompt = show_prompt
        self.top_alternatives = top_alternatives
        self.size = size
        spans = token_spans(generation)
        values = self.metric.values(generation)
        self.tokens = [HeatmapToken(span.piece, self.scale.colour(value, token), self._tip(token, span.piece))
                       for token, span, value in zip(generation.tokens, spans, values, strict=True)]

    def _tip(self, token: TokenScore, piece: str) -> str:
        alternatives = ", ".join(f"{control_visible(a.text)!r} {math.exp(a.logprob):.1%}"
                                 for a in token.alternatives[: self.top_alternatives])
        return (f"token {control_visible(piece)!r}\nprobability {token.probability:.2%}\nrank {rank_label(token)}"
                f"\nsurprisal {surprisal(token.logprob):.2f} bits" + (f"\ntop: {alternatives}" if alternatives else ""))

    # HTML --------------------------------------------------------------------------------------------

    def _repr_html_(self) -> str:
        size = f' style="--heatmap-size: {TABLE_SIZES[self.size]}"'
        parts = [f"<style>{_CSS}</style>", self._legend_html(), f'<div class="token-heatmap"{size}>']
        if self.show_prompt and self.generation.prompt:
            parts.append(f'<span class="prompt">{for_html(self.generation.prompt)}</span>')
        for token in self.tokens:
            text = for_html(token.piece).replace("\n", f"{NEWLINE_MARK}\n")
            style = f"background:{token.colour};color:{ink_for(token.colour)}"
            parts.append(f'<span class="tok" tabindex="0" style="{style}">{text}'
                         f'<span class="tip" role="tooltip">{for_html(token.tip)}</span></span>')
        parts.append("</div>")
        return "".join(parts)

    def _legend_html(self) -> str:
        if isinstance(self.scale, BucketScale):
            items = [f'<span><span class="swatch" style="background:{colour}"></span>{for_html(name)}</span>'
                     for name, colour in self.scale.colours.items()]
            if any(t.colour == UNKNOWN_COLOUR for t in self.tokens):
                items.append(f'<span><span class="swatch" style="background:{UNKNOWN_COLOUR}"></span>'
                             "rank unknown (beyond the API's top-N)</span>")
            return (f'<div class="heatmap-legend"><span>{for_html(self.scale.title)}:</span>'
                    f'{"".join(items)}</div>')
        scale = self._continuous()
        gradient = f"background:linear-gradient(to right, {', '.join(scale.gradient())})"
        return (f'<div class="heatmap-legend"><span>{for_html(self.color_by)}:</span>'
                f'<span>{for_html(scale.low_label)}</span><span class="bar" style="{gradient}"></span>'
                f'<span>{for_html(scale.high_label)}</span></div>')

    def _continuous(self) -> ContinuousScale:
        assert isinstance(self.scale, ContinuousScale)
        return self.scale

    # LaTeX -------------------------------------------------------------------------------------------

    def _repr_latex_(self) -> str:
        parts = ["\\begin{flushleft}", f"\\{self.size}", "\\setlength{\\fboxsep}{1.2pt}",
                 self._legend_latex() + "\\par\\medskip"]
        if self.show_prompt and self.generation.prompt:
            parts.append(self._box(self.generation.prompt, PROMPT_COLOUR))
        parts += [self._box(token.piece, token.colour) for token in self.tokens]
        parts.append("\\end{flushleft}")
        return "\n".join(part for part in parts if part)

    def _box(self, piece: str, colour: str) -> str:
        """Leading spaces stay outside the box (so lines can break there); a newline breaks the line."""
        out = []
        for number, line in enumerate(piece.split("\n")):
            if number:
                out.append(f"\\colorbox[HTML]{{{colour[1:]}}}{{\\strut {NEWLINE_MARK}}}\\newline")
            stripped = line.lstrip(" ")
            out.append("\\ " * (len(line) - len(stripped)))
            if stripped:
                ink = "white" if ink_for(colour) == "#FFFFFF" else "black"
                out.append(f"\\colorbox[HTML]{{{colour[1:]}}}{{\\strut\\textcolor{{{ink}}}{{{for_latex(stripped)}}}}}")
        return "%\n".join(out) + "%"

    def _legend_latex(self) -> str:
        if isinstance(self.scale, BucketScale):
            items = [f"\\colorbox[HTML]{{{c[1:]}}}{{\\strut\\phantom{{x}}}}~{for_latex(name)}"
                     for name, c in self.scale.colours.items()]
            if any(t.colour == UNKNOWN_COLOUR for t in self.tokens):
                items.append(f"\\colorbox[HTML]{{{UNKNOWN_COLOUR[1:]}}}{{\\strut\\phantom{{x}}}}~rank unknown")
            return f"{{\\small {for_latex(self.scale.title)}: " + "\\quad ".join(items) + "}"
        scale = self._continuous()
        bar = "".join(f"\\colorbox[HTML]{{{c[1:]}}}{{\\strut\\phantom{{x}}}}\\hspace{{-\\fboxsep}}"
                      for c in scale.gradient())
        return (f"{{\\small {for_latex(self.color_by)}: {for_latex(scale.low_label)}~{bar}~"
                f"{for_latex(scale.high_label)}}}")

    # Plain text --------------------------------------------------------------------------------------

    def _repr_markdown_(self) -> str:
        return "```\n" + self.__str__() + "\n```\n"

    def __str__(self) -> str:
        width = max((len(control_visible(t.piece)) for t in self.tokens), default=5) + 4
        lines = [f"{'token':<{width}}{'rank':>16}{'probability':>13}{'bits':>8}"]
        for token, score in zip(self.tokens, self.generation.tokens, strict=True):
            label = repr(control_visible(token.piece))
            bucket = rank_bucket(score) or "unknown"
            lines.append(f"{label:<{width}}{rank_label(score) + ' (' + bucket + ')':>16}"
                         f"{score.probability:>12.1%}{surprisal(score.logprob):>8.2f}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"TokenHeatmap({self.color_by}, {len(self.tokens)} tokens)\n{self}"


def token_heatmap(generation: Generation, color_by: str = "rank", **options: Any) -> TokenHeatmap:
    """The text with each token coloured by rank bucket, probability or surprisal (GLTR's view);
    displays as interactive HTML, as LaTeX colour boxes in a PDF, as text in a terminal."""
    return TokenHeatmap(generation, color_by, **options)
