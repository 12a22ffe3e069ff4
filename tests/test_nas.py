"""convlab.nas: the mixed operation, the cell, first-order DARTS steps,
the derived genotype and the expected cost."""

import numpy as np
import pytest
import torch
from torch.nn import functional as F
from torch.utils.data import TensorDataset

from convlab import nas
from convlab.cost import count_macs


def _x(n=3, c=4, s=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, c, s, s, generator=g, dtype=torch.float64)


@pytest.mark.parametrize("k", range(len(nas.OPS)))
def test_mixed_op_with_one_hot_weights_is_that_op(k):
    torch.manual_seed(0)
    mixed = nas.MixedOp(4).double()
    x = _x()
    weights = F.one_hot(torch.tensor(k), len(nas.OPS)).double()
    out = mixed(x, weights)
    assert out.shape == x.shape
    assert torch.allclose(out, mixed.ops[k](x), atol=1e-14, rtol=0)


def test_mixed_op_is_the_softmax_weighted_sum_and_matches_mix():
    torch.manual_seed(1)
    mixed = nas.MixedOp(4).double()
    x = _x()
    alpha = torch.tensor(
        [0.3, -1.0, 2.0, 0.5, 0.0, 1.5], dtype=torch.float64
    )
    out = mixed(x, F.softmax(alpha, dim=0))
    outputs = np.stack([op(x).detach().numpy() for op in mixed.ops])
    assert np.allclose(
        out.detach().numpy(), nas.mix(alpha.numpy(), outputs), atol=1e-13
    )


def test_edge_weights_are_softmax_rows_that_sum_to_one():
    alpha = np.random.default_rng(0).normal(size=(5, 6)) * 10
    w = nas.edge_weights(alpha)
    assert np.allclose(w.sum(axis=1), 1.0, atol=1e-15)
    assert np.allclose(w, torch.softmax(torch.tensor(alpha), 1).numpy())
    assert (w > 0).all()
    assert nas.edge_weights([0.0, 0.0]).tolist() == [[0.5, 0.5]]


def test_derived_genotype_ignores_zero_and_takes_the_argmax():
    alpha = np.array(
        [
            [9.0, 1.0, 2.0, 3.0, 0.0, 0.0],  # zero largest: conv_3x3
            [0.0, 5.0, 0.0, 0.0, 0.0, 4.0],  # skip
            [0.0, 1.0, 1.0, 0.0, 0.0, 0.0],  # tie: first in OPS order
        ]
    )
    assert nas.derive_genotype(alpha) == ("conv_3x3", "skip", "skip")
    with_zero = nas.derive_genotype(alpha, exclude=())
    assert with_zero[0] == "zero"
    assert nas.derive_genotype(torch.tensor(alpha)) == nas.derive_genotype(
        alpha
    )


def test_the_space_is_counted_and_enumerated():
    assert nas.cell_edges(2) == [(0, 1), (0, 2), (1, 2)]
    assert len(nas.cell_edges(4)) == 10
    genotypes = nas.all_genotypes(2)
    assert len(genotypes) == nas.count_architectures(2) == 5**3
    assert len(set(genotypes)) == len(genotypes)
    assert all("zero" not in g for g in genotypes)
    assert nas.count_architectures(2, exclude_zero=False) == 6**3
    rng = np.random.default_rng(0)
    drawn = {nas.random_genotype(rng) for _ in range(400)}
    assert drawn <= set(genotypes) and len(drawn) > 100


def test_a_fixed_cell_equals_the_search_cell_with_one_hot_weights():
    torch.manual_seed(2)
    search = nas.Cell(4, nodes=2).double()
    genotype = ("conv_5x5", "max_pool_3x3", "dil_conv_3x3")
    fixed = nas.Cell(4, nodes=2, genotype=genotype).double()
    weights = torch.zeros(3, len(nas.OPS), dtype=torch.float64)
    for e, name in enumerate(genotype):
        k = nas.OPS.index(name)
        weights[e, k] = 1.0
        fixed.edge_ops[e].load_state_dict(
            search.edge_ops[e].ops[k].state_dict()
        )
    x = _x()
    out = fixed(x)
    assert out.shape == (3, 8, 4, 4)  # nodes * C channels
    assert torch.allclose(out, search(x, weights), atol=1e-13, rtol=0)


def test_node_two_adds_its_two_edges():
    cell = nas.Cell(2, nodes=2, genotype=("skip", "skip", "skip"))
    x = _x(c=2)
    out = cell(x)
    assert torch.equal(out[:, :2], x)  # node 1 = x
    assert torch.equal(out[:, 2:], 2 * x)  # node 2 = x + node 1


def test_op_macs_match_hand_counts_and_count_macs():
    c, s = 8, 4
    macs = nas.op_macs(c, s)
    assert macs["zero"] == macs["skip"] == 0
    assert macs["max_pool_3x3"] == s * s * c * 9
    assert macs["conv_3x3"] == macs["dil_conv_3x3"] == s * s * c * c * 9
    assert macs["conv_5x5"] == s * s * c * c * 25
    net = nas.CellNet(c, genotype=("conv_5x5", "conv_3x3", "skip"))
    stem_and_head = count_macs(
        nas.CellNet(c, genotype=("skip",) * 3), (1, 8, 8)
    )
    assert (
        count_macs(net, (1, 8, 8))
        == stem_and_head + 25 * c * c * s * s + 9 * c * c * s * s
    )


def test_expected_cost_is_differentiable_and_agrees_with_numpy():
    cost = np.array([0.0, 0.0, 0.1, 0.4, 0.4, 1.0])
    alpha = torch.zeros(3, 6, dtype=torch.float64, requires_grad=True)
    ec = nas.expected_cost(alpha, cost)
    assert abs(ec.item() - 3 * cost.mean()) < 1e-14
    assert nas.expected_cost(alpha.detach().numpy(), cost) == pytest.approx(
        ec.item(), abs=1e-14
    )
    ec.backward()
    # d/d alpha_k of sum_k p_k c_k = p_k (c_k - p . c): cheaper ops get a
    # negative derivative, so descending raises their alpha.
    p = 1 / 6
    expected = p * (cost - cost.mean())
    assert np.allclose(alpha.grad.numpy(), np.tile(expected, (3, 1)))
    one_hot = np.full((3, 6), -50.0)
    one_hot[[0, 1, 2], [5, 3, 1]] = 50.0
    assert nas.expected_cost(one_hot, cost) == pytest.approx(1.4, abs=1e-12)


def _batches():
    g = torch.Generator().manual_seed(3)
    x = torch.rand(16, 1, 8, 8, generator=g, dtype=torch.float64)
    y = torch.randint(0, 10, (16,), generator=g)
    return (x[:8], y[:8]), (x[8:], y[8:])


def _sgd_net(seed=0):
    torch.manual_seed(seed)
    net = nas.CellNet(2).double()
    with torch.no_grad():
        net.alpha.copy_(torch.randn(net.alpha.shape, dtype=torch.float64))
    w_opt = torch.optim.SGD(net.weight_parameters(), lr=0.1)
    a_opt = torch.optim.SGD(net.arch_parameters(), lr=0.1)
    return net, w_opt, a_opt


def test_alpha_steps_on_the_validation_loss_and_w_on_the_training_loss():
    train_batch, val_batch = _batches()
    cost = np.linspace(0, 1, len(nas.OPS))
    net, w_opt, a_opt = _sgd_net()
    ref, _, _ = _sgd_net()

    # expected alpha: one SGD step on CE(val) + 0.5 * cost at the start
    obj = F.cross_entropy(ref(val_batch[0]), val_batch[1])
    obj = obj + 0.5 * nas.expected_cost(ref.alpha, cost)
    g_alpha = torch.autograd.grad(obj, ref.alpha)[0]
    with torch.no_grad():
        ref.alpha -= 0.1 * g_alpha
    # expected w: one SGD step on CE(train) at the new alpha
    loss = F.cross_entropy(ref(train_batch[0]), train_batch[1])
    grads = torch.autograd.grad(loss, ref.weight_parameters())
    expected_w = [
        p - 0.1 * g for p, g in zip(ref.weight_parameters(), grads)
    ]

    nas.bilevel_step(net, train_batch, val_batch, w_opt, a_opt, cost, 0.5)
    assert torch.allclose(net.alpha, ref.alpha, atol=1e-13, rtol=0)
    for p, q in zip(net.weight_parameters(), expected_w):
        assert torch.allclose(p, q, atol=1e-13, rtol=0)


def test_alpha_does_not_see_the_training_batch():
    train_batch, val_batch = _batches()
    other_train = (train_batch[0].flip(-1), train_batch[1].roll(1))
    alphas = []
    for tb in (train_batch, other_train):
        net, w_opt, a_opt = _sgd_net()
        nas.bilevel_step(net, tb, val_batch, w_opt, a_opt)
        alphas.append(net.alpha.detach().clone())
    assert torch.equal(alphas[0], alphas[1])
    # ... and the validation batch does change alpha
    net, w_opt, a_opt = _sgd_net()
    nas.bilevel_step(net, train_batch, train_batch, w_opt, a_opt)
    assert not torch.equal(net.alpha.detach(), alphas[0])


def _tiny_splits():
    g = torch.Generator().manual_seed(4)
    x = torch.rand(48, 1, 8, 8, generator=g)
    y = torch.randint(0, 10, (48,), generator=g)
    return TensorDataset(x[:24], y[:24]), TensorDataset(x[24:], y[24:])


def test_search_is_deterministic_and_restores_threads():
    tr, va = _tiny_splits()
    before = torch.get_num_threads()
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        net = nas.CellNet(2)
        runs.append(
            nas.search(
                net,
                tr,
                va,
                epochs=2,
                batch_size=8,
                seed=1,
                cost=np.arange(6.0),
                cost_weight=0.1,
            )
        )
    assert torch.get_num_threads() == before
    h = runs[0]
    assert h.weights.shape == (
        7,
        3,
        len(nas.OPS),
    )  # 3 steps a epoch, 2 epochs
    assert np.array_equal(h.weights, runs[1].weights)
    assert h.train_loss == runs[1].train_loss
    assert len(h.expected_cost) == 6 and len(h.val_loss) == 6
    assert np.allclose(h.weights[0], 1 / len(nas.OPS))
    assert h.genotype == nas.derive_genotype(np.log(h.weights[-1]))


def test_a_large_cost_weight_drives_the_search_to_free_operations():
    tr, va = _tiny_splits()
    macs = nas.op_macs(2, 4)
    cost = np.array([macs[o] for o in nas.OPS]) / macs["conv_5x5"]
    torch.manual_seed(0)
    h = nas.search(
        nas.CellNet(2),
        tr,
        va,
        epochs=5,
        batch_size=8,
        cost=cost,
        cost_weight=20.0,
    )
    assert set(h.genotype) == {"skip"}
    assert h.expected_cost[-1] < h.expected_cost[0]


@pytest.mark.parametrize(
    "call,error,fragment",
    [
        (
            lambda: nas.make_op("conv_7x7", 4),
            ValueError,
            "unknown operation",
        ),
        (lambda: nas.MixedOp(4, ops="skip"), TypeError, "tuple"),
        (
            lambda: nas.MixedOp(4, ops=("skip", "skip")),
            ValueError,
            "distinct",
        ),
        (
            lambda: nas.MixedOp(2)(_x(c=2), torch.ones(3)),
            ValueError,
            "weights",
        ),
        (
            lambda: nas.Cell(4, genotype=("skip",)),
            ValueError,
            "3 operations",
        ),
        (
            lambda: nas.Cell(4, genotype=("skip", "x", "skip")),
            ValueError,
            "unknown",
        ),
        (lambda: nas.Cell(4)(_x()), ValueError, "needs weights"),
        (
            lambda: nas.derive_genotype(np.zeros((3, 4))),
            ValueError,
            "columns",
        ),
        (lambda: nas.derive_genotype("abc"), TypeError, "table of numbers"),
        (lambda: nas.edge_weights([[np.nan, 1.0]]), ValueError, "finite"),
        (
            lambda: nas.expected_cost(np.zeros((3, 6)), [1.0, 2.0]),
            ValueError,
            "one entry per operation",
        ),
        (
            lambda: nas.mix([0.0, 0.0], np.zeros((3, 2))),
            ValueError,
            "one entry per operation",
        ),
        (lambda: nas.random_genotype(0), TypeError, "Generator"),
        (lambda: nas.count_architectures(0), ValueError, "nodes"),
        (
            lambda: nas.search(
                nas.CellNet(2, genotype=("skip",) * 3),
                *_tiny_splits(),
                epochs=1,
            ),
            TypeError,
            "search CellNet",
        ),
        (
            lambda: nas.search(
                nas.CellNet(2), *_tiny_splits(), epochs=1, alpha_lr=-1
            ),
            ValueError,
            "alpha_lr",
        ),
    ],
)
def test_bad_arguments_get_clear_errors(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()
