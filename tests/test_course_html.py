"""The book's small Sphinx extension (tools/course_html.py)."""

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import course_html  # noqa: E402


def config():
    return SimpleNamespace(html_theme_options={"show_toc_level": 2})


def test_no_repository_url_means_no_button(monkeypatch):
    monkeypatch.delenv("COURSE_REPOSITORY_URL", raising=False)
    c = config()
    course_html.link_repository(None, c)
    assert c.html_theme_options == {"show_toc_level": 2}


def test_repository_url_adds_the_buttons(monkeypatch):
    monkeypatch.setenv(
        "COURSE_REPOSITORY_URL", "https://example.org/someone/course/"
    )
    monkeypatch.setenv("COURSE_REPOSITORY_BRANCH", "trunk")
    c = config()
    course_html.link_repository(None, c)
    opts = c.html_theme_options
    assert opts["repository_url"] == "https://example.org/someone/course"
    assert (
        opts["use_repository_button"]
        and opts["use_issues_button"]
        and opts["repository_branch"] == "trunk"
    )


def test_repository_url_must_be_https(monkeypatch):
    monkeypatch.setenv("COURSE_REPOSITORY_URL", "ftp://example.org/x")
    with pytest.raises(ValueError, match="must be an https:// address"):
        course_html.link_repository(None, config())


def test_thebe_scripts_are_dropped_and_others_kept():
    class Js(str):
        def __new__(cls, filename, **attributes):
            obj = super().__new__(cls, filename or "")
            obj.filename, obj.attributes = filename, attributes
            return obj

    scripts = [
        Js("jquery.js"),
        Js(None, body='const THEBE_JS_URL = "x"'),
        Js("sphinx-thebe.js"),
        Js(None, body="var x = 1"),
    ]
    context = {"script_files": scripts}
    course_html.drop_thebe_scripts(None, "p", "page.html", context, None)
    assert [s.filename for s in context["script_files"]] == [
        "jquery.js",
        None,
    ]


# ------------------------------------------------- accessibility rewrites (tools/course_a11y.py)

import course_a11y  # noqa: E402

SIDEBAR = (
    '<li class="toctree-l1 has-children"><a class="reference internal" '
    'href="a.html">1. Continuous convolution</a><details><summary><span '
    'class="toctree-toggle" role="presentation"></span></summary><ul>\n'
    '<li class="toctree-l2"><a class="reference internal" href="b.html">'
    "Exercises</a></li></ul></details></li>\n"
    '<li class="toctree-l1 current active has-children"><a class="current '
    'reference internal" href="#">2. Discrete <em>&amp;</em> cross-correlation</a>'
    '<details open="open"><summary><span></span></summary>'
)


def test_sidebar_toggles_are_named_by_their_chapter():
    out = course_a11y.accessible_html(SIDEBAR)
    assert (
        '<summary aria-label="Sections of 1. Continuous convolution">'
        in out
    )
    assert (
        '<summary aria-label="Sections of 2. Discrete &amp; '
        'cross-correlation">' in out
    )
    assert "<summary>" not in out
    assert course_a11y.accessible_html(out) == out  # idempotent


def test_buttons_are_named_by_what_they_show():
    page = (
        '<summary aria-label="Toggle hidden content"><p>Show code cell '
        'content</p></summary><button class="btn search-button-field '
        'search-button__button pst-js-only" title="Search" '
        'aria-label="Search" data-x="1">Search Ctrl+K</button>'
        '<i class="theme-switch fa-solid fa-sun" data-mode="light" '
        'title="Light"></i>'
    )
    out = course_a11y.accessible_html(page)
    assert "Toggle hidden content" not in out
    assert 'aria-label="Search"' not in out
    assert (
        '<i class="theme-switch fa-solid fa-sun" data-mode="light" '
        'aria-hidden="true">' in out
    )
