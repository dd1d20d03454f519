"""Shared fixtures: the bundled model, loaded once per test session."""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

from helpers import LoadedModel, load_model

PROMPT = "Finn writes code"


@pytest.fixture(scope="session")
def lm() -> LoadedModel:
    return load_model()


def require_tool(name: str) -> str:
    """Path of a system tool; skipped locally when absent, a failure in CI (which installs it)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing in CI: .ci/run should have installed it")
        pytest.skip(f"{name} is not installed (.ci/run installs it)")
    return path
