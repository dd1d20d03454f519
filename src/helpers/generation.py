"""Generate text and score every token with the numbers a report needs.

For each generated token: its id and text, the model's own log-probability (softmax of the raw
logits over the whole vocabulary), the log-probability under the processed sampling distribution
(what ``compute_transition_scores(..., normalize_logits=True)`` gives: it differs from the model's
under temperature, top-k and top-p), its rank, the entropy of the model's distribution and the
top alternatives. Everything comes from the logits ``generate`` already returns: no extra passes.

``score`` gives the same figures for a given text (teacher forcing, one forward pass): the legacy
API's ``echo=True`` logprobs, or what GLTR shows.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import torch
from transformers import (
    GenerationConfig,
)

from helpers.model import LoadedModel
from helpers.tokens import Decoder, decode_tokens


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


@dataclass(frozen=True)
class TokenScore(Alternative):
    """One generated (or scored) token and how the model saw it."""

    sampling_logprob: float = math.nan
    rank: int | None = None
    entropy: float = math.nan
    alternatives: tuple[Alternative, ...] = ()

    @property
    def probability(self) -> float:
        return math.exp(self.logprob)


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

    def to_frame(self) -> Any:
        from helpers.tables import generation_frame

        return generation_frame(self)

    def table(self, **options: Any) -> Any:
        from helpers.tables import TokenTable

        return TokenTable(self, **options)

    def heatmap(self, color_by: str = "rank", **options: Any) -> Any:
        """The text with each token coloured by rank bucket, probability or surprisal (GLTR's view);
        displays as interactive HTML, as LaTeX colour boxes in a PDF, as text in a terminal."""
        from helpers.heatmap import TokenHeatmap

        return TokenHeatmap(self, color_by, **options)


@dataclass(frozen=True)
class _Options:
    temperature: float
    top_k: int | None
    top_p: float | None
    num_beams: int
    length_penalty: float


def _greedy(options: _Options) -> dict[str, Any]:
    if options.num_beams != 1:
        raise ValueError("num_beams > 1 needs strategy='beam'; greedy uses num_beams=1.")
    return {"do_sample": False, "num_beams": 1}


def _sample(options: _Options) -> dict[str, Any]:
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


def _beam(options: _Options) -> dict[str, Any]:
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


STRATEGIES: dict[str, Callable[[_Options], dict[str, Any]]] = {
    "greedy": _greedy,
    "sample": _sample,
    "beam": _beam,
}


def sample_settings(temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None) -> dict[str, Any]:
    """Checked sampling settings (temperature, top_k, top_p) as ``generate(strategy="sample")`` uses them."""
    return _sample(_Options(temperature, top_k, top_p, 1, 1.0))


@overload
def generate(lm: LoadedModel, prompt: str, **kwargs: Any) -> Generation: ...
@overload
def generate(lm: LoadedModel, prompt: Sequence[str], **kwargs: Any) -> list[Generation]: ...


def generate(
    lm: LoadedModel,
    prompt: str | Sequence[str],
    *,
    max_new_tokens: int = 5,
    strategy: str = "greedy",
    seed: int | None = None,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    num_beams: int = 1,
    length_penalty: float = 1.0,
    top_alternatives: int = 5,
) -> Generation | list[Generation]:
    """Continue ``prompt`` (or each prompt of a list, batched with left padding) and score it.

    ``strategy`` is one of :data:`STRATEGIES`: ``"greedy"``, ``"sample"`` (uses ``temperature``,
    ``top_k``, ``top_p`` and ``seed``; a missing seed is drawn and recorded in ``settings`` so any
    run can be repeated) or ``"beam"`` (uses ``num_beams`` and ``length_penalty``).
    """
    request = validate_request(prompt, max_new_tokens=max_new_tokens, strategy=strategy, seed=seed,
                               temperature=temperature, top_k=top_k, top_p=top_p, num_beams=num_beams,
                               length_penalty=length_penalty, top_alternatives=top_alternatives)
    prompts, seed = request.prompts, request.seed
    check_top_alternatives(top_alternatives, int(lm.model.config.vocab_size))

    tokenizer = lm.tokenizer
    batch = tokenizer(prompts, return_tensors="pt", padding=True, padding_side="left").to(lm.device)
    _check_context(lm, batch["input_ids"].shape[1], max_new_tokens)
    config = GenerationConfig(
        max_new_tokens=max_new_tokens,
        output_scores=True,
        output_logits=True,
        return_dict_in_generate=True,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=lm.model.generation_config.eos_token_id,
        bos_token_id=lm.model.generation_config.bos_token_id,
        **request.strategy_kwargs,
    )
    with torch.inference_mode(), _seeded(seed, lm.device):
        outputs = lm.model.generate(**batch, generation_config=config)

    prompt_length = batch["input_ids"].shape[1]
    generated = outputs.sequences[:, prompt_length:]
    steps = generated.shape[1]
    rows = torch.arange(len(prompts), device=generated.device)[:, None].expand(-1, steps)
    if getattr(outputs, "beam_indices", None) is not None:
        rows = outputs.beam_indices[:, :steps].clamp(min=0)
    step_index = torch.arange(steps, device=generated.device)[None, :].expand_as(rows)
    logits = torch.stack(outputs.logits[:steps], dim=1)[rows, step_index]
    processed = logits  # plain greedy: no processor ran, the scores are the logits themselves
    if any(score is not logit for score, logit in zip(outputs.scores, outputs.logits, strict=True)):
        processed = torch.stack(outputs.scores[:steps], dim=1)[rows, step_index]

    eos_ids = set(_as_list(config.eos_token_id))
    results = []
    for index, text in enumerate(prompts):
        ids = generated[index].tolist()
        length = next((i + 1 for i, token in enumerate(ids) if token in eos_ids), len(ids))
        tokens = _token_scores(lm, generated[index, :length], logits[index, :length],
                               processed[index, :length], top_alternatives)
        sequence_score = None
        if getattr(outputs, "sequences_scores", None) is not None:
            sequence_score = float(outputs.sequences_scores[index])
        results.append(_result(lm, text, tokens, request.settings(), sequence_score))
    return request.unwrap(results)


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


def validate_request(
    prompt: str | Sequence[str],
    *,
    max_new_tokens: int = 5,
    strategy: str = "greedy",
    seed: int | None = None,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    num_beams: int = 1,
    length_penalty: float = 1.0,
    top_alternatives: int = 5,
    backend: str = "transformers",
) -> GenerationRequest:
    """Check a generation request for any backend (``generate``'s arguments).

    A sampling request without a seed gets a random one, so that the run can be repeated later.
    """
    if not isinstance(prompt, str | list | tuple):
        raise ValueError(f"prompt must be a string or a list of strings, got a {type(prompt).__name__}.")
    prompts = [prompt] if isinstance(prompt, str) else list(prompt)
    check_prompts(prompts)
    if not _is_int(max_new_tokens) or max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be an integer >= 1, got {max_new_tokens!r}.")
    check_top_alternatives(top_alternatives)
    if strategy not in STRATEGIES:
        raise ValueError(f"Unknown strategy {strategy!r}; choose one of: {', '.join(STRATEGIES)}.")
    if strategy == "beam" and backend != "transformers":
        raise ValueError("strategy='beam' is only available with the transformers backend.")
    strategy_kwargs = STRATEGIES[strategy](_Options(temperature, top_k, top_p, num_beams, length_penalty))
    if strategy == "sample" and seed is None:
        seed = secrets.randbelow(2**31)
    if seed is not None and (not _is_int(seed) or not 0 <= seed < 2**32):
        raise ValueError(f"seed must be None or an integer from 0 to 2**32 - 1 (what numpy and torch accept), "
                         f"got {seed!r}.")
    return GenerationRequest(prompts, isinstance(prompt, str), strategy, strategy_kwargs, seed, max_new_tokens,
                             top_alternatives)


def score(
    lm: LoadedModel,
    text: str | Sequence[int],
    *,
    prompt: str = "",
    top_alternatives: int = 5,
) -> Generation:
    """How surprising each token of ``text`` is to the model, optionally after ``prompt``.

    One teacher-forced forward pass. ``text`` may be a string or token ids (e.g. a
    ``Generation.token_ids``). Without a prompt the text is conditioned on the model's
    beginning-of-text token, so its first token is scored too. ``sampling_logprob`` equals the
    model's log-prob here: nothing was sampled.
    """
    vocabulary = int(lm.model.config.vocab_size)
    check_top_alternatives(top_alternatives, vocabulary)
    tokenizer = lm.tokenizer
    if isinstance(text, str):
        if not text:
            raise ValueError("text to score must not be empty.")
        text_ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    elif isinstance(text, Sequence):
        text_ids = check_token_ids(text, vocabulary)
    else:
        raise ValueError(f"text must be a string or a list of token ids, got a {type(text).__name__}.")
    if not text_ids:
        raise ValueError("text to score must hold at least one token.")
    if prompt:
        prompt_ids = tokenizer(prompt)["input_ids"]
    else:
        start = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id
        prompt_ids = [start]
    _check_context(lm, len(prompt_ids), len(text_ids))
    input_ids = torch.tensor([prompt_ids + text_ids], device=lm.device)
    with torch.inference_mode():
        logits = lm.model(input_ids=input_ids).logits[0]
    start = len(prompt_ids) - 1
    step_logits = logits[start : start + len(text_ids)]
    tokens = _token_scores(lm, input_ids[0, len(prompt_ids):], step_logits, step_logits, top_alternatives)
    settings = {"strategy": "score", "top_alternatives": top_alternatives}
    return _result(lm, prompt, tokens, settings, None)


def _result(lm: LoadedModel, prompt: str, tokens: list[TokenScore], settings: Mapping[str, Any],
            sequence_score: float | None) -> Generation:
    text = lm.tokenizer.decode([token.id for token in tokens], skip_special_tokens=True)
    return Generation(prompt, text, tuple(tokens), lm.name, lm.fingerprint.short, dict(settings),
                      sequence_score)


def _token_scores(lm: LoadedModel, ids: torch.Tensor, logits: torch.Tensor, processed: torch.Tensor,
                  top_alternatives: int) -> list[TokenScore]:
    return token_scores_from_logits(ids, logits, processed, top_alternatives,
                                    lambda batch: decode_tokens(lm.tokenizer, batch))


def token_scores_from_logits(ids: torch.Tensor, logits: torch.Tensor, processed: torch.Tensor,
                             top_alternatives: int, decode: Decoder) -> list[TokenScore]:
    """Per-token figures for ``ids`` given the logits that predicted each (one row per token).

    ``processed`` holds the logits after the sampling warpers (the same tensor when nothing was
    warped); ``decode`` maps token ids to (text, bytes). Shared by every backend that has logits.
    """
    logprobs = torch.log_softmax(logits.float(), dim=-1)
    sampling = logprobs if processed is logits else torch.log_softmax(processed.float(), dim=-1)
    chosen = logprobs.gather(-1, ids[:, None])
    ranks = (logprobs > chosen).sum(-1) + 1
    entropy = -(logprobs.exp() * logprobs).sum(-1)
    top = logprobs.topk(top_alternatives, dim=-1) if top_alternatives else None
    chosen_sampling = sampling.gather(-1, ids[:, None])[:, 0]

    top_ids = top.indices.tolist() if top else [[] for _ in ids]
    top_values = top.values.tolist() if top else [[] for _ in ids]
    token_ids = ids.tolist()
    texts = decode(sorted({*token_ids, *(i for row in top_ids for i in row)}))
    tokens = []
    for step, token_id in enumerate(token_ids):
        alternatives = tuple(
            Alternative(i, *texts[i], value) for i, value in zip(top_ids[step], top_values[step], strict=True)
        )
        tokens.append(TokenScore(
            token_id, *texts[token_id], float(chosen[step, 0]),
            sampling_logprob=float(chosen_sampling[step]),
            rank=int(ranks[step]),
            entropy=float(entropy[step]),
            alternatives=alternatives,
        ))
    return tokens


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


def _check_context(lm: LoadedModel, prompt_tokens: int, new_tokens: int) -> None:
    check_context(lm.name, lm.context_length, prompt_tokens, new_tokens)


def check_context(name: str, context_length: int, prompt_tokens: int, new_tokens: int) -> None:
    if prompt_tokens + new_tokens > context_length:
        raise ValueError(
            f"The prompt is {prompt_tokens} tokens and {new_tokens} more were asked for, but "
            f"{name!r} reads at most {context_length} tokens. "
            "Shorten the prompt or ask for fewer tokens."
        )


def _as_list(value: int | list[int] | None) -> list[int]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


@contextlib.contextmanager
def _seeded(seed: int | None, device: torch.device) -> Iterator[None]:
    """Seed torch for one call without disturbing the caller's random state."""
    if seed is None:
        yield
        return
    devices = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices, device_type=device.type):
        torch.manual_seed(seed)
        yield
