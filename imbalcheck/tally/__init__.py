"""Consumers of the readers' column stream.

A reader (:mod:`imbalcheck.readers`) opens a source, finds its columns and hands each
batch of rows to a consumer as Arrow arrays, one per column the consumer chose. The
consumer decides what the input means:

* :class:`~.single.LabelCounts`: one label per row, counted (label -> count);
* :class:`~.table.CountsTable`: a label,count table;
* :class:`~.multilabel.LabelSets`: several labels per row, from a delimited column
  (``cat|dog``) or from indicator columns (one-hot), kept as label sets;
* :class:`~.rows.RowLabels`: every row's label in file order (to align features).

Every consumer has the same methods:

``choose(name, columns, kind)``
    the indices of the columns it needs among the source's ``columns`` (an error
    naming the columns when it cannot tell);
``add(arrays)``
    one batch: the chosen columns' values, all of the same length (a list column only
    where the class attribute ``lists`` is true);
``fork(first_row)`` and ``join(parts)``
    an empty consumer for a piece of the source read on another core (its rows start
    at ``first_row`` when known), and the pieces' results merged back in file order
    (only where the class attribute ``parallel`` is true; a label,count table is small
    and read on one core);
``finish(name)``
    the in-memory result (:class:`~imbalcheck.counts.Counts`, or
    :class:`~imbalcheck.counts.LabelMatrix` for label sets), after the label
    clean-ups of :mod:`imbalcheck.labels`.
"""
