"""Loss curves without PyTorch: plateau detection, ladder placement and training-log reading.

Plateau rule (:func:`detect_plateau`)
-------------------------------------
Given logged points (step_t, loss_t), t = 0..n-1:

1. Smooth with a trailing moving average over ``w = max(3, n // 20)`` points:
   S_t = mean(loss_{t-w+1..t}). Let F = S_{n-1}, the final level.
2. Noise: sigma = robust standard deviation of the point-to-point noise over the last
   2w points (1.4826 * MAD of the first differences / sqrt 2), so a trend does not
   count as noise. The difference of two independent w-point means then has standard
   error se = sigma * sqrt(2 / w).
3. Tolerance: tol = max(2% of |F|, 3 se, 0.002 nats).
4. The curve has *reached* a plateau when its last window improved on the window
   before by at most tol: |S_{n-1-w} - F| <= tol ("relative improvement over the
   trailing window below 2%, or below the noise").
5. The plateau starts at the earliest point after which the smoothed curve never
   again leaves the band F +- tol; as S_t averages the w points up to t, the reported
   step is that of the first point of the first in-band window. Its level is the mean
   of the raw losses over the plateau's last 2w points (the expected loss there; a
   median would understate the right-skewed batch losses of rare classes).

If the curve has not reached a plateau, ``step`` is None and ``loss`` is the final
level F (where training stood when the budget ran out).
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..metrics import entropy
from ..plateau import initial_loss, ladder, nearest_rung

#: Plateau-rule constants (see the module docstring).
PLATEAU_REL_TOL = 0.02
PLATEAU_ABS_TOL = 0.002
PLATEAU_N_SIGMA = 3.0
#: A loss within this many nats of a named level counts as "on the ladder".
ON_LADDER_NATS = 0.1
#: Curves in results are averaged down to at most this many points.
MAX_CURVE_POINTS = 500

STEP_COLUMNS = ("step", "global_step", "iteration", "iter", "epoch")
LOSS_COLUMNS = ("loss", "train_loss", "training_loss")


def detect_plateau(steps, losses, *, window: int | None = None, rel_tol: float = PLATEAU_REL_TOL,
                   abs_tol: float = PLATEAU_ABS_TOL, n_sigma: float = PLATEAU_N_SIGMA) -> dict:
    """Where a loss curve flattens, by the rule in the module docstring.

    Returns ``{"step": int | None, "loss": float, "reached": bool, "final_loss": float,
    "tolerance": float, "window": int}``.
    """
    x = np.asarray(losses, dtype=np.float64).reshape(-1)
    s = np.asarray(steps).reshape(-1)
    if x.size != s.size:
        raise ValueError("steps and losses have different lengths")
    if x.size == 0:
        raise InputError("the loss curve is empty")
    n = x.size
    w = int(window) if window else max(3, n // 20)
    if n < 2 * w + 1:
        level = float(np.median(x[-w:]))
        return {"step": None, "loss": level, "reached": False, "final_loss": level, "tolerance": None, "window": w}
    cs = np.concatenate([[0.0], np.cumsum(x)])
    smooth = (cs[w:] - cs[:-w]) / w  # smooth[j] averages points j..j+w-1, i.e. S_t with t = j + w - 1
    final = float(smooth[-1])
    tail = np.diff(x[-2 * w :])
    sigma = 1.4826 * float(np.median(np.abs(tail - np.median(tail)))) / math.sqrt(2.0)
    tol = max(rel_tol * abs(final), n_sigma * sigma * math.sqrt(2.0 / w), abs_tol)
    reached = abs(float(smooth[-1 - w]) - final) <= tol
    if not reached:
        return {"step": None, "loss": final, "reached": False, "final_loss": final, "tolerance": tol, "window": w}
    outside = np.flatnonzero(np.abs(smooth - final) > tol)
    start = 0 if outside.size == 0 else int(outside[-1]) + 1  # first point of the first in-band window
    return {
        "step": int(s[start]),
        "loss": float(x[max(start, n - 2 * w) :].mean()),
        "reached": True,
        "final_loss": final,
        "tolerance": tol,
        "window": w,
    }


def downsample_curve(steps, losses, max_points: int = MAX_CURVE_POINTS) -> list[list]:
    """``[[step, loss], ...]`` with at most ``max_points`` entries.

    Longer curves are cut into ``max_points`` contiguous bins; each entry is the mean
    loss of a bin at the bin's last step.
    """
    x = np.asarray(losses, dtype=np.float64).reshape(-1)
    s = np.asarray(steps).reshape(-1)
    if x.size <= max_points:
        return [[int(a), float(b)] for a, b in zip(s, x)]
    edges = np.linspace(0, x.size, max_points + 1).round().astype(np.int64)
    starts, ends = edges[:-1], edges[1:]
    means = np.add.reduceat(x, starts) / (ends - starts)
    return [[int(s[e - 1]), float(m)] for e, m in zip(ends, means)]


def place_on_ladder(loss: float, counts) -> dict:
    """The nearest named cross-entropy level for ``loss`` (see :mod:`imbalcheck.plateau`).

    Candidates: the initial loss ln K (``top_k`` None), the prior entropy (0), the rungs
    L_k of :func:`imbalcheck.plateau.ladder` and L_K = 0 (``top_k`` K, all classes
    learned). Returns ``{"top_k": int | None, "loss": float, "distance": float,
    "on_ladder": bool}``; ``on_ladder`` is True within :data:`ON_LADDER_NATS` of a
    stall level (any candidate but L_K).
    """
    counts = np.asarray(counts)
    k = counts.size
    # L_K = 0 (every class learned) closes the ladder, so a loss near 0 is not read as a stall.
    rungs = [*ladder(counts), {"top_k": k, "loss": 0.0}]
    rung = nearest_rung(float(loss), rungs, prior=entropy(counts), initial=initial_loss(k))
    top_k = rung["top_k"]
    return {
        "top_k": None if top_k is None else int(top_k),
        "loss": float(rung["loss"]),
        "distance": float(rung["distance"]),
        "on_ladder": bool(rung["distance"] <= ON_LADDER_NATS and top_k != k),
    }


def _pick(columns: list[str], wanted: tuple[str, ...]) -> str | None:
    lowered = {c.strip().lower(): c for c in columns}
    for name in wanted:
        if name in lowered:
            return lowered[name]
    return None


def _number(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _read_jsonl(text: str, source: str) -> list[tuple[float | None, float]]:
    rows = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise InputError(f"{source}: line {lineno} is not valid JSON") from None
        if not isinstance(record, dict):
            continue
        loss_key = _pick(list(record), LOSS_COLUMNS)
        if loss_key is None:
            continue  # e.g. an evaluation record in the same log
        step_key = _pick(list(record), STEP_COLUMNS)
        loss = _number(record[loss_key])
        if loss is None:
            continue
        rows.append((None if step_key is None else _number(record[step_key]), loss))
    return rows


def _read_csv(text: str, source: str) -> list[tuple[float | None, float]]:
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    delimiter = max(",\t;", key=first.count)
    reader = csv.reader(io.StringIO(text.lstrip()), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise InputError(f"{source}: empty log")
    loss_key = _pick(header, LOSS_COLUMNS)
    if loss_key is None:
        raise InputError(
            f"{source}: no loss column; the header needs one of {', '.join(LOSS_COLUMNS)} "
            f"(and optionally one of {', '.join(STEP_COLUMNS)})"
        )
    step_key = _pick(header, STEP_COLUMNS)
    li = header.index(loss_key)
    si = None if step_key is None else header.index(step_key)
    rows = []
    for row in reader:
        if len(row) <= li:
            continue
        loss = _number(row[li].strip() or None)
        if loss is None:
            continue
        step = None if si is None or len(row) <= si else _number(row[si].strip() or None)
        rows.append((step, loss))
    return rows


def read_log(path) -> tuple[np.ndarray, np.ndarray, int]:
    """Read ``(steps, losses, n_nonfinite)`` from a CSV or JSON-lines training log.

    CSV needs a header with a ``loss`` column and usually a ``step`` column (aliases:
    :data:`LOSS_COLUMNS`, :data:`STEP_COLUMNS`; delimiter ``,``, tab or ``;``). JSON lines
    need records with those keys; records without a loss are skipped. Without a step
    column the record index is the step. Points are sorted by step; when a step repeats
    (a resumed run) the last record wins. NaN/inf losses are dropped and counted.
    """
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as err:
        raise InputError(f"{source}: cannot read the log ({err.strerror or err})") from None
    is_json = Path(path).suffix.lower() in (".jsonl", ".ndjson", ".json") or text.lstrip().startswith("{")
    rows = _read_jsonl(text, source) if is_json else _read_csv(text, source)
    if not rows:
        raise InputError(f"{source}: no (step, loss) records found")
    steps = np.array([i if st is None else st for i, (st, _) in enumerate(rows)], dtype=np.float64)
    losses = np.array([loss for _, loss in rows], dtype=np.float64)
    finite = np.isfinite(losses) & np.isfinite(steps)
    n_nonfinite = int((~finite).sum())
    steps, losses = steps[finite], losses[finite]
    if steps.size == 0:
        raise InputError(f"{source}: every logged loss is NaN or infinite")
    # Keep the last record of each step, in step order.
    order = np.argsort(steps, kind="stable")
    steps, losses = steps[order], losses[order]
    last = np.append(steps[1:] != steps[:-1], True)
    return steps[last].astype(np.int64), losses[last], n_nonfinite


def plateau_from_log(path, counts=None, *, max_points: int = MAX_CURVE_POINTS) -> dict:
    """Curve and plateau of a user's training log (no PyTorch needed).

    Returns ``{"source", "n_points", "n_nonfinite", "curve": [[step, loss], ...],
    "plateau": {...}}`` (see :func:`detect_plateau`); with ``counts`` (the label
    distribution the run trained on) also ``"rung"`` from :func:`place_on_ladder`,
    meaningful when the logged loss is plain cross-entropy in nats.
    """
    steps, losses, n_nonfinite = read_log(path)
    out = {
        "source": str(path),
        "n_points": int(losses.size),
        "n_nonfinite": n_nonfinite,
        "curve": downsample_curve(steps, losses, max_points),
        "plateau": detect_plateau(steps, losses),
    }
    if counts is not None:
        out["rung"] = place_on_ladder(out["plateau"]["loss"], counts)
    return out
