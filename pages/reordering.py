"""Reordering: Tamil is verb-final, English is not; with attention the decoder reads the source in English order.

Controls are read by small functions that return plain values; the numbers come from lessons.seq2seq_views and
the cached work in playground.seq2seq_ui; every sentence formatted from them comes from playground.texts."""

from playground.routing import run_inside_entry

run_inside_entry()  # first, before the page's own imports: see playground/routing.py

import numpy as np
import streamlit as st

from lessons.guess import hide_row
from lessons.seq2seq_views import compare_scorings, mark_words, pick_sentence, read_alignment
from models import toy_tamil
from playground import guess
from playground import seq2seq_ui as ui
from playground.deep_dive import math_link
from playground.export import chart, chart_on_request, matrix_download
from playground.figures.seq2seq import alignment_heatmap, alignment_min_width, source_names, with_reading_boxes
from playground.folded import optional_place
from playground.layout_css import chart_min_widths
from playground.state import init_from_url, parse_bool, parse_choice, parse_int, parse_text, publish
from playground.texts import reordering as text
from playground.texts.seq2seq import marked_markdown

SOURCES = {"blog": "the blog's sentence", "build": "build one", "test": "a held-out sentence", "type": "type Tamil"}
MAX_CHARS = 600  # typed text beyond this is cut before tokenizing, with a warning
LENGTHS = (3, toy_tamil.MAX_SOURCE_LEN)


def chosen_sentence() -> tuple[tuple[str, ...], toy_tamil.Sentence | None]:
    """The source radio and whatever it asks for next -> (tokens to translate, the Sentence with its reference or
    None). Publishes each choice to the URL; says on the page why a typed sentence cannot be translated."""
    init_from_url("ro_src", "blog", "src", parse_choice(SOURCES))
    init_from_url("ro_len", 8, "len", parse_int(*LENGTHS))
    init_from_url("ro_pick", 0, "pick", parse_int(0, 10_000))
    init_from_url("ro_text", " ".join(toy_tamil.BLOG_SOURCE), "text", parse_text(MAX_CHARS))
    st.radio("Sentence", list(SOURCES), key="ro_src", format_func=SOURCES.__getitem__, horizontal=True)
    kind = st.session_state.ro_src
    sentence = toy_tamil.build(toy_tamil.BLOG_SLOTS) if kind == "blog" else None  # a Sentence has its reference
    tokens: tuple[str, ...] = ()
    with optional_place():  # each source's own controls, in one place: the page below keeps its elements
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
                          help=text.max_tokens_help(toy_tamil.MAX_SOURCE_LEN))
            tokens, sentence = ui.typed_sentence(st.session_state.ro_text, MAX_CHARS)
            publish(text=st.session_state.ro_text[:MAX_CHARS])
    publish(src=kind)
    return (sentence.source if sentence else tokens), sentence


def scoring_choice(names: list[str]) -> str:
    """Which of the three scorings to draw (one chart at a time)."""
    init_from_url("ro_scoring", names[0], "scoring", parse_choice(names))
    st.segmented_control(text.SCORING_PICKER, names, key="ro_scoring", required=True, help=text.SCORING_PICKER_HELP)
    publish(scoring=st.session_state.ro_scoring)
    return st.session_state.ro_scoring


def raw_scores() -> bool:
    """Show the scores before softmax instead of the weights."""
    init_from_url("ro_raw", False, "raw", parse_bool)
    raw = st.toggle("Show the scores before softmax instead of the weights", key="ro_raw")
    publish(raw=raw)
    return raw


# ---------------------------------------------------------------------------------------------------------------
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
    st.error(text.load_error(models.error))
    st.stop()

# ---------------------------------------------------------------------------------------------------------------
tokens, sentence = chosen_sentence()
if not tokens:
    st.stop()
glosses = tuple(toy_tamil.gloss(t) for t in tokens)
states = ui.attention_states(models.fingerprint, tokens)
output, weights = states.target, states.weights
reference = sentence.english if sentence else None

st.markdown(text.gloss_table(tokens, glosses))
shown = marked_markdown(mark_words(output, reference)) if reference is not None else " ".join(output)
st.markdown(text.translation(shown, reference, output == reference))
if not output:
    st.info("The model wrote nothing for this sentence, so there is no attention to show.")
    st.stop()

# ---------------------------------------------------------------------------------------------------------------
st.header("Where the model looks, against reading left to right")
reading = read_alignment(weights, output, len(tokens))
labels = [f"{t} ({g})" for t, g in zip(tokens, glosses)]
row, pick = 0, None
if guess.switch("ro"):  # guess first: one English word's row stays hidden until the learner names a Tamil word
    row = guess.row_ui("ro", output, "English word to guess for")
    pick = guess.ask("ro", (tokens, output, row), weights[row], labels, output[row])
    if pick:  # the verdict right under the choices, where the learner is looking
        st.markdown(guess.verdict(pick, weights[row], labels, output[row]))
hidden = st.session_state.ro_guess and pick is None
# a long sentence's charts keep readable columns: they wrap onto their own rows, then scroll inside their boxes
chart_min_widths(dict.fromkeys(["ro_learned", "ro_scoring_chart"], alignment_min_width(output, len(tokens))))
learned_col, side_col = st.columns([3, 2], gap="large")
columns = source_names(tokens, glosses)
learned = with_reading_boxes(
    alignment_heatmap(hide_row(weights, row) if hidden else weights, output, tokens, glosses,
                      title="Learned attention (trained model)"), reading.naive.argmax(axis=1))
chart(guess.mark_cell(learned, row, pick.pick) if pick else learned,
      ("reordering", "learned-attention", *tokens[:4]), where=learned_col, key="ro_learned")
side_col.markdown(text.READING_BOXES)  # the boxes give nothing of the hidden row away
summary = side_col.container()  # filled once the row is no longer hidden
matrix_download(reading.naive, output, columns, ("reordering", "naive-alignment", *tokens[:4]), key="ro_naive_csv",
                where=side_col, label="Download the left-to-right alignment (CSV)")
if hidden:
    st.stop()
matrix_download(weights, output, columns, ("reordering", "learned-attention", *tokens[:4]), key="ro_learned_csv",
                where=learned_col)
summary.markdown(text.alignment_summary(reading))
with st.expander("How it is computed: the model and its attention score"):  # story first, the formula on request
    config = models.by_name["attention"].config
    st.markdown(text.model_description(config.hidden, config.attn, config.out))
st.subheader("Reading guide")
st.markdown(text.guide_markdown(reading, tokens, glosses))
st.markdown(text.guide_notice(reading, tokens))

# ---------------------------------------------------------------------------------------------------------------
st.header("Three ways to score a match, on the same states")
scorings = compare_scorings(models.by_name["attention"], states)
st.markdown(text.scoring_intro(len(output), len(tokens), scorings.width))
st.markdown(text.scoring_bullets(scorings))
st.markdown(text.scoring_notice(scorings))
if chart_on_request(text.SHOW_SCORINGS, "ro_show_scorings", "scorings"):
    name = scoring_choice(list(scorings.results))
    raw = raw_scores()
    result = scorings.results[name]
    shown = result.logits if raw else result.weights
    parts = ("reordering", f"{name}-{'scores' if raw else 'weights'}", *tokens[:4])
    # one colour scale for the three scorings' raw scores, so flipping between them shows their spreads differ
    bound = max(float(np.abs(r.logits[np.isfinite(r.logits)]).max()) for r in scorings.results.values())
    chart(alignment_heatmap(shown, output, tokens, glosses, title=text.scoring_title(name),
                            kind="scores" if raw else "weights", score_bound=bound), parts, key="ro_scoring_chart")
    matrix_download(shown, output, columns, parts, key="ro_scoring_csv",
                    label=f"Download these {'scores' if raw else 'weights'} (CSV)")
