"""The packages are layers, and every import points down:

    pages  ->  playground  ->  lessons  ->  models  ->  attention_core

- attention_core imports only NumPy and the standard library;
- models imports only attention_core, models, NumPy and the standard library (command-line entries included);
- lessons imports nothing from playground or pages, and no Streamlit, Plotly or pandas;
- playground imports nothing from pages, and no page imports another page.

Also, in those packages and pages: every module of attention_core, models and lessons says what it offers with
`__all__`; no file imports an underscore (private) name from another module of the repository; and the kernel's
top-level `__all__` stays a short list of attention words (nothing about pages, timing or the quiz).

Imports are read with `ast`, wherever they stand (a function-local import is still an import), and relative imports
are resolved against the file's package. Every failure names the file, the line and the import.
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("attention_core", "models", "lessons", "classroom", "playground")  # bottom to top; pages/ above them all
TOOLING = ("tooling", "deploy", "benchmarks", "tests")  # beside the product: they import it, it never imports them
FIRST_PARTY = frozenset({*PACKAGES, "pages", *TOOLING})
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}



class Import(NamedTuple):
    file: str  # path relative to the repository, e.g. "lessons/speed.py"
    line: int
    module: str  # absolute dotted module, e.g. "attention_core.checks"
    names: tuple[str, ...]  # for `from m import a, b`: ("a", "b"); for `import m`: ()

    @property
    def root(self) -> str:
        return self.module.split(".")[0]

    def __str__(self) -> str:
        what = f"from {self.module} import {', '.join(self.names)}" if self.names else f"import {self.module}"
        return f"{self.file}:{self.line}: {what}"


# ---------------------------------------------------------------------------------------------------------------
# Reading the repository


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def package_files(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def page_files() -> list[Path]:
    return sorted((ROOT / "pages").glob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imports_of(path: Path, tree: ast.Module | None = None) -> list[Import]:
    """Every import in the file, relative ones made absolute."""
    tree = tree or ast.parse(path.read_text(), filename=str(path))
    # the package a relative import starts from: the module itself for an __init__, else its parent
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [Import(rel(path), node.lineno, alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names = tuple(alias.name for alias in node.names)
            if node.level and not node.module:
                # `from . import x`: each x is a module of the package (or a name in its __init__)
                out += [Import(rel(path), node.lineno, f"{module}.{n}", ()) for n in names]
            else:
                out.append(Import(rel(path), node.lineno, module, names))
    return out


def layer_of(path: Path) -> str:
    return rel(path).split("/")[0]


ALL_FILES = [p for package in PACKAGES for p in package_files(package)] + page_files()
TOOLING_FILES = [p for package in TOOLING for p in package_files(package)]
IDS = [rel(p) for p in ALL_FILES]


def params(paths: list[Path]) -> list:
    return [pytest.param(p, id=rel(p)) for p in paths]


# ---------------------------------------------------------------------------------------------------------------
# The rules, as plain functions returning what breaks them (tested on snippets at the bottom)


NOT_IN_LESSONS = frozenset({"playground", "pages", "streamlit", "plotly", "pandas"})
NO_PROCESSES = frozenset({"multiprocessing", "subprocess", "threading", "concurrent"})  # playground runs those


def layer_violations(layer: str, imports: list[Import]) -> list[str]:
    out = []
    for imp in imports:
        root = imp.root
        if layer == "attention_core":
            if root not in STDLIB and root not in {"numpy", "attention_core"}:
                out.append(f"{imp}: attention_core may import only numpy and the standard library")
        elif layer == "models":
            if root not in STDLIB and root not in {"numpy", "attention_core", "models"}:
                out.append(f"{imp}: models may import only attention_core, models, numpy and the standard library")
        elif layer == "lessons":
            if root in NOT_IN_LESSONS:
                out.append(f"{imp}: lessons must not import playground, pages, streamlit, plotly or pandas")
            if root in NO_PROCESSES:
                out.append(f"{imp}: lessons start no processes or threads (playground/training_queue.py does)")
        elif layer == "classroom":
            if root not in STDLIB and root != "classroom":
                out.append(f"{imp}: classroom may import only the standard library (its store is sqlite3)")
        elif layer == "playground":
            if root == "pages":
                out.append(f"{imp}: playground must not import pages (pages sit above playground)")
        elif layer == "pages" and root == "pages":
            out.append(f"{imp}: a page must not import another page (shared code belongs in playground or lessons)")
        if layer in (*PACKAGES, "pages") and root in TOOLING:
            out.append(f"{imp}: the product must not import {root} (tooling sits beside it, not below)")
        if layer != "tests" and root == "tests":
            out.append(f"{imp}: nothing outside tests/ imports tests (shared helpers belong in tooling/)")
        if layer == "tooling" and root in ("deploy", "benchmarks"):
            out.append(f"{imp}: tooling is what deploy and benchmarks share; it imports neither")
        if layer == "deploy" and root == "benchmarks":
            out.append(f"{imp}: serving a class must not need a benchmark")
    return out


def private_name_violations(module: str, tree: ast.Module, imports: list[Import]) -> list[str]:
    """Underscore names taken from another module of the repository: `from m import _x`, or `m._x` on an imported
    repository module (dunders such as __version__ are fine)."""

    def private(name: str) -> bool:
        return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

    out = []
    for imp in imports:
        if imp.root in FIRST_PARTY and imp.module != module:
            bad = [n for n in imp.names if private(n)]
            if bad:
                out.append(f"{imp}: imports private name(s) {', '.join(bad)} from another module; make them public "
                           "(listed in that module's __all__) or keep them where they are used")
    # local names bound to repository modules: `import a.b as m`, `from a import b` where a.b is a module
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name.split(".")[0] in FIRST_PARTY:
                    modules[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            for imp in imports:
                if imp.line == node.lineno and imp.root in FIRST_PARTY:
                    for alias in node.names:
                        if is_repo_module(f"{imp.module}.{alias.name}"):
                            modules[alias.asname or alias.name] = f"{imp.module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and private(node.attr):
            target = modules.get(node.value.id)
            if target is not None and target != module:
                out.append(f"{node.lineno}: {node.value.id}.{node.attr} reaches into a private name of {target}")
    return out


def is_repo_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def declares_all(tree: ast.Module) -> list[str] | None:
    """The string names of a top-level `__all__ = [...]` (or tuple), or None when there is none."""
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and node.value is not None:
            value = node.value
            if isinstance(value, (ast.List, ast.Tuple)):
                return [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            return []
    return None


UI_WORDS = frozenset({
    "page", "pages", "quiz", "question", "answer", "time", "timing", "timer", "clock", "benchmark", "speed",
    "widget", "ui", "chart", "figure", "plot", "plotly", "streamlit", "lesson", "rerun", "session", "sidebar",
})


def name_words(name: str) -> set[str]:
    """snake_case and CamelCase parts, lower-cased: "MultiHeadParams" -> {"multi", "head", "params"}."""
    return {w.lower() for part in name.split("_") for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", part)}


# ---------------------------------------------------------------------------------------------------------------
# The tests


def test_the_layers_are_all_found():
    found = {layer_of(p) for p in ALL_FILES}
    assert found == {*PACKAGES, "pages"}, found
    assert {layer_of(p) for p in TOOLING_FILES} == set(TOOLING)
    assert "attention_core/attention.py" in IDS and "pages/home.py" in IDS and "models/seq2seq/__main__.py" in IDS


@pytest.mark.parametrize("path", params(ALL_FILES + TOOLING_FILES))
def test_imports_point_down_the_layers(path):
    found = layer_violations(layer_of(path), imports_of(path))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", params(ALL_FILES))
def test_no_private_names_from_other_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    found = private_name_violations(module_name(path), tree, imports_of(path, tree))
    assert not found, "\n".join(f"{rel(path)}:{f}" if f[0].isdigit() else f for f in found)


def streamlit_paths(path: Path) -> list[str]:
    """Chains of imports from `path` through the repository's modules to Streamlit ("a.py -> b -> streamlit"),
    following every first-party import (a module or a package's __init__) once."""
    found, seen, todo = [], {rel(path)}, [(path, rel(path))]
    while todo:
        file, chain = todo.pop()
        for imp in imports_of(file):
            if imp.root == "streamlit":
                found.append(f"{chain} -> {imp.file}:{imp.line}: {imp}")
            elif imp.root in FIRST_PARTY:
                for dotted in (imp.module, *(f"{imp.module}.{n}" for n in imp.names)):
                    target = ROOT.joinpath(*dotted.split("."))
                    for candidate in (target.with_suffix(".py"), target / "__init__.py"):
                        if candidate.is_file() and rel(candidate) not in seen:
                            seen.add(rel(candidate))
                            todo.append((candidate, f"{chain} -> {rel(candidate)}"))
    return found


@pytest.mark.parametrize("path", params(package_files("playground/figures")))
def test_the_chart_pipeline_never_needs_streamlit(path):
    """playground/figures/ builds and transforms chart specs as plain dicts (render.py); only playground/export.chart
    hands them to Streamlit. Kept so, every step is testable without a Streamlit session and found in one folder."""
    found = streamlit_paths(path)
    assert not found, "playground/figures/ must not import Streamlit, even through another module:\n" + "\n".join(found)


def test_the_streamlit_check_follows_imports_through_other_modules():
    assert streamlit_paths(ROOT / "playground" / "export.py")  # imports streamlit itself
    assert any("playground/layout_css.py" in chain for chain in streamlit_paths(ROOT / "playground" / "export.py"))


LIBRARY_FILES = [p for package in ("attention_core", "models", "lessons") for p in package_files(package)]


@pytest.mark.parametrize("path", params(LIBRARY_FILES))
def test_every_library_module_declares_all(path):
    names = declares_all(ast.parse(path.read_text(), filename=str(path)))
    assert names is not None, f"{rel(path)} has no __all__: list the names it offers to other modules"
    name = module_name(path)
    module = importlib.import_module(name)
    missing = [n for n in names if not hasattr(module, n) and not is_repo_module(f"{name}.{n}")]  # or a submodule
    assert not missing, f"{rel(path)}: __all__ lists names the module does not define: {missing}"


def test_the_kernel_offers_a_short_list_of_attention_names():
    import attention_core

    names = list(attention_core.__all__)
    assert len(names) <= 20, f"attention_core.__all__ has {len(names)} names (at most 20): {names}"
    assert len(set(names)) == len(names), f"attention_core.__all__ repeats a name: {names}"
    for name in names:
        ui = name_words(name) & UI_WORDS
        assert not ui, f"attention_core.__all__ offers {name!r}, which is about {sorted(ui)}: that belongs above the kernel"


# ---------------------------------------------------------------------------------------------------------------
# The checkers themselves, on snippets


def _imports(code: str, path: str) -> list[Import]:
    file = ROOT / path
    tree = ast.parse(code)
    # imports_of reads the path only to resolve relative imports; hand it the tree
    return imports_of(file, tree)


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("attention_core/x.py", "import scipy"),
        ("attention_core/x.py", "from models import rnn"),
        ("models/x.py", "from lessons.speed import attention_pass"),
        ("models/seq2seq/x.py", "def f():\n    import streamlit"),
        ("models/coreference/analysis.py", "from lessons.embeddings import embed"),
        ("models/coreference/__main__.py", "import streamlit"),
        ("models/coreference/__main__.py", "from lessons.embeddings import embed"),
        ("lessons/x.py", "import streamlit as st"),
        ("lessons/x.py", "from playground.formatting import pct"),
        ("lessons/x.py", "import pandas"),
        ("lessons/x.py", "import multiprocessing"),
        ("lessons/x.py", "from concurrent.futures import ThreadPoolExecutor"),
        ("playground/x.py", "from pages import home"),
        ("playground/figures/x.py", "from ...pages import home"),
        ("pages/x.py", "from pages.home import something"),
        ("classroom/x.py", "from playground.state import init_from_url"),
        ("classroom/x.py", "import numpy"),
        ("playground/x.py", "from tooling.servers import free_port"),
        ("deploy/serve.py", "from benchmarks.st_client import warm_up"),
        ("benchmarks/x.py", "from tests.e2e.conftest import start_server"),
        ("tooling/x.py", "from deploy.serve import start"),
        ("tooling/x.py", "import benchmarks"),
    ],
)
def test_checker_flags_imports_that_point_up(path, code):
    assert layer_violations(path.split("/")[0], _imports(code, path))


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("attention_core/x.py", "import numpy as np\nfrom .checks import as_mask\nimport math"),
        ("models/seq2seq/x.py", "from .model import Seq2Seq\nfrom attention_core import softmax"),
        ("models/coreference/__main__.py", "from models.lexicon import embed"),
        ("lessons/x.py", "from models import seq2seq\nfrom attention_core import softmax\nimport hashlib"),
        ("playground/x.py", "import streamlit as st\nfrom lessons.speed import attention_pass"),
        ("pages/x.py", "from playground.state import init_from_url\nimport plotly.graph_objects as go"),
        ("classroom/x.py", "import sqlite3\nfrom .poll import Poll"),
        ("playground/x.py", "from classroom import SQLiteStore"),
        ("deploy/serve.py", "from tooling.st_client import warm_up"),
        ("benchmarks/x.py", "from tooling.servers import free_port\nfrom deploy.serve import start"),
        ("tests/x.py", "from tests.app.conftest import open_page\nfrom tooling.browser import CHROMIUM"),
    ],
)
def test_checker_leaves_downward_imports_alone(path, code):
    assert not layer_violations(path.split("/")[0], _imports(code, path))


def test_relative_imports_are_resolved_against_the_package():
    imps = _imports("from .model import init_model\nfrom ..rnn import gru_step\nfrom . import files", "models/seq2seq/x.py")
    assert [i.module for i in imps] == ["models.seq2seq.model", "models.rnn", "models.seq2seq.files"]
    init = _imports("from .decoding import translate", "models/seq2seq/__init__.py")
    assert init[0].module == "models.seq2seq.decoding"


def test_checker_flags_private_names():
    code = "from attention_core.attention import _softmax\nfrom .checks import _x\nfrom models import seq2seq\ny = seq2seq._cli"
    path = "lessons/x.py"
    found = private_name_violations("lessons.x", ast.parse(code), _imports(code, path))
    assert len(found) == 3, found
    ok = "from attention_core import softmax\nfrom models import seq2seq\nv = seq2seq.__doc__"
    assert not private_name_violations("lessons.x", ast.parse(ok), _imports(ok, path))


def test_checker_reads_all_and_name_words():
    assert declares_all(ast.parse("__all__ = ['a', 'b']")) == ["a", "b"]
    assert declares_all(ast.parse("x = 1")) is None
    assert name_words("MultiHeadParams") == {"multi", "head", "params"}
    assert name_words("time_call") & UI_WORDS and not name_words("sinusoidal_positional_encoding") & UI_WORDS
