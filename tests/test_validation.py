"""convlab.validation: one home for the checks of every 2-D convolution.

The layer functions (``ops.conv2d``, the three algorithms of chapter 11,
``conv2d_backward``) all call ``check_conv_args``, so the same bad argument
gets the same message from each, naming the function the learner called.
"""

import re

import numpy as np
import pytest

from convlab import conv_algorithms, ops, transposed
from convlab.validation import (
    as_tuple,
    check_conv_args,
    check_padding_mode,
)

X = np.zeros((1, 4, 6, 6))
W = np.zeros((2, 4, 3, 3))

LAYERS = {
    "conv2d": ops.conv2d,
    "conv2d_im2col": conv_algorithms.conv2d_im2col,
    "conv2d_kn2col": conv_algorithms.conv2d_kn2col,
    "conv2d_fft": conv_algorithms.conv2d_fft,
    # the gradient is never looked at: the arguments fail first
    "conv2d_backward": lambda x, w, b=None, **kw: (
        transposed.conv2d_backward(x, w, np.zeros((1, 2, 4, 4)), **kw)
    ),
}

BAD = [
    (dict(w=np.zeros((2, 3, 3, 3))), ValueError, "channel mismatch"),
    (dict(w=np.zeros((3, 1, 3, 3)), groups=4), ValueError, "groups=4"),
    (dict(groups=3), ValueError, "groups=3 does not divide the 4 input"),
    (dict(stride=0), ValueError, "stride must be a positive int"),
    (dict(stride=1.5), TypeError, "stride must be an int, got float"),
    (dict(padding=-1), ValueError, "padding must be non-negative"),
    (dict(padding="full"), ValueError, "padding must be an int, a pair"),
    (dict(stride=2, padding="same"), ValueError, "only supported with"),
    (dict(dilation=(1, 2, 3)), ValueError, "got 3 values (1, 2, 3)"),
    (dict(x=np.zeros((1, 4, 2, 2))), ValueError, "the kernel covers 3x3"),
    (dict(x=np.zeros((6, 6))), ValueError, "x must have shape (N, C, H"),
    (dict(x=np.zeros((1, 4, 0, 6))), ValueError, "the input x is empty"),
    (dict(w=np.zeros((0, 4, 3, 3))), ValueError, "the weights w are empty"),
    (dict(x=X + 1j), TypeError, "x is complex"),
]


@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("bad,exc,fragment", BAD)
def test_every_layer_function_gives_the_same_message(
    name, bad, exc, fragment
):
    kw = dict(bad)
    x, w = kw.pop("x", X), kw.pop("w", W)
    with pytest.raises(exc) as info:
        LAYERS[name](x, w, **kw)
    message = str(info.value)
    assert message.startswith(f"{name}: "), message
    assert fragment in message, message
    # identical to conv2d's message but for the function's name
    with pytest.raises(exc) as reference:
        ops.conv2d(x, w, **kw)
    assert message.replace(name, "conv2d", 1) == str(reference.value)


def test_check_conv_args_normalises():
    a = check_conv_args(
        np.zeros((3, 5, 5)),
        np.ones((4, 3, 2, 4)),
        [1, 2, 3, 4],
        1,
        "same",
        (1, 2),
        1,
        "f",
    )
    assert a.x.shape == (1, 3, 5, 5) and a.unbatched
    assert a.b.dtype == np.float64 and a.b.shape == (4,)
    # 'same' with an even total puts the extra row/column last (PyTorch)
    assert a.pads == ((0, 1), (3, 3))
    assert a.stride == (1, 1) and a.dilation == (1, 2)
    assert a.out_hw == (5, 5) and a.span == (2, 7)


def test_as_tuple_three_axes():
    assert as_tuple(2, 3, "k", "f", 1) == (2, 2, 2)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "f: k must be an int or three ints (depth, height, width), got 2"
        ),
    ):
        as_tuple((1, 2), 3, "k", "f", 1)


def test_padding_mode_limits():
    ok = check_padding_mode("reflect", ((2, 2), (0, 0)), (3, 3), "f")
    assert ok == "reflect"
    assert check_padding_mode("circular", ((3, 3), (3, 3)), (3, 3), "f")
    assert check_padding_mode("replicate", ((9, 9), (9, 9)), (3, 3), "f")
    with pytest.raises(ValueError, match="reflect"):
        check_padding_mode("reflect", ((3, 3), (0, 0)), (3, 3), "f")
    with pytest.raises(ValueError, match="circular"):
        check_padding_mode("circular", ((0, 0), (0, 4)), (3, 3), "f")
