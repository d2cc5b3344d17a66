"""Sections of the review results: the gate (``check``), a label shift (``diff``) and the groups of
``profile --by``. Formatting only, as in :mod:`.sections`."""

from __future__ import annotations

from ..defaults import MAX_ROWS as DEFAULT_MAX_ROWS
from .sections import (
    Section,
    fmt_examples,
    fmt_float,
    fmt_int,
    fmt_label,
    fmt_ratio,
    fmt_share,
    head_tail,
    plural,
    warning_notes,
)


def check_sections(report) -> list[Section]:
    rows = [[c.label, c.description, _limit(c.limit), _observed(c.observed), "pass" if c.passed else "FAIL"]
            for c in report.checks]
    failed = report.failed
    notes = [f"{len(failed)} of {plural(len(report.checks), 'check')} failed: {', '.join(c.label for c in failed)}"
             if failed else _all_passed(report)]
    return [Section("Checks", rows,
                    headers=["check", "what", "limit", "observed", "result"], notes=notes)]


def _all_passed(report) -> str:
    n = len(report.checks)
    return "the check passed" if n == 1 else f"all {n} checks passed"


def check_verdict(report) -> str:
    if report.passed:
        return f"PASS: {_all_passed(report)}"
    return "FAIL: " + "; ".join(f"{c.label} {_observed(c.observed)} (limit {_limit(c.limit)})"
                                for c in report.failed)


def _limit(value) -> str:
    if isinstance(value, bool):
        return "required" if value else "not required"
    return _number(value)


def _observed(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _number(value)


def _number(value) -> str:
    if isinstance(value, int) or float(value).is_integer() and abs(value) >= 1:
        return f"{value:,.0f}"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def diff_sections(diff, max_rows: int = DEFAULT_MAX_ROWS) -> list[Section]:
    """The changed classes, the figures, then every class (collapsed in markdown). For label
    sets a share is a label's prevalence (samples carrying it / samples)."""
    chi = diff.chi_square
    ml = diff.multi_label
    noun, share = ("label", "prev.") if ml else ("class", "share")  # prev.: prevalence, short for the tables
    nouns = f"{noun}s" if ml else "classes"

    def side(source, counts, n_samples):
        return (f"{source} ({plural(int(counts.sum() if n_samples is None else n_samples), 'sample')}, "
                f"{plural(int((counts > 0).sum()), noun)})")

    mixture = [] if ml else [
        ["total-variation distance", fmt_float(diff.tvd)],
        ["Jensen-Shannon divergence (bits)", fmt_float(diff.js_divergence)],
        ["chi-square (homogeneity)", f"{chi['statistic']:,.2f}, dof {chi['dof']:,}, p {_p(chi['p_value'])}"]]
    summary = Section("Label shift", [
        ["A", side(diff.source_a, diff.count_a, diff.n_samples_a)],
        ["B", side(diff.source_b, diff.count_b, diff.n_samples_b)],
        ["class-balanced shift", fmt_float(diff.class_balanced_shift)],
        *mixture,
        [f"{nouns} only in A (disappeared)", f"{len(diff.only_in_a):,}" + fmt_examples([x["label"] for x in diff.only_in_a])],
        [f"{nouns} only in B (appeared)", f"{len(diff.only_in_b):,}" + fmt_examples([x["label"] for x in diff.only_in_b])],
        *[[f"check {c.name}", f"{_observed(c.observed)} vs limit {_limit(c.limit)}: {'pass' if c.passed else 'FAIL'}"]
          for c in diff.checks],
    ], notes=[("label sets: a label's prevalence (prev.) is the share of samples carrying it (samples without "
               "labels included); class-balanced shift: the mean over labels of |p_l - q_l| / max(p_l, q_l). TVD, JS and "
               "chi-square need exclusive classes and are not computed.") if ml else
              ("class-balanced shift: the mean over classes of |p_c - q_c| / max(p_c, q_c), every class weighted "
               "equally (1 for a class that appears or disappears); TVD and JS weigh classes by their share."),
              *warning_notes(diff.warnings)])
    changed = diff.changed_classes
    shown = changed[:max_rows]
    criterion = (f"changed: Bonferroni-corrected two-proportion z-test p < {diff.alpha:g} and a relative change "
                 f"|{share} B - {share} A| / max({share} A, {share} B) of at least {diff.min_relative_change:.0%} "
                 f"(--alpha, --min-relative-change); {share} change = ({share} B - {share} A) / {share} A.")
    if changed:
        changed_sec = Section(
            f"Changed {nouns} ({len(changed):,}"
            f"{f', {len(shown)} shown' if len(shown) < len(changed) else ''})",
            [[fmt_label(c["label"]), c["change"], fmt_int(c["count_a"]), fmt_int(c["count_b"]), fmt_share(c["share_a"]),
              fmt_share(c["share_b"]), _share_change(c["share_a"], c["share_b"]), _p(c["p_value"])] for c in shown],
            headers=["label", "change", "count A", "count B", f"{share} A", f"{share} B", f"{share} change", "p adj."],
            notes=[criterion])
    else:
        changed_sec = Section(f"Changed {nouns} (none)", [[f"changed {nouns}", "0"]],
                              notes=[f"no {noun} changed significantly (p < {diff.alpha:g}, Bonferroni) by "
                                     f"{diff.min_relative_change:.0%} or more."])
    idx, gap = head_tail(diff.labels.size, max_rows)
    every = Section(f"Every {noun} ({'all' if gap is None else f'head and tail of {diff.labels.size:,}'}, "
                    "largest shift first)", [
        [fmt_label(diff.labels[i]), fmt_int(diff.count_a[i]), fmt_int(diff.count_b[i]), fmt_share(diff.share_a[i]),
         fmt_share(diff.share_b[i]), f"{100 * (diff.share_b[i] - diff.share_a[i]):+.2f} pp",
         _share_change(diff.share_a[i], diff.share_b[i]), _p(diff.p_value[i])] for i in idx
    ], headers=["label", "count A", "count B", f"{share} A", f"{share} B", "B - A", f"{share} change", "p adj."],
        gap_after=gap, notes=[f"{share} change = ({share} B - {share} A) / {share} A (new: only in B; gone: only in "
                              f"A); p adj. = the two-proportion z-test's p-value times the number of {nouns} "
                              "(Bonferroni), at most 1."])
    return [changed_sec, summary, every]


def _share_change(a: float, b: float) -> str:
    """(b - a) / a in percent: -90% for 200 -> 20 samples, +900% for 20 -> 200; new / gone."""
    if a == 0:
        return "new"
    if b == 0:
        return "gone"
    return f"{100 * (b - a) / a:+,.0f}%"


def _p(p: float) -> str:
    return "< 1e-300" if p == 0 else f"{p:.2g}" if p < 0.001 else f"{p:.3g}"


def diff_verdict(diff) -> str:
    changed = len(diff.changed)
    failed = [c for c in diff.checks if not c.passed]
    gate = ("FAIL: " + ", ".join(f"{c.name} {_observed(c.observed)} > {_limit(c.limit)}" for c in failed) + "; "
            if failed else "")
    noun = "label" if diff.multi_label else "class"
    parts = [plural(changed, noun) + " changed significantly",
             f"{len(diff.only_in_a):,} disappeared", f"{len(diff.only_in_b):,} appeared",
             f"class-balanced shift {diff.class_balanced_shift:.2f}",
             "per-label prevalence (label sets)" if diff.multi_label else
             f"TVD {diff.tvd:.4f}, JS {diff.js_divergence:.4f} bits"]
    return gate + "; ".join(parts)


def grouped_verdict(g) -> str:
    missing = [k for k, v in g.missing_by_group.items() if v]
    noun = g.noun
    parts = [f"{len(g.groups):,} {noun}{'s' if len(g.groups) != 1 else ''}" + (f" by {g.by}" if noun == "group" else "")]
    parts.append(f"{len(missing):,} miss classes ({', '.join(fmt_label(k) for k in missing[:4])}"
                 f"{', ...' if len(missing) > 4 else ''})" if missing else f"every {noun} has every class")
    if g.drift:
        worst = max(g.drift, key=lambda d: d.class_balanced_shift)
        parts.append(f"largest drift from {g.by}={fmt_label(g.reference)}: {worst.source_b} "
                     f"(class-balanced shift {worst.class_balanced_shift:.2f}, TVD {worst.tvd:.4f})")
    return "; ".join(parts)


def grouped_sections(g, max_rows: int = DEFAULT_MAX_ROWS) -> list[Section]:
    """One row per group, the drift of each group against the largest, and the classes each lacks."""
    noun = g.noun
    rows = []
    for key, p in g.groups.items():
        lacks = g.missing_by_group.get(key, [])
        single = hasattr(p, "n_classes")  # a multi-label split reports labels, MaxIR and pos_weight
        rows.append([fmt_label(key), fmt_int(p.n_samples), fmt_int(p.n_classes if single else p.n_labels),
                     fmt_ratio(p.imbalance_ratio if single else p.max_ir),
                     f"{len(lacks):,}" + fmt_examples(lacks, 4), "yes" if p.stratification.feasible else "no",
                     p.recommendation.recipe.loss["name"] if single else "BCE with pos_weight"])
    title = f"Groups by {g.by} (largest first)" if noun == "group" else "Splits"
    groups = Section(title, rows,
                     headers=[noun, "samples", "classes", "imbalance", "classes missing", "stratifiable", "loss"],
                     notes=[f"classes missing: classes of the whole input with no sample in the {noun} (a class "
                            "absent from a split is a stratification failure already shipped).",
                            *warning_notes(g.warnings)])
    against = f"{g.by}={fmt_label(g.reference)}" if noun == "group" else fmt_label(g.reference)
    drift = Section(f"Drift against {against}", [
        [fmt_label(d.source_b), fmt_float(d.class_balanced_shift), fmt_float(d.tvd), fmt_float(d.js_divergence),
         fmt_int(len(d.changed)), fmt_int(len(d.only_in_a)), fmt_int(len(d.only_in_b))] for d in g.drift
    ], headers=[noun, "class-balanced shift", "TVD", "JS (bits)", "changed classes", "only in reference",
                f"only in {noun}"])
    return [groups, drift] if g.drift else [groups]
