"""The one list of pages. A page joins it when it works; the entry script and the benchmarks read it from here."""

from __future__ import annotations

from dataclasses import dataclass

from .figures.palette import HIGHLIGHT, PAPER, PRIMARY

# The browser tab's icon: an eye (attention), drawn here and sent inline as SVG. A ":material/...:" page icon would be
# fetched from fonts.gstatic.com, which a classroom without internet cannot reach.
APP_ICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
    f'<path d="M1.5 12Q12 1.5 22.5 12Q12 22.5 1.5 12Z" fill="{PAPER}" stroke="{PRIMARY}" stroke-width="2.2"/>'
    f'<circle cx="12" cy="12" r="4" fill="{HIGHLIGHT}"/></svg>'
)


@dataclass(frozen=True)
class PageInfo:
    path: str  # file, relative to the repository root
    title: str
    icon: str
    url_path: str  # the file's stem: Streamlit's legacy pages/ mode matches a fresh server's first URL by file name
    section: str  # sidebar group
    problem: str = ""  # which of the blog's problems this page answers ("" for none)
    blurb: str = ""  # one line for the home page's map of demos
    opens_with_chart: bool = True  # draws a Plotly chart in its default view (deploy/first_visit.py loads Plotly early)


PAGES: tuple[PageInfo, ...] = (
    PageInfo("pages/home.py", "Home", ":material/home:", "home", "Start"),
    PageInfo("pages/lesson.py", "Lesson", ":material/school:", "lesson", "Start",
             blurb="a guided path through all the demos, one question per step, for a class or on your own"),
    PageInfo("pages/class_poll.py", "Class poll", ":material/groups:", "class_poll", "Start",
             blurb="the whole class answers a question on their own screens; the projector shows the answers live",
             opens_with_chart=False),
    PageInfo("pages/bottleneck.py", "Bottleneck", ":material/compress:", "bottleneck", "Why attention", problem="summary", blurb="how much of each word survives in one vector, and what that does to long sentences"),
    PageInfo("pages/reordering.py", "Reordering", ":material/swap_horiz:", "reordering", "Why attention", problem="order", blurb="a trained model reads Tamil in English order: its attention, word by word"),
    PageInfo("pages/speed.py", "Speed", ":material/speed:", "speed", "Why attention", problem="speed", blurb="n steps in a row against one parallel pass, timed on your machine"),
    PageInfo("pages/self_attention.py", "Self-attention", ":material/hub:", "self_attention", "How it works", problem="mechanism", blurb="every word looks at every other word: pick one and see where it looks"),
    PageInfo("pages/multi_head.py", "Multi-head", ":material/view_module:", "multi_head", "How it works", problem="mechanism", blurb="several heads read one sentence, each looking for something else"),
    PageInfo("pages/learning.py", "Learning to attend", ":material/model_training:", "learning", "How it works",
             problem="mechanism", blurb="a small Transformer trained in NumPy learns what “it” stands for: watch its head form"),
    PageInfo("pages/quiz.py", "Quiz", ":material/quiz:", "quiz", "Check yourself", blurb="questions on every demo, checked as you answer",
             opens_with_chart=False),
    PageInfo("pages/math.py", "Math deep dive", ":material/functions:", "math", "Go deeper",
             blurb="derivations and worked numbers behind each demo, checked by the tests", opens_with_chart=False),
)


def page_by_path(path: str) -> PageInfo | None:
    return next((p for p in PAGES if p.path == path), None)


def page_by_url_path(url_path: str) -> PageInfo | None:
    return next((p for p in PAGES if p.url_path == url_path), None)


def pages_for_problem(problem: str) -> list[PageInfo]:
    return [p for p in PAGES if p.problem == problem]
