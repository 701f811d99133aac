"""D flip-flop bank (scan chains, input/output registers of shift-add and accumulators).

Model: NeuroSim V1.4 ``DFF.cpp`` model.  One DFF is taken as 12 minimum-size inverters side
by side (master/slave latches with clocked transmission gates).  Its energy per clock cycle
counts the clock inverters and clock transmission gates of every DFF, plus the D->Q path of
the DFFs that actually capture data; leakage is that of 8 minimum inverters per DFF.  At the
2 nm and 1 nm gate-all-around nodes the model's special standard-cell layout applies (reduced
gate capacitance and leakage factors; NeuroSim's ``speciallayout`` option, on by default and
not a user option here).
"""
from __future__ import annotations

import math

import numpy as np

from .. import formula
from ..constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, AreaModify
from .base import Component

__all__ = ["DFF"]

# GAA special layout: (gate factor, nMOS tuning factor, pMOS tuning factor) per node in nm
_SPECIAL_LAYOUT = {2: (1.0 / 2.0, 4.5 / 15.0, 4.5 / 15.0), 1: (10.5 / 16.0, 4.5 / 10.0, 4.5 / 10.0)}
_INVERTERS_PER_DFF = 12
_LEAKING_INVERTERS_PER_DFF = 8


class DFF(Component):
    """A bank of ``num_dff`` D flip-flops."""

    def initialize(self, num_dff: int, clk_freq: float) -> None:
        f = self.tech.feature_size
        self.num_dff = int(num_dff)
        self.clk_freq = clk_freq
        self.width_tg_n = self.width_inv_n = MIN_NMOS_SIZE * f
        self.width_tg_p = self.width_inv_p = self.tech.pn_size_ratio * MIN_NMOS_SIZE * f
        self.initialized = True

    def _special_layout(self):
        return _SPECIAL_LAYOUT.get(self.tech.feature_size_in_nano)

    def calculate_area(self, new_height: float = 0.0, new_width: float = 0.0,
                       option: AreaModify = AreaModify.NONE) -> None:
        tech = self.tech
        f = tech.feature_size
        _, h_inv, w_inv = formula.gate_area(INV, 1, MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f,
                                            f * MAX_TRANSISTOR_HEIGHT, tech)
        self.h_dff, self.w_dff = h_inv, w_inv * _INVERTERS_PER_DFF
        if new_height and option == AreaModify.NONE:
            # stack the DFFs in columns of the given height
            per_col = min(int(new_height / self.h_dff), self.num_dff)
            if per_col == 0:
                raise ValueError("DFF: the assigned height is smaller than a single DFF")
            self.height = new_height
            self.width = self.w_dff * math.ceil(self.num_dff / per_col)
        elif new_width and option == AreaModify.NONE:
            # stack the DFFs in rows of the given width
            per_row = min(int(new_width / self.w_dff), self.num_dff)
            if per_row == 0:
                raise ValueError("DFF: the assigned width is smaller than a single DFF")
            self.width = new_width
            self.height = self.h_dff * math.ceil(self.num_dff / per_row)
        else:  # one row of DFFs
            self.width = self.w_dff * self.num_dff
            self.height = self.h_dff
        self.area = self.height * self.width
        self.apply_area_modify(option, new_height, new_width)

        special = self._special_layout()
        if special is not None:
            gate_factor, n_factor, p_factor = special
            self.cap_inv_input, self.cap_inv_output = formula.gate_capacitance_gaa(
                INV, 1, MIN_NMOS_SIZE * f, MIN_NMOS_SIZE * f, h_inv, tech, gate_factor, n_factor, p_factor)
            self.cap_tg_gate_n = formula.gate_cap(self.width_tg_n, tech) * gate_factor
            self.cap_tg_gate_p = formula.gate_cap(self.width_tg_p, tech) * gate_factor
            self.cap_tg_drain = self.cap_inv_output
        else:
            self.cap_inv_input, self.cap_inv_output = formula.gate_capacitance(
                INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
            self.cap_tg_gate_n = formula.gate_cap(self.width_tg_n, tech)
            self.cap_tg_gate_p = formula.gate_cap(self.width_tg_p, tech)
            _, self.cap_tg_drain = formula.gate_capacitance(INV, 1, self.width_tg_n, self.width_tg_p, h_inv, tech)

    def calculate_latency(self, ramp_input: float, num_read):
        """Synchronous design: latency in clock cycles (= ``num_read``); else half a clock period each."""
        self.ramp_input = ramp_input
        if self.p.synchronous:
            self.read_latency = num_read
        else:
            self.read_latency = 1.0 / self.clk_freq / 2.0 * num_read

    def calculate_power(self, num_read, num_dff_per_operation, validated: bool) -> None:
        """``num_read`` and ``num_dff_per_operation`` may be per-vector arrays (energy broadcasts)."""
        tech = self.tech
        vdd2 = tech.vdd * tech.vdd
        leak = formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, self.p.temperature_k, tech)
        self.leakage = leak * tech.vdd * _LEAKING_INVERTERS_PER_DFF * self.num_dff
        special = self._special_layout()
        if special is not None:
            self.leakage *= special[0]

        n = self.num_dff
        active = np.minimum(num_dff_per_operation, n)
        # clock inverters and clock transmission gates of every DFF, one clock cycle
        energy = (self.cap_inv_input + self.cap_inv_output) * vdd2 * 4 * n
        energy = energy + self.cap_tg_gate_n * vdd2 * 2 * n
        energy = energy + self.cap_tg_gate_p * vdd2 * 2 * n
        # D -> Q path of the DFFs that capture data (input side, feedback side, output side)
        energy = energy + (self.cap_tg_drain * 3 + self.cap_inv_input) * vdd2 * active
        energy = energy + (self.cap_tg_drain + self.cap_inv_output) * vdd2 * active
        energy = energy + (self.cap_inv_input + self.cap_inv_output) * vdd2 * active
        energy = energy * num_read
        if validated:
            energy = energy * self.p.gamma  # switching activity of shift-add / accumulator DFFs
        self.read_dynamic_energy = energy
        self.write_dynamic_energy = energy
