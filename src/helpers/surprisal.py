"""Where each token sits in the text, word-level surprisal, and GLTR's rank buckets.

Surprisal is the negative log-probability of what came: ``-log2 p`` bits (``base=2``) or
``-ln p`` nats (``base=math.e``). Every token is scored given everything before it: the prompt,
and for ``score(text)`` without a prompt the model's beginning-of-text token, so the first token
of the text is scored too (an API backend cannot score a first token without a prompt).

**Token offsets.** The text is the tokens' bytes decoded as UTF-8, token by token, with an
incremental decoder: a character whose bytes are split over several tokens (byte-level
tokenizers do that to emoji and CJK) belongs to the token that completes it; the tokens before it
get an empty piece. So ``"".join(pieces) == text`` and each token has its character span.

**Words.** A token whose text starts with whitespace starts a new word; every other token,
punctuation included, continues the word before it, so ``" Python"`` ``","`` is the word
``"Python,"`` (the convention of reading-time studies, where punctuation belongs to the word it
follows). Whitespace-only tokens (``"\\n\\n"``) belong to the word that follows them, so the cost of
a line break is counted with the word after it (at the very end of the text, with the word before
it). A word's span excludes the whitespace around it, its surprisal is the sum of its tokens'
surprisals, and its probability the product of theirs.
"""

from __future__ import annotations

import codecs
import math
from dataclasses import dataclass

import pandas as pd

from helpers.core import Generation, TokenScore
from helpers.metrics import BUCKETS, rank_bucket, surprisal

__all__ = ["BUCKETS", "TokenSpan", "bucket_shares", "most_surprising_words", "rank_bucket", "rank_label",
           "surprisal", "token_spans", "word_scores"]


@dataclass(frozen=True)
class TokenSpan:
    """A token's piece of the text and its character span ``text[start:end]``."""

    piece: str
    start: int
    end: int


def token_spans(generation: Generation) -> list[TokenSpan]:
    """Each token's piece of the continuation (or scored text) and its character span."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    spans: list[TokenSpan] = []
    position = 0
    for index, token in enumerate(generation.tokens):
        piece = decoder.decode(token.raw, final=index == len(generation.tokens) - 1)
        spans.append(TokenSpan(piece, position, position + len(piece)))
        position += len(piece)
    return spans


def rank_label(token: TokenScore) -> str:
    """A token's rank as a reader should see it: ``"3"``, or ``"beyond top 5"`` when unknown."""
    if token.rank is not None:
        return str(token.rank)
    return f"beyond top {len(token.alternatives)}" if token.alternatives else "unknown"


def bucket_shares(generation: Generation) -> pd.Series:
    """The share of tokens in each GLTR bucket (plus ``"unknown"`` where the rank cannot be known)."""
    counts = pd.Series(0, index=[*BUCKETS, "unknown"], dtype=float)
    for token in generation.tokens:
        counts[rank_bucket(token) or "unknown"] += 1
    total = counts.sum()
    shares = counts / total if total else counts
    return shares if shares["unknown"] else shares.drop("unknown")


def word_scores(generation: Generation, base: float = 2) -> pd.DataFrame:
    """One row per word (see the module docstring for the rule): word, start, end, tokens, surprisal,
    probability. ``base=2`` gives bits, ``base=math.e`` nats."""
    if not (isinstance(base, int | float) and base > 1):
        raise ValueError(f"base must be a number > 1 (2 for bits, math.e for nats), got {base!r}.")
    spans = token_spans(generation)
    groups: list[list[int]] = []
    for index, span in enumerate(spans):
        current_has_text = bool(groups) and any(spans[i].piece.strip() for i in groups[-1])
        if not groups or (span.piece[:1].isspace() and current_has_text):
            groups.append([index])
        else:
            groups[-1].append(index)
    if len(groups) > 1 and not any(spans[i].piece.strip() for i in groups[-1]):
        trailing = groups.pop()
        groups[-1] += trailing  # trailing whitespace: with the last word
    rows = []
    text = "".join(span.piece for span in spans)
    for group in groups:
        start, end = spans[group[0]].start, spans[group[-1]].end
        word = text[start:end]
        start += len(word) - len(word.lstrip())
        end -= len(word) - len(word.rstrip()) if word.strip() else 0
        logprob = math.fsum(generation.tokens[i].logprob for i in group)
        rows.append({"word": text[start:end], "start": start, "end": end,
                     "tokens": [spans[i].piece for i in group],
                     "surprisal": surprisal(logprob, base), "probability": math.exp(logprob)})
    return pd.DataFrame(rows, columns=["word", "start", "end", "tokens", "surprisal", "probability"])


def most_surprising_words(generation: Generation, count: int = 10, base: float = 2) -> pd.DataFrame:
    """The ``count`` words with the highest surprisal, most surprising first, for a report table."""
    words = word_scores(generation, base)
    words = words[words["word"] != ""]
    top = words.sort_values("surprisal", ascending=False, kind="stable").head(count)
    return pd.DataFrame({"word": top["word"], "surprisal_bits": top["surprisal"], "probability": top["probability"],
                         "tokens": [" | ".join(pieces) for pieces in top["tokens"]]}).reset_index(drop=True)
