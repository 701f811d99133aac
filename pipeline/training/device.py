"""Synaptic-device weight-update model for on-chip training (DNN+NeuroSim V2.1 semantics).

Device curve (Chen, Peng, Yu, "NeuroSim: A Circuit-Level Macro Model for Benchmarking
Neuro-Inspired Architectures in Online Learning", TCAD 2018, Sec. II; the V2.1 wrapper maps it
onto the weight range [-1, 1]): after ``P`` identical pulses (``0 <= P <= max_level``)

    w(P) = B (1 - exp(-P / A)) - 1,        B = 2 / (1 - exp(-max_level / A)),

so that ``w(0) = -1`` and ``w(max_level) = 1``.  ``A > 0`` gives a concave curve (large steps at
low ``w``), ``A < 0`` a convex one; ``|A| -> inf`` is the linear device ``w = 2 P / max_level - 1``.

Non-linearity label -> A.  NeuroSim labels a curve by a non-linearity number ``NL`` and tabulates
the normalised ``A / max_level`` per label (``Nonlinearity-NormA.htm``).  We do not copy that
table: we found the normalisation it encodes and invert it numerically.  On the normalised curve
``G(x) = (1 - exp(-x/a)) / (1 - exp(-1/a))`` (x, G in [0, 1], ``a = A / max_level``) the largest
vertical distance to the straight line is, in closed form (the maximum is where ``G'(x) = 1``):

    D(a) = max_x (G(x) - x) = b - a - a ln(b / a),      b = 1 / (1 - exp(-1/a)),

and the label is ``NL = D(a) / (0.07 sqrt 2)``: the largest perpendicular distance of the curve
from the diagonal, in units of 0.07 of the normalised range.  This reproduces the published table
to its printed precision at every entry checked (tests/training/test_device.py: NL 0.01 -> 126.269,
1.0 -> 1.25165, 1.75, 4.51, 7.51, 9.0 -> 0.02281).  ``A(NL)`` is obtained by bisection on ``D``
(monotone), tabulated once on a fine grid of ``NL`` and interpolated.  The sign of ``NL`` is the
sign of ``A`` (curvature direction).  ``|NL| = 0`` is the linear device.

Update rule (V2.1 wrapper, ``QG`` + ``W``; semantics documented in
``shared/reference/neurosim_v21/README.md``, "Python-side training non-idealities"):

1. ``x = lr * v / 2^round(log2 max|v|)`` (``v``: the momentum of the gradient);
2. ``n = round(x / 2 * max_level)`` pulses; ``n < 0`` (weight increases) is potentiation (LTP,
   ``A_LTP``), otherwise depression (LTD, ``A_LTD``);
3. the device's pulse position ``P`` of the current weight is found with the inverse curve, moved
   by ``-n`` and mapped back: ``w' = C(w(P - n))`` (clipped to +-(1 - 2^(1-wl_weight)));
4. the change ``w - w'`` is stochastically rounded to an integer and divided by 2^(wl_grad-1):
   each step moves a weight by a whole number of weight LSBs, with a probability that follows the
   device's (non-linear) response;
5. after the optimiser step, every weight that was updated gets cycle-to-cycle noise
   ``N(0, 2 c2c)`` and the weights are clipped to the WAGE range.

Device-to-device variation draws one ``N(0, d2d)`` per device (weight) and adds it to both ``NL_LTP``
and ``NL_LTD`` (as V2.1 does); ``|NL|`` is then limited to the tabulated range 0..9.  V2.1 looks the
label up in its 900-entry table at index ``int(|NL| 100) - 1`` clamped to 0..899: the label is floored
to the 0.01 grid and a non-zero label below 0.01 (a d2d draw near zero) reads the 0.01 entry, never the
linear device; `v21_table_label` gives that label (quirk ``v21_nl_label_floored``, applied by the caller).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

#: the label unit: NL = 1 is a perpendicular distance of 0.07 (normalised) from the diagonal
NL_UNIT = 0.07 * math.sqrt(2.0)
#: largest |NL| the label table covers (the reference's table stops at 9.00)
NL_MAX = 9.0


def max_deviation(a_norm) -> np.ndarray:
    """``D(a)``: the largest ``G(x) - x`` of the normalised curve with parameter ``a > 0``."""
    a = np.asarray(a_norm, dtype=np.float64)
    b = 1.0 / (-np.expm1(-1.0 / a))
    bm = b - a                                   # b - a in (0, 1): computed without cancellation of b
    return bm - a * np.log1p(bm / a)


def nonlinearity_from_a(a_norm) -> np.ndarray:
    """Label ``NL`` of the curve with normalised ``a = A / max_level`` (sign kept; inf -> 0)."""
    a = np.asarray(a_norm, dtype=np.float64)
    out = np.zeros_like(a)
    finite = np.isfinite(a) & (a != 0)
    out[finite] = np.sign(a[finite]) * max_deviation(np.abs(a[finite])) / NL_UNIT
    return out


def _solve_a(nl: np.ndarray) -> np.ndarray:
    """Bisection in log(a) for ``D(a) = nl * NL_UNIT`` (nl > 0), vectorised."""
    target = nl * NL_UNIT
    lo = np.full_like(nl, math.log(1e-4))        # D(1e-4) ~ 0.999 (NL ~ 10.1)
    hi = np.full_like(nl, math.log(1e6))         # D(1e6) ~ 1.25e-7 (NL ~ 1e-6)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        too_curved = max_deviation(np.exp(mid)) > target   # D decreases with a
        lo = np.where(too_curved, mid, lo)
        hi = np.where(too_curved, hi, mid)
    return np.exp(0.5 * (lo + hi))


@lru_cache(maxsize=1)
def _table() -> tuple[np.ndarray, np.ndarray]:
    """Our own NL -> 1/a table: NL 0..9 in steps of 1e-3, 1/a interpolates smoothly (0 at NL 0)."""
    nl = np.linspace(0.0, NL_MAX, 9001)
    inv_a = np.zeros_like(nl)
    inv_a[1:] = 1.0 / _solve_a(nl[1:])
    return nl, inv_a


def a_norm_from_nonlinearity(nl) -> np.ndarray:
    """Normalised ``a = A / max_level`` for label(s) ``nl`` (sign kept; ``inf`` for ``nl == 0``).

    Exact (bisection) for scalars; arrays are interpolated in ``1/a`` on a 1e-3 grid of ``NL``
    (relative error < 1e-6 over 0.01..9)."""
    nl = np.asarray(nl, dtype=np.float64)
    mag = np.minimum(np.abs(nl), NL_MAX)
    if nl.ndim == 0:
        if mag == 0:
            return np.asarray(np.inf)
        return np.asarray(math.copysign(float(_solve_a(np.array([float(mag)]))[0]), float(nl)))
    grid, inv_a = _table()
    inv = np.interp(mag, grid, inv_a)
    with np.errstate(divide="ignore"):
        a = np.where(inv > 0, 1.0 / np.where(inv > 0, inv, 1.0), np.inf)
    return np.where(nl < 0, -a, a)


# ------------------------------------------------------------------------------------------------
# the update rule (torch)
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DeviceParams:
    """Learning-device parameters (see `pipeline.training.config.OnchipDeviceConf`)."""

    nonlinearity_ltp: float = 1.75
    nonlinearity_ltd: float = 1.46
    max_level: int = 32
    c2c_sigma: float = 0.003
    d2d_sigma: float = 0.0
    continuous_pulses: bool = False    # True: no rounding of the pulse number (ideal analog device)


def v21_table_label(nl) -> np.ndarray:
    """The label V2.1's table lookup actually uses: ``sign(NL) * clip(floor(|NL| 100), 1, 900) / 100``
    (``GetParamA``: index ``int(|NL| 100) - 1`` clamped to 0..899).  A label of exactly 0 stays 0 (the
    linear device; V2.1 itself would compute ``A = 0`` and divide by it)."""
    nl = np.asarray(nl, dtype=np.float64)
    mag = np.clip(np.floor(np.abs(nl) * 100.0), 1.0, 100.0 * NL_MAX) / 100.0
    return np.where(nl == 0, 0.0, np.sign(nl) * mag)


def device_a(shape, nl: float, d2d: torch.Tensor | None, max_level: int, device, dtype,
             table_labels: bool = False) -> torch.Tensor:
    """Per-device ``A`` (in pulses) for label ``nl`` plus the per-device d2d draw (or a scalar);
    ``table_labels``: the labels as V2.1's table lookup reads them (`v21_table_label`)."""
    label = v21_table_label if table_labels else (lambda v: v)
    if d2d is None:
        a = float(a_norm_from_nonlinearity(float(label(nl)))) * max_level
        return torch.full(shape, a, device=device, dtype=dtype)
    labels = label(d2d.detach().cpu().double().numpy() + nl)
    a = a_norm_from_nonlinearity(labels) * max_level
    return torch.from_numpy(a).to(device=device, dtype=dtype)


def _curve(p: torch.Tensor, a: torch.Tensor, max_level: int) -> torch.Tensor:
    """w(P) (linear where ``a`` is infinite)."""
    lin = ~torch.isfinite(a)
    a_s = torch.where(lin, torch.ones_like(a), a)
    b = 2.0 / (-torch.expm1(-max_level / a_s))
    nonlin = b * (-torch.expm1(-p / a_s)) - 1.0
    return torch.where(lin, 2.0 * p / max_level - 1.0, nonlin)


def _inverse(w: torch.Tensor, a: torch.Tensor, max_level: int) -> torch.Tensor:
    """P(w), the inverse of `_curve`."""
    lin = ~torch.isfinite(a)
    a_s = torch.where(lin, torch.ones_like(a), a)
    b = 2.0 / (-torch.expm1(-max_level / a_s))
    nonlin = -a_s * torch.log1p(-(w + 1.0) / b)
    return torch.where(lin, (w + 1.0) * max_level / 2.0, nonlin)


def device_target(w: torch.Tensor, x: torch.Tensor, a_ltp: torch.Tensor, a_ltd: torch.Tensor, max_level: int,
                  wl_weight: int, continuous_pulses: bool = False) -> torch.Tensor:
    """Steps 2-3: the weight the device reaches from ``w`` for the normalised gradient ``x``
    (``n`` pulses, ``x > 0`` decreases the weight), clipped to the WAGE range.

    A weight outside the device's range [-1, 1] (only V2.1's initial weights, up to +-1.5, quirk
    ``v21_init_beyond_weight_range``, before their first update) is taken at the nearest rail: V2.1
    extrapolates its inverse curve there, which is NaN wherever ``w + 1 > B`` (e.g. the RRAM labels
    4.22 / -4.22 at w > 1.04) and turns the whole network into NaN at the first step."""
    n = x * (max_level / 2.0)
    if not continuous_pulses:
        n = torch.round(n)
    a = torch.where(n < 0, a_ltp, a_ltd)
    w_new = _curve(_inverse(w.clamp(-1.0, 1.0), a, max_level) - n, a, max_level)
    lim = 1.0 - 2.0 ** (1 - wl_weight)
    return w_new.clamp(-lim, lim)


def device_update(w: torch.Tensor, x: torch.Tensor, a_ltp: torch.Tensor, a_ltd: torch.Tensor, max_level: int,
                  wl_weight: int, wl_grad: int, generator: torch.Generator | None = None,
                  continuous_pulses: bool = False) -> torch.Tensor:
    """Steps 2-4: the quantised update ``d`` (the optimiser does ``w -= d``), a multiple of
    ``2^(1-wl_grad)``; ``|d|`` is one LSB with a probability equal to the device's response."""
    dw = w - device_target(w, x, a_ltp, a_ltd, max_level, wl_weight, continuous_pulses)
    r = torch.rand(dw.shape, generator=generator, device=dw.device, dtype=dw.dtype)
    return dw.add_(r).floor_().mul_(2.0 ** (1 - wl_grad))


def apply_update_(w: torch.Tensor, d: torch.Tensor, c2c_sigma: float, wl_weight: int,
                  generator: torch.Generator | None = None) -> None:
    """Step 5, in place: ``w -= d``; cycle-to-cycle noise ``N(0, 2 c2c)`` on every weight with
    ``d != 0`` (only there); clip to +-(1 - 2^(1-wl_weight))."""
    w.sub_(d)
    if c2c_sigma > 0:
        noise = torch.randn(w.shape, generator=generator, device=w.device, dtype=w.dtype)
        w.add_(noise.mul_(2.0 * c2c_sigma) * (d != 0))
    lim = 1.0 - 2.0 ** (1 - wl_weight)
    w.clamp_(-lim, lim)


__all__ = ["NL_UNIT", "NL_MAX", "max_deviation", "nonlinearity_from_a", "a_norm_from_nonlinearity", "DeviceParams",
           "v21_table_label", "device_a", "device_target", "device_update", "apply_update_"]
