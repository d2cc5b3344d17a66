"""COCO: the instances JSON (``images``, ``annotations``, ``categories``) of
https://cocodataset.org/#format-data, optionally gzipped; labels are category names.

A file is streamed (:mod:`.coco_stream`: only the ids and the categories are kept, in memory
bounded by the block size, not by the file). One it cannot stream (an invalid or unusual document,
e.g. string image ids; standard input or a pipe) is read with ``json.load``, which gives the same
counts, or the exact error.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ...counts import Counts
from ...errors import ImbalcheckError, InputError
from ..source import Source, to_input_error
from .coco_stream import NotStreamable, stream_ids
from .tree import disambiguate, pair, unannotated

_COCO_KEYS = ("images", "annotations", "categories")
_COLON = re.compile(rb"\s*:")


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
            missing = [f'"{key}"'.encode() for key in _COCO_KEYS]
            tail = b""
            chunk = head
            while chunk:
                buf = tail + chunk
                missing = [key for key in missing if not _has_key(buf, key)]
                if not missing:
                    return True
                tail = buf[-64:]
                chunk = f.read(1 << 22)
    except (ImbalcheckError, OSError, EOFError):
        return False
    return False


def _has_key(buf: bytes, quoted: bytes) -> bool:
    """Whether ``quoted`` (a key in double quotes) is followed by ``:`` somewhere in ``buf``."""
    i = buf.find(quoted)
    while i >= 0:
        if _COLON.match(buf, i + len(quoted)):
            return True
        i = buf.find(quoted, i + 1)
    return False


def coco_counts(path) -> tuple[Counts, Counts, tuple]:
    """(instances per category, images containing each category, categories without annotation) of
    a COCO instances JSON.

    Labels are category names; two categories with the same name become
    ``"name (id N)"`` with a warning. Every annotation counts, ``iscrowd`` ones
    included (as in the file). Categories with no annotation are left out with a
    warning. The file (optionally gzipped) is streamed (see the module docstring).

    Raises :class:`InputError` for an unreadable file, invalid JSON, a missing
    ``images``/``annotations``/``categories`` list, a category without id or
    name, a duplicated category id, or an annotation whose ``category_id`` is not
    a category (naming the id).
    """
    read = _annotations(path)
    k = len(read.labels)
    instances = np.bincount(read.cat_of, minlength=k)
    images = distinct_pairs(read.cat_of, read.image_keys, k)
    return (*pair(read.labels, instances, images, read.name), tuple(unannotated(read.labels, instances)))


def coco_image_label_sets(path) -> tuple[list, np.ndarray, np.ndarray]:
    """(category labels, CSR ``indptr``, ``indices``): each image's distinct categories, one row per
    entry of the file's ``images`` list in its order (an image without annotation has none)."""
    read = _annotations(path, rows=True)
    k = max(len(read.labels), 1)
    pairs = distinct(read.rows * k + read.cat_of)
    indptr = np.searchsorted(pairs // k, np.arange(read.n_images + 1))
    return read.labels, indptr.astype(np.int64), (pairs % k).astype(np.int64)


class _Read(NamedTuple):
    labels: list[str]
    cat_of: np.ndarray  # category index of each annotation
    image_keys: object  # image key of each annotation: an int64 array (streamed) or a list (json.load)
    rows: np.ndarray | None  # asked for: the entry of 'images' holding each annotation's image
    n_images: int  # entries of 'images' (when rows are asked for)
    name: str


def _annotations(path, rows: bool = False) -> _Read:
    """Streamed when it can be, else read with ``json.load`` (see the module docstring)."""
    src = Source(path)
    src.probe()
    if src.reopenable:
        try:
            return _streamed(src, rows)
        except NotStreamable:
            pass
    return _loaded(src, rows)


def _streamed(src: Source, rows: bool) -> _Read:
    """:func:`stream_ids`, checked as :func:`_loaded` checks; every failure is NotStreamable, so that
    ``json.load``'s path gives its message (and any warning before it) once."""
    with src.open() as f:
        ids = stream_ids(f, images=rows)
    try:
        cat_ids, raw_names = _category_list(ids.categories, src.name)
    except InputError:
        raise NotStreamable from None
    cat_of = _category_codes(cat_ids, ids.category_ids)
    image_rows = _image_rows(ids.image_ids, ids.image_keys) if rows else None
    n_images = len(ids.image_ids) if rows else 0
    return _Read(disambiguate(raw_names, cat_ids, src.name), cat_of, ids.image_keys, image_rows, n_images, src.name)


def _category_codes(cat_ids: list, values: np.ndarray) -> np.ndarray:
    """The index in ``cat_ids`` (integers) of each streamed ``category_id``."""
    if not all(type(c) is int and -(2**63) <= c < 2**63 for c in cat_ids):
        raise NotStreamable  # e.g. string category ids: json.load's path compares them as it does
    ids = np.array(cat_ids, np.int64)
    order = np.argsort(ids)
    pos = np.minimum(np.searchsorted(ids[order], values), len(ids) - 1)
    if (ids[order][pos] != values).any():
        raise NotStreamable  # a category_id not in 'categories': json.load's path names the annotation
    return order[pos]


def _image_rows(image_ids: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """The first entry of 'images' with each streamed ``image_id``."""
    if not len(image_ids):
        if len(keys):
            raise NotStreamable
        return np.zeros(0, np.int64)
    order = np.argsort(image_ids, kind="stable")
    ids = image_ids[order]
    new = np.r_[True, ids[1:] != ids[:-1]]
    ids, first = ids[new], order[new]
    pos = np.minimum(np.searchsorted(ids, keys), len(ids) - 1)
    if (ids[pos] != keys).any():
        raise NotStreamable  # an image_id not in 'images': json.load's path names it
    return first[pos]


def _loaded(src: Source, rows: bool) -> _Read:
    """The file read with ``json.load``, every problem an :class:`InputError`."""
    name = src.name
    doc = _load(src)
    cat_ids, raw_names = _category_list(doc["categories"], name)
    labels = disambiguate(raw_names, cat_ids, name)
    cat_of, image_keys = _annotation_keys(doc["annotations"], {cid: j for j, cid in enumerate(cat_ids)}, name)
    image_rows = _loaded_rows(doc["images"], image_keys, name) if rows else None
    return _Read(labels, cat_of, image_keys, image_rows, len(doc["images"]), name)


def _load(src: Source) -> dict:
    name = src.name
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
    return doc


def _category_list(categories: list, name: str) -> tuple[list, list[str]]:
    """(hashable id, name) of each category, or :class:`InputError`."""
    ids: list = []
    raw_names: list[str] = []
    for i, cat in enumerate(categories):
        if not isinstance(cat, dict) or "id" not in cat or "name" not in cat:
            raise InputError(f"{name}: categories[{i}] needs an 'id' and a 'name'; fix the category list")
        ids.append(hashable_id(cat["id"]))
        raw_names.append(str(cat["name"]))
    dup_ids = [k for k, v in Counter(ids).items() if v > 1]
    if dup_ids:
        raise InputError(f"{name}: category id {dup_ids[0]!r} appears more than once; category ids must be unique")
    if not ids:
        raise InputError(f"{name}: 'categories' is empty; a COCO file lists its categories")
    return ids, raw_names


def _annotation_keys(annotations: list, index: dict, name: str) -> tuple[np.ndarray, list]:
    """(category index, image key) of each annotation, or :class:`InputError`."""
    cat_of = np.empty(len(annotations), dtype=np.int64)
    image_keys: list = []
    for i, ann in enumerate(annotations):
        if not isinstance(ann, dict) or "category_id" not in ann:
            raise InputError(f"{name}: annotations[{i}] has no 'category_id'; every annotation needs one")
        j = index.get(hashable_id(ann["category_id"]))
        if j is None:
            ann_id = f" (annotation id {ann['id']!r})" if "id" in ann else ""
            raise InputError(
                f"{name}: annotations[{i}]{ann_id} has category_id {ann['category_id']!r}, which is not in "
                "'categories'; add the category or drop its annotations"
            )
        cat_of[i] = j
        image_keys.append(hashable_id(ann.get("image_id")))
    return cat_of, image_keys


def _loaded_rows(images: list, image_keys: list, name: str) -> np.ndarray:
    """The first entry of ``images`` with each annotation's image key, or :class:`InputError`."""
    row = {}
    for i, img in enumerate(images):
        if not isinstance(img, dict) or "id" not in img:
            raise InputError(f"{name}: images[{i}] has no 'id'; every image needs one")
        row.setdefault(hashable_id(img["id"]), i)
    rows = np.fromiter((row.get(key, -1) for key in image_keys), dtype=np.int64, count=len(image_keys))
    if (rows < 0).any():
        bad = image_keys[int(np.flatnonzero(rows < 0)[0])]
        raise InputError(f"{name}: an annotation has image_id {bad!r}, which is not in 'images'; fix the file")
    return rows


def hashable_id(v):
    if isinstance(v, (list, dict)):
        return json.dumps(v, sort_keys=True)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def distinct_pairs(cat_of: np.ndarray, image_keys, k: int) -> np.ndarray:
    """For each class, the number of distinct images among its annotations (``image_keys``: an
    integer array, or a list of hashable ids)."""
    if not len(image_keys):
        return np.zeros(k, dtype=np.int64)
    img = _codes(image_keys)
    n = int(img.max()) + 1
    pairs = distinct(cat_of * n + img)
    return np.bincount(pairs // n, minlength=k)


def _codes(keys) -> np.ndarray:
    """A number per key from 0 (equal keys, equal numbers; at most a few times as many numbers as keys)."""
    if isinstance(keys, np.ndarray):
        low, high = int(keys.min()), int(keys.max())
        if high - low < 4 * len(keys) + 1024:  # ids from 1, as usual: shifted, no sort
            return keys - low
        return np.searchsorted(distinct(keys), keys)
    codes: dict = {}
    return np.fromiter((codes.setdefault(key, len(codes)) for key in keys), dtype=np.int64, count=len(keys))


def distinct(x: np.ndarray) -> np.ndarray:
    """``np.unique(x)`` by a sort: numpy's hash-based unique is many times slower on a large integer array."""
    x = np.sort(x)
    return x[np.r_[True, x[1:] != x[:-1]]] if len(x) else x
