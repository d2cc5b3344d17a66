"""YOLO counting at scale: the numpy fast path, the worker processes and the folder walk,
each checked against a plain Python oracle written here (read each file, split its lines,
``int`` of the first field) and against the serial count."""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from imbalcheck.errors import InputError
from imbalcheck.readers.vision import yolo, yolo_count

pytestmark = pytest.mark.skipif(not yolo_count.forking_is_safe(), reason="worker processes need fork (Linux)")

NUMBERS = ["0.5", "0.123456", "1", "1.", ".25", "1e-3", "2.5E+02", "-0.0", "+.5", "0", "1e5", "-.75e-1"]


def oracle(root: Path) -> tuple[Counter, Counter]:
    """Objects and images per class id of every ``*.txt`` under ``root/labels``, plain Python."""
    instances, images = Counter(), Counter()
    for folder, _dirs, names in os.walk(root / "labels"):
        for name in names:
            if name.endswith(".txt"):
                text = Path(folder, name).read_text(encoding="utf-8")
                ids = [int(line.split()[0]) for line in text.splitlines() if line.strip()]
                instances.update(ids)
                images.update(set(ids))
    return instances, images


def random_line(rng: random.Random) -> str:
    """A valid object line (box or polygon), a blank one, or one with odd but valid spacing."""
    kind = rng.random()
    if kind < 0.12:
        return rng.choice(["", "   ", "\t"])
    cid = str(rng.randrange(13))
    if rng.random() < 0.05:
        cid = rng.choice(["0" + cid, "+" + cid])  # int() reads both
    coords = 4 if kind < 0.7 else 2 * rng.randrange(3, 60)  # boxes, and segmentation polygons
    sep = rng.choice([" ", " ", "  ", "\t"])
    fields = [cid] + [number(rng) for _ in range(coords)]
    return rng.choice(["", " "]) + sep.join(fields) + rng.choice(["", " ", "\t"])


def number(rng: random.Random) -> str:
    """A coordinate: mostly ``0.dddddd``, some other forms :func:`float` reads (``nan`` and ``inf``
    rarely: the files holding them are counted line by line)."""
    r = rng.random()
    if r < 0.004:
        return rng.choice(["nan", "inf", "-Infinity"])
    return rng.choice(NUMBERS) if r < 0.2 else f"{rng.random():.6f}"


def random_folder(root: Path, seed: int, n: int = 90) -> Path:
    """A YOLO folder: label files in three folders, some empty, some CRLF, some without a final newline."""
    rng = random.Random(seed)
    for i in range(n):
        folder = root / "labels" / rng.choice(["train", "val", "train/extra"])
        folder.mkdir(parents=True, exist_ok=True)
        lines = [random_line(rng) for _ in range(rng.choice([0, 0, 1, 2, 3, 8]))]
        eol = rng.choice(["\n", "\r\n"])
        text = eol.join(lines) + (eol if lines and rng.random() < 0.8 else "")
        (folder / f"{i:04d}.txt").write_bytes(text.encode())
    (root / "labels" / "train" / "zzzz.txt").write_text("12 0.5 0.5 0.1 0.1\n")  # the largest of the 13 ids
    return root


@pytest.fixture
def parallel(monkeypatch):
    """Count in worker processes from 1 file on, 7 files per task; the list of pool runs."""
    runs = []

    def spy(*args, **kwargs):
        runs.append(kwargs["workers"])
        yield from yolo_count.map_in_order(*args, **kwargs)

    monkeypatch.setattr(yolo, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(yolo, "CHUNK_FILES", 7)
    monkeypatch.setattr(yolo, "map_in_order", spy)
    # other tests of the session leave idle threads behind (a notebook kernel's, a browser driver's),
    # which would keep the count serial; these workers only read files and run numpy
    monkeypatch.setattr(yolo, "forking_is_safe", lambda: True)
    return runs


def as_ids(counts) -> dict[int, int]:
    return {int(k): v for k, v in counts.as_dict().items()}


@pytest.mark.parametrize("seed", range(6))
def test_parallel_counts_equal_the_oracle_and_the_serial_count(tmp_path, parallel, seed):
    root = random_folder(tmp_path / "ds", seed)
    instances, images = oracle(root)
    serial = yolo.yolo_counts(root, workers=1)
    assert parallel == []
    forked = yolo.yolo_counts(root, workers=2)
    assert parallel == [2]
    assert as_ids(forked[0]) == as_ids(serial[0]) == dict(instances)
    assert as_ids(forked[1]) == as_ids(serial[1]) == dict(images)


def test_parallel_counts_with_class_names(tmp_path, parallel):
    root = random_folder(tmp_path / "ds", 99)
    (root / "classes.txt").write_text("".join(f"name{i}\n" for i in range(13)))
    instances, images = oracle(root)
    inst, imgs, _ = yolo.yolo_counts(root, workers=2)
    assert parallel == [2]
    assert inst.as_dict() == {f"name{k}": v for k, v in instances.items()}
    assert imgs.as_dict() == {f"name{k}": v for k, v in images.items()}


def test_small_batches(tmp_path, parallel, monkeypatch):
    """Files parsed a few at a time (a batch ends past 64 bytes): the same counts and first error."""
    monkeypatch.setattr(yolo_count, "_BATCH_BYTES", 64)
    root = random_folder(tmp_path / "ds", 11)
    instances, images = oracle(root)
    inst, imgs, _ = yolo.yolo_counts(root, workers=2)
    assert (as_ids(inst), as_ids(imgs)) == (dict(instances), dict(images))
    late = root / "labels" / "val" / "0089x.txt"
    late.write_text("0 0.5 0.5\n")
    early = root / "labels" / "train" / "0000x.txt"
    early.write_text("0 0.5 0.5 0.5 0.5\n" * 10 + "13 0.5 0.5 0.5 0.5\n")
    names = [str(i) for i in range(13)]
    assert error_of(root, names=names, workers=2) == error_of(root, names=names, workers=1)
    assert error_of(root, names=names, workers=2).startswith(f"{early}:11: class id 13")


def test_serial_while_another_thread_runs(tmp_path, parallel, monkeypatch):
    monkeypatch.setattr(yolo, "forking_is_safe", yolo_count.forking_is_safe)  # the real check
    root = random_folder(tmp_path / "ds", 5)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        inst, _, _ = yolo.yolo_counts(root, workers=2)  # a fork now could copy a lock that thread holds
    finally:
        stop.set()
        other.join()
    assert parallel == [] and as_ids(inst) == dict(oracle(root)[0])


def error_of(root, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        yolo.yolo_counts(root, **kwargs)
    assert info.value.__cause__ is None and "\n" not in str(info.value)
    return str(info.value)


@pytest.mark.parametrize("bad, names, message", [
    ("0 0.5 0.5 0.2 0.2\nperson 0.5 0.5 0.2 0.2\n", None, ":2: malformed YOLO line 'person 0.5"),
    ("0 0.5 0.5\n", None, ":1: malformed YOLO line"),
    ("-1 0.5 0.5 0.2 0.2\n", None, ":1: malformed YOLO line"),
    ("0 0.5 0.5 0.2 0..2\n", None, ":1: malformed YOLO line"),
    ("0 0.5 0.5 0.2 0.2\r\n\r\n1 0.5 0.5 0.2 1e\r\n", None, ":3: malformed YOLO line"),
    ("0 0.5 0.5 0.2 0.2\n13 0.5 0.5 0.2 0.2\n", [str(i) for i in range(13)], ":2: class id 13 but the class names"),
    (b"0 0.5 0.5 0.2 0.2\n\xff\n", None, ": not UTF-8 text"),
])
def test_a_worker_error_is_the_serial_error(tmp_path, parallel, bad, names, message):
    root = random_folder(tmp_path / "ds", 7)
    path = root / "labels" / "train" / "0050x.txt"  # in the middle of the files, so in a worker's chunk
    path.write_bytes(bad if isinstance(bad, bytes) else bad.encode())
    serial = error_of(root, names=names, workers=1)
    assert serial.startswith(f"{path}{message}")
    assert error_of(root, names=names, workers=2) == serial
    assert parallel == [2]


def test_the_first_bad_file_in_path_order_is_reported(tmp_path, parallel):
    root = random_folder(tmp_path / "ds", 3)
    early = root / "labels" / "train" / "0001x.txt"
    early.write_text("0 0.5 0.5 0.2 0.2\n99 0.5 0.5 0.2 0.2\n")  # a class id beyond the names, found by the fast path
    late = root / "labels" / "val" / "0002x.txt"
    late.write_text("0 0.5 0.5\n")
    names = [str(i) for i in range(13)]
    expected = f"{early}:2: class id 99 but the class names list only 13"
    assert error_of(root, names=names, workers=1).startswith(expected)
    assert error_of(root, names=names, workers=2).startswith(expected)
    (root / "labels" / "train" / "0000x.txt").write_text("0 0.5 0.5 0.2 x\n")  # same chunk, earlier file
    assert error_of(root, names=names, workers=2).startswith(f"{root / 'labels' / 'train' / '0000x.txt'}:1: malformed")


ODD_LINES = ["!", "\x0b", "0 0.5 0.5 0.5 0.5\x0c", "\u00a0", "0\u00a00.5 0.5 0.5 0.5", "1_0 0.5 0.5 0.5 0.5",
             "0 1_0 0.5 0.5 0.5", "0 nan 0.5 0.5 0.5", "0 0.5 0.5 0.5 0.5\r1 0.5 0.5 0.5 0.5", "0 0.5 0.5 0.5 0.5 #",
             "0 0.5 0.5 0.5 0.5\x1c1 0.5 0.5 0.5 0.5", "0,0.5,0.5,0.5,0.5", "0 0.5 0.5 0.5", "1234567890 1 1 1 1",
             "+0 1 1 1 1", "-0 1 1 1 1", "00012 1 1 1 1", "0 1 1 1 1e999", "0 1 1 1 \u0661", "\ufeff0 1 1 1 1",
             "999999999 1 1 1 1", "", " \t \r\n"]


def test_fast_path_counts_exactly_what_the_line_parse_counts(tmp_path):
    """Every field of up to 4 of '09.+-e' in both places, and odd lines: the fast path (with its
    fallback) gives the line-by-line parse's ids, or its error."""
    fields = ["".join(p) for n in range(1, 5) for p in itertools.product("09.+-e", repeat=n)]
    lines = [f"0 0.5 0.5 0.5 {f}" for f in fields] + [f"{f} 0.5 0.5 0.5 0.5" for f in fields] + ODD_LINES
    for i, line in enumerate(lines):
        path = tmp_path / f"{i}.txt"
        path.write_bytes((line + "\n").encode())
        try:
            ids = yolo_count.careful_ids(path, None)
        except InputError as exc:
            with pytest.raises(InputError) as info:
                yolo_count.count_chunk([str(path)], None)
            assert str(info.value) == str(exc)
        else:
            assert yolo_count.count_chunk([str(path)], None) == (Counter(ids), Counter(set(ids))), repr(line)


def test_label_files_in_path_order(tmp_path, monkeypatch):
    labels = tmp_path / "ds" / "labels"
    for rel in ["b.txt", "a.txt", "a/z.txt", "a-b.txt", "a/b/c.txt", "A.txt", "classes.txt", "x.jpg", "c/d.TXT"]:
        (labels / rel).parent.mkdir(parents=True, exist_ok=True)
        (labels / rel).write_text("0 0.5 0.5 0.1 0.1\n")
    (tmp_path / "ds" / "extra" / "labels").mkdir(parents=True)
    (tmp_path / "ds" / "extra" / "labels" / "e.txt").write_text("")
    before = sorted(p for p in (tmp_path / "ds").rglob("*") if p.is_file() and yolo._is_label_file(p.name))
    assert yolo.label_files(tmp_path / "ds") == [str(p) for p in before]
    monkeypatch.chdir(tmp_path / "ds")
    assert yolo.label_files(Path(".")) == [str(p.relative_to(tmp_path / "ds")) for p in before]


def test_folder_links_are_followed_once(tmp_path):
    labels = tmp_path / "ds" / "labels"
    (labels / "train").mkdir(parents=True)
    (labels / "train" / "a.txt").write_text("1 0.5 0.5 0.1 0.1\n")
    (labels / "again").symlink_to(labels / "train")
    (labels / "train" / "loop").symlink_to(labels)
    inst, _, _ = yolo.yolo_counts(tmp_path / "ds")
    assert inst.as_dict() == {"1": 1}


INTERRUPTED = """
import sys, time
from imbalcheck.cli import main
from imbalcheck.readers.vision import yolo

real = yolo.count_chunk

def slow(chunk, k):
    time.sleep(0.05)
    return real(chunk, k)

yolo.count_chunk, yolo.PARALLEL_MIN_FILES, yolo.CHUNK_FILES = slow, 1, 1
yolo.default_workers = lambda: 2
sys.argv = ["imbalcheck", "profile", sys.argv[1], "--format", "json", "--quiet"]
main()
"""


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(),
                    reason="needs /proc/PID/task/TID/children to find the workers")
def test_ctrl_c_stops_the_workers_without_a_traceback(tmp_path):
    root = tmp_path / "ds"
    (root / "labels").mkdir(parents=True)
    for i in range(400):
        (root / "labels" / f"{i}.txt").write_text("0 0.5 0.5 0.1 0.1\n")
    proc = subprocess.Popen([sys.executable, "-c", INTERRUPTED, str(root)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 30
    while len(workers := children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) == 2
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)  # as the terminal does: to the whole foreground group
    sent = time.monotonic()
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 5  # the chunks not started were dropped
    assert proc.returncode == 130 and err == b"imbalcheck: error: interrupted\n" and out == b""
    time.sleep(0.2)
    assert not [w for w in workers if Path(f"/proc/{w}").exists()]


def test_detecting_the_layout_lists_only_a_few_files(tmp_path, monkeypatch):
    """Detection looks at the first label files it meets and stops; the full listing is the count's."""
    from imbalcheck.readers.vision import detect_layout

    labels = tmp_path / "ds" / "labels" / "train"
    labels.mkdir(parents=True)
    for i in range(1200):
        (labels / f"{i:04d}.txt").write_text("0 0.5 0.5 0.2 0.2\n")
    seen = []
    real = yolo._first_files

    def counting(folder, n, found, visited, recurse):
        real(folder, n, found, visited, recurse)
        seen.append(len(found))

    monkeypatch.setattr(yolo, "_first_files", counting)
    monkeypatch.setattr(yolo, "_files_below", lambda *a: pytest.fail("detection listed every file"))
    assert detect_layout(tmp_path / "ds") == "yolo"
    assert max(seen) <= 1000


def test_a_split_whose_first_label_files_are_empty_is_still_yolo(tmp_path):
    """Images without objects have empty label files; 60 of them listed first must not hide the
    folder's YOLO lines (with fewer files looked at it was read as a one-class ImageFolder)."""
    from imbalcheck.readers.vision import detect_layout

    (tmp_path / "ds" / "images" / "train").mkdir(parents=True)
    (tmp_path / "ds" / "images" / "train" / "a.jpg").write_bytes(b"")
    labels = tmp_path / "ds" / "labels" / "train"
    labels.mkdir(parents=True)
    for i in range(60):
        (labels / f"a{i:03d}.txt").write_text("")
    (labels / "b000.txt").write_text("3 0.5 0.5 0.2 0.2\n")
    assert detect_layout(tmp_path / "ds") == "yolo"


def test_a_worker_that_dies_is_a_one_line_error():
    """A worker killed from outside (the OOM killer) ends the count with one line, not a traceback."""
    with pytest.raises(InputError, match=r"^a worker process counting the label files ended unexpectedly"):
        list(yolo_count.map_in_order(os._exit, [1, 1], workers=2))


def test_a_large_class_id_without_names_costs_nothing(tmp_path):
    """Without names the classes are the ids seen: an id of 50,000,000 is one class, not a table of 50M."""
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "a.txt").write_text("50000000 0.5 0.5 0.1 0.1\n3 0.5 0.5 0.1 0.1\n")
    (labels / "b.txt").write_text("3 0.5 0.5 0.1 0.1\n")
    instances, images, unsampled = yolo.yolo_counts(tmp_path)
    assert instances.as_dict() == {"3": 2, "50000000": 1} and images.as_dict() == {"3": 2, "50000000": 1}
    assert unsampled == ()
