"""ATTENTION_MATH_DEEP_DIVE.md inside the app: split into sections, with links rewritten for the running app.

The document is written for GitHub (links to page files, `#anchor` links, HTML comments that mark checked examples,
display formulas in ```math blocks). Here each top-level section becomes one view of the Math page, page-file links
become app URLs, anchors point to the Math page's section views, and ```math blocks become $$ blocks, which
Streamlit's Markdown typesets with KaTeX (inline $…$ formulas read the same in both).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import streamlit as st

from .navigation import PAGES

DOC = Path(__file__).resolve().parents[1] / "ATTENTION_MATH_DEEP_DIVE.md"
MATH_PAGE = "pages/math.py"
SKIPPED = ("contents",)  # the table of contents: the page's select box replaces it
MATH_FENCE = re.compile(r"^([ \t]*)```math[ \t]*\n(.*?)^\1```[ \t]*$", re.DOTALL | re.MULTILINE)


class Section(NamedTuple):
    anchor: str  # GitHub-style anchor of its "## " heading
    title: str
    markdown: str  # the section as the app renders it


def anchor_of(title: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def _split(text: str) -> list[tuple[str, str]]:
    # "## Title" starts a section; text before the first one is the preamble, kept under the document's title.
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return [(parts[i].strip(), parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


def display_math(markdown: str) -> str:
    """```math blocks (GitHub's display formulas) -> $$ blocks (Streamlit's), at the same indentation."""
    return MATH_FENCE.sub(lambda m: f"{m[1]}$$\n{m[2]}{m[1]}$$", markdown)


def _rewrite(body: str, parent: dict[str, str]) -> str:
    body = re.sub(r"<!--.*?-->\n?", "", body, flags=re.DOTALL)  # check markers are for the tests, not for readers
    body = display_math(body)
    for info in PAGES:
        body = body.replace(f"]({info.path})", f"](/{info.url_path})")

    def to_section(match: re.Match) -> str:
        anchor = match.group(1)
        return f"](/{_math_url()}?section={parent.get(anchor, anchor)})"

    return re.sub(r"\]\(#([\w\-]+)\)", to_section, body)


def _math_url() -> str:
    return next((p.url_path for p in PAGES if p.path == MATH_PAGE), "math")


@lru_cache(maxsize=1)
def sections() -> tuple[Section, ...]:
    """The document's top-level sections, in order (read once per process; the file does not change at run time)."""
    raw = _split(DOC.read_text(encoding="utf-8"))
    parent: dict[str, str] = {}  # any heading's anchor -> the anchor of the "## " section holding it
    for title, body in raw:
        top = anchor_of(title)
        parent[top] = top
        for sub in re.findall(r"^#{3,6} (.+)$", body, flags=re.MULTILINE):
            parent[anchor_of(sub)] = top
    return tuple(
        Section(anchor_of(title), title, f"## {title}\n{_rewrite(body, parent)}")
        for title, body in raw
        if anchor_of(title) not in SKIPPED
    )


def section_by_anchor(anchor: str) -> Section | None:
    return next((s for s in sections() if s.anchor == anchor), None)


def math_link(anchor: str, prefix: str = "The math behind this demo") -> None:
    """'The math behind this demo' (or `prefix`) link to one section of the Math page."""
    section = section_by_anchor(anchor)
    if section is None:
        raise ValueError(f"ATTENTION_MATH_DEEP_DIVE.md has no section '{anchor}'")
    st.page_link(MATH_PAGE, label=f"{prefix}: {section.title}", icon=":material/functions:",
                 query_params={"section": anchor})
