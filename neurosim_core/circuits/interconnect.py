"""On-chip interconnect: H-tree, PE-level bus and chip-level X-Y bus with repeated wires.

Models: NeuroSim V1.4 ``HTree.cpp``, ``Bus.cpp`` and ``XYBus.cpp`` (DNN+NeuroSim V1.4 user
manual, "Interconnect"; repeater insertion after Bakoglu, "Circuits, Interconnections and
Packaging for VLSI", with the 0.7 RC / 0.54 distributed-wire delay coefficients).

All three size their repeaters the same way: the delay-optimal inverter size and spacing
(``min_dist``) for the node's minimum wire (``p.unit_length_wire_resistance``, 0.2 fF/um), then,
when a delay tolerance is given, repeatedly shrink the repeater and its spacing (x0.9) until the
unit-length delay reaches (1 + tolerance) x the optimum, trading delay for energy.  The H-tree
and X-Y bus halve the (integer) repeater size at each step, the PE bus decrements it.

A wire segment's latency is ``length x unit-length delay`` and its energy
``length x unit-length switching energy x 1/2`` (one toggle every other transfer); leakage is
that of one repeater per ``min_dist``.  Long H-tree/X-Y-bus segments use wider wires
(2x beyond 1e4 F, 4x beyond 1e5 F) whose resistance per length comes from the interconnect table
the model keeps for this purpose (`unit_length_wire_resistance`).

Only root-to-leaf H-tree transfers are modelled (the chip and tile always send between the
buffer at the root and the leaves); the model's leaf-to-leaf mode is unused by V1.4.
Where ``p.synchronous`` is set, latencies are whole clock cycles per transfer, as in the model.
"""
from __future__ import annotations

import math

import numpy as np

from .. import formula
from ..constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NMOS, PMOS, BusMode
from .base import Component

__all__ = ["HTree", "Bus", "XYBus", "unit_length_wire_resistance"]

UNIT_LENGTH_WIRE_CAP = 0.2e-15 / 1e-6  # F/m
_REPEATER_SHRINK = 0.9
# H-tree / X-Y bus wire table: (lower bound of width in nm, aspect ratio, bulk resistivity
# in ohm*m, barrier thickness in m)
_WIRE_TABLE = [(175, 1.6, 2.01e-8, 10.0e-9), (110, 1.6, 2.20e-8, 10.0e-9), (105, 1.7, 2.21e-8, 7.0e-9),
               (80, 1.7, 2.37e-8, 5.0e-9), (56, 1.8, 2.63e-8, 4.0e-9), (40, 1.9, 2.97e-8, 3.0e-9),
               (32, 2.0, 3.25e-8, 2.5e-9), (22, 2.0, 3.95e-8, 2.5e-9), (20, 2.0, 4.17e-8, 2.5e-9),
               (15, 2.0, 4.98e-8, 2.0e-9), (12, 2.0, 5.8e-8, 1.5e-9), (10, 3.0, 6.65e-8, 0.5e-9),
               (8, 3.0, 7.87e-8, 0.5e-9)]


def unit_length_wire_resistance(p, tech, wire_length: float) -> float:
    """Resistance per metre (ohm/m) of a global wire of ``wire_length`` (wider when longer)."""
    length_in_f = wire_length / tech.feature_size
    if length_in_f >= 100000:
        width = 4 * p.wire_width_nm
    elif length_in_f >= 10000:
        width = 2 * p.wire_width_nm
    else:
        width = p.wire_width_nm
    for lower, ar, rho, barrier in _WIRE_TABLE:
        if width >= lower:
            break
    else:
        raise ValueError(f"wire width {width} nm is out of range (>= 8 nm)")
    rho = rho / (1 - ((2 * ar * width + width) * barrier / (ar * width ** 2)))
    rho *= 1 + 0.00451 * (p.temperature_k - 300)
    return rho / (width * 1e-9 * width * 1e-9 * ar)


def _unit_length_delay(res_on: float, cap_input: float, cap_output: float, res_wire: float,
                       min_dist: float) -> float:
    """Delay per metre of a wire repeated every ``min_dist`` by inverters of the given R/C."""
    c_wire = UNIT_LENGTH_WIRE_CAP
    return 0.7 * (res_on * (cap_input + cap_output + c_wire * min_dist)
                  + 0.54 * res_wire * min_dist * c_wire * min_dist
                  + res_wire * min_dist * cap_input) / min_dist


def _unrepeated_unit_length_delay(res_wire: float, min_dist: float) -> float:
    c_wire = UNIT_LENGTH_WIRE_CAP
    return 0.7 * res_wire * min_dist * c_wire * min_dist / min_dist


def _is_repeated(length: float, min_dist: float) -> bool:
    """The model counts ceil(length/min_dist) repeaters; a segment without any is a bare wire."""
    return math.ceil(length / min_dist) > 0


def _inverter_rc(size: int, p, tech) -> tuple[float, float, float]:
    """(on resistance, input cap, output cap) of a repeater ``size`` x the minimum inverter."""
    f = tech.feature_size
    wn = MIN_NMOS_SIZE * f * size
    wp = tech.pn_size_ratio * MIN_NMOS_SIZE * f * size
    _, h, _ = formula.gate_area(INV, 1, wn, wp, f * MAX_TRANSISTOR_HEIGHT, tech)
    cap_in, cap_out = formula.gate_capacitance(INV, 1, wn, wp, h, tech)
    res = (formula.on_resistance(wn, NMOS, p.temperature_k, tech)
           + formula.on_resistance(wp, PMOS, p.temperature_k, tech)) / 2
    return res, cap_in, cap_out


def _repeater_design(p, tech, delay_tolerance: float, halve: bool) -> tuple[int, float]:
    """(repeater size in minimum inverters, repeater spacing in m) for the node's wire."""
    r_wire, c_wire = p.unit_length_wire_resistance, UNIT_LENGTH_WIRE_CAP
    res_min, cap_in_min, cap_out_min = _inverter_rc(1, p, tech)
    size = math.floor(math.sqrt(res_min * c_wire / cap_in_min / r_wire))
    min_dist = math.sqrt(2 * res_min * (cap_out_min + cap_in_min) / (r_wire * c_wire))
    res, cap_in, cap_out = _inverter_rc(size, p, tech)
    # a repeater shrunk to size 0 has infinite resistance, which ends the search
    target = _unit_length_delay(res, cap_in, cap_out, r_wire, min_dist) * (1 + delay_tolerance)
    if delay_tolerance:
        delay = 0.0
        while delay < target and (halve or size >= 1):
            size = size // 2 if halve else size - 1
            min_dist *= _REPEATER_SHRINK
            with np.errstate(divide="ignore"):
                res, cap_in, cap_out = _inverter_rc(size, p, tech)
            delay = _unit_length_delay(res, cap_in, cap_out, r_wire, min_dist)
    return size, min_dist


class _RepeatedWire(Component):
    """Shared repeater sizing and gate parameters of the three interconnect models."""

    def _design_repeaters(self, delay_tolerance: float, halve: bool) -> None:
        tech = self.tech
        f = tech.feature_size
        self.unit_length_wire_resistance = self.p.unit_length_wire_resistance
        self.unit_length_wire_cap = UNIT_LENGTH_WIRE_CAP
        self.repeater_size, self.min_dist = _repeater_design(self.p, tech, delay_tolerance, halve)
        size = max(1, self.repeater_size)
        self.width_inv_n = size * MIN_NMOS_SIZE * f
        self.width_inv_p = size * tech.pn_size_ratio * MIN_NMOS_SIZE * f

    def _repeater_gate(self) -> tuple[float, float]:
        """(height, width) of one repeater; also sets its input/output capacitance."""
        tech = self.tech
        _, h_inv, w_inv = formula.gate_area(INV, 1, self.width_inv_n, self.width_inv_p,
                                            tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)
        self.h_inv, self.w_inv = h_inv, w_inv
        self.cap_inv_input, self.cap_inv_output = formula.gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        return h_inv, w_inv

    def _repeater_on_resistance(self) -> float:
        t = self.p.temperature_k
        return (formula.on_resistance(self.width_inv_n, NMOS, t, self.tech)
                + formula.on_resistance(self.width_inv_p, PMOS, t, self.tech)) / 2

    def _latency_per_length(self, length: float, res_on: float, res_wire: float) -> float:
        if _is_repeated(length, self.min_dist):
            return _unit_length_delay(res_on, self.cap_inv_input, self.cap_inv_output, res_wire, self.min_dist)
        return _unrepeated_unit_length_delay(res_wire, self.min_dist)

    def _repeated_energy_per_length(self) -> float:
        c_wire = UNIT_LENGTH_WIRE_CAP * self.min_dist
        return (self.cap_inv_input + self.cap_inv_output + c_wire) * self.tech.vdd ** 2 / self.min_dist * 0.5

    def _energy_per_length(self, length: float) -> float:
        if _is_repeated(length, self.min_dist):
            return self._repeated_energy_per_length()
        return UNIT_LENGTH_WIRE_CAP * self.min_dist * self.tech.vdd ** 2 / self.min_dist * 0.5

    def _leakage_per_length(self) -> float:
        leak = formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, self.p.temperature_k, self.tech)
        return leak * self.tech.vdd / self.min_dist

    def _cycles(self, latency: float) -> float:
        return math.ceil(latency * self.clk_freq) if self.p.synchronous else latency


class HTree(_RepeatedWire):
    """H-tree over a ``num_row`` x ``num_col`` array of units (tiles or PEs), ``bus_width`` wires."""

    def __init__(self, p, tech, cell=None):
        super().__init__(p, tech, cell)
        # the main-bus delay reuses the last stage's unit delay (a member in the model)
        self.unit_latency_rep = 0.0
        self.critical_latency = 0.0

    def initialize(self, num_row: int, num_col: int, delay_tolerance: float, bus_width: float,
                   clk_freq: float) -> None:
        self.delay_tolerance = delay_tolerance
        self.bus_width = bus_width
        self.clk_freq = clk_freq
        # vertical stages: N, horizontal: N + 1 (counting the main bus)
        self.num_stage = 2 * math.ceil(math.log2(max(int(num_row), int(num_col)))) + 1
        self.num_level = (self.num_stage - 1) // 2
        self._design_repeaters(delay_tolerance, halve=True)
        # the tree spans a 2^N x 2^N array; its source sits at the centre column, nudged
        # inwards so the main bus does not route outside the chip
        self.num_row = self.num_col = 2 ** self.num_level
        self.x_center = int(self.num_row / 2.0)
        self.y_center = int(self.num_col / 2.0)
        if self.num_col - self.x_center < 1:
            self.x_center -= 1
        if self.num_row - self.y_center < 1:
            self.y_center -= 1
        self.initialized = True

    def _main_bus_units(self) -> int:
        """Length of the main bus in unit widths: to the nearest chip edge."""
        return min(self.num_col - self.x_center, self.x_center)

    def calculate_area(self, unit_height: float, unit_width: float, folded_ratio: float) -> None:
        h_inv, w_inv = self._repeater_gate()
        span = 2 ** self.num_level
        wire_v = unit_height * span / 2
        wire_h = unit_width * span / 2
        wid_v = wid_h = 0.0
        area = 0.0
        total_length = 0.0
        # from the centre outwards; the last stage overlaps the units' own layout
        for _ in range(1, self.num_level):
            wire_v /= 2
            wid_v += self.bus_width * w_inv / folded_ratio  # every stage carries the full bus
            area += wid_v * wire_v / 2
            wire_h /= 2
            wid_h += self.bus_width * h_inv / folded_ratio
            area += wid_h * wire_h / 2
            total_length += wire_v + wire_h
        main_bus = self._main_bus_units() * unit_width
        total_length += main_bus
        area += (self.bus_width * h_inv / folded_ratio) * main_bus
        self.area = area
        self.total_wire_length = total_length

    def _stage_latency_per_length(self, length: float, res_on: float) -> float:
        res_wire = unit_length_wire_resistance(self.p, self.tech, length)
        self.unit_latency_rep = _unit_length_delay(res_on, self.cap_inv_input, self.cap_inv_output,
                                                   res_wire, self.min_dist)
        return self._latency_per_length(length, res_on, res_wire)

    @staticmethod
    def _root_leaf(x_init: int, y_init: int, x_end: int, y_end: int) -> None:
        if not ((not x_init and not y_init) or (not x_end and not y_end)):
            raise NotImplementedError("HTree: only root-to-leaf transfers are modelled "
                                      "(one end must be at (0, 0))")

    def calculate_latency(self, x_init: int, y_init: int, x_end: int, y_end: int,
                          unit_height: float, unit_width: float, num_read) -> None:
        self._root_leaf(x_init, y_init, x_end, y_end)
        span = 2 ** self.num_level
        wire_v = unit_height * span
        wire_h = unit_width * span
        res_on = self._repeater_on_resistance()
        latency = 0.0
        # every stage down to the leaves (unlike the area, which skips the last one)
        for _ in range(self.num_level):
            wire_v /= 2
            latency += wire_v * self._stage_latency_per_length(wire_v, res_on)
            wire_h /= 2
            latency += wire_h * self._stage_latency_per_length(wire_h, res_on)
        latency += self._main_bus_units() * unit_width * self.unit_latency_rep
        if self.p.synchronous:
            self.critical_latency = latency * self.clk_freq
        self.read_latency = self._cycles(latency) * num_read

    def calculate_power(self, x_init: int, y_init: int, x_end: int, y_end: int,
                        unit_height: float, unit_width: float, num_bit_access, num_read) -> None:
        self._root_leaf(x_init, y_init, x_end, y_end)
        self.unit_length_leakage = self._leakage_per_length()
        self.leakage = self.unit_length_leakage * self.total_wire_length * num_bit_access
        span = 2 ** self.num_level
        wire_v = unit_height * span / 2
        wire_h = unit_width * span / 2
        energy = 0.0
        for _ in range(self.num_level):
            wire_v /= 2
            energy += wire_v * self._energy_per_length(wire_v)
            wire_h /= 2
            energy += wire_h * self._energy_per_length(wire_h)
        main_bus = self._main_bus_units() * unit_width
        energy += main_bus * self._repeated_energy_per_length()
        self.read_dynamic_energy = energy * num_bit_access * num_read


class Bus(_RepeatedWire):
    """Bus along one row (HORIZONTAL) or column (VERTICAL) of a ``num_row`` x ``num_col`` unit array."""

    def initialize(self, mode: BusMode, num_row: int, num_col: int, delay_tolerance: float,
                   bus_width: float, unit_height: float, unit_width: float, clk_freq: float) -> None:
        self.mode = mode
        self.num_row = int(num_row)
        self.num_col = int(num_col)
        self.unit_height = unit_height
        self.unit_width = unit_width
        self.clk_freq = clk_freq
        self.delay_tolerance = delay_tolerance
        self.bus_width = bus_width
        self._design_repeaters(delay_tolerance, halve=False)
        if mode == BusMode.HORIZONTAL:
            self.wire_length = unit_width * (self.num_col - 1)
        else:
            self.wire_length = unit_height * (self.num_row - 1)
        self.initialized = True

    def calculate_area(self, folded_ratio: float, over_lap: bool) -> None:
        """With ``over_lap`` the bus runs over the units and takes no area of its own."""
        _, w_inv = self._repeater_gate()
        self.num_repeater = math.ceil(self.wire_length / self.min_dist)
        # a bus without repeaters has zero length, so only the repeated width matters
        self.wire_width = self.bus_width * w_inv / folded_ratio
        self.area = 0.0 if over_lap else self.num_row * self.wire_length * self.wire_width

    def calculate_latency(self, num_read) -> None:
        res_on = self._repeater_on_resistance()
        latency = self.wire_length * self._latency_per_length(self.wire_length, res_on,
                                                             self.unit_length_wire_resistance)
        self.read_latency = self._cycles(latency) * num_read

    def calculate_power(self, num_bit_access, num_read, input_: bool) -> None:
        """``input_``: the bus carries input activations (toggle rate ``p.input_toggle``),
        else outputs (``p.output_toggle``)."""
        self.unit_length_leakage = self._leakage_per_length()
        self.leakage = self.unit_length_leakage * self.wire_length * num_bit_access
        toggle = self.p.input_toggle if input_ else self.p.output_toggle
        energy = self.wire_length * self._energy_per_length(self.wire_length) * toggle
        self.read_dynamic_energy = energy * num_bit_access * num_read


class XYBus(_RepeatedWire):
    """Chip-level X-Y bus over ``num_row`` x ``num_col`` tiles: inputs along X, outputs along Y."""

    def initialize(self, num_row: int, num_col: int, delay_tolerance: float, bus_width: float,
                   clk_freq: float) -> None:
        self.num_row = int(num_row)
        self.num_col = int(num_col)
        self.delay_tolerance = delay_tolerance
        self.bus_width = bus_width
        self.clk_freq = clk_freq
        self._design_repeaters(delay_tolerance, halve=True)
        self.initialized = True

    def calculate_area(self, unit_height: float, unit_width: float, folded_ratio: float) -> None:
        h_inv, w_inv = self._repeater_gate()
        wire_v = unit_height * self.num_row  # Y bus
        wire_h = unit_width * self.num_col  # X bus
        self.unit_length_wire_resistance_v = unit_length_wire_resistance(self.p, self.tech, wire_v)
        self.unit_length_wire_resistance_h = unit_length_wire_resistance(self.p, self.tech, wire_h)
        # a bus without repeaters has zero length, so only the repeated width matters
        self.area = (self.bus_width * w_inv / folded_ratio) * wire_v + (self.bus_width * h_inv / folded_ratio) * wire_h

    def _wires(self, x_end: int, y_init: int, unit_height: float, unit_width: float) -> tuple[float, float]:
        return unit_height * (self.num_row - y_init - 1), unit_width * x_end

    def calculate_latency(self, x_end: int, y_init: int, unit_height: float, unit_width: float,
                          num_read_input, num_read_output) -> None:
        wire_v, wire_h = self._wires(x_end, y_init, unit_height, unit_width)
        res_on = self._repeater_on_resistance()
        latency_in = wire_h * self._latency_per_length(wire_h, res_on, self.unit_length_wire_resistance_h)
        latency_out = wire_v * self._latency_per_length(wire_v, res_on, self.unit_length_wire_resistance_v)
        self.read_latency = self._cycles(latency_in) * num_read_input + self._cycles(latency_out) * num_read_output

    def calculate_power(self, x_end: int, y_init: int, unit_height: float, unit_width: float,
                        num_bit_input, num_bit_output) -> None:
        wire_v, wire_h = self._wires(x_end, y_init, unit_height, unit_width)
        self.total_wire_length = wire_h + wire_v
        self.unit_length_leakage = self._leakage_per_length()
        self.leakage = self.unit_length_leakage * self.total_wire_length * self.bus_width
        energy_in = wire_h * self._energy_per_length(wire_h)
        energy_out = wire_v * self._energy_per_length(wire_v)
        self.read_dynamic_energy = energy_in * num_bit_input + energy_out * num_bit_output
