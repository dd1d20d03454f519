"""generate_overhead_ratio: helpers.generate (top_alternatives=5) against bare transformers.

Bare means ``model.generate(..., output_scores=True, output_logits=True,
return_dict_in_generate=True)`` plus ``compute_transition_scores``: the seed notebook's own calls.
Same prompt, same tokens (checked), greedy, 32 new tokens. Goal: at most 1.05.
"""

from __future__ import annotations

from typing import Any

import torch
from common import interleaved, ratio_summary
from transformers import GenerationConfig

from helpers import generate, load_model

PROMPT = "Finn writes code"


def run(quick: bool) -> dict[str, Any]:
    lm = load_model()
    new_tokens = 4 if quick else 32
    inputs = lm.tokenizer(PROMPT, return_tensors="pt")
    config = GenerationConfig(max_new_tokens=new_tokens, do_sample=False, output_scores=True, output_logits=True,
                              return_dict_in_generate=True, pad_token_id=lm.tokenizer.pad_token_id,
                              eos_token_id=lm.model.generation_config.eos_token_id)

    def bare() -> list[int]:
        with torch.inference_mode():
            outputs = lm.model.generate(**inputs, generation_config=config)
            lm.model.compute_transition_scores(outputs.sequences, outputs.scores, normalize_logits=True)
        return outputs.sequences[0, inputs["input_ids"].shape[1]:].tolist()

    def helpers_generate() -> list[int]:
        return generate(lm, PROMPT, max_new_tokens=new_tokens, top_alternatives=5).token_ids

    # The two sides must do the same work: same tokens, or the ratio means nothing.
    generated = helpers_generate()
    if generated != bare()[: len(generated)]:
        raise AssertionError("helpers.generate and bare generate chose different tokens")
    ours, theirs = interleaved(helpers_generate, bare, repeats=1 if quick else 15)
    return ratio_summary(ours, theirs, goal="<= 1.05", target=1.05, higher_is_better=False,
                         new_tokens=len(generated))
