"""Function units of the chip and tiles: max pooling and the sigmoid look-up table.

Models: NeuroSim V1.4 ``MaxPooling.cpp`` and ``Sigmoid.cpp`` (DNN+NeuroSim V1.4 user manual,
"Max pooling and activation units").

* `MaxPooling`: ``num_max_pooling`` max-pooling units (MPUs) over a ``window``-input window of
  ``num_bit``-bit values; an MPU is a tree of N-bit comparators built from 1-bit comparators
  (`sensing.Comparator`) plus transmission gates, inverters, an AND, a NOR and an N-input NOR.  The
  comparison is taken to stop half way through the bits on average.
* `Sigmoid`: ``num_function`` SRAM look-up tables of ``num_entry`` entries of ``num_ybit`` bits,
  each with a word-line decoder and sense amplifiers.  (V1.4 always builds the table in SRAM,
  ``Activationtype = true``; the model's RRAM variant is unused and dropped.)

Where ``p.synchronous`` is set, latencies are whole clock cycles, as in the model.
"""
from __future__ import annotations

import math

from .. import formula
from ..constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NAND, NMOS, NOR, PMOS, AreaModify, DecoderMode
from .sensing import Comparator
from .base import Component
from .decoders import RowDecoder
from .sram_periphery import SenseAmp

__all__ = ["MaxPooling", "Sigmoid"]

_STEP_RAMP = 1e20


def _comparator_tree(window: int) -> tuple[int, int]:
    """(N-bit comparators, stages) of one MPU, counted as the model does."""
    num_comparator = num_stage = 0
    n = window
    while n:
        num_comparator += n // 2
        num_stage += 1
        n //= 2
    odd = window % 2
    return num_comparator + odd, num_stage + odd


class MaxPooling(Component):
    """``num_max_pooling`` max-pooling units over ``window`` ``num_bit``-bit inputs."""

    def initialize(self, num_bit: int, window: int, num_max_pooling: int, clk_freq: float) -> None:
        tech = self.tech
        f = tech.feature_size
        pn = tech.pn_size_ratio
        h_region = f * MAX_TRANSISTOR_HEIGHT
        self.num_bit = int(num_bit)
        self.window = int(window)
        self.num_max_pooling = int(num_max_pooling)
        self.clk_freq = clk_freq
        self.num_comparator, self.num_stage = _comparator_tree(self.window)
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f,
                                                                  h_region, tech)
        self.width_nand_n, self.width_nand_p = formula.enlarge_size(2 * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f,
                                                                    h_region, tech)
        self.width_nor_n, self.width_nor_p = formula.enlarge_size(4 * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f,
                                                                  h_region, tech)
        # the N-input NOR collecting the bit-comparator outputs
        self.width_nor_n2, self.width_nor_p2 = formula.enlarge_size(
            (self.num_bit * 2) * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, h_region, tech)
        self.comparator = Comparator(self.p, tech, self.cell)
        self.comparator.initialize(1, 1)
        self.initialized = True

    def calculate_unit_area(self, option: AreaModify = AreaModify.NONE) -> None:
        """Area of one MPU (``area_unit``) and the gate capacitances."""
        tech = self.tech
        h_region = tech.feature_size * MAX_TRANSISTOR_HEIGHT
        _, h_inv, w_inv = formula.gate_area(INV, 1, self.width_inv_n, self.width_inv_p, h_region, tech)
        _, h_nand, w_nand = formula.gate_area(NAND, 2, self.width_nand_n, self.width_nand_p, h_region, tech)
        _, h_nor, w_nor = formula.gate_area(NOR, 2, self.width_nor_n, self.width_nor_p, h_region, tech)
        _, h_nor2, w_nor2 = formula.gate_area(NOR, self.num_bit, self.width_nor_n2, self.width_nor_p2, h_region, tech)
        self.comparator.calculate_unit_area(option)
        inv = h_inv * w_inv
        # each N-bit comparator: N 1-bit comparators with 4 TGs + 1 INV enable each, plus
        # 3 TG, 3 INV, 1 AND, 1 NOR and 1 N-input NOR
        unit = (self.comparator.area_unit + inv * 5) * self.num_bit
        unit += inv * 6 + (h_nand * w_nand + inv) + h_nor * w_nor + h_nor2 * w_nor2
        self.area_unit = unit * self.num_comparator

        self.cap_inv_input, self.cap_inv_output = formula.gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        self.cap_nand_input, self.cap_nand_output = formula.gate_capacitance(
            NAND, 2, self.width_nand_n, self.width_nand_p, h_nand, tech)
        self.cap_nor_input, self.cap_nor_output = formula.gate_capacitance(
            NOR, 2, self.width_nor_n, self.width_nor_p, h_nor, tech)
        self.cap_nor2_input, self.cap_nor2_output = formula.gate_capacitance(
            NOR, self.num_bit, self.width_nor_n2, self.width_nor_p2, h_nor2, tech)

    def calculate_area(self, width_array: float) -> None:
        self.width = width_array
        self.area = self.area_unit * self.num_max_pooling
        self.height = self.area / self.width

    def calculate_latency(self, ramp_input: float, cap_load: float, num_read) -> None:
        tech = self.tech
        temp = self.p.temperature_k
        self.ramp_input, self.cap_load = ramp_input, cap_load
        self.comparator.calculate_latency(ramp_input, self.cap_inv_output * 2, 1)
        latency = self.comparator.read_latency * self.num_bit / 2  # stops half way on average
        # the comparison result passes the N-input NOR, an INV and a TG
        res_nor = formula.on_resistance(self.width_nor_n2, NMOS, temp, tech) * 2
        tr = res_nor * (self.cap_inv_input * 2 + self.num_bit * self.cap_inv_output)
        gm = formula.transconductance(self.width_nor_n2, NMOS, tech)
        latency += formula.horowitz(tr, 1 / (res_nor * gm), _STEP_RAMP)[0]
        res_inv = formula.on_resistance(self.width_inv_n, NMOS, temp, tech) * 2
        gm_inv = formula.transconductance(self.width_inv_n, NMOS, tech)
        tr = res_inv * (self.cap_inv_input + self.cap_nor2_output)
        delay, ramp_inv_output = formula.horowitz(tr, 1 / (res_inv * gm_inv), _STEP_RAMP)
        latency += delay
        tr = res_inv * (self.cap_inv_input * 2 + cap_load)  # the TG, sized as the INV's nMOS
        latency += formula.horowitz(tr, 1 / (res_inv * gm_inv), ramp_inv_output)[0]
        if self.p.synchronous:
            latency = math.ceil(latency * self.clk_freq)
        self.read_latency = latency * self.num_stage * num_read

    def calculate_power(self, num_read) -> None:
        tech = self.tech
        vdd2 = tech.vdd * tech.vdd
        leak = formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, self.p.temperature_k, tech)
        self.leakage = leak * tech.vdd * self.num_comparator * self.num_max_pooling
        self.comparator.calculate_power(1, 1)
        # control gates of one N-bit comparator: AND, NOR, 2 INV, N-input NOR
        energy = (self.cap_nand_input + self.cap_inv_output) * vdd2
        energy += (self.cap_nor_input + self.cap_inv_output) * vdd2
        energy += (self.cap_inv_input + self.cap_inv_output) * vdd2 * 2
        energy += (self.cap_nor2_input + self.cap_inv_output) * vdd2
        if self.p.validated:
            energy *= self.p.epsilon  # calibrated switching activity of control circuits
        energy += self.comparator.read_dynamic_energy * self.num_bit / 2
        self.read_dynamic_energy = energy * self.num_comparator * self.num_max_pooling * num_read


class Sigmoid(Component):
    """``num_function`` SRAM look-up tables of ``num_entry`` entries x ``num_ybit`` bits."""

    def initialize(self, sram: bool, num_ybit: int, num_entry: int, num_function: int, clk_freq: float) -> None:
        if not sram:
            raise NotImplementedError("Sigmoid: only the SRAM look-up table (V1.4's Activationtype) is modelled")
        p, tech, cell = self.p, self.tech, self.cell
        f = tech.feature_size
        self.sram = True
        self.num_ybit = int(num_ybit)
        self.num_entry = int(num_entry)
        self.num_function = int(num_function)
        self.clk_freq = clk_freq
        self.num_cell = self.num_ybit * self.num_entry
        self.num_col, self.num_row = self.num_ybit, self.num_entry
        self.width_inv_n = MIN_NMOS_SIZE * f
        self.width_inv_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f
        _, h_inv, w_inv = formula.gate_area(INV, 1, self.width_inv_n, self.width_inv_p, f * MAX_TRANSISTOR_HEIGHT, tech)
        # one table entry: a row of memory cells plus an inverter row
        self.h_unit = h_inv + cell.height_in_feature_size * f
        self.w_unit = max(w_inv * 3, cell.width_in_feature_size * f) * self.num_ybit

        # word-line load: the SRAM cell capacitance (FinFET/GAA cells are two fins wide)
        w = (2 if tech.feature_size_in_nano <= 14 else 1) * f
        h_region = MAX_TRANSISTOR_HEIGHT * f
        self.cap_sram_cell = (formula.drain_cap(cell.width_access_cmos * w, NMOS, h_region, tech)
                              + formula.drain_cap(cell.width_sram_cell_nmos * w, NMOS, h_region, tech)
                              + formula.drain_cap(cell.width_sram_cell_pmos * w, PMOS, h_region, tech)
                              + formula.gate_cap(cell.width_sram_cell_nmos * w, tech)
                              + formula.gate_cap(cell.width_sram_cell_pmos * w, tech))
        self.res_row = self.w_unit * p.metal0_unit_wire_res

        self.wl_decoder = RowDecoder(p, tech, cell)
        self.wl_decoder.initialize(DecoderMode.REGULAR_ROW, int(math.ceil(math.log2(self.num_entry))), False, False)
        self.sense_amp = SenseAmp(p, tech, cell)
        self.sense_amp.initialize(self.num_ybit, False, cell.min_sense_voltage, self.w_unit / self.num_ybit, clk_freq, 1)
        self.initialized = True

    def calculate_unit_area(self, option: AreaModify = AreaModify.NONE) -> None:
        """Area of one look-up table (``area_unit``)."""
        self.wl_decoder.calculate_area(0.0, 0.0, AreaModify.NONE)
        self.sense_amp.calculate_area(0.0, 0.0, AreaModify.NONE)
        self.area_unit = self.h_unit * self.w_unit * self.num_entry + self.wl_decoder.area + self.sense_amp.area

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        self.area = self.area_unit * self.num_function
        if new_width and option == AreaModify.NONE:
            self.width = new_width
            self.height = self.area / self.width
        elif new_height:
            self.height = new_height
            self.width = self.area / self.height
        elif option == AreaModify.NONE:
            raise ValueError("Sigmoid: calculate_area needs a width or a height")
        self.apply_area_modify(option, new_height, new_width)

    def calculate_latency(self, num_read) -> None:
        """One table look-up: decode the entry and sense it (the model leaves the bit-line
        delay out)."""
        self.wl_decoder.calculate_latency(_STEP_RAMP, 0.0, self.cap_sram_cell, self.res_row, self.num_ybit, 1, 1)
        self.sense_amp.calculate_latency(1)
        latency = self.wl_decoder.read_latency + self.sense_amp.read_latency
        if self.p.synchronous:
            latency = math.ceil(latency * self.clk_freq)
        self.read_latency = latency * num_read

    def calculate_power(self, num_read) -> None:
        tech, cell = self.tech, self.cell
        self.wl_decoder.calculate_power(1, 1)
        self.sense_amp.calculate_power(1)
        energy = self.wl_decoder.read_dynamic_energy + self.sense_amp.read_dynamic_energy
        # array leakage: two inverters per cell
        w = (2 if tech.feature_size_in_nano <= 14 else 1) * tech.feature_size
        leak = formula.gate_leakage(INV, 1, cell.width_sram_cell_nmos * w, cell.width_sram_cell_pmos * w,
                                    self.p.temperature_k, tech)
        self.leakage = leak * tech.vdd * 2 * self.num_cell + self.wl_decoder.leakage + self.sense_amp.leakage
        self.read_dynamic_energy = energy * num_read * self.num_function
