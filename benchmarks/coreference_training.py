"""How long the coreference model takes to train, and whether a rerun gives the same bytes.

    python -m benchmarks.coreference_training      # about 4 minutes on two idle cores

Runs the shipped training (`python -m models.coreference train`) into a temporary folder, compares its files' sha256
with the shipped ones (a rerun must be byte-identical), then the page's live training (`train --quick`). Budgets:
the full training at most 5 minutes on two cores, the live one at most 90 s on one.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.results_file import load_average, write_result
from models.coreference.files import SNAPSHOTS_PATH, WEIGHTS_PATH

COMMAND = "python -m benchmarks.coreference_training"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _train(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "models.coreference", "train", "--json", *args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    load = load_average()
    with tempfile.TemporaryDirectory() as folder:
        full = _train("--out", folder)
        same = {p.name: _sha(Path(folder) / p.name) == _sha(p) for p in (WEIGHTS_PATH, SNAPSHOTS_PATH)}
    quick = _train("--quick")
    result = {"full": {"seconds": full["seconds"], "steps": full["steps"], "budget_seconds": 300,
                       "byte_identical_to_shipped": same},
              "quick": {**quick, "budget_seconds": 90}}
    path = write_result("coreference_training", COMMAND, result, load_before=load)
    print(json.dumps(result, indent=1), f"\nwritten to {path}")


if __name__ == "__main__":
    main()
