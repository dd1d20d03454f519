"""Plots of per-token scores. Each function returns a new matplotlib ``Figure``.

They are ``ReportFigure`` instances, which display as PNG in notebooks and reports.

Figures are built with ``matplotlib.figure.Figure`` (not ``pyplot``): no global state is touched,
nothing opens a window, and they work headless. Token labels show whitespace like the tables do.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from helpers.core import Generation
from helpers.escape import for_matplotlib
from helpers.metrics import BUCKET_COLOURS, UNKNOWN_COLOUR, surprisal
from helpers.surprisal import token_spans
from helpers.tokens import visible

CHOSEN_COLOR = "#1f77b4"
OTHER_COLOR = "#c7c7c7"


class ReportFigure(Figure):
    """A ``Figure`` that displays itself as PNG in any Jupyter kernel, with or without pyplot."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        # Figures use the constrained layout already; bbox_inches="tight" would draw them twice.
        self.savefig(buffer, format="png", dpi=144)
        return buffer.getvalue()


def _title(title: str | None, default: str) -> str:
    return for_matplotlib(title) if title else default


def _labels(generation: Generation) -> list[str]:
    return [for_matplotlib(f"{i + 1}: {visible(t.text, t.raw)}") for i, t in enumerate(generation.tokens)]


def plot_token_probabilities(generation: Generation, *, title: str | None = None) -> Figure:
    """Bars of each generated token's probability, in order, labelled with the token."""
    probabilities = [math.exp(t.logprob) for t in generation.tokens]
    labels = _labels(generation)
    figure = ReportFigure(figsize=(max(5.0, 0.7 * len(labels) + 2), 3.4), layout="constrained")
    axes = figure.add_subplot()
    bars = axes.bar(range(len(labels)), probabilities, color=CHOSEN_COLOR)
    axes.bar_label(bars, labels=[f"{p:.1%}" for p in probabilities], fontsize=8, padding=2)
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=9)
    axes.set_ylim(0, max(probabilities) * 1.15 + 0.03)  # headroom for the labels above the bars
    axes.set_yticks([tick for tick in axes.get_yticks() if 0 <= tick <= 1])
    axes.yaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    axes.set_ylabel("P(token | everything before)")
    axes.set_title(_title(title, "Probability of each generated token"))
    return figure


def plot_alternatives(generation: Generation, *, top: int = 5, title: str | None = None) -> Figure:
    """Heatmap of the top alternatives at each step; the chosen token is outlined."""
    steps = generation.tokens
    top = min(top, max((len(t.alternatives) for t in steps), default=0))
    if top == 0:
        raise ValueError("This generation holds no alternatives; generate with top_alternatives >= 1.")
    probabilities = np.full((top, len(steps)), np.nan)
    figure = ReportFigure(figsize=(max(5.0, 1.25 * len(steps) + 1.5), 0.55 * top + 1.8), layout="constrained")
    axes = figure.add_subplot()
    for column, token in enumerate(steps):
        for row, alternative in enumerate(token.alternatives[:top]):
            probabilities[row, column] = math.exp(alternative.logprob)
            chosen = alternative.same_token(token)
            label = f"{for_matplotlib(visible(alternative.text, alternative.raw))}\n{probabilities[row, column]:.1%}"
            weight = "bold" if chosen else "normal"
            axes.text(column, row, label, ha="center", va="center", fontsize=7.5, fontweight=weight)
            if chosen:
                axes.add_patch(_outline(column, row))
    image = axes.imshow(probabilities, cmap="Blues", vmin=0, vmax=max(0.05, np.nanmax(probabilities)),
                        aspect="auto", alpha=0.8)
    figure.colorbar(image, ax=axes, label="probability", format=lambda value, _: f"{value:.0%}")
    axes.set_xticks(range(len(steps)), _labels(generation), rotation=30, ha="right", fontsize=8)
    axes.set_yticks(range(top), [f"#{rank + 1}" for rank in range(top)], fontsize=8)
    axes.set_xlabel("generated token (step)")
    axes.set_ylabel("rank of alternative")
    axes.set_title(_title(title, "Top alternatives at each step (chosen token outlined)"))
    return figure


def _outline(column: int, row: int):
    from matplotlib.patches import Rectangle

    return Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False, edgecolor="#d62728", linewidth=2)


def plot_cumulative_logprob(generation: Generation, *, title: str | None = None) -> Figure:
    """Running sum of log-probs along the continuation: its end is the joint log-probability."""
    cumulative = np.cumsum([t.logprob for t in generation.tokens])
    labels = _labels(generation)
    figure = ReportFigure(figsize=(max(5.0, 0.7 * len(labels) + 2), 3.4), layout="constrained")
    axes = figure.add_subplot()
    axes.plot(range(len(labels)), cumulative, marker="o", color=CHOSEN_COLOR)
    for x, value in enumerate(cumulative):
        axes.annotate(f"{value:.2f}", (x, value), textcoords="offset points", xytext=(0, 6),
                      ha="center", fontsize=8)
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=9)
    axes.set_ylabel("cumulative log-prob (nats)")
    axes.axhline(0, color=OTHER_COLOR, linewidth=0.8)
    axes.set_title(_title(title, f"Cumulative log-probability (joint P = {generation.joint_probability:.3g})"))
    return figure


def plot_setting_comparison(frame: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Grouped bars: each top token's probability under the model and under each sampling setting.

    ``frame`` is :func:`helpers.sampling.compare_settings` output.
    """
    settings = [c for c in frame.columns if c not in ("token", "token_str")]
    labels = [for_matplotlib(visible(text)) for text in frame["token_str"]]
    width = 0.8 / len(settings)
    figure = ReportFigure(figsize=(max(6.0, 0.75 * len(labels) + 2), 3.8), layout="constrained")
    axes = figure.add_subplot()
    for index, setting in enumerate(settings):
        offsets = np.arange(len(labels)) + (index - (len(settings) - 1) / 2) * width
        axes.bar(offsets, frame[setting], width, label=setting)
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=9)
    axes.yaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    axes.set_ylabel("probability of the next token")
    axes.legend(fontsize=8, ncols=min(3, len(settings)))
    axes.set_title(_title(title, "Next-token probabilities: model vs sampling settings"))
    return figure


def plot_sample_frequencies(frame: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Observed sample frequencies (bars) against predicted sampling probabilities (markers).

    ``frame`` is :func:`helpers.sampling.sample_frequencies` output.
    """
    labels = [for_matplotlib(visible(text)) for text in frame["token_str"]]
    positions = np.arange(len(labels))
    samples = int(frame["count"].sum())
    error = np.sqrt(frame["predicted"] * (1 - frame["predicted"]) / max(samples, 1))
    figure = ReportFigure(figsize=(max(6.0, 0.6 * len(labels) + 2), 3.6), layout="constrained")
    axes = figure.add_subplot()
    axes.bar(positions, frame["observed"], color=OTHER_COLOR, label=f"observed in {samples} samples")
    axes.errorbar(positions, frame["predicted"], yerr=2 * error, fmt="o", color=CHOSEN_COLOR, capsize=3,
                  label="predicted ± 2 standard errors")
    axes.set_xticks(positions, labels, rotation=45, ha="right", fontsize=9)
    axes.yaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    axes.set_ylabel("share of samples")
    axes.legend(fontsize=8)
    axes.set_title(_title(title, "Sampled next tokens: observed frequency vs predicted probability"))
    return figure


def plot_bucket_shares(shares: Mapping[str, pd.Series], *, title: str | None = None) -> Figure:
    """GLTR's histogram: the share of tokens in each rank bucket, one group of bars per text.

    ``shares`` maps a label ("the text", "the model's own text") to :func:`helpers.surprisal.bucket_shares`.
    """
    buckets = list(dict.fromkeys(bucket for series in shares.values() for bucket in series.index))
    figure = ReportFigure(figsize=(6.0, 3.2), layout="constrained")
    axes = figure.add_subplot()
    width = 0.8 / max(len(buckets), 1)
    for index, bucket in enumerate(buckets):
        values = [float(series.get(bucket, 0.0)) for series in shares.values()]
        offsets = np.arange(len(shares)) + (index - (len(buckets) - 1) / 2) * width
        bars = axes.bar(offsets, values, width, label=bucket, color=BUCKET_COLOURS.get(bucket, UNKNOWN_COLOUR),
                        edgecolor="#333333", linewidth=0.5)
        axes.bar_label(bars, labels=[f"{v:.0%}" for v in values], fontsize=7, padding=1)
    axes.set_xticks(range(len(shares)), [for_matplotlib(label) for label in shares], fontsize=9)
    axes.yaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    axes.set_ylim(0, 1.1)
    axes.set_ylabel("share of tokens")
    axes.legend(fontsize=8, title="rank among all tokens", title_fontsize=8, ncols=2)
    axes.set_title(_title(title, "How often the model ranked each token in its top 10, 100, 1000"))
    return figure


def plot_running_surprisal(generation: Generation, *, base: float = 2, title: str | None = None) -> Figure:
    """Each token's surprisal (bits) along the text, with the words that carry the most of it labelled."""
    spans = token_spans(generation)
    values = [surprisal(token.logprob, base) for token in generation.tokens]
    figure = ReportFigure(figsize=(7.0, 3.0), layout="constrained")
    axes = figure.add_subplot()
    axes.plot(range(len(values)), values, color=CHOSEN_COLOR, linewidth=1.2, marker="o", markersize=2.5)
    axes.fill_between(range(len(values)), values, color=CHOSEN_COLOR, alpha=0.12)
    for index in sorted(range(len(values)), key=lambda i: -values[i])[:5]:
        axes.annotate(for_matplotlib(visible(spans[index].piece.strip() or spans[index].piece)), (index, values[index]),
                      textcoords="offset points", xytext=(0, 4), ha="center", fontsize=7)
    axes.set_xlabel("token position in the text")
    axes.set_ylabel("surprisal (bits)" if base == 2 else f"surprisal (log base {base:g})")
    axes.set_ylim(0, max(values, default=1) * 1.18 + 0.5)
    axes.set_title(_title(title, "Surprisal along the text"))
    return figure
