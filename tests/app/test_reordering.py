"""The Reordering page under AppTest: the translation, the learned and naive alignments, the reading guide's words and
shares, the three scoring functions and their summary equal the library called directly, for every way of choosing a
sentence; typed input that cannot be translated is refused with the reason."""

from __future__ import annotations

import base64
import json

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.seq2seq_views import (
    SCORINGS,
    mark_words,
    naive_alignment,
    order_jumps,
    pick_sentence,
    reading_guide,
    score_with,
    scoring_summary,
)
from models import seq2seq, toy_tamil
from playground.formatting import pct, quoted
from playground.seq2seq_ui import SLOT_NAMES, encode_slots
from playground.texts.seq2seq import marked_markdown
from tests.app.conftest import all_text, open_page

PAGE = "pages/reordering.py"


@pytest.fixture(scope="module")
def model():
    return seq2seq.load_model("attention")


def array_of(value) -> np.ndarray:
    # Plotly writes NumPy arrays as typed arrays ({"dtype", "bdata", "shape"}); plain lists stay as they are
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        return flat.reshape([int(n) for n in str(value.get("shape", len(flat))).split(",")])
    return np.asarray(value, dtype=float)


HEATMAP_KEYS = ("ro_learned", "ro_scoring_chart")


def spec_of(at, key: str) -> dict:
    (el,) = [e for e in at.get("plotly_chart") if e.proto.id.endswith(f"-{key}")]
    return json.loads(el.proto.spec)


def heatmap(at, key: str) -> tuple[np.ndarray, list[str]]:
    spec = spec_of(at, key)
    return array_of(spec["data"][0]["z"]), [str(t) for t in spec["layout"]["yaxis"]["ticktext"]]


def drawn(at) -> list[str]:
    """The keys of the heatmaps on the page (the chosen scoring only when asked for)."""
    keys = {e.proto.id.rsplit("-", 1)[-1] for e in at.get("plotly_chart")}
    return [k for k in HEATMAP_KEYS if k in keys]


def assert_columns_carry_glosses(at, source: tuple[str, ...]) -> None:
    """Every heatmap's column labels: each Tamil word over its English gloss, whatever the sentence's length."""
    for key in drawn(at):
        ticks = spec_of(at, key)["layout"]["xaxis"]["ticktext"]
        assert ticks == [f"{t}<br><i>{toy_tamil.gloss(t)}</i>" for t in source], key


def check_sentence_view(at, model, source: tuple[str, ...], reference: tuple[str, ...] | None) -> None:
    """Everything shown for one sentence equals the library's numbers for it."""
    assert not at.exception, [e.value for e in at.exception]
    for el in at.get("plotly_chart"):  # the heatmaps are sent as ready specs: Plotly's validation checks them here
        go.Figure(json.loads(el.proto.spec))
    states = seq2seq.attention_states(model, source)
    out = seq2seq.translate(model, source)
    assert out.tokens == states.target
    text = all_text(at)
    if reference is not None:
        assert f"**Model's translation:** {marked_markdown(mark_words(out.tokens, reference))}" in text
        assert f"**Reference:** {' '.join(reference)}" in text
    z, rows = heatmap(at, "ro_learned")
    np.testing.assert_allclose(z, out.weights, rtol=1e-6)
    assert rows == list(out.tokens)
    assert_columns_carry_glosses(at, source)
    boxes = [(sh["y0"] + 0.5, sh["x0"] + 0.5) for sh in spec_of(at, "ro_learned")["layout"]["shapes"]
             if sh["line"].get("dash") == "dot"]  # the left-to-right reading, one dotted box a row
    naive = naive_alignment(len(out.tokens), len(source))
    assert boxes == [(i, int(naive[i].argmax())) for i in range(len(out.tokens))]
    for i, line in enumerate(reading_guide(out.weights, out.tokens)):
        assert (f"{i + 1}. {quoted(line.word)} looks mostly at **{source[line.source]}** "
                f"({toy_tamil.gloss(source[line.source])}), word {line.source + 1}: {pct(line.weight)}") in text
    # the notice's words are read off the drawn heatmap: its flattest and sharpest rows
    top = z.max(axis=1)
    flat, sharp = int(top.argmin()), int(top.argmax())
    assert (f"the flattest here is {quoted(rows[flat])}, whose top Tamil word gets only {pct(top[flat])}, the "
            f"sharpest {quoted(rows[sharp])}, with {pct(top[sharp])}") in text
    guide = reading_guide(out.weights, out.tokens)
    naive_top = naive_alignment(len(out.tokens), len(source)).argmax(axis=1)
    same = sum(line.source == naive_top[i] for i, line in enumerate(guide))
    assert (f"Of the {len(out.tokens)} English words, **{same}** look mostly at the Tamil word a left-to-right "
            f"reading would give them and **{len(out.tokens) - same}** look elsewhere") in text
    assert f"jumps back towards the start of the Tamil sentence **{order_jumps(out.weights)}** time" in text
    results = {name: score_with(model, states, name) for name in SCORINGS}
    shown_on_request = at.toggle(key="ro_show_scorings").value
    assert len(drawn(at)) == (2 if shown_on_request else 1)
    if shown_on_request:  # the chosen scoring, one chart at a time
        name = at.session_state["ro_scoring"]
        z, _ = heatmap(at, "ro_scoring_chart")
        shown = results[name].logits if at.toggle(key="ro_raw").value else results[name].weights  # what softmax saw
        np.testing.assert_allclose(z, shown, rtol=1e-5, atol=1e-6)
        assert spec_of(at, "ro_scoring_chart")["layout"]["title"]["text"].startswith(f"{name} score")
    dot = scoring_summary(results["dot"], results["additive"])
    scaled = scoring_summary(results["scaled dot"], results["additive"])
    assert (f"**dot**: scores span **{dot.score_spread:.1f}** per row, so softmax gives the top word "
            f"**{pct(dot.mean_top_weight)}** on average; it picks the same top word as the trained score for "
            f"**{dot.agree} of {dot.rows}** English words.") in text
    assert f"the spread shrinks to **{scaled.score_spread:.1f}** and the top word gets **{pct(scaled.mean_top_weight)}**" in text


def test_the_blog_sentence_by_default(model):
    at = open_page(PAGE)
    check_sentence_view(at, model, toy_tamil.BLOG_SOURCE, toy_tamil.BLOG_ENGLISH)
    text = all_text(at)
    assert "| **Tamil** | " + " | ".join(toy_tamil.BLOG_SOURCE) + " |" in text  # a table for a short sentence
    assert "| *gloss* | " + " | ".join(f"*{toy_tamil.gloss(t)}*" for t in toy_tamil.BLOG_SOURCE) + " |" in text
    out = seq2seq.translate(model, toy_tamil.BLOG_SOURCE)
    send = out.tokens.index("send") if "send" in out.tokens else None
    if send is not None:  # the blog's example line of the reading guide
        assert int(out.weights[send].argmax()) == toy_tamil.BLOG_SOURCE.index("அனுப்ப")
        assert "`send` looks mostly at **அனுப்ப** (to-send)" in text


def test_scoring_heatmaps_on_request_and_the_raw_scores_toggle(model):
    at = open_page(PAGE)
    assert drawn(at) == ["ro_learned"]  # the bullets tell the scorings apart; the charts on request
    at.toggle(key="ro_show_scorings").set_value(True)
    at.run()
    check_sentence_view(at, model, toy_tamil.BLOG_SOURCE, toy_tamil.BLOG_ENGLISH)
    assert at.query_params["scorings"] == "1"
    at.toggle(key="ro_raw").set_value(True)
    at.run()
    check_sentence_view(at, model, toy_tamil.BLOG_SOURCE, toy_tamil.BLOG_ENGLISH)
    assert at.query_params["raw"] == "1"
    bounds = set()
    for name in SCORINGS:  # flip through the three: each drawn alone, and the URL keeps the choice
        at.segmented_control(key="ro_scoring").set_value(name).run()
        check_sentence_view(at, model, toy_tamil.BLOG_SOURCE, toy_tamil.BLOG_ENGLISH)
        assert at.query_params["scoring"] == name
        heat = spec_of(at, "ro_scoring_chart")["data"][0]
        bounds.add((heat["zmin"], heat["zmax"]))
        assert heat["zmax"] >= np.abs(heatmap(at, "ro_scoring_chart")[0]).max() - 1e-9
    assert len(bounds) == 1  # one colour scale for the three scorings' raw scores: their spreads compare by eye


def test_builder(model):
    at = open_page(PAGE)
    at.radio(key="ro_src").set_value("build")
    at.run()
    check_sentence_view(at, model, toy_tamil.BLOG_SOURCE, toy_tamil.BLOG_ENGLISH)  # the builder starts there
    at.selectbox(key="ro_slot_verb").set_value("give")
    at.run()
    at.selectbox(key="ro_slot_recipient").set_value("manager")
    at.run()
    at.selectbox(key="ro_slot_manner").set_value("quickly")
    at.run()
    built = toy_tamil.build({**toy_tamil.BLOG_SLOTS, "verb": "give", "recipient": "manager", "manner": "quickly"})
    check_sentence_view(at, model, built.source, built.english)  # the glosses under every column included
    assert at.query_params["slots"] == encode_slots({**toy_tamil.BLOG_SLOTS, "verb": "give", "recipient": "manager",
                                                     "manner": "quickly"})


def test_builder_offers_only_grammatical_choices():
    at = open_page(PAGE, query={"src": "build"})
    at.selectbox(key="ro_slot_verb").set_value("read")  # 'read' takes no recipient: that drop-down disappears
    at.run()
    assert not [s for s in at.selectbox if s.key == "ro_slot_recipient"]
    at.selectbox(key="ro_slot_kind").set_value("past")
    at.run()
    times = at.selectbox(key="ro_slot_time").options
    assert not any("by tomorrow" in o for o in times) and any("yesterday" in o for o in times)
    at.selectbox(key="ro_slot_object").set_value("it")  # 'it' takes no determiner or adjective
    at.run()
    assert not [s for s in at.selectbox if s.key in ("ro_slot_object_det", "ro_slot_adj_age")]
    assert not at.exception


@pytest.mark.parametrize(("length", "clicks"), [(4, 0), (12, 2), (27, 1)])
def test_held_out_sentences(model, length, clicks):
    at = open_page(PAGE, query={"src": "test"})
    at.slider(key="ro_len").set_value(length)
    at.run()
    for _ in range(clicks):
        at.button(key="ro_another").click()
        at.run()
    sentence = pick_sentence(toy_tamil.held_out_set(), length, clicks)
    check_sentence_view(at, model, sentence.source, sentence.english)
    if length > 8:  # too long for a table: one wrapping line of numbered words
        first = f"1 **{sentence.source[0]}** *({sentence.glosses[0]})* · 2 **{sentence.source[1]}**"
        assert first in all_text(at)
    assert at.query_params["len"] == str(length) and at.query_params["pick"] == str(clicks)


def test_typed_grammatical_sentence(model):
    text = "நான் நேற்று அந்த report-ஐ அனுப்பினேன்"
    at = open_page(PAGE, query={"src": "type", "text": text})
    sentence = toy_tamil.parse(text.split())
    check_sentence_view(at, model, sentence.source, sentence.english)


def test_typed_unknown_words_are_named():
    at = open_page(PAGE, query={"src": "type", "text": "நாளைக்குள் அந்த banana-ஐ அனுப்ப <b>boom</b>"})
    warnings = [str(w.value) for w in at.warning]
    assert len(warnings) == 1
    assert "`banana-ஐ`" in warnings[0] and "`<b>boom</b>`" in warnings[0] and "2 of them" in warnings[0]
    vocabulary = toy_tamil.source_vocabulary()
    assert f"{vocabulary[0]} *({toy_tamil.gloss(vocabulary[0])})*" in all_text(at)  # the words it does know
    assert not at.get("plotly_chart")


def test_typed_too_long_is_refused_with_the_limit():
    at = open_page(PAGE, query={"src": "type", "text": " ".join(["அதை"] * 51)})
    warnings = [str(w.value) for w in at.warning]
    assert len(warnings) == 1 and "51 tokens" in warnings[0] and f"at most {toy_tamil.MAX_SOURCE_LEN}" in warnings[0]
    assert not at.get("plotly_chart")


def test_typed_known_words_out_of_grammar_are_still_translated(model):
    tokens = ("அனுப்ப", "முடியுமா", "report-ஐ")  # every word known, the order not the grammar's
    at = open_page(PAGE, query={"src": "type", "text": " ".join(tokens)})
    assert any("not a sentence of the toy grammar" in str(i.value) for i in at.info)
    check_sentence_view(at, model, tokens, None)
    assert f"**Model's translation:** {' '.join(seq2seq.translate(model, tokens).tokens)}" in all_text(at)


@pytest.mark.parametrize("text", ["", "   ", "?!", "\u200b\u200b", "x" * 5000])
def test_typed_empty_or_odd_input_never_crashes(text):
    at = open_page(PAGE)
    at.radio(key="ro_src").set_value("type")
    at.run()
    at.text_input(key="ro_text").input(text)
    at.run()
    assert not at.exception
    assert at.info or at.warning
    assert all(len(str(w.value)) < 400 for w in at.warning)  # a huge unknown token is shortened, not echoed


def test_url_reopens_the_same_view(model):
    slots = "must,check,we,tomorrow,-,home,-,-,-,invoice,my,urgent,-,carefully"
    at = open_page(PAGE, query={"src": "build", "slots": slots, "raw": "1", "scorings": "1"})
    assert at.radio(key="ro_src").value == "build" and at.toggle(key="ro_raw").value is True
    built = toy_tamil.build(dict(zip(SLOT_NAMES, slots.split(","), strict=True)))
    check_sentence_view(at, model, built.source, built.english)


@pytest.mark.parametrize("query", [{"src": "nope"}, {"src": "test", "len": "2", "pick": "x"},
                                   {"src": "build", "slots": "can,send"}, {"raw": "maybe"}])
def test_nonsense_in_the_url_falls_back(model, query):
    at = open_page(PAGE, query=query)
    assert not at.exception


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_bad_weights_file_gives_a_clear_error(tmp_path, monkeypatch, damage):
    if damage == "corrupt":
        for name in seq2seq.MODEL_NAMES:
            (tmp_path / f"{name}.npz").write_bytes(b"PK\x03\x04 truncated")
    monkeypatch.setattr(seq2seq, "WEIGHTS_DIR", tmp_path)
    at = open_page(PAGE)
    assert not at.exception
    errors = [str(e.value) for e in at.error]
    assert len(errors) == 1 and "could not be loaded" in errors[0] and damage in errors[0]
    assert not at.get("plotly_chart")
    at.switch_page("pages/home.py")
    at.run()
    assert not at.exception and at.get("plotly_chart")


LONG_SLOTS = {"kind": "must", "verb": "send", "subject": "we", "time": "next_week", "place": "meeting",
              "recipient": "director", "recipient_det": "the", "object": "report", "object_det": "the",
              "adj_opinion": "important", "adj_age": "new", "manner": "quickly"}


def test_a_long_built_sentence_keeps_glosses_and_readable_columns(model):
    """13 Tamil words: the glosses stay under every column, and each chart asks for the width its columns need."""
    from playground.figures.seq2seq import alignment_min_width
    from playground.layout_css import chart_min_widths_css

    built = toy_tamil.build(LONG_SLOTS)
    at = open_page(PAGE, query={"src": "build", "slots": encode_slots(LONG_SLOTS)})
    check_sentence_view(at, model, built.source, built.english)
    out = seq2seq.translate(model, built.source)
    want = chart_min_widths_css(dict.fromkeys(HEATMAP_KEYS, alignment_min_width(out.tokens, len(built.source))))
    assert any(el.proto.body == want for el in at.get("html")), "no minimum width for the long sentence's charts"


def test_story_first_the_formula_in_how_it_is_computed(model):
    # The page opens on the sentence and the picture; the model and its e_ij formula wait in an expander below them.
    at = open_page(PAGE)
    [how] = [e for e in at.expander if e.label.startswith("How it is computed")]
    assert any("e_{ij} = v_a^\\top" in str(m.value) for m in how.markdown)
    top = [str(m.value) for m in at.markdown[:3]]
    assert not any("e_{ij}" in t for t in top)  # not before the sentence picker and the heatmaps
    radio = at.radio(key="ro_src")
    assert radio is not None
