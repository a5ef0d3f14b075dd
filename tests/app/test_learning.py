"""The Learning-to-attend page under AppTest: every number it shows equals models.coreference called directly; the
blog pair flips; menus, typed sentences and shared links pick the sentence; unknown words get a message; the
snapshot slider moves through training; a live training starts, progresses, survives reruns and stops."""

from __future__ import annotations

import base64
import json
import time

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.coreference_views import hand_built_pronoun_head, hand_built_self_attention, head_view
from models import coreference as model
from playground import learning_ui as ui
from playground.formatting import quoted
from playground.texts import learning as text
from tests.app.conftest import all_text, open_page

PAGE = "pages/learning.py"


@pytest.fixture(scope="module")
def shipped():
    params = model.load_shipped()
    return params, tuple(int(v) for v in model.resolving_head(params))


@pytest.fixture(scope="module")
def snapshots():
    return model.load_snapshots()


def charts(at) -> dict[str, dict]:
    """Every chart the page sent, by key, as its Plotly spec (validated by Plotly on the way)."""
    out = {}
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        go.Figure(spec)
        out[el.proto.id.rsplit("-", 1)[-1]] = spec
    return out


def values(trace_value) -> np.ndarray:
    if isinstance(trace_value, dict) and "bdata" in trace_value:
        flat = np.frombuffer(base64.b64decode(trace_value["bdata"]), dtype=np.dtype(trace_value["dtype"]))
        return flat.reshape([int(n) for n in str(trace_value.get("shape", len(flat))).split(",")])
    return np.asarray(trace_value, dtype=float)


def check_grid(at, tokens, params, head) -> None:
    view = head_view(params, tokens, head)
    grid = charts(at)["ln_grid"]
    n_layers, n_heads, n, _ = view.weights.shape
    assert len(grid["data"]) == n_layers * n_heads
    for i, trace in enumerate(grid["data"]):
        np.testing.assert_allclose(values(trace["z"]), view.weights[i // n_heads, i % n_heads], atol=5e-5)  # sent to 4 decimals
    titles = [a["text"] for a in grid["layout"]["annotations"]]
    marked = [t for t in titles if "◀" in t]
    assert len(marked) == 1 and f"L{head[0] + 1} H{head[1] + 1}" in marked[0]
    assert text.grid_caption(*head, view.answer, view.answer_prob, view.nouns, view.top) in all_text(at)


def test_blog_pair_flips_and_matches_the_model(shipped):
    params, head = shipped
    at = open_page(PAGE)
    shown = all_text(at)
    views = [head_view(params, model.tokenize(s), head) for s in model.BLOG_PAIR]
    assert views[0].answer == "animal" and views[1].answer == "street"  # the model resolves both blog sentences
    specs = charts(at)
    for i, v in enumerate(views):
        np.testing.assert_allclose(specs[f"ln_pair_{i}"]["data"][0]["y"], v.it_row, atol=1e-9)
        assert text.pair_caption(v.answer, v.answer_prob, *head, v.nouns, v.top) in shown
    assert "flips the answer from **animal** to **street**" in shown
    # whether the head's preference flips too is the model's to learn (tests/models); the page says what it does
    assert text.pair_summary([v.answer for v in views], [v.focus.word for v in views], ["tired", "wide"]) in shown
    check_grid(at, model.tokenize(model.BLOG_PAIR[1]), params, head)  # the default sentence: the "wide" one


def test_menus_build_the_sentence(shipped):
    params, head = shipped
    at = open_page(PAGE)
    assert at.selectbox(key="ln_frame").options == [ui.FRAME_LABELS[f] for f in model.MENUS["frames"]]
    at.selectbox(key="ln_frame").set_value("chase").run()  # its nouns, verbs, adjectives and a voice menu appear
    menus = ui.menu_options("chase")
    assert at.selectbox(key="ln_voice").options == list(menus["voice"])
    at.selectbox(key="ln_adj").set_value(menus["adj"][-1]).run()
    at.selectbox(key="ln_voice").set_value("passive").run()
    state = at.session_state
    sentence = model.build_sentence("chase", state["ln_n1"], state["ln_n2"], state["ln_adj"], "passive",
                                    state["ln_verb"])
    assert not at.exception
    check_grid(at, model.tokenize(sentence), params, head)
    assert at.query_params["adj"] == menus["adj"][-1] and at.query_params["frame"] == "chase"
    at.selectbox(key="ln_frame").set_value("fit").run()  # chase's choices do not fit: the menus start over
    assert at.selectbox(key="ln_n1").value in ui.menu_options("fit")["n1"]
    assert not [s for s in at.selectbox if s.key == "ln_voice" and len(s.options) > 1]
    first = at.selectbox(key="ln_n1").value
    at.selectbox(key="ln_n2").set_value(first).run()  # the same noun twice
    assert not at.exception and len(at.error) == 1 and "ln_grid" not in charts(at)


def test_typed_sentence_and_unknown_words(shipped):
    params, head = shipped
    at = open_page(PAGE)
    at.segmented_control(key="ln_source").set_value("type").run()
    at.text_input(key="ln_text").input(model.BLOG_PAIR[0]).run()
    check_grid(at, model.tokenize(model.BLOG_PAIR[0]), params, head)
    at.text_input(key="ln_text").input("The zebra didn't cross the street because it was too tired").run()
    assert not at.exception
    (error,) = at.error
    assert "zebra" in error.value and "vocabulary" in error.value
    assert quoted("animal") in all_text(at)  # the vocabulary is listed right there
    assert "ln_grid" not in charts(at)
    assert "ln_formed_row" in charts(at)  # the snapshots fall back to the blog sentence


def test_shared_link_reopens_a_typed_sentence_and_a_snapshot(shipped, snapshots):
    params, head = shipped
    k = len(snapshots) // 2
    at = open_page(PAGE, {"source": "type", "sentence": model.BLOG_PAIR[0], "step": str(snapshots[k].step)})
    check_grid(at, model.tokenize(model.BLOG_PAIR[0]), params, head)
    assert at.session_state["ln_step"] == snapshots[k].step


def test_snapshot_slider_walks_through_training(shipped, snapshots):
    _, head = shipped
    at = open_page(PAGE)
    tokens = model.tokenize(model.BLOG_PAIR[1])
    for k in (0, len(snapshots) - 1):
        snap = snapshots[k]
        at.select_slider(key="ln_step").set_value(snap.step).run()
        view = head_view(snap.params, tokens, head)
        specs = charts(at)
        np.testing.assert_allclose(specs["ln_formed_row"]["data"][0]["y"], view.it_row, atol=1e-9)
        assert text.snapshot_caption(snap.step, *head, view.nouns, view.top, view.answer,
                                     view.answer_prob, snap.heldout_accuracy, snapshots[-1].step) in all_text(at)
        assert at.query_params["step"] == str(snap.step)
    first = head_view(snapshots[0].params, tokens, head).it_row
    last = head_view(snapshots[-1].params, tokens, head).it_row
    assert last.max() > first.max()  # the head went from spread out to focused


def wait_until(at, condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, all_text(at)[-2000:]
        time.sleep(0.05)
        at.run()
        assert not at.exception, [e.value for e in at.exception]


def test_training_starts_progresses_survives_reruns_and_finishes():
    at = open_page(PAGE)
    at.session_state["ln_test_steps"] = 4
    at.number_input(key="ln_seed").set_value(3).run()
    at.button(key="ln_train").click().run()
    assert not at.exception
    wait_until(at, lambda: "Training with seed 3 finished: 4 steps." in all_text(at))
    assert at.get("progress")[0].proto.value == 100
    specs = charts(at)
    assert "ln_live_row" in specs and "ln_live_acc" in specs
    steps = specs["ln_live_acc"]["data"][0]["x"]
    assert steps[0] == 0 and steps[-1] == 4
    # the same training, run here: the live row and caption show its numbers (training is seeded)
    trainer = model.Trainer(seed=3)
    trainer.step(4)
    metrics = trainer.evaluate()
    view = head_view(trainer.params, model.tokenize(model.BLOG_PAIR[0]), tuple(metrics["resolving_head"]))
    np.testing.assert_allclose(specs["ln_live_row"]["data"][0]["y"], view.it_row, atol=1e-9)
    assert text.live_caption(4, 4, view.layer, view.head, view.nouns, view.top,
                             metrics["heldout_accuracy"], 4) in all_text(at)
    at.run()  # a rerun shows the same finished training, it does not start another
    assert "Training with seed 3 finished: 4 steps." in all_text(at)
    assert not at.button(key="ln_train").disabled and at.button(key="ln_stop").disabled


def test_training_stops_on_request():
    at = open_page(PAGE)
    at.session_state["ln_test_steps"] = 100_000
    at.button(key="ln_train").click().run()
    assert at.button(key="ln_stop").disabled is False and at.button(key="ln_train").disabled
    at.run()  # a rerun while it runs keeps the same training
    at.button(key="ln_stop").click().run()
    wait_until(at, lambda: "stopped at step" in all_text(at))
    assert not at.button(key="ln_train").disabled


# ---- the honesty notes on the hand-built pages ------------------------------------------------------------------


def page_links(at) -> list[str]:
    return [el.proto.page for el in at.get("page_link")]


def test_self_attention_says_its_link_is_hand_made_and_shows_the_wide_sentence_fail():
    miss = hand_built_self_attention()
    assert miss.wrong_weight > miss.right_weight  # the point of the note: the hand-built vectors get it wrong
    at = open_page("pages/self_attention.py", {"text": model.BLOG_PAIR[1]})
    assert text.hand_built_note("lexicon", *miss) in all_text(at)
    assert any(p.endswith("learning.py") or p == "learning" for p in page_links(at)), page_links(at)
    # the note's number is the one the page's own heatmap shows for that sentence, as it opens
    (heat,) = [el for el in at.get("plotly_chart") if el.proto.id.endswith("-sa_heatmap")]
    spec = json.loads(heat.proto.spec)
    rows = [str(t) for t in spec["layout"]["yaxis"]["ticktext"]]
    z = values(spec["data"][0]["z"])
    assert z[rows.index("it"), rows.index("animal")] == pytest.approx(miss.wrong_weight, abs=1e-9)


def test_multi_head_says_its_pronoun_head_is_hand_made_and_offers_trained_heads(shipped):
    params, head = shipped
    miss = hand_built_pronoun_head()
    assert miss.wrong_weight > miss.right_weight
    at = open_page("pages/multi_head.py", {"sentence": model.BLOG_PAIR[1]})
    assert text.hand_built_note("head", *miss) in all_text(at)
    spec = charts(at)["mh_grid"]
    assert values(spec["data"][0]["z"])[7, 1] == pytest.approx(miss.wrong_weight, abs=1e-6)  # head 1, it -> animal
    at.toggle(key="mh_trained").set_value(True).run()
    view = head_view(params, model.tokenize(model.BLOG_PAIR[1]), head)
    grid = charts(at)["mh_trained_grid"]
    n_heads = view.weights.shape[1]
    for i, trace in enumerate(grid["data"]):
        np.testing.assert_allclose(values(trace["z"]), view.weights[i // n_heads, i % n_heads], atol=5e-5)  # sent to 4 decimals
    assert text.trained_caption(*head, view.answer, view.answer_prob, view.nouns, view.top) \
        in all_text(at)
    assert at.query_params["trained"] == "1"
    at.text_input(key="mh_text").input("The cat sat on the mat because it was tired").run()
    assert not at.exception
    assert "Trained heads are not available for this sentence" in all_text(at)
    assert "mh_trained_grid" not in charts(at)
