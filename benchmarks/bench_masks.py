"""Segmentation masks: imbalcheck's parallel mask counting against a single-threaded Pillow +
``numpy.bincount`` loop over the same PNGs (same process, same files, median of --repeat).

    python benchmarks/bench_masks.py --masks 400 --size 512 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import numpy as np


def make(folder: Path, n: int, size: int) -> None:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(n):
        path = folder / f"m{i:05d}.png"
        if path.exists():
            continue
        a = np.zeros((size, size), np.uint8)
        for c in range(1, 20):  # rectangles of 19 classes, larger for the frequent ones
            for _ in range(int(rng.integers(0, 4))):
                h, w = (int(x) for x in rng.integers(4, max(5, size // (c + 1)), 2))
                y, x = (int(v) for v in rng.integers(0, size - 4, 2))
                a[y:y + h, x:x + w] = c
        a[rng.random((size, size)) < 0.02] = 255
        Image.fromarray(a, mode="L").save(path)


def loop(folder: Path) -> np.ndarray:
    from PIL import Image

    total = np.zeros(256, np.int64)
    for path in sorted(folder.glob("*.png")):
        with Image.open(path) as im:
            total += np.bincount(np.asarray(im).ravel(), minlength=256)
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--masks", type=int, default=400)
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data-dir", type=Path, default=Path(__file__).parent / "data")
    args = ap.parse_args()
    folder = args.data_dir / f"masks_{args.masks}_{args.size}"
    make(folder, args.masks, args.size)
    from imbalcheck.readers.vision.masks import masks_counts

    times = {"imbalcheck": [], "loop": []}
    for _ in range(args.repeat):
        t = time.perf_counter()
        ours = masks_counts(folder)
        times["imbalcheck"].append(time.perf_counter() - t)
        t = time.perf_counter()
        ref = loop(folder)
        times["loop"].append(time.perf_counter() - t)
    ref[255] = 0
    assert dict(zip(ours["labels"], ours["pixels"].tolist())) == {str(i): int(v) for i, v in enumerate(ref) if v}
    ours_s, loop_s = statistics.median(times["imbalcheck"]), statistics.median(times["loop"])
    print(f"{args.masks} masks of {args.size}x{args.size}, {len(os.sched_getaffinity(0))} cores: imbalcheck "
          f"{ours_s:.3f} s, single-threaded Pillow + bincount loop {loop_s:.3f} s, ratio {ours_s / loop_s:.2f}x "
          "(target at most 0.7x); counts equal")


if __name__ == "__main__":
    main()
