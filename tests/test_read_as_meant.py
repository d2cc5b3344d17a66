"""Every input read as the user meant, or refused: delimiters, standard input, counts, one spelling
of booleans and numbers across formats, literal labels, which column was read, and warnings."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import imbalcheck
from imbalcheck.errors import ImbalcheckWarning, InputError
from tests.cli_helpers import run


def _counts(doc: dict) -> dict:
    return {c["label"]: c["count"] for c in doc["classes"]}


def _json(*args, **kw):
    result = run(*args, "--format", "json", **kw)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


# -- delimiters -------------------------------------------------------------------------------------


def test_excel_semicolon_csv_is_split_on_semicolons(tmp_path):
    path = tmp_path / "cars.csv"  # as Excel writes it in many locales: BOM, CRLF, ';'
    path.write_bytes(b"\xef\xbb\xbfid;Origin\r\n" + b"".join(f"{i};{o}\r\n".encode() for i, o in
                                                             enumerate(["USA"] * 5 + ["Japan"] * 3 + ["Europe"])))
    result = run("profile", path)
    assert result.exit_code == 2
    assert result.stderr == (f"imbalcheck: error: {path}: cannot tell which column holds the labels; available "
                             "columns: id, Origin (use --column NAME)\n")
    doc, _ = _json("profile", path, "-c", "Origin")
    assert _counts(doc) == {"USA": 5, "Japan": 3, "Europe": 1}
    assert doc["delimiter"] == ";" and doc["column"] == "Origin"


@pytest.mark.parametrize(("sep", "name"), [(",", "a.csv"), (";", "a.csv"), ("\t", "a.csv"), ("|", "a.csv"),
                                           (",", "a.tsv"), ("\t", "a.tsv")])
def test_delimiter_detected_from_the_header(tmp_path, sep, name):
    path = tmp_path / name
    path.write_text(f"id{sep}label{sep}note\n1{sep}x{sep}n\n2{sep}y{sep}n\n3{sep}x{sep}\n")
    doc, _ = _json("profile", path)
    assert _counts(doc) == {"x": 2, "y": 1} and doc["delimiter"] == sep


def test_delimiter_override_and_quoted_header(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('"a;b",label\n"1;2",x\n"3;4",y\n')  # semicolons inside quotes do not count
    doc, _ = _json("profile", path)
    assert doc["delimiter"] == "," and _counts(doc) == {"x": 1, "y": 1}
    one = tmp_path / "one.csv"
    one.write_text("label\na;b\nc\n")
    doc, _ = _json("profile", one, "--delimiter", ",")
    assert _counts(doc) == {"a;b": 1, "c": 1}


# -- standard input -----------------------------------------------------------------------------------


def test_stdin_json_lines_and_json_array_are_sniffed():
    lines = '{"Purchase":"CH"}\n{"Purchase":"MM"}\n{"Purchase":"CH"}\n'
    doc, _ = _json("profile", "-", "-c", "Purchase", input=lines)
    assert _counts(doc) == {"CH": 2, "MM": 1} and doc["input_format"] == "jsonl" and doc["n_samples"] == 3
    doc, _ = _json("profile", "-", input='[{"y": "a"}, {"y": "b"}, {"y": "a"}]')
    assert _counts(doc) == {"a": 2, "b": 1} and doc["input_format"] == "json"


def test_stdin_plain_text_is_read_as_text_with_a_warning():
    doc, err = _json("profile", "-", input="cat\ndog\ncat\n")
    assert _counts(doc) == {"cat": 2, "dog": 1} and doc["input_format"] == "txt"
    assert "read as plain text, one label per line" in err and "--input-format csv" in err
    doc, _ = _json("profile", "-", input="label\ncat\ndog\ncat\n")  # a header word: csv
    assert _counts(doc) == {"cat": 2, "dog": 1} and doc["input_format"] == "csv"


def test_stdin_gzip_and_parquet(tmp_path):
    import gzip

    result = run("profile", "-", "--format", "json", input=None)
    assert result.exit_code == 2  # no input at all: a one-line error
    raw = gzip.compress(b'{"label":"a"}\n{"label":"b"}\n')
    path = tmp_path / "blob"  # no extension: sniffed from the gunzipped content
    path.write_bytes(raw)
    doc, _ = _json("profile", path)
    assert doc["input_format"] == "jsonl" and _counts(doc) == {"a": 1, "b": 1}
    pq.write_table(pa.table({"label": ["p", "q", "p"]}), tmp_path / "noext")
    doc, _ = _json("profile", tmp_path / "noext")
    assert doc["input_format"] == "parquet" and _counts(doc) == {"p": 2, "q": 1}


# -- counts tables -----------------------------------------------------------------------------------


def test_value_counts_series_gets_a_hint_and_counts_true_reads_it():
    s = pd.Series(["a"] * 7 + ["b"] * 2 + ["c"]).value_counts()
    with pytest.warns(ImbalcheckWarning, match=r"looks like counts \(labels in the index.*pass counts=True"):
        wrong = imbalcheck.profile(s)
    assert any("value_counts()" in w for w in wrong.warnings)
    for counted in (pd.DataFrame({"y": list("aaaabbc")}).groupby("y").size(),  # sorted by label, unnamed
                    pd.Series(list("aaaabbc")).value_counts(normalize=True)):  # shares
        assert any("looks like counts" in w for w in imbalcheck.profile(counted).warnings)
    labels = pd.Series([1, 2, 1, 1, 2, 1], index=[10, 11, 12, 13, 14, 15])  # integer labels with an id index
    assert not any("looks like counts" in w for w in imbalcheck.profile(labels).warnings)
    right = imbalcheck.profile(s, counts=True)
    assert dict(zip(right.labels.tolist(), right.counts.tolist())) == {"a": 7, "b": 2, "c": 1}


@pytest.mark.parametrize("obj", [
    pd.DataFrame({"label": ["a", "b"], "count": [7, 3]}),
    pa.table({"label": ["a", "b"], "n": [7, 3]}),
    [("a", 7), ("b", 3)],
    {"a": 7, "b": 3},
])
def test_counts_true_for_every_in_memory_object(obj):
    p = imbalcheck.profile(obj, counts=True)
    assert dict(zip(p.labels.tolist(), p.counts.tolist())) == {"a": 7, "b": 3} and p.n_samples == 10


def test_a_count_column_without_counts_gets_a_hint(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("label,count\ncat,90\ndog,10\n")
    doc, err = _json("profile", path)
    assert "there is a 'count' column; if this is a label,count table, pass --counts" in err
    assert any("pass --counts" in w for w in doc["warnings"])
    doc, err = _json("profile", path, "--counts")
    assert _counts(doc) == {"cat": 90, "dog": 10} and "pass --counts" not in err


# -- one spelling across formats ---------------------------------------------------------------------


def test_a_boolean_column_reads_the_same_from_csv_parquet_and_json(tmp_path):
    flags = [True] * 6 + [False] * 3 + [None]
    frame = pd.DataFrame({"label": pd.array(flags, dtype="boolean")})
    frame.to_csv(tmp_path / "f.csv", index=False)  # pandas writes True/False
    (tmp_path / "g.csv").write_text("label\n" + "".join("" if v is None else f"{str(v).lower()}\n" for v in flags))
    frame.to_parquet(tmp_path / "f.parquet")
    frame.to_json(tmp_path / "f.jsonl", orient="records", lines=True)
    for name in ("f.csv", "g.csv", "f.parquet", "f.jsonl"):
        doc, _ = _json("profile", tmp_path / name)
        assert _counts(doc) == {"true": 6, "false": 3}, name
    result = run("diff", tmp_path / "f.csv", tmp_path / "f.parquet", "--format", "json")
    assert json.loads(result.stdout)["tvd"] == 0.0
    assert imbalcheck.profile(frame["label"]).to_dict()["classes"] == _json("profile", tmp_path / "f.csv")[0]["classes"]


def test_a_nullable_integer_column_reads_the_same_from_every_writer(tmp_path):
    ints = pd.Series([1, 2, 2, None, 3, 3, 3], dtype="Int64")
    pd.DataFrame({"label": ints}).to_csv(tmp_path / "int.csv", index=False)  # 1, 2, ...
    pd.DataFrame({"label": ints.astype("float64")}).to_csv(tmp_path / "float.csv", index=False)  # 1.0, 2.0, ...
    pd.DataFrame({"label": ints.astype("float64")}).to_parquet(tmp_path / "float.parquet")
    pd.DataFrame({"label": ints.astype("float64")}).to_json(tmp_path / "float.jsonl", orient="records", lines=True)
    docs = [_json("profile", tmp_path / n)[0] for n in ("int.csv", "float.csv", "float.parquet", "float.jsonl")]
    for doc in docs:
        assert _counts(doc) == {"3": 3, "2": 2, "1": 1} and doc["n_missing"] == 1
    assert len({json.dumps(d["classes"]) for d in docs}) == 1
    assert imbalcheck.profile(ints.astype("float64")).labels.tolist() == ["3", "2", "1"]


def test_each_label_is_spelled_on_its_own(tmp_path):
    path = tmp_path / "z.csv"  # 1.0 is the whole number 1 and True a boolean, whatever else the file holds
    path.write_text("label\n01\n1\n1.0\nTrue\nNA\n1.10\n1.1\n3e8\n-0.00\n")
    doc, _ = _json("profile", path)
    assert _counts(doc) == {"01": 1, "1": 2, "true": 1, "NA": 1, "1.10": 1, "1.1": 1, "3e8": 1, "0": 1}


def test_two_splits_spell_a_label_alike(tmp_path):
    (tmp_path / "train.csv").write_text("label\nTrue\nFalse\nTrue\n1.0\n")
    (tmp_path / "test.csv").write_text("label\nTrue\nFalse\nTrue\n1.0\nunknown\n")
    doc = json.loads(run("diff", tmp_path / "train.csv", tmp_path / "test.csv", "--format", "json").stdout)
    assert doc["only_in_a"] == [] and doc["only_in_b"] == [{"label": "unknown", "count": 1}]
    assert doc["tvd"] == pytest.approx(0.2)  # shares 2/4, 1/4, 1/4 against 2/5, 1/5, 1/5, 1/5


def test_numeric_labels_compare_big_integers_exactly(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("label\n1234567890123456789\n1234567890123456788\n01234567890123456789\n")
    doc, _ = _json("profile", path, "--numeric-labels")
    assert _counts(doc) == {"1234567890123456789": 2, "1234567890123456788": 1}


def test_float32_and_dates_read_alike_from_parquet_and_csv(tmp_path):
    frame = pd.DataFrame({"f": np.array([0.1, 0.1, 2.5], dtype=np.float32),
                          "d": pd.to_datetime(["2020-01-01", "2020-01-01", "2020-01-02"])})
    frame.to_parquet(tmp_path / "a.parquet")
    frame.to_csv(tmp_path / "a.csv", index=False)
    for column in ("f", "d"):
        assert _json("profile", tmp_path / "a.parquet", "-c", column)[0]["classes"] == (
            _json("profile", tmp_path / "a.csv", "-c", column)[0]["classes"]), column
    assert imbalcheck.profile(frame["f"]).labels.tolist() == ["0.1", "2.5"]


# -- literal labels ------------------------------------------------------------------------------------


MARKUP = ["[/x]", "[pad]", "[unk]", "[cls]", "[link](http://x)", "[bold red]hi[/]", " cat", "cat"]


def test_markup_like_labels_are_shown_as_written(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("label\n" + "".join(f"{v}\n" for v in MARKUP for _ in range(2)))
    result = run("profile", path, "--max-rows", "20", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    for label in ("[/x]", "[pad]", "[unk]", "[cls]", "[link](http://x)", "[bold red]hi[/]", "' cat'"):
        assert label in result.stdout, label
    md = run("profile", path, "--format", "markdown", "--max-rows", "20").stdout
    assert "\\[/x\\]" in md and "\\[link\\](http://x)" in md and "' cat'" in md
    diff = run("diff", path, path)
    assert diff.exit_code == 0 and "[/x]" in diff.stdout


# -- which column, and warnings --------------------------------------------------------------------------


def test_every_report_names_the_column(tmp_path):
    path = tmp_path / "y.csv"
    path.write_text("id,species\n1,a\n2,b\n")
    doc, _ = _json("profile", path, "-c", "species")
    assert doc["column"] == "species"
    for fmt in ("rich", "markdown"):
        out = run("profile", path, "-c", "species", "--format", fmt).stdout
        assert "column" in out and "species" in out


def test_several_candidate_label_columns_are_named(tmp_path):
    path = tmp_path / "y.csv"
    path.write_text("label,target\na,x\nb,x\n")
    doc, err = _json("profile", path)
    assert doc["column"] == "label" and _counts(doc) == {"a": 1, "b": 1}
    assert "columns 'label' and 'target' could each hold the labels; reading 'label'" in err
    assert any("could each hold the labels" in w for w in doc["warnings"])


def test_warnings_are_in_every_format_and_on_stderr_once(tmp_path):
    path = tmp_path / "y.csv"
    path.write_text("label\nNA\nNA\ncat\n")
    doc, err = _json("profile", path)
    lookalike = [w for w in doc["warnings"] if "look like missing values" in w]
    batch = [w for w in doc["warnings"] if "batch size 128 exceeds" in w]
    assert len(lookalike) == 1 and len(batch) == 1
    assert err.count("look like missing values") == 1 and err.count("batch size 128 exceeds") == 1
    md = run("profile", path, "--format", "markdown")
    assert "warning: " in md.stdout and "look like missing values" in md.stdout
    assert md.stderr.count("look like missing values") == 1
    rich = run("profile", path)
    assert "warning: " in rich.stdout and rich.stderr.count("batch size 128 exceeds") == 1
    for args in (["check", path, "--min-classes", "1"], ["recommend", path], ["diff", path, path]):
        out = run(*args, "--format", "markdown")
        assert out.stdout.count("look like missing values") == 1 and out.stderr.count("look like missing values") == 1
        doc = json.loads(run(*args, "--format", "json").stdout)
        assert sum("look like missing values" in w for w in doc["warnings"]) == 1, args


def test_unknown_objects_are_refused_never_miscounted():
    class Dataset:  # a data set object: indexable, sized, each item a loaded sample
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return {"image": np.zeros(2), "label": i % 2}

    with pytest.raises(InputError, match="cannot read this data set object without loading every sample"):
        imbalcheck.profile(Dataset())
    with pytest.raises(InputError, match=r"item 1 is an object, not a label; pass the label values"):
        imbalcheck.profile([{"label": "a"}, {"label": "b"}])
    with pytest.raises(InputError, match="cannot read labels from this object"):
        imbalcheck.profile(object())


# -- review: inputs that used to be misread --------------------------------------------------------------


def test_a_json_label_key_that_first_appears_late_is_not_missed(tmp_path):
    path = tmp_path / "spark.jsonl"  # Spark's JSON writer leaves out null fields
    path.write_text("".join(json.dumps({"id": i}) + "\n" for i in range(1000))
                    + "".join(json.dumps({"id": i, "label": "cat" if i % 2 else "dog"}) + "\n" for i in range(200)))
    result = run("profile", path)
    assert result.exit_code == 2 and "key 'label' first appears at line 1001" in result.stderr
    doc, _ = _json("profile", path, "-c", "label")
    assert _counts(doc) == {"cat": 100, "dog": 100} and doc["n_missing"] == 1000


def test_plain_text_whose_first_line_comes_back_is_text():
    doc, _ = _json("profile", "-", input="y\nn\ny\nn\nn\n")
    assert _counts(doc) == {"n": 3, "y": 2} and doc["input_format"] == "txt"


def test_old_mac_line_ends_in_txt(tmp_path):
    path = tmp_path / "cr.txt"
    path.write_bytes(b"a\rb\ra\r")
    assert _counts(_json("profile", path)[0]) == {"a": 2, "b": 1}
    path.write_bytes(b"a\r\nb\r\n\r\nb")
    doc, _ = _json("profile", path)
    assert _counts(doc) == {"b": 2, "a": 1} and doc["n_missing"] == 1


def test_utf16_is_named_with_its_fix(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes("label\ncafé\ncafé\ntea\n".encode("utf-16"))
    result = run("profile", path)
    assert result.exit_code == 2 and "is UTF-16 text" in result.stderr and "--encoding utf-16" in result.stderr
    assert _counts(_json("profile", path, "--encoding", "utf-16")[0]) == {"café": 2, "tea": 1}
    assert _counts(_json("profile", "-", "--encoding", "utf-16", input=path.read_bytes())[0]) == {"café": 2, "tea": 1}


def test_multi_label_text_on_stdin_keeps_its_separator():
    doc, _ = _json("profile", "-", "--multi-label", input="cat|dog\ncat\n")
    assert doc["input_format"] == "txt"
    assert {r["label"]: r["count"] for r in doc["multilabel"]["labels"]} == {"cat": 2, "dog": 1}


def test_whitespace_only_input_is_refused():
    result = run("profile", "-", input="   \n  \n")
    assert result.exit_code == 2 and "the input is empty or holds only whitespace" in result.stderr


def test_empty_items_are_counted_per_row(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("labels\na||b\na||b\na||b\nc|\n")
    doc, err = _json("profile", path, "--multi-label")
    assert any("ignored 4 empty label(s)" in w for w in doc["warnings"]) and "ignored 4 empty" in err


def test_sep_on_lists_is_refused(tmp_path):
    path = tmp_path / "l.jsonl"
    path.write_text('{"labels": ["a", "c,d"]}\n{"labels": ["b"]}\n')
    result = run("profile", path, "--multi-label", "--sep", ",")
    assert result.exit_code == 2 and "--sep splits delimited text" in result.stderr
    mixed = tmp_path / "m.jsonl"
    mixed.write_text('{"labels": ["a", "c,d"]}\n{"labels": "b,e"}\n')
    doc, _ = _json("profile", mixed, "--multi-label", "--sep", ",")
    assert {r["label"] for r in doc["multilabel"]["labels"]} == {"a", "c,d", "b", "e"}


@pytest.mark.parametrize(("obj", "message"), [
    (pd.Series([["a", "b"], ["a"]]), "which are label sets, not single labels; read them with --multi-label"),
    (pa.table({"label": pa.array([{"a": 1}])}), "values, which cannot be labels"),
    ([b"\xff"], "cannot read labels from this object"),
    ({("a", "b"): 3}, "label ('a', 'b') is an array, not a label"),
    ({"label": ["a", "b"]}, "its values are lists, like columns"),
    (pd.Index(["a", "b"]), "counts=True needs labels and their counts"),
    (pa.array([3, 1]), "counts=True needs labels and their counts"),
])
def test_in_memory_objects_never_raise_a_library_error(obj, message):
    counts = isinstance(obj, pd.Index) or type(obj).__module__.startswith("pyarrow.lib") and not hasattr(obj, "schema")
    with pytest.raises(InputError) as err:
        imbalcheck.profile(obj, counts=True) if counts else imbalcheck.profile(obj)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_polars_objects_are_read_as_arrow():
    pl = pytest.importorskip("polars", reason="polars is a benchmark baseline, not a dependency")
    p = imbalcheck.profile(pl.Series("y", ["a", "a", "b"]))
    assert dict(zip(p.labels.tolist(), p.counts.tolist())) == {"a": 2, "b": 1}
    p = imbalcheck.profile(pl.DataFrame({"id": [1, 2, 3], "label": [True, True, False]}))
    assert dict(zip(p.labels.tolist(), p.counts.tolist())) == {"true": 2, "false": 1} and p.column == "label"


def test_results_cannot_be_changed_after_the_fact():
    p = imbalcheck.profile(["a", "a", "b"])
    with pytest.raises(ValueError):
        p.counts[0] = 999
    with pytest.raises(TypeError):
        p.top_k_share[1] = 0.0
    assert p.to_dict()["classes"][0]["count"] == 2


def test_undefined_multi_label_figures_are_nan_not_inf():
    frame = pd.DataFrame({"t_a": [1, 1, 0], "t_b": [0, 1, 1], "t_c": [0, 0, 0]})
    p = imbalcheck.profile(frame, one_hot_prefix="t_")
    assert np.isnan(p.pos_weight[2]) and np.isnan(p.ir_lbl[2]) and not np.isinf(p.pos_weight).any()
    assert p.to_dict()["multilabel"]["pos_weight"] == [0.5, 0.5, None]
