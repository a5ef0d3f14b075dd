"""Self-attention: type a sentence, pick a word, see where it looks; then open up every matrix on the way."""

import re

import numpy as np
import pandas as pd
import streamlit as st

from attention_core.positional import sinusoidal_positional_encoding
from lessons.embeddings import (
    D_MODEL,
    FEATURE_NAMES,
    MAX_TOKENS,
    PRESETS,
    SENSE_CONTEXTS,
    apply_edits,
    embed,
    in_lexicon,
    prepare,
    suggested_query,
    tokenize,
)
from lessons.projection import pca_2d
from lessons.walkthrough import (
    build_mask,
    projections,
    saturation_curve,
    scaling_demo,
    self_attention_steps,
    word_in_contexts,
)
from playground.deep_dive import math_link
from playground.figures.base import attention_heatmap
from playground.figures.self_attention import (
    query_bar,
    saturation_figure,
    scaling_bars,
    sense_scatter,
    shaded_sentence_html,
    weights_csv,
)
from playground.formatting import pct, quoted
from playground.routing import run_inside_entry
from playground.state import (
    parse_bool,
    parse_choice,
    parse_float,
    parse_int,
    parse_text,
    publish,
    seed,
    word_index,
    word_param,
)

run_inside_entry()

PAD = "[pad]"
MAX_CHARS = 20_000  # a long paste is fine; only the first MAX_TOKENS tokens are used
URL_TEXT_CHARS = 600
PROJECTIONS = {"identity": "identity (Q = K = V = X)", "random": "random, seeded"}
TABS = ("Step by step", "Why divide by √d?", "The Apple problem", "Edit the embeddings")
TABLE_LIMIT = 20.0


def _parse_temperature(text: str) -> float | None:
    value = parse_float(0.1, 5.0)(text)
    return None if value is None else round(value, 1)


def _load_preset() -> None:
    label = st.session_state.get("sa_preset")
    if label in PRESETS:
        st.session_state.sa_text = PRESETS[label]


def _reset_table() -> None:
    st.session_state.pop("sa_table", None)
    st.session_state.sa_table_version = st.session_state.get("sa_table_version", 0) + 1



def _query_label(tokens: list[str], i: int) -> str:
    return f"{tokens[i]}  (#{i + 1})"


def _valid_query(value, tokens: list[str]) -> int:
    """The select box's value as a token index. A browser that picked from the previous sentence's list just before
    a rerun sends that list's label ("it  (#8)"), which Streamlit passes on as text: keep it only if it still fits."""
    if isinstance(value, str):
        match = re.fullmatch(r"(.*)  \(#(\d+)\)", value, flags=re.DOTALL)
        i = int(match.group(2)) - 1 if match else -1
        value = i if match and 0 <= i < len(tokens) and tokens[i] == match.group(1) else None
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool) and 0 <= value < len(tokens)
    return int(value) if ok else suggested_query(tokens)


@st.cache_data(show_spinner=False)
def _saturation(ds: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    return saturation_curve(ds, n_keys=8, trials=200, seed=0)


@st.cache_data(show_spinner=False)
def _apple(sentences: tuple[str, ...], scaled: bool, temperature: float, positions: bool):
    static, outputs, where = word_in_contexts("Apple", sentences, scaled=scaled, temperature=temperature,
                                              positions=positions)
    return static, outputs, where, pca_2d(np.vstack([static, outputs]))


# ---- the story -------------------------------------------------------------------------------------------------
_report = tokenize(PRESETS["Report and client (nested clauses)"])
_gap = _report.index("ready") - _report.index("report") - 1  # words between the two
st.title("Self-attention: every word looks at every word")
st.markdown(
    f"In *The report that the client who called yesterday requested is ready*, the word **ready** describes the "
    f"report, with {_gap} words in between. A recurrent network has to carry that link through every step on the way; "
    "self-attention lets each word score every other word directly and take a weighted mix of them. "
    "Type a sentence or pick one from the blog, choose a word, and see where it looks."
)

seed("sa_text", PRESETS["Report and client (nested clauses)"], "text", parse_text(URL_TEXT_CHARS))
st.session_state.sa_preset = next((k for k, v in PRESETS.items() if v == st.session_state.sa_text), None)
st.pills("Sentences from the blog", list(PRESETS), key="sa_preset", on_change=_load_preset)
st.text_area("Your sentence", key="sa_text", max_chars=MAX_CHARS, height=68,
             help=f"Words and punctuation become tokens; the first {MAX_TOKENS} are used.")
text = st.session_state.sa_text
prepared = prepare(text)
tokens = prepared.tokens

seed("sa_scale", True, "scale", parse_bool)
seed("sa_temp", 1.0, "temp", _parse_temperature)
seed("sa_causal", False, "causal", parse_bool)
seed("sa_pad", 0, "pad", parse_int(0, 4))
seed("sa_proj", "identity", "proj", parse_choice(PROJECTIONS))
seed("sa_seed", 0, "seed", parse_int(0, 9999))
seed("sa_pos", False, "pos", parse_bool)
seed("sa_tab", TABS[0], "tab", parse_choice(TABS))

if not tokens:
    publish(text="")
    st.info("Type a sentence above (or pick one from the blog) to see its attention pattern.")
    st.stop()

if prepared.truncated:
    st.warning(f"Your text has {prepared.n_original} tokens; this page uses the first {MAX_TOKENS}, "
               f"so everything after {quoted(tokens[-1])} (token {MAX_TOKENS}) is left out.")
unknown = list(dict.fromkeys(t for t in tokens if not in_lexicon(t)))
token_line = " ".join(quoted(t) for t in tokens)
st.caption(f"{len(tokens)} tokens: {token_line}")
if unknown:
    listed = ", ".join(quoted(t) for t in unknown[:8]) + (" …" if len(unknown) > 8 else "")
    st.caption(f"Not in the built-in lexicon, so each gets a fixed pseudo-random vector (the same on every "
               f"computer): {listed}.")

with st.container(border=True):
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        st.toggle("Divide scores by √dₖ", key="sa_scale", help="The scaling of Vaswani et al. (2017).")
        st.slider("Temperature", 0.1, 5.0, step=0.1, key="sa_temp",
                  help="Scores are divided by it before softmax: below 1 sharpens, above 1 flattens.")
    with c2:
        st.toggle("Causal mask", key="sa_causal",
                  help="No looking ahead: each word may only look at itself and the words before it, as when a "
                       "model writes text one word at a time.")
        st.slider("Padding tokens", 0, 4, key="sa_pad",
                  help="Extra [pad] tokens at the end, as in a batch of sentences of different lengths; masked.")
    with c3:
        st.radio("Projections W_Q, W_K, W_V", list(PROJECTIONS), format_func=PROJECTIONS.get, key="sa_proj")
        st.number_input("Seed for the random projections", 0, 9999, step=1, key="sa_seed",
                        disabled=st.session_state.sa_proj != "random")
    with c4:
        st.toggle("Add positions (sinusoidal)", key="sa_pos",
                  help="Adds each token's position vector, so the two 'the's are no longer identical.")

scaled, temperature, causal = st.session_state.sa_scale, st.session_state.sa_temp, st.session_state.sa_causal
n_pad, proj, proj_seed, positions = (st.session_state.sa_pad, st.session_state.sa_proj, st.session_state.sa_seed,
                                     st.session_state.sa_pos)

# ---- the embedding table, with the learner's edits (applied before anything is computed) ----------------------
store = st.session_state.get("sa_table")
if store is None or store["tokens"] != tuple(tokens):
    store = {"tokens": tuple(tokens), "x": embed(tokens), "rejected": [], "edited": False}
    st.session_state.sa_table = store
version = st.session_state.setdefault("sa_table_version", 0)
pending = st.session_state.get(f"sa_editor_{version}")
if pending and pending.get("edited_rows"):
    new_x, rejected = apply_edits(store["x"], pending["edited_rows"], limit=TABLE_LIMIT)
    store.update(x=new_x, rejected=rejected, edited=store["edited"] or not np.array_equal(new_x, store["x"]))
    st.session_state.sa_table_version = version = version + 1  # a fresh editor shows the values now in use

# ---- compute -----------------------------------------------------------------------------------------------------
labels = tokens + [PAD] * n_pad
n, m = len(tokens), len(labels)
x = store["x"] + (sinusoidal_positional_encoding(n, D_MODEL) if positions else 0.0)  # [n, d_model]
x = np.vstack([x, np.zeros((n_pad, D_MODEL))])  # [m, d_model]; pad vectors are zeros, and masked anyway
w_q, w_k, w_v = projections(D_MODEL, proj, seed=int(proj_seed))
mask = build_mask(np.arange(m) < n, causal=causal)  # [m, m]
steps = self_attention_steps(x, w_q, w_k, w_v, mask=mask, scaled=scaled, temperature=temperature)
d_k = steps.q.shape[1]

# The word to inspect: a click on a heatmap row, else the select box, else the URL, else a good first word.
click = st.session_state.get("sa_heatmap")
points = (click or {}).get("selection", {}).get("points", []) if isinstance(click, dict) else []
clicked = int(points[0]["y"]) if points and isinstance(points[0].get("y"), (int, float)) else None
if "sa_query" not in st.session_state:
    from_url = word_index(tokens, st.query_params["word"]) if "word" in st.query_params else None
    st.session_state.sa_query = from_url if from_url is not None else suggested_query(tokens)
elif st.session_state.get("sa_query_for") != tuple(tokens):
    old = st.session_state.get("sa_query_word")
    st.session_state.sa_query = tokens.index(old) if old in tokens else suggested_query(tokens)
if clicked is not None and clicked != st.session_state.get("sa_last_click") and 0 <= clicked < n:
    st.session_state.sa_query = clicked
st.session_state.sa_last_click = clicked
st.session_state.sa_query = _valid_query(st.session_state.sa_query, tokens)
st.session_state.sa_query_for = tuple(tokens)

# A long paste is shared as the tokens in use (whole tokens only), so the URL stays short and reopens the same view.
url_text = text
if len(text) > URL_TEXT_CHARS:
    kept = np.cumsum([len(t) + 1 for t in tokens]) <= URL_TEXT_CHARS + 1  # [n]
    url_text = " ".join(t for t, keep in zip(tokens, kept) if keep)

# ---- the main figure -----------------------------------------------------------------------------------------------
factor = f"/ √{d_k}" if scaled else "(not scaled)"
temp_note = f" / temperature {temperature:g}" if temperature != 1 else ""
if m <= 16:  # heatmap beside the chosen word's view
    left, right = st.columns([3, 2], gap="large")
    right_lower = right
else:  # a long sentence needs the full width for its heatmap; the chosen word's view goes below, in two columns
    left = st.container()
    right, right_lower = st.columns(2, gap="large")
with right:
    q = st.selectbox("Word doing the looking", list(range(n)), format_func=lambda i: _query_label(tokens, i),
                     key="sa_query", help="Or click a row of the heatmap.")
    q = _valid_query(q, tokens)
    st.session_state.sa_query_word = tokens[q]
    row = steps.weights[q]  # [m]
    st.plotly_chart(query_bar(row, labels, tokens[q], q), key="sa_bar")
with right_lower:
    st.html(shaded_sentence_html(labels, row, q))
    order = [int(j) for j in np.argsort(-row, kind="stable") if row[j] > 0]
    name = lambda j: "itself" if j == q else quoted(labels[j])  # noqa: E731
    caption = f"{quoted(tokens[q])} puts **{pct(row[order[0]])}** of its attention on {name(order[0])}"
    rest = [f"{pct(row[j])} on {name(j)}" for j in order[1:3] if row[j] >= 0.005]
    caption += (", then " + " and ".join(rest) if rest else "") + "."
    hidden = int((~mask[q, :n]).sum())
    if hidden:
        caption += f" The causal mask hides the {hidden} word{'s' if hidden != 1 else ''} after it: exactly 0% each."
    if n_pad:
        caption += f" The {n_pad} padding token{'s get' if n_pad != 1 else ' gets'} exactly 0%."
    st.markdown(caption)

with left:
    heat = attention_heatmap(steps.weights, labels, labels, title=f"Attention weights: softmax(Q·Kᵀ {factor}{temp_note})",
                             highlight_row=q, height=max(380, 90 + 26 * m), clickable=True)
    if m > 20:  # 20+ slanted labels would overlap: stand them up, a little smaller
        heat.update_layout(xaxis_tickangle=-90, xaxis_tickfont_size=10, yaxis_tickfont_size=11)
    st.plotly_chart(heat, key="sa_heatmap", on_select="rerun", selection_mode="points")
    st.download_button("Download these weights (CSV)", weights_csv(steps.weights, labels), file_name="self_attention_weights.csv", mime="text/csv",
                       key="sa_download", on_click="ignore", icon=":material/download:")

# ---- what to notice ------------------------------------------------------------------------------------------------
real = steps.weights[:n, :n]  # [n, n]
off = np.where(np.eye(n, dtype=bool), -1.0, real)  # [n, n]; self-links set aside
a, b = np.unravel_index(int(np.argmax(off)), off.shape) if n > 1 else (0, 0)
peak = real.max(axis=1)  # [n]
notes = [f"Every row adds up to 100%: a word shares out one unit of attention. The strongest link between two "
         f"different words here is {quoted(tokens[a])} → {quoted(tokens[b])} at **{pct(real[a, b])}**."
         if n > 1 else "With a single token, all its attention goes to itself."]
other = next((j for j in order if j != q and j < n), None)  # the chosen word's favourite other word
if proj == "identity" and other is not None:
    notes.append(f"With identity projections a score is plain feature overlap: {quoted(tokens[q])}·"
                 f"{quoted(tokens[other])} = {steps.scores[q, other]:.2f} against {steps.scores[q, q]:.2f} for "
                 f"{quoted(tokens[q])}·{quoted(tokens[q])}, so words that share features (animate, person, work, …) "
                 "find each other.")
elif proj == "random":
    choices = mask[:n, :n].sum(axis=1) > 1  # [n]; rows with more than one visible key
    focused = pct(peak[choices].max()) if choices.any() else pct(peak.max())
    notes.append(f"With random projections (seed {proj_seed}) the pattern no longer follows the features: training is "
                 f"what would make W_Q and W_K useful. The most focused word gives {focused} to a single key.")
notes.append(f"On average a word's largest weight is **{pct(peak.mean())}**"
             + (f"; the scores are divided by √{d_k} = {np.sqrt(d_k):.2f}" if scaled else "; nothing divides the scores")
             + (f" and by the temperature {temperature:g}." if temperature != 1 else ".")
             + (" Turn scaling off or lower the temperature and the rows get peakier." if scaled else
                " Turn scaling back on or raise the temperature and the rows flatten out."))
if causal:
    notes.append(f"The causal mask empties everything above the diagonal: the first word can only look at itself "
                 f"({pct(real[0, 0])}), the last at all {n}.")
st.subheader("What to notice")
st.markdown("\n".join(f"- {s}" for s in notes))
math_link("scaled-dot-product-attention")

publish(text=url_text, word=word_param(tokens, q), scale=scaled, temp=f"{temperature:g}", causal=causal,
        pad=n_pad, proj=proj, seed=proj_seed, pos=positions, tab=st.session_state.sa_tab)

# ---- the deep dives: only the open tab runs ------------------------------------------------------------------------
tab_steps, tab_sqrt, tab_apple, tab_table = st.tabs(TABS, key="sa_tab", on_change="rerun")

if tab_steps.open:
    with tab_steps:
        st.markdown(
            f"Self-attention in five moves: project the inputs **X** into queries, keys and values "
            f"(**Q** = X·W_Q, **K** = X·W_K, **V** = X·W_V), score every query against every key (**Q·Kᵀ**), "
            f"{'divide by √dₖ = ' + format(np.sqrt(d_k), '.2f') if scaled else 'skip the scaling'}"
            f"{' and the temperature' if temperature != 1 else ''}, hide what the mask forbids, "
            f"take softmax row by row, and mix the values: **output** = weights·V."
        )
        dims = list(FEATURE_NAMES) if proj == "identity" else [f"dim {i + 1}" for i in range(d_k)]
        scale_text = (f"÷ √{d_k}" if scaled else "× 1 (scaling off)") + (f" ÷ {temperature:g}" if temperature != 1 else "")
        inspector = {  # label: (matrix, column labels, what it is, column axis or None for keys, colour kind)
            "X": (steps.x, list(FEATURE_NAMES), "X: one vector per token" + (" (with positions)" if positions else ""),
                  "feature", "scores"),
            "Q": (steps.q, dims, "Q = X·W_Q: what each token is looking for", "dimension", "scores"),
            "K": (steps.k, dims, "K = X·W_K: what each token offers to be found by", "dimension", "scores"),
            "V": (steps.v, dims, "V = X·W_V: what each token hands over when chosen", "dimension", "scores"),
            "Q·Kᵀ": (steps.scores, labels, "Q·Kᵀ: raw score of every query against every key", None, "scores"),
            "scaled": (steps.scaled, labels, f"scaled: Q·Kᵀ {scale_text}", None, "scores"),
            "masked": (steps.masked, labels, "masked: −∞ where a key is hidden", None, "scores"),
            "weights": (steps.weights, labels, "weights: softmax of each row", None, "weights"),
            "output": (steps.output, dims, "output = weights·V: each token rebuilt from the others", "dimension",
                       "scores"),
        }
        shapes = " → ".join(f"{k} [{v[0].shape[0]}×{v[0].shape[1]}]" for k, v in inspector.items()
                            if k in ("X", "Q", "Q·Kᵀ", "weights", "output"))
        st.markdown(f"Each tab is one matrix on the way from input to output: {shapes}. "
                    + ("With identity projections Q, K and V all equal X; choose random projections to see them "
                       f"differ and shrink to dₖ = {projections(D_MODEL, 'random')[0].shape[1]} columns."
                       if proj == "identity" else f"Random projections (seed {proj_seed}) map {D_MODEL} features to "
                       f"dₖ = {d_k} unnamed dimensions."))
        seed("sa_step", "X")
        step_tabs = st.tabs(list(inspector), key="sa_step", on_change="rerun")
        for step_tab, (label, (mat, cols, title, x_title, kind)) in zip(step_tabs, inspector.items()):
            if step_tab.open:
                with step_tab:
                    fig = attention_heatmap(
                        mat, labels, cols, title=f"{title}  —  shape [{mat.shape[0]} × {mat.shape[1]}]", kind=kind,
                        x_title=x_title or "key: the word being looked at",
                        y_title="token" if x_title else "query: the word doing the looking",
                        value_name="value" if x_title else None, height=max(300, 110 + 24 * m),
                        show_values=m <= 12 and mat.shape[1] <= 16)
                    st.plotly_chart(fig, key=f"sa_step_{label}")

if tab_sqrt.open:
    with tab_sqrt:
        st.markdown(
            "A dot product of two random vectors adds up d products, so its typical size grows like √d. "
            "Feed such large scores to softmax and almost all the weight lands on one key; the gradients for the "
            "others all but vanish and learning stalls. Dividing by √d keeps the scores near size 1 whatever d is. "
            "Below, one random query meets eight random keys (always the same draw for a given d)."
        )
        seed("sa_d", 64)
        d = st.slider("d, the length of each query and key vector", 4, 512, step=4, key="sa_d")
        demo = scaling_demo(int(d), n_keys=8, seed=0)
        left_fig, right_fig = scaling_bars(demo.unscaled, demo.scaled, int(d))
        c1, c2 = st.columns(2)
        c1.plotly_chart(left_fig, key="sa_sqrt_raw")
        c2.plotly_chart(right_fig, key="sa_sqrt_scaled")
        st.markdown(
            f"With d = {d} the raw scores spread with standard deviation **{demo.scores.std():.1f}** "
            f"(√{d} = {np.sqrt(d):.1f}). Unscaled, the top key takes **{pct(demo.unscaled.max())}**; "
            f"divided by √{d}, it takes **{pct(demo.scaled.max())}** and the other keys keep a share."
        )
        ds = tuple(int(v) for v in np.unique(np.round(np.geomspace(4, 512, 36) / 4) * 4))
        unscaled_curve, scaled_curve = _saturation(ds)
        avg = _saturation((int(d),))
        st.plotly_chart(saturation_figure(np.array(ds), unscaled_curve, scaled_curve, int(d),
                                          (float(avg[0][0]), float(avg[1][0]))), key="sa_sqrt_curve")

if tab_apple.open:
    with tab_apple:
        st.markdown(
            "A static embedding gives *Apple* one vector, whether it is eaten or traded. Self-attention rebuilds "
            "each word from its neighbours, so the output for *Apple* leans towards the fruit next to *juicy* and "
            f"towards the company next to *stock*. The map squeezes the {D_MODEL} features into the two directions along "
            "which these vectors differ most (principal components, via NumPy's SVD)."
        )
        senses = SENSE_CONTEXTS["Apple"]
        contexts = list(senses["fruit"] + senses["company"])
        groups = ["static"] + ["fruit"] * len(senses["fruit"]) + ["company"] * len(senses["company"])
        mine = " ".join(tokens)
        if any(t.lower() == "apple" for t in tokens) and mine not in contexts:
            contexts.append(mine)
            groups.append("your sentence")
        n_f, n_c = len(senses["fruit"]), len(senses["company"])
        static, outputs, _, pca = _apple(tuple(contexts), scaled, temperature, positions)
        point_labels = ["Apple (static)"] + [f"“{s}”" for s in contexts]
        st.plotly_chart(sense_scatter(pca.coords, point_labels, groups, pca.explained, "Apple"), key="sa_apple")
        fruit, company = FEATURE_NAMES.index("fruit"), FEATURE_NAMES.index("company")
        lean = outputs[:, fruit] - outputs[:, company]  # [k]
        st.markdown(
            f"The static vector has fruit = company = {static[fruit]:.2f}. After self-attention, "
            f"{quoted(contexts[0])} gives fruit **{outputs[0, fruit]:.2f}** vs company {outputs[0, company]:.2f}, "
            f"while {quoted(contexts[n_f])} gives fruit {outputs[n_f, fruit]:.2f} "
            f"vs company **{outputs[n_f, company]:.2f}**. "
            f"{int(np.sum(lean[:n_f] > 0))} of {n_f} fruit sentences lean fruit and "
            f"{int(np.sum(lean[n_f:n_f + n_c] < 0))} of {n_c} company sentences lean company. "
            + (f"Your sentence leans **{'fruit' if lean[-1] > 0 else 'company'}**. " if len(contexts) > n_f + n_c else "")
            + "Computed with identity projections and "
            "your scaling, temperature and position settings."
        )
        table = pd.DataFrame({"sentence": contexts, "sense": groups[1:], "fruit": outputs[:, fruit],
                              "company": outputs[:, company],
                              "moved from static": np.linalg.norm(outputs - static, axis=1)})
        st.dataframe(table, hide_index=True, column_config={c: st.column_config.NumberColumn(format="%.2f")
                                                            for c in ("fruit", "company", "moved from static")})

if tab_table.open:
    with tab_table:
        st.markdown(
            f"These are the vectors the page feeds in, one row per token and one column per named feature. "
            f"Change a number and the heatmap above is recomputed; values must be numbers between "
            f"−{TABLE_LIMIT:g} and {TABLE_LIMIT:g}."
            + (" Positions are added on top of these values." if positions else "")
        )
        for r, feature, raw in store["rejected"]:
            where_ = f"row {r + 1} ({quoted(tokens[r])})" if 0 <= r < n else f"row {r + 1}"
            st.warning(f"Rejected the value {quoted(str(raw))} in {where_}, column {quoted(feature)}: it must be a "
                       f"finite number between −{TABLE_LIMIT:g} and {TABLE_LIMIT:g}. The previous value is kept.")
        frame = pd.DataFrame(store["x"], index=[f"{i + 1} {t}" for i, t in enumerate(tokens)],
                             columns=list(FEATURE_NAMES))
        st.data_editor(frame, key=f"sa_editor_{version}", num_rows="fixed",
                       column_config={f: st.column_config.NumberColumn(f, format="%.2f", min_value=-TABLE_LIMIT,
                                                                       max_value=TABLE_LIMIT, step=0.1)
                                      for f in FEATURE_NAMES})
        st.button("Reset to the built-in values", key="sa_reset", on_click=_reset_table,
                  disabled=not store["edited"] and not store["rejected"])
        if store["edited"]:
            st.caption("Edited values are in use for this sentence; they are not stored in the page address.")
