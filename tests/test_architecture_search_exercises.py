"""Chapter 27's checkers as a learner meets them: answers typed or
computed the ways a learner would, and the messages they must (and must
not) get. (Reference, planted mistakes and junk are covered for every
exercise by tests/test_exercises.py.)"""

import numpy as np
import torch

from convlab import nas
from convlab.exercises import answer_spec, check, parse_answer
from convlab.exercises import architecture_search as ex


def test_the_mixed_output_from_torch_softmax_passes():
    p = torch.softmax(torch.tensor(ex.ALPHA1), dim=0)
    answer = p @ torch.tensor(ex.OUTPUTS1)
    assert check("nas-mixed-output", answer).ok


def test_the_mixed_output_rounded_to_three_decimals_passes():
    assert check("nas-mixed-output", np.round(ex.MIXED1, 3)).ok
    rough = check("nas-mixed-output", np.round(ex.MIXED1, 1))
    assert not rough.ok and "differ" in rough.message


def test_one_value_per_operation_is_told_the_shape():
    per_op = np.exp(ex.ALPHA1) / np.exp(ex.ALPHA1).sum()
    verdict = check("nas-mixed-output", per_op)
    assert not verdict.ok and "one value per pixel" in verdict.message


def test_expected_latency_from_the_library_and_typed_text():
    assert check("nas-expected-latency", ex.EXPECTED2).ok
    typed, problem = parse_answer(f"{ex.EXPECTED2:.2f}", "number")
    assert problem is None and check("nas-expected-latency", typed).ok
    wrong = check("nas-expected-latency", ex.EXPECTED2 * 1.05)
    assert not wrong.ok and "derived" not in wrong.message


def test_genotype_as_names_is_asked_for_indices():
    names = list(nas.derive_genotype(ex.ALPHA3))
    verdict = check("nas-derive-genotype", names)
    assert not verdict.ok
    assert "indices into nas.OPS" in verdict.message
    assert "rectangular" not in verdict.message


def test_genotype_typed_in_the_box_and_as_a_tensor():
    text = " ".join(str(k) for k in ex.GENOTYPE3)
    typed, problem = parse_answer(text, "array")
    assert problem is None and check("nas-derive-genotype", typed).ok
    assert check("nas-derive-genotype", torch.tensor(ex.GENOTYPE3)).ok
    assert answer_spec("nas-derive-genotype").kind == "array"


def test_count_as_float_or_power_passes_and_a_fraction_does_not():
    assert check("nas-count-architectures", 5.0**6).ok
    assert check("nas-count-architectures", np.int64(5) ** 6).ok
    half = check("nas-count-architectures", ex.COUNT4 + 0.5)
    assert not half.ok and "whole number" in half.message


def test_the_exercise_data_match_the_library():
    assert ex.COUNT4 == len(nas.all_genotypes(3))
    assert np.allclose(
        ex.MIXED1,
        (np.exp(ex.ALPHA1) / np.exp(ex.ALPHA1).sum()) @ ex.OUTPUTS1,
    )
    assert "zero" not in [nas.OPS[k] for k in ex.GENOTYPE3]
