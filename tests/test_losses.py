"""imbalcheck.losses against hand-written numpy formulas: values, gradients, degenerate cases."""

from __future__ import annotations


import numpy as np
import pytest

from tests.conftest import require  # noqa: E402

torch = require("torch")

from imbalcheck.errors import ConfigError, InputError  # noqa: E402
from imbalcheck.losses import (  # noqa: E402
    DEFAULT_PARAMS,
    LOSS_NAMES,
    BalancedSoftmaxLoss,
    ClassBalancedLoss,
    FocalLoss,
    LDAMLoss,
    LogitAdjustedLoss,
    NormedLinear,
    WeightedCrossEntropy,
    build_loss,
    drw_weights,
    from_recommendation,
    torch_snippet,
)
from imbalcheck.weights import class_weights  # noqa: E402

COUNTS = np.array([500, 120, 40, 9, 2])
K = COUNTS.size


# ---- independent numpy implementations of the papers' formulas -------------------------

def np_log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def np_ce(z, y):
    """Per-sample -log softmax(z)_y."""
    return -np_log_softmax(z)[np.arange(len(y)), y]


def np_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def np_effective_weights(counts, beta):
    w = (1.0 - beta) / (1.0 - beta ** counts.astype(np.float64))
    return w / w.sum() * counts.size


def ref_weighted_ce(z, y, w=None):
    w = np.ones(z.shape[1]) if w is None else w
    return (w[y] * np_ce(z, y)).sum() / w[y].sum()


def ref_focal(z, y, gamma, alpha=None):
    p = np.exp(np_log_softmax(z))[np.arange(len(y)), y]
    a = np.ones(z.shape[1]) if alpha is None else alpha
    return np.mean(-a[y] * (1 - p) ** gamma * np.log(p))


def ref_cb(z, y, counts, beta, gamma, loss_type):
    w = np_effective_weights(counts, beta)[y]
    if loss_type == "softmax":
        return np.mean(w * np_ce(z, y))
    t = np.eye(z.shape[1])[y]
    s = np_sigmoid(z)
    bce = -(t * np.log(s) + (1 - t) * np.log(1 - s))
    if loss_type == "focal":
        q = np.where(t == 1, s, 1 - s)  # probability of the correct binary outcome
        bce = (1 - q) ** gamma * bce
    return (w[:, None] * bce).sum() / len(y)


def ref_ldam(z, y, counts, max_m, s, w=None):
    m = counts.astype(np.float64) ** -0.25
    m = m / m.max() * max_m
    zm = z.copy()
    zm[np.arange(len(y)), y] -= m[y]
    return ref_weighted_ce(s * zm, y, w)


def ref_la(z, y, counts, tau):
    pi = counts / counts.sum()
    return np.mean(np_ce(z + tau * np.log(pi), y))


def ref_bs(z, y, counts):
    return np.mean(np_ce(z + np.log(counts.astype(np.float64)), y))


def numeric_grad(f, z, eps=1e-6):
    g = np.zeros_like(z)
    for idx in np.ndindex(*z.shape):
        zp, zm = z.copy(), z.copy()
        zp[idx] += eps
        zm[idx] -= eps
        g[idx] = (f(zp) - f(zm)) / (2 * eps)
    return g


@pytest.fixture
def batch():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((7, K)) * 2.0
    y = np.array([0, 1, 2, 3, 4, 0, 3])
    return z, y


def value_and_grad(module, z, y):
    zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    loss = module(zt, torch.tensor(y))
    loss.backward()
    return loss.item(), zt.grad.numpy()


CASES = [
    ("ce", lambda: WeightedCrossEntropy(), lambda z, y: ref_weighted_ce(z, y)),
    (
        "weighted_ce",
        lambda: WeightedCrossEntropy(weight=class_weights(COUNTS, "inverse")),
        lambda z, y: ref_weighted_ce(z, y, COUNTS.sum() / (K * COUNTS)),
    ),
    ("focal", lambda: FocalLoss(gamma=2.0), lambda z, y: ref_focal(z, y, 2.0)),
    (
        "focal_alpha",
        lambda: FocalLoss(gamma=1.5, alpha=[0.1, 0.2, 0.3, 0.4, 0.5]),
        lambda z, y: ref_focal(z, y, 1.5, np.array([0.1, 0.2, 0.3, 0.4, 0.5])),
    ),
    *[
        (
            f"cb_{lt}",
            (lambda lt=lt: ClassBalancedLoss(COUNTS, beta=0.99, gamma=2.0, loss_type=lt)),
            (lambda z, y, lt=lt: ref_cb(z, y, COUNTS, 0.99, 2.0, lt)),
        )
        for lt in ("softmax", "sigmoid", "focal")
    ],
    ("ldam", lambda: LDAMLoss(COUNTS), lambda z, y: ref_ldam(z, y, COUNTS, 0.5, 30.0)),
    (
        "ldam_weighted",
        lambda: LDAMLoss(COUNTS, max_m=0.3, s=10.0, weight=np_effective_weights(COUNTS, 0.999)),
        lambda z, y: ref_ldam(z, y, COUNTS, 0.3, 10.0, np_effective_weights(COUNTS, 0.999)),
    ),
    ("logit_adjusted", lambda: LogitAdjustedLoss(COUNTS, tau=1.0), lambda z, y: ref_la(z, y, COUNTS, 1.0)),
    ("logit_adjusted_tau", lambda: LogitAdjustedLoss(COUNTS, tau=0.5), lambda z, y: ref_la(z, y, COUNTS, 0.5)),
    ("balanced_softmax", lambda: BalancedSoftmaxLoss(COUNTS), lambda z, y: ref_bs(z, y, COUNTS)),
]


@pytest.mark.parametrize("name,make,ref", CASES, ids=[c[0] for c in CASES])
def test_value_and_gradient_match_hand_formula(name, make, ref, batch):
    z, y = batch
    if name.startswith("ldam"):
        z = np.tanh(z)  # LDAM works on cosine logits in [-1, 1]
    value, grad = value_and_grad(make(), z, y)
    assert value == pytest.approx(ref(z, y), rel=1e-6, abs=1e-9)
    expected = numeric_grad(lambda v: ref(v, y), z)
    np.testing.assert_allclose(grad, expected, rtol=1e-5, atol=1e-7)


def test_closed_form_gradients(batch):
    """d/dz of the softmax-CE family is softmax(shifted z) - onehot, over B."""
    z, y = batch
    onehot = np.eye(K)[y]
    b = len(y)
    for module, shift in (
        (WeightedCrossEntropy(), np.zeros(K)),
        (BalancedSoftmaxLoss(COUNTS), np.log(COUNTS)),
        (LogitAdjustedLoss(COUNTS, tau=2.0), 2.0 * np.log(COUNTS / COUNTS.sum())),
    ):
        _, grad = value_and_grad(module, z, y)
        np.testing.assert_allclose(grad, (np.exp(np_log_softmax(z + shift)) - onehot) / b, atol=1e-9)
    # LDAM: s * (softmax(s (z - m_y e_y)) - onehot) / B
    c = np.tanh(z)
    m = COUNTS ** -0.25 / (COUNTS ** -0.25).max() * 0.5
    _, grad = value_and_grad(LDAMLoss(COUNTS), c, y)
    zm = c - onehot * m[y][:, None]
    # (margins are float32 buffers: ~1e-7 relative)
    np.testing.assert_allclose(grad, 30.0 * (np.exp(np_log_softmax(30.0 * zm)) - onehot) / b, atol=1e-5)


def test_reductions(batch):
    z, y = batch
    zt, yt = torch.tensor(z), torch.tensor(y)
    for cls, kwargs in ((FocalLoss, {}), (ClassBalancedLoss, {"counts": COUNTS}), (LogitAdjustedLoss, {"counts": COUNTS})):
        none = cls(**kwargs, reduction="none")(zt, yt)
        assert none.shape == (len(y),)
        assert cls(**kwargs, reduction="sum")(zt, yt).item() == pytest.approx(none.sum().item())
        assert cls(**kwargs)(zt, yt).item() == pytest.approx(none.mean().item())
    with pytest.raises(ConfigError):
        FocalLoss(reduction="avg")


# ---- degenerate cases ---------------------------------------------------------------

BALANCED = np.full(K, 50)


def _val(module, z, y):
    return module(torch.tensor(z), torch.tensor(y)).item()


def test_balanced_counts_reduce_to_cross_entropy(batch):
    z, y = batch
    ce = ref_weighted_ce(z, y)
    for scheme in ("inverse", "sqrt_inverse", "log_inverse", "effective_number"):
        # weighted mean: any uniform weight is plain CE
        assert _val(build_loss("weighted_ce", BALANCED, scheme=scheme), z, y) == pytest.approx(ce, rel=1e-9)
    assert _val(ClassBalancedLoss(BALANCED, loss_type="softmax"), z, y) == pytest.approx(ce, rel=1e-9)
    assert _val(LogitAdjustedLoss(BALANCED, tau=1.0), z, y) == pytest.approx(ce, rel=1e-7)
    assert _val(LogitAdjustedLoss(BALANCED, tau=2.5), z, y) == pytest.approx(ce, rel=1e-7)
    assert _val(BalancedSoftmaxLoss(BALANCED), z, y) == pytest.approx(ce, rel=1e-7)
    # Focal with uniform alpha c: c * (unweighted focal); gamma = 0 gives c * CE.
    assert _val(FocalLoss(gamma=0.0, alpha=np.full(K, 3.0)), z, y) == pytest.approx(3.0 * ce, rel=1e-9)
    assert _val(build_loss("focal", BALANCED, gamma=0.0, scheme="inverse"), z, y) == pytest.approx(ce, rel=1e-9)


def test_balanced_counts_sigmoid_types_lose_their_weights(batch):
    """Cui's sigmoid/focal types are not softmax CE; with equal counts they are unweighted."""
    z, y = batch
    t = np.eye(K)[y]
    s = np_sigmoid(z)
    q = np.where(t == 1, s, 1 - s)
    plain_focal = (-(1 - q) ** 2.0 * np.log(q)).sum() / len(y)
    assert _val(ClassBalancedLoss(BALANCED, gamma=2.0, loss_type="focal"), z, y) == pytest.approx(plain_focal, rel=1e-9)
    plain_bce = -np.log(q).sum() / len(y)
    assert _val(ClassBalancedLoss(BALANCED, loss_type="sigmoid"), z, y) == pytest.approx(plain_bce, rel=1e-9)
    assert _val(ClassBalancedLoss(BALANCED, gamma=0.0, loss_type="focal"), z, y) == pytest.approx(plain_bce, rel=1e-9)


def test_balanced_ldam_is_uniform_margin_softmax(batch):
    """Equal counts: every class gets max_m, i.e. CE(s (z - max_m e_y)); max_m = 0 is CE(s z)."""
    z, y = batch
    c = np.tanh(z)
    onehot = np.eye(K)[y]
    assert _val(LDAMLoss(BALANCED, max_m=0.5, s=30.0), c, y) == pytest.approx(
        ref_weighted_ce(30.0 * (c - 0.5 * onehot), y), rel=1e-9
    )
    assert _val(LDAMLoss(COUNTS, max_m=0.0, s=1.0), c, y) == pytest.approx(ref_weighted_ce(c, y), rel=1e-9)
    # class-symmetric: permuting classes and labels together leaves the loss unchanged
    perm = np.array([3, 0, 4, 1, 2])
    inv = np.argsort(perm)
    assert _val(LDAMLoss(BALANCED), c[:, perm], inv[y]) == pytest.approx(_val(LDAMLoss(BALANCED), c, y), rel=1e-9)


def test_gamma_zero_focal_is_ce(batch):
    z, y = batch
    value, grad = value_and_grad(FocalLoss(gamma=0.0), z, y)
    ce_value, ce_grad = value_and_grad(WeightedCrossEntropy(), z, y)
    assert value == pytest.approx(ce_value, rel=1e-12)
    np.testing.assert_allclose(grad, ce_grad, atol=1e-12)


def test_tau_zero_logit_adjusted_is_ce(batch):
    z, y = batch
    value, grad = value_and_grad(LogitAdjustedLoss(COUNTS, tau=0.0), z, y)
    ce_value, ce_grad = value_and_grad(WeightedCrossEntropy(), z, y)
    assert value == pytest.approx(ce_value, rel=1e-9)
    np.testing.assert_allclose(grad, ce_grad, atol=1e-9)


def test_balanced_softmax_equals_logit_adjusted_tau_one(batch):
    z, y = batch
    v1, g1 = value_and_grad(BalancedSoftmaxLoss(COUNTS), z, y)
    v2, g2 = value_and_grad(LogitAdjustedLoss(COUNTS, tau=1.0), z, y)
    assert v1 == pytest.approx(v2, rel=1e-7)
    np.testing.assert_allclose(g1, g2, atol=1e-7)


# ---- pieces -------------------------------------------------------------------------

def test_ldam_margins_follow_reference():
    loss = LDAMLoss(COUNTS, max_m=0.5)
    m = loss.m_list.numpy()
    ref = 1.0 / np.sqrt(np.sqrt(COUNTS))
    np.testing.assert_allclose(m, ref * (0.5 / ref.max()), rtol=1e-6)
    assert m.max() == pytest.approx(0.5)
    assert m.argmax() == COUNTS.argmin()


def test_class_balanced_weights_sum_to_k():
    w = ClassBalancedLoss(COUNTS, beta=0.999).weight.numpy()
    assert w.sum() == pytest.approx(K, rel=1e-6)
    np.testing.assert_allclose(w, np_effective_weights(COUNTS, 0.999), rtol=1e-6)
    assert np.all(np.diff(w) > 0)  # rarer class, larger weight


def test_drw_weights_switch():
    before = drw_weights(COUNTS, step=159, switch_step=160)
    after = drw_weights(COUNTS, step=160, switch_step=160, beta=0.9999)
    np.testing.assert_array_equal(before.numpy(), np.ones(K))
    np.testing.assert_allclose(after.numpy(), np_effective_weights(COUNTS, 0.9999), rtol=1e-6)
    assert after.dtype == torch.float32


def test_normed_linear_is_cosine_head():
    torch.manual_seed(0)
    head = NormedLinear(6, 4)
    np.testing.assert_allclose(head.weight.norm(dim=0).detach().numpy(), np.ones(4), rtol=1e-5)
    x = torch.randn(3, 6)
    out = head(x).detach().numpy()
    w = head.weight.detach().numpy()
    xn = x.numpy() / np.linalg.norm(x.numpy(), axis=1, keepdims=True)
    np.testing.assert_allclose(out, xn @ (w / np.linalg.norm(w, axis=0)), rtol=1e-5, atol=1e-6)
    assert np.all(np.abs(out) <= 1 + 1e-6)
    assert sum(p.numel() for p in head.parameters()) == 24  # no bias


def test_modules_move_with_buffers():
    loss = build_loss("ldam_drw", COUNTS).to(torch.float64)
    assert loss.m_list.dtype == torch.float64
    assert {n for n, _ in BalancedSoftmaxLoss(COUNTS).named_buffers()} == {"log_counts"}


def test_invalid_inputs():
    with pytest.raises(InputError, match=r"position \[1\] have 0 samples"):
        LDAMLoss([10, 0, 3])
    for cls in (ClassBalancedLoss, LogitAdjustedLoss, BalancedSoftmaxLoss):
        with pytest.raises(InputError, match="at least 1"):
            cls([5, 0])
    for bad in ([1.0, float("inf"), 1.0], [1.0, float("nan")], [-1.0, 1.0]):
        with pytest.raises(InputError, match="every class weight must be a finite number >= 0"):
            WeightedCrossEntropy(weight=bad)
        with pytest.raises(InputError, match="every class weight must be a finite number >= 0"):
            FocalLoss(alpha=torch.tensor(bad))
    with pytest.raises(ConfigError):
        ClassBalancedLoss(COUNTS, loss_type="hinge")
    with pytest.raises(ConfigError):
        FocalLoss(gamma=-1.0)


# ---- factory and snippet ------------------------------------------------------------

NON_DEFAULT = {
    "ce": {},
    "weighted_ce": {"scheme": "effective_number", "beta": 0.99},
    "focal": {"gamma": 1.0, "scheme": "sqrt_inverse"},
    "cb_focal": {"beta": 0.999, "gamma": 0.5, "loss_type": "sigmoid"},
    "ldam_drw": {"max_m": 0.3, "s": 16, "beta": 0.999, "drw_start_fraction": 0.5},
    "logit_adjusted": {"tau": 1.5},
    "balanced_softmax": {},
}


def test_every_name_has_defaults_and_builds(batch):
    z, y = batch
    assert set(LOSS_NAMES) == set(DEFAULT_PARAMS) == set(NON_DEFAULT)
    for name in LOSS_NAMES:
        for params in ({}, NON_DEFAULT[name]):
            value = _val(build_loss(name, COUNTS, **params), np.tanh(z), y)
            assert np.isfinite(value)


def test_build_loss_parameters_reach_the_module(batch):
    z, y = batch
    c = np.tanh(z)
    assert _val(build_loss("ldam_drw", COUNTS, max_m=0.3, s=16), c, y) == pytest.approx(
        ref_ldam(c, y, COUNTS, 0.3, 16.0), rel=1e-6)
    assert build_loss("ldam_drw", COUNTS, beta=0.999).drw_beta == 0.999
    assert _val(build_loss("cb_focal", COUNTS, beta=0.999, gamma=0.5), z, y) == pytest.approx(
        ref_cb(z, y, COUNTS, 0.999, 0.5, "focal"), rel=1e-6)
    assert _val(build_loss("logit_adjusted", COUNTS, tau=1.5), z, y) == pytest.approx(ref_la(z, y, COUNTS, 1.5), rel=1e-6)
    assert _val(build_loss("focal", COUNTS, gamma=1.0, scheme="sqrt_inverse"), z, y) == pytest.approx(
        ref_focal(z, y, 1.0, class_weights(COUNTS, "sqrt_inverse")), rel=1e-6)


def test_build_loss_rejects_bad_names_and_params():
    with pytest.raises(ConfigError, match="unknown loss"):
        build_loss("hinge", COUNTS)
    with pytest.raises(ConfigError, match="does not take"):
        build_loss("balanced_softmax", COUNTS, tau=1.0)
    with pytest.raises(ConfigError, match="scheme"):
        build_loss("weighted_ce", COUNTS, scheme="square")
    with pytest.raises(ConfigError, match="number"):
        build_loss("logit_adjusted", COUNTS, tau="high")
    with pytest.raises(ConfigError, match="beta"):
        build_loss("cb_focal", COUNTS, beta=1.0)


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_snippet_runs_and_builds_the_same_loss(name, batch):
    z, y = batch
    c = np.tanh(z)
    for params in ({}, NON_DEFAULT[name]):
        code = torch_snippet(name, params)
        compile(code, "<snippet>", "exec")
        namespace = {"counts": COUNTS.tolist()}
        exec(code, namespace)
        criterion = namespace["criterion"]
        assert _val(criterion, c, y) == pytest.approx(_val(build_loss(name, COUNTS, **params), c, y), rel=1e-12)
        for value in params.values():
            assert repr(float(value) if not isinstance(value, str) else value) in code


def test_ldam_snippet_mentions_head_and_drw():
    code = torch_snippet("ldam_drw", {"beta": 0.999})
    assert "NormedLinear" in code and "drw_weights" in code and "beta=0.999" in code
    assert "int(0.8 * num_epochs)" in code


def test_from_recommendation_maps_the_recommenders_params():
    name, params = from_recommendation({
        "name": "ldam_drw",
        "params": {"max_m": 0.5, "C": 0.59, "s": 30.0, "margin": "C / n_c^(1/4)", "drw_start_fraction": 0.8,
                   "drw_beta": 0.999, "head": "cosine-normalised linear (NormedLinear)"},
    })
    assert name == "ldam_drw" and params == {"max_m": 0.5, "s": 30.0, "beta": 0.999, "drw_start_fraction": 0.8}
    assert from_recommendation("cb_focal", {"beta": 0.9999, "gamma": 1.0, "weights": "effective_number"})[1] == {
        "beta": 0.9999, "gamma": 1.0, "loss_type": "focal"}
    assert from_recommendation("balanced_softmax", {"log_prior": "ln(n_c / N) added"}) == ("balanced_softmax", {})
    with pytest.raises(ConfigError):
        from_recommendation("logit_adjusted", {"tau": 1.0, "temperature": 2.0})


def test_every_recommendation_builds():
    """Integration with imbalcheck.recommend: each branch's params build the loss and its snippet."""
    from imbalcheck import recipe as recommend
    seen = set()
    for counts in ([100, 100], [1000, 10], [100, 50, 20], [1000, 300, 100, 30, 10], [5000, 500, 20],
                   np.r_[5000, np.full(1200, 3)]):
        rec = recommend.recommend_loss(np.asarray(counts))
        name, params = from_recommendation(rec)
        seen.add(name)
        assert np.isfinite(_val(build_loss(name, counts, **params), np.zeros((2, len(counts))), np.array([0, 1])))
        exec(torch_snippet(name, params), {"counts": list(counts)})
    assert seen <= set(LOSS_NAMES) and len(seen) >= 5
