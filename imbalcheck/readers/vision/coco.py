"""COCO: the instances JSON (``images``, ``annotations``, ``categories``) of
https://cocodataset.org/#format-data, optionally gzipped; labels are category names."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np

from ...counts import Counts
from ...errors import ImbalcheckError, InputError
from ..source import Source, to_input_error
from .tree import disambiguate, pair, unannotated

_COCO_KEYS = ("images", "annotations", "categories")


def looks_like_coco(p: Path) -> bool:
    name = p.name.lower()
    if not (name.endswith(".json") or name.endswith(".json.gz")):
        return False
    try:
        src = Source(p)
        src.probe()
        with src.open() as f:
            head = f.read(1 << 16)
            if not head.lstrip().startswith(b"{"):
                return False
            found: set[str] = set()
            pattern = re.compile(rb'"(images|annotations|categories)"\s*:')
            tail = b""
            chunk = head
            while chunk:
                buf = tail + chunk
                found.update(m.group(1).decode() for m in pattern.finditer(buf))
                if len(found) == 3:
                    return True
                tail = buf[-64:]
                chunk = f.read(1 << 22)
    except (ImbalcheckError, OSError, EOFError):
        return False
    return False


def coco_counts(path) -> tuple[Counts, Counts, tuple]:
    """(instances per category, images containing each category, categories without annotation) of
    a COCO instances JSON.

    Labels are category names; two categories with the same name become
    ``"name (id N)"`` with a warning. Every annotation counts, ``iscrowd`` ones
    included (as in the file). Categories with no annotation are left out with a
    warning. The file (optionally gzipped) is read with ``json.load``.

    Raises :class:`InputError` for an unreadable file, invalid JSON, a missing
    ``images``/``annotations``/``categories`` list, a category without id or
    name, a duplicated category id, or an annotation whose ``category_id`` is not
    a category (naming the id).
    """
    _, labels, cat_of, image_keys, name = _annotations(path)
    k = len(labels)
    instances = np.bincount(cat_of, minlength=k)
    images = distinct_pairs(cat_of, image_keys, k)
    return (*pair(labels, instances, images, name), tuple(unannotated(labels, instances)))


def coco_image_label_sets(path) -> tuple[list, np.ndarray, np.ndarray]:
    """(category labels, CSR ``indptr``, ``indices``): each image's distinct categories, one row per
    entry of the file's ``images`` list in its order (an image without annotation has none)."""
    doc, labels, cat_of, image_keys, name = _annotations(path)
    row = {}
    for i, img in enumerate(doc["images"]):
        if not isinstance(img, dict) or "id" not in img:
            raise InputError(f"{name}: images[{i}] has no 'id'; every image needs one")
        row.setdefault(hashable_id(img["id"]), i)
    rows = np.fromiter((row.get(key, -1) for key in image_keys), dtype=np.int64, count=len(image_keys))
    if (rows < 0).any():
        bad = image_keys[int(np.flatnonzero(rows < 0)[0])]
        raise InputError(f"{name}: an annotation has image_id {bad!r}, which is not in 'images'; fix the file")
    k = max(len(labels), 1)
    pairs = np.unique(rows * k + cat_of)
    indptr = np.searchsorted(pairs // k, np.arange(len(doc["images"]) + 1))
    return labels, indptr.astype(np.int64), (pairs % k).astype(np.int64)


def _annotations(path):
    """(document, category labels, category index of each annotation, its image key, source name)."""
    src = Source(path)
    name = src.name
    src.probe()
    try:
        with src.open() as f:
            doc = json.load(f)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: invalid JSON at line {exc.lineno} column {exc.colno} ({exc.msg}); check the file") from None
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 JSON text; COCO files are UTF-8") from None
    except Exception as exc:  # decoding, gzip, I/O: the one error mapping of every source
        raise to_input_error(exc, src, "COCO json", "utf-8") from None
    if not isinstance(doc, dict):
        raise InputError(f"{name}: a COCO file is a JSON object with images, annotations and categories")
    for key in _COCO_KEYS:
        if not isinstance(doc.get(key), list):
            what = "missing" if key not in doc else "not a list"
            raise InputError(f"{name}: {key!r} is {what}; a COCO instances file has images, annotations and categories lists")

    ids: list = []
    raw_names: list[str] = []
    for i, cat in enumerate(doc["categories"]):
        if not isinstance(cat, dict) or "id" not in cat or "name" not in cat:
            raise InputError(f"{name}: categories[{i}] needs an 'id' and a 'name'; fix the category list")
        ids.append(hashable_id(cat["id"]))
        raw_names.append(str(cat["name"]))
    dup_ids = [k for k, v in Counter(ids).items() if v > 1]
    if dup_ids:
        raise InputError(f"{name}: category id {dup_ids[0]!r} appears more than once; category ids must be unique")
    if not ids:
        raise InputError(f"{name}: 'categories' is empty; a COCO file lists its categories")
    labels = disambiguate(raw_names, ids, name)
    index = {cid: j for j, cid in enumerate(ids)}
    cat_of = np.empty(len(doc["annotations"]), dtype=np.int64)
    image_keys: list = []
    for i, ann in enumerate(doc["annotations"]):
        if not isinstance(ann, dict) or "category_id" not in ann:
            raise InputError(f"{name}: annotations[{i}] has no 'category_id'; every annotation needs one")
        cid = hashable_id(ann["category_id"])
        j = index.get(cid)
        if j is None:
            ann_id = f" (annotation id {ann['id']!r})" if "id" in ann else ""
            raise InputError(
                f"{name}: annotations[{i}]{ann_id} has category_id {ann['category_id']!r}, which is not in "
                "'categories'; add the category or drop its annotations"
            )
        cat_of[i] = j
        image_keys.append(hashable_id(ann.get("image_id")))
    return doc, labels, cat_of, image_keys, name


def hashable_id(v):
    if isinstance(v, (list, dict)):
        return json.dumps(v, sort_keys=True)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def distinct_pairs(cat_of: np.ndarray, image_keys: list, k: int) -> np.ndarray:
    """For each class, the number of distinct images among its annotations."""
    if not image_keys:
        return np.zeros(k, dtype=np.int64)
    codes: dict = {}
    img = np.fromiter((codes.setdefault(key, len(codes)) for key in image_keys), dtype=np.int64, count=len(image_keys))
    pairs = np.unique(cat_of * max(len(codes), 1) + img)
    return np.bincount(pairs // max(len(codes), 1), minlength=k)
