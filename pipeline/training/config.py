"""Typed configs of on-chip training: the recipe (``conf/onchip/``) and the learning device
(``conf/onchip_device/``).  Validated on load like every group (one line: file, field, value, allowed).
"""
from __future__ import annotations

import os
from typing import Literal

from ..flow.confschema import Field, Real, fail, group


@group
class OnchipConf:
    """On-chip training recipe (DNN+NeuroSim V2.1 wrapper defaults where it has one).

    * ``wl_*``: WAGE bits (V2.1: weight = grad = cell = 5, activation = error = 8).
    * ``epochs``, ``batch_size``; ``steps_per_epoch`` (0 = the whole training set per epoch).
    * ``grad_scale``: the WAGE learning rate (V2.1 ``grad_scale`` 1), divided by ``lr_decay_factor``
      at each epoch in ``lr_decay_epochs`` (V2.1: 8 at 200 and 250).
    * momentum ``v = momentum_gamma v + momentum_alpha g`` (V2.1 0.9 / 0.1), reset at the start of
      every epoch when ``momentum_reset_each_epoch`` (as V2.1 does).
    * ``trace_every``: trace (and estimate) every N epochs; the last epoch is always traced.
    * ``trace_images`` (K): the activity number is averaged over the first K test images (the
      trace's input bits are those of image 0).  ``average_updates``: the update statistics are
      averaged over all of the epoch's steps instead of the last one.  Defaults 1 / false: one image
      and one step stand for the epoch, exactly what the V2.1 estimate reads, so our estimates are
      comparable with the reference's; raise them for lower-variance statistics.
    * ``image_size``: input size the data are adapted to (16: MNIST area-downsampled, fast).
    * ``width_mult``: network width for on-chip training (null: the ``network`` group's).
    * ``compat``: ``neurosim_v21`` (default) reproduces the V2.1 wrapper's defects (`neurosim_core.quirks`,
      scope "training": its momentum buffer rescaled by QG, its init beyond the weight range, the raw
      first-layer input, ``weightOld = param + grad``, floored NL labels, per-batch test loss);
      ``corrected``: none of them (this narrow default network then wants ``grad_scale`` 0.25).
    """

    wl_weight: int = Field(5, ge=2, le=15)
    wl_grad: int = Field(5, ge=2, le=15)
    wl_activate: int = Field(8, ge=2, le=15)
    wl_error: int = Field(8, ge=2, le=15)
    epochs: int = Field(4, ge=1, le=100_000)
    batch_size: int = Field(200, ge=1, le=65536)
    steps_per_epoch: int = Field(0, ge=0, le=100_000_000)  # 0: the whole training set
    grad_scale: Real = Field(1.0, gt=0, le=1e3)
    lr_decay_epochs: tuple[int, ...] = (200, 250)  # epochs >= 0
    lr_decay_factor: Real = Field(8.0, gt=0, le=1e3)
    momentum_gamma: Real = Field(0.9, ge=0, le=1)
    momentum_alpha: Real = Field(0.1, ge=0, le=1)
    momentum_reset_each_epoch: bool = True
    seed: int = Field(0, ge=0, le=2**32 - 1)
    device: Literal["auto", "cpu", "cuda"] = "auto"
    threads: int = Field(1, ge=1, le=256)
    image_size: int = Field(16, ge=8, le=512)  # a multiple of 8
    width_mult: Real | None = Field(0.125, gt=0, le=4)  # null: the network group's
    eval_batch_size: int = Field(500, ge=1, le=65536)
    trace_every: int = Field(1, ge=1, le=100_000)
    trace_images: int = Field(1, ge=1, le=10_000)
    average_updates: bool = False
    compat: Literal["neurosim_v21", "corrected"] = "neurosim_v21"  # on-chip training: V2.1 or no quirks

    def validate(self, where) -> None:
        if not all(e >= 0 for e in self.lr_decay_epochs):
            fail(where, "onchip.lr_decay_epochs", list(self.lr_decay_epochs), "a list of epoch numbers >= 0")
        if self.image_size % 8:
            fail(where, "onchip.image_size", self.image_size, "a multiple of 8, >= 8")
        if self.device == "cuda" and os.environ.get("NEUROSIM_FLOW_REMOTE_GPU") != "1":
            import torch  # only for this check: composing stays light otherwise

            if not torch.cuda.is_available():   # refused when composed, not when the first epoch job starts
                fail(where, "onchip.device", self.device,
                     "auto, cpu (no CUDA GPU on this machine; on a cluster whose GPU node trains: "
                     "NEUROSIM_FLOW_REMOTE_GPU=1 with --config train_gpu=true)")

    def traced_epochs(self) -> list[int]:
        """0-based epochs whose end is traced and estimated: every ``trace_every``-th and the last."""
        eps = [e for e in range(self.epochs) if (e + 1) % self.trace_every == 0]
        if self.epochs - 1 not in eps:
            eps.append(self.epochs - 1)
        return eps


@group
class OnchipDeviceConf:
    """Learning-device parameters (weight-update behaviour; the hardware cost of the cell comes from
    the ``device`` group).  ``nonlinearity_*``: NeuroSim's non-linearity label, 0 = linear, the sign is
    the curvature direction (|label| <= 9); ``max_level``: conductance states (pulses from G_min to
    G_max); ``c2c_sigma``: cycle-to-cycle variation (N(0, 2 c2c) on every updated weight, as V2.1);
    ``d2d_sigma``: device-to-device spread of the label; ``continuous_pulses``: do not round the pulse
    number (an ideal analog device)."""

    name: str = "fefet"
    nonlinearity_ltp: Real = Field(1.75, ge=-9, le=9)  # 0: linear; the sign is the curvature
    nonlinearity_ltd: Real = Field(1.46, ge=-9, le=9)
    max_level: int = Field(32, ge=2, le=65536)
    c2c_sigma: Real = Field(0.003, ge=0, le=1)
    d2d_sigma: Real = Field(0.0, ge=0, le=1)
    continuous_pulses: bool = False

    def validate(self, where) -> None:
        pass

    def params(self):
        from .device import DeviceParams

        return DeviceParams(nonlinearity_ltp=float(self.nonlinearity_ltp), nonlinearity_ltd=float(self.nonlinearity_ltd),
                            max_level=int(self.max_level), c2c_sigma=float(self.c2c_sigma),
                            d2d_sigma=float(self.d2d_sigma), continuous_pulses=self.continuous_pulses)


__all__ = ["OnchipConf", "OnchipDeviceConf"]
