"""classroom: the class poll's rules and its SQLite store (schema, one answer per session and round, rounds, expiry,
the teacher key, several processes writing at once)."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from classroom import CODE_ALPHABET, PollError, Question, SQLiteStore, normalize_code, tally
from classroom.store import ACTIONS, SCHEMA_VERSION

Q = Question("Which word does it look at most?", ("The", "cat", "sat", "it"), answer=1, source="Self-attention",
             shares=(0.1, 0.6, 0.1, 0.2))
NOW = 1_000_000.0


@pytest.fixture
def store(tmp_path):
    return SQLiteStore(tmp_path / "polls.sqlite3")


def test_the_schema_is_created_versioned_and_in_wal_mode(store):
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} >= {"polls", "answers"}
    SQLiteStore(store.path)  # opening it again changes nothing


def test_a_newer_schema_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "p.sqlite3"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(RuntimeError, match="AP_DATA_DIR"):
        SQLiteStore(path)


def test_codes_are_four_readable_letters_and_typing_is_forgiving():
    assert normalize_code("  bc-df ") == "BCDF" and normalize_code("ＢＣＤＦ") == "BCDF"
    for bad in ("", "ABC", "BCDFG", "B1DF", "<b>x", None, 42, "B CD"[:3], "ΑΒΓΔ"):
        with pytest.raises(PollError, match="class code"):
            normalize_code(bad)
    assert all(c not in CODE_ALPHABET for c in "AEIOU01L")


def test_one_answer_per_session_and_round_the_last_one_counts(store):
    poll, _ = store.create(Q, NOW)
    assert len(poll.code) == 4 and poll.state == "open" and poll.round == 1
    store.answer(poll.code, "s1", 0, NOW + 1)
    store.answer(poll.code, "s1", 1, NOW + 2)  # changed before the poll closed: still one answer
    for _ in range(50):
        store.answer(poll.code, "s2", 1, NOW + 3)  # a flood from one session counts once
    store.answer(poll.code.lower(), "s3", 3, NOW + 4)
    assert store.counts(poll.code, 1) == [0, 2, 0, 1]
    assert store.my_answer(poll.code, 1, "s1") == 1 and store.my_answer(poll.code, 1, "nobody") is None
    for bad in (-1, 4, True, "1", 1.0):
        with pytest.raises(PollError, match="not one of the poll's options"):
            store.answer(poll.code, "s4", bad, NOW)


def test_rounds_close_reveal_and_ask_again(store):
    poll, key = store.create(Q, NOW)
    store.answer(poll.code, "s1", 0, NOW)
    assert store.control(poll.code, key, "close", NOW).state == "closed"
    with pytest.raises(PollError, match="closed"):
        store.answer(poll.code, "s2", 1, NOW)
    assert store.control(poll.code, key, "reveal", NOW).state == "revealed"
    again = store.control(poll.code, key, "again", NOW)
    assert (again.state, again.round) == ("open", 2)
    store.answer(poll.code, "s1", 1, NOW)
    assert store.counts(poll.code, 1) == [1, 0, 0, 0] and store.counts(poll.code, 2) == [0, 1, 0, 0]
    assert store.control(poll.code, key, "end", NOW) is None
    assert store.get(poll.code, NOW) is None


@pytest.mark.parametrize("action", ACTIONS)
def test_a_student_cannot_do_any_teacher_action(store, action):
    poll, key = store.create(Q, NOW)
    other, other_key = store.create(Q, NOW)
    for wrong in ("", None, "guess", key[:-1] + ("x" if key[-1] != "x" else "y"), other_key, 12345):
        with pytest.raises(PollError, match="Only the teacher"):
            store.control(poll.code, wrong, action, NOW)
    assert store.get(poll.code, NOW) == poll  # nothing changed
    assert store.is_teacher(poll.code, key) and not store.is_teacher(poll.code, other_key)
    with pytest.raises(PollError, match="unknown action"):
        store.control(poll.code, key, "drop table", NOW)


def test_polls_expire_and_are_cleaned_up(store):
    poll, key = store.create(Q, NOW, ttl_s=60)
    store.answer(poll.code, "s1", 0, NOW + 30)
    assert store.get(poll.code, NOW + 59) is not None and store.get(poll.code, NOW + 60) is None
    with pytest.raises(PollError, match="ended or expired"):
        store.answer(poll.code, "s2", 0, NOW + 61)
    with pytest.raises(PollError, match="ended or expired"):
        store.control(poll.code, key, "reveal", NOW + 61)
    assert store.cleanup(NOW + 61) == 1
    assert store.counts(poll.code, 1) == [] and sqlite3.connect(store.path).execute(
        "SELECT COUNT(*) FROM answers").fetchone()[0] == 0  # the answers went with the poll


def test_a_bad_question_is_refused():
    for q in (Question("?", ("only one",)), Question("?", tuple("x" * 41)), Question("?", ("a", "b"), answer=2),
              Question("?", ("a", "b"), shares=(0.5,)), Question("?", ("a", "b"), shares=(1.5, 0.0))):
        with pytest.raises(PollError):
            SQLiteStore.create(None, q, NOW)  # refused before the store is touched


def _students(path: str, code: str, first: int, count: int) -> None:
    store = SQLiteStore(path)
    for i in range(first, first + count):
        store.answer(code, f"student-{i}", i % 4, NOW)


def test_several_processes_answer_at_once_and_nothing_is_lost(store):
    poll, _ = store.create(Q, NOW)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_students, args=(str(store.path), poll.code, 40 * k, 40)) for k in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    assert store.counts(poll.code, 1) == tally([i % 4 for i in range(160)], 4) == [40, 40, 40, 40]


def test_the_poll_lifetime_is_configurable(monkeypatch):
    from classroom.store import DEFAULT_TTL_S, poll_ttl_s

    for raw, expected in (("600", 600.0), ("", DEFAULT_TTL_S), ("abc", DEFAULT_TTL_S), ("-5", DEFAULT_TTL_S),
                          ("inf", DEFAULT_TTL_S), ("nan", DEFAULT_TTL_S)):
        monkeypatch.setenv("AP_POLL_TTL_S", raw)
        assert poll_ttl_s() == expected, raw


def test_repeated_words_become_options_a_student_can_tell_apart(store):
    poll, _ = store.create(Question("Which word?", ("the", "cat", "on", "the", "mat", "the")), NOW)
    assert poll.question.options == ("the", "cat", "on", "the (2)", "mat", "the (3)")
