"""PNG plots: a profile (sorted class counts on a log axis, the cumulative-share curve), a probe's
loss curves over the ladder, and a diff (both distributions on one log axis)."""

from __future__ import annotations

import io

import numpy as np

from ..metrics import FEW_SHOT_BELOW, MANY_SHOT_ABOVE

#: Above this many classes the counts are drawn as a line, not bars (100k classes in < 1 s).
BAR_LIMIT = 400


def plot_profile(profile, dpi: int = 110) -> bytes:
    """Two panels: counts by rank with the bucket bands and cutoff, and the Lorenz-style curve."""
    from matplotlib.figure import Figure  # a Figure needs no backend: the user's global choice is left alone
    from matplotlib.ticker import MaxNLocator

    counts = profile.counts
    ranks = np.arange(1, counts.size + 1)
    fig = Figure(figsize=(10, 4.2), dpi=dpi, layout="constrained")
    ax, ax2 = fig.subplots(1, 2, width_ratios=(3, 2))

    top = counts.max() * 1.6
    bands = [(MANY_SHOT_ABOVE, top, "#d9ead3", f"many-shot (>{MANY_SHOT_ABOVE})"),
             (FEW_SHOT_BELOW, MANY_SHOT_ABOVE, "#fff2cc", f"medium ({FEW_SHOT_BELOW}-{MANY_SHOT_ABOVE})"),
             (0.5, FEW_SHOT_BELOW, "#f4cccc", f"few-shot (<{FEW_SHOT_BELOW})")]
    for lo, hi, colour, name in bands:
        ax.axhspan(lo, hi, color=colour, alpha=0.6, lw=0, label=name)
    if counts.size <= BAR_LIMIT:
        ax.bar(ranks, counts, width=1.0, color="#3c78d8", edgecolor="none")
    else:
        ax.plot(ranks, counts, color="#3c78d8", lw=1.2, drawstyle="steps-mid")
        ax.set_xscale("log")
    cutoff = profile.recommendation.cutoff.min_count
    if cutoff and cutoff > counts.min():
        ax.axhline(cutoff, color="#cc0000", ls="--", lw=1.2, label=f"recommended cutoff ({cutoff:,})")
    ax.set_yscale("log")
    if counts.size <= BAR_LIMIT:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # ranks are whole numbers
    ax.set_ylim(0.5, top)
    ax.set_xlim(0.5, counts.size + 0.5)
    ax.set_xlabel("class rank (largest first)")
    ax.set_ylabel("samples (log scale)")
    ax.set_title(f"{counts.size:,} classes, imbalance {profile.imbalance_ratio:,.0f}:1")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)

    share = profile.cumulative_share
    ax2.plot(np.r_[0, ranks / counts.size], np.r_[0, share], color="#3c78d8", lw=1.5, label="this data")
    ax2.plot([0, 1], [0, 1], color="grey", ls=":", lw=1, label="balanced")
    ax2.set_xlabel("share of classes (largest first)")
    ax2.set_ylabel("share of samples")
    ax2.set_title(f"cumulative share (Gini {profile.gini:.2f})")
    ax2.set_xlim(0, 1)
    ax2.set_ylim(0, 1.01)
    ax2.legend(loc="lower right", fontsize=8)

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def plot_diff(diff, dpi: int = 110) -> bytes:
    """Both distributions' shares on one log axis, classes in the order of A's share (then B's),
    the changed classes marked (red: decreased or disappeared, green: increased or appeared)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    order = np.lexsort((-diff.share_b, -diff.share_a))
    a, b = diff.share_a[order], diff.share_b[order]
    x = np.arange(1, order.size + 1)
    floor = min(a[a > 0].min(initial=1.0), b[b > 0].min(initial=1.0)) / 3
    fig = Figure(figsize=(10, 4.2), dpi=dpi, layout="constrained")
    ax = fig.subplots()
    style = dict(drawstyle="steps-mid", lw=1.2) if order.size > BAR_LIMIT else dict(marker="o", ms=3, lw=0.8)
    ax.plot(x, np.where(a > 0, a, floor), color="#3c78d8", label=f"A: {_text(diff.source_a)}", **style)
    ax.plot(x, np.where(b > 0, b, floor), color="#e69138", label=f"B: {_text(diff.source_b)}", **style)
    position = {int(j): i for i, j in enumerate(order)}
    for c in diff.changed.tolist():  # a mark under the curves, so that many changed classes hide nothing
        i = position[c]
        up = diff.share_b[c] > diff.share_a[c]
        ax.plot([x[i]], [floor], marker="^" if up else "v", ms=5, color="#38761d" if up else "#cc0000", lw=0)
    ax.axhline(floor, color="grey", ls=":", lw=0.8, label="absent from the file")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_yscale("log")
    noun = "label" if diff.multi_label else "class"
    ax.set_xlabel(f"{noun} (largest in A first)")
    ax.set_ylabel(("share of samples carrying the label" if diff.multi_label else "share of samples") + " (log scale)")
    ax.set_title(f"{len(diff.changed)} {noun}{'s' if diff.multi_label else 'es'} changed (green up, red down); "
                 f"class-balanced shift {diff.class_balanced_shift:.2f}"
                 + ("" if diff.multi_label else f", TVD {diff.tvd:.4f}"))
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def plot_probe(result: dict, ladder: dict, dpi: int = 110) -> bytes:
    """Loss curves of every probe run with the predicted ladder as horizontal lines."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 4.5), dpi=dpi, layout="constrained")
    ax = fig.subplots()
    levels = [("ln K", ladder.initial_loss), ("prior", ladder.prior_loss),
              *[(f"top {r.top_k}", r.loss) for r in ladder.ladder]]
    for name, level in levels:
        ax.axhline(level, color="grey", ls=":", lw=0.8)
        ax.text(1.0, level, f" {name}", transform=ax.get_yaxis_transform(), va="center", fontsize=8, color="grey")
    for run in result["runs"]:
        curve = np.asarray(run["curve"], dtype=float)
        if curve.size:
            ax.plot(curve[:, 0], curve[:, 1], lw=1.4, label=f"{_run_name(run)} (bal. acc. {run['balanced_accuracy']:.1%})")
    ax.set_xlabel("step")
    ax.set_ylabel("training loss (nats)")
    ax.set_title(f"probe on {result['device']}: loss curves and the predicted stall levels")
    ax.legend(loc="upper right", fontsize=8)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _run_name(run: dict) -> str:
    """A run's loss, with its sampler when it is not plain shuffling."""
    sampler = (run.get("sampler") or {}).get("name", "instance")
    return run["loss"] if sampler == "instance" else f"{run['loss']} + {sampler} sampling"


def _text(text: str) -> str:
    """A file name or label as matplotlib prints it literally (a ``$`` would start mathtext)."""
    return str(text).replace("$", r"\$")
