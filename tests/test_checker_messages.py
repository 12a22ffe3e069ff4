"""Checkers never mislead: planted learner answers with the message each
must (and must not) get. Each case is a situation a learner met."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import torch

from convlab.exercises import check, hint, parse_answer
from convlab.exercises.compare import format_number, format_pair
from convlab.exercises.discrete_convolution import CASES_1D
from convlab.exercises.hinting import reset_hints
from convlab.exercises.hints import HINTS
from convlab.exercises.resnet import BN_CASES


def _bn(x, gamma, beta, eps):
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    var = x.var(axis=(0, 2, 3), keepdims=True)
    g, b = gamma[None, :, None, None], beta[None, :, None, None]
    return g * (x - mu) / np.sqrt(var + eps) + b


def test_a_forgotten_eps_shows_digits_that_differ():
    def no_eps(x, gamma, beta, eps):
        return _bn(x, gamma, beta, 0.0)

    verdict = check("resnet-write-batchnorm", no_eps)
    assert not verdict.ok
    have, want = re.search(
        r"you have ([^,\s]+), expected ([^;\s]+)[; ]", verdict.message
    ).groups()
    assert have != want, verdict.message
    assert "largest difference is" in verdict.message


def test_inputs_are_copies_a_correct_in_place_batch_norm_passes():
    before = [tuple(np.copy(a) for a in case[:3]) for case in BN_CASES]

    def in_place(x, gamma, beta, eps):
        x -= x.mean(axis=(0, 2, 3), keepdims=True)
        x /= np.sqrt(x.var(axis=(0, 2, 3), keepdims=True) + eps)
        x *= gamma[None, :, None, None]
        x += beta[None, :, None, None]
        return x

    verdict = check("resnet-write-batchnorm", in_place)
    assert verdict.ok, verdict.message
    for case, old in zip(BN_CASES, before):
        for a, b in zip(case[:3], old):
            assert np.array_equal(a, b), "the checker's inputs changed"


def test_a_conv1d_that_flips_k_in_place_passes():
    before = [tuple(np.copy(a) for a in case) for case in CASES_1D]

    def my_conv1d(x, k):
        k[:] = k[::-1].copy()  # flip in place, then slide
        n, n_k = len(x), len(k)
        xp = np.concatenate([np.zeros(n_k - 1), x, np.zeros(n_k - 1)])
        return np.array([xp[t : t + n_k] @ k for t in range(n + n_k - 1)])

    verdict = check("dc-write-conv1d", my_conv1d)
    assert verdict.ok, verdict.message
    assert "cross-correlation" not in verdict.message
    for case, old in zip(CASES_1D, before):
        for a, b in zip(case, old):
            assert np.array_equal(a, b)


def test_a_list_of_tensors_is_read_without_warnings():
    answer = [torch.tensor(v) for v in (2.0, 3.0, 1.0, 6.0)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        verdict = check("dc-conv-by-hand", answer)
    assert verdict.ok, verdict.message


def test_a_tensor_that_requires_grad_is_judged():
    answer = torch.tensor([2.0, 3.0, 1.0, 6.0], requires_grad=True) * 1
    verdict = check("dc-conv-by-hand", answer)
    assert verdict.ok, verdict.message
    wrong = check("dc-conv-by-hand", answer + 1)
    assert not wrong.ok and "could not evaluate" not in wrong.message
    scalar = check("dc-conv-by-hand", np.float64(3.0))
    assert "single number" in scalar.message


def test_function_exercises_summarise_large_inputs():
    verdict = check("resnet-write-batchnorm", lambda x, g, b, e: None)
    assert "no answer yet" in verdict.message
    assert "[[[[" not in verdict.message, verdict.message
    assert "an array of shape (2, 2, 2, 2) starting" in verdict.message
    assert len(verdict.message) < 400
    assert "checked in Jupyter" in verdict.note


@pytest.mark.parametrize(
    "text,kind,value",
    [
        ("70,400", "number", 70400.0),
        ("70,400", None, 70400.0),
        ("1,234,567.5", "number", 1234567.5),
        ("70,400", "array", [70.0, 400.0]),
        ("1e-3", "number", 0.001),
        ("\u22122.5", "number", -2.5),
        ("1 2 3", "array", [1.0, 2.0, 3.0]),
        ("[[1, 2], [3, 4]]", "array", [[1.0, 2.0], [3.0, 4.0]]),
        ("(1, 2), (3, 4)", "array", [[1.0, 2.0], [3.0, 4.0]]),
    ],
)
def test_what_learners_type_is_read(text, kind, value):
    parsed, problem = parse_answer(text, kind)
    assert problem is None and parsed == value


def test_a_number_with_thousands_separator_is_one_number():
    parsed, _ = parse_answer("70,400", "number")
    verdict = check("hyb-attention-macs", parsed)
    assert "list of length 2" not in verdict.message


def test_a_mistyped_id_suggests_the_closest_few():
    verdict = check("dc-conv-by-han", [1])
    assert "'dc-conv-by-hand'" in verdict.message
    assert verdict.message.count("'") <= 8, verdict.message
    assert len(verdict.message) < 200
    assert "dc-conv-by-hand" in str(hint("dc-conv-by-hnd"))


def test_numbers_print_with_the_digits_that_differ():
    assert format_number(70400.0) == "70400"
    assert format_number(0.001) == "0.001"
    assert format_number(1.5e-7) == "1.5e-07"
    a, b = format_pair(1.5517600001, 1.5517600002)
    assert a != b and a.startswith("1.55176")


def test_hints_come_one_at_a_time_then_stay_on_the_last():
    ex_id = "dc-corr2d-by-hand"
    reset_hints(ex_id)
    shown = [hint(ex_id) for _ in range(len(HINTS[ex_id]) + 1)]
    assert [h.number for h in shown] == list(
        range(1, len(HINTS[ex_id]) + 1)
    ) + [len(HINTS[ex_id])]
    assert shown[0].text == HINTS[ex_id][0]
    assert "last hint" in str(shown[-1])
    from convlab.exercises import EXERCISES

    without = [i for i in sorted(EXERCISES) if i not in HINTS]
    if without:
        assert "no hints" in str(hint(without[0]))


def test_every_hint_belongs_to_a_known_exercise():
    from convlab.exercises import EXERCISES, load_all

    load_all()
    for ex_id, hints in HINTS.items():
        assert ex_id in EXERCISES, ex_id
        assert 1 <= len(hints) <= 3 and all(
            isinstance(h, str) and h for h in hints
        )


TENSORISH = {
    "tensor-with-grad": lambda: torch.tensor(
        [1.0, 2.0], requires_grad=True
    ),
    "scalar-with-grad": lambda: torch.tensor(5.0, requires_grad=True),
    "list-of-tensors": lambda: [torch.tensor(1.0), torch.tensor(2.0)],
    "numpy-scalar": lambda: np.float64(3.0),
}


@pytest.mark.parametrize("kind", sorted(TENSORISH))
def test_every_checker_reads_tensors_without_warnings(kind):
    from convlab.exercises import EXERCISES, load_all

    load_all()
    for ex_id in sorted(EXERCISES):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            verdict = check(ex_id, TENSORISH[kind]())
        assert "could not evaluate" not in verdict.message, (
            ex_id,
            verdict.message,
        )
