"""Speed page. RERUN: move each control; n and d alternate between two values, both measured (and cached) during the
warm-up, so the timed reruns are the cached path the budget is about; P only redraws the model. BROWSER: the
P-workers slider (redraws the workers model without measuring), and the two sliders that choose what is measured, n
and d (one step each way: the warm-up presses measure the new value once, the timed ones find it cached, as a
learner going back and forth does). The browser opens the page with a small n so its first measurement is short."""

from benchmarks import keyboard

# ---- server reruns (AppTest) ----------------------------------------------------------------------------------------

N_VALUES = (256, 512)
D_VALUES = (32, 64)
P_VALUES = (1, 64, 4096, 2**20)


def drag_n(at, i: int) -> None:
    at.select_slider(key="sp_n_max").set_value(N_VALUES[i % len(N_VALUES)])


def drag_d(at, i: int) -> None:
    at.select_slider(key="sp_d").set_value(D_VALUES[i % len(D_VALUES)])


def drag_workers(at, i: int) -> None:
    at.select_slider(key="sp_workers").set_value(P_VALUES[i % len(P_VALUES)])


RERUN = {"slider: longest n": drag_n, "slider: width d": drag_d, "slider: workers P": drag_workers}

# ---- key presses in Chromium ----------------------------------------------------------------------------------------

BROWSER_QUERY = "n=512&d=64"


def workers(page, i: int) -> None:
    keyboard.step_slider(page, "the number of workers", i)  # the label starts with $P$ in LaTeX


def width(page, i: int) -> None:
    keyboard.step_slider(page, "Width of each token's vector", i)


def longest(page, i: int) -> None:
    keyboard.step_slider(page, "Longest sequence to measure", i)


BROWSER = {
    "slider: workers P": workers,
    "slider: width d": width,
    "slider: longest n": longest,
}
