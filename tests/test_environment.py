"""The environment is the one the course is pinned to (see requirements.txt and README)."""

import subprocess
import sys
from pathlib import Path

import numpy as np


def test_python_is_3_11():
    assert sys.version_info[:2] == (3, 11)


def test_pinned_numerics():
    import torch

    assert (
        np.__version__ == "1.23.5"
    )  # the newest numpy MXNet 1.9.1 works with
    assert torch.__version__.split("+")[0] == "2.13.0"


def test_mxnet_runs_with_this_numpy():
    import mxnet as mx

    a = mx.nd.array(np.arange(6.0).reshape(2, 3), dtype="float64")
    assert mx.__version__ == "1.9.1"
    assert np.array_equal(
        (a * 2).asnumpy(), np.arange(6.0).reshape(2, 3) * 2
    )


def test_jupyterlab_has_the_widget_manager():
    # `make lab` opens the exercises in JupyterLab; their answer forms need this extension.
    jupyter = Path(sys.executable).with_name("jupyter")
    out = subprocess.run(
        [str(jupyter), "labextension", "list"],
        capture_output=True,
        text=True,
    )
    listing = out.stdout + out.stderr
    line = next(
        (
            l
            for l in listing.splitlines()
            if "@jupyter-widgets/jupyterlab-manager" in l
        ),
        "",
    )
    assert "enabled" in line and "OK" in line, listing
