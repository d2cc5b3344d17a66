"""In-memory objects: the same consumers as files, fed from Python, numpy, pandas and Arrow.

Accepted:

* a pandas DataFrame (``column=`` picks the label column), Series, Index or Categorical;
  a pyarrow Table, RecordBatch, Array or ChunkedArray; a 1-D numpy array; a list, tuple,
  range or iterator of labels; a mapping label -> count (always a counts table);
  a :class:`~imbalcheck.counts.Counts`;
* with ``counts=True``: a Series (labels in the index, counts as values), a DataFrame or
  Table with label and count columns, or a sequence of ``(label, count)`` pairs;
* multi-label: a sequence (or Series) of label collections or ``sep``-delimited strings,
  a DataFrame of indicator columns (``one_hot=`` / ``one_hot_prefix=``), or a 2-D
  indicator matrix (numpy or scipy.sparse; ``one_hot=`` names its columns).

Values are spelled as :mod:`.spelling` says (``1.0`` -> "1", ``True`` -> "true");
``None``, NaN, ``pd.NA``, ``NaT`` and the empty string are missing labels. Anything
else (a dataset object, a list of records) is an :class:`InputError` naming what it
got: the library never iterates an object it does not know (a dataset would load
every sample) and never counts records as labels. pandas is imported only for pandas
objects.
"""

from __future__ import annotations

import collections.abc as abc
import dataclasses
from collections import Counter

import numpy as np

from ..counts import Counts
from ..errors import ConfigError, ImbalcheckError, InputError, warn
from . import Reading
from .source import clip
from .kernels import string_array
from .spelling import kind_of, python_label

OPTION = "column=NAME"
#: Modules of data set objects that must not be iterated (each item would be a loaded sample).
_DATASET_MODULES = ("datasets", "torch", "torchvision", "tensorflow", "keras", "tensorflow_datasets")


def read_object(obj, spec, consumer=None) -> Reading:
    """Read an in-memory object as ``spec`` says (see the module docstring)."""
    what = _describe(obj)
    spec.check_applies("object", f"an in-memory {what}")
    if isinstance(obj, Counts):
        return _counts(obj, spec, what)
    obj = _native(obj)
    unsampled, kind = (), type(obj).__name__
    labels = dataset_labels(obj)
    if labels is not None:
        (obj, unsampled), what = labels, f"{what} targets"
    _refuse_datasets(obj, what)
    if isinstance(obj, abc.Mapping):  # a mapping is always a label -> count table
        what = "mapping"
        if spec.is_multi_label:
            raise ConfigError("mapping: a label -> count mapping is a single-label counts table; drop multi_label")
        if any(isinstance(v, (list, tuple, set, np.ndarray)) for v in obj.values()):
            raise InputError("mapping: its values are lists, like columns; a mapping is read as label -> count: "
                             "pass pd.DataFrame(mapping) with column=NAME, or the list of labels")
        spec = dataclasses.replace(spec, counts=True)
    consumer = consumer or spec.consumer(option=OPTION)
    try:
        _dispatch(obj, spec, consumer, what)
    except (ImbalcheckError, MemoryError):
        raise
    except Exception as exc:  # never a raw library error: one line that names the object
        raise InputError(f"{what}: cannot read labels from this object ({clip(exc)}); pass label values "
                         "(text, numbers or booleans), or multi_label=True for label sets") from exc
    data = consumer.finish(what, "values")
    return Reading(data, f"<{kind}>", consumer.column, "object", unsampled=tuple(str(x) for x in unsampled))


def _native(obj):
    """A polars object as Arrow, a torch tensor as numpy: read without copying through Python."""
    module = (type(obj).__module__ or "").split(".")[0]
    if module == "polars" and hasattr(obj, "to_arrow"):
        return obj.to_arrow()
    if module == "torch" and hasattr(obj, "detach") and hasattr(obj, "numpy"):
        return obj.detach().cpu().numpy()
    return obj


def _dispatch(obj, spec, consumer, what: str) -> None:
    module = type(obj).__module__ or ""
    arrow_array = module.startswith("pyarrow") and hasattr(obj, "type") and not hasattr(obj, "schema")
    if spec.counts and (isinstance(obj, np.ndarray) or arrow_array or type(obj).__name__ in ("Index", "Categorical")):
        raise InputError(f"{what}: counts=True needs labels and their counts; pass a Series of counts (labels in "
                         "the index), a DataFrame or table with label and count columns, (label, count) pairs or "
                         "a mapping")
    if module.startswith("pandas"):
        _from_pandas(obj, spec, consumer, what)
    elif module.startswith("pyarrow"):
        _from_arrow(obj, spec, consumer, what)
    elif _is_matrix(obj, spec):
        _from_matrix(obj, spec, consumer, what)
    elif isinstance(obj, abc.Mapping):
        _no_column(spec, what)
        _from_pairs(list(obj.items()), consumer, what)
    elif isinstance(obj, np.ndarray):
        _from_numpy(obj, spec, consumer, what)
    elif isinstance(obj, (list, tuple, range, abc.Iterator)):
        _from_values(list(obj), spec, consumer, what)
    elif isinstance(obj, (str, bytes, bytearray)):
        raise InputError(f"{what}: a single string is not a list of labels; pass a list, array or Series of labels")
    else:
        raise InputError(f"{what}: cannot read labels from this object; pass a list, array, pandas Series or "
                         "DataFrame, a pyarrow table, or a label -> count mapping")


def dataset_labels(ds) -> tuple[list, tuple] | None:
    """``(labels, unsampled)`` of a PyTorch-style data set read from its attributes, never from its
    samples: ``.targets`` (CIFAR10, MNIST, ImageFolder) or ``.samples`` / ``.imgs`` of
    ``(path, class_index)`` (torchvision ``DatasetFolder``), class indices named by ``.classes``
    (``unsampled``: the names without a sample), and a ``torch.utils.data.Subset`` (``.dataset``
    and ``.indices``, nested too) as the labels of its indices. None for any other object."""
    if hasattr(ds, "dataset") and hasattr(ds, "indices") and not isinstance(ds, (abc.Mapping, np.ndarray)):
        inner = dataset_labels(ds.dataset)
        if inner is None:
            return None
        index = _native(ds.indices)
        every, unsampled = inner
        positions = [int(i) for i in (index.tolist() if hasattr(index, "tolist") else index)]
        bad = next((i for i in positions if not -len(every) <= i < len(every)), None)
        if bad is not None:
            raise InputError(f"{type(ds).__name__}: index {bad} is outside its data set's {len(every):,} samples")
        labels = [every[i] for i in positions]
        present = set(labels)  # the subset lacks the classes of its data set that none of its indices holds
        return labels, tuple(n for n in dict.fromkeys([*every, *unsampled]) if n not in present)
    module = (type(ds).__module__ or "").split(".")[0]
    if module in ("pandas", "pyarrow", "numpy", "polars") or isinstance(ds, (list, tuple, abc.Mapping, str)):
        return None
    targets = getattr(ds, "targets", None)
    if targets is None:
        samples = getattr(ds, "samples", None) or getattr(ds, "imgs", None)
        if isinstance(samples, (list, tuple)) and all(isinstance(s, (list, tuple)) and len(s) == 2 for s in samples):
            targets = [s[1] for s in samples]
    if targets is None:
        return None
    targets = _native(targets)
    values = targets.tolist() if hasattr(targets, "tolist") else list(targets)
    values = [v.item() if hasattr(v, "item") and getattr(v, "ndim", 1) == 0 else v for v in values]  # 0-d tensors
    classes = getattr(ds, "classes", None)
    if isinstance(classes, (list, tuple)) and classes and all(isinstance(v, (int, np.integer)) for v in values):
        if any(not 0 <= v < len(classes) for v in values):
            raise InputError(f"{type(ds).__name__}: a target is outside 0..{len(classes) - 1}, the indices of "
                             ".classes; check the data set")
        names = [str(c) for c in classes]
        present = set(values)
        missing = [n for i, n in enumerate(names) if i not in present]
        if missing:
            warn(f"{type(ds).__name__}: {len(missing)} of its {len(names)} classes "
                 f"{'has' if len(missing) == 1 else 'have'} no sample, e.g. {missing[:5]}")
        return [names[v] for v in values], tuple(missing)
    return values, ()


def _describe(obj) -> str:
    name = type(obj).__name__
    label = getattr(obj, "name", None) if (type(obj).__module__ or "").startswith("pandas") else None
    return f"{name} {str(label)!r}" if isinstance(label, (str, int)) and name == "Series" else name


def _refuse_datasets(obj, what: str) -> None:
    module = (type(obj).__module__ or "").split(".")[0]
    if module in _DATASET_MODULES or (hasattr(obj, "__getitem__") and hasattr(obj, "__len__")
                                      and not isinstance(obj, (list, tuple, range, str, bytes, bytearray,
                                                               abc.Mapping, np.ndarray))
                                      and not module.startswith(("pandas", "pyarrow", "scipy"))):
        full = f"{type(obj).__module__}.{type(obj).__name__}"
        if module == "datasets":
            raise InputError(f"{full}: imbalcheck.profile reads a datasets.Dataset or DatasetDict; elsewhere pass "
                             "the label names, e.g. ds.features['label'].int2str(ds['label'])")
        raise InputError(f"{full}: imbalcheck cannot read this data set object without loading every sample; "
                         "pass its labels, e.g. imbalcheck.profile([y for _, y in ds]) or a label column")


def _counts(data: Counts, spec, what: str) -> Reading:
    if spec.is_multi_label or spec.column is not None:
        raise ConfigError(f"{what}: a Counts table is already counted; drop the reading options")
    from ..labels import clean_labels

    cleaned = clean_labels(data, na_values=spec.na_values, strip=spec.strip, numeric=spec.numeric_labels,
                           source=what)
    return Reading(cleaned, "<Counts>", None, "object")


def _no_column(spec, what: str) -> None:
    if spec.column is not None or spec.count_column is not None:
        key, value = ("column", spec.column) if spec.column is not None else ("count_column", spec.count_column)
        raise ConfigError(f"{what}: {key}={value!r} only applies to a DataFrame or table; drop it")


# -- python ----------------------------------------------------------------------------------------


def _from_values(values: list, spec, consumer, what: str) -> None:
    _no_column(spec, what)
    if spec.counts:
        _from_pairs(values, consumer, what)
        return
    if spec.is_multi_label:
        if spec.indicator:
            _from_matrix(values, spec, consumer, what)
            return
        consumer.choose(what, [None])
        consumer.add([consumer.python_lists(values, what)])
        return
    _add_python(values, consumer, what)


def _add_python(values, consumer, what: str, kind: str | None = None) -> None:
    """Count Python values (each spelled once) and hand the distinct ones to the consumer."""

    consumer.choose(what, [None])
    labels = []
    for i, v in enumerate(values):
        try:
            labels.append(v if type(v) is str else python_label(v))
        except TypeError:
            raise InputError(f"{what}: item {i + 1} is {kind_of(v)}, not a label; pass the label values "
                             "(e.g. [row['label'] for row in rows]), or multi_label=True for label sets") from None
    if not labels:
        raise InputError(f"{what}: no labels; the object is empty")
    tally = Counter(labels)
    if hasattr(consumer, "add_counted"):
        consumer.add_counted(string_array(list(tally)), np.fromiter(tally.values(), np.int64, len(tally)), kind)
    else:
        consumer.add([string_array(labels)])


def _from_pairs(pairs: list, consumer, what: str) -> None:
    """``(label, count)`` pairs as a label,count table."""
    import pyarrow as pa

    if not pairs:
        raise InputError(f"{what}: no labels; the object is empty")
    if not all(isinstance(p, (tuple, list)) and len(p) == 2 for p in pairs):
        raise InputError(f"{what}: with counts=True pass (label, count) pairs, a Series of counts or a mapping")
    consumer.choose(what, ["label", "count"])
    try:
        labels = string_array([python_label(lab) for lab, _ in pairs])
    except TypeError:
        bad = next(lab for lab, _ in pairs if isinstance(lab, (tuple, list, dict, set, frozenset)))
        raise InputError(f"{what}: label {clip(repr(bad), 40)} is {kind_of(bad)}, not a label; a label is text, "
                         "a number or a boolean") from None
    values = [n for _, n in pairs]
    numeric = all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
                  for v in values)
    counts = (pa.Array.from_buffers(pa.float64(), len(values), [None, pa.py_buffer(np.asarray(values, np.float64))])
              if numeric else string_array([None if v is None else str(v) for v in values]))
    consumer.add([labels, counts])


# -- numpy and matrices ----------------------------------------------------------------------------


def _is_matrix(obj, spec) -> bool:
    sparse = hasattr(obj, "tocsr") and hasattr(obj, "nnz")
    return sparse or (spec.is_multi_label and isinstance(obj, np.ndarray) and obj.ndim == 2)


def _from_matrix(obj, spec, consumer, what: str) -> None:
    """A 2-D indicator matrix (rows holding NaN are missing); ``one_hot=`` names its columns."""
    import scipy.sparse as sp

    if not spec.is_multi_label:
        raise InputError(f"{what}: a 2-D matrix is not a list of labels; pass one column, or multi_label=True "
                         "for an indicator matrix")
    if spec.one_hot_prefix is not None:
        raise ConfigError(f"{what}: a matrix has no column names to match one_hot_prefix=; name its columns "
                          "with one_hot=[...]")
    if sp.issparse(obj):
        Y = sp.csr_matrix(obj)
        data = np.asarray(Y.data, dtype=np.float64)
        if np.isnan(data).any():
            raise InputError(f"{what}: a sparse indicator matrix cannot mark missing rows with NaN; drop those rows")
        bad = (data != 0) & (data != 1)
        missing = np.zeros(Y.shape[0], dtype=bool)
    else:
        try:
            arr = np.asarray(obj, dtype=np.float64)
        except (TypeError, ValueError):
            raise InputError(f"{what}: indicator rows must hold 0/1 or bool numbers of equal length") from None
        if arr.ndim != 2:
            raise InputError(f"{what}: expected a 2-D indicator matrix (samples x labels), got {arr.ndim}-D")
        missing = np.isnan(arr).any(axis=1)
        bad = ~np.isnan(arr) & (arr != 0) & (arr != 1)
        data = arr
        Y = np.where(missing[:, None], 0, np.nan_to_num(arr))
    q = Y.shape[1]
    names = list(spec.one_hot) if spec.one_hot is not None else [str(i) for i in range(q)]
    if len(names) != q:
        raise InputError(f"{what}: {len(names)} names for {q} label columns; give one name per column")
    if bad.any():
        if sp.issparse(obj):
            raise InputError(f"{what}: indicator values must be 0/1 or bool; found {float(data[bad][0])!r}")
        r, c = (int(x[0]) for x in np.nonzero(bad))
        raise InputError(f"{what}: row {r + 1}, label {names[c]!r}: value {float(data[r, c])!r} is not 0/1; "
                         "an indicator matrix holds 0/1 or bool")
    consumer.column, consumer.indicator = None, True
    consumer.set_names(names, what)
    consumer.add_matrix(Y, missing)


def _from_numpy(arr: np.ndarray, spec, consumer, what: str) -> None:
    """A 1-D array: numbers, booleans and strings counted with ``np.unique`` (each distinct value
    spelled once; numbers order as numbers), anything else value by value."""
    _no_column(spec, what)
    if arr.ndim != 1:
        raise InputError(f"{what}: expected a 1-D array of labels, got shape {arr.shape}; pass one column, "
                         "e.g. arr[:, 0]")
    if spec.counts or spec.is_multi_label or arr.dtype.kind not in "iufbU" or not hasattr(consumer, "add_counted"):
        _from_values(arr.tolist(), spec, consumer, what)
        return
    if not arr.size:
        raise InputError(f"{what}: no labels; the object is empty")
    consumer.choose(what, [None])
    uniques, counts = np.unique(arr, return_counts=True)
    kind = "number" if arr.dtype.kind in "iuf" else "text"
    consumer.add_counted(string_array([python_label(u) for u in uniques.tolist()]), counts, kind)


# -- pandas ----------------------------------------------------------------------------------------


def _from_pandas(obj, spec, consumer, what: str) -> None:
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        columns = list(obj.columns)
        picked = consumer.choose("DataFrame", columns)
        consumer.add([_series_arrow(obj.iloc[:, i], consumer) for i in picked])
        return
    _no_column(spec, what)
    if isinstance(obj, (pd.Index, pd.Categorical)):
        obj = pd.Series(obj)
    if not isinstance(obj, pd.Series):
        raise InputError(f"{what}: cannot read labels from this pandas object; pass a Series or a DataFrame")
    if spec.counts:
        if isinstance(obj.index, pd.MultiIndex):
            raise InputError(f"{what}: counts over several columns (a MultiIndex); count one label column, "
                             "e.g. df['y'].value_counts()")
        frame = pd.DataFrame({"label": obj.index, "count": obj.to_numpy()})
        consumer.choose(what, ["label", "count"])
        consumer.add([_series_arrow(frame["label"], consumer), _series_arrow(frame["count"], consumer)])
        return
    if not spec.is_multi_label:
        _hint_value_counts(obj, what)
    consumer.choose(what, [None])
    consumer.add([_series_arrow(obj, consumer)])


def _hint_value_counts(s, what: str) -> None:
    """Warn when a Series looks like counts (``value_counts()``, ``groupby().size()``, proportions):
    labels in a unique index and numbers as values that are mostly distinct (a label column repeats a
    few values; counts are, besides ties, one per label)."""
    import pandas as pd

    if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype) or s.size < 2:
        return
    if isinstance(s.index, pd.RangeIndex) or not s.index.is_unique:
        return
    named = s.name in ("count", "counts", "n", "size", "frequency", "freq", "proportion")
    shares = pd.api.types.is_float_dtype(s.dtype) and abs(float(s.sum()) - 1.0) < 1e-6 and (s >= 0).all()
    if named or shares or s.nunique() > s.size / 2:
        warn(f"{what} looks like counts (labels in the index, counts as values, as value_counts() or "
             "groupby().size() give); pass counts=True to profile the counts, not the count values")


def _series_arrow(s, consumer):
    """A pandas Series as an Arrow array: typed where pandas knows the type, else spelled value by value."""
    import pyarrow as pa

    if getattr(consumer, "lists", False) and s.dtype == object:
        return consumer.python_lists(s.tolist(), "Series")
    try:
        return pa.Array.from_pandas(s)
    except (pa.ArrowException, TypeError, ValueError):
        out = []
        for i, v in enumerate(s.tolist()):  # mixed objects: True, 1 and "1" must stay apart
            try:
                out.append(v if type(v) is str else python_label(v))
            except TypeError:
                raise InputError(f"Series: item {i + 1} is {kind_of(v)}, not a label; pass the label values") from None
        return string_array(out)


# -- pyarrow -----------------------------------------------------------------------------------------


def _from_arrow(obj, spec, consumer, what: str) -> None:
    import pyarrow as pa

    if isinstance(obj, (pa.Table, pa.RecordBatch)):
        names = obj.schema.names
        picked = consumer.choose(what, names)
        for batch in (obj.to_batches() if isinstance(obj, pa.Table) else [obj]):
            consumer.add([batch.column(i) for i in picked])
        return
    if not isinstance(obj, (pa.Array, pa.ChunkedArray)):
        raise InputError(f"{what}: cannot read labels from this pyarrow object; pass an Array or a Table")
    _no_column(spec, what)
    consumer.choose(what, [None])
    for chunk in (obj.chunks if isinstance(obj, pa.ChunkedArray) else [obj]):
        consumer.add([chunk])
