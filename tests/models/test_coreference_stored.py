"""The coreference evaluation shipped with the weights (models/weights/coreference_evaluation.json): fresh for the
shipped weights, equal to a live evaluation, ignored once the weights, the corpus or the code differ, and the
Learning page evaluates live only then."""

from __future__ import annotations

import json
import shutil

import pytest

from models import coreference as co
from models.coreference import stored
from models.coreference.analysis import baselines, evaluate

SAMPLE_EVERY = 5  # the ordinary held-out set (2,100 sentences, all right) is checked on every 5th: the slow part


@pytest.fixture(scope="module")
def corpus() -> co.Corpus:
    return co.make_corpus()


def test_shipped_evaluation_is_fresh_and_matches_a_live_evaluation(corpus):
    shipped = co.stored_evaluation()
    assert shipped is not None, ("models/weights/coreference_evaluation.json does not describe the shipped weights, "
                                 "corpus and code: run `python -m models.coreference evaluate`")
    sample = corpus._replace(held_out=corpus.held_out[::SAMPLE_EVERY])
    live = evaluate(co.load_shipped(), sample)
    fitted_on_train = {"lookup_baseline", "slot_rule_baseline"}  # these score the whole held-out set: below
    for key in set(shipped) - {"heldout_accuracy"} - fitted_on_train:
        assert live[key] == shipped[key], key
    assert baselines(corpus) == {k: shipped[k] for k in fitted_on_train}
    # a sample cannot hold more wrong answers than the whole set has
    wrong = round((1 - live["heldout_accuracy"]) * len(sample.held_out))
    assert wrong <= round((1 - shipped["heldout_accuracy"]) * len(corpus.held_out))


def _copy(tmp_path):
    shutil.copy(co.WEIGHTS_PATH, tmp_path)
    shutil.copy(co.EVALUATION_PATH, tmp_path)
    return tmp_path / co.WEIGHTS_PATH.name


def test_other_weights_another_corpus_or_other_code_make_it_stale(tmp_path, corpus, monkeypatch):
    weights = _copy(tmp_path)
    assert stored.stored_evaluation(weights, corpus) is not None
    smaller = corpus._replace(minimal_pairs=corpus.minimal_pairs[:-1])
    assert stored.stored_evaluation(weights, smaller) is None  # another corpus
    monkeypatch.setattr(stored, "code_sha256", lambda: "0" * 64)  # another forward pass or measure
    assert stored.stored_evaluation(weights, corpus) is None
    monkeypatch.undo()
    with open(weights, "ab") as f:  # retrained weights: another file
        f.write(b"\0")
    assert stored.stored_evaluation(weights, corpus) is None


@pytest.mark.parametrize("damage", ["not json", '{"key": {}}', "[]", "KEY_WITHOUT_MEASURES"])
def test_a_damaged_file_is_ignored(tmp_path, corpus, damage):
    weights = _copy(tmp_path)
    path = tmp_path / stored.EVALUATION_NAME
    if damage == "KEY_WITHOUT_MEASURES":  # the right key, a measure missing
        body = json.loads(path.read_text())
        del body["evaluation"]["minimal_pairs"]
        damage = json.dumps(body)
    path.write_text(damage)
    assert stored.stored_evaluation(weights, corpus) is None


def test_write_then_read_round_trips(tmp_path, corpus):
    weights = _copy(tmp_path)
    result = {k: 0.5 for k in stored.MEASURES} | {"never_trained_pairs": {"a sentence": "a"}}
    path = stored.write_evaluation(result, weights, corpus, tmp_path / stored.EVALUATION_NAME)
    assert json.loads(path.read_text())["key"] == stored.evaluation_key(weights, corpus)
    assert stored.stored_evaluation(weights, corpus) == result
    assert not list(tmp_path.glob("*.tmp"))


def test_the_page_evaluates_live_only_when_the_stored_copy_is_stale(monkeypatch):
    from playground import learning_ui as ui

    calls = []
    live = {"computed": "live"}
    monkeypatch.setattr(ui.model, "evaluate", lambda params: calls.append(params) or live)
    ui.evaluation.clear()
    try:
        assert ui.evaluation() == co.stored_evaluation() and not calls  # fresh: read, never computed
        ui.evaluation.clear()
        monkeypatch.setattr(ui.model, "stored_evaluation", lambda: None)  # stale (or missing, or damaged)
        assert ui.evaluation() is live and len(calls) == 1
    finally:
        ui.evaluation.clear()  # the next test's page computes its own


def test_the_corpus_is_built_once_however_many_sessions_ask_at_once():
    # A class opening the Learning page together on a fresh server: every session asks for the corpus at once.
    import threading

    from models.coreference import corpus as corpus_module

    corpus_module._make_corpus.cache_clear()
    barrier = threading.Barrier(8)
    got = []

    def session() -> None:
        barrier.wait()
        got.append(corpus_module.make_corpus())

    threads = [threading.Thread(target=session) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert corpus_module._make_corpus.cache_info().misses == 1
    assert all(c is got[0] for c in got)
