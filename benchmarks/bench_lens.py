"""logit_lens_ratio: helpers.logit_lens for 64 tokens through every layer, against one forward pass
with ``output_hidden_states=True`` on the same tokens (the pass the lens itself starts from).

Goal (issue 23): at most 1.5. The lens must project every layer's state through the unembedding: for
SmolLM2-135M that is 30 matrix products of [64 × 576] by [576 × 49 152] on top of the forward pass,
whose own unembedding is one of them, so the arithmetic alone is several forward passes on a CPU.
The figure is reported as measured, with the cost of the projections alone beside it.
"""

from __future__ import annotations

import statistics
from typing import Any

import torch
from common import interleaved, ratio_summary

from helpers import load_model
from helpers.logit_lens import logit_lens

TEXT = ("Finn writes code in Python every day. He likes short functions, clear names and tests that fail "
        "when something breaks. On Fridays he reads other people's code and writes down what he learned, "
        "then he goes for a long walk by the river with his dog, who is old and slow but still likes to chase "
        "the ducks that sit on the bank. In the evening he cooks soup, reads a chapter of a novel and goes to bed "
        "early, because the next morning the whole team meets to plan the new release.")


def run(quick: bool) -> dict[str, Any]:
    lm = load_model()
    tokens = 8 if quick else 64
    ids = lm.tokenizer(TEXT, add_special_tokens=False)["input_ids"][: tokens - 1]
    text = lm.tokenizer.decode(ids)
    input_ids = torch.tensor([[lm.tokenizer.bos_token_id, *lm.tokenizer(text, add_special_tokens=False)["input_ids"]]])
    if abs(input_ids.shape[1] - tokens) > 2:  # decoding and encoding again may merge a token or two
        raise AssertionError(f"the benchmark text should be {tokens} tokens, it is {input_ids.shape[1]}")

    def forward() -> None:
        with torch.inference_mode():
            lm.model(input_ids=input_ids, output_hidden_states=True)

    def lens() -> None:
        logit_lens(lm, text)

    def projections_only() -> None:  # what the lens adds, at its bare minimum: one product per layer
        with torch.inference_mode():
            states = lm.model(input_ids=input_ids, output_hidden_states=True).hidden_states
            for state in states[:-1]:
                lm.model.lm_head(lm.model.model.norm(state))

    ours, theirs = interleaved(lens, forward, repeats=1 if quick else 7)
    floor, forwards = interleaved(projections_only, forward, repeats=1 if quick else 3)
    # the lower bound of any exact lens here: the forward pass plus one unembedding product per layer
    floor_ratio = statistics.median(f / b for f, b in zip(floor, forwards, strict=True))
    return ratio_summary(ours, theirs, goal="<= 1.5", target=1.5, higher_is_better=False,
                         tokens=int(input_ids.shape[1]), layers=int(lm.model.config.num_hidden_layers) + 1,
                         projections_floor_ratio=round(floor_ratio, 3))
