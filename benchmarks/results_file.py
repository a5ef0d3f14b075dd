"""Where a benchmark's result goes: one JSON file under benchmarks/results/, named after the benchmark, that says
how it was made (the command, the date, the machine's 1-minute load average when the run began) before what it
measured. `python -m benchmarks.report` builds docs/PERFORMANCE.md from these files."""

from __future__ import annotations

import datetime
import json
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
HEAD = ("command", "date", "load_average_before")


def load_average() -> float:
    """The machine's 1-minute load average (a timing taken above about 1 on two cores is not worth quoting)."""
    return round(os.getloadavg()[0], 2)


def command_line(module: str, argv: list[str] | None = None) -> str:
    """How this run was started, as a reader would type it again: `python -m benchmarks.x --flag value`."""
    return " ".join(["python -m", module, *map(shlex.quote, sys.argv[1:] if argv is None else argv)])


def today() -> str:
    return datetime.date.today().isoformat()


def write_result(name: str, command: str, result: dict, load_before: float | None = None,
                 folder: Path = RESULTS) -> Path:
    """Write {command, date, load_average_before, **result} to folder/name.json; returns the path."""
    head = {"command": command, "date": today(),
            "load_average_before": load_average() if load_before is None else round(load_before, 2)}
    return _write(folder / f"{name}.json", {**head, **result})


def read_result(name: str, folder: Path = RESULTS) -> dict | None:
    path = folder / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def merge_rows(name: str, command: str, result: dict, replaced: Callable[[dict], bool],
               load_before: float | None = None, folder: Path = RESULTS, **run) -> Path:
    """A run of part of a benchmark (some pages or controls): its `result["rows"]` replace the saved rows that
    `replaced` selects, each new row marked with the run that measured it ("partial_run": its command, date, load
    average before and the figures in `run`, such as its floor), so the file's own command, date and load average
    stay those of the full run the other rows come from. With no saved result, the run is written as a whole."""
    saved = read_result(name, folder)
    if saved is None:
        return write_result(name, command, result, load_before, folder)
    mark = {"command": command, "date": today(),
            "load_average_before": load_average() if load_before is None else round(load_before, 2), **run}
    rows = [r for r in saved["rows"] if not replaced(r)] + [{**r, "partial_run": mark} for r in result["rows"]]
    return _write(folder / f"{name}.json", {**saved, "rows": rows})


def _write(path: Path, content: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n")
    return path
