"""``profile --by`` and ``check --by``: one analysis per group of rows, each group's drift against
the largest, and the classes each group lacks."""

from __future__ import annotations

import dataclasses

from .analysis import ANALYSIS_OPTIONS, Options, analyze
from .errors import ConfigError, reworded, warn
from .readers import read
from .result.grouped import GroupedProfile
from .shift import compare
from .tally.grouped import GroupedLabels


def profile_groups(source, by, spec, options, *, fit_batch: bool = False):
    """One profile per value of column ``by``, each group's drift against the largest, and the
    classes each group lacks; ``fit_batch`` caps the batch size at each group's size (for the
    gate, where no threshold depends on it)."""
    if spec.is_multi_label or spec.counts:
        raise ConfigError(f"--by splits single-label rows into groups; it does not apply to "
                          f"{'multi-label input' if spec.is_multi_label else 'a counts table'} yet: drop it")
    if spec.classes is not None:
        raise ConfigError("--classes with --by: the groups' missing classes are listed already (missing_by_group); "
                          "drop --classes, or profile without --by")
    reading = read(source, spec, consumer=GroupedLabels(by, spec.cleanup, spec.column))
    given = Options.create(**{k: v for k, v in options.items() if k in ANALYSIS_OPTIONS and v is not None})
    groups = {}
    for key, counts in reading.data.items():
        name = f"{reading.source} [{by}={key}]"
        with reworded(lambda text, key=key: f"{by}={key}: {text}"):  # each group's warnings say which group
            found = analyze(counts, dataclasses.replace(given, batch_size=min(given.batch_size, counts.n_samples))
                            if fit_batch else given, source=name)
        groups[key] = dataclasses.replace(found, source=name, column=reading.column,
                                          input_format=reading.input_format, delimiter=reading.delimiter,
                                          warnings=tuple(f"{by}={key}: {x}" for x in found.warnings))
    ref = next(iter(reading.data))
    drift = tuple(compare(reading.data[ref], counts, f"{by}={ref}", f"{by}={key}")
                  for key, counts in reading.data.items() if key != ref)
    every = set().union(*(c.labels.tolist() for c in reading.data.values()))
    missing = {key: sorted(every - set(c.labels.tolist())) for key, c in reading.data.items()}
    return GroupedProfile(reading.source, str(by), groups, drift, missing, column=reading.column)


def group_checks(grouped: GroupedProfile, limits: dict) -> tuple:
    """Every threshold on every group (``check --by``), each check naming its group.

    A class of the whole input that a group lacks has 0 samples there: the group's
    ``min_class_count`` is then 0 and its ``max_imbalance_ratio`` infinite (a class absent
    from ``val`` fails the gate that asks every class for a sample), whatever the counts of
    the classes the group does hold.
    """
    from .thresholds import SINGLE, evaluate

    out = []
    for key, p in grouped.groups.items():
        lacks = grouped.missing_by_group.get(key, [])
        for c in evaluate(p, limits, SINGLE, p.source).checks:
            if lacks and c.name in _ABSENT:
                observed = _ABSENT[c.name]
                passed = observed >= c.limit if c.name == "min_class_count" else observed <= c.limit
                c = dataclasses.replace(c, observed=observed, passed=bool(passed),
                                        description=f"{c.description} ({len(lacks):,} class(es) absent from the "
                                                    "group count 0)")
            out.append(dataclasses.replace(c, group=key))
    return tuple(out)


#: What a threshold observes on a group that lacks a class of the whole input.
_ABSENT = {"min_class_count": 0, "max_imbalance_ratio": float("inf")}


def profile_splits(name: str, splits: list, analyze_split) -> object:
    """The profiles of a Hugging Face dataset's splits (``analyze_split(split)`` profiles one): a
    :class:`~imbalcheck.result.grouped.DatasetSplits`, or the profile itself for a single split.
    Drift is against the first split, for single-label columns."""
    from .result.grouped import DatasetSplits

    from .errors import InputError

    profiles = {}
    for split in splits:
        where = f"{name} [{split.name}]"
        try:  # each split's warnings say which split, unless they do already
            with reworded(lambda text, where=where: text if len(splits) == 1 or where in text else f"{where}: {text}"):
                found = analyze_split(split)
        except InputError as exc:  # a split without labels (a GLUE-style test split: every label -1)
            if len(splits) == 1:
                raise
            warn(f"{where}: left out, no labelled sample ({exc})")
            continue
        label = f"{name} [{split.name}]" if split.name != "<dataset>" else name
        profiles[split.name] = dataclasses.replace(found, source=label, column=split.column, input_format="huggingface")
    if not profiles:
        raise InputError(f"{name}: no split has a labelled sample")
    if len(profiles) == 1:
        return next(iter(profiles.values()))
    first = next(iter(profiles))
    single = all(hasattr(p, "n_classes") for p in profiles.values())
    if not single:
        warn(f"{name}: the splits hold label sets; their drift is not computed (diff compares single-label "
             "distributions)")
    counts = {k: _counts_of(p) for k, p in profiles.items()} if single else {}
    drift = tuple(compare(counts[first], c, first, key) for key, c in counts.items() if key != first)
    every = set().union(*(_labels_of(p) for p in profiles.values()))
    missing = {key: sorted(every - set(_labels_of(p))) for key, p in profiles.items()}
    return DatasetSplits(name, "split", profiles, drift, missing, column=splits[0].column)


def _counts_of(p):
    from .counts import Counts

    return Counts.from_codes(p.labels.tolist(), p.counts, p.n_missing)


def _labels_of(p) -> list:
    return list(p.names) if hasattr(p, "names") else p.labels.tolist()
