"""The package's own exceptions. Only :mod:`imbalcheck.cli` maps them to exit codes."""

from __future__ import annotations


class ImbalcheckError(Exception):
    """Base class: a problem the user can fix. ``str(err)`` is a one-line message."""


class InputError(ImbalcheckError, ValueError):
    """The input data cannot be read or is not a valid label distribution (exit 2)."""


class ConfigError(ImbalcheckError, ValueError):
    """An option, parameter or configuration file is invalid (exit 2)."""


class MissingDependencyError(ImbalcheckError, ImportError):
    """An optional extra is not installed; the message carries the install command (exit 2)."""
