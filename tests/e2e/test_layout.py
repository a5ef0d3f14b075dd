"""Every page on a desktop (1280 x 800), a projector screen (1280 x 720 at 150 % zoom: 853 x 480 CSS pixels, device
scale factor 1.5) in the standard and in the projector display mode, and a 390 x 844 phone: nothing wider than the
screen (the page, the main block, every chart's box; a chart wider than its box scrolls inside it), no two labels or
printed numbers of a chart overlapping (tick labels, axis and chart titles, legend entries, annotations, colour-bar
titles, numbers on cells and bars, each with its real rotated outline), no widget label cut and no option of a
segmented control or pills out of sight, and a
screenshot of each for a person to look at (artifacts/screenshots/layout_<size>_<page>.png).
Two pages open in the view most likely to overflow, with checks of their own: Reordering with a long built sentence
(13 Tamil words, each over its gloss, under the charts' columns) and the Math page's whole document (every formula
typeset by KaTeX, the long display formulas scrolling in their boxes)."""

from __future__ import annotations

import pytest

from models import toy_tamil
from playground.navigation import PAGES
from playground.seq2seq_ui import encode_slots
from tests.app.test_reordering import HEATMAP_KEYS, LONG_SLOTS
from tests.e2e.conftest import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.e2e

SIZES = {
    "desktop": dict(viewport={"width": 1280, "height": 800}),
    "zoomed": dict(viewport={"width": 853, "height": 480}, device_scale_factor=1.5),
    "projector": dict(viewport={"width": 853, "height": 480}, device_scale_factor=1.5),  # and ?display=projector
    "phone": dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True),
}

WIDTHS_JS = """() => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    // a chart's box: the element holding it, which scrolls when the chart needs more width than the screen has
    const box = (c) => c.closest('[data-testid="stElementContainer"]') || c;
    return {
        viewport: window.innerWidth,
        page: document.documentElement.scrollWidth,
        main: main ? main.scrollWidth : 0,
        main_right: main ? main.getBoundingClientRect().right : 0,
        charts: charts.map((c) => [box(c).getBoundingClientRect().width, box(c).getBoundingClientRect().right,
                                   (c.querySelector('.gtitle') || {}).textContent || '']),
    };
}"""


@pytest.fixture(scope="module", params=list(SIZES))
def sized(request, browser):
    context = browser.new_context(**SIZES[request.param])
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield request.param, pg
    context.close()


# The view each page opens in here (default: its own default view), and the checks that view gets on top.
MODES = {"projector": "display=projector"}  # the display mode each size opens in (default: standard)
# charts drawn on request are asked for: their labels are checked too
QUERIES = {"reordering": f"src=build&slots={encode_slots(LONG_SLOTS)}&scorings=1", "math": "section=whole-document",
           "multi_head": "word_chart=1&path=1&cost=1", "speed": "memory=1&led_curve=1", "self_attention": "bars=1&tab=Step+by+step",
           "bottleneck": "weights=1", "learning": "heads=1"}


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path for p in PAGES])
def test_no_content_is_wider_than_the_screen(sized, info, server_url):
    size, page = sized
    query = "&".join(q for q in (QUERIES.get(info.url_path), MODES.get(size)) if q)
    page.goto(f"{server_url}/{info.url_path}" + (f"?{query}" if query else ""))
    wait_for_app(page, 120_000)  # a fresh server's first Bottleneck or Reordering visit loads models
    page.wait_for_timeout(1500)  # Plotly relayouts once its box has its final width
    assert_no_exception(page)
    w = page.evaluate(WIDTHS_JS)
    assert_fits(w, f"{info.title} at {size}")
    clashes = page.evaluate(OVERLAPS_JS, [])
    assert not clashes, f"{info.title} at {size}: overlapping or cut labels {clashes[:8]}"
    if info.url_path == "reordering":
        check_long_sentence_columns(page, size)
    if info.url_path == "math":
        check_formulas(page, size)
    screenshot(page, f"layout_{size}_{info.url_path}")


# Pairs of overlapping labels per chart (and a chart title cut at the chart's top edge), each label's outline taken from its SVG box through its screen transform (a
# slanted tick label is a slanted rectangle, so neighbours that only touch at their bounding boxes do not count), and
# widget labels whose text is wider than their box (cut with an ellipsis).
OVERLAPS_JS = """(skip) => {
    const out = [];
    const sel = '.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .gtitle, .annotation-text, .legendtext, '
        + '.cbtitle text, .scatterlayer .textpoint text, .heatmap-label text';
    const quad = (el) => {
        const b = el.getBBox(), m = el.getScreenCTM();
        if (!m || b.width === 0) return null;
        return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
            .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
    };
    const span = (q, u) => { const v = q.map(([x, y]) => x * u[0] + y * u[1]); return [Math.min(...v), Math.max(...v)]; };
    const overlap = (p, q) => {  // separating axis theorem on two rectangles, with 1.5 px of slack
        for (const r of [p, q]) for (const i of [0, 1]) {
            const a = [-(r[i + 1][1] - r[i][1]), r[i + 1][0] - r[i][0]], n = Math.hypot(a[0], a[1]);
            if (!n) continue;
            const [p0, p1] = span(p, [a[0] / n, a[1] / n]), [q0, q1] = span(q, [a[0] / n, a[1] / n]);
            if (p1 <= q0 + 1.5 || q1 <= p0 + 1.5) return false;
        }
        return true;
    };
    document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((c) => {
        const holder = c.closest('[class*="st-key-"]');
        if (holder && skip.some((k) => holder.classList.contains('st-key-' + k))) return;
        const title = ((c.querySelector('.gtitle') || {}).textContent || '').slice(0, 50);
        const labels = [...c.querySelectorAll(sel)].filter((e) => (e.textContent || '').trim())
            .map((e) => [quad(e), e.textContent.trim().slice(0, 30)]).filter(([q]) => q);
        for (let i = 0; i < labels.length; i++)
            for (let j = i + 1; j < labels.length; j++)
                if (overlap(labels[i][0], labels[j][0])) out.push([title, labels[i][1], labels[j][1]]);
        const top = c.getBoundingClientRect().top, t = c.querySelector('.gtitle');  // a title cut at the chart's edge
        if (t && t.getBoundingClientRect().height && t.getBoundingClientRect().top < top - 1) out.push([title, 'cut at the top']);
    });
    document.querySelectorAll('[data-testid="stWidgetLabel"] p, [data-testid="stCheckbox"] label p').forEach((e) => {
        if (e.scrollWidth > e.clientWidth + 1) out.push(['cut widget label', e.textContent.slice(0, 60)]);
    });
    document.querySelectorAll('[data-testid="stButtonGroup"]').forEach((g) => {  // options scrolled out of sight
        const box = g.getBoundingClientRect();
        const side = g.closest('[data-testid="stSidebar"]');
        if (box.width < 1 || (side && side.getBoundingClientRect().right <= 1)) return;  // a sidebar folded away
        const hidden = [...g.querySelectorAll('button')].filter((b) => {
            const r = b.getBoundingClientRect(); return r.left < box.left - 1 || r.right > box.right + 1; });
        if (hidden.length) out.push(['options out of sight', hidden.map((b) => b.textContent).join(' ')]);
    });
    return out;
}"""


def assert_fits(w: dict, where: str) -> None:
    view = w["viewport"]
    assert w["page"] <= view, f"{where}: the page is {w['page']} px wide on a {view} px screen"
    assert w["main"] <= view and w["main_right"] <= view + 1, f"{where}: main block {w}"
    for width, right, title in w["charts"]:
        assert width <= view and right <= view + 1, f"{where}: chart {title!r} {w}"


# For each chart: its box's visible width and full (scrollable) width, and the bounding boxes of its column labels.
TICKS_JS = """(keys) => keys.map((key) => {
    const box = document.querySelector('.st-key-' + key);
    const ticks = [...box.querySelectorAll('.xtick text')].map((t) => {
        const r = t.getBoundingClientRect();
        return [r.left, r.right, t.textContent];
    });
    return {key, client: box.clientWidth, scroll: box.scrollWidth, ticks};
})"""


def check_long_sentence_columns(page, size: str) -> None:
    """13 Tamil words, each over its gloss, on every Reordering heatmap: no two column labels overlap; a chart the
    screen cannot hold scrolls inside its own box (the page itself never scrolls sideways: assert_fits)."""
    built = toy_tamil.build(LONG_SLOTS)
    for chart in page.evaluate(TICKS_JS, list(HEATMAP_KEYS)):
        ticks = chart["ticks"]
        assert [text for _, _, text in ticks] == [f"{t}{toy_tamil.gloss(t)}" for t in built.source], chart["key"]
        for (_, right, a), (left, _, b) in zip(ticks, ticks[1:]):
            assert right <= left + 1, f"{chart['key']} at {size}: labels {a!r} and {b!r} overlap"
        if size == "phone":  # 13 readable columns do not fit a phone: the chart scrolls inside its box
            assert chart["scroll"] > chart["client"], chart


# Per section of the Math page (its "## " heading): how many formulas KaTeX typeset, how many it marked as errors
# (a parse error, or a command it does not know, drawn in its error colour), and each display formula's box.
KATEX_JS = """() => {
    const sections = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')].filter((m) => m.querySelector('h2'));
    return {
        sections: sections.map((m) => [m.querySelector('h2').textContent, m.querySelectorAll('.katex').length]),
        errors: [...document.querySelectorAll('.katex-error, .katex [style*="204, 0, 0"]')].map((e) => e.textContent),
        displays: [...document.querySelectorAll('.katex-display')].map((d) => [d.getBoundingClientRect().right,
                                                                            d.clientWidth, d.scrollWidth]),
    };
}"""


def check_formulas(page, size: str) -> None:
    """The whole deep dive: every formula of every section typeset by KaTeX without an error; a display formula
    wider than the screen scrolls inside its own box (the page never scrolls sideways: assert_fits)."""
    from playground.deep_dive import sections
    from tests.docs.latex_support import formulas

    k = page.evaluate(KATEX_JS)
    assert not k["errors"], f"KaTeX could not typeset: {k['errors'][:5]}"
    expected = {s.title: len(formulas(s.markdown)) for s in sections()}
    assert {title.strip(): n for title, n in k["sections"]} == expected
    view = page.evaluate("() => window.innerWidth")
    assert all(right <= view + 1 for right, _, _ in k["displays"]), k["displays"]
    if size == "phone":  # the long ones (Bahdanau's five lines, the masking cases) scroll inside their boxes
        assert any(scroll > client for _, client, scroll in k["displays"])


def test_the_apple_tab_labels_do_not_overlap(sized, server_url):
    # A tab the page-by-page check above does not open: the PCA map's sentences beside their dots.
    size, page = sized
    mode = MODES.get(size)
    page.goto(f"{server_url}/self_attention?tab=The+Apple+problem&text=Apple+stock+crashed+today"
              + (f"&{mode}" if mode else ""))
    wait_for_app(page, 120_000)
    page.wait_for_timeout(1000)
    assert_no_exception(page)
    assert page.locator(".st-key-sa_apple .js-plotly-plot").count() == 1
    clashes = page.evaluate(OVERLAPS_JS, [])
    assert not clashes, f"Apple tab at {size}: overlapping or cut labels {clashes[:8]}"
