"""Hugging Face ``datasets``: a ``Dataset`` or ``DatasetDict`` object, a ``save_to_disk`` folder, or
the Hub's parquet layout (``data/{split}-NNNNN-of-NNNNN.parquet`` or ``{split}/*.parquet``).

Only the label column is read, as Arrow (no image or audio is decoded). Class names come from
the dataset's features (``ClassLabel``, also from the parquet schema's ``huggingface`` metadata),
never from guessing: a ``ClassLabel`` id becomes its name, -1 (the Hub's "no label") is a
missing label, and a list of ``ClassLabel`` is a multi-label column. ``datasets`` is imported
only for a ``datasets`` object or a ``save_to_disk`` folder (the ``hf`` extra).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, InputError, MissingDependencyError, warn
from .columns import LABEL_NAMES

HF_INSTALL_HINT = "reading a Hugging Face dataset needs datasets; install it with: pip install 'datasets>=2.14' (the hf extra)"
#: A shard of the Hub's layout: ``{split}-00000-of-00001.parquet``, optionally with the hash suffix
#: older uploads carry (``-5a3f...``).
_SHARD = re.compile(r"^(?P<split>[A-Za-z0-9_.]+?)-\d{5}-of-\d{5}(-[0-9a-f]+)?\.parquet$")


@dataclass
class Split:
    """One split's label column: ``values`` (an Arrow array: names, or lists of names for label sets)."""

    name: str
    values: object
    column: str
    multi_label: bool
    unsampled: tuple = ()


def is_dataset_object(obj) -> bool:
    """A ``datasets.Dataset`` or ``DatasetDict`` (an ``IterableDataset`` or a ``Column`` is not: the
    object reader refuses them with how to pass their labels)."""
    module = (type(obj).__module__ or "").split(".")[0]
    if module != "datasets":
        return False
    if isinstance(obj, Mapping):
        return all(hasattr(v, "select_columns") and hasattr(v, "with_format") for v in obj.values())
    return hasattr(obj, "select_columns") and hasattr(obj, "with_format") and hasattr(obj, "features")


def folder_kind(path) -> str | None:
    """``"disk"`` for a ``save_to_disk`` folder, ``"parquet"`` for the Hub's parquet layout, else None."""
    if not isinstance(path, (str, os.PathLike)) or str(path) == "-":
        return None
    p = Path(path)
    if not p.is_dir():
        return None
    if (p / "dataset_dict.json").is_file() or ((p / "dataset_info.json").is_file() and (p / "state.json").is_file()):
        return "disk"
    return "parquet" if _parquet_splits(p) else None


def _parquet_splits(p: Path) -> dict[str, list[Path]]:
    """Split -> shards: ``data/{split}-NNNNN-of-NNNNN.parquet`` (also in a config folder such as
    ``sst2/``), else ``{split}/*.parquet``."""
    out: dict[str, list[Path]] = {}
    folders = [p / "data", p, *sorted(x for x in p.iterdir() if x.is_dir() and not x.name.startswith("."))]
    for folder in folders:
        if out or not folder.is_dir():
            continue
        for f in sorted(folder.glob("*.parquet")):
            m = _SHARD.match(f.name)
            if m:
                out.setdefault(m.group("split"), []).append(f)
    if not out:
        for d in sorted(x for x in p.iterdir() if x.is_dir() and not x.name.startswith(".")):
            files = sorted(d.glob("*.parquet"))
            if files:
                out[d.name] = files
    return out


def _datasets():
    try:
        import datasets
    except ImportError:
        raise MissingDependencyError(HF_INSTALL_HINT) from None
    return datasets


def read_splits(source, column=None, split: str | None = None) -> tuple[str, list[Split]]:
    """``(name, splits)`` of a dataset object, a ``save_to_disk`` folder or a Hub parquet folder;
    ``split`` keeps one split (an unknown name is an error naming the splits there are). A file
    that cannot be read is an :class:`InputError` naming it."""
    from ..errors import ImbalcheckError

    try:
        return _read_splits(source, column, split)
    except (ImbalcheckError, MemoryError):
        raise
    except Exception as exc:  # a truncated shard, metadata that is not JSON, a missing split folder
        from .source import clip

        name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else f"<{type(source).__name__}>"
        raise InputError(f"{name}: cannot read the dataset ({clip(exc)}); check its files") from None


def _read_splits(source, column, split):
    if is_dataset_object(source):
        name = f"<{type(source).__name__}>"
        tables = ({"<dataset>": source} if hasattr(source, "features") else dict(source))
        found = {k: _from_dataset(ds, column, _where(name, k)) for k, ds in _pick(tables, split, name).items()}
    elif folder_kind(source) == "disk":
        name = os.fspath(source)
        loaded = _datasets().load_from_disk(name)
        tables = {"<dataset>": loaded} if hasattr(loaded, "features") else dict(loaded)
        found = {k: _from_dataset(ds, column, _where(name, k)) for k, ds in _pick(tables, split, name).items()}
    else:
        name = os.fspath(source)
        files = _pick(_parquet_splits(Path(name)), split, name)
        found = {k: _from_parquet(paths, column, _where(name, k)) for k, paths in files.items()}
    return name, [Split(k, *v) for k, v in found.items()]


def _where(name: str, split: str) -> str:
    return name if split == "<dataset>" else f"{name} [{split}]"


#: Splits in this order first (the first is the one every other is compared with), then the rest by name.
SPLIT_ORDER = ("train", "validation", "valid", "dev", "test")


def _pick(splits: dict, wanted: str | None, name: str) -> dict:
    if not splits:
        raise InputError(f"{name}: no splits found; a Hub dataset folder holds data/{{split}}-*.parquet files")
    rank = {s: i for i, s in enumerate(SPLIT_ORDER)}
    ordered = {k: splits[k] for k in sorted(splits, key=lambda k: (rank.get(k, len(rank)), str(k)))}
    if wanted is None:
        return ordered
    if list(splits) == ["<dataset>"]:
        raise ConfigError(f"--dataset-split {wanted!r}: {name} is one Dataset, not a DatasetDict; drop it")
    if wanted not in splits:
        raise ConfigError(f"--dataset-split {wanted!r}: {name} has the splits {', '.join(map(str, ordered))}")
    return {wanted: splits[wanted]}


def _choose(features, column, name: str) -> str:
    """The label column: ``column``, else the one ``ClassLabel`` (or list of ``ClassLabel``) column,
    else a column named label, labels, target, class or y."""
    names = list(features)
    if column is not None:
        if column not in features:
            raise InputError(f"{name}: no column named {column!r}; available columns: {', '.join(names)} "
                             "(use --column NAME)")
        return column
    labelled = [k for k, f in features.items() if _class_label(f) is not None]
    if len(labelled) == 1:
        return labelled[0]
    if len(labelled) > 1:
        raise InputError(f"{name}: several ClassLabel columns ({', '.join(labelled)}); pick one with --column NAME")
    named = [k for k in names if k.lower() in LABEL_NAMES]
    if named:
        return named[0]
    raise InputError(f"{name}: no ClassLabel column and no column named label/target/class; available columns: "
                     f"{', '.join(names)} (use --column NAME)")


def _is_class_label(feature) -> bool:
    return isinstance(getattr(feature, "names", None), list) and getattr(feature, "feature", None) is None


def _class_label(feature):
    """``(ClassLabel, is_list)`` when the feature is a ClassLabel or a list (``Sequence``, ``List``)
    of them, else None."""
    if _is_class_label(feature):
        return feature, False
    inner = feature[0] if isinstance(feature, list) and len(feature) == 1 else getattr(feature, "feature", None)
    return (inner, True) if _is_class_label(inner) else None


def _from_dataset(ds, column, name: str):
    col = _choose(ds.features, column, name)
    table = ds.select_columns([col]).with_format("arrow")[:]  # the column as Arrow, after any select()
    return _named(table.column(col).combine_chunks(), ds.features[col], col, name)


def _from_parquet(paths: list[Path], column, name: str):
    import pyarrow.parquet as pq

    schema = pq.read_schema(paths[0])
    features = _features_of(schema)
    col = _choose(features, column, name)
    table = pq.read_table([os.fspath(p) for p in paths] if len(paths) > 1 else paths[0], columns=[col])
    return _named(table.column(col).combine_chunks(), features[col], col, name)


def _features_of(schema) -> dict:
    """The dataset's features from the parquet schema's ``huggingface`` metadata (class names
    included), or plain column names when the file has none."""
    meta = (schema.metadata or {}).get(b"huggingface")
    if meta:
        try:
            return dict(_datasets().Features.from_arrow_schema(schema))
        except MissingDependencyError:
            import json

            found = json.loads(meta).get("info", {}).get("features", {})
            return {k: _LooseFeature(v) for k, v in found.items()}
    return {k: None for k in schema.names}


class _LooseFeature:
    """A feature read from the metadata's JSON without ``datasets``: ClassLabel ``names`` and the
    ``feature`` of a list, as :func:`_class_label` reads them."""

    def __init__(self, spec):
        kind = spec.get("_type") if isinstance(spec, dict) else None
        self.names = list(spec.get("names") or []) if kind == "ClassLabel" else None
        inner = spec.get("feature") if isinstance(spec, dict) and kind in ("Sequence", "List", "LargeList") else None
        self.feature = _LooseFeature(inner) if inner is not None else None


def _named(values, feature, col: str, name: str):
    """``(values, column, multi_label, unsampled)``: ClassLabel ids as names (-1 missing), lists of them as
    label sets, and the ClassLabel names without a sample."""
    import pyarrow as pa

    found = _class_label(feature) if feature is not None else None
    if found is None:
        return values, col, pa.types.is_list(values.type) or pa.types.is_large_list(values.type), ()
    label, is_list = found
    names = [str(n) for n in label.names]
    lookup = pa.array(names + [None], type=pa.string())
    import numpy as np

    from .kernels import take

    ids = values.flatten() if is_list else values
    codes = np.asarray(ids.to_numpy(zero_copy_only=False), dtype=np.float64)
    codes = np.where(np.isnan(codes) | (codes < 0), -1, codes).astype(np.int64)
    if (codes >= len(names)).any():
        raise InputError(f"{name}: column {col!r} holds the id {int(codes.max())}, beyond its {len(names)} class "
                         "names; check the dataset's features")
    spelled = take(lookup, pa.array(np.where(codes < 0, len(names), codes)))
    present = set(np.unique(codes[codes >= 0]).tolist())
    missing = [n for i, n in enumerate(names) if i not in present]
    if missing:
        warn(f"{name}: {len(missing)} of the {len(names)} ClassLabel names of {col!r} "
             f"{'has' if len(missing) == 1 else 'have'} no sample, e.g. {missing[:5]}")
    if is_list:
        return pa.ListArray.from_arrays(values.offsets, spelled), col, True, tuple(missing)
    return spelled, col, False, tuple(missing)


def classlabel_parquet(path, column, multi_label: bool, name: str):
    """``(values, column, multi_label, unsampled)`` when ``path`` is a parquet file written by
    ``datasets`` (``huggingface`` schema metadata) whose label column is a ``ClassLabel`` (a list
    of them with ``multi_label``): its ids read as class names. None otherwise (the plain reader
    then reads the file)."""
    import pyarrow.parquet as pq

    try:  # the footer only (no pre-buffered chunks); a gzipped or broken file: the plain reader reports it
        with pq.ParquetFile(path, pre_buffer=False) as f:
            schema = f.schema_arrow
    except Exception:
        return None
    if b"huggingface" not in (schema.metadata or {}):
        return None
    try:
        features = _features_of(schema)
        col = _choose(features, column, name)
    except (InputError, ValueError):
        return None
    found = _class_label(features[col]) if features.get(col) is not None else None
    if found is None or found[1] != multi_label:
        return None
    return _from_parquet([Path(path)], col, name)
