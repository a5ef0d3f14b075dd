"""Every page guards against Streamlit's legacy pages/ mode (see playground/routing.py) before it imports anything.

On a fresh server, a class arriving at once on pages' URLs runs the page files themselves, several in parallel threads,
until the guard hands over to the entry script. Whatever a page imports before its guard is imported by those threads
at the same moment, and Python's import locks can then deadlock or hand a thread a half-initialised module (seen: 9
of 760 first arrivals failed in 3 of 13 fresh starts, "cannot import name 'MAX_ANSWER_CHARS' from 'lessons.quiz'",
"deadlock detected by _ModuleLock('attention_core.chunked')"). So the guard comes first, and what it needs is only the
standard library and Streamlit, which the server has loaded before any session exists.
"""

import ast
from pathlib import Path

import pytest

from playground.navigation import PAGES

ROOT = Path(__file__).resolve().parents[2]
GUARD_MODULE = "playground.routing"


def _is_guard(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and getattr(node.value.func, "id", None) == "run_inside_entry")


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _imported(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        return [node.module or ""]
    return []


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_page_calls_run_inside_entry_before_any_other_import(path):
    body = [n for n in ast.parse((ROOT / path).read_text()).body if not _is_docstring(n)]
    assert _imported(body[0]) == [GUARD_MODULE], f"{path}: first import only {GUARD_MODULE}, got {ast.unparse(body[0])}"
    assert _is_guard(body[1]), f"{path}: run_inside_entry() must come right after its import, before any other"


def test_the_guard_needs_nothing_a_session_could_race_on():
    tree = ast.parse((ROOT / "playground" / "routing.py").read_text())
    top = {m.split(".")[0] for n in ast.walk(tree) for m in _imported(n)}
    assert top <= {"__future__", "sys", "streamlit"}, top
    assert (ROOT / "playground" / "__init__.py").read_text().strip().startswith('"""')
    assert not [n for n in ast.parse((ROOT / "playground" / "__init__.py").read_text()).body if _imported(n)]


def test_the_entry_script_prepares_the_server_before_it_imports_anything_else():
    body = [n for n in ast.parse((ROOT / "attention_playground.py").read_text()).body if not _is_docstring(n)]
    assert _imported(body[0]) == ["playground.server_tuning"]
    call = body[1]
    assert isinstance(call, ast.Expr) and getattr(call.value.func, "id", None) == "prepare_server"
    tuning = ast.parse((ROOT / "playground" / "server_tuning.py").read_text())
    module_level = {m.split(".")[0] for n in tuning.body for m in _imported(n)}
    assert "streamlit" not in module_level and not module_level & {"numpy", "pandas", "plotly", "playground"}
