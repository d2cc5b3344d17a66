"""PyTorch data sets read from their attributes (``.targets``, ``.samples``, ``.classes``, ``Subset``),
never by loading a sample: every ``__getitem__`` here raises."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
from torch.utils.data import Dataset, Subset, TensorDataset  # noqa: E402

import imbalcheck  # noqa: E402
from imbalcheck.errors import InputError  # noqa: E402


class Untouchable(Dataset):
    def __len__(self):
        return 10**6

    def __getitem__(self, i):
        raise AssertionError("a sample was loaded")


class CifarLike(Untouchable):
    """As torchvision.datasets.CIFAR10: ``targets`` a list of class indices, ``classes`` their names."""

    classes = ["airplane", "automobile", "bird", "cat"]

    def __init__(self, targets):
        self.targets = targets


class FolderLike(Untouchable):
    """As torchvision.datasets.ImageFolder / DatasetFolder: ``samples`` of (path, class_index)."""

    classes = ["cat", "dog"]

    def __init__(self, samples):
        self.samples = samples


def counts(p):
    return dict(zip(p.labels.tolist(), p.counts.tolist()))


def test_targets_are_named_by_classes():
    p = imbalcheck.profile(CifarLike([0] * 50 + [1] * 20 + [2] * 5 + [3]), batch_size=8)
    assert counts(p) == {"airplane": 50, "automobile": 20, "bird": 5, "cat": 1}


def test_targets_as_a_tensor_and_missing_classes_warned():
    with pytest.warns(imbalcheck.ImbalcheckWarning, match="1 of its 4 classes has no sample"):
        p = imbalcheck.profile(CifarLike(torch.tensor([0, 0, 1, 2, 2, 2])), batch_size=2)
    assert counts(p) == {"bird": 3, "airplane": 2, "automobile": 1} and p.classes_without_samples == ("cat",)


def test_samples_of_a_folder_data_set():
    p = imbalcheck.profile(FolderLike([("a.jpg", 0)] * 7 + [("b.jpg", 1)] * 3), batch_size=2)
    assert counts(p) == {"cat": 7, "dog": 3}


def test_a_subset_has_its_own_counts_nested_too():
    ds = CifarLike([0] * 50 + [1] * 20 + [2] * 5 + [3])
    sub = Subset(ds, list(range(45, 76)))  # 5 airplane, 20 automobile, 5 bird, 1 cat
    assert counts(imbalcheck.profile(sub, batch_size=4)) == {"automobile": 20, "airplane": 5, "bird": 5, "cat": 1}
    inner = Subset(sub, torch.arange(0, 10))  # 5 airplane, 5 automobile
    p = imbalcheck.profile(inner, batch_size=4)
    assert counts(p) == {"airplane": 5, "automobile": 5} and p.classes_without_samples == ("bird", "cat")


def test_a_data_set_without_label_attributes_is_refused_without_iterating():
    ds = TensorDataset(torch.zeros(3, 2), torch.tensor([0, 1, 1]))
    with pytest.raises(InputError, match=r"pass its labels, e\.g\. imbalcheck\.profile\(\[y for _, y in ds\]\)"):
        imbalcheck.profile(ds)
    with pytest.raises(InputError, match="without loading every sample"):
        imbalcheck.profile(Untouchable())


def test_a_target_outside_the_classes_is_an_error():
    with pytest.raises(InputError, match="outside 0..3"):
        imbalcheck.profile(CifarLike([0, 7]))
