"""Class counts of computer-vision data set layouts: ImageFolder, COCO and YOLO.

Each layout reader returns :class:`imbalcheck.counts.Counts` (labels are class names);
the detection layouts (COCO, YOLO) return two: object instances per class and images
containing each class. Images are never opened, only listed.

* ImageFolder (:mod:`.imagefolder`): ``root/<class>/**/<image>``, as
  ``torchvision.datasets.ImageFolder`` reads it.
* COCO (:mod:`.coco`): the instances JSON (``images``, ``annotations``, ``categories``)
  of https://cocodataset.org/#format-data; labels are category names.
* YOLO (:mod:`.yolo`): one ``.txt`` per image, one object per line; class names from
  ``data.yaml`` or ``classes.txt`` (https://docs.ultralytics.com/datasets/detect/).
"""

from __future__ import annotations

import os
from pathlib import Path

from ...counts import Counts
from ...defaults import LAYOUTS
from ...errors import InputError
from .coco import coco_counts, looks_like_coco
from .masks import IGNORE_INDEX, looks_like_masks, masks_counts
from .imagefolder import IMAGE_EXTENSIONS, TORCHVISION_IMG_EXTENSIONS, imagefolder_counts, imagefolder_layout
from .tree import has_image, scandir
from .yolo import find_names_file, sample_label_files, sniff_yolo, yolo_counts

__all__ = ["LAYOUTS", "IMAGE_EXTENSIONS", "TORCHVISION_IMG_EXTENSIONS", "detect_layout", "read_layout",
           "imagefolder_counts", "coco_counts", "yolo_counts"]

#: Label files looked at, at most, to tell a YOLO folder: the first one with a ``class x y w h`` line
#: decides, so a split whose first files are empty (images without objects) is still recognised.
_SNIFF_FILES = 1000


def detect_layout(path) -> str | None:
    """``"imagefolder"``, ``"coco"``, ``"yolo"`` or ``None`` for a path.

    * a ``.json`` file (``.json.gz`` too) whose top-level object has the keys
      ``images``, ``annotations`` and ``categories`` -> ``"coco"``;
    * a folder with YOLO label files: ``*.txt`` files under a ``labels/``
      subfolder, or directly in the folder, one of the first 1,000 listed starting with a
      ``class_id x y w h`` line (or a ``data.yaml`` beside them) -> ``"yolo"``;
    * a folder whose subfolders hold image files (:data:`IMAGE_EXTENSIONS`,
      case-insensitive, searched recursively) -> ``"imagefolder"``.

    YOLO is tried before ImageFolder because a YOLO data set's ``images/`` folder
    looks like an ImageFolder class. Never raises for a readable path; a missing
    path gives ``None``.
    """
    p = Path(os.fspath(path))
    if p.is_file():
        return "coco" if looks_like_coco(p) else None
    if not p.is_dir():
        return None
    files = sample_label_files(p, _SNIFF_FILES)
    if files and (find_names_file(p) is not None or any(sniff_yolo(f) for f in files)):
        return "yolo"
    for entry in scandir(p):
        if entry.is_dir() and has_image(Path(entry.path), IMAGE_EXTENSIONS):
            return "imagefolder"
    return "masks" if looks_like_masks(p) else None


def read_layout(path, layout: str, count: str = "instances", *, ignore_index: int = IGNORE_INDEX,
                names: list[str] | None = None) -> tuple[Counts, dict, tuple]:
    """``(counts, per_class, unsampled)`` of a layout: the counts the analysis uses (images per class
    for ImageFolder; instances or images per class, by ``count``, for COCO and YOLO), both detection
    counts (``{"instances": Counts, "images": Counts}``; empty for ImageFolder) and the declared
    classes without a sample (empty class folders, categories or names without annotation).
    Masks: pixels per class, ``{"images": ..., "image_pixels": ...}`` (``names``: line i = class i)."""
    if layout == "masks":
        found = masks_counts(path, ignore_index=ignore_index, names=names)
        keep = found["pixels"] > 0
        if not keep.any():
            raise InputError(f"{path}: every mask pixel is the ignore index {ignore_index}; nothing to count")
        kept = [lab for lab, k in zip(found["labels"], keep.tolist()) if k]
        return (Counts.from_codes(kept, found["pixels"][keep]),
                {"images": Counts.from_codes(kept, found["images"][keep]),
                 "image_pixels": Counts.from_codes(kept, found["image_pixels"][keep])},
                tuple(lab for lab, k in zip(found["labels"], keep.tolist()) if not k))
    if layout == "imagefolder":
        counts, empty = imagefolder_layout(path)
        return counts, {}, empty
    instances, images, unused = (coco_counts if layout == "coco" else yolo_counts)(path)
    return (instances if count == "instances" else images), {"instances": instances, "images": images}, unused
