"""The built book: it builds with zero warnings, every page exists, and every page works in a real
browser, offline (headless Chromium, driven by Playwright, against the book served on localhost)."""

from pathlib import Path

import pytest
import yaml
from axe import axe_violations, describe
from book_browser import SCREENSHOTS, open_page
from layout_probe import layout_problems

ROOT = Path(__file__).resolve().parent.parent
KEY_PAGES = {
    "book/index": "landing",
    "book/part1-what-is-convolution/02-discrete-convolution-and-correlation": "lesson",
    "exercises/part1-what-is-convolution/02-discrete-convolution-exercises": "exercises",
    # kept for a human to look at the layout at 1280 px
    "book/part2-convolutional-layer/05-edge-detection": "layout-05",
    "book/part4-architectures/14-lenet": "layout-14",
    "book/part5-convolution-and-attention/23-mixing-local-and-global": "layout-23",
}


def toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    walk(toc.get("parts", []))
    return files


PAGES = toc_files()


def test_every_toc_entry_exists():
    for f in PAGES:
        assert any(
            (ROOT / f"{f}{ext}").exists() for ext in (".md", ".ipynb")
        ), f"{f} is in _toc.yml but missing"


def test_every_notebook_is_in_the_toc():
    for folder in ("book", "exercises"):
        for nb in (ROOT / folder).rglob("*.ipynb"):
            if "_build" in nb.parts or ".ipynb_checkpoints" in nb.parts:
                continue
            rel = nb.relative_to(ROOT).with_suffix("").as_posix()
            assert rel in PAGES, f"{rel}.ipynb is not listed in _toc.yml"


def test_book_builds_without_warnings(built_book):
    returncode, log, _ = built_book
    problems = [
        line
        for line in log.splitlines()
        if "WARNING" in line or "ERROR" in line
    ]
    assert returncode == 0, "\n".join(problems) or log[-6000:]


def test_every_page_and_notebook_download_is_built(built_book):
    returncode, _, html = built_book
    assert returncode == 0
    assert (html / "index.html").exists() and (
        html / "search.html"
    ).exists()
    for f in PAGES:
        assert (html / f"{f}.html").exists(), f"{f}.html was not built"
        if (
            ROOT / f"{f}.ipynb"
        ).exists():  # the page's download button offers the notebook itself
            assert (html / "_sources" / f"{f}.ipynb").exists(), (
                f"{f}.ipynb is not downloadable"
            )


# ---------------------------------------------------------------- in a real browser, offline


@pytest.fixture(scope="module")
def request_report():
    """Collects, per page, how many requests it made (all to the local server); written next to the
    screenshots for a human to read."""
    rows = {}
    yield rows
    if rows:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        lines = ["page\trequests\tto other hosts"] + [
            f"{p}\t{n}\t{f}" for p, (n, f) in sorted(rows.items())
        ]
        (SCREENSHOTS / "requests.tsv").write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("page_name", PAGES)
def test_page_works_offline_in_the_browser(
    page_name, browser, site, request_report
):
    context, page, log = open_page(browser, site + page_name + ".html")
    try:
        widget_views = page.locator(
            'script[type="application/vnd.jupyter.widget-view+json"]'
        ).count()
        if widget_views:  # saved widget state is rendered by the widget manager the book serves itself
            page.wait_for_function(
                f"() => document.querySelectorAll('.widget-subarea .jupyter-widgets').length "
                f">= {widget_views}",
                timeout=15000,
            )
        page.wait_for_load_state("networkidle")
        foreign = [
            u
            for u in log["requests"]
            if not u.startswith((site, "data:", "blob:", "about:"))
        ]
        request_report[page_name] = (len(log["requests"]), len(foreign))
        problems = []  # every check runs, so one report names everything that is wrong with the page
        if foreign:
            problems.append(f"requests to other hosts: {foreign}")
        if log["failed"]:
            problems.append(f"failed requests: {log['failed']}")
        if log["errors"]:
            problems.append(f"JavaScript errors: {log['errors']}")
        untypeset = page.evaluate(
            "() => Array.from(document.querySelectorAll('article .math'))"
            ".filter(m => !m.querySelector('mjx-container')).length"
        )
        if untypeset:
            problems.append(
                f"{untypeset} formulas were not typeset by MathJax"
            )
        raw_tex = page.evaluate("""() => { const a = document.querySelector('article').cloneNode(true);
            a.querySelectorAll('pre, code, script, style').forEach(e => e.remove()); return a.textContent; }""")
        if "$$" in raw_tex or "\\begin{" in raw_tex:
            problems.append("raw TeX is left on the page")
        broken = page.evaluate(
            "() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
            ".map(i => i.src)"
        )
        if broken:
            problems.append(f"images that did not load: {broken}")
        # Figures need alt text; images drawn inside a live widget are exempt (each widget has a captioned
        # static figure beside it).
        no_alt = page.evaluate(
            "() => Array.from(document.querySelectorAll('article img'))"
            ".filter(i => !i.closest('.jupyter-widgets'))"
            ".filter(i => !i.alt || i.alt.includes('_images/')).length"
        )
        if no_alt:
            problems.append(
                f"{no_alt} figures have no alt text (caption the figure: see CONTRIBUTING.md)"
            )
        empty_quizzes = page.evaluate(
            "() => Array.from(document.querySelectorAll('div[data-numquestions]'))"
            ".filter(d => d.children.length === 0).length"
        )
        if empty_quizzes:
            problems.append(f"{empty_quizzes} quizzes did not render")
        code_cells = page.locator("div.cell_input pre").count()
        if (
            page.locator("button.copybtn").count() < code_cells
        ):  # every code cell gets a copy button
            problems.append("code cells without a copy button")
        # nothing needs a horizontal scroll bar at 1280 px and no figure is
        # shrunk below 75 % (tests/test_layout.py checks a narrow screen)
        problems += layout_problems(page, page_name)
        # WCAG 2 A and AA as far as axe-core finds, on the page as loaded
        # (tests/test_a11y.py checks the search page and the keyboard; the
        # explorer and answer-box tests run axe again after interacting)
        violations = axe_violations(page)
        if violations:
            problems.append("accessibility:\n" + describe(violations))
        if page_name in KEY_PAGES:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(SCREENSHOTS / f"{KEY_PAGES[page_name]}.png"),
                full_page=True,
            )
        assert not problems, f"{page_name}:\n- " + "\n- ".join(problems)
    finally:
        context.close()


def test_dark_mode_keeps_figures_on_a_light_background(browser, site):
    lesson = "book/part1-what-is-convolution/02-discrete-convolution-and-correlation"
    context, page, log = open_page(
        browser, site + lesson + ".html", color_scheme="dark"
    )
    try:
        assert (
            page.evaluate("() => document.documentElement.dataset.theme")
            == "dark"
        )
        backgrounds = page.evaluate(
            "() => Array.from(document.querySelectorAll('article img'))"
            ".map(i => getComputedStyle(i).backgroundColor)"
        )
        assert backgrounds, "the lesson has figures"
        for colour in backgrounds:  # "rgb(r, g, b)": figures sit on a light card, readable in dark mode
            r, g, b = (
                int(v)
                for v in colour[
                    colour.index("(") + 1 : colour.index(")")
                ].split(",")[:3]
            )
            assert 0.299 * r + 0.587 * g + 0.114 * b > 150, colour
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "lesson-dark.png"))
    finally:
        context.close()


def test_search_works_offline(browser, site):
    context, page, log = open_page(
        browser, site + "search.html?q=cross-correlation"
    )
    try:
        page.wait_for_function(
            "() => document.querySelectorAll('#search-results li').length > 0",
            timeout=15000,
        )
        assert log["errors"] == [] and log["failed"] == []
    finally:
        context.close()


def test_exercise_overview_lists_every_exercise_notebook():
    overview = (ROOT / "book" / "exercises.md").read_text()
    for f in PAGES:
        if f.startswith("exercises/"):
            assert f"{{doc}}`../{f}`" in overview, (
                f"book/exercises.md does not list {f}"
            )
