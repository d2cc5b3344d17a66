"""``imbalcheck sampler`` on the inputs that are not a plain labels column: COCO images, ImageFolder
trees, counts tables; and the sampling figures that describe those weights."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

import imbalcheck


def _coco(path):
    doc = {"images": [{"id": i} for i in range(6)],
           "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "bike"}, {"id": 3, "name": "unicycle"}],
           "annotations": [{"id": 1, "image_id": 0, "category_id": 1}, {"id": 2, "image_id": 0, "category_id": 2},
                           {"id": 7, "image_id": 0, "category_id": 2},
                           {"id": 3, "image_id": 1, "category_id": 1}, {"id": 4, "image_id": 2, "category_id": 1},
                           {"id": 5, "image_id": 3, "category_id": 1}, {"id": 6, "image_id": 4, "category_id": 3}]}
    path.write_text(json.dumps(doc))
    return path


def test_coco_images_get_their_repeat_factor(tmp_path):
    # f_c = images containing c / 6 images: person 4/6, bike 1/6 (two boxes, one image), unicycle 1/6
    r = imbalcheck.sampler(str(_coco(tmp_path / "instances.json")), "repeat_factor", t=0.5)
    r_person, r_rare = max(1.0, math.sqrt(0.5 / (4 / 6))), max(1.0, math.sqrt(0.5 / (1 / 6)))
    # in the order of the file's images: 0 (person + bike), 1-3 (person), 4 (unicycle), 5 (no annotation: 1)
    assert np.allclose(r.weights, [r_rare, r_person, r_person, r_person, r_rare, 1.0])
    assert r.num_samples == round(sum(r.weights)) and r.input_format == "coco"
    assert r.to_dict()["classes"]["bike"] == {"count": 1, "probability": None, "weight": r_rare}


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "imbalcheck", *map(str, args)], capture_output=True, text=True)


def test_inputs_without_rows_are_refused_in_one_line(tmp_path):
    counts = tmp_path / "counts.csv"
    counts.write_text("label,count\na,10\nb,2\n")
    coco = _coco(tmp_path / "instances.json")
    for args, expected in [
        ((counts, "--counts"), "a counts table (or a label -> count mapping) has no rows"),
        ((coco, "--strategy", "square_root"), "a COCO image holds several categories; use --strategy repeat_factor"),
    ]:
        out = _cli("sampler", *args)
        assert out.returncode == 2 and out.stdout == ""
        assert out.stderr.count("\n") == 1 and expected in out.stderr, out.stderr


def _torchvision_order(root):
    """torchvision.datasets.folder: find_classes (sorted class folders) and make_dataset (per class,
    sorted os.walk, sorted file names, IMG_EXTENSIONS), re-implemented as documented."""
    import os

    exts = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")
    classes = sorted(e.name for e in os.scandir(root) if e.is_dir())
    rows = []
    for c in classes:
        for folder, _, files in sorted(os.walk(os.path.join(root, c), followlinks=True)):
            rows += [c for f in sorted(files) if f.lower().endswith(exts)]
    return rows


def test_imagefolder_weights_follow_torchvisions_sample_order(tmp_path):
    # classes created out of name order, with nested folders and a non-image file
    for name, n in (("zebra", 5), ("ant", 1), ("mole", 3)):
        (tmp_path / name / "sub").mkdir(parents=True)
        for i in range(n):
            (tmp_path / name / ("sub" if i % 2 else "") / f"{i}.jpg").write_bytes(b"")
    (tmp_path / "ant" / "notes.txt").write_text("x")
    r = imbalcheck.sampler(str(tmp_path), "class_balanced")
    rows = _torchvision_order(tmp_path)
    counts = {c: rows.count(c) for c in set(rows)}
    expected = [len(rows) / (3 * counts[c]) for c in rows]  # N / (K n_c): class-balanced draws per epoch
    assert np.allclose(r.weights, expected)


def test_sampling_share_seen_with_replacement():
    # 900/90/10, class_balanced: L = N = 1000 draws, sample of class c drawn w.p. (1/3) / n_c each
    p = imbalcheck.profile({"a": 900, "b": 90, "c": 10}).sampling["class_balanced"]
    expected = sum(n * (1 - (1 - (1 / 3) / n) ** 1000) for n in (900, 90, 10)) / 1000
    assert p.distinct_share_with_replacement == pytest.approx(expected, rel=1e-12)
    u = imbalcheck.profile({"a": 900, "b": 90, "c": 10}).sampling["undersample"]  # cap 90: 90/90/10
    assert u.distinct_share_per_epoch == pytest.approx(190 / 1000)
    assert u.distinct_share_with_replacement == pytest.approx(
        sum(n * (1 - (1 - (k / 190) / n) ** 190) for n, k in ((900, 90), (90, 90), (10, 10))) / 1000, rel=1e-12)


def test_a_coco_profile_says_its_sampling_is_per_counted_instance(tmp_path):
    p = imbalcheck.profile(str(_coco(tmp_path / "instances.json")))
    assert any("an image holds several categories" in w and "--strategy repeat_factor" in w for w in p.warnings)
