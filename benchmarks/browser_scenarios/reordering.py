"""Reordering page: the held-out source length (a new sentence is translated and every heatmap redrawn), another
held-out sentence, the scores/weights toggle and the sentence source, with the keyboard. The page opens on held-out
sentences of length 8 so the slider is there."""

from benchmarks.browser_scenarios import flip_switch, pick_option, press_button, step_slider

QUERY = "src=test&len=8"
SOURCES = ("the blog's sentence", "a held-out sentence")  # from the held-out default, the blog's first


def held_out_length(page, i: int) -> None:
    step_slider(page, "Source length", i)


def another(page, i: int) -> None:
    press_button(page, "ro_another")


def raw_scores(page, i: int) -> None:
    flip_switch(page, "ro_raw")


def source(page, i: int) -> None:
    pick_option(page, "ro_src", SOURCES, i)


SCENARIOS = {
    "slider: held-out length": held_out_length,
    "button: another held-out sentence": another,
    "toggle: scores before softmax": raw_scores,
    "radio: sentence source": source,
}
