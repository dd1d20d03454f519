"""The helpers behind the report sections: embeddings, reproducibility, sampling, comparisons."""

from __future__ import annotations

import pytest

from helpers import generate
from helpers.embeddings import compare_inputs_embeds, perturbed_next_token
from helpers.reproducibility import determinism_runs, fingerprint_frame
from helpers.sampling import compare_settings, sample_frequencies, setting_label
from helpers.tables import comparison_frame, continuation_summary, frame_table, percent
from helpers.tokens import token_breakdown

from .conftest import PROMPT


def test_inputs_embeds_give_the_same_logits_as_input_ids(lm):
    check = compare_inputs_embeds(lm, PROMPT)
    assert check.tokens == 4 and check.hidden_size == lm.model.config.hidden_size
    assert check.max_abs_logit_difference <= 1e-5
    assert check.same_next_token


def test_noise_on_embeddings_moves_the_distribution_more_as_it_grows(lm):
    frame = perturbed_next_token(lm, PROMPT, noise_scales=(0.0, 0.1, 3.0), seed=1)
    unperturbed, small, large = frame.to_dict("records")
    assert unperturbed["kl_from_original"] == pytest.approx(0.0, abs=1e-6)
    assert unperturbed["top_prob"] == pytest.approx(unperturbed["original_top_prob"])
    assert 0 <= small["kl_from_original"] < large["kl_from_original"]


def test_determinism_runs_repeat_greedy_and_seeded_samples(lm):
    frame = determinism_runs(lm, PROMPT, seed=5, other_seeds=(6, 7, 8), max_new_tokens=8, temperature=1.2)
    assert list(frame["strategy"]) == ["greedy", "greedy", "sample", "sample", "sample", "sample", "sample"]
    assert frame["same_tokens_as_first"].iloc[:4].all()
    assert not frame["same_tokens_as_first"].iloc[4:].all()
    again = generate(lm, PROMPT, strategy="sample", seed=5, max_new_tokens=8, temperature=1.2)
    assert frame["continuation"].iloc[2] == again.text.replace("\n", "\\n")


def test_fingerprint_frame_lists_the_fingerprint_and_its_sources(lm):
    frame = fingerprint_frame(lm).set_index("item")["value"]
    assert frame["fingerprint"] == lm.fingerprint.short
    assert frame["torch"] == lm.fingerprint.details["torch"]
    assert frame["weights_sha256"].startswith(lm.fingerprint.details["weights_sha256"][:16])


def test_compare_settings_truncates_and_sharpens(lm):
    frame = compare_settings(lm, PROMPT, [{"top_k": 3}, {"temperature": 0.5}, {"top_p": 0.3}], top=8)
    assert list(frame.columns) == ["token", "token_str", "model", "top_k=3", "temperature=0.5", "top_p=0.3"]
    assert (frame["top_k=3"].iloc[3:] == 0).all() and (frame["top_k=3"].iloc[:3] > frame["model"].iloc[:3]).all()
    assert frame["temperature=0.5"].iloc[0] > frame["model"].iloc[0]
    assert frame["model"].is_monotonic_decreasing
    assert setting_label({}) == "model"


def test_sampled_frequencies_agree_with_the_predicted_distribution(lm):
    samples = 300
    frame = sample_frequencies(lm, PROMPT, samples=samples, seed=3, top_k=4, top=6)
    assert frame["count"].sum() == samples
    assert (frame.loc[frame["count"] > 0, "predicted"] > 0).all()  # never outside the top 4
    assert (frame["predicted"] > 0).sum() == 4
    assert frame["predicted"].sum() == pytest.approx(1.0, abs=1e-4)
    standard_error = (frame["predicted"] * (1 - frame["predicted"]) / samples) ** 0.5
    assert ((frame["observed"] - frame["predicted"]).abs() <= 4 * standard_error + 1e-9).all()


def test_comparison_frame_and_summary_use_the_generation_figures(lm):
    generations = generate(lm, [PROMPT, " " + PROMPT], max_new_tokens=4)
    frame = comparison_frame(generations)
    assert frame["prompt"].tolist() == [repr(PROMPT), repr(" " + PROMPT)]  # the leading space shows
    for row, generation in zip(frame.itertuples(), generations, strict=True):
        assert row.joint_prob == generation.joint_probability and row.perplexity == generation.perplexity
    summary = continuation_summary(generations[0])._repr_markdown_()
    assert percent(generations[0].joint_probability) in summary and f"{generations[0].perplexity:.3f}" in summary


def test_frame_table_formats_numbers_percentages_and_tokens(lm):
    frame = token_breakdown(lm, ["\n\n", " \n\n"])
    frame["share"] = [0.5, 0.000123]
    cells = frame_table(frame, percent_columns=["share"]).cells()
    assert list(cells["text"]) == ["\\n\\n", "␣\\n\\n"]
    assert list(cells["share"]) == ["50.00 %", "0.0123 %"]
    assert cells["count"].tolist() == ["1", "1"]
