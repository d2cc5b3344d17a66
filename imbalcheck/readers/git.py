"""A file as committed at a git revision (``diff --rev REV FILE``), streamed out of git
(``git cat-file --filters REV:path``: ``git show``'s content with the smudge filters applied)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import ConfigError, InputError

_CHUNK = 1 << 20
#: The first line of a Git LFS pointer file (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md).
_LFS_POINTER = b"version https://git-lfs.github.com/spec/v1"


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    except FileNotFoundError:
        raise ConfigError("--rev needs git on the PATH; install git or compare two files: diff A B") from None


@contextlib.contextmanager
def committed_copy(path, rev: str) -> Iterator[tuple[str, str]]:
    """Yield ``(temporary path, name)``: ``path`` as committed at ``rev`` (``git show REV:path``,
    relative to the repository that holds ``path``), streamed into a temporary file with the
    same name (so its format is detected as the working file's), removed afterwards; the name
    reads ``path@REV``. Not a git repository, an unknown revision or a path not in that
    revision: :class:`InputError` in one line."""
    if not rev or rev.startswith("-"):
        raise ConfigError(f"--rev {rev!r} is not a revision; give a commit, branch or tag, e.g. --rev HEAD")
    file = Path(path)
    folder = (file.parent if str(file.parent) else Path(".")).resolve()
    if not folder.is_dir():
        raise InputError(f"{path}: no such folder {folder}; check the path")
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top.returncode != 0:
        raise InputError(f"{path}: not in a git repository, so --rev has nothing to compare with; run it inside "
                         "the repository or compare two files: diff A B")
    root = Path(top.stdout.strip()).resolve()
    relative = (folder / file.name).relative_to(root).as_posix()
    known = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    if known.returncode != 0:
        raise InputError(f"--rev {rev}: unknown revision in {root}; check the name (git log --oneline)")
    entry = _git(["ls-tree", rev, "--", relative], root).stdout.split()  # mode type object path
    if not entry:
        raise InputError(f"{path}: not in revision {rev} (no {relative} there); check the path or the revision")
    if entry[1] != "blob":
        raise InputError(f"{path}: a folder at revision {rev}; --rev compares one labels file: pass the file")
    if entry[0] == "120000":
        raise InputError(f"{path}: a symbolic link at revision {rev}; pass the file it points to")
    name = f"{path}@{rev}"
    with tempfile.TemporaryDirectory(prefix="imbalcheck-rev-") as scratch:
        target = Path(scratch) / file.name
        # --filters applies the repository's smudge filters (Git LFS fetches the content when installed)
        proc = subprocess.Popen(["git", "cat-file", "--filters", f"{rev}:{relative}"], cwd=root,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            with open(target, "wb") as out:
                shutil.copyfileobj(proc.stdout, out, _CHUNK)
        finally:
            proc.stdout.close()
            error = proc.stderr.read().decode(errors="replace").strip()
            proc.stderr.close()
            code = proc.wait()
        if code != 0:
            raise InputError(f"{name}: git cat-file failed ({error.splitlines()[0] if error else f'exit {code}'})")
        with open(target, "rb") as f:
            if f.read(len(_LFS_POINTER)) == _LFS_POINTER:
                raise InputError(f"{name}: a Git LFS pointer, not the labels; install git-lfs and run "
                                 "`git lfs fetch` so that the committed content can be read")
        yield os.fspath(target), name
