"""models: the tiny models the playground trains and ships, pure NumPy on top of `attention_core`.

rnn (GRU and Elman cells with hand-written backward passes), toy_tamil (the toy Tamil->English corpus) and seq2seq
(the translators with and without attention; `python -m models.seq2seq train|evaluate`). Shipped weights live in
models/weights/. Imports only `attention_core`, NumPy and the standard library.
"""

__all__ = ["rnn", "seq2seq", "toy_tamil"]
