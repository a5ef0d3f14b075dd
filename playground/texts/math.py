"""The prose of the Math page (the sections themselves come from ATTENTION_MATH_DEEP_DIVE.md, via deep_dive)."""

INTRO = (
    "Each demo has a section here: the variables, the derivation step by step, and a small worked example. "
    "The numbers in the examples are not typed in: the test suite recomputes every one of them with "
    "`attention_core`, the library that draws the charts, and fails if a single digit disagrees."
)
