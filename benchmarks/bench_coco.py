"""How fast, and in how much memory, does ``imbalcheck profile`` count a big COCO/LVIS instances
file, next to ``json.load`` plus ``collections.Counter``?

    python benchmarks/bench_coco.py --repeat 3                          # ~200 MB, 600,000 annotations
    python benchmarks/bench_coco.py --annotations 3650000 --repeat 1    # ~1.1 GB, the size of LVIS v1 train

Data (cached in ``--data-dir``): an LVIS-style instances JSON written as ``json.dump`` writes it
(``", "`` and ``": "`` separators, one line): 100,000 ``images`` (id, file name, size, URL, LVIS's
two category-id lists), N ``annotations`` (area, id, a polygon ``segmentation`` of 7 to 15
points with two decimals, image_id, bbox, category_id), 1,203 ``categories`` (LVIS v1's number;
Zipf-like shares, so the rarest have a few annotations); seed 0. Tools, each a separate process
measured by :func:`bench_read.measure` (wall time from spawn to reap, peak RSS of that one
process): ``imbalcheck profile FILE --format json --quiet`` (the whole profile: layout detection,
instances and images per category, every figure of the analysis) and a script doing
``json.load`` of the file and ``Counter`` of ``category_id`` (the instances only). Both answers are
checked against the exact counts the generator wrote (imbalcheck's images per category too). The
result is a ratio to ``json.load`` measured in the same run, never an absolute target.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_read import imbalcheck_cmd, measure, median, print_machine  # noqa: E402

CATEGORIES = 1203
IMAGES = 100_000
CHUNK = 100_000  # annotations formatted at a time
DATA_VERSION = 1  # bump when the generated file changes

JSON_LOAD = """\
import sys, json
from collections import Counter
with open(sys.argv[1], "rb") as f:
    doc = json.load(f)
names = {c["id"]: c["name"] for c in doc["categories"]}
counts = Counter(a["category_id"] for a in doc["annotations"])
print(json.dumps({names[k]: v for k, v in counts.items()}))
"""


def build(path: Path, annotations: int) -> dict:
    """Write the file (once) and return the exact instances and images of every category name."""
    import numpy as np

    truth_file = path.with_suffix(".counts.json")
    try:
        truth = json.loads(truth_file.read_text())
        if truth.get("version") == DATA_VERSION and path.is_file():
            return truth
    except (OSError, ValueError):
        pass
    rng = np.random.default_rng(0)
    shares = 1.0 / np.arange(1, CATEGORIES + 1) ** 1.5
    cats = rng.choice(CATEGORIES, size=annotations, p=shares / shares.sum()) + 1
    imgs = rng.integers(1, IMAGES + 1, size=annotations)
    polygons = [polygon(rng) for _ in range(20_000)]
    pick = rng.integers(0, len(polygons), size=annotations)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as fh:
        fh.write('{"info": {"description": "LVIS-style benchmark", "version": "1.0", "year": 2020}, '
                 '"licenses": [{"id": 1, "name": "CC BY 4.0", "url": "http://creativecommons.org/licenses/by/4.0/"}], '
                 '"images": [')
        fh.write(", ".join(image(i) for i in range(1, IMAGES + 1)))
        fh.write('], "annotations": [')
        for start in range(0, annotations, CHUNK):
            fh.write((", " if start else "") + ", ".join(
                f'{{"area": {1000 + i % 7777}.5, "id": {i + 1}, "segmentation": {polygons[pick[i]]}, '
                f'"image_id": {imgs[i]}, "bbox": [{i % 600}.0, 2.5, 30.25, 40.0], "category_id": {cats[i]}}}'
                for i in range(start, min(annotations, start + CHUNK))))
        fh.write('], "categories": [')
        fh.write(", ".join(json.dumps({"id": j, "name": name(j), "synset": f"{name(j)}.n.01", "frequency": "r",
                                       "synonyms": [name(j)], "def": "a benchmark category"})
                           for j in range(1, CATEGORIES + 1)))
        fh.write("]}")
    tmp.replace(path)
    pairs = np.unique(cats.astype(np.int64) * (IMAGES + 1) + imgs)
    instances = np.bincount(cats, minlength=CATEGORIES + 1)
    images = np.bincount(pairs // (IMAGES + 1), minlength=CATEGORIES + 1)
    truth = {"version": DATA_VERSION,
             "instances": {name(j): int(instances[j]) for j in range(1, CATEGORIES + 1) if instances[j]},
             "images": {name(j): int(images[j]) for j in range(1, CATEGORIES + 1) if instances[j]}}
    truth_file.write_text(json.dumps(truth))
    return truth


def name(j: int) -> str:
    return f"category_{j:04d}"


def polygon(rng) -> str:
    points = rng.random(int(rng.integers(7, 16)) * 2) * 640
    return "[[" + ", ".join(f"{v:.2f}" for v in points) + "]]"


def image(i: int) -> str:
    return (f'{{"id": {i}, "file_name": "{i:012d}.jpg", "height": 480, "width": 640, '
            f'"coco_url": "http://images.cocodataset.org/train2017/{i:012d}.jpg", '
            f'"neg_category_ids": [{i % 1203 + 1}], "not_exhaustive_category_ids": []}}')


def imbalcheck_answer(out: bytes) -> dict:
    classes = json.loads(out)["classes"]
    return {"instances": {c["label"]: c["instances"] for c in classes},
            "images": {c["label"]: c["images"] for c in classes}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annotations", type=int, default=600_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).resolve().parent / "data")
    args = parser.parse_args(argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    path = args.data_dir / f"coco_{args.annotations}.json"
    truth = build(path, args.annotations)
    tools = {"imbalcheck": [*imbalcheck_cmd(), "profile", str(path), "--format", "json", "--quiet"],
             "json.load + Counter": [sys.executable, "-c", JSON_LOAD, str(path)]}
    answers = {"imbalcheck": imbalcheck_answer, "json.load + Counter": lambda out: {"instances": json.loads(out)}}
    for tool, cmd in tools.items():
        got = answers[tool](measure(cmd, capture=True).out)
        ok = all(got[k] == truth[k] for k in got)
        print(f"{tool}: {' and '.join(got)} per category {'ok' if ok else 'WRONG'}", file=sys.stderr)
    runs = {tool: [] for tool in tools}
    for _ in range(args.repeat):
        for tool, cmd in tools.items():
            runs[tool].append(measure(cmd))
    size = path.stat().st_size
    print(f"{args.annotations:,} annotations with polygons, {IMAGES:,} images, {CATEGORIES:,} categories, "
          f"{size / 1e6:,.0f} MB; median of {args.repeat}\n")
    print("| tool | median wall s | peak RSS MB | ratio wall to json.load | ratio RSS to json.load |")
    print("|---|---:|---:|---:|---:|")
    base = runs["json.load + Counter"]
    base_wall, base_rss = median([r.wall for r in base]), median([r.rss for r in base])
    for tool, rs in runs.items():
        wall, rss = median([r.wall for r in rs]), median([r.rss for r in rs])
        print(f"| {tool} | {wall:.2f} | {rss / 1e6:,.0f} | {wall / base_wall:.2f}x | {rss / base_rss:.2f}x |")
    print()
    print_machine()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
