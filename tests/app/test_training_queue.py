"""The live-training queue: never more trainings at once than slots, first come first served, a visible place in
line, a rerun (a second submit) never restarts a training, stop works waiting or running, abandoned places are
given up, a failing run frees its slot. Driven by a fake run that steps only when the test lets it. Then the
relay that runs a training in a child process: its reports arrive in order, its error is raised in the parent, and a
stop ends it."""

from __future__ import annotations

import os
import threading
import time

import pytest

from playground.training_queue import DONE, FAILED, RUNNING, STOPPED, WAITING, TrainingQueue, run_in_child_process

WAIT_S = 5.0


class Gate:
    """A fake training: each job reports step 1, 2, ... only as the test releases steps for it."""

    def __init__(self):
        self.allowed: dict[int, threading.Semaphore] = {}
        self.started: list[int] = []
        self.lock = threading.Lock()

    def sem(self, seed: int) -> threading.Semaphore:
        with self.lock:
            return self.allowed.setdefault(seed, threading.Semaphore(0))

    def run(self, seed, total, report, should_stop):
        with self.lock:
            self.started.append(seed)
        for step in range(1, total + 1):
            while not self.sem(seed).acquire(timeout=0.01):
                if should_stop():
                    return
            if seed < 0:
                raise RuntimeError("diverged")
            report(step, {"accuracy": step / total})
            if should_stop():
                return

    def release(self, seed: int, steps: int = 1) -> None:
        self.sem(seed).release(steps)


def wait_for(condition, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


@pytest.fixture
def gate():
    return Gate()


def test_at_most_slots_run_and_the_rest_wait_in_order(gate):
    q = TrainingQueue(gate.run, slots=2)
    statuses = [q.submit(f"s{i}", seed=i, total=3) for i in range(5)]
    assert [s.state for s in statuses] == [RUNNING, RUNNING, WAITING, WAITING, WAITING]
    assert [s.position for s in statuses] == [None, None, 1, 2, 3]
    assert q.counts() == (2, 3)
    gate.release(0, 3)
    wait_for(lambda: q.status("s0").state == DONE)
    assert q.status("s2").state == RUNNING  # the first in line took the free slot
    assert q.status("s3").position == 1 and q.status("s4").position == 2
    assert q.counts() == (2, 2)
    for seed in range(1, 5):
        gate.release(seed, 3)
    wait_for(lambda: all(q.status(f"s{i}").state == DONE for i in range(5)))
    q.join(WAIT_S)
    assert gate.started[:2] == [0, 1] and gate.started[2:] == [2, 3, 4]


def test_a_rerun_does_not_restart_the_training(gate):
    q = TrainingQueue(gate.run, slots=1)
    q.submit("me", seed=7, total=4)
    gate.release(7, 2)
    wait_for(lambda: q.status("me").steps_done == 2)
    again = q.submit("me", seed=99, total=4)  # what a rerun of the page does
    assert again.state == RUNNING and again.seed == 7 and again.steps_done == 2
    assert gate.started == [7]
    gate.release(7, 2)
    wait_for(lambda: q.status("me").state == DONE)
    done = q.status("me")
    assert [p.step for p in done.progress] == [1, 2, 3, 4] and done.fraction == 1.0
    assert done.progress[-1].values["accuracy"] == 1.0
    fresh = q.submit("me", seed=8, total=1)  # once finished, Train starts a new one
    assert fresh.seed == 8 and fresh.steps_done == 0
    gate.release(8)
    q.join(WAIT_S)


def test_stop_a_running_and_a_waiting_job(gate):
    q = TrainingQueue(gate.run, slots=1)
    q.submit("a", seed=1, total=100)
    q.submit("b", seed=2, total=100)
    q.stop("b")
    assert q.status("b").state == STOPPED and q.counts() == (1, 0)
    gate.release(1, 3)
    wait_for(lambda: q.status("a").steps_done == 3)
    q.stop("a")
    wait_for(lambda: q.status("a").state == STOPPED)
    assert q.status("a").steps_done == 3
    q.stop("nobody")  # harmless
    q.join(WAIT_S)
    assert gate.started == [1]


def test_a_failing_run_frees_its_slot_and_says_why(gate):
    q = TrainingQueue(gate.run, slots=1)
    q.submit("bad", seed=-1, total=2)
    q.submit("good", seed=3, total=1)
    gate.release(-1)
    wait_for(lambda: q.status("bad").state == FAILED)
    assert "diverged" in q.status("bad").error
    gate.release(3)
    wait_for(lambda: q.status("good").state == DONE)
    q.join(WAIT_S)


def test_abandoned_places_in_line_are_given_up(gate):
    now = [0.0]
    q = TrainingQueue(gate.run, slots=1, abandon_after_s=10.0, clock=lambda: now[0])
    q.submit("runner", seed=1, total=1)
    q.submit("gone", seed=2, total=1)
    q.submit("here", seed=3, total=1)
    now[0] = 8.0
    assert q.status("here").position == 2
    now[0] = 15.0  # "gone" has not asked for 15 s, "here" for 7 s
    assert q.status("here").position == 1
    assert q.status("gone").state == STOPPED
    gate.release(1)
    wait_for(lambda: q.status("here").state == RUNNING)
    gate.release(3)
    q.join(WAIT_S)
    assert gate.started == [1, 3]


def test_default_slots_is_one_per_core(gate, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 3)
    assert TrainingQueue(gate.run).slots == 3
    monkeypatch.setattr("os.cpu_count", lambda: None)
    assert TrainingQueue(gate.run).slots == 1


def test_a_running_training_nobody_watches_stops(gate):
    now = [0.0]
    q = TrainingQueue(gate.run, slots=1, abandon_after_s=10.0, clock=lambda: now[0])
    q.submit("left", seed=1, total=100)
    gate.release(1, 2)
    wait_for(lambda: q.status("left").steps_done == 2)
    now[0] = 11.0  # the page has not asked for 11 s
    gate.release(1, 1)
    q.join(WAIT_S)
    assert q.status("left").state == STOPPED and q.status("left").steps_done <= 3


class ManualClock:
    def __init__(self):
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_the_time_left_comes_from_the_measured_step_rate_and_the_line_ahead(gate):
    clock = ManualClock()
    q = TrainingQueue(gate.run, slots=1, clock=clock, abandon_after_s=1e9)
    first = q.submit("a", seed=1, total=20)
    assert first.state == RUNNING and first.seconds_left is None  # nothing measured yet: no guess
    waiting = q.submit("b", seed=2, total=20)
    assert waiting.position == 1 and waiting.seconds_left is None
    clock.t = 10.0
    gate.release(1, 10)
    wait_for(lambda: q.status("a").steps_done == 10)  # 10 steps in 10 s: one step a second
    assert q.status("a").seconds_left == pytest.approx(10.0)  # 10 steps to go
    assert q.status("b").seconds_left == pytest.approx(10.0 + 20.0)  # wait for a, then its own 20 steps
    gate.release(1, 10)
    gate.release(2, 20)
    q.join(WAIT_S)


# ---- run_in_child_process: module-level runs, so that the spawned child can import them ---------------------------


def counting_run(seed, total, report, should_stop, fail_at=None):
    for step in range(total + 1):
        if step == fail_at:
            raise ValueError(f"failed at step {step}")
        report(step, {"seed": seed, "pid": os.getpid()})


def endless_run(seed, total, report, should_stop):
    step = 0
    while not should_stop():
        report(step, {})
        step += 1
        time.sleep(0.01)


def test_a_child_process_reports_every_step_in_order():
    got = []
    run_in_child_process(counting_run, 7, 3, lambda step, values: got.append((step, dict(values))), lambda: False)
    assert [step for step, _ in got] == [0, 1, 2, 3]
    assert {v["seed"] for _, v in got} == {7}
    assert {v["pid"] for _, v in got} != {os.getpid()}  # it ran elsewhere


def test_a_child_process_error_is_raised_in_the_parent_after_its_reports():
    got = []
    with pytest.raises(RuntimeError, match="ValueError: failed at step 2"):
        run_in_child_process(counting_run, 0, 5, lambda step, values: got.append(step), lambda: False, fail_at=2)
    assert got == [0, 1]


def test_a_stop_ends_the_child_process():
    got = []
    started = time.monotonic()
    run_in_child_process(endless_run, 0, 10, lambda step, values: got.append(step), lambda: len(got) >= 3)
    assert len(got) >= 3 and time.monotonic() - started < 30
