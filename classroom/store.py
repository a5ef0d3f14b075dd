"""Where class polls live: a small interface, and SQLite behind it.

`PollStore` is all the UI knows. `SQLiteStore` keeps polls in one SQLite file (the standard library's sqlite3, WAL
mode) in the data directory, `$AP_DATA_DIR` or `.data/` in the repository: `streamlit run attention_playground.py`
and every replica of `python -m deploy.serve` start in the repository, so they share one file, and a poll survives a
replica's restart. SQLite serialises writers on one machine, which is all one laptop's replicas need (a write here
takes well under a millisecond; see benchmarks/classroom.py --poll). Several machines would put a server database
behind the same interface (docs/ARCHITECTURE.md).

Each call opens its own connection: sessions run in different threads and replicas in different processes, and a
connection per call shares nothing between them.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from .poll import (
    Poll,
    PollError,
    Question,
    checked_question,
    key_digest,
    key_matches,
    new_code,
    new_teacher_key,
    normalize_code,
    tally,
)

SCHEMA_VERSION = 1
DEFAULT_TTL_S = 4 * 3600.0  # a poll outlives a double lesson, then goes ($AP_POLL_TTL_S overrides it)
ROOT = Path(__file__).resolve().parents[1]
ACTIONS = ("open", "close", "reveal", "again", "end")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS polls (
    code TEXT PRIMARY KEY,
    key_digest TEXT NOT NULL,
    question TEXT NOT NULL,          -- JSON of classroom.poll.Question
    state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'revealed')),
    round INTEGER NOT NULL,
    created REAL NOT NULL,
    expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
    code TEXT NOT NULL REFERENCES polls(code) ON DELETE CASCADE,
    round INTEGER NOT NULL,
    session TEXT NOT NULL,           -- a browser session's random id: one answer per session and round
    choice INTEGER NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (code, round, session)
);
CREATE INDEX IF NOT EXISTS polls_expires ON polls(expires);
"""


class PollStore(Protocol):
    """What the class poll needs from a store. Every method takes `now` (time.time()) so tests can move the clock."""

    def create(self, question: Question, now: float, ttl_s: float = DEFAULT_TTL_S) -> tuple[Poll, str]: ...
    def get(self, code: str, now: float) -> Poll | None: ...
    def answer(self, code: str, session: str, choice: int, now: float) -> Poll: ...
    def my_answer(self, code: str, round_: int, session: str) -> int | None: ...
    def counts(self, code: str, round_: int) -> list[int]: ...
    def control(self, code: str, key: object, action: str, now: float) -> Poll | None: ...
    def is_teacher(self, code: str, key: object) -> bool: ...
    def cleanup(self, now: float) -> int: ...


def poll_ttl_s() -> float:
    """How long a new poll lives: $AP_POLL_TTL_S seconds when it is a positive number, else DEFAULT_TTL_S."""
    try:
        value = float(os.environ.get("AP_POLL_TTL_S", ""))
    except ValueError:
        return DEFAULT_TTL_S
    return value if 0 < value < float("inf") else DEFAULT_TTL_S


def data_dir() -> Path:
    """Where the playground keeps what must outlive a server process: $AP_DATA_DIR, else .data/ in the repository."""
    return Path(os.environ.get("AP_DATA_DIR") or ROOT / ".data")


class SQLiteStore:
    """PollStore in one SQLite file (created, with its schema, on first use)."""

    def __init__(self, path: Path | str, connect_timeout_s: float = 10.0) -> None:
        self.path = Path(path)
        self.timeout = connect_timeout_s
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"{self.path} has schema version {version}; this playground knows up to "
                                   f"{SCHEMA_VERSION}: update the playground, or point AP_DATA_DIR elsewhere")
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)  # autocommit; BEGIN where needed
        db.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer: the projector polls freely
        db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a power cut may lose the last answers, not the file
        db.execute("PRAGMA foreign_keys = ON")
        return db

    def _write(self, work: Callable[[sqlite3.Connection], object]) -> object:
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")  # take the write lock first: no read-then-write race between replicas
            try:
                out = work(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return out
        finally:
            db.close()

    def _read(self, sql: str, args: tuple) -> list[tuple]:
        db = self._connect()
        try:
            return db.execute(sql, args).fetchall()
        finally:
            db.close()

    @staticmethod
    def _poll(row: tuple) -> Poll:
        code, _, question, state, round_, created, expires = row
        q = json.loads(question)
        return Poll(code, Question(q["prompt"], tuple(q["options"]), q["answer"], q["source"], q["note"],
                                   tuple(q["shares"])), state, round_, created, expires)

    def _live(self, db: sqlite3.Connection, code: str, now: float) -> tuple | None:
        row = db.execute("SELECT * FROM polls WHERE code = ?", (code,)).fetchone()
        return row if row is not None and row[6] > now else None

    # ---- the interface -------------------------------------------------------------------------------------------

    def create(self, question: Question, now: float, ttl_s: float = DEFAULT_TTL_S) -> tuple[Poll, str]:
        q = checked_question(question)
        key = new_teacher_key()

        def work(db):
            code = new_code(lambda c: self._live(db, c, now) is not None)
            db.execute("DELETE FROM polls WHERE code = ?", (code,))  # an expired poll of the same code
            db.execute("INSERT INTO polls VALUES (?, ?, ?, 'open', 1, ?, ?)",
                       (code, key_digest(key), json.dumps(q._asdict()), now, now + ttl_s))
            return code

        code = self._write(work)
        return Poll(code, q, "open", 1, now, now + ttl_s), key

    def get(self, code: str, now: float) -> Poll | None:
        rows = self._read("SELECT * FROM polls WHERE code = ? AND expires > ?", (normalize_code(code), now))
        return self._poll(rows[0]) if rows else None

    def answer(self, code: str, session: str, choice: int, now: float) -> Poll:
        code = normalize_code(code)
        if not isinstance(session, str) or not session:
            raise PollError("an answer needs the browser session it comes from")

        def work(db):
            row = self._live(db, code, now)
            if row is None:
                raise PollError(f"There is no open class poll {code}: it has ended or expired. Ask your teacher "
                                "for the code on the projector.")
            poll = self._poll(row)
            if poll.state != "open":
                raise PollError("This round is closed: your teacher will reveal the answer or ask again.")
            if not isinstance(choice, int) or isinstance(choice, bool) or not 0 <= choice < len(poll.question.options):
                raise PollError("That is not one of the poll's options.")
            db.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?) ON CONFLICT (code, round, session) "
                       "DO UPDATE SET choice = excluded.choice, at = excluded.at",
                       (code, poll.round, session, choice, now))
            return poll

        return self._write(work)

    def my_answer(self, code: str, round_: int, session: str) -> int | None:
        rows = self._read("SELECT choice FROM answers WHERE code = ? AND round = ? AND session = ?",
                          (normalize_code(code), int(round_), session))
        return rows[0][0] if rows else None

    def counts(self, code: str, round_: int) -> list[int]:
        code = normalize_code(code)
        rows = self._read("SELECT question FROM polls WHERE code = ?", (code,))
        if not rows:
            return []
        n = len(json.loads(rows[0][0])["options"])
        return tally([c for (c,) in self._read("SELECT choice FROM answers WHERE code = ? AND round = ?",
                                                (code, int(round_)))], n)

    def is_teacher(self, code: str, key: object) -> bool:
        rows = self._read("SELECT key_digest FROM polls WHERE code = ?", (normalize_code(code),))
        return bool(rows) and key_matches(key, rows[0][0])

    def control(self, code: str, key: object, action: str, now: float) -> Poll | None:
        """A teacher's action: open, close, reveal, again (a new round, open), end (the poll is deleted; None)."""
        if action not in ACTIONS:
            raise PollError(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")
        code = normalize_code(code)

        def work(db):
            row = self._live(db, code, now)
            if row is None:
                raise PollError(f"There is no class poll {code}: it has ended or expired.")
            if not key_matches(key, row[1]):
                raise PollError("Only the teacher who started this poll can do that.")
            if action == "end":
                db.execute("DELETE FROM polls WHERE code = ?", (code,))
                return None
            poll = self._poll(row)
            state = {"open": "open", "close": "closed", "reveal": "revealed", "again": "open"}[action]
            round_ = poll.round + 1 if action == "again" else poll.round
            db.execute("UPDATE polls SET state = ?, round = ? WHERE code = ?", (state, round_, code))
            return poll._replace(state=state, round=round_)

        return self._write(work)

    def cleanup(self, now: float) -> int:
        """Delete every expired poll and its answers; how many polls went."""
        return self._write(lambda db: db.execute("DELETE FROM polls WHERE expires <= ?", (now,)).rowcount)


def default_store(directory: Path | str | None = None) -> SQLiteStore:
    """The store a running playground uses: class_poll.sqlite3 in `directory` (default: the data directory)."""
    return SQLiteStore(Path(directory or data_dir()) / "class_poll.sqlite3")
