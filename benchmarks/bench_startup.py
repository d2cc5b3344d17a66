#!/usr/bin/env python3
"""How long does imbalcheck take to start, and what does it import on the way?

    python benchmarks/bench_startup.py [--runs 10]

Times (median over ``--runs`` runs each, round-robin, every one a fresh process
measured as in ``bench_read.py``: spawn-to-reap wall time and the child's own peak
RSS):

* ``imbalcheck --help``
* ``imbalcheck profile <1,000-row csv> --format json``
* a minimal typer app's no-op command (same typer release): what any typer CLI pays
* ``python -c pass``: the interpreter alone

and prints the ratios ``--help`` / typer no-op and 1k-row profile / typer no-op,
then, for each path, which heavy modules (pandas, matplotlib, torch, sklearn,
scipy, pyarrow; for context numpy, rich and pydantic, which recent typer releases
load) get imported and what each cost (cumulative ``python -X importtime``, taken
in a separate run so that it does not slow the timed ones), and the slowest
top-level imports of the imbalcheck paths.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_read import (  # noqa: E402  (a sibling script, not a package)
    PYTHON_PASS,
    child_env,
    class_shares,
    imbalcheck_cmd,
    machine_info,
    measure,
    median,
    typer_noop_cmd,
    versions,
)

HEAVY = ("pandas", "matplotlib", "torch", "sklearn", "scipy", "pyarrow")
CONTEXT = ("numpy", "rich", "pydantic")


def write_1k_csv(path: Path, rows: int = 1000) -> None:
    names, weights = class_shares()
    rng = random.Random(0)
    labels = rng.choices(names, weights, k=rows)
    path.write_text("id,label\n" + "".join(f"{i},{lab}\n" for i, lab in enumerate(labels)))


def import_times(argv: list[str]) -> dict[str, float]:
    """Top-level package -> cumulative import time in ms, from one ``-X importtime`` run."""
    run = measure(argv, env=child_env(PYTHONPROFILEIMPORTTIME="1"))
    if run.rc != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed: {run.err.decode(errors='replace')[-400:]}")
    out: dict[str, float] = {}
    for line in run.err.decode(errors="replace").splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        try:
            _, cumulative, name = line[len("import time:"):].split("|")
            us = int(cumulative)
        except ValueError:  # the header line
            continue
        pkg = name.strip().split(".")[0]
        out[pkg] = max(out.get(pkg, 0.0), us / 1000)  # the top-level import's cumulative time
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="timed runs per command (default 10)")
    ap.add_argument("--top", type=int, default=8, help="slowest imports listed per imbalcheck path")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be >= 1")
    load0 = machine_info()["load"]

    with tempfile.TemporaryDirectory(prefix="imbalcheck-startup-") as tmp:
        tmpdir = Path(tmp)
        csv = tmpdir / "labels_1k.csv"
        write_1k_csv(csv)
        cmds = {
            "imbalcheck --help": imbalcheck_cmd() + ["--help"],
            "imbalcheck profile 1k.csv --format json": imbalcheck_cmd() + ["profile", str(csv), "--format", "json"],
            "typer no-op (minimal app)": typer_noop_cmd(tmpdir),
            "python -c pass": PYTHON_PASS,
        }
        for name, cmd in cmds.items():  # warm-up: .pyc files written, page cache warm
            run = measure(cmd)
            if run.rc != 0:
                raise SystemExit(f"bench: {name} failed: {run.err.decode(errors='replace')[-400:]}")
        runs: dict[str, list] = {k: [] for k in cmds}
        for i in range(args.runs):
            names = list(cmds)
            k = i % len(names)
            for name in names[k:] + names[:k]:
                runs[name].append(measure(cmds[name]))
        imports = {name: import_times(cmd) for name, cmd in cmds.items()}

    wall = {k: median([r.wall for r in rs]) for k, rs in runs.items()}
    rss = {k: median([r.rss for r in rs]) / (1 << 20) for k, rs in runs.items()}
    cpu = {k: median([r.cpu for r in rs]) for k, rs in runs.items()}
    typer_noop = wall["typer no-op (minimal app)"]
    py = wall["python -c pass"]

    p = print
    p(f"## imbalcheck start-up: median of {args.runs} fresh processes\n")
    p("| command | median wall ms | CPU ms | peak RSS MB | vs typer no-op | minus `python -c pass` ms |")
    p("|---|---:|---:|---:|---:|---:|")
    for name in cmds:
        p(f"| `{name}` | {wall[name] * 1000:.0f} | {cpu[name] * 1000:.0f} | {rss[name]:.0f} | "
          f"{wall[name] / typer_noop:.2f}x | {(wall[name] - py) * 1000:.0f} |")
    p("")
    p(f"- `imbalcheck --help` / typer no-op: **{wall['imbalcheck --help'] / typer_noop:.2f}x**")
    p(f"- 1k-row `profile --format json` / typer no-op: "
      f"**{wall['imbalcheck profile 1k.csv --format json'] / typer_noop:.2f}x**")
    p(f"- typer's own start-up (typer no-op minus python -c pass): {(typer_noop - py) * 1000:.0f} ms\n")

    p("### heavy modules imported (cumulative import ms from `python -X importtime`; - = not imported)\n")
    cols = HEAVY + CONTEXT
    p("| command | " + " | ".join(cols) + " |")
    p("|---|" + "---:|" * len(cols))
    for name in cmds:
        got = imports[name]
        p(f"| `{name}` | " + " | ".join(f"{got[m]:.0f}" if m in got else "-" for m in cols) + " |")
    p("")
    for name in ("imbalcheck --help", "imbalcheck profile 1k.csv --format json"):
        top = sorted(((ms, pkg) for pkg, ms in imports[name].items() if not pkg.startswith("_")), reverse=True)
        p(f"slowest top-level imports of `{name}`: "
          + ", ".join(f"{pkg} {ms:.0f} ms" for ms, pkg in top[: args.top]))
    p("")
    m = machine_info()
    p(f"machine: {m['cpu']}; {m['cores']} cores; {m['ram']} RAM; {m['os']}; {load0} at the start, "
      f"{m['load']} at the end  ")
    p("versions: " + ", ".join(f"{k} {v}" for k, v in versions(
        ("imbalcheck", "typer", "click", "rich", "numpy", "pyarrow", "pandas", "matplotlib", "scikit-learn")).items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
