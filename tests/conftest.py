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
