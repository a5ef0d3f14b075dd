"""A class poll at full size: N students through nginx to two replicas join one poll and answer; the projector counts.

    python -m benchmarks.classroom --poll --students 60 --json               # (same as python -m benchmarks.poll)
    python -m benchmarks.classroom --poll --students 60 --kill-replica --json

It starts the shipped setup (`deploy.serve`: two replicas behind nginx, supervised) with a fresh data directory,
creates a poll in the store every replica shares, and opens a projector (the teacher's view, with the teacher link)
and `--students` students (the join link) over Streamlit's own WebSocket protocol. Every student answers within
`--answer-within` seconds of joining. The projector reruns its page every 0.5 s and reads the count it shows (in a
browser it refreshes itself every second). With --kill-replica, replica 0 is killed (SIGKILL) once half the students
have answered; the supervisor starts it again, and each student it held reconnects with its cookie and its URL (which
carries its voter id) and answers again: it must replace its answer, not add one. Only ever talks to 127.0.0.1.

Prints one JSON object:
    students, answers_stored (in the store, after the run), lost (students - stored), errors (exceptions on a page
    or failed answers, dropped connections not counted: those are reported as reconnects), reconnects,
    projector_count (the last count the projector showed), projector_lag_ms (last answer stored -> the projector
    showing every answer), answer_p50_ms / answer_p95_ms (a student's answer: click -> page updated, over the
    protocol), store_p95_ms (one answer written to SQLite, measured apart with as many threads as students),
    projector_rerun_ms (the projector's refresh, median), killed (bool), answers_before_kill_kept (bool or null)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from streamlit.proto.WidgetStates_pb2 import WidgetState

from benchmarks.results_file import command_line, load_average, write_result
from classroom import Question, SQLiteStore
from classroom.store import default_store
from tooling.servers import free_port_block
from tooling.st_client import Session

PAGE = "class_poll"
OPTIONS = ("The", "cat", "sat", "on", "the", "mat", "because", "it", "was", "tired")
QUESTION = Question("Which word will `it` look at most?", OPTIONS, answer=1, source="benchmarks.poll")
MAX_STUDENTS = 300
ANSWERED = re.compile(r"\*\*(\d+)\*\* students? ha(?:s|ve) answered")


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1)


def pills_id(s: Session, code: str, round_: int = 1) -> str | None:
    return next((wid for wid, (kind, _) in s.widgets.items() if kind == "button_group" and
                 wid.endswith(f"cp_pick_{code}_{round_}")), None)


async def answer(s: Session, code: str, choice: int) -> tuple[bool, float, list[str]]:
    wid = pills_id(s, code)
    if wid is None:
        return False, 0.0, ["no answer pills on the page"]
    state = WidgetState(id=wid)
    state.string_array_value.data.append(OPTIONS[choice])  # pills send the chosen option's label
    r = await s.change([state])
    return r.ok, r.seconds * 1000, r.exceptions


def dropped(errors: list[str]) -> bool:
    return any(e.startswith("connection") for e in errors)


async def reconnect(s: Session, url: str) -> tuple[Session, bool]:
    """What the browser does when its connection drops: reconnect with the same cookie and the same URL (which
    carries the voter id), and open the page again."""
    cookie, query = s.cookie, s.query_string
    await s.close()
    s = Session(url)
    r = await s.open(PAGE, cookie, query)
    return s, r.ok


async def student(url: str, code: str, seed: int, within_s: float, out: dict, kill: asyncio.Event | None) -> None:
    rng = random.Random(seed)
    s = Session(url)
    r = await s.open(PAGE, query=f"code={code}")
    if not r.ok:
        out["errors"].append(f"join: {r.exceptions[:1]}")
        await s.close()
        return
    out["replica_of"][seed] = s.replica
    await asyncio.sleep(rng.uniform(0, within_s))
    choice = rng.randrange(len(OPTIONS))
    ok, ms, errs = await answer(s, code, choice)
    if not ok and dropped(errs):  # the replica died under this answer: reconnect, answer again
        out["reconnects"] += 1
        s, opened = await reconnect(s, url)
        ok, ms, errs = await answer(s, code, choice) if opened else (False, 0.0, ["reopen failed"])
        out["reanswered"] += ok
    if ok:
        out["answer_ms"].append(ms)
        out["answered_at"].append(time.monotonic())
    else:
        out["errors"].append(f"answer: {errs[:1]}")
    if kill is not None:  # after the kill: a session that lost its replica reconnects and answers again
        await kill.wait()
        await asyncio.sleep(0.5)
        again = await s.change([])
        if not again.ok and dropped(again.exceptions):
            out["reconnects"] += 1
            s, opened = await reconnect(s, url)
            ok, _, errs = await answer(s, code, choice) if opened else (False, 0.0, ["reopen failed"])
            if ok:
                out["reanswered"] += 1
            else:
                out["errors"].append(f"answer after reconnect: {errs[:1]}")
    await s.close()


async def projector(url: str, code: str, key: str, stop: asyncio.Event, out: dict) -> None:
    s = Session(url)
    r = await s.open(PAGE, query=f"code={code}&key={key}")
    if not r.ok:
        out["errors"].append(f"projector: {r.exceptions[:1]}")
        return
    while not stop.is_set():
        r = await s.change([])
        if r.ok:
            out["projector_ms"].append(r.seconds * 1000)
            counts = [int(m.group(1)) for t in r.texts if (m := ANSWERED.search(t))]
            if counts:
                out["projector_seen"].append((time.monotonic(), counts[-1]))
        elif any(e.startswith("connection") for e in r.exceptions):
            await s.close()
            s = Session(url)
            await s.open(PAGE, query=f"code={code}&key={key}")
        await asyncio.sleep(0.5)
    await s.close()


def store_latency(store: SQLiteStore, code: str, threads: int) -> float | None:
    """p95 of one answer written to the store, `threads` writers at once (ms)."""
    def one(i: int) -> float:
        t0 = time.perf_counter()
        store.answer(code, f"latency-{i}", i % len(OPTIONS), time.time())
        return (time.perf_counter() - t0) * 1000
    with ThreadPoolExecutor(threads) as pool:
        return percentile(list(pool.map(one, range(threads * 5))), 0.95)


async def run_class(dep, store: SQLiteStore, students: int, within_s: float, kill_replica: bool) -> dict:
    poll, key = store.create(QUESTION, time.time())
    out = {"errors": [], "answer_ms": [], "answered_at": [], "projector_ms": [], "projector_seen": [],
           "replica_of": {}, "reconnects": 0, "reanswered": 0}
    stop, kill = asyncio.Event(), asyncio.Event() if kill_replica else None
    proj = asyncio.create_task(projector(dep.url, poll.code, key, stop, out))
    tasks = [asyncio.create_task(student(dep.url, poll.code, i, within_s, out, kill)) for i in range(students)]
    before_kill = None
    if kill is not None:
        while len(out["answered_at"]) < students // 2:
            await asyncio.sleep(0.1)
        before_kill = store.counts(poll.code, 1)
        os.kill(dep.replicas[0].pid, signal.SIGKILL)
        kill.set()
    await asyncio.gather(*tasks)
    stored = sum(store.counts(poll.code, 1))
    last = max(out["answered_at"], default=time.monotonic())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(c >= stored and t >= last for t, c in out["projector_seen"]):
        await asyncio.sleep(0.1)
    stop.set()
    await proj
    seen = [t for t, c in out["projector_seen"] if c >= stored and t >= last]
    after = store.counts(poll.code, 1)
    return {
        "students": students,
        "answers_stored": stored,
        "lost": students - stored,
        "errors": len(out["errors"]),
        "reconnects": out["reconnects"],
        "reanswered": out["reanswered"],
        "projector_count": out["projector_seen"][-1][1] if out["projector_seen"] else None,
        "projector_lag_ms": round((seen[0] - last) * 1000) if seen else None,
        "answer_p50_ms": percentile(out["answer_ms"], 0.5),
        "answer_p95_ms": percentile(out["answer_ms"], 0.95),
        "projector_rerun_ms": round(statistics.median(out["projector_ms"]), 1) if out["projector_ms"] else None,
        "killed": kill_replica,
        # every student answered once: an answer kept before the kill can only have been replaced, never lost
        "answers_before_kill_kept": (sum(after) >= sum(before_kill)) if before_kill is not None else None,
        "store_p95_ms": store_latency(store, poll.code, students),
        "error_samples": sorted(set(out["errors"]))[:8],
    }


def run(students: int = 60, kill_replica: bool = False, within_s: float = 10.0) -> dict:
    from deploy.serve import supervised

    data = tempfile.mkdtemp(prefix="poll-bench-")
    os.environ["AP_DATA_DIR"] = data  # the replicas inherit it: they and this process share one SQLite file
    load_before = load_average()
    with supervised(2, free_port_block(3), log_dir=Path(data)) as dep:
        result = asyncio.run(run_class(dep, default_store(data), students, within_s, kill_replica))
    result["restarts"] = dep.restarts
    result["load_average_before"] = load_before
    return result


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--poll", action="store_true", help="(accepted for `benchmarks.classroom --poll`)")
    ap.add_argument("--students", type=int, default=60)
    ap.add_argument("--answer-within", type=float, default=10.0)
    ap.add_argument("--kill-replica", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not 1 <= args.students <= MAX_STUDENTS:
        ap.error(f"--students 1..{MAX_STUDENTS}")
    command = command_line("benchmarks.classroom", argv if argv is not None else sys.argv[1:])
    result = run(args.students, args.kill_replica, args.answer_within)
    print(json.dumps(result) if args.json else json.dumps(result, indent=1))
    saved = {k: v for k, v in result.items() if k != "load_average_before"}
    path = write_result("poll_replica_killed" if args.kill_replica else "poll", command, saved,
                        result["load_average_before"])
    print(f"wrote {path}", file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
