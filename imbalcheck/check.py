"""Thresholds as data: each check is (name, limit, observed, passed), and every one is evaluated.

Thresholds come from ``[tool.imbalcheck]`` in the nearest ``pyproject.toml`` (or a
file given with ``--config``), overridden by command-line options. The TOML is
parsed as data, never evaluated, and unknown keys are an error.
"""

from __future__ import annotations

import math
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: key -> (kind, direction, description). kind: the TOML type accepted.
THRESHOLDS = {
    "max_imbalance_ratio": (float, "max", "imbalance ratio (max/min count)"),
    "min_class_count": (int, "min", "smallest class count"),
    "max_top1_share": (float, "max", "share of the largest class"),
    "min_evenness": (float, "min", "evenness H / ln K"),
    "require_stratifiable": (bool, "require", "every class reaches every split"),
    "max_missing_share": (float, "max", "share of samples with a missing label"),
    "min_classes": (int, "min", "number of classes"),
    "max_tvd": (float, "max", "total-variation distance between the two files"),
    "max_mean_ir": (float, "max", "multi-label MeanIR (Charte et al. 2015)"),
}
#: Keys that configure the analysis rather than a threshold.
SETTINGS = {"split": str, "folds": int, "batch_size": int}


@dataclass(frozen=True)
class Check:
    name: str
    limit: float | int | bool
    observed: float | int | bool | None
    passed: bool
    description: str


@dataclass(frozen=True)
class CheckReport:
    source: str
    checks: list[Check]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def to_dict(self) -> dict:
        from .result import SCHEMA_VERSION, _json_safe

        return _json_safe({
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "passed": self.passed,
            "failed": [c.name for c in self.failed],
            "checks": [asdict(c) for c in self.checks],
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
    known = {**{k: v[0] for k, v in THRESHOLDS.items()}, **SETTINGS}
    out = {}
    for key, value in table.items():
        norm = key.replace("-", "_")
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


#: The range each threshold's limit must lie in.
_RANGES = {"max_top1_share": (0.0, 1.0), "min_evenness": (0.0, 1.0), "max_missing_share": (0.0, 1.0),
           "max_tvd": (0.0, 1.0), "max_imbalance_ratio": (1.0, math.inf), "max_mean_ir": (1.0, math.inf),
           "min_class_count": (0, math.inf), "min_classes": (0, math.inf)}


def validate_limits(limits: dict) -> dict:
    """Reject NaN and out-of-range limits (a usage error, not a data failure)."""
    for key, value in limits.items():
        if key not in _RANGES or value is None:
            continue
        low, high = _RANGES[key]
        if isinstance(value, float) and math.isnan(value) or not low <= value <= high:
            option = "--" + key.replace("_", "-")
            raise ConfigError(f"{option} {value!r} is out of range; it must be between {low:g} and {high:g}")
    return limits


def evaluate(profile, thresholds: dict) -> CheckReport:
    """Evaluate every threshold present in ``thresholds`` against a profile."""
    observed = {
        "max_imbalance_ratio": profile.imbalance_ratio,
        "min_class_count": int(profile.counts.min()),
        "max_top1_share": profile.top_k_share.get("1"),
        "min_evenness": profile.evenness,
        "require_stratifiable": profile.stratification["feasible"],
        "max_missing_share": profile.missing_share,
        "min_classes": profile.n_classes,
    }
    return CheckReport(profile.source, [_check(k, thresholds[k], observed[k]) for k in THRESHOLDS if k in thresholds and k in observed])


def evaluate_multilabel(profile, thresholds: dict, source: str) -> CheckReport:
    """The thresholds that apply to a multi-label profile (a label's positives count as its class count)."""
    total = profile.n_samples + profile.n_missing
    observed = {
        "max_imbalance_ratio": profile.max_ir,
        "max_mean_ir": profile.mean_ir,
        "min_class_count": int(profile.counts.min()) if profile.n_labels else 0,
        "require_stratifiable": profile.stratification["feasible"],
        "max_missing_share": profile.n_missing / total if total else 0.0,
        "min_classes": profile.n_labels,
    }
    return CheckReport(source, [_check(k, thresholds[k], observed[k]) for k in THRESHOLDS if k in thresholds and k in observed])


def _check(name: str, limit, value) -> Check:
    kind, direction, description = THRESHOLDS[name]
    if direction == "max":
        passed = value <= limit
    elif direction == "min":
        passed = value >= limit
    else:
        passed = bool(value) or not limit
    return Check(name, limit, value, bool(passed), description)


def check_threshold(name: str, limit, value) -> Check:
    """One check outside a profile (e.g. ``max_tvd`` of a diff)."""
    return _check(name, limit, value)
