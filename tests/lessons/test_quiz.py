"""The quiz bank: enough questions over every topic, answers recomputed independently, parsing and checking rules."""

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lessons import quiz
from lessons.quiz import Feedback, check_answer, parse_number, question_bank, question_by_id, score

ROOT = Path(__file__).resolve().parents[2]
DEMO_TOPICS = {"bottleneck", "reordering", "speed", "self-attention", "multi-head"}


def test_bank_size_kinds_and_topics():
    bank = question_bank()
    assert len(bank) >= 12
    assert len({q.id for q in bank}) == len(bank), "question ids must be unique"
    assert {q.topic for q in bank} == set(quiz.TOPICS)
    assert {q.topic for q in bank} >= DEMO_TOPICS
    assert {q.kind for q in bank} == {"choice", "number"}
    assert sum(q.kind == "number" for q in bank) >= 5


@pytest.mark.parametrize("q", question_bank(), ids=lambda q: q.id)
def test_each_question_is_well_formed(q):
    assert q.prompt.strip() and q.explanation.strip()
    assert q.topic in quiz.TOPICS
    assert q.section or q.topic != "math", "a question on the math names the section to revisit"
    if q.kind == "choice":
        assert len(q.options) >= 3 and len(set(q.options)) == len(q.options)
        assert isinstance(q.answer, int) and 0 <= q.answer < len(q.options)
    else:
        assert q.kind == "number" and not q.options
        assert math.isfinite(q.answer) and q.tolerance >= 0
        # the answer shown to the learner, typed back in, is accepted
        assert check_answer(q, q.answer_text).correct


def test_every_section_anchor_exists_in_the_deep_dive():
    from tests.docs.test_deep_dive import heading_anchors

    anchors = heading_anchors((ROOT / "ATTENTION_MATH_DEEP_DIVE.md").read_text(encoding="utf-8"))
    for q in question_bank():
        if q.section:
            assert q.section in anchors, (q.id, q.section)


def test_missed_lists_wrong_and_skipped_questions_in_bank_order():
    bank = question_bank()
    a, b, c, d = (q.id for q in bank[:4])
    results = {d: None, b: Feedback(False, "x", "no"), a: Feedback(True, "y", "Right.")}
    assert [q.id for q in quiz.missed(results, [a, b, c, d])] == [b, d]
    assert quiz.missed(results, [a, c]) == ()


# Independent recomputation of the numeric answers, with plain NumPy / math instead of attention_core.
EXPECTED = {
    "bottleneck-jacobian": 0.8**10,
    "speed-pairs": 300 * 300,
    "self-softmax": 100 * math.exp(2) / (math.exp(2) + math.exp(1) + 1),
    "multi-head-size": 512 // 8,
    "multi-head-params": 4 * 64 * 64,
    "math-sqrt-d": 8.0,
    "math-temperature": 100 * math.exp(2) / (math.exp(2) + 1),
    "math-empty-row": 0.0,
    "math-position": math.sin(1.0),
    # softmax(1, 0, 0) = (e, 1, 1) / (e + 2); dL/dz_0 = a_0 (g_0 - a.g) with g = (-1, 1, 0)
    "math-it-gradient": math.e / (math.e + 2) * (-1 - (-math.e + 1) / (math.e + 2)),
}


@pytest.mark.parametrize("qid", sorted(EXPECTED))
def test_numeric_answers_match_an_independent_computation(qid):
    q = question_by_id(qid)
    assert q.kind == "number"
    assert q.answer == pytest.approx(EXPECTED[qid], abs=1e-9)


def test_every_numeric_question_is_recomputed_independently():
    assert {q.id for q in question_bank() if q.kind == "number"} == set(EXPECTED)


def test_prompts_carry_the_numbers_the_answers_come_from():
    assert "0.8" in question_by_id("bottleneck-jacobian").prompt
    assert "2, 1, 0" in question_by_id("self-softmax").prompt
    assert r"$d_\text{model} = 512$" in question_by_id("multi-head-size").prompt and "8 heads" in question_by_id(
        "multi-head-size").prompt
    assert "T = 0.5" in question_by_id("math-temperature").prompt


def test_choice_answers_that_are_computed():
    q = question_by_id("math-causal")
    assert q.options[q.answer] == "Words 1 to 3"
    assert "words 1, 2, 3" in q.explanation


def test_explanations_quote_the_computed_numbers():
    assert "66.5%" in question_by_id("self-softmax").explanation
    assert "0.107" in question_by_id("bottleneck-jacobian").explanation
    assert "16,384" in question_by_id("multi-head-params").explanation
    assert "90,000" in question_by_id("speed-pairs").explanation


@pytest.mark.parametrize(
    "text, value",
    [("66.5", 66.5), (" 66.5 ", 66.5), ("66,5", 66.5), ("66.5%", 66.5), ("66.5 %", 66.5), ("1,048,576", 1048576),
     ("1 048 576", 1048576), ("16_384", 16384), ("1e-3", 0.001), ("\u22122", -2.0), ("-0.25", -0.25), ("8", 8.0), ("٣", 3.0)],
)
def test_parse_number_accepts_common_spellings(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "   ", "abc", "nan", "inf", "-inf", "1,5,6", "12abc", "<b>1</b>", "x" * 200,
                                  "1.2.3", "🙂", "1e999", None])
def test_parse_number_rejects_non_numbers_with_a_message(text):
    with pytest.raises(ValueError) as err:
        parse_number(text)
    assert str(err.value)
    assert len(str(err.value)) < 120, "the message is shown to the learner as is"
    if text and len(text.strip()) > 3:
        assert text.strip() not in str(err.value), "the message must not echo the learner's text (Markdown safety)"


@given(st.text(max_size=60))
def test_parse_number_never_raises_anything_but_value_error(text):
    try:
        value = parse_number(text)
    except ValueError:
        return
    assert math.isfinite(value)


def test_check_choice_right_wrong_and_non_answers():
    q = question_by_id("self-qkv")
    assert check_answer(q, q.answer) == Feedback(True, q.options[q.answer], "Right.")
    wrong = (q.answer + 1) % len(q.options)
    fb = check_answer(q, wrong)
    assert not fb.correct and q.options[q.answer] in fb.message
    for bad in (None, -1, len(q.options), True, "1"):
        with pytest.raises(ValueError):
            check_answer(q, bad)


def test_check_number_tolerance_and_percent_as_fraction():
    q = question_by_id("self-softmax")  # 66.52...%
    assert check_answer(q, "66.5").correct
    assert check_answer(q, "66.52%").correct
    assert check_answer(q, "0.665").correct  # a share typed as a fraction
    assert not check_answer(q, "67").correct
    assert "66.5%" in check_answer(q, "50").message
    with pytest.raises(ValueError, match="not a number"):
        check_answer(q, "sixty")
    big = question_by_id("multi-head-params")
    assert check_answer(big, "16,384").correct and not check_answer(big, "0.16384").correct


def test_score_counts_right_wrong_skipped_and_open():
    ids = [q.id for q in question_bank()]
    results = {ids[0]: Feedback(True, "a", "Right."), ids[1]: Feedback(False, "b", "Not quite"), ids[2]: None}
    assert score(results, ids) == {"right": 1, "wrong": 1, "skipped": 1, "open": len(ids) - 3, "total": len(ids)}
    assert score(results, ids[3:5]) == {"right": 0, "wrong": 0, "skipped": 0, "open": 2, "total": 2}
    assert score({}, []) == {"right": 0, "wrong": 0, "skipped": 0, "open": 0, "total": 0}


def test_unknown_question_id():
    with pytest.raises(ValueError, match="no quiz question"):
        question_by_id("nope")


def test_bank_is_built_once_and_immutable():
    assert question_bank() is question_bank()
    q = question_bank()[0]
    with pytest.raises(AttributeError):
        q.answer = 3  # type: ignore[misc]
    assert isinstance(question_bank(), tuple)
    assert np.isfinite([x.answer for x in question_bank()]).all()


def test_param_count_question_says_no_biases_and_counts_them():
    """The count 16,384 holds only without biases; with one per projection it is 16,640."""
    q = question_by_id("multi-head-params")
    assert "no biases" in q.prompt
    assert 4 * 64 * 64 + 4 * 64 == 16_640 and "16,640" in q.explanation


def test_empty_row_question_names_other_libraries_rules():
    """This library's zeros are one rule among several (NaN in old PyTorch, uniform with -1e9 fill)."""
    text = question_by_id("math-empty-row").explanation
    assert "NaN" in text and "scaled_dot_product_attention" in text
    assert f"{1 / 3:.3f} each" in text
