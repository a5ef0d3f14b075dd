"""Where the quiz points a learner: each topic's label and demo page, and the title of a deep-dive section.

lessons.quiz names topics and sections by plain identifiers; this is the one place that turns them into what the
quiz page shows and links to.
"""

from __future__ import annotations

from collections.abc import Iterable

from lessons.quiz import TOPICS

from .deep_dive import section_by_anchor
from .navigation import PageInfo, page_by_path

# topic -> what the learner sees, in the bank's order
TOPIC_LABELS = dict(zip(TOPICS, (
    "The compressed summary (bottleneck)",
    "Word order (reordering)",
    "Speed",
    "Self-attention",
    "Multi-head attention",
    "The math",
), strict=True))

# topic -> the demo to revisit (the math has its own page, reached through the section instead)
DEMO_PAGES = {
    "bottleneck": "pages/bottleneck.py",
    "reordering": "pages/reordering.py",
    "speed": "pages/speed.py",
    "self-attention": "pages/self_attention.py",
    "multi-head": "pages/multi_head.py",
}


def demo_page(topic: str) -> PageInfo | None:
    """The demo page of a topic, while it is in the navigation; None for the math or a page not (yet) listed."""
    path = DEMO_PAGES.get(topic)
    return page_by_path(path) if path else None


def demo_pages(topics: Iterable[str]) -> list[PageInfo]:
    """The demo pages of these topics, each once, in the order of their files."""
    paths = sorted({DEMO_PAGES[t] for t in topics if t in DEMO_PAGES})
    return [info for info in map(page_by_path, paths) if info is not None]


def section_title(anchor: str) -> str:
    """The heading of a deep-dive section ("" for an anchor the document does not have)."""
    section = section_by_anchor(anchor)
    return section.title if section else ""
