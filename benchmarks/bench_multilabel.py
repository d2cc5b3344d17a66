"""How fast, and in how much memory, does ``imbalcheck profile --multi-label`` read a delimited
label-set column, next to polars doing the same counting?

    python benchmarks/bench_multilabel.py --rows 2000000 --repeat 3
    python benchmarks/bench_multilabel.py --rows 2000000,20000000 --repeat 1 --mem-rows ''

Data (cached in ``--data-dir``): a CSV of N rows, ``id`` and ``tags``, each row 1 to 4 distinct
labels out of 1,000 (Zipf-like shares), joined with ``|``; seed 0. Tools, each a separate
process measured by :func:`bench_read.measure` (wall time from spawn to reap, peak RSS of that
one process): ``imbalcheck profile FILE --multi-label -c tags --format json`` (the whole
multi-label analysis: label counts, label sets, SCUMBLE, iterative stratification) and polars
``scan_csv(f).select(pl.col("tags").str.split("|").list.unique()).explode("tags").group_by("tags").len()``
(the label counts only). Both answers are checked against the exact counts the generator
wrote. The result is a ratio to polars measured in the same run, never an absolute target.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_read import imbalcheck_cmd, measure, median, print_machine  # noqa: E402

POLARS = """\
import sys, json, polars as pl
out = (pl.scan_csv(sys.argv[1]).select(pl.col("tags").str.split("|").list.unique())
       .explode("tags").group_by("tags").len().collect())
print(json.dumps(dict(zip(out["tags"].to_list(), out["len"].to_list()))))
"""


def build(path: Path, rows: int) -> dict[str, int]:
    """Write the CSV (once) and return the exact count of every label."""
    import numpy as np

    counts_file = path.with_suffix(".counts.json")
    if path.exists() and counts_file.exists():
        return json.loads(counts_file.read_text())
    rng = np.random.default_rng(0)
    q = 1000
    shares = 1.0 / np.arange(1, q + 1) ** 1.1
    shares /= shares.sum()
    names = np.array([f"t{i:04d}" for i in range(q)])
    counts = np.zeros(q, dtype=np.int64)
    with open(path, "w") as fh:
        fh.write("id,tags\n")
        for start in range(0, rows, 500_000):
            n = min(500_000, rows - start)
            sizes = rng.integers(1, 5, size=n)
            picks = rng.choice(q, size=(n, 4), p=shares)
            lines = []
            for i in range(n):
                row = list(dict.fromkeys(picks[i, : sizes[i]].tolist()))
                counts[row] += 1
                lines.append(f"{start + i},{'|'.join(names[row])}\n")
            fh.write("".join(lines))
    exact = {str(names[i]): int(c) for i, c in enumerate(counts) if c}
    counts_file.write_text(json.dumps(exact))
    return exact


def commands(path: Path) -> dict[str, list[str]]:
    return {
        "imbalcheck": [*imbalcheck_cmd(), "profile", str(path), "--multi-label", "-c", "tags", "--format", "json",
                       "--quiet"],
        "polars": [sys.executable, "-c", POLARS, str(path)],
    }


def compare(path: Path, rows: int, repeat: int) -> None:
    """Time both tools on one file (median of ``repeat``), after checking both answers; prints the rows."""
    exact = build(path, rows)
    tools = commands(path)
    answers = {"imbalcheck": lambda out: {r["label"]: r["count"] for r in json.loads(out)["multilabel"]["labels"]},
               "polars": lambda out: json.loads(out)}
    for tool, cmd in tools.items():
        got = answers[tool](measure(cmd, capture=True).out)
        if got != exact:
            raise SystemExit(f"{tool}: WRONG counts on {path}")
    runs = {tool: [measure(cmd) for _ in range(repeat)] for tool, cmd in tools.items()}
    base_wall = median([r.wall for r in runs["polars"]])
    base_rss = median([r.rss for r in runs["polars"]])
    for tool, rs in runs.items():
        wall, rss = median([r.wall for r in rs]), median([r.rss for r in rs])
        print(f"| {rows:,} | {tool} | {wall:.2f} | {rss / 1e6:.0f} | {wall / base_wall:.2f}x | {rss / base_rss:.2f}x |",
              flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="2000000", help="row counts whose time is compared, e.g. 2000000,20000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).resolve().parent / "data")
    parser.add_argument("--mem-rows", default="1000000,5000000",
                        help="row counts whose peak RSS is compared (the 5M/1M ratio of a streaming reader stays "
                             "near 1); '' to skip")
    args = parser.parse_args(argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    print("| rows | tool | median wall s | peak RSS MB | ratio wall to polars | ratio RSS to polars |")
    print("|---:|---|---:|---:|---:|---:|")
    for rows in [int(x) for x in args.rows.split(",") if x]:
        compare(args.data_dir / f"multilabel_{rows}.csv", rows, args.repeat)
    print(f"\nmedian of {args.repeat}; each answer checked against the generator's exact counts\n")
    sizes = [int(x) for x in args.mem_rows.split(",") if x]
    if sizes:
        print("| tool | " + " | ".join(f"RSS {n / 1e6:g}M MB | wall {n / 1e6:g}M s" for n in sizes)
              + (f" | {sizes[-1] / 1e6:g}M/{sizes[0] / 1e6:g}M RSS |" if len(sizes) > 1 else " |"))
        print("|---|" + "---:|---:|" * len(sizes) + ("---:|" if len(sizes) > 1 else ""))
        for tool in ("imbalcheck", "polars"):
            cells, rss = [], []
            for n in sizes:
                f = args.data_dir / f"multilabel_{n}.csv"
                build(f, n)
                r = measure(commands(f)[tool])
                rss.append(r.rss)
                cells += [f"{r.rss / 1e6:.0f}", f"{r.wall:.2f}"]
            print(f"| {tool} | " + " | ".join(cells) + (f" | {rss[-1] / rss[0]:.2f} |" if len(sizes) > 1 else " |"))
        print()
    print_machine()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
