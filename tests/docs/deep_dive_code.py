"""The kernel's code beside its formulas: ATTENTION_MATH_DEEP_DIVE.md's ```python blocks, copied from attention_core.

The document marks where code goes with a pair of comments that name functions by module path:

    <!-- code: attention_core.attention.softmax attention_core.attention._softmax -->
    <!-- /code -->

Everything between the two is written here: the file the functions live in, then their source as
`inspect.getsource` reads it, one ```python block for the group. Nobody edits a block by hand, so it cannot drift
from the code: tests/docs/test_deep_dive_code.py fails while a block differs from the source, and

    python -m tests.docs.deep_dive_code --write      # refill every block after attention_core changed
    python -m tests.docs.deep_dive_code --check      # exit 1 and name the stale blocks
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "ATTENTION_MATH_DEEP_DIVE.md"

# One region: its opening comment (the names), what is between, its closing comment.
REGION = re.compile(r"(<!-- code: ([\w. ]+?) -->\n)(.*?)(<!-- /code -->)", re.S)


def resolve(dotted: str):
    """'attention_core.attention._softmax' -> the function (the longest importable prefix is the module)."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ValueError(f"{dotted!r} names no module")


def render(names: list[str]) -> str:
    """What belongs between a region's comments: the file, then each function's source, in one ```python block."""
    functions = [resolve(n) for n in names]
    files = {Path(inspect.getsourcefile(f)).resolve().relative_to(ROOT).as_posix() for f in functions}
    if len(files) != 1:
        raise ValueError(f"one block shows one file; {names} live in {sorted(files)}")
    sources = "\n\n\n".join(inspect.getsource(f).rstrip("\n") for f in functions)
    return f"`{files.pop()}`:\n\n```python\n{sources}\n```\n"


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def regions(text: str | None = None) -> list[tuple[list[str], str]]:
    """Each region of the document: (the names it shows, what it holds now)."""
    return [(m[2].split(), m[3]) for m in REGION.finditer(doc_text() if text is None else text)]


def refreshed(text: str) -> str:
    """The document with every region refilled from the current source."""
    return REGION.sub(lambda m: m[1] + render(m[2].split()) + m[4], text)


def stale(text: str | None = None) -> list[str]:
    """The regions (by their names) whose content is not the current source."""
    return [" ".join(names) for names, held in regions(text) if held != render(names)]


def main(args: list[str]) -> int:
    text = doc_text()
    if args == ["--write"]:
        new = refreshed(text)
        if new != text:
            DOC.write_text(new, encoding="utf-8")
        print(f"{len(regions(text))} code blocks, {len(stale(text))} rewritten")
        return 0
    if args == ["--check"]:
        old = stale(text)
        for names in old:
            print(f"stale: {names}")
        return 1 if old else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
