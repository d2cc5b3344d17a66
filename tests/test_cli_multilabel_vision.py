"""Multi-label and vision inputs through the CLI."""

from __future__ import annotations

import json

import pytest

from tests.cli_helpers import run


@pytest.fixture
def tags(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "tags.csv"
    path.write_text("id,tags\n" + "".join(f"{i},{t}\n" for i, t in enumerate(["a|b"] * 30 + ["a"] * 60 + ["c"] * 10)))
    return path


def test_multilabel_json(tags):
    doc = json.loads(run("profile", tags, "--multi-label", "-c", "tags", "-f", "json", "-b", "8").stdout)
    ml = doc["multilabel"]
    assert ml["n_samples"] == 100 and ml["n_labels"] == 3
    counts = {r["label"]: r["count"] for r in ml["labels"]}
    assert counts == {"a": 90, "b": 30, "c": 10}
    # IRLbl = max count / count: a 1, b 3, c 9; MeanIR = 13/3; cardinality = 130/100
    assert {r["label"]: r["ir_lbl"] for r in ml["labels"]} == {"a": 1.0, "b": 3.0, "c": 9.0}
    assert ml["mean_ir"] == pytest.approx(13 / 3) and ml["cardinality"] == pytest.approx(1.3)
    assert {r["label"]: r["pos_weight"] for r in ml["labels"]}["c"] == pytest.approx(90 / 10)


def test_multilabel_rich_and_markdown(tags):
    for fmt in ("rich", "markdown"):
        result = run("profile", tags, "--multi-label", "-c", "tags", "-f", fmt, "-b", "8")
        assert result.exit_code == 0, result.stderr
        assert "MeanIR" in result.stdout and "SCUMBLE" in result.stdout


def test_multilabel_check_gate(tags):
    result = run("check", tags, "--multi-label", "-c", "tags", "--max-mean-ir", "3", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["failed"] == ["max_mean_ir"]
    assert run("check", tags, "--multi-label", "-c", "tags", "--max-mean-ir", "5").exit_code == 0


def test_one_hot_columns(tmp_path):
    path = tmp_path / "oh.csv"
    path.write_text("tag_x,tag_y\n" + "1,0\n" * 5 + "1,1\n" * 2)
    doc = json.loads(run("profile", path, "--one-hot-prefix", "tag_", "-f", "json", "-b", "2").stdout)
    assert {r["label"]: r["count"] for r in doc["multilabel"]["labels"]} == {"x": 7, "y": 2}


def test_imagefolder_is_detected(tmp_path):
    for cls, n in (("cat", 6), ("dog", 2)):
        (tmp_path / "train" / cls).mkdir(parents=True)
        for i in range(n):
            (tmp_path / "train" / cls / f"{i}.jpg").write_bytes(b"")
    doc = json.loads(run("profile", tmp_path / "train", "-f", "json", "-b", "2").stdout)
    assert {c["label"]: c["count"] for c in doc["classes"]} == {"cat": 6, "dog": 2}


def test_coco_instances_and_images(tmp_path):
    coco = {"images": [{"id": 1}, {"id": 2}], "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "dog"}],
            "annotations": [{"id": i, "image_id": 1, "category_id": 1} for i in range(3)]
            + [{"id": 9, "image_id": 2, "category_id": 2}, {"id": 10, "image_id": 2, "category_id": 1}]}
    path = tmp_path / "instances.json"
    path.write_text(json.dumps(coco))
    doc = json.loads(run("profile", path, "-f", "json", "-b", "1").stdout)
    assert {c["label"]: c["count"] for c in doc["classes"]} == {"person": 4, "dog": 1}
    doc = json.loads(run("profile", path, "--count", "images", "-f", "json", "-b", "1").stdout)
    assert {c["label"]: c["count"] for c in doc["classes"]} == {"person": 2, "dog": 1}


def test_a_plain_folder_is_a_clear_error(tmp_path):
    (tmp_path / "notes.md").write_text("hi")
    result = run("profile", tmp_path)
    assert result.exit_code == 2 and "not an ImageFolder, COCO or YOLO layout" in result.stderr


def test_bad_layout_option(tmp_path):
    result = run("profile", tmp_path, "--layout", "voc")
    assert result.exit_code == 2 and "--layout 'voc'" in result.stderr
