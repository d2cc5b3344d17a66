"""Generate the shipped 224-class example (seed document 000's dataset).

224 classes, 298,821 labelled samples, largest class "197" with 44,098 (14.76 %),
second "177" with 35,707, top-5 share 45.92 %, ten singleton classes and 24
classes under 10 samples; the smallest class at or above 10 samples has exactly
10 (so cutting at 10 leaves 200 classes and a 4,409.8:1 ratio). Classes 6..200 by
rank follow a geometric decay fitted to the total. Deterministic: running this
script rewrites ``classes_224_counts.csv`` and ``labels_224.csv.gz`` byte for byte.

    python examples/make_example.py
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
N_TOTAL = 298_821
TOP5 = [44_098, 35_707, 21_900, 18_514, 17_000]
SMALL = [9, 8, 7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2] + [1] * 10
SINGLETON_LABELS = [138, 119, 127, 46, 223, 44, 2, 38, 85, 221]
HEAD_LABELS = [197, 177, 62]


def middle_counts(n_classes: int, total: int, last: int = 10) -> list[int]:
    """Geometric decay from the 6th class down to ``last``, summing to ``total``."""
    ranks = np.arange(n_classes)
    lo, hi = 1e-4, 0.1
    for _ in range(200):  # bisect the decay rate so the rounded sum hits the total
        b = (lo + hi) / 2
        values = np.round(last * np.exp(b * (n_classes - 1 - ranks))).astype(int)
        lo, hi = (b, hi) if values.sum() < total else (lo, b)
    values[0] += total - values.sum()
    return values.tolist()


def counts() -> dict[str, int]:
    n_middle = 224 - len(TOP5) - len(SMALL)
    middle = middle_counts(n_middle, N_TOTAL - sum(TOP5) - sum(SMALL))
    sizes = TOP5 + middle + SMALL
    rng = np.random.default_rng(0)
    others = [x for x in range(224) if x not in HEAD_LABELS + SINGLETON_LABELS]
    rng.shuffle(others)
    labels = HEAD_LABELS + others[: 224 - len(HEAD_LABELS) - 10] + SINGLETON_LABELS
    return {str(label): n for label, n in zip(labels, sizes)}


def main() -> None:
    table = counts()
    assert len(table) == 224 and sum(table.values()) == N_TOTAL
    with open(HERE / "classes_224_counts.csv", "w", newline="\n") as fh:
        fh.write("label,count\n")
        fh.writelines(f"{k},{v}\n" for k, v in table.items())
    labels = np.repeat(np.array(list(table), dtype=object), list(table.values()))
    np.random.default_rng(0).shuffle(labels)
    body = "label\n" + "\n".join(labels.tolist()) + "\n"
    with open(HERE / "labels_224.csv.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        fh.write(body.encode())


if __name__ == "__main__":
    main()
