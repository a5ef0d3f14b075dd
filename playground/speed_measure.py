"""The Speed page's live measurements, one grid point at a time, shared by the server and labelled.

- The board (st.cache_resource: one per server) holds the current measurement of each grid point, with when it was
  taken, the machine's load average just before, and which session took it. Every session reads the same numbers,
  so a class sees one measurement, and the page says whose and how old it is. A point goes on the board only once
  it is complete, so a rerun that interrupts the loop leaves only finished points behind.
- "Measure again" takes the chosen points off the board; the next run measures them anew and puts them back, for
  everyone, so one noisy first run does not stay in front of the whole class.
- The session remembers the points it has read (session_state[SEEN]) and the token it measures under (TOKEN).

The clock: visitors always get time.perf_counter. A test puts its own clock in session_state[TEST_CLOCK]; it carries
a `cache_key`, so the board keeps its points apart from real ones. The load reading is os.getloadavg unless a test
puts its own in session_state[TEST_LOAD].
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import streamlit as st

from attention_core.chunked import DEFAULT_BLOCK
from lessons.speed import (
    DEFAULT_REPEATS,
    MemoryPoint,
    SpeedPoint,
    attention_costs,
    check_benchmark,
    measure_point,
    rnn_costs,
)

from .texts import speed as text

TEST_CLOCK = "sp_test_clock"
TEST_LOAD = "sp_test_load"
SEEN = "sp_results"  # (n, d, clock key) -> Timed this session has read
TOKEN = "sp_token"  # this session's name on the board (random, never shown)
LAST = "sp_last_measurement"  # (largest n, d, seconds) of this session's last run that measured anything


class Timed(NamedTuple):
    point: SpeedPoint
    memory: MemoryPoint
    measured_at: float  # time.time() when the point was complete
    load_before: float  # the 1-minute load average just before it was measured
    token: str  # the session that measured it


class Board:
    """The server's current measurement of each (n, d, clock key); a lock keeps concurrent sessions' writes whole."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._points: dict[tuple, Timed] = {}
        # One measurement at a time on the server: a class opening the page together would otherwise start one
        # each, time each other's load, and hold the interpreter for everyone (80 students arriving at once waited
        # 17 s for a first page, p50). The others wait for it and read what it put on the board.
        self.measuring = threading.Lock()

    def get(self, key: tuple) -> Timed | None:
        with self._lock:
            return self._points.get(key)

    def put(self, key: tuple, timed: Timed) -> None:
        with self._lock:
            self._points[key] = timed

    def forget(self, keys: Sequence[tuple]) -> None:
        with self._lock:
            for key in keys:
                self._points.pop(key, None)


@st.cache_resource(show_spinner=False)
def board() -> Board:
    return Board()


class Measurement(NamedTuple):
    points: list[SpeedPoint]  # one per grid n, ascending
    memory: list[MemoryPoint]
    seconds: float | None  # how long this session took to measure this n and d; None: it read them from the board
    measured_at: float | None = None  # when the oldest point was taken (time.time())
    load_before: float | None = None  # the highest load average seen just before any of the points
    by_this_session: bool = True  # every point was measured by this session


ROOT = Path(__file__).resolve().parents[1]
# tracemalloc.start()/stop() while a server's other threads allocate can crash CPython 3.11 (a classroom load test
# saw two segfaults in tracemalloc's traceback_new, each taking every student of that server with it), so memory
# is traced in a child process of its own, where no other thread runs.
_MEMORY_CHILD = ("import json, sys; from lessons.speed import measure_memory; "
                 "print(json.dumps(measure_memory(*map(int, sys.argv[1:]))))")


@st.cache_data(show_spinner=False, max_entries=400)
def _memory(n: int, d: int, block: int) -> MemoryPoint:
    done = subprocess.run([sys.executable, "-c", _MEMORY_CHILD, str(n), str(d), str(block)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    return MemoryPoint(*json.loads(done.stdout))


def refusal(grid: Sequence[int], d: int) -> str | None:
    """Why this choice is not measured (too much work for a shared server), or None."""
    try:
        check_benchmark(grid, d, DEFAULT_REPEATS)
    except ValueError as exc:
        return str(exc)
    return None


def _session_token() -> str:
    return st.session_state.setdefault(TOKEN, uuid.uuid4().hex)


def _clock() -> tuple[Callable[[], float], str]:
    clock = st.session_state.get(TEST_CLOCK, time.perf_counter)
    return clock, ("perf_counter" if clock is time.perf_counter else clock.cache_key)


def measure_again(grid: Sequence[int], d: int) -> None:
    """Take this choice's points off the board (for every session) and out of this session, so the next run
    measures them anew."""
    _, clock_key = _clock()
    keys = [(n, d, clock_key) for n in grid]
    board().forget(keys)
    seen = st.session_state.setdefault(SEEN, {})
    for key in keys:
        seen.pop(key, None)


def measure(grid: Sequence[int], d: int) -> Measurement:
    """Every point of `grid` at width d: read from the board, else measured under a progress bar weighted by each
    point's multiply-adds and put on the board."""
    clock, clock_key = _clock()
    load = st.session_state.get(TEST_LOAD, lambda: os.getloadavg()[0])
    token, shared, seen = _session_token(), board(), st.session_state.setdefault(SEEN, {})
    weight = [rnn_costs(n, d).multiply_adds + attention_costs(n, d).multiply_adds for n in grid]
    progress = st.empty()
    started = time.perf_counter()
    fresh = False
    for i, n in enumerate(grid):
        key = (n, d, clock_key)
        timed = shared.get(key)
        if timed is None:
            progress.progress(sum(weight[:i]) / sum(weight), text=text.progress(n, i, len(grid), d))
            with shared.measuring:
                timed = shared.get(key)  # measured by another session while this one waited
                if timed is None:
                    fresh = True
                    before = float(load())
                    point, memory = measure_point(n, d, DEFAULT_REPEATS, clock=clock), _memory(n, d, DEFAULT_BLOCK)
                    timed = Timed(point, memory, time.time(), before, token)
                    shared.put(key, timed)
        seen[key] = timed
    progress.empty()
    if fresh:
        st.session_state[LAST] = (grid[-1], d, time.perf_counter() - started)
    last = st.session_state.get(LAST)
    timed = [seen[n, d, clock_key] for n in grid]
    mine = all(t.token == token for t in timed)
    return Measurement([t.point for t in timed], [t.memory for t in timed],
                       last[2] if mine and last and last[:2] == (grid[-1], d) else None,
                       min(t.measured_at for t in timed), max(t.load_before for t in timed), mine)
