"""Self-attention page. RERUN: one scenario per kind of control; each alternates values so every rerun recomputes
the attention and redraws the heatmap and whatever the open deep dive shows (only the open one runs, none by
default; the query bars are drawn on request, off here).
BROWSER: the word doing the looking, the blog's sentences, and the settings a learner plays with (temperature, the
causal mask, the √dₖ scaling; they sit in a folded expander, built only while open, that opens at first once one
differs from its default, so the browser opens the page with the temperature at 1.1). Keyboard only."""

from benchmarks import keyboard
from lessons.embeddings import PRESETS
from playground.self_attention_ui import SETTINGS_BOX, TABS

# ---- server reruns (AppTest) ----------------------------------------------------------------------------------------

SENTENCES = tuple(PRESETS.values())
LONG = " ".join(["The cat sat on the mat because it was tired and"] * 4)  # 40 tokens, the most the page draws
STEPS = ("X", "Q", "Q·Kᵀ", "masked", "weights", "output")


def type_sentence(at, i: int) -> None:
    at.text_area(key="sa_text").set_value(SENTENCES[i % len(SENTENCES)])


def pick_preset(at, i: int) -> None:
    at.button_group(key="sa_preset").set_value(list(PRESETS)[i % len(PRESETS)])


def choose_word(at, i: int) -> None:
    at.selectbox(key="sa_query").set_value(i % 11)


def click_heatmap_row(at, i: int) -> None:
    row = i % 11
    at.session_state["sa_heatmap"] = {"selection": {"points": [{"x": 0, "y": row}], "point_indices": [row],
                                                    "box": [], "lasso": []}}


def setting(at, key: str, value) -> None:
    """A control of the settings, which are built only while their folded section is open (a learner opens it to
    use them): the first (warm-up) change opens it."""
    at.session_state[SETTINGS_BOX] = True
    at.session_state[key] = value


def flip_scaling(at, i: int) -> None:
    setting(at, "sa_scale", i % 2 == 1)


def drag_temperature(at, i: int) -> None:
    setting(at, "sa_temp", (0.3, 1.0, 2.5, 0.7)[i % 4])


def flip_causal(at, i: int) -> None:
    setting(at, "sa_causal", i % 2 == 1)


def drag_padding(at, i: int) -> None:
    setting(at, "sa_pad", i % 5)


def switch_projections(at, i: int) -> None:
    setting(at, "sa_proj", ("identity", "random")[i % 2])


def change_seed(at, i: int) -> None:
    setting(at, "sa_proj", "random")  # the seed counts only with random projections
    setting(at, "sa_seed", i % 50)


def flip_positions(at, i: int) -> None:
    setting(at, "sa_pos", i % 2 == 1)


def switch_tab(at, i: int) -> None:
    at.session_state["sa_tab"] = TABS[i % len(TABS)]


def inspect_step(at, i: int) -> None:
    at.session_state["sa_tab"] = "Step by step"
    at.session_state["sa_step"] = STEPS[i % len(STEPS)]


def drag_sqrt_d(at, i: int) -> None:
    at.session_state["sa_tab"] = "Why divide by √d?"
    if any(s.key == "sa_d" for s in at.slider):
        at.slider(key="sa_d").set_value((4, 64, 256, 512, 16)[i % 5])


def apple_tab_temperature(at, i: int) -> None:
    at.session_state["sa_tab"] = "The Apple problem"
    setting(at, "sa_temp", (0.5, 1.0, 2.0)[i % 3])


def edit_table(at, i: int) -> None:
    at.session_state["sa_tab"] = "Edit the embeddings"
    editors = at.data_editor
    if editors:
        at.session_state[editors[0].key] = {"edited_rows": {i % 10: {"animate": float(i % 7)}}, "added_rows": [],
                                            "deleted_rows": []}


def long_sentence_temperature(at, i: int) -> None:
    if at.text_area(key="sa_text").value != LONG:
        at.text_area(key="sa_text").set_value(LONG)
    setting(at, "sa_temp", (0.5, 1.0, 2.0)[i % 3])


RERUN = {
    "text area: type a sentence": type_sentence,
    "pills: blog sentence": pick_preset,
    "select box: word": choose_word,
    "heatmap click: row": click_heatmap_row,
    "toggle: √d scaling": flip_scaling,
    "slider: temperature": drag_temperature,
    "toggle: causal mask": flip_causal,
    "slider: padding": drag_padding,
    "radio: projections": switch_projections,
    "number: seed": change_seed,
    "toggle: positions": flip_positions,
    "tabs: deep dive": switch_tab,
    "tabs: inspector step": inspect_step,
    "slider: d (why √d)": drag_sqrt_d,
    "slider: temperature (Apple tab)": apple_tab_temperature,
    "table: edit a cell": edit_table,
    "slider: temperature, 40 tokens": long_sentence_temperature,
}

# ---- key presses in Chromium ----------------------------------------------------------------------------------------

BROWSER_QUERY = "temp=1.1"
PRESET_LABELS = ("Cat on the mat: what is 'it'?", "Report and client (nested clauses)")  # from the default, the second


def temperature(page, i: int) -> None:
    keyboard.step_slider(page, "Temperature", i)


def word(page, i: int) -> None:
    keyboard.step_selectbox(page, "Word doing the looking", i)


def preset(page, i: int) -> None:
    keyboard.pick_option(page, "sa_preset", PRESET_LABELS, i)


def causal(page, i: int) -> None:
    keyboard.flip_switch(page, "sa_causal")


def scaling(page, i: int) -> None:
    keyboard.flip_switch(page, "sa_scale")


BROWSER = {
    "slider: temperature": temperature,
    "select: word doing the looking": word,
    "pills: blog sentence": preset,
    "toggle: causal mask": causal,
    "toggle: divide by √dₖ": scaling,
}
