"""Guess first, under AppTest, on every page that offers it: the chosen word's row is hidden (no number of it on
screen) until the learner picks a word; then the shown numbers equal the library's, the guess is marked, and the
session's tally counts."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lessons.guess import Tally, hide_row, is_right, top_keys
from models import seq2seq, toy_tamil
from playground.figures.multi_head import head_grid_cell
from playground.formatting import pct
from tests.app.conftest import all_text, open_page
from tests.app.grid_support import grid_panels
from tests.app.test_multi_head import expected as mh_expected
from tests.app.test_self_attention import CAT, array
from tests.app.test_self_attention import expected as sa_expected

SA, MH, RO = "pages/self_attention.py", "pages/multi_head.py", "pages/reordering.py"


def spec(at, key: str) -> dict:
    (el,) = [e for e in at.get("plotly_chart") if e.proto.id.endswith(f"-{key}")]
    return json.loads(el.proto.spec)


def keys(at) -> list[str]:
    return [e.proto.id.rsplit("-", 1)[-1] for e in at.get("plotly_chart")]


def question(at, prefix: str):
    found = [b for b in at.get("button_group") if b.key.startswith(f"{prefix}_guess_pick_")]
    assert len(found) <= 1
    return found[0] if found else None


def dashed_boxes(s: dict) -> list[dict]:
    return [b for b in s["layout"].get("shapes", []) if b.get("line", {}).get("dash") == "dash"]


def percentages(row: np.ndarray) -> set[str]:
    return {pct(v) for v in row if v > 0.005}


# ---- the pure part ---------------------------------------------------------------------------------------------
def test_right_means_a_largest_weight_and_ties_count():
    assert is_right(np.array([0.1, 0.7, 0.2]), 1) and not is_right(np.array([0.1, 0.7, 0.2]), 2)
    assert top_keys(np.array([0.4, 0.4, 0.2])) == [0, 1] and is_right(np.array([0.4, 0.4, 0.2]), 0)
    assert top_keys(np.array([])) == []
    assert Tally().add(True).add(False).add(True) == Tally(2, 3)
    w = np.arange(12.0).reshape(2, 2, 3)
    hidden = hide_row(w, 1)
    assert np.isnan(hidden[:, 1]).all() and np.array_equal(hidden[:, 0], w[:, 0]) and not np.isnan(w).any()


# ---- Self-attention --------------------------------------------------------------------------------------------
def test_self_attention_hides_then_reveals_the_row_of_it():
    at = open_page(SA, {"guess": "1", "text": CAT, "word": "it", "bars": "1"})
    tokens, res = sa_expected(CAT)
    q = tokens.index("it")
    row = res.weights[q]
    assert at.toggle(key="sa_guess").value and at.selectbox(key="sa_query").value == q
    # before: the row is empty cells marked "?", the other rows are the library's; no bars, no caption, no CSV
    heat = spec(at, "sa_heatmap")
    z = array(heat["data"][0]["z"])
    assert np.isnan(z[q]).all()
    assert np.allclose(np.delete(z, q, axis=0), np.delete(res.weights, q, axis=0), atol=1e-12)
    assert set(heat["data"][0]["text"][q]) == {"?"}
    assert "sa_bar" not in keys(at) and not at.get("download_button")
    text = all_text(at)
    assert "of its attention on" not in text and "What to notice" not in text
    assert not (percentages(row) - percentages(np.delete(res.weights, q, axis=0).ravel())) & set(text.split())
    assert "is hidden" in text
    # guess "cat": the row is revealed, equal to the library's, the guess is boxed, the verdict and tally shown
    cat = tokens.index("cat")
    question(at, "sa").set_value(cat).run()
    assert not at.exception
    assert np.allclose(array(spec(at, "sa_heatmap")["data"][0]["z"]), res.weights, atol=1e-12)
    bar = spec(at, "sa_bar")
    assert np.allclose(np.asarray(bar["data"][0]["x"], dtype=float), row, atol=1e-12)
    (box,) = dashed_boxes(spec(at, "sa_heatmap"))
    assert (box["x0"] + 0.5, box["y0"] + 0.5) == (cat, q)
    right = is_right(row, cat)
    verdict = [m.value for m in at.markdown if "This session" in m.value]
    assert verdict and ("**Right:**" in verdict[0]) == right and verdict[0].endswith(f"{int(right)} of 1 right.")
    assert "of its attention on" in all_text(at)
    assert question(at, "sa").disabled and question(at, "sa").value == cat  # answered and locked


def test_tally_counts_across_words_and_pages_once_per_guess():
    at = open_page(SA, {"guess": "1", "text": CAT, "word": "it"})
    tokens, res = sa_expected(CAT)
    right = 0
    for word in ("it", "sat", "mat"):
        q = tokens.index(word)
        at.selectbox(key="sa_query").set_value(q).run()
        row = res.weights[q]
        wrong = int(np.argmin(np.where(np.arange(len(row)) == q, 2.0, row)))  # a word it does not look at most
        pick = int(np.argmax(row)) if word != "sat" else wrong
        right += is_right(row, pick)
        question(at, "sa").set_value(pick).run()
        at.run()  # a rerun does not count the same guess twice
        assert question(at, "sa").disabled
    assert right == 2
    assert any(m.value.endswith("2 of 3 right.") for m in at.markdown)
    at.switch_page(MH).run()
    at.toggle(key="mh_guess").set_value(True).run()
    question(at, "mh").set_value(0).run()
    assert any(m.value.endswith(" of 4 right.") for m in at.markdown)


def test_guess_off_shows_everything_and_leaves_the_url():
    at = open_page(SA, {"text": CAT, "word": "it", "bars": "1"})
    assert not at.toggle(key="sa_guess").value and question(at, "sa") is None and "sa_bar" in keys(at)
    assert "guess" not in at.query_params
    at.toggle(key="sa_guess").set_value(True).run()
    assert question(at, "sa") is not None and at.query_params["guess"] in (["1"], "1")


# ---- Multi-head ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("head", [0, 2])
def test_multi_head_hides_the_row_in_every_head_until_the_guess(head):
    at = open_page(MH, {"guess": "1", "word": "it", "word_chart": "1"})
    tokens, result, _ = mh_expected()
    q = tokens.index("it")
    if head:
        at.selectbox(key="mh_guess_head").set_value(head).run()
    grids = list(grid_panels(spec(at, "mh_grid")))
    assert all(np.isnan(g[q]).all() for g in grids)
    assert np.allclose(np.delete(np.stack(grids), q, axis=1), np.delete(result.weights, q, axis=1), atol=1e-12)
    assert "mh_word_heads" not in keys(at) and not at.dataframe
    row = result.weights[head, q]
    question(at, "mh").set_value(int(np.argmax(row))).run()
    assert np.allclose(grid_panels(spec(at, "mh_grid")), result.weights, atol=1e-6)
    (box,) = dashed_boxes(spec(at, "mh_grid"))
    y, x = head_grid_cell(len(result.weights), len(tokens), head, q, int(np.argmax(row)))
    assert box["xref"] == "x" and box["y0"] + 0.5 == y and box["x0"] + 0.5 == x
    assert any("**Right:**" in m.value and m.value.endswith("1 of 1 right.") for m in at.markdown)
    assert "mh_word_heads" in keys(at)


# ---- Reordering ------------------------------------------------------------------------------------------------
def test_reordering_hides_one_english_word_until_the_guess():
    at = open_page(RO, {"guess": "1", "word": "send"})
    out = seq2seq.translate(seq2seq.load_model("attention"), toy_tamil.BLOG_SOURCE)
    i = list(out.tokens).index("send")
    assert at.selectbox(key="ro_guess_row").value == i
    z = array(spec(at, "ro_learned")["data"][0]["z"])
    assert np.isnan(z[i]).all() and np.allclose(np.delete(z, i, axis=0), np.delete(out.weights, i, axis=0), rtol=1e-6)
    assert "Reading guide" not in all_text(at) and not [k for k in keys(at) if k.startswith("ro_scoring")]
    verb = toy_tamil.BLOG_SOURCE.index("அனுப்ப")
    question(at, "ro").set_value(verb).run()
    np.testing.assert_allclose(array(spec(at, "ro_learned")["data"][0]["z"]), out.weights, rtol=1e-6)
    assert is_right(out.weights[i], verb)
    assert any("**Right:**" in m.value for m in at.markdown) and "Reading guide" in all_text(at)
