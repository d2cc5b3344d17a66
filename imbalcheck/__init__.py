"""imbalcheck: how badly a label distribution will hurt training, and what to do about it.

>>> import imbalcheck
>>> p = imbalcheck.profile({"cat": 900, "dog": 90, "axolotl": 10}, batch_size=32)
>>> round(p.imbalance_ratio)
90

One function per command (:mod:`imbalcheck.api`), each taking the command's options as
keywords and returning a typed result whose ``to_dict()`` is the command's JSON.
"""

from __future__ import annotations

from .api import check, class_weights, diff, probe, profile, recommend, sampler
from .errors import ConfigError, ImbalcheckError, ImbalcheckWarning, InputError, MissingDependencyError

__version__ = "0.1.0"
__all__ = [
    "profile", "check", "diff", "recommend", "class_weights", "sampler", "probe", "read_counts",
    "Profile", "MultilabelProfile", "Counts",
    "ImbalcheckError", "InputError", "ConfigError", "MissingDependencyError", "ImbalcheckWarning",
    "__version__",
]


def __getattr__(name: str):
    if name == "read_counts":
        from .readers import read_counts

        return read_counts
    if name in ("Profile", "MultilabelProfile"):
        from . import result

        return getattr(result, name)
    if name == "Counts":
        from .counts import Counts

        return Counts
    raise AttributeError(f"module 'imbalcheck' has no attribute {name!r}")
