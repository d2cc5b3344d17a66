"""The optional PyTorch dependency, imported in one place (this module imports no torch itself)."""

from __future__ import annotations

from ..errors import MissingDependencyError

TORCH_INSTALL_HINT = "the probe needs PyTorch; install it with: pip install 'torch>=2.1' (the probe extra)"


def import_torch(needs: str | None = None):
    """Return the ``torch`` module or raise :class:`MissingDependencyError` with the install hint
    (``needs`` names what needs it, e.g. "writing .pt weights"; default the probe)."""
    try:
        import torch
    except ImportError:
        hint = TORCH_INSTALL_HINT if needs is None else TORCH_INSTALL_HINT.replace("the probe needs", f"{needs} needs")
        raise MissingDependencyError(hint) from None
    return torch
