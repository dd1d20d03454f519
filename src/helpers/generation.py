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
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

import torch
from transformers import (
    GenerationConfig,
)

from helpers.core import (
    Alternative,
    Generation,
    TokenScore,
    check_context,
    check_token_ids,
    check_top_alternatives,
    validate_request,
)
from helpers.model import LoadedModel
from helpers.tokens import Decoder, context_ids, decode_tokens


@overload
def generate(lm: LoadedModel, prompt: str, **kwargs: Any) -> Generation: ...
@overload
def generate(lm: LoadedModel, prompt: Sequence[str], **kwargs: Any) -> list[Generation]: ...


def generate(lm: LoadedModel, prompt: str | Sequence[str], **options: Any) -> Generation | list[Generation]:
    """Continue ``prompt`` (or each prompt of a list, batched with left padding) and score it.

    ``options`` are :class:`helpers.core.GenerationOptions` (``max_new_tokens``, ``strategy``, ``seed``,
    ``temperature``, ``top_k``, ``top_p``, ``num_beams``, ``length_penalty``, ``top_alternatives``).
    """
    request = validate_request(prompt, **options)
    prompts, seed = request.prompts, request.seed
    top_alternatives, max_new_tokens = request.top_alternatives, request.max_new_tokens
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
    prompt_ids = context_ids(tokenizer, prompt)
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


def _check_context(lm: LoadedModel, prompt_tokens: int, new_tokens: int) -> None:
    check_context(lm.name, lm.context_length, prompt_tokens, new_tokens)


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
