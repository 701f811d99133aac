"""On-chip buffers: register-file (DFF) and SRAM buffers of the chip, tiles and PEs.

Model: NeuroSim V1.4 ``Buffer.cpp`` (DNN+NeuroSim V1.4 user manual, "Buffer"; SRAM bit-line
delay as an Elmore RC with the access and pull-down transistors).

A buffer stores ``num_bit`` bits in lines of ``interface_width`` bits (``num_row`` lines).
The register-file buffer is a DFF bank with a row decoder; the SRAM buffer is an SRAM array
(cells of the node's SRAM geometry) with a word-line decoder, bit-line prechargers, write
drivers and sense amplifiers.  Latency and energy are computed for accessing the whole buffer
once and then averaged per line (latency) or per bit (energy):

* ``read_latency = whole-buffer read time / num_row x num_read`` (lines read), likewise write;
  in a synchronous design one line moves per clock cycle, so the latencies are the line counts.
* ``read_dynamic_energy = whole-buffer read energy / num_bit x num_access_bit_read x num_read``.

Differences from the reference, each fixing undefined behaviour of ``Buffer.cpp``:

* SRAM buffer: the sense amplifiers' load capacitance is used without ever being computed
  (their ``CalculateArea`` is not called), so the reference read energy and asynchronous read
  latency are garbage (e.g. 0.1 J per read).  We compute the sense amplifiers' layout to get it
  (their area is still not counted in the buffer, as in the model).
* Register-file buffer, asynchronous mode: the row-decoder latency call passes its arguments
  shifted (an uninitialized wire resistance as load capacitance, the column count as wire
  resistance, 0 as column count), which makes the reference latency infinite.  We pass the
  intended order with no wire resistance (the DFF bank has no modelled word-line wire).
* SRAM buffer: the prechargers' load capacitance is set only by their latency call, which the
  reference skips in a synchronous design (garbage energy again).  We always set it, to the
  bit-line wire capacitance its latency call uses (identical to the reference when asynchronous).
"""
from __future__ import annotations

import math

from .. import formula
from ..constants import MAX_TRANSISTOR_HEIGHT, NMOS, AreaModify, DecoderMode
from .base import Component
from .decoders import RowDecoder
from .dff import DFF
from .sram_periphery import Precharger, SenseAmp, SRAMWriteDriver

__all__ = ["Buffer"]

WIRE_CAP_PER_LENGTH = 0.2e-15 / 1e-6  # F/m
_STEP_RAMP = 1e20


class Buffer(Component):
    """Register-file (``sram=False``) or SRAM buffer of ``num_bit`` bits, ``interface_width``-bit lines."""

    def initialize(self, num_bit: int, interface_width: int, num_interface: int, unit_wire_res: float,
                   clk_freq: float, sram: bool) -> None:
        p, tech, cell = self.p, self.tech, self.cell
        f = tech.feature_size
        self.num_bit = int(num_bit)
        self.interface_width = int(interface_width)
        self.num_interface = int(num_interface)
        self.unit_wire_res = unit_wire_res
        self.clk_freq = clk_freq
        self.sram = bool(sram)
        self.num_col = self.interface_width
        self.num_row = float(math.ceil(self.num_bit / self.interface_width))

        if self.sram:
            self.length_row = self.interface_width * p.width_in_feature_size_sram * f
            self.length_col = self.num_row * p.height_in_feature_size_sram * f
            # FinFET/GAA nodes: cell transistors are two fins wide
            w = (2 if tech.feature_size_in_nano <= 14 else 1) * f
            h_region = MAX_TRANSISTOR_HEIGHT * f
            self.res_cell_access = formula.on_resistance(cell.width_access_cmos * w, NMOS, p.temperature_k, tech)
            self.cap_cell_access = formula.drain_cap(cell.width_access_cmos * w, NMOS, h_region, tech)
            # word line: wire plus two access gates per cell; bit line: wire plus access drains
            self.cap_row1 = (self.length_row * WIRE_CAP_PER_LENGTH
                             + 2 * formula.gate_cap(cell.width_access_cmos * w, tech) * self.num_col)
            self.cap_col = self.length_col * WIRE_CAP_PER_LENGTH
            if tech.feature_size_in_nano <= 14:
                self.cap_col += tech.cap_draintotal * cell.width_access_cmos * tech.effective_width * self.num_row
            else:
                self.cap_col += self.cap_cell_access * self.num_row
            self.res_row = self.length_row * p.metal0_unit_wire_res
            self.res_col = self.length_col * p.metal1_unit_wire_res

            self.precharger = Precharger(p, tech, cell)
            self.precharger.initialize(self.interface_width, self.length_col * unit_wire_res, 1,
                                       self.interface_width, self.interface_width)
            self.sram_write_driver = SRAMWriteDriver(p, tech, cell)
            self.sram_write_driver.initialize(self.interface_width, 1, self.interface_width)
            self.sense_amp = SenseAmp(p, tech, cell)
            self.sense_amp.initialize(self.interface_width, False, cell.min_sense_voltage,
                                      self.length_row / self.interface_width, clk_freq, self.interface_width)
        else:
            self.dff = DFF(p, tech, cell)
            self.dff.initialize(self.num_bit, clk_freq)

        self.wl_decoder = RowDecoder(p, tech, cell)
        self.wl_decoder.initialize(DecoderMode.REGULAR_ROW, int(math.ceil(math.log2(self.num_row))), False, False)
        self.initialized = True

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        if self.sram:
            self.memory_area = self.length_row * self.length_col
            self.wl_decoder.calculate_area(self.length_col, 0.0, AreaModify.NONE)
            self.precharger.calculate_area(0.0, self.length_row, AreaModify.NONE)
            self.sram_write_driver.calculate_area(0.0, self.length_row, AreaModify.NONE)
            # only for the sense amplifiers' load capacitance (see module docstring)
            self.sense_amp.calculate_area(0.0, 0.0, AreaModify.NONE)
            self.area = (self.memory_area + self.wl_decoder.area + self.precharger.area
                         + self.sram_write_driver.area)
        else:
            self.dff.calculate_area(0.0, 0.0, AreaModify.NONE)
            self.wl_decoder.calculate_area(self.dff.h_dff * math.ceil(self.num_bit / self.interface_width), 0.0,
                                           AreaModify.NONE)
            self.area = self.dff.area + self.wl_decoder.area

        if new_width and option == AreaModify.NONE:
            self.width = new_width
            self.height = self.area / self.width
        elif new_height and option == AreaModify.NONE:
            self.height = new_height
            self.width = self.area / self.height
        else:
            raise ValueError("Buffer: calculate_area needs a width or a height (option NONE)")
        self.apply_area_modify(option, new_height, new_width)

    def _whole_buffer_latency(self) -> tuple[float, float]:
        """(read, write) time of accessing every line once, asynchronous design."""
        tech, cell = self.tech, self.cell
        n = self.num_row
        if self.sram:
            wire_cap_col = self.length_col * WIRE_CAP_PER_LENGTH
            self.wl_decoder.calculate_latency(_STEP_RAMP, self.length_row * WIRE_CAP_PER_LENGTH, 0.0,
                                              self.res_row, self.interface_width, n, n)
            self.precharger.calculate_latency(_STEP_RAMP, wire_cap_col, n, n)
            self.sram_write_driver.calculate_latency(_STEP_RAMP, wire_cap_col, self.length_col * self.unit_wire_res, n)
            self.sense_amp.calculate_latency(n)
            # bit-line discharge through access + pull-down transistors (Elmore), to half the
            # sense margin, for every line
            w = (2 if tech.feature_size_in_nano <= 14 else 1) * tech.feature_size
            res_pull_down = formula.on_resistance(cell.width_sram_cell_nmos * w, NMOS, self.p.temperature_k, tech)
            cap_per_cell = self.cap_col / n
            res_per_cell = self.res_col / n
            elmore = ((self.res_cell_access + res_pull_down) * cap_per_cell * n
                      + cap_per_cell * res_per_cell * n * (n + 1) / 2)
            self.col_delay = elmore * math.log(tech.vdd / (tech.vdd - cell.min_sense_voltage / 2)) * n
            read = (self.wl_decoder.read_latency + self.precharger.read_latency + self.col_delay
                    + self.sense_amp.read_latency)
            write = self.precharger.write_latency + max(self.wl_decoder.write_latency,
                                                        self.sram_write_driver.write_latency)
        else:
            self.wl_decoder.calculate_latency(_STEP_RAMP, self.dff.h_dff * self.interface_width * WIRE_CAP_PER_LENGTH,
                                              0.0, 0.0, self.num_col, n, n)
            half_cycles = (1.0 / self.clk_freq / 2) * n  # a DFF is accessed in half a clock cycle
            read = self.wl_decoder.read_latency + half_cycles
            write = self.wl_decoder.write_latency + half_cycles
        return read, write

    def calculate_latency(self, num_access_bit_read, num_read, num_access_bit_write, num_write) -> None:
        """``num_read``/``num_write``: lines read/written (the bit counts only matter for energy)."""
        if self.p.synchronous:
            self.read_latency = num_read  # one line per clock cycle
            self.write_latency = num_write
            return
        read_whole, write_whole = self._whole_buffer_latency()
        self.read_latency = read_whole / self.num_row * num_read
        self.write_latency = write_whole / self.num_row * num_write

    def calculate_power(self, num_access_bit_read, num_read, num_access_bit_write, num_write) -> None:
        tech = self.tech
        vdd2 = tech.vdd * tech.vdd
        if self.sram:
            n = self.num_row
            self.wl_decoder.calculate_power(n, n)
            # sets the prechargers' bit-line load (see module docstring)
            self.precharger.calculate_latency(_STEP_RAMP, self.length_col * WIRE_CAP_PER_LENGTH, n, n)
            self.precharger.calculate_power(n, n)
            self.sram_write_driver.calculate_power(n)
            self.sense_amp.calculate_power(n)
            read_whole = (self.wl_decoder.read_dynamic_energy + self.precharger.read_dynamic_energy
                          + self.sense_amp.read_dynamic_energy)
            write_whole = (self.wl_decoder.write_dynamic_energy + self.precharger.write_dynamic_energy
                           + self.sram_write_driver.write_dynamic_energy)
            self.leakage = (self.wl_decoder.leakage + self.precharger.leakage + self.sram_write_driver.leakage
                            + self.sense_amp.leakage)
            read_whole += self.cap_row1 * vdd2 * n  # word-line charging
            write_whole += self.cell.cap_sram_cell * vdd2 * self.num_bit  # flip Q and Q_bar
            write_whole += self.cap_row1 * vdd2 * n
        else:
            lines = self.num_bit // self.interface_width
            self.wl_decoder.calculate_power(lines, lines)
            self.dff.calculate_power(1, self.num_bit, True)
            read_whole = self.wl_decoder.read_dynamic_energy + self.dff.read_dynamic_energy
            write_whole = self.wl_decoder.write_dynamic_energy + self.dff.write_dynamic_energy
            self.leakage = self.dff.leakage + self.wl_decoder.leakage
        self.read_dynamic_energy = read_whole / self.num_bit * num_access_bit_read * num_read
        self.write_dynamic_energy = write_whole / self.num_bit * num_access_bit_write * num_write
