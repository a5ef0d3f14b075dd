"""Small pure functions the bottleneck and reordering pages need on top of `seq2seq`: accuracy per length from a
batch of translations, marking wrong words, how the influence on h_n fades, how focused a model's attention is, a
naive alignment and a reading guide of an attention matrix, and three scoring functions on the same states.

Everything a page says about these numbers is computed here; the pages' text modules only format it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from attention_core.attention import AttentionResult, additive_attention, scaled_dot_product_attention
from models import seq2seq, toy_tamil
from models.rnn import elman_init

__all__ = [
    "sentences_of_length", "pick_sentence",
    "LengthAccuracy", "exact_match", "exact_match_counts", "LengthBleu", "bleu_per_bucket", "length_curve",
    "ModelFacts", "model_facts", "FairComparison", "compare_models",
    "MarkedWord", "mark_words", "mistakes",
    "decay_per_step", "InfluenceComparison", "compare_influence", "largest_step_stretch", "CurveShape",
    "curve_shape",
    "naive_alignment", "GuideLine", "reading_guide", "order_jumps", "AlignmentReading", "read_alignment",
    "Focus", "attention_focus",
    "SCORINGS", "score_with", "ScoringSummary", "scoring_summary", "ScoringComparison", "compare_scorings",
]

# ---------------------------------------------------------------------------------------------------------------
# Sentences to show


def sentences_of_length(sentences: Sequence[toy_tamil.Sentence], n: int) -> list[toy_tamil.Sentence]:
    """The sentences whose source has exactly n tokens, in their original order."""
    return [s for s in sentences if len(s.source) == n]


def pick_sentence(sentences: Sequence[toy_tamil.Sentence], n: int, k: int) -> toy_tamil.Sentence | None:
    """The k-th (cyclically) sentence of source length n, or None when there is none of that length.

    The held-out set is sampled at random, so walking k = 0, 1, 2 ... visits random sentences of that length.
    """
    same = sentences_of_length(sentences, n)
    return same[k % len(same)] if same else None


# ---------------------------------------------------------------------------------------------------------------
# Accuracy


class LengthAccuracy(NamedTuple):
    per_length: dict[int, tuple[int, int]]  # source length -> (exact matches, sentences)
    per_bucket: dict[str, tuple[int, int]]  # bucket label ("3-7") -> (exact matches, sentences)

    def rate(self, key: int | str) -> float:
        """Exact-match rate of one length or bucket (0.0 when it holds no sentence)."""
        hits, n = (self.per_length if isinstance(key, int) else self.per_bucket)[key]
        return hits / n if n else 0.0


def exact_match(sentences: Sequence[toy_tamil.Sentence], outputs: Sequence[Sequence[str]]) -> LengthAccuracy:
    """Exact-match counts per source length and per LENGTH_BUCKETS bucket, from one batch of translations
    (so a page translates the held-out set once and gets both views; `seq2seq.evaluate` gives the same rates)."""
    if len(sentences) != len(outputs):
        raise ValueError(f"need one output per sentence: {len(sentences)} sentences, {len(outputs)} outputs")
    return exact_match_counts(sentences, [tuple(out) == tuple(s.english) for s, out in zip(sentences, outputs)])


def exact_match_counts(sentences: Sequence[toy_tamil.Sentence], exact: Sequence[bool]) -> LengthAccuracy:
    """`exact_match` from one flag per sentence (its translation equals the reference), e.g. the shipped
    evaluation (models.seq2seq.stored)."""
    if len(sentences) != len(exact):
        raise ValueError(f"need one flag per sentence: {len(sentences)} sentences, {len(exact)} flags")
    per_length: dict[int, list[int]] = {}
    for s, ok in zip(sentences, exact, strict=True):
        counts = per_length.setdefault(len(s.source), [0, 0])
        counts[0] += bool(ok)
        counts[1] += 1
    per_bucket = {}
    for lo, hi in toy_tamil.LENGTH_BUCKETS:
        inside = [per_length[n] for n in range(lo, hi + 1) if n in per_length]
        per_bucket[f"{lo}-{hi}"] = (sum(c[0] for c in inside), sum(c[1] for c in inside))
    return LengthAccuracy({n: (c[0], c[1]) for n, c in sorted(per_length.items())}, per_bucket)


class LengthBleu(NamedTuple):
    per_bucket: dict[str, float]  # bucket label ("3-9") -> corpus BLEU of its sentences, 0-100
    sentences: dict[str, int]  # bucket label -> how many sentences it holds

    def falls_to(self) -> float:
        """The longest bucket's BLEU as a fraction of the shortest's (0 when the shortest scores 0)."""
        scores = list(self.per_bucket.values())
        return scores[-1] / scores[0] if scores and scores[0] else 0.0


def bleu_per_bucket(sentences: Sequence[toy_tamil.Sentence], stats: Sequence[seq2seq.BleuStats]) -> LengthBleu:
    """Corpus BLEU per LENGTH_BUCKETS bucket from one sentence's BLEU counts each, the figures of `evaluate --json`
    (each bucket scored as one corpus, as Bahdanau et al. score each group of sentence lengths)."""
    if len(sentences) != len(stats):
        raise ValueError(f"need BLEU counts per sentence: {len(sentences)} sentences, {len(stats)} counts")
    counts: dict[str, int] = {f"{lo}-{hi}": 0 for lo, hi in toy_tamil.LENGTH_BUCKETS}
    for s in sentences:
        bucket = toy_tamil.bucket_of(len(s.source))
        if bucket is not None:
            counts[bucket] += 1
    return LengthBleu(seq2seq.bleu_by_bucket(stats, sentences), {b: n for b, n in counts.items() if n})


def length_curve(bleu: LengthBleu) -> tuple[list[float], list[str]]:
    """Where each bucket sits on a length axis (its middle) and its label, for a BLEU-by-length chart."""
    labels = list(bleu.per_bucket)
    middles = [(int(lo) + int(hi)) / 2 for lo, hi in (b.split("-") for b in labels)]
    return middles, labels


class ModelFacts(NamedTuple):
    name: str
    emb: int  # embedding size
    hidden: int  # decoder state s_i, and the context c_i the decoder reads at every step
    encoder: str  # "one way, H numbers" or "both ways, H/2 + H/2 numbers"
    enc_hidden: int  # numbers per encoder direction
    out: int  # tanh output layer
    src_vocab: int
    tgt_vocab: int
    params: int
    training: dict | None  # the training settings saved with the weights


def model_facts(model: seq2seq.Seq2Seq, training: dict | None) -> ModelFacts:
    cfg = model.config
    return ModelFacts(model.name, cfg.emb, cfg.hidden, "both ways" if cfg.attention else "one way", cfg.enc_hidden,
                      cfg.out, len(model.src_vocab), len(model.tgt_vocab), seq2seq.parameter_count(model), training)


class FairComparison(NamedTuple):
    attention: ModelFacts
    baseline: ModelFacts
    same_sizes: bool  # embedding, decoder state, context, output layer and vocabularies agree
    same_training: bool  # every saved training setting agrees (and both were saved)
    differing_settings: tuple[str, ...]  # the names of the settings that differ


def compare_models(attention: ModelFacts, baseline: ModelFacts) -> FairComparison:
    """What is the same and what differs between the two translators, from their weights files."""
    sizes = ("emb", "hidden", "out", "src_vocab", "tgt_vocab")
    same_sizes = all(getattr(attention, k) == getattr(baseline, k) for k in sizes)
    a, b = attention.training or {}, baseline.training or {}
    differing = tuple(sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k)))
    return FairComparison(attention, baseline, same_sizes, bool(a) and bool(b) and not differing, differing)


# ---------------------------------------------------------------------------------------------------------------
# Comparing a translation with the reference


class MarkedWord(NamedTuple):
    word: str
    status: str  # "ok", "wrong" (in the output, not in the reference there) or "missing" (reference word left out)


def mark_words(output: Sequence[str], reference: Sequence[str]) -> list[MarkedWord]:
    """The output word by word against the reference, aligned by longest matching blocks (difflib), so one
    inserted word marks that word only, not everything after it. Reference words the output lacks are 'missing'."""
    out, ref = list(output), list(reference)
    marked: list[MarkedWord] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=out, b=ref, autojunk=False).get_opcodes():
        if tag == "equal":
            marked += [MarkedWord(w, "ok") for w in out[i1:i2]]
        else:
            marked += [MarkedWord(w, "wrong") for w in out[i1:i2]]
            marked += [MarkedWord(w, "missing") for w in ref[j1:j2]]
    return marked


def mistakes(marked: Sequence[MarkedWord]) -> tuple[int, int]:
    """(wrong words, missing words) of a marked translation: (0, 0) exactly when it is the reference."""
    return sum(m.status == "wrong" for m in marked), sum(m.status == "missing" for m in marked)


# ---------------------------------------------------------------------------------------------------------------
# Alignments


def naive_alignment(n_out: int, n_src: int) -> np.ndarray:
    """Reading the source left to right: output word i looks only at source word floor(i * n_src / n_out).
    -> [n_out, n_src] one-hot rows (a diagonal, stretched when the lengths differ)."""
    if n_out < 0 or n_src < 1:
        raise ValueError(f"need n_out >= 0 and n_src >= 1, got n_out={n_out}, n_src={n_src}")
    cols = (np.arange(n_out) * n_src) // max(n_out, 1)  # [n_out]
    return (cols[:, None] == np.arange(n_src)[None, :]).astype(float)  # [n_out, 1] == [1, n_src] -> [n_out, n_src]


class GuideLine(NamedTuple):
    word: str  # the output word doing the looking
    source: int  # index of the source word it looks at most
    weight: float  # that word's share of its attention
    runner_up: int  # index of the second most looked-at source word (-1 for a one-word source)
    runner_up_weight: float


def reading_guide(weights: np.ndarray, target: Sequence[str]) -> list[GuideLine]:
    """For each output word (row of weights [T, S]): the source word it looks at most, and the next one."""
    w = np.asarray(weights, dtype=float)
    if w.ndim != 2 or w.shape[0] != len(target):
        raise ValueError(f"weights must be [len(target), S]: weights {w.shape}, {len(target)} target words")
    order = np.argsort(-w, axis=1, kind="stable")  # [T, S] source indices, most attended first
    lines = []
    for i, word in enumerate(target):
        top = int(order[i, 0])
        second = int(order[i, 1]) if w.shape[1] > 1 else -1
        lines.append(GuideLine(word, top, float(w[i, top]), second, float(w[i, second]) if second >= 0 else 0.0))
    return lines


def order_jumps(weights: np.ndarray) -> int:
    """How many times the most-attended source position moves backwards from one output word to the next: 0 for
    a left-to-right reading, more the more the model reorders.  [T, S] -> int"""
    top = np.argmax(np.asarray(weights), axis=1)  # [T]
    return int(np.sum(np.diff(top) < 0))


class AlignmentReading(NamedTuple):
    guide: list[GuideLine]  # one line per output word
    naive: np.ndarray  # [T, S] the left-to-right alignment of the same lengths
    jumps: int  # order_jumps of the weights
    as_naive: int  # output words whose most-attended source word is the one the naive alignment gives them
    in_order: bool  # no jump back and every output word where the naive alignment puts it
    first_reader: int  # the last output word that looks mostly at source word 0 (-1: none does)
    flattest: int  # the output word whose top weight is the smallest (-1 for no output)


def read_alignment(weights: np.ndarray, target: Sequence[str], n_source: int) -> AlignmentReading:
    """What the reordering page says about an attention matrix [T, S]: its reading guide against the naive
    alignment, how often the focus jumps back, who reads the first source word, and the flattest row."""
    guide = reading_guide(weights, target)
    naive = naive_alignment(len(target), n_source)
    naive_top = np.argmax(naive, axis=1)  # [T]
    jumps = order_jumps(weights)
    as_naive = sum(line.source == int(naive_top[i]) for i, line in enumerate(guide))
    readers = [i for i, line in enumerate(guide) if line.source == 0]
    flattest = min(range(len(guide)), key=lambda k: guide[k].weight, default=-1)
    return AlignmentReading(guide, naive, jumps, as_naive, jumps == 0 and as_naive == len(guide),
                            readers[-1] if readers else -1, flattest)


class Focus(NamedTuple):
    mean_top_weight: float  # average over output words of the largest weight
    visited: int  # distinct source words that were some output word's main focus


def attention_focus(weights: np.ndarray) -> Focus:
    """How concentrated an attention matrix [T, S] is, and how many source words it visits as its main focus."""
    w = np.asarray(weights, dtype=float)
    return Focus(float(np.max(w, axis=1).mean()), len(set(np.argmax(w, axis=1).tolist())))


def decay_per_step(curve: np.ndarray) -> float:
    """Geometric mean factor by which an influence curve [n] changes per step back from the last position:
    (curve[0] / curve[-1]) ** (1 / (n - 1)). Below 1: early words fade; above 1: they blow up."""
    c = np.asarray(curve, dtype=float)
    if c.ndim != 1 or c.size < 2 or not np.all(np.isfinite(c)) or np.any(c <= 0):
        raise ValueError(f"need a 1-D curve of at least 2 finite positive values, got shape {c.shape}")
    return float(np.exp((np.log(c[0]) - np.log(c[-1])) / (c.size - 1)))


class InfluenceComparison(NamedTuple):
    n: int  # words in the sentence
    random_ratio: float | None  # first word's influence / last word's, random RNN; None: no ratio to report
    random_step: float | None  # decay_per_step of the random RNN's curve
    trained_ratio: float | None  # the same two for the trained encoder; None without one
    trained_step: float | None
    trained_flatter: bool  # the trained encoder's factor per step is closer to 1 than the random RNN's
    strongest: int  # the word that moves the trained encoder's h_n most (0-based; -1 without a trained curve)


def compare_influence(random_curve: np.ndarray, trained_curve: np.ndarray | None = None) -> InfluenceComparison:
    """First-to-last ratios and factors per step of two influence curves [n] on the same n words. There is no ratio
    for a one-word sentence, nor when an influence is exactly 0 (a saturated tanh) or not finite: all None then."""
    n = len(random_curve)
    curves = [np.asarray(c, dtype=float) for c in (random_curve, trained_curve) if c is not None]
    if n < 2 or not all(np.all(np.isfinite(c)) and np.all(c > 0) for c in curves):
        return InfluenceComparison(n, None, None, None, None, False, -1)
    random, random_step = curves[0], decay_per_step(curves[0])
    plain = InfluenceComparison(n, float(random[0] / random[-1]), random_step, None, None, False, -1)
    if trained_curve is None:
        return plain
    trained, trained_step = curves[1], decay_per_step(curves[1])
    return plain._replace(trained_ratio=float(trained[0] / trained[-1]), trained_step=trained_step,
                          trained_flatter=bool(abs(np.log(trained_step)) < abs(np.log(random_step))),
                          strongest=int(np.argmax(trained)))


def largest_step_stretch(rho: float, hidden: int = 32, input_dim: int = 16, seed: int = 0) -> float:
    """σ_max(W_h) of the random RNN that `models.rnn.elman_influence_curve(n, rho)` builds with its defaults: the most
    one step's linear part can stretch a vector. It exceeds ρ because W_h is not symmetric, so one step can grow a
    direction even when ρ < 1; only the long-run product shrinks like ρ^k."""
    w_h = elman_init(input_dim, hidden, rho, seed).w_h  # [H, H]
    return float(np.linalg.svd(w_h, compute_uv=False)[0])


class CurveShape(NamedTuple):
    first: float  # influence of word 1 on h_n
    low: int  # 0-based position of the smallest influence
    lowest: float
    last: float  # influence of the last word
    u_shaped: bool  # the minimum is inside the sentence and word 1 stands well above it


def curve_shape(curve: np.ndarray, rise: float = 1.5) -> CurveShape:
    """Where an influence curve [n] is lowest, and whether it is U-shaped: lowest strictly inside the sentence, with
    both ends at least `rise` times the minimum."""
    c = np.asarray(curve, dtype=float)
    if c.ndim != 1 or c.size < 1 or not np.all(np.isfinite(c)):
        raise ValueError(f"need a 1-D curve of finite values, got shape {c.shape}")
    low = int(np.argmin(c))
    u = 0 < low < c.size - 1 and c[0] >= rise * c[low] and c[-1] >= rise * c[low]
    return CurveShape(float(c[0]), low, float(c[low]), float(c[-1]), bool(u))


# ---------------------------------------------------------------------------------------------------------------
# Scoring functions on the same states

SCORINGS = ("additive", "dot", "scaled dot")


def score_with(model: seq2seq.Seq2Seq, states: seq2seq.AttentionStates, scoring: str) -> AttentionResult:
    """One scoring function over the decoder queries [T, H] (row i is s_{i-1}, the state before output word i) and
    the annotations, keys = values [S, H], of `states`: "additive" is the trained model's own (Bahdanau:
    v_a . tanh(s_{i-1} W_a + h_j U_a)); "dot" is s_{i-1} . h_j (Luong's score, here on Bahdanau's query); "scaled
    dot" is s_{i-1} . h_j / sqrt(H). Only additive was trained; the other two show what these states give them."""
    q, k = states.queries, states.encoder  # [T, H], [S, H]
    if scoring == "additive":
        p = model.params
        return additive_attention(q, k, k, p["att_w_q"], p["att_w_k"], p["att_v"])
    if scoring == "dot":
        return scaled_dot_product_attention(q, k, k, scale=1.0)
    if scoring == "scaled dot":
        return scaled_dot_product_attention(q, k, k)  # scale 1/sqrt(H)
    raise ValueError(f"scoring must be one of {SCORINGS}, got {scoring!r}")


class ScoringSummary(NamedTuple):
    mean_top_weight: float  # average over output words of the largest weight: how peaked the rows are
    score_spread: float  # average over output words of (max score - min score), in logit units
    agree: int  # output words whose most-attended source word is the same as under the reference scoring
    rows: int


def scoring_summary(result: AttentionResult, reference: AttentionResult) -> ScoringSummary:
    """How one scoring's weights [T, S] compare with a reference's: peakedness, logit spread, argmax agreement."""
    w, logits = np.asarray(result.weights, float), np.asarray(result.logits, float)
    if w.shape != np.shape(reference.weights):
        raise ValueError(f"weights must match the reference: {w.shape} against {np.shape(reference.weights)}")
    if w.shape[0] == 0:
        return ScoringSummary(0.0, 0.0, 0, 0)
    agree = int(np.sum(np.argmax(w, axis=1) == np.argmax(reference.weights, axis=1)))
    spread = float(np.mean(logits.max(axis=1) - logits.min(axis=1)))
    return ScoringSummary(float(np.mean(w.max(axis=1))), spread, agree, w.shape[0])


class ScoringComparison(NamedTuple):
    results: dict[str, AttentionResult]  # scoring name -> its weights and logits, in SCORINGS order
    summaries: dict[str, ScoringSummary]  # scoring name -> compared with the trained additive score
    same_winner: int  # output words for which dot and scaled dot pick the same top source word
    width: int  # numbers per encoder state, H
    divisor: float  # sqrt(H), what scaled dot divides the dot product by


def compare_scorings(model: seq2seq.Seq2Seq, states: seq2seq.AttentionStates) -> ScoringComparison:
    """All SCORINGS on the same states, each summarised against the trained additive score."""
    results = {name: score_with(model, states, name) for name in SCORINGS}
    summaries = {name: scoring_summary(results[name], results["additive"]) for name in SCORINGS}
    width = int(np.shape(states.encoder)[1])
    return ScoringComparison(results, summaries, scoring_summary(results["dot"], results["scaled dot"]).agree,
                             width, float(np.sqrt(width)))
