"""YOLO: one ``.txt`` per image, one object per line, ``class_id x_center y_center width height``
(normalised; segmentation/OBB lines carry more coordinates); class names from ``data.yaml``
(``names:``) or ``classes.txt`` (https://docs.ultralytics.com/datasets/detect/)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import numpy as np

from ...counts import Counts
from ...errors import InputError, warn
from . import tree
from .tree import disambiguate, pair, scandir, unannotated, walk

#: Files in a YOLO label folder that are not per-image label files.
_YOLO_NON_LABEL_FILES = {"classes.txt", "readme.txt", "labels.txt", "notes.txt", "license.txt", "obj.names"}
_YAML_NAMES = ("data.yaml", "data.yml", "dataset.yaml", "dataset.yml")


def yolo_counts(path, names=None) -> tuple[Counts, Counts]:
    """(instances per class, images containing each class) of a YOLO label folder.

    Label files: every ``*.txt`` under each folder named ``labels`` below ``path``
    (``path`` itself when it is named ``labels``), else every ``*.txt`` directly in
    ``path``; ``classes.txt`` and similar are not label files. Each non-blank line
    is ``class_id x y w h [more coordinates]``: an integer class id >= 0, then at
    least four numbers. An empty file is an image with no object.

    Class names: ``names`` (a list indexed by id, or an ``{id: name}`` mapping) if
    given, else ``names:`` in ``data.yaml`` (or dataset.yaml) in ``path`` or its
    parent, else ``classes.txt`` (one name per line), else the id itself. A class
    with no object is left out with a warning.

    Raises :class:`InputError` for a malformed line (``file:line``), a class id
    beyond the names, or a folder with no label file.
    """
    root, name = tree.folder(path, "pass the YOLO data set folder (with labels/)")
    files = label_files(root)
    if not files:
        raise InputError(f"{name}: no YOLO label files (*.txt under labels/ or in the folder); check the path")
    id_names = _yolo_names(root, names)
    instances: Counter = Counter()
    images: Counter = Counter()
    for f in files:
        present = set()
        for lineno, cid in _yolo_lines(f):
            if id_names is not None and cid >= len(id_names):
                raise InputError(
                    f"{f}:{lineno}: class id {cid} but the class names list only {len(id_names)} "
                    f"(ids 0..{len(id_names) - 1}); fix the label or the names"
                )
            instances[cid] += 1
            present.add(cid)
        for cid in present:
            images[cid] += 1
    if id_names is None:
        k = max(instances, default=-1) + 1
        labels = [str(i) for i in range(k)]
    else:
        k = len(id_names)
        labels = disambiguate(id_names, list(range(k)), name)
    inst = np.array([instances.get(i, 0) for i in range(k)], dtype=np.int64)
    imgs = np.array([images.get(i, 0) for i in range(k)], dtype=np.int64)
    if id_names is None:  # ids never seen between 0 and the largest are not classes we know of
        seen = inst > 0
        labels = [lab for lab, s in zip(labels, seen.tolist()) if s]
        inst, imgs = inst[seen], imgs[seen]
    if not inst.size or not inst.any():
        raise InputError(f"{name}: the {len(files)} label file(s) hold no object; there is nothing to count")
    return (*pair(labels, inst, imgs, name), tuple(unannotated(labels, inst)))


def label_files(root: Path) -> list[Path]:
    dirs = [root] if root.name == "labels" else _label_dirs(root)
    files: list[Path] = []
    if dirs:
        for d in dirs:
            for r, _ds, fs in walk(d):
                files.extend(Path(r) / f for f in fs if _is_label_file(f))
    else:
        files = [Path(e.path) for e in scandir(root) if e.is_file() and _is_label_file(e.name)]
    return sorted(set(files))


def _label_dirs(root: Path, max_depth: int = 3) -> list[Path]:
    """Folders named ``labels`` at most ``max_depth`` levels below ``root`` (not inside another one).

    Only the top levels are listed (and no ``images`` folder), so a large image
    tree is not walked file by file.
    """
    found: list[Path] = []
    level = [root]
    seen: set[str] = set()
    for _ in range(max_depth):
        nxt = []
        for folder in level:
            real = os.path.realpath(folder)
            if real in seen:
                continue
            seen.add(real)
            for e in scandir(folder):
                if not e.is_dir():
                    continue
                if e.name == "labels":
                    found.append(Path(e.path))
                elif e.name != "images":  # YOLO image folders hold no labels; skip listing them
                    nxt.append(Path(e.path))
        level = nxt
    return found


def _is_label_file(filename: str) -> bool:
    low = filename.lower()
    return low.endswith(".txt") and low not in _YOLO_NON_LABEL_FILES


def sniff_yolo(f: Path) -> bool:
    try:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    return _parse_yolo_line(line) is not None
    except (OSError, UnicodeDecodeError):
        return False
    return False


def _parse_yolo_line(line: str) -> int | None:
    parts = line.split()
    if len(parts) < 5:
        return None
    try:
        cid = int(parts[0])
        [float(x) for x in parts[1:]]
    except ValueError:
        return None
    return cid if cid >= 0 else None


def _yolo_lines(f: Path):
    try:
        text = f.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{f}: not UTF-8 text; a YOLO label file holds 'class_id x y w h' lines") from None
    except OSError as exc:
        raise InputError(f"{f}: cannot read the file ({exc}); check its permissions") from None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cid = _parse_yolo_line(line)
        if cid is None:
            shown = line.strip()[:60]
            raise InputError(
                f"{f}:{lineno}: malformed YOLO line {shown!r}; expected 'class_id x_center y_center width height' "
                "with an integer class id >= 0"
            )
        yield lineno, cid


def find_names_file(root: Path) -> Path | None:
    for folder in (root, root.parent):
        for fname in _YAML_NAMES + ("classes.txt",):
            cand = folder / fname
            if cand.is_file():
                return cand
    return None


def _yolo_names(root: Path, names) -> list[str] | None:
    if names is not None:
        return _names_from_value(names, "names")
    for folder in (root, root.parent):
        for fname in _YAML_NAMES:
            cand = folder / fname
            if cand.is_file():
                got = _names_from_yaml(cand)
                if got is not None:
                    return got
        cand = folder / "classes.txt"
        if cand.is_file():
            try:
                lines = cand.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                warn(f"{cand}: cannot read class names ({exc}); using class ids as labels")
                return None
            while lines and not lines[-1].strip():
                lines.pop()
            return [ln.strip() for ln in lines]
    return None


def _names_from_value(value, where: str) -> list[str]:
    if isinstance(value, dict):
        try:
            mapping = {int(k): str(v) for k, v in value.items()}
        except (TypeError, ValueError):
            raise InputError(f"{where}: class ids must be integers, got {list(value)[:3]}") from None
        if not mapping:
            return []
        if min(mapping) < 0 or sorted(mapping) != list(range(max(mapping) + 1)):
            raise InputError(f"{where}: class ids must be 0..K-1 without gaps, got {sorted(mapping)[:10]}")
        return [mapping[i] for i in range(len(mapping))]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    raise InputError(f"{where}: names must be a list or an {{id: name}} mapping, got {type(value).__name__}")


def _names_from_yaml(path: Path) -> list[str] | None:
    """``names:`` of a YOLO data.yaml, read with PyYAML's safe loader; None if absent or unreadable (warned)."""
    import yaml

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        warn(f"{path}: cannot read ({exc}); using class ids as labels")
        return None
    except yaml.YAMLError as exc:
        warn(f"{path}: invalid YAML ({' '.join(str(exc).split())[:120]}); using class ids as labels")
        return None
    if not isinstance(doc, dict) or "names" not in doc:
        return None
    try:
        return _names_from_value(doc["names"], f"{path}: names")
    except InputError as exc:
        warn(f"{exc}; using class ids as labels")
        return None
