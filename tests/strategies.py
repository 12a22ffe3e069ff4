"""Hypothesis strategies shared by the library tests.

Every property test draws its numbers from here, so that "a finite float" means the same thing
in every file. Bounds stay small (|x| <= 10) because the tolerances in ``tolerances.py`` assume
magnitudes below about 1e2 after a few products.
"""

from hypothesis import strategies as st


def finite(bound: float = 10.0) -> st.SearchStrategy[float]:
    """Float64 numbers in ``[-bound, bound]``: no NaN, no infinity."""
    return st.floats(
        -bound, bound, allow_nan=False, allow_infinity=False, width=64
    )


#: What most tests draw entries of arrays from.
FINITE = finite(10.0)
