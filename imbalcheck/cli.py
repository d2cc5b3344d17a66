"""The ``imbalcheck`` command line: parse, call the library, pick a renderer, map errors to exit codes.

Exit codes: 0 ok, 1 the data failed a check, 2 bad usage or input, 130 interrupted.
Heavy modules are imported inside the commands so ``imbalcheck --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import enum
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import ImbalcheckError

app = typer.Typer(
    name="imbalcheck",
    help="How badly will this label distribution hurt training, and what to do about it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Above this many classes JSON lists the head and tail only, unless --all-classes.
JSON_MAX_CLASSES = 100_000

EXIT_FAILED_CHECK = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class Format(str, enum.Enum):
    rich = "rich"
    markdown = "markdown"
    json = "json"


_FORMAT_BY_SUFFIX = {".json": Format.json, ".md": Format.markdown, ".markdown": Format.markdown}

Source = Annotated[str, typer.Argument(help="Labels file (csv, tsv, parquet, jsonl, json, txt; optionally .gz) or - for stdin.", show_default=False)]
ColumnOpt = Annotated[Optional[str], typer.Option("--column", "-c", help="Label column (default: label/labels/target/class/y, or the only column).")]
CountsOpt = Annotated[bool, typer.Option("--counts", help="The file is a label,count table (e.g. SQL or Spark output).")]
CountColumnOpt = Annotated[Optional[str], typer.Option("--count-column", help="Count column of a --counts table (default: count/n/frequency).")]
InputFormatOpt = Annotated[Optional[str], typer.Option("--input-format", help="Override the format detected from the extension: csv, tsv, parquet, jsonl, json, txt.")]
EncodingOpt = Annotated[str, typer.Option("--encoding", help="Text encoding of csv/tsv/txt/json input.")]
NaValuesOpt = Annotated[Optional[str], typer.Option("--na-values", help="Comma-separated label texts to treat as missing (e.g. NA,null). Default: only empty fields are missing.")]
StripOpt = Annotated[bool, typer.Option("--strip", help="Strip surrounding whitespace from labels (merging labels that then coincide).")]
NumericOpt = Annotated[bool, typer.Option("--numeric-labels", help="Merge labels that denote the same number ('01', '1', '1.0').")]
MultiLabelOpt = Annotated[bool, typer.Option("--multi-label", help="Each cell holds several labels separated by --sep.")]
SepOpt = Annotated[str, typer.Option("--sep", help="Separator of --multi-label cells.")]
OneHotOpt = Annotated[Optional[str], typer.Option("--one-hot", help="Multi-label indicator columns, comma-separated (values 0/1).")]
OneHotPrefixOpt = Annotated[Optional[str], typer.Option("--one-hot-prefix", help="Multi-label indicator columns: every column starting with this prefix.")]
LayoutOpt = Annotated[Optional[str], typer.Option("--layout", help="Vision layout: imagefolder, coco or yolo (default: detected for a folder or a COCO file).")]
CountWhatOpt = Annotated[str, typer.Option("--count", help="COCO/YOLO: count 'instances' (objects) or 'images' containing each class.")]
BatchOpt = Annotated[int, typer.Option("--batch-size", "-b", help="Training batch size.")]
TopKOpt = Annotated[Optional[list[int]], typer.Option("--top-k", help="Extra k for the top-k share (repeatable); 1, 5, 10 always.")]
SplitOpt = Annotated[str, typer.Option("--split", help="Stratified split fractions train,val,test (or train,test).")]
FoldsOpt = Annotated[int, typer.Option("--folds", help="k for stratified k-fold feasibility.")]
BetaOpt = Annotated[float, typer.Option("--beta", help="beta of the effective-number weights (Cui et al. 2019).")]
FormatOpt = Annotated[Optional[Format], typer.Option("--format", "-f", help="Output format (default: from --output's extension, else rich).", case_sensitive=False)]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file (atomically) instead of stdout.")]
MaxRowsOpt = Annotated[int, typer.Option("--max-rows", help="Class-table rows shown (head and tail) in rich and markdown.")]
AllClassesOpt = Annotated[bool, typer.Option("--all-classes", help="JSON: list every class even beyond 100,000 (by default the largest and smallest 50,000 each).")]
PlotOpt = Annotated[Optional[Path], typer.Option("--plot", help="Also write a PNG plot of the class counts.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no warnings on stderr.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.", hidden=True)]


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"imbalcheck: error: {message}", err=True)
    return typer.Exit(code)


@contextlib.contextmanager
def _guard(quiet: bool = False, debug: bool = False):
    """Run a command: the package's errors become one line on stderr and an exit code."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        except ImbalcheckError as exc:
            if debug:
                raise
            raise _fail(str(exc)) from None
        except KeyboardInterrupt:
            raise _fail("interrupted", EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        finally:
            if not quiet:
                for w in caught:
                    typer.echo(f"imbalcheck: warning: {w.message}", err=True)


@dataclass(frozen=True)
class ReadArgs:
    """The reading options every command shares."""

    column: Optional[str] = None
    counts: bool = False
    count_column: Optional[str] = None
    input_format: Optional[str] = None
    encoding: str = "utf-8"
    na_values: Optional[str] = None
    strip: bool = False
    numeric_labels: bool = False
    quiet: bool = False
    layout: Optional[str] = None
    count_what: str = "instances"


def _load(source: str, args: ReadArgs):
    """Read a file into counts (a progress bar on a terminal's stderr) and apply the label clean-ups."""
    from .labels import clean_labels, parse_na_values
    from .progress import terminal_bar
    from .readers import read_counts

    layout = _vision_layout(source, args.layout)
    with terminal_bar(f"reading {source}", enabled=not args.quiet and sys.stderr.isatty()):
        if layout is not None:
            data = _read_vision(source, layout, args.count_what)
        else:
            data = read_counts(source, input_format=args.input_format, column=args.column, counts=args.counts,
                               count_column=args.count_column, encoding=args.encoding)
    return clean_labels(data, na_values=parse_na_values(args.na_values), strip=args.strip,
                        numeric=args.numeric_labels, source=source)


_LAYOUTS = ("imagefolder", "coco", "yolo")


def _vision_layout(source: str, layout: Optional[str]) -> Optional[str]:
    """The vision layout to read: as given, or detected for a folder or a COCO annotations file."""
    from .errors import ConfigError

    if layout is not None:
        if layout not in _LAYOUTS:
            raise ConfigError(f"--layout {layout!r}: choose one of {', '.join(_LAYOUTS)}")
        return layout
    path = Path(source)
    if source != "-" and (path.is_dir() or path.suffix.lower() == ".json" and _starts_with_object(path)):
        from .vision import detect_layout

        found = detect_layout(path)
        if found is None and path.is_dir():
            raise ConfigError(f"{source}: a folder, but not an ImageFolder, COCO or YOLO layout; pass a labels file "
                              "or --layout imagefolder|coco|yolo")
        return found
    return None


def _starts_with_object(path: Path) -> bool:
    """Whether a .json file is one object (COCO) rather than an array of records."""
    try:
        with open(path, "rb") as fh:
            return fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    except OSError:
        return False


def _read_vision(source: str, layout: str, count_what: str):
    from .errors import ConfigError
    from .vision import coco_counts, imagefolder_counts, yolo_counts

    if count_what not in ("instances", "images"):
        raise ConfigError(f"--count {count_what!r}: choose instances or images")
    if layout == "imagefolder":
        return imagefolder_counts(source)
    instances, images = (coco_counts if layout == "coco" else yolo_counts)(source)
    return instances if count_what == "instances" else images


def _options(batch_size, top_k, split, folds, beta):
    from .analysis import DEFAULT_TOP_K, Options
    from .stratify import parse_fractions

    return Options(batch_size=batch_size, top_k=tuple(sorted(set(DEFAULT_TOP_K) | set(top_k or ()))),
                   split=parse_fractions(split), folds=folds, beta=beta)


def _resolve_format(fmt: Optional[Format], output: Optional[Path]) -> Format:
    if fmt is not None:
        return fmt
    if output is not None:
        return _FORMAT_BY_SUFFIX.get(output.suffix.lower(), Format.rich)
    return Format.rich


def _emit(text: str, output: Optional[Path], inputs: tuple[str, ...]) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .output import refuse_overwriting_input, write_atomic

    refuse_overwriting_input(output, *inputs)
    write_atomic(output, text)


def _rich_text(sections, title: str) -> str:
    """Render sections through rich into a string (terminal width when stdout is a tty)."""
    from rich.console import Console

    from .render.rich_text import print_sections

    console = Console(file=sys.stdout, record=True, force_terminal=None, soft_wrap=False)
    with console.capture() as capture:
        print_sections(sections, console, title)
    return capture.get()


@app.command()
def profile(
    source: Source,
    column: ColumnOpt = None,
    counts: CountsOpt = False,
    count_column: CountColumnOpt = None,
    input_format: InputFormatOpt = None,
    encoding: EncodingOpt = "utf-8",
    na_values: NaValuesOpt = None,
    strip: StripOpt = False,
    numeric_labels: NumericOpt = False,
    multi_label: MultiLabelOpt = False,
    sep: SepOpt = "|",
    one_hot: OneHotOpt = None,
    one_hot_prefix: OneHotPrefixOpt = None,
    layout: LayoutOpt = None,
    count_what: CountWhatOpt = "instances",
    batch_size: BatchOpt = 128,
    top_k: TopKOpt = None,
    split: SplitOpt = "0.8,0.1,0.1",
    folds: FoldsOpt = 5,
    beta: BetaOpt = 0.9999,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    max_rows: MaxRowsOpt = 20,
    all_classes: AllClassesOpt = False,
    plot: PlotOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Profile a label distribution: imbalance, batches, gradient share, splits, plateau, advice."""
    with _guard(quiet, debug):
        options = _options(batch_size, top_k, split, folds, beta)
        fmt = _resolve_format(fmt, output)
        if multi_label or one_hot or one_hot_prefix:
            mp = _load_multilabel(source, column, sep, one_hot, one_hot_prefix, input_format, encoding, options)
            _emit(_render_multilabel(mp, source, fmt, max_rows), output, (source,))
            return
        from .analysis import analyze

        read = ReadArgs(column, counts, count_column, input_format, encoding, na_values, strip, numeric_labels, quiet,
                        layout, count_what)
        result = analyze(_load(source, read), options, source=source)
        image = None
        if plot is not None:
            from .render.plot import plot_profile

            _emit_bytes(plot_profile(result), plot, (source,))
            image = _relative_image(plot, output)
        _emit(_render_profile(result, fmt, max_rows, image, None if all_classes else JSON_MAX_CLASSES), output, (source,))


def _load_multilabel(source, column, sep, one_hot, one_hot_prefix, input_format, encoding, options):
    from .multilabel import analyze_multilabel, read_multilabel

    names, matrix, n_missing = read_multilabel(
        source, column=column, sep=sep, one_hot=one_hot.split(",") if one_hot else None,
        one_hot_prefix=one_hot_prefix, input_format=input_format, encoding=encoding)
    return analyze_multilabel(names, matrix, n_missing, batch_size=options.batch_size, split=options.split,
                              seed=options.seeds[0])


def _render_multilabel(mp, source: str, fmt: Format, max_rows: int) -> str:
    from .render.sections import multilabel_sections
    from .result import SCHEMA_VERSION

    document = {"schema_version": SCHEMA_VERSION, "source": source, "multilabel": mp.to_dict()}
    verdict_line = (f"{mp.n_labels:,} labels, {mp.n_samples:,} samples, MeanIR {mp.mean_ir:,.2f}, "
                    f"MaxIR {mp.max_ir:,.2f}, SCUMBLE {mp.scumble:.3f}")
    return _render_report(multilabel_sections(mp, source, max_rows), f"imbalcheck profile (multi-label): {source}",
                          verdict_line, document, fmt)


def _emit_bytes(data: bytes, path: Path, inputs: tuple[str, ...]) -> None:
    from .output import refuse_overwriting_input, write_atomic

    refuse_overwriting_input(path, *inputs)
    write_atomic(path, data)


def _relative_image(plot: Path, output: Optional[Path]) -> str:
    """How the markdown report refers to the plot: relative to the report's folder."""
    import os

    base = output.parent if output is not None else Path(".")
    return Path(os.path.relpath(plot.resolve(), base.resolve())).as_posix()


def _render_profile(result, fmt: Format, max_rows: int, image: Optional[str], max_classes: Optional[int]) -> str:
    if fmt is Format.json:
        from .render.json_doc import to_json

        document = result.to_dict(max_classes)
        if document["classes_omitted"]:
            warnings.warn(f"JSON lists {document['classes_listed']:,} of {result.n_classes:,} classes (the largest and "
                          "smallest); pass --all-classes for every class")
        return to_json(document)
    from .render.sections import profile_sections, verdict

    sections = profile_sections(result, max_rows)
    title = f"imbalcheck profile: {result.source}"
    if fmt is Format.markdown:
        from .render.markdown import render_sections

        for sec in sections[2:]:
            sec.collapsible = True
        return render_sections(sections, title, verdict(result), image)
    return _rich_text(sections, title)


class Scheme(str, enum.Enum):
    ce = "ce"
    inverse = "inverse"
    sqrt_inverse = "sqrt_inverse"
    log_inverse = "log_inverse"
    effective_number = "effective_number"


@app.command()
def weights(
    source: Source,
    scheme: Annotated[Scheme, typer.Option("--scheme", "-s", help="Weighting scheme.", case_sensitive=False)] = Scheme.inverse,
    column: ColumnOpt = None,
    counts: CountsOpt = False,
    count_column: CountColumnOpt = None,
    input_format: InputFormatOpt = None,
    encoding: EncodingOpt = "utf-8",
    na_values: NaValuesOpt = None,
    strip: StripOpt = False,
    numeric_labels: NumericOpt = False,
    layout: LayoutOpt = None,
    count_what: CountWhatOpt = "instances",
    beta: BetaOpt = 0.9999,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Print per-class loss weights as JSON (label -> weight), ready for training code."""
    with _guard(quiet, debug):
        from .render.json_doc import to_json
        from .weights import class_weights

        data = _load(source, ReadArgs(column, counts, count_column, input_format, encoding, na_values, strip, numeric_labels, quiet, layout, count_what))
        w = class_weights(data.counts, scheme.value, beta)
        _emit(to_json(dict(zip(data.labels.tolist(), w.tolist()))), output, (source,))


ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="TOML file with [tool.imbalcheck] thresholds (default: the nearest pyproject.toml).")]


def _thresholds(config: Optional[Path], overrides: dict) -> dict:
    """Config-file thresholds, overridden by the options that were given."""
    from .check import find_pyproject, load_config

    path = config if config is not None else find_pyproject(Path.cwd())
    merged = load_config(path, explicit=config is not None)
    merged.update({k: v for k, v in overrides.items() if v is not None})
    return merged


def _render_report(sections, title: str, verdict_line: str, document: dict, fmt: Format) -> str:
    if fmt is Format.json:
        from .render.json_doc import to_json

        return to_json(document)
    if fmt is Format.markdown:
        from .render.markdown import render_sections

        return render_sections(sections, title, verdict_line)
    return _rich_text(sections, title)


@app.command()
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
    column: ColumnOpt = None,
    counts: CountsOpt = False,
    count_column: CountColumnOpt = None,
    input_format: InputFormatOpt = None,
    encoding: EncodingOpt = "utf-8",
    na_values: NaValuesOpt = None,
    strip: StripOpt = False,
    numeric_labels: NumericOpt = False,
    layout: LayoutOpt = None,
    count_what: CountWhatOpt = "instances",
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """CI gate: exit 1 when the distribution breaks a threshold, listing every failed check."""
    with _guard(quiet, debug):
        from .analysis import analyze
        from .check import evaluate
        from .render.sections import check_sections, check_verdict

        limits = _thresholds(config, {
            "max_imbalance_ratio": max_imbalance_ratio, "min_class_count": min_class_count,
            "max_top1_share": max_top1_share, "min_evenness": min_evenness,
            "require_stratifiable": require_stratifiable, "max_missing_share": max_missing_share,
            "min_classes": min_classes, "split": split, "max_mean_ir": max_mean_ir,
        })
        limits.pop("max_tvd", None)
        if not set(limits) - {"split", "folds", "batch_size"}:
            raise _fail("no thresholds to check; pass e.g. --max-imbalance-ratio 100 or set them in [tool.imbalcheck] of pyproject.toml")
        if multi_label or one_hot or one_hot_prefix:
            from .check import evaluate_multilabel

            options = _options(limits.get("batch_size", 128), None, limits.get("split", "0.8,0.1,0.1"),
                               limits.get("folds", 5), 0.9999)
            mp = _load_multilabel(source, column, sep, one_hot, one_hot_prefix, input_format, encoding, options)
            report = evaluate_multilabel(mp, limits, source)
        else:
            data = _load(source, ReadArgs(column, counts, count_column, input_format, encoding, na_values, strip,
                                          numeric_labels, quiet, layout, count_what))
            # the batch size matters to no threshold: the default quietly fits small files
            options = _options(limits.get("batch_size", min(128, max(data.n_samples, 1))), None,
                               limits.get("split", "0.8,0.1,0.1"), limits.get("folds", 5), 0.9999)
            report = evaluate(analyze(data, options, source=source), limits)
        fmt = _resolve_format(fmt, output)
        _emit(_render_report(check_sections(report), f"imbalcheck check: {source}", check_verdict(report),
                             report.to_dict(), fmt), output, (source,))
        if fmt is not Format.json:
            typer.echo(check_verdict(report), err=True)
    if not report.passed:
        raise typer.Exit(EXIT_FAILED_CHECK)


@app.command()
def diff(
    a: Annotated[str, typer.Argument(help="First labels file (e.g. train).", show_default=False)],
    b: Annotated[str, typer.Argument(help="Second labels file (e.g. test).", show_default=False)],
    max_tvd: Annotated[Optional[float], typer.Option(help="Exit 1 when the total-variation distance exceeds this (0-1).")] = None,
    config: ConfigOpt = None,
    column: ColumnOpt = None,
    counts: CountsOpt = False,
    count_column: CountColumnOpt = None,
    input_format: InputFormatOpt = None,
    encoding: EncodingOpt = "utf-8",
    na_values: NaValuesOpt = None,
    strip: StripOpt = False,
    numeric_labels: NumericOpt = False,
    layout: LayoutOpt = None,
    count_what: CountWhatOpt = "instances",
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    max_rows: MaxRowsOpt = 20,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Compare two label files: classes only in one, per-class shift, TVD and JS divergence."""
    with _guard(quiet, debug):
        from .check import check_threshold
        from .diff import compare
        from .render.sections import diff_sections

        limit = _thresholds(config, {"max_tvd": max_tvd}).get("max_tvd")
        read = ReadArgs(column, counts, count_column, input_format, encoding, na_values, strip, numeric_labels, quiet, layout, count_what)
        result = compare(_load(a, read), _load(b, read), a, b)
        gate = check_threshold("max_tvd", limit, result.tvd) if limit is not None else None
        document = result.to_dict()
        if gate is not None:
            document["check"] = {"name": gate.name, "limit": gate.limit, "observed": gate.observed, "passed": gate.passed}
        verdict_line = (f"TVD {result.tvd:.4f}, JS {result.js_divergence:.4f} bits; "
                        f"{len(result.only_in_a)} classes only in A, {len(result.only_in_b)} only in B")
        _emit(_render_report(diff_sections(result, max_rows, gate), f"imbalcheck diff: {a} vs {b}", verdict_line,
                             document, _resolve_format(fmt, output)), output, (a, b))
    if gate is not None and not gate.passed:
        typer.echo(f"imbalcheck: max_tvd failed: {result.tvd:.4f} > {limit:g}", err=True)
        raise typer.Exit(EXIT_FAILED_CHECK)


class RecommendFormat(str, enum.Enum):
    rich = "rich"
    markdown = "markdown"
    json = "json"
    torch = "torch"


@app.command()
def recommend(
    source: Source,
    column: ColumnOpt = None,
    counts: CountsOpt = False,
    count_column: CountColumnOpt = None,
    input_format: InputFormatOpt = None,
    encoding: EncodingOpt = "utf-8",
    na_values: NaValuesOpt = None,
    strip: StripOpt = False,
    numeric_labels: NumericOpt = False,
    layout: LayoutOpt = None,
    count_what: CountWhatOpt = "instances",
    split: SplitOpt = "0.8,0.1,0.1",
    fmt: Annotated[Optional[RecommendFormat], typer.Option("--format", "-f", help="rich, markdown, json, or torch (a ready-to-paste PyTorch snippet).", case_sensitive=False)] = None,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """The recommended class-count cutoff and loss; --format torch prints code that builds the loss."""
    with _guard(quiet, debug):
        from .analysis import analyze

        data = _load(source, ReadArgs(column, counts, count_column, input_format, encoding, na_values, strip,
                                      numeric_labels, quiet, layout, count_what))
        result = analyze(data, _options(min(128, max(data.n_samples, 1)), None, split, 5, 0.9999), source=source)
        rec = result.recommendation
        if fmt is RecommendFormat.torch:
            _emit(_torch_code(result), output, (source,))
            return
        from .render.sections import profile_sections, verdict

        plain = Format(fmt.value) if fmt is not None else _resolve_format(None, output)
        _emit(_render_report(profile_sections(result)[-2:], f"imbalcheck recommend: {source}", verdict(result),
                             {"schema_version": 1, "source": source, "recommendation": rec}, plain), output, (source,))


def _torch_code(result) -> str:
    """A paste-ready snippet: the kept classes in class-id order, their counts, and the loss."""
    from .losses import torch_snippet
    from .recommend import torch_params
    from .stratify import sklearn_class_order

    loss = result.recommendation["loss"]
    cut = result.recommendation["cutoff"]["min_count"] or 1
    keep = result.counts >= cut
    labels, kept = result.labels[keep], result.counts[keep]
    order = sklearn_class_order(labels)
    header = (f"# imbalcheck recommend {result.source}: {loss['name']}\n"
              f"# {loss['rationale']}\n"
              f"# classes kept by the cutoff (>= {cut} samples), in class-id order (as LabelEncoder sorts them):\n"
              f"classes = {[str(x) for x in labels[order]]!r}\n"
              f"counts = {[int(x) for x in kept[order]]!r}\n\n")
    return header + torch_snippet(loss["name"], torch_params(loss))


@app.command()
def probe(
    source: Source,
    column: ColumnOpt = None,
    counts: CountsOpt = False,
    count_column: CountColumnOpt = None,
    input_format: InputFormatOpt = None,
    encoding: EncodingOpt = "utf-8",
    batch_size: BatchOpt = 128,
    steps: Annotated[int, typer.Option("--steps", help="Training steps per loss.")] = 1000,
    losses: Annotated[Optional[str], typer.Option("--losses", help="Comma-separated losses to compare (default: ce and the recommended loss).")] = None,
    device: Annotated[str, typer.Option("--device", help="auto (CUDA when present), cpu, cuda or cuda:N.")] = "auto",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the task, the initial weights and the batch order.")] = 0,
    features_file: Annotated[Optional[Path], typer.Option("--features-file", help="A .npy (n, d) array of real features aligned with the file's rows.")] = None,
    log: Annotated[Optional[Path], typer.Option("--log", help="Place your own training log (CSV or JSON lines with step,loss) on the ladder; no PyTorch needed.")] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Write the loss curves with the ladder to this PNG.")] = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Train a small model on this label distribution: does cross-entropy stall where predicted, does the recommended loss help?"""
    with _guard(quiet, debug):
        from .analysis import analyze

        fmt = _resolve_format(fmt, output)
        read = ReadArgs(column, counts, count_column, input_format, encoding, quiet=quiet)
        data = _load(source, read)
        result = analyze(data, _options(min(batch_size, max(data.n_samples, 1)), None, "0.8,0.1,0.1", 5, 0.9999),
                         source=source)
        if log is not None:
            from .probe import plateau_from_log
            from .render.sections import log_sections

            found = plateau_from_log(log, result.counts)
            _emit(_render_report(log_sections(found), f"imbalcheck probe --log {log}", "training log on the ladder",
                                 {"schema_version": 1, "source": source, "log": found}, fmt), output, (source, str(log)))
            return
        from .probe import run_probe
        from .recommend import torch_params
        from .render.sections import probe_sections

        rec = result.recommendation["loss"]
        names = tuple(losses.split(",")) if losses else ("ce", rec["name"]) if rec["name"] != "ce" else ("ce",)
        params = {rec["name"]: torch_params(rec)} if rec["name"] in names else None
        features, y = _probe_features(features_file, source, read, result.labels) if features_file else (None, None)
        found = run_probe(result.counts, result.labels.tolist(), losses=names, loss_params=params,
                          batch_size=result.batch_size, steps=steps, device=device, seed=seed, features=features, y=y)
        if plot is not None:
            from .render.plot import plot_probe

            _emit_bytes(plot_probe(found, result.plateau), plot, (source,))
        verdict_line = _probe_verdict(found)
        _emit(_render_report(probe_sections(found, result.plateau), f"imbalcheck probe: {source}", verdict_line,
                             {"schema_version": 1, "source": source, "probe": found}, fmt), output, (source,))


def _probe_features(path: Path, source: str, read: ReadArgs, labels):
    """Features from a .npy file and the integer class of each row of the labels file."""
    import numpy as np

    from .errors import InputError
    from .readers import read_labels

    try:
        features = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read a .npy array ({exc}); save it with numpy.save") from None
    rows = read_labels(source, input_format=read.input_format, column=read.column, encoding=read.encoding)
    if features.ndim != 2 or features.shape[0] != len(rows):
        raise InputError(f"{path}: shape {features.shape} does not match the {len(rows):,} rows of {source}; "
                         "pass an (n_rows, n_features) array in the file's row order")
    index = {lab: i for i, lab in enumerate(labels.tolist())}
    keep = np.array([r is not None for r in rows])
    y = np.array([index[r] for r in rows if r is not None], dtype=np.int64)
    return features[keep], y


def _probe_verdict(found: dict) -> str:
    v = found["verdict"]
    rung = v.get("baseline_rung") or {}
    parts = [f"device {found['device']}"]
    if rung:
        top = rung.get("top_k")
        level = "nothing learned" if top is None else "frequencies only" if top == 0 else f"top {top} learned"
        parts.append(f"ce stalls at {rung['loss']:.2f} ({level}, {'on' if v.get('baseline_on_ladder') else 'off'} the ladder)")
    if v.get("recommended_beats_baseline_balanced_accuracy") is not None:
        parts.append(f"{v['recommended']} {'beats' if v['recommended_beats_baseline_balanced_accuracy'] else 'does not beat'} "
                     "ce on balanced accuracy")
    return "; ".join(parts)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("imbalcheck: error: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
