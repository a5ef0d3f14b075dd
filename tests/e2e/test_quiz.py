"""The quiz in a real browser: it renders every question, a typed answer is checked, a non-number gets a message."""

import numpy as np
import pytest

from attention_core import softmax
from attention_core.quiz import question_bank
from tests.e2e.conftest import assert_no_exception, open_app_page, screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def card(page, qid: str):
    return page.locator(f".st-key-qz_card_{qid}")


def test_quiz_renders_all_questions(page, server_url):
    open_app_page(page, server_url, "quiz")
    assert page.locator("h1").first.inner_text().strip() == "Check yourself"
    assert page.get_by_text("Question 1 ·", exact=False).count() == 1
    assert page.get_by_text(f"Question {len(question_bank())} ·", exact=False).count() == 1
    assert_no_exception(page)
    screenshot(page, "quiz")


def test_typed_answers_are_checked(page, server_url):
    open_app_page(page, server_url, "quiz", "topic=self-attention")
    box = card(page, "self-softmax")
    field = box.get_by_role("textbox")
    field.fill("sixty")
    box.get_by_role("button", name="Check").click()
    wait_for_app(page)
    page.get_by_text("That is not a number", exact=False).wait_for()

    share = 100 * softmax(np.array([2.0, 1.0, 0.0]))[0]
    field.fill(f"{share:.1f}")
    box.get_by_role("button", name="Check").click()
    wait_for_app(page)
    box.get_by_text(": right.", exact=False).wait_for()
    assert box.get_by_role("textbox").count() == 0, "an answered question is locked"
    assert "That is not a number" not in page.inner_text("body")
    assert_no_exception(page)
    screenshot(page, "quiz_answered")
