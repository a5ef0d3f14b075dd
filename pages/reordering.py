"""Reordering: Tamil is verb-final, English is not; with attention the decoder reads the source in English order."""

import streamlit as st

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
from models import toy_tamil
from playground import seq2seq_text as text
from playground import seq2seq_ui as ui
from playground.deep_dive import math_link
from playground.figures.seq2seq import alignment_heatmap
from playground.routing import run_inside_entry
from playground.state import parse_bool, parse_choice, parse_int, parse_text, publish, seed

run_inside_entry()

SOURCES = {"blog": "the blog's sentence", "build": "build one", "test": "a held-out sentence", "type": "type Tamil"}
MAX_CHARS = 600  # typed text beyond this is cut before tokenizing, with a warning
LENGTHS = (3, toy_tamil.MAX_SOURCE_LEN)

st.title("Word order: reading the source out of order")
st.markdown(
    "The second thing that breaks in word-by-word translation is order. Tamil puts the verb at the end and the "
    "question marker after it, so reading left to right gives *by tomorrow that report send can-you?*, while English "
    "wants *can you send the report by tomorrow*. A decoder with attention is free to look at any source word at each "
    "step; below, a tiny model trained in NumPy shows where it actually looks."
)
math_link("bahdanau-additive-attention")
models = ui.load_models()
if models.error:
    st.error("The trained translator could not be loaded, so this page cannot show its attention; every other page "
             f"works as usual. The loader said: {models.error}")
    st.stop()

# ---------------------------------------------------------------------------------------------------------------
seed("ro_src", "blog", "src", parse_choice(SOURCES))
seed("ro_len", 8, "len", parse_int(*LENGTHS))
seed("ro_pick", 0, "pick", parse_int(0, 10_000))
seed("ro_text", " ".join(toy_tamil.BLOG_SOURCE), "text", parse_text(MAX_CHARS))
st.radio("Sentence", list(SOURCES), key="ro_src", format_func=SOURCES.__getitem__, horizontal=True)
kind = st.session_state.ro_src
sentence = toy_tamil.build(toy_tamil.BLOG_SLOTS) if kind == "blog" else None  # a Sentence has its reference
tokens: tuple[str, ...] = ()
if kind == "build":
    slots = ui.sentence_builder("ro", "slots", toy_tamil.BLOG_SLOTS)
    sentence = toy_tamil.build(slots)
    publish(slots=ui.encode_slots(slots))
if kind == "test":
    left, right = st.columns([3, 2])
    left.slider("Source length, in Tamil tokens", *LENGTHS, key="ro_len")
    right.button("Another held-out sentence", key="ro_another", icon=":material/shuffle:",
                 on_click=lambda: st.session_state.update(ro_pick=st.session_state.ro_pick + 1))
    sentence = pick_sentence(toy_tamil.held_out_set(), st.session_state.ro_len, st.session_state.ro_pick)
    publish(len=st.session_state.ro_len, pick=st.session_state.ro_pick)
if kind == "type":
    st.text_input("A Tamil sentence of the toy language, words separated by spaces", key="ro_text",
                  help=f"At most {toy_tamil.MAX_SOURCE_LEN} tokens, from the toy language's vocabulary.")
    tokens, sentence = ui.typed_sentence(st.session_state.ro_text, MAX_CHARS)
    publish(text=st.session_state.ro_text[:MAX_CHARS])
publish(src=kind)
tokens = sentence.source if sentence else tokens
if not tokens:
    st.stop()

glosses = tuple(toy_tamil.gloss(t) for t in tokens)
states = ui.attention_states(models.fingerprint, tokens)
output, weights = states.target, states.weights
st.markdown(text.gloss_table(tokens, glosses))
reference = f"  \n**Reference:** {' '.join(sentence.english)}" if sentence else ""
shown = text.marked_markdown(mark_words(output, sentence.english)) if sentence else " ".join(output)
verdict = ("— ✓ exactly the reference" if output == sentence.english else "— ✗ differs from the reference") \
    if sentence else ""
st.markdown(f"**Model's translation:** {shown or '*(nothing)*'} {verdict}{reference}")
if not output:
    st.info("The model wrote nothing for this sentence, so there is no attention to show.")
    st.stop()

# ---------------------------------------------------------------------------------------------------------------
st.header("Where the model looks, against reading left to right")
naive = naive_alignment(len(output), len(tokens))
learned_col, naive_col = st.columns(2)
learned_col.plotly_chart(alignment_heatmap(weights, output, tokens, glosses, title="Learned attention (trained model)"),
                         key="ro_learned")
naive_col.plotly_chart(alignment_heatmap(naive, output, tokens, glosses,
                                         title="Naive alignment: left to right, one word after another"),
                       key="ro_naive")
guide = reading_guide(weights, output)
jumps = order_jumps(weights)
st.markdown(text.alignment_summary(guide, naive, jumps))
st.subheader("Reading guide")
st.markdown(text.guide_markdown(guide, tokens, glosses))
st.markdown(text.guide_notice(guide, naive, jumps, tokens))

# ---------------------------------------------------------------------------------------------------------------
st.header("Three ways to score a match, on the same states")
st.markdown(
    "Attention needs a score for how well the decoder's state (the query) matches each encoder state (the key). "
    "The model was trained with Bahdanau's additive score, a small learned network. Luong's dot product and the "
    "Transformer's scaled dot product use no parameters at all. Here all three score the very same "
    f"{len(output)} decoder states against the same {len(tokens)} encoder states of {states.encoder.shape[1]} "
    "numbers each."
)
seed("ro_raw", False, "raw", parse_bool)
raw = st.toggle("Show the scores before softmax instead of the weights", key="ro_raw")
publish(raw=raw)
results = {name: score_with(models.by_name["attention"], states, name) for name in SCORINGS}
for column, name in zip(st.columns(len(SCORINGS)), SCORINGS, strict=True):
    column.plotly_chart(alignment_heatmap(results[name].logits if raw else results[name].weights, output, tokens,
                                          glosses, title=f"{name} score", kind="scores" if raw else "weights",
                                          compact=True), key=f"ro_score_{name.replace(' ', '_')}")
summaries = {name: scoring_summary(results[name], results["additive"]) for name in SCORINGS}
st.markdown(text.scoring_bullets(summaries, states.encoder.shape[1]))
same_winner = scoring_summary(results["dot"], results["scaled dot"]).agree
st.markdown(text.scoring_notice(same_winner, summaries["dot"]))
