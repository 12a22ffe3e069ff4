"""Checkers for chapter 10, "What a layer costs".

Exercise ids:

* ``cost-grouped-params``       parameters of ``nn.Conv2d(64, 128, 3, groups=4)`` (with bias)
* ``cost-strided-macs``         MACs of ``nn.Conv2d(32, 64, 3, stride=2, padding=1)`` on a 32x56x56 input
* ``cost-separable-factor``     MACs of a depthwise-separable layer over a standard one, C_out = 64, k = 5
* ``cost-receptive-field``      ``[size, jump]`` of a ResNet-like stem stack
* ``cost-write-receptive-field`` a function ``rf(layers) -> (size, jump)`` for ``(k, s, d)`` tuples

The expected values come from the formulas of the chapter; ``tests/test_layer_cost.py`` checks them against
``convlab.cost.count_params`` / ``count_macs`` and ``convlab.arith.receptive_field`` on real layers.
"""

from __future__ import annotations

from ..arith import conv_output_size, receptive_field
from .compare import compare_array, compare_function, compare_number
from .registry import register

# ------------------------------------------------------------- grouped parameters
G_IN, G_OUT, G_K, G_GROUPS = 64, 128, 3, 4
GROUPED_PARAMS = G_OUT * (G_IN // G_GROUPS) * G_K**2 + G_OUT  # 18,560
GROUPED_MISTAKES = {
    "no groups": G_OUT * G_IN * G_K**2 + G_OUT,  # 73,856
    "no bias": G_OUT * (G_IN // G_GROUPS) * G_K**2,  # 18,432
    "both divided": (G_OUT // G_GROUPS) * (G_IN // G_GROUPS) * G_K**2
    + G_OUT,  # 4,736
    "bias divided": G_OUT * (G_IN // G_GROUPS) * G_K**2
    + G_OUT // G_GROUPS,  # 18,464
    "k not squared": G_OUT * (G_IN // G_GROUPS) * G_K + G_OUT,  # 6,272
}


@register(
    "cost-grouped-params",
    reference=lambda: GROUPED_PARAMS,
    planted=[
        (lambda: GROUPED_MISTAKES["no groups"], "groups"),
        (lambda: GROUPED_MISTAKES["no bias"], "bias"),
        (lambda: GROUPED_MISTAKES["both divided"], "each of the"),
        (
            lambda: GROUPED_MISTAKES["bias divided"],
            "one bias per output channel",
        ),
        (lambda: GROUPED_MISTAKES["k not squared"], "k x k"),
        (lambda: 12345, "not it"),
    ],
)
def check_grouped_params(answer):
    """Parameters of nn.Conv2d(64, 128, 3, groups=4): 128 * (64/4) * 3*3 + 128 = 18,560."""
    return compare_number(
        answer,
        GROUPED_PARAMS,
        [
            (
                GROUPED_MISTAKES["no groups"],
                "that is the layer without groups; with g = 4 each output channel sees only "
                "C_in / g = 16 input channels, so its kernel is 16 x 3 x 3.",
            ),
            (
                GROUPED_MISTAKES["no bias"],
                "these are the weights only; nn.Conv2d has a bias by default, one per output "
                "channel (128 more).",
            ),
            (
                GROUPED_MISTAKES["both divided"],
                "you divided the output channels by g too; there are still C_out = 128 "
                "kernels, each of them C_in / g = 16 channels deep.",
            ),
            (
                GROUPED_MISTAKES["bias divided"],
                "the weights are right, but there is one bias per output channel: "
                "C_out = 128 biases, not 128 / g.",
            ),
            (
                GROUPED_MISTAKES["k not squared"],
                "a kernel is k x k = 9 positions per input channel, not k = 3.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------- strided MACs
S_IN, S_OUT, S_K, S_STRIDE, S_PAD, S_HW = 32, 64, 3, 2, 1, 56
S_HOUT = conv_output_size(S_HW, S_K, S_STRIDE, S_PAD)  # 28
STRIDED_MACS = S_OUT * S_HOUT * S_HOUT * S_IN * S_K**2  # 14,450,688
STRIDED_MISTAKES = {
    "no stride": S_OUT * S_HW * S_HW * S_IN * S_K**2,  # 57,802,752
    "flops": 2 * STRIDED_MACS,
    "no C_in": S_OUT * S_HOUT * S_HOUT * S_K**2,
    "27": S_OUT * 27 * 27 * S_IN * S_K**2,
    "29": S_OUT * 29 * 29 * S_IN * S_K**2,
}


@register(
    "cost-strided-macs",
    reference=lambda: STRIDED_MACS,
    planted=[
        (lambda: STRIDED_MISTAKES["no stride"], "stride"),
        (lambda: STRIDED_MISTAKES["flops"], "FLOPs"),
        (lambda: STRIDED_MISTAKES["no C_in"], "input channel"),
        (lambda: STRIDED_MISTAKES["27"], "27"),
        (lambda: STRIDED_MISTAKES["29"], "29"),
        (lambda: "many", "single number"),
    ],
)
def check_strided_macs(answer):
    """MACs of nn.Conv2d(32, 64, 3, stride=2, padding=1) on one 32x56x56 input: 64*28*28 * 32*9."""
    return compare_number(
        answer,
        STRIDED_MACS,
        [
            (
                STRIDED_MISTAKES["no stride"],
                "that is the cost with stride 1 (56 x 56 outputs); with stride 2 the output is "
                "floor((56 + 2 - 3) / 2) + 1 = 28 on each side, a quarter of the positions.",
            ),
            (
                STRIDED_MISTAKES["flops"],
                "that is twice the answer: you counted FLOPs (a multiply and an add each); "
                "the question asks for multiply-accumulates.",
            ),
            (
                STRIDED_MISTAKES["no C_in"],
                "each output value sums over every input channel: C_in * k^2 = 288 products, "
                "not k^2 = 9.",
            ),
            (
                STRIDED_MISTAKES["27"],
                "the output size is floor((n + 2p - k) / s) + 1 = floor(55 / 2) + 1 = 28, not 27: "
                "did you forget the padding or the +1?",
            ),
            (
                STRIDED_MISTAKES["29"],
                "the output size is floor((56 + 2 - 3) / 2) + 1 = 28, not 29: round down.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------- separable factor
F_COUT, F_K = 64, 5
FACTOR = 1 / F_COUT + 1 / F_K**2  # 0.055625
FACTOR_MISTAKES = {
    "inverse": 1 / FACTOR,
    "1/k^2": 1 / F_K**2,
    "1/C_out": 1 / F_COUT,
    "product": 1 / (F_COUT * F_K**2),
    "k": 1 / F_COUT + 1 / F_K,
}


@register(
    "cost-separable-factor",
    reference=lambda: FACTOR,
    planted=[
        (lambda: FACTOR_MISTAKES["inverse"], "upside down"),
        (lambda: FACTOR_MISTAKES["1/k^2"], "pointwise"),
        (lambda: FACTOR_MISTAKES["1/C_out"], "depthwise"),
        (lambda: FACTOR_MISTAKES["product"], "add"),
        (lambda: FACTOR_MISTAKES["k"], "k^2"),
        (lambda: [0.1, 0.2], "single number"),
    ],
)
def check_separable_factor(answer):
    """MACs(depthwise-separable) / MACs(standard) for C_out = 64, k = 5: 1/64 + 1/25 = 0.055625."""
    return compare_number(
        answer,
        FACTOR,
        [
            (
                FACTOR_MISTAKES["inverse"],
                "that is the speed-up, the ratio upside down; the question asks for "
                "MACs(separable) / MACs(standard), a number below 1.",
            ),
            (
                FACTOR_MISTAKES["1/k^2"],
                "that is the limit for very many output channels; the pointwise part adds "
                "1/C_out (here 1/64), which is not negligible.",
            ),
            (
                FACTOR_MISTAKES["1/C_out"],
                "that leaves out the depthwise part, whose share is 1/k^2 = 1/25.",
            ),
            (
                FACTOR_MISTAKES["product"],
                "the two parts add, they do not multiply: 1/C_out + 1/k^2.",
            ),
            (
                FACTOR_MISTAKES["k"],
                "a k x k kernel has k^2 = 25 positions: the depthwise share is 1/k^2, not 1/k.",
            ),
        ],
        rtol=1e-3,
        atol=0,
    )


# ------------------------------------------------------------- receptive field of a stem
STEM = [
    (7, 2, 1, 3),
    (3, 2, 1, 1),
    (3, 1, 1, 1),
    (3, 1, 1, 1),
    (3, 2, 1, 1),
]  # (k, s, d, p)
_STEM_RF = receptive_field(STEM)
STEM_ANSWER = [_STEM_RF.size, _STEM_RF.jump]  # [35, 8]


def _rf_no_jump(layers):
    return [
        1 + sum(d * (k - 1) for k, s, d, *_ in layers),
        _prod_strides(layers),
    ]


def _rf_own_jump(layers):
    r, j = 1, 1
    for k, s, d, *_ in layers:
        j *= s
        r += d * (k - 1) * j
    return [r, j]


def _prod_strides(layers):
    j = 1
    for _, s, *_ in layers:
        j *= s
    return j


@register(
    "cost-receptive-field",
    reference=lambda: STEM_ANSWER,
    planted=[
        (lambda: _rf_no_jump(STEM), "jump"),
        (lambda: _rf_own_jump(STEM), "before"),
        (lambda: [_STEM_RF.size, 2], "every stride"),
        (lambda: 35, "single number"),
    ],
)
def check_stem_receptive_field(answer):
    """[size, jump] of conv 7x7/2, max pool 3x3/2, conv 3x3, conv 3x3, conv 3x3/2: [35, 8]."""
    return compare_array(
        answer,
        STEM_ANSWER,
        [
            (
                _rf_no_jump(STEM),
                "you added k - 1 per layer as if every stride were 1; after a stride the next layer's "
                "taps are the jump j_{l-1} input pixels apart, so each layer adds d (k - 1) j_{l-1}.",
            ),
            (
                _rf_own_jump(STEM),
                "you multiplied by the jump after the layer; a layer's taps are spaced by the jump "
                "before it, j_{l-1}: its own stride only spaces its outputs.",
            ),
            (
                [_STEM_RF.size, 2],
                "the size is right; the jump multiplies every stride of the stack: 2 * 2 * 1 * 1 * 2.",
            ),
        ],
        atol=0,
        rtol=0,
        what="a list [size, jump]",
    )


# ------------------------------------------------------------- write the recurrence
RF_CASES = [
    ([(3, 1, 1)],),
    ([(3, 1, 1), (3, 1, 1), (3, 1, 1)],),
    ([(3, 1, 1), (2, 2, 1), (3, 1, 1), (2, 2, 1)],),
    ([(3, 1, 1), (3, 1, 2), (3, 1, 4)],),
    ([(7, 2, 1), (3, 2, 1), (3, 1, 1), (3, 2, 2)],),
    ([(1, 2, 1), (5, 3, 2), (2, 1, 3)],),
]


def _reference_rf(layers):
    rf = receptive_field([tuple(layer) for layer in layers])
    return [rf.size, rf.jump]


@register(
    "cost-write-receptive-field",
    reference=lambda: lambda layers: _reference_rf(layers),
    planted=[
        (lambda: lambda layers: _rf_no_jump(layers), "jump"),
        (lambda: lambda layers: _rf_own_jump(layers), "before"),
        (
            lambda: lambda layers: [1 + sum(k - 1 for k, *_ in layers), 1],
            "differ",
        ),
        (lambda: lambda layers: None, "return"),
        (lambda: lambda layers: 1 / 0, "ZeroDivisionError"),
        (lambda: 35, "wants a function"),
    ],
)
def check_write_receptive_field(answer):
    """A function rf(layers) returning (size, jump) for a list of (k, s, d) tuples."""
    return compare_function(
        answer,
        RF_CASES,
        _reference_rf,
        diagnoses=[
            (
                _rf_no_jump,
                "the size ignores the jump: after a stride, each layer adds d (k - 1) times the jump "
                "j_{l-1} of the layers before it.",
            ),
            (
                _rf_own_jump,
                "you update the jump before the size; the size must use the jump before the layer, "
                "j_{l-1}, so compute r first, then j = j * s.",
            ),
        ],
        atol=0,
        rtol=0,
    )
