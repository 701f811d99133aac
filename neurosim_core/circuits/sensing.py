"""Single-reference sensing and comparison circuits.

Models (NeuroSim V1.4, DNN+NeuroSim manual "Peripheral circuits"):

* `CurrentSenseAmp`: V1.4 ``CurrentSenseAmp.cpp`` model (single reference at mid conductance).
* `VoltageSenseAmp`: V1.4 ``VoltageSenseAmp.cpp`` model.
* `ReadCircuit`: V1.4 ``ReadCircuit.cpp`` model (integrate-and-fire neuron, CMOS or NbO2
  oscillation mode).
* `Comparator`: V1.4 ``Comparator.cpp`` model (1-bit magnitude comparator chain; used by max pooling).

Batching and the 0.5 V fit convention as in `adc.py`.
"""
from __future__ import annotations

import math
from enum import IntEnum

import numpy as np

from .. import formula
from ..constants import (
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MIN_GAP_BET_GATE_POLY,
    MIN_NMOS_SIZE,
    NAND,
    NMOS,
    PMOS,
    POLY_WIDTH,
    HEIGHT_WIDTH_RATIO_LIMIT,
    AreaModify,
)
from .adc import _CADENCE_READ_VOLTAGE, _OPEN_COLUMN_POWER, PowerLawFit, _hp_key, _per_vector, _vectors
from .base import Component

__all__ = ["CurrentSenseAmp", "VoltageSenseAmp", "ReadCircuit", "ReadCircuitMode", "Comparator"]

# Current sense amp power: (static uW, c, e) -> static*1e-6 + c*exp(e*log10(R)); HP below 10 nm uses 7 nm
_CSA_POWER_HP = {130: (19.898, 0.207452, -2.367), 90: (13.09, 0.164900, -2.345), 65: (9.9579, 0.128483, -2.321),
                 45: (7.7017, 0.097754, -2.296), 32: (3.9648, 0.083709, -2.313), 22: (1.8939, 0.084273, -2.311),
                 14: (1.2, 0.060584, -2.311), 10: (0.8, 0.049418, -2.311), 7: (0.5, 0.040310, -2.311)}
_CSA_POWER_LSTP = {130: (18.09, 0.169380, -2.303), 90: (12.612, 0.144323, -2.303), 65: (8.4147, 0.121272, -2.303),
                   45: (6.3162, 0.100225, -2.303), 32: (3.0875, 0.079449, -2.297), 22: (1.7, 0.072341, -2.303),
                   14: (1.0, 0.061085, -2.303), 10: (0.55, 0.051580, -2.303), 7: (0.35, 0.0235, -2.303),
                   5: (0.25914, 0.018602, -2.303), 3: (0.192217, 0.01491, -2.303), 2: (0.16546, 0.013349, -2.303),
                   1: (0.142427, 0.01195, -2.303)}
# Current sense amp latency, LSTP planar nodes >= 32 nm: T_max = (a*ln(R/1k) + b) ns, times a cubic
# of Rref/R below 0.9 and a quartic above (coefficients highest power first)
_CSA_LATENCY_LSTP = {
    130: ((0.2679, 0.0478), (3.915, -5.3996, 2.4653, 0.3856), (0.0004, -0.0087, 0.0742, -0.2725, 1.2211)),
    90: ((0.0586, 1.41), (3.726, -5.651, 2.8249, 0.3574), (0.0000008, -0.00007, 0.0017, -0.0188, 0.9835)),
    65: ((0.1239, 0.6642), (1.3899, -2.6913, 2.0483, 0.3202), (0.0036, -0.0363, 0.1043, -0.0346, 1.0512)),
    45: ((0.0714, 0.7651), (3.7949, -5.6685, 2.6492, 0.4807), (0.000001, -0.00006, 0.0001, -0.0171, 1.0057)),
}
_CSA_LATENCY_LSTP[32] = _CSA_LATENCY_LSTP[45]
_CSA_POWER_HP = {node: PowerLawFit(*fit) for node, fit in _CSA_POWER_HP.items()}
_CSA_POWER_LSTP = {node: PowerLawFit(*fit) for node, fit in _CSA_POWER_LSTP.items()}



# ==========================================================================================
class CurrentSenseAmp(Component):
    """Current sense amplifier with one reference at the mid on/off resistance."""

    def initialize(self, num_col: int, parallel: bool, rowbyrow: bool, clk_freq: float,
                   num_read_cell_per_operation_neuro: int) -> None:
        p, f = self.p, self.tech.feature_size
        self.num_col = int(num_col)
        self.parallel = parallel
        self.rowbyrow = rowbyrow
        self.clk_freq = clk_freq
        self.num_read_cell_per_operation_neuro = num_read_cell_per_operation_neuro
        self.width_nmos = MIN_NMOS_SIZE * f
        self.width_pmos = self.tech.pn_size_ratio * MIN_NMOS_SIZE * f
        r_start = 1 / p.max_conductance
        self.rref = r_start + (1 / p.min_conductance - r_start) / 2
        self.initialized = True

    def calculate_unit_area(self) -> None:
        tech = self.tech
        h = tech.feature_size * MAX_TRANSISTOR_HEIGHT
        _, h_n, w_n = formula.gate_area(INV, 1, self.width_nmos, 0, h, tech)
        _, h_p, w_p = formula.gate_area(INV, 1, 0, self.width_pmos, h, tech)
        self.area_unit = (h_n * w_n) * 48 + (h_p * w_p) * 40

    def calculate_area(self, width_array: float) -> None:
        """One amp per column, ``width_array`` wide (at most the aspect-ratio limit)."""
        width = min(width_array, math.sqrt(self.area_unit / HEIGHT_WIDTH_RATIO_LIMIT))
        self.area = self.area_unit * self.num_col
        self.width = width * self.num_col
        self.height = self.area_unit / width

    def column_latency(self, column_resistance) -> np.ndarray:
        """Sensing time (s) per column resistance (ohm, any shape); 0 for an open or shorted column."""
        p = self.p
        r = np.asarray(column_resistance, dtype=float) * (_CADENCE_READ_VOLTAGE / p.read_voltage)
        if p.roadmap == "hp" or p.technode not in _CSA_LATENCY_LSTP:
            latency = np.full_like(r, 1e-9)
        else:
            (ta, tb), low, high = _CSA_LATENCY_LSTP[p.technode]
            with np.errstate(all="ignore"):  # open / shorted columns are replaced below
                t_max = (ta * np.log(r / 1000) + tb) * 1e-9
                ratio = self.rref / r
                # the model's "mid <= ratio <= up" test is always true in C, so every ratio
                # above 0.9 takes the quartic
                shape = np.where(ratio <= 0.9, np.polyval(low, ratio), np.polyval(high, ratio))
                latency = np.where((ratio >= 20) | (ratio <= 0.05), 1e-9, t_max * shape)
        return np.where(np.isinf(r) | (r == 0), 0.0, latency)

    def column_power(self, column_resistance) -> np.ndarray:
        """Power (W) per column resistance (ohm, any shape)."""
        p = self.p
        r = np.asarray(column_resistance, dtype=float) * (_CADENCE_READ_VOLTAGE / p.read_voltage)
        if p.roadmap == "hp":
            static, c, e = _CSA_POWER_HP[_hp_key(_CSA_POWER_HP, p.technode)]
        else:
            static, c, e = _CSA_POWER_LSTP[p.technode]
        with np.errstate(divide="ignore"):
            power = static * 1e-6 + c * np.exp(e * np.log10(r))
        power = np.where(r == 0, 0.0, power)
        return np.where(np.isinf(r), _OPEN_COLUMN_POWER, power)

    def calculate_latency(self, column_resistance, num_col_muxed: float, num_read):
        """Slowest column, clamped to [0.5 ns, 50 ns], times ``num_col_muxed`` and ``num_read``.
        Shapes as in the module docstring; returns and stores ``read_latency``."""
        r, batched = _vectors(column_resistance)
        if r.shape[1]:
            slowest = np.clip(self.column_latency(r).max(axis=1), 5e-10, 50e-9)
        else:
            slowest = np.zeros(r.shape[0])
        self.read_latency = _per_vector(slowest * num_col_muxed * np.asarray(num_read, dtype=float), batched)
        return self.read_latency

    def calculate_power(self, column_resistance, num_read):
        """Sum over columns of power x sensing time, times ``num_read``; returns and stores
        ``read_dynamic_energy``."""
        r, batched = _vectors(column_resistance)
        energy = (self.column_latency(r) * self.column_power(r)).sum(axis=1) * np.asarray(num_read, dtype=float)
        self.leakage = 0.0
        self.read_dynamic_energy = _per_vector(energy, batched)
        return self.read_dynamic_energy


# ==========================================================================================
class VoltageSenseAmp(Component):
    """Latch-type voltage sense amplifier (65 nm energy scaled by Vdd^2), one per read column."""

    voltage_sense_diff = 0.1  # V

    def initialize(self, num_read_col: int, clk_freq: float) -> None:
        f = self.tech.feature_size
        self.num_read_col = int(num_read_col)
        self.clk_freq = clk_freq
        self.width_nmos = MIN_NMOS_SIZE * f
        self.width_pmos = self.tech.pn_size_ratio * MIN_NMOS_SIZE * f
        self.initialized = True

    def calculate_unit_area(self) -> None:
        tech, temp = self.tech, self.p.temperature_k
        h = tech.feature_size * MAX_TRANSISTOR_HEIGHT
        # the model sizes both device kinds as nMOS footprints
        _, h_n, w_n = formula.gate_area(INV, 1, self.width_nmos, 0, h, tech)
        _, h_p, w_p = formula.gate_area(INV, 1, self.width_pmos, 0, h, tech)
        self.area_unit = (h_n * w_n) * 6 + (h_p * w_p) * 5
        self.res_precharge = formula.on_resistance(self.width_pmos, PMOS, temp, tech)
        self.cap_nmos_gate, self.cap_nmos_drain = formula.gate_capacitance(INV, 1, self.width_nmos, 0, h_n, tech)
        self.cap_pmos_gate, self.cap_pmos_drain = formula.gate_capacitance(INV, 1, self.width_pmos, 0, h_p, tech)
        self.cap_s1 = self.cap_nmos_gate + self.cap_nmos_drain + self.cap_pmos_drain

    def calculate_area(self, width_voltage_sense_amp: float) -> None:
        width = min(width_voltage_sense_amp, math.sqrt(self.area_unit / HEIGHT_WIDTH_RATIO_LIMIT))
        self.width_voltage_sense_amp = width
        self.area = self.area_unit * self.num_read_col
        self.width = width * self.num_read_col
        self.height = self.area_unit / width

    def calculate_latency(self, cap_input_load: float, num_read, *, res_mem_cell_on: float,
                          res_mem_cell_off: float):
        """Precharge (2.3 RC) plus developing ``voltage_sense_diff`` with the on/off read-current
        difference; ``res_mem_cell_on/off`` (ohm) are the cell resistances with access device
        (NeuroSim ``cell.resMemCellOn/Off``, set by the subarray)."""
        v = self.cell.read_voltage
        delta_i = v / res_mem_cell_on - v / res_mem_cell_off
        per_read = 2.3 * self.res_precharge * self.cap_s1 \
            + self.voltage_sense_diff * (self.cap_s1 + self.cap_nmos_drain + cap_input_load) / delta_i
        self.read_latency = per_read * num_read
        return self.read_latency

    def calculate_power(self, num_read) -> None:
        tech = self.tech
        self.leakage = formula.gate_leakage(NAND, 2, self.width_nmos, self.width_pmos, self.p.temperature_k, tech) \
            * tech.vdd * 2
        self.read_dynamic_energy = 9.845e-15 * (tech.vdd / 1.1) ** 2 * self.num_read_col * num_read


# ==========================================================================================
class ReadCircuitMode(IntEnum):
    CMOS = 0  # CMOS integrate-and-fire read circuit
    OSCILLATION = 1  # NbO2 oscillation neuron


# dynamic energy per read (J) by number of integrated pulses: 1..10, then 20, 30, ..., 100
_READ_CIRCUIT_ENERGY = (4.74e-14, 4.20e-14, 4.14e-14, 4.11e-14, 4.10e-14, 4.09e-14, 4.09e-14, 4.08e-14, 4.08e-14,
                        4.08e-14, 4.07e-14, 4.06e-14, 4.06e-14, 4.05e-14, 4.05e-14, 4.05e-14, 4.05e-14, 4.05e-14,
                        4.05e-14)


class ReadCircuit(Component):
    """Integrate-and-fire read circuit with a spike-counter DFF chain, one per read column."""

    def initialize(self, mode: ReadCircuitMode, num_read_col: int, max_num_int_bit: int, spiking: bool,
                   clk_freq: float) -> None:
        f, pn = self.tech.feature_size, self.tech.pn_size_ratio
        self.mode = ReadCircuitMode(mode)
        self.num_read_col = int(num_read_col)
        self.max_num_int_bit = int(max_num_int_bit)
        self.spiking = bool(spiking)
        self.clk_freq = clk_freq
        self.num_dff = 2 ** self.max_num_int_bit if self.spiking else self.max_num_int_bit
        self.width_dff_inv_n = MIN_NMOS_SIZE * f
        self.width_dff_inv_p = pn * MIN_NMOS_SIZE * f
        # read-circuit body transistors (n, p) in F
        self.body_widths = tuple((n * f, p_ * f) for n, p_ in (
            (5, 9), (5, 0), (3.33, 6.66), (3.33, 3.33), (3.33, 3.33), (3.33, 0), (6.11, 0), (8.33, 9)))
        self.width_inv_n = MIN_NMOS_SIZE * f
        self.width_inv_p = pn * MIN_NMOS_SIZE * f
        self.initialized = True

    def calculate_unit_area(self) -> None:
        tech = self.tech
        f = tech.feature_size
        h = f * MAX_TRANSISTOR_HEIGHT
        if self.mode == ReadCircuitMode.CMOS:  # from layout: 21 polys
            self.h_read_body = MAX_TRANSISTOR_HEIGHT * f
            self.w_read_body = 20 * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * f
        else:  # a single inverter
            _, self.h_read_body, self.w_read_body = formula.gate_area(INV, 1, self.width_inv_n, self.width_inv_p, h, tech)
        # a DFF is 12 minimum inverters side by side
        _, h_min, w_min = formula.gate_area(INV, 1, MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, h, tech)
        self.h_dff, self.w_dff = h_min, w_min * 12
        self.h_unit = self.h_read_body + self.h_dff * self.num_dff
        self.w_unit = max(self.w_read_body, self.w_dff)
        self.area_unit = self.h_unit * self.w_unit

    def calculate_area(self, new_width: float = 0.0) -> None:
        """Units in rows of ``new_width`` (or one row when 0)."""
        if new_width:
            if self.w_unit > new_width:
                raise ValueError("ReadCircuit: the assigned width is smaller than one read circuit")
            per_row = min(int(new_width / self.w_unit), self.num_read_col)
            rows = math.ceil(self.num_read_col / per_row)
            self.width = new_width
        else:
            per_row, rows = self.num_read_col, 1
            self.width = self.w_unit * per_row
        self.num_unit_per_row, self.num_row_unit = per_row, rows
        self.height = self.h_unit * rows
        self.area = self.height * self.width

    def calculate_latency(self, num_read):
        self.read_latency = (self.cell.read_pulse_width + 1 / self.clk_freq) * num_read
        return self.read_latency

    def calculate_power(self, pulse_counts, num_read) -> None:
        """``pulse_counts``: the model's 19 counts of reads that integrated 1, 2, ..., 10, 20, 30,
        ..., 100 pulses (NeuroSim ``numof1 .. numof100``), in that order."""
        tech, temp = self.tech, self.p.temperature_k
        vdd = tech.vdd
        leak = formula.gate_leakage(INV, 1, self.width_dff_inv_n, self.width_dff_inv_p, temp, tech) * vdd * 8 * self.num_dff
        if self.mode == ReadCircuitMode.CMOS:
            for wn, wp in self.body_widths:
                leak += formula.gate_leakage(INV, 1, wn, wp, temp, tech) * vdd
            leak += formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, temp, tech) * vdd * 2
        else:
            leak += 35.84e-9
        self.leakage = leak * self.num_read_col
        counts = np.asarray(pulse_counts, dtype=float)
        if counts.shape[-1] != len(_READ_CIRCUIT_ENERGY):
            raise ValueError(f"ReadCircuit: pulse_counts needs {len(_READ_CIRCUIT_ENERGY)} values")
        self.read_dynamic_energy = float(np.dot(counts, _READ_CIRCUIT_ENERGY)) * num_read


# ==========================================================================================
class Comparator(Component):
    """``num_comparator`` magnitude comparators of ``num_bit`` bits (4 INV, 4 NAND2, 3 NAND3 per bit)."""

    def initialize(self, num_bit: int, num_comparator: int) -> None:
        tech = self.tech
        f, pn = tech.feature_size, tech.pn_size_ratio
        h = f * MAX_TRANSISTOR_HEIGHT
        self.num_bit = int(num_bit)
        self.num_comparator = int(num_comparator)
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, h, tech)
        self.width_nand2_n, self.width_nand2_p = formula.enlarge_size(2 * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, h, tech)
        self.width_nand3_n, self.width_nand3_p = formula.enlarge_size(3 * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, h, tech)
        self.initialized = True

    def calculate_unit_area(self, option: AreaModify = AreaModify.NONE) -> None:
        """Area of one comparator (``area_unit``).  ``option`` is accepted for the model's
        signature; the model gives no target size here, so no layout change follows."""
        tech = self.tech
        h = tech.feature_size * MAX_TRANSISTOR_HEIGHT
        _, h_inv, w_inv = formula.gate_area(INV, 1, self.width_inv_n, self.width_inv_p, h, tech)
        _, h_nand2, w_nand2 = formula.gate_area(NAND, 2, self.width_nand2_n, self.width_nand2_p, h, tech)
        _, h_nand3, w_nand3 = formula.gate_area(NAND, 3, self.width_nand3_n, self.width_nand3_p, h, tech)
        self.area_unit = ((h_inv * w_inv) * 4 + (h_nand2 * w_nand2) * 4 + (h_nand3 * w_nand3) * 3) * self.num_bit
        self.cap_inv_input, self.cap_inv_output = formula.gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        self.cap_nand2_input, self.cap_nand2_output = formula.gate_capacitance(
            NAND, 2, self.width_nand2_n, self.width_nand2_p, h_nand2, tech)
        self.cap_nand3_input, self.cap_nand3_output = formula.gate_capacitance(
            NAND, 3, self.width_nand3_n, self.width_nand3_p, h_nand3, tech)

    def calculate_area(self, width_array: float) -> None:
        self.width = width_array
        self.area = self.area_unit * self.num_comparator
        self.height = self.area / self.width

    def _stage(self, cap_nand3_load: float, ramp: float) -> tuple[float, float]:
        """One bit: NAND2 pull-down then NAND3 pull-up; returns (delay, output ramp)."""
        tech, temp = self.tech, self.p.temperature_k
        res = formula.on_resistance(self.width_nand2_n, NMOS, temp, tech) * 2
        tr = res * (self.cap_nand2_output + self.cap_nand3_input)
        beta = 1 / (res * formula.transconductance(self.width_nand2_n, NMOS, tech))
        d2, ramp = formula.horowitz(tr, beta, ramp)
        res = formula.on_resistance(self.width_nand3_p, PMOS, temp, tech)
        tr = res * (self.cap_nand3_output + cap_nand3_load)
        beta = 1 / (res * formula.transconductance(self.width_nand3_p, PMOS, tech))
        d3, ramp = formula.horowitz(tr, beta, ramp)
        return d2 + d3, ramp

    def calculate_latency(self, ramp_input: float, cap_load: float, num_read):
        """Gin -> Gout path: first bit, (num_bit - 2) middle bits, last bit into ``cap_load``.
        As in the model the middle-bit delay is weighted by (num_bit - 2) even for 1 bit."""
        self.ramp_input, self.cap_load = ramp_input, cap_load
        first, ramp = self._stage(self.cap_nand2_input, ramp_input)
        middle, ramp = self._stage(self.cap_nand2_input, ramp)
        last, self.ramp_output = self._stage(cap_load, ramp)
        self.read_latency = (first + middle * (self.num_bit - 2) + last) * num_read
        return self.read_latency

    def calculate_power(self, num_read, num_comparator_per_operation: int) -> None:
        tech, temp, p = self.tech, self.p.temperature_k, self.p
        vdd = tech.vdd
        count = self.num_bit * self.num_comparator
        self.leakage = (formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, temp, tech) * 4
                        + formula.gate_leakage(NAND, 2, self.width_nand2_n, self.width_nand2_p, temp, tech) * 4
                        + formula.gate_leakage(NAND, 3, self.width_nand3_n, self.width_nand3_p, temp, tech) * 3) \
            * vdd * count
        energy = ((self.cap_inv_input + self.cap_inv_output) * 4
                  + (self.cap_nand2_input + self.cap_nand2_output) * 4
                  + (self.cap_nand3_input + self.cap_nand3_output) * 3) * vdd * vdd
        energy *= self.num_bit * min(num_comparator_per_operation, self.num_comparator) * num_read
        if p.validated:
            energy *= p.epsilon  # switching activity of control circuits
        self.read_dynamic_energy = energy
