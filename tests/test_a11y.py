"""Every page of the book meets WCAG 2.0/2.1 levels A and AA as far as axe-core can tell, and the
theme's own controls work from the keyboard alone (headless Chromium, the book served on
localhost). ``axe.axe_violations(page)`` is reusable: a test that has typed into or clicked on a
page can run it afterwards on what the page shows then."""

from __future__ import annotations

from axe import axe_violations, describe
from book_browser import NARROW, open_page


def test_search_page_meets_wcag_a_and_aa(browser, site):
    """Every book page is checked by ``test_book.py`` in the same page load
    as its other checks; the search page, with its results, here."""
    context, page, _ = open_page(
        browser, site + "search.html?q=convolution"
    )
    try:
        page.wait_for_function(
            "() => document.querySelectorAll('#search-results li').length > 0",
            timeout=15000,
        )
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
    finally:
        context.close()
    assert not violations, f"search:\n{describe(violations)}"


LESSON = "book/part4-architectures/14-lenet"


def _tab_through(page, presses):
    """Press Tab ``presses`` times; return, per stop, what has the focus and whether it shows it."""
    stops = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                """() => {
                const e = document.activeElement;
                const s = getComputedStyle(e);
                const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                    || s.boxShadow !== 'none';
                return {tag: e.tagName.toLowerCase(), cls: e.className || '',
                        label: e.getAttribute('aria-label') || '', ring,
                        text: (e.innerText || '').trim().slice(0, 40)};
            }"""
            )
        )
    return stops


def test_theme_controls_are_reached_with_tab(browser, site):
    context, page, log = open_page(browser, site + LESSON + ".html")
    try:
        stops = _tab_through(page, 120)  # past the whole sidebar
        classes = " ".join(s["cls"] for s in stops)
        labels = [s["label"] for s in stops]
        for control in (
            "primary-toggle",  # the sidebar's show/hide button
            "search-button",
            "theme-switch-button",
            "dropdown-toggle",  # download
        ):
            assert control in classes, (
                f"Tab never reaches the {control} control: {stops}"
            )
        assert any(lab.startswith("Sections of ") for lab in labels), (
            "Tab never reaches a named sidebar toggle"
        )
        unringed = [s for s in stops if not s["ring"]]
        assert not unringed, (
            f"focused without a visible focus ring: {unringed}"
        )
        # The colour-mode button works from the keyboard: Enter changes the mode.
        page.focus("button.theme-switch-button")
        before = page.evaluate(
            "() => document.documentElement.dataset.mode"
        )
        page.keyboard.press("Enter")
        after = page.evaluate("() => document.documentElement.dataset.mode")
        assert before != after, (
            "Enter on the colour-mode button does nothing"
        )
        # A sidebar toggle opens and closes its chapter's sections with Enter.
        toggle = page.locator('summary[aria-label^="Sections of "]').first
        toggle.focus()
        opened = toggle.evaluate("s => s.parentElement.open")
        page.keyboard.press("Enter")
        assert toggle.evaluate("s => s.parentElement.open") != opened
        # The search button opens the search field, which takes the typing.
        page.focus("button.search-button-field")
        page.keyboard.press("Enter")
        page.wait_for_selector(
            "input.form-control[name=q]:focus", timeout=5000
        )
        assert not log["errors"], log["errors"]
    finally:
        context.close()


def test_narrow_screen_sidebar_opens_from_the_keyboard(browser, site):
    context, page, log = open_page(
        browser, site + LESSON + ".html", viewport=NARROW
    )
    try:
        stops = _tab_through(page, 15)
        assert any("primary-toggle" in s["cls"] for s in stops), stops
        page.locator("button.primary-toggle >> visible=true").focus()
        page.keyboard.press("Enter")
        dialog = page.locator("#pst-primary-sidebar-modal")
        dialog.wait_for(state="visible")
        assert dialog.locator("a.reference").first.is_visible()
        page.keyboard.press("Escape")  # and closes again
        dialog.wait_for(state="hidden")
        assert not log["errors"], log["errors"]
    finally:
        context.close()
