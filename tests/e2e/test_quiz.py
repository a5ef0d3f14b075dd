"""The quiz in a real browser: it renders, a typed answer is checked, a non-number gets a message, pills navigate."""

import numpy as np
import pytest

from attention_core import softmax
from lessons.quiz import question_bank
from tests.e2e.conftest import assert_no_exception, open_app_page, screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def card(page):
    return page.locator(".st-key-qz_card")


def test_quiz_renders_and_the_pills_move_between_questions(page, server_url):
    open_app_page(page, server_url, "quiz")
    n = len(question_bank())
    assert page.locator("h1").first.inner_text().strip() == "Check yourself"
    assert card(page).get_by_text(f"Question 1 of {n}", exact=False).count() == 1
    assert_no_exception(page)
    screenshot(page, "quiz")
    page.locator(".st-key-qz_jump").get_by_role("radio", name=str(n), exact=True).click()
    wait_for_app(page)
    card(page).get_by_text(f"Question {n} of {n}", exact=False).wait_for()
    assert_no_exception(page)


def test_typed_answers_are_checked(page, server_url):
    open_app_page(page, server_url, "quiz", "topic=self-attention")
    box = card(page)
    assert next(q for q in question_bank() if q.topic == "self-attention").id == "self-softmax"  # shown first
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
