"""What the layouts share: listing folders (following links once), names used twice, empty classes."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import numpy as np

from ...counts import Counts
from ...errors import InputError, warn


def folder(path, what: str) -> tuple[Path, str]:
    """``(path, its name)`` for a data-set folder, or :class:`InputError` when it is missing or a file
    (``what`` says what the folder should be)."""
    root = Path(os.fspath(path))
    name = str(root)
    if not root.exists():
        raise InputError(f"{name}: no such folder; check the path")
    if not root.is_dir():
        raise InputError(f"{name}: not a folder; {what}")
    return root, name


def scandir(p: Path) -> list:
    try:
        with os.scandir(p) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError:
        return []


def has_image(folder: Path, extensions) -> bool:
    for _root, _dirs, files in walk(folder):
        if any(f.lower().endswith(extensions) for f in files):
            return True
    return False


def walk(folder: Path):
    """os.walk following links, each real directory once (a link loop cannot hang it)."""
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        yield root, dirs, sorted(files)


def disambiguate(raw: list[str], ids: list, name: str) -> list[str]:
    seen = Counter(raw)
    dup = sorted(n for n, c in seen.items() if c > 1)
    if not dup:
        return list(raw)
    warn(f"{name}: {len(dup)} category name(s) are used by more than one id, e.g. {dup[:3]}; "
         "they are reported as 'name (id N)'")
    out = [f"{n} (id {i})" if seen[n] > 1 else n for n, i in zip(raw, ids)]
    taken = Counter(out)
    return [f"{o} #{j}" if taken[o] > 1 else o for j, o in enumerate(out)]


def pair(labels: list[str], instances: np.ndarray, images: np.ndarray, name: str) -> tuple[Counts, Counts]:
    """(instances per class, images per class), the classes with an annotation only (:func:`unused` names the rest)."""
    unused = unannotated(labels, instances)
    if unused:
        warn(f"{name}: {len(unused)} class(es) have no annotation (reported as classes without samples), "
             f"e.g. {unused[:5]}")
    keep = instances > 0
    if not keep.any():
        raise InputError(f"{name}: no annotations; there is nothing to count")
    kept = np.asarray(labels, dtype=object)[keep]
    return Counts.from_codes(kept, instances[keep]), Counts.from_codes(kept, images[keep])


def unannotated(labels: list[str], instances: np.ndarray) -> list[str]:
    """The declared classes (COCO categories, YOLO names) with no annotation."""
    return [lab for lab, n in zip(labels, np.asarray(instances).tolist()) if n == 0]
