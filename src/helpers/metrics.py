"""The one table of per-token metrics: what each number in a token table or heat map is, and how it shows.

A :class:`Metric` has a name (the table column and the heat map's ``color_by``), a title, the formula
it computes, its unit, a function from a generation to one value per token, a formatter for tables,
and, when it can colour a heat map, a colour scale. Token tables take their columns from here and
heat maps their ``color_by``: a new metric is one :func:`register` call (plus its test), in any
module, and both views know it. Torch-free: it depends on :mod:`helpers.core` only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from helpers.core import Generation, TokenScore

# GLTR's buckets: the token was among the model's top 10, top 100, top 1000 candidates, or beyond.
BUCKETS = ("top 10", "top 100", "top 1000", "beyond 1000")
BUCKET_LIMITS = (10, 100, 1000)
# viridis at 0.95, 0.65, 0.35, 0.05: light to dark, distinct for colour-blind readers and in greyscale
BUCKET_COLOURS = {"top 10": "#DFE318", "top 100": "#3FBC73", "top 1000": "#2C728E", "beyond 1000": "#471365"}
UNKNOWN_COLOUR = "#BBBBBB"
SURPRISAL_MAX_BITS = 20.0  # the top of the surprisal scale: 1 in a million, and beyond


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def percent(probability: float) -> str:
    """A probability as a percentage: ``26.28 %`` above 1 %, three significant digits below."""
    if is_missing(probability):
        return "n/a"
    value = probability * 100
    return f"{value:.2f} %" if value >= 1 else f"{value:.3g} %"


def surprisal(logprob: float, base: float = 2) -> float:
    """``-log_base p`` from a natural-log probability."""
    return -logprob / math.log(base)


def rank_bucket(token: TokenScore) -> str | None:
    """GLTR's bucket for a token; ``None`` where the backend cannot know the rank (beyond its top-N)."""
    if token.rank is None:
        listed = len(token.alternatives)
        return None if listed < BUCKET_LIMITS[-1] else BUCKETS[-1]
    return bucket_of_rank(token.rank)


def bucket_of_rank(rank: int) -> str:
    """GLTR's bucket for a known rank (1 = the model's top guess)."""
    for limit, name in zip(BUCKET_LIMITS, BUCKETS, strict=False):
        if rank <= limit:
            return name
    return BUCKETS[-1]


def viridis(value: float) -> str:
    """A colour of the viridis scale for ``value`` in [0, 1], as ``#RRGGBB``."""
    from matplotlib import colormaps  # matplotlib is heavy; only colouring needs it

    red, green, blue, _ = colormaps["viridis"](min(max(value, 0.0), 1.0))
    return f"#{round(red * 255):02X}{round(green * 255):02X}{round(blue * 255):02X}"


def ink_for(background: str) -> str:
    """Black or white text, whichever reads better on ``background`` (``#RRGGBB``)."""
    red, green, blue = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#FFFFFF"


@dataclass(frozen=True)
class ContinuousScale:
    """Values from ``low`` to ``high`` on the viridis scale (``reverse``: high values dark)."""

    low: float
    high: float
    low_label: str
    high_label: str
    reverse: bool = False

    def colour(self, value: Any, token: TokenScore) -> str:
        if is_missing(value):
            return UNKNOWN_COLOUR
        position = (float(value) - self.low) / (self.high - self.low)
        return viridis(1 - position if self.reverse else position)

    def gradient(self, steps: int = 10) -> list[str]:
        """The scale's colours from low to high, for a legend."""
        return [viridis(1 - i / (steps - 1) if self.reverse else i / (steps - 1)) for i in range(steps)]


@dataclass(frozen=True)
class BucketScale:
    """GLTR's rank buckets, one colour each (see :data:`BUCKET_COLOURS`)."""

    colours: dict[str, str] = field(default_factory=lambda: dict(BUCKET_COLOURS))
    title: str = "rank among all tokens"

    def colour(self, value: Any, token: TokenScore) -> str:
        bucket = rank_bucket(token)
        return self.colours[bucket] if bucket else UNKNOWN_COLOUR


Scale = ContinuousScale | BucketScale


def _per_token(value: Callable[[TokenScore], Any]) -> Callable[[Generation], list[Any]]:
    return lambda generation: [value(token) for token in generation.tokens]


def _number(decimals: int) -> Callable[[Any], str]:
    return lambda value: "n/a" if is_missing(value) else f"{value:.{decimals}f}"


def _text(value: Any) -> str:
    return "n/a" if is_missing(value) else str(value)


@dataclass(frozen=True)
class Metric:
    """One per-token number (see the module docstring). ``format(value, decimals)`` gives table text;
    ``in_frame`` says whether :func:`helpers.tables.generation_frame` has a column for it."""

    name: str
    title: str
    formula: str
    unit: str
    values: Callable[[Generation], list[Any]]
    format: Callable[[Any, int], str] = lambda value, decimals: _number(decimals)(value)
    scale: Scale | None = None
    numeric: bool = True
    in_frame: bool = True
    dtype: str | None = None  # the pandas dtype of its frame column (Int64: whole numbers with gaps)


METRICS: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    """Add a metric to the table (a later one of the same name replaces it)."""
    METRICS[metric.name] = metric
    return metric


def get(name: str, *, colours: bool = False) -> Metric:
    """A metric by name (``colours``: one that can colour a heat map), or a ``ValueError`` listing them."""
    choices = [m for m in METRICS.values() if m.scale is not None] if colours else list(METRICS.values())
    if name not in {m.name for m in choices}:
        what = "color_by" if colours else "metric"
        raise ValueError(f"{what} must be one of {', '.join(m.name for m in choices)}, got {name!r}.")
    return METRICS[name]


def _cumulative(generation: Generation) -> list[float]:
    return list(accumulate(token.logprob for token in generation.tokens))


for _metric in (
    Metric("token", "token", "the token's id", "", _per_token(lambda t: t.id), lambda v, d: _text(v)),
    Metric("token_str", "token_str", "the token's text, whitespace shown", "", _per_token(lambda t: t.text),
           numeric=False),
    Metric("trans_scores", "trans_scores", "log p(token | prefix), natural log", "nats",
           _per_token(lambda t: t.logprob)),
    Metric("trans_prob", "trans_prob", "p(token | prefix) = exp(trans_scores)", "",
           _per_token(lambda t: math.exp(t.logprob)), lambda v, d: percent(v)),
    Metric("sampling_logprob", "sampling log-prob", "log p under the processed sampling distribution", "nats",
           _per_token(lambda t: t.sampling_logprob)),
    Metric("sampling_prob", "sampling prob", "exp(sampling_logprob)", "",
           _per_token(lambda t: math.exp(t.sampling_logprob)), lambda v, d: percent(v)),
    Metric("rank", "rank", "1 + the number of tokens the model found more likely", "",
           _per_token(lambda t: t.rank), lambda v, d: _text(v), scale=BucketScale(), dtype="Int64"),
    Metric("entropy", "entropy (nats)", "-sum p log p over the vocabulary", "nats", _per_token(lambda t: t.entropy)),
    Metric("cumulative_logprob", "cumulative log-prob", "sum of trans_scores up to this token", "nats", _cumulative),
    Metric("alternatives", "top alternatives", "the model's most likely tokens at this step", "",
           _per_token(lambda t: [(a.text, a.logprob) for a in t.alternatives]), numeric=False),
    # Heat-map colourings, beside the table columns above.
    Metric("probability", "probability", "p(token | prefix)", "", _per_token(lambda t: t.probability),
           lambda v, d: percent(v), scale=ContinuousScale(0.0, 1.0, "0 %", "100 %"), in_frame=False),
    Metric("surprisal", "surprisal (bits)", "-log2 p(token | prefix)", "bits",
           _per_token(lambda t: surprisal(t.logprob)),
           scale=ContinuousScale(0.0, SURPRISAL_MAX_BITS, "0 bits", f"{SURPRISAL_MAX_BITS:g}+ bits", reverse=True),
           in_frame=False),
):
    register(_metric)
