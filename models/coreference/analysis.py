"""What the trained model does: its answer for one sentence, which head resolves "it", and the evaluate measures.

    attend(params, tokens)          the answer, its probability and every layer's and head's weights (display path:
                                    attention_core.multi_head_attention)
    resolving_head(params)          the (layer, head) whose "it" row most often puts more weight on the referent than
                                    on the other candidate, on TRAINING sentences only
    evaluate(params)                held-out accuracy, that head's resolution on held-out sentences, minimal pairs
    minimal_pair_share(...)         the minimal-pair measure for any attention (the command line feeds it the
                                    playground's hand-built self-attention too)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from attention_core import softmax

from .corpus import NOUNS, VOCAB, Corpus, Sentence, make_corpus, token_ids, tokenize
from .model import Params, batch_forward, forward, make_batch

__all__ = ["Attended", "Resolution", "attend", "evaluate", "minimal_pair_share", "quick_metrics", "resolution",
           "resolving_head"]

_NOUN_SLOTS = ("first", "second")


class Attended(NamedTuple):
    tokens: list[str]
    answer: str  # the vocabulary word the model names for "it"
    answer_prob: float  # its probability (softmax over the whole vocabulary)
    probs: np.ndarray  # [V] probability of every vocabulary word, in VOCAB order
    candidates: dict[str, float]  # probability of each noun of the sentence (other words left out)
    weights: np.ndarray  # [L, H, n, n] attention weights, rows = queries, columns = keys
    it_index: int  # the position of "it" (its first occurrence)


def attend(params: Params, tokens: Sequence[str] | str) -> Attended:
    """Run one sentence (a string or its tokens) through the model; ValueError for unknown words or no "it"."""
    tokens = tokenize(tokens) if isinstance(tokens, str) else tokenize(" ".join(tokens))
    if "it" not in tokens:
        raise ValueError("the sentence has no 'it': the model answers the question 'who is it?'")
    it = tokens.index("it")
    out = forward(params, token_ids(tokens), it)
    probs = softmax(out.logits.astype(np.float64))  # [V]
    best = int(np.argmax(probs))
    nouns = [t for t in dict.fromkeys(tokens) if _is_noun(t)]
    candidates = {t: float(probs[VOCAB.index(t)]) for t in nouns}
    return Attended(tokens, VOCAB[best], float(probs[best]), probs, candidates, out.weights, it)


def _is_noun(word: str) -> bool:
    return any(word in group for group in NOUNS.values())


class Resolution(NamedTuple):
    correct: np.ndarray  # [S] bool: the model's answer is the referent
    favours: np.ndarray  # [L, H, S] bool: the head's "it" row weighs the referent above the other candidate
    margin: np.ndarray  # [L, H, S] weight on the referent minus weight on the other candidate


def resolution(params: Params, sentences: Sequence[Sentence], batch_size: int = 512) -> Resolution:
    """Answers and every head's "it" row on many sentences, computed in padded batches."""
    correct, margins = [], []
    for start in range(0, len(sentences), batch_size):
        chunk = list(sentences[start : start + batch_size])
        batch = make_batch(chunk)
        logits, weights, _ = batch_forward(params, batch)  # [B, V], [L, B, H, n, n]
        rows = np.arange(len(chunk))
        it_rows = weights[:, rows, :, batch.it_index, :]  # [B, L, H, n] (advanced indices first)
        ref = np.array([s.tokens.index(s.referent) for s in chunk])
        other = np.array([s.tokens.index(s.other) for s in chunk])
        margin = it_rows[rows, :, :, ref] - it_rows[rows, :, :, other]  # [B, L, H]
        correct.append(logits.argmax(-1) == batch.target)
        margins.append(np.moveaxis(margin, 0, -1))  # [L, H, B]
    margin = np.concatenate(margins, axis=-1)
    return Resolution(np.concatenate(correct), margin > 0, margin)


def _pick_head(res: Resolution) -> tuple[int, int]:
    share = res.favours.mean(-1)  # [L, H]
    score = share + 1e-3 * res.margin.mean(-1)  # ties broken by the mean margin
    layer, head = np.unravel_index(int(np.argmax(score)), share.shape)
    return int(layer), int(head)


def resolving_head(params: Params, corpus: Corpus | None = None) -> tuple[int, int]:
    """(layer, head), 0-based, chosen on the training sentences only."""
    corpus = corpus or make_corpus()
    return _pick_head(resolution(params, corpus.train))


def quick_metrics(params: Params, corpus: Corpus | None = None) -> dict:
    """{heldout_accuracy, resolution_heldout, resolving_head}: what the live training shows every few dozen steps."""
    corpus = corpus or make_corpus()
    layer, head = resolving_head(params, corpus)
    held = resolution(params, corpus.held_out)
    return {"heldout_accuracy": float(held.correct.mean()), "resolving_head": [layer, head],
            "resolution_heldout": float(held.favours[layer, head].mean())}


def minimal_pair_share(pairs: Sequence[tuple[Sentence, Sentence]], right: Callable[[Sentence], bool]) -> float:
    """Share of pairs where both sentences come out right (`right(sentence)`), so the result flips with the word."""
    return float(np.mean([right(a) and right(b) for a, b in pairs])) if pairs else float("nan")


def evaluate(params: Params, corpus: Corpus | None = None) -> dict:
    """The evaluate command's measures (all but the hand-built one, which needs the lessons' lexicon)."""
    corpus = corpus or make_corpus()
    layer, head = resolving_head(params, corpus)
    held = resolution(params, corpus.held_out)
    flat = [s for pair in corpus.minimal_pairs for s in pair]
    res = resolution(params, flat)
    ok = {s: bool(c and f) for s, c, f in zip(flat, res.correct, res.favours[layer, head], strict=True)}
    return {"heldout_accuracy": float(held.correct.mean()), "resolving_head": [layer, head],
            "resolution_heldout": float(held.favours[layer, head].mean()),
            "minimal_pairs": minimal_pair_share(corpus.minimal_pairs, ok.__getitem__)}
