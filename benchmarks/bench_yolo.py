"""YOLO label folders at scale: ``imbalcheck profile FOLDER --format json --quiet`` against a plain
Python loop over the same label files, each in its own process.

    python benchmarks/bench_yolo.py --files 200000,1000000 --repeat 3

Data (built once per size, cached in ``--data-dir``): ``yolo_N/data.yaml`` naming 80 classes
and N label files split 90/10 into ``labels/train`` and ``labels/val``, each with 0 to 5 boxes
(``class x y w h``, class drawn from 80 long-tailed classes, p ~ 1/rank^1.2); seed 0. The exact
instances and images per class are kept beside the files and both tools' answers are checked
against them once (that run also warms the page cache).

Tools, each a separate process measured by :func:`bench_read.measure`: wall time from spawn
to reap (start-up included), peak RSS (of the process, or of its largest worker if larger)
and CPU time (worker processes included):

* ``imbalcheck``: the whole ``profile`` command (layout detection, every line validated,
  instances and images per class, the report);
* ``plain loop``: ``os.walk`` over ``labels/``, ``open`` each ``*.txt``, ``int`` of the first
  field of each non-blank line into a ``Counter`` (instances only, no validation).

The timed runs alternate between the tools; the table gives medians of ``--repeat``. A
second table splits imbalcheck's time (one more process, in-process clocks): layout
detection (which lists every label file), listing the label files again, and the counting
(read and parse, in worker processes from 20,000 files on).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_read import imbalcheck_cmd, measure, median, print_machine  # noqa: E402

CLASSES = 80
DATA_VERSION = 2  # bump when the generated files change

LOOP = """\
import json, os, sys
from collections import Counter
counts = Counter()
for root, _dirs, files in os.walk(os.path.join(sys.argv[1], "labels")):
    for name in files:
        if name.endswith(".txt"):
            with open(os.path.join(root, name)) as f:
                for line in f:
                    if line.strip():
                        counts[int(line.split()[0])] += 1
print(json.dumps({str(k): v for k, v in counts.items()}))
"""

PHASES = """\
import json, sys, time
from pathlib import Path
from imbalcheck.readers.vision import detect_layout, yolo

root, clock = Path(sys.argv[1]), time.perf_counter
t0 = clock(); detect_layout(root)
t1 = clock(); files = yolo.label_files(root)
t2 = clock(); yolo.yolo_counts(root)
t3 = clock()
print(json.dumps({"detect": t1 - t0, "list": t2 - t1, "count": (t3 - t2) - (t2 - t1)}))
"""


def class_name(i: int) -> str:
    return f"class{i:02d}"


def build(folder: Path, n: int) -> dict[str, dict[str, int]]:
    """Write the data set of ``n`` label files (once) and return its exact counts,
    ``{"instances": {name: n}, "images": {name: n}}``."""
    truth_file = folder / "truth.json"
    try:
        truth = json.loads(truth_file.read_text())
        if truth.get("version") == DATA_VERSION and truth.get("files") == n:
            return truth
    except (OSError, ValueError):
        pass
    print(f"bench: writing {n:,} label files under {folder} ...", file=sys.stderr, flush=True)
    rng = np.random.default_rng(0)
    p = 1 / np.arange(1, CLASSES + 1) ** 1.2
    p /= p.sum()
    boxes = rng.integers(0, 6, size=n)
    ids = rng.choice(CLASSES, size=int(boxes.sum()), p=p)
    ends = np.cumsum(boxes)
    images = np.zeros(CLASSES, np.int64)
    for i in range(n):
        images[np.unique(ids[ends[i] - boxes[i]:ends[i]])] += 1
    for split, first, last in (("train", 0, n * 9 // 10), ("val", n * 9 // 10, n)):
        write_split(folder / "labels" / split, ids, ends, boxes, first, last)
    (folder / "data.yaml").write_text("names:\n" + "".join(f"  {i}: {class_name(i)}\n" for i in range(CLASSES)))
    instances = np.bincount(ids, minlength=CLASSES)
    truth = {"version": DATA_VERSION, "files": n,
             "instances": {class_name(i): int(c) for i, c in enumerate(instances) if c},
             "images": {class_name(i): int(c) for i, c in enumerate(images) if c}}
    truth_file.write_text(json.dumps(truth))
    return truth


def write_split(folder: Path, ids: np.ndarray, ends: np.ndarray, boxes: np.ndarray, first: int, last: int) -> None:
    """Label files ``first..last-1`` in ``folder``, one ``class 0.5 0.5 0.1 0.1`` line per box."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(first, last):
        body = "".join(f"{c} 0.5 0.5 0.1 0.1\n" for c in ids[ends[i] - boxes[i]:ends[i]].tolist())
        with open(folder / f"{i:07d}.txt", "w") as fh:
            fh.write(body)


def commands(folder: Path) -> dict[str, list[str]]:
    return {"imbalcheck": [*imbalcheck_cmd(), "profile", str(folder), "--format", "json", "--quiet"],
            "plain loop": [sys.executable, "-c", LOOP, str(folder)]}


def check(folder: Path, truth: dict) -> None:
    """Run each tool once (untimed; warms the page cache) and compare its counts with the truth:
    instances and images per class for imbalcheck, instances for the plain loop."""
    for tool, cmd in commands(folder).items():
        doc = json.loads(measure(cmd, capture=True).out)
        if tool == "imbalcheck":
            got = {key: {c["label"]: c[key] for c in doc["classes"]} for key in ("instances", "images")}
            ok = got == {key: truth[key] for key in got}
        else:
            ok = {class_name(int(k)): v for k, v in doc.items()} == truth["instances"]
        print(f"bench: {folder.name}: {tool} counts {'ok' if ok else 'WRONG'}", file=sys.stderr, flush=True)
        if not ok:
            raise SystemExit(f"bench: {tool} counted {folder} wrongly")


def time_tools(folder: Path, repeat: int) -> dict[str, list]:
    cmds = commands(folder)
    runs: dict[str, list] = {tool: [] for tool in cmds}
    for r in range(repeat):
        order = list(cmds) if r % 2 == 0 else list(cmds)[::-1]
        for tool in order:
            runs[tool].append(measure(cmds[tool]))
    return runs


def phases(folder: Path, repeat: int) -> dict[str, float]:
    """Median seconds of imbalcheck's phases: detect the layout, list the label files, count them."""
    runs = [json.loads(measure([sys.executable, "-c", PHASES, str(folder)], capture=True).out) for _ in range(repeat)]
    return {key: median([r[key] for r in runs]) for key in runs[0]}


def table(results: dict[int, dict[str, list]], repeat: int) -> None:
    print(f"median of {repeat} runs, each tool a separate process (start-up included)\n")
    print("| label files | tool | wall s | CPU s | peak RSS MB | wall ratio to the plain loop |")
    print("|---:|---|---:|---:|---:|---:|")
    for n, runs in results.items():
        base = median([r.wall for r in runs["plain loop"]])
        for tool, rs in runs.items():
            wall = median([r.wall for r in rs])
            cpu = median([r.cpu for r in rs])
            rss = median([r.rss for r in rs])
            print(f"| {n:,} | {tool} | {wall:.2f} | {cpu:.2f} | {rss / 1e6:.0f} | {wall / base:.2f}x |")
    print()


def phase_table(split: dict[int, dict[str, float]]) -> None:
    print("imbalcheck's phases, in-process clocks (s): detect_layout sniffs at most 50 label files; "
          "yolo_counts lists them all, then counts\n")
    print("| label files | detect_layout | list the label files | count (read and parse) |")
    print("|---:|---:|---:|---:|")
    for n, p in split.items():
        print(f"| {n:,} | {p['detect']:.2f} | {p['list']:.2f} | {p['count']:.2f} |")
    print()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", default="200000", help="comma-separated data-set sizes (default 200000)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data-dir", type=Path, default=Path(__file__).resolve().parent / "data")
    args = ap.parse_args(argv)
    sizes = [int(float(x)) for x in args.files.split(",") if x.strip()]
    results, split = {}, {}
    for n in sizes:
        folder = args.data_dir / f"yolo_{n}"
        check(folder, build(folder, n))
        results[n] = time_tools(folder, args.repeat)
        split[n] = phases(folder, args.repeat)
    table(results, args.repeat)
    phase_table(split)
    print_machine()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
