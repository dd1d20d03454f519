"""Plots: real figures from a real generation, headless, without touching pyplot's global state."""

from __future__ import annotations

import io
import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import generate
from helpers.plots import plot_alternatives, plot_cumulative_logprob, plot_token_probabilities

PLOTS = (plot_token_probabilities, plot_alternatives, plot_cumulative_logprob)


@pytest.fixture(scope="module")
def newline_generation(lm):
    return generate(lm, "Finn writes code\n\n", max_new_tokens=6)


@pytest.mark.parametrize("plot", PLOTS)
def test_plot_returns_a_figure_and_leaves_pyplot_alone(plot, newline_generation):
    before = plt.get_fignums()
    figure = plot(newline_generation)
    assert isinstance(figure, Figure)
    assert plt.get_fignums() == before
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG")
    assert matplotlib.get_backend().lower() == "agg"


@pytest.mark.parametrize("plot", PLOTS)
def test_token_labels_make_whitespace_visible(plot, newline_generation):
    labels = [label.get_text() for label in plot(newline_generation).axes[0].get_xticklabels()]
    assert len(labels) == len(newline_generation.tokens)
    assert all("\n" not in label for label in labels)
    assert any("\\n" in label or "␣" in label for label in labels)


def test_probability_bars_match_the_token_probabilities(newline_generation):
    axes = plot_token_probabilities(newline_generation).axes[0]
    heights = [bar.get_height() for bar in axes.patches]
    assert np.allclose(heights, [math.exp(t.logprob) for t in newline_generation.tokens])


def test_cumulative_line_ends_at_the_joint_logprob(newline_generation):
    line = plot_cumulative_logprob(newline_generation).axes[0].get_lines()[0]
    assert math.isclose(line.get_ydata()[-1], newline_generation.joint_logprob, rel_tol=1e-9)


def test_alternatives_heatmap_outlines_each_chosen_token(newline_generation):
    axes = plot_alternatives(newline_generation).axes[0]
    outlined = [p for p in axes.patches if not p.get_fill()]
    assert len(outlined) == len(newline_generation.tokens)  # greedy: every chosen token is in the top 5


def test_alternatives_plot_needs_alternatives(lm):
    with pytest.raises(ValueError, match="top_alternatives >= 1"):
        plot_alternatives(generate(lm, "Finn writes code", top_alternatives=0))
