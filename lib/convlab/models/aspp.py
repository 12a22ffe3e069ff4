"""Atrous spatial pyramid pooling (ASPP; DeepLab v3, Chen et al., 2017).

Several dilated ("atrous") 3x3 convolutions look at the same feature map in
parallel, each with another dilation rate r, so each branch sees a different
context at the same resolution and with the same number of weights:

    branch 0: 1x1 conv                      receptive field 1
    branch i: 3x3 conv, dilation r_i        receptive field 2 r_i + 1
    pooling:  global average pool, 1x1 conv, broadcast back to H x W

Every branch is ``conv (no bias) - BN - ReLU`` with ``out_channels``
channels; the ``len(rates) + 2`` branch outputs are concatenated along the
channels and a ``1x1 conv - BN - ReLU`` projects them to ``out_channels``.
Padding ``r`` keeps every dilated branch at H x W. Input ``(N, C, H, W)``,
output ``(N, out_channels, H, W)``.
"""

from __future__ import annotations

import torch
from torch import nn

from ..validation import as_int, as_int_tuple

__all__ = ["ASPP"]


def _branch(c_in, c_out, k, dilation=1):
    return nn.Sequential(
        nn.Conv2d(
            c_in,
            c_out,
            k,
            padding=dilation * (k // 2),
            dilation=dilation,
            bias=False,
        ),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    )


class ASPP(nn.Module):
    """``ASPP(in_channels, out_channels, rates=(6, 12, 18))``: see the module
    docstring. ``branches`` holds the 1x1 and the dilated branches (in that
    order), ``pool`` the image-pooling branch, ``project`` the final 1x1."""

    def __init__(
        self, in_channels: int, out_channels: int = 256, rates=(6, 12, 18)
    ):
        super().__init__()
        func = "ASPP"
        in_channels = as_int(in_channels, "in_channels", func, minimum=1)
        out_channels = as_int(out_channels, "out_channels", func, minimum=1)
        self.rates = as_int_tuple(
            rates,
            "rates",
            func,
            what="a non-empty tuple of dilation rates, e.g. (6, 12, 18)",
        )
        self.branches = nn.ModuleList(
            [_branch(in_channels, out_channels, 1)]
            + [_branch(in_channels, out_channels, 3, r) for r in self.rates]
        )
        self.pool = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), _branch(in_channels, out_channels, 1)
        )
        n = len(self.branches) + 1
        self.project = _branch(n * out_channels, out_channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h, w = x.shape[-2:]
        outs = [branch(x) for branch in self.branches]
        outs.append(self.pool(x).expand(-1, -1, h, w))
        return self.project(torch.cat(outs, dim=1))
