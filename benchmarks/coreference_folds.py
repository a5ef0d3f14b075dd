"""Choosing the coreference model's training settings on three validation folds instead of one.

benchmarks/coreference_selection chose on one set of six validation structures (corpus.VALIDATION_STRUCTURES).
The dropout and twins candidates scored 0.98-1.0 there (structure accuracy), while the model shipped from it scored
0.67 on one test structure: six structures are too few to stand in for eight new ones. Here each candidate is
trained once per fold and seed, each time without that fold's structures (and never with the test's), and scored
on them; the candidate with the best mean over folds and seeds wins (coreference_selection.value: structure
accuracy plus minimal pairs, halved).

The folds are corpus.validation_folds(): each follows VALIDATION_STRUCTURES' rule (corpus.validation_sets: two per
frame, with the test's reason per frame, 4 extra clauses, 4 passives and 2 leading because-clauses of 6, every pair
of parts of every kept-out structure trained). Fold 1 is VALIDATION_STRUCTURES; folds 2 and 3 are two of the sets
sharing no structure with it, the pair of those that overlap least (two structures; no two such sets are
disjoint), picked by a seeded draw among the pairs that tie. The test structures are never read here.

    python -m benchmarks.coreference_folds --jobs 2     # 4 candidates x 3 folds x 2 seeds: about 30 min, 2 cores

    python -m benchmarks.coreference_folds --jobs 2 --candidates 'dropout 0.1, 6000 steps' \
        'dropout 0.1, 8000 steps' 'width 64, dropout 0.1, 6000 steps' '3 layers, dropout 0.1, 6000 steps'
                                                        # the second round: the winner against a bigger budget

A training already in the result file (same candidate, fold and seed) is kept, not run again: trainings are
deterministic. Each round's candidates are compared among themselves; the file keeps every training and, per round,
what it compared and chose. The second round's rule was fixed before it ran (commit of this text): the best mean
wins; if that is a new candidate, it is trained on every structure but the test's from seed 0 and ships whatever its
test scores, as the first round's winner did.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
from collections.abc import Sequence

import numpy as np

from benchmarks.coreference_selection import CANDIDATES, value
from benchmarks.coreference_selection import train_and_score as train_without
from benchmarks.results_file import command_line, load_average, read_result, write_result
from models.coreference.corpus import validation_folds

FOLD_CANDIDATES = ("dropout 0.1, 6000 steps", "dropout 0.2, 6000 steps", "dropout 0.3, 6000 steps",
                   "twins, dropout 0.1, 6000 steps")
SEEDS = (0, 1)


def train_and_score(label: str, fold: int, seed: int) -> dict:
    """One candidate from one seed, trained without fold `fold`'s structures, scored on them."""
    row = train_without(label, *CANDIDATES[label], seed, validation=validation_folds()[fold])
    return {"candidate": label, "fold": fold, **row}


def run(candidates: Sequence[str], seeds: Sequence[int], jobs: int, done: Sequence[dict] = ()) -> dict:
    """Every candidate from every seed on every fold (rows in `done` kept, not trained again), and the best mean."""
    folds = validation_folds()
    rows = [r for r in done if r["candidate"] in candidates and r["seed"] in seeds]
    known = {(r["candidate"], r["fold"], r["seed"]) for r in rows}
    todo = [(label, fold, seed) for label in candidates for fold in range(len(folds)) for seed in seeds
            if (label, fold, seed) not in known]
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        rows += pool.starmap(train_and_score, todo)
    means = {}
    for label in candidates:
        mine = [value(r) for r in rows if r["candidate"] == label]
        means[label] = {"mean": round(float(np.mean(mine)), 4),
                        "standard_error": round(float(np.std(mine, ddof=1) / np.sqrt(len(mine))), 4),
                        "per_fold": [round(float(np.mean([value(r) for r in rows if r["candidate"] == label
                                                          and r["fold"] == f])), 4) for f in range(len(folds))]}
    winner = max(means, key=lambda k: means[k]["mean"])
    return {"folds": [[sk.name for sk in fold] for fold in folds], "seeds": list(seeds), "runs": rows,
            "mean_score": means, "chosen": winner}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", nargs="+", choices=list(CANDIDATES), default=list(FOLD_CANDIDATES))
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--jobs", type=int, default=1, help="trainings at a time (one core each)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    load = load_average()
    before = read_result("coreference_folds") or {}
    if before.get("folds") != [[sk.name for sk in fold] for fold in validation_folds()]:
        before = {}  # trainings on other folds compare with nothing here
    command = command_line("benchmarks.coreference_folds")
    result = run(args.candidates, args.seeds, args.jobs, done=before.get("runs", ()))
    runs = before.get("runs", []) + [r for r in result["runs"] if r not in before.get("runs", [])]
    rounds = before.get("rounds", []) + [{"command": command, "seeds": list(args.seeds),
                                          "mean_score": result["mean_score"], "chosen": result["chosen"]}]
    result = {**result, "runs": runs, "rounds": rounds}
    path = write_result("coreference_folds", command, result, load_before=load)
    print(json.dumps(result, indent=1) if args.json else f"chosen: {result['chosen']} (written to {path})")


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
