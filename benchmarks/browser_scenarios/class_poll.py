"""Class poll page, with no poll open (what a student sees before joining): a code typed into the page's join field
and Enter, alternately a code of no poll and one that is not a code (the page answers each with its message)."""

CODES = ("ZZZZ", "hello")


def type_code(page, i: int) -> None:
    box = page.locator(".st-key-cp_join_page input").first
    box.fill(CODES[i % len(CODES)])
    box.press("Enter")


SCENARIOS = {"text: join code": type_code}
