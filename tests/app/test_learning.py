"""The Learning-to-attend page under AppTest: every number it shows equals models.coreference called directly (the
scores beside the baselines, the head table, the probes, the pointer and every head); the never-trained blog pair
flips; menus, typed sentences and shared links pick the sentence; unknown words, several "it"s and a lone noun get
a message; a sentence outside the grammar gets a note; the snapshot slider moves through training; a live
training starts, progresses, survives reruns and stops."""

from __future__ import annotations

import base64
import json
import time

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.coreference_views import (
    adjective_frame_scores,
    hand_built_pronoun_head,
    hand_built_self_attention,
    head_view,
    probe_results,
    score_table,
)
from models import coreference as model
from playground import learning_ui as ui
from playground.formatting import markdown_table, pct, quoted
from playground.texts import learning as text
from playground.training_queue import TrainingQueue
from tests.app.conftest import all_text, markdown_table_cells, open_page
from tests.app.grid_support import grid_panels
from tests.app.test_training_queue import WAIT_S, Gate, ManualClock, wait_for

PAGE = "pages/learning.py"


@pytest.fixture(scope="module")
def shipped():
    return model.load_shipped()


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


def table(at, columns) -> list[tuple]:
    """The rows of the Markdown table the page drew with these column titles, each cell as the text it shows."""
    head = markdown_table(columns, []).splitlines()[0] + "\n"  # the titles' line (the next one aligns the columns)
    (source,) = [m.value for m in at.markdown if m.value.startswith(head)]
    return markdown_table_cells(source)


def check_sentence(at, tokens, params) -> None:
    """The pointer bars, every block head and the caption: the model called directly on `tokens`."""
    view = head_view(params, tokens)
    if "ln_grid" not in charts(at):  # every head's grid is drawn on request
        assert text.answer_caption(view.answer, view.answer_prob, view.nouns, view.top, grid=False) in all_text(at)
        at.toggle(key="ln_show_grid").set_value(True).run()
        assert at.query_params["heads"] == "1"
    specs = charts(at)
    np.testing.assert_allclose(specs["ln_pointer"]["data"][0]["y"], view.it_row, atol=1e-9)
    grid = specs["ln_grid"]
    n_layers, n_heads, n, _ = view.weights.shape
    np.testing.assert_allclose(grid_panels(grid), view.weights.reshape(n_layers * n_heads, n, n), atol=1e-6)
    assert text.answer_caption(view.answer, view.answer_prob, view.nouns, view.top) in all_text(at)
    note = text.structure_note(view.structure, view.heldout_structure)
    assert note in (all_text(at))


def test_scores_heads_and_probes_are_the_models_numbers(shipped):
    params = shipped
    at = open_page(PAGE)
    folded_head = markdown_table(text.BY_STRUCTURE_COLUMNS, []).splitlines()[0]
    assert not [m for m in at.markdown if m.value.startswith(folded_head)]  # folded: unsent
    at.session_state["ln_structures_box"] = at.session_state["ln_by_structure_box"] = True
    at.run()
    evaluation = model.evaluate(params)
    shown = all_text(at)
    assert text.scores_intro(evaluation["structure_heldout"], evaluation["lookup_baseline"]["structure_heldout"]) in shown
    assert table(at, text.SCORE_COLUMNS) == [(r.label, str(r.size), pct(r.model), pct(r.lookup), pct(r.slot_rule))
                                             for r in score_table(evaluation)]
    assert [r[2] for r in table(at, text.SCORE_COLUMNS)][1] == pct(evaluation["structure_heldout"])
    by_structure = evaluation["structure_heldout_by_structure"]  # each held-out structure, the model called directly
    assert table(at, text.BY_STRUCTURE_COLUMNS) == [(name, pct(x)) for name, x in by_structure.items()]
    assert len(by_structure) == len(model.HELDOUT_STRUCTURES)
    worst = min(by_structure, key=by_structure.get)
    assert text.by_structure_caption(150, worst, by_structure[worst]) in [e.label for e in at.expander]
    resolution = evaluation["head_resolution"]
    blocks = np.array(resolution["blocks"])
    best = np.unravel_index(int(blocks.argmax()), blocks.shape)
    assert text.heads_intro(resolution["pointer"], (int(best[0]), int(best[1])), float(blocks.max()),
                            len(model.make_corpus().structure_heldout), evaluation["structure_heldout"]) in shown
    heads = table(at, text.HEADS_COLUMNS)
    assert heads[0][1] == pct(resolution["pointer"], 1)
    assert [h[1] for h in heads[1:]] == [pct(v, 1) for row in resolution["blocks"] for v in row]
    probes = probe_results(params)
    rows = table(at, text.PROBE_COLUMNS)
    assert [(r[1], r[3], r[4], r[5]) for r in rows] == [
        (p.probe.sentence, p.answer, pct(p.weight), "yes" if p.right else "no") for p in probes]
    assert text.probes_intro(sum(p.right for p in probes), len(probes)) in shown
    for p in probes:  # each probe's answer is the model's, on the sentence as shown
        assert co_answer(params, p.probe.sentence) == p.answer
    by_pair = adjective_frame_scores(params)
    assert text.limit_note(evaluation["adjective_frame_heldout"], [(a, f, x) for (f, a), x in by_pair.items()]) in shown
    structures = table(at, text.STRUCTURE_COLUMNS)
    assert len(structures) == len(model.SKELETONS)
    assert sum(r[1] == text.ROLE_NAMES["held out"] for r in structures) == len(model.HELDOUT_STRUCTURES)
    held = {sk.name for sk in model.HELDOUT_STRUCTURES}
    validation = {sk.name for fold in model.validation_folds() for sk in fold}  # trained, after choosing settings
    assert all((r[0] in held) == (r[1] == text.ROLE_NAMES["held out"]) for r in structures)
    assert all((r[0] in validation) == (r[1] == text.ROLE_NAMES["validation"]) for r in structures)


def co_answer(params, sentence: str) -> str:
    return model.attend(params, sentence).answer


def test_blog_pair_is_never_trained_and_matches_the_model(shipped):
    params = shipped
    at = open_page(PAGE)
    shown = all_text(at)
    train = {s.tokens for s in model.make_corpus().train}
    views = [head_view(params, model.tokenize(s)) for s in model.BLOG_PAIR]
    assert all(tuple(v.tokens) not in train for v in views)
    assert views[0].answer == "animal" and views[1].answer == "street"
    specs = charts(at)
    for i, v in enumerate(views):
        np.testing.assert_allclose(specs[f"ln_pair_{i}"]["data"][0]["y"], v.it_row, atol=1e-9)
        assert text.pair_caption(v.answer, v.answer_prob, v.nouns, v.top) in shown
    trophy = [head_view(params, model.tokenize(s)) for s in model.TROPHY_PAIR]
    assert text.pair_summary([v.answer for v in views], ["tired", "wide"],
                             [(s, v.answer, v.answer_prob) for s, v in zip(model.TROPHY_PAIR, trophy)]) in shown
    assert "moves the pointer from **animal** to **street**" in shown and "never trained on" in shown
    check_sentence(at, model.tokenize(model.BLOG_PAIR[1]), params)  # the default sentence: the "wide" one


def test_menus_build_the_sentence(shipped):
    params = shipped
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
    check_sentence(at, model.tokenize(sentence), params)
    assert at.query_params["adj"] == menus["adj"][-1] and at.query_params["frame"] == "chase"
    at.selectbox(key="ln_frame").set_value("fit").run()  # chase's choices do not fit: the menus start over
    assert at.selectbox(key="ln_n1").value in ui.menu_options("fit")["n1"]
    first = at.selectbox(key="ln_n1").value
    at.selectbox(key="ln_n2").set_value(first if first in ui.menu_options("fit")["n2"] else "box").run()
    at.selectbox(key="ln_n1").set_value(at.selectbox(key="ln_n2").value).run()  # the same noun twice
    assert not at.exception and len(at.error) == 1 and "ln_grid" not in charts(at)


def test_switching_between_menus_and_text_box_keeps_the_sentence(shipped):
    at = open_page(PAGE)
    at.selectbox(key="ln_frame").set_value("chase").run()
    at.selectbox(key="ln_voice").set_value("passive").run()
    built = model.build_sentence("chase", at.session_state["ln_n1"], at.session_state["ln_n2"],
                                 at.session_state["ln_adj"], "passive", at.session_state["ln_verb"])
    at.segmented_control(key="ln_source").set_value("type").run()
    assert at.text_input(key="ln_text").value == built  # the text box starts from the menus' sentence
    check_sentence(at, model.tokenize(built), shipped)
    typed = "the box couldn't hold the ball because it was too small"  # one the menus can build
    at.text_input(key="ln_text").input(typed).run()
    at.segmented_control(key="ln_source").set_value("menus").run()
    assert [at.selectbox(key=f"ln_{k}").value for k in ("frame", "n1", "n2", "adj", "voice")] == \
        ["fit", "ball", "box", "small", "passive"]
    check_sentence(at, model.tokenize(typed), shipped)
    at.segmented_control(key="ln_source").set_value("type").run()
    own = "the old dog didn't cross the road because it was tired"
    at.text_input(key="ln_text").input(own).run()
    at.segmented_control(key="ln_source").set_value("menus").run()  # the menus cannot build it: they stay
    assert at.selectbox(key="ln_n1").value == "ball" and not at.exception
    at.segmented_control(key="ln_source").set_value("type").run()  # and the learner's own sentence is still there
    assert at.text_input(key="ln_text").value == own


def test_typed_sentences_unknown_words_and_what_the_model_needs(shipped):
    params = shipped
    at = open_page(PAGE)
    at.segmented_control(key="ln_source").set_value("type").run()
    at.text_input(key="ln_text").input(model.BLOG_PAIR[0]).run()
    check_sentence(at, model.tokenize(model.BLOG_PAIR[0]), params)
    assert not at.warning  # a trained structure: a quiet caption, no warning
    at.text_input(key="ln_text").input("The zebra didn't cross the street because it was too tired").run()
    assert not at.exception
    (error,) = at.error
    assert "zebra" in error.value and "vocabulary" in error.value
    assert quoted("animal") in all_text(at)  # the vocabulary is listed right there
    assert "ln_grid" not in charts(at) and "ln_pointer" not in charts(at)
    assert "ln_formed_row" in charts(at)  # the snapshots fall back to the blog sentence
    for sentence, needs in (("the dog chased it because it was hungry", "one 'it' per sentence"),
                            ("the dog was tired because it was slow", "two nouns")):
        at.text_input(key="ln_text").input(sentence).run()
        (error,) = at.error
        assert needs in error.value and "ln_pointer" not in charts(at), sentence


def test_a_sentence_outside_the_grammar_gets_a_visible_note(shipped):
    params = shipped
    at = open_page(PAGE, {"source": "type", "sentence": "the street didn't cross the animal because it was too tired"})
    (warning,) = at.warning
    assert "Outside the grammar" in warning.value
    check_sentence(at, model.tokenize("the street didn't cross the animal because it was too tired"), params)
    held = next(s for s in model.make_corpus().structure_heldout)
    at.text_input(key="ln_text").input(held.text).run()
    assert not at.warning and "held out of training" in all_text(at)
    check_sentence(at, held.tokens, params)


def test_shared_link_reopens_a_typed_sentence_and_a_snapshot(shipped, snapshots):
    params = shipped
    k = len(snapshots) // 2
    at = open_page(PAGE, {"source": "type", "sentence": model.BLOG_PAIR[0], "step": str(snapshots[k].step)})
    check_sentence(at, model.tokenize(model.BLOG_PAIR[0]), params)
    assert at.session_state["ln_step"] == snapshots[k].step


def test_the_snapshots_keep_to_the_blog_sentence_whatever_is_built_above(snapshots):
    at = open_page(PAGE)
    before = charts(at)["ln_formed_row"]
    at.segmented_control(key="ln_source").set_value("type").run()
    at.text_input(key="ln_text").input(model.BLOG_PAIR[0]).run()  # another sentence built above
    assert charts(at)["ln_formed_row"] == before  # the same chart: the browser leaves it alone
    assert model.BLOG_PAIR[1] in all_text(at)  # the intro names the sentence the snapshots show


def test_snapshot_slider_walks_through_training(snapshots):
    at = open_page(PAGE)
    tokens = model.tokenize(model.BLOG_PAIR[1])
    for k in (0, len(snapshots) - 1):
        snap = snapshots[k]
        at.select_slider(key="ln_step").set_value(snap.step).run()
        view = head_view(snap.params, tokens)
        specs = charts(at)
        np.testing.assert_allclose(specs["ln_formed_row"]["data"][0]["y"], view.it_row, atol=1e-9)
        assert text.snapshot_caption(snap.step, view.nouns, view.top, view.answer, snap.heldout_accuracy,
                                     snapshots[-1].step) in all_text(at)
        assert at.query_params["step"] == str(snap.step)
    first = head_view(snapshots[0].params, tokens).it_row
    last = head_view(snapshots[-1].params, tokens).it_row
    assert last.max() > 2 * first.max()  # the pointer went from spread out to focused


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
    trainer = model.Trainer(train_config=model.QUICK, seed=3)
    trainer.step(4)
    metrics = trainer.evaluate()
    view = head_view(trainer.params, model.tokenize(model.BLOG_PAIR[0]))
    np.testing.assert_allclose(specs["ln_live_row"]["data"][0]["y"], view.it_row, atol=1e-9)
    assert text.live_caption(4, 4, view.nouns, view.top,
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


class PageGate(Gate):
    """The queue tests' fake training, reporting what the page draws: a real view of the blog's sentence."""

    def __init__(self, values):
        super().__init__()
        self.values = values

    def run(self, seed, total, report, should_stop):
        for step in range(1, total + 1):
            while not self.sem(seed).acquire(timeout=0.01):
                if should_stop():
                    return
            report(step, dict(self.values, measured_at=step))


def progress_label(at) -> str:
    return at.get("progress")[0].proto.text


def test_the_panel_shows_the_time_left_from_the_queues_estimate(monkeypatch, shipped):
    view = head_view(shipped, model.tokenize(model.BLOG_PAIR[0]))
    gate = PageGate(dict(heldout_accuracy=0.5, answer=view.answer, answer_prob=view.answer_prob,
                         it_row=tuple(view.it_row), tokens=view.tokens, it_index=view.it_index, nouns=view.nouns,
                         top=view.top))
    clock = ManualClock()
    queue = TrainingQueue(gate.run, slots=1, clock=clock, abandon_after_s=1e9)
    monkeypatch.setattr(ui, "training_queue", lambda: queue)
    queue.submit("another tab", seed=1, total=20)  # the one slot is taken
    at = open_page(PAGE)
    at.session_state["ln_session"] = "mine"
    at.session_state["ln_test_steps"] = 20
    at.number_input(key="ln_seed").set_value(2).run()
    at.button(key="ln_train").click().run()
    mine = queue.status("mine")
    assert mine.position == 1 and mine.seconds_left is None  # nothing measured yet
    assert text.queue_line(1, 1, None) in all_text(at) and "estimating…" in all_text(at)
    clock.t = 10.0
    gate.release(1, 10)
    wait_for(lambda: queue.status("another tab").steps_done == 10)  # one step a second
    at.run()
    mine = queue.status("mine")
    assert mine.seconds_left == pytest.approx(30.0)  # 10 steps of the other, then its own 20
    assert text.queue_line(1, 1, mine.seconds_left) in all_text(at) and "About **30 s** until yours" in all_text(at)
    gate.release(1, 10)
    wait_for(lambda: queue.status("mine").state == "running")
    at.run()
    # too few steps of its own: the pace of the run before it (20 steps in 10 s)
    assert progress_label(at) == "0 / 20 steps · about 10 s left (measured: 2.0 steps/s)"
    clock.t = 15.0
    gate.release(2, 5)  # 5 steps in 5 s since it started
    wait_for(lambda: queue.status("mine").steps_done == 5)
    at.run()
    mine = queue.status("mine")
    assert progress_label(at) == text.progress_line(5, 20, True, mine.seconds_left)
    assert progress_label(at) == "5 / 20 steps · about 15 s left (measured: 1.0 steps/s)"
    gate.release(2, 15)
    queue.join(WAIT_S)
    at.run()
    assert progress_label(at) == "20 / 20 steps"  # finished: no estimate


def test_time_left_labels():
    assert text.progress_line(0, 900, True, None) == "0 / 900 steps · time left: estimating…"
    assert text.progress_line(900, 900, True, 0.0) == "900 / 900 steps · finishing…"
    assert text.progress_line(60, 900, True, 40.0) == "60 / 900 steps · about 40 s left (measured: 21 steps/s)"
    assert [text.duration(s) for s in (0.4, 38.4, 191, 3600)] == ["5 s", "40 s", "3 min 10 s", "60 min"]


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
    params = shipped
    miss = hand_built_pronoun_head()
    assert miss.wrong_weight > miss.right_weight
    at = open_page("pages/multi_head.py", {"sentence": model.BLOG_PAIR[1]})
    assert text.hand_built_note("head", *miss) in all_text(at)
    spec = charts(at)["mh_grid"]
    assert grid_panels(spec)[0][7, 1] == pytest.approx(miss.wrong_weight, abs=1e-6)  # head 1, it -> animal
    at.toggle(key="mh_trained").set_value(True).run()
    view = head_view(params, model.tokenize(model.BLOG_PAIR[1]))
    grid = charts(at)["mh_trained_grid"]
    np.testing.assert_allclose(grid_panels(grid), view.weights.reshape(-1, *view.weights.shape[2:]), atol=1e-6)
    assert text.trained_caption(view.answer, view.answer_prob, view.nouns, view.top) \
        in all_text(at)
    assert at.query_params["trained"] == "1"
    at.text_input(key="mh_text").input("The cat sat on the mat because it was tired").run()
    assert not at.exception
    assert "Trained heads are not available for this sentence" in all_text(at)
    assert "mh_trained_grid" not in charts(at)
