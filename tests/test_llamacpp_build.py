"""The llama.cpp build in the venv runs on any x86-64 CPU with AVX2, AMX or not (issue: AMX segfault).

A native build (``-march=native``) compiles llama.cpp's AMX kernels on Sapphire Rapids and later,
which repack Q4_1 weights and crash on the first decode (llama.cpp issue 20824), and it compiles in
whatever else the build machine has (AVX-512 here), so the wheel dies elsewhere. These tests fail
against such a build, and against loading a model with the extra-buffer repack switched on.
"""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import require_module

require_module("llama_cpp")

from helpers.backends import load_backend  # noqa: E402
from helpers.backends.llama_runtime import REPACK_ENV, system_info  # noqa: E402
from helpers.model import bundled_gguf_path  # noqa: E402


def test_llama_cpp_is_built_for_portable_avx2_without_avx512_or_amx():
    features = system_info()
    assert features.get("AVX2") == "1" and features.get("FMA") == "1" and features.get("F16C") == "1", features
    compiled_in = {name for name, value in features.items() if value == "1"}
    assert not compiled_in & {"AVX512", "AVX512_VBMI", "AVX512_VNNI", "AVX512_BF16", "AVX_VNNI", "AMX_INT8"}, (
        f"llama.cpp was built for this CPU (-march=native?): {sorted(compiled_in)}; rebuild with make setup")


def test_the_backend_loads_the_gguf_without_extra_buffer_repacking(monkeypatch):
    monkeypatch.delenv(REPACK_ENV, raising=False)
    backend = load_backend("llamacpp")
    assert backend.llm.model_params.use_extra_bufts is False
    assert backend.generate("Finn writes code", max_new_tokens=2).tokens  # the first decode runs


_LOAD_LOG = """
import sys
from helpers.backends.llama_runtime import load_llama
llm = load_llama(sys.argv[1], n_ctx=64, verbose=True)
llm.eval(llm.tokenize(b"Finn writes code"))
print("decoded", llm.n_tokens)
"""


def _load_log(repack: str) -> str:
    env = {**os.environ, REPACK_ENV: repack}
    done = subprocess.run([sys.executable, "-c", _LOAD_LOG, str(bundled_gguf_path())], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("decoded "), done.stdout
    return done.stderr


def test_the_load_log_shows_no_amx_or_repack_buffer_and_the_first_decode_succeeds():
    log = _load_log("")
    assert "AMX" not in log, "llama.cpp repacked weights for AMX kernels (the build has AMX compiled in)"
    assert "CPU_REPACK" not in log and "extra buffer" not in log.lower()


def test_the_repack_can_be_turned_back_on_and_the_log_shows_it():
    # Proves the log check above can fail: with the repack allowed llama.cpp tries its repack buffer.
    log = _load_log("1")
    assert "CPU_REPACK" in log or "AMX" in log
