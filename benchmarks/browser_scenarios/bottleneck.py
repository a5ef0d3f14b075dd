"""Bottleneck page: the two sliders of the influence curve (a step each), another held-out sentence, and the try-it
sentence's source, with the keyboard. The warm-up presses compute both values of each, so the timed ones take the
cached path, as a learner going back and forth does."""

from benchmarks.browser_scenarios import pick_option, press_button, step_slider

SOURCES = ("a sentence I build", "a held-out sentence of the length above")  # from the default, the builder


def spectral_radius(page, i: int) -> None:
    step_slider(page, "Spectral radius", i)


def length(page, i: int) -> None:
    step_slider(page, "Sentence length", i)


def another(page, i: int) -> None:
    press_button(page, "bn_another")


def source(page, i: int) -> None:
    pick_option(page, "bn_src", SOURCES, i)


SCENARIOS = {
    "slider: spectral radius": spectral_radius,
    "slider: sentence length": length,
    "button: another held-out sentence": another,
    "radio: try-it sentence": source,
}
