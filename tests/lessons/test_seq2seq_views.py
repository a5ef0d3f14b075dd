"""lessons.seq2seq_views: accuracy counts agree with seq2seq.evaluate, word marks rebuild both sentences,
the naive alignment is a stretched diagonal, the reading guide and scoring summaries follow their matrices, and
what the pages say about curves and matrices (ratios, focus, alignment reading) is recomputed here by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from attention_core.attention import scaled_dot_product_attention, softmax
from lessons.seq2seq_views import (
    SCORINGS,
    MarkedWord,
    attention_focus,
    compare_influence,
    compare_scorings,
    decay_per_step,
    exact_match,
    mark_words,
    mistakes,
    naive_alignment,
    order_jumps,
    pick_sentence,
    read_alignment,
    reading_guide,
    score_with,
    scoring_summary,
    sentences_of_length,
)
from models import seq2seq, toy_tamil

words = st.lists(st.sampled_from(["can", "you", "send", "the", "report", "by", "tomorrow"]), max_size=12)


@given(words, words)
def test_marks_rebuild_output_and_reference(output, reference):
    marked = mark_words(output, reference)
    assert [m.word for m in marked if m.status != "missing"] == output
    assert [m.word for m in marked if m.status != "wrong"] == reference
    assert all(m.status == "ok" for m in mark_words(reference, reference))


def test_one_inserted_word_marks_only_that_word():
    marked = mark_words(["can", "you", "send", "the", "the", "report"], ["can", "you", "send", "the", "report"])
    assert [m.status for m in marked].count("wrong") == 1 and "missing" not in [m.status for m in marked]


@given(st.integers(0, 40), st.integers(1, 40))
def test_naive_alignment_is_a_monotone_one_hot(n_out, n_src):
    a = naive_alignment(n_out, n_src)
    assert a.shape == (n_out, n_src)
    assert np.all(a.sum(axis=1) == 1.0)
    cols = a.argmax(axis=1)
    assert np.all(np.diff(cols) >= 0)
    if n_out:
        assert cols[0] == 0
    if n_out >= n_src:
        assert set(cols.tolist()) == set(range(n_src))  # every source word gets read


def test_naive_alignment_of_equal_lengths_is_the_identity_and_bad_sizes_fail():
    np.testing.assert_array_equal(naive_alignment(5, 5), np.eye(5))
    with pytest.raises(ValueError, match="n_src"):
        naive_alignment(3, 0)


def test_reading_guide_and_jumps():
    w = np.array([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1], [0.2, 0.5, 0.3]])
    guide = reading_guide(w, ["a", "b", "c"])
    assert [(g.source, g.weight, g.runner_up) for g in guide] == [(2, 0.7, 1), (0, 0.6, 1), (1, 0.5, 2)]
    assert order_jumps(w) == 1  # 2 -> 0 goes back, 0 -> 1 forward
    assert order_jumps(np.eye(4)) == 0
    with pytest.raises(ValueError, match="target"):
        reading_guide(w, ["a"])


@given(words, words)
def test_mistakes_count_the_marks(output, reference):
    marked = mark_words(output, reference)
    wrong, missing = mistakes(marked)
    assert wrong == sum(m.status == "wrong" for m in marked) and missing == sum(m.status == "missing" for m in marked)
    assert (wrong, missing) == (0, 0) if output == reference else (wrong, missing) != (0, 0)
    assert mistakes([MarkedWord("a", "ok")]) == (0, 0)


def test_reading_an_alignment():
    w = np.array([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.9, 0.05, 0.05]])
    reading = read_alignment(w, ["a", "b", "c", "d"], 3)
    assert reading.guide == reading_guide(w, ["a", "b", "c", "d"])
    np.testing.assert_array_equal(reading.naive, naive_alignment(4, 3))
    assert reading.jumps == order_jumps(w) == 2
    # naive tops for 4 words over 3: 0, 0, 1, 2; learned tops: 2, 0, 1, 0
    assert reading.as_naive == 2 and not reading.in_order
    assert reading.first_reader == 3 and reading.flattest == 2
    diagonal = read_alignment(np.eye(3), ["a", "b", "c"], 3)
    assert diagonal.in_order and diagonal.as_naive == 3 and diagonal.first_reader == 0
    assert read_alignment(np.eye(3)[[1, 2, 1]], ["a", "b", "c"], 3).first_reader == -1


def test_attention_focus():
    w = np.array([[0.1, 0.9], [0.2, 0.8], [0.7, 0.3]])
    focus = attention_focus(w)
    assert focus.mean_top_weight == pytest.approx((0.9 + 0.8 + 0.7) / 3) and focus.visited == 2


def test_influence_comparison():
    random, trained = 0.5 ** np.arange(4, 0, -1), np.array([2.0, 3.0, 1.0, 1.0])
    c = compare_influence(random, trained)
    assert c.n == 4 and c.random_ratio == pytest.approx(1 / 8) and c.random_step == pytest.approx(0.5)
    assert c.trained_ratio == pytest.approx(2.0) and c.trained_step == pytest.approx(2 ** (1 / 3))
    assert c.trained_flatter and c.strongest == 1
    alone = compare_influence(random)
    assert alone.random_ratio == c.random_ratio and alone.trained_ratio is None and alone.strongest == -1
    for no_ratio in (compare_influence(np.array([1.0])), compare_influence(random, np.array([0.0, 1, 1, 1]))):
        assert no_ratio.random_ratio is None and no_ratio.trained_ratio is None


def test_decay_per_step_of_a_geometric_curve():
    assert decay_per_step(0.8 ** np.arange(10, 0, -1)) == pytest.approx(0.8)
    assert decay_per_step(np.array([4.0, 2.0, 1.0])) == pytest.approx(2.0)
    for bad in (np.array([1.0]), np.array([0.0, 1.0]), np.array([np.nan, 1.0])):
        with pytest.raises(ValueError):
            decay_per_step(bad)


def test_sentence_picking_cycles_through_one_length():
    test = toy_tamil.held_out_set()
    same = sentences_of_length(test, 9)
    assert same and all(len(s.source) == 9 for s in same)
    assert pick_sentence(test, 9, 0) == same[0] and pick_sentence(test, 9, len(same) + 2) == same[2]
    assert pick_sentence(test, 99, 0) is None


@pytest.fixture(scope="module")
def models():
    return seq2seq.load_models()


def test_exact_match_counts_agree_with_evaluate(models):
    sample = toy_tamil.held_out_set()[::25]  # 80 sentences across all buckets
    for model in models.values():
        outputs = seq2seq.translate_batch(model, [s.source for s in sample])
        acc = exact_match(sample, outputs)
        assert {k: round(acc.rate(k), 4) for k in acc.per_bucket} == seq2seq.evaluate(model, sample)
        assert {k: round(acc.rate(k), 4) for k in acc.per_length} == seq2seq.evaluate(model, sample, per_length=True)
        assert sum(n for _, n in acc.per_bucket.values()) == len(sample)
    with pytest.raises(ValueError, match="one output per sentence"):
        exact_match(sample, [])


def test_bleu_per_bucket_scores_each_bucket_as_one_corpus(models):
    from lessons.seq2seq_views import bleu_per_bucket, length_curve

    sample = toy_tamil.held_out_set()[::40]  # 50 sentences, 10 per bucket
    outputs = seq2seq.translate_batch(models["no_attention"], [s.source for s in sample])
    stats = [seq2seq.bleu.bleu_stats(o, s.english) for o, s in zip(outputs, sample, strict=True)]
    bleu = bleu_per_bucket(sample, stats)
    for lo, hi in toy_tamil.LENGTH_BUCKETS:
        idx = [i for i, s in enumerate(sample) if lo <= len(s.source) <= hi]
        expected = seq2seq.corpus_bleu([outputs[i] for i in idx], [sample[i].english for i in idx])
        assert bleu.per_bucket[f"{lo}-{hi}"] == pytest.approx(expected, abs=0.005)
        assert bleu.sentences[f"{lo}-{hi}"] == len(idx)
    first, last = list(bleu.per_bucket.values())[0], list(bleu.per_bucket.values())[-1]
    assert bleu.falls_to() == pytest.approx(last / first)
    middles, labels = length_curve(bleu)
    assert labels == list(bleu.per_bucket) and middles == [(lo + hi) / 2 for lo, hi in toy_tamil.LENGTH_BUCKETS]
    with pytest.raises(ValueError, match="BLEU counts per sentence"):
        bleu_per_bucket(sample, stats[:-1])


def test_compare_models_names_what_is_the_same_and_what_differs(models):
    from lessons.seq2seq_views import compare_models, model_facts

    same = {"steps": 10, "batch_size": 4, "lr": 0.1}
    att, base = model_facts(models["attention"], same), model_facts(models["no_attention"], dict(same))
    fair = compare_models(att, base)
    assert fair.same_sizes and fair.same_training and fair.differing_settings == ()
    assert (att.encoder, base.encoder) == ("both ways", "one way")
    assert att.enc_hidden * 2 == base.enc_hidden == att.hidden
    assert att.params == sum(v.size for v in models["attention"].params.values())
    unfair = compare_models(att, model_facts(models["no_attention"], {**same, "steps": 5}))
    assert not unfair.same_training and unfair.differing_settings == ("steps",)
    assert not compare_models(att, model_facts(models["no_attention"], None)).same_training


def test_scorings_on_the_same_states(models):
    model = models["attention"]
    states = seq2seq.attention_states(model, toy_tamil.BLOG_SOURCE)
    results = {name: score_with(model, states, name) for name in SCORINGS}
    np.testing.assert_allclose(results["additive"].weights, states.weights, rtol=1e-5, atol=1e-7)
    raw = states.queries @ states.encoder.T  # [T, H] @ [H, S] -> [T, S]
    np.testing.assert_allclose(results["dot"].weights, softmax(raw), rtol=1e-5, atol=1e-7)
    d = states.encoder.shape[1]
    np.testing.assert_allclose(results["scaled dot"].weights, softmax(raw / np.sqrt(d)), rtol=1e-5, atol=1e-7)
    # the scale never changes which word wins, and softens the weights
    assert np.array_equal(results["dot"].weights.argmax(1), results["scaled dot"].weights.argmax(1))
    dot = scoring_summary(results["dot"], results["additive"])
    scaled = scoring_summary(results["scaled dot"], results["additive"])
    assert scaled.score_spread == pytest.approx(dot.score_spread / np.sqrt(d), rel=1e-5)
    assert scaled.mean_top_weight <= dot.mean_top_weight and scaled.agree == dot.agree
    assert scoring_summary(results["additive"], results["additive"]).agree == len(states.target)
    with pytest.raises(ValueError, match="scoring"):
        score_with(model, states, "cosine")
    other = scaled_dot_product_attention(np.ones((2, 3)), np.ones((4, 3)), np.ones((4, 3)))
    with pytest.raises(ValueError, match="match the reference"):
        scoring_summary(other, results["dot"])


def test_comparing_the_scorings(models):
    model = models["attention"]
    states = seq2seq.attention_states(model, toy_tamil.BLOG_SOURCE)
    c = compare_scorings(model, states)
    assert list(c.results) == list(SCORINGS)
    for name in SCORINGS:
        np.testing.assert_array_equal(c.results[name].weights, score_with(model, states, name).weights)
        assert c.summaries[name] == scoring_summary(c.results[name], c.results["additive"])
    dot, scaled = c.results["dot"].weights, c.results["scaled dot"].weights
    assert c.same_winner == int(np.sum(dot.argmax(1) == scaled.argmax(1)))
    assert c.width == states.encoder.shape[1] and c.divisor == pytest.approx(np.sqrt(c.width))


def test_largest_step_stretch_is_the_curves_own_matrix():
    """σ_max is taken from the very W_h behind elman_influence_curve (same defaults), and exceeds ρ."""
    from lessons.seq2seq_views import largest_step_stretch
    from models.rnn import elman_influence_curve, elman_init, elman_input_influence

    rho, n = 0.9, 12
    x = np.random.default_rng([0, 1]).standard_normal((n, 16))
    np.testing.assert_allclose(elman_input_influence(elman_init(16, 32, rho, 0, 0.1), x),
                               elman_influence_curve(n, rho))
    assert largest_step_stretch(rho) > 1 > rho


def test_curve_shape():
    from lessons.seq2seq_views import curve_shape

    assert curve_shape(np.array([0.1, 0.2, 0.4])) == (0.1, 0, 0.1, 0.4, False)
    assert curve_shape(np.array([0.9, 0.3, 0.2, 0.5])).u_shaped
    assert not curve_shape(np.array([0.9, 0.5, 0.3])).u_shaped
    with pytest.raises(ValueError):
        curve_shape(np.array([np.nan]))
