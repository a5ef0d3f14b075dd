"""No state is shared between sessions: thirty students on one server must never see each other's edits.

A Streamlit server runs every session in one Python process. Modules (attention_core, models, lessons, playground)
are imported once and shared; a page file is executed afresh on every run, so its own top-level names are private
to that run, but whatever it imports, and whatever st.cache_resource hands it, is shared. So, in every module and page:

- no `global` statements;
- a module-level mutable object (list, dict, set, bytearray, deque, writable NumPy array, random generator, or a
  container holding one) is never changed inside a function, never changed from another file, and never handed
  out to callers as it is (`return TABLE` or `return TABLE[key]` when the entries are mutable);
- functools caches return immutable values (their result is the same object for every caller), and nobody changes
  what st.cache_resource gave it (shared on purpose, for loaded weights);
- no NumPy or stdlib global random state (np.random.seed / np.random.rand / random.random ...): a seeded Generator
  per call instead.
Module-level NumPy arrays are either read-only (flags.writeable False) or never written.

Modules are imported to see what their names really hold; pages are only parsed (executing one would run the app).
Exceptions are listed in ALLOWED with the reason they are safe.
"""

from __future__ import annotations

import ast
import collections
import dataclasses
import importlib
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("attention_core", "models", "lessons", "playground")

# (module or page path, name) -> why it is safe although the checks below would flag it
ALLOWED: dict[tuple[str, str], str] = {
    ("playground.server_tuning", "_last_gc"): "the process's clock of its last full garbage collection, written under "
    "a lock; holds no session's data and nothing a session can read",
}

MUTATING_METHODS = frozenset({
    "append", "extend", "insert", "pop", "popitem", "clear", "remove", "update", "setdefault", "add", "discard",
    "sort", "reverse", "appendleft", "extendleft", "popleft", "rotate", "move_to_end", "intersection_update",
    "difference_update", "symmetric_difference_update", "__setitem__", "__delitem__", "__iadd__", "fill", "resize",
    "put", "itemset", "setflags", "partition", "byteswap",
})
WRITES_FIRST_ARG = frozenset({"copyto", "put", "place", "putmask", "fill_diagonal", "shuffle"})
MUTABLE_CALLS = frozenset({"list", "dict", "set", "bytearray", "defaultdict", "OrderedDict", "Counter", "deque"})
ARRAY_CALLS = frozenset({
    "array", "zeros", "ones", "empty", "full", "arange", "linspace", "eye", "identity", "asarray", "zeros_like",
    "ones_like", "empty_like", "full_like", "stack", "vstack", "hstack", "concatenate", "load", "fromfunction",
    "default_rng", "RandomState", "Generator",
})
LEGACY_RANDOM_OK = frozenset({"default_rng", "Generator", "SeedSequence", "PCG64", "PCG64DXSM", "Philox", "SFC64",
                              "BitGenerator", "Random"})
CACHE_DECORATORS = frozenset({"cache", "lru_cache", "cache_resource"})
MUTABLE_ANNOTATIONS = frozenset({"list", "dict", "set", "bytearray", "ndarray", "List", "Dict", "Set", "defaultdict",
                                 "deque", "Counter", "OrderedDict"})


# ---------------------------------------------------------------------------------------------------------------
# What the project contains


def module_files() -> list[tuple[str, Path]]:
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            out.append((".".join(parts), path))
    return out


def page_files() -> list[Path]:
    return sorted((ROOT / "pages").glob("*.py"))


def all_sources() -> list[tuple[str, Path, bool]]:
    """(name used in messages and ALLOWED, file, is_page)."""
    return [(m, p, False) for m, p in module_files()] + [(str(p.relative_to(ROOT)), p, True) for p in page_files()]


# ---------------------------------------------------------------------------------------------------------------
# Is this value mutable?


def is_mutable(value: object) -> bool:
    if isinstance(value, np.ndarray):
        return bool(value.flags.writeable)
    if isinstance(value, (list, dict, set, bytearray, collections.deque, np.random.Generator,
                          np.random.RandomState, random.Random)):
        return True
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return not value.__dataclass_params__.frozen
    return False


def holds_mutable(value: object) -> bool:
    """The value, or one of its entries, can be changed in place."""
    if is_mutable(value):
        return True
    if isinstance(value, (tuple, frozenset)):
        return any(is_mutable(v) for v in value)
    if hasattr(value, "_fields") and isinstance(value, tuple):  # NamedTuple of arrays
        return any(is_mutable(v) for v in value)
    return False


def entries_mutable(value: object) -> bool:
    """Handing out one entry (TABLE[key]) hands out something changeable."""
    if isinstance(value, dict):
        return any(holds_mutable(v) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(holds_mutable(v) for v in value)
    if isinstance(value, np.ndarray):
        return value.dtype == object
    return False


def static_mutable(expr: ast.expr) -> bool:
    """For pages, which are not executed: does this expression obviously build a mutable object?"""
    if isinstance(expr, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    if isinstance(expr, ast.Call):
        func = expr.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in MUTABLE_CALLS:
            return True
        if name in ARRAY_CALLS and isinstance(func, ast.Attribute):
            return _dotted(func).split(".")[0] in ("np", "numpy")
    return False


# ---------------------------------------------------------------------------------------------------------------
# Reading the code


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _base(node: ast.AST) -> tuple[str | None, str | None]:
    """For NAME[...].x or M.NAME[...]: the innermost name, and the attribute right after it (or None)."""
    after = None
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        if isinstance(node, ast.Attribute):
            after = node.attr
        node = node.value
    return (node.id, after) if isinstance(node, ast.Name) else (None, None)


def top_level_bindings(tree: ast.Module) -> dict[str, ast.expr | None]:
    """Names a module binds at its top level (inside if/try/with too), with the expression when it is one."""
    out: dict[str, ast.expr | None] = {}

    def visit(body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            out[name.id] = stmt.value if isinstance(target, ast.Name) else None
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                out[stmt.target.id] = stmt.value
            elif isinstance(stmt, (ast.If, ast.Try, ast.With)):
                for block in (getattr(stmt, "body", []), getattr(stmt, "orelse", []),
                              getattr(stmt, "finalbody", []), *[h.body for h in getattr(stmt, "handlers", [])]):
                    visit(block)

    visit(tree.body)
    return out


def imported_aliases(tree: ast.Module) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """alias -> (module, name) for `from m import name as alias`; alias -> module for `import m as alias`."""
    names, modules = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                names[a.asname or a.name] = (node.module, a.name)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    modules[a.asname] = a.name
    return names, modules


@dataclasses.dataclass
class Finding:
    source: str
    line: int
    name: str
    what: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.what}"


def mutations(node: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """(the expression being changed, how) for each in-place change made by this one node."""
    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    elif isinstance(node, ast.Delete):
        targets = node.targets
    for t in targets:
        for sub in ast.walk(t) if isinstance(t, (ast.Tuple, ast.List)) else [t]:
            if isinstance(sub, (ast.Subscript, ast.Attribute)):
                yield sub, "assigns into"
            elif isinstance(node, ast.AugAssign) and isinstance(sub, ast.Name):
                yield sub, "updates"
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in MUTATING_METHODS:
            yield func.value, f"calls .{func.attr}() on"
        if isinstance(func, ast.Attribute) and func.attr in WRITES_FIRST_ARG and node.args:
            yield node.args[0], f"writes with {func.attr}() into"
        for kw in node.keywords:
            if kw.arg == "out":
                yield kw.value, "writes with out= into"


class Scopes(ast.NodeVisitor):
    """Walks functions with the set of names each one binds locally, so a local that shadows a module-level name
    is not mistaken for it."""

    def __init__(self) -> None:
        self.functions: list[tuple[ast.AST, frozenset[str]]] = []
        self._stack: list[frozenset[str]] = [frozenset()]

    @staticmethod
    def _locals(fn: ast.AST) -> frozenset[str]:
        names = set()
        args = fn.args
        for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if a is not None:
                names.add(a.arg)
        body = fn.body if isinstance(fn.body, list) else [fn.body]
        declared_global = set()
        for stmt in body:
            for node in _own_nodes(stmt):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.id)
                elif isinstance(node, (ast.Global, ast.Nonlocal)):
                    declared_global.update(node.names)
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(node.name)
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    names.update((a.asname or a.name).split(".")[0] for a in node.names)
        return frozenset(names - declared_global)

    def _function(self, node: ast.AST) -> None:
        shadowed = self._stack[-1] | self._locals(node)
        self.functions.append((node, shadowed))
        self._stack.append(shadowed)
        self.generic_visit(node)
        self._stack.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function


def _own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Nodes of `node` not inside a nested function or class (those are scopes of their own)."""
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            yield child  # its name binds here; its body does not
            continue
        yield from _own_nodes(child)


def own_body_nodes(fn: ast.AST) -> Iterator[ast.AST]:
    body = fn.body if isinstance(fn.body, list) else [fn.body]
    for stmt in body:
        yield from _own_nodes(stmt)


# ---------------------------------------------------------------------------------------------------------------
# The checks, as plain functions over one source file (tested on snippets at the bottom)


@dataclasses.dataclass
class Source:
    name: str
    tree: ast.Module
    is_page: bool
    watched: dict[str, tuple[bool, bool]]  # module-level name -> (mutable itself, hands out mutable entries)
    shared: dict[tuple[str, str], tuple[bool, bool]]  # (module, name) -> same, for every project module
    aliases: tuple[dict[str, tuple[str, str]], dict[str, str]] = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        self.aliases = imported_aliases(self.tree)


def watched_names(module: str | None, tree: ast.Module, is_page: bool) -> dict[str, tuple[bool, bool]]:
    out = {}
    bindings = top_level_bindings(tree)
    if is_page or module is None:
        for name, expr in bindings.items():
            if expr is not None and static_mutable(expr):
                out[name] = (True, False)
        return out
    mod = importlib.import_module(module)
    for name in bindings:
        if name in vars(mod):
            value = vars(mod)[name]
            if holds_mutable(value):
                out[name] = (is_mutable(value), entries_mutable(value))
    return out


def check_globals(src: Source) -> list[Finding]:
    return [Finding(src.name, n.lineno, ",".join(n.names), f"`global {', '.join(n.names)}` shares state")
            for n in ast.walk(src.tree) if isinstance(n, ast.Global)]


def _resolve(src: Source, expr: ast.AST, shadowed: frozenset[str]) -> tuple[str, str] | None:
    """(where, name) of the shared object `expr` reaches into, or None if it is not one we watch."""
    base, after = _base(expr)
    if base is None or base in shadowed:
        return None
    if base in src.watched:
        return (src.name, base)
    names, modules = src.aliases
    if base in names and names[base] in src.shared:
        return names[base]
    if base in modules and after is not None and (modules[base], after) in src.shared:
        return (modules[base], after)
    return None


def check_mutations(src: Source) -> list[Finding]:
    found = []
    scopes = Scopes()
    scopes.visit(src.tree)
    places = [(fn, shadowed, own_body_nodes(fn)) for fn, shadowed in scopes.functions]
    # a page's own top level runs per session, but what it imports is shared; a module's top level runs once
    top = [n for stmt in src.tree.body if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
           for n in _own_nodes(stmt)]
    places.append((src.tree, frozenset(), iter(top)))
    for fn, shadowed, nodes in places:
        at_top = fn is src.tree
        for node in nodes:
            for target, how in mutations(node):
                hit = _resolve(src, target, shadowed)
                if hit is None:
                    continue
                own = hit[0] == src.name
                if at_top and own:
                    continue  # building the constant when the module loads (or per run, for a page)
                where = "" if own else f" (defined in {hit[0]})"
                found.append(Finding(src.name, node.lineno, hit[1],
                                     f"{how} module-level {hit[1]}{where}, which every session shares"))
            if isinstance(node, ast.Return) and node.value is not None and not src.is_page:
                hit = _resolve(src, node.value, shadowed)
                if hit is not None:
                    itself, entries = src.shared.get(hit, src.watched.get(hit[1], (False, False)))
                    whole = isinstance(node.value, ast.Name)
                    if (whole and itself) or (not whole and isinstance(node.value, ast.Subscript) and entries):
                        found.append(Finding(src.name, node.lineno, hit[1],
                                             f"returns module-level {hit[1]}{'' if whole else '[...]'} itself: "
                                             "a caller that changes it changes it for every session"))
    return [f for f in found if (f.source, f.name) not in ALLOWED]


def _decorator_names(fn: ast.AST) -> set[str]:
    out = set()
    for d in getattr(fn, "decorator_list", []):
        d = d.func if isinstance(d, ast.Call) else d
        out.add(_dotted(d).split(".")[-1])
    return out


def _mutable_annotation(ann: ast.expr | None) -> bool:
    if ann is None:
        return False
    if isinstance(ann, ast.Subscript):
        return _mutable_annotation(ann.value)
    if isinstance(ann, ast.BinOp):  # X | None
        return _mutable_annotation(ann.left) or _mutable_annotation(ann.right)
    if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
        try:
            return _mutable_annotation(ast.parse(ann.value, mode="eval").body)
        except SyntaxError:
            return False
    return _dotted(ann).split(".")[-1] in MUTABLE_ANNOTATIONS


def _freezes(fn: ast.AST) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and _dotted(node.func).endswith("setflags"):
            return True
        if isinstance(node, ast.Assign) and any(_dotted(t).endswith("flags.writeable") for t in node.targets):
            return True
    return False


def check_cached_results(src: Source) -> list[Finding]:
    found = []
    cached = {}
    for fn in ast.walk(src.tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        decorators = _decorator_names(fn) & CACHE_DECORATORS
        if not decorators:
            continue
        if "cache_resource" in decorators:
            # shared on purpose (loaded weights; docs/ARCHITECTURE.md): the rule is that nobody changes it, checked below
            cached[fn.name] = fn
            continue
        returns_literal = any(isinstance(n, ast.Return) and n.value is not None and static_mutable(n.value)
                              for n in own_body_nodes(fn))
        if (_mutable_annotation(fn.returns) or returns_literal) and not _freezes(fn):
            found.append(Finding(src.name, fn.lineno, fn.name,
                                 f"{fn.name} is cached ({', '.join(sorted(decorators))}) and returns a mutable "
                                 "object: every caller gets the same one (return a tuple, frozenset, "
                                 "MappingProxyType or read-only array)"))
    # a page must not change what st.cache_resource gave it: that object is shared by every session
    if cached:
        holders = {}
        for node in ast.walk(src.tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                callee = _dotted(node.value.func).split(".")[-1]
                if callee in cached:
                    for t in node.targets:
                        for n in ast.walk(t):
                            if isinstance(n, ast.Name):
                                holders[n.id] = callee
        for node in ast.walk(src.tree):
            for target, how in mutations(node):
                base, _ = _base(target)
                if base in holders and not isinstance(target, ast.Name):
                    found.append(Finding(src.name, node.lineno, base,
                                         f"{how} {base}, which came from st.cache_resource {holders[base]}() and is "
                                         "shared by every session"))
    return [f for f in found if (f.source, f.name) not in ALLOWED]


def check_global_random(src: Source) -> list[Finding]:
    found = []
    names, modules = src.aliases
    for node in ast.walk(src.tree):
        if not isinstance(node, ast.Call):
            continue
        dotted = _dotted(node.func)
        parts = dotted.split(".")
        legacy = (len(parts) == 3 and parts[0] in ("np", "numpy") and parts[1] == "random"
                  and parts[2] not in LEGACY_RANDOM_OK)
        stdlib = len(parts) == 2 and parts[0] == "random" and parts[1] not in LEGACY_RANDOM_OK
        imported = len(parts) == 1 and parts[0] in names and names[parts[0]][0] in ("random", "numpy.random") \
            and names[parts[0]][1] not in LEGACY_RANDOM_OK
        if legacy or stdlib or imported:
            found.append(Finding(src.name, node.lineno, dotted,
                                 f"{dotted}() uses the process-wide random state that every session shares; "
                                 "use np.random.default_rng(seed) per call"))
    return [f for f in found if (f.source, f.name) not in ALLOWED]


# ---------------------------------------------------------------------------------------------------------------
# The tests


def shared_objects() -> dict[tuple[str, str], tuple[bool, bool]]:
    """(module, name) -> (mutable itself, hands out mutable entries) for every watched name of every module."""
    shared = {}
    for module, module_path in module_files():
        for n, flags in watched_names(module, ast.parse(module_path.read_text()), False).items():
            shared[(module, n)] = flags
    return shared


def load(name: str, path: Path, is_page: bool, shared: dict[tuple[str, str], tuple[bool, bool]]) -> Source:
    tree = ast.parse(path.read_text(), filename=str(path))
    return Source(name, tree, is_page, watched_names(None if is_page else name, tree, is_page), shared)


SOURCES = all_sources()
IDS = [name for name, _, _ in SOURCES]


@pytest.fixture(scope="module")
def sources() -> dict[str, Source]:
    shared = shared_objects()
    return {name: load(name, path, is_page, shared) for name, path, is_page in SOURCES}


def test_every_package_module_and_page_is_checked():
    names = set(IDS)
    assert {"attention_core", "models.seq2seq.model", "lessons.speed", "playground.figures.base", "pages/home.py"} <= names


@pytest.mark.parametrize("name", IDS)
def test_no_global_statements(sources, name):
    assert not check_globals(sources[name]), "\n".join(map(str, check_globals(sources[name])))


@pytest.mark.parametrize("name", IDS)
def test_module_level_mutables_are_never_changed_or_handed_out(sources, name):
    found = check_mutations(sources[name])
    assert not found, "\n".join(map(str, found))


@pytest.mark.parametrize("name", IDS)
def test_cached_results_are_immutable_and_left_alone(sources, name):
    found = check_cached_results(sources[name])
    assert not found, "\n".join(map(str, found))


@pytest.mark.parametrize("name", IDS)
def test_no_process_wide_random_state(sources, name):
    found = check_global_random(sources[name])
    assert not found, "\n".join(map(str, found))


@pytest.mark.parametrize("module", [m for m, _ in module_files()])
def test_module_level_arrays_are_read_only_or_never_written(sources, module):
    """Every NumPy array a module holds at its top level (directly or inside a tuple/dict/list) is either read-only
    or, if writable, never written anywhere (the mutation check above would name the writer)."""
    mod = importlib.import_module(module)
    writable = []
    for name in top_level_bindings(ast.parse(Path(mod.__file__).read_text())):
        value = vars(mod).get(name)
        items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else [value]
        if any(isinstance(v, np.ndarray) and v.flags.writeable for v in items):
            writable.append(name)
    written = {f.name for f in check_mutations(sources[module])}
    for other in sources.values():
        written |= {f.name for f in check_mutations(other) if f"(defined in {module})" in f.what}
    assert not set(writable) & written, f"{module}: writable module-level arrays that get written: " \
                                        f"{sorted(set(writable) & written)}"


# ---------------------------------------------------------------------------------------------------------------
# The checker itself, on snippets


def _snippet(code: str, is_page: bool = True) -> Source:
    tree = ast.parse(code)
    return Source("snippet", tree, is_page, watched_names(None, tree, True), {})


@pytest.mark.parametrize("code", [
    "CACHE = {}\ndef f(k):\n    CACHE[k] = 1",
    "SEEN = []\ndef f(x):\n    SEEN.append(x)",
    "SEEN = set()\ndef f(x):\n    SEEN.add(x)",
    "T = np.zeros(3)\ndef f():\n    T[0] += 1",
    "T = np.zeros(3)\ndef f(x):\n    np.add(x, 1, out=T)",
    "T = np.zeros((2, 2))\ndef f():\n    T[0][1] = 2",
    "D = {}\ndef f():\n    del D['a']",
    "D = {}\nlambda: D.update(a=1)",
    "D = {}\ndef f():\n    def g():\n        D.clear()\n    return g",
])
def test_checker_flags_changes_to_module_level_mutables(code):
    assert check_mutations(_snippet(code))


@pytest.mark.parametrize("code", [
    "CACHE = {}\ndef f(CACHE):\n    CACHE['k'] = 1",  # a parameter shadows it
    "CACHE = {}\ndef f():\n    CACHE = {}\n    CACHE['k'] = 1",  # so does a local
    "NAMES = ('a', 'b')\ndef f():\n    return NAMES",
    "CACHE = {}\nCACHE['k'] = 1",  # a page's top level runs per session
    "D = {}\ndef f():\n    return D.get('a')",
])
def test_checker_leaves_safe_code_alone(code):
    assert not check_mutations(_snippet(code))


def test_checker_flags_global_statements_random_state_and_mutable_caches():
    assert check_globals(_snippet("X = 0\ndef f():\n    global X\n    X += 1"))
    assert check_global_random(_snippet("import numpy as np\nnp.random.seed(0)\nx = np.random.rand(3)"))
    assert check_global_random(_snippet("import random\nrandom.shuffle(x)"))
    assert not check_global_random(_snippet("import numpy as np\nrng = np.random.default_rng(0)\nrng.normal()"))
    assert check_cached_results(_snippet("import functools\n@functools.cache\ndef f() -> list[int]:\n    return [1]"))
    assert not check_cached_results(_snippet("@st.cache_resource\ndef f():\n    return {}"))
    assert not check_cached_results(_snippet("@functools.lru_cache\ndef f() -> tuple[int, ...]:\n    return (1,)"))
    assert check_cached_results(_snippet("@st.cache_resource\ndef f(): return (1,)\np, q = f()\np.w[0] = 1"))


def test_checker_sees_a_module_changed_from_another_file():
    tree = ast.parse("from attention_core.x import TABLE\ndef f():\n    TABLE['a'] = 1\n"
                     "import attention_core.x as m\nm.TABLE.clear()")
    src = Source("pages/p.py", tree, True, {}, {("attention_core.x", "TABLE"): (True, False)})
    assert len(check_mutations(src)) == 2


def test_runtime_classification():
    ro = np.zeros(2)
    ro.flags.writeable = False
    assert is_mutable([]) and is_mutable({}) and is_mutable(np.zeros(2)) and is_mutable(np.random.default_rng(0))
    assert not is_mutable(ro) and not is_mutable((1, 2)) and not is_mutable(frozenset())
    assert holds_mutable((np.zeros(2),)) and not holds_mutable((ro, "a"))
    assert entries_mutable({"a": np.zeros(2)}) and not entries_mutable({"a": (1, 2)})
