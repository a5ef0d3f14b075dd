"""Multi-head page. RERUN: one scenario per kind of control; each alternates between values so every rerun recomputes
the heads and redraws the head grid, the one figure drawn unasked (the page caches only the head matrices, per
d_model, h, seed, toggle).
BROWSER: the number of heads (every head count, always a change), the model width, the word to follow, the
hand-built toggle and the blog's sentences (pills), each with the keyboard; the page opens on its defaults (8 heads)."""

from benchmarks import keyboard

# ---- server reruns (AppTest) ----------------------------------------------------------------------------------------

HEADS = (8, 4, 2, 8, 1)
D_MODELS = (64, 128, 32, 512)
SENTENCES = (
    "The cat sat on the mat because it was tired",
    "The animal didn't cross the street because it was too tired",
    "The report that the client who called yesterday requested is ready.",
)
LONG = " ".join(["The cat sat on the mat because it was tired and"] * 4)  # 40 tokens, the most the page draws


def pick_heads(at, i: int) -> None:
    at.segmented_control(key="mh_heads").set_value(HEADS[i % len(HEADS)])


def pick_d_model(at, i: int) -> None:
    at.segmented_control(key="mh_d_model").set_value(D_MODELS[i % len(D_MODELS)])


def flip_hand_built(at, i: int) -> None:
    at.toggle(key="mh_hand").set_value(i % 2 == 1)


def flip_positions(at, i: int) -> None:
    at.toggle(key="mh_pos").set_value(i % 2 == 1)


def change_seed(at, i: int) -> None:
    at.number_input(key="mh_seed").set_value(i % 5)


def choose_word(at, i: int) -> None:
    at.selectbox(key="mh_word").set_value(i % 9)


def type_sentence(at, i: int) -> None:
    at.text_input(key="mh_text").set_value(SENTENCES[i % len(SENTENCES)])


def long_sentence_word(at, i: int) -> None:
    # worst case: 40 words, 8 heads, d_model 512; only the followed word changes after the first call
    at.text_input(key="mh_text").set_value(LONG)
    at.segmented_control(key="mh_d_model").set_value(512)
    at.selectbox(key="mh_word").set_value(i % 40)


RERUN = {
    "segmented: heads h": pick_heads,
    "segmented: d_model": pick_d_model,
    "toggle: hand-built heads": flip_hand_built,
    "toggle: position columns": flip_positions,
    "number: seed": change_seed,
    "select: word to follow": choose_word,
    "text: sentence": type_sentence,
    "select: word, 40 words at d_model 512": long_sentence_word,
}

# ---- key presses in Chromium ----------------------------------------------------------------------------------------

HEAD_LABELS = ("4", "8", "1", "8", "2", "8")  # from the default 8: every press changes the count


def heads(page, i: int) -> None:
    keyboard.pick_option(page, "mh_heads", HEAD_LABELS, i)


def d_model(page, i: int) -> None:
    keyboard.pick_option(page, "mh_d_model", ("128", "64"), i)


def word(page, i: int) -> None:
    keyboard.step_selectbox(page, "Word to follow", i)


def hand_built(page, i: int) -> None:
    keyboard.flip_switch(page, "mh_hand")


EXAMPLE_LABELS = ("Report and client (nested clauses)", "Cat on the mat: what is 'it'?")  # the page opens on the cat


def example(page, i: int) -> None:
    keyboard.pick_option(page, "mh_preset", EXAMPLE_LABELS, i)


BROWSER = {
    "segmented: heads h": heads,
    "segmented: d_model": d_model,
    "select: word to follow": word,
    "toggle: hand-built heads": hand_built,
    "pills: blog sentence": example,
}
