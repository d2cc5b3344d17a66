"""``check`` and ``diff``: the CI gates (exit 1 when the data fails a threshold)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from . import app
from .options import (
    ConfigOpt,
    DebugOpt,
    Format,
    FormatOpt,
    MaxRowsOpt,
    MultiLabelOpt,
    OneHotOpt,
    OneHotPrefixOpt,
    OutputOpt,
    QuietOpt,
    ReadArgs,
    SepOpt,
    Source,
    reads_labels,
)
from .report import load_multilabel
from .runtime import (
    EXIT_FAILED_CHECK,
    analysis_options,
    emit,
    fail,
    fitted_batch,
    guard,
    load,
    render_report,
    resolve_format,
    thresholds,
)

@app.command()
@reads_labels
def check(
    source: Source,
    max_imbalance_ratio: Annotated[Optional[float], typer.Option(help="Fail above this max/min count ratio.")] = None,
    min_class_count: Annotated[Optional[int], typer.Option(help="Fail when a class has fewer samples.")] = None,
    max_top1_share: Annotated[Optional[float], typer.Option(help="Fail when the largest class holds a larger share (0-1).")] = None,
    min_evenness: Annotated[Optional[float], typer.Option(help="Fail below this evenness H / ln K (0-1).")] = None,
    require_stratifiable: Annotated[Optional[bool], typer.Option("--require-stratifiable/--no-require-stratifiable", help="Fail unless every class reaches every split of --split.", show_default=False)] = None,
    max_missing_share: Annotated[Optional[float], typer.Option(help="Fail when more labels are missing (0-1).")] = None,
    min_classes: Annotated[Optional[int], typer.Option(help="Fail with fewer classes.")] = None,
    max_mean_ir: Annotated[Optional[float], typer.Option(help="Multi-label: fail above this MeanIR (Charte et al.).")] = None,
    multi_label: MultiLabelOpt = False,
    sep: SepOpt = "|",
    one_hot: OneHotOpt = None,
    one_hot_prefix: OneHotPrefixOpt = None,
    split: Annotated[Optional[str], typer.Option("--split", help="Split for --require-stratifiable (default 0.8,0.1,0.1 or the config's).")] = None,
    config: ConfigOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    read: ReadArgs = ReadArgs(),
) -> None:
    """CI gate: exit 1 when the distribution breaks a threshold, listing every failed check."""
    with guard(quiet, debug):
        from ..analysis import analyze
        from ..check import evaluate
        from ..render.sections import check_sections, check_verdict

        limits = thresholds(config, {
            "max_imbalance_ratio": max_imbalance_ratio, "min_class_count": min_class_count,
            "max_top1_share": max_top1_share, "min_evenness": min_evenness,
            "require_stratifiable": require_stratifiable, "max_missing_share": max_missing_share,
            "min_classes": min_classes, "split": split, "max_mean_ir": max_mean_ir,
        })
        limits.pop("max_tvd", None)
        if not set(limits) - {"split", "folds", "batch_size"}:
            raise fail("no thresholds to check; pass e.g. --max-imbalance-ratio 100 or set them in [tool.imbalcheck] of pyproject.toml")
        if multi_label or one_hot or one_hot_prefix:
            from ..check import evaluate_multilabel

            options = analysis_options(limits.get("batch_size", 128), None, limits.get("split", "0.8,0.1,0.1"),
                               limits.get("folds", 5), 0.9999)
            mp = load_multilabel(source, read, sep, one_hot, one_hot_prefix, options)
            report = evaluate_multilabel(mp, limits, source)
        else:
            data = load(source, read)
            # the batch size matters to no threshold: the default quietly fits small files
            options = analysis_options(limits.get("batch_size", fitted_batch(data)), None,
                               limits.get("split", "0.8,0.1,0.1"), limits.get("folds", 5), 0.9999)
            report = evaluate(analyze(data, options, source=source), limits)
        fmt = resolve_format(fmt, output)
        emit(render_report(check_sections(report), f"imbalcheck check: {source}", check_verdict(report),
                             report.to_dict(), fmt), output, (source,))
        if fmt is not Format.json:
            typer.echo(check_verdict(report), err=True)
    if not report.passed:
        raise typer.Exit(EXIT_FAILED_CHECK)


@app.command()
@reads_labels
def diff(
    a: Annotated[str, typer.Argument(help="First labels file (e.g. train).", show_default=False)],
    b: Annotated[str, typer.Argument(help="Second labels file (e.g. test).", show_default=False)],
    max_tvd: Annotated[Optional[float], typer.Option(help="Exit 1 when the total-variation distance exceeds this (0-1).")] = None,
    config: ConfigOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    max_rows: MaxRowsOpt = 20,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
    read: ReadArgs = ReadArgs(),
) -> None:
    """Compare two label files: classes only in one, per-class shift, TVD and JS divergence."""
    with guard(quiet, debug):
        from ..check import check_threshold
        from ..diff import compare
        from ..render.sections import diff_sections

        limit = thresholds(config, {"max_tvd": max_tvd}).get("max_tvd")
        read = read
        result = compare(load(a, read), load(b, read), a, b)
        gate = check_threshold("max_tvd", limit, result.tvd) if limit is not None else None
        document = result.to_dict()
        if gate is not None:
            document["check"] = {"name": gate.name, "limit": gate.limit, "observed": gate.observed, "passed": gate.passed}
        verdict_line = (f"TVD {result.tvd:.4f}, JS {result.js_divergence:.4f} bits; "
                        f"{len(result.only_in_a)} classes only in A, {len(result.only_in_b)} only in B")
        emit(render_report(diff_sections(result, max_rows, gate), f"imbalcheck diff: {a} vs {b}", verdict_line,
                             document, resolve_format(fmt, output)), output, (a, b))
    if gate is not None and not gate.passed:
        typer.echo(f"imbalcheck: max_tvd failed: {result.tvd:.4f} > {limit:g}", err=True)
        raise typer.Exit(EXIT_FAILED_CHECK)
