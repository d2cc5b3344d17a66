"""``--format torch``: paste-ready PyTorch code for the recommended recipe (``recommend``) and
for a sampler's weights (``sampler``)."""

from __future__ import annotations

from pathlib import Path


def torch_code(report) -> str:
    """The kept classes in class-id order, their counts, and the code that builds the loss
    (needs the ``probe`` extra: the snippet is checked against :mod:`imbalcheck.losses`),
    with the recipe's output-bias initialisation when it has one."""
    from ..losses import from_recommendation, torch_snippet
    from ..stratify import sklearn_class_order

    p = report.profile
    if not hasattr(p, "recommendation"):
        return multilabel_code(p)
    loss = p.recommendation.loss
    recipe = p.recommendation.recipe
    cut = p.recommendation.cutoff.min_count or 1
    keep = p.counts >= cut
    labels, kept = p.labels[keep], p.counts[keep]
    order = sklearn_class_order(labels, p.label_kind)
    header = (f"# imbalcheck recommend {p.source}: {recipe.sampler['name']} sampling + {loss.name}\n"
              f"# {recipe.rationale}\n"
              f"# classes kept by the cutoff (>= {cut} samples), in class-id order (as LabelEncoder sorts\n"
              f"# {'numbers' if p.label_kind == 'number' else 'text'}; map your labels to ids in this order):\n"
              f"classes = {[str(x) for x in labels[order]]!r}\n"
              f"counts = {[int(x) for x in kept[order]]!r}\n\n")
    if p.classes_without_samples:
        header += (f"# warning: the data set also declares {len(p.classes_without_samples)} class(es) without a "
                   f"sample ({', '.join(p.classes_without_samples[:5])}): map your labels to ids through `classes`\n"
                   "# above, not through the data set's own class indices, or give the model those outputs too\n\n")
    code = header + torch_snippet(*from_recommendation(loss.name, loss.params))
    if "bias_init" in loss.params:
        code += ("\n# start each output at its class prior, b_c = ln(n_c / (N - n_c)) (Lin et al. 2017, sec. 4.1):\n"
                 "import math\n"
                 "import torch\n"
                 "bias_init = [math.log(n / (sum(counts) - n)) for n in counts]\n"
                 "# with torch.no_grad(): model.fc.bias.copy_(torch.tensor(bias_init))  # your last nn.Linear\n")
    if recipe.sampler["name"] == "instance":
        code += "\n# sampling: plain shuffling, DataLoader(dataset, batch_size=..., shuffle=True); the loss re-balances.\n"
    return code


#: The asymmetric loss (Ben-Baruch, Ridnik et al., ICCV 2021), the formula of the official
#: ``AsymmetricLoss`` (Alibaba-MIIL/ASL ``src/loss_functions/losses.py``) written out.
ASYMMETRIC_LOSS = """\
def asymmetric_loss(logits, targets, gamma_neg={gamma_neg}, gamma_pos={gamma_pos}, clip={clip}, eps=1e-8):
    # Ben-Baruch, Ridnik et al., ICCV 2021 (the official AsymmetricLoss): negatives' probability shifted
    # down by clip, then focusing (1 - p_t)^gamma with gamma_neg for negatives, gamma_pos for positives
    p = torch.sigmoid(logits)
    p_neg = (p - clip).clamp(min=0) if clip else p
    loss_pos = targets * torch.log(p.clamp(min=eps)) * (1 - p) ** gamma_pos
    loss_neg = (1 - targets) * torch.log((1 - p_neg).clamp(min=eps)) * p_neg ** gamma_neg
    return -(loss_pos + loss_neg).sum()
"""


def multilabel_code(p) -> str:
    """The loss (and sampler) of a multi-label recipe: ``BCEWithLogitsLoss`` with the per-label
    ``pos_weight`` (1.0 for a label with no positive, with a comment), the asymmetric loss,
    torchvision's sigmoid focal loss, or plain BCE beside repeat-factor sampling."""
    recipe = p.recipe
    loss, params = recipe.loss["name"], recipe.loss["params"]
    lines = [f"# imbalcheck recommend {p.source} (label sets): {recipe.sampler['name']} sampling + {loss}",
             f"# {recipe.rationale}", "import torch", "",
             "# the model's outputs, one per label, in this order:",
             f"labels = {[str(x) for x in p.names]!r}"]
    if loss == "bce_pos_weight":
        weights = [1.0 if w is None else float(w) for w in params["pos_weight"]]
        if any(w is None for w in params["pos_weight"]):
            lines.append("# a label with no positive sample has no pos_weight; 1.0 below (nothing to weigh)")
        lines += [f"pos_weight = torch.tensor({weights!r})", "criterion = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)"]
    elif loss == "asymmetric":
        lines += ["", ASYMMETRIC_LOSS.format(**params).rstrip(), "criterion = asymmetric_loss"]
    elif loss == "focal":
        lines += ["from torchvision.ops import sigmoid_focal_loss",
                  f"criterion = lambda logits, targets: sigmoid_focal_loss(logits, targets, alpha={params['alpha']}, "
                  f"gamma={params['gamma']}, reduction='mean')"]
    else:
        lines.append("criterion = torch.nn.BCEWithLogitsLoss()")
    if recipe.sampler["name"] == "repeat_factor":
        lines += ["", f"# sampling: repeat-factor weights per row: imbalcheck sampler {p.source} --strategy "
                      f"repeat_factor --t {recipe.sampler['params']['t']} -o weights.npy --format torch, with the "
                      "reading options given here (--multi-label or --one-hot, --column, --empty-labels, ...)"]
    else:
        lines += ["", "# sampling: plain shuffling, DataLoader(dataset, batch_size=..., shuffle=True); the loss re-balances."]
    return "\n".join(lines) + "\n"


def sampler_code(result, weights_path) -> str:
    """Code that builds ``WeightedRandomSampler`` from the written weights and the loss that pairs with it."""
    where = str(weights_path) if weights_path is not None else "weights.npy"
    load = {".csv": f"np.loadtxt({where!r}, delimiter=',', skiprows=1, ndmin=1)",
            ".pt": f"torch.load({where!r})"}.get(Path(where).suffix.lower(), f"np.load({where!r})")
    loss = ("torch.nn.BCEWithLogitsLoss()  # label sets: one sigmoid per label" if result.multi_label else
            "torch.nn.CrossEntropyLoss()  # the sampler re-balances: plain cross-entropy, never a re-weighted loss too")
    lines = [f"# imbalcheck sampler {result.source} --strategy {result.strategy}"
             + "".join(f" --{k} {v:g}" if isinstance(v, float) else f" --{k} {v}" for k, v in result.params.items()),
             "import numpy as np",
             "import torch",
             "from torch.utils.data import DataLoader, WeightedRandomSampler",
             "",
             ("# write the weights first: add -o weights.npy to the command\n" if weights_path is None else "")
             + f"weights = torch.as_tensor({load}, dtype=torch.double)  # one per row of {result.source}, in its order",
             f"sampler = WeightedRandomSampler(weights, num_samples={result.num_samples}, replacement=True)",
             "batch_size = 128  # yours",
             "loader = DataLoader(dataset, batch_size=batch_size, sampler=sampler)  # dataset: the same rows, same order",
             f"criterion = {loss}"]
    if result.strategy == "progressive":
        lines += ["# progressive (Kang et al. 2020): the weights move from instance (1 per row) to class-balanced",
                  "# (N / (K n_c)); re-weight each epoch with lam = epoch / (epochs - 1):",
                  "#     sampler.weights = (1 - lam) * (weights > 0).double() + lam * cb_weights",
                  f"# where cb_weights come from: imbalcheck sampler {result.source} --strategy class_balanced -o cb.npy"]
    return "\n".join(lines) + "\n"
