#!/usr/bin/env python3
"""How fast does ``imbalcheck profile`` read a big label file, next to pandas, polars and DuckDB?

    python benchmarks/bench_read.py --rows 20000000 [--repeat 3] [--data-dir benchmarks/data]
    python benchmarks/bench_read.py --rows 200000 --repeat 1 --mem-rows 100000,500000   # smoke run

What it does:

1. Builds (once; cached in ``--data-dir``, which git ignores) a CSV and a Parquet
   file (pyarrow, default compression) of N rows: ``id`` (int), ``label`` (a string,
   224 long-tailed classes drawn with the shipped example's class shares from
   ``examples/classes_224_counts.csv``; label ``197`` is written ``c197`` so that no
   engine infers an integer column, ``--numeric-labels`` keeps them bare) and
   ``text`` (12-28 random characters, 20 on average; ``--quote-all`` writes every CSV
   value in double quotes, as some exporters do). Generated in chunks of 1M
   rows (bounded memory), deterministic (seed 0); the exact class counts are kept
   beside the files and every tool's answer is checked against them once.
2. Times each tool as a whole separate process, so import and start-up count as
   they do for a user, round-robin over the tools within each repeat:
   ``imbalcheck profile FILE --format json`` (stdout to /dev/null), pandas
   ``read_csv(usecols=["label"], dtype=str)["label"].value_counts()`` /
   ``read_parquet(columns=["label"])``, polars ``scan_csv(f).group_by("label").len().collect()``
   / ``scan_parquet``, DuckDB ``select label, count(*) from read_csv_auto(f) group by 1``
   / ``read_parquet``. Before the timed runs each file is read once, so every
   tool sees a warm page cache.
3. Measures the CLI framework's own start-up: a no-op command of a minimal typer
   app (same typer release as imbalcheck) minus ``python -c pass``, and reports
   imbalcheck's ratio to the fastest engine gross and net of that start-up.
4. Peak RSS at ``--mem-rows`` (default 1M and 5M rows) for every tool, and the
   5M/1M ratio: a reader in bounded memory stays near 1.
5. Prints markdown tables, the machine (CPU model, cores, RAM) and the versions.

How a process is measured: a tiny launcher (``python -S -E -c ...``, nothing
imported) ``posix_spawn``s the command and reaps it with ``os.wait4(pid)``. Wall
time is ``time.perf_counter`` from spawn to reap; peak RSS is the ``ru_maxrss``
the kernel returns for exactly that child (its own high-water mark, and that of
any helper it waited for), and CPU time is its ``ru_utime + ru_stime`` (more than
the wall time = it used several cores). Why this way: ``getrusage(RUSAGE_CHILDREN)``
gives the maximum over every child ever reaped, so its ``ru_maxrss`` cannot be
differenced; polling RSS with psutil can miss a short peak; and a child's
``ru_maxrss`` starts at the peak of the process it was spawned from (Linux keeps
the old address space's high-water mark across exec), so spawning straight from
this script, which holds numpy and pyarrow, would give every tool this script's
size. The launcher is ~10 MB, below any Python tool it starts. Needs
``os.wait4`` and ``os.posix_spawnp`` (Linux, macOS).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CLASS_COUNTS = ROOT / "examples" / "classes_224_counts.csv"
CHUNK_ROWS = 1_000_000
FORMATS = ("csv", "parquet")
ENGINES = ("pandas", "polars", "duckdb")
TOOLS = ("imbalcheck",) + ENGINES
DATA_VERSION = 1  # bump when the generated files change

# ------------------------------------------------------------------------------------------------
# measuring one process
# ------------------------------------------------------------------------------------------------


class Run:
    __slots__ = ("wall", "rss", "cpu", "rc", "out", "err")

    def __init__(self, wall: float, rss: int, cpu: float, rc: int, out: bytes, err: bytes) -> None:
        self.wall, self.rss, self.cpu, self.rc, self.out, self.err = wall, rss, cpu, rc, out, err


# A tiny launcher process (python -S -E, nothing imported) spawns the command and reaps it with
# wait4. It exists because a child's ru_maxrss starts at the high-water mark of the process it
# was forked/spawned from (Linux records the old mm's peak at exec): spawned straight from this
# benchmark, which holds numpy and pyarrow, every tool would "peak" at this process's size.
LAUNCHER = """\
import os, sys, time
res, argv = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t0
kib = 1024 if sys.platform == "darwin" else 1
with open(res, "w") as fh:
    fh.write("%r %d %r %d" % (wall, ru.ru_maxrss // kib, ru.ru_utime + ru.ru_stime, os.waitstatus_to_exitcode(status)))
"""


def child_env(**extra: str) -> dict[str, str]:
    """The tools' environment: this one, with bytecode caching on (as after a normal ``pip install``).

    With PYTHONDONTWRITEBYTECODE set (some sandboxes and CI images set it), a package
    installed in editable mode, like imbalcheck here, would recompile its own modules
    on every start while pip-installed packages load their precompiled .pyc files.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def measure(argv: list[str], *, capture: bool = False, env: dict | None = None) -> Run:
    """Run ``argv`` to completion: wall time, peak RSS and CPU time of that one process.

    The wall time is taken in the launcher, from spawn to reap (the launcher's own
    start-up is not in it). ``env`` is the command's environment (default :func:`child_env`).
    """
    if not hasattr(os, "wait4") or not hasattr(os, "posix_spawnp"):
        raise SystemExit("bench: needs os.wait4 and os.posix_spawnp (Linux or macOS) to measure one child")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".res") as res:
        proc = subprocess.run(
            [sys.executable, "-S", "-E", "-c", LAUNCHER, res.name, *argv],
            stdin=subprocess.DEVNULL, stdout=out if capture else subprocess.DEVNULL, stderr=err,
            env=child_env() if env is None else env,
        )
        out.seek(0)
        err.seek(0)
        text = res.read().split()
        if proc.returncode != 0 or len(text) != 4:
            raise SystemExit(f"bench: could not run {argv[0]}: {err.read().decode(errors='replace')[-400:]}")
        return Run(float(text[0]), int(text[1]) * 1024, float(text[2]), int(text[3]),
                   out.read() if capture else b"", err.read())


def median(xs) -> float:
    return statistics.median(xs) if xs else float("nan")


# ------------------------------------------------------------------------------------------------
# the commands
# ------------------------------------------------------------------------------------------------


def imbalcheck_cmd() -> list[str]:
    """The ``imbalcheck`` console script of this interpreter (not a pyenv/conda shim in front of it)."""
    script = Path(sys.executable).parent / ("imbalcheck.exe" if os.name == "nt" else "imbalcheck")
    if script.is_file():
        return [str(script)]
    found = shutil.which("imbalcheck")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from imbalcheck.cli import main; sys.exit(main())"]


TYPER_APP = '''\
"""A minimal typer app: what any typer CLI pays before doing anything."""
import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True)


@app.command()
def noop() -> None:
    """Do nothing."""


@app.command()
def other() -> None:
    """A second command, so that this is a command group like imbalcheck's."""


if __name__ == "__main__":
    app()
'''


def typer_noop_cmd(workdir: Path) -> list[str]:
    """The no-op command of a minimal typer app."""
    path = workdir / "typer_noop_app.py"
    if not path.exists():
        path.write_text(TYPER_APP)
    return [sys.executable, str(path), "noop"]


PYTHON_PASS = [sys.executable, "-c", "pass"]

# Each engine script prints {label: count} as JSON (checked once against the known counts).
# DuckDB's progress bar (shown on stdout for queries over ~2 s) is switched off.
ENGINE_SCRIPTS = {
    ("pandas", "csv"): (
        "import sys, json, pandas as pd\n"
        "vc = pd.read_csv(sys.argv[1], usecols=['label'], dtype=str)['label'].value_counts()\n"
        "print(json.dumps({str(k): int(v) for k, v in vc.items()}))\n"
    ),
    ("pandas", "parquet"): (
        "import sys, json, pandas as pd\n"
        "vc = pd.read_parquet(sys.argv[1], columns=['label'])['label'].value_counts()\n"
        "print(json.dumps({str(k): int(v) for k, v in vc.items()}))\n"
    ),
    ("polars", "csv"): (
        "import sys, json, polars as pl\n"
        "df = pl.scan_csv(sys.argv[1]).group_by('label').len().collect()\n"
        "print(json.dumps({str(k): int(v) for k, v in zip(df['label'].to_list(), df['len'].to_list())}))\n"
    ),
    ("polars", "parquet"): (
        "import sys, json, polars as pl\n"
        "df = pl.scan_parquet(sys.argv[1]).group_by('label').len().collect()\n"
        "print(json.dumps({str(k): int(v) for k, v in zip(df['label'].to_list(), df['len'].to_list())}))\n"
    ),
    ("duckdb", "csv"): (
        "import sys, json, duckdb\n"
        "f = sys.argv[1].replace(\"'\", \"''\")\n"
        "con = duckdb.connect()\n"
        "con.execute('set enable_progress_bar = false')\n"
        "rows = con.execute(f\"select label, count(*) from read_csv_auto('{f}') group by 1\").fetchall()\n"
        "print(json.dumps({str(k): int(v) for k, v in rows}))\n"
    ),
    ("duckdb", "parquet"): (
        "import sys, json, duckdb\n"
        "f = sys.argv[1].replace(\"'\", \"''\")\n"
        "con = duckdb.connect()\n"
        "con.execute('set enable_progress_bar = false')\n"
        "rows = con.execute(f\"select label, count(*) from read_parquet('{f}') group by 1\").fetchall()\n"
        "print(json.dumps({str(k): int(v) for k, v in rows}))\n"
    ),
}


def tool_cmd(tool: str, fmt: str, path: Path) -> list[str]:
    if tool == "imbalcheck":
        return imbalcheck_cmd() + ["profile", str(path), "--format", "json"]
    return [sys.executable, "-c", ENGINE_SCRIPTS[(tool, fmt)], str(path)]


def parse_counts(tool: str, out: bytes) -> dict[str, int]:
    doc = json.loads(out)
    if tool == "imbalcheck":
        return {str(c["label"]): int(c["count"]) for c in doc["classes"]}
    return {str(k): int(v) for k, v in doc.items()}


def available(tool: str) -> bool:
    if tool == "imbalcheck":
        return True
    try:
        metadata.version(tool)
        return True
    except metadata.PackageNotFoundError:
        return False


# ------------------------------------------------------------------------------------------------
# the data
# ------------------------------------------------------------------------------------------------


def class_shares() -> tuple[list[str], list[int]]:
    rows = [line.split(",") for line in CLASS_COUNTS.read_text().splitlines()[1:] if line.strip()]
    return [r[0] for r in rows], [int(r[1]) for r in rows]


def data_files(data_dir: Path, rows: int, numeric: bool, quoted: bool = False) -> dict[str, Path]:
    stem = f"labels_{rows}" + ("_num" if numeric else "") + ("_quoted" if quoted else "")
    return {"csv": data_dir / f"{stem}.csv", "parquet": data_dir / f"{stem}.parquet",
            "counts": data_dir / f"{stem}.counts.json"}


def build_data(data_dir: Path, rows: int, numeric: bool = False, log=print, quoted: bool = False) -> dict[str, Path]:
    """Write the CSV and Parquet files of ``rows`` rows unless a complete copy is cached."""
    files = data_files(data_dir, rows, numeric, quoted)
    try:
        meta = json.loads(files["counts"].read_text())
        if meta.get("version") == DATA_VERSION and meta.get("rows") == rows and files["csv"].is_file() \
                and files["parquet"].is_file():
            return files
    except (OSError, ValueError):
        pass
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    data_dir.mkdir(parents=True, exist_ok=True)
    names, weights = class_shares()
    labels = names if numeric else [f"c{n}" for n in names]
    cum = np.cumsum(np.asarray(weights, np.float64))
    cum /= cum[-1]
    label_values = pa.array(labels, pa.string())
    alphabet = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", np.uint8)
    schema = pa.schema([("id", pa.int64()), ("label", pa.string()), ("text", pa.string())])
    rng = np.random.default_rng(0)
    totals = np.zeros(len(labels), np.int64)
    tmp_csv = files["csv"].with_suffix(".csv.tmp")
    tmp_pq = files["parquet"].with_suffix(".parquet.tmp")
    t0 = time.perf_counter()
    log(f"bench: writing {rows:,} rows to {files['csv']} and {files['parquet']} ...")
    try:
        write_opts = pcsv.WriteOptions(include_header=True, quoting_style="all_valid" if quoted else "none")
    except TypeError:  # pyarrow < 13: no quoting_style (values are quoted)
        write_opts = pcsv.WriteOptions(include_header=True)
    with pcsv.CSVWriter(str(tmp_csv), schema, write_options=write_opts) as csv_out, \
            pq.ParquetWriter(str(tmp_pq), schema) as pq_out:
        for start in range(0, rows, CHUNK_ROWS):
            n = min(CHUNK_ROWS, rows - start)
            idx = np.minimum(np.searchsorted(cum, rng.random(n), side="right"), len(labels) - 1)
            totals += np.bincount(idx, minlength=len(labels))
            lens = rng.integers(12, 29, n)
            offsets = np.zeros(n + 1, np.int32)
            np.cumsum(lens, out=offsets[1:])
            chars = alphabet[rng.integers(0, alphabet.size, int(offsets[-1]))]
            text = pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(chars)])
            table = pa.Table.from_arrays(
                [pa.array(np.arange(start, start + n, dtype=np.int64)), label_values.take(pa.array(idx)), text],
                schema=schema,
            )
            csv_out.write_table(table)
            pq_out.write_table(table)  # one row group per chunk
    os.replace(tmp_csv, files["csv"])
    os.replace(tmp_pq, files["parquet"])
    counts = {lab: int(c) for lab, c in zip(labels, totals.tolist()) if c}
    files["counts"].write_text(json.dumps({"version": DATA_VERSION, "rows": rows, "counts": counts}))
    log(f"bench: wrote {rows:,} rows in {time.perf_counter() - t0:.1f} s "
        f"(csv {mb(files['csv'].stat().st_size):.0f} MB, parquet {mb(files['parquet'].stat().st_size):.0f} MB)")
    return files


def warm_page_cache(path: Path) -> None:
    with open(path, "rb") as fh:
        while fh.read(16 << 20):
            pass


def mb(n: float) -> float:
    return n / (1 << 20)


# ------------------------------------------------------------------------------------------------
# machine and versions
# ------------------------------------------------------------------------------------------------


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / (1 << 20):.1f} GiB"
                break
    except OSError:
        pass
    try:
        load = "load average %.2f %.2f %.2f" % os.getloadavg()
    except (AttributeError, OSError):
        load = "load average ?"
    return {"cpu": cpu, "cores": f"{os.cpu_count()} logical, {usable} usable", "ram": ram,
            "os": platform.platform(), "load": load}


def versions(names=("imbalcheck", "pyarrow", "numpy", "pandas", "polars", "duckdb", "typer", "click")) -> dict:
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def print_machine(file=sys.stdout) -> None:
    m = machine_info()
    print(f"machine: {m['cpu']}; {m['cores']} cores; {m['ram']} RAM; {m['os']}; {m['load']} at the end", file=file)
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions().items()), file=file)


# ------------------------------------------------------------------------------------------------
# the benchmark
# ------------------------------------------------------------------------------------------------


def check_answers(files: dict[str, Path], tools, log) -> dict[tuple[str, str], str]:
    """Run every tool once (untimed; also warms caches) and compare its counts with the truth."""
    truth = json.loads(files["counts"].read_text())["counts"]
    status = {}
    for fmt in FORMATS:
        for tool in tools:
            run = measure(tool_cmd(tool, fmt, files[fmt]), capture=True)
            if run.rc != 0:
                status[(tool, fmt)] = "FAILED"
                log(f"bench: {tool} {fmt} exited {run.rc}: {run.err.decode(errors='replace').strip()[-400:]}")
                continue
            try:
                got = parse_counts(tool, run.out)
            except (ValueError, KeyError, TypeError) as exc:
                status[(tool, fmt)] = "FAILED"
                log(f"bench: {tool} {fmt}: unreadable output ({exc})")
                continue
            got.pop("None", None)
            status[(tool, fmt)] = "ok" if got == truth else "WRONG COUNTS"
            if got != truth:
                log(f"bench: {tool} {fmt}: counts differ from the generated ones")
    return status


def time_tools(files: dict[str, Path], tools, repeat: int, status) -> dict[tuple[str, str], list[Run]]:
    jobs = [(tool, fmt) for fmt in FORMATS for tool in tools if status.get((tool, fmt)) == "ok"]
    runs: dict[tuple[str, str], list[Run]] = {job: [] for job in jobs}
    for r in range(repeat):
        k = r % len(jobs) if jobs else 0
        for tool, fmt in jobs[k:] + jobs[:k]:  # round-robin, starting one tool later each repeat
            run = measure(tool_cmd(tool, fmt, files[fmt]))
            if run.rc != 0:
                raise SystemExit(f"bench: {tool} {fmt} failed: {run.err.decode(errors='replace')[-400:]}")
            runs[(tool, fmt)].append(run)
    return runs


def time_startup(workdir: Path, n: int) -> dict[str, list[Run]]:
    cmds = {"python -c pass": PYTHON_PASS, "typer no-op": typer_noop_cmd(workdir)}
    measure(cmds["typer no-op"])  # compile the .pyc files once
    runs: dict[str, list[Run]] = {k: [] for k in cmds}
    for _ in range(n):
        for name, argv in cmds.items():
            run = measure(argv)
            if run.rc != 0:
                raise SystemExit(f"bench: {name} failed: {run.err.decode(errors='replace')[-400:]}")
            runs[name].append(run)
    return runs


def fmt_s(x: float) -> str:
    return f"{x:.3f}" if x < 10 else f"{x:.2f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=20_000_000, help="rows of the timed files (default 20,000,000)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per tool and format (default 3)")
    ap.add_argument("--data-dir", type=Path, default=HERE / "data", help="where the generated files are cached")
    ap.add_argument("--mem-rows", default="1000000,5000000",
                    help="comma-separated sizes for the peak-RSS scaling table ('' to skip; default 1M,5M)")
    ap.add_argument("--startup-runs", type=int, default=10, help="runs of the start-up baselines (default 10)")
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset of " + ",".join(TOOLS))
    ap.add_argument("--numeric-labels", action="store_true",
                    help="write labels as bare integers (engines then infer an integer column)")
    ap.add_argument("--quote-all", action="store_true",
                    help="quote every CSV value (imbalcheck then reads with its serial, quote-aware path)")
    ap.add_argument("--json", type=Path, help="also write the raw timings here")
    args = ap.parse_args(argv)
    if args.rows < 1 or args.repeat < 1:
        ap.error("--rows and --repeat must be >= 1")
    mem_rows = [int(float(x)) for x in args.mem_rows.split(",") if x.strip()]
    if len(mem_rows) == 1:
        ap.error("--mem-rows needs two sizes or more (e.g. 1000000,5000000), or '' to skip")
    wanted = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(wanted) - set(TOOLS)
    if unknown:
        ap.error(f"unknown tool(s) {sorted(unknown)}; choose from {', '.join(TOOLS)}")
    tools = [t for t in wanted if available(t)]
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    for t in set(wanted) - set(tools):
        log(f"bench: {t} is not installed; skipped (pip install {t})")

    load0 = machine_info()["load"]
    files = build_data(args.data_dir, args.rows, args.numeric_labels, log, args.quote_all)
    mem_files = {n: build_data(args.data_dir, n, args.numeric_labels, log, args.quote_all) for n in mem_rows}
    for f in [files] + list(mem_files.values()):
        for fmt in FORMATS:
            warm_page_cache(f[fmt])

    log("bench: checking every tool's counts (untimed warm-up) ...")
    status = check_answers(files, tools, log)
    log(f"bench: timing {len(tools)} tools x 2 formats x {args.repeat} repeats at {args.rows:,} rows ...")
    runs = time_tools(files, tools, args.repeat, status)
    with tempfile.TemporaryDirectory(prefix="imbalcheck-bench-") as tmp:
        log(f"bench: start-up baselines, {args.startup_runs} runs each ...")
        startup = time_startup(Path(tmp), args.startup_runs)
    mem_runs: dict[int, dict] = {}
    for n in mem_rows:
        log(f"bench: peak RSS at {n:,} rows ...")
        st = {(t, f): "ok" for t in tools for f in FORMATS if status.get((t, f)) != "FAILED"}
        mem_runs[n] = time_tools(mem_files[n], tools, args.repeat, st)

    # -- report ---------------------------------------------------------------------------------
    out = []
    p = out.append
    p(f"## imbalcheck read benchmark: {args.rows:,} rows, median of {args.repeat}\n")
    p(f"- csv: {mb(files['csv'].stat().st_size):.0f} MB, parquet: {mb(files['parquet'].stat().st_size):.0f} MB "
      f"(columns id, label, text; 224 classes; labels {'bare integers' if args.numeric_labels else 'c<N> strings'}"
      f"{'; every CSV value quoted' if args.quote_all else ''})")
    p("- each run is a whole fresh process (imports included, .pyc caching on), page cache warm, stdout to "
      "/dev/null, tools round-robin within each repeat; peak RSS = the child's ru_maxrss from wait4() via a "
      "tiny launcher; CPU = user+sys of the child\n")
    p("| tool | format | median wall s | peak RSS MB | CPU s | ratio to fastest | counts |")
    p("|---|---|---:|---:|---:|---:|---|")
    summary = {}
    for fmt in FORMATS:
        med = {t: median([r.wall for r in runs[(t, fmt)]]) for t in tools if (t, fmt) in runs}
        if not med:
            continue
        fastest = min(med.values())
        for t in tools:
            if (t, fmt) not in runs:
                p(f"| {t} | {fmt} | - | - | - | - | {status.get((t, fmt), 'skipped')} |")
                continue
            rs = runs[(t, fmt)]
            p(f"| {t} | {fmt} | {fmt_s(med[t])} | {mb(median([r.rss for r in rs])):.0f} | "
              f"{fmt_s(median([r.cpu for r in rs]))} | {med[t] / fastest:.2f}x | {status[(t, fmt)]} |")
        summary[fmt] = med
    t_pass = median([r.wall for r in startup["python -c pass"]])
    t_typer = median([r.wall for r in startup["typer no-op"]])
    t_cli = max(t_typer - t_pass, 0.0)
    p("")
    p(f"start-up (median of {args.startup_runs}): `python -c pass` {t_pass:.3f} s, minimal typer app no-op "
      f"{t_typer:.3f} s, so the CLI framework's own start-up = {t_cli:.3f} s\n")
    if "imbalcheck" in tools:
        p("| format | imbalcheck s | fastest engine | engine s | ratio gross | ratio net of typer start-up |")
        p("|---|---:|---|---:|---:|---:|")
        for fmt, med in summary.items():
            engines = {t: s for t, s in med.items() if t != "imbalcheck"}
            if "imbalcheck" not in med or not engines:
                continue
            best = min(engines, key=engines.get)
            ib = med["imbalcheck"]
            p(f"| {fmt} | {fmt_s(ib)} | {best} | {fmt_s(engines[best])} | {ib / engines[best]:.2f}x | "
              f"{(ib - t_cli) / engines[best]:.2f}x |")
        p("")
    if len(mem_rows) >= 2:
        lo, hi = mem_rows[0], mem_rows[-1]
        name = lambda n: f"{n / 1e6:g}M" if n >= 1_000_000 else f"{n / 1e3:g}k"  # noqa: E731
        p(f"### peak RSS scaling: {name(lo)} vs {name(hi)} rows (median of {args.repeat})\n")
        p(f"| tool | format | RSS {name(lo)} MB | RSS {name(hi)} MB | {name(hi)}/{name(lo)} | wall {name(lo)} s | "
          f"wall {name(hi)} s |")
        p("|---|---|---:|---:|---:|---:|---:|")
        for fmt in FORMATS:
            for t in tools:
                a, b = mem_runs[lo].get((t, fmt)), mem_runs[hi].get((t, fmt))
                if not a or not b:
                    continue
                ra, rb = median([r.rss for r in a]), median([r.rss for r in b])
                wa, wb = median([r.wall for r in a]), median([r.wall for r in b])
                p(f"| {t} | {fmt} | {mb(ra):.0f} | {mb(rb):.0f} | {rb / ra:.2f} | {fmt_s(wa)} | {fmt_s(wb)} |")
        p("")
    m = machine_info()
    p(f"machine: {m['cpu']}; {m['cores']} cores; {m['ram']} RAM; {m['os']}; {load0} at the start, "
      f"{m['load']} at the end  ")
    p("versions: " + ", ".join(f"{k} {v}" for k, v in versions().items()))
    print("\n".join(out))

    if args.json:
        raw = {
            "rows": args.rows, "repeat": args.repeat, "machine": m, "versions": versions(),
            "runs": {f"{t}/{f}": [[r.wall, r.rss, r.cpu] for r in rs] for (t, f), rs in runs.items()},
            "startup": {k: [r.wall for r in rs] for k, rs in startup.items()},
            "memory": {str(n): {f"{t}/{f}": [[r.wall, r.rss, r.cpu] for r in rs] for (t, f), rs in d.items()}
                       for n, d in mem_runs.items()},
            "status": {f"{t}/{f}": s for (t, f), s in status.items()},
        }
        args.json.write_text(json.dumps(raw, indent=1))
    return 0 if all(s == "ok" for s in status.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
