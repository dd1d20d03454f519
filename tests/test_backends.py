"""The three backends against each other and against real servers (no mocks)."""

from __future__ import annotations

import http.server
import json
import math
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from helpers import generate, score
from helpers.backends import BackendError, load_backend, report_backend
from helpers.backends.compare import compare_generations, largest_difference
from helpers.backends.transformers_backend import TransformersBackend
from helpers.tables import percent, token_table

from .conftest import PROMPT, require_module

require_module("llama_cpp")
require_module("openai")

# One with a leading space, one with "\n\n", two non-English; greedy, 5 tokens.
CROSS_CHECK_PROMPTS = [PROMPT, " The weather today", "Question: what is 2+2?\n\n", "東京は", "Once upon a time"]
MAX_NATS = 0.15
TIE_NATS = 0.3


@pytest.fixture(scope="module")
def llamacpp():
    return load_backend("llamacpp")


@pytest.fixture
def api(llama_server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", llama_server.api_key)
    return load_backend("openai", base_url=llama_server.base_url, model=llama_server.model)


def test_registry_picks_backends_by_name(lm, llamacpp):
    transformers = load_backend("transformers")
    assert isinstance(transformers, TransformersBackend) and transformers.lm is lm
    assert llamacpp.kind == "llamacpp" and llamacpp.name == "smollm2-135m"
    with pytest.raises(ValueError, match="choose one of: transformers, llamacpp, openai"):
        load_backend("vllm")
    with pytest.raises(ValueError, match="needs base_url"):
        report_backend("openai")


@pytest.mark.parametrize("prompt", CROSS_CHECK_PROMPTS)
def test_transformers_and_llamacpp_agree_on_the_same_weights(lm, llamacpp, prompt):
    reference = generate(lm, prompt, max_new_tokens=5)
    other = llamacpp.generate(prompt, max_new_tokens=5)
    assert other.text and len(other.tokens) == 5
    comparison = compare_generations(reference, other, tie_nats=TIE_NATS)
    shared = comparison[comparison["status"] == "same"]
    assert (shared["difference"].abs() <= MAX_NATS).all(), comparison.to_string()
    # A divergence is only allowed at a near-tie: anything else fails.
    assert set(comparison["status"]) <= {"same", "near tie", "after divergence"}, comparison.to_string()
    # Teacher forcing covers every token, not just the shared prefix.
    scored = compare_generations(score(lm, reference.token_ids, prompt=prompt),
                                 llamacpp.score(reference.token_ids, prompt=prompt))
    assert (scored["status"] == "same").all()
    assert largest_difference(scored) <= MAX_NATS, scored.to_string()


def test_llamacpp_gives_every_figure_and_a_fingerprint(llamacpp):
    generation = llamacpp.generate(PROMPT, max_new_tokens=5, top_alternatives=4)
    assert generation.missing == {}
    for token in generation.tokens:
        assert token.id is not None and token.rank == 1 and token.entropy > 0
        assert len(token.alternatives) == 4 and token.alternatives[0].same_token(token)
        assert math.isclose(token.logprob, token.sampling_logprob, abs_tol=1e-6)
    assert generation.fingerprint == llamacpp.fingerprint.short
    assert llamacpp.fingerprint.details["weights_sha256"]


def test_llamacpp_sampling_repeats_with_a_seed_and_applies_top_k(llamacpp):
    first = llamacpp.generate(PROMPT, strategy="sample", seed=11, top_k=5, max_new_tokens=8)
    again = llamacpp.generate(PROMPT, strategy="sample", seed=11, top_k=5, max_new_tokens=8)
    assert first.token_ids == again.token_ids
    assert all(t.rank <= 5 and t.sampling_logprob > t.logprob for t in first.tokens)
    with pytest.raises(ValueError, match="only available with the transformers backend"):
        llamacpp.generate(PROMPT, strategy="beam", num_beams=2)
    with pytest.raises(ValueError, match="max_new_tokens"):
        llamacpp.generate(PROMPT, max_new_tokens=0)


def test_openai_backend_matches_llamacpp_in_process(api, llamacpp):
    served = api.generate(PROMPT, max_new_tokens=5, top_alternatives=5)
    local = llamacpp.generate(PROMPT, max_new_tokens=5)
    assert [t.raw for t in served.tokens] == [t.raw for t in local.tokens]
    assert served.text == local.text
    for remote, here in zip(served.tokens, local.tokens, strict=True):
        assert abs(remote.logprob - here.logprob) <= 1e-3
        assert len(remote.alternatives) == 5 and remote.rank == 1
        assert remote.id is None and math.isnan(remote.entropy)  # not returned by the API, not invented
    assert set(served.missing) == {"token", "sampling_logprob", "rank", "entropy"}
    table = token_table(served)
    assert "n/a" in table._repr_latex_() and "not returned" in table._repr_html_()


def test_the_openai_backend_runs_without_torch(llama_server, llamacpp):
    """Generate through the server with torch and transformers blocked; the tokens match llama.cpp's."""
    code = ("import sys, json; sys.modules['torch'] = None; sys.modules['transformers'] = None\n"
            "from helpers.backends import load_backend\n"
            "from helpers.tables import token_table\n"
            f"api = load_backend('openai', base_url={llama_server.base_url!r}, model={llama_server.model!r})\n"
            f"g = api.generate({PROMPT!r}, max_new_tokens=4)\n"
            "token_table(g)._repr_html_()\n"
            "print(json.dumps([t.text for t in g.tokens]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "OPENAI_API_KEY": llama_server.api_key})
    assert done.returncode == 0, done.stderr[-2000:]
    expected = [t.text for t in llamacpp.generate(PROMPT, max_new_tokens=4).tokens]
    assert json.loads(done.stdout) == expected


def test_openai_chat_returns_top_logprobs_and_honours_the_seed(api, llama_server):
    chat = load_backend("openai", base_url=llama_server.base_url, model=llama_server.model, endpoint="chat")
    first = chat.generate(PROMPT, strategy="sample", seed=21, max_new_tokens=10, top_alternatives=3)
    again = chat.generate(PROMPT, strategy="sample", seed=21, max_new_tokens=10, top_alternatives=3)
    assert first.text and first.text == again.text
    assert all(len(t.alternatives) >= 3 for t in first.tokens)  # the server adds the chosen token if sampled lower
    assert first.settings["seed"] == 21


def test_the_api_key_stays_out_of_results_and_reprs(api, llama_server):
    generation = api.generate(PROMPT, max_new_tokens=2)
    for text in (repr(api), repr(generation), str(generation.settings), generation.fingerprint,
                 str(api.fingerprint().details), token_table(generation)._repr_html_()):
        assert llama_server.api_key not in text


def test_a_closed_port_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-unused")
    from .conftest import _free_port

    url = f"http://127.0.0.1:{_free_port()}/v1"
    with pytest.raises(BackendError, match=r"cannot connect.*Is the server running") as raised:
        load_backend("openai", base_url=url, model="m", max_retries=0).generate(PROMPT)
    assert url in str(raised.value) and "openai backend" in str(raised.value)


def test_an_unknown_model_names_the_served_ones(llama_server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", llama_server.api_key)
    with pytest.raises(BackendError, match=r"model 'gpt-9-ultra' is not served here\. Served: smollm2-135m"):
        load_backend("openai", base_url=llama_server.base_url, model="gpt-9-ultra")


def test_a_wrong_key_is_refused_without_showing_it(llama_server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-key-123")
    backend = load_backend("openai", base_url=llama_server.base_url, model=llama_server.model)
    with pytest.raises(BackendError, match="API key was refused") as raised:
        backend.generate(PROMPT)
    assert "sk-wrong-key-123" not in str(raised.value)


class _ScriptedAPI(http.server.BaseHTTPRequestHandler):
    """A real HTTP server with the OpenAI completions shape, answering in the ways real ones fail."""

    mode = "no-logprobs"

    def do_GET(self) -> None:
        if self.server.mode == "html":
            self._send_html()
            return
        self._send(404, {"error": {"message": "no /models here"}})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.server.mode == "slow":
            time.sleep(2)
        if self.server.mode == "html":
            self._send_html()
            return
        if self.server.mode == "rate-limited":
            self._send(429, {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}})
            return
        self._send(200, {"id": "cmpl-1", "object": "text_completion", "created": 0, "model": "m",
                         "choices": [{"index": 0, "text": " in Python", "logprobs": None, "finish_reason": "length"}]})

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_html(self) -> None:
        data = b"<html><body>Welcome to nginx!</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def scripted_api(monkeypatch) -> Iterator[http.server.HTTPServer]:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-unused")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ScriptedAPI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _scripted(server: http.server.HTTPServer, mode: str, **options: object):
    server.mode = mode
    return load_backend("openai", base_url=f"http://127.0.0.1:{server.server_address[1]}/v1", model="m", **options)


def test_an_answer_without_logprobs_is_one_clear_error(scripted_api):
    with pytest.raises(BackendError, match="returned no logprobs for model 'm'"):
        _scripted(scripted_api, "no-logprobs").generate(PROMPT)


def test_rate_limits_are_retried_then_reported(scripted_api):
    with pytest.raises(BackendError, match=r"rate limited or failing \(tried 2 times within 60 s\)"):
        _scripted(scripted_api, "rate-limited", max_retries=1).generate(PROMPT)


def test_a_timeout_is_one_clear_error(scripted_api):
    with pytest.raises(BackendError, match=r"no answer within 0\.5 s"):
        _scripted(scripted_api, "slow", timeout=0.5, max_retries=0).generate(PROMPT)


def test_one_timeout_bounds_the_whole_call_retries_included(scripted_api):
    started = time.monotonic()
    with pytest.raises(BackendError, match=r"no answer within 1 s"):
        _scripted(scripted_api, "slow", timeout=1, max_retries=3).generate(PROMPT)
    assert time.monotonic() - started < 2.5  # load (a /models check) and one call: about twice the timeout


def test_an_answer_that_is_not_json_is_one_clear_error(scripted_api):
    with pytest.raises(BackendError, match="not the OpenAI API's JSON"):
        _scripted(scripted_api, "html").generate(PROMPT)


def test_credentials_in_the_base_url_are_redacted_everywhere(scripted_api):
    scripted_api.mode = "no-logprobs"
    url = f"http://alice:hunter2-secret@127.0.0.1:{scripted_api.server_address[1]}/v1"
    backend = load_backend("openai", base_url=url, model="m")
    with pytest.raises(BackendError) as raised:
        backend.generate(PROMPT)
    for text in (repr(backend), str(raised.value), str(backend.fingerprint().details), backend.base_url):
        assert "hunter2-secret" not in text and "alice" not in text
    assert "***@127.0.0.1" in backend.base_url


def test_overview_report_renders_with_the_llamacpp_backend(tmp_path, llamacpp):
    from qmdrender import main

    assert main(["notebooks/llm_api_overview.qmd", "--to", "html", "--engine", "embedded", "--output-dir",
                 str(tmp_path), "-P", "backend:llamacpp"]) == 0
    html = (tmp_path / "llm_api_overview.html").read_text()
    generation = llamacpp.generate(PROMPT, max_new_tokens=5)
    assert "transformers vs llama.cpp" in html and "llamacpp, greedy" in html
    for token in generation.tokens:
        assert percent(math.exp(token.logprob)) in html


def test_a_report_against_the_server_never_contains_the_key(tmp_path, llama_server, monkeypatch):
    from qmdrender import main

    monkeypatch.setenv("OPENAI_API_KEY", llama_server.api_key)
    assert main(["notebooks/llm_api_overview.qmd", "--to", "html,ipynb", "--engine", "embedded", "--output-dir",
                 str(tmp_path), "-P", "backend:openai", "-P", f"base_url:{llama_server.base_url}",
                 "-P", f"api_model:{llama_server.model}"]) == 0
    html = (tmp_path / "llm_api_overview.html").read_text()
    notebook = (tmp_path / "llm_api_overview.ipynb").read_text()
    assert f"transformers vs server at {llama_server.base_url}" in html
    assert "n/a" in html and "not returned by the API" in html
    assert llama_server.api_key not in html and llama_server.api_key not in notebook
