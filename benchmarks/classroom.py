"""A classroom at the protocol level: N students on the playground at once, each over Streamlit's own WebSocket.

Each student is one `benchmarks.st_client.Session` (a browser tab without the browser): it opens a random page,
then every 3-7 s (think time) changes one widget on it - moves a slider, picks an option, flips a toggle, types a
sentence, answers a quiz question - and now and then moves to another page. Every rerun must finish with no
exception element; an interaction's latency is from sending the change to `script_finished` (all the run's deltas
arrive before it). Students arrive all at once, as at the start of a class (--ramp spreads them).

    python -m benchmarks.classroom --students 60 --minutes 2 --json              # the shipped setup (one replica per core)
    python -m benchmarks.classroom --students 60 --seconds 60 --replicas 1 --json
    python -m benchmarks.classroom --students 10 --seconds 20 --url http://127.0.0.1:8501 --json   # a running server
    python -m benchmarks.classroom --sweep 20,40,60,80 --seconds 60 --replicas 2    # the knee on this machine
    python -m benchmarks.classroom --students 100 --seconds 40 --replicas 1 --idle --json   # memory per idle session
    python -m benchmarks.classroom --poll --students 60 --json   # a class poll (benchmarks/poll.py)

Without --url it starts the app itself (`deploy.serve.start`: --replicas Streamlit processes, behind nginx when
more than one, every page opened once per replica) on 127.0.0.1, and measures the servers' CPU and memory from
/proc. It only ever talks to 127.0.0.1, and stops by itself (at most --students 500, --minutes 120).
Prints one JSON object per class size (--json) or a short summary:
{"students", "interactions", "errors", "p50_ms", "p95_ms", "server_cpu_percent", "server_rss_mb", "rss_per_session_mb", ...}
p50/p95 are over every interaction of the run (arrivals, page switches and widget changes together); `by_kind` gives
each kind apart. Writes every size's object and the knee to benchmarks/results/<--save>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
from dataclasses import dataclass, field

from streamlit.proto.WidgetStates_pb2 import WidgetState

from benchmarks.results_file import command_line, load_average, write_result
from playground.navigation import PAGES
from tooling.servers import free_port_block
from tooling.st_client import RunResult, Session

ALL_PAGES = tuple(p.url_path for p in PAGES)
MAX_STUDENTS = 500
MAX_SECONDS = 120 * 60
THINK_S = (3.0, 7.0)
KNEE_P95_MS = 1000.0
PAGE_SWITCH_P = 0.12
SENTENCES = (
    "the cat sat on the mat",
    "the animal didn't cross the street because it was too tired",
    "a student reads the sentence and the model reads it too",
    "attention lets every word look at every other word",
    "I love you",
    "the bank of the river was quiet in the morning",
    "she gave him the book that he had asked for",
    "we are going to the market tomorrow",
    "time flies like an arrow",
    "the quick brown fox jumps over the lazy dog",
    "",
    "!!!",
)


@dataclass
class Interaction:
    page: str
    action: str  # "open", "page", or the widget type changed
    ms: float
    ok: bool
    errors: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------------
# What a student does


def pick_change(widgets: dict[str, tuple[str, object]], rng: random.Random) -> list[WidgetState] | None:
    """One student action on the page's widgets: new value(s) to send, or None when nothing can be changed."""
    usable = [(wid, kind, p) for wid, (kind, p) in widgets.items()
              if not getattr(p, "disabled", False) and not (kind == "button" and p.is_form_submitter)]
    if not usable:
        return None
    wid, kind, p = rng.choice(usable)
    s = WidgetState(id=wid)
    if kind == "slider":
        if p.options:  # select_slider: the option labels
            picks = rng.sample(list(p.options), min(len(p.default), len(p.options)) or 1)
            s.string_array_value.data.extend(sorted(picks, key=list(p.options).index))
        else:
            steps = max(0, int(round((p.max - p.min) / p.step))) if p.step else 0
            values = sorted(p.min + p.step * rng.randint(0, steps) for _ in range(max(1, len(p.default))))
            s.double_array_value.data.extend(values)
    elif kind in ("radio", "selectbox"):
        if not p.options:
            return None
        s.string_value = rng.choice(list(p.options))
    elif kind == "checkbox":
        s.bool_value = not rng.random() < 0.5
    elif kind in ("text_input", "text_area"):
        text = rng.choice(SENTENCES)
        s.string_value = text[: p.max_chars] if p.max_chars else text
    elif kind == "button_group":
        s.string_array_value.data.append(rng.choice([o.content for o in p.options]))
    elif kind == "number_input":
        lo = p.min if p.has_min else 0
        hi = p.max if p.has_max else lo + 20
        if p.data_type == p.DataType.INT:
            s.int_value = rng.randint(int(lo), int(hi))
        else:
            s.double_value = rng.uniform(lo, hi)
    elif kind == "button":
        s.trigger_value = True
    states = [s]
    form = getattr(p, "form_id", "")
    if form:  # a widget in a form only counts when the form is submitted: click its submit button too
        submit = next((w for w, (k, q) in widgets.items() if k == "button" and q.is_form_submitter and q.form_id == form),
                      None)
        if submit:
            states.append(WidgetState(id=submit, trigger_value=True))
    return states


async def student(base_url: str, seed: int, start_at: float, stop_at: float, out: list[Interaction],
                  sessions: list[Session], pages: tuple[str, ...], think_s: tuple[float, float] = THINK_S,
                  idle: bool = False) -> None:
    """One student until stop_at: open one of `pages` (url paths), then change something every THINK_S seconds."""
    rng = random.Random(seed)
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    page = rng.choice(pages)
    s = Session(base_url)
    sessions.append(s)

    def record(action: str, r: RunResult) -> None:
        out.append(Interaction(s.page, action, r.seconds * 1000, r.ok, r.exceptions))

    try:
        r = await s.open(page)
    except Exception as e:  # the connection itself failed: one error, this student is gone
        out.append(Interaction(page, "open", 0.0, False, [f"connect: {e!r}"]))
        return
    record("open", r)
    if idle:  # a student who opened the page and is reading it: connected, changing nothing
        await asyncio.sleep(max(0.0, stop_at - time.monotonic()))
        return
    while time.monotonic() < stop_at and s.ws is not None:
        await asyncio.sleep(rng.uniform(*think_s))
        if time.monotonic() >= stop_at:
            break
        if rng.random() < PAGE_SWITCH_P or not s.widgets:
            r = await s.goto(rng.choice([p for p in pages if p != s.page] or [s.page]))
            record("page", r)
            if any(e.startswith("connection") for e in r.exceptions):
                return
            continue
        change = pick_change(s.widgets, rng)
        if change is None:
            continue
        kind = s.widgets[change[0].id][0]
        r = await s.change(change)
        record(kind, r)
        if any(e.startswith("connection") for e in r.exceptions):
            return


# ---------------------------------------------------------------------------------------------------------------
# Measuring the servers from /proc


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        except OSError:
            pass
    return total


def rss_mb(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
        except (OSError, StopIteration):
            pass
    return total


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# ---------------------------------------------------------------------------------------------------------------
# A run


async def classroom(base_url: str, students: int, seconds: float, *, pids: list[int], seed: int = 0,
                    ramp_s: float = 0.0, sample_s: float = 30.0, idle_s: float = 10.0,
                    pages: tuple[str, ...] = ALL_PAGES, think_s: tuple[float, float] = THINK_S,
                    idle: bool = False) -> dict:
    """Run `students` students for `seconds` against base_url; measure latency, errors, and the pids' CPU/RSS."""
    out: list[Interaction] = []
    sessions: list[Session] = []
    rss_before = rss_mb(pids)
    t0 = time.monotonic()
    cpu0, own0 = cpu_seconds(pids), time.process_time()
    stop_at = t0 + seconds
    tasks = [asyncio.create_task(student(base_url, seed * 100_003 + i, t0 + ramp_s * i / max(1, students), stop_at,
                                         out, sessions, pages, think_s, idle)) for i in range(students)]
    timeline = []
    while not all(t.done() for t in tasks):
        timeline.append({"s": round(time.monotonic() - t0, 1), "rss_mb": round(rss_mb(pids), 1),
                         "interactions": len(out), "errors": sum(not i.ok for i in out)})
        await asyncio.wait(tasks, timeout=sample_s)
    wall = time.monotonic() - t0
    cpu = cpu_seconds(pids) - cpu0
    own_cpu = time.process_time() - own0
    await asyncio.sleep(idle_s)  # every student still connected, none working: idle sessions
    rss_idle = rss_mb(pids)
    connected = sum(s.ws is not None for s in sessions)
    for s in sessions:
        await s.close()
    await asyncio.sleep(2)
    rss_closed = rss_mb(pids)

    ms = [i.ms for i in out if i.ok]
    errors = [i for i in out if not i.ok]
    by_page = {}
    for info in PAGES:
        vals = [i.ms for i in out if i.ok and i.page == info.url_path]
        if vals:
            by_page[info.url_path] = {"n": len(vals), "p50_ms": round(percentile(vals, 0.5)),
                                      "p95_ms": round(percentile(vals, 0.95)), "max_ms": round(max(vals))}
    # arrival (each student's first page), moving between pages, and changing a widget on a page are different waits
    kinds = {"arrival": lambda a: a == "open", "page switch": lambda a: a == "page",
             "widget change": lambda a: a not in ("open", "page")}
    by_kind = {}
    for kind, test in kinds.items():
        vals = [i.ms for i in out if i.ok and test(i.action)]
        if vals:
            by_kind[kind] = {"n": len(vals), "p50_ms": round(percentile(vals, 0.5)),
                             "p95_ms": round(percentile(vals, 0.95)), "max_ms": round(max(vals))}
    return {
        "students": students,
        "interactions": len(out),
        "errors": len(errors),
        "p50_ms": round(percentile(ms, 0.50), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "p99_ms": round(percentile(ms, 0.99), 1),
        "max_ms": round(max(ms), 1) if ms else None,
        "server_cpu_percent": round(100 * cpu / wall, 1) if pids else None,
        # CPU the servers spent per interaction: what sizes a class when the machine is shared with other work
        "server_cpu_ms_per_interaction": round(1000 * cpu / max(1, len(out)), 1) if pids else None,
        "server_rss_mb": round(rss_idle, 1) if pids else None,
        "rss_per_session_mb": round((rss_idle - rss_before) / max(1, connected), 2) if pids else None,
        "rss_before_mb": round(rss_before, 1),
        "rss_after_close_mb": round(rss_closed, 1),
        "client_cpu_percent": round(100 * own_cpu / wall, 1),
        "seconds": round(wall, 1),
        "ramp_s": ramp_s,
        "by_page": by_page,
        "by_kind": by_kind,
        "error_samples": sorted({f"{e.page}/{e.action}: {e.errors[0][:160]}" for e in errors if e.errors})[:10],
        "rss_timeline": timeline,
    }



def main(argv: list[str] | None = None) -> dict:
    import sys

    if "--poll" in (sys.argv[1:] if argv is None else argv):  # a class poll instead of a lesson: benchmarks/poll.py
        from benchmarks import poll

        return poll.main(argv)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", type=int, default=20)
    ap.add_argument("--sweep", default=None, help="several class sizes in turn on one server, e.g. 10,20,40,60: "
                    "prints one JSON line each and the knee (largest N with 0 errors and p95 <= 1 s)")
    ap.add_argument("--idle", action="store_true", help="students open a page and then only stay connected: "
                    "rss_per_session_mb is then the memory of an idle session")
    ap.add_argument("--think", default=None, help="think time range in seconds, e.g. 0.2,0.5 (default 3,7)")
    ap.add_argument("--minutes", type=float, default=None)
    ap.add_argument("--seconds", type=float, default=None, help="duration (default 60 s); --minutes wins")
    ap.add_argument("--url", default=None, help="a running server on 127.0.0.1 (default: start one)")
    ap.add_argument("--replicas", type=int, default=os.cpu_count() or 1,
                    help="Streamlit processes to start (behind nginx when > 1; default one per core)")
    ap.add_argument("--server-pid", type=int, action="append", default=[], help="with --url: pids to measure")
    ap.add_argument("--ramp", type=float, default=0.0, help="spread the students' arrival over this many seconds")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pages", default=",".join(ALL_PAGES), help="url paths the students visit, comma-separated")
    ap.add_argument("--sample", type=float, default=30.0, help="seconds between RSS samples (rss_timeline)")
    ap.add_argument("--no-warm", action="store_true", help="do not open every page once before the students come")
    ap.add_argument("--json", action="store_true", help="print the result as one JSON object")
    ap.add_argument("--save", default=None, metavar="NAME",
                    help="write benchmarks/results/NAME.json (default: classroom_<replicas>_replica(s); "
                         "classroom_idle with --idle; classroom_url with --url)")
    args = ap.parse_args(argv)
    command, load_before = command_line("benchmarks.classroom", argv), load_average()
    seconds = args.minutes * 60 if args.minutes is not None else (args.seconds or 60.0)
    sizes = [int(n) for n in args.sweep.split(",")] if args.sweep else [args.students]
    think = tuple(float(x) for x in args.think.split(",")) if args.think else THINK_S
    if not all(1 <= n <= MAX_STUDENTS for n in sizes) or not 0 < seconds * len(sizes) <= MAX_SECONDS:
        ap.error(f"--students 1..{MAX_STUDENTS}, duration up to {MAX_SECONDS // 60} minutes")

    dep = None
    if args.url:
        url, pids = args.url, args.server_pid
    else:
        from deploy.serve import start

        dep = start(args.replicas, free_port_block(1 + args.replicas), "127.0.0.1", warm=not args.no_warm)
        url, pids = dep.url, [p.pid for p in dep.replicas]
    results = []
    try:
        for n in sizes:
            result = asyncio.run(classroom(url, n, seconds, pids=pids, seed=args.seed, ramp_s=args.ramp,
                                           sample_s=args.sample, pages=tuple(args.pages.split(",")), think_s=think,
                                           idle=args.idle))
            result["replicas"] = args.replicas if dep else None
            results.append(result)
            if args.json:
                print(json.dumps(result), flush=True)
            else:
                print(f"{n} students, {result['interactions']} interactions, {result['errors']} errors; "
                      f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms; server CPU "
                      f"{result['server_cpu_percent']} %, RSS {result['server_rss_mb']} MB "
                      f"({result['rss_per_session_mb']} MB per session)", flush=True)
    finally:
        if dep:
            dep.stop()
    good = [r["students"] for r in results if r["errors"] == 0 and r["p95_ms"] <= KNEE_P95_MS]
    knee = max(good) if good else None
    if args.sweep:
        print(json.dumps({"knee_students": knee, "replicas": results[0]["replicas"]}))
    name = args.save or ("classroom_url" if args.url else "classroom_idle" if args.idle else
                         f"classroom_{args.replicas}_replica{'s' if args.replicas > 1 else ''}")
    path = write_result(name, command, {"load_average_after": load_average(), "replicas": results[0]["replicas"],
                                        "knee_p95_ms": KNEE_P95_MS, "knee_students": knee, "runs": results},
                        load_before)
    print(f"wrote {path}")
    return results[-1]


if __name__ == "__main__":
    main()
