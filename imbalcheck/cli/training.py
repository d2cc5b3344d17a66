"""``recommend``, ``sampler`` and ``probe``: what to train with, the sampler's per-row weights, and a
short run that checks the prediction."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import app
from .options import (
    BatchOpt,
    DebugOpt,
    Format,
    FormatOpt,
    OutputOpt,
    QuietOpt,
    RecommendFormat,
    Source,
    SplitOpt,
    given,
    reads_labels,
)
from .runtime import emit, emit_bytes, guard, resolve_format


@app.command()
@reads_labels
def recommend(
    source: Source,
    split: SplitOpt = None,
    fmt: Annotated[Optional[RecommendFormat], typer.Option("--format", "-f", metavar="FORMAT", help="rich, markdown, json, html, or torch (a ready-to-paste PyTorch snippet).", case_sensitive=False, show_default=False)] = None,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    read: dict = None,
) -> None:
    """The recommended class-count cutoff and loss; --format torch prints code that builds the loss."""
    with guard(quiet, debug) as run:
        import imbalcheck

        report = imbalcheck.recommend(source, **read, **given(split=split))
        if fmt is RecommendFormat.torch:
            from ..render.torch import torch_code

            emit(torch_code(report), output, (source,))
            return
        from ..render import render

        plain = Format(fmt.value) if fmt is not None else resolve_format(None, output)
        run.report(plain, output)
        emit(render(report, plain), output, (source,))


@app.command()
@reads_labels
def probe(
    source: Source,
    batch_size: BatchOpt = None,
    steps: Annotated[int, typer.Option("--steps", help="Training steps per loss.")] = 1000,
    losses: Annotated[Optional[str], typer.Option("--losses", help="Comma-separated losses to compare, each with plain shuffling (default: ce, the recommended recipe, and its re-sampling alternative).", show_default=False)] = None,
    device: Annotated[str, typer.Option("--device", help="auto (CUDA when present), cpu, cuda or cuda:N.")] = "auto",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the task, the initial weights and the batch order.")] = 0,
    features_file: Annotated[Optional[Path], typer.Option("--features-file", help="A .npy (n, d) array of real features aligned with the file's rows.", show_default=False)] = None,
    log: Annotated[Optional[Path], typer.Option("--log", help="Place your own training log (CSV or JSON lines with step,loss) on the ladder; no PyTorch needed.", show_default=False)] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Write the loss curves with the ladder to this PNG.", show_default=False)] = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    read: dict = None,
) -> None:
    """Train a small model on this label distribution: does cross-entropy stall where predicted, does the recommended loss help?"""
    with guard(quiet, debug) as run:
        import imbalcheck

        from ..errors import ConfigError
        from ..render import render

        fmt = resolve_format(fmt, output)
        if log is not None:
            training = {"steps": steps != 1000, "losses": losses, "device": device != "auto", "seed": seed != 0,
                        "features_file": features_file, "plot": plot, "batch_size": batch_size}
            used = [k for k, v in training.items() if v]
            if used:
                raise ConfigError(f"--{used[0].replace('_', '-')} configures the training run; with --log your own "
                                  "run is placed on the ladder and nothing is trained: drop it")
        report = imbalcheck.probe(source, steps=steps, losses=losses, device=device, seed=seed,
                                  features_file=features_file, log=log, **read, **given(batch_size=batch_size))
        if plot is not None:
            from ..render.plot import plot_probe

            emit_bytes(plot_probe(report.probe, report.profile.plateau), plot, (source,))
        run.report(fmt, output)
        emit(render(report, fmt), output, (source,) if log is None else (source, str(log)))


@app.command()
@reads_labels
def sampler(
    source: Source,
    strategy: Annotated[str, typer.Option("--strategy", "-s", help="instance, square_root, class_balanced, repeat_factor, progressive, undersample, or power (with --q).", show_default=True)] = "class_balanced",
    q: Annotated[Optional[float], typer.Option("--q", help="power: p_c proportional to n_c^q, q in [0, 1].", show_default=False)] = None,
    t: Annotated[Optional[float], typer.Option("--t", help="repeat_factor: the threshold t of r_c = max(1, sqrt(t / f_c)) (default 0.001).", show_default=False)] = None,
    cap: Annotated[Optional[int], typer.Option("--cap", help="undersample: samples kept per class (default: the median count).", show_default=False)] = None,
    progress: Annotated[Optional[float], typer.Option("--progress", help="progressive: t/T in [0, 1] (default 0.5).", show_default=False)] = None,
    weights_out: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write one weight per input row here: .npy, .csv or .pt.", show_default=False)] = None,
    fmt: Annotated[Optional[RecommendFormat], typer.Option("--format", "-f", metavar="FORMAT", help="rich, markdown, json, html (the per-class summary), or torch (a snippet that builds the sampler and the paired loss).", case_sensitive=False, show_default=False)] = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    read: dict = None,
) -> None:
    """Per-row weights for torch's WeightedRandomSampler under a sampling strategy (-o weights.npy)."""
    with guard(quiet, debug) as run:
        import imbalcheck

        from ..errors import ConfigError
        from ..result.sampler import WEIGHT_FILE_SUFFIXES

        if weights_out is not None and weights_out.suffix.lower() not in WEIGHT_FILE_SUFFIXES:
            raise ConfigError(f"-o {weights_out}: cannot write weights to a {weights_out.suffix or 'suffix-less'} "
                              f"file; use one of {', '.join(WEIGHT_FILE_SUFFIXES)} (e.g. -o weights.npy)")
        result = imbalcheck.sampler(source, strategy, q=q, t=t, cap=cap, progress=progress, **read)
        if weights_out is not None:
            emit_bytes(result.encode(weights_out.suffix), weights_out, (source,))
        if fmt is RecommendFormat.torch:
            from ..render.torch import sampler_code

            emit(sampler_code(result, weights_out), None, (source,))
            return
        from ..render import render

        plain = Format(fmt.value) if fmt is not None else Format.rich
        run.report(plain, None)
        emit(render(result, plain), None, (source,))
