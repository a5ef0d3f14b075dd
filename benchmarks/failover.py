"""A replica dies in the middle of a lesson: what do its students and everyone else see?

    python -m benchmarks.failover --students 40 --seconds 75 --kill-at 30 --json

Starts the shipped setup (`deploy.serve`: two replicas behind nginx, warmed, supervised), lets `--students` students
work over Streamlit's own WebSocket protocol (a change every 1-3 s, as in benchmarks/classroom.py), and at `--kill-at`
seconds kills one replica with SIGKILL, as a crash would. A student whose connection drops does what the browser
does: it reconnects at once with its affinity cookie and opens its page again (a fresh session: the old one died with
its replica). It only ever talks to 127.0.0.1 and stops by itself. Prints one JSON object:

    students_on_killed / students_on_other   where each student's session was when the replica died
    other_errors          errors seen by students of the healthy replica (target 0)
    killed_errors         errors other than the dropped connection, for the killed replica's students (target 0)
    killed_max_drops      dropped connections per student of the killed replica, at most (target 1)
    killed_reconnected    how many of them worked again after reconnecting (target: all)
    replica_back_s        kill -> the restarted replica answers its health check (target <= 30)
    proxy_health_failures health checks through nginx that failed during the run, every 0.25 s (target 0; a
                          TimeoutError after 2 s is a starved machine, a refusal or an HTTP error a fault)
    arrival_spread        students per replica on arrival (round robin: within one of each other)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

from benchmarks.classroom import pick_change
from benchmarks.results_file import command_line, load_average, write_result
from tooling.servers import free_port_block, is_healthy
from tooling.st_client import Session

PAGES = ("self_attention", "multi_head", "quiz", "speed")  # pages with widgets to change; every page is warmed
THINK_S = (1.0, 3.0)
HEALTH_TIMEOUT_S = 2.0
MAX_STUDENTS = 200
MAX_SECONDS = 600.0


@dataclass
class Student:
    """One student's story through the run."""

    arrival_replica: str = ""
    replica: str = ""  # where its session is now
    replica_at_kill: str = ""
    interactions: int = 0
    drops: int = 0  # connections that broke under it
    errors: list[str] = field(default_factory=list)  # anything else that went wrong
    worked_after_drop: bool = False


async def student(url: str, seed: int, stop_at: float, me: Student, think_s: tuple[float, float]) -> None:
    rng = random.Random(seed)
    page = rng.choice(PAGES)
    s = Session(url)
    r = await s.open(page)
    me.arrival_replica = me.replica = s.replica
    if not r.ok:
        me.errors += r.exceptions
    try:
        while time.monotonic() < stop_at:
            await asyncio.sleep(rng.uniform(*think_s))
            change = pick_change(s.widgets, rng)
            r = await (s.change(change) if change else s.goto(page))
            me.interactions += 1
            if r.ok:
                me.worked_after_drop |= me.drops > 0
                continue
            if not any(e.startswith("connection") for e in r.exceptions):
                me.errors += r.exceptions
                continue
            me.drops += 1  # the browser reconnects at once, with the cookie it holds
            cookie = s.cookie
            await s.close()
            s = Session(url)
            r = await s.open(page, cookie)
            me.replica = s.replica
            if r.ok:
                me.worked_after_drop = True
            else:
                me.errors += r.exceptions
    finally:
        await s.close()


def health(url: str, timeout_s: float) -> str:
    """"ok", or why /_stcore/health through the proxy did not answer 200 within timeout_s."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout_s) as r:
            return "ok" if r.status == 200 else f"HTTP {r.status}"
    except urllib.error.HTTPError as e:
        return f"HTTP {e.code}"
    except OSError as e:
        return type(e).__name__ + (f": {e.reason}" if hasattr(e, "reason") else "")


async def health_watch(url: str, stop_at: float, failures: list[tuple[float, str]], t0: float) -> None:
    while time.monotonic() < stop_at:
        said = await asyncio.to_thread(health, url, HEALTH_TIMEOUT_S)
        if said != "ok":
            failures.append((round(time.monotonic() - t0, 2), said))
        await asyncio.sleep(0.25)


async def lesson(dep, students: int, seconds: float, kill_at: float, seed: int = 0,
                 think_s: tuple[float, float] = THINK_S) -> dict:
    """Run the class on a started Deployment `dep`, kill replica 0 at `kill_at` s; the caller supervises `dep`."""
    t0 = time.monotonic()
    stop_at = t0 + seconds
    class_ = [Student() for _ in range(students)]
    failures: list[tuple[float, str]] = []
    tasks = [asyncio.create_task(student(dep.url, seed * 100_003 + i, stop_at, me, think_s))
             for i, me in enumerate(class_)]
    watch = asyncio.create_task(health_watch(dep.url, stop_at, failures, t0))
    await asyncio.sleep(max(0.0, t0 + kill_at - time.monotonic()))
    victim_url = dep.backend_urls[0]
    victim = victim_url.removeprefix("http://")
    for me in class_:
        me.replica_at_kill = me.replica
    killed_pid = dep.replicas[0].pid
    os.kill(killed_pid, signal.SIGKILL)
    killed_at = time.monotonic()
    back_s = None
    while back_s is None and time.monotonic() < stop_at + 30:
        if dep.replicas[0].pid != killed_pid and await asyncio.to_thread(is_healthy, victim_url, 1.0):
            back_s = round(time.monotonic() - killed_at, 1)
        else:
            await asyncio.sleep(0.2)
    await asyncio.gather(*tasks, return_exceptions=False)
    await watch
    on_killed = [me for me in class_ if me.replica_at_kill == victim]
    others = [me for me in class_ if me.replica_at_kill != victim]
    return {
        "students": students,
        "seconds": seconds,
        "kill_at_s": kill_at,
        "killed_replica": victim,
        "arrival_spread": dict(Counter(me.arrival_replica for me in class_)),
        "students_on_killed": len(on_killed),
        "students_on_other": len(others),
        "interactions": sum(me.interactions for me in class_),
        "other_errors": sum(len(me.errors) + me.drops for me in others),
        "killed_errors": sum(len(me.errors) for me in on_killed),
        "killed_max_drops": max((me.drops for me in on_killed), default=0),
        "killed_reconnected": sum(me.worked_after_drop for me in on_killed),
        "replica_back_s": back_s,
        "proxy_health_failures": len(failures),
        "proxy_health_failure_samples": [f"{t} s: {why}" for t, why in failures[:5]],
        "proxy_health_failures_by_reason": dict(Counter(why for _, why in failures)),
        "error_samples": sorted({e[:160] for me in class_ for e in me.errors})[:10],
    }


def run(students: int, seconds: float, kill_at: float, *, warm: bool = True, seed: int = 0,
        think_s: tuple[float, float] = THINK_S, log_dir=None) -> dict:
    """Start two supervised replicas behind nginx, run the lesson with a kill, stop everything; the result dict."""
    from deploy.serve import supervised

    load_before = load_average()
    with supervised(2, free_port_block(3), warm=warm, log_dir=log_dir) as dep:
        result = asyncio.run(lesson(dep, students, seconds, kill_at, seed, think_s))
    result["restarts"] = dep.restarts
    result["load_average_before"] = load_before
    return result


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--seconds", type=float, default=75.0)
    ap.add_argument("--kill-at", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not 1 <= args.students <= MAX_STUDENTS or not 0 < args.kill_at < args.seconds <= MAX_SECONDS:
        ap.error(f"--students 1..{MAX_STUDENTS}, 0 < --kill-at < --seconds <= {MAX_SECONDS:.0f}")
    command = command_line("benchmarks.failover", argv)
    result = run(args.students, args.seconds, args.kill_at, seed=args.seed)
    print(json.dumps(result) if args.json else json.dumps(result, indent=1))
    saved = {k: v for k, v in result.items() if k != "load_average_before"}
    print(f"wrote {write_result('failover', command, saved, result['load_average_before'])}", file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
