"""Hugging Face datasets: objects, save_to_disk folders and the Hub's parquet layout, with class names
from the features (never the ids), label sets from a list of ClassLabel, and one profile per split."""

from __future__ import annotations

import json

import pytest

datasets = pytest.importorskip("datasets")

import imbalcheck  # noqa: E402
from imbalcheck.errors import ConfigError, InputError  # noqa: E402
from tests.cli_helpers import run  # noqa: E402

FEATURES = datasets.Features({
    "text": datasets.Value("string"),
    "label": datasets.ClassLabel(names=["neg", "neu", "pos", "unused"]),
    "tags": datasets.Sequence(datasets.ClassLabel(names=["a", "b", "c"])),
})


@pytest.fixture(scope="module")
def dd():
    train = datasets.Dataset.from_dict({
        "text": ["x"] * 10, "label": [0] * 6 + [2] * 3 + [1],
        "tags": [[0], [0, 1], [], [1], [0], [0], [0, 1], [1], [0], [0]]}, features=FEATURES)
    test = datasets.Dataset.from_dict({"text": ["y"] * 4, "label": [0, 0, 2, -1], "tags": [[0]] * 4},
                                      features=FEATURES)
    return datasets.DatasetDict({"train": train, "test": test})


def counts(p):
    return dict(zip(p.labels.tolist(), p.counts.tolist()))


def test_classlabel_names_not_ids(dd):
    with pytest.warns(imbalcheck.ImbalcheckWarning, match="1 of the 4 ClassLabel names of 'label' has no sample"):
        p = imbalcheck.profile(dd["train"], column="label", batch_size=4)
    assert counts(p) == {"neg": 6, "pos": 3, "neu": 1} and p.column == "label"
    assert p.classes_without_samples == ("unused",) and p.to_dict()["classes_without_samples"] == ["unused"]
    assert "1 class without samples (left out of the ratio)" in repr(p)


def test_minus_one_is_a_missing_label(dd):
    p = imbalcheck.profile(dd["test"], column="label", batch_size=2)
    assert counts(p) == {"neg": 2, "pos": 1} and p.n_missing == 1


def test_a_list_of_classlabel_is_multi_label(dd):
    ml = imbalcheck.profile(dd["train"], column="tags", batch_size=4)
    assert type(ml).__name__ == "MultilabelProfile"
    assert dict(zip(ml.names, ml.counts.tolist())) == {"a": 7, "b": 4}
    assert ml.to_dict()["classes_without_samples"] == ["c"]
    assert ml.n_without_labels == 1  # the empty list: a sample with no label


def test_several_classlabel_columns_need_column(dd):
    with pytest.raises(InputError, match=r"several ClassLabel columns \(label, tags\); pick one with --column"):
        imbalcheck.profile(dd["train"])


def test_a_select_is_respected(dd):
    p = imbalcheck.profile(dd["train"].select([6, 7, 8, 9]), column="label", batch_size=2)
    assert counts(p) == {"pos": 3, "neu": 1}


def test_a_datasetdict_gives_every_split_and_the_drift(dd):
    r = imbalcheck.profile(dd, column="label", batch_size=2)
    doc = r.to_dict()
    assert list(doc["splits"]) == ["train", "test"]
    drift = doc["drift"][0]
    assert {"a", "b", "tvd", "js_divergence", "only_in_a", "only_in_b"} <= set(drift)
    assert (drift["a"], drift["b"]) == ("train", "test")
    p, q = {"neg": 0.6, "pos": 0.3, "neu": 0.1}, {"neg": 2 / 3, "pos": 1 / 3}
    assert drift["tvd"] == pytest.approx(0.5 * sum(abs(p[k] - q.get(k, 0)) for k in p))
    assert [x["label"] for x in drift["only_in_a"]] == ["neu"] and doc["missing_by_split"]["test"] == ["neu"]


@pytest.fixture(scope="module")
def folders(dd, tmp_path_factory):
    root = tmp_path_factory.mktemp("hf")
    dd.save_to_disk(str(root / "disk"))
    (root / "hub" / "data").mkdir(parents=True)
    dd["train"].to_parquet(str(root / "hub" / "data" / "train-00000-of-00001.parquet"))
    dd["test"].to_parquet(str(root / "hub" / "data" / "test-00000-of-00001.parquet"))
    return root


@pytest.mark.parametrize("layout", ["disk", "hub"])
def test_cli_reads_a_folder_with_names_from_the_features(folders, layout):
    result = run("profile", folders / layout, "--column", "label", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert list(doc["splits"]) == ["train", "test"]
    train = {c["label"]: c["count"] for c in doc["splits"]["train"]["classes"]}
    assert train == {"neg": 6, "pos": 3, "neu": 1}
    one = json.loads(run("profile", folders / layout, "-c", "label", "--dataset-split", "test", "-f", "json").stdout)
    assert one["n_samples"] == 3 and one["n_missing"] == 1


def test_errors_are_one_line(folders):
    unknown = run("profile", folders / "disk", "-c", "label", "--dataset-split", "nope")
    assert unknown.exit_code == 2 and "has the splits train, test" in unknown.stderr
    with pytest.raises(ConfigError, match="--dataset-split picks a split of a Hugging Face dataset"):
        imbalcheck.profile(["a", "b"], dataset_split="train")


def test_hub_shards_with_a_hash_and_in_a_config_folder(dd, tmp_path):
    (tmp_path / "hashed" / "data").mkdir(parents=True)
    dd["train"].to_parquet(str(tmp_path / "hashed" / "data" / "train-00000-of-00001-5a3f0c.parquet"))
    dd["test"].to_parquet(str(tmp_path / "hashed" / "data" / "test-00000-of-00001-77b1e2.parquet"))
    (tmp_path / "config" / "sst2").mkdir(parents=True)
    dd["train"].to_parquet(str(tmp_path / "config" / "sst2" / "train-00000-of-00001.parquet"))
    dd["test"].to_parquet(str(tmp_path / "config" / "sst2" / "test-00000-of-00001.parquet"))
    for folder in ("hashed", "config"):
        r = imbalcheck.profile(str(tmp_path / folder), column="label", batch_size=2)
        assert list(r.groups) == ["train", "test"], folder
        assert r.groups["train"].n_samples == 10 and r.groups["test"].n_samples == 3


def test_one_hub_parquet_file_keeps_its_class_names_in_every_command(folders):
    shard = folders / "hub" / "data" / "train-00000-of-00001.parquet"
    result = run("check", shard, "--column", "label", "--min-classes", "4", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["checks"][0]["observed"] == 3  # neg, pos, neu: not the ids 0, 1, 2
    d = imbalcheck.diff(str(shard), str(folders / "hub" / "data" / "test-00000-of-00001.parquet"), column="label")
    assert set(d.labels.tolist()) == {"neg", "pos", "neu"}


def test_a_split_without_labels_is_left_out(tmp_path):
    unlabelled = datasets.Dataset.from_dict({"text": ["z"] * 3, "label": [-1] * 3, "tags": [[0]] * 3},
                                            features=FEATURES)
    train = datasets.Dataset.from_dict({"text": ["z"] * 4, "label": [0, 0, 2, 2], "tags": [[0]] * 4},
                                       features=FEATURES)
    with pytest.warns(imbalcheck.ImbalcheckWarning, match=r"\[test\]: left out, no labelled sample"):
        r = imbalcheck.profile(datasets.DatasetDict({"train": train, "test": unlabelled}), column="label",
                               batch_size=2)
    assert counts(r) == {"neg": 2, "pos": 2}  # the one labelled split's profile


def test_broken_files_and_other_objects_are_one_line_errors(folders, dd, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "train-00000-of-00001.parquet").write_bytes(b"PAR1 truncated")
    broken = run("profile", tmp_path)
    assert broken.exit_code == 2 and "cannot read the dataset" in broken.stderr and broken.stderr.count("\n") == 1
    elsewhere = run("check", folders / "hub", "--min-classes", "2")
    assert elsewhere.exit_code == 2 and "a Hugging Face dataset folder; imbalcheck profile reads it" in elsewhere.stderr
    with pytest.raises(ConfigError, match="drop --by"):
        imbalcheck.profile(dd, by="split")
    with pytest.raises(InputError, match=r"ds.features\['label'\].int2str"):
        imbalcheck.check(dd["train"], min_classes=2)
