"""Math page: switch sections."""

SECTIONS = ("masking", "multi-head-attention", "scaled-dot-product-attention", "sinusoidal-positional-encoding")


def pick_section(at, i: int) -> None:
    at.selectbox(key="math_section").set_value(SECTIONS[i % len(SECTIONS)])


SCENARIOS = {"select: section": pick_section}
