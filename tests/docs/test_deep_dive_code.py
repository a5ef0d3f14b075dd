"""The deep dive's code blocks are attention_core's current source, and every kernel function has one.

The blocks are written by `python -m tests.docs.deep_dive_code --write` (see that module); these tests fail when
the kernel changed and nobody refilled them, or when a kernel function has no block beside its formula.
"""

from __future__ import annotations

import inspect

import attention_core
from tests.docs.deep_dive_code import REGION, doc_text, refreshed, regions, render, resolve, stale


def kernel_functions() -> dict[str, object]:
    """The kernel's public functions (attention_core.__all__ without its result and parameter classes)."""
    return {name: getattr(attention_core, name) for name in attention_core.__all__
            if inspect.isfunction(getattr(attention_core, name))}


def test_every_block_is_the_current_source():
    old = stale()
    assert not old, f"code blocks that differ from attention_core (run python -m tests.docs.deep_dive_code --write): {old}"


def test_every_kernel_function_has_a_block():
    shown = {resolve(name) for names, _ in regions() for name in names}
    missing = sorted(name for name, fn in kernel_functions().items() if fn not in shown)
    assert not missing, f"kernel functions with no code block in the deep dive: {missing}"
    assert len(kernel_functions()) >= 11


def test_each_function_is_shown_once():
    names = [name for names, _ in regions() for name in names]
    assert len(names) == len(set(names)), f"shown twice: {sorted({n for n in names if names.count(n) > 1})}"


def test_a_changed_line_is_caught():
    """Self-test of the mechanism: edit one line inside one block and the block is stale; refilling restores it."""
    text = doc_text()
    m = next(REGION.finditer(text))
    edited = text[: m.start(3)] + m[3].replace("return", "return  ", 1) + text[m.end(3):]
    assert m[2] in stale(edited)
    assert refreshed(edited) == refreshed(text)


def test_a_block_is_the_file_then_the_source():
    block = render(["attention_core.masks.causal_mask"])
    source = inspect.getsource(attention_core.causal_mask)
    assert block == f"`attention_core/masks.py`:\n\n```python\n{source}```\n"
