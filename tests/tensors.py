"""Small tensor helpers shared by the library tests (imported as ``from tensors import rand``)."""

import torch


def rand(*shape, seed=0):
    """A float64 standard-normal tensor of ``shape`` from its own generator seeded with ``seed``."""
    return torch.randn(
        *shape,
        generator=torch.Generator().manual_seed(seed),
        dtype=torch.float64,
    )


def on_meta(make, *args, **kwargs):
    """Build a model with ``make(*args, **kwargs)`` on PyTorch's ``meta`` device: its parameters
    have shapes but no data, so counting the 138 million parameters of VGG-16 allocates nothing
    and draws no random numbers."""
    with torch.device("meta"):
        return make(*args, **kwargs)
