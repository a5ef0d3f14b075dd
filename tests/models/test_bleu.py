"""Corpus BLEU equals sacreBLEU's on fixed corpora (its numbers are stored in fixtures/bleu_cases.json, written
by fixtures/make_bleu_cases.py with sacreBLEU installed), and its parts behave as the paper defines them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.seq2seq.bleu import bleu_stats, corpus_bleu

CASES = json.loads((Path(__file__).parent / "fixtures" / "bleu_cases.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_corpus_bleu_equals_sacrebleu(case):
    assert corpus_bleu(case["hypotheses"], case["references"]) == pytest.approx(case["sacrebleu"], abs=1e-9)


def test_the_cases_cover_perfect_partial_and_zero_scores():
    scores = [c["sacrebleu"] for c in CASES]
    assert max(scores) == pytest.approx(100.0) and min(scores) == 0.0
    assert sum(0 < s < 100 for s in scores) >= 15


def test_clipping_and_brevity_penalty():
    # "the the the" against "the cat": one "the" matches, not three
    assert bleu_stats(("the", "the", "the"), ("the", "cat")).matches[0] == 1
    ref = ("we", "will", "send", "the", "new", "report", "to", "kumar", "tomorrow")
    half = ref[:5]  # every n-gram matches, but the output is too short: BLEU = exp(1 - 9/5) * 100
    assert corpus_bleu([half], [ref]) == pytest.approx(100 * 2.718281828459045 ** (1 - 9 / 5))
    with pytest.raises(ValueError, match="one reference per hypothesis"):
        corpus_bleu([ref], [])
