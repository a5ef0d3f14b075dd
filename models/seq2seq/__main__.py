"""The translators' command line: rebuild the shipped weights, or measure them on the held-out set.

    python -m models.seq2seq train            # rebuilds models/weights/*.npz from a fixed seed (about 10 minutes)
    python -m models.seq2seq evaluate --json  # exact match per source-length bucket on the held-out set
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from models import toy_tamil
from models.seq2seq.decoding import evaluate
from models.seq2seq.files import WEIGHTS_DIR, WeightsError, load_model
from models.seq2seq.model import MODEL_NAMES
from models.seq2seq.training import TrainSettings, train_and_save

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: sys.argv[1:]); returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m models.seq2seq", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    tr = sub.add_parser("train", help="rebuild the shipped weights from a fixed seed (both models, one per core)")
    tr.add_argument("--steps", type=int, default=TrainSettings.steps)
    tr.add_argument("--batch-size", type=int, default=TrainSettings.batch_size)
    tr.add_argument("--n-train", type=int, default=TrainSettings.n_train)
    tr.add_argument("--out", default=str(WEIGHTS_DIR), help="output folder (default: the shipped weights)")
    tr.add_argument("--only", choices=MODEL_NAMES, help="train one model only")
    ev = sub.add_parser("evaluate", help="exact match per source-length bucket on the held-out set")
    ev.add_argument("--json", action="store_true", help="print JSON only")
    ev.add_argument("--weights", default=str(WEIGHTS_DIR), help="folder holding attention.npz and no_attention.npz")
    args = parser.parse_args(argv)
    return _evaluate(args) if args.command == "evaluate" else _train(args)


def _evaluate(args: argparse.Namespace) -> int:
    test = toy_tamil.held_out_set()
    try:
        result = {n: evaluate(load_model(n, Path(args.weights) / f"{n}.npz"), test) for n in MODEL_NAMES}
    except WeightsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result))
    else:
        for name, acc in result.items():
            print(f"{name:>12}: " + "  ".join(f"{k}: {v:.3f}" for k, v in acc.items()))
    return 0


def _train(args: argparse.Namespace) -> int:
    settings = TrainSettings(steps=args.steps, batch_size=args.batch_size, n_train=args.n_train)
    names = [args.only] if args.only else list(MODEL_NAMES)
    start = time.perf_counter()
    print(f"training {', '.join(names)}: {settings}", flush=True)
    # One fresh process per model with one BLAS thread each: the two share 2 cores without oversubscribing, and
    # the arithmetic (hence the weights) is the same whether one model or both are trained.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    with mp.get_context("spawn").Pool(len(names)) as pool:
        pool.starmap(train_and_save, [(n, settings, args.out) for n in names])
    print(f"done in {(time.perf_counter() - start) / 60:.1f} min", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
