"""Home page: drag one shelf score."""

SCORES = (-2.0, 0.0, 2.5, 4.0)


def drag_score(at, i: int) -> None:
    at.slider(key="home_score_Cooking").set_value(SCORES[i % len(SCORES)])


SCENARIOS = {"slider: shelf score": drag_score}
