"""The package's own exceptions and warnings. Only :mod:`imbalcheck.cli` maps them to exit codes."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator


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


@contextlib.contextmanager
def reworded(change: Callable[[str], str]) -> Iterator[None]:
    """Re-issue the :class:`ImbalcheckWarning` messages raised inside with ``change(message)`` as
    their text (which group, split or file they are about); other warnings pass through unchanged.
    On an exception the recorded warnings are dropped with it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        if issubclass(w.category, ImbalcheckWarning):
            warnings.warn(change(str(w.message)), ImbalcheckWarning, stacklevel=3)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
