"""docs/ARCHITECTURE.md stays true: every kernel name it promises exists, every name the kernel offers is in it,
and every file or folder it points at is there."""

from __future__ import annotations

import re
from pathlib import Path

import attention_core

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "ARCHITECTURE.md").read_text()


def test_every_kernel_name_is_documented():
    missing = [name for name in attention_core.__all__ if f"`{name}" not in DOC and f"{name}(" not in DOC]
    assert not missing, f"docs/ARCHITECTURE.md does not describe {missing}"


def test_every_documented_call_exists_in_the_kernel():
    called = set(re.findall(r"^\| `([A-Za-z_]+)\(", DOC, flags=re.MULTILINE))
    assert called, "the contract table was not found"
    assert called <= set(attention_core.__all__), sorted(called - set(attention_core.__all__))


def test_every_path_it_names_exists():
    paths = {p for p in re.findall(r"`([\w./]+(?:/|\.py|\.md))`", DOC) if "/" in p or p.endswith((".py", ".md"))}
    assert {"attention_core/", "tests/architecture/test_layers.py", "playground/figures/palette.py"} <= paths
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert not missing, f"docs/ARCHITECTURE.md names paths that do not exist: {missing}"
