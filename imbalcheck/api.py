"""The Python API: one function per command, taking the command's options as keywords.

Each keyword is the command's long option in snake_case (``--multi-label`` ->
``multi_label=True``, ``--one-hot-prefix`` -> ``one_hot_prefix``, ``--count images`` ->
``count="images"``, ``--counts`` -> ``counts=True``, ``--na-values`` -> ``na_values``),
and each function returns the result whose ``to_dict()`` is the command's JSON document.
The CLI is a thin layer over these functions, so both read every input the same way.

Reading options (every command): ``column``, ``counts``, ``count_column``,
``input_format``, ``encoding``, ``delimiter``, ``na_values``, ``strip``,
``numeric_labels``, ``multi_label``, ``sep``, ``empty_labels``, ``one_hot``, ``one_hot_prefix``,
``layout``, ``count`` (see :class:`imbalcheck.readers.spec.ReadSpec`; an option that
does not apply to the input is a :class:`~imbalcheck.errors.ConfigError`).

Warnings (degenerate data, a guess the reader made) are kept in the result's
``warnings`` and issued once as :class:`~imbalcheck.errors.ImbalcheckWarning`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import os
import warnings as _warnings
from collections.abc import Iterator
from pathlib import Path

from . import defaults
from .errors import ConfigError, ImbalcheckWarning

_ANALYSIS = ("batch_size", "top_k", "split", "folds", "seeds", "beta")
_SINGLE_ONLY = ("top_k", "beta")  # not defined for multi-label input


def _read_keys() -> tuple[str, ...]:
    from .readers.spec import READ_OPTIONS

    return READ_OPTIONS


def _accept(command: str, options: dict, allowed: tuple[str, ...]) -> None:
    unknown = [k for k in options if k not in allowed]
    if unknown:
        close = difflib.get_close_matches(unknown[0], allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; it takes {', '.join(allowed)}"
        raise ConfigError(f"{command}() got an unknown option {unknown[0]!r}{hint}")


@contextlib.contextmanager
def collected() -> Iterator[list[str]]:
    """Collect the :class:`ImbalcheckWarning` messages issued inside (each once, in order), then issue
    them again once each; other warnings pass through unchanged."""
    notes: list[str] = []
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        try:
            yield notes
        finally:
            others = []
            for w in caught:
                if issubclass(w.category, ImbalcheckWarning):
                    if str(w.message) not in notes:
                        notes.append(str(w.message))
                else:
                    others.append(w)
    for w in others:
        _warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    for note in notes:
        _warnings.warn(note, ImbalcheckWarning, stacklevel=4)


def _spec(options: dict):
    from .readers.spec import ReadSpec

    return ReadSpec.create(**{k: v for k, v in options.items() if k in _read_keys()})


def _analysis(reading, options: dict, spec):
    """Every figure of a reading: a Profile, or a MultilabelProfile for label sets."""
    from .analysis import Options, analyze

    given = {k: v for k, v in options.items() if k in _ANALYSIS and v is not None}
    where = dict(source=reading.source, column=reading.column, input_format=reading.input_format,
                 delimiter=reading.delimiter)
    if spec.is_multi_label:
        for key in _SINGLE_ONLY:
            if key in given:
                raise ConfigError(f"--{key.replace('_', '-')} does not apply to multi-label input: "
                                  f"{_WHY_SINGLE[key]}; drop it")
        seeds = Options.create(seeds=given["seeds"]).seeds if "seeds" in given else (0,)
        if len(seeds) != 1:
            raise ConfigError("--seeds: multi-label iterative stratification takes one seed, e.g. --seeds 0")
        from .multilabel.analysis import analyze_multilabel

        opts = Options.create(batch_size=given.get("batch_size"), split=given.get("split"), folds=given.get("folds"))
        data = reading.data
        result = analyze_multilabel(data.names, data.rows, data.n_missing, opts.batch_size, opts.split, seeds[0],
                                    folds=opts.folds if "folds" in given else None)
    else:
        if reading.input_format in ("coco", "yolo"):
            from .errors import warn

            warn(f"{reading.source}: an image holds several categories, so the sampling strategies treat each counted "
                 f"{'instance' if spec.count != 'images' else 'image'} as one sample; per-image repeat factors "
                 f"(Gupta et al.'s definition): imbalcheck sampler {reading.source} --strategy repeat_factor")
        if reading.input_format == "masks":
            from .errors import warn

            warn(f"{reading.source}: counts are pixels; the batch, split and sampling figures treat each pixel as a "
                 "sample (the per-pixel loss weights are in segmentation_weights)")
        result = analyze(reading.data, Options.create(**given), source=where["source"])
        if reading.per_class:  # both detection counts (masks: images), aligned with the profile's classes
            import numpy as np

            aligned = {}
            for kind, counts in reading.per_class.items():
                by_label = dict(zip(counts.labels.tolist(), counts.counts.tolist()))
                aligned[kind] = np.array([by_label.get(x, 0) for x in result.labels.tolist()], dtype=np.int64)
            image_pixels = aligned.pop("image_pixels", None)
            where["detection_counts"] = aligned
            if image_pixels is not None:
                from .readers.vision.masks import segmentation_weights

                where["segmentation_weights"] = segmentation_weights(result.counts, image_pixels)
    unsampled = tuple(reading.unsampled)
    if spec.classes is not None:
        present = list(result.names) if hasattr(result, "names") else result.labels.tolist()
        unsampled = tuple(dict.fromkeys([*unsampled, *_declared_without_samples(spec.classes, present)]))
    return dataclasses.replace(result, **where, classes_without_samples=unsampled)


def _declared_without_samples(path, present: list) -> list[str]:
    """The names of the ``--classes`` file (one per line, blank lines skipped) with no sample;
    a label the file does not declare is warned about."""
    from .errors import InputError, warn

    try:
        with open(path, encoding="utf-8-sig") as f:
            declared = list(dict.fromkeys(line.strip() for line in f if line.strip()))
    except FileNotFoundError:
        raise InputError(f"--classes {path}: no such file; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"--classes {path}: cannot read it as UTF-8 text ({exc}); one class name per line") from None
    if not declared:
        raise InputError(f"--classes {path}: the file holds no class name; one class name per line")
    known = set(declared)
    undeclared = [x for x in present if x not in known]
    if undeclared:
        warn(f"--classes {path}: {len(undeclared)} label(s) of the input are not declared there, e.g. "
             f"{undeclared[:5]}")
    have = set(present)
    return [x for x in declared if x not in have]


_WHY_SINGLE = {
    "top_k": "the top-k share is a single-label figure (multi-label reports per-label positives)",
    "beta": "the effective-number weights are single-label (multi-label reports pos_weight)",
}


def _hugging_face(source, spec, options, split):
    """One profile per split of a Hugging Face dataset (its label column read as Arrow, class names
    from its features)."""
    from .groups import profile_splits
    from .readers import Reading
    from .readers.hf import read_splits
    from .readers.objects import read_object

    if spec.counts or spec.layout is not None or spec.input_format is not None:
        raise ConfigError("a Hugging Face dataset is read from its features; drop --counts, --layout and "
                          "--input-format")
    name, splits = read_splits(source, spec.column, split)

    def analyze_split(s):
        one = dataclasses.replace(spec, column=None, multi_label=spec.multi_label or s.multi_label)
        reading = read_object(s.values, one)
        return _analysis(Reading(reading.data, name, s.column, "huggingface", unsampled=s.unsampled), options, one)

    return profile_splits(name, splits, analyze_split)


def _with_notes(result, notes: list[str]):
    return dataclasses.replace(result, warnings=tuple(notes))


def _read(source, spec, consumer=None):
    from .readers import read

    return read(source, spec, consumer=consumer)


def profile(source, *, by=None, dataset_split=None, **options):
    """Profile a label distribution (``imbalcheck profile``).

    ``source`` is a path (csv, tsv, parquet, jsonl, json, txt, optionally .gz; ``"-"``
    for standard input; an ImageFolder or YOLO folder; a COCO annotations file) or an
    in-memory object (a pandas Series or DataFrame, a pyarrow table, a numpy array, a
    list of labels, a label -> count mapping, label sets or an indicator matrix with
    ``multi_label=True``). Options: the reading options (module docstring) and
    ``batch_size``, ``top_k``, ``split``, ``folds``, ``seeds``, ``beta``; ``by`` (a column
    such as ``split`` or ``domain``) profiles every group of rows separately.

    Returns a :class:`~imbalcheck.result.Profile`, a
    :class:`~imbalcheck.result.MultilabelProfile` for multi-label input, or with ``by`` a
    :class:`~imbalcheck.result.grouped.GroupedProfile`; ``.to_dict()`` is ``imbalcheck
    profile --format json``'s document.
    """
    _accept("profile", options, (*_read_keys(), *_ANALYSIS))
    from .readers.hf import folder_kind, is_dataset_object

    hugging_face = is_dataset_object(source) or folder_kind(source) is not None
    if dataset_split is not None and not hugging_face:
        raise ConfigError("--dataset-split picks a split of a Hugging Face dataset (a DatasetDict, a save_to_disk "
                          "folder or the Hub's parquet layout); drop it for other inputs")
    if hugging_face and by is not None:
        raise ConfigError("--by groups the rows of a labels file; a Hugging Face dataset is profiled by split "
                          "already: drop --by")
    with collected() as notes:
        spec = _spec(options)
        if hugging_face:
            result = _hugging_face(source, spec, options, dataset_split)
        elif by is not None:
            from .groups import profile_groups

            result = profile_groups(source, by, spec, options)
        else:
            result = _analysis(_read(source, spec), options, spec)
    return _with_notes(result, notes)




def check(source, *, by=None, config: str | Path | None = None, **options):
    """The CI gate (``imbalcheck check``): every threshold given, evaluated on ``source``.

    Thresholds: ``max_imbalance_ratio``, ``min_class_count``, ``max_top1_share``,
    ``min_evenness``, ``require_stratifiable`` (with ``split``), ``max_missing_share``,
    ``min_classes``, ``max_mean_ir`` (multi-label), and the ``[tool.imbalcheck]`` table of
    the TOML file ``config`` (options override it). A threshold that does not apply to
    the input is a :class:`ConfigError`; so is a call with no threshold at all. With ``by``
    (a column) every threshold is evaluated on every group of rows, each check naming its group.
    Returns a :class:`~imbalcheck.thresholds.CheckReport` (``.passed``, ``.failed``).
    """
    from .thresholds import DIFF, MULTI, SINGLE, THRESHOLDS, CheckReport, evaluate, thresholds

    _accept("check", options, (*_read_keys(), *THRESHOLDS, "split"))
    given = {k: options.pop(k) for k in list(options) if k in THRESHOLDS or k == "split"}
    # the config file's diff thresholds belong to `diff`; a diff threshold given here is refused below
    configured = {k: v for k, v in thresholds(config, {}).items()
                  if k not in THRESHOLDS or THRESHOLDS[k].inputs != (DIFF,)}
    limits = thresholds(None, {**configured, **{k: v for k, v in given.items() if v is not None}})
    if not set(limits) - {"split"}:
        raise ConfigError("no thresholds to check; pass e.g. --max-imbalance-ratio 100 or set them in "
                          "[tool.imbalcheck] of pyproject.toml")
    if "split" in limits and "require_stratifiable" not in limits:
        if given.get("require_stratifiable") is False:  # switched off here: the config's split goes with it
            del limits["split"]
        else:
            raise ConfigError("--split sets the split that --require-stratifiable checks; add "
                              "--require-stratifiable or drop --split")
    with collected() as notes:
        spec = _spec(options)
        if by is not None:
            from .groups import profile_groups

            from .groups import group_checks

            grouped = profile_groups(source, by, spec, {"split": limits.get("split")}, fit_batch=True)
            report = CheckReport(grouped.source, group_checks(grouped, limits))
        else:
            reading = _read(source, spec)
            settings = {"split": limits.get("split")}
            if not spec.is_multi_label:  # the batch size matters to no threshold: the default fits small inputs
                settings["batch_size"] = min(defaults.BATCH_SIZE, max(reading.data.n_samples, 1))
            result = _analysis(reading, settings, spec)
            report = evaluate(result, limits, MULTI if spec.is_multi_label else SINGLE, result.source)
    return _with_notes(report, notes)


def diff(a, b=None, *, rev: str | None = None, max_tvd: float | None = None,
         max_class_balanced_shift: float | None = None, alpha: float | None = None,
         min_relative_change: float | None = None, config: str | Path | None = None, **options):
    """Compare two label distributions (``imbalcheck diff``): classes only in one, per-class
    shift and its significance, TVD, JS divergence, the class-balanced shift and the
    chi-square test (label sets, ``multi_label=True``: each label's prevalence, see
    :func:`~imbalcheck.shift.compare_label_sets`). With ``rev`` (``diff --rev REV FILE``) ``a`` is compared as committed
    at ``rev`` (A) with its working copy (B). ``alpha`` and ``min_relative_change`` select
    ``changed_classes``; the gates (``max_tvd``, ``max_class_balanced_shift``, also from
    ``config``) are in ``.checks`` and ``.passed``. Both inputs are read with the same options."""
    from .shift import ALPHA, MIN_RELATIVE_CHANGE, compare, compare_label_sets
    from .thresholds import DIFF, THRESHOLDS, evaluate, thresholds

    _accept("diff", options, _read_keys())
    _no_classes(options, "diff")
    gates = {"max_tvd": max_tvd, "max_class_balanced_shift": max_class_balanced_shift}
    limits = {k: v for k, v in thresholds(config, gates).items() if k in gates}
    alpha = ALPHA if alpha is None else _fraction(alpha, "--alpha", open_low=True)
    min_relative_change = (MIN_RELATIVE_CHANGE if min_relative_change is None
                           else _fraction(min_relative_change, "--min-relative-change"))
    def stdin(x) -> bool:
        return isinstance(x, str) and x == "-"

    if rev is not None:
        if b is not None:
            raise ConfigError("--rev compares FILE as committed at REV with its working copy: give one file, "
                              "not two")
        if stdin(a):
            raise ConfigError("--rev reads a file in a git repository; standard input has no history: pass its path")
        if not isinstance(a, (str, os.PathLike)):
            raise ConfigError(f"rev= reads a file as committed in git; a {type(a).__name__} has no history: pass "
                              "the path of a labels file")
    elif b is None:
        raise ConfigError("diff needs two files (A B), or one file with --rev REV")
    if stdin(a) and stdin(b):
        raise ConfigError("standard input can be read once; pass at most one of A and B as -")
    from .readers import is_stream

    if a is b and is_stream(a):
        raise ConfigError("the same open file can be read once; pass two files (or open the file twice)")
    with collected() as notes:
        spec = _spec(options)
        if spec.is_multi_label and "max_tvd" in limits:
            where = "--max-tvd" if max_tvd is not None else "max_tvd (from the [tool.imbalcheck] configuration)"
            raise ConfigError(f"{where}: the total-variation distance compares shares of exclusive classes; "
                              "label sets share samples: gate them with --max-class-balanced-shift"
                              + ("" if max_tvd is not None else ", and pass --config with a file without max_tvd"))
        if rev is not None:
            from .readers.git import committed_copy

            with committed_copy(a, rev) as (old, name), _renamed(old, name):
                ra = dataclasses.replace(_read(old, spec), source=name)
            rb = _read(a, spec)
        else:
            ra, rb = _read(a, spec), _read(b, spec)
        result = (compare_label_sets if spec.is_multi_label else compare)(
            ra.data, rb.data, ra.source, rb.source, alpha=alpha, min_relative_change=min_relative_change)
        result = dataclasses.replace(result, column_a=ra.column, column_b=rb.column)
        if limits:
            ordered = {k: limits[k] for k in THRESHOLDS if k in limits}
            result = dataclasses.replace(result, checks=evaluate(result, ordered, DIFF, result.source_a).checks)
    return _with_notes(result, notes)


@contextlib.contextmanager
def _renamed(path: str, name: str) -> Iterator[None]:
    """Errors and warnings about the temporary ``path`` name ``name`` (the file at a revision) instead."""
    from .errors import ImbalcheckError, reworded

    try:
        with reworded(lambda text: text.replace(path, name)):
            yield
    except ImbalcheckError as exc:
        raise type(exc)(str(exc).replace(path, name)) from None


def _fraction(value, option: str, *, open_low: bool = False) -> float:
    """A number in [0, 1] ((0, 1] with ``open_low``), or a one-line :class:`ConfigError`."""
    import math

    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{option} must be a number, got {value!r}")
    if not (0 < value <= 1 if open_low else 0 <= value <= 1):
        raise ConfigError(f"{option} must be in {'(0, 1]' if open_low else '[0, 1]'}, got {value!r}")
    return float(value)


def recommend(source, **options):
    """The class-count cutoff and the loss with its parameters (``imbalcheck recommend``); for
    multi-label input the recipe of :mod:`imbalcheck.multilabel.recipe` (BCE with pos_weight,
    asymmetric or focal loss, repeat-factor sampling).

    Returns a :class:`~imbalcheck.result.reports.RecommendReport` (``.recommendation``;
    ``imbalcheck.render.torch.torch_code(report)`` is the ``--format torch`` snippet)."""
    from .result.reports import RecommendReport

    _accept("recommend", options, (*_read_keys(), "split"))
    with collected() as notes:
        spec = _spec(options)
        reading = _read(source, spec)
        n = reading.data.rows.n if spec.is_multi_label else reading.data.n_samples
        settings = {"split": options.get("split"), "batch_size": max(1, min(defaults.BATCH_SIZE, n))}
        result = _analysis(reading, settings, spec)
    return RecommendReport(_with_notes(result, notes))


def class_weights(source, scheme: str | None = None, *, beta: float | None = None, normalize: str | None = None,
                  **options):
    """Per-class loss weights (``imbalcheck weights``): ``scheme`` is ce, inverse (scikit-learn's
    "balanced", the default), sqrt_inverse, log_inverse or effective_number (with ``beta``);
    ``normalize`` (samples, classes or none) puts any scheme on one scale, by default the
    scheme's own (see :func:`imbalcheck.weights.class_weights`). Multi-label input has one
    scheme, ``pos_weight`` (the default there): (N - n_l) / n_l per label over all N samples,
    for ``torch.nn.BCEWithLogitsLoss(pos_weight=...)``; a label with no positive has none.

    Returns a :class:`~imbalcheck.result.reports.ClassWeights`; ``.to_dict()`` is label -> weight."""
    from .result.reports import ClassWeights
    from .weights import DEFAULT_NORMALIZATION, POS_WEIGHT
    from .weights import class_weights as weights_of

    from .analysis import Options

    _accept("class_weights", options, _read_keys())
    _no_classes(options, "weights")
    scheme = None if scheme is None else str(getattr(scheme, "value", scheme)).lower()
    if beta is not None and scheme != "effective_number":
        raise ConfigError(f"--beta sets the effective_number weights; the {scheme} scheme has no beta" if scheme else
                          "--beta sets the effective_number weights; pass --scheme effective_number (the default "
                          "scheme, inverse, and multi-label pos_weight have no beta)")
    beta = Options.create(beta=beta).beta  # validated as --beta
    with collected() as notes:
        spec = _spec(options)
        if spec.is_multi_label:
            if scheme not in (None, POS_WEIGHT):
                raise ConfigError(f"--scheme {scheme}: multi-label weights are per-label pos_weight (negatives / "
                                  "positives, for BCEWithLogitsLoss); drop --scheme or pass --scheme pos_weight")
            if normalize is not None:
                raise ConfigError("--normalize scales class weights; pos_weight is a ratio of negatives to positives "
                                  "that BCEWithLogitsLoss takes as it is: drop --normalize")
            reading = _read(source, spec)
            from .multilabel.analysis import pos_weights

            labels, w = pos_weights(reading.data)
            return ClassWeights(reading.source, POS_WEIGHT, None, labels, w, reading.column, tuple(notes), "none")
        if scheme == POS_WEIGHT:
            raise ConfigError("--scheme pos_weight is per label of multi-label input; add --multi-label, or choose "
                              "inverse, sqrt_inverse, log_inverse, effective_number or ce")
        scheme = scheme or "inverse"
        reading = _read(source, spec)
        w = weights_of(reading.data.counts, scheme, beta, normalize)
    scale = DEFAULT_NORMALIZATION.get(scheme) if normalize is None else str(getattr(normalize, "value", normalize))
    return ClassWeights(reading.source, scheme, beta, reading.data.labels, w, reading.column,
                        tuple(notes), scale)


def sampler(source, strategy: str = "class_balanced", *, q=None, t=None, cap=None, progress=None, **options):
    """One sampling weight per input row (``imbalcheck sampler``), for
    ``torch.utils.data.WeightedRandomSampler(weights, num_samples, replacement=True)``.

    ``strategy`` is one of :data:`imbalcheck.sampling.STRATEGY_NAMES` (``q`` for
    ``power``, ``t`` for ``repeat_factor``, ``cap`` for ``undersample``, ``progress`` = t/T
    for ``progressive``); with ``multi_label=True`` only ``repeat_factor`` (each row's
    factor, the max over its labels). Rows keep the input's order; a missing label weighs 0.
    Returns a :class:`~imbalcheck.result.sampler.SamplerWeights` (``.weights``,
    ``.num_samples``, ``.save(path)``).
    """
    from . import sampling
    from .row_weights import sampler_weights

    _accept("sampler", options, _read_keys())
    _no_classes(options, "sampler")
    params = sampling.validate(strategy, q=q, t=t, cap=cap, progress=progress)
    strategy = str(getattr(strategy, "value", strategy)).lower()
    with collected() as notes:
        result = sampler_weights(source, strategy, params, _spec(options))
    return _with_notes(result, notes)


def probe(source, *, steps: int = 1000, losses=None, device: str = "auto", seed: int = 0, features_file=None,
          log=None, **options):
    """A short training run on this label distribution (``imbalcheck probe``): does cross-entropy
    stall where the ladder predicts, does the recommended recipe help? Without ``losses`` it
    trains the baseline (plain cross-entropy, shuffled), the recipe (its sampler and loss) and
    the re-sampling alternative (its sampler with plain cross-entropy) on the same budget;
    ``losses`` ("ce,focal,...") trains those instead, each with plain shuffling. With ``log``
    (a CSV or JSON-lines ``step,loss`` file) your own run is placed on the ladder instead (no PyTorch).

    Returns a :class:`~imbalcheck.result.reports.ProbeReport`."""
    from .result.reports import ProbeReport

    _accept("probe", options, (*_read_keys(), "batch_size"))
    _no_classes(options, "probe")
    from .analysis import _integer

    if _integer(steps, "--steps") < 1:
        raise ConfigError(f"--steps must be >= 1, got {steps}")
    with collected() as notes:
        spec = _spec(options)
        _single_label(spec, "probe")
        reading = _read(source, spec)
        batch = min(options.get("batch_size") or defaults.BATCH_SIZE, reading.data.n_samples)
        result = _analysis(reading, {"batch_size": batch}, spec)
        if log is not None:
            from .probing import plateau_from_log

            found = plateau_from_log(log, result.counts)
    if log is not None:
        return ProbeReport(_with_notes(result, notes), log=found)
    with collected() as more:
        from .probing import run_probe

        rec = result.recommendation.loss
        recipe = result.recommendation.recipe
        if isinstance(losses, str):
            losses = tuple(losses.split(","))
        if losses:  # the user's losses, each with plain shuffling
            names, samplers = tuple(losses), None
            params = {rec.name: rec.params} if rec.name in names else None
        else:  # the baseline, the recipe, and the re-sampling alternative on the same budget
            runs = [(("ce", {}), ("instance", {}))]
            if rec.name != "ce":
                runs.append(((rec.name, rec.params), (recipe.sampler["name"], recipe.sampler["params"])))
            runs += [((alt["loss"]["name"], alt["loss"]["params"]), (alt["sampler"]["name"], alt["sampler"]["params"]))
                     for alt in recipe.alternatives]
            names, samplers, params = tuple(loss for loss, _ in runs), [s for _, s in runs], None
        features, y = _features(features_file, source, spec, result.labels) if features_file else (None, None)
        found = run_probe(result.counts, result.labels.tolist(), losses=names, loss_params=params,
                          batch_size=result.batch_size, steps=steps, device=device, seed=seed, features=features, y=y,
                          samplers=samplers)
    return ProbeReport(_with_notes(result, list(dict.fromkeys(notes + more))), probe=found)


def _no_classes(options: dict, command: str) -> None:
    if options.get("classes") is not None:
        raise ConfigError(f"--classes declares the expected classes of one input for profile, check and "
                          f"recommend; {command} does not use it: drop it")


def _single_label(spec, command: str) -> None:
    if spec.is_multi_label:
        raise ConfigError(f"--multi-label: {command} reads single-label distributions; multi-label input is not "
                          "supported there yet")


def _features(path, source, spec, labels):
    """Features from a .npy file and the class index of each labelled row of ``source`` (rows read
    and cleaned exactly as the counts were)."""
    import numpy as np

    from .errors import InputError
    from .tally.rows import RowLabels

    try:
        features = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except (OSError, ValueError):
        raise InputError(f"{path}: not a .npy array of numbers; save the features with numpy.save(path, array)") from None
    if spec.counts or spec.layout is not None:
        raise ConfigError("--features-file needs one row per sample; a counts table or a data-set layout has none")
    rows = _read(source, spec, RowLabels(spec.cleanup, spec.column)).data
    if features.ndim != 2 or features.shape[0] != len(rows):
        raise InputError(f"{path}: shape {features.shape} does not match the {len(rows):,} rows of {source}; "
                         "pass an (n_rows, n_features) array in the file's row order")
    index = {lab: i for i, lab in enumerate(labels.tolist())}
    keep = np.array([r is not None for r in rows])
    y = np.array([index[r] for r in rows if r is not None], dtype=np.int64)
    return features[keep], y
