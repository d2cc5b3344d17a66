"""``profile`` and ``weights``: the full report of one distribution, and its class weights."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import app
from .options import (
    AllClassesOpt,
    BatchOpt,
    BetaOpt,
    DebugOpt,
    FoldsOpt,
    Format,
    FormatOpt,
    ByOpt,
    MaxRowsOpt,
    Normalize,
    OutputOpt,
    PlotOpt,
    QuietOpt,
    Scheme,
    SeedsOpt,
    Source,
    SplitOpt,
    TopKOpt,
    given,
    reads_labels,
)
from .runtime import check_render_options, emit, emit_bytes, guard, relative_link, resolve_format


@app.command()
@reads_labels
def profile(
    source: Source,
    batch_size: BatchOpt = None,
    top_k: TopKOpt = None,
    split: SplitOpt = None,
    folds: FoldsOpt = None,
    seeds: SeedsOpt = None,
    beta: BetaOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    max_rows: MaxRowsOpt = None,
    all_classes: AllClassesOpt = False,
    plot: PlotOpt = None,
    by: ByOpt = None,
    dataset_split: Annotated[Optional[str], typer.Option("--dataset-split", help="A Hugging Face dataset folder (save_to_disk or the Hub's parquet layout): profile this split only (default: every split and their drift).", show_default=False)] = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    read: dict = None,
) -> None:
    """Profile a label distribution: imbalance, batches, gradient share, splits, plateau, advice."""
    with guard(quiet, debug) as run:
        import imbalcheck

        from .. import defaults
        from ..errors import ConfigError
        from ..render import render

        fmt = resolve_format(fmt, output)
        check_render_options(fmt, max_rows, all_classes)
        if by is not None and plot is not None:
            raise ConfigError("--plot draws one distribution; with --by, profile one group at a time to plot it")
        result = imbalcheck.profile(source, by=by, dataset_split=dataset_split, **read,
                                    **given(batch_size=batch_size, top_k=top_k or None,
                                                                   split=split, folds=folds, seeds=seeds, beta=beta))
        if all_classes and not (hasattr(result, "n_classes") or hasattr(result, "groups")):
            raise ConfigError("--all-classes applies to single-label JSON; a multi-label report lists every label")
        image = None
        if plot is not None:
            image = _plot(result, plot, output, source)
        run.report(fmt, output)
        max_classes = None if all_classes else defaults.JSON_MAX_CLASSES
        emit(render(result, fmt, max_rows=max_rows or defaults.MAX_ROWS, image=image, max_classes=max_classes),
             output, (source,))
        if fmt is Format.json and max_classes is not None and getattr(result, "n_classes", 0) > max_classes:
            from ..errors import warn
            from ..result.profile import omitted_note

            warn(omitted_note(max_classes, result.n_classes))


def _plot(result, plot: Path, output: Optional[Path], source: str) -> str:
    """Write the PNG; returns how the markdown report refers to it (relative to the report's folder)."""
    from ..errors import ConfigError
    from ..render.plot import plot_profile
    from ..result import Profile

    if not isinstance(result, Profile):
        raise ConfigError("--plot draws a single-label class-count plot; drop it for multi-label input")
    emit_bytes(plot_profile(result), plot, (source,))
    return relative_link(plot, output)


@app.command()
@reads_labels
def weights(
    source: Source,
    scheme: Annotated[Optional[Scheme], typer.Option("--scheme", "-s", help="Weighting scheme (default inverse; multi-label: pos_weight, its only scheme).", case_sensitive=False, show_default=False)] = None,
    beta: BetaOpt = None,
    normalize: Annotated[Optional[Normalize], typer.Option("--normalize", help="Scale: samples (mean weight per sample 1, scikit-learn's), classes (sum = K, Cui et al.'s) or none (the raw formula); default: the scheme's own.", case_sensitive=False, show_default=False)] = None,
    fmt: Annotated[Optional[Format], typer.Option("--format", "-f", metavar="FORMAT", help="json (label -> weight, the default), rich, markdown or html (with the normalisation stated).", case_sensitive=False, show_default=False)] = None,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    read: dict = None,
) -> None:
    """Print per-class loss weights as JSON (label -> weight), ready for training code."""
    with guard(quiet, debug) as run:
        import imbalcheck

        from ..render import render

        result = imbalcheck.class_weights(source, scheme and scheme.value, beta=beta,
                                          normalize=normalize and normalize.value, **read)
        fmt = fmt or Format.json
        run.report(fmt, output)
        emit(render(result, fmt), output, (source,))
