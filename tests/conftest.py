"""Fixtures shared by the library tests."""

import pytest
import torch


@pytest.fixture
def float64_default():
    """Make float64 PyTorch's default dtype for one test (restored afterwards: test files share a process)."""
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)
