"""Generation and scoring on the real bundled model: relations that must hold between the numbers."""

from __future__ import annotations

import math

import pytest
from huggingface_hub import try_to_load_from_cache

from helpers import generate, load_model, next_token_distribution, score
from helpers.tables import generation_frame

from .conftest import PROMPT


@pytest.fixture(scope="module")
def greedy(lm):
    return generate(lm, PROMPT, max_new_tokens=5)


def test_greedy_generates_five_scored_tokens(greedy, lm):
    assert len(greedy.tokens) == 5
    assert greedy.text == lm.tokenizer.decode(greedy.token_ids)
    assert greedy.prompt == PROMPT and greedy.fingerprint == lm.fingerprint.short
    for token in greedy.tokens:
        assert token.rank == 1  # greedy picks the most likely token
        assert token.alternatives[0].id == token.id
        assert math.isclose(token.alternatives[0].logprob, token.logprob, abs_tol=1e-6)
        assert len(token.alternatives) == 5
        assert 0 < token.entropy < math.log(lm.model.config.vocab_size)


def test_model_logprob_equals_sampling_logprob_for_plain_greedy(greedy):
    for token in greedy.tokens:
        assert math.isclose(token.logprob, token.sampling_logprob, abs_tol=1e-5)


def test_frame_probabilities_are_exp_of_scores_and_joint_is_their_product(greedy):
    frame = generation_frame(greedy)
    assert list(frame.columns[:4]) == ["token", "token_str", "trans_scores", "trans_prob"]
    for score_, prob in zip(frame["trans_scores"], frame["trans_prob"], strict=True):
        assert math.isclose(prob, math.exp(score_), rel_tol=1e-9)
    assert math.isclose(greedy.joint_probability, math.prod(frame["trans_prob"]), rel_tol=1e-9)
    assert math.isclose(greedy.perplexity, math.exp(-frame["trans_scores"].mean()), rel_tol=1e-9)
    assert math.isclose(frame["cumulative_logprob"].iloc[-1], greedy.joint_logprob, rel_tol=1e-9)


def test_next_token_probabilities_over_the_vocabulary_sum_to_one(lm, greedy):
    distribution = next_token_distribution(lm, PROMPT)
    assert len(distribution) == lm.model.config.vocab_size
    assert math.isclose(distribution["model_prob"].sum(), 1.0, abs_tol=1e-4)
    assert math.isclose(distribution["sampling_prob"].sum(), 1.0, abs_tol=1e-4)
    top = distribution.iloc[0]
    first = greedy.tokens[0]
    assert top["token"] == first.id
    assert math.isclose(top["model_logprob"], first.logprob, abs_tol=1e-4)
    assert math.isclose(math.exp(first.logprob) + sum(distribution["model_prob"].iloc[1:]), 1, abs_tol=1e-4)


def test_top_k_sampling_changes_the_sampling_logprob_but_not_the_models(lm):
    sampled = generate(lm, PROMPT, strategy="sample", seed=7, top_k=5, temperature=0.8)
    distribution = next_token_distribution(lm, PROMPT, top_k=5, temperature=0.8).set_index("token")
    first = sampled.tokens[0]
    assert math.isclose(first.sampling_logprob, distribution.loc[first.id, "sampling_logprob"], abs_tol=1e-4)
    assert math.isclose(first.logprob, distribution.loc[first.id, "model_logprob"], abs_tol=1e-4)
    assert (distribution["sampling_prob"] > 0).sum() == 5
    for token in sampled.tokens:
        assert not math.isclose(token.sampling_logprob, token.logprob, abs_tol=1e-3)
        assert token.rank <= 5  # top-k never draws a token outside the model's top 5


def test_sampling_with_the_same_seed_repeats_tokens_and_scores(lm):
    kwargs = {"strategy": "sample", "max_new_tokens": 8, "temperature": 1.3}
    first = generate(lm, PROMPT, seed=1234, **kwargs)
    again = generate(lm, PROMPT, seed=1234, **kwargs)
    assert first.token_ids == again.token_ids
    assert [t.logprob for t in first.tokens] == [t.logprob for t in again.tokens]
    others = {tuple(generate(lm, PROMPT, seed=seed, **kwargs).token_ids) for seed in (1, 2, 3)}
    assert len(others | {tuple(first.token_ids)}) > 1


def test_sampling_without_a_seed_records_one_that_repeats_the_run(lm):
    first = generate(lm, PROMPT, strategy="sample", max_new_tokens=6)
    seed = first.settings["seed"]
    assert isinstance(seed, int)
    assert generate(lm, PROMPT, strategy="sample", max_new_tokens=6, seed=seed).token_ids == first.token_ids


def test_greedy_is_deterministic(lm, greedy):
    assert generate(lm, PROMPT, max_new_tokens=5).token_ids == greedy.token_ids


def test_a_batch_gives_the_same_results_as_one_by_one(lm):
    prompts = [PROMPT, "Hello", "The capital of France is", " \n\nOnce upon a time, in a land far"]
    batch = generate(lm, prompts, max_new_tokens=8)
    for prompt, batched in zip(prompts, batch, strict=True):
        single = generate(lm, prompt, max_new_tokens=8)
        assert batched.prompt == prompt
        assert batched.token_ids == single.token_ids
        assert max(abs(a.logprob - b.logprob) for a, b in zip(batched.tokens, single.tokens, strict=True)) <= 1e-4


def test_beam_transition_scores_sum_to_the_sequence_score(lm):
    beam = generate(lm, PROMPT, strategy="beam", num_beams=4, length_penalty=0.0, max_new_tokens=6)
    assert beam.sequence_score is not None
    assert math.isclose(sum(t.sampling_logprob for t in beam.tokens), beam.sequence_score, abs_tol=1e-4)
    # Without processors the beam's per-token scores are the model's own log-probs.
    assert math.isclose(beam.joint_logprob, beam.sequence_score, abs_tol=1e-4)


def test_beam_search_finds_a_continuation_at_least_as_likely_as_greedy(lm):
    greedy = generate(lm, PROMPT, max_new_tokens=6)
    beam = generate(lm, PROMPT, strategy="beam", num_beams=4, length_penalty=0.0, max_new_tokens=6)
    if len(beam.tokens) == len(greedy.tokens):
        assert beam.joint_logprob >= greedy.joint_logprob - 1e-4


def test_scoring_generated_text_gives_the_generated_logprobs(lm, greedy):
    for text in (greedy.text, greedy.token_ids):
        scored = score(lm, text, prompt=PROMPT)
        assert scored.token_ids == greedy.token_ids
        for a, b in zip(scored.tokens, greedy.tokens, strict=True):
            assert abs(a.logprob - b.logprob) <= 1e-4
            assert a.rank == b.rank


def test_scoring_without_prompt_scores_every_token(lm):
    scored = score(lm, "The cat sat on the mat.")
    assert scored.text == "The cat sat on the mat."
    assert len(scored.tokens) == len(lm.tokenizer("The cat sat on the mat.")["input_ids"])
    assert all(t.logprob < 0 for t in scored.tokens)


def test_an_unlikely_sentence_is_more_surprising_than_a_likely_one(lm):
    likely = score(lm, " Paris.", prompt="The capital of France is")
    unlikely = score(lm, " banana.", prompt="The capital of France is")
    assert likely.joint_logprob > unlikely.joint_logprob
    assert unlikely.perplexity > likely.perplexity


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prompt": ""}, "non-empty string"),
        ({"prompt": []}, "non-empty"),
        ({"max_new_tokens": 0}, "max_new_tokens must be an integer >= 1"),
        ({"strategy": "creative"}, "choose one of: greedy, sample, beam"),
        ({"top_alternatives": -1}, "top_alternatives must be an integer >= 0"),
        ({"prompt": "word " * 8200}, "Shorten the prompt"),
        ({"strategy": "sample", "temperature": 0}, "temperature must be > 0"),
        ({"strategy": "sample", "top_p": 1.5}, "top_p must be"),
        ({"strategy": "beam", "num_beams": 1}, "num_beams >= 2"),
        ({"num_beams": 3}, "strategy='beam'"),
    ],
)
def test_bad_input_raises_value_error_saying_what_is_allowed(lm, kwargs, message):
    arguments = {"prompt": PROMPT, **kwargs}
    with pytest.raises(ValueError, match=message):
        generate(lm, arguments.pop("prompt"), **arguments)


def test_bad_score_input_raises_value_error(lm):
    with pytest.raises(ValueError, match="must not be empty"):
        score(lm, "")
    with pytest.raises(ValueError, match="top_alternatives"):
        score(lm, "text", top_alternatives=-2)


def test_zero_alternatives_is_allowed(lm):
    generation = generate(lm, PROMPT, top_alternatives=0)
    assert all(t.alternatives == () for t in generation.tokens)


GPT2_TOKENS = [284, 787, 340, 4577, 284]
GPT2_SCORES = [-1.336478, -3.182834, -1.969614, -2.133453, -0.470468]


@pytest.mark.skipif(
    not isinstance(try_to_load_from_cache("gpt2", "config.json"), str),
    reason="GPT-2 is not in the local Hugging Face cache (no hub access here); the seed's numbers need it",
)
def test_gpt2_reproduces_the_seed_notebook_numbers():
    gpt2 = load_model("gpt2")
    generation = generate(gpt2, PROMPT, max_new_tokens=5)
    assert generation.token_ids == GPT2_TOKENS
    assert [t.text for t in generation.tokens] == [" to", " make", " it", " easier", " to"]
    for token, expected in zip(generation.tokens, GPT2_SCORES, strict=True):
        assert abs(token.logprob - expected) <= 1e-3
    assert abs(generation.joint_probability * 100 - 0.0112) <= 0.0001
