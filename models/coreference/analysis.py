"""What the trained model does: its answer for one sentence, how often each head favours the referent, the trivial
baselines, and the evaluate measures.

    attend(params, tokens)          the answer (the pointer's favourite word of the sentence), its weight, the
                                    pointer row and every block head's weights (display path: attention_core)
    resolution(params, sentences)   answers and every head's "it" row on many sentences, in padded batches
    head_resolution(...)            per block head, and for the pointer: the share of sentences where the "it" row
                                    weighs the referent above the other candidate
    resolving_head(params)          the block head that favours the referent most often, on TRAINING sentences
    baselines(corpus)               the lookup table (length, cue) -> position and the slot rule cue -> first or
                                    second noun, both fitted on the training set, scored on every held-out set
    evaluate(params)                all of it, as `python -m models.coreference evaluate --json` prints it
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from .corpus import (
    HELDOUT_STRUCTURES,
    Corpus,
    Sentence,
    Skeleton,
    make_corpus,
    nouns_in,
    structure_of,
    token_ids,
    tokenize,
)
from .model import Params, batch_forward, forward, make_batch

__all__ = ["Attended", "Resolution", "attend", "baselines", "evaluate", "head_resolution", "minimal_pair_accuracy",
           "minimal_pair_share",
           "quick_metrics", "resolution", "resolving_head", "check_input"]

TRAIN_SAMPLE_EVERY = 20  # resolving_head reads every 20th training sentence: enough to rank eight heads


class Attended(NamedTuple):
    tokens: list[str]
    answer: str  # the word of the sentence the pointer weighs most
    answer_index: int  # its position
    answer_prob: float  # the pointer's weight on it
    pointer: np.ndarray  # [n] the pointer's weights from "it" (sum to 1 over the sentence)
    candidates: dict[str, float]  # the pointer's weight on each noun of the sentence
    weights: np.ndarray  # [L, H, n, n] the blocks' attention weights, rows = queries, columns = keys
    it_index: int
    structure: Skeleton | None  # the grammar's skeleton, or None: a sentence the model was never trained on

    @property
    def heldout_structure(self) -> bool:
        """A structure of the grammar held out of training."""
        return self.structure in HELDOUT_STRUCTURES


def check_input(tokens: Sequence[str]) -> None:
    """ValueError saying what the model needs, for a sentence without exactly one "it" or without two nouns."""
    its = sum(t == "it" for t in tokens)
    if its == 0:
        raise ValueError("the sentence has no 'it': the model answers the question 'who is it?'")
    if its > 1:
        raise ValueError(f"the sentence has {its} times 'it': the model answers for one 'it' per sentence, so "
                         "write a sentence with a single 'it'")
    nouns = [tokens[i] for i in nouns_in(tokens)]
    if len(nouns) < 2:
        found = f"only {nouns[0]!r}" if nouns else "none"
        raise ValueError(f"the sentence needs two nouns for 'it' to choose between, and has {found}")


def attend(params: Params, tokens: Sequence[str] | str) -> Attended:
    """Run one sentence (a string or its tokens) through the model; ValueError for unknown words, no "it", several
    "it"s or fewer than two nouns."""
    tokens = tokenize(tokens) if isinstance(tokens, str) else tokenize(" ".join(tokens))
    check_input(tokens)
    it = tokens.index("it")
    out = forward(params, token_ids(tokens))
    row = out.pointer[it]  # [n]
    best = int(np.argmax(row))
    candidates = {tokens[i]: float(row[i]) for i in nouns_in(tokens)}
    return Attended(tokens, tokens[best], best, float(row[best]), row, candidates, out.weights, it,
                    structure_of(tokens))


class Resolution(NamedTuple):
    correct: np.ndarray  # [S] bool: the pointer's favourite position is the referent
    favours: np.ndarray  # [L, H, S] bool: the block head's "it" row weighs the referent above the other candidate
    margin: np.ndarray  # [L, H, S] weight on the referent minus weight on the other candidate
    pointer_favours: np.ndarray  # [S] bool: the pointer weighs the referent above the other candidate
    answer: np.ndarray  # [S] the position the pointer chose


def resolution(params: Params, sentences: Sequence[Sentence], batch_size: int = 512) -> Resolution:
    """Answers and every head's "it" row on many sentences, computed in padded batches."""
    correct, margins, pointer_ok, answers = [], [], [], []
    for start in range(0, len(sentences), batch_size):
        chunk = list(sentences[start : start + batch_size])
        batch = make_batch(chunk)
        pointer, weights, _ = batch_forward(params, batch)  # [B, n], [L, B, H, n, n]
        rows = np.arange(len(chunk))
        it_rows = weights[:, rows, :, batch.it_index, :]  # [B, L, H, n] (advanced indices first)
        ref = batch.target
        other = np.array([s.other_index for s in chunk])
        margin = it_rows[rows, :, :, ref] - it_rows[rows, :, :, other]  # [B, L, H]
        chosen = pointer.argmax(-1)
        answers.append(chosen)
        correct.append(chosen == ref)
        pointer_ok.append(pointer[rows, ref] > pointer[rows, other])
        margins.append(np.moveaxis(margin, 0, -1))  # [L, H, B]
    margin = np.concatenate(margins, axis=-1)
    return Resolution(np.concatenate(correct), margin > 0, margin, np.concatenate(pointer_ok),
                      np.concatenate(answers))


def head_resolution(res: Resolution) -> dict:
    """{"blocks": [L][H] share of sentences where the block head favours the referent, "pointer": the same for the
    pointer head}."""
    return {"blocks": res.favours.mean(-1).round(6).tolist(), "pointer": round(float(res.pointer_favours.mean()), 6)}


def _pick_head(res: Resolution) -> tuple[int, int]:
    share = res.favours.mean(-1)  # [L, H]
    score = share + 1e-3 * res.margin.mean(-1)  # ties broken by the mean margin
    layer, head = np.unravel_index(int(np.argmax(score)), share.shape)
    return int(layer), int(head)


def resolving_head(params: Params, corpus: Corpus | None = None) -> tuple[int, int]:
    """(layer, head), 0-based: the block head that favours the referent most often, chosen on training sentences."""
    corpus = corpus or make_corpus()
    return _pick_head(resolution(params, corpus.train[::TRAIN_SAMPLE_EVERY]))


def quick_metrics(params: Params, corpus: Corpus | None = None) -> dict:
    """{heldout_accuracy, resolution_heldout}: the pointer's accuracy on the structures never trained, and its share
    of them where it weighs the referent above the other candidate. What the live training shows every hundred
    steps."""
    corpus = corpus or make_corpus()
    held = resolution(params, corpus.structure_heldout)
    return {"heldout_accuracy": float(held.correct.mean()), "resolution_heldout": float(held.pointer_favours.mean())}


def minimal_pair_share(pairs: Sequence[tuple[Sentence, Sentence]], right: Callable[[Sentence], bool]) -> float:
    """Share of pairs where both sentences come out right (`right(sentence)`), so the result flips with the word."""
    return float(np.mean([right(a) and right(b) for a, b in pairs])) if pairs else float("nan")


def minimal_pair_accuracy(params: Params, pairs: Sequence[tuple[Sentence, Sentence]]) -> float:
    """minimal_pair_share of the model's answers: every sentence of the pairs resolved in one batched pass."""
    flat = [s for pair in pairs for s in pair]
    ok = dict(zip((s.tokens for s in flat), resolution(params, flat).correct.tolist(), strict=True))
    return minimal_pair_share(pairs, lambda s: ok[s.tokens])


# ---- trivial baselines -------------------------------------------------------------------------------------------


class Baselines(NamedTuple):
    lookup: dict[tuple[int, str], int]  # (length, cue) -> the position most often right in training
    fallback: int  # the position most often right overall, for a (length, cue) training never had
    slot: dict[str, int]  # cue -> 0 (the sentence's first noun) or 1 (its second), whichever training favours


def _fit(train: Sequence[Sentence]) -> Baselines:
    by_key: dict[tuple[int, str], Counter] = defaultdict(Counter)
    by_cue: dict[str, Counter] = defaultdict(Counter)
    for s in train:
        by_key[len(s.tokens), s.adjective][s.ref_index] += 1
        by_cue[s.adjective][nouns_in(s.tokens).index(s.ref_index)] += 1
    best = {k: min(c, key=lambda p: (-c[p], p)) for k, c in by_key.items()}  # ties: the earlier position
    overall = Counter(s.ref_index for s in train)
    slot = {cue: 0 if c[0] >= c[1] else 1 for cue, c in by_cue.items()}
    return Baselines(best, min(overall, key=lambda p: (-overall[p], p)), slot)


@functools.lru_cache(maxsize=1)
def _shipped_fit() -> Baselines:
    return _fit(make_corpus().train)


def fitted_baselines(corpus: Corpus) -> Baselines:
    """The baselines fitted on `corpus`'s training set (computed once for the shipped corpus)."""
    return _shipped_fit() if corpus is make_corpus() else _fit(corpus.train)


def lookup_answer(b: Baselines, s: Sentence) -> int:
    return b.lookup.get((len(s.tokens), s.adjective), b.fallback)


def slot_answer(b: Baselines, s: Sentence) -> int:
    nouns = nouns_in(s.tokens)
    k = b.slot.get(s.adjective, 0)
    return nouns[k] if k < len(nouns) else -1


def _score(sentences, answer: Callable[[Sentence], int], pairs=False) -> float:
    if pairs:
        return minimal_pair_share(sentences, lambda s: answer(s) == s.ref_index)
    return float(np.mean([answer(s) == s.ref_index for s in sentences])) if sentences else float("nan")


def held_out_sets(corpus: Corpus) -> dict[str, list]:
    """Every evaluation set by its name in evaluate's JSON (minimal_pairs holds pairs)."""
    return {"heldout_accuracy": corpus.held_out, "structure_heldout": corpus.structure_heldout,
            "minimal_pairs": corpus.minimal_pairs, "adjective_frame_heldout": corpus.adjective_frame_heldout,
            "outside_check": corpus.outside}


def baselines(corpus: Corpus | None = None) -> dict[str, dict[str, float]]:
    """{"lookup_baseline": {set: score}, "slot_rule_baseline": {set: score}}, fitted on the training set."""
    corpus = corpus or make_corpus()
    b = fitted_baselines(corpus)
    out: dict[str, dict[str, float]] = {"lookup_baseline": {}, "slot_rule_baseline": {}}
    for name, sentences in held_out_sets(corpus).items():
        pairs = name == "minimal_pairs"
        out["lookup_baseline"][name] = round(_score(sentences, functools.partial(lookup_answer, b), pairs), 6)
        out["slot_rule_baseline"][name] = round(_score(sentences, functools.partial(slot_answer, b), pairs), 6)
    return out


# ---- evaluate ----------------------------------------------------------------------------------------------------


def by_structure(sentences: Sequence[Sentence], correct: np.ndarray) -> dict[str, float]:
    """Accuracy per sentence structure, in the order the structures first occur: an average can hide one
    structure the model does not resolve."""
    groups: dict[str, list[bool]] = {}
    for s, ok in zip(sentences, correct.tolist(), strict=True):
        groups.setdefault(s.structure, []).append(ok)
    return {name: round(float(np.mean(oks)), 4) for name, oks in groups.items()}


def evaluate(params: Params, corpus: Corpus | None = None) -> dict:
    """The evaluate command's measures (all but the hand-built one, which needs the lessons' lexicon). Accuracy is
    the share of sentences whose pointer picks the referent's position; on minimal pairs, both sentences of a pair."""
    corpus = corpus or make_corpus()
    layer, head = resolving_head(params, corpus)
    held = resolution(params, corpus.held_out)
    structure = resolution(params, corpus.structure_heldout)
    showcase = resolution(params, corpus.showcase)
    return {"heldout_accuracy": float(held.correct.mean()), "resolving_head": [layer, head],
            "resolution_heldout": float(structure.favours[layer, head].mean()),
            "minimal_pairs": minimal_pair_accuracy(params, corpus.minimal_pairs),
            "structure_heldout": float(structure.correct.mean()),
            "structure_heldout_by_structure": by_structure(corpus.structure_heldout, structure.correct),
            "adjective_frame_heldout": float(resolution(params, corpus.adjective_frame_heldout).correct.mean()),
            "outside_check": float(resolution(params, corpus.outside).correct.mean()),
            # structures a selection corpus kept out to choose settings on (none in the shipped corpus)
            **({"validation_structures": float(resolution(params, corpus.validation).correct.mean()),
                "validation_minimal_pairs": minimal_pair_accuracy(params, corpus.validation_pairs)}
               if corpus.validation else {}),
            "never_trained_pairs": {s.text: s.tokens[int(a)] for s, a in zip(corpus.showcase, showcase.answer,
                                                                                strict=True)},
            **baselines(corpus),
            "head_resolution": head_resolution(structure)}
