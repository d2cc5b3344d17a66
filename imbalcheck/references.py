"""Published numbers behind each loss recommendation.

Pure data, no behaviour. ``REFERENCES`` maps a citation key to:

``citation`` / ``url``
    Human-readable reference and its arXiv page.
``results``
    List of dicts, one per (dataset, imbalance) cell of a table in the paper:

    - ``dataset``: benchmark name; ``num_classes``: K of that benchmark.
    - ``imbalance``: imbalance ratio max_c n_c / min_c n_c, as the paper states it.
    - ``profile``: ``"exp"`` (long-tailed, exponential decay), ``"step"``, or ``"natural"``.
    - ``metric``: what the numbers measure; ``higher_is_better`` says which way is better.
    - ``baseline`` / ``method``: ``(label, value)`` pairs taken from the same table, same
      backbone and schedule, so the two values are directly comparable.
    - ``source``: table (and, where relevant, repository file) the pair was read from.
    - ``kind`` (absent = ``"loss"``): what produced ``method``: ``"loss"`` the loss alone,
      trained end to end; ``"post_hoc"`` a fix of a model already trained (post-hoc logit
      adjustment, cRT, tau-normalisation); ``"sampler"`` a re-sampling strategy with plain
      cross-entropy; ``"pipeline"`` several methods together (BALMS). Evidence is shown
      only for the kind that is recommended.
``defaults``
    Hyperparameters the paper or its official code uses, with where each is set.
``notes``
    Caveats that matter when citing the numbers.

Verification: every number below was read from the paper's own table (full text of the
paper) or from the official repository named next to it (Kang et al. 2020 and Gupta et al.
2019: the official repositories only, as their ``notes`` say). Nothing was filled in from
memory; figures that could not be checked were left out (see ``notes``).
"""

from __future__ import annotations

REFERENCES = {
    # ------------------------------------------------------------------------------------
    # Cui et al., CVPR 2019. All CIFAR numbers: Table 2 of the paper (ResNet-32, top-1
    # error %, long-tailed CIFAR with exponential profile, 200 epochs). The "Class-Balanced"
    # row reports the best CB configuration per column; its loss type / beta / gamma are
    # the "Loss Type", "beta", "gamma" rows of the same table, copied into the labels below.
    # Read from the paper's full text; the CB row (31.11 25.43 20.73 15.64 12.51 /
    # 63.77 60.40 54.68 47.41 42.01) is repeated verbatim in
    # github.com/feidfoe/AdjustBnd4Imbalance README.md, and 25.43 / 42.01 are re-quoted as
    # "CB Focal [Cui et al.]" in Cao et al. 2019, Table 2.
    # ------------------------------------------------------------------------------------
    "cui2019": {
        "citation": (
            "Cui, Jia, Lin, Song, Belongie. Class-Balanced Loss Based on Effective "
            "Number of Samples. CVPR 2019."
        ),
        "url": "https://arxiv.org/abs/1901.05555",
        "results": [
            # --- Long-tailed CIFAR-10 (Table 2, left half) ---
            {"dataset": "CIFAR-10-LT", "num_classes": 10, "imbalance": 200, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("softmax CE", 34.32),
             "method": ("CB softmax, beta=0.9999", 31.11),
             "source": "Cui et al. 2019, Table 2"},
            {"dataset": "CIFAR-10-LT", "num_classes": 10, "imbalance": 100, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("softmax CE", 29.64),
             "method": ("CB focal, beta=0.9999, gamma=1.0", 25.43),
             "source": "Cui et al. 2019, Table 2"},
            {"dataset": "CIFAR-10-LT", "num_classes": 10, "imbalance": 50, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("softmax CE", 25.19),
             "method": ("CB focal, beta=0.9999, gamma=2.0", 20.73),
             "source": "Cui et al. 2019, Table 2"},
            {"dataset": "CIFAR-10-LT", "num_classes": 10, "imbalance": 20, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("softmax CE", 17.77),
             "method": ("CB softmax, beta=0.9999", 15.64),
             "source": "Cui et al. 2019, Table 2"},
            {"dataset": "CIFAR-10-LT", "num_classes": 10, "imbalance": 10, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("softmax CE", 13.61),
             "method": ("CB sigmoid, beta=0.9999", 12.51),
             "source": "Cui et al. 2019, Table 2"},
            # --- Long-tailed CIFAR-100 (Table 2, right half) ---
            {"dataset": "CIFAR-100-LT", "num_classes": 100, "imbalance": 200, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("softmax CE", 65.16),
             "method": ("CB focal, beta=0.9, gamma=1.0", 63.77),
             "source": "Cui et al. 2019, Table 2"},
            {"dataset": "CIFAR-100-LT", "num_classes": 100, "imbalance": 100, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("softmax CE", 61.68),
             "method": ("CB focal, beta=0.9, gamma=1.0", 60.40),
             "source": "Cui et al. 2019, Table 2"},
            {"dataset": "CIFAR-100-LT", "num_classes": 100, "imbalance": 50, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("softmax CE", 56.15),
             "method": ("CB sigmoid, beta=0.99", 54.68),
             "source": "Cui et al. 2019, Table 2"},
            {"dataset": "CIFAR-100-LT", "num_classes": 100, "imbalance": 20, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("softmax CE", 48.86),
             "method": ("CB focal, beta=0.99, gamma=0.5", 47.41),
             "source": "Cui et al. 2019, Table 2"},
            {"dataset": "CIFAR-100-LT", "num_classes": 100, "imbalance": 10, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("softmax CE", 44.29),
             "method": ("CB focal, beta=0.999, gamma=0.5", 42.01),
             "source": "Cui et al. 2019, Table 2"},
        ],
        "defaults": {
            # Weight of class c: (1 - beta) / (1 - beta**n_c), normalised to sum to K
            # (paper Eq. 6 and Sec. 4; kaidic/LDAM-DRW cifar_train.py uses the same
            # normalisation "per_cls_weights / sum * len(cls_num_list)").
            "weight_formula": "(1 - beta) / (1 - beta**n_c), normalised so sum_c w_c = K",
            # Search space of the cross-validation behind Table 2 (paper Sec. 5.3).
            "beta_grid": (0.9, 0.99, 0.999, 0.9999),
            "gamma_grid": (0.5, 1.0, 2.0),
            "loss_types": ("softmax", "sigmoid", "focal"),
            # Paper Sec. 5.3: "The best beta is 0.9999 on CIFAR-10 unanimously. But on
            # CIFAR-100, datasets with different imbalance factors tend to have different
            # and smaller optimal beta."
            "beta_best_cifar10": 0.9999,
            # (imbalance, best beta) pairs, Table 2 "beta" row, CIFAR-100 half.
            "beta_best_cifar100_by_imbalance": ((200, 0.9), (100, 0.9), (50, 0.99), (20, 0.99), (10, 0.999)),
            # Official script richardaecn/class-balanced-loss cifar_im_trainval_cb.sh:
            # BETA=0.9999, focal GAMMA=1.0.
            "beta_repo_script": 0.9999,
            "gamma_repo_script": 1.0,
            # Paper Sec. 5.2: sigmoid/focal heads start from prior pi = 1/C,
            # bias b = -log((1 - pi) / pi), no weight decay on that bias.
            "sigmoid_bias_init_prior": "1/K",
            # Paper Sec. 5.2 (CIFAR): 200 epochs, batch 128, lr 0.1 decayed by 0.01 at
            # epochs 160 and 180, 5-epoch linear warm-up.
            "epochs": 200,
            "lr_decay_epochs": (160, 180),
            "warmup_epochs": 5,
        },
        "notes": (
            "Gains over softmax CE are largest at high imbalance on CIFAR-10 (-4.2 points "
            "at ratio 100) and small on CIFAR-100 (-1.3 at ratio 100). On CIFAR-100 the "
            "best beta is small (0.9-0.999), i.e. close to no re-weighting; Fig. 5 of the "
            "paper states that a larger beta hurts CIFAR-100. The paper's Table 1 lists "
            "iNaturalist 2017 / 2018 imbalance as 435.44 / 500.00; the iNaturalist and "
            "ImageNet results (Tables 3-4) were not transcribed here."
        ),
    },
    # ------------------------------------------------------------------------------------
    # Cao et al., NeurIPS 2019. CIFAR numbers: Table 2 (ResNet-32, top-1 validation error %
    # on the balanced test set). iNaturalist: Table 3 (ResNet-50, top-1 error %). Read from
    # the paper's full text (arXiv 1906.07413). Defaults: official repo kaidic/LDAM-DRW
    # (cifar_train.py, losses.py) and paper Appendix B. Corroboration: kaidic/LDAM-DRW
    # issue #4 quotes the paper's ERM CIFAR-10 (exp, 100) accuracy as 70.36% = 29.64 error.
    # ------------------------------------------------------------------------------------
    "cao2019": {
        "citation": (
            "Cao, Wei, Gaidon, Arechiga, Ma. Learning Imbalanced Datasets with "
            "Label-Distribution-Aware Margin Loss. NeurIPS 2019."
        ),
        "url": "https://arxiv.org/abs/1906.07413",
        "results": [
            # --- Table 2, long-tailed (exponential) profile ---
            {"dataset": "CIFAR-10-LT", "num_classes": 10, "imbalance": 100, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 29.64),
             "method": ("LDAM-DRW", 22.97),
             "source": "Cao et al. 2019, Table 2"},
            {"dataset": "CIFAR-10-LT", "num_classes": 10, "imbalance": 10, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 13.61),
             "method": ("LDAM-DRW", 11.84),
             "source": "Cao et al. 2019, Table 2"},
            {"dataset": "CIFAR-100-LT", "num_classes": 100, "imbalance": 100, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 61.68),
             "method": ("LDAM-DRW", 57.96),
             "source": "Cao et al. 2019, Table 2"},
            {"dataset": "CIFAR-100-LT", "num_classes": 100, "imbalance": 10, "profile": "exp",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 44.30),
             "method": ("LDAM-DRW", 41.29),
             "source": "Cao et al. 2019, Table 2"},
            # --- Table 2, step profile (mu = 0.5: half the classes are minority) ---
            {"dataset": "CIFAR-10 step", "num_classes": 10, "imbalance": 100, "profile": "step",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 36.70),
             "method": ("LDAM-DRW", 23.08),
             "source": "Cao et al. 2019, Table 2"},
            {"dataset": "CIFAR-10 step", "num_classes": 10, "imbalance": 10, "profile": "step",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 17.50),
             "method": ("LDAM-DRW", 12.19),
             "source": "Cao et al. 2019, Table 2"},
            {"dataset": "CIFAR-100 step", "num_classes": 100, "imbalance": 100, "profile": "step",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 61.45),
             "method": ("LDAM-DRW", 54.64),
             "source": "Cao et al. 2019, Table 2"},
            {"dataset": "CIFAR-100 step", "num_classes": 100, "imbalance": 10, "profile": "step",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 45.37),
             "method": ("LDAM-DRW", 40.54),
             "source": "Cao et al. 2019, Table 2"},
            # --- Table 3, iNaturalist 2018 (ResNet-50); imbalance 500 per Cui et al. Table 1 ---
            {"dataset": "iNaturalist 2018", "num_classes": 8142, "imbalance": 500,
             "profile": "natural",
             "metric": "top-1 error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE), SGD", 42.86),
             "method": ("LDAM-DRW", 32.00),
             "source": "Cao et al. 2019, Table 3"},
        ],
        "defaults": {
            # kaidic/LDAM-DRW losses.py: m_list = 1/sqrt(sqrt(n_c)), rescaled so the largest
            # margin equals max_m; LDAMLoss(cls_num_list, max_m=0.5, weight=None, s=30).
            "margin_formula": "Delta_c = C / n_c**(1/4), C set so max_c Delta_c = max_m",
            "max_m": 0.5,  # losses.py default; cifar_train.py passes max_m=0.5;
                           # paper App. B: "largest enforced margin is 0.5" (CIFAR)
            "max_m_inaturalist": 0.3,  # paper App. B (iNaturalist 2018)
            "s": 30,  # logit scale; cifar_train.py LDAMLoss(..., s=30); not given in the paper
            "normalized_classifier": True,  # cifar_train.py: use_norm=True when loss_type=='LDAM';
                                            # paper Sec. 3.2 normalises features and weights
            # cifar_train.py, train_rule 'DRW': idx = epoch // 160; betas = [0, 0.9999]
            # -> plain (unweighted) loss for epochs 0-159, class-balanced weights
            # (effective number, beta 0.9999) from epoch 160.
            "drw_start_epoch": 160,
            "epochs": 200,  # cifar_train.py --epochs default 200
            "drw_beta": 0.9999,
            "drw_start_epoch_inaturalist": 60,  # paper App. B: 90 epochs, rebalance from 60
            "epochs_inaturalist": 90,
            # paper App. B (CIFAR): SGD momentum 0.9, weight decay 2e-4, batch 128, lr 0.1,
            # decay by 0.01 at epochs 160 and 180, 5-epoch linear warm-up.
            "weight_decay": 2e-4,
            "batch_size": 128,
            "lr": 0.1,
            "lr_decay_epochs": (160, 180),
            "warmup_epochs": 5,
        },
        "notes": (
            "LDAM-DRW's advantage grows with imbalance and is largest on the step profile "
            "(CIFAR-10 step 100: 36.70 -> 23.08). Ablation in Table 2: LDAM alone (no DRW) "
            "gives 26.65 on CIFAR-10-LT 100, and ERM with DRW alone gives 25.14 (Table 5). "
            "Algorithm 1 in "
            "the paper re-weights by inverse frequency in the second stage; the official code "
            "uses effective-number weights with beta=0.9999 instead (the paper says both work "
            "equally well). s=30 comes from the code only."
        ),
    },
    # ------------------------------------------------------------------------------------
    # Lin et al., ICCV 2017 (RetinaNet). Numbers: Table 1(a), 1(b), 1(d) and Sec. 3 / 5.1 of
    # the paper (COCO trainval35k -> minival). Read from the paper's full text.
    # ------------------------------------------------------------------------------------
    "lin2017": {
        "citation": (
            "Lin, Goyal, Girshick, He, Dollar. Focal Loss for Dense Object Detection. "
            "ICCV 2017."
        ),
        "url": "https://arxiv.org/abs/1708.02002",
        "results": [
            # Table 1(a)/(b): best alpha-balanced CE is alpha=.75 (31.1 AP); FL gamma=2,
            # alpha=.25 gives 34.0 AP; caption: "using FL with the same exact network gives
            # a 2.9 AP gain". ResNet-50-FPN, 600 px.
            # num_classes 80 = COCO detection categories (dataset fact, not a paper number).
            {"dataset": "COCO minival (RetinaNet, ResNet-50-FPN, 600px)", "num_classes": 80,
             "imbalance": 1000, "profile": "natural",
             "metric": "COCO AP", "higher_is_better": True,
             "baseline": ("alpha-balanced CE, alpha=0.75 (gamma=0)", 31.1),
             "method": ("focal loss, gamma=2, alpha=0.25", 34.0),
             "source": "Lin et al. 2017, Table 1(a), 1(b)"},
            # Table 1(d): best OHEM (no 1:3, batch 128, nms .5) 32.8 AP vs FL 36.0 AP,
            # ResNet-101-FPN, 600 px; text: "a gap of 3.2 AP".
            {"dataset": "COCO minival (RetinaNet, ResNet-101-FPN, 600px)", "num_classes": 80,
             "imbalance": 1000, "profile": "natural",
             "metric": "COCO AP", "higher_is_better": True,
             "baseline": ("best OHEM (batch 128, nms 0.5)", 32.8),
             "method": ("focal loss, gamma=2, alpha=0.25", 36.0),
             "source": "Lin et al. 2017, Table 1(d)"},
        ],
        "defaults": {
            # Sec. 5.1: "We use gamma = 2.0 with alpha = .25 for all experiments but
            # alpha = .5 works nearly as well (.4 AP lower)."
            "gamma": 2.0,
            "alpha": 0.25,
            "gamma_grid_tested": (0, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0),  # Table 1(b)
            # Sec. 4.1 / 5.1: final classification-layer bias b = -log((1 - pi) / pi),
            # pi = .01 in all experiments; plain CE without it diverges.
            "prior_pi": 0.01,
            # Sec. 3: "extreme imbalance between foreground and background classes during
            # training (e.g., 1:1000)". 1000 in the results above is this order-of-magnitude
            # figure, not a measured count ratio.
            "foreground_background_ratio": "~1:1000",
        },
        "notes": (
            "Dense detection (one sigmoid per class per anchor), not long-tailed image "
            "classification: the 1:1000 is foreground vs background "
            "anchors, not a per-class count ratio. With gamma>0 the best alpha moves down "
            "(alpha=.75 at gamma=0, .25 at gamma>=1, Table 1b)."
        ),
    },
    # ------------------------------------------------------------------------------------
    # Menon et al., ICLR 2021. Numbers: arXiv:2007.07314v2, Table 3 ("Test set balanced
    # error (averaged over 5 trials) on real-world datasets"): ResNet-32 for CIFAR (exp
    # profile, imbalance 100), ResNet-50 for ImageNet-LT and iNaturalist 2018. Read from the
    # paper's full text. Defaults: google-research/google-research logit_adjustment/main.py
    # (flag tau default 1.0) and logit_adjustment/utils.py (build_loss_fn).
    # ------------------------------------------------------------------------------------
    "menon2021": {
        "citation": (
            "Menon, Jayasumana, Rawat, Jain, Veit, Kumar. Long-tail learning via logit "
            "adjustment. ICLR 2021."
        ),
        "url": "https://arxiv.org/abs/2007.07314",
        "results": [
            # --- Logit-adjusted loss (tau = 1) vs ERM ---
            {"dataset": "CIFAR-10-LT", "num_classes": 10, "imbalance": 100, "profile": "exp",
             "metric": "balanced error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 27.16),
             "method": ("logit-adjusted loss, tau=1", 22.33),
             "source": "Menon et al. 2021 (arXiv v2), Table 3"},
            {"dataset": "CIFAR-100-LT", "num_classes": 100, "imbalance": 100, "profile": "exp",
             "metric": "balanced error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 61.64),
             "method": ("logit-adjusted loss, tau=1", 56.11),
             "source": "Menon et al. 2021 (arXiv v2), Table 3"},
            # ImageNet-LT imbalance 256 and Places-LT 996: Ren et al. 2020, Table 1.
            {"dataset": "ImageNet-LT", "num_classes": 1000, "imbalance": 256,
             "profile": "natural",
             "metric": "balanced error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 53.11),
             "method": ("logit-adjusted loss, tau=1", 48.89),
             "source": "Menon et al. 2021 (arXiv v2), Table 3"},
            # iNaturalist 2018 imbalance 500: Cui et al. 2019, Table 1.
            {"dataset": "iNaturalist 2018", "num_classes": 8142, "imbalance": 500,
             "profile": "natural",
             "metric": "balanced error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 38.66),
             "method": ("logit-adjusted loss, tau=1", 33.64),
             "source": "Menon et al. 2021 (arXiv v2), Table 3"},
            # --- Post-hoc logit adjustment (tau = 1) applied to the ERM model: no retraining ---
            {"dataset": "CIFAR-10-LT", "num_classes": 10, "imbalance": 100, "profile": "exp",
             "metric": "balanced error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 27.16),
             "kind": "post_hoc",
             "method": ("post-hoc logit adjustment, tau=1", 22.60),
             "source": "Menon et al. 2021 (arXiv v2), Table 3"},
            {"dataset": "CIFAR-100-LT", "num_classes": 100, "imbalance": 100, "profile": "exp",
             "metric": "balanced error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 61.64),
             "kind": "post_hoc",
             "method": ("post-hoc logit adjustment, tau=1", 58.24),
             "source": "Menon et al. 2021 (arXiv v2), Table 3"},
            {"dataset": "ImageNet-LT", "num_classes": 1000, "imbalance": 256,
             "profile": "natural",
             "metric": "balanced error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 53.11),
             "kind": "post_hoc",
             "method": ("post-hoc logit adjustment, tau=1", 49.66),
             "source": "Menon et al. 2021 (arXiv v2), Table 3"},
            {"dataset": "iNaturalist 2018", "num_classes": 8142, "imbalance": 500,
             "profile": "natural",
             "metric": "balanced error %", "higher_is_better": False,
             "baseline": ("ERM (softmax CE)", 38.66),
             "kind": "post_hoc",
             "method": ("post-hoc logit adjustment, tau=1", 33.98),
             "source": "Menon et al. 2021 (arXiv v2), Table 3"},
        ],
        "defaults": {
            # utils.py build_loss_fn: logits + log(base_probs**tau + 1e-12), then softmax CE.
            "loss_formula": "CE(logits + tau * log(pi)), pi = training class prior",
            # main.py post-hoc mode: logits - log(base_probs**tau + 1e-12) at test time.
            "posthoc_formula": "argmax_y (logit_y - tau * log(pi_y))",
            "tau": 1.0,  # main.py flags.DEFINE_float('tau', 1.0, ...); paper Table 3 uses tau=1
            # Paper Sec. 6.2: for post-hoc adjustment tau is fixed to 1 in Table 3;
            # "We do not perform any further tuning of our logit adjustment techniques."
        },
        "notes": (
            "Metric is balanced error (mean per-class error), which equals top-1 error on "
            "the balanced CIFAR test sets. The ERM baseline here (27.16 / 61.64) is Menon's "
            "own run, not Cao's 29.64 / 61.68. Menon's text notes LDAM-DRW (22.97 / 57.96 on "
            "CIFAR-10/100-LT) is beaten by the plain logit-adjusted loss, but LDAM-DRW's "
            "32.0 on iNaturalist beats the logit-adjusted loss's 33.6. Example accuracies in "
            "the official README (CIFAR-10 LT 0.7136 -> 0.7789, CIFAR-100 LT 0.3987 -> "
            "0.4406) are single reproduction runs, not the paper's numbers."
        ),
    },
    # ------------------------------------------------------------------------------------
    # Ren et al., NeurIPS 2020. CIFAR numbers: Table 5 (component analysis), rows (1)
    # Softmax and (3) Balanced Softmax, both end-to-end, ResNet-32, top-1 accuracy %, mean
    # of 3 runs (the paper's Table 2 repeats the Softmax row and gives BALMS, not Balanced
    # Softmax alone). Read from the paper's full text (arXiv 2007.10740 incl. supplement).
    # ImageNet-LT / Places-LT: the paper's Table 3 has no plain-softmax row, so the pairs
    # below come from the official repo README
    # (jiawei-ren/BalancedMetaSoftmax-Classification README.md, "Experiment Results").
    # ------------------------------------------------------------------------------------
    "ren2020": {
        "citation": (
            "Ren, Yu, Sheng, Ma, Zhao, Yi, Li. Balanced Meta-Softmax for Long-Tailed "
            "Visual Recognition. NeurIPS 2020."
        ),
        "url": "https://arxiv.org/abs/2007.10740",
        "results": [
            {"dataset": "CIFAR-10-LT", "num_classes": 10, "imbalance": 200, "profile": "exp",
             "metric": "top-1 accuracy %", "higher_is_better": True,
             "baseline": ("softmax CE", 71.2),
             "method": ("Balanced Softmax (end-to-end)", 79.0),
             "source": "Ren et al. 2020, Table 5 rows (1), (3)"},
            {"dataset": "CIFAR-10-LT", "num_classes": 10, "imbalance": 100, "profile": "exp",
             "metric": "top-1 accuracy %", "higher_is_better": True,
             "baseline": ("softmax CE", 77.4),
             "method": ("Balanced Softmax (end-to-end)", 83.1),
             "source": "Ren et al. 2020, Table 5 rows (1), (3)"},
            {"dataset": "CIFAR-10-LT", "num_classes": 10, "imbalance": 10, "profile": "exp",
             "metric": "top-1 accuracy %", "higher_is_better": True,
             "baseline": ("softmax CE", 90.0),
             "method": ("Balanced Softmax (end-to-end)", 90.9),
             "source": "Ren et al. 2020, Table 5 rows (1), (3)"},
            {"dataset": "CIFAR-100-LT", "num_classes": 100, "imbalance": 200, "profile": "exp",
             "metric": "top-1 accuracy %", "higher_is_better": True,
             "baseline": ("softmax CE", 41.0),
             "method": ("Balanced Softmax (end-to-end)", 45.9),
             "source": "Ren et al. 2020, Table 5 rows (1), (3)"},
            {"dataset": "CIFAR-100-LT", "num_classes": 100, "imbalance": 100, "profile": "exp",
             "metric": "top-1 accuracy %", "higher_is_better": True,
             "baseline": ("softmax CE", 45.3),
             "method": ("Balanced Softmax (end-to-end)", 50.3),
             "source": "Ren et al. 2020, Table 5 rows (1), (3)"},
            {"dataset": "CIFAR-100-LT", "num_classes": 100, "imbalance": 10, "profile": "exp",
             "metric": "top-1 accuracy %", "higher_is_better": True,
             "baseline": ("softmax CE", 61.9),
             "method": ("Balanced Softmax (end-to-end)", 63.1),
             "source": "Ren et al. 2020, Table 5 rows (1), (3)"},
            # Official-repo reproductions (README: "results could be slightly different from
            # the results reported in the paper"). Method is BALMS = Balanced Softmax + Meta
            # Sampler with decoupled classifier training, not Balanced Softmax alone.
            # Imbalance 256 / 996: paper Table 1.
            {"dataset": "ImageNet-LT (ResNet-10)", "num_classes": 1000, "imbalance": 256,
             "profile": "natural",
             "metric": "top-1 accuracy %", "higher_is_better": True,
             "baseline": ("softmax CE", 34.8),
             "kind": "pipeline",
             "method": ("BALMS (Balanced Softmax + Meta Sampler, decoupled)", 41.6),
             "source": "jiawei-ren/BalancedMetaSoftmax-Classification README.md"},
            {"dataset": "Places-LT (ResNet-152, ImageNet-pretrained)", "num_classes": 365,
             "imbalance": 996, "profile": "natural",
             "metric": "top-1 accuracy %", "higher_is_better": True,
             "baseline": ("softmax CE", 30.2),
             "kind": "pipeline",
             "method": ("BALMS (Balanced Softmax + Meta Sampler, decoupled)", 38.3),
             "source": "jiawei-ren/BalancedMetaSoftmax-Classification README.md"},
        ],
        "defaults": {
            # Official README snippet balanced_softmax_loss: logits + log(sample_per_class),
            # then F.cross_entropy. No hyperparameter.
            "loss_formula": "CE(logits + log(n_c))",
            # Paper Sec. 4.1 / Table 3 split: Many-shot > 100 images, Medium 20-100,
            # Few-shot < 20 images per class.
            "many_shot_min": 100,
            "few_shot_max": 20,
            # Paper App. C.3 (CIFAR, end-to-end): ResNet-32, Nesterov SGD momentum 0.9,
            # weight decay 5e-4, batch 512, lr warm-up 0.05 -> 0.1 over 800 iterations,
            # cosine schedule, 13K iterations. Same values in the repo's
            # config/CIFAR10_LT/balanced_softmax_imba200.yaml (batch_size 512,
            # num_iterations 13000, warmup_iterations 800, weight_decay 0.0005).
            "batch_size": 512,
            "iterations": 13000,
            "weight_decay": 5e-4,
        },
        "notes": (
            "Balanced Softmax's gain grows with imbalance: CIFAR-10-LT +7.8 points at 200, "
            "+5.7 at 100, +0.9 at 10. Paper Table 3 (BALMS, decoupled) gives 41.8 on "
            "ImageNet-LT (ResNet-10) and 38.7 on Places-LT; those tables take baselines from "
            "other papers and have no plain-softmax row. Table 2 of the paper reproduces "
            "LDAM (no DRW) and CB loss with higher accuracy than their original papers, so "
            "cross-paper comparisons of absolute numbers are not like-for-like."
        ),
    },

    # ------------------------------------------------------------------------------------
    # Kang et al., ICLR 2020. ImageNet-LT numbers: official repo
    # facebookresearch/classifier-balancing README.md, section "Results and Models" ->
    # "ImageNet_LT": the "Classifier learning" table (Joint / NCM / cRT / Tau-normalization /
    # LWS, all ResNeXt50) and the "Representation learning" table (Instance-Balanced /
    # Class-Balanced / Square-Root / Progressively-Balanced, ResNeXt50, joint classifier).
    # Columns Many / Medium / Few / All; "All" is used below. Same values in README versions
    # at commits 22370c64 and f162adef. The paper's own tables were not readable here, so
    # their table numbers are not given. Imbalance 256: ImageNet-LT 1280 / 5 images per class
    # (already cited from Ren et al. 2020, Table 1 in references.py; not re-checked here).
    # ------------------------------------------------------------------------------------
    "kang2020": {
        "citation": (
            "Kang, Xie, Rohrbach, Yan, Gordo, Feng, Kalantidis. Decoupling Representation "
            "and Classifier for Long-Tailed Recognition. ICLR 2020."
        ),
        "url": "https://arxiv.org/abs/1910.09217",
        "results": [
            # --- Decoupled classifiers on an instance-balanced (joint CE) representation ---
            {"dataset": "ImageNet-LT (ResNeXt-50)", "num_classes": 1000, "imbalance": 256,
             "profile": "natural",
             "metric": "top-1 accuracy %", "higher_is_better": True,
             "baseline": ("joint training, instance-balanced sampling, softmax CE", 44.4),
             "kind": "post_hoc",
             "method": ("cRT (classifier re-trained with class-balanced sampling)", 49.6),
             "source": "facebookresearch/classifier-balancing README.md, ImageNet_LT "
                       "'Classifier learning' table (rows Joint, cRT; column All)"},
            {"dataset": "ImageNet-LT (ResNeXt-50)", "num_classes": 1000, "imbalance": 256,
             "profile": "natural",
             "metric": "top-1 accuracy %", "higher_is_better": True,
             "baseline": ("joint training, instance-balanced sampling, softmax CE", 44.4),
             "kind": "post_hoc",
             "method": ("tau-normalised classifier (no retraining)", 49.4),
             "source": "facebookresearch/classifier-balancing README.md, ImageNet_LT "
                       "'Classifier learning' table (rows Joint, Tau-normalization; column All)"},
            # --- Sampling ablation: joint training (representation + classifier) only ---
            {"dataset": "ImageNet-LT (ResNeXt-50)", "num_classes": 1000, "imbalance": 256,
             "profile": "natural",
             "metric": "top-1 accuracy %", "higher_is_better": True,
             "baseline": ("instance-balanced sampling (q=1), joint CE", 44.4),
             "kind": "sampler",
             "method": ("class-balanced sampling (q=0), joint CE", 45.1),
             "source": "facebookresearch/classifier-balancing README.md, ImageNet_LT "
                       "'Representation learning' table (rows Instance-Balanced, "
                       "Class-Balanced; column All)"},
            {"dataset": "ImageNet-LT (ResNeXt-50)", "num_classes": 1000, "imbalance": 256,
             "profile": "natural",
             "metric": "top-1 accuracy %", "higher_is_better": True,
             "baseline": ("instance-balanced sampling (q=1), joint CE", 44.4),
             "kind": "sampler",
             "method": ("square-root sampling (q=1/2), joint CE", 46.8),
             "source": "facebookresearch/classifier-balancing README.md, ImageNet_LT "
                       "'Representation learning' table (rows Instance-Balanced, "
                       "Square-Root; column All)"},
            {"dataset": "ImageNet-LT (ResNeXt-50)", "num_classes": 1000, "imbalance": 256,
             "profile": "natural",
             "metric": "top-1 accuracy %", "higher_is_better": True,
             "baseline": ("instance-balanced sampling (q=1), joint CE", 44.4),
             "kind": "sampler",
             "method": ("progressively-balanced sampling, joint CE", 47.2),
             "source": "facebookresearch/classifier-balancing README.md, ImageNet_LT "
                       "'Representation learning' table (rows Instance-Balanced, "
                       "Progressively-Balanced; column All)"},
        ],
        "defaults": {
            # Class-sampling probability as implemented in the official samplers:
            # data/ClassAwareSampler.py (class-balanced: cycle over classes, then over the
            # images of that class); data/MixedPrioritizedSampler.py with nroot: 2.0
            # (config/ImageNet_LT/feat_squareroot.yaml): per-image weight
            # (n_c/N)**(1/2) * N / n_c, i.e. class mass proportional to sqrt(n_c).
            # The equation itself (and its number in the paper) was not read from the paper.
            "sampling_formula": "p_j = n_j**q / sum_i n_i**q; q=1 instance-, q=0 class-, q=1/2 square-root",
            # data/ClassPrioritySampler.py (config/ImageNet_LT/feat_shift.yaml: cycle 0,
            # lam null, epochs 90, manual_only true): lams = np.linspace(0, 1, epochs);
            # manual_weights = balanced_weights * lam + (1 - lam) * uniform_weights, with
            # uniform = per-class counts and balanced = equal per-class mass, so at epoch
            # t (0-based) p_j = (1 - t/(T-1)) * n_j / N + (t/(T-1)) / C.
            "progressive_formula": "p_j(t) = (1 - t/T) * p_j^IB + (t/T) * p_j^CB (code: lam = linspace(0, 1, T)[t])",
            # README "Representation Learning 1. Instance-balanced Sampling" ->
            # config/ImageNet_LT/feat_uniform.yaml (sampler: null); cls_crt.yaml and
            # cls_lws.yaml load model_dir ./logs/ImageNet_LT/models/resnext50_uniform_e90.
            "representation_sampler": "instance-balanced",
            # feat_uniform.yaml: num_epochs 90, batch_size 512, lr 0.2, momentum 0.9,
            # weight_decay 0.0005, coslr: true (cosine to endlr 0.0).
            "representation_epochs": 90,
            "batch_size": 512,
            "lr": 0.2,
            "weight_decay": 5e-4,
            # config/ImageNet_LT/cls_crt.yaml and config/Places_LT/cls_crt.yaml:
            # num_epochs: 10; feat_model fix: true (frozen backbone); classifier
            # stage1_weights: false (re-initialised); sampler ClassAwareSampler,
            # num_samples_cls: 4.
            "crt_epochs": 10,
            # config/iNaturalist18/cls_crt.yaml: num_epochs: 30 (ResNet-50 backbone).
            "crt_epochs_inaturalist": 30,
            "crt_sampler": "class-balanced (ClassAwareSampler, num_samples_cls=4)",
            # config/ImageNet_LT/cls_lws.yaml: TauNormClassifier.py (learnable per-class
            # scales, fc frozen), num_epochs: 5, ClassAwareSampler.
            "lws_epochs": 5,
            # tau_norm.py: `for p in np.linspace(0,2,21): ws = pnorm(weights, p)` with
            # pnorm dividing each class row by ||w_i||**p, and prints Many/Medium/Few/All
            # for --type train/val/test. No fixed tau is set in any config or script of the
            # repo (no tau = 0.7 found); the user reads off the best p.
            "tau_formula": "w_i / ||w_i||**tau (bias not used in tau_norm.py's forward)",
            "tau_search_grid": (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
                                1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0),
            "tau": None,  # not stated in any stored official source; see notes
            # utils.py shot_acc(..., many_shot_thr=100, low_shot_thr=20): Many > 100
            # training images, Few < 20, Medium otherwise.
            "many_shot_min": 100,
            "few_shot_max": 20,
        },
        "notes": (
            "Decoupling moves accuracy from head to tail: on ImageNet-LT (ResNeXt-50) few-shot "
            "accuracy rises from 7.7 (joint) to 27.4 (cRT) and 30.7 (tau-norm) while many-shot "
            "falls from 65.9 to 61.8 / 59.1 (same README table). Same table: NCM 47.3, LWS 49.9 "
            "(Many/Med/Few 60.2/47.2/30.3). Re-balanced sampling during joint training helps "
            "less (+0.7 to +2.8) than re-balancing only the classifier (+5.0 to +5.5). tau: the "
            "repo sweeps 0-2 in steps of 0.1; no chosen value is stored. Author reply in "
            "facebookresearch/classifier-balancing issue #5: 'We did not learn tau or LWS on "
            "validation set ... For iNaturalist, we directly perform tau-normalization on the "
            "testing set ... For more study on tau, please refer to appendix B.5 in the paper.' "
            "NOT transcribed (paper text unreadable here; only third-party copies were found): "
            "the paper's table numbers, the Places-LT (ResNet-152) and iNaturalist 2018 "
            "(ResNet-50, 90/200 epochs) Joint/cRT/tau-norm/LWS rows, and the paper's own "
            "equation numbers for the sampling formulas."
        ),
    },
    # ------------------------------------------------------------------------------------
    # Gupta, Dollar, Girshick, CVPR 2019 (LVIS). Repeat factor sampling (RFS) as implemented
    # in the official FAIR code facebookresearch/detectron2,
    # detectron2/data/samplers/distributed_sampler.py,
    # RepeatFactorTrainingSampler.repeat_factors_from_category_frequency (commit 084acd0f):
    #
    #     # 1. For each category c, compute the fraction of images that contain it: f(c)
    #     ...
    #     # 2. For each category c, compute the category-level repeat factor:
    #     #    r(c) = max(1, sqrt(t / f(c)))
    #     category_rep = {
    #         cat_id: max(1.0, math.sqrt(repeat_thresh / cat_freq))
    #         for cat_id, cat_freq in category_freq.items()
    #     }
    #     # 3. For each image I, compute the image-level repeat factor:
    #     #    r(I) = max_{c in I} r(c)
    #     ...
    #     rep_factor = max({category_rep[cat_id] for cat_id in cat_ids}, default=1.0)
    #
    # and in _get_epoch_indices: "Since repeat factors are fractional, we use stochastic
    # rounding so that the target repeat factor is achieved in expectation";
    # rep_factors = self._int_part + (rands < self._frac_part).float().
    # The docstring cites ":paper:`lvis` (>= v2) Appendix B.2".
    # ------------------------------------------------------------------------------------
    "gupta2019": {
        "citation": (
            "Gupta, Dollar, Girshick. LVIS: A Dataset for Large Vocabulary Instance "
            "Segmentation. CVPR 2019."
        ),
        "url": "https://arxiv.org/abs/1908.03195",
        # No with/without-RFS pair could be read from the paper or an official repo (see
        # notes), so no result is recorded. advice._evidence handles an empty list.
        "results": [],
        "defaults": {
            # distributed_sampler.py, step 1: "the fraction of images in the training set
            # (without repeats) in which category c appears" (image frequency, not
            # instance frequency).
            "frequency_definition": "f_c = (# training images containing c) / (# training images)",
            "category_repeat_factor": "r_c = max(1, sqrt(t / f_c))",
            "image_repeat_factor": "r(I) = max over categories c in I of r_c (1.0 if I has no annotation)",
            "rounding": "stochastic: floor(r(I)) copies plus one more with probability r(I) - floor(r(I)), redrawn each epoch",
            # configs/LVISv0.5-InstanceSegmentation/mask_rcnn_R_101_FPN_1x.yaml (official
            # repo): SAMPLER_TRAIN: "RepeatFactorTrainingSampler", REPEAT_THRESHOLD: 0.001.
            # The R-50 config with the same two lines was read only in a fork
            # (veesion-io/detectron2).
            "t": 0.001,
            # detectron2/config/defaults.py: _C.DATALOADER.SAMPLER_TRAIN = "TrainingSampler",
            # _C.DATALOADER.REPEAT_THRESHOLD = 0.0 -> RFS is off unless a config turns it on.
            "detectron2_global_default_t": 0.0,
            # Same LVIS v0.5 configs: ROI_HEADS.NUM_CLASSES: 1230.
            "num_classes_lvis_v0_5": 1230,
        },
        "notes": (
            "With t = 0.001 a category seen in a fraction f_c < 0.001 of the images is "
            "over-sampled by sqrt(0.001 / f_c): about 1.4x at f_c = t/2, 2x at t/4, 10x at "
            "t/100. The Detectron2 docstring says 'If the frequency is half of repeat_thresh, "
            "the image will be repeated twice', which matches t/f_c without the square root, "
            "not the code (sqrt(2) = 1.41). detectron2 MODEL_ZOO.md: LVIS v0.5 Mask R-CNN "
            "baselines 'are described in Table 3(c) of the LVIS paper'; with RFS (t = 0.001, "
            "1x = about 24 epochs) R50-FPN gets box AP 23.6 / mask AP 24.4, R101-FPN 25.6 / "
            "25.9, X101-FPN 26.7 / 27.1, and 'The final results of these configs have large "
            "variance across different runs.' No uniform-sampling run is listed, so the RFS "
            "gain over uniform image sampling (AP and AP_r, R-50-FPN, LVIS v0.5 val) and the "
            "paper's table number for it could NOT be verified: the stored copies of arXiv "
            "1908.03195 show only the opening pages. The paper's statement of the default t "
            "and its Appendix B.2 text were likewise not read; t = 0.001 comes from the "
            "official configs."
        ),
    },
    # ------------------------------------------------------------------------------------
    # Ben-Baruch, Ridnik et al., ICCV 2021 (ASL; often cited as "Ridnik et al.": the two are
    # equal-contribution first authors, Ben-Baruch listed first in arXiv 2009.14119v4 and the
    # official README's BibTeX). Everything below was read from the official repository
    # Alibaba-MIIL/ASL:
    #   src/loss_functions/losses.py (commit 0a21a18a), class AsymmetricLoss:
    #       def __init__(self, gamma_neg=4, gamma_pos=1, clip=0.05, eps=1e-8,
    #                    disable_torch_grad_focal_loss=True)
    #       xs_neg = (xs_neg + self.clip).clamp(max=1)          # asymmetric clipping
    #       one_sided_gamma = self.gamma_pos * y + self.gamma_neg * (1 - y)
    #       one_sided_w = torch.pow(1 - pt, one_sided_gamma)   # asymmetric focusing
    #       return -loss.sum()
    #   train.py (commit 8f393d0c), train_multi_label_coco (the MS-COCO training script):
    #       criterion = AsymmetricLoss(gamma_neg=4, gamma_pos=0, clip=0.05,
    #                                  disable_torch_grad_focal_loss=True)
    #       Epochs = 80, Stop_epoch = 40, weight_decay = 1e-4, Adam, OneCycleLR(pct_start=0.2),
    #       ModelEma(model, 0.9997); argparse defaults --lr 1e-4, -b 128, --num-classes 80.
    # No table comparing CE, focal loss and ASL could be read (see notes), so no result is
    # recorded.
    # ------------------------------------------------------------------------------------
    "benbaruch2021": {
        "citation": (
            "Ben-Baruch, Ridnik, Zamir, Noy, Friedman, Protter, Zelnik-Manor. Asymmetric Loss "
            "For Multi-Label Classification. ICCV 2021."
        ),
        "url": "https://arxiv.org/abs/2009.14119",
        "results": [],
        "defaults": {
            # losses.py AsymmetricLoss.forward: p = sigmoid(x); the negative term uses
            # 1 - p_m = min(1 - p + clip, 1), i.e. p_m = max(p - clip, 0), and the focusing
            # weight (1 - p_t)^gamma with p_t = p for a positive, 1 - p_m for a negative.
            "loss_formula": ("-[y (1 - p)^gamma_pos log(p) + (1 - y) p_m^gamma_neg log(1 - p_m)], "
                             "p = sigmoid(x), p_m = max(p - clip, 0), summed over samples and labels"),
            "gamma_neg": 4.0,  # train.py and the losses.py default
            "gamma_pos": 0.0,  # train.py (MS-COCO script); losses.py's class default is 1
            "gamma_pos_class_default": 1.0,  # losses.py AsymmetricLoss(gamma_pos=1)
            "clip": 0.05,  # train.py and the losses.py default (probability margin)
            "eps": 1e-8,  # losses.py: log(x.clamp(min=eps))
            # losses.py: with disable_torch_grad_focal_loss the focusing weight is computed
            # without gradient (torch._C.set_grad_enabled(False)); train.py passes True.
            "focusing_weight_without_grad": True,
            "reduction": "sum",  # losses.py: return -loss.sum()
            # train.py (MS-COCO): Adam, lr 1e-4 (argparse default), weight decay 1e-4 through
            # add_weight_decay (comment there: "true wd, filter_bias_and_bn"), OneCycleLR over
            # 80 epochs with pct_start 0.2, stopped after epoch 40, EMA decay 0.9997, batch 128.
            "lr": 1e-4,
            "weight_decay": 1e-4,
            "onecycle_epochs": 80,
            "stop_epoch": 40,
            "ema_decay": 0.9997,
            "batch_size": 128,
            "num_classes_ms_coco": 80,  # train.py --num-classes default
        },
        "notes": (
            "NOT verified: the paper's comparison of cross-entropy, focal loss and ASL on "
            "MS-COCO (mAP, same backbone). The official README shows its comparisons only as "
            "images (pics/ASL_comparison.png and others), and the stored copies of the paper "
            "(arXiv 2009.14119v4 LaTeX from the SPIQA set, arxiv-vanity, deepai) could be read "
            "only at their opening pages, so no baseline/ASL pair is recorded. The official "
            "MODEL_ZOO.md lists ASL-trained models only, with no baseline: TResNet_L, 448 px, "
            "MS-COCO mAP 86.6; TResNet_XL, 640 px, 88.4. Official issue #30 (Alibaba-MIIL/ASL): "
            "a user reports, in their own training framework with ResNet101, mAP about 82.5 with "
            "cross-entropy (AsymmetricLoss(gamma_neg=0, gamma_pos=0, clip=0)) and about 82.1 with "
            "ASL (gamma_neg=4, gamma_pos=1, clip=0.05), and no gain from focal loss (gamma 2); "
            "the maintainer replied 'We honestly haven't encountered any case where ASL has not "
            "outperformed easily cross entropy' - one user's runs, not the paper's. gamma_pos: "
            "the MS-COCO script uses 0, the loss class defaults to 1."
        ),
    },
    # ------------------------------------------------------------------------------------
    # PyTorch documentation of pos_weight, read from the docstring of BCEWithLogitsLoss in
    # pytorch/pytorch torch/nn/modules/loss.py (commit 60ceafb3; the same text is rendered at
    # the URL below):
    #     ":math:`p_c > 1` increases the recall, :math:`p_c < 1` increases the precision.
    #      For example, if a dataset contains 100 positive and 300 negative examples of a
    #      single class, then `pos_weight` for the class should be equal to
    #      :math:`\frac{300}{100}=3`. The loss would act as if the dataset contains
    #      :math:`3\times 100=300` positive examples."
    # Documentation of an API, not a paper: no measured result exists for it.
    # ------------------------------------------------------------------------------------
    "pytorch_bce_pos_weight": {
        "citation": "PyTorch documentation: torch.nn.BCEWithLogitsLoss, argument pos_weight.",
        "url": "https://pytorch.org/docs/stable/generated/torch.nn.BCEWithLogitsLoss.html",
        "results": [],
        "defaults": {
            "loss_formula": ("l_{n,c} = -w_{n,c} [p_c y_{n,c} log sigmoid(x_{n,c}) "
                             "+ (1 - y_{n,c}) log(1 - sigmoid(x_{n,c}))]"),
            "pos_weight_formula": "p_c = negatives_c / positives_c (docstring example: 300 / 100 = 3)",
            # "The loss would act as if the dataset contains 3 x 100 = 300 positive examples":
            # a weight p_c counts each positive p_c times, as p_c copies of it would.
            "acts_as_copies": True,
            "effect": "p_c > 1 increases the recall, p_c < 1 increases the precision",
        },
        "notes": (
            "No published comparison of BCE with and without pos_weight was found or recorded. "
            "The docstring gives no upper limit for p_c; the cap the multi-label recipe applies "
            "is the project's own choice (imbalcheck.multilabel.recipe)."
        ),
    },
    # ------------------------------------------------------------------------------------
    # Lipton, Elkan, Narayanaswamy 2014 (arXiv 1402.1892). Read: the abstract (ar5iv.labs.
    # arxiv.org/html/1402.1892 and the arXiv v2 PDF text on paperzz.com) and the opening of
    # the introduction. Statements only; no table was read.
    # ------------------------------------------------------------------------------------
    "lipton2014": {
        "citation": (
            "Lipton, Elkan, Narayanaswamy. Thresholding Classifiers to Maximize F1 Score. "
            "arXiv:1402.1892, 2014."
        ),
        "url": "https://arxiv.org/abs/1402.1892",
        "results": [],
        "defaults": {
            # Abstract: "if the classifier outputs are well-calibrated conditional
            # probabilities, then the optimal threshold is half the optimal F1 score."
            "calibrated_optimal_threshold": "F1* / 2 (half the best achievable F1)",
            # Abstract: "if the classifier is completely uninformative, then the optimal
            # behavior is to classify all examples as positive."
            "uninformative_classifier": "predict every example positive",
        },
        "notes": (
            "Abstract: F1 is used when one class is rare; micro, macro and per-instance "
            "averaged F1 are the multi-label variants, and (introduction) the same scores can "
            "give markedly different optimally thresholded predictions depending on the "
            "averaging. Case study: 26,853 labels for Medline documents. The recipe's advice "
            "to tune one threshold per label on validation data follows from macro-F1 being "
            "the mean of the per-label F1s (each label's threshold then maximises its own "
            "term); that step is the project's derivation, not a quoted result. No figure of "
            "the paper's experiments was read."
        ),
    },
}
