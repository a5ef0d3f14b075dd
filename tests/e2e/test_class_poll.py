"""A class poll in real browsers through the shipped setup (`deploy.serve`: two replicas behind nginx): a teacher asks
from Self-attention's guess-first question, three students (one on a phone) answer, the projector counts them without
being touched, reveals the model's row, and the phone shows the answer. Screenshots: class_poll_projector,
class_poll_revealed, class_poll_student_phone."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from deploy.serve import start
from tests.e2e.conftest import assert_no_exception, screenshot, wait_for_app, wait_text
from tooling.servers import free_port_block

pytestmark = pytest.mark.e2e

CAT = "The cat sat on the mat because it was tired"
PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)


@pytest.fixture(scope="module")
def proxied(chromium_path, nginx, tmp_path_factory):
    dep = start(2, free_port_block(3), "127.0.0.1", warm=False, log_dir=tmp_path_factory.mktemp("poll-replicas"))
    yield dep.url
    dep.stop()


def test_a_class_answers_and_the_projector_shows_it(browser, proxied):
    teacher_ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    teacher = teacher_ctx.new_page()
    teacher.set_default_timeout(60_000)
    query = urllib.parse.urlencode(dict(guess="1", text=CAT, word="it"))
    teacher.goto(f"{proxied}/self_attention?{query}")
    wait_for_app(teacher, 120_000)
    teacher.get_by_role("button", name="Ask the class").click()
    wait_text(teacher, "Reveal the answer", 60_000, settle=False)
    code = urllib.parse.parse_qs(urllib.parse.urlparse(teacher.url).query)["code"][0]
    assert re.fullmatch(r"[A-Z]{4}", code) and "key=" not in teacher.url  # the key never reaches the address bar
    wait_text(teacher, "0 students have answered", settle=False)
    assert_no_exception(teacher)

    students = []
    for i, word in enumerate(("cat", "cat", "mat")):
        ctx = browser.new_context(**(PHONE if i == 2 else dict(viewport={"width": 1280, "height": 800})))
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{proxied}/class_poll?code={code.lower()}")
        wait_text(page, "Pick your answer", settle=False)
        assert page.get_by_role("button", name="Reveal the answer").count() == 0  # no teacher control
        page.locator('[data-testid="stButtonGroup"]').get_by_role("radio", name=word, exact=True).click()
        wait_text(page, f"Your answer: {word}.", settle=False)
        assert_no_exception(page)
        students.append((ctx, page))

    wait_text(teacher, "3 students have answered", 10_000, settle=False)  # the projector refreshed itself: nobody touched it
    screenshot(teacher, "class_poll_projector")
    teacher.get_by_role("button", name="Reveal the answer").click()
    wait_text(teacher, "The answer is", settle=False)
    assert teacher.get_by_text("the model's attention", exact=False).count() >= 1
    screenshot(teacher, "class_poll_revealed")
    phone = students[2][1]
    wait_text(phone, "The answer is", 15_000, settle=False)  # the student's view refreshes itself too
    screenshot(phone, "class_poll_student_phone")
    assert_no_exception(phone)
    for ctx, _ in students:
        ctx.close()
    teacher_ctx.close()
