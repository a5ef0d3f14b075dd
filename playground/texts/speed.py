"""The Speed page's sentences, formatted from the numbers the page measured or counted (never typed in)."""

from __future__ import annotations

from collections.abc import Sequence

from ..formatting import tex_eq

MIB = 2**20
SHOW_COUNTS = "Chart the multiply-adds at every n"
SHOW_MEMORY = "Show the peak memory of plain and chunked attention at every n as a chart, with the formulas"


def ms(seconds: float) -> str:
    """0.01234 -> '12.3 ms'; three significant digits below 100 ms, whole milliseconds above."""
    value = 1e3 * float(seconds)
    return f"{value:.3g} ms" if value < 100 else f"{value:,.0f} ms"


def mib(n_bytes: float) -> str:
    """Bytes as MiB, three significant digits below 100 MiB."""
    value = float(n_bytes) / MIB
    return f"{value:.3g} MiB" if value < 100 else f"{value:,.0f} MiB"


def times(ratio: float) -> str:
    """A ratio as '6.6×' or '32×'."""
    return f"{ratio:.2g}×" if ratio < 10 else f"{ratio:,.0f}×"


def refusal_warning(reason: str) -> str:
    return f"Not measured: {reason}. The counts and the model below do not need a measurement."


def progress(n: int, i: int, count: int, d: int) -> str:
    return f"Measuring {tex_eq('n', n)} ({i + 1} of {count}), $d = {d}$: RNN, attention, memory …"


def timing_caption(repeats: int, seconds: float | None, trust_spread: float, budget_s: float) -> str:
    """How the times were taken; seconds: how long this session's measurement took (None: read from the cache)."""
    how = (f"Each point is the fastest of at least {repeats} runs per layer, the two layers taking turns; runs repeat "
           f"until the two fastest agree or {budget_s:.1f} s is spent. Bars reach up to the second fastest run; a "
           f"point whose two fastest runs differ by more than {trust_spread:.0%} is marked ✕ and left out of the "
           "sentences. Timed with time.perf_counter")
    if seconds is not None:
        return f"{how}; this measurement took {seconds:.1f} s and is now kept, so other controls do not re-run it."
    return f"{how}; kept from an earlier run on this server."


def left_out(points: Sequence, trusted: Sequence, trust_spread: float) -> str | None:
    """Which measured n the sentences leave out and why, or None when they use every point."""
    kept = {p.n for p in trusted}
    noisy = [p.n for p in points if not p.trusted]
    falling = [p.n for p in points if p.trusted and p.n not in kept]
    reasons = []
    if noisy:
        reasons.append(f"at $n$ = {', '.join(f'{n:,}' for n in noisy)} the two fastest runs differed by more than "
                       f"{trust_spread:.0%}")
    if falling:
        reasons.append(f"at $n$ = {', '.join(f'{n:,}' for n in falling)} a layer took longer than at a larger $n$, "
                       "which only load from other programs can cause")
    if not reasons:
        return None
    return ("The sentences leave out points the measurement does not trust: " + "; ".join(reasons) +
            ". Press **Measure again** when the machine is quieter.")


def too_busy(count: int, trusted: int, spreads: Sequence[float], trust_spread: float) -> str:
    """`spreads`: each point's larger spread of the two layers ((second fastest - fastest) / fastest)."""
    return (f"This machine was too busy to measure: only {trusted} of the {count} points gave times that repeat and "
            "grow with $n$, so no conclusion is drawn from them. The two fastest runs of a point differed by up to "
            f"{max(spreads):.0%} (a point is trusted within {trust_spread:.0%}). Other programs are probably using "
            "the processor; press **Measure again** when it is quieter. The counts beside the chart and the model "
            "below do not need a measurement.")


def busy_machine(load: float, cores: int) -> str:
    return (f"These times were taken while the machine was busy: its load average was {load:.1f} on {cores} "
            f"core{'s' if cores != 1 else ''} just before, so other work shared the processor and the ratios between "
            "the two layers can be far off. No conclusion is drawn from them; press **Measure again** when it is "
            "quieter. The counts beside the chart and the model below do not need a measurement.")


def provenance(by_this_session: bool, age_s: float, load: float | None, cores: int) -> str:
    """Who measured the times on screen, how long ago, and how busy the machine was: the board is shared."""
    who = "by this session" if by_this_session else "by another visitor of this server"
    age = f"{age_s:.0f} s" if age_s < 120 else f"{age_s / 60:.0f} min" if age_s < 7200 else f"{age_s / 3600:.0f} h"
    busy = f", load average {load:.1f} on {cores} cores just before" if load is not None else ""
    return (f"Measured {who} {age} ago{busy}. Everyone on this server sees the same times; **Measure again** "
            "replaces them for everyone.")


def measurement_summary(points: Sequence, d: int, work_ratio: float, slower_from: int | None) -> str:
    """What the machine showed: arithmetic ratio and time ratio at the largest n, the smallest n, where they cross.

    points: SpeedPoint-like (n, rnn_s, attention_s), ascending n, all times > 0 and growing with n (the trusted
    points, so no sentence reports a time that falls as n grows); work_ratio = attention / RNN
    multiply-adds at the largest n; slower_from = attention_slower_from(points).
    """
    top, first = points[-1], points[0]
    if work_ratio == 1:
        work = "attention did exactly as many multiply-adds as the RNN ($n = d$)"
    elif work_ratio > 1:
        work = f"attention did **{times(work_ratio)}** as many multiply-adds as the RNN"
    else:
        work = f"attention did only **{times(work_ratio)}** the RNN's multiply-adds ($n < d$)"
    ratio = top.attention_s / top.rnn_s
    if ratio >= 1:
        took = f"and on this machine took **{times(ratio)}** as long: {ms(top.attention_s)} against {ms(top.rnn_s)}"
    else:
        took = f"and on this machine was **{times(1 / ratio)}** faster: {ms(top.attention_s)} against the RNN's {ms(top.rnn_s)}"
    faster = [p.n for p in points if p.attention_s < p.rnn_s]
    if len(faster) == len(points):
        where = "Attention was the faster of the two at every measured $n$."
    elif not faster:
        where = "The RNN was the faster of the two at every measured $n$."
    elif slower_from is not None and faster == [p.n for p in points if p.n < slower_from]:
        where = f"Attention was faster up to {tex_eq('n', faster[-1])} and slower from {tex_eq('n', slower_from)} on."
    else:
        where = f"Attention was faster at $n$ = {', '.join(f'{n:,}' for n in faster)} and slower at the others."
    growth = ""
    if len(points) >= 2:
        prev = points[-2]
        growth = (f" Going from {tex_eq('n', prev.n)} to {tex_eq('n', top.n)} multiplied the RNN's time by "
                  f"{top.rnn_s / prev.rnn_s:.2g} and attention's by {top.attention_s / prev.attention_s:.2g}.")
    return (f"**What this machine showed.** At {tex_eq('n', top.n)} and $d = {d}$, {work}, {took}. "
            f"At {tex_eq('n', first.n)} the RNN "
            f"took {ms(first.rnn_s)} for its {first.n} steps and attention {ms(first.attention_s)}. {where}{growth}")


def counts_subheader(n: int, d: int) -> str:
    return f"The counts at {tex_eq('n', n)}, $d = {d}$: the same on any machine"


def counts_table(d: int, rnn, attention, matrix_bytes: int) -> str:
    """The four machine-independent counts (LayerCosts of both layers) as a Markdown table."""
    return (
        "| per layer | RNN | self-attention |\n|---|---|---|\n"
        f"| operations that must run one after another | $n$ = {rnn.sequential_ops:,} | {attention.sequential_ops}, "
        "whatever $n$ (scores, softmax, weights times $V$) |\n"
        f"| longest path between two tokens | $n - 1$ = {rnn.max_path_length:,} | {attention.max_path_length} |\n"
        f"| multiply-adds | $2 n d^2$ = {rnn.multiply_adds:,} | $2 n^2 d$ = {attention.multiply_adds:,} |\n"
        f"| attention weights held at once | none (one state of $d = {d}$ numbers) | $n^2$ = "
        f"{attention.weight_entries:,} numbers, {mib(matrix_bytes)} in float64 |"
    )


def crossover_caption(crossover: int) -> str:
    return (f"The orders are those of Vaswani et al. (2017), Table 1. These are **bare** layers: attention here is "
            r"$\operatorname{softmax}(X X^\top / \sqrt{d})\ X$ with no projections, the RNN a plain "
            r"$h_t = \tanh(x_t W_x + h_{t-1} W_h)$. Their multiply-adds cross at "
            f"$n = d = {crossover}$: below it bare attention does less arithmetic than the bare RNN, above it more, "
            "growing as $n^2$ instead of $n$. A real layer adds to both: the projections $W_Q$, $W_K$, $W_V$, $W_O$ "
            "add $4 n d^2$ to attention, and a GRU or LSTM does 3 or 4 times the plain RNN's matrix work, "
            "$6 n d^2$ or $8 n d^2$. Attention with its projections against a GRU meets it at $n = d$ again "
            "($4 n d^2 + 2 n^2 d = 6 n d^2$), against an LSTM at $n = 2d$.")


def workers_summary(p: int, rnn_ticks: int, attention_ticks: int, rnn_ws, attention_ws, first_win: int | None) -> str:
    """The model's verdict at P workers; first_win = the smallest P at which attention needs fewer ticks."""
    win = (f"Attention needs fewer ticks than the RNN from {tex_eq('P', first_win)} workers on."
           if first_win is not None else "In this range of $P$ attention never needs fewer ticks than the RNN.")
    return (f"With {tex_eq('P', p)} workers the model gives the RNN **{rnn_ticks:,}** ticks, and it can never "
            f"go below its {tex_eq('n', rnn_ws.span)} steps however many workers join, because each step needs "
            "the one before. "
            f"Attention gets **{attention_ticks:,}** ticks: its {attention_ws.work:,} multiply-adds sit in "
            f"{attention_ws.span} stages that wait for each other (scores, softmax, weights times $V$), and within a "
            f"stage none waits for another, so its time keeps shrinking as $P$ grows, down to {attention_ws.span} "
            f"ticks, a constant number whatever $n$. {win}")


def workers_caption(cores: int) -> str:
    return (r"This is a model, not a measurement: $\text{ticks} = \max(\text{work} / P, \text{span})$, with work "
            "the multiply-adds and span the steps that must happen in order. It ignores memory traffic and the cost of adding up partial sums. "
            "A GPU has thousands of such workers, which is where attention's parallelism pays off; this machine "
            f"has {cores} CPU cores.")


def memory_summary(point, matrix_bytes: int) -> str:
    """Plain vs chunked peak at the largest n (a MemoryPoint), against one n x n matrix of matrix_bytes."""
    return (f"At {tex_eq('n', point.n)} the plain `scaled_dot_product_attention` peaked at **{mib(point.plain_bytes)}**, "
            f"{point.plain_bytes / matrix_bytes:.2g} times $n^2 \\cdot 8$ bytes = {mib(matrix_bytes)}: it returns the "
            f"scores, logits and weights, each an $n \\times n$ matrix. `chunked_attention` reads the keys {point.block} at a time "
            f"and keeps only a running maximum and a running sum per query (the online softmax of FlashAttention); "
            f"it peaked at **{mib(point.chunked_bytes)}**, {point.plain_bytes / max(point.chunked_bytes, 1):.2g} times less, "
            f"and its output differs from the plain one by at most {point.max_abs_difference:.1e}.")
