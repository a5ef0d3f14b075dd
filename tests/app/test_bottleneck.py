"""The Bottleneck page under AppTest: every number it shows (influence curves and their ratios, BLEU and exact match
per length bucket, parameter counts and training settings, both translations and their marks, the attention
weights) equals the library called directly or the evaluation shipped with the weights."""

from __future__ import annotations

import base64
import json

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.seq2seq_views import decay_per_step, mark_words, pick_sentence, sentences_of_length
from models import seq2seq, toy_tamil
from models.rnn import elman_influence_curve
from playground.formatting import pct
from playground.seq2seq_ui import SLOT_NAMES, encode_slots, weights_fingerprint
from playground.texts.seq2seq import marked_markdown, ratio_text
from tests.app.conftest import all_text, open_page

PAGE = "pages/bottleneck.py"


@pytest.fixture(scope="module")
def models():
    return seq2seq.load_models()


@pytest.fixture(scope="module")
def test_set():
    return toy_tamil.held_out_set()


def chart(at, key: str) -> dict:
    (el,) = [e for e in at.get("plotly_chart") if e.proto.id.endswith(f"-{key}")]
    return json.loads(el.proto.spec)


def array_of(value) -> np.ndarray:
    # Plotly writes NumPy arrays as typed arrays ({"dtype", "bdata", "shape"}); plain lists stay as they are
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        return flat.reshape([int(n) for n in str(value.get("shape", len(flat))).split(",")])
    return np.asarray(value, dtype=float)


def markdown(at) -> list[str]:
    return [str(m.value) for m in at.markdown]


def test_default_view_influence_matches_the_library(models, test_set):
    at = open_page(PAGE)
    sentence = pick_sentence(test_set, 20, 0)
    trained = seq2seq.encoder_input_influence(models["no_attention"], sentence.source)
    random = elman_influence_curve(20, 0.9)
    spec = chart(at, "bn_influence")
    assert spec["layout"]["yaxis"]["type"] == "log"
    np.testing.assert_allclose(spec["data"][0]["y"], trained, rtol=1e-12)
    np.testing.assert_allclose(spec["data"][1]["y"], random, rtol=1e-12)
    assert spec["data"][0]["x"] == list(range(1, 21))
    text = all_text(at)
    assert (f"the first of the 20 words moves $h_n$ **{ratio_text(random[0] / random[-1])}** as much as the last "
            f"word does: a factor of **{decay_per_step(random):.3f}** per step back") in text
    strongest = int(np.argmax(trained))
    assert f"**{ratio_text(trained[0] / trained[-1])}** as much as the last word" in text
    assert f"a factor of **{decay_per_step(trained):.3f}** per step back" in text
    assert f"word {strongest + 1}, {sentence.source[strongest]} ({sentence.glosses[strongest]})" in text
    assert " ".join(sentence.source) in text


@pytest.mark.parametrize(("length", "rho"), [(3, 0.5), (12, 1.0), (30, 1.5)])
def test_length_and_rho_sliders_recompute(models, test_set, length, rho):
    at = open_page(PAGE)
    at.slider(key="bn_len").set_value(length)
    at.slider(key="bn_rho").set_value(rho)
    at.run()
    assert not at.exception
    random = elman_influence_curve(length, rho)
    spec = chart(at, "bn_influence")
    np.testing.assert_allclose(spec["data"][1]["y"], random, rtol=1e-12)
    sentence = pick_sentence(test_set, length, 0)
    np.testing.assert_allclose(spec["data"][0]["y"],
                               seq2seq.encoder_input_influence(models["no_attention"], sentence.source), rtol=1e-12)
    assert rf"$\rho = {rho:.2f}$, the first of the {length} words" in all_text(at)
    assert at.query_params["len"] == str(length) and at.query_params["rho"] == str(rho)


def test_another_sentence_button_walks_the_held_out_set(test_set):
    at = open_page(PAGE, query={"len": "9"})
    for k in (1, 2):
        at.button(key="bn_another").click()
        at.run()
        sentence = pick_sentence(test_set, 9, k)
        assert f"The sentence (held-out, 9 tokens): {' '.join(sentence.source)}" in all_text(at)
        assert at.query_params["pick"] == str(k)


@pytest.fixture(scope="module")
def stored_numbers(test_set) -> dict:
    """What `evaluate --json` reports, from the shipped evaluation the page reads (tests/models checks that file
    against a live translation)."""
    from models.seq2seq import stored

    out: dict = {"exact": {}, "bleu": {}, "params": {}, "steps": {}}
    for name in seq2seq.MODEL_NAMES:
        out["exact"][name] = seq2seq.decoding.accuracy(stored.stored_exact(name, test_set), test_set)
        out["bleu"][name] = seq2seq.bleu_by_bucket(stored.stored_bleu(name, test_set), test_set)
        out["params"][name] = seq2seq.parameter_count(seq2seq.load_model(name))
        out["steps"][name] = seq2seq.training_settings(seq2seq.weights_path(name))
    return out


def test_bleu_curve_table_and_sentences_equal_the_stored_evaluation(stored_numbers, test_set):
    at = open_page(PAGE)
    text = all_text(at)
    bleu, exact = stored_numbers["bleu"], stored_numbers["exact"]
    labels = [f"{lo}-{hi}" for lo, hi in toy_tamil.LENGTH_BUCKETS]
    spec = chart(at, "bn_bleu")
    go.Figure(spec)
    assert spec["layout"]["xaxis"]["ticktext"] == labels
    for name, label in (("no_attention", "without attention"), ("attention", "with attention")):
        row = f"| {label} | " + " | ".join(f"BLEU {bleu[name][b]:.1f} · {pct(exact[name][b], 1)} exact"
                                            for b in labels) + " |"
        assert row in text, (row, text)
        (trace,) = [t for t in spec["data"] if t["name"] == label]
        np.testing.assert_allclose(trace["y"], [bleu[name][b] for b in labels])
        assert trace["text"] == [f"{bleu[name][b]:.1f}" for b in labels]  # the number on each point
        assert trace["x"] == [(lo + hi) / 2 for lo, hi in toy_tamil.LENGTH_BUCKETS]
    first, last = labels[0], labels[-1]
    no_att = bleu["no_attention"]
    assert (f"Without attention, BLEU goes from **{no_att[first]:.1f}** on {first}-token sentences to "
            f"**{no_att[last]:.1f}** on {last}-token ones (**{pct(no_att[last] / no_att[first])}** of its "
            f"short-sentence score") in text
    assert (f"and exact match from **{pct(exact['no_attention'][first], 1)}** to "
            f"**{pct(exact['no_attention'][last], 1)}**") in text
    assert f"With attention, BLEU goes from **{bleu['attention'][first]:.1f}**" in text
    # what is the same and what differs, with the numbers of the weights files
    params, steps = stored_numbers["params"], stored_numbers["steps"]
    assert steps["attention"] == steps["no_attention"]
    assert (f"the same training: {steps['attention']['steps']:,} steps of {steps['attention']['batch_size']} "
            f"sentences drawn from the same {steps['attention']['n_train']:,}") in text
    assert (f"the model without attention with {params['no_attention']:,} trained numbers and the one with attention "
            f"with {params['attention']:,}") in text
    assert "RNNencdec-50" in text and "never falls to zero" in text  # the paper's own curve, described
    assert (f"without attention the longest sentences keep {pct(no_att[last] / no_att[first])} of the shortest ones' "
            f"BLEU, with attention {pct(bleu['attention'][last] / bleu['attention'][first])}") in text
    assert f"{len(test_set):,} held-out sentences" in text


def test_every_bleu_and_percentage_shown_is_a_stored_figure(stored_numbers):
    """No number in the results section is typed in: each BLEU and each exact-match percentage on the page is one of
    the stored evaluation's bucket figures (or a ratio of two of them)."""
    import re

    at = open_page(PAGE)
    text = all_text(at)
    section = text[text.index("The same in both"): text.index("In the paper.")]
    shown_bleu = set(re.findall(r"BLEU (?:goes from \*\*)?(\d+\.\d)", section))
    shown_bleu |= set(re.findall(r"to \*\*(\d+\.\d)\*\* on", section))
    stored = {f"{v:.1f}" for name in seq2seq.MODEL_NAMES for v in stored_numbers["bleu"][name].values()}
    assert shown_bleu and shown_bleu <= stored, shown_bleu - stored
    shown_pct = set(re.findall(r"(\d+\.\d%) exact", section))
    stored_pct = {pct(v, 1) for name in seq2seq.MODEL_NAMES for v in stored_numbers["exact"][name].values()}
    assert shown_pct and shown_pct <= stored_pct, shown_pct - stored_pct


def test_try_it_shows_both_translations_marked(models, test_set):
    at = open_page(PAGE, query={"len": "16", "pick": "2", "weights": "1"})
    sentence = pick_sentence(test_set, 16, 2)
    texts = markdown(at)
    for name in ("no_attention", "attention"):
        out = seq2seq.translate(models[name], sentence.source)
        assert marked_markdown(mark_words(out.tokens, sentence.english)) in texts
    att = seq2seq.translate(models["attention"], sentence.source)
    spec = chart(at, "bn_try_heatmap")
    go.Figure(spec)  # sent as a ready spec: Plotly's validation checks it here
    np.testing.assert_allclose(array_of(spec["data"][0]["z"]), att.weights, rtol=1e-6)
    assert [str(t) for t in spec["layout"]["yaxis"]["ticktext"]] == list(att.tokens)
    assert f"**{pct(att.weights.max(axis=1).mean())}** of each step's attention" in all_text(at)


def test_wrong_words_are_struck_through_not_only_coloured(models, test_set):
    """A held-out sentence the model without attention gets wrong: each wrong word is struck through and flagged ✗
    on screen, and the verdict counts them. The longest sentences are where that model fails most, so the search
    is certain to find one (asserted, not skipped)."""
    n = max(len(s.source) for s in test_set)
    same = sentences_of_length(test_set, n)
    found = ((k, s, seq2seq.translate(models["no_attention"], s.source).tokens) for k, s in enumerate(same))
    found = next(((k, s, out) for k, s, out in found
                  if any(m.status == "wrong" for m in mark_words(out, s.english))), None)
    assert found is not None, f"the model without attention gets all {len(same)} sentences of {n} tokens right"
    k, sentence, out = found
    at = open_page(PAGE, query={"len": str(n), "pick": str(k)})
    assert at.slider(key="bn_len").value == n and at.session_state["bn_pick"] == k
    marked = mark_words(out, sentence.english)
    wrong = [m.word for m in marked if m.status == "wrong"]
    shown = markdown(at)
    assert marked_markdown(marked) in shown
    page = "\n".join(shown)
    for word in wrong:
        assert f"~~{word}~~ ✗" in page, word
    assert any(f"✗ {len(wrong)} wrong word" in t for t in shown)


def test_builder_translates_the_built_sentence(models):
    at = open_page(PAGE)
    at.radio(key="bn_src").set_value("build")
    at.run()
    blog = toy_tamil.build(toy_tamil.BLOG_SLOTS)
    assert f"**Reference**: {' '.join(blog.english)}" in all_text(at)
    at.selectbox(key="bn_slot_kind").set_value("past")
    at.run()
    # a past statement needs a subject and cannot take "by tomorrow": the builder fell back to grammatical choices
    assert at.selectbox(key="bn_slot_subject").value == "i"
    assert at.selectbox(key="bn_slot_time").value == "-"
    at.selectbox(key="bn_slot_time").set_value("yesterday")
    at.run()
    slots = {**toy_tamil.BLOG_SLOTS, "kind": "past", "subject": "i", "time": "yesterday"}
    built = toy_tamil.build(slots)
    assert built.source[0] == "நான்" and "நேற்று" in built.source
    texts = markdown(at)
    for name in ("no_attention", "attention"):
        out = seq2seq.translate(models[name], built.source)
        assert marked_markdown(mark_words(out.tokens, built.english)) in texts
    assert " ".join(built.source) in all_text(at)
    assert at.query_params["src"] == "build" and at.query_params["slots"] == encode_slots(slots)


def test_url_reopens_the_same_view(test_set):
    slots = "should,check,we,today,-,office,-,-,-,budget,our,-,final,carefully"
    at = open_page(PAGE, query={"len": "7", "rho": "1.25", "pick": "3", "src": "build", "slots": slots})
    assert at.slider(key="bn_len").value == 7
    assert at.slider(key="bn_rho").value == 1.25
    assert at.selectbox(key="bn_slot_verb").value == "check"
    assert at.selectbox(key="bn_slot_adj_age").value == "final"
    built = toy_tamil.build(dict(zip(SLOT_NAMES, slots.split(","), strict=True)))
    assert f"**Reference**: {' '.join(built.english)}" in all_text(at)
    assert " ".join(pick_sentence(test_set, 7, 3).source) in all_text(at)


@pytest.mark.parametrize("query", [{"len": "99", "rho": "nan", "pick": "-4", "src": "<b>x</b>"},
                                   {"slots": "can,send,they,yesterday,-,-,-,-,-,-,-,-,-,-"}, {"slots": "<script>"}])
def test_nonsense_in_the_url_falls_back_to_defaults(query):
    at = open_page(PAGE, query=query)
    assert not at.exception
    assert at.slider(key="bn_len").value in (20, int(query.get("len", 20)))
    assert at.slider(key="bn_rho").value == 0.9


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_bad_weights_file_gives_a_clear_error_and_the_rest_works(tmp_path, monkeypatch, damage):
    for name in seq2seq.MODEL_NAMES:
        if damage == "corrupt":
            (tmp_path / f"{name}.npz").write_bytes(b"not a zip file at all")
    monkeypatch.setattr(seq2seq, "WEIGHTS_DIR", tmp_path)
    at = open_page(PAGE)
    assert not at.exception
    errors = [str(e.value) for e in at.error]
    assert len(errors) == 1 and "could not be loaded" in errors[0]
    assert damage in errors[0] and "python -m models.seq2seq train" in errors[0]
    spec = chart(at, "bn_influence")  # the random RNN needs no weights
    assert len(spec["data"]) == 1
    np.testing.assert_allclose(spec["data"][0]["y"], elman_influence_curve(20, 0.9), rtol=1e-12)
    assert "No BLEU curve without the trained weights." in all_text(at)
    # another page still works in the same session
    at.switch_page("pages/home.py")
    at.run()
    assert not at.exception and [t.value for t in at.title] == ["Attention Playground"]


def test_caption_helpers():
    from lessons.seq2seq_views import MarkedWord, compare_influence, mistakes
    from playground.texts.bottleneck import influence_summary
    from playground.texts.seq2seq import plural, verdict

    assert ratio_text(0.0031) == "1/323" and ratio_text(2.5) == "2.5 times" and ratio_text(1e-9) == "1.0e-09 times"
    assert plural(1, "wrong word") == "1 wrong word" and plural(0, "wrong word") == "0 wrong words"
    marked = [MarkedWord("can", "ok"), MarkedWord("sent", "wrong"), MarkedWord("send", "missing")]
    assert marked_markdown(marked) == "can ~~sent~~ ✗ [missing: *send*]"  # struck and flagged, not only coloured
    assert mistakes(marked) == (1, 1) and mistakes(marked[:1]) == (0, 0)
    assert verdict(*mistakes(marked)) == "✗ 1 wrong word, 1 missing word"
    assert verdict(*mistakes(marked[:1])).startswith("✓")
    assert "no first-to-last ratio" in influence_summary(1.0, compare_influence(np.array([0.0, 1.0])), (), ())


def test_fingerprint_changes_with_the_files(tmp_path, monkeypatch):
    monkeypatch.setattr(seq2seq, "weights_path", lambda name: tmp_path / f"{name}.npz")
    missing = weights_fingerprint()
    assert all(size is None for _, _, size, _ in missing)
    (tmp_path / "attention.npz").write_bytes(b"x")
    assert weights_fingerprint() != missing


def test_one_step_can_grow_below_rho_one():
    """At the default ρ = 0.9 one step can stretch by σ_max(W_h) ≈ 1.51, shown and computed."""
    from lessons.seq2seq_views import largest_step_stretch
    from models.rnn import elman_init

    at = open_page(PAGE)
    stretch = np.linalg.svd(elman_init(16, 32, 0.9, 0).w_h, compute_uv=False)[0]
    assert stretch == pytest.approx(largest_step_stretch(0.9)) and stretch > 1
    shown = all_text(at)
    assert f"largest singular value **{stretch:.2f}**: a single step can stretch" in shown
    assert "Below 1 each step shrinks" not in shown


def test_rho_above_one_describes_the_u_shaped_curve():
    """At ρ = 1.5, n = 20 the curve falls from word 1 to a minimum inside and rises to the end."""
    at = open_page(PAGE, query={"len": "20", "rho": "1.5"})
    curve = elman_influence_curve(20, 1.5)
    low = int(np.argmin(curve))
    assert 0 < low < 19 and curve[0] > 1.5 * curve[low] and curve[-1] > 1.5 * curve[low]
    shown = all_text(at)
    assert (f"U-shaped: word 1 moves $h_n$ by {curve[0]:.3g}, the last word by {curve[-1]:.3g}, and in between it "
            f"falls to {curve[low]:.3g} at word {low + 1}") in shown
    assert "exploding sensitivity, not memory" in shown
    assert "ruled by noise from long ago" not in shown


def test_the_try_it_heatmap_is_drawn_on_request_and_its_summary_and_csv_always():
    """The attention model's weights on the try-it sentence cost a chart per key press: off by default, on with the
    switch (kept in the URL); the sentence saying where it looked and the CSV of the same matrix are always there."""
    at = open_page(PAGE, query={"len": "16", "pick": "2"})
    assert not any("bn_try_heatmap" in el.proto.id for el in at.get("plotly_chart"))
    assert "of each step's attention" in all_text(at)
    assert any("bn_try_csv" in b.proto.id for b in at.get("download_button"))
    at.toggle(key="bn_show_weights").set_value(True).run()
    assert any("bn_try_heatmap" in el.proto.id for el in at.get("plotly_chart"))
    assert at.query_params["weights"] in ("1", ["1"])
