"""The "Who is it?" model: gradients against finite differences, training lowers the loss, the display forward
(attention_core.multi_head_attention) equals the batched training forward, the shipped weights meet the targets,
the corpus keeps its held-out pairs apart, the command line's error path and JSON."""

from __future__ import annotations

import contextlib
import functools
import io
import json

import numpy as np
import pytest

from attention_core import MultiHeadParams, multi_head_attention
from models import coreference as co
from models.coreference.__main__ import main as cli
from models.coreference.model import batch_forward, make_batch
from models.coreference.model import loss_and_grads as model_loss_and_grads

TINY = co.Config(d_model=8, n_heads=2, n_layers=2, d_ff=6)


@pytest.fixture(scope="module")
def corpus() -> co.Corpus:
    return co.make_corpus()


@pytest.fixture(scope="module")
def shipped() -> co.Params:
    return co.load_shipped()


def _mixed_batch(corpus: co.Corpus):
    """Sentences of three lengths, so padding and the key mask are exercised."""
    picks = [next(s for s in corpus.train if (s.frame, s.voice) == shape)
             for shape in (("cross", "active"), ("fit", "active"), ("chase", "active"))]
    assert len({len(s.tokens) for s in picks}) == 3
    return make_batch(picks)


@pytest.mark.parametrize("head_dropout", [False, True])
def test_gradients_match_finite_differences_for_every_parameter_block(corpus, head_dropout):
    params = co.init_params(TINY, seed=1)
    rng = np.random.default_rng(3)
    for value in params.arrays.values():  # move gains and biases off 1 and 0 so every term shows
        value += 0.1 * rng.standard_normal(value.shape)
    batch = _mixed_batch(corpus)
    scale = (rng.random((TINY.n_layers, 3, TINY.n_heads)) >= 0.4) / 0.6 if head_dropout else None
    if head_dropout:
        assert 0 < (scale == 0).sum() < scale.size
    loss_and_grads = functools.partial(model_loss_and_grads, head_scale=scale)
    _, grads = loss_and_grads(params, batch)
    assert set(grads) == set(params.arrays)
    eps = 1e-5
    for name, value in params.arrays.items():
        direction = rng.standard_normal(value.shape)
        value += eps * direction
        up, _ = loss_and_grads(params, batch)
        value -= 2 * eps * direction
        down, _ = loss_and_grads(params, batch)
        value += eps * direction
        numeric = (up - down) / (2 * eps)
        analytic = float((grads[name] * direction).sum())
        assert analytic == pytest.approx(numeric, rel=1e-5, abs=1e-8), name


def test_display_forward_calls_the_library_and_equals_the_batched_forward(corpus):
    params = co.init_params(TINY, seed=2)
    batch = _mixed_batch(corpus)
    logits, weights, _ = batch_forward(params, batch)  # [B, V], [L, B, H, n, n]
    for b in range(len(batch.ids)):
        n = int(batch.valid[b].sum())
        one = co.forward(params, batch.ids[b, :n], int(batch.it_index[b]))
        np.testing.assert_allclose(one.logits, logits[b], atol=1e-12)
        np.testing.assert_allclose(one.weights, weights[:, b, :, :n, :n], atol=1e-12)
    layer = params.layer(0)
    assert isinstance(layer, MultiHeadParams)
    x = np.random.default_rng(0).standard_normal((5, TINY.d_model))
    assert multi_head_attention(x, x, layer).weights.shape == (TINY.n_heads, 5, 5)


def test_a_few_training_steps_lower_the_loss(corpus):
    trainer = co.Trainer(co.Config(d_model=16, n_heads=2, d_ff=32, batch_size=32, steps=40, warmup=5), seed=0,
                         corpus=corpus)
    before = co.training.heldout_loss(trainer.params, corpus)
    info = trainer.step(40)
    assert info.step == trainer.steps_done == 40 and np.isfinite(info.loss)
    assert co.training.heldout_loss(trainer.params, corpus) < 0.8 * before


def test_training_is_reproducible(corpus):
    cfg = co.Config(d_model=8, n_heads=2, d_ff=8, batch_size=8, steps=5)
    a, b = co.Trainer(cfg, seed=4, corpus=corpus), co.Trainer(cfg, seed=4, corpus=corpus)
    a.step(5), b.step(5)
    for k in a.params.arrays:
        assert np.array_equal(a.params.arrays[k], b.params.arrays[k]), k


def test_held_out_noun_pairs_never_meet_in_training(corpus):
    together = {(s.frame, frozenset((s.first, s.second))) for s in corpus.train}
    assert not together & {(s.frame, frozenset((s.first, s.second))) for s in corpus.held_out}
    for a, b in corpus.minimal_pairs:
        assert a.referent != b.referent
        assert sum(x != y for x, y in zip(a.tokens, b.tokens, strict=True)) == 1
    train_nouns = {w for s in corpus.train for w in (s.first, s.second)}
    assert {w for s in corpus.held_out for w in (s.first, s.second)} <= train_nouns


def test_tokenizer_and_menus():
    assert co.tokenize("The animal didn’t cross the street, because it was too tired.")[2] == "didn't"
    with pytest.raises(ValueError, match="zebra"):
        co.tokenize("the zebra was tired")
    s = co.build_sentence("chase", "dog", "cat", "hungry", "passive")
    assert s == "the cat was chased by the dog because it was hungry"
    assert co.make_sentence("chase", "dog", "cat", "hungry", "passive").referent == "dog"
    for text in (*co.BLOG_PAIR, *co.TROPHY_PAIR):
        co.tokenize(text)


def test_shipped_weights_meet_the_targets(shipped, corpus):
    result = co.evaluate(shipped, corpus)
    assert result["heldout_accuracy"] >= 0.97
    assert result["resolution_heldout"] >= 0.95
    assert result["minimal_pairs"] >= 0.95
    assert result["resolving_head"][0] == 1, "the head that resolves 'it' sits in the second layer"


@pytest.mark.parametrize(("sentence", "answer"), [(co.BLOG_PAIR[0], "animal"), (co.BLOG_PAIR[1], "street"),
                                                  (co.TROPHY_PAIR[0], "trophy"), (co.TROPHY_PAIR[1], "suitcase")])
def test_the_blog_and_winograd_sentences_are_resolved(shipped, sentence, answer):
    out = co.attend(shipped, sentence)
    assert out.answer == answer and out.answer_prob > 0.5
    assert out.weights.shape == (2, 4, len(out.tokens), len(out.tokens))
    assert out.tokens[out.it_index] == "it"


def test_snapshots_go_from_step_0_to_the_end():
    snaps = co.load_snapshots()
    assert snaps[0].step == 0 and snaps[-1].step == co.Config().steps and 10 <= len(snaps) <= 20
    assert snaps[-1].heldout_accuracy > snaps[0].heldout_accuracy


def test_missing_or_damaged_weights_name_the_file_and_the_rebuild_command(tmp_path):
    with pytest.raises(co.WeightsError, match="missing.*python -m models.coreference train"):
        co.load_shipped(tmp_path / "nope.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(co.WeightsError, match="bad.npz.*damaged"):
        co.load_shipped(bad)


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_cli_unknown_word_exits_2_with_one_line():
    code, out, err = _run("attend", "the zebra didn't cross the street because it was too tired", "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "zebra" in err and "python -m models.coreference vocab" in err


def test_cli_attend_json_shape():
    code, out, _ = _run("attend", co.BLOG_PAIR[1], "--json")
    data = json.loads(out)
    assert code == 0 and data["answer"] == "street" and len(data["tokens"]) == 11
    layers, heads = len(data["weights"]), len(data["weights"][0])
    assert (layers, heads) == (2, 4) and np.array(data["weights"]).shape == (2, 4, 11, 11)
    assert 0 <= data["resolving_head"][0] < layers and 0 <= data["resolving_head"][1] < heads


def test_cli_evaluate_json_fields_and_the_hand_built_baseline():
    code, out, _ = _run("evaluate", "--json")
    data = json.loads(out)
    assert code == 0
    assert list(data) == ["heldout_accuracy", "resolving_head", "resolution_heldout", "minimal_pairs",
                          "hand_built_minimal_pairs"]
    # The hand-built "it" row (lexicon vectors, identity projections) ignores the adjective: the row is the same
    # in both sentences of a pair, so it can never flip
    assert data["hand_built_minimal_pairs"] == 0.0


def test_hand_built_row_is_the_self_attention_pages_default():
    from lessons.walkthrough import projections, self_attention_steps
    from models.coreference.__main__ import hand_built_it_row
    from models.lexicon import D_MODEL, embed

    tokens = co.tokenize(co.BLOG_PAIR[0])
    w_q, w_k, w_v = projections(D_MODEL, "identity")
    page = self_attention_steps(embed(tokens), w_q, w_k, w_v, scaled=True, temperature=1.0).weights
    np.testing.assert_allclose(hand_built_it_row(tokens), page[tokens.index("it")])


def test_saved_files_are_byte_identical_for_identical_weights(tmp_path):
    from models.coreference.files import save_shipped

    params = co.init_params(co.Config(), seed=5)
    save_shipped(params, tmp_path / "a.npz")
    save_shipped(co.Params(params.config, {k: v.copy() for k, v in params.arrays.items()}), tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    loaded = co.load_shipped(tmp_path / "a.npz")
    assert all(np.array_equal(loaded.arrays[k], v.astype(np.float32)) for k, v in params.arrays.items())
