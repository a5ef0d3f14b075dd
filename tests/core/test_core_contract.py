"""The kernel's contract (docs/ARCHITECTURE.md) checked across every public function at once: dtypes,
non-numeric and non-finite input, the public names, and "attention_core imports only NumPy and the standard
library"."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import attention_core
from attention_core import (
    MultiHeadParams,
    additive_attention,
    merge_heads,
    multi_head_attention,
    scaled_dot_product_attention,
    self_attention,
    softmax,
    split_heads,
)

pytestmark = pytest.mark.filterwarnings("error")

ROOT = Path(__file__).resolve().parents[2]

# For each function taking arrays: valid float64 arguments by name, and how to call it with them.
_RNG = np.random.default_rng(0)
_P = MultiHeadParams.random(4, 2, seed=0)
CASES = {
    "softmax": ({"x": _RNG.normal(size=(2, 3))}, lambda a: softmax(a["x"])),
    "scaled_dot_product_attention": (
        {"q": _RNG.normal(size=(2, 3)), "k": _RNG.normal(size=(4, 3)), "v": _RNG.normal(size=(4, 5))},
        lambda a: scaled_dot_product_attention(a["q"], a["k"], a["v"], mask=np.ones((2, 4), bool)),
    ),
    "additive_attention": (
        {
            "query": _RNG.normal(size=(2, 3)),
            "keys": _RNG.normal(size=(4, 3)),
            "values": _RNG.normal(size=(4, 5)),
            "w_q": _RNG.normal(size=(3, 6)),
            "w_k": _RNG.normal(size=(3, 6)),
            "v_a": _RNG.normal(size=6),
        },
        lambda a: additive_attention(**a),
    ),
    "self_attention": (
        {"x": _RNG.normal(size=(3, 4)), "w_q": _RNG.normal(size=(4, 2)), "w_k": _RNG.normal(size=(4, 2)), "w_v": _RNG.normal(size=(4, 5))},
        lambda a: self_attention(**a),
    ),
    "multi_head_attention": (
        {"x_q": _RNG.normal(size=(3, 4)), "x_kv": _RNG.normal(size=(5, 4)), **_P._asdict()},
        lambda a: multi_head_attention(
            a["x_q"], a["x_kv"], MultiHeadParams(a["w_q"], a["w_k"], a["w_v"], a["w_o"]), mask=np.ones((3, 5), bool)
        ),
    ),
    "split_heads": ({"x": _RNG.normal(size=(3, 4))}, lambda a: (split_heads(a["x"], 2),)),
    "merge_heads": ({"x": _RNG.normal(size=(2, 3, 4))}, lambda a: (merge_heads(a["x"]),)),
}
ARGUMENTS = [(fn, arg) for fn, (args, _) in CASES.items() for arg in args]


def _outputs(result) -> list[np.ndarray]:
    return [result] if isinstance(result, np.ndarray) else list(result)


def _call(fn: str, **overrides):
    args, call = CASES[fn]
    return call(args | overrides)


@pytest.mark.parametrize("fn", CASES)
def test_float64_reference_call_is_finite(fn):
    for out in _outputs(_call(fn)):
        assert out.dtype == np.float64 and np.isfinite(out).all()


@pytest.mark.parametrize("fn", CASES)
def test_float32_in_float32_out(fn):
    args, _ = CASES[fn]
    for out in _outputs(_call(fn, **{k: v.astype(np.float32) for k, v in args.items()})):
        assert out.dtype == np.float32


@pytest.mark.parametrize("fn", CASES)
@pytest.mark.parametrize("int_dtype", [np.int64, np.int32, np.uint8])
def test_integers_in_float64_out(fn, int_dtype):
    args, _ = CASES[fn]
    ints = {k: (np.abs(v) * 3).astype(int_dtype) for k, v in args.items()}
    outs = _outputs(_call(fn, **ints))
    assert all(out.dtype == np.float64 for out in outs)
    floats = _outputs(_call(fn, **{k: v.astype(np.float64) for k, v in ints.items()}))
    for a, b in zip(outs, floats, strict=True):
        np.testing.assert_array_equal(a, b)


def _bad_values(shape):
    return {
        "str": (np.full(shape, "a"), r"must hold real numbers, got dtype <U1"),
        "bool": (np.ones(shape, bool), r"must hold real numbers, got dtype bool"),
        "complex": (np.ones(shape, complex), r"must hold real numbers, got dtype complex128"),
        "object": (np.full(shape, None, dtype=object), r"must hold real numbers, got dtype object"),
        "nan": (np.full(shape, np.nan), r"contains NaN"),
        "inf": (np.full(shape, np.inf), r"contains inf"),
    }


@pytest.mark.parametrize("kind", ["str", "bool", "complex", "object", "nan", "inf"])
@pytest.mark.parametrize(("fn", "arg"), ARGUMENTS)
def test_every_array_argument_rejects_non_numeric_and_non_finite(fn, arg, kind):
    args, _ = CASES[fn]
    shape = args[arg].shape
    bad, match = _bad_values(shape)[kind]
    if fn == "softmax":
        # softmax takes -inf / +inf on purpose (masked logits); only NaN and non-numbers are errors there
        if kind == "inf":
            assert np.isnan(_call(fn, **{arg: bad})).sum() == 0
            return
        name = "softmax input"
    else:
        name = arg
    with pytest.raises(ValueError, match=rf"^{name} {match}") as info:
        _call(fn, **{arg: bad})
    assert f"shape {shape}" in str(info.value)  # the message names the offending shape too


def test_public_names_are_exactly_the_contract():
    expected = {
        "AttentionResult", "MultiHeadParams", "MultiHeadResult", "additive_attention", "causal_mask", "merge_heads",
        "multi_head_attention", "padding_mask", "scaled_dot_product_attention", "self_attention",
        "sinusoidal_positional_encoding", "softmax", "split_heads",
    }  # fmt: skip
    assert expected <= set(attention_core.__all__)
    for name in attention_core.__all__:
        assert hasattr(attention_core, name)


def test_import_pulls_in_only_numpy_and_the_standard_library():
    # A fresh interpreter: what does `import attention_core` add to sys.modules?
    code = (
        "import sys, json; before = set(sys.modules); import attention_core; "
        "print(json.dumps(sorted({m.split('.')[0] for m in set(sys.modules) - before})))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    added = set(json.loads(proc.stdout))
    foreign = {m for m in added if m not in sys.stdlib_module_names and m not in {"numpy", "attention_core"}}
    foreign = {m for m in foreign if not m.startswith("_")}  # private helpers of the stdlib/numpy (e.g. _ctypes)
    assert not foreign, f"attention_core imported non-stdlib modules: {sorted(foreign)}"
    assert not added & {"streamlit", "plotly", "pandas", "scipy", "matplotlib"}


def test_source_imports_only_numpy_stdlib_and_itself():
    for path in sorted((ROOT / "attention_core").glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: inside the package
                    continue
                roots = [node.module.split(".")[0]]
            else:
                continue
            for root in roots:
                assert root == "numpy" or root in sys.stdlib_module_names, f"{path.name} imports {root}"
