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
