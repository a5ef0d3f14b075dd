"""Corpus BLEU (Papineni et al. 2002) as sacreBLEU computes it by default, for the translators' evaluation.

Clipped n-gram matches (n = 1..4) and n-gram counts are summed over the whole corpus before dividing; the score is
the brevity penalty times the geometric mean of the four precisions, on a 0-100 scale. sacreBLEU's defaults are
followed exactly: one reference per sentence, the "exp" smoothing (an order with no match counts as 1 / (2^k x
its n-gram count), k = 1 for the first such order, 2 for the next, ...), no effective order. Its 13a tokenizer
splits punctuation off words; the toy language's English is lower-case words without punctuation, so splitting
on spaces is the same thing here, and the callers pass token tuples. tests/models/test_bleu.py checks the numbers
against sacreBLEU's on a fixed set of sentences.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

__all__ = ["MAX_ORDER", "ZERO", "BleuStats", "bleu_stats", "corpus_bleu", "score"]

MAX_ORDER = 4


class BleuStats(NamedTuple):
    """What corpus BLEU adds up over sentences; two corpora's stats add element-wise."""
    matches: tuple[int, ...]  # clipped n-gram matches, n = 1..4
    totals: tuple[int, ...]  # n-grams in the hypotheses, n = 1..4
    hyp_len: int
    ref_len: int

    def __add__(self, other: BleuStats) -> BleuStats:  # type: ignore[override]
        return BleuStats(tuple(a + b for a, b in zip(self.matches, other.matches, strict=True)),
                         tuple(a + b for a, b in zip(self.totals, other.totals, strict=True)),
                         self.hyp_len + other.hyp_len, self.ref_len + other.ref_len)


ZERO = BleuStats((0,) * MAX_ORDER, (0,) * MAX_ORDER, 0, 0)


def _ngrams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def bleu_stats(hypothesis: Sequence[str], reference: Sequence[str]) -> BleuStats:
    """One sentence's clipped n-gram matches and counts (a hypothesis n-gram counts at most as often as the
    reference has it)."""
    matches, totals = [], []
    for n in range(1, MAX_ORDER + 1):
        hyp, ref = _ngrams(hypothesis, n), _ngrams(reference, n)
        matches.append(sum(min(c, ref[g]) for g, c in hyp.items()))
        totals.append(max(len(hypothesis) - n + 1, 0))
    return BleuStats(tuple(matches), tuple(totals), len(hypothesis), len(reference))


def score(stats: BleuStats) -> float:
    """BLEU on a 0-100 scale from summed stats."""
    if stats.hyp_len == 0:
        return 0.0
    log_sum, doubling = 0.0, 1.0
    for m, t in zip(stats.matches, stats.totals, strict=True):
        if t == 0:  # hypotheses too short to hold an n-gram of this order: sacreBLEU scores 0
            return 0.0
        if m == 0:
            doubling *= 2
            log_sum += math.log(1.0 / (doubling * t))
        else:
            log_sum += math.log(m / t)
    brevity = 1.0 if stats.hyp_len >= stats.ref_len else math.exp(1.0 - stats.ref_len / stats.hyp_len)
    return 100.0 * brevity * math.exp(log_sum / MAX_ORDER)


def corpus_bleu(hypotheses: Sequence[Sequence[str]], references: Sequence[Sequence[str]]) -> float:
    """Corpus BLEU (0-100) of tokenised hypotheses against one tokenised reference each."""
    if len(hypotheses) != len(references):
        raise ValueError(f"need one reference per hypothesis: {len(hypotheses)} hypotheses, {len(references)} "
                         "references")
    total = ZERO
    for hyp, ref in zip(hypotheses, references, strict=True):
        total = total + bleu_stats(tuple(hyp), tuple(ref))
    return score(total)
