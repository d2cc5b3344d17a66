"""Every default of the analysis, the JSON contract and the losses, in one place.

The API's keyword arguments, the CLI's options, the analysis and the loss library all
read their defaults from here; nothing else spells these numbers.
"""

from __future__ import annotations

#: Version of every JSON document (profile, check, diff, recommend, weights, probe).
SCHEMA_VERSION = 1

BATCH_SIZE = 128
#: top-k shares always reported; ``top_k`` adds to these.
TOP_K = (1, 5, 10)
#: train / val / test fractions of the stratified-split check.
SPLIT = (0.8, 0.1, 0.1)
#: k of the stratified k-fold check.
FOLDS = 5
#: random_state values the scikit-learn split is replayed for.
SEEDS = (0, 1, 2, 3, 4)
#: beta of the effective-number weights (Cui et al. 2019 use 0.9 to 0.9999).
BETA = 0.9999
#: beta for many classes at low imbalance (Cui et al.'s best for CIFAR-100-LT).
BETA_MANY_CLASSES = 0.999

#: Above this many classes the CLI's JSON lists the largest and smallest classes only.
JSON_MAX_CLASSES = 100_000
#: Class-table rows shown (head and tail) in the rich and markdown reports.
MAX_ROWS = 20

#: Separator of a delimited multi-label cell.
MULTI_LABEL_SEP = "|"
#: What COCO and YOLO count per class by default ("instances" or "images").
VISION_COUNT = "instances"
#: The data-set layouts (``--layout``) and how messages name an input of each.
LAYOUTS = ("imagefolder", "coco", "yolo", "masks")
LAYOUT_NAMES = {"imagefolder": "an ImageFolder data set", "coco": "a COCO annotations file", "yolo": "a YOLO data set",
                "masks": "a folder of segmentation masks"}

# -- losses (each from the paper's reference implementation) ------------------------------------

#: Lin et al. 2017, focal loss: gamma = 2 (RetinaNet's best).
FOCAL_GAMMA = 2.0
#: Cui et al. 2019, class-balanced focal loss: gamma = 1 (best on CIFAR-10-LT at ratio 100).
CB_FOCAL_GAMMA = 1.0
#: Cao et al. 2019 (kaidic/LDAM-DRW, cifar_train.py): max margin 0.5 and scale s = 30.
LDAM_MAX_MARGIN = 0.5
LDAM_SCALE = 30.0
#: Cao et al. 2019: deferred re-weighting from epoch 160 of 200.
DRW_START_FRACTION = 160 / 200
#: Menon et al. 2021: tau = 1 makes the logit-adjusted loss Fisher-consistent for the balanced error.
LOGIT_ADJUSTMENT_TAU = 1.0
