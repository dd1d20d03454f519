"""Things that used to be written twice now have one source: the callout palette, the generation options,
the YAML loader, the option-name table, the atomic write."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from helpers.core import GenerationOptions, validate_request
from qmdrender import palette
from qmdrender.atomic import write_atomic
from qmdrender.formats.writing import ASSETS
from qmdrender.option_names import CELL_DEFAULTS, EXECUTE_OPTIONS, UNSUPPORTED_CELL_OPTIONS, is_metadata
from qmdrender.qmd import QmdError
from qmdrender.yamlfile import read_yaml_file


def test_the_themes_take_the_callout_colours_from_the_palette_only():
    colours = {value.lower() for c in palette.CALLOUTS.values() for value in (c.colour, c.tint)}
    for asset in ("report.css", "slides.css", "latex_preamble.tex"):
        text = (ASSETS / asset).read_text(encoding="utf-8").lower()
        written = set(re.findall(r"#[0-9a-f]{6}\b", text))
        written |= {f"#{h}" for h in re.findall(r"\{html\}\{([0-9a-f]{6})\}", text)}
        assert not (written & colours), f"{asset} repeats palette colours {written & colours}"
    css = palette.css_variables()
    tex = palette.latex_colours()
    for kind, callout in palette.CALLOUTS.items():
        assert f"--{kind}: {callout.colour};" in css and f"--{kind}-bg: {callout.tint};" in css
        assert f"\\definecolor{{callout{kind}}}{{HTML}}{{{callout.colour[1:]}}}" in tex
    slides = (ASSETS / "slides.css").read_text(encoding="utf-8")
    assert all(f".callout-{kind}" in slides for kind in palette.CALLOUTS)


def test_generation_options_have_one_signature_and_unknown_ones_are_named():
    request = validate_request("Finn", max_new_tokens=3, strategy="sample", seed=4, temperature=0.5)
    assert (request.max_new_tokens, request.seed, request.strategy_kwargs["temperature"]) == (3, 4, 0.5)
    with pytest.raises(ValueError, match=r"Unknown generation option.*temprature.*choose from: max_new_tokens"):
        validate_request("Finn", temprature=0.5)
    assert GenerationOptions().max_new_tokens == 5


@pytest.mark.parametrize(("content", "message"), [
    ("a: [1, 2\n", "not valid YAML"),
    ("- a\n- b\n", "must be 'key: value' lines, not a list"),
    (b"\xff\xfe", "not UTF-8"),
])
def test_the_yaml_loader_says_what_is_wrong_in_one_line(tmp_path, content, message):
    path = tmp_path / "_quarto.yml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(QmdError, match=message) as error:
        read_yaml_file(path, "project file", QmdError)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_the_option_table_classifies_every_option_once():
    assert CELL_DEFAULTS == {"echo": True, "eval": True, "warning": True, "error": False, "output": True,
                             "include": True}
    assert "freeze" in EXECUTE_OPTIONS and "cache" in UNSUPPORTED_CELL_OPTIONS
    assert is_metadata("title") and is_metadata("toc") and not is_metadata("echo")
    assert not is_metadata("fig-width") and not is_metadata("format") and not is_metadata(3)


def test_an_atomic_write_leaves_the_old_file_and_no_temporary_when_it_fails(tmp_path):
    target = tmp_path / "record.json"
    write_atomic(target, "old")

    class Boom(str):
        def encode(self, *args, **kwargs):  # fails half way, after the temporary file exists
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, Boom("new"))
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["record.json"]
    write_atomic(target, b"new")
    assert Path(target).read_bytes() == b"new"
