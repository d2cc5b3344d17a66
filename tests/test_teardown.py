"""No native abort at interpreter teardown, from the console script or the library.

The cause, found with the console script's ``os._exit`` workaround removed: pyarrow's
streaming CSV reader finishes on Arrow's own threads, and one of them can drop the
reader's last reference after Python let go of it, even while the interpreter shuts down.
When the reader owned a Python object (a ``pa.PythonFile`` over a Python stream, an
``invalid_row_handler`` callback, a buffer over Python ``bytes``), that thread asked for
the GIL during shutdown, was ended by ``pthread_exit`` inside a noexcept destructor, and
the process aborted: "terminate called without an active exception", exit 134
(apache/arrow#34314 is the same mechanism). It hit about one ``diff`` of two small CSV
files in 60-200 under parallel load. The readers now hand Arrow only native streams,
paths and Arrow-owned buffers, and no Python callback; ``os._exit`` is gone.

The first test checks that rule at the boundary. The stress tests run the console script
and a library script (read, profile, diff) ``IMBALCHECK_STRESS_RUNS`` times (200) with
``IMBALCHECK_STRESS_PARALLEL`` (6) at once, each a fresh process with a normal teardown.
The abort needs an Arrow thread starved for the rest of a run, so a clean stress run is
evidence, not proof: the boundary test is the rule.
"""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("IMBALCHECK_STRESS_RUNS", "200"))
PARALLEL = int(os.environ.get("IMBALCHECK_STRESS_PARALLEL", "6"))

LIBRARY_SCRIPT = """
import sys
import imbalcheck

a, b = sys.argv[1:]
for path in (a, b):
    imbalcheck.profile(path, batch_size=32)
print(imbalcheck.diff(a, b).tvd)
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    d = tmp_path_factory.mktemp("teardown")
    rng = np.random.default_rng(0)
    share = 1 / np.arange(1, 41)
    share /= share.sum()

    def labels(n):
        return [f"class_{i}" for i in rng.choice(40, n, p=share)]

    # small files: the serial streaming reader (under 32 MiB, quoted, gzipped), and Parquet row groups
    (d / "a.csv").write_text("id,label\n" + "".join(f'{i},"{x}"\n' for i, x in enumerate(labels(2000))))
    (d / "b.csv").write_text("id,label\n" + "".join(f"{i},{x}\n" for i, x in enumerate(labels(3000))))
    (d / "c.csv.gz").write_bytes(gzip.compress(("label\n" + "".join(f"{x}\n" for x in labels(5000))).encode()))
    pq.write_table(pa.table({"label": labels(4000)}), d / "d.parquet", row_group_size=1000)
    return {p.name: str(p) for p in d.iterdir()}


def test_arrow_readers_get_only_native_inputs(tmp_path, monkeypatch):
    """pyarrow's threaded readers are handed native files, paths or Arrow buffers, never a Python
    file, a buffer over Python bytes, or a callback."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    from imbalcheck.readers import read_counts

    seen = []
    open_csv = pcsv.open_csv

    def checked_open_csv(source, *args, parse_options=None, **kwargs):
        seen.append("csv")
        assert isinstance(source, pa.NativeFile) and not isinstance(source, pa.PythonFile), type(source)
        assert parse_options is None or parse_options.invalid_row_handler is None
        return open_csv(source, *args, parse_options=parse_options, **kwargs)

    class CheckedParquetFile(pq.ParquetFile):
        def __init__(self, source, *args, **kwargs):
            seen.append("parquet")
            assert isinstance(source, (str, os.PathLike)), type(source)
            super().__init__(source, *args, **kwargs)

    monkeypatch.setattr(pcsv, "open_csv", checked_open_csv)
    monkeypatch.setattr(pq, "ParquetFile", CheckedParquetFile)

    csv = b'id,label\n1,"a"\n2,b\n3,"a"\n'
    (tmp_path / "q.csv").write_bytes(csv)
    (tmp_path / "q.csv.gz").write_bytes(gzip.compress(csv))
    (tmp_path / "l.csv").write_bytes("label\ncaf\xe9\ncaf\xe9\nb\n".encode("latin-1"))
    pq.write_table(pa.table({"label": ["a", "b", "a"]}), tmp_path / "p.parquet", row_group_size=1)
    (tmp_path / "p.parquet.gz").write_bytes(gzip.compress((tmp_path / "p.parquet").read_bytes()))
    expected = {"a": 2, "b": 1}
    for name in ("q.csv", "q.csv.gz", "p.parquet", "p.parquet.gz"):
        assert read_counts(tmp_path / name).as_dict() == expected, name
    assert read_counts(tmp_path / "l.csv", encoding="latin-1").as_dict() == {"café": 2, "b": 1}
    for data in (csv, gzip.compress(csv), (tmp_path / "p.parquet").read_bytes()):
        monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"buffer": io.BytesIO(data)})())
        assert read_counts("-").as_dict() == expected
    assert seen.count("csv") == 5 and seen.count("parquet") >= 3


def test_no_exit_without_teardown():
    for path in (ROOT / "imbalcheck").rglob("*.py"):
        assert "os._exit" not in path.read_text(encoding="utf-8"), path


def _run(args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    return args, proc.returncode, proc.stderr


def _stress(commands, cwd):
    jobs = [commands[i % len(commands)] for i in range(RUNS)]
    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(lambda args: _run(args, cwd), jobs))
    abnormal = [(" ".join(map(str, args[-4:])), rc, err.strip()[-300:]) for args, rc, err in results
                if rc != 0 or "terminate called" in err]
    assert not abnormal, f"{len(abnormal)} of {len(results)} runs ended abnormally: {abnormal[:5]}"


@pytest.mark.slow
def test_console_script_exits_cleanly_under_parallel_load(inputs, tmp_path):
    example = str(ROOT / "examples" / "labels_224.csv.gz")
    cli = ["-m", "imbalcheck"]
    _stress([
        [*cli, "diff", inputs["a.csv"], inputs["b.csv"], "--quiet"],
        [*cli, "diff", inputs["a.csv"], inputs["b.csv"], "--format", "json", "--quiet"],
        [*cli, "diff", inputs["c.csv.gz"], inputs["d.parquet"], "--format", "json", "--quiet"],
        [*cli, "diff", example, inputs["b.csv"], "--format", "markdown", "--quiet"],
        [*cli, "profile", inputs["b.csv"], "--format", "json", "--batch-size", "32"],
    ], tmp_path)


@pytest.mark.slow
def test_library_script_exits_cleanly_under_parallel_load(inputs, tmp_path):
    script = tmp_path / "library.py"
    script.write_text(LIBRARY_SCRIPT)
    _stress([
        [str(script), inputs["a.csv"], inputs["b.csv"]],
        [str(script), inputs["c.csv.gz"], inputs["d.parquet"]],
        [str(script), inputs["b.csv"], inputs["c.csv.gz"]],
    ], tmp_path)
