"""The package's own exceptions and warnings. Only :mod:`imbalcheck.cli` maps them to exit codes."""

from __future__ import annotations

import warnings


class ImbalcheckError(Exception):
    """Base class: a problem the user can fix. ``str(err)`` is a one-line message."""


class InputError(ImbalcheckError, ValueError):
    """The input data cannot be read or is not a valid label distribution (exit 2)."""


class ConfigError(ImbalcheckError, ValueError):
    """An option, parameter or configuration file is invalid (exit 2)."""


class MissingDependencyError(ImbalcheckError, ImportError):
    """An optional extra is not installed; the message carries the install command (exit 2)."""


class ImbalcheckWarning(UserWarning):
    """Something about the input the user should know (degenerate data, a guess that was made).

    Every such warning is also kept in the result's ``warnings`` list (and so in the
    JSON, rich and markdown reports); :func:`imbalcheck.api` functions issue each one once.
    """


def warn(message: str) -> None:
    """Issue ``message`` as an :class:`ImbalcheckWarning`."""
    warnings.warn(message, ImbalcheckWarning, stacklevel=3)
