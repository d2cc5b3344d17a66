"""Hostile and broken inputs: a result or the tool's own one-line error, never a traceback or lost data."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imbalcheck.errors import ImbalcheckError
from imbalcheck.readers import read_counts
from imbalcheck.readers.detect import FORMATS
from tests.cli_helpers import run, write_labels


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.binary(max_size=2000), fmt=st.sampled_from(FORMATS), gz=st.booleans())
def test_fuzz_readers_only_return_counts_or_raise_our_error(tmp_path, payload, fmt, gz):
    path = tmp_path / f"fuzz.{fmt}"
    path.write_bytes(gzip.compress(payload) if gz else payload)
    try:
        result = read_counts(path, input_format=fmt)
    except ImbalcheckError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
    else:
        assert result.n_samples >= 0 and (result.counts > 0).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.binary(min_size=1, max_size=300), fmt=st.sampled_from(FORMATS))
def test_fuzz_cli_exit_codes(tmp_path, payload, fmt):
    path = tmp_path / f"f.{fmt}"
    path.write_bytes(payload)
    result = run("profile", path, "--format", "json", "--batch-size", "1")
    assert result.exit_code in (0, 2)
    if result.exit_code == 2:
        assert "Traceback" not in result.stderr and result.stderr.startswith("imbalcheck: error: ")
    else:
        json.loads(result.stdout)


def test_directory_fifo_and_permission(tmp_path):
    assert "a folder, but not an ImageFolder, COCO or YOLO layout" in run("profile", tmp_path).stderr
    fifo = tmp_path / "labels.txt"
    os.mkfifo(fifo)
    writer = subprocess.Popen([sys.executable, "-c", f"open({str(fifo)!r}, 'w').write('a\\nb\\na\\n')"])
    result = run("profile", fifo, "--format", "json", "--batch-size", "1")
    writer.wait(10)
    assert result.exit_code == 0 and json.loads(result.stdout)["n_samples"] == 3


def test_huge_label_and_many_distinct_labels(tmp_path):
    big = "x" * 1_000_000
    path = write_labels(tmp_path / "big.csv", [big, big, "y"])
    doc = json.loads(run("profile", path, "-f", "json", "-b", "1").stdout)
    assert doc["classes"][0]["label"] == big and doc["classes"][0]["count"] == 2
    path = tmp_path / "many.txt"
    path.write_text("".join(f"{i}\n" for i in range(200_000)))
    doc = json.loads(run("profile", path, "-f", "json", "-b", "64").stdout)
    assert doc["n_classes"] == 200_000 and doc["imbalance_ratio"] == 1


def test_interrupt_exits_130_without_a_traceback(tmp_path):
    # a reader blocked on standard input that never ends, then Ctrl-C
    proc = subprocess.Popen([sys.executable, "-m", "imbalcheck", "profile", "-", "--input-format", "txt"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write(b"a\nb\n" * 1000)
    proc.stdin.flush()
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err and b"interrupted" in err


def test_interrupt_inside_a_command_maps_to_130(tmp_path, monkeypatch):
    import imbalcheck.analysis

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(imbalcheck.analysis, "analyze", boom)
    path = write_labels(tmp_path / "y.csv", ["a", "b"])
    result = run("profile", path)
    assert result.exit_code == 130 and result.stderr == "imbalcheck: error: interrupted\n"


def test_interrupted_write_leaves_the_old_report(tmp_path, monkeypatch):
    from imbalcheck import output

    report = tmp_path / "report.json"
    report.write_text("old")

    def broken_replace(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(report, "new report")
    assert report.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary left behind


def test_output_into_a_missing_folder_is_a_usage_error(tmp_path):
    path = write_labels(tmp_path / "y.csv", ["a", "b"])
    result = run("profile", path, "-o", tmp_path / "nope" / "r.json")
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_crlf_bom_and_no_trailing_newline(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes(b"\xef\xbb\xbfid,label\r\n1,a\r\n2,\"b,c\"\r\n3,a")
    doc = json.loads(run("profile", path, "-f", "json", "-b", "1").stdout)
    assert {c["label"]: c["count"] for c in doc["classes"]} == {"a": 2, "b,c": 1}


def test_latin1(tmp_path):
    path = tmp_path / "l.csv"
    path.write_bytes("label\ncaf\xe9\ncaf\xe9\nna\xefve\n".encode("latin-1"))
    assert "not valid utf-8" in run("profile", path).stderr
    doc = json.loads(run("profile", path, "-f", "json", "-b", "1", "--encoding", "latin-1").stdout)
    assert doc["classes"][0] == {**doc["classes"][0], "label": "café", "count": 2}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["profile", "x.csv", "--batch-size", "abc"], "imbalcheck: error: Invalid value for '--batch-size'"),
        (["profile"], "imbalcheck: error: Missing argument 'source'; see 'imbalcheck profile --help'"),
        (["nope"], "imbalcheck: error: No such command 'nope'; see 'imbalcheck --help'"),
    ],
)
def test_console_script_usage_errors_are_one_line(args, message):
    proc = subprocess.run([sys.executable, "-m", "imbalcheck", *args], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith(message) and proc.stderr.count("\n") == 1


@pytest.mark.parametrize("target", ["fifo", "symlink", "dash"])
def test_output_never_replaces_devices_fifos_or_links(tmp_path, target):
    from imbalcheck.output import write_atomic

    if target == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
        reader = subprocess.Popen(["cat", str(path)], stdout=subprocess.PIPE)
        write_atomic(path, "report\n")
        assert reader.communicate(timeout=10)[0] == b"report\n"
        assert path.is_fifo()
    elif target == "symlink":
        real = tmp_path / "real.json"
        real.write_text("old")
        real.chmod(0o600)
        link = tmp_path / "link.json"
        link.symlink_to(real)
        write_atomic(link, "new")
        assert link.is_symlink() and real.read_text() == "new" and (real.stat().st_mode & 0o777) == 0o600
    else:
        proc = subprocess.run([sys.executable, "-c", "from imbalcheck.output import write_atomic; write_atomic('-', 'hi')"],
                              capture_output=True, text=True, cwd=tmp_path)
        assert proc.stdout == "hi" and not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-top1-share", "nan"], "--max-top1-share nan is not a finite number"),
        (["--max-imbalance-ratio", "-5"], "--max-imbalance-ratio -5.0 is out of range"),
        (["--min-evenness", "2"], "--min-evenness 2.0 is out of range"),
    ],
)
def test_bad_thresholds_are_usage_errors(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    path = write_labels(tmp_path / "y.csv", ["a", "a", "b"])
    result = run("check", path, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_tool_imbalcheck_must_be_a_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool]\nimbalcheck = 5\n")
    path = write_labels(tmp_path / "y.csv", ["a", "a", "b"])
    result = run("check", path)
    assert result.exit_code == 2 and "must be a table" in result.stderr


def test_single_class_has_no_numpy_noise(tmp_path):
    path = write_labels(tmp_path / "one.csv", ["x"] * 4)
    result = run("profile", path, "-b", "2", "-f", "json")
    doc = json.loads(result.stdout)
    assert "invalid value" not in result.stderr and doc["entropy"] == 0.0
    assert doc["gradient_share_ratio"]["log_inverse"] == 1.0


@pytest.mark.parametrize("setting,expected", [(None, "system"), ("jemalloc", "jemalloc")])
def test_cli_uses_the_system_allocator_unless_told_otherwise(setting, expected):
    """The console script picks Arrow's system allocator (it returns freed memory, so peak
    RSS does not grow with the file), and leaves a user's ARROW_DEFAULT_MEMORY_POOL alone."""
    code = (
        "import imbalcheck.cli as cli; "
        "cli.app = lambda **kw: print(__import__('pyarrow').default_memory_pool().backend_name) or 0; "
        "cli.main()"
    )
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if setting:
        env["ARROW_DEFAULT_MEMORY_POOL"] = setting
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == expected
