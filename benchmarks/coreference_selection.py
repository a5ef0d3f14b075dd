"""Choosing the coreference model's training settings without looking at its test sets.

The shipped model is scored on sentence structures it never trained on (`structure_heldout`) and on minimal pairs
built from them. Choosing its settings by those scores would fit the test. This benchmark chooses on a *validation*
split instead: two trained structures per frame are taken out of training, every candidate setting is trained on
the rest, and it is scored on the taken-out structures and on minimal pairs built from them, exactly as the test
sets are built from the held-out structures. The test structures are never read here.

    python -m benchmarks.coreference_selection --json     # about 8 trainings; writes benchmarks/results/...

    python -m benchmarks.coreference_selection --chosen-only --seeds 0 1 2 3 --jobs 2   # then the seed

Each candidate is trained from two seeds; the winner is the candidate with the best mean validation score
(structure accuracy plus minimal pairs, halved). The second run trains the winner from more seeds and picks the seed
with the best validation score: trainings from different seeds differ a lot on unseen structures. Then
`python -m models.coreference train` ships that setting and seed (training.SHIPPED, training.SHIPPED_SEED).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from benchmarks.results_file import load_average, read_result, write_result
from models.coreference.analysis import minimal_pair_accuracy, resolution
from models.coreference.corpus import VALIDATION_STRUCTURES, make_corpus
from models.coreference.model import ModelConfig
from models.coreference.training import SHIPPED, TrainConfig, Trainer

CANDIDATES: dict[str, TrainConfig] = {
    "3000 steps, batch 64": replace(SHIPPED, steps=3000, batch_size=64),
    "6000 steps, batch 64": replace(SHIPPED, steps=6000, batch_size=64),
    "3000 steps, batch 128": replace(SHIPPED, steps=3000, batch_size=128),
    "6000 steps, batch 64, weight decay 0.05": replace(SHIPPED, steps=6000, batch_size=64, weight_decay=0.05),
}
SEEDS = (0, 1)


def score(trainer: Trainer) -> dict:
    """Validation structure accuracy and minimal pairs (both sentences right) of the trainer's weights."""
    corpus = trainer.corpus
    structure = float(resolution(trainer.params, corpus.validation).correct.mean())
    pairs = minimal_pair_accuracy(trainer.params, corpus.validation_pairs)
    return {"validation_structures": round(structure, 4), "validation_minimal_pairs": round(pairs, 4)}


def train_and_score(label: str, config: TrainConfig, seed: int) -> dict:
    """One candidate from one seed, trained on the corpus without its validation structures, scored on them."""
    start = time.perf_counter()
    trainer = Trainer(ModelConfig(), config, seed, corpus=make_corpus())
    while not trainer.done:
        trainer.step(100)
    return {"candidate": label, "seed": seed, **score(trainer), "train_seconds": round(time.perf_counter() - start, 1)}


def run(candidates: dict[str, TrainConfig], seeds: Sequence[int] = SEEDS, done: Sequence[dict] = (),
        jobs: int = 1) -> dict:
    """Train every candidate from every seed, `jobs` at a time (rows already in `done` are kept, not trained again:
    a training is deterministic), and pick the candidate and the seed with the best validation score."""
    corpus = make_corpus()
    rows = [r for r in done if r["candidate"] in candidates and r["seed"] in seeds]
    known = {(r["candidate"], r["seed"]) for r in rows}
    todo = [(label, config, seed) for label, config in candidates.items() for seed in seeds if (label, seed) not in known]
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        rows += pool.starmap(train_and_score, todo)

    def value(r: dict) -> float:
        return (r["validation_structures"] + r["validation_minimal_pairs"]) / 2

    means = {label: round(float(np.mean([value(r) for r in rows if r["candidate"] == label])), 4) for label in candidates}
    winner = max(means, key=means.get)
    best = max((r for r in rows if r["candidate"] == winner), key=value)
    return {"validation_structures": [sk.name for sk in VALIDATION_STRUCTURES],
            "validation_sentences": len(corpus.validation), "validation_pairs": len(corpus.validation_pairs),
            "training_sentences": len(corpus.train), "runs": rows, "mean_score": means, "chosen": winner,
            "chosen_config": candidates[winner].to_dict(), "chosen_seed": best["seed"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS), help="seeds per candidate")
    parser.add_argument("--chosen-only", action="store_true",
                        help="only the candidate the last run chose, from --seeds (the seed selection)")
    parser.add_argument("--jobs", type=int, default=1, help="trainings at a time (one core each)")
    args = parser.parse_args()
    load = load_average()
    before = read_result("coreference_selection") or {}
    candidates = {before["chosen"]: CANDIDATES[before["chosen"]]} if args.chosen_only else CANDIDATES
    command = "python -m benchmarks.coreference_selection " + " ".join(sys.argv[1:])
    result = run(candidates, args.seeds, done=before.get("runs", ()), jobs=args.jobs)
    if args.chosen_only:  # keep the candidates' comparison of the first run beside the seeds
        result = {**result, "runs": before["runs"] + [r for r in result["runs"] if r not in before["runs"]],
                  "mean_score": before["mean_score"],  # the candidates' comparison, two seeds each
                  "candidate_command": before.get("candidate_command", before["command"])}
    path = write_result("coreference_selection", command, result, load_before=load)
    print(json.dumps(result, indent=1) if args.json else
          f"chosen: {result['chosen']}, seed {result['chosen_seed']} (written to {path})")


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
