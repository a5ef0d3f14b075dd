"""playground.server_tuning: one full garbage collection per interval, not one per rerun; one BLAS thread."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground import server_tuning

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def postscript_gc_off(monkeypatch):
    monkeypatch.setattr(server_tuning, "gc_interval_s", lambda: 30.0)
    monkeypatch.setattr(server_tuning, "_last_gc", [0.0])


def test_collects_once_per_interval(postscript_gc_off, monkeypatch):
    calls = []
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append(a) or 0)
    ran = [server_tuning.collect_if_due(clock=lambda t=t: t) for t in (10.0, 29.9, 30.0, 31.0, 59.0, 60.5)]
    assert ran == [False, False, True, False, False, True]
    assert len(calls) == 2


def test_streamlit_collecting_itself_turns_the_clock_off(monkeypatch):
    from streamlit import config

    monkeypatch.setattr(config, "get_option", lambda name: True if name == "runner.postScriptGC" else None)
    assert server_tuning.gc_interval_s() == 0.0
    assert server_tuning.collect_if_due(clock=lambda: 1e9) is False


def test_the_shipped_config_turns_postscript_gc_magic_and_the_watcher_off():
    # Magic parses each page with ast.parse on its first run, which on Python 3.11 can fail when two threads build
    # ASTs at once ("AST constructor recursion depth mismatch"); test_no_page_relies_on_magic keeps that safe.
    import tomllib

    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert conf["runner"]["postScriptGC"] is False
    assert conf["runner"]["magicEnabled"] is False
    assert conf["server"]["fileWatcherType"] == "none"


def _bare_expressions(source: str) -> list[int]:
    """Line numbers of the statements magic would write to the page: expressions that are not calls, awaits or
    docstrings (the first statement of a module, class or function)."""
    import ast

    tree = ast.parse(source)
    docstrings = {id(body[0]) for node in ast.walk(tree) if isinstance(body := getattr(node, "body", None), list)
                  and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                  and isinstance(body[0].value.value, str)}
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Expr) and id(node) not in docstrings
            and not isinstance(node.value, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom))]


def test_no_page_relies_on_magic():
    # With magic off, a bare expression on a page would silently show nothing.
    scripts = [ROOT / "attention_playground.py", *sorted((ROOT / "pages").glob("*.py"))]
    bare = {path.name: lines for path in scripts if (lines := _bare_expressions(path.read_text()))}
    assert len(scripts) > 5 and not bare, bare
    assert _bare_expressions('"""doc"""\nimport x\nx\n"shown by magic"\nprint(1)\n') == [3, 4]


def test_one_blas_thread_unless_the_operator_chose():
    """OpenBLAS reads its thread count once, when NumPy loads: the server sets one thread unless told otherwise."""
    env = {"OMP_NUM_THREADS": "4"}
    server_tuning.one_blas_thread(env)
    assert env == {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "4", "MKL_NUM_THREADS": "1"}


def test_the_server_sets_one_blas_thread_before_numpy_loads():
    """In a fresh process, as in the server: NumPy is not loaded before prepare_server, and once it is, the setting
    it read was one thread."""
    code = ("import os, sys; assert 'numpy' not in sys.modules; os.environ.pop('OPENBLAS_NUM_THREADS', None); "
            "from playground import server_tuning; server_tuning.prepare_server(); "
            "assert 'numpy' in sys.modules; print(os.environ['OPENBLAS_NUM_THREADS'])")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "1"
