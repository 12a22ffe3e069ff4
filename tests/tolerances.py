"""How close counts as equal in the library tests: each tolerance named for the reason it is that size.

Pass one to NumPy's or PyTorch's comparison: ``np.testing.assert_allclose(a, b, **SAME_SUM)``,
``torch.allclose(a, b, **SAME_SUM)``. A test that needs another tolerance says why beside it.

The course's tests compare float64 results whose magnitudes stay below about 1e2 and whose sums
have at most a few thousand terms. One rounding costs at most 2**-53 ~ 1.1e-16 of the result, so
the same sum taken in another order (a loop against BLAS, NumPy against torch) differs by at most
about terms x 1e-16 x magnitude ~ 1e-11: ``SAME_SUM`` leaves a factor 10 above that.
"""

#: The same float64 sum of products computed in another order: a direct loop against torch,
#: im2col against the definition, one layout against another. Round-off only, a few thousand terms.
SAME_SUM = {"rtol": 1e-12, "atol": 1e-10}

#: Float64 results that go through a transform or a factorisation (FFT, Winograd's matrices, SVD,
#: solving or inverting a matrix, a Hessian built from products): the round-off of each step is
#: multiplied by the transform's condition number, a few hundred for the sizes the tests draw.
THROUGH_TRANSFORM = {"rtol": 1e-9, "atol": 1e-9}

#: A float32 computation against a float64 reference: float32 keeps 24 bits (eps ~ 1.2e-7), and a
#: sum of a few hundred rounded terms of size ~1 loses up to ~100 eps.
FLOAT32 = {"rtol": 1e-5, "atol": 1e-5}
