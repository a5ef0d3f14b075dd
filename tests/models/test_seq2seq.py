"""The two seq2seq models: gradients against finite differences, training lowers the loss, the shipped weights
reach their accuracy on the held-out set, decoding and attention states agree, weights errors are clear."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from attention_core import additive_attention
from models import seq2seq, toy_tamil
from models.seq2seq import Config, WeightsError, stored
from models.seq2seq.__main__ import main as cli

TINY = {"emb": 5, "hidden": 6, "attn": 4, "out": 7}


@pytest.fixture(scope="module")
def models() -> dict[str, seq2seq.Seq2Seq]:
    return seq2seq.load_models()


@pytest.fixture(scope="module")
def held_out() -> list[toy_tamil.Sentence]:
    return toy_tamil.held_out_set()


def _sentences(n: int, lengths=(3, 9), seed: int = 0) -> list[toy_tamil.Sentence]:
    rng = np.random.default_rng(seed)
    return [toy_tamil.sample_sentence(rng, lengths) for _ in range(n)]


@pytest.mark.parametrize("attention", [True, False])
def test_gradients_match_finite_differences(attention):
    model = seq2seq.init_model(Config(attention=attention, **TINY), seed=1, dtype=np.float64)
    for k, v in model.params.items():  # non-zero biases, so their gradients are checked on a general point
        if v.ndim == 1 and k != "att_v":
            v[...] = 0.2 * np.random.default_rng(len(k)).standard_normal(v.shape)
    batch = seq2seq.make_batch(model, _sentences(3))  # different lengths: padding and masks are exercised
    assert not batch.src_valid.all()
    _, grads = seq2seq.loss_and_grads(model, batch)
    assert set(grads) == set(model.params)
    rng = np.random.default_rng(7)
    eps = 1e-5
    for name, value in model.params.items():
        direction = rng.standard_normal(value.shape)
        value += eps * direction
        up, _ = seq2seq.loss_and_grads(model, batch)
        value -= 2 * eps * direction
        down, _ = seq2seq.loss_and_grads(model, batch)
        value += eps * direction
        numeric = (up - down) / (2 * eps)
        analytic = float((grads[name] * direction).sum())
        assert analytic == pytest.approx(numeric, rel=1e-5, abs=1e-9), name
    assert ({"enc_bwd_w_x", "att_w_q", "att_w_k", "att_v"} <= set(grads)) == attention  # backward GRU, W_a, U_a, v_a


@pytest.mark.parametrize("attention", [True, False])
def test_the_decoder_is_rnnsearch_or_the_rnn_encoder_decoder(attention):
    """s_0 = tanh(←h_1 W_s + b_s) (baseline: tanh(c W_s + b_s) with c = h_n), the query of output word i is s_{i-1},
    the context c_i enters the decoder GRU with E y_{i-1} (baseline: the same c = h_n at every step, as in Cho et
    al.'s RNN encoder-decoder), and the output layer reads [s_i; E y_{i-1}; c_i]: recomputed here step by step."""
    from models.rnn import gru_forward, gru_step

    model = seq2seq.init_model(Config(attention=attention, **TINY), seed=5, dtype=np.float64)
    p, h = model.params, TINY["hidden"]
    source, target = toy_tamil.BLOG_SOURCE, toy_tamil.BLOG_ENGLISH
    x = p["src_emb"][[model.src_index[t] for t in source]]  # [S, E]
    fwd = gru_forward(seq2seq.model.gru_params(p, "enc"), x)[0]  # [S, He]
    if attention:
        bwd = gru_forward(seq2seq.model.gru_params(p, "enc_bwd"), x[::-1])[0][::-1]  # ←h_j has read j .. S
        ann, summary = np.concatenate([fwd, bwd], axis=1), bwd[0]
    else:
        ann, summary = fwd, fwd[-1]
    states = seq2seq.attention_states(model, source, target)
    np.testing.assert_allclose(states.encoder, ann, rtol=1e-12)
    s = np.tanh(summary @ p["init_w"] + p["init_b"])  # s_0
    tindex = {w: i for i, w in enumerate(model.tgt_vocab)}
    y_prev = 1  # <s>
    for i, word in enumerate(target):
        np.testing.assert_allclose(states.queries[i], s, rtol=1e-12)  # the query is s_{i-1}
        if attention:
            att = additive_attention(s[None], ann, ann, p["att_w_q"], p["att_w_k"], p["att_v"])  # [1, H] -> [1, H]
            c = att.output[0]
            np.testing.assert_allclose(states.weights[i], att.weights[0], rtol=1e-12)
        else:
            c = summary  # RNNencdec: the encoder's summary, unchanged at every step
        s = gru_step(seq2seq.model.gru_params(p, "dec"), np.concatenate([p["tgt_emb"][y_prev], c])[None], s[None])[0]
        y_prev = tindex[word]
    assert states.queries.shape == (len(target), h)
    # both decoders read an H-number context at every step, through weights of the same shapes
    assert p["dec_w_x"].shape[0] == TINY["emb"] + h
    assert p["out_w_c"].shape[0] == h + TINY["emb"] + h


def test_rnnencdec_reads_the_summary_at_every_decoder_step():
    """Without attention there are no weights, yet changing only the LAST source token changes the context the
    decoder reads at every step, from the first on (it is h_n, fed to every step); the attention model's context
    changes too, but through its weights over the annotations."""
    model = seq2seq.init_model(Config(attention=False, **TINY), seed=3, dtype=np.float64)
    p, h = model.params, TINY["hidden"]
    source = ("நான்", "நேற்று", "அதை", "அனுப்பினேன்")
    changed = (*source[:-1], "சரிபார்த்தேன்")  # "I checked it yesterday" for "I sent it yesterday"
    target = ("i", "sent", "it", "yesterday")

    def decoder_inputs(tokens):
        src, valid = seq2seq.model.source_ids(model, [tokens])
        enc = seq2seq.model.encode(model, src, valid)
        s = seq2seq.init_state(p, enc.summary)
        tindex = {w: i for i, w in enumerate(model.tgt_vocab)}
        ys, contexts = [1, *(tindex[w] for w in target[:-1])], []
        for y in ys:
            step = seq2seq.decode_step(model, enc, None, np.array([y]), s)
            assert step.weights is None  # no attention weights anywhere
            contexts.append(step.cache.x[0, TINY["emb"]:])  # the context part of the GRU's input [E y; c]
            s = step.state
        return np.array(contexts), enc.summary[0]

    before, c_before = decoder_inputs(source)
    after, c_after = decoder_inputs(changed)
    assert before.shape == (len(target), h)
    np.testing.assert_allclose(before, np.broadcast_to(c_before, before.shape))  # the same c at every step
    assert np.all(np.abs(after - before).max(axis=1) > 1e-6)  # every step's input moved


def test_additive_attention_forward_is_the_library_function():
    """The weights the attention model reports are attention_core.additive_attention on its states."""
    model = seq2seq.init_model(Config(**TINY), seed=2, dtype=np.float64)
    states = seq2seq.attention_states(model, toy_tamil.BLOG_SOURCE, toy_tamil.BLOG_ENGLISH)
    p = model.params
    ref = additive_attention(states.queries, states.encoder, states.encoder, p["att_w_q"], p["att_w_k"], p["att_v"])
    np.testing.assert_allclose(states.weights, ref.weights)
    assert states.queries.shape == (7, TINY["hidden"]) and states.encoder.shape == (5, TINY["hidden"])
    # the annotations are [→h_j; ←h_j], H/2 numbers each way: the same width as the decoder state that queries them
    assert p["enc_w_h"].shape == p["enc_bwd_w_h"].shape == (TINY["hidden"] // 2, 3 * TINY["hidden"] // 2)


@pytest.mark.parametrize("attention", [True, False])
def test_a_few_training_steps_lower_the_loss(attention):
    corpus = toy_tamil.Corpus(_sentences(256, seed=3), [])
    settings = seq2seq.TrainSettings(steps=40, batch_size=32, lr=1e-2, lr_final=1e-2)
    fresh = seq2seq.init_model(Config(attention=attention, emb=16, hidden=24, attn=16, out=24))
    trained = seq2seq.train_model(fresh.config, corpus, settings, log=None)
    batch = seq2seq.make_batch(fresh, corpus.train[:64])
    before, _ = seq2seq.loss_and_grads(fresh, batch)
    after, _ = seq2seq.loss_and_grads(trained, batch)
    assert after < 0.7 * before


def test_training_is_deterministic():
    corpus = toy_tamil.Corpus(_sentences(64, seed=4), [])
    settings = seq2seq.TrainSettings(steps=3, batch_size=16)
    cfg = Config(**TINY)
    a = seq2seq.train_model(cfg, corpus, settings, log=None)
    b = seq2seq.train_model(cfg, corpus, settings, log=None)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])


@pytest.fixture(scope="module")
def shipped(held_out) -> dict:
    """What `evaluate --json` reports, from the evaluation shipped with the weights (translating all 2,000
    held-out sentences with both models would take minutes)."""
    flags = {n: stored.stored_exact(n, held_out) for n in seq2seq.MODEL_NAMES}
    stats = {n: stored.stored_bleu(n, held_out) for n in seq2seq.MODEL_NAMES}
    assert None not in (*flags.values(), *stats.values()), "run `python -m models.seq2seq evaluate`"
    return {**{n: seq2seq.decoding.accuracy(f, held_out) for n, f in flags.items()},
            "bleu": {n: seq2seq.bleu_by_bucket(b, held_out) for n, b in stats.items()}}


def test_shipped_weights_meet_the_targets_on_the_held_out_set(shipped):
    """The issue's targets, on the shipped evaluation of all 2,000 held-out sentences (tests/models/
    test_stored_evaluation.py checks it against a live translation of a sample): the baseline's BLEU on the longest
    sentences is at most 0.6 of its BLEU on the shortest; the attention model keeps at least 0.9 of its short-sentence
    BLEU and translates at least 90 % of the shortest sentences exactly."""
    labels = [f"{lo}-{hi}" for lo, hi in toy_tamil.LENGTH_BUCKETS]
    first, last = labels[0], labels[-1]
    assert int(last.split("-")[0]) >= 40
    bleu, exact = shipped["bleu"], shipped
    assert list(bleu["attention"]) == list(bleu["no_attention"]) == list(exact["attention"]) == labels
    assert bleu["no_attention"][last] <= 0.6 * bleu["no_attention"][first], bleu
    assert bleu["attention"][last] >= 0.9 * bleu["attention"][first], bleu
    assert exact["attention"][first] >= 0.9, exact
    assert bleu["no_attention"][last] > 0  # it degrades, it does not collapse (as in the paper's Fig. 2)
    for name in seq2seq.MODEL_NAMES:  # small enough to ship in the repository
        assert seq2seq.weights_path(name).stat().st_size <= 2_000_000


def test_both_models_were_trained_with_the_same_settings():
    """Read from the weights files themselves: the same steps, batch, optimiser settings, seed and data."""
    settings = {name: seq2seq.training_settings(seq2seq.weights_path(name)) for name in seq2seq.MODEL_NAMES}
    assert settings["attention"] is not None and settings["attention"] == settings["no_attention"]
    assert set(settings["attention"]) == set(seq2seq.TrainSettings.__dataclass_fields__)
    configs = {name: seq2seq.load_model(name).config for name in seq2seq.MODEL_NAMES}
    for size in ("emb", "hidden", "out"):  # the same sizes; only the encoder and the context's source differ
        assert getattr(configs["attention"], size) == getattr(configs["no_attention"], size)
    models = seq2seq.load_models()
    assert models["attention"].src_vocab == models["no_attention"].src_vocab
    assert models["attention"].tgt_vocab == models["no_attention"].tgt_vocab


def test_evaluate_json_keeps_its_contract(tmp_path, monkeypatch, capsys):
    """`evaluate --json`: exact match per bucket under each model's name, and "bleu", "params", "steps"; here on
    a small sample of the held-out set (the whole set is checked through the shipped evaluation)."""
    import shutil

    for name in seq2seq.MODEL_NAMES:
        shutil.copy(seq2seq.weights_path(name), tmp_path)
    sample = toy_tamil.held_out_set()[::100]
    monkeypatch.setattr(toy_tamil, "held_out_set", lambda: list(sample))
    assert cli(["evaluate", "--json", "--weights", str(tmp_path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"attention", "no_attention", "bleu", "params", "steps"}
    labels = [f"{lo}-{hi}" for lo, hi in toy_tamil.LENGTH_BUCKETS]
    for name in seq2seq.MODEL_NAMES:
        assert list(result[name]) == labels and all(0 <= v <= 1 for v in result[name].values())
        assert list(result["bleu"][name]) == labels and all(0 <= v <= 100 for v in result["bleu"][name].values())
        assert result["params"][name] == seq2seq.parameter_count(seq2seq.load_model(name))
        assert result["steps"][name] == seq2seq.training_settings(seq2seq.weights_path(name))["steps"]
    flags, stats = (stored.stored_exact("attention", sample, tmp_path), stored.stored_bleu("attention", sample, tmp_path))
    assert result["attention"] == seq2seq.decoding.accuracy(flags, sample)
    assert result["bleu"]["attention"] == seq2seq.bleu_by_bucket(stats, sample)


def test_per_length_accuracy_averages_to_the_bucket_accuracy(held_out, shipped):
    flags = stored.stored_exact("no_attention", held_out)
    per_length = seq2seq.decoding.accuracy(flags, held_out, per_length=True)
    assert list(per_length) == list(range(3, toy_tamil.MAX_SOURCE_LEN + 1))
    counts = {n: sum(len(s.source) == n for s in held_out) for n in per_length}
    for lo, hi in toy_tamil.LENGTH_BUCKETS:
        lengths = range(lo, hi + 1)
        mean = sum(per_length[n] * counts[n] for n in lengths) / sum(counts[n] for n in lengths)
        assert mean == pytest.approx(shipped["no_attention"][f"{lo}-{hi}"], abs=1e-3)


def test_shipped_attention_model_translates_and_reorders_the_blog_sentence(models):
    out = seq2seq.translate(models["attention"], toy_tamil.BLOG_SOURCE)
    assert out.tokens == toy_tamil.BLOG_ENGLISH
    assert out.weights.shape == (7, 5)
    np.testing.assert_allclose(out.weights.sum(axis=1), 1.0, rtol=1e-5)
    focus = dict(zip(out.tokens, out.weights.argmax(axis=1), strict=True))
    # "can" looks at the modal (position 5), "send" at the verb (4), "report" at the object (3), "tomorrow" at 1
    assert (focus["can"], focus["send"], focus["report"], focus["tomorrow"]) == (4, 3, 2, 0)


def test_translate_agrees_with_batched_decoding_and_attention_states(models, held_out):
    for model in models.values():
        sources = [s.source for s in held_out[::97]]
        batch = seq2seq.translate_batch(model, sources)
        for src, out in zip(sources, batch, strict=True):
            single = seq2seq.translate(model, src)
            assert single.tokens == out
            states = seq2seq.attention_states(model, src)
            assert states.target == out and states.queries.shape[0] == len(out)
            assert states.encoder.shape == (len(src), model.config.hidden)
            np.testing.assert_allclose(states.encoder, seq2seq.encoder_states(model, src), rtol=1e-6)
            if model.config.attention:
                assert single.weights.shape == (len(out), len(src))
            else:
                assert single.weights is None and states.weights is None


def test_encoder_input_influence_is_exact_for_the_trained_encoder(models):
    model = models["no_attention"]
    influence = seq2seq.encoder_input_influence(model, toy_tamil.BLOG_SOURCE)
    assert influence.shape == (5,) and np.all(influence > 0)
    # finite differences on the embeddings of the first word
    from models.rnn import GRUParams, gru_forward

    p = {k: v.astype(np.float64) for k, v in model.params.items()}
    enc = GRUParams(*(p[f"enc_{k}"] for k in GRUParams._fields))
    x = p["src_emb"][[model.src_index[t] for t in toy_tamil.BLOG_SOURCE]]
    jac = np.zeros((model.config.hidden, x.shape[1]))
    for j in range(x.shape[1]):
        xp, xm = x.copy(), x.copy()
        xp[0, j] += 1e-6
        xm[0, j] -= 1e-6
        jac[:, j] = (gru_forward(enc, xp)[0][-1] - gru_forward(enc, xm)[0][-1]) / 2e-6
    assert influence[0] == pytest.approx(np.linalg.norm(jac), rel=1e-5)


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        (["நாளைக்குள்", "hello", "<script>"], "hello"),
        ([], "empty"),
        (["அந்த"] * 51, "at most 50"),
        ("நாளைக்குள் அந்த", "sequence of tokens"),
        (["<pad>", "அந்த"], "<pad>"),
    ],
)
def test_bad_source_sentences_raise_value_errors_naming_the_problem(models, source, needle):
    with pytest.raises(ValueError, match=needle):
        seq2seq.translate(models["attention"], source)


def test_save_and_load_round_trip(tmp_path):
    model = seq2seq.init_model(Config(**TINY), seed=3)
    path = tmp_path / "m.npz"
    seq2seq.save_model(model, path)
    loaded = seq2seq.load_model("attention", path)
    assert loaded.config == model.config and loaded.src_vocab == model.src_vocab
    for k, v in model.params.items():
        np.testing.assert_array_equal(loaded.params[k], v)


def test_missing_or_corrupt_weights_raise_weights_error(tmp_path):
    with pytest.raises(WeightsError, match="missing"):
        seq2seq.load_model("attention", tmp_path / "nope.npz")
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"\x00not a zip file at all" * 10)
    with pytest.raises(WeightsError, match="corrupt"):
        seq2seq.load_model("attention", garbage)
    good = tmp_path / "good.npz"
    seq2seq.save_model(seq2seq.init_model(Config(**TINY)), good)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(WeightsError, match="corrupt"):
        seq2seq.load_model("attention", truncated)
    with zipfile.ZipFile(good) as z:  # a file from an incompatible model: one weight has the wrong shape
        arrays = {n[:-4]: np.load(z.open(n)) for n in z.namelist()}
    arrays["param_out_w"] = arrays["param_out_w"][:, :3]
    wrong = tmp_path / "wrong.npz"
    np.savez(wrong, **arrays)
    with pytest.raises(WeightsError, match="out_w"):
        seq2seq.load_model("attention", wrong)
    arrays["param_out_w"] = np.full((TINY["out"], len(seq2seq.init_model().tgt_vocab)), np.nan, np.float32)
    np.savez(wrong, **arrays)
    with pytest.raises(WeightsError, match="out_w"):
        seq2seq.load_model("attention", wrong)
    with pytest.raises(ValueError, match="model name"):
        seq2seq.weights_path("bigger")
    assert issubclass(WeightsError, Exception) and not issubclass(WeightsError, ValueError)


def test_setting_the_package_weights_dir_moves_every_loader(tmp_path, monkeypatch):
    monkeypatch.setattr(seq2seq, "WEIGHTS_DIR", tmp_path)
    assert seq2seq.weights_path("attention") == tmp_path / "attention.npz"
    with pytest.raises(WeightsError, match="missing"):
        seq2seq.load_models()


def test_evaluate_command_reports_missing_weights(capsys, tmp_path):
    assert cli(["evaluate", "--json", "--weights", str(tmp_path)]) == 1
    assert "missing" in capsys.readouterr().err


def _cli(args: list[str], capsys) -> tuple[int, str, str]:
    status = cli(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_encode_command_shows_that_the_last_word_reaches_the_first_annotation(models, capsys):
    """One-directionally the first annotation could not depend on the last token; bidirectionally it does, through
    its backward half, while its forward half (which has read only the first token) stays the same."""
    outs = []
    for last in ("அனுப்பினேன்", "படித்தேன்"):  # "I sent it" / "I read it": only the last token differs
        status, out, _ = _cli(["encode", f"நான் அதை {last}", "--json"], capsys)
        assert status == 0
        outs.append(json.loads(out))
    assert outs[0]["tokens"] == ["நான்", "அதை", "அனுப்பினேன்"]
    first = [np.array(o["annotations"][0]) for o in outs]
    half = models["attention"].config.hidden // 2
    assert len(first[0]) == 2 * half
    np.testing.assert_allclose(first[0][:half], first[1][:half], atol=1e-6)  # →h_1 has not seen the last token
    assert np.abs(first[0][half:] - first[1][half:]).max() > 1e-2  # ←h_1 has
    np.testing.assert_allclose(outs[0]["annotations"], seq2seq.encoder_states(models["attention"], outs[0]["tokens"]),
                               atol=1e-6)  # fmt: skip


def test_translate_command_prints_the_translation_and_its_weights(models, capsys):
    status, out, _ = _cli(["translate", " ".join(toy_tamil.BLOG_SOURCE), "--json"], capsys)
    assert status == 0
    result = json.loads(out)
    expected = seq2seq.translate(models["attention"], toy_tamil.BLOG_SOURCE)
    assert result["translation"] == " ".join(expected.tokens) == " ".join(toy_tamil.BLOG_ENGLISH)
    weights = np.array(result["weights"])
    assert weights.shape == (len(expected.tokens), len(toy_tamil.BLOG_SOURCE))  # rows English, columns Tamil
    np.testing.assert_allclose(weights, expected.weights, atol=1e-6)
    status, out, _ = _cli(["translate", " ".join(toy_tamil.BLOG_SOURCE)], capsys)
    assert status == 0 and out.splitlines()[0] == result["translation"]


@pytest.mark.parametrize("command", ["encode", "translate"])
def test_look_inside_commands_name_unknown_words_and_exit_2(command, capsys, tmp_path):
    status, out, err = _cli([command, "நாளைக்குள் hello அந்த wörld", "--json"], capsys)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "hello" in err and "wörld" in err
    status, _, err = _cli([command, "   "], capsys)
    assert status == 2 and "empty" in err
    status, _, err = _cli([command, "அந்த", "--weights", str(tmp_path)], capsys)
    assert status == 1 and "missing" in err
