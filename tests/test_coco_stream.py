"""Streamed COCO reading (:mod:`imbalcheck.readers.vision.coco_stream`) against an oracle: ``json.load``
and plain Python counting, on generated files (pretty-printed and compact, gzipped, escaped quotes
and backslashes, ``"category_id"`` as a string value and inside nested objects, keys in any order,
unicode) read in blocks so small that keys and strings straddle them; and every file it cannot
stream (unusual, invalid, cut short) reads exactly as ``json.load``'s path reads it."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import random
import tempfile
import warnings
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imbalcheck.errors import InputError
from imbalcheck.readers.vision import coco, coco_stream
from imbalcheck.readers.vision.coco import coco_counts, coco_image_label_sets

BASE = ('{"images": [{"id": 1}, {"id": 2}], "annotations": [{"id": 5, "image_id": 1, "category_id": 1}, '
        '{"id": 6, "image_id": 2, "category_id": 2}], "categories": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]}')


FRAGMENTS = ['"', "\\", '\\"', "\\\\", "{", "}", "[", "]", ":", ",", " ", "\n", "\t", "a", "é", "中", "😀",
             "category_id", "image_id", "id", '"category_id": 7}', "\\u", "/"]
TEXT = st.lists(st.sampled_from(FRAGMENTS), max_size=5).map("".join)
IDS = st.one_of(st.integers(-5, 40), st.integers(-(10**17), 10**17))


@st.composite
def documents(draw) -> dict:
    """A COCO document whose ids are integers (streamable), with distractors everywhere."""
    cat_ids = draw(st.lists(IDS, min_size=1, max_size=5, unique=True))
    names = draw(st.lists(TEXT, min_size=len(cat_ids), max_size=len(cat_ids), unique=True))
    image_ids = draw(st.lists(IDS, min_size=1, max_size=6))  # repeated ids too: the first entry is the row
    annotations = [shuffled(draw, {"id": i, "category_id": draw(st.sampled_from(cat_ids)),
                                   "image_id": draw(st.sampled_from(image_ids)), **draw(extras())})
                   for i in range(draw(st.integers(1, 8)))]
    images = [shuffled(draw, {**draw(st.dictionaries(TEXT, TEXT, max_size=2)), "id": i, "file_name": draw(TEXT)})
              for i in image_ids]
    categories = [shuffled(draw, {"id": c, "name": n, "supercategory": draw(TEXT)}) for c, n in zip(cat_ids, names)]
    top = {"images": images, "annotations": annotations, "categories": categories,
           "info": {"annotations": [{"category_id": 1}], "note": draw(TEXT)}, "licenses": [], "year": 2020}
    top[draw(TEXT.filter(lambda t: t not in top))] = None
    return shuffled(draw, top)


def extras():
    """Keys beside the ids: polygons, RLE dicts, nested objects and strings spelling the keys."""
    value = st.one_of(
        st.lists(st.lists(st.floats(-1e6, 1e6), max_size=6), max_size=2),  # a polygon segmentation
        st.fixed_dictionaries({"counts": st.one_of(TEXT, st.lists(st.integers(0, 99))), "size": st.just([4, 5])}),
        st.fixed_dictionaries({"category_id": st.one_of(IDS, TEXT), "image_id": TEXT}),
        st.sampled_from(["category_id", "image_id", "id"]), TEXT, st.booleans(), st.none(), st.integers(),
    )
    keys = st.sampled_from(["segmentation", "bbox", "area", "iscrowd", "attributes", "note", "caption"]) | TEXT
    return st.dictionaries(keys.filter(lambda k: k not in ("id", "category_id", "image_id")), value, max_size=4)


def shuffled(draw, d: dict) -> dict:
    items = list(d.items())
    draw(st.randoms(use_true_random=False)).shuffle(items)
    return dict(items)


LAYOUTS = st.fixed_dictionaries({
    "indent": st.sampled_from([None, 0, 2, "\t"]),
    "separators": st.sampled_from([None, (",", ":"), (" ,\n ", " :\r\n\t")]),
    "ensure_ascii": st.booleans(),
    "gz": st.booleans(),
    "bom": st.booleans(),
    "block": st.one_of(st.integers(1, 48), st.just(1 << 16)),
})


def write(folder: Path, doc_or_text, layout: dict) -> Path:
    text = doc_or_text if isinstance(doc_or_text, str) else json.dumps(
        doc_or_text, indent=layout["indent"], separators=layout["separators"], ensure_ascii=layout["ensure_ascii"])
    data = (codecs.BOM_UTF8 if layout["bom"] else b"") + (" \n" + text + "\n ").encode("utf-8", "surrogatepass")
    path = folder / ("instances.json.gz" if layout["gz"] else "instances.json")
    path.write_bytes(gzip.compress(data) if layout["gz"] else data)
    return path


# ---------------------------------------------------------------- the oracle: json.load, plain Python


def oracle(doc: dict):
    """(instances, images per category, categories without annotation, label set of each image)."""
    name = {c["id"]: c["name"] for c in doc["categories"]}
    anns = doc["annotations"]
    instances = Counter(name[a["category_id"]] for a in anns)
    images = Counter(name[c] for c, _ in {(a["category_id"], a["image_id"]) for a in anns})
    unused = tuple(c["name"] for c in doc["categories"] if c["name"] not in instances)
    row: dict = {}
    for i, img in enumerate(doc["images"]):
        row.setdefault(img["id"], i)
    sets = [set() for _ in doc["images"]]
    for a in anns:
        sets[row[a["image_id"]]].add(name[a["category_id"]])
    return dict(instances), dict(images), unused, sets


def read(path: Path):
    """What the reader gives: the oracle's four things."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inst, imgs, unused = coco_counts(path)
        labels, indptr, indices = coco_image_label_sets(path)
    sets = [{labels[j] for j in indices[indptr[r]:indptr[r + 1]]} for r in range(len(indptr) - 1)]
    return inst.as_dict(), imgs.as_dict(), unused, sets


def streamed_only():
    """Reading without the json.load path: any fallback fails the test."""
    return mock.patch.object(coco, "_loaded", side_effect=AssertionError("fell back to json.load"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(doc=documents(), layout=LAYOUTS)
def test_streamed_counts_equal_json_load_and_counter(doc, layout):
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), doc, layout)
        with mock.patch.object(coco_stream, "BLOCK", layout["block"]), streamed_only():
            assert read(path) == oracle(doc)


def test_a_normal_file_is_streamed(tmp_path):
    doc = {"images": [{"id": i, "file_name": f"{i}.jpg"} for i in range(1, 4)],
           "annotations": [{"id": 1, "image_id": 1, "category_id": 2, "segmentation": [[1.5, 2.0, 3.0, 4.0]]},
                           {"id": 2, "image_id": 3, "category_id": 1, "bbox": [0, 0, 1, 1]}],
           "categories": [{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}]}
    for path, data in ((tmp_path / "a.json", json.dumps(doc, indent=2).encode()),
                       (tmp_path / "a.json.gz", gzip.compress(json.dumps(doc).encode()))):
        path.write_bytes(data)
        with streamed_only():
            assert read(path) == ({"cat": 1, "dog": 1}, {"cat": 1, "dog": 1}, (), [{"dog"}, set(), {"cat"}])


def test_only_the_ids_are_kept():
    ids = coco_stream.stream_ids(io.BytesIO(json.dumps({
        "categories": [{"id": 3, "name": "x"}], "images": [{"id": 9}, {"id": 8}],
        "annotations": [{"image_id": 8, "category_id": 3, "segmentation": [[0.5] * 50]}]}).encode()), images=True)
    assert ids.categories == [{"id": 3, "name": "x"}]
    assert (ids.category_ids.tolist(), ids.image_keys.tolist(), ids.image_ids.tolist()) == ([3], [8], [9, 8])


def test_a_long_run_without_a_closing_brace_is_scanned_once():
    """A 2 MB "info" list of numbers in 64-byte blocks: blocks with no '}' wait without being copied
    and scanned again (the scan used to see carry + block for each of them: quadratic), and the ids
    still come out."""
    doc = {"info": list(range(300_000)), "categories": [{"id": 3, "name": "x"}], "images": [{"id": 8}, {"id": 9}],
           "annotations": [{"image_id": 8, "category_id": 3}, {"image_id": 9, "category_id": 3}]}
    data = json.dumps(doc).encode()
    seen = []
    real = coco_stream._Scan.block

    def spy(self, buf):
        seen.append(len(buf))
        return real(self, buf)

    with mock.patch.object(coco_stream, "BLOCK", 64), mock.patch.object(coco_stream._Scan, "block", spy):
        ids = coco_stream.stream_ids(io.BytesIO(data))
    assert (ids.category_ids.tolist(), ids.image_keys.tolist()) == ([3, 3], [8, 9])
    assert sum(seen) < 2 * len(data)


def test_a_malformed_number_inside_a_segmentation_is_not_seen(tmp_path):
    """The limit the module docstring states: the scan parses the ids, not the values between them."""
    path = tmp_path / "instances.json"
    path.write_text(BASE.replace('"category_id": 1}', '"category_id": 1, "segmentation": [[1.2.3]]}'))
    with streamed_only():
        assert read(path)[0] == {"a": 1, "b": 1}
    with mock.patch.object(coco, "_streamed", side_effect=coco_stream.NotStreamable), \
            pytest.raises(InputError, match="invalid JSON at line 1"):
        coco_counts(path)


# ---------------------------------------------------------------- what is not streamed reads as json.load reads it


def outcome(path: Path, read_fn):
    """(result or error message, warnings) of ``read_fn(path)``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            got = tuple(_plain(x) for x in read_fn(path))
        except InputError as exc:
            got = ("InputError", str(exc))
    return got, [str(w.message) for w in caught]


def _plain(x):
    return x.as_dict() if hasattr(x, "as_dict") else x.tolist() if hasattr(x, "tolist") else x


def assert_reads_as_json_load(path: Path) -> None:
    for read_fn in (coco_counts, coco_image_label_sets):
        got = outcome(path, read_fn)
        with mock.patch.object(coco, "_streamed", side_effect=coco_stream.NotStreamable):
            assert got == outcome(path, read_fn)


@pytest.mark.parametrize("text", [
    BASE.replace('"image_id": 2', '"image_id": "2"').replace('{"id": 2}', '{"id": "2"}'),  # string ids
    BASE.replace('"image_id": 2', '"image_id": 2.0'),  # a float id
    BASE.replace('"category_id": 2', '"category_id": 2.0'),
    BASE.replace('"category_id": 2', '"category_id": "2"'),  # not a category: the error names annotation 6
    BASE.replace('"category_id": 2', '"category_id": 3'),
    BASE.replace('"category_id": 2', '"category_id": true'),
    BASE.replace('"category_id": 2', '"category_id": 2, "category_id": 1'),  # json.load keeps the last
    BASE.replace(', "category_id": 2', ""),  # no category_id
    BASE.replace(', "image_id": 2', ""),  # no image_id (None for the counts, an error for the label sets)
    BASE.replace('"image_id": 2', '"image_id": 3'),  # not in images
    BASE.replace('"image_id": 2', '"image_id": 123456789012345678901234'),  # beyond int64
    BASE.replace('"image_id": 2', '"image_id": 02'),  # invalid JSON
    BASE.replace('{"id": 2}', '{"idx": 2}'),  # an image without id
    BASE.replace('{"id": 2}', '{"id": 2, "id": 1}'),
    BASE.replace('{"id": 2}', "7"),  # an image that is not an object
    BASE.replace('{"id": 6,', '6, {"id": 6,'),  # an annotation that is not an object
    BASE.replace('{"id": 6, "image_id": 2, "category_id": 2}', '["image_id": 2, "category_id": 2, "x": 0]'),
    BASE.replace('"category_id": 1}, {"id": 6, "image_id": 2, "category_id": 2}',
                 '"category_id": 1, "category_id": 2}, {"id": 6, "image_id": 2}'),  # twice in one, none in the next
    BASE.replace('"category_id": 1}', '"category_id": 1, "s": [1}]'),  # brackets of the wrong kind
    BASE.replace('}, {"id": 6', '} {"id": 6'),  # a missing comma between two annotations
    BASE.replace('}, {"id": 6', '} 6, {"id": 6'),
    BASE.replace('}, {"id": 6', '}, "x" {"id": 6'),
    BASE.replace('}], "categories"', '},], "categories"'),  # a trailing comma
    BASE.replace('{"id": 1, "name": "a"},', '{"id": 1, "name": "a"}, {"id": 1, "name": "c"},'),  # a category id twice
    BASE.replace('"name": "b"', '"name": "a"').replace('"category_id": 2', '"category_id": 9'),  # warning, error
    BASE.replace('"categories": [', '"categories": [{"name": "x"}, '),
    BASE.replace('"categories": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]', '"categories": []'),
    BASE.replace('"annotations": [', '"annotations": {"x": [').replace('}], "categories"', '}]}, "categories"'),
    BASE.replace('"images": [{"id": 1}, {"id": 2}], ', ""),
    BASE.replace('{"images"', '{"images": 1, "images"'),
    BASE.replace('{"images"', '{"x": 1 "images"'),
    BASE.replace('"annotations": [', '"annotations": ]['),
    BASE.replace("]}", "}]"),
    BASE + "{}",
    BASE[:-1] + ", }",  # a trailing comma at the top level
    BASE[:-1] + ', "annotations": []}',  # json.load keeps the last
    BASE + "x",
    "[" + BASE + "]",
    BASE.replace('"name": "b"', '"name": "b\\"]}"'),  # brackets in a string: streamed
    BASE.replace('"name": "b"', '"name": "b\\\\"'),
    BASE.replace('"name": "b"', '"name": "b\\q"'),  # an invalid escape inside categories
    BASE.replace('"name": "b"', '"name": "b\\'),
    BASE.replace('{"id": 1}', '{"id": 1, "f": "x\\\\\\"}"}'),
    BASE.replace('{"id": 1}', '{"id": 1} \\'),
    BASE.replace('"category_id": 2', '"category_id": 2, "category_\\u0069d": 1'),  # the same key, spelled otherwise
    BASE.replace('"image_id": 2', '"image_\\u0069d": 2'),
    BASE.replace('{"id": 2}', '{"\\u0069d": 2}'),
    BASE.replace('"id": 6, ', '"\\u0069d": 6, "\\u00e9": "\\\\", '),  # other escaped keys: streamed
    "",
    "   ",
    "{}",
    '{"images": [], "annotations": [], "categories": [{"id": 1, "name": "a"}]}',
])
@pytest.mark.parametrize("block", [3, 1 << 16])
def test_unusual_and_invalid_files_read_as_json_load_reads_them(tmp_path, text, block):
    path = tmp_path / "instances.json"
    path.write_text(text)
    with mock.patch.object(coco_stream, "BLOCK", block):
        assert_reads_as_json_load(path)


def test_other_encodings_and_a_cut_gzip_stream_read_as_json_load_reads_them(tmp_path):
    path = tmp_path / "instances.json"
    latin1 = [BASE.replace('"b"', '"\xe9"'), BASE.replace('{"id": 2}', '{"id": 2, "f": "\xe9"}')]
    for data in (*(text.encode("latin-1") for text in latin1), BASE.encode("utf-16"), BASE.encode("utf-16-le"),
                 codecs.BOM_UTF8 * 2 + BASE.encode()):
        path.write_bytes(data)
        assert_reads_as_json_load(path)
    path.write_bytes(gzip.compress(BASE.encode())[:-9])  # a cut gzip stream
    assert_reads_as_json_load(path)


def test_files_cut_anywhere_read_as_json_load_reads_them(tmp_path):
    rng = random.Random(0)
    text = json.dumps(json.loads(BASE.replace('"name": "b"', '"name": "b\\"}]", "x": [{"category_id": 1}]')), indent=1)
    path = tmp_path / "instances.json"
    for cut in sorted(rng.sample(range(len(text)), 40)):
        path.write_text(text[:cut])
        with mock.patch.object(coco_stream, "BLOCK", rng.choice([1, 5, 64])):
            assert_reads_as_json_load(path)
