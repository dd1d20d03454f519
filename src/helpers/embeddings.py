"""Feeding the model embeddings instead of token ids (``model(inputs_embeds=...)``).

Hosted APIs only take text. Locally the first layer is reachable: looking the ids up in the
embedding matrix ourselves and passing the vectors gives the same logits as passing the ids, and
nudging those vectors shows how the next-token distribution reacts to inputs no text could produce.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import torch

from helpers.model import LoadedModel


@dataclass(frozen=True)
class EmbedsCheck:
    """Logits from ``input_ids`` against logits from the same ids looked up as ``inputs_embeds``."""

    prompt: str
    tokens: int
    hidden_size: int
    max_abs_logit_difference: float
    same_next_token: bool


def _embeddings(lm: LoadedModel, prompt: str) -> tuple[torch.Tensor, torch.Tensor]:
    input_ids = lm.tokenizer(prompt, return_tensors="pt")["input_ids"].to(lm.device)
    return input_ids, lm.model.get_input_embeddings()(input_ids)


def compare_inputs_embeds(lm: LoadedModel, prompt: str) -> EmbedsCheck:
    """Run the prompt both ways and report the largest logit difference."""
    with torch.inference_mode():
        input_ids, embeds = _embeddings(lm, prompt)
        from_ids = lm.model(input_ids=input_ids).logits
        from_embeds = lm.model(inputs_embeds=embeds).logits
    return EmbedsCheck(
        prompt=prompt,
        tokens=int(input_ids.shape[1]),
        hidden_size=int(embeds.shape[-1]),
        max_abs_logit_difference=float((from_ids - from_embeds).abs().max()),
        same_next_token=bool(from_ids[0, -1].argmax() == from_embeds[0, -1].argmax()),
    )


def perturbed_next_token(
    lm: LoadedModel,
    prompt: str,
    *,
    noise_scales: Sequence[float] = (0.0, 0.05, 0.2, 0.5, 1.0, 2.0),
    seed: int = 0,
) -> pd.DataFrame:
    """Add Gaussian noise to the prompt's embeddings; what happens to the next token?

    The noise is scaled relative to each embedding vector's norm (0.5 = half as long as the vector
    itself). Returns per scale: the most likely next token, its probability, the probability of the
    unperturbed top token, and the KL divergence from the unperturbed distribution (nats).
    """
    generator = torch.Generator(device="cpu").manual_seed(seed)
    rows = []
    with torch.inference_mode():
        _, embeds = _embeddings(lm, prompt)
        direction = torch.randn(embeds.shape, generator=generator).to(embeds)
        direction = direction / direction.norm(dim=-1, keepdim=True)
        norms = embeds.norm(dim=-1, keepdim=True)
        reference = torch.log_softmax(lm.model(inputs_embeds=embeds).logits[0, -1].float(), dim=-1)
        reference_top = int(reference.argmax())
        for scale in noise_scales:
            noisy = embeds + scale * norms * direction
            logprobs = torch.log_softmax(lm.model(inputs_embeds=noisy).logits[0, -1].float(), dim=-1)
            top = int(logprobs.argmax())
            rows.append({
                "noise_scale": float(scale),
                "top_token_str": lm.tokenizer.decode([top]),
                "top_prob": float(logprobs[top].exp()),
                "original_top_prob": float(logprobs[reference_top].exp()),
                "kl_from_original": float((reference.exp() * (reference - logprobs)).sum()),
            })
    return pd.DataFrame(rows)
