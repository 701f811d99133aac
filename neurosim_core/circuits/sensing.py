"""Single-reference sensing and comparison circuits, as builders.

Physics (NeuroSim V1.4 manual, "Peripheral circuits"; the current-sense fits are Cadence
simulations at a 0.5 V read voltage, so a column resistance is first scaled by 0.5 V / V_read, as
in `adc.py`):

* current sense amplifier: one reference at the middle of the on/off resistances; a column's
  sensing time follows a per-node fit of the ratio R_ref / R (LSTP planar nodes; 1 ns elsewhere),
  its power a per-node power law of R; the block waits for its slowest column;
* voltage sense amplifier: precharge the sense node (2.3 RC), then develop ``_VSA_SENSE_V`` with the
  on/off read-current difference; energy the 65 nm simulation scaled by (Vdd / 1.1 V)^2;
* read circuit: integrate-and-fire neuron (CMOS, or a NbO2 oscillator) with a spike counter of
  DFFs; energy per read from the number of integrated pulses (simulated table);
* comparator: a chain of 1-bit magnitude comparators (4 INV, 4 NAND2, 3 NAND3 per bit); the
  carry runs NAND2 (pull-down) then NAND3 (pull-up) per bit.

===========================  ============================  ==============================================  ===========================
builder                      spec                          actions                                         ports
===========================  ============================  ==============================================  ===========================
``current_sense_amp``        `CurrentSenseAmpSpec`         dynamic ``sense(column_resistance)``            ``area_unit_m2``
``voltage_sense_amp``        `VoltageSenseAmpSpec`         ``sense``                                       ``area_unit_m2``
``read_circuit``             `ReadCircuitSpec`             dynamic ``read(pulse_counts)``                  ``area_unit_m2``
``comparator``               `ComparatorSpec`              ``compare``                                     ``area_unit_m2``, gate caps
===========================  ============================  ==============================================  ===========================

Dynamic actions are vectorised: ``column_resistance`` (ohm) has shape (n_vectors, n_columns)
(``inf``: open column), ``pulse_counts`` shape (..., 19); they return one latency / energy per
vector.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

import numpy as np

from .. import formula, quirks
from ..arch import ActionCost, ComponentModel
from ..constants import (
    HEIGHT_WIDTH_RATIO_LIMIT, INV, MAX_TRANSISTOR_HEIGHT, MIN_GAP_BET_GATE_POLY, MIN_NMOS_SIZE, NAND, NMOS, PMOS,
    POLY_WIDTH,
)
from .adc import _CADENCE_READ_VOLTAGE, _OPEN_COLUMN_POWER, PowerLawFit, _hp_key
from .env import CircuitEnv

__all__ = [
    "CurrentSenseAmpSpec", "current_sense_amp", "mid_reference_ohm", "VoltageSenseAmpSpec", "voltage_sense_amp",
    "ReadCircuitMode", "ReadCircuitSpec", "read_circuit", "ComparatorSpec", "comparator",
]


def _amp_layout(area_unit: float, count: int, max_width_m: float) -> tuple[float, float, float]:
    """(area, height, width) of ``count`` amplifiers side by side, each at most ``max_width_m`` wide
    and no wider than the aspect-ratio limit allows."""
    width = min(max_width_m, math.sqrt(area_unit / HEIGHT_WIDTH_RATIO_LIMIT))
    return area_unit * count, area_unit / width, width * count


def _device_area(width_n: float, width_p: float, tech) -> float:
    _, h, w = formula.gate_area(INV, 1, width_n, width_p, tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)
    return h * w


# ------------------------------------------------------------------------------------------
# current sense amplifier
# ------------------------------------------------------------------------------------------
class CsaLatencyFit(NamedTuple):
    """Sensing time = (t_a ln(R / 1 kohm) + t_b) ns x shape(R_ref / R): ``low`` (cubic, ratio <= 0.9)
    or ``high`` (quartic) polynomial, coefficients highest power first."""

    t_a: float
    t_b: float
    low: tuple
    high: tuple


_CSA_POWER_HP = {
    130: PowerLawFit(static_uw=19.898, c=0.207452, e=-2.367),
    90: PowerLawFit(static_uw=13.09, c=0.1649, e=-2.345),
    65: PowerLawFit(static_uw=9.9579, c=0.128483, e=-2.321),
    45: PowerLawFit(static_uw=7.7017, c=0.097754, e=-2.296),
    32: PowerLawFit(static_uw=3.9648, c=0.083709, e=-2.313),
    22: PowerLawFit(static_uw=1.8939, c=0.084273, e=-2.311),
    14: PowerLawFit(static_uw=1.2, c=0.060584, e=-2.311),
    10: PowerLawFit(static_uw=0.8, c=0.049418, e=-2.311),
    7: PowerLawFit(static_uw=0.5, c=0.04031, e=-2.311),
}
_CSA_POWER_LSTP = {
    130: PowerLawFit(static_uw=18.09, c=0.16938, e=-2.303),
    90: PowerLawFit(static_uw=12.612, c=0.144323, e=-2.303),
    65: PowerLawFit(static_uw=8.4147, c=0.121272, e=-2.303),
    45: PowerLawFit(static_uw=6.3162, c=0.100225, e=-2.303),
    32: PowerLawFit(static_uw=3.0875, c=0.079449, e=-2.297),
    22: PowerLawFit(static_uw=1.7, c=0.072341, e=-2.303),
    14: PowerLawFit(static_uw=1.0, c=0.061085, e=-2.303),
    10: PowerLawFit(static_uw=0.55, c=0.05158, e=-2.303),
    7: PowerLawFit(static_uw=0.35, c=0.0235, e=-2.303),
    5: PowerLawFit(static_uw=0.25914, c=0.018602, e=-2.303),
    3: PowerLawFit(static_uw=0.192217, c=0.01491, e=-2.303),
    2: PowerLawFit(static_uw=0.16546, c=0.013349, e=-2.303),
    1: PowerLawFit(static_uw=0.142427, c=0.01195, e=-2.303),
}
_CSA_LATENCY_LSTP = {
    130: CsaLatencyFit(t_a=0.2679, t_b=0.0478,
        low=(3.915, -5.3996, 2.4653, 0.3856),
        high=(0.0004, -0.0087, 0.0742, -0.2725, 1.2211)),
    90: CsaLatencyFit(t_a=0.0586, t_b=1.41,
        low=(3.726, -5.651, 2.8249, 0.3574),
        high=(8e-07, -7e-05, 0.0017, -0.0188, 0.9835)),
    65: CsaLatencyFit(t_a=0.1239, t_b=0.6642,
        low=(1.3899, -2.6913, 2.0483, 0.3202),
        high=(0.0036, -0.0363, 0.1043, -0.0346, 1.0512)),
    45: CsaLatencyFit(t_a=0.0714, t_b=0.7651,
        low=(3.7949, -5.6685, 2.6492, 0.4807),
        high=(1e-06, -6e-05, 0.0001, -0.0171, 1.0057)),
}
_CSA_LATENCY_LSTP[32] = _CSA_LATENCY_LSTP[45]
_CSA_CLAMP_S = (0.5e-9, 50e-9)  # the block's sensing time is clamped to this range


def mid_reference_ohm(r_on_ohm: float, r_off_ohm: float) -> float:
    """The current sense amp's single reference: halfway between the on and off resistances."""
    return r_on_ohm + (r_off_ohm - r_on_ohm) / 2


@dataclass(frozen=True, kw_only=True)
class CurrentSenseAmpSpec:
    """``num_col`` current sense amps, one per column; ``ref_resistance_ohm`` the reference
    (`mid_reference_ohm`); ``max_width_m`` the width offered to one amplifier."""

    num_col: int
    ref_resistance_ohm: float
    read_voltage_v: float
    max_width_m: float


def current_sense_amp(spec: CurrentSenseAmpSpec, env: CircuitEnv) -> ComponentModel:
    """Current sense amplifiers (48 minimum nMOS + 40 minimum pMOS each).  Dynamic action
    ``sense(column_resistance)``: latency the slowest column's sensing time (clamped to 0.5..50 ns;
    0 without columns), energy the sum over columns of power x that column's sensing time; an open
    or shorted column takes no time.  Leakage 0 (in the power fit)."""
    tech = env.tech
    f = tech.feature_size
    area_unit = (_device_area(MIN_NMOS_SIZE * f, 0, tech) * 48
                 + _device_area(0, tech.pn_size_ratio * MIN_NMOS_SIZE * f, tech) * 40)
    area, height, width = _amp_layout(area_unit, spec.num_col, spec.max_width_m)
    node, x_scale = tech.feature_size_in_nano, _CADENCE_READ_VOLTAGE / spec.read_voltage_v
    power_fit = _CSA_POWER_HP[_hp_key(_CSA_POWER_HP, node)] if tech.roadmap == "hp" else _CSA_POWER_LSTP[node]
    latency_fit = None if tech.roadmap == "hp" else _CSA_LATENCY_LSTP.get(node)

    def column_time(r: np.ndarray) -> np.ndarray:
        if latency_fit is None:
            t = np.full_like(r, 1e-9)
        else:
            with np.errstate(all="ignore"):  # open / shorted columns are replaced below
                t_max = (latency_fit.t_a * np.log(r / 1000) + latency_fit.t_b) * 1e-9
                ratio = spec.ref_resistance_ohm / r
                # (the model's "mid <= ratio <= up" test is always true, so every ratio above 0.9
                # takes the quartic)
                shape = np.where(ratio <= 0.9, np.polyval(latency_fit.low, ratio), np.polyval(latency_fit.high, ratio))
                t = np.where((ratio >= 20) | (ratio <= 0.05), 1e-9, t_max * shape)
        return np.where(np.isinf(r) | (r == 0), 0.0, t)

    def column_power(r: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            power = power_fit.static_uw * 1e-6 + power_fit.c * np.exp(power_fit.e * np.log10(r))
        return np.where(np.isinf(r), _OPEN_COLUMN_POWER, np.where(r == 0, 0.0, power))

    def sense(*, column_resistance) -> ActionCost:
        r = np.atleast_2d(np.asarray(column_resistance, dtype=float)) * x_scale
        t = column_time(r)
        slowest = np.clip(t.max(axis=1), *_CSA_CLAMP_S) if r.shape[1] else np.zeros(r.shape[0])
        return ActionCost(latency_s=slowest, energy_j=(t * column_power(r)).sum(axis=1))

    return ComponentModel(kind="current_sense_amp", area_m2=area, height_m=height, width_m=width, leakage_w=0.0,
                          dynamic={"sense": sense}, ports={"area_unit_m2": area_unit})


# ------------------------------------------------------------------------------------------
# voltage sense amplifier
# ------------------------------------------------------------------------------------------
_VSA_SENSE_V = 0.1  # V developed before the latch fires
_VSA_ENERGY_65NM_J = 9.845e-15  # one sense at 1.1 V (65 nm simulation)


@dataclass(frozen=True, kw_only=True)
class VoltageSenseAmpSpec:
    """``num_col`` latch voltage sense amps; ``cap_input_load_f`` the column they sense;
    ``res_on_ohm`` / ``res_off_ohm`` the cell resistances with access device; ``max_width_m`` per amp."""

    num_col: int
    max_width_m: float
    cap_input_load_f: float
    res_on_ohm: float
    res_off_ohm: float
    read_voltage_v: float


def voltage_sense_amp(spec: VoltageSenseAmpSpec, env: CircuitEnv) -> ComponentModel:
    """Voltage sense amplifiers (6 nMOS + 5 devices of pMOS width, both drawn as nMOS footprints).
    Action ``sense``: precharge plus signal development; energy of every amplifier.  Leakage: the
    model's two NAND2-sized idle paths (not scaled by the number of amps)."""
    tech, temp = env.tech, env.temperature_k
    f = tech.feature_size
    w_n, w_p = MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f
    h = f * MAX_TRANSISTOR_HEIGHT
    _, h_n, w_n_dev = formula.gate_area(INV, 1, w_n, 0, h, tech)
    _, h_p, w_p_dev = formula.gate_area(INV, 1, w_p, 0, h, tech)
    area_unit = h_n * w_n_dev * 6 + h_p * w_p_dev * 5
    area, height, width = _amp_layout(area_unit, spec.num_col, spec.max_width_m)
    cap_n_gate, cap_n_drain = formula.gate_capacitance(INV, 1, w_n, 0, h_n, tech)
    _, cap_p_drain = formula.gate_capacitance(INV, 1, w_p, 0, h_p, tech)
    cap_node = cap_n_gate + cap_n_drain + cap_p_drain
    v = spec.read_voltage_v
    delta_i = v / spec.res_on_ohm - v / spec.res_off_ohm
    latency = (2.3 * formula.on_resistance(w_p, PMOS, temp, tech) * cap_node
               + _VSA_SENSE_V * (cap_node + cap_n_drain + spec.cap_input_load_f) / delta_i)
    energy = _VSA_ENERGY_65NM_J * (tech.vdd / 1.1) ** 2 * spec.num_col
    leakage = formula.gate_leakage(NAND, 2, w_n, w_p, temp, tech) * tech.vdd * 2
    return ComponentModel(kind="voltage_sense_amp", area_m2=area, height_m=height, width_m=width, leakage_w=leakage,
                          actions={"sense": ActionCost(latency_s=latency, energy_j=energy)},
                          ports={"area_unit_m2": area_unit})


# ------------------------------------------------------------------------------------------
# integrate-and-fire read circuit
# ------------------------------------------------------------------------------------------
class ReadCircuitMode(IntEnum):
    CMOS = 0  # CMOS integrate-and-fire read circuit
    OSCILLATION = 1  # NbO2 oscillation neuron


# energy of one read (J) by number of integrated pulses: 1..10, then 20, 30, ..., 100
READ_CIRCUIT_PULSES = (*range(1, 11), *range(20, 101, 10))
_READ_CIRCUIT_ENERGY_J = np.array([4.74e-14, 4.20e-14, 4.14e-14, 4.11e-14, 4.10e-14, 4.09e-14, 4.09e-14, 4.08e-14,
                                   4.08e-14, 4.08e-14, 4.07e-14, 4.06e-14, 4.06e-14, 4.05e-14, 4.05e-14, 4.05e-14,
                                   4.05e-14, 4.05e-14, 4.05e-14])
class DeviceWidthsF(NamedTuple):
    """One device's nMOS and pMOS widths in F (0: none)."""

    nmos_f: float
    pmos_f: float


# CMOS neuron body devices
_READ_BODY_F = (
    DeviceWidthsF(nmos_f=5, pmos_f=9),
    DeviceWidthsF(nmos_f=5, pmos_f=0),
    DeviceWidthsF(nmos_f=3.33, pmos_f=6.66),
    DeviceWidthsF(nmos_f=3.33, pmos_f=3.33),
    DeviceWidthsF(nmos_f=3.33, pmos_f=3.33),
    DeviceWidthsF(nmos_f=3.33, pmos_f=0),
    DeviceWidthsF(nmos_f=6.11, pmos_f=0),
    DeviceWidthsF(nmos_f=8.33, pmos_f=9),
)
_OSCILLATOR_LEAKAGE_W = 35.84e-9


@dataclass(frozen=True, kw_only=True)
class ReadCircuitSpec:
    """``num_col`` read circuits with ``max_num_int_bit``-bit counters (``2**bits`` DFFs when
    ``spiking``); ``read_pulse_width_s`` of the cell; units in rows ``fit_width_m`` wide (0: one row)."""

    mode: ReadCircuitMode
    num_col: int
    max_num_int_bit: int
    spiking: bool
    read_pulse_width_s: float
    fit_width_m: float = 0.0


def read_circuit(spec: ReadCircuitSpec, env: CircuitEnv) -> ComponentModel:
    """Integrate-and-fire read circuits.  Dynamic action ``read(pulse_counts)``: latency one read
    pulse plus a clock cycle, energy ``pulse_counts @ table`` (``pulse_counts[..., i]``: reads that
    integrated ``READ_CIRCUIT_PULSES[i]`` pulses).  A DFF is 12 minimum inverters (8 leak)."""
    tech, temp = env.tech, env.temperature_k
    f, vdd = tech.feature_size, tech.vdd
    h = f * MAX_TRANSISTOR_HEIGHT
    w_n, w_p = MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f
    num_dff = 2 ** spec.max_num_int_bit if spec.spiking else spec.max_num_int_bit
    cmos = ReadCircuitMode(spec.mode) == ReadCircuitMode.CMOS
    _, h_inv, w_inv = formula.gate_area(INV, 1, w_n, w_p, h, tech)
    if cmos:  # from layout: 21 polys in one transistor row
        h_body, w_body = MAX_TRANSISTOR_HEIGHT * f, 20 * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * f
    else:  # a single inverter next to the NbO2 device
        h_body, w_body = h_inv, w_inv
    h_unit, w_unit = h_body + h_inv * num_dff, max(w_body, w_inv * 12)
    if spec.fit_width_m:
        if w_unit > spec.fit_width_m:
            raise ValueError("read circuit: the assigned width is smaller than one read circuit")
        rows = math.ceil(spec.num_col / min(int(spec.fit_width_m / w_unit), spec.num_col))
        width = spec.fit_width_m
    else:
        rows, width = 1, w_unit * spec.num_col
    inv_leak = formula.gate_leakage(INV, 1, w_n, w_p, temp, tech) * vdd
    leak = inv_leak * 8 * num_dff
    if cmos:
        leak += sum(formula.gate_leakage(INV, 1, n * f, p * f, temp, tech) for n, p in _READ_BODY_F) * vdd
        leak += inv_leak * 2
    else:
        leak += _OSCILLATOR_LEAKAGE_W
    latency = spec.read_pulse_width_s + 1 / env.clk_freq_hz

    def read(*, pulse_counts) -> ActionCost:
        counts = np.asarray(pulse_counts, dtype=float)
        if counts.shape[-1:] != _READ_CIRCUIT_ENERGY_J.shape:
            raise ValueError(f"read circuit: pulse_counts needs {len(READ_CIRCUIT_PULSES)} values on its last axis")
        return ActionCost(latency_s=latency, energy_j=counts @ _READ_CIRCUIT_ENERGY_J)

    height = h_unit * rows
    return ComponentModel(kind="read_circuit", area_m2=height * width, height_m=height, width_m=width,
                          leakage_w=leak * spec.num_col, dynamic={"read": read},
                          ports={"area_unit_m2": h_unit * w_unit, "unit_height_m": h_unit, "unit_width_m": w_unit})


# ------------------------------------------------------------------------------------------
# magnitude comparator
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ComparatorSpec:
    """``num_comparator`` comparators of ``num_bit`` bits, ``active`` of them compare per operation
    (default all); ``activity`` the switching activity of the energy (the silicon calibration's
    epsilon, 1 when not validated); the result drives ``cap_load_f``; area spread over ``width_m``."""

    num_bit: int
    num_comparator: int
    cap_load_f: float = 0.0
    input_ramp_per_s: float = 1e20
    active: int | None = None
    activity: float = 1.0
    width_m: float = 0.0


def comparator(spec: ComparatorSpec, env: CircuitEnv) -> ComponentModel:
    """Magnitude comparators.  Action ``compare``: the carry through every bit (first and last bit
    into their loads; under quirk ``comparator_middle_bits_negative`` a 1-bit comparator subtracts
    one middle stage, as V1.4), energy of every gate of the active comparators.  Ports
    ``area_unit_m2`` (one comparator) and the gate capacitances ``cap_{inv,nand2,nand3}_{input,output}_f``."""
    tech, temp = env.tech, env.temperature_k
    f, pn = tech.feature_size, tech.pn_size_ratio
    h = f * MAX_TRANSISTOR_HEIGHT
    gates = {"inv": (INV, 1, 1), "nand2": (NAND, 2, 2), "nand3": (NAND, 3, 3)}  # type, inputs, nMOS size
    widths, caps, unit, leak, switched = {}, {}, 0.0, 0.0, 0.0
    per_bit = {"inv": 4, "nand2": 4, "nand3": 3}
    for name, (kind, inputs, n_size) in gates.items():
        w_n, w_p = formula.enlarge_size(n_size * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, h, tech)
        _, g_h, g_w = formula.gate_area(kind, inputs, w_n, w_p, h, tech)
        widths[name] = (w_n, w_p)
        caps[name] = formula.gate_capacitance(kind, inputs, w_n, w_p, g_h, tech)
        unit += g_h * g_w * per_bit[name]
        leak += formula.gate_leakage(kind, inputs, w_n, w_p, temp, tech) * per_bit[name]
        switched += sum(caps[name]) * per_bit[name]
    area_unit = unit * spec.num_bit

    def carry_stage(load: float, ramp: float) -> tuple[float, float]:
        """One bit: NAND2 pull-down (two in series) into the NAND3, NAND3 pull-up into ``load``."""
        w2, w3 = widths["nand2"][0], widths["nand3"][1]
        r2 = formula.on_resistance(w2, NMOS, temp, tech) * 2
        d2, ramp = formula.horowitz(r2 * (caps["nand2"][1] + caps["nand3"][0]),
                                    1 / (r2 * formula.transconductance(w2, NMOS, tech)), ramp)
        r3 = formula.on_resistance(w3, PMOS, temp, tech)
        d3, ramp = formula.horowitz(r3 * (caps["nand3"][1] + load), 1 / (r3 * formula.transconductance(w3, PMOS, tech)),
                                    ramp)
        return d2 + d3, ramp

    first, ramp = carry_stage(caps["nand2"][0], spec.input_ramp_per_s)
    middle, ramp = carry_stage(caps["nand2"][0], ramp)
    last, _ = carry_stage(spec.cap_load_f, ramp)
    middle_bits = spec.num_bit - 2
    if not quirks.applies("comparator_middle_bits_negative", env.compat):
        middle_bits = max(middle_bits, 0)
    active = spec.num_comparator if spec.active is None else min(spec.active, spec.num_comparator)
    energy = switched * tech.vdd * tech.vdd * spec.num_bit * active * spec.activity
    area = area_unit * spec.num_comparator
    ports = {"area_unit_m2": area_unit}
    for name, (cap_in, cap_out) in caps.items():
        ports[f"cap_{name}_input_f"], ports[f"cap_{name}_output_f"] = cap_in, cap_out
    return ComponentModel(
        kind="comparator", area_m2=area, height_m=area / spec.width_m if spec.width_m else 0.0, width_m=spec.width_m,
        leakage_w=leak * tech.vdd * spec.num_bit * spec.num_comparator,
        actions={"compare": ActionCost(latency_s=first + middle * middle_bits + last, energy_j=energy)}, ports=ports)
