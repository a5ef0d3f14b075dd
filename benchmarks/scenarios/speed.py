"""Speed page: move each control. n and d alternate between two values, both measured (and cached) during the
warm-up, so the timed reruns are the cached path the budget is about; P only redraws the model."""

N_VALUES = (256, 512)
D_VALUES = (32, 64)
P_VALUES = (1, 64, 4096, 2**20)


def drag_n(at, i: int) -> None:
    at.select_slider(key="sp_n_max").set_value(N_VALUES[i % len(N_VALUES)])


def drag_d(at, i: int) -> None:
    at.select_slider(key="sp_d").set_value(D_VALUES[i % len(D_VALUES)])


def drag_workers(at, i: int) -> None:
    at.select_slider(key="sp_workers").set_value(P_VALUES[i % len(P_VALUES)])


SCENARIOS = {"slider: longest n": drag_n, "slider: width d": drag_d, "slider: workers P": drag_workers}
