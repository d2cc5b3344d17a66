"""``imbalcheck sampler`` on the inputs that are not a plain labels column: COCO images, data-set
folders, counts tables."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np

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
    for name in ("a", "b"):
        (tmp_path / "tree" / name).mkdir(parents=True)
        (tmp_path / "tree" / name / "1.jpg").write_bytes(b"")
    counts = tmp_path / "counts.csv"
    counts.write_text("label,count\na,10\nb,2\n")
    coco = _coco(tmp_path / "instances.json")
    for args, expected in [
        ((tmp_path / "tree",), "an ImageFolder data set has no label rows in a file's order"),
        ((counts, "--counts"), "a counts table has no rows"),
        ((coco, "--strategy", "square_root"), "a COCO image holds several categories; use --strategy repeat_factor"),
    ]:
        out = _cli("sampler", *args)
        assert out.returncode == 2 and out.stdout == ""
        assert out.stderr.count("\n") == 1 and expected in out.stderr, out.stderr
