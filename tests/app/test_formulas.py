"""The pages' formulas are LaTeX that KaTeX can typeset, and none is left as plain text.

Every page is opened in its default view (and a few views with more formulas); everything it writes as text, and
every widget label, is checked with tests/docs/latex_support.py: `$` paired, braces and environments balanced, only
known KaTeX commands. Then, outside formulas and code, no formula written in plain letters may remain (`h_n`, `√d`,
`Kᵀ`, `O(n)`, ...). Chart titles are Plotly text, which KaTeX does not reach, and are not checked here.
"""

from __future__ import annotations

import re

import pytest

from playground.navigation import PAGES
from tests.app.conftest import all_text, open_page
from tests.docs.latex_support import DISPLAY, INLINE, problems, strip_code

VIEWS = [(p.path, {}) for p in PAGES] + [
    ("pages/self_attention.py", {"tab": "Why divide by √d?"}),  # the √d tab's name is its URL value: kept plain
    ("pages/self_attention.py", {"scale": "0", "temp": "2", "causal": "1", "proj": "random", "pos": "1"}),
    ("pages/bottleneck.py", {"rho": "1.5"}),
    ("pages/bottleneck.py", {"rho": "0.5"}),
    ("pages/multi_head.py", {"heads": "1"}),
] + [("pages/lesson.py", {"step": str(i)}) for i in (2, 5, 6, 9, 10, 11, 12)]  # the steps with formulas
WIDGETS = ("toggle", "slider", "selectbox", "radio", "checkbox", "text_input", "button", "number_input",
           "select_slider", "expander")
PLAIN_FORMULA = re.compile(r"[√ᵀ²³∂ρσ‖Σ]|\b[A-Za-z]_[A-Za-z0-9(]|\bO\(|\b[a-z]\^\w|\b[a-zA-Z] [×·] [a-zA-Z]\b|\b[nmdhPkrT] [=<>≤≥] \d")
ALLOWED_PLAIN = {"Why divide by √d?"}  # a tab's name, which the URL carries (tab=...) and shared links rely on


def shown_text(at) -> str:
    labels = [str(w.label) for kind in WIDGETS for w in getattr(at, kind, [])]
    return all_text(at) + "\n" + "\n".join(labels)


def plain_formulas(text: str) -> list[str]:
    """Formula-looking text outside $…$ and code, each with a little context."""
    rest, _ = strip_code(text)
    rest = INLINE.sub(" ", DISPLAY.sub(" ", rest))
    for allowed in ALLOWED_PLAIN:
        rest = rest.replace(allowed, " ")
    return [rest[max(0, m.start() - 40): m.end() + 20] for m in PLAIN_FORMULA.finditer(rest)]


@pytest.mark.parametrize(("path", "query"), VIEWS, ids=[f"{p}{'?' + str(q) if q else ''}" for p, q in VIEWS])
def test_formulas_render_and_none_is_left_plain(path, query):
    at = open_page(path, query)
    text = shown_text(at)
    assert not problems(text), problems(text)
    assert not plain_formulas(text), plain_formulas(text)


def test_quiz_questions_typeset_their_formulas():
    """The quiz's prompts and explanations (lessons/quiz.py, shown with st.markdown) follow the same rules."""
    from lessons.quiz import question_bank

    for q in question_bank():
        for text in (q.prompt, q.explanation):
            assert not problems(text), (q.id, problems(text))
            assert not plain_formulas(text), (q.id, plain_formulas(text))
