"""ImageFolder: ``root/<class>/**/<image>``, as ``torchvision.datasets.ImageFolder`` lists it
(``find_classes`` + ``make_dataset`` in torchvision/datasets/folder.py)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import numpy as np

from ...counts import Counts
from ...errors import InputError, warn
from .tree import folder, scandir, walk

#: torchvision.datasets.folder.IMG_EXTENSIONS: what ImageFolder loads (no .gif).
TORCHVISION_IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")
#: What layout detection treats as an image (torchvision's list plus .gif).
IMAGE_EXTENSIONS = TORCHVISION_IMG_EXTENSIONS + (".gif",)


def imagefolder_counts(path, *, extensions=TORCHVISION_IMG_EXTENSIONS) -> Counts:
    """Image files per class folder (see :func:`imagefolder_layout`)."""
    return imagefolder_layout(path, extensions=extensions)[0]


def imagefolder_layout(path, *, extensions=TORCHVISION_IMG_EXTENSIONS) -> tuple[Counts, tuple]:
    """Image files per class folder, as ``torchvision.datasets.ImageFolder(path)`` would list them.

    A class is an immediate subfolder of ``path`` (sorted, hidden ones included,
    like torchvision); its samples are the files under it, recursively, whose
    lower-cased name ends with one of ``extensions`` (default: torchvision's
    ``IMG_EXTENSIONS``; .gif is not among them, pass ``IMAGE_EXTENSIONS`` to
    count it). Images are not opened. Class folders with no image are left out
    with a warning (torchvision raises for them unless ``allow_empty=True``);
    files with other extensions are skipped with a warning naming the extensions.

    Raises :class:`InputError` when ``path`` is not a folder or has no class folder
    with an image.
    """
    root, name = folder(path, "an ImageFolder data set is a folder with one subfolder per class")
    exts = tuple(e.lower() for e in extensions)
    classes = [e for e in scandir(root) if e.is_dir()]
    if not classes:
        raise InputError(f"{name}: no class folders; an ImageFolder data set has one subfolder per class (root/cat/x.jpg)")
    labels, counts, empty = [], [], []
    skipped: Counter = Counter()
    for entry in classes:
        n = 0
        for _root, _dirs, files in walk(Path(entry.path)):
            for f in files:
                if f.lower().endswith(exts):
                    n += 1
                else:
                    skipped[os.path.splitext(f)[1].lower() or f] += 1
        if n:
            labels.append(entry.name)
            counts.append(n)
        else:
            empty.append(entry.name)
    if skipped:
        shown = ", ".join(f"{ext} ({k})" for ext, k in skipped.most_common(5))
        gif = " (.gif is not in torchvision's IMG_EXTENSIONS)" if ".gif" in skipped else ""
        warn(f"{name}: skipped {sum(skipped.values())} non-image file(s): {shown}{gif}")
    if empty:
        warn(f"{name}: {len(empty)} class folder(s) hold no image (reported as classes without samples), e.g. "
             f"{empty[:5]} (torchvision's ImageFolder raises for them unless allow_empty=True)")
    if not labels:
        raise InputError(
            f"{name}: no images in any class folder (extensions {', '.join(exts)}); check the path and file types"
        )
    return Counts.from_codes(labels, np.asarray(counts, dtype=np.int64)), tuple(sorted(empty))
