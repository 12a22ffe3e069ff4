"""Parameter, MAC and activation counts of torch modules, and receptive fields by formula and by measurement.

Oracles: hand formulas, and an independent one computed by PyTorch itself: with every weight and
every input (padding included) equal to 1 and no bias, each output element of a convolution, a
linear layer or a matrix product is the number of products summed into it, so the sum of the
output is the number of MACs.
"""

import re

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

from convlab.arith import conv_output_size, receptive_field
from convlab.cost import (
    count_macs,
    count_params,
    input_gradient_map,
    layer_report,
    measure_receptive_field,
)

ALL = ("conv", "linear", "matmul", "norm", "pool")


def ones_like_params(module):
    with torch.no_grad():
        for p in module.parameters():
            p.fill_(1.0)
    return module


# ------------------------------------------------------------------------------------- parameters
@settings(max_examples=60, deadline=None)
@given(
    g=st.integers(1, 4),
    cin_g=st.integers(1, 4),
    cout_g=st.integers(1, 4),
    kh=st.integers(1, 5),
    kw=st.integers(1, 5),
    bias=st.booleans(),
)
def test_count_params_conv_formula(g, cin_g, cout_g, kh, kw, bias):
    c_in, c_out = g * cin_g, g * cout_g
    layer = nn.Conv2d(c_in, c_out, (kh, kw), groups=g, bias=bias)
    assert count_params(layer) == c_out * (c_in // g) * kh * kw + (
        c_out if bias else 0
    )


def test_count_params_linear_batchnorm_and_buffers():
    assert count_params(nn.Linear(10, 7)) == 77
    bn = nn.BatchNorm2d(16)
    assert (
        count_params(bn) == 32
    )  # weight and bias; running statistics are buffers
    assert (
        sum(b.numel() for b in bn.buffers()) == 33
    )  # running_mean, running_var, num_batches_tracked


def test_count_params_shared_and_frozen():
    conv = nn.Conv2d(3, 3, 3)
    model = nn.Sequential(conv, nn.ReLU(), conv, nn.Conv2d(3, 2, 1))
    assert count_params(model) == 84 + 8  # the shared layer counts once
    model[3].weight.requires_grad_(False)
    assert count_params(model, trainable_only=True) == 84 + 2
    assert count_params(model) == 92


def test_count_params_errors():
    with pytest.raises(
        TypeError, match="count_params: expected a torch.nn.Module"
    ):
        count_params(torch.zeros(3))
    with pytest.raises(
        TypeError, match="trainable_only must be True or False"
    ):
        count_params(nn.Linear(2, 2), trainable_only="yes")
    with pytest.raises(ValueError, match="not initialised yet"):
        count_params(nn.LazyLinear(4))


# ------------------------------------------------------------------------------------------- MACs
def test_resnet_stem_macs():
    # 3 -> 64 channels, 7x7, stride 2, padding 3 at 224: 112x112 outputs, each 3*7*7 products per channel
    stem = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
    assert (
        count_macs(stem, (3, 224, 224))
        == 64 * 112 * 112 * 3 * 7 * 7
        == 118_013_952
    )


@settings(max_examples=40, deadline=None)
@given(
    g=st.integers(1, 3),
    cin_g=st.integers(1, 3),
    cout_g=st.integers(1, 3),
    k=st.integers(1, 4),
    s=st.integers(1, 3),
    p=st.integers(0, 2),
    d=st.integers(1, 2),
    h=st.integers(7, 12),
    w=st.integers(7, 12),
)
def test_conv_macs_formula_and_ones_oracle(
    g, cin_g, cout_g, k, s, p, d, h, w
):
    c_in, c_out = g * cin_g, g * cout_g
    layer = ones_like_params(
        nn.Conv2d(c_in, c_out, k, s, p, d, groups=g, bias=False)
    )
    h_out, w_out = (
        conv_output_size(h, k, s, p, d),
        conv_output_size(w, k, s, p, d),
    )
    macs = count_macs(layer, (c_in, h, w))
    assert macs == c_out * h_out * w_out * (c_in // g) * k * k
    x = (
        F.pad(torch.zeros(1, c_in, h, w), (p, p, p, p), value=0.0) + 1.0
    )  # padding made of ones as well
    with torch.no_grad():
        y = F.conv2d(x, layer.weight, stride=s, dilation=d, groups=g)
    assert int(y.sum()) == macs


@settings(max_examples=30, deadline=None)
@given(
    g=st.integers(1, 3),
    cin_g=st.integers(1, 3),
    cout_g=st.integers(1, 3),
    k=st.integers(1, 4),
    s=st.integers(1, 3),
    d=st.integers(1, 2),
    h=st.integers(2, 6),
    p=st.integers(0, 1),
)
def test_conv_transpose_macs(g, cin_g, cout_g, k, s, d, h, p):
    c_in, c_out = g * cin_g, g * cout_g
    layer = ones_like_params(
        nn.ConvTranspose2d(
            c_in, c_out, k, s, groups=g, dilation=d, bias=False
        )
    )
    macs = count_macs(layer, (c_in, h, h + 1))
    assert macs == c_in * h * (h + 1) * (c_out // g) * k * k
    with (
        torch.no_grad()
    ):  # without padding every product lands in the output
        assert int(layer(torch.ones(1, c_in, h, h + 1)).sum()) == macs
    if (
        2 * p < d * (k - 1) + 1 + (h - 1) * s
    ):  # padding crops outputs, the count stays (documented)
        padded = nn.ConvTranspose2d(
            c_in, c_out, k, s, padding=p, groups=g, dilation=d, bias=False
        )
        assert count_macs(padded, (c_in, h, h + 1)) == macs


@settings(max_examples=30, deadline=None)
@given(
    rows=st.integers(1, 5),
    n_in=st.integers(1, 20),
    n_out=st.integers(1, 20),
    bias=st.booleans(),
)
def test_linear_macs(rows, n_in, n_out, bias):
    layer = ones_like_params(nn.Linear(n_in, n_out, bias=bias))
    macs = count_macs(layer, (rows, n_in))
    assert macs == rows * n_in * n_out
    with torch.no_grad():
        assert (
            int(F.linear(torch.ones(rows, n_in), layer.weight).sum())
            == macs
        )


class MatMul(nn.Module):
    def forward(self, a, b):
        return a @ b


class Functional(nn.Module):
    """Uses functions, not modules, inside forward: conv2d, torch.matmul, bmm, an addition, a ReLU."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(4, 2, 3, 3))

    def forward(self, x):
        y = F.relu(
            F.conv2d(x, self.weight, padding=1)
        )  # 4*8*8 * 2*3*3 = 4608
        z = torch.matmul(
            y.flatten(2), y.flatten(2).transpose(1, 2)
        )  # (1, 4, 64) @ (1, 64, 4): 16 * 64 = 1024
        return torch.bmm(z, z) + 1.0  # (1, 4, 4) @ (1, 4, 4): 16 * 4 = 64


@settings(max_examples=20, deadline=None)
@given(
    m=st.integers(1, 6),
    k=st.integers(1, 6),
    n=st.integers(1, 6),
    b=st.integers(1, 3),
)
def test_matmul_macs(m, k, n, b):
    macs = count_macs(MatMul(), ((b, m, k), (b, k, n)))
    assert (
        macs
        == b * m * k * n
        == int((torch.ones(b, m, k) @ torch.ones(b, k, n)).sum())
    )


def test_functional_calls_are_counted_elementwise_are_not():
    assert count_macs(Functional(), (2, 8, 8)) == 4608 + 1024 + 64
    assert count_macs(Functional(), (2, 8, 8), include="conv") == 4608
    rows = layer_report(Functional(), (2, 8, 8))
    assert [(r.name, r.params, r.macs) for r in rows] == [
        ("(model)", 72, 4608 + 1024 + 64)
    ]


def test_attention_macs():
    e, h, n_q, n_k = 16, 4, 10, 12
    mha = nn.MultiheadAttention(e, h, batch_first=True)
    projections = (
        2 * n_q * e * e + 2 * n_k * e * e
    )  # q and output from the queries, k and v
    attention = (
        2 * n_q * n_k * e
    )  # q k^T and weights @ v, summed over heads
    assert (
        count_macs(mha, ((n_q, e), (n_k, e), (n_k, e)))
        == projections + attention
    )
    assert (
        count_macs(mha, ((n_q, e), (n_k, e), (n_k, e)), include="matmul")
        == attention
    )
    with torch.no_grad():  # the inference fast path counts alike
        assert (
            count_macs(mha, ((n_q, e),) * 3)
            == 4 * n_q * e * e + 2 * n_q * n_q * e
        )

    class SDPA(nn.Module):
        def forward(self, q, k, v):
            return F.scaled_dot_product_attention(q, k, v)

    assert count_macs(
        SDPA(), ((h, n_q, 8), (h, n_k, 8), (h, n_k, 5))
    ) == h * n_q * n_k * (8 + 5)


def test_norm_and_pool_conventions():
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1),
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.AvgPool2d(3, stride=1),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(8, 5),
    )
    conv, linear = 8 * 16 * 16 * 27, 40
    norm, maxpool, avgpool, gap = (
        8 * 16 * 16,
        8 * 8 * 8 * 4,
        8 * 6 * 6 * 9,
        8 * 36,
    )
    assert count_macs(model, (3, 16, 16)) == conv + linear
    assert (
        count_macs(model, (3, 16, 16), include=ALL)
        == conv + linear + norm + maxpool + avgpool + gap
    )
    assert count_macs(model, (3, 16, 16), include=("norm",)) == norm
    lrn = nn.LocalResponseNorm(5)
    assert count_macs(lrn, (6, 4, 4), include="norm") == 6 * 16 * 5
    gn = nn.GroupNorm(2, 6)
    assert (
        count_macs(gn, (6, 4, 4), include="norm") == 96
        and count_macs(gn, (6, 4, 4)) == 0
    )


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 9), m=st.integers(1, 9), c=st.integers(1, 3))
def test_adaptive_pool_windows(n, m, c):
    """Window sizes found by pooling one-hot inputs: pixel p lies in window o iff output o is non-zero."""
    eye = torch.eye(n * m).reshape(n * m, 1, n, m)
    out_hw = (max(1, n // 2 + 1), max(1, (m + 2) // 3))
    inside = (
        F.adaptive_avg_pool2d(eye, out_hw) > 0
    )  # (pixels, 1, H_out, W_out)
    expected = c * int(inside.sum())
    assert (
        count_macs(nn.AdaptiveAvgPool2d(out_hw), (c, n, m), include="pool")
        == expected
    )
    assert (
        count_macs(nn.AdaptiveMaxPool2d(out_hw), (c, n, m), include="pool")
        == expected
    )


def test_a_module_called_twice_counts_twice_and_model_is_untouched():
    conv = nn.Conv2d(4, 4, 3, padding=1)
    model = nn.Sequential(conv, nn.ReLU(), conv)
    before = [p.detach().clone() for p in model.parameters()]
    model.train()
    assert count_macs(model, (4, 5, 5)) == 2 * 4 * 25 * 36
    assert model.training and all(
        p.device.type == "cpu" for p in model.parameters()
    )
    assert all(
        torch.equal(a, b) for a, b in zip(before, model.parameters())
    )
    rows = layer_report(model, (4, 5, 5))
    assert [(r.name, r.params, r.macs) for r in rows] == [
        ("0", 148, 3600),
        ("1", 0, 0),
        ("0", 0, 3600),
    ]


class NeedsCPU(nn.Module):
    """Reads a value (``.item()``), which the meta device cannot: counted by running on zeros instead."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3)

    def forward(self, x):
        y = self.conv(x)
        return y * (1.0 + 0.0 * float(y.abs().max().item()))


def test_fallback_to_cpu():
    assert count_macs(NeedsCPU(), (2, 6, 6)) == 3 * 16 * 18


def test_float64_model():
    model = nn.Sequential(
        nn.Conv2d(2, 3, 3), nn.Flatten(), nn.Linear(48, 5)
    ).double()
    assert count_macs(model, (2, 6, 6)) == 3 * 16 * 18 + 48 * 5


def test_layer_report_rows():
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(4 * 9, 10),
    )
    rows = layer_report(model, (1, 8, 8), include=ALL)
    assert [r.name for r in rows] == ["0", "1", "2", "3", "4"]
    assert [r.type for r in rows] == [
        "Conv2d",
        "ReLU",
        "MaxPool2d",
        "Flatten",
        "Linear",
    ]
    assert [r.output_shape for r in rows] == [
        (4, 6, 6),
        (4, 6, 6),
        (4, 3, 3),
        (36,),
        (10,),
    ]
    assert [r.params for r in rows] == [40, 0, 0, 0, 370]
    assert [r.macs for r in rows] == [4 * 36 * 9, 0, 4 * 9 * 4, 0, 360]
    assert [r.activations for r in rows] == [144, 144, 36, 36, 10]
    assert sum(r.macs for r in rows) == count_macs(
        model, (1, 8, 8), include=ALL
    )


@pytest.mark.parametrize(
    "call,exc,fragment",
    [
        (
            lambda: count_macs("conv", (3, 8, 8)),
            TypeError,
            "count_macs: expected a torch.nn.Module",
        ),
        (
            lambda: count_macs(nn.Conv2d(3, 4, 3), 8),
            TypeError,
            "input_shape must be a tuple of ints",
        ),
        (
            lambda: count_macs(nn.Conv2d(3, 4, 3), (3, 8.0, 8)),
            TypeError,
            "input_shape must hold ints",
        ),
        (
            lambda: count_macs(nn.Conv2d(3, 4, 3), (3, 0, 8)),
            ValueError,
            "must be at least 1",
        ),
        (
            lambda: count_macs(
                nn.Conv2d(3, 4, 3), (3, 8, 8), include=("conv", "relu")
            ),
            ValueError,
            "unknown kind(s) ['relu']",
        ),
        (
            lambda: count_macs(nn.Conv2d(3, 4, 3), (1, 3, 8, 8)),
            ValueError,
            "without* the batch axis",
        ),
        (
            lambda: count_macs(nn.Conv2d(3, 4, 3), (4, 8, 8)),
            ValueError,
            "the model failed on an input of shape",
        ),
        (
            lambda: layer_report(nn.LazyLinear(3), (4,)),
            ValueError,
            "not initialised yet",
        ),
    ],
)
def test_count_macs_errors(call, exc, fragment):
    with pytest.raises(exc, match=re.escape(fragment)):
        call()


# -------------------------------------------------------------------------------- receptive field
def test_receptive_field_hand_examples():
    assert receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 3)]) == (
        13,
        1,
        0,
        tuple(range(13)),
    )  # chapter 7
    assert receptive_field([(3,)] * 3).size == 7  # three 3x3 layers see 7x7
    vgg_block = [(3, 1, 1, 1), (3, 1, 1, 1), (2, 2)]
    assert receptive_field(vgg_block * 2)[:3] == (16, 4, -1 - 1 - 2 - 2)
    gridded = receptive_field(
        [(3, 1, 2), (3, 1, 2)]
    )  # dilation 2 twice leaves holes
    assert (
        gridded.size == 9
        and gridded.offsets == (0, 2, 4, 6, 8)
        and not gridded.dense
    )
    assert receptive_field([]) == (1, 1, 0, (0,))


def test_receptive_field_inputs_agree():
    as_tuples = receptive_field([(7, 2, 1, 3), (3, 2, 1, 1), (3, 1, 2, 2)])
    as_dicts = receptive_field(
        [
            {"kernel": 7, "stride": 2, "padding": 3},
            {"kernel_size": 3, "stride": 2, "padding": 1},
            {"kernel": 3, "dilation": 2, "padding": 2},
        ]
    )
    as_modules = receptive_field(
        [
            nn.Conv2d(3, 8, 7, 2, 3),
            nn.MaxPool2d(3, 2, 1),
            nn.Conv2d(8, 8, 3, padding=2, dilation=2),
        ]
    )
    assert (
        as_tuples
        == as_dicts
        == as_modules
        == (1 + 6 + 2 * 2 + 2 * 2 * 4, 4, -3 - 2 - 2 * 4, as_tuples.offsets)
    )
    assert (
        receptive_field(
            [nn.Conv2d(1, 1, 3, padding="same", dilation=2)]
        ).start
        == -2
    )
    assert receptive_field([nn.Conv2d(1, 1, (3, 5))], axis=1).size == 5


@pytest.mark.parametrize(
    "layers,kwargs,exc,fragment",
    [
        (5, {}, TypeError, "layers must be a sequence of layers"),
        (
            [(3, 1, 1, 0, 9)],
            {},
            ValueError,
            "layer 0 must be a tuple (kernel, stride, dilation, padding)",
        ),
        (
            [(3,), (0, 1)],
            {},
            ValueError,
            "layer 1 kernel must be at least 1, got 0",
        ),
        ([(3, 1.5)], {}, TypeError, "layer 0 stride must be an int"),
        (
            [{"k": 3}],
            {},
            ValueError,
            "layer 0 must be a dict with keys 'kernel'",
        ),
        ([nn.ReLU()], {}, TypeError, "layer 0 is a ReLU"),
        (
            [(3, 1), nn.ConvTranspose2d(1, 1, 3, 2)],
            {},
            TypeError,
            "layer 1 is a transposed convolution",
        ),
        (
            [nn.Conv2d(1, 1, (3, 5))],
            {},
            ValueError,
            "layer 0 has kernel (3, 5), different along the axes; pass axis=0 (height) or axis=1 (width)",
        ),
        (
            [nn.Conv2d(1, 1, (3, 5))],
            {"axis": 2},
            ValueError,
            "axis 2 is out of range",
        ),
    ],
)
def test_receptive_field_errors(layers, kwargs, exc, fragment):
    with pytest.raises(
        exc, match=re.escape(f"receptive_field: {fragment}")
    ):
        receptive_field(layers, **kwargs)


def predicted_mask(rf, index, n):
    """Input positions (along one axis) the formula says output ``index`` sees, cut to the input."""
    mask = np.zeros(n, bool)
    for o in rf.offsets:
        if 0 <= rf.start + index * rf.jump + o < n:
            mask[rf.start + index * rf.jump + o] = True
    return mask


layer_strategy = st.tuples(
    st.integers(1, 4),
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(0, 3),
    st.booleans(),
)


@settings(max_examples=40, deadline=None)
@given(
    specs=st.lists(layer_strategy, min_size=1, max_size=4),
    n=st.integers(8, 40),
    data=st.data(),
)
def test_formula_equals_measurement_1d(specs, n, data):
    """Measured (non-zero gradient) == formula when no path crosses padding; always a subset of it."""
    layers, tuples = [], []
    for k, s, d, p, pool in specs:
        if pool:  # max pooling: no dilation, padding at most k // 2
            p = min(p, k // 2)
            layers.append(nn.MaxPool1d(k, s, p))
            tuples.append((k, s, 1, p))
        else:
            layers.append(nn.Conv1d(1, 1, k, s, p, d))
            tuples.append((k, s, d, p))
    model = nn.Sequential(*layers)
    try:
        n_out = model(torch.zeros(1, 1, n)).shape[-1]
    except RuntimeError:  # this stack leaves no output for this n
        return
    rf = receptive_field(tuples)
    i = data.draw(st.integers(0, n_out - 1))
    measured = measure_receptive_field(model, (1, n), (i,))
    predicted = predicted_mask(rf, i, n)
    assert not (measured & ~predicted).any()
    box_inside = (
        rf.start + i * rf.jump >= 0
        and rf.start + i * rf.jump + rf.size <= n
    )
    if box_inside or all(t[3] == 0 for t in tuples):
        assert (measured == predicted).all()


@settings(max_examples=15, deadline=None)
@given(
    k=st.integers(1, 3),
    s=st.integers(1, 2),
    d=st.integers(1, 2),
    c=st.integers(1, 3),
)
def test_formula_equals_measurement_2d_with_relu_bn_and_negative_weights(
    k, s, d, c
):
    model = nn.Sequential(
        nn.Conv2d(c, 4, (k, k + 1), stride=s, dilation=d),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 2, 3, dilation=d),
    )
    with (
        torch.no_grad()
    ):  # weights that would zero gradients in a naive test
        for p in model.parameters():
            p.fill_(-1.0)
    h_rf = receptive_field([(k, s, d), (2, 2), (3, 1, d)])
    w_rf = receptive_field([(k + 1, s, d), (2, 2), (3, 1, d)])
    mask = measure_receptive_field(model, (c, 40, 41), (1, 2))
    expected = np.outer(
        predicted_mask(h_rf, 1, 40), predicted_mask(w_rf, 2, 41)
    )
    assert (mask == expected).all()


def test_max_pooling_and_relu_would_hide_pixels_from_a_naive_gradient():
    model = nn.Sequential(nn.Conv2d(1, 1, 3), nn.ReLU(), nn.MaxPool2d(2))
    with torch.no_grad():
        model[0].weight.fill_(-1.0)
        model[0].bias.fill_(0.0)
    x = torch.ones(1, 1, 8, 8, requires_grad=True)
    model(x)[0, 0, 1, 1].backward()
    assert (
        int((x.grad != 0).sum()) == 0
    )  # the ReLU is off: a naive gradient sees nothing
    assert (
        int(measure_receptive_field(model, (1, 8, 8), (1, 1)).sum()) == 16
    )  # the 4x4 field, in full


def test_gradient_map_counts_paths():
    model = nn.Sequential(
        nn.Conv1d(1, 1, 3, bias=False), nn.Conv1d(1, 1, 3, bias=False)
    )
    g = input_gradient_map(model, (1, 7), (2,))
    assert np.allclose(
        g * 9, [0, 0, 1, 2, 3, 2, 1]
    )  # weights 1/3: paths through the middle count thrice


@pytest.mark.parametrize(
    "call,exc,fragment",
    [
        (
            lambda: measure_receptive_field([1], (1, 8, 8)),
            TypeError,
            "expected a torch.nn.Module",
        ),
        (
            lambda: measure_receptive_field(nn.Conv2d(1, 1, 3), (8,)),
            ValueError,
            "input_shape must be (C, H, W)",
        ),
        (
            lambda: measure_receptive_field(
                nn.Conv2d(1, 1, 3), (1, 8, 8), (1,)
            ),
            TypeError,
            "out_index must be a tuple",
        ),
        (
            lambda: measure_receptive_field(
                nn.Conv2d(1, 1, 3), (1, 8, 8), (6, 0)
            ),
            ValueError,
            "out_index (6, 0) is outside the output's spatial shape (6, 6)",
        ),
        (
            lambda: measure_receptive_field(
                nn.Sequential(nn.Flatten(), nn.Linear(4, 2)), (1, 2, 2)
            ),
            ValueError,
            "must return a feature map",
        ),
        (
            lambda: measure_receptive_field(
                nn.MaxPool2d(2, dilation=2), (1, 8, 8)
            ),
            ValueError,
            "dilated max pooling",
        ),
        (
            lambda: measure_receptive_field(nn.Conv2d(2, 1, 3), (1, 8, 8)),
            ValueError,
            "the model failed",
        ),
    ],
)
def test_measure_errors(call, exc, fragment):
    with pytest.raises(exc, match=re.escape(fragment)):
        call()


# --------------------------------------------------------------- the exercises' expected answers
def test_exercise_answers_equal_counts_on_real_layers():
    from convlab.exercises import layer_cost as ex

    assert (
        count_params(nn.Conv2d(64, 128, 3, groups=4))
        == ex.GROUPED_PARAMS
        == 18_560
    )
    assert (
        count_macs(nn.Conv2d(32, 64, 3, stride=2, padding=1), (32, 56, 56))
        == ex.STRIDED_MACS
        == 14_450_688
    )
    separable = nn.Sequential(
        nn.Conv2d(48, 48, 5, padding=2, groups=48), nn.Conv2d(48, 64, 1)
    )
    ratio = count_macs(separable, (48, 20, 20)) / count_macs(
        nn.Conv2d(48, 64, 5, padding=2), (48, 20, 20)
    )
    assert abs(ratio - ex.FACTOR) < 1e-12
    stem = nn.Sequential(
        nn.Conv2d(3, 8, 7, 2, 3),
        nn.MaxPool2d(3, 2, 1),
        nn.Conv2d(8, 8, 3, padding=1),
        nn.Conv2d(8, 8, 3, padding=1),
        nn.Conv2d(8, 8, 3, 2, 1),
    )
    rf = receptive_field(stem)
    assert [rf.size, rf.jump] == ex.STEM_ANSWER == [35, 8]
    mask = measure_receptive_field(
        stem, (3, 96, 96), (6, 6)
    )  # output 6 sees 6*8 - 17 = 31 .. 65
    assert rf.start == -3 - 2 - 4 - 4 - 4 and np.flatnonzero(
        mask.any(axis=0)
    ).tolist() == list(range(31, 66))
