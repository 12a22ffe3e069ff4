"""Small tensor helpers shared by the library tests (imported as ``from tensors import rand``)."""

import torch


def rand(*shape, seed=0):
    """A float64 standard-normal tensor of ``shape`` from its own generator seeded with ``seed``."""
    return torch.randn(
        *shape,
        generator=torch.Generator().manual_seed(seed),
        dtype=torch.float64,
    )
