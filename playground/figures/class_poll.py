"""The class poll's chart: how the class answered, round by round, and (once revealed) the model's own numbers."""

from __future__ import annotations

from collections.abc import Sequence

from ..formatting import plotly_safe
from .base import figure, frame
from .palette import ACCENT, GRID, HIGHLIGHT, MUTED, PRIMARY, SECONDARY

ROUND_COLOURS = (PRIMARY, SECONDARY, ACCENT, MUTED)


def poll_bars(options: Sequence[str], rounds: Sequence[Sequence[int]], *, answer: int = -1,
              shares: Sequence[float] = (), title: str = "How the class answered (share of its answers)") -> object:
    """Horizontal bars, one group per option: each round's share of the class (its count printed), and when
    `shares` is given the model's own weight for that option beside them. `answer` >= 0 marks the right option."""
    n = len(options)
    names = [plotly_safe(o) + ("  ✓" if i == answer else "") for i, o in enumerate(options)]
    data = []
    for r, counts in enumerate(rounds):
        total = max(1, sum(counts))
        data.append(dict(type="bar", orientation="h", name=f"round {r + 1}" + (f" ({sum(counts)} answers)"),
                         y=list(range(n)), x=[c / total for c in counts], cliponaxis=False,
                         marker=dict(color=ROUND_COLOURS[r % len(ROUND_COLOURS)]),
                         text=[f"{c}" for c in counts], textposition="outside", customdata=names,
                         hovertemplate="%{customdata}<br>%{text} answers, %{x:.0%} of the class<extra>"
                                       f"round {r + 1}</extra>"))
    if shares:
        data.append(dict(type="bar", orientation="h", name="the model's attention", y=list(range(n)),
                         x=list(map(float, shares)), marker=dict(color=HIGHLIGHT), cliponaxis=False,
                         text=[f"{100 * s:.0f}%" for s in shares], textposition="outside", customdata=names,
                         hovertemplate="%{customdata}<br>the model gives it %{x:.0%}<extra></extra>"))
    layout = frame(title, max(260, 90 + n * (22 + 14 * len(data))), barmode="group", bargap=0.25,
                   uniformtext=dict(minsize=12, mode="show"),
                   legend=dict(orientation="h", x=0, y=-0.08, yanchor="top"),
                   xaxis=dict(range=[0, 1.15], tickformat=".0%", showgrid=True, gridcolor=GRID),
                   yaxis=dict(tickvals=list(range(n)), ticktext=names, autorange="reversed"))
    layout["margin"] = dict(l=10, r=30, t=50, b=60)  # the legend sits under the axis, which has no title
    return figure(data, layout)
