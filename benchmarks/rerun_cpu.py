"""CPU time of warm reruns: the same scenarios as benchmarks/rerun.py, measured in process CPU milliseconds
(user + system) instead of wall time. On a machine busy with other work the wall time of a rerun mostly measures
the wait for a core; its CPU time does not, so this is the number to compare with the 50 ms budget there.

    nice python -m benchmarks.rerun_cpu pages/learning.py pages/multi_head.py
"""

from __future__ import annotations

import resource
import statistics
import sys

from .rerun import scenarios_for, server_like_script_cache, time_scenario


def cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return (usage.ru_utime + usage.ru_stime) * 1000


def main(paths: list[str], reps: int = 20) -> None:
    with server_like_script_cache():
        for path in paths:
            for label, change in scenarios_for(path).items():
                spent = time_scenario(path, change, reps, clock=cpu_ms)
                print(f"{path} / {label}: median {statistics.median(spent):.1f} ms CPU per rerun")


if __name__ == "__main__":
    main(sys.argv[1:] or ["pages/learning.py"])
