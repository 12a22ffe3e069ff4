"""`make lab` starts JupyterLab, as root too, with the options in ARGS.

The test takes the command line from the Makefile (``make -n``, which runs
nothing), starts it on a free local port with a token, loads the lab page
and a notebook through the Jupyter server's HTTP API, and stops it.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(
    shutil.which("make") is None, reason="make is not installed"
)
NOTEBOOK = (
    "exercises/part1-what-is-convolution/"
    "01-continuous-convolution-exercises.ipynb"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_command(args: str) -> list[str]:
    """The command `make lab ARGS=...` runs, read from the Makefile."""
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "lab", f"ARGS={args}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [line for line in dry.splitlines() if " lab" in line]
    assert lines, f"`make -n lab` printed no jupyter lab command:\n{dry}"
    return shlex.split(lines[-1])


def _get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_the_makefile_passes_args_and_allows_root():
    command = lab_command("--no-browser --port 8890")
    assert command[-2:] == ["--port", "8890"]
    assert "--no-browser" in command
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    assert command[1:3] == ["-m", "convlab.determinism"]


def test_lab_serves_the_lab_page_and_a_notebook(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    args = (
        f"--no-browser --port={port} --ip=127.0.0.1 "
        f"--ServerApp.token={token} --ServerApp.port_retries=0"
    )
    command = lab_command(args)
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "lib"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
    )
    log = open(tmp_path / "lab.log", "w")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 25
        status = None
        while time.monotonic() < deadline:
            assert process.poll() is None, (
                tmp_path / "lab.log"
            ).read_text()
            try:
                status, _ = _get(f"{base}/api/status?token={token}", 1.0)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                status = None
            if status == 200:
                break
            time.sleep(0.2)
        assert status == 200, (tmp_path / "lab.log").read_text()

        # Without the token the API refuses.
        assert _get(f"{base}/api/contents/{NOTEBOOK}")[0] == 403

        status, body = _get(f"{base}/lab?token={token}")
        assert status == 200
        assert b"JupyterLab" in body

        status, body = _get(f"{base}/api/contents/{NOTEBOOK}?token={token}")
        assert status == 200, body[:300]
        model = json.loads(body)
        assert model["type"] == "notebook"
        sources = ["".join(c["source"]) for c in model["content"]["cells"]]
        assert any('check("cc-box-box-value"' in s for s in sources)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
    assert process.returncode is not None
