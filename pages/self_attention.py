"""Self-attention: type a sentence, pick a word, see where it looks; then open up every matrix on the way."""

from playground.routing import run_inside_entry

run_inside_entry()  # first, before the page's own imports: see playground/routing.py

import numpy as np
import pandas as pd
import streamlit as st

from attention_core.positional import sinusoidal_positional_encoding
from lessons.embeddings import D_MODEL, FEATURE_NAMES, MAX_TOKENS, SENSE_CONTEXTS, prepare, tokenize
from lessons.guess import hide_row
from lessons.walkthrough import projections, scaling_demo
from playground import display, guess
from playground import self_attention_ui as ui
from playground.deep_dive import math_link
from playground.export import chart, chart_on_request, matrix_download
from playground.figures.self_attention import (
    STEPS,
    TEMPERATURE_STEPS,
    query_bar,
    saturation_figure,
    scaling_bars,
    sense_scatter,
    shaded_sentence_html,
    step_heatmap,
    weights_heatmap,
    weights_min_width,
)
from playground.folded import optional_place
from playground.layout_css import chart_min_widths
from playground.learning_ui import honesty_note
from playground.state import publish, word_param
from playground.texts import self_attention as text

FRUIT, COMPANY = FEATURE_NAMES.index("fruit"), FEATURE_NAMES.index("company")
APPLE_MIN_PX = 720


# ---- compute -------------------------------------------------------------------------------------------------------
def notice(tokens: list[str], steps, mask: np.ndarray, s: ui.Settings, q: int, order: list[int]) -> str:
    """'What to notice', from the real tokens' weights [n, n] (pads left out)."""
    n = len(tokens)
    real = steps.weights[:n, :n]  # [n, n]
    peak = real.max(axis=1)  # [n]
    link = None
    if n > 1:
        off = np.where(np.eye(n, dtype=bool), -1.0, real)  # [n, n]; self-links set aside
        a, b = np.unravel_index(int(np.argmax(off)), off.shape)
        link = (a, b, real[a, b])
    other = next((j for j in order if j != q and j < n), None)  # the chosen word's favourite other word
    choices = mask[:n, :n].sum(axis=1) > 1  # [n]; rows with more than one visible key
    return text.what_to_notice(
        tokens, q, link=link, overlap=None if other is None else (other, steps.scores[q, other], steps.scores[q, q]),
        proj=s.proj, proj_seed=s.proj_seed, focused=peak[choices].max() if choices.any() else peak.max(),
        mean_peak=peak.mean(), scaled=s.scaled, d_k=steps.q.shape[1], temperature=s.temperature,
        first_self=real[0, 0] if s.causal else None)


# ---- the deep dives ------------------------------------------------------------------------------------------------

def steps_tab(steps, labels: list[str], s: ui.Settings, name: tuple) -> None:
    d_k = steps.q.shape[1]
    st.markdown(text.steps_intro(s.scaled, d_k, s.temperature))
    matrices = dict(zip(STEPS, (steps.x, steps.q, steps.k, steps.v, steps.scores, steps.scaled, steps.masked,
                                steps.weights, steps.output)))
    shapes = {k: matrices[k].shape for k in ("X", "Q", "Q·Kᵀ", "weights", "output")}
    # slanted column labels need ~26 px a column; narrower (a phone), a step's chart scrolls inside its box
    chart_min_widths({f"sa_step_{step}": 110 + 26 * matrices[step].shape[1] for step in STEPS
                      if step.isascii() and step.isalnum()})  # a key that is a CSS class name ("Q·Kᵀ" is n x n)
    st.markdown(text.steps_shapes(shapes, s.proj, s.proj_seed, D_MODEL, d_k,
                                  d_k_random=projections(D_MODEL, "random")[0].shape[1]))
    for tab, step in zip(ui.step_tabs(STEPS), STEPS):
        if tab.open:
            with tab:
                # the temperature only names the matrices it changes: an unchanged chart keeps its name, so the
                # browser does not draw it again when the temperature moves
                parts = (name[0], "step", step, *(name[1:] if step in TEMPERATURE_STEPS else ()))
                chart(step_heatmap(step, matrices[step], labels, features=FEATURE_NAMES,
                                   identity=s.proj == "identity", scaled=s.scaled, d_k=d_k,
                                   temperature=s.temperature, positions=s.positions),
                      parts, key=f"sa_step_{step}")
                if matrices[step].shape == (len(labels), len(labels)):  # scores and weights: queries x keys
                    matrix_download(matrices[step], labels, labels, parts, key=f"sa_step_{step}_csv",
                                    label=text.step_csv_label(step))


def sqrt_tab() -> None:
    st.markdown(text.SQRT_INTRO)
    d = ui.d_slider()
    demo = scaling_demo(d, n_keys=8, seed=0)
    left_fig, right_fig = scaling_bars(demo.unscaled, demo.scaled, d)
    c1, c2 = st.columns(2)
    chart(left_fig, ("self-attention", "sqrt-d", f"d-{d}", "unscaled"), where=c1, key="sa_sqrt_raw")
    chart(right_fig, ("self-attention", "sqrt-d", f"d-{d}", "scaled"), where=c2, key="sa_sqrt_scaled")
    st.markdown(text.sqrt_summary(d, demo.scores.std(), demo.unscaled.max(), demo.scaled.max()))
    ds = tuple(int(v) for v in np.unique(np.round(np.geomspace(4, 512, 36) / 4) * 4))
    unscaled_curve, scaled_curve = ui.saturation(ds)
    avg = ui.saturation((d,))
    chart(saturation_figure(np.array(ds), unscaled_curve, scaled_curve, d, (float(avg[0][0]), float(avg[1][0]))),
          ("self-attention", "saturation", f"d-{d}"), key="sa_sqrt_curve")


def apple_tab(tokens: list[str], s: ui.Settings) -> None:
    st.markdown(text.apple_intro(D_MODEL))
    senses = SENSE_CONTEXTS["Apple"]
    n_f, n_c = len(senses["fruit"]), len(senses["company"])
    contexts = list(senses["fruit"] + senses["company"])
    groups = ["static"] + ["fruit"] * n_f + ["company"] * n_c
    mine = " ".join(tokens)
    if any(t.lower() == "apple" for t in tokens) and mine not in contexts:
        contexts.append(mine)
        groups.append("your sentence")
    static, outputs, _, pca = ui.apple(tuple(contexts), s.scaled, s.temperature, s.positions)
    chart_min_widths({"sa_apple": APPLE_MIN_PX})  # its sentences beside their dots need the room; a phone scrolls
    point_labels = ["Apple (static)"] + [f"“{c}”" for c in contexts]
    chart(sense_scatter(pca.coords, point_labels, groups, pca.explained, "Apple"),
          ("self-attention", "apple-senses", f"temperature-{float(s.temperature)}"), key="sa_apple")
    fruit, company = outputs[:, FRUIT], outputs[:, COMPANY]  # [k] each
    lean = fruit - company  # [k]
    leaning = (int(np.sum(lean[:n_f] > 0)), int(np.sum(lean[n_f:n_f + n_c] < 0)))
    leans = ("fruit" if lean[-1] > 0 else "company") if len(contexts) > n_f + n_c else None
    st.markdown(text.apple_summary(contexts, n_f, n_c, static[FRUIT], fruit, company, leaning, leans))
    table = pd.DataFrame({"sentence": contexts, "sense": groups[1:], "fruit": fruit, "company": company,
                          "moved from static": np.linalg.norm(outputs - static, axis=1)})
    st.dataframe(table, hide_index=True, column_config={c: st.column_config.NumberColumn(format="%.2f")
                                                        for c in ("fruit", "company", "moved from static")})


def table_tab(tokens: list[str], table: ui.Table, positions: bool) -> None:
    st.markdown(text.table_intro(ui.TABLE_LIMIT, positions))
    for row, feature, raw in table.rejected:
        st.warning(text.rejected_edit(row, feature, raw, tokens, ui.TABLE_LIMIT))
    ui.table_editor(tokens, table)
    if table.edited:
        st.caption(text.EDITED)


# ---- the chosen word's view -----------------------------------------------------------------------------------
@st.fragment
def word_view(tokens: list[str], sentence: str, embeddings: ui.Table, s: ui.Settings, labels: list[str],
              mask: np.ndarray, steps) -> bool:
    """The word doing the looking, the heatmap with its row outlined, that row in words, what to notice. A fragment:
    picking another word (the select box, a click on a row) reruns this view alone, and the page above and the deep
    dives below, which do not depend on the word, are neither run again nor sent again. Returns whether the row is
    hidden (guess first, not yet guessed); the page stops there, since the deep dives would give it away."""
    full_run = st.session_state.pop("sa_full_run", False)  # else the view's own rerun
    ui.resolve_query(tokens)
    n, m, d_k = len(tokens), len(labels), steps.q.shape[1]
    # The question before the charts it hides: the word, the guess-first switch and, when guessing, the choices with
    # the verdict right under them, all above the heatmap, so nothing answers the question before it is asked.
    ask_col, guess_col = st.columns([2, 3], gap="large")
    with ask_col:
        q = ui.query_ui(tokens)
        guessing = guess.switch("sa")
    row = steps.weights[q]  # [m]
    pick = None
    if guessing:
        with guess_col:  # guess first: the row stays hidden (chart, bars, captions, CSV, notes) until a key is named
            pick = guess.ask("sa", (tuple(labels), q, s, embeddings.version), row, labels, tokens[q],
                             choices=np.flatnonzero(mask[q]).tolist())
            if pick:
                st.markdown(guess.verdict(pick, row, labels, tokens[q]))
    hidden = guessing and pick is None
    if full_run:
        st.session_state.sa_hidden_below = hidden  # what the deep dives below were drawn for
    elif hidden != st.session_state.get("sa_hidden_below"):
        st.rerun(scope="app")  # hiding or revealing the row: the deep dives below must follow
    if m <= 16:  # heatmap beside the chosen word's view
        left, right = st.columns([3, 2], gap="large")
        right_lower = right
    else:  # a long sentence needs the full width for its heatmap; the chosen word's view goes below, in two columns
        left = st.container()
        right, right_lower = st.columns(2, gap="large")
    with right:
        name = ("self-attention", word_param(tokens, q), f"temperature-{float(s.temperature)}")
        # the row the heatmap outlines, as bars, on request: the shading and the sentence below say the same in words
        if chart_on_request(text.SHOW_BAR, "sa_show_bar", "bars") and not hidden:
            bar = query_bar(row, labels, tokens[q], q)
            chart(guess.mark_bar(bar, pick.pick) if pick else bar, name, key="sa_bar")
    with right_lower:
        order = [int(j) for j in np.argsort(-row, kind="stable") if row[j] > 0]
        if not hidden:
            st.html(shaded_sentence_html(labels, row, q, colorblind=display.current().colorblind))
            st.markdown(text.query_caption(labels, row, q, order, hidden=int((~mask[q, :n]).sum()), n_pad=s.n_pad))
    chart_min_widths({"sa_heatmap": weights_min_width(labels)})  # on a phone: scroll in its box, numbers readable
    all_words = ("self-attention", "all-words", f"temperature-{float(s.temperature)}")
    with left:
        heat = weights_heatmap(hide_row(steps.weights, q) if hidden else steps.weights, labels, selected=q,
                               scaled=s.scaled, d_k=d_k, temperature=s.temperature)
        chart(guess.mark_cell(heat, q, pick.pick) if pick else heat, all_words,
              key="sa_heatmap", on_select="rerun", selection_mode="points")
    publish(**ui.url_params(sentence, tokens, word_param(tokens, q), s))
    if hidden:
        return True
    with left:
        matrix_download(steps.weights, labels, labels, all_words, key="sa_download")
        honesty_note("lexicon")  # the lexicon, not learning, links "it" to "animal": the "wide" sentence shows it
    st.subheader("What to notice")
    st.markdown(notice(tokens, steps, mask, s, q, order))
    math_link("scaled-dot-product-attention")
    return False


# ---- read the controls ---------------------------------------------------------------------------------------------
_report = tokenize(ui.DEFAULT_TEXT)
st.title("Self-attention: every word looks at every word")
st.markdown(text.intro(gap=_report.index("ready") - _report.index("report") - 1))  # words between the two
ui.init_controls_from_url()
sentence = ui.sentence_ui()
prepared = prepare(sentence)
tokens = prepared.tokens
if not tokens:
    publish(text="")
    st.info(text.EMPTY)
    st.stop()
with optional_place():
    if prepared.truncated:
        st.warning(text.truncated(prepared.n_original, MAX_TOKENS, tokens[-1]))
st.caption(text.token_line(tokens))
with optional_place():
    ui.unknown_words_ui(tokens)
    if unspaced := text.unspaced_note(tokens):
        st.caption(unspaced)
settings = ui.settings_ui()
embeddings = ui.embedding_table(tokens)  # with the learner's edits, applied before anything is computed
with optional_place():
    if settings.positions:
        st.caption(text.position_norms(tokens, np.linalg.norm(embeddings.x, axis=1),  # [n] word vector norms
                                       float(np.linalg.norm(sinusoidal_positional_encoding(1, D_MODEL)[0])), D_MODEL))
labels, mask, steps = ui.attend(tokens, embeddings.x, settings)  # nothing here depends on the word doing the looking
st.session_state.sa_full_run = True  # word_view reads it: this run is the page's, not the view's own
if word_view(tokens, sentence, embeddings, settings, labels, mask, steps):
    st.stop()  # the row is hidden until the learner guesses: the deep dives would give it away

# ---- the deep dives: closed until the learner opens one; only the open one runs ----------------------------------
deep_dive = ui.deep_dive_picker()
if deep_dive is None:
    st.caption(text.DEEP_DIVE_CLOSED)
elif deep_dive == ui.TABS[0]:
    steps_tab(steps, labels, settings, ("self-attention", f"temperature-{float(settings.temperature)}"))
elif deep_dive == ui.TABS[1]:
    sqrt_tab()
elif deep_dive == ui.TABS[2]:
    apple_tab(tokens, settings)
else:
    table_tab(tokens, embeddings, settings.positions)
