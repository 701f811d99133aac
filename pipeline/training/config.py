"""Typed configs of on-chip training: the recipe (``conf/onchip/``) and the learning device
(``conf/onchip_device/``).  Validated on load like every group (one line: file, field, value, allowed).
"""
from __future__ import annotations

from dataclasses import dataclass, field


def _fail(where: str, name: str, value, allowed: str) -> None:
    from ..config import PipelineConfigError  # late: pipeline.config imports this module

    raise PipelineConfigError(f"{where}: field '{name}' = {value!r} is not allowed; allowed: {allowed}")


def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


@dataclass(frozen=True)
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
    """

    wl_weight: int = 5
    wl_grad: int = 5
    wl_activate: int = 8
    wl_error: int = 8
    epochs: int = 4
    batch_size: int = 200
    steps_per_epoch: int = 0
    grad_scale: float = 1.0
    lr_decay_epochs: tuple = (200, 250)
    lr_decay_factor: float = 8.0
    momentum_gamma: float = 0.9
    momentum_alpha: float = 0.1
    momentum_reset_each_epoch: bool = True
    seed: int = 0
    device: str = "auto"
    threads: int = 1
    image_size: int = 16
    width_mult: float | None = 0.125
    eval_batch_size: int = 500
    trace_every: int = 1
    trace_images: int = 1
    average_updates: bool = False

    def __post_init__(self):
        object.__setattr__(self, "lr_decay_epochs", tuple(self.lr_decay_epochs))

    def validate(self, where: str) -> None:
        for name in ("wl_weight", "wl_grad", "wl_activate", "wl_error"):
            v = getattr(self, name)
            if not (_int(v) and 2 <= v <= 15):
                _fail(where, name, v, "integers 2..15")
        for name in ("epochs", "batch_size", "threads", "eval_batch_size", "trace_every", "trace_images"):
            v = getattr(self, name)
            if not (_int(v) and v >= 1):
                _fail(where, name, v, "a positive integer")
        if not (_int(self.steps_per_epoch) and self.steps_per_epoch >= 0):
            _fail(where, "steps_per_epoch", self.steps_per_epoch, "0 (whole training set) or a positive integer")
        for name in ("grad_scale", "lr_decay_factor"):
            v = getattr(self, name)
            if not (_num(v) and v > 0):
                _fail(where, name, v, "a number > 0")
        for name in ("momentum_gamma", "momentum_alpha"):
            v = getattr(self, name)
            if not (_num(v) and 0 <= v <= 1):
                _fail(where, name, v, "a number in [0, 1]")
        if not all(_int(e) and e >= 0 for e in self.lr_decay_epochs):
            _fail(where, "lr_decay_epochs", list(self.lr_decay_epochs), "a list of epoch numbers >= 0")
        if self.device not in ("auto", "cpu", "cuda"):
            _fail(where, "device", self.device, "auto, cpu, cuda")
        if not (_int(self.image_size) and self.image_size >= 8 and self.image_size % 8 == 0):
            _fail(where, "image_size", self.image_size, "a multiple of 8, >= 8")
        if self.width_mult is not None and not (_num(self.width_mult) and 0 < self.width_mult <= 4):
            _fail(where, "width_mult", self.width_mult, "null or a number in (0, 4]")
        if not (_int(self.seed) and self.seed >= 0):
            _fail(where, "seed", self.seed, "an integer >= 0")

    def traced_epochs(self) -> list[int]:
        """0-based epochs whose end is traced and estimated: every ``trace_every``-th and the last."""
        eps = [e for e in range(self.epochs) if (e + 1) % self.trace_every == 0]
        if self.epochs - 1 not in eps:
            eps.append(self.epochs - 1)
        return eps


@dataclass(frozen=True)
class OnchipDeviceConf:
    """Learning-device parameters (weight-update behaviour; the hardware cost of the cell comes from
    the ``device`` group).  ``nonlinearity_*``: NeuroSim's non-linearity label, 0 = linear, the sign is
    the curvature direction (|label| <= 9); ``max_level``: conductance states (pulses from G_min to
    G_max); ``c2c_sigma``: cycle-to-cycle variation (N(0, 2 c2c) on every updated weight, as V2.1);
    ``d2d_sigma``: device-to-device spread of the label; ``continuous_pulses``: do not round the pulse
    number (an ideal analog device)."""

    name: str = "fefet"
    nonlinearity_ltp: float = 1.75
    nonlinearity_ltd: float = 1.46
    max_level: int = 32
    c2c_sigma: float = 0.003
    d2d_sigma: float = 0.0
    continuous_pulses: bool = False

    def validate(self, where: str) -> None:
        for name in ("nonlinearity_ltp", "nonlinearity_ltd"):
            v = getattr(self, name)
            if not (_num(v) and abs(v) <= 9):
                _fail(where, name, v, "a number in [-9, 9] (0: linear; the sign is the curvature)")
        if not (_int(self.max_level) and self.max_level >= 2):
            _fail(where, "max_level", self.max_level, "an integer >= 2")
        for name in ("c2c_sigma", "d2d_sigma"):
            v = getattr(self, name)
            if not (_num(v) and 0 <= v <= 1):
                _fail(where, name, v, "a number in [0, 1]")
        if not isinstance(self.continuous_pulses, bool):
            _fail(where, "continuous_pulses", self.continuous_pulses, "true, false")

    def params(self):
        from .device import DeviceParams

        return DeviceParams(nonlinearity_ltp=float(self.nonlinearity_ltp), nonlinearity_ltd=float(self.nonlinearity_ltd),
                            max_level=int(self.max_level), c2c_sigma=float(self.c2c_sigma),
                            d2d_sigma=float(self.d2d_sigma), continuous_pulses=self.continuous_pulses)


__all__ = ["OnchipConf", "OnchipDeviceConf"]
