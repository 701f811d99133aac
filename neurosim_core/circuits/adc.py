"""Column A/D conversion: multilevel sense amplifier (flash-like ADC), its encoder, SAR ADC.

(The single-reference current / voltage sense amplifiers, the integrate-and-fire read circuit and
the comparator are in `sensing.py`.)

Models (NeuroSim V1.4, DNN+NeuroSim manual "ADC" section):

* `MultilevelSenseAmp`: NeuroSim V1.4 ``MultilevelSenseAmp.cpp`` model.  ``level_output - 1``
  current- (or voltage-) mode sense amplifiers per column compare the column current with
  reference columns whose resistances form a conductance ladder (``Rref``).  The reference
  columns are shared by ``p.dumcolshared`` columns.  Latency comes from per-node fits of
  Cadence simulations (`column_latency_table`), evaluated at the two extreme reference
  resistances, plus a column-capacitance correction above a resistance threshold.  Energy is
  the switching energy of the column / mirror / latch / encoder interface capacitances, plus
  (current mode) the mirror power fitted per node (`MultilevelSenseAmp.column_power`) of the
  column and of the shared reference columns, over the sensing time.
* `MultilevelSAEncoder`: V1.4 ``MultilevelSAEncoder.cpp`` model (thermometer-to-binary NAND
  encoder; its dynamic energy is neglected by the model, only leakage counts).
* `sar_adc`: V1.4 SAR ADC model as a builder of the subarray's ``adc`` role (area in unit
  transistors vs. bits, one cycle per bit plus one, per-node power fits vs. column resistance).

The fits take the column resistance at a nominal 0.5 V read voltage, so a column resistance is
first scaled by ``0.5 / p.read_voltage``.  An open column (no activated cell, resistance
``inf``) is charged the model's fixed 1 uW.

Batching (speed contract): the read-path methods that depend on the input vector take
``column_resistance`` with a leading vector axis, shape ``(n_vectors, n_columns)`` (a 1-D array
is one vector), and ``num_read`` as a scalar or an array of shape ``(n_vectors,)``.  They
return (and store in ``read_latency`` / ``read_dynamic_energy``) one value per vector: a NumPy
array of shape ``(n_vectors,)`` for 2-D input, a Python float for 1-D input.  The ``*_table``
helpers are vectorised over any array shape.

Differences from the reference, each a fix of undefined behaviour (out-of-bounds reads of the
reference ladder when ``level_output == 2``) rather than a change of the model: the ladder
index used for the "maximum reference conductance" latency is clamped to the ladder, and the
count of reference sense-amp loads on the column is never negative.  The 2 nm / 1 nm special
standard-cell layout (NeuroSim ``speciallayout``, on by default, not a user option) is always on.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from .. import formula, quirks
from ..constants import (
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MIN_NMOS_SIZE,
    NAND,
    NMOS,
    AreaModify,
    MemCellType,
)
from ..arch import ActionCost, ComponentModel
from .base import Component
from .env import AdcSpec, CircuitEnv

__all__ = [
    "MultilevelSenseAmp",
    "MultilevelSAEncoder",
    "sar_adc",
    "column_latency_table",
]

# GAA special layout (2 nm, 1 nm): (gate factor, nMOS tuning, pMOS tuning) of an inverter and a NAND2
_GAA_INV = {2: (1.0 / 2.0, 4.5 / 15.0, 4.5 / 15.0), 1: (10.5 / 16.0, 4.5 / 10.0, 4.5 / 10.0)}
_GAA_NAND2 = {2: (1.0, 22.0 / 15.0, 8.0 / 15.0), 1: (1.0, 23.0 / 15.0, 7.0 / 15.0)}

# Nominal read voltage (V) per node assumed by the MLSA energy fit (the model's own table,
# independent of a user-set read voltage).
_MLSA_VREAD = {130: 0.58, 90: 0.58, 65: 0.55, 45: 0.51, 32: 0.51, 22: 0.55, 14: 0.277,
               10: 0.28, 7: 0.264, 5: 0.253, 3: 0.248, 2: 0.28, 1: 0.272}

_OPEN_COLUMN_POWER = 1e-6  # W, the model's power of a column with no current path
_CADENCE_READ_VOLTAGE = 0.5  # V, read voltage of the Cadence simulations behind the fits


# ------------------------------------------------------------------------------------------
# piecewise fits: segments are ("log", a, b) -> a*ln(R) + b or ("lin", a, b) -> a*R + b,
# selected by breakpoints (segment i covers breaks[i-1] <= R < breaks[i])
# ------------------------------------------------------------------------------------------
def _piecewise(r: np.ndarray, breaks: tuple, segments: tuple) -> np.ndarray:
    index = np.searchsorted(np.asarray(breaks, dtype=float), r, side="right")
    out = np.zeros_like(r)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i, (kind, a, b) in enumerate(segments):
            sel = index == i
            if np.any(sel):
                x = r[sel]
                out[sel] = a * np.log(x) + b if kind == "log" else a * x + b
    return out


_KIND = {"log": 0, "lin": 1, "pow": 2, "zero": 3}


@njit(cache=True)
def conversion_energy(resistance, x_scale, breaks, kinds, ca, cb, cc, mult, temp_factor, open_power, add, time, clip):
    """Energy (J) of one conversion of a column of resistance ``resistance`` (ohm).

    x = R * x_scale; power = 0 if x == 0, ``open_power`` if x is infinite, else ``mult`` x the fit
    segment selected by ``breaks`` (as `_piecewise`): log ``ca*ln(x)+cb``, lin ``ca*x+cb``, pow
    ``cc+ca*exp(cb*log10(x))`` or zero; energy = (power * temp_factor + add) * time, clipped at 0
    when ``clip``.  The scalar form of `MultilevelSenseAmp.column_energy_sum` and
    `SarADC.column_energy_sum` (arguments from their ``energy_kernel_args``).
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
    """Piecewise fit ((breaks), ((kind, a, b[, c]), ...)) as the kernel's arrays."""
    kinds = np.array([_KIND[seg[0]] for seg in segments], dtype=np.int64)
    ca = np.array([seg[1] for seg in segments], dtype=np.float64)
    cb = np.array([seg[2] for seg in segments], dtype=np.float64)
    cc = np.array([seg[3] if len(seg) > 3 else 0.0 for seg in segments], dtype=np.float64)
    return np.asarray(breaks, dtype=np.float64), kinds, ca, cb, cc


class LatencyFit(NamedTuple):
    """MLSA sensing latency (s) vs reference-column resistance: piecewise fit, then above
    ``res_threshold_ohm`` linear in R, scaled by the column capacitance relative to ``ref_cap_f``."""

    breaks: tuple
    segments: tuple
    ref_cap_f: float
    d_c_s: float
    r2_ohm: float
    res_threshold_ohm: float


class PiecewiseFit(NamedTuple):
    """Piecewise fit: ``segments[i]`` covers ``breaks[i-1] <= x < breaks[i]``."""

    breaks: tuple
    segments: tuple


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


# MLSA sensing latency fits (s) vs. reference-column resistance, per mode and node:
# (breaks, segments, ref_cap [F], dC [s], R2 [ohm], res_threshold [ohm]).  Above res_threshold the
# latency grows linearly with R, scaled by the column capacitance relative to ref_cap.
_LATENCY_CURRENT = {
    130: ((1832,), (("log", -1.18573e-10, 2.54175e-09), ("lin", 3.78659e-14, 2.60629e-09)), 26.62e-15, 2.0e-9, 0.1e6, 1.95e3),
    90: ((4832,), (("log", -1.08914e-10, 2.43204e-09), ("lin", 2.8688e-14, 2.31147e-09)), 18.4e-15, 1.5e-9, 0.1e6, 4.83e3),
    65: ((4832,), (("log", -8.11436e-11, 2.2554e-09), ("lin", 2.12366e-14, 2.14339e-09)), 13.3e-15, 1.2e-9, 0.1e6, 4.83e3),
    45: ((4832,), (("log", -1.12976e-10, 2.16762e-09), ("lin", 1.54619e-14, 1.60263e-09)), 9.21e-15, 0.81e-9, 0.1e6, 4.83e3),
    32: ((4832,), (("log", -1.31777e-10, 2.03151e-09), ("lin", 1.15509e-14, 1.19475e-09)), 6.55e-15, 0.55e-9, 0.1e6, 4.83e3),
    22: ((4832,), (("log", -1.32118e-10, 1.7552e-09), ("lin", 8.02517e-15, 8.51803e-10)), 4.5e-15, 0.31e-9, 0.1e6, 12.7e3),
    14: ((812, 2962), (("log", -7.01209e-11, 1.21771e-09), ("log", -2.11644e-11, 8.96216e-10),
                       ("lin", 6.18337e-15, 8.17633e-10)), 2.86e-15, 0.29e-9, 0.1e6, 12.7e3),
    10: ((1128, 4832), (("log", -7.20238e-11, 1.18578e-09), ("log", -1.81368e-11, 8.16065e-10),
                        ("lin", 4.72185e-15, 7.28474e-10)), 2.04e-15, 0.27e-9, 0.1e6, 12.7e3),
    7: ((4832,), (("log", -4.67061e-11, 1.03708e-09), ("lin", 3.72084e-15, 7.02172e-10)), 1.43e-15, 0.13e-9, 0.1e6, 12.7e3),
    5: ((4832, 7847), (("log", -4.33009e-11, 9.79525e-10), ("log", -3.15954e-12, 6.53005e-10),
                       ("lin", 2.77641e-15, 6.46706e-10)), 1.02e-15, 0.09e-9, 0.1e6, 12.7e3),
    3: ((4832, 7847), (("log", -3.62939e-11, 9.04595e-10), ("log", -8.05167e-12, 6.69134e-10),
                       ("lin", 2.02367e-15, 6.04792e-10)), 0.61e-15, 0.05e-9, 0.1e6, 12.7e3),
    2: ((4832, 12742), (("log", -3.70119e-11, 8.91946e-10), ("log", -7.45304e-12, 6.42667e-10),
                        ("lin", 1.74295e-15, 5.82625e-10)), 0.4e-15, 0.034e-9, 0.1e6, 20.06e3),
    1: ((4832, 12742), (("log", -3.81168e-11, 8.78701e-10), ("log", -2.01799e-11, 7.25185e-10),
                        ("lin", 1.19486e-15, 5.35253e-10)), 0.2e-15, 0.013e-9, 0.1e6, 20.06e3),
}
_LATENCY_VOLTAGE = {
    130: ((1832,), (("log", -1.6656e-10, 2.86608e-09), ("lin", 3.36654e-14, 2.33047e-09)), 26.62e-15, 2.12e-9, 0.1e6, 1.95e3),
    90: ((1956,), (("log", -8.13238e-11, 1.9981e-09), ("lin", 2.76205e-14, 1.87593e-09)), 18.4e-15, 1.8e-9, 0.1e6, 4.83e3),
    65: ((1210, 3161), (("log", -1.15612e-10, 2.08218e-09), ("log", -1.00285e-11, 1.35472e-09),
                        ("lin", 2.03232e-14, 1.61564e-09)), 13.3e-15, 1.3e-9, 0.1e6, 4.83e3),
    45: ((695, 4832), (("log", -2.66629e-10, 3.07867e-09), ("log", -6.27624e-11, 1.78932e-09),
                       ("lin", 1.43578e-14, 1.46251e-09)), 9.21e-15, 0.9e-9, 0.1e6, 4.83e3),
    32: ((4832,), (("log", -1.8746e-10, 2.44191e-09), ("lin", 1.07272e-14, 1.05695e-09)), 6.55e-15, 0.7e-9, 0.1e6, 12.7e3),
    22: ((4832,), (("log", -2.01894e-10, 2.2559e-09), ("lin", 7.45392e-15, 6.72844e-10)), 4.5e-15, 0.47e-9, 0.1e6, 12.7e3),
    14: ((695, 1832), (("log", -1.17191e-10, 1.51724e-09), ("log", -3.56669e-11, 1.00049e-09),
                       ("lin", 5.484e-15, 7.4812e-10)), 2.86e-15, 0.34e-9, 0.1e6, 12.7e3),
    10: ((2976, 7847), (("log", -5.88954e-11, 1.12213e-09), ("log", -1.03546e-11, 7.46313e-10),
                        ("lin", 4.02595e-15, 6.64175e-10)), 2.04e-15, 0.24e-9, 0.1e6, 12.7e3),
    7: ((1956, 8251), (("log", -9.29209e-11, 1.36675e-09), ("log", -2.32202e-11, 8.55312e-10),
                       ("lin", 2.96941e-15, 6.3388e-10)), 1.43e-15, 0.17e-9, 0.1e6, 12.7e3),
    5: ((20691.38, 33598.18), (("log", -3.58902e-11, 9.45003e-10), ("log", 4.1847e-11, 2.03225e-10),
                               ("lin", 2.17318e-15, 5.90032e-10)), 1.02e-15, 0.12e-9, 0.1e6, 12.7e3),
    3: ((20691.38, 33598.18), (("log", -4.80094e-11, 1.02891e-09), ("log", 1.46916e-11, 4.37023e-10),
                               ("lin", 1.39879e-15, 5.42026e-10)), 0.61e-15, 0.34e-9, 0.5e6, 49.6e3),
    2: ((3161.018, 34798.92), (("log", -1.44146e-10, 1.72384e-09), ("log", -3.01414e-11, 8.19483e-10),
                               ("lin", 6.80209e-16, 4.60774e-10)), 0.4e-15, 0.23e-9, 0.5e6, 49.6e3),
    1: ((5107, 34798.92), (("log", -6.09403e-11, 1.06251e-09), ("log", -4.20915e-11, 8.98944e-10),
                           ("lin", 5.44698e-16, 4.38466e-10)), 0.2e-15, 0.11e-9, 0.5e6, 60.9e3),
}

_LATENCY_CURRENT = {node: LatencyFit(*fit) for node, fit in _LATENCY_CURRENT.items()}
_LATENCY_VOLTAGE = {node: LatencyFit(*fit) for node, fit in _LATENCY_VOLTAGE.items()}

# MLSA current-mirror power per sense amp (W) vs. scaled column resistance, LSTP roadmap.
_MLSA_POWER_LSTP = {
    130: ((4832, 379269), (("lin", -4.12599e-11, 1.48536e-06), ("log", -2.6617e-07, 3.56576e-06), ("log", -1.25872e-07, 1.81453e-06))),
    90: ((4832, 379269), (("lin", -1.67004e-11, 8.54958e-07), ("log", -1.50719e-07, 2.0858e-06), ("log", -8.89685e-08, 1.3007e-06))),
    65: ((4832, 379269), (("lin", -6.08647e-12, 4.82814e-07), ("log", -8.03449e-08, 1.16437e-06), ("log", -6.01171e-08, 8.9355e-07))),
    45: ((4832, 379269), (("lin", -3.96471e-12, 3.44344e-07), ("log", -5.66235e-08, 8.27849e-07), ("log", -4.32673e-08, 6.46111e-07))),
    32: ((4832, 379269), (("lin", -6.72783e-12, 4.19847e-07), ("log", -7.28881e-08, 1.02677e-06), ("log", -4.35333e-08, 6.4697e-07))),
    22: ((4832, 379269), (("lin", -2.85373e-11, 9.16744e-07), ("log", -1.63133e-07, 2.1687e-06), ("log", -5.8712e-08, 8.64648e-07))),
    14: ((7847,), (("lin", -3.11213e-13, 5.34821e-08), ("log", -9.64978e-09, 1.44527e-07))),
    10: ((20691,), (("lin", -3.27225e-13, 5.54082e-08), ("log", -9.99199e-09, 1.49539e-07))),
    7: ((20691,), (("lin", -2.62089e-13, 4.7357e-08), ("log", -8.49198e-09, 1.27848e-07))),
    5: ((20691,), (("lin", -1.4179e-13, 3.31434e-08), ("log", -5.76552e-09, 8.89536e-08))),
    3: ((20691,), (("lin", -1.17664e-13, 2.96368e-08), ("log", -5.09202e-09, 7.91852e-08))),
    2: ((20691,), (("lin", -2.01487e-13, 4.21066e-08), ("log", -7.43005e-09, 1.13414e-07))),
    1: ((20691,), (("lin", -1.68865e-13, 3.80513e-08), ("log", -6.64737e-09, 1.02221e-07))),
}
_MLSA_POWER_LSTP = {node: PiecewiseFit(*fit) for node, fit in _MLSA_POWER_LSTP.items()}
# MLSA power, HP roadmap: (static uW per sense amp, c, e) -> static*(L-1)*1e-6 + c*exp(e*log10(R));
# nodes below 10 nm use the 7 nm entry (the model's placeholder values)
_MLSA_POWER_HP = {130: (19.898, 0.17452, -2.367), 90: (13.09, 0.14900, -2.345), 65: (9.9579, 0.1083, -2.321),
                  45: (7.7017, 0.0754, -2.296), 32: (3.9648, 0.079, -2.313), 22: (1.8939, 0.073, -2.311),
                  14: (1.2, 0.0584, -2.311), 10: (0.8, 0.0318, -2.311), 7: (0.5, 0.0210, -2.311)}

_MLSA_POWER_HP = {node: PowerLawFit(*fit) for node, fit in _MLSA_POWER_HP.items()}

# SAR ADC power: (a, b, c, e) -> (a*log2(L) + b)*1e-6 + c*exp(e*log10(R)); HP nodes below 10 nm use 7 nm
_SAR_POWER_HP = {130: (6.4806, 49.047, 0.207452, -2.367), 90: (4.3474, 31.782, 0.164900, -2.345),
                 65: (2.9503, 22.047, 0.128483, -2.321), 45: (2.1843, 11.931, 0.097754, -2.296),
                 32: (1.0157, 7.6286, 0.083709, -2.313), 22: (0.7213, 3.3041, 0.084273, -2.311),
                 14: (0.4710, 1.9529, 0.060584, -2.311), 10: (0.3076, 1.1543, 0.049418, -2.311),
                 7: (0.2008, 0.6823, 0.040310, -2.311)}
_SAR_POWER_LSTP = {130: (8.4483, 65.243, 0.169380, -2.303), 90: (5.9869, 37.462, 0.144323, -2.303),
                   65: (3.7506, 25.844, 0.121272, -2.303), 45: (2.1691, 16.693, 0.100225, -2.303),
                   32: (1.1294, 8.8998, 0.079449, -2.297), 22: (0.538, 4.3753, 0.072341, -2.303),
                   14: (0.3132, 2.5681, 0.061085, -2.303), 10: (0.1823, 1.5073, 0.051580, -2.303),
                   7: (0.1061, 0.8847, 0.043555, -2.303), 5: (0.0645, 0.5511, 0.0388, -2.303),
                   3: (0.0333, 0.2849, 0.0388, -2.303), 2: (0.0207, 0.1764, 0.0313, -2.303),
                   1: (0.0101, 0.0843, 0.0288, -2.303)}
_SAR_POWER_HP = {node: SarPowerFit(*fit) for node, fit in _SAR_POWER_HP.items()}
_SAR_POWER_LSTP = {node: SarPowerFit(*fit) for node, fit in _SAR_POWER_LSTP.items()}

def _hp_key(table: dict, node: int) -> int:
    """HP tables stop at 7 nm: smaller nodes use the 7 nm placeholder entry."""
    return node if node in table else 7


def _vectors(column_resistance) -> tuple[np.ndarray, bool]:
    """(2-D float array (n_vectors, n_columns), whether the input had a vector axis)."""
    r = np.asarray(column_resistance, dtype=float)
    if r.ndim == 1:
        return r[np.newaxis, :], False
    if r.ndim != 2:
        raise ValueError(f"column_resistance must be 1-D or 2-D (n_vectors, n_columns), got shape {r.shape}")
    return r, True


def _per_vector(values: np.ndarray, batched: bool):
    """Per-vector result: the array for batched input, a float for a single vector."""
    values = np.asarray(values, dtype=float)
    return values if batched else float(values.reshape(-1)[0])


def _broadcast_vectors(value, n_vectors: int, batched: bool):
    """A vector-independent quantity (times a scalar or per-vector ``num_read``) as a per-vector result."""
    return _per_vector(np.broadcast_to(np.asarray(value, dtype=float), (n_vectors,)), batched)


def _temperature_factor(p) -> float:
    return 1 + 1.3e-3 * (p.temperature_k - 300)


def _special_layout(tech) -> bool:
    return tech.feature_size_in_nano in (2, 1)


def column_latency_table(res, node: int, current_mode: bool, column_cap: float, cap_sense_amp_loads: float):
    """MLSA sensing latency (s) of a column of resistance ``res`` (ohm; any array shape).

    ``column_cap`` (F) is the bit-line capacitance (NeuroSim ``param->columncap``) and
    ``cap_sense_amp_loads`` (F) the gate capacitance of the reference sense amps hanging on the
    column; above the node's resistance threshold the latency grows with R, scaled by
    (column capacitance - fitted capacitance) / fitted capacitance.
    """
    breaks, segments, ref_cap, d_c, r2, res_threshold = (_LATENCY_CURRENT if current_mode else _LATENCY_VOLTAGE)[node]
    x = np.asarray(res, dtype=float)
    latency = _piecewise(np.atleast_1d(x), breaks, segments).reshape(x.shape)
    cap = column_cap + cap_sense_amp_loads
    slope = d_c / (r2 - res_threshold) * ((cap - ref_cap) / ref_cap)
    latency = np.where(x > res_threshold, latency + slope * (x - res_threshold), latency)
    return latency if latency.ndim else float(latency)


# ==========================================================================================
class MultilevelSenseAmp(Component):
    """Multilevel current/voltage sense amplifier ADC (``level_output`` levels per column group).

    Use: ``initialize(num_col, level_output, clk_freq, num_read_cell_per_operation_neuro, parallel,
    current_mode)``, ``calculate_area(height_array, width_array, option,
    array_height=..., array_width_unit=...)``, ``calculate_latency(column_resistance,
    num_col_muxed, num_read, column_cap=...)``, ``calculate_power(column_resistance, num_read,
    column_cap=..., reference_energy_peri=...)``.  The reference-column sharing factor is
    ``p.dumcolshared`` (NeuroSim ``param->dumcolshared``).
    """

    def initialize(self, num_col: int, level_output: int, clk_freq: float, num_read_cell_per_operation_neuro: int,
                   parallel: bool, current_mode: bool, *, res_cell_access: float | None = None) -> None:
        """Build the reference ladder ``rref`` (ohm, ``level_output - 1`` values).

        ``parallel`` (conventional parallel read, ``p.num_row_parallel`` rows on): the ladder spans
        conductances from ``num_row_parallel`` on-cells down to zero in steps of 1/level_output;
        the on-cell is the SRAM read-access transistor ``res_cell_access`` (ohm, NeuroSim
        ``param->resCellAccess``; default ``cell.res_cell_access``) or the eNVM on-state
        (``p.resistance_on_ohm``).
        Sequential read: ``level_output - 1`` mid-step references between one on- and one off-cell.
        """
        p, tech = self.p, self.tech
        self.num_col = int(num_col)
        self.level_output = int(level_output)
        self.clk_freq = clk_freq
        self.num_read_cell_per_operation_neuro = num_read_cell_per_operation_neuro
        self.parallel = bool(parallel)
        self.current_mode = bool(current_mode)

        levels = self.level_output
        steps = np.arange(levels - 1, dtype=float)
        if self.parallel:
            if self.cell.mem_cell_type == MemCellType.SRAM:
                if res_cell_access is None:
                    res_cell_access = self.cell.res_cell_access
                r_start = res_cell_access / p.num_row_parallel
            else:
                r_start = p.resistance_on_ohm / p.num_row_parallel
            g_start = 1 / r_start
            self.rref = 1 / (g_start + steps * (0 - g_start) / levels)
        else:
            g_start, g_end = 1 / p.resistance_on_ohm, 1 / p.resistance_off_ohm
            g_index = g_end - g_start
            g_offset = g_index / (2 * (levels - 1))
            self.rref = 1 / (g_start + g_offset + steps * g_index / (levels - 1))

        f = tech.feature_size
        self.width_nmos = MIN_NMOS_SIZE * f
        self.width_pmos = tech.pn_size_ratio * MIN_NMOS_SIZE * f
        h = f * MAX_TRANSISTOR_HEIGHT
        if _special_layout(tech):
            gaa = _GAA_INV[tech.feature_size_in_nano]
            self.gatecap_senseamp_p, self.junctioncap_senseamp_p = formula.gate_capacitance_gaa(
                INV, 1, 0, self.width_pmos, h, tech, *gaa)
            self.gatecap_senseamp_n, self.junctioncap_senseamp_n = formula.gate_capacitance_gaa(
                INV, 1, self.width_nmos, 0, h, tech, *gaa)
        else:
            self.gatecap_senseamp_p, self.junctioncap_senseamp_p = formula.gate_capacitance(
                INV, 1, 0, self.width_pmos, h, tech)
            self.gatecap_senseamp_n, self.junctioncap_senseamp_n = formula.gate_capacitance(
                INV, 1, self.width_nmos, 0, h, tech)
        self.initialized = True

    def calculate_area(self, height_array: float, width_array: float, option: AreaModify = AreaModify.NONE, *,
                       array_height: float, array_width_unit: float) -> None:
        """Sense amps (9 minimum nMOS each, ``level_output - 1`` per column) plus the share of the
        reference columns (``array_height`` x ``array_width_unit`` m each, NeuroSim
        ``param->arrayheight`` / ``param->arraywidthunit``), laid out to the given width (or height)."""
        tech = self.tech
        _, h_nmos, w_nmos = formula.gate_area(INV, 1, self.width_nmos, 0, tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)
        comparators = (self.level_output - 1) * self.num_col
        area = h_nmos * w_nmos * 9 * comparators
        area += array_height * array_width_unit * comparators / self.p.dumcolshared
        self.area = area
        if width_array and option == AreaModify.NONE:
            self.width = width_array
            self.height = area / width_array
        elif height_array and option == AreaModify.NONE:
            self.height = height_array
            self.width = area / height_array
        else:
            raise ValueError("MultilevelSenseAmp: calculate_area needs a width or height with option NONE")

    # --- sensing time ------------------------------------------------------------------------
    def _cap_reference_loads(self) -> float:
        return self.gatecap_senseamp_n * max(len(self.rref) - 2, 0)

    def column_latency(self, column_cap: float) -> float:
        """Sensing time (s) of one conversion: the slower of the extreme reference columns."""
        loads = self._cap_reference_loads()
        node = self.p.technode
        r_min_conductance = self.rref[-1]
        r_max_conductance = self.rref[min(1, len(self.rref) - 1)]
        return max(column_latency_table(r_min_conductance, node, self.current_mode, column_cap, loads),
                   column_latency_table(r_max_conductance, node, self.current_mode, column_cap, loads))

    def calculate_latency(self, column_resistance, num_col_muxed: float, num_read, *, column_cap: float):
        """Read latency (s) of ``num_read`` reads of ``num_col_muxed`` column groups.

        The model's sensing time does not depend on the input vector (it is set by the reference
        ladder); ``column_resistance`` (ohm, shape (n_vectors, n_columns) or (n_columns,), or
        None) only sets the shape of the result.  ``num_read``: scalar or (n_vectors,).
        Returns and stores ``read_latency``: (n_vectors,) array for 2-D input, else a float.
        Voltage mode takes a fixed 1 ns per conversion.
        """
        per_read = (self.column_latency(column_cap) if self.current_mode else 1e-9) * num_col_muxed
        return self._store_latency(column_resistance, per_read * np.asarray(num_read, dtype=float))

    def _store_latency(self, column_resistance, latency):
        if column_resistance is None:
            self.read_latency = latency if np.ndim(latency) else float(latency)
        else:
            r, batched = _vectors(column_resistance)
            self.read_latency = _broadcast_vectors(latency, r.shape[0], batched)
        return self.read_latency

    # --- energy --------------------------------------------------------------------------------
    def column_power(self, column_resistance) -> np.ndarray:
        """Mirror power (W) of the ``level_output - 1`` sense amps of a column, per column
        resistance (ohm, any shape).  Voltage mode: only an open column draws power."""
        p = self.p
        r = np.asarray(column_resistance, dtype=float) * (_CADENCE_READ_VOLTAGE / p.read_voltage)
        open_col = np.isinf(r)
        power = np.zeros_like(r)
        if self.current_mode:
            levels = self.level_output - 1
            if p.roadmap == "hp":
                static, c, e = _MLSA_POWER_HP[_hp_key(_MLSA_POWER_HP, p.technode)]
                with np.errstate(divide="ignore"):
                    power = static * levels * 1e-6 + c * np.exp(e * np.log10(r))
            else:
                breaks, segments = _MLSA_POWER_LSTP[p.technode]
                power = _piecewise(np.atleast_1d(r), breaks, segments).reshape(r.shape) * levels
            power = np.where(r == 0, 0.0, power)
        power = np.where(open_col, _OPEN_COLUMN_POWER, power)
        return power * _temperature_factor(p)

    def switching_energy(self, column_cap: float, reference_energy_peri: float) -> float:
        """Switching energy (J) of one sense amp: column / reference-column interface, input and
        mirror capacitances at the read voltage, latch and encoder interface at Vdd."""
        p, tech = self.p, self.tech
        levels, shared = self.level_output, p.dumcolshared
        vread2 = _MLSA_VREAD[p.technode] ** 2
        vdd2 = tech.vdd ** 2
        gn, gp = self.gatecap_senseamp_n, self.gatecap_senseamp_p
        jn, jp = self.junctioncap_senseamp_n, self.junctioncap_senseamp_p
        # each of the levels-1 reference columns is shared by the sense amps of the array
        if quirks.applies("mlsa_integer_column_share", p.compat):
            column_share = 1 // (levels - 1) + 1 / shared  # integer 1/(levels-1): 0 beyond 2 levels
        else:
            column_share = 1 / (levels - 1) + 1 / shared
        energy = column_cap * 2 * column_share / 2 * vread2
        energy += reference_energy_peri / shared
        mirror = (jn + gn) if self.current_mode else jn
        energy += (gn * 2 + mirror / (levels - 1) + mirror / shared) * vread2
        energy += (gp * 2 + gn) * vdd2
        energy += (gp * 3 + gn * 3 + (jp + jn) * 3 + jp) * vdd2
        energy += (gp + gn) * vdd2
        return energy

    def column_energy_sum(self, column_resistance, *, column_cap: float) -> np.ndarray:
        """(n_vectors,) the input-dependent part of one conversion's energy (J): the sum over the
        columns of max(0, (column power + shared reference-column power) x sensing time).
        ``column_resistance``: ohm, (n_vectors, n_columns).  `calculate_power` is affine in it."""
        r = np.ascontiguousarray(column_resistance, dtype=float)
        return _column_energy_sum_kernel(r, *self.energy_kernel_args(column_cap))

    def energy_kernel_args(self, column_cap: float) -> tuple:
        """`conversion_energy` arguments after the resistance (cached per column capacitance:
        the sensing time and the reference-column power do not depend on the input)."""
        cache = self.__dict__.setdefault("_kernel_args", {})
        key = (column_cap, self.level_output, self.current_mode, tuple(self.rref))
        if key not in cache:
            p = self.p
            sense_time = self.column_latency(column_cap) if self.current_mode else 1e-9
            ref_power = float(np.sum(self.column_power(self.rref[1:-1]) / p.dumcolshared))
            mult = 1.0
            if not self.current_mode:
                fit = ((), (("zero", 0.0, 0.0),))
            elif p.roadmap == "hp":
                static, c, e = _MLSA_POWER_HP[_hp_key(_MLSA_POWER_HP, p.technode)]
                fit = ((), (("pow", c, e, static * (self.level_output - 1) * 1e-6),))
            else:
                fit = _MLSA_POWER_LSTP[p.technode]
                mult = float(self.level_output - 1)
            cache[key] = (_CADENCE_READ_VOLTAGE / p.read_voltage, *_fit_arrays(*fit), mult, _temperature_factor(p),
                          _OPEN_COLUMN_POWER, ref_power, sense_time, True)
        return cache[key]

    def calculate_power(self, column_resistance, num_read, *, column_cap: float, reference_energy_peri: float):
        """Read dynamic energy (J) of ``num_read`` conversions of every column.

        ``column_resistance``: ohm, shape (n_vectors, n_columns) or (n_columns,) (``inf`` = open
        column); ``num_read``: scalar or (n_vectors,); ``column_cap`` (F, NeuroSim
        ``param->columncap``), ``reference_energy_peri`` (J, ``param->reference_energy_peri``).
        Per column: (level_output - 1) x `switching_energy` + max(0, (column power + shared
        reference-column power) x sensing time) (1 ns in voltage mode).
        Returns and stores ``read_dynamic_energy``: (n_vectors,) for 2-D input, else a float.
        Leakage is 0 (the model's mirrors are counted in the dynamic energy).
        """
        r, batched = _vectors(column_resistance)
        per_column = self.switching_energy(column_cap, reference_energy_peri) * (self.level_output - 1)
        energy = (per_column * r.shape[1] + self.column_energy_sum(r, column_cap=column_cap)) \
            * np.asarray(num_read, dtype=float)
        self.leakage = 0.0
        self.read_dynamic_energy = _per_vector(energy, batched)
        return self.read_dynamic_energy


# ==========================================================================================
class MultilevelSAEncoder(Component):
    """Thermometer-code to binary encoder behind each multilevel sense amp (NAND2 + large NAND)."""

    def initialize(self, num_level: int, num_encoder: int) -> None:
        f, tech = self.tech.feature_size, self.tech
        self.num_encoder = int(num_encoder)
        self.num_level = int(num_level)
        self.num_input = self.num_level // 2  # inputs of the large NAND (integer halving, as in the model)
        self.num_gate = math.ceil(math.log2(self.num_level))  # large NANDs (output bits)
        self.width_inv_n = MIN_NMOS_SIZE * f
        self.width_inv_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f
        self.width_nand_n = 4 * MIN_NMOS_SIZE * f
        self.width_nand_p = 2 * tech.pn_size_ratio * MIN_NMOS_SIZE * f
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        f = tech.feature_size
        h = f * MAX_TRANSISTOR_HEIGHT
        node = tech.feature_size_in_nano
        if node <= 2:
            _, h_nand, w_nand = formula.gate_area(NAND, 2, MIN_NMOS_SIZE * f, MIN_NMOS_SIZE * f, h, tech)
        else:
            _, h_nand, w_nand = formula.gate_area(NAND, 2, self.width_nand_n, self.width_nand_p, h, tech)
        _, h_inv, w_inv = formula.gate_area(INV, 1, self.width_inv_n, self.width_inv_p, h, tech)
        _, h_nand_lg, w_nand_lg = formula.gate_area(NAND, self.num_input, self.width_nand_n, self.width_nand_p, h, tech)

        # one encoder: (level-1) INV+NAND2 pairs and num_gate large NANDs folded to this width
        w_encoder = w_inv + w_nand + w_nand_lg
        h_encoder = ((w_inv * h_inv + w_nand * h_nand) * (self.num_level - 1)
                     + w_nand_lg * self.num_gate * h_nand_lg) / w_encoder
        self.height = self.width = 0.0
        if new_width and option == AreaModify.NONE:
            per_row = min(math.ceil(new_width / w_encoder), self.num_encoder)
            self.width = max(new_width, w_encoder)
            self.height = h_encoder * math.ceil(self.num_encoder / per_row)
        elif new_height and option == AreaModify.NONE:
            per_col = min(math.ceil(new_height / h_encoder), self.num_encoder)
            self.height = max(new_height, h_encoder)
            self.width = w_encoder * math.ceil(self.num_encoder / per_col)
        self.area = self.height * self.width
        self.apply_area_modify(option, new_height, new_width)

        if _special_layout(tech):
            self.cap_inv_input, self.cap_inv_output = formula.gate_capacitance_gaa(
                INV, 1, MIN_NMOS_SIZE * f, MIN_NMOS_SIZE * f, h_inv, tech, *_GAA_INV[node])
            self.cap_nand_input, self.cap_nand_output = formula.gate_capacitance_gaa(
                NAND, 2, MIN_NMOS_SIZE * f, MIN_NMOS_SIZE * f, h_nand, tech, *_GAA_NAND2[node])
        else:
            self.cap_inv_input, self.cap_inv_output = formula.gate_capacitance(
                INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
            self.cap_nand_input, self.cap_nand_output = formula.gate_capacitance(
                NAND, 2, self.width_nand_n, self.width_nand_p, h_nand, tech)
        self.cap_nand_lg_input, self.cap_nand_lg_output = formula.gate_capacitance(
            NAND, self.num_input, self.width_nand_n, self.width_nand_p, h_nand_lg, tech)

    def calculate_latency(self, ramp_input: float, num_read):
        """INV -> NAND2 -> large NAND path (Horowitz).  ``num_read`` may be a per-vector array."""
        tech, temp = self.tech, self.p.temperature_k
        self.ramp_input = ramp_input
        res = formula.on_resistance(self.width_inv_n, NMOS, temp, tech)
        tr = res * (self.cap_inv_output + 2 * self.cap_nand_input)
        beta = 1 / (res * formula.transconductance(self.width_inv_n, NMOS, tech))
        delay_inv, ramp_inv = formula.horowitz(tr, beta, ramp_input)

        res = formula.on_resistance(self.width_nand_n, NMOS, temp, tech) * 2
        if tech.feature_size_in_nano <= 2:
            res = res * 3.0 / 2.0
        tr = res * (self.cap_nand_output + self.cap_nand_lg_input * self.num_input)
        beta = 1 / (res * formula.transconductance(self.width_nand_n, NMOS, tech))
        delay_nand, self.ramp_output = formula.horowitz(tr, beta, ramp_inv)
        self.read_latency = (delay_inv + delay_nand) * num_read
        return self.read_latency

    def calculate_power(self, num_read) -> None:
        """Leakage of the NAND2s, large NANDs and 5 inverters per level; the model neglects the
        encoder's dynamic energy (0)."""
        tech, temp = self.tech, self.p.temperature_k
        vdd = tech.vdd
        leak = formula.gate_leakage(NAND, 2, self.width_nand_n, self.width_nand_p, temp, tech) * vdd \
            * (self.num_level - 1) * self.num_encoder
        leak += formula.gate_leakage(NAND, self.num_input, self.width_nand_n, self.width_nand_p, temp, tech) * vdd \
            * self.num_gate * self.num_encoder
        inv = formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, temp, tech) * vdd \
            * 5 * (self.num_level - 1) * self.num_encoder
        if _special_layout(tech):
            inv *= _GAA_INV[tech.feature_size_in_nano][0]
        self.leakage = leak + inv
        self.read_dynamic_energy = 0.0
        self.read_power = 0.0


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
    if tech.roadmap == "hp":
        a, b, c, e = _SAR_POWER_HP[_hp_key(_SAR_POWER_HP, node)]
    else:
        a, b, c, e = _SAR_POWER_LSTP[node]
    time = (bits + 1) * 1e-9
    fit = ((), (("pow", c, e, (a * bits + b) * 1e-6),))
    compiled = (_CADENCE_READ_VOLTAGE / spec.read_voltage_v, *_fit_arrays(*fit), 1.0,
                1 + 1.3e-3 * (env.temperature_k - 300), _OPEN_COLUMN_POWER, 0.0, time, False)

    def column_energy(*, column_resistance) -> ActionCost:
        r = np.ascontiguousarray(np.atleast_2d(column_resistance), dtype=float)
        return ActionCost(energy_j=_column_energy_sum_kernel(r, *compiled))

    return ComponentModel(
        kind=f"sar_adc_{int(bits)}b", area_m2=area, height_m=area / spec.width_m, width_m=spec.width_m,
        leakage_w=0.0, actions={"convert": ActionCost(latency_s=time, energy_j=0.0)},
        dynamic={"column_energy": column_energy}, compiled={"column_energy": compiled},
        ports={"area_unit_m2": area_unit},
    )


