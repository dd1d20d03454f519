"""The torch-free core of the LLM helpers: what a generation *is*, and what a request may ask.

Every backend (transformers, llama.cpp, an OpenAI-compatible server) returns these data types, and
every view (tables, heat maps, word surprisal, plots) takes them. This module imports neither torch
nor a view, so the OpenAI backend and the views run without torch, and data flows one way:
core → backends (which compute) and core → views (which show).

- :class:`Alternative`, :class:`TokenScore`, :class:`Generation`: the scores of one continuation;
- :class:`GenerationOptions`: the one signature of the generation options, checked once for every
  backend by :func:`validate_request` into a :class:`GenerationRequest`;
- :class:`Fingerprint`: what a model and the software that runs it are, hashed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import numbers
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

BUNDLED_MODEL = "smollm2-135m"


@dataclass(frozen=True)
class Alternative:
    """A candidate token at one step: id, decoded text, raw bytes and the model's log-prob."""

    id: int | None  # None where a backend returns token text only (OpenAI-compatible APIs)
    text: str
    raw: bytes
    logprob: float

    def same_token(self, other: Alternative) -> bool:
        """The same token: by id where both have one, else by bytes (APIs return text only)."""
        if self.id is not None and other.id is not None:
            return self.id == other.id
        return self.raw == other.raw

    @property
    def probability(self) -> float:
        return math.exp(self.logprob)


@dataclass(frozen=True)
class TokenScore(Alternative):
    """One generated (or scored) token and how the model saw it."""

    sampling_logprob: float = math.nan
    rank: int | None = None
    entropy: float = math.nan
    alternatives: tuple[Alternative, ...] = ()


@dataclass(frozen=True)
class Generation:
    """A prompt, its continuation and per-token scores; tables and plots take this.

    ``joint_probability`` answers the seed notebook's question "is this the joint probability
    across the whole vocab?": no. It is P(continuation | prompt) = exp(sum of the tokens'
    log-probs), the probability that the model produces exactly these tokens in this order after
    this prompt. It is not a probability summed over the vocabulary (that is always 1 per step).
    """

    prompt: str
    text: str
    tokens: tuple[TokenScore, ...]
    model: str
    fingerprint: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    sequence_score: float | None = None
    missing: Mapping[str, str] = field(default_factory=dict)
    """Figures this backend could not provide (NaN/None in the result), each with the reason."""

    @property
    def token_ids(self) -> list[int]:
        return [token.id for token in self.tokens]

    @property
    def joint_logprob(self) -> float:
        """log P(continuation | prompt): the sum of the tokens' log-probs."""
        return math.fsum(token.logprob for token in self.tokens)

    @property
    def joint_probability(self) -> float:
        """P(continuation | prompt) = exp(joint log-prob); see the class docstring."""
        return math.exp(self.joint_logprob)

    @property
    def perplexity(self) -> float:
        """exp(-mean log-prob): the model was, on average, this many ways unsure per token (NaN for no tokens)."""
        if not self.tokens:
            return math.nan
        return math.exp(-self.joint_logprob / len(self.tokens))


@dataclass(frozen=True)
class GenerationOptions:
    """How to continue a prompt, for every backend: ``generate(lm, prompt, **options)`` takes these names.

    ``strategy`` is one of :data:`STRATEGIES`: ``"greedy"``, ``"sample"`` (uses ``temperature``,
    ``top_k``, ``top_p`` and ``seed``; a missing seed is drawn and recorded so any run can be
    repeated) or ``"beam"`` (uses ``num_beams`` and ``length_penalty``; transformers only).
    ``top_alternatives`` is how many of the most likely tokens each step lists.
    """

    max_new_tokens: int = 5
    strategy: str = "greedy"
    seed: int | None = None
    temperature: float = 1.0
    top_k: int | None = None
    top_p: float | None = None
    num_beams: int = 1
    length_penalty: float = 1.0
    top_alternatives: int = 5

    @classmethod
    def from_keywords(cls, options: Mapping[str, Any]) -> GenerationOptions:
        """The options from keyword arguments; an unknown name is a ``ValueError`` listing the known ones."""
        known = [f.name for f in dataclasses.fields(cls)]
        unknown = [name for name in options if name not in known]
        if unknown:
            raise ValueError(f"Unknown generation option(s) {', '.join(unknown)}; choose from: {', '.join(known)}.")
        return cls(**options)


def _greedy(options: GenerationOptions) -> dict[str, Any]:
    if options.num_beams != 1:
        raise ValueError("num_beams > 1 needs strategy='beam'; greedy uses num_beams=1.")
    return {"do_sample": False, "num_beams": 1}


def _sample(options: GenerationOptions) -> dict[str, Any]:
    if options.num_beams != 1:
        raise ValueError("num_beams > 1 needs strategy='beam'; sampling uses num_beams=1.")
    if not options.temperature > 0:
        raise ValueError(f"temperature must be > 0 for sampling, got {options.temperature}.")
    if options.top_k is not None and options.top_k < 1:
        raise ValueError(f"top_k must be None or an integer >= 1, got {options.top_k}.")
    if options.top_p is not None and not 0 < options.top_p <= 1:
        raise ValueError(f"top_p must be None or in (0, 1], got {options.top_p}.")
    return {
        "do_sample": True,
        "temperature": float(options.temperature),
        "top_k": options.top_k or 0,
        "top_p": 1.0 if options.top_p is None else float(options.top_p),
    }


def _beam(options: GenerationOptions) -> dict[str, Any]:
    if not _is_int(options.num_beams) or options.num_beams < 2:
        raise ValueError(f"strategy='beam' needs num_beams >= 2, got {options.num_beams}.")
    if not isinstance(options.length_penalty, int | float) or not math.isfinite(options.length_penalty):
        raise ValueError(f"length_penalty must be a finite number, got {options.length_penalty!r}.")
    return {
        "do_sample": False,
        "num_beams": options.num_beams,
        "length_penalty": float(options.length_penalty),
        "early_stopping": True,
    }


STRATEGIES: dict[str, Callable[[GenerationOptions], dict[str, Any]]] = {
    "greedy": _greedy,
    "sample": _sample,
    "beam": _beam,
}


def sample_settings(temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None) -> dict[str, Any]:
    """Checked sampling settings (temperature, top_k, top_p) as ``generate(strategy="sample")`` uses them."""
    return _sample(GenerationOptions(temperature=temperature, top_k=top_k, top_p=top_p))


@dataclass(frozen=True)
class GenerationRequest:
    """A checked generation request, the same for every backend."""

    prompts: list[str]
    single: bool  # one prompt given as a string: return one Generation, not a list
    strategy: str
    strategy_kwargs: dict[str, Any]
    seed: int | None
    max_new_tokens: int
    top_alternatives: int

    def settings(self, **extra: Any) -> dict[str, Any]:
        """What a result records about how it was made."""
        return {"strategy": self.strategy, "max_new_tokens": self.max_new_tokens, "seed": self.seed,
                "top_alternatives": self.top_alternatives,
                **{k: v for k, v in self.strategy_kwargs.items() if k != "do_sample"}, **extra}

    def unwrap(self, results: list[Generation]) -> Generation | list[Generation]:
        return results[0] if self.single else results


def validate_request(prompt: str | Sequence[str], *, backend: str = "transformers",
                     **options: Any) -> GenerationRequest:
    """Check a generation request for any backend: the prompt(s) and :class:`GenerationOptions`.

    A sampling request without a seed gets a random one, so that the run can be repeated later.
    """
    if not isinstance(prompt, str | list | tuple):
        raise ValueError(f"prompt must be a string or a list of strings, got a {type(prompt).__name__}.")
    prompts = [prompt] if isinstance(prompt, str) else list(prompt)
    check_prompts(prompts)
    chosen = GenerationOptions.from_keywords(options)
    if not _is_int(chosen.max_new_tokens) or chosen.max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be an integer >= 1, got {chosen.max_new_tokens!r}.")
    check_top_alternatives(chosen.top_alternatives)
    if chosen.strategy not in STRATEGIES:
        raise ValueError(f"Unknown strategy {chosen.strategy!r}; choose one of: {', '.join(STRATEGIES)}.")
    if chosen.strategy == "beam" and backend != "transformers":
        raise ValueError("strategy='beam' is only available with the transformers backend.")
    strategy_kwargs = STRATEGIES[chosen.strategy](chosen)
    seed = chosen.seed
    if chosen.strategy == "sample" and seed is None:
        seed = secrets.randbelow(2**31)
    if seed is not None and (not _is_int(seed) or not 0 <= seed < 2**32):
        raise ValueError(f"seed must be None or an integer from 0 to 2**32 - 1 (what numpy and torch accept), "
                         f"got {seed!r}.")
    return GenerationRequest(prompts, isinstance(prompt, str), chosen.strategy, strategy_kwargs, seed,
                             chosen.max_new_tokens, chosen.top_alternatives)


def check_prompts(prompts: list[str]) -> None:
    if not prompts:
        raise ValueError("prompt must be a non-empty string or a non-empty list of strings.")
    for prompt in prompts:
        if not isinstance(prompt, str) or not prompt:
            raise ValueError(f"Every prompt must be a non-empty string, got {prompt!r}.")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_top_alternatives(top_alternatives: int, vocabulary: int | None = None) -> None:
    if not _is_int(top_alternatives) or top_alternatives < 0:
        raise ValueError(f"top_alternatives must be an integer >= 0, got {top_alternatives!r}.")
    if vocabulary is not None and top_alternatives > vocabulary:
        raise ValueError(f"top_alternatives={top_alternatives} is more than the model's {vocabulary} tokens.")


def check_token_ids(ids: Sequence[Any], vocabulary: int) -> list[int]:
    """Token ids to score: integers from 0 to the vocabulary size - 1 (no floats, no bools)."""
    bad = [i for i in ids if not isinstance(i, numbers.Integral) or isinstance(i, bool)]
    if bad:
        raise ValueError(f"token ids must be integers, got {bad[0]!r}.")
    ids = [int(i) for i in ids]
    outside = [i for i in ids if not 0 <= i < vocabulary]
    if outside:
        raise ValueError(f"token id {outside[0]} is outside the model's vocabulary (0 to {vocabulary - 1}).")
    return ids


def check_context(name: str, context_length: int, prompt_tokens: int, new_tokens: int) -> None:
    if prompt_tokens + new_tokens > context_length:
        raise ValueError(
            f"The prompt is {prompt_tokens} tokens and {new_tokens} more were asked for, but "
            f"{name!r} reads at most {context_length} tokens. "
            "Shorten the prompt or ask for fewer tokens."
        )


@dataclass(frozen=True)
class Fingerprint:
    """A short stable id (like the API's ``system_fingerprint``) and what it was computed from."""

    short: str
    details: dict[str, str] = field(repr=False)

    def __str__(self) -> str:
        return self.short


def fingerprint_from(details: dict[str, str]) -> Fingerprint:
    """A ``fp_`` id hashed from ``details`` (what the model is and what runs it; never secrets)."""
    short = "fp_" + hashlib.sha256(json.dumps(details, sort_keys=True).encode()).hexdigest()[:12]
    return Fingerprint(short, details)


@dataclass(frozen=True)
class LensPrediction:
    """What one layer predicts at one position, read through the logit lens.

    ``top`` are the layer's most likely next tokens (log-probs under that layer's distribution);
    ``actual`` is the token that really came next, with its log-prob and ``actual_rank`` (1 = the
    layer's top guess) at this layer; ``kl_to_final`` is KL(final layer ‖ this layer) in nats: how
    much the final distribution still differs from this layer's (0 at the final layer).
    """

    top: tuple[Alternative, ...]
    actual: Alternative
    actual_rank: int
    kl_to_final: float


@dataclass(frozen=True)
class LogitLens:
    """Every chosen layer's next-token guess at every position of a text (``helpers.logit_lens``).

    ``tokens`` are the tokens read: position *i* reads ``tokens[i]`` and predicts ``tokens[i + 1]``,
    so there is one prediction per token after the first. ``layers`` are layer numbers: 0 is the
    embeddings, ``layer_count`` the final layer (whose lens is the model's own output).
    ``predictions[l][i]`` is layer ``layers[l]`` at position *i*.
    """

    model: str
    fingerprint: str
    tokens: tuple[Alternative, ...]
    layers: tuple[int, ...]
    layer_count: int
    predictions: tuple[tuple[LensPrediction, ...], ...]
    prompt_tokens: int = 1
    """How many of ``tokens`` are the prompt (or the start-of-text token); the rest is the text."""

    @property
    def positions(self) -> int:
        return len(self.tokens) - 1

    def layer(self, number: int) -> tuple[LensPrediction, ...]:
        """The predictions of layer ``number`` (0 = embeddings, ``layer_count`` = final)."""
        if number not in self.layers:
            raise ValueError(f"layer {number} was not computed; this lens has layers {list(self.layers)}.")
        return self.predictions[self.layers.index(number)]

    def layer_name(self, number: int) -> str:
        if number == 0:
            return "embeddings"
        return f"{number} (final)" if number == self.layer_count else str(number)
