"""Class counts of computer-vision data set layouts: ImageFolder, COCO and YOLO.

Each reader returns :class:`imbalcheck.counts.Counts` (labels are class names);
the detection readers (COCO, YOLO) return two: object instances per class and
images containing each class. Images are never opened, only listed.

* ImageFolder: ``root/<class>/**/<image>``, as ``torchvision.datasets.ImageFolder``
  reads it (``find_classes`` + ``make_dataset`` in torchvision/datasets/folder.py):
  a class is an immediate subfolder of ``root``; its images are the files found
  recursively inside it (symbolic links followed) whose lower-cased name ends
  with one of torchvision's ``IMG_EXTENSIONS``.
* COCO: the instances JSON (``images``, ``annotations``, ``categories``) of
  https://cocodataset.org/#format-data; labels are category names.
* YOLO: one ``.txt`` per image, one object per line, ``class_id x_center y_center
  width height`` (normalised; segmentation/OBB lines carry more coordinates);
  class names from ``data.yaml`` (``names:``) or ``classes.txt``
  (https://docs.ultralytics.com/datasets/detect/).
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

from .counts import Counts
from .errors import InputError

#: torchvision.datasets.folder.IMG_EXTENSIONS: what ImageFolder loads (no .gif).
TORCHVISION_IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")
#: What layout detection treats as an image (torchvision's list plus .gif).
IMAGE_EXTENSIONS = TORCHVISION_IMG_EXTENSIONS + (".gif",)
#: Files in a YOLO label folder that are not per-image label files.
_YOLO_NON_LABEL_FILES = {"classes.txt", "readme.txt", "labels.txt", "notes.txt", "license.txt", "obj.names"}
_YAML_NAMES = ("data.yaml", "data.yml", "dataset.yaml", "dataset.yml")
_SNIFF_FILES = 50
_COCO_KEYS = ("images", "annotations", "categories")


# -- layout detection -----------------------------------------------------------------------------


def detect_layout(path) -> str | None:
    """``"imagefolder"``, ``"coco"``, ``"yolo"`` or ``None`` for a path.

    * a ``.json`` file (``.json.gz`` too) whose top-level object has the keys
      ``images``, ``annotations`` and ``categories`` -> ``"coco"``;
    * a folder with YOLO label files: ``*.txt`` files under a ``labels/``
      subfolder, or directly in the folder, at least one of them starting with a
      ``class_id x y w h`` line (or a ``data.yaml`` beside them) -> ``"yolo"``;
    * a folder whose subfolders hold image files (:data:`IMAGE_EXTENSIONS`,
      case-insensitive, searched recursively) -> ``"imagefolder"``.

    YOLO is tried before ImageFolder because a YOLO data set's ``images/`` folder
    looks like an ImageFolder class. Never raises for a readable path; a missing
    path gives ``None``.
    """
    p = Path(os.fspath(path))
    if p.is_file():
        return "coco" if _looks_like_coco(p) else None
    if not p.is_dir():
        return None
    files = _yolo_label_files(p)
    if files and (_find_names_file(p) is not None or any(_sniff_yolo(f) for f in files[:_SNIFF_FILES])):
        return "yolo"
    for entry in _scandir(p):
        if entry.is_dir() and _has_image(Path(entry.path), IMAGE_EXTENSIONS):
            return "imagefolder"
    return None


def _scandir(p: Path) -> list:
    try:
        with os.scandir(p) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError:
        return []


def _has_image(folder: Path, extensions) -> bool:
    for _root, _dirs, files in _walk(folder):
        if any(f.lower().endswith(extensions) for f in files):
            return True
    return False


def _walk(folder: Path):
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


def _looks_like_coco(p: Path) -> bool:
    name = p.name.lower()
    if not (name.endswith(".json") or name.endswith(".json.gz")):
        return False
    try:
        with _open_binary(p) as f:
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
    except (OSError, EOFError):
        return False
    return False


def _open_binary(p: Path):
    with open(p, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        import gzip

        return gzip.open(p, "rb")
    return open(p, "rb")


# -- ImageFolder ----------------------------------------------------------------------------------


def imagefolder_counts(path, *, extensions=TORCHVISION_IMG_EXTENSIONS) -> Counts:
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
    root = Path(os.fspath(path))
    name = str(root)
    if not root.exists():
        raise InputError(f"{name}: no such folder; check the path")
    if not root.is_dir():
        raise InputError(f"{name}: not a folder; an ImageFolder data set is a folder with one subfolder per class")
    exts = tuple(e.lower() for e in extensions)
    classes = [e for e in _scandir(root) if e.is_dir()]
    if not classes:
        raise InputError(f"{name}: no class folders; an ImageFolder data set has one subfolder per class (root/cat/x.jpg)")
    labels, counts, empty = [], [], []
    skipped: Counter = Counter()
    for entry in classes:
        n = 0
        for _root, _dirs, files in _walk(Path(entry.path)):
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
        warnings.warn(f"{name}: skipped {sum(skipped.values())} non-image file(s): {shown}{gif}", stacklevel=2)
    if empty:
        warnings.warn(
            f"{name}: {len(empty)} class folder(s) hold no image and are left out, e.g. {empty[:5]} "
            "(torchvision's ImageFolder raises for them unless allow_empty=True)",
            stacklevel=2,
        )
    if not labels:
        raise InputError(
            f"{name}: no images in any class folder (extensions {', '.join(exts)}); check the path and file types"
        )
    return Counts.from_codes(labels, np.asarray(counts, dtype=np.int64))


# -- COCO -----------------------------------------------------------------------------------------


def coco_counts(path) -> tuple[Counts, Counts]:
    """(instances per category, images containing each category) of a COCO instances JSON.

    Labels are category names; two categories with the same name become
    ``"name (id N)"`` with a warning. Every annotation counts, ``iscrowd`` ones
    included (as in the file). Categories with no annotation are left out with a
    warning. The file (optionally gzipped) is read with ``json.load``.

    Raises :class:`InputError` for an unreadable file, invalid JSON, a missing
    ``images``/``annotations``/``categories`` list, a category without id or
    name, a duplicated category id, or an annotation whose ``category_id`` is not
    a category (naming the id).
    """
    p = Path(os.fspath(path))
    name = str(p)
    try:
        with _open_binary(p) as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory; pass the COCO annotation .json file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied; check the file's permissions") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: invalid JSON at line {exc.lineno} column {exc.colno} ({exc.msg}); check the file") from None
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 JSON text; COCO files are UTF-8") from None
    except (OSError, EOFError) as exc:
        raise InputError(f"{name}: cannot read the file ({exc}); check the file (gzip truncated?)") from None
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
        ids.append(_hashable_id(cat["id"]))
        raw_names.append(str(cat["name"]))
    dup_ids = [k for k, v in Counter(ids).items() if v > 1]
    if dup_ids:
        raise InputError(f"{name}: category id {dup_ids[0]!r} appears more than once; category ids must be unique")
    if not ids:
        raise InputError(f"{name}: 'categories' is empty; a COCO file lists its categories")
    labels = _disambiguate(raw_names, ids, name)
    index = {cid: j for j, cid in enumerate(ids)}

    k = len(ids)
    cat_of = np.empty(len(doc["annotations"]), dtype=np.int64)
    image_keys: list = []
    for i, ann in enumerate(doc["annotations"]):
        if not isinstance(ann, dict) or "category_id" not in ann:
            raise InputError(f"{name}: annotations[{i}] has no 'category_id'; every annotation needs one")
        cid = _hashable_id(ann["category_id"])
        j = index.get(cid)
        if j is None:
            ann_id = f" (annotation id {ann['id']!r})" if "id" in ann else ""
            raise InputError(
                f"{name}: annotations[{i}]{ann_id} has category_id {ann['category_id']!r}, which is not in "
                "'categories'; add the category or drop its annotations"
            )
        cat_of[i] = j
        image_keys.append(_hashable_id(ann.get("image_id")))
    instances = np.bincount(cat_of, minlength=k)
    images = _distinct_pairs(cat_of, image_keys, k)
    return _pair(labels, instances, images, name)


def _hashable_id(v):
    if isinstance(v, (list, dict)):
        return json.dumps(v, sort_keys=True)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _disambiguate(raw: list[str], ids: list, name: str) -> list[str]:
    seen = Counter(raw)
    dup = sorted(n for n, c in seen.items() if c > 1)
    if not dup:
        return list(raw)
    warnings.warn(
        f"{name}: {len(dup)} category name(s) are used by more than one id, e.g. {dup[:3]}; "
        "they are reported as 'name (id N)'",
        stacklevel=3,
    )
    out = [f"{n} (id {i})" if seen[n] > 1 else n for n, i in zip(raw, ids)]
    taken = Counter(out)
    return [f"{o} #{j}" if taken[o] > 1 else o for j, o in enumerate(out)]


def _distinct_pairs(cat_of: np.ndarray, image_keys: list, k: int) -> np.ndarray:
    """For each class, the number of distinct images among its annotations."""
    if not image_keys:
        return np.zeros(k, dtype=np.int64)
    codes: dict = {}
    img = np.fromiter((codes.setdefault(key, len(codes)) for key in image_keys), dtype=np.int64, count=len(image_keys))
    pairs = np.unique(cat_of * max(len(codes), 1) + img)
    return np.bincount(pairs // max(len(codes), 1), minlength=k)


def _pair(labels: list[str], instances: np.ndarray, images: np.ndarray, name: str) -> tuple[Counts, Counts]:
    unused = [lab for lab, n in zip(labels, instances.tolist()) if n == 0]
    if unused:
        warnings.warn(
            f"{name}: {len(unused)} class(es) have no annotation and are left out, e.g. {unused[:5]}",
            stacklevel=3,
        )
    keep = instances > 0
    if not keep.any():
        raise InputError(f"{name}: no annotations; there is nothing to count")
    kept = np.asarray(labels, dtype=object)[keep]
    return Counts.from_codes(kept, instances[keep]), Counts.from_codes(kept, images[keep])


# -- YOLO -----------------------------------------------------------------------------------------


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
    root = Path(os.fspath(path))
    name = str(root)
    if not root.exists():
        raise InputError(f"{name}: no such folder; check the path")
    if not root.is_dir():
        raise InputError(f"{name}: not a folder; pass the YOLO data set folder (with labels/)")
    files = _yolo_label_files(root)
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
        labels = _disambiguate(id_names, list(range(k)), name)
    inst = np.array([instances.get(i, 0) for i in range(k)], dtype=np.int64)
    imgs = np.array([images.get(i, 0) for i in range(k)], dtype=np.int64)
    if id_names is None:  # ids never seen between 0 and the largest are not classes we know of
        seen = inst > 0
        labels = [lab for lab, s in zip(labels, seen.tolist()) if s]
        inst, imgs = inst[seen], imgs[seen]
    if not inst.size or not inst.any():
        raise InputError(f"{name}: the {len(files)} label file(s) hold no object; there is nothing to count")
    return _pair(labels, inst, imgs, name)


def _yolo_label_files(root: Path) -> list[Path]:
    dirs = [root] if root.name == "labels" else _label_dirs(root)
    files: list[Path] = []
    if dirs:
        for d in dirs:
            for r, _ds, fs in _walk(d):
                files.extend(Path(r) / f for f in fs if _is_label_file(f))
    else:
        files = [Path(e.path) for e in _scandir(root) if e.is_file() and _is_label_file(e.name)]
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
            for e in _scandir(folder):
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


def _sniff_yolo(f: Path) -> bool:
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


def _find_names_file(root: Path) -> Path | None:
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
                warnings.warn(f"{cand}: cannot read class names ({exc}); using class ids as labels", stacklevel=3)
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
    """``names:`` of a YOLO data.yaml (PyYAML if installed, else a small subset parser); None if absent."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        warnings.warn(f"{path}: cannot read ({exc}); using class ids as labels", stacklevel=4)
        return None
    try:
        import yaml  # PyYAML, optional
    except ImportError:
        yaml = None
    if yaml is not None:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            warnings.warn(f"{path}: invalid YAML ({' '.join(str(exc).split())[:120]}); using class ids as labels", stacklevel=4)
            return None
        if not isinstance(doc, dict) or "names" not in doc:
            return None
        try:
            return _names_from_value(doc["names"], f"{path}: names")
        except InputError as exc:
            warnings.warn(f"{exc}; using class ids as labels", stacklevel=4)
            return None
    try:
        return parse_yaml_names(text)
    except ValueError as exc:
        warnings.warn(f"{path}: cannot parse 'names:' ({exc}); using class ids as labels", stacklevel=4)
        return None


def _scalar(text: str) -> str:
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        if t[0] == "'":
            return t[1:-1].replace("''", "'")
        try:
            return str(json.loads(t))  # a YAML double-quoted scalar is close to a JSON string
        except ValueError:
            return t[1:-1]
    return t


def _split_flow(body: str) -> list[str]:
    """Items of a YAML flow sequence body (``a, 'b, c', "d"``)."""
    items, cur, quote = [], "", None
    for ch in body:
        if quote:
            cur += ch
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            cur += ch
        elif ch == ",":
            items.append(cur)
            cur = ""
        else:
            cur += ch
    if quote:
        raise ValueError("unterminated quote in the names list")
    if cur.strip():
        items.append(cur)
    return [_scalar(i) for i in items]


def _strip_comment(line: str) -> str:
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def parse_yaml_names(text: str) -> list[str] | None:
    """The ``names:`` entry of a YOLO data.yaml without PyYAML.

    Supports the forms Ultralytics writes: a flow list (``names: [a, 'b c']``), a
    block list (``- a`` lines) and a block mapping (``0: a`` lines), with comments.
    Returns None when there is no top-level ``names:``; raises ValueError otherwise
    when the form is not one of those.
    """
    lines = [_strip_comment(ln) for ln in text.splitlines()]
    for i, line in enumerate(lines):
        m = re.match(r"names\s*:(.*)$", line)
        if not m:
            continue
        rest = m.group(1).strip()
        if rest.startswith("["):
            body = rest
            j = i
            while not body.rstrip().endswith("]"):
                j += 1
                if j >= len(lines):
                    raise ValueError("unterminated [ list")
                body += " " + lines[j].strip()
            return _split_flow(body.strip()[1:-1])
        if rest.startswith("{"):
            body = rest
            j = i
            while not body.rstrip().endswith("}"):
                j += 1
                if j >= len(lines):
                    raise ValueError("unterminated { mapping")
                body += " " + lines[j].strip()
            mapping = {}
            for item in _split_flow(body.strip()[1:-1]):
                k, _, v = item.partition(":")
                mapping[k.strip()] = _scalar(v)
            return _names_from_value(mapping, "names")
        if rest:
            raise ValueError(f"unsupported names value {rest[:40]!r}")
        items: list[str] = []
        mapping: dict = {}
        for ln in lines[i + 1 :]:
            if not ln.strip():
                continue
            if not ln[:1].isspace() and not ln.lstrip().startswith("-"):
                break  # the next top-level key
            s = ln.strip()
            if s.startswith("-"):
                items.append(_scalar(s[1:]))
            else:
                k, sep, v = s.partition(":")
                if not sep:
                    raise ValueError(f"unexpected line {s[:40]!r}")
                mapping[k.strip()] = _scalar(v)
        if items and mapping:
            raise ValueError("names mixes a list and a mapping")
        return items if items else _names_from_value(mapping, "names")
    return None
