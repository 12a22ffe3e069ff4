"""A reader without a mouse: Tab reaches an answer box and an explorer's
controls, and the keyboard alone answers, asks for a hint and moves a slider
(headless Chromium on the built book)."""

from book_browser import open_page

from convlab.arith import conv_output_size
from convlab.exercises import check
from convlab.exercises.hinting import hints_for

EXERCISE_PAGE = (
    "exercises/part1-what-is-convolution/02-discrete-convolution-exercises"
)
EXPLORER_PAGE = "book/part2-convolutional-layer/07-padding-stride-dilation"


def tab_to(page, selector, limit=400):
    """Press Tab until the focused element matches ``selector``; return how
    many presses it took (fails if it is never reached)."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => !!document.activeElement && document.activeElement.matches(s)",
            selector,
        ):
            return presses
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def focused_text(page, attr):
    return page.evaluate(
        f"() => document.activeElement.getAttribute('{attr}')"
    )


def test_answer_box_with_the_keyboard_alone(browser, site):
    context, page, log = open_page(browser, site + EXERCISE_PAGE + ".html")
    try:
        tab_to(page, "form.convlab-answer input")
        form = page.locator(
            "form.convlab-answer", has=page.locator(":focus")
        )
        ex_id = form.get_attribute("data-exercise")
        feedback = form.locator("[data-role='feedback']")
        page.keyboard.type("hello")
        page.keyboard.press("Enter")
        assert feedback.inner_text().startswith("\u2718 Not yet"), (
            feedback.inner_text()
        )
        page.keyboard.press("Tab")  # to Check
        page.keyboard.press("Tab")  # to Hint
        assert focused_text(page, "data-role") == "hint"
        page.keyboard.press("Enter")
        first_hint = hints_for(ex_id)[0]
        assert (
            first_hint in form.locator("[data-role='hints']").inner_text()
        )
        # back to the box, type the right answer, Enter
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Control+A")
        from convlab.exercises import EXERCISES

        right = EXERCISES[ex_id].reference()
        page.keyboard.type(str(getattr(right, "tolist", lambda: right)()))
        page.keyboard.press("Enter")
        assert check(ex_id, right).ok
        assert feedback.inner_text().startswith("\u2714 Correct"), (
            feedback.inner_text()
        )
        assert not log["errors"], log["errors"]
    finally:
        context.close()


def test_explorer_with_the_keyboard_alone(browser, site):
    context, page, log = open_page(browser, site + EXPLORER_PAGE + ".html")
    try:
        explorer = ".convlab-explorer[data-explorer='conv_window']"
        tab_to(page, f"{explorer} input[type=range]")
        name = focused_text(page, "data-control")
        start = page.evaluate("() => Number(document.activeElement.value)")
        readout = page.locator(f"{explorer} [data-role='value-{name}']")
        before = page.locator(explorer).inner_text()
        page.keyboard.press("ArrowRight")
        after_value = page.evaluate(
            "() => Number(document.activeElement.value)"
        )
        assert after_value == start + 1, (name, start, after_value)
        assert readout.inner_text() == str(after_value)
        assert page.locator(explorer).inner_text() != before, (
            "moving the slider with the keyboard redrew nothing"
        )
        # the first slider is the input size n: the size the page states
        # must be the library's for the new n
        assert name.startswith("n"), name
        k, p, s, d = 3, 1, 2, 1  # the lesson's starting setting
        shown = page.locator(f"{explorer} [data-role='out-size']")
        assert shown.inner_text() == str(
            conv_output_size(after_value, k, s, p, d)
        )
        assert not log["errors"], log["errors"]
    finally:
        context.close()
