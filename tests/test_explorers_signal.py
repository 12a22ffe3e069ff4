"""The explorers of chapters 1, 5 and 23 in the built book: the browser
computes what convlab computes.

Each test opens the lesson page in headless Chromium, works the explorer's
controls as a reader does (arrow keys and a mouse drag on the slider, the
select, typed kernel numbers, clicks and keys on pixels), reads the numbers
the page shows and compares them with convlab for the same setting. Any
JavaScript error fails the test. The data side is tested, without a browser,
in test_explorers_signal_data.py.
"""

import numpy as np
import pytest
from axe import assert_accessible
from book_browser import NARROW, open_page
from test_explorers_signal_data import lesson_23_tensors

from convlab import continuous as cc
from convlab import filters, ops
from convlab.explorers import kernel_filter as kf
from convlab.explorers import mixing_weights as mw
from convlab.explorers import sliding_integral as si

CH01 = "book/part1-what-is-convolution/01-continuous-convolution"
CH05 = "book/part2-convolutional-layer/05-edge-detection"
CH23 = "book/part5-convolution-and-attention/23-mixing-local-and-global"


def explorer(page, name):
    """The explorer's root, once its script has drawn it."""
    root = page.locator(f'.convlab-explorer[data-explorer="{name}"]')
    assert root.count() == 1, f"the page has no explorer {name!r}"
    page.wait_for_function(
        "n => document.querySelector(`.convlab-explorer"
        "[data-explorer=\"${n}\"]`).dataset.ready === '1'",
        arg=name,
        timeout=10000,
    )
    return root


def number(locator):
    return float(locator.get_attribute("data-value"))


def no_errors(log):
    assert log["errors"] == [], f"JavaScript errors: {log['errors']}"


# ------------------------------------------------------------ chapter 1
def reading(root):
    """What the explorer shows, in one round trip: t, the pair, the value
    (number and text), the exact value, and the area of the shaded product
    polygon read back from the SVG in data units (so the picture, not only
    the text, is checked)."""
    return root.evaluate("""r => {
        const q = s => r.querySelector(`[data-role=${s}]`);
        const g = q('panel-top');
        const nums = k => g.dataset[k].split(',').map(Number);
        const [x0, x1] = nums('xDomain'), [px0, px1] = nums('xRange');
        const [y0, y1] = nums('yDomain'), [py0, py1] = nums('yRange');
        const pts = q('product').getAttribute('points').trim().split(' ')
            .map(s => s.split(',').map(Number))
            .map(([px, py]) => [x0 + (px - px0) / (px1 - px0) * (x1 - x0),
                                y0 + (py - py0) / (py1 - py0) * (y1 - y0)]);
        let a = 0;
        for (let i = 0; i < pts.length; i++) {
            const [xa, ya] = pts[i], [xb, yb] = pts[(i + 1) % pts.length];
            a += xa * yb - xb * ya;
        }
        return {t: Number(r.dataset.t), pair: r.dataset.pair,
                tText: q('t').textContent,
                value: Number(q('value').dataset.value),
                text: q('value').textContent,
                exact: Number(q('exact').dataset.value),
                area: Math.abs(a) / 2};
    }""")


def test_chapter_1_slider_computes_the_convolution_integral(browser, site):
    context, page, log = open_page(browser, site + CH01 + ".html")
    try:
        # the ipywidgets slider is gone: nothing looks live that is not
        assert page.locator(".jupyter-widgets").count() == 0
        assert (
            page.locator(
                'script[type="application/vnd.jupyter.widget-view+json"]'
            ).count()
            == 0
        )
        root = explorer(page, "sliding_integral")
        slider = root.locator('input[type=range][data-control="t"]')
        pairs = si.sliding_integral_data()["pairs"]
        checked = 0
        for index, p in enumerate(pairs):
            root.locator('select[data-control="pair"]').select_option(
                str(index)
            )
            _, f, _, g, exact, (lo, hi) = si.PAIRS[p["key"]]
            last = len(p["exact"]) - 1

            def check(n):
                seen = reading(root)
                t = lo + n * p["t_step"]
                assert abs(seen["t"] - t) < 1e-9, (seen, t)
                assert seen["pair"] == p["key"]
                library = cc.convolve_integral(
                    f, g, t, step=p["step"], lo=lo, hi=hi
                )
                where = (p["key"], t, seen)
                assert abs(seen["value"] - library) < 1e-6, where
                assert seen["text"] == f"{seen['value']:.4g}", where
                assert abs(seen["exact"] - float(exact(t))) < 1e-6, where
                assert abs(seen["area"] - seen["value"]) < 2e-3, where

            # put the thumb at t = lo, lo + 0.45, ..., then one key step on
            for n in range(0, last, 9):
                slider.fill(repr(round(lo + n * p["t_step"], 10)))
                check(n)
                page.keyboard.press("ArrowRight")
                check(n + 1)
                checked += 2
            page.keyboard.press("End")
            check(last)
        assert checked >= 40
        # a reader drags the thumb with the mouse to about 80% of the way
        root.locator('select[data-control="pair"]').select_option("0")
        slider.scroll_into_view_if_needed()
        box = slider.bounding_box()
        page.mouse.click(box["x"] + 2, box["y"] + box["height"] / 2)
        page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(
            box["x"] + 0.8 * box["width"],
            box["y"] + box["height"] / 2,
            steps=5,
        )
        page.mouse.up()
        seen = reading(root)
        t = seen["t"]
        assert 2.0 < t < 3.0, t
        assert seen["tText"] == f"{t:.3g}"
        assert (
            abs(
                seen["value"]
                - cc.convolve_integral(
                    cc.box, cc.decay, t, step=0.025, lo=-1.5, hi=3.5
                )
            )
            < 1e-6
        )
        no_errors(log)
        assert_accessible(page, ".convlab-explorer")
    finally:
        context.close()


# ------------------------------------------------------------ chapter 5
def test_chapter_5_kernels_filter_the_photo_as_corr2d(browser, site):
    photo = filters.load_sample_image("grace_hopper.jpg", size=150)
    X = kf.shipped_image(kf.kernel_filter_data(photo))
    context, page, log = open_page(browser, site + CH05 + ".html")
    try:
        root = explorer(page, "kernel_filter")
        choose = root.locator('select[data-control="kernel"]')
        lo, hi = (
            root.locator('[data-role="min"]'),
            root.locator('[data-role="max"]'),
        )
        probe = root.locator('[data-role="probe"]')
        out = root.locator('[data-role="output-box"]')
        cells = [
            root.locator(f'[data-control="k{a}{b}"]')
            for a in range(3)
            for b in range(3)
        ]

        def check(K, where):
            Y = ops.corr2d(X, K)
            shown = number(lo), number(hi)
            assert abs(shown[0] - Y.min()) < 1e-9, (where, shown, Y.min())
            assert abs(shown[1] - Y.max()) < 1e-9, (where, shown, Y.max())
            return Y

        def click_pixel(Y, r, c):
            out.scroll_into_view_if_needed()
            box = out.bounding_box()
            out.click(
                position={
                    "x": (c + 0.5) * box["width"] / Y.shape[1],
                    "y": (r + 0.5) * box["height"] / Y.shape[0],
                }
            )
            assert probe.get_attribute("data-row") == str(r)
            assert probe.get_attribute("data-col") == str(c)
            assert abs(number(probe) - Y[r, c]) < 1e-9, (r, c)

        for name, (_, K) in kf.KERNELS.items():
            choose.select_option(name)
            Y = check(K, name)
            # the boxes show the kernel's nine numbers
            assert [float(c.input_value()) for c in cells] == list(
                np.ravel(K)
            )
            for r, c in ((0, 0), (40, 71), (Y.shape[0] - 1, 5)):
                click_pixel(Y, r, c)
        # type a kernel of one's own, number by number
        K = np.array([[0.5, -1, 0], [2, 0, -0.25], [0, 1.5, -3]])
        for cell, v in zip(cells, K.ravel()):
            cell.fill(str(v))
        assert choose.input_value() == "custom"
        Y = check(K, "typed kernel")
        click_pixel(Y, 77, 30)
        # keyboard: the output image takes the focus; arrows, Enter
        out.focus()
        for key in ["ArrowDown"] * 2 + ["ArrowRight"] * 3 + ["Enter"]:
            page.keyboard.press(key)
        assert (
            probe.get_attribute("data-row"),
            probe.get_attribute("data-col"),
        ) == ("79", "33")
        assert abs(number(probe) - Y[79, 33]) < 1e-9
        # not a number: said so, the kernel is kept
        cells[4].fill("two")
        assert cells[4].get_attribute("aria-invalid") == "true"
        assert (
            "not a number"
            in root.locator('[data-role="note"]').inner_text()
        )
        check(K, "after a bad entry")
        no_errors(log)
        assert_accessible(page, ".convlab-explorer")
    finally:
        context.close()


# ------------------------------------------------------------ chapter 23
def test_chapter_23_shows_the_weights_convlab_computes(browser, site):
    x, w, wq, wk, wv, table = lesson_23_tensors()
    context, page, log = open_page(browser, site + CH23 + ".html")
    try:
        root = explorer(page, "mixing_weights")
        picker = root.locator('[data-role="picker"]')
        choose = root.locator('select[data-control="channel"]')

        def check(pixel, channel):
            assert root.get_attribute("data-pixel") == "%d,%d" % pixel
            expected = mw.operator_weights(x, w, wq, wk, table, pixel)
            shown = root.evaluate("""r => Object.fromEntries(Array.from(
                r.querySelectorAll('figure[data-op]'), f => {
                    const v = s => Number(
                        f.querySelector(`[data-role=${s}]`).dataset.value);
                    return [f.dataset.op, {
                        w: Array.from(f.querySelectorAll('rect[data-j]'),
                                      e => Number(e.dataset.w)),
                        nonzero: v('nonzero'), max: v('max'),
                        sum: v('sum')}];
                }))""")
            assert list(shown) == list(mw.OPERATORS)
            for name, seen in shown.items():
                a = expected[name]
                a = (a[channel] if a.ndim == 3 else a).numpy().ravel()
                where = (name, pixel, channel)
                assert np.allclose(seen["w"], a, rtol=1e-4, atol=1e-7), (
                    *where,
                    np.abs(np.array(seen["w"]) - a).max(),
                )
                assert seen["nonzero"] == np.count_nonzero(a), where
                top = a[np.argmax(np.abs(a))]
                assert abs(seen["max"] - top) < 1e-4 * abs(top), where
                assert abs(seen["sum"] - a.sum()) < 1e-5, where

        def click(r, c, where=picker):
            where.scroll_into_view_if_needed()
            box = where.bounding_box()
            where.click(
                position={
                    "x": (c + 0.5) * box["width"] / 12,
                    "y": (r + 0.5) * box["height"] / 12,
                }
            )

        check((6, 6), 0)  # the centre, shown first
        for r, c in ((0, 0), (11, 3), (2, 10), (7, 5)):
            click(r, c)
            check((r, c), 0)
        for channel in (1, 2):
            choose.select_option(str(channel))
            check((7, 5), channel)
        # a click on an operator's map selects that pixel too
        click(4, 9, root.locator('figure[data-op="pre-norm"] svg'))
        check((4, 9), 2)
        # keyboard only: Shift+Tab from the channel select reaches the
        # picker; arrows move its cursor, Enter selects
        choose.focus()
        page.keyboard.press("Shift+Tab")
        assert (
            page.evaluate("() => document.activeElement.dataset.role")
            == "picker"
        )
        for key in ["ArrowDown"] * 3 + ["ArrowLeft"] * 2:
            page.keyboard.press(key)
        assert root.get_attribute("data-pixel") == "4,9"  # not yet
        page.keyboard.press("Enter")
        check((7, 7), 2)
        no_errors(log)
        assert_accessible(page, ".convlab-explorer")
    finally:
        context.close()


# ------------------------------------------------------ narrow screens
@pytest.mark.parametrize(
    "lesson,name,readouts",
    [
        (CH01, "sliding_integral", ['[data-role="value"]']),
        (CH05, "kernel_filter", ['[data-role="min"]', '[data-role="max"]']),
        (
            CH23,
            "mixing_weights",
            [
                '[data-role="pixel"]',
                'figure[data-op="conv-mod. attention"] [data-role="max"]',
            ],
        ),
    ],
)
def test_readouts_are_visible_at_768_px(
    browser, site, lesson, name, readouts
):
    context, page, log = open_page(
        browser, site + lesson + ".html", viewport=NARROW
    )
    try:
        root = explorer(page, name)
        # every control has a name a screen reader reads
        unlabelled = root.evaluate("""r => Array.from(r.querySelectorAll(
            'input, select, [tabindex]')).filter(e => !(e.labels &&
            e.labels.length) && !e.getAttribute('aria-label'))
            .map(e => e.outerHTML.slice(0, 80))""")
        assert unlabelled == [], unlabelled
        for selector in readouts:
            readout = root.locator(selector).first
            readout.scroll_into_view_if_needed()
            assert readout.is_visible(), selector
            box = readout.bounding_box()
            assert box["width"] > 0 and box["x"] >= 0, selector
            assert box["x"] + box["width"] <= NARROW["width"], (
                selector,
                box,
            )
            # not clipped by the explorer's own box either
            clip = root.evaluate(
                """(r, sel) => { const e = r.querySelector(sel),
                    a = e.getBoundingClientRect(),
                    b = r.getBoundingClientRect();
                    return [a.left - b.left, b.right - a.right]; }""",
                selector,
            )
            assert clip[0] >= 0 and clip[1] >= 0, (selector, clip)
        no_errors(log)
        assert_accessible(page, ".convlab-explorer")
    finally:
        context.close()
