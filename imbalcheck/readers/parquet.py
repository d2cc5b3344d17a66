"""Parquet: only the chosen columns are read, batch by batch, on every core for several row groups."""

from __future__ import annotations

import os
import tempfile

import pyarrow as pa

from .. import progress
from ..errors import InputError
from .source import Source
from .spelling import is_nested, is_text, type_error

PARQUET_BATCH = 1 << 20  # rows per batch


def read(src: Source, consumer, *, fmt: str = "parquet", codec: str = "utf-8", delimiter: str | None = None) -> None:
    """Stream the chosen columns of a Parquet source to ``consumer``."""
    import pyarrow.parquet as pq

    if src.reopenable and not src.gz:
        # pre_buffer (pyarrow's default) caches every column chunk read until the file is
        # closed: peak RSS then grew with the row groups (100M rows: 178 MB vs 80 MB)
        def reopen(**kw):
            return pq.ParquetFile(src.path, pre_buffer=False, **kw)

        with reopen() as pf:
            _read_file(pf, src.name, consumer, reopen)
        return
    # Parquet needs random access: spool the (decompressed) bytes to a temporary file, which Arrow
    # opens by path (a Python file object would be owned by Arrow's reader threads; see csv.py)
    with tempfile.TemporaryDirectory(prefix="imbalcheck-", ignore_cleanup_errors=True) as tmp:
        path = os.path.join(tmp, "data.parquet")
        stream = src.open()
        try:
            with open(path, "wb") as out:
                while True:
                    chunk = stream.read(8 << 20)
                    if not chunk:
                        break
                    out.write(chunk)
        finally:
            stream.close()
        with pq.ParquetFile(path, pre_buffer=False) as pf:
            _read_file(pf, src.name, consumer, None)


def _read_file(pf, name: str, consumer, reopen) -> None:
    """With ``reopen`` (a way to open the file again with options) text columns are read
    dictionary-encoded, so a consumer works on each batch's distinct values, and several
    row groups are read on every core."""
    schema = pf.schema_arrow
    names = schema.names
    wanted = consumer.choose(name, names)
    for i in wanted:
        if names.count(names[i]) > 1:
            raise InputError(f"{name}: {names.count(names[i])} columns are named {names[i]!r}; rename the duplicates first")
        t = schema.field(i).type
        t = t.value_type if pa.types.is_dictionary(t) else t
        if is_nested(t) and not (getattr(consumer, "lists", False) and (pa.types.is_list(t) or pa.types.is_large_list(t))):
            raise type_error(name, names[i], t)
    meta = pf.metadata
    if meta.num_rows == 0:
        raise InputError(f"{name}: no rows; the file has columns but no data")
    cols = [names[i] for i in wanted]
    text = [c for c, i in zip(cols, wanted) if is_text(schema.field(i).type)]
    options = {"read_dictionary": text} if text and reopen is not None else {}
    rows_per_group = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    if reopen is not None and getattr(consumer, "parallel", True):
        from .parquet_groups import read_row_groups

        if read_row_groups(lambda: reopen(**options), cols, rows_per_group, consumer, batch_size=PARQUET_BATCH):
            return
    source = reopen(**options) if options else pf
    try:
        for batch in source.iter_batches(batch_size=PARQUET_BATCH, columns=cols, use_threads=True):
            consumer.add([batch.column(k) for k in range(len(cols))])
            progress.update(consumer.rows, meta.num_rows)
    finally:
        if source is not pf:
            source.close()
