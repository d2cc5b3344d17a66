"""``recommend --format torch``: a paste-ready PyTorch snippet that builds the recommended loss."""

from __future__ import annotations


def torch_code(report) -> str:
    """The kept classes in class-id order, their counts, and the code that builds the loss
    (needs the ``probe`` extra: the snippet is checked against :mod:`imbalcheck.losses`)."""
    from ..losses import from_recommendation, torch_snippet
    from ..stratify import sklearn_class_order

    p = report.profile
    loss = p.recommendation.loss
    cut = p.recommendation.cutoff.min_count or 1
    keep = p.counts >= cut
    labels, kept = p.labels[keep], p.counts[keep]
    order = sklearn_class_order(labels, p.label_kind)
    header = (f"# imbalcheck recommend {p.source}: {loss.name}\n"
              f"# {loss.rationale}\n"
              f"# classes kept by the cutoff (>= {cut} samples), in class-id order (as LabelEncoder sorts\n"
              f"# {'numbers' if p.label_kind == 'number' else 'text'}; map your labels to ids in this order):\n"
              f"classes = {[str(x) for x in labels[order]]!r}\n"
              f"counts = {[int(x) for x in kept[order]]!r}\n\n")
    return header + torch_snippet(*from_recommendation(loss.name, loss.params))
