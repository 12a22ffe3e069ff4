"""The reference answers of chapter 21's exercises (convlab.exercises.channel_attention) agree with the
library: counts with convlab.cost on convlab.attention's modules, functions with the modules' outputs."""

import numpy as np
import torch

from convlab.attention import CBAM, SEBlock
from convlab.cost import count_macs, count_params
from convlab.exercises import channel_attention as ex


def test_count_references_match_convlab_cost():
    assert ex.SE_PARAMS == count_params(SEBlock(ex.C_SE, ex.R_SE)) == 4_240
    assert (
        ex.CBAM_PARAMS
        == count_params(CBAM(ex.C_CB, ex.R_CB, ex.K_CB))
        == 2_227
    )
    assert (
        ex.CBAM_MACS
        == count_macs(
            CBAM(ex.C_CB, ex.R_CB, ex.K_CB), (ex.C_CB, ex.S_CB, ex.S_CB)
        )
        == 23_304
    )


def _load(block_layers, W1, b1, W2, b2):
    first, second = block_layers
    with torch.no_grad():
        first.weight.copy_(torch.tensor(W1))
        first.bias.copy_(torch.tensor(b1))
        second.weight.copy_(torch.tensor(W2))
        second.bias.copy_(torch.tensor(b2))


def test_reference_functions_match_the_modules():
    for x, W1, b1, W2, b2 in ex.SE_CASES:
        c, hidden = x.shape[0], W1.shape[0]
        se = SEBlock(c, c // hidden).double()
        _load((se.fc1, se.fc2), W1, b1, W2, b2)
        cbam = CBAM(c, c // hidden, 3).double()
        _load((cbam.mlp[0], cbam.mlp[2]), W1, b1, W2, b2)
        xt = torch.tensor(x)[None]
        with torch.no_grad():
            assert np.allclose(
                se(xt)[0].numpy(), ex._se(x, W1, b1, W2, b2), atol=1e-12
            )
            assert np.allclose(
                cbam.gates(xt)[0][0].numpy(),
                ex._gate(x, W1, b1, W2, b2),
                atol=1e-12,
            )


def test_planted_functions_really_differ_from_the_reference():
    x, W1, b1, W2, b2 = ex.SE_CASES[0]
    ref = ex._se(x, W1, b1, W2, b2)
    for wrong in (
        ex._se_max,
        ex._se_no_relu,
        ex._se_softmax,
        ex._se_no_bias,
    ):
        assert not np.allclose(wrong(x, W1, b1, W2, b2), ref)
    ref = ex._gate(x, W1, b1, W2, b2)
    for wrong in (
        ex._gate_avg_only,
        ex._gate_mlp_of_sum,
        ex._gate_sigmoid_each,
        ex._gate_bias_once,
    ):
        assert not np.allclose(wrong(x, W1, b1, W2, b2), ref)
