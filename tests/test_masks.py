"""Segmentation masks against numpy: pixel counts, images per class, both weight schemes, void pixels,
palette and grayscale PNGs, and one-line errors naming the file."""

from __future__ import annotations

import json

import numpy as np
import pytest

Image = pytest.importorskip("PIL.Image")

import imbalcheck  # noqa: E402
from tests.cli_helpers import run  # noqa: E402


@pytest.fixture
def masks(tmp_path):
    rng = np.random.default_rng(0)
    root = tmp_path / "masks"
    root.mkdir()
    arrays = []
    for i in range(8):
        a = rng.choice([0, 1, 2, 3, 255], size=(24, 32), p=[0.5, 0.3, 0.1, 0.05, 0.05]).astype(np.uint8)
        if i % 3 == 0:
            a[a == 3] = 0  # class 3 absent from some masks
        arrays.append(a)
        if i % 2:
            im = Image.fromarray(a, mode="P")
            im.putpalette(list(rng.integers(0, 256, 768)))
            im.save(root / f"m{i}.png")
        else:
            Image.fromarray(a, mode="L").save(root / f"m{i}.png")
    return root, arrays


def oracle(arrays, ignore=255, k=4):
    pixels, images, image_pixels = np.zeros(k), np.zeros(k), np.zeros(k)
    for a in arrays:
        v = a[a != ignore]
        c = np.bincount(v, minlength=k)[:k]
        pixels += c
        images += c > 0
        image_pixels += (c > 0) * v.size
    freq = pixels / image_pixels
    median_frequency = np.median(freq) / freq
    enet = 1 / np.log(1.02 + pixels / pixels.sum())
    return pixels, images, median_frequency, enet


def test_pixels_images_and_weights_match_numpy(masks, tmp_path):
    root, arrays = masks
    names = tmp_path / "names.txt"
    names.write_text("background\nroad\nbicycle\nperson\nunused\n")
    result = run("profile", root, "--classes", names, "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    pixels, images, mf, enet = oracle(arrays)
    rows = {c["label"]: c for c in doc["classes"]}
    for i, name in enumerate(["background", "road", "bicycle", "person"]):
        assert rows[name]["count"] == pixels[i] and rows[name]["images"] == images[i]
        assert doc["segmentation_weights"]["median_frequency"][name] == pytest.approx(mf[i], rel=1e-12)
        assert doc["segmentation_weights"]["enet"][name] == pytest.approx(enet[i], rel=1e-12)
    assert doc["input_format"] == "masks" and doc["classes_without_samples"] == ["unused"]


def test_ignore_index_and_names_by_index(masks):
    root, arrays = masks
    p = imbalcheck.profile(str(root), ignore_index=0, batch_size=8)  # now 0 is void and 255 a class
    counts = dict(zip(p.labels.tolist(), p.counts.tolist()))
    expected = np.bincount(np.concatenate([a.ravel() for a in arrays]), minlength=256)
    assert counts == {str(v): int(expected[v]) for v in (1, 2, 3, 255)}


def test_bad_masks_are_one_line_errors(tmp_path):
    root = tmp_path / "m"
    root.mkdir()
    Image.fromarray(np.zeros((4, 4), np.uint8), mode="L").save(root / "a.png")
    Image.fromarray(np.zeros((4, 4, 3), np.uint8), mode="RGB").save(root / "rgb.png")
    out = run("profile", root, "--layout", "masks")
    assert out.exit_code == 2 and "rgb.png: a RGB image; a mask is single-channel" in out.stderr
    (root / "rgb.png").unlink()
    Image.fromarray(np.full((4, 4), 7, np.uint8), mode="L").save(root / "seven.png")
    names = tmp_path / "n.txt"
    names.write_text("a\nb\n")
    beyond = run("profile", root, "--classes", names)
    assert beyond.exit_code == 2 and "seven.png: pixel value 7 is beyond the 2 classes" in beyond.stderr
    (root / "notes.txt").write_text("x")
    other = run("profile", root, "--layout", "masks")
    assert other.exit_code == 2 and "notes.txt: not a PNG mask" in other.stderr
    assert run("profile", root, "--layout", "masks", "--ignore-index", "300").exit_code == 2
