"""Live trainings for a room of learners: at most one training per CPU core runs at once, the others wait in line.

One `TrainingQueue` serves the whole server (the Learning-to-attend page gets it from st.cache_resource, the one
sanctioned shared state). Each session owns at most one job, found by its key: a rerun asks for the job again and
gets the one already running, never a second one. A job runs in a daemon thread of its own; the page only reads
an immutable `JobStatus` snapshot, so no session ever holds the queue's mutable state.

The training itself is a function handed to the queue, `run(seed, total, report, should_stop)`, which calls
`report(step, values)` every few dozen steps and returns when done or when `should_stop()` turns true. Keeping the
model out of this module lets the tests drive the queue with a fake run they control step by step.
`run_in_child_process` runs such a function in a child process and relays its reports, so that the server's
threads keep the interpreter to themselves (the Learning page's queue runs every training that way).

A job whose page stopped asking about it (the learner closed the tab or left the page) for `abandon_after_s` is
given up: a waiting one leaves the line, a running one stops after its current step. So the line never fills with
ghosts, and a room's abandoned trainings do not hold the CPU cores.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

WAITING, RUNNING, DONE, STOPPED, FAILED = "waiting", "running", "done", "stopped", "failed"
ACTIVE = (WAITING, RUNNING)
FORGET_AFTER_S = 3600.0

Report = Callable[[int, Mapping[str, Any]], None]
Run = Callable[[int, int, Report, Callable[[], bool]], None]


@dataclass(frozen=True)
class Progress:
    step: int
    values: Mapping[str, Any]  # what the run reported at that step (held-out accuracy, the "it" row, ...)


@dataclass(frozen=True)
class JobStatus:
    """What a page may read about its job: a snapshot, never the live object."""
    state: str  # one of WAITING, RUNNING, DONE, STOPPED, FAILED
    seed: int
    total: int  # steps asked for
    steps_done: int
    position: int | None  # 1-based place in the waiting line, None unless waiting
    progress: tuple[Progress, ...]
    error: str = ""
    seconds_left: float | None = None  # estimated from the measured step rate (and the line ahead); None: unknown


    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def fraction(self) -> float:
        return min(1.0, self.steps_done / self.total) if self.total else 1.0


@dataclass
class _Job:
    key: Hashable
    seed: int
    total: int
    last_seen: float
    state: str = WAITING
    steps_done: int = 0
    progress: list[Progress] = field(default_factory=list)
    error: str = ""
    stop: threading.Event = field(default_factory=threading.Event)
    started: float | None = None  # clock time the run began


def default_slots() -> int:
    """One live training per CPU core."""
    return max(1, os.cpu_count() or 1)


class TrainingQueue:
    """At most `slots` jobs run at once; the rest wait, first come first served."""

    def __init__(self, run: Run, slots: int | None = None, abandon_after_s: float = 15.0,
                 clock: Callable[[], float] = time.monotonic):
        self._run = run
        self.slots = slots or default_slots()
        self._abandon_after_s = abandon_after_s
        self._clock = clock
        self._lock = threading.Lock()
        self._jobs: dict[Hashable, _Job] = {}
        self._line: list[_Job] = []  # waiting jobs, oldest first
        self._threads: list[threading.Thread] = []
        self._step_s: float | None = None  # seconds per step of the last run that measured it (the machine's pace)

    # ---- what a page calls ----------------------------------------------------------------------------------------

    def submit(self, key: Hashable, seed: int, total: int) -> JobStatus:
        """Start (or queue) a training for `key`; if it already has one waiting or running, that one is kept."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job.state not in ACTIVE:
                job = _Job(key, int(seed), int(total), self._clock())
                self._jobs[key] = job
                self._line.append(job)
                self._dispatch()
            return self._snapshot(job)

    def stop(self, key: Hashable) -> None:
        """Ask `key`'s job to stop: a waiting job leaves the line at once, a running one after its current step."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                return
            job.stop.set()
            if job.state == WAITING:
                self._line.remove(job)
                job.state = STOPPED

    def status(self, key: Hashable) -> JobStatus | None:
        """`key`'s job as a snapshot (None if it has none); asking also tells the queue its page is still open."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                return None
            job.last_seen = self._clock()
            self._dispatch()
            return self._snapshot(job)

    def counts(self) -> tuple[int, int]:
        """(running, waiting) over the whole server."""
        with self._lock:
            return sum(j.state == RUNNING for j in self._jobs.values()), len(self._line)

    def join(self, timeout: float | None = None) -> None:
        """Wait for every thread started so far (tests and benchmarks; a page never waits)."""
        for thread in list(self._threads):
            thread.join(timeout)

    # ---- inside ---------------------------------------------------------------------------------------------------

    def _pace(self, job: _Job) -> float | None:
        """Seconds per step: this job's own rate once it has run a few steps, else the last measured one."""
        if job.started is not None and job.steps_done >= 5:
            return (self._clock() - job.started) / job.steps_done
        return self._step_s

    def _seconds_left(self, job: _Job) -> float | None:
        """A running job: its remaining steps at its pace. A waiting one: the runs ahead of it in the line, shared
        out over the slots, plus its own (every run at the last measured pace)."""
        if job.state == RUNNING:
            pace = self._pace(job)
            return None if pace is None else pace * max(0, job.total - job.steps_done)
        if job.state != WAITING or self._step_s is None:
            return None
        running = [j for j in self._jobs.values() if j.state == RUNNING]
        ahead = self._line[: self._line.index(job)]
        left = sorted((self._seconds_left(j) or 0.0) for j in running)  # when each slot frees up
        left += [0.0] * (self.slots - len(left))
        for queued in ahead:  # each waiting run takes the slot that frees first
            left.sort()
            left[0] += self._step_s * queued.total
        return min(left) + self._step_s * job.total

    def _snapshot(self, job: _Job) -> JobStatus:
        position = self._line.index(job) + 1 if job.state == WAITING else None
        return JobStatus(job.state, job.seed, job.total, job.steps_done, position, tuple(job.progress), job.error,
                         self._seconds_left(job))

    def _dispatch(self) -> None:
        """With the lock held: drop abandoned waiting jobs, then start waiting jobs while a slot is free."""
        now = self._clock()
        for job in [j for j in self._line if now - j.last_seen > self._abandon_after_s]:
            self._line.remove(job)
            job.state = STOPPED
        for key in [k for k, j in self._jobs.items() if j.state not in ACTIVE and now - j.last_seen > FORGET_AFTER_S]:
            del self._jobs[key]  # a finished job nobody asked about for a long while: its session is gone
        running = sum(j.state == RUNNING for j in self._jobs.values())
        while self._line and running < self.slots:
            job = self._line.pop(0)
            job.state = RUNNING
            job.started = self._clock()
            running += 1
            thread = threading.Thread(target=self._work, args=(job,), name=f"training-{job.key}", daemon=True)
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
            thread.start()

    def _work(self, job: _Job) -> None:
        def report(step: int, values: Mapping[str, Any]) -> None:
            with self._lock:
                job.steps_done = int(step)
                job.progress.append(Progress(int(step), MappingProxyType(dict(values))))
                if job.started is not None and job.steps_done >= 5:  # the machine's pace, for the line's estimates
                    self._step_s = (self._clock() - job.started) / job.steps_done

        def should_stop() -> bool:
            if self._clock() - job.last_seen > self._abandon_after_s:
                job.stop.set()  # nobody is watching any more
            return job.stop.is_set()

        state, error = DONE, ""
        try:
            self._run(job.seed, job.total, report, should_stop)
            if job.stop.is_set():
                state = STOPPED
        except Exception as exc:  # a failed training must free its slot and say why, not kill the server
            state, error = FAILED, f"{type(exc).__name__}: {exc}"
        with self._lock:
            job.state, job.error = state, error
            self._dispatch()


# ---- a run in a child process ----------------------------------------------------------------------------------------


def run_in_child_process(run: Callable[..., None], seed: int, total: int, report: Report,
                         should_stop: Callable[[], bool], *, poll_s: float = 0.1, **options: Any) -> None:
    """`run(seed, total, report, should_stop, **options)` in a child process at low priority, relaying its reports;
    `run` must be a module-level function (the child imports it). The server's sessions share one process: a
    training thread there would hold the GIL for most of each NumPy step (the arrays are small, so the Python around
    them dominates) and slow every other page's rerun. A child process has its own interpreter, and its lower
    priority hands the cores to the server whenever a rerun needs one."""
    ctx = multiprocessing.get_context("spawn")  # never fork a server that runs threads
    # one BLAS thread in the child: its arrays are small, so more threads only fight the server for the cores (a
    # step took ten times longer on a busy 2-core machine). The server's own BLAS is loaded already: unaffected.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    receive, send = ctx.Pipe(duplex=False)
    stop = ctx.Event()
    child = ctx.Process(target=_run_in_child, args=(run, seed, total, send, stop, options), daemon=True,
                        name=f"live-training-{seed}")
    child.start()
    send.close()
    try:
        while True:
            if should_stop():
                stop.set()
            if receive.poll(poll_s):
                try:
                    message = receive.recv()
                except EOFError:  # the child is gone
                    break
                if message is None:
                    break
                if message[0] == "error":
                    raise RuntimeError(message[1])
                report(message[1], message[2])
            elif not child.is_alive():
                break
    finally:
        stop.set()
        child.join(10)
        if child.is_alive():
            child.terminate()
            child.join()
        receive.close()


def _run_in_child(run: Callable[..., None], seed: int, total: int, send, stop, options: Mapping[str, Any]) -> None:
    os.nice(10)  # a lower priority than the server's reruns
    try:
        run(seed, total, lambda step, values: send.send(("report", step, dict(values))), stop.is_set, **options)
        send.send(None)
    except Exception as exc:  # say why in the parent, which marks the job failed
        send.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()
