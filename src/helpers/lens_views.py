"""Views of a :class:`helpers.core.LogitLens`: a layers × positions heat map, a line plot, a frame.

``lens_heatmap(lens)`` writes each layer's top guess in its cell, final layer at the top and the
embeddings at the bottom; the columns are the positions, labelled with the token read there
(bottom) and the token that really came next (top). A cell is bold and outlined where the layer's
top guess *is* the next token. Colour: the top guess's probability (``color_by="probability"``,
viridis) or the next token's rank at that layer in GLTR's buckets (``color_by="rank"``).

It displays as an HTML table in pages and slides (hover or keyboard focus shows the layer's top-k,
the next token's probability and rank, and the KL divergence to the final layer; CSS only), and as a
vector PDF figure in print (matplotlib, text kept as text). ``plot_lens_trajectory`` follows the
probability of the token that came next through the layers. Torch-free.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from helpers.core import LensPrediction, LogitLens
from helpers.escape import for_html, for_matplotlib
from helpers.metrics import BUCKET_COLOURS, BUCKETS, bucket_of_rank, ink_for, percent, viridis
from helpers.plots import ReportFigure
from helpers.tables import TABLE_SIZES
from helpers.tokens import visible

__all__ = ["COLOR_BY", "LensHeatmap", "layer_summary", "lens_frame", "lens_heatmap", "plot_lens_trajectory"]

COLOR_BY = ("probability", "rank")
_CSS = """
.logit-lens-wrap { overflow-x: auto; margin: 0.6em 0; }
.logit-lens { border-collapse: collapse; font-size: var(--lens-size, 0.8em); line-height: 1.15; }
.logit-lens th, .logit-lens td { padding: 0.2em 0.35em; text-align: center; white-space: pre; }
.logit-lens thead th, .logit-lens tfoot th { font-weight: normal; color: #555; font-family: monospace; }
.logit-lens tbody th { text-align: right; font-weight: normal; color: #555; }
.logit-lens td { position: relative; border: 1px solid rgba(255,255,255,0.6); font-family: monospace; cursor: help; }
.logit-lens td.hit { font-weight: bold; outline: 2px solid #d62728; outline-offset: -2px; }
.logit-lens td:focus { outline: 2px solid #0b5cad; outline-offset: -2px; }
.logit-lens .tip { display: none; position: absolute; left: 0; top: 1.6em; z-index: 10; min-width: 16em;
  padding: 0.4em 0.6em; background: #1f2328; color: #fff; border-radius: 4px; font-size: 0.8rem;
  line-height: 1.4; text-align: left; box-shadow: 0 2px 8px rgba(0,0,0,0.3); font-weight: normal; }
.logit-lens td:hover .tip, .logit-lens td:focus .tip { display: block; }
.logit-lens-legend { font-size: 0.85em; margin: 0.3em 0; }
.logit-lens-legend .swatch { display: inline-block; width: 1em; height: 1em; vertical-align: middle;
  margin: 0 0.25em 0 0.7em; border-radius: 2px; }
"""


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class LensHeatmap:
    """The logit lens as a grid of layers × positions (see the module docstring)."""

    def __init__(self, lens: LogitLens, color_by: str = "probability", *, layers: Iterable[int] | None = None,
                 positions: Iterable[int] | None = None, size: str = "footnotesize", max_chars: int = 8) -> None:
        if color_by not in COLOR_BY:
            raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}, got {color_by!r}.")
        if size not in TABLE_SIZES:
            raise ValueError(f"size must be one of {', '.join(TABLE_SIZES)}, got {size!r}.")
        self.lens, self.color_by, self.size, self.max_chars = lens, color_by, size, max_chars
        # the final layer first: it is the top row, as the model's stack is drawn
        self.layers = sorted(lens.layers if layers is None else {int(n) for n in layers}, reverse=True)
        for number in self.layers:
            lens.layer(number)  # a clear error for a layer the lens does not hold
        self.positions = list(range(lens.positions) if positions is None else positions)
        if not self.positions or any(not 0 <= p < lens.positions for p in self.positions):
            raise ValueError(f"positions must be numbers from 0 to {lens.positions - 1}.")

    # What every view shows -------------------------------------------------------------------------

    def cell(self, layer: int, position: int) -> LensPrediction:
        return self.lens.layer(layer)[position]

    def label(self, prediction: LensPrediction) -> str:
        best = prediction.top[0]
        return _short(visible(best.text, best.raw), self.max_chars)

    def colour(self, prediction: LensPrediction) -> str:
        if self.color_by == "rank":
            return BUCKET_COLOURS[bucket_of_rank(prediction.actual_rank)]
        return viridis(prediction.top[0].probability)

    def reads(self, position: int) -> str:
        token = self.lens.tokens[position]
        return _short(visible(token.text, token.raw), self.max_chars)

    def following(self, position: int) -> str:
        token = self.lens.tokens[position + 1]
        return _short(visible(token.text, token.raw), self.max_chars)

    def details(self, layer: int, position: int) -> str:
        prediction = self.cell(layer, position)
        guesses = "\n".join(f"  {visible(a.text, a.raw)!r} {percent(a.probability)}" for a in prediction.top)
        return (f"layer {self.lens.layer_name(layer)}, position {position + 1}\n"
                f"reads {visible(self.lens.tokens[position].text)!r}\ntop guesses:\n{guesses}\n"
                f"next token {visible(prediction.actual.text, prediction.actual.raw)!r}: "
                f"{percent(prediction.actual.probability)}, rank {prediction.actual_rank}\n"
                f"KL to final layer {prediction.kl_to_final:.2f} nats")

    # HTML ------------------------------------------------------------------------------------------

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{for_html(self.reads(p))}</th>" for p in self.positions)
        foot = "".join(f"<th>{for_html(self.following(p))}</th>" for p in self.positions)
        body = []
        for layer in self.layers:
            cells = []
            for position in self.positions:
                prediction = self.cell(layer, position)
                colour = self.colour(prediction)
                hit = ' class="hit"' if prediction.top[0].same_token(prediction.actual) else ""
                cells.append(f'<td{hit} tabindex="0" style="background:{colour};color:{ink_for(colour)}">'
                             f'{for_html(self.label(prediction))}<span class="tip" role="tooltip" '
                             f'style="white-space:pre">{for_html(self.details(layer, position))}</span></td>')
            body.append(f"<tr><th>{for_html(self.lens.layer_name(layer))}</th>{''.join(cells)}</tr>")
        return (f"<style>{_CSS}</style>{self._legend_html()}"
                f'<div class="logit-lens-wrap"><table class="logit-lens" style="--lens-size:{TABLE_SIZES[self.size]}">'
                f"<thead><tr><th>next token →</th>{foot}</tr></thead><tbody>{''.join(body)}</tbody>"
                f"<tfoot><tr><th>layer ↑ / reads →</th>{head}</tr></tfoot></table></div>")

    def _legend_html(self) -> str:
        if self.color_by == "rank":
            items = "".join(f'<span class="swatch" style="background:{c}"></span>{for_html(n)}'
                            for n, c in BUCKET_COLOURS.items())
            return f'<div class="logit-lens-legend">rank of the next token at that layer:{items}</div>'
        items = "".join(f'<span class="swatch" style="background:{viridis(v)}"></span>{v:.0%}'
                        for v in (0.0, 0.25, 0.5, 0.75, 1.0))
        return f'<div class="logit-lens-legend">probability of the top guess:{items}</div>'

    # Print: a vector figure ------------------------------------------------------------------------

    def figure(self) -> Figure:
        """The heat map as a matplotlib figure with the top guess written in every cell."""
        rows, columns = len(self.layers), len(self.positions)
        figure = ReportFigure(figsize=(max(4.5, 0.62 * columns + 1.9), 0.23 * rows + 1.45), layout="constrained")
        axes = figure.add_subplot()
        if self.color_by == "rank":
            values = np.array([[BUCKETS.index(bucket_of_rank(self.cell(n, p).actual_rank)) for p in self.positions]
                               for n in self.layers])
            image = axes.imshow(values, cmap=ListedColormap(list(BUCKET_COLOURS.values())), vmin=-0.5,
                                vmax=len(BUCKETS) - 0.5, aspect="auto")
            bar = figure.colorbar(image, ax=axes, ticks=range(len(BUCKETS)), fraction=0.04, pad=0.02)
            bar.ax.set_yticklabels(BUCKETS, fontsize=7)
            bar.set_label("rank of the next token", fontsize=7)
        else:
            values = np.array([[self.cell(n, p).top[0].probability for p in self.positions] for n in self.layers])
            image = axes.imshow(values, cmap="viridis", vmin=0, vmax=1, aspect="auto")
            bar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02, format=lambda v, _: f"{v:.0%}")
            bar.ax.tick_params(labelsize=7)
            bar.set_label("probability of the top guess", fontsize=7)
        for row, layer in enumerate(self.layers):
            for column, position in enumerate(self.positions):
                prediction = self.cell(layer, position)
                hit = prediction.top[0].same_token(prediction.actual)
                axes.text(column, row, for_matplotlib(self.label(prediction)), ha="center", va="center",
                          fontsize=6.5, family="monospace", color=ink_for(self.colour(prediction)),
                          fontweight="bold" if hit else "normal")
        axes.set_yticks(range(rows), [self.lens.layer_name(n) for n in self.layers], fontsize=7)
        axes.set_xticks(range(columns), [for_matplotlib(self.reads(p)) for p in self.positions], fontsize=7,
                        rotation=45, ha="right", family="monospace")
        top = axes.secondary_xaxis("top")
        top.set_xticks(range(columns), [for_matplotlib(self.following(p)) for p in self.positions], fontsize=7,
                       rotation=45, ha="left", family="monospace")
        top.set_xlabel("next token", fontsize=7)
        axes.set_xlabel("token read at each position", fontsize=7)
        axes.set_ylabel("layer", fontsize=7)
        return figure

    def _repr_pdf_(self) -> bytes:
        from matplotlib import rc_context

        buffer = io.BytesIO()
        with rc_context({"pdf.fonttype": 42}):  # TrueType: the tokens stay searchable, copyable text
            self.figure().savefig(buffer, format="pdf")
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.figure()._repr_png_()

    def __repr__(self) -> str:
        rows = [f"{self.lens.layer_name(n):>12} " + " ".join(f"{self.label(self.cell(n, p)):>{self.max_chars}}"
                                                           for p in self.positions) for n in self.layers]
        reads = " " * 13 + " ".join(f"{self.reads(p):>{self.max_chars}}" for p in self.positions)
        return "\n".join([f"LensHeatmap({self.color_by}, {len(self.layers)} layers × {len(self.positions)} positions)",
                          *rows, reads])


def lens_heatmap(lens: LogitLens, color_by: str = "probability", **options: Any) -> LensHeatmap:
    """Layers × positions with each layer's top guess in its cell (see the module docstring).

    Options: ``layers`` (numbers to show; e.g. ``range(0, 31, 3)`` for a slide), ``positions``
    (indices into the text), ``size`` (HTML font size, as token tables take it), ``max_chars``.
    """
    return LensHeatmap(lens, color_by, **options)


def plot_lens_trajectory(lens: LogitLens, positions: Sequence[int] | None = None, *,
                         title: str | None = None) -> Figure:
    """The probability of the token that came next, layer by layer, one line per position.

    By default up to six positions of the text (after the prompt), evenly spread.
    """
    if positions is None:
        text = list(range(max(0, lens.prompt_tokens - 1), lens.positions))
        step = max(1, math.ceil(len(text) / 6))
        positions = text[::step][:6]
    figure = ReportFigure(figsize=(6.4, 3.4), layout="constrained")
    axes = figure.add_subplot()
    for position in positions:
        chances = [lens.predictions[row][position].actual.probability for row in range(len(lens.layers))]
        reads = visible(lens.tokens[position].text, lens.tokens[position].raw)
        following = visible(lens.tokens[position + 1].text, lens.tokens[position + 1].raw)
        axes.plot(lens.layers, chances, marker="o", markersize=3,
                  label=for_matplotlib(f"{reads!r} → {following!r}"))
    axes.set_xlabel("layer (0 = embeddings)")
    axes.set_ylabel("P(next token) at this layer")
    axes.set_ylim(-0.02, 1.02)
    axes.yaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    axes.legend(fontsize=7, title="reads → next", title_fontsize=7, loc="upper left")
    axes.set_title(for_matplotlib(title) if title else "How sure each layer is of the token that came next")
    return figure


def lens_frame(lens: LogitLens) -> pd.DataFrame:
    """One row per layer and position: what was read, the top guess, the next token's probability and rank, KL."""
    rows = []
    for layer, predictions in zip(lens.layers, lens.predictions, strict=True):
        for position, prediction in enumerate(predictions):
            best = prediction.top[0]
            rows.append({
                "layer": layer, "position": position, "reads": visible(lens.tokens[position].text),
                "top_token": visible(best.text, best.raw), "top_probability": best.probability,
                "next_token": visible(prediction.actual.text, prediction.actual.raw),
                "next_probability": prediction.actual.probability, "next_rank": prediction.actual_rank,
                "kl_to_final": prediction.kl_to_final,
            })
    return pd.DataFrame(rows)


def layer_summary(lens: LogitLens) -> pd.DataFrame:
    """One row per layer, over every position: how often its top guess is the token read at that
    position (``top_is_read``), the token that came next (``top_is_next``) and the final layer's top
    guess (``agrees_with_final``); the next token's mean probability; the mean KL divergence to the
    final layer (nats)."""
    final = lens.layer(lens.layer_count) if lens.layer_count in lens.layers else None
    rows = []
    for layer, predictions in zip(lens.layers, lens.predictions, strict=True):
        rows.append({
            "layer": layer,
            "top_is_read": float(np.mean([p.top[0].id == lens.tokens[i].id for i, p in enumerate(predictions)])),
            "top_is_next": float(np.mean([p.top[0].same_token(p.actual) for p in predictions])),
            "agrees_with_final": float(np.mean([p.top[0].same_token(f.top[0]) for p, f in
                                                zip(predictions, final, strict=True)])) if final else math.nan,
            "next_probability": float(np.mean([p.actual.probability for p in predictions])),
            "kl_to_final": float(np.mean([p.kl_to_final for p in predictions])),
        })
    return pd.DataFrame(rows)
