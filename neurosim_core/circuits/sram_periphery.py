"""SRAM column periphery: bit-line precharger, write driver and sense amplifiers.

Models (NeuroSim V1.4 ``Precharger.cpp``, ``SRAMWriteDriver.cpp``, ``SenseAmp.cpp`` and
``SramNewSA.cpp`` models; NeuroSim manual, "Peripheral circuits"; sense amplifier from NVSim):

* `Precharger`: two pMOS precharge devices + one equaliser per column; the delay charges the
  bit line (Horowitz stage of the precharge pMOS plus half the distributed bit-line RC).
* `SRAMWriteDriver`: three inverters per column (two drive BL, one BL_bar).
* `SenseAmp`: latch-type voltage sense amplifier; delay = C_load / g_m * ln(Vdd / V_sense).
* `SramNewSA`: fixed-size multi-level SRAM sense amplifier (area, delay and energy per level
  from the model's silicon-calibrated constants).

Energies scale with the read count; ``num_read`` may be a per-vector array.
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from .. import formula
from ..constants import (
    INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NMOS, PMOS, W_SENSE_EN, W_SENSE_ISO, W_SENSE_MUX, W_SENSE_N,
    W_SENSE_P, AreaModify,
)
from .base import Component

__all__ = ["Precharger", "SRAMWriteDriver", "SenseAmp", "SramNewSA"]


def _rows_of_units(new_width: float, unit_width: float, count: int, what: str) -> int:
    """Rows needed to place ``count`` units of ``unit_width`` side by side within ``new_width``."""
    per_row = min(int(new_width / unit_width), count)
    if per_row <= 0:
        raise ValueError(f"{what}: the assigned width is smaller than one column unit")
    return math.ceil(count / per_row)


class Precharger(Component):
    """Bit-line precharge and equalisation, one unit per column."""

    def initialize(self, num_col: int, res_load: float, activity_col_write: float,
                   num_read_cell_per_operation_neuro: int, num_write_cell_per_operation_neuro: int) -> None:
        tech = self.tech
        f = tech.feature_size
        h = f * MAX_TRANSISTOR_HEIGHT
        self.num_col, self.res_load, self.activity_col_write = int(num_col), res_load, activity_col_write
        self.num_read_cell_per_operation_neuro = int(num_read_cell_per_operation_neuro)
        self.num_write_cell_per_operation_neuro = int(num_write_cell_per_operation_neuro)
        _, self.width_pmos_bitline_equal = formula.enlarge_size(0.0, MIN_NMOS_SIZE * f, h, tech)
        _, self.width_pmos_bitline_precharger = formula.enlarge_size(0.0, 6 * f, h, tech)
        self.cap_load = 0.0
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        h = tech.feature_size * MAX_TRANSISTOR_HEIGHT
        _, h_pre, w_pre = formula.gate_area(INV, 1, 0.0, self.width_pmos_bitline_precharger, h, tech)
        _, h_eq, w_eq = formula.gate_area(INV, 1, 0.0, self.width_pmos_bitline_equal, h, tech)
        h_unit, w_unit = h_pre * 2 + h_eq, max(w_pre, w_eq)  # 2 precharge pMOS + equaliser
        if new_width and option == AreaModify.NONE:
            self.width = new_width
            self.height = _rows_of_units(new_width, w_unit, self.num_col, "Precharger") * h_unit
        else:
            self.width, self.height = self.num_col * w_unit, h_unit
        self.area = self.height * self.width
        self.apply_area_modify(option, new_height, new_width)
        self.cap_output_bitline_precharger = (
            formula.drain_cap(self.width_pmos_bitline_precharger, PMOS, h_pre, tech)
            + formula.drain_cap(self.width_pmos_bitline_equal, PMOS, h_eq, tech))

    def calculate_latency(self, ramp_input: float, cap_load: float, num_read, num_write) -> None:
        tech = self.tech
        self.ramp_input, self.cap_load = ramp_input, cap_load
        width = self.width_pmos_bitline_precharger
        res = formula.on_resistance(width, PMOS, self.p.temperature_k, tech)
        tau = res * (cap_load + self.cap_output_bitline_precharger) + self.res_load * cap_load / 2
        beta = 1.0 / (res * formula.transconductance(width, PMOS, tech))
        delay, self.ramp_output = formula.horowitz(tau, beta, 1e20)
        self.read_latency = delay * num_read
        self.write_latency = delay * num_write

    def calculate_power(self, num_read, num_write) -> None:
        """Uses the bit-line load of the last ``calculate_latency`` call, as the model does."""
        tech = self.tech
        vdd2 = tech.vdd * tech.vdd
        self.leakage = 2 * formula.gate_leakage(INV, 1, 0.0, self.width_pmos_bitline_precharger,
                                                self.p.temperature_k, tech) * tech.vdd * self.num_col
        read_cols = min(self.num_read_cell_per_operation_neuro, self.num_col)  # BL and BL_bar
        self.read_dynamic_energy = self.cap_load * vdd2 * read_cols * num_read
        write_cols = np.minimum(self.num_write_cell_per_operation_neuro, self.num_col * self.activity_col_write)
        self.write_dynamic_energy = self.cap_load * vdd2 * write_cols * num_write


class SRAMWriteDriver(Component):
    """SRAM bit-line write driver: 3 inverters per column."""

    def initialize(self, num_col: int, activity_col_write: float, num_write_cell_per_operation_neuro: int) -> None:
        tech = self.tech
        f = tech.feature_size
        self.num_col, self.activity_col_write = int(num_col), activity_col_write
        self.num_write_cell_per_operation_neuro = int(num_write_cell_per_operation_neuro)
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, f * MAX_TRANSISTOR_HEIGHT, tech)
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        _, h_inv, w_inv = formula.gate_area(INV, 1, self.width_inv_n, self.width_inv_p,
                                            tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)
        h_unit, w_unit = h_inv * 3, w_inv
        if new_width and option == AreaModify.NONE:
            self.width = new_width
            self.height = _rows_of_units(new_width, w_unit, self.num_col, "SRAMWriteDriver") * h_unit
        else:
            self.width, self.height = self.num_col * w_unit, h_unit
        self.area = self.height * self.width
        self.apply_area_modify(option, new_height, new_width)
        self.cap_inv_input, self.cap_inv_output = formula.gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float, num_write) -> None:
        tech = self.tech
        temp = self.p.temperature_k
        self.ramp_input, self.cap_load, self.res_load = ramp_input, cap_load, res_load
        res_up = formula.on_resistance(self.width_inv_p, PMOS, temp, tech)
        beta = 1.0 / (res_up * formula.transconductance(self.width_inv_p, PMOS, tech))
        delay, ramp_inv = formula.horowitz(res_up * (self.cap_inv_output + self.cap_inv_input), beta, ramp_input)
        res_down = formula.on_resistance(self.width_inv_n, NMOS, temp, tech)
        beta = 1.0 / (res_down * formula.transconductance(self.width_inv_n, NMOS, tech))
        tr = res_down * (cap_load + self.cap_inv_output) + res_load * cap_load / 2
        d, self.ramp_output = formula.horowitz(tr, beta, ramp_inv)
        self.write_latency = (delay + d) * num_write

    def calculate_power(self, num_write) -> None:
        tech = self.tech
        self.leakage = formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, self.p.temperature_k,
                                            tech) * tech.vdd * 3 * self.num_col
        # BL charging is counted in the precharger; writing 0 switches 1st INV output + 2nd INV input
        cols = np.minimum(self.num_write_cell_per_operation_neuro, self.num_col * self.activity_col_write)
        self.write_dynamic_energy = (self.cap_inv_output + self.cap_inv_input) * tech.vdd * tech.vdd * cols * num_write


class SenseAmp(Component):
    """Latch-type voltage sense amplifiers, one per column."""

    def initialize(self, num_col: int, current_sense: bool, sense_voltage: float, pitch_sense_amp: float,
                   clk_freq: float, num_read_cell_per_operation_neuro: int) -> None:
        if current_sense:
            raise NotImplementedError("SenseAmp: current sensing is not supported by the model")
        self.num_col, self.current_sense = int(num_col), bool(current_sense)
        self.sense_voltage, self.pitch_sense_amp, self.clk_freq = sense_voltage, pitch_sense_amp, clk_freq
        self.num_read_cell_per_operation_neuro = int(num_read_cell_per_operation_neuro)
        if pitch_sense_amp <= self.tech.feature_size * 6:
            warnings.warn("SenseAmp: pitch too small for the layout", stacklevel=2)
        self.initialized = True

    def _width(self, w_sense_f: float) -> float:
        """Sense-amp device width (m): the model's F-multiples, doubled below 22 nm."""
        tech = self.tech
        return (2 if tech.feature_size_in_nano <= 14 else 1) * w_sense_f * tech.feature_size

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        pitch = self.pitch_sense_amp

        def device_area(width_n: float, width_p: float) -> float:
            _, h, w = formula.gate_area(INV, 1, width_n, width_p, pitch, tech)
            return h * w

        area = device_area(0.0, self._width(W_SENSE_P)) * 2 + device_area(self._width(W_SENSE_N), 0.0) * 2
        area += device_area(0.0, self._width(W_SENSE_ISO)) + device_area(self._width(W_SENSE_EN), 0.0)
        self.area = area * self.num_col
        self.height = self.width = 0.0
        if new_width and option == AreaModify.NONE:
            self.width, self.height = new_width, self.area / new_width
        elif new_height and option == AreaModify.NONE:
            self.height, self.width = new_height, self.area / new_height
        self.apply_area_modify(option, new_height, new_width)
        self.cap_load = (formula.gate_cap(self._width(W_SENSE_P + W_SENSE_N), tech)
                         + formula.drain_cap(self._width(W_SENSE_N), NMOS, pitch, tech)
                         + formula.drain_cap(self._width(W_SENSE_P), PMOS, pitch, tech)
                         + formula.drain_cap(self._width(W_SENSE_ISO), PMOS, pitch, tech)
                         + formula.drain_cap(self._width(W_SENSE_MUX), NMOS, pitch, tech))

    def calculate_latency(self, num_read) -> None:
        tech = self.tech
        gm = (formula.transconductance(self._width(W_SENSE_N), NMOS, tech)
              + formula.transconductance(self._width(W_SENSE_P), PMOS, tech))
        self.read_latency = self.cap_load / gm * math.log(tech.vdd / self.sense_voltage) * num_read

    def calculate_power(self, num_read) -> None:
        tech = self.tech
        idle_current = formula.gate_leakage(INV, 1, self._width(W_SENSE_EN), 0.0, self.p.temperature_k, tech)
        self.leakage = idle_current * tech.vdd * self.num_col
        self.read_dynamic_energy = (self.cap_load * tech.vdd * tech.vdd
                                    * min(self.num_read_cell_per_operation_neuro, self.num_col) * num_read)


class SramNewSA(Component):
    """Multi-level SRAM sense amplifier (``level_output - 1`` comparators per column)."""

    _HEIGHT_UNIT = 1.072e-5  # m, per comparator
    _WIDTH_UNIT = 1.011e-5  # m
    _LATENCY = 0.1e-9  # s per read
    _ENERGY_PER_LEVEL = 0.092e-12  # J per comparator per read

    def initialize(self, num_col: int, level_output: int) -> None:
        self.num_col, self.level_output = int(num_col), int(level_output)
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        if not new_width:
            raise ValueError("SramNewSA: the block width (new_width) is required")
        self.area = (self.level_output - 1) * self._HEIGHT_UNIT * self._WIDTH_UNIT * self.num_col
        self.width, self.height = new_width, self.area / new_width
        self.apply_area_modify(option, new_height, new_width)

    def calculate_latency(self, num_read) -> None:
        self.read_latency = self._LATENCY * num_read

    def calculate_power(self, num_read) -> None:
        self.leakage = 0.0
        self.read_dynamic_energy = self._ENERGY_PER_LEVEL * (self.level_output - 1) * self.num_col * num_read
