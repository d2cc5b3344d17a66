"""The optional PyTorch dependency, imported in one place (this module imports no torch itself)."""

from __future__ import annotations

from ..errors import MissingDependencyError

TORCH_INSTALL_HINT = "the probe needs PyTorch; install it with: pip install 'torch>=2.1' (the probe extra)"


def import_torch():
    """Return the ``torch`` module or raise :class:`MissingDependencyError` with the install hint."""
    try:
        import torch
    except ImportError:
        raise MissingDependencyError(TORCH_INSTALL_HINT) from None
    return torch
