"""Warm rerun latency per page, server-side, with streamlit's AppTest.

For every page in the navigation and every RERUN scenario in benchmarks/scenarios/<page>.py: open the page, warm it up,
then time `change widget -> at.run()` many times. Prints a table (median and p95 in ms) and writes
benchmarks/results/rerun.json (a run of some pages replaces their rows and marks them with its own command, date and
load average). Budget (docs/ARCHITECTURE.md): median <= 50 ms per page.

AppTest builds a fresh ScriptCache on every run, so by itself it would recompile the entry script and the page's
source on each rerun; a real server compiles each script once and reuses the bytecode. `server_like_script_cache()`
gives AppTest one cache for the whole benchmark, so the numbers are the warm reruns a visitor actually waits for.

    python -m benchmarks.rerun              # all pages, 30 timed reruns per scenario
    python -m benchmarks.rerun --reps 10 --page pages/home.py
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import statistics
import time
from pathlib import Path
from unittest import mock

from streamlit.testing.v1 import AppTest

from benchmarks.results_file import command_line, load_average, merge_rows, write_result
from benchmarks.scenarios import module_for as scenario_module
from playground.navigation import PAGES

ROOT = Path(__file__).resolve().parents[1]
RESULT = "rerun"  # benchmarks/results/rerun.json
BUDGET_MS = 50.0
WARMUP = 3


@contextlib.contextmanager
def server_like_script_cache():
    """Within the block, every AppTest run shares one ScriptCache, as every rerun on a real server does."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    with mock.patch.object(app_test, "ScriptCache", lambda: shared), \
            mock.patch.object(local_script_runner, "ScriptCache", lambda: shared):
        yield


def open_page(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "attention_playground.py"), default_timeout=120)
    at.run()
    if path != PAGES[0].path:
        at.switch_page(path)
        at.run()
    if at.exception:
        raise RuntimeError(f"{path} raised: {[e.value for e in at.exception]}")
    return at


def scenarios_for(path: str) -> dict:
    """The page's RERUN scenarios, from benchmarks/scenarios/<stem>.py."""
    module = scenario_module(path)
    if module is None or not getattr(module, "RERUN", None):
        raise LookupError(f"{path} has no RERUN scenarios: add them to benchmarks/scenarios/{Path(path).stem}.py")
    return module.RERUN


def wall_ms() -> float:
    return time.perf_counter() * 1000


def time_scenario(path: str, change, reps: int, clock=wall_ms) -> list[float]:
    """Milliseconds of `clock` for each of `reps` warm reruns, each after one widget change."""
    at = open_page(path)
    for i in range(WARMUP):
        change(at, i)
        at.run()
    times = []
    for i in range(WARMUP, WARMUP + reps):
        change(at, i)
        t0 = clock()
        at.run()
        times.append(clock() - t0)
        if at.exception:
            raise RuntimeError(f"{path} raised during the benchmark: {[e.value for e in at.exception]}")
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=30, help="timed reruns per scenario (default 30)")
    parser.add_argument("--page", action="append", help="only this page file (repeatable)")
    args = parser.parse_args()

    command, load_before = command_line("benchmarks.rerun"), load_average()
    rows = []
    with server_like_script_cache():
        for info in PAGES:
            if args.page and info.path not in args.page:
                continue
            for label, change in scenarios_for(info.path).items():
                times = time_scenario(info.path, change, args.reps)
                rows.append({"page": info.title, "path": info.path, "change": label, "reps": len(times),
                             "median_ms": round(statistics.median(times), 2), "p95_ms": round(p95(times), 2)})

    width = max(len(f"{r['page']} / {r['change']}") for r in rows)
    print(f"{'page / change':<{width}}  {'median ms':>9}  {'p95 ms':>7}  budget")
    for r in rows:
        verdict = "ok" if r["median_ms"] <= BUDGET_MS else "OVER"
        print(f"{r['page'] + ' / ' + r['change']:<{width}}  {r['median_ms']:>9.1f}  {r['p95_ms']:>7.1f}  {verdict}")
    result = {"load_average_after": load_average(), "budget_median_ms": BUDGET_MS, "reps": args.reps,
              "python": platform.python_version(), "machine": platform.machine(), "rows": rows}
    if args.page:  # a partial run updates its pages' rows and keeps the others
        path = merge_rows(RESULT, command, result, lambda r: r["path"] in args.page, load_before)
    else:
        path = write_result(RESULT, command, result, load_before)
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
