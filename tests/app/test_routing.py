"""Every page but home guards against Streamlit's legacy pages/ mode (see playground/routing.py)."""

import ast
from pathlib import Path

import pytest

from playground.navigation import PAGES

ROOT = Path(__file__).resolve().parents[2]


def _is_guard(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and getattr(node.value.func, "id", None) == "run_inside_entry")


def _is_preamble(node: ast.stmt) -> bool:  # docstring or import
    return isinstance(node, (ast.Import, ast.ImportFrom)) or (
        isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))


@pytest.mark.parametrize("path", [p.path for p in PAGES[1:]])
def test_page_calls_run_inside_entry_before_anything_else(path):
    body = ast.parse((ROOT / path).read_text()).body
    first = next(node for node in body if not _is_preamble(node))
    assert _is_guard(first), f"{path}: the first statement after the imports must be run_inside_entry()"
