"""Review inputs that must not be misread: what --rev finds at a revision, groups that lack a class,
in-memory inputs to diff, totals beyond int64, file names matplotlib would parse."""

from __future__ import annotations

import json
import os
import subprocess

import pandas as pd
import pytest

import imbalcheck
from imbalcheck.errors import ConfigError, InputError
from tests.cli_helpers import run


def _git(repo, *args):
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=repo, check=True,
                   capture_output=True)


@pytest.fixture
def repo(tmp_path):
    _git(tmp_path, "init", "-q")
    (tmp_path / "imgs" / "cat").mkdir(parents=True)
    (tmp_path / "imgs" / "cat" / "1.jpg").write_bytes(b"")
    (tmp_path / "labels.csv").write_text("label\na\na\nb\n")
    os.symlink("labels.csv", tmp_path / "link.csv")
    (tmp_path / "lfs.csv").write_text("version https://git-lfs.github.com/spec/v1\noid sha256:" + "0" * 64 +
                                      "\nsize 12345\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "one")
    return tmp_path


@pytest.mark.parametrize(("path", "message"), [
    ("imgs", "a folder at revision HEAD; --rev compares one labels file"),
    ("link.csv", "a symbolic link at revision HEAD; pass the file it points to"),
    ("lfs.csv", "a Git LFS pointer, not the labels"),
])
def test_rev_refuses_what_is_not_a_committed_labels_file(repo, path, message):
    result = run("diff", "--rev", "HEAD", repo / path)
    assert result.exit_code == 2 and message in result.stderr, result.stderr


def test_rev_messages_name_the_revision_not_a_temporary_file(repo):
    (repo / "na.csv").write_text("label\nNA\na\n")
    _git(repo, "add", "na.csv")
    _git(repo, "commit", "-q", "-m", "two")
    result = run("diff", "--rev", "HEAD", repo / "na.csv", "--format", "json")
    assert result.exit_code == 0 and "imbalcheck-rev-" not in result.stderr + result.stdout
    assert f"{repo / 'na.csv'}@HEAD" in result.stderr  # the NA look-alike warning names FILE@REV


def test_check_by_fails_a_group_that_lacks_a_class(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("label,split\n" + "a,train\n" * 30 + "d,train\n" * 12 + "a,val\n" * 12)
    result = run("check", path, "--by", "split", "--min-class-count", "1", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["failed"] == ["min_class_count [val]"]
    val = next(c for c in doc["checks"] if c["group"] == "val")
    assert val["observed"] == 0 and "absent from the group" in val["description"]


def test_by_applies_the_label_clean_ups_to_group_values(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("label,split\na,train\nb,train\na, train\nb,NA\n")
    g = imbalcheck.profile(str(path), by="split", strip=True, na_values="NA")
    assert list(g.groups) == ["train"] and g.groups["train"].n_samples == 3


def test_diff_takes_in_memory_objects():
    d = imbalcheck.diff(pd.Series(["a", "a", "b"]), pd.DataFrame({"label": ["a", "b", "b"]}))
    assert d.tvd == pytest.approx(1 / 3)
    with pytest.raises(ConfigError, match="has no history"):
        imbalcheck.diff(["a", "b"], rev="HEAD")


def test_totals_beyond_int64_are_refused(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("label,count\na,4000000000000000000\nb,4000000000000000000\nc,4000000000000000000\n")
    with pytest.raises(InputError, match="2\\*\\*63"):
        imbalcheck.profile(str(path), counts=True)


def test_a_dollar_in_a_file_name_is_plotted_literally(tmp_path):
    a, b = tmp_path / "a$\\foo{$.csv", tmp_path / "b.csv"
    a.write_text("label\nx\nx\ny\n")
    b.write_text("label\nx\ny\ny\n")
    result = run("diff", a, b, "--plot", tmp_path / "p.png")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
