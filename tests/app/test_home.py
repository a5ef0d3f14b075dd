"""The entry script and the home page under AppTest: headings, the map of demos, and the live softmax taste."""

import numpy as np
import pytest

from attention_core import softmax
from playground.formatting import pct
from playground.navigation import PAGES
from tests.app.conftest import all_text, open_page


def test_entry_runs_without_exception(home):
    assert not home.exception
    assert [t.value for t in home.title] == ["Attention Playground"]


def test_home_headings_tell_the_story(home):
    assert [h.value for h in home.header] == [
        "Three problems, one idea",
        "A ten-second taste of attention",
        "How to use the playground",
    ]
    subheaders = [s.value for s in home.subheader]
    for problem in ("The compressed summary", "Word order", "Speed"):
        assert any(problem in s for s in subheaders)


@pytest.mark.parametrize("scores", [(3.0, 0.5, -1.0), (-2.0, 4.5, 0.0), (1.0, 1.0, 1.0), (-5.0, -5.0, 5.0)])
def test_taste_caption_matches_softmax(scores):
    at = open_page("pages/home.py")
    for shelf, value in zip(("Pets", "Cooking", "Astronomy"), scores):
        at.slider(key=f"home_score_{shelf}").set_value(value)
    at.run()
    shares = softmax(np.array(scores))
    top = ("Pets", "Cooking", "Astronomy")[int(np.argmax(shares))]
    assert f"the **{top}** shelf gets **{pct(shares.max())}** of the attention" in all_text(at)


def test_every_navigation_page_file_exists():
    from pathlib import Path

    for info in PAGES:
        assert Path(info.path).is_file(), info.path


def test_newsletter_softmax_claim_is_checked_against_real_softmax(home):
    """The newsletter's 0.2, 0.9, 0.1 -> 10%, 75%, 15% is wrong; the page shows the real shares."""
    real = softmax(np.array([0.2, 0.9, 0.1]))
    np.testing.assert_allclose(real, [0.255, 0.514, 0.231], atol=5e-4)
    text = all_text(home)
    assert "Check the claim" in text
    assert ", ".join(pct(x, 1) for x in real) in text  # 25.5%, 51.4%, 23.1%
    assert f"ln(7.5) = {np.log(7.5):.2f}" in text  # the score gap the claimed 75% : 10% would need


def test_home_does_not_say_attention_fixes_speed(home):
    """An RNN with attention is still sequential; the speed fix is dropping the recurrence."""
    text = all_text(home)
    assert "fixes all three" not in text
    assert "does not fix the third" in text and "Transformer" in text
    assert "verb third" in text and "puts it second" not in text


def test_page_links_are_short_and_their_blurbs_are_whole_captions(home):
    """A link's label is one line (cut mid-word when long): the title links, the blurb wraps below."""
    labels = [link.proto.label for link in home.get("page_link")]
    captions = [c.value for c in home.caption]
    for info in PAGES:
        if info.problem:
            assert info.title in labels
            assert info.blurb in captions
