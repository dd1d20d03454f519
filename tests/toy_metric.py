"""A toy per-token metric in one module: the reciprocal rank, 1/rank (1 for the model's favourite).

One :func:`helpers.metrics.register` call; token tables take it as a column and heat maps as a
``color_by``, with no change to either.
"""

from __future__ import annotations

from helpers.metrics import ContinuousScale, Metric, register

RECIPROCAL_RANK = register(Metric(
    "reciprocal_rank", "1/rank", "1 / rank", "",
    lambda generation: [None if t.rank is None else 1 / t.rank for t in generation.tokens],
    scale=ContinuousScale(0.0, 1.0, "rank far down", "rank 1"),
))
