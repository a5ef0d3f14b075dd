"""The translators' command line: rebuild the shipped weights, measure them, or look inside the attention model.

    python -m models.seq2seq train                      # rebuilds models/weights/*.npz from a fixed seed
    python -m models.seq2seq evaluate --json            # exact match and corpus BLEU per source-length bucket on the
                                                        # held-out set, parameter counts and training steps; per
                                                        # sentence also into models/weights/evaluation.json
    python -m models.seq2seq encode "TAMIL SENTENCE" --json     # the annotations h_j = [→h_j; ←h_j], one row a token
    python -m models.seq2seq translate "TAMIL SENTENCE" --json  # the translation and its attention weights

encode and translate use the attention model (RNNsearch). A word outside the toy language exits with status 2 and
a one-line message naming it; missing or broken weights exit with status 1.
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
from models.seq2seq import stored
from models.seq2seq.decoding import accuracy, bleu_by_bucket, translate
from models.seq2seq.files import WEIGHTS_DIR, WeightsError, load_model, parameter_count, training_settings
from models.seq2seq.model import MODEL_NAMES, encoder_states
from models.seq2seq.training import DEFAULT_STEPS, TrainSettings, train_and_save

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: sys.argv[1:]); returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m models.seq2seq", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    tr = sub.add_parser("train", help="rebuild the shipped weights from a fixed seed (both models, one per core)")
    tr.add_argument("--steps", type=int, default=None, help=f"default: {DEFAULT_STEPS}")
    tr.add_argument("--batch-size", type=int, default=TrainSettings.batch_size)
    tr.add_argument("--n-train", type=int, default=TrainSettings.n_train)
    tr.add_argument("--out", default=str(WEIGHTS_DIR), help="output folder (default: the shipped weights)")
    tr.add_argument("--only", choices=MODEL_NAMES, help="train one model only")
    ev = sub.add_parser("evaluate", help="exact match and BLEU per source-length bucket on the held-out set")
    ev.add_argument("--json", action="store_true", help="print JSON only")
    ev.add_argument("--weights", default=str(WEIGHTS_DIR), help="folder holding attention.npz and no_attention.npz")
    for name, text in (("encode", "the attention model's annotation of each source token"),
                       ("translate", "the attention model's translation and its weights (rows: English words)")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("sentence", help="a Tamil sentence of the toy language, tokens separated by spaces")
        cmd.add_argument("--json", action="store_true", help="print JSON only")
        cmd.add_argument("--weights", default=str(WEIGHTS_DIR), help="folder holding attention.npz")
    args = parser.parse_args(argv)
    commands = {"evaluate": _evaluate, "train": _train, "encode": _look_inside, "translate": _look_inside}
    return commands[args.command](args)


def _look_inside(args: argparse.Namespace) -> int:
    """encode and translate: one sentence through the shipped attention model."""
    typed = toy_tamil.tokenize(args.sentence)
    if not typed.ok:
        print(f"error: {typed.problem}", file=sys.stderr)
        return 2
    try:
        model = load_model("attention", Path(args.weights) / "attention.npz")
    except WeightsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.command == "encode":
        rows = encoder_states(model, typed.tokens)  # [S, H]
        result = {"tokens": list(typed.tokens), "annotations": _rounded(rows)}
        text = "\n".join(f"{t:>20}  " + " ".join(f"{v:+.3f}" for v in row[:6]) + " ..." for t, row in
                         zip(typed.tokens, rows, strict=True))  # fmt: skip
    else:
        out = translate(model, typed.tokens)
        result = {"translation": " ".join(out.tokens), "weights": _rounded(out.weights)}
        text = result["translation"] + "\n" + "\n".join(
            f"{w:>12}  " + " ".join(f"{a:.2f}" for a in row) for w, row in zip(out.tokens, out.weights, strict=True))
    print(json.dumps(result, ensure_ascii=False) if args.json else text)
    return 0


def _rounded(rows) -> list[list[float]]:
    return [[round(float(v), 6) for v in row] for row in rows]


def _evaluate(args: argparse.Namespace) -> int:
    """Both models on the held-out set; the per-sentence results go to evaluation.json beside the weights (the
    Bottleneck page reads them instead of translating 2,000 sentences on its first visit)."""
    test = toy_tamil.held_out_set()
    try:
        flags, bleu = stored.evaluate_and_write(args.weights, test)
        paths = {n: Path(args.weights) / f"{n}.npz" for n in flags}
        params = {n: parameter_count(load_model(n, p)) for n, p in paths.items()}
        steps = {n: (training_settings(p) or {}).get("steps") for n, p in paths.items()}
    except WeightsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    result: dict = {n: accuracy(f, test) for n, f in flags.items()}
    result |= {"bleu": {n: bleu_by_bucket(b, test) for n, b in bleu.items()}, "params": params, "steps": steps}
    if args.json:
        print(json.dumps(result))
        return 0
    for name in flags:
        print(f"{name:>12}: {params[name]:,} parameters, {steps[name]} training steps")
        print(" " * 14 + "exact match " + "  ".join(f"{k}: {v:.3f}" for k, v in result[name].items()))
        print(" " * 14 + "BLEU        " + "  ".join(f"{k}: {v:.1f}" for k, v in result["bleu"][name].items()))
    return 0


def _train(args: argparse.Namespace) -> int:
    names = [args.only] if args.only else list(MODEL_NAMES)
    # one settings object for both models: the comparison is only fair if they train alike
    same = TrainSettings(steps=args.steps or DEFAULT_STEPS, batch_size=args.batch_size, n_train=args.n_train)
    settings = {n: same for n in names}
    start = time.perf_counter()
    print(f"training {', '.join(names)}: {settings}", flush=True)
    # One fresh process per model with one BLAS thread each: the two share 2 cores without oversubscribing, and
    # the arithmetic (hence the weights) is the same whether one model or both are trained.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    with mp.get_context("spawn").Pool(len(names)) as pool:
        pool.starmap(train_and_save, [(n, settings[n], args.out) for n in names])
    try:  # the shipped evaluation must describe the new weights (the page would evaluate live otherwise)
        stored.evaluate_and_write(args.out, toy_tamil.held_out_set())
        print(f"wrote {Path(args.out) / stored.EVALUATION_FILE}", flush=True)
    except WeightsError as exc:  # --only into a folder without the other model
        print(f"no {stored.EVALUATION_FILE} written: {exc}", flush=True)
    print(f"done in {(time.perf_counter() - start) / 60:.1f} min", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
