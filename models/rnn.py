"""Recurrent networks in NumPy, with hand-written backward passes: a GRU (the trained encoder and decoder) and an
Elman RNN (tanh) whose recurrent matrix has a chosen spectral radius (vanishing below 1, exploding above).

Shapes: B batch, T time steps, E input size, H hidden size. A state sequence `states[:, t]` is the state after
reading x_t; in the math's 1-based notation states[:, t] is h_{t+1}, and h_n is states[:, -1].

GRU (gates in the order r, z, n, as in PyTorch):
    r = sigmoid(x W_xr + b_xr + h W_hr + b_hr)        z = sigmoid(x W_xz + b_xz + h W_hz + b_hz)
    n = tanh(x W_xn + b_xn + r * (h W_hn + b_hn))     h' = (1 - z) * n + z * h
Elman:  h' = tanh(x W_x + h W_h + b)

Public API: `GRUParams`, `gru_init`, `gru_forward`, `gru_step`, `gru_step_cached`, `gru_step_backward`,
`gru_param_grads`, `gru_backward`, `gru_step_jacobians`, `gru_input_influence`,
`ElmanParams`, `elman_init`, `elman_forward`, `elman_step_jacobians`, `elman_input_influence`, `elman_influence_curve`,
`jacobian_product`,
`spectral_radius`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from attention_core.checks import numeric_input, positive_int

__all__ = [
    "sigmoid", "GRUParams", "GRUCache", "GRUStepCache", "gru_init", "gru_forward", "gru_step", "gru_step_cached",
    "gru_step_backward", "gru_param_grads", "gru_backward", "gru_step_jacobians",
    "gru_input_influence", "ElmanParams", "spectral_radius", "elman_init", "elman_forward", "elman_step_jacobians",
    "elman_input_influence", "elman_influence_curve", "jacobian_product",
]


def sigmoid(x: np.ndarray) -> np.ndarray:
    # tanh form: no overflow warning for large negative x
    return 0.5 * (1.0 + np.tanh(0.5 * x))


# ---------------------------------------------------------------------------------------------------------------
# GRU


class GRUParams(NamedTuple):
    w_x: np.ndarray  # [E, 3H]  input weights, gates r | z | n
    w_h: np.ndarray  # [H, 3H]  recurrent weights
    b_x: np.ndarray  # [3H]
    b_h: np.ndarray  # [3H]

    @property
    def hidden(self) -> int:
        return self.w_h.shape[0]


class GRUCache(NamedTuple):
    x: np.ndarray  # [B, T, E]
    h_prev: np.ndarray  # [B, T, H]  state before each step
    r: np.ndarray  # [B, T, H]
    z: np.ndarray  # [B, T, H]
    n: np.ndarray  # [B, T, H]
    hn: np.ndarray  # [B, T, H]  h W_hn + b_hn, needed for dr
    valid: np.ndarray | None  # [B, T] bool; a padded step leaves the state unchanged


def gru_init(input_dim: int, hidden: int, seed: int | np.random.Generator = 0, dtype=np.float32) -> GRUParams:
    """Uniform(-1/sqrt(H), 1/sqrt(H)) weights, as PyTorch initialises its GRU; zero biases."""
    rng = np.random.default_rng(seed)
    s = 1.0 / np.sqrt(hidden)
    return GRUParams(
        rng.uniform(-s, s, (input_dim, 3 * hidden)).astype(dtype),
        rng.uniform(-s, s, (hidden, 3 * hidden)).astype(dtype),
        np.zeros(3 * hidden, dtype),
        np.zeros(3 * hidden, dtype),
    )


def _batched(x: np.ndarray, h0: np.ndarray | None, valid) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, bool]:
    single = x.ndim == 2
    if single:  # [T, E] -> [1, T, E]
        x = x[None]
        h0 = None if h0 is None else np.asarray(h0)[None]
        valid = None if valid is None else np.asarray(valid)[None]
    if h0 is not None:
        h0 = np.asarray(h0, dtype=x.dtype)
    return x, h0, None if valid is None else np.asarray(valid, dtype=bool), single


def gru_forward(params: GRUParams, x: np.ndarray, h0: np.ndarray | None = None, valid=None):
    """Run the GRU over a sequence.  x [B, T, E] (or [T, E]), h0 [B, H], valid [B, T] -> states [B, T, H], cache.

    Where valid is False (padding after a sentence's end) the state is carried over unchanged, so states[:, -1]
    is every sentence's state after its last real token.
    """
    x, h0, valid, single = _batched(x, h0, valid)
    b, t_len, _ = x.shape
    hid = params.hidden
    h = np.zeros((b, hid), x.dtype) if h0 is None else h0
    xw = x @ params.w_x + params.b_x  # [B, T, E] @ [E, 3H] -> [B, T, 3H], all input projections at once
    states, h_prev, rs, zs, ns, hns = (np.empty((b, t_len, hid), x.dtype) for _ in range(6))
    for t in range(t_len):
        hw = h @ params.w_h + params.b_h  # [B, H] @ [H, 3H] -> [B, 3H]
        rz = sigmoid(xw[:, t, : 2 * hid] + hw[:, : 2 * hid])  # [B, 2H]
        r, z = rz[:, :hid], rz[:, hid:]
        hn = hw[:, 2 * hid :]
        n = np.tanh(xw[:, t, 2 * hid :] + r * hn)  # [B, H]
        h_new = (1.0 - z) * n + z * h
        h_prev[:, t], rs[:, t], zs[:, t], ns[:, t], hns[:, t] = h, r, z, n, hn
        h = h_new if valid is None else np.where(valid[:, t, None], h_new, h)
        states[:, t] = h
    cache = GRUCache(x, h_prev, rs, zs, ns, hns, valid)
    return (states[0] if single else states), cache


def gru_step(params: GRUParams, x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """One GRU step without a cache (for decoding).  x [B, E], h [B, H] -> h' [B, H]."""
    return gru_step_cached(params, x, h)[0]


class GRUStepCache(NamedTuple):
    x: np.ndarray  # [B, E]
    h: np.ndarray  # [B, H]  state before the step
    r: np.ndarray  # [B, H]
    z: np.ndarray  # [B, H]
    n: np.ndarray  # [B, H]
    hn: np.ndarray  # [B, H]  h W_hn + b_hn


def gru_step_cached(params: GRUParams, x: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, GRUStepCache]:
    """One GRU step and what its backward pass needs: for a decoder whose next input depends on this state.
    x [B, E], h [B, H] -> h' [B, H], cache."""
    hid = params.hidden
    xw = x @ params.w_x + params.b_x  # [B, E] @ [E, 3H] -> [B, 3H]
    hw = h @ params.w_h + params.b_h  # [B, H] @ [H, 3H] -> [B, 3H]
    rz = sigmoid(xw[:, : 2 * hid] + hw[:, : 2 * hid])
    r, z = rz[:, :hid], rz[:, hid:]
    hn = hw[:, 2 * hid :]
    n = np.tanh(xw[:, 2 * hid :] + r * hn)
    return (1.0 - z) * n + z * h, GRUStepCache(x, h, r, z, n, hn)


def _step_backward(w_h_t: np.ndarray, r, z, n, hn, hp, dh_new) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward of one GRU step: dL/dh' [B, H] -> (dL/d(x W_x + b_x) [B, 3H], dL/d(h W_h + b_h) [B, 3H],
    dL/dh through the step [B, H])."""
    da_n = dh_new * (1.0 - z) * (1.0 - n * n)  # through h' = (1-z) n + z h and n = tanh(a_n)
    da_z = dh_new * (hp - n) * z * (1.0 - z)
    da_r = da_n * hn * r * (1.0 - r)
    d_pre = np.concatenate([da_r, da_z, da_n], axis=-1)  # gates r | z | n
    d_hw = np.concatenate([da_r, da_z, da_n * r], axis=-1)
    return d_pre, d_hw, dh_new * z + d_hw @ w_h_t  # [B, 3H] @ [3H, H] -> [B, H]


def gru_param_grads(x: np.ndarray, h_prev: np.ndarray, d_pre: np.ndarray, d_hw: np.ndarray) -> GRUParams:
    """Weight gradients from every step at once.  x [..., E], h_prev [..., H], d_pre and d_hw [..., 3H]."""
    e, hid = x.shape[-1], h_prev.shape[-1]
    return GRUParams(
        x.reshape(-1, e).T @ d_pre.reshape(-1, 3 * hid),  # [E, N] @ [N, 3H] -> [E, 3H]
        h_prev.reshape(-1, hid).T @ d_hw.reshape(-1, 3 * hid),  # [H, N] @ [N, 3H] -> [H, 3H]
        d_pre.reshape(-1, 3 * hid).sum(axis=0),
        d_hw.reshape(-1, 3 * hid).sum(axis=0),
    )


def gru_step_backward(params: GRUParams, cache: GRUStepCache, dh_new: np.ndarray):
    """Backward of `gru_step_cached`: dL/dh' [B, H] -> (d_pre [B, 3H], d_hw [B, 3H], dx [B, E], dh [B, H]).

    d_pre and d_hw of all steps go to `gru_param_grads` once, after the last step, rather than one outer
    product per step."""
    d_pre, d_hw, dh = _step_backward(params.w_h.T, cache.r, cache.z, cache.n, cache.hn, cache.h, dh_new)
    return d_pre, d_hw, d_pre @ params.w_x.T, dh  # [B, 3H] @ [3H, E] -> [B, E]


def gru_backward(params: GRUParams, cache: GRUCache, d_states: np.ndarray | None, d_final: np.ndarray | None = None,
                 param_grads: bool = True):  # fmt: skip
    """Backpropagation through time.  d_states [B, T, H] = dL/dstates (None = zeros), d_final [B, H] = dL/dh_n.

    Returns (grads: GRUParams, or None when param_grads is False; dx [B, T, E]; dh0 [B, H]). The cache may have
    batch size 1 with d_final holding B rows: B backward passes through one forward pass.
    """
    x, h_prev, rs, zs, ns, hns, valid = cache
    t_len = x.shape[1]
    b = x.shape[0] if d_final is None else max(x.shape[0], np.shape(d_final)[0])
    hid = params.hidden
    if d_states is not None and d_states.ndim == 2:
        d_states = d_states[None]
    dh = np.zeros((b, hid), x.dtype) if d_final is None else np.array(d_final, dtype=x.dtype).reshape(b, hid)
    d_pre = np.empty((b, t_len, 3 * hid), x.dtype)  # dL/d(x W_x + b_x) per step; gates r | z | n
    d_hw = np.empty((b, t_len, 3 * hid), x.dtype)  # dL/d(h W_h + b_h) per step
    w_h_t = params.w_h.T
    for t in range(t_len - 1, -1, -1):
        if d_states is not None:
            dh = dh + d_states[:, t]
        r, z, n, hn, hp = rs[:, t], zs[:, t], ns[:, t], hns[:, t], h_prev[:, t]
        if valid is not None:
            m = valid[:, t, None]
            dh_new, dh_carry = np.where(m, dh, 0.0), np.where(m, 0.0, dh)
        else:
            dh_new, dh_carry = dh, 0.0
        d_pre[:, t], d_hw[:, t], dh_step = _step_backward(w_h_t, r, z, n, hn, hp, dh_new)
        dh = dh_carry + dh_step
    dx = d_pre @ params.w_x.T  # [B, T, 3H] @ [3H, E] -> [B, T, E]
    if not param_grads:
        return None, dx, dh
    x, h_prev = np.broadcast_to(x, (b, *x.shape[1:])), np.broadcast_to(h_prev, (b, *h_prev.shape[1:]))
    return gru_param_grads(x, h_prev, d_pre, d_hw), dx, dh


def gru_step_jacobians(params: GRUParams, x, h0=None) -> np.ndarray:
    """J[t] = d states[t] / d states[t-1] (states[-1] = h0) for one sequence.  x [T, E] -> [T, H, H].

    The product J[n-1] @ ... @ J[t+1] is d h_n / d states[t]: see `jacobian_product`.
    """
    x = numeric_input(x, "x", 2, "[T, E]")
    states, cache = gru_forward(params, x, h0)
    r, z, n, hn, hp = (a[0] for a in (cache.r, cache.z, cache.n, cache.hn, cache.h_prev))  # each [T, H]
    hid = params.hidden
    w_r, w_z, w_n = params.w_h[:, :hid], params.w_h[:, hid : 2 * hid], params.w_h[:, 2 * hid :]  # [H, H] each
    # row i of each J = d h'_i / d h; with row-vector states, d(h W)_i/dh_k = W[k, i], hence the transposes
    dn_da = (1.0 - n * n)[:, :, None]  # [T, H, 1]
    dr = (r * (1.0 - r))[:, :, None] * w_r.T  # [T, H, H]  d r / d h
    dz = (z * (1.0 - z))[:, :, None] * w_z.T  # [T, H, H]  d z / d h
    dn = dn_da * (r[:, :, None] * w_n.T + hn[:, :, None] * dr)  # [T, H, H]  d n / d h
    eye = np.eye(hid, dtype=states.dtype)
    return (1.0 - z)[:, :, None] * dn + (hp - n)[:, :, None] * dz + z[:, :, None] * eye  # [T, H, H]


def gru_input_influence(params: GRUParams, x, h0=None, norm: str = "fro") -> np.ndarray:
    """‖d h_n / d x_t‖ for every position t, exactly, by backpropagation.  x [T, E] -> [T].

    One backward pass seeded with all H unit vectors at once yields the full Jacobians d h_n/d x_t [H, E];
    `norm` is "fro" (Frobenius) or "spectral" (largest singular value).
    """
    x = numeric_input(x, "x", 2, "[T, E]")
    if norm not in ("fro", "spectral"):
        raise ValueError(f"norm must be 'fro' or 'spectral', got {norm!r}")
    hid = params.hidden
    _, cache = gru_forward(params, x[None], None if h0 is None else np.asarray(h0)[None])
    # one forward pass, H backward passes at once: seed row i with the unit vector e_i = d h_n[i] / d h_n
    _, dx, _ = gru_backward(params, cache, None, np.eye(hid, dtype=cache.x.dtype), param_grads=False)  # [H, T, E]
    jac = np.swapaxes(dx, 0, 1)  # [T, H, E]: jac[t] = d h_n / d x_t
    return _matrix_norms(jac, norm)


def _matrix_norms(jac: np.ndarray, norm: str) -> np.ndarray:
    if norm == "fro":
        return np.sqrt((jac * jac).sum(axis=(-2, -1)))  # [T, a, b] -> [T]
    return np.linalg.svd(jac, compute_uv=False)[..., 0]


# ---------------------------------------------------------------------------------------------------------------
# Elman RNN with a chosen spectral radius


class ElmanParams(NamedTuple):
    w_x: np.ndarray  # [E, H]
    w_h: np.ndarray  # [H, H], scaled so that its spectral radius is the one asked for
    b: np.ndarray  # [H]


def spectral_radius(matrix) -> float:
    """The largest |eigenvalue| of a square matrix."""
    m = numeric_input(matrix, "matrix", 2, "[H, H]")
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"spectral radius needs a square matrix, got shape {m.shape}")
    return float(np.max(np.abs(np.linalg.eigvals(m))))


def elman_init(input_dim: int, hidden: int, spectral_radius_: float, seed: int = 0, input_scale: float = 0.1) -> ElmanParams:
    """A random Elman RNN: Gaussian W_h rescaled to spectral radius `spectral_radius_`; W_x ~ N(0, input_scale²/E).

    Small inputs keep tanh near its linear range, so the spectral radius alone decides whether an early input's
    influence on h_n decays (below 1) or grows (above 1) with distance.
    """
    input_dim = positive_int(input_dim, "input_dim")
    hidden = positive_int(hidden, "hidden")
    rho = float(spectral_radius_)
    if not np.isfinite(rho) or rho < 0:
        raise ValueError(f"spectral radius must be a finite number >= 0, got {spectral_radius_!r}")
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((hidden, hidden)) / np.sqrt(hidden)
    w_h = w * (rho / spectral_radius(w))
    w_x = rng.standard_normal((input_dim, hidden)) * (input_scale / np.sqrt(input_dim))
    return ElmanParams(w_x, w_h, np.zeros(hidden))


def elman_forward(params: ElmanParams, x, h0=None) -> np.ndarray:
    """h_t = tanh(x_t W_x + h_{t-1} W_h + b).  x [T, E] -> states [T, H]."""
    x = numeric_input(x, "x", 2, "[T, E]")
    if x.shape[-1] != params.w_x.shape[0]:
        raise ValueError(f"x's last dimension must match w_x's first: x {x.shape}, w_x {params.w_x.shape}")
    h = np.zeros(params.w_h.shape[0]) if h0 is None else np.asarray(h0, dtype=float)
    xw = x @ params.w_x + params.b  # [T, E] @ [E, H] -> [T, H]
    states = np.empty((x.shape[0], h.shape[-1]))
    for t in range(x.shape[0]):
        h = np.tanh(xw[t] + h @ params.w_h)
        states[t] = h
    return states


def elman_step_jacobians(params: ElmanParams, x, h0=None) -> np.ndarray:
    """J[t] = d states[t] / d states[t-1] = diag(1 - states[t]²) W_hᵀ.  x [T, E] -> [T, H, H]."""
    states = elman_forward(params, x, h0)  # [T, H]
    return (1.0 - states * states)[:, :, None] * params.w_h.T  # [T, H, 1] * [H, H] -> [T, H, H]


def elman_input_influence(params: ElmanParams, x, h0=None, norm: str = "fro") -> np.ndarray:
    """‖d h_n / d x_t‖ for every position t, exactly, by backpropagation through time.  x [T, E] -> [T]."""
    if norm not in ("fro", "spectral"):
        raise ValueError(f"norm must be 'fro' or 'spectral', got {norm!r}")
    states = elman_forward(params, x, h0)  # [T, H]
    t_len, hid = states.shape
    g = np.eye(hid)  # [H(out), H]: d h_n / d h_n, one row per output unit
    jac = np.empty((t_len, hid, params.w_x.shape[0]))
    for t in range(t_len - 1, -1, -1):
        da = g * (1.0 - states[t] ** 2)  # d h_n / d (pre-activation at t)  [H, H]
        jac[t] = da @ params.w_x.T  # [H, H] @ [H, E] -> [H, E]
        g = da @ params.w_h.T  # back to d h_n / d states[t-1]
    return _matrix_norms(jac, norm)


def elman_influence_curve(n: int, spectral_radius_: float, hidden: int = 32, input_dim: int = 16, seed: int = 0,
                          input_scale: float = 0.1, norm: str = "fro") -> np.ndarray:
    """‖d h_n / d x_t‖ for t = 0..n-1 of a random Elman RNN on random N(0, 1) inputs: a slider-ready curve.  -> [n]"""
    n = positive_int(n, "n")
    params = elman_init(input_dim, hidden, spectral_radius_, seed, input_scale)
    x = np.random.default_rng([seed, 1]).standard_normal((n, input_dim))
    return elman_input_influence(params, x, norm=norm)


def jacobian_product(step_jacobians, t: int) -> np.ndarray:
    """d h_n / d states[t] = J[n-1] @ J[n-2] @ ... @ J[t+1]: a product of n-1-t factors (n - t in 1-based terms).

    step_jacobians [n, H, H] from gru_step_jacobians or elman_step_jacobians; t in -1..n-1 (-1 is h0).
    """
    jac = numeric_input(step_jacobians, "step_jacobians", 3, "[n, H, H]")
    n = jac.shape[0]
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or not -1 <= t <= n - 1:
        raise ValueError(f"t must be an integer in -1..{n - 1} for {n} steps, got {t!r}")
    out = np.eye(jac.shape[1], dtype=jac.dtype)
    for k in range(t + 1, n):
        out = jac[k] @ out
    return out
