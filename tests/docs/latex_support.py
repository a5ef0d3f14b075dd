"""Finding the formulas in Markdown and checking that KaTeX (Streamlit) and GitHub will typeset them.

A formula is `$…$` (inline) or a `$$ … $$` / ```math block (display), outside code: fenced blocks and `code` spans
are skipped, so a word typed by a visitor (always code-quoted) never counts. `problems` lists what would break:
an unpaired `$`, unbalanced braces, `\\begin`/`\\end` or `\\left`/`\\right`, a command KaTeX does not know (it would
render in red), and in inline formulas a backslash before ASCII punctuation (GitHub's Markdown would eat it: `\\,`
shows as a comma there).

The real renderer is checked in the browser (tests/e2e/test_layout.py: no KaTeX error on the Math page); these are
the fast checks that say which formula is wrong.
"""

from __future__ import annotations

import re
from typing import NamedTuple

FENCE = re.compile(r"^([ \t]*)```([\w-]*)[ \t]*\n(.*?)^\1```[ \t]*$", re.DOTALL | re.MULTILINE)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
DISPLAY = re.compile(r"\$\$(.*?)\$\$", re.DOTALL)
INLINE = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$(?!\$)", re.DOTALL)
COMMAND = re.compile(r"\\([A-Za-z]+)")

# Every command the playground's formulas use; all of them in KaTeX's supported list. A new one goes here once
# it has been seen to render (a typo such as \sqr would otherwise show in red on the page).
KNOWN_COMMANDS = frozenset((
    "alpha", "approx", "begin", "cdot", "cdots", "cos", "delta", "div", "dots", "end", "exp", "frac", "ge", "in",
    "infty", "lVert", "le", "left", "ln", "log", "lvert", "mathbb", "mathit", "max", "mid", "ne", "odot", "omega",
    "operatorname", "overleftarrow", "overrightarrow", "partial", "pi", "qquad", "rVert", "rho", "right", "rvert",
    "sigma", "sin", "sqrt", "sum", "tanh", "text", "textstyle", "tilde", "times", "to", "top",
))
KNOWN_ENVIRONMENTS = frozenset({"aligned", "gathered", "cases"})


class Formula(NamedTuple):
    latex: str
    display: bool


def strip_code(markdown: str) -> tuple[str, list[Formula]]:
    """The Markdown without code blocks and code spans; ```math blocks are taken out as display formulas."""
    found: list[Formula] = []

    def fence(m: re.Match) -> str:
        if m[2] == "math":
            found.append(Formula(m[3], True))
        return "\n"

    text = FENCE.sub(fence, markdown)
    return CODE_SPAN.sub(" ", text), found


def formulas(markdown: str) -> list[Formula]:
    """Every formula in the Markdown: display blocks first, then the inline ones, each in reading order."""
    text, found = strip_code(markdown)
    found += [Formula(m[1], True) for m in DISPLAY.finditer(text)]
    found += [Formula(m[1], False) for m in INLINE.finditer(DISPLAY.sub(" ", text))]
    return found


def _unescaped_dollars(text: str) -> int:
    return len(re.findall(r"(?<!\\)\$", text))


def _brace_problem(latex: str) -> str | None:
    depth = 0
    for ch in re.sub(r"\\[{}]", "", latex):
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return "a } closes nothing"
    return "a { is never closed" if depth else None


def formula_problems(f: Formula) -> list[str]:
    """What would stop one formula from rendering as written."""
    latex, out = f.latex, []
    if not latex.strip():
        out.append("empty formula")
    if (brace := _brace_problem(latex)) is not None:
        out.append(brace)
    begins, ends = re.findall(r"\\begin\{(\w+)\}", latex), re.findall(r"\\end\{(\w+)\}", latex)
    if begins != ends[::-1] and sorted(begins) != sorted(ends):
        out.append(f"\\begin {begins} against \\end {ends}")
    if unknown := set(begins) - KNOWN_ENVIRONMENTS:
        out.append(f"environments not in the known list: {sorted(unknown)}")
    if len(re.findall(r"\\left\b", latex)) != len(re.findall(r"\\right\b", latex)):
        out.append("\\left and \\right are not paired")
    if unknown := set(COMMAND.findall(latex)) - KNOWN_COMMANDS:
        out.append(f"commands not in the known list: {sorted(unknown)}")
    if not f.display:
        if latex != latex.strip():
            out.append("space just inside a $: GitHub and KaTeX then leave it as text")
        if "\n\n" in latex:
            out.append("an inline formula across a paragraph break")
        if m := re.search(r"\\[!-/:-@\[-`{-~]", latex):
            out.append(f"{m[0]!r} in an inline formula: GitHub's Markdown eats the backslash")
    return out


def problems(markdown: str) -> list[str]:
    """Every problem in the Markdown's formulas, each naming its formula; [] when all will render."""
    text, _ = strip_code(markdown)
    out = []
    if DISPLAY.sub(" ", text).count("$$"):
        out.append("a $$ block is never closed")
    for paragraph in re.split(r"\n\s*\n", DISPLAY.sub(" ", text)):
        if _unescaped_dollars(paragraph) % 2:
            out.append(f"an unpaired $ in: {paragraph.strip()[:120]!r}")
    for f in formulas(markdown):
        out += [f"{p}: {f.latex.strip()[:100]!r}" for p in formula_problems(f)]
    return out
