"""Choosing the coreference model's training settings without looking at its test sets.

The shipped model is scored on sentence structures it never trained on (`structure_heldout`) and on minimal pairs
built from them. Choosing its settings by those scores would fit the test. This benchmark chooses on a *validation*
split instead: two trained structures per frame are taken out of training, every candidate setting is trained on
the rest, and it is scored on the taken-out structures and on minimal pairs built from them, exactly as the test
sets are built from the held-out structures. The test structures are never read here.

    python -m benchmarks.coreference_selection --json     # every candidate from seeds 0 and 1; writes benchmarks/results/...

    python -m benchmarks.coreference_selection --chosen-only --seeds 0 1 2 3 --jobs 2   # then the seed

    python -m benchmarks.coreference_selection --candidates '6000 steps, batch 64' '3 layers, 6000 steps' \
        --seeds 0 1 2 3 --jobs 2                         # a later round: some candidates against the chosen one

A candidate is a model and a training setting. Each round trains its candidates from every seed (a training
already in the result file is not run again: trainings are deterministic) and picks the candidate with the best mean
validation score over those seeds (structure accuracy plus minimal pairs, halved), then that candidate's best seed:
trainings from different seeds differ a lot on unseen structures. The result file keeps every training and, per
round, what it compared and chose. These rounds are history now: the shipped setting was chosen last on three
folds (benchmarks/coreference_folds.py) and its seed fixed in advance (training.SHIPPED, training.SHIPPED_SEED).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from benchmarks.results_file import command_line, load_average, read_result, write_result
from models.coreference.analysis import minimal_pair_accuracy, resolution
from models.coreference.corpus import VALIDATION_STRUCTURES, Skeleton, make_corpus
from models.coreference.model import ModelConfig
from models.coreference.training import TrainConfig, Trainer

# the shipped model's size and the training every candidate starts from (TrainConfig's defaults: no dropout, no
# average), written out: a later change of the defaults or of what ships leaves these rows' meaning alone
SMALL = ModelConfig(d_model=48, n_heads=4, n_layers=2, d_ff=96, d_pointer=24)
BASE = TrainConfig(batch_size=64, steps=6000, lr=3e-3, warmup=100, lr_final=2e-4, clip=1.0, weight_decay=0.0,
                   max_offset=20, dropout=0.0, ema=0.0)
CANDIDATES: dict[str, tuple[ModelConfig, TrainConfig]] = {  # label -> (model, training)
    "3000 steps, batch 64": (SMALL, replace(BASE, steps=3000, batch_size=64)),
    "6000 steps, batch 64": (SMALL, replace(BASE, steps=6000, batch_size=64)),
    "3000 steps, batch 128": (SMALL, replace(BASE, steps=3000, batch_size=128)),
    "6000 steps, batch 64, weight decay 0.05": (SMALL, replace(BASE, steps=6000, batch_size=64, weight_decay=0.05)),
    # on the first validation structures (the file's earlier_validation): a wider or a deeper model, more steps
    "width 64, 6000 steps": (replace(SMALL, d_model=64, d_ff=128, d_pointer=32), replace(BASE, steps=6000)),
    "3 layers, 6000 steps": (replace(SMALL, n_layers=3), replace(BASE, steps=6000)),
    "10000 steps, batch 64": (SMALL, replace(BASE, steps=10000)),
    # regularisers that do not grow the model
    "dropout 0.1, 6000 steps": (SMALL, replace(BASE, steps=6000, dropout=0.1)),
    "weight average 0.999, 6000 steps": (SMALL, replace(BASE, steps=6000, ema=0.999)),
    "dropout 0.2, 6000 steps": (SMALL, replace(BASE, steps=6000, dropout=0.2)),
    "dropout 0.3, 6000 steps": (SMALL, replace(BASE, steps=6000, dropout=0.3)),  # benchmarks/coreference_folds.py
    # the folds' second round: the fold winner (dropout 0.1) with more steps, a wider or a deeper model
    "dropout 0.1, 8000 steps": (SMALL, replace(BASE, steps=8000, dropout=0.1)),
    "width 64, dropout 0.1, 6000 steps": (replace(SMALL, d_model=64, d_ff=128, d_pointer=32),
                                          replace(BASE, steps=6000, dropout=0.1)),
    "3 layers, dropout 0.1, 6000 steps": (replace(SMALL, n_layers=3), replace(BASE, steps=6000, dropout=0.1)),
    # another training set (CORPUS_OPTIONS): every adjective sentence also with its twin (corpus.twins_of)
    "twins, 6000 steps": (SMALL, BASE),
    "twins, dropout 0.1, 6000 steps": (SMALL, replace(BASE, dropout=0.1)),
}
CORPUS_OPTIONS: dict[str, dict] = {  # label -> make_corpus's options, for candidates trained on another training set
    "twins, 6000 steps": {"twins": True},
    "twins, dropout 0.1, 6000 steps": {"twins": True},
}
SEEDS = (0, 1)


def score(trainer: Trainer) -> dict:
    """Validation structure accuracy and minimal pairs (both sentences right) of the trainer's weights."""
    corpus = trainer.corpus
    structure = float(resolution(trainer.weights, corpus.validation).correct.mean())
    pairs = minimal_pair_accuracy(trainer.weights, corpus.validation_pairs)
    return {"validation_structures": round(structure, 4), "validation_minimal_pairs": round(pairs, 4)}


def value(row: dict) -> float:
    """A training's validation score, the one candidates are compared by: structure accuracy plus minimal pairs,
    halved."""
    return (row["validation_structures"] + row["validation_minimal_pairs"]) / 2


def train_and_score(label: str, model: ModelConfig, config: TrainConfig, seed: int,
                    validation: tuple[Skeleton, ...] = VALIDATION_STRUCTURES) -> dict:
    """One candidate from one seed, trained on the corpus without the `validation` structures, scored on them."""
    start = time.perf_counter()
    corpus = make_corpus(**CORPUS_OPTIONS.get(label, {}), validation=validation)
    trainer = Trainer(model, config, seed, corpus=corpus)
    while not trainer.done:
        trainer.step(100)
    return {"candidate": label, "seed": seed, **score(trainer), "train_seconds": round(time.perf_counter() - start, 1)}


def run(candidates: dict[str, tuple[ModelConfig, TrainConfig]], seeds: Sequence[int] = SEEDS, done: Sequence[dict] = (),
        jobs: int = 1) -> dict:
    """Train every candidate from every seed, `jobs` at a time (rows already in `done` are kept, not trained again:
    a training is deterministic), and pick the candidate and the seed with the best validation score."""
    corpus = make_corpus(validation=VALIDATION_STRUCTURES)
    rows = [r for r in done if r["candidate"] in candidates and r["seed"] in seeds]
    known = {(r["candidate"], r["seed"]) for r in rows}
    todo = [(label, *candidates[label], seed) for label in candidates for seed in seeds if (label, seed) not in known]
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        rows += pool.starmap(train_and_score, todo)

    means = {label: round(float(np.mean([value(r) for r in rows if r["candidate"] == label])), 4) for label in candidates}
    winner = max(means, key=means.get)
    best = max((r for r in rows if r["candidate"] == winner), key=value)
    return {"validation_structures": [sk.name for sk in VALIDATION_STRUCTURES],
            "validation_sentences": len(corpus.validation), "validation_pairs": len(corpus.validation_pairs),
            "training_sentences": len(corpus.train), "runs": rows, "mean_score": means, "chosen": winner,
            "chosen_model": candidates[winner][0].to_dict(), "chosen_config": candidates[winner][1].to_dict(),
            "chosen_seed": best["seed"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS), help="seeds per candidate")
    parser.add_argument("--chosen-only", action="store_true",
                        help="only the candidate the last run chose, from --seeds (the seed selection)")
    parser.add_argument("--candidates", nargs="+", choices=list(CANDIDATES), default=list(CANDIDATES),
                        help="compare only these candidates (a later round), each from every --seeds")
    parser.add_argument("--jobs", type=int, default=1, help="trainings at a time (one core each)")
    args = parser.parse_args()
    load = load_average()
    before = read_result("coreference_selection") or {}
    if before.get("validation_structures") != [sk.name for sk in VALIDATION_STRUCTURES]:
        # scores on other validation structures compare with nothing here: they move to the file's history
        earlier = {k: before[k] for k in ("validation_structures", "runs", "rounds") if k in before}
        history = before.get("earlier_validation", []) + ([earlier] if earlier else [])
        before = {"earlier_validation": history}
    chosen = [before["chosen"]] if args.chosen_only else args.candidates
    command = command_line("benchmarks.coreference_selection")
    result = run({label: CANDIDATES[label] for label in chosen}, args.seeds, done=before.get("runs", ()),
                 jobs=args.jobs)
    # every training ever run stays in the file; each round says what it compared and chose
    runs = before.get("runs", []) + [r for r in result["runs"] if r not in before.get("runs", [])]
    rounds = before.get("rounds", []) + [{"command": command, "seeds": args.seeds, "mean_score": result["mean_score"],
                                          "chosen": result["chosen"], "chosen_seed": result["chosen_seed"]}]
    result = {**result, "runs": runs, "rounds": rounds, "earlier_validation": before.get("earlier_validation", [])}
    path = write_result("coreference_selection", command, result, load_before=load)
    print(json.dumps(result, indent=1) if args.json else
          f"chosen: {result['chosen']}, seed {result['chosen_seed']} (written to {path})")


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
