"""Column A/D conversion: the shared power-fit kernel and the SAR ADC builder.

Every built-in ADC prices a conversion from per-node fits of Cadence simulations against the
column resistance (DNN+NeuroSim V1.4 manual, "ADC"; Peng et al., IEDM 2019): a piecewise
log / linear / power-law fit of power vs R, over the conversion time.  The fits take R at a
nominal 0.5 V read voltage, so a column resistance is first scaled by ``0.5 / V_read``; an open
column (no activated cell, R = inf) is charged the model's fixed 1 uW.  `conversion_energy` is
that rule for one column, compiled (Numba), and `_column_energy_sum_kernel` sums it over the
columns of every input vector; the eNVM fast path (`neurosim_core.kernels`) fuses it with the
column sums.  A builder hands the kernel its fit as `EnergyKernelArgs` (`ComponentModel.compiled`).

* `sar_adc` (here): successive-approximation ADC, a builder of the subarray's ``adc`` role;
* the multilevel sense amp (flash-like ADC) and its encoder: `circuits.mlsa`, seated in the ``adc``
  role by `circuits.mlsa_role.mlsa_adc_builder`;
* the single-reference sense amps, read circuit and comparator: `circuits.sensing`.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from .. import formula
from ..arch import ActionCost, ComponentModel
from ..constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE
from .env import AdcSpec, CircuitEnv

__all__ = ["sar_adc", "conversion_energy", "EnergyKernelArgs", "Segment", "PiecewiseFit", "PowerLawFit",
           "SarPowerFit"]

_OPEN_COLUMN_POWER = 1e-6  # W, the model's power of a column with no current path
_CADENCE_READ_VOLTAGE = 0.5  # V, read voltage of the Cadence simulations behind the fits


class Segment(NamedTuple):
    """One piece of a fit: ``log`` a ln(x) + b, ``lin`` a x + b, ``pow`` c + a exp(b log10(x)), ``zero``."""

    kind: str
    a: float
    b: float
    c: float = 0.0


# ------------------------------------------------------------------------------------------
# piecewise fits: `Segment`s selected by breakpoints (segment i covers breaks[i-1] <= R < breaks[i])
# ------------------------------------------------------------------------------------------
def _piecewise(r: np.ndarray, breaks: tuple, segments: tuple) -> np.ndarray:
    index = np.searchsorted(np.asarray(breaks, dtype=float), r, side="right")
    out = np.zeros_like(r)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i, seg in enumerate(segments):
            sel = index == i
            if np.any(sel):
                x = r[sel]
                out[sel] = seg.a * np.log(x) + seg.b if seg.kind == "log" else seg.a * x + seg.b
    return out


_KIND = {"log": 0, "lin": 1, "pow": 2, "zero": 3}


@njit(cache=True)
def conversion_energy(resistance, x_scale, breaks, kinds, ca, cb, cc, mult, temp_factor, open_power, add, time, clip):
    """Energy (J) of one conversion of a column of resistance ``resistance`` (ohm).

    x = R * x_scale; power = 0 if x == 0, ``open_power`` if x is infinite, else ``mult`` x the fit
    segment selected by ``breaks`` (as `_piecewise`): log ``ca*ln(x)+cb``, lin ``ca*x+cb``, pow
    ``cc+ca*exp(cb*log10(x))`` or zero; energy = (power * temp_factor + add) * time, clipped at 0
    when ``clip``.  The arguments after ``resistance`` are an `EnergyKernelArgs`.
    """
    x = resistance * x_scale
    if np.isinf(x):
        power = open_power
    elif x == 0.0:
        power = 0.0
    else:
        i = 0
        while i < breaks.shape[0] and breaks[i] <= x:
            i += 1
        kind = kinds[i]
        if kind == 0:
            value = ca[i] * np.log(x) + cb[i]
        elif kind == 1:
            value = ca[i] * x + cb[i]
        elif kind == 2:
            value = cc[i] + ca[i] * np.exp(cb[i] * np.log10(x))
        else:
            value = 0.0
        power = value * mult
    energy = (power * temp_factor + add) * time
    if clip and energy < 0.0:
        energy = 0.0
    return energy


@njit(cache=True)
def _column_energy_sum_kernel(resistance, x_scale, breaks, kinds, ca, cb, cc, mult, temp_factor, open_power,
                              add, time, clip):
    """(n_vectors,) sum over the columns of `conversion_energy` for a (n_vectors, n_columns) array."""
    n_vectors, n_cols = resistance.shape
    out = np.zeros(n_vectors, dtype=np.float64)
    for k in range(n_vectors):
        total = 0.0
        for j in range(n_cols):
            total += conversion_energy(resistance[k, j], x_scale, breaks, kinds, ca, cb, cc, mult, temp_factor,
                                   open_power, add, time, clip)
        out[k] = total
    return out


def _fit_arrays(breaks, segments):
    """Piecewise fit (breaks, segments: `Segment`s or (kind, a, b[, c]) tuples) as the kernel's arrays."""
    kinds = np.array([_KIND[seg[0]] for seg in segments], dtype=np.int64)
    ca = np.array([seg[1] for seg in segments], dtype=np.float64)
    cb = np.array([seg[2] for seg in segments], dtype=np.float64)
    cc = np.array([seg[3] if len(seg) > 3 else 0.0 for seg in segments], dtype=np.float64)
    return np.asarray(breaks, dtype=np.float64), kinds, ca, cb, cc



class EnergyKernelArgs(NamedTuple):
    """The arguments of `conversion_energy` after the column resistance (one ADC's compiled fit)."""

    x_scale: float  # 0.5 V / read voltage
    breaks: np.ndarray
    kinds: np.ndarray
    ca: np.ndarray
    cb: np.ndarray
    cc: np.ndarray
    mult: float  # fit multiplier (sense amps per column)
    temp_factor: float
    open_power: float  # W of an open column
    add: float  # W added to every column (shared reference columns)
    time: float  # s of one conversion
    clip: bool  # energy clipped at 0


def kernel_args(fit: "PiecewiseFit", *, x_scale: float, mult: float, temperature_k: float, add: float, time: float,
                clip: bool) -> EnergyKernelArgs:
    return EnergyKernelArgs(x_scale, *_fit_arrays(*fit), mult, temperature_factor(temperature_k), _OPEN_COLUMN_POWER,
                            add, time, clip)


def temperature_factor(temperature_k: float) -> float:
    """The power fits grow 0.13 % per kelvin above 300 K."""
    return 1 + 1.3e-3 * (temperature_k - 300)


def _hp_key(table: dict, node: int) -> int:
    """HP tables stop at 7 nm: smaller nodes use the 7 nm placeholder entry."""
    return node if node in table else 7


def column_energy_action(args: EnergyKernelArgs):
    """The dynamic action ``column_energy(column_resistance)`` of a compiled fit: (n_vectors,) J."""
    def column_energy(*, column_resistance) -> ActionCost:
        r = np.ascontiguousarray(np.atleast_2d(column_resistance), dtype=float)
        return ActionCost(energy_j=_column_energy_sum_kernel(r, *args))
    return column_energy



class PiecewiseFit(NamedTuple):
    """Piecewise fit: ``segments[i]`` covers ``breaks[i-1] <= x < breaks[i]``."""

    breaks: tuple
    segments: tuple[Segment, ...]


class PowerLawFit(NamedTuple):
    """``static_uw``*1e-6 (times the sense amps where stated) + c*exp(e*log10(R)) (W)."""

    static_uw: float
    c: float
    e: float


class SarPowerFit(NamedTuple):
    """SAR ADC power (W): (a_uw_per_bit*bits + b_uw)*1e-6 + c*exp(e*log10(R))."""

    a_uw_per_bit: float
    b_uw: float
    c: float
    e: float



# SAR ADC power per node (SarPowerFit); HP nodes below 10 nm use 7 nm
_SAR_POWER_HP = {
    130: SarPowerFit(a_uw_per_bit=6.4806, b_uw=49.047, c=0.207452, e=-2.367),
    90: SarPowerFit(a_uw_per_bit=4.3474, b_uw=31.782, c=0.1649, e=-2.345),
    65: SarPowerFit(a_uw_per_bit=2.9503, b_uw=22.047, c=0.128483, e=-2.321),
    45: SarPowerFit(a_uw_per_bit=2.1843, b_uw=11.931, c=0.097754, e=-2.296),
    32: SarPowerFit(a_uw_per_bit=1.0157, b_uw=7.6286, c=0.083709, e=-2.313),
    22: SarPowerFit(a_uw_per_bit=0.7213, b_uw=3.3041, c=0.084273, e=-2.311),
    14: SarPowerFit(a_uw_per_bit=0.471, b_uw=1.9529, c=0.060584, e=-2.311),
    10: SarPowerFit(a_uw_per_bit=0.3076, b_uw=1.1543, c=0.049418, e=-2.311),
    7: SarPowerFit(a_uw_per_bit=0.2008, b_uw=0.6823, c=0.04031, e=-2.311),
}
_SAR_POWER_LSTP = {
    130: SarPowerFit(a_uw_per_bit=8.4483, b_uw=65.243, c=0.16938, e=-2.303),
    90: SarPowerFit(a_uw_per_bit=5.9869, b_uw=37.462, c=0.144323, e=-2.303),
    65: SarPowerFit(a_uw_per_bit=3.7506, b_uw=25.844, c=0.121272, e=-2.303),
    45: SarPowerFit(a_uw_per_bit=2.1691, b_uw=16.693, c=0.100225, e=-2.303),
    32: SarPowerFit(a_uw_per_bit=1.1294, b_uw=8.8998, c=0.079449, e=-2.297),
    22: SarPowerFit(a_uw_per_bit=0.538, b_uw=4.3753, c=0.072341, e=-2.303),
    14: SarPowerFit(a_uw_per_bit=0.3132, b_uw=2.5681, c=0.061085, e=-2.303),
    10: SarPowerFit(a_uw_per_bit=0.1823, b_uw=1.5073, c=0.05158, e=-2.303),
    7: SarPowerFit(a_uw_per_bit=0.1061, b_uw=0.8847, c=0.043555, e=-2.303),
    5: SarPowerFit(a_uw_per_bit=0.0645, b_uw=0.5511, c=0.0388, e=-2.303),
    3: SarPowerFit(a_uw_per_bit=0.0333, b_uw=0.2849, c=0.0388, e=-2.303),
    2: SarPowerFit(a_uw_per_bit=0.0207, b_uw=0.1764, c=0.0313, e=-2.303),
    1: SarPowerFit(a_uw_per_bit=0.0101, b_uw=0.0843, c=0.0288, e=-2.303),
}



# ==========================================================================================
def sar_adc(spec: AdcSpec, env: CircuitEnv) -> ComponentModel:
    """Successive-approximation ADCs, one per column group (NeuroSim V1.4 SAR ADC model).

    Area: (269 + 109 per extra bit) minimum nMOS + (209 + 73 per extra bit) minimum pMOS per ADC,
    laid out under the array (``spec.width_m`` wide).  Action ``"convert"``: (bits + 1) ns, no
    input-independent energy.  Dynamic action ``"column_energy"``: per column, the per-node power
    fit vs column resistance (at the fits' 0.5 V read voltage) over (bits + 1) ns, summed over the
    columns; an open column draws the model's fixed 1 uW.  Leakage is 0 (in the fits).
    """
    tech = env.tech
    f = tech.feature_size
    bits = math.log2(spec.levels)
    h = f * MAX_TRANSISTOR_HEIGHT
    _, h_n, w_n = formula.gate_area(INV, 1, MIN_NMOS_SIZE * f, 0, h, tech)
    _, h_p, w_p = formula.gate_area(INV, 1, 0, tech.pn_size_ratio * MIN_NMOS_SIZE * f, h, tech)
    area_unit = (h_n * w_n) * (269 + (bits - 1) * 109) + (h_p * w_p) * (209 + (bits - 1) * 73)
    area = area_unit * spec.num_adc
    if not spec.width_m:
        raise ValueError("SAR ADC: the array width (spec.width_m) is needed for its layout")
    node = tech.feature_size_in_nano
    fit = _SAR_POWER_HP[_hp_key(_SAR_POWER_HP, node)] if tech.roadmap == "hp" else _SAR_POWER_LSTP[node]
    time = (bits + 1) * 1e-9
    power = PiecewiseFit((), (Segment("pow", fit.c, fit.e, (fit.a_uw_per_bit * bits + fit.b_uw) * 1e-6),))
    compiled = kernel_args(power, x_scale=_CADENCE_READ_VOLTAGE / spec.read_voltage_v, mult=1.0,
                           temperature_k=env.temperature_k, add=0.0, time=time, clip=False)

    return ComponentModel(
        kind=f"sar_adc_{int(bits)}b", area_m2=area, height_m=area / spec.width_m, width_m=spec.width_m,
        leakage_w=0.0, actions={"convert": ActionCost(latency_s=time, energy_j=0.0)},
        dynamic={"column_energy": column_energy_action(compiled)}, compiled={"column_energy": compiled},
        ports={"area_unit_m2": area_unit},
    )


