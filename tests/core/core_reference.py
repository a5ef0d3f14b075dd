"""Slow, obviously-correct reference implementations and shared hypothesis strategies for tests/core.

The references use Python floats, explicit loops and math.exp: nothing in them shares code with attention_core,
so agreement means the vectorised library computes what the textbook formula says.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

# One budget for every property: enough examples to find shape and masking corner cases, fast on a busy 2-core box.
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROPERTY_LIGHT = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Moderate values for comparisons against the loops (well away from overflow, so tolerances stay meaningful).
moderate = st.floats(-8, 8, allow_nan=False, allow_infinity=False, width=64)
# Any finite double, including 1e300 and subnormals: for "never NaN, rows sum to 1" properties.
any_finite = st.floats(allow_nan=False, allow_infinity=False, width=64)

small_dim = st.integers(1, 6)


def matrices(rows, cols, elements=moderate, dtype=np.float64):
    """A strategy for [rows, cols] arrays; rows/cols are ints."""
    return hnp.arrays(dtype, (rows, cols), elements=elements)


@st.composite
def masks(draw, n: int, m: int, batch: tuple[int, ...] = ()):
    """A random boolean mask [..., n, m], with whole rows sometimes fully masked."""
    return draw(hnp.arrays(np.bool_, (*batch, n, m)))


def _dot(a, b) -> float:
    return math.fsum(x * y for x, y in zip(a, b, strict=True))


def loop_softmax(logits: list[float | None]) -> list[float]:
    """Softmax of a list where None means "masked"; all masked -> all 0."""
    allowed = [x for x in logits if x is not None]
    if not allowed:
        return [0.0] * len(logits)
    top = max(allowed)
    ex = [0.0 if x is None else math.exp(x - top) for x in logits]
    total = math.fsum(ex)
    return [e / total for e in ex]


def loop_weighted_sum(weights: list[float], values: list[list[float]], d_v: int) -> list[float]:
    return [math.fsum(weights[j] * values[j][c] for j in range(len(values))) for c in range(d_v)]


def loop_sdpa(q, k, v, mask=None, scale=None, temperature=1.0):
    """Double loop over (query i, key j) for one [n, d_k] / [m, d_k] / [m, d_v] problem -> (output, weights)."""
    q, k, v = np.asarray(q).tolist(), np.asarray(k).tolist(), np.asarray(v).tolist()
    mask = None if mask is None else np.asarray(mask).tolist()
    n, m = len(q), len(k)
    d_k = len(q[0]) if n else 0
    d_v = np.asarray(v).reshape(m, -1).shape[1] if m else 0
    if scale is None:
        scale = 1.0 / math.sqrt(d_k)
    out, weights = [], []
    for i in range(n):
        logits = []
        for j in range(m):
            allowed = mask is None or mask[i][j]
            logits.append(_dot(q[i], k[j]) * scale / temperature if allowed else None)
        w = loop_softmax(logits)
        weights.append(w)
        out.append(loop_weighted_sum(w, v, d_v))
    return np.array(out).reshape(n, d_v), np.array(weights).reshape(n, m)


def loop_additive(query, keys, values, w_q, w_k, v_a, mask=None):
    """Bahdanau with explicit loops: e_ij = sum_a v_a[a] * tanh(sum_t query[i,t] w_q[t,a] + sum_t keys[j,t] w_k[t,a])."""
    query, keys, values = (np.asarray(a).tolist() for a in (query, keys, values))
    w_q, w_k, v_a = (np.asarray(a).tolist() for a in (w_q, w_k, v_a))
    mask = None if mask is None else np.asarray(mask).tolist()
    n, m, d_a, d_v = len(query), len(keys), len(v_a), len(values[0])
    out, weights = [], []
    for i in range(n):
        pq = [_dot(query[i], [row[a] for row in w_q]) for a in range(d_a)]
        logits = []
        for j in range(m):
            if mask is not None and not mask[i][j]:
                logits.append(None)
                continue
            pk = [_dot(keys[j], [row[a] for row in w_k]) for a in range(d_a)]
            logits.append(math.fsum(v_a[a] * math.tanh(pq[a] + pk[a]) for a in range(d_a)))
        w = loop_softmax(logits)
        weights.append(w)
        out.append(loop_weighted_sum(w, values, d_v))
    return np.array(out), np.array(weights)


def loop_matmul(a, b) -> np.ndarray:
    a, b = np.asarray(a).tolist(), np.asarray(b).tolist()
    return np.array([[_dot(row, [r[c] for r in b]) for c in range(len(b[0]))] for row in a]).reshape(len(a), -1)


def loop_multi_head(x_q, x_kv, w_q, w_k, w_v, w_o, mask=None):
    """Per-head loop: project, attend (loop_sdpa), then concatenate heads left to right and mix with w_o."""
    heads, weights = [], []
    for h in range(len(w_q)):
        out, w = loop_sdpa(loop_matmul(x_q, w_q[h]), loop_matmul(x_kv, w_k[h]), loop_matmul(x_kv, w_v[h]), mask=mask)
        heads.append(out)
        weights.append(w)
    concat = np.concatenate(heads, axis=1)  # head 0's columns first, then head 1's, ...
    return loop_matmul(concat, w_o), np.array(heads), np.array(weights), concat


def loop_positional(n: int, d: int) -> np.ndarray:
    pe = [[0.0] * d for _ in range(n)]
    for pos in range(n):
        for col in range(d):
            i = col // 2
            angle = pos / 10000 ** (2 * i / d)
            pe[pos][col] = math.sin(angle) if col % 2 == 0 else math.cos(angle)
    return np.array(pe).reshape(n, d)
