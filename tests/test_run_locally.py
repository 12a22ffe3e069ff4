"""The download menu of every notebook page says how to run the notebook
elsewhere (install convlab) and with which versions its outputs were
computed (``tools/run_locally.py``, ``book/running-locally.md``)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import run_locally  # noqa: E402
from book_browser import NARROW, WIDE, open_page  # noqa: E402

CHAPTER = (
    "book/part1-what-is-convolution/02-discrete-convolution-and-correlation"
)


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def test_the_versions_come_from_the_pins():
    versions = run_locally.pinned_versions()
    pins = _pins()
    assert versions["Python"] == "3.11"
    for name in ("numpy", "torch", "mxnet"):
        assert versions[name] == pins[name]
    assert run_locally.wheel_name().startswith("convlab-")


def test_the_item_is_added_to_notebook_pages_only():
    def context(labels):
        buttons = [{"label": label} for label in labels]
        group = {"label": "download-buttons", "buttons": buttons}
        return {
            "header_buttons": [group],
            "pathto": lambda name: f"../{name}.html",
        }

    notebook = context(
        [
            "download-source-button",
            "download-pdf-button",
        ]
    )
    notebook["header_buttons"][0]["buttons"][0]["text"] = ".ipynb"
    run_locally.add_menu_item(None, "p", "page.html", notebook, None)
    buttons = notebook["header_buttons"][0]["buttons"]
    assert [b["label"] for b in buttons][:2] == [
        "download-source-button",
        "run-locally-button",
    ]
    assert buttons[1]["url"] == "../book/running-locally.html"
    assert "numpy 1.23.5" in buttons[1]["tooltip"]
    # Added once, however often the event fires.
    run_locally.add_menu_item(None, "p", "page.html", notebook, None)
    assert len(notebook["header_buttons"][0]["buttons"]) == 3

    markdown = context(["download-source-button", "download-pdf-button"])
    markdown["header_buttons"][0]["buttons"][0]["text"] = ".md"
    run_locally.add_menu_item(None, "p", "page.html", markdown, None)
    labels = [b["label"] for b in markdown["header_buttons"][0]["buttons"]]
    assert "run-locally-button" not in labels


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["wide", "narrow"])
def test_a_reader_finds_how_to_run_a_notebook(browser, site, viewport):
    context, page, log = open_page(
        browser, f"{site}{CHAPTER}.html", viewport=viewport
    )
    try:
        page.get_by_role("button", name="Download this page").click()
        item = page.locator(
            "a.btn-run-locally-button, a:has-text('Run locally')"
        )
        item.first.wait_for(state="visible")
        # Bootstrap moves the tooltip's text from title to this attribute.
        title = item.first.get_attribute("title") or ""
        title = title or item.first.get_attribute("data-bs-original-title")
        versions = run_locally.pinned_versions()
        for name in ("Python", "numpy", "torch", "mxnet"):
            assert f"{name} {versions[name]}" in title, title
        # The theme opens the menu's links in a new tab.
        with context.expect_page() as opened:
            item.first.click()
        help_page = opened.value
        help_page.wait_for_load_state()
        assert help_page.url.endswith("/book/running-locally.html")
        text = help_page.locator("main").inner_text()
        assert "PINNED_VERSIONS_TABLE" not in text
        assert "CONVLAB_WHEEL" not in text
        assert run_locally.wheel_name() in text
        assert "pip install" in text
        for name in ("numpy", "torch", "mxnet"):
            row = help_page.locator("main table tr", has_text=name).first
            assert versions[name] in row.inner_text()
        assert not log["errors"] and not log["failed"], log
    finally:
        context.close()
