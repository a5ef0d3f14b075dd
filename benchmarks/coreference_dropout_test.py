"""The test scores of a selection round's winner that was not shipped: round 6 of benchmarks/coreference_selection
chose residual dropout 0.1, seed 3, on the validation structures. Trained like the shipped weights (into a temporary
folder; nothing shipped is touched) and evaluated once, beside the shipped weights' stored evaluation.

    python -m benchmarks.coreference_dropout_test      # about 4 minutes on one core; writes benchmarks/results/...
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from benchmarks.results_file import command_line, load_average, write_result
from models.coreference.stored import EVALUATION_NAME, EVALUATION_PATH
from models.coreference.training import train_job

DROPOUT, SEED = 0.1, 3
KEYS = ("structure_heldout", "minimal_pairs", "validation_structures", "validation_minimal_pairs",
        "adjective_frame_heldout", "outside_check", "heldout_accuracy")


def scores(evaluation: dict) -> dict:
    e = evaluation["evaluation"]
    return {k: e[k] for k in KEYS} | {"pointer_head_resolution": e["head_resolution"]["pointer"]}


def main() -> None:
    load = load_average()
    with tempfile.TemporaryDirectory() as folder:
        trained = train_job(False, SEED, folder, False, dropout=DROPOUT)
        tried = json.loads((Path(folder) / EVALUATION_NAME).read_text())
    shipped = json.loads(EVALUATION_PATH.read_text())
    result = {"what": f"the test scores of round 6's validation winner (residual dropout {DROPOUT}, seed {SEED}), "
                      "trained like the shipped weights, beside the shipped weights' (no dropout, seed 0); not shipped",
              "train_seconds": trained["seconds"], "weights_sha256": tried["key"]["weights_sha256"],
              "dropout_0.1_seed_3": scores(tried), "shipped": scores(shipped)}
    print(write_result("coreference_dropout_test", command_line("benchmarks.coreference_dropout_test"), result,
                       load_before=load))


if __name__ == "__main__":
    main()
