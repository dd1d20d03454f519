"""The llama.cpp backend: llama-cpp-python running a GGUF file in-process (the bundled SmolLM2 by default).

llama.cpp returns the logits of every evaluated position, so this backend gives every figure the
transformers backend gives (rank, entropy, alternatives), computed by the same shared code from
llama.cpp's logits. Tokens are chosen here: greedy takes the arg-max, sampling applies the same
temperature/top-k/top-p warpers as transformers and draws with a seeded torch generator.
Beam search is transformers-only.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import torch

from helpers.backends.base import INSTALL_HINT, BackendError
from helpers.backends.llama_runtime import load_llama
from helpers.core import (
    Fingerprint,
    Generation,
    check_context,
    check_token_ids,
    check_top_alternatives,
    fingerprint_from,
    validate_request,
)
from helpers.generation import token_scores_from_logits
from helpers.model import bundled_gguf_path, file_sha256
from helpers.sampling import sampling_warpers

F32 = 0  # GGML_TYPE_F32


class LlamaCppBackend:
    """Generate and score with llama.cpp on a GGUF file."""

    kind = "llamacpp"

    def __init__(self, model_path: str | Path | None = None, *, n_ctx: int = 1024, n_threads: int | None = None,
                 name: str | None = None) -> None:
        try:
            import llama_cpp  # noqa: F401
        except ImportError:
            raise BackendError(f"The llamacpp backend needs llama-cpp-python: {INSTALL_HINT}.") from None
        path = Path(model_path) if model_path else bundled_gguf_path()
        if not path.is_file():
            raise BackendError(f"llamacpp backend: no GGUF file at {path}. Pass model_path= a .gguf file.")
        self.path = path
        self.name = name or ("smollm2-135m" if model_path is None else path.stem)
        with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink):
            # logits_all keeps every position's logits: scoring and log-probs need them. A float32
            # KV cache (llama.cpp's default is f16) halves the gap to transformers' log-probs.
            # load_llama skips llama.cpp's AMX weight repack, which crashes (see llama_runtime).
            self.llm = load_llama(path, n_ctx=n_ctx, logits_all=True, verbose=False, type_k=F32, type_v=F32,
                                  n_threads=n_threads or max(1, os.cpu_count() or 1))
        self.fingerprint: Fingerprint = fingerprint_from({
            "model": self.name,
            "backend": "llama.cpp",
            "weights_sha256": file_sha256(path),
            "weight_files": path.name,
            "llama_cpp_python": version("llama-cpp-python"),
            "n_ctx": str(n_ctx),
        })

    def describe(self) -> list[tuple[str, str]]:
        """What a provenance panel says about this backend (see ``helpers.provenance``)."""
        details = self.fingerprint.details
        return [("Model", self.name), (f"Weights: {self.path.name}", f"sha256 {details['weights_sha256']}"),
                ("Fingerprint", self.fingerprint.short), ("Backend", "llama.cpp, on this machine"),
                ("Engine", f"llama-cpp-python {details['llama_cpp_python']} (context {details['n_ctx']} tokens)"),
                ("Precision and device", "the GGUF's own quantisation, float32 KV cache, on the CPU")]

    @property
    def context_length(self) -> int:
        return int(self.llm.n_ctx())

    def tokenize(self, text: str) -> list[int]:
        return self.llm.tokenize(text.encode("utf-8"), add_bos=True, special=False)

    def _decode(self, ids: list[int]) -> dict[int, tuple[str, bytes]]:
        pieces = {i: self.llm.detokenize([i], special=True) for i in ids}
        return {i: (raw.decode("utf-8", errors="replace"), raw) for i, raw in pieces.items()}

    def _logits_after(self, ids: list[int]) -> np.ndarray:
        """Evaluate ``ids`` from an empty context; one row of logits per position."""
        self.llm.reset()
        self.llm.eval(ids)
        return np.array(self.llm.scores[: self.llm.n_tokens], dtype=np.float32)

    def generate(self, prompt: str | Sequence[str], **options: Any) -> Generation | list[Generation]:
        """Same arguments and result as :func:`helpers.generation.generate`; prompts run one by one."""
        request = validate_request(prompt, backend=self.kind, **options)
        check_top_alternatives(request.top_alternatives, int(self.llm.n_vocab()))
        warpers = sampling_warpers(request.strategy_kwargs) if request.strategy == "sample" else None
        generator = torch.Generator().manual_seed(request.seed) if request.seed is not None else None
        settings = request.settings(backend=self.kind)
        return request.unwrap([self._generate_one(text, request.max_new_tokens, warpers, generator,
                                                  request.top_alternatives, settings) for text in request.prompts])

    def _generate_one(self, prompt: str, max_new_tokens: int, warpers: Any, generator: torch.Generator | None,
                      top_alternatives: int, settings: dict[str, Any]) -> Generation:
        ids = self.tokenize(prompt)
        check_context(self.name, self.context_length, len(ids), max_new_tokens)
        self.llm.reset()
        self.llm.eval(ids)
        chosen, raw_rows, processed_rows = [], [], []
        for _ in range(max_new_tokens):
            logits = torch.from_numpy(np.array(self.llm.scores[self.llm.n_tokens - 1], dtype=np.float32))
            processed = warpers(torch.tensor([ids + chosen]), logits[None].clone())[0] if warpers else logits
            if warpers:
                token = int(torch.multinomial(torch.softmax(processed, dim=-1), 1, generator=generator))
            else:
                token = int(logits.argmax())
            chosen.append(token)
            raw_rows.append(logits)
            processed_rows.append(processed)
            if token == self.llm.token_eos():
                break
            self.llm.eval([token])
        tokens = token_scores_from_logits(torch.tensor(chosen), torch.stack(raw_rows), torch.stack(processed_rows),
                                          top_alternatives, self._decode)
        return self._result(prompt, tokens, settings)

    def score(self, text: str | Sequence[int], *, prompt: str = "", top_alternatives: int = 5) -> Generation:
        """Same as :func:`helpers.generation.score`: one evaluation of prompt + text."""
        check_top_alternatives(top_alternatives, int(self.llm.n_vocab()))
        if isinstance(text, str):
            if not text:
                raise ValueError("text to score must not be empty.")
            text_ids = self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)
        else:
            text_ids = check_token_ids(text, int(self.llm.n_vocab()))
        prompt_ids = self.tokenize(prompt) if prompt else [self.llm.token_bos()]
        check_context(self.name, self.context_length, len(prompt_ids), len(text_ids))
        logits = torch.from_numpy(self._logits_after(prompt_ids + text_ids))
        rows = logits[len(prompt_ids) - 1 : len(prompt_ids) - 1 + len(text_ids)]
        tokens = token_scores_from_logits(torch.tensor(text_ids), rows, rows, top_alternatives, self._decode)
        return self._result(prompt, tokens, {"strategy": "score", "top_alternatives": top_alternatives,
                                             "backend": self.kind})

    def _result(self, prompt: str, tokens: list, settings: dict[str, Any]) -> Generation:
        text = self.llm.detokenize([t.id for t in tokens]).decode("utf-8", errors="replace")
        return Generation(prompt, text, tuple(tokens), self.name, self.fingerprint.short, settings)
