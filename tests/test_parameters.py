"""Parameters are parsed like Quarto's -P, checked against the notebook, and injected as plain data."""

from __future__ import annotations

import ast

import pytest

from qmdrender.parameters import (
    ParameterError,
    injected_parameters_cell,
    parse_cli_parameters,
    read_parameter_file,
    resolve_parameters,
)

DEFAULTS = {"prompt": "Finn writes code", "max_new_tokens": 5, "temperature": 1.0, "verbose": False,
            "seed": None, "prompts": ["a", "b"]}


def _resolve(*pairs: str) -> dict:
    return resolve_parameters(parse_cli_parameters(pairs), DEFAULTS, "report.qmd")


def test_cli_values_are_yaml_scalars_typed_by_their_defaults():
    assert _resolve("max_new_tokens:10", "temperature:0.7", "verbose:true", "seed:3") == {
        "max_new_tokens": 10, "temperature": 0.7, "verbose": True, "seed": 3}
    assert _resolve("temperature:2") == {"temperature": 2.0}


def test_string_parameters_keep_the_text_as_written():
    assert _resolve("prompt:123") == {"prompt": "123"}
    assert _resolve("prompt:yes: no") == {"prompt": "yes: no"}
    assert _resolve("prompt:") == {"prompt": ""}


def test_lists_come_from_an_execute_params_file(tmp_path):
    path = tmp_path / "params.yml"
    path.write_text("prompts:\n  - one\n  - \"two\\n\\n\"\nmax_new_tokens: 3\n")
    values = resolve_parameters(read_parameter_file(path), DEFAULTS, "report.qmd")
    assert values == {"prompts": ["one", "two\n\n"], "max_new_tokens": 3}


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["max_tokens:3"], "has no parameter 'max_tokens'. Allowed: prompt, max_new_tokens"),
        (["__import__('os'):1"], "has no parameter"),
        (["max_new_tokens:ten"], "expects an integer"),
        (["max_new_tokens:true"], "expects an integer"),
        (["verbose:1"], "expects true or false"),
        (["prompts:a"], "expects a list"),
        (["novalue"], "key:value"),
    ],
)
def test_bad_parameters_raise_one_clear_error(pairs, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _resolve(*pairs)


def test_a_bad_parameter_file_is_reported(tmp_path):
    path = tmp_path / "params.yml"
    path.write_text("- just\n- a list\n")
    with pytest.raises(ParameterError, match="must be 'key: value' lines, not a list"):
        read_parameter_file(path)


def test_injected_cell_is_plain_assignments_of_literals():
    injection = "'); import os; os.system('touch /tmp/x') #"
    cell = injected_parameters_cell(_resolve(f"prompt:{injection}", "max_new_tokens:2"))
    assert cell.metadata["tags"] == ["injected-parameters"]
    tree = ast.parse(cell.source)
    assert all(isinstance(node, ast.Assign) for node in tree.body)
    values = {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body}
    assert values == {"prompt": injection, "max_new_tokens": 2}
