"""The held-out evaluation shipped with the weights (models/weights/evaluation.json): fresh for the shipped weights,
equal to a live translation on a sample, ignored once the weights or the held-out set differ."""

from __future__ import annotations

import json
import shutil

import pytest

from lessons.seq2seq_views import exact_match, exact_match_counts
from models import seq2seq, toy_tamil
from models.seq2seq import stored

SAMPLE_EVERY = 40  # 50 of the 2,000 sentences, every length bucket included


@pytest.fixture(scope="module")
def held_out() -> list[toy_tamil.Sentence]:
    return toy_tamil.held_out_set()


@pytest.mark.parametrize("name", seq2seq.MODEL_NAMES)
def test_shipped_evaluation_matches_a_live_translation_of_a_sample(name, held_out):
    flags = stored.stored_exact(name, held_out)
    assert flags is not None, ("models/weights/evaluation.json does not describe the shipped weights: run "
                               "`python -m models.seq2seq evaluate`")
    sample = held_out[::SAMPLE_EVERY]
    assert {toy_tamil.bucket_of(len(s.source)) for s in sample} == {f"{lo}-{hi}" for lo, hi in toy_tamil.LENGTH_BUCKETS}
    live = seq2seq.translate_batch(seq2seq.load_model(name), [s.source for s in sample])
    assert stored.exact_flags(live, sample) == flags[::SAMPLE_EVERY]
    assert exact_match(sample, live) == exact_match_counts(sample, flags[::SAMPLE_EVERY])
    stats = stored.stored_bleu(name, held_out)
    assert stats is not None and len(stats) == len(held_out)
    assert stored.sentence_bleu(live, sample) == stats[::SAMPLE_EVERY]  # the same BLEU counts, sentence by sentence
    assert seq2seq.corpus_bleu(live, [s.english for s in sample]) == pytest.approx(
        seq2seq.bleu.score(sum(stats[::SAMPLE_EVERY], seq2seq.bleu.ZERO)))


def _copy_weights(tmp_path):
    for name in (*seq2seq.MODEL_NAMES, stored.EVALUATION_FILE):
        shutil.copy(seq2seq.WEIGHTS_DIR / name if name.endswith(".json") else seq2seq.weights_path(name), tmp_path)
    return tmp_path


def test_other_weights_or_another_held_out_set_make_it_stale(tmp_path, held_out):
    folder = _copy_weights(tmp_path)
    assert stored.stored_exact("attention", held_out, folder) is not None
    assert stored.stored_exact("attention", held_out[:-1], folder) is None  # another set
    with open(folder / "attention.npz", "ab") as f:  # retrained weights: another file
        f.write(b"\0")
    assert stored.stored_exact("attention", held_out, folder) is None
    assert stored.stored_exact("no_attention", held_out, folder) is not None  # its own entry still holds


@pytest.mark.parametrize("damage", ["not json", '{"models": {}}', '{"models": {"attention": {"exact": 3}}}'])
def test_a_damaged_file_is_ignored(tmp_path, held_out, damage):
    folder = _copy_weights(tmp_path)
    (folder / stored.EVALUATION_FILE).write_text(damage)
    assert stored.stored_exact("attention", held_out, folder) is None


def test_write_then_read_round_trips(tmp_path):
    folder = _copy_weights(tmp_path)
    sentences = toy_tamil.held_out_set()[:7]
    flags = {"attention": [True] * 6 + [False], "no_attention": [False, True] * 3 + [True]}
    outputs = [s.english if i % 2 else s.english[:-1] for i, s in enumerate(sentences)]
    bleu = {name: stored.sentence_bleu(outputs, sentences) for name in flags}
    path = stored.write_evaluation(folder, sentences, flags, bleu)
    assert json.loads(path.read_text())["models"]["attention"]["exact"] == "1111110"
    for name, f in flags.items():
        assert stored.stored_exact(name, sentences, folder) == f
        assert stored.stored_bleu(name, sentences, folder) == bleu[name]
    assert not list(folder.glob("*.tmp"))
    stored.write_evaluation(folder, sentences, flags)  # an evaluation without BLEU counts has none to give
    assert stored.stored_bleu("attention", sentences, folder) is None
