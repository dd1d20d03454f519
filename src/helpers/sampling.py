"""How temperature, top-k and top-p reshape the next-token distribution, and what sampling draws.

Both use the real machinery: :func:`next_token_distribution` applies transformers' own warpers,
and :func:`sample_frequencies` draws with ``model.generate`` itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import torch
from transformers import LogitsProcessorList, TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper

from helpers.core import check_context, check_prompts, sample_settings
from helpers.generation import generate
from helpers.model import LoadedModel

SAMPLE_BATCH = 256  # prompts per generate call when sampling: bounds memory (each holds a vocabulary of scores)


def next_token_distribution(
    lm: LoadedModel,
    prompt: str,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
) -> pd.DataFrame:
    """The whole next-token distribution after ``prompt``: the model's and the sampling one.

    The sampling distribution is what ``generate(strategy="sample")`` draws from: transformers'
    own temperature, top-k and top-p warpers applied in generate's order. One row per vocabulary
    entry, most likely first; both probability columns sum to 1.
    """
    check_prompts([prompt])
    warpers = sampling_warpers(sample_settings(temperature, top_k, top_p))
    input_ids = lm.tokenizer(prompt, return_tensors="pt")["input_ids"].to(lm.device)
    check_context(lm.name, lm.context_length, input_ids.shape[1], 1)
    with torch.inference_mode():
        logits = lm.model(input_ids=input_ids).logits[:, -1, :].float()
        processed = warpers(input_ids, logits.clone())
    model_logprobs = torch.log_softmax(logits[0], dim=-1)
    sampling_logprobs = torch.log_softmax(processed[0], dim=-1)
    order = torch.argsort(model_logprobs, descending=True, stable=True).tolist()
    texts = lm.tokenizer.batch_decode([[i] for i in order], clean_up_tokenization_spaces=False)
    frame = pd.DataFrame({
        "token": order,
        "token_str": texts,
        "model_logprob": model_logprobs[order].cpu().numpy(),
        "sampling_logprob": sampling_logprobs[order].cpu().numpy(),
    })
    frame["model_prob"] = np.exp(frame["model_logprob"])
    frame["sampling_prob"] = np.exp(frame["sampling_logprob"])
    return frame


def sampling_warpers(sample_kwargs: Mapping[str, Any]) -> LogitsProcessorList:
    """transformers' temperature, top-k and top-p warpers, in the order ``generate`` applies them."""
    warpers = LogitsProcessorList()
    if sample_kwargs["temperature"] != 1.0:
        warpers.append(TemperatureLogitsWarper(sample_kwargs["temperature"]))
    if sample_kwargs["top_k"]:
        warpers.append(TopKLogitsWarper(sample_kwargs["top_k"]))
    if sample_kwargs["top_p"] < 1.0:
        warpers.append(TopPLogitsWarper(sample_kwargs["top_p"]))
    return warpers


def setting_label(setting: Mapping[str, Any]) -> str:
    """``{"temperature": 0.7, "top_k": 5}`` → ``"temperature=0.7, top_k=5"`` (``"model"`` if empty)."""
    return ", ".join(f"{k}={v}" for k, v in setting.items() if v is not None) or "model"


def compare_settings(
    lm: LoadedModel, prompt: str, settings: Sequence[Mapping[str, Any]], *, top: int = 10
) -> pd.DataFrame:
    """The model's top ``top`` next tokens and their probability under each sampling setting.

    One row per token, one ``P(...)`` column per setting, plus the model's own probability.
    """
    base = next_token_distribution(lm, prompt).head(top)
    frame = pd.DataFrame({"token": base["token"], "token_str": base["token_str"], "model": base["model_prob"]})
    for setting in settings:
        distribution = next_token_distribution(lm, prompt, **setting).set_index("token")
        frame[setting_label(setting)] = distribution.loc[frame["token"], "sampling_prob"].to_numpy()
    return frame.reset_index(drop=True)


def sample_frequencies(
    lm: LoadedModel,
    prompt: str,
    *,
    samples: int = 400,
    seed: int = 0,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    top: int = 12,
) -> pd.DataFrame:
    """Draw ``samples`` next tokens with ``generate`` and count them.

    The draws run in batches of at most :data:`SAMPLE_BATCH` prompts (batch ``i`` seeded with
    ``seed + i``), so memory stays the same however many samples are asked for; only the counts are
    kept. Returns the ``top`` most predicted tokens plus any other drawn token, with the observed
    count, frequency and the predicted sampling probability; frequencies approach the prediction as
    ``samples`` grows (standard error sqrt(p(1-p)/samples)).
    """
    if not isinstance(samples, int) or isinstance(samples, bool) or samples < 1:
        raise ValueError(f"samples must be an integer >= 1, got {samples!r}.")
    counts = pd.Series(dtype="int64")
    for batch, start in enumerate(range(0, samples, SAMPLE_BATCH)):
        size = min(SAMPLE_BATCH, samples - start)
        draws = generate(lm, [prompt] * size, max_new_tokens=1, strategy="sample", seed=(seed + batch) % 2**32,
                         temperature=temperature, top_k=top_k, top_p=top_p, top_alternatives=0)
        counts = counts.add(pd.Series([d.tokens[0].id for d in draws]).value_counts(), fill_value=0)
        del draws
    counts = counts.astype(int)
    distribution = next_token_distribution(lm, prompt, temperature=temperature, top_k=top_k, top_p=top_p)
    distribution = distribution.sort_values("sampling_prob", ascending=False, kind="stable")
    drawn = distribution[distribution["token"].isin(counts.index)]
    shown = pd.concat([distribution.head(top), drawn]).drop_duplicates("token")
    frame = pd.DataFrame({
        "token": shown["token"].to_numpy(),
        "token_str": shown["token_str"].to_numpy(),
        "predicted": shown["sampling_prob"].to_numpy(),
    })
    frame["count"] = frame["token"].map(counts).fillna(0).astype(int)
    frame["observed"] = frame["count"] / samples
    return frame.sort_values(["predicted", "count"], ascending=False, kind="stable").reset_index(drop=True)
