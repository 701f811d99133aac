"""Multilevel sense amplifier (flash-like column ADC) and its thermometer-to-binary encoder, as builders.

Model (DNN+NeuroSim V1.4 manual, "ADC": multilevel sense amplifier; Peng et al., IEDM 2019):

* ``levels - 1`` sense amplifiers per column compare the column current (current mode) or voltage
  with reference columns whose resistances form a conductance ladder (`reference_ladder`); a set of
  reference columns is shared by ``ref_columns_shared`` columns (NeuroSim ``dumcolshared``);
* a conversion takes the sensing time of the slower extreme reference (per-node Cadence fit vs the
  reference resistance, `sensing_time_fit`; plus a column-capacitance correction above a resistance
  threshold), or a fixed 1 ns in voltage mode;
* its energy is the switching of the column / reference / mirror / latch / encoder-interface
  capacitances (input-independent) plus, in current mode, the mirror power of every column and of
  its share of the reference columns over the sensing time (per-node power fit vs the column
  resistance at 0.5 V read, `column_power`; compiled form in `circuits.adc`);
* the encoder: (levels - 1) INV + NAND2 pairs and log2(levels) large NANDs per column group; its
  dynamic energy is neglected by the model (leakage only).

Builders (``spec`` frozen and keyword-only, ``env`` a `circuits.env.CircuitEnv`):

* ``multilevel_sense_amp(MlsaSpec, env)``: action ``convert`` (one conversion of every column
  group: the sensing time; the input-independent switching energy of all columns), dynamic action
  ``column_energy(column_resistance)`` ((n_vectors,) J: the mirror power over the sensing time;
  compiled form in ``compiled["column_energy"]``); ports ``sense_latency_s``,
  ``switching_energy_per_column_j``, ``reference_power_w``, ``rref_first_ohm``, ``rref_last_ohm``;
* ``mlsa_encoder(MlsaEncoderSpec, env)``: action ``encode`` (INV -> NAND2 -> large NAND; 0 J);
  port ``ramp_output_per_s``.

Differences from the reference, each a fix of undefined behaviour (out-of-bounds reads of the
reference ladder when ``levels == 2``) rather than a change of the model: the ladder index of the
"maximum reference conductance" latency is clamped to the ladder, and the count of reference
sense-amp loads on the column is never negative.  The 2 nm / 1 nm special standard-cell layout
(NeuroSim ``speciallayout``, on by default, not a user option) is always on.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .. import formula, quirks
from ..arch import ActionCost, ComponentModel
from ..constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NAND, NMOS
from .adc import (_CADENCE_READ_VOLTAGE, _OPEN_COLUMN_POWER, PiecewiseFit, PowerLawFit, Segment, _hp_key, _piecewise,
                  column_energy_action, kernel_args, temperature_factor)
from .env import CircuitEnv
from .gaa import GAA_INV as _GAA_INV
from .gaa import GaaFactors
from .gaa import GAA_NAND2 as _GAA_NAND2

__all__ = ["MlsaSpec", "multilevel_sense_amp", "reference_ladder", "column_power", "sensing_time_fit",
           "MlsaEncoderSpec", "mlsa_encoder"]

# Nominal read voltage (V) per node assumed by the switching-energy fit (the model's own table,
# independent of a user-set read voltage).
_MLSA_VREAD = {130: 0.58, 90: 0.58, 65: 0.55, 45: 0.51, 32: 0.51, 22: 0.55, 14: 0.277,
               10: 0.28, 7: 0.264, 5: 0.253, 3: 0.248, 2: 0.28, 1: 0.272}
_VOLTAGE_MODE_SENSE_S = 1e-9
_SA_NMOS_PER_COMPARATOR = 9


class LatencyFit(NamedTuple):
    """Sensing time (s) vs reference-column resistance: a piecewise ``fit``, then above
    ``res_threshold_ohm`` linear in R with slope ``d_c_s / (r2_ohm - res_threshold_ohm)`` scaled by
    the column capacitance relative to ``ref_cap_f``."""

    fit: PiecewiseFit
    ref_cap_f: float
    d_c_s: float
    r2_ohm: float
    res_threshold_ohm: float


# MLSA sensing latency fits (s) vs. reference-column resistance, per mode and node.  Above
# res_threshold_ohm the latency grows linearly with R, scaled by the column capacitance relative to ref_cap_f.
_LATENCY_CURRENT = {
    130: LatencyFit(
        fit=PiecewiseFit(breaks=(1832,), segments=(
            Segment(kind='log', a=-1.18573e-10, b=2.54175e-09),
            Segment(kind='lin', a=3.78659e-14, b=2.60629e-09),
        )),
        ref_cap_f=2.662e-14, d_c_s=2e-09, r2_ohm=100000.0, res_threshold_ohm=1950.0),
    90: LatencyFit(
        fit=PiecewiseFit(breaks=(4832,), segments=(
            Segment(kind='log', a=-1.08914e-10, b=2.43204e-09),
            Segment(kind='lin', a=2.8688e-14, b=2.31147e-09),
        )),
        ref_cap_f=1.84e-14, d_c_s=1.5e-09, r2_ohm=100000.0, res_threshold_ohm=4830.0),
    65: LatencyFit(
        fit=PiecewiseFit(breaks=(4832,), segments=(
            Segment(kind='log', a=-8.11436e-11, b=2.2554e-09),
            Segment(kind='lin', a=2.12366e-14, b=2.14339e-09),
        )),
        ref_cap_f=1.33e-14, d_c_s=1.2e-09, r2_ohm=100000.0, res_threshold_ohm=4830.0),
    45: LatencyFit(
        fit=PiecewiseFit(breaks=(4832,), segments=(
            Segment(kind='log', a=-1.12976e-10, b=2.16762e-09),
            Segment(kind='lin', a=1.54619e-14, b=1.60263e-09),
        )),
        ref_cap_f=9.21e-15, d_c_s=8.1e-10, r2_ohm=100000.0, res_threshold_ohm=4830.0),
    32: LatencyFit(
        fit=PiecewiseFit(breaks=(4832,), segments=(
            Segment(kind='log', a=-1.31777e-10, b=2.03151e-09),
            Segment(kind='lin', a=1.15509e-14, b=1.19475e-09),
        )),
        ref_cap_f=6.55e-15, d_c_s=5.5e-10, r2_ohm=100000.0, res_threshold_ohm=4830.0),
    22: LatencyFit(
        fit=PiecewiseFit(breaks=(4832,), segments=(
            Segment(kind='log', a=-1.32118e-10, b=1.7552e-09),
            Segment(kind='lin', a=8.02517e-15, b=8.51803e-10),
        )),
        ref_cap_f=4.5e-15, d_c_s=3.1e-10, r2_ohm=100000.0, res_threshold_ohm=12700.0),
    14: LatencyFit(
        fit=PiecewiseFit(breaks=(812, 2962), segments=(
            Segment(kind='log', a=-7.01209e-11, b=1.21771e-09),
            Segment(kind='log', a=-2.11644e-11, b=8.96216e-10),
            Segment(kind='lin', a=6.18337e-15, b=8.17633e-10),
        )),
        ref_cap_f=2.86e-15, d_c_s=2.9e-10, r2_ohm=100000.0, res_threshold_ohm=12700.0),
    10: LatencyFit(
        fit=PiecewiseFit(breaks=(1128, 4832), segments=(
            Segment(kind='log', a=-7.20238e-11, b=1.18578e-09),
            Segment(kind='log', a=-1.81368e-11, b=8.16065e-10),
            Segment(kind='lin', a=4.72185e-15, b=7.28474e-10),
        )),
        ref_cap_f=2.04e-15, d_c_s=2.7e-10, r2_ohm=100000.0, res_threshold_ohm=12700.0),
    7: LatencyFit(
        fit=PiecewiseFit(breaks=(4832,), segments=(
            Segment(kind='log', a=-4.67061e-11, b=1.03708e-09),
            Segment(kind='lin', a=3.72084e-15, b=7.02172e-10),
        )),
        ref_cap_f=1.43e-15, d_c_s=1.3e-10, r2_ohm=100000.0, res_threshold_ohm=12700.0),
    5: LatencyFit(
        fit=PiecewiseFit(breaks=(4832, 7847), segments=(
            Segment(kind='log', a=-4.33009e-11, b=9.79525e-10),
            Segment(kind='log', a=-3.15954e-12, b=6.53005e-10),
            Segment(kind='lin', a=2.77641e-15, b=6.46706e-10),
        )),
        ref_cap_f=1.02e-15, d_c_s=9e-11, r2_ohm=100000.0, res_threshold_ohm=12700.0),
    3: LatencyFit(
        fit=PiecewiseFit(breaks=(4832, 7847), segments=(
            Segment(kind='log', a=-3.62939e-11, b=9.04595e-10),
            Segment(kind='log', a=-8.05167e-12, b=6.69134e-10),
            Segment(kind='lin', a=2.02367e-15, b=6.04792e-10),
        )),
        ref_cap_f=6.1e-16, d_c_s=5e-11, r2_ohm=100000.0, res_threshold_ohm=12700.0),
    2: LatencyFit(
        fit=PiecewiseFit(breaks=(4832, 12742), segments=(
            Segment(kind='log', a=-3.70119e-11, b=8.91946e-10),
            Segment(kind='log', a=-7.45304e-12, b=6.42667e-10),
            Segment(kind='lin', a=1.74295e-15, b=5.82625e-10),
        )),
        ref_cap_f=4e-16, d_c_s=3.4e-11, r2_ohm=100000.0, res_threshold_ohm=20060.0),
    1: LatencyFit(
        fit=PiecewiseFit(breaks=(4832, 12742), segments=(
            Segment(kind='log', a=-3.81168e-11, b=8.78701e-10),
            Segment(kind='log', a=-2.01799e-11, b=7.25185e-10),
            Segment(kind='lin', a=1.19486e-15, b=5.35253e-10),
        )),
        ref_cap_f=2e-16, d_c_s=1.3e-11, r2_ohm=100000.0, res_threshold_ohm=20060.0),
}
_LATENCY_VOLTAGE = {
    130: LatencyFit(
        fit=PiecewiseFit(breaks=(1832,), segments=(
            Segment(kind='log', a=-1.6656e-10, b=2.86608e-09),
            Segment(kind='lin', a=3.36654e-14, b=2.33047e-09),
        )),
        ref_cap_f=2.662e-14, d_c_s=2.12e-09, r2_ohm=100000.0, res_threshold_ohm=1950.0),
    90: LatencyFit(
        fit=PiecewiseFit(breaks=(1956,), segments=(
            Segment(kind='log', a=-8.13238e-11, b=1.9981e-09),
            Segment(kind='lin', a=2.76205e-14, b=1.87593e-09),
        )),
        ref_cap_f=1.84e-14, d_c_s=1.8e-09, r2_ohm=100000.0, res_threshold_ohm=4830.0),
    65: LatencyFit(
        fit=PiecewiseFit(breaks=(1210, 3161), segments=(
            Segment(kind='log', a=-1.15612e-10, b=2.08218e-09),
            Segment(kind='log', a=-1.00285e-11, b=1.35472e-09),
            Segment(kind='lin', a=2.03232e-14, b=1.61564e-09),
        )),
        ref_cap_f=1.33e-14, d_c_s=1.3e-09, r2_ohm=100000.0, res_threshold_ohm=4830.0),
    45: LatencyFit(
        fit=PiecewiseFit(breaks=(695, 4832), segments=(
            Segment(kind='log', a=-2.66629e-10, b=3.07867e-09),
            Segment(kind='log', a=-6.27624e-11, b=1.78932e-09),
            Segment(kind='lin', a=1.43578e-14, b=1.46251e-09),
        )),
        ref_cap_f=9.21e-15, d_c_s=9e-10, r2_ohm=100000.0, res_threshold_ohm=4830.0),
    32: LatencyFit(
        fit=PiecewiseFit(breaks=(4832,), segments=(
            Segment(kind='log', a=-1.8746e-10, b=2.44191e-09),
            Segment(kind='lin', a=1.07272e-14, b=1.05695e-09),
        )),
        ref_cap_f=6.55e-15, d_c_s=7e-10, r2_ohm=100000.0, res_threshold_ohm=12700.0),
    22: LatencyFit(
        fit=PiecewiseFit(breaks=(4832,), segments=(
            Segment(kind='log', a=-2.01894e-10, b=2.2559e-09),
            Segment(kind='lin', a=7.45392e-15, b=6.72844e-10),
        )),
        ref_cap_f=4.5e-15, d_c_s=4.7e-10, r2_ohm=100000.0, res_threshold_ohm=12700.0),
    14: LatencyFit(
        fit=PiecewiseFit(breaks=(695, 1832), segments=(
            Segment(kind='log', a=-1.17191e-10, b=1.51724e-09),
            Segment(kind='log', a=-3.56669e-11, b=1.00049e-09),
            Segment(kind='lin', a=5.484e-15, b=7.4812e-10),
        )),
        ref_cap_f=2.86e-15, d_c_s=3.4e-10, r2_ohm=100000.0, res_threshold_ohm=12700.0),
    10: LatencyFit(
        fit=PiecewiseFit(breaks=(2976, 7847), segments=(
            Segment(kind='log', a=-5.88954e-11, b=1.12213e-09),
            Segment(kind='log', a=-1.03546e-11, b=7.46313e-10),
            Segment(kind='lin', a=4.02595e-15, b=6.64175e-10),
        )),
        ref_cap_f=2.04e-15, d_c_s=2.4e-10, r2_ohm=100000.0, res_threshold_ohm=12700.0),
    7: LatencyFit(
        fit=PiecewiseFit(breaks=(1956, 8251), segments=(
            Segment(kind='log', a=-9.29209e-11, b=1.36675e-09),
            Segment(kind='log', a=-2.32202e-11, b=8.55312e-10),
            Segment(kind='lin', a=2.96941e-15, b=6.3388e-10),
        )),
        ref_cap_f=1.43e-15, d_c_s=1.7e-10, r2_ohm=100000.0, res_threshold_ohm=12700.0),
    5: LatencyFit(
        fit=PiecewiseFit(breaks=(20691.38, 33598.18), segments=(
            Segment(kind='log', a=-3.58902e-11, b=9.45003e-10),
            Segment(kind='log', a=4.1847e-11, b=2.03225e-10),
            Segment(kind='lin', a=2.17318e-15, b=5.90032e-10),
        )),
        ref_cap_f=1.02e-15, d_c_s=1.2e-10, r2_ohm=100000.0, res_threshold_ohm=12700.0),
    3: LatencyFit(
        fit=PiecewiseFit(breaks=(20691.38, 33598.18), segments=(
            Segment(kind='log', a=-4.80094e-11, b=1.02891e-09),
            Segment(kind='log', a=1.46916e-11, b=4.37023e-10),
            Segment(kind='lin', a=1.39879e-15, b=5.42026e-10),
        )),
        ref_cap_f=6.1e-16, d_c_s=3.4e-10, r2_ohm=500000.0, res_threshold_ohm=49600.0),
    2: LatencyFit(
        fit=PiecewiseFit(breaks=(3161.018, 34798.92), segments=(
            Segment(kind='log', a=-1.44146e-10, b=1.72384e-09),
            Segment(kind='log', a=-3.01414e-11, b=8.19483e-10),
            Segment(kind='lin', a=6.80209e-16, b=4.60774e-10),
        )),
        ref_cap_f=4e-16, d_c_s=2.3e-10, r2_ohm=500000.0, res_threshold_ohm=49600.0),
    1: LatencyFit(
        fit=PiecewiseFit(breaks=(5107, 34798.92), segments=(
            Segment(kind='log', a=-6.09403e-11, b=1.06251e-09),
            Segment(kind='log', a=-4.20915e-11, b=8.98944e-10),
            Segment(kind='lin', a=5.44698e-16, b=4.38466e-10),
        )),
        ref_cap_f=2e-16, d_c_s=1.1e-10, r2_ohm=500000.0, res_threshold_ohm=60900.0),
}

# MLSA current-mirror power per sense amp (W) vs. scaled column resistance, LSTP roadmap.
_MLSA_POWER_LSTP = {
    130: PiecewiseFit(breaks=(4832, 379269), segments=(
        Segment(kind='lin', a=-4.12599e-11, b=1.48536e-06),
        Segment(kind='log', a=-2.6617e-07, b=3.56576e-06),
        Segment(kind='log', a=-1.25872e-07, b=1.81453e-06),
    )),
    90: PiecewiseFit(breaks=(4832, 379269), segments=(
        Segment(kind='lin', a=-1.67004e-11, b=8.54958e-07),
        Segment(kind='log', a=-1.50719e-07, b=2.0858e-06),
        Segment(kind='log', a=-8.89685e-08, b=1.3007e-06),
    )),
    65: PiecewiseFit(breaks=(4832, 379269), segments=(
        Segment(kind='lin', a=-6.08647e-12, b=4.82814e-07),
        Segment(kind='log', a=-8.03449e-08, b=1.16437e-06),
        Segment(kind='log', a=-6.01171e-08, b=8.9355e-07),
    )),
    45: PiecewiseFit(breaks=(4832, 379269), segments=(
        Segment(kind='lin', a=-3.96471e-12, b=3.44344e-07),
        Segment(kind='log', a=-5.66235e-08, b=8.27849e-07),
        Segment(kind='log', a=-4.32673e-08, b=6.46111e-07),
    )),
    32: PiecewiseFit(breaks=(4832, 379269), segments=(
        Segment(kind='lin', a=-6.72783e-12, b=4.19847e-07),
        Segment(kind='log', a=-7.28881e-08, b=1.02677e-06),
        Segment(kind='log', a=-4.35333e-08, b=6.4697e-07),
    )),
    22: PiecewiseFit(breaks=(4832, 379269), segments=(
        Segment(kind='lin', a=-2.85373e-11, b=9.16744e-07),
        Segment(kind='log', a=-1.63133e-07, b=2.1687e-06),
        Segment(kind='log', a=-5.8712e-08, b=8.64648e-07),
    )),
    14: PiecewiseFit(breaks=(7847,), segments=(
        Segment(kind='lin', a=-3.11213e-13, b=5.34821e-08),
        Segment(kind='log', a=-9.64978e-09, b=1.44527e-07),
    )),
    10: PiecewiseFit(breaks=(20691,), segments=(
        Segment(kind='lin', a=-3.27225e-13, b=5.54082e-08),
        Segment(kind='log', a=-9.99199e-09, b=1.49539e-07),
    )),
    7: PiecewiseFit(breaks=(20691,), segments=(
        Segment(kind='lin', a=-2.62089e-13, b=4.7357e-08),
        Segment(kind='log', a=-8.49198e-09, b=1.27848e-07),
    )),
    5: PiecewiseFit(breaks=(20691,), segments=(
        Segment(kind='lin', a=-1.4179e-13, b=3.31434e-08),
        Segment(kind='log', a=-5.76552e-09, b=8.89536e-08),
    )),
    3: PiecewiseFit(breaks=(20691,), segments=(
        Segment(kind='lin', a=-1.17664e-13, b=2.96368e-08),
        Segment(kind='log', a=-5.09202e-09, b=7.91852e-08),
    )),
    2: PiecewiseFit(breaks=(20691,), segments=(
        Segment(kind='lin', a=-2.01487e-13, b=4.21066e-08),
        Segment(kind='log', a=-7.43005e-09, b=1.13414e-07),
    )),
    1: PiecewiseFit(breaks=(20691,), segments=(
        Segment(kind='lin', a=-1.68865e-13, b=3.80513e-08),
        Segment(kind='log', a=-6.64737e-09, b=1.02221e-07),
    )),
}
# MLSA power, HP roadmap: (static uW per sense amp, c, e) -> static*(L-1)*1e-6 + c*exp(e*log10(R));
# nodes below 10 nm use the 7 nm entry (the model's placeholder values)
_MLSA_POWER_HP = {
    130: PowerLawFit(static_uw=19.898, c=0.17452, e=-2.367),
    90: PowerLawFit(static_uw=13.09, c=0.149, e=-2.345),
    65: PowerLawFit(static_uw=9.9579, c=0.1083, e=-2.321),
    45: PowerLawFit(static_uw=7.7017, c=0.0754, e=-2.296),
    32: PowerLawFit(static_uw=3.9648, c=0.079, e=-2.313),
    22: PowerLawFit(static_uw=1.8939, c=0.073, e=-2.311),
    14: PowerLawFit(static_uw=1.2, c=0.0584, e=-2.311),
    10: PowerLawFit(static_uw=0.8, c=0.0318, e=-2.311),
    7: PowerLawFit(static_uw=0.5, c=0.021, e=-2.311),
}


def _special_layout(tech) -> bool:
    return tech.feature_size_in_nano in (2, 1)


def sensing_time_fit(res, node: int, current_mode: bool, column_cap_f: float, cap_sense_amp_loads_f: float):
    """Sensing time (s) against a reference column of resistance ``res`` (ohm; any array shape).

    ``column_cap_f``: the bit-line capacitance (NeuroSim ``param->columncap``);
    ``cap_sense_amp_loads_f``: gate capacitance of the reference sense amps on the column.
    """
    table = (_LATENCY_CURRENT if current_mode else _LATENCY_VOLTAGE)[node]
    x = np.asarray(res, dtype=float)
    latency = _piecewise(np.atleast_1d(x), *table.fit).reshape(x.shape)
    ratio = (column_cap_f + cap_sense_amp_loads_f - table.ref_cap_f) / table.ref_cap_f
    slope = table.d_c_s / (table.r2_ohm - table.res_threshold_ohm) * ratio
    latency = np.where(x > table.res_threshold_ohm, latency + slope * (x - table.res_threshold_ohm), latency)
    return latency if latency.ndim else float(latency)


# ------------------------------------------------------------------------------------------
# multilevel sense amplifier
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class MlsaSpec:
    """``num_col`` column groups with ``levels`` output levels each (SI units).

    Ladder: ``parallel`` (``rows_parallel`` rows read at once) spans the conductance of
    ``rows_parallel`` on-cells of ``on_resistance_ohm`` (SRAM: the read-access transistor) down to 0
    in steps of 1/levels; otherwise mid-steps between one on- and one off-cell
    (``off_resistance_ohm``).  ``column_cap_f``: bit-line capacitance; ``reference_energy_peri_j``:
    energy of the reference columns' row interface (NeuroSim ``reference_energy_peri``);
    ``ref_column_height_m`` x ``ref_column_width_m``: one reference column (``arrayheight`` x
    ``arraywidthunit``).  Layout: the area spread over ``fit_width_m`` (or ``fit_height_m``)."""

    num_col: int
    levels: int
    current_mode: bool
    parallel: bool
    on_resistance_ohm: float
    off_resistance_ohm: float
    rows_parallel: int
    ref_columns_shared: int
    column_cap_f: float
    read_voltage_v: float
    reference_energy_peri_j: float = 0.0
    ref_column_height_m: float = 0.0
    ref_column_width_m: float = 0.0
    fit_width_m: float = 0.0
    fit_height_m: float = 0.0


def reference_ladder(spec: MlsaSpec) -> np.ndarray:
    """The ``levels - 1`` reference-column resistances (ohm)."""
    steps = np.arange(spec.levels - 1, dtype=float)
    if spec.parallel:
        g_all_on = 1 / (spec.on_resistance_ohm / spec.rows_parallel)
        return 1 / (g_all_on + steps * (0 - g_all_on) / spec.levels)
    g_on, g_off = 1 / spec.on_resistance_ohm, 1 / spec.off_resistance_ohm
    span = g_off - g_on
    return 1 / (g_on + span / (2 * (spec.levels - 1)) + steps * span / (spec.levels - 1))


def _power_fit(spec: MlsaSpec, tech) -> tuple[PiecewiseFit, float]:
    """(fit of the mirror power of one column vs R at 0.5 V, multiplier) in current mode."""
    node, amps = tech.feature_size_in_nano, spec.levels - 1
    if tech.roadmap == "hp":
        fit = _MLSA_POWER_HP[_hp_key(_MLSA_POWER_HP, node)]
        return PiecewiseFit((), (Segment("pow", fit.c, fit.e, fit.static_uw * amps * 1e-6),)), 1.0
    return _MLSA_POWER_LSTP[node], float(amps)


def column_power(spec: MlsaSpec, env: CircuitEnv, column_resistance) -> np.ndarray:
    """Mirror power (W) of the ``levels - 1`` sense amps of a column, per column resistance (ohm, any
    shape; inf = open column: the model's 1 uW).  Voltage mode: only an open column draws power."""
    r = np.asarray(column_resistance, dtype=float) * (_CADENCE_READ_VOLTAGE / spec.read_voltage_v)
    power = np.zeros_like(r)
    if spec.current_mode:
        fit, mult = _power_fit(spec, env.tech)
        seg = fit.segments[0]
        if seg.kind == "pow":
            with np.errstate(divide="ignore"):
                power = seg.c + seg.a * np.exp(seg.b * np.log10(r))
        else:
            power = _piecewise(np.atleast_1d(r), *fit).reshape(r.shape) * mult
        power = np.where(r == 0, 0.0, power)
    return np.where(np.isinf(r), _OPEN_COLUMN_POWER, power) * temperature_factor(env.temperature_k)


def _sense_amp_caps(tech) -> tuple[float, float, float, float]:
    """(gate n, junction n, gate p, junction p) capacitance of a minimum sense-amp device (F)."""
    f = tech.feature_size
    w_n, w_p, h = MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, f * MAX_TRANSISTOR_HEIGHT
    if _special_layout(tech):
        gaa = _GAA_INV[tech.feature_size_in_nano]
        gp, jp = formula.gate_capacitance_gaa(INV, 1, 0, w_p, h, tech, *gaa)
        gn, jn = formula.gate_capacitance_gaa(INV, 1, w_n, 0, h, tech, *gaa)
    else:
        gp, jp = formula.gate_capacitance(INV, 1, 0, w_p, h, tech)
        gn, jn = formula.gate_capacitance(INV, 1, w_n, 0, h, tech)
    return gn, jn, gp, jp


def _switching_energy(spec: MlsaSpec, env: CircuitEnv, caps) -> float:
    """Switching energy (J) of one sense amp: its column and shared reference column, input and
    mirror at the model's read voltage; latch and encoder interface at Vdd."""
    gn, jn, gp, jp = caps
    levels, shared = spec.levels, spec.ref_columns_shared
    vread2, vdd2 = _MLSA_VREAD[env.tech.feature_size_in_nano] ** 2, env.tech.vdd ** 2
    if quirks.applies("mlsa_integer_column_share", env.compat):
        column_share = 1 // (levels - 1) + 1 / shared  # integer 1/(levels-1): 0 beyond 2 levels
    else:
        column_share = 1 / (levels - 1) + 1 / shared
    mirror = (jn + gn) if spec.current_mode else jn
    return (spec.column_cap_f * column_share * vread2  # its column and its share of the reference column
            + spec.reference_energy_peri_j / shared  # its share of the reference columns' row interface
            + (gn * 2 + mirror / (levels - 1) + mirror / shared) * vread2  # inputs and mirror
            + (gp * 2 + gn) * vdd2 + (gp * 3 + gn * 3 + (jp + jn) * 3 + jp) * vdd2  # latch
            + (gp + gn) * vdd2)  # encoder interface


def multilevel_sense_amp(spec: MlsaSpec, env: CircuitEnv) -> ComponentModel:
    """Multilevel current/voltage sense amplifiers of ``num_col`` column groups (see the module
    docstring for actions and ports).  Area: 9 minimum nMOS per sense amp plus its share of the
    reference columns.  Leakage 0 (the mirrors are in the dynamic energy)."""
    tech = env.tech
    f = tech.feature_size
    rref = reference_ladder(spec)
    _, h_n, w_n = formula.gate_area(INV, 1, MIN_NMOS_SIZE * f, 0, f * MAX_TRANSISTOR_HEIGHT, tech)
    comparators = (spec.levels - 1) * spec.num_col
    area = h_n * w_n * _SA_NMOS_PER_COMPARATOR * comparators
    area += spec.ref_column_height_m * spec.ref_column_width_m * comparators / spec.ref_columns_shared
    if spec.fit_width_m:
        width, height = spec.fit_width_m, area / spec.fit_width_m
    elif spec.fit_height_m:
        width, height = area / spec.fit_height_m, spec.fit_height_m
    else:
        raise ValueError("multilevel sense amp: a layout width or height (spec.fit_width_m / fit_height_m) is needed")

    caps = _sense_amp_caps(tech)
    if spec.current_mode:  # the slower of the extreme references (minimum and maximum conductance)
        loads = caps[0] * max(len(rref) - 2, 0)
        extremes = (rref[-1], rref[min(1, len(rref) - 1)])
        sense = max(sensing_time_fit(r, tech.feature_size_in_nano, True, spec.column_cap_f, loads) for r in extremes)
        fit, mult = _power_fit(spec, tech)
    else:
        sense = _VOLTAGE_MODE_SENSE_S
        fit, mult = PiecewiseFit((), (Segment("zero", 0.0, 0.0),)), 1.0
    reference_power = float(np.sum(column_power(spec, env, rref[1:-1]) / spec.ref_columns_shared))
    compiled = kernel_args(fit, x_scale=_CADENCE_READ_VOLTAGE / spec.read_voltage_v, mult=mult,
                           temperature_k=env.temperature_k, add=reference_power, time=sense, clip=True)
    per_column = _switching_energy(spec, env, caps) * (spec.levels - 1)
    return ComponentModel(
        kind=f"multilevel_sense_amp_{spec.levels}", area_m2=area, height_m=height, width_m=width, leakage_w=0.0,
        actions={"convert": ActionCost(latency_s=sense, energy_j=per_column * spec.num_col)},
        dynamic={"column_energy": column_energy_action(compiled)}, compiled={"column_energy": compiled},
        ports={"sense_latency_s": sense, "switching_energy_per_column_j": per_column,
               "reference_power_w": reference_power, "rref_first_ohm": float(rref[0]),
               "rref_last_ohm": float(rref[-1])})


# ------------------------------------------------------------------------------------------
# thermometer-to-binary encoder
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class MlsaEncoderSpec:
    """``num_encoder`` encoders of ``levels`` levels; rows ``fit_width_m`` wide (or columns
    ``fit_height_m`` high; with neither, no layout); ``input_ramp_per_s`` of the sense-amp outputs."""

    levels: int
    num_encoder: int
    fit_width_m: float = 0.0
    fit_height_m: float = 0.0
    input_ramp_per_s: float = 1e20


class _EncoderGate(NamedTuple):
    """One kind of gate of the encoder: ``drawn`` (nMOS, pMOS) widths set its drive, leakage and
    (bulk/FinFET) capacitance; ``layout`` widths its cell; ``gaa`` the special-layout capacitance
    factors (minimum devices) at 2/1 nm, else None; ``count``/``leaking`` instances per encoder in
    the area / in the leakage, the latter scaled by ``leak_factor``."""

    kind: int
    inputs: int
    drawn: tuple[float, float]
    layout: tuple[float, float]
    gaa: GaaFactors | None
    count: int
    leaking: int
    leak_factor: float = 1.0


_GAA_SERIES_RESISTANCE = 1.5  # GAA NAND pull-down: 1.5x the on-resistance of the series pair


def _encoder_gates(levels: int, tech) -> dict[str, _EncoderGate]:
    """Gate inventory of one thermometer-to-binary encoder (V1.4 manual, "ADC", multilevel SA
    encoder): per comparator output an INV + NAND2 pair; per output bit a large NAND with
    levels/2 inputs.  The model charges 5 INV leakages per comparator (scaled by the GAA gate
    factor at 2/1 nm) and lays the GAA NAND2 out with minimum devices."""
    f, node = tech.feature_size, tech.feature_size_in_nano
    special = _special_layout(tech)
    minimum = (MIN_NMOS_SIZE * f, MIN_NMOS_SIZE * f)
    inv = (MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f)
    nand = (4 * MIN_NMOS_SIZE * f, 2 * tech.pn_size_ratio * MIN_NMOS_SIZE * f)
    pairs = levels - 1
    return {
        "inv": _EncoderGate(INV, 1, inv, inv, _GAA_INV[node] if special else None, pairs, 5 * pairs,
                            _GAA_INV[node].gate if special else 1.0),
        "nand2": _EncoderGate(NAND, 2, nand, minimum if special else nand, _GAA_NAND2[node] if special else None,
                              pairs, pairs),
        "nand_large": _EncoderGate(NAND, levels // 2, nand, nand, None, math.ceil(math.log2(levels)),
                                   math.ceil(math.log2(levels))),
    }


def mlsa_encoder(spec: MlsaEncoderSpec, env: CircuitEnv) -> ComponentModel:
    """Thermometer-to-binary NAND encoders.  Action ``encode``: INV -> NAND2 -> large NAND (Horowitz),
    0 J (neglected by the model).  Port ``ramp_output_per_s``."""
    tech, temp = env.tech, env.temperature_k
    cell_height = tech.feature_size * MAX_TRANSISTOR_HEIGHT
    gates = _encoder_gates(spec.levels, tech)
    minimum = MIN_NMOS_SIZE * tech.feature_size
    shape, cap = {}, {}
    for name, g in gates.items():
        _, h, w = formula.gate_area(g.kind, g.inputs, *g.layout, cell_height, tech)
        shape[name] = (h, w)
        if g.gaa is None:
            cap[name] = formula.gate_capacitance(g.kind, g.inputs, *g.drawn, h, tech)
        else:
            cap[name] = formula.gate_capacitance_gaa(g.kind, g.inputs, minimum, minimum, h, tech, *g.gaa)

    # one encoder: a block as wide as one gate of each kind, its height the total gate area over that width
    w_enc = sum(w for _, w in shape.values())
    h_enc = sum(h * w * gates[name].count for name, (h, w) in shape.items()) / w_enc
    n = spec.num_encoder
    if spec.fit_width_m:
        width, height = max(spec.fit_width_m, w_enc), h_enc * math.ceil(n / min(math.ceil(spec.fit_width_m / w_enc), n))
    elif spec.fit_height_m:
        height, width = max(spec.fit_height_m, h_enc), w_enc * math.ceil(n / min(math.ceil(spec.fit_height_m / h_enc), n))
    else:
        width = height = 0.0

    # critical path (Horowitz): INV -> 2 NAND2 inputs, NAND2 (series pull-down) -> the large NAND's inputs
    path = (("inv", 1, 1.0, 2 * cap["nand2"][0]),
            ("nand2", 2, _GAA_SERIES_RESISTANCE if _special_layout(tech) else 1.0,
             gates["nand_large"].inputs * cap["nand_large"][0]))
    latency, ramp = 0.0, spec.input_ramp_per_s
    for name, series, factor, fanout_cap in path:
        w_n = gates[name].drawn[0]
        res = formula.on_resistance(w_n, NMOS, temp, tech) * series * factor
        delay, ramp = formula.horowitz(res * (cap[name][1] + fanout_cap),
                                       1 / (res * formula.transconductance(w_n, NMOS, tech)), ramp)
        latency += delay

    leakage = sum(formula.gate_leakage(g.kind, g.inputs, *g.drawn, temp, tech) * g.leaking * g.leak_factor
                  for g in gates.values()) * tech.vdd * n
    return ComponentModel(
        kind=f"mlsa_encoder_{spec.levels}", area_m2=height * width, height_m=height, width_m=width,
        leakage_w=leakage, actions={"encode": ActionCost(latency_s=latency, energy_j=0.0)},
        ports={"ramp_output_per_s": ramp})
