"""The reading options, validated once, and which inputs each one applies to.

Every option either acts on the input it is given with or is refused with a
:class:`~imbalcheck.errors.ConfigError` that names the option and says why it does not
apply: the API and the CLI both ask :meth:`ReadSpec.check_applies` before reading.
Options are named as on the command line (``--one-hot-prefix``); the API's keyword is
the same name in snake_case (``one_hot_prefix``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np

from .. import defaults
from ..defaults import LAYOUTS
from ..errors import ConfigError
from ..labels import Cleanup, parse_na_values

VISION_COUNTS = ("instances", "images")
EMPTY_LABELS = ("negative", "missing")  # what an empty label-set cell is: a sample with no labels, or unlabelled

#: Every reading option and the input kinds it applies to. Kinds: the file formats, "object"
#: (an in-memory object), and the layouts.
_TABULAR = ("csv", "tsv", "parquet", "jsonl", "json")
_TEXT = ("csv", "tsv", "jsonl", "json", "txt")
APPLIES_TO = {
    "column": (*_TABULAR, "object"),
    "counts": (*_TABULAR, "object"),
    "count_column": (*_TABULAR, "object"),
    "input_format": (*_TABULAR, "txt"),
    "encoding": _TEXT,
    "delimiter": ("csv", "tsv"),
    "na_values": (*_TABULAR, "txt", "object"),
    "strip": (*_TABULAR, "txt", "object"),
    "numeric_labels": (*_TABULAR, "txt", "object"),
    "multi_label": (*_TABULAR, "txt", "object"),
    "sep": (*_TABULAR, "txt", "object"),
    "empty_labels": (*_TABULAR, "txt", "object"),
    "one_hot": (*_TABULAR, "object"),
    "one_hot_prefix": (*_TABULAR, "object"),
    "layout": LAYOUTS,
    "count": ("coco", "yolo"),
    "classes": (*_TABULAR, "txt", "object", *LAYOUTS),
    "ignore_index": ("masks",),
}
#: Why an option does not apply to a kind of input (the fix is in the message).
_WHY = {
    "parquet": {"encoding": "Parquet text is always UTF-8", "delimiter": "only csv and tsv files have a delimiter"},
    "txt": {"column": "a txt file has one label per line and no columns (pass --input-format csv for a table)",
            "count_column": "a txt file has no columns",
            "counts": "a label,count table cannot be txt; use csv, tsv, parquet, json or jsonl",
            "one_hot": "a txt file has no indicator columns", "one_hot_prefix": "a txt file has no indicator columns"},
    "object": {"input_format": "an in-memory object has no file format", "encoding": "an in-memory object is not text",
               "delimiter": "an in-memory object is not delimited text"},
    **{layout: {"encoding": "a data set layout is read as its format defines (COCO JSON and YOLO text are UTF-8)",
                "input_format": "a data set layout is not a table (drop --layout to read the file as a table)"}
       for layout in LAYOUTS},
}


def option_name(key: str) -> str:
    """``one_hot_prefix`` -> ``--one-hot-prefix``."""
    return "--" + key.replace("_", "-")


@dataclass(frozen=True)
class ReadSpec:
    """How to read an input. ``None`` (or False, or empty) means "not given": the default applies."""

    column: object = None
    counts: bool = False
    count_column: object = None
    input_format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    na_values: tuple[str, ...] = ()
    strip: bool = False
    numeric_labels: bool = False
    multi_label: bool = False
    sep: str | None = None
    empty_labels: str | None = None  # an empty label-set cell: "negative" (default, no labels) or "missing"
    one_hot: tuple[str, ...] | None = None
    one_hot_prefix: str | None = None
    layout: str | None = None
    count: str | None = None
    classes: object = None  # a file of the expected class names, one per line
    ignore_index: int | None = None  # masks: the pixel value left out of every count (default 255)

    @classmethod
    def create(cls, **options) -> ReadSpec:
        """Validate and normalise the options (as the API or the CLI received them)."""
        from .csv import check_delimiter
        from .detect import check_input_format

        known = [f.name for f in fields(cls)]
        unknown = [k for k in options if k not in known]
        if unknown:
            import difflib

            close = difflib.get_close_matches(unknown[0], known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; the reading options are {', '.join(known)}"
            raise ConfigError(f"unknown reading option {unknown[0]!r}{hint}")
        o = dict(options)
        for flag in ("counts", "strip", "numeric_labels", "multi_label"):
            if o.get(flag) is not None and not isinstance(o[flag], (bool, np.bool_)):
                raise ConfigError(f"{option_name(flag)} must be True or False, got {o[flag]!r}")
            o[flag] = bool(o.get(flag))
        na = o.get("na_values")
        if na is not None and not isinstance(na, str) and not (
                isinstance(na, (list, tuple, set, frozenset)) and all(isinstance(x, str) for x in na)):
            raise ConfigError(f"--na-values must be texts, e.g. ['NA', 'null'] or 'NA,null'; got {na!r}")
        o["na_values"] = parse_na_values(na)
        one_hot = o.get("one_hot")
        if isinstance(one_hot, str):
            one_hot = tuple(x for x in one_hot.split(","))
        if one_hot is not None:
            one_hot = tuple(str(x) for x in one_hot)
            if not one_hot or any(not x for x in one_hot):
                raise ConfigError("--one-hot: list the indicator columns, e.g. --one-hot cat,dog,bird")
            if len(set(one_hot)) != len(one_hot):
                raise ConfigError("--one-hot names a column twice; list each indicator column once")
        o["one_hot"] = one_hot
        prefix = o.get("one_hot_prefix")
        if prefix is not None and (not isinstance(prefix, str) or not prefix):
            raise ConfigError("--one-hot-prefix must be a non-empty text such as 'label_'")
        sep = o.get("sep")
        if sep is not None and (not isinstance(sep, str) or not sep):
            raise ConfigError("--sep must be a non-empty text such as '|'")
        o["input_format"] = check_input_format(o.get("input_format"))
        o["delimiter"] = check_delimiter(o.get("delimiter"))
        for key in ("layout", "count", "empty_labels"):
            if isinstance(o.get(key), str):
                o[key] = o[key].strip().lower()
        if o.get("ignore_index") is not None:
            value = o["ignore_index"]
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not -1 <= value <= 255:
                raise ConfigError(f"--ignore-index {value!r}: give a pixel value 0..255, or -1 to count every value")
            o["ignore_index"] = int(value)
        if o.get("layout") is not None and o["layout"] not in LAYOUTS:
            raise ConfigError(f"--layout {o['layout']!r}: choose one of {', '.join(LAYOUTS)}")
        if o.get("empty_labels") is not None and o["empty_labels"] not in EMPTY_LABELS:
            raise ConfigError(f"--empty-labels {o['empty_labels']!r}: choose negative (a sample with no labels) "
                              "or missing (an unlabelled row, left out)")
        if o.get("count") is not None and o["count"] not in VISION_COUNTS:
            raise ConfigError(f"--count {o['count']!r}: choose instances or images")
        if o.get("encoding") is not None:
            from .source import codec_name

            codec_name(o["encoding"], "--encoding")
        spec = cls(**o)
        spec._check_modes()
        return spec

    # -- what was asked -----------------------------------------------------------------------
    def given(self) -> list[str]:
        """The options given (not at their default), in declaration order."""
        return [f.name for f in fields(self) if getattr(self, f.name) not in (None, False, ())]

    @property
    def indicator(self) -> bool:
        return self.one_hot is not None or self.one_hot_prefix is not None

    @property
    def is_multi_label(self) -> bool:
        return self.multi_label or self.indicator

    @property
    def codec(self) -> str:
        return self.encoding or "utf-8"

    @property
    def cleanup(self) -> Cleanup:
        return Cleanup(frozenset(self.na_values), self.strip, self.numeric_labels)

    def _check_modes(self) -> None:
        """Options that contradict each other, whatever the input."""
        if self.one_hot is not None and self.one_hot_prefix is not None:
            raise ConfigError("--one-hot and --one-hot-prefix both choose indicator columns; give one of them, not both")
        if self.indicator and self.column is not None:
            raise ConfigError("--column names a delimited label column; drop it when reading --one-hot columns")
        if self.indicator and self.sep is not None:
            raise ConfigError("--sep splits a delimited label column; one-hot columns hold 0/1, drop --sep")
        if self.indicator and (self.strip or self.numeric_labels):
            opt = "--strip" if self.strip else "--numeric-labels"
            raise ConfigError(f"{opt} cleans label texts; one-hot columns hold 0/1 indicators (spaces are always "
                              "ignored there); drop it")
        if self.empty_labels is not None and self.counts:
            raise ConfigError("--empty-labels says what an empty label-set cell is; a --counts table has no label "
                              "sets: drop --empty-labels")
        if self.empty_labels is not None and self.indicator:
            raise ConfigError("--empty-labels says what an empty label-set cell is; in one-hot columns an empty "
                              "indicator always makes the row missing: drop --empty-labels")
        if self.empty_labels is not None and not self.multi_label:
            raise ConfigError("--empty-labels says what an empty label-set cell is; add --multi-label")
        if self.sep is not None and not self.multi_label:
            raise ConfigError("--sep splits a multi-label column; add --multi-label")
        if self.counts and self.is_multi_label:
            raise ConfigError("--counts reads a label,count table of single labels; it cannot be --multi-label")
        if self.count_column is not None and not self.counts:
            raise ConfigError("--count-column only applies to a label,count table; add --counts")

    def check_applies(self, kind: str, what: str) -> None:
        """Refuse every given option that does not apply to an input of ``kind`` (described as ``what``)."""
        for key in self.given():
            if kind not in APPLIES_TO[key]:
                why = _WHY.get(kind, {}).get(key)
                if why is None:
                    why = (f"it applies to {', '.join(APPLIES_TO[key])} input" if kind not in LAYOUTS
                           else "the data set's structure gives the classes, not a column")
                raise ConfigError(f"{option_name(key)} does not apply to {what}: {why}")

    # -- the consumer --------------------------------------------------------------------------
    def consumer(self, *, option: str = "--column NAME"):
        """The consumer that gives this input its meaning (see :mod:`imbalcheck.tally`)."""
        if self.is_multi_label:
            from ..tally.multilabel import LabelSets

            return LabelSets(self.cleanup, sep=self.sep or defaults.MULTI_LABEL_SEP, column=self.column,
                             one_hot=self.one_hot, one_hot_prefix=self.one_hot_prefix, option=option,
                             sep_given=self.sep is not None, empty_missing=self.empty_labels == "missing")
        if self.counts:
            from ..tally.table import CountsTable

            return CountsTable(self.cleanup, self.column, self.count_column, option=option)
        from ..tally.single import LabelCounts

        return LabelCounts(self.cleanup, self.column, option=option)


def split_options(options: dict, keys: Sequence[str]) -> tuple[dict, dict]:
    """``options`` split into (those named in ``keys``, the rest)."""
    inside = {k: v for k, v in options.items() if k in keys}
    return inside, {k: v for k, v in options.items() if k not in keys}


READ_OPTIONS = tuple(f.name for f in fields(ReadSpec))
