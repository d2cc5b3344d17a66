"""The CI gate as data: each threshold knows its input, direction, range and how it is observed.

A check is (name, limit, observed, passed); every threshold given is evaluated and every
failure listed. A threshold that does not apply to the input (``--max-mean-ir`` on
single-label data, ``--min-evenness`` on multi-label data) is a :class:`ConfigError`,
never a silent pass: the gate cannot pass without evaluating what it was given.

Thresholds come from ``[tool.imbalcheck]`` in a TOML file (the CLI finds the nearest
``pyproject.toml``; the API reads one only when given ``config=``), overridden by the
options given. The TOML is parsed as data, never evaluated, and unknown keys are an error.
"""

from __future__ import annotations

import math
import sys

import numpy as np
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from .defaults import SCHEMA_VERSION
from .errors import ConfigError
from .result.display import Displayable, json_safe

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SINGLE, MULTI, DIFF = "single-label", "multi-label", "diff"


@dataclass(frozen=True)
class Threshold:
    """One gate: ``observe(result)`` is compared with the limit in ``direction``.

    ``inputs`` are the kinds of result it applies to (single-label, multi-label, diff);
    ``low``/``high`` bound the limit a user may set; ``kind`` is the TOML type accepted.
    """

    name: str
    description: str
    direction: str  # "max": observed <= limit passes; "min": observed >= limit; "require": observed must hold
    kind: type
    inputs: tuple[str, ...]
    low: float
    high: float
    observe: Callable = None

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    def validate(self, value):
        """The limit, or :class:`ConfigError` when it is of the wrong type, not finite or out of range."""
        if self.kind is bool:
            if not isinstance(value, (bool, np.bool_)):
                raise ConfigError(f"{self.option} must be True or False, got {value!r}")
            return bool(value)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ConfigError(f"{self.option} must be a number, got {value!r}")
        if self.kind is int and float(value) != int(value):
            raise ConfigError(f"{self.option} must be a whole number, got {value!r}")
        if not math.isfinite(value):
            raise ConfigError(f"{self.option} {value!r} is not a finite number; give a limit a check can fail")
        if not self.low <= value <= self.high:
            bounds = f"at least {self.low:g}" if math.isinf(self.high) else f"between {self.low:g} and {self.high:g}"
            raise ConfigError(f"{self.option} {value!r} is out of range; it must be {bounds}")
        return self.kind(value)

    def evaluate(self, result, limit) -> Check:
        value = self.observe(result)
        if self.direction == "max":
            passed = value <= limit
        elif self.direction == "min":
            passed = value >= limit
        else:
            passed = bool(value) or not limit
        return Check(self.name, limit, value, bool(passed), self.description)


def _top1(p):
    return p.top_k_share[1] if 1 in p.top_k_share else float(p.counts.max() / p.n_samples)


def _missing_share(p) -> float:
    total = p.n_samples + p.n_missing
    return p.n_missing / total if total else 0.0


_INF = math.inf
THRESHOLDS = {t.name: t for t in (
    Threshold("max_imbalance_ratio", "imbalance ratio (max/min count)", "max", float, (SINGLE, MULTI), 1.0, _INF,
              lambda p: p.max_ir if hasattr(p, "max_ir") else p.imbalance_ratio),
    Threshold("min_class_count", "smallest class count", "min", int, (SINGLE, MULTI), 0, _INF,
              lambda p: int(p.counts.min()) if p.counts.size else 0),
    Threshold("max_top1_share", "share of the largest class", "max", float, (SINGLE,), 0.0, 1.0, _top1),
    Threshold("min_evenness", "evenness H / ln K", "min", float, (SINGLE,), 0.0, 1.0, lambda p: p.evenness),
    Threshold("require_stratifiable", "every class reaches every split", "require", bool, (SINGLE, MULTI), 0, 1,
              lambda p: p.stratification.feasible),
    Threshold("max_missing_share", "share of samples with a missing label", "max", float, (SINGLE, MULTI), 0.0, 1.0,
              _missing_share),
    Threshold("min_classes", "number of classes", "min", int, (SINGLE, MULTI), 0, _INF,
              lambda p: p.n_labels if hasattr(p, "n_labels") else p.n_classes),
    Threshold("max_mean_ir", "multi-label MeanIR (Charte et al. 2015)", "max", float, (MULTI,), 1.0, _INF,
              lambda p: p.mean_ir),
    Threshold("max_classes_without_samples", "declared classes without a sample", "max", int, (SINGLE, MULTI), 0,
              _INF, lambda p: len(p.classes_without_samples)),
    Threshold("max_tvd", "total-variation distance between the two files", "max", float, (DIFF,), 0.0, 1.0,
              lambda d: d.tvd),
    Threshold("max_class_balanced_shift", "mean relative change of a class's share (every class weighted equally)",
              "max", float, (DIFF,), 0.0, 1.0, lambda d: d.class_balanced_shift),
)}
#: Keys that configure a threshold rather than being one: the split that ``require_stratifiable`` checks.
SETTINGS = {"split": str}
#: Keys that an earlier release accepted and that no threshold depends on: refused, with the reason.
_NO_EFFECT = {"folds": "no threshold checks k-fold feasibility", "batch_size": "no threshold depends on the batch size"}


@dataclass(frozen=True)
class Check:
    """One threshold evaluated: ``group`` names the group of rows (``check --by``), else None."""

    name: str
    limit: float | int | bool
    observed: float | int | bool | None
    passed: bool
    description: str
    group: str | None = None

    @property
    def label(self) -> str:
        """The name, with the group of rows it was evaluated on (``check --by``)."""
        return self.name if self.group is None else f"{self.name} [{self.group}]"


@dataclass(frozen=True, repr=False)
class CheckReport(Displayable):
    """Every threshold evaluated against one input."""

    source: str
    checks: tuple[Check, ...]
    warnings: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def to_dict(self) -> dict:
        return json_safe({
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "passed": self.passed,
            "failed": [c.label for c in self.failed],
            # ``group`` only for checks of a group of rows (check --by): other documents keep their shape
            "checks": [{k: v for k, v in asdict(c).items() if k != "group" or v is not None} for c in self.checks],
            "warnings": list(self.warnings),
        })


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start``."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None, *, explicit: bool) -> dict:
    """The ``[tool.imbalcheck]`` table of a TOML file (or its top level for a non-pyproject file).

    Missing table in an auto-discovered pyproject: empty config. Unknown keys and
    wrong types raise :class:`ConfigError` naming the key.
    """
    if path is None:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"--config {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config ({exc}); check the path and its encoding") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc}); fix the syntax") from None
    tool = data.get("tool", {})
    table = tool.get("imbalcheck") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.imbalcheck] must be a table of thresholds, not {table!r}")
    if table is None:
        if explicit and Path(path).name != "pyproject.toml":
            table = data
        else:
            return {}
    return validate_config(table, str(path))


def validate_config(table: dict, where: str) -> dict:
    known = {**{k: t.kind for k, t in THRESHOLDS.items()}, **SETTINGS}
    out = {}
    for key, value in table.items():
        norm = key.replace("-", "_")
        if norm in _NO_EFFECT:
            raise ConfigError(f"{where}: {key} in [tool.imbalcheck] has no effect ({_NO_EFFECT[norm]}); remove it")
        if norm not in known:
            raise ConfigError(f"{where}: unknown key {key!r} in [tool.imbalcheck]; known keys: {', '.join(sorted(known))}")
        kind = known[norm]
        ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            ok, value = True, float(value)
        if not ok:
            raise ConfigError(f"{where}: {key} must be a {kind.__name__}, got {value!r}")
        out[norm] = value
    return out


def thresholds(config: Path | str | None, given: dict, *, explicit: bool = True) -> dict:
    """The limits and settings of a config file, overridden by the ``given`` options (None = not given),
    every limit validated. ``require_stratifiable = false`` asks for nothing: it is dropped (it lets an
    option switch off the config's requirement)."""
    merged = load_config(Path(config) if config is not None else None, explicit=explicit)
    merged.update({k: v for k, v in given.items() if v is not None})
    out = {k: (THRESHOLDS[k].validate(v) if k in THRESHOLDS else v) for k, v in merged.items()}
    if out.get("require_stratifiable") is False:
        del out["require_stratifiable"]
    return out


def evaluate(result, limits: dict, kind: str, source: str) -> CheckReport:
    """Evaluate every threshold in ``limits`` against ``result`` (a profile of ``kind``, or a diff).

    A threshold that does not apply to ``kind`` is a :class:`ConfigError`, also when other
    thresholds do apply.
    """
    given = [THRESHOLDS[k] for k in THRESHOLDS if k in limits]
    for t in given:
        if kind not in t.inputs:
            raise ConfigError(inapplicable(t, kind))
    return CheckReport(source, tuple(t.evaluate(result, limits[t.name]) for t in given))


def inapplicable(t: Threshold, kind: str) -> str:
    """Why threshold ``t`` cannot be evaluated on ``kind`` input, and the fix."""
    if t.inputs == (DIFF,):
        return f"{t.option} compares two files; use it with `imbalcheck diff A B`, not on one input"
    if t.inputs == (MULTI,):
        return (f"{t.option} does not apply to single-label input: the {t.description} is defined for multi-label "
                "data; drop it, or read the input with --multi-label, --one-hot or --one-hot-prefix")
    return (f"{t.option} does not apply to {kind} input: the {t.description} is defined for "
            f"{' and '.join(t.inputs)} data only; drop it")
