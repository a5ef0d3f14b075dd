"""The Speed page's live measurements, one grid point at a time.

One mechanism, in two layers with one job each:
- the server cache (st.cache_data) holds each finished point: an entry is a complete measurement, so a rerun that
  interrupts the loop leaves only finished points behind, and every session on the server reads the same numbers;
- the session remembers the points it has read (session_state[SEEN]), so a warm rerun reads them without even a
  cache lookup, and the page knows before measuring which points need the progress bar, and whether this session
  measured the chosen n and d itself (how long it took) or found them cached.

The clock: visitors always get time.perf_counter. A test puts its own clock in session_state[TEST_CLOCK]; it carries
a `cache_key`, so the server cache keeps its points apart from real ones.
"""

from __future__ import annotations

import json
import subprocess
import sys
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
SEEN = "sp_results"  # (n, d, clock key) -> (SpeedPoint, MemoryPoint) this session has read
ROUND = "sp_round"  # a token per "Measure again": a new token misses the cache, so the points are measured anew
LAST = "sp_last_measurement"  # (largest n, d, seconds) of this session's last run that measured anything


class Measurement(NamedTuple):
    points: list[SpeedPoint]  # one per grid n, ascending
    memory: list[MemoryPoint]
    seconds: float | None  # how long this session took to measure this n and d; None: it read them from the cache


@st.cache_data(show_spinner=False, max_entries=400)
def _timed(n: int, d: int, repeats: int, clock_key: str, _clock: Callable[[], float], round_: str = "") -> SpeedPoint:
    return measure_point(n, d, repeats, clock=_clock)


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


def measure_again(grid: Sequence[int], d: int) -> None:
    """Forget this session's points for `grid` at width d and take a fresh cache token, so they are measured anew."""
    seen = st.session_state.setdefault(SEEN, {})
    for key in [k for k in seen if k[0] in grid and k[1] == d]:
        del seen[key]
    st.session_state[ROUND] = uuid.uuid4().hex


def measure(grid: Sequence[int], d: int) -> Measurement:
    """Every point of `grid` at width d: read from this session, else from the server cache, else measured under a
    progress bar weighted by each point's multiply-adds."""
    clock = st.session_state.get(TEST_CLOCK, time.perf_counter)
    clock_key = "perf_counter" if clock is time.perf_counter else clock.cache_key
    seen = st.session_state.setdefault(SEEN, {})
    round_ = st.session_state.get(ROUND, "")
    weight = [rnn_costs(n, d).multiply_adds + attention_costs(n, d).multiply_adds for n in grid]
    progress = st.empty()
    started = time.perf_counter()
    fresh = False
    for i, n in enumerate(grid):
        if (n, d, clock_key) not in seen:
            fresh = True
            progress.progress(sum(weight[:i]) / sum(weight), text=text.progress(n, i, len(grid), d))
            seen[n, d, clock_key] = (_timed(n, d, DEFAULT_REPEATS, clock_key, clock, round_), _memory(n, d, DEFAULT_BLOCK))
    progress.empty()
    if fresh:
        st.session_state[LAST] = (grid[-1], d, time.perf_counter() - started)
    last = st.session_state.get(LAST)
    pairs = [seen[n, d, clock_key] for n in grid]
    return Measurement([p for p, _ in pairs], [m for _, m in pairs],
                       last[2] if last and last[:2] == (grid[-1], d) else None)
