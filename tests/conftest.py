"""Fixtures shared by the library tests and the tests of the built book."""

import functools
import http.server
import json
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
import torch
from book_browser import BOOK_DIR, CHROMIUM_FLAGS, ROOT, find_chromium
from filelock import FileLock


@pytest.fixture
def float64_default():
    """Make float64 PyTorch's default dtype for one test (restored afterwards: test files share a process)."""
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


# ------------------------------------------------------------ the built book, shared by a run


@pytest.fixture(scope="session")
def built_book(request):
    """Build the book once per test run: ``(returncode, log, html_dir)``.

    ``-W`` turns every warning into an error, ``-n`` also reports broken references. The first
    xdist worker to ask builds into ``_build/test-book``; the others wait on the lock and reuse
    that build (the run's id in a marker file says whether it is this run's).
    """
    run_id = getattr(request.config, "workerinput", {}).get(
        "testrunuid"
    ) or getattr(request.config, "_book_run_id", None)
    if run_id is None:
        run_id = request.config._book_run_id = uuid.uuid4().hex
    marker = BOOK_DIR.with_suffix(".json")
    BOOK_DIR.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(BOOK_DIR.with_suffix(".lock"))):
        done = json.loads(marker.read_text()) if marker.exists() else {}
        if done.get("run") != run_id:
            result = subprocess.run(
                [
                    str(Path(sys.executable).with_name("jupyter-book")),
                    "build",
                    str(ROOT),
                    "--path-output",
                    str(BOOK_DIR),
                    "--warningiserror",
                    "--nitpick",
                    "--keep-going",
                ],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            done = {
                "run": run_id,
                "returncode": result.returncode,
                "log": result.stdout + result.stderr,
            }
            marker.write_text(json.dumps(done))
    return done["returncode"], done["log"], BOOK_DIR / "_build" / "html"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(built_book):
    """The built book served on localhost: its base URL (ends with '/')."""
    returncode, _, html = built_book
    if returncode != 0:
        pytest.skip(
            "the book did not build (see test_book_builds_without_warnings)"
        )
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0),
        functools.partial(_QuietHandler, directory=str(html)),
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's), driven by Playwright."""
    chromium = find_chromium()
    if chromium is None:
        pytest.skip(
            "Chromium is not installed (Debian package 'chromium'; `make test` "
            "installs it where apt-get runs as root): the browser tests cannot "
            "run here."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield b
        b.close()
