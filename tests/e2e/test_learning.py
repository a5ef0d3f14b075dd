"""The Learning-to-attend page in a real browser, desktop and phone: the scores beside the baselines, the blog pair,
the pointer and the small multiples, the probes, the snapshot slider, a note for a sentence outside the grammar,
and a live training that starts, redraws while it runs, and stops on the Stop button."""

from urllib.parse import quote

import pytest

from models import coreference as model
from tests.e2e.conftest import assert_no_exception, open_app_page, screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def test_page_renders_the_pair_the_heads_and_the_snapshots(page, server_url):
    open_app_page(page, server_url, "learning", "heads=1")  # every head's grid, drawn on request
    assert page.locator("h1").first.inner_text().strip() == "Learning to attend"
    for key in ("ln_pair_0", "ln_pair_1", "ln_pointer", "ln_grid", "ln_formed_row", "ln_formed_acc"):
        assert page.locator(f".st-key-{key} .main-svg").count() >= 1, key
    assert page.locator('[data-testid="stMarkdownContainer"] table').count() >= 3  # the scores, the heads, the probes
    assert page.get_by_text("moves the pointer from", exact=False).count() == 1
    assert_no_exception(page)
    screenshot(page, "learning")


def test_phone_layout(browser, server_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    try:
        open_app_page(pg, server_url, "learning", "heads=1")
        assert_no_exception(pg)
        screenshot(pg, "learning_phone")
    finally:
        context.close()


def test_unknown_word_gets_a_message(page, server_url):
    text = "The zebra didn't cross the street because it was too wide"
    open_app_page(page, server_url, "learning", f"source=type&sentence={quote(text)}")
    page.get_by_text("zebra", exact=False).first.wait_for()
    assert page.locator('[data-testid="stAlertContentError"]').count() == 1
    assert page.locator(".st-key-ln_grid").count() == 0
    assert_no_exception(page)


def test_a_sentence_outside_the_grammar_gets_a_note(page, server_url):
    text = "the street didn't cross the animal because it was too tired"
    open_app_page(page, server_url, "learning", f"source=type&sentence={quote(text)}")
    page.get_by_text("Outside the grammar", exact=False).first.wait_for()
    assert page.locator(".st-key-ln_pointer .main-svg").count() >= 1
    assert_no_exception(page)
    screenshot(page, "learning_outside_grammar")


def test_live_training_redraws_and_stops(page, server_url):
    open_app_page(page, server_url, "learning", f"source=type&sentence={quote(model.BLOG_PAIR[0])}")
    page.locator(".st-key-ln_train button").click()
    page.locator(".st-key-ln_live_row .main-svg").first.wait_for(timeout=120_000)  # the step-0 report
    page.wait_for_function(  # the panel redraws by itself: a later step arrives without any click
        "() => [...document.querySelectorAll('.st-key-ln_live_row .gtitle')].some(t => !/step 0$/.test(t.textContent))",
        timeout=240_000)
    screenshot(page, "learning_training")
    page.evaluate("""() => { window.__runs = 0;  // script runs: the whole page's and the panel's own
        new MutationObserver(() => { if (document.querySelector('[data-test-script-state="running"]')) window.__runs++; })
            .observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']}); }""")
    stop = page.locator(".st-key-ln_stop button")
    if stop.is_enabled():  # a fast machine may have finished already
        page.wait_for_function("() => window.__runs > 0", timeout=10_000)  # the panel polls, and the count sees it
        stop.click()
        page.get_by_text("stopped at step", exact=False).wait_for(timeout=30_000)
        wait_for_app(page)
        # then the polling stops: the page reruns alone on Stop, and a polling fragment registered again without
        # run_every would have kept the browser's timer
        page.evaluate("window.__runs = 0")
        page.wait_for_timeout(3_000)
        assert page.evaluate("window.__runs") == 0
    wait_for_app(page)
    assert_no_exception(page)


def test_hand_built_pages_say_so_and_link_here(page, server_url):
    wide = quote(model.BLOG_PAIR[1])
    open_app_page(page, server_url, "multi_head", f"sentence={wide}&trained=1&heads=4")
    page.get_by_text("Set by hand, not learned.", exact=False).first.wait_for()
    assert page.locator(".st-key-mh_trained_grid .main-svg").count() >= 1
    assert_no_exception(page)
    screenshot(page, "multi_head_trained")
    page.get_by_role("link", name="Learning to attend: a trained model").first.click()
    page.wait_for_url("**/learning**")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == "Learning to attend"
    open_app_page(page, server_url, "self_attention", f"text={wide}")
    page.get_by_text("Set by hand, not learned.", exact=False).first.wait_for()
    assert_no_exception(page)
    screenshot(page, "self_attention_hand_built_note")


VIEWPORTS = {"desktop": dict(viewport={"width": 1280, "height": 800}),
             "zoomed": dict(viewport={"width": 853, "height": 480}, device_scale_factor=1.5),
             "phone": dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                           has_touch=True)}
# the text of every widget matching `selector` with a label or value wider than its box (cut or clipped)
CUT_JS = """([selector, text]) => {
    const cut = (e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible';
    const boxes = [...document.querySelectorAll(selector)].filter((b) => b.innerText.includes(text));
    return boxes.filter((b) => [b, ...b.querySelectorAll('*')].some(cut)).map((b) => b.innerText.trim());
}"""


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_no_menu_or_link_label_is_cut(browser, server_url, size):
    context = browser.new_context(**VIEWPORTS[size])
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    try:
        menus_and_links = '[data-testid="stSelectbox"], [data-testid="stPageLink"]'
        link = '[data-testid="stPageLink"]'  # the honesty note's link (the pages' own menus and links are theirs)
        for path, query, selector in (("learning", "", menus_and_links),
                                      ("learning", "frame=chase&verb=attacked&n1=horse&n2=rabbit", menus_and_links),
                                      ("self_attention", "", link), ("multi_head", "", link)):
            open_app_page(pg, server_url, path, query)
            assert_no_exception(pg)
            assert pg.get_by_text("Set by hand, not learned.").count() or path == "learning"
            text = "" if path == "learning" else "Learning to attend"
            assert pg.evaluate(CUT_JS, [selector, text]) == [], f"{path}?{query} at {size}"
        screenshot(pg, f"learning_labels_{size}")  # the last page: Multi-head with its link to this page
    finally:
        context.close()
