"""The Speed page under AppTest, with a fake clock injected so its timings are known: every number it displays
(sentence, chart data, counts table, workers model, memory) equals attention_core called directly."""

from __future__ import annotations

import itertools
import json
import os

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from attention_core.chunked import DEFAULT_BLOCK
from lessons.speed import (
    DEFAULT_REPEATS,
    attention_costs,
    attention_work_span,
    check_benchmark,
    log_grid,
    measure_memory,
    measure_point,
    parallel_ticks,
    rnn_costs,
    rnn_work_span,
)
from playground.texts import speed as speed_text
from playground.texts.speed import mib, ms, times
from tests.app.conftest import ENTRY, TIMEOUT_S, all_text

PAGE = "pages/speed.py"
_ids = itertools.count()


class Interrupted(Exception):
    """Stands in for a rerun that stops the script while a point is being measured."""


class FakeClock:
    """A steady machine: every RNN run reads 2^-9 s (1.95 ms) and every attention run 1.5 times that (readings go
    RNN start, stop, attention start, stop; binary fractions, so every difference is exact): each point is stable
    after the minimum number of runs, and its times are known without running."""

    def __init__(self, fail_at: int | None = None):
        self.calls, self.t, self.fail_at = 0, 0.0, fail_at
        self.cache_key = f"fake-{next(_ids)}"  # the page caches per clock; a fresh clock gets fresh entries

    def __call__(self) -> float:
        self.calls += 1
        if self.calls == self.fail_at:
            self.fail_at = None
            raise Interrupted("stopped in the middle of a measurement")
        self.t += {2: 2**-9, 0: 3 * 2**-10}.get(self.calls % 4, 1.0)  # the gaps between runs do not count
        return self.t


class NoisyClock(FakeClock):
    """A busy machine: runs get slower and faster at random (bursts of up to 30x), and the machine speeds up as the
    measurement goes on, so raw times fall as n grows. Seeded, so a failure can be replayed."""

    def __init__(self, seed: int):
        super().__init__()
        self.rng = np.random.default_rng(seed)

    def __call__(self) -> float:
        self.calls += 1
        slow_down = 30.0 if self.rng.random() < 0.3 else 1.0 + self.rng.random()
        self.t += 1e-3 * slow_down * 40 / (40 + self.calls)
        return self.t


def open_speed(query: dict[str, str] | None = None, clock: FakeClock | None = None, load: float = 0.1) -> AppTest:
    """The Speed page with a fake clock and a fake load average (an idle machine unless `load` says otherwise)."""
    at = AppTest.from_file(ENTRY, default_timeout=TIMEOUT_S)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.session_state["sp_test_clock"] = clock or FakeClock()
    at.session_state["sp_test_load"] = lambda: load
    at.run()
    at.switch_page(PAGE)
    at.run()
    return at


def expected_points(grid, d):
    clock = FakeClock()
    return [measure_point(n, d, DEFAULT_REPEATS, clock=clock) for n in grid]


def chart(at: AppTest, key: str) -> dict:
    found = [c for c in at.get("plotly_chart") if json.loads(c.proto.spec).get("layout", {}).get("title")
             and c.proto.id and key in c.proto.id]
    assert found, f"no chart {key}"
    return json.loads(found[0].proto.spec)


def traces(at: AppTest, key: str) -> dict[str, list[float]]:
    return {t["name"]: t["y"] for t in chart(at, key)["data"]}


@pytest.fixture(scope="module")
def small():
    """n up to 128, d = 32: four grid points, fast; the charts drawn on request switched on."""
    return open_speed({"n": "128", "d": "32", "memory": "1", "led_curve": "1", "counts": "1"})


def test_page_renders_its_story(small):
    assert not small.exception
    assert [t.value for t in small.title] == ["Speed: one step at a time, or all at once"]
    assert [h.value for h in small.header] == [
        "Measured time next to the arithmetic", "With $P$ parallel workers (a model)",
        r"Memory: the $n \times n$ matrix, and how to avoid it", "What to notice", "Where it led: dropping the recurrence"]
    assert small.select_slider(key="sp_n_max").value == 128 and small.select_slider(key="sp_d").value == 32


def test_sentence_and_chart_show_the_measurement_the_library_returns(small):
    grid, d = log_grid(128), 32
    points = expected_points(grid, d)
    top, first = points[-1], points[0]
    text = all_text(small)
    work_ratio = attention_costs(128, d).multiply_adds / rnn_costs(128, d).multiply_adds
    assert f"At $n = 128$ and $d = 32$, attention did **{times(work_ratio)}** as many multiply-adds as the RNN" in text
    ratio = top.attention_s / top.rnn_s
    assert f"took **{times(ratio)}** as long: {ms(top.attention_s)} against {ms(top.rnn_s)}" in text
    assert f"At $n = 16$ the RNN took {ms(first.rnn_s)} for its 16 steps and attention {ms(first.attention_s)}." in text
    # With this clock attention reads 1.5 times the RNN's time at every n.
    assert "The RNN was the faster of the two at every measured $n$." in text
    assert "too busy" not in text and "leave out" not in text
    lines = traces(small, "sp_time_chart")
    np.testing.assert_allclose(lines["RNN: n steps in a loop"], [1e3 * p.rnn_s for p in points], rtol=1e-12)
    np.testing.assert_allclose(lines["attention: one pass"], [1e3 * p.attention_s for p in points], rtol=1e-12)
    assert chart(small, "sp_time_chart")["data"][0]["x"] == list(grid)



def test_where_it_led_shows_table_1_beside_the_measured_curve(small):
    """Vaswani et al.'s Table 1 as published, the measured growth beside it, the blog's errors named, and
    the WMT 2014 results with their sources."""
    from playground.texts.where_it_led import growth_exponent

    text = all_text(small)
    for row in (r"| Self-attention | $O(n^2 \cdot d)$ | $O(1)$ | $O(1)$ |", r"| Recurrent | $O(n \cdot d^2)$ | $O(n)$ | $O(n)$ |",
                r"| Convolutional | $O(k \cdot n \cdot d^2)$ | $O(1)$ | $O(\log_k n)$ |",
                r"| Self-attention (restricted) | $O(r \cdot n \cdot d)$ | $O(1)$ | $O(n/r)$ |"):
        assert row in text
    points = expected_points(log_grid(128), 32)
    a, b = points[-2], points[-1]
    att = growth_exponent((a.n, b.n), (a.attention_s, b.attention_s))
    rnn = growth_exponent((a.n, b.n), (a.rnn_s, b.rnn_s))
    assert (f"From $n = {a.n}$ to $n = {b.n}$ ($d = 32$) attention's time grew like $n^{{{att:.1f}}}$ and the RNN's "
            f"like $n^{{{rnn:.1f}}}$") in text
    lines = traces(small, "sp_led_time_chart")
    np.testing.assert_allclose(lines["attention: one pass"], [1e3 * p.attention_s for p in points], rtol=1e-12)
    assert "an RNN with attention is still an RNN" in text
    assert "calls the cost of self-attention *constant*" in text and "$O(1)$ sequential operations" in text
    for bleu in ("| English→German | 28.4 |", "| English→French | 41.8 |", "| English→French | 41.0 |"):
        assert bleu in text
    assert "NeurIPS 2017 proceedings and arXiv 1706.03762 v1 to v4" in text  # 41.0
    assert "from v5 on" in text  # 41.8
    assert "the decoder produces word $i$ after word $i - 1$" in text  # generation stays sequential


def test_growth_exponent():
    from playground.texts.where_it_led import growth_exponent

    assert growth_exponent((16, 32), (1.0, 4.0)) == pytest.approx(2.0)
    assert growth_exponent((100, 1000), (2.0, 20.0)) == pytest.approx(1.0)


@pytest.mark.parametrize(("seconds", "reading"), [((1.0, 2.0), "below the table's 2"), ((1.0, 4.0), "close to"),
                                                  ((1.0, 16.0), "above the table's 2")])
def test_measured_growth_is_read_honestly(seconds, reading):
    from playground.texts.where_it_led import measured_versus_table

    text = measured_versus_table((128, 256), seconds, (1.0, 2.0), 32)
    assert reading in text and "the cost of self-attention grows with $n$" in text

def test_counts_table_and_chart_match_the_library(small):
    r, a = rnn_costs(128, 32), attention_costs(128, 32)
    text = all_text(small)
    assert (f"| operations that must run one after another | $n$ = {r.sequential_ops} | {a.sequential_ops}, whatever "
            "$n$ (scores, softmax, weights times $V$) |") in text
    assert f"| longest path between two tokens | $n - 1$ = {r.max_path_length} | {a.max_path_length} |" in text
    assert f"| multiply-adds | $2 n d^2$ = {r.multiply_adds:,} | $2 n^2 d$ = {a.multiply_adds:,} |" in text
    assert f"$n^2$ = {a.weight_entries:,} numbers, {mib(128 * 128 * 8)} in float64" in text
    assert "cross at $n = d = 32$" in text
    grid = log_grid(4096)  # the slider's whole range, whatever n is measured: moving n does not redraw it
    lines = traces(small, "sp_counts_chart")
    assert lines["RNN: 2·n·d²"] == [rnn_costs(n, 32).multiply_adds for n in grid]
    assert lines["attention: 2·n²·d"] == [attention_costs(n, 32).multiply_adds for n in grid]


@pytest.mark.parametrize("p", [1, 1024, 2**20, 2**30])
def test_workers_caption_matches_parallel_ticks(p):
    at = open_speed({"n": "128", "d": "32"})
    at.select_slider(key="sp_workers").set_value(p).run()
    rnn = int(parallel_ticks(rnn_work_span(128, 32), [p])[0])
    att = int(parallel_ticks(attention_work_span(128, 32), [p])[0])
    text = all_text(at)
    latex_p = f"{p:,}".replace(",", "{,}")  # 1{,}024: a comma inside LaTeX is braced, or it adds a space
    assert f"With $P = {latex_p}$ workers the model gives the RNN **{rnn:,}** ticks" in text
    assert f"Attention gets **{att:,}** ticks" in text
    assert "never go below its $n = 128$ steps" in text
    assert at.query_params["p"] == str(p)


def test_memory_chart_and_sentence_match_measure_memory(small):
    grid = log_grid(128)
    want = [measure_memory(n, 32, DEFAULT_BLOCK) for n in grid]
    lines = traces(small, "sp_memory_chart")
    # tracemalloc sees a few interpreter bytes that vary run to run (a few hundred at n = 16, where NumPy's buffers
    # are only kilobytes); from there on NumPy's buffers dominate and do not
    noise = 4096 / 2**20
    np.testing.assert_allclose(lines["plain: peak measured"], [m.plain_bytes / 2**20 for m in want], rtol=0.02,
                               atol=noise)
    np.testing.assert_allclose(lines[f"chunked (block {DEFAULT_BLOCK}): peak measured"],
                               [m.chunked_bytes / 2**20 for m in want], rtol=0.02, atol=noise)
    assert lines[f"formula n·min(n, {DEFAULT_BLOCK})·8 bytes (one n×block slice)"] == pytest.approx(
        [n * min(n, DEFAULT_BLOCK) * 8 / 2**20 for n in grid])
    assert lines["formula n²·8 bytes (one n×n matrix)"] == pytest.approx([n * n * 8 / 2**20 for n in grid])
    text = all_text(small)
    assert "At $n = 128$ the plain `scaled_dot_product_attention` peaked at **" in text
    assert "differs from the plain one by at most" in text


def test_controls_are_mirrored_in_the_url():
    at = open_speed({"n": "128", "d": "32"})
    at.select_slider(key="sp_d").set_value(64).run()
    assert not at.exception
    assert at.query_params["n"] == "128" and at.query_params["d"] == "64"
    assert "At $n = 128$ and $d = 64$, attention did **2×** as many multiply-adds" in all_text(at)


def test_too_big_a_choice_is_refused_with_the_reason_and_the_rest_still_shows():
    at = open_speed({"n": "4096", "d": "512"})
    assert not at.exception
    with pytest.raises(ValueError) as reason:
        check_benchmark(log_grid(4096), 512, DEFAULT_REPEATS)
    assert [w.value for w in at.warning] == [
        f"Not measured: {reason.value}. The counts and the model below do not need a measurement."]
    assert "billion multiply-adds" in str(reason.value)
    keys = [c.proto.id for c in at.get("plotly_chart")]
    assert not any("sp_time_chart" in k or "sp_memory_chart" in k for k in keys)
    assert not any("sp_counts_chart" in k for k in keys) and any("sp_workers_chart" in k for k in keys)  # on request
    assert f"$2 n^2 d$ = {attention_costs(4096, 512).multiply_adds:,}" in all_text(at)


def test_nonsense_in_the_url_falls_back_to_defaults():
    at = open_speed({"n": "100000", "d": "<b>7</b>", "p": "-3"})
    assert not at.exception
    assert at.select_slider(key="sp_n_max").value == 512
    assert at.select_slider(key="sp_d").value == 64
    assert at.select_slider(key="sp_workers").value == 1024
    assert not at.warning


def test_an_interrupted_measurement_leaves_only_complete_points_cached():
    calls_per_point = 2 * 2 * DEFAULT_REPEATS  # two kernels, a start and a stop reading per run
    clock = FakeClock(fail_at=2 * calls_per_point + 5)  # dies in the middle of the third grid point (n = 64)
    at = open_speed({"n": "128", "d": "32"}, clock=clock)
    assert at.exception  # the run stopped there
    assert clock.calls == 2 * calls_per_point + 5
    assert {n for n, _, _ in at.session_state["sp_results"]} == {16, 32}
    at.run()  # the next run re-measures n = 64 from scratch (nothing half-done was cached) and then n = 128
    assert not at.exception
    assert clock.calls == 2 * calls_per_point + 5 + 2 * calls_per_point
    assert {n for n, _, _ in at.session_state["sp_results"]} == {16, 32, 64, 128}
    assert len(traces(at, "sp_time_chart")["RNN: n steps in a loop"]) == 4


def test_caption_says_whether_this_session_measured_the_choice_or_found_it_cached():
    at = open_speed({"n": "128", "d": "32"})
    took = [c.value for c in at.caption if "this measurement took" in c.value]
    assert len(took) == 1 and took[0].startswith(f"Each point is the fastest of at least {DEFAULT_REPEATS} runs")
    at.select_slider(key="sp_workers").set_value(1).run()  # only the model changes: still this session's measurement
    assert any("this measurement took" in c.value for c in at.caption)
    at.select_slider(key="sp_d").set_value(64).run()
    at.select_slider(key="sp_d").set_value(32).run()  # measured before d = 64, so read from what is cached
    assert any("kept from an earlier run on this server" in c.value for c in at.caption)
    assert not any("this measurement took" in c.value for c in at.caption)


class StoppedClock:
    """A clock that never moves: every duration reads 0 s, as a too-coarse timer would."""

    cache_key = "stopped-clock"

    def __call__(self) -> float:
        return 1.0


def test_a_clock_too_coarse_to_compare_gets_a_message_not_a_division_by_zero():
    at = open_speed({"n": "128", "d": "32"}, clock=StoppedClock())
    assert not at.exception
    assert [i.value for i in at.info] == [
        "The clock read zero for some run: it is too coarse to compare the two layers on this machine."]
    assert "What this machine showed" not in all_text(at)


def claimed_growth(text: str) -> list[float]:
    """Every growth a sentence states: 'multiplied ... by r' ratios and 'grew like n^b' exponents as ratios."""
    import re

    ratios = [float(r) for r in re.findall(r"time by ([0-9.e+-]+)", text)]
    ratios += [float(r) for r in re.findall(r"and attention's by ([0-9.e+-]+)", text)]
    ratios += [2.0 ** float(b) for b in re.findall(r"n\^\{(-?[0-9.]+)\}", text)]  # $n^{1.8}$
    return ratios


@pytest.mark.parametrize("seed", range(4))
def test_a_noisy_clock_never_yields_a_sentence_with_a_time_falling_as_n_grows(seed):
    """On a busy machine the page reports only points that repeat and grow with n, or says it
    could not measure; no sentence claims a time that falls as n grows."""
    from lessons.speed import trusted_points

    clock = NoisyClock(seed)
    at = open_speed({"n": "256", "d": "32"}, clock=clock)
    assert not at.exception
    text = all_text(at)
    if any("too busy to measure" in w.value for w in at.warning):
        assert "What this machine showed" not in text and "grew like" not in text
    else:
        assert all(g >= 1 for g in claimed_growth(text)), claimed_growth(text)
    raw = [at.session_state["sp_results"][n, 32, clock.cache_key][0] for n in log_grid(256)]
    assert any(b.rnn_s < a.rnn_s for a, b in zip(raw, raw[1:]))  # the clock does make raw times fall
    kept = trusted_points(raw)
    assert all(a.rnn_s <= b.rnn_s and a.attention_s <= b.attention_s for a, b in zip(kept, kept[1:]))


def test_measure_again_measures_anew():
    clock = FakeClock()
    at = open_speed({"n": "128", "d": "32"}, clock=clock)
    before = clock.calls
    at.button(key="sp_measure_again").click().run()
    assert not at.exception
    assert clock.calls == before + 4 * 2 * 2 * DEFAULT_REPEATS  # four points, two kernels, two readings a run
    assert "this measurement took" in all_text(at)


def test_a_measurement_taken_on_a_busy_machine_draws_no_conclusion():
    at = open_speed({"n": "128", "d": "32"}, load=5.0)
    assert not at.exception
    text = all_text(at)
    assert [w.value for w in at.warning] == [speed_text.busy_machine(5.0, os.cpu_count() or 1)]
    assert "What this machine showed" not in text and "grew like" not in text
    assert "load average 5.0 on" in text  # the caption says how busy the machine was
    assert traces(at, "sp_time_chart")  # the times are still drawn


def test_sessions_share_one_labelled_measurement_and_measure_again_replaces_it_for_all():
    clock = FakeClock()
    first = open_speed({"n": "128", "d": "32"}, clock=clock)
    assert "Measured by this session" in all_text(first)
    calls = clock.calls
    second = open_speed({"n": "128", "d": "32"}, clock=clock)  # another visitor, same server
    assert clock.calls == calls  # read from the board, not measured again
    assert "Measured by another visitor of this server" in all_text(second)
    second.button(key="sp_measure_again").click().run()
    assert clock.calls > calls  # measured anew, by the second visitor
    assert "Measured by this session" in all_text(second)
    first.run()  # the first visitor's next rerun shows the replacement, labelled as someone else's
    assert "Measured by another visitor of this server" in all_text(first)
    assert clock.calls > calls


def test_the_counts_and_memory_charts_and_the_repeated_curve_are_drawn_on_request_their_sentences_always():
    """Off by default (each chart drawn costs a key press in the browser): the memory sentence and the table stay,
    the switches turn the charts on and are mirrored to the URL."""
    at = open_speed({"n": "128", "d": "32"})
    keys = [c.proto.id for c in at.get("plotly_chart")]
    assert not any("sp_memory_chart" in k or "sp_led_time_chart" in k or "sp_counts_chart" in k for k in keys)
    assert any("sp_time_chart" in k for k in keys) and any("sp_workers_chart" in k for k in keys)
    r, a = rnn_costs(128, 32), attention_costs(128, 32)
    assert f"$2 n^2 d$ = {a.multiply_adds:,}" in all_text(at) and f"$2 n d^2$ = {r.multiply_adds:,}" in all_text(at)
    at.toggle(key="sp_show_counts").set_value(True).run()
    assert any("sp_counts_chart" in c.proto.id for c in at.get("plotly_chart")) and at.query_params["counts"] == "1"
    assert "At $n = 128$ the plain `scaled_dot_product_attention` peaked at **" in all_text(at)
    at.toggle(key="sp_show_memory").set_value(True).run()
    at.session_state["sp_led_box"] = True  # the closing section is folded: its switch shows once it is open
    at.run()
    at.toggle(key="sp_show_led").set_value(True).run()
    keys = [c.proto.id for c in at.get("plotly_chart")]
    assert any("sp_memory_chart" in k for k in keys) and any("sp_led_time_chart" in k for k in keys)
    assert at.query_params["memory"] == "1" and at.query_params["led_curve"] == "1" and at.query_params["led"] == "1"


def test_the_closing_section_is_folded_and_sent_only_while_open():
    """"Where it led" under its header, folded: none of it is sent until it is opened; the URL keeps it open (?led=1),
    and a link asking for its measured curve (?led_curve=1) opens it too."""
    from playground.texts import where_it_led as led

    at = open_speed({"n": "128", "d": "32"})
    assert led.HEADER in [h.value for h in at.header] and led.FOLDED in [e.label for e in at.expander]
    assert "an RNN with attention is still an RNN" not in all_text(at) and "led" not in at.query_params
    at.session_state["sp_led_box"] = True
    at.run()
    assert "an RNN with attention is still an RNN" in all_text(at) and at.query_params["led"] == "1"
    at.session_state["sp_led_box"] = False
    at.run()
    assert "an RNN with attention is still an RNN" not in all_text(at) and "led" not in at.query_params
    for query in ({"led": "1"}, {"led_curve": "1"}):
        assert "an RNN with attention is still an RNN" in all_text(open_speed({"n": "128", "d": "32", **query}))
