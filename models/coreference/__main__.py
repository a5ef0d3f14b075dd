"""The coreference model's command line.

    python -m models.coreference train                  # rebuild the shipped weights and snapshots (seeded)
    python -m models.coreference train --quick --json   # the page's live training, timed; prints its measures
    python -m models.coreference evaluate --json        # the shipped weights on every held-out set, the baselines;
                                                        # stores it in coreference_evaluation.json beside the weights
    python -m models.coreference attend "SENTENCE" --json
    python -m models.coreference vocab                  # every word the model knows

`evaluate` also measures the playground's hand-built self-attention (the hand-set `models.lexicon` vectors through
identity projections) on the same minimal pairs.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
from collections.abc import Sequence

import numpy as np

from attention_core import self_attention
from models.coreference.analysis import attend, minimal_pair_share, resolving_head
from models.coreference.corpus import Sentence, make_corpus, vocabulary
from models.coreference.files import (
    WEIGHTS_PATH,
    WeightsError,
    load_shipped,
)
from models.coreference.stored import evaluate_and_write
from models.coreference.training import SHIPPED, SHIPPED_SEED, train_job
from models.lexicon import D_MODEL, embed

__all__ = ["hand_built_it_row", "hand_built_minimal_pairs", "main"]


def hand_built_it_row(tokens: Sequence[str]) -> np.ndarray:
    """[n]: the "it" row of the Self-attention page's default view (lexicon vectors, no positions, identity W_Q, W_K,
    W_V, scaled by 1/sqrt(d)): attention_core.self_attention on models.lexicon.embed."""
    eye = np.eye(D_MODEL)
    return self_attention(embed(list(tokens)), eye, eye, eye).weights[list(tokens).index("it")]


def hand_built_minimal_pairs(pairs: Sequence[tuple[Sentence, Sentence]]) -> float:
    """Share of minimal pairs where the hand-built "it" row favours the referent in both sentences."""

    def right(s: Sentence) -> bool:
        row = hand_built_it_row(s.tokens)
        return bool(row[s.tokens.index(s.referent)] > row[s.tokens.index(s.other)])

    return minimal_pair_share(pairs, right)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: sys.argv[1:]); returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m models.coreference", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    tr = sub.add_parser("train", help="rebuild the shipped weights and snapshots from a fixed seed")
    tr.add_argument("--quick", action="store_true", help="the page's live training only: time it, save nothing")
    tr.add_argument("--json", action="store_true", help="print JSON only")
    tr.add_argument("--seed", type=int, default=SHIPPED_SEED, help="default: the shipped seed")
    tr.add_argument("--out", default=str(WEIGHTS_PATH.parent), help="output folder (default: the shipped weights)")
    tr.add_argument("--dropout", type=float, default=SHIPPED.dropout,
                    help="residual dropout in training (default: the shipped setting's); for experiments with --out")
    ev = sub.add_parser("evaluate", help="the shipped weights against the targets; stores the result beside them")
    ev.add_argument("--json", action="store_true", help="print JSON only")
    ev.add_argument("--weights", default=str(WEIGHTS_PATH), help="weights file (default: the shipped one)")
    at = sub.add_parser("attend", help="the model's answer and attention weights for one sentence")
    at.add_argument("sentence")
    at.add_argument("--json", action="store_true", help="print JSON only")
    sub.add_parser("vocab", help="every word the model knows")
    args = parser.parse_args(argv)
    try:
        return {"train": _train, "evaluate": _evaluate, "attend": _attend, "vocab": _vocab}[args.command](args)
    except WeightsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _train(args: argparse.Namespace) -> int:
    # A fresh process with one BLAS thread: the arrays are small, so more threads only fight over the cores (ten
    # times slower on a busy 2-core machine), and the arithmetic, hence the weights, is the same on every run.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    with mp.get_context("spawn").Pool(1) as pool:
        result = pool.apply(train_job, (args.quick, args.seed, args.out, not args.json, args.dropout))
    if args.json:
        print(json.dumps(result))
    elif args.quick:
        print("\n".join(f"{k}: {v}" for k, v in result.items()))
    else:
        print(f"saved {result['weights']}, {result['snapshots']} and {result['evaluation']} ({result['steps']} "
              f"steps, {result['seconds']:.0f} s)")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    corpus = make_corpus()
    result = evaluate_and_write(args.weights, corpus)  # the page reads the stored copy: no first visitor waits
    result["hand_built_minimal_pairs"] = hand_built_minimal_pairs(corpus.minimal_pairs)
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))
    return 0


def _attend(args: argparse.Namespace) -> int:
    params = load_shipped()
    try:
        out = attend(params, args.sentence)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    head = list(resolving_head(params))
    structure = out.structure.name if out.structure else None
    result = {"tokens": out.tokens, "answer": out.answer, "answer_prob": round(out.answer_prob, 6),
              "resolving_head": head, "weights": np.round(out.weights, 6).tolist(),
              "answer_index": out.answer_index, "pointer": np.round(out.pointer, 6).tolist(),
              "structure": structure, "heldout_structure": out.heldout_structure}
    if args.json:
        print(json.dumps(result))
    else:
        note = ("" if structure else " (a sentence structure the model was never trained on)")
        print(f"'it' is '{out.answer}' (pointer weight {out.answer_prob:.0%}){note}; the pointer looks at: "
              + ", ".join(f"{t} {w:.0%}" for t, w in zip(out.tokens, out.pointer, strict=True)))
    return 0


def _vocab(args: argparse.Namespace) -> int:
    print(" ".join(vocabulary()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
