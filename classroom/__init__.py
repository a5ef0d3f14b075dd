"""What a class does together, without any UI: the class poll (a question, the students' answers, round after round)
and the store that keeps it, SQLite from the standard library by default.

    poll    the rules: class codes, teacher keys, what a poll asks, the tally of one round
    store   PollStore (the small interface the UI talks to) and SQLiteStore, its embedded implementation

Imported by playground (the poll's page and its "Ask the class" buttons); imports only the standard library.
"""

from .poll import CODE_ALPHABET, CODE_LENGTH, Poll, PollError, Question, normalize_code, tally
from .store import DEFAULT_TTL_S, PollStore, SQLiteStore, data_dir, default_store

__all__ = [
    "CODE_ALPHABET", "CODE_LENGTH", "DEFAULT_TTL_S", "Poll", "PollError", "PollStore", "Question", "SQLiteStore",
    "data_dir", "default_store", "normalize_code", "tally",
]
