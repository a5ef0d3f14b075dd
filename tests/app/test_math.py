"""The Math page shows ATTENTION_MATH_DEEP_DIVE.md section by section, with links that work inside the app."""

import re

import pytest

from playground.deep_dive import DOC, anchor_of, display_math, section_by_anchor, sections
from playground.navigation import PAGES
from tests.app.conftest import open_page
from tests.docs.deep_dive_code import regions, render
from tests.docs.latex_support import formulas, problems


def test_every_top_level_heading_but_contents_is_a_section():
    headings = re.findall(r"^## (.+)$", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert [s.title for s in sections()] == [h for h in headings if h != "Contents"]


def test_sections_hide_check_markers_and_point_links_into_the_app():
    url_paths = {p.url_path for p in PAGES}
    for s in sections():
        assert "<!--" not in s.markdown
        assert "](pages/" not in s.markdown, s.anchor
        for target in re.findall(r"\]\((/[^)\s]*)\)", s.markdown):
            path, _, query = target[1:].partition("?")
            assert path in url_paths, (s.anchor, target)
            if query:
                assert section_by_anchor(query.removeprefix("section=")) is not None, (s.anchor, target)


def test_anchor_matches_github_style():
    assert anchor_of("Complexity: recurrent versus self-attention") == "complexity-recurrent-versus-self-attention"
    assert anchor_of("Why divide by the square root of d") == "why-divide-by-the-square-root-of-d"


@pytest.mark.parametrize("anchor", ["scaled-dot-product-attention", "masking", "the-gradient-of-softmax"])
def test_url_opens_the_section(anchor):
    at = open_page("pages/math.py", query={"section": anchor})
    assert at.selectbox(key="math_section").value == anchor
    assert any(m.value.startswith(f"## {section_by_anchor(anchor).title}") for m in at.markdown)


def test_nonsense_section_falls_back_to_the_first():
    at = open_page("pages/math.py", query={"section": "<script>"})
    assert at.selectbox(key="math_section").value == sections()[0].anchor


def test_display_formulas_reach_streamlit_as_dollar_blocks():
    """GitHub's ```math blocks become $$ blocks (what Streamlit's KaTeX typesets), none lost, all renderable."""
    raw = DOC.read_text(encoding="utf-8")
    shown = "\n".join(s.markdown for s in sections())
    assert "```math" not in shown
    assert shown.count("$$") == 2 * raw.count("```math")
    assert not problems(shown), problems(shown)
    assert display_math("1. step\n\n   ```math\n   a^2\n   ```\n") == "1. step\n\n   $$\n   a^2\n   $$\n"


def test_code_blocks_reach_the_page_as_the_source():
    """The kernel's source beside its formulas shows on the page as it is in the file: a ```python block."""
    shown = "\n".join(s.markdown for s in sections())
    for names, _ in regions():
        assert render(names) in shown, names
    at = open_page("pages/math.py", query={"section": "masking"})
    page = "\n".join(m.value for m in at.markdown)
    assert "```python\ndef _masked(" in page and "```python\ndef softmax(" in page


def test_whole_document_shows_every_section():
    at = open_page("pages/math.py")
    at.selectbox(key="math_section").set_value("whole-document").run()
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert len(formulas(shown)) == sum(len(formulas(s.markdown)) for s in sections())
    for s in sections():
        assert f"## {s.title}" in shown
    assert at.query_params["section"] == "whole-document"


@pytest.mark.parametrize("path", ["pages/bottleneck.py", "pages/reordering.py", "pages/speed.py",
                                  "pages/self_attention.py", "pages/multi_head.py"])
def test_every_demo_links_to_the_math_behind_it(path):
    at = open_page(path)
    links = [el.proto for el in at.get("page_link")]
    math = [p for p in links if p.label.startswith("The math behind this demo: ")]
    assert math, f"{path} has no math link"
    titles = {s.title for s in sections()}
    assert all(p.label.removeprefix("The math behind this demo: ") in titles for p in math)
