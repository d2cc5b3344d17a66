"""PyTorch losses for long-tailed label distributions (needs the ``probe`` extra).

Importing this package without PyTorch raises
:class:`~imbalcheck.errors.MissingDependencyError` with the install command.

Modules: :class:`WeightedCrossEntropy`, :class:`FocalLoss`, :class:`ClassBalancedLoss`,
:class:`LDAMLoss` with :class:`NormedLinear` and :func:`drw_weights`,
:class:`LogitAdjustedLoss`, :class:`BalancedSoftmaxLoss`; by name through
:func:`build_loss`, as paste-ready code through :func:`torch_snippet`.
"""

from ..probing._deps import import_torch

import_torch()

from ._factory import (  # noqa: E402
    DEFAULT_PARAMS,
    DRW_SWITCH_FRACTION,
    LOSS_NAMES,
    NORMED_HEAD_LOSSES,
    build_loss,
    from_recommendation,
    resolve_params,
    torch_snippet,
)
from ._modules import (  # noqa: E402
    BalancedSoftmaxLoss,
    ClassBalancedLoss,
    FocalLoss,
    LDAMLoss,
    LogitAdjustedLoss,
    NormedLinear,
    WeightedCrossEntropy,
    drw_weights,
)

__all__ = [
    "BalancedSoftmaxLoss",
    "ClassBalancedLoss",
    "DEFAULT_PARAMS",
    "DRW_SWITCH_FRACTION",
    "FocalLoss",
    "LDAMLoss",
    "LOSS_NAMES",
    "LogitAdjustedLoss",
    "NORMED_HEAD_LOSSES",
    "NormedLinear",
    "WeightedCrossEntropy",
    "build_loss",
    "drw_weights",
    "from_recommendation",
    "resolve_params",
    "torch_snippet",
]
