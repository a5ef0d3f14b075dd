"""Bottleneck page. RERUN: drag the length and ρ sliders, ask for another held-out sentence, switch the try-it
source, and change a builder slot; each first visit of a sentence computes its influence curve and translations
(then cached). BROWSER: the two sliders of the influence curve (a step each), another held-out sentence, and the
try-it sentence's source, with the keyboard; the warm-up presses compute both values of the sliders and the
radio, so their timed presses take the cached path, as a learner going back and forth does, while each press of
"another held-out sentence" moves on to a sentence not seen yet and computes its curve and translations."""

from benchmarks import keyboard

# ---- server reruns (AppTest) ----------------------------------------------------------------------------------------

LENGTHS = (8, 14, 20, 26)
RHOS = (0.6, 0.95, 1.1, 1.4)
SOURCES = ("build", "test")
VERBS = ("send", "give", "write", "check")


def drag_length(at, i: int) -> None:
    at.slider(key="bn_len").set_value(LENGTHS[i % len(LENGTHS)])


def drag_rho(at, i: int) -> None:
    at.slider(key="bn_rho").set_value(RHOS[i % len(RHOS)])


def another_sentence(at, i: int) -> None:
    # the pick counter walks the held-out sentences of one length; come back to the start so the cache is warm
    if at.session_state["bn_pick"] >= 3:
        at.session_state["bn_pick"] = -1
    at.button(key="bn_another").click()


def switch_source(at, i: int) -> None:
    at.radio(key="bn_src").set_value(SOURCES[i % len(SOURCES)])


def builder_slot(at, i: int) -> None:
    if at.radio(key="bn_src").value != "build":
        at.radio(key="bn_src").set_value("build")
        at.run()
    at.selectbox(key="bn_slot_verb").set_value(VERBS[i % len(VERBS)])


RERUN = {
    "slider: sentence length": drag_length,
    "slider: spectral radius": drag_rho,
    "button: another sentence": another_sentence,
    "radio: try-it source": switch_source,
    "select: builder slot": builder_slot,
}

# ---- key presses in Chromium ----------------------------------------------------------------------------------------

SOURCE_LABELS = ("a sentence I build", "a held-out sentence of the length above")  # from the default, the builder


def spectral_radius(page, i: int) -> None:
    keyboard.step_slider(page, "Spectral radius", i)


def length(page, i: int) -> None:
    keyboard.step_slider(page, "Sentence length", i)


def another(page, i: int) -> None:
    keyboard.press_button(page, "bn_another")


def source(page, i: int) -> None:
    keyboard.pick_option(page, "bn_src", SOURCE_LABELS, i)


BROWSER = {
    "slider: spectral radius": spectral_radius,
    "slider: sentence length": length,
    "button: another held-out sentence": another,
    "radio: try-it sentence": source,
}
