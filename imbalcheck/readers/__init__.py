"""The one input layer: every source becomes a stream of columns for a consumer, or a layout's counts.

:func:`read` takes a path (a file, ``"-"`` for standard input, a data-set folder) or an
in-memory object and a :class:`~.spec.ReadSpec`, and returns a :class:`Reading`:

* a path goes through one detection (:mod:`.detect`: ``--layout``, the folder, COCO
  files; ``--input-format``, the extension, or the content), one decoding
  (:mod:`.source`: gzip, encoding, byte order mark) and one error mapping (every failure
  is a one-line :class:`~imbalcheck.errors.InputError`);
* a format module (:mod:`.csv`, :mod:`.parquet`, :mod:`.json`, :mod:`.txt`) or
  :mod:`.objects` streams the chosen columns to the consumer the options call for
  (:mod:`imbalcheck.tally`: labels counted, a label,count table, label sets);
* a layout (:mod:`.vision`: ImageFolder, COCO, YOLO) is counted from the data set's
  structure.

Importing this package is cheap: pyarrow, numpy and pandas are imported only when a
function needs them (pandas only for pandas objects).
"""

from __future__ import annotations

import dataclasses
import io
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..counts import Counts
    from .spec import ReadSpec

__all__ = ["Reading", "read", "read_counts"]


@dataclass(frozen=True)
class Reading:
    """What a reader found: the data, the source's display name, the column(s) read, the format, and
    ``unsampled``: class names the input declares (a dataset's ``ClassLabel`` names, a PyTorch data
    set's ``.classes``) that have no sample."""

    data: object  # Counts, LabelMatrix, or a list of row labels
    source: str
    column: object = None
    input_format: str = "object"
    delimiter: str | None = None
    unsampled: tuple = ()
    per_class: dict = field(default_factory=dict)  # COCO/YOLO: {"instances": Counts, "images": Counts}


def is_path(obj) -> bool:
    return isinstance(obj, (str, os.PathLike))


def is_stream(obj) -> bool:
    """An open file object (binary or text), read like a file given by path."""
    return not is_path(obj) and callable(getattr(obj, "read", None)) and hasattr(obj, "readable")


def resolve_layout(source, spec: ReadSpec) -> str | None:
    """The data-set layout a path is read as: ``--layout``, else detected for a folder or a
    ``.json`` file (None for a labels file, standard input or an in-memory object)."""
    from pathlib import Path

    from ..errors import ConfigError, InputError
    from .source import STDIN

    layout = spec.layout
    if layout is not None and (is_stream(source) or source == STDIN):
        what = "an open file" if is_stream(source) else "standard input"
        raise ConfigError(f"--layout {layout} reads a data-set folder or a COCO file, not {what}; pass its path")
    if not is_path(source):
        return None
    if layout is None and source != STDIN and spec.input_format is None:
        path = Path(source)
        if path.is_dir() or path.name.lower().endswith((".json", ".json.gz")):
            from .vision import detect_layout

            layout = detect_layout(path)
            if layout is None and path.is_dir():
                from .hf import folder_kind

                if folder_kind(path) is not None:
                    raise ConfigError(f"{os.fspath(source)}: a Hugging Face dataset folder; imbalcheck profile reads "
                                      "it (one split: --dataset-split NAME); here pass one of its parquet files "
                                      "(e.g. data/train-00000-of-00001.parquet), whose class names are kept")
                raise InputError(f"{os.fspath(source)}: a folder, but not an ImageFolder, COCO or YOLO layout; pass "
                                 "a labels file inside it, or --layout imagefolder|coco|yolo")
    return layout


def read(source, spec: ReadSpec, *, consumer=None) -> Reading:
    """Read ``source`` as ``spec`` says (see the module docstring).

    ``consumer`` replaces the one ``spec`` calls for (e.g. :class:`~imbalcheck.tally.rows.RowLabels`).
    """
    if not is_path(source) and not is_stream(source):
        from .objects import read_object

        return read_object(source, spec, consumer)
    from .. import defaults
    from ..errors import ConfigError
    from .detect import detect_format
    from .source import STDIN, Source

    src = Source(source)
    name = src.name
    if spec.encoding is not None and isinstance(source, io.TextIOBase):
        raise ConfigError(f"{name}: encoding= does not apply to a text file object, which is decoded already; "
                          "open the file in binary mode ('rb') or drop encoding")
    layout = resolve_layout(source, spec)
    if layout is not None:
        if consumer is not None:
            raise ConfigError(f"{name}: {defaults.LAYOUT_NAMES[layout]} has no label rows in a file's order, which "
                              "this command needs; pass the per-sample labels (e.g. a CSV with one row per sample)")
        return _read_layout(source, name, layout, spec)

    codec = _codec(spec, src.name)
    fmt = None
    try:
        src.probe()
        fmt = detect_format(src.name, _utf8_head(src.head, codec), spec.input_format,
                            exclude=(spec.sep or defaults.MULTI_LABEL_SEP) if spec.multi_label else None)
        spec.check_applies(fmt, f"{fmt} input")
        if fmt == "parquet" and consumer is None and not spec.counts and src.path is not None:
            from .hf import classlabel_parquet

            named = classlabel_parquet(source, spec.column, spec.is_multi_label, src.name)
            if named is not None:  # a parquet file from the Hub: ClassLabel ids read as their names
                from .objects import read_object

                values, column, _, unsampled = named
                inner = read_object(values, dataclasses.replace(spec, column=None))
                return Reading(inner.data, src.name, column, "parquet", unsampled=unsampled)
        consumer = consumer or spec.consumer()
        delimiter = _reader(fmt)(src, consumer, fmt=fmt, codec=codec, delimiter=spec.delimiter)
        what = {"txt": "lines", "json": "records", "jsonl": "records"}.get(fmt, "rows")
        data = consumer.finish(src.name, what)
        if fmt != "parquet" and hasattr(data, "label_kind"):
            # text formats carry no type: how scikit-learn orders the labels is inferred from them later
            data = dataclasses.replace(data, label_kind=None)
    except _passthrough():
        raise
    except Exception as exc:
        from .source import to_input_error

        raise to_input_error(exc, src, fmt or "input", codec) from exc
    return Reading(data, src.name, consumer.column, fmt, delimiter if fmt in ("csv", "tsv") else None)


def _utf8_head(head: bytes, codec: str) -> bytes:
    """The first bytes of the content as UTF-8, for telling the format (``--encoding`` applies)."""
    from .detect import content_head
    from .source import is_utf8

    if is_utf8(codec):
        return head
    return content_head(head).decode(codec, "ignore").encode("utf-8")


def _passthrough() -> tuple:
    from ..errors import ImbalcheckError

    return (ImbalcheckError, MemoryError, KeyboardInterrupt)


def _codec(spec: ReadSpec, name: str) -> str:
    from .source import codec_name

    return codec_name(spec.codec, name)


def _reader(fmt: str):
    import importlib

    module = {"csv": "csv", "tsv": "csv", "parquet": "parquet", "jsonl": "json", "json": "json", "txt": "txt"}[fmt]
    return importlib.import_module(f".{module}", __name__).read


def _read_layout(source, name: str, layout: str, spec: ReadSpec) -> Reading:
    from .. import defaults
    from ..defaults import LAYOUT_NAMES
    from .vision import read_layout

    spec.check_applies(layout, LAYOUT_NAMES[layout])
    names = _mask_names(spec.classes) if layout == "masks" and spec.classes is not None else None
    counts, per_class, unsampled = read_layout(source, layout, spec.count or defaults.VISION_COUNT, names=names,
                                               ignore_index=255 if spec.ignore_index is None else spec.ignore_index)
    return Reading(counts, name, None, layout, unsampled=tuple(unsampled), per_class=per_class)


def _mask_names(path) -> list[str]:
    """``--classes`` for masks: line i names class i (trailing blank lines dropped)."""
    from ..errors import InputError

    try:
        with open(path, encoding="utf-8-sig") as f:
            lines = [line.strip() for line in f.read().splitlines()]
    except OSError:
        raise InputError(f"--classes {path}: no such file; check the path") from None
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        raise InputError(f"--classes {path}: the file holds no class name; line i names class i")
    return lines


def read_counts(source, **options) -> Counts:
    """The label counts of ``source`` (a path, ``"-"`` or an in-memory object) read with the
    reading ``options`` of :class:`~.spec.ReadSpec` (``column=``, ``counts=True``, ...)."""
    from .spec import ReadSpec

    return read(source, ReadSpec.create(**options)).data
