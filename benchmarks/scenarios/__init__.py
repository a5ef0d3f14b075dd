"""One module per page, named after the page file (pages/home.py -> scenarios/home.py).

Each module defines SCENARIOS: a dict from a label ("slider: temperature") to a function change(at, i) that changes one
widget of a running AppTest; call i = 0, 1, 2, ... must alternate values so that every rerun has real work to do.
"""
