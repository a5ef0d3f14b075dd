"""Bottleneck: a recurrent encoder must fold the whole sentence into its final state, and long sentences suffer.

Controls are read by small functions that return plain values; the numbers come from lessons.seq2seq_views and
the cached work in playground.seq2seq_ui; every sentence formatted from them comes from playground.texts."""

from playground.routing import run_inside_entry

run_inside_entry()  # first, before the page's own imports: see playground/routing.py

import streamlit as st

from lessons.defaults import BOTTLENECK
from lessons.seq2seq_views import attention_focus, compare_influence, curve_shape, largest_step_stretch, pick_sentence
from models import toy_tamil
from playground import seq2seq_ui as ui
from playground.deep_dive import math_link
from playground.export import chart, chart_on_request, matrix_download
from playground.figures.seq2seq import (
    alignment_heatmap,
    alignment_min_width,
    bleu_chart,
    influence_chart,
    source_names,
)
from playground.layout_css import chart_min_widths
from playground.state import init_from_url, parse_choice, parse_float, parse_int, publish
from playground.texts import bottleneck as text
from playground.texts.seq2seq import MODEL_LABELS

LENGTHS = (3, toy_tamil.MAX_SOURCE_LEN)
RHO = (0.5, 1.5)
SOURCES = {"test": "a held-out sentence of the length above", "build": "a sentence I build"}


def influence_controls() -> tuple[int, float, int]:
    """Sentence length, spectral radius of the random RNN, and which held-out sentence of that length."""
    init_from_url("bn_len", BOTTLENECK.length, "len", parse_int(*LENGTHS))
    init_from_url("bn_rho", BOTTLENECK.rho, "rho", parse_float(*RHO))
    init_from_url("bn_pick", 0, "pick", parse_int(0, 10_000))
    left, right = st.columns(2)
    left.slider("Sentence length, in Tamil tokens", *LENGTHS, key="bn_len")
    right.slider(r"Spectral radius $\rho$ of the random RNN's recurrent matrix", *RHO, step=0.05, key="bn_rho",
                 help=text.RHO_HELP)
    left.button("Another held-out sentence of this length", key="bn_another", icon=":material/shuffle:",
                on_click=lambda: st.session_state.update(bn_pick=st.session_state.bn_pick + 1))
    return st.session_state.bn_len, float(st.session_state.bn_rho), st.session_state.bn_pick


def trial_controls() -> tuple[str, dict[str, str] | None]:
    """Where the try-it sentence comes from, and the builder's slots when the visitor builds it."""
    init_from_url("bn_src", "test", "src", parse_choice(SOURCES))
    st.radio("Sentence", list(SOURCES), key="bn_src", format_func=SOURCES.__getitem__, horizontal=True)
    source = st.session_state.bn_src
    return source, ui.sentence_builder("bn", "slots", toy_tamil.BLOG_SLOTS) if source == "build" else None


# ---------------------------------------------------------------------------------------------------------------
st.title("The bottleneck: a whole sentence in one vector")
st.markdown(
    "The first thing that breaks in word-by-word translation is memory. A recurrent encoder reads the Tamil "
    "sentence one token at a time and hands the decoder a single vector, its final state $h_n$; everything the "
    "decoder will ever know about the sentence has to survive inside it. Bahdanau, Cho and Bengio (2014) found that "
    "translation quality falls as sentences get longer, and that letting the decoder look back at every encoder "
    "state stops the fall. Below, two tiny translators trained alike in NumPy on a toy Tamil→English language, full "
    "of names, places and hours that must each reach the English, show both halves."
)
math_link("the-rnn-encoder-and-its-bottleneck")
models = ui.load_models()
if models.error:
    st.error(text.load_error(models.error))
test_set = toy_tamil.held_out_set()

# ---------------------------------------------------------------------------------------------------------------
st.header("How much of each word reaches the final state?")
st.markdown(
    r"For every input position $t$, $\lVert \partial h_n / \partial x_t \rVert$ measures how much the final state "
    "moves when word $t$ changes: computed "
    "exactly by backpropagation through every step. The blue curve is the trained encoder of the model "
    "*without* attention, on a held-out sentence; the red one a random RNN whose recurrent matrix you scale."
)
n, rho, pick = influence_controls()
sentence = pick_sentence(test_set, n, pick)  # None only if the held-out set had no sentence of this length
source, glosses = (sentence.source, sentence.glosses) if sentence else ((), ())

random_curve = ui.random_influence(n, rho)
trained_curve = ui.trained_influence(models.fingerprint, "no_attention", source) if models.by_name and sentence \
    else None
chart(influence_chart(trained_curve, source, glosses, random_curve, rho,
                      trained_name="trained encoder (model without attention)"),
      ("bottleneck", "influence", f"length-{n}", f"rho-{rho}"), key="bn_influence")
st.markdown(text.influence_summary(rho, compare_influence(random_curve, trained_curve), source, glosses))
if sentence:
    st.caption(text.sentence_caption(sentence.source, sentence.english))
st.markdown(text.step_stretch(rho, largest_step_stretch(rho)))
st.markdown(
    "**What to notice.** " + text.curve_notice(curve_shape(random_curve), n) + " Neither regime keeps every word "
    "equally audible. Training shapes the blue curve, but however it spreads the words' influence on $h_n$, all of "
    "them still have to fit into the same single vector; the scores below show what that costs on long sentences."
)

# ---------------------------------------------------------------------------------------------------------------
st.header("Translation quality against sentence length")
if models.by_name:
    with st.spinner(text.accuracy_spinner(len(test_set))):
        accuracy = {name: ui.held_out_accuracy(models.fingerprint, name) for name in MODEL_LABELS}
        bleu = {name: ui.held_out_bleu(models.fingerprint, name) for name in MODEL_LABELS}
    st.markdown(text.same_and_different(ui.fair_comparison(models.fingerprint)))
    chart(bleu_chart(bleu, accuracy, marked_length=n), ("bottleneck", "bleu-by-length"), key="bn_bleu")
    st.markdown(text.results_table(bleu, accuracy))
    st.markdown(text.bleu_summary(bleu, accuracy))
    st.markdown(text.length_notice(bleu, accuracy, n))
    st.markdown(text.paper_figure(bleu))
    st.caption(text.accuracy_caption(len(test_set)))
else:
    st.info("No BLEU curve without the trained weights.")

# ---------------------------------------------------------------------------------------------------------------
st.header("Try it: both translators on one sentence")
kind, slots = trial_controls()
trial = toy_tamil.build(slots) if slots else sentence
publish(len=n, rho=rho, pick=pick, src=kind, **({"slots": ui.encode_slots(slots)} if slots else {}))
if not models.by_name:
    st.info("The translations need the trained weights.")
    st.stop()
if trial is None:
    st.info(text.no_sentence(n))
    st.stop()

st.markdown(text.trial(trial.source, trial.english))
outputs = {name: ui.translation(models.fingerprint, name, trial.source) for name in MODEL_LABELS}
ui.translation_cards(outputs, trial.english)
attended = outputs["attention"]
if not attended.tokens:
    st.info("The model with attention wrote nothing for this sentence, so it has no attention weights to show.")
    st.stop()
name = ("bottleneck", "attention-weights", *trial.source[:4])
if chart_on_request(text.SHOW_WEIGHTS, "bn_show_weights", "weights"):  # the Reordering page's subject, in full
    chart_min_widths({"bn_try_heatmap": alignment_min_width(attended.tokens, len(trial.source))})
    chart(alignment_heatmap(attended.weights, attended.tokens, trial.source, trial.glosses,
                            title="Where the model with attention looked while writing each English word"),
          name, key="bn_try_heatmap")
matrix_download(attended.weights, attended.tokens, source_names(trial.source, trial.glosses), name, key="bn_try_csv")
st.markdown(text.focus_summary(attention_focus(attended.weights), len(trial.source)))
