"""batch_speedup: 32 different prompts, 16 new tokens each, one by one against one batch.

The results must be the same (tokens equal, log-probs within 1e-4). Goal: at least 4.
"""

from __future__ import annotations

from typing import Any

from common import interleaved, ratio_summary

from helpers import generate, load_model

SUBJECTS = ["Finn", "The cat", "My teacher", "A robot", "The river", "Our team", "The old man", "A student"]
ACTIONS = ["writes", "likes", "found", "will build"]


def prompts(count: int) -> list[str]:
    return [f"{subject} {action}" for action in ACTIONS for subject in SUBJECTS][:count]


def run(quick: bool) -> dict[str, Any]:
    lm = load_model()
    batch = prompts(4 if quick else 32)
    new_tokens = 4 if quick else 16

    def one_by_one() -> list:
        return [generate(lm, prompt, max_new_tokens=new_tokens) for prompt in batch]

    def batched() -> list:
        return generate(lm, batch, max_new_tokens=new_tokens)

    singles, together = one_by_one(), batched()
    worst = 0.0
    for single, batch_result in zip(singles, together, strict=True):
        if single.token_ids != batch_result.token_ids:
            raise AssertionError(f"batched result differs for {single.prompt!r}")
        worst = max([worst, *(abs(a.logprob - b.logprob) for a, b in zip(single.tokens, batch_result.tokens,
                                                                          strict=True))])
    if worst > 1e-4:
        raise AssertionError(f"batched log-probs differ by {worst}")
    slow, fast = interleaved(one_by_one, batched, repeats=1 if quick else 3, warmup=False)
    return ratio_summary(slow, fast, goal=">= 4", target=4, higher_is_better=True, prompts=len(batch),
                         new_tokens=new_tokens, max_abs_logprob_difference=worst)
