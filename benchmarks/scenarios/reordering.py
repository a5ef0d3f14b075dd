"""Reordering page. RERUN: switch the sentence source, change a builder slot, drag the held-out length, ask for
another sentence, type a sentence, and toggle raw scores. BROWSER: the held-out source length (a new sentence is
translated and the heatmap redrawn), another held-out sentence, the scores/weights toggle (with the scoring
heatmap shown) and the sentence source, with the keyboard; the browser opens the page on held-out sentences of length
8 so the slider is there."""

from benchmarks import keyboard

# ---- server reruns (AppTest) ----------------------------------------------------------------------------------------

SOURCES = ("blog", "build", "test", "type")
VERBS = ("send", "give", "write", "check")
LENGTHS = (6, 10, 14, 18)
TEXTS = ("நாளைக்குள் அந்த report-ஐ அனுப்ப முடியுமா", "நான் நேற்று அதை அனுப்பினேன்", "அந்த file-ஐ படிக்க முடியுமா",
         "நாங்கள் இன்று manager-க்கு email-ஐ அனுப்புவோம்")


def _source(at, kind: str) -> None:
    if at.radio(key="ro_src").value != kind:
        at.radio(key="ro_src").set_value(kind)
        at.run()


def switch_source(at, i: int) -> None:
    at.radio(key="ro_src").set_value(SOURCES[i % len(SOURCES)])


def builder_slot(at, i: int) -> None:
    _source(at, "build")
    at.selectbox(key="ro_slot_verb").set_value(VERBS[i % len(VERBS)])


def drag_length(at, i: int) -> None:
    _source(at, "test")
    at.slider(key="ro_len").set_value(LENGTHS[i % len(LENGTHS)])


def another_sentence(at, i: int) -> None:
    _source(at, "test")
    if at.session_state["ro_pick"] >= 3:
        at.session_state["ro_pick"] = -1
    at.button(key="ro_another").click()


def type_sentence(at, i: int) -> None:
    _source(at, "type")
    at.text_input(key="ro_text").input(TEXTS[i % len(TEXTS)])


def toggle_raw(at, i: int) -> None:
    if not at.toggle(key="ro_show_scorings").value:  # the scoring heatmaps, and their toggle, are drawn on request
        at.toggle(key="ro_show_scorings").set_value(True)
        at.run()
    at.toggle(key="ro_raw").set_value(i % 2 == 0)


RERUN = {
    "radio: sentence source": switch_source,
    "select: builder slot": builder_slot,
    "slider: held-out length": drag_length,
    "button: another sentence": another_sentence,
    "text: type a sentence": type_sentence,
    "toggle: raw scores": toggle_raw,
}

# ---- key presses in Chromium ----------------------------------------------------------------------------------------

BROWSER_QUERY = "src=test&len=8"
BROWSER_QUERIES = {"toggle: scores before softmax": "src=test&len=8&scorings=1"}  # a scoring's heatmap on request
SOURCE_LABELS = ("the blog's sentence", "a held-out sentence")  # from the held-out default, the blog's first


def held_out_length(page, i: int) -> None:
    keyboard.step_slider(page, "Source length", i)


def another(page, i: int) -> None:
    keyboard.press_button(page, "ro_another")


def raw_scores(page, i: int) -> None:
    keyboard.flip_switch(page, "ro_raw")


def source(page, i: int) -> None:
    keyboard.pick_option(page, "ro_src", SOURCE_LABELS, i)


BROWSER = {
    "slider: held-out length": held_out_length,
    "button: another held-out sentence": another,
    "toggle: scores before softmax": raw_scores,
    "radio: sentence source": source,
}
