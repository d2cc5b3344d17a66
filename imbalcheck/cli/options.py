"""The command line's shared options: typer annotations, output formats and the reading options.

Every reading option is declared once here; :func:`reads_labels` gives a command all
of them and hands it a :class:`ReadArgs`.
"""

from __future__ import annotations

import enum
import functools
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer


class Format(str, enum.Enum):
    rich = "rich"
    markdown = "markdown"
    json = "json"


class Scheme(str, enum.Enum):
    ce = "ce"
    inverse = "inverse"
    sqrt_inverse = "sqrt_inverse"
    log_inverse = "log_inverse"
    effective_number = "effective_number"


class RecommendFormat(str, enum.Enum):
    rich = "rich"
    markdown = "markdown"
    json = "json"
    torch = "torch"


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


FORMAT_BY_SUFFIX = {".json": Format.json, ".md": Format.markdown, ".markdown": Format.markdown}

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
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="TOML file with [tool.imbalcheck] thresholds (default: the nearest pyproject.toml).")]


#: (name, annotation, default) of the options every label-reading command takes, as in :class:`ReadArgs`.
READ_OPTIONS = (
    ("column", ColumnOpt, None),
    ("counts", CountsOpt, False),
    ("count_column", CountColumnOpt, None),
    ("input_format", InputFormatOpt, None),
    ("encoding", EncodingOpt, "utf-8"),
    ("na_values", NaValuesOpt, None),
    ("strip", StripOpt, False),
    ("numeric_labels", NumericOpt, False),
    ("layout", LayoutOpt, None),
    ("count_what", CountWhatOpt, "instances"),
)


def reads_labels(command):
    """Give a typer command every reading option; it receives them as ``read: ReadArgs``.

    The command declares ``read: ReadArgs = ReadArgs()`` (hidden from typer) and a
    ``quiet`` option, which also switches off the progress bar.
    """
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "read"]
    extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
             for name, annotation, default in READ_OPTIONS]

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        given = {name: kwargs.pop(name) for name, _, _ in READ_OPTIONS}
        return command(*args, read=ReadArgs(**given, quiet=kwargs.get("quiet", False)), **kwargs)

    wrapper.__signature__ = signature.replace(parameters=[*own, *extra])
    wrapper.__annotations__ = {p.name: p.annotation for p in (*own, *extra)}
    return wrapper
