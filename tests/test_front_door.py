"""One front door: for every input type, the API's ``to_dict()`` equals the CLI's JSON.

Each case is (files to build, CLI arguments, API keywords): the CLI runs through typer's
CliRunner, the API through ``imbalcheck.profile`` with the same options in snake_case.
Only ``source`` may differ (the CLI and the API name standard input alike, so it does not).
"""

from __future__ import annotations

import io
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import imbalcheck
from imbalcheck.errors import ConfigError, InputError
from tests.cli_helpers import run

LABELS = ["cat"] * 30 + ["dog"] * 12 + ["axolotl"] * 3 + [""] * 2


def _csv(tmp_path, sep=","):
    path = tmp_path / ("y.tsv" if sep == "\t" else "y.csv")
    path.write_text(f"id{sep}label\n" + "".join(f"{i}{sep}{v}\n" for i, v in enumerate(LABELS)))
    return path


def _parquet(tmp_path):
    path = tmp_path / "y.parquet"
    pq.write_table(pa.table({"id": list(range(len(LABELS))), "label": [v or None for v in LABELS]}), path,
                   row_group_size=10)
    return path


def _jsonl(tmp_path):
    path = tmp_path / "y.jsonl"
    path.write_text("".join(json.dumps({"label": v or None, "i": i}) + "\n" for i, v in enumerate(LABELS)))
    return path


def _counts(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("label,count\ncat,30\ndog,12\naxolotl,3\n,2\n")
    return path


def _tags(tmp_path):
    path = tmp_path / "tags.csv"
    rows = ["a|b"] * 8 + ["a"] * 20 + ["c|a"] * 3 + ["b"] * 5 + ["", "NA"]
    path.write_text("id,tags\n" + "".join(f"{i},{t}\n" for i, t in enumerate(rows)))
    return path


def _one_hot(tmp_path):
    path = tmp_path / "onehot.csv"
    path.write_text("id,tag_x,tag_y,tag_z\n" + "1,1,0,0\n" * 9 + "2,1,1,0\n" * 3 + "3,0,0,1\n" * 2 + "4,,1,0\n")
    return path


def _coco(tmp_path):
    coco = {"images": [{"id": i} for i in range(1, 5)],
            "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "dog"}, {"id": 3, "name": "kite"}],
            "annotations": [{"id": k, "image_id": 1 + k % 4, "category_id": 1} for k in range(9)]
            + [{"id": 20, "image_id": 2, "category_id": 2}, {"id": 21, "image_id": 2, "category_id": 2},
               {"id": 22, "image_id": 3, "category_id": 3}]}
    path = tmp_path / "instances.json"
    path.write_text(json.dumps(coco))
    return path


def _yolo(tmp_path):
    root = tmp_path / "yolo"
    (root / "labels").mkdir(parents=True)
    (root / "data.yaml").write_text("names: [person, bike, car]\n")
    for i, lines in enumerate([["0", "0", "2"], ["0", "1"], ["2", "2", "2"], ["0"]]):
        (root / "labels" / f"{i}.txt").write_text("".join(f"{c} 0.5 0.5 0.1 0.1\n" for c in lines))
    return root


def _imagefolder(tmp_path):
    root = tmp_path / "train"
    for cls, n in (("cat", 7), ("dog", 3), ("eel", 1)):
        (root / cls).mkdir(parents=True)
        for i in range(n):
            (root / cls / f"{i}.png").write_bytes(b"")
    return root


CASES = {
    "csv": (_csv, [], {}),
    "tsv": (lambda p: _csv(p, "\t"), [], {}),
    "semicolon csv with --delimiter": (lambda p: _csv(p, ";"), ["--delimiter", ";"], {"delimiter": ";"}),
    "parquet": (_parquet, ["--batch-size", "8"], {"batch_size": 8}),
    "jsonl": (_jsonl, ["--top-k", "2"], {"top_k": [2]}),
    "counts table": (_counts, ["--counts"], {"counts": True}),
    "multi-label delimited": (_tags, ["--multi-label", "-c", "tags", "--na-values", "NA", "-b", "4"],
                              {"multi_label": True, "column": "tags", "na_values": ["NA"], "batch_size": 4}),
    "one-hot columns": (_one_hot, ["--one-hot-prefix", "tag_", "--split", "0.5,0.5"],
                        {"one_hot_prefix": "tag_", "split": "0.5,0.5"}),
    "one-hot named": (_one_hot, ["--one-hot", "tag_y,tag_x"], {"one_hot": ["tag_y", "tag_x"]}),
    "coco": (_coco, [], {}),
    "coco --count images": (_coco, ["--count", "images"], {"count": "images"}),
    "yolo": (_yolo, ["--count", "images"], {"count": "images"}),
    "imagefolder": (_imagefolder, ["--layout", "imagefolder"], {"layout": "imagefolder"}),
}


def _without_source(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "source"}


@pytest.mark.parametrize("case", CASES)
def test_api_to_dict_equals_cli_json(tmp_path, case, recwarn):
    build, args, options = CASES[case]
    path = build(tmp_path)
    result = run("profile", path, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    cli = json.loads(result.stdout)
    api = imbalcheck.profile(str(path), **options).to_dict()
    assert _without_source(api) == _without_source(cli)
    assert api["source"] == cli["source"] == str(path)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_standard_input_is_read_alike(tmp_path, monkeypatch, fmt):
    data = {"csv": "label\n" + "".join(f"{v}\n" for v in LABELS),
            "jsonl": "".join(json.dumps({"label": v}) + "\n" for v in LABELS),
            "json": json.dumps([{"label": v} for v in LABELS])}[fmt]
    result = run("profile", "-", "--format", "json", input=data)
    assert result.exit_code == 0, result.stderr
    cli = json.loads(result.stdout)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    api = imbalcheck.profile("-").to_dict()
    assert api == cli and api["source"] == "<stdin>" and api["input_format"] == fmt
    assert {c["label"]: c["count"] for c in api["classes"]} == {"cat": 30, "dog": 12, "axolotl": 3}


def test_every_command_has_its_api_function(tmp_path):
    path = _csv(tmp_path)
    other = tmp_path / "other.csv"
    other.write_text("label\n" + "cat\n" * 5 + "emu\n" * 2)
    for command, args, call in (
        ("check", [path, "--max-imbalance-ratio", "5"], lambda: imbalcheck.check(str(path), max_imbalance_ratio=5)),
        ("diff", [path, other, "--max-tvd", "0.5"], lambda: imbalcheck.diff(str(path), str(other), max_tvd=0.5)),
        ("recommend", [path], lambda: imbalcheck.recommend(str(path))),
        ("weights", [path, "--scheme", "sqrt_inverse"], lambda: imbalcheck.class_weights(str(path), "sqrt_inverse")),
    ):
        result = run(command, *args, *(["--format", "json"] if command != "weights" else []))
        assert result.exit_code in (0, 1), result.stderr
        assert call().to_dict() == json.loads(result.stdout), command


def test_all_lists_public_names_only():
    assert set(imbalcheck.__all__) == {
        "profile", "check", "diff", "recommend", "class_weights", "sampler", "probe", "read_counts", "Profile",
        "MultilabelProfile", "Counts", "ImbalcheckError", "InputError", "ConfigError", "MissingDependencyError",
        "ImbalcheckWarning", "__version__"}
    for name in imbalcheck.__all__:
        assert getattr(imbalcheck, name) is not None


def test_unknown_keyword_is_named_with_a_suggestion():
    with pytest.raises(imbalcheck.ConfigError, match=r"profile\(\) got an unknown option 'colum'; did you mean 'column'\?"):
        imbalcheck.profile(["a"], colum="x")


def test_open_file_objects_are_read_as_files(tmp_path):
    """A file object (binary, text, gzipped, in memory) is a file: its header is a header and no
    line break ends up in a label (it was once iterated line by line as label values)."""
    import gzip
    import io

    path = tmp_path / "tags.csv"
    path.write_text("id,tags\n1,b|a\n2,a\n3,c|a\n")
    with open(path, "rb") as fb, open(path) as ft:
        for f in (fb, ft, io.StringIO(path.read_text()), io.BytesIO(gzip.compress(path.read_bytes()))):
            r = imbalcheck.profile(f, multi_label=True, column="tags", batch_size=2)
            assert (r.names, r.counts.tolist(), r.input_format) == (["a", "b", "c"], [3, 1, 1], "csv")
    with open(path, "rb") as f:
        assert imbalcheck.profile(f, column="id", batch_size=2).source == str(path)
    with pytest.raises(ConfigError, match=r"encoding= does not apply to a text file object"):
        imbalcheck.profile(io.StringIO("label\na\n"), encoding="latin-1")
    with pytest.raises(ConfigError, match=r"--layout coco reads a data-set folder or a COCO file, not an open file"):
        imbalcheck.profile(io.BytesIO(b"{}"), layout="coco")


@pytest.mark.parametrize("rows_before", [0, 100_000], ids=["in-the-head", "past-the-head"])
def test_a_text_stream_with_undecodable_bytes_says_to_open_it_with_its_encoding(tmp_path, rows_before):
    """errors="surrogateescape" turns a Latin-1 byte into a lone surrogate: the advice is to open the
    file with its real encoding (encoding= is refused for a text stream), wherever the byte is."""
    path = tmp_path / "latin.csv"
    path.write_bytes(b"label\n" + b"dog\n" * rows_before + b"ca\xfft\n")
    with open(path, encoding="utf-8", errors="surrogateescape") as f, \
            pytest.raises(InputError, match=r"the text stream holds '\\udcff', which is not text .*open the file with "
                                            r"its real encoding, e\.g\. open\(path, encoding='latin-1'\)"):
        imbalcheck.profile(f)
    with open(path, encoding="latin-1") as f:  # the advice works
        assert imbalcheck.profile(f, batch_size=1).counts.sum() == rows_before + 1
