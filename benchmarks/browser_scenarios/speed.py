"""Speed page: the P-workers slider (redraws the workers model without measuring), and the two sliders that choose
what is measured, n and d (one step each way: the warm-up presses measure the new value once, the timed ones find it
cached, as a learner going back and forth does). The page opens with a small n so its first measurement is short."""

from benchmarks.browser_scenarios import step_slider

QUERY = "n=512&d=64"


def workers(page, i: int) -> None:
    step_slider(page, "the number of workers", i)  # the label starts with $P$ in LaTeX


def width(page, i: int) -> None:
    step_slider(page, "Width of each token's vector", i)


def longest(page, i: int) -> None:
    step_slider(page, "Longest sequence to measure", i)


SCENARIOS = {
    "slider: workers P": workers,
    "slider: width d": width,
    "slider: longest n": longest,
}
