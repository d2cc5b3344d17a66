"""The command line's shared options: typer annotations, output formats and the reading options.

Every reading option is declared once here; :func:`reads_labels` gives a command all of
them and hands it the ones given as ``read: dict`` (the API's keywords, unset ones left
out, so the library applies its defaults and can tell what was asked).
"""

from __future__ import annotations

import enum
import functools
import inspect
from pathlib import Path
from typing import Annotated, Optional

import typer


class Format(str, enum.Enum):
    rich = "rich"
    markdown = "markdown"
    json = "json"
    html = "html"


class Scheme(str, enum.Enum):
    ce = "ce"
    inverse = "inverse"
    sqrt_inverse = "sqrt_inverse"
    log_inverse = "log_inverse"
    effective_number = "effective_number"
    pos_weight = "pos_weight"


class Normalize(str, enum.Enum):
    samples = "samples"
    classes = "classes"
    none = "none"


class RecommendFormat(str, enum.Enum):
    rich = "rich"
    markdown = "markdown"
    json = "json"
    html = "html"
    torch = "torch"


FORMAT_BY_SUFFIX = {".json": Format.json, ".md": Format.markdown, ".markdown": Format.markdown,
                    ".html": Format.html, ".htm": Format.html}

ByOpt = Annotated[Optional[str], typer.Option("--by", help="Profile every group of rows separately: the values of this column (e.g. split, domain), their drift and the classes each lacks.", show_default=False)]
Source = Annotated[str, typer.Argument(help="Labels file (csv, tsv, parquet, jsonl, json, txt; optionally .gz), a data-set folder, or - for stdin.", show_default=False)]
ColumnOpt = Annotated[Optional[str], typer.Option("--column", "-c", help="Label column (default: label/labels/target/class/y, or the only column).", show_default=False)]
CountsOpt = Annotated[bool, typer.Option("--counts", help="The file is a label,count table (e.g. SQL or Spark output).")]
CountColumnOpt = Annotated[Optional[str], typer.Option("--count-column", help="Count column of a --counts table (default: count/n/frequency/freq).", show_default=False)]
InputFormatOpt = Annotated[Optional[str], typer.Option("--input-format", help="Override the format detected from the extension or content: csv, tsv, parquet, jsonl, json, txt.", show_default=False)]
EncodingOpt = Annotated[Optional[str], typer.Option("--encoding", help="Text encoding of csv/tsv/txt/json input (default utf-8).", show_default=False)]
DelimiterOpt = Annotated[Optional[str], typer.Option("--delimiter", help="Field delimiter of csv/tsv input (default: detected from the header among , ; tab |).", show_default=False)]
NaValuesOpt = Annotated[Optional[str], typer.Option("--na-values", help="Comma-separated label texts to treat as missing (e.g. NA,null). Default: only empty fields are missing (multi-label: an empty cell is a sample with no labels, see --empty-labels).", show_default=False)]
StripOpt = Annotated[bool, typer.Option("--strip", help="Strip surrounding whitespace from labels (merging labels that then coincide).")]
NumericOpt = Annotated[bool, typer.Option("--numeric-labels", help="Merge labels that denote the same number ('01', '1', '1.0').")]
MultiLabelOpt = Annotated[bool, typer.Option("--multi-label", help="Each cell holds several labels separated by --sep.")]
SepOpt = Annotated[Optional[str], typer.Option("--sep", help="Separator of --multi-label cells (default |).", show_default=False)]
EmptyLabelsOpt = Annotated[Optional[str], typer.Option("--empty-labels", help="An empty --multi-label cell is a sample with no labels, a negative for every label ('negative', the default), or an unlabelled row left out ('missing').", show_default=False)]
OneHotOpt = Annotated[Optional[str], typer.Option("--one-hot", help="Multi-label indicator columns, comma-separated (values 0/1).", show_default=False)]
OneHotPrefixOpt = Annotated[Optional[str], typer.Option("--one-hot-prefix", help="Multi-label indicator columns: every column starting with this prefix.", show_default=False)]
ClassesOpt = Annotated[Optional[Path], typer.Option("--classes", help="A file of the expected class names, one per line: those without a sample are reported (classes_without_samples) and gated (check --max-classes-without-samples).", show_default=False)]
IgnoreIndexOpt = Annotated[Optional[int], typer.Option("--ignore-index", help="Segmentation masks: the pixel value left out of every count (default 255, VOC's void).", show_default=False)]
LayoutOpt = Annotated[Optional[str], typer.Option("--layout", help="Data-set layout: imagefolder, coco, yolo or masks (default: detected for a folder or a COCO file).", show_default=False)]
CountWhatOpt = Annotated[Optional[str], typer.Option("--count", help="COCO/YOLO: count 'instances' (objects) or 'images' containing each class (default instances).", show_default=False)]
BatchOpt = Annotated[Optional[int], typer.Option("--batch-size", "-b", help="Training batch size (default 128).", show_default=False)]
TopKOpt = Annotated[Optional[list[int]], typer.Option("--top-k", help="Extra k for the top-k share (repeatable); 1, 5, 10 always.", show_default=False)]
SplitOpt = Annotated[Optional[str], typer.Option("--split", help="Stratified split fractions train,val,test (or train,test) (default 0.8,0.1,0.1).", show_default=False)]
FoldsOpt = Annotated[Optional[int], typer.Option("--folds", help="k for stratified k-fold feasibility (default 5).", show_default=False)]
SeedsOpt = Annotated[Optional[str], typer.Option("--seeds", help="Comma-separated random_state values the split is replayed for (default 0,1,2,3,4).", show_default=False)]
BetaOpt = Annotated[Optional[float], typer.Option("--beta", help="beta of the effective-number weights (Cui et al. 2019) (default 0.9999).", show_default=False)]
FormatOpt = Annotated[Optional[Format], typer.Option("--format", "-f", metavar="FORMAT", help="Output format: rich, markdown, json or html (default: from --output's extension, else rich).", case_sensitive=False, show_default=False)]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file (atomically) instead of stdout.", show_default=False)]
MaxRowsOpt = Annotated[Optional[int], typer.Option("--max-rows", help="Class-table rows shown (head and tail) in rich and markdown (default 20).", show_default=False)]
AllClassesOpt = Annotated[bool, typer.Option("--all-classes", help="JSON: list every class even beyond 100,000 (by default the largest and smallest 50,000 each).")]
PlotOpt = Annotated[Optional[Path], typer.Option("--plot", help="Also write a PNG plot of the class counts.", show_default=False)]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no warnings on stderr.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.", hidden=True)]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="TOML file with [tool.imbalcheck] thresholds (default: the nearest pyproject.toml).", show_default=False)]


#: (name, annotation) of the options every label-reading command takes: the API's reading keywords.
READ_OPTIONS = (
    ("column", ColumnOpt),
    ("counts", CountsOpt),
    ("count_column", CountColumnOpt),
    ("input_format", InputFormatOpt),
    ("encoding", EncodingOpt),
    ("delimiter", DelimiterOpt),
    ("na_values", NaValuesOpt),
    ("strip", StripOpt),
    ("numeric_labels", NumericOpt),
    ("multi_label", MultiLabelOpt),
    ("sep", SepOpt),
    ("empty_labels", EmptyLabelsOpt),
    ("one_hot", OneHotOpt),
    ("one_hot_prefix", OneHotPrefixOpt),
    ("layout", LayoutOpt),
    ("count", CountWhatOpt),
    ("classes", ClassesOpt),
    ("ignore_index", IgnoreIndexOpt),
)


def reads_labels(command):
    """Give a typer command every reading option; it receives the given ones as ``read: dict``.

    The command declares ``read: dict = None`` (hidden from typer).
    """
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "read"]
    extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                               default=False if annotation in (CountsOpt, StripOpt, NumericOpt, MultiLabelOpt) else None)
             for name, annotation in READ_OPTIONS]

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        given = {name: kwargs.pop(name) for name, _ in READ_OPTIONS}
        return command(*args, read={k: v for k, v in given.items() if v not in (None, False)}, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=[*own, *extra])
    wrapper.__annotations__ = {p.name: p.annotation for p in (*own, *extra)}
    return wrapper


def given(**options) -> dict:
    """The options that were given (not None), as API keywords."""
    return {k: v for k, v in options.items() if v is not None}
