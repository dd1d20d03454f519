"""How temperature, top-k and top-p reshape the next-token distribution, and what sampling draws.

Both functions use the real machinery: :func:`helpers.generation.next_token_distribution` applies
transformers' own warpers, and :func:`sample_frequencies` draws with ``model.generate`` itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from helpers.generation import generate, next_token_distribution
from helpers.model import LoadedModel


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
    """Draw ``samples`` next tokens with ``generate`` (one batch, one seed) and count them.

    Returns the ``top`` most predicted tokens plus any other drawn token, with the observed count,
    frequency and the predicted sampling probability; frequencies approach the prediction as
    ``samples`` grows (standard error sqrt(p(1-p)/samples)).
    """
    draws = generate(lm, [prompt] * samples, max_new_tokens=1, strategy="sample", seed=seed,
                     temperature=temperature, top_k=top_k, top_p=top_p, top_alternatives=0)
    counts = pd.Series([d.tokens[0].id for d in draws]).value_counts()
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
