"""A small Sphinx extension for the course book's HTML (loaded through _config.yml).

Repository link. The book links to its repository when it knows where that is: set
``COURSE_REPOSITORY_URL`` (the GitHub workflow sets it to the fork's own address), and
the header gets the repository and "open an issue" buttons. Without it there is no
button, rather than a link to somewhere else.

Exercise progress. ``progress.js`` of ``convlab.exercises`` is served with
every page; the "All exercises" page shows, per chapter, what the reader
solved (kept in the browser's localStorage only).

Thebe. Jupyter Book always loads sphinx-thebe, which adds an inline script declaring
``const THEBE_JS_URL = "https://unpkg.com/..."`` to every page, and adds it twice
in this build (a second ``const`` declaration is a JavaScript error on every
page). The book does not offer live code through thebe, so its scripts are
removed: no error, and no third-party address in the pages.

Running locally. ``run_locally.py`` adds the download menu's "Run locally"
item and fills the page that says how to install convlab.
"""

from __future__ import annotations

import os
from pathlib import Path

# The exercises' progress script (lib/convlab/exercises/web/progress.js):
# every page gets it, and the "All exercises" page shows the progress a
# reader's browser has kept.
EXERCISES_WEB = (
    Path(__file__).resolve().parent.parent
    / "lib"
    / "convlab"
    / "exercises"
    / "web"
)


def _is_thebe(script) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    filename = getattr(script, "filename", None) or ""
    return filename.endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body


def drop_thebe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


def link_repository(app, config):
    url = os.environ.get("COURSE_REPOSITORY_URL", "").strip().rstrip("/")
    if not url:
        return
    if not url.startswith("https://"):
        raise ValueError(
            f"COURSE_REPOSITORY_URL must be an https:// address, got {url!r}"
        )
    config.html_theme_options.update(
        {
            "repository_url": url,
            "use_repository_button": True,
            "use_issues_button": True,
            "repository_branch": os.environ.get(
                "COURSE_REPOSITORY_BRANCH", "main"
            ),
            "path_to_docs": "",
        }
    )


def serve_exercise_scripts(app, config):
    config.html_static_path.append(str(EXERCISES_WEB))


def setup(app):
    import run_locally  # tools/ is on the path of local extensions

    run_locally.setup(app)

    import course_a11y  # beside this file (tools/ is on the path of local extensions)

    course_a11y.setup(app)
    app.connect("config-inited", link_repository)
    app.connect("config-inited", serve_exercise_scripts)
    app.add_js_file("progress.js")
    app.connect("html-page-context", drop_thebe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
