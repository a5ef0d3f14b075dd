"""models: the tiny models the playground trains and ships, pure NumPy on top of `attention_core`.

rnn (GRU and Elman cells with hand-written backward passes), toy_tamil (the toy Tamil->English corpus) and seq2seq
(the translators with and without attention; `python -m models.seq2seq train|evaluate`) and coreference (the
"Who is it?" Transformer encoder; `python -m models.coreference train|evaluate|attend|vocab`). Shipped weights live in
models/weights/. Imports only `attention_core`, NumPy and the standard library.
"""

__all__ = ["coreference", "rnn", "seq2seq", "toy_tamil"]
