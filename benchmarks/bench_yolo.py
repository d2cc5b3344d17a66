"""YOLO label folders: imbalcheck's count (every line validated, instances and images per class) against a plain
Python loop over the same files (open, split, Counter), same process, median of --repeat.

    python benchmarks/bench_yolo.py --files 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import Counter
from pathlib import Path

import numpy as np


def make(folder: Path, n: int) -> None:
    labels = folder / "labels"
    labels.mkdir(parents=True, exist_ok=True)
    if len(os.listdir(labels)) >= n:
        return
    rng = np.random.default_rng(0)
    p = 1 / np.arange(1, 81) ** 1.2
    p /= p.sum()
    for i in range(n):
        k = int(rng.integers(0, 6))
        lines = "".join(f"{c} 0.5 0.5 0.1 0.1\n" for c in rng.choice(80, size=k, p=p))
        (labels / f"{i:07d}.txt").write_text(lines)


def loop(folder: Path) -> Counter:
    counts: Counter = Counter()
    for path in sorted((folder / "labels").glob("*.txt")):
        with open(path) as f:
            for line in f:
                if line.strip():
                    counts[int(line.split()[0])] += 1
    return counts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data-dir", type=Path, default=Path(__file__).parent / "data")
    args = ap.parse_args()
    folder = args.data_dir / f"yolo_{args.files}"
    make(folder, args.files)
    from imbalcheck.readers.vision.yolo import yolo_counts

    times = {"imbalcheck": [], "loop": []}
    for _ in range(args.repeat):
        t = time.perf_counter()
        instances, _, _ = yolo_counts(folder)
        times["imbalcheck"].append(time.perf_counter() - t)
        t = time.perf_counter()
        ref = loop(folder)
        times["loop"].append(time.perf_counter() - t)
    assert instances.as_dict() == {str(k): v for k, v in ref.items()}
    ours, plain = statistics.median(times["imbalcheck"]), statistics.median(times["loop"])
    print(f"{args.files:,} YOLO label files, {len(os.sched_getaffinity(0))} cores: imbalcheck {ours:.2f} s "
          f"(instances and images per class, every line validated), plain Python loop {plain:.2f} s "
          f"(instances only), ratio {ours / plain:.2f}x; counts equal")


if __name__ == "__main__":
    main()
