"""Semantic segmentation masks: a folder of single-channel PNGs whose pixel value is the class
index (grayscale ``L`` or palette ``P``, as Pascal VOC and Cityscapes' ``*_labelIds`` store them).

Per class: its pixels (the count the analysis uses), the images that contain it, and the
labelled pixels of those images (for median-frequency balancing). Pixels equal to the
ignore index (default 255, VOC's "void") are left out of every count. Masks are decoded on
every core, one file per worker at a time, so memory is bounded by the cores times one mask.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ...errors import InputError

MASK_EXTENSION = ".png"
#: Pascal VOC's void label: pixels on object borders and ambiguous regions.
IGNORE_INDEX = 255


def mask_files(root: Path) -> list[Path]:
    """The files of a masks folder, sorted (subfolders included)."""
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))


def looks_like_masks(root: Path) -> bool:
    """A folder whose files are PNGs, with no class subfolder holding them (ImageFolder) and no YOLO labels."""
    files = [p for p in root.iterdir() if p.is_file() and not p.name.startswith(".")]
    return bool(files) and all(p.suffix.lower() == MASK_EXTENSION for p in files)


def _one(path: Path, ignore: int) -> tuple[np.ndarray, int]:
    """(pixels per value 0..255 without the ignored one, labelled pixels) of one mask."""
    from PIL import Image, UnidentifiedImageError

    if path.suffix.lower() != MASK_EXTENSION:
        raise InputError(f"{path}: not a PNG mask; a masks folder holds single-channel PNG files only")
    try:
        with Image.open(path) as im:
            if im.format != "PNG":
                raise InputError(f"{path}: a {im.format} file named .png; masks are PNG files")
            if im.mode not in ("L", "P"):
                raise InputError(f"{path}: a {im.mode} image; a mask is single-channel (grayscale L or palette P) "
                                 "with the class index as the pixel value")
            values = np.asarray(im)  # palette images give the index, not the colour
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise InputError(f"{path}: cannot decode it as a PNG mask ({exc})") from None
    counts = np.bincount(values.ravel(), minlength=256)[:256].astype(np.int64)
    if 0 <= ignore < 256:
        counts[ignore] = 0
    return counts, int(counts.sum())


def masks_counts(path, *, ignore_index: int = IGNORE_INDEX, names: list[str] | None = None,
                 workers: int | None = None) -> dict:
    """Pixel statistics of every mask under ``path``.

    Returns ``{"labels", "pixels", "images", "image_pixels", "n_images"}``: per class index
    present (or every index of ``names``, line i = class i): its pixels, the images that
    contain it, and the labelled pixels of those images. A value above the declared classes
    (with ``names``) is an error naming the file.
    """
    from ..threads import usable_cores

    root = Path(os.fspath(path))
    files = mask_files(root)
    if not files:
        raise InputError(f"{root}: no mask files; a masks folder holds single-channel PNGs")
    pixels = np.zeros(256, dtype=np.int64)
    images = np.zeros(256, dtype=np.int64)
    image_pixels = np.zeros(256, dtype=np.int64)
    k = len(names) if names is not None else None
    with ThreadPoolExecutor(max_workers=workers or usable_cores()) as pool:
        for f, (counts, labelled) in zip(files, pool.map(lambda p: _one(p, ignore_index), files)):
            if k is not None and counts[k:].any():
                bad = int(np.flatnonzero(counts[k:])[0]) + k
                raise InputError(f"{f}: pixel value {bad} is beyond the {k} classes of --classes (0..{k - 1}); "
                                 f"check the file or --ignore-index")
            present = counts > 0
            pixels += counts
            images += present
            image_pixels += present * labelled
    index = np.arange(k) if k is not None else np.flatnonzero(pixels)
    labels = [names[i] for i in index] if names is not None else [str(i) for i in index]
    return {"labels": labels, "pixels": pixels[index], "images": images[index],
            "image_pixels": image_pixels[index], "n_images": len(files)}


def segmentation_weights(pixels: np.ndarray, image_pixels: np.ndarray) -> dict[str, np.ndarray]:
    """Class weights for pixel-wise cross-entropy, NaN for a class with no pixel.

    ``median_frequency`` (Eigen & Fergus, ICCV 2015): freq_c = pixels of c / labelled pixels
    of the images that contain c; w_c = median over present classes of freq / freq_c.
    ``enet`` (Paszke et al. 2016, ENet): w_c = 1 / ln(1.02 + p_c), p_c = pixels of c / all
    labelled pixels.
    """
    pixels = np.asarray(pixels, dtype=np.float64)
    present = pixels > 0
    freq = np.divide(pixels, image_pixels, out=np.zeros_like(pixels), where=image_pixels > 0)
    median = float(np.median(freq[present])) if present.any() else np.nan
    median_frequency = np.where(present, median / np.where(present, freq, 1.0), np.nan)
    share = pixels / pixels.sum() if pixels.sum() else np.zeros_like(pixels)
    enet = np.where(present, 1.0 / np.log(1.02 + share), np.nan)
    return {"median_frequency": median_frequency, "enet": enet}
