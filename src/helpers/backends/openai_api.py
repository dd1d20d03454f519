"""The OpenAI-compatible backend: any server that speaks the OpenAI API (OpenAI, vLLM, TGI,
llama.cpp's server, Ollama), through the official ``openai`` client.

``endpoint="completions"`` (the default) continues the prompt as raw text, like the local
backends, and can score text (``echo``); ``endpoint="chat"`` sends the prompt as a user message.
APIs return token text and the log-probs of the top-N alternatives only: token ids, entropy and
the sampling distribution are missing and reported as such (NaN, "n/a"), never invented.

The API key is read from the environment (``OPENAI_API_KEY`` or the variable named by
``api_key_env``) and never stored in a result, a fingerprint or a repr.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from helpers.backends.base import INSTALL_HINT, BackendError
from helpers.core import (
    Alternative,
    Fingerprint,
    Generation,
    TokenScore,
    check_top_alternatives,
    fingerprint_from,
    validate_request,
)

MISSING = {
    "token": "ids are not returned by the API",
    "sampling_logprob": "the API returns the model's log-probs, not the sampling distribution's",
    "rank": "known only inside the returned top-N",
    "entropy": "needs the whole vocabulary; the API returns the top-N only",
}
ENDPOINTS = ("completions", "chat")


class BackendUnreachable(BackendError):
    """No answer in time, or no connection: the server is not there (as opposed to answering badly)."""


class OpenAIBackend:
    """Generate (and, on the completions endpoint, score) through an OpenAI-compatible server."""

    kind = "openai"

    def __init__(self, base_url: str | None = None, model: str | None = None, *, api_key_env: str = "OPENAI_API_KEY",
                 endpoint: str = "completions", timeout: float = 60.0, max_retries: int = 2) -> None:
        try:
            import openai
        except ImportError:
            raise BackendError(f"The openai backend needs the openai package: {INSTALL_HINT}.") from None
        if endpoint not in ENDPOINTS:
            raise ValueError(f"Unknown endpoint {endpoint!r}; choose one of: {', '.join(ENDPOINTS)}.")
        key = os.environ.get(api_key_env)
        if not key and base_url is None:
            raise BackendError(f"openai backend: no API key. Set the environment variable {api_key_env}, "
                               "or pass base_url= for a local server that needs none.")
        if not isinstance(timeout, int | float) or isinstance(timeout, bool) or not 0 < timeout < math.inf:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}.")
        self._openai = openai
        # Local servers accept any key; the client insists on one. Retries are done here, inside one
        # deadline per call, so that "no answer within N s" is true (the client's own retries would
        # each wait the whole timeout again).
        self._client = openai.OpenAI(base_url=base_url, api_key=key or "no-key", timeout=timeout, max_retries=0)
        self.base_url = redact_url(str(self._client.base_url).rstrip("/"))
        self.endpoint = endpoint
        self.max_retries = max_retries
        self.timeout = timeout
        self.model = model or self._first_served_model()
        self.name = self.model
        self._check_model_served()

    def __repr__(self) -> str:
        return f"OpenAIBackend(base_url={self.base_url!r}, model={self.model!r}, endpoint={self.endpoint!r})"

    def fingerprint(self, system_fingerprint: str | None = None) -> Fingerprint:
        return fingerprint_from({"model": self.model, "backend": "openai", "base_url": self.base_url,
                                 "endpoint": self.endpoint, "system_fingerprint": system_fingerprint or "none"})

    def describe(self) -> list[tuple[str, str]]:
        """What a provenance panel says about this backend: the server decides weights and precision."""
        return [("Model", self.model), ("Weights", "not visible through the API (see each result's "
                                                   "system_fingerprint)"),
                ("Fingerprint", self.fingerprint().short),
                ("Backend", f"OpenAI-compatible server at {self.base_url}, {self.endpoint} endpoint"),
                ("Engine", f"openai {self._openai.__version__} client; the server's own software"),
                ("Precision and device", "chosen by the server")]

    def _first_served_model(self) -> str:
        models = self._call(lambda client: client.models.list().data)
        if not models:
            raise BackendError(f"openai backend: the server at {self.base_url} serves no models; pass model=.")
        return models[0].id

    def _check_model_served(self) -> None:
        """Fail early on a model name the server does not list (some servers would answer anyway)."""
        try:
            served = [m.id for m in self._call(lambda client: client.models.list().data)]
        except BackendUnreachable:
            raise
        except BackendError:
            return  # a server without a working /models list: nothing to check against
        if served and self.model not in served:
            raise BackendError(f"openai backend at {self.base_url}: model {self.model!r} is not served here. "
                               f"Served: {', '.join(served)}. Pass model= one of them.")

    def _call(self, request: Callable[[Any], Any]) -> Any:
        """Run one API request within ``timeout`` seconds in all, retrying rate limits and server errors
        with backoff inside that time; turn the client's exceptions into one clear BackendError."""
        deadline = time.monotonic() + self.timeout
        for attempt in range(self.max_retries + 1):
            remaining = deadline - time.monotonic()
            try:
                return self._attempt(request, max(remaining, 0.001))
            except (self._openai.RateLimitError, self._openai.InternalServerError):
                pause = min(0.5 * 2**attempt, deadline - time.monotonic())
                if attempt == self.max_retries or pause <= 0:
                    return self._attempt(request, max(deadline - time.monotonic(), 0.001), final=True)
                time.sleep(pause)
        raise AssertionError("unreachable")

    def _attempt(self, request: Callable[[Any], Any], timeout: float, final: bool = False) -> Any:
        openai = self._openai
        where = f"openai backend at {self.base_url}"
        try:
            answer = request(self._client.with_options(timeout=timeout))
            if isinstance(answer, str | bytes):  # the client hands back a body it could not read as JSON
                raise ValueError("a text body")
            return answer
        except (openai.RateLimitError, openai.InternalServerError):
            if not final:
                raise
            raise BackendError(f"{where}: rate limited or failing (tried {self.max_retries + 1} times within "
                               f"{self.timeout:g} s). Wait and render again, or lower the request rate.") from None
        except openai.APITimeoutError:
            raise BackendUnreachable(f"{where}: no answer within {self.timeout:g} s. The server may be busy; retry "
                                     "later or pass a larger timeout=.") from None
        except (openai.APIResponseValidationError, ValueError, AttributeError, TypeError) as error:
            raise BackendError(f"{where}: the answer is not the OpenAI API's JSON ({type(error).__name__}). Is "
                               "base_url the API's address (it usually ends in /v1)?") from None
        except openai.APIConnectionError as error:
            cause = error.__cause__ or error
            raise BackendUnreachable(f"{where}: cannot connect ({type(cause).__name__}). Is the server running, "
                                     "and is base_url right (it usually ends in /v1)?") from None
        except openai.AuthenticationError:
            raise BackendError(f"{where}: the API key was refused. Set a valid key in the environment variable "
                               "named by api_key_env (OPENAI_API_KEY by default).") from None
        except openai.NotFoundError:
            served = self._served_models()
            raise BackendError(f"{where}: model {getattr(self, 'model', None)!r} is not served here. "
                               f"Served: {', '.join(served) or 'unknown'}. Pass model= one of them.") from None
        except openai.APIStatusError as error:
            raise BackendError(f"{where}: the server answered {error.status_code}: {_message(error)}") from None

    def _served_models(self) -> list[str]:
        """The served model names for an error message; a short wait, and nothing if it fails."""
        try:
            return [m.id for m in self._client.with_options(timeout=min(5.0, self.timeout)).models.list().data]
        except (self._openai.OpenAIError, ValueError, AttributeError, TypeError):
            return []

    def generate(self, prompt: str | Sequence[str], **options: Any) -> Generation | list[Generation]:
        """Same arguments and result as :func:`helpers.generation.generate`; one request per prompt."""
        request = validate_request(prompt, backend=self.kind, **options)
        sampling: dict[str, Any] = {"temperature": 0.0}  # greedy
        if request.strategy == "sample":
            chosen = request.strategy_kwargs
            sampling = {"temperature": chosen["temperature"], "top_p": chosen["top_p"]}
            if chosen["top_k"]:
                sampling["extra_body"] = {"top_k": chosen["top_k"]}  # vLLM, llama.cpp, TGI extension
        settings = request.settings(backend=self.kind, endpoint=self.endpoint)
        return request.unwrap([self._generate_one(text, request.max_new_tokens, request.seed,
                                                  request.top_alternatives, sampling, settings)
                               for text in request.prompts])

    def _generate_one(self, prompt: str, max_new_tokens: int, seed: int | None, top_alternatives: int,
                      sampling: dict[str, Any], settings: dict[str, Any]) -> Generation:
        if self.endpoint == "chat":
            response = self._call(lambda client: client.chat.completions.create(
                model=self.model, messages=[{"role": "user", "content": prompt}], max_tokens=max_new_tokens,
                seed=seed, logprobs=True, top_logprobs=top_alternatives, **sampling))
            choice = response.choices[0]
            content = choice.logprobs.content if choice.logprobs else None
            self._require_logprobs(content)
            tokens = [_token(t.token, t.bytes, t.logprob,
                             [(a.token, a.bytes, a.logprob) for a in (t.top_logprobs or [])])
                      for t in content]
            text = choice.message.content or ""
        else:
            response = self._call(lambda client: client.completions.create(
                model=self.model, prompt=prompt, max_tokens=max_new_tokens, seed=seed, logprobs=top_alternatives,
                **sampling))
            choice = response.choices[0]
            self._require_logprobs(choice.logprobs and choice.logprobs.tokens)
            tokens = _completion_tokens(choice.logprobs, 0, len(choice.logprobs.tokens))
            text = choice.text
        return self._result(prompt, text, tokens, settings, response.system_fingerprint)

    def score(self, text: str | Sequence[int], *, prompt: str = "", top_alternatives: int = 5) -> Generation:
        """Log-probs of ``text`` after ``prompt`` via the legacy completions ``echo`` (no generation).

        The numbers are the server's. llama-cpp-python's server (0.3.x) pairs each echoed token
        with the distribution that *follows* it (its issue #1983), so its echo log-probs are off by
        one position; OpenAI's and vLLM's follow the API. For local text scoring use the
        transformers or llamacpp backend.
        """
        check_top_alternatives(top_alternatives)
        if not isinstance(text, str) or not text:
            raise ValueError("The openai backend scores text (a non-empty string), not token ids.")
        if self.endpoint != "completions":
            raise BackendError("Scoring needs the completions endpoint (echo=True); chat APIs cannot score text.")
        # max_tokens=1: some servers read 0 as "no limit"; the one generated token is dropped below.
        response = self._call(lambda client: client.completions.create(
            model=self.model, prompt=prompt + text, max_tokens=1, echo=True, logprobs=top_alternatives,
            temperature=0.0))
        logprobs = response.choices[0].logprobs
        self._require_logprobs(logprobs and logprobs.tokens)
        offsets = logprobs.text_offset
        start = next((i for i, offset in enumerate(offsets) if offset >= len(prompt)), len(offsets))
        end = next((i for i, offset in enumerate(offsets) if offset >= len(prompt + text)), len(offsets))
        if start == 0 or any(lp is None for lp in logprobs.token_logprobs[start:end]):
            raise BackendError(f"openai backend at {self.base_url}: the server did not score the first token; "
                               "give a prompt to condition on.")
        tokens = _completion_tokens(logprobs, start, end)
        settings = {"strategy": "score", "top_alternatives": top_alternatives, "backend": self.kind}
        return self._result(prompt, text, tokens, settings, response.system_fingerprint)

    def _require_logprobs(self, present: Any) -> None:
        if not present:
            raise BackendError(f"openai backend at {self.base_url}: the server returned no logprobs for model "
                               f"{self.model!r}. It may not support them on the {self.endpoint} endpoint; try "
                               f"endpoint={'chat' if self.endpoint == 'completions' else 'completions'!r} or "
                               "another server.")

    def _result(self, prompt: str, text: str, tokens: list[TokenScore], settings: dict[str, Any],
                system_fingerprint: str | None) -> Generation:
        settings = {**settings, "system_fingerprint": system_fingerprint}
        fingerprint = system_fingerprint or self.fingerprint(system_fingerprint).short
        return Generation(prompt, text, tuple(tokens), self.model, fingerprint, settings, missing=dict(MISSING))


def _completion_tokens(logprobs: Any, start: int, end: int) -> list[TokenScore]:
    top = logprobs.top_logprobs or [None] * len(logprobs.tokens)
    return [_token(logprobs.tokens[i], None, logprobs.token_logprobs[i],
                   [(t, None, lp) for t, lp in (top[i] or {}).items()]) for i in range(start, end)]


def _token(text: str, raw: Sequence[int] | None, logprob: float,
           alternatives: list[tuple[str, Sequence[int] | None, float]]) -> TokenScore:
    as_bytes = bytes(raw) if raw is not None else text.encode("utf-8")
    ranked = sorted(alternatives, key=lambda a: -a[2])
    listed = tuple(Alternative(None, t, bytes(b) if b is not None else t.encode("utf-8"), lp) for t, b, lp in ranked)
    rank = next((i + 1 for i, a in enumerate(listed) if a.raw == as_bytes), None)
    return TokenScore(None, text, as_bytes, logprob, sampling_logprob=math.nan, rank=rank, entropy=math.nan,
                      alternatives=listed)


def redact_url(url: str) -> str:
    """``https://user:secret@host/v1`` as ``https://***@host/v1``: credentials never reach a repr,
    an error, a report or a fingerprint."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"***@{host}"))


def _message(error: Any) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        return str(body.get("message") or body.get("error") or body)[:300]
    return str(error)[:300]
