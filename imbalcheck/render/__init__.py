"""Renderers: a result object in, text (or a PNG) out. They format; they never compute.

:func:`render` lays any result out as ``rich`` (terminal), ``markdown`` (pull requests,
notebooks) or ``json`` (its ``to_dict()``); :func:`verdict_of` is the one line a reader
sees first (and every result's ``repr``).
"""

from __future__ import annotations

from ..defaults import MAX_ROWS

FORMATS = ("rich", "markdown", "json", "html")


def _layout(result, max_rows: int):
    """(title, verdict, sections, index of the first collapsible section) of a result; the result's
    warnings are always in it (under the first section when its own sections do not show them)."""
    title, verdict, sections, collapse_from = _sections(result, max_rows)
    from .sections import warning_notes

    notes = warning_notes(getattr(result, "warnings", None) or getattr(getattr(result, "profile", None), "warnings", ()))
    if notes and not any(n in sec.notes for sec in sections for n in notes):
        sections[0].notes.extend(notes)
    return title, verdict, sections, collapse_from


def _sections(result, max_rows: int):
    from ..thresholds import CheckReport
    from ..shift import Diff
    from ..result import MultilabelProfile, Profile
    from ..result.reports import ClassWeights, ProbeReport, RecommendReport
    from ..result.grouped import GroupedProfile
    from ..result.sampler import SamplerWeights
    from . import review_sections as r
    from . import sections as s
    from . import training_sections as t

    if isinstance(result, Profile):
        return f"imbalcheck profile: {result.source}", s.verdict(result), s.profile_sections(result, max_rows), 3
    if isinstance(result, MultilabelProfile):
        return (f"imbalcheck profile (multi-label): {result.source}", s.multilabel_verdict(result),
                s.multilabel_sections(result, max_rows), None)
    if isinstance(result, CheckReport):
        return f"imbalcheck check: {result.source}", r.check_verdict(result), r.check_sections(result), None
    if isinstance(result, Diff):
        return (f"imbalcheck diff: {result.source_a} vs {result.source_b}", r.diff_verdict(result),
                r.diff_sections(result, max_rows), 2)
    if isinstance(result, RecommendReport):
        p = result.profile
        if isinstance(p, MultilabelProfile):
            return (f"imbalcheck recommend (multi-label): {p.source}", s.multilabel_verdict(p),
                    [s.multilabel_sections(p, max_rows)[0], s.recipe_section(p.recipe)], None)
        every = s.profile_sections(p, max_rows)
        return f"imbalcheck recommend: {p.source}", s.verdict(p), [every[0], *every[-2:]], None
    if isinstance(result, ClassWeights):
        return (f"imbalcheck weights: {result.source}",
                f"pos_weight of {len(result.labels):,} labels, for BCEWithLogitsLoss" if result.scheme == "pos_weight"
                else f"{result.scheme} weights of {len(result.labels):,} classes, normalised: {result.normalization}",
                t.weights_sections(result), None)
    if isinstance(result, GroupedProfile):
        return (f"imbalcheck profile --by {result.by}: {result.source}", r.grouped_verdict(result),
                r.grouped_sections(result, max_rows), None)
    if isinstance(result, SamplerWeights):
        return (f"imbalcheck sampler: {result.source}", t.sampler_verdict(result), t.sampler_sections(result, max_rows),
                None)
    if isinstance(result, ProbeReport):
        p = result.profile
        if result.log is not None:
            return (f"imbalcheck probe --log {result.log['source']}", t.log_verdict(result.log),
                    t.log_sections(result.log), None)
        return f"imbalcheck probe: {p.source}", t.probe_verdict(result.probe), t.probe_sections(result.probe, p.plateau), None
    raise TypeError(f"no renderer for {type(result).__name__}")


def _alt(result) -> str:
    if hasattr(result, "changed_classes"):
        return f"both distributions, changed {'labels' if result.multi_label else 'classes'} marked"
    return "class counts"


def _plot_png(result) -> bytes | None:
    """The plot an HTML report embeds: a single-label profile's counts, or a diff's two distributions."""
    from ..result import Profile
    from ..shift import Diff

    if isinstance(result, Profile):
        from .plot import plot_profile

        return plot_profile(result)
    if isinstance(result, Diff):
        from .plot import plot_diff

        return plot_diff(result)
    return None


def html_of(result, max_rows: int = MAX_ROWS) -> str:
    """The HTML report's body for a notebook (``_repr_html_``): no script, no plot."""
    from .html import html_body

    title, verdict, sections, collapse_from = _layout(result, max_rows)
    if collapse_from is not None:
        for sec in sections[collapse_from:]:
            sec.collapsible = True
    return html_body(sections, title, verdict)


def verdict_of(result) -> str:
    return _layout(result, MAX_ROWS)[1]


def render(result, fmt: str = "markdown", *, max_rows: int = MAX_ROWS, image: str | None = None,
           max_classes: int | None = None, width: int | None = None) -> str:
    """``result`` as text in ``fmt`` (rich, markdown, json or html: one self-contained document).

    ``max_rows`` caps the class tables (head and tail); ``image`` is a plot the markdown
    report links to; ``max_classes`` caps the classes a profile's JSON lists; ``width``
    is the rich console's width (default: the terminal's).
    """
    fmt = getattr(fmt, "value", fmt)
    if fmt == "json":
        from .json_doc import to_json

        capped = max_classes is not None and (hasattr(result, "n_classes") or hasattr(result, "groups"))
        doc = result.to_dict(max_classes) if capped else result.to_dict()
        return to_json(doc)
    title, verdict, sections, collapse_from = _layout(result, max_rows)
    if fmt == "markdown":
        from .markdown import render_sections

        if collapse_from is not None:
            for sec in sections[collapse_from:]:
                sec.collapsible = True
        return render_sections(sections, title, verdict, image, _alt(result))
    if fmt == "html":
        from .html import render_html

        if collapse_from is not None:
            for sec in sections[collapse_from:]:
                sec.collapsible = True
        return render_html(sections, title, verdict, _plot_png(result), _alt(result))
    if fmt == "rich":
        from .rich_text import render_rich

        return render_rich(sections, title, width, verdict)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
