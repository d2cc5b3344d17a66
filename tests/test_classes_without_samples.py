"""Declared classes without a sample (COCO categories and YOLO names without annotation, empty class
folders) and both detection counts side by side: in the profile, the JSON, the report and the gate."""

from __future__ import annotations

import json

import pytest

import imbalcheck
from tests.cli_helpers import run
from tests.test_vision import touch, yolo_tree


@pytest.fixture
def coco(tmp_path):
    doc = {"images": [{"id": i} for i in range(4)],
           "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "bike"}, {"id": 3, "name": "unicycle"}],
           "annotations": [{"id": k, "image_id": img, "category_id": cat} for k, (img, cat) in enumerate(
               [(0, 1), (0, 1), (0, 1), (1, 1), (2, 1), (0, 2), (3, 2), (3, 2)])]}
    path = tmp_path / "instances.json"
    path.write_text(json.dumps(doc))
    return path


def test_coco_lists_instances_and_images_and_the_category_without_annotation(coco):
    with pytest.warns(imbalcheck.ImbalcheckWarning, match="no annotation"):
        p = imbalcheck.profile(str(coco), batch_size=4)
    rows = {c["label"]: c for c in p.to_dict()["classes"]}
    # person: 5 boxes in images 0, 1, 2; bike: 3 boxes in images 0, 3
    assert (rows["person"]["instances"], rows["person"]["images"], rows["person"]["count"]) == (5, 3, 5)
    assert (rows["bike"]["instances"], rows["bike"]["images"], rows["bike"]["count"]) == (3, 2, 3)
    assert p.classes_without_samples == ("unicycle",) and p.to_dict()["classes_without_samples"] == ["unicycle"]
    assert p.imbalance_ratio == pytest.approx(5 / 3)  # the class without samples is left out of the ratio
    images = imbalcheck.profile(str(coco), count="images", batch_size=4)
    assert dict(zip(images.labels.tolist(), images.counts.tolist())) == {"person": 3, "bike": 2}
    from imbalcheck.render import render

    md = render(p, "markdown")
    assert "| \\# | label | count | instances | images | share |" in md  # side by side in the class table
    assert "1 class without samples" in md


def test_yolo_names_and_empty_class_folders(tmp_path):
    root = yolo_tree(tmp_path / "ds", ("classes.txt", "person\nbi cycle\ncar\n"))
    p = imbalcheck.profile(str(root), batch_size=2)
    assert p.classes_without_samples == ("bi cycle",) and set(p.detection_counts) == {"instances", "images"}
    tree = tmp_path / "tree"
    touch(tree / "cat" / "1.jpg")
    touch(tree / "cat" / "2.jpg")
    (tree / "dog").mkdir()
    folder = imbalcheck.profile(str(tree), batch_size=2)
    assert folder.classes_without_samples == ("dog",) and folder.detection_counts == {}


def test_the_gate_counts_classes_without_samples(coco):
    fails = run("check", coco, "--max-classes-without-samples", "0", "--format", "json")
    assert fails.exit_code == 1
    check = json.loads(fails.stdout)["checks"][0]
    assert (check["name"], check["observed"], check["passed"]) == ("max_classes_without_samples", 1, False)
    assert run("check", coco, "--max-classes-without-samples", "1").exit_code == 0


def test_a_classes_file_declares_the_expected_classes_of_any_input(tmp_path):
    names = tmp_path / "classes.txt"
    names.write_text("\ufeffcat\ndog\n\nnewt\n")  # a BOM and a blank line are fine
    labels = tmp_path / "labels.csv"
    labels.write_text("label\ncat\ncat\ndog\nfox\n")
    with pytest.warns(imbalcheck.ImbalcheckWarning, match=r"1 label\(s\) of the input are not declared there.*fox"):
        p = imbalcheck.profile(str(labels), classes=str(names), batch_size=2)
    assert p.classes_without_samples == ("newt",)
    gate = run("check", labels, "--classes", names, "--max-classes-without-samples", "0", "--format", "json")
    assert gate.exit_code == 1 and json.loads(gate.stdout)["checks"][0]["observed"] == 1
    refused = run("diff", labels, labels, "--classes", names)
    assert refused.exit_code == 2 and "diff does not use it: drop it" in refused.stderr
    missing = run("profile", labels, "--classes", tmp_path / "nope.txt")
    assert missing.exit_code == 2 and "no such file" in missing.stderr
