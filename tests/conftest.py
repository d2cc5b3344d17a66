from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def example_counts():
    """(labels, counts) of the shipped 224-class example, read without imbalcheck."""
    rows = [line.split(",") for line in (EXAMPLES / "classes_224_counts.csv").read_text().splitlines()[1:]]
    return np.array([r[0] for r in rows], dtype=object), np.array([int(r[1]) for r in rows])


def require(module: str):
    """Import an optional extra for the tests that need it: skipped where it is not installed,
    except in CI (``CI`` set), which installs every extra and must fail loudly without one."""
    import importlib
    import os

    if os.environ.get("CI"):
        return importlib.import_module(module)
    return pytest.importorskip(module, reason=f"{module} (an optional extra) is not installed; CI runs these")


def has(module: str) -> bool:
    import importlib.util
    import os

    if os.environ.get("CI"):
        return True
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


#: Marks a test that needs PyTorch (the probe extra): skipped without it, except in CI.
needs_torch = pytest.mark.skipif(not has("torch"), reason="needs PyTorch (pip install -e '.[probe]'); CI runs it")
