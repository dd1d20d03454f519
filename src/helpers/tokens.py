"""Tokens as text and bytes: what an id decodes to, and how a text splits into tokens.

Byte-level tokenizers (GPT-2, LLaMA 3, SmolLM2) can split one UTF-8 character over several tokens;
such a token decodes to a replacement character, so its bytes are kept too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from helpers.escape import control_visible

if TYPE_CHECKING:
    from helpers.model import LoadedModel

# A no-break space would look like nothing at all in a table cell or a heat map.
_VISIBLE_WHITESPACE = {" ": "␣", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\xa0": "\\xa0"}


def visible(text: str, raw: bytes | None = None) -> str:
    """Token text with whitespace made visible; bytes that are not valid UTF-8 shown as ``\\xNN``."""
    if raw is not None:
        text = raw.decode("utf-8", errors="backslashreplace")
    return control_visible("".join(_VISIBLE_WHITESPACE.get(char, char) for char in text))


Decoder = Callable[[list[int]], dict[int, tuple[str, bytes]]]


def decode_tokens(tokenizer: Any, ids: list[int]) -> dict[int, tuple[str, bytes]]:
    """Each id's decoded text and raw bytes (bytes matter for tokens that split a UTF-8 character)."""
    texts = tokenizer.batch_decode([[i] for i in ids], clean_up_tokenization_spaces=False)
    return {i: (text, token_bytes(tokenizer, i, text)) for i, text in zip(ids, texts, strict=True)}


@cache
def _byte_decoder() -> dict[str, int]:
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    return {char: byte for byte, char in bytes_to_unicode().items()}


def token_bytes(tokenizer: Any, token_id: int, text: str) -> bytes:
    """The bytes a token stands for; differs from ``text`` only when decoding had to replace bytes."""
    if "\ufffd" not in text:
        return text.encode()
    piece = tokenizer.convert_ids_to_tokens(token_id)
    if match := re.fullmatch(r"<0x([0-9A-Fa-f]{2})>", piece):  # SentencePiece byte fallback
        return bytes([int(match[1], 16)])
    decoder = _byte_decoder()
    if all(char in decoder for char in piece):  # byte-level BPE (GPT-2, LLaMA 3, SmolLM2)
        return bytes(decoder[char] for char in piece)
    return text.encode()


def context_ids(tokenizer: Any, prompt: str) -> list[int]:
    """What the model reads before a scored text: the prompt (with the tokenizer's special tokens, as
    ``generate`` reads it), or without one the beginning-of-text token, so the text's first token is
    predicted too."""
    if prompt:
        return list(tokenizer(prompt)["input_ids"])
    return [tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id]


def token_breakdown(lm: LoadedModel, texts: Sequence[str]) -> pd.DataFrame:
    """How each text splits into tokens: ids and their visible strings, one row per text."""
    rows = []
    for text in texts:
        ids = lm.tokenizer(text, add_special_tokens=False)["input_ids"]
        pieces = decode_tokens(lm.tokenizer, ids)
        rows.append({
            "text": visible(text),
            "token_ids": " ".join(map(str, ids)),
            "tokens": " | ".join(visible(*pieces[i]) for i in ids),
            "count": len(ids),
        })
    return pd.DataFrame(rows)
