"""Self-attention page: the word doing the looking, the blog's sentences, and the settings a learner plays with
(temperature, the causal mask, the √dₖ scaling; they sit in a folded expander that opens once one differs from its
default, so the page opens with the temperature at 1.1). Keyboard only."""

from benchmarks.browser_scenarios import flip_switch, pick_option, step_selectbox, step_slider

QUERY = "temp=1.1"
PRESETS = ("Cat on the mat: what is 'it'?", "Report and client (nested clauses)")  # from the default, the second


def temperature(page, i: int) -> None:
    step_slider(page, "Temperature", i)


def word(page, i: int) -> None:
    step_selectbox(page, "Word doing the looking", i)


def preset(page, i: int) -> None:
    pick_option(page, "sa_preset", PRESETS, i)


def causal(page, i: int) -> None:
    flip_switch(page, "sa_causal")


def scaling(page, i: int) -> None:
    flip_switch(page, "sa_scale")


SCENARIOS = {
    "slider: temperature": temperature,
    "select: word doing the looking": word,
    "pills: blog sentence": preset,
    "toggle: causal mask": causal,
    "toggle: divide by √dₖ": scaling,
}
