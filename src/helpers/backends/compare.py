"""Line two backends' results up token by token: where they agree, by how much their numbers differ,
and whether a place where they chose differently was a near-tie (a legitimate coin flip) or not.

Two independent implementations computing the same numbers is the strongest evidence that the
numbers are right; llama.cpp quantises activations, so its log-probs differ slightly from
transformers' even on the same weights, and a near-tie may tip the other way.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from helpers.core import Generation, TokenScore
from helpers.tables import MarkdownText, frame_table, visible

TIE_NATS = 0.3


def _logprob_of(token: TokenScore, step: TokenScore) -> float:
    """The log-prob ``step`` gave to ``token`` (the chosen token or one of its alternatives)."""
    for candidate in (step, *step.alternatives):
        if token.same_token(candidate):
            return candidate.logprob
    return math.nan


def compare_generations(reference: Generation, other: Generation, *, tie_nats: float = TIE_NATS) -> pd.DataFrame:
    """One row per step: both tokens and log-probs, their difference, and the step's status.

    Status is ``same`` while both chose the same token, ``near tie`` at a first divergence where the
    two candidates are within ``tie_nats`` of each other in both backends, ``diverged`` at any
    other first divergence, and ``after divergence`` once the two continuations differ.
    """
    rows = []
    diverged = False
    for step, (a, b) in enumerate(zip(reference.tokens, other.tokens, strict=False), start=1):
        same = not diverged and a.same_token(b)
        if same:
            status = "same"
        elif diverged:
            status = "after divergence"
        else:
            gaps = [abs(a.logprob - _logprob_of(b, a)), abs(b.logprob - _logprob_of(a, b))]
            status = "near tie" if all(gap <= tie_nats for gap in gaps) else "diverged"
            diverged = True
        rows.append({
            "step": step,
            "token_a": visible(a.text, a.raw),
            "token_b": visible(b.text, b.raw),
            "logprob_a": a.logprob,
            "logprob_b": b.logprob,
            "difference": b.logprob - a.logprob if same else math.nan,
            "status": status,
        })
    return pd.DataFrame(rows)


def largest_difference(comparison: pd.DataFrame) -> float:
    """The largest |log-prob difference| over the steps where both backends chose the same token."""
    shared = comparison.loc[comparison["status"] == "same", "difference"].abs()
    return float(shared.max()) if len(shared) else math.nan


def compare_backends(
    prompt: str,
    *,
    model: str = "smollm2-135m",
    max_new_tokens: int = 5,
    base_url: str | None = None,
    api_model: str | None = None,
    endpoint: str = "completions",
) -> list[Any]:
    """Display items for a report: the same greedy prompt through transformers and llama.cpp (and
    an OpenAI-compatible server when ``base_url`` is given), each compared with transformers.

    Where a backend is not installed, the item says how to add it instead.
    """
    from helpers.backends import INSTALL_HINT, backend_available, report_backend

    reference = report_backend("transformers", model=model).generate(prompt, max_new_tokens=max_new_tokens)
    items: list[Any] = []
    others = [("llamacpp", "llama.cpp")] + ([("openai", f"server at {base_url}")] if base_url else [])
    for kind, label in others:
        if not backend_available(kind):
            items.append(MarkdownText(f"*The {kind} backend is not installed: `{INSTALL_HINT}`.*"))
            continue
        backend = report_backend(kind, model=model, base_url=base_url, api_model=api_model, endpoint=endpoint)
        comparison = compare_generations(reference, backend.generate(prompt, max_new_tokens=max_new_tokens))
        comparison = comparison.rename(columns={
            "token_a": "transformers", "token_b": kind,
            "logprob_a": "log-prob (transformers)", "logprob_b": f"log-prob ({kind})"})
        largest = largest_difference(comparison)
        items.append(frame_table(comparison, decimals=4, caption=(
            f"transformers vs {label}: largest |difference| where both chose the same token = {largest:.4f} nats")))
    return items
