"""A class arrives at once on a fresh `streamlit run attention_playground.py`: does every first page load?

    python -m benchmarks.arrival --students 80 --starts 5 --json

Each start is a new plain server (the README's first teacher command, nothing warmed). As soon as it answers its
health check, `--students` students open a random page each at the same moment, over Streamlit's own WebSocket
protocol (tooling/st_client.py), by the page's URL as a browser does, so a fresh server's first runs go through
Streamlit's legacy pages/ mode. A first page fails when its run shows an exception or does not finish. Only ever
talks to 127.0.0.1; stops by itself. Prints one JSON object: {"students", "starts", "arrivals", "failed",
"arrival_p50_ms", "arrival_p95_ms", "per_start": [...], "error_samples", "load_average_before"}, and writes it to
benchmarks/results/arrival.json. The percentiles are over every first page of every start together.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.classroom import ALL_PAGES, percentile
from benchmarks.results_file import command_line, load_average, write_result
from tooling.servers import start_server, stop_server, wait_healthy
from tooling.st_client import Session

MAX_STUDENTS = 300
MAX_STARTS = 20


async def arrive(url: str, page: str) -> tuple[bool, float, list[str]]:
    s = Session(url)
    t0 = time.perf_counter()
    try:
        r = await s.open(page)
        return r.ok, (time.perf_counter() - t0) * 1000, r.exceptions
    except Exception as e:  # the connection itself failed
        return False, (time.perf_counter() - t0) * 1000, [f"connect: {e!r}"]
    finally:
        await s.close()


async def class_arrives(url: str, students: int, seed: int) -> list[tuple[bool, float, list[str]]]:
    rng = random.Random(seed)
    return await asyncio.gather(*(arrive(url, rng.choice(ALL_PAGES)) for _ in range(students)))


def one_start(students: int, seed: int, log_dir: Path) -> dict:
    """A fresh server, a class arriving at once, the server stopped; this start's figures."""
    proc, url = start_server(log_dir / f"arrival-{seed}.log")
    try:
        wait_healthy(url, proc)
        results = asyncio.run(class_arrives(url, students, seed))
    finally:
        stop_server(proc)
    ms = [m for ok, m, _ in results if ok]
    return {"failed": sum(not ok for ok, _, _ in results), "p95_ms": round(percentile(ms, 0.95)) if ms else None,
            "ms": ms, "errors": [e[0][:200] for ok, _, e in results if not ok and e]}


def run(students: int, starts: int, seed: int = 0, log_dir: Path | None = None) -> dict:
    load_before = load_average()
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="arrival-"))
    per_start = [one_start(students, seed + i, log_dir) for i in range(starts)]
    ms = [m for s in per_start for m in s["ms"]]
    return {
        "students": students,
        "starts": starts,
        "arrivals": students * starts,
        "failed": sum(s["failed"] for s in per_start),
        "arrival_p50_ms": round(percentile(ms, 0.5)) if ms else None,
        "arrival_p95_ms": round(percentile(ms, 0.95)) if ms else None,
        "per_start": [{"failed": s["failed"], "p95_ms": s["p95_ms"]} for s in per_start],
        "error_samples": sorted({e for s in per_start for e in s["errors"]})[:10],
        "load_average_before": load_before,
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", type=int, default=80)
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not 1 <= args.students <= MAX_STUDENTS or not 1 <= args.starts <= MAX_STARTS:
        ap.error(f"--students 1..{MAX_STUDENTS}, --starts 1..{MAX_STARTS}")
    command = command_line("benchmarks.arrival", argv)
    result = run(args.students, args.starts, args.seed)
    print(json.dumps(result) if args.json else json.dumps(result, indent=1))
    saved = {k: v for k, v in result.items() if k != "load_average_before"}
    print(f"wrote {write_result('arrival', command, saved, result['load_average_before'])}", file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
