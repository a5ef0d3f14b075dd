"""Speed: an RNN's n sequential steps against one self-attention pass, measured live on this machine.

Controls are read by small functions that return plain values; measurements come from playground.speed_measure
(cached per grid point), counts and the workers model from lessons.speed; every sentence from playground.texts.speed.
"""

from playground.routing import run_inside_entry

run_inside_entry()  # first, before the page's own imports: see playground/routing.py

import os
import time

import numpy as np
import streamlit as st

from attention_core.chunked import DEFAULT_BLOCK
from lessons.defaults import SPEED
from lessons.speed import (
    BUDGET_S,
    DEFAULT_REPEATS,
    TRUST_SPREAD,
    attention_costs,
    attention_slower_from,
    attention_work_span,
    block_slice_bytes,
    crossover_n,
    log_grid,
    parallel_ticks,
    rnn_costs,
    rnn_work_span,
    trusted_points,
    weights_bytes,
)
from playground import speed_measure
from playground.deep_dive import math_link
from playground.export import chart, chart_on_request
from playground.figures.speed import counts_chart, memory_chart, timing_chart, workers_chart
from playground.folded import folded_in_url, optional_place
from playground.state import init_from_url, parse_choice, publish
from playground.texts import speed as text
from playground.texts import where_it_led as led

N_CHOICES = (128, 256, 512, 1024, 2048, 4096)
D_CHOICES = (32, 64, 128, 256, 512)
P_CHOICES = tuple(2**k for k in range(0, 31))


def sequence_controls() -> tuple[int, int]:
    """The longest sequence to measure and the width d, seeded from and mirrored to the URL."""
    init_from_url("sp_n_max", SPEED.n_max, "n", parse_choice(N_CHOICES))
    init_from_url("sp_d", SPEED.d, "d", parse_choice(D_CHOICES))
    left, right = st.columns(2)
    left.select_slider("Longest sequence to measure, $n$ tokens", N_CHOICES, key="sp_n_max",
                       format_func=lambda n: f"{n:,}", help="Measured on a log grid: 16, 32, 64, … up to this n.")
    right.select_slider("Width of each token's vector, $d$", D_CHOICES, key="sp_d",
                        help="The RNN's state and each attention query/key/value have d numbers.")
    n_max, d = st.session_state.sp_n_max, st.session_state.sp_d
    publish(n=n_max, d=d)
    return n_max, d


def workers_control() -> int:
    """P, the number of parallel workers of the model."""
    init_from_url("sp_workers", SPEED.workers, "p", parse_choice(P_CHOICES))
    st.select_slider("$P$, the number of workers that can each do one multiply-add per tick", P_CHOICES,
                     key="sp_workers", format_func=lambda p: f"{p:,}")
    p = st.session_state.sp_workers
    publish(p=p)
    return p


def measured_chart(grid: list[int], points: list, d: int, key: str, missing: str) -> None:
    """The measured times against n (both layers), or `missing` when nothing was measured."""
    if points:
        chart(timing_chart(grid, points, d),
              ("speed", key.removeprefix("sp_").replace("_", "-"), f"n-max-{grid[-1]}", f"d-{d}"), key=key)
    else:
        st.info(missing)


def where_it_led(grid: list[int], points: list, trusted: list, d: int) -> None:
    """The closing section, folded (?led=1 opens it; a link asking for its curve does too): from RNN + attention to
    the Transformer; Table 1, this machine's measured curve beside it on request."""
    st.header(led.HEADER)
    box = folded_in_url(led.FOLDED, "sp_led_box", "led", start_open=st.query_params.get("led_curve") == "1")
    if not box.open:
        return
    with box:
        where_it_led_body(grid, points, trusted, d)


def where_it_led_body(grid: list[int], points: list, trusted: list, d: int) -> None:
    st.markdown(led.BRIDGE)
    if chart_on_request(led.SHOW_CURVE, "sp_show_led", "led_curve"):  # the top of the page's measured chart again
        table, curve = st.columns([3, 2])
        with curve:
            measured_chart(grid, points, d, "sp_led_time_chart", "No measurement for this choice; the table holds on "
                           "any machine.")
    else:
        table = st.container()
    with table:
        st.markdown(led.table_1())
        st.caption(led.TABLE_CAPTION)
    timed = [p for p in trusted if p.rnn_s > 0 and p.attention_s > 0]
    if len(timed) >= 2:
        a, b = timed[-2], timed[-1]
        st.markdown(led.measured_versus_table((a.n, b.n), (a.attention_s, b.attention_s), (a.rnn_s, b.rnn_s), d))
    st.markdown(led.BLOG_CORRECTION)
    st.markdown(led.results())

# ---------------------------------------------------------------------------------------------------------------
st.title("Speed: one step at a time, or all at once")
st.markdown(
    "The third thing that goes wrong with word-by-word translation is speed. A recurrent network reads token $t$ "
    "only after token $t - 1$, so a sentence of $n$ tokens is $n$ steps in a row, however many processors you have. "
    "Self-attention compares every pair of tokens in one matrix product: one step, paid for with $n^2$ comparisons "
    r"and an $n \times n$ table of weights. Below, both layers run on **this machine**, and you can see where each one wins."
)
n_max, d = sequence_controls()
grid = log_grid(n_max)
refusal = speed_measure.refusal(grid, d)
with optional_place():
    if refusal:
        st.warning(text.refusal_warning(refusal))
run = speed_measure.measure(grid, d) if not refusal else speed_measure.Measurement([], [], None)
points, memory = run.points, run.memory
cores = os.cpu_count() or 1
busy = run.load_before is not None and run.load_before >= cores  # other work had the cores: no conclusion drawn
trusted = [] if busy else trusted_points(points)

# ---------------------------------------------------------------------------------------------------------------
st.header("Measured time next to the arithmetic")
rnn_top, att_top = rnn_costs(n_max, d), attention_costs(n_max, d)
cross = crossover_n(d)
# the whole range the slider offers, and the crossover n = d: the counts chart changes with d only, so moving n
# does not redraw it
count_grid = log_grid(max(N_CHOICES[-1], 2 * cross))
chart_left, arithmetic = st.columns(2)
with chart_left:
    measured_chart(grid, points, d, "sp_time_chart", "No measurement for this choice; pick a smaller n or d to run one.")
    if points:
        st.button("Measure again", key="sp_measure_again", on_click=speed_measure.measure_again, args=(grid, d),
                  help="Forget these points and time both layers anew, e.g. once other programs have finished.")
with arithmetic:  # the counts at n_max; at every n on request (the caption says where they cross)
    st.subheader(text.counts_subheader(n_max, d))
    st.markdown(text.counts_table(d, rnn_top, att_top, weights_bytes(n_max)))
    st.caption(text.crossover_caption(cross))
    if chart_on_request(text.SHOW_COUNTS, "sp_show_counts", "counts"):
        chart(counts_chart(count_grid, [rnn_costs(n, d).multiply_adds for n in count_grid],
                           [attention_costs(n, d).multiply_adds for n in count_grid], cross),
              ("speed", "multiply-adds", f"d-{d}"), key="sp_counts_chart")

with optional_place():  # the verdict's notes come and go with n and d
    if points and not all(p.rnn_s > 0 and p.attention_s > 0 for p in points):
        st.info("The clock read zero for some run: it is too coarse to compare the two layers on this machine.")
    elif len(trusted) >= 2:
        top = trusted[-1]
        work_ratio = attention_costs(top.n, d).multiply_adds / rnn_costs(top.n, d).multiply_adds  # = n / d
        st.markdown(text.measurement_summary(trusted, d, work_ratio, attention_slower_from(trusted)))
        if note := text.left_out(points, trusted, TRUST_SPREAD):
            st.caption(note)
    elif busy:
        st.warning(text.busy_machine(run.load_before, cores))
    elif points:
        st.warning(text.too_busy(len(points), len(trusted), [max(p.rnn_spread, p.attention_spread) for p in points],
                                 TRUST_SPREAD))
    if points:
        st.caption(text.timing_caption(DEFAULT_REPEATS, run.seconds, TRUST_SPREAD, BUDGET_S) + " "
                   + text.provenance(run.by_this_session, time.time() - run.measured_at, run.load_before, cores))

# ---------------------------------------------------------------------------------------------------------------
st.header("With $P$ parallel workers (a model)")
p_chosen = workers_control()
workers = np.array(P_CHOICES)
rnn_ws, att_ws = rnn_work_span(n_max, d), attention_work_span(n_max, d)
rnn_ticks, att_ticks = parallel_ticks(rnn_ws, workers), parallel_ticks(att_ws, workers)
chosen = P_CHOICES.index(p_chosen)
wins = workers[att_ticks < rnn_ticks]
chart(workers_chart(workers, rnn_ticks, att_ticks, p_chosen, rnn_ws.span, n_max, d),
      ("speed", "parallel-workers", f"n-{n_max}", f"d-{d}", f"p-{p_chosen}"), key="sp_workers_chart")
st.markdown(text.workers_summary(p_chosen, int(rnn_ticks[chosen]), int(att_ticks[chosen]), rnn_ws, att_ws,
                                 int(wins[0]) if wins.size else None))
st.caption(text.workers_caption(os.cpu_count() or 1))

# ---------------------------------------------------------------------------------------------------------------
st.header(r"Memory: the $n \times n$ matrix, and how to avoid it")
if memory:
    matrix = [weights_bytes(n) for n in grid]  # n²·8 bytes
    block_slice = [block_slice_bytes(n, DEFAULT_BLOCK) for n in grid]  # n·min(n, block)·8 bytes
    st.markdown(text.memory_summary(memory[-1], matrix[-1]))
    if chart_on_request(text.SHOW_MEMORY, "sp_show_memory", "memory"):  # the summary's numbers at every n
        chart(memory_chart(grid, [m.plain_bytes for m in memory], [m.chunked_bytes for m in memory],
                           DEFAULT_BLOCK, matrix, block_slice), ("speed", "memory", f"n-max-{n_max}", f"d-{d}"),
              key="sp_memory_chart")
        st.caption("Peak bytes allocated during one call, above what was allocated before it, measured with "
                   "tracemalloc (NumPy reports its buffers to it); the dotted lines are the formulas.")
else:
    st.info("Memory is measured together with time; pick a smaller $n$ or $d$ to measure it.")

st.header("What to notice")
st.markdown(
    "- The RNN's time grows in step with $n$: every token is one more small step that has to wait its turn.\n"
    "- Attention's arithmetic grows with $n^2$, yet for short sequences it often finishes first: a few big matrix "
    "products suit the hardware better than many tiny ones. Compare the two lines at the left of the measured chart.\n"
    "- Past $n = d$ attention does more arithmetic than the RNN. What it buys is a path of length 1 between any two "
    "tokens and work that parallel hardware can share out; the RNN's $n$ steps stay $n$ steps.\n"
    r"- The $n \times n$ weights are what limits long sequences. Computing softmax block by block gives the same output "
    "without ever storing them, which is how modern attention kernels handle long contexts."
)
math_link("complexity-recurrent-versus-self-attention")
math_link("online-softmax-and-chunked-attention")

where_it_led(grid, points, trusted, d)
