"""The "Who is it?" model: gradients against finite differences for every parameter block, training lowers the
loss, the display forward (attention_core) equals the batched training forward, the pointer never answers outside
the sentence, the held-out sets share nothing with training, the baselines' numbers, the input messages, the
shipped weights meet the targets, the command line's error path and JSON."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
from collections import Counter, defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attention_core import MultiHeadParams, multi_head_attention
from models import coreference as co
from models.coreference.__main__ import main as cli
from models.coreference.corpus import NEVER_TOGETHER, nouns_in
from models.coreference.model import batch_forward, loss_and_grads, make_batch

TINY = co.ModelConfig(d_model=8, n_heads=2, n_layers=2, d_ff=6, d_pointer=4)


@pytest.fixture(scope="module")
def corpus() -> co.Corpus:
    return co.make_corpus()


@pytest.fixture(scope="module")
def shipped() -> co.Params:
    return co.load_shipped()


@pytest.fixture(scope="module")
def evaluation(shipped, corpus) -> dict:
    return co.evaluate(shipped, corpus)


def _mixed_batch(corpus: co.Corpus, offset: bool = False):
    """Sentences of several lengths (padding and the key mask are exercised), optionally shifted in position."""
    by_length = {len(s.tokens): s for s in corpus.train[:2000]}
    picks = [by_length[n] for n in sorted(by_length)][::4][:4]
    assert len({len(s.tokens) for s in picks}) == len(picks) >= 3
    batch = make_batch(picks)
    return batch._replace(offset=np.arange(len(picks)) * 2) if offset else batch


@pytest.mark.parametrize(("offset", "dropout"), [(False, 0.0), (True, 0.0), (True, 0.3)])
def test_gradients_match_finite_differences_for_every_parameter_block(corpus, offset, dropout):
    params = co.init_params(TINY, seed=1)
    rng = np.random.default_rng(3)
    for value in params.arrays.values():  # move gains and biases off 1 and 0 so every term shows
        value += 0.3 * rng.standard_normal(value.shape)
    batch = _mixed_batch(corpus, offset)

    def loss(with_grads=False):  # with dropout: the same masks on every call (seed 5 put a ReLU at its kink)
        value, grads = loss_and_grads(params, batch, dropout, np.random.default_rng(8))
        return grads if with_grads else value

    grads = loss(with_grads=True)
    assert set(grads) == set(params.arrays) == set(co.model.param_shapes(TINY))
    eps = 1e-5
    for name, value in params.arrays.items():
        assert np.abs(grads[name]).sum() > 0, f"{name} gets no gradient: it would never learn"
        direction = rng.standard_normal(value.shape)
        value += eps * direction
        up = loss()
        value -= 2 * eps * direction
        down = loss()
        value += eps * direction
        numeric = (up - down) / (2 * eps)
        analytic = float((grads[name] * direction).sum())
        assert analytic == pytest.approx(numeric, rel=1e-5, abs=1e-8), name


def test_display_forward_calls_the_library_and_equals_the_batched_forward(corpus):
    params = co.init_params(TINY, seed=2)
    batch = _mixed_batch(corpus)
    pointer, weights, _ = batch_forward(params, batch)  # [B, n], [L, B, H, n, n]
    for b in range(len(batch.ids)):
        n = int(batch.valid[b].sum())
        one = co.forward(params, batch.ids[b, :n])
        np.testing.assert_allclose(one.pointer[batch.it_index[b]], pointer[b, :n], atol=1e-12)
        np.testing.assert_allclose(one.weights, weights[:, b, :, :n, :n], atol=1e-12)
        assert (pointer[b, n:] == 0).all()  # padding is never a key
    layer = params.layer(0)
    assert isinstance(layer, MultiHeadParams)
    x = np.random.default_rng(0).standard_normal((5, TINY.d_model))
    assert multi_head_attention(x, x, layer).weights.shape == (TINY.n_heads, 5, 5)


def test_a_few_training_steps_lower_the_loss(corpus):
    trainer = co.Trainer(co.ModelConfig(d_model=16, n_heads=2, d_ff=32, d_pointer=8),
                         co.TrainConfig(batch_size=32, steps=40, warmup=5), seed=0, corpus=corpus)
    before = co.training.heldout_loss(trainer.params, corpus)
    info = trainer.step(40)
    assert info.step == trainer.steps_done == 40 and np.isfinite(info.loss)
    assert co.training.heldout_loss(trainer.params, corpus) < 0.8 * before


def test_training_is_reproducible(corpus):
    model_cfg, train_cfg = co.ModelConfig(d_model=8, n_heads=2, d_ff=8, d_pointer=4), co.TrainConfig(batch_size=8)
    a = co.Trainer(model_cfg, train_cfg, seed=4, corpus=corpus)
    b = co.Trainer(model_cfg, train_cfg, seed=4, corpus=corpus)
    a.step(5), b.step(5)
    for k in a.params.arrays:
        assert np.array_equal(a.params.arrays[k], b.params.arrays[k]), k


def test_model_and_training_settings_are_separate():
    assert not {f for f in co.ModelConfig().to_dict()} & {f for f in co.TrainConfig().to_dict()}
    assert co.QUICK.steps < co.SHIPPED.steps and co.QUICK.batch_size == co.SHIPPED.batch_size


# ---- the pointer can only name a word of the sentence --------------------------------------------------------------

_WORDS = [w for w in co.VOCAB if w != "it"]
_NOUNS = [w for w in co.VOCAB if co.kind_of(w)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=20), st.lists(st.sampled_from(_NOUNS), min_size=2,
       max_size=3), st.integers(0, 30))
def test_the_pointer_never_answers_outside_the_sentence(shipped, words, nouns, at):
    tokens = list(words) + list(nouns)
    tokens.insert(at % (len(tokens) + 1), "it")
    out = co.attend(shipped, tokens)
    n = len(tokens)
    assert out.pointer.shape == (n,) and 0 <= out.answer_index < n and out.tokens[out.answer_index] == out.answer
    assert out.pointer.sum() == pytest.approx(1.0) and np.isfinite(out.pointer).all()
    assert out.answer_prob == pytest.approx(float(out.pointer.max()))
    assert set(out.candidates) == {t for t in tokens if co.kind_of(t)}


@pytest.mark.parametrize(("sentence", "message"), [
    ("the dog chased the cat because the dog was hungry", "no 'it'"),
    ("the dog chased it because it was hungry", "2 times 'it'"),
    ("the dog didn't cross it because it was too tired", "2 times 'it'"),
    ("the dog was tired because it was slow", "two nouns.*only 'dog'"),
    ("because it was too tired", "two nouns.*none"),
])
def test_what_the_model_needs_is_said_never_guessed(shipped, sentence, message):
    with pytest.raises(ValueError, match=message):
        co.attend(shipped, sentence)


# ---- the corpus and its held-out sets -------------------------------------------------------------------------------


def test_held_out_sets_share_no_sentence_and_no_held_out_structure_with_training(corpus):
    train = {s.tokens for s in corpus.train}
    for name in ("held_out", "structure_heldout", "adjective_frame_heldout", "showcase", "outside"):
        assert not train & {s.tokens for s in getattr(corpus, name)}, name
    assert not train & {s.tokens for pair in corpus.minimal_pairs for s in pair}
    held_names = {sk.name for sk in co.HELDOUT_STRUCTURES}
    assert not held_names & {s.structure for s in corpus.train}
    assert not held_names & {s.structure for s in corpus.held_out}  # trained structures only
    # the shipped model trains on every structure but the test's, the folds' too (after the settings were chosen)
    assert {s.structure for s in corpus.train} == {sk.name for sk in co.SKELETONS} - held_names
    assert corpus.validation == [] and corpus.validation_pairs == []
    assert {s.structure for s in corpus.structure_heldout} == held_names
    assert all(co.structure_of(s.tokens) in co.HELDOUT_STRUCTURES for s in corpus.structure_heldout)
    assert all(co.structure_of(s.tokens) not in co.HELDOUT_STRUCTURES for s in corpus.train[::7])
    # the outside check's structures are none the grammar makes
    assert all(co.structure_of(s.tokens) is None for s in corpus.outside)
    assert len({s.structure for s in corpus.outside}) >= 20


def test_every_pair_of_a_held_out_structures_parts_is_trained():
    def pairs(sk):
        return {(i, j, sk[i], sk[j]) for i, j in itertools.combinations(range(len(sk)), 2)}

    for fold in co.validation_folds():  # while a fold is kept out too
        kept_out = co.HELDOUT_STRUCTURES | set(fold)
        trained = set().union(*(pairs(sk) for sk in co.SKELETONS if sk not in kept_out))
        for sk in kept_out:
            assert pairs(sk) <= trained, sk
        assert co.every_pair_trained(kept_out)


def test_the_validation_folds_are_built_like_the_test_and_never_meet_it():
    sets = co.validation_sets()
    assert len(sets) == 193 and co.VALIDATION_STRUCTURES in sets
    first, second, third = co.validation_folds()
    assert first == co.VALIDATION_STRUCTURES and second in sets and third in sets
    assert not set(first) & (set(second) | set(third)) and len(set(second) & set(third)) == 2
    for fold in (first, second, third):
        assert len(fold) == 6 and not set(fold) & co.HELDOUT_STRUCTURES
        assert [sum(sk.frame == f for sk in fold) for f in ("cross", "fit", "chase")] == [2, 2, 2]
        assert {(sk.frame, sk.reason) for sk in fold} == {("cross", "adjective"), ("fit", "object"),
                                                          ("chase", "adjective")}
        assert (sum(sk.extra != "none" for sk in fold), sum(sk.voice == "passive" for sk in fold),
                sum(sk.order == "before" for sk in fold)) == (4, 4, 2)
    # a fold kept out: its sentences move from training to validation, never a test sentence among them
    corpus = co.make_corpus(validation=second)
    names = {sk.name for sk in second}
    assert {s.structure for s in corpus.validation} == names and not names & {s.structure for s in corpus.train}
    tested = {s.tokens for s in (*corpus.structure_heldout, *corpus.held_out, *corpus.adjective_frame_heldout)}
    assert not tested & {s.tokens for s in corpus.validation}
    assert not {s.tokens for s in corpus.train} & {s.tokens for s in corpus.validation}


def test_twins_flip_the_answer_with_the_cue_and_never_meet_a_test_sentence(corpus):
    made = 0
    for original in corpus.train[:300]:
        for t in co.corpus.twins_of([original]):  # none for an object reason
            made += 1
            differ = [i for i, (a, b) in enumerate(zip(original.tokens, t.tokens, strict=True)) if a != b]
            assert differ == [original.tokens.index(original.adjective, original.it_index)]  # the cue alone
            assert (t.ref_index, t.other_index) == (original.other_index, original.ref_index)
            assert t.referent != original.referent and t.tokens[t.ref_index] == t.referent
    assert made > 100
    with_twins = co.make_corpus(twins=True)
    assert with_twins.structure_heldout == corpus.structure_heldout and with_twins.minimal_pairs == corpus.minimal_pairs
    tested = {s.tokens for s in (*corpus.structure_heldout, *corpus.held_out, *corpus.showcase)}
    assert not tested & {s.tokens for s in with_twins.train}
    assert len({s.tokens for s in with_twins.train}) == len(with_twins.train) > len(corpus.train)


def test_another_validation_split_leaves_the_test_sets_alone(corpus):
    earlier = tuple(sk for sk in co.SKELETONS if sk.frame == "chase" and sk.extra == "none")[:2]
    other = co.make_corpus(validation=earlier)
    assert other.structure_heldout == corpus.structure_heldout and other.minimal_pairs == corpus.minimal_pairs
    assert {s.structure for s in other.validation} == {sk.name for sk in earlier}


def test_the_blog_and_trophy_pairs_are_never_trained(corpus):
    for pair in NEVER_TOGETHER:
        assert not [s for s in corpus.train if {s.first, s.second} == pair]
    train = {s.tokens for s in corpus.train}
    for sentence in (*co.BLOG_PAIR, *co.TROPHY_PAIR):
        assert tuple(co.tokenize(sentence)) not in train
    assert [s.text for s in corpus.showcase] == [" ".join(co.tokenize(s)) for s in (*co.BLOG_PAIR, *co.TROPHY_PAIR)]


def test_adjective_frame_pairs_held_out_are_never_trained(corpus):
    trained = {(s.frame, s.adjective) for s in corpus.train}
    assert not trained & co.ADJECTIVE_FRAME_HELDOUT
    assert {(s.frame, s.adjective) for s in corpus.adjective_frame_heldout} == co.ADJECTIVE_FRAME_HELDOUT
    for frame, adjective in co.ADJECTIVE_FRAME_HELDOUT:  # each adjective is seen, in another frame
        assert any(s.adjective == adjective and s.frame != frame for s in corpus.train), adjective


def test_minimal_pairs_differ_in_the_adjective_alone(corpus):
    assert len(corpus.minimal_pairs) >= 200
    for a, b in corpus.minimal_pairs:
        assert a.referent != b.referent and a.ref_index == b.other_index
        assert sum(x != y for x, y in zip(a.tokens, b.tokens, strict=True)) == 1


def test_the_grammar_counterbalances_and_spans_lengths(corpus):
    lengths = [len(s.tokens) for s in corpus.train]
    assert min(lengths) <= 9 and max(lengths) >= 24 and max(lengths) <= co.MAX_TOKENS
    roles = Counter(s.referent == s.first for s in corpus.train)
    assert 0.35 < roles[True] / len(corpus.train) < 0.65
    before = sum(s.tokens[0] == "because" for s in corpus.train) / len(corpus.train)
    assert 0.25 < before < 0.6
    assert sum(s.tokens[-1] == "it" for s in corpus.train) > 1000  # "it" as an object
    # one adjective, different roles in different frames: no adjective -> slot rule
    small = {(s.frame, s.referent == s.first) for s in corpus.train if s.adjective == "small"}
    assert small == {("cross", True), ("fit", False)}


def test_the_lookup_baseline_is_the_best_length_adjective_table(corpus):
    """An independent count: for every (length, cue) of the training set, the position most often right."""
    table: dict[tuple[int, str], Counter] = defaultdict(Counter)
    for s in corpus.train:
        table[len(s.tokens), s.adjective][s.ref_index] += 1
    overall = Counter(s.ref_index for s in corpus.train).most_common(1)[0][0]

    def guess(s):
        c = table.get((len(s.tokens), s.adjective))
        return max(sorted(c), key=c.__getitem__) if c else overall

    held = corpus.structure_heldout
    expected = np.mean([guess(s) == s.ref_index for s in held])
    numbers = co.baselines(corpus)
    assert numbers["lookup_baseline"]["structure_heldout"] == pytest.approx(expected, abs=1e-6)
    assert numbers["lookup_baseline"]["structure_heldout"] <= 0.3  # the set measures resolution, not templates
    # on new sentences of trained structures the same table does far better: that set alone would not tell
    assert numbers["lookup_baseline"]["heldout_accuracy"] > 3 * numbers["lookup_baseline"]["structure_heldout"]


def test_the_slot_rule_picks_the_first_or_second_noun(corpus):
    s = corpus.structure_heldout[0]
    b = co.analysis.fitted_baselines(corpus)
    assert co.analysis.slot_answer(b, s) in nouns_in(s.tokens)[:2]
    numbers = co.baselines(corpus)
    # a pair flips the referent with the adjective: a table keyed on (length, cue) gets almost none; a cue -> slot
    # rule only pairs whose structure keeps the nouns in the slots training mostly saw them in
    assert numbers["lookup_baseline"]["minimal_pairs"] <= 0.05
    assert numbers["slot_rule_baseline"]["minimal_pairs"] <= 0.3


def test_tokenizer_menus_and_structures():
    assert co.tokenize("The animal didn’t cross the street, because it was too tired.")[2] == "didn't"
    with pytest.raises(ValueError, match="zebra"):
        co.tokenize("the zebra was tired")
    with pytest.raises(ValueError, match=f"at most {co.MAX_TOKENS}"):
        co.tokenize(" ".join(["the"] * (co.MAX_TOKENS + 1)))
    s = co.build_sentence("chase", "dog", "cat", "hungry", "passive")
    assert s == "the cat was chased by the dog because it was hungry"
    assert co.make_sentence("chase", "dog", "cat", "hungry", "passive").referent == "dog"
    assert co.build_sentence("fit", "ball", "box", "small", "passive") == \
        "the box couldn't hold the ball because it was too small"
    assert co.structure_of(co.tokenize("the street didn't cross the animal because it was too tired")) is None
    assert co.structure_of(co.tokenize(co.BLOG_PAIR[0])).name.startswith("cross, active, adjective")


# ---- the shipped weights --------------------------------------------------------------------------------------------


def test_shipped_weights_meet_the_targets(evaluation):
    # The aims (issue 22): 0.93 on held-out structures, 0.95 on minimal pairs, 0.90 for the pointer, the lookup baseline
    # at most 0.3. The shipped weights (setting chosen on three validation folds in two rounds, then trained on every
    # structure but the test's from seed 0) reach 0.984 and 0.960 (364 of 379 pairs), pointer 1.0, lookup 0.041
    # (models/weights/coreference_evaluation.json, benchmarks/results/coreference_folds.json).
    assert "validation_structures" not in evaluation  # no structure left out of the shipped training but the test's
    assert evaluation["structure_heldout"] >= 0.97
    assert evaluation["minimal_pairs"] >= 0.95
    assert min(evaluation["structure_heldout_by_structure"].values()) >= 0.95
    assert len(evaluation["structure_heldout_by_structure"]) == len(co.HELDOUT_STRUCTURES)
    assert evaluation["head_resolution"]["pointer"] >= 0.90  # the head the page names
    assert evaluation["lookup_baseline"]["structure_heldout"] <= 0.3
    assert evaluation["heldout_accuracy"] >= 0.97
    # the "done when": structures the grammar does not make are resolved at a similar rate
    assert evaluation["outside_check"] >= evaluation["structure_heldout"] - 0.05


@pytest.mark.parametrize(("sentence", "answer"), [(co.BLOG_PAIR[0], "animal"), (co.BLOG_PAIR[1], "street"),
                                                  (co.TROPHY_PAIR[0], "trophy"), (co.TROPHY_PAIR[1], "suitcase")])
def test_the_never_trained_blog_and_winograd_sentences_are_resolved(shipped, sentence, answer):
    out = co.attend(shipped, sentence)
    assert out.answer == answer and out.answer_prob > 0.5
    assert out.weights.shape == (2, 4, len(out.tokens), len(out.tokens))
    assert out.tokens[out.it_index] == "it"


def test_snapshots_go_from_step_0_to_the_end():
    snaps = co.load_snapshots()
    assert snaps[0].step == 0 and snaps[-1].step == co.SHIPPED.steps and 10 <= len(snaps) <= 20
    assert snaps[-1].heldout_accuracy > snaps[0].heldout_accuracy + 0.5


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


@pytest.mark.parametrize(("sentence", "word"), [("the zebra didn't cross the street because it was too tired", "zebra"),
                                                ("the dog chased it because it was hungry", "one 'it'"),
                                                ("the dog was tired because it was slow", "two nouns")])
def test_cli_attend_bad_input_exits_2_with_one_line(sentence, word):
    code, out, err = _run("attend", sentence, "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and word in err


def test_cli_attend_json_shape():
    code, out, _ = _run("attend", co.BLOG_PAIR[1], "--json")
    data = json.loads(out)
    assert code == 0 and data["answer"] == "street" and len(data["tokens"]) == 11
    assert list(data)[:5] == ["tokens", "answer", "answer_prob", "resolving_head", "weights"]
    layers, heads = len(data["weights"]), len(data["weights"][0])
    assert (layers, heads) == (2, 4) and np.array(data["weights"]).shape == (2, 4, 11, 11)
    assert 0 <= data["resolving_head"][0] < layers and 0 <= data["resolving_head"][1] < heads
    assert data["tokens"][int(np.argmax(data["pointer"]))] == data["answer"]
    assert data["structure"] and data["heldout_structure"] is False


def test_cli_evaluate_json_fields_and_the_hand_built_baseline(tmp_path):
    weights = tmp_path / co.WEIGHTS_PATH.name  # a copy: the test never rewrites the shipped evaluation
    weights.write_bytes(co.WEIGHTS_PATH.read_bytes())
    code, out, _ = _run("evaluate", "--json", "--weights", str(weights))
    data = json.loads(out)
    assert code == 0
    stored = co.stored_evaluation(weights)  # written beside the weights, as the page reads it
    assert stored == {k: v for k, v in data.items() if k != "hand_built_minimal_pairs"}
    assert list(data)[:4] == ["heldout_accuracy", "resolving_head", "resolution_heldout", "minimal_pairs"]
    for key in ("structure_heldout", "adjective_frame_heldout", "lookup_baseline", "slot_rule_baseline",
                "head_resolution", "outside_check", "hand_built_minimal_pairs"):
        assert key in data, key
    sets = {"heldout_accuracy", "structure_heldout", "minimal_pairs", "adjective_frame_heldout", "outside_check"}
    assert set(data["lookup_baseline"]) == set(data["slot_rule_baseline"]) == sets
    assert np.array(data["head_resolution"]["blocks"]).shape == (2, 4)
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

    params = co.init_params(co.ModelConfig(), seed=5)
    save_shipped(params, tmp_path / "a.npz")
    save_shipped(co.Params(params.config, {k: v.copy() for k, v in params.arrays.items()}), tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    loaded = co.load_shipped(tmp_path / "a.npz")
    assert all(np.array_equal(loaded.arrays[k], v.astype(np.float32)) for k, v in params.arrays.items())
