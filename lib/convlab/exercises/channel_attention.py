"""Checkers for chapter 21, "Channel and spatial attention: SE and CBAM".

Exercise ids:

* ``ca-se-params``           parameters of an SE block, C = 128, r = 8, with biases
* ``ca-cbam-params``         parameters of a CBAM block, C = 64, r = 4, k = 7
* ``ca-cbam-macs``           multiply-adds of that CBAM block on a 14x14 map, counted as convlab.cost does
* ``ca-write-se``            a function ``se(x, W1, b1, W2, b2)`` for one image ``x`` of shape (C, H, W)
* ``ca-write-channel-gate``  CBAM's channel gates ``channel_gate(x, W1, b1, W2, b2)`` -> (C,)

The reference counts equal ``convlab.cost.count_params`` / ``count_macs`` of ``convlab.attention.SEBlock``
and ``CBAM`` (asserted in ``tests/test_channel_attention_exercises.py``); they are written as formulas here
so that importing this module stays fast.
"""

from __future__ import annotations

import numpy as np

from .compare import compare_function, compare_number
from .feedback import wrong
from .registry import register

# ------------------------------------------------------------ SE parameters
C_SE, R_SE = 128, 8
H_SE = C_SE // R_SE  # 16 hidden units
SE_PARAMS = 2 * C_SE * H_SE + H_SE + C_SE  # 4,240


@register(
    "ca-se-params",
    reference=lambda: SE_PARAMS,
    planted=[
        (lambda: 2 * C_SE * H_SE, "bias"),
        (lambda: 2 * C_SE * R_SE + R_SE + C_SE, "C/r"),
        (lambda: C_SE * H_SE + H_SE, "two linear layers"),
        (lambda: 2 * C_SE * C_SE + 2 * C_SE, "reduction"),
        (lambda: "4240", "number"),
    ],
)
def check_se_params(answer):
    """Parameters of SEBlock(128, reduction=8): W1, b1, W2, b2."""
    return compare_number(
        answer,
        SE_PARAMS,
        [
            (
                2 * C_SE * H_SE,
                "you counted the two weight matrices; nn.Linear also has a bias: b1 has C/r entries and "
                "b2 has C.",
            ),
            (
                2 * C_SE * R_SE + R_SE + C_SE,
                "the hidden layer has C/r = 128/8 = 16 units, not r = 8: r is the factor by "
                "which the MLP shrinks the channels.",
            ),
            (
                C_SE * H_SE + H_SE,
                "that is only the first layer W1, b1; the excitation has two linear layers, the second "
                "(W2, b2) maps the C/r hidden units back to C gates.",
            ),
            (
                2 * C_SE * C_SE + 2 * C_SE,
                "without the reduction the hidden layer would have C units; SE's bottleneck has "
                "C/r.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ CBAM parameters
C_CB, R_CB, K_CB = 64, 4, 7
H_CB = C_CB // R_CB  # 16 hidden units
MLP_CB = 2 * C_CB * H_CB + H_CB + C_CB  # 2,128
SPATIAL_CB = 2 * K_CB * K_CB + 1  # 99
CBAM_PARAMS = MLP_CB + SPATIAL_CB  # 2,227


@register(
    "ca-cbam-params",
    reference=lambda: CBAM_PARAMS,
    planted=[
        (lambda: 2 * MLP_CB + SPATIAL_CB, "shared"),
        (lambda: MLP_CB + C_CB * K_CB * K_CB + 1, "two maps"),
        (lambda: MLP_CB + K_CB * K_CB + 1, "mean and the max"),
        (lambda: MLP_CB, "spatial"),
        (lambda: 2 * C_CB * H_CB + 2 * K_CB * K_CB, "bias"),
    ],
)
def check_cbam_params(answer):
    """Parameters of CBAM(64, reduction=4, kernel_size=7)."""
    return compare_number(
        answer,
        CBAM_PARAMS,
        [
            (
                2 * MLP_CB + SPATIAL_CB,
                "the MLP is shared: it is applied twice (to the average- and the max-pooled "
                "descriptor) but its weights are stored once.",
            ),
            (
                MLP_CB + C_CB * K_CB * K_CB + 1,
                "the spatial convolution does not see the C channels: it sees two maps, "
                "the mean and the max over the channels, so its kernel is 2 x k x k.",
            ),
            (
                MLP_CB + K_CB * K_CB + 1,
                "the spatial convolution has two input maps, the mean and the max over the "
                "channels: 2 k^2 weights plus a bias.",
            ),
            (
                MLP_CB,
                "that is the channel attention's MLP; add the spatial attention's k x k convolution (2 input maps, "
                "1 output, a bias).",
            ),
            (
                2 * C_CB * H_CB + 2 * K_CB * K_CB,
                "every layer here has a bias: C/r and C for the two linear layers, 1 for "
                "the spatial convolution.",
            ),
            (
                MLP_CB + 2 * K_CB * K_CB,
                "the spatial convolution has a bias too: 2 k^2 + 1.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ CBAM multiply-adds
S_CB = 14
CBAM_MACS = (
    2 * (2 * C_CB * H_CB) + S_CB * S_CB * 2 * K_CB * K_CB
)  # 4,096 + 19,208 = 23,304


@register(
    "ca-cbam-macs",
    reference=lambda: CBAM_MACS,
    planted=[
        (lambda: 2 * C_CB * H_CB + S_CB * S_CB * 2 * K_CB * K_CB, "twice"),
        (
            lambda: (
                S_CB * S_CB * 2 * (2 * C_CB * H_CB)
                + S_CB * S_CB * 2 * K_CB * K_CB
            ),
            "once per image",
        ),
        (
            lambda: (
                2 * (2 * C_CB * H_CB) + S_CB * S_CB * C_CB * K_CB * K_CB
            ),
            "two input maps",
        ),
        (lambda: 2 * (2 * C_CB * H_CB), "spatial"),
        (lambda: [23304, 1], "single number"),
    ],
)
def check_cbam_macs(answer):
    """Multiply-adds of CBAM(64, 4, 7) on a 64 x 14 x 14 map, counting linear layers and convolutions only."""
    mlp = 2 * C_CB * H_CB
    conv = S_CB * S_CB * 2 * K_CB * K_CB
    return compare_number(
        answer,
        CBAM_MACS,
        [
            (
                mlp + conv,
                "the shared MLP runs twice, on the average- and on the max-pooled descriptor: 2 x 2C(C/r).",
            ),
            (
                S_CB * S_CB * 2 * mlp + conv,
                "the MLP acts on the pooled descriptors, once per image, not once per pixel.",
            ),
            (
                2 * mlp + S_CB * S_CB * C_CB * K_CB * K_CB,
                "the spatial convolution has two input maps (mean and max over "
                "the channels), not C: H W 2 k^2 multiply-adds.",
            ),
            (
                2 * mlp,
                "add the spatial convolution: a k x k kernel over 2 maps at each of the H W pixels.",
            ),
            (
                S_CB * S_CB * 2 * K_CB * K_CB,
                "add the two runs of the shared MLP, 2C(C/r) multiply-adds each.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ write SE
def _sigmoid(t):
    return 1.0 / (1.0 + np.exp(-t))


def _mlp(v, W1, b1, W2, b2):
    return W2 @ np.maximum(W1 @ v + b1, 0.0) + b2


def _se(x, W1, b1, W2, b2):
    x = np.asarray(x, float)
    s = _sigmoid(_mlp(x.mean(axis=(1, 2)), W1, b1, W2, b2))
    return s[:, None, None] * x


def _se_max(x, W1, b1, W2, b2):
    x = np.asarray(x, float)
    return (
        _sigmoid(_mlp(x.max(axis=(1, 2)), W1, b1, W2, b2))[:, None, None]
        * x
    )


def _se_no_relu(x, W1, b1, W2, b2):
    x = np.asarray(x, float)
    return (
        _sigmoid(W2 @ (W1 @ x.mean(axis=(1, 2)) + b1) + b2)[:, None, None]
        * x
    )


def _se_softmax(x, W1, b1, W2, b2):
    x = np.asarray(x, float)
    t = _mlp(x.mean(axis=(1, 2)), W1, b1, W2, b2)
    e = np.exp(t - t.max())
    return (e / e.sum())[:, None, None] * x


def _se_no_bias(x, W1, b1, W2, b2):
    x = np.asarray(x, float)
    return (
        _sigmoid(W2 @ np.maximum(W1 @ x.mean(axis=(1, 2)), 0.0))[
            :, None, None
        ]
        * x
    )


def _se_gates_only(x, W1, b1, W2, b2):
    return _sigmoid(
        _mlp(np.asarray(x, float).mean(axis=(1, 2)), W1, b1, W2, b2)
    )


def _se_cases():
    rng = np.random.default_rng(21)
    cases = []
    for c, hidden, h, w in ((4, 2, 3, 5), (6, 3, 4, 4), (8, 2, 2, 3)):
        x = rng.normal(size=(c, h, w))
        cases.append(
            (
                x,
                rng.normal(size=(hidden, c)),
                rng.normal(size=hidden),
                rng.normal(size=(c, hidden)),
                rng.normal(size=c),
            )
        )
    return cases


SE_CASES = _se_cases()


def _output_shape(func, args):
    """The shape of func(*args) as a tuple, or None if it fails or is not an array (never raises)."""
    try:
        out = func(*args)
        return (
            None if out is None else np.shape(np.asarray(out, dtype=float))
        )
    except Exception:
        return None


@register(
    "ca-write-se",
    reference=lambda: _se,
    planted=[
        (lambda: _se_max, "average"),
        (lambda: _se_no_relu, "ReLU"),
        (lambda: _se_softmax, "sigmoid"),
        (lambda: _se_no_bias, "bias"),
        (lambda: _se_gates_only, "multiply"),
        (lambda: lambda x, W1, b1, W2, b2: None, "return"),
    ],
)
def check_write_se(answer):
    """A function se(x, W1, b1, W2, b2) -> (C, H, W): sigmoid(W2 relu(W1 mean_hw(x) + b1) + b2)_c * x_c."""
    if callable(answer):
        x = SE_CASES[0][0]
        if _output_shape(answer, SE_CASES[0]) == (x.shape[0],):
            return wrong(
                "your function returns the gates s, one per channel; SE returns the rescaled map: multiply "
                "every channel x_c by its gate s_c, y = s[:, None, None] * x."
            )
    return compare_function(
        answer,
        SE_CASES,
        _se,
        diagnoses=[
            (
                _se_max,
                "SE squeezes by global *average* pooling, z_c = mean over the H x W pixels (CBAM adds a max).",
            ),
            (
                _se_no_relu,
                "apply the ReLU to the hidden layer, delta(W1 z + b1), before W2.",
            ),
            (
                _se_softmax,
                "the gates are independent sigmoids, sigma(t_c) for each channel, not a softmax over the "
                "channels (they need not sum to 1).",
            ),
            (
                _se_no_bias,
                "add the biases b1 and b2 of the two linear layers.",
            ),
        ],
    )


# ------------------------------------------------------------ write CBAM's channel gate
def _gate(x, W1, b1, W2, b2):
    x = np.asarray(x, float)
    return _sigmoid(
        _mlp(x.mean(axis=(1, 2)), W1, b1, W2, b2)
        + _mlp(x.max(axis=(1, 2)), W1, b1, W2, b2)
    )


def _gate_avg_only(x, W1, b1, W2, b2):
    return _se_gates_only(x, W1, b1, W2, b2)


def _gate_mlp_of_sum(x, W1, b1, W2, b2):
    x = np.asarray(x, float)
    return _sigmoid(
        _mlp(x.mean(axis=(1, 2)) + x.max(axis=(1, 2)), W1, b1, W2, b2)
    )


def _gate_sigmoid_each(x, W1, b1, W2, b2):
    x = np.asarray(x, float)
    return (
        _sigmoid(_mlp(x.mean(axis=(1, 2)), W1, b1, W2, b2))
        + _sigmoid(_mlp(x.max(axis=(1, 2)), W1, b1, W2, b2))
    ) / 2


def _gate_bias_once(x, W1, b1, W2, b2):
    x = np.asarray(x, float)
    return _sigmoid(
        _mlp(x.mean(axis=(1, 2)), W1, b1, W2, b2)
        + _mlp(x.max(axis=(1, 2)), W1, b1, W2, b2)
        - b2
    )


def _gate_over_channels(x, W1, b1, W2, b2):
    x = np.asarray(x, float)
    return _sigmoid(x.mean(axis=0) + x.max(axis=0))


@register(
    "ca-write-channel-gate",
    reference=lambda: _gate,
    planted=[
        (lambda: _gate_avg_only, "max"),
        (lambda: _gate_mlp_of_sum, "separately"),
        (lambda: _gate_sigmoid_each, "before the sigmoid"),
        (lambda: _gate_bias_once, "twice"),
        (lambda: _gate_over_channels, "over the pixels"),
        (lambda: lambda *args: 1 / 0, "raised"),
    ],
)
def check_write_channel_gate(answer):
    """A function channel_gate(x, W1, b1, W2, b2) -> (C,): sigmoid(MLP(mean_hw x) + MLP(max_hw x))."""
    if callable(answer):
        x = SE_CASES[0][0]
        if _output_shape(answer, SE_CASES[0]) == x.shape[1:]:
            return wrong(
                "your gates have the shape (H, W) of a map: channel attention pools over the pixels "
                "(axes 1 and 2 of x), giving one descriptor entry, and one gate, per channel."
            )
    return compare_function(
        answer,
        SE_CASES,
        _gate,
        diagnoses=[
            (
                _gate_avg_only,
                "that is SE's gate from the average alone; CBAM adds the max-pooled descriptor, "
                "MLP(z_avg) + MLP(z_max).",
            ),
            (
                _gate_mlp_of_sum,
                "pass the two descriptors through the MLP separately and add the outputs; the MLP "
                "of their sum is different (the ReLU is not linear).",
            ),
            (
                _gate_sigmoid_each,
                "add the two MLP outputs before the sigmoid: sigma(MLP(z_avg) + MLP(z_max)).",
            ),
            (
                _gate_bias_once,
                "each of the two MLP outputs includes the bias b2, so b2 enters the sum twice.",
            ),
        ],
    )
