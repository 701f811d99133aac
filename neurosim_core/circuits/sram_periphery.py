"""SRAM column periphery: bit-line precharger, write driver and sense amplifiers, as builders.

Physics (NeuroSim V1.4 manual, "Peripheral circuits"; the sense amplifier is NVSim's latch model,
Dong et al., TCAD 2012, Sec. IV-C):

* a bit line of capacitance ``C_bl`` and wire resistance ``R_bl`` is charged to Vdd through a pMOS
  of on-resistance ``R``: delay = Horowitz(R (C_bl + C_drain) + R_bl C_bl / 2); every charged bit
  line costs ``C_bl Vdd^2``;
* a write driver is an inverter chain (two inverters on BL, one on BL_bar): the first stage
  drives the second, the second pulls the bit line down; only its own gate/drain capacitances
  switch (the bit line itself is counted in the precharger);
* a latch sense amplifier resolves ``V_sense`` to Vdd in ``C_node / g_m * ln(Vdd / V_sense)``;
* the SRAM multi-level sense amplifier (``sram_new_sa``) is a fixed, silicon-calibrated
  comparator: size, delay and energy per comparator are constants.

Builders (``spec`` frozen and keyword-only, ``env`` a `circuits.env.CircuitEnv`), each returning an
immutable `arch.ComponentModel`:

=====================  ==========================  ======================================  =========================================
builder                spec                        actions                                 ports
=====================  ==========================  ======================================  =========================================
``precharger``         `PrechargerSpec`            ``precharge`` (one read), ``write``     ``cap_output_f``, ``ramp_output_per_s``
                                                   (precharge before one write)
``sram_write_driver``  `SramWriteDriverSpec`       ``write``                               ``cap_input_f``, ``cap_output_f``,
                                                                                           ``ramp_output_per_s``
``sense_amp``          `SenseAmpSpec`              ``sense``                               ``cap_load_f``, ``area_per_amp_m2``
``sram_new_sa``        `SramNewSaSpec`             ``sense``                               --
=====================  ==========================  ======================================  =========================================

Each action's cost is one operation of the whole block (all its columns); a caller multiplies
by its number of operations (`arch.Use.times`, scalar or per input vector).
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

from .. import formula
from ..arch import ActionCost, ComponentModel
from ..constants import (
    INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NMOS, PMOS, W_SENSE_EN, W_SENSE_ISO, W_SENSE_MUX, W_SENSE_N,
    W_SENSE_P,
)
from .env import CircuitEnv

__all__ = [
    "PrechargerSpec", "precharger", "SramWriteDriverSpec", "sram_write_driver", "SenseAmpSpec", "sense_amp",
    "SramNewSaSpec", "sram_new_sa",
]

_STEP_INPUT = 1e20  # 1/s: an ideal step as input ramp


def _fold(unit_h: float, unit_w: float, count: int, fit_width_m: float, what: str) -> tuple[float, float]:
    """(height, width) of ``count`` column units in one row, or folded into rows ``fit_width_m`` wide."""
    if not fit_width_m:
        return unit_h, unit_w * count
    per_row = min(int(fit_width_m / unit_w), count)
    if per_row <= 0:
        raise ValueError(f"{what}: the assigned width {fit_width_m:g} m is smaller than one column unit "
                         f"({unit_w:g} m)")
    return math.ceil(count / per_row) * unit_h, fit_width_m


def _beta(res: float, width: float, kind: int, tech) -> float:
    """Horowitz's beta of a device (1 / (R g_m))."""
    return 1.0 / (res * formula.transconductance(width, kind, tech))


# ------------------------------------------------------------------------------------------
# precharger
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class PrechargerSpec:
    """``num_col`` bit-line pairs, each with two precharge pMOS and an equaliser.

    ``bitline_cap_f`` / ``bitline_res_ohm``: load of one bit line.  ``read_cols``: bit lines
    charged per read (cells read per operation, at most ``num_col``); ``write_cols``: cells
    written per operation, at most ``write_activity`` x ``num_col``.  ``fit_width_m``: fold the
    units into rows of this width (0: one row)."""

    num_col: int
    bitline_cap_f: float = 0.0
    bitline_res_ohm: float = 0.0
    read_cols: int = 0
    write_cols: int = 0
    write_activity: float = 1.0
    fit_width_m: float = 0.0


def precharger(spec: PrechargerSpec, env: CircuitEnv) -> ComponentModel:
    """Bit-line precharge + equalisation.  Actions ``precharge`` (the columns of one read) and
    ``write`` (the columns of one write); both take one bit-line charge time (the model drives
    the precharge pMOS with an ideal step).  Ports ``cap_output_f`` (drain load the precharger adds
    to a bit line), ``ramp_output_per_s``."""
    tech, temp = env.tech, env.temperature_k
    h = tech.feature_size * MAX_TRANSISTOR_HEIGHT
    _, w_eq = formula.enlarge_size(0.0, MIN_NMOS_SIZE * tech.feature_size, h, tech)
    _, w_pre = formula.enlarge_size(0.0, 6 * tech.feature_size, h, tech)
    _, h_pre_dev, w_pre_dev = formula.gate_area(INV, 1, 0.0, w_pre, h, tech)
    _, h_eq_dev, w_eq_dev = formula.gate_area(INV, 1, 0.0, w_eq, h, tech)
    height, width = _fold(2 * h_pre_dev + h_eq_dev, max(w_pre_dev, w_eq_dev), spec.num_col, spec.fit_width_m,
                          "precharger")
    cap_out = formula.drain_cap(w_pre, PMOS, h_pre_dev, tech) + formula.drain_cap(w_eq, PMOS, h_eq_dev, tech)

    c_bl = spec.bitline_cap_f
    res = formula.on_resistance(w_pre, PMOS, temp, tech)
    tau = res * (c_bl + cap_out) + spec.bitline_res_ohm * c_bl / 2
    delay, ramp_out = formula.horowitz(tau, _beta(res, w_pre, PMOS, tech), _STEP_INPUT)

    charge = c_bl * tech.vdd * tech.vdd  # one bit line, 0 -> Vdd
    read_cols = min(spec.read_cols, spec.num_col)
    write_cols = min(spec.write_cols, spec.num_col * spec.write_activity)
    leakage = 2 * formula.gate_leakage(INV, 1, 0.0, w_pre, temp, tech) * tech.vdd * spec.num_col
    return ComponentModel(
        kind="precharger", area_m2=height * width, height_m=height, width_m=width, leakage_w=leakage,
        actions={"precharge": ActionCost(latency_s=delay, energy_j=charge * read_cols),
                 "write": ActionCost(latency_s=delay, energy_j=charge * write_cols)},
        ports={"cap_output_f": cap_out, "ramp_output_per_s": ramp_out})


# ------------------------------------------------------------------------------------------
# write driver
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class SramWriteDriverSpec:
    """``num_col`` write drivers (three minimum inverters each) on bit lines of ``bitline_cap_f`` /
    ``bitline_res_ohm``; ``write_cols`` cells written per operation, at most ``write_activity`` x
    ``num_col``; ``input_ramp_per_s`` the ramp of the data input; ``fit_width_m`` as the precharger's."""

    num_col: int
    bitline_cap_f: float = 0.0
    bitline_res_ohm: float = 0.0
    write_cols: int = 0
    write_activity: float = 1.0
    input_ramp_per_s: float = _STEP_INPUT
    fit_width_m: float = 0.0


def sram_write_driver(spec: SramWriteDriverSpec, env: CircuitEnv) -> ComponentModel:
    """SRAM write drivers.  Action ``write``: first inverter (pull-up) into the second, second
    (pull-down) into the bit line; the energy switches the first inverter's output and the second's
    input of every written column.  Ports ``cap_input_f``, ``cap_output_f`` (one inverter),
    ``ramp_output_per_s``."""
    tech, temp = env.tech, env.temperature_k
    f = tech.feature_size
    w_n, w_p = formula.enlarge_size(MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f,
                                    f * MAX_TRANSISTOR_HEIGHT, tech)
    _, h_inv, w_inv = formula.gate_area(INV, 1, w_n, w_p, f * MAX_TRANSISTOR_HEIGHT, tech)
    height, width = _fold(3 * h_inv, w_inv, spec.num_col, spec.fit_width_m, "SRAM write driver")
    cap_in, cap_out = formula.gate_capacitance(INV, 1, w_n, w_p, h_inv, tech)

    res_up = formula.on_resistance(w_p, PMOS, temp, tech)
    first, ramp = formula.horowitz(res_up * (cap_out + cap_in), _beta(res_up, w_p, PMOS, tech), spec.input_ramp_per_s)
    res_down = formula.on_resistance(w_n, NMOS, temp, tech)
    tau = res_down * (spec.bitline_cap_f + cap_out) + spec.bitline_res_ohm * spec.bitline_cap_f / 2
    second, ramp_out = formula.horowitz(tau, _beta(res_down, w_n, NMOS, tech), ramp)

    cols = min(spec.write_cols, spec.num_col * spec.write_activity)
    leakage = formula.gate_leakage(INV, 1, w_n, w_p, temp, tech) * tech.vdd * 3 * spec.num_col
    return ComponentModel(
        kind="sram_write_driver", area_m2=height * width, height_m=height, width_m=width, leakage_w=leakage,
        actions={"write": ActionCost(latency_s=first + second,
                                     energy_j=(cap_out + cap_in) * tech.vdd * tech.vdd * cols)},
        ports={"cap_input_f": cap_in, "cap_output_f": cap_out, "ramp_output_per_s": ramp_out})


# ------------------------------------------------------------------------------------------
# latch sense amplifier
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class SenseAmpSpec:
    """``num_col`` latch sense amplifiers of pitch ``pitch_m`` resolving ``sense_voltage_v``;
    ``read_cols`` amplifiers fire per read (at most ``num_col``).  Layout: the block's area spread
    over ``fit_width_m`` (or ``fit_height_m``); with neither, only the area is given."""

    num_col: int
    sense_voltage_v: float
    pitch_m: float
    read_cols: int
    fit_width_m: float = 0.0
    fit_height_m: float = 0.0


def sense_amp(spec: SenseAmpSpec, env: CircuitEnv) -> ComponentModel:
    """Latch-type voltage sense amplifiers (cross-coupled pair, isolation pMOS, enable nMOS).
    Action ``sense``: resolve ``sense_voltage_v`` to Vdd on every firing amplifier.  Ports
    ``cap_load_f`` (the latch node), ``area_per_amp_m2``.  Leakage: the enable device."""
    tech = env.tech
    if spec.pitch_m <= tech.feature_size * 6:
        warnings.warn("sense amp: pitch too small for the layout", stacklevel=2)
    scale = (2 if tech.feature_size_in_nano <= 14 else 1) * tech.feature_size  # device widths in F, doubled <= 14 nm
    w_p, w_n, w_iso, w_en, w_mux = (scale * w for w in (W_SENSE_P, W_SENSE_N, W_SENSE_ISO, W_SENSE_EN, W_SENSE_MUX))

    def device(width_n: float, width_p: float) -> float:
        _, h, w = formula.gate_area(INV, 1, width_n, width_p, spec.pitch_m, tech)
        return h * w

    per_amp = 2 * device(0.0, w_p) + 2 * device(w_n, 0.0) + device(0.0, w_iso) + device(w_en, 0.0)
    area = per_amp * spec.num_col
    if spec.fit_width_m:
        width, height = spec.fit_width_m, area / spec.fit_width_m
    elif spec.fit_height_m:
        width, height = area / spec.fit_height_m, spec.fit_height_m
    else:
        width = height = 0.0
    pitch = spec.pitch_m
    cap_node = (formula.gate_cap(w_p + w_n, tech) + formula.drain_cap(w_n, NMOS, pitch, tech)
                + formula.drain_cap(w_p, PMOS, pitch, tech) + formula.drain_cap(w_iso, PMOS, pitch, tech)
                + formula.drain_cap(w_mux, NMOS, pitch, tech))
    gm = formula.transconductance(w_n, NMOS, tech) + formula.transconductance(w_p, PMOS, tech)
    delay = cap_node / gm * math.log(tech.vdd / spec.sense_voltage_v)
    fired = min(spec.read_cols, spec.num_col)
    leakage = formula.gate_leakage(INV, 1, w_en, 0.0, env.temperature_k, tech) * tech.vdd * spec.num_col
    return ComponentModel(
        kind="sense_amp", area_m2=area, height_m=height, width_m=width, leakage_w=leakage,
        actions={"sense": ActionCost(latency_s=delay, energy_j=cap_node * tech.vdd * tech.vdd * fired)},
        ports={"cap_load_f": cap_node, "area_per_amp_m2": per_amp})


# ------------------------------------------------------------------------------------------
# SRAM multi-level sense amplifier (silicon-calibrated constants)
# ------------------------------------------------------------------------------------------
_NEW_SA_HEIGHT_M = 1.072e-5  # one comparator
_NEW_SA_WIDTH_M = 1.011e-5
_NEW_SA_LATENCY_S = 0.1e-9  # one read
_NEW_SA_ENERGY_J = 0.092e-12  # one comparator, one read


@dataclass(frozen=True, kw_only=True)
class SramNewSaSpec:
    """``num_col`` multi-level sense amps of ``levels`` output levels (``levels - 1`` comparators
    each), laid out ``width_m`` wide (required)."""

    num_col: int
    levels: int
    width_m: float


def sram_new_sa(spec: SramNewSaSpec, env: CircuitEnv) -> ComponentModel:
    """Fixed-size SRAM multi-level sense amplifier.  Action ``sense``: every comparator of every
    column once.  No leakage (not in the calibration)."""
    if not spec.width_m:
        raise ValueError("sram_new_sa: the block width (spec.width_m) is required")
    comparators = (spec.levels - 1) * spec.num_col
    area = comparators * _NEW_SA_HEIGHT_M * _NEW_SA_WIDTH_M
    return ComponentModel(
        kind="sram_new_sa", area_m2=area, height_m=area / spec.width_m, width_m=spec.width_m, leakage_w=0.0,
        actions={"sense": ActionCost(latency_s=_NEW_SA_LATENCY_S, energy_j=_NEW_SA_ENERGY_J * comparators)})
