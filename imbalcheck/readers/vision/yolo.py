"""YOLO: one ``.txt`` per image, one object per line, ``class_id x_center y_center width height``
(normalised; segmentation/OBB lines carry more coordinates); class names from ``data.yaml``
(``names:``) or ``classes.txt`` (https://docs.ultralytics.com/datasets/detect/)."""

from __future__ import annotations

import os
from collections import Counter
from operator import itemgetter
from pathlib import Path

import numpy as np

from ...counts import Counts
from ...errors import InputError, warn
from ..threads import workers as default_workers
from . import tree
from .tree import disambiguate, pair, scandir, unannotated
from .yolo_count import count_chunk, forking_is_safe, map_in_order, parse_line

#: Files in a YOLO label folder that are not per-image label files.
_YOLO_NON_LABEL_FILES = {"classes.txt", "readme.txt", "labels.txt", "notes.txt", "license.txt", "obj.names"}
_YAML_NAMES = ("data.yaml", "data.yml", "dataset.yaml", "dataset.yml")
#: From this many label files on, they are counted in worker processes.
PARALLEL_MIN_FILES = 20_000
#: Label files per task (a worker reads and parses them together).
CHUNK_FILES = 4_000


def yolo_counts(path, names=None, *, workers: int | None = None) -> tuple[Counts, Counts]:
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

    From :data:`PARALLEL_MIN_FILES` label files on, the files are counted in
    ``workers`` forked processes (default: one per usable core, at most 8),
    :data:`CHUNK_FILES` per task, on Linux while no other Python thread runs; else, or
    with ``workers=1``, in this process. Counts and errors are the serial ones.

    Raises :class:`InputError` for the first label file, in path order, with a
    malformed line (``file:line``) or a class id beyond the names, or that cannot be
    read; and for a folder with no label file.
    """
    root, name = tree.folder(path, "pass the YOLO data set folder (with labels/)")
    files = label_files(root)
    if not files:
        raise InputError(f"{name}: no YOLO label files (*.txt under labels/ or in the folder); check the path")
    id_names = _yolo_names(root, names)
    instances, images = _count(files, None if id_names is None else len(id_names),
                               default_workers() if workers is None else workers)
    if id_names is None:  # the ids seen are the classes (ids never seen are not classes we know of)
        ids = sorted(i for i, c in instances.items() if c)
        labels = [str(i) for i in ids]
    else:
        ids = list(range(len(id_names)))
        labels = disambiguate(id_names, ids, name)
    inst = np.array([instances.get(i, 0) for i in ids], dtype=np.int64)
    imgs = np.array([images.get(i, 0) for i in ids], dtype=np.int64)
    if not inst.size or not inst.any():
        raise InputError(f"{name}: the {len(files)} label file(s) hold no object; there is nothing to count")
    return (*pair(labels, inst, imgs, name), tuple(unannotated(labels, inst)))


def _count(files: list[str], k: int | None, workers: int) -> tuple[Counter, Counter]:
    """Objects and images per class id of the label files, chunk by chunk in file order.

    Parameters
    ----------
    files : list of str
        The label files.
    k : int or None
        The number of class names (None: no names, any id is a class).
    workers : int
        Processes to count in once there are :data:`PARALLEL_MIN_FILES` files; with 1, or
        where :func:`~.yolo_count.forking_is_safe` is False, the count runs in this process.
    """
    chunks = [files[i:i + CHUNK_FILES] for i in range(0, len(files), CHUNK_FILES)]
    if len(files) >= PARALLEL_MIN_FILES and workers > 1 and len(chunks) > 1 and forking_is_safe():
        parts = map_in_order(count_chunk, chunks, k, workers=workers)
    else:
        parts = (count_chunk(chunk, k) for chunk in chunks)
    instances: Counter = Counter()
    images: Counter = Counter()
    for chunk_instances, chunk_images in parts:
        instances.update(chunk_instances)
        images.update(chunk_images)
    return instances, images


def label_files(root: Path) -> list[str]:
    """The label files of a YOLO folder (see :func:`yolo_counts`), in path order.

    Folders are listed with :func:`os.scandir`, following links, each real folder once
    per ``labels`` folder; the paths are strings, written as :class:`~pathlib.Path` writes them.
    """
    if root.name == "labels":
        return _files_below(str(root), set())
    dirs = _label_dirs(root)
    if not dirs:
        prefix = _prefix(str(root))
        return [prefix + e.name for e in scandir(root) if e.is_file() and _is_label_file(e.name)]
    return [f for d in sorted(dirs, key=lambda d: d.parts) for f in _files_below(str(d), set())]


def sample_label_files(root: Path, n: int) -> list[str]:
    """Up to ``n`` label files of a YOLO folder (those of :func:`label_files`), in listing order,
    stopping as soon as ``n`` are found: what detecting the layout looks at, without listing a
    million files that the count lists again."""
    found: list[str] = []
    if root.name == "labels":
        _first_files(str(root), n, found, set(), recurse=True)
        return found
    dirs = _label_dirs(root)
    for d in sorted(dirs, key=lambda d: d.parts) if dirs else [root]:
        _first_files(str(d), n, found, set(), recurse=bool(dirs))
        if len(found) >= n:
            break
    return found


def _first_files(folder: str, n: int, found: list[str], seen: set[str], recurse: bool) -> None:
    """Append label files below ``folder`` to ``found`` until it holds ``n`` (links followed, each
    real folder once)."""
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    subfolders = []
    try:
        with os.scandir(folder) as it:
            for e in it:
                if _is_dir(e):
                    subfolders.append(e.path)
                elif _is_label_file(e.name):
                    found.append(e.path)
                    if len(found) >= n:
                        return
    except OSError:
        return
    for sub in subfolders if recurse else ():
        _first_files(sub, n, found, seen, recurse)
        if len(found) >= n:
            return


def _files_below(folder: str, seen: set[str]) -> list[str]:
    """The label files below ``folder`` in path order (a folder's entries by name, depth first).

    Links to folders are followed, as :func:`os.walk` with ``followlinks=True`` does; a
    real folder already in ``seen`` is skipped, and each one listed is added to it.
    """
    real = os.path.realpath(folder)
    if real in seen:
        return []
    seen.add(real)
    prefix = _prefix(folder)
    found = []
    for name, is_dir in _entries(folder):
        if is_dir:
            found.extend(_files_below(prefix + name, seen))
        elif _is_label_file(name):
            found.append(prefix + name)
    return found


def _entries(folder: str) -> list[tuple[str, bool]]:
    """``(name, is a folder or a link to one)`` of each entry of ``folder``, by name; empty if
    it cannot be listed. (Kept as tuples, not :class:`os.DirEntry`: a million entries take
    about 100 MB less.)"""
    try:
        with os.scandir(folder) as it:
            entries = [(e.name, _is_dir(e)) for e in it]
    except OSError:
        return []
    entries.sort(key=itemgetter(0))  # by name: strings compare faster than tuples
    return entries


def _prefix(folder: str) -> str:
    """What comes before an entry's name in its path: ``folder/``, or nothing for ``.``."""
    return str(Path(folder) / "x")[:-1]


def _is_dir(entry: os.DirEntry) -> bool:
    """Whether an entry is a folder or a link to one (False if that cannot be told)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


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


def sniff_yolo(f: str | Path) -> bool:
    try:
        with open(f, encoding="utf-8-sig") as fh:  # a byte order mark (Windows editors) is no part of line 1
            for line in fh:
                if line.strip():
                    return parse_line(line) is not None
    except (OSError, UnicodeDecodeError):
        return False
    return False


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
                lines = cand.read_text(encoding="utf-8-sig").splitlines()
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
        doc = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
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
