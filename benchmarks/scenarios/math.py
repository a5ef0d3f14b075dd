"""Math deep dive page: switch sections (RERUN), with the keyboard in its select box (BROWSER); the worked example is
redrawn."""

from benchmarks import keyboard

# ---- server reruns (AppTest) ----------------------------------------------------------------------------------------

SECTIONS = ("masking", "multi-head-attention", "scaled-dot-product-attention", "sinusoidal-positional-encoding")


def pick_section(at, i: int) -> None:
    at.selectbox(key="math_section").set_value(SECTIONS[i % len(SECTIONS)])


RERUN = {"select: section": pick_section}

# ---- key presses in Chromium ----------------------------------------------------------------------------------------


def section(page, i: int) -> None:
    keyboard.step_selectbox(page, "Section", i)


BROWSER = {"select: section": section}
