"""PyTorch loss modules for long-tailed classification (imported by :mod:`imbalcheck.losses`).

Every loss takes raw logits ``z`` of shape (B, K) and integer targets ``y`` of shape (B,)
and returns the batch mean (``reduction="mean"``, the default of each reference) or the
per-sample values (``reduction="none"``). Per-class tensors are registered as buffers,
so ``loss.to(device)`` moves them with the module.

Notation: n_c training samples of class c, N = sum_c n_c, K classes,
p_c = softmax(z)_c, CE(z, y) = -log softmax(z)_y.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..errors import ConfigError, InputError
from ..defaults import BETA as DEFAULT_BETA
from ..defaults import CB_FOCAL_GAMMA, FOCAL_GAMMA, LDAM_MAX_MARGIN, LDAM_SCALE, LOGIT_ADJUSTMENT_TAU
from ..weights import class_weights, positive_counts

_REDUCTIONS = ("mean", "sum", "none")


def _counts_array(counts) -> np.ndarray:
    if isinstance(counts, torch.Tensor):
        counts = counts.detach().cpu().numpy()
    return positive_counts(np.asarray(counts, dtype=np.float64).reshape(-1), "counts")


def _as_weight(weight) -> torch.Tensor | None:
    """Per-class weights as a float tensor; :class:`InputError` unless every one is finite and >= 0."""
    if weight is None:
        return None
    if isinstance(weight, torch.Tensor):
        weight = weight.detach().to(torch.float32).reshape(-1).clone()
    else:
        weight = torch.as_tensor(np.asarray(weight, dtype=np.float64), dtype=torch.float32).reshape(-1)
    if not bool(torch.isfinite(weight).all()) or bool((weight < 0).any()):
        raise InputError(f"weight: every class weight must be a finite number >= 0, got {weight.tolist()[:8]}")
    return weight


def _check_reduction(reduction: str) -> str:
    if reduction not in _REDUCTIONS:
        raise ConfigError(f"reduction must be one of {', '.join(_REDUCTIONS)}, got {reduction!r}")
    return reduction


def _reduce(per_sample: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return per_sample.mean()
    if reduction == "sum":
        return per_sample.sum()
    return per_sample


def _one_hot(target: torch.Tensor, n_classes: int, dtype: torch.dtype) -> torch.Tensor:
    # Comparison instead of F.one_hot: F.one_hot validates the range with a host sync on CUDA.
    classes = torch.arange(n_classes, device=target.device)
    return (target.unsqueeze(1) == classes).to(dtype)


class WeightedCrossEntropy(nn.Module):
    """Class-weighted softmax cross-entropy (PyTorch's weighted mean).

    .. math::

        L = \\frac{\\sum_i w_{y_i}\\, \\mathrm{CE}(z_i, y_i)}{\\sum_i w_{y_i}}

    This is exactly ``torch.nn.functional.cross_entropy(z, y, weight=w)``, the weighted
    loss used by the re-weighting baselines of Cao et al. 2019 (kaidic/LDAM-DRW,
    ``cifar_train.py``: ``nn.CrossEntropyLoss(weight=per_cls_weights)``). With
    ``weight=None`` it is plain cross-entropy. Weights for a scheme come from
    :func:`imbalcheck.weights.class_weights`.

    Parameters
    ----------
    weight : sequence of K floats, or None
        Per-class weight w_c.
    reduction : {"mean", "sum", "none"}
        ``"mean"`` divides by sum_i w_{y_i} (PyTorch semantics); ``"none"`` returns
        w_{y_i} CE(z_i, y_i).
    """

    def __init__(self, weight: Sequence[float] | np.ndarray | torch.Tensor | None = None, reduction: str = "mean"):
        super().__init__()
        self.reduction = _check_reduction(reduction)
        self.register_buffer("weight", _as_weight(weight))

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        weight = None if self.weight is None else self.weight.to(logits.dtype)
        return F.cross_entropy(logits, target, weight=weight, reduction=self.reduction)


class FocalLoss(nn.Module):
    """Softmax (multi-class) focal loss of Lin et al. 2017.

    .. math::

        L_i = -\\alpha_{y_i} (1 - p_{y_i})^{\\gamma} \\log p_{y_i},\\qquad
        L = \\frac{1}{B} \\sum_i L_i

    Lin, Goyal, Girshick, He, Dollar, "Focal Loss for Dense Object Detection", ICCV 2017,
    eq. 5 (the paper's detector applies it per class with sigmoids; this is the softmax
    form the paper mentions for the multi-class case). Reference checked:
    AdeelH/pytorch-multi-class-focal-loss ``focal_loss.py`` (alpha = per-class weights
    applied through ``NLLLoss(weight=alpha, reduction="none")``, mean over the batch,
    not divided by the sum of alphas). gamma = 2 is the paper's best setting.
    ``gamma = 0`` and ``alpha=None`` give plain cross-entropy. ``1 - p`` is computed
    as ``-expm1(log p)`` so that it stays accurate when p is close to 1.

    Parameters
    ----------
    gamma : float >= 0
        Focusing parameter.
    alpha : sequence of K floats, or None
        Per-class weight alpha_c (None: 1 for every class).
    reduction : {"mean", "sum", "none"}
    """

    def __init__(self, gamma: float = FOCAL_GAMMA, alpha: Sequence[float] | np.ndarray | torch.Tensor | None = None,
                 reduction: str = "mean"):
        super().__init__()
        if not gamma >= 0:
            raise ConfigError(f"focal gamma must be >= 0, got {gamma}")
        self.gamma = float(gamma)
        self.reduction = _check_reduction(reduction)
        self.register_buffer("alpha", _as_weight(alpha))

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        log_pt = F.log_softmax(logits, dim=-1).gather(1, target.unsqueeze(1)).squeeze(1)
        loss = -log_pt
        if self.gamma != 0.0:
            loss = (-torch.expm1(log_pt)).pow(self.gamma) * loss
        if self.alpha is not None:
            loss = self.alpha.to(logits.dtype)[target] * loss
        return _reduce(loss, self.reduction)


class ClassBalancedLoss(nn.Module):
    """Class-balanced loss of Cui et al. 2019 (effective-number re-weighting).

    Per-class weight from the effective number of samples E_n = (1 - beta^n) / (1 - beta):

    .. math::

        w_c = \\frac{1 - \\beta}{1 - \\beta^{n_c}},\\qquad \\text{normalised so that } \\sum_c w_c = K

    and, with one-hot labels t_{ij} = [j = y_i] and sigma the logistic function,

    ``loss_type="softmax"``
        L = (1/B) sum_i w_{y_i} CE(z_i, y_i)
    ``loss_type="sigmoid"``
        L = (1/B) sum_i sum_j w_{y_i} BCE(z_ij, t_ij)
    ``loss_type="focal"``
        L = (1/B) sum_i sum_j w_{y_i} m_ij BCE(z_ij, t_ij),
        m_ij = exp(-gamma t_ij z_ij - gamma log(1 + exp(-z_ij))) = (1 - q_ij)^gamma,
        q_ij = sigma(z_ij) if t_ij = 1 else 1 - sigma(z_ij)

    Cui, Jia, Lin, Song, Belongie, "Class-Balanced Loss Based on Effective Number of
    Samples", CVPR 2019, eqs. 3-6. Implemented after the authors' reference,
    richardaecn/class-balanced-loss ``src/cifar_main.py`` (``_tower_fn`` and
    ``focal_loss``): weights normalised to sum K; softmax through
    ``tf.losses.softmax_cross_entropy(weights=w_y)``, i.e. the mean of w_y CE (not
    divided by the sum of weights); sigmoid and focal summed over the K one-hot outputs
    and divided by the number of positives (= B); the numerically stable modulator.
    The PyTorch port vandit15/Class-balanced-loss-pytorch (``class_balanced_loss.py``)
    was also read; it departs from the reference in two places that are not followed
    here (softmax as BCE on softmax probabilities; sigmoid averaged over B*K).
    Defaults: beta = 0.9999 and gamma = 1.0 as in the reference's
    ``cifar_im_trainval_cb.sh``. For the sigmoid and focal types the model's logits are
    per-class sigmoid scores (predict with argmax z). Equal class sizes give w_c = 1:
    the softmax type is then plain cross-entropy and the others their unweighted form.

    Parameters
    ----------
    counts : sequence of K positive numbers
        Training samples per class, indexed by class id.
    beta : float in [0, 1)
    gamma : float >= 0
        Focusing parameter (``loss_type="focal"`` only).
    loss_type : {"softmax", "sigmoid", "focal"}
    reduction : {"mean", "sum", "none"}
        ``"none"`` returns the per-sample terms (summed over classes for sigmoid/focal).
    """

    LOSS_TYPES = ("softmax", "sigmoid", "focal")

    def __init__(self, counts, beta: float = DEFAULT_BETA, gamma: float = CB_FOCAL_GAMMA, loss_type: str = "focal",
                 reduction: str = "mean"):
        super().__init__()
        if loss_type not in self.LOSS_TYPES:
            raise ConfigError(f"loss_type must be one of {', '.join(self.LOSS_TYPES)}, got {loss_type!r}")
        if not gamma >= 0:
            raise ConfigError(f"focal gamma must be >= 0, got {gamma}")
        n = _counts_array(counts)
        self.beta = float(beta)
        self.gamma = float(gamma)
        self.loss_type = loss_type
        self.reduction = _check_reduction(reduction)
        self.register_buffer("weight", _as_weight(class_weights(n, "effective_number", self.beta)))

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        w = self.weight.to(logits.dtype)[target]
        if self.loss_type == "softmax":
            per_sample = w * F.cross_entropy(logits, target, reduction="none")
        else:
            t = _one_hot(target, logits.shape[1], logits.dtype)
            bce = F.binary_cross_entropy_with_logits(logits, t, reduction="none")
            if self.loss_type == "focal" and self.gamma != 0.0:
                # log(1 + exp(-z)) as softplus(-z): the reference's expression, without overflow.
                bce = torch.exp(-self.gamma * t * logits - self.gamma * F.softplus(-logits)) * bce
            per_sample = w * bce.sum(dim=1)
        return _reduce(per_sample, self.reduction)


class LDAMLoss(nn.Module):
    """Label-distribution-aware margin loss of Cao et al. 2019.

    .. math::

        \\Delta_c = \\frac{C}{n_c^{1/4}},\\quad C \\text{ such that } \\max_c \\Delta_c = m_{\\max};
        \\qquad
        L = \\mathrm{CE}_w\\big(s\\,(z - \\Delta_{y}\\,e_{y}),\\ y\\big)

    i.e. the target logit is lowered by its class margin, every logit is multiplied by
    the scale s, and the result goes through (optionally class-weighted) cross-entropy
    with PyTorch's weighted mean. ``z`` are meant to be cosine similarities from
    :class:`NormedLinear`. Cao, Wei, Gaidon, Arechiga, Ma, "Learning Imbalanced Datasets
    with Label-Distribution-Aware Margin Loss", NeurIPS 2019, eq. 13; reference
    kaidic/LDAM-DRW ``losses.py`` (``LDAMLoss``: ``m_list = 1/sqrt(sqrt(n))``,
    ``m_list *= max_m / max(m_list)``, defaults max_m = 0.5, s = 30) and
    ``cifar_train.py`` (``weight=per_cls_weights`` for DRW; see :func:`drw_weights`).
    Equal class sizes give every class the margin m_max: the loss is then the
    class-symmetric additive-margin softmax, not plain cross-entropy.

    Parameters
    ----------
    counts : sequence of K positive numbers
    max_m : float > 0
        Largest margin (given to the rarest class).
    s : float > 0
        Logit scale.
    weight : sequence of K floats, or None
        Per-class weight (the DRW stage sets it; assign ``loss.weight = ...`` to change it).
    """

    def __init__(self, counts, max_m: float = LDAM_MAX_MARGIN, s: float = LDAM_SCALE, weight=None, reduction: str = "mean"):
        super().__init__()
        if not s > 0:
            raise ConfigError(f"LDAM scale s must be > 0, got {s}")
        if not max_m >= 0:
            raise ConfigError(f"LDAM max_m must be >= 0, got {max_m}")
        n = _counts_array(counts)
        m = 1.0 / np.sqrt(np.sqrt(n))
        m = m * (max_m / m.max())
        self.max_m = float(max_m)
        self.s = float(s)
        self.reduction = _check_reduction(reduction)
        self.register_buffer("m_list", torch.as_tensor(m, dtype=torch.float32))
        self.register_buffer("weight", _as_weight(weight))

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        batch_m = self.m_list.to(logits.dtype)[target].unsqueeze(1)
        is_target = _one_hot(target, logits.shape[1], torch.bool)
        output = torch.where(is_target, logits - batch_m, logits)
        weight = None if self.weight is None else self.weight.to(logits.dtype)
        return F.cross_entropy(self.s * output, target, weight=weight, reduction=self.reduction)


class NormedLinear(nn.Module):
    """Cosine classifier head: z = (x / ||x||) W_n, W_n = W with unit-norm columns.

    Reference kaidic/LDAM-DRW ``models/resnet_cifar.py`` (``NormedLinear``): weight of
    shape (in_features, out_features), initialised ``uniform_(-1, 1).renorm_(2, 1,
    1e-5).mul_(1e5)`` (unit-norm columns), no bias; outputs lie in [-1, 1] and are
    scaled by s inside :class:`LDAMLoss`. Use it as the last layer with LDAM.
    """

    def __init__(self, in_features: int, out_features: int):
        super().__init__()
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.weight = nn.Parameter(torch.empty(self.in_features, self.out_features))
        with torch.no_grad():
            self.weight.uniform_(-1, 1).renorm_(2, 1, 1e-5).mul_(1e5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.normalize(x, dim=1).mm(F.normalize(self.weight, dim=0))

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}"


def drw_weights(counts, step: int, switch_step: int, beta: float = DEFAULT_BETA, *,
                device: torch.device | str | None = None) -> torch.Tensor:
    """Deferred re-weighting (DRW) class weights for the current step or epoch.

    Before ``switch_step`` every class gets weight 1 (the reference computes the
    effective-number weights with beta = 0, which are uniform); from ``switch_step`` on,
    the effective-number weights w_c = (1 - beta) / (1 - beta^{n_c}) normalised to sum K.
    Reference kaidic/LDAM-DRW ``cifar_train.py`` (``train_rule == 'DRW'``:
    ``idx = epoch // 160; betas = [0, 0.9999]``, i.e. the switch at epoch 160 of 200).
    Pass the result as ``weight`` of :class:`LDAMLoss` (or any weighted loss).
    """
    n = _counts_array(counts)
    w = np.ones(n.size) if step < switch_step else class_weights(n, "effective_number", beta)
    return torch.as_tensor(w, dtype=torch.float32, device=device)


class LogitAdjustedLoss(nn.Module):
    """Logit-adjusted softmax cross-entropy of Menon et al. 2021.

    .. math::

        L = \\mathrm{CE}\\big(z + \\log(\\pi^{\\tau} + 10^{-12}),\\ y\\big),\\qquad \\pi_c = n_c / N

    Menon, Jayasumana, Rawat, Jain, Veit, Kumar, "Long-tail learning via logit
    adjustment", ICLR 2021, eq. 10; reference google-research/google-research
    ``logit_adjustment/utils.py`` (``build_loss_fn``: ``logits + log(base_probs**tau +
    1e-12)``, mean of sparse softmax cross-entropy; tau = 1 by default in ``main.py``).
    Predict with the raw logits z. ``tau = 0`` gives plain cross-entropy.
    """

    def __init__(self, counts, tau: float = LOGIT_ADJUSTMENT_TAU, reduction: str = "mean"):
        super().__init__()
        n = _counts_array(counts)
        self.tau = float(tau)
        self.reduction = _check_reduction(reduction)
        prior = n / n.sum()
        self.register_buffer("adjustment", torch.as_tensor(np.log(prior ** self.tau + 1e-12), dtype=torch.float32))

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(logits + self.adjustment.to(logits.dtype), target, reduction=self.reduction)


class BalancedSoftmaxLoss(nn.Module):
    """Balanced softmax cross-entropy of Ren et al. 2020.

    .. math::

        L = \\mathrm{CE}(z + \\log n,\\ y)

    Ren, Yu, Sheng, Ma, Zhao, Yi, Li, "Balanced Meta-Softmax for Long-Tailed Visual
    Recognition", NeurIPS 2020, eq. 4; reference jiawei-ren/BalancedMetaSoftmax-Classification
    ``loss/BalancedSoftmaxLoss.py`` (``balanced_softmax_loss``: ``logits +
    sample_per_class.log()``, mean cross-entropy; read in the fork
    caisarl76/BalancedMetaSoftmax-Classification, same function). Since a constant shift of all logits
    does not change the softmax, this equals :class:`LogitAdjustedLoss` with tau = 1
    (up to its 1e-12). Predict with the raw logits z.
    """

    def __init__(self, counts, reduction: str = "mean"):
        super().__init__()
        n = _counts_array(counts)
        self.reduction = _check_reduction(reduction)
        self.register_buffer("log_counts", torch.as_tensor(np.log(n), dtype=torch.float32))

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(logits + self.log_counts.to(logits.dtype), target, reduction=self.reduction)
