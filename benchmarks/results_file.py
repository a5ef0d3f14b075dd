"""Where a benchmark's result goes: one JSON file under benchmarks/results/, named after the benchmark, that says
how it was made (the command, the date, the machine's 1-minute load average when the run began) before what it
measured. `python -m benchmarks.report` builds docs/PERFORMANCE.md from these files."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def load_average() -> float:
    """The machine's 1-minute load average (a timing taken above about 1 on two cores is not worth quoting)."""
    return round(os.getloadavg()[0], 2)


def write_result(name: str, command: str, result: dict, load_before: float | None = None,
                 folder: Path = RESULTS) -> Path:
    """Write {command, date, load_average_before, **result} to folder/name.json; returns the path."""
    head = {"command": command, "date": datetime.date.today().isoformat(),
            "load_average_before": load_average() if load_before is None else round(load_before, 2)}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps({**head, **result}, indent=1) + "\n")
    return path
