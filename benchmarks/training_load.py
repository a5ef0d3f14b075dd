"""Warm reruns of other pages while live trainings run: the room-of-students case of the Learning-to-attend page.

A Streamlit server runs every session in one process. Each live training runs in a low-priority child process
started by a thread of the page's TrainingQueue (a training thread in the server itself would hold the GIL and slow
every rerun). This starts as many trainings as the queue allows at once (one per CPU core), exactly as the page
does, then times warm reruns of other pages
with AppTest (benchmarks/rerun.py's scenarios), and the same reruns with no training for comparison.
Budget: median <= 200 ms per page while trainings run. Writes benchmarks/results/training_load.json (not with --page).

    nice python -m benchmarks.training_load            # 20 timed reruns per scenario
    nice python -m benchmarks.training_load --reps 10 --page pages/multi_head.py
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from functools import partial
from pathlib import Path

from lessons.coreference_views import live_training
from models import coreference as model
from playground.training_queue import TrainingQueue, default_slots, run_in_child_process

from .rerun import p95, scenarios_for, server_like_script_cache, time_scenario
from .results_file import command_line, load_average, write_result

ROOT = Path(__file__).resolve().parents[1]
RESULT = "training_load"  # benchmarks/results/training_load.json
BUDGET_MS = 200.0
PAGES = ("pages/multi_head.py", "pages/self_attention.py", "pages/learning.py")


def measure(pages, reps: int) -> list[dict]:
    rows = []
    for path in pages:
        for label, change in scenarios_for(path).items():
            times = time_scenario(path, change, reps)
            rows.append({"path": path, "change": label, "median_ms": round(statistics.median(times), 1),
                         "p95_ms": round(p95(times), 1)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--page", action="append", help="only this page file (repeatable)")
    args = parser.parse_args()
    pages = args.page or PAGES
    command, load_before = command_line("benchmarks.training_load"), load_average()
    slots = default_slots()
    with server_like_script_cache():
        idle = measure(pages, args.reps)
        # every=1: report each step, so the check below sees the trainings advance even on a loaded machine
        queue = TrainingQueue(partial(run_in_child_process, live_training, every=1), slots=slots, abandon_after_s=1e9)
        names = [f"student {i}" for i in range(slots)]
        for i, name in enumerate(names):
            queue.submit(name, seed=i, total=model.QUICK.steps)
        try:
            deadline = time.monotonic() + 300
            while not all(queue.status(n).progress for n in names):  # every child has started and reported step 0
                assert time.monotonic() < deadline, "the trainings did not start"
                time.sleep(0.2)
            before = [queue.status(n).steps_done for n in names]
            busy = measure(pages, args.reps)
            after = [queue.status(n).steps_done for n in names]
        finally:
            for name in names:
                queue.stop(name)
            queue.join(60)
    progress = [b - a for a, b in zip(before, after)]
    assert all(p > 0 for p in progress), "the trainings made no progress while the reruns were timed"
    print(f"{slots} live trainings ran during the timing ({', '.join(map(str, progress))} steps each)")
    print(f"{'page / change':<52} {'idle ms':>8} {'training ms':>12} {'p95':>7}  budget {BUDGET_MS:.0f}")
    for a, b in zip(idle, busy):
        verdict = "ok" if b["median_ms"] <= BUDGET_MS else "OVER"
        print(f"{Path(a['path']).stem + ' / ' + a['change']:<52} {a['median_ms']:>8.1f} {b['median_ms']:>12.1f} "
              f"{b['p95_ms']:>7.1f}  {verdict}")
    if not args.page:
        path = write_result(RESULT, command, {
            "load_average_after": load_average(), "budget_median_ms": BUDGET_MS, "reps": args.reps,
            "trainings": slots, "steps_during_timing": progress, "python": platform.python_version(),
            "idle": idle, "training": busy}, load_before)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
