"""Seeds, determinism and fingerprints: can a run be repeated, and on what exactly did it run?

Hosted APIs offer a ``seed`` and report a ``system_fingerprint``; locally the same questions are
answered by running generation again and comparing, and by :class:`helpers.model.Fingerprint`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from helpers.generation import generate
from helpers.model import LoadedModel


def determinism_runs(
    lm: LoadedModel,
    prompt: str,
    *,
    seed: int = 42,
    other_seeds: Sequence[int] = (7, 2024),
    max_new_tokens: int = 12,
    **sampling: Any,
) -> pd.DataFrame:
    """Run greedy twice, sampling with ``seed`` twice and with each other seed once; compare.

    One row per run: strategy, seed, continuation, joint log-prob, and whether its tokens equal
    those of the first run with the same strategy (greedy run 1, or the sample with ``seed``).
    """
    plan = [("greedy", None), ("greedy", None), ("sample", seed), ("sample", seed)]
    plan += [("sample", other) for other in other_seeds]
    rows = []
    first: dict[str, list[int]] = {}
    for strategy, run_seed in plan:
        options = sampling if strategy == "sample" else {}
        generation = generate(lm, prompt, strategy=strategy, seed=run_seed, max_new_tokens=max_new_tokens,
                              **options)
        rows.append({
            "strategy": strategy,
            "seed": "none" if run_seed is None else str(run_seed),
            "continuation": generation.text.replace("\n", "\\n"),
            "joint_logprob": generation.joint_logprob,
            "same_tokens_as_first": generation.token_ids == first.setdefault(strategy, generation.token_ids),
        })
    return pd.DataFrame(rows)


def fingerprint_frame(lm: LoadedModel) -> pd.DataFrame:
    """The fingerprint and everything it was computed from, one row per item."""
    details = {"fingerprint": lm.fingerprint.short, **lm.fingerprint.details}
    return pd.DataFrame({"item": list(details), "value": [_shorten(str(v)) for v in details.values()]})


def _shorten(value: str) -> str:
    return value[:16] + "…" if len(value) == 64 and all(c in "0123456789abcdef" for c in value) else value
