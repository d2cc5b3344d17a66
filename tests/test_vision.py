"""Vision layouts: ImageFolder, COCO and YOLO fixture trees built in tmp_path (empty files as images)."""

from __future__ import annotations

import gzip
import json
import os
import warnings

import pytest

import imbalcheck
from imbalcheck.readers import vision
from imbalcheck.readers.vision import yolo_count
from imbalcheck.errors import InputError


def touch(path, text=""):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- ImageFolder


@pytest.fixture
def imagefolder(tmp_path):
    root = tmp_path / "train"
    for i in range(5):
        touch(root / "cat" / f"{i}.jpg")
    touch(root / "cat" / "nested" / "deep" / "x.PNG")  # recursive, case-insensitive: 6 cats
    for i in range(2):
        touch(root / "dog" / f"{i}.JpEg")
    touch(root / "dog" / "notes.txt")  # not an image
    touch(root / "dog" / "anim.gif")  # not in torchvision's IMG_EXTENSIONS
    for ext in vision.TORCHVISION_IMG_EXTENSIONS:
        touch(root / "all" / f"a{ext}")
    (root / "empty").mkdir()
    touch(root / "stray.jpg")  # a file at the root is not a class
    return root


def test_imagefolder_counts(imagefolder):
    with pytest.warns(UserWarning) as rec:
        c = vision.imagefolder_counts(imagefolder)
    assert c.as_dict() == {"all": 9, "cat": 6, "dog": 2}
    assert c.labels.tolist() == ["all", "cat", "dog"]  # sorted by count, like every Counts
    msgs = [str(w.message) for w in rec]
    assert any("skipped 2 non-image file(s)" in m and ".gif" in m for m in msgs)
    assert any("1 class folder(s) hold no image" in m and "'empty'" in m for m in msgs)


def test_imagefolder_gif_on_request(imagefolder):
    with pytest.warns(UserWarning):
        c = vision.imagefolder_counts(imagefolder, extensions=vision.IMAGE_EXTENSIONS)
    assert c.as_dict()["dog"] == 3


def test_imagefolder_follows_links_once(tmp_path):
    root = tmp_path / "ds"
    touch(root / "a" / "1.png")
    touch(root / "a" / "2.png")
    try:
        os.symlink(root / "a", root / "a" / "loop")  # a link back to its own folder
    except OSError:
        pytest.skip("symbolic links not available")
    assert vision.imagefolder_counts(root).as_dict() == {"a": 2}


def test_imagefolder_errors(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        vision.imagefolder_counts(tmp_path / "missing")
    f = touch(tmp_path / "file.jpg")
    with pytest.raises(InputError, match="not a folder"):
        vision.imagefolder_counts(f)
    flat = tmp_path / "flat"
    touch(flat / "1.jpg")
    with pytest.raises(InputError, match="no class folders"):
        vision.imagefolder_counts(flat)
    only_empty = tmp_path / "oe"
    touch(only_empty / "a" / "readme.md")
    with pytest.warns(UserWarning), pytest.raises(InputError, match="no images in any class folder"):
        vision.imagefolder_counts(only_empty)


# ---------------------------------------------------------------- COCO


def coco_doc():
    return {
        "info": {},
        "images": [{"id": i, "file_name": f"{i}.jpg"} for i in range(1, 5)],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 1},
            {"id": 2, "image_id": 1, "category_id": 1},  # two persons in image 1
            {"id": 3, "image_id": 2, "category_id": 1},
            {"id": 4, "image_id": 2, "category_id": 3},
            {"id": 5, "image_id": 3, "category_id": 3, "iscrowd": 1},
            {"id": 6, "image_id": 3, "category_id": 3},
            {"id": 7, "image_id": 4, "category_id": 3},
        ],
        "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "bicycle"}, {"id": 3, "name": "car"}],
    }


def test_coco_counts(tmp_path):
    path = touch(tmp_path / "instances.json", json.dumps(coco_doc()))
    with pytest.warns(UserWarning, match="no annotation.*bicycle"):
        inst, imgs, _ = vision.coco_counts(path)
    # person: annotations 1, 2, 3 -> 3 instances in images {1, 2}; car: 4, 5, 6, 7 -> 4 in images {2, 3, 4}
    assert inst.as_dict() == {"car": 4, "person": 3}
    assert imgs.as_dict() == {"car": 3, "person": 2}


def test_coco_gzip_and_duplicate_names(tmp_path):
    doc = coco_doc()
    doc["categories"][2]["name"] = "person"  # ids 1 and 3 share a name
    doc["categories"].pop(1)
    path = tmp_path / "instances.json.gz"
    path.write_bytes(gzip.compress(json.dumps(doc).encode()))
    with pytest.warns(UserWarning, match="used by more than one id"):
        inst, _, _ = vision.coco_counts(path)
    assert inst.as_dict() == {"person (id 1)": 3, "person (id 3)": 4}


def test_coco_errors(tmp_path):
    doc = coco_doc()
    doc["annotations"].append({"id": 99, "image_id": 1, "category_id": 42})
    with pytest.raises(InputError, match=r"annotations\[7\] \(annotation id 99\) has category_id 42"):
        vision.coco_counts(touch(tmp_path / "a.json", json.dumps(doc)))
    doc = coco_doc()
    del doc["categories"]
    with pytest.raises(InputError, match="'categories' is missing"):
        vision.coco_counts(touch(tmp_path / "b.json", json.dumps(doc)))
    doc = coco_doc()
    doc["categories"].append({"id": 1, "name": "again"})
    with pytest.raises(InputError, match="category id 1 appears more than once"):
        vision.coco_counts(touch(tmp_path / "c.json", json.dumps(doc)))
    with pytest.raises(InputError, match="invalid JSON at line 1"):
        vision.coco_counts(touch(tmp_path / "d.json", '{"images": ['))
    with pytest.raises(InputError, match="no such file"):
        vision.coco_counts(tmp_path / "nope.json")
    doc = coco_doc()
    doc["annotations"] = []
    with pytest.warns(UserWarning), pytest.raises(InputError, match="no annotations"):
        vision.coco_counts(touch(tmp_path / "e.json", json.dumps(doc)))


# ---------------------------------------------------------------- YOLO


def yolo_tree(root, names_file=None):
    touch(root / "labels" / "train" / "a.txt", "0 0.5 0.5 0.2 0.2\n0 0.1 0.1 0.1 0.1\n2 0.3 0.3 0.1 0.1\n")
    touch(root / "labels" / "train" / "b.txt", "2 0.5 0.5 0.2 0.2\n\n")
    touch(root / "labels" / "val" / "c.txt", "")  # background image
    touch(root / "labels" / "val" / "d.txt", "0 0.1 0.2 0.3 0.4 0.5 0.6\n")  # a segmentation line
    touch(root / "images" / "train" / "a.jpg")
    if names_file:
        touch(root / names_file[0], names_file[1])
    return root


@pytest.mark.parametrize("names_file", [
    ("data.yaml", "path: .\ntrain: images/train\nnames: [person, 'bi cycle', car]\n"),
    ("data.yaml", "nc: 3\nnames:\n  - person\n  - bi cycle  # a comment\n  - car\nval: images/val\n"),
    ("data.yaml", "names:\n  0: person\n  1: \"bi cycle\"\n  2: car\n"),
    ("classes.txt", "person\nbi cycle\ncar\n"),
])
def test_yolo_counts_with_names(tmp_path, names_file):
    root = yolo_tree(tmp_path / "ds", names_file)
    with pytest.warns(UserWarning, match="no annotation.*bi cycle"):
        inst, imgs, _ = vision.yolo_counts(root)
    # class 0: a.txt twice + d.txt once = 3 instances in 2 images; class 2: a.txt + b.txt = 2 in 2 images
    assert inst.as_dict() == {"person": 3, "car": 2}
    assert imgs.as_dict() == {"person": 2, "car": 2}


@pytest.mark.parametrize("names_file", [
    ("data.yaml", "names: [person, 'bi cycle', car]\n"),
    ("classes.txt", "person\nbi cycle\ncar\n"),
])
def test_yolo_files_with_a_byte_order_mark(tmp_path, names_file):
    """Windows editors start text files with a UTF-8 byte order mark: in a label file (fast and
    line-by-line parse alike), in classes.txt or data.yaml it is no part of the first line, and a
    tree whose label files all carry one is still detected as YOLO."""
    bom = "\ufeff"
    root = tmp_path / "ds"
    touch(root / "labels" / "train" / "a.txt", bom + "0 0.5 0.5 0.2 0.2\n2 0.3 0.3 0.1 0.1\n")
    touch(root / "labels" / "train" / "b.txt", bom + "2 0.5 0.5 0.2 0.2\n0 0.1 0.2 0.3 0.4 0.5 0.6\n")
    c = touch(root / "labels" / "train" / "c.txt", bom + "0 0.5 0.5 0.2 0.2\n")
    touch(root / "images" / "train" / "a.jpg")
    touch(root / names_file[0], bom + names_file[1])
    with pytest.warns(UserWarning, match="no annotation.*bi cycle"):
        inst, imgs, _ = vision.yolo_counts(root)
    assert inst.as_dict() == {"person": 3, "car": 2}
    assert imgs.as_dict() == {"person": 3, "car": 2}
    assert yolo_count.careful_ids(c, 3) == [0]  # the line-by-line parse
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert imbalcheck.profile(str(root)).to_dict()["input_format"] == "yolo"


def test_yolo_names_argument_and_ids(tmp_path):
    root = yolo_tree(tmp_path / "ds")
    inst, imgs, _ = vision.yolo_counts(root)  # no names anywhere: the ids are the labels
    assert inst.as_dict() == {"0": 3, "2": 2}
    with pytest.warns(UserWarning, match="no annotation.*'b'"):
        inst, _, _ = vision.yolo_counts(root, names={0: "p", 1: "b", 2: "c"})
    assert inst.as_dict() == {"p": 3, "c": 2}
    with pytest.warns(UserWarning, match="no annotation.*'b'"):
        inst, _, _ = vision.yolo_counts(root / "labels", names=["p", "b", "c"])  # the labels folder itself
    assert inst.as_dict() == {"p": 3, "c": 2}


def test_yolo_flat_folder(tmp_path):
    root = tmp_path / "flat"
    touch(root / "1.jpg")
    touch(root / "1.txt", "1 0.5 0.5 0.1 0.1\n")
    touch(root / "classes.txt", "zero\none\n")
    with pytest.warns(UserWarning, match="zero"):
        inst, _, _ = vision.yolo_counts(root)
    assert inst.as_dict() == {"one": 1}


def test_yolo_errors(tmp_path):
    root = yolo_tree(tmp_path / "ds")
    bad = touch(root / "labels" / "train" / "e.txt", "0 0.5 0.5 0.2 0.2\nperson 0.5 0.5 0.2 0.2\n")
    with pytest.raises(InputError, match=rf"{bad.name}:2: malformed YOLO line 'person 0.5"):
        vision.yolo_counts(root)
    touch(bad, "0 0.5 0.5\n")
    with pytest.raises(InputError, match=r"e\.txt:1: malformed"):
        vision.yolo_counts(root)
    touch(bad, "-1 0.5 0.5 0.2 0.2\n")
    with pytest.raises(InputError, match=r"e\.txt:1: malformed"):
        vision.yolo_counts(root)
    touch(bad, "7 0.5 0.5 0.2 0.2\n")
    with pytest.raises(InputError, match=r"e\.txt:1: class id 7 but the class names list only 3"):
        vision.yolo_counts(root, names=["a", "b", "c"])
    with pytest.raises(InputError, match="no YOLO label files"):
        vision.yolo_counts(touch(tmp_path / "nolabels" / "x.jpg").parent)
    with pytest.raises(InputError, match="no such folder"):
        vision.yolo_counts(tmp_path / "missing")


# ---------------------------------------------------------------- detect_layout


def test_detect_layout(tmp_path, imagefolder):
    assert vision.detect_layout(imagefolder) == "imagefolder"
    assert vision.detect_layout(yolo_tree(tmp_path / "y")) == "yolo"  # images/ must not look like a class
    assert vision.detect_layout(yolo_tree(tmp_path / "y2") / "labels") == "yolo"
    coco = touch(tmp_path / "instances_val.json", json.dumps(coco_doc()))
    assert vision.detect_layout(coco) == "coco"
    assert vision.detect_layout(touch(tmp_path / "other.json", json.dumps({"images": []}))) is None
    assert vision.detect_layout(touch(tmp_path / "list.json", "[1, 2]")) is None
    assert vision.detect_layout(touch(tmp_path / "labels.csv", "label\na\n")) is None
    assert vision.detect_layout(tmp_path / "missing") is None
    empty = tmp_path / "empty"
    empty.mkdir()
    assert vision.detect_layout(empty) is None


def test_detect_layout_imagefolder_with_readme(tmp_path):
    root = tmp_path / "ds"
    touch(root / "README.txt", "A data set of cats and dogs.\n")  # .txt files that are not YOLO labels
    touch(root / "description.txt", "cats and dogs, 2 classes\n")
    touch(root / "cat" / "1.jpg")
    touch(root / "dog" / "1.webp")
    assert vision.detect_layout(root) == "imagefolder"


def test_detect_layout_coco_key_order(tmp_path):
    # categories first, a large images list in between: the keys are found anywhere in the file
    doc = {"categories": [{"id": 1, "name": "x"}], "images": [{"id": i} for i in range(20000)], "annotations": []}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(doc))
    assert vision.detect_layout(path) == "coco"
