"""The logit lens against independent computations, and its views as a reader sees them.

The independent side runs the model itself: the final layer from the model's own logits (one full
softmax), an inner layer from a forward hook on that decoder block (not ``output_hidden_states``),
pushed through the final norm and the unembedding by hand, with KL from ``torch.nn.functional``.
"""

from __future__ import annotations

import math
import subprocess

import pytest
import torch
from bs4 import BeautifulSoup

from helpers import generate
from helpers.backends import backend_available, load_backend
from helpers.backends.base import BackendError
from helpers.lens_views import lens_frame, lens_heatmap, plot_lens_trajectory
from helpers.logit_lens import logit_lens
from helpers.tokens import visible

from .conftest import PROMPT, require_tool

TEXT = "Finn writes code in Python every day."


@pytest.fixture(scope="module")
def lens(lm):
    return logit_lens(lm, TEXT, top_k=5)


def _ids(lm) -> list[int]:
    return [lm.tokenizer.bos_token_id, *lm.tokenizer(TEXT, add_special_tokens=False)["input_ids"]]


def _check_layer(lens, layer: int, logits: torch.Tensor, ids: list[int], final: torch.Tensor) -> None:
    logprobs = torch.log_softmax(logits.double(), dim=-1)
    for position, prediction in enumerate(lens.layer(layer)):
        expected = logprobs[position].topk(5)
        assert [a.id for a in prediction.top] == expected.indices.tolist()
        assert [a.logprob for a in prediction.top] == pytest.approx(expected.values.tolist(), abs=2e-4)
        following = ids[position + 1]
        assert prediction.actual.id == following
        assert prediction.actual.logprob == pytest.approx(float(logprobs[position, following]), abs=2e-4)
        assert prediction.actual_rank == int((logprobs[position] > logprobs[position, following]).sum()) + 1
        kl = torch.nn.functional.kl_div(logprobs[position], final[position], log_target=True, reduction="sum")
        assert prediction.kl_to_final == pytest.approx(float(kl), abs=2e-3, rel=1e-3)


def test_final_layer_is_the_models_own_next_token_distribution(lm, lens):
    ids = _ids(lm)
    with torch.inference_mode():
        logits = lm.model(torch.tensor([ids])).logits[0, :-1]
    final = torch.log_softmax(logits.double(), dim=-1)
    _check_layer(lens, lens.layer_count, logits, ids, final)
    assert all(p.kl_to_final == 0 for p in lens.layer(lens.layer_count))
    assert lens.layers == tuple(range(lens.layer_count + 1)) and lens.positions == len(ids) - 1


@pytest.mark.parametrize("layer", [0, 7, 29])
def test_inner_layers_match_a_hook_on_the_decoder_block(lm, lens, layer):
    ids = _ids(lm)
    captured = {}
    inner = lm.model.model
    module = inner.embed_tokens if layer == 0 else inner.layers[layer - 1]

    def keep(_module, _inputs, output):
        captured["hidden"] = output[0] if isinstance(output, tuple) else output

    handle = module.register_forward_hook(keep)
    try:
        with torch.inference_mode():
            output = lm.model(torch.tensor([ids]))
    finally:
        handle.remove()
    hidden = captured["hidden"].reshape(len(ids), -1)[:-1]
    with torch.inference_mode():
        logits = lm.model.lm_head(inner.norm(hidden))
        final = torch.log_softmax(output.logits[0, :-1].double(), dim=-1)
    _check_layer(lens, layer, logits, ids, final)


def test_a_generation_is_read_as_its_prompt_and_tokens(lm):
    generation = generate(lm, PROMPT, max_new_tokens=4)
    lens = logit_lens(lm, generation, layers=[3, lm.model.config.num_hidden_layers], top_k=3)
    prompt_ids = lm.tokenizer(PROMPT)["input_ids"]
    assert [t.id for t in lens.tokens] == prompt_ids + generation.token_ids
    assert lens.prompt_tokens == len(prompt_ids) and lens.layers == (3, lens.layer_count)
    final = lens.layer(lens.layer_count)[len(prompt_ids) - 1:]
    for prediction, token in zip(final, generation.tokens, strict=True):
        assert prediction.actual.id == token.id and prediction.actual_rank == token.rank == 1  # greedy
        assert prediction.actual.logprob == pytest.approx(token.logprob, abs=1e-3)
        assert len(prediction.top) == 3


def test_bad_requests_say_what_to_do(lm):
    with pytest.raises(ValueError, match=r"from 0 \(embeddings\) to 30"):
        logit_lens(lm, TEXT, layers=[31])
    with pytest.raises(ValueError, match="top_k must be a whole number from 1 to 100"):
        logit_lens(lm, TEXT, top_k=0)
    with pytest.raises(ValueError, match="at least one token"):
        logit_lens(lm, "")
    with pytest.raises(ValueError, match="not computed"):
        logit_lens(lm, TEXT, layers=[1]).layer(2)


@pytest.mark.skipif(not backend_available("llamacpp"), reason="llama-cpp-python is not installed")
def test_a_backend_without_hidden_states_says_why():
    backend = load_backend("llamacpp")
    with pytest.raises(BackendError, match=r"hidden states .* llamacpp backend gives only logits"):
        logit_lens(backend, TEXT)


def test_a_transformers_backend_is_accepted(lm):
    backend = load_backend("transformers")
    lens = logit_lens(backend, "Finn", layers=[lm.model.config.num_hidden_layers])
    assert lens.positions == len(lm.tokenizer("Finn", add_special_tokens=False)["input_ids"])


def _label(prediction) -> str:
    return visible(prediction.top[0].text, prediction.top[0].raw)[:8]


def test_heatmap_html_writes_each_layers_top_guess_in_its_cell_with_details(lens):
    soup = BeautifulSoup(lens_heatmap(lens, layers=[0, 15, 30])._repr_html_(), "html.parser")
    rows = soup.select("table.logit-lens tbody tr")
    assert [r.th.get_text() for r in rows] == ["30 (final)", "15", "embeddings"]  # final layer on top
    for row, layer in zip(rows, (30, 15, 0), strict=True):
        cells = row.select("td")
        for cell, prediction in zip(cells, lens.layer(layer), strict=True):
            assert cell.find(string=True, recursive=False) == _label(prediction)
            tip = cell.select_one(".tip").get_text()
            second = prediction.top[1]
            assert f"rank {prediction.actual_rank}" in tip and repr(visible(second.text, second.raw)) in tip
            assert ("hit" in cell.get("class", [])) == (prediction.top[0].id == prediction.actual.id)
    reads = [th.get_text() for th in soup.select("tfoot th")[1:]]
    assert reads == [visible(t.text, t.raw)[:7] + "…" if len(visible(t.text, t.raw)) > 8 else visible(t.text, t.raw)
                     for t in lens.tokens[:-1]]


def _pdf_words(path) -> list[tuple[float, float, str]]:
    """Every word of a PDF with its position (x, y), as pdftotext finds it."""
    markup = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = BeautifulSoup(markup, "html.parser").find_all("word")
    return [(float(w["xmin"]), float(w["ymin"]), w.get_text()) for w in words]


def test_heatmap_pdf_is_vector_with_the_top_guesses_in_order(lens, tmp_path):
    require_tool("pdftotext")
    path = tmp_path / "lens.pdf"
    path.write_bytes(lens_heatmap(lens, "rank", layers=[30, 20])._repr_pdf_())
    words = _pdf_words(path)
    rows = []
    for layer in (30, 20):
        label_x, label_y, _ = next(w for w in words if w[2] == str(layer))
        row = sorted((x, text) for x, y, text in words if abs(y - label_y) < 3 and x > label_x + 15)
        expected = [label for label in map(_label, lens.layer(layer)) if label.strip()]
        assert [text for _, text in row][:len(expected)] == expected
        rows.append(label_y)
    assert rows[0] < rows[1]  # the final layer is the top row


def test_trajectory_follows_the_next_tokens_probability_through_the_layers(lens):
    figure = plot_lens_trajectory(lens, positions=[2, 5])
    lines = figure.axes[0].get_lines()
    assert len(lines) == 2
    for line, position in zip(lines, (2, 5), strict=True):
        assert list(line.get_xdata()) == list(lens.layers)
        expected = [lens.predictions[row][position].actual.probability for row in range(len(lens.layers))]
        assert list(line.get_ydata()) == pytest.approx(expected)
    frame = lens_frame(lens)
    assert len(frame) == len(lens.layers) * lens.positions
    assert math.isclose(frame.query("layer == 30 and position == 2")["next_probability"].item(),
                        lens.layer(30)[2].actual.probability)
